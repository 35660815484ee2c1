"""QA Y8: on a backup disk, her folder renamed `.withdrawing-…` (one `mv`, no passphrase) was shredded by the first
command that opened the backup, README's restore check `audit BACKUP --verify --head` among them: the last copy."""

from __future__ import annotations

from pathlib import Path

from fieldvault import layout
from fieldvault.stewardship.backup import backup
from fieldvault.study import Study
from tests.stewardship import ROSA, add_person


def test_opening_a_backup_destroys_no_folder_named_as_pending(ready_study: Study, tmp_path: Path) -> None:
    add_person(ready_study, ROSA)
    dest = tmp_path / "usb"
    backup(ready_study, dest)
    hers = layout.participant(dest, "Rosa")
    before = sorted(p.relative_to(hers) for p in hers.rglob("*") if p.is_file())
    for pending in (".withdrawing-0123456789abcdef", ".keeping-0123456789abcdef"):
        moved = hers.with_name(pending)
        hers.rename(moved)
        Study.open(dest).audit.verify()  # what README's restore check does first
        assert sorted(p.relative_to(moved) for p in moved.rglob("*") if p.is_file()) == before
        moved.rename(hers)
