"""Text files a user hands fieldvault (questionnaire answers, identifier lists, journal entries, text to
scan): read as UTF-8, and a file that cannot be read is one line saying what to do."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from fieldvault.errors import BadInput

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LIMIT = 8 * 1024 * 1024  # bytes: an hour's transcript is about 60 kB; a journal entry or a list far less


def read_text(path: Path) -> str:
    """A file the user gives, as text; the byte-order mark Windows Notepad puts first ("UTF-8 with BOM") is no
    part of it (it became part of the first identifier: QA D23).

    Only a regular file, a pipe (`--answers <(...)`, which leaves nothing on disk) or /dev/null is read, at most LIMIT
    bytes of it (QA Q8: `--text-file /dev/urandom` grew to 4 GB in ten seconds on a field laptop where a recording
    may be running). It is opened without blocking: a named pipe nobody writes to reads as empty at once, where
    it blocked for ever."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise BadInput(f"cannot read {path}: {err.strerror}") from None
    found = os.fstat(fd)  # before fdopen, which refuses a folder with a traceback of its own
    mode = found.st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        os.close(fd)
        if stat.S_ISCHR(mode) and found.st_rdev == os.stat(os.devnull).st_rdev:
            return ""  # /dev/null: "nothing", as a shell user means it (an empty list of names)
        raise BadInput(f"{path} is not a regular file (a device or a folder): save the text in a file first")
    with os.fdopen(fd, "rb") as f:
        os.set_blocking(fd, True)  # a pipe's writer may not have written yet
        data = f.read(LIMIT + 1)
    if len(data) > LIMIT:
        raise BadInput(
            f"{path} is over {LIMIT // (1024 * 1024)} MB, more than any text fieldvault reads: is it the right file?"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"{path} is not UTF-8 text; convert it (e.g. iconv -t UTF-8) and try again") from None
    return without_controls(text)


def without_controls(text: str) -> str:
    """Control characters but tab and line breaks are junk pasted along (Word's vertical tab, an escape sequence): a
    space each, so no stored answer, name or note carries them into an export (QA R8)."""
    return _CONTROLS.sub(" ", text)
