"""The transcription queue: every recorded session without a transcript, each with its progress bar.

Whisper runs in a worker thread, so the screen stays responsive; each item shows its stage (finding
speech, transcribing, speakers) and that stage's progress; cancelling takes effect between batches of
audio, and an error stops only its own item.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, ProgressBar, Select
from textual.worker import get_current_worker

from fieldvault.errors import BadStudyFile
from fieldvault.study import Study
from fieldvault.transcribe.backend import BACKENDS, Options, load_backend
from fieldvault.transcribe.models import DEFAULT, imported, packaged, resolve
from fieldvault.transcribe.pipeline import Job, pending, store, transcribe_session
from fieldvault.tui.errors import USER_ERRORS, WorkerErrors, user_message
from fieldvault.tui.messages import TranscriptionFailed, TranscriptionProgressed, TranscriptReady

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp


class TranscriptionScreen(WorkerErrors, Screen[None]):
    SUB_TITLE = "Transcription queue"
    BINDINGS = [("ctrl+t", "start", "Start"), ("c", "cancel", "Cancel"), ("escape", "app.pop_screen", "Back")]

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        self.jobs: list[Job] = pending(study)
        self.models = [m.name for m in packaged()]
        self.registry_damaged: str | None = None  # a damaged registry stops only the imported models
        try:
            self.models += [m.name for m in imported()]
        except BadStudyFile as err:
            self.registry_damaged = user_message(err)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel"):
            yield Label(f"Transcription queue: {len(self.jobs)} recording(s) without a transcript", classes="title")
            with Horizontal(classes="row"):
                yield Select([(m, m) for m in self.models], id="model", value=DEFAULT, allow_blank=False)
                yield Select([(b, b) for b in BACKENDS], id="backend", value=BACKENDS[0], allow_blank=False)
                yield Button("Start", variant="primary", id="start")
        with VerticalScroll(id="queue"):
            for index, job in enumerate(self.jobs):
                with Horizontal(classes="job"):
                    yield Label(f"{job.pseudonym}/{job.session}", classes="job-name")
                    yield ProgressBar(total=1.0, id=f"bar-{index}", show_eta=True)
                    yield Label("waiting", id=f"state-{index}", classes="job-state")
        yield Footer()

    def on_mount(self) -> None:
        if self.registry_damaged:
            self.notify(f"Imported models cannot be used: {self.registry_damaged}", severity="warning", timeout=12)

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    def _progressed(self, index: int, stage: str, fraction: float) -> None:
        self.post_message(TranscriptionProgressed(index, stage, fraction))

    def action_start(self) -> None:
        if not self.jobs:
            self.notify("Nothing to transcribe: every recording has a transcript", severity="information")
            return
        self.query_one("#start", Button).disabled = True
        self._run(str(self.query_one("#model", Select).value), str(self.query_one("#backend", Select).value))

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "transcribe")

    @work(thread=True, exclusive=True, exit_on_error=False, group="transcribe")
    def _run(self, model_name: str, backend_name: str) -> None:
        worker = get_current_worker()
        identities = cast("FieldvaultApp", self.app).identities
        try:
            model = resolve(model_name)
            backend = load_backend(backend_name, model)
        except USER_ERRORS as err:
            for index in range(len(self.jobs)):
                self.post_message(TranscriptionFailed(index, user_message(err)))
            return
        for index, job in enumerate(self.jobs):
            if worker.is_cancelled:
                self.post_message(TranscriptionFailed(index, "cancelled"))
                continue
            try:
                transcript = transcribe_session(
                    self.study,
                    job,
                    identities,
                    backend,
                    model,
                    Options(),
                    partial(self._progressed, index),
                    lambda: worker.is_cancelled,
                )
                store(self.study, transcript)
            except USER_ERRORS as err:
                self.post_message(TranscriptionFailed(index, user_message(err)))
                continue
            self.post_message(TranscriptReady(index, f"done: {len(transcript.segments)} segments"))

    def on_transcription_progressed(self, message: TranscriptionProgressed) -> None:
        self.query_one(f"#bar-{message.index}", ProgressBar).update(progress=message.fraction)
        self.query_one(f"#state-{message.index}", Label).update(f"{message.stage} {message.fraction:.0%}")

    def on_transcript_ready(self, message: TranscriptReady) -> None:
        self.query_one(f"#bar-{message.index}", ProgressBar).update(progress=1.0)
        self.query_one(f"#state-{message.index}", Label).update(message.summary)

    def on_transcription_failed(self, message: TranscriptionFailed) -> None:
        self.query_one(f"#state-{message.index}", Label).update(f"[red]{message.reason}[/]")
        if message.reason != "cancelled":
            self.notify(message.reason, severity="error", timeout=10)
