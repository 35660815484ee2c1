"""Copy the encrypted study to another folder (a USB disk, a synced folder) and verify the copy.

Everything copied is ciphertext or plaintext that holds no secret (study.toml, the audit log, the
templates). A file under participants/ or journal/, or under a top-level name fieldvault never writes, that is not an
age file (a transcript or a recording someone decrypted and put there by hand) is left out and named: a backup disk
never carries testimony in plaintext.
A folder that already holds a backup of the same study is brought up to date: new and changed files are copied, and
the files the study's audit log records as gone since (a withdrawal, audio past retention, a session removed or
moved, a participant renamed) are destroyed in the backup too. A file the study merely lacks is kept and named, never
destroyed; a copy of the study older than the backup (its log lacks entries the backup copied) is refused before
anything is written; and an earlier version of a file put back into the study never replaces the newer one here
(QA Q11). Every file of the copy is then read back, past the page cache, and compared with the study by SHA-256.

A study file that is damaged never replaces the backup's copy of it (QA G8: a flipped byte or a file emptied by a
crash was copied over the last good copy, which is what everyone is sent to restore from). Without the key the
form of each changed file is checked (empty, no age header, cut off inside a chunk); given the key
(``identities``), each changed age file is read through its authentication too, which finds a flipped byte;
without it, an age file changed in place (the same payload nonce: never a new version), or whose header changed in
one place over the same payload (a re-wrap changes every stanza and the MAC), is left as it is in the backup, since
only the key can tell which copy is the damaged one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from fieldvault import atomicfile, backupsmade, layout, loghead, serial
from fieldvault.agefile import AgeReader, Identity
from fieldvault.agefile.header import payload_id, read_header
from fieldvault.agefile.recovery import KEPT_ORIGINAL
from fieldvault.agefile.stream import CHUNK, NONCE_SIZE, TAG
from fieldvault.audit import ALLOWED_DETAILS, ON_BACKUP, TORN, AuditLog, origin_of, unchained
from fieldvault.drafts import REMOVED as DRAFT_REMOVED
from fieldvault.drafts import is_draft
from fieldvault.errors import BadInput, FieldvaultError
from fieldvault.recording_lock import pid_alive
from fieldvault.sessioninfo import read_index
from fieldvault.stewardship.check import check_file
from fieldvault.stewardship.departures import (
    AWAIT,
    DESTROY,
    DISPUTED,
    HELD,
    KEEP,
    NOTHING,
    UNSURE,
    departures,
)
from fieldvault.stewardship.inventory import (
    AGE_MAGIC,
    is_leftover,
    live_recordings,
    misplaced_plaintext,
    torn_set_aside,
    walk,
)
from fieldvault.stewardship.shred import shred_file
from fieldvault.stewardship.taken import unproven, vouched_at
from fieldvault.study import BACKUP, Study, enclosing_vault
from fieldvault.suggested import command, shell

MARKER = layout.BACKUP_MARKER
AWAITING = layout.AWAITING_AUTHENTICATION
SCHEMA_VERSION = 4
_BLOCK = 1 << 20
TMP_SUFFIX = ".backup-tmp"  # where each file is written before it takes its name
_MARKER_TEMP = re.compile(rf"\.{re.escape(MARKER)}\.[0-9]+(?:-[0-9a-f]{{8}})?\.tmp")  # as atomicfile writes it
MTIME_SLACK_NS = 2_000_000_000  # FAT/exFAT USB disks keep modification times to 2 s


@dataclass(frozen=True)
class BackupResult:
    dest: Path
    copied: int
    unchanged: int
    removed: tuple[tuple[str, str], ...]  # (file, why) destroyed in the backup: the study's log records it gone
    bytes: int
    damaged: str | None = None  # why the session index, copied as it is, does not read
    plaintext: tuple[str, ...] = ()  # files left out: plaintext where only age files belong
    kept: tuple[tuple[str, str], ...] = ()  # (file, what is wrong with the study's copy): the backup's copy kept
    authenticated: bool = False  # changed age files were read through their authentication (the key was given)
    strangers: tuple[str, ...] = ()  # files the study never had (written in the backup itself): kept, named
    carried: int = 0  # entries of the backup's own log (commands run on the backup) taken into the study's log
    # (file, what is wrong with the study's copy) copied as it is, the backup having no good copy of it (QA K11)
    damaged_copied: tuple[tuple[str, str], ...] = ()
    # (file or folder, files) the backup copied from the study earlier, which the study lacks and its audit log never
    # recorded gone (deleted by hand?): kept (QA Q11)
    missing: tuple[tuple[str, int], ...] = ()
    older: tuple[str, ...] = ()  # files whose study copy is an earlier version the backup replaced: its newer kept
    tidied: tuple[tuple[str, int], ...] = ()  # (file, PID) a marker half written by a backup whose process is gone
    # (draft, why) a draft the log records removed without vouching for the backup's copy: kept, named once (QA S11)
    unvouched: tuple[tuple[str, str], ...] = ()
    # files the study's log says were removed, by entries this run could not check (no key): set aside in the backup's
    # AWAITING folder, destroyed by none but a run with the key (QA T13)
    awaiting: tuple[str, ...] = ()
    # (file, why) set aside by an earlier run, whose entry fails its check: put back in its place (QA T13)
    put_back: tuple[tuple[str, str], ...] = ()
    # (file, why) set aside by an earlier run, whose signed entry names its place yet took another file: kept there,
    # named, never destroyed on its path alone (QA V3)
    kept_aside: tuple[tuple[str, str], ...] = ()
    # "SEQ:HASH" of this backup's own entry, the last of the log it copied: kept apart from the backup disk, it is
    # what `audit --verify --head` checks a restore against (QA W19: the backup's log cut back on the disk)
    head: str = ""
    # the cut-off or damaged originals `recover` kept beside the recordings it re-sealed: backed up as they are, named
    # each run (they fail their authentication by nature; QA QC11: the first backup after a recover failed on one)
    originals: tuple[str, ...] = ()
    # such originals deleted from the study (by hand: no entry records it), kept here by a run without the passphrase,
    # which never destroys (QA QD3); a run with it deletes them here too
    originals_kept: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackedUpStudy:
    """Which study a backup folder holds: a folder of another study is never overwritten."""

    title: str
    created: str
    study_key: str


@dataclass(frozen=True)
class BackupMarker:
    """``.fieldvault-backup.json`` in the backup folder. Markers written before it carried a version (the
    same fields) are on users' backup disks and still read."""

    study: BackedUpStudy
    updated: str
    files: int
    # What this folder holds from the study, as the last backup left it: only those may be destroyed as gone from
    # the study (QA H4). None in a marker written before it was kept (schema 1).
    held: tuple[str, ...] | None = None
    # False from before the first file is copied until the copy is verified: a backup killed part-way is resumed
    # by running it again, and `check` on it says it is unfinished (QA H14).
    finished: bool = True
    # The hash of the last backup's own entry in the study's audit log: a copy of the study whose log lacks it is
    # older than this backup, and is refused (QA Q11). None in a marker written before it was kept.
    log_head: str | None = None
    # Per file, the payload ids of the encryptions of it this backup held and replaced with newer ones: a study copy
    # holding one again is an earlier version put back, which never replaces the newer one here (QA Q11).
    replaced: dict[str, tuple[str, ...]] | None = None
    # Per file set aside in AWAITING (its path as the study had it), the hash of the audit entry that records it
    # removed, which only the study key can check (QA T13). None in a marker written before it was kept.
    awaiting: dict[str, str] | None = None
    schema_version: int = SCHEMA_VERSION


