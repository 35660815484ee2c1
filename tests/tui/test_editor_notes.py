"""The editor shows the session's notes: a note taken with m while recording (as a row where it was taken,
once transcribed) and the field notes written after the interview (F9). Real recording screen, real
Whisper tiny.en through `fieldvault transcribe`, Pilot at 80×24."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from fieldvault.study import Study
from fieldvault.tui.screens.editor import EditorScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.notes import SessionNotesScreen
from fieldvault.tui.screens.recording import RecordingScreen
from fieldvault.tui.widgets.transcript_rows import MarkerRow
from tests.conftest import PASSPHRASE
from tests.e2e.conftest import speech
from tests.tui.conftest import unlock, until
from tests.tui.test_field_sessions import _app, _participant, _sessions

pytestmark = pytest.mark.slow

SAID = "I left the city in the spring. My sister helped me find a room, and I started work in a bakery."


async def test_notes_from_recording_and_field_notes_are_visible_in_the_editor(
    ready_study: Study, tmp_path: Path
) -> None:
    _participant(ready_study, "Rose")
    app = _app(ready_study, samples=speech(tmp_path / "said.wav", SAID))
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("r", "3")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        screen = app.screen
        await pilot.click("#start")
        await until(pilot, lambda: screen.recorder is not None and screen.recorder.at > 1.5)
        await pilot.press("m")
        await until(pilot, lambda: bool(app.screen.query("#answer")))
        app.screen.query_one("#answer", Input).value = "she smiled at the bakery"
        await pilot.press("enter")
        # The recording ends with the speech; the home screen comes back with the session selected.
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), seconds=20)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
        app.screen.query_one("#new-notes", TextArea).text = "Quiet room; she asked to stop at four."
        await pilot.press("ctrl+s", "escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))

    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE)
    secret.chmod(0o600)
    done = subprocess.run(
        ["fieldvault", "transcribe", str(ready_study.root), "--passphrase-file", str(secret)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr

    app = _app(ready_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen) and bool(app.screen.query(MarkerRow)))
        editor = app.screen
        rows = [str(row.render()) for row in editor.query(MarkerRow)]
        assert any("note at 00:00:0" in row and "she smiled at the bakery" in row for row in rows), rows
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
        timeline = str(app.screen.query_one("#timeline", Static).render())
        assert "NOTE" in timeline and "she smiled at the bakery" in timeline
        assert "Quiet room; she asked to stop at four." in str(app.screen.query_one("#field-notes", Static).render())
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is editor)
    assert len(_sessions(ready_study, "Rose")) == 1
