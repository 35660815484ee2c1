"""QA U8's rest: a vouched write cut off after its signed entry, before its rename, and its staged file then deleted (by
a cleanup tool, a sync client, or someone at the folder without the passphrase): the entry vouches for a payload no
file holds, and the file in place is the older one. `check DIR --keep-older FILE`, with the passphrase only, says
what was lost (which file, the write, when), and writes a signed entry keeping the file in place; without the
passphrase nothing changes. Real CLI, real age files, the process killed by strace at each fsync (QA's repro)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldvault.audit import vouched
from fieldvault.study import Study
from fieldvault.vouching import staged
from tests.conftest import ROOT
from tests.e2e import test_list_append, test_vouched_sessions
from tests.e2e.test_list_append import LIST, exported, names_on, write
from tests.e2e.test_vouched_files import empty_list, forge, fv, one_line_refusal
from tests.e2e.test_vouched_sessions import REDACTIONS, export_txt, failed_lines
from tests.e2e.test_vouched_write_order import FIRST, SECOND_PASS, killed_at

rose = test_list_append.rose
accepted = test_vouched_sessions.accepted
pytestmark = pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace to kill at each fsync")
KEEP = "--keep-older"


def review_killed_at(fsync: int, root: Path) -> None:
    """A third review pass (every span rejected but her listed name, then marked reviewed) killed with SIGKILL at its
    ``fsync``-th fsync."""
    script = SECOND_PASS.replace("accept_all=True", "accept_all=False")
    argv = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync", "-e",
            f"inject=fsync:signal=SIGKILL:when={fsync}", sys.executable, "-c", script, str(root)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(argv, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, cwd=ROOT)


def cut_after_entry(root: Path, tmp_path: Path, relative: str, kill: Callable[[int, Path], object]) -> Path:
    """A copy of the study at ``root`` with ``kill`` (a write, killed at its n-th fsync) cut off between its signed
    entry vouching for ``relative`` and its rename, and the staged file then deleted."""
    before = len((root / "audit.jsonl").read_text().splitlines())
    for fsync in range(1, 16):
        copy = shutil.copytree(root, tmp_path / f"k{fsync}")
        kill(fsync, copy)
        lines = (copy / "audit.jsonl").read_text().splitlines()
        if staged(copy / relative).exists() and len(lines) > before and relative in vouched(json.loads(lines[-1])):
            staged(copy / relative).unlink()  # what a cleanup tool, a sync client or an attacker does
            return copy
    pytest.fail("no fsync fell between the entry and the rename")


def keep_older_said(done_stdout: str, relative: str, action: str) -> None:
    said = [line for line in done_stdout.splitlines() if line.startswith("kept the older")]
    assert len(said) == 1 and relative in said[0] and action in said[0] and "lost" in said[0], done_stdout


def test_a_list_whose_staged_file_was_deleted_is_kept_older_with_the_passphrase_only(
    rose: Study, tmp_path: Path
) -> None:
    new = write(tmp_path, "new.txt", "Tobiah Quorn\nPLACE: Lemon Cove\n")
    args = ("participant", "add-list", "Rose", "--append", "--identifiers", new)
    copy = cut_after_entry(rose.root, tmp_path, LIST, lambda n, root: killed_at(n, *args[:2], root, *args[2:]))
    # locked out: every reader refuses her list, and the refusal names the way on
    checked = fv("check", copy)
    assert checked.returncode == 1
    (failed,) = [line for line in checked.stdout.splitlines() if "FAILED" in line]
    assert LIST in failed and f"check {copy} {KEEP} {LIST}" in failed, failed
    out = tmp_path / "x"
    one_line_refusal(fv("export", copy, "--format", "txt", "--participant", "Rose", "--out", out), f"{KEEP} {LIST}")
    # without the passphrase (none given, or a wrong one) nothing changes
    log = (copy / "audit.jsonl").read_bytes()
    refused = fv("check", copy, KEEP, LIST, passphrase=False)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr, refused.stderr
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase\n")
    one_line_refusal(fv("check", copy, KEEP, LIST, "--passphrase-file", wrong, passphrase=False))
    assert (copy / "audit.jsonl").read_bytes() == log
    assert fv("check", copy).returncode == 1
    # with it: says what was lost, keeps the list in place, and the study works again
    kept = fv("check", copy, KEEP, LIST)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    keep_older_said(kept.stdout, LIST, "participant.list-appended")
    assert "FAILED" not in kept.stdout
    entry = Study.open(copy).audit.entries()[-2]  # the last is the check's own
    assert entry["action"] == "check.kept-older" and entry["details"]["file"] == LIST
    assert entry["details"]["lost_action"] == "participant.list-appended" and "mac" in entry
    assert names_on(Study.open(copy), "Rose") == FIRST
    text = exported(Study.open(copy), tmp_path / "out")
    assert "took me" in text and "Fowler" not in text
    again = fv("participant", "add-list", copy, "Rose", "--append", "--identifiers", new)  # the lost write, again
    assert again.returncode == 0, again.stderr
    assert "Quorn" not in exported(Study.open(copy), tmp_path / "after")
    one_line_refusal(fv("check", copy, KEEP, LIST), "newest")  # nothing older to keep now


def test_keep_older_refuses_a_file_the_study_key_never_vouched_for(rose: Study, tmp_path: Path) -> None:
    """An attacker's own file (sealed with the public keys) is no older vouched one: --keep-older refuses it, and so
    it does a file with no vouch at all."""
    forge(rose, LIST, empty_list(rose, "Rose"))
    one_line_refusal(fv("check", rose.root, KEEP, LIST), "never vouched for")
    one_line_refusal(fv("check", rose.root, KEEP, "participants/Rose/participant-id"), "not a file")
    one_line_refusal(fv("check", rose.root, KEEP, "../elsewhere/identifiers.json.age"), "not a file")
    assert "check.kept-older" not in (rose.root / "audit.jsonl").read_text()
    assert "replaced since" in fv("check", rose.root).stdout  # still refused


def test_a_review_whose_staged_redactions_were_deleted_is_kept_older(accepted: Path, tmp_path: Path) -> None:
    """A third review pass (rejecting all but her listed name) cut off after its entry, its staged redactions deleted:
    the session is locked out until --keep-older keeps the file in place (the second pass, every span accepted, or the
    third's decisions before it was marked reviewed): `check` passes and the export runs again."""
    copy = cut_after_entry(accepted, tmp_path, REDACTIONS, review_killed_at)
    (failed,) = failed_lines(copy)
    assert REDACTIONS in failed and f"{KEEP} {REDACTIONS}" in failed, failed
    closing = fv("check", copy).stderr.strip().splitlines()[-1]
    assert closing.endswith("do as each line above says"), closing  # not `recover`, which mends recordings (QA V18)
    one_line_refusal(export_txt(copy, tmp_path / "x")[0], f"{KEEP} {REDACTIONS}")
    kept = fv("check", copy, KEEP, REDACTIONS)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    keep_older_said(kept.stdout, REDACTIONS, "redaction.")
    assert "counts as unreviewed until" in kept.stdout
    assert failed_lines(copy) == []
    # QA V8: an older copy put back on purpose looks the same, so what is kept counts as unreviewed until reviewed
    # again: the reviewed export leaves the session out, and check says why.
    one_line_refusal(export_txt(copy, tmp_path / "reviewed")[0], "nothing to export", "unreviewed: 1")
    assert f"{REDACTIONS}: not vouched for by the study key as reviewed" in fv("check", copy).stdout
    done, out = export_txt(copy, tmp_path / "all", "--include-unreviewed")
    assert done.returncode == 0 and "took me" in out and "Fowler" not in out, done.stderr + out
