"""The study's audit log: append-only JSON lines, each hash-chained to the one before.

It records who did what to which pseudonym or session, and when. It must never hold transcript
text, real names or known identifiers: details are limited to the keys in ``ALLOWED_DETAILS``.
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fieldvault.errors import AuditBroken

GENESIS = "0" * 64
ALLOWED_DETAILS = frozenset(
    {
        "pseudonym", "session", "file", "out", "recipient", "name", "format", "count", "bytes",
        "seconds", "model", "backend", "reason", "kit", "participants", "sessions", "method", "version",
        "kept", "removed", "failed",
    }
)  # fmt: skip


def _utcnow() -> datetime:
    return datetime.now(UTC)


def default_actor() -> str:
    return os.environ.get("FIELDVAULT_ACTOR") or getpass.getuser()


def _digest(entry: dict[str, object]) -> str:
    canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class AuditLog:
    def __init__(self, path: Path, clock: Callable[[], datetime] = _utcnow, actor: str | None = None) -> None:
        self.path = path
        self._clock = clock
        self._actor = actor

    def append(self, action: str, **details: str | int | float) -> dict[str, object]:
        unknown = set(details) - ALLOWED_DETAILS
        if unknown:
            raise ValueError(f"audit details may not carry {sorted(unknown)}")
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "r+b") as log:
            fcntl.flock(log, fcntl.LOCK_EX)
            seq, prev = _tail(log)
            entry: dict[str, object] = {
                "seq": seq,
                "time": self._clock().isoformat(timespec="seconds"),
                "actor": self._actor or default_actor(),
                "action": action,
                "details": details,
                "prev": prev,
            }
            entry["hash"] = _digest(entry)
            log.write(json.dumps(entry, ensure_ascii=False).encode() + b"\n")
            log.flush()
            os.fsync(log.fileno())
        return entry

    def entries(self) -> list[dict[str, object]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    def verify(self) -> int:
        """Check the whole chain; return the number of entries or raise AuditBroken naming the line."""
        prev = GENESIS
        count = 0
        for number, line in enumerate(self.path.read_text().splitlines(), start=1):
            try:
                entry = json.loads(line)
                stated = entry.pop("hash")
            except (json.JSONDecodeError, KeyError, AttributeError):
                raise AuditBroken(f"audit.jsonl line {number} is not an audit entry; the log was edited") from None
            if entry.get("prev") != prev or entry.get("seq") != number - 1:
                raise AuditBroken(
                    f"audit.jsonl line {number} does not follow line {number - 1}: an entry was removed, "
                    "inserted or reordered there; restore the log from a backup"
                )
            if _digest(entry) != stated:
                raise AuditBroken(
                    f"audit.jsonl line {number} was edited after it was written; restore it from a backup"
                )
            prev = stated
            count += 1
        return count


def _tail(log) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """The next sequence number and the last entry's hash, reading only the end of the file."""
    size = log.seek(0, os.SEEK_END)
    if size == 0:
        return 0, GENESIS
    back = min(size, 64 * 1024)
    log.seek(size - back)
    last = log.read(back).rstrip(b"\n").rsplit(b"\n", 1)[-1]
    try:
        entry = json.loads(last)
        return int(entry["seq"]) + 1, str(entry["hash"])
    except (ValueError, KeyError, TypeError):
        raise AuditBroken(
            "the last line of audit.jsonl is damaged, so nothing more can be chained to it; "
            "run `fieldvault audit DIR --verify` and restore the log from a backup"
        ) from None
