"""The home screen: participants and their sessions, how far each has come, and the session actions."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from fieldvault import layout
from fieldvault.capture.recorder import find_interrupted
from fieldvault.errors import FieldvaultError
from fieldvault.layout import AUDIO, TRANSCRIPT
from fieldvault.overview import overview
from fieldvault.study import Study
from fieldvault.tui.errors import USER_ERRORS, user_message


class HomeScreen(Screen[None]):
    BINDINGS = [
        ("n", "new_session", "New participant"),
        ("r", "record", "Record again"),
        ("p", "play", "Play/stop"),
        ("t", "transcribe", "Transcribe"),
        ("v", "review", "Review identifiers"),
        ("o", "edit", "Edit transcript"),
        ("e", "export", "Export"),
        ("w", "withdraw", "Withdraw participant"),
        ("f5", "refresh", "Refresh"),
        ("ctrl+l", "app.lock", "Lock"),
        ("ctrl+q", "app.quit", "Quit"),
    ]

    def __init__(self, study: Study, locked: bool) -> None:
        super().__init__()
        self.study = study
        self.locked = locked
        self.playing = False

    def compose(self) -> ComposeResult:
        yield Header()
        mode = "field kit (public keys only)" if self.study.is_field_kit else ("locked" if self.locked else "unlocked")
        yield Label(f"{self.study.config.title}  ·  IRB {self.study.config.irb or '-'}  ·  {mode}", id="study-banner")
        table: DataTable[str] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        table.add_columns("Participant", "Session", "State")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()
        self._offer_recovery()

    def action_refresh(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.clear()
        try:
            people = overview(self.study)
        except FieldvaultError as err:  # a damaged audit log: name its line instead of crashing
            self.notify(str(err), severity="error", timeout=30)
            people = []
        for person in people:
            if not person.sessions:
                table.add_row(person.pseudonym, "-", "no session yet", key=person.pseudonym)
            for session in person.sessions:
                table.add_row(
                    person.pseudonym, session.session, session.state.value, key=f"{person.pseudonym}/{session.session}"
                )
        if not people:
            table.add_row("(no participants yet: press n)", "", "")

    def _selected(self) -> tuple[str, str] | None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if not key:
            return None
        pseudonym, _, session = key.partition("/")
        return pseudonym, session

    # --- sessions -----------------------------------------------------------------------------

    def action_new_session(self) -> None:
        from fieldvault.tui.screens.letter import LetterScreen

        try:
            screen = LetterScreen.for_study(self.study)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            return
        self.app.push_screen(screen)

    def action_record(self) -> None:
        from fieldvault.tui.screens.recording import RecordingScreen

        selected = self._selected()
        if selected is None:
            self.notify("Select a participant first, or press n for a new one", severity="warning")
            return
        self.app.push_screen(RecordingScreen(self.study, selected[0]))

    def action_transcribe(self) -> None:
        from fieldvault.tui.screens.transcription import TranscriptionScreen

        if self.study.is_field_kit or self.locked:
            self.notify(
                "Transcribing needs the study key: unlock the study on the trusted machine",
                severity="warning",
                timeout=8,
            )
            return
        self.app.push_screen(TranscriptionScreen(self.study), lambda _: self.action_refresh())

    def action_review(self) -> None:
        from fieldvault.tui.screens.review import ReviewScreen

        selected = self._selected()
        if self.study.is_field_kit or self.locked:
            self.notify("Reviewing needs the study key: unlock the study on the trusted machine", severity="warning")
            return
        if selected is None or not selected[1] or not (self._folder(selected) / TRANSCRIPT).exists():
            self.notify("Select a transcribed session first (press t to transcribe)", severity="warning")
            return
        try:
            screen = ReviewScreen(self.study, selected[0], selected[1], self.app.identities)  # type: ignore[attr-defined]
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error")
            return
        self.app.push_screen(screen, lambda _: self.action_refresh())

    def action_edit(self) -> None:
        from fieldvault.tui.screens.editor import EditorScreen

        selected = self._selected()
        if self.study.is_field_kit or self.locked:
            self.notify("Editing needs the study key: unlock the study on the trusted machine", severity="warning")
            return
        if selected is None or not selected[1] or not (self._folder(selected) / TRANSCRIPT).exists():
            self.notify("Select a transcribed session first (press t to transcribe)", severity="warning")
            return
        try:
            screen = EditorScreen(self.study, selected[0], selected[1], self.app.identities)  # type: ignore[attr-defined]
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error")
            return
        self.app.push_screen(screen, lambda _: self.action_refresh())

    def action_withdraw(self) -> None:
        from fieldvault.tui.screens.withdraw import WithdrawScreen

        selected = self._selected()
        if self.study.is_field_kit or self.locked or selected is None:
            self.notify("Withdrawing needs the unlocked study on the trusted machine, and a participant selected")
            return

        def withdrawn(done: str | None) -> None:
            if done:
                self.notify(done, timeout=15)
            self.action_refresh()

        screen = WithdrawScreen(self.study, selected[0], self.app.identities)  # type: ignore[attr-defined]
        self.app.push_screen(screen, withdrawn)

    def action_export(self) -> None:
        from fieldvault.tui.screens.export import ExportScreen

        if self.study.is_field_kit or self.locked:
            self.notify("Exporting needs the study key: unlock the study on the trusted machine", severity="warning")
            return
        self.app.push_screen(ExportScreen(self.study), lambda _: self.action_refresh())

    def action_play(self) -> None:
        from fieldvault.capture import playback

        if self.playing:
            playback.stop()
            self.playing = False
            return
        if self.study.is_field_kit or self.locked:
            self.notify(
                "This copy cannot play recordings back: it holds no private key, so that a lost laptop "
                "reveals nothing. Listen on the trusted machine.",
                severity="information",
                timeout=10,
            )
            return
        selected = self._selected()
        if selected is None or not selected[1] or not (self._folder(selected) / AUDIO).exists():
            self.notify("Select a recorded session first", severity="warning")
            return
        self._play(self._folder(selected))

    def _folder(self, selected: tuple[str, str]) -> Path:
        return layout.session(self.study.root, selected[0], selected[1])

    @work(thread=True, exclusive=True, exit_on_error=False, group="playback")
    def _play(self, folder: Path) -> None:
        from fieldvault.audiofile import load_pcm
        from fieldvault.capture import playback

        try:
            fmt, samples = load_pcm(self.study, folder, self.app.identities)  # type: ignore[attr-defined]
            playback.play(fmt, samples)
            self.playing = True
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, user_message(err), severity="error", timeout=8)

    # --- recovery -----------------------------------------------------------------------------

    def _offer_recovery(self) -> None:
        from fieldvault.tui.screens.confirm import ConfirmScreen

        interrupted = find_interrupted(self.study)
        if not interrupted:
            return
        if self.locked or self.study.is_field_kit:
            self.notify(
                f"{len(interrupted)} recording(s) were cut off by a crash. They are kept as they are; "
                "run recover on the trusted machine to re-seal them.",
                severity="warning",
                timeout=15,
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._recover()

        self.app.push_screen(
            ConfirmScreen(
                f"{len(interrupted)} recording(s) were cut off by a crash. Re-seal them "
                "now, keeping every intact second?",
                "Recover",
                "Later",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="recover")
    def _recover(self) -> None:
        from fieldvault.capture.salvage import describe, salvage

        try:
            salvaged = salvage(self.study, self.app.identities)  # type: ignore[attr-defined]
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, user_message(err), severity="error", timeout=10)
            return
        for item in salvaged:
            self.app.call_from_thread(self.notify, describe(item), timeout=15)
        self.app.call_from_thread(self.action_refresh)
