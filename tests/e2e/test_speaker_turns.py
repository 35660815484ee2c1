"""Speaker turns on real audio: espeak-ng interviews with two voices and a known text per turn, transcribed
by the real tiny.en and diarized, must give every word of each turn to the one who said it (QA A11: the
last words of a turn went to the next speaker), and mark no crosstalk where nobody overlaps."""

from __future__ import annotations

import difflib
import re

import pytest

from fieldvault.transcribe.backend import Backend, Options, load_backend
from fieldvault.transcribe.models import resolve
from fieldvault.transcribe.pipeline import Diarization, transcribe_mono
from fieldvault.transcript import CROSSTALK, Segment
from tests.conftest import need
from tests.conversation import ANSWERS, QUESTIONS, Spoken, interview

pytestmark = pytest.mark.slow


def _said(spoken: Spoken) -> list[tuple[str, int]]:
    """(word, speaker) of the reference, in order: interview() alternates questions and answers."""
    texts = [QUESTIONS[(i // 2) % len(QUESTIONS)] if i % 2 == 0 else ANSWERS[(i // 2) % len(ANSWERS)]
             for i in range(len(spoken.reference))]  # fmt: skip
    return [
        (_plain(word), who) for text, (_, _, who) in zip(texts, spoken.reference, strict=True) for word in text.split()
    ]


def _plain(word: str) -> str:
    return re.sub(r"[^a-z0-9']", "", word.lower())


def _misplaced(spoken: Spoken, segments: list[Segment]) -> list[str]:
    """The transcript's words (those tiny.en heard as said) whose speaker is not the one who said them.
    The first speaker heard is Speaker 1; the interviewer (reference speaker 0) speaks first."""
    heard = [(_plain(w.text), s.speaker, w) for s in segments for w in s.words]
    said = _said(spoken)
    names = {"Speaker 1": 0, "Speaker 2": 1}
    reverse = {v: k for k, v in names.items()}
    matcher = difflib.SequenceMatcher(None, [w for w, _ in said], [w for w, _, _ in heard], autojunk=False)
    wrong = []
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            _, who = said[block.a + k]
            _, speaker, word = heard[block.b + k]
            if names.get(speaker or "") != who:
                wrong.append(f"{word.text.strip()!r} at {word.start:.2f} s went to {speaker}, said by {reverse[who]}")
    return wrong


@pytest.fixture(scope="module")
def backend() -> Backend:
    need("espeak-ng")
    return load_backend("faster-whisper", resolve("tiny.en"))


@pytest.mark.parametrize(("exchanges", "seed"), [(4, 3), (8, 7)])  # QA A11's two files
def test_every_word_of_a_turn_goes_to_its_speaker(backend: Backend, exchanges: int, seed: int) -> None:
    spoken = interview(exchanges, seed=seed)  # pauses 0.2-0.6 s between turns, nobody overlaps
    segments = transcribe_mono(spoken.samples, backend, Options(), diarization=Diarization())
    words = [w for s in segments for w in s.words]
    assert len(words) > 15 * exchanges  # it was transcribed
    assert _misplaced(spoken, segments) == []
    first = next(s for s in segments if s.words)
    assert first.speaker == "Speaker 1" and CROSSTALK not in first.flags  # alone in the audio (A11)
    assert not any(CROSSTALK in s.flags or "[crosstalk]" in s.text for s in segments)
