"""A participant's withdrawal: every file of hers destroyed, or only her reviewed, de-identified
transcripts kept where the information letter allows it.

Her folder is first renamed to an anonymous pending name, so she leaves every listing, export and
sample at once; an interrupted withdrawal is finished by the next one. The audit log records the
withdrawal by pseudonym and counts only, and lists the earlier exports and decrypted copies that held
her data, so the PI can ask whoever holds them to delete them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from fieldvault import atomicfile, importstaging, layout, names, sessionvouch, vouching, withdrawnhere
from fieldvault.agefile import Identity
from fieldvault.agefile.header import payload_id
from fieldvault.audiofile import imported_sources, source_mac
from fieldvault.errors import BadInput, FieldvaultError, RefusedSubstitute
from fieldvault.export.records import SessionRecord
from fieldvault.layout import PARTICIPANTS
from fieldvault.participantid import participant_id
from fieldvault.participants import IdentifierList, KnownIdentifier, known_identifiers, load_profile, study_list
from fieldvault.plaintext import DECRYPT_FAILED
from fieldvault.recording_lock import pid_alive
from fieldvault.sessioninfo import drop_from_index
from fieldvault.sessionmove import moved_sessions, where_now
from fieldvault.sessionopen import held_for_move
from fieldvault.stewardship.backup import BACKUP_ACTIONS
from fieldvault.stewardship.inventory import refuse_during_recording
from fieldvault.stewardship.shred import shred_recorded, shred_tree
from fieldvault.study import Study
from fieldvault.suggested import command, shell
from fieldvault.transcript import KEPT_AS, Marker, Segment, read_transcript
from fieldvault.withdrawals import IMPORTS
from fieldvault.withdrawals import Withdrawal as WithdrawalEntry


@dataclass(frozen=True)
class EarlierCopy:
    """An export or a decrypted file that held some of her data, from the audit log."""

    time: str
    actor: str
    action: str  # export or decrypt
    out: str
    format: str
    sessions: tuple[str, ...]


@dataclass(frozen=True)
class Withdrawal:
    pseudonym: str
    files_destroyed: int
    sessions_destroyed: int
    kept: tuple[str, ...]  # sessions whose de-identified transcript stays
    earlier_copies: tuple[EarlierCopy, ...]
    names_kept: int = 0  # names on her list the others' words mention, moved to the study's list (QA J11)


def find_participant(study: Study, typed: str) -> str:
    """The stored pseudonym the user typed (case and look-alike letters aside), or BadInput."""
    found = names.find_same(typed.strip(), study.participant_names())
    if found is not None:
        return found
    raise BadInput(f"no participant {typed!r} in this study; `fieldvault open` lists them")


def earlier_copies(study: Study, pseudonym: str, before: int | None = None) -> list[EarlierCopy]:
    """Exports and decrypted files (not to the screen) that held her data, oldest first (those the log records before
    its entry ``before``, where given)."""
    copies: list[EarlierCopy] = []
    summary: dict[str, object] | None = None
    remaining = 0
    own_folder = f"{PARTICIPANTS}/{pseudonym}/"
    moved = moved_sessions(study)  # her sessions first recorded, and maybe exported, under another pseudonym
    came = {key for key in moved if where_now(moved, *key) == pseudonym}
    for entry in map(_as_done, study.audit.entries()):
        if before is not None and int(str(entry.get("seq", 0))) >= before:
            break
        details = entry.get("details")
        if not isinstance(details, dict):
            continue
        if entry.get("action") == "export" and "out" in details:
            summary, remaining = entry, int(details.get("count", 0))
            continue
        if entry.get("action") == "export" and summary is not None and remaining > 0:
            remaining -= 1
            if details.get("pseudonym") == pseudonym or (details.get("pseudonym"), details.get("session")) in came:
                _add_export(copies, summary, str(details.get("session", "")))
            continue
        summary = None
        if entry.get("action") == DECRYPT_FAILED:  # that copy was never left (QA QD11): not one to ask back
            failed = (
                "decrypt",
                str(details.get("out")),
                (str(details.get("file", ""))[len(own_folder) :].split("/")[0],),
            )
            made = [n for n, c in enumerate(copies) if (c.action, c.out, c.sessions) == failed]
            if made:
                del copies[made[-1]]
            continue
        if entry.get("action") == "decrypt" and str(details.get("file", "")).startswith(own_folder):
            if details.get("out") not in (None, "-"):
                copies.append(
                    EarlierCopy(
                        str(entry["time"]), str(entry["actor"]), "decrypt", str(details["out"]), "plaintext",
                        (str(details["file"])[len(own_folder) :].split("/")[0],),
                    )
                )  # fmt: skip
    return copies


def _as_done(entry: dict[str, object]) -> dict[str, object]:
    """An entry a command run on a backup wrote in the backup's log, taken into the study's (or one restored from a
    backup), as the command it records: when, by whom and what, as that log says (QA K12: her profile decrypted and a
    docx exported on a backup were left out of the copies to ask back)."""
    details = entry.get("details")
    if entry.get("action") not in BACKUP_ACTIONS or not isinstance(details, dict) or "origin_action" not in details:
        return entry
    return {
        **entry,
        "action": details["origin_action"],
        "time": details.get("origin_time", entry.get("time")),
        "actor": details.get("origin_actor", entry.get("actor")),
    }


def _add_export(copies: list[EarlierCopy], summary: dict[str, object], session: str) -> None:
    details = summary["details"]
    assert isinstance(details, dict)
    same = [c for c in copies if c.action == "export" and c.time == summary["time"] and c.out == details["out"]]
    if same:
        copies[copies.index(same[0])] = replace(same[0], sessions=(*same[0].sessions, session))
        return
    copies.append(
        EarlierCopy(
            str(summary["time"]), str(summary["actor"]), "export", str(details["out"]), str(details.get("format", "")),
            (session,),
        )
    )  # fmt: skip


def finish_interrupted(study: Study) -> int:
    """Finish what an interrupted withdrawal left under a pending name (run when the study is unlocked with the study
    key, as an interrupted move is finished: QA E14, Y3): what a `--keep-deidentified` one staged to keep is put in
    her folder's place, and what it set aside is destroyed; returns files destroyed. A withdrawal under way in another
    process holds her folder (or its pending folder) and is left to it."""
    folder = study.root / PARTICIPANTS
    count = _sweep_merges(study)
    for staging in sorted(folder.glob(".keeping-*")):
        _put_kept_in_place(study, staging)
    for pending in sorted(folder.glob(".withdrawing-*")):
        started = _started(study, pending.name)  # a withdrawal records its pending name before it renames her folder
        if started is None:
            _tell_not_set_aside(study, pending)
            continue
        with _destroying(pending) as ours:
            if not ours:
                continue
            destroyed, kept = shred_recorded(pending, set(str(started.entry["details"].get("payloads", "")).split()))
            count += destroyed
            if kept:  # her folder renamed by hand to the pending name of a withdrawal the log shows (QA Y3)
                study.tell_once(
                    f"{PARTICIPANTS}/{pending.name}: {len(kept)} file(s) there are none the withdrawal that set it "
                    "aside recorded (renamed so by hand?): kept, not destroyed; if it holds a participant's folder, "
                    f"put it back: {shell('mv', pending, folder / 'PSEUDONYM')}"
                )
            else:
                _finish(study, started, destroyed)
    _finish_unrecorded(study)
    return count


def _finish(study: Study, started: WithdrawalEntry, destroyed: int) -> None:
    """Record a withdrawal cut off part-way as done, after the earlier copies it had not logged yet (cut off between its
    entry and theirs, they were never logged), and say them: the withdrawal prints them only once done, so a PI whose
    withdrawal was cut off never saw whom to ask to delete a copy (keep23's K=15..21)."""
    seq = int(started.entry.get("seq", 0))
    copies = earlier_copies(study, started.pseudonym, before=seq)
    logged = sum(
        1 for entry in study.audit.entries()
        if int(entry.get("seq", 0)) > seq and entry.get("action") == "withdraw.earlier-copy"
        and isinstance(entry.get("details"), dict) and entry["details"].get("pseudonym") == started.pseudonym
    )  # fmt: skip
    for copy in copies[logged:]:
        study.audit.append("withdraw.earlier-copy", pseudonym=started.pseudonym, out=copy.out, format=copy.format)
    destroyed += _dead_exports(copies)
    study.audit.append("withdraw.done", pseudonym=started.pseudonym, count=destroyed)
    if copies:
        listed = "; ".join(f"{copy.time}  {copy.actor}  {copy.action} ({copy.format})  {copy.out}" for copy in copies)
        study.tell_once(
            f"{PARTICIPANTS}/{started.pseudonym}: her withdrawal (audit entry {seq}) is finished; copies made earlier "
            f"held her data, ask whoever holds them to delete them: {listed}"
        )


def _finish_unrecorded(study: Study) -> None:
    """A `--keep-deidentified` withdrawal cut off after it destroyed her set-aside folder, before its `withdraw.done`:
    nothing pending was left to finish, and the same withdrawal again withdrew her kept records a second time
    (keep23's K=50). Where her folder holds only what it kept and neither folder it named is left, it is done."""
    last = {w.pseudonym: w for w in study.withdrawals()}
    for started in last.values():
        her = study.root / PARTICIPANTS / started.pseudonym
        if not _set_aside_gone(study, started) or not her.is_dir() or _not_pending(her) or _finished(study, started):
            continue
        with _destroying(her) as ours:  # held by the withdrawal itself until it is done
            if ours:
                _finish(study, started, 0)


def _tell_not_set_aside(study: Study, pending: Path) -> None:
    study.tell_once(
        f"{PARTICIPANTS}/{pending.name}: no withdrawal set it aside, so nothing of it was destroyed (renamed by "
        f"hand?); if it holds a participant's folder, put it back: mv {pending} {pending.parent}/PSEUDONYM"
    )


def _put_kept_in_place(study: Study, staging: Path) -> None:
    """Finish a `--keep-deidentified` withdrawal cut off after its signed entry, before what it staged to keep took
    her folder's place: her folder is set aside under the entry's pending name (destroyed next, only what the entry
    recorded) and the staged de-identified records, vouched for by that entry, take its place (QA Z6: they were
    destroyed, her folder stayed, check called it "copied from an older backup" for ever and the same withdrawal
    again found nothing reviewed to keep). A staging folder whose withdrawal finished (its `withdraw.done` logged) is
    spent: one of that name holds what someone put there since, kept and named (QA Z15: her kept transcript moved
    under that name, read off the plaintext log, was shredded at the next unlock)."""
    started = _started(study, staging.name)
    if started is None:
        _drop_copy_cut_off(study, staging)
        return
    if _not_pending(staging):
        _tell_not_set_aside(study, staging)
        return
    her = staging.with_name(started.pseudonym)
    if _finished(study, started):
        if _only_empty_folders(staging):  # as the mv it named left it
            return
        back = "; ".join(_put_back(staging / session.name, her / session.name) for session in sorted(staging.iterdir()))
        study.tell_once(
            f"{PARTICIPANTS}/{staging.name}: {started.pseudonym}'s withdrawal that staged her kept records there "
            f"finished (audit entry {started.entry.get('seq')}), so what it holds was put there since (by hand?): "
            f"kept, not destroyed; if these are her kept records, put them back: {back}"
        )
        return
    pending = staging.with_name(started.pending)
    held = next((found for found in (her, pending) if found.is_dir()), staging)
    with _destroying(held) as ours:
        if not ours:
            return  # the withdrawal is still under way in another fieldvault
        if her.is_dir() and not pending.exists() and (participant_id(her) or "") == started.participant_id:
            _set_aside(her, pending)
        if her.exists():
            study.tell_once(
                f"{PARTICIPANTS}/{staging.name}: staged by {started.pseudonym}'s withdrawal (audit entry "
                f"{started.entry.get('seq')}), cut off; {PARTICIPANTS}/{started.pseudonym} is not the folder it set "
                "aside (put there by hand?): both left as they are"
            )
            return
        staging.rename(her)
        atomicfile.sync_folder(her.parent)
        drop_from_index(study.root, started.pseudonym, tuple(session.name for session in her.iterdir()))
    study.tell_once(
        f"{PARTICIPANTS}/{started.pseudonym}: her withdrawal (audit entry {started.entry.get('seq')}) was cut off "
        "part-way and is finished now: her de-identified transcripts are kept, as it recorded, and the rest destroyed"
    )


def _drop_copy_cut_off(study: Study, staging: Path) -> None:
    """Destroy the de-identified copy a `--keep-deidentified` withdrawal cut off before its entry staged (nothing of
    hers was destroyed: check FAILED the copy for ever, QA Z6's rest), where that is all it holds: a transcript and its
    redactions per session (or the temporary file of one), files no entry of the log records, each beside its original
    still in place in her folder (not set aside yet), the one participant whose sessions bear those names (session
    names are times: two women's may be the same). Anything else (her review moved there by hand) is left, and said."""
    recorded = importstaging.recorded_payloads(study)
    staged = [path for path in staging.rglob("*") if not path.is_dir()]
    sessions = {path.name for path in staging.iterdir()}
    bearing = {p for p in staging.parent.iterdir() if not p.name.startswith(".") and sessions & _sessions_in(p)}
    hers = next(iter(bearing)) if len(bearing) == 1 else None
    if (
        _not_pending(staging)
        or (staged and hers is None)
        or any(payload_id(path) in recorded for path in staged)
        or (hers is not None and not all((hers / path.parent.name / _original(path.name)).is_file() for path in staged))
    ):
        _tell_not_set_aside(study, staging)
        return
    with _destroying(staging) as ours:
        if not ours:
            return  # the withdrawal is writing it now
        shred_tree(staging)
    study.tell_once(
        f"{PARTICIPANTS}/{staging.name}: the de-identified copy a withdrawal{f' of {hers.name}' if hers else ''} "
        "staged there was destroyed: it was cut off before it was recorded, so nothing else was destroyed and her "
        "records are as they were; withdraw her again if she still wants to withdraw"
    )


def _original(name: str) -> str:
    """The file a staged one is a copy of: itself, or the one its temporary file (".NAME.PID.tmp") was written for."""
    return name[1:].rsplit(".", 2)[0] if name.endswith(".tmp") else name


def _sessions_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_dir()} if folder.is_dir() and not folder.is_symlink() else set()


