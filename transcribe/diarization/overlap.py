"""Two voices at once, heard by pyannote's segmentation-3.0 (segmentation.py, run by onnxruntime), and the turn
it gives a voice said under another's.

The embedding diarizer labels each moment with one speaker, so it marks overlap only where the speaker changes
with no pause (turns.py). A question said wholly under the participant's speech never changes the speaker: on
QA C24's recording (the interviewer 14 dB quieter than the participant, "So what did you do next?" over her
last words and the start of her next line) the window there is still 0.60 like her and only 0.28 like the
interviewer. segmentation-3.0 is trained to hear two voices at once: it finds that question (41.29-42.67 s) and
the 1 s crosstalks of the bench's espeak interviews, and nothing on its interviews without overlap.

The model runs on 10 s chunks every 4.995 s (296 of its 16.875 ms frames, so the chunks' frames fall on one
grid); each frame's probability of two speakers at once is the mean over the chunks that hear it. A stretch
where it is over TWO_VOICES for at least MIN_OVERLAP seconds is overlapped speech. It also checks turns.py's
crosstalk, a change of speaker with no pause: where it hears one voice all around such a change, there is none
(one_voice_changes). Deterministic: the same audio gives the same stretches.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import onnxruntime

from fieldvault.transcribe.diarization import onnxgraph, segmentation, weights
from fieldvault.transcribe.diarization.turns import Turn
from fieldvault.transcribe.threads import one_blas_thread

TWO_VOICES = 0.5  # the probability of two speakers at once over which a frame is overlapped speech
MIN_OVERLAP = 0.2  # s: a shorter overlapped stretch is left out
HOP_FRAMES = 296  # output frames from one chunk to the next (4.995 s): each frame heard by two chunks
NEAR_CHANGE = 0.5  # s: an overlapped stretch this near another speaker's turn is crosstalk at a change (turns.py)
ONE_VOICE = 0.1  # ...and under which all around a change of speaker, one voice is heard there: hoa.wav's false
# change 0.015; real crosstalk the model misses scores more (0.23, 0.40 on pyannote's real sample), espeak's 0.95-0.99
CHANGE_REACH = 0.5  # s either side of a change of speaker with no pause searched for two voices (turns._CROSSTALK)
ISLAND = 1.0  # s: at most this much of another speaker inside one speaker's talk, at a change with one voice, is hers
SURE_UNDER = 0.9  # a voice under one speaker's talk, with no change of speaker, peaks at this probability of two voices
# or more: clean espeak answers with nobody under them peaked at 0.72-0.88 in 0.36-0.47 s (QA F1's rest: "[crosstalk]"
# on her first answer of hoa.wav and G7's file, at the same phrase); questions and "Mm-hm"s under her talk at the same
# level to 14 dB quieter at 0.94-0.99; at 20 dB quieter (0.53, 0.62) they are no longer marked
TOUCH = 0.05  # s: turns this close follow one another with no pause (speakers.TOUCH)
_UNSURE_CHOICE = 0.25  # the confidence of a turn whose speaker was one of several others (speakers.UNSURE: flagged)
_BATCH = 4
_STEP = segmentation.FRAME_STEP / segmentation.RATE  # s per output frame
_CENTRE = segmentation.FRAME_SIZE / 2 / segmentation.RATE  # s from a frame's start to its centre


def _session() -> onnxruntime.InferenceSession:
    return onnxgraph.session(segmentation.build(weights.load(weights.OVERLAP)))


def two_voices(
    samples: np.ndarray,
    progress: Callable[[float], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> np.ndarray | None:
    """Per output frame (16.875 ms, frame k centred at k * 0.016875 + 0.031 s) of 16 kHz mono ``samples``: the
    probability that two people talk at once. None if cancelled (polled between batches of chunks)."""
    one_blas_thread()
    session = _session()
    hop = HOP_FRAMES * segmentation.FRAME_STEP
    per_chunk = segmentation.frames(segmentation.CHUNK)
    starts = list(range(0, max(len(samples) - segmentation.CHUNK, 0) + hop, hop))
    total = starts[-1] // segmentation.FRAME_STEP + per_chunk
    summed, heard = np.zeros(total, np.float64), np.zeros(total, np.int32)
    for first in range(0, len(starts), _BATCH):
        if cancelled():
            return None
        batch = starts[first : first + _BATCH]
        chunks = np.zeros((len(batch), 1, segmentation.CHUNK), np.float32)
        for row, start in enumerate(batch):
            piece = samples[start : start + segmentation.CHUNK]
            chunks[row, 0, : len(piece)] = piece
        both = np.exp(session.run(None, {"waveform": chunks})[0])[:, :, segmentation.TWO_AT_ONCE].sum(axis=2)
        for row, start in enumerate(batch):
            at = start // segmentation.FRAME_STEP
            summed[at : at + per_chunk] += both[row]
            heard[at : at + per_chunk] += 1
        progress(min(1.0, (first + len(batch)) / len(starts)))
    end = min(total, int(np.ceil(len(samples) / segmentation.FRAME_STEP)))
    return (summed[:end] / np.maximum(heard[:end], 1)).astype(np.float32)


def stretches(probabilities: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds of each run of frames over TWO_VOICES at least MIN_OVERLAP long."""
    edges = np.flatnonzero(np.diff(np.r_[0, (probabilities > TWO_VOICES).astype(np.int8), 0]))
    out = []
    for first, end in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        start_s = first * _STEP + _CENTRE - _STEP / 2
        end_s = (end - 1) * _STEP + _CENTRE + _STEP / 2
        if end_s - start_s >= MIN_OVERLAP:
            out.append((round(start_s, 2), round(end_s, 2)))
    return out


