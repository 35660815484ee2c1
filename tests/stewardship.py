"""A study with participants whose every kind of file exists, for the stewardship tests.

Files are made with the same core functions the recorder, transcriber and reviewer call; audio is a
generated tone (nothing here needs speech), so building one takes a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from fieldvault import wavstream
from fieldvault.agefile import Identity
from fieldvault.agefile.header import payload_id
from fieldvault.events import Event, SessionEvents
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant, new_session_folder, sealed_lists
from fieldvault.redact.review import ACCEPTED, propose
from fieldvault.sessioninfo import SessionInfo, write_session_info
from fieldvault.study import Study
from fieldvault.transcript import Marker, Segment, Transcript
from tests.conftest import ANSWERS, PASSPHRASE, store_reviewed


@dataclass(frozen=True)
class Person:
    pseudonym: str
    identifiers: tuple[str, ...]  # what must never survive her withdrawal
    said: str  # a transcript line that mentions them


ROSA = Person("Rosa", ("Marisol Quintanilla", "Tucson", "Desert Rose Motel"),
              "I left Tucson when Marisol Quintanilla took me out of the Desert Rose Motel.")  # fmt: skip
JUNE = Person("June", ("Harold Beckwith", "Fresno"), "Harold Beckwith drove me to Fresno that night.")


def add_person(study: Study, person: Person, sessions: int = 1, seconds: float = 2.0) -> list[str]:
    consent = ConsentRecord("information letter given; verbal consent", "letter-v3", "script-v1", "2026-11-01T10:00:00")
    known = [
        KnownIdentifier(text, "LOCATION" if text in ("Tucson", "Fresno") else "PERSON") for text in person.identifiers
    ]
    keys = study.unlock(PASSPHRASE.encode()) if sealed_lists(study, person.pseudonym) else []  # her name is checked
    add_participant(study, person.pseudonym, dict(ANSWERS), consent, known, keys)
    made = []
    for _ in range(sessions):
        folder = new_session_folder(study, person.pseudonym)
        tone = (np.sin(np.arange(int(16000 * seconds)) * 0.05) * 8000).astype(np.int16)
        study.write_new(folder / "audio.wav.age", wavstream.header(wavstream.WavFormat(16000, 1)) + tone.tobytes())
        events = SessionEvents(person.pseudonym, folder.name, {"duration": seconds, "rate": 16000},
                               [Event(0.5, "note", f"she named {person.identifiers[0]}")])  # fmt: skip
        study.write_new(folder / "events.json.age", events.to_json())
        write_session_info(study, folder, SessionInfo())
        payload = payload_id(folder / "audio.wav.age") or ""  # as an import records it (QA X10)
        study.audit.append("import", pseudonym=person.pseudonym, session=folder.name, seconds=seconds, payloads=payload)
        made.append(folder.name)
    return made


def transcribe_and_review(study: Study, identities: Sequence[Identity], person: Person, session: str) -> None:
    """A transcript that mentions her identifiers, an earlier version of it, and reviewed redactions."""
    folder = study.root / "participants" / person.pseudonym / session
    transcript = Transcript(
        person.pseudonym, session,
        (Segment(0.0, 1.0, "Tell me how it started.", "Interviewer"), Segment(1.0, 2.0, person.said, "Participant")),
        (Marker(0.5, "note", f"mentions {person.identifiers[0]}"), Marker(0.0, "prompt", "Tell me how it started.")),
        {"name": "tiny.en"}, "faster-whisper", {}, 2.0, 0.1, "2026-11-02T10:00:00",
    )  # fmt: skip
    study.write_new(folder / "transcript-20261101-000000.json.age", transcript.to_json())
    study.write_new(folder / "transcript.json.age", transcript.to_json())
    from fieldvault.participants import known_identifiers

    redactions = propose(transcript, known_identifiers(study, person.pseudonym, identities))
    assert redactions.spans, "the detector must find her identifiers, or the test proves nothing"
    for span in list(redactions.spans):
        redactions.decide(span.id, ACCEPTED, "tester", datetime(2026, 11, 3))
    redactions.mark_reviewed("tester", datetime(2026, 11, 3))
    store_reviewed(study, redactions)
