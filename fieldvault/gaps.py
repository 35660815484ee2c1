"""Where a recording's audio is missing: the timeline's gaps and the marker the transcript shows for each.

A gap is silence of the lost length standing where audio was: blocks the recorder dropped while it stalled
(``dropout``), or chunks that failed authentication and `recover` replaced (``damaged``). The marker names the
stretch, "[audio damaged 00:12:04–00:12:06]", so a transcriber knows what was never heard, and where.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fieldvault import timecode
from fieldvault.events import Event
from fieldvault.transcript import GAP, GAP_WORDS, Segment


@dataclass(frozen=True)
class Gap:
    start: float
    end: float
    kind: str  # a key of GAP_WORDS

    @property
    def text(self) -> str:
        """Whole seconds that cover the stretch: its start rounded down, its end up."""
        first = timecode.clock(math.floor(self.start), digits=0)
        last = timecode.clock(math.ceil(self.end), digits=0)
        return f"[{GAP_WORDS[self.kind]} {first}–{last}]"


def gaps(events: Iterable[Event]) -> list[Gap]:
    return sorted(
        (Gap(e.at, round(e.at + e.length, 3), e.kind) for e in events if e.kind in GAP_WORDS and e.length),
        key=lambda g: g.start,
    )


def with_gaps(segments: Sequence[Segment], events: Iterable[Event]) -> list[Segment]:
    """The segments with a marker segment (flagged GAP) at each gap, in time order."""
    marks = [Segment(g.start, g.end, g.text, flags=(GAP,)) for g in gaps(events)]
    return sorted([*segments, *marks], key=lambda s: (s.start, s.end))
