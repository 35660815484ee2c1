"""Lines in the audit log that are no part of its chain, set aside by the PI (`check --set-aside-stray-lines`).

Anyone who can write the study folder can append a line that does not chain (junk, or a genuine line replayed): every
reader of the log then refuses, and every export of the study stops (QA V11's rest). Restoring an older backup of the
log loses what came after it. With the study key the stray lines can be told from the log's own: a line is kept
where it follows the chain (its seq and prev, its hash over its content, and its mac where it carries one); the
others are moved, whole, to a file beside the log (kept: they are evidence) and an entry records where. A stray line
whose mac under the study key holds over its stated hash, and that is no copy of a kept one, is a genuine entry edited
or out of place (lines before it removed, or the log reordered): nothing is set aside then, and the log must come
from a backup.

A line that chains but that the study key did not write, though it says it did (a mac the key did not make) or though
only a command holding the key writes its action (``KEY_ONLY_ACTIONS``), is set aside in place: moved out, it would
break the chain under every entry written after it (QA X1: the PI's own `check` had appended one, and the log could
then never be mended). The entry recording the set-aside names it (``disowned``), and from then on nothing reads it
as fact and `audit --verify` passes over it.
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
from fieldvault.audit import (
    DISOWNED_SIGNED,
    GENESIS,
    RESTORE_LOG,
    STRAYS_SET_ASIDE,
    AuditLog,
    _check_torn,
    _digest,
    _mac,
    disowned_digest,
    disowned_refs,
    entry_content,
    parse_line,
    stands_unsigned,
)
from fieldvault.errors import AuditBroken
from fieldvault.layout import AUDIT_FILE
from fieldvault.printable import printable

PREFIX = f"{AUDIT_FILE}.stray-"


@dataclass(frozen=True)
class SetAside:
    file: str | None  # its name, beside the log (None where every line was set aside in place)
    lines: tuple[str, ...]  # for each line moved out: its number and what it was
    disowned: tuple[str, ...] = ()  # for each line set aside in place: its number and what it was

    def said(self) -> str:
        said = []
        if self.disowned:
            said.append(
                f"set aside in place {len(self.disowned)} line(s) of the audit log that the study key did not write: "
                + "; ".join(self.disowned)
                + ". They stay in the log, since entries after them chain to them, and nothing reads them as fact"
            )
        if self.lines:
            said.append(
                f"set aside {len(self.lines)} stray line(s) of the audit log in {self.file} (kept): "
                + "; ".join(self.lines)
                + ". A line written with the study locked whose entry before it was removed looks the same: if one "
                f"named above is yours, {RESTORE_LOG} instead. The file is plaintext anyone could have written: read "
                "it, then move it out of the study folder (backups leave it out)"
            )
        return ". ".join(said)


def set_aside(log: AuditLog, key: bytes, now: datetime | None = None) -> SetAside | None:
    """Move the lines that are no part of the chain to a file beside the log, and record it; None if there are none.
    AuditBroken (nothing changed) where a genuine entry is out of place."""
    fd = os.open(log.path, os.O_RDWR)
    with os.fdopen(fd, "r+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # appenders wait, then see the log replaced (AuditLog.append_vouching)
        data = held.read()
        body, _, tail = data.rpartition(b"\n")
        lines = body.split(b"\n") if body else []
        kept, strays, disowned = _sort(lines, key, log.path.parent)
        try:  # a torn append's cut-off entry stays, for the next append to set aside as torn
            _check_torn(tail, log.path.parent)
        except AuditBroken:  # an unended last line no torn write leaves (QA W10): as stray as a junk line
            strays.append((len(lines) + 1, tail, "a last line without its end that no torn write leaves"))
            tail = b""
        if not strays and not disowned:
            return None
        aside = None
        if strays:
            stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S")
            aside = log.path.with_name(f"{PREFIX}{stamp}-{len(data)}")
            atomicfile.write_new(aside, b"".join(raw + b"\n" for _, raw, _ in strays))
            atomicfile.replace(log.path, b"".join(raw + b"\n" for raw in kept) + tail)
    details: dict[str, str | int] = {"file": aside.name if aside else "", "count": len(strays)}
    signed = {}
    if disowned:  # signed too, for a recipient without the study key (QA Y11)
        details["disowned"] = listed = " ".join(ref for _, ref, _ in disowned)
        signed[DISOWNED_SIGNED] = disowned_digest(listed)
    log.append_signing(STRAYS_SET_ASIDE, signed, **details)
    return SetAside(
        aside.name if aside else None,
        tuple(f"line {number}: {what}" for number, _, what in strays),
        tuple(f"line {number}: {what}" for number, _, what in disowned),
    )


def _sort(
    raws: list[bytes], key: bytes, folder: Path
) -> tuple[list[bytes], list[tuple[int, bytes, str]], list[tuple[int, str, str]]]:
    """The lines that chain, (number, line, what it is) for the others, and (number, "SEQ:HASH", what it is) for the
    lines that chain but that the study key did not write though it should have: kept, and set aside in place. A line
    with a mac the key did not write is set aside in place where an entry chains to it (one the key signed, appended
    before fieldvault refused to write after such a line, QA X1; or one written without the key, a backup run without
    the passphrase: moving the line out took that one with it, and the remembered head then refused the log); the last
    line, it is moved out as ever."""
    parsed = [(number, raw, _entry(number, raw, folder)) for number, raw in enumerate(raws, start=1)]
    signed = {number for number, _, entry in parsed if entry is not None and _signed(entry, key)}
    chained_to = {str(entry.get("prev")) for _, _, entry in parsed if entry is not None}
    disowned_before = disowned_refs((entry for _, _, entry in parsed if entry is not None), key)
    kept: list[bytes] = []
    strays: list[tuple[int, bytes, str]] = []
    disowned: list[tuple[int, str, str]] = []
    hashes: set[str] = set()
    prev, count = GENESIS, 0
    for number, raw, entry in parsed:
        if not raw.strip():
            kept.append(raw)
            continue
        if entry is None:
            strays.append((number, raw, "not an audit entry"))
            continue
        stated = str(entry["hash"])
        whole = _digest(entry_content(entry)) == stated
        mac = entry.get("mac")
        chains = whole and entry.get("prev") == prev and entry.get("seq") == count
        ref, action = f"{count}:{stated}", printable(str(entry.get("action")))[:60]
        if chains and mac is not None and number not in signed and stated in chained_to:
            if ref not in disowned_before:
                disowned.append((number, ref, f"an entry ({action}) with a mac the study key did not write"))
        elif chains and mac is None and not stands_unsigned(entry.get("action"), number > min(signed, default=number)):
            if ref not in disowned_before:
                disowned.append((number, ref, f"an entry ({action}) only a command holding the study key writes"))
        elif not chains or (mac is not None and number not in signed):
            if number in signed and stated not in hashes:
                what = (
                    "does not follow the line before it (an entry before it was removed, or the log reordered)"
                    if whole
                    else "was edited after it was written"
                )
                raise AuditBroken(
                    f"audit.jsonl line {number}, an entry written with the study key, {what}: setting lines aside "
                    f"cannot mend that; {RESTORE_LOG}"
                )
            strays.append((number, raw, _what(entry, whole, stated in hashes, chains)))
            continue
        kept.append(raw)
        hashes.add(stated)
        prev, count = stated, count + 1
    return kept, strays, disowned


def _entry(number: int, raw: bytes, folder: Path) -> dict[str, Any] | None:
    try:
        return parse_line(number, raw, folder) if raw.strip() else None
    except AuditBroken:
        return None


def _signed(entry: dict[str, Any], key: bytes) -> bool:
    """The study key wrote this entry's hash (its mac holds over it; its content may have been edited since)."""
    mac = entry.get("mac")
    return isinstance(mac, str) and hmac.compare_digest(mac, _mac(key, str(entry.get("hash"))))


def _what(entry: dict[str, Any], whole: bool, copy: bool, chains: bool) -> str:
    action = printable(str(entry.get("action")))[:60]
    if copy:
        return f"a copy of entry {entry.get('seq')} ({action}) put again later in the log"
    if not whole:
        return f"an entry ({action}) edited after it was written"
    if chains:  # QA X1: it follows the line before it; its mac is what gives it away
        return f"an entry ({action}) with a mac the study key did not write, appended by someone without the passphrase"
    return f"an entry ({action}) that does not follow the line before it, written without the study key"
