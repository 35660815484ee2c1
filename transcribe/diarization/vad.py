"""Where someone speaks: silero VAD v6 as shipped in faster-whisper's wheel, run block by block.

Blocks keep progress and cancellation responsive on long recordings; speech cut at a block edge is
joined again. Never downloads anything: the ONNX file is part of faster-whisper.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import onnxruntime

RATE = 16000
_BLOCK = 512 * 10000  # samples: what faster-whisper's VAD model runs in one go (5 min 20 s)
_JOIN_GAP = 0.25  # s: speech on both sides of a block edge is one region
_OPTIONS = {
    "threshold": 0.35,  # 0.5 missed quiet starts of turns in the real two-speaker sample
    "min_speech_duration_ms": 200,
    "min_silence_duration_ms": 200,  # turns in a conversation follow each other closely
    "speech_pad_ms": 60,
}


def speech_regions(
    samples: np.ndarray, progress: Callable[[float], None], cancelled: Callable[[], bool]
) -> list[tuple[float, float]]:
    """(start, end) seconds of speech in 16 kHz float32 mono samples, in order, not overlapping."""
    onnxruntime.disable_telemetry_events()
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(**_OPTIONS)
    regions: list[tuple[float, float]] = []
    for first in range(0, len(samples), _BLOCK):
        if cancelled():
            return []
        block = samples[first : first + _BLOCK]
        for found in get_speech_timestamps(block, options, sampling_rate=RATE):
            start, end = (first + found["start"]) / RATE, (first + found["end"]) / RATE
            edge = first / RATE
            if regions and regions[-1][1] >= edge - 0.01 and start <= edge + _JOIN_GAP:
                regions[-1] = (regions[-1][0], end)
            else:
                regions.append((start, end))
        progress(min(1.0, (first + _BLOCK) / len(samples)))
    return regions
