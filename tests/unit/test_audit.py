"""The hash-chained audit log: every edit, removal or reordering is found and its line named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldvault.audit import AuditLog
from fieldvault.errors import AuditBroken


@pytest.fixture
def log(tmp_path: Path) -> AuditLog:
    audit = AuditLog(tmp_path / "audit.jsonl", actor="pi")
    for n in range(5):
        audit.append("record", pseudonym=f"P{n}", session=f"s{n}")
    return audit


def _lines(log: AuditLog) -> list[str]:
    return log.path.read_text().splitlines()


def _write(log: AuditLog, lines: list[str]) -> None:
    log.path.write_text("".join(line + "\n" for line in lines))


def test_intact_log_verifies(log: AuditLog) -> None:
    assert log.verify() == 5
    entries = log.entries()
    assert [e["seq"] for e in entries] == [0, 1, 2, 3, 4]
    assert all(e["actor"] == "pi" and e["action"] == "record" for e in entries)


def test_edited_entry_is_found(log: AuditLog) -> None:
    lines = _lines(log)
    entry = json.loads(lines[2])
    entry["details"]["pseudonym"] = "Someone else"
    lines[2] = json.dumps(entry)
    _write(log, lines)
    with pytest.raises(AuditBroken, match="line 3 was edited"):
        log.verify()


def test_removed_entry_is_found(log: AuditLog) -> None:
    lines = _lines(log)
    del lines[1]
    _write(log, lines)
    with pytest.raises(AuditBroken, match="line 2 does not follow"):
        log.verify()


def test_reordered_entries_are_found(log: AuditLog) -> None:
    lines = _lines(log)
    lines[3], lines[4] = lines[4], lines[3]
    _write(log, lines)
    with pytest.raises(AuditBroken, match="line 4 does not follow"):
        log.verify()


def test_garbage_line_is_found(log: AuditLog) -> None:
    _write(log, [*_lines(log)[:2], "not json", *_lines(log)[2:]])
    with pytest.raises(AuditBroken, match="line 3 is not an audit entry"):
        log.verify()


def test_appending_continues_the_chain(log: AuditLog) -> None:
    log.append("export", format="qdpx", count=3)
    assert log.verify() == 6


def test_details_that_could_carry_text_or_names_are_refused(log: AuditLog) -> None:
    with pytest.raises(ValueError, match="text"):
        log.append("transcribe", text="my name is Jane")
    assert log.verify() == 5


def test_a_damaged_last_line_stops_appending_with_the_fix(log: AuditLog) -> None:
    with log.path.open("a") as damaged:
        damaged.write('{"seq": 5, "trunc')
    with pytest.raises(AuditBroken, match=r"last line of audit\.jsonl is damaged"):
        log.append("export", format="txt")
