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
from collections.abc import Callable, Iterator, Sequence
from itertools import zip_longest
from pathlib import Path

from fieldvault import layout
from fieldvault.agefile import AgeReader, Identity
from fieldvault.agefile.header import payload_id
from fieldvault.errors import FieldvaultError
from fieldvault.stewardship.departures import Departure

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
            "the entry recorded): another file was put in a removed one's place" + _AFTER_HAND
        )
    if not _reads_whole(aside, identities):
        return (
            f"it claims the payload of a file {said} removed, yet does not read through its authentication with the "
            "study key (damaged, or made to look like it); it is in no backup while it lies there: if it is a "
            "damaged copy of the file removed, delete it by hand"
        )
    return None


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
