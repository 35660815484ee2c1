"""Where fieldvault keeps its own files (not study data): FIELDVAULT_HOME, else the XDG folders.

Settings (the list of recent studies) go in the config folder; models and converted checkpoints, which
are large and can be made again, in the data folder. FIELDVAULT_HOME (tests) holds both.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from fieldvault import atomicfile

MAX_RECENT = 10


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


def recent_studies() -> list[Path]:
    """Study folders opened before, newest first; only paths, which hold no participant data."""
    path = config_dir() / "recent.json"
    try:
        items = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    return [Path(p) for p in items if isinstance(p, str)]


def remember_study(root: Path) -> None:
    items = [str(root.resolve())] + [str(p) for p in recent_studies() if p != root.resolve()]
    folder = config_dir()
    try:
        atomicfile.make_dirs(folder)
        atomicfile.replace(folder / "recent.json", json.dumps(items[:MAX_RECENT]).encode())
    except OSError:
        pass  # a read-only home must not stop anyone from working; the list is a convenience
