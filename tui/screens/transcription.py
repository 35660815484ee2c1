"""The transcription queue: every recorded session without a transcript, each with its progress bar.

The queue itself belongs to the App (tui/queue.py): this screen starts it and shows it, and leaving the
screen leaves it running. Each item shows its stage (finding speech, transcribing, ... speakers:
transcribe.pipeline.STAGES) and that stage's progress, its bar and time left starting afresh with each stage
(an empty moving bar and no time left where its length is unknown); cancelling takes effect between batches
of audio, and an error stops only its own item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, ProgressBar, Select

from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.redact.foreign import not_english_note
from fieldvault.transcribe.backend import BACKENDS, MAX_BEAM, Options, beam_size, language_for, pause_seconds
from fieldvault.transcribe.diarization.clustering import MAX_SPEAKERS
from fieldvault.transcribe.models import DEFAULT, imported, packaged, resolve
from fieldvault.transcribe.pipeline import Diarization
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.queue import TranscriptionQueue

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp


# The TUI twin of `transcribe --speakers` (QA D21): who speaks in mono recordings, found or given.
SPEAKER_CHOICES = [
    ("speakers: found", "auto"),
    *((f"{n} speaker{'s' if n > 1 else ''}", str(n)) for n in range(1, MAX_SPEAKERS + 1)),
    ("no speakers", "off"),
]


class TranscriptionScreen(Screen[None]):
    SUB_TITLE = "Transcription queue"
    BINDINGS = [("ctrl+t", "start", "Start"), ("c", "cancel", "Cancel"), ("escape", "back", "Back")]

    def __init__(self, queue: TranscriptionQueue) -> None:
        super().__init__()
        self.queue = queue
        self.stages: dict[int, str] = {}  # the stage each bar shows, to start its time left afresh at the next
        self.models = [m.name for m in packaged()]
        self.registry_damaged: str | None = None  # a damaged registry stops only the imported models
        try:
            self.models += [m.name for m in imported()]
        except BadStudyFile as err:
            self.registry_damaged = user_message(err)

    def compose(self) -> ComposeResult:
        items = self.queue.items
        yield Header()
        with Vertical(classes="panel"):
            yield Label(f"Transcription queue: {len(items)} recording(s) to transcribe", classes="title")
            with Horizontal(classes="row"):
                yield Select([(m, m) for m in self.models], id="model", value=DEFAULT, allow_blank=False)
                yield Select([(b, b) for b in BACKENDS], id="backend", value=BACKENDS[0], allow_blank=False)
                yield Select(SPEAKER_CHOICES, id="speakers", value="auto", allow_blank=False)
                yield Button("Start", variant="primary", id="start")
            # The TUI twins of `transcribe --language`, `--beam` and `--pause-markers`: the same values, the same
            # refusals (the queue had none of them: a Spanish interview could not be told Spanish)
            with Horizontal(classes="row"):
                yield Input(placeholder="language (auto)", id="language", classes="option")
                yield Input(placeholder=f"beam 1-{MAX_BEAM} (4)", id="beam", classes="option")
                yield Input(placeholder="pause marks (off)", id="pause", classes="option")
        with VerticalScroll(id="queue"):
            for index, item in enumerate(items):
                with Horizontal(classes="job"):
                    yield Label(item.name, classes="job-name")
                    yield ProgressBar(total=1.0, id=f"bar-{index}", show_eta=True)
                    yield Label(item.state, id=f"state-{index}", classes="job-state")
        yield Footer()

    def on_mount(self) -> None:
        if self.registry_damaged:
            self.notify(f"Imported models cannot be used: {self.registry_damaged}", severity="warning", timeout=12)
        self.queue.changed.subscribe(self, self._show)
        self._show(self.queue)

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        if not self.queue.items:
            self.notify("Nothing to transcribe: every recording has a transcript", severity="information")
            return
        if self.queue.worker is not None:
            return  # started already: this screen shows it
        model, backend = str(self.query_one("#model", Select).value), str(self.query_one("#backend", Select).value)
        speakers = str(self.query_one("#speakers", Select).value)
        diarization = None if speakers == "off" else Diarization(None if speakers == "auto" else int(speakers))
        try:
            options = self._options(model)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            return
        if note := not_english_note(options.language):  # what `transcribe --language` notes (QA R7)
            self.notify(note[0].upper() + note[1:], severity="warning", timeout=20)
        cast("FieldvaultApp", self.app).start_transcription(self.queue, model, backend, diarization, options)

    def _options(self, model: str) -> Options:
        """The language, beam and pause fields as `transcribe` takes them; refused as it refuses them, before any
        work (an English-only model and another language, a beam of 0, a pause of "five")."""
        language = self.query_one("#language", Input).value.strip().lower() or None  # "EN" is en (qa29 QE12)
        beam = self.query_one("#beam", Input).value.strip()
        pause = self.query_one("#pause", Input).value.strip()
        options = Options(
            language,
            beam_size(beam) if beam else Options.beam_size,
            pause_marker=pause_seconds(pause) if pause else None,
        )
        try:
            language_for(resolve(model), options)
        except BadInput:  # its words name the CLI's flag; this screen has a field (qa29 QE12)
            raise BadInput(
                f"model {model} understands English only: leave the language empty or type en, or choose another model"
            ) from None
        return options

    def action_cancel(self) -> None:
        self.queue.cancel()

    def action_back(self) -> None:
        if self.queue.running:
            self.notify(
                "The transcription queue keeps running: the home screen shows its progress, t shows it here again",
                timeout=8,
            )
        self.app.pop_screen()

    def _show(self, queue: TranscriptionQueue) -> None:
        started = queue.worker is not None
        for control in ("#start", "#model", "#backend", "#speakers", "#language", "#beam", "#pause"):
            self.query_one(control).disabled = started
        for index, item in enumerate(queue.items):
            bar = self.query_one(f"#bar-{index}", ProgressBar)
            unknown = item.fraction is None and not item.finished
            if self.stages.get(index, item.stage) != item.stage or unknown:
                bar.update(total=None)  # a new stage: its time left is not the last stage's pace
            self.stages[index] = item.stage
            if not unknown:
                bar.update(total=1.0, progress=item.fraction or 0.0)
            self.query_one(f"#state-{index}", Label).update(item.state)
