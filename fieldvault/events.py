"""A session's timeline: prompt markers, notes, pauses, device facts and dropouts.

While recording, each event is sealed at once as its own small age file in ``events.d/`` so a crash
loses none; on a clean stop they are gathered into ``events.json.age`` and the journal is removed.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldvault import serial
from fieldvault.agefile import Identity
from fieldvault.agefile.sharedheader import SharedHeader
from fieldvault.layout import EVENTS, EVENTS_JOURNAL, EVENTS_JOURNAL_START
from fieldvault.study import Study

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Event:
    at: float  # seconds into the recording (audio time, so pauses do not shift it)
    kind: str  # prompt, note, pause, resume, stop, dropout, damaged, overflow (input PortAudio discarded),
    # input (the sound server switched the recording to another input: text says from which to which)
    text: str = ""
    index: int | None = None  # for prompts: which prompt of the guide
    length: float | None = None  # for dropout and damaged: seconds of audio missing from ``at`` (see gaps.py)


@dataclass
class SessionEvents:
    pseudonym: str
    session: str
    info: dict[str, object] = field(default_factory=dict)  # device, rate, channels, started, duration, ...
    events: list[Event] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> bytes:
        return serial.padded(self)  # the notes' lengths: serial.padded

    @classmethod
    def from_json(cls, data: bytes, where: str = "the session's events") -> SessionEvents:
        """``where`` names the file in the error a damaged one gives."""
        return serial.loads(cls, data, where)


@dataclass(frozen=True)
class JournalStart:
    """``events.d/info.json.age``: what was known of the recording as it started."""

    info: dict[str, object]
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def from_json(cls, data: bytes, where: str) -> JournalStart:
        return serial.loads(cls, data, where, _legacy_start)


@dataclass(frozen=True)
class JournalEntry:
    """``events.d/NNNNN.json.age``: one event, sealed the moment it happened."""

    event: Event
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def from_json(cls, data: bytes, where: str) -> JournalEntry:
        return serial.loads(cls, data, where, _legacy_entry)


# A journal is left on disk by a crash and read at the next start, so one written before its files carried
# a version (the bare info object, the bare event) must still read.
def _legacy_start(doc: Any) -> dict[str, Any] | None:
    return {"info": doc} if isinstance(doc, dict) else None


def _legacy_entry(doc: Any) -> dict[str, Any] | None:
    return {"event": doc} if isinstance(doc, dict) else None


class EventJournal:
    """Seal each event as it happens; ``close`` writes the whole timeline and drops the journal. With ``under``
    (a recorder's), every file of it is sealed under that one header, which the kit's log names as the recording
    begins: nobody holding the kit afterwards can seal an event, or a timeline, that passes for its own (qa28 QD9)."""

    def __init__(self, study: Study, folder: Path, timeline: SessionEvents, under: SharedHeader | None = None) -> None:
        self.study = study
        self.folder = folder
        self.timeline = timeline
        self.under = under
        (folder / EVENTS_JOURNAL).mkdir(mode=0o700, exist_ok=True)
        self._write(folder / EVENTS_JOURNAL / EVENTS_JOURNAL_START, serial.padded(JournalStart(timeline.info)))

    def _write(self, path: Path, plaintext: bytes) -> None:
        self.study.write_new_under(path, plaintext, self.under)

    def add(self, event: Event) -> None:
        self.timeline.events.append(event)
        number = len(self.timeline.events)
        self._write(self.folder / EVENTS_JOURNAL / f"{number:05d}.json.age", serial.padded(JournalEntry(event)))

    def close(self, info: dict[str, object]) -> None:
        self.timeline.info.update(info)
        self._write(self.folder / EVENTS, self.timeline.to_json())
        shutil.rmtree(self.folder / EVENTS_JOURNAL)


def load_events(study: Study, folder: Path, identities: Sequence[Identity]) -> SessionEvents:
    """The session's timeline, from events.json.age or, after a crash, from the journal. The sealed timeline is
    decrypted once per Study while its sealed bytes stay the same (one `transcribe` read it four times), and parsed
    at every call: each caller gets a timeline of its own to change."""
    if (folder / EVENTS).is_file():
        plaintext = study.read_parsed(folder / EVENTS, identities, _plaintext)
        return SessionEvents.from_json(plaintext, str(folder / EVENTS))
    timeline = SessionEvents(folder.parent.name, folder.name)
    journal = folder / EVENTS_JOURNAL
    if journal.is_dir():
        start = journal / EVENTS_JOURNAL_START
        if start.is_file():
            timeline.info = read_journal_start(study, start, identities).info
        for path in journal_entries(journal):
            timeline.events.append(read_journal_entry(study, path, identities).event)
    return timeline


def _plaintext(data: bytes, where: str) -> bytes:
    """What Study.read_parsed keeps of a sealed timeline: its plaintext (immutable; SessionEvents is not)."""
    return data


def journal_entries(journal: Path) -> list[Path]:
    """A journal's event files, in the order they were sealed."""
    return sorted(journal.glob("[0-9]*.json.age"))


def read_journal_start(study: Study, path: Path, identities: Sequence[Identity]) -> JournalStart:
    return JournalStart.from_json(study.read(path, identities), str(path))


def read_journal_entry(study: Study, path: Path, identities: Sequence[Identity]) -> JournalEntry:
    return JournalEntry.from_json(study.read(path, identities), str(path))


def gather_journal(study: Study, folder: Path, identities: Sequence[Identity], info: dict[str, object]) -> bool:
    """After a crash: turn a leftover journal into events.json.age. Returns whether there was one."""
    if (folder / EVENTS).is_file() or not (folder / EVENTS_JOURNAL).is_dir():
        return False
    timeline = load_events(study, folder, identities)
    timeline.info.update(info)
    study.write_new(folder / EVENTS, timeline.to_json())
    shutil.rmtree(folder / EVENTS_JOURNAL)
    return True
