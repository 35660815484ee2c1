"""qa27 QC6 in a real terminal (tui28): recording from a real PulseAudio input in tmux, a note's dialog open, the
terminal 80×24 or 60×20: "● REC" and its clock stay on screen (in the header), where the dialog covered them before."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from fieldvault.study import Study
from tests.conftest import need
from tests.e2e.conftest import PrivatePulse
from tests.e2e.test_recording_tmux import _recording, _rose

pytestmark = pytest.mark.slow

HEADER_REC = re.compile(r"● REC \d:\d\d:(\d\d)")


def _header(screen: str) -> str:
    return screen.splitlines()[0] if screen else ""


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_rec_and_its_clock_stay_on_screen_under_a_note(
    ready_study: Study, fieldvault_home: Path, private_pulse: PrivatePulse, size: tuple[int, int]
) -> None:
    _rose(ready_study)
    term = _recording(ready_study, fieldvault_home, private_pulse, size)
    try:
        term.wait_for("REC")
        time.sleep(1.5)
        term.keys("m")
        first = term.wait_for("Note at")
        assert HEADER_REC.search(_header(first)), first  # on main: the dialog covered "● REC  0:00:01"
        time.sleep(1.5)
        later = term.wait_until(lambda s: HEADER_REC.search(_header(s)) is not None)
        ticks = [HEADER_REC.search(_header(s)).group(1) for s in (first, later)]  # type: ignore[union-attr]
        assert ticks[0] != ticks[1] and "Note at" in later, (first, later)  # the clock runs on under the dialog
        term.keys("Escape")
        time.sleep(0.5)
        term.keys("s")
        term.wait_for("Stop the recording")
        time.sleep(5)  # just after a note, a y may be a word typed on (QA S4): asked on past that
        term.keys("y")
        screen = term.wait_for("Participant")
        assert "REC" not in screen and "Traceback" not in screen, screen
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()


def test_rec_its_clock_and_the_disk_line_stay_on_screen_after_a_resize_to_40x10(
    ready_study: Study, fieldvault_home: Path, private_pulse: PrivatePulse, tmp_path: Path
) -> None:
    """tui29 (tui28's rest): recording in an 80x24 tmux made 40x10 by `tmux resize-window` mid-recording. The tmux
    server these tests start holds COLUMNS=80 and LINES=24 in its environment (as a container's shell or a script
    may), and Textual's driver read the size from them at each resize: on main the app drew its 80x24 frame into the
    40x10 pane for good (the header and the footer off the capture). Now it reads the terminal, and at 40x10 the
    prompt gives way to the status line, not REC, its clock or the disk line."""
    _rose(ready_study)
    tone = tmp_path / "tone.wav"  # she speaks: no "No signal" toast over the status line's end
    subprocess.run([need("sox"), "-n", "-r", "16000", "-c", "1", "-b", "16", str(tone), "synth", "60", "sine", "440"])
    player = subprocess.Popen([need("paplay"), "-d", "fv", str(tone)], env={**os.environ, **private_pulse.env})
    term = _recording(ready_study, fieldvault_home, private_pulse)
    try:
        term.wait_for("GiB free")
        subprocess.run(["tmux", "resize-window", "-t", term.name, "-x", "40", "-y", "10"], check=True)

        def redrawn(screen: str) -> bool:
            lines = screen.rstrip("\n").splitlines()
            return len(lines) == 10 and HEADER_REC.search(lines[0]) is not None and "Stop" in lines[-1]

        screen = term.wait_until(redrawn, seconds=10)  # the header whole at the top, the footer at the bottom
        assert re.search(r"● REC +\d:\d\d:\d\d +[\d.]+ GiB free", screen), screen
        subprocess.run(["tmux", "resize-window", "-t", term.name, "-x", "80", "-y", "24"], check=True)
        back = term.wait_until(
            lambda s: "(← previous, → next)" in s and HEADER_REC.search(s.splitlines()[0]) is not None
        )
        assert "Traceback" not in back, back
        term.keys("s")
        term.wait_for("Stop the")
        term.keys("y")
        screen = term.wait_for("Participant")
        assert "Traceback" not in screen, screen
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()
        player.kill()