def under(turns: Sequence[Turn], found: Sequence[tuple[float, float]], probabilities: np.ndarray) -> list[Turn]:
    """``turns`` with a turn, marked overlap, for the other speaker of each overlapped stretch that lies inside one
    speaker's talk with no change of speaker, peaking at SURE_UNDER or more: it touches that speaker's turns only,
    none marked overlap, and no other speaker's turn comes within NEAR_CHANGE of it (crosstalk at a change is
    turns.py's, left as it is). The other speaker is the one whose turn is nearest in time (in an interview, the one
    she talks with); its confidence is the stretch's mean probability of two voices, held under the doubtful level
    where three or more speakers leave the choice open. With one speaker found there is no other to give it to:
    nothing is added."""
    speakers = sorted({t.speaker for t in turns})
    if len(speakers) < 2:
        return list(turns)
    added = []
    for start, end in found:
        inside = [t for t in turns if t.start < end and t.end > start]
        if not inside or len({t.speaker for t in inside}) != 1 or any(t.overlap for t in inside):
            continue
        host = inside[0].speaker
        others = [t for t in turns if t.speaker != host]
        gaps = [(max(t.start - end, start - t.end, 0.0), t.speaker) for t in others]
        gap, other = min(gaps)
        if gap < NEAR_CHANGE:
            continue
        frames = probabilities[int(start / _STEP) : max(int(start / _STEP) + 1, int(end / _STEP))]
        if frames.max() < SURE_UNDER:
            continue
        confidence = float(frames.mean()) if len(speakers) == 2 else min(float(frames.mean()), _UNSURE_CHOICE)
        added.append(Turn(start, end, other, round(confidence, 3), True))
    return sorted([*turns, *added], key=lambda t: (t.start, t.end))


def _one_voice_near(at: float, probabilities: np.ndarray) -> bool:
    """Whether the model hears one voice all through CHANGE_REACH either side of ``at`` seconds."""
    first = max(0, int((at - CHANGE_REACH - _CENTRE) / _STEP))
    end = max(first + 1, int(np.ceil((at + CHANGE_REACH - _CENTRE) / _STEP)) + 1)
    return bool(len(probabilities[first:end]) and probabilities[first:end].max() < ONE_VOICE)


