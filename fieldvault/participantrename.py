"""Rename a participant: her folder (the pseudonym keys every path of hers), the sealed records that name her
inside, the session index; audited with both names and her participant id (pseudonyms are in the log already).

Two women may choose the same pseudonym on two kits, or on a kit and the study, and merge-kit then refuses the
kit (QA F26). On the trusted machine every sealed record that names her (profile, list of names, timelines,
transcripts with their versions and autosave, redactions, field notes, session records) is re-sealed under the
new name, to the same recipients; redactions stay valid (they are bound to the segments' text). A field kit cannot
read what it wrote: it renames her folder and records the rename in its log, and merge-kit accepts her records
sealed under a name the kit's log says she had.

After a crash: on the trusted machine a plan file in her folder (plaintext: the two pseudonyms only) says what was
under way, and running the same rename again finishes it; the plan is taken only where a signed entry written before
it (``BEGUN``) records the rename begun: anyone can write a plan file, and one put in her folder by hand made the
next rename skip the name rule (QA X8). On a kit the log entry is written first, so running it again renames the
folder. Never writes plaintext testimony.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NoReturn

from fieldvault import atomicfile, layout, names, serial, sessionvouch, vouching
from fieldvault.agefile import Identity
from fieldvault.agefile.header import payload_id
from fieldvault.errors import BadInput, BadStudyFile, FieldvaultError, LockedStudy
from fieldvault.participantid import ensure_participant_id, participant_id
from fieldvault.participants import refuse_renamed_away, refuse_stand_in, refuse_withdrawn, renamed_from
from fieldvault.study import Study
from fieldvault.suggested import command

ACTION = "participant.rename"
BEGUN = "participant.rename-begun"  # signed, before her plan file is written: the plan is the study key's
PLAN = layout.RENAMING  # in her folder while a rename on the trusted machine is under way
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class RenamePlan:
    pseudonym: str  # her name before
    to: str
    schema_version: int = SCHEMA_VERSION


@dataclass(frozen=True)
class Renamed:
    pseudonym: str
    to: str
    sessions: int
    resealed: int  # sealed records re-written under the new name (0 on a field kit)
    exported: int  # earlier exports that named her by the old pseudonym
    ignored: tuple[str, ...] = ()  # plan files no signed entry records begun, put there by hand: replaced (QA X8)


def check_rename(study: Study, pseudonym: str, to: str) -> RenamePlan:
    """The rename, each name as stored, or a one-line refusal; changes nothing. A rename cut off by a crash
    (its plan file in her folder, under either name) is the same rename and may be run again."""
    old = names.check_name(pseudonym, "pseudonym")
    new = names.check_name(to, "new pseudonym")
    existing = study.participant_names()
    unfinished = _unfinished(study, old, new)
    if unfinished is not None:
        return unfinished
    current = old if old in existing else names.find_same(old, existing)
    if current is None:
        done = names.find_same(new, existing)
        if done is not None and _renamed_before(study, old, done):
            raise BadInput(f"{old!r} was renamed {done!r} already; nothing to do")
        raise BadInput(f"no participant {old!r} here; `fieldvault` lists the participants")
    if current == new:
        raise BadInput(f"the participant is called {new!r} already; give another new pseudonym")
    others = [name for name in existing if name != current]
    new = refuse_withdrawn(study, refuse_stand_in(names.check_new_name(new, others, "new pseudonym")))
    refuse_renamed_away(study, new, participant_id(layout.participant(study.root, current)))
    return RenamePlan(current, new)


def rename_participant(study: Study, pseudonym: str, to: str, identities: Sequence[Identity]) -> Renamed:
    """Rename her on the trusted machine (``identities`` unlock her records and every list of names the new one
    must not be on); audited; a crash is finished by running it again."""
    from fieldvault.participants import refuse_listed_rename
    from fieldvault.stewardship.inventory import refuse_during_recording

    plan = check_rename(study, pseudonym, to)
    if not identities:
        raise LockedStudy(
            "renaming a participant needs the study key: her profile, timelines and transcripts name her inside "
            "and are re-sealed; give the study passphrase"
        )
    refuse_during_recording(study, "rename a participant")
    ignored = planted_plans(study, plan.pseudonym, plan.to)
    folder = _folder_of(study, plan)
    refuse_listed_rename(study, plan.to, folder.name, identities)
    _refuse_unsealed_or_open(folder)
    _refuse_replaced(study, plan, folder, identities)
    target = layout.participant(study.root, plan.to)
    if folder != target:
        if not (folder / PLAN).is_file() or ignored:  # a plan of this rename cut off before its commit is kept (T20)
            ident = participant_id(folder) or ensure_participant_id(folder)
            study.audit.append(BEGUN, pseudonym=plan.to, moved_from=plan.pseudonym, participant_id=ident)
            atomicfile.replace(folder / PLAN, serial.dumps(plan))
        os.rename(folder, target)  # the commit: from here on her folder has the new name
        atomicfile.sync_folder(target.parent)

    def read(path: Path) -> bytes:
        return study.read(path, identities)

    # what her folder held, by payload id, before any is re-sealed: a backup's copy under the old name is destroyed
    # only if it is one of them (QA V3)
    payloads = " ".join(sorted({found for path in target.rglob("*.age") if (found := payload_id(path))}))
    resealed = sum(_reseal(study, path, change, plan, identities) for path, change in _records(target, read))
    sessions = _sessions(target)
    resealed_files = [target / name for name in (layout.PROFILE, layout.IDENTIFIERS)]
    resealed_files += [s / name for s in _session_folders(target) for name in sessionvouch.FILES]
    _finish(study, plan, target, sessions, vouching.read_back(study, resealed_files, identities), payloads)
    return Renamed(plan.pseudonym, plan.to, len(sessions), resealed, _exports(study, plan.pseudonym), ignored)


def rename_on_kit(kit: Study, pseudonym: str, to: str) -> Renamed:
    """Rename her on a field kit: the log entry first, then her folder and the kit's session index. Her sealed
    records keep the name they were sealed under; merge-kit reads the kit's log and accepts it."""
    plan = check_rename(kit, pseudonym, to)
    folder = layout.participant(kit.root, plan.pseudonym)
    _refuse_unsealed_or_open(folder)
    ident = ensure_participant_id(folder)
    kit.audit.append(ACTION, pseudonym=plan.to, moved_from=plan.pseudonym, participant_id=ident)
    target = layout.participant(kit.root, plan.to)
    os.rename(folder, target)
    atomicfile.sync_folder(target.parent)
    sessions = _sessions(target)
    _move_index(kit, plan, sessions)
    return Renamed(plan.pseudonym, plan.to, len(sessions), 0, 0)


