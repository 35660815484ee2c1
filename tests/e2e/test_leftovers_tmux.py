"""The real binary in a real terminal: the review screen lists what is left unredacted, goes to it, keeps one
text and redacts another at every mention; `fieldvault leftovers` and an export agree."""

from __future__ import annotations

import os
import shlex
import time
from pathlib import Path

import pytest

from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_cli import fv
from tests.e2e.test_tui_tmux import Tmux
from tests.tui.test_review_leftovers import SESSION
from tests.tui.test_review_leftovers import _study as study_with_leftovers

pytestmark = pytest.mark.slow


def test_keep_one_leftover_and_redact_another_in_the_real_terminal(
    study: Study, fieldvault_home: Path, tmp_path: Path
) -> None:
    study_with_leftovers(study)
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    env["FIELDVAULT_ACTOR"] = "tester"
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))}", env, size=(100, 30))

    def keys(*sequence: str) -> None:
        for key in sequence:  # one at a time, as a person types
            term.send(key)
            time.sleep(0.35)

    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("transcribed")
        keys("v")
        term.wait_for("left unredacted: w lists them", seconds=60)  # the detector loads first
        keys("w")
        screen = term.wait_for("2 left unredacted to check")
        assert "boba" in screen and "214" in screen
        keys("Enter")  # go to "boba"
        term.wait_for("⟨left unredacted⟩")
        keys("w")
        term.wait_for("2 left unredacted to check")
        keys("k")  # "boba": looked at, kept
        term.wait_for("1 left unredacted to check")
        keys("r")  # "214": redacted at both mentions
        term.wait_for("Nothing left to check")
        keys("Escape")
        screen = term.wait_until(lambda s: "w lists them" not in s and "214⟨ID⟩" in s)
        assert "Traceback" not in screen
        keys("Escape")
        term.wait_for("Participant")
        term.send("C-q")
    finally:
        term.kill()

    listed = fv("leftovers", str(study.root), "Rose", SESSION)
    assert listed.returncode == 0, listed.stderr
    assert f"Rose/{SESSION}: 0 left unredacted to check" in listed.stdout
    out = tmp_path / "out"
    done = fv("export", str(study.root), "--format", "txt", "--out", str(out), "--include-unreviewed")
    assert done.returncode == 0, done.stderr
    text = "\n".join(p.read_text() for p in out.rglob("*.txt"))
    assert "214" not in text and "room [ID]" in text and "boba" in text
