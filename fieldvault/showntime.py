"""How a stored time reads to a person. Stored times, and the names made of them (session ids, journal entry names),
are UTC: unique, sorted in the order things happened, and the same on a kit and a study in different time zones
(merge-kit compares them; exports number sessions by them). So what a person reads says UTC plainly, with the time
where she is beside it when the two differ (QA S12: a write-up at 22:05 on 26 November in American Samoa was named
2026-11-27 and said nothing more). Never changes a stored name or time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

SESSION_ID = "%Y%m%d-%H%M%S"  # a session folder's name: its start in UTC (then "-2"... where two share a second)


def utc_and_here(moment: datetime) -> str:
    """``2026-11-27 09:05 UTC (2026-11-26 22:05 here)``; the UTC time alone where this computer keeps UTC."""
    utc = (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(UTC)
    here = utc.astimezone()
    said = f"{utc:%Y-%m-%d %H:%M} UTC"
    return said if here.utcoffset() == timedelta(0) else f"{said} ({here:%Y-%m-%d %H:%M} here)"


def written(iso: str) -> str:
    """A stored ISO time (a journal entry's or a field note's "written") as utc_and_here says it; as stored where it
    is no time (an entry whose header is gone keeps its date)."""
    try:
        return utc_and_here(datetime.fromisoformat(iso))
    except ValueError:
        return iso


def session_start(session: str) -> str:
    """When a session started, read from its id, as utc_and_here says it; the id itself where it is no time."""
    try:
        return utc_and_here(datetime.strptime(session[:15], SESSION_ID).replace(tzinfo=UTC))
    except ValueError:
        return session
