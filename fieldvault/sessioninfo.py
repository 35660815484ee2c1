"""What kind of session a recording is (first interview, follow-up, member check) and, for a later
session, that consent was confirmed again.

The record is ``session.json.age`` in the session folder, encrypted like everything else; exports read
it with ``load_session_info``. So that a locked study and a field kit can label sessions without a key,
``sessions.json`` at the study root indexes pseudonym/session -> kind (and, in a kit, the state each
session had reached in the study when the kit was made): pseudonyms, session times and kinds only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from fieldvault import atomicfile, layout, serial
from fieldvault.agefile import Identity
from fieldvault.agefile.sharedheader import SharedHeader
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.sessionbinding import refuse_elsewhere
from fieldvault.study import Study

FILE = layout.SESSION_INFO
INDEX = layout.SESSION_INDEX
SCHEMA_VERSION = 2  # 2: the record names its participant and session (QA Q4); one of version 1 is unbound
INDEX_SCHEMA_VERSION = 1
FIRST, FOLLOW_UP, MEMBER_CHECK = "first", "follow-up", "member-check"
KINDS = {FIRST: "first interview", FOLLOW_UP: "follow-up", MEMBER_CHECK: "member check"}


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise BadInput(f"{kind!r} is not a kind of session; use one of: {', '.join(KINDS)}")
    return kind


@dataclass(frozen=True)
class Reconfirmation:
    """That consent was asked for again at the start of a later session: how, which script, when."""

    method: str
    script_version: str
    given_at: str

    @classmethod
    def verbal(cls, script_version: str, now: datetime) -> Reconfirmation:
        """Her consent confirmed again, verbally, now, with the re-consent script of ``script_version`` read to her
        (the TUI's `r`, `record --reconfirmed`)."""
        return cls("verbal consent confirmed again", script_version, now.isoformat(timespec="seconds"))


@dataclass(frozen=True)
class IndexedSession:
    """What the plaintext index says of one session."""

    kind: str = ""  # "" for a session recorded before kinds existed
    state: str = ""  # in a field kit: the state the session had reached in the study (a SessionState value)
    continues: str = ""  # the session id this one carries on after the input was lost (a part of that interview)


@dataclass(frozen=True)
class SessionIndex:
    """``sessions.json``: pseudonym/session -> IndexedSession. Written with a version from the start."""

    sessions: dict[str, IndexedSession]
    schema_version: int = INDEX_SCHEMA_VERSION


@dataclass(frozen=True)
class SessionInfo:
    kind: str = FIRST
    reconfirmation: Reconfirmation | None = None
    continues: str = ""  # the session id this one carries on after the input was lost, if it does
    split: bool = False  # carried on in a file of its own: a recorder split the recording (``import --continues``)
    # Whose session it is: copied over another's, it lent her a consent confirmed again or a kind she never had (QA
    # Q4). None in a record written before records named their session (schema version 1).
    pseudonym: str | None = None
    session: str | None = None
    schema_version: int = SCHEMA_VERSION

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    def sealed_for(self, folder: Path) -> bytes:
        """The record as sealed in the session ``folder``: naming its participant and session."""
        return replace(self, pseudonym=folder.parent.name, session=folder.name).to_json()

    def to_json(self) -> bytes:
        return serial.padded(self)  # the kind of session by its length: serial.padded

    @classmethod
    def from_json(cls, data: bytes, where: str) -> SessionInfo:
        info = serial.loads(cls, data, where)
        if info.kind not in KINDS:
            raise BadStudyFile(f"{where} names an unknown kind of session {info.kind!r}; restore it from a backup")
        return info


def write_session_info(study: Study, folder: Path, info: SessionInfo, under: SharedHeader | None = None) -> None:
    """Seal the session's record and index its kind; called as the recording starts, sealed under its recorder's
    header (``Recorder.sealing``, named by the kit's `record.start`: qa28 QD9)."""
    study.write_new_under(folder / FILE, info.sealed_for(folder), under)
    index_kind(study.root, folder, info)


def index_kind(root: Path, folder: Path, info: SessionInfo) -> None:
    """Note a session's kind, and the session it carries on if it is a resumed part, in the plaintext index (also
    for sessions merged in from a kit): session ids are in the folder names already."""
    index = read_index(root)
    key = f"{folder.parent.name}/{folder.name}"
    index[key] = IndexedSession(check_kind(info.kind), continues=info.continues)
    _write_index(root, index)


def load_session_info(study: Study, folder: Path, identities: Sequence[Identity]) -> SessionInfo:
    """The session's record; a session recorded before kinds existed is a first interview."""
    if not (folder / FILE).is_file():
        return SessionInfo()
    return read_session_info(study, folder / FILE, identities)


def read_session_info(study: Study, path: Path, identities: Sequence[Identity]) -> SessionInfo:
    """A session record, refused in one line when it names another session than the folder it lies in; one of
    version 1 names none and is read as it is (`check` counts those)."""
    info = SessionInfo.from_json(study.read(path, identities), str(path))
    if info.pseudonym is not None and info.session is not None:
        refuse_elsewhere(study, path, info.pseudonym, info.session, "the session record of ")
    return info


def read_index(root: Path) -> dict[str, IndexedSession]:
    """pseudonym/session -> what the index knows of it; empty when there is no index."""
    path = root / INDEX
    if not path.is_file():
        return {}
    fix = "delete it and the session kinds show as unknown"
    index = serial.loads(SessionIndex, path.read_bytes(), str(path), fix=fix)
    for key, entry in index.sessions.items():
        if entry.kind and entry.kind not in KINDS:
            raise BadStudyFile(f"{path} is damaged: sessions.{key}.kind {entry.kind!r} is no kind of session; {fix}")
    return dict(index.sessions)


def no_session(folder: Path, index: dict[str, IndexedSession]) -> bool:
    """Whether a folder under her name is no session: no session record in ``index`` lists it, and it holds neither a
    recording nor a transcript (QA Z10: an import cut off after it made the folder, before anything went in). Exports
    number no such folder, and `check` names it."""
    listed = f"{folder.parent.name}/{folder.name}" in index
    return not listed and not (folder / layout.AUDIO).exists() and not (folder / layout.TRANSCRIPT).exists()


def _write_index(root: Path, index: dict[str, IndexedSession]) -> None:
    atomicfile.replace(root / INDEX, serial.dumps(SessionIndex(dict(sorted(index.items())))))


def index_for_kit(study: Study, kit_root: Path) -> None:
    """Give a new field kit the study's sessions, their kinds and how far each has come, so the kit
    shows truthfully who was already interviewed, without holding anything it could decrypt."""
    from fieldvault.overview import overview

    index = read_index(study.root)
    for person in overview(study):
        for session in person.sessions:
            key = f"{person.pseudonym}/{session.session}"
            held = index.get(key, IndexedSession())
            index[key] = IndexedSession(held.kind, session.state.value, held.continues)  # its parts shown as parts
    _write_index(kit_root, index)


def move_in_index(root: Path, pseudonym: str, to: str, session: str) -> None:
    """A session moved to another participant takes its kind with it (nothing to do when done already)."""
    index = read_index(root)
    entry = index.pop(f"{pseudonym}/{session}", None)
    if entry is not None:
        index[f"{to}/{session}"] = entry
        _write_index(root, index)


def drop_session(root: Path, pseudonym: str, session: str) -> None:
    """Forget one session in the index (`session remove`)."""
    index = read_index(root)
    if index.pop(f"{pseudonym}/{session}", None) is not None:
        _write_index(root, index)


def drop_from_index(root: Path, pseudonym: str, keep: Sequence[str] = ()) -> None:
    """Forget a withdrawn participant's sessions in the index, except the sessions in ``keep``."""
    index = read_index(root)
    left = {k: v for k, v in index.items() if k.split("/", 1)[0] != pseudonym or k.split("/", 1)[1] in keep}
    if left != index:
        _write_index(root, left)
