"""QA Y10: a backup's marker is a plain file. Copied from a backup into the study folder (no passphrase), it made this
computer stop remembering the log's head: every entry after it (exports a withdrawal must ask back, a backup) could be
cut off later unnoticed, exports said "from a backup", and check passed. In a folder this computer knows as a study
the marker counts for nothing, and check names it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.export.placeholders import on_backup
from fieldvault.loghead import OlderLog
from fieldvault.stewardship.backup import backup
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from tests.conftest import PASSPHRASE


def test_a_marker_copied_into_the_study_neither_stops_its_head_being_remembered_nor_makes_it_a_backup(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    root = ready_study.root
    dest = tmp_path / "usb"
    backup(ready_study, dest, identities=identities)
    shutil.copy2(dest / layout.BACKUP_MARKER, root / layout.BACKUP_MARKER)  # planted
    planted = root.joinpath(layout.AUDIT_FILE).read_bytes()

    study = Study.open(root)
    assert not on_backup(study)  # an export is no export "from a backup"
    study.unlock(PASSPHRASE.encode())
    study.audit.append("export", format="txt")  # what a withdrawal must ask back
    study.audit.append("export", format="docx")
    failures = check_study(study, identities).failures
    assert [f.file for f in failures] == [layout.BACKUP_MARKER], failures
    assert "delete it" in failures[0].problem

    root.joinpath(layout.AUDIT_FILE).write_bytes(planted)  # the entries since the marker cut off
    with pytest.raises(OlderLog, match="cut off"):
        Study.open(root).unlock(PASSPHRASE.encode())
    assert on_backup(Study.open(dest))  # the backup's own marker still counts there


def test_check_settle_in_a_study_with_a_marker_copied_in_says_to_delete_it_not_to_settle_from_the_study(
    ready_study: Study, identities: list, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA Y10's rest: `check --settle` took the marker alone for a backup and told the PI to settle her own study
    "from the study" with `backup STUDY <her study> --authenticate`."""
    from fieldvault.cli import main

    root, dest = ready_study.root, tmp_path / "usb"
    backup(ready_study, dest, identities=identities)
    shutil.copy2(dest / layout.BACKUP_MARKER, root / layout.BACKUP_MARKER)  # planted
    said = {}
    for folder in (root, dest):
        with pytest.MonkeyPatch.context() as env:
            env.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
            assert main(["check", str(folder), "--settle"]) == 1
        said[folder] = capsys.readouterr().err.strip().splitlines()[-1]
    assert "yet this computer knows it as a study" in said[root], said
    assert f"rm {root / layout.BACKUP_MARKER}" in said[root] and "backup, not a study" not in said[root], said
    assert said[dest].startswith(f"fieldvault: error: {dest} is a backup, not a study: settle its"), said


def test_removed_data_set_aside_in_a_study_with_a_marker_copied_in_is_still_reported(
    ready_study: Study, identities: list
) -> None:
    """QA Y10's rest: with the marker alone taken for a backup, check and the report said nothing of removed data a
    backup without the passphrase set aside in a study restored from it (a withdrawn woman's recording, still here)."""
    from datetime import date

    from fieldvault.stewardship.report import build

    aside = ready_study.root / layout.AWAITING_AUTHENTICATION / "participants/Rose/20261101-100000/audio.wav.age"
    aside.parent.mkdir(parents=True)
    aside.write_bytes(b"age-encryption.org/v1 as a backup set it aside")
    (ready_study.root / layout.BACKUP_MARKER).write_text("{}")  # planted

    failed = [f.file for f in check_study(ready_study, identities).failures]
    assert f"{layout.AWAITING_AUTHENTICATION}/" in failed and layout.BACKUP_MARKER in failed, failed
    said = build(ready_study, identities, date(2026, 11, 28)).to_markdown()
    assert f"1 file(s) of removed data still in the study folder (in {layout.AWAITING_AUTHENTICATION}/" in said
