"""Read every file of a study through its authentication: each header's MAC, every payload chunk,
and the audit chain; parse the documents commands read outside an age file's authentication (the session
index, recording locks) and each sealed file of an event journal; name every file that fails and
everything that does not belong.

Plaintext is decrypted chunk by chunk into memory and dropped at once; nothing is written but the
audit entry that the check ran.
"""

from __future__ import annotations

import contextlib
import hmac
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fieldvault import atomicfile, auditstrays, beside, drafts, importstaging, layout
from fieldvault.agefile import AgeReader, Identity
from fieldvault.agefile.header import payload_id, read_header
from fieldvault.agefile.recovery import KEPT_ORIGINAL
from fieldvault.agefile.stream import TAG
from fieldvault.audiofile import AUDIO_ID, UNTIMED, compared_sessions, imported_sources, imported_twice, source_mac
from fieldvault.errors import AuditBroken, BadInput, BadStudyFile, FieldvaultError
from fieldvault.events import journal_entries, read_journal_entry, read_journal_start
from fieldvault.export.output import audited_exports, export_leftovers
from fieldvault.keptolder import KEPT_OLDER
from fieldvault.lists import missing_list_fix
from fieldvault.loghead import ACCEPTED
from fieldvault.overview import MOVED
from fieldvault.participantrename import plan_said
from fieldvault.participants import (
    added_beside,
    names_lost,
    read_identifier_list,
    read_profile,
    refuse_oversized,
    study_list,
)
from fieldvault.passphrasechange import CHANGING, check_key_file
from fieldvault.printable import printable
from fieldvault.recording_lock import pid_alive, read_lock, recording_now
from fieldvault.sessionbinding import is_bound, session_records
from fieldvault.sessioninfo import no_session, read_index
from fieldvault.sessionvouch import DELETED, deleted, lost_hint, unconfirmed_note
from fieldvault.stewardship.checkreads import CheckReads
from fieldvault.stewardship.inventory import (
    TORN_PREFIX,
    data_files,
    is_leftover,
    misplaced_plaintext,
    put_by_hand,
    torn_set_aside,
    walk,
)
from fieldvault.stewardship.keptoriginal import delete_hint, gone_note, gone_originals
from fieldvault.stewardship.lost import (
    linked,
    lost_files,
    lost_sessions,
    made_payloads,
    put_back_strangers,
    recordings_lost,
    recordings_lost_notes,
    restore_file_hint,
    timeline_lost,
)
from fieldvault.stewardship.rewrap import (
    DONE,
    PLAN,
    RemovalPlan,
    added_yet_unlisted,
    began,
    cut_off_unrecorded,
    finished,
    plan_entry,
    read_plan,
    removed_yet_listed,
    started_here,
)
from fieldvault.stewardship.taken import claimed, kept_by_settle
from fieldvault.study import STUDY_KEY, Study, own_backup
from fieldvault.suggested import command, shell
from fieldvault.vouching import adopted_note
from fieldvault.withdrawals import days_by_import
from fieldvault.withdrawnhere import refuse_withdrawn_here

T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    file: str  # relative to the study
    problem: str


@dataclass
class CheckResult:
    files: int = 0
    bytes: int = 0
    unread: int = 0  # files refused by their size before a byte was read (named among the failures)
    audit: str = ""  # what verifying the audit log found
    failures: list[Failure] = field(default_factory=list)
    strays: list[str] = field(default_factory=list)  # links, leftovers of interrupted work

    @property
    def ok(self) -> bool:
        return not self.failures


def check_file(path: Path, identities: Sequence[Identity], advance: Callable[[int], None]) -> int:
    """Authenticate the header and every chunk, and return how many recipients the file is wrapped to;
    raises the FieldvaultError that says what failed."""
    with path.open("rb") as stream:
        reader = AgeReader(stream, identities)
        for chunk in reader.chunks():
            advance(len(chunk) + TAG)
        return len(reader.header.stanzas)


