"""A field kit's audit log, keyed forward: each entry carries an HMAC (``fmac``) under a key the kit holds for that
entry only, and the kit then keeps only the next key, a one-way hash of it. `field-kit` derives the first key from
the study identity, so merge-kit can check every entry; whoever holds the kit later holds the next key alone and
cannot rewrite an entry written before, the last one included, nor cut entries off the end unseen (the plain hash
chain could vouch for neither). The key file holds no name; it is never a secret of the study.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldvault import atomicfile, serial
from fieldvault.errors import FieldvaultError

FIELD = "fmac"
FIRST_SEQ = 1  # entry 0 ("field-kit.created") is written before the key exists; the study's log names its hash
SCHEMA_VERSION = 1


def first_key(kit_log_key: bytes, head: str) -> bytes:
    """The key for entry 1 of the kit whose first entry has hash ``head`` (``kit_log_key``: from the study identity)."""
    return hmac.new(kit_log_key, b"fieldvault kit log " + head.encode(), "sha256").digest()


def step(key: bytes) -> bytes:
    return hashlib.sha256(b"fieldvault kit log step " + key).digest()


def entry_mac(key: bytes, digest: str) -> str:
    return hmac.new(key, b"fieldvault kit entry " + digest.encode(), "sha256").hexdigest()


def start(path: Path, key: bytes) -> None:
    """Write the kit's key file for its first keyed entry."""
    _save(path, FIRST_SEQ, key)


def key_for(path: Path, seq: int) -> bytes | None:
    """The key for entry ``seq`` from the kit's key file (stepped on over entries whose step a crash cut off), or
    None when there is no usable one: that entry then goes unkeyed, which merge-kit names."""
    state = read_state(path)
    if state is None or state[0] > seq:
        return None
    at, key = state
    for _ in range(seq - at):
        key = step(key)
    return key


def advance(path: Path, seq: int, key: bytes) -> None:
    """After entry ``seq`` - 1 is on disk: keep only the key for ``seq`` (the one just used is gone)."""
    _save(path, seq, step(key))


@dataclass(frozen=True)
class KeyState:
    """``audit.key`` on a kit: the key for entry ``seq`` (hex), the only one it keeps."""

    seq: int
    key: str
    schema_version: int = SCHEMA_VERSION


def _save(path: Path, seq: int, key: bytes) -> None:
    atomicfile.replace(path, serial.dumps(KeyState(seq, key.hex())))


def read_state(path: Path) -> tuple[int, bytes] | None:
    """(the entry its key is for, the key), or None for a key file missing or not one."""
    try:
        state = serial.loads(KeyState, path.read_bytes()[:4096], str(path))
        return state.seq, bytes.fromhex(state.key)
    except (OSError, ValueError, FieldvaultError):
        return None


def check(entries: Sequence[dict[str, Any]], first: bytes, state: tuple[int, bytes] | None) -> tuple[set[int], str]:
    """The seq of each entry whose ``fmac`` is not the one its key gives (rewritten on the kit, its hash recomputed,
    or written without the key), and what is wrong with the kit's key file ("" when nothing): missing, replaced, or
    ahead of the log (entries cut off its end)."""
    bad: set[int] = set()
    key, at = first, FIRST_SEQ
    last = 0
    for entry in entries:
        seq = int(entry["seq"])
        last = max(last, seq)
        if seq < FIRST_SEQ:
            continue
        for _ in range(seq - at):
            key, at = step(key), at + 1
        stated = entry.get(FIELD)
        if not isinstance(stated, str) or not hmac.compare_digest(stated, entry_mac(key, str(entry.get("hash")))):
            bad.add(seq)
    if state is None:
        return bad, "its log's key file is missing or damaged (deleted on the kit?)"
    held_at, held = state
    if held_at > last + 1:
        return bad, f"its log's key is for entry {held_at}, yet the log ends at entry {last}: entries were cut off"
    if held_at < max(last, FIRST_SEQ):
        return bad, f"its log's key is for entry {held_at}, yet the log goes on to entry {last}: an old key put back"
    expected, position = first, FIRST_SEQ
    for _ in range(held_at - position):
        expected = step(expected)
    if not hmac.compare_digest(expected, held):
        return bad, "its log's key file is not the key the kit was given (replaced on the kit?)"
    return bad, ""
