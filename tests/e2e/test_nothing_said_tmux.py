"""The real binary in a real terminal on a transcript of nothing said (qa25 QA18): the keys that killed the editor and
the review screen there leave it running and say why, and no report of a crash reaches the terminal."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_tui_tmux import Tmux
from tests.tui.test_nothing_said import _silent_session

pytestmark = pytest.mark.slow


def test_the_keys_that_crashed_on_a_silent_recording_say_why_in_a_real_terminal(
    study: Study, fieldvault_home: Path
) -> None:
    transcript = _silent_session(study)
    stored = transcript.read_bytes()
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))}", env, size=(120, 40))
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("transcribed")
        term.keys("o")
        term.wait_for("no segments")
        for key in ("C-j", "C-t", "C-g", "C-o", "C-n", "M-Up", "Enter", *"she said"):
            term.keys(key)
            screen = term.wait_for("no segments")  # the editor's status line: still there
            assert "Traceback" not in screen, screen
        assert "there is no segment to edit" in screen
        term.keys("F4")  # plays the recording, or says why it cannot (no sound card here): either way, it lives
        screen = term.wait_until(lambda s: "playing the whole recording" in s or "cannot play" in s)
        term.keys("Escape")
        term.wait_for("transcribed")
        term.keys("v")
        term.wait_for("0 spans")
        for key in ("e", "S", "p"):
            term.keys(key)
            screen = term.wait_for("there is no line to redact in")
            assert term.alive() and "Traceback" not in screen, screen
        term.keys("Escape")
        term.wait_for("transcribed")
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()
    assert transcript.read_bytes() == stored
