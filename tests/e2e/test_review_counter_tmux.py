"""The review screen's counter line in a real 80×24 terminal (tui28): it was one line as wide as its words, cut at
the screen's edge, so which person was current and how many mentions she has were never shown at 80 columns."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_tui_tmux import Tmux
from tests.tui.test_review_screen import _study_with_transcript

pytestmark = pytest.mark.slow


def test_the_review_counter_is_shown_whole_at_80_columns(study: Study, fieldvault_home: Path) -> None:
    _study_with_transcript(study)
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))}", env, size=(80, 24))
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("Participant")
        term.keys("v")
        screen = term.wait_for("5 spans, 5 undecided", seconds=60)  # the detector loads first
        # on main: "... · current: PERSON (known), undecided," and the rest cut off at the edge
        screen = term.wait_for("current: PERSON (known), undecided, entity marcus (2 mentions)")
        assert "Exported as [PERSON n], a placeholder" in screen and "Traceback" not in screen, screen
        term.keys("]")
        screen = term.wait_for("line 2 of 3: select words below (shift+arrows, mouse); e redacts them")
        assert all(len(line) <= 80 for line in screen.splitlines()), screen
        term.keys("Escape")
        term.wait_for("Participant")
        term.send("C-q")
    finally:
        term.kill()
