"""Play a session's recording (or a stretch of it) from memory; the plaintext never touches disk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from fieldvault import wavstream
from fieldvault.agefile import Identity
from fieldvault.overview import AUDIO
from fieldvault.study import Study


def load_audio(study: Study, folder: Path, identities: Sequence[Identity]) -> tuple[wavstream.WavFormat, np.ndarray]:
    """Decrypt the recording into memory: (format, int16 samples of shape (frames, channels))."""
    data = study.read(folder / AUDIO, identities)
    fmt, offset = wavstream.parse_header(data)
    usable = (len(data) - offset) // (fmt.channels * 2) * fmt.channels * 2
    return fmt, np.frombuffer(data, dtype=np.int16, count=usable // 2, offset=offset).reshape(-1, fmt.channels)


def play(
    fmt: wavstream.WavFormat,
    samples: np.ndarray,
    start: float = 0.0,
    end: float | None = None,
    device: int | str | None = None,
) -> None:
    """Start playing (returns at once); ``stop`` ends it."""
    import sounddevice as sd

    first = int(start * fmt.rate)
    last = len(samples) if end is None else int(end * fmt.rate)
    sd.play(samples[first:last], fmt.rate, device=device)


def stop() -> None:
    import sounddevice as sd

    sd.stop()
