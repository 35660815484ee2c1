"""QA Z9's rest: a backup run without the passphrase (README: `backup` needs none) cannot read the lists, and logged
its folder's path ("/media/usb/Keisha-Marlowe-bk") in the plaintext audit log, copied whole into every backup. Neither
`backup` nor `field-kit` logs its folder now, keyed or not; this computer remembers where each backup went, for the
report and for check's words on restoring a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fieldvault import layout
from fieldvault.stewardship.backup import backup
from fieldvault.stewardship.lost import restore_file_hint
from fieldvault.stewardship.report import build
from fieldvault.study import Study


def test_no_backup_or_kit_folder_goes_into_the_log_and_the_report_still_names_the_backup(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    usb = tmp_path / "Keisha-Marlowe-bk"
    backup(ready_study, usb)  # no passphrase: no list read
    ready_study.make_field_kit(tmp_path / "Deshawn-Pryor-kit")
    logged = (ready_study.root / layout.AUDIT_FILE).read_text()
    assert "Keisha" not in logged and "Deshawn" not in logged
    assert "Keisha" not in (usb / layout.AUDIT_FILE).read_text()

    report = build(ready_study, identities, date(2026, 11, 28)).to_markdown().split("Backups", 1)[1]
    assert f"| {usb} |" in report, report  # remembered on this computer
    assert str(usb / "study.toml") in restore_file_hint(ready_study, "study.toml")


def test_what_is_done_on_a_backup_is_logged_and_carried_by_no_path(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """An entry written on a backup said which folder it was (`on_backup`), and the next backup carried it into the
    study's log with that folder as its `origin`: the same path, in plaintext, by another way."""
    usb = tmp_path / "Keisha-Marlowe-bk"
    backup(ready_study, usb)
    Study.open(usb).audit.append("decrypt", file="study.toml", out=str(tmp_path / "copy.toml"))  # done on the backup
    assert "Keisha" not in (usb / layout.AUDIT_FILE).read_text()
    assert backup(ready_study, usb).carried == 1
    assert "Keisha" not in (ready_study.root / layout.AUDIT_FILE).read_text()
    report = build(ready_study, identities, date(2026, 11, 28)).to_markdown()
    (row,) = [line for line in report.splitlines() if "decrypted a file" in line]
    assert f"study.toml (on {usb})" in row, row  # remembered on this computer
