"""QA Y3: her folder renamed `.withdrawing-…` or `.keeping-…` by hand (one `mv`, no passphrase) was shredded by the
next command of any kind, as if a withdrawal cut off had left it. A withdrawal records its pending name before it sets
her folder aside, and what it stages to keep is de-identified: anything else is left as it is, and said."""

from __future__ import annotations

import pytest

from fieldvault import layout
from fieldvault.study import Study
from tests.stewardship import ROSA, add_person


@pytest.mark.parametrize("pending", [".withdrawing-Rosa", ".keeping-0123456789abcdef"])
def test_a_folder_renamed_as_pending_by_hand_is_not_destroyed(ready_study: Study, pending: str) -> None:
    add_person(ready_study, ROSA)
    hers = layout.participant(ready_study.root, "Rosa")
    before = sorted(p.relative_to(hers) for p in hers.rglob("*") if p.is_file())
    moved = hers.with_name(pending)
    hers.rename(moved)
    told: list[str] = []
    previous = Study.listen(told.append)
    try:
        Study.open(ready_study.root)  # any command
    finally:
        Study.listen(previous)
    assert sorted(p.relative_to(moved) for p in moved.rglob("*") if p.is_file()) == before
    assert any(f"{pending}: no withdrawal set it aside, so nothing of it was destroyed" in line for line in told)


def test_her_folder_moved_into_a_destroying_folder_by_hand_is_not_destroyed(ready_study: Study) -> None:
    add_person(ready_study, ROSA)
    hers = layout.participant(ready_study.root, "Rosa")
    before = sorted(p.relative_to(hers) for p in hers.rglob("*") if p.is_file())
    pending = ready_study.root / f"{layout.DESTROYING}-x"
    pending.mkdir()
    hers.rename(pending / "Rosa")
    Study.open(ready_study.root)  # any command
    assert sorted(p.relative_to(pending / "Rosa") for p in (pending / "Rosa").rglob("*") if p.is_file()) == before
