"""What a field kit knows of the files it imported (QA AA9): it cannot read the digests its sealed timelines hold, so
an import cut off after its session was in place (a dead battery before `--shred-original` ran) was imported again
as a follow-up, and merge-kit then refused the whole kit.

Before an import's session goes into place, the kit's log records ``STAGED``: the session, and the SHA-256 of the
file keyed with the kit's own imports key (``KEY_FILE``, random, made by the kit's first import: the forward log key
moves on with every entry and cannot key anything compared later). The log is plaintext and its entries go to the
study's log at merge (this one without its ``SOURCE``), so no bare digest of a recording is in either; whoever holds
the kit holds the key too, and can tell a file they hold was imported here, no more. A file whose keyed digest such an
entry names, and whose session is in place on the kit, is refused and left as it is: a forged entry (which needs the
file's own digest) can only make the kit leave a recording where it was, never shred it.

An import's `--shred-original` overwrites the file with a keystream drawn from that entry's ``SOURCE``, so a shred
cut off before its unlink leaves a file the kit knows for what it is: nothing but that overwrite.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

from fieldvault import atomicfile, layout
from fieldvault.study import Study

KEY_FILE = layout.KIT_IMPORTS_KEY
STAGED = "import.staged"  # the kit's entry written just before an import's session is renamed into place
SOURCE = "source"  # its detail: the file's SHA-256 keyed with the kit's imports key (``source_tag``)
BLOCK = 1 << 20


def source_tag(kit: Study, sha256: str) -> str:
    """The SHA-256 of a file keyed with the kit's imports key, made where the kit has none (its first import; a key
    file deleted or damaged is made afresh, and the files imported before it are then told only by merge-kit)."""
    path = kit.root / KEY_FILE
    key = _read_key(path)
    if key is None:
        key = os.urandom(32)
        atomicfile.replace(path, key.hex().encode() + b"\n")
    return hmac.new(key, b"fieldvault kit import " + sha256.encode(), "sha256").hexdigest()


def _read_key(path: Path) -> bytes | None:
    try:
        key = bytes.fromhex(path.read_bytes()[:100].decode("ascii").strip())
    except (OSError, ValueError):
        return None
    return key if len(key) == 32 else None


def _staged(kit: Study) -> Iterator[tuple[str, str]]:
    """(source tag, session id) of each ``STAGED`` entry of the kit's log (its whole lines: a torn one says nothing;
    one whose session is no session's name, such as a path out of the kit, says nothing either)."""
    from fieldvault.kitmerge import SESSION_ID  # it imports this module: import here

    for entry in kit.audit.readable()[0]:
        details = entry.get("details")
        if entry.get("action") == STAGED and isinstance(details, dict):
            tag, session = details.get(SOURCE), details.get("session")
            if isinstance(tag, str) and isinstance(session, str) and SESSION_ID.match(session):
                yield tag, session


def _in_place(kit: Study, session: str) -> str | None:
    """The session ``session`` of any participant on the kit (renamed on the kit since, or not) that holds a
    recording, relative to the kit; None where none does."""
    for folder in sorted(layout.participants(kit.root).glob(f"*/{session}")):
        if os.path.lexists(folder / layout.AUDIO):
            return folder.relative_to(kit.root).as_posix()
    return None


def imported_here(kit: Study, tag: str) -> str | None:
    """The session (relative to the kit) an import on this kit made from the file whose ``source_tag`` is ``tag``,
    where it is in place; None where none is (an import cut off before its session was in place made none)."""
    for staged, session in _staged(kit):
        if hmac.compare_digest(staged, tag) and (found := _in_place(kit, session)) is not None:
            return found
    return None


def keystream(tag: str) -> Iterator[bytes]:
    """The bytes `--shred-original` overwrites the file whose ``source_tag`` is ``tag`` with, a block at a time: as
    good as random ones for overwriting, and the kit can tell them again (``overwritten``)."""
    key = hashlib.sha256(b"fieldvault kit shred " + tag.encode()).digest()
    stream = Cipher(algorithms.ChaCha20(key, bytes(16)), mode=None).encryptor()
    while True:
        yield stream.update(bytes(BLOCK))


def overwritten(kit: Study, path: Path) -> str | None:
    """The session (relative to the kit) whose import overwrote ``path`` whole with its `--shred-original` and was cut
    off before it removed it (QA AA9 K=25: "cannot read rec.wav as audio"); None for any other file."""
    session = overwritten_by(path, _staged(kit))
    return None if session is None else _in_place(kit, session) or f"session {session}"


def overwritten_by(path: Path, tags: Iterable[tuple[str, str]]) -> str | None:
    """The ``session`` of the first (tag, session) of ``tags`` whose keystream ``path`` is, whole, byte for byte (a
    `--shred-original` cut off after its overwrite, before its unlink); None where none is. The study's own import
    keys its source with the study key (``importer``)."""
    size = path.stat().st_size
    with path.open("rb") as held:
        head = held.read(64)
        for tag, session in tags:
            stream = keystream(tag)
            if size == 0 or not next(stream).startswith(head):
                continue
            held.seek(0)
            blocks = zip(range(0, size, BLOCK), keystream(tag), strict=False)
            if all(held.read(BLOCK) == block[: size - at] for at, block in blocks):
                return session
    return None
