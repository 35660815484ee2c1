"""A line appended to the audit log without the passphrase may carry control characters (QA R24): `fieldvault audit`
printed them raw, so in a real terminal ESC sequences ran (the screen cleared, colours, fake lines). Every place that
shows file-sourced text escapes them (`\\x1b`, `\\n`), and `audit --verify` names the entry whose action fieldvault
never writes."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from fieldvault.study import Study
from tests.e2e.test_tui_tmux import Tmux

pytestmark = pytest.mark.slow

FORGED = "hello\x1b[2J\x1b[31mRED\rOVERWRITE\nfake 99 root withdraw pseudonym=Iris"


def _forge(study: Study) -> None:
    Study.open(study.root).audit.append("note", reason=FORGED)  # no passphrase: what anyone with the folder can do


def _fieldvault(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["fieldvault", *args], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)


def test_a_forged_entry_cannot_clear_or_fake_lines_of_a_real_terminal(ready_study: Study, tmp_path: Path) -> None:
    _forge(ready_study)
    script = tmp_path / "show.sh"
    script.write_text(
        f"echo BEFORE-THE-AUDIT; fieldvault audit {shlex.quote(str(ready_study.root))}; echo AUDIT-DONE; sleep 30\n"
    )
    tmux = Tmux(f"sh {shlex.quote(str(script))}", {"PATH": os.environ["PATH"]}, size=(200, 40))
    try:
        screen = tmux.wait_for("AUDIT-DONE")
    finally:
        tmux.kill()
    assert "BEFORE-THE-AUDIT" in screen  # ESC [2J would have cleared it
    assert "\\x1b[2J\\x1b[31mRED\\rOVERWRITE\\nfake 99 root withdraw" in screen
    assert not any(line.startswith("fake 99") for line in screen.splitlines())  # no line of its own


def test_audit_check_and_verify_escape_control_characters_and_name_a_foreign_action(
    ready_study: Study, unlock: list[str]
) -> None:
    _forge(ready_study)
    listed = _fieldvault("audit", str(ready_study.root))
    assert listed.returncode == 0 and "\x1b" not in listed.stdout and "\r" not in listed.stdout
    [line] = [line for line in listed.stdout.splitlines() if " note " in line]
    assert line.endswith("reason=hello\\x1b[2J\\x1b[31mRED\\rOVERWRITE\\nfake 99 root withdraw pseudonym=Iris")
    assert all(line.split()[0].isdigit() for line in listed.stdout.splitlines())  # every line an entry
    for verify in (["audit", str(ready_study.root), "--verify", *unlock], ["check", str(ready_study.root), *unlock]):
        done = _fieldvault(*verify)
        assert "\x1b" not in done.stdout + done.stderr, verify
        assert "action fieldvault never writes" in done.stdout and "('note')" in done.stdout, done.stdout
    clean = _fieldvault("audit", str(ready_study.root), "--verify", *unlock)
    assert clean.returncode == 0
    # a file name with controls in the study: check names it escaped, on one line
    stray = ready_study.root / "participants" / "x\x1b[2Jy.age"
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"not age")
    done = _fieldvault("check", str(ready_study.root), *unlock)
    assert "\x1b" not in done.stdout + done.stderr and "x\\x1b[2Jy.age" in done.stdout + done.stderr
