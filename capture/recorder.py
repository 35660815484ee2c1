"""The recording pipeline: source callback -> slot queue -> writer thread -> age STREAM on disk.

The callback only copies samples into a preallocated slot and hands over its number; it never
blocks, and when no slot is free it counts a dropped block instead of waiting. The writer thread
encrypts, measures the level, and syncs to disk every couple of seconds, so a crash loses at most
about one 64 KiB chunk (2 s of 16 kHz mono). Plaintext audio never reaches the disk.

Dropped blocks become silence of their length where they were lost, with a ``dropout`` event there (QA F23):
the recording keeps the wall clock's time line, so prompt markers and notes stay where they were said, and the
transcript marks the stretch instead of reading on across it.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from fieldvault import atomicfile, wavstream
from fieldvault.agefile import AgeWriter
from fieldvault.agefile.header import header_digest, header_id, payload_id
from fieldvault.agefile.sharedheader import SharedHeader
from fieldvault.audiofile import AUDIO_ID
from fieldvault.capture.inputwatch import InputWatch
from fieldvault.capture.source import AudioSource
from fieldvault.errors import FieldvaultError, describe_os_error
from fieldvault.events import Event, EventJournal, SessionEvents
from fieldvault.guide import Guide
from fieldvault.layout import AUDIO, EVENTS, LOCK, SESSION_INFO
from fieldvault.participants import new_session_folder, refuse_changed_letter
from fieldvault.recording_lock import lock_alive, session_locks, write_lock
from fieldvault.reseal import reseal_wav
from fieldvault.study import Study

SLOTS = 64  # 6.4 s of 100 ms blocks between the callback and the writer
DISK_RESERVE = 20 * 1024 * 1024  # stop cleanly before the disk is full, so the file can be sealed
START_AT_LEAST = 60  # seconds of recording that must fit before an interview may start (QA R11)
WARN_BELOW = 2 * 60 * 60  # seconds: fewer fit than an interview may last; said before it starts


def seconds_that_fit(study: Study, rate: int, channels: int) -> float:
    """How many seconds of recording at this rate fit on the study's disk before the recorder stops to seal."""
    free = shutil.disk_usage(study.root).free - DISK_RESERVE
    return max(free, 0) / (rate * channels * 2)


def too_little_space(study: Study, rate: int, channels: int) -> str | None:
    """What to say when too little space is left to start an interview (a 2-second part, then another, on a full
    disk: QA R11), else None."""
    fits = seconds_that_fit(study, rate, channels)
    if fits >= START_AT_LEAST:
        return None
    free = shutil.disk_usage(study.root).free / 2**20
    return (
        f"only {free:.0f} MiB free on the disk that holds {study.root}: {fits:.0f} s of recording fit "
        f"({DISK_RESERVE >> 20} MiB stay free so a recording can be sealed), and an interview needs at least a minute. "
        "Free some space (or use another disk) before the interview"
    )


_END = -1
OVERFLOW_APART = 1.0  # seconds: overflows closer than this to the last one placed share its event


@dataclass(frozen=True)
class RecorderStatus:
    seconds: float
    peak_dbfs: float
    clipping: bool
    dropped_blocks: int
    overflows: int
    paused: bool
    disk_free: int
    prompt_index: int
    ended: str | None  # why the recording ended by itself (device lost, disk full), if it did
    # The last switch of input the sound server made under the recording (audio time, from, to), if any
    switched: tuple[float, str, str] | None = None


@dataclass(frozen=True)
class RecordingSummary:
    folder: Path
    seconds: float
    dropped_blocks: int
    overflows: int
    problem: str | None
    seconds_lost: float  # dropped, written as silence where it was lost and marked there
    # The recording is whole and sealed, but the audit log could not note it (a damaged log): a warning,
    # never a failed recording (QA F28).
    unlogged: str | None = None
    # Whole and sealed, but no room was left to re-seal it with its length: what to run, and where (QA QC10)
    length_unstated: str | None = None


def _dbfs(peak: int) -> float:
    return -120.0 if peak <= 0 else float(20 * np.log10(peak / 32768))


