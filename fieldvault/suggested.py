"""How a message spells a command for the user to run: every word shell-quoted, so a pseudonym or a folder with a
space or a quote in it ("~/My Studies", "Ann Church", O'Brien) pastes as one word (QA K10-A). Placeholders the user
fills in (NEW, FILE, --identifiers) pass through unchanged.
"""

from __future__ import annotations

import shlex
from pathlib import Path


def command(*words: str | Path) -> str:
    """``fieldvault WORD...`` as a shell would take it, each word quoted where it must be."""
    return shell("fieldvault", *words)


def shell(*words: str | Path) -> str:
    """Any command line (``chmod 600 PATH``, ``shred -u PATH``), each word quoted where it must be."""
    return " ".join(shlex.quote(str(word)) for word in words)
