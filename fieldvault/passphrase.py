"""Where the study passphrase comes from: a prompt, a file, or FIELDVAULT_PASSPHRASE. Never argv.

A passphrase file must be private to its owner; the variable is removed from the environment as soon as
it is read, so no program fieldvault starts inherits it. A new passphrase must resist guessing.
"""

from __future__ import annotations

import getpass
import os
import stat
import sys
from pathlib import Path

from fieldvault.errors import BadInput
from fieldvault.suggested import shell

ENV = "FIELDVAULT_PASSPHRASE"
MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn's scale 0-4; 3 is "safely unguessable": about 10^8 guesses or more


def _from_file(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as err:
        raise BadInput(f"cannot read the passphrase file {path}: {err.strerror}") from None
    with os.fdopen(fd, "rb") as source:
        mode = os.fstat(source.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise BadInput(f"the passphrase file {path} is not a regular file")
        if mode & 0o077:
            raise BadInput(
                f"the passphrase file {path} can be read by others (mode {stat.S_IMODE(mode):o}); "
                f"run `{shell('chmod', '600', path)}` and change the passphrase if others could have read it"
            )
        text = source.read(64 * 1024).decode("utf-8", "replace")
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise BadInput(f"the passphrase file {path} is empty; put the passphrase on its first line")
    return lines[0].encode()


def _given(path: Path | None) -> bytes | None:
    if path is not None:
        return _from_file(path)
    value = os.environ.pop(ENV, None)  # gone before any child process (ffmpeg, age) could inherit it
    return value.encode() if value else None


def _prompt(text: str) -> bytes:
    if not sys.stdin.isatty():
        raise BadInput(f"a passphrase is needed: use --passphrase-file FILE or set {ENV} (no terminal to ask on)")
    return getpass.getpass(text).encode()


def existing_passphrase(path: Path | None) -> bytes:
    """The passphrase of an existing study."""
    return _given(path) or _prompt("Study passphrase: ")


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is too weak, or None. Measured with zxcvbn (patterns, repeats, common words)."""
    if len(passphrase) < MIN_LENGTH:
        return f"the passphrase is shorter than {MIN_LENGTH} characters; choose a longer one (a few words)"
    from zxcvbn import zxcvbn  # loaded only when a passphrase is chosen

    found = zxcvbn(passphrase[:200])
    if int(found["score"]) >= MIN_SCORE:
        return None
    feedback = found["feedback"]
    reason = str(feedback.get("warning") or "it follows a pattern that is guessed quickly").rstrip(".")
    advice = " ".join(feedback.get("suggestions") or ["Add another word or two."])
    return f"the passphrase is too easy to guess: {reason[0].lower() + reason[1:]}. {advice}"


def new_passphrase(path: Path | None) -> bytes:
    """A passphrase for a new study, confirmed when typed, and hard to guess."""
    given = _given(path)
    return _strong(given if given is not None else _typed_twice())


def replacing_passphrase(path: Path | None) -> bytes:
    """The passphrase that replaces the one in use (`keys change-passphrase`): from its own file, else typed twice;
    never FIELDVAULT_PASSPHRASE, which gives the one in use."""
    if path is not None:
        return _strong(_from_file(path))
    if not sys.stdin.isatty():
        raise BadInput("the new passphrase is needed: use --new-passphrase-file FILE (no terminal to ask on)")
    return _strong(_typed_twice())


def _typed_twice() -> bytes:
    given = _prompt(f"New study passphrase (at least {MIN_LENGTH} characters, a few words): ")
    if _prompt("Repeat it: ") != given:
        raise BadInput("the two passphrases differ; run the command again")
    return given


def _strong(given: bytes) -> bytes:
    problem = passphrase_problem(given.decode("utf-8", "replace"))
    if problem is not None:
        raise BadInput(problem)
    return given
