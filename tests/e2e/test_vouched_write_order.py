"""QA U8/U6: a vouched write cut off (kill -9, power lost) at any point never locks the study out. The signed entry
vouching for the new payload is written before the new file takes its name: cut off before the entry, the old file
stays (vouched) and the command runs again; cut off after it, the next unlock puts the new file in place. Real CLI,
real age files, the process killed by strace at each fsync it makes (QA's repro)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fieldvault import loghead, paths
from fieldvault.redact import review
from fieldvault.study import Study
from fieldvault.vouching import staged
from tests.conftest import PASSPHRASE, ROOT
from tests.e2e import test_list_append, test_vouched_sessions
from tests.e2e.test_list_append import LIST, exported, names_on, write
from tests.e2e.test_vouched_files import fv, one_line_refusal
from tests.e2e.test_vouched_sessions import (
    LEAKS,
    NOW,
    REDACTIONS,
    RESTORE,
    SESSION,
    export_txt,
    failed_lines,
    review_pass,
)  # fmt: skip

pytestmark = pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace to kill at each fsync")
FIRST = ["Derek Fowler", "916-555-0142", "José Ybarra"]
ALL = [*FIRST, "Tobiah Quorn", "Lemon Cove"]
rose = test_list_append.rose  # Rose's first list, a transcribed and (carelessly) reviewed session
accepted = test_vouched_sessions.accepted  # her interview reviewed twice (the first pass kept in old-redactions.age)


def run_again(root: Path, copy: Path) -> Path:
    """A copy of the study, for one more kill: each copy stands for the one study folder as it was before, so this
    computer forgets how far the log of the copy killed before went (QA U9 refuses a log forked from one it saw)."""
    (paths.config_dir() / loghead.FILE).unlink(missing_ok=True)
    return Path(shutil.copytree(root, copy))


def killed_at(fsync: int, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """``fieldvault *args`` (the checkout's, with the passphrase) killed with SIGKILL at its ``fsync``-th fsync."""
    inject = f"inject=fsync:signal=SIGKILL:when={fsync}"
    argv = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync", "-e", inject, "fieldvault", *map(str, args)]
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    return subprocess.run(argv, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)


def test_an_append_killed_at_each_fsync_never_locks_the_study(rose: Study, tmp_path: Path) -> None:
    new = write(tmp_path, "new.txt", "Tobiah Quorn\nPLACE: Lemon Cove\n")
    assert fv("check", rose.root).returncode == 0  # the study key vouches for her first list
    outcomes = []
    for fsync in range(1, 12):
        copy = Study.open(run_again(rose.root, tmp_path / f"k{fsync}"))
        cut = killed_at(fsync, "participant", "add-list", copy.root, "Rose", "--append", "--identifiers", new)
        outcomes.append(cut.returncode)
        checked = fv("check", copy.root)
        assert checked.returncode == 0, (fsync, checked.stdout + checked.stderr)
        assert "FAILED" not in checked.stdout
        text = exported(copy, tmp_path / f"out{fsync}")  # every export reads every list: none refused
        assert "took me" in text and "Fowler" not in text
        assert names_on(copy, "Rose") in (FIRST, ALL)  # the old list, or the new one: never a refusal
        again = fv("participant", "add-list", copy.root, "Rose", "--append", "--identifiers", new)
        assert again.returncode == 0, again.stderr
        assert names_on(copy, "Rose") == ALL
        assert not staged(copy.root / LIST).exists()
        text = exported(copy, tmp_path / f"after{fsync}")
        assert "Quorn" not in text and "Lemon Cove" not in text
        if cut.returncode == 0:
            break
    assert outcomes[-1] == 0 and len(outcomes) >= 3, outcomes


def test_a_cut_off_append_put_in_place_is_vouched_and_an_older_list_put_back_is_still_refused(
    rose: Study, tmp_path: Path
) -> None:
    """Killed after its entry, before the rename: the staged list is put in place at the next unlock; the list from
    before (the attacker's replay, staged file removed) stays refused."""
    older = (rose.root / LIST).read_bytes()
    new = write(tmp_path, "new.txt", "Tobiah Quorn\nPLACE: Lemon Cove\n")
    for fsync in range(1, 12):
        copy = Study.open(run_again(rose.root, tmp_path / f"k{fsync}"))
        killed_at(fsync, "participant", "add-list", copy.root, "Rose", "--append", "--identifiers", new)
        if staged(copy.root / LIST).exists() and "list-appended" in (copy.root / "audit.jsonl").read_text():
            break
    else:
        pytest.fail("no fsync fell between the entry and the rename")
    assert (copy.root / LIST).read_bytes() == older  # the old list still in place, the new one beside it
    assert fv("check", copy.root).returncode == 0
    assert not staged(copy.root / LIST).exists() and names_on(copy, "Rose") == ALL
    (copy.root / LIST).write_bytes(older)  # the list from before the append, put back
    one_line_refusal(fv("export", copy.root, "--format", "txt", "--participant", "Rose", "--out", tmp_path / "x"),
                     "Rose's list")  # fmt: skip
    checked = fv("check", copy.root)
    assert checked.returncode == 1 and "FAILED" in checked.stdout


# --- a review store (QA U6) ------------------------------------------------------------------------------------------

SECOND_PASS = """
import sys
from pathlib import Path
from tests.e2e.test_vouched_sessions import review_pass
review_pass(Path(sys.argv[1]), accept_all=True)
"""


def test_a_review_store_killed_at_each_fsync_never_locks_the_session(accepted: Path, tmp_path: Path) -> None:
    """The second pass (every span accepted, then marked reviewed: two vouched stores) as the review screen stores it,
    killed at each fsync: `check` passes, both exports run, and the pass run again leaves no leak."""
    outcomes = []
    for fsync in range(1, 16):
        copy = run_again(accepted, tmp_path / f"k{fsync}")
        argv = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync", "-e",
                f"inject=fsync:signal=SIGKILL:when={fsync}", sys.executable, "-c", SECOND_PASS, str(copy)]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cut = subprocess.run(argv, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, cwd=ROOT)
        outcomes.append(cut.returncode)
        assert failed_lines(copy) == [], fsync
        for more in ((), ("--include-unreviewed",)):
            done, _ = export_txt(copy, tmp_path / f"out{fsync}{len(more)}", *more)
            assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
            assert "not the one" not in done.stderr and "backup" not in done.stderr, done.stderr
        review_pass(copy, accept_all=True)  # the same pass again
        assert failed_lines(copy) == []
        done, out = export_txt(copy, tmp_path / f"after{fsync}")
        assert done.returncode == 0 and "took me to" in out and not any(leak in out for leak in LEAKS), done.stderr
        if cut.returncode == 0:
            break
    assert outcomes[-1] == 0 and len(outcomes) >= 4, outcomes


