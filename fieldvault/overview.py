"""What the home screen lists: participants, their sessions, and how far each session has come.

State is read from which encrypted files exist and from the audit log, so it needs no key:
a locked field kit shows it as well as the trusted machine does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from fieldvault import layout
from fieldvault.layout import AUDIO, REDACTIONS, TRANSCRIPT
from fieldvault.study import Study


class SessionState(Enum):
    EMPTY = "not recorded"
    RECORDED = "recorded"
    TRANSCRIBED = "transcribed"
    REVIEWED = "reviewed"
    EXPORTED = "exported"


@dataclass(frozen=True)
class SessionSummary:
    pseudonym: str
    session: str
    state: SessionState


@dataclass(frozen=True)
class ParticipantSummary:
    pseudonym: str
    sessions: tuple[SessionSummary, ...]


# A new transcript, or spans proposed afresh for changed text, needs reviewing (and exporting) again.
UNREVIEWS = frozenset({"transcribe", "redaction.proposed"})


def _reached(study: Study) -> dict[tuple[str, str], set[str]]:
    """Per (pseudonym, session), the audited milestones that files alone cannot show."""
    reached: dict[tuple[str, str], set[str]] = {}
    for entry in study.audit.entries():
        details = entry.get("details")
        if isinstance(details, dict) and "pseudonym" in details and "session" in details:
            milestones = reached.setdefault((str(details["pseudonym"]), str(details["session"])), set())
            if entry["action"] in UNREVIEWS:
                milestones -= {"redaction.reviewed", "export"}
            milestones.add(str(entry["action"]))
    return reached


def _state(folder_files: set[str], milestones: set[str]) -> SessionState:
    if "export" in milestones and TRANSCRIPT in folder_files:
        return SessionState.EXPORTED
    if "redaction.reviewed" in milestones and REDACTIONS in folder_files:
        return SessionState.REVIEWED
    if TRANSCRIPT in folder_files:
        return SessionState.TRANSCRIBED
    if AUDIO in folder_files:
        return SessionState.RECORDED
    return SessionState.EMPTY


def overview(study: Study) -> list[ParticipantSummary]:
    reached = _reached(study)
    people = []
    for pseudonym in study.participant_names():
        folder = layout.participant(study.root, pseudonym)
        sessions = []
        for session in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            files = {f.name for f in session.iterdir() if f.is_file()}
            state = _state(files, reached.get((pseudonym, session.name), set()))
            sessions.append(SessionSummary(pseudonym, session.name, state))
        people.append(ParticipantSummary(pseudonym, tuple(sessions)))
    return people
