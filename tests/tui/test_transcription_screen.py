"""The transcription queue screen with real tiny.en: progress, per-item errors, responsiveness, cancel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Label, ProgressBar

from fieldvault.layout import TRANSCRIPT
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.transcription import TranscriptionScreen
from tests.e2e.conftest import speech
from tests.e2e.test_transcribe import _store_recording
from tests.tui.conftest import unlock

pytestmark = pytest.mark.slow


async def _open_queue(app, pilot) -> None:
    await unlock(pilot)
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(app.screen, TranscriptionScreen)


async def _wait_states(app, pilot, count: int, seconds: float = 120) -> list[str]:
    for _ in range(int(seconds / 0.1)):
        states = [str(app.screen.query_one(f"#state-{i}", Label).render()) for i in range(count)]
        ended = ("cancelled", "damaged", "altered", "transcribed already")
        if all(s.startswith("done") or any(w in s for w in ended) for s in states):
            return states
        await pilot.pause(0.1)
    raise AssertionError(f"queue never finished: {states}")


async def test_queue_transcribes_each_item_and_shows_errors_per_item(study: Study, tmp_path: Path) -> None:
    voice = speech(tmp_path / "v.wav", "My case manager helped me find safe housing.")
    good = _store_recording(study, "Rose", voice)
    bad = _store_recording(study, "Lily", voice)
    data = bytearray((bad / "audio.wav.age").read_bytes())
    data[-40] ^= 0xFF  # tampered: this item fails, the other goes through
    (bad / "audio.wav.age").write_bytes(bytes(data))
    app = make_app(study)
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_queue(app, pilot)
        await pilot.press("ctrl+t")
        states = await _wait_states(app, pilot, 2)
        assert states[0].startswith("chunk") or "altered" in states[0] or "damaged" in states[0]  # Lily first
        assert states[1].startswith("done")
        assert app.screen.query_one("#bar-1", ProgressBar).progress == 1.0
    assert (good / TRANSCRIPT).exists() and not (bad / TRANSCRIPT).exists()


async def test_cancel_stops_between_windows_and_stores_nothing(study: Study) -> None:
    long_silence = _store_recording(study, "Rose", np.zeros(16000 * 2100, np.int16))
    app = make_app(study)
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_queue(app, pilot)
        await pilot.press("ctrl+t")
        for _ in range(100):  # until the work has begun (the voice-activity pass over 35 min takes seconds)
            if str(app.screen.query_one("#state-0", Label).render()).startswith("finding speech"):
                break
            await pilot.pause(0.05)
        await pilot.press("c")  # the screen answers keys while Whisper works
        states = await _wait_states(app, pilot, 1)
        assert "cancelled" in states[0]
    assert not (long_silence / TRANSCRIPT).exists()


async def test_a_session_another_fieldvault_transcribes_fails_in_the_queue(study: Study, tmp_path: Path) -> None:
    """The TUI twin of two `transcribe --force` runs: the queue's item for a session another fieldvault is
    transcribing fails with the line naming it, stores nothing, and the queue goes on with the next."""
    from tests.unit.test_session_open import TRANSCRIBER, _start

    voice = speech(tmp_path / "v.wav", "My case manager helped me find safe housing.")
    good = _store_recording(study, "Rose", voice)
    busy = _store_recording(study, "Lily", voice)
    elsewhere = _start(TRANSCRIBER, str(busy))
    try:
        assert elsewhere.stdout is not None and elsewhere.stdout.readline() == "transcribing\n", elsewhere.stderr
        app = make_app(study)
        async with app.run_test(size=(200, 30)) as pilot:
            await _open_queue(app, pilot)
            await pilot.press("ctrl+t")
            states = await _wait_states(app, pilot, 2)
            assert states[0] == (
                f"session {busy.name} of Lily is being transcribed already by another fieldvault (pid "
                f"{elsewhere.pid}): let it finish, or stop it with Ctrl+C there, then run this again; nothing was "
                "changed"
            )  # Lily first
            assert states[1].startswith("done")
    finally:
        elsewhere.kill()
        elsewhere.communicate(timeout=30)
    assert (good / TRANSCRIPT).exists() and not (busy / TRANSCRIPT).exists()
