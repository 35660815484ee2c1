"""`session remove`: destroy one session (a recording imported twice, or under the wrong woman and kept elsewhere).

`check` fails two sessions imported from one file, and the only ways on were `withdraw` (all of a woman's data) or
moving the copy to the other woman, which made two copies of her interview (QA K5). The folder is first renamed to
``.removing-<session>`` in her folder, out of every reader's sight; its removal goes on the audit log with the
payloads of its files (so merge-kit never brings a field kit's copy back); then every file is shredded and the
session index forgets it. A removal cut off part-way is finished by the next `session remove`.
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
from fieldvault.stewardship.shred import shred_tree
from fieldvault.study import Study

PENDING = ".removing-"
ACTION = "session.remove"


@dataclass(frozen=True)
class Removed:
    pseudonym: str
    session: str
    files: int  # files destroyed
    exported: int  # exports that held the session (copies made earlier)


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
    return Removed(source.parent.name, source.name, _destroy(study, pending), exported)


def finish_removals(study: Study) -> list[Removed]:
    """Finish every removal cut off part-way (its folder set aside, not all destroyed)."""
    done = []
    for pending in sorted(layout.participants(study.root).glob(f"*/{PENDING}*")):
        if pending.is_dir() and not pending.is_symlink():
            session = pending.name.removeprefix(PENDING)
            done.append(Removed(pending.parent.name, session, _destroy(study, pending), 0))
    return done


def _destroy(study: Study, pending: Path) -> int:
    """Record the removal (once, also across a kill), shred the set-aside folder, and drop it from the index."""
    pseudonym, session = pending.parent.name, pending.name.removeprefix(PENDING)
    recorded = any(
        entry.get("action") == ACTION and (entry.get("details") or {}).get("session") == session
        and (entry.get("details") or {}).get("pseudonym") == pseudonym
        for entry in study.audit.entries()
    )  # fmt: skip
    if not recorded:
        payloads = sorted(found for path in pending.rglob("*.age") if (found := payload_id(path)))
        files = sum(1 for path in pending.rglob("*") if path.is_file())
        study.audit.append(ACTION, pseudonym=pseudonym, session=session, count=files, payloads=" ".join(payloads))
    count = shred_tree(pending)
    drop_session(study.root, pseudonym, session)
    return count
