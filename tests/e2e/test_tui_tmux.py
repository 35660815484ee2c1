"""The real `fieldvault` binary in a real terminal (tmux): unlock a study and read the home screen."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from fieldvault.events import load_events
from fieldvault.participants import known_identifiers, load_profile
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


def test_a_full_session_in_a_real_terminal(ready_study: Study, fieldvault_home: Path, pulse: str) -> None:
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    term = Tmux(f"fieldvault open {shlex.quote(str(ready_study.root))}", env)

    def keys(*sequence: str) -> None:
        for key in sequence:  # one at a time, as a person types: widgets take focus between keys
            term.send(key)
            time.sleep(0.4)

    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("New participant")
        keys("n")
        term.wait_for("Information letter")
        keys("C-g")
        term.wait_for("choose a name for the study")
        keys("Rose", "Enter")
        term.wait_for("Questionnaire for Rose")
        keys(
            "44",
            "Tab",
            "Enter",
            "Down",
            "Enter",
            "Tab",
            "19",
            "Tab",
            "12",
            "Tab",
            "8",
            "Tab",
            "Space",
            "Tab",
            "Enter",
            "Down",
            "Enter",
            "C-s",
        )
        term.wait_for("Known identifiers")
        keys("Marcus", "C-s")
        term.wait_for("Start recording")
        keys("Tab", "Tab", "Tab", "Enter")
        term.wait_for("REC")
        keys("Right")
        term.wait_for("people who helped you get out")
        keys("m")
        term.wait_for("Note at")
        keys("long pause", "Enter")
        time.sleep(1.5)
        keys("s")
        term.wait_for("Stop the recording")
        keys("y")
        screen = term.wait_for("Participant")
        assert "Rose" in screen and "recorded" in screen and "Traceback" not in screen
        term.send("C-q")
    finally:
        term.kill()

    identities = ready_study.unlock(PASSPHRASE.encode())
    (folder,) = [p for p in (ready_study.root / "participants" / "Rose").iterdir() if p.is_dir()]
    timeline = load_events(ready_study, folder, identities)
    assert [e.kind for e in timeline.events] == ["prompt", "prompt", "note", "stop"]
    assert load_profile(ready_study, "Rose", identities).answers["years_out"] == 8
    assert [i.text for i in known_identifiers(ready_study, "Rose", identities)] == ["Marcus"]
