"""What a command reads once and keeps (the audit log's word on each recipient, for a locked write) is read again
as soon as the file changes underneath a long-lived Study: a removal logged between two writes stops the second,
whether the line was appended, written over another in place with the file's size and mtime kept, or the log
replaced; a log that stops parsing stops the write every time."""

from __future__ import annotations

import os
import time

import pytest

from fieldvault.agefile import X25519Identity
from fieldvault.audit import AuditLog
from fieldvault.errors import AuditBroken, TamperedStudy
from fieldvault.study import Study


def _locked_with_reader(study: Study, identities: list) -> tuple[Study, str]:
    """A transcriber's key on the checked list, and the study opened without the key (an import, a transcriber's
    command), that has written once: whatever it read of the log is in hand."""
    reader = str(X25519Identity.generate().recipient())
    study.add_recipient(reader, "trx9", identities)
    locked = Study.open(study.root)
    locked.write_new("journal/first.md.age", b"first")
    return locked, reader


def test_a_removal_appended_to_the_log_between_two_writes_stops_the_second(study: Study, identities: list) -> None:
    locked, reader = _locked_with_reader(study, identities)
    AuditLog(study.root / "audit.jsonl").append("keys.remove-recipient", name="trx9", recipient=reader)
    with pytest.raises(TamperedStudy, match=r"lists trx9 \(age1.*removed"):
        locked.write_new("journal/second.md.age", b"second")
    assert not (study.root / "journal" / "second.md.age").exists()


def test_a_removal_written_in_place_with_size_and_mtime_kept_stops_the_next_write(
    study: Study, identities: list
) -> None:
    locked, reader = _locked_with_reader(study, identities)
    log = study.root / "audit.jsonl"
    before = log.stat()
    data = log.read_bytes()
    added = next(line for line in data.splitlines() if b'"keys.add-recipient"' in line and reader.encode() in line)
    # the same length: two separators lose their space, "add" becomes "remove"
    removed = added.replace(
        b'"action": "keys.add-recipient", "details": {', b'"action":"keys.remove-recipient","details":{'
    )
    assert len(removed) == len(added) and removed != added
    time.sleep(0.05)  # past the file system's clock tick: only the change time tells
    with log.open("r+b") as same:  # the same inode, the same size
        same.write(data.replace(added, removed))
    os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = log.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    with pytest.raises(TamperedStudy, match="trx9"):
        locked.write_new("journal/second.md.age", b"second")


def test_an_older_log_put_back_under_a_long_lived_study_is_read_anew(study: Study, identities: list) -> None:
    """The log replaced by another file (a sync client's copy) that records the removal and lacks later lines."""
    locked, reader = _locked_with_reader(study, identities)
    log = study.root / "audit.jsonl"
    other = log.with_name("synced.jsonl")
    other.write_bytes(log.read_bytes())
    AuditLog(other).append("keys.remove-recipient", name="trx9", recipient=reader)
    locked.write_new("journal/second.md.age", b"second")  # the log itself has not changed yet
    os.replace(other, log)
    with pytest.raises(TamperedStudy, match="trx9"):
        locked.write_new("journal/third.md.age", b"third")


def test_a_log_that_no_longer_parses_stops_every_write_not_only_the_first(study: Study, identities: list) -> None:
    locked, _ = _locked_with_reader(study, identities)
    log = study.root / "audit.jsonl"
    with log.open("ab") as end:
        end.write(b"not an entry\n")
    for name in ("second", "third"):
        with pytest.raises(AuditBroken, match="not an audit entry"):
            locked.write_new(f"journal/{name}.md.age", name.encode())
    assert not (study.root / "journal" / "second.md.age").exists()


def test_lines_appended_since_are_numbered_as_in_the_whole_log(study: Study, identities: list) -> None:
    """Only the new lines are parsed after a write: a bad one is named by its line in the whole file."""
    locked, _ = _locked_with_reader(study, identities)
    log = study.root / "audit.jsonl"
    lines = len(log.read_bytes().splitlines())
    with log.open("ab") as end:
        end.write(b"\n[1]\n")
    with pytest.raises(AuditBroken, match=f"line {lines + 2} is not an audit entry"):
        locked.write_new("journal/second.md.age", b"second")


def test_a_locked_study_still_writes_many_files_after_its_own_entries(study: Study, identities: list) -> None:
    """Appends of its own between writes (as transcribe makes) keep the read-once answer current, not stale."""
    locked, reader = _locked_with_reader(study, identities)
    for n in range(3):
        locked.write_new(f"journal/{n}.md.age", b"x")
        locked.audit.append("journal.add", name=str(n))
    AuditLog(study.root / "audit.jsonl").append("keys.remove-recipient", name="trx9", recipient=reader)
    with pytest.raises(TamperedStudy):
        locked.write_new("journal/late.md.age", b"x")
    assert sorted(p.name for p in (study.root / "journal").iterdir()) == [
        "0.md.age", "1.md.age", "2.md.age", "first.md.age"
    ]  # fmt: skip
