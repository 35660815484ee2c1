"""Where fieldvault keeps its own files (not study data): FIELDVAULT_HOME, else the XDG folders.

Settings (the list of recent studies) go in the config folder; models and converted checkpoints, which
are large and can be made again, in the data folder. FIELDVAULT_HOME (tests) holds both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldvault import atomicfile, serial
from fieldvault.errors import BadStudyFile

MAX_RECENT = 10
RECENT = "recent.json"


def config_dir() -> Path:
    if os.environ.get("FIELDVAULT_HOME"):
        return Path(os.environ["FIELDVAULT_HOME"])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "fieldvault"


def data_dir() -> Path:
    if os.environ.get("FIELDVAULT_HOME"):
        return Path(os.environ["FIELDVAULT_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "fieldvault"


def models_dir() -> Path:
    """Imported Whisper models and checkpoints converted from the bundled ones."""
    return data_dir() / "models"


@dataclass(frozen=True)
class RecentStudies:
    """``recent.json`` in the config folder: study folders opened before, newest first; paths only, which
    hold no participant data. Before it carried a version it was the bare list of paths."""

    paths: list[str]
    schema_version: int = 1


def _legacy_recent(doc: Any) -> dict[str, Any] | None:
    return {"paths": doc} if isinstance(doc, list) else None


def recent_studies() -> list[Path]:
    """Study folders opened before, newest first. A convenience: a missing or damaged list is empty (it is
    written anew when a study is next opened), never an error that would stop anyone opening a study."""
    path = config_dir() / RECENT
    try:
        return [Path(p) for p in serial.loads(RecentStudies, path.read_bytes(), str(path), _legacy_recent).paths]
    except (OSError, BadStudyFile):
        return []


def remember_study(root: Path) -> None:
    items = [str(root.resolve())] + [str(p) for p in recent_studies() if p != root.resolve()]
    folder = config_dir()
    try:
        atomicfile.make_dirs(folder)
        atomicfile.replace(folder / RECENT, serial.dumps(RecentStudies(items[:MAX_RECENT])))
    except OSError:
        pass  # a read-only home must not stop anyone from working; the list is a convenience
