"""Kaldi-style log-mel filter banks in numpy: the features CAM++ was trained on (80 bins, 25 ms / 10 ms).

Matches Kaldi's `compute-fbank-feats` defaults with dither 0 (povey window, pre-emphasis 0.97, DC
removed, power spectrum, edges snipped); the dev test checks it against kaldi-native-fbank.
"""

from __future__ import annotations

import numpy as np

RATE = 16000
FRAME = 400  # 25 ms
SHIFT = 160  # 10 ms
_FFT = 512
BINS = 80
_LOW_HZ = 20.0
_CHUNK_FRAMES = 6000  # a minute at a time, so an hour never holds its spectrum in memory at once


def _mel(hz: np.ndarray) -> np.ndarray:
    return 1127.0 * np.log(1.0 + hz / 700.0)


def _mel_banks() -> np.ndarray:
    """(fft bins, mel bins) triangular weights, Kaldi's construction (triangles on the mel scale)."""
    low, high = _mel(np.array(_LOW_HZ)), _mel(np.array(RATE / 2))
    delta = (high - low) / (BINS + 1)
    left = low + delta * np.arange(BINS)
    centre, right = left + delta, left + 2 * delta
    mel = _mel(np.arange(_FFT // 2 + 1) * (RATE / _FFT))[:, None]
    weights = np.maximum(0.0, np.minimum((mel - left) / (centre - left), (right - mel) / (right - centre)))
    weights[-1] = 0.0  # Kaldi leaves the Nyquist bin out
    return weights.astype(np.float32)


_WINDOW = ((0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME) / (FRAME - 1))) ** 0.85).astype(np.float32)
_BANKS = _mel_banks()
_FLOOR = np.finfo(np.float32).eps


def frame_count(samples: int) -> int:
    return 0 if samples < FRAME else 1 + (samples - FRAME) // SHIFT


def fbank(samples: np.ndarray) -> np.ndarray:
    """(frames, 80) float32 log-mel energies of 16 kHz float32 samples (frame i starts at sample 160·i)."""
    count = frame_count(len(samples))
    out = np.empty((count, BINS), np.float32)
    for first in range(0, count, _CHUNK_FRAMES):
        n = min(_CHUNK_FRAMES, count - first)
        span = samples[first * SHIFT : (first + n - 1) * SHIFT + FRAME].astype(np.float32)
        frames = np.lib.stride_tricks.sliding_window_view(span, FRAME)[::SHIFT]
        frames = frames - frames.mean(axis=1, keepdims=True)
        emphasised = np.empty_like(frames)
        emphasised[:, 1:] = frames[:, 1:] - 0.97 * frames[:, :-1]
        emphasised[:, 0] = frames[:, 0] * (1 - 0.97)
        power = np.abs(np.fft.rfft(emphasised * _WINDOW, n=_FFT)) ** 2
        out[first : first + n] = np.log(np.maximum(power.astype(np.float32) @ _BANKS, _FLOOR))
    return out