def _only_empty_folders(found: Path) -> bool:
    """Remove ``found`` where it holds only empty folders (nothing to keep); whether it did."""
    try:
        for folder in (*sorted(found.rglob("*"), key=lambda path: -len(path.parts)), found):
            folder.rmdir()  # refused (OSError) for a file, a link or a folder not empty
    except OSError:
        return False
    atomicfile.sync_folder(found.parent)
    return True


def _put_back(moved: Path, to: Path) -> str:
    if not to.is_dir():
        return shell("mv", moved, to.parent)
    return shell("mv", *sorted(moved.iterdir()), to)


def _finished(study: Study, started: WithdrawalEntry) -> bool:
    """Whether the withdrawal ``started`` records has its `withdraw.done` in the log (a forged one only keeps)."""
    seq = int(started.entry.get("seq", 0))
    return any(
        int(entry.get("seq", 0)) > seq and entry.get("action") == "withdraw.done"
        and isinstance(entry.get("details"), dict) and entry["details"].get("pseudonym") == started.pseudonym
        for entry in study.audit.entries()
    )  # fmt: skip


def _sweep_merges(study: Study) -> int:
    """Destroy what a merge-kit killed part-way staged (QA E22: a withdrawn woman's recording stayed there, decryptable,
    and went to every backup): only the files its signed entry recorded staging there; one whose merge still runs is
    left to it, and anything else is left as it is, and said (QA Y3, Z11: her files moved there were shredded)."""
    count = 0
    for staging in sorted(study.root.glob(f"{layout.MERGING}-*")):
        pid = staging.name.removeprefix(f"{layout.MERGING}-")
        if not staging.is_dir() or staging.is_symlink() or (pid.isdigit() and pid_alive(int(pid))):
            continue
        recorded = _staged_by_a_merge(study, staging.name) if pid.isdigit() else None
        if recorded is None:
            destroyed, kept = 0, [path for path in staging.rglob("*") if not path.is_dir()]
            if not kept:
                shred_tree(staging)  # folders only: nothing to lose
        else:
            destroyed, kept = shred_recorded(staging, recorded)
        count += destroyed
        if kept:
            back = _merge_put_back(study, staging)
            study.tell_once(
                f"{staging.name}: named as a merge-kit's staging folder, yet {len(kept)} file(s) there are none a "
                "signed entry of a merge records staging there (moved there by hand, or left by a merge cut off "
                f"before merges recorded it): kept, not destroyed; put back what is hers: {back}"
            )
    return count


