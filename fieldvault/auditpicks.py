"""What a command asks of the audit log again and again (which keys it records as removed, who withdrew), read once
per Study and again only for the lines appended since.

The log is read again only when it changed (its device, inode, size, mtime or ctime differ): then only the lines
appended since are parsed, after checking that the bytes read before are still the log's first bytes, else the whole
log. It never trusts a cached answer for a log that changed, and answers exactly what parsing the whole log would (an
unreadable line still stops it). It never writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from fieldvault.audit import GENESIS, _check_torn, parse_line, restore_or_set_aside
from fieldvault.errors import AuditBroken

T = TypeVar("T")
_NEWLINE = b"\n"
_Stamp = tuple[int, int, int, int, int]


def _stamp(path: Path) -> _Stamp | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class Picks(Generic[T]):
    """What ``pick`` makes of each entry of the log at ``path`` that it takes (None: not taken), oldest first. With
    ``chained``, AuditBroken where a line does not follow the one before it (its ``seq`` and ``prev``): readers that
    take the newest entry naming a file as the one that decides must not be fooled by lines reordered or a genuine
    older line replayed at the end (QA V11); each line's own mac still verifies wherever it stands."""

    def __init__(self, path: Path, pick: Callable[[dict[str, Any]], T | None], *, chained: bool = False) -> None:
        self._path = path
        self._pick = pick
        self._chained = chained
        self._prev = GENESIS  # the hash of the last entry parsed
        self._stamp: _Stamp | None = None
        self._read = b""  # the log's bytes up to and including the last whole line parsed
        self._lines = 0  # how many lines those are
        self._count = 0  # how many entries
        self._picked: tuple[T, ...] = ()

    def items(self) -> tuple[T, ...]:
        stamp = _stamp(self._path)
        if stamp is None:
            self._stamp, self._read, self._lines, self._picked, self._prev, self._count = None, b"", 0, (), GENESIS, 0
            return ()
        if stamp != self._stamp:
            self._stamp = None  # until the log as it is now has parsed whole
            data = self._path.read_bytes()
            if not data.startswith(self._read):  # rewritten, cut or replaced: start again
                self._read, self._lines, self._picked, self._prev, self._count = b"", 0, (), GENESIS, 0
            self._parse(data)
            self._stamp = stamp  # read after the stat: a change since then changes the stat too
        return self._picked

    def _parse(self, data: bytes) -> None:
        """Parse ``data`` after the bytes already read, as ``AuditLog.entries`` does (same line numbers, same
        refusals); remember the result only once all of it parsed."""
        tail = data.rpartition(_NEWLINE)[2]
        if tail:
            _check_torn(tail, f"line {data.count(_NEWLINE) + 1}")
        end = len(data) - len(tail)
        number, picked, prev, count = self._lines, list(self._picked), self._prev, self._count
        for raw in data[len(self._read) : end].split(_NEWLINE)[:-1]:
            number += 1
            if not raw.strip():
                continue
            entry = parse_line(number, raw, self._path.parent)
            if self._chained and (entry.get("prev") != prev or entry.get("seq") != count):
                raise AuditBroken(
                    f"audit.jsonl line {number} does not follow the line before it: an entry was removed, inserted, "
                    "reordered or repeated there, so which one is newest cannot be told; "
                    f"{restore_or_set_aside(self._path.parent)}"
                )
            prev, count = str(entry.get("hash")), count + 1
            taken = self._pick(entry)
            if taken is not None:
                picked.append(taken)
        self._read = data if not tail else data[:end]
        self._lines, self._picked, self._prev, self._count = number, tuple(picked), prev, count
