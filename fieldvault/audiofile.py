"""A session's recording, decrypted into memory only: as stored (int16) or as Whisper wants it.

Whisper input is float32 mono at 16 kHz, resampled in-process with PyAV's resampler chunk by chunk,
so peak memory is the output array plus one chunk. Never a temp file, never ffmpeg on a path.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from fieldvault import layout, wavstream
from fieldvault.agefile import AgeReader, Identity
from fieldvault.agefile.header import payload_id
from fieldvault.agefile.stream import plaintext_size
from fieldvault.errors import BadStudyFile, FieldvaultError
from fieldvault.events import SessionEvents, load_events
from fieldvault.layout import AUDIO, EVENTS
from fieldvault.study import Study, derived_key
from fieldvault.suggested import command

WHISPER_RATE = 16000
# In a timeline's info: the recording's length once `recover` cut or rebuilt it (else "duration" says it).
AUDIO_SECONDS = "audio_seconds"
# In a timeline's info: the payload_id of the recording it was sealed with (the recorder, import, recover).
AUDIO_ID = "audio"
# In an imported recording's timeline: the SHA-256 of the file it was imported from (sealed with the timeline).
SOURCE_SHA256 = "source_sha256"
# In an import's (or a restore's) signed entry: the study key's MAC of the SHA-256 of the recording's samples, decoded
# (16-bit, as sealed): the proof that a file found again is that recording (QA Z7: a length to the millisecond took
# another interview), which says nothing to whoever reads the plaintext log without the key (``samples_mac``).
SAMPLES = "samples"
TOLERANCE = 0.01  # seconds: a timeline states lengths to the millisecond

UNTIMED = (
    "has no timeline beside it (deleted or lost?): nothing tells whose recording it is, and it would be transcribed "
    "and exported as hers; restore the session's events.json.age from a backup, or move the session out of the study "
    "until you know whose it is"
)


def _pcm_chunks(
    study: Study, folder: Path, identities: Sequence[Identity]
) -> tuple[wavstream.WavFormat, Iterator[bytes]]:
    from fieldvault.stewardship.lost import refuse_recorded_lost, timeline_lost  # it imports this module's importers

    refuse_recorded_lost(study, folder)  # QA X11: hers recorded lost, any put in its place another's
    if layout.untimed(folder) and timeline_lost(study, folder) is None:  # QA J3; X10's contrast: tied by its import
        raise BadStudyFile(f"{(folder / AUDIO).relative_to(study.root)} {UNTIMED}")
    reader = study.open_reader(folder / AUDIO, identities)
    chunks = reader.chunks()
    head = b""
    for piece in chunks:  # the header may in principle straddle chunks
        head += piece
        if len(head) >= wavstream.HEADER_SIZE:
            break
    fmt, offset = wavstream.parse_header(head)
    info = _sealed_info(study, folder, identities)
    if info is not None and isinstance(info.get(SOURCE_SHA256), str):  # QA K5: a second copy of one imported file
        refuse_imported_twice(study, [folder], identities)
    if info is not None and (
        problem := header_mismatch(folder / AUDIO, info, reader.payload_start, fmt, offset, study.root)
    ):
        raise BadStudyFile(f"{(folder / AUDIO).relative_to(study.root)} {problem}")

    def rest() -> Iterator[bytes]:
        yield head[offset:]
        yield from chunks

    return fmt, rest()


def recording_mismatch(
    path: Path, info: dict[str, object], identities: Sequence[Identity], study_root: Path
) -> str | None:
    """Why the recording at ``path`` is not the one a sealed timeline whose info is ``info`` was written with, or
    None. A recording copied into another session (a careless restore or sync, a swap on a field kit) was
    transcribed and exported as that woman's words (QA H1). The timeline names the recording's payload (its random
    nonce, hashed: `payload_id`), and states its length to the millisecond; older timelines only the length. A file
    that cannot be read says nothing here: its own check reports it."""
    try:
        with path.open("rb") as stream:
            reader = AgeReader(stream, identities)
            fmt, offset = wavstream.parse_header(next(reader.chunks(), b""))
    except (FieldvaultError, OSError):
        return None
    return header_mismatch(path, info, reader.payload_start, fmt, offset, study_root)


def header_mismatch(
    path: Path,
    info: dict[str, object],
    payload_start: int | None,
    fmt: wavstream.WavFormat,
    offset: int,
    study_root: Path,
) -> str | None:
    """``recording_mismatch`` from what was read of the recording already: where its payload starts in the file and
    its WAV header, parsed from its first plaintext chunk (`check` authenticates every chunk first, and opens the
    file once)."""
    fix = (
        "put the right file back or restore this session's folder from a backup (if it was cut off since, "
        f"`{command('recover', study_root)}` keeps the rest)"
    )
    sealed_with = info.get(AUDIO_ID)
    try:
        if isinstance(sealed_with, str) and sealed_with != payload_id(path):
            return (
                "is not the recording made in this session: its timeline was sealed with another (copied here?); " + fix
            )
        size = path.stat().st_size
    except (FieldvaultError, OSError):  # a file that cannot be read says nothing here: its readers report it
        return None
    stated = info.get(AUDIO_SECONDS, info.get("duration"))
    if not isinstance(stated, int | float) or isinstance(stated, bool) or payload_start is None:
        return None
    try:
        plaintext = plaintext_size(size - payload_start)
    except ValueError:  # shorter than one tag: cut off, which reading it reports
        return None
    stored = (plaintext - offset) / fmt.bytes_per_second
    if abs(stored - stated) <= TOLERANCE:
        return None
    return (
        f"lasts {stored:.2f} s, but this session's timeline says {stated:.2f} s: it is not the recording made in "
        f"this session (another session's copied here?); {fix}"
    )


def _sealed_info(study: Study, folder: Path, identities: Sequence[Identity]) -> dict[str, object] | None:
    """The info of the session's sealed timeline; None without one (a recording cut off before its stop has only a
    journal) or when it cannot be read (its own readers report that)."""
    if not (folder / EVENTS).is_file():
        return None
    try:
        return load_events(study, folder, identities).info
    except FieldvaultError:
        return None


def read_format(study: Study, folder: Path, identities: Sequence[Identity]) -> wavstream.WavFormat:
    """The recording's format, from its first chunk only."""
    return _pcm_chunks(study, folder, identities)[0]


