"""`check` never passes a study missing a file its log or index says is there, nor one where a link stands in for
study data (QA W2, W4): the real `fieldvault` binary, real age files. Each failure names the file and the command
that puts it back; the commands that remove files the audited way leave `check` passing."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.study import Study
from tests.e2e import test_backup_follows_the_log as follows


def _fieldvault(*args: str | Path, rc: int | None = 0) -> subprocess.CompletedProcess[str]:
    """The real binary; ``rc`` None: either way, said in one line if it fails."""
    done = subprocess.run(
        ["fieldvault", *map(str, args)], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    assert rc is None or done.returncode == rc, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    if done.returncode:
        assert done.stderr.splitlines()[-1].startswith("fieldvault: error: ")
    return done


study = follows.study  # Rosa and June, two sessions each, the first of each reviewed


def _sessions(study: Study, pseudonym: str) -> list[str]:
    return sorted(p.name for p in (study.root / layout.PARTICIPANTS / pseudonym).iterdir() if p.is_dir())


def _failed(study: Study, unlock: list[str]) -> list[str]:
    """check's FAILED lines, checked twice: said twice, nothing changed by it."""
    first = _fieldvault("check", study.root, *unlock, rc=1)
    again = _fieldvault("check", study.root, *unlock, rc=1)
    failed = [line for line in first.stdout.splitlines() if line.startswith("FAILED ")]
    assert failed == [line for line in again.stdout.splitlines() if line.startswith("FAILED ")]
    assert first.stderr.strip().endswith("do as each line above says"), first.stderr
    return failed


@pytest.mark.parametrize(
    "relative",
    [
        f"participants/Rosa/{layout.PROFILE}",  # her questionnaire answers and consent record
        f"participants/June/SESSION/{layout.SESSION_INFO}",  # the session's kind, a consent confirmed again
        layout.SESSION_INDEX,
        f"participants/Rosa/{layout.PLACEHOLDERS}",  # the [PERSON n] numbers her exports gave
    ],
)
def test_check_fails_for_a_file_the_log_or_index_says_is_there_deleted_by_hand_with_the_cp_that_restores_it(
    study: Study, unlock: list[str], tmp_path: Path, relative: str
) -> None:
    """QA W2: `rm` of her profile, a session's record, the session index or her placeholder numbers: `check` said
    "0 failure(s)". It names the file, with the `cp -p` from the last backup; run as printed, it makes the study
    whole."""
    relative = relative.replace("SESSION", _sessions(study, "June")[1])
    _fieldvault("export", study.root, "--format", "txt", "--out", tmp_path / "out", *unlock)  # numbers her people
    assert (study.root / f"participants/Rosa/{layout.PLACEHOLDERS}").is_file()
    _fieldvault("backup", study.root, tmp_path / "usb")
    _fieldvault("check", study.root, *unlock)
    (study.root / relative).unlink()  # by hand, or by anyone who can write the folder
    [lost] = _failed(study, unlock)
    assert lost.startswith(f"FAILED {relative}: ") and "(deleted by hand?)" in lost, lost
    restore = lost.split("restore it from the backup: ")[1]
    assert restore.startswith(f"cp -p {tmp_path / 'usb' / relative} "), restore
    subprocess.run(shlex.split(restore), check=True)  # the command as printed
    _fieldvault("check", study.root, *unlock)


