"""What a study folder holds, file by file: encrypted data, plaintext study files, and leftovers.

Reads names and the first bytes of files only; never decrypts, never follows a link.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from fieldvault import layout
from fieldvault.audit import TORN
from fieldvault.errors import BadInput
from fieldvault.recording_lock import read_lock
from fieldvault.study import STUDY_TEMPLATES, Study

AGE_MAGIC = b"age-encryption.org/"
ENCRYPTED_FOLDERS = (layout.PARTICIPANTS, layout.JOURNAL)
# The only plaintext a participant folder holds: a random id, and a recorder's pid and host name.
PLAINTEXT = (layout.PARTICIPANT_ID, layout.LOCK)
# What fieldvault writes at a study's or a kit's top level, besides hidden working files (a plan, a marker, a
# leftover) and a torn log line set aside where an entry of the log says so (``torn_set_aside``); anything else was
# put there (an export or a decrypted copy: QA F29 on a kit; on a study, backups copied it in plaintext, unnamed; QA
# V21: a file merely named like a torn line went to every backup). Stray lines set aside from the log
# (fieldvault.auditstrays) count as put there: plaintext anyone could have written, read once and moved out.
TOP_LEVEL = frozenset(
    {
        layout.STUDY_FILE, layout.AUDIT_FILE, layout.AUDIT_KEY, layout.KIT_IMPORTS_KEY, layout.SESSION_INDEX,
        layout.PARTICIPANTS, layout.JOURNAL, layout.KEYS, layout.STUDY_IDENTIFIERS, layout.GUIDE, layout.QUESTIONNAIRE,
        *STUDY_TEMPLATES,
    }
)  # fmt: skip
# Names an interrupted operation leaves behind; each is finished or cleaned by the command that made it.
PENDING_PREFIXES = (
    ".withdrawing-", ".keeping-", ".moving", ".removing-", layout.MERGING, layout.DESTROYING, layout.RENAMING,
    layout.IMPORTING, layout.AWAITING_AUTHENTICATION,
)  # fmt: skip
TEMP_SUFFIXES = (".tmp", ".rewrap", ".recovering", ".backup-tmp")


def walk(root: Path) -> Iterator[Path]:
    """Every entry below ``root`` (files, links, folders), sorted, without following links."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        base = Path(folder)
        for name in sorted(files):
            yield base / name
        for name in dirs:
            if (base / name).is_symlink():
                yield base / name


TORN_PREFIX = f"{layout.AUDIT_FILE}.torn-"  # beside the log: a torn last line set aside (fieldvault.audit)


def torn_set_aside(study: Study) -> frozenset[str]:
    """The files beside the log that an entry of it (``TORN``) says fieldvault set a torn last line aside in, each as
    large as that entry recorded. A damaged log's readable entries count."""
    found = set()
    for entry in study.audit.readable()[0]:
        details = entry.get("details")
        if entry.get("action") != TORN or not isinstance(details, dict):
            continue
        path = study.root / str(details.get("file"))
        if path.is_file() and path.stat().st_size == details.get("bytes"):
            found.add(path.name)
    return frozenset(found)


def put_by_hand(relative: Path, logged: frozenset[str]) -> bool:
    """Whether a path in a study or a kit lies under a top-level name fieldvault never writes (``TOP_LEVEL``), or is
    named like a torn line it sets aside beside the log without being one that ``logged`` (``torn_set_aside``) names."""
    top = relative.parts[0]
    if top.startswith(TORN_PREFIX):
        return relative.as_posix() not in logged
    return not (top in TOP_LEVEL or top.startswith("."))


def misplaced_plaintext(relative: Path, path: Path, logged: frozenset[str]) -> bool:
    """A file that is no age file where only age files belong: under participants/ or journal/ (but her id and a
    recording's lock), or under a top-level name fieldvault never writes (a transcript or a recording someone
    decrypted and put there by hand; ``put_by_hand``). An empty one, a write cut off at once, holds nothing to leak."""
    if path.name in PLAINTEXT or not (relative.parts[0] in ENCRYPTED_FOLDERS or put_by_hand(relative, logged)):
        return False
    with path.open("rb") as stream:
        head = stream.read(len(AGE_MAGIC))
    return bool(head) and head != AGE_MAGIC


def is_leftover(relative: Path) -> bool:
    return any(part.startswith(PENDING_PREFIXES) for part in relative.parts) or relative.name.endswith(TEMP_SUFFIXES)


def data_files(study: Study) -> list[Path]:
    """The files that must be age files encrypted to the study's recipients, whether they are or not:
    everything under participants/ and journal/ and every ``*.age`` outside keys/ (no links, no leftovers).
    """
    found = []
    for path in walk(study.root):
        relative = path.relative_to(study.root)
        if relative.parts[0] == layout.KEYS or path.is_symlink() or is_leftover(relative) or path.name in PLAINTEXT:
            continue
        if relative.parts[0] in ENCRYPTED_FOLDERS or ".age" in path.name:
            found.append(path)
    return found


def live_recordings(study: Study) -> list[Path]:
    """Session folders a recorder on this machine is writing to right now."""
    live = []
    for path in sorted(layout.participants(study.root).glob(f"**/{layout.LOCK}")):
        lock = read_lock(path)
        if lock is not None and (lock.alive or not lock.on_this_machine):  # another machine's: cannot tell
            live.append(path.parent)
    return live


def refuse_during_recording(study: Study, what: str) -> None:
    live = live_recordings(study)
    if live:
        where = live[0].relative_to(study.root)
        raise BadInput(f"a recording is running in {where}; stop it before you {what}")
