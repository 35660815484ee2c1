"""QA S12 on screen: at 22:05 on 26 November in American Samoa (09:05 UTC on the 27th) the journal said "New entry,
dated today" and named it 2026-11-27-1 with nothing more. Names stay UTC; the screens say so, with the time here."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from textual.widgets import Static

from fieldvault.study import Study
from fieldvault.tui.screens.journal import JournalScreen
from tests.tui.conftest import unlock, until
from tests.tui.test_field_sessions import _app

EVENING_IN_SAMOA = datetime(2026, 11, 27, 9, 5, 7, tzinfo=UTC)


@pytest.fixture
def in_samoa(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Pacific/Pago_Pago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def test_the_journal_says_an_entry_is_named_by_the_utc_date_and_when_it_was_written_here(
    ready_study: Study, in_samoa: None
) -> None:
    ready_study.clock = lambda: EVENING_IN_SAMOA
    app = _app(ready_study)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen))
        label = str(app.screen.query_one("#new-label", Static).render())
        assert "named by today's date in UTC: 2026-11-27 09:05 UTC (2026-11-26 22:05 here)." in label, label
        await pilot.press(*"Evening write-up.", "ctrl+s")
        await until(pilot, lambda: "Evening write-up" in str(app.screen.query_one("#entries", Static).render()))
        entries = str(app.screen.query_one("#entries", Static).render())
        assert "2026-11-27-1  written 2026-11-27 09:05 UTC (2026-11-26 22:05 here)" in entries, entries


async def test_field_notes_say_when_they_were_written_in_utc_and_here(ready_study: Study, in_samoa: None) -> None:
    from fieldvault import layout
    from fieldvault.memos import add_field_note
    from fieldvault.tui.screens.notes import SessionNotesScreen
    from tests.stewardship import ROSA, add_person

    (session,) = add_person(ready_study, ROSA)
    ready_study.clock = lambda: EVENING_IN_SAMOA
    add_field_note(ready_study, layout.session(ready_study.root, "Rosa", session), "She asked to stop at the motel.")
    app = _app(ready_study)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
        notes = str(app.screen.query_one("#field-notes", Static).render())
        assert "2026-11-27 09:05 UTC (2026-11-26 22:05 here)\nShe asked to stop" in notes, notes
