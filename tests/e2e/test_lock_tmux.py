"""The real binary in a real terminal (QA E23): Ctrl+L in the transcript editor, with her words on screen and
unsaved typing, goes back to the unlock screen with none of them left in the pane and the typing kept in the
encrypted autosave; and an idle editor locks itself after `--lock-after`."""

from __future__ import annotations

import os
import shlex
import time
from pathlib import Path

import pytest

from fieldvault import transcript_versions as versions
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_tui_tmux import Tmux
from tests.tui.test_editor import SESSION, study_with_draft

pytestmark = pytest.mark.slow

HER_WORDS = ("leaving", "Marcus", "Van Buren", "GDB", "Zebulon", "best day")


def _words(screen: str) -> str:
    """The pane's text as one line: the unlock screen wraps its notice."""
    return " ".join(word for word in screen.split() if word not in ("│", "╭", "╰"))


def test_ctrl_l_and_the_idle_lock_in_the_editor_of_a_real_terminal(study: Study, fieldvault_home: Path) -> None:
    study_with_draft(study)
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))} --lock-after 0.25", env, size=(100, 30))

    def keys(*sequence: str) -> None:
        for key in sequence:
            term.send(key)
            time.sleep(0.35)

    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("transcribed")
        keys("o")
        term.wait_for("I finally got my GDB")
        term.send("-l", "Zebulon ")
        term.wait_for("unsaved")
        keys("C-l")
        screen = term.wait_for("study passphrase")
        assert "kept, encrypted, in its autosave" in _words(screen), screen
        assert not [word for word in HER_WORDS if word in screen], screen
        identities = study.unlock(PASSPHRASE.encode())
        kept = versions.load_autosave(study, "Rose", SESSION, identities)
        assert kept is not None and kept.segments[0].text.startswith("Zebulon")

        term.send(PASSPHRASE, "Enter")  # again, and then nobody touches the keyboard
        term.wait_for("transcribed")
        time.sleep(1)
        keys("o")
        term.wait_for("kept by autosave")
        time.sleep(1.6)  # the offer takes no key typed as it opens (QA S4)
        keys("y")
        term.wait_for("Zebulon")
        started = time.monotonic()
        screen = term.wait_for("Locked after", seconds=45)
        assert time.monotonic() - started >= 12  # 15 s without a key, checked each second
        assert "study passphrase" in screen and "kept, encrypted, in its autosave" in _words(screen), screen
        assert not [word for word in HER_WORDS if word in screen], screen
        assert "Traceback" not in screen
    finally:
        term.kill()
