"""The study key vouches for sealed files that anyone holding the study's public keys could replace: each woman's list
of names she may mention, the study's list, her profile (answers and consent record). The signed audit entry that
writes one records a keyed digest of its payload (``audit.VOUCHES``); with the study key in use, a reader refuses a
file whose digest the newest signed entry naming its path does not record (QA S14). Without the study key (a
transcriber's key, a locked study) nothing can be checked, and nothing is refused.

A vouched write (``seal_vouched``) seals the new file beside its place first (``staged``), then appends the signed entry
vouching for the new payload, then renames it in (QA U8: the other order, cut off between rename and entry, left the
newest file refused as replaced). Cut off before the entry: the old file stays, vouched, and the staged one is a
leftover the next write replaces. Cut off after it: the next unlock puts the staged file in place (``finish``).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from fieldvault import atomicfile, auditratchet, layout
from fieldvault.agefile import Identity, encrypt_bytes
from fieldvault.audit import vouch_mac, vouched
from fieldvault.errors import BadStudyFile, FieldvaultError, LockedStudy
from fieldvault.suggested import command

if TYPE_CHECKING:
    from fieldvault.study import Study

T = TypeVar("T")
# The first unlocked command after files were sealed without the study key (before it vouched for files, or with the
# study locked) vouches for them as they are, with a count and a note: nothing can tell what they held before. So a
# redactions file vouched for so is no review (fieldvault.sessionvouch: its session counts as unreviewed, QA W17).
ADOPTED = "participant.files-vouched"
RENAMED = "participant.rename"  # participantrename.ACTION, which imports this module
FILES = (layout.PROFILE, layout.IDENTIFIERS)  # in her folder
SESSION_FILES = (layout.TRANSCRIPT, layout.REDACTIONS)  # in a session folder (fieldvault.sessionvouch: QA T11)


def digest(payload: bytes) -> bytes:
    return hashlib.sha256(payload).digest()


def relative_of(study: Study, path: str | Path) -> str:
    """A file's path in the study as entries name it ("participants/Rose/identifiers.json.age")."""
    candidate = Path(path)
    if candidate.is_absolute():
        candidate = candidate.relative_to(study.root)
    return candidate.as_posix()


def vouched_paths(study: Study) -> list[str]:
    """Every file of the kinds the study key vouches for that is in the study now; none in the folder of a rename cut
    off (running it again checks her files where the study key vouched for them, and vouches for them renamed: taken
    as they were, her review would count as not done and stop the rename)."""
    from fieldvault.participantrename import begun_plan  # it reads this module: import here

    found = [layout.STUDY_IDENTIFIERS] if (study.root / layout.STUDY_IDENTIFIERS).is_file() else []
    for name in study.participant_names():
        folder = layout.participant(study.root, name)
        if (folder / layout.RENAMING).is_file() and begun_plan(study, folder / layout.RENAMING) is not None:
            continue  # one put there by hand vouches for no skip (QA X8)
        found += [relative_of(study, folder / f) for f in FILES if (folder / f).is_file()]
        for session in sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()):
            found += [relative_of(study, session / f) for f in SESSION_FILES if (session / f).is_file()]
    return found


def newest(study: Study, relative: str) -> str | None:
    """What the newest signed entry naming ``relative`` records of its payload; None when no signed entry does (or
    without the study key). An entry appended without the key says nothing, whatever it claims (QA F27)."""
    for entry, macs in reversed(study.vouching_entries()):
        stated = macs.get(relative)
        if stated is not None and study.audit.vouches(entry):
            return stated
    return None


def claimed(study: Study, paths: Iterable[str | Path]) -> bool:
    """Whether an entry (signed or not: this asks for no key) says it wrote one of ``paths`` in this study: a file
    sealed there again without the study key would read as replaced, so writing one needs the key."""
    wanted = {relative_of(study, path) for path in paths}
    return not study.is_field_kit and any(wanted & set(macs) for _, macs in study.vouching_entries())


def refuse_locked_rewrite(study: Study, paths: Iterable[str | Path]) -> None:
    """LockedStudy where a file the study key vouched for would be sealed anew without it (``claimed``)."""
    if not study.audit.keyed and claimed(study, paths):
        raise LockedStudy(
            "the study key vouched for a file sealed here before (her list of names or her profile): sealing a new "
            "one needs it too, or it would read as replaced; give the study passphrase"
        )


