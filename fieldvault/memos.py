"""Memos about a session: the interviewer's notes taken while recording (read from the session's
events) and her post-interview field notes.

Field notes are append-only: each save is a new encrypted file ``fieldnotes-<n>.md.age`` in the session
folder, because a field kit cannot read back what it wrote and so must never replace it. Never writes
memo text unencrypted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldvault import layout
from fieldvault.agefile import Identity
from fieldvault.errors import BadInput
from fieldvault.events import load_events
from fieldvault.study import Study

_NAME = re.compile("^" + re.escape(layout.FIELD_NOTES).replace(re.escape("{n}"), r"(\d+)") + "$")
_HEADER = "<!-- fieldvault field notes; written {written} -->\n"
_HEADER_RE = re.compile(r"^<!-- fieldvault field notes; written (\S+) -->\n")
MAX_CHARS = 200_000
NOTE_KINDS = ("note", "break")  # what the interviewer wrote while recording


@dataclass(frozen=True)
class FieldNote:
    number: int
    written: str  # ISO time, UTC
    text: str


@dataclass(frozen=True)
class TimedNote:
    at: float  # seconds into the recording
    kind: str  # note or break (its text is the reason, if one was given)
    text: str


def field_note_count(folder: Path) -> int:
    """How many field notes a session has, from file names alone (works on a field kit)."""
    return len(_numbers(folder))


def _numbers(folder: Path) -> list[int]:
    if not folder.is_dir():
        return []
    return sorted(int(m.group(1)) for p in folder.iterdir() if (m := _NAME.match(p.name)))


def add_field_note(study: Study, folder: Path, text: str) -> FieldNote:
    """Encrypt a new field note for the session in ``folder``; audited without its text."""
    cleaned = text.strip()
    if not cleaned:
        raise BadInput("the field notes are empty; write something first")
    if len(cleaned) > MAX_CHARS:
        raise BadInput(f"the field notes are longer than {MAX_CHARS} characters; save them in parts")
    if not folder.is_dir():
        raise BadInput(f"no session {folder.parent.name}/{folder.name} in this study")
    number = max(_numbers(folder), default=0) + 1
    written = study.clock().isoformat(timespec="seconds")
    study.write_new(
        folder / layout.FIELD_NOTES.format(n=number), (_HEADER.format(written=written) + cleaned + "\n").encode()
    )
    study.audit.append("fieldnotes.add", pseudonym=folder.parent.name, session=folder.name, count=number)
    return FieldNote(number, written, cleaned)


def field_notes(study: Study, folder: Path, identities: Sequence[Identity]) -> list[FieldNote]:
    """The session's field notes, oldest first. Needs the study identity."""
    notes = []
    for number in _numbers(folder):
        text = study.read(folder / layout.FIELD_NOTES.format(n=number), identities).decode("utf-8")
        match = _HEADER_RE.match(text)
        notes.append(FieldNote(number, match.group(1) if match else "", text[match.end() if match else 0 :].strip()))
    return notes


def recording_notes(study: Study, folder: Path, identities: Sequence[Identity]) -> list[TimedNote]:
    """Notes and breaks taken while recording, in the order they happened. Needs the study identity."""
    timeline = load_events(study, folder, identities)
    notes = [TimedNote(e.at, e.kind, e.text) for e in timeline.events if e.kind in NOTE_KINDS]
    return sorted(notes, key=lambda n: n.at)  # a note is timed when it was begun, and saved when finished