def test_a_redactions_file_no_entry_vouched_for_reads_as_unreviewed(accepted: Path, tmp_path: Path) -> None:
    """A store cut off between its file's rename and its entry by an older release (the file is the newest, every
    decision in it, no entry names it): no FAILED line and no "older" in any message; a `check` note; the reviewed
    export leaves the session out, the unreviewed one replaces every proposal; reviewing it again vouches for it."""
    study = Study.open(accepted)
    identities = study.unlock(PASSPHRASE.encode())
    _, redactions = review.open_for_review(study, "Rose", SESSION, identities)
    redactions.mark_reviewed("reviewer", NOW)
    review.save(study, redactions)  # the file renamed in; the entry never written
    checked = fv("check", accepted)
    assert checked.returncode == 0 and "FAILED" not in checked.stdout, checked.stdout + checked.stderr
    assert "older" not in checked.stdout
    # QA W6 (the same file sealed by anyone with the public key): the review the key vouched for is said lost
    (note,) = [line for line in checked.stdout.splitlines() if REDACTIONS in line]
    assert note.startswith(f"note: {REDACTIONS}: not the file the study key vouched for in audit entry "), note
    assert "the review recorded there is lost here" in note and f"cp -p BACKUP/{REDACTIONS}" in note, note
    reviewed, _ = export_txt(accepted, tmp_path / "reviewed")
    one_line_refusal(reviewed, "nothing to export", "unreviewed: 1")
    assert "older" not in reviewed.stderr
    done, out = export_txt(accepted, tmp_path / "all", "--include-unreviewed")
    assert done.returncode == 0 and "UNREVIEWED" in out and not any(leak in out for leak in LEAKS), done.stderr + out
    review_pass(accepted, accept_all=True)  # reviewed again with the passphrase
    assert "not vouched for" not in fv("check", accepted).stdout
    done, out = export_txt(accepted, tmp_path / "again")
    assert done.returncode == 0 and "took me to" in out and not any(leak in out for leak in LEAKS), done.stderr + out
    shutil.copy2(tmp_path / "old-redactions.age", accepted / REDACTIONS)  # a file the key vouched for before: a replay
    failed = failed_lines(accepted)
    assert len(failed) == 1 and REDACTIONS in failed[0] and RESTORE in failed[0], failed


# --- an editor's save: transcript and redactions in one entry ------------------------------------------------------

EDITOR_SAVE = """
import sys
from pathlib import Path
from tests.e2e.test_vouched_sessions import edit_her_name_out
edit_her_name_out(Path(sys.argv[1]))
"""


def test_an_editor_save_killed_at_each_fsync_never_locks_the_session(accepted: Path, tmp_path: Path) -> None:
    """The editor's Ctrl+S (a new version, transcript and redactions vouched in one entry) killed at each fsync:
    no FAILED line, the transcript read is the old one or the new one, and the save run again stores the edit."""
    outcomes = []
    for fsync in range(1, 16):
        copy = run_again(accepted, tmp_path / f"k{fsync}")
        argv = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync", "-e",
                f"inject=fsync:signal=SIGKILL:when={fsync}", sys.executable, "-c", EDITOR_SAVE, str(copy)]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cut = subprocess.run(argv, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, cwd=ROOT)
        outcomes.append(cut.returncode)
        assert failed_lines(copy) == [], fsync
        done, out = export_txt(copy, tmp_path / f"out{fsync}", "--include-unreviewed")
        assert done.returncode == 0 and "took me to" in out, (fsync, done.stderr)
        again = subprocess.run([sys.executable, "-c", EDITOR_SAVE, str(copy)], capture_output=True, text=True,
                               env=env, stdin=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
        assert again.returncode == 0, again.stderr
        done, out = export_txt(copy, tmp_path / f"after{fsync}", "--include-unreviewed")
        assert done.returncode == 0 and "Please use Rose." in out and "Winterniller" not in out, done.stderr + out
        assert failed_lines(copy) == []
        if cut.returncode == 0:
            break
    assert outcomes[-1] == 0 and len(outcomes) >= 3, outcomes
