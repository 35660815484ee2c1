"""The command line's entry point: ``fieldvault`` runs ``main``. It imports next to nothing itself, so that Ctrl-C
from the first moment, while the commands' modules load (a quarter of a second or more), ends in one line and
status 130 as it does once a command runs (qa25 QA16: Python printed a traceback through the imports)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

INTERRUPTED = "fieldvault: interrupted; nothing already stored was changed"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from fieldvault.cli.commands import main as command

        return command(argv)
    except KeyboardInterrupt:  # a command that stores in steps says itself what it stored, and returns 130
        print(INTERRUPTED, file=sys.stderr)
        return 130