def kit_renames(entries: Iterable[dict[str, object]]) -> dict[str, set[str]]:
    """Name key of each name a kit's participant was renamed to -> the name keys of every name she had before,
    from a kit's audit log (its ``participant.rename`` entries, in order)."""
    earlier: dict[str, set[str]] = {}
    for entry in entries:
        details = entry.get("details")
        if entry.get("action") == ACTION and isinstance(details, dict):
            before = names.name_key(str(details.get("moved_from")))
            after = names.name_key(str(details.get("pseudonym")))
            earlier[after] = earlier.get(after, set()) | {before} | earlier.get(before, set())
    return earlier


# --- helpers ------------------------------------------------------------------------------------------------


def planted_plans(study: Study, old: str, new: str) -> tuple[str, ...]:
    """The plan files in the folders of either name that no signed entry records begun ("participants/Rose/.renaming
    (a rename of 'Rose' to 'IRIS')"): put there by hand, never followed (QA X8)."""
    found = []
    for name in dict.fromkeys((old, new)):
        plan_file = layout.participant(study.root, name) / PLAN
        if plan_file.is_file() and begun_plan(study, plan_file) is None:
            found.append(str(plan_file.relative_to(study.root)) + _said(plan_file))
    return tuple(found)


def plan_said(study: Study, plan_file: Path) -> str:
    """What `check` says of a plan file in her folder: a rename to run again, or one put there by hand (QA X8)."""
    relative = plan_file.relative_to(study.root)
    if begun_plan(study, plan_file) is not None:
        return (
            f"{relative}: a rename of this participant was cut off; run the same `fieldvault participant rename` "
            "again to finish it (it names both pseudonyms)"
        )
    return (
        f"{relative}{_said(plan_file)}: no entry the study key signed records that rename begun: put there by hand "
        f"(by someone who could write the study folder), and followed by nothing; remove it (`rm {plan_file}`)"
    )


