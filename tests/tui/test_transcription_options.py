"""The transcription queue's twins of `transcribe --language`, `--beam` and `--pause-markers` (tui29): the screen
takes what the command takes and refuses what it refuses, in one line, before any work. Real tiny.en."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input, Label, Select

from fieldvault.layout import TRANSCRIPT
from fieldvault.study import Study
from fieldvault.transcript import Transcript
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.transcription import TranscriptionScreen
from tests.e2e.conftest import speech
from tests.e2e.test_transcribe import _store_recording
from tests.tui.conftest import messages, unlock, until

pytestmark = pytest.mark.slow


async def _queue_with(app, pilot, **fields: str) -> None:
    await unlock(pilot)
    await pilot.press("t")
    await until(pilot, lambda: isinstance(app.screen, TranscriptionScreen))
    for name, value in fields.items():
        app.screen.query_one(f"#{name}", Input).value = value


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"language": "es"}, "model tiny.en understands English only: leave the language empty or type en, or choose"),
        ({"beam": "0"}, "'0' is no beam size: give a whole number from 1 to 16"),
        ({"beam": "10000"}, "'10000' is no beam size"),
        ({"pause": "five"}, "'five' is no length of silence: give seconds, e.g. 5"),
        ({"pause": "-2"}, "'-2' is no length of silence"),
    ],
)
async def test_the_queue_refuses_what_transcribe_refuses_in_one_line_before_any_work(
    study: Study, fields: dict[str, str], said: str
) -> None:
    folder = _store_recording(study, "Rose", np.zeros(16000 * 2, np.int16))
    app = make_app(study)
    async with app.run_test(size=(100, 30)) as pilot:
        await _queue_with(app, pilot, **fields)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: any(said in m for m in messages(app)))
        screen = app.screen
        assert isinstance(screen, TranscriptionScreen)
        assert screen.queue.worker is None  # nothing started
        assert str(app.screen.query_one("#state-0", Label).render()) == "waiting"
        line = next(m for m in messages(app) if said in m)
        assert "\n" not in line and "Traceback" not in line
    assert not (folder / TRANSCRIPT).exists()


async def test_the_language_beam_and_pause_set_on_the_screen_are_what_the_transcript_was_made_with(
    study: Study, tmp_path: Path
) -> None:
    """As `transcribe --language en --beam 2 --pause-markers 1` stores them: on main the queue always used the
    defaults (no pause markers, beam 4) and offered none of the three."""
    voice = speech(tmp_path / "v.wav", "My case manager helped me find safe housing.")
    silence = np.zeros(16000 * 3, np.int16)
    folder = _store_recording(study, "Rose", np.concatenate([voice, silence, voice]))
    app = make_app(study)
    async with app.run_test(size=(80, 24)) as pilot:
        await _queue_with(app, pilot, language="EN", beam="2", pause="1")  # "EN" is en (qa29 QE12)
        app.screen.query_one("#speakers", Select).value = "off"
        await pilot.press("ctrl+t")
        await until(pilot, lambda: str(app.screen.query_one("#state-0", Label).render()).startswith("done"), 180)
        assert app.screen.query_one("#pause", Input).disabled  # fixed once the queue runs, as the model is
    transcript = Transcript.from_json(study.read(folder / TRANSCRIPT, app.identities))
    assert transcript.settings["language"] == "en"
    assert transcript.settings["beam_size"] == 2
    assert transcript.settings["pause_marker"] == 1.0
    assert any(s.text.startswith("[pause") for s in transcript.segments), [s.text for s in transcript.segments]