def one_voice_changes(turns: Sequence[Turn], probabilities: np.ndarray) -> list[Turn]:
    """``turns`` checked at each change of speaker with no pause, which turns.py marks as crosstalk because nobody
    paused: where the model hears one voice all through CHANGE_REACH either side, nobody talked over anybody, so the
    turns by it are not marked overlap; and a run of the other speaker between two of one speaker's turns, touching
    both, at most ISLAND long, begun or ended at such a change (and at none where two voices are heard), is that
    speaker's voice going on (flagged doubtful), not a turn: one 1 s window's embedding nearer the other voice (QA F1,
    E2: hoa.wav, her A-number's "one, three," 29.59-30.28 s given to the interviewer, silent since 25.76 s, as
    [crosstalk]; two voices at most 0.015 there). Real crosstalk keeps its marks: every change in the bench's espeak
    interviews' 1 s crosstalk hears two voices (0.95-0.99)."""
    ordered = sorted(turns, key=lambda t: (t.start, t.end))
    changes = [
        b.start
        for a, b in itertools.pairwise(ordered)
        if a.speaker != b.speaker and b.start - a.end < TOUCH and (a.overlap or b.overlap)
    ]
    quiet = [at for at in changes if _one_voice_near(at, probabilities)]
    if not quiet:
        return list(turns)
    heard = [at for at in changes if at not in quiet]
    reach = CHANGE_REACH + TOUCH
    out = [
        t if not t.overlap or any(at - reach <= t.end and t.start <= at + reach for at in heard)
        else replace(t, overlap=False)
        for t in ordered
    ]  # fmt: skip
    while island := _shortest_island(out, set(quiet), set(heard)):
        host = out[island[0] - 1].speaker
        for k in island:
            out[k] = replace(out[k], speaker=host, confidence=min(out[k].confidence, _UNSURE_CHOICE))
    return out


def _shortest_island(turns: Sequence[Turn], quiet: set[float], heard: set[float]) -> list[int]:
    """The indices of the shortest run of touching turns of one speaker, at most ISLAND long, between two touching
    turns of another, one of its two changes in ``quiet`` and none in ``heard`` (else empty). Shortest first: a
    false second inside the answer after a question would make the answer's own first second look like one."""
    runs: list[list[int]] = []
    for k, turn in enumerate(turns):
        if runs and turns[runs[-1][-1]].speaker == turn.speaker and turn.start - turns[runs[-1][-1]].end < TOUCH:
            runs[-1].append(k)
        else:
            runs.append([k])
    found = [
        (turns[run[-1]].end - turns[run[0]].start, run)
        for before, run, after in zip(runs, runs[1:], runs[2:], strict=False)
        if turns[after[0]].speaker == turns[before[-1]].speaker
        and turns[run[0]].start - turns[before[-1]].end < TOUCH
        and turns[after[0]].start - turns[run[-1]].end < TOUCH
        and turns[run[-1]].end - turns[run[0]].start <= ISLAND
        and {turns[run[0]].start, turns[after[0]].start} & quiet
        and not {turns[run[0]].start, turns[after[0]].start} & heard
    ]
    return min(found)[1] if found else []


def with_voices_under(
    turns: Sequence[Turn],
    samples: np.ndarray,
    progress: Callable[[float], None],
    cancelled: Callable[[], bool],
) -> list[Turn] | None:
    """``turns`` of 16 kHz ``samples`` with the turns of voices said under another's (``under``); None if
    cancelled. The model runs only where there is another speaker to give a turn to."""
    if len({t.speaker for t in turns}) < 2:
        progress(1.0)
        return list(turns)
    probabilities = two_voices(samples, progress, cancelled)
    if probabilities is None:
        return None
    return under(one_voice_changes(turns, probabilities), stretches(probabilities), probabilities)
