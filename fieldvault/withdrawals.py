"""The withdrawals the study's audit log records: one reader for everything that must know who withdrew (an older
kit or backup bringing her back, a file of her recordings imported again, her destruction finished after a crash).

``Study.withdrawals()`` keeps what this reads, per Study, and reads only lines appended since. It never writes; the
entries are written by ``fieldvault.stewardship.withdraw``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ACTION = "withdraw"
# The keyed digests (``audiofile.source_mac``) of the files her imported recordings came from, space-separated.
IMPORTS = "imports"


@dataclass(frozen=True)
class Withdrawal:
    pseudonym: str
    day: str  # YYYY-MM-DD, the day it was logged
    participant_id: str  # "" in an entry written before ids were kept
    imports: tuple[str, ...]
    pending: str  # the name her folder was set aside under while it was destroyed
    entry: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # the audit entry recording it


def pick_withdrawal(entry: dict[str, Any]) -> Withdrawal | None:
    """The withdrawal an audit entry records, or None."""
    details = entry.get("details")
    if entry.get("action") != ACTION or not isinstance(details, dict):
        return None
    return Withdrawal(
        pseudonym=str(details.get("pseudonym", "")),
        day=str(entry.get("time", ""))[:10],
        participant_id=str(details.get("participant_id") or ""),
        imports=tuple(str(details.get(IMPORTS, "")).split()),
        pending=str(details.get("file", "")),
        entry=entry,
    )


def days_by_participant(found: Iterable[Withdrawal]) -> dict[str, str]:
    """participant id -> the day she withdrew (the last time, if twice)."""
    return {w.participant_id: w.day for w in found if w.participant_id}


def days_by_import(found: Iterable[Withdrawal]) -> dict[str, str]:
    """keyed digest of a file a withdrawn woman's recording was imported from -> the day she withdrew (QA K4)."""
    return {digest: w.day for w in found for digest in w.imports}
