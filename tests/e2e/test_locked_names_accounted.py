"""QA V20, V22, V23 with the real CLI and real `age`: names she gives at a follow-up in a study opened locked are
sealed beside her list, and the audit log records that file (its path and the hash of its bytes) until the next use of
the study key adds them to her list and records the fold.

V20: the file deleted before the next unlock, her names were lost without a word and her export let them out; now
`check` fails naming it and the `cp` from the last backup, exports of her sessions refuse (others' go on), and the PI
can record it lost while adding the names again. V22: a backup made while names waited beside her list failed every
later backup once they were folded; now the fold is recorded and the backup's copy destroyed. V23: a file anyone seals
with the study's public key stopped every export; now it is read by nothing, never folded, and named by `check`.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.lists import APPENDED
from fieldvault.participants import IdentifierList, KnownIdentifier
from fieldvault.study import Study
from tests.conftest import ROOT, need
from tests.e2e import test_list_append
from tests.e2e.test_list_append import LIST, exported, names_on, write
from tests.e2e.test_locked_follow_up_names import ADDED, appended_locked
from tests.e2e.test_vouched_files import fv, one_line_refusal, reviewed_rose
from tests.foldkill import FOLDED

rose = test_list_append.rose  # the fixture: Rose's list of three names, a reviewed session that says them
NAMES = "Tobiah Quorn\nPLACE: Lemon Cove\n"


@pytest.fixture
def two(rose: Study, tmp_path: Path) -> Study:
    """Rose, and Iris with a reviewed session of her own that names nobody on Rose's list."""
    (tmp_path / "iris").mkdir()
    return reviewed_rose(rose, tmp_path / "iris", "Gus Pell\n", ["I grew up near the river."], pseudonym="Iris")


def names_file(study: Study, number: int = 1) -> Path:
    return study.root / ADDED.replace("1", str(number))


def log_text(study: Study) -> str:
    return (study.root / layout.AUDIT_FILE).read_text()


def test_names_added_locked_and_deleted_before_the_unlock_fail_check_and_refuse_her_export_only(
    two: Study, tmp_path: Path
) -> None:
    appended_locked(two, tmp_path, NAMES)
    entry = log_text(two).splitlines()[-1]
    assert APPENDED in entry and f'"file": "{ADDED}"' in entry and '"sha256": "' in entry  # the file it wrote
    assert "Quorn" not in log_text(two)
    backup = tmp_path / "bk"
    assert fv("backup", two.root, backup, passphrase=False).returncode == 0  # a scheduled one: no passphrase
    names_file(two).unlink()  # the attacker, or a sync client, before the next unlock

    checked = fv("check", two.root)
    assert checked.returncode == 1, checked.stdout
    (line,) = [x for x in checked.stdout.splitlines() if x.startswith(f"FAILED {ADDED}")]
    assert "2 name(s) she gave were sealed here beside her list with the study locked" in line, line
    assert f"cp -p {backup / ADDED} {two.root / 'participants/Rose'}/" in line, line  # the last backup's copy
    assert "--names-lost" in line
    assert "Quorn" not in names_on(two, "Rose")

    refused = fv("export", two.root, "--format", "txt", "--participant", "Rose", "--out", tmp_path / "r")
    one_line_refusal(refused, "Rose's sessions are not exported", ADDED, "is gone", "cp -p")
    assert not (tmp_path / "r").exists()
    everyone = fv("export", two.root, "--format", "txt", "--out", tmp_path / "all")
    one_line_refusal(everyone, "Rose's sessions are not exported")
    other = fv("export", two.root, "--format", "txt", "--participant", "Iris", "--out", tmp_path / "iris-out")
    assert other.returncode == 0, other.stderr  # other participants export
    table = fv("export", two.root, "--format", "demographics", "--participant", "Rose", "--out", tmp_path / "d.csv")
    one_line_refusal(table, "Rose's sessions are not exported")

    # run twice locked: a new file never takes the deleted one's number
    appended_locked(two, tmp_path, "Marisol Vance\n", "two.txt")
    assert names_file(two, 2).is_file() and not names_file(two).exists()

    # restored as check said: the next command adds every name, and her export takes them out
    subprocess.run(["cp", "-p", str(backup / ADDED), str(two.root / "participants/Rose/")], check=True)
    for _ in range(2):  # run twice: the second finds nothing to do
        again = fv("check", two.root)
        assert again.returncode == 0 and "identifiers-added" not in again.stdout, again.stdout
    assert names_on(two, "Rose")[-3:] == ["Tobiah Quorn", "Lemon Cove", "Marisol Vance"]
    text = exported(two, tmp_path / "out")
    assert "Quorn" not in text and "Lemon Cove" not in text and "took me" in text
    assert not list((two.root / "participants/Rose").glob("identifiers-added-*"))


