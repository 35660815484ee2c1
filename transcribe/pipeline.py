"""Transcribe a session: decrypt in memory, cut long audio at quiet moments, run the backend window by
window (bounded memory, progress, cancellation between windows), label speakers, add the markers.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fieldvault import layout
from fieldvault.agefile import Identity
from fieldvault.audiofile import WHISPER_RATE, load_for_whisper, read_format
from fieldvault.errors import FieldvaultError
from fieldvault.events import load_events
from fieldvault.layout import AUDIO, TRANSCRIPT
from fieldvault.study import Study
from fieldvault.transcribe.backend import Backend, Options
from fieldvault.transcribe.models import Model
from fieldvault.transcript import INTERVIEWER, PARTICIPANT, Marker, Segment, Transcript, Word

WINDOW = 300.0  # seconds of audio per backend call: bounds memory and gives progress
SEARCH = 20.0  # look this far back from a window's end for the quietest moment to cut at
Progress = Callable[[float], None]


class Cancelled(FieldvaultError):
    pass


@dataclass(frozen=True)
class Job:
    pseudonym: str
    session: str
    folder: Path


def pending(study: Study, pseudonym: str | None = None, session: str | None = None, force: bool = False) -> list[Job]:
    """Recorded sessions still to transcribe (all of the named ones with ``force``)."""
    jobs = []
    people = [pseudonym] if pseudonym else study.participant_names()
    for person in people:
        folder = layout.participant(study.root, person)
        if not folder.is_dir():
            raise FieldvaultError(f"no participant {person!r} in this study")
        for session_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
            if session and session_folder.name != session:
                continue
            if (session_folder / AUDIO).is_file() and (force or not (session_folder / TRANSCRIPT).is_file()):
                jobs.append(Job(person, session_folder.name, session_folder))
    if session and not (layout.session(study.root, str(pseudonym), session) / AUDIO).is_file():
        raise FieldvaultError(f"no recorded session {session!r} for {pseudonym}; `fieldvault` lists the sessions")
    return jobs


def cut_points(audio: np.ndarray, window: float = WINDOW) -> list[int]:
    """Window boundaries (samples), each at the quietest 100 ms shortly before the nominal boundary."""
    size = int(window * WHISPER_RATE)
    points = [0]
    frame = WHISPER_RATE // 10
    while len(audio) - points[-1] > size:
        end = points[-1] + size
        start = max(points[-1] + frame, end - int(SEARCH * WHISPER_RATE))
        region = audio[start:end]
        energy = np.square(region[: len(region) // frame * frame].reshape(-1, frame)).mean(axis=1)
        points.append(start + int(np.argmin(energy)) * frame + frame // 2)
    points.append(len(audio))
    return points


def _shift(segment: Segment, offset: float, speaker: str | None) -> Segment:
    words = tuple(
        Word(round(w.start + offset, 3), round(w.end + offset, 3), w.text, w.probability) for w in segment.words
    )
    return Segment(round(segment.start + offset, 3), round(segment.end + offset, 3), segment.text, speaker, words)


def _run_channel(
    audio: np.ndarray,
    backend: Backend,
    options: Options,
    speaker: str | None,
    report: Callable[[float], None],
    cancelled: Callable[[], bool],
) -> list[Segment]:
    points = cut_points(audio)
    found: list[Segment] = []
    for start, end in itertools.pairwise(points):
        if cancelled():
            raise Cancelled("transcription cancelled; nothing was stored for this session")
        offset = start / WHISPER_RATE
        for segment in backend.transcribe(audio[start:end], options):
            found.append(_shift(segment, offset, speaker))
            report(offset + segment.end)
        report(end / WHISPER_RATE)
    return found


def transcribe_session(
    study: Study,
    job: Job,
    identities: Sequence[Identity],
    backend: Backend,
    model: Model,
    options: Options,
    progress: Progress = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Transcript:
    """One session's transcript; a stereo recording is transcribed per channel (one microphone per speaker)."""
    started = time.monotonic()
    fmt = read_format(study, job.folder, identities)
    channels = [(0, INTERVIEWER), (1, PARTICIPANT)] if fmt.channels == 2 else [(None, None)]
    segments: list[Segment] = []
    duration = 0.0
    for number, (channel, speaker) in enumerate(channels):
        audio, _ = load_for_whisper(study, job.folder, identities, channel=channel)
        duration = len(audio) / WHISPER_RATE
        total = duration * len(channels)

        def report(seconds: float, done_before: float = number * duration, total: float = total) -> None:
            progress(min((done_before + seconds) / total, 1.0) if total else 1.0)

        segments += _run_channel(audio, backend, options, speaker, report, cancelled)
        del audio  # one channel in memory at a time
    segments.sort(key=lambda s: (s.start, s.end))
    timeline = load_events(study, job.folder, identities)
    markers = tuple(Marker(e.at, e.kind, e.text) for e in timeline.events if e.kind in ("prompt", "note"))
    return Transcript(
        job.pseudonym, job.session, tuple(segments), markers, model.describe(), backend.name,
        {"language": options.language, "beam_size": options.beam_size, "window_seconds": WINDOW,
         "channels": fmt.channels}, round(duration, 3), round(time.monotonic() - started, 3),
        study.clock().isoformat(timespec="seconds"),
    )  # fmt: skip


def store(study: Study, transcript: Transcript) -> Path:
    """Write transcript.json.age; an earlier transcript is kept as transcript-<time>.json.age."""
    folder = layout.session(study.root, transcript.pseudonym, transcript.session)
    current = folder / TRANSCRIPT
    if current.exists():
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(current.stat().st_mtime))
        current.rename(folder / f"transcript-{stamp}.json.age")
    path = study.write_new(current, transcript.to_json())
    study.audit.append(
        "transcribe",
        pseudonym=transcript.pseudonym,
        session=transcript.session,
        model=transcript.model["name"],
        backend=transcript.backend,
        seconds=transcript.audio_seconds,
    )
    return path
