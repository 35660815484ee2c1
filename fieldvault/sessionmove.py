"""Move a session recorded under the wrong participant to the participant it belongs to.

Everything keyed to the pseudonym follows the session: its folder (the audio moves as it is, never re-encrypted),
the sealed records that name the pseudonym inside (timeline, transcript with every version and the autosave,
redactions, field notes and the session record: re-sealed to the same recipients), its kind in
the session index, and an audit entry. Known identifiers differ per participant, so the redactions are
marked stale: they are proposed again from her list, earlier decisions offered only as suggestions, and the
session is unreviewed until a person reviews it again.

All or nothing: a signed entry says the move begins, the re-sealed records are staged in a hidden folder inside the
session, the session folder is renamed into the other participant's folder in one step (the commit), then the staged
records replace the old ones. A crash before the rename leaves the session where it was; after it, where it goes, and
``finish_moves`` (run when the study is next unlocked with the study key, so its entry is signed: QA Y4) completes
the rest, for a move whose begin the key signed only (QA Y9: a staging folder anyone can plant). Never on a field kit,
which cannot re-seal what it cannot read, nor while the session is open in an editor, review or notes screen of
another fieldvault (``sessionopen``). Never writes plaintext.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fieldvault import atomicfile, layout, names, serial, sessionvouch
from fieldvault.agefile import Identity
from fieldvault.agefile.header import payload_id
from fieldvault.errors import BadInput, BadStudyFile, FieldvaultError, LockedStudy, UnfinishedMove, describe_os_error
from fieldvault.overview import MOVED as ACTION
from fieldvault.sessionopen import check_not_open_elsewhere, held_for_move
from fieldvault.study import Study
from fieldvault.suggested import command, shell

UNDONE = "session.move-undone"  # a move cut off before its commit, undone when the study was next unlocked
# Signed before the staging folder is made: a move cut off part-way is finished (or undone) only where this names it, so
# a `.moving/` planted in her session (no passphrase) is never taken for one (QA Y9's rest, Y3's rule)
BEGUN = "session.move-begun"
STAGING = ".moving"  # in the session folder while it moves; backups and checks pass it by
PLAN = "plan.json"  # in STAGING, written last, for a person reading the folder: the finisher goes by BEGUN
FILES = "files"  # in STAGING: the re-sealed records, at their paths relative to the session folder
LOCK = "lock"  # in STAGING: flock()ed by the process moving the session, so no other finishes it meanwhile
# Stored in place of the transcript hash the redactions were made on: it matches no transcript, so the spans
# are proposed again (from the new participant's identifiers) before anything is exported or reviewed.
STALE = "stale: the session moved from another participant"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class MovePlan:
    """What a staged move does: signed in its ``BEGUN`` entry, by which a crash is finished or undone."""

    pseudonym: str  # the participant the session was recorded under
    to: str  # the participant it belongs to
    session: str
    schema_version: int = SCHEMA_VERSION


@dataclass(frozen=True)
class Moved:
    pseudonym: str
    to: str
    session: str
    resealed: int  # sealed records re-written with the new pseudonym
    had_transcript: bool  # then it is unreviewed now, its identifiers proposed again from her list
    exported: int  # exports that held it under the wrong pseudonym
    parts: tuple[str, ...] = ()  # her other sessions of the same interview (resumed after a lost input), left behind


def check_movable(study: Study, pseudonym: str, session: str) -> Path:
    """The folder of a session that may move now, or a one-line refusal; changes nothing."""
    from fieldvault.participants import session_folder
    from fieldvault.stewardship.inventory import refuse_during_recording

    if study.is_field_kit:
        raise LockedStudy(
            "a field kit cannot move a session: its sealed timeline names the participant, and a kit cannot "
            "re-seal what it cannot read; merge the kit (`fieldvault merge-kit`), then move it on the trusted machine"
        )
    source = session_folder(study, pseudonym, session)
    refuse_during_recording(study, "move a session")
    if (source / layout.LOCK).exists() or (source / layout.EVENTS_JOURNAL).exists():
        raise BadInput(
            f"{source.parent.name}/{source.name} was cut off and is not sealed yet: run `fieldvault recover` first"
        )
    check_not_open_elsewhere(source)  # in the editor, review or notes screen of another window
    return source


def check_move(study: Study, pseudonym: str, session: str, to: str) -> MovePlan:
    """The move, with every name as stored, or a one-line refusal; changes nothing."""
    from fieldvault.participants import participant_folder

    source = check_movable(study, pseudonym, session)
    target = participant_folder(study, to)
    if target == source.parent:
        raise BadInput(f"session {source.name} is {target.name}'s already; name the participant it belongs to")
    if (target / source.name).exists():
        raise BadInput(
            f"{target.name} has a session {source.name} already (started in the same second); nothing was moved"
        )
    return MovePlan(source.parent.name, target.name, source.name)


def move_session(study: Study, pseudonym: str, session: str, to: str, identities: Sequence[Identity]) -> Moved:
    """Move the session of ``pseudonym`` to ``to``; audited; all or nothing (see the module's docstring)."""
    finish_moves(study)
    plan = check_move(study, pseudonym, session, to)
    if not identities:
        raise LockedStudy(
            "moving a session needs the study key: her timeline and transcript name the participant inside "
            "and are re-sealed; give the study passphrase"
        )
    source = layout.session(study.root, plan.pseudonym, plan.session)
    with held_for_move(source):  # no editor, review or notes screen opens it until the move has ended
        return _move(study, plan, source, identities)


def _move(study: Study, plan: MovePlan, source: Path, identities: Sequence[Identity]) -> Moved:
    target = layout.session(study.root, plan.to, plan.session)
    exported = _exports(study, plan)
    parts = _parts(study, source, identities)
    if (source / STAGING).exists():  # finish_moves left it: another process is moving this session right now
        raise BadInput(f"{plan.pseudonym}/{plan.session} is being moved already; nothing was changed")
    study.audit.append(BEGUN, pseudonym=plan.to, session=plan.session, moved_from=plan.pseudonym)  # as ACTION
    try:
        (source / STAGING).mkdir(mode=atomicfile.DIR_MODE)
    except FileExistsError:  # another process began moving this session in between
        raise BadInput(f"{plan.pseudonym}/{plan.session} is being moved already; nothing was changed") from None
    with _held(source / STAGING) as held:
        try:
            if not held:  # made just now, yet locked or gone: another move of it began in between
                raise BadInput(f"{plan.pseudonym}/{plan.session} is being moved already; nothing was changed")
            sessionvouch.refuse_resealing(study, source, identities, "move it")  # QA T11
            resealed, vouched = _stage(study, source, plan, identities)
            if target.exists():  # a session of that name appeared meanwhile: rename would replace an empty folder
                raise BadInput(f"{plan.to} has a session {plan.session} already; nothing was moved")
        except BaseException as err:
            shutil.rmtree(source / STAGING, ignore_errors=True)
            _not_moved(study, plan)
            if isinstance(err, OSError):
                raise BadInput(
                    f"{plan.pseudonym}/{plan.session} could not be moved ({_os_problem(err)}); nothing was moved"
                ) from None
            raise
        try:
            os.rename(source, target)  # the commit: from here on the session is hers
        except OSError as err:
            if source.exists() or not target.exists():  # not committed (the usual case): undone here and now
                shutil.rmtree(source / STAGING, ignore_errors=True)
                _not_moved(study, plan)
                raise BadInput(
                    f"{plan.pseudonym}/{plan.session} could not be moved ({_os_problem(err)}); nothing was moved"
                ) from None
        try:
            atomicfile.sync_folder(target.parent)
            atomicfile.sync_folder(source.parent)
            _finish(study, target, plan, vouched)
        except OSError as err:  # committed: what is left is staged, and the next unlock of the study finishes it
            raise UnfinishedMove(
                f"session {plan.session} is {plan.to}'s now, but finishing the move failed ({_os_problem(err)}); "
                "nothing is lost: run any fieldvault command on the study again with the passphrase "
                f"(`{command('check', study.root)}`) to finish it"
            ) from None
    transcribed = (target / layout.TRANSCRIPT).is_file()
    return Moved(plan.pseudonym, plan.to, plan.session, resealed, transcribed, exported, parts)


def move_interview(
    study: Study, pseudonym: str, session: str, to: str, identities: Sequence[Identity]
) -> tuple[Moved, ...]:
    """Move the session and the other parts of its interview (resumed after a lost input), first part first,
    each as ``move_session`` does. Every part is checked before the first moves, so a refusal then changes
    nothing; one that fails later (another window opened it in between) says which parts went and which
    did not, and why."""
    finish_moves(study)
    plan = check_move(study, pseudonym, session, to)
    names = sorted((plan.session, *other_parts(study, plan.pseudonym, plan.session, identities)))
    for name in names:
        check_move(study, plan.pseudonym, name, plan.to)
    moved: list[Moved] = []
    for name in names:
        try:
            moved.append(move_session(study, plan.pseudonym, name, plan.to, identities))
        except FieldvaultError as err:
            if not moved:
                raise
            went = ", ".join(m.session for m in moved)
            raise BadInput(f"moved {went} to {plan.to}, but not {name}: {err}") from None
    return tuple(moved)


def _not_moved(study: Study, plan: MovePlan) -> None:
    """On the record: the move begun (``BEGUN``) ended before its commit, its staging dropped; no staging folder in the
    session is taken for it from now on."""
    study.audit.append(UNDONE, pseudonym=plan.pseudonym, session=plan.session, reason="refused before it moved")


def other_parts(study: Study, pseudonym: str, session: str, identities: Sequence[Identity]) -> tuple[str, ...]:
    """The participant's other sessions of the same interview as ``session`` (see ``_parts``)."""
    return _parts(study, layout.session(study.root, pseudonym, session), identities)


def _os_problem(err: OSError) -> str:
    return describe_os_error(err) or f"{err.strerror or err}{f': {err.filename}' if err.filename else ''}"


def _held(staging: Path) -> contextlib.AbstractContextManager[bool]:
    """The staging folder's lock, taken without waiting: True while this process holds it, False when another
    process (a move under way) does, or the mover finished (or undid) it meanwhile."""
    return atomicfile.held_alone(staging / LOCK, os.O_RDWR | os.O_CREAT)


def _parts(study: Study, folder: Path, identities: Sequence[Identity]) -> tuple[str, ...]:
    """The participant's other sessions of the same interview: a recording resumed after a lost input goes
    on in a new session that names the first (``continues``). ``move_session`` moves one and names the others;
    ``move_interview`` moves them all."""
    from fieldvault.sessioninfo import load_session_info

    first: dict[str, str] = {}  # session -> the first session of its interview
    for session in folder.parent.iterdir():
        if session.is_dir() and not session.name.startswith("."):
            record = session / layout.SESSION_INFO
            continues = load_session_info(study, session, identities).continues if record.is_file() else ""
            first[session.name] = continues or session.name
    return tuple(sorted(n for n, f in first.items() if f == first[folder.name] and n != folder.name))


def _exports(study: Study, plan: MovePlan) -> int:
    """How many exports held the session under the pseudonym it leaves."""
    return sum(
        1
        for entry in study.audit.entries()
        if entry.get("action") == "export"
        and isinstance(details := entry.get("details"), dict)
        and (details.get("pseudonym"), details.get("session")) == (plan.pseudonym, plan.session)
    )


def _stage(study: Study, source: Path, plan: MovePlan, identities: Sequence[Identity]) -> tuple[int, dict[str, bytes]]:
    """Write the re-sealed records into the staging folder, the plan last; returns how many, and what the move's
    entry vouches for of them where they will lie (her transcript and redactions: QA T11)."""
    staging = source / STAGING
    target = layout.session(study.root, plan.to, plan.session)
    count, vouched = 0, dict[str, bytes]()
    for relative, change in _records(source, lambda path: study.read(path, identities)):
        data = change(study.read(source / relative, identities), plan)
        study.write_new(staging / FILES / relative, data)
        if str(relative) in sessionvouch.FILES:
            vouched |= sessionvouch.payload(study, target / relative, data)
        count += 1
    atomicfile.make_dirs(staging)
    atomicfile.write_new(staging / PLAN, serial.dumps(plan))
    return count, vouched


def _records(folder: Path, read: Callable[[Path], bytes]) -> list[tuple[Path, Callable[[bytes, MovePlan], bytes]]]:
    """The session's sealed records that name the participant inside, and how each is re-written (``read``
    decrypts the current transcript, which a pending autosave is re-bound to)."""
    found: list[tuple[Path, Callable[[bytes, MovePlan], bytes]]] = []
    if (folder / layout.EVENTS).is_file():
        found.append((Path(layout.EVENTS), _events))
    from fieldvault.transcript_versions import AUTOSAVE, FOLDER

    # The current transcript, the ones an earlier transcription left (transcript-<time>), every saved version
    # and the editor's autosave.
    for path in [folder / layout.TRANSCRIPT, *sorted(folder.glob("transcript-*.json.age"))]:
        if path.is_file():
            found.append((path.relative_to(folder), _transcript))
    for path in sorted((folder / FOLDER).glob("*.json.age")):
        if path.name == AUTOSAVE and (folder / layout.TRANSCRIPT).is_file():
            found.append((path.relative_to(folder), _autosave(read, folder / layout.TRANSCRIPT)))
        else:
            found.append((path.relative_to(folder), _transcript))
    if (folder / layout.REDACTIONS).is_file():
        found.append((Path(layout.REDACTIONS), _redactions))
    from fieldvault.sessionbinding import session_records

    for path in session_records(folder):  # field notes and the session record name her too (QA Q4)
        found.append((path.relative_to(folder), _field_note if path.name != layout.SESSION_INFO else _session_info))
    return found


def _field_note(data: bytes, plan: MovePlan) -> bytes:
    from fieldvault.memos import bound_note, parse_field_note

    note = parse_field_note(data, "a field note")
    if note.pseudonym is None or note.session is None:
        return data  # written before notes named their session: it moves as it is, and `check` counts it
    _refuse_anothers(note.pseudonym, plan, "field notes")
    return bound_note(data, "a field note", plan.to, note.session)


def _session_info(data: bytes, plan: MovePlan) -> bytes:
    from fieldvault.sessioninfo import SessionInfo

    info = SessionInfo.from_json(data, "a session record")
    if info.pseudonym is None or info.session is None:
        return data
    _refuse_anothers(info.pseudonym, plan, "session record")
    return replace(info, pseudonym=plan.to).to_json()


def _refuse_anothers(sealed: str, plan: MovePlan, what: str) -> None:
    """Never re-stamp another woman's record as the one this session moves to (QA E17, Q4)."""
    if names.name_key(sealed) != names.name_key(plan.pseudonym):
        raise BadStudyFile(f"a {what} of {plan.pseudonym}'s session is {sealed}'s: copied there by hand")


def _events(data: bytes, plan: MovePlan) -> bytes:
    from fieldvault.events import SessionEvents

    return replace(SessionEvents.from_json(data), pseudonym=plan.to).to_json()


def _transcript(data: bytes, plan: MovePlan) -> bytes:
    """Her pseudonym, also where a reviewer named the speaker by it (Participant -> Rosa)."""
    from fieldvault.transcript import Transcript

    old = Transcript.from_json(data)
    _refuse_anothers(old.pseudonym, plan, "transcript")
    segments = tuple(replace(s, speaker=plan.to) if s.speaker == plan.pseudonym else s for s in old.segments)
    return replace(old, pseudonym=plan.to, segments=segments).to_json()


def _autosave(read: Callable[[Path], bytes], current: Path) -> Callable[[bytes, MovePlan], bytes]:
    """The editor's autosave re-sealed as a transcript, and re-bound to the current transcript re-sealed alike, so
    that the editor still offers it back (QA Q10)."""
    from fieldvault.transcript_versions import rebind_autosave

    def change(data: bytes, plan: MovePlan) -> bytes:
        before = read(current)
        return rebind_autosave(_transcript(data, plan), before, _transcript(before, plan))

    return change


def _redactions(data: bytes, plan: MovePlan) -> bytes:
    from fieldvault.redact.review import Redactions

    old = Redactions.from_json(data)
    return replace(old, pseudonym=plan.to, transcript_sha256=STALE, reviewed_by=None, reviewed_at=None).to_json()


# --- finishing a move after a crash ----------------------------------------------------------------


def finish_moves(study: Study) -> list[str]:
    """Complete or undo every move a crash interrupted whose begin the study key signed (``begun``); returns
    "pseudonym/session" of each one finished. Run with the study key only (``Study.use_identities``), so the entry it
    writes is signed (QA Y4). A staging folder no such move left is used for nothing and destroys nothing: one that
    holds no file but a move's plan and lock (a move cut off after its entry) is removed, any other left as it is and
    named (QA Y9's rest: a planted plan made any command put its staged files over her records)."""
    finished = []
    for staging in sorted(layout.participants(study.root).glob(f"*/*/{STAGING}")):
        with _held(staging) as held:  # a move under way in another process is left to it
            if not held:
                continue
            plan = begun(study, staging.parent)
            if plan is not None:
                if _finish(study, staging.parent, plan):
                    finished.append(f"{staging.parent.parent.name}/{staging.parent.name}")
            elif all(path.is_dir() or path.name in (PLAN, LOCK) for path in staging.rglob("*")):
                shutil.rmtree(staging)
            else:
                study.tell_once(
                    f"{staging.relative_to(study.root).as_posix()}: no move the study key signed began there, so "
                    "nothing of it was used or destroyed (put there by hand?), and the session's own files are as they "
                    f"were: move out what it holds, then delete it ({shell('rm', '-r', staging)})"
                )
    return finished


def begun(study: Study, folder: Path) -> MovePlan | None:
    """The move of the session ``folder`` whose begin the study key signed and which has not ended since (moved or
    undone, as entries it signed say), with ``folder`` where it began or where it goes; None where there is none
    (always without the key)."""
    open_moves: dict[str, MovePlan] = {}  # by the participant each was recorded under
    for entry in study.audit.signed():
        details = entry.get("details")
        if not isinstance(details, dict) or details.get("session") != folder.name:
            continue
        if entry.get("action") == BEGUN:
            source = str(details.get("moved_from"))
            open_moves[source] = MovePlan(source, str(details.get("pseudonym")), folder.name)
        elif entry.get("action") == ACTION:
            open_moves.pop(str(details.get("moved_from")), None)
        elif entry.get("action") == UNDONE:
            open_moves.pop(str(details.get("pseudonym")), None)
    return next((plan for plan in open_moves.values() if folder.parent.name in (plan.pseudonym, plan.to)), None)


def _finish(study: Study, folder: Path, plan: MovePlan, vouched: dict[str, bytes] | None = None) -> bool:
    """Put the staged records in place if the folder was renamed (the commit happened), else drop them. ``vouched``:
    what the entry vouches for (none when a later command finishes it: the next unlock vouches for them as they are)."""
    from fieldvault.sessioninfo import move_in_index

    staging = folder / STAGING
    if folder.parent.name != plan.to:
        shutil.rmtree(staging)  # staged but never committed: the session stays where it was
        where = f"{folder.parent.name}/{folder.name}"
        study.audit.append(UNDONE, pseudonym=folder.parent.name, session=folder.name, reason="cut off before it moved")
        study.tell(
            f"a move of {where} to {plan.to} was cut off before the session moved: undone, the session stays with "
            f"{folder.parent.name}; run `fieldvault session move` again to move it"
        )
        return False
    files = staging / FILES
    # the encryptions the move replaces, by payload id: a backup's copy at the old place is destroyed only if it is
    # one of them (QA V3: another file put in its place is kept)
    payloads = " ".join(sorted({found for path in folder.rglob("*.age") if (found := payload_id(path))}))
    # a move re-seals her records and nothing else: a file staged beside them (her recording planted in a `.moving/`
    # by hand, QA Y9) never replaces what the session holds
    records = {relative for relative, _ in _records(folder, lambda path: b"")}
    left = []
    for staged in sorted(p for p in files.rglob("*") if p.is_file()):
        relative = staged.relative_to(files)
        if relative in records:
            os.replace(staged, folder / relative)
        else:
            left.append(str(relative))
    if left:
        study.tell(
            f"{folder.parent.name}/{folder.name}: a move's staging held {', '.join(left)}, which no move writes (put "
            "there by hand?): left out, and the session's own kept"
        )
    for changed in {folder, folder / "versions"}:
        if changed.is_dir():
            atomicfile.sync_folder(changed)
    move_in_index(study.root, plan.pseudonym, plan.to, plan.session)
    study.audit.append_vouching(
        ACTION, vouched or {}, pseudonym=plan.to, session=plan.session, moved_from=plan.pseudonym, payloads=payloads
    )
    shutil.rmtree(staging)
    return True


def moved_unreviewed(study: Study, pseudonyms: Sequence[str], identities: Sequence[Identity]) -> dict[str, str]:
    """ "pseudonym/session" -> the participant it moved from, for each moved session whose redactions were not
    proposed again since (still ``STALE``): its earlier decisions are carried over because of the move."""
    from fieldvault.redact.review import Redactions

    moved = {(to, session): source for (source, session), to in moved_sessions(study).items()}
    found = {}
    for pseudonym in pseudonyms:
        for path in layout.participant(study.root, pseudonym).glob(f"*/{layout.REDACTIONS}"):
            source = moved.get((pseudonym, path.parent.name))
            if (
                source is not None
                and Redactions.from_json(study.read(path, identities), str(path)).transcript_sha256 == STALE
            ):
                found[f"{pseudonym}/{path.parent.name}"] = source
    return found


def moved_sessions(study: Study) -> dict[tuple[str, str], str]:
    """(pseudonym, session) -> the participant each moved session went to, from the audit log (latest wins; with the
    study key in use, moves it signed: a line anyone appended made merge-kit leave her follow-up out, QA X3)."""
    moved: dict[tuple[str, str], str] = {}
    for entry in study.audit.facts():
        details = entry.get("details")
        if entry.get("action") == ACTION and isinstance(details, dict):
            session = str(details.get("session"))
            moved[(str(details.get("moved_from")), session)] = str(details.get("pseudonym"))
            moved.pop((str(details.get("pseudonym")), session), None)  # moved back: it is there again
    return moved


def where_now(moved: dict[tuple[str, str], str], pseudonym: str, session: str) -> str | None:
    """The participant a session of ``pseudonym`` went to (following later moves; ``moved`` from
    ``moved_sessions``), or None when it was never moved away or came back."""
    seen = {pseudonym}
    current = pseudonym
    while (current, session) in moved:
        current = moved[(current, session)]
        if current in seen:
            break
        seen.add(current)
    return None if current == pseudonym else current
