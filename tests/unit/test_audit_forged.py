"""Lines anyone who can write the study folder appends to the audit log, chained (right seq, prev and hash), without
the study key: a junk mac (QA X1), or none on an action only the key writes (QA X6). `check` fails them, the set-aside
names them for what they are, and `audit --verify --head` refuses a key-only one after the head kept apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fieldvault import layout
from fieldvault.audit import _digest, _lines_from_end, entry_content
from fieldvault.errors import AuditBroken
from fieldvault.stewardship.backup import backup
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from fieldvault.suggested import command
from tests.conftest import as_a_backup

JUNK_MAC = "0" * 62 + "aa"


def forge(root: Path, action: str, mac: str | None = None, **details: Any) -> None:
    """Append a line that chains, as anyone with write access to the folder can (no key)."""
    log = root / layout.AUDIT_FILE
    last = json.loads(log.read_text().splitlines()[-1])
    entry: dict[str, Any] = {
        "seq": last["seq"] + 1, "time": last["time"], "actor": "root", "action": action, "details": details,
        "prev": last["hash"],
    }  # fmt: skip
    entry["hash"] = _digest(entry_content(entry))
    if mac is not None:
        entry["mac"] = mac
    with log.open("a") as appended:
        appended.write(json.dumps(entry) + "\n")


def _keyed(study: Study, identities: list) -> Study:
    study.use_identities(identities)
    study.audit.append("export", format="txt")
    return study


def _reopened(root: Path, identities: list, setting_aside: bool = False) -> Study:
    study = Study.open(root)
    study.setting_aside_strays = setting_aside
    study.use_identities(identities)
    return study


def test_check_fails_an_unsigned_key_only_line_instead_of_calling_it_a_kit_s(study: Study, identities: list) -> None:
    """QA X6: a forged acceptance of an older log was "written on a field kit or while locked ... covered by the next
    entry", and check passed; the set-aside then takes it out of what is read."""
    root = _keyed(study, identities).root
    forge(root, "audit.older-log-accepted", count=3)
    line = len((root / layout.AUDIT_FILE).read_text().splitlines())
    result = check_study(_reopened(root, identities), identities)
    assert [f.problem for f in result.failures] == [
        f"line {line} (audit.older-log-accepted) was appended without the study key: nothing it says is taken as "
        f"fact; set it aside with `{command('check', root, '--set-aside-stray-lines')}`"
    ]
    assert "written on a field kit" not in result.audit
    mended = _reopened(root, identities, setting_aside=True)
    assert mended.strays_set_aside is not None
    assert check_study(mended, identities).ok


def test_the_set_aside_names_a_chaining_line_with_a_junk_mac_as_forged_not_as_out_of_place(
    study: Study, identities: list
) -> None:
    root = _keyed(study, identities).root
    forge(root, "export", JUNK_MAC, format="txt")
    set_aside = _reopened(root, identities, setting_aside=True).strays_set_aside
    assert set_aside is not None
    (said,) = set_aside.lines
    assert "with a mac the study key did not write" in said and "does not follow" not in said


def test_verify_with_a_kept_head_names_what_the_key_did_not_sign_after_it_and_fails_on_a_key_only_line(
    study: Study, identities: list
) -> None:
    """QA X6 from a backup disk: `audit BACKUP --verify --head` passed a forged acceptance appended after the head."""
    root = _keyed(study, identities).root
    head = study.audit.verify().head
    Study.open(root).audit.append("backup", out="/media/disk", count=1)  # without the passphrase: unsigned
    forge(root, "import", session="s1")
    said = _reopened(root, identities).audit.verify(head).describe()
    seq = int(head.split(":")[0])
    assert f"{seq + 1} ('backup': a backup's own entry, made without the passphrase: expected)" in said
    assert f"{seq + 2} ('import': written on a field kit, with the study locked, or by someone at the disk" in said
    forge(root, "audit.older-log-accepted", count=3)
    as_a_backup(root)
    with pytest.raises(AuditBroken, match=f"entry {seq + 3} .audit.older-log-accepted., after the head you kept") as no:
        _reopened(root, identities).audit.verify(head)
    assert "do not use this backup" in str(no.value)
    assert _reopened(root, identities).audit.verify().forged  # without a kept head: named, not refused


def test_a_backup_refuses_a_forged_line_before_it_copies_anything(
    study: Study, identities: list, tmp_path: Path
) -> None:
    """X1's rest: the backup copied every file, then its own entry was refused, leaving a backup without a log."""
    root = _keyed(study, identities).root
    forge(root, "export", JUNK_MAC, format="txt")
    with pytest.raises(AuditBroken, match=r"line \d+ \(export\) fails authentication with the study key"):
        backup(study, tmp_path / "disk", identities=identities)
    assert not (tmp_path / "disk").exists()


def test_a_forged_mac_followed_by_an_entry_written_without_the_key_is_set_aside_in_place(
    study: Study, identities: list
) -> None:
    """A backup run without the passphrase after the forged line chains its entry to it: moving the line out took the
    genuine entry with it, and the head this computer remembers then refused the log."""
    root = _keyed(study, identities).root
    forge(root, "export", JUNK_MAC, format="txt")
    Study.open(root).audit.append("backup", out="/media/disk", count=1)
    lines = (root / layout.AUDIT_FILE).read_text().splitlines()
    mended = _reopened(root, identities, setting_aside=True)
    assert mended.strays_set_aside is not None and len(mended.strays_set_aside.disowned) == 1
    assert (root / layout.AUDIT_FILE).read_text().splitlines()[: len(lines)] == lines  # nothing moved out
    assert check_study(_reopened(root, identities), identities).ok


@pytest.mark.parametrize("block", [1, 5, 64, 64 * 1024])
def test_lines_read_from_the_end_in_blocks_are_the_file_s_with_their_numbers(tmp_path: Path, block: int) -> None:
    """The refusal before every keyed entry reads the log from its end only back to the last signed line; the line
    numbers it names must be the file's, whatever the block size (a line split across blocks, a log not ending in a
    newline)."""
    data = b'{"a":1}\n\n{"b":22}\nnot json\n' + b"x" * 70 + b'\n{"c":3}'
    path = tmp_path / "log"
    path.write_bytes(data)
    with path.open("rb") as log:
        read = [(data[:start].count(b"\n") + 1 + index, line) for start, index, line in _lines_from_end(log, block)]
    assert read == list(reversed(list(enumerate(data.split(b"\n"), start=1))))
