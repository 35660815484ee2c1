"""The recording screen: pick the input and check its level, then record with the guide's prompt large
on screen.

Keys move between prompts (each change is a timestamped marker), add notes, take a break, pause and
stop. The recorder runs on its own threads; this screen only polls its status. Whatever ends the
screen (Stop, Quit, the app closing) stops and seals the recording first.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from fieldvault.capture.inputwatch import switched
from fieldvault.capture.recorder import (
    DISK_RESERVE,
    WARN_BELOW,
    Recorder,
    RecorderStatus,
    RecordingSummary,
    seconds_that_fit,
    too_little_space,
)
from fieldvault.capture.silence import NO_SIGNAL_SECONDS, Silence, SilenceWatch, no_signal, signal_back
from fieldvault.capture.source import SILENCE_DBFS, LevelProbe
from fieldvault.errors import BadStudyFile
from fieldvault.events import Event
from fieldvault.guide import Guide
from fieldvault.sessioninfo import FIRST, SessionInfo, write_session_info
from fieldvault.study import Study
from fieldvault.timecode import elapsed
from fieldvault.tui.errors import USER_ERRORS, WorkerErrors, user_message
from fieldvault.tui.widgets.level_meter import LevelMeter

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp
    from fieldvault.tui.screens.ask import AskScreen
    from fieldvault.tui.screens.safety import BreakScreen

RATES = [(f"{r} Hz" + (" (Whisper's rate)" if r == 16000 else ""), r) for r in (16000, 44100, 48000)]
CHANNELS = [("mono", 1), ("stereo: one microphone per speaker", 2)]
LOW_DISK = 500 * 1024 * 1024
TYPING_ON_SECONDS = 5.0  # after a note closes, keys may still be the note's words typed on
PROBE_RETRY_SECONDS = 2.0  # the level check tries an input again this often while it cannot be opened


class RecordingScreen(WorkerErrors, Screen[None]):
    SUB_TITLE = "Recording"
    BINDINGS = [
        Binding("s", "stop", "Stop"),
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("b", "take_break", "Break"),
        Binding("m", "note", "Note"),
        Binding("space", "pause", "Pause"),
        Binding("right", "next_prompt", "Next", tooltip="Next prompt"),
        Binding("n", "next_prompt('n')", "Next", show=False),
        Binding("left", "previous_prompt", "Previous", tooltip="Previous prompt"),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]
    LIVE = {"stop", "take_break", "note", "pause", "next_prompt", "previous_prompt"}
    WHEN = dict.fromkeys(LIVE, "once recording") | {"back": "before Start"}  # help's words for a key not live now

    def __init__(self, study: Study, pseudonym: str, info: SessionInfo | None = None, start_prompt: int = 0) -> None:
        super().__init__()
        self.study, self.pseudonym = study, pseudonym
        self.info = info or SessionInfo()
        self.guide = Guide.for_study(study.root).for_kind(self.info.kind)
        self.start_prompt = min(start_prompt, len(self.guide.prompts) - 1)
        self.recorder: Recorder | None = None
        self.probe: LevelProbe | None = None
        self.silence = SilenceWatch()
        self._switch_shown: tuple[float, str, str] | None = None  # the last input switch notified
        self._note: tuple[float, AskScreen] | None = None  # a note being typed: when m was pressed, its dialog
        self._note_closed = -TYPING_ON_SECONDS  # when the last note dialog closed (time.monotonic)
        self._break: tuple[float, BreakScreen] | None = None  # a break dialog open: since when, the dialog
        self._probe_retry: float | None = None  # when the level check tries the input again (it could not open it)

    # --- set-up -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self.devices = self._device_options()
        yield Header()
        with VerticalScroll(classes="panel", id="setup", can_focus=False):
            kind = "" if self.info.kind == FIRST else f" ({self.info.label})"
            yield Label(f"Record a session with {escape(self.pseudonym)}{kind}", classes="title", id="setup-title")
            if self.info.continues:
                yield Label(
                    f"Carries on session {self.info.continues}, at prompt {self.start_prompt + 1}", id="continues"
                )
            # compact: the set-up and its Start button fit a 60×20 terminal
            # Blank only when there is no device at all: then the prompt says so and nothing can be picked.
            yield Select[int](
                self.devices, id="device", prompt="no input device found", allow_blank=not self.devices, compact=True
            )
            yield Select[int](RATES, id="rate", value=16000, allow_blank=False, compact=True)
            yield Select[int](CHANNELS, id="channels", value=1, allow_blank=False, compact=True)
            yield LevelMeter(id="check-meter")
            yield Static("Level check: ask her to say a few words", id="check")
            yield Button("Start recording", variant="primary", id="start")
            yield Label(f"Encrypted to: {', '.join(self.study.recipient_labels())}", id="encrypted-to", markup=False)
        with Vertical(id="live", classes="hidden"):
            # first in the live area's bottom rows: a small terminal cuts the prompt, never REC, its clock or a
            # warning of the disk, the battery or the signal (tui28: at 40x10 the status line was off the screen)
            with Vertical(id="live-status"):
                yield Label("", id="status")
                yield Label("", id="warning")
            yield Static("", id="prompt")
            yield Label("", id="prompt-position")
            yield LevelMeter(id="meter")
        yield Footer(show_command_palette=False)  # Stop, Quit and Help fit 80 columns

    def _device_options(self) -> list[tuple[str, int]]:
        try:
            devices = cast("FieldvaultApp", self.app).list_devices()
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            return []
        ordered = sorted(devices, key=lambda d: not d.is_default)
        return [(f"{d.name}{' (default)' if d.is_default else ''}", d.index) for d in ordered]

    def on_mount(self) -> None:
        if self.devices:  # the input of the last session (a follow-up uses the same microphone), else the default
            last = cast("FieldvaultApp", self.app).input_device
            indices = [index for _, index in self.devices]
            self.query_one("#device", Select).value = last if last in indices else indices[0]  # may be index 0
        self.set_interval(0.2, self._poll)
        self._start_probe()
        self._say_space()

    def _say_space(self) -> None:
        """Before the letter is read with her: the space left, where it may not hold the interview (QA R11)."""
        settings = self._settings()
        if settings is None:
            return
        _, rate, channels = settings
        fits = seconds_that_fit(self.study, rate, channels)
        if too_little_space(self.study, rate, channels) is not None:
            self.notify(_too_little(self.study, fits), severity="error", timeout=20, markup=False)
        elif fits < WARN_BELOW:
            self.notify(
                f"Only about {fits / 60:.0f} min of recording fit on this disk: free some space before the interview",
                severity="warning",
                timeout=15,
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.LIVE:
            return self.recorder is not None
        if action == "back":
            return self.recorder is None
        return True

    @on(Select.Changed)
    def _setting_changed(self) -> None:
        if self.recorder is None:
            self._start_probe()

    def _settings(self) -> tuple[int, int, int] | None:
        device = self.query_one("#device", Select)
        if device.is_blank():  # Select.NULL, never confused with device index 0
            return None
        rate, channels = self.query_one("#rate", Select).value, self.query_one("#channels", Select).value
        # The three selects hold ints (device index, rate, channel count); BLANK was ruled out above.
        return int(str(device.value)), int(str(rate)), int(str(channels))

    def _start_probe(self) -> None:
        self._stop_probe()
        self._probe_retry = None
        settings = self._settings()
        check = self.query_one("#check", Static)
        if settings is None:
            check.update("No input device: plug in a microphone, then press Esc and open this screen again")
            return
        try:
            probe = LevelProbe(cast("FieldvaultApp", self.app).make_source(*settings))
            probe.start()
        except USER_ERRORS as err:
            check.update(
                f"[red]The level check cannot open this input[/] ({escape(user_message(err))}). Plug the "
                "microphone in, or pick another input in the list above: the check tries again by itself"
            )
            self._probe_retry = time.monotonic() + PROBE_RETRY_SECONDS
            return
        self.probe = probe
        self.silence = SilenceWatch()

    def _stop_probe(self) -> None:
        probe, self.probe = self.probe, None
        if probe is not None:
            probe.stop()

    def action_back(self) -> None:
        if self.recorder is None:
            self._stop_probe()
            cast("FieldvaultApp", self.app).show_home(
                self.study, cast("FieldvaultApp", self.app).identities, select=self.pseudonym
            )

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        if self.recorder is not None:
            return
        settings = self._settings()
        if settings is None:
            self.notify(
                "No input device: plug in a microphone, then press Esc and open this screen again", severity="error"
            )
            return
        self._stop_probe()
        try:
            source = cast("FieldvaultApp", self.app).make_source(*settings)
            recorder = Recorder(self.study, self.pseudonym, source, self.guide, first_prompt=self.start_prompt)
            folder = recorder.start()
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            self._start_probe()
            return
        self.recorder = recorder
        cast("FieldvaultApp", self.app).input_device = settings[0]
        try:
            write_session_info(self.study, folder, self.info, recorder.sealing)  # under the header its start logged
        except BadStudyFile as err:  # the plaintext list of sessions is damaged; the kind is sealed all the same
            said = (
                f"The session's kind is sealed with it, but the list of sessions could not note it: {user_message(err)}"
            )
            self.notify(said, severity="warning", timeout=15)
        except USER_ERRORS as err:  # the recording matters more than its label: keep recording, say so
            self.notify(f"The session's kind could not be saved: {user_message(err)}", severity="warning")
        self.query_one("#setup").remove()  # keys now drive the recording; no set-up widget may keep focus
        self.query_one("#live").remove_class("hidden")
        self.silence = SilenceWatch()
        self._show_prompt(self.start_prompt)
        self.refresh_bindings()

    # --- while recording ------------------------------------------------------------------------

    def _show_prompt(self, index: int) -> None:
        self.query_one("#prompt", Static).update(escape(self.guide.prompts[index]))
        if self.info.kind == FIRST:
            where = "narrative prompt" if index == 0 else f"follow-up {index} of {len(self.guide.follow_ups)}"
        else:
            where = f"{self.info.label}: prompt {index + 1} of {len(self.guide.prompts)}"
        self.query_one("#prompt-position", Label).update(f"{where}   (← previous, → next)")

    def _poll(self) -> None:
        if self.recorder is None:
            self.title, self.sub_title = None, self.SUB_TITLE
            self._poll_probe()
            return
        status = self.recorder.status()
        # qa27 QC6: in the header too, which a small terminal's wrapped prompt or a note's dialog never covers; as its
        # title, alone, so that a 30-column header still holds it whole (tui29: "fieldvault — ● REC 0:…" at 40)
        self.title, self.sub_title = f"{'PAUSED' if status.paused else '● REC'} {elapsed(status.seconds)}", ""
        meter = self.query_one("#meter", LevelMeter)
        meter.level, meter.clipping = status.peak_dbfs, status.clipping
        self.query_one("#status", Label).update(self._status_line(status))
        self._show_silence(
            self.silence.paused() if status.paused else self.silence.heard(status.peak_dbfs, time.monotonic())
        )
        if status.switched is not None and status.switched != self._switch_shown:  # sealed in the timeline too
            self._switch_shown = status.switched
            at, old, new = status.switched
            self.notify(escape(switched(elapsed(at), old, new)), severity="error", timeout=15)
        if status.ended:
            self._ended_by_itself()

    def _poll_probe(self) -> None:
        if self._probe_retry is not None and time.monotonic() >= self._probe_retry:
            self._start_probe()  # the microphone may be back (plugged in again, the sound server restarted)
        if self.probe is None:
            return
        level = self.probe.read()
        self.query_one("#check-meter", LevelMeter).level = level
        silent = self.silence.heard(level, time.monotonic()).seconds
        check = self.query_one("#check", Static)
        if self.probe.ended and not self.probe.source.finite:
            check.update(
                f"[red]The input stopped:[/] {escape(self.probe.ended)}. Plug the microphone back in, or pick "
                "another input in the list above: the check tries again by itself"
            )
            if self._probe_retry is None:
                self._probe_retry = time.monotonic() + PROBE_RETRY_SECONDS
        elif silent >= NO_SIGNAL_SECONDS:
            check.update(
                "[red]NO SIGNAL:[/] this input gives digital silence. Check the cable, or choose another input"
            )
        elif level > SILENCE_DBFS:
            check.update(
                f"Level check: signal at {level:.0f} dBFS"
                + (" (too loud: move the microphone back)" if level > -3 else "")
            )

    def _show_silence(self, silence: Silence) -> None:
        """The same warning, after the same time, as `fieldvault record` prints (capture.silence)."""
        warning = self.query_one("#warning", Label)
        if silence.seconds >= NO_SIGNAL_SECONDS:
            warning.update(f"[b red]{escape(no_signal(silence.seconds))}[/]")
        elif silence.seconds == 0.0:
            warning.update("")
        if silence.warn:
            self.notify("No signal from the microphone: check it is plugged in", severity="error", timeout=10)
        if silence.back is not None:
            self.notify(signal_back(silence.back).capitalize(), timeout=10)

    def _status_line(self, status: RecorderStatus) -> str:
        disk = f"{status.disk_free / 2**30:.1f} GiB free"
        if status.disk_free < LOW_DISK:
            disk = f"[red]only {status.disk_free / 2**20:.0f} MiB free[/]"
        state = "[yellow]PAUSED[/]" if status.paused else "[red]● REC[/]"
        dropped = f"   [red]{status.dropped_blocks} blocks dropped[/]" if status.dropped_blocks else ""
        return f"{state}  {elapsed(status.seconds)}   {disk}{self._battery()}{dropped}"

    def _battery(self) -> str:
        battery = cast("FieldvaultApp", self.app).battery()
        if battery is None:
            return ""
        if battery.low:
            return f"   [b red]battery {battery.percent}%: plug in now[/]"
        return f"   battery {battery.percent}%{' charging' if battery.charging else ''}"

    def _at(self) -> tuple[float, str]:
        at = round(self.recorder.at, 3) if self.recorder is not None else 0.0
        return at, elapsed(at)  # as the REC clock reads it (walk22: "Note at 00:04" beside "REC 0:00:07")

    def _typed_on(self, key: str, what: str) -> bool:
        """Just after a note, a letter or a space is likely the note's words typed on ("she said no"): a space
        paused the interview unseen and an "n" moved the prompt (QA S4's rest). Such a key is not taken then; the
        screen says so, and the same key a few seconds later does what it says."""
        if self._note is None and time.monotonic() - self._note_closed >= TYPING_ON_SECONDS:
            return False
        self.notify(f"Typed just after a note, so not taken: press {key} again in a few seconds to {what}", timeout=6)
        return True

    def action_next_prompt(self, key: str = "") -> None:
        if key and self._typed_on(key, "go to the next prompt"):
            return
        if self.recorder is not None:
            self._show_prompt(self.recorder.next_prompt())

    def action_previous_prompt(self) -> None:
        if self.recorder is not None:
            self._show_prompt(self.recorder.previous_prompt())

    def action_note(self) -> None:
        """The note is timed when m is pressed, not when typing it is done."""
        from fieldvault.tui.screens.ask import AskScreen

        recorder = self.recorder
        if recorder is None:
            return
        at, shown = self._at()
        asking = AskScreen(f"Note at {shown}", "e.g. she asked to pause; long silence")
        self._note = (at, asking)

        def save(text: str | None) -> None:
            self._note = None
            self._note_closed = time.monotonic()
            if text and text.strip() and recorder is self.recorder:
                recorder.journal.add(Event(at, "note", text.strip()))

        self.app.push_screen(asking, save)

    def action_pause(self) -> None:
        if self.recorder is None or self._typed_on("space", "pause or resume"):
            return
        if self.recorder.status().paused:
            self.recorder.resume()
        else:
            self.recorder.pause()

    def action_take_break(self) -> None:
        from fieldvault.tui.screens.safety import BreakOutcome, BreakScreen

        recorder = self.recorder
        if recorder is None or self._typed_on("b", "take a break"):
            return
        at, shown = self._at()
        recorder.pause()
        asking = BreakScreen(self.study, shown)
        self._break = (at, asking)

        def after(outcome: BreakOutcome | None) -> None:
            self._break = None
            if recorder is not self.recorder:
                return  # stopped meanwhile (quit, lost input)
            recorder.journal.add(Event(at, "break", outcome.reason if outcome else ""))
            if outcome is not None and outcome.then == "stop":
                self._finish()
            else:
                recorder.resume()

        self.app.push_screen(asking, after)

    def action_stop(self) -> None:
        from fieldvault.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._finish()

        # Just after a note, the interviewer may still be typing ("... when she says yes"): "s" of "says" opened
        # this, and "y" stopped the interview (QA S4). Then keys typed as it opens are not taken, and Enter keeps on.
        typing = time.monotonic() - self._note_closed < TYPING_ON_SECONDS
        asking = ConfirmScreen(
            "Stop the recording and seal it?", "Stop", "Keep recording", safe_default=typing, over_typing=typing
        )
        self.app.push_screen(asking, answered)

    # --- ending -------------------------------------------------------------------------------

    def quit_question(self) -> str | None:
        if self.recorder is None:
            return None
        question = f"A recording with {self.pseudonym} is running. Stop it, seal it and quit?"
        if self._note is not None and _typed(self._note[1]):
            question += " The note you are typing is kept with it."
        if self._break is not None:
            reason = self._break[1].reason
            question += f" The break is noted{f' (reason: {reason})' if reason else ''}."
        return question

    def stop_recording(self) -> RecordingSummary | None:
        """Stop and seal now (Quit, the app closing); safe to call when nothing runs. What an open dialog holds
        (a note being typed, a break's reason) is stored in the recording first (QA E9)."""
        self._stop_probe()
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return None
        self._keep_dialogs(recorder)
        return recorder.stop()

    def on_unmount(self) -> None:
        self.stop_recording()

    def _finish(self) -> None:
        """Stop, then seal in a worker: re-sealing a long stereo recording takes seconds."""
        self._stop_probe()
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return
        self._close_dialogs(recorder)
        self.query_one("#status", Label).update("Stopped. Sealing the recording…")
        self._seal(recorder)

    @work(thread=True, exclusive=True, exit_on_error=False, group="seal")
    def _seal(self, recorder: Recorder) -> None:
        summary = recorder.stop()
        self.app.call_from_thread(self._sealed, summary)

    def _sealed(self, summary: RecordingSummary) -> None:
        message = f"Recorded {elapsed(summary.seconds)} with {escape(self.pseudonym)}; sealed and encrypted"
        if summary.dropped_blocks:
            message += (
                f"; {summary.seconds_lost:.1f} s were lost when the recorder fell behind (silence stands there, "
                "marked in the transcript)"
            )
        message += ". Press f for field notes."
        if summary.unlogged:
            message = f"{escape(summary.unlogged)}. Press f for field notes."
        warned = summary.unlogged or summary.length_unstated
        self.notify(
            (escape(summary.problem) if summary.problem else message) + escape(_unstated(summary)),
            severity="error" if summary.problem else "warning" if warned else "information",
            timeout=10,
        )
        select = f"{self.pseudonym}/{summary.folder.name}"
        app = cast("FieldvaultApp", self.app)
        app.show_home(self.study, app.identities, select=select)

    def _keep_dialogs(self, recorder: Recorder) -> None:
        """Before the part is sealed: a note being typed goes into it at the time m was pressed (QA D11), a break
        under way is noted with the reason chosen so far (QA E9)."""
        if self._note is not None:
            at, asking = self._note
            text = _typed(asking)
            if text:
                recorder.journal.add(Event(at, "note", text))
                self.notify("The note you were typing is kept with the part recorded so far", timeout=10)
        if self._break is not None:
            at, breaking = self._break
            recorder.journal.add(Event(at, "break", breaking.reason))
        self._note = self._break = None

    def _close_dialogs(self, recorder: Recorder) -> None:
        """Keep what the dialogs hold, then close every dialog over this screen, so that Resume replaces it."""
        self._keep_dialogs(recorder)
        while self.app.screen is not self:
            self.app.pop_screen()

    def _ended_by_itself(self) -> None:
        """The input ended (unplugged) or the disk filled: seal, then offer to carry on where it stopped."""
        from fieldvault.tui.screens.confirm import ConfirmScreen

        recorder = self.recorder
        if recorder is None:
            return
        if recorder.source.finite:
            self._finish()
            return
        self._close_dialogs(recorder)
        prompt = recorder.status().prompt_index
        summary = self.stop_recording()
        assert summary is not None
        fix = (  # QA R11: a full disk was answered with "plug the microphone back in"
            "Free some space on the disk, then resume"
            if recorder.disk_full
            else "Plug the microphone back in and resume"
        )
        question = (
            f"{summary.problem or 'The recording stopped by itself'}. The first {elapsed(summary.seconds)} are "
            f"sealed.{_unstated(summary)} {fix}: recording carries on in a new part of this session, at the same "
            "prompt. Or finish the session here."
        )

        def answered(resume: bool | None) -> None:
            if resume:
                info = replace(self.info, continues=self.info.continues or summary.folder.name)
                self.app.switch_screen(RecordingScreen(self.study, self.pseudonym, info, prompt))
            else:
                select = f"{self.pseudonym}/{summary.folder.name}"
                cast("FieldvaultApp", self.app).show_home(
                    self.study, cast("FieldvaultApp", self.app).identities, select=select
                )

        self.app.push_screen(ConfirmScreen(question, "Resume", "Finish"), answered)


def _too_little(study: Study, fits: float) -> str:
    """Too little space to start, said with the time that fits and why (qa27 QC5: str.capitalize wrote "mib" and
    lowercased the kit's path, and "about 0 min" hid that the room kept to seal the recording is what is missing)."""
    free = shutil.disk_usage(study.root).free / 2**20
    reserve = DISK_RESERVE // 2**20
    room = f"about {fits:.0f} s of recording fit" if fits >= 1 else "no recording fits"
    return (
        f"Only {free:.0f} MiB free on the disk that holds {study.root}: {room}, as a recording stops while "
        f"{reserve} MiB are still free, so that it can be sealed. Free some space (or use another disk) before the "
        "interview."
    )


def _unstated(summary: RecordingSummary) -> str:
    """The sentence, after what went before, that the recording's length could not be re-sealed into it for lack of
    room, and what states it later (QA QC10); empty where it was."""
    said = summary.length_unstated
    return f" {said[0].upper()}{said[1:]}." if said else ""


def _typed(asking: AskScreen) -> str:
    """What is typed in a note dialog so far ("" once the dialog is gone)."""
    answer = asking.query(Input)
    return answer.first().value.strip() if answer else ""