def refuse_sealed_for(study: Study, where: Path, sealed: str, folder: Path, by_hand: str) -> NoReturn:
    """BadStudyFile for the record ``where``, sealed for ``sealed``, in the participant folder ``folder`` of another
    name: a rename of her to the folder's name cut off, where a signed entry records it begun (run it again; nothing
    is lost, QA G11); else ``by_hand`` (moved or copied there), with a plan file beside it that no signed entry
    records begun named as `check` names it (QA X8): a plan alone is not a rename."""
    plan_file = folder / PLAN
    plan = begun_plan(study, plan_file) if plan_file.is_file() else None
    if plan is not None and names.same_name(plan.pseudonym, sealed) and names.same_name(plan.to, folder.name):
        raise BadStudyFile(
            f"{where} is still sealed under {sealed}: a rename of {sealed} to {folder.name} was cut off; run "
            f"`{command('participant', 'rename', study.root, sealed, folder.name)}` again to finish it "
            "(nothing is lost)"
        )
    planted = f"; and {plan_said(study, plan_file)}" if plan is None and plan_file.is_file() else ""
    raise BadStudyFile(by_hand + planted)


def _said(plan_file: Path) -> str:
    plan = _read_plan(plan_file)
    return " (not a rename plan)" if plan is None else f" (a rename of {plan.pseudonym!r} to {plan.to!r})"


def _read_plan(plan_file: Path) -> RenamePlan | None:
    try:
        return serial.loads(RenamePlan, plan_file.read_bytes()[:4096], str(plan_file))
    except (FieldvaultError, OSError):
        return None


def begun_plan(study: Study, plan_file: Path) -> RenamePlan | None:
    """The plan in ``plan_file`` where a signed entry records that rename begun and none records it done; else None.
    Without the study key (a name checked before the passphrase is asked) no entry can be told signed: the keyed run
    that follows reads signed entries only."""
    plan = _read_plan(plan_file)
    if plan is None:
        return None
    under_way = False
    for entry in study.audit.facts():
        details = entry.get("details")
        if entry.get("action") in (BEGUN, ACTION) and isinstance(details, dict):
            if (details.get("moved_from"), details.get("pseudonym")) == (plan.pseudonym, plan.to):
                under_way = entry.get("action") == BEGUN
    return plan if under_way else None


def _unfinished(study: Study, old: str, new: str) -> RenamePlan | None:
    for name in (new, old):
        plan_file = layout.participant(study.root, name) / PLAN
        plan = begun_plan(study, plan_file) if plan_file.is_file() else None
        if plan is not None:  # one put there by hand is named by the rename, and the name rule applies (QA X8)
            if names.same_name(plan.pseudonym, old) and names.same_name(plan.to, new):
                return plan
            if not study.audit.keyed:  # a line anyone appended cannot be told from a signed one: the keyed check says
                continue
            raise BadInput(
                f"a rename of {plan.pseudonym!r} to {plan.to!r} was cut off; finish it first "
                f"(`{command('participant', 'rename', study.root, plan.pseudonym, plan.to)}`)"
            )
    return None


def _folder_of(study: Study, plan: RenamePlan) -> Path:
    for name in (plan.pseudonym, plan.to):
        folder = layout.participant(study.root, name)
        if (folder / PLAN).is_file() or (name == plan.pseudonym and folder.is_dir()):
            return folder
    raise BadInput(f"no participant {plan.pseudonym!r} here; `fieldvault` lists the participants")


def _renamed_before(study: Study, old: str, now: str) -> bool:
    return any(details.get("pseudonym") == now for _, details in renamed_from(study, old))


def _refuse_unsealed_or_open(folder: Path) -> None:
    from fieldvault.sessionopen import check_not_open_elsewhere

    for session in _session_folders(folder):
        if (session / layout.LOCK).exists() or (session / layout.EVENTS_JOURNAL).exists():
            raise BadInput(
                f"{folder.name}/{session.name} was cut off or is being recorded, and is not sealed yet: stop the "
                "recording, or run `fieldvault recover` on the trusted machine, then rename her"
            )
        if (session / ".moving").exists():
            raise BadInput(f"{folder.name}/{session.name} is being moved; finish that first, then rename her")
        check_not_open_elsewhere(session)


