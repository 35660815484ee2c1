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
from fieldvault.agefile.header import header_id
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.events import load_events
from fieldvault.sessionbinding import refuse_elsewhere
from fieldvault.study import Study

_NAME = re.compile("^" + re.escape(layout.FIELD_NOTES).replace(re.escape("{n}"), r"(\d+)") + "$")
# The header names the session the notes are about (QA Q4: notes moved into another woman's session went into her
# member-check export). A pseudonym holds no "/", "<", ">" or line break (the name rule), a session id no space.
_HEADER = "<!-- fieldvault field notes; written {written}; for {pseudonym}/{session} -->\n"
_HEADER_RE = re.compile(r"^<!-- fieldvault field notes; written ([^;\s]+)(?:; for ([^/\n]+)/(\S+))? -->\n")
UNBOUND_WRITTEN = "unknown"  # the time of a note whose header is missing, as ``bound_note`` writes it
MAX_CHARS = 200_000
NOTE_KINDS = ("note", "break")  # what the interviewer wrote while recording
ADDED = "fieldnotes.add"


@dataclass(frozen=True)
class FieldNote:
    number: int
    written: str  # ISO time, UTC
    text: str
    pseudonym: str | None = None  # whose session it is about; None in notes written before they named it
    session: str | None = None


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


def note_files(folder: Path) -> list[Path]:
    """The session's field notes files, oldest first (links left out: `check` names them)."""
    paths = [folder / layout.FIELD_NOTES.format(n=number) for number in _numbers(folder)]
    return [path for path in paths if path.is_file() and not path.is_symlink()]


def sealed_note(written: str, text: str, pseudonym: str, session: str) -> bytes:
    """A field note's plaintext as it is sealed (a draft of one is sealed the same way: fieldvault.drafts)."""
    return (_HEADER.format(written=written, pseudonym=pseudonym, session=session) + text + "\n").encode()


def next_note(folder: Path) -> tuple[int, Path]:
    """The number and path the session's next field note takes."""
    number = max(_numbers(folder), default=0) + 1
    return number, folder / layout.FIELD_NOTES.format(n=number)


def parse_field_note(data: bytes, where: str) -> FieldNote:
    """A sealed field note's plaintext as fieldvault reads it (merge-kit reads a kit's the same way)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadStudyFile(f"{where} is not UTF-8 text") from None
    match = _NAME.match(Path(where).name)
    number = int(match.group(1)) if match else 0
    head = _HEADER_RE.match(text)
    if head is None:
        return FieldNote(number, "", text.strip())
    return FieldNote(number, head.group(1), text[head.end() :].strip(), head.group(2), head.group(3))


def bound_note(data: bytes, where: str, pseudonym: str, session: str) -> bytes:
    """A field note's plaintext sealed for ``pseudonym``'s ``session`` instead (a rename, a move, a binding where it
    lies), its time and text unchanged."""
    note = parse_field_note(data, where)
    return sealed_note(note.written or UNBOUND_WRITTEN, note.text, pseudonym, session)


def read_field_note(study: Study, path: Path, identities: Sequence[Identity]) -> FieldNote:
    """One field note, refused in one line when it names another session than the folder it lies in; one written
    before notes named their session is read as it is (`check` counts those)."""
    note = parse_field_note(study.read(path, identities), str(path))
    if note.pseudonym is not None and note.session is not None:
        refuse_elsewhere(study, path, note.pseudonym, note.session, "the field notes of ")
    return note


def check_text(text: str) -> str:
    """The field notes as they will be stored, or BadInput saying what is wrong."""
    cleaned = text.strip()
    if not cleaned:
        raise BadInput("the field notes are empty; write something first")
    if len(cleaned) > MAX_CHARS:
        raise BadInput(f"the field notes are longer than {MAX_CHARS} characters; save them in parts")
    return cleaned


def refuse_gone(folder: Path) -> None:
    """BadInput when the session is not in the study (any more): nothing is written that would make it again."""
    if not folder.is_dir():
        raise BadInput(f"no session {folder.parent.name}/{folder.name} in this study (moved, withdrawn or removed?)")


def add_field_note(study: Study, folder: Path, text: str) -> FieldNote:
    """Encrypt a new field note for the session in ``folder``; audited without its text."""
    cleaned = check_text(text)
    refuse_gone(folder)
    number, path = next_note(folder)
    written = study.clock().isoformat(timespec="seconds")
    study.write_new(path, sealed_note(written, cleaned, folder.parent.name, folder.name))
    audit_added(study, path, number)
    return FieldNote(number, written, cleaned)


def audit_added(study: Study, path: Path, number: int) -> None:
    """The entry of field notes ``number`` sealed at ``path``, naming its header: a kit's note replaced under its
    number is told from the one written (qa27 QC3's rest)."""
    folder = path.parent
    header = header_id(path) or ""
    study.audit.append(ADDED, pseudonym=folder.parent.name, session=folder.name, count=number, header=header)


def field_notes(study: Study, folder: Path, identities: Sequence[Identity]) -> list[FieldNote]:
    """The session's field notes, oldest first, each refused when it is another session's (``read_field_note``).
    Needs the study identity."""
    return [read_field_note(study, path, identities) for path in note_files(folder)]


def recording_notes(study: Study, folder: Path, identities: Sequence[Identity]) -> list[TimedNote]:
    """Notes and breaks taken while recording, in the order they happened. Needs the study identity."""
    timeline = load_events(study, folder, identities)
    notes = [TimedNote(e.at, e.kind, e.text) for e in timeline.events if e.kind in NOTE_KINDS]
    return sorted(notes, key=lambda n: n.at)  # a note is timed when it was begun, and saved when finished