def _merge_put_back(study: Study, staging: Path) -> str:
    """How what a merge's staging folder keeps goes back: the folder itself where it is a participant's (it holds her
    profile), each session folder into hers, each loose file where `check` finds it missing (QA AA3: one `mv` of the
    folder, said of files named 1, 2, 3, would have made a participant called PSEUDONYM of them)."""
    if (staging / layout.PROFILE).is_file():
        return f"her folder, with {shell('mv', staging, study.root / PARTICIPANTS / 'PSEUDONYM')} (her pseudonym)"
    ways = [
        f"{shell('mv', folder, study.root / PARTICIPANTS / 'PSEUDONYM' / folder.name)} (her pseudonym)"
        for folder in sorted(staging.iterdir())
        if folder.is_dir() and not folder.is_symlink()
    ]
    if any(not path.is_dir() for path in staging.iterdir()):
        ways.append(f"each file in it to the place `{command('check', study.root)}` finds it missing from")
    return "; ".join(ways)


def _staged_by_a_merge(study: Study, name: str) -> set[str] | None:
    """The payload ids the merge-kit that staged under ``name`` and was cut off recorded, by its signed entry; None
    where none did, or where a merge of that kit was recorded since (a merge's folder name is in the plaintext log:
    another file with a payload it staged, a file it merged, moved there by hand, is hers now)."""
    found: set[str] | None = None
    kit = None
    for entry in study.audit.signed():
        details = entry.get("details") or {}
        if entry.get("action") == layout.MERGE_STAGED and details.get("file") == name:
            found, kit = set(str(details.get("payloads", "")).split()), details.get("kit")
        elif entry.get("action") == "field-kit.merged" and kit is not None and details.get("kit") == kit:
            found = kit = None
    return found


