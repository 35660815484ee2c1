"""Run merge-kit in this process and SIGKILL it at one named point (QA J5): a real kill, at a place a test chooses.

python -m tests.kitkill POINT STUDY KIT, from the checkout. The point is reached by wrapping the function that does
that step; the process then kills itself with SIGKILL, so nothing of it (no `finally`, no atexit) runs.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fieldvault import audit, kitmerge
from fieldvault.study import Study
from tests.conftest import PASSPHRASE


def _kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _on_call(owner: Any, name: str, calls: int = 1, when: Callable[..., bool] = lambda *a, **k: True) -> None:
    """Kill the process as ``owner.name`` is called the ``calls``-th time with arguments ``when`` accepts."""
    real = getattr(owner, name)
    seen = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal seen
        if when(*args, **kwargs):
            seen += 1
            if seen == calls:
                _kill()
        return real(*args, **kwargs)

    setattr(owner, name, wrapped)


def _appending(action: str) -> Callable[..., bool]:
    return lambda log, what, **details: what == action


POINTS: dict[str, Callable[[], None]] = {
    # two files staged, none in the study yet
    "staging": lambda: _on_call(kitmerge, "_copy_checked", calls=3),
    # two files linked into the study, the rest still staged
    "placing": lambda: _on_call(kitmerge.os, "link", calls=3),
    # every file in place; nothing re-wrapped, indexed or recorded
    "placed": lambda: _on_call(kitmerge, "_complete_all"),
    # the kit's log taken in part
    "kit-log": lambda: _on_call(audit.AuditLog, "append", calls=2, when=_appending("field-kit.entry")),
    # all done but the entry that says the merge happened
    "recording": lambda: _on_call(
        audit.AuditLog, "append_vouching", when=lambda log, what, vouched, /, **details: what == "field-kit.merged"
    ),  # it vouches for the lists and profiles it brought (QA S14)
    # recorded, the record of the merge under way not yet removed
    "recorded": lambda: _on_call(kitmerge.Path, "unlink", when=lambda path, **k: path.name.startswith(".merging-kit")),
}


def main() -> None:
    point, study_root, kit_root = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    study = Study.open(study_root)
    identities = study.unlock(PASSPHRASE.encode())
    POINTS[point]()
    kitmerge.merge_kit(study, kit_root, identities)
    sys.exit(f"merge-kit finished: the point {point} was never reached")


if __name__ == "__main__":
    main()
