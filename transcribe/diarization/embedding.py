"""Speaker embeddings of short windows of speech: fbank, mean normalisation over 1 s, CAM++.

Windows are 1 s every 0.5 s inside each region of speech (a shorter region is one window): on the
espeak and real conversations of bench/speakers.py they beat the 1.5 s / 0.75 s of
context/diarization-options.md (DER 9.7 % against 11.6 % on the real sample) at about the same cost.

CAM++ runs once over each region (in pieces of at most 10 s), with a 1 s context around each frame
(campplus.build's ``context``), and each window's embedding is pooled from its frames: every frame is
computed once, not twice as it was when each window ran on its own, and each frame's features are still
those of its own second of speech. Likewise the features are normalised by the mean of the second around
each frame (a window's own mean before). On bench/speakers.py this was no worse on any file than
window by window, and better on the real sample (DER 6.1 % against 9.7 %), at about 60 % of the CPU time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import onnxruntime

from fieldvault.transcribe.diarization import campplus, fbank, weights

WINDOW_FRAMES = 98  # 1 s of audio in 10 ms fbank frames
HOP_FRAMES = 50
MIN_FRAMES = 23  # 0.25 s: shorter speech carries too little of a voice to embed
CONTEXT = 49  # CAM++'s 20 ms frames over which each masking layer takes its context: a window's length
CHUNK_FRAMES = 1000  # 10 s: the most speech the network runs over at once (memory; windows lie whole inside)
MARGIN_FRAMES = 50  # and the speech either side of a chunk it also sees, so its first and last windows have context


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


def _session(state: dict[str, np.ndarray]) -> onnxruntime.InferenceSession:
    onnxruntime.disable_telemetry_events()
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # a shared machine: no busy waits
    model = campplus.build(state, context=CONTEXT)
    return onnxruntime.InferenceSession(
        model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
    )


def normalised(feats: np.ndarray) -> np.ndarray:
    """Each frame less the mean of the 1 s (a window's frames) around it, moved inward at the ends."""
    count = len(feats)
    sums = np.concatenate([np.zeros((1, feats.shape[1])), np.cumsum(feats, axis=0, dtype=np.float64)])
    first = np.clip(np.arange(count) - WINDOW_FRAMES // 2, 0, max(0, count - WINDOW_FRAMES))
    end = np.minimum(first + WINDOW_FRAMES, count)
    return (feats - (sums[end] - sums[first]) / (end - first)[:, None]).astype(np.float32)


def chunks(windows: list[Window]) -> list[list[int]]:
    """Runs of consecutive windows of one region spanning at most CHUNK_FRAMES, as indices of ``windows``."""
    out: list[list[int]] = []
    for i, window in enumerate(windows):
        first = windows[out[-1][0]] if out else None
        if (
            first
            and first.region == window.region
            and window.first_frame + window.frames - first.first_frame <= CHUNK_FRAMES
        ):
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _pooled_span(window: Window, chunk_start: int) -> tuple[int, int]:
    """The window's frames in the network's output for a chunk from fbank frame ``chunk_start`` (output
    frame j is centred on input frame 2j)."""
    first = window.first_frame - chunk_start
    return -(-first // 2), -(-(first + window.frames) // 2)


def embed(
    samples: np.ndarray,
    windows: list[Window],
    progress: Callable[[float], None],
    cancelled: Callable[[], bool],
) -> np.ndarray | None:
    """(windows, 192) L2-normalised embeddings of 16 kHz samples; None if cancelled.

    Each region's fbank is computed once, and the network runs once over each chunk of its windows."""
    state = weights.load()
    session, pooling = _session(state), campplus.Pooling(state)
    out = np.zeros((len(windows), campplus.EMBEDDING_SIZE), np.float32)
    feats, region, done = np.zeros((0, fbank.BINS), np.float32), None, 0
    for run in chunks(windows):
        if cancelled():
            return None
        if windows[run[0]].region != region:
            region = windows[run[0]].region
            feats = normalised(fbank.fbank(_region_samples(samples, region)))
        start = max(0, windows[run[0]].first_frame - MARGIN_FRAMES)
        end = max(windows[i].first_frame + windows[i].frames for i in run) + MARGIN_FRAMES
        frames = session.run(None, {"feats": feats[None, start:end]})[0][0]
        out[run] = pooling(frames, [_pooled_span(windows[i], start) for i in run])
        done += len(run)
        progress(done / len(windows))
    progress(1.0)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
