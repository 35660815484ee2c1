"""The recording pipeline with a file-backed source: audio, markers, notes, pauses, drops, sealing."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from fieldvault.agefile import AgeWriter
from fieldvault.agefile.header import payload_id
from fieldvault.audiofile import load_pcm
from fieldvault.capture.recorder import Recorder, find_interrupted
from fieldvault.capture.source import ArraySource, BlockCallback, EndCallback
from fieldvault.events import load_events
from fieldvault.gaps import Gap, with_gaps
from fieldvault.guide import Guide
from fieldvault.layout import LOCK
from fieldvault.study import Study

RATE = 16000


def _tone(seconds: float, channels: int = 1) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    mono = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    return np.stack([mono] * channels, axis=1) if channels > 1 else mono.reshape(-1, 1)


def _wait_until_ended(recorder: Recorder, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while recorder.status().ended is None and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.mark.parametrize("channels", [1, 2])
def test_every_sample_arrives_encrypted_in_a_wav_stream(study: Study, identities: list, channels: int) -> None:
    (study.root / "participants" / "Rose").mkdir()
    audio = _tone(5.3, channels)
    recorder = Recorder(study, "Rose", ArraySource(audio, RATE, speed=50), Guide.for_study(None))
    folder = recorder.start()
    _wait_until_ended(recorder)
    summary = recorder.stop()
    assert summary.dropped_blocks == 0 and summary.problem is None
    assert summary.seconds == pytest.approx(5.3)
    fmt, samples = load_pcm(study, folder, identities)
    assert (fmt.rate, fmt.channels) == (RATE, channels)
    assert np.array_equal(samples, audio)
    assert not (folder / LOCK).exists() and not (folder / "events.d").exists()
    assert not any(b"RIFF" in p.read_bytes() for p in folder.iterdir())  # nothing in plaintext


def test_markers_notes_and_pauses_are_timestamped_in_audio_time(study: Study, identities: list) -> None:
    (study.root / "participants" / "Rose").mkdir()
    guide = Guide.for_study(None)
    recorder = Recorder(study, "Rose", ArraySource(_tone(60), RATE, speed=10), guide)
    folder = recorder.start()
    time.sleep(0.2)
    recorder.next_prompt()
    recorder.note("she laughed here")
    recorder.pause()
    time.sleep(0.2)
    recorder.resume()
    recorder.next_prompt()
    recorder.next_prompt()  # past the last prompt: stays there, no new marker
    recorder.previous_prompt()
    summary = recorder.stop()
    timeline = load_events(study, folder, identities)
    kinds = [e.kind for e in timeline.events]
    assert kinds == ["prompt", "prompt", "note", "pause", "resume", "prompt", "prompt", "stop"]
    prompts = [e for e in timeline.events if e.kind == "prompt"]
    assert [p.index for p in prompts] == [0, 1, 2, 1]
    assert prompts[1].text == guide.follow_ups[0]
    times = [e.at for e in timeline.events]
    assert times == sorted(times) and 0 < times[1] <= summary.seconds
    assert timeline.info["rate"] == RATE and timeline.info["duration"] == pytest.approx(summary.seconds, abs=0.01)
    assert timeline.info["audio"] == payload_id(folder / "audio.wav.age")  # the re-sealed recording's (QA H1)
    assert study.audit.entries()[-1]["action"] == "record"


def test_a_full_queue_drops_blocks_and_counts_them_instead_of_blocking(study: Study, identities: list) -> None:
    (study.root / "participants" / "Rose").mkdir()
    recorder = Recorder(study, "Rose", ArraySource(_tone(20), RATE, speed=1000), Guide.for_study(None))
    folder = recorder.start()
    original_write = recorder._writer.write

    def slow_write(data):
        time.sleep(0.05)  # a writer far slower than the audio: the slots run out
        original_write(data)

    recorder._writer.write = slow_write  # type: ignore[method-assign]  # a slow disk, simulated
    _wait_until_ended(recorder)
    summary = recorder.stop()
    assert summary.dropped_blocks > 0
    assert summary.seconds_lost == pytest.approx(summary.dropped_blocks * 0.1)
    assert summary.seconds == pytest.approx(20)  # the lost blocks are silence: the time line is the clock's
    timeline = load_events(study, folder, identities)
    lost = sum(e.length or 0 for e in timeline.events if e.kind == "dropout")
    assert lost == pytest.approx(summary.seconds_lost)


def _stalled(
    study: Study, audio: np.ndarray, stall_at: float, monkeypatch: pytest.MonkeyPatch
) -> tuple[Recorder, threading.Event]:
    """A recorder whose writer thread blocks once ``stall_at`` seconds are written, until the event is set."""
    recorder = Recorder(study, "Rose", ArraySource(audio, RATE, speed=20), Guide.for_study(None))
    release = threading.Event()
    original_write = AgeWriter.write
    written = [0]

    def write(self: AgeWriter, data: bytes) -> None:
        if written[0] < stall_at * RATE * 2 <= written[0] + len(data):
            release.wait(30)  # the writer stalls: another program, power saving, a full disk cache
        written[0] += len(data)
        original_write(self, data)

    monkeypatch.setattr(AgeWriter, "write", write)
    return recorder, release


def test_a_stalled_writer_s_lost_audio_is_silence_marked_where_it_was_lost(
    study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA F23: the dropout was recorded at the stop and the audio spliced, so the transcript read across the gap.
    Now each sample stays at its own time: what was dropped is silence of its length, marked where it was."""
    (study.root / "participants" / "Rose").mkdir()
    audio = (np.arange(30 * RATE) % 20000 + 1).astype(np.int16).reshape(-1, 1)  # never silent: a gap shows
    recorder, release = _stalled(study, audio, 5.0, monkeypatch)
    folder = recorder.start()
    deadline = time.monotonic() + 20
    while recorder.status().dropped_blocks < 30 and time.monotonic() < deadline:
        time.sleep(0.01)
    recorder.note("after the stall")  # the interviewer's clock: where she is in the audio, dropped time included
    release.set()
    _wait_until_ended(recorder)
    summary = recorder.stop()
    _, samples = load_pcm(study, folder, identities)
    assert len(samples) == len(audio)  # nothing spliced: the recording is as long as the clock says
    silent = np.flatnonzero(samples[:, 0] == 0)
    assert len(silent) == summary.dropped_blocks * RATE // 10
    start, end = int(silent[0]), int(silent[-1]) + 1
    assert end - start == len(silent)  # one stretch, where the blocks were dropped
    assert np.array_equal(samples[:start], audio[:start]) and np.array_equal(samples[end:], audio[end:])
    assert 5.0 <= start / RATE <= 5.0 + 6.5  # after the 64 slots the stalled writer had not emptied
    timeline = load_events(study, folder, identities)
    (dropout,) = [e for e in timeline.events if e.kind == "dropout"]
    assert (dropout.at, dropout.length) == (start / RATE, (end - start) / RATE)
    (note,) = [e for e in timeline.events if e.kind == "note"]
    assert start / RATE <= note.at <= end / RATE + 0.5  # said during the stall: its time is inside the gap
    marks = with_gaps([], timeline.events)
    assert [m.text for m in marks] == [Gap(dropout.at, dropout.at + (dropout.length or 0), "dropout").text]
    assert marks[0].text.startswith("[audio dropped 00:00:")


