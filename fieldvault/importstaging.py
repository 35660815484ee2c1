"""Where `import` writes a session before it exists: a folder at the study's root, renamed into place whole.

An import killed part-way (a closed lid, a dead battery, a killed terminal) left a recording without a timeline in
her folder, which `check` failed for ever and which made her first interview count as a follow-up (QA K13). Now
nothing of an import is in participants/ until it is whole; what a killed one wrote stays under ``.importing-*``,
which the import holds locked while it runs (the kernel drops the lock when it dies), and the next import (or a
withdrawal) destroys it and says so.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldvault import atomicfile, layout
from fieldvault.stewardship.shred import shred_tree

PREFIX = layout.IMPORTING
_LOCKED = os.O_RDONLY | os.O_DIRECTORY


@contextmanager
def staging_folder(root: Path) -> Iterator[Path]:
    """A new staging folder at the study's root, locked for as long as the import runs; removed when the import
    fails (whatever it had written is no session yet). The import renames it into place before it ends."""
    folder = root / f"{PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
    folder.mkdir(mode=atomicfile.DIR_MODE)
    try:
        with atomicfile.held_alone(folder, _LOCKED):
            yield folder
    except BaseException:
        if folder.is_dir():
            shred_tree(folder)
        raise


def cut_off_imports(root: Path) -> list[Path]:
    """The staging folders of imports that are no longer running (killed part-way)."""
    found = []
    for folder in sorted(root.glob(f"{PREFIX}*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        with atomicfile.held_alone(folder, _LOCKED) as ours:
            if ours:
                found.append(folder)
    return found


def sweep_cut_off_imports(root: Path) -> list[str]:
    """Destroy what imports killed part-way wrote (it never became a session); the names of those destroyed."""
    swept = []
    for folder in cut_off_imports(root):
        shred_tree(folder)
        swept.append(folder.name)
    return swept