def _refuse_replaced(study: Study, plan: RenamePlan, folder: Path, identities: Sequence[Identity]) -> None:
    """Refuse, before anything moves, her profile or list that names another woman (in the words a re-seal would
    use) or that the study key does not vouch for as it is: re-sealed under her new name, a forged one would come
    out genuine (QA S14)."""
    for name, change in ((layout.PROFILE, _profile), (layout.IDENTIFIERS, _identifiers)):
        if (folder / name).is_file():
            relative = (folder / name).relative_to(study.root)
            data = study.read(relative, identities)
            change(data, plan)
            vouching.refuse_replaced(study, relative, vouching.digest(data))
    for session in _session_folders(folder):  # QA T11: re-sealed and vouched for, an older copy would be laundered
        sessionvouch.refuse_resealing(study, session, identities, "rename her")


def _session_folders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _sessions(folder: Path) -> list[str]:
    return [p.name for p in _session_folders(folder)]


def _records(folder: Path, read: Callable[[Path], bytes]) -> list[tuple[Path, Callable[[bytes, RenamePlan], bytes]]]:
    """Her sealed records that name her inside, and how each is re-written (``read`` decrypts a session's current
    transcript, which a pending autosave is re-bound to: the autosave comes first, while the transcript is as it
    was edited from, also when a rename cut off after it is run again)."""
    from fieldvault.sessionbinding import session_records
    from fieldvault.transcript_versions import AUTOSAVE, FOLDER

    found: list[tuple[Path, Callable[[bytes, RenamePlan], bytes]]] = []
    if (folder / layout.PROFILE).is_file():
        found.append((folder / layout.PROFILE, _profile))
    if (folder / layout.IDENTIFIERS).is_file():
        found.append((folder / layout.IDENTIFIERS, _identifiers))
    for session in _session_folders(folder):
        if (session / layout.EVENTS).is_file():
            found.append((session / layout.EVENTS, _events))
        autosave = session / FOLDER / AUTOSAVE
        if autosave.is_file() and (session / layout.TRANSCRIPT).is_file():
            found.append((autosave, _autosave(read, session / layout.TRANSCRIPT)))
        transcripts = [
            session / layout.TRANSCRIPT,
            *session.glob("transcript-*.json.age"),
            *(session / FOLDER).glob("*.json.age"),
        ]
        found += [(path, _transcript) for path in sorted(transcripts) if path.is_file() and path != autosave]
        if (session / layout.REDACTIONS).is_file():
            found.append((session / layout.REDACTIONS, _redactions))
        found += [
            (path, _session_info if path.name == layout.SESSION_INFO else _field_note)
            for path in session_records(session)  # they name her too (QA Q4)
        ]
    return found


def _field_note(data: bytes, plan: RenamePlan) -> bytes:
    """Field notes name her and the session (QA Q4); notes written before they did name no one and stay."""
    from fieldvault.memos import bound_note, parse_field_note

    note = parse_field_note(data, "a field note")
    if note.pseudonym is None or note.session is None or not _check_named(note.pseudonym, plan, "field note"):
        return data
    return bound_note(data, "a field note", plan.to, note.session)


def _session_info(data: bytes, plan: RenamePlan) -> bytes:
    from fieldvault.sessioninfo import SessionInfo

    info = SessionInfo.from_json(data, "a session record")
    if info.pseudonym is None or not _check_named(info.pseudonym, plan, "session record"):
        return data
    return replace(info, pseudonym=plan.to).to_json()


def _reseal(
    study: Study,
    path: Path,
    change: Callable[[bytes, RenamePlan], bytes],
    plan: RenamePlan,
    identities: Sequence[Identity],
) -> int:
    """Re-seal one record under the new name (atomically); 0 when it names her so already (a rename run again)."""
    relative = path.relative_to(study.root)
    data = study.read(relative, identities)
    changed = change(data, plan)
    if changed == data:
        return 0
    study.replace(relative, changed)
    return 1


