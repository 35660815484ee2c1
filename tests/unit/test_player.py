"""The transcriber's player: slower and faster with the pitch kept, pause and resume rewinding, jumps, loops.
The output stream here is a stand-in that pulls blocks as the sound card would; the real device is tested
through PulseAudio in tests/e2e/test_editor_audio.py."""

from __future__ import annotations

import numpy as np
import pytest

from fieldvault.capture.player import RESUME_REWIND, Player, stretch
from fieldvault.wavstream import WavFormat

RATE = 16000


def _tone(seconds: float, hz: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (np.sin(2 * np.pi * hz * t) * 12000).astype(np.int16)[:, None]


def _pitch(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples[:, 0] * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * RATE / len(samples))


@pytest.mark.parametrize("speed", [0.75, 1.5])
def test_slower_and_faster_keep_the_pitch(speed: float) -> None:
    source = _tone(2.0, 440).astype(np.float32) / 32768
    out = stretch(source, RATE, speed)
    assert len(out) == pytest.approx(len(source) / speed, rel=0.05)
    assert _pitch(out[RATE // 10 : -RATE // 10]) == pytest.approx(440, abs=5)
    naive = source[np.arange(0, len(source), speed).astype(int)]  # resampling would shift the pitch
    assert abs(_pitch(naive) - 440) > 50


class FakeStream:
    def __init__(self, rate: int, channels: int, callback, device) -> None:
        self.callback, self.running = callback, False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def close(self) -> None:
        pass

    def pull(self, frames: int) -> np.ndarray:
        out = np.zeros((frames, 1), dtype=np.float32)
        self.callback(out, frames, None, None)
        return out


def _player() -> tuple[Player, list[FakeStream]]:
    ramp = (np.arange(10 * RATE) % 30000).astype(np.int16)[:, None]
    streams: list[FakeStream] = []

    def open_stream(*args):
        streams.append(FakeStream(*args))
        return streams[-1]

    return Player(WavFormat(RATE, 1), ramp, None, open_stream), streams


def test_play_from_a_time_pause_and_resume_a_little_earlier() -> None:
    player, streams = _player()
    player.play(2.0)
    block = streams[-1].pull(RATE)
    assert block[0, 0] == pytest.approx((2 * RATE % 30000) / 32768)
    assert player.position == pytest.approx(3.0)
    player.pause()
    assert not player.playing and player.position == pytest.approx(3.0)
    player.resume()
    assert player.position == pytest.approx(3.0 - RESUME_REWIND)
    player.jump(-1.5)
    assert player.playing and player.position == pytest.approx(0.5)


def test_a_loop_plays_the_segment_again() -> None:
    player, streams = _player()
    player.set_loop((1.0, 1.5))
    player.play(1.0)
    for _ in range(6):
        streams[-1].pull(RATE // 8)
    assert 1.0 <= player.position <= 1.5


def test_slower_playback_advances_slower_through_the_recording() -> None:
    player, streams = _player()
    player.set_speed(0.75)
    player.play(4.0)
    streams[-1].pull(2 * RATE)
    assert player.position == pytest.approx(4.0 + 2 * 0.75, abs=0.1)
