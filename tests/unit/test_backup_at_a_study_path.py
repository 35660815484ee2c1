"""QA Z4: `loghead.known_here` asked only whether this computer once remembered a study at a path. A backup written to
a folder this computer once knew as a study (the study moved off the USB stick, the stick now takes its backups) was
taken for a study with a marker copied in: README's restore check ran the finishers there (a `.keeping-` folder on the
backup shredded), and writing commands told the PI to delete the backup's marker, after which the disk refused every
backup. `backup` tells this computer the folder is a backup now; a marker counts for nothing only where it was not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.errors import BadInput
from fieldvault.recording_lock import pid_alive
from fieldvault.stewardship.backup import backup
from fieldvault.study import Study, refuse_backup_folder
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person


def test_a_backup_at_a_path_once_a_study_here_is_a_backup_and_keeps_what_it_holds(
    ready_study: Study, tmp_path: Path
) -> None:
    add_person(ready_study, ROSA)
    stick = ready_study.root
    Study.open(stick).unlock(PASSPHRASE.encode())  # its head remembered here for this folder
    laptop = tmp_path / "laptop"
    shutil.move(stick, laptop)
    moved = Study.open(laptop)
    backup(moved, stick, identities=moved.unlock(PASSPHRASE.encode()))

    hers = layout.participant(stick, "Rosa")
    before = sorted(p.relative_to(hers) for p in hers.rglob("*") if p.is_file())
    planted = hers.rename(hers.with_name(".keeping-0123456789abcdef"))  # one `mv` on the backup disk
    Study.open(stick).unlock(PASSPHRASE.encode())  # README's restore check unlocks the backup
    assert sorted(p.relative_to(planted) for p in planted.rglob("*") if p.is_file()) == before
    assert Study.open(stick).on_backup
    with pytest.raises(BadInput, match="is a backup made by `fieldvault backup`, not a study"):
        refuse_backup_folder(stick)  # never "delete it"
    planted.rename(hers)
    assert backup(moved, stick).copied == 0  # the disk takes backups still


def test_a_marker_copied_into_a_known_study_says_how_to_keep_a_genuine_backup_of_ones_own(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    root = ready_study.root
    backup(ready_study, tmp_path / "usb", identities=identities)
    shutil.copy2(tmp_path / "usb" / layout.BACKUP_MARKER, root / layout.BACKUP_MARKER)  # planted
    with pytest.raises(BadInput, match="keep the marker and run `fieldvault backup STUDY") as said:
        refuse_backup_folder(root)
    assert f"rm {root / layout.BACKUP_MARKER}" in str(said.value)


def test_a_keyless_backup_into_a_known_study_with_a_marker_copied_in_is_refused_and_its_guard_kept(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA AA2: a genuine backup's marker copied into the study and a keyless `backup COPY STUDY` made this computer
    forget the study's remembered head: a log cut back then passed check, and every writing command refused the PI's
    own study as a backup. Only the study key (or a backup this computer made there before) makes it a backup."""
    root = ready_study.root
    Study.open(root).unlock(PASSPHRASE.encode())  # its head remembered here
    backup(ready_study, tmp_path / "usb", identities=identities)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    shutil.copy2(tmp_path / "usb" / layout.BACKUP_MARKER, root / layout.BACKUP_MARKER)  # planted
    with pytest.raises(BadInput, match=r"knows it as a study .* with the study's passphrase"):
        backup(Study.open(copy), root)
    assert not Study.open(root).on_backup  # still a study here: its rollback guard stands
    keyed = Study.open(copy)
    backup(keyed, root, identities=keyed.unlock(PASSPHRASE.encode()))  # the PI's own old backup: with the key
    assert Study.open(root).on_backup


def test_a_first_backup_cut_off_writing_its_marker_leaves_a_folder_the_next_backup_takes(
    ready_study: Study, tmp_path: Path
) -> None:
    """QA AA8: a first backup cut off while writing its marker (its only file) left `..fieldvault-backup.json.PID.tmp`
    alone in the new folder, and every later backup was refused as "not empty and holds no fieldvault backup"."""
    dest = tmp_path / "usb"
    dest.mkdir()
    dead = next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))
    (dest / f".{layout.BACKUP_MARKER}.{dead}.tmp").write_bytes(b'{"study": "')  # half written
    done = backup(ready_study, dest)
    assert done.tidied == ((f".{layout.BACKUP_MARKER}.{dead}.tmp", dead),) and (dest / layout.BACKUP_MARKER).is_file()
