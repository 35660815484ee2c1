"""Re-seal an age file whose writer died before writing its final chunk.

Every chunk that authenticates is kept; the torn tail is reported and dropped. The original
is replaced only after the re-sealed copy is complete and synced, and it is kept beside it.
Completeness can never be proven for such a file, so a recovered file is always called incomplete.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from fieldvault.agefile.keys import Identity
from fieldvault.agefile.stream import CHUNK, TAG, AgeReader, chunk_nonce, read_exactly
from fieldvault.atomicfile import sync_folder
from fieldvault.errors import FieldvaultError, PayloadTampered


@dataclass(frozen=True)
class Recovery:
    path: Path
    already_complete: bool
    bytes_recovered: int  # plaintext bytes in the re-sealed file
    bytes_lost: int  # plaintext bytes in the torn tail that could not be authenticated (at least)
    backup: Path | None  # the untouched original, kept beside the recovered file


@dataclass(frozen=True)
class _Scan:
    prefix: int  # header and nonce, copied verbatim
    cipher: ChaCha20Poly1305
    intact: int  # chunks that authenticate as non-final
    complete: bool
    tail: int  # ciphertext bytes after the intact chunks


KEPT_ORIGINAL = ".damaged"  # suffix of the cut-off original kept beside a re-sealed file


def _open_payload(stream: BinaryIO, identities: Sequence[Identity]) -> tuple[int, ChaCha20Poly1305]:
    """Where the payload's chunks begin, and the cipher that opens them."""
    reader = AgeReader(stream, identities)
    if reader.armored:  # only age -a writes armor, and it writes whole files: never one to re-seal
        raise FieldvaultError("an armored age file is complete or damaged, never cut off; `age -d` reads it")
    return stream.tell(), reader.cipher


def _scan(path: Path, identities: Sequence[Identity]) -> _Scan:
    size = path.stat().st_size
    with path.open("rb") as stream:
        prefix, cipher = _open_payload(stream, identities)
        counter = 0
        while True:
            offset = stream.tell()
            sealed = read_exactly(stream, CHUNK + TAG)
            try:
                cipher.decrypt(chunk_nonce(counter, False), sealed, None)
            except InvalidTag:
                break
            counter += 1
        try:
            cipher.decrypt(chunk_nonce(counter, True), sealed, None)
        except InvalidTag:
            return _Scan(prefix, cipher, counter, False, size - offset)
        if stream.read(1):
            raise PayloadTampered(f"{path.name}: data follows the final chunk; the file was altered, not cut off")
        return _Scan(prefix, cipher, counter, True, 0)


def is_sealed(path: Path, identities: Sequence[Identity]) -> bool:
    """Whether the file ends in an authentic final chunk; reads only the header and the last chunk."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        reader = AgeReader(stream, identities)
        if reader.armored:
            return True  # written whole by `age -a`; reading it checks it
        prefix, cipher = stream.tell(), reader.cipher
        last = max(size - prefix - 1, 0) // (CHUNK + TAG)
        stream.seek(prefix + last * (CHUNK + TAG))
        try:
            cipher.decrypt(chunk_nonce(last, True), stream.read(), None)
        except InvalidTag:
            return False
    return True


def recover(path: Path, identities: Sequence[Identity]) -> Recovery:
    """Re-seal ``path`` atomically, keeping the original as ``<name>.damaged``; no-op if complete."""
    scan = _scan(path, identities)
    if scan.complete:
        return Recovery(path, True, 0, 0, None)
    tmp = path.with_name(path.name + ".recovering")
    backup = path.with_name(path.name + KEPT_ORIGINAL)
    if backup.exists():
        raise FieldvaultError(f"{backup} is left from an earlier recovery; move it elsewhere, then run recover again")
    tmp.unlink(missing_ok=True)  # only ever a copy from an interrupted recovery of this same file
    with path.open("rb") as src, os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as dst:
        dst.write(src.read(scan.prefix))
        plaintext = b""
        for counter in range(scan.intact):
            sealed = read_exactly(src, CHUNK + TAG)
            if counter < scan.intact - 1:
                dst.write(sealed)
            else:
                plaintext = scan.cipher.decrypt(chunk_nonce(counter, False), sealed, None)
        # The last intact chunk becomes the final one; a file with none gets an empty final chunk.
        dst.write(scan.cipher.encrypt(chunk_nonce(max(scan.intact - 1, 0), True), plaintext, None))
        dst.flush()
        os.fsync(dst.fileno())
    os.link(path, backup)
    os.replace(tmp, path)
    sync_folder(path.parent)
    recovered = max(scan.intact - 1, 0) * CHUNK + len(plaintext)
    return Recovery(path, False, recovered, max(scan.tail - TAG, 0), backup)


def torn_tail_only(path: Path, identities: Sequence[Identity]) -> bool:
    """Whether ``path`` is a file cut off while written: every chunk authenticates but the torn last one,
    so `recover` can re-seal it. False for a complete file and for one damaged before its end."""
    scan = _scan(path, identities)
    return not scan.complete and scan.tail <= CHUNK + TAG