def _strays(
    study: Study,
    result: CheckResult,
    sources: dict[str, Path],
    identities: Sequence[Identity],
    moved: set[Path],
    plan: RemovalPlan | FieldvaultError | None,
) -> list[str]:
    """``moved``: files ``_moved_by_hand`` found, named with the `mv` back among the failures. ``plan``: the removal
    plan as this check read it (``_read_plan``)."""
    found = []
    cut_off_imports: set[str] = set()  # QA K13
    merging: set[str] = set()
    awaiting = 0  # QA T13
    logged = torn_set_aside(study)  # QA V21
    for path in walk(study.root):
        relative = path.relative_to(study.root)
        if path.is_symlink() and (put_by_hand(relative, logged) or is_leftover(relative)):
            found.append(f"{relative} is a link (a study holds none; remove it)")
        elif path.is_symlink():  # QA W4: it stands for study data, perhaps its only copy
            result.failures.append(Failure(str(relative), linked(study, str(relative))))
        elif path.name == layout.RENAMING:
            found.append(plan_said(study, path))
        elif path.name.startswith(f"{layout.MERGING}-kit-") and path.is_file():  # kitmerge.MergeUnderway
            found.append(
                f"{relative}: a merge-kit was cut off before it was done; run the same `fieldvault merge-kit` again "
                "(the kit it took) to finish it and put what it merged on the record"
            )
        elif relative.parts[0].startswith(layout.IMPORTING):
            cut_off_imports.add(relative.parts[0])
        elif relative.parts[0].startswith(f"{layout.MERGING}-") and len(relative.parts) > 1:
            merging.add(relative.parts[0])  # what of it is kept is said by the sweep at the unlock (QA Z11)
        elif relative.parts[0] == layout.AWAITING_AUTHENTICATION:
            awaiting += path.is_file()
        elif relative.as_posix() == CHANGING:
            continue  # said by check_key_file, which knows which passphrase opens the study
        elif (written := atomicfile.temp_of(path)) is not None and path.is_file() and path not in moved:
            found.append(_temp_said(study, path, written))
        elif is_leftover(relative) and path not in moved:
            found.append(f"{relative} is left from interrupted work (withdraw, remove-recipient or a write)")
        elif relative.name.startswith(auditstrays.PREFIX) and len(relative.parts) == 1:
            found.append(
                f"{relative} holds lines set aside from the audit log (`check --set-aside-stray-lines`): plaintext "
                "anyone could have written; backups leave it out; read it, then move it out of the study folder"
            )
        elif put_by_hand(relative, logged) and misplaced_plaintext(relative, path, logged):
            where = (
                "is named like a torn log line fieldvault sets aside, yet no entry of the audit log records setting it "
                "aside"
                if relative.parts[0].startswith(TORN_PREFIX)
                else "fieldvault writes nothing there"
            )
            found.append(
                f"{relative} is not encrypted, and {where} (an export or a decrypted copy put into the study folder?): "
                "backups leave it out; move it out of the study folder, to where the ethics approval allows plaintext"
            )
    if not study.on_backup and (study.root / layout.BACKUP_MARKER).is_file():  # QA Y10
        result.failures.append(
            Failure(
                layout.BACKUP_MARKER,
                "a backup's marker, in a folder this computer knows as a study: copied in from a backup (by hand, or "
                "by someone who can write the folder); it counts for nothing here: delete it "
                f"(`{shell('rm', study.root / layout.BACKUP_MARKER)}`). {own_backup(study.root)}",
            )
        )
    kept = {} if study.on_backup else kept_by_settle(study, sources, identities)
    lying: dict[str, tuple[Path, str]] = {}  # a file gone from its place -> where it lies, and what keeps it there
    for aside, why in kept.items():  # QA W12: the settle keeps it again; never offered it
        where = f"{layout.AWAITING_AUTHENTICATION}/{aside}"
        result.failures.append(Failure(where, f"the settle keeps it here, never destroying it: {why}"))
        hers = claimed(payload_id(study.root / where), sources, identities)
        if hers is not None:
            lying[str(hers)] = (study.root / where, "kept by the settle")
    for place, staged in importstaging.staged_records(study).items():  # QA AA4: in an import's staging folder
        lying[place] = (staged, "an import's staging folder")
    result.failures = [  # her file gone: where it lies, and the mv first (QA W12, V3, AA4: never --record-lost)
        Failure(
            f.file,
            f"is gone from its place: it lies in {lying[f.file][0].relative_to(study.root)}, {lying[f.file][1]}: put "
            f"it back with `{shell('mv', lying[f.file][0], study.root / f.file)}`, then check again",
        )
        if f.file in lying
        else f
        for f in result.failures
    ]
    awaiting -= len(kept)
    if awaiting and not study.on_backup:  # a study restored from such a backup (QA U2)
        result.failures.append(
            Failure(
                f"{layout.AWAITING_AUTHENTICATION}/",
                f"holds {awaiting} file(s) of removed data (a withdrawal, a session removed, retention) that a backup "
                "without the passphrase set aside and this study was restored from: they are still in the study "
                f"folder. Run `{command('check', study.root, '--settle')}`: with the study key it destroys each file "
                "a signed entry of the audit log records removed, puts back each one none does, and keeps (naming it) "
                "any file lying in a removed one's place that is not what was removed",
            )
        )
    elif awaiting:
        found.append(
            f"{layout.AWAITING_AUTHENTICATION}/ holds {awaiting} file(s) a backup without the passphrase set "
            "aside: the study's audit log says they were removed, by entries only the study key can check; they are no "
            f"study data (nothing reads or backs them up). In a backup, `{command('backup', 'STUDY', study.root)} "
            "--authenticate` destroys them or puts them back"
        )
    found += [
        f"{name}: a merge-kit's staging folder the unlock did not destroy (a merge still running, or files no merge "
        "recorded staging there: the note on it says which)"
        for name in sorted(merging)
    ]
    said = {folder.name: told for folder, told in importstaging.judged(study).items()}
    found += [
        f"{name}: an import killed part-way wrote it (it is no session, nothing of it is used); the next "
        "`fieldvault import` removes it: import that file again"
        if name in said and said[name] is None
        else said.get(name) or f"{name}: an import is running (its session appears whole when it ends)"
        for name in sorted(cut_off_imports)
    ]
    found += [
        f"{left} is plaintext an export killed part-way left (QA H7): the next export destroys it, or run "
        f"`{shell('shred', '-u', left)}`"
        for left in export_leftovers(audited_exports(study.audit.readable()[0]))
    ]
    if isinstance(plan, FieldvaultError):  # the plan is damaged: named like any other file that fails
        result.failures.append(Failure(PLAN, str(plan)))
    ours = plan if isinstance(plan, RemovalPlan) else None
    removing = None if ours is None else plan_entry(ours)
    for listed, signed in removed_yet_listed(study):  # QA Y7: a release that trusted a planted plan left it so
        result.failures.append(
            Failure(
                layout.STUDY_FILE,
                f"lists {listed.name} ({listed.key[:12]}…), whose removal the study key recorded (entry "
                f"{signed['seq']}, {signed['action']}): every file still opens to that key; remove it again with "
                f"`{command('keys', 'remove-recipient', study.root, listed.name)}`",
            )
        )
    # keys26: a study.toml from before her addition put back
    for dropped in added_yet_unlisted(study, identities, ours):
        add = command("keys", "add-recipient", study.root, dropped.key, "--name", dropped.name)
        result.failures.append(
            Failure(
                layout.STUDY_FILE,
                f"does not list {dropped.name} ({dropped.key[:12]}…), whom the audit log records as added and not "
                "removed: an older copy of study.toml was put back (a backup, a synced folder's history), or a removal "
                "cut off before the log recorded it lost its plan; files written since do not open to that key. "
                f"Put it back with `{add}` (to remove it then, `keys remove-recipient`), before any `keys rewrap`",
            )
        )
    found += [  # keys25: its rerun said "already a recipient", and the log never recorded that the key reads it all
        f"recipient {added.name!r} ({added.key[:12]}…) was added by a `keys add-recipient` cut off before the audit "
        "log recorded it: files written since open to that key; record it with "
        f"`{command('keys', 'add-recipient', study.root, added.key, '--name', added.name)}`"
        for added in study.unrecorded_additions()
    ]
    unbegun = removing is not None and study.audit.keyed and not began(study, removing)
    if removing is not None and ours is not None and unbegun and cut_off_unrecorded(study, ours, identities):
        found.append(  # Z5: cut off between study.toml written without the key and the signed entry
            f"the removal of recipient {removing.name!r} was cut off before it was recorded: study.toml no longer "
            "lists its key, and the audit log does not record its removal; finish it with "
            f"`{command('keys', 'remove-recipient', study.root, removing.name)}`"
        )
    elif removing is not None and unbegun and finished(study, removing):  # keys26: no one put it there
        found.append(
            f"{PLAN} is left from the removal of recipient {removing.name!r}, which was done and recorded: "
            f"`{command('keys', 'remove-recipient', study.root, removing.name)}` deletes it (or delete it and {DONE})"
        )
    elif (
        removing is not None
        and ours is not None
        and unbegun
        and removing in study.config.recipients
        and started_here(study, identities, ours)
    ):
        found.append(  # keys26: a removal the study key started, cut off before study.toml was sealed without her
            f"the removal of recipient {removing.name!r} was cut off before it began: study.toml still lists its key, "
            f"and every file still opens to it; remove it with "
            f"`{command('keys', 'remove-recipient', study.root, removing.name)}`, or delete {PLAN} to keep it"
        )
    elif removing is not None and unbegun:  # QA Y7, qa26: planted, perhaps naming a colleague; nothing is done on it
        found.append(
            f"{PLAN} names a removal of recipient {removing.name!r} that nobody recorded (the study key never began "
            "it: anyone who can write the study folder can put such a file there) and that changed nothing: "
            f"read it with `{shell('cat', study.root / PLAN)}` and delete it with `{shell('rm', study.root / PLAN)}`"
        )
    elif removing is not None and study.audit.keyed:  # began
        found.append(
            f"the removal of recipient {removing.name!r} was interrupted; finish it with "
            f"`{command('keys', 'remove-recipient', study.root, removing.name)}`"
        )
    elif removing is not None:  # keys27: checked with another recipient's key, it too named the removal
        found.append(
            f"{PLAN} names a removal of recipient {removing.name!r}: only the study key tells one the PI began from "
            "one anyone who can write the study folder put there; the PI checks it with "
            f"`{command('check', study.root)}` and the study passphrase"
        )
    return found


