"""age v1 (C2SP age spec) on top of `cryptography`: keys, header, STREAM payload, recovery.

Files written here decrypt with `age -d`, and files from `age` decrypt here. Nothing in this
package writes plaintext to disk.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from fieldvault.agefile.keys import (
    Identity,
    Recipient,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    X25519Recipient,
    parse_identity_file,
)
from fieldvault.agefile.stream import CHUNK, AgeReader, AgeWriter

__all__ = [
    "CHUNK",
    "AgeReader",
    "AgeWriter",
    "Identity",
    "Recipient",
    "ScryptIdentity",
    "ScryptRecipient",
    "X25519Identity",
    "X25519Recipient",
    "decrypt_bytes",
    "encrypt_bytes",
    "parse_identity_file",
]


def encrypt_bytes(plaintext: bytes, recipients: Sequence[Recipient]) -> bytes:
    out = io.BytesIO()
    writer = AgeWriter(out, recipients)
    writer.write(plaintext)
    writer.finish()
    return out.getvalue()


def decrypt_bytes(data: bytes, identities: Sequence[Identity]) -> bytes:
    return AgeReader(io.BytesIO(data), identities).read_all()
