"""Clips to decode: stretches of speech grouped into windows Whisper can take (at most 30 s), and the
speech a decoded clip did not reach, to decode again.

Clips never span a long silence, so no text is carried from one stretch of talk into the next.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from fieldvault.transcribe.backend import Clip, Piece
from fieldvault.transcribe.voice import Region
from fieldvault.transcript import Word

RATE = 16000
FRAME_SECONDS = 512 / RATE  # one VAD probability per 32 ms
CUT_SEARCH = 5.0  # seconds before a clip's limit searched for the quietest moment to cut a long stretch
MAX_CLIP = 20.0  # seconds: shorter windows lose less when Whisper stops a window early
JOIN_GAP = 2.0  # stretches closer than this share a clip; a longer pause starts a new one
MISSED = 0.8  # seconds of speech after a clip's last word that count as missed, not as a breath
SKIPPED = 1.5  # a silence between two words this long...
SKIPPED_SPEECH = 1.0  # ...holding this much voice activity is a sentence Whisper jumped over
QUIET_PEAK = 10 ** (-12 / 20)  # clips peaking below -12 dBFS are raised...
TARGET_PEAK = 10 ** (-3 / 20)  # ...to peak at -3 dBFS...
MAX_GAIN = 10 ** (40 / 20)  # ...by at most 40 dB
LONG_WORD = 2.0  # seconds: a "word" this long over speech is the aligner covering skipped words
OUTSIDE = 0.5  # seconds a word may reach past its clip's ends before its times are not believed
REPEATED_WORDS = 4  # the same text of at least this many words, decoded twice over the same audio, is kept once
HEARD_GAP = 0.5  # seconds: words closer than this are one stretch of decoded audio (no later decode adds to it)
EDGE = 0.01  # seconds: clip times are rounded to the millisecond, a retry may start a hair before its clip


def _quietest(probabilities: np.ndarray, start: float, end: float) -> float:
    """The least speech-like 32 ms frame between ``start`` and ``end`` (seconds)."""
    first, last = int(start / FRAME_SECONDS), int(end / FRAME_SECONDS)
    window = probabilities[first:last]
    return (first + int(np.argmin(window))) * FRAME_SECONDS + FRAME_SECONDS / 2 if len(window) else end


def plan(
    speech: Sequence[Region], probabilities: np.ndarray, limit: float = MAX_CLIP, apart: Sequence[float] = ()
) -> list[Clip]:
    """Clips of at most ``limit`` seconds; a longer stretch without a pause is cut at its quietest moment
    in the last few seconds before the limit (a breath between words, not the middle of one). Stretches
    less than JOIN_GAP apart share a clip, unless a moment of ``apart`` lies between them."""
    clips: list[Clip] = []
    for region in speech:
        start = region.start
        while region.end - start > limit:
            cut = round(_quietest(probabilities, start + limit - CUT_SEARCH, start + limit), 3)
            clips.append(Clip(start, cut))
            start = cut
        if (
            clips
            and start - clips[-1].end < JOIN_GAP
            and region.end - clips[-1].start <= limit
            and not any(clips[-1].end <= at <= start for at in apart)
        ):
            clips[-1] = Clip(clips[-1].start, region.end)
        else:
            clips.append(Clip(start, region.end))
    return clips


def level(audio: np.ndarray, clips: Sequence[Clip]) -> list[Clip]:
    """The clips, quiet ones with the gain that raises them to a normal speaking level: Whisper's log-mel input
    is not level-free, and tiny models mishear speech peaking at -30 dBFS that they get right at -3 dBFS. The
    audio is not changed (diarization reads the recording as it is while the clips are decoded)."""
    out = []
    for clip in clips:
        part = audio[int(clip.start * RATE) : int(clip.end * RATE)]
        peak = float(np.abs(part).max()) if len(part) else 0.0
        out.append(replace(clip, gain=min(TARGET_PEAK / peak, MAX_GAIN)) if 0 < peak < QUIET_PEAK else clip)
    return out


def _speech_within(start: float, end: float, speech: Sequence[Region]) -> list[Region]:
    return [Region(max(r.start, start), min(r.end, end)) for r in speech if r.end > start and r.start < end]


def _cut(words: Sequence[Word], speech: Sequence[Region]) -> float | None:
    """Where the words stop following the audio: a long silence between two words that holds speech, or
    one word stretched over seconds of speech (the aligner's trace of a sentence Whisper jumped over)."""
    for before, word in itertools.pairwise(words):
        gap = _speech_within(before.end + 0.1, word.start - 0.1, speech)
        if word.start - before.end >= SKIPPED and sum(r.length for r in gap) >= SKIPPED_SPEECH:
            return before.end
    for word in words:
        inside = _speech_within(word.start, word.end, speech)
        if word.end - word.start >= LONG_WORD and sum(r.length for r in inside) >= SKIPPED_SPEECH:
            return word.start
    return None


def keeping(piece: Piece, words: tuple[Word, ...]) -> Piece | None:
    """``piece`` with only ``words`` (some of its own, in order): its text and times follow them; the piece itself
    when all are kept, None when none is."""
    if words == piece.words:
        return piece
    if not words:
        return None
    text = "".join(w.text for w in words).strip()
    return replace(piece, start=max(piece.start, words[0].start), end=words[-1].end, text=text, words=words)


def _before(piece: Piece, cut: float) -> Piece | None:
    words = tuple(w for w in piece.words if w.start < cut)
    if not words:
        return None
    text = "".join(w.text for w in words).strip()
    return replace(piece, end=min(piece.end, words[-1].end), text=text, words=words)


def _lead_in_missing(clip: Clip, first: Word, speech: Sequence[Region]) -> list[Region]:
    head = _speech_within(clip.start, first.start - 0.2, speech)
    if first.start - clip.start >= SKIPPED and sum(r.length for r in head) >= SKIPPED_SPEECH:
        return head
    return []


def late(clip: Clip, pieces: Sequence[Piece]) -> bool:
    """Whether a clip's words start SKIPPED seconds or more after it (a clip starts where speech starts):
    either Whisper skipped a sentence, or the aligner misplaced what Whisper wrote."""
    starts = [w.start for p in pieces for w in p.words]
    return bool(starts) and min(starts) - clip.start >= SKIPPED


def misaligned(clip: Clip, pieces: Sequence[Piece]) -> bool:
    """Whether a word starts outside its clip, which no word said in it can."""
    return any(not clip.start - OUTSIDE <= w.start <= clip.end + OUTSIDE for p in pieces for w in p.words)


def head(clip: Clip, pieces: Sequence[Piece]) -> Clip:
    """The part of a clip before its first word."""
    return replace(clip, end=round(min(w.start for p in pieces for w in p.words), 3))


def repeats(before: Sequence[Piece], pieces: Sequence[Piece]) -> bool:
    """Whether the speech before a clip's first word, decoded alone, begins with the clip's text (the words
    were Whisper's first sentence, placed seconds late)."""
    first, again = [w for p in pieces for w in _said(p)], [w for p in before for w in _said(p)]
    return len(first) >= 2 and again[: min(len(first), REPEATED_WORDS)] == first[:REPEATED_WORDS]


def inside(clip: Clip, pieces: Sequence[Piece]) -> list[Piece]:
    """The pieces whose words all start within their clip (a piece without words is kept)."""
    return [p for p in pieces if all(clip.start - OUTSIDE <= w.start <= clip.end + OUTSIDE for w in p.words)]


def _said(piece: Piece) -> tuple[str, ...]:
    return tuple(w for w in (re.sub(r"[^\w']", "", w.lower()) for w in piece.text.split()) if w)


def unrepeated(decoded: Sequence[tuple[Clip, list[Piece]]]) -> list[tuple[Clip, list[Piece]]]:
    """Decoded clips with a piece dropped where it repeats, word for word, a piece of an earlier clip over
    the same audio (a retry is part of the clip it retries): one sentence must not be written twice."""
    out: list[tuple[Clip, list[Piece]]] = []
    for clip, pieces in decoded:
        seen = {_said(p) for c, ps in out if c.start < clip.end and clip.start < c.end for p in ps}
        out.append((clip, [p for p in pieces if len(_said(p)) < REPEATED_WORDS or _said(p) not in seen]))
    return out


def covers(outer: Clip, inner: Clip) -> bool:
    """Whether ``inner`` lies within ``outer`` (a retry lies within the clip it retries)."""
    return outer.start - EDGE <= inner.start and inner.end <= outer.end + EDGE


def _heard(pieces: Sequence[Piece]) -> list[tuple[float, float]]:
    """The stretches the words of ``pieces`` cover, words less than HEARD_GAP apart joined."""
    stretches: list[tuple[float, float]] = []
    for word in sorted((w for p in pieces for w in p.words), key=lambda w: w.start):
        if stretches and word.start - stretches[-1][1] < HEARD_GAP:
            stretches[-1] = (stretches[-1][0], max(stretches[-1][1], word.end))
        else:
            stretches.append((word.start, word.end))
    return stretches


def once(decoded: Sequence[tuple[Clip, list[Piece]]]) -> list[tuple[Clip, list[Piece]]]:
    """Decoded clips with every word dropped whose middle lies in a stretch an earlier clip's words cover
    (QA C9: a clip decoded again as a whole beside the retries of its parts, two copies differing by a
    word, both kept): whatever the text, each stretch of audio is written once, by the first decode of it."""
    out: list[tuple[Clip, list[Piece]]] = []
    heard: list[tuple[float, float]] = []
    for clip, pieces in decoded:
        kept = []
        for piece in pieces:
            words = tuple(w for w in piece.words if not any(a <= (w.start + w.end) / 2 <= b for a, b in heard))
            if (left := keeping(piece, words)) is not None:
                kept.append(left)
        heard += _heard(kept)
        out.append((clip, kept))
    return out


def missed(clip: Clip, pieces: Sequence[Piece], speech: Sequence[Region]) -> tuple[list[Piece], list[Clip]]:
    """The pieces to keep, and the clips to decode again: speech before the first word, and everything
    from the first place the words lost the audio (or after the last word) to the clip's end."""
    words = sorted((w for p in pieces for w in p.words), key=lambda w: w.start)
    if not words:
        return list(pieces), []  # nothing recognisable at all: that is for the inaudible check, not a retry
    again = []
    if head := _lead_in_missing(clip, words[0], speech):
        again.append(replace(clip, start=round(head[0].start, 3), end=round(words[0].start, 3)))
    cut = _cut(words, speech)
    if cut is not None:
        kept = [p for p in (_before(p, cut) for p in pieces) if p is not None]
        return kept, [*again, replace(clip, start=round(cut, 3))]
    rest = _speech_within(words[-1].end + 0.2, clip.end, speech)
    if sum(r.length for r in rest) >= MISSED:
        begin = words[-1].end if rest[0].start <= words[-1].end + 0.2 else rest[0].start
        again.append(replace(clip, start=round(begin, 3)))
    return list(pieces), again