def _identity(study: Study) -> BackedUpStudy:
    return BackedUpStudy(study.config.title, study.config.created, study.config.recipients[0].key)


def _sources(study: Study) -> tuple[dict[str, Path], list[str]]:
    """The files to copy, and the plaintext files left out."""
    found, plaintext = {}, []
    logged = torn_set_aside(study)
    for path in walk(study.root):
        relative = path.relative_to(study.root)
        if path.is_symlink():
            raise BadInput(f"{relative} is a link; a study holds none. Remove it, then back up again")
        if is_leftover(relative) or path.name == layout.LOCK:
            continue
        if misplaced_plaintext(relative, path, logged):
            plaintext.append(str(relative))
            continue
        found[str(relative)] = path
    return found, plaintext


def _check_dest(study: Study, dest: Path) -> BackupMarker | None:
    """The backup's marker (None for a new or empty folder); refuses any folder that is no backup of this study."""
    root, target = study.root.resolve(), dest.resolve()
    if target == root or target.is_relative_to(root) or root.is_relative_to(target):
        raise BadInput(f"{dest} is inside the study or holds it; back up to a folder outside {study.root}")
    enclosing = enclosing_vault(dest)
    if enclosing is not None and enclosing != (BACKUP, target):  # this backup folder itself is checked below
        raise BadInput(
            f"{dest} is inside the {enclosing[0]} {enclosing[1]}; a backup holds the study's keys and goes to a "
            "folder of its own, never into a field kit, a study or another backup"
        )
    if not dest.exists() or (dest.is_dir() and _empty(dest)):
        return None
    try:
        data = (dest / MARKER).read_bytes()
    except OSError:
        raise BadInput(f"{dest} is not empty and holds no fieldvault backup; give a new or empty folder") from None
    fix = "back up to a new or empty folder instead (nothing in this one is changed)"
    marker = serial.loads(BackupMarker, data, str(dest / MARKER), serial.same_fields, fix)
    if marker.study != _identity(study):
        raise BadInput(f"{dest} holds a backup of another study; give a new or empty folder")
    return marker


def _empty(dest: Path) -> bool:
    """Nothing in ``dest`` but the marker a first backup, its process gone, left half written: the run goes on and
    removes it with a note (QA AA8: every backup after such a cut-off was refused as "not empty")."""
    return all(_left_by_a_dead_backup(p.name) is not None for p in dest.iterdir())


def _left_by_a_dead_backup(name: str) -> int | None:
    """The PID of the backup, gone now, whose marker ``name`` is, half written (None for any other file, and for a
    live backup's: it may be writing it now)."""
    written = atomicfile.temp_of(Path(name)) if _MARKER_TEMP.fullmatch(name) else None
    if written is None or not written.here or pid_alive(written.pid):  # another computer's: its PID means nothing here
        return None
    return written.pid


def _refuse_a_study_marked(
    study: Study, dest: Path, marker: BackupMarker | None, identities: Sequence[Identity]
) -> None:
    """A folder holding a backup's marker that this computer knows as a study becomes a backup here (the head it
    remembers for it is forgotten: ``loghead.now_a_backup``) only where this computer backed up there before or the
    study key is given (QA AA2: a marker copied into the study and a keyless `backup COPY STUDY` erased the study's
    rollback guard, and every writing command then refused the PI's own study as a backup)."""
    if marker is None or not loghead.known_here(dest) or backupsmade.made_here(dest):
        return
    if study.study_identity(identities) is None:
        raise BadInput(
            f"{dest} holds a backup's marker, yet this computer knows it as a study (a marker copied in makes no "
            "backup): if it is a backup of yours, back up to it with the study's passphrase (--authenticate); "
            "otherwise back up to a new or empty folder"
        )


