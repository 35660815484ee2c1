"""What `check` decrypts of each session's timeline and recording, read once per check: the authentication pass
keeps each timeline (parsed, or why it does not parse), each recording's WAV header and each transcript's verdict
(judged as it is decrypted: only the verdict is kept); the checks after it (a recording copied from another session,
two sessions imported from one file, a transcript made before a salvage) use those. Kept in memory for the one
check only; never written anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from fieldvault import layout
from fieldvault.agefile import AgeReader, Identity
from fieldvault.agefile.stream import TAG, plaintext_size
from fieldvault.audiofile import header_mismatch, recording_mismatch
from fieldvault.errors import FieldvaultError
from fieldvault.events import SessionEvents, load_events
from fieldvault.gaps import salvage_note, unmarked_damage
from fieldvault.reseal import true_length_header
from fieldvault.study import Study
from fieldvault.transcript import transcript_at
from fieldvault.wavstream import WavFormat, parse_header


class CheckReads:
    """One check's reads. A timeline or recording the authentication pass did not see (a journal not yet gathered,
    or a file that appeared since) is read at its first use and kept too."""

    def __init__(self, study: Study, identities: Sequence[Identity]) -> None:
        self.study = study
        self.identities = identities
        self._timelines: dict[Path, SessionEvents | FieldvaultError] = {}
        # a recording's payload start and WAV header (format, first sample's offset); None: no WAV header in it
        self._heads: dict[Path, tuple[int | None, WavFormat, int] | None] = {}
        # recordings whose WAV header does not state the length they hold (`reseal.true_length_header`)
        self._unstated: set[Path] = set()
        # a transcript's verdict: why it cannot be read as its session's, or the salvage note it deserves, or None
        self._transcripts: dict[Path, FieldvaultError | str | None] = {}

    def authenticate(self, path: Path, advance: Callable[[int], None]) -> int:
        """Authenticate the header and every chunk of ``path``, and return how many recipients it is wrapped to;
        raises the FieldvaultError that says what failed. A session's timeline is kept whole, a recording's
        header. `check` refuses a file too big for its name before it comes here (QA W5)."""
        whole = path.name == layout.EVENTS or _is_transcript(path)
        held: list[bytes] = []
        try:
            with path.open("rb") as stream:
                reader = AgeReader(stream, self.identities)
                for chunk in reader.chunks():
                    advance(len(chunk) + TAG)
                    if whole or not held:
                        held.append(chunk)
        except FieldvaultError as err:
            if path.name == layout.EVENTS:
                self._timelines[path.parent] = err  # every later read of it would fail the same way
            raise
        if path.name == layout.EVENTS:
            self._timelines[path.parent] = _parsed(b"".join(held), str(path))
        elif whole:  # judged now, from this one decryption; only the verdict is kept, never the text
            self._transcripts[path] = self._judged(path, b"".join(held))
        elif path.name == layout.AUDIO:
            self._heads[path] = _head(reader.payload_start, held[0] if held else b"")
            if held and reader.payload_start is not None and _unstated(path, reader.payload_start, held[0]):
                self._unstated.add(path)
        return len(reader.header.stanzas)

    def states_no_length(self, path: Path) -> bool:
        """Whether the recording at ``path``, authenticated by this check, is a WAV whose header says "unknown
        length" where it could state it: a stop on a disk too full to re-seal it (QA QC10), or a recording made
        before fieldvault re-sealed at the stop. `recover` states it."""
        return path in self._unstated

    def timeline(self, folder: Path) -> SessionEvents:
        """The session's timeline (`events.load_events`); raises the FieldvaultError reading it gave."""
        if folder not in self._timelines:
            try:
                self._timelines[folder] = load_events(self.study, folder, self.identities)
            except FieldvaultError as err:
                self._timelines[folder] = err
        found = self._timelines[folder]
        if isinstance(found, FieldvaultError):
            raise found
        return found

    def transcript(self, path: Path) -> str | None:
        """A note on a transcript (or a saved version) that reads as its session's: on a current transcript made
        before `recover` salvaged its audio, what it does not mark; raises the FieldvaultError reading it gives."""
        if path not in self._transcripts:  # appeared since the authentication pass
            self._transcripts[path] = self._judged(path, self.study.read(path, self.identities))
        found = self._transcripts[path]
        if isinstance(found, FieldvaultError):
            raise found
        return found

    def _judged(self, path: Path, plaintext: bytes) -> FieldvaultError | str | None:
        try:
            transcript = transcript_at(self.study, path, plaintext)
        except FieldvaultError as err:
            return err
        if path.name != layout.TRANSCRIPT:
            return None
        try:  # `gaps.salvaged_after`, from the timeline this check read
            found = unmarked_damage(transcript.segments, self.timeline(path.parent).events)
        except FieldvaultError:
            return None  # a damaged timeline is named as its own failure
        return salvage_note(found) if found else None

    def other_recording(self, folder: Path) -> str | None:
        """Why the session's recording is not the one its sealed timeline was written with, or None (also without a
        sealed timeline, or where one cannot be read: its own check names it)."""
        if not (folder / layout.EVENTS).is_file():
            return None  # a recording cut off before its stop has only a journal
        try:
            info = self.timeline(folder).info
        except FieldvaultError:
            return None
        path = folder / layout.AUDIO
        if path not in self._heads:  # appeared since the authentication pass
            return recording_mismatch(path, info, self.identities, self.study.root)
        head = self._heads[path]
        return None if head is None else header_mismatch(path, info, *head, self.study.root)


def _is_transcript(path: Path) -> bool:
    """A session's current transcript, one an earlier transcription left, a saved version or the autosave."""
    in_versions = path.parent.name == layout.VERSIONS and path.name.endswith(".json.age")
    return path.name == layout.TRANSCRIPT or path.name.startswith("transcript-") or in_versions


def _head(payload_start: int | None, first: bytes) -> tuple[int | None, WavFormat, int] | None:
    try:
        return (payload_start, *parse_header(first))
    except FieldvaultError:
        return None


def _unstated(path: Path, payload_start: int, first: bytes) -> bool:
    try:
        total = plaintext_size(path.stat().st_size - payload_start)
    except (OSError, ValueError):  # gone since, or shorter than one tag: its own readers say so
        return False
    return true_length_header(first, total) is not None


def _parsed(plaintext: bytes, where: str) -> SessionEvents | FieldvaultError:
    try:
        return SessionEvents.from_json(plaintext, where)
    except FieldvaultError as err:
        return err