def _frames(pieces: Iterator[bytes], frame_bytes: int) -> Iterator[bytes]:
    """Re-cut byte pieces on whole-frame boundaries."""
    carry = b""
    for piece in pieces:
        data = carry + piece
        usable = len(data) - len(data) % frame_bytes
        carry = data[usable:]
        if usable:
            yield data[:usable]


def load_pcm(study: Study, folder: Path, identities: Sequence[Identity]) -> tuple[wavstream.WavFormat, np.ndarray]:
    """(format, int16 samples shaped (frames, channels)) for playback."""
    fmt, pieces = _pcm_chunks(study, folder, identities)
    data = b"".join(_frames(pieces, fmt.channels * 2))
    return fmt, np.frombuffer(data, dtype=np.int16).reshape(-1, fmt.channels)


def load_for_whisper(
    study: Study, folder: Path, identities: Sequence[Identity], channel: int | None = None
) -> tuple[np.ndarray, wavstream.WavFormat]:
    """Float32 mono 16 kHz: one channel of a stereo file, or all channels mixed down."""
    import av

    fmt, pieces = _pcm_chunks(study, folder, identities)
    stored = (folder / AUDIO).stat().st_size
    estimate = int(stored / fmt.bytes_per_second * WHISPER_RATE) + WHISPER_RATE
    out = np.empty(estimate, dtype=np.float32)
    filled = 0
    resampler = av.AudioResampler(format="flt", layout="mono", rate=WHISPER_RATE)
    layout = "mono" if channel is not None or fmt.channels == 1 else "stereo"
    for block in _frames(pieces, fmt.channels * 2):
        samples = np.frombuffer(block, dtype=np.int16).reshape(-1, fmt.channels)
        if channel is not None:
            samples = samples[:, channel : channel + 1]
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples).reshape(1, -1), format="s16", layout=layout)
        frame.sample_rate = fmt.rate
        filled = _append(out, filled, resampler.resample(frame))
    filled = _append(out, filled, resampler.resample(None))
    return out[:filled], fmt


