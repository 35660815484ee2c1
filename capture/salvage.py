"""After a crash or damage: re-seal recordings that were cut off, salvage those damaged in places, and gather
their event journals.

A damaged recording becomes a new complete one: every chunk that authenticates, and silence of the right length
for each that does not, marked in the session's timeline where it lies (QA F19). Re-sealing needs the study
identity. A field kit can only list what was cut off; its files stay exactly as they are until recover runs on
the trusted machine.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldvault import layout, timecode, wavstream
from fieldvault.agefile import CHUNK, AgeReader, Identity
from fieldvault.agefile.header import payload_id
from fieldvault.agefile.recovery import Damage, find_damage, is_sealed, recover
from fieldvault.agefile.recovery import salvage as salvage_chunks
from fieldvault.audiofile import AUDIO_ID, AUDIO_SECONDS
from fieldvault.capture.recorder import find_interrupted
from fieldvault.errors import BadInput, FieldvaultError, NoIdentityMatched
from fieldvault.events import Event, gather_journal, load_events
from fieldvault.gaps import Gap
from fieldvault.layout import AUDIO, EVENTS, EVENTS_JOURNAL, LOCK, TRANSCRIPT
from fieldvault.recording_lock import recording_now
from fieldvault.reseal import SUFFIX as RESEAL_SUFFIX
from fieldvault.reseal import reseal_wav
from fieldvault.stewardship.lost import linked
from fieldvault.study import Study
from fieldvault.transcript_versions import Rescued, rescue_cut_off


@dataclass(frozen=True)
class Salvaged:
    file: Path  # relative to the study
    bytes_kept: int
    bytes_lost: int
    seconds_kept: float | None  # for recordings
    gaps: tuple[Gap, ...] = ()  # damaged stretches now silence, marked in the timeline
    rescued: Rescued | None = (
        None  # a session's transcript cut off: the whole segments kept, the version that holds more
    )


def unopened(study: Study, identities: Sequence[Identity]) -> dict[Path, str]:
    """Each sealed file under participants/ whose header opens with none of ``identities`` (path -> why): a file
    sealed for another study (copied in by hand, a careless restore), or one whose header is damaged. Recover
    names each and leaves it as it is, and goes on with the rest (it stopped at the first, unnamed). A link standing
    for a sealed file is one of them: what check says of it."""
    found: dict[Path, str] = {}
    for path in sorted(layout.participants(study.root).rglob("*.age")):
        if path.is_symlink():  # named, never read or re-sealed through (QA QD10: it opened the link's target)
            found[path] = linked(study, str(path.relative_to(study.root)))
            continue
        try:
            with path.open("rb") as stream:
                AgeReader(stream, identities)
        except NoIdentityMatched:
            found[path] = "is sealed for keys this study's do not open (another study's file?)"
        except FieldvaultError as err:
            found[path] = f"has a header that cannot be read ({str(err).split(';')[0]})"
    return found


def salvage(study: Study, identities: Sequence[Identity], skip: Collection[Path] = ()) -> list[Salvaged]:
    """Re-seal every encrypted file that lacks its final chunk, recordings with their true WAV length; salvage
    recordings damaged before their end; tidy up interrupted sessions. A session a live recorder is writing is
    left alone (`recording_now`), and so is each file in ``skip`` (``unopened``) and the session it is in. Every
    recording is read whole: damage in its middle shows nowhere else."""
    busy = recording_now(study.root) + [path.parent for path in skip]
    done = []
    damaged: list[tuple[Path, Damage]] = []
    for path in sorted(layout.participants(study.root).rglob("*.age")):
        if path.parent.name == EVENTS_JOURNAL or any(path.is_relative_to(b) for b in busy):
            continue
        if path.name == AUDIO:
            damage = find_damage(path, identities)
            if damage.within:
                damaged.append((path, damage))  # after the journals are gathered: its timeline gets the gaps
                continue
            if not damage.bad and not damage.cut_after_whole:
                continue
        elif is_sealed(path, identities):
            continue
        if path.name == TRANSCRIPT:  # whole segments, not a piece of JSON no reader opens (QA QD13)
            rescued = rescue_cut_off(study, path, identities)
            relative = path.relative_to(study.root)
            done.append(
                Salvaged(relative, len(rescued.transcript.to_json()), rescued.bytes_lost, None, rescued=rescued)
            )
            continue
        result = recover(path, identities)
        seconds = None
        if path.name == AUDIO:
            with path.open("rb") as stream:
                file_key = AgeReader(stream, identities).file_key
            reseal_wav(path, file_key)
            seconds = _seconds(path, result.bytes_recovered, identities)
            _restate_length(study, path.parent, seconds, identities)
        relative = path.relative_to(study.root)
        study.audit.append("recover", file=str(relative), bytes=result.bytes_recovered)
        done.append(Salvaged(relative, result.bytes_recovered, result.bytes_lost, seconds))
    for folder in find_interrupted(study):
        if folder in busy or any(path.is_relative_to(folder) for path in skip):
            continue
        for left in folder.glob(f"*{RESEAL_SUFFIX}"):
            left.unlink()  # a re-seal copy its recorder never finished; the recording itself is whole
        gather_journal(study, folder, identities, _recovered(folder))
        (folder / LOCK).unlink()
    done += [_salvage_recording(study, path, damage, identities) for path, damage in damaged]
    return done


def _salvage_recording(study: Study, path: Path, damage: Damage, identities: Sequence[Identity]) -> Salvaged:
    """Mark the damaged stretches in the timeline (once, however often this runs), audit, then rebuild the file
    with silence standing in for each damaged chunk; the original is kept beside it."""
    folder, relative = path.parent, path.relative_to(study.root)
    timeline = load_events(study, folder, identities)
    fmt, offset = _format(path, damage, timeline.info, identities)
    found = _gaps(damage, fmt, offset)
    known = {(e.kind, e.at) for e in timeline.events}
    for gap in found:
        if ("damaged", gap.start) not in known:
            lost = round(gap.end - gap.start, 3)
            timeline.events.append(Event(gap.start, "damaged", f"{lost:.1f} s failed authentication", length=lost))
    timeline.events.sort(key=lambda e: e.at)
    study.replace(folder / EVENTS, timeline.to_json())
    seconds_lost = round(sum(g.end - g.start for g in found), 3)
    study.audit.append("recover", file=str(relative), reason="damaged", count=len(damage.bad), seconds=seconds_lost)
    silence = bytes(CHUNK)

    def stand_in(counter: int) -> bytes:
        return wavstream.header(fmt) + silence[offset:] if counter == 0 else silence

    rebuilt = salvage_chunks(path, identities, damage, stand_in)
    with path.open("rb") as stream:
        file_key = AgeReader(stream, identities).file_key
    reseal_wav(path, file_key)  # a dropped last chunk changed the length
    total = rebuilt.bytes_kept + rebuilt.bytes_stood_in
    seconds = (total - offset) / fmt.bytes_per_second
    _restate_length(study, folder, seconds, identities)
    return Salvaged(relative, total, rebuilt.bytes_dropped, seconds, tuple(found))


def _restate_length(study: Study, folder: Path, seconds: float | None, identities: Sequence[Identity]) -> None:
    """A recording recover re-sealed, cut short or rebuilt is a new payload, and may no longer last what its sealed
    timeline says; the timeline says so now, or the recording would be refused as another session's
    (audiofile.recording_mismatch)."""
    if not (folder / EVENTS).is_file():
        return
    timeline = load_events(study, folder, identities)
    timeline.info[AUDIO_ID] = payload_id(folder / AUDIO)
    if seconds is not None:
        timeline.info[AUDIO_SECONDS] = round(seconds, 3)
    study.replace(folder / EVENTS, timeline.to_json())


def _recovered(folder: Path) -> dict[str, object]:
    """What a timeline gathered from a journal after a crash says of its recording (QA H1: which one it is)."""
    audio = folder / AUDIO
    return {"complete": False, "recovered": True, **({AUDIO_ID: payload_id(audio)} if audio.is_file() else {})}


def _format(
    path: Path, damage: Damage, info: dict[str, object], identities: Sequence[Identity]
) -> tuple[wavstream.WavFormat, int]:
    """The recording's format and first sample's offset: from its first chunk, or, when that is the damaged one,
    from the timeline the recorder wrote (its header is always wavstream's)."""
    if 0 not in damage.bad:
        with path.open("rb") as stream:
            return wavstream.parse_header(next(AgeReader(stream, identities).chunks()))
    rate, channels = info.get("rate"), info.get("channels")
    if not isinstance(rate, int) or not isinstance(channels, int):
        raise FieldvaultError(
            f"{path}: its first chunk is damaged and its timeline does not say its format; restore it from a backup"
        )
    return wavstream.WavFormat(rate, channels), wavstream.HEADER_SIZE


def _gaps(damage: Damage, fmt: wavstream.WavFormat, offset: int) -> list[Gap]:
    """Each run of damaged chunks before the last, in audio seconds."""
    runs: list[list[int]] = []
    for counter in (n for n in damage.bad if n < damage.chunks - 1):
        if runs and runs[-1][1] == counter:
            runs[-1][1] = counter + 1
        else:
            runs.append([counter, counter + 1])

    def at(byte: int) -> float:
        return round(max(byte - offset, 0) / fmt.bytes_per_second, 3)

    return [Gap(at(first * CHUNK), at(end * CHUNK), "damaged") for first, end in runs]


def gather_leftover_journals(study: Study, identities: Sequence[Identity], skip: Collection[Path] = ()) -> list[Path]:
    """Sessions (relative to the study) whose timeline journal outlived its recording lock (a lock deleted by
    hand, or a crash between sealing the timeline and removing the journal): the journal becomes
    events.json.age, or goes when events.json.age was written already. A live recording is left alone."""
    busy = recording_now(study.root)
    gathered = []
    for journal in sorted(layout.participants(study.root).glob(f"*/*/{EVENTS_JOURNAL}")):
        folder = journal.parent
        if (folder / LOCK).exists() or folder in busy or not journal.is_dir():
            continue
        if any(path.is_relative_to(folder) for path in skip):
            continue
        if not gather_journal(study, folder, identities, _recovered(folder)):
            shutil.rmtree(journal)  # events.json.age was sealed from it already: only the leftover goes
        gathered.append(folder.relative_to(study.root))
    return gathered


def state_true_lengths(study: Study, identities: Sequence[Identity], skip: Collection[Path] = ()) -> list[Path]:
    """Re-seal complete recordings whose WAV still says "unknown length" (made before fieldvault re-sealed at
    stop, or when the disk was too full to) so `age -d` tells their length; the recordings changed."""
    busy = recording_now(study.root)
    changed = []
    for path in sorted(layout.participants(study.root).glob(f"*/*/{AUDIO}")):
        if any(path.is_relative_to(b) for b in busy) or path in skip or not is_sealed(path, identities):
            continue
        with path.open("rb") as stream:
            file_key = AgeReader(stream, identities).file_key
        if reseal_wav(path, file_key):
            _restate_length(study, path.parent, None, identities)
            study.audit.append("recover", file=str(path.relative_to(study.root)), reason="true length")
            changed.append(path.relative_to(study.root))
    return changed


def _seconds(path: Path, kept: int, identities: Sequence[Identity]) -> float | None:
    if kept < wavstream.HEADER_SIZE:
        return 0.0
    with path.open("rb") as stream:
        first = next(AgeReader(stream, identities).chunks())
    try:
        fmt, offset = wavstream.parse_header(first)
    except BadInput:
        return None  # not a recording fieldvault made; the bytes count says enough
    return (kept - offset) / fmt.bytes_per_second


def describe(item: Salvaged, root: str | Path) -> str:
    """What recover says of one file; commands name the study folder as ``root``."""
    if item.rescued is not None:
        return item.rescued.said(root)
    audio = f" = {item.seconds_kept:.1f} s of audio" if item.seconds_kept is not None else ""
    kept = f"{item.file}: kept {item.bytes_kept} bytes{audio}"
    if item.gaps:
        stretches = ", ".join(f"{g.end - g.start:.1f} s at {_span(g)}" for g in item.gaps)
        kept += f"; damaged audio became silence, marked in its timeline (and in transcripts made now): {stretches}"
    tail = f", lost at least {item.bytes_lost} bytes of a torn or damaged last chunk" if item.bytes_lost else ""
    return f"{kept}{tail}; original kept as {item.file.name}.damaged"


def _span(gap: Gap) -> str:
    return f"{timecode.clock(gap.start, digits=1)}–{timecode.clock(gap.end, digits=1)}"