def _temp_said(study: Study, path: Path, written: atomicfile.TempCopy) -> str:
    """What a ``.NAME.PID-HOST.tmp`` is: the copy a write of NAME writes before renaming it into place (atomicfile).
    The writes that replace NAME next delete it where its process is gone (keys26: it was "left from interrupted work",
    with nothing said of what it was or whether to delete it); one another computer wrote, they leave (rough28)."""
    relative, of, pid = path.relative_to(study.root), written.target.relative_to(study.root), written.pid
    if not written.here:
        return (
            f"{relative} is the copy of {of} that a write on another computer sharing this folder (its process {pid}) "
            "is writing or left: this computer cannot tell whether that process runs, so nothing here deletes it; "
            f"once no fieldvault runs on the other computer, it is safe to delete: `{shell('rm', path)}`"
        )
    if pid_alive(pid):
        return (
            f"{relative} is the copy of {of} that process {pid}, running now, is writing: leave it while that runs "
            f"(if no fieldvault is running, the number was reused, and it is safe to delete: `{shell('rm', path)}`)"
        )
    return (
        f"{relative} is the copy of {of} that a write cut off part-way left (its process {pid} has ended): nothing "
        f"reads it, and the next write of {of} deletes it; it is safe to delete now: `{shell('rm', path)}`"
    )


