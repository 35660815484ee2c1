"""A speaker turn the diarization doubts reaches the transcriber: espeak-ng voices talking over each other,
transcribed by the real tiny.en and diarized, stored as a transcript and opened in the editor (Pilot),
whose rows say which segments have a doubtful speaker and which are crosstalk (issue 11 item 4)."""

from __future__ import annotations

import itertools

import pytest

from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant
from fieldvault.study import Study
from fieldvault.transcribe.backend import Options, load_backend
from fieldvault.transcribe.models import resolve
from fieldvault.transcribe.pipeline import Diarization, transcribe_mono
from fieldvault.transcript import CROSSTALK, SPEAKER_DOUBTFUL, Transcript
from fieldvault.tui.app import make_app
from fieldvault.tui.widgets.transcript_rows import SegmentRow
from tests.conftest import ANSWERS, need
from tests.conversation import interview
from tests.tui.test_editor import SESSION, open_editor

pytestmark = pytest.mark.slow


async def test_a_doubtful_speaker_turn_and_crosstalk_are_flagged_in_the_editor(study: Study) -> None:
    need("espeak-ng")
    spoken = interview(4, overlap=1.0, seed=8)  # the participant's second answer starts 1 s early
    backend = load_backend("faster-whisper", resolve("tiny.en"))
    segments = transcribe_mono(spoken.samples, backend, Options(), diarization=Diarization(2))
    doubtful = [i for i, s in enumerate(segments) if SPEAKER_DOUBTFUL in s.flags]
    crosstalk = [i for i, s in enumerate(segments) if CROSSTALK in s.flags]
    assert doubtful and crosstalk and len(doubtful) < len(segments) / 2
    crossed = [(b[0], a[1]) for a, b in itertools.pairwise(spoken.reference) if b[0] < a[1]]  # 6.69-7.69, 14.81-15.81
    assert all(any(s.start < end + 0.5 and s.end > start - 0.5 for start, end in crossed)
               for s in (segments[i] for i in doubtful))  # fmt: skip
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Rose", ANSWERS, consent, [KnownIdentifier("Marcus")])
    folder = study.root / "participants" / "Rose" / SESSION
    folder.mkdir()
    study.write_new(folder / "audio.wav.age", b"")
    duration = len(spoken.samples) / 16000
    transcript = Transcript("Rose", SESSION, tuple(segments), (), {"name": "tiny.en"}, "faster-whisper", {},
                            duration, 1.0, "now")  # fmt: skip
    study.write_new(folder / "transcript.json.age", transcript.to_json())
    async with make_app(study).run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        shown = [str(row.render()) for row in screen.query(SegmentRow)]
    assert len(shown) == len(segments)
    assert [i for i, text in enumerate(shown) if SPEAKER_DOUBTFUL in text] == doubtful
    assert [i for i, text in enumerate(shown) if "⚑" in text and CROSSTALK in text] == crosstalk
