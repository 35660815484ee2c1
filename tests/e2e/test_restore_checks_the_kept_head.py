"""QA W19 with the real `fieldvault` binary and real age files: README's restore onto a new laptop, from a backup disk
someone could write. A backup without the passphrase sets a withdrawn woman's files aside in the backup; at the disk,
with no passphrase, someone moves them back and cuts the backup's log to before her withdrawal. A new computer
remembers no head, so `check` there passes and exports hold her. Every `backup` prints the head to keep apart from
the disk, and README's restore checks the backup against it first: that refuses the rewritten backup, saying not to
use it (never "restore audit.jsonl from a backup": the backup is what was rewritten)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldvault.stewardship.backup import backup
from fieldvault.stewardship.withdraw import withdraw
from fieldvault.study import Study
from tests.e2e.test_backup_follows_the_log import AWAITING, _fieldvault
from tests.stewardship import JUNE, ROSA, add_person

KEEP = "keep this line with your records, not on the backup disk; before restoring from this backup, run: "


def test_a_backup_whose_log_was_cut_before_a_withdrawal_is_refused_by_the_head_it_printed(
    ready_study: Study, identities: list, unlock: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study, dest = ready_study, tmp_path / "usb"
    for person in (ROSA, JUNE):
        add_person(study, person, sessions=1, seconds=1.0)
    backup(study, dest, identities=identities)
    before = (study.root / "audit.jsonl").read_text().splitlines(keepends=True)
    withdraw(study, JUNE.pseudonym, identities)
    done = _fieldvault("backup", str(study.root), str(dest))  # the scheduled backup: no passphrase
    [kept] = [line for line in done.stdout.splitlines() if line.startswith(KEEP)]  # said once
    check = kept.removeprefix(KEEP)
    last = (dest / "audit.jsonl").read_text().splitlines()[-1]
    head = check.rsplit(" ", 1)[1]
    assert check == f"fieldvault audit {dest} --verify --head {head}" and head.split(":")[1] in last
    assert (dest / AWAITING / "participants" / JUNE.pseudonym).is_dir()  # set aside, not destroyed
    untouched = tmp_path / "usb-untouched"
    shutil.copytree(dest, untouched, symlinks=True)
    # at the backup disk, no passphrase: her files moved back, the log cut to before her withdrawal
    shutil.move(dest / AWAITING / "participants" / JUNE.pseudonym, dest / "participants" / JUNE.pseudonym)
    shutil.rmtree(dest / AWAITING)
    (dest / "audit.jsonl").write_text("".join(before))
    monkeypatch.setenv("FIELDVAULT_HOME", str(tmp_path / "new-laptop"))  # remembers no head, no withdrawal
    refused = _fieldvault(*check.split()[1:], *unlock, rc=1)
    assert "the kept head names entry" in refused.stderr and "entries were cut off the end" in refused.stderr
    assert "this backup's log was cut or rewritten after the head you kept" in refused.stderr
    assert "do not use this backup; take another backup" in refused.stderr
    assert "restore audit.jsonl from a backup" not in refused.stderr
    kept_whole = Study.open(untouched)  # the backup as the run left it holds the head it printed
    kept_whole.use_identities(identities)
    assert kept_whole.audit.verify(head).head == head
