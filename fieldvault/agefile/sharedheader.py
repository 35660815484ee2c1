"""One age header, and its file key held in memory, under which a run of small files is sealed: each its own
complete age file (a fresh payload nonce, so a fresh payload key), all named by the one header.

A field kit's log names that header once (a recording's `record.start`, a draft's first keeping); whoever holds
the kit later has only the public key, and cannot write a payload that decrypts under it, so every file sealed
under it is known for what the kit wrote (qa28 QD9). The file key never leaves memory and is never written.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass

from fieldvault.agefile.header import encode_header, header_digest
from fieldvault.agefile.keys import FILE_KEY_SIZE, Recipient
from fieldvault.agefile.stream import AgeWriter


@dataclass(frozen=True)
class SharedHeader:
    header: bytes
    file_key: bytes

    @classmethod
    def new(cls, recipients: Sequence[Recipient]) -> SharedHeader:
        if not recipients:
            raise ValueError("an age file needs at least one recipient")
        file_key = os.urandom(FILE_KEY_SIZE)
        return cls(encode_header([r.wrap(file_key) for r in recipients], file_key), file_key)

    @property
    def id(self) -> str:
        """What names it in a log: ``header_id`` of every file sealed under it."""
        return header_digest(self.header)

    def seal(self, plaintext: bytes) -> bytes:
        out = io.BytesIO()
        writer = AgeWriter.under_header(out, self.header, self.file_key)
        writer.write(plaintext)
        writer.finish()
        return out.getvalue()

    def __repr__(self) -> str:  # never the file key, in a traceback or a log
        return f"SharedHeader({self.id})"
