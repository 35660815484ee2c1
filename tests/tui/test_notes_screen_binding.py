"""QA Q4 in the TUI: the notes screen (f) showed field notes copied into another woman's session as hers. Now it
shows one line naming the file and what to do instead, and her own notes where they belong (Pilot)."""

from __future__ import annotations

import shutil

from textual.widgets import DataTable, Static

from fieldvault import layout
from fieldvault.memos import add_field_note
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.notes import SessionNotesScreen
from tests.stewardship import JUNE, ROSA, add_person
from tests.tui.conftest import unlock, until

NOTE = "Note one: her brother waited outside."


async def _notes_of(pilot, who: str, session: str) -> str:
    table = pilot.app.screen.query_one("#sessions", DataTable)
    (row,) = [n for n in range(table.row_count) if table.get_row_at(n)[:2] == [who, session]]
    table.move_cursor(row=row)
    await pilot.press("f")
    await until(pilot, lambda: isinstance(pilot.app.screen, SessionNotesScreen))
    shown = str(pilot.app.screen.query_one("#field-notes", Static).render())
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    return shown


async def test_the_notes_screen_refuses_another_womans_notes(ready_study: Study) -> None:
    (rosa,) = add_person(ready_study, ROSA)
    add_person(ready_study, JUNE)
    june = next(p.name for p in (ready_study.root / layout.PARTICIPANTS / "June").iterdir() if p.is_dir())
    rosa_folder = layout.session(ready_study.root, "Rosa", rosa)
    add_field_note(ready_study, rosa_folder, NOTE)
    shutil.copyfile(
        rosa_folder / "fieldnotes-1.md.age", layout.session(ready_study.root, "June", june) / "fieldnotes-1.md.age"
    )
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        theirs = await _notes_of(pilot, "June", june)
        assert NOTE not in theirs
        assert f"participants/June/{june}/fieldnotes-1.md.age is the field notes of Rosa's session {rosa}" in " ".join(
            theirs.split()
        ), theirs
        assert NOTE in await _notes_of(pilot, "Rosa", rosa)
