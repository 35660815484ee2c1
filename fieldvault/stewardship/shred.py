"""Destroy files: overwrite what makes them readable, sync, then unlink.

For an age file that is its header, which alone holds the file key wrapped to each recipient: with
every copy of the header gone the payload is noise to everyone, key holders included. Other files are
overwritten whole. On SSDs and copy-on-write or journaling file systems an overwrite may land on new
blocks and leave the old ones readable to forensic tools; the README says what that means.
"""

from __future__ import annotations

import os
from pathlib import Path

from fieldvault.agefile.header import payload_id, read_header
from fieldvault.agefile.stream import NONCE_SIZE
from fieldvault.atomicfile import sync_folder
from fieldvault.errors import FieldvaultError
from fieldvault.stewardship.inventory import AGE_MAGIC

_BLOCK = 1 << 20


def _secret_prefix(path: Path) -> int:
    """How many leading bytes to overwrite: an age file's header and nonce, else the whole file."""
    size = path.stat().st_size
    with path.open("rb") as data:
        if data.read(len(AGE_MAGIC)) != AGE_MAGIC:
            return size
        data.seek(0)
        try:
            read_header(data)
        except FieldvaultError:
            return size  # a damaged header: its stanzas may still be readable, so destroy it all
        return min(size, data.tell() + NONCE_SIZE)


def overwrite_prefix(fd: int, length: int) -> None:
    """Overwrite the first ``length`` bytes of an open file with random bytes and sync them."""
    done = 0
    while done < length:
        step = min(_BLOCK, length - done)
        done += os.pwrite(fd, os.urandom(step), done)
    os.fsync(fd)


def shred_file(path: Path) -> None:
    """Overwrite a regular file's secret part, then unlink it; a link is only unlinked."""
    if path.is_symlink() or not path.is_file():
        path.unlink()
        return
    length = _secret_prefix(path)
    fd = os.open(path, os.O_WRONLY)
    try:
        if os.fstat(fd).st_nlink == 1:  # another name for the same file would lose its header too
            overwrite_prefix(fd, length)
    finally:
        os.close(fd)
    path.unlink()


def shred_tree(folder: Path) -> int:
    """Shred every file below ``folder`` and remove it; returns how many files were destroyed."""
    count = 0
    for parent, dirs, files in os.walk(folder, topdown=False):
        base = Path(parent)
        for name in files:
            shred_file(base / name)
            count += 1
        for name in dirs:
            if (base / name).is_symlink():
                (base / name).unlink()
            else:
                (base / name).rmdir()
    folder.rmdir()
    sync_folder(folder.parent)
    return count


def shred_recorded(folder: Path, payloads: set[str]) -> tuple[int, list[Path]]:
    """Shred, below ``folder``, each age file whose payload ``payloads`` holds (what a signed entry recorded setting
    aside), and each file that is no age file (nothing to lose) where every age file there is one of those; keep any
    other file, and ``folder`` with it. Links are only unlinked. Returns how many files were destroyed, and the files
    kept. Her folder moved by hand under the name an earlier, finished removal recorded (the log is plaintext) keeps
    every file of hers so (QA X4, Y3)."""
    found = {path: None if path.is_symlink() else payload_id(path) for path in folder.rglob("*") if not path.is_dir()}
    foreign = any(payload is not None and payload not in payloads for payload in found.values())
    kept, count = [], 0
    for parent, dirs, files in os.walk(folder, topdown=False):  # links are not followed, only unlinked
        base = Path(parent)
        for name in (*files, *(d for d in dirs if (base / d).is_symlink())):
            path = base / name
            payload = found.get(path)
            if (payload not in payloads) if payload is not None else (foreign and not path.is_symlink()):
                kept.append(path)
                continue
            shred_file(path)
            count += 1
        for name in dirs:
            if (base / name).is_dir() and not (base / name).is_symlink() and not any((base / name).iterdir()):
                (base / name).rmdir()
    if not kept:
        folder.rmdir()
        sync_folder(folder.parent)
    return count, kept
