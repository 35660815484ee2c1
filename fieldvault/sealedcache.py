"""Small sealed documents one command reads many times (each participant's list of names, which every step of an
export reads; a session's timeline, which each reader of its recording checks it against), decrypted and parsed once,
and again only when their sealed bytes change.

The sealed bytes are read and hashed at every use: a document re-sealed, replaced or put back from a backup has other
bytes (every sealing has its own file key and nonce), so it is decrypted and authenticated again. A kept document is
given only to the identities that decrypted it; what it keeps must be immutable (frozen data classes; the plaintext
where the document is not, parsed by the caller at every use). Checks that depend on other files (in whose folder a
list lies) are the caller's, made at every use.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from fieldvault.agefile import AgeReader, Identity

T = TypeVar("T")


class SealedCache:
    def __init__(self) -> None:
        # (file, parser) -> (hash of its sealed bytes, the identities that opened it, what the parser made)
        self._kept: dict[tuple[Path, Callable[..., Any]], tuple[bytes, tuple[Identity, ...], object]] = {}

    def parsed(
        self,
        path: Path,
        name: str,
        identities: Sequence[Identity],
        parse: Callable[[bytes, str], T],
        where: str,
        study: str,
    ) -> T:
        """``parse(plaintext, where)`` of the age file at ``path`` (``name``: its place in the folder ``study``,
        for errors)."""
        sealed = path.read_bytes()
        digest = hashlib.sha256(sealed).digest()
        opened_by = tuple(identities)
        kept = self._kept.get((path, parse))
        if kept is not None and kept[0] == digest and kept[1] == opened_by:
            return cast(T, kept[2])
        value = parse(b"".join(AgeReader(io.BytesIO(sealed), identities, name=name, study=study).chunks()), where)
        self._kept[(path, parse)] = (digest, opened_by, value)
        return value
