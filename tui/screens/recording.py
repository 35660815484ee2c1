"""The recording screen: pick the input, then record with the guide's prompt large on screen.

Keys move between prompts (each change is a timestamped marker), add notes, pause and stop.
The recorder runs on its own threads; this screen only polls its status.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, Select, Static

from fieldvault.capture.recorder import Recorder, RecorderStatus
from fieldvault.guide import Guide
from fieldvault.study import Study
from fieldvault.timecode import elapsed
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.widgets.level_meter import LevelMeter

RATES = [(f"{r} Hz" + (" (Whisper's rate)" if r == 16000 else ""), r) for r in (16000, 44100, 48000)]
CHANNELS = [("mono", 1), ("stereo: one microphone per speaker", 2)]
LOW_DISK = 500 * 1024 * 1024


class RecordingScreen(Screen[None]):
    BINDINGS = [
        ("right,n", "next_prompt", "Next prompt"),
        ("left,b", "previous_prompt", "Previous prompt"),
        ("m", "note", "Note"),
        ("space", "pause", "Pause/resume"),
        ("s", "stop", "Stop"),
    ]

    def __init__(self, study: Study, pseudonym: str) -> None:
        super().__init__()
        self.study, self.pseudonym = study, pseudonym
        self.guide = Guide.for_study(study.root)
        self.recorder: Recorder | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(f"Encrypted to: {', '.join(self.study.recipient_labels())}", id="encrypted-to")
        with Vertical(classes="panel", id="setup"):
            yield Label(f"Record a session with {self.pseudonym}", classes="title")
            yield Label("Input device")
            yield Select[int](self._device_options(), id="device", allow_blank=False)
            yield Select[int](RATES, id="rate", value=16000, allow_blank=False)
            yield Select[int](CHANNELS, id="channels", value=1, allow_blank=False)
            yield Button("Start recording", variant="primary", id="start")
        with Vertical(id="live", classes="hidden"):
            yield Static("", id="prompt")
            yield Label("", id="prompt-position")
            yield LevelMeter(id="meter")
            yield Label("", id="status")
        yield Footer()

    def _device_options(self) -> list[tuple[str, int]]:
        try:
            devices = self.app.list_devices()  # type: ignore[attr-defined]
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            return []
        ordered = sorted(devices, key=lambda d: not d.is_default)
        return [(f"{d.name}{' (default)' if d.is_default else ''}", d.index) for d in ordered]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"next_prompt", "previous_prompt", "note", "pause", "stop"}:
            return self.recorder is not None
        return True

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        if self.recorder is not None:
            return
        device = self.query_one("#device", Select).value
        if device == Select.BLANK:
            self.notify("No input device: plug in a microphone, then open this screen again", severity="error")
            return
        rate = int(self.query_one("#rate", Select).value)  # type: ignore[arg-type]
        channels = int(self.query_one("#channels", Select).value)  # type: ignore[arg-type]
        try:
            source = self.app.make_source(device, rate, channels)  # type: ignore[attr-defined]
            recorder = Recorder(self.study, self.pseudonym, source, self.guide)
            recorder.start()
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            return
        self.recorder = recorder
        self.query_one("#setup").remove()  # keys now drive the recording; no set-up widget may keep focus
        self.query_one("#live").remove_class("hidden")
        self._show_prompt(0)
        self.set_interval(0.2, self._poll)
        self.refresh_bindings()

    def _show_prompt(self, index: int) -> None:
        self.query_one("#prompt", Static).update(self.guide.prompts[index])
        kind = "narrative prompt" if index == 0 else f"follow-up {index} of {len(self.guide.follow_ups)}"
        self.query_one("#prompt-position", Label).update(f"{kind}   (← previous, → next)")

    def _poll(self) -> None:
        if self.recorder is None:
            return
        status = self.recorder.status()
        meter = self.query_one("#meter", LevelMeter)
        meter.level, meter.clipping = status.peak_dbfs, status.clipping
        self.query_one("#status", Label).update(self._status_line(status))
        if status.ended:
            self.notify(status.ended, severity="error", timeout=15)
            self._finish()

    def _status_line(self, status: RecorderStatus) -> str:
        disk = f"{status.disk_free / 2**30:.1f} GiB free"
        if status.disk_free < LOW_DISK:
            disk = f"[red]only {status.disk_free / 2**20:.0f} MiB free[/]"
        state = "[yellow]PAUSED[/]" if status.paused else "[red]● REC[/]"
        dropped = f"   [red]{status.dropped_blocks} blocks dropped[/]" if status.dropped_blocks else ""
        return f"{state}  {elapsed(status.seconds)}   {disk}{dropped}"

    def action_next_prompt(self) -> None:
        if self.recorder is not None:
            self._show_prompt(self.recorder.next_prompt())

    def action_previous_prompt(self) -> None:
        if self.recorder is not None:
            self._show_prompt(self.recorder.previous_prompt())

    def action_note(self) -> None:
        from fieldvault.tui.screens.ask import AskScreen

        recorder = self.recorder
        if recorder is not None:
            at = f"{int(recorder.at) // 60:02d}:{int(recorder.at) % 60:02d}"
            question = AskScreen(f"Note at {at}", "e.g. she asked to pause; long silence")
            self.app.push_screen(question, lambda text: recorder.note(text or ""))

    def action_pause(self) -> None:
        if self.recorder is None:
            return
        if self.recorder.status().paused:
            self.recorder.resume()
        else:
            self.recorder.pause()

    def action_stop(self) -> None:
        from fieldvault.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._finish()

        self.app.push_screen(ConfirmScreen("Stop the recording and seal it?", "Stop", "Keep recording"), answered)

    def _finish(self) -> None:
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return
        summary = recorder.stop()
        message = f"Recorded {elapsed(summary.seconds)} with {self.pseudonym}; sealed and encrypted"
        if summary.dropped_blocks:
            message += f"; {summary.dropped_blocks} blocks were dropped (noted in the session's events)"
        self.notify(summary.problem or message, severity="error" if summary.problem else "information", timeout=10)
        self.app.show_home(self.study, self.app.identities)  # type: ignore[attr-defined]
