"""QA A15 with Pilot (80×24) and a second, real process: a session open in this TUI's editor, review or notes
screen is not moved by another fieldvault until it is closed here; this TUI does not move a session another one
has open, nor open one another is moving; and its own moves behave as before."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import DataTable

from fieldvault import layout
from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.confirm import ConfirmScreen
from fieldvault.tui.screens.editor import EditorScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.notes import SessionNotesScreen
from fieldvault.tui.screens.pick import PickScreen
from fieldvault.tui.screens.review import ReviewScreen
from tests.conftest import ANSWERS, PASSPHRASE
from tests.tui.conftest import messages, unlock, until
from tests.tui.test_editor import SESSION, open_editor, study_with_draft
from tests.unit.test_session_open import EDITOR, OPEN_ELSEWHERE, _files, _start

ROSE = 1  # her session's row, under June's "no session yet"

# Holds the session as a move under way does, until its stdin closes.
MOVING = """
import sys
from pathlib import Path
from fieldvault.sessionopen import held_for_move
with held_for_move(Path(sys.argv[1])):
    print("moving", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def rose(study: Study) -> Study:
    """Rose's transcribed session, and June, who it may move to."""
    study_with_draft(study)
    keys = study.unlock(PASSPHRASE.encode())  # Rose's list holds a name: June's pseudonym is checked
    add_participant(study, "June", ANSWERS, ConsentRecord("verbal consent", "v", "s", "now"), [], keys)
    return study


def _move_elsewhere(study: Study, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`fieldvault session move` in a second terminal."""
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    command = ["fieldvault", "session", "move", str(study.root), "Rose", SESSION, "--to", "June"]
    return subprocess.run([*command, "--passphrase-file", str(secret)], capture_output=True, text=True, timeout=120)


def _refused_here(run: subprocess.CompletedProcess[str]) -> bool:
    return run.returncode == 1 and run.stderr == (
        f"fieldvault: error: session {SESSION} of Rose {OPEN_ELSEWHERE} (pid {os.getpid()}); "
        "close it there (or let the queue finish), then move it\n"
    )


@pytest.fixture
def held_elsewhere(rose: Study, request: pytest.FixtureRequest) -> Iterator[None]:
    """Another process holding Rose's session: open in its editor (EDITOR) or moving it (MOVING)."""
    process = _start(request.param, str(layout.session(rose.root, "Rose", SESSION)))
    try:
        assert process.stdout is not None and process.stdout.readline() in ("open\n", "moving\n"), process.stderr
        yield
    finally:
        process.communicate("", timeout=30)


async def test_a_session_open_in_the_editor_here_is_not_moved_by_another_fieldvault_until_closed(
    rose: Study, tmp_path: Path
) -> None:
    app = make_app(rose)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_editor(pilot, row=ROSE)
        await pilot.press("end", *" Yes.")
        before = _files(rose.root)
        run = _move_elsewhere(rose, tmp_path)
        assert _refused_here(run), run.stderr
        assert _files(rose.root) == before
        await pilot.press("ctrl+s")  # what was typed is stored where the session still is
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.dirty and "Saved as version 2" in messages(app), messages(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        run = _move_elsewhere(rose, tmp_path)
        assert run.returncode == 0 and f"moved session {SESSION} from Rose to June" in run.stdout, run.stderr


@pytest.mark.parametrize(("key", "shown"), [("v", ReviewScreen), ("f", SessionNotesScreen)], ids=["review", "notes"])
async def test_a_session_open_in_the_review_or_notes_screen_here_is_not_moved_by_another_fieldvault_until_closed(
    rose: Study, tmp_path: Path, key: str, shown: type[Screen[None]]
) -> None:
    app = make_app(rose)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        app.screen.query_one("#sessions", DataTable).move_cursor(row=ROSE)
        await pilot.press(key)
        await until(pilot, lambda: isinstance(app.screen, shown))
        before = _files(rose.root)
        assert _refused_here(run := _move_elsewhere(rose, tmp_path)), run.stderr
        assert _files(rose.root) == before
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        run = _move_elsewhere(rose, tmp_path)
        assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("held_elsewhere", [EDITOR], indirect=True, ids=["editor"])
async def test_this_tui_does_not_move_a_session_open_in_another_fieldvault(rose: Study, held_elsewhere: None) -> None:
    before = _files(rose.root)
    app = make_app(rose)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        app.screen.query_one("#sessions", DataTable).move_cursor(row=ROSE)
        await pilot.press("M")
        await until(
            pilot, lambda: any("close it there (or let the queue finish), then move it" in m for m in messages(app))
        )
        assert isinstance(app.screen, HomeScreen)  # refused before asking where to
        (told,) = [m for m in messages(app) if "close it there" in m]
        assert f"session {SESSION} of Rose is open in the editor, review or notes screen" in told
    assert _files(rose.root) == before


@pytest.mark.parametrize("held_elsewhere", [MOVING], indirect=True, ids=["moving"])
async def test_this_tui_does_not_open_a_session_another_fieldvault_is_moving(rose: Study, held_elsewhere: None) -> None:
    app = make_app(rose)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        app.screen.query_one("#sessions", DataTable).move_cursor(row=ROSE)
        for key in ("o", "v", "f"):  # editor, review, notes
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
        being_moved = [m for m in messages(app) if "is being moved to another participant right now" in m]
        assert len(being_moved) == 3, messages(app)


async def test_this_tui_moves_a_session_its_own_editor_showed_once_closed_and_as_before_while_open(
    rose: Study,
) -> None:
    app = make_app(rose)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot, row=ROSE)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: any("Moved session" in m for m in messages(app)))
        assert layout.session(rose.root, "June", SESSION).is_dir()

        # Its own editor open (the home screen's move run under it, as no key can): moved, as it always was,
        # and the editor says so at its next save.
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        await app.workers.wait_for_complete()
        home._move("June", SESSION, "Rose")
        await until(pilot, lambda: sum("Moved session" in m for m in messages(app)) == 2)
        await pilot.press("end", *" Yes.", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith("this session was moved to Rose meanwhile") for m in messages(app)), messages(app)
    assert layout.session(rose.root, "Rose", SESSION).is_dir()
