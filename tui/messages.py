"""Messages that workers post to screens: small dataclasses named for what happened."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class TranscriptionProgressed(Message):
    index: int
    stage: str  # one of transcribe.pipeline.STAGES
    fraction: float | None  # of that stage; None while its length is unknown


@dataclass
class TranscriptReady(Message):
    index: int
    summary: str
    note: str = ""  # said in a notification too: fewer speakers came out than were asked for (QA QD14)


@dataclass
class TranscriptionFailed(Message):
    index: int
    reason: str


@dataclass
class TranscriptionQueueEnded(Message):
    """The queue's worker is done: every item transcribed, failed or cancelled."""


@dataclass
class Told(Message):
    """A line ``Study.tell`` said while the app runs (posted from whichever thread said it)."""

    line: str
