"""QA T4: a study handed to a new PI, or a passphrase a departing RA saw, gets a new passphrase. The real CLI seals
keys/study.age again; a kill -9 at any step leaves one passphrase that opens the study, and `check` says which; a key
file from before the change put back (from a backup) is named; `backup` brings a backup's seal up to date."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fieldvault.agefile import ScryptIdentity, decrypt_bytes
from fieldvault.errors import WrongPassphrase
from fieldvault.study import STUDY_KEY, Study
from tests.conftest import PASSPHRASE
from tests.passkill import POINTS
from tests.stewardship import ROSA, add_person

CHECKOUT = Path(__file__).resolve().parents[2]
NEW = "violet kettle marching northward 42"


def fv(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FIELDVAULT_PASSPHRASE"}
    return subprocess.run(["fieldvault", *map(str, args)], capture_output=True, text=True, env=env,
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL)  # fmt: skip


def secret(path: Path, text: str) -> Path:
    path.write_text(text + "\n")
    path.chmod(0o600)
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return secret(tmp_path / "old.txt", PASSPHRASE), secret(tmp_path / "new.txt", NEW)


def opens_with(study: Study) -> set[str]:
    """Which of the two passphrases open keys/study.age now (exactly one must)."""
    sealed = (study.root / STUDY_KEY).read_bytes()
    found = set()
    for name, passphrase in (("old", PASSPHRASE), ("new", NEW)):
        try:
            decrypt_bytes(sealed, [ScryptIdentity(passphrase.encode())])
            found.add(name)
        except WrongPassphrase:
            pass
    return found


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def test_the_new_pi_s_passphrase_opens_the_study_and_the_old_one_no_longer_does(
    study: Study, files: tuple[Path, Path]
) -> None:
    old, new = files
    add_person(study, ROSA)
    profile = "participants/Rosa/profile.json.age"
    before = fv("decrypt", study.root, profile, "--out", "-", "--passphrase-file", old)
    assert before.returncode == 0, before.stderr
    changed = fv("keys", "change-passphrase", study.root, "--passphrase-file", old, "--new-passphrase-file", new)
    assert changed.returncode == 0, changed.stderr
    assert "backups made before keep the old seal" in changed.stdout and "remove-recipient" in changed.stdout
    assert opens_with(study) == {"new"}
    assert (study.root / STUDY_KEY).stat().st_mode & 0o777 == 0o600
    assert not any(p.name != "study.age" for p in (study.root / "keys").iterdir())  # nothing left beside it
    refused = fv("decrypt", study.root, profile, "--out", "-", "--passphrase-file", old)
    one_line_error(refused, "wrong passphrase", "was changed on", "give the new one")
    after = fv("decrypt", study.root, profile, "--out", "-", "--passphrase-file", new)
    assert after.returncode == 0 and after.stdout == before.stdout, after.stderr  # the same identity, every file
    verified = fv("audit", study.root, "--verify", "--passphrase-file", new)
    assert "every entry authenticated with the study key" in verified.stdout, verified.stdout + verified.stderr
    study = Study.open(study.root)
    study.unlock(NEW.encode())
    entry = [e for e in study.audit.entries() if e["action"] == "keys.change-passphrase"]
    assert len(entry) == 1 and study.audit.vouches(entry[0]) is True
    assert entry[0]["details"]["sha256"] == sha(study.root / STUDY_KEY)

    # the same command run twice: the old passphrase no longer opens the study, and nothing changes
    kept = sha(study.root / STUDY_KEY)
    again = fv("keys", "change-passphrase", study.root, "--passphrase-file", old, "--new-passphrase-file", new)
    one_line_error(again, "wrong passphrase", "give the new one")
    assert sha(study.root / STUDY_KEY) == kept
    checked = fv("check", study.root, "--passphrase-file", new)
    assert checked.returncode == 0 and "FAILED" not in checked.stdout, checked.stdout + checked.stderr


def test_a_change_that_cannot_be_made_changes_nothing(study: Study, files: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = files
    kept = sha(study.root / STUDY_KEY)
    same = fv("keys", "change-passphrase", study.root, "--passphrase-file", old, "--new-passphrase-file",
              secret(tmp_path / "same.txt", PASSPHRASE))  # fmt: skip
    one_line_error(same, "the new passphrase is the one in use")
    weak = fv("keys", "change-passphrase", study.root, "--passphrase-file", old, "--new-passphrase-file",
              secret(tmp_path / "weak.txt", "password1"))  # fmt: skip
    one_line_error(weak, "shorter than")
    untyped = fv("keys", "change-passphrase", study.root, "--passphrase-file", old)
    one_line_error(untyped, "--new-passphrase-file")
    one_line_error(fv("keys", "change-passphrase", study.root, "--passphrase-file", new, "--new-passphrase-file", new),
                   "a file of its own")  # fmt: skip
    third = secret(tmp_path / "third.txt", "quiet lantern over seven rivers")
    wrong = fv("keys", "change-passphrase", study.root, "--passphrase-file", new, "--new-passphrase-file", third)
    one_line_error(wrong, "wrong passphrase")
    assert sha(study.root / STUDY_KEY) == kept and opens_with(study) == {"old"}
    study.unlock(PASSPHRASE.encode())
    kit = study.make_field_kit(tmp_path / "kit")
    on_kit = fv("keys", "change-passphrase", kit.root, "--passphrase-file", old, "--new-passphrase-file", new)
    one_line_error(on_kit, "a field kit has no passphrase")


@pytest.mark.parametrize("point", sorted(POINTS))
def test_a_change_killed_at_any_step_leaves_one_passphrase_that_opens_the_study_and_check_says_which(
    study: Study, files: tuple[Path, Path], point: str
) -> None:
    old, new = files
    add_person(study, ROSA)
    killed = subprocess.run([sys.executable, "-m", "tests.passkill", point, str(study.root), str(old), str(new)],
                            cwd=CHECKOUT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, (point, killed.returncode, killed.stderr[-2000:])
    works = opens_with(study)
    assert len(works) == 1, (point, works)
    in_force, other = (old, new) if works == {"old"} else (new, old)
    checked = fv("check", study.root, "--passphrase-file", in_force)
    said = checked.stdout + checked.stderr
    assert "Traceback" not in said and "FAILED" not in said, said
    if works == {"old"}:  # cut off before it took effect: check names it, and that the old passphrase is in force
        assert "cut off before it took effect" in said and "old passphrase" in said.lower(), said
    else:
        assert "cut off" not in said, said
    one_line_error(fv("check", study.root, "--passphrase-file", other), "wrong passphrase")
    if works == {"old"}:  # run again, it is done
        done = fv("keys", "change-passphrase", study.root, "--passphrase-file", old, "--new-passphrase-file", new)
        assert done.returncode == 0, done.stderr
    assert opens_with(study) == {"new"}
    final = fv("check", study.root, "--passphrase-file", new)
    assert final.returncode == 0 and "cut off" not in final.stdout, final.stdout + final.stderr
    assert sorted(p.name for p in (study.root / "keys").iterdir()) == ["study.age"]


def test_a_key_file_from_a_backup_made_before_the_change_is_named_and_backup_brings_backups_up_to_date(
    study: Study, files: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = files
    add_person(study, ROSA)
    backup = tmp_path / "usb"
    made = fv("backup", study.root, backup)
    assert made.returncode == 0, made.stderr
    changed = fv("keys", "change-passphrase", study.root, "--passphrase-file", old, "--new-passphrase-file", new)
    assert changed.returncode == 0, changed.stderr
    old_seal = backup / STUDY_KEY
    assert decrypt_bytes(old_seal.read_bytes(), [ScryptIdentity(PASSPHRASE.encode())])  # the limit README names

    shutil.copyfile(old_seal, study.root / STUDY_KEY)  # put back from the backup: the old passphrase opens it again
    one_line_error(fv("check", study.root, "--passphrase-file", new), "wrong passphrase", "older copy was put back",
                   "the passphrase from before that change opens it")  # fmt: skip
    checked = fv("check", study.root, "--passphrase-file", old)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "FAILED keys/study.age: is not the file the change of the study passphrase" in checked.stdout
    again = fv("keys", "change-passphrase", study.root, "--passphrase-file", old, "--new-passphrase-file", new)
    assert again.returncode == 0, again.stderr
    assert fv("check", study.root, "--passphrase-file", new).returncode == 0

    brought = fv("backup", study.root, backup)
    assert brought.returncode == 0, brought.stderr
    assert sha(backup / STUDY_KEY) == sha(study.root / STUDY_KEY)
    with pytest.raises(WrongPassphrase):
        decrypt_bytes((backup / STUDY_KEY).read_bytes(), [ScryptIdentity(PASSPHRASE.encode())])
    assert decrypt_bytes((backup / STUDY_KEY).read_bytes(), [ScryptIdentity(NEW.encode())])
