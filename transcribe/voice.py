"""Where somebody speaks: silero VAD (the ONNX model shipped in faster-whisper's wheel) over 16 kHz audio.

Only stretches found here are ever decoded, so silence, hum and noise cannot turn into text. The
thresholds are set low and the pauses long so that quiet, slow or tearful speech is still kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from fieldvault.audiofile import WHISPER_RATE
from fieldvault.transcribe.allocator import one_kept_heap
from fieldvault.transcribe.threads import one_blas_thread

FRAME = 512  # samples per VAD decision (32 ms at 16 kHz)
BLOCK = FRAME * 1875  # one minute per model call: silero's ONNX run needs ~0.7 MB per second given at once


class Stopped(Exception):
    """Cancelled between blocks; the caller turns it into its own one-line error."""


@dataclass(frozen=True)
class VoiceSettings:
    threshold: float = 0.3  # a frame is speech at this probability (silero's default is 0.5)
    release: float = 0.15  # ...and stays speech until it falls below this one
    min_silence: float = 0.6  # seconds of quiet before a stretch of speech ends
    min_speech: float = 0.2  # shorter stretches are clicks, not words
    pad: float = 0.25  # seconds kept either side, so soft onsets and trailing syllables survive


@dataclass(frozen=True)
class Region:
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


def speech_probabilities(
    audio: np.ndarray,
    progress: Callable[[float], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> np.ndarray:
    """The probability of speech in each 32 ms frame; raises Stopped when ``cancelled`` says so. Progress: 0 as
    it begins, then the fraction of the audio heard after each block, 1 at its end."""
    from faster_whisper.vad import get_vad_model

    one_blas_thread()  # every transcription starts here, before the decoder and diarization run side by side
    one_kept_heap()
    model = get_vad_model()
    out = []
    progress(0.0)
    for start in range(0, len(audio), BLOCK):
        if cancelled():
            raise Stopped
        block = audio[start : start + BLOCK]
        padded = np.pad(block, (0, -len(block) % FRAME)).astype(np.float32, copy=False)
        out.append(np.asarray(model(padded), dtype=np.float32).reshape(-1))
        progress(min(1.0, (start + BLOCK) / len(audio)))
    return np.concatenate(out) if out else np.zeros(0, np.float32)


def regions(probabilities: np.ndarray, duration: float, settings: VoiceSettings) -> list[Region]:
    """Stretches of speech (seconds) by hysteresis over the frame probabilities, padded and merged."""
    step = FRAME / WHISPER_RATE
    quiet_frames = int(settings.min_silence / step)
    found: list[tuple[int, int]] = []
    start, last_loud, active = 0, 0, False
    for index, p in enumerate(probabilities):
        if p >= settings.threshold:
            if not active:
                start, active = index, True
            last_loud = index
        elif active and p < settings.release and index - last_loud > quiet_frames:
            found.append((start, last_loud + 1))
            active = False
    if active:
        found.append((start, last_loud + 1))
    out: list[Region] = []
    for first, end in found:
        if (end - first) * step < settings.min_speech:
            continue
        region = Region(max(0.0, first * step - settings.pad), min(duration, end * step + settings.pad))
        if out and region.start <= out[-1].end:
            out[-1] = Region(out[-1].start, region.end)
        else:
            out.append(region)
    return out


def speech_regions(audio: np.ndarray, settings: VoiceSettings) -> list[Region]:
    return regions(speech_probabilities(audio), len(audio) / WHISPER_RATE, settings)
