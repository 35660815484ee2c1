"""The hash-chained audit log: every edit, removal or reordering is found and its line named."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from fieldvault import layout, loghead
from fieldvault.audit import AuditLog
from fieldvault.errors import AuditBroken
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, as_a_backup


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
    assert log.verify().entries == 5
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


def test_a_line_nested_too_deeply_is_found_and_stops_appending(log: AuditLog) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    _write(log, [*_lines(log)[:2], deep, *_lines(log)[2:]])
    with pytest.raises(AuditBroken, match="line 3 is not an audit entry"):
        log.verify()
    _write(log, [*_lines(log), deep])
    with pytest.raises(AuditBroken, match=r"last line of audit\.jsonl is damaged"):
        log.append("export", format="txt")


def test_appending_continues_the_chain(log: AuditLog) -> None:
    log.append("export", format="qdpx", count=3)
    assert log.verify().entries == 6


def test_details_that_could_carry_text_or_names_are_refused(log: AuditLog) -> None:
    with pytest.raises(ValueError, match="text"):
        log.append("transcribe", text="my name is Jane")
    assert log.verify().entries == 5


def _torn_aside(log: AuditLog) -> list[Path]:
    return sorted(log.path.parent.glob("audit.jsonl.torn-*"))


@pytest.mark.parametrize("torn", [b'{"seq": 5, "trunc', b'{"seq": 5, "time": "2026-11-\xc3', b"{", b" "])
def test_a_torn_last_line_is_set_aside_noted_and_the_chain_goes_on(log: AuditLog, torn: bytes) -> None:
    """A power loss during an append leaves part of a line: its bytes are kept beside the log, an entry says
    so, and the next entry chains to the last whole one (QA F28)."""
    with log.path.open("ab") as damaged:
        damaged.write(torn)
    found = log.verify()
    assert found.entries == 5 and found.torn == len(torn) and "torn last line" in found.describe()
    assert len(log.entries()) == 5  # reading never changes the log
    log.append("export", format="txt")
    (aside,) = _torn_aside(log)
    assert aside.read_bytes() == torn and aside.stat().st_mode & 0o777 == 0o600
    entries = log.entries()
    assert [e["action"] for e in entries[5:]] == ["audit.torn-line", "export"]
    assert entries[5]["details"] == {"file": aside.name, "bytes": len(torn)}
    assert log.verify().entries == 7 and log.verify().torn == 0
    log.append("export", format="txt")  # run twice: nothing more is set aside
    assert len(_torn_aside(log)) == 1 and log.verify().entries == 8


@pytest.mark.parametrize(
    ("tail", "what"),
    [(b'{"seq": 5, "hash": "ab"}', "lacks its newline yet is whole"), (b"x" * 70_000, "too long to be a torn")],
)
def test_a_last_line_no_power_loss_leaves_is_still_refused(log: AuditLog, tail: bytes, what: str) -> None:
    before = log.path.read_bytes()
    with log.path.open("ab") as damaged:
        damaged.write(tail)
    for act in (log.verify, log.entries, lambda: log.append("export", format="txt")):
        with pytest.raises(AuditBroken, match=what):
            act()
    assert log.path.read_bytes() == before + tail and not _torn_aside(log)


def test_a_damaged_line_before_a_torn_one_is_still_refused(log: AuditLog) -> None:
    lines = _lines(log)
    lines[2] = lines[2].replace('"s2"', '"sX"')
    log.path.write_text("".join(line + "\n" for line in lines) + '{"seq": 5, "tr')
    with pytest.raises(AuditBroken, match="line 3 was edited"):
        log.verify()
    log.append("export", format="txt")  # the torn tail is set aside; the edit stays for verify to name
    with pytest.raises(AuditBroken, match="line 3 was edited"):
        log.verify()


def test_a_damaged_last_whole_line_stops_appending_with_the_fix(log: AuditLog) -> None:
    with log.path.open("a") as damaged:
        damaged.write('{"seq": 5, "trunc\n')
    with pytest.raises(AuditBroken, match=r"last line of audit\.jsonl is damaged"):
        log.append("export", format="txt")


def _recompute(lines: list[str], drop_macs: bool) -> list[str]:
    """What someone without the key does: rewrite the chain so every hash checks out again."""
    import hashlib

    prev = "0" * 64
    out = []
    for seq, line in enumerate(lines):
        entry = json.loads(line)
        mac = entry.pop("mac", None)
        entry.pop("hash")
        entry["seq"], entry["prev"] = seq, prev
        canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        entry["hash"] = prev = hashlib.sha256(canonical.encode()).hexdigest()
        if mac is not None and not drop_macs:
            entry["mac"] = mac
        out.append(json.dumps(entry))
    return out


def _keyed_study_log(study: Study, identities: list) -> AuditLog:
    study.use_identities(identities)
    for n in range(3):
        study.audit.append("decrypt", file=f"participants/P/s{n}/audio.wav.age")
    study.audit.append("export", format="txt")
    return study.audit


def test_a_recomputed_chain_fails_verify_with_the_study_key(study: Study, identities: list) -> None:
    log = _keyed_study_log(study, identities)
    assert log.verify().authenticated == 5
    lines = _lines(log)
    _write(log, _recompute([line for line in lines if '"decrypt"' not in line or "s1" not in line], False))
    with pytest.raises(AuditBroken, match="fails authentication with the study key"):
        log.verify()


def test_stripping_the_macs_leaves_the_rewritten_entries_unauthenticated(
    study: Study, identities: list, fieldvault_home: Path
) -> None:
    log = _keyed_study_log(study, identities)
    head = log.verify().head
    lines = _lines(log)
    _write(log, _recompute([lines[0], *[line for line in lines[1:] if "s1" not in line]], True))
    (fieldvault_home / loghead.FILE).unlink()  # as a computer that never saw the log's head (QA U9 refuses it here)
    checked = Study.open(study.root)
    checked.use_identities(identities)
    found = checked.audit.verify()
    assert found.authenticated == 0 and "not yet" in found.describe() and "decrypt" in found.describe()
    with pytest.raises(AuditBroken, match="kept head"):
        checked.audit.verify(head)


def test_a_kept_head_finds_a_log_cut_short(study: Study, identities: list) -> None:
    log = _keyed_study_log(study, identities)
    head = log.verify().head
    _write(log, _lines(log)[:-2])
    with pytest.raises(AuditBroken, match="cut off the end"):
        log.verify(head)


@pytest.mark.parametrize("backup", [True, False])
def test_a_kept_head_refused_says_not_to_use_a_backup_and_never_to_restore_from_one_in_it(
    study: Study, identities: list, backup: bool
) -> None:
    """QA W19: the log cut on a backup disk; "restore audit.jsonl from a backup" would send the PI to the backup that
    was rewritten. A study's copy cut so is restored from a backup that holds the head."""
    log = _keyed_study_log(study, identities)
    head = log.verify().head
    lines = _lines(log)
    if backup:
        as_a_backup(study.root)
    # cut off the end; an entry before the kept one removed and the chain recomputed to the same length
    for cut in (lines[:-2], _recompute([*lines[:-2], lines[-1], lines[-1]], True)):
        _write(log, cut)
        with pytest.raises(AuditBroken) as refused:
            Study.open(study.root).audit.verify(head)
        said = str(refused.value)
        assert "kept head" in said and "restore audit.jsonl from a backup" not in said
        if backup:
            assert said.endswith(
                "this backup's log was cut or rewritten after the head you kept (files may have been put back with "
                "it): do not use this backup; take another backup of the study and check it the same way"
            )
        else:
            assert "do not use this copy; restore the study from a backup whose log holds that head" in said
            assert f"`fieldvault audit BACKUP --verify --head {head}`" in said
    _write(log, [*lines, lines[1]])  # an entry put at the end again: on a backup, no restore from it either
    with pytest.raises(AuditBroken, match="does not follow the line before it") as refused:
        Study.open(study.root).audit.verify()
    assert ("this backup's log was rewritten on the backup disk" in str(refused.value)) is backup
    assert ("restore audit.jsonl from a backup" in str(refused.value)) is not backup


