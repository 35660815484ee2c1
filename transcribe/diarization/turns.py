"""Speaker turns from labelled windows: each 10 ms of speech takes the window centred nearest to it.

A window's confidence is how clearly its embedding belongs to one speaker (a softmax over its cosine
similarity to each speaker); a window about as close to two speakers as to its own is mixed speech,
which inside a turn is overlap (two people talking), so it becomes a turn of its own marked overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fieldvault.transcribe.diarization.embedding import Window

FRAME = 0.01  # s
_TEMPERATURE = 0.1  # softmax over cosines: a margin of 0.1 gives 0.73, of 0.3 gives 0.95
_JOIN_PAUSE = 0.5  # s: one speaker's speech across a shorter pause is one turn
_MIXED_MARGIN = 0.05  # cosine margin under which a window is as near to a second speaker as to its own
_MIXED_FLOOR = 0.35  # ...provided it is near that second speaker at all


@dataclass(frozen=True)
class Turn:
    """A stretch of one speaker's speech. speaker counts from 0 in order of first appearance;
    confidence is 0..1; overlap marks speech where another speaker talks at the same time."""

    start: float
    end: float
    speaker: int
    confidence: float
    overlap: bool


@dataclass
class _Run:
    start: float
    end: float
    speaker: int
    overlap: bool
    confidences: list[float]


def _window_scores(embeddings: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per window: speaker index, confidence, and whether its speech is mixed."""
    cosines = embeddings @ centroids.T
    labels = cosines.argmax(axis=1)
    scaled = np.exp((cosines - cosines.max(axis=1, keepdims=True)) / _TEMPERATURE)
    confidence = scaled.max(axis=1) / scaled.sum(axis=1)
    if centroids.shape[0] < 2:
        return labels, confidence, np.zeros(len(labels), bool)
    top2 = np.sort(cosines, axis=1)[:, -2:]
    mixed = (top2[:, 1] - top2[:, 0] < _MIXED_MARGIN) & (top2[:, 0] > _MIXED_FLOOR)
    return labels, confidence, mixed


def _frames(windows: list[Window], region: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """The 10 ms frame times of a region and the index (into windows) of the window nearest each."""
    times = np.arange(region[0] + FRAME / 2, region[1], FRAME)
    centres = np.array([w.centre for w in windows])
    nearest = np.searchsorted((centres[1:] + centres[:-1]) / 2, times)
    return times, nearest


def _runs(windows: list[Window], scores: tuple[np.ndarray, np.ndarray, np.ndarray]) -> list[_Run]:
    labels, confidence, mixed = scores
    runs: list[_Run] = []
    regions: dict[tuple[float, float], list[int]] = {}
    for i, window in enumerate(windows):
        regions.setdefault(window.region, []).append(i)
    for region, members in regions.items():
        times, nearest = _frames([windows[i] for i in members], region)
        for t, w in zip(times, np.asarray(members)[nearest], strict=True):
            speaker, overlap = int(labels[w]), bool(mixed[w])
            last = runs[-1] if runs else None
            if last and last.speaker == speaker and last.overlap == overlap and t - last.end < _JOIN_PAUSE:
                last.end = t + FRAME / 2
                last.confidences.append(float(confidence[w]))
            else:
                runs.append(_Run(t - FRAME / 2, t + FRAME / 2, speaker, overlap, [float(confidence[w])]))
    return runs


def turns(windows: list[Window], embeddings: np.ndarray, centroids: np.ndarray) -> list[Turn]:
    if not windows or len(centroids) == 0:
        return []
    runs = _runs(windows, _window_scores(embeddings, centroids))
    order: dict[int, int] = {}
    for run in runs:
        order.setdefault(run.speaker, len(order))
    return [
        Turn(
            round(float(r.start), 2),
            round(float(r.end), 2),
            order[r.speaker],
            round(float(np.mean(r.confidences)), 3),
            r.overlap,
        )
        for r in runs
    ]
