"""Recording in a real terminal (tmux, 80×24) from a real PulseAudio input: device index 0, the battery
where the machine reports one, a note timed when m is pressed, and a microphone lost mid-recording.

Each test has a PulseAudio daemon of its own (tests/e2e/conftest.py, PrivatePulse) so the microphone can be
unplugged; the battery is a power_supply folder bound over /sys/class/power_supply in a mount namespace
of the app's own (unshare), so the app reads it exactly where it reads a laptop's."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.events import load_events
from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.sessioninfo import load_session_info
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE, need
from tests.e2e.conftest import PrivatePulse
from tests.e2e.test_tui_tmux import Tmux, _env

pytestmark = pytest.mark.slow

REC_CLOCK = re.compile(r"REC\s+\d+:(\d\d):(\d\d)")  # ● REC  0:00:07
NOTE_AT = re.compile(r"Note at \d+:(\d\d):(\d\d)")  # as the REC clock
LIBRARY_LINES = re.compile(r"ALSA lib|Expression '|pa_linux_alsa|PulseAudio: Unable")  # C libraries' stderr


def _recording(study: Study, home: Path, pulse: PrivatePulse, size: tuple[int, int] = (80, 24)) -> Tmux:
    """The TUI in a tmux of ``size``, unlocked, recording Rose's first interview from the default input."""
    term = Tmux(f"fieldvault open {study.root}", {**_env(home), **pulse.env}, size=size)
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("Participant")
        term.keys("r", "3")
        term.wait_for("Start recording")
        term.keys("Tab", "Tab", "Tab", "Enter")
    except BaseException:
        term.kill()
        raise
    return term


def _rose(study: Study) -> None:
    add_participant(study, "Rose", dict(ANSWERS), ConsentRecord("letter; verbal", "v", "v", "t"), [])


def _sessions(study: Study) -> list[Path]:
    return sorted(p for p in layout.participant(study.root, "Rose").iterdir() if p.is_dir())


def _seconds(pattern: re.Pattern[str], screen: str) -> int:
    """The mm:ss ``pattern`` shows on ``screen``, in seconds."""
    match = pattern.search(screen)
    assert match, screen
    return int(match.group(1)) * 60 + int(match.group(2))


def _battery(folder: Path, percent: int, status: str) -> Path:
    """A power_supply folder as the kernel lays it out: mains, and a battery."""
    for name, kind in (("AC", "Mains"), ("BAT0", "Battery")):
        (folder / name).mkdir(parents=True)
        (folder / name / "type").write_text(f"{kind}\n")
    (folder / "BAT0" / "capacity").write_text(f"{percent}\n")
    (folder / "BAT0" / "status").write_text(f"{status}\n")
    return folder


