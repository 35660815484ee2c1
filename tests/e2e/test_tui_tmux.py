"""The real `fieldvault` binary in a real terminal (tmux): unlock a study and read the home screen."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from fieldvault.study import Study
from tests.conftest import PASSPHRASE, need

pytestmark = pytest.mark.slow


class Tmux:
    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.name = f"fv-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        subprocess.run(
            [need("tmux"), "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30", f"env {exports} {command}"],
            check=True,
        )

    def screen(self) -> str:
        done = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return done.stdout

    def wait_for(self, text: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def test_real_binary_unlocks_and_lists_sessions(study: Study, fieldvault_home: Path) -> None:
    folder = study.root / "participants" / "Rose" / "20261124-101500"
    folder.mkdir(parents=True)
    study.write_new(folder / "audio.wav.age", b"")
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))}", env)
    try:
        term.wait_for("study passphrase")
        term.send("wrong passphrase", "Enter")
        term.wait_for("wrong passphrase;")
        term.send(PASSPHRASE, "Enter")
        screen = term.wait_for("Participant")
        assert "Rose" in screen and "20261124-101500" in screen and "recorded" in screen
        assert "unlocked" in screen and "Traceback" not in screen
        term.send("C-q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not term.alive()
    finally:
        term.kill()
