"""QA G5's rest: a command run without the study key (an import, a recording on the trusted machine) cannot check the
recipient list's seal, so an older study.toml put back would have new files encrypted to a removed key. Such a write
encrypts only to the list this computer last checked with the study key, never to a key this computer saw removed
or the audit log records as removed; otherwise it refuses, saying to unlock once, and writes nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import tomli_w

from fieldvault import loghead
from fieldvault.agefile import X25519Identity
from fieldvault.errors import LockedStudy, TamperedStudy
from fieldvault.stewardship.rewrap import remove_recipient
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_cli import assert_one_line_error, fv


def _with_reader(study: Study, identities: list) -> tuple[X25519Identity, dict[str, bytes]]:
    """A transcriber added, then removed; the study.toml and audit.jsonl from before the removal."""
    removed = X25519Identity.generate()
    study.add_recipient(str(removed.recipient()), "trx9", identities)
    older = {name: (study.root / name).read_bytes() for name in ("study.toml", "audit.jsonl")}
    remove_recipient(study, "trx9", identities)
    return removed, older


def test_a_locked_write_after_an_older_pair_was_put_back_is_refused_and_writes_nothing(
    study: Study, identities: list, fieldvault_home: Path
) -> None:
    _, older = _with_reader(study, identities)
    for name, data in older.items():
        (study.root / name).write_bytes(data)
    (fieldvault_home / loghead.FILE).unlink()  # the log's head this computer saw refuses the pair first (QA U9)
    locked = Study.open(study.root)  # no passphrase: an import on the trusted machine
    with pytest.raises(TamperedStudy, match=r"lists trx9 \(age1.*removed.*Nothing was encrypted; unlock the study"):
        locked.write_new("journal/x.md.age", b"written while locked")
    assert not (study.root / "journal" / "x.md.age").exists()
    with pytest.raises(TamperedStudy):  # unlocking removes the key again (QA G5) ...
        Study.open(study.root).unlock(PASSPHRASE.encode())
    Study.open(study.root).unlock(PASSPHRASE.encode())
    Study.open(study.root).write_new("journal/x.md.age", b"written after")  # ... and a locked write goes on


def test_a_study_toml_put_back_alone_is_refused_by_its_own_log_on_a_computer_that_never_saw_the_removal(
    study: Study, identities: list, fieldvault_home: Path
) -> None:
    _, older = _with_reader(study, identities)
    (study.root / "study.toml").write_bytes(older["study.toml"])
    shutil.rmtree(fieldvault_home)  # another computer: it remembers nothing of this study
    with pytest.raises(TamperedStudy, match="as the audit log records it"):
        Study.open(study.root).write_new("journal/x.md.age", b"x")


def test_a_list_changed_elsewhere_is_checked_before_a_locked_write(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This computer last checked the list with the transcriber on it; the removal was made on another computer (its
    own config folder), and the synced study arrives here. Without the key this computer cannot tell a list changed
    with the key from one put back: the list is not the one it checked, so the write waits for one unlock."""
    removed = X25519Identity.generate()
    study.add_recipient(str(removed.recipient()), "trx9", identities)
    monkeypatch.setenv("FIELDVAULT_HOME", str(tmp_path / "other-computer"))
    elsewhere = Study.open(study.root)
    remove_recipient(elsewhere, "trx9", elsewhere.unlock(PASSPHRASE.encode()))
    monkeypatch.setenv("FIELDVAULT_HOME", str(tmp_path / "fieldvault-home"))
    with pytest.raises(LockedStudy, match=r"has not checked the recipient list.*Nothing was encrypted; unlock"):
        Study.open(study.root).write_new("journal/x.md.age", b"x")
    assert not (study.root / "journal").exists()


def test_a_computer_that_never_unlocked_the_study_asks_once_and_then_writes_to_the_checked_list(
    study: Study, fieldvault_home: Path
) -> None:
    shutil.rmtree(fieldvault_home)  # the study made on another computer, copied here
    with pytest.raises(LockedStudy, match="or never here"):
        Study.open(study.root).write_new("journal/x.md.age", b"x")
    Study.open(study.root).unlock(PASSPHRASE.encode())
    Study.open(study.root).write_new("journal/x.md.age", b"x")  # the list it checked, without the key
    Study.open(study.root).write_new("journal/y.md.age", b"y")


def test_a_transcribers_key_cannot_vouch_for_the_list_but_a_seen_removal_still_stops_it(
    study: Study, identities: list
) -> None:
    _, older = _with_reader(study, identities)
    reader = X25519Identity.generate()
    study.add_recipient(str(reader.recipient()), "trx10", identities)
    (study.root / "study.toml").write_bytes(older["study.toml"])  # the list with trx9, sealed as valid as ever
    transcriber = Study.open(study.root)
    transcriber.use_identities([reader])
    with pytest.raises(TamperedStudy, match="trx9"):
        transcriber.write_new("journal/x.md.age", b"x")
    assert not (study.root / "journal" / "x.md.age").exists()  # nothing the removed key could open


def test_a_locked_import_from_the_cli_is_one_line_and_leaves_no_session(
    study: Study, identities: list, tmp_path: Path
) -> None:
    _, older = _with_reader(study, identities)
    for name, data in older.items():
        (study.root / name).write_bytes(data)
    (study.root / "participants" / "Ana").mkdir()
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\x3e\x00\x00\x00\x7d\x00\x00"
                    b"\x02\x00\x10\x00data\x00\x00\x00\x00")  # fmt: skip
    done = fv("import", str(study.root), "Ana", str(wav), env={"FIELDVAULT_PASSPHRASE": ""}, stdin=subprocess.DEVNULL)
    assert_one_line_error(done, "trx9", "Nothing was encrypted; unlock the study")
    assert not any(p.is_file() for p in (study.root / "participants" / "Ana").rglob("*.age"))


def test_an_add_on_a_computer_that_never_unlocked_the_study_asks_and_leaves_nothing_half_made(
    ready_study: Study, fieldvault_home: Path, tmp_path: Path
) -> None:
    """QA K1: `participant add` on a study made on another computer was refused by the recipient check after her
    folder and participant.id were made: the retry said "taken already", and her sessions went out with no list. The
    refusal now comes before her folder (nothing is left); the CLI asks for the passphrase as for a list it reads."""
    from fieldvault.participants import ConsentRecord, add_participant
    from tests.conftest import ANSWERS

    shutil.rmtree(fieldvault_home)
    consent = ConsentRecord("verbal", "v1", "s1", "2026-11-24T10:00:00+00:00")
    with pytest.raises(LockedStudy, match="or never here"):
        add_participant(Study.open(ready_study.root), "Amara", dict(ANSWERS), consent, [])
    assert not (ready_study.root / "participants" / "Amara").exists()
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    locked = fv("participant", "add", str(ready_study.root), "Amara", "--answers", str(answers),
                env={"FIELDVAULT_PASSPHRASE": ""}, stdin=subprocess.DEVNULL)  # fmt: skip
    assert_one_line_error(locked, "passphrase")
    assert not (ready_study.root / "participants" / "Amara").exists()
    done = fv("participant", "add", str(ready_study.root), "Amara", "--answers", str(answers))  # the passphrase given
    assert done.returncode == 0, done.stderr
    assert {p.name for p in (ready_study.root / "participants" / "Amara").iterdir()} == {
        "participant.id", "profile.json.age", "identifiers.json.age"
    }  # fmt: skip
