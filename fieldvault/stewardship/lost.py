"""Sessions the study knows of, whose folder is gone though its audit log never recorded them going: deleted by hand
or lost (QA Q11). The study knows a session from its session index and from its own log's `import` and `record`
entries; `session remove`, a withdrawal, retention, a move or a rename record one gone (stewardship.departures).
Reads the log and the index; never writes, never decrypts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fieldvault import layout
from fieldvault.errors import FieldvaultError
from fieldvault.sessioninfo import read_index
from fieldvault.stewardship.departures import departures
from fieldvault.study import Study
from fieldvault.suggested import shell

_MADE = ("import", "record")  # the study's own entries that made a session (a kit's carried ones name its folders)


def lost_sessions(study: Study) -> list[tuple[str, str]]:
    """(the session's folder relative to the study, what happened and what to do) for each session whose folder is
    gone and whose going the study key never signed: a failure of `check`. Every command that removes a session
    signs its entry, so one only an unsigned entry records gone was deleted by hand and a line appended without the
    passphrase (QA S10: a note only, then a later signed entry's chain covering it, and check passed)."""
    return [
        (folder, f"{UNSIGNED if said_gone else LOST}; if it was not removed on purpose, {restore}")
        for folder, said_gone, restore in _missing(study)
    ]


def lost_recordings(study: Study) -> list[tuple[str, str]]:
    """(the recording relative to the study, what happened and what to do) for each session the study knows of whose
    folder is there but whose recording is gone, or a link, and no entry the study key signed records it destroyed
    (QA V4: `rm` of one `audio.wav.age`, or a link in its place, and `check` passed). A folder gone is
    ``lost_sessions``'s; a recording under way or cut off (its lock or event journal there) is `recover`'s."""
    if study.is_field_kit:
        return []
    entries, _ = study.audit.readable()
    signed = departures(entries, study.audit.vouches)
    backup = _last_backup(entries)
    found = []
    for folder in sorted(_known(study, entries)):
        where = study.root / folder
        if where.is_symlink() or not where.is_dir():
            continue
        if {p.name for p in where.iterdir()} & {layout.LOCK, layout.EVENTS_JOURNAL}:
            continue
        relative = f"{folder}/{layout.AUDIO}"
        audio = study.root / relative
        if audio.is_symlink():
            problem = (
                f"is a link to {os.readlink(audio)!r}, not a recording (a study holds no links): if that is her "
                "recording, put the file itself in its place; otherwise"
            )
        elif audio.exists() or signed.why(relative) is not None:
            continue
        else:
            problem = (
                "is gone, yet the session is listed and the audit log never recorded her recording destroyed "
                "(deleted by hand?); if it was not removed on purpose,"
            )
        found.append((relative, f"{problem} {_restore_file(study, relative, backup)}"))
    return found


def _restore_file(study: Study, relative: str, backup: Path | None) -> str:
    put = str((study.root / relative).parent) + "/"
    if backup is not None and (backup / relative).is_file() and not (backup / relative).is_symlink():
        return f"restore it from the backup: {shell('cp', '-p', backup / relative, put)}"
    return f"restore it from a backup of the study: {shell('cp', '-p', Path('BACKUP', relative), put)}"


LOST = "is gone, yet the session index and the audit log still list it and never recorded it removed (deleted by hand?)"
UNSIGNED = (
    "is gone, and only an audit entry not authenticated with the study key says it went (appended without the "
    "passphrase?)"
)


def _missing(study: Study) -> list[tuple[str, bool, str]]:
    """(folder, whether an unsigned entry says it went, how to restore it) for each session the study knows of whose
    folder is gone and no signed entry records going. A field kit is given the study's index without the sessions
    themselves: nothing is missing there."""
    if study.is_field_kit:
        return []
    entries, _ = study.audit.readable()  # a damaged log is named by the log's own check
    gone, signed = departures(entries), departures(entries, study.audit.vouches)
    backup = _last_backup(entries)
    # a rename cut off after its folder moved: her sessions are under the new name, and check says to run it again
    renaming = any(layout.participants(study.root).glob(f"*/{layout.RENAMING}"))
    missing = []
    for folder in sorted(_known(study, entries)):
        if (study.root / folder).exists() or signed.why(f"{folder}/{layout.AUDIO}") is not None:
            continue
        if renaming and not (study.root / folder).parent.exists():
            continue
        missing.append((folder, gone.why(f"{folder}/{layout.AUDIO}") is not None, _restore(study, folder, backup)))
    return missing


def _known(study: Study, entries: list[dict[str, Any]]) -> set[str]:
    try:
        indexed = set(read_index(study.root))
    except FieldvaultError:
        indexed = set()  # a damaged index is named on its own
    made = {
        f"{details['pseudonym']}/{details['session']}"
        for entry in entries
        if entry.get("action") in _MADE
        and isinstance(details := entry.get("details"), dict)
        and "origin" not in details
        and isinstance(details.get("pseudonym"), str)
        and isinstance(details.get("session"), str)
    }
    return {f"{layout.PARTICIPANTS}/{key}" for key in indexed | made if _plain(key)}


def _plain(key: str) -> bool:
    parts = key.split("/")
    return len(parts) == 2 and all(part and part not in (".", "..") and not part.startswith(".") for part in parts)


def _last_backup(entries: list[dict[str, Any]]) -> Path | None:
    """Where the study's last backup went, as its entry says (relative to where it ran: read from here, if it is)."""
    backups = [e.get("details") for e in entries if e.get("action") == "backup"]
    outs = [details.get("out") for details in backups if isinstance(details, dict)]
    return Path(outs[-1]).absolute() if outs and isinstance(outs[-1], str) else None


def _restore(study: Study, folder: str, backup: Path | None) -> str:
    put = str((study.root / folder).parent) + "/"
    if backup is not None and (backup / folder).is_dir():
        return f"restore it from the backup: {shell('cp', '-a', backup / folder, put)}"
    aside = None if backup is None else backup / layout.AWAITING_AUTHENTICATION / folder
    if aside is not None and aside.is_dir():  # set aside there by a backup without the key (QA T13)
        return f"restore it from the backup, which set it aside: {shell('cp', '-a', aside, put)}"
    return f"restore it from a backup of the study: {shell('cp', '-a', Path('BACKUP', folder), put)}"


def restore_file_hint(study: Study, relative: str) -> str:
    """How to restore the study file ``relative`` from the last backup the log records (or any backup)."""
    return _restore_file(study, relative, _last_backup(study.audit.readable()[0]))
