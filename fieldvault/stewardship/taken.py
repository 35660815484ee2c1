"""Whether a file set aside in AWAITING is the very file a signed entry recorded taken (destroyed, or moved away), so
that destroying it loses nothing (QA V3).

A file's path proves nothing: anyone who can write a backup disk can move a live recording into the place of a
session removed there, and the settle that follows (`check --settle`, `backup --authenticate`) would destroy her
interview on the strength of the path alone. What the entry records decides instead:

- an entry with payload ids (`session remove`, `withdraw`, retention, `session move`, `participant rename`, an
  editor's autosave saved or discarded: each records the payload ids of the files it takes): the file's payload id
  must be one of them, and the file must read whole through its authentication with the study key (a payload id is
  a hash of a nonce anyone reads in a file's header; only the key shows the content is the encryption that nonce
  began);
- a `session move` or `participant rename` logged before they recorded payload ids: the study's file at the place
  the entry moved it to must hold the same content (the same bytes, or, re-sealed, the same text through the key);
- an earlier encryption of the file at that very place (saved again in the study after the backup copied it, then
  taken): its payload id is not the entry's, so its text must be one a signed entry of the study key vouched for at
  that path (her list, her profile, a transcript or redactions: the files entries vouch for; the vouch covers the
  path, so another woman's file moved there never matches);
- a file without an age header that is text (her `participant.id`, the session index, a removal's plan: what
  fieldvault keeps in plaintext, nothing of an interview): destroyed; one that is not text (a sealed file whose
  header was damaged reads as random bytes) is kept;
- anything else (an entry written by a fieldvault before payload ids were recorded: a removal, an autosave's end,
  which cannot tell): nothing proves it, so it is kept where it lies and named. That is safe: nothing is destroyed on
  a path alone, a kept file is named with what to do (delete it by hand once sure, or move it back where `check` says
  a file is gone), and `check` goes on failing on the folder until it is dealt with.

Reads files and decrypts in memory; never writes anything.
"""

from __future__ import annotations

import codecs
import hashlib
import hmac
import os
from collections.abc import Callable, Iterator, Sequence
from itertools import zip_longest
from pathlib import Path, PurePosixPath

from fieldvault import layout
from fieldvault.agefile import AgeReader, Identity
from fieldvault.agefile.header import payload_id
from fieldvault.audiofile import AUDIO_ID
from fieldvault.errors import FieldvaultError
from fieldvault.events import SessionEvents
from fieldvault.stewardship.departures import Departure, departures
from fieldvault.study import Study
from fieldvault.suggested import command, shell

_BLOCK = 1 << 20
# Whether a signed entry of the study key vouched for this text (its SHA-256) at this path
Vouched = Callable[[str, bytes], bool]
_VOUCHED_NAMES = frozenset({layout.PROFILE, layout.IDENTIFIERS, layout.TRANSCRIPT, layout.REDACTIONS})


def unproven(
    aside: Path,
    relative: str,
    departure: Departure,
    study: dict[str, Path],
    identities: Sequence[Identity],
    vouched: Vouched,
) -> str | None:
    """None where ``aside`` (set aside from ``relative``) is what ``departure``'s entry took; else why it is kept, and
    what to do. ``study``: the study's files by relative path (for a move, the place it went)."""
    said = departure.said
    payload = payload_id(aside)
    if payload is None and _text(aside):
        return None  # what fieldvault keeps in plaintext (her participant.id, the session index, a removal's plan)
    if payload is None:
        return f"it is neither an age file nor text, and {said} removed no such file" + _AFTER_HAND
    if departure.payloads is None and departure.moved is not None:  # a move logged before payload ids were
        old, new = departure.moved
        there = study.get(new + relative[len(old) :])
        if there is not None and _same_content(there, aside, identities):
            return None
        return (
            f"{said} moved it to {new}, and the study's file there does not hold what this one holds (another file "
            "put in its place?)" + _AFTER_HAND
        )
    if departure.payloads is None:
        return (
            f"{said} records no payload ids of the files it removed (written by an older fieldvault), so nothing "
            "shows this file is one of them" + _AFTER_HAND
        )
    if payload not in departure.payloads and _vouched_here(aside, relative, identities, vouched):
        return None  # an earlier version of the file the entry took, saved at that place by the study key
    if payload not in departure.payloads:
        return (
            f"it is not one of the {len(departure.payloads)} file(s) {said} removed (its payload id is none of those "
            "the entry recorded): another file was put in a removed one's place; "
            + (claimed_by(aside, payload, study, identities) or _compare(aside, relative))
        )
    if not _reads_whole(aside, identities):
        return (
            f"it claims the payload of a file {said} removed, yet does not read through its authentication with the "
            "study key (damaged, or made to look like it); it is in no backup while it lies there: if it is a "
            "damaged copy of the file removed, delete it by hand"
        )
    return None


def vouched_at(study: Study) -> Vouched:
    """Whether a signed entry of the study key vouched for a text (its SHA-256) at a path (``unproven``)."""

    def vouched(relative: str, text_sha256: bytes) -> bool:
        expected = study.audit.payload_mac(relative, text_sha256)
        return expected is not None and any(
            relative in macs and hmac.compare_digest(macs[relative], expected) and study.audit.vouches(entry) is True
            for entry, macs in study.vouching_entries()
        )

    return vouched


