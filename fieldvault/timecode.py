"""How a time in a recording is written: the one place for clock strings (screens, exports, tags, CLI).

Seconds are audio time from the start of the recording. Negative times clamp to zero.
"""

from __future__ import annotations


def clock(seconds: float, separator: str = ".", digits: int = 3) -> str:
    """hh:mm:ss plus a fraction with ``digits`` digits (none when 0): 01:02:03.456, SRT's 01:02:03,456."""
    scale = 10**digits
    whole, fraction = divmod(max(0, round(seconds * scale)), scale)
    text = f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return f"{text}{separator}{fraction:0{digits}d}" if digits else text


def elapsed(seconds: float) -> str:
    """0:02:03: a running clock on screen (hours unpadded, so a long interview stays readable)."""
    whole = max(0, int(seconds))
    return f"{whole // 3600:d}:{whole // 60 % 60:02d}:{whole % 60:02d}"
