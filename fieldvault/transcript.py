"""The transcript of one session: timed segments with words, speakers, and the session's markers.

Stored only as transcript.json.age. Serialised in one place, with a schema version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fieldvault import serial, timecode
from fieldvault.errors import BadInput

if TYPE_CHECKING:
    from fieldvault.agefile import Identity
    from fieldvault.study import Study

SCHEMA_VERSION = 1
INTERVIEWER = "Interviewer"
PARTICIPANT = "Participant"
# Segment flags, for the editor and the exports: why a segment deserves a listen.
SUSPECT = "suspect"  # still looked like a loop or a guess after decoding again with temperature fallback
INAUDIBLE = "inaudible"  # speech that could not be recognised; the text is "[inaudible hh:mm:ss]"
PAUSE = "pause"  # a "[pause N s]" marker, not speech
TAGS = ("inaudible", "crosstalk", "pause", "laughs", "crying")  # what a transcriber may insert


def tag(name: str, at: float) -> str:
    """A standard transcription tag; an inaudible stretch carries the second it starts in, so a listener
    finds it: what transcription writes for speech it could not recognise and what the editor inserts."""
    if name not in TAGS:
        raise BadInput(f"tag {name!r} is not one of {', '.join(TAGS)}")
    return f"[inaudible {timecode.clock(int(at), digits=0)}]" if name == "inaudible" else f"[{name}]"


CROSSTALK = "crosstalk"  # two people at once
SPEAKER_DOUBTFUL = "speaker-doubtful"  # the diarization was unsure who spoke
ROLES_NOTE = "roles_note"  # settings key: the line telling the transcriber the talk time named the roles
SWAP_KEY = "alt+s"  # the editor's key that swaps two speakers in a whole session (named in ROLES_NOTE's line)
GAP = "gap"  # an "[audio damaged hh:mm:ss–hh:mm:ss]" marker: audio missing there (fieldvault.gaps), not speech
GAP_WORDS = {"dropout": "audio dropped", "damaged": "audio damaged"}  # a gap's timeline event kind -> its marker
FLAGS = (SUSPECT, INAUDIBLE, PAUSE, CROSSTALK, SPEAKER_DOUBTFUL, GAP)


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str
    probability: float
    doubtful: bool = False  # below the confidence threshold: the transcriber listens here first


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    speaker: str | None = None  # from the stereo channel or the diarization, or set by the reviewer
    words: tuple[Word, ...] = ()
    flags: tuple[str, ...] = ()  # see FLAGS: what a transcriber should check in this segment


@dataclass(frozen=True)
class Marker:
    at: float
    kind: str  # prompt or note
    text: str


KEPT_AS = "shown_as"  # extra, in a transcript kept de-identified at withdrawal: the name exports gave her then


@dataclass(frozen=True)
class Transcript:
    pseudonym: str
    session: str
    segments: tuple[Segment, ...]
    markers: tuple[Marker, ...]
    model: dict[str, str]  # name, kind, sha256, source
    backend: str
    settings: dict[str, object]
    audio_seconds: float
    processing_seconds: float
    created: str
    schema_version: int = SCHEMA_VERSION
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    def to_json(self) -> bytes:
        return serial.dumps(self)

    @classmethod
    def from_json(cls, data: bytes, where: str = "the transcript") -> Transcript:
        """``where`` names the file in the error a damaged one gives."""
        return serial.loads(cls, data, where)


def read_transcript(study: Study, path: Path, identities: Sequence[Identity]) -> Transcript:
    """A stored transcript (current, earlier, a saved version or the autosave), refused in one line when it is
    another session's than the folder it lies in: a sealed transcript copied by hand into another woman's session
    was shown, exported and member-checked as hers (QA E17). Only fieldvault moves a session, and it re-seals."""
    return transcript_at(study, path, study.read(path, identities))


def transcript_at(study: Study, path: Path, plaintext: bytes) -> Transcript:
    """``read_transcript`` of a transcript decrypted already (`check` decrypts each file once, to authenticate it).
    A session's current transcript is refused too when the study key vouched for a newer one (QA T11)."""
    from fieldvault import sessionvouch
    from fieldvault.layout import TRANSCRIPT
    from fieldvault.sessionbinding import refuse_elsewhere

    transcript = Transcript.from_json(plaintext, str(path))
    refuse_elsewhere(study, path, transcript.pseudonym, transcript.session)
    if Path(path).name == TRANSCRIPT:
        sessionvouch.unconfirmed(study, path, sessionvouch.digest(plaintext))
    return transcript


def fewer_speakers(transcript: Transcript, asked: int | None) -> str | None:
    """A line when fewer speakers came out of a mono recording than were asked for, else None (QA QD14: two voices
    with no pause at the joins came out as one speaker, the interviewer's question inside her answer, and nothing
    said so). Stereo takes its speakers from its channels, whatever the count asked."""
    if asked is None or transcript.settings.get("speakers_from") == "channels":
        return None
    found = sorted({s.speaker for s in transcript.segments if s.words and s.speaker})
    if len(found) >= asked:
        return None
    who = f" ({', '.join(found)})" if found else ""
    return (
        f"{asked} speakers were asked for and {len(found)} came out{who}: the voices may be too alike or the turns too "
        "close to part; the transcript is stored, check who speaks in the editor (a question may sit inside an answer)"
    )


def speakers_of(segments: Iterable[Segment]) -> list[str]:
    """The speakers of a session: the two usual roles first, then every other label in use ("Speaker 2")."""
    roles = [INTERVIEWER, PARTICIPANT]
    return roles + sorted({s.speaker for s in segments if s.speaker and s.speaker not in roles})


def next_speaker(current: str | None, segments: Iterable[Segment]) -> str | None:
    """The next speaker of a segment in the cycle none, the roles, every other label in use: the editor's Ctrl+T
    and review's S alike (QA G3: review's cycle had only the roles, so "Speaker 2" never came back)."""
    choices: list[str | None] = [None, *speakers_of(segments)]
    return choices[(choices.index(current) + 1) % len(choices)] if current in choices else choices[1]