class Recorder:
    def __init__(
        self,
        study: Study,
        pseudonym: str,
        source: AudioSource,
        guide: Guide,
        sync_seconds: float = 2.0,
        first_prompt: int = 0,
    ) -> None:
        """``first_prompt``: the prompt on screen as recording starts (a part carrying on a session cut off at
        its second prompt starts there: no marker for a prompt it never showed, QA E10)."""
        self.study = study
        self.pseudonym = pseudonym
        self.source = source
        self.guide = guide
        self.sync_seconds = sync_seconds
        self.format = wavstream.WavFormat(source.rate, source.channels)
        self.disk_full = False  # stopped because the disk filled, not because the input was lost
        block = int(getattr(source, "blocksize", source.rate // 10))
        self._slots = np.zeros((SLOTS, block, source.channels), dtype=np.int16)
        self._frames = [0] * SLOTS
        self._lost_before = [0] * SLOTS  # frames dropped just before the block in this slot
        self._lost = 0  # frames dropped since the last block that found a slot
        self._overflow_before = [False] * SLOTS  # PortAudio discarded input just before the block in this slot
        self._overflowed = False  # an overflow since the last block that found a slot
        self._overflow_placed: float | None = None  # where the last ``overflow`` event stands (audio seconds)
        self._silenced = 0  # frames written as silence for dropped blocks
        self._events = threading.Lock()  # the writer thread seals dropouts while the interviewer adds prompts
        self._free: queue.SimpleQueue[int] = queue.SimpleQueue()
        for slot in range(SLOTS):
            self._free.put(slot)
        self._filled: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._captured = 0
        self._written = 0
        self._dropped = 0
        self._overflows = 0
        self._peak = 0
        self._clip_until = 0.0
        self._paused = False
        self._prompt = first_prompt
        self._ended: str | None = None
        self._problem: str | None = None
        self._unlogged: str | None = None
        self._length_unstated: str | None = None
        self._stopped = False
        self._switched: tuple[float, str, str] | None = None
        ask = getattr(source, "current_input", None)  # a real device can say which input the system records
        self._input_watch = InputWatch(ask, self._input_switched) if callable(ask) else None
        self.folder: Path | None = None

    # --- start and the two threads ----------------------------------------------------------

    def start(self) -> Path:
        """Open the session and start capturing; a failure before the first sample (a full disk, a missing
        device) leaves no session folder behind, as does a disk too full to hold a minute, or a field kit whose
        letter or recipients were changed since it was made (QA R18, R20)."""
        refuse_changed_letter(self.study)
        self.study.recipients()
        if problem := too_little_space(self.study, self.format.rate, self.format.channels):
            raise FieldvaultError(problem)
        self.folder = new_session_folder(self.study, self.pseudonym)
        try:
            self._open_session(self.folder)
            self._thread = threading.Thread(target=self._write_loop, name="encrypting-writer", daemon=True)
            self._thread.start()
            self.source.start(self._on_block, self._on_end)
        except BaseException:
            self._abandon()
            raise
        if self._input_watch is not None:
            self._input_watch.start()
        try:  # what is being recorded here, before a crash can cut it off (qa27 QC3: a cut-off session named nothing)
            self.study.audit.append(
                "record.start",
                pseudonym=self.pseudonym,
                session=self.folder.name,
                header=self._header,
                timeline=self.sealing.id,  # its timeline's files and its session record (qa28 QD9)
                session_info=self.sealing.id,
            )
        except (FieldvaultError, OSError):
            pass  # the recording matters more; the entry at the stop names the same header, or says it was unlogged
        return self.folder

    def _open_session(self, folder: Path) -> None:
        write_lock(folder)
        fd = os.open(folder / AUDIO, os.O_WRONLY | os.O_CREAT | os.O_EXCL, atomicfile.FILE_MODE)
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._writer = AgeWriter(self._file, self.study.recipients())
        self._header = header_digest(self._writer.header)  # kept by every re-seal: what the kit's log binds it by
        # The session's timeline (each event's file as it happens, the whole at the stop) and its session record are
        # sealed under this one header, which `record.start` names: a kit's thief cannot seal one that passes
        self.sealing = SharedHeader.new(self.study.recipients())
        self._writer.write(wavstream.header(self.format))
        info = {
            "device": self.source.name,
            "rate": self.format.rate,
            "channels": self.format.channels,
            "started": self.study.clock().isoformat(timespec="seconds"),
            "prompts": list(self.guide.prompts),
            "encrypted_to": self.study.recipient_labels(),
        }
        self.journal = EventJournal(self.study, folder, SessionEvents(self.pseudonym, folder.name, info), self.sealing)
        self.journal.add(Event(0.0, "prompt", self.guide.prompts[self._prompt], self._prompt))

    def _abandon(self) -> None:
        """Undo a start that failed: stop the writer thread, close the file, remove the session folder."""
        if getattr(self, "_thread", None) is not None and self._thread.is_alive():
            self._filled.put(_END)
            self._thread.join()
        if getattr(self, "_file", None) is not None:
            try:
                self._file.close()
            except OSError:
                pass  # a full disk refuses the flush too; the folder goes anyway
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _on_block(self, block: np.ndarray, overflowed: bool) -> None:
        """Runs on the audio thread: copy and hand over, never wait."""
        if overflowed:
            self._overflows += 1
        if self._paused:
            return
        self._overflowed = self._overflowed or overflowed  # placed by the writer thread: this one never waits
        frames = len(block)
        self._captured += frames  # a dropped block's time passes too: its silence is written where it was
        try:
            slot = self._free.get_nowait()
        except queue.Empty:
            self._dropped += 1
            self._lost += frames
            return
        if frames > self._slots.shape[1]:
            self._free.put(slot)
            self._dropped += 1
            self._lost += frames
            return
        self._slots[slot, :frames] = block
        self._frames[slot] = frames
        self._lost_before[slot], self._lost = self._lost, 0
        self._overflow_before[slot], self._overflowed = self._overflowed, False
        self._filled.put(slot)

    def _on_end(self, reason: str) -> None:
        self._ended = self._ended or reason
        if not self.source.finite:
            self._problem = self._problem or f"{reason}; recording stopped, and everything up to then is kept"
        self._filled.put(_END)

    def _write_loop(self) -> None:
        last_sync = time.monotonic()
        while True:
            slot = self._filled.get()
            if slot == _END:
                return
            data = self._slots[slot, : self._frames[slot]]
            peak = int(np.abs(data.astype(np.int32)).max()) if len(data) else 0
            try:
                self._write_silence(self._lost_before[slot])
                if self._overflow_before[slot]:
                    self._place_overflow()
                self._writer.write(np.ascontiguousarray(data).tobytes())
            except OSError as err:
                self._fail(f"writing the recording failed ({err.strerror}); recording stopped")
                return
            finally:
                self._free.put(slot)
            self._written += len(data)
            self._peak = max(self._peak, peak)
            if peak >= 32767:
                self._clip_until = time.monotonic() + 2
            if time.monotonic() - last_sync >= self.sync_seconds:
                last_sync = time.monotonic()
                if not self._sync_or_fail():
                    return

    def _write_silence(self, frames: int) -> None:
        """Silence for ``frames`` dropped here, and the timeline's ``dropout`` event at this place, sealed now."""
        if not frames:
            return
        at, length = round(self._written / self.format.rate, 3), round(frames / self.format.rate, 3)
        self._add(Event(at, "dropout", f"{length:.1f} s of audio were lost (the recorder fell behind)", length=length))
        frame = self.format.channels * self.format.sample_width
        silence = bytes(min(frames, self.format.rate) * frame)
        left = frames
        while left:
            piece = min(left, self.format.rate)
            self._writer.write(silence[: piece * frame])
            left -= piece
        self._written += frames
        self._silenced += frames

    def _place_overflow(self) -> None:
        """An ``overflow`` event where PortAudio discarded input (the device's buffer ran over before the callback
        ran): its length is unknown, so it is no gap, but the timeline says where a moment may be missing. Overflows
        in a row within a second stand under the first one's event (one sealed file, not one per block)."""
        at = round(self._written / self.format.rate, 3)
        if self._overflow_placed is not None and at - self._overflow_placed < OVERFLOW_APART:
            return
        self._overflow_placed = at
        self._add(
            Event(at, "overflow", "the audio device discarded input here (an input overflow): a moment may be missing")
        )

    def _add(self, event: Event) -> None:
        with self._events:
            self.journal.add(event)

    def _sync_or_fail(self) -> bool:
        try:
            self._writer.sync()
            if shutil.disk_usage(self._file.name).free < DISK_RESERVE:
                self.disk_full = True
                self._fail("the disk is nearly full; recording stopped so what was recorded can be sealed")
                return False
        except OSError as err:
            self._fail(f"syncing the recording failed ({err.strerror}); recording stopped")
            return False
        return True

    def _fail(self, problem: str) -> None:
        self._problem = problem
        self._ended = problem

    # --- what the interviewer does ----------------------------------------------------------

    @property
    def at(self) -> float:
        return self._captured / self.format.rate

    def next_prompt(self) -> int:
        return self._go_to_prompt(min(self._prompt + 1, len(self.guide.prompts) - 1))

    def previous_prompt(self) -> int:
        return self._go_to_prompt(max(self._prompt - 1, 0))

    def _go_to_prompt(self, index: int) -> int:
        if index != self._prompt:
            self._prompt = index
            self._add(Event(round(self.at, 3), "prompt", self.guide.prompts[index], index))
        return index

    def _input_switched(self, old: str, new: str) -> None:
        """On the watch's thread: the sound server moved the recording to another input (its source gone, or moved
        by hand): sealed in the timeline where it happened, so the transcriber knows why a stretch is silent."""
        at = round(self.at, 3)
        self._switched = (at, old, new)
        self._add(Event(at, "input", f"the system switched the input from {old} to {new}"))

    def note(self, text: str) -> None:
        if text.strip():
            self._add(Event(round(self.at, 3), "note", text.strip()))

    def pause(self) -> None:
        if not self._paused:
            self._paused = True
            self._add(Event(round(self.at, 3), "pause"))

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            self._add(Event(round(self.at, 3), "resume"))

    def status(self) -> RecorderStatus:
        peak, self._peak = self._peak, 0
        try:
            free = shutil.disk_usage(self.folder or self.study.root).free
        except OSError:
            free = 0
        return RecorderStatus(
            seconds=self._written / self.format.rate,
            peak_dbfs=_dbfs(peak),
            clipping=time.monotonic() < self._clip_until,
            dropped_blocks=self._dropped,
            overflows=self._overflows,
            paused=self._paused,
            disk_free=free,
            prompt_index=self._prompt,
            ended=self._ended,
            switched=self._switched,
        )

    # --- stopping -----------------------------------------------------------------------------

    def stop(self) -> RecordingSummary:
        """Stop the source, write everything queued, seal the file and the timeline. Safe to call twice."""
        assert self.folder is not None, "stop() before start()"
        if not self._stopped:
            self._stopped = True
            if self._input_watch is not None:  # before the timeline is sealed: no event after it
                self._input_watch.stop()
            self.source.stop()
            self._filled.put(_END)
            self._thread.join()
            self._seal()
        rate = self.format.rate
        return RecordingSummary(
            self.folder,
            self._written / rate,
            self._dropped,
            self._overflows,
            self._problem,
            self._silenced / rate,
            self._unlogged,
            self._length_unstated,
        )

    def _seal(self) -> None:
        assert self.folder is not None
        try:
            if self._problem is None:  # blocks dropped after the last one written: the stall lasted to the stop
                self._write_silence(self._lost)
            self._writer.finish()
            self._writer.sync()
            self._file.close()
        except OSError as err:
            self._problem = (
                f"the recording could not be sealed ({err.strerror}); free some space and run "
                "`fieldvault recover` on the trusted machine: every synced chunk is kept"
            )
            return
        seconds = round(self._written / self.format.rate, 3)
        length_stated = self._state_true_length()
        self.journal.add(Event(seconds, "stop", self._ended or "stopped by the interviewer"))
        self.journal.close(
            {
                "duration": seconds,
                "dropped_blocks": self._dropped,
                "overflows": self._overflows,
                "complete": self._problem is None,
                "wav_length_stated": length_stated,
                AUDIO_ID: payload_id(self.folder / AUDIO),  # the recording this timeline belongs to (QA H1)
            }
        )
        (self.folder / LOCK).unlink()
        try:
            self.study.audit.append(  # its payload id: what a recording put back must be (QA X10)
                "record",
                pseudonym=self.pseudonym,
                session=self.folder.name,
                seconds=seconds,
                payloads=payload_id(self.folder / AUDIO) or "",
                header=self._header,
                timeline=header_id(self.folder / EVENTS) or "",  # what a kit's merge holds them to (qa28 QD9)
                session_info=header_id(self.folder / SESSION_INFO) or "",
            )
        except (FieldvaultError, OSError) as err:
            why = str(err) if isinstance(err, FieldvaultError) else (describe_os_error(err) or str(err.strerror))
            self._unlogged = (
                f"recorded and sealed ({seconds:.1f} s), but the audit log could not note it: {why}; "
                "the recording itself is whole"
            )

    def _state_true_length(self) -> bool:
        """Re-seal with the WAV's real length, with the file key this recorder holds (no identity needed).
        A full disk keeps the original, whose length reads "unknown" but whose audio is whole: the summary says
        so, and what states it later (QA QC10: `age -d` alone read a 2-minute interview as 6 hours)."""
        assert self.folder is not None
        try:
            return reseal_wav(self.folder / AUDIO, self._writer.file_key)
        except OSError as err:
            self._length_unstated = (
                f"the recording is whole, but there was no room left to re-seal it with its length "
                f"({err.strerror}): read with `age -d` alone, its WAV claims hours of audio; "
                "`fieldvault recover` on the trusted machine states its true length (fieldvault reads it whole "
                "meanwhile)"
            )
            return False


def find_interrupted(study: Study) -> list[Path]:
    """Session folders whose recorder died: a lock left by a process that is gone (a damaged lock stops it)."""
    return [lock.parent for lock in session_locks(study.root) if not lock_alive(lock)]
