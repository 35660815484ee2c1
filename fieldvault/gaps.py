"""Where a recording's audio is missing: the timeline's gaps and the marker the transcript shows for each.

A gap is silence of the lost length standing where audio was: blocks the recorder dropped while it stalled
(``dropout``), or chunks that failed authentication and `recover` replaced (``damaged``). The marker names the
stretch, "[audio damaged 00:12:04–00:12:06]", so a transcriber knows what was never heard, and where. A transcript
made before a salvage has no such marker: ``unmarked_damage`` finds the stretches it says nothing about, so the
editor, `check` and exports say so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fieldvault import layout, timecode
from fieldvault.agefile import Identity
from fieldvault.events import Event, load_events
from fieldvault.study import Study
from fieldvault.transcript import GAP, GAP_WORDS, Segment, Transcript


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


def _stretch(gap: Gap) -> str:
    return gap.text.strip("[]").removeprefix(f"{GAP_WORDS[gap.kind]} ")


def unmarked_damage(segments: Sequence[Segment], events: Iterable[Event]) -> list[Gap]:
    """The damaged stretches (`recover` salvaged them) that no marker segment of ``segments`` covers: the audio was
    salvaged after the transcript was made, so its words there were heard before the damage, and listening now
    finds silence."""
    marks = [s for s in segments if GAP in s.flags]
    return [
        g for g in gaps(events) if g.kind == "damaged" and not any(m.start < g.end and g.start < m.end for m in marks)
    ]


def salvaged_after(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> list[Gap]:
    """``unmarked_damage`` of a stored transcript, from its session's timeline."""
    folder = layout.session(study.root, transcript.pseudonym, transcript.session)
    return unmarked_damage(transcript.segments, load_events(study, folder, identities).events)


def salvage_note(found: Sequence[Gap]) -> str:
    """One line on a transcript made before its audio was salvaged, and what to do."""
    stretches = ", ".join(_stretch(g) for g in found)
    return (
        f"the audio was salvaged after this transcript was made: {stretches} is silence now (it failed "
        "authentication) and this transcript does not mark it; its words there were heard before the damage and "
        "cannot be checked by listening: transcribe it again (`fieldvault transcribe --force`) to mark it, or keep "
        "these words"
    )


def salvage_mark(found: Sequence[Gap]) -> str:
    """The same for an export's reader, who cannot transcribe again: what the recording lacks under the words."""
    stretches = ", ".join(_stretch(g) for g in found)
    return f"audio salvaged after it was made: {stretches} silent in the recording, its words heard before the damage"