def what_file(relative: str) -> str:
    parts = relative.split("/")
    if parts == [layout.STUDY_IDENTIFIERS]:
        return "the study's list of names people may mention"
    if parts[-1] == layout.IDENTIFIERS:
        return f"{parts[-2]}'s list of names she may mention"
    if parts[-1] == layout.PROFILE:
        return f"{parts[-2]}'s profile (her answers and consent record)"
    return "this file"


def refuse_replaced(study: Study, relative: str | Path, sha256: bytes) -> None:
    """BadStudyFile when the newest signed entry naming the file vouches for another payload: replaced without the
    study key since it was sealed (a forged file, or an older copy put back). A file no signed entry names yet is read
    as it is (``adopt`` vouches for it at the next unlock)."""
    where = relative_of(study, relative)
    expected = study.audit.payload_mac(where, sha256)
    if expected is None:  # without the study key: its signature, under the key the identity file pins (QA T17)
        from fieldvault.vouchsign import refuse_unsigned  # it imports this module: import here

        refuse_unsigned(study, where, sha256, what_file(where))
        return
    stated = newest(study, where)
    if stated is None or hmac.compare_digest(stated, expected):
        return
    if vouched_before(study, where, expected) is not None:
        raise BadStudyFile(
            f"{what_file(where)} was replaced since the study key sealed it, by an older one it vouched for (an older "
            f"copy put back, or a write cut off and its new file deleted since): restore {where} from your latest "
            f"backup, then run the command again; {keep_older_hint(study, where)}"
        )
    raise BadStudyFile(
        f"{what_file(where)} was replaced since the study key sealed it (a forged file, or an older copy put back): "
        f"restore {where} from your latest backup, then run the command again"
    )


def vouched_before(study: Study, relative: str, expected: str) -> dict[str, Any] | None:
    """The newest signed entry that vouched for the payload ``expected`` (its ``payload_mac``) at ``relative``, where
    a later signed entry vouched for another: an older copy put back, or the file in place when a write was cut off
    after its entry and its staged file deleted since (QA U8's rest). None where none did."""
    found = last = None
    for entry, macs in study.vouching_entries():
        if relative in macs and study.audit.vouches(entry):
            last, found = entry, entry if hmac.compare_digest(macs[relative], expected) else found
    return None if found is last else found


def keep_older_hint(study: Study, relative: str) -> str:
    """The way on where no backup holds the newer file (``fieldvault.keptolder``): the PI's, with the passphrase."""
    return (
        f"if no backup holds a newer one, `{command('check', study.root, '--keep-older', relative)}` keeps this one "
        "and says what is lost"
    )


@dataclass(frozen=True)
class Opened(Generic[T]):
    """A sealed document as parsed, and its payload's SHA-256 (what the entry that wrote it vouches for)."""

    value: T
    sha256: bytes


@functools.cache
def digesting(parse: Callable[[bytes, str], T]) -> Callable[[bytes, str], Opened[T]]:
    """``parse`` that keeps the payload's digest too; one per parser, so the sealed cache keeps what it made."""

    def opened(data: bytes, where: str) -> Opened[T]:
        return Opened(parse(data, where), digest(data))

    return opened


def read_vouched(
    study: Study, relative: str | Path, identities: Sequence[Identity], parse: Callable[[bytes, str], T]
) -> T:
    """``study.read_parsed``, refused in one line when the file is not the one the study key last vouched for."""
    opened = study.read_parsed(relative, identities, digesting(parse))
    refuse_replaced(study, relative, opened.sha256)
    return opened.value


def read_back(study: Study, paths: Iterable[str | Path], identities: Sequence[Identity]) -> dict[str, bytes]:
    """{path: payload digest} of each of ``paths`` that exists, as just written: what the entry recording the write
    vouches for."""
    found = {}
    for path in paths:
        if (study.root / path).is_file():
            relative = relative_of(study, path)
            found[relative] = digest(study.read(relative, identities))
    return found


