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
