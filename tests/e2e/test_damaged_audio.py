"""Audio that is missing or damaged, marked where it is, through the real binary, PortAudio, Whisper tiny.en, `age`.

QA F19: a flipped bit in the middle of an encrypted recording stopped transcription and every export, and
`recover` kept nothing. Now the errors name the file and point to `recover`, which salvages the recording.
QA F23: a stalled recorder's dropout was noted at the stop and the audio spliced; now it is silence, marked."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import tomli_w

from fieldvault import wavstream
from fieldvault.agefile import CHUNK, AgeReader, AgeWriter
from fieldvault.capture.recorder import Recorder
from fieldvault.capture.source import SoundDeviceSource
from fieldvault.events import load_events
from fieldvault.guide import Guide
from fieldvault.layout import AUDIO, TRANSCRIPT
from fieldvault.study import Study
from fieldvault.transcript import GAP, Transcript
from tests.conftest import ANSWERS, PASSPHRASE, need
from tests.e2e.conftest import speech
from tests.e2e.test_cli import assert_one_line_error, fv
from tests.e2e.test_transcribe import SENTENCES

pytestmark = pytest.mark.slow

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


def test_a_transcript_made_before_a_salvage_is_named_by_check_and_export_until_transcribed_again(
    ready_study: Study, tmp_path: Path
) -> None:
    """A transcript made while the audio was whole keeps its words after the audio is damaged and salvaged, and
    says nothing of the silence now under them. `check` and `transcript` note it and what to do, `export` notes it
    and its header says it, every run; `transcribe --force` marks the stretch and the notes end."""
    study, root = ready_study, ready_study.root
    audio = _imported(root, tmp_path)
    transcript = f"participants/Rose/{audio.parent.name}/{TRANSCRIPT}"
    assert fv("transcribe", str(root), "--speakers", "off").returncode == 0
    _flip(study, audio, DAMAGED)
    assert fv("recover", str(root)).returncode == 0
    note = (
        "the audio was salvaged after this transcript was made: 00:00:08–00:00:11 is silence now (it "
        "failed authentication) and this transcript does not mark it; its words there were heard before the damage "
        "and cannot be checked by listening: transcribe it again (`fieldvault transcribe --force`) to mark it, or "
        "keep these words"
    )

    def notes(*args: str) -> list[str]:
        done = fv(*args)
        assert done.returncode == 0, done.stderr
        return [line for line in (done.stdout + done.stderr).splitlines() if "salvaged after" in line]

    for _ in range(2):  # said every time, never "fixed" by being said
        assert notes("check", str(root)) == [f"note: {transcript}: {note}"]
    assert notes("transcript", str(root), "Rose", audio.parent.name) == [f"note: {note}"]
    out = tmp_path / "txt"
    exported = notes("export", str(root), "--format", "txt", "--out", str(out), "--include-unreviewed")
    assert exported == [f"note: Rose/{audio.parent.name}: {note}"]
    (text,) = [p.read_text() for p in out.rglob("*.txt")]
    assert (
        "audio salvaged after it was made: 00:00:08–00:00:11 silent in the recording, its words heard before the "
        "damage" in text.splitlines()[1]
    )
    assert "[audio damaged" not in text  # the words stay as they were transcribed

    assert fv("transcribe", str(root), "--force", "--speakers", "off").returncode == 0
    assert notes("check", str(root)) == []
    assert notes("transcript", str(root), "Rose", audio.parent.name) == []
    again = tmp_path / "again"
    assert notes("export", str(root), "--format", "txt", "--out", str(again), "--include-unreviewed") == []
    (text,) = [p.read_text() for p in again.rglob("*.txt")]
    assert "[audio damaged 00:00:08–00:00:11]" in text and "salvaged" not in text


def test_a_stalled_recorder_s_lost_audio_is_marked_where_it_was_lost(
    ready_study: Study, pulse: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA F23 through PortAudio and the PulseAudio null sink: the writer thread stalls for 10 s (longer than the
    6.4 s of slots), so the callback drops blocks. The recording keeps the clock's length, silence where the
    blocks were lost, and the transcript reads "[audio dropped ...]" between what was said before and after."""
    study = ready_study
    assert fv("participant", "add", str(study.root), "Rose", "--answers", str(_answers(tmp_path))).returncode == 0
    before = tmp_path / "before.wav"
    after = tmp_path / "after.wav"
    for path, sentence in ((before, SENTENCES[0]), (after, SENTENCES[3])):
        speech(path.with_suffix(".raw.wav"), sentence)
        subprocess.run([need("sox"), str(path.with_suffix(".raw.wav")), str(path), "pad", "1", "0"], check=True)
    release = threading.Event()
    original_write = AgeWriter.write
    written = [0]

    def write(self: AgeWriter, data: bytes) -> None:
        if written[0] < 6 * 32000 <= written[0] + len(data):
            release.wait(30)  # 6 s into the recording the writer stalls
        written[0] += len(data)
        original_write(self, data)

    monkeypatch.setattr(AgeWriter, "write", write)
    recorder = Recorder(study, "Rose", SoundDeviceSource(pulse, 16000, 1), Guide.for_study(None))
    folder = recorder.start()
    while recorder.at == 0:  # PulseAudio wakes an idle null sink with a delay, as no microphone would
        time.sleep(0.01)
    started = time.monotonic() - recorder.at
    subprocess.run([need("paplay"), "--device=fv", str(before)], check=True)
    while time.monotonic() - started < 16:
        time.sleep(0.1)
    release.set()
    subprocess.run([need("paplay"), "--device=fv", str(after)], check=True)
    time.sleep(1)
    wall = time.monotonic() - started
    summary = recorder.stop()
    assert summary.problem is None and summary.dropped_blocks > 0
    assert summary.seconds == pytest.approx(wall, abs=0.5)  # nothing spliced out: the clock's length
    identities = study.unlock(PASSPHRASE.encode())
    timeline = load_events(study, folder, identities)
    (dropout,) = [e for e in timeline.events if e.kind == "dropout"]
    assert dropout.length == pytest.approx(summary.seconds_lost) and summary.seconds_lost > 2
    assert 6 + 6.4 - 1 <= dropout.at <= 6 + 6.4 + 1  # when the slots ran out, not at the stop
    done = fv("transcribe", str(study.root))
    assert done.returncode == 0, done.stderr
    shown = fv("decrypt", str(study.root), f"participants/Rose/{folder.name}/{TRANSCRIPT}", "--out", "-")
    segments = Transcript.from_json(shown.stdout.encode()).segments
    (mark,) = [s for s in segments if GAP in s.flags]
    assert mark.text.startswith("[audio dropped 00:00:1")
    assert (mark.start, mark.end) == pytest.approx((dropout.at, dropout.at + summary.seconds_lost), abs=0.002)
    said_before = " ".join(s.text for s in segments if s.end <= mark.start).lower()
    said_after = " ".join(s.text for s in segments if s.start >= mark.end).lower()
    assert "manager" in said_before and "groups" in said_after
