"""Footers keep Stop, Save, Quit and each screen's most used keys visible at 80×24 and at 100 columns;
every other key is on the screen's help (? or F1). Fails if a key is cut off at the right edge."""

from __future__ import annotations

import pytest
from textual.screen import Screen

from fieldvault.study import Study
from fieldvault.tui.screens.editor import EditorScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.journal import JournalScreen
from fieldvault.tui.screens.notes import SessionNotesScreen
from fieldvault.tui.screens.review import ReviewScreen
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person, transcribe_and_review
from tests.tui.conftest import unlock, until
from tests.tui.test_field_sessions import _app, _record, _stop, _visible_footer_keys

EXPECTED: dict[type[Screen], set[str]] = {
    HomeScreen: {"Quit", "Help", "New", "Record", "Notes", "Journal", "Transcribe", "Export", "Lock"},
    EditorScreen: {"Play", "Back 3 s", "Save", "Reviewed", "Keys", "Back", "Quit"},
    ReviewScreen: {"Accept", "Reject", "Label", "Next undecided", "Back", "Quit", "Help"},
    SessionNotesScreen: {"Save field notes", "Back", "Quit", "Help"},
    JournalScreen: {"Save entry", "Back", "Quit", "Help"},
}
RECORDING = {"Stop", "Quit", "Break", "Note", "Pause", "Next", "Previous", "Help"}


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_footers_keep_stop_save_quit_and_the_main_keys_visible(ready_study: Study, size: tuple[int, int]) -> None:
    session = add_person(ready_study, ROSA)[0]
    transcribe_and_review(ready_study, ready_study.unlock(PASSPHRASE.encode()), ROSA, session)
    app = _app(ready_study)
    seen: dict[type[Screen], set[str]] = {}
    opened: tuple[tuple[str, type[Screen]], ...] = (
        ("o", EditorScreen), ("v", ReviewScreen), ("f", SessionNotesScreen), ("j", JournalScreen),
    )  # fmt: skip
    async with app.run_test(size=size) as pilot:
        await unlock(pilot)
        seen[HomeScreen] = _visible_footer_keys(app)
        for key, screen in opened:
            await pilot.press(key)
            await until(pilot, lambda screen=screen: isinstance(app.screen, screen))
            seen[screen] = _visible_footer_keys(app)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("r", "1", "ctrl+g", "ctrl+s")
        await _record(pilot)
        recording = _visible_footer_keys(app)
        await _stop(pilot)
    for screen, keys in EXPECTED.items():
        assert keys <= seen[screen], f"{screen.__name__} at {size}: {sorted(keys - seen[screen])} cut off"
    assert RECORDING <= recording, sorted(RECORDING - recording)
