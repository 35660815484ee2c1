"""qa27 QC6 in a real terminal (tui28): recording from a real PulseAudio input in tmux, a note's dialog open, the
terminal 80×24 or 60×20: "● REC" and its clock stay on screen (in the header), where the dialog covered them before."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from fieldvault.study import Study
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
