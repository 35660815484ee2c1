"""Records sealed for one session name their participant (pseudonym) and session inside: transcripts, field notes
(and their drafts) and the session record (kind, consent confirmed again). One found in another session's folder
(moved or copied there by hand, a synced folder, a careless restore) is refused in one line by every reader, never
taken as that session's. Field notes and session records written before they named their session are read where
they lie, and ``bind_where_they_lie`` binds them there once. Never writes plaintext.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fieldvault import layout, names
from fieldvault.agefile import Identity
from fieldvault.errors import LockedStudy
from fieldvault.study import Study

BOUND = "session.records-bound"  # the audit entry of ``bind_where_they_lie``, with the count


def session_of(path: Path) -> Path:
    """The session folder a record lies in (a saved transcript version and the autosave lie in versions/)."""
    return path.parent.parent if path.parent.name == layout.VERSIONS else path.parent


def refuse_elsewhere(study: Study, path: Path, pseudonym: str, session: str, what: str = "") -> None:
    """BadStudyFile when the record at ``path``, sealed for ``pseudonym``'s ``session``, lies in another session's
    folder: a rename cut off (finished by running it again) or a file moved or copied by hand (QA E17, Q4).
    ``what`` names the record before whose it is ("the field notes of "); a transcript is named by the file alone."""
    full = path if path.is_absolute() else study.root / path
    folder = session_of(full)
    if session == folder.name and names.name_key(pseudonym) == names.name_key(folder.parent.name):
        return
    from fieldvault.participantrename import refuse_sealed_for  # it reads this module: import here

    where = full.relative_to(study.root) if full.is_relative_to(study.root) else full
    refuse_sealed_for(
        study,
        where,
        pseudonym,
        folder.parent,
        f"{where} is {what}{pseudonym}'s session {session}, not {folder.parent.name}'s session {folder.name}: it was "
        "moved or copied there by hand; put it back (delete it here if it is a copy) or restore that folder from a "
        "backup",
    )


def session_records(folder: Path) -> list[Path]:
    """A session's field notes (saved, drafts of them being typed, drafts discarded and set aside) and its session
    record: what ``unbound`` and ``bind_where_they_lie`` look at, and what a move or rename re-seals under her new
    name."""
    from fieldvault import drafts
    from fieldvault.memos import note_files

    record = folder / layout.SESSION_INFO
    found = [*note_files(folder), *drafts.found(folder), *drafts.set_aside_in(folder)]
    return [*found, *([record] if record.is_file() and not record.is_symlink() else [])]


def is_bound(study: Study, path: Path, identities: Sequence[Identity]) -> bool:
    """Whether a field note or session record names its session inside (refused when it names another)."""
    from fieldvault.memos import read_field_note
    from fieldvault.sessioninfo import read_session_info

    if path.name == layout.SESSION_INFO:
        return read_session_info(study, path, identities).session is not None
    return read_field_note(study, path, identities).session is not None


def unbound(study: Study, identities: Sequence[Identity]) -> list[Path]:
    """Every field note and session record of the study written before they named their session: one moved into
    another woman's session goes unseen (QA Q4)."""
    return [
        path for folder in _sessions(study) for path in session_records(folder) if not is_bound(study, path, identities)
    ]


def bind_where_they_lie(study: Study, identities: Sequence[Identity]) -> list[Path]:
    """Re-seal every unbound field note and session record bound to the session whose folder holds it, once, on the
    trusted machine with the study key; audited with the count. Run again it finds none and changes nothing. One moved
    before this runs is bound where it lies: nothing inside an unbound record says whose it was."""
    from fieldvault.memos import bound_note
    from fieldvault.sessioninfo import read_session_info

    if study.study_identity(identities) is None:
        raise LockedStudy(
            "binding field notes and session records to their session needs the study identity: give the study "
            "passphrase"
        )
    study.refuse_backup()
    study.use_identities(identities)
    found = unbound(study, identities)
    for path in found:
        folder = path.parent
        if path.name == layout.SESSION_INFO:
            sealed = read_session_info(study, path, identities).sealed_for(folder)
        else:
            sealed = bound_note(study.read(path, identities), str(path), folder.parent.name, folder.name)
        study.replace(path.relative_to(study.root), sealed)
    if found:
        study.audit.append(BOUND, count=len(found))
    return found


def _sessions(study: Study) -> list[Path]:
    return sorted(
        folder
        for folder in layout.participants(study.root).glob("*/*")
        if folder.is_dir() and not folder.is_symlink() and not folder.name.startswith(".")
    )
