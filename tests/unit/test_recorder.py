"""The recording pipeline with a file-backed source: audio, markers, notes, pauses, drops, sealing."""

from __future__ import annotations

import time

import numpy as np
import pytest

from fieldvault.audiofile import load_pcm
from fieldvault.capture.recorder import Recorder, find_interrupted
from fieldvault.capture.source import ArraySource
from fieldvault.events import load_events
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
    timeline = load_events(study, folder, identities)
    assert any(e.kind == "dropout" and str(summary.dropped_blocks) in e.text for e in timeline.events)


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
