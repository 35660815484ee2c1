"""`session remove`: destroy one session (a recording imported twice, or under the wrong woman and kept elsewhere).

`check` fails two sessions imported from one file, and the only ways on were `withdraw` (all of a woman's data) or
moving the copy to the other woman, which made two copies of her interview (QA K5). The folder is first renamed to
``.removing-<session>`` in her folder, out of every reader's sight; its removal goes on the audit log with the
payloads of its files (so merge-kit never brings a field kit's copy back); then every file is shredded and the
session index forgets it. A removal cut off part-way is finished by the next `session remove`, by what its entry
recorded: a ``.removing-`` folder no entry the study key signed names is put back, not destroyed (anyone who can write
the folder could rename a session so, QA X4), and a file in it whose payload the entry did not record is kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fieldvault import atomicfile, layout
from fieldvault.agefile.header import payload_id
from fieldvault.errors import BadInput
from fieldvault.sessioninfo import drop_session
from fieldvault.sessionmove import check_movable
from fieldvault.sessionopen import held_for_move
from fieldvault.stewardship.shred import shred_recorded
from fieldvault.study import Study

PENDING = ".removing-"
ACTION = "session.remove"


@dataclass(frozen=True)
class Removed:
    pseudonym: str
    session: str
    files: int  # files destroyed
    exported: int  # exports that held the session (copies made earlier)
    kept: tuple[str, ...] = ()  # files left in the set-aside folder: not among the payloads its entry recorded
    put_back: bool = False  # no signed entry recorded this removal: the folder was put back as the session


def check_removable(study: Study, pseudonym: str, session: str) -> Path:
    """The folder of a session that may be removed now, or a one-line refusal; changes nothing."""
    if study.is_field_kit:
        raise BadInput(
            "remove a session on the trusted machine that holds the study (merge the kit first); a field kit is "
            "wiped whole"
        )
    return check_movable(study, pseudonym, session)


def remove_session(study: Study, pseudonym: str, session: str) -> Removed:
    """Destroy the session's folder, audited; see the module's docstring."""
    source = check_removable(study, pseudonym, session)
    with held_for_move(source, "remove it"):  # no editor, review or notes screen opens it meanwhile
        pending = source.with_name(PENDING + source.name)
        os.rename(source, pending)
        atomicfile.sync_folder(source.parent)
    exported = sum(
        1
        for entry in study.audit.entries()
        if entry.get("action") == "export"
        and isinstance(details := entry.get("details"), dict)
        and (details.get("pseudonym"), details.get("session")) == (source.parent.name, source.name)
    )
    payloads = {found for path in pending.rglob("*.age") if (found := payload_id(path))}
    files = sum(1 for path in pending.rglob("*") if path.is_file())
    study.audit.append(
        ACTION, pseudonym=source.parent.name, session=source.name, count=files, payloads=" ".join(sorted(payloads))
    )
    return _destroy(study, pending, payloads, exported)


def finish_removals(study: Study) -> list[Removed]:
    """Finish every removal cut off part-way (its folder set aside, recorded, not all destroyed). A set-aside folder
    whose removal no entry records (signed by the study key, where it is in use) is put back as the session where
    that name is free: it was cut off before its entry, or renamed so by hand (QA X4); `check` names one that is
    not free."""
    entries = study.audit.facts()
    recorded: dict[tuple[str, str], set[str]] = {}
    for entry in entries:
        details = entry.get("details")
        if entry.get("action") == ACTION and isinstance(details, dict):
            key = (str(details.get("pseudonym")), str(details.get("session")))
            recorded.setdefault(key, set()).update(str(details.get("payloads", "")).split())
    done = []
    for pending in sorted(layout.participants(study.root).glob(f"*/{PENDING}*")):
        if not pending.is_dir() or pending.is_symlink():
            continue
        pseudonym, session = pending.parent.name, pending.name.removeprefix(PENDING)
        payloads = recorded.get((pseudonym, session))
        if payloads is not None:
            done.append(_destroy(study, pending, payloads, 0))
        elif not (live := pending.with_name(session)).exists():
            os.rename(pending, live)
            atomicfile.sync_folder(pending.parent)
            done.append(Removed(pseudonym, session, 0, 0, put_back=True))
    return done


def _destroy(study: Study, pending: Path, payloads: set[str], exported: int) -> Removed:
    """Shred what the removal's entry recorded in the set-aside folder (and any file that is no whole age file:
    nothing to lose), keep any other file there, and drop the session from the index once the folder is gone."""
    count, kept = shred_recorded(pending, payloads)
    if not kept:
        drop_session(study.root, pending.parent.name, pending.name.removeprefix(PENDING))
    found = tuple(path.relative_to(study.root).as_posix() for path in kept)
    return Removed(pending.parent.name, pending.name.removeprefix(PENDING), count, exported, found)