def test_an_export_names_a_participant_it_exports_without_her_answers(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA W2: with her profile deleted, the csv and qdpx exports went on without her case variables, without a word.
    Each export names her and the file, and says how to restore it; the sample table gives her no row and says why
    (not "withdrew")."""
    profile = study.root / f"participants/Rosa/{layout.PROFILE}"
    kept = shutil.move(profile, tmp_path / "profile.age")
    for form in ("csv", "qdpx", "demographics"):
        done = _fieldvault("export", study.root, "--format", form, "--out", tmp_path / f"out-{form}", *unlock)
        said = [
            line for line in (done.stdout + done.stderr).splitlines() if f"participants/Rosa/{layout.PROFILE}" in line
        ]
        assert len(said) == 1 and "Rosa" in said[0] and "was deleted since the study key vouched for it" in said[0]
        assert "without her answers" in said[0] and "withdrew" not in said[0], said
    shutil.move(kept, profile)
    done = _fieldvault("export", study.root, "--format", "csv", "--out", tmp_path / "after", *unlock)
    assert "without her answers" not in done.stdout + done.stderr


def test_files_removed_the_audited_way_leave_check_passing(study: Study, unlock: list[str], tmp_path: Path) -> None:
    """What the rule must not catch: `session remove`, `session move`, `participant rename`, and a withdrawal with and
    without her de-identified transcripts kept, each take files the log or index listed (her placeholder numbers
    among them, once an export kept some); `check` passes after each."""
    rosa, june = _sessions(study, "Rosa"), _sessions(study, "June")
    _fieldvault("export", study.root, "--format", "txt", "--out", tmp_path / "out", *unlock)  # numbers kept for both
    _fieldvault("check", study.root, *unlock)
    _fieldvault("session", "remove", study.root, "June", june[1], "--confirm", june[1], *unlock)
    _fieldvault("check", study.root, *unlock)
    _fieldvault("session", "move", study.root, "Rosa", rosa[1], "--to", "June", *unlock)
    _fieldvault("check", study.root, *unlock)
    _fieldvault("participant", "rename", study.root, "June", "Ivy", *unlock)
    _fieldvault("check", study.root, *unlock)
    _fieldvault("withdraw", study.root, "Rosa", "--keep-deidentified", "--confirm", "Rosa", *unlock)
    assert (study.root / "participants/Rosa").is_dir() and not (
        study.root / f"participants/Rosa/{layout.PROFILE}"
    ).exists()
    _fieldvault("check", study.root, *unlock)
    _fieldvault("withdraw", study.root, "Ivy", "--confirm", "Ivy", *unlock)
    _fieldvault("check", study.root, *unlock)


@pytest.mark.parametrize(
    "relative",
    ["participants/June/SESSION", "keys/study.age", layout.AUDIT_FILE, f"participants/June/SESSION/{layout.AUDIO}"],
)
def test_a_link_standing_for_study_data_fails_check_naming_its_target_and_the_way_back(
    study: Study, unlock: list[str], tmp_path: Path, relative: str
) -> None:
    """QA W4: a session folder (or the key file, the log) moved to another disk and linked back: `check` passed with
    "is a link (a study holds none; remove it)", and doing so lost the session, its only copy at a target no line
    named. It fails naming the target and the way back; run as printed, the study is whole again. A link under a name
    fieldvault never writes stays a note."""
    relative = relative.replace("SESSION", _sessions(study, "June")[0])
    _fieldvault("check", study.root, *unlock)
    away = tmp_path / "bigger disk" / "it's here"  # a space and a quote: the command must quote them
    away.parent.mkdir()
    shutil.move(study.root / relative, away)
    (study.root / relative).symlink_to(away)
    [linked] = _failed(study, unlock)
    assert linked.startswith(f"FAILED {relative}: is a link to {str(away)!r}"), linked
    assert "remove it)" not in linked, linked
    back = linked.split("replace the link with what it points to: ")[1]
    here = str(study.root / relative)
    assert back == f"{shlex.join(['rm', here])} && {shlex.join(['mv', str(away), here])}", back
    subprocess.run(["sh", "-c", back], check=True)  # the way back, as printed
    assert not (study.root / relative).is_symlink() and not away.exists()
    _fieldvault("check", study.root, *unlock)
    (study.root / "notes.txt").symlink_to(tmp_path / "bigger disk")  # no study data: a note, as before
    done = _fieldvault("check", study.root, *unlock)
    assert "note: notes.txt is a link (a study holds none; remove it)" in done.stdout, done.stdout


def test_a_file_of_added_names_bigger_than_any_list_is_refused_by_its_size_before_it_is_read(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA W5: a huge file named like names added to her list with the study locked (anyone who can write the folder
    makes one with `truncate`) was read whole into memory by check, export and backup (4 GB: 4.25 GB RSS). Its size
    refuses it before a byte is read: check names it, an export refuses in one line naming it (or reads nothing of a
    file the log never recorded sealed: names19's V23), the backup leaves it out as not encrypted (decided on its first
    bytes). Peak memory is measured in the notes, not here."""
    relative = "participants/Rosa/identifiers-added-1.json.age"
    with (study.root / relative).open("wb") as huge:
        huge.truncate(64 * 1024 * 1024)  # sparse: no disk used
    too_big = "is 67,108,864 bytes, more than a file of names added to her list can ever be ("
    failed = _failed(study, unlock)
    [named] = [line for line in failed if line.startswith(f"FAILED {relative}: this file {too_big}")]
    most = int(named.split(too_big)[1].split(" ")[0].replace(",", ""))
    assert 100_000 < most < 1024 * 1024, named  # a few hundred KB: 500 names of 200 characters, sealed
    done = _fieldvault("export", study.root, "--format", "txt", "--out", tmp_path / "out", *unlock, rc=None)
    assert "not an age file" not in done.stderr, done.stderr  # main: read whole, then judged
    assert done.returncode == 0 or f"{relative} {too_big}" in done.stderr, done.stderr  # read by nothing, or refused
    done = _fieldvault("backup", study.root, tmp_path / "usb", *unlock)
    assert f"not backed up: {relative} is not encrypted" in done.stderr, done.stderr
    assert not (tmp_path / "usb" / relative).exists()
    (study.root / relative).unlink()
    _fieldvault("check", study.root, *unlock)


def test_a_participant_folder_that_is_a_link_is_failed_and_not_read_through(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """qa28 QD10: `check` failed participants/Zed, a link to /etc, saying nothing was read through it, and then noted
    each of /etc's folders as "no session" (76 lines listing another folder's contents; the failure scrolled away)."""
    elsewhere = tmp_path / "elsewhere"
    for name in ("xdg", "ssh", "cron.d"):
        (elsewhere / name).mkdir(parents=True)
    (study.root / "participants" / "Zed").symlink_to(elsewhere)
    done = _fieldvault("check", study.root, *unlock, rc=1)
    assert any(line.startswith("FAILED participants/Zed: is a link to") for line in done.stdout.splitlines())
    assert "participants/Zed/" not in done.stdout, done.stdout
