"""Where each backup this computer made went, kept outside the study (QA Z9).

A backup's entry in the study's audit log once held its folder's path, and the log is plaintext, copied whole into
every backup and never rewritten: a folder named after the woman it was for ("Keisha-Marlowe-bk") put her name there,
and a backup run without the passphrase cannot read the lists to refuse such a path. So no backup's entry holds its
path, keyed or not; this file in the user's config folder remembers it, per entry (its hash), for the report's table of
backups and `check`'s words on restoring a file. Entries written before keep their path, which is read as it is.

It holds folders of this computer the user chose: no participant data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldvault import configmemory
from fieldvault.errors import FieldvaultError

FILE = "backups-made.json"
SCHEMA_VERSION = 1
REF = "backup "  # how an entry written on a backup, or carried from one, names it: by its last backup entry's hash
UNKNOWN = "a backup"  # one whose marker names no entry (made by an older release, or cut off in its first run)


@dataclass(frozen=True)
class BackupsMade:
    """the hash of a backup's entry in its study's log -> the backup's folder."""

    folders: dict[str, str] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION


def _read() -> BackupsMade:
    fix = "it remembers where backups went, for the report; delete it if it cannot be restored"
    return configmemory.read(BackupsMade, FILE, fix)


def remember(entry: dict[str, Any], folder: Path) -> None:
    """The backup recorded by ``entry`` went to ``folder``; an unwritable or damaged config file is no reason to stop
    the backup (the report then says the folder is not known here)."""
    try:
        known = _read()
    except FieldvaultError:
        return
    configmemory.write(FILE, BackupsMade({**known.folders, str(entry["hash"]): str(folder.absolute())}))


def made_here(dest: Path) -> bool:
    """Whether a backup this computer made went to ``dest``."""
    try:
        return str(dest.absolute()) in _read().folders.values()
    except FieldvaultError:
        return False


def folder(entry: dict[str, Any]) -> str | None:
    """Where the backup ``entry`` records went: its own path (an entry written before), else as this computer
    remembers it; None where neither says (made on another computer)."""
    details = entry.get("details")
    if isinstance(details, dict) and isinstance(details.get("out"), str):
        return str(details["out"])
    try:
        return _read().folders.get(str(entry.get("hash")))
    except FieldvaultError:
        return None


def ref(head: str | None) -> str:
    """How the log names a backup whose marker records ``head`` (the hash of its last backup entry)."""
    return f"{REF}{head}" if head else UNKNOWN


def shown(where: str) -> str:
    """``where`` (an entry's ``on_backup`` or a carried entry's ``origin``) as a reader is shown it: the folder this
    computer remembers for a backup named by ``ref``; an older entry's path (or a kit's id) as it is."""
    if not where.startswith(REF):
        return where
    try:
        known = _read().folders.get(where.removeprefix(REF))
    except FieldvaultError:
        known = None
    return known or "a backup made on another computer"