def _append(out: np.ndarray, filled: int, frames: list) -> int:
    for frame in frames:
        data = frame.to_ndarray().reshape(-1)
        out[filled : filled + len(data)] = data
        filled += len(data)
    return filled


def stream_pcm(
    study: Study, folder: Path, identities: Sequence[Identity]
) -> tuple[wavstream.WavFormat, Iterator[bytes]]:
    """The recording's format and its samples as byte pieces, decrypted one chunk at a time (exports)."""
    return _pcm_chunks(study, folder, identities)


def imported_sources(
    study: Study,
    sessions: Iterable[Path],
    identities: Sequence[Identity],
    read: Callable[[Path], SessionEvents] | None = None,
) -> Iterator[tuple[Path, str]]:
    """(session folder, SHA-256 of the file it was imported from) for each of ``sessions`` that was imported and can
    be read (`check` names a timeline that cannot), each timeline read with ``read`` (`check` keeps what it read)."""
    for folder in sessions:
        if not (folder / EVENTS).is_file():
            continue
        try:
            source = (read or (lambda at: load_events(study, at, identities)))(folder).info.get(SOURCE_SHA256)
        except FieldvaultError:
            continue
        if isinstance(source, str):
            yield folder, source


def compared_sessions(study: Study) -> list[Path]:
    """The sessions whose timelines are compared for a file imported twice: each with a timeline, but one whose
    recording was recorded lost, as its timeline ties no recording of hers to her (QA X10, Y12: another session's
    recording and timeline put in its place, the recording moved out as `check` said, the timeline left made that
    other session the copy, and every export told the PI to `session remove` it)."""
    from fieldvault.stewardship.lost import recordings_lost  # it imports this module's importers

    lost = recordings_lost(study)
    return [
        folder for folder in layout.timed_sessions(study.root) if folder.relative_to(study.root).as_posix() not in lost
    ]


def imported_twice(
    study: Study, identities: Sequence[Identity], read: Callable[[Path], SessionEvents] | None = None
) -> dict[Path, Path]:
    """Each session imported from the same file as another -> that other session, the one kept (QA K5: the copy was
    transcribed and exported as that woman's words). The one kept is the first (in the order `check` reads them) whose
    recording is the one her signed import or record entry made, else the first: never one whose recording is her
    own while another's is not (QA Y12: a copy put in an earlier session's place named the genuine later one)."""
    from fieldvault.stewardship.lost import hers, made_payloads  # it imports this module's importers

    made = made_payloads(study)
    alike: dict[str, list[Path]] = {}
    for folder, source in imported_sources(study, compared_sessions(study), identities, read):
        alike.setdefault(source, []).append(folder)
    copies: dict[Path, Path] = {}
    for folders in alike.values():
        kept = next((f for f in folders if hers(study, f.relative_to(study.root).as_posix(), made)), folders[0])
        copies.update({folder: kept for folder in folders if folder != kept})
    return copies


def refuse_imported_twice(study: Study, folders: Iterable[Path], identities: Sequence[Identity]) -> None:
    """A one-line refusal when any of the session ``folders`` is a later copy of an imported recording, naming it, the
    session it copies, and the command that destroys the copy."""
    copies = imported_twice(study, identities)
    for folder in folders:
        if folder in copies:
            here, there = folder.relative_to(study.root), copies[folder].relative_to(study.root)
            remove = command("session", "remove", study.root, folder.parent.name, folder.name)
            raise BadStudyFile(
                f"{here} was imported from the same file as {there} (imported twice, or under two women?), so it is "
                f"not read as {folder.parent.name}'s: listen to both, then remove the copy (`{remove}`) or move it to "
                "the woman it belongs to (`fieldvault session move`)"
            )