def test_names_no_backup_holds_are_recorded_lost_while_the_pi_adds_them_again(rose: Study, tmp_path: Path) -> None:
    appended_locked(rose, tmp_path, NAMES)
    names_file(rose).unlink()
    nothing_lost = write(tmp_path, "none.txt", "Lemon Cove\n")
    plain = fv("participant", "add-list", rose.root, "Rose", "--identifiers", nothing_lost, "--names-lost")
    one_line_refusal(plain, "--names-lost goes with --append")
    recalled = write(tmp_path, "recalled.txt", NAMES)  # as the interviewer recalls them
    done = fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", recalled, "--names-lost")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"recorded {ADDED} lost (names Rose gave with the study locked)\nadded 2 name(s)")
    assert fv("check", rose.root).returncode == 0
    text = exported(rose, tmp_path / "out")
    assert "Quorn" not in text and "Lemon Cove" not in text and "took me" in text
    twice = fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", recalled, "--names-lost")
    one_line_refusal(twice, "no file of names Rose gave is missing or damaged")
    assert log_text(rose).count('"reason": "lost"') == 1


def test_a_backup_made_while_names_waited_passes_once_they_are_folded(rose: Study, tmp_path: Path) -> None:
    appended_locked(rose, tmp_path, NAMES)
    backup = tmp_path / "bk"
    assert fv("backup", rose.root, backup, passphrase=False).returncode == 0
    assert (backup / ADDED).is_file()
    assert fv("check", rose.root).returncode == 0  # the unlock folds them, and records it
    assert FOLDED in log_text(rose) and not names_file(rose).exists()
    scheduled = fv("backup", rose.root, backup, passphrase=False)  # no key: the backup's copy is set aside
    assert scheduled.returncode == 0, scheduled.stderr
    for _ in range(2):
        keyed = fv("backup", rose.root, backup)
        assert keyed.returncode == 0, keyed.stderr
    assert not list(backup.rglob("identifiers-added-*"))
    assert "Quorn" in " ".join(names_on(rose, "Rose"))


def test_a_file_of_names_no_entry_records_stops_no_export_and_is_never_folded(two: Study, tmp_path: Path) -> None:
    """The attacker has the folder and the public key (study.toml), no passphrase: a junk file, and a list of names
    that decrypts and is bound to her, sealed with the real `age`."""
    recipients = [arg for r in two.config.recipients for arg in ("-r", r.key)]
    ident = (two.root / "participants/Rose" / layout.PARTICIPANT_ID).read_text().strip()
    forged = IdentifierList((KnownIdentifier("Lemon Cove"),), pseudonym="Rose", participant_id=ident).to_json()
    for number, payload in ((1, b"junk\n"), (2, forged)):
        subprocess.run([need("age"), *recipients, "-o", str(names_file(two, number))], input=payload, check=True)
    had = names_on(two, "Rose")

    checked = fv("check", two.root)
    assert checked.returncode == 0, checked.stdout
    for number in (1, 2):
        (line,) = [x for x in checked.stdout.splitlines() if str(names_file(two, number).name) in x]
        assert line.startswith("note: ") and "no entry of the audit log records sealing it" in line, line
        assert "fieldvault decrypt" in line and "move the file out of the study folder" in line
    assert names_on(two, "Rose") == had and names_file(two, 2).is_file()  # never folded, nor deleted
    done = fv("export", two.root, "--format", "txt", "--out", tmp_path / "all")
    assert done.returncode == 0, done.stderr
    assert "Lemon Cove" in exported(two, tmp_path / "out")  # the attacker's name is on no list: read by nothing

    # a line appended to the log naming the junk file: now it stops her exports, never everyone's
    sha = hashlib.sha256(names_file(two).read_bytes()).hexdigest()
    Study.open(two.root).audit.append(APPENDED, pseudonym="Rose", count=1, file=ADDED, sha256=sha)
    checked = fv("check", two.root)
    assert checked.returncode == 1 and f"FAILED {ADDED}: " in checked.stdout, checked.stdout
    one_line_refusal(fv("export", two.root, "--format", "txt", "--out", tmp_path / "again"), "Rose's sessions")
    other = fv("export", two.root, "--format", "txt", "--participant", "Iris", "--out", tmp_path / "iris-out")
    assert other.returncode == 0, other.stderr


