"""Snapshot tests of key screens (pytest-textual-snapshot). Update with --snapshot-update after a deliberate change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fieldvault.study import Study
from fieldvault.tui.app import make_app
from tests.conftest import TEST_WORK_FACTOR


def _fixed_study(tmp_path: Path) -> Study:
    def clock() -> datetime:
        return datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    study = Study.create(tmp_path / "study", "Exiting the trade", "IRB-2026-17", b"x" * 12, TEST_WORK_FACTOR, clock)
    for pseudonym, session in [("Rose", "20261124-101500"), ("Grace", "20261125-140000")]:
        folder = study.root / "participants" / pseudonym / session
        folder.mkdir(parents=True)
        study.write_new(folder / "audio.wav.age", b"")
    return study


def test_home_screen_of_a_locked_study(snap_compare, tmp_path: Path) -> None:
    app = make_app(_fixed_study(tmp_path))
    assert snap_compare(app, press=["ctrl+l"], terminal_size=(90, 20))


def test_information_letter_screen(snap_compare, tmp_path: Path) -> None:
    from tests.conftest import fill_letter

    app = make_app(fill_letter(_fixed_study(tmp_path)))

    async def open_letter(pilot) -> None:
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(app, run_before=open_letter, terminal_size=(100, 30))