def test_device_0_battery_and_a_note_timed_at_m_in_a_real_terminal(
    ready_study: Study, fieldvault_home: Path, private_pulse: PrivatePulse, tmp_path: Path
) -> None:
    _rose(ready_study)
    env = {**_env(fieldvault_home), **private_pulse.env}
    first = subprocess.run(
        [sys.executable, "-c", "import sounddevice as sd; print(sd.query_devices(0)['name'], sd.default.device[0])"],
        env={**os.environ, **env}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert first.stdout.split() == ["pulse", "1"]  # index 0 is a real input, and not the default one
    power = _battery(tmp_path / "power_supply", 12, "Discharging")
    inner = f"mount --bind {shlex.quote(str(power))} /sys/class/power_supply && exec fieldvault open {ready_study.root}"
    term = Tmux(f"{need('unshare')} --mount sh -c {shlex.quote(inner)}", env)
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("Participant")
        term.keys("r", "3")
        term.wait_for("Start recording")
        term.keys("Enter")  # the input list opens: default first, then pulse (index 0)
        term.wait_until(lambda text: re.search(r"│\s+pulse\s+│", text) is not None)  # a row of the open list
        term.keys("Down")
        time.sleep(0.5)
        term.keys("Enter")
        screen = term.wait_until(lambda text: re.search(r"│\s+pulse\s+▼", text) is not None)
        assert "No input device" not in screen
        term.keys("Tab", "Tab", "Tab", "Enter")
        screen = term.wait_for("battery 12%: plug in now")
        assert "● REC" in screen and "No input device" not in screen
        time.sleep(2)
        term.keys("m")
        screen = term.wait_for("Note at")
        noted = _seconds(NOTE_AT, screen)
        time.sleep(4)  # she is still typing: the note keeps the time m was pressed
        term.keys("she looked away", "Enter")
        time.sleep(0.5)
        typed = _seconds(REC_CLOCK, term.wait_for("REC"))
        term.keys("s", "y")  # just after the note: the y of a word typed on is not taken (QA S4)
        term.wait_for("Stop the recording")
        time.sleep(1.6)
        assert "Stop the recording" in term.screen() and "Participant" not in term.screen()  # still asking
        term.keys("y")
        term.wait_for("Participant")
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()

    (session,) = _sessions(ready_study)
    timeline = load_events(ready_study, session, ready_study.unlock(PASSPHRASE.encode()))
    assert timeline.info["device"] == "pulse"
    (note,) = [e for e in timeline.events if e.kind == "note"]
    assert note.text == "she looked away"
    assert int(note.at) == noted and typed - note.at >= 3.5, (note.at, noted, typed)


def test_a_microphone_lost_mid_recording_is_sealed_and_resume_is_offered_in_a_real_terminal(
    ready_study: Study, fieldvault_home: Path, private_pulse: PrivatePulse
) -> None:
    _rose(ready_study)
    term = _recording(ready_study, fieldvault_home, private_pulse)
    try:
        term.wait_for("REC")
        time.sleep(2.5)
        private_pulse.unplug()  # the USB microphone comes out
        screen = term.wait_for("Plug the microphone back in")
        assert "stopped delivering audio" in screen and "are sealed" in screen
        assert "Resume (y)" in screen and "Finish (n)" in screen
        private_pulse.plug_in()  # and goes back in
        term.keys("y")
        term.wait_for("Carries on session")
        term.keys("Tab", "Tab", "Tab", "Enter")
        term.wait_for("REC")
        time.sleep(1)
        term.keys("s", "y")
        screen = term.wait_for("Participant")
        assert "Traceback" not in screen
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()

    first, second = _sessions(ready_study)
    identities = ready_study.unlock(PASSPHRASE.encode())
    assert not (first / layout.LOCK).exists() and (first / layout.EVENTS).is_file()  # sealed, not cut off
    assert float(str(load_events(ready_study, first, identities).info["duration"])) > 1.5
    assert load_session_info(ready_study, second, identities).continues == first.name


def test_a_break_reason_survives_a_lost_microphone_and_the_resumed_part_checks_again_in_a_real_terminal(
    ready_study: Study, fieldvault_home: Path, private_pulse: PrivatePulse, tmp_path: Path
) -> None:
    """QA E9 and E10 from a real PulseAudio input: the microphone comes out during a break whose reason was
    chosen (the reason was dropped); Resume with it still out gave the CLI's advice and, once it was back in,
    the level check never tried again; the new part began with a marker for a prompt it never showed."""
    _rose(ready_study)
    tone = tmp_path / "tone.wav"
    subprocess.run([need("sox"), "-n", "-r", "16000", "-c", "1", "-b", "16", str(tone), "synth", "60", "sine", "440",
                    "vol", "0.5"], check=True)  # fmt: skip
    term = _recording(ready_study, fieldvault_home, private_pulse)
    try:
        term.wait_for("REC")
        time.sleep(1.5)
        term.keys("Right")  # the first follow-up: the new part must carry on there
        time.sleep(1)
        term.keys("b")
        term.wait_for("Break at")
        term.keys("1")
        term.wait_for("Reason: distress")
        private_pulse.unplug()  # the USB microphone comes out during the break
        term.wait_for("Plug the microphone back in")
        term.keys("y")  # resume, with the microphone still out
        screen = term.wait_for("cannot open this input")
        assert "Carries on session" in screen and "at prompt 2" in screen
        assert "--device" not in screen and "sounddevice" not in screen
        time.sleep(2)  # the level check has tried the lost input again meanwhile
        assert not LIBRARY_LINES.search(term.screen()), term.screen()  # QA F7: not over the screen
        private_pulse.plug_in()  # back in, and she speaks
        player = subprocess.Popen([need("paplay"), "-d", "fv", str(tone)], env={**os.environ, **private_pulse.env})
        try:
            screen = term.wait_for("signal at", seconds=15)  # the level check tried again by itself
            assert not LIBRARY_LINES.search(screen), screen
            term.keys("Tab", "Tab", "Tab", "Enter")
            term.wait_for("REC")
            time.sleep(1)
            term.keys("s", "y")
            term.wait_for("Participant")
        finally:
            player.kill()
            player.wait()
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()

    first, second = _sessions(ready_study)
    identities = ready_study.unlock(PASSPHRASE.encode())
    breaks = [(e.kind, e.text) for e in load_events(ready_study, first, identities).events if e.kind == "break"]
    assert breaks == [("break", "distress")]
    resumed = load_events(ready_study, second, identities).events
    assert [(e.at, e.index) for e in resumed if e.kind == "prompt"] == [(0.0, 1)]


def test_a_terminal_closed_during_a_recording_stops_and_seals_it(
    ready_study: Study, fieldvault_home: Path, private_pulse: PrivatePulse
) -> None:
    """QA J14: `tmux kill-session` (as a closed window or a dropped SSH: SIGHUP) during a TUI recording ended the
    process at once, leaving the lock, the event journal and an unsealed recording for `recover`, which lost the
    last second. The TUI leaves as Ctrl+Q does: the recording is stopped and sealed."""
    _rose(ready_study)
    term = _recording(ready_study, fieldvault_home, private_pulse)
    try:
        term.wait_for("● REC")
        time.sleep(3)
    finally:
        term.kill()  # SIGHUP to the app
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        (session,) = _sessions(ready_study)
        if (session / "events.json.age").exists() and not (session / layout.LOCK).exists():
            break
        time.sleep(0.5)
    (session,) = _sessions(ready_study)
    assert (session / "events.json.age").exists() and not (session / layout.LOCK).exists()
    timeline = load_events(ready_study, session, ready_study.unlock(PASSPHRASE.encode()))
    assert float(str(timeline.info["duration"])) > 1.0