@pytest.mark.parametrize("folder", ["a backup", "a study", "a study with a backup's marker copied in"])
def test_a_backup_log_not_utf8_or_with_a_whole_last_line_unended_says_not_to_use_that_backup(
    study: Study, identities: list, folder: str
) -> None:
    """QA W19's rest: on a backup, "restore audit.jsonl from a backup" sent the PI to the backup that was damaged.
    QA Y10's rest: a backup's marker copied into a study (no passphrase) made its damaged log's words say "do not use
    this backup" of the study: a backup by ``Study.on_backup``'s rule only."""
    log = _keyed_study_log(study, identities)
    raw = log.path.read_bytes()
    backup = folder == "a backup"
    if backup:
        as_a_backup(study.root)
    elif folder != "a study":
        (study.root / layout.BACKUP_MARKER).write_text("{}")  # planted: this computer knows the folder as a study
    for damaged in (raw.replace(b'"export"', b'"\xffxport"'), raw[:-1]):  # not UTF-8; a whole last line unended
        log.path.write_bytes(damaged)
        with pytest.raises(AuditBroken) as refused:
            Study.open(study.root).audit.verify()
        said = str(refused.value)
        assert ("do not use this backup; take another backup of the study" in said) is backup, said
        assert ("restore audit.jsonl from a backup" in said) is not backup, said


