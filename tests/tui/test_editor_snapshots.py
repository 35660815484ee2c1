"""Snapshots of the transcript editor at the smallest usual terminal (80x24) and a large one (160x48).
Update with --snapshot-update after a deliberate change."""

from __future__ import annotations

import pytest

from fieldvault.study import Study
from fieldvault.tui.app import make_app
from tests.conftest import PASSPHRASE
from tests.tui.conftest import unlock
from tests.tui.test_editor import study_with_draft


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_editor_screen(snap_compare, study: Study, size: tuple[int, int]) -> None:
    study_with_draft(study)
    # unlocked once before, as a PI's study is: the unlock has nothing new to vouch for, and no note covers the editor
    Study.open(study.root).unlock(PASSPHRASE.encode())

    async def open_editor(pilot) -> None:
        await unlock(pilot)
        await pilot.press("o")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "ctrl+t", "down")  # a speaker set; the cursor in the third segment
        await pilot.pause()

    assert snap_compare(make_app(study), run_before=open_editor, terminal_size=size)