def _not_pending(found: Path) -> bool:
    """Whether ``found``, named by a signed withdrawal entry, is yet no folder it left: a `.keeping-` one (the
    de-identified records staged to keep: a transcript and its redactions in each session's folder) holding anything
    else. Her folder or a session renamed so by hand (no passphrase; the log that names it is plaintext) was shredded
    by the next command of any kind (QA Y3)."""
    return any(
        path.is_symlink() or (path.is_dir() != (len(path.relative_to(found).parts) == 1))
        or (path.is_file() and not _staged_name(path.name))
        for path in found.rglob("*")
    )  # fmt: skip


def _staged_name(name: str) -> bool:
    """A transcript or its redactions, or the temporary file of one cut off while written (".NAME.PID.tmp")."""
    staged = (layout.TRANSCRIPT, layout.REDACTIONS)
    return name in staged or (name.endswith(".tmp") and name.rsplit(".", 2)[0] in {f".{n}" for n in staged})


def _started(study: Study, pending: str) -> WithdrawalEntry | None:
    """The withdrawal that set her folder aside under ``pending``, or staged what it keeps there, by its audit entry
    (the last, if two named it)."""
    return next(
        (w for w in reversed(study.withdrawals()) if pending in (w.pending, w.entry["details"].get("pending"))), None
    )


