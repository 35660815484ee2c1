"""Which of a backup's files the study's audit log records as gone since that backup: destroyed (a withdrawal,
retention, `session remove`) or moved away under another name (`session move`, `participant rename`), and the
working files of finished work (an editor autosave, a draft of field notes or of a journal entry, a recipient
removal's plan, names added with the study locked once on her list: QA V22).

Only these may `backup` destroy in a backup (QA Q11): a file merely missing from the study (a session deleted by
hand, the newer interviews an older copy of the study lacks) is never the study's word that it went. Reads audit
entries and, for a working file the study folds into another (an event journal, the original `recover` kept),
whether that other file is in the study; never writes anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from fieldvault import layout
from fieldvault.agefile.recovery import KEPT_ORIGINAL
from fieldvault.beside import ADDED, FOLDED, LOST
from fieldvault.drafts import REMOVED as DRAFT_REMOVED
from fieldvault.drafts import is_draft
from fieldvault.overview import MOVED as SESSION_MOVE
from fieldvault.participantrename import ACTION as PARTICIPANT_RENAME
from fieldvault.reseal import SUFFIX as RESEALING
from fieldvault.sessionremove import ACTION as SESSION_REMOVE
from fieldvault.stewardship.rewrap import DONE as REWRAP_DONE
from fieldvault.stewardship.rewrap import PLAN as REWRAP_PLAN
from fieldvault.transcript_versions import AUTOSAVE, AUTOSAVE_DISCARDED

WITHDRAW = "withdraw"
RETENTION = "retention.destroy"
REMOVAL_DONE = "keys.remove-recipient.done"  # the plan and progress of a removal, at the study's root, go with it
# Entries after which a session's editor autosave is gone on purpose: a save replaces it, a discard drops it.
_AUTOSAVE_ENDS = frozenset({"transcript.saved", AUTOSAVE_DISCARDED})


@dataclass(frozen=True)
class Departure:
    """What the log says of a file gone: the words that say why, the hash of the entry that says it, and whether the
    study key confirmed that entry's mac (False: this process, without the key, cannot check it; QA T13)."""

    said: str
    entry: str
    checked: bool
    # What the entry records of the files it took, for telling one of them from another file put in a place it names
    # (QA V3): the payload ids of those it destroyed or moved (None: it records none, written by an older fieldvault
    # or by a command that never did), and where a move took them ((old, new) prefix).
    payloads: frozenset[str] | None = None
    moved: tuple[str, str] | None = None


@dataclass(frozen=True)
class DraftRemoval:
    """A `draft.removed` entry, as a backup weighs it: the payload id of the copy it removed, whether the study key
    signed it (True: a mac that holds; None: a mac this process, without the key, cannot check; False: none, or a
    wrong one), and the hash of the entry."""

    payload: str
    signed: bool | None
    said: str
    entry: str = ""


DESTROY, KEEP, AWAIT = "destroy", "keep", "await"  # how a backup weighs its copy of a draft the log records removed
# What the study holds of a draft's copy, beside where it lay (a save or a discard renames it as it is sealed): its
# very content (HELD); a file that claims its payload and does not hold its content (DISPUTED); one that claims it,
# which only the key can compare (UNSURE: not the same bytes, a re-wrap or a forgery); or nothing.
HELD, DISPUTED, UNSURE, NOTHING = "held", "disputed", "unsure", "nothing"


@dataclass(frozen=True)
class DraftVerdict:
    """A backup's copy of a draft weighed: DESTROY, KEEP or AWAIT (set aside until a run with the key), the words
    that say why, and the hash of the entry it waits on (AWAIT)."""

    verdict: str
    said: str
    entry: str = ""