def staged(path: Path) -> Path:
    """Where a vouched write seals its new file before the entry vouching for it (a leftover no backup copies)."""
    return path.with_name(f".{path.name}.vouched.tmp")


def seal_vouched(
    study: Study, action: str, files: dict[str, bytes], /, **details: str | int | float
) -> dict[str, bytes]:
    """Seal ``files`` ({path in the study: plaintext}) in place of the ones there, in the order no cut-off leaves the
    newest file refused (QA U8): each sealed beside its place and fsynced, then ``action``'s entry vouching for every
    new payload, then each renamed in. {path: payload digest}, as the entry records."""
    study.refuse_backup()
    written: dict[str, bytes] = {}
    for relative, plaintext in files.items():
        path = study.path(relative)
        atomicfile.make_dirs(path.parent)
        sealed = encrypt_bytes(plaintext, study.recipients())
        fd = os.open(staged(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, atomicfile.FILE_MODE)  # a leftover: replaced
        with os.fdopen(fd, "wb") as out:
            out.write(sealed)
            out.flush()
            os.fsync(out.fileno())
        written[relative_of(study, relative)] = digest(plaintext)
    study.audit.append_vouching(action, written, **details)
    for relative in written:
        path = study.path(relative)
        os.replace(staged(path), path)
    for folder in sorted({study.path(relative).parent for relative in written}):
        atomicfile.sync_folder(folder)
    return written


def finish(study: Study, identities: Sequence[Identity]) -> int:
    """With the study key just put to use: put in place each staged file (``seal_vouched``) that the newest signed
    entry naming its place vouches for, where the file there is not that one (a write cut off after its entry, before
    its rename: the log already says it was written). A staged file no entry vouches for (cut off before its entry)
    is left for the next write to replace. How many were put in place."""
    if study.is_field_kit or study.on_backup:
        return 0
    done = 0
    for leftover in _staged_files(study):
        place = leftover.with_name(leftover.name[1 : -len(".vouched.tmp")])
        relative = relative_of(study, place)
        try:
            stated = newest(study, relative)
            expected = study.audit.payload_mac(relative, digest(study.read(relative_of(study, leftover), identities)))
            if stated is None or expected is None or not hmac.compare_digest(stated, expected):
                continue
            if place.is_file():
                there = study.audit.payload_mac(relative, digest(study.read(relative, identities)))
                if there is not None and hmac.compare_digest(stated, there):
                    continue
            os.replace(leftover, place)
            atomicfile.sync_folder(place.parent)
            done += 1
        except (OSError, FieldvaultError):  # a read-only copy; a damaged file `check` names
            continue
    return done


def _staged_files(study: Study) -> list[Path]:
    folders = [study.root]
    participants = layout.participants(study.root)
    if participants.is_dir():
        for folder in sorted(p for p in participants.iterdir() if p.is_dir() and not p.is_symlink()):
            folders.append(folder)
            folders += sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
    return [p for folder in folders for p in sorted(folder.glob(".*.vouched.tmp")) if p.is_file()]


def adopt(study: Study, identities: Sequence[Identity]) -> int:
    """With the study key just put to use: vouch, in one signed entry, for each file of the vouched kinds that no
    signed entry names (sealed before the key vouched for files, or with the study locked), as it is; tell the user
    once. None in a field kit or a backup, or where the log cannot be written; a file that does not decrypt is left
    to `check`, which also says how many were vouched for so (``adopted_note``). How many were."""
    if study.is_field_kit or study.on_backup:
        return 0
    found: dict[str, bytes] = {}
    try:
        for relative in vouched_paths(study):
            if newest(study, relative) is None:
                try:
                    found[relative] = digest(study.read(relative, identities))
                except FieldvaultError:
                    continue  # damaged or not the study's: `check` and every reader name it
        if found:
            sessions = sum(1 for path in found if path.rsplit("/", 1)[-1] in SESSION_FILES)
            study.audit.append_vouching(ADOPTED, found, count=len(found) - sessions, sessions=sessions)
    except (OSError, FieldvaultError):  # a read-only copy; a log `audit --verify` is about to name as damaged
        return 0
    return len(found)


def adopted_note(study: Study) -> list[str]:
    """What `check` says of the files the study key vouched for as they were (``adopt``) since the last check: a
    forged file put there before then was vouched for too, and only the person who knows the study can tell."""
    count = sessions = 0
    for entry in study.audit.entries():
        if entry.get("action") == "check":
            count = sessions = 0
        elif entry.get("action") == ADOPTED and study.audit.vouches(entry):
            count += int(entry["details"].get("count", 0))
            sessions += int(entry["details"].get("sessions", 0))
    said = []
    if count:
        said.append(
            f"the study key now vouches for {count} list(s) of names and profile(s) sealed without it (before this "
            "release, or with the study locked), as they were when it was next unlocked: from now on one replaced "
            "without the passphrase is refused"
        )
    if sessions:
        said.append(
            f"the study key now vouches for {sessions} transcript(s) and redaction file(s) written without it (before "
            "this release, or with a transcriber's key), as they were when it was next unlocked: from now on an older "
            "copy put back is refused; a redactions file among them is no review: its session counts as unreviewed "
            "until someone with the passphrase reviews it again"
        )
    return said


# --- a field kit's lists and profiles, at merge-kit ------------------------------------------------------------


@dataclass(frozen=True)
class KitVouch:
    """What the kit entry that last wrote a file recorded: the entry's forward key, the path it wrote (the folder
    may have been renamed on the kit since), and the keyed digest."""

    key: bytes
    written_at: str
    mac: str


def kit_vouches(
    entries: Sequence[dict[str, Any]], first: bytes, doubtful: set[int], damaged: bool = False
) -> dict[str, KitVouch] | None:
    """{path on the kit now: KitVouch} from the kit's entries its forward key vouches for (``first``: the key of its
    entry 1; ``doubtful``: entries rewritten or unchained, which vouch for nothing), renames on the kit followed;
    None when no entry vouches for a payload (its fieldvault predates vouching: nothing to check). With ``damaged``,
    what the doubtful entries alone say they vouch for: a line altered in one byte (a flipped bit on the stick) keeps a
    vouch that its own number's key still checks, and the holder of the kit has no older key to forge one (QA V2)."""
    found: dict[str, KitVouch] = {}
    key, at, any_vouch = first, auditratchet.FIRST_SEQ, False
    for entry in entries:
        seq = int(str(entry["seq"]))
        details = entry.get("details")
        if entry.get("action") == RENAMED and seq not in doubtful and isinstance(details, dict):
            before = f"{layout.PARTICIPANTS}/{details.get('moved_from')}/"
            after = f"{layout.PARTICIPANTS}/{details.get('pseudonym')}/"
            found = {(after + p[len(before) :] if p.startswith(before) else p): v for p, v in found.items()}
        macs = vouched(entry)
        if not macs or (seq in doubtful) != damaged or seq < auditratchet.FIRST_SEQ:
            continue
        for _ in range(seq - at):
            key, at = auditratchet.step(key), at + 1
        any_vouch = True
        found.update({path: KitVouch(key, path, mac) for path, mac in macs.items()})
    return found if any_vouch else None


def kit_problem(vouches: dict[str, KitVouch] | None, kit_root: Path, relative: str, sha256: bytes) -> str | None:
    """Why a kit's list or profile at ``relative`` is not the one the kit sealed there, or None. A list no kit entry
    vouches for is refused; a profile is not: a `participant add` cut off between her profile and her list (power
    lost) leaves one that no entry names, and `add-list` on the kit then seals the list alone."""
    if vouches is None:
        return None
    found = vouches.get(relative)
    if found is None and relative.endswith("/" + layout.IDENTIFIERS):
        again = command("participant", "add-list", kit_root, relative.split("/")[-2], "--identifiers", "FILE")
        return (
            "is vouched for by no entry the kit wrote (sealed with the public keys alone, on the laptop or off it; or "
            "a `participant add` cut off on the kit): put back the one the kit sealed, from a copy of the kit, or "
            f"delete it on the kit and seal her list again (`{again}`), then merge again"
        )
    if found is None:
        return None
    if hmac.compare_digest(found.mac, vouch_mac(found.key, found.written_at, sha256)):
        return None
    return (
        "is not the one the kit sealed there (replaced on the laptop with the public keys alone: a forged or older "
        "copy): put back the one the kit sealed, from a copy of the kit, then merge again"
    )
