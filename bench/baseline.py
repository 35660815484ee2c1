"""Today's transcription before issue 17, kept only to measure against: faster-whisper over fixed 300 s
windows cut at the quietest 100 ms, no voice activity gate, conditioned on the previous text.
"""

from __future__ import annotations

import itertools
import os

import numpy as np

WINDOW = 300.0
SEARCH = 20.0
RATE = 16000


def cut_points(audio: np.ndarray) -> list[int]:
    size = int(WINDOW * RATE)
    points = [0]
    frame = RATE // 10
    while len(audio) - points[-1] > size:
        end = points[-1] + size
        start = max(points[-1] + frame, end - int(SEARCH * RATE))
        region = audio[start:end]
        energy = np.square(region[: len(region) // frame * frame].reshape(-1, frame)).mean(axis=1)
        points.append(start + int(np.argmin(energy)) * frame + frame // 2)
    points.append(len(audio))
    return points


def transcribe_before(audio: np.ndarray, model_path: str, beam_size: int = 5) -> list[tuple[float, float, str]]:
    """(start, end, text) of every word, as today's pipeline would have stored them."""
    from faster_whisper import WhisperModel

    model = WhisperModel(
        model_path, device="cpu", compute_type="int8", cpu_threads=os.cpu_count() or 1, local_files_only=True
    )
    words = []
    for start, end in itertools.pairwise(cut_points(audio)):
        segments, _ = model.transcribe(
            audio[start:end], language="en", beam_size=beam_size, word_timestamps=True, vad_filter=False
        )
        offset = start / RATE
        words += [(w.start + offset, w.end + offset, w.word) for s in segments for w in s.words or ()]
    return words
