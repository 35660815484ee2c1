"""Run `fieldvault check` with the study passphrase in this process and SIGKILL it at one named point of the fold of
names added with the study locked (QA V20): a fold cut off leaves the old state or the new, never names lost.

python -m tests.foldkill POINT STUDY, from the checkout (the points wrap the step, as tests.kitkill's do).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from fieldvault import audit, lists, vouching
from fieldvault.cli import main
from fieldvault.participants import ADDED
from tests.conftest import PASSPHRASE
from tests.kitkill import _on_call

FOLDED = "participant.added-folded"  # fieldvault.beside.FOLDED, named here for a run of these tests on older code


def _writing(action: str) -> Callable[..., bool]:
    return lambda log, what, *payloads, **details: what == action


def _names_file(path: Any, *args: Any, **kwargs: Any) -> bool:
    return ADDED.fullmatch(path.name) is not None


POINTS: dict[str, Callable[[], None]] = {
    # her list with the new names sealed beside its place, no entry yet
    "staged": lambda: _on_call(audit.AuditLog, "append_vouching", when=_writing(lists.APPENDED)),
    # the entry that vouches for her new list written, the list not yet renamed in
    "vouched": lambda: _on_call(
        vouching.os, "replace", when=lambda src, dst, *a, **k: str(dst).endswith("/identifiers.json.age")
    ),
    # her new list in place, the file of names not yet recorded folded
    "sealed": lambda: _on_call(audit.AuditLog, "append_vouching", when=_writing(FOLDED)),
    # recorded folded, the file not yet deleted
    "recorded": lambda: _on_call(lists.Path, "unlink", when=_names_file),
}

if __name__ == "__main__":
    POINTS[sys.argv[1]]()
    os.environ["FIELDVAULT_PASSPHRASE"] = PASSPHRASE
    sys.exit(main(["check", sys.argv[2]]))
