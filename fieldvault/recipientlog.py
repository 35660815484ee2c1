"""What the audit log says last about each recipient key, for a write made without the study key (QA G5).

Every encrypted write of a locked study asks it, so it is read once per Study and again only when the log changed
(its device, inode, size, mtime or ctime differ): then only the lines appended since are parsed, after checking
that the bytes read before are still the log's first bytes, else the whole log. It never trusts a cached answer
for a log that changed, and answers exactly what parsing the whole log would (an unreadable line still stops it).
"""

from __future__ import annotations

import os
from pathlib import Path

from fieldvault.audit import RECIPIENT_ACTIONS, AuditLog, _check_torn, parse_line

_NEWLINE = b"\n"
_Stamp = tuple[int, int, int, int, int]


def _stamp(path: Path) -> _Stamp | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class RecipientLog:
    """Each recipient key -> the action (add or remove) of the last line of the log about it, signed or not."""

    def __init__(self, audit: AuditLog) -> None:
        self._path = audit.path
        self._stamp: _Stamp | None = None
        self._read = b""  # the log's bytes up to and including the last whole line parsed
        self._lines = 0  # how many lines those are
        self._last: dict[str, str] = {}

    def last_actions(self) -> dict[str, str]:
        stamp = _stamp(self._path)
        if stamp is None:
            self._stamp, self._read, self._lines, self._last = None, b"", 0, {}
            return {}
        if stamp != self._stamp:
            self._stamp = None  # until the log as it is now has parsed whole
            data = self._path.read_bytes()
            if not data.startswith(self._read):  # rewritten, cut or replaced: start again
                self._read, self._lines, self._last = b"", 0, {}
            self._parse(data)
            self._stamp = stamp  # read after the stat: a change since then changes the stat too
        return dict(self._last)

    def _parse(self, data: bytes) -> None:
        """Parse ``data`` after the bytes already read, as ``AuditLog.entries`` does (same line numbers, same
        refusals); remember the result only once all of it parsed."""
        tail = data.rpartition(_NEWLINE)[2]
        if tail:
            _check_torn(tail, f"line {data.count(_NEWLINE) + 1}")
        end = len(data) - len(tail)
        number, last = self._lines, dict(self._last)
        for raw in data[len(self._read) : end].split(_NEWLINE)[:-1]:
            number += 1
            if not raw.strip():
                continue
            entry = parse_line(number, raw)
            details = entry.get("details")
            if entry.get("action") in RECIPIENT_ACTIONS and isinstance(details, dict):
                last[str(details.get("recipient"))] = str(entry.get("action"))
        self._read = data if not tail else data[:end]
        self._lines, self._last = number, last
