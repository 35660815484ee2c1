"""Lines in the audit log that are no part of its chain, set aside by the PI (`check --set-aside-stray-lines`).

Anyone who can write the study folder can append a line that does not chain (junk, or a genuine line replayed): every
reader of the log then refuses, and every export of the study stops (QA V11's rest). Restoring an older backup of the
log loses what came after it. With the study key the stray lines can be told from the log's own: a line is kept
where it follows the chain (its seq and prev, its hash over its content, and its mac where it carries one); the
others are moved, whole, to a file beside the log (kept: they are evidence) and an entry records where. A stray line
whose mac under the study key holds over its stated hash, and that is no copy of a kept one, is a genuine entry edited
or out of place (lines before it removed, or the log reordered): nothing is set aside then, and the log must come
from a backup.
"""

from __future__ import annotations

import fcntl
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fieldvault import atomicfile
from fieldvault.audit import GENESIS, RESTORE_LOG, AuditLog, _check_torn, _digest, _mac, entry_content, parse_line
from fieldvault.errors import AuditBroken
from fieldvault.layout import AUDIT_FILE
from fieldvault.printable import printable

# Written when stray lines were set aside: details ``file`` (beside the log, where they are kept) and ``count``.
STRAYS = "audit.stray-lines-set-aside"
PREFIX = f"{AUDIT_FILE}.stray-"


@dataclass(frozen=True)
class SetAside:
    file: str  # its name, beside the log
    lines: tuple[str, ...]  # for each line set aside: its number and what it was

    def said(self) -> str:
        return (
            f"set aside {len(self.lines)} stray line(s) of the audit log in {self.file} (kept): "
            + "; ".join(self.lines)
            + ". A line written with the study locked whose entry before it was removed looks the same: if one named "
            f"above is yours, {RESTORE_LOG} instead. The file is plaintext anyone could have written: read it, then "
            "move it out of the study folder (backups leave it out)"
        )


def set_aside(log: AuditLog, key: bytes, now: datetime | None = None) -> SetAside | None:
    """Move the lines that are no part of the chain to a file beside the log, and record it; None if there are none.
    AuditBroken (nothing changed) where a genuine entry is out of place."""
    fd = os.open(log.path, os.O_RDWR)
    with os.fdopen(fd, "r+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # appenders wait, then see the log replaced (AuditLog.append_vouching)
        data = held.read()
        body, _, tail = data.rpartition(b"\n")
        lines = body.split(b"\n") if body else []
        kept, strays = _sort(lines, key, log.path.parent)
        try:  # a torn append's cut-off entry stays, for the next append to set aside as torn
            _check_torn(tail, log.path.parent)
        except AuditBroken:  # an unended last line no torn write leaves (QA W10): as stray as a junk line
            strays.append((len(lines) + 1, tail, "a last line without its end that no torn write leaves"))
            tail = b""
        if not strays:
            return None
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S")
        aside = log.path.with_name(f"{PREFIX}{stamp}-{len(data)}")
        atomicfile.write_new(aside, b"".join(raw + b"\n" for _, raw, _ in strays))
        atomicfile.replace(log.path, b"".join(raw + b"\n" for raw in kept) + tail)
    log.append(STRAYS, file=aside.name, count=len(strays))
    return SetAside(aside.name, tuple(f"line {number}: {what}" for number, _, what in strays))


def _sort(raws: list[bytes], key: bytes, folder: Path) -> tuple[list[bytes], list[tuple[int, bytes, str]]]:
    """The lines that chain, and (number, line, what it is) for the others."""
    kept: list[bytes] = []
    strays: list[tuple[int, bytes, str]] = []
    hashes: set[str] = set()
    prev, count = GENESIS, 0
    for number, raw in enumerate(raws, start=1):
        if not raw.strip():
            kept.append(raw)
            continue
        try:
            entry = parse_line(number, raw, folder)
        except AuditBroken:
            strays.append((number, raw, "not an audit entry"))
            continue
        stated = str(entry["hash"])
        whole = _digest(entry_content(entry)) == stated
        mac = entry.get("mac")
        signed = isinstance(mac, str) and hmac.compare_digest(mac, _mac(key, stated))  # the key wrote this hash
        if whole and (mac is None or signed) and entry.get("prev") == prev and entry.get("seq") == count:
            kept.append(raw)
            hashes.add(stated)
            prev, count = stated, count + 1
        elif signed and stated not in hashes:
            what = (
                "does not follow the line before it (an entry before it was removed, or the log reordered)"
                if whole
                else "was edited after it was written"
            )
            raise AuditBroken(
                f"audit.jsonl line {number}, an entry written with the study key, {what}: setting lines aside cannot "
                f"mend that; {RESTORE_LOG}"
            )
        else:
            strays.append((number, raw, _what(entry, whole, stated in hashes)))
    return kept, strays


def _what(entry: dict[str, Any], whole: bool, copy: bool) -> str:
    action = printable(str(entry.get("action")))[:60]
    if copy:
        return f"a copy of entry {entry.get('seq')} ({action}) put again later in the log"
    if not whole:
        return f"an entry ({action}) edited after it was written"
    return f"an entry ({action}) that does not follow the line before it, written without the study key"