@dataclass(frozen=True)
class Departures:
    """Folders and files (relative to the study, "/"-separated; a folder ends in "/") that the log records as gone,
    each with the words that say why; and the drafts it records removed, each weighed on its own (``draft``)."""

    gone: Mapping[str, Departure]
    drafts: Mapping[str, tuple[DraftRemoval, ...]] = field(default_factory=dict)

    def why(self, relative: str, study_has: Iterable[str] = ()) -> str | None:
        """Why the study's log says ``relative`` went, or None when it says nothing of it. ``study_has``: the study's
        files, for a working file it folds into another (an event journal into the session's timeline; the original
        `recover` kept beside the whole file it made, which `check` says to delete once satisfied)."""
        said = self.departure(relative)
        if said is not None:
            return said.said
        parts = PurePosixPath(relative).parts
        has = set(study_has)
        if layout.EVENTS_JOURNAL in parts[:-1] and len(parts) > 3:
            sealed = "/".join((*parts[: parts.index(layout.EVENTS_JOURNAL)], layout.EVENTS))
            if sealed in has:
                return "its event journal was sealed into the session's timeline"
        if relative.endswith(KEPT_ORIGINAL) and relative.removesuffix(KEPT_ORIGINAL) in has:
            return "the damaged original `recover` kept beside the file it made whole"
        if relative.endswith(RESEALING) and relative.removesuffix(RESEALING) in has:
            return "a re-seal's copy, written while the backup ran and renamed over the recording since"
        return None

    def departure(self, relative: str) -> Departure | None:
        """The entry that records ``relative`` gone (the innermost folder or file it names), or None."""
        parts = PurePosixPath(relative).parts
        for n in range(len(parts), 0, -1):
            prefix = "/".join(parts[:n]) + ("" if n == len(parts) else "/")
            if prefix in self.gone:
                return self.gone[prefix]
        return None

    def draft(self, relative: str, payload: str | None, study_holds: Callable[[str], str]) -> DraftVerdict | None:
        """How the log's `draft.removed` entries weigh the backup's copy of the draft at ``relative`` (payload id
        ``payload``); None where no entry names it. Only an entry that records that very copy removed counts, and
        only if the study key signed it or the study holds that copy's content under another name (``study_holds
        (payload)``; a save or a discard renames the draft as it is sealed). A line anyone can append, with the draft
        deleted by hand, would otherwise take the only copy of notes a crash kept (QA S11); a file beside that
        merely claims the copy's payload id, which anyone reads in its header, never vouches for it and stops even a
        signed entry (QA T14); and what only the key could settle (a mac, a file's content) waits for it (T13)."""
        removals = self.drafts.get(relative, ())
        if not removals:
            return None
        same = [r for r in removals if payload and r.payload == payload]
        if not same and not any(r.payload for r in removals):
            return DraftVerdict(KEEP, f"{removals[-1].said} does not say which copy of the draft it removed")
        if not same:
            return DraftVerdict(
                KEEP, f"{removals[-1].said} records another copy of the draft removed, not the backup's"
            )
        held = study_holds(str(payload))
        if held == DISPUTED:
            return DraftVerdict(
                KEEP,
                f"a file beside it claims that copy's payload yet does not hold its notes (forged, or damaged?), so "
                f"{same[-1].said} cannot be followed",
            )
        if held == HELD or any(r.signed for r in same):
            return DraftVerdict(DESTROY, same[0].said)
        waits = [r for r in same if r.signed is None or held == UNSURE]
        if waits:
            return DraftVerdict(AWAIT, waits[0].said, waits[0].entry)
        return DraftVerdict(
            KEEP, f"{same[-1].said} is not signed with the study key, and the study holds no notes saved from it"
        )


