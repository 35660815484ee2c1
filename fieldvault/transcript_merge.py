"""A three-way merge of transcripts: an editor's changes since the version it opened, put onto the version stored
now (transcribed again with --force, saved in another window, a speaker set in a review screen) (QA E15).

Segments are matched by their times, which neither typing nor a speaker change moves; where both sides changed
the same segment, its fields (text, speaker, words, flags) merge one by one. Whatever both sides changed
differently (the same words, the same speaker, a segment split on one side and retimed on the other, the
markers) is a collision: no merge, and the caller asks the person. Pure: reads and writes nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from fieldvault.redact.review import ProposedSpan
from fieldvault.transcript import Segment, Transcript

MINE, THEIRS = "mine", "theirs"
T = TypeVar("T")


class _Clash(Exception):
    """Both sides changed one value differently."""


@dataclass(frozen=True)
class Merged:
    """The merged transcript, and for each of its segments whose text it took from which side and that side's
    index (the redaction spans over that text come from the same place)."""

    transcript: Transcript
    origins: tuple[tuple[str, int], ...]

    def spans(self, mine: Sequence[ProposedSpan], theirs: Sequence[ProposedSpan]) -> tuple[ProposedSpan, ...]:
        """The redaction spans over the merged text: each segment's from the side its text came from."""
        spans: list[ProposedSpan] = []
        for index, (side, at) in enumerate(self.origins):
            source = mine if side == MINE else theirs
            spans.extend(replace(s, segment=index) for s in source if s.segment == at)
        ordered = sorted(spans, key=lambda s: (s.segment, s.start))
        return tuple(replace(s, id=n) for n, s in enumerate(ordered))


@dataclass(frozen=True)
class Collision:
    """Why no merge: the first segment (1-based, as the editor shows them) both sides changed differently, or
    None for the markers."""

    segment: int | None


def merge(base: Transcript, mine: Transcript, theirs: Transcript) -> Merged | Collision:
    """``mine`` (edited from ``base``) with what ``theirs`` (stored since) changed; the transcription's own
    description (model, settings, version stamp) is theirs."""
    try:
        markers = _one_of(base.markers, mine.markers, theirs.markers)
    except _Clash:
        return Collision(None)
    merged: list[Segment] = []
    origins: list[tuple[str, int]] = []
    for chunk in _chunks(base.segments, mine.segments, theirs.segments):
        placed = _chunk(*chunk)
        if isinstance(placed, Collision):
            return placed
        merged.extend(placed[0])
        origins.extend(placed[1])
    return Merged(replace(theirs, segments=tuple(merged), markers=markers), tuple(origins))


Chunk = tuple[Sequence[Segment], Sequence[Segment], Sequence[Segment], int, int]


def _key(segment: Segment) -> tuple[float, float]:
    return segment.start, segment.end


def _chunks(base: Sequence[Segment], mine: Sequence[Segment], theirs: Sequence[Segment]) -> list[Chunk]:
    """The three sequences cut where all three agree on a segment's times (diff3's stable points), each piece
    with where it starts in mine and in theirs."""
    to_mine, to_theirs = _matches(base, mine), _matches(base, theirs)
    chunks: list[Chunk] = []
    b = m = t = 0
    for i in range(len(base)):
        if to_mine.get(i) is None or to_theirs.get(i) is None or to_mine[i] < m or to_theirs[i] < t:
            continue
        j, k = to_mine[i], to_theirs[i]
        if (b, m, t) != (i, j, k):  # what lies between the stable points before and this one
            chunks.append((base[b:i], mine[m:j], theirs[t:k], m, t))
        chunks.append((base[i : i + 1], mine[j : j + 1], theirs[k : k + 1], j, k))
        b, m, t = i + 1, j + 1, k + 1
    if (b, m, t) != (len(base), len(mine), len(theirs)):
        chunks.append((base[b:], mine[m:], theirs[t:], m, t))
    return chunks


def _matches(base: Sequence[Segment], other: Sequence[Segment]) -> dict[int, int]:
    matcher = difflib.SequenceMatcher(None, [_key(s) for s in base], [_key(s) for s in other], autojunk=False)
    return {a + n: b + n for a, b, size in matcher.get_matching_blocks() for n in range(size)}


def _chunk(
    base: Sequence[Segment], mine: Sequence[Segment], theirs: Sequence[Segment], at_mine: int, at_theirs: int
) -> tuple[list[Segment], list[tuple[str, int]]] | Collision:
    mine_whole = [(MINE, at_mine + n) for n in range(len(mine))]
    if list(mine) == list(base) or list(mine) == list(theirs):
        return list(theirs), [(THEIRS, at_theirs + n) for n in range(len(theirs))]
    if list(theirs) == list(base):
        return list(mine), mine_whole
    if not (len(base) == len(mine) == len(theirs) == 1):  # split, merged or retimed on both sides
        return Collision(at_mine + 1)
    try:
        segment = _fields(base[0], mine[0], theirs[0])
    except _Clash:
        return Collision(at_mine + 1)
    side = (MINE, at_mine) if segment.text == mine[0].text else (THEIRS, at_theirs)
    return [segment], [side]


def _fields(base: Segment, mine: Segment, theirs: Segment) -> Segment:
    """One segment both sides changed: each field from whichever side changed it. Words go with the text they
    time, so text and words merge as one."""
    text, words = _one_of((base.text, base.words), (mine.text, mine.words), (theirs.text, theirs.words))
    return Segment(
        start=_one_of(base.start, mine.start, theirs.start),
        end=_one_of(base.end, mine.end, theirs.end),
        text=text,
        speaker=_one_of(base.speaker, mine.speaker, theirs.speaker),
        words=words,
        flags=_one_of(base.flags, mine.flags, theirs.flags),
    )


def _one_of(base: T, mine: T, theirs: T) -> T:
    """Whichever side changed the value, or the value both agree on; _Clash when both changed it differently."""
    if mine == base or mine == theirs:
        return theirs
    if theirs == base:
        return mine
    raise _Clash