def test_entries_written_locked_are_covered_by_the_next_keyed_one(study: Study, identities: list) -> None:
    Study.open(study.root).audit.append("participant.add", pseudonym="Rose")  # no key at hand
    reopened = Study.open(study.root)
    reopened.use_identities(identities)
    assert reopened.audit.verify().authenticated == 1
    reopened.audit.append("decrypt", file="x")
    assert reopened.audit.verify().authenticated == 3


@pytest.mark.parametrize(
    "bad, what",
    [(b"[1,2]", "not an audit entry"), (b"null", "not an audit entry"), (b"\xff\xfe{}", "not UTF-8"),
     (b"{}", "not an audit entry")],
)  # fmt: skip
def test_every_bad_line_is_named_in_entries_and_verify(log: AuditLog, bad: bytes, what: str) -> None:
    data = log.path.read_bytes().splitlines(keepends=True)
    log.path.write_bytes(b"".join([*data[:2], bad + b"\n", *data[2:]]))
    for read in (log.entries, log.verify):
        with pytest.raises(AuditBroken, match=f"line 3 is {what}"):
            read()


@pytest.mark.parametrize("bad", [b"[1,2]\n", b"null\n", b"\xff\n", b'{"seq": 9}'])
def test_the_cli_names_a_bad_line_in_one_line(study: Study, bad: bytes) -> None:
    with (study.root / "audit.jsonl").open("ab") as damaged:
        damaged.write(bad)
    for args in (["audit", str(study.root)], ["audit", str(study.root), "--verify"]):
        env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
        done = subprocess.run(["fieldvault", *args], capture_output=True, text=True, env=env)
        assert done.returncode == 1, done.stderr
        assert done.stderr.count("\n") == 1 and "line 2" in done.stderr, done.stderr


def test_recipient_changes_are_the_last_signed_add_or_remove_of_each_key(study: Study, identities: list) -> None:
    """The one reader of keys.* entries that unlocking (a replayed study.toml) and merge-kit (a removed key on an
    older kit) share: an unsigned line, appended without the study key, counts for nothing (QA F27)."""
    study.use_identities(identities)
    for action, key in [("keys.add-recipient", "age1a"), ("keys.add-recipient", "age1b"),
                        ("keys.remove-recipient", "age1a"), ("keys.remove-recipient", "age1b"),
                        ("keys.add-recipient", "age1b")]:  # fmt: skip
        study.audit.append(action, name="x", recipient=key)
    AuditLog(study.audit.path).append("keys.add-recipient", name="forged", recipient="age1a")  # no key: no mac
    study.audit.append("decrypt", file="participants/P/s/audio.wav.age")
    changes = study.audit.recipient_changes()
    assert {key: entry["action"] for key, entry in changes.items()} == {
        "age1a": "keys.remove-recipient",
        "age1b": "keys.add-recipient",
    }
    assert AuditLog(study.audit.path).recipient_changes() == {}  # without the key nothing is trusted


def test_an_append_waiting_while_the_log_is_replaced_lands_in_the_new_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check --set-aside-stray-lines` replaces the log while holding its lock: an append that opened the old file
    and waits for the lock must write to the file at the log's path, never to the replaced one (lost)."""
    import fcntl
    import threading
    import time

    from fieldvault import atomicfile, audit

    log = AuditLog(tmp_path / "audit.jsonl")
    log.append("check")
    waiting = threading.Event()
    real_flock = fcntl.flock

    def flock(file: io.BufferedRandom, operation: int) -> None:
        if threading.current_thread() is not threading.main_thread():
            waiting.set()
        real_flock(file, operation)

    monkeypatch.setattr(audit.fcntl, "flock", flock)
    with open(log.path, "r+b") as held:
        real_flock(held, fcntl.LOCK_EX)
        appending = threading.Thread(target=log.append, args=("report",))
        appending.start()
        assert waiting.wait(10)
        time.sleep(0.2)  # it is in flock now, holding the old file open
        atomicfile.replace(log.path, log.path.read_bytes())
    appending.join(10)
    assert [e["action"] for e in AuditLog(log.path).entries()] == ["check", "report"]
    assert AuditLog(log.path).verify().entries == 2
