"""Run `fieldvault import KIT PSEUDONYM FILE --shred-original` on a field kit in this process and SIGKILL it at one
named point (QA AA9), as tests.kitkill does merge-kit's: nothing of it (no `finally`, no atexit) runs.

python -m tests.importkill POINT KIT PSEUDONYM FILE, from the checkout.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from fieldvault.capture import importer
from fieldvault.cli import main
from tests.kitkill import _on_call

POINTS: dict[str, Callable[[str], None]] = {
    # her session renamed into place; no kind indexed, no import entry, the original not shredded
    "placed": lambda _: _on_call(importer, "index_kind"),
    # the original overwritten and synced, not yet removed (qa23's K=25)
    "overwritten": lambda name: _on_call(importer.Path, "unlink", when=lambda path, *a, **k: path.name == name),
}

if __name__ == "__main__":
    point, kit, pseudonym, audio = sys.argv[1:5]
    POINTS[point](Path(audio).name)
    main(["import", kit, pseudonym, audio, "--shred-original"])
    sys.exit(f"import finished: the point {point} was never reached")
