"""withdraw, retention, check, backup and report as a PI runs them: the real `fieldvault` binary."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from fieldvault.agefile import X25519Identity
from fieldvault.agefile.header import payload_id
from fieldvault.errors import BadInput
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import new_session_folder
from fieldvault.study import Study
from tests.stewardship import JUNE, ROSA, Person, add_person, transcribe_and_review


def _fieldvault(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["fieldvault", *args], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    if check:
        assert done.returncode == 0, done.stderr
    else:
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.splitlines()[-1].startswith("fieldvault: error: ")  # after any progress bar
    return done


@pytest.fixture
def study(ready_study: Study, identities: list) -> Study:
    for person in (ROSA, JUNE):
        sessions = add_person(ready_study, person, sessions=2, seconds=3.0)
        transcribe_and_review(ready_study, identities, person, sessions[0])
    return ready_study


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and p.name != ".fieldvault-backup.json"
    }


def test_check_passes_a_sound_study_and_names_a_flipped_bit(study: Study, unlock: list[str]) -> None:
    done = _fieldvault("check", str(study.root), *unlock)
    assert "0 failure(s)" in done.stdout and "entries" in done.stdout
    audio = sorted(study.root.glob("participants/June/*/audio.wav.age"))[1]
    _flip(audio, audio.stat().st_size // 2)  # one bit in the middle of the payload
    profile = study.root / "participants" / "Rosa" / "profile.json.age"
    _flip(profile, 40)  # one bit in a recipient stanza of the header
    done = _fieldvault("check", str(study.root), *unlock, check=False)
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 2
    assert f"FAILED {audio.relative_to(study.root)}: chunk 1 fails authentication" in failed[0] or any(
        str(audio.relative_to(study.root)) in line and "chunk" in line for line in failed
    )
    assert any("participants/Rosa/profile.json.age" in line for line in failed)
    assert "2 file(s) failed the check" in done.stderr


def test_check_names_the_original_recover_kept_without_failing(study: Study, unlock: list[str]) -> None:
    audio = sorted(study.root.glob("participants/June/*/audio.wav.age"))[0]
    kept = audio.with_name(audio.name + ".damaged")
    kept.write_bytes(audio.read_bytes()[:-300])  # cut off, as recover finds and keeps it
    done = _fieldvault("check", str(study.root), *unlock)
    assert "0 failure(s)" in done.stdout and "delete it once you are satisfied" in done.stdout
    audio.unlink()  # without its re-sealed twin, a cut-off file is a failure like any other
    done = _fieldvault("check", str(study.root), *unlock, check=False)
    assert any(line.startswith("FAILED") and ".damaged" in line for line in done.stdout.splitlines())


def test_check_names_an_edited_audit_log(study: Study, unlock: list[str]) -> None:
    log = study.root / "audit.jsonl"
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[:3] + lines[4:]) + "\n")  # an entry removed
    done = _fieldvault("check", str(study.root), *unlock, check=False)
    assert any(line.startswith("FAILED audit.jsonl") for line in done.stdout.splitlines())


def test_backup_copies_verifies_and_follows_a_withdrawal(study: Study, unlock: list[str], tmp_path: Path) -> None:
    dest = tmp_path / "usb" / "backup"
    done = _fieldvault("backup", str(study.root), str(dest))
    assert "verified" in done.stdout
    assert _tree(dest) == _tree(study.root)
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in dest.rglob("*") if p.is_file())
    assert _fieldvault("check", str(dest), *unlock).returncode == 0  # a backup is a study that opens and checks
    _fieldvault("withdraw", str(study.root), "Rosa", "--confirm", "Rosa", *unlock)
    rotten = sorted(dest.glob("participants/June/*/audio.wav.age"))[0]
    _flip(rotten, rotten.stat().st_size - 5)  # the backup disk rotted since
    done = _fieldvault("backup", str(study.root), str(dest), check=False)  # which copy rotted? only the key says
    assert "differs from the backup's copy in place" in done.stderr and _tree(dest) != _tree(study.root)
    # without the key her files are set aside in the backup, not destroyed (QA T13: only the key checks an entry)
    assert "destroyed in the backup" not in done.stdout and "the study's log says were removed wait for" in done.stdout
    assert (dest / ".awaiting-authentication" / "participants" / "Rosa" / "profile.json.age").is_file()
    done = _fieldvault("backup", str(study.root), str(dest), *unlock)  # the study's copy authenticates: the backup's
    assert "destroyed in the backup (withdraw on 20" in done.stdout  # rotted; and what the log records as gone, only
    assert "in the study's audit log): participants/Rosa/profile.json.age" in done.stdout
    assert _tree(dest) == _tree(study.root)
    assert not (dest / "participants" / "Rosa").exists()


def test_a_backup_older_than_a_withdrawal_restored_here_does_not_bring_her_back(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA K6: the backup in the drawer, made before Rosa withdrew, restored after a disk failure as README says: her
    folder was back, `check` passed and her sessions exported. This computer remembers whom it saw withdraw (random
    participant ids and days, in its config folder): transcription, exports and `check` refuse the copy until she is
    withdrawn again."""
    dest = tmp_path / "drawer"
    _fieldvault("backup", str(study.root), str(dest))
    _fieldvault("withdraw", str(study.root), "Rosa", "--confirm", "Rosa", *unlock)
    restored = study.root  # the disk died: the backup is restored where the study was
    shutil.rmtree(restored)
    shutil.copytree(dest, restored)
    (restored / ".fieldvault-backup.json").unlink()
    said = "participants/Rosa is a participant who withdrew on"
    done = _fieldvault("export", str(restored), "--format", "txt", "--out", str(tmp_path / "out"), *unlock, check=False)
    assert "entries were cut off" in done.stderr and not (tmp_path / "out").exists()  # its log is older (QA U9)
    done = _fieldvault("check", str(restored), "--accept-older-log", *unlock, check=False)  # restored on purpose
    assert "accepted an older audit log" in done.stderr, done.stderr
    assert any(line.startswith("FAILED participants:") and said in line for line in done.stdout.splitlines())
    done = _fieldvault("export", str(restored), "--format", "txt", "--out", str(tmp_path / "out"), *unlock, check=False)
    assert said in done.stderr and "withdraw her again" in done.stderr and not (tmp_path / "out").exists()
    done = _fieldvault("transcribe", str(restored), "--force", *unlock, check=False)
    assert said in done.stderr
    done = _fieldvault("check", str(restored), *unlock, check=False)
    assert any(line.startswith("FAILED participants:") and said in line for line in done.stdout.splitlines())
    _fieldvault("withdraw", str(restored), "Rosa", "--confirm", "Rosa", *unlock)
    assert "0 failure(s)" in _fieldvault("check", str(restored), *unlock).stdout
    # June's review, older than the acceptance, counts as not done until reviewed again (README): not adopted as done
    out = tmp_path / "out"
    _fieldvault("export", str(restored), "--format", "txt", "--out", str(out), "--include-unreviewed", *unlock)
    assert [p.name for p in out.iterdir()] == ["June_session-1.txt"]


