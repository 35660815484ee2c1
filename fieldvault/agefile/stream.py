"""The age payload: a 16-byte nonce, then ChaCha20-Poly1305 STREAM in 64 KiB chunks.

AgeWriter encrypts as data arrives and never holds more than one chunk of plaintext;
AgeReader yields authenticated plaintext chunk by chunk. Neither ever writes plaintext to disk.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldvault.agefile import armor
from fieldvault.agefile.header import Header, Stanza, encode_header, read_header
from fieldvault.agefile.keys import FILE_KEY_SIZE, Identity, Recipient, ScryptIdentity, ScryptRecipient
from fieldvault.errors import (
    MalformedHeader,
    NoIdentityMatched,
    NotAnAgeFile,
    PayloadTampered,
    TruncatedFile,
    WrongPassphrase,
)
from fieldvault.suggested import command

CHUNK = 64 * 1024
TAG = 16
NONCE_SIZE = 16
_LAST = b"\x01"
_NOT_LAST = b"\x00"


def payload_cipher(file_key: bytes, nonce: bytes) -> ChaCha20Poly1305:
    return ChaCha20Poly1305(HKDF(hashes.SHA256(), 32, nonce, b"payload").derive(file_key))


def plaintext_size(payload: int) -> int:
    """The plaintext bytes in a complete payload of ``payload`` bytes after the nonce (age's PlaintextSize)."""
    chunks = max(1, -(-payload // (CHUNK + TAG)))
    if payload < TAG or payload - chunks * TAG < 0:
        raise ValueError("a payload shorter than its tags")
    return payload - chunks * TAG


def chunk_nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (_LAST if last else _NOT_LAST)


class AgeWriter:
    """Encrypt a stream to recipients: ``write`` as data arrives, ``finish`` to seal it.

    Until ``finish`` is called the file is a truncated age file: `age -d` releases every chunk
    written so far and then fails, and ``fieldvault.agefile.recovery`` can re-seal it.
    """

    def __init__(self, out: BinaryIO, recipients: Sequence[Recipient]) -> None:
        if not recipients:
            raise ValueError("an age file needs at least one recipient")
        if any(isinstance(r, ScryptRecipient) for r in recipients) and len(recipients) > 1:
            raise ValueError("a passphrase recipient must be the only recipient of its file")
        file_key = os.urandom(FILE_KEY_SIZE)
        stanzas: list[Stanza] = [r.wrap(file_key) for r in recipients]
        self._start(out, encode_header(stanzas, file_key), file_key)

    @classmethod
    def under_header(cls, out: BinaryIO, header: bytes, file_key: bytes) -> AgeWriter:
        """A new payload for an existing header and its file key (which the caller must hold): a fresh
        nonce makes a fresh payload key, so nothing is ever encrypted twice under the same key and nonce."""
        writer = cls.__new__(cls)
        writer._start(out, header, file_key)
        return writer

    def _start(self, out: BinaryIO, header: bytes, file_key: bytes) -> None:
        nonce = os.urandom(NONCE_SIZE)
        self.file_key = file_key  # kept so the writer of a recording can re-seal it (see fieldvault.reseal)
        self.header = header
        self._out = out
        self._cipher = payload_cipher(file_key, nonce)
        self._counter = 0
        self._buffer = bytearray()
        self._scratch = bytearray()
        self._finished = False
        self.plaintext_written = 0
        out.write(header + nonce)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._finished:
            raise ValueError("write after finish")
        view = memoryview(data).cast("B")
        self.plaintext_written += len(view)
        # A full chunk is sealed only once a later byte exists: only finish() knows which chunk is last.
        pending: list[bytes | bytearray | memoryview] = []
        if self._buffer:
            room = CHUNK - len(self._buffer)
            self._buffer += view[:room]
            view = view[room:]
            if not view:
                return
            pending.append(bytes(self._buffer))
            self._buffer.clear()
        full = (len(view) - 1) // CHUNK if view else 0
        pending += [view[start : start + CHUNK] for start in range(0, full * CHUNK, CHUNK)]
        self._buffer += view[full * CHUNK :]
        if pending:
            self._out.write(self._seal_all(pending))

    def _seal_all(self, chunks: list[bytes | bytearray | memoryview]) -> memoryview:
        """Seal non-final chunks into one reused buffer: no allocation per chunk on the hot path."""
        size = len(chunks) * (CHUNK + TAG)
        if len(self._scratch) < size:
            self._scratch = bytearray(size)
        out = memoryview(self._scratch)
        for n, chunk in enumerate(chunks):
            target = out[n * (CHUNK + TAG) : (n + 1) * (CHUNK + TAG)]
            self._cipher.encrypt_into(chunk_nonce(self._counter, False), chunk, None, target)
            self._counter += 1
        return out[:size]

    def flush(self) -> None:
        """Hand every complete chunk to the operating system."""
        self._out.flush()

    def sync(self) -> None:
        """Flush and fsync, so complete chunks survive power loss."""
        self._out.flush()
        os.fsync(self._out.fileno())

    def finish(self) -> None:
        """Write the final chunk. The file is a complete age file afterwards."""
        if self._finished:
            return
        self._out.write(self._cipher.encrypt(chunk_nonce(self._counter, True), bytes(self._buffer), None))
        self._buffer.clear()
        self._finished = True
        self._out.flush()

    @property
    def finished(self) -> bool:
        return self._finished


def unwrap_file_key(header: Header, identities: Sequence[Identity]) -> bytes:
    """Find the file key with any of the identities and check the header MAC with it."""
    has_scrypt = any(s.type == "scrypt" for s in header.stanzas)
    for identity in identities:
        file_key = identity.unwrap(header.stanzas)
        if file_key is not None:
            header.verify(file_key)
            return file_key
    if has_scrypt and any(isinstance(i, ScryptIdentity) for i in identities):
        raise WrongPassphrase("wrong passphrase; try again (mind the keyboard layout and Caps Lock)")
    if has_scrypt:
        raise NoIdentityMatched("this file is protected by a passphrase, not a key; give its passphrase")
    raise NoIdentityMatched("no identity matched any of the recipients; use a key this file was encrypted to")


def read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    while data and len(data) < size:
        more = stream.read(size - len(data))
        if not more:
            break
        data += more
    return data


def _named_header_error(name: str, err: NotAnAgeFile | MalformedHeader) -> NotAnAgeFile | MalformedHeader:
    """A header error of a file in the study, naming it and saying what to do: it was emptied, overwritten or damaged
    after it was written, since every file fieldvault writes begins with its header."""
    fix = "restore it from a backup (`fieldvault check` names every damaged file)"
    if isinstance(err, NotAnAgeFile):
        return NotAnAgeFile(f"{name} is not an age file (no age header: emptied or overwritten?); {fix}")
    return MalformedHeader(f"{name}: {err}; {fix}")


class AgeReader:
    """Decrypt an age file chunk by chunk; memory stays at one chunk whatever the file's size."""

    def __init__(
        self,
        stream: BinaryIO,
        identities: Sequence[Identity],
        file_key: bytes | None = None,
        name: str = "",
        study: str = "",
    ) -> None:
        """Open with ``identities``; or, for the writer of the file, with the ``file_key`` it kept. ``name`` (the
        file's place in the study) begins every error about its payload: a study-wide export or transcription
        stopped by one damaged file must say which (QA F19). ``study`` (its folder) goes into the command that
        shares the file with a key added later."""
        self.armored = False
        self._name = f"{name}: " if name else ""
        if stream.seekable():
            start = stream.tell()
            head = stream.read(64)
            stream.seek(start)
            if armor.looks_armored(head):
                self.armored = True
                stream = io.BytesIO(armor.dearmor(stream.read(armor.MAX_ARMORED)))
        self._stream = stream
        try:
            self.header = read_header(stream)
        except (NotAnAgeFile, MalformedHeader) as err:
            if not name:
                raise
            raise _named_header_error(name, err) from None  # QA K12: a study-wide command must say which file
        if file_key is not None:
            self.header.verify(file_key)
            self.file_key = file_key
        else:
            try:
                self.file_key = unwrap_file_key(self.header, identities)
            except NoIdentityMatched:
                if not name or any(s.type == "scrypt" for s in self.header.stanzas):
                    raise
                raise NoIdentityMatched(  # QA Q5: a transcriber added after the interviews was told nothing more
                    f"{name}: none of the keys given opens it; if your key was added to the study after it was "
                    "written, the study's passphrase holder shares the earlier files with it: "
                    f"`{command('keys', 'rewrap', study or 'DIR', '--share')}`"
                ) from None
        nonce = read_exactly(stream, NONCE_SIZE)
        if len(nonce) != NONCE_SIZE:
            raise MalformedHeader(f"{self._name}the file ends before its payload nonce; it is damaged or truncated")
        self.nonce = nonce
        self.cipher = payload_cipher(self.file_key, nonce)
        # Where the payload's chunks begin in the file, so its plaintext length follows from the file's size
        # without decrypting it (None for an armored file, read from a copy in memory, or a pipe).
        self.payload_start = stream.tell() if not self.armored and stream.seekable() else None

    def chunks(self) -> Iterator[bytes]:
        """Yield plaintext chunks; each is authenticated before it is released."""
        counter = 0
        sealed = read_exactly(self._stream, CHUNK + TAG)
        while True:
            if len(sealed) < TAG:
                raise self._damaged(counter, "is shorter than its authentication tag")
            if len(sealed) == CHUNK + TAG:
                following = read_exactly(self._stream, CHUNK + TAG)
                plaintext = self._open(counter, sealed, last=False)
                if plaintext is not None:
                    yield plaintext
                    if not following:
                        raise self._truncated(counter + 1)
                    counter += 1
                    sealed = following
                    continue
            else:
                following = b""
            plaintext = self._open(counter, sealed, last=True)
            if plaintext is None:
                raise self._last_chunk_failure(counter, sealed)
            if not plaintext and counter > 0:
                raise self._damaged(counter, "is an empty final chunk, which only an empty file may have")
            yield plaintext
            if following or self._stream.read(1):
                raise PayloadTampered(
                    f"{self._name}data follows the final chunk; the file was altered after it was written"
                )
            return

    def _open(self, counter: int, sealed: bytes, last: bool) -> bytes | None:
        try:
            return self.cipher.decrypt(chunk_nonce(counter, last), sealed, None)
        except InvalidTag:
            return None

    def _last_chunk_failure(self, counter: int, sealed: bytes) -> PayloadTampered | TruncatedFile:
        if len(sealed) < CHUNK + TAG:
            return PayloadTampered(
                f"{self._name}chunk {counter} fails authentication; the file was altered, or cut off in the "
                "middle of a chunk (`fieldvault recover` keeps the intact chunks)"
            )
        return self._damaged(counter, "fails authentication")

    def _truncated(self, chunks: int) -> TruncatedFile:
        return TruncatedFile(
            f"{self._name}the file ends after {chunks * CHUNK} bytes without a final chunk (its writer never "
            "finished it); `fieldvault recover` re-seals what is intact"
        )

    def _damaged(self, counter: int, what: str) -> PayloadTampered:
        return PayloadTampered(
            f"{self._name}chunk {counter} {what}; the file was altered or damaged (for a recording, `fieldvault "
            "recover` keeps every intact chunk and marks the damaged stretch; otherwise restore it from a backup)"
        )

    def read_all(self) -> bytes:
        return b"".join(self.chunks())
