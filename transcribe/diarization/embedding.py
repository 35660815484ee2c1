"""Speaker embeddings of short windows of speech: fbank, per-window mean normalisation, CAM++.

Windows are 1.5 s every 0.75 s inside each region of speech (a shorter region is one window), the
layout that diarized best in the measurements of context/diarization-options.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import onnxruntime

from fieldvault.transcribe.diarization import campplus, fbank, weights

WINDOW = 1.5  # s
HOP = 0.75  # s
MIN_WINDOW = 0.25  # s: shorter speech carries too little of a voice to embed
_FRAMES_PER_S = 100
_BATCH = 16


@dataclass(frozen=True)
class Window:
    start: float
    end: float
    region: tuple[float, float]  # the stretch of speech it lies in

    @property
    def centre(self) -> float:
        return (self.start + self.end) / 2

    def span(self) -> slice:
        """Its samples: a fixed count for a given duration, so equal windows batch together."""
        first = round(self.start * fbank.RATE)
        return slice(first, first + round((self.end - self.start) * fbank.RATE))


def layout(regions: list[tuple[float, float]]) -> list[Window]:
    windows: list[Window] = []
    for start, end in regions:
        length = end - start
        if length < MIN_WINDOW:
            continue
        if length <= WINDOW:
            windows.append(Window(start, end, (start, end)))
            continue
        count = int(np.ceil((length - WINDOW) / HOP)) + 1
        starts = np.linspace(start, end - WINDOW, count)  # evenly, so the last window ends at the region's end
        windows.extend(Window(float(s), float(s) + WINDOW, (start, end)) for s in starts)
    return windows


def _session() -> onnxruntime.InferenceSession:
    onnxruntime.disable_telemetry_events()
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    model = campplus.build(weights.load())
    return onnxruntime.InferenceSession(
        model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
    )


def _features(samples: np.ndarray, window: Window) -> np.ndarray:
    span = window.span()
    piece = samples[span]
    if len(piece) < span.stop - span.start:  # a window ending on the last sample, rounded past it
        piece = np.pad(piece, (0, span.stop - span.start - len(piece)))
    feats = fbank.fbank(piece)
    return feats - feats.mean(axis=0, keepdims=True)


def embed(
    samples: np.ndarray,
    windows: list[Window],
    progress: Callable[[float], None],
    cancelled: Callable[[], bool],
) -> np.ndarray | None:
    """(windows, 192) L2-normalised embeddings of 16 kHz samples; None if cancelled."""
    session = _session()
    out = np.zeros((len(windows), campplus.EMBEDDING_SIZE), np.float32)
    by_length: dict[int, list[int]] = {}
    for i, window in enumerate(windows):
        span = window.span()
        by_length.setdefault(span.stop - span.start, []).append(i)
    done = 0
    for indices in by_length.values():
        for first in range(0, len(indices), _BATCH):
            if cancelled():
                return None
            batch = indices[first : first + _BATCH]
            feats = np.stack([_features(samples, windows[i]) for i in batch])
            out[batch] = session.run(None, {"feats": feats})[0]
            done += len(batch)
            progress(done / len(windows))
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
