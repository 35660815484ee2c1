"""No sentence written twice (QA D9): on mono, her last sentence before a question came out as a copy of that
question, "How did you get out?" twice, her "Oksana from Chisinau was there too." lost, in every export. The audio
is QA's hoa.wav (/work/qa/s6/genS6.py, tests/e2e/test_mono_turns.py's HOA), rebuilt sample for sample; real
espeak-ng, tiny.en and CAM++."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from fieldvault import wavstream
from fieldvault.layout import TRANSCRIPT
from fieldvault.study import Study
from fieldvault.transcribe import copies
from fieldvault.transcript import Transcript
from tests.conftest import need
from tests.conversation import RATE
from tests.e2e.test_cli import fv
from tests.e2e.test_mono_turns import ASKS, HOA, TELLS, recording

pytestmark = pytest.mark.slow

QUESTION = "how did you get out"


def _exported(study: Study, fmt: str, out: Path) -> str:
    done = fv("export", str(study.root), "--format", fmt, "--out", str(out), "--include-unreviewed")
    assert done.returncode == 0, done.stderr
    if fmt == "qdpx":
        with zipfile.ZipFile(out) as archive:
            return " ".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".txt"))
    return " ".join(p.read_text() for p in sorted(out.rglob("*")) if p.is_file())


def test_her_sentence_before_a_question_is_never_a_copy_of_it(ready_study: Study, tmp_path: Path) -> None:
    """QA D9: tiny.en decoded 13.5-25.9 s as the question twice, the first copy aligned over her last sentence
    (21.9-24.0 s). Her stretch is now written from its own audio, the question once, in every export."""
    need("espeak-ng")
    audio, reference = recording(HOA, (ASKS, TELLS), seed=21)
    wav = tmp_path / "hoa.wav"
    pcm = (audio * 32768).astype(np.int16)
    wav.write_bytes(wavstream.complete_wav(wavstream.WavFormat(RATE, 1), pcm.tobytes()))
    (ready_study.root / "participants" / "Peony").mkdir()
    assert fv("import", str(ready_study.root), "Peony", str(wav)).returncode == 0
    done = fv("transcribe", str(ready_study.root))
    assert done.returncode == 0, done.stderr
    (session,) = [p.name for p in (ready_study.root / "participants" / "Peony").iterdir() if p.is_dir()]
    shown = fv("decrypt", str(ready_study.root), f"participants/Peony/{session}/{TRANSCRIPT}", "--out", "-")
    segments = Transcript.from_json(shown.stdout.encode()).segments
    assert copies.in_transcript(segments) == []
    her_end, asked = reference[3][1], reference[4][0]  # 24.0 s, 24.5 s
    hers = [w for s in segments for w in s.words if 21.5 <= w.start < her_end]
    assert len(hers) >= 3 and not any("how" in w.text.lower() for w in hers), hers
    assert [s.start for s in segments if QUESTION in s.text.lower()] == [pytest.approx(asked, abs=0.6)]
    for fmt in ("txt", "srt", "vtt", "qdpx"):
        text = re.sub(r"[^\w' ]+", " ", _exported(ready_study, fmt, tmp_path / f"out-{fmt}").lower())
        assert " ".join(text.split()).count(QUESTION) == 1, (fmt, text)
