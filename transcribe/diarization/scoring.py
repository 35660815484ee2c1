"""Diarization error rate, scored frame by frame (10 ms), for the tests and the benchmark.

Same definition as pyannote.metrics' DiarizationErrorRate (checked against it in a dev test): missed
speech + false alarm + speaker confusion, over the reference's speech; speakers mapped one to one to
maximise agreement; overlapped speech scored; `collar` seconds in all (half before, half after)
around each reference boundary left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

import numpy as np

FRAME = 0.01
Segments = list[tuple[float, float, int]]  # (start, end, speaker)


@dataclass(frozen=True)
class Score:
    der: float
    missed: float  # seconds
    false_alarm: float
    confusion: float
    total: float  # seconds of reference speech scored (overlap counted per speaker)


def _activity(segments: Segments, frames: int) -> tuple[np.ndarray, list[int]]:
    speakers = sorted({s for _, _, s in segments})
    grid = np.zeros((frames, len(speakers)), bool)
    for start, end, speaker in segments:
        grid[round(start / FRAME) : round(end / FRAME), speakers.index(speaker)] = True
    return grid, speakers


def _scored_frames(reference: Segments, frames: int, collar: float) -> np.ndarray:
    scored = np.ones(frames, bool)
    half = collar / 2
    for start, end, _ in reference:
        for edge in (start, end):
            scored[max(0, round((edge - half) / FRAME)) : round((edge + half) / FRAME)] = False
    return scored


def _best_match(together: np.ndarray) -> float:
    """Most frames on which mapped speakers agree, over one-to-one maps (few speakers: brute force)."""
    rows, cols = together.shape
    if rows == 0 or cols == 0:
        return 0.0
    if rows > cols:
        together, rows, cols = together.T, cols, rows
    return max(float(sum(together[r, c] for r, c in enumerate(chosen))) for chosen in permutations(range(cols), rows))


def diarization_error_rate(reference: Segments, hypothesis: Segments, collar: float = 0.25) -> Score:
    end = max([e for _, e, _ in reference + hypothesis], default=0.0)
    frames = int(np.ceil(end / FRAME)) + 1
    scored = _scored_frames(reference, frames, collar)
    ref, _ = _activity(reference, frames)
    hyp, _ = _activity(hypothesis, frames)
    ref, hyp = ref[scored], hyp[scored]
    n_ref, n_hyp = ref.sum(axis=1), hyp.sum(axis=1)
    correct = _best_match(ref.T.astype(np.int64) @ hyp.astype(np.int64))
    missed = float(np.maximum(n_ref - n_hyp, 0).sum())
    false_alarm = float(np.maximum(n_hyp - n_ref, 0).sum())
    confusion = float(np.minimum(n_ref, n_hyp).sum()) - correct
    total = float(n_ref.sum())
    der = (missed + false_alarm + confusion) / total if total else 0.0
    return Score(der, missed * FRAME, false_alarm * FRAME, confusion * FRAME, total * FRAME)