def _check_named(found: str, plan: RenamePlan, what: str) -> bool:
    """Whether the record must be re-sealed to name her by the new name: it names her by any other spelling (the old
    name, or a look-alike of either: compared exactly, a rename to a look-alike of her own name, Rose -> ROSE or
    Róse, left "Rose" inside her profile, list, transcript and redactions, QA W15); refused when it names someone
    else (copied by hand)."""
    if found == plan.to:
        return False
    if not (names.same_name(found, plan.pseudonym) or names.same_name(found, plan.to)):
        raise BadStudyFile(
            f"a {what} in {plan.pseudonym}'s folder is {found}'s: copied there by hand; put it back, then rename again"
        )
    return True


def _profile(data: bytes, plan: RenamePlan) -> bytes:
    from fieldvault.participants import Profile

    old = Profile.from_json(data)  # merge-kit re-sealed one a kit renamed: another name is another woman's (QA H10)
    return replace(old, pseudonym=plan.to).to_json() if _check_named(old.pseudonym, plan, "profile") else data


def _identifiers(data: bytes, plan: RenamePlan) -> bytes:
    """Her list of names she may mention carries her pseudonym (QA H10); one of version 1 names no one and stays."""
    from fieldvault.participants import IdentifierList

    old = IdentifierList.from_json(data)
    if old.pseudonym is None or not _check_named(old.pseudonym, plan, "list of names she may mention"):
        return data
    return replace(old, pseudonym=plan.to).to_json()


def _events(data: bytes, plan: RenamePlan) -> bytes:
    from fieldvault.events import SessionEvents

    old = SessionEvents.from_json(data)  # merge-kit checked it against the kit's log; a kit rename keeps the old name
    return data if old.pseudonym == plan.to else replace(old, pseudonym=plan.to).to_json()


def _transcript(data: bytes, plan: RenamePlan) -> bytes:
    """Her pseudonym, also where a reviewer named the speaker by it (Participant -> Rosa)."""
    from fieldvault.transcript import Transcript

    old = Transcript.from_json(data)
    if not _check_named(old.pseudonym, plan, "transcript"):
        return data
    segments = tuple(replace(s, speaker=plan.to) if s.speaker == plan.pseudonym else s for s in old.segments)
    return replace(old, pseudonym=plan.to, segments=segments).to_json()


def _autosave(read: Callable[[Path], bytes], current: Path) -> Callable[[bytes, RenamePlan], bytes]:
    """The editor's autosave re-sealed as a transcript, and re-bound to her current transcript re-sealed alike, so
    that the editor still offers it back (QA Q10)."""
    from fieldvault.transcript_versions import rebind_autosave

    def change(data: bytes, plan: RenamePlan) -> bytes:
        before = read(current)
        return rebind_autosave(_transcript(data, plan), before, _transcript(before, plan))

    return change


def _redactions(data: bytes, plan: RenamePlan) -> bytes:
    from fieldvault.redact.review import Redactions

    old = Redactions.from_json(data)
    return replace(old, pseudonym=plan.to).to_json() if _check_named(old.pseudonym, plan, "redaction record") else data


def _move_index(study: Study, plan: RenamePlan, sessions: list[str]) -> None:
    from fieldvault.sessioninfo import move_in_index

    for session in sessions:
        move_in_index(study.root, plan.pseudonym, plan.to, session)


def _finish(
    study: Study, plan: RenamePlan, folder: Path, sessions: list[str], resealed: dict[str, bytes], payloads: str
) -> None:
    """``resealed``: {path: payload digest} of her profile and list under the new name, which the entry vouches for;
    ``payloads``: the payload ids of her files before the rename."""
    _move_index(study, plan, sessions)
    ident = participant_id(folder) or ensure_participant_id(folder)
    study.audit.append_vouching(
        ACTION, resealed, pseudonym=plan.to, moved_from=plan.pseudonym, participant_id=ident, payloads=payloads
    )
    (folder / PLAN).unlink(missing_ok=True)
    atomicfile.sync_folder(folder)


def _exports(study: Study, pseudonym: str) -> int:
    return sum(
        1
        for entry in study.audit.entries()
        if entry.get("action") == "export"
        and isinstance(details := entry.get("details"), dict)
        and details.get("pseudonym") == pseudonym
    )
