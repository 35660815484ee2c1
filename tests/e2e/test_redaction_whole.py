"""Proposals over a real transcript as Whisper cuts it: espeak speech with pauses where people pause (after a
name cue, inside a phone number), transcribed by tiny.en, proposed over the whole transcript (QA C2, C4)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from fieldvault.redact.review import propose
from fieldvault.study import Study
from fieldvault.transcribe.backend import Options, load_backend
from fieldvault.transcribe.models import resolve
from fieldvault.transcribe.pipeline import Job, transcribe_session
from tests.conftest import PASSPHRASE
from tests.e2e.conftest import speech
from tests.e2e.test_transcribe import _store_recording

pytestmark = pytest.mark.slow

SAID = [
    "The girl who helped me was named",
    "Blessing. Blessing got me out of there.",
    "My phone number is nine one six",
    "five five five oh one four two.",
]
PAUSE = 1.2  # seconds: voice activity cuts the speech here, so each piece is a segment of its own


def test_a_name_after_its_cue_and_a_phone_number_over_a_pause_are_proposed(study: Study, tmp_path: Path) -> None:
    pieces = []
    for number, text in enumerate(SAID):
        pieces += [speech(tmp_path / f"{number}.wav", text), np.zeros(int(PAUSE * 16000), dtype=np.int16)]
    folder = _store_recording(study, "Rose", np.concatenate(pieces))
    identities = study.unlock(PASSPHRASE.encode())
    model = resolve("tiny.en")
    transcript = transcribe_session(
        study, Job("Rose", folder.name, folder), identities, load_backend("faster-whisper", model), model, Options(),
        diarization=None,
    )  # fmt: skip
    texts = [s.text for s in transcript.segments]
    cue = next(n for n, t in enumerate(texts) if "named" in t.lower())
    assert not re.search(r"blessing", texts[cue], re.I), texts  # Whisper cut between the cue and the name
    phone = next(n for n, t in enumerate(texts) if "number" in t.lower())
    assert phone + 1 < len(texts) and re.search(r"\d|five", texts[phone + 1], re.I), texts  # and inside the number
    doc = propose(transcript, [])
    for span in doc.spans:
        assert texts[span.segment][span.start : span.end] == span.text
    names = [s for s in doc.spans if s.segment == cue + 1 and s.text.lower() == "blessing"]
    assert names and {s.label for s in names} == {"PERSON"}, (texts, doc.spans)
    for segment in (phone, phone + 1):  # every digit said, in whatever form tiny.en wrote it
        numbers = re.finditer(r"\d+|\b(?:one|two|three|four|five|six|seven|eight|nine|oh|zero)\b", texts[segment], re.I)
        for digit in numbers:
            covering = [s for s in doc.spans if s.segment == segment and s.start <= digit.start() < s.end]
            assert covering, (texts[segment], doc.spans)
    parts = {s.part for s in doc.spans if s.segment in (phone, phone + 1)}
    assert len(parts) == 1 and None not in parts  # one phone number, decided as one
