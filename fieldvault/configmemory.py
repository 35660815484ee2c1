"""The files in the user's config folder where this computer remembers what it saw of a study outside the study
folder (removed recipients: ``removals``; withdrawals: ``withdrawnhere``; how far each log went: ``loghead``): read
whole, replaced whole.

What they remember the study's own log holds too, so a write that fails (a read-only home) never stops a command.
"""

from __future__ import annotations

from typing import TypeVar

from fieldvault import atomicfile, paths, serial

T = TypeVar("T")


def read(cls: type[T], name: str, fix: str) -> T:
    """The ``cls`` document kept as ``name``; the empty one (``cls()``) where none was written yet."""
    path = paths.config_dir() / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return cls()
    return serial.loads(cls, data, str(path), fix=fix)


def write(name: str, document: object) -> bool:
    """Replace ``name`` with ``document``; False where the config folder cannot be written (a read-only home)."""
    try:
        atomicfile.make_dirs(paths.config_dir())
        atomicfile.replace(paths.config_dir() / name, serial.dumps(document))
    except OSError:
        return False
    return True
