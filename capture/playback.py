"""Play a session's recording (or a stretch of it) from memory; the plaintext never touches disk."""

from __future__ import annotations

import numpy as np

from fieldvault import wavstream


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
