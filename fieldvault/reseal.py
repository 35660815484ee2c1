"""Re-seal a recording so the WAV inside states its true length, for `age -d file.age | sox - ...`.

A recording is streamed with 0xFFFFFFFF ("unknown") in its WAV length fields, since an encrypted chunk
can never be rewritten in place. Whoever holds the file key (the recorder that wrote it, or the study
identity) copies the file under the same header with a fresh payload nonce, the first chunk patched.
The original stays until the copy is complete and synced, then the copy replaces it in one rename.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from fieldvault import atomicfile, wavstream
from fieldvault.agefile.stream import NONCE_SIZE, AgeReader, AgeWriter, plaintext_size
from fieldvault.errors import BadInput

SUFFIX = ".resealing"  # the copy being written beside the recording; never merged, removed on failure
MAX_WAV = 0xFFFFFFFF  # beyond 4 GiB a WAV cannot state its length: it keeps "unknown"


def true_length_header(first: bytes, total: int) -> bytes | None:
    """``first`` (the start of the plaintext) with the RIFF and data lengths of a ``total``-byte WAV, or None
    when it is not a WAV stream fieldvault wrote or the lengths already hold."""
    try:
        _, offset = wavstream.parse_header(first)
    except BadInput:
        return None
    if offset < 8 or first[offset - 8 : offset - 4] != b"data":
        return None
    riff, data = min(total - 8, MAX_WAV), min(total - offset, MAX_WAV)
    patched = bytearray(first)
    struct.pack_into("<I", patched, 4, riff)
    struct.pack_into("<I", patched, offset - 4, data)
    return None if patched == first else bytes(patched)


def reseal_wav(path: Path, file_key: bytes) -> bool:
    """Give the recording at ``path`` its true WAV lengths; False (file untouched) if they already hold or it
    is no WAV. An OSError (a full disk) leaves the original as it was and no copy behind."""
    copy = path.with_name(path.name + SUFFIX)
    with path.open("rb") as source:
        reader = AgeReader(source, [], file_key=file_key)
        header = reader.header.encode()
        total = plaintext_size(path.stat().st_size - len(header) - NONCE_SIZE)
        chunks = reader.chunks()
        first = next(chunks)
        patched = true_length_header(first, total)
        if patched is None:
            return False
        copy.unlink(missing_ok=True)  # only ever a copy left by an earlier re-seal that died
        try:
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, atomicfile.FILE_MODE)
            with os.fdopen(fd, "wb") as out:
                writer = AgeWriter.under_header(out, header, file_key)
                writer.write(patched)
                for chunk in chunks:  # each authenticated before it is re-encrypted
                    writer.write(chunk)
                writer.finish()
                writer.sync()
        except BaseException:
            copy.unlink(missing_ok=True)
            raise
    os.replace(copy, path)
    atomicfile.sync_folder(path.parent)
    return True
