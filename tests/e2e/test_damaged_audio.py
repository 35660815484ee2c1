"""Audio that is missing or damaged, marked where it is, through the real binary, Whisper tiny.en and `age`.

QA F19: a flipped bit in the middle of an encrypted recording stopped transcription and every export, and
`recover` kept nothing. Now the errors name the file and point to `recover`, which salvages the recording."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import tomli_w

from fieldvault import wavstream
from fieldvault.agefile import CHUNK, AgeReader
from fieldvault.layout import AUDIO, TRANSCRIPT
from fieldvault.study import Study
from fieldvault.transcript import GAP, Transcript
from tests.conftest import ANSWERS, PASSPHRASE, need
from tests.e2e.conftest import speech
from tests.e2e.test_cli import assert_one_line_error, fv

pytestmark = pytest.mark.slow

SENTENCES = [
    "My case manager helped me find safe housing.",
    "I was nineteen when I started working on the street.",
    "The women at the program believed in me when nobody else did.",
    "Counseling and the twelve step groups kept me going every single day.",
]
DAMAGED = 4  # the chunk flipped: bytes 262144-327680 of the WAV stream, 8.19-10.24 s at 16 kHz mono


def _imported(root: Path, tmp_path: Path) -> Path:
    pieces = []
    for number, sentence in enumerate(SENTENCES):
        pieces += [speech(tmp_path / f"s{number}.wav", sentence), np.zeros(24000, dtype=np.int16)]
    wav = tmp_path / "handheld.wav"
    wav.write_bytes(wavstream.complete_wav(wavstream.WavFormat(16000, 1), np.concatenate(pieces).tobytes()))
    assert fv("participant", "add", str(root), "Rose", "--answers", str(_answers(tmp_path))).returncode == 0
    done = fv("import", str(root), "Rose", str(wav))
    assert done.returncode == 0, done.stderr
    (audio,) = (root / "participants" / "Rose").glob(f"*/{AUDIO}")
    return audio


def _answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.toml"
    path.write_bytes(tomli_w.dumps(ANSWERS).encode())
    return path


def _flip(study: Study, audio: Path, counter: int) -> bytes:
    identities = study.unlock(PASSPHRASE.encode())
    with audio.open("rb") as stream:
        AgeReader(stream, identities)
        payload = stream.tell()
    data = bytearray(audio.read_bytes())
    data[payload + counter * (CHUNK + 16) + 1000] ^= 0x04
    audio.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_recording_is_salvaged_and_its_transcript_marks_the_stretch(
    ready_study: Study, tmp_path: Path
) -> None:
    study, cli_study = ready_study, ready_study.root
    audio = _imported(cli_study, tmp_path)
    session = audio.parent.name
    original = _flip(study, audio, DAMAGED)
    relative = audio.relative_to(cli_study)

    stopped = fv("transcribe", str(cli_study))  # stops at the damage: names the file, points to recover
    assert_one_line_error(stopped, str(relative), f"chunk {DAMAGED} fails authentication", "fieldvault recover")

    done = fv("recover", str(cli_study))
    assert done.returncode == 0, done.stderr
    assert f"{relative}: kept" in done.stdout and "00:00:08.2–00:00:10.2" in done.stdout
    assert audio.with_name(AUDIO + ".damaged").read_bytes() == original  # never overwritten: kept aside
    again = fv("recover", str(cli_study))
    assert again.returncode == 0 and "every file is complete" in again.stdout

    key = tmp_path / "key.txt"
    assert fv("keys", "export-identity", str(cli_study), "--out", str(key)).returncode == 0
    opened = subprocess.run([need("age"), "-d", "-i", str(key), str(audio)], capture_output=True, check=True)
    pcm = np.frombuffer(opened.stdout[44:], dtype=np.int16)
    assert not pcm[(DAMAGED * CHUNK - 44) // 2 : ((DAMAGED + 1) * CHUNK - 44) // 2].any()  # silence stands in
    assert pcm[((DAMAGED + 1) * CHUNK - 44) // 2 :].any()  # and what follows the damage is kept

    done = fv("transcribe", str(cli_study))
    assert done.returncode == 0, done.stderr
    shown = fv("decrypt", str(cli_study), f"participants/Rose/{session}/{TRANSCRIPT}", "--out", "-")
    segments = Transcript.from_json(shown.stdout.encode()).segments
    (mark,) = [s for s in segments if GAP in s.flags]
    assert mark.text == "[audio damaged 00:00:08–00:00:11]"
    before = " ".join(s.text for s in segments if s.end <= mark.start).lower()
    after = " ".join(s.text for s in segments if s.start >= mark.end).lower()
    assert "manager" in before and "groups" in after  # the words on either side of the damage are kept

    out = tmp_path / "txt"
    exported = fv("export", str(cli_study), "--format", "txt", "--out", str(out), "--include-unreviewed")
    assert exported.returncode == 0, exported.stderr
    (text,) = [p.read_text() for p in out.rglob("*.txt")]
    assert text.index("manager") < text.index("[audio damaged 00:00:08–00:00:11]") < text.index("groups")
