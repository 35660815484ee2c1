"""Playback for a transcriber: play from a time, pause and resume (rewinding a little), jump back, slower
or faster with the pitch kept (WSOLA), loop a segment, and report where it is so the editor can follow.

The samples are the recording decrypted into memory; nothing is written anywhere but the output device.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

import numpy as np

from fieldvault import wavstream

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
RESUME_REWIND = 1.0  # seconds; f4transkript's habit, so the listener hears the last words again


class Stretcher:
    """Time-scale modification by WSOLA: output frames of a Hann window at half overlap, each taken from
    near its nominal place in the source where it best continues the previous one, so pitch is kept."""

    def __init__(self, samples: np.ndarray, mono: np.ndarray, rate: int, speed: float, start: int) -> None:
        self.samples, self.mono, self.speed = samples, mono, speed
        self.frame = max(64, int(rate * 0.04) // 2 * 2)
        self.hop = self.frame // 2
        self.tolerance = self.frame // 4
        self.window = np.hanning(self.frame + 1)[:-1, None].astype(np.float32)  # periodic: halves sum to one
        self.nominal = float(start)
        self.previous: int | None = None
        self.tail = np.zeros((self.hop, samples.shape[1]), dtype=np.float32)
        self.ready = np.zeros((0, samples.shape[1]), dtype=np.float32)

    @property
    def position(self) -> int:
        """The source frame being played now (the nominal place, lagging the search window by a frame)."""
        return int(self.nominal) - int(len(self.ready) * self.speed)

    def _next_place(self) -> int:
        nominal = int(self.nominal)
        if self.previous is None:
            return nominal
        natural = self.previous + self.hop
        template = self.mono[natural : natural + self.frame]
        low = max(0, nominal - self.tolerance)
        region = self.mono[low : nominal + self.tolerance + self.frame]
        if len(template) < self.frame or len(region) < self.frame:
            return nominal
        fit = np.correlate(region, template, mode="valid")
        return low + int(np.argmax(fit))

    def read(self, count: int) -> np.ndarray:
        """``count`` output frames (fewer at the end of the recording)."""
        pieces = [self.ready]
        have = len(self.ready)
        while have < count and int(self.nominal) + self.frame <= len(self.samples):
            place = min(self._next_place(), len(self.samples) - self.frame)  # the search may look past the end
            grain = self.samples[place : place + self.frame].astype(np.float32) * self.window
            pieces.append(self.tail + grain[: self.hop])
            self.tail = grain[self.hop :]
            self.previous = place
            self.nominal += self.hop * self.speed
            have += self.hop
        joined = np.concatenate(pieces)
        self.ready = joined[count:]
        return joined[:count]


def stretch(samples: np.ndarray, rate: int, speed: float) -> np.ndarray:
    """The whole of ``samples`` at ``speed`` with the pitch kept (for tests and short stretches)."""
    stretcher = Stretcher(samples, samples.mean(axis=1), rate, speed, 0)
    return stretcher.read(int(len(samples) / speed))


class OutputStream(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...


Callback = Callable[[np.ndarray, int, object, object], None]


def sounddevice_stream(rate: int, channels: int, callback: Callback, device: int | str | None) -> OutputStream:
    import sounddevice as sd

    return sd.OutputStream(
        samplerate=rate, channels=channels, dtype="float32", callback=callback, device=device, latency="high"
    )


class Player:
    """One recording held in memory, played through an output stream that pulls from it."""

    def __init__(
        self,
        fmt: wavstream.WavFormat,
        samples: np.ndarray,
        device: int | str | None = None,
        open_stream: Callable[[int, int, Callback, int | str | None], OutputStream] = sounddevice_stream,
    ) -> None:
        self.rate = fmt.rate
        self.samples = samples.astype(np.float32) / 32768.0
        self.mono = self.samples.mean(axis=1)  # where WSOLA looks for the best fit
        self.device, self._open = device, open_stream
        self.speed = 1.0
        self.loop: tuple[float, float] | None = None
        self._lock = threading.Lock()
        self._frame = 0
        self._stretcher: Stretcher | None = None
        self._stream: OutputStream | None = None

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate

    @property
    def playing(self) -> bool:
        return self._stream is not None

    @property
    def position(self) -> float:
        """Seconds into the recording of what is being played (or where it paused)."""
        with self._lock:
            frame = self._stretcher.position if self._stretcher is not None else self._frame
        return max(0.0, frame / self.rate)

    def _seek(self, seconds: float) -> None:
        with self._lock:
            self._frame = int(min(max(seconds, 0.0), self.duration) * self.rate)
            self._stretcher = self._stretch_from(self._frame)

    def _stretch_from(self, frame: int) -> Stretcher | None:
        return None if self.speed == 1.0 else Stretcher(self.samples, self.mono, self.rate, self.speed, frame)

    def play(self, at: float) -> None:
        """Play from ``at`` seconds (a stream already playing moves there without a gap)."""
        self._seek(at)
        if self._stream is None:
            stream = self._open(self.rate, self.samples.shape[1], self._fill, self.device)
            self._stream = stream
            stream.start()

    def pause(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            position = self.position
            stream.stop()
            stream.close()
            self._seek(position)

    def resume(self) -> None:
        """Resume a little before where it paused."""
        self.play(self.position - RESUME_REWIND)

    def jump(self, seconds: float) -> None:
        """Move by ``seconds`` (negative: back), playing on if it was playing."""
        self._seek(self.position + seconds)

    def set_speed(self, speed: float) -> None:
        """Takes effect at once, also while playing."""
        position = self.position
        self.speed = speed
        self._seek(position)

    def set_loop(self, loop: tuple[float, float] | None) -> None:
        self.loop = loop

    def close(self) -> None:
        self.pause()

    def _take(self, count: int) -> np.ndarray:
        if self._stretcher is not None:
            out = self._stretcher.read(count)
            self._frame = self._stretcher.position
            return out
        out = self.samples[self._frame : self._frame + count]
        self._frame += len(out)
        return out

    def _fill(self, out: np.ndarray, frames: int, _time: object, _status: object) -> None:
        with self._lock:
            if self.loop is not None and self._frame >= int(self.loop[1] * self.rate):
                self._frame = int(self.loop[0] * self.rate)
                if self._stretcher is not None:
                    self._stretcher = self._stretch_from(self._frame)
            data = self._take(frames)
        out[: len(data)] = data
        out[len(data) :] = 0
