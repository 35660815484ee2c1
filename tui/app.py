"""The fieldvault App: a router between screens. Logic lives in the screens and in the core."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerError

from fieldvault import drafts, layout
from fieldvault.agefile import X25519Identity
from fieldvault.capture.devices import Battery, InputDevice, input_devices, read_battery
from fieldvault.capture.source import AudioSource, SoundDeviceSource
from fieldvault.printable import printable
from fieldvault.study import Study
from fieldvault.transcribe.backend import Options
from fieldvault.transcribe.pipeline import Diarization
from fieldvault.tui.draft import KeptWizard, open_wizard
from fieldvault.tui.errors import USER_ERRORS, WorkerErrors, user_message
from fieldvault.tui.messages import (
    Told,
    TranscriptionFailed,
    TranscriptionProgressed,
    TranscriptionQueueEnded,
    TranscriptReady,
)
from fieldvault.tui.queue import TranscriptionQueue
from fieldvault.tui.screens.home import FieldKitHomeScreen, HomeScreen
from fieldvault.tui.screens.picker import NewStudyScreen, StudyPickerScreen
from fieldvault.tui.screens.unlock import UnlockScreen

CRASH_MESSAGE_WITHHELD = "(the error's message is not shown: it may hold words of a transcript or a list)"
LOCK_AFTER_MINUTES = 10.0  # the default idle time after which the TUI locks itself (`fieldvault open --lock-after`)
# What counts as a person at the keyboard: a key, a click, the wheel, a paste (not a mouse merely moved).
ACTIVITY = (events.Key, events.Paste, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
# The workers of every screen that store something: a lock waits for them rather than cut one short.
STORING = ("save", "find-replace", "reviewed", "export", "withdraw", "move", "recover")


class FieldvaultApp(WorkerErrors, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "fieldvault"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("question_mark", "help", "Help", key_display="?"),
        # F1 too, on every screen: where a text box has the focus, ? is a character to type
        Binding("f1", "help", "Help", key_display="F1", show=False),
        # On every screen, the editor and review above all, where her words are shown (QA E23); a screen's own
        # ctrl+l comes first (the unlock screen's "Open locked"). Dialogs: see on_event.
        Binding("ctrl+l", "lock", "Lock", tooltip="Lock: forget the decrypted keys now", show=False),
    ]

    def _fatal_error(self) -> None:
        """A crash's report without each frame's local variables nor the error's message: Textual's own printed the
        locals, and in the review screen or the editor they hold her transcript's words, its spans and the names on
        her list, which went to the terminal and its scrollback (qa25 QA18); a message may quote them too ("KeyError:
        'Marcus'"). The error's kind, the frames and their lines of code stay, for a bug report."""
        import sys

        import rich
        from rich.segment import Segments
        from rich.traceback import Stack, Traceback

        def withheld(stacks: list[Stack]) -> None:
            for stack in stacks:
                stack.exc_value, stack.notes = CRASH_MESSAGE_WITHHELD, []
                for group in stack.exceptions:  # an exception group's members
                    withheld(group.stacks)

        self.bell()
        kind, error, frames = sys.exc_info()
        if kind is None or error is None:  # no error being handled: nothing to report
            self._close_messages_no_wait()
            return
        trace = Traceback.extract(kind, error, frames, show_locals=False)
        withheld(trace.stacks)
        traceback = Traceback(trace, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))
        self._close_messages_no_wait()

    def __init__(
        self,
        study: Study | None,
        list_devices: Callable[[], list[InputDevice]],
        make_source: Callable[[int | str, int, int], AudioSource],
        battery: Callable[[], Battery | None],
        lock_after: float = LOCK_AFTER_MINUTES * 60,
    ) -> None:
        """``lock_after``: seconds without a key pressed after which an unlocked study locks itself."""
        super().__init__()
        self.study = study
        self.identities: list[X25519Identity] = []
        self.list_devices = list_devices
        self.make_source = make_source
        self.battery = battery
        self.input_device: int | None = None  # the input last recorded from: the next session offers it first
        self._quitting = False  # waiting for a save before quitting
        self.transcription: TranscriptionQueue | None = None  # the last queue started: it outlives its screen
        self.lock_after = lock_after
        self._last_input = time.monotonic()
        self._locking = False
        self.kept_wizard: KeptWizard | None = None  # a new session's set-up a lock closed, sealed (tui.draft)
        # An age identity file (a transcriber's own key) the study was opened with: the unlock screen offers it again
        self.identity_file = ""
        self._opening_keys: list[X25519Identity] = []  # `open --identity`: the home screen at once, with these
        self._heard_before: Callable[[str], None] | None = None  # who heard Study.tell before the app ran
        self.told_before: list[str] = []  # what opening the study said before the app ran (`fieldvault open DIR`)

    def on_mount(self) -> None:
        # What the CLI prints as "fieldvault: note: ..." goes to a stderr sent nowhere while the app runs (tui.stderr):
        # each line is a notification here instead, posted from whichever thread said it (a worker's, often)
        self._heard_before = Study.listen(self._told)
        for line in self.told_before:  # printed before the app's screen covered the terminal
            self._told(line)
        self.set_interval(1.0, self._lock_when_idle)
        with suppress(NotImplementedError, RuntimeError, ValueError):  # no signals on this platform or thread
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self._hang_up)
        if self.study is None:
            self.push_screen(StudyPickerScreen())
        else:
            self.push_screen(UnlockScreen(self.study))
            if self._opening_keys:  # once the unlock screen is up (a lock brings it back)
                keys, self._opening_keys = self._opening_keys, []
                self.call_after_refresh(self.show_home, self.study, keys)

    def on_unmount(self) -> None:
        Study.listen(self._heard_before)

    def _told(self, line: str) -> None:
        self.post_message(Told(line))  # thread-safe, and never waits: a worker that tells goes on at once

    def on_told(self, message: Told) -> None:
        self.notify(printable(message.line), title="Note", markup=False, timeout=20)

    def open_with(self, identity_file: str, identities: list[X25519Identity]) -> None:
        """Before the app runs: open its study with ``identities``, read from ``identity_file`` (QA V14: a
        transcriber's own key reviews and edits, as `redact --identity` and `transcript --identity` do)."""
        self.identity_file, self._opening_keys = identity_file, identities

    def _hang_up(self) -> None:
        """A closed terminal window, a dropped SSH or a killed tmux (SIGHUP), or a shutdown (SIGTERM): what is typed
        is kept, encrypted, as a lock keeps it (field notes and a journal entry written just after an interview
        cannot be written again; QA Q1), then the app leaves as Ctrl+Q leaves without asking, so a running
        recording is stopped and sealed, not left for `recover` (QA J14)."""
        self._keep_typed()
        self.exit()

    def _keep_typed(self) -> list[str]:
        """Keep, encrypted, what is typed on every screen, topmost first; what was kept, in words."""
        return [said for s in reversed(self.screen_stack) if (said := _keep_for_lock(s))]

    def on_app_blur(self, _: events.AppBlur) -> None:
        """The terminal lost focus (another window, a closed lid): what is typed goes into its encrypted draft now."""
        for screen in self.screen_stack:
            keep = getattr(screen, "keep_draft", None)
            if keep is not None:
                keep()

    def copy_to_clipboard(self, text: str) -> None:
        """Copy within fieldvault only (QA Q9): Textual also hands the text to the terminal (OSC 52), for the system
        clipboard, where her unredacted words would reach any other program, unaudited, and outlive the lock. Ctrl+V
        in fieldvault still pastes it; a lock forgets it."""
        self._clipboard = text

    def open_study(self, root: Path) -> None:
        """Called by the picker: show the unlock screen of the chosen study."""
        self.study = Study.open(root)
        self.push_screen(UnlockScreen(self.study))

    def show_home(self, study: Study, identities: list[X25519Identity], select: str | None = None) -> None:
        """Called once a study is unlocked, or opened locked: the home screen replaces the stack.
        ``select`` ("pseudonym/session") puts the cursor on that row, e.g. the session just recorded."""
        self.study = study
        self.identities = identities
        home = FieldKitHomeScreen if study.is_field_kit else HomeScreen
        self.switch_screen(home(study, locked=not identities, select=select))
        self._say_drafts(study)
        for line in study.names_not_at_hand:  # QA V20: names she gave with the study locked, gone before the unlock
            self.notify(line, severity="warning", markup=False, timeout=20)
        if study.adopted:  # `check` alone said it: the TUI never did (files forged before the unlock vouched too)
            # One short note: check's whole words (vouching.adopted_note) covered the list and any dialog for 20 s
            self.notify(
                f"the study key now vouches for {study.adopted} file(s) written without it, as they are "
                "(with the study locked, by a transcriber or an older release): `fieldvault check` says which",
                markup=False,
                timeout=12,
            )
            study.adopted = 0
        kept, self.kept_wizard = self.kept_wizard, None
        if kept is not None and identities and kept.root == study.root:
            self._wizard_back(study, kept)

    def _say_drafts(self, study: Study) -> None:
        """Text typed in a notes or journal screen that ended without saving (a crash, a flat battery: QA R21) is
        kept as a draft until that screen opens again: say where, so that it is not left there unseen."""
        sessions = [f"{p.parent.parent.name}'s session {p.parent.name}" for p in drafts.notes_drafts_of(study.root)]
        journal = ["the journal (j)"] if drafts.found(study.root / layout.JOURNAL) else []
        if sessions or journal:
            where = ", ".join([*[f"the notes (f) of {s}" for s in dict.fromkeys(sessions)], *journal])
            # a kit cannot read them: it offers to save them as they are, or to leave them (qa29 QE7: "or discard")
            what = "save them as they are, or leave them for the trusted machine" if study.is_field_kit else None
            self.notify(f"Typed and never saved, kept as encrypted drafts: open {where} to "
                        f"{what or 'save or discard them'}", markup=False, timeout=20)  # fmt: skip

    def _wizard_back(self, study: Study, kept: KeptWizard) -> None:
        """The new session's set-up the lock closed, at the step it was at, with what was typed there (Q8)."""
        from fieldvault.tui.screens.step import restore_step

        try:
            step = restore_step(study, *open_wizard(kept, self.identities))
        except USER_ERRORS as err:
            self.notify(f"The new session set up before the lock cannot be opened ({user_message(err)}): start it "
                        "again with n", severity="error", timeout=20)  # fmt: skip
            return
        self.push_screen(step)

    def start_transcription(
        self,
        queue: TranscriptionQueue,
        model_name: str,
        backend_name: str,
        diarization: Diarization | None,
        options: Options,
    ) -> None:
        self.transcription = queue
        queue.start(model_name, backend_name, self.identities, diarization, options)

    def running_queue(self) -> TranscriptionQueue | None:
        queue = self.transcription
        return queue if queue is not None and queue.running else None

    def on_transcription_progressed(self, message: TranscriptionProgressed) -> None:
        if self.transcription is not None:
            self.transcription.progressed(message)

    def on_transcript_ready(self, message: TranscriptReady) -> None:
        if self.transcription is not None:
            self.transcription.ready(message)

    def on_transcription_failed(self, message: TranscriptionFailed) -> None:
        if self.transcription is not None:
            self.transcription.failed(message)

    def on_transcription_queue_ended(self, _: TranscriptionQueueEnded) -> None:
        if self.transcription is not None:
            self.transcription.end()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY) and not event.is_forwarded:
            self._last_input = time.monotonic()
            if isinstance(event, events.Key) and event.key == "ctrl+l" and self.screen.is_modal:
                self.action_lock()  # a dialog (modal) cuts the App's bindings off, and may stand over her words
                return
        await super().on_event(event)

    def action_lock(self) -> None:
        """Forget the keys and go back to the unlock screen, from any screen: a running queue (which holds them)
        and a new session not yet saved are asked about; a recording is never cut short."""
        from fieldvault.tui.screens.confirm import ConfirmScreen

        if self._locking or self.study is None or isinstance(self.screen, (StudyPickerScreen, NewStudyScreen)):
            return
        if isinstance(self.screen, ConfirmScreen) and self.screen.purpose == "lock":
            return
        if self._recording():
            self.notify(
                "A recording is running: it goes on, and nothing she said is on screen. Lock once it has ended",
                severity="warning",
            )
            return
        question = next((q for s in reversed(self.screen_stack) if (q := _lock_question(s))), None)
        queue = self.running_queue()
        if queue is not None:
            question = f"{question} {queue.quit_question()}" if question else queue.quit_question()
        if question is None:
            self._lock()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                if queue is not None and self.running_queue() is queue:
                    queue.cancel()
                self._lock()

        self.push_screen(ConfirmScreen(question.replace("Quit", "Lock"), "Lock", "Stay", purpose="lock"), answered)

    def _lock_when_idle(self) -> None:
        """Lock an unlocked study after ``lock_after`` seconds with no key pressed, never during a recording. What
        is being written is kept, encrypted; a transcription queue goes on to its end (it shows no words)."""
        if not self.identities or self._locking or self._recording():
            return
        idle = time.monotonic() - self._last_input
        if idle < self.lock_after:
            return
        why = f"Locked after {_duration(idle)} without a key pressed."
        if self.running_queue() is not None:
            why += " The transcription queue goes on to its end, with the key it holds until then."
        self._lock(why)

    def _recording(self) -> bool:
        return any(getattr(s, "recorder", None) is not None for s in self.screen_stack)

    def _lock(self, why: str = "Locked.") -> None:
        """Close every screen (after the saves under way are stored, and what is typed is kept, encrypted), forget
        the keys and the notifications (they may quote her words), and show the unlock screen."""
        self._locking = True
        storing = [w for w in self.workers if w.group in STORING and not w.is_finished]
        if storing:
            self.notify("Locking once what is being stored (a save, an export, a move) is done", timeout=30)
        self.run_worker(self._lock_after_saves(storing, why), group="lock", exit_on_error=False)

    async def _lock_after_saves(self, saving: list[Worker[None]], why: str) -> None:
        for worker in saving:
            with suppress(WorkerError):  # a failed save said so; the autosave below keeps its text
                await worker.wait()
        kept = self._keep_typed()
        self.identities = []
        self._clipboard = ""  # what was copied may be her words
        self.clear_notifications()
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        if self.study is not None:
            await self.switch_screen(UnlockScreen(self.study, " ".join([why, *kept])))
        self._locking = False

    def _unless_transcribing(self, verb: str, then: Callable[[], None]) -> None:
        """Do ``then``, after asking to stop the transcription queue if it runs (it holds the study key)."""
        from fieldvault.tui.screens.confirm import ConfirmScreen

        queue = self.running_queue()
        if queue is None:
            then()
            return

        def answered(yes: bool | None) -> None:
            if yes and self.running_queue() is queue:
                queue.cancel()
                then()

        self.push_screen(ConfirmScreen(queue.quit_question(), verb, "Stay"), answered)

    def action_help(self) -> None:
        from fieldvault.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        """Quitting asks first while something would be lost or cut short: a running recording (which
        is then stopped and sealed) or a session not yet saved."""
        from fieldvault.tui.screens.confirm import ConfirmScreen

        if self._quitting or (isinstance(self.screen, ConfirmScreen) and self.screen.purpose == "quit"):
            return
        saving = [w for s in self.screen_stack for w in getattr(s, "saves_in_flight", list)()]
        if saving:  # Ctrl+S just before Ctrl+Q: that save is stored first, then the quit goes on
            self._quitting = True
            self.notify("Saving first: fieldvault quits once it is stored", timeout=4)
            self.run_worker(self._quit_after(saving), group="quit", exit_on_error=False)
            return
        question = next((q for s in reversed(self.screen_stack) if (q := _quit_question(s))), None)
        queue = self.running_queue()
        if queue is not None:
            question = f"{question} {queue.quit_question()}" if question else queue.quit_question()
        if question is None:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._stop_recordings()
                self._exit_after_queue()

        self.push_screen(ConfirmScreen(question, "Quit", "Stay", purpose="quit"), answered)

    async def _quit_after(self, saving: list[Worker[None]]) -> None:
        """Quit once the saves under way are stored (the screen keeps answering meanwhile)."""
        for worker in saving:
            with suppress(WorkerError):  # a failed save says so itself; the quit question then says what is lost
                await worker.wait()
        self._quitting = False
        await self.action_quit()

    def _exit_after_queue(self) -> None:
        """Exit; a running queue is stopped first, and once its worker has let go (between batches, a few
        seconds at most) the line saying what was left untranscribed is printed as fieldvault ends."""
        queue = self.running_queue()
        if queue is None:
            self.exit()
            return
        self._quitting = True
        queue.cancel()
        self.notify("Stopping the transcription queue: fieldvault quits once it has stopped", timeout=30)

        async def stop_then_exit() -> None:
            while not queue.ended:
                await asyncio.sleep(0.1)
            later = " `fieldvault transcribe` or t in `fieldvault open` transcribes them." if queue.left() else ""
            self.exit(message=queue.stopped_line() + later)

        self.run_worker(stop_then_exit(), group="quit", exit_on_error=False)

    def _stop_recordings(self) -> None:
        for screen in self.screen_stack:
            stop = getattr(screen, "stop_recording", None)
            if stop is not None:
                stop()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's "Screenshot" writes the screen, decrypted transcript and all, as plaintext SVG to disk.
        # deliver_screenshot below refuses too, whatever route reaches it.
        yield from (c for c in super().get_system_commands(screen) if c.title != "Screenshot")
        yield SystemCommand("Open another study", "Pick or create a study folder", self._to_picker)
        if self.identities:
            yield SystemCommand("Lock the study", "Forget the decrypted keys now", self.action_lock)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Never: a screenshot is plaintext of whatever is on screen (names, transcripts) written to disk."""
        self.notify("Screenshots are off: the screen may show what participants said", severity="warning")
        return None

    def _to_picker(self) -> None:
        self._unless_transcribing("Open another study", self._picker)

    def _picker(self) -> None:
        self.identities = []
        self.switch_screen(StudyPickerScreen())


def _lock_question(screen: Screen) -> str | None:
    """What locking now would lose on ``screen``: only what cannot be kept encrypted (a new session's set-up)."""
    ask = getattr(screen, "lock_question", None)
    return ask() if ask is not None else None


def _keep_for_lock(screen: Screen) -> str | None:
    """Keep, encrypted, what is typed on ``screen`` before the lock closes it; what was kept, in words."""
    keep = getattr(screen, "keep_for_lock", None)
    return keep() if keep is not None else None


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}" if minutes else f"{round(seconds)} seconds"


def _quit_question(screen: Screen) -> str | None:
    """What quitting now would lose on ``screen``, as a question; None when nothing."""
    ask = getattr(screen, "quit_question", None)
    return ask() if ask is not None else None


def make_app(
    study: Study | None = None,
    list_devices: Callable[[], list[InputDevice]] = input_devices,
    make_source: Callable[[int | str, int, int], AudioSource] = SoundDeviceSource,
    battery: Callable[[], Battery | None] = read_battery,
    lock_after: float = LOCK_AFTER_MINUTES * 60,
) -> FieldvaultApp:
    """The one factory: used by the CLI, the Pilot tests and the snapshot tests alike.
    Tests give a file-backed audio source and a battery reader; users get PortAudio and /sys."""
    return FieldvaultApp(study, list_devices, make_source, battery, lock_after)
