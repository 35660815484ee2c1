"""A session's timeline: prompt markers, notes, pauses, device facts and dropouts.

While recording, each event is sealed at once as its own small age file in ``events.d/`` so a crash
loses none; on a clean stop they are gathered into ``events.json.age`` and the journal is removed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from fieldvault import serial
from fieldvault.agefile import Identity
from fieldvault.layout import EVENTS, EVENTS_JOURNAL
from fieldvault.study import Study

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Event:
    at: float  # seconds into the recording (audio time, so pauses do not shift it)
    kind: str  # prompt, note, pause, resume, stop, dropout
    text: str = ""
    index: int | None = None  # for prompts: which prompt of the guide


@dataclass
class SessionEvents:
    pseudonym: str
    session: str
    info: dict[str, object] = field(default_factory=dict)  # device, rate, channels, started, duration, ...
    events: list[Event] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> bytes:
        return serial.dumps(self)

    @classmethod
    def from_json(cls, data: bytes) -> SessionEvents:
        return serial.loads(cls, data, "the session's events")


class EventJournal:
    """Seal each event as it happens; ``close`` writes the whole timeline and drops the journal."""

    def __init__(self, study: Study, folder: Path, timeline: SessionEvents) -> None:
        self.study = study
        self.folder = folder
        self.timeline = timeline
        (folder / EVENTS_JOURNAL).mkdir(mode=0o700, exist_ok=True)
        study.write_new(folder / EVENTS_JOURNAL / "info.json.age", json.dumps(timeline.info).encode())

    def add(self, event: Event) -> None:
        self.timeline.events.append(event)
        number = len(self.timeline.events)
        self.study.write_new(
            self.folder / EVENTS_JOURNAL / f"{number:05d}.json.age", json.dumps(asdict(event)).encode()
        )

    def close(self, info: dict[str, object]) -> None:
        self.timeline.info.update(info)
        self.study.write_new(self.folder / EVENTS, self.timeline.to_json())
        shutil.rmtree(self.folder / EVENTS_JOURNAL)


def load_events(study: Study, folder: Path, identities: Sequence[Identity]) -> SessionEvents:
    """The session's timeline, from events.json.age or, after a crash, from the journal."""
    if (folder / EVENTS).is_file():
        return SessionEvents.from_json(study.read(folder / EVENTS, identities))
    timeline = SessionEvents(folder.parent.name, folder.name)
    journal = folder / EVENTS_JOURNAL
    if journal.is_dir():
        if (journal / "info.json.age").is_file():
            timeline.info = json.loads(study.read(journal / "info.json.age", identities))
        for path in sorted(journal.glob("[0-9]*.json.age")):
            timeline.events.append(Event(**json.loads(study.read(path, identities))))
    return timeline


def gather_journal(study: Study, folder: Path, identities: Sequence[Identity], info: dict[str, object]) -> bool:
    """After a crash: turn a leftover journal into events.json.age. Returns whether there was one."""
    if (folder / EVENTS).is_file() or not (folder / EVENTS_JOURNAL).is_dir():
        return False
    timeline = load_events(study, folder, identities)
    timeline.info.update(info)
    study.write_new(folder / EVENTS, timeline.to_json())
    shutil.rmtree(folder / EVENTS_JOURNAL)
    return True
