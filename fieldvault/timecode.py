"""How a time in a recording is written: the one place for clock strings (screens, exports, tags, CLI).

Seconds are audio time from the start of the recording. Negative times clamp to zero.
"""

from __future__ import annotations


def hms(seconds: float) -> str:
    """01:02:03 — transcripts, tags such as [inaudible 00:12:04], the transcript command."""
    whole = max(0, int(seconds))
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def hms_millis(seconds: float, separator: str = ".") -> str:
    """01:02:03.456 (WebVTT, NVivo) or, with separator ",", 01:02:03,456 (SRT)."""
    ms = max(0, round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}{separator}{ms % 1000:03d}"


def elapsed(seconds: float) -> str:
    """0:02:03: a running clock on screen (hours unpadded, so a long interview stays readable)."""
    whole = max(0, int(seconds))
    return f"{whole // 3600:d}:{whole // 60 % 60:02d}:{whole % 60:02d}"