def departures(
    entries: Iterable[dict[str, Any]], vouched: Callable[[dict[str, Any]], bool | None] = lambda entry: True
) -> Departures:
    """What ``entries`` (the study's log since the backup's last copy of it) record as gone. Only an entry the study
    key vouched for (``vouched``: AuditLog.vouches) is believed: every command that destroys or moves asks for the
    passphrase and signs its entry, while a line appended without it (someone with the folder and no passphrase,
    after deleting her session by hand) would make the backup destroy its copy too (QA R9). Without the key a
    signed-looking entry (None) is recorded unchecked (``Departure.checked``): a backup sets aside what only such an
    entry records gone, and `backup --authenticate` checks its mac (QA T13: a made-up mac is a line anyone types)."""
    gone: dict[str, Departure] = {}
    drafts: dict[str, tuple[DraftRemoval, ...]] = {}
    for entry in entries:
        details = entry.get("details")
        if not isinstance(details, dict):
            continue
        said = f"{entry.get('action')} on {str(entry.get('time', ''))[:10]} in the study's audit log"
        vouches = vouched(entry)
        if entry.get("action") == DRAFT_REMOVED:  # unsigned too (a kit, a study opened locked): weighed per copy
            removal = DraftRemoval(str(details.get("payloads") or ""), vouches, said, str(entry.get("hash", "")))
            for path in gone_by(DRAFT_REMOVED, details):
                drafts[path] = (*drafts.get(path, ()), removal)
            continue
        if vouches is False:
            continue
        payloads = frozenset(str(details["payloads"]).split()) if "payloads" in details else None
        moved = _moved_to(str(entry.get("action")), details)
        for prefix in gone_by(str(entry.get("action")), details):
            where = None if moved is None else (prefix, moved)
            gone.setdefault(prefix, Departure(said, str(entry.get("hash", "")), vouches is True, payloads, where))
    return Departures(gone, drafts)


def _moved_to(action: str, details: dict[str, Any]) -> str | None:
    """Where a `session move` or a `participant rename` put the folder it records gone: its new prefix."""
    if action == SESSION_MOVE:
        return _prefix(layout.PARTICIPANTS, details.get("pseudonym"), details.get("session"))
    if action == PARTICIPANT_RENAME:
        return _prefix(layout.PARTICIPANTS, details.get("pseudonym"))
    return None


def _prefix(*names: object) -> str | None:
    parts = [str(n) for n in names]
    return None if any(not p or "/" in p or p in (".", "..") for p in parts) else "/".join(parts) + "/"


def gone_by(action: str, details: dict[str, Any]) -> list[str]:
    def folder(*names: object) -> list[str]:
        return [] if (prefix := _prefix(*names)) is None else [prefix]

    pseudonym, session = details.get("pseudonym"), details.get("session")
    if action == WITHDRAW:
        return folder(layout.PARTICIPANTS, pseudonym)
    if action == PARTICIPANT_RENAME:  # her folder took the new name: the old one is gone
        return folder(layout.PARTICIPANTS, details.get("moved_from"))
    if action == SESSION_REMOVE:
        return folder(layout.PARTICIPANTS, pseudonym, session)
    if action == SESSION_MOVE:  # the session went to another participant's folder, re-sealed
        return folder(layout.PARTICIPANTS, details.get("moved_from"), session)
    if action == RETENTION and pseudonym is not None:  # a session's audio, past its time after review
        return [p + str(details.get("file")) for p in folder(layout.PARTICIPANTS, pseudonym, session)]
    if action == RETENTION:  # the end of retention: every participant's data, the journal, the lists, the index
        names = [name.strip() for name in str(details.get("file", "")).split(",")]
        return [name + ("/" if name in (layout.PARTICIPANTS, layout.JOURNAL) else "") for name in names if name]
    if action == REMOVAL_DONE:
        return [REWRAP_PLAN, REWRAP_DONE]
    if action in _AUTOSAVE_ENDS:
        return [p + f"{layout.VERSIONS}/{AUTOSAVE}" for p in folder(layout.PARTICIPANTS, pseudonym, session)]
    if action == FOLDED and details.get("reason") != LOST:  # names added with the study locked, now on her list
        file = PurePosixPath(str(details.get("file", "")))
        parts = file.parts
        listed = len(parts) == 3 and parts[0] == layout.PARTICIPANTS and ADDED.fullmatch(parts[2]) is not None
        return [str(file)] if listed and folder(*parts[:2]) else []
    if action == DRAFT_REMOVED:  # saved or discarded: a session's draft of field notes, or the journal's
        where = folder(layout.PARTICIPANTS, pseudonym, session) if pseudonym is not None else [f"{layout.JOURNAL}/"]
        drafts = [p + str(details.get("file")) for p in where]
        return [d for d in drafts if is_draft(PurePosixPath(d))]
    return []
