"""QA U8/U6: a vouched write cut off (kill -9, power lost) at any point never locks the study out. The signed entry
vouching for the new payload is written before the new file takes its name: cut off before the entry, the old file
stays (vouched) and the command runs again; cut off after it, the next unlock puts the new file in place. Real CLI,
real age files, the process killed by strace at each fsync it makes (QA's repro)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fieldvault.study import Study
from fieldvault.vouching import staged
from tests.conftest import PASSPHRASE
from tests.e2e import test_list_append
from tests.e2e.test_list_append import LIST, exported, names_on, write
from tests.e2e.test_vouched_files import fv, one_line_refusal

pytestmark = pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace to kill at each fsync")
FIRST = ["Derek Fowler", "916-555-0142", "José Ybarra"]
ALL = [*FIRST, "Tobiah Quorn", "Lemon Cove"]
rose = test_list_append.rose  # Rose's first list, a transcribed and (carelessly) reviewed session


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
        copy = Study.open(shutil.copytree(rose.root, tmp_path / f"k{fsync}"))
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
        copy = Study.open(shutil.copytree(rose.root, tmp_path / f"k{fsync}"))
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
