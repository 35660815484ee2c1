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