def test_a_forged_path_in_a_log_line_names_no_file_outside_her_folder(rose: Study, tmp_path: Path) -> None:
    """`..` in a line appended without the passphrase: no file outside her folder is weighed, folded or destroyed."""
    backup = tmp_path / "bk"
    assert fv("backup", rose.root, backup).returncode == 0
    study = Study.open(rose.root)
    for path in ("participants/Rose/../Rose/identifiers-added-1.json.age", f"participants/Rose/../../{LIST}"):
        study.audit.append(APPENDED, pseudonym="Rose", count=1, file=path, sha256="0" * 64)
        study.audit.append(FOLDED, pseudonym="Rose", file=path, sha256="0" * 64)
    checked = fv("check", rose.root)  # the forged folds are named (only a keyed fold writes one), nothing else
    failed = [line for line in checked.stdout.splitlines() if line.startswith("FAILED")]
    assert checked.returncode == 1 and len(failed) == 2, checked.stdout
    assert all(line.startswith("FAILED audit.jsonl") and "participant.added-folded" in line for line in failed)
    assert fv("backup", rose.root, backup).returncode == 0 and (backup / LIST).is_file()


@pytest.mark.parametrize("point", ["staged", "vouched", "sealed", "recorded"])
def test_a_fold_killed_part_way_loses_no_name(rose: Study, tmp_path: Path, point: str) -> None:
    appended_locked(rose, tmp_path, NAMES)
    killed = subprocess.run(
        [sys.executable, "-m", "tests.foldkill", point, str(rose.root)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    # the old state (the file there, her list as it was) or the new (her list holds them): never neither
    assert names_file(rose).is_file() or "Tobiah Quorn" in names_on(rose, "Rose")
    for _ in range(2):
        again = fv("check", rose.root)
        assert again.returncode == 0 and "identifiers-added" not in again.stdout, again.stdout
    assert names_on(rose, "Rose") == ["Derek Fowler", "916-555-0142", "José Ybarra", "Tobiah Quorn", "Lemon Cove"]
    assert not names_file(rose).exists()
    assert "Tobiah" not in exported(rose, tmp_path / "out")


def test_a_pseudonym_given_in_nfd_names_the_file_she_has(rose: Study, tmp_path: Path) -> None:
    """Her pseudonym typed decomposed at the append (NFD, as a Mac keyboard gives it): the log names her folder."""
    listed = write(tmp_path, "ines.txt", "Gus Pell\n")
    added = fv("participant", "add", rose.root, "Inés", "--answers", tmp_path / "answers.toml", "--identifiers", listed)
    assert added.returncode == 0, added.stderr
    new = write(tmp_path, "new.txt", "Marisol Vance\n")
    nfd = unicodedata.normalize("NFD", "Inés")
    done = fv("participant", "add-list", rose.root, nfd, "--append", "--identifiers", new, passphrase=False)
    assert done.returncode == 0, done.stderr
    (sealed,) = (rose.root / "participants/Inés").glob("identifiers-added-*")
    relative = str(sealed.relative_to(rose.root))
    assert f'"file": "{relative}"' in log_text(rose)
    kept = sealed.read_bytes()
    sealed.unlink()
    checked = fv("check", rose.root)
    assert checked.returncode == 1 and f"FAILED {relative}: 1 name(s) she gave" in checked.stdout, checked.stdout
    table = fv("export", rose.root, "--format", "demographics", "--participant", nfd, "--out", tmp_path / "d.csv")
    one_line_refusal(table, "Inés's sessions are not exported")
    sealed.write_bytes(kept)
    assert fv("check", rose.root).returncode == 0
    assert "Marisol Vance" in names_on(rose, "Inés")
