"""Run `fieldvault keys change-passphrase` in this process and SIGKILL it at one named point: a real kill, at a place a
test chooses (as tests/kitkill.py does for merge-kit).

python -m tests.passkill POINT STUDY OLD_FILE NEW_FILE, from the checkout. The process kills itself with SIGKILL as
the wrapped step is reached, so nothing of it (no `finally`, no atexit) runs.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fieldvault import atomicfile, audit, passphrasechange
from fieldvault.cli import main as fieldvault


def _kill_at(owner: Any, name: str, when: Callable[..., bool] = lambda *a, **k: True) -> None:
    real = getattr(owner, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if when(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    setattr(owner, name, wrapped)


def _beside(path: object) -> bool:
    return str(path).endswith(passphrasechange.CHANGING.split("/")[-1])


POINTS: dict[str, Callable[[], None]] = {
    # the new seal written beside keys/study.age, its bytes not yet synced
    "writing": lambda: _kill_at(os, "fsync", when=lambda fd: _beside(os.readlink(f"/proc/self/fd/{fd}"))),
    # the new seal whole beside it, not yet on the record
    "written": lambda: _kill_at(
        audit.AuditLog, "append", when=lambda log, action, **d: action == passphrasechange.ACTION
    ),
    # on the record, not yet renamed over the old seal
    "recorded": lambda: _kill_at(os, "replace", when=lambda source, target: _beside(source)),
    # renamed, the folder not yet synced, nothing printed
    "renamed": lambda: _kill_at(atomicfile, "sync_folder", when=lambda folder: Path(folder).name == "keys"),
}


def main() -> None:
    point, study, old, new = sys.argv[1:5]
    POINTS[point]()
    code = fieldvault(["keys", "change-passphrase", study, "--passphrase-file", old, "--new-passphrase-file", new])
    sys.exit(f"change-passphrase ended ({code}): the point {point} was never reached")


if __name__ == "__main__":
    main()