def _destroying(pending: Path) -> contextlib.AbstractContextManager[bool]:
    """A pending folder's lock (on the folder itself, so it stays with it through the rename), taken without
    waiting: True while this process holds it; False when another process (the withdrawal that set it aside,
    still destroying) does, or it is gone."""
    return atomicfile.held_alone(pending, os.O_RDONLY | os.O_DIRECTORY)


def _record(
    study: Study,
    identities: Sequence[Identity],
    pseudonym: str,
    sessions: int,
    kept: int,
    copies: list[EarlierCopy],
    pending: str,
    keeping: str = "",
    vouched: dict[str, bytes] | None = None,
) -> None:
    """The withdrawal's entry, before her folder is set aside under ``pending`` (``keeping``: the folder her
    de-identified transcripts were staged in), each destroyed after a crash only where this entry, signed, names it
    (QA Y3)."""
    folder = layout.participant(study.root, pseudonym)
    ident = participant_id(folder)
    ids = {"participant_id": ident} if ident else {}
    # The files her imported recordings came from, keyed with the study key: the one still on the recorder's card is
    # never imported again (QA K4). They need the key (`withdraw` from the CLI and the TUI always has it).
    macs = {mac for _, source in imported_sources(study, _session_folders(folder), identities)
            if (mac := source_mac(study, identities, source))}  # fmt: skip
    ids |= {IMPORTS: " ".join(sorted(macs))} if macs else {}
    # Which encrypted files are destroyed, by payload (no content, no name): a copy of one on a field kit (an old
    # backup or synced copy put into another participant's session) never merges back (QA E3).
    payloads = " ".join(sorted({found for path in folder.rglob("*.age") if (found := payload_id(path))}))
    # ``vouched``: the de-identified records she agreed to keep, where they will lie, vouched for before anything is
    # destroyed: a withdrawal cut off while it shreds leaves them as the study key's, not as files nobody recorded that
    # check would send the PI to restore from a backup holding her identifiable originals (QA Z6)
    study.audit.append_vouching(
        "withdraw", vouched or {}, pseudonym=pseudonym, sessions=sessions, kept=kept, count=len(copies),
        payloads=payloads, file=pending, **ids, **({"pending": keeping} if keeping else {}),
    )  # fmt: skip
    if ident:  # an older copy of the study restored here brings her back: refused (QA K6). After the entry: cut off
        # between the two, this computer took her folder, still whole and with no withdrawal logged, for one put back
        # and refused it for ever, and the same withdrawal again (QA Z6's rest); the next keyed command remembers it.
        withdrawnhere.remember(study, {ident: study.clock().isoformat()[:10]})
    for copy in copies:
        study.audit.append("withdraw.earlier-copy", pseudonym=pseudonym, out=copy.out, format=copy.format)


