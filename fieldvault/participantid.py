"""A participant's stable id: 32 random hex digits in plaintext beside her encrypted profile.

It tells a field kit's participant from a namesake, so the same person can come back from the field
again and again; it says nothing about who she is. It never holds anything but the random id.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fieldvault import atomicfile
from fieldvault.layout import PARTICIPANT_ID

MAX_SIZE = 64  # the id and a newline; anything longer is not an id file


def parse_id(data: bytes) -> str | None:
    text = data.strip().decode("ascii", "replace")
    return text if len(text) == 32 and all(c in "0123456789abcdef" for c in text) else None


def participant_id(folder: Path) -> str | None:
    """The participant's id, or None for a participant made before ids existed."""
    try:
        with (folder / PARTICIPANT_ID).open("rb") as source:
            return parse_id(source.read(MAX_SIZE + 1))
    except OSError:
        return None


def ensure_participant_id(folder: Path) -> str:
    """The participant's id, written now if she has none yet."""
    existing = participant_id(folder)
    if existing is not None:
        return existing
    new = secrets.token_hex(16)
    atomicfile.write_new(folder / PARTICIPANT_ID, new.encode() + b"\n")
    return new
