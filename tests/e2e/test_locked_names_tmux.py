"""QA U13 in a real terminal: the study opened locked (Ctrl+L), `r` for a follow-up, her consent confirmed again, the
names she gives typed in the names step: sealed beside her list, and the next unlock adds them to it."""

from __future__ import annotations

import os
import shlex
import time
from pathlib import Path

import pytest

from fieldvault.participants import known_identifiers
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e import test_list_append
from tests.e2e.test_tui_tmux import Tmux

pytestmark = pytest.mark.slow
rose = test_list_append.rose  # the fixture: Rose with her list and one session


def test_names_typed_in_a_locked_study_reach_her_list_at_the_next_unlock(rose: Study, fieldvault_home: Path) -> None:
    added = rose.root / "participants/Rose/identifiers-added-1.json.age"
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    term = Tmux(f"fieldvault open {shlex.quote(str(rose.root))}", env, size=(100, 30))
    try:
        term.wait_for("study passphrase")
        term.send("C-l")  # open locked: to record without the passphrase
        term.wait_for("Participants and sessions")
        term.wait_for("Rose")
        time.sleep(0.5)  # the table takes the focus once drawn
        term.send("r")
        term.wait_for("Follow-up")
        term.send("1")
        term.wait_for("Consent confirmed again")
        term.send("C-g")
        screen = term.wait_for("new names")
        assert "The study is locked" in " ".join(screen.split()), screen
        term.send("-l", "Tobiah Quorn")
        term.send("C-s")
        screen = term.wait_for("sealed for her list")
        assert added.is_file()
    finally:
        term.kill()
    term = Tmux(f"fieldvault open {shlex.quote(str(rose.root))}", env, size=(100, 30))
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("unlocked")
    finally:
        term.kill()
    assert not added.exists()
    keys = rose.unlock(PASSPHRASE.encode())
    assert [i.text for i in known_identifiers(rose, "Rose", keys)][-1] == "Tobiah Quorn"
