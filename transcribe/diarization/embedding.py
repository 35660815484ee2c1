"""Speaker embeddings of short windows of speech: fbank, per-window mean normalisation, CAM++.

Windows are 1 s every 0.5 s inside each region of speech (a shorter region is one window): on the
espeak and real conversations of bench/speakers.py they beat the 1.5 s / 0.75 s of
context/diarization-options.md (DER 9.7 % against 11.6 % on the real sample) at about the same cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import onnxruntime

from fieldvault.transcribe.allocator import one_kept_heap
from fieldvault.transcribe.diarization import campplus, fbank, onnxgraph, weights
from fieldvault.transcribe.threads import one_blas_thread

WINDOW_FRAMES = 98  # 1 s of audio in 10 ms fbank frames
HOP_FRAMES = 50
MIN_FRAMES = 23  # 0.25 s: shorter speech carries too little of a voice to embed
# Windows per onnxruntime run. The embeddings are the same bit for bit in batches of 2 to 32, and so is the CPU
# time within the noise (5 min of bench/transcribe.py's audio: 3.7-4.6 s); but a batch of 16 holds 16 MB per
# activation of CAM++'s head, which glibc keeps in the diarization thread's heap beside the decoder's buffers
# (10 min with diarization, glibc's default malloc: peak 682 MiB with 16, 618 MiB with 4).
_BATCH = 4


@dataclass(frozen=True)
class Window:
    start: float  # s
    end: float
    region: tuple[float, float]  # the stretch of speech it lies in
    first_frame: int  # its fbank frames, counted from the region's start
    frames: int

    @property
    def centre(self) -> float:
        return (self.start + self.end) / 2


def _region_samples(samples: np.ndarray, region: tuple[float, float]) -> np.ndarray:
    return samples[round(region[0] * fbank.RATE) : round(region[1] * fbank.RATE)]


def _region_frames(region: tuple[float, float]) -> int:
    return fbank.frame_count(round(region[1] * fbank.RATE) - round(region[0] * fbank.RATE))


def layout(regions: list[tuple[float, float]]) -> list[Window]:
    """1 s windows every 0.5 s (evenly spread, so the last ends where the region ends)."""
    windows: list[Window] = []
    step = fbank.SHIFT / fbank.RATE
    for region in regions:
        total = _region_frames(region)
        if total < MIN_FRAMES:
            continue
        frames = min(total, WINDOW_FRAMES)
        count = int(np.ceil((total - frames) / HOP_FRAMES)) + 1
        for first in np.round(np.linspace(0, total - frames, count)).astype(int):
            start = region[0] + first * step
            windows.append(
                Window(start, start + (frames - 1) * step + fbank.FRAME / fbank.RATE, region, int(first), frames)
            )
    return windows


def _session() -> onnxruntime.InferenceSession:
    return onnxgraph.session(campplus.build(weights.load()))


def embed(
    samples: np.ndarray,
    windows: list[Window],
    progress: Callable[[float], None],
    cancelled: Callable[[], bool],
) -> np.ndarray | None:
    """(windows, 192) L2-normalised embeddings of 16 kHz samples; None if cancelled.

    Each region's fbank is computed once; windows of one length are batched together."""
    one_blas_thread()  # diarize() may be handed voice activity computed elsewhere
    one_kept_heap()
    session = _session()
    out = np.zeros((len(windows), campplus.EMBEDDING_SIZE), np.float32)
    pending: dict[int, list[tuple[int, np.ndarray]]] = {}

    def run(batch: list[tuple[int, np.ndarray]]) -> None:
        out[[i for i, _ in batch]] = session.run(None, {"feats": np.stack([f for _, f in batch])})[0]

    done, feats, region = 0, np.zeros((0, fbank.BINS), np.float32), None
    for i, window in enumerate(windows):
        if cancelled():
            return None
        if window.region != region:
            region = window.region
            feats = fbank.fbank(_region_samples(samples, region))
        piece = feats[window.first_frame : window.first_frame + window.frames]
        batch = pending.setdefault(window.frames, [])
        batch.append((i, piece - piece.mean(axis=0, keepdims=True)))
        if len(batch) == _BATCH:
            run(batch)
            batch.clear()
            done += _BATCH
            progress(done / len(windows))
    for batch in pending.values():
        if batch:
            run(batch)
    progress(1.0)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
