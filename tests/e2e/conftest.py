"""Real audio for tests: a PulseAudio daemon with a null sink; sounddevice records its monitor via ALSA 'pulse'."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import tomli_w

from tests.conftest import ANSWERS, PASSPHRASE, fill_letter, need


def start_pulse() -> None:
    """A PulseAudio daemon whose default source is the monitor of a null sink named fv."""
    need("pulseaudio")
    subprocess.run(["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n",
                    "--load=module-native-protocol-unix", "--load=module-null-sink sink_name=fv",
                    "--load=module-always-sink"], check=True, capture_output=True)  # fmt: skip
    for _ in range(50):
        if subprocess.run(["pactl", "info"], capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    subprocess.run(["pactl", "set-default-sink", "fv"], check=True)
    subprocess.run(["pactl", "set-default-source", "fv.monitor"], check=True)


@pytest.fixture(scope="session")
def pulse() -> Iterator[str]:
    """The ALSA device name to record from. Starts PulseAudio with a null sink if none is running."""
    started = subprocess.run(["pactl", "info"], capture_output=True).returncode != 0
    if started:
        start_pulse()
    sinks = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True, check=True).stdout
    if "fv" not in sinks:
        subprocess.run(["pactl", "load-module", "module-null-sink", "sink_name=fv"], check=True, capture_output=True)
    subprocess.run(["pactl", "set-default-sink", "fv"], check=True)
    subprocess.run(["pactl", "set-default-source", "fv.monitor"], check=True)
    yield "pulse"
    if started:
        subprocess.run(["pulseaudio", "--kill"], capture_output=True)


def speech(path: Path, text: str, rate: int = 16000) -> np.ndarray:
    """Speak ``text`` with espeak-ng into a 16-bit mono WAV at ``rate``; return its samples. The same every run:
    sox's dither is repeatable (-R); random dither changed tiny.en's words from run to run (bench/transcribe.py)."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run([need("espeak-ng"), "-w", str(raw), text], check=True)
    subprocess.run([need("sox"), "-R", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(path)], check=True)
    raw.unlink()
    data = path.read_bytes()
    return np.frombuffer(data[data.index(b"data") + 8 :], dtype=np.int16)


def best_correlation(recorded: np.ndarray, source: np.ndarray) -> tuple[float, int]:
    """Peak normalised cross-correlation of the source against the recording, and the lag (samples)."""
    rec = recorded.astype(np.float64)
    src = source.astype(np.float64)
    size = 1 << (len(rec) + len(src) - 1).bit_length()
    corr = np.fft.irfft(np.fft.rfft(rec, size) * np.conj(np.fft.rfft(src, size)), size)
    peak = int(np.argmax(np.abs(corr)))
    lag = peak if peak < size // 2 else peak - size
    a = rec[max(lag, 0) : max(lag, 0) + len(src)]
    b = src[max(-lag, 0) : max(-lag, 0) + len(a)]
    a = a[: len(b)]
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9)), lag


class PrivatePulse:
    """A PulseAudio daemon of one test's own (its own socket), whose null-sink monitor is a microphone the
    test can unplug: killing the daemon ends the ALSA 'pulse' stream as pulling a USB microphone does,
    without touching the shared daemon other tests record from."""

    def __init__(self) -> None:
        # A unix socket path is limited to 108 bytes: a short folder, not pytest's tmp_path.
        self.folder = Path(tempfile.mkdtemp(prefix="fvpa-"))
        self.env = {
            "PULSE_SERVER": f"unix:{self.folder}/native",
            "PULSE_RUNTIME_PATH": str(self.folder),
            "XDG_RUNTIME_DIR": str(self.folder),
        }
        self.daemon: subprocess.Popen[bytes] | None = None

    def plug_in(self) -> None:
        self.daemon = subprocess.Popen(
            [need("pulseaudio"), "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
             f"--load=module-native-protocol-unix socket={self.folder}/native",
             "--load=module-null-sink sink_name=fv", "--load=module-always-sink"],
            env={**os.environ, **self.env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            if subprocess.run(["pactl", "info"], env={**os.environ, **self.env}, capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        raise AssertionError("the test's own PulseAudio daemon never answered")

    def unplug(self) -> None:
        if self.daemon is not None:
            self.daemon.kill()
            self.daemon.wait()
            self.daemon = None


@pytest.fixture
def private_pulse() -> Iterator[PrivatePulse]:
    pulse = PrivatePulse()
    pulse.plug_in()
    try:
        yield pulse
    finally:
        pulse.unplug()
        shutil.rmtree(pulse.folder, ignore_errors=True)


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    """A study made by the real `fieldvault init`, its letter filled in, and tmp_path/answers.toml for a participant."""
    from fieldvault.study import Study

    root = tmp_path / "study"
    done = subprocess.run(
        ["fieldvault", "init", str(root), "--title", "Exit study", "--irb", "IRB-9"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE},
    )
    assert done.returncode == 0, done.stderr
    fill_letter(Study.open(root))
    (tmp_path / "answers.toml").write_bytes(tomli_w.dumps(ANSWERS).encode())
    return root


@pytest.fixture
def unlock(tmp_path: Path) -> list[str]:
    """The study passphrase in a private file, as `--passphrase-file` takes it."""
    from tests.conftest import PASSPHRASE

    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n")
    path.chmod(0o600)
    return ["--passphrase-file", str(path)]
