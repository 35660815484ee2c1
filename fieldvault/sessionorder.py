"""The order a woman's sessions were recorded in, which numbers them in exports and lists them on the home screen.

A session id is its start by the clock of the machine that recorded it. A field kit's clock may be wrong (set ahead
by hand, a VM's, a dead clock battery): a session it dated years ahead stayed last for ever, and every real
interview recorded after it took a number before it, renumbering what coders had already been given (QA S3). But
the study's signed log holds two times from the study's own clock for every kit session: when its kit was made
(`field-kit.made`) and when the session was merged (`field-kit.entry`); it was recorded between the two. So a kit
session's date is kept within them, and sessions with one merge time keep the kit's own order (its log's sequence).
A session dated right, and every session of a study no kit wrote to, keeps the order of its id. Never writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from fieldvault.audit import entry_time
from fieldvault.showntime import SESSION_ID
from fieldvault.study import Study

RECORDED = ("import", "record")  # the kit's entries that a session began


@dataclass(frozen=True)
class KitWindow:
    """When a kit session can have been recorded, by the study's clock, and where it was in the kit's log."""

    made: datetime | None
    merged: datetime
    seq: int


def kit_windows(study: Study) -> dict[str, KitWindow]:
    """Session id -> its KitWindow, for every session merged from a kit (its first merge), read from the study's log;
    none where the log cannot be read (a damaged log is check's to name, not the home screen's)."""
    try:
        entries = study.audit.readable()[0]
    except (OSError, ValueError):
        return {}
    made: dict[str, datetime | None] = {}
    windows: dict[str, KitWindow] = {}
    for entry in entries:
        details = entry.get("details")
        if not isinstance(details, dict):
            continue
        if entry.get("action") == "field-kit.made":
            made[str(details.get("head"))] = entry_time(entry)
        elif entry.get("action") == "field-kit.entry" and details.get("origin_action") in RECORDED:
            session, merged, seq = details.get("session"), entry_time(entry), details.get("origin_seq")
            if isinstance(session, str) and merged is not None and session not in windows:
                kit = made.get(str(details.get("origin")))
                windows[session] = KitWindow(kit, merged, seq if isinstance(seq, int) else 0)
    return windows


def recorded_order(sessions: Iterable[str], windows: dict[str, KitWindow]) -> list[str]:
    """``sessions`` (ids of one woman's) in the order they were recorded: by their ids' times, a kit session's kept
    within its window (kit_windows)."""
    return sorted(sessions, key=lambda session: _when(session, windows.get(session)))


def _when(session: str, window: KitWindow | None) -> tuple[datetime, int, str]:
    try:
        dated = datetime.strptime(session[:15], SESSION_ID).replace(tzinfo=UTC)
    except ValueError:
        dated = datetime.min.replace(tzinfo=UTC)  # no id of fieldvault's: first, as sorting by name put it
    if window is None:
        return dated, 0, session
    if window.made is not None:
        dated = max(dated, window.made)
    return min(dated, window.merged), window.seq, session