def samples_mac(study: Study, identities: Sequence[Identity], sha256: str) -> str | None:
    """``SAMPLES``: the SHA-256 of a recording's decoded samples keyed with the study key; None without it (a field
    kit, an import with the study locked: nothing proves such a recording but its length)."""
    own = study.study_identity(identities)
    if own is None:
        return None
    return hmac.new(derived_key(own, "samples"), sha256.encode(), "sha256").hexdigest()


def samples_read(study: Study, folder: Path, identities: Sequence[Identity]) -> tuple[str, float]:
    """The SHA-256 of the samples of the session's sealed recording at ``folder``, read one chunk at a time, and how
    long it lasts (to the millisecond, as an import states it)."""
    fmt, pieces = _pcm_chunks(study, folder, identities)
    digest, size = hashlib.sha256(), 0
    for piece in pieces:
        digest.update(piece)
        size += len(piece)
    return digest.hexdigest(), round(size / fmt.bytes_per_second, 3)


def found_again(study: Study, sessions: Iterable[str], identities: Sequence[Identity]) -> list[str]:
    """What is said of each of ``sessions`` ("pseudonym/session", merged from a field kit) whose recording is the
    recorder's file of her recording recorded lost (QA Z13: the same interview became a new session of hers, merged
    without a word): proven by its samples, or where that session's import recorded none, as long to the millisecond.
    """
    from fieldvault.stewardship.lost import lost_lengths, made_samples  # it imports this module's importers

    lost = lost_lengths(study)
    said = []
    for key in sessions:
        pseudonym, session = key.split("/")
        hers = {folder: made for folder, made in lost.items() if folder.split("/")[1] == pseudonym}
        if not hers or not (study.root / layout.PARTICIPANTS / key / AUDIO).is_file():
            continue
        try:
            digest, seconds = samples_read(study, study.root / layout.PARTICIPANTS / key, identities)
        except FieldvaultError:
            continue  # a recording that cannot be read: merge-kit names it
        mine = samples_mac(study, identities, digest)
        remove = command("session", "remove", study.root, pseudonym, session)
        for folder, made in hers.items():
            proof = made_samples(study, folder)
            restore = command("import", study.root, pseudonym, "FILE", "--restores", folder.split("/")[2])
            if proof is not None and proof == mine:
                said.append(
                    f"{layout.PARTICIPANTS}/{key}, merged from the kit, is the recording of {folder}, which was "
                    f"recorded lost (its samples are the ones that session's import recorded): the same interview is "
                    f"two sessions of hers now. Where the recorder's file of it is still on its card, `{remove}`, then "
                    f"`{restore}` seals it back; keep this session until then"
                )
            elif proof is None and made is not None and abs(made - seconds) < 0.0005:
                read = command("transcript", study.root, pseudonym, folder.split("/")[2])
                said.append(
                    f"{layout.PARTICIPANTS}/{key}, merged from the kit, lasts as long as the recording of {folder}, "
                    f"which was recorded lost, and nothing else tells them apart: listen to it (`p` on its row of "
                    f"the home screen) beside her timed transcript (`{read}`); if it is her interview, where the "
                    f"recorder's file of it is still on its card, `{remove}`, then `{restore} --heard` seals it back; "
                    "keep this session until then"
                )
    return said


def source_mac(study: Study, identities: Sequence[Identity], sha256: str) -> str | None:
    """The SHA-256 of a file a recording was imported from, keyed with the study key, which says nothing without it
    (the audit log is plaintext); None without the study identity. A withdrawal keeps these (``withdrawals.IMPORTS``),
    so the file still on the recorder's card is never imported again (QA K4)."""
    own = study.study_identity(identities)
    if own is None:
        return None
    return hmac.new(derived_key(own, "imports"), sha256.encode(), "sha256").hexdigest()
