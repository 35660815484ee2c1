"""The transcription queue, owned by the App rather than by its screen: it keeps running when the queue
screen is left (QA C15), the home screen shows its progress, and quitting or locking asks first.

Whisper runs in a thread worker of the App; the worker posts messages to the App, which hands them to
the queue here on the UI thread; screens follow the queue through its ``changed`` signal. A transcript is
stored only once whole (``store`` writes it atomically); a cancelled item stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.signal import Signal
from textual.worker import get_current_worker

from fieldvault.sessionopen import hold_for_transcription
from fieldvault.study import Study
from fieldvault.transcribe.backend import Options, load_backend
from fieldvault.transcribe.models import resolve
from fieldvault.transcribe.pipeline import Cancelled, Diarization, Job, store, transcribe_session
from fieldvault.transcript import ROLES_NOTE, fewer_speakers
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.messages import (
    TranscriptionFailed,
    TranscriptionProgressed,
    TranscriptionQueueEnded,
    TranscriptReady,
)

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

    from fieldvault.agefile import X25519Identity

CANCELLED = "cancelled"


@dataclass
class Item:
    """One recording in the queue, as its row shows it."""

    job: Job
    state: str = "waiting"  # Rich markup: a failure is red
    stage: str = ""  # the stage under way (transcribe.pipeline.STAGES): each has its own bar and time left
    fraction: float | None = 0.0  # of the stage; None while its length is unknown
    transcribed: bool = False
    finished: bool = False  # transcribed, failed or cancelled

    @property
    def name(self) -> str:
        return f"{self.job.pseudonym}/{self.job.session}"


class TranscriptionQueue:
    def __init__(self, app: App[None], study: Study, jobs: list[Job]) -> None:
        self.app = app
        self.study = study
        self.items = [Item(job) for job in jobs]
        self.changed: Signal[TranscriptionQueue] = Signal(app, "transcription-queue")
        self.worker: Worker[None] | None = None
        self.ended = False
        self.stopped = False  # cancelled by the user, by quitting or by locking
        self.diarization: Diarization | None = Diarization()
        self.options = Options()  # language, beam and pause markers, as `transcribe` takes them

    @property
    def running(self) -> bool:
        return self.worker is not None and not self.ended

    def start(
        self,
        model_name: str,
        backend_name: str,
        identities: list[X25519Identity],
        diarization: Diarization | None,
        options: Options,
    ) -> None:
        """``diarization``: the speakers of mono recordings (a count, or the number found), None for none."""
        self.diarization = diarization
        self.options = options
        self.worker = self.app.run_worker(
            partial(self._run, model_name, backend_name, identities),
            name="transcription queue",
            group="transcribe",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )
        self.changed.publish(self)

    def cancel(self) -> None:
        """Stop between batches of audio: the item under way stores nothing, the rest are not begun."""
        if self.running and self.worker is not None:
            self.stopped = True
            self.worker.cancel()

    def left(self) -> list[str]:
        """The recordings this queue has not transcribed (yet)."""
        return [item.name for item in self.items if not item.transcribed]

    # --- the worker thread ---------------------------------------------------------------------

    def _run(self, model_name: str, backend_name: str, identities: list[X25519Identity]) -> None:
        try:
            self._transcribe_all(model_name, backend_name, identities)
        finally:
            self.app.post_message(TranscriptionQueueEnded())

    def _transcribe_all(self, model_name: str, backend_name: str, identities: list[X25519Identity]) -> None:
        worker = get_current_worker()
        try:
            model = resolve(model_name)
            backend = load_backend(backend_name, model)
        except USER_ERRORS as err:
            for index in range(len(self.items)):
                self.app.post_message(TranscriptionFailed(index, user_message(err)))
            return
        for index, item in enumerate(self.items):
            if worker.is_cancelled:
                self.app.post_message(TranscriptionFailed(index, CANCELLED))
                continue
            try:
                with hold_for_transcription(item.job.folder):  # no withdrawal, move or second transcription beside it
                    transcript = transcribe_session(
                        self.study,
                        item.job,
                        identities,
                        backend,
                        model,
                        self.options,
                        partial(self._progressed, index),
                        lambda: worker.is_cancelled,
                        diarization=self.diarization,
                    )
                    store(self.study, transcript, identities)
            except Cancelled:
                self.app.post_message(TranscriptionFailed(index, CANCELLED))
                continue
            except USER_ERRORS as err:
                self.app.post_message(TranscriptionFailed(index, user_message(err)))
                continue
            by_talk = ROLES_NOTE in transcript.settings  # QA K11: the editor says it again, with the key that swaps
            roles = "; roles decided by who talked more: check them in the editor" if by_talk else ""
            fewer = fewer_speakers(transcript, self.diarization.speakers if self.diarization else None) or ""
            speakers = "; fewer speakers than asked for" if fewer else ""
            summary = f"done: {len(transcript.segments)} segments{roles}{speakers}"
            self.app.post_message(TranscriptReady(index, summary, fewer))

    def _progressed(self, index: int, stage: str, fraction: float | None) -> None:
        self.app.post_message(TranscriptionProgressed(index, stage, fraction))

    # --- on the UI thread ----------------------------------------------------------------------

    def progressed(self, message: TranscriptionProgressed) -> None:
        item = self.items[message.index]
        done = "(length unknown)" if message.fraction is None else f"{message.fraction:.0%}"
        item.stage, item.fraction, item.state = message.stage, message.fraction, f"{message.stage} {done}"
        self.changed.publish(self)

    def ready(self, message: TranscriptReady) -> None:
        item = self.items[message.index]
        item.fraction, item.state, item.transcribed, item.finished = 1.0, message.summary, True, True
        if message.note:
            self.app.notify(f"{item.name}: {message.note}", severity="warning", timeout=20)
        self.changed.publish(self)

    def failed(self, message: TranscriptionFailed) -> None:
        item = self.items[message.index]
        item.finished = True
        item.state = CANCELLED if message.reason == CANCELLED else f"[red]{message.reason}[/]"
        if message.reason != CANCELLED:
            self.app.notify(f"{item.name}: {message.reason}", severity="error", timeout=10)
        self.changed.publish(self)

    def end(self) -> None:
        self.ended = True
        for item in self.items:  # only after an unexpected error (the app says it): never left looking busy
            if not item.finished:
                item.finished, item.state = True, "[red]not transcribed: the queue stopped[/]"
        if self.stopped:
            again = " Press t to transcribe them." if self.left() else ""
            self.app.notify(self.stopped_line() + again, severity="warning", timeout=30)
        self.changed.publish(self)

    def stopped_line(self) -> str:
        left = self.left()
        done = len(self.items) - len(left)
        if not left:
            return f"The transcription queue was stopped after its last recording: {done} transcribed"
        return (
            f"The transcription queue was stopped: {done} transcribed; left untranscribed (nothing stored for "
            f"them): {', '.join(left)}."
        )

    def progress_line(self) -> str:
        """One line for the home screen: what the queue does now, or how it ended."""
        done = sum(item.transcribed for item in self.items)
        failed = sum(item.finished and not item.transcribed for item in self.items)
        if self.ended:
            if self.stopped:
                return self.stopped_line()
            return f"Transcription queue finished: {done} transcribed" + (f", {failed} failed" if failed else "")
        current = next((item for item in self.items if not item.finished), None)
        now = f"{current.name} {current.state}" if current else "finishing"
        count = f"{sum(item.finished for item in self.items) + 1} of {len(self.items)}"
        return f"Transcribing {count}: {now} · t shows the queue"

    def quit_question(self) -> str:
        left = self.left()
        return (
            f"The transcription queue is still running ({len(left)} recording(s) not transcribed yet: "
            f"{', '.join(left)}). Stop it? What is under way is dropped, nothing half-done is stored, and "
            "those sessions stay untranscribed."
        )
