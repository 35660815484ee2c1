"""Progress of every stage of a transcription (QA F15: "transcribing 84% ETA 0:00:08" stood for 3.5 minutes
while clips were decoded again), with real tiny.en on real speech: pyannote's 30 s of two people talking,
then a sentence in Spanish, which tiny.en can only guess at, and one said five times over: their clips are
decoded again. Each stage reports
as it begins and as it goes, never all at its end; the CLI and the TUI queue show each stage."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Label, ProgressBar

from fieldvault.transcribe.backend import Backend, Clip, Options, Piece, load_backend
from fieldvault.transcribe.models import resolve
from fieldvault.transcribe.pipeline import (
    DOUBTFUL,
    FINDING,
    MISSED,
    STAGES,
    TRANSCRIBING,
    Diarization,
    transcribe_mono,
)
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.transcription import TranscriptionScreen
from tests.conftest import PASSPHRASE, need
from tests.conversation import pyannote_sample
from tests.e2e.conftest import speech
from tests.e2e.test_cli import EXE
from tests.e2e.test_transcribe import _store_recording
from tests.tui.conftest import unlock, until

pytestmark = pytest.mark.slow

SPANISH = (
    "Mi hermana vive en la ciudad de Guadalajara desde hace muchos años y trabaja en una panadería cerca del mercado."
)


def _recording(tmp_path: Path) -> np.ndarray:
    """Real speech, then a sentence tiny.en cannot understand and one that repeats itself (both are decoded
    again), as 16 kHz float32."""
    spoken = pyannote_sample()
    assert spoken is not None, "pyannote.audio is not installed: run scripts/install.sh --dev"
    raw = tmp_path / "es.raw.wav"
    subprocess.run([need("espeak-ng"), "-v", "es", "-w", str(raw), SPANISH], check=True)
    # -R: sox's dither repeatable, so every run hears the same recording (random dither moved tiny.en's words: QB9)
    spanish_wav = tmp_path / "es.wav"
    subprocess.run([need("sox"), "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(spanish_wav)], check=True)
    data = spanish_wav.read_bytes()
    spanish = np.frombuffer(data[data.index(b"data") + 8 :], np.int16).astype(np.float32) / 32768
    loop = speech(tmp_path / "loop.wav", REPEATED).astype(np.float32) / 32768
    second = np.zeros(16000, np.float32)
    return np.concatenate([spoken.samples, second, spanish, second, loop, second])


REPEATED = "I told him no. I told him no. I told him no. I told him no. I told him no."


@dataclass
class Call:
    started: float
    ended: float


class Timed:
    """The real backend, with when each of its decodes started and ended."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.name = backend.name
        self.encoder_window = backend.encoder_window
        self.calls: list[Call] = []

    def decode(self, audio: np.ndarray, clips: Sequence[Clip], options: Options) -> list[list[Piece]]:
        started = time.monotonic()
        try:
            return self.backend.decode(audio, clips, options)
        finally:
            self.calls += [Call(started, time.monotonic())] if clips else []

    def decode_again(self, audio: np.ndarray, clip: Clip, options: Options) -> list[Piece]:
        started = time.monotonic()
        try:
            return self.backend.decode_again(audio, clip, options)
        finally:
            self.calls.append(Call(started, time.monotonic()))

    def detect_language(self, audio: np.ndarray) -> str | None:
        return self.backend.detect_language(audio)


