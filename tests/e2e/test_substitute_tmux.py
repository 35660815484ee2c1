"""The real binary in a real terminal (tui27): the review screen shows a person's stored substitute name beside her
mentions, the `s` dialog says it and clears it (Ctrl+D, then y), and `fieldvault export` prints her placeholder
again."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_cli import fv
from tests.e2e.test_tui_tmux import Tmux
from tests.tui.test_review_substitutes import stored_substitute

pytestmark = pytest.mark.slow


def test_a_stored_substitute_is_shown_and_cleared_in_the_real_terminal(
    study: Study, fieldvault_home: Path, tmp_path: Path
) -> None:
    stored_substitute(study)
    out = tmp_path / "before"
    done = fv("export", str(study.root), "--format", "txt", "--out", str(out), "--include-unreviewed")
    assert done.returncode == 0, done.stderr
    assert "Lisa took me to [CITY]." in "\n".join(p.read_text() for p in out.rglob("*.txt"))
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    env["FIELDVAULT_ACTOR"] = "tester"
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))}", env, size=(120, 30))
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("exported UNREVIEWED")
        term.keys("v")
        screen = term.wait_for('Marcus⟨PERSON, exported as "Lisa"⟩', seconds=60)  # the detector loads first
        assert 'markus⟨PERSON ≈ Marcus, exported as "Lisa"⟩' in screen, screen
        assert 'Exported as "Lisa" (a substitute name): s changes or clears it' in screen, screen
        term.send("s", "C-d")  # typed on at once
        screen = term.wait_for('Clear the substitute name "Lisa"?')
        term.send("y")
        screen = term.wait_for('Cleared the substitute name "Lisa"')
        screen = term.wait_until(lambda s: "Exported as [PERSON n], a placeholder: s gives a substitute name" in s)
        assert 'exported as "Lisa"' not in screen and "Traceback" not in screen, screen
        term.keys("Escape")
        term.wait_for("Participant")
        term.send("C-q")
    finally:
        term.kill()
    out = tmp_path / "after"
    done = fv("export", str(study.root), "--format", "txt", "--out", str(out), "--include-unreviewed")
    assert done.returncode == 0, done.stderr
    text = "\n".join(p.read_text() for p in out.rglob("*.txt"))
    assert "Lisa" not in text and re.search(r"\[PERSON \d+\] took me to \[CITY\]\.", text), text