def _documents(study: Study, identities: Sequence[Identity], reads: CheckReads, result: CheckResult) -> set[Path]:
    """Parse what authentication cannot judge: the plaintext session index and recording locks, and each
    sealed journal file (it authenticates, yet `transcribe` or `recover` stop at a damaged one). A journal
    with no lock beside it is a recording cut off and the lock deleted: recover gathers it. Returns the files
    ``_moved_by_hand`` found, each named by its `mv` back."""
    failed = {f.file for f in result.failures}

    def parse(path: Path, read: Callable[[Path], T]) -> T | None:
        relative = str(path.relative_to(study.root))
        if relative in failed:
            return None  # its authentication failed already
        try:
            return read(path)
        except FieldvaultError as err:
            result.failures.append(Failure(relative, str(err)))
        except OSError as err:
            result.failures.append(Failure(relative, f"cannot be read ({err.strerror})"))
        return None

    if (study.root / layout.SESSION_INDEX).is_file():
        parse(study.root / layout.SESSION_INDEX, lambda path: read_index(study.root))
    # what a withdrawal kept: vouched for too (QA S14), and missing when a signed entry vouches for it (QA T18)
    parse(study.root / layout.STUDY_IDENTIFIERS, lambda path: study_list(study, identities))
    unbound: list[str] = []
    try:
        refuse_withdrawn_here(study)
    except BadInput as err:  # QA K6: a copy older than a withdrawal this computer saw
        result.failures.append(Failure(str(layout.PARTICIPANTS), str(err)))
    for folder in sorted(layout.participants(study.root).glob("*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        # each her own (QA H10: a profile or list moved into another woman's folder gave her the other's answers)
        profile, listed = folder / layout.PROFILE, folder / layout.IDENTIFIERS
        if profile.is_file() and not profile.is_symlink():
            parse(profile, lambda path: read_profile(study, path.relative_to(study.root), identities))
        if listed.is_file() and not listed.is_symlink():
            held = parse(listed, lambda path: read_identifier_list(study, path.relative_to(study.root), identities))
            unbound += [folder.name] if held is not None and held.pseudonym is None else []
        elif (profile.is_file() or (folder / layout.PARTICIPANT_ID).is_file()) and not listed.is_symlink():
            # deleted, or an add cut off (QA K1: her id and no more): her names rest on less
            result.failures.append(  # QA J11: the names on it went out of every export; exports refuse now
                Failure(
                    str(listed.relative_to(study.root)),
                    "is missing, so the names on it are redacted nowhere and every export refuses; "
                    + missing_list_fix(study, folder.name),
                )
            )
        _added_names(study, folder.name, identities, result)
    if unbound:  # written before lists named their participant: a swap of two goes unseen (QA H10)
        result.strays.append(
            f"{len(unbound)} list(s) of names are not bound to their participant (written before lists named her); "
            f"run `{command('participant', 'bind-lists', study.root)}` once"
        )
    gone = deleted(study)
    moved = _moved_by_hand(study, gone)
    failed |= {str(found.relative_to(study.root)) for found in moved.values()}  # said once, by the `mv` back
    for relative in gone:  # QA U5: read as never transcribed, or never reviewed
        said = _put_back(study, moved[relative], relative) if relative in moved else lost_hint(study, relative)
        result.failures.append(Failure(relative, f"{DELETED}, and no command recorded removing it: {said}"))
    unbound_records = 0
    for relative, seq in gone_originals(study).items():  # an original recover kept, deleted with no entry recording it
        result.strays.append(gone_note(study, relative, seq))
    for folder in sorted(layout.participants(study.root).glob("*/*")):
        if folder.is_symlink() or not folder.is_dir():
            continue  # a link is named among the strays
        for path in session_records(folder):  # each in the session it names (QA Q4: notes moved into another's)
            bound = parse(path, lambda path: is_bound(study, path, identities))
            unbound_records += bound is False
        events = folder / layout.EVENTS
        if events.is_file() and not events.is_symlink():  # it authenticates, yet every reader stops at a damaged one
            parse(events, lambda path: reads.timeline(path.parent))
        for path in _transcripts(folder):  # each in the session it names (QA E17: one copied by hand into another's)
            if note := parse(path, reads.transcript):  # QA: made before `recover` salvaged its audio
                result.strays.append(f"{path.relative_to(study.root)}: {note}")
        if (folder / layout.REDACTIONS).is_file() and not (folder / layout.REDACTIONS).is_symlink():
            # the ones the study key last vouched for (QA T11: an older copy put back undid later acceptances)
            if note := parse(folder / layout.REDACTIONS, lambda path: unconfirmed_here(study, path, identities)):
                result.strays.append(note)
        audio = folder / layout.AUDIO
        if audio.is_file() and not audio.is_symlink() and str(audio.relative_to(study.root)) not in failed:
            if problem := reads.other_recording(folder):  # QA H1: another session's, copied here
                result.failures.append(Failure(str(audio.relative_to(study.root)), problem))
            elif layout.untimed(folder) and timeline_lost(study, folder) is None:  # QA J3; X10's contrast
                result.failures.append(Failure(str(audio.relative_to(study.root)), UNTIMED))
            if reads.states_no_length(audio):  # QA QC10: whole, but `age -d` alone reads it as hours
                result.strays.append(
                    f"{audio.relative_to(study.root)}: its WAV does not state its length (the disk was too full to "
                    "re-seal it when the recording stopped, or it was made before fieldvault did): fieldvault reads "
                    "it whole, but read with `age -d` alone it claims hours of audio; "
                    f"`{command('recover', study.root)}` re-seals it with its true length"
                )
        lock = folder / layout.LOCK
        if lock.is_file() and not lock.is_symlink():
            parse(lock, read_lock)
        journal = folder / layout.EVENTS_JOURNAL
        if journal.is_symlink() or not journal.is_dir():
            continue
        start = journal / layout.EVENTS_JOURNAL_START
        if start.is_file() and not start.is_symlink():
            parse(start, lambda path: read_journal_start(study, path, identities))
        for path in journal_entries(journal):
            if not path.is_symlink():
                parse(path, lambda path: read_journal_entry(study, path, identities))
        if not lock.exists():
            result.strays.append(
                f"{journal.relative_to(study.root)} is left from interrupted work (a recording cut off, its lock "
                f"gone): run `{command('recover', study.root)}`"
            )
    result.strays += _unbound_note(study, unbound_records) + _unsaved(study) + adopted_note(study)
    return set(moved.values())  # for the strays: each is said once, by its `mv` back


def _added_names(study: Study, pseudonym: str, identities: Sequence[Identity], result: CheckResult) -> None:
    """Her files of names added with the study locked (fieldvault.beside): one the log records and that is gone,
    changed or unreadable fails (QA V20: deleted before the unlock, her names were lost and check passed); one no entry
    records is named with what to do (QA V23: anyone seals one with the public key; it is read by nothing); one waiting
    for the study key is noted."""
    for relative, why in names_lost(study, pseudonym, identities):
        result.failures.append(Failure(relative, why))
    weighed = beside.weigh(study, pseudonym)
    failed = {f.file for f in result.failures}
    for path in added_beside(study, pseudonym):
        relative = str(path.relative_to(study.root))
        if relative not in failed:
            result.strays.append(
                f"{relative}: names added to her list with the study locked are not on it yet (exports use them "
                "meanwhile); "
                + (
                    "her list above must be put right first"
                    if study.study_identity(identities) is not None
                    else "any command run with the study passphrase adds them"
                )
            )
    for path in weighed.folded:
        result.strays.append(
            f"{path.relative_to(study.root)}: its names are on her list already (a fold cut off before it deleted the "
            "file); any command run with the study passphrase deletes it"
        )
    for path in weighed.strangers:
        relative = str(path.relative_to(study.root))
        read = command("decrypt", study.root, relative, "--out", "-")
        append = command("participant", "add-list", study.root, pseudonym, "--append", "--identifiers", "FILE")
        result.strays.append(
            f"{relative}: no entry of the audit log records sealing it (not written by fieldvault here: anyone with "
            "the study's public key can seal such a file), so it is read by nothing and never added to her list; if "
            f"the interviewer says she added names then, read it (`{read}`) and add those names (`{append}`); then "
            "move the file out of the study folder"
        )


def unconfirmed_here(study: Study, path: Path, identities: Sequence[Identity]) -> str | None:
    """What to say where the redactions at ``path`` read as unreviewed (written with a transcriber's key since the
    study key vouched for them, or matching nothing it vouched for); None where they are vouched for; raises where it
    vouched for newer ones (an older copy put back)."""
    from fieldvault.sessionvouch import digest, replaced, unconfirmed

    sha256 = digest(study.read(path, identities))
    if not unconfirmed(study, path, sha256):
        return None
    relative = str(path.relative_to(study.root))
    seq = replaced(study, path, sha256)
    accepted = None if seq is not None else _accepted_since_vouched(study, relative, sha256)
    if accepted is not None:  # QA W16: not a transcriber's key, nor a file put back: the PI's own acceptance
        return (
            f"{relative}: reviewed before an older backup was accepted on {str(accepted.get('time', ''))[:10]} (entry "
            f"{accepted.get('seq')}, `check --accept-older-log`): a review put back with a log cut back looks the "
            "same, so it counts as unreviewed until someone with the passphrase reviews the session again (its "
            "decisions are offered again: C confirms them)"
        )
    if seq is None:
        return unconfirmed_note(relative)
    return (  # QA W6: the reviewed file the key vouched for is gone, and only a backup holds it
        f"{relative}: not the file the study key vouched for in audit entry {seq}, and nothing recorded since wrote "
        "another (replaced by someone with the study's public key, or a review store cut off by a release before "
        "2026-11-27): it counts as unreviewed, and the review recorded there is lost here; if you did not mean this, "
        f"{restore_file_hint(study, relative)}; or review the session again"
    )


def _accepted_since_vouched(study: Study, relative: str, sha256: bytes) -> dict[str, Any] | None:
    """The first older log's acceptance (`check --accept-older-log`) written after the newest signed entry that vouched
    for the redactions at ``relative`` as they are (``sha256``), where that entry was no `check --keep-older`; None
    otherwise (with no study key: nothing can be told)."""
    expected = study.audit.payload_mac(relative, sha256)
    signed = [(e, m[relative]) for e, m in study.vouching_entries() if relative in m and study.audit.vouches(e)]
    if expected is None or not signed or signed[-1][0].get("action") == KEPT_OLDER:
        return None
    entry, stated = signed[-1]
    if not hmac.compare_digest(stated, expected):
        return None
    later = (e for e in study.audit.facts() if e.get("action") == ACCEPTED and int(e.get("seq", 0)) > entry["seq"])
    return next(later, None)


def _unsaved(study: Study) -> list[str]:
    """Drafts a notes or journal screen keeps while its text is typed: unsaved work, left by one that ended without
    saving (a crash, a kill, a flat battery: QA R21) or being typed now, not a stray file."""
    found = [*drafts.notes_drafts_of(study.root), *drafts.found(study.root / layout.JOURNAL)]
    set_aside = [*drafts.notes_set_aside_of(study.root), *drafts.set_aside_in(study.root / layout.JOURNAL)]
    return [drafts.unsaved(study, path) for path in found] + [drafts.set_aside_line(study, p) for p in set_aside]


def _unbound_note(study: Study, count: int) -> list[str]:
    """Field notes and session records written before they named their session: one moved into another woman's
    session goes unseen until they are bound (QA Q4)."""
    if not count:
        return []
    return [
        f"{count} field note(s) or session record(s) are not bound to their session (written before they named "
        f"it); run `{command('session', 'bind', study.root)}` once"
    ]


def _transcripts(folder: Path) -> list[Path]:
    """A session's current transcript, those earlier transcriptions left, its saved versions and autosave."""
    found = [
        folder / layout.TRANSCRIPT,
        *folder.glob("transcript-*.json.age"),
        *folder.glob(f"{layout.VERSIONS}/*.json.age"),
    ]
    return sorted(path for path in found if path.is_file() and not path.is_symlink())


def _imported_twice(study: Study, reads: CheckReads, identities: Sequence[Identity], result: CheckResult) -> None:
    """Two sessions imported from one file (QA J12: the same recorder file imported again, or under another woman,
    was taken each time; the second is then transcribed and exported as that session's or that woman's words). Each
    timeline seals the SHA-256 of the file it was imported from; the copy is named (``audiofile.imported_twice``, the
    export's rule too: QA Y12), and so is one imported from a file a withdrawn woman's recording came from (QA K7: an
    import with a transcriber's key could not tell)."""
    withdrawn = days_by_import(study.withdrawals())
    copies = imported_twice(study, identities, reads.timeline)
    for session, source in imported_sources(study, compared_sessions(study), identities, reads.timeline):
        where = str(session.relative_to(study.root))
        if (day := withdrawn.get(source_mac(study, identities, source) or "")) is not None:
            result.failures.append(
                Failure(
                    f"{where}/{layout.AUDIO}",
                    f"was imported from the recording of a participant who withdrew on {day}: it must not be in the "
                    f"study; destroy this session (`{_remove(study, session)}`), and delete the original",
                )
            )
        elif session in copies:
            result.failures.append(
                Failure(
                    f"{where}/{layout.AUDIO}",
                    f"was imported from the same file as {copies[session].relative_to(study.root)} (imported twice, "
                    f"or under two women?): listen to both; remove the copy that is not hers "
                    f"(`{_remove(study, session)}`, which destroys only that session), or move it to the woman it "
                    "belongs to if she has no copy (`fieldvault session move`)",
                )
            )


def _timelines_put_back(study: Study, reads: CheckReads, result: CheckResult) -> None:
    """A timeline in a session whose recording was recorded lost, sealed with another session's recording (QA Y12:
    copied in with it; once the recording was moved out as told, it stayed unnamed, and `import --restores` refused her
    own file found again, as not the one "her" timeline names)."""
    lost = [  # (folder, when) of each with a timeline and no recording
        (folder, when)
        for folder, when in sorted(recordings_lost(study).items())
        if (study.root / folder / layout.EVENTS).is_file() and not os.path.lexists(study.root / folder / layout.AUDIO)
    ]
    if not lost:
        return
    owners = {  # payload id -> the session whose recording it is: there now, or made there (the log says)
        **{
            payload: s.relative_to(study.root).as_posix()
            for s in layout.timed_sessions(study.root)
            if (payload := payload_id(s / layout.AUDIO)) is not None
        },
        **{payload: folder for folder, payload in made_payloads(study).items()},
    }
    for folder, when in lost:
        try:
            sealed_with = reads.timeline(study.root / folder).info.get(AUDIO_ID)
        except FieldvaultError:
            continue  # its own check names it
        owner = owners.get(str(sealed_with))
        if owner is not None and owner != folder:
            result.failures.append(
                Failure(
                    f"{folder}/{layout.EVENTS}",
                    f"is not her timeline: her recording was recorded lost {when}, and this timeline was sealed with "
                    f"the recording of {owner} (copied here with it?); nothing reads it as hers, and it would refuse "
                    f"her own recording found again: remove it ({shell('rm', study.root / folder / layout.EVENTS)})",
                )
            )


def _remove(study: Study, session: Path) -> str:
    """The command that destroys one session (QA K5)."""
    return command("session", "remove", study.root, session.parent.name, session.name)


def _read_plan(study: Study) -> RemovalPlan | FieldvaultError | None:
    """The pending removal plan, read once per check (it was read three or four times, and a removal running beside
    the check could change it between the reads), or why it does not read (named by ``_strays``)."""
    try:
        return read_plan(study)
    except FieldvaultError as err:
        return err


def _removing(study: Study, plan: RemovalPlan | FieldvaultError | None) -> bool:
    """Whether a removal of a recipient the study key began is under way (its files not all re-wrapped yet)."""
    return isinstance(plan, RemovalPlan) and began(study, plan_entry(plan))


def _rewrap_command(study: Study, plan: RemovalPlan | FieldvaultError | None, identities: Sequence[Identity]) -> str:
    """What re-wraps a file that opens to more keys than study.toml lists. Where a removal was cut off before it was
    recorded, its rerun, which records it (keys25: check also said `keys rewrap`, which left the removal never
    recorded and its rerun finding no one to remove; rewrap refuses there now)."""
    ours = plan if isinstance(plan, RemovalPlan) else None
    removing = None if ours is None else plan_entry(ours)
    if (
        ours is not None
        and removing is not None
        and not began(study, removing)
        and cut_off_unrecorded(study, ours, identities)
    ):
        return (
            f"(the removal of recipient {removing.name!r} was cut off before it was recorded): finish it with "
            f"`{command('keys', 'remove-recipient', study.root, removing.name)}`"
        )
    if dropped := added_yet_unlisted(study, identities, ours):
        return f"(study.toml lacks {dropped[0].name}, whom the log records as added: its line says what to do first)"
    return f"(restored from an old backup?): run `{command('keys', 'rewrap', study.root)}`"


def _moved_by_hand(study: Study, gone: list[str]) -> dict[str, Path]:
    """Each vouched file gone from its place whose name lies in that session's folder under a withdrawal's pending
    name, and where (QA Z15: her kept transcript moved there by hand; check sent the PI to a backup, whose copy is her
    identifiable original, or to record it lost): put back by one `mv`, the one thing said of it (keep24: it was also
    FAILED as another session's record and noted twice as left from interrupted work)."""
    moved: dict[str, Path] = {}
    for relative in gone:  # ``deleted``
        place = Path(relative)
        if len(place.parts) == 4 and place.parts[0] == layout.PARTICIPANTS and (study.root / place).parent.is_dir():
            found = sorted(layout.participants(study.root).glob(f".*/{place.parts[2]}/{place.name}"))
            moved |= {relative: found[0]} if found else {}
    return moved


def _put_back(study: Study, found: Path, relative: str) -> str:
    back = shell("mv", found, study.root / relative)
    return f"it lies in {found.relative_to(study.root)} (moved there by hand?): put it back: {back}"


def _no_sessions(study: Study) -> list[str]:
    """Each folder under a participant's name that is no session (``no_session``): exports leave it out; an empty one
    is what an import cut off after making it leaves (QA Z10: named by nothing, numbered as her session 2)."""
    try:
        index = read_index(study.root)
    except FieldvaultError:
        return []  # damaged: named on its own
    found = []
    for folder in sorted(layout.participants(study.root).glob("*/*")):
        if folder.parent.name.startswith(".") or folder.name.startswith(".") or not folder.is_dir():
            continue
        if folder.parent.is_symlink():  # a participant folder that is a link is failed as one, never read through
            continue  # (qa28 QD10: a link to /etc gave a note for each of its folders)
        if folder.is_symlink() or not no_session(folder, index):
            continue
        relative = folder.relative_to(study.root)
        if any(folder.iterdir()):
            said = f"look at what it holds (`{shell('ls', '-a', folder)}`)"
        else:
            said = f"it is empty: remove it (`{shell('rmdir', folder)}`)"
        found.append(
            f"{relative}: no session record lists it and it holds neither a recording nor a transcript (an import or "
            f"recording cut off before anything went in?): it is no session, and exports leave it out; {said}"
        )
    return found


def check_study(
    study: Study, identities: Sequence[Identity], progress: Callable[[float], None] = lambda fraction: None
) -> CheckResult:
    result = CheckResult()
    reads = CheckReads(study, identities)
    files = data_files(study)
    total = sum(p.stat().st_size for p in files) or 1
    done = 0

    def advance(step: int) -> None:
        nonlocal done
        done += step
        progress(min(done / total, 1.0))

    live = set(recording_now(study.root))  # a damaged lock is no recorder's: _documents names it
    ours = len(study.config.recipients)
    plan = _read_plan(study)
    removing = _removing(study, plan)
    rewrap = _rewrap_command(study, plan, identities)
    for path in files:
        relative = str(path.relative_to(study.root))
        if path.parent in live and path.name == layout.AUDIO:
            # QA Q8: a recording under way has no final chunk yet; it "failed" while `recover` rightly left it alone
            result.strays.append(
                f"{relative} is being recorded now by a running fieldvault: not checked; check again once it is stopped"
            )
            done += path.stat().st_size
            continue
        resealed = path.with_name(path.name.removesuffix(KEPT_ORIGINAL))
        if path.name.endswith(KEPT_ORIGINAL) and resealed.is_file():
            # recover keeps the cut-off or damaged original on purpose; it fails its check by nature.
            result.strays.append(
                f"{relative} is the cut-off or damaged original `fieldvault recover` kept beside {resealed.name}; "
                "delete it once you are satisfied with the re-sealed file, recorded in the audit log: "
                f"`{delete_hint(study, relative)}`"
            )
            done += path.stat().st_size
            continue
        try:
            refuse_oversized(path, "this file")  # told by its size at once, never streamed through (QA W5)
        except BadStudyFile as err:  # not read: counted as refused unread, not as read
            result.failures.append(Failure(relative, str(err)))
            result.unread += 1
            done += path.stat().st_size
            continue
        before = done
        try:
            wrapped = reads.authenticate(path, advance)
            if wrapped > ours and removing:  # the removal under way re-wraps it
                result.strays.append(f"{relative} is wrapped to {wrapped} recipients and the study has {ours}")
            elif wrapped > ours:  # a leak to a removed key (QA Y7): a header names no key
                result.failures.append(
                    Failure(
                        relative,
                        f"is wrapped to {wrapped} recipients and the study has {ours}: a removed key may still open "
                        f"it {rewrap}",
                    )
                )
        except FieldvaultError as err:
            result.failures.append(Failure(relative, str(err)))
        except OSError as err:
            result.failures.append(Failure(relative, f"cannot be read ({err.strerror})"))
        done = before + path.stat().st_size
        progress(min(done / total, 1.0))
        result.files += 1
        result.bytes += path.stat().st_size
    for path in sorted((study.root / layout.KEYS).glob("*.age")):
        try:
            with path.open("rb") as stream:
                read_header(stream)  # its payload needs the passphrase, which unlocking checked
        except FieldvaultError as err:
            result.failures.append(Failure(str(path.relative_to(study.root)), str(err)))
    failed, noted = check_key_file(study)  # which passphrase opens the study, after a change (QA T4)
    result.failures += [Failure(STUDY_KEY, problem) for problem in failed]
    result.strays += noted
    try:
        verified = study.audit.verify()
    except FieldvaultError as err:
        result.failures.append(Failure(layout.AUDIT_FILE, str(err)))
    else:
        result.audit = verified.describe()
        result.failures += [  # QA X6: no longer "written on a field kit or while locked ... covered"
            Failure(
                layout.AUDIT_FILE,
                f"line {line} ({printable(action)[:60]}) was appended without the study key: nothing it says is taken "
                f"as fact; set it aside with `{command('check', study.root, '--set-aside-stray-lines')}`",
            )
            for _, action, line in verified.forged
            if action != MOVED  # a move a crash cut short, finished by an open without the key, writes one: a NOTE
        ]
    moved = _documents(study, identities, reads, result)
    _imported_twice(study, reads, identities, result)
    result.failures += [Failure(folder, problem) for folder, problem in lost_sessions(study)]  # QA Q11
    # QA V4, W2: a listed session's recording or record, the index, her profile
    result.failures += [Failure(file, problem) for file, problem in lost_files(study)]
    result.failures += [Failure(file, problem) for file, problem in put_back_strangers(study)]  # QA X10
    _timelines_put_back(study, reads, result)
    result.strays += recordings_lost_notes(study)  # QA W13
    result.strays += _no_sessions(study)  # QA Z10
    sources = {str(path.relative_to(study.root)): path for path in files}
    result.strays += _strays(study, result, sources, identities, moved, plan)
    with contextlib.suppress(AuditBroken):  # after a line failing authentication, named above: nothing (QA X1)
        study.audit.append("check", count=result.files, bytes=result.bytes, failed=len(result.failures))
    return result