def _sessions(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _session_folders(folder: Path) -> list[Path]:
    return [folder / session for session in _sessions(folder)]


def withdraw(study: Study, typed: str, identities: Sequence[Identity] = ()) -> Withdrawal:
    """Destroy every file of hers; no key is needed to destroy (with it, the names on her list that the others'
    words mention move to the study's list first: ``keep_names_others_mention``)."""
    pseudonym = _prepare(study, typed)
    folder = study.root / PARTICIPANTS / pseudonym
    sessions = _sessions(folder)
    kept_names = keep_names_others_mention(study, pseudonym, identities) if identities else 0
    copies = earlier_copies(study, pseudonym)
    pending = _pending(folder)
    with _destroying(folder) as ours:  # held until her folder is gone: nothing else destroys it meanwhile
        if not ours:
            raise BadInput(f"{pseudonym} is being withdrawn by another fieldvault; let it finish")
        with _closed_everywhere(folder, sessions):
            _record(study, identities, pseudonym, len(sessions), 0, copies, pending.name)
            _set_aside(folder, pending)
        drop_from_index(study.root, pseudonym)
        destroyed = shred_tree(pending) + _dead_exports(copies)
    study.audit.append("withdraw.done", pseudonym=pseudonym, count=destroyed)
    return Withdrawal(pseudonym, destroyed, len(sessions), (), tuple(copies), kept_names)


def keep_names_others_mention(study: Study, pseudonym: str, identities: Sequence[Identity]) -> int:
    """QA J11: her list is destroyed with her, and it was what scrubbed the names on it (a friend, a shelter, a
    street the detector does not know) from the other women's transcripts, answers and notes and the journal: after
    a withdrawal they went out in clear. Each name of hers that those words mention is moved to the study's list
    first. Keeping it keeps nothing of hers the study does not hold already (the others' words hold the name); a name
    no one else mentions goes with her. Returns how many names moved; audited by count only."""
    from fieldvault import journal, memos
    from fieldvault.export.scrub import Scrubber
    from fieldvault.redact.known import forms

    own = Path(PARTICIPANTS, pseudonym) / layout.IDENTIFIERS
    if not (study.root / own).is_file():
        return 0
    held = study_list(study, identities)
    listed = {
        k: Scrubber((form, "\0") for form in forms(k))
        for k in known_identifiers(study, pseudonym, identities)
        if k not in held
    }
    if not listed:
        return 0
    texts: list[str] = []

    def read(what: Callable[..., list[str]], *args: object) -> None:
        with contextlib.suppress(FieldvaultError):  # a damaged file never stops a withdrawal; `check` names it
            texts.extend(what(*args))

    read(lambda: [e.text for e in journal.list_entries(study, identities)])
    for other in study.participant_names():
        if other == pseudonym:
            continue
        read(lambda name: _answers(load_profile(study, name, identities).answers.values()), other)
        for session in sorted(p for p in (study.root / PARTICIPANTS / other).iterdir() if p.is_dir()):
            if (session / layout.TRANSCRIPT).is_file():
                read(
                    lambda path: [x.text for x in read_transcript(study, path, identities).segments],
                    session / layout.TRANSCRIPT,
                )
            read(lambda folder: [n.text for n in memos.field_notes(study, folder, identities)], session)
            read(lambda folder: [n.text for n in memos.recording_notes(study, folder, identities)], session)
    mentioned = [k for k, scrub in listed.items() if any(scrub(text) != text for text in texts)]
    if mentioned:
        merged = IdentifierList(tuple(held) + tuple(KnownIdentifier(k.text, k.label) for k in mentioned)).to_json()
        files = {layout.STUDY_IDENTIFIERS: merged}  # the entry vouching for it first, then the rename (QA U8)
        vouching.seal_vouched(study, "withdraw.names-kept", files, pseudonym=pseudonym, count=len(mentioned))
    return len(mentioned)


def _answers(values: Iterable[object]) -> list[str]:
    return [v for value in values for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


def _dead_exports(copies: list[EarlierCopy]) -> int:
    """The temporary files her earlier exports left where they were killed part-way (QA E13's rest): plaintext of
    hers that no later export of that name will now destroy."""
    from fieldvault.export.output import sweep_exports

    return sweep_exports(Path(copy.out) for copy in copies if copy.action == "export")


def withdraw_keeping_deidentified(study: Study, typed: str, identities: Sequence[Identity]) -> Withdrawal:
    """Keep only her reviewed transcripts, de-identified by the export gate; destroy everything else."""
    pseudonym = _prepare(study, typed)
    folder = study.root / PARTICIPANTS / pseudonym
    _refuse_withdrawn_already(study, pseudonym, folder)
    if lost := copy_lost(study, pseudonym):  # the gate refuses her files, and said "no reviewed transcript"
        raise BadInput(lost)
    sessions = _sessions(folder)
    with _closed_everywhere(folder, sessions):  # no editor saves a newer version between the gate and the end
        return _keeping(study, identities, pseudonym, folder, sessions)


def _refuse_withdrawn_already(study: Study, pseudonym: str, folder: Path) -> None:
    """The same withdrawal run again, once finished (after a crash, by the next unlock): it made a de-identified copy
    of her de-identified transcripts and destroyed the first (QA Z6's rest)."""
    last = next((w for w in reversed(study.withdrawals()) if w.pseudonym == pseudonym), None)
    if last is None or "pending" not in last.entry["details"] or _not_pending(folder) or not _finished(study, last):
        return
    everything = command("withdraw", study.root, pseudonym)
    raise BadInput(
        f"{pseudonym} withdrew on {last.day} (audit entry {last.entry.get('seq')}), keeping her de-identified "
        f"transcripts: that withdrawal is finished, nothing is left to do; `{everything}` (without "
        "--keep-deidentified) destroys those too, if she asks for that"
    )


def _set_aside_gone(study: Study, started: WithdrawalEntry) -> bool:
    """A `--keep-deidentified` withdrawal (its entry names the folder its copy was staged in) with neither of the
    folders it set aside left (else the finisher's to finish)."""
    staged = started.entry["details"].get("pending")
    parent = study.root / PARTICIPANTS
    return bool(staged) and not any((parent / name).exists() for name in (str(staged), started.pending))


def copy_lost(study: Study, pseudonym: str) -> str | None:
    """What to do where her `--keep-deidentified` withdrawal was cut off after its entry and the copy it staged was
    destroyed since (by the unlock of a fieldvault from before keep23's fix of 2026-11-28, or by hand), leaving her
    folder whole and the withdrawal unfinished: check called her folder "copied from an older backup" and the same
    withdrawal again found "no reviewed transcript". None in any other case. The copy is not made again: her entry
    vouched for it in her transcript's place and records her as withdrawn, and the export gate refuses a withdrawn
    woman's files and a transcript the study key no longer vouches for; reading hers past both would need the gate
    to trust her folder against that entry. Her plain withdrawal is the safe end: nothing of hers is left."""
    last = next((w for w in reversed(study.withdrawals()) if w.pseudonym == pseudonym), None)
    folder = study.root / PARTICIPANTS / pseudonym
    if (
        last is None
        or not _set_aside_gone(study, last)
        or not last.participant_id  # an entry from before ids were kept cannot tell her folder
        or participant_id(folder) != last.participant_id
        or _finished(study, last)
    ):
        return None
    again = command("withdraw", study.root, pseudonym)
    return (
        f"{PARTICIPANTS}/{pseudonym}: her withdrawal keeping her de-identified transcripts (audit entry "
        f"{last.entry.get('seq')}, {last.day}) was cut off, and the copy it made of them was destroyed since (by a "
        "fieldvault from before 2026-11-28, or by hand); her folder is whole, and cannot give that copy again (the "
        f"entry vouched for the copy, and records her as withdrawn): finish her withdrawal with `{again}` (without "
        "--keep-deidentified), which destroys her folder, before anything else"
    )


def _keeping(
    study: Study, identities: Sequence[Identity], pseudonym: str, folder: Path, sessions: list[str]
) -> Withdrawal:
    from fieldvault.export.gate import build
    from fieldvault.export.selection import Request

    try:
        gated = build(study, identities, Request((pseudonym,)))
        # Exports number sessions; the stored folder each record came from is in ``origins``.
        pairs = zip(gated.bundle.sessions, gated.origins, strict=True)
        records = [(r, session) for r, (_, session) in pairs if r.reviewed]
    except RefusedSubstitute:
        raise  # her reviewed transcripts are there: a substitute to change, not a reason to keep none
    except BadInput:
        records = []
    if not records:
        raise BadInput(
            f"{pseudonym} has no reviewed transcript, so nothing de-identified can be kept; review first, "
            "or withdraw without --keep-deidentified"
        )
    kept_names = keep_names_others_mention(study, pseudonym, identities)
    copies = earlier_copies(study, pseudonym)
    staging = study.root / PARTICIPANTS / f".keeping-{os.urandom(8).hex()}"
    atomicfile.make_dirs(staging)
    pending = _pending(folder)
    # both held until her folder is gone: no finisher (another fieldvault unlocking the study) destroys either meanwhile
    with _destroying(staging) as staged, _destroying(folder) as ours:
        if not (staged and ours):
            raise BadInput(f"{pseudonym} is being withdrawn by another fieldvault; let it finish")
        vouched: dict[str, bytes] = {}  # what the withdraw entry vouches for, where they will lie (QA T11, Z6)
        for record, session in records:
            vouched |= _keep(study, identities, pseudonym, record, session, staging / session)
        _record(study, identities, pseudonym, len(sessions), len(records), copies, pending.name, staging.name, vouched)
        _set_aside(folder, pending)
        staging.rename(folder)
        atomicfile.sync_folder(folder.parent)
        kept = tuple(session for _, session in records)
        drop_from_index(study.root, pseudonym, kept)
        destroyed = shred_tree(pending) + _dead_exports(copies)
    # The withdraw entry vouched for what it kept; this vouched for it again until QA Z6's rest (every reader takes a
    # path's newest signed vouch from whichever entry: those that vouched here alone, before 597b70f, still count)
    study.audit.append("withdraw.done", pseudonym=pseudonym, count=destroyed, kept=len(records))
    return Withdrawal(pseudonym, destroyed, len(sessions), kept, tuple(copies), kept_names)


def _keep(
    study: Study, identities: Sequence[Identity], pseudonym: str, record: SessionRecord, session_id: str, to: Path
) -> dict[str, bytes]:
    """Her de-identified transcript, stored as a reviewed transcript with nothing left to redact; what the entry
    recording the withdrawal vouches for of them, where they will lie (her session folder again: QA T11)."""
    from fieldvault.redact.review import Redactions, load, transcript_digest

    original = layout.session(study.root, pseudonym, session_id) / layout.TRANSCRIPT
    kept = replace(
        read_transcript(study, original, identities),
        segments=tuple(Segment(line.start, line.end, line.text, line.speaker) for line in record.lines),
        markers=tuple(Marker(mark.at, "prompt", mark.prompt.text) for mark in record.marks),
        # the name every export gave her (a stand-in where her pseudonym matched an identifier: QA Q6), which her
        # lists, gone now, could no longer tell
        extra={"withdrawn": "de-identified transcript kept at withdrawal", KEPT_AS: record.participant},
    )
    nothing_left = Redactions(pseudonym, session_id, transcript_digest(kept))  # no span left to decide
    reviewed = load(study, pseudonym, session_id, identities)  # who read it through, and when
    nothing_left.reviewed_by, nothing_left.reviewed_at = reviewed.reviewed_by, reviewed.reviewed_at
    atomicfile.make_dirs(to)
    study.write_new(to / layout.TRANSCRIPT, kept.to_json())
    study.write_new(to / layout.REDACTIONS, nothing_left.to_json())
    lies = layout.session(study.root, pseudonym, session_id)
    return sessionvouch.payload(study, lies / layout.TRANSCRIPT, kept.to_json()) | sessionvouch.payload(
        study, lies / layout.REDACTIONS, nothing_left.to_json()
    )


def _prepare(study: Study, typed: str) -> str:
    if study.is_field_kit:
        raise BadInput("withdraw on the trusted machine that holds the study; a field kit is wiped whole")
    pseudonym = find_participant(study, typed)
    refuse_during_recording(study, "withdraw a participant")
    finish_interrupted(study)
    importstaging.sweep_cut_off_imports(study)  # an import of hers killed part-way: her recording, in part
    return pseudonym


def check_closed_everywhere(study: Study, pseudonym: str) -> None:
    """Refuse in one line now, before asking anything, when her withdrawal would be refused."""
    folder = study.root / PARTICIPANTS / pseudonym
    with _closed_everywhere(folder, _sessions(folder)):
        pass


@contextmanager
def _closed_everywhere(folder: Path, sessions: list[str]) -> Iterator[None]:
    """Her sessions held against every editor, review and notes screen until her folder is set aside: a one-line
    refusal, destroying nothing, while one is open in another fieldvault, whose autosave or save would write her
    words back into the study after the withdrawal."""
    with ExitStack() as held:
        for session in sessions:
            held.enter_context(held_for_move(folder / session, then="withdraw her"))
        yield


def _pending(folder: Path) -> Path:
    return folder.with_name(f".withdrawing-{os.urandom(8).hex()}")


def _set_aside(folder: Path, pending: Path) -> None:
    """Rename her folder to an anonymous pending name: from here on she is in no listing. Whoever holds its lock
    (taken on the folder before, it stays with it) destroys it; a crash leaves it to the next unlock of the study."""
    folder.rename(pending)
    atomicfile.sync_folder(folder.parent)
