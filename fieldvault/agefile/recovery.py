"""Re-seal an age file whose writer died before writing its final chunk, or one damaged in places.

Every chunk that authenticates is kept; the torn tail is reported and dropped. A damaged chunk before the end
(a flipped bit on an SD card) is replaced by what the caller stands in for it, and the chunks after it, which
authenticate on their own, are kept. Nothing unauthenticated is ever decrypted into the new file. The original
is replaced only after the re-sealed copy is complete and synced, and it is kept beside it.
Completeness can never be proven for such a file, so a recovered file is always called incomplete.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from fieldvault.agefile.keys import Identity
from fieldvault.agefile.stream import CHUNK, TAG, AgeReader, AgeWriter, chunk_nonce, read_exactly
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


@dataclass(frozen=True)
class Damage:
    """Which chunks of a file fail authentication where they stand (a chunk before the last as non-final, the last
    as final): chunk boundaries are known from the file's size, which a flipped bit does not change."""

    chunks: int  # the chunks the payload's size makes
    bad: tuple[int, ...]
    cut_after_whole: bool  # the last chunk is whole and authenticates as non-final: the writer never finished

    @property
    def within(self) -> bool:
        """Damage before the last chunk, which only `salvage` keeps the rest around."""
        return any(n < self.chunks - 1 for n in self.bad)


@dataclass(frozen=True)
class Rebuilt:
    path: Path
    bytes_kept: int  # authenticated plaintext bytes in the new file
    bytes_stood_in: int  # plaintext bytes the stand-ins replaced
    bytes_dropped: int  # plaintext bytes of a damaged or torn last chunk, dropped (at least that many were lost)
    backup: Path


KEPT_ORIGINAL = ".damaged"  # suffix of the cut-off or damaged original kept beside a re-sealed file
_REBUILDING = ".recovering"  # the copy being written; only ever a leftover of an interrupted recovery


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


def _begin(path: Path) -> tuple[Path, Path]:
    """The copy to write and the name the original will keep; refuses to overwrite an earlier kept original."""
    tmp = path.with_name(path.name + _REBUILDING)
    backup = path.with_name(path.name + KEPT_ORIGINAL)
    if backup.exists() and not os.path.samefile(backup, path):
        raise FieldvaultError(f"{backup} is left from an earlier recovery; move it elsewhere, then run recover again")
    tmp.unlink(missing_ok=True)  # only ever a copy from an interrupted recovery of this same file
    return tmp, backup


def _swap_in(path: Path, tmp: Path, backup: Path) -> None:
    """Keep the original as ``backup`` and put the synced copy in its place. A recovery interrupted between the
    two steps left ``backup`` as a second name of the original: it is not linked again."""
    if not backup.exists():
        os.link(path, backup)
    os.replace(tmp, path)
    sync_folder(path.parent)


def recover(path: Path, identities: Sequence[Identity]) -> Recovery:
    """Re-seal ``path`` atomically, keeping the original as ``<name>.damaged``; no-op if complete."""
    scan = _scan(path, identities)
    if scan.complete:
        return Recovery(path, True, 0, 0, None)
    tmp, backup = _begin(path)
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
    _swap_in(path, tmp, backup)
    recovered = max(scan.intact - 1, 0) * CHUNK + len(plaintext)
    return Recovery(path, False, recovered, max(scan.tail - TAG, 0), backup)


def intact_plaintext(path: Path, identities: Sequence[Identity]) -> tuple[bytes, int]:
    """What a file cut off while it was written holds before the tear: the plaintext of every chunk that
    authenticates where it stands, and at least how many plaintext bytes the torn tail held. The whole plaintext
    of a complete file, with nothing lost."""
    scan = _scan(path, identities)
    with path.open("rb") as src:
        src.seek(scan.prefix)
        whole = scan.intact + (1 if scan.complete else 0)
        pieces = [
            scan.cipher.decrypt(chunk_nonce(n, scan.complete and n == whole - 1), read_exactly(src, CHUNK + TAG), None)
            for n in range(whole)
        ]
    return b"".join(pieces), max(scan.tail - TAG, 0)


def torn_tail_only(path: Path, identities: Sequence[Identity]) -> bool:
    """Whether ``path`` is a file cut off while written: every chunk authenticates but the torn last one,
    so `recover` can re-seal it. False for a complete file and for one damaged before its end."""
    scan = _scan(path, identities)
    return not scan.complete and scan.tail <= CHUNK + TAG


def _payload_chunks(payload: int) -> int:
    return max(1, -(-payload // (CHUNK + TAG)))


def find_damage(path: Path, identities: Sequence[Identity]) -> Damage:
    """Try every chunk where it stands. Reads the whole file; decrypted chunks are dropped at once."""
    with path.open("rb") as stream:
        prefix, cipher = _open_payload(stream, identities)
        chunks = _payload_chunks(path.stat().st_size - prefix)
        bad = []
        cut_after_whole = False
        for counter in range(chunks):
            sealed = read_exactly(stream, CHUNK + TAG)
            last = counter == chunks - 1
            plaintext = _open_chunk(cipher, counter, sealed, last)
            if plaintext is None and last and len(sealed) == CHUNK + TAG:
                cut_after_whole = _open_chunk(cipher, counter, sealed, False) is not None
            if plaintext is None and not cut_after_whole:
                bad.append(counter)
    return Damage(chunks, tuple(bad), cut_after_whole)


def _open_chunk(cipher: ChaCha20Poly1305, counter: int, sealed: bytes, last: bool) -> bytes | None:
    """The chunk's plaintext if it authenticates with this place and flag. An empty final chunk is allowed only
    in an empty file (age's rule)."""
    try:
        plaintext = cipher.decrypt(chunk_nonce(counter, last), sealed, None)
    except InvalidTag:
        return None
    return None if last and counter > 0 and not plaintext else plaintext


def salvage(path: Path, identities: Sequence[Identity], damage: Damage, stand_in: Callable[[int], bytes]) -> Rebuilt:
    """A new complete file under the same header: each chunk that authenticates where it stands, decrypted and
    sealed again under a fresh payload nonce; ``stand_in(counter)`` for each damaged chunk before the last (its
    bytes are never decrypted); a damaged last chunk dropped, as a torn one is (the two cannot be told apart).
    The original is kept as ``<name>.damaged``; an interrupted salvage is started again from the original."""
    tmp, backup = _begin(path)
    kept = stood_in = dropped = 0
    with path.open("rb") as src:
        reader = AgeReader(src, identities)
        header = reader.header.encode()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as dst:
                writer = AgeWriter.under_header(dst, header, reader.file_key)
                for counter in range(damage.chunks):
                    sealed = read_exactly(src, CHUNK + TAG)
                    last = counter == damage.chunks - 1 and not damage.cut_after_whole
                    if counter in damage.bad:
                        if counter < damage.chunks - 1:
                            piece = stand_in(counter)
                            writer.write(piece)
                            stood_in += len(piece)
                        else:
                            dropped += max(len(sealed) - TAG, 0)
                        continue
                    plaintext = _open_chunk(reader.cipher, counter, sealed, last)
                    if plaintext is None:  # changed since it was scanned: start again rather than guess
                        raise PayloadTampered(f"{path.name} changed while it was being recovered; run recover again")
                    writer.write(plaintext)
                    kept += len(plaintext)
                writer.finish()
                writer.sync()
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    _swap_in(path, tmp, backup)
    return Rebuilt(path, kept, stood_in, dropped, backup)
