"""Where the study passphrase comes from: a prompt, a file, or FIELDVAULT_PASSPHRASE. Never argv."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from fieldvault.errors import BadInput

ENV = "FIELDVAULT_PASSPHRASE"
MIN_LENGTH = 10


def _from_file(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise BadInput(f"cannot read the passphrase file {path}: {err.strerror}") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise BadInput(f"the passphrase file {path} is empty; put the passphrase on its first line")
    return lines[0].encode()


def _given(path: Path | None) -> bytes | None:
    if path is not None:
        return _from_file(path)
    if os.environ.get(ENV):
        return os.environ[ENV].encode()
    return None


def _prompt(text: str) -> bytes:
    if not sys.stdin.isatty():
        raise BadInput(f"a passphrase is needed: use --passphrase-file FILE or set {ENV} (no terminal to ask on)")
    return getpass.getpass(text).encode()


def existing_passphrase(path: Path | None) -> bytes:
    """The passphrase of an existing study."""
    return _given(path) or _prompt("Study passphrase: ")


def new_passphrase(path: Path | None) -> bytes:
    """A passphrase for a new study, confirmed when typed, and long enough to resist guessing."""
    given = _given(path)
    if given is None:
        given = _prompt(f"New study passphrase (at least {MIN_LENGTH} characters): ")
        if _prompt("Repeat it: ") != given:
            raise BadInput("the two passphrases differ; run the command again")
    if len(given.decode()) < MIN_LENGTH:
        raise BadInput(f"the passphrase is shorter than {MIN_LENGTH} characters; choose a longer one (a few words)")
    return given