def kept_by_settle(study: Study, sources: dict[str, Path], identities: Sequence[Identity]) -> dict[str, str]:
    """For each file set aside in the study's AWAITING folder that the settle keeps (`check --settle`: an entry the
    study key signed names its place, and it is none of the files that entry took): its path in the study, and why,
    with what to do (``unproven``). `check` names these on their own and never offers the settle for them, which
    would keep them again (QA W12: a loop). ``sources``: the study's files by relative path."""
    folder = study.root / layout.AWAITING_AUTHENTICATION
    if not folder.is_dir():
        return {}
    entries, vouched = study.audit.readable()[0], vouched_at(study)
    kept = {}
    for aside in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = aside.relative_to(folder).as_posix()
        signed = [
            found
            for entry in reversed(entries)
            if (found := departures([entry], study.audit.vouches).departure(relative)) is not None and found.checked
        ]
        doubts = [unproven(aside, relative, departure, sources, identities, vouched) for departure in signed]
        if doubts and None not in doubts:
            kept[relative] = str(doubts[0])
    return kept


def claimed_by(aside: Path, payload: str, study: dict[str, Path], identities: Sequence[Identity]) -> str | None:
    """Whose the file set aside is, and the command that puts it back, where it is a recording the study lacks
    (``claimed``). None where no such session names it."""
    found = claimed(payload, study, identities)
    if found is None:
        return None
    _, pseudonym, session, _ = PurePosixPath(found).parts
    target = study[found.replace(layout.AUDIO, layout.EVENTS)].with_name(layout.AUDIO)
    put = shell("mv", aside, target) if aside.is_relative_to(target.parents[3]) else shell("cp", "-p", aside, target)
    return (
        f"it is {pseudonym}'s recording of session {session}, which the study lacks (her session's sealed timeline "
        f"names its payload id): put it back with `{put}`, then check again"
    )


def claimed(payload: str | None, study: dict[str, Path], identities: Sequence[Identity]) -> str | None:
    """The recording (its path in the study) that a session lacks whose sealed timeline names ``payload`` (QA W12:
    her live recording moved into a removed session's place in a backup; the settle kept it, and `check` named her
    recording gone and the kept file apart, never as one). None where none does (or without the key, which reads
    the timelines). ``study``: the study's files by relative path."""
    if payload is None or not identities:
        return None
    for relative, path in sorted(study.items()):
        parts = PurePosixPath(relative).parts
        if len(parts) != 4 or parts[0] != layout.PARTICIPANTS or parts[3] != layout.EVENTS:
            continue
        audio = "/".join((*parts[:3], layout.AUDIO))
        if audio in study or os.path.lexists(path.with_name(layout.AUDIO)):
            continue
        try:
            info = SessionEvents.from_json(b"".join(_plaintext(path, identities)), relative).info
        except FieldvaultError:
            continue  # a damaged timeline is named by check on its own
        if info.get(AUDIO_ID) == payload:
            return audio
    return None


def _compare(aside: Path, relative: str) -> str:
    """What to do with a file kept that no file the study lacks claims: compare it, then delete it."""
    root = aside.parents[len(PurePosixPath(relative).parts)]
    if (root / layout.BACKUP_MARKER).is_file():
        read = "read it with the study key, or listen to it"
    else:
        where = aside.relative_to(root)
        read = f"`{command('decrypt', root, where, '--out', 'COPY')}`: read it, or listen to it"
    return (
        f"no file the study lacks claims its payload id, and it is in no backup while it lies there: compare it with "
        f"what the study holds ({read}), then delete it (`{shell('rm', aside)}`)"
    )


# What to do with a file kept: it is no study data while it lies there (nothing reads it, no backup copies it).
_AFTER_HAND = (
    "; it is in no backup while it lies there: if `fieldvault check` names a file of the study "
    "gone, this may be it (move it back there by hand, then check again); if it is not the study's, delete it by hand"
)


def _text(path: Path) -> bool:
    """Whether the file is UTF-8 text throughout (a sealed file, its header damaged or not, never is)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as stream:
            while block := stream.read(_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _vouched_here(path: Path, relative: str, identities: Sequence[Identity], vouched: Vouched) -> bool:
    """Whether ``path`` reads whole through the key to a text the study key vouched for at ``relative`` (only the small
    files entries vouch for are read, in memory)."""
    if not identities or Path(relative).name not in _VOUCHED_NAMES:
        return False
    try:
        text = b"".join(_plaintext(path, identities))
    except FieldvaultError:
        return False
    return vouched(relative, hashlib.sha256(text).digest())


def _plaintext(path: Path, identities: Sequence[Identity]) -> Iterator[bytes]:
    with path.open("rb") as stream:
        yield from AgeReader(stream, identities).chunks()


def _reads_whole(path: Path, identities: Sequence[Identity]) -> bool:
    if not identities:
        return False  # only the key can tell
    try:
        for _ in _plaintext(path, identities):
            pass
    except FieldvaultError:
        return False
    return True


def _same_content(path: Path, copy: Path, identities: Sequence[Identity]) -> bool:
    """Whether ``path`` holds what ``copy`` holds: the same bytes, or (given the key) the same text, both read whole
    through their authentication."""
    if path.stat().st_size == copy.stat().st_size and _same_bytes(path, copy):
        return True
    if not identities:
        return False
    try:
        return all(a == b for a, b in zip_longest(_plaintext(path, identities), _plaintext(copy, identities)))
    except FieldvaultError:
        return False


def _same_bytes(a: Path, b: Path) -> bool:
    with a.open("rb") as one, b.open("rb") as other:
        while block := one.read(_BLOCK):
            if block != other.read(_BLOCK):
                return False
        return not other.read(1)
