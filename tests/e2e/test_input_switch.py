"""QA: PulseAudio moved a recording to another input when its source went away (the TUI then said NO SIGNAL) and
nothing of it reached the sealed timeline, so a transcriber could not tell why a stretch is silent. Through real
PortAudio and a PulseAudio daemon of the test's own: the switch is printed and sealed, with both inputs and when."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from fieldvault.capture.inputwatch import pulse_input
from fieldvault.capture.source import SoundDeviceSource
from fieldvault.events import load_events
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, need
from tests.e2e.conftest import PrivatePulse
from tests.e2e.test_capture import _answers, _clock_seconds
from tests.e2e.test_cli import fv

pytestmark = pytest.mark.slow


def _pactl(env: dict[str, str], *args: str) -> str:
    return subprocess.run(["pactl", *args], env=env, capture_output=True, text=True, check=True).stdout


def _record(root: Path, env: dict[str, str], seconds: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [need("fieldvault"), "record", str(root), "Rose", "--device", "pulse", "--seconds", str(seconds)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_source_gone_mid_recording_is_printed_and_sealed_with_both_inputs(
    ready_study: Study, private_pulse: PrivatePulse, tmp_path: Path
) -> None:
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE, **private_pulse.env}
    assert fv("participant", "add", str(ready_study.root), "Rose", "--answers", str(_answers(tmp_path))).returncode == 0
    _pactl(env, "load-module", "module-null-sink", "sink_name=spare")
    _pactl(env, "set-default-source", "fv.monitor")
    recorder = _record(ready_study.root, env, 8)
    assert recorder.stderr is not None
    lines = []
    for line in recorder.stderr:
        lines.append(line)
        if (_clock_seconds(line) or 0) >= 3:
            break
    (module,) = [
        row.split("\t")[0] for row in _pactl(env, "list", "short", "modules").splitlines() if "sink_name=fv" in row
    ]
    _pactl(env, "unload-module", module)  # the microphone the recording used is gone; PulseAudio moves it on
    out, err = recorder.communicate(timeout=60)
    assert recorder.returncode == 0 and "stopped:" in out, err
    told = [line for line in err.splitlines() if line.startswith("INPUT SWITCHED")]
    assert len(told) == 1 and "now records from" in told[0] and "spare.monitor" in told[0], err
    assert "no longer" in told[0] and "fv.monitor" in told[0]
    identities = ready_study.unlock(PASSPHRASE.encode())
    (folder,) = [p for p in (ready_study.root / "participants" / "Rose").iterdir() if p.is_dir()]
    events = [e for e in load_events(ready_study, folder, identities).events if e.kind == "input"]
    assert len(events) == 1 and "from" in events[0].text
    assert "(fv.monitor)" in events[0].text and "(spare.monitor)" in events[0].text
    assert 2.0 <= events[0].at <= 8.0  # where it happened, in the recording's time


def test_a_recording_with_no_switch_seals_no_input_event_and_no_server_says_nothing(
    ready_study: Study, private_pulse: PrivatePulse, tmp_path: Path
) -> None:
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE, **private_pulse.env}
    assert fv("participant", "add", str(ready_study.root), "Rose", "--answers", str(_answers(tmp_path))).returncode == 0
    for _ in range(2):  # run twice: nothing switched, nothing said or sealed
        out, err = _record(ready_study.root, env, 3).communicate(timeout=60)
        assert "stopped:" in out and "INPUT SWITCHED" not in err, err
        time.sleep(1.1)  # a new session folder each second
    identities = ready_study.unlock(PASSPHRASE.encode())
    folders = [p for p in (ready_study.root / "participants" / "Rose").iterdir() if p.is_dir()]
    assert len(folders) == 2
    for folder in folders:
        assert not [e for e in load_events(ready_study, folder, identities).events if e.kind == "input"]
    old = {key: os.environ.get(key) for key in private_pulse.env}
    os.environ.update(private_pulse.env)  # this process's own stream, on the test's server
    try:
        source = SoundDeviceSource("pulse", 16000, 1)
        assert source.current_input() is None  # no stream open yet: nothing to tell
        source.start(lambda block, overflowed: None, lambda reason: None)
        try:
            assert pulse_input(os.getpid()) == source.current_input()
            assert str(source.current_input()).endswith("(fv.monitor)")
        finally:
            source.stop()
        private_pulse.unplug()
        assert pulse_input(os.getpid()) is None  # no sound server: nothing known, nothing said
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
