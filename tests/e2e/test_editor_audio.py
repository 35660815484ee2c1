"""Listening in the editor through real PortAudio: F4 plays the cursor's segment into a PulseAudio null sink,
whose monitor is recorded and compared with the segment's own audio (and not its neighbour's); 0.75x
lasts a third longer. Run under `flock /work/audio.lock` (one shared PulseAudio daemon)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from fieldvault import transcript_versions as versions
from fieldvault import wavstream
from fieldvault.events import SessionEvents
from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.editor import EditorScreen
from tests.conftest import ANSWERS
from tests.e2e.conftest import best_correlation, speech
from tests.tui.conftest import unlock

pytestmark = pytest.mark.slow

RATE = 16000
FIRST = "My sister drove me to the shelter on a cold night."
SECOND = "Then the case manager found me a safe apartment downtown."


def _session(study: Study, tmp_path: Path) -> tuple[np.ndarray, np.ndarray]:
    first, second = speech(tmp_path / "a.wav", FIRST), speech(tmp_path / "b.wav", SECOND)
    gap = np.zeros(RATE // 2, dtype=np.int16)
    audio = np.concatenate([first, gap, second, gap])
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Rose", ANSWERS, consent, [])
    folder = study.root / "participants" / "Rose" / "s1"
    folder.mkdir()
    study.write_new(folder / "audio.wav.age", wavstream.header(wavstream.WavFormat(RATE, 1)) + audio.tobytes())
    study.write_new(folder / "events.json.age", SessionEvents("Rose", "s1", {}).to_json())  # binds it to her
    split = (len(first) + len(gap)) / RATE
    segments = (Segment(0.0, split, FIRST, "Participant"), Segment(split, len(audio) / RATE, SECOND, "Participant"))
    transcript = Transcript("Rose", "s1", segments, (), {}, "faster-whisper", {}, len(audio) / RATE, 1.0, "now")
    study.write_new(folder / "transcript.json.age", transcript.to_json())
    return first, second


def _record_monitor(seconds: float) -> np.ndarray:
    """Start recording the null sink's monitor (PulseAudio's default source in these tests) through PortAudio."""
    import sounddevice as sd

    return sd.rec(int(seconds * RATE), samplerate=RATE, channels=1, dtype="int16", device="pulse")


async def _play_second_segment(study: Study, speed_steps: int, seconds: float) -> tuple[np.ndarray, float]:
    """The sink's monitor while the second segment plays, and how many seconds into it the player was when
    the speed keys had been handled (on a loaded machine that varies from run to run)."""
    app = make_app(study)
    async with app.run_test(size=(120, 30)) as pilot:
        await unlock(pilot)
        opened = versions.open_for_editing(study, "Rose", "s1", app.identities)
        app.push_screen(EditorScreen(study, opened, app.identities, device="pulse"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        await pilot.press("down")  # the second segment
        recording = _record_monitor(seconds + 2.0)
        time.sleep(1.0)  # PulseAudio wakes an idle null sink with a delay
        await pilot.press("f4")
        for _ in range(100):  # the recording is decrypted into memory first
            await pilot.pause(0.05)
            if screen.player is not None:
                break
        assert screen.player is not None and screen.player.playing
        for _ in range(speed_steps):
            await pilot.press("f3")
        # The player's place once F3 was handled: what it hands the device from there on is slowed.
        at_normal = max(0.0, screen.player.position - screen.draft.segments[1].start) if speed_steps else 0.0
        assert screen.player.speed == (1.0, 0.75)[speed_steps]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await pilot.pause(0.1)
        position = screen.player.position
        await pilot.press("f4")
        assert not screen.player.playing and position > screen.draft.segments[1].start
    import sounddevice as sd

    sd.wait()
    return recording[:, 0], at_normal


async def test_f4_plays_the_cursors_segment(study: Study, pulse: str, tmp_path: Path) -> None:
    first, second = _session(study, tmp_path)
    recorded, _ = await _play_second_segment(study, 0, len(second) / RATE + 1.5)
    own, _ = best_correlation(recorded, second)
    other, _ = best_correlation(recorded, first)
    # a gap where the loaded machine let the device run dry lowers the match at one lag; the other segment's
    # audio does not match at all
    assert own > 0.5 and other < 0.25, (own, other)
    plaintext = second[RATE // 2 : RATE // 2 + 2048].tobytes()
    for path in study.root.rglob("*"):  # the audio was decrypted into memory only
        assert not path.is_file() or plaintext not in path.read_bytes()


async def test_slower_playback_keeps_going_a_third_longer(study: Study, pulse: str, tmp_path: Path) -> None:
    _, second = _session(study, tmp_path)
    recorded, _ = await _play_second_segment(study, 0, len(second) / RATE + 1.5)
    normal = _match_at_speed(recorded, second, 0.3)
    for _ in range(3):  # a loaded machine may handle F3 so late that too little is left to play slowed: again
        recorded, at_normal = await _play_second_segment(study, 1, len(second) / RATE / 0.75 + 1.5)
        if len(second) / RATE - at_normal > 1.2:
            break
    assert len(second) / RATE - at_normal > 1.2, at_normal  # enough of it left to play at 0.75x to tell
    slower = _match_at_speed(recorded, second, at_normal + 0.2)
    # After F3 the segment sounds as itself slowed to 0.75x with its pitch kept, each sound a third longer,
    # and not as it sounds at 1x; without F3 the other way round. The sounds are matched, not timed: a loaded
    # machine drops recorded frames and lets the device run dry, which changes how long it all sounds.
    assert normal[1] > 0.8 and normal[1] > normal[0] + 0.2, normal
    assert slower[0] > 0.8 and slower[0] > slower[1] + 0.2, (slower, at_normal)


def _spectrogram(samples: np.ndarray) -> np.ndarray:
    """Log magnitudes of 25 ms frames every 10 ms, 125 Hz to 3.7 kHz: what WSOLA keeps when it slows speech."""
    frames = np.lib.stride_tricks.sliding_window_view(samples.astype(np.float64), 400)[::160] * np.hanning(400)
    return np.log(np.abs(np.fft.rfft(frames, 512))[:, 4:120] + 1.0)


def _match_at_speed(recorded: np.ndarray, source: np.ndarray, start: float) -> tuple[float, float]:
    """How well a second of the source from ``start`` seconds in matches the best-fitting stretch of the
    recording's spectrogram when slowed to 0.75x, and when played as it is (normalised correlation)."""
    heard = _spectrogram(recorded)
    piece = _spectrogram(source[int(start * RATE) : int((start + 1.0) * RATE)])
    matches = []
    for speed in (0.75, 1.0):
        places = np.arange(int(len(piece) / speed)) * speed
        pattern = np.stack([np.interp(places, np.arange(len(piece)), band) for band in piece.T], axis=1)
        pattern = pattern - pattern.mean()
        best = -1.0
        for lag in range(len(heard) - len(pattern) + 1):
            window = heard[lag : lag + len(pattern)]
            window = window - window.mean()
            scale = np.linalg.norm(window) * np.linalg.norm(pattern) + 1e-9
            best = max(best, float((window * pattern).sum() / scale))
        matches.append(best)
    return matches[0], matches[1]