def test_source_ending_by_itself_is_reported(study: Study) -> None:
    (study.root / "participants" / "Rose").mkdir()
    recorder = Recorder(study, "Rose", ArraySource(_tone(0.5), RATE, speed=20), Guide.for_study(None))
    recorder.start()
    _wait_until_ended(recorder)
    assert recorder.status().ended == "the audio source ran out"
    recorder.stop()


def test_interrupted_sessions_are_found_by_their_lock(study: Study) -> None:
    folder = study.root / "participants" / "Rose" / "20261124-100000"
    folder.mkdir(parents=True)
    (folder / LOCK).write_text('{"pid": 999999999, "host": "elsewhere"}')
    assert find_interrupted(study) == [folder]


def test_a_recording_the_audit_log_cannot_note_is_whole_and_says_so_apart_from_problems(
    study: Study, identities: list
) -> None:
    """QA F28: the interviewer was told the recording failed when only its log line could not be written."""
    (study.root / "participants" / "Rose").mkdir()
    audio = _tone(2.0)
    recorder = Recorder(study, "Rose", ArraySource(audio, RATE, speed=50), Guide.for_study(None))
    folder = recorder.start()
    with study.audit.path.open("ab") as log:
        log.write(b'{"seq": 9, "ti\n')  # a damaged whole line: nothing can be chained to it
    _wait_until_ended(recorder)
    summary = recorder.stop()
    assert summary.problem is None
    assert summary.unlogged is not None and summary.unlogged.startswith("recorded and sealed (2.0 s)")
    assert "audit.jsonl" in summary.unlogged
    assert np.array_equal(load_pcm(study, folder, identities)[1], audio) and not (folder / LOCK).exists()


class _Overflowing(ArraySource):
    """A source whose callback says PortAudio discarded input before the blocks ``flagged`` (input_overflow), as
    SoundDeviceSource passes on PortAudio's status."""

    def __init__(self, samples: np.ndarray, flagged: set[int]) -> None:
        super().__init__(samples, RATE, speed=20)
        self.flagged = flagged

    def start(self, callback: BlockCallback, on_end: EndCallback) -> None:
        blocks = iter(range(10**9))
        super().start(lambda block, overflowed: callback(block, next(blocks) in self.flagged), on_end)


def test_an_input_overflow_is_placed_in_the_timeline_where_it_happened(study: Study, identities: list) -> None:
    """An overflow was counted at the stop and nowhere in the timeline. Now it is an ``overflow`` event at the
    audio time of the block PortAudio flagged (its length is unknown: no gap, no silence); a run of them within a
    second is one event, and the count still counts each."""
    (study.root / "participants" / "Rose").mkdir()
    recorder = Recorder(study, "Rose", _Overflowing(_tone(12), {30, 31, 33, 100}), Guide.for_study(None))
    folder = recorder.start()
    _wait_until_ended(recorder)
    summary = recorder.stop()
    assert summary.overflows == 4 and summary.seconds == pytest.approx(12)
    timeline = load_events(study, folder, identities)
    placed = [(e.at, e.text) for e in timeline.events if e.kind == "overflow"]
    assert [at for at, _ in placed] == [3.0, 10.0]
    assert placed[0][1] == "the audio device discarded input here (an input overflow): a moment may be missing"
    assert with_gaps([], timeline.events) == []  # not a gap: nothing was written as silence


def test_the_input_watch_tells_a_switch_once_and_an_unknown_answer_changes_nothing() -> None:
    """The sound server busy or gone (None) is no switch; the same input again is none; another one is one."""
    from fieldvault.capture.inputwatch import InputWatch

    answers = iter(["Lavalier (a)", None, "Lavalier (a)", "Headset (b)", None, "Headset (b)"])
    seen: list[tuple[str, str]] = []
    watch = InputWatch(lambda: next(answers, None), lambda old, new: seen.append((old, new)), every=0.01)
    watch.start()
    time.sleep(0.5)  # every answer asked, then None over and over
    watch.stop()
    assert seen == [("Lavalier (a)", "Headset (b)")] and watch.current == "Headset (b)"
