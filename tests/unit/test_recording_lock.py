"""One walk over the recording locks (fieldvault.recording_lock.recording_now) serves `check` and `recover` alike:
a live recorder's session is left alone by both, a dead one's is interrupted work, and a damaged lock is no live
recorder's: check names it as a failure, recover stops at it in one line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fieldvault.capture.recorder import find_interrupted
from fieldvault.errors import FieldvaultError
from fieldvault.layout import AUDIO, LOCK
from fieldvault.recording_lock import recording_now, session_locks
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study


def _session(study: Study, name: str, lock: str) -> Path:
    folder = study.root / "participants" / "Rose" / name
    folder.mkdir(parents=True)
    study.write_new(folder / AUDIO, b"RIFF")
    (folder / LOCK).write_text(lock)
    return folder


def _gone_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_check_and_recover_share_one_view_of_which_sessions_are_being_recorded(study: Study, identities: list) -> None:
    here = socket.gethostname()
    live = _session(study, "20261125-100000", json.dumps({"pid": os.getpid(), "host": here}))
    dead = _session(study, "20261125-110000", json.dumps({"pid": _gone_pid(), "host": here}))
    damaged = _session(study, "20261125-120000", '{"pid": "1", "host": "x"}')

    assert session_locks(study.root) == [live / LOCK, dead / LOCK, damaged / LOCK]
    assert recording_now(study.root) == [live]

    result = check_study(study, identities)
    recorded = [s for s in result.strays if "being recorded now" in s]
    assert len(recorded) == 1 and str(live.relative_to(study.root)) in recorded[0]
    assert any(f.file == str((damaged / LOCK).relative_to(study.root)) for f in result.failures)

    with pytest.raises(FieldvaultError, match="pid should be int"):
        find_interrupted(study)  # recover stops at the damaged lock, naming it
    (damaged / LOCK).unlink()
    assert find_interrupted(study) == [dead]
