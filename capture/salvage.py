"""After a crash: find recordings that were cut off, re-seal them, and gather their event journals.

Re-sealing needs the study identity. A field kit can only list what was cut off; its files stay
exactly as they are until recover runs on the trusted machine.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldvault import layout, wavstream
from fieldvault.agefile import AgeReader, Identity
from fieldvault.agefile.recovery import is_sealed, recover
from fieldvault.capture.recorder import find_interrupted, recording_now
from fieldvault.errors import BadInput
from fieldvault.events import gather_journal
from fieldvault.layout import AUDIO, EVENTS_JOURNAL, LOCK
from fieldvault.reseal import SUFFIX as RESEAL_SUFFIX
from fieldvault.reseal import reseal_wav
from fieldvault.study import Study


@dataclass(frozen=True)
class Salvaged:
    file: Path  # relative to the study
    bytes_kept: int
    bytes_lost: int
    seconds_kept: float | None  # for recordings


def salvage(study: Study, identities: Sequence[Identity]) -> list[Salvaged]:
    """Re-seal every encrypted file that lacks its final chunk, recordings with their true WAV length; tidy
    up interrupted sessions. A session a live recorder is writing is left alone (`recording_now`)."""
    busy = recording_now(study)
    done = []
    for path in sorted(layout.participants(study.root).rglob("*.age")):
        if path.parent.name == EVENTS_JOURNAL or any(path.is_relative_to(b) for b in busy):
            continue
        if is_sealed(path, identities):
            continue
        result = recover(path, identities)
        seconds = None
        if path.name == AUDIO:
            with path.open("rb") as stream:
                file_key = AgeReader(stream, identities).file_key
            reseal_wav(path, file_key)
            seconds = _seconds(path, result.bytes_recovered, identities)
        relative = path.relative_to(study.root)
        study.audit.append("recover", file=str(relative), bytes=result.bytes_recovered)
        done.append(Salvaged(relative, result.bytes_recovered, result.bytes_lost, seconds))
    for folder in find_interrupted(study):
        for left in folder.glob(f"*{RESEAL_SUFFIX}"):
            left.unlink()  # a re-seal copy its recorder never finished; the recording itself is whole
        gather_journal(study, folder, identities, {"complete": False, "recovered": True})
        (folder / LOCK).unlink()
    return done


def gather_leftover_journals(study: Study, identities: Sequence[Identity]) -> list[Path]:
    """Sessions (relative to the study) whose timeline journal outlived its recording lock (a lock deleted by
    hand, or a crash between sealing the timeline and removing the journal): the journal becomes
    events.json.age, or goes when events.json.age was written already. A live recording is left alone."""
    busy = recording_now(study)
    gathered = []
    for journal in sorted(layout.participants(study.root).glob(f"*/*/{EVENTS_JOURNAL}")):
        folder = journal.parent
        if (folder / LOCK).exists() or folder in busy or not journal.is_dir():
            continue
        if not gather_journal(study, folder, identities, {"complete": False, "recovered": True}):
            shutil.rmtree(journal)  # events.json.age was sealed from it already: only the leftover goes
        gathered.append(folder.relative_to(study.root))
    return gathered


def state_true_lengths(study: Study, identities: Sequence[Identity]) -> list[Path]:
    """Re-seal complete recordings whose WAV still says "unknown length" (made before fieldvault re-sealed at
    stop, or when the disk was too full to) so `age -d` tells their length; the recordings changed."""
    busy = recording_now(study)
    changed = []
    for path in sorted(layout.participants(study.root).glob(f"*/*/{AUDIO}")):
        if any(path.is_relative_to(b) for b in busy) or not is_sealed(path, identities):
            continue
        with path.open("rb") as stream:
            file_key = AgeReader(stream, identities).file_key
        if reseal_wav(path, file_key):
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


def describe(item: Salvaged) -> str:
    audio = f" = {item.seconds_kept:.1f} s of audio" if item.seconds_kept is not None else ""
    return (
        f"{item.file}: kept {item.bytes_kept} bytes{audio}, lost at least {item.bytes_lost} bytes of a torn "
        f"last chunk; original kept as {item.file.name}.damaged"
    )
