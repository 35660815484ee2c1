"""A sentence Whisper wrote twice over two stretches of audio (QA D9) is written only where its stretch, decoded
alone, says it; elsewhere what that decode hears, or [inaudible]. Hand-made decoder output; the real tiny.en run
is tests/e2e/test_copied_sentences.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from fieldvault.transcribe import copies
from fieldvault.transcribe.backend import Clip, Options, Piece
from fieldvault.transcribe.pipeline import checked_segments
from fieldvault.transcript import INAUDIBLE, Word

QUESTION = "How did you get out?"


def _words(text: str, start: float, step: float = 0.4) -> tuple[Word, ...]:
    return tuple(
        Word(round(start + i * step, 3), round(start + i * step + step * 0.8, 3), f" {w}", 0.9)
        for i, w in enumerate(text.split())
    )


def _piece(*parts: tuple[str, float]) -> Piece:
    words = tuple(w for text, start in parts for w in _words(text, start))
    return Piece(words[0].start, words[-1].end, " ".join(t for t, _ in parts), words, -0.2, 1.3, 0.01)


class SoloBackend:
    """Decodes a clip alone as ``hear`` says the audio between its ends sounds."""

    name = "solo"
    encoder_window = "30 s"

    def __init__(self, hear: Callable[[Clip], list[Piece]]) -> None:
        self.hear = hear
        self.asked: list[Clip] = []

    def decode(self, audio: np.ndarray, batch: Sequence[Clip], options: Options) -> list[list[Piece]]:
        self.asked += batch
        return [self.hear(clip) for clip in batch]

    def decode_again(self, audio: np.ndarray, clip: Clip, options: Options) -> list[Piece]:
        raise AssertionError("no loop here")

    def detect_language(self, audio: np.ndarray) -> str:
        raise AssertionError("the language is known here")


def _d9() -> list[tuple[Clip, list[Piece]]]:
    """QA D9's clip as tiny.en decoded it: her sentence before the question, then the question twice, the first
    copy aligned over her "Oksana from Chisinau was there too." (21.9-24.0 s), the second where it was asked."""
    return [(Clip(17.0, 26.0), [_piece(("Xiaomei held my hand.", 17.5), (QUESTION, 21.9), (QUESTION, 24.5))])]


def _her_words(clip: Clip) -> list[Piece]:
    heard = [("Oksana from Chisinau was there too.", 21.9)] if clip.start < 23.0 else [(QUESTION, 24.5)]
    return [_piece(*heard)]


def test_a_copy_of_the_next_sentence_is_replaced_by_what_its_own_audio_says() -> None:
    backend = SoloBackend(_her_words)
    found = checked_segments(np.zeros(0), _d9(), backend, Options())
    text = " ".join(s.text for s in found)
    assert text.count(QUESTION) == 1 and "Oksana from Chisinau was there too." in text
    (question,) = [s for s in found if s.text == QUESTION]
    assert question.start == 24.5  # the one where it was asked stays
    her = [s for s in found if "Oksana" in s.text]
    assert her and her[0].start >= 21.9 and her[0].end <= 24.5
    # each copy decoded alone, over its own stretch: never across the middle of the gap between the two
    assert [(c.start, c.end) for c in backend.asked] == [(20.46, 24.16), (24.16, 28.42)]


def test_a_copy_whose_audio_says_nothing_is_marked_inaudible_never_kept() -> None:
    found = checked_segments(np.zeros(0), _d9(), SoloBackend(lambda clip: [] if clip.start < 23 else [
        _piece((QUESTION, 24.5))]), Options())  # fmt: skip
    assert " ".join(s.text for s in found).count(QUESTION) == 1
    (mark,) = [s for s in found if INAUDIBLE in s.flags]
    assert mark.text == "[inaudible 00:00:21]" and mark.start == 21.9


def test_a_sentence_said_twice_stays_twice() -> None:
    """Somebody repeating herself: each stretch, decoded alone, says it again; both are kept."""
    said = [(Clip(0.0, 9.0), [_piece(("I said no.", 1.0), ("I said no.", 4.0))])]
    backend = SoloBackend(lambda clip: [_piece(("I said no.", 1.0 if clip.start < 2.5 else 4.0))])
    found = checked_segments(np.zeros(0), said, backend, Options())
    assert [w.start for s in found for w in s.words if "said" in w.text] == [1.4, 4.4]
    assert len(backend.asked) == 2


def test_only_sentences_alike_to_a_neighbour_are_checked() -> None:
    backend = SoloBackend(lambda clip: [])
    plain = [(Clip(0.0, 9.0), [_piece(("I went home.", 1.0), ("Then I called my aunt.", 3.0))])]
    found = checked_segments(np.zeros(0), plain, backend, Options())
    assert " ".join(s.text for s in found) == "I went home. Then I called my aunt." and backend.asked == []
    twice = copies.sentences([(Clip(0, 9), [_piece(("How did you get out?", 1.0), ("How'd you get out?", 4.0))])])
    assert copies.copied(twice) == [0, 1]  # a misheard word in the copy is still a copy
    apart = copies.sentences([(Clip(0, 9), [_piece(("Yes.", 1.0), ("It was him.", 2.0), ("Yes.", 4.0))])])
    assert copies.copied(apart) == []  # the same answer to two questions is not beside itself


def test_a_copy_in_another_clip_is_found_too() -> None:
    """The two copies need not be one decode's: the sentences of all clips are compared in time order."""
    decoded = [(Clip(17.0, 24.2), [_piece(("Xiaomei held my hand.", 17.5), (QUESTION, 21.9))]),
               (Clip(24.3, 26.0), [_piece((QUESTION, 24.5))])]  # fmt: skip
    found = checked_segments(np.zeros(0), decoded, SoloBackend(_her_words), Options())
    assert " ".join(s.text for s in found).count(QUESTION) == 1
