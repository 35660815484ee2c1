"""Sentences Whisper wrote twice over two stretches of audio (QA D9: her last sentence before a question came out
as a copy of that question, "How did you get out?" twice, her "Oksana from Chisinau was there too." lost).

A sentence alike to the one beside it is checked by decoding its own stretch of audio alone: where that decode
hears it again it stays (somebody said it twice); elsewhere what the decode hears replaces it, or, hearing
nothing, ``[inaudible hh:mm:ss]``. A copy is never kept and a stretch is never dropped silently. Pure rules
here; the decoding is the pipeline's.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fieldvault.transcribe.backend import Clip, Piece
from fieldvault.transcribe.clips import keeping
from fieldvault.transcribe.fidelity import SPLIT_GAP
from fieldvault.transcript import Segment, Word

SIMILAR = 0.8  # two sentences whose letters match this well are one text (a word misheard in a copy)...
SHORT = 10  # ...unless one is shorter than this (letters and spaces): "Yes." and "Yes, yes." are not
REACH = 2.0  # s: a stretch decoded alone reaches at most this far past its sentence, never past the middle of the
# gap to the sentence beside it (whose words are another stretch's)
ENDS = (".", "?", "!")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a decoded clip: ``words``, from word ``first`` of piece ``piece`` of clip ``clip``."""

    clip: int
    piece: int
    first: int
    words: tuple[Word, ...]

    @property
    def start(self) -> float:
        return self.words[0].start

    @property
    def end(self) -> float:
        return self.words[-1].end


def said(words: Sequence[Word]) -> tuple[str, ...]:
    """The words as said: lower case, punctuation left out."""
    return tuple(t for t in (re.sub(r"[^\w']", "", w.text.lower()) for w in words) if t)


def alike(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two sentences' words are one text: the same, or (SHORT letters or more) all but a misheard bit."""
    if not a or not b:
        return False
    one, other = " ".join(a), " ".join(b)
    return one == other or (
        min(len(one), len(other)) >= SHORT
        and difflib.SequenceMatcher(None, one, other, autojunk=False).ratio() >= SIMILAR
    )


def sentences(decoded: Sequence[tuple[Clip, Sequence[Piece]]]) -> list[Sentence]:
    """Every decoded piece's words cut into sentences (at a sentence end, or a pause of SPLIT_GAP), in time order."""
    out = []
    for k, (_, pieces) in enumerate(decoded):
        for j, piece in enumerate(pieces):
            first = 0
            for n, word in enumerate(piece.words):
                if n > first and word.start - piece.words[n - 1].end >= SPLIT_GAP:
                    out.append(Sentence(k, j, first, piece.words[first:n]))
                    first = n
                if word.text.rstrip().endswith(ENDS):
                    out.append(Sentence(k, j, first, piece.words[first : n + 1]))
                    first = n + 1
            if first < len(piece.words):
                out.append(Sentence(k, j, first, piece.words[first:]))
    return sorted((s for s in out if said(s.words)), key=lambda s: (s.start, s.end))


def copied(found: Sequence[Sentence]) -> list[int]:
    """The sentences (indices into ``found``) alike to the one before or after them over another stretch of time."""

    def twins(a: Sentence, b: Sentence) -> bool:
        return min(a.end, b.end) <= max(a.start, b.start) and alike(said(a.words), said(b.words))

    return [
        i
        for i, s in enumerate(found)
        if (i > 0 and twins(found[i - 1], s)) or (i + 1 < len(found) and twins(s, found[i + 1]))
    ]


def in_transcript(segments: Sequence[Segment]) -> list[Sentence]:
    """A transcript's sentences alike to the one beside them over another stretch (for the benches and tests:
    the pipeline leaves none but those said twice)."""
    pieces = [Piece(s.start, s.end, s.text, s.words, 0.0, 0.0, 0.0) for s in segments if s.words]
    found = sentences([(Clip(0.0, 0.0), pieces)])
    return [found[i] for i in copied(found)]


def stretch(found: Sequence[Sentence], i: int) -> tuple[float, float]:
    """The audio to decode a sentence of ``found`` alone from: its words' time, widened up to REACH seconds
    either side, never past the middle of the gap to the sentence before or after it."""
    s = found[i]
    start, end = max(0.0, s.start - REACH), s.end + REACH
    if i > 0:
        start = max(start, min(s.start, (found[i - 1].end + s.start) / 2))
    if i + 1 < len(found):
        end = min(end, max(s.end, (s.end + found[i + 1].start) / 2))
    return round(start, 3), round(end, 3)


def heard_again(sentence: Sentence, words: Sequence[Word]) -> bool:
    """Whether ``words`` (its stretch decoded alone) say the sentence: some run of them is alike to it."""
    own, again = said(sentence.words), said(words)
    return any(
        alike(own, again[i : i + n])
        for n in {len(own) - 1, len(own), len(own) + 1} - {0}
        for i in range(max(1, len(again) - n + 1))
    )


def without(
    decoded: Sequence[tuple[Clip, Sequence[Piece]]], dropped: Sequence[Sentence]
) -> list[tuple[Clip, list[Piece]]]:
    """The decoded clips with the words of ``dropped`` taken out of their pieces (a piece left wordless goes)."""
    out = []
    for k, (clip, pieces) in enumerate(decoded):
        kept = []
        for j, piece in enumerate(pieces):
            gone = {s.first + n for s in dropped if (s.clip, s.piece) == (k, j) for n in range(len(s.words))}
            if (left := keeping(piece, tuple(w for n, w in enumerate(piece.words) if n not in gone))) is not None:
                kept.append(left)
        out.append((clip, kept))
    return out
