"""What a Study reads once and keeps is read again as soon as the file changes underneath it. The audit log's word on
each recipient (for a locked write): a removal logged between two writes stops the second, whether the line was
appended, written over another in place with the file's size and mtime kept, or the log replaced; a log that stops
parsing stops the write every time. A list of names: re-sealed or written over in place, the new names are read;
the checks of whose list it is and of the identity are made at every read."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from fieldvault import audiofile, layout, vouching
from fieldvault.agefile import AgeReader, X25519Identity, encrypt_bytes
from fieldvault.audit import AuditLog
from fieldvault.errors import AuditBroken, BadStudyFile, NoIdentityMatched, PayloadTampered, TamperedStudy
from fieldvault.events import load_events
from fieldvault.participantid import ensure_participant_id, participant_id
from fieldvault.participants import ConsentRecord, IdentifierList, KnownIdentifier, add_participant, known_identifiers
from fieldvault.study import Study
from tests.stewardship import ROSA, add_person

CONSENT = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")


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


# --- lists of names: decrypted once per Study, again whenever their sealed bytes change ----------------------------


def _listed(study: Study, identities: list, names: list[str]) -> Path:
    """Ana with a list of ``names``; the relative path of her sealed list."""
    add_participant(study, "Ana", {}, CONSENT, [KnownIdentifier(n) for n in names], identities)
    return Path(layout.PARTICIPANTS, "Ana", layout.IDENTIFIERS)


def _sealed_list(study: Study, relative: Path, names: list[str]) -> bytes:
    """Her list with ``names`` (as `participant bind-lists` or a restore from a backup would seal it)."""
    own = participant_id((study.root / relative).parent)
    return IdentifierList(tuple(KnownIdentifier(n) for n in names), pseudonym="Ana", participant_id=own).to_json()


def _vouch(study: Study, relative: Path, payload: bytes) -> None:
    """The signed entry a command that seals her list writes (vouching): a list sealed without one is refused."""
    study.audit.append_vouching(vouching.ADOPTED, {relative.as_posix(): vouching.digest(payload)}, count=1)


def _names(study: Study, identities: list) -> list[str]:
    return [k.text for k in known_identifiers(study, "Ana", identities)]


def test_a_list_resealed_under_a_long_lived_study_is_read_anew(study: Study, identities: list) -> None:
    relative = _listed(study, identities, ["Maria Lopez"])
    assert _names(study, identities) == ["Maria Lopez"]
    payload = _sealed_list(study, relative, ["Marta Lopez"])
    study.replace(relative, payload)
    _vouch(study, relative, payload)
    assert _names(study, identities) == ["Marta Lopez"]


def test_a_list_written_over_in_place_with_size_and_mtime_kept_is_read_anew(study: Study, identities: list) -> None:
    relative = _listed(study, identities, ["Maria Lopez"])
    path = study.root / relative
    assert _names(study, identities) == ["Maria Lopez"]
    before = path.stat()
    payload = _sealed_list(study, relative, ["Marta Lopez"])
    sealed = encrypt_bytes(payload, study.recipients())
    assert len(sealed) == before.st_size
    with path.open("r+b") as same:
        same.write(sealed)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    _vouch(study, relative, payload)
    assert _names(study, identities) == ["Marta Lopez"]


def test_a_kept_list_is_still_checked_against_her_folder_and_the_identities_at_every_read(
    study: Study, identities: list
) -> None:
    """What is kept is the decryption only: a list whose folder's participant id changed since is refused, and an
    identity that cannot open it gets no names."""
    relative = _listed(study, identities, ["Maria Lopez"])
    assert _names(study, identities) == ["Maria Lopez"]
    with pytest.raises(NoIdentityMatched):
        known_identifiers(study, "Ana", [X25519Identity.generate()])
    folder = (study.root / relative).parent
    (folder / layout.PARTICIPANT_ID).unlink()
    ensure_participant_id(folder)  # another woman's id now: the list is not hers
    with pytest.raises(BadStudyFile, match="another participant"):
        known_identifiers(study, "Ana", identities)


def _timeline_decrypts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each session timeline whose header is unwrapped from now on."""
    opened: list[str] = []
    unwrap = AgeReader.__init__

    def counted(self: AgeReader, source: Any, *args: Any, **kwargs: Any) -> None:
        name = str(kwargs.get("name") or getattr(source, "name", ""))
        opened.extend([name] if name.endswith(layout.EVENTS) else [])
        unwrap(self, source, *args, **kwargs)

    monkeypatch.setattr(AgeReader, "__init__", counted)
    return opened


def test_a_timeline_is_decrypted_once_for_every_reader_of_one_command(
    study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """perf12: `transcribe` decrypted a session's timeline four times (the format check before the first session,
    then the recording's format, the markers and the recording itself, each checking the recording against it)."""
    (session,) = add_person(study, ROSA, seconds=2.0)
    folder = layout.session(study.root, "Rosa", session)
    opened = _timeline_decrypts(monkeypatch)
    assert audiofile.read_format(study, folder, identities).channels == 1
    timeline = load_events(study, folder, identities)
    audio, _ = audiofile.load_for_whisper(study, folder, identities)
    audiofile.load_for_whisper(study, folder, identities, channel=0)
    assert len(opened) == 1 and len(audio) == 32000 and timeline.events[0].kind == "note"
    timeline.events.clear()  # a caller changing its timeline (recover does) changes no one else's
    timeline.info["duration"] = 9.0
    again = load_events(study, folder, identities)
    assert again.info["duration"] == 2.0 and [e.kind for e in again.events] == ["note"]
    assert Study.open(study.root) is not study and len(opened) == 1
    load_events(Study.open(study.root), folder, identities)  # another command reads it anew
    assert len(opened) == 2


def test_a_timeline_resealed_or_tampered_after_a_first_read_is_read_anew(
    study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    (session,) = add_person(study, ROSA, seconds=2.0)
    folder = layout.session(study.root, "Rosa", session)
    timeline = load_events(study, folder, identities)
    timeline.info["duration"] = 1.5
    study.replace(folder / layout.EVENTS, timeline.to_json())  # as recover restates a salvaged recording's length
    with pytest.raises(BadStudyFile, match=r"lasts 2\.00 s, but this session's timeline says 1\.50 s"):
        audiofile.load_for_whisper(study, folder, identities)
    assert load_events(study, folder, identities).info["duration"] == 1.5
    sealed = (folder / layout.EVENTS).read_bytes()
    tampered = bytearray(sealed)
    tampered[-5] ^= 0x01
    (folder / layout.EVENTS).write_bytes(bytes(tampered))
    with pytest.raises(PayloadTampered):
        load_events(study, folder, identities)
    (folder / layout.EVENTS).write_bytes(sealed)
    assert load_events(study, folder, identities).info["duration"] == 1.5
    with pytest.raises(NoIdentityMatched):  # a kept timeline is given only to the identities that opened it
        load_events(study, folder, [X25519Identity.generate()])
