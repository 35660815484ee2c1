"""Clips to decode: stretches of speech grouped into windows Whisper can take (at most 30 s), and the
speech a decoded clip did not reach, to decode again.

Clips never span a long silence, so no text is carried from one stretch of talk into the next.
"""

from __future__ import annotations

from collections.abc import Sequence

from fieldvault.transcribe.backend import Clip, Piece
from fieldvault.transcribe.voice import Region

MAX_CLIP = 20.0  # seconds: shorter windows lose less when Whisper stops a window early
JOIN_GAP = 2.0  # stretches closer than this share a clip; a longer pause starts a new one
MISSED = 0.8  # seconds of speech after a clip's last word that count as missed, not as a breath


def plan(speech: Sequence[Region], limit: float = MAX_CLIP) -> list[Clip]:
    clips: list[Clip] = []
    for region in speech:
        start = region.start
        while region.end - start > limit:  # one long stretch without a pause: cut it evenly
            parts = int((region.end - start) // limit) + 1
            step = (region.end - start) / parts
            clips.append(Clip(start, start + step))
            start += step
        if clips and start - clips[-1].end < JOIN_GAP and region.end - clips[-1].start <= limit:
            clips[-1] = Clip(clips[-1].start, region.end)
        else:
            clips.append(Clip(start, region.end))
    return clips


def missed(clip: Clip, pieces: Sequence[Piece], speech: Sequence[Region]) -> Clip | None:
    """The rest of ``clip`` when its words stop well before the speech in it does."""
    words = [w for p in pieces for w in p.words]
    if not words:
        return None  # nothing recognisable at all: that is for the inaudible check, not a retry
    reached = max(w.end for w in words)
    rest = [
        Region(max(r.start, reached), min(r.end, clip.end))
        for r in speech
        if r.end > reached + 0.2 and r.start < clip.end
    ]
    if sum(r.length for r in rest) < MISSED:
        return None
    return Clip(round(rest[0].start, 3), clip.end)