def sha256(path: Path, drop_cache: bool = False) -> str:
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY)
    try:
        if drop_cache:  # read what the disk holds, not what this process just wrote
            with contextlib.suppress(OSError):  # advisory: some file systems cannot, and the read still counts
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        while block := os.read(fd, _BLOCK):
            digest.update(block)
    finally:
        os.close(fd)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> None:
    atomicfile.make_dirs(target.parent)
    tmp = target.with_name(f".{target.name}{TMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, atomicfile.FILE_MODE)
    try:
        with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
            while block := src.read(_BLOCK):
                dst.write(block)
            dst.flush()
            os.fsync(dst.fileno())
        stat = source.stat()
        os.utime(tmp, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _form_problem(path: Path) -> str | None:
    """What is wrong with a file's form, found without its key: emptied, or an age file with no header or cut off
    inside a chunk (age's last chunk holds its 16-byte tag and is empty only in an empty file)."""
    size = path.stat().st_size
    if size == 0:
        return "is empty (0 bytes)"
    if not _is_age(path):
        return None  # not an age file (study.toml, the audit log): its form is not judged here
    with path.open("rb") as stream:
        try:
            read_header(stream)
        except FieldvaultError as err:
            return f"has a damaged header ({err})"
        payload = size - stream.tell() - NONCE_SIZE
    last = payload % (CHUNK + TAG)
    if payload < TAG or 0 < last < TAG or (last == TAG and payload > TAG):
        return "is cut off inside a chunk"
    return None


def _payload_start(path: Path) -> int | None:
    """Where an age file's payload (its nonce, then the chunks) begins: after the header."""
    with path.open("rb") as stream:
        try:
            read_header(stream)
        except FieldvaultError:
            return None
        return stream.tell()


def _same_bytes_from(a: Path, a_start: int, b: Path, b_start: int) -> bool:
    with a.open("rb") as one, b.open("rb") as other:
        one.seek(a_start)
        other.seek(b_start)
        while True:
            block, again = one.read(_BLOCK), other.read(_BLOCK)
            if block != again:
                return False
            if not block:
                return True


def _changed_in_place(source: Path, target: Path) -> bool:
    """Two copies of one age file whose payloads differ under the same payload nonce. Every encryption draws a fresh
    nonce and a re-wrap changes the header only (QA G12: a re-wrapped header over the same payload is a new version),
    so that is damage in one of them, never a new version of the file."""
    if not (_is_age(source) and _is_age(target)):
        return False
    here, there = _payload_start(source), _payload_start(target)
    if here is None or there is None or source.stat().st_size - here != target.stat().st_size - there:
        return False
    with source.open("rb") as one, target.open("rb") as other:
        one.seek(here)
        other.seek(there)
        if one.read(NONCE_SIZE) != other.read(NONCE_SIZE):
            return False
    return not _same_bytes_from(source, here, target, there)


def _payload_change(source: Path, target: Path) -> int:
    """How much longer (> 0) or shorter (< 0) the study's copy of an age file's payload is than the backup's under
    the same payload nonce; 0 for the same length or another nonce (a new version draws a fresh nonce)."""
    if not (_is_age(source) and _is_age(target)):
        return 0
    here, there = _payload_start(source), _payload_start(target)
    if here is None or there is None:
        return 0
    change = (source.stat().st_size - here) - (target.stat().st_size - there)
    with source.open("rb") as one, target.open("rb") as other:
        one.seek(here)
        other.seek(there)
        return change if one.read(NONCE_SIZE) == other.read(NONCE_SIZE) else 0


def _cut_short(source: Path, target: Path) -> bool:
    """The study's copy of an age file holds less payload than the backup's under the same payload nonce (QA K11: a
    transcript cut at a chunk's end, or anywhere in its only chunk, has a sound form). A new version draws a fresh
    nonce; one recording goes on growing under its nonce, and never shrinks."""
    return _payload_change(source, target) < 0


def _grown(source: Path, target: Path) -> bool:
    """The study's copy of an age file holds more payload than the backup's under the same payload nonce (QA K11's
    rest: junk appended after the final chunk replaced the good copy). Besides a recording still being written, only
    a cut-off recording made whole since (merge-kit's completion) grows so, and only the key tells that from junk."""
    return _payload_change(source, target) > 0


def _header_damaged_over_same_payload(source: Path, target: Path) -> bool:
    """Two copies of one age file over the same payload whose headers differ, yet not as a re-wrap does. A re-wrap
    (`keys remove-recipient`, `keys rewrap`, merge-kit) draws a fresh ephemeral share and wraps the file key anew for
    every recipient, so no stanza's share or body, nor the MAC, survives it (C2SP age: X25519 stanzas). A flipped
    byte changes one line and leaves the others as they were; only the key can tell which copy it hit."""
    if not (_is_age(source) and _is_age(target)):
        return False
    with source.open("rb") as one, target.open("rb") as other:
        try:
            new, old = read_header(one), read_header(other)
        except FieldvaultError:
            return False  # the study's copy's form is judged on its own; a backup copy that does not parse is no loss
        here, there = one.tell(), other.tell()
    if new.encode() == old.encode() or source.stat().st_size - here != target.stat().st_size - there:
        return False
    if not _same_bytes_from(source, here, target, there):
        return False  # another payload: a new version, or damage in place (``_changed_in_place``)
    shares = {(s.type, s.args) for s in old.stanzas}
    bodies = {s.body for s in old.stanzas}
    return new.mac == old.mac or any((s.type, s.args) in shares or s.body in bodies for s in new.stanzas)


def _problem(source: Path, target: Path | None, identities: Sequence[Identity]) -> str | None:
    """Why the study's copy of a file must not replace the backup's (``target``; None where the backup has no good
    copy): its form; then, with the key, every chunk; without it, a change in place, which only the key can say is
    the study's damage or the backup's."""
    found = _form_problem(source)
    if found is not None or not _is_age(source):
        return found
    if not identities and target is None:
        return None
    if not identities and target is not None:
        if _cut_short(source, target):
            return (
                "is shorter than the backup's copy of the same encryption (cut off?), which a new version never is: "
                "run backup again with --authenticate to find out which is whole"
            )
        if _grown(source, target):
            return (
                "is longer than the backup's copy of the same encryption (bytes appended after its end?): run backup "
                "again with --authenticate to find out which is whole"
            )
        if _changed_in_place(source, target):
            return (
                "differs from the backup's copy in place, which is damage in one of them: run backup again with "
                "--authenticate to find out which"
            )
        if _header_damaged_over_same_payload(source, target):
            return (
                "has a header that differs from the backup's copy in one place, over the same payload (a re-wrap "
                "changes every line of it), which is damage in one of them: run backup again with --authenticate to "
                "find out which"
            )
        return None
    try:
        check_file(source, identities, lambda step: None)
    except FieldvaultError as err:
        return f"fails its authentication ({err})"
    return None


def _saved_over_a_better_copy(source: Path, target: Path, identities: Sequence[Identity]) -> bool:
    """`recover` re-seals what it could save of a damaged recording (a new encryption) and keeps the damaged original
    beside it (``KEPT_ORIGINAL``). A backup copy of that original's encryption (its payload nonce) that differs from
    the damaged one is most likely it as it was before the damage: what was saved must not replace it."""
    original = source.with_name(source.name + KEPT_ORIGINAL)
    if not original.is_file() or not target.is_file():
        return False
    before = payload_id(original)
    if before is None or payload_id(target) != before or payload_id(source) == before:
        return False
    if original.stat().st_size == target.stat().st_size and _same_bytes_from(original, 0, target, 0):
        return False  # the backup holds the same damaged copy: the saved one is better
    if identities:
        try:
            check_file(target, identities, lambda step: None)
        except FieldvaultError:
            return False  # the backup's copy is damaged too
    return True


def _salvaged(study: Study, dest: Path, identities: Sequence[Identity]) -> dict[str, str]:
    """Session folders (relative) where `recover` saved part of a damaged recording the backup holds whole, and
    transcripts (relative) it saved part of so, each with what to say: their re-sealed files (the recording and the
    timeline bound to it; the transcript) do not replace the backup's."""
    found = {}
    participants = layout.participants(study.root)
    for original in sorted(participants.glob(f"*/*/*{KEPT_ORIGINAL}")):
        resealed = original.with_name(original.name.removesuffix(KEPT_ORIGINAL))
        if resealed.name not in (layout.AUDIO, layout.TRANSCRIPT):  # a transcript's whole segments: QA QD13
            continue
        folder = resealed.parent.relative_to(study.root)
        if resealed.is_file() and _saved_over_a_better_copy(resealed, dest / folder / resealed.name, identities):
            restore = shell("cp", "-a", dest / folder, f"{study.root / folder.parent}/")
            what = "recording" if resealed.name == layout.AUDIO else "transcript"
            # a recording's timeline is bound to it: the whole folder; a transcript is the file alone
            found[str(folder if resealed.name == layout.AUDIO else folder / resealed.name)] = (
                f"was re-sealed by `recover` from what it saved of a damaged {what} ({original.name} beside it), "
                f"and the backup holds the session as it was before the damage: restore the session with `{restore}`, "
                f"then delete {original.name}"
            )
    return found


def _is_age(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(len(AGE_MAGIC)) == AGE_MAGIC


def _same(source: Path, target: Path) -> bool:
    if not target.is_file():
        return False
    a, b = source.stat(), target.stat()
    return a.st_size == b.st_size and abs(a.st_mtime_ns - b.st_mtime_ns) <= MTIME_SLACK_NS


def _marker(folder: Path) -> BackupMarker | None:
    try:
        data = (folder / MARKER).read_bytes()
        return serial.loads(BackupMarker, data, str(folder / MARKER), serial.same_fields)
    except (OSError, FieldvaultError):
        return None  # none, or damaged: the next backup to it names it


def named(folder: Path) -> str:
    """How the log names the backup in ``folder`` (an entry written there, one carried from there): never by its path,
    which may name anyone (QA Z9), but by its marker's last backup entry, where this computer remembers the folder
    (``backupsmade.shown``)."""
    marker = _marker(folder)
    return backupsmade.ref(marker.log_head if marker is not None else None)


def unfinished(folder: Path) -> bool:
    """Whether ``folder`` is a backup that a run killed part-way left (QA H14): not a whole copy of the study."""
    marker = _marker(folder)
    return marker is not None and not marker.finished


def _damaged_index(study: Study) -> str | None:
    """A damaged session index does not stop a backup (it is the thing to run before repairing anything by
    hand, and it copies bytes without reading them): it is copied as it is, and the user told."""
    try:
        read_index(study.root)
    except FieldvaultError as err:
        return str(err)
    return None


def backup(
    study: Study,
    dest: Path,
    progress: Callable[[float], None] = lambda fraction: None,
    identities: Sequence[Identity] = (),
) -> BackupResult:
    marker = _check_dest(study, dest)
    _refuse_a_study_marked(study, dest, marker, identities)
    study.audit.refuse_forged_tail()  # its own entry would be refused once every file was copied (QA X1)
    gone = departures(())
    carried = 0
    if marker is not None:
        theirs = _backup_log(study, dest)
        _refuse_an_older_copy(study, dest, marker, theirs)  # before anything is written, here or there
        carried = _carry_log(study, dest, marker, theirs)
        gone = departures(_since(study, marker, theirs), study.audit.vouches)
    held = None if marker is None or marker.held is None else frozenset(marker.held)
    replaced = {} if marker is None else {k: set(v) for k, v in (marker.replaced or {}).items()}
    awaiting = {} if marker is None else dict(marker.awaiting or {})
    log_head = None if marker is None else marker.log_head
    damaged = _damaged_index(study)
    atomicfile.make_dirs(dest)
    sources, plaintext = _sources(study)
    # Marked first, as this study's backup, unfinished, holding what it may hold once this run is done: a run killed
    # part-way is resumed into it by the next, which destroys nothing it copied (QA H14).
    may_hold = None if marker is not None and held is None else tuple(sorted(set(sources) | (held or frozenset())))

    def mark(holding: tuple[str, ...] | None, finished: bool, head: str | None) -> None:
        now = study.clock().isoformat(timespec="seconds")
        stored = {k: tuple(sorted(v)) for k, v in sorted(replaced.items())}
        aside = dict(sorted(awaiting.items()))
        atomicfile.replace(
            dest / MARKER,
            serial.dumps(BackupMarker(_identity(study), now, len(sources), holding, finished, head, stored, aside)),
        )

    # QA R10: the marker's copy a backup killed writing it left, tidied and named before this run writes its marker,
    # whose write would delete it unnamed (keys27: atomicfile sweeps a gone writer's copy of the file it writes)
    tidied = [(p.name, pid) for p in sorted(dest.iterdir()) if (pid := _left_by_a_dead_backup(p.name)) is not None]
    for name, _ in tidied:
        (dest / name).unlink()
    mark(may_hold, False, log_head)
    loghead.now_a_backup(dest)
    total = sum(p.stat().st_size for p in sources.values()) * 2 or 1  # copy, then read back
    done = copied = 0
    kept: dict[str, str] = {}
    older: list[str] = []

    damaged_copied: dict[str, str] = {}
    originals: set[str] = set()
    recording = set(live_recordings(study))  # a recording being written is cut off and growing: not damage
    vouched = vouched_at(study)
    salvaged = _salvaged(study, dest, identities)  # re-sealed by recover over what the backup holds whole

    def keep(relative: str, source: Path) -> bool:
        """Whether the backup's copy stays because the study's is damaged. Where the backup holds no good copy, a
        damaged copy is better than none (recover may save most): it is copied, and named (QA K11)."""
        if source.parent in recording:
            return False  # cut off and growing while it is written: copied as it is, as ever
        held = (dest / relative).is_file() and (dest / relative).stat().st_size > 0
        if not held and _kept_original(relative, sources):
            originals.add(relative)  # damaged by nature: the backup holds it as it is until the steward deletes it
            return False
        saved = salvaged.get(relative, salvaged.get(str(Path(relative).parent)))
        if held and saved is not None and not _same_bytes_from(source, 0, dest / relative, 0):
            problem: str | None = saved
        elif relative == layout.SESSION_INDEX:
            problem = damaged if held else None  # a damaged index is named on its own (``BackupResult.damaged``)
        else:  # an identity file opens with its passphrase, not with the key: its form only
            keys = () if Path(relative).parts[0] == layout.KEYS else identities
            problem = _problem(source, dest / relative if held else None, keys)
        if problem is not None and held:
            kept[relative] = problem
        elif problem is not None:
            damaged_copied[relative] = problem
        return problem is not None and held

    log = study.audit.path.name  # copied last, once this backup's own entry is in it
    for relative, source in sources.items():
        target = dest / relative
        if relative == log:
            pass
        elif _put_back(source, replaced.get(relative, set())):  # before _same: a copy keeps its time (cp -p)
            older.append(relative)  # an earlier version this backup replaced since: the newer one stays (QA Q11)
        elif _same(source, target):
            named = relative != layout.SESSION_INDEX and source.parent not in recording
            if named and _kept_original(relative, sources):
                originals.add(relative)
            elif named and (found := _form_problem(source)) is not None:
                damaged_copied[relative] = found  # copied as it is before: named every time, until repaired
        elif not keep(relative, source):
            was = payload_id(target) if target.is_file() else None
            _copy(source, target)
            copied += 1
            if was is not None and was != payload_id(target):
                replaced.setdefault(relative, set()).add(was)
        done += source.stat().st_size
        progress(done / total)
    mark(may_hold, False, log_head)  # what was replaced stays known, even if this run is killed from here
    removed: list[tuple[str, str]] = []
    put_back: list[tuple[str, str]] = []
    kept_aside: list[tuple[str, str]] = []
    if study.audit.keyed:  # only the study key tells its own entries from lines anyone types (QA T13)
        removed, put_back, kept_aside = _settle(study, dest, awaiting, sources, identities)
    strangers, missing, unvouched, quiet = [], [], [], []
    originals_kept: list[str] = []  # recover's originals the study no longer holds, kept here by a run without the key
    aside: dict[str, str] = {}
    for path in walk(dest):
        relative = str(path.relative_to(dest))
        if relative == MARKER or relative in sources or relative.split("/", 1)[0] == AWAITING:
            continue
        if _MARKER_TEMP.fullmatch(relative):  # QA R10: a backup killed writing its marker left it
            if (pid := _left_by_a_dead_backup(relative)) is not None:  # a live one's: a backup running now, left alone
                path.unlink()
                tidied.append((relative, pid))
            continue
        if relative.endswith(TMP_SUFFIX):  # a copy a killed backup left half written: never a whole file
            why: str | None = "left half written by a backup cut off part-way"
        elif relative in plaintext:
            why = "plaintext"
        elif held is not None and relative not in held:
            strangers.append(relative)  # recorded or written in the backup itself: never the study's to destroy
            continue
        else:
            why = gone.why(relative, sources)
            departure = gone.departure(relative)
            if departure is not None and not departure.checked:  # only the key can tell it from a forgery (QA T13)
                aside[relative] = departure.entry
                continue
            if departure is None and _kept_original(relative, sources) and not study.audit.keyed:
                originals_kept.append(relative)  # QA QD3: deleted by hand, no entry; keyless never destroys
                continue
            # A signed entry names its place, yet its path proves nothing (QA V3: a live recording moved there on the
            # backup disk): only the very file the entry took is destroyed; another is set aside, kept, named, and
            # weighed again by each run with the key (settle19's rest)
            if departure is not None and (doubt := unproven(path, relative, departure, sources, identities, vouched)):
                aside[relative] = departure.entry
                kept_aside.append((relative, doubt))
                continue
        weighed = (
            None
            if why is not None
            else gone.draft(relative, payload_id(path), _beside(sources, relative, path, identities))
        )
        if weighed is not None and weighed.verdict == KEEP:
            unvouched.append((relative, weighed.said))  # its removal is not vouched for: kept, named (QA S11)
            continue
        if weighed is not None and weighed.verdict == AWAIT:
            aside[relative] = weighed.entry
            continue
        why = weighed.said if weighed is not None else why
        if why is None and is_draft(PurePosixPath(relative)) and relative in _drafts_removed(study):
            quiet.append(relative)  # kept and named by an earlier run (QA S11): kept, not named again
            continue
        if why is None:
            missing.append(relative)  # the study lacks it and never recorded it gone: kept (QA Q11)
        else:
            shred_file(path)
            replaced.pop(relative, None)
            removed.append((relative, why))
    unvouched += [(name, why) for name, why in put_back if name in quiet]  # with the `cp` that restores it
    awaiting.update(aside)
    mark(may_hold, False, log_head)  # before a file is set aside: a run killed after it knows why it lies there
    _set_aside(dest, aside)
    _remove_empty_folders(dest)
    for relative, source in sources.items():
        expected = sha256(source)
        if relative in kept or relative in older or relative == log:
            pass
        elif sha256(dest / relative, drop_cache=True) != expected and not keep(relative, source):
            was = payload_id(dest / relative) if (dest / relative).is_file() else None
            _copy(source, dest / relative)  # a copy that rotted since the last backup is written again
            copied += 1
            # or a newer version the size-and-time check took for the same (re-sealed in place within seconds):
            # the encryption it replaces is remembered, so that one put back is never copied over it
            if was is not None and was != payload_id(dest / relative):
                replaced.setdefault(relative, set()).add(was)
            if sha256(dest / relative, drop_cache=True) != expected:
                raise FieldvaultError(
                    f"the copy of {relative} in {dest} differs from the study after writing; the backup disk "
                    "may be failing: use another one"
                )
        done += source.stat().st_size
        progress(min(done / total, 1.0))
    for folder in {(dest / r).parent for r in sources}:
        atomicfile.sync_folder(folder)
    holding = tuple(sorted({*sources, *missing, *(n for n, _ in unvouched), *quiet, *awaiting, *originals_kept}))
    mark(holding, False, log_head)
    size = sum(p.stat().st_size for p in sources.values())
    entry = study.audit.append(  # no path: the folder may be named after anyone (QA Z9); ``backupsmade`` keeps it
        "backup", count=len(sources), bytes=size, removed=len(removed), kept=len(kept) + len(older),
        **({"failed": len(damaged_copied)} if damaged_copied else {}),
        **({"pending": len(awaiting)} if awaiting else {}),  # the report names a backup still holding them
    )  # fmt: skip
    backupsmade.remember(entry, dest)
    _copy(study.audit.path, dest / study.audit.path.name)  # so the copy's log records this backup too
    if sha256(study.audit.path) != sha256(dest / study.audit.path.name, drop_cache=True):
        raise FieldvaultError(f"the copy of the audit log in {dest} differs after writing; use another backup disk")
    mark(holding, True, str(entry["hash"]))  # finished: a copy of the study whose log lacks this entry is older
    return BackupResult(
        dest,
        copied,
        len(sources) - copied - len(kept) - len(older),
        tuple(removed),
        size,
        damaged,
        tuple(plaintext),
        tuple(sorted(kept.items())),
        bool(identities),
        tuple(strangers),
        carried,
        tuple(sorted(damaged_copied.items())),
        _grouped(missing, sources),
        tuple(older),
        tuple(tidied),
        tuple(unvouched),
        tuple(sorted(awaiting)),
        tuple(put_back),
        tuple(kept_aside),
        f"{entry['seq']}:{entry['hash']}",
        tuple(sorted(originals)),
        tuple(originals_kept),
    )


def _kept_original(relative: str, sources: dict[str, Path]) -> bool:
    """Whether ``relative`` is the original `recover` kept (``KEPT_ORIGINAL``) beside the file it re-sealed, which
    the study holds: `check` names it as such, never as a failure."""
    return relative.endswith(KEPT_ORIGINAL) and relative.removesuffix(KEPT_ORIGINAL) in sources


def _beside(
    sources: dict[str, Path], relative: str, copy: Path, identities: Sequence[Identity]
) -> Callable[[str], str]:
    """What the study holds of the content of ``copy`` (the backup's copy of the draft at ``relative``) in the
    folder where the draft lay (its session's, or the journal's): a draft saved or discarded is renamed there as it
    is sealed, keeping its bytes. A file there claiming the copy's payload id (a hash of its nonce, which anyone reads
    in its header) holds it only if its bytes are the copy's, or, given the key, it reads through its authentication
    to the copy's very text (QA T14: a file of the draft's header and nonce over junk took its place)."""
    folder = PurePosixPath(relative).parent

    def holds(payload: str) -> str:
        claiming = [
            path
            for name, path in sources.items()
            if PurePosixPath(name).parent == folder and payload_id(path) == payload
        ]
        found = {_same_content(path, copy, identities) for path in claiming}
        if not found:
            return NOTHING
        return HELD if found == {HELD} else DISPUTED if DISPUTED in found else UNSURE

    return holds


def _same_content(path: Path, copy: Path, identities: Sequence[Identity]) -> str:
    """HELD where ``path`` holds what ``copy`` holds, DISPUTED where the key shows it does not (or either fails its
    authentication), UNSURE where only the key could tell (other bytes, and no key given)."""
    if path.stat().st_size == copy.stat().st_size and _same_bytes_from(path, 0, copy, 0):
        return HELD
    if not identities:
        return UNSURE
    try:
        return HELD if _plaintext_of(path, identities) == _plaintext_of(copy, identities) else DISPUTED
    except FieldvaultError:
        return DISPUTED


def _plaintext_of(path: Path, identities: Sequence[Identity]) -> bytes:
    """A small file's text, read through its authentication in memory (a draft: never written anywhere)."""
    with path.open("rb") as stream:
        return b"".join(AgeReader(stream, identities).chunks())


def _settle(
    study: Study,
    dest: Path,
    awaiting: dict[str, str],
    sources: dict[str, Path],
    identities: Sequence[Identity],
    named: dict[str, list[str]] | None = None,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """With the study key: each file an earlier run without it set aside (``awaiting``, by the hash of the entry that
    recorded it removed; or ``named``, the hashes of every entry that names it, newest first) is destroyed where such
    an entry's mac holds and the file is the very one it took (stewardship.taken: by payload id and content, never
    by its path; QA V3), and put back in its place where none holds (or where no entry is found: a file left in the
    folder by hand); ``awaiting`` loses each. A file a signed entry names that is not one it took is kept where it
    lies, named. What was destroyed, what was put back, and what was kept: (file, why) each."""
    entries = {str(e.get("hash")): e for e in study.audit.readable()[0]}
    folder = dest / AWAITING
    found = {str(p.relative_to(folder)) for p in walk(folder) if p.is_file()} if folder.is_dir() else set()
    waits = named if named is not None else {name: [entry] for name, entry in awaiting.items()}
    removed, put_back, kept = [], [], []
    for relative in sorted(set(waits) | found):
        aside = folder / relative
        if not aside.is_file():
            awaiting.pop(relative, None)  # settled by a run killed before its marker said so
            continue
        naming = [entries[h] for h in waits.get(relative, []) if h in entries]
        entry = naming[0] if naming else None
        weighed = departures([entry] if entry else [], study.audit.vouches)
        verdict = weighed.draft(relative, payload_id(aside), _beside(sources, relative, aside, identities))
        signed = [d for e in naming if (d := departures([e], study.audit.vouches).departure(relative)) and d.checked]
        why: str | None = verdict.said if verdict is not None and verdict.verdict == DESTROY else None
        doubts = []
        for departure in signed if why is None else ():
            doubt = unproven(aside, relative, departure, sources, identities, vouched_at(study))
            if doubt is None:
                why = departure.said
                break
            doubts.append(doubt)
        if why is not None:
            shred_file(aside)
            removed.append((relative, why))
            awaiting.pop(relative, None)
            continue
        if doubts:  # a signed entry names its place, and it is not what that entry took: kept where it lies, named
            kept.append((relative, doubts[0]))
            continue
        forged = entry is None or (isinstance(entry.get("mac"), str) and study.audit.vouches(entry) is False)
        failed = _failed(entry) if forged or verdict is None else verdict.said  # a draft's: what its weighing found
        if _put_in_place(aside, dest / relative):
            awaiting.pop(relative, None)
            put_back.append((relative, failed))
        else:
            put_back.append((relative, f"{failed}; another copy is in its place, so this one stays in "
                                       f"{AWAITING}/: compare the two"))  # fmt: skip
    return removed, put_back, kept


SETTLED = "check.settled"  # a study's AWAITING folder settled by the study's own signed log (QA U2)


def settle_in_study(
    study: Study, identities: Sequence[Identity]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """A study restored from a backup that holds files set aside in AWAITING (README's restore steps delete the marker
    that kept, per file, the hash of the entry it waits on): each is settled as `backup --authenticate` settles it,
    by the entries of the study's own log that name it removed: destroyed where one the study key verifies (any
    `draft.removed`: a kit writes them unsigned, weighed by content) took that very file, kept and named where the
    verified ones name its place but took another file (QA V3), put back where only entries that fail name it or
    none does (QA U2: a withdrawn woman's recordings stayed there for good). Needs the study key. What was destroyed,
    put back and kept: (file, why) each; audited."""
    if not study.audit.keyed:
        raise BadInput("settling the files set aside needs the study key: give the passphrase")
    folder = study.root / AWAITING
    if not folder.is_dir():
        return [], [], []
    left = {str(p.relative_to(folder)) for p in walk(folder) if p.is_file()}
    verified: dict[str, list[str]] = {}  # per file, the entries the study key verifies that name it, newest first
    failing: dict[str, str] = {}  # and the newest that fails, which decides only where none holds
    for entry in reversed(study.audit.readable()[0]):
        if not isinstance(entry.get("mac"), str) and entry.get("action") != DRAFT_REMOVED:
            continue
        names = departures([entry])
        for relative in left:
            if names.departure(relative) is None and relative not in names.drafts:
                continue
            if entry.get("action") == DRAFT_REMOVED or study.audit.vouches(entry) is True:
                verified.setdefault(relative, []).append(str(entry.get("hash", "")))
            else:  # a line forged after her withdrawal never saves her files from it
                failing.setdefault(relative, str(entry.get("hash", "")))
    named = {name: verified.get(name) or [failing[name]] for name in {*verified, *failing}}
    sources = _sources(study)[0]
    removed, put_back, kept = _settle(study, study.root, {}, sources, identities, named)
    _remove_empty_folders(folder)
    with contextlib.suppress(OSError):
        folder.rmdir()
    if removed or put_back or kept:
        study.audit.append(SETTLED, removed=len(removed), failed=len(put_back), kept=len(kept))
    return removed, put_back, kept


def _failed(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "no entry of the study's audit log records it removed (put there by hand?)"
    return (
        f"{entry.get('action')} on {str(entry.get('time', ''))[:10]} (line {entry.get('seq')}) in the study's audit "
        "log fails its authentication with the study key (appended without the passphrase?)"
    )


def _put_in_place(aside: Path, target: Path) -> bool:
    """``aside`` back at ``target``, unless another file is there (one of the same bytes makes it a spare)."""
    if target.exists():
        if not (target.is_file() and target.stat().st_size == aside.stat().st_size):
            return False
        if not _same_bytes_from(aside, 0, target, 0):
            return False
        aside.unlink()
        return True
    atomicfile.make_dirs(target.parent)
    os.rename(aside, target)
    atomicfile.sync_folder(target.parent)
    return True


def _set_aside(dest: Path, aside: dict[str, str]) -> None:
    """Each of these files of the backup into its AWAITING folder, under its own path: the study's log says it was
    removed, by an entry this run, without the key, cannot check (QA T13: a line with a made-up mac destroyed the
    backup's only copy of her interview). One already set aside there with the same bytes makes it a spare; one
    with other bytes leaves it in place, for the next run."""
    for relative in sorted(aside):
        source, target = dest / relative, dest / AWAITING / relative
        if not target.exists():
            atomicfile.make_dirs(target.parent)
            os.rename(source, target)
            atomicfile.sync_folder(target.parent)
        elif (
            target.is_file()
            and target.stat().st_size == source.stat().st_size
            and _same_bytes_from(source, 0, target, 0)
        ):
            source.unlink()


def _drafts_removed(study: Study) -> set[str]:
    """Every draft the study's whole log records removed, vouched for or not."""
    return set(departures(study.audit.entries()).drafts)


def _put_back(source: Path, replaced: set[str]) -> bool:
    """The study's copy of a file is an encryption of it that this backup held and replaced with a newer one since (a
    file put back from an older backup, or an older copy of the study): every new version of a file is encrypted
    afresh, with a payload nonce never drawn before, and a re-wrap keeps it (QA Q11)."""
    return bool(replaced) and payload_id(source) in replaced


def _grouped(missing: list[str], sources: dict[str, Path]) -> tuple[tuple[str, int], ...]:
    """The files the study lacks, each named once: a participant's or a session's folder where the study holds
    nothing of it, with how many files; else the file (count 1)."""
    found: dict[str, int] = {}
    for relative in missing:
        parts = relative.split("/")
        name = relative
        if parts[0] == layout.PARTICIPANTS and len(parts) > 2:
            for depth in (2, 3)[: len(parts) - 2]:
                folder = "/".join(parts[:depth]) + "/"
                if not any(s.startswith(folder) for s in sources):
                    name = folder
                    break
        found[name] = found.get(name, 0) + 1
    return tuple(found.items())


BACKUP_ENTRY = "backup.entry"  # an entry a command run on a backup wrote in the backup's own log
UNCHAINED_BACKUP_ENTRY = "backup.entry-unchained"  # the same, where the backup log's chain does not vouch for it
CUT_ENTRY = "audit.restored-from-backup"  # an entry the study's log lost (cut off?) that an earlier backup copied
BACKUP_ACTIONS = (BACKUP_ENTRY, UNCHAINED_BACKUP_ENTRY, CUT_ENTRY)


def _backup_log(study: Study, dest: Path) -> list[dict[str, Any]]:
    log = dest / study.audit.path.name
    return AuditLog(log).readable()[0] if log.is_file() else []


def _copied_up_to(theirs: list[dict[str, Any]], marker: BackupMarker) -> int:
    """Where, in the backup's log, what the last backup here copied from the study ends: at that backup's own entry
    (its hash kept in the marker; before markers kept it, the last `backup` entry not written on a backup). After it
    come only the entries of commands run on the backup. -1 where it is not found."""
    if marker.log_head is not None:
        return next((n for n, e in enumerate(theirs) if e.get("hash") == marker.log_head), -1)
    ours = (n for n, e in enumerate(theirs) if e.get("action") == "backup" and ON_BACKUP not in _details(e))
    return max(ours, default=-1)


def _details(entry: dict[str, Any]) -> dict[str, Any]:
    details = entry.get("details")
    return details if isinstance(details, dict) else {}


def _since(study: Study, marker: BackupMarker, theirs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The study's log entries since the last finished backup here: after its own entry (the marker keeps its hash;
    a run killed part-way leaves it as it was, so the next run follows what that one did not finish); before markers
    kept it, those the backup's copy of the log lacks."""
    ours = study.audit.readable()[0]
    at = next((n for n, e in enumerate(ours) if e.get("hash") == marker.log_head), None)
    if at is not None:
        return ours[at + 1 :]
    known = {e.get("hash") for e in theirs}
    return [e for e in ours if e.get("hash") not in known]


def _refuse_an_older_copy(study: Study, dest: Path, marker: BackupMarker, theirs: list[dict[str, Any]]) -> None:
    """QA Q11: a copy of the study whose log lacks entries the backup copied from the study (an older copy: a second
    machine, a restored disk, a synced folder rolled back; or a log cut short) would destroy and replace the newer
    files the backup holds. Nothing is written, here or in the backup; the refusal stands until the newest copy is
    backed up (restored entries once made a second run go on: no longer)."""
    ours, unreadable = study.audit.readable()
    known = {e.get("hash") for e in ours}
    copied = _copied_up_to(theirs, marker)
    lacking = [e for e in theirs[: copied + 1] if e.get("hash") not in known]
    if marker.log_head is not None:  # after it only commands run on the backup write, each marked so (a torn line
        # set aside there is noted without the mark)
        lacking += [
            e
            for e in theirs[copied + 1 :]
            if e.get("hash") not in known and ON_BACKUP not in _details(e) and e.get("action") != TORN
        ]
    if not lacking and (marker.log_head is None or marker.log_head in known):
        return
    if unreadable:
        raise FieldvaultError(
            f"the study's audit log is damaged (line {unreadable[0]} does not read), and the backup in {dest} holds "
            "entries it lacks; nothing in the backup was changed: run "
            f"`{command('audit', str(study.root), '--verify')}` and restore {study.audit.path.name} from the "
            "backup's copy, then back up again"
        )
    actions = list(dict.fromkeys(str(e.get("action")) for e in lacking))
    since = f" (from {str(lacking[0].get('time', ''))[:10]}: {', '.join(actions[:4])})" if lacking else ""
    raise FieldvaultError(
        f"{study.root} is an older copy of the study than the backup in {dest}: its audit log lacks "
        f"{max(len(lacking), 1)} entr{'y' if len(lacking) <= 1 else 'ies'} the backup copied from a newer copy"
        f"{since}; nothing in the backup was changed. Back up from the newest copy (if it is lost, restore the study "
        f"from {dest}); to keep this copy's own work, back it up to a new empty folder and keep {dest} as it is"
    )


def _carry_log(study: Study, dest: Path, marker: BackupMarker, theirs: list[dict[str, Any]]) -> int:
    """QA J2: a command run on a backup (decrypt, export, report: allowed there since H4) is audited in the backup's
    own log, which this backup then replaces with the study's. Before that, each entry the study's log does not
    hold (by its hash: the backup's log began as a copy of the study's) is written into the study's log, with its
    origin, as merge-kit takes a kit's; one already taken (a run killed before the copy) is not taken twice. Only
    entries after what the last backup here copied are taken: one before it that the study lacks makes this copy of
    the study an older one, refused before (``_refuse_an_older_copy``)."""
    ours = study.audit.readable()[0]  # a damaged study log is still backed up (its own check names it)
    known = {e.get("hash") for e in ours}
    known |= {
        e["details"].get("sha256")
        for e in ours
        if e.get("action") in BACKUP_ACTIONS and isinstance(e.get("details"), dict)
    }
    doubtful = unchained(theirs)
    count = 0
    for entry in theirs[_copied_up_to(theirs, marker) + 1 :]:
        if entry.get("hash") in known:
            continue
        kept = {
            str(k): v
            for k, v in _details(entry).items()
            if k in ALLOWED_DETAILS
            and not str(k).startswith("origin")
            and k != "sha256"
            and isinstance(v, str | int | float)
        }
        action = UNCHAINED_BACKUP_ENTRY if int(str(entry["seq"])) in doubtful else BACKUP_ENTRY
        study.audit.append(action, **origin_of(entry, backupsmade.ref(marker.log_head)), **kept)
        count += 1
    return count


def _remove_empty_folders(dest: Path) -> None:
    for parent, dirs, _files in os.walk(dest, topdown=False):
        for name in dirs:
            folder = Path(parent) / name
            if not any(folder.iterdir()):
                folder.rmdir()