def test_a_damaged_study_file_never_replaces_its_good_copy_in_the_backup(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA G8: a recording with a flipped byte and a transcript emptied by a crash were copied over the backup's good
    copies ("every file read back and verified"), and the backup is what every error sends the researcher to."""
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    audio = sorted(study.root.glob("participants/June/*/audio.wav.age"))[0]
    transcript = sorted(study.root.glob("participants/Rosa/*/transcript.json.age"))[0]
    good = {path: (dest / path.relative_to(study.root)).read_bytes() for path in (audio, transcript)}
    _flip(audio, audio.stat().st_size // 2)
    transcript.write_bytes(b"")
    done = _fieldvault("backup", str(study.root), str(dest), check=False)  # no key: form and change in place
    assert "2 study file(s) are damaged" in done.stderr.splitlines()[-1]
    assert f"{transcript.relative_to(study.root)}: the study's copy is empty" in done.stderr
    assert f"{audio.relative_to(study.root)}: the study's copy differs from the backup's copy in place" in done.stderr
    done = _fieldvault("backup", str(study.root), str(dest), *unlock, check=False)  # the key names the damage
    assert f"{audio.relative_to(study.root)}: the study's copy fails its authentication" in done.stderr
    assert all((dest / path.relative_to(study.root)).read_bytes() == data for path, data in good.items())
    for path, data in good.items():  # the advice: copy each back from the backup (a new time, the same bytes)
        path.write_bytes(data)
    _fieldvault("check", str(study.root), *unlock)
    _fieldvault("backup", str(study.root), str(dest))  # QA G9: without the key too, the repair ends the warning
    assert _tree(dest) == _tree(study.root)
    # QA K11: cut short (a sound form: the end of its only chunk gone) without the key, and a recording cut mid-way
    with transcript.open("r+b") as cut:
        cut.truncate(transcript.stat().st_size - 40)
    with audio.open("r+b") as cut:
        cut.truncate(audio.stat().st_size // 2)
    done = _fieldvault("backup", str(study.root), str(dest), check=False)
    assert "2 study file(s) are damaged" in done.stderr.splitlines()[-1], done.stderr
    assert f"{transcript.relative_to(study.root)}: the study's copy is shorter than the backup's copy" in done.stderr
    assert all((dest / path.relative_to(study.root)).read_bytes() == data for path, data in good.items())
    for path, data in good.items():
        path.write_bytes(data)
    _fieldvault("backup", str(study.root), str(dest))
    # QA G12: a re-wrap gives every file a new header over the same payload: a new version, not damage
    key = X25519Identity.generate()
    _fieldvault("keys", "add-recipient", str(study.root), str(key.recipient()), "--name", "trx", *unlock)
    _fieldvault("keys", "remove-recipient", str(study.root), "trx", *unlock)
    assert (dest / audio.relative_to(study.root)).read_bytes() != audio.read_bytes()  # the header changed
    _fieldvault("backup", str(study.root), str(dest))
    assert _tree(dest) == _tree(study.root)


def test_a_transcript_copied_into_another_womans_session_is_refused_everywhere(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA E17: a sealed transcript copied by hand (a synced folder, a careless restore) into another woman's
    session was printed, exported and member-checked as hers, `check` was clean, and an export of the whole study
    crashed with a traceback. Every reader now refuses it in one line naming it; `check` names it FAILED. An export
    leaves that session out, naming it the same way, and the others go (QA W6: one session's refused file stopped
    every export of the study)."""
    rosa = sorted(study.root.glob("participants/Rosa/*/transcript.json.age"))[0]
    june = sorted(p.parent for p in study.root.glob("participants/June/*/audio.wav.age"))[1]  # never transcribed
    (june / "transcript.json.age").write_bytes(rosa.read_bytes())
    where = f"participants/June/{june.name}/transcript.json.age is Rosa's session {rosa.parent.name}"
    for command in (
        ("transcript", str(study.root), "June", june.name, *unlock),
        ("leftovers", str(study.root), "June", *unlock),
    ):
        refused = _fieldvault(*command, check=False)
        assert where in refused.stderr.splitlines()[-1], command
    for out, only in (("all", ()), ("june", ("--participant", "June"))):
        done = _fieldvault("export", str(study.root), "--format", "txt", "--out", str(tmp_path / out), *only,
                           "--include-unreviewed", *unlock)  # fmt: skip
        assert f"June/{june.name}: left out: " in done.stderr and where in done.stderr, done.stderr
        assert done.returncode == 0 and any(p.is_file() for p in (tmp_path / out).rglob("*"))  # the rest went
    done = _fieldvault("check", str(study.root), *unlock, check=False)
    assert any(line.startswith("FAILED") and where in line for line in done.stdout.splitlines())


def test_backup_leaves_out_plaintext_put_into_the_study_by_hand(study: Study, tmp_path: Path) -> None:
    """A transcript decrypted into a session folder by hand never reaches the backup disk in plaintext, and one
    an earlier backup carried is destroyed there; every file that belongs is still copied and verified."""
    session = sorted(study.root.glob("participants/June/*/audio.wav.age"))[0].parent
    stray = session / "transcript.txt"
    stray.write_text("Rosa Delgado told me about the motel on Figueroa.")
    dest = tmp_path / "usb" / "backup"
    done = _fieldvault("backup", str(study.root), str(dest))
    name = str(stray.relative_to(study.root))
    assert f"fieldvault: warning: not backed up: {name} is not encrypted" in done.stderr
    assert _tree(dest) == {k: v for k, v in _tree(study.root).items() if k != name}
    (dest / name).write_bytes(stray.read_bytes())  # as a backup made before this rule carried it
    done = _fieldvault("backup", str(study.root), str(dest))
    assert f"destroyed in the backup (plaintext): {name}" in done.stdout and not (dest / name).exists()
    assert stray.read_text().startswith("Rosa Delgado")  # the study's file is the user's to move: never touched


def test_a_backup_is_no_place_to_work_and_what_was_made_there_is_never_destroyed(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA H4: record, journal add and transcribe worked in a backup folder without a word, and the next backup
    destroyed what was made there ("no longer in the study"): the interview a PI ran from the USB backup after her
    laptop died. Nothing is written into a backup now, and a backup destroys only what it copied from the study."""
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    entry = tmp_path / "entry.md"
    entry.write_text("Second interview went well.")
    refused = _fieldvault("journal", "add", str(dest), "--text-file", str(entry), check=False)
    assert "is a backup made by `fieldvault backup`, not a study" in refused.stderr.splitlines()[-1]
    with pytest.raises(BadInput, match="not a study"):
        new_session_folder(Study.open(dest), "June")  # what record and import start with
    answers = tmp_path / "answers.toml"
    answers.write_text("age = 30\n")
    for command in (  # QA H4's re-check: each changed the copy, or left a file behind
        ("participant", "add", str(dest), "Newe", "--answers", str(answers)),
        ("keys", "add-recipient", str(dest), str(X25519Identity.generate().recipient()), "--name", "x", *unlock),
        ("withdraw", str(dest), "Rosa", "--confirm", "Rosa", *unlock),
        ("retention", str(dest), "--years", "5"),
        ("recover", str(dest), *unlock),
        ("transcribe", str(dest), *unlock),
    ):
        assert "is a backup made by `fieldvault backup`" in _fieldvault(*command, check=False).stderr, command
    assert _tree(dest) == _tree(study.root)
    assert not list(dest.glob("journal/*")) and len(list(dest.glob("participants/June/*/"))) == 2
    # a session an older fieldvault (or a hand) put into the backup: the study never had it
    june = sorted(dest.glob("participants/June/*/audio.wav.age"))[0]
    made = june.parent.with_name("20261126-170000") / "audio.wav.age"
    made.parent.mkdir()
    made.write_bytes(june.read_bytes())
    name = str(made.relative_to(dest))
    done = _fieldvault("backup", str(study.root), str(dest), check=False)
    assert f"kept in the backup, never in the study: {name}" in done.stderr
    assert "1 file(s) in" in done.stderr.splitlines()[-1] and "were never in the study" in done.stderr
    _fieldvault("withdraw", str(study.root), "Rosa", "--confirm", "Rosa", *unlock)
    done = _fieldvault("backup", str(study.root), str(dest), *unlock, check=False)  # a withdrawal is still followed
    assert "in the study's audit log): participants/Rosa/profile.json.age" in done.stdout
    assert made.read_bytes() == june.read_bytes() and not (dest / "participants" / "Rosa").exists()


def test_a_backup_killed_part_way_is_finished_by_running_it_again(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA H14: a backup killed part-way had no marker (written last), so the same command again was refused ("inside
    the study"), and `check` passed the half copy as a whole study."""
    from fieldvault.stewardship.backup import backup

    dest = tmp_path / "usb"
    calls = 0

    def killed(fraction: float) -> None:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise KeyboardInterrupt  # as SIGKILL stops it, after a few files

    with pytest.raises(KeyboardInterrupt):
        backup(study, dest, killed)
    assert 0 < len(_tree(dest)) < len(_tree(study.root))
    half = dest / "participants" / "June" / ".gone.json.age.backup-tmp"  # of a file the study no longer has
    half.parent.mkdir(parents=True, exist_ok=True)
    half.write_bytes(b"age-encryption.org/v1\n")
    done = _fieldvault("check", str(dest), *unlock, check=False)
    assert done.returncode == 1 and "a backup that was cut off part-way" in done.stdout + done.stderr
    done = _fieldvault("backup", str(study.root), str(dest))
    gone = [line for line in done.stdout.splitlines() if line.startswith("destroyed in the backup")]
    assert gone == [
        f"destroyed in the backup (left half written by a backup cut off part-way): {half.relative_to(dest)}"
    ]
    assert "never in the study" not in done.stderr
    assert _tree(dest) == _tree(study.root) and not half.exists()
    assert _fieldvault("check", str(dest), *unlock).returncode == 0


def test_what_was_read_from_a_backup_stays_on_the_record_after_the_next_backup(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA J2: `decrypt` on a backup (allowed since H4) is audited in the backup's own log, and the next backup
    replaced that log with the study's: the record that her profile was decrypted, by whom and to where, was gone
    from both. The next backup takes it into the study's log first, once."""
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    out = tmp_path / "rosa-profile.json"
    _fieldvault("decrypt", str(dest), "participants/Rosa/profile.json.age", "--out", str(out), *unlock)
    assert out.is_file()
    done = _fieldvault("backup", str(study.root), str(dest))
    taken = "1 entry of the backup's own log (commands run on the backup) taken into the study's audit log"
    assert taken in done.stdout
    carried = [e for e in study.audit.entries() if e["action"] == "backup.entry"]
    assert [(e["details"]["origin_action"], e["details"]["out"]) for e in carried] == [("decrypt", str(out))]
    assert str(dest) not in str(carried[0])  # named by its marker's entry, never its path (QA Z9)
    done = _fieldvault("backup", str(study.root), str(dest))  # run again: nothing new to take, nothing taken twice
    assert "own log" not in done.stdout
    assert len([e for e in study.audit.entries() if e["action"] == "backup.entry"]) == 1
    assert (dest / "audit.jsonl").read_bytes() == study.audit.path.read_bytes()
    assert "0 failure(s)" in _fieldvault("check", str(study.root), *unlock).stdout
    # ... and the IRB report's access table lists it, as done on the backup (QA J2's rest: it had no line)
    _fieldvault("report", str(study.root), "--out", str(tmp_path / "irb.md"), *unlock)
    access = [line for line in (tmp_path / "irb.md").read_text().splitlines() if "decrypted a file" in line]
    assert len(access) == 1 and f"participants/Rosa/profile.json.age (on {dest})" in access[0], access
    # QA J2's rest (a log cut short by hand) is refused now, as an older copy of the study is (QA Q11): nothing put
    # back into the study's log, so the refusal stands (tests/e2e/test_backup_follows_the_log.py)
    # QA K12: her withdrawal lists the plaintext copy made on the backup among the copies to ask back
    done = _fieldvault("withdraw", str(study.root), "Rosa", "--confirm", "Rosa", *unlock)
    asked = done.stdout[done.stdout.index("copies made earlier held her data") :]
    assert str(out) in asked, done.stdout


def test_what_was_read_from_a_backup_restored_as_the_study_still_reads_as_done_on_the_backup(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA K16 (A): a decrypt run on the backup, then the backup restored as README says (copy it, delete the
    marker): the restored study's report listed the decrypt as done on the study. An entry written in a backup's
    log names the backup, wherever the log goes."""
    dest = tmp_path / "bk"
    _fieldvault("backup", str(study.root), str(dest))
    out = tmp_path / "lupe.json"
    _fieldvault("decrypt", str(study.root), "participants/June/profile.json.age", "--out", str(out) + ".s", *unlock)
    _fieldvault("backup", str(study.root), str(dest))
    _fieldvault("decrypt", str(dest), "participants/June/profile.json.age", "--out", str(out), *unlock)
    restored = tmp_path / "R"
    shutil.copytree(dest, restored)
    (restored / ".fieldvault-backup.json").unlink()
    _fieldvault("report", str(restored), "--out", str(tmp_path / "r.md"), *unlock)
    access = [line for line in (tmp_path / "r.md").read_text().splitlines() if "decrypted a file" in line]
    assert len(access) == 2, access
    assert access[0].endswith("| participants/June/profile.json.age |")  # done on the study: no mark
    assert access[1].endswith(f"| participants/June/profile.json.age (on {dest}) |"), access
    _fieldvault("decrypt", str(restored), "participants/June/profile.json.age", "--out", str(out) + ".r", *unlock)
    [last] = [e for e in Study.open(restored).audit.entries() if e["action"] == "decrypt"][-1:]
    assert "on_backup" not in last["details"]  # the restored copy is the study now: its own entries bear no mark
    assert "0 failure(s)" in _fieldvault("check", str(restored), *unlock).stdout


def test_backup_refuses_a_folder_that_is_not_its_backup(study: Study, tmp_path: Path) -> None:
    other = tmp_path / "holiday-photos"
    other.mkdir()
    (other / "beach.jpg").write_bytes(b"jpeg")
    done = _fieldvault("backup", str(study.root), str(other), check=False)
    assert "holds no fieldvault backup" in done.stderr
    done = _fieldvault("backup", str(study.root), str(study.root / "participants"), check=False)
    assert "inside the study" in done.stderr
    assert (other / "beach.jpg").read_bytes() == b"jpeg"


def test_a_withdrawn_woman_asked_for_by_name_is_said_to_have_withdrawn(study: Study, unlock: list[str]) -> None:
    """QA K14 (A): export, transcribe and transcript said "no participant 'Rosa'; add her first", and that add is
    refused (her pseudonym is retired). They say she withdrew, when, and that her data was destroyed."""
    session = sorted(p.name for p in (study.root / "participants" / "Rosa").iterdir() if p.is_dir())[0]
    _fieldvault("withdraw", str(study.root), "Rosa", "--confirm", "Rosa", *unlock)
    [withdrawal] = Study.open(study.root).withdrawals()
    day = withdrawal.day
    assert len(day) == 10
    out = study.root.parent / "rosa-out"
    for command in (
        ("export", str(study.root), "--format", "txt", "--participant", "rosa", "--out", str(out)),
        ("transcribe", str(study.root), "Rosa"),
        ("transcript", str(study.root), "Rosa", session),
    ):
        done = _fieldvault(*command, *unlock, check=False)
        assert f"Rosa withdrew from the study on {day}: her data was destroyed" in done.stderr, command
        assert "add her first" not in done.stderr
    assert not out.exists()
    done = _fieldvault("transcript", str(study.root), "Rose", session, *unlock, check=False)
    assert "no participant 'Rose' in this study; add her first" in done.stderr  # never there: as before


def test_withdraw_asks_for_the_pseudonym_and_changes_nothing_otherwise(study: Study, unlock: list[str]) -> None:
    done = _fieldvault("withdraw", str(study.root), "Rosa", *unlock, check=False)
    assert "--confirm" in done.stderr
    done = _fieldvault("withdraw", str(study.root), "Rosa", "--confirm", "June", *unlock, check=False)
    assert "does not match" in done.stderr
    assert (study.root / "participants" / "Rosa" / "profile.json.age").exists()
    # Confirmed by the name rule, as pseudonyms are compared everywhere: case, Unicode form, look-alikes (QA F14).
    done = _fieldvault("withdraw", str(study.root), "Rosa", "--confirm", "ＲＯＳＡ", *unlock)
    assert "withdrew Rosa" in done.stdout and not (study.root / "participants" / "Rosa").exists()
    verified = study.audit.verify()
    assert verified.authenticated == verified.entries  # the withdrawal is vouched for by the study key


def test_retention_lists_and_destroys_audio_after_review_then_everything(study: Study, unlock: list[str]) -> None:
    root = str(study.root)
    done = _fieldvault("retention", root)
    assert "no retention period set" in done.stdout and "nothing is scheduled" in done.stdout
    done = _fieldvault(
        "retention", root, "--years", "5", "--study-ends", "2027-06-30", "--audio-after-review", "0", *unlock
    )
    assert "destroyed on 2032-06-30" in done.stdout
    assert done.stdout.count("DUE ") == 2  # the two reviewed sessions' audio
    assert "[settings.retention]" in (study.root / "study.toml").read_text()
    _fieldvault("retention", root, "--destroy", *unlock, check=False)  # no terminal, no --confirm: nothing destroyed
    assert len(list(study.root.glob("participants/*/*/audio.wav.age"))) == 4
    before = {payload_id(p) for p in study.root.glob("participants/*/*/audio.wav.age")}
    done = _fieldvault("retention", root, "--destroy", "--confirm", "destroy", *unlock)
    assert "destroyed 2 file(s)" in done.stdout
    left = sorted(p.parent.name for p in study.root.glob("participants/*/*/audio.wav.age"))
    assert len(left) == 2  # the unreviewed sessions keep their audio
    assert len(list(study.root.glob("participants/*/*/transcript.json.age"))) == 2
    destroyed = [e for e in study.audit.entries() if e["action"] == "retention.destroy"]
    assert len(destroyed) == 2
    # which files, by payload only, so a field kit's copy of one never merges back (QA E3)
    recorded = {p for e in destroyed for p in e["details"]["payloads"].split()}
    assert recorded == before - {payload_id(p) for p in study.root.glob("participants/*/*/audio.wav.age")}
    # QA J7: with audio, the sessions retention took go out without it, said; transcribe says why it cannot
    out = study.root.parent / "coder.qdpx"
    done = _fieldvault("export", root, "--format", "qdpx", "--with-audio", "--out", str(out), *unlock)
    notes = [line for line in done.stderr.splitlines() if "exported without its audio" in line]
    assert len(notes) == 2 and all("the retention policy destroyed the recording on 20" in n for n in notes), notes
    with zipfile.ZipFile(out) as archive:
        assert not [n for n in archive.namelist() if n.endswith(".wav")]
        assert len([n for n in archive.namelist() if n.endswith(".txt")]) == 2
    session = next(p.parent for p in study.root.glob("participants/*/*/transcript.json.age"))
    done = _fieldvault("transcribe", root, session.parent.name, session.name, "--force", *unlock, check=False)
    assert "has no recording any more (destroyed under the retention policy" in done.stderr
    from fieldvault.journal import add_entry

    add_entry(study, "Rosa's interview shook me; talk it over with the supervisor.")
    study.write_new("identifiers.json.age", b'{"schema_version": 1, "identifiers": []}')
    _fieldvault("retention", root, "--years", "1", "--study-ends", "2020-01-01", *unlock)
    done = _fieldvault("retention", root, "--destroy", "--confirm", "destroy", *unlock)
    assert not list((study.root / "participants").iterdir()) and not list((study.root / "journal").iterdir())
    assert not (study.root / "identifiers.json.age").exists() and not (study.root / "sessions.json").exists()
    verified = study.audit.verify()  # the fixture holds the study key
    assert (study.root / "keys" / "study.age").exists() and verified.authenticated == verified.entries


def test_report_for_the_irb_in_markdown_and_docx(
    study: Study, identities: list, unlock: list[str], tmp_path: Path
) -> None:
    export(study, identities, Options("txt"), tmp_path / "coder", Request(include_unreviewed=True))
    export(study, identities, Options("docx"), tmp_path / "Rosa-member-check", Request(("Rosa",)))
    _fieldvault("backup", str(study.root), str(tmp_path / "backup"))
    _fieldvault("withdraw", str(study.root), "Rosa", "--confirm", "Rosa", *unlock)
    _fieldvault("check", str(study.root), *unlock)
    _fieldvault("report", str(study.root), "--out", str(tmp_path / "irb.md"), *unlock)
    text = (tmp_path / "irb.md").read_text()
    expected = ["Exiting the trade", "IRB-2026-17", "| June |", "letter-v3", "0:00:03", "a participant withdrew"]
    expected += [str(tmp_path / "coder"), "still holds data destroyed since", "files, 0 failed", "chain unbroken"]
    for line in expected:
        assert line in text, line
    assert "Rosa" not in text and str(tmp_path / "(withdrawn)-member-check") in text
    for word in ("Quintanilla", "Tucson", "Beckwith", "Fresno", "Street"):  # identifiers, questionnaire answers
        assert word not in text, word
    _fieldvault("report", str(study.root), "--out", str(tmp_path / "irb.docx"), *unlock)
    from docx import Document

    document = Document(str(tmp_path / "irb.docx"))
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "June" in cells and "letter-v3" in cells and "Rosa" not in cells
    done = _fieldvault("report", str(study.root), "--out", str(tmp_path / "irb.md"), *unlock, check=False)
    assert "exists" in done.stderr


def test_the_report_names_a_pseudonym_that_is_an_identifier_as_every_export_does(
    study: Study, identities: list, unlock: list[str], tmp_path: Path
) -> None:
    """QA C27: "Tamika" is one woman's pseudonym and another's sister on her list; every export names her by a
    stand-in, but the IRB report, which says it holds no identifier, printed "Tamika". The stand-in is the
    same in the report and in exports made before and after another participant joins."""
    from fieldvault.participants import ConsentRecord, add_participant
    from tests.conftest import ANSWERS

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Dee", dict(ANSWERS), consent, [], identities)
    tamika = Person("Tamika", ("Lodi",), "I got my GED in Lodi.")
    transcribe_and_review(study, identities, tamika, add_person(study, tamika, sessions=1, seconds=3.0)[0])
    _listed_since(study, "Dee", "Tamika")
    export(study, identities, Options("txt"), tmp_path / "one", Request(("Tamika",)))
    add_participant(study, "Ada", dict(ANSWERS), consent, [], identities)
    export(study, identities, Options("txt"), tmp_path / "two", Request(("Tamika",)))
    (first,) = (tmp_path / "one").iterdir()
    (second,) = (tmp_path / "two").iterdir()
    stand_in = first.name.split("_session")[0]
    assert stand_in.startswith("Participant-") and second.name == first.name
    _fieldvault("report", str(study.root), "--out", str(tmp_path / "irb.md"), *unlock)
    text = (tmp_path / "irb.md").read_text()
    assert "Tamika" not in text and f"| {stand_in} |" in text and "| June |" in text


def _listed_since(study: Study, pseudonym: str, *listed: str) -> None:
    """Her list as a study made before pseudonyms were checked against every list may hold it (a list holding
    another participant's pseudonym is refused now): sealed in place by hand."""
    from fieldvault import layout, serial, vouching
    from fieldvault.participants import IdentifierList, KnownIdentifier

    names = serial.dumps(IdentifierList(tuple(KnownIdentifier(name) for name in listed)))
    study.replace(layout.participant(study.root, pseudonym) / layout.IDENTIFIERS, names)
    # ... and vouched for as it is, as the first unlock vouches for a list sealed before the key did (QA S14)
    relative = f"{layout.PARTICIPANTS}/{pseudonym}/{layout.IDENTIFIERS}"
    study.audit.append_vouching(vouching.ADOPTED, {relative: vouching.digest(names)}, count=1)


def test_withdraw_and_destroy_prompt_at_a_real_terminal(study: Study, unlock: list[str]) -> None:
    import pexpect

    child = pexpect.spawn("fieldvault", ["withdraw", str(study.root), "rosa", *unlock], timeout=60, encoding="utf-8")
    child.expect("Type the pseudonym \\(Rosa\\) to confirm: ")
    child.sendline("Rosa")
    child.expect("withdrew Rosa")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and not (study.root / "participants" / "Rosa").exists()
    _fieldvault("retention", str(study.root), "--years", "1", "--study-ends", "2020-01-01", *unlock)
    child = pexpect.spawn(
        "fieldvault", ["retention", str(study.root), "--destroy", *unlock], timeout=60, encoding="utf-8"
    )
    child.expect("Type destroy to destroy the 1 item\\(s\\) due: ")
    child.sendline("no")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and (study.root / "participants" / "June").exists()


def test_a_pseudonym_that_is_an_everyday_word_on_a_list_gets_the_stand_in_too(
    study: Study, identities: list, tmp_path: Path
) -> None:
    """QA D30: "Dung" is one woman's pseudonym and on another's list; because "dung" is an everyday word the scrub
    left it, so her exports were named "Dung" while "Xiaomei" got the stand-in. Any listed identifier counts."""
    from fieldvault.participants import ConsentRecord, add_participant
    from tests.conftest import ANSWERS

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Peony", dict(ANSWERS), consent, [], identities)
    dung = Person("Dung", ("Lodi",), "I got my GED in Lodi.")
    transcribe_and_review(study, identities, dung, add_person(study, dung, sessions=1, seconds=3.0)[0])
    _listed_since(study, "Peony", "Dung", "Xiaomei")
    export(study, identities, Options("txt"), tmp_path / "out", Request(("Dung",)))
    (exported,) = (tmp_path / "out").iterdir()
    assert exported.name.startswith("Participant-") and "Dung" not in exported.read_text()


def test_junk_appended_or_an_emptied_file_is_named_and_never_passes_for_a_good_copy(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA K11's rest: 3,000 bytes appended to a transcript (same header, nonce and payload) replaced the backup's good
    copy without the key, and a first backup copied an emptied file and said "every file read back and verified"."""
    dest = tmp_path / "usb"
    profile = study.root / "participants" / "Rosa" / "profile.json.age"
    named = str(profile.relative_to(study.root))
    good_profile = profile.read_bytes()
    profile.write_bytes(b"")
    for _ in range(2):  # the first backup, then the same again: named each time, rc 1
        done = _fieldvault("backup", str(study.root), str(dest), check=False)
        (line,) = [line for line in done.stderr.splitlines() if line.startswith(f"fieldvault: warning: {named}")]
        assert "the study's copy is empty (0 bytes)" in line and "restore" in line and "from another backup" in line
        assert "1 study file(s) are damaged and the backup holds no good copy" in done.stderr.splitlines()[-1]
    assert {k: v for k, v in _tree(dest).items() if k != "audit.jsonl"} == {
        k: v for k, v in _tree(study.root).items() if k != "audit.jsonl"
    }  # everything else backed up
    profile.write_bytes(good_profile)
    _fieldvault("backup", str(study.root), str(dest))
    assert (dest / named).read_bytes() == good_profile

    transcript = sorted(study.root.glob("participants/Rosa/*/transcript.json.age"))[0]
    good = transcript.read_bytes()
    transcript.write_bytes(good + bytes(range(256)) * 12)
    warning = f"fieldvault: warning: kept the backup's earlier copy of {transcript.relative_to(study.root)}: "
    for _ in range(2):
        done = _fieldvault("backup", str(study.root), str(dest), check=False)  # no key
        assert f"{warning}the study's copy is longer than the backup's copy of the same encryption" in done.stderr
        assert "--authenticate" in done.stderr
        assert (dest / transcript.relative_to(study.root)).read_bytes() == good
    done = _fieldvault("backup", str(study.root), str(dest), *unlock, check=False)  # the key says which is whole
    assert f"{warning}the study's copy fails its authentication" in done.stderr
    assert (dest / transcript.relative_to(study.root)).read_bytes() == good
    transcript.write_bytes(good)  # restored from the backup, as told
    _fieldvault("backup", str(study.root), str(dest))
    assert _tree(dest) == _tree(study.root)


def test_an_emptied_sealed_file_is_named_by_every_command_that_meets_it(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA K12: export, redact and decrypt stopped at an emptied file with "this is not an age file (no age header);
    check the file name", which named no file."""
    redactions = sorted(study.root.glob("participants/Rosa/*/redactions.json.age"))[0]
    named = str(redactions.relative_to(study.root))
    redactions.write_bytes(b"")
    out = tmp_path / "txt"
    for command in (
        ["export", str(study.root), "--format", "txt", "--include-unreviewed", "--out", str(out)],
        ["redact", str(study.root)],
        ["decrypt", str(study.root), named, "--out", "-"],
    ):
        done = _fieldvault(*command, *unlock, check=False)
        assert done.stderr.splitlines()[-1] == (
            f"fieldvault: error: {named} is not an age file (no age header: emptied or overwritten?); restore it "
            "from a backup (`fieldvault check` names every damaged file)"
        ), command
    assert redactions.read_bytes() == b"" and not out.exists()


def test_a_pseudonym_a_reviewer_accepted_as_a_name_has_one_stand_in_in_every_export_and_the_report(
    study: Study, identities: list, unlock: list[str], tmp_path: Path
) -> None:
    """QA Q6: she said "please use Wren" and the reviewer accepted "Wren" as a name. The txt export named her
    Participant-xxxxxx, while the sample table, the IRB report, and her transcript kept after withdrawal said "Wren":
    coders could not join her answers to her words. One rule now: the same stand-in everywhere, whichever sessions
    an export selects."""
    from fieldvault.redact.review import ACCEPTED, load

    wren = Person("Wren", ("Lodi",), "My name is Dolores but please use Wren. I got my GED in Lodi.")
    (session,) = add_person(study, wren, sessions=1, seconds=3.0)
    transcribe_and_review(study, identities, wren, session)
    accepted = [s.text for s in load(study, "Wren", session, identities).spans if s.state == ACCEPTED]
    assert "Wren" in accepted, accepted  # the case QA met: her pseudonym accepted as a span
    root = str(study.root)
    _fieldvault("export", root, "--format", "txt", "--participant", "Wren", "--out", str(tmp_path / "t"), *unlock)
    (exported,) = (tmp_path / "t").iterdir()
    stand_in = exported.name.split("_session")[0]
    assert stand_in.startswith("Participant-") and "Wren" not in exported.read_text()
    table = tmp_path / "d.csv"
    _fieldvault("export", root, "--format", "demographics", "--out", str(table), *unlock)
    rows = table.read_text()
    assert f"\n{stand_in}," in rows and "Wren" not in rows and "\nJune," in rows  # June's pseudonym is no name
    _fieldvault("export", root, "--format", "txt", "--include-unreviewed", "--out", str(tmp_path / "all"), *unlock)
    assert {p.name.split("_session")[0] for p in (tmp_path / "all").iterdir()} >= {stand_in, "June", "Rosa"}
    _fieldvault("report", root, "--out", str(tmp_path / "irb.md"), *unlock)
    report = (tmp_path / "irb.md").read_text()
    assert f"| {stand_in} |" in report and "Wren" not in report
    _fieldvault("withdraw", root, "Wren", "--keep-deidentified", "--confirm", "Wren", *unlock)
    _fieldvault("export", root, "--format", "txt", "--participant", "Wren", "--out", str(tmp_path / "k"), *unlock)
    (kept,) = (tmp_path / "k").iterdir()
    assert kept.name == exported.name and "Wren" not in kept.read_text()
    # QA R14: every --with-audio export of the study failed on her destroyed recording; it goes out as text, said
    out = tmp_path / "a.qdpx"
    done = _fieldvault("export", root, "--format", "qdpx", "--with-audio", "--out", str(out), *unlock)
    said = [line for line in done.stderr.splitlines() if "she withdrew, keeping only her de-identified" in line]
    assert len(said) == 1 and said[0].startswith("note: Wren/"), done.stderr
    assert "silent where the transcript was redacted, but voices identify people" in done.stderr  # QA R12
    with zipfile.ZipFile(out) as archive:
        assert len([n for n in archive.namelist() if n.endswith(".wav")]) == 2  # Rosa's and June's reviewed ones


def test_an_interview_resumed_after_the_input_was_lost_exports_as_parts_of_one_session(
    study: Study, identities: list, unlock: list[str], tmp_path: Path
) -> None:
    """QA Q12: a follow-up resumed after the microphone was lost went out as two unrelated follow-ups ("session 3",
    "session 4"), nothing saying the second carries the first on. The parts are one session now, "2a" and "2b"."""
    from fieldvault import layout
    from fieldvault.sessioninfo import FOLLOW_UP, SessionInfo

    ivy = Person("Ivy", ("Lodi",), "I got my GED in Lodi.")
    first, follow_up, resumed = add_person(study, ivy, sessions=3, seconds=3.0)
    for session in (first, follow_up, resumed):
        transcribe_and_review(study, identities, ivy, session)
    folder = study.root / "participants" / "Ivy"
    study.replace(folder / follow_up / layout.SESSION_INFO, SessionInfo(FOLLOW_UP).to_json())
    study.replace(folder / resumed / layout.SESSION_INFO, SessionInfo(FOLLOW_UP, continues=follow_up).to_json())
    root = str(study.root)
    _fieldvault("export", root, "--format", "txt", "--participant", "Ivy", "--out", str(tmp_path / "t"), *unlock)
    files = {p.name: p.read_text() for p in (tmp_path / "t").iterdir()}
    assert sorted(files) == ["Ivy_session-1.txt", "Ivy_session-2a.txt", "Ivy_session-2b.txt"]
    assert "· session 1 · first interview\n" in files["Ivy_session-1.txt"]
    assert "· session 2a · follow-up, part 1 of 2\n" in files["Ivy_session-2a.txt"]
    assert (
        "· session 2b · follow-up, part 2 of 2: carries on session 2 after the input was lost\n"
        in files["Ivy_session-2b.txt"]
    )
    _fieldvault("export", root, "--format", "csv", "--participant", "Ivy", "--out", str(tmp_path / "c.csv"), *unlock)
    assert {line.split(",")[1] for line in (tmp_path / "c.csv").read_text().splitlines()[1:]} == {"1", "2a", "2b"}


def test_retention_destroys_nothing_by_a_clock_years_ahead_of_the_study_unless_the_date_is_confirmed(
    study: Study, unlock: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA S15: a steward's laptop whose clock said 2036 ran `retention --destroy` as if the study's time were up:
    every woman's data went, and the next backup followed. A clock more than a year after the study's own last entry
    (or before it) destroys nothing until the date is typed with --today."""
    from datetime import UTC, datetime

    from fieldvault import cli

    root = str(study.root)
    _fieldvault("retention", root, "--years", "5", "--study-ends", "2027-06-30", "--audio-after-review", "0", *unlock)
    opened = Study.open

    def at(when: datetime) -> None:
        monkeypatch.setattr(Study, "open", lambda path, clock=None: opened(path, lambda: when))

    files = sorted(study.root.rglob("*.age"))
    for when in (datetime(2036, 11, 27, 10, tzinfo=UTC), datetime(2001, 1, 1, tzinfo=UTC)):
        at(when)
        destroy = ["retention", root, "--destroy", "--confirm", "destroy", *unlock]
        assert cli.main(destroy) == 1
        said = capsys.readouterr().err.strip().splitlines()
        assert len(said) == 1 and f"clock says {when:%Y-%m-%d}" in said[0] and "Check the date" in said[0], said
        assert cli.main([*destroy, "--today", "2035-01-01"]) == 1  # a date other than the clock's changes nothing
        capsys.readouterr()
        assert sorted(study.root.rglob("*.age")) == files
    at(datetime(2036, 11, 27, 10, tzinfo=UTC))
    assert cli.main(["retention", root, "--destroy", "--confirm", "destroy", "--today", "2036-11-27", *unlock]) == 0
    assert not list(study.root.glob("participants/*/*/audio.wav.age"))  # its time is up, by the date typed


def test_a_clock_set_ahead_that_wrote_an_entry_still_destroys_nothing_until_the_date_is_typed(
    study: Study, unlock: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA W9: the guard judged the clock by the study's last entry, which the wrong clock itself had just written
    (one `check` at 2032): `retention --destroy` then took every woman's data five years early. The last entry before
    a leap of more than a year counts, until a date typed with --today confirms the clock (recorded, signed: a line
    anyone appends claiming so does not count)."""
    from datetime import UTC, datetime

    from fieldvault import cli

    root = str(study.root)
    _fieldvault("retention", root, "--years", "5", "--study-ends", "2026-12-31", "--audio-after-review", "0", *unlock)
    opened = Study.open
    ahead = datetime(2032, 11, 25, 10, tzinfo=UTC)
    monkeypatch.setattr(Study, "open", lambda path, clock=None: opened(path, lambda: ahead))
    assert cli.main(["check", root, *unlock]) == 0  # an entry dated 2032, written by the wrong clock
    Study.open(study.root).audit.append("retention.clock-confirmed", reason="forged: no key")
    capsys.readouterr()
    files = sorted(study.root.rglob("*.age"))
    assert list(study.root.glob("participants/*/*/audio.wav.age"))
    destroy = ["retention", root, "--destroy", "--confirm", "destroy", *unlock]
    assert cli.main(destroy) == 1
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and "clock says 2032-11-25" in said[0] and "leap from then to 2032-11-25" in said[0], said
    assert "--today 2032-11-25" in said[0] and sorted(study.root.rglob("*.age")) == files
    assert cli.main([*destroy, "--today", "2032-11-25"]) == 0  # its time is up, by the date typed
    assert not list(study.root.glob("participants/*/*/audio.wav.age"))
    assert cli.main(destroy) == 0, capsys.readouterr().err  # confirmed once: the next run at that clock goes on


def test_transcribe_force_says_the_recordings_are_gone_where_retention_took_them(
    study: Study, identities: list, unlock: list[str]
) -> None:
    """QA Q8: `transcribe DIR Ivy --force`, her only recording destroyed by the retention policy, said "every
    recorded session has a transcript (use --force to redo one)" to a user who had given --force."""
    ivy = Person("Ivy", ("Lodi",), "I got my GED in Lodi.")
    (session,) = add_person(study, ivy, sessions=1, seconds=3.0)
    transcribe_and_review(study, identities, ivy, session)
    root = str(study.root)
    _fieldvault("retention", root, "--years", "5", "--study-ends", "2027-06-30", "--audio-after-review", "0", *unlock)
    _fieldvault("retention", root, "--destroy", "--confirm", "destroy", *unlock)
    assert not (study.root / "participants" / "Ivy" / session / "audio.wav.age").exists()
    done = _fieldvault("transcribe", root, "Ivy", "--force", *unlock)
    assert done.stdout.strip() == (
        "nothing to transcribe: 1 transcribed session(s) have no recording any more (destroyed under the retention "
        "policy, or lost: `fieldvault audit` says which); their transcripts are all there is"
    )
    done = _fieldvault("transcribe", root, "Ivy", *unlock)
    assert "every recorded session has a transcript" in done.stdout


def test_only_the_study_identity_destroys_moves_or_sets_the_retention_policy(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA R23: with only a transcriber's key (or any age key), `retention --study-ends 2020-01-01` then `--destroy`
    destroyed every interview; R22: her withdrawal or a session removed with that key reached no backup, its entry
    unsigned. Each of these needs the study identity now, and changes nothing without it."""
    transcriber = X25519Identity.generate()
    root = str(study.root)
    _fieldvault("keys", "add-recipient", root, str(transcriber.recipient()), "--name", "transcriber", *unlock)
    key = tmp_path / "t.txt"
    key.write_text(str(transcriber) + "\n")
    key.chmod(0o600)
    stranger = tmp_path / "evil.txt"
    stranger.write_text(str(X25519Identity.generate()) + "\n")
    session = sorted(p.name for p in (study.root / "participants" / "Rosa").iterdir() if p.is_dir())[0]
    add_person(study, Person("Ivy", ("Lodi",), "I got my GED in Lodi."), sessions=0)  # no session of that second
    before = _tree(study.root)
    for identity in (key, stranger):
        given = ["--identity", str(identity)]
        for command, says in (
            (("retention", root, "--years", "1", "--study-ends", "2020-01-01"), "changing the retention policy"),
            (("retention", root, "--destroy", "--confirm", "destroy"), "destroying data"),
            (("withdraw", root, "Rosa", "--confirm", "Rosa"), "a withdrawal"),
            (("session", "remove", root, "Rosa", session, "--confirm", session), "removing a session"),
            (("session", "move", root, "Rosa", session, "--to", "Ivy"), "moving a session"),
            (("participant", "rename", root, "Rosa", "Rosie"), "renaming a participant"),
        ):
            done = _fieldvault(*command, *given, check=False)
            assert f"{says} needs the study identity" in done.stderr.splitlines()[-1], done.stderr
    after = _tree(study.root)
    assert {k: v for k, v in after.items() if k != "audit.jsonl"} == {
        k: v for k, v in before.items() if k != "audit.jsonl"
    }
    assert "[settings.retention]" not in (study.root / "study.toml").read_text()