def test_every_stage_reports_as_it_goes_and_before_it_ends(tmp_path: Path) -> None:
    audio = _recording(tmp_path)
    backend = Timed(load_backend("faster-whisper", resolve("tiny.en")))
    reports: list[tuple[float, str, float | None]] = []
    transcribe_mono(
        audio, backend, Options(), lambda stage, f: reports.append((time.monotonic(), stage, f)),
        diarization=Diarization(2),
    )  # fmt: skip
    stages = [stage for _, stage, _ in reports]
    assert stages == sorted(stages, key=STAGES.index)  # one after the other, in the documented order
    assert {FINDING, TRANSCRIBING, DOUBTFUL} <= set(stages), stages  # the Spanish clip is decoded again
    begun = {stage: min(at for at, s, _ in reports if s == stage) for stage in dict.fromkeys(stages)}
    ends = [*list(begun.values())[1:], reports[-1][0] + 1]
    for (stage, start), end in zip(begun.items(), ends, strict=True):
        calls = [c for c in backend.calls if start <= c.started < end]
        fractions = [f for at, s, f in reports if s == stage]
        if stage != MISSED:  # its rounds are not known in advance: it says so (None) rather than guess
            assert None not in fractions and fractions[-1] == 1.0, (stage, fractions)
            assert fractions == sorted(fractions), (stage, fractions)  # type: ignore[type-var]  # no None
        if calls:  # the stage said it had begun before its first decode, and spoke after each one
            assert fractions[0] in (0.0, None) and start <= calls[0].started, stage
            after = [at for at, s, _ in reports if s == stage]
            assert all(any(c.ended <= at for at in after) for c in calls), stage
        if len(calls) >= 2:  # ... so a report came before the stage's last decode was done
            assert any(calls[0].ended <= at <= calls[-1].ended for at, s, _ in reports if s == stage), stage
    # the bar never stands still for longer than one decode takes (plus the work between decodes)
    longest = max(c.ended - c.started for c in backend.calls)
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(reports)]
    assert max(gaps) <= 1.5 * longest + 1.0, (max(gaps), longest)


def test_the_cli_shows_each_stage_on_its_own_line(ready_study, tmp_path: Path) -> None:
    audio = _recording(tmp_path)
    _store_recording(ready_study, "Rose", np.round(audio * 32767).astype(np.int16))
    done = subprocess.run(
        [EXE, "transcribe", str(ready_study.root), "Rose", "--speakers", "2"], capture_output=True,
        env={**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}, check=False,
    )  # fmt: skip
    stderr = done.stderr.decode()
    assert done.returncode == 0, stderr
    lines = [line.split("\r")[-1] for line in stderr.split("\n") if "Rose/" in line]  # each bar as last drawn
    shown = [next(s for s in STAGES if f" {s} " in line) for line in lines]
    assert shown == sorted(shown, key=STAGES.index) and len(shown) == len(set(shown)), lines
    assert {FINDING, TRANSCRIBING, DOUBTFUL, "speakers"} <= set(shown), lines
    doubtful = next(line for line in lines if DOUBTFUL in line)
    assert re.search(r"100% ETA 0:00:00", doubtful), doubtful
    if MISSED in shown:  # its length is not known: no time left is guessed
        missed = next(line for line in lines if MISSED in line)
        assert "length unknown" in missed and "ETA" not in missed, missed


async def test_the_tui_queue_shows_each_stage_as_it_runs(ready_study, tmp_path: Path) -> None:
    audio = _recording(tmp_path)
    _store_recording(ready_study, "Rose", np.round(audio * 32767).astype(np.int16))
    app = make_app(ready_study)
    seen: list[tuple[str, float | None, float]] = []  # the state shown, the bar's total and progress
    async with app.run_test(size=(120, 30)) as pilot:
        await unlock(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TranscriptionScreen))
        await pilot.press("ctrl+t")
        for _ in range(int(300 / 0.05)):
            state = str(app.screen.query_one("#state-0", Label).render())
            bar = app.screen.query_one("#bar-0", ProgressBar)
            if not seen or seen[-1][0] != state:
                seen.append((state, bar.total, bar.progress))
            if state.startswith("done"):
                break
            await pilot.pause(0.05)
    states = [state for state, _, _ in seen]
    assert states[-1].startswith("done"), states
    shown = [next(s for s in STAGES if state.startswith(s)) for state in states[1:-1]]
    assert shown == sorted(shown, key=STAGES.index), states  # each stage in turn, none held back to the end
    again = [(state, total, progress) for state, total, progress in seen if state.startswith(DOUBTFUL)]
    assert again and again[0][0] == f"{DOUBTFUL} 0%" and again[0][2] == 0.0, states  # shown as it begins
    unknown = [(total, state) for state, total, _ in seen if state.endswith("(length unknown)")]
    assert all(total is None for total, _ in unknown), unknown  # a moving bar, no time left guessed
