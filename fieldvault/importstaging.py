"""Where `import` writes a session before it exists: a folder at the study's root, renamed into place whole.

An import killed part-way (a closed lid, a dead battery, a killed terminal) left a recording without a timeline in
her folder, which `check` failed for ever and which made her first interview count as a follow-up (QA K13). Now
nothing of an import is in participants/ until it is whole; what a killed one wrote stays under ``.importing-*``,
which the import holds locked while it runs (the kernel drops the lock when it dies), and the next import (or a
withdrawal) destroys it and says so, if it holds only what an import writes there (QA Y3: not her folder moved there).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldvault import atomicfile, layout
from fieldvault.agefile.header import payload_id
from fieldvault.stewardship.shred import shred_tree
from fieldvault.study import Study
from fieldvault.suggested import shell

PREFIX = layout.IMPORTING
_LOCKED = os.O_RDONLY | os.O_DIRECTORY
# What an import writes in its staging folder; a write's temporary copy is named after its file
WRITTEN = (layout.AUDIO, layout.EVENTS, layout.SESSION_INFO)


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


def cut_off_imports(study: Study) -> list[Path]:
    """The staging folders of imports that are no longer running (killed part-way): each holding only what an import
    writes there (``written_by_an_import``)."""
    recorded = recorded_payloads(study)
    return [folder for folder in _not_running(study.root) if written_by_an_import(folder, recorded)]


def named_by_hand(study: Study) -> list[Path]:
    """Folders named as an import's staging, no import running, that hold what no import writes there: her folder or
    a session of hers moved there by hand (one `mv`, no passphrase) was shredded by the next import (QA Y3)."""
    recorded = recorded_payloads(study)
    return [folder for folder in _not_running(study.root) if not written_by_an_import(folder, recorded)]


def written_by_an_import(folder: Path, recorded: set[str]) -> bool:
    """Whether ``folder`` holds only what an import writes before it renames the folder into place: the recording,
    its timeline and session record (and the temporary copies their writes make), none of them a file whose payload
    the audit log records (an import records its recording's after the rename: a killed one never did)."""
    return all(
        path.is_file() and not path.is_symlink() and path.name.lstrip(".").startswith(WRITTEN)
        and payload_id(path) not in recorded
        for path in folder.iterdir()
    )  # fmt: skip


def recorded_payloads(study: Study) -> set[str]:
    """Every payload id any entry of the study's log records, signed or not: a forged one only keeps a file."""
    found: set[str] = set()
    for entry in study.audit.entries():
        details = entry.get("details")
        if isinstance(details, dict):
            found.update(str(details.get("payloads", "")).split())
    return found


def _not_running(root: Path) -> list[Path]:
    """The folders named as an import's staging that no running import holds."""
    found = []
    for folder in sorted(root.glob(f"{PREFIX}*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        with atomicfile.held_alone(folder, _LOCKED) as ours:
            if ours:
                found.append(folder)
    return found


def sweep_cut_off_imports(study: Study) -> list[str]:
    """Destroy what imports killed part-way wrote (it never became a session); the names of those destroyed. A
    folder so named that holds anything else is left as it is, and said."""
    swept = []
    for folder in cut_off_imports(study):
        shred_tree(folder)
        swept.append(folder.name)
    for folder in named_by_hand(study):
        study.tell_once(by_hand(study, folder))
    return swept


def by_hand(study: Study, folder: Path) -> str:
    """What is said of a folder ``named_by_hand`` finds."""
    back = shell("mv", folder, layout.participants(study.root) / "PSEUDONYM")
    return (
        f"{folder.name}: named as an import's staging folder, yet it holds what no import writes there (moved there by "
        f"hand?): nothing of it was destroyed; if it holds a participant's folder or session, put it back: {back}"
    )
