"""A crash in native code while fieldvault holds her words writes no core file (QA Q3), through the real binary.

The crash is a SIGSEGV sent to an `import` part-way through sealing a recording (the study key unlocked, her audio
in memory), as a fault in CTranslate2, onnxruntime or PortAudio would end it; the core-size limit is raised first,
as a user's `ulimit -c unlimited` would."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import time
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_cli import EXE
from tests.e2e.test_import_killed import _participant

PATTERN = Path("/proc/sys/kernel/core_pattern")


def _cores_allowed() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


@pytest.mark.skipif(
    not PATTERN.exists() or PATTERN.read_text().strip() != "core" or resource.getrlimit(resource.RLIMIT_CORE)[1] == 0,
    reason="the kernel writes no `core` file in the working folder here, whatever fieldvault does",
)
def test_a_crash_while_sealing_her_recording_leaves_no_core_file(ready_study: Study, tmp_path: Path) -> None:
    root = ready_study.root
    wav = _participant(root, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    child = subprocess.Popen([EXE, "import", str(root), "Lupe", str(wav)], cwd=work, env=env, preexec_fn=_cores_allowed)
    deadline = time.monotonic() + 120
    while not any(p.stat().st_size > 1_000_000 for p in root.glob(f"{layout.IMPORTING}*/{layout.AUDIO}")):
        assert child.poll() is None and time.monotonic() < deadline, "the import ended before it could crash"
        time.sleep(0.02)
    child.send_signal(signal.SIGSEGV)
    assert child.wait(timeout=30) == -signal.SIGSEGV
    assert list(work.iterdir()) == []
