"""What the home screen lists: participants, their sessions, and how far each session has come.

State is read from which encrypted files exist, from the audit log and from the plaintext session
index (kinds; in a field kit, the sessions held by the study), so it needs no key: a locked field kit
shows it as well as the trusted machine does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from fieldvault import layout
from fieldvault.errors import BadStudyFile
from fieldvault.layout import AUDIO, LOCK, REDACTIONS, TRANSCRIPT
from fieldvault.recording_lock import lock_alive
from fieldvault.sessioninfo import IndexedSession, no_session, read_index
from fieldvault.sessionorder import kit_windows, recorded_order
from fieldvault.study import Study


class SessionState(Enum):
    EMPTY = "not recorded"
    RECORDING = "recording now"
    INTERRUPTED = "cut off: recover"
    RECORDED = "recorded"
    TRANSCRIBED = "transcribed"
    REVIEWED = "reviewed"
    EXPORTED = "exported"
    EXPORTED_UNREVIEWED = "exported UNREVIEWED"


@dataclass(frozen=True)
class SessionSummary:
    pseudonym: str
    session: str
    state: SessionState
    kind: str = ""  # a key of sessioninfo.KINDS; "" when not known without a key
    in_study: bool = False  # a field kit's copy of a session the study holds (recorded before the kit)
    part: int = 0  # of an interview resumed after the input was lost: 1 its first part, 2 the next...; 0 one whole
    transcript_only: bool = False  # her recording recorded lost (QA X11)


@dataclass(frozen=True)
class ParticipantSummary:
    pseudonym: str
    sessions: tuple[SessionSummary, ...]


# A new transcript version, spans proposed afresh for changed text, or a changed decision needs reading
# through (and exporting) again.
# A session moved to another participant is proposed again from her identifiers: unreviewed as well.
MOVED = "session.move"
UNREVIEWS = frozenset(
    {"transcribe", "transcript.saved", "transcript.speaker", "redaction.decided", "redaction.proposed", MOVED}
)


def _reached(study: Study) -> dict[tuple[str, str], set[str]]:
    """Per (pseudonym, session), the audited milestones that files alone cannot show."""
    reached: dict[tuple[str, str], set[str]] = {}
    for entry in study.audit.facts():
        details = entry.get("details")
        if isinstance(details, dict) and "pseudonym" in details and "session" in details:
            if entry["action"] == MOVED:  # her milestones follow the session to its participant
                left = reached.pop((str(details.get("moved_from")), str(details["session"])), set())
                reached[(str(details["pseudonym"]), str(details["session"]))] = left
            milestones = reached.setdefault((str(details["pseudonym"]), str(details["session"])), set())
            if entry["action"] in UNREVIEWS:
                milestones -= {"redaction.reviewed", "export"}
            milestones.add(str(entry["action"]))
    return reached


def _state(folder: Path, folder_files: set[str], milestones: set[str]) -> SessionState:
    if LOCK in folder_files:
        return SessionState.RECORDING if lock_alive(folder / LOCK) else SessionState.INTERRUPTED
    reviewed = "redaction.reviewed" in milestones and REDACTIONS in folder_files
    if "export" in milestones and TRANSCRIPT in folder_files:
        return SessionState.EXPORTED if reviewed else SessionState.EXPORTED_UNREVIEWED
    if reviewed:
        return SessionState.REVIEWED
    if TRANSCRIPT in folder_files:
        return SessionState.TRANSCRIBED
    if AUDIO in folder_files:
        return SessionState.RECORDED
    return SessionState.EMPTY


def _indexed_state(root: Path, key: str, state: str) -> SessionState:
    try:
        return SessionState(state)
    except ValueError:
        raise BadStudyFile(
            f"{root / layout.SESSION_INDEX} is damaged: sessions.{key}.state {state!r} is no state of a session; "
            "make the field kit again"
        ) from None


def overview(study: Study, index: dict[str, IndexedSession] | None = None) -> list[ParticipantSummary]:
    """Every participant and session in the study's folders, with how far each has come; ``index``: the session
    index read already (none, ``{}``, where sessions.json is damaged: the folders are listed, kinds unknown)."""
    from fieldvault.stewardship.lost import recordings_lost  # it imports this module's importers

    reached = _reached(study)
    lost = recordings_lost(study)
    windows = kit_windows(study)
    index = read_index(study.root) if index is None else index
    people = []
    for pseudonym in study.participant_names():
        folder = layout.participant(study.root, pseudonym)
        sessions = []
        for session in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            files = {f.name for f in session.iterdir() if f.is_file()}
            if LOCK not in files and no_session(session, index):
                continue  # no session (QA Z10): exports number it not, and `check` names it
            state = _state(session, files, reached.get((pseudonym, session.name), set()))
            kind = index.get(f"{pseudonym}/{session.name}", IndexedSession()).kind
            only = session.relative_to(study.root).as_posix() in lost
            sessions.append(SessionSummary(pseudonym, session.name, state, kind, transcript_only=only))
        here = {s.session for s in sessions}
        for key, entry in index.items():
            person, _, session_id = key.partition("/")
            if person == pseudonym and session_id not in here and entry.state:
                state = _indexed_state(study.root, key, entry.state)
                sessions.append(SessionSummary(pseudonym, session_id, state, entry.kind, in_study=True))
        order = {session: n for n, session in enumerate(recorded_order((s.session for s in sessions), windows))}
        people.append(ParticipantSummary(pseudonym, _parts(sorted(sessions, key=lambda s: order[s.session]), index)))
    return people


def _parts(sessions: list[SessionSummary], index: dict[str, IndexedSession]) -> tuple[SessionSummary, ...]:
    """Her sessions, each part of an interview resumed after the input was lost numbered (the index says which
    session a part carries on)."""
    first_of = {}
    for s in sessions:
        carries = index.get(f"{s.pseudonym}/{s.session}", IndexedSession()).continues
        first_of[s.session] = carries if carries and carries < s.session else s.session
    parts: dict[str, list[str]] = {}
    for s in sessions:
        parts.setdefault(first_of[s.session], []).append(s.session)
    numbered = {session: n for group in parts.values() if len(group) > 1 for n, session in enumerate(group, 1)}
    return tuple(replace(s, part=numbered.get(s.session, 0)) for s in sessions)
