"""Where audio comes from: a PortAudio input stream (sounddevice), or an array played at a set pace.

Both call ``callback(block, overflowed)`` from their own thread with an int16 array of shape
(frames, channels), and ``on_end(reason)`` if the stream ends by itself (device unplugged).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from fieldvault.capture.inputwatch import pulse_input
from fieldvault.errors import FieldvaultError

BlockCallback = Callable[[np.ndarray, bool], None]
EndCallback = Callable[[str], None]


class AudioSource(Protocol):
    rate: int
    channels: int
    name: str
    finite: bool  # True if the source ends by design (a file); a device that ends has failed

    def start(self, callback: BlockCallback, on_end: EndCallback) -> None: ...

    def stop(self) -> None: ...


class DeviceError(FieldvaultError):
    pass


SILENCE_DBFS = -90.0  # below any real microphone's noise floor: what a null source or a dead input gives


def peak_dbfs(peak: int) -> float:
    return -120.0 if peak <= 0 else float(20 * np.log10(peak / 32768))


class SoundDeviceSource:
    """A real input device through PortAudio."""

    def __init__(self, device: int | str | None, rate: int, channels: int, block_seconds: float = 0.1) -> None:
        import sounddevice as sd  # PortAudio is loaded only when recording for real

        self._sd = sd
        self.device = device
        self.rate = rate
        self.channels = channels
        self.blocksize = int(rate * block_seconds)
        try:
            info = sd.query_devices(device, "input")
            sd.check_input_settings(device=device, channels=channels, samplerate=rate, dtype="int16")
        except (ValueError, sd.PortAudioError) as err:
            raise DeviceError(f"cannot record from input device {device!r}: {err}") from None
        self.name = str(info["name"])
        self.finite = False
        self._stream = None
        self._stopping = False

    def start(self, callback: BlockCallback, on_end: EndCallback) -> None:
        sd = self._sd

        def on_block(indata: np.ndarray, frames: int, when: object, status: object) -> None:
            callback(indata, bool(getattr(status, "input_overflow", False)))

        def finished() -> None:
            if not self._stopping:
                on_end("the input device stopped delivering audio (unplugged?)")

        try:
            stream = sd.InputStream(
                device=self.device,
                samplerate=self.rate,
                channels=self.channels,
                dtype="int16",
                blocksize=self.blocksize,
                callback=on_block,
                finished_callback=finished,
            )
            stream.start()
            self._stream = stream
        except sd.PortAudioError as err:
            raise DeviceError(f"cannot open input device {self.device!r}: {err}; check it is plugged in") from None

    def current_input(self) -> str | None:
        """Which input the sound server records this stream from (PulseAudio moves it to another without a word)."""
        return pulse_input(os.getpid()) if self._stream is not None else None

    def stop(self) -> None:
        self._stopping = True
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()


class ArraySource:
    """Audio from memory, delivered block by block at ``speed`` times real time (tests, benchmarks)."""

    def __init__(self, samples: np.ndarray, rate: int, speed: float = 1.0, block_seconds: float = 0.1) -> None:
        self.samples = samples if samples.ndim == 2 else samples.reshape(-1, 1)
        self.rate = rate
        self.channels = self.samples.shape[1]
        self.name = "array"
        self.finite = True
        self.speed = speed
        self.blocksize = int(rate * block_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, callback: BlockCallback, on_end: EndCallback) -> None:
        def run() -> None:
            interval = self.blocksize / self.rate / self.speed
            next_time = time.monotonic()
            for start in range(0, len(self.samples), self.blocksize):
                if self._stop.is_set():
                    return
                callback(self.samples[start : start + self.blocksize], False)
                next_time += interval
                delay = next_time - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            on_end("the audio source ran out")

        self._thread = threading.Thread(target=run, name="array-source", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()


class LevelProbe:
    """Listen to a source without recording anything, for the level check before Start.

    Keeps only the loudest sample since the last reading; no audio is stored anywhere."""

    def __init__(self, source: AudioSource) -> None:
        self.source = source
        self._peak = 0
        self.ended: str | None = None

    def start(self) -> None:
        self.source.start(self._on_block, self._on_end)

    def _on_block(self, block: np.ndarray, overflowed: bool) -> None:
        if len(block):
            self._peak = max(self._peak, int(np.abs(block.astype(np.int32)).max()))

    def _on_end(self, reason: str) -> None:
        self.ended = reason

    def read(self) -> float:
        """The loudest level since the last reading, in dBFS (-120 for digital silence)."""
        peak, self._peak = self._peak, 0
        return peak_dbfs(peak)

    def stop(self) -> None:
        self.source.stop()
