"""QA C15: the transcription queue belongs to the app, not to its screen. Leaving the screen leaves it running
(real tiny.en), home shows its progress, t shows the running queue again, and quitting or locking asks first;
a stopped queue says which sessions it left untranscribed and stores nothing half-done."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Button, DataTable, Label

from fieldvault.layout import AUDIO, TRANSCRIPT
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.confirm import ConfirmScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.transcription import TranscriptionScreen
from fieldvault.tui.screens.unlock import UnlockScreen
from tests.e2e.conftest import speech
from tests.e2e.test_transcribe import _store_recording
from tests.tui.conftest import every_toast, unlock, until

pytestmark = pytest.mark.slow

SILENCE = 16000 * 60  # a minute: finding speech in it takes a moment
HOLD_AT_MOST = 300
WAITING = ("Sam", "Tia")  # two more, held back, so the queue still runs when the test has pressed its keys


class Held:
    """Sessions whose transcription waits (saying "finding speech") until released or cancelled: how far the
    queue gets before a key is pressed no longer depends on the machine's speed. A test that fails before it
    releases one must not hang the suite (the app, closing, waits for the queue's thread): a held session gives up
    after HOLD_AT_MOST seconds as if cancelled."""

    def __init__(self, *names: str) -> None:
        self.names = set(names)

    def release(self, name: str) -> None:
        self.names.discard(name)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Held:
    from fieldvault.transcribe.pipeline import Cancelled
    from fieldvault.tui import queue

    gate, real = Held(), queue.transcribe_session

    def waiting(study, job, identities, backend, model, options, progress, cancelled, **given):
        if job.pseudonym in gate.names:
            progress("finding speech", 0.0)
        until = time.monotonic() + HOLD_AT_MOST
        while job.pseudonym in gate.names:
            if cancelled() or time.monotonic() > until:
                raise Cancelled
            time.sleep(0.05)
        return real(study, job, identities, backend, model, options, progress, cancelled, **given)

    monkeypatch.setattr(queue, "transcribe_session", waiting)
    return gate


def _long_queue(study: Study, held: Held) -> list[Path]:
    """Three silent recordings, all held back: the queue runs until cancelled, storing nothing."""
    held.names.update(("Rose", *WAITING))
    return [_store_recording(study, name, np.zeros(SILENCE, np.int16)) for name in ("Rose", *WAITING)]


def _state(app, index: int) -> str:
    return str(app.screen.query_one(f"#state-{index}", Label).render())


def _status(app) -> str:
    return str(app.screen.query_one("#queue-status", Label).render())


async def _start_queue(app, pilot) -> None:
    await unlock(pilot)
    await pilot.press("t")
    await until(pilot, lambda: isinstance(app.screen, TranscriptionScreen))
    await pilot.press("ctrl+t")
    await until(pilot, lambda: _state(app, 0).startswith(("finding speech", "transcribing")), seconds=60)


async def test_leaving_the_running_queue_keeps_it_running_and_home_shows_its_progress(
    study: Study, tmp_path: Path, held: Held
) -> None:
    voice = speech(tmp_path / "v.wav", "My case manager helped me find safe housing.")
    held.names.add("Ada")  # first, and held: Esc comes while it runs
    ada = _store_recording(study, "Ada", np.zeros(SILENCE, np.int16))
    lily = _store_recording(study, "Lily", voice)
    rose = _store_recording(study, "Rose", voice)
    app = make_app(study)
    async with app.run_test(size=(120, 30)) as pilot:
        shown = every_toast(app)
        await _start_queue(app, pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert any("keeps running" in m for m in shown)
        assert _status(app).startswith("Transcribing ")  # home says it runs, and which recording is under way
        assert "1 of 3: Ada/20261124-100000 " in _status(app)
        held.release("Ada")
        await until(pilot, lambda: "finished" in _status(app), seconds=240)
        assert _status(app) == "Transcription queue finished: 3 transcribed"
        table = app.screen.query_one("#sessions", DataTable)
        assert [table.get_row_at(i)[3] for i in range(table.row_count)] == ["transcribed"] * 3
    assert all((folder / TRANSCRIPT).exists() for folder in (ada, lily, rose))


async def test_t_shows_the_running_queue_again_and_cancel_names_what_was_left(study: Study, held: Held) -> None:
    folders = _long_queue(study, held)
    app = make_app(study)
    async with app.run_test(size=(120, 30)) as pilot:
        shown = every_toast(app)
        await _start_queue(app, pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TranscriptionScreen))
        screen = app.screen
        assert isinstance(screen, TranscriptionScreen) and screen.queue is app.transcription  # not a fresh one
        assert _state(app, 0) != "waiting"  # what the queue has done so far is shown
        assert app.screen.query_one("#start", Button).disabled
        await pilot.press("c")
        await until(pilot, lambda: _state(app, 2) == "cancelled", seconds=60)
        said = next(m for m in shown if "left untranscribed" in m)
    # The line names exactly the sessions left without a transcript.
    left = [f"{f.parent.name}/{f.name}" for f in folders if not (f / TRANSCRIPT).exists()]
    assert "Tia/20261124-100000" in left and said.endswith(f"{', '.join(left)}. Press t to transcribe them.")


async def test_quitting_while_the_queue_runs_asks_and_stays_or_stops_it(study: Study, held: Held) -> None:
    folders = _long_queue(study, held)
    app = make_app(study)
    async with app.run_test(size=(120, 30)) as pilot:
        await _start_queue(app, pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("#question").render())
        assert "transcription queue is still running" in question and "Tia/20261124-100000" in question
        await pilot.press("n")  # stay: it goes on
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        queue = app.transcription
        assert queue is not None and queue.running
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: queue.ended and app._exit_renderables, seconds=60)
        (said,) = app._exit_renderables  # what fieldvault prints as it ends
    assert "left untranscribed (nothing stored for them): " in str(said)
    assert "Tia/20261124-100000. `fieldvault transcribe`" in str(said)
    assert "Tia/20261124-100000" in queue.left() and queue.stopped
    assert not (folders[2] / TRANSCRIPT).exists()


async def test_locking_while_the_queue_runs_asks_first(study: Study, held: Held) -> None:
    folders = _long_queue(study, held)
    app = make_app(study)
    async with app.run_test(size=(120, 30)) as pilot:
        shown = every_toast(app)
        await _start_queue(app, pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.identities and app.transcription is not None and app.transcription.running
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        assert not app.identities
        await until(pilot, lambda: app.transcription is not None and app.transcription.ended, seconds=60)
        assert any("left untranscribed" in m and "Tia/20261124-100000" in m for m in shown)
    assert not (folders[2] / TRANSCRIPT).exists()


async def test_a_session_the_queue_is_on_is_not_withdrawn_from_under_it(study: Study, held: Held) -> None:
    """QA D7, the TUI twin: withdrawing from home while the app's own queue transcribes her session used to destroy
    her files, then the queue stored her transcript again. Now one notification says the queue is on it; nothing
    is destroyed; the queue stores her transcript when it ends."""
    from fieldvault.tui.screens.withdraw import WithdrawScreen

    held.names.add("Ada")
    ada = _store_recording(study, "Ada", np.zeros(SILENCE, np.int16))
    app = make_app(study)
    async with app.run_test(size=(120, 30)) as pilot:
        shown = every_toast(app)
        await _start_queue(app, pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WithdrawScreen))
        await pilot.click("#typed")
        await pilot.press(*"Ada")
        await pilot.click("#withdraw-button")
        refused = f"session {ada.name} of Ada is being transcribed here (the transcription queue): let it finish"
        await until(pilot, lambda: any(refused in m and m.endswith("then withdraw her") for m in shown))
        assert isinstance(app.screen, WithdrawScreen) and (ada / AUDIO).exists()
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        held.release("Ada")
        await until(pilot, lambda: "finished" in _status(app), seconds=240)
    assert (ada / TRANSCRIPT).exists()


async def test_the_queue_takes_a_speaker_count_and_transcribes_a_session_again(study: Study, tmp_path: Path) -> None:
    """QA D21: the TUI had no twin of `--speakers` (which the CLI's own doubt message tells the user to use) nor
    of `--force`. The queue screen takes the count (found, 1 to 8, none); T on home transcribes the selected
    session again, keeping the transcript it replaces."""
    from textual.widgets import Select

    from fieldvault.transcript import Transcript
    from tests.conftest import PASSPHRASE

    rose = _store_recording(study, "Rose", speech(tmp_path / "v.wav", "My case manager helped me find housing."))
    identities = study.unlock(PASSPHRASE.encode())
    app = make_app(study)
    async with app.run_test(size=(120, 30)) as pilot:
        await unlock(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TranscriptionScreen))
        app.screen.query_one("#speakers", Select).value = "off"
        await pilot.press("ctrl+t")
        await until(pilot, lambda: app.transcription is not None and app.transcription.ended, seconds=240)
        first = Transcript.from_json(study.read(rose / TRANSCRIPT, identities))
        assert first.settings["speakers_from"] == "none"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TranscriptionScreen))
        screen = app.screen
        assert isinstance(screen, TranscriptionScreen)
        assert [item.name for item in screen.queue.items] == [f"Rose/{rose.name}"]
        app.screen.query_one("#speakers", Select).value = "2"
        await pilot.press("ctrl+t")
        await until(pilot, lambda: app.transcription is not None and app.transcription.ended, seconds=240)
    again = Transcript.from_json(study.read(rose / TRANSCRIPT, identities))
    assert again.settings["speakers_from"] == "diarization" and again.settings["speakers"] == 2
    assert len(list(rose.glob("transcript-*.json.age"))) == 1  # the first kept as an earlier version
