"""What an export is made of: de-identified records, the only input a writer ever gets.

Every string here has passed the gate's scrub. This module and the writers never import the study,
participants, identities or the age format (an import-linter contract says so): a writer cannot leak
what it was never given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import BinaryIO, Protocol

UNREVIEWED = "UNREVIEWED — identifiers may remain in this transcript; it has not been fully reviewed."


@dataclass(frozen=True)
class Line:
    """One transcript segment, redacted and scrubbed; times in seconds."""

    start: float
    end: float
    speaker: str | None
    text: str


@dataclass(frozen=True)
class Prompt:
    """A prompt of the interview guide: its number follows the guide's order, its key never changes."""

    number: int
    text: str
    key: str  # what the prompt's code GUID is derived from, so it is the same in every export

    @property
    def label(self) -> str:
        return f"Prompt {self.number}"


@dataclass(frozen=True)
class PromptMark:
    """A prompt shown during the session, at the time its line goes (the gate places it: see gate._placed)."""

    at: float
    prompt: Prompt


@dataclass(frozen=True)
class Audio:
    """A session's recording as the gate hands it over: 16-bit PCM, read as a stream, never a path."""

    rate: int
    channels: int
    pcm_bytes: int
    chunks: Callable[[], Iterator[bytes]]


@dataclass(frozen=True)
class SessionRecord:
    participant: str  # the pseudonym, scrubbed
    session: str  # her session's number (1, 2, ...), never its id: the id is the interview's date and time
    kind: str
    reviewed: bool
    provenance: str  # how it was transcribed, scrubbed
    duration: float
    lines: tuple[Line, ...]
    marks: tuple[PromptMark, ...]
    audio: Audio | None = None

    @property
    def title(self) -> str:
        return f"{self.participant} session {self.session}"

    @property
    def stem(self) -> str:
        """A file name without extension: what the source is called in every format."""
        return f"{self.participant}_session-{self.session}"


@dataclass(frozen=True)
class Answer:
    field: str
    value: str | int  # multi-choice answers are joined with "; "; every string is scrubbed


@dataclass(frozen=True)
class ParticipantRecord:
    name: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Memo:
    """A journal entry, a session's field notes or its notes taken while recording; scrubbed. Undated: when it was
    written is often her interview day (QA Z12); an export dates it with its own time."""

    title: str
    text: str


@dataclass(frozen=True)
class Bundle:
    sessions: tuple[SessionRecord, ...]
    participants: tuple[ParticipantRecord, ...]
    prompts: tuple[Prompt, ...]  # the guide's, in its order, then any a session holds that the guide lost
    memos: tuple[Memo, ...] = ()

    @property
    def fields(self) -> list[str]:
        return sorted({a.field for p in self.participants for a in p.answers})


class Sink(Protocol):
    """Where a writer puts its files: a folder, one file, or memory (the preview)."""

    def open(self, name: str) -> AbstractContextManager[BinaryIO]: ...
