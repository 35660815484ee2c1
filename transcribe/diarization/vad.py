"""Where someone speaks: silero VAD v6 (the ONNX model shipped in faster-whisper's wheel, run by
transcribe/voice.py), its probabilities turned into stretches as faster-whisper's
`get_speech_timestamps` does, with settings for turn-taking (a short pause already ends a stretch).

The transcription pipeline passes the probabilities it has already computed, so the model runs once
per recording; on its own, diarization computes them here. Never downloads anything.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fieldvault.transcribe.voice import FRAME, Stopped, speech_probabilities

RATE = 16000
THRESHOLD = 0.35  # 0.5 missed quiet starts of turns in the real two-speaker sample
RELEASE = THRESHOLD - 0.15  # silero's hysteresis: speech ends below this
MIN_SPEECH = 0.2  # s
MIN_SILENCE = 0.2  # s: turns in a conversation follow each other closely
PAD = 0.06  # s either side; a shorter silence between two stretches is split between them


def _stretches(probabilities: np.ndarray, samples: int) -> list[list[int]]:
    """[start, end] samples of speech, by faster-whisper's get_speech_timestamps (no length limit)."""
    min_speech, min_silence = RATE * MIN_SPEECH, RATE * MIN_SILENCE
    found: list[list[int]] = []
    start, quiet_since, speaking = 0, 0, False
    for index, p in enumerate(probabilities):
        at = FRAME * index
        if p >= THRESHOLD:
            quiet_since = 0
            if not speaking:
                start, speaking = at, True
        elif p < RELEASE and speaking:
            quiet_since = quiet_since or at
            if at - quiet_since >= min_silence:
                if quiet_since - start > min_speech:
                    found.append([start, quiet_since])
                quiet_since, speaking = 0, False
    if speaking and samples - start > min_speech:
        found.append([start, samples])
    pad = int(RATE * PAD)
    for i, stretch in enumerate(found):
        if i == 0:
            stretch[0] = max(0, stretch[0] - pad)
        if i + 1 < len(found):
            silence = found[i + 1][0] - stretch[1]
            share = silence // 2 if silence < 2 * pad else pad
            stretch[1] = min(samples, stretch[1] + share)
            found[i + 1][0] = max(0, found[i + 1][0] - share)
        else:
            stretch[1] = min(samples, stretch[1] + pad)
    return found


def speech_regions(
    samples: np.ndarray,
    progress: Callable[[float], None],
    cancelled: Callable[[], bool],
    probabilities: np.ndarray | None = None,
) -> list[tuple[float, float]]:
    """(start, end) seconds of speech in 16 kHz float32 mono samples, in order, not overlapping; [] if
    cancelled. ``probabilities``: silero's speech probability per 32 ms of these samples, if known."""
    if probabilities is None:
        try:
            probabilities = speech_probabilities(samples, progress, cancelled)
        except Stopped:
            return []
    progress(1.0)
    return [(start / RATE, end / RATE) for start, end in _stretches(probabilities, len(samples))]
