"""A later session's names step, after her consent is confirmed again: the people and places she names since her last
interview (a new partner, the town she moved to) are added to her list of names she may mention (QA T5), as `n`'s
identifiers step seals her first list; nothing on it is changed. Empty, the recording screen follows at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static, TextArea

from fieldvault.lists import LOCKED_APPEND, MAX_LIST, append_to_list, long_list
from fieldvault.participants import parse_identifier_lines
from fieldvault.sessioninfo import KINDS, SessionInfo
from fieldvault.study import Study
from fieldvault.tui.errors import USER_ERRORS, user_message

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp

ON_KIT = "This kit cannot read her list: it seals them beside it, for merge-kit to add."
LOCKED = "The study is locked, so her list cannot be read: they are sealed beside it, and the next unlock adds them."


class AddNamesScreen(Screen[None]):
    SUB_TITLE = "Names she may mention now"
    BINDINGS = [
        Binding("ctrl+s", "save", "Add names, then record"),
        Binding("escape", "cancel", "Cancel session"),
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, study: Study, pseudonym: str, info: SessionInfo) -> None:
        super().__init__()
        self.study, self.pseudonym, self.info = study, pseudonym, info

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel"):
            yield Label(
                f"{KINDS[self.info.kind].capitalize()} with {escape(self.pseudonym)}: new names", classes="title"
            )
            yield Static(
                "People and places she has named since her last interview (a new partner, the town she moved to), one "
                "per line as on her first list. Added to her list, encrypted; nothing on it changes. None: Ctrl+S."
                + (f" {ON_KIT}" if self.study.is_field_kit else f" {LOCKED}" if self.locked() else ""),
                classes="hint",
                markup=False,
            )
            yield TextArea(id="identifiers")
        yield Footer(show_command_palette=False)

    def locked(self) -> bool:
        return self.study.study_identity(cast("FieldvaultApp", self.app).identities) is None

    def on_mount(self) -> None:
        self.query_one("#identifiers", TextArea).focus()

    def action_save(self) -> None:
        from fieldvault.tui.screens.recording import RecordingScreen

        keys = cast("FieldvaultApp", self.app).identities
        try:
            identifiers = parse_identifier_lines(self.query_one("#identifiers", TextArea).text)
            done = append_to_list(self.study, self.pseudonym, identifiers, keys) if identifiers else None
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=20)
            return
        if done is not None:
            had = f" ({done.already} she had already, left out)" if done.already else ""
            where = "sealed for her list (merge-kit adds them)" if done.on_kit else "added to her list"
            where = f"sealed for her list: {LOCKED_APPEND}" if done.locked else where
            self.notify(f"{done.added} name(s) {where}{had}", markup=False, timeout=10)
            if done.holds is not None and done.holds > MAX_LIST:
                self.notify(long_list(done.pseudonym, done.holds), markup=False, timeout=10)
            if done.warning:
                self.notify(done.warning[0].upper() + done.warning[1:], severity="warning", markup=False, timeout=30)
        self.app.switch_screen(RecordingScreen(self.study, self.pseudonym, self.info))

    def action_cancel(self) -> None:
        """Esc asks first (QA V9: an Esc meant to close an error toast threw away the names she had just given and her
        consent confirmed again); No, Enter or space keep everything typed here."""
        from fieldvault.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                app = cast("FieldvaultApp", self.app)
                app.show_home(self.study, app.identities, select=self.pseudonym)
                app.notify(f"The session with {self.pseudonym} was cancelled: nothing of it was stored", markup=False)

        lost = (
            "her consent confirmed again and the names typed here" if self._typed() else "her consent confirmed again"
        )
        question = f"Cancel this session? Nothing of it is stored yet: {lost} would be lost."
        self.app.push_screen(
            ConfirmScreen(question, "Cancel session", "Go on", safe_default=True, over_typing=True), answered
        )

    def _typed(self) -> bool:
        return bool(self.query_one("#identifiers", TextArea).text.strip())

    def quit_question(self) -> str | None:
        if not self._typed():
            return None
        return "The names typed here are not added to her list yet: they would be lost. Quit?"

    def lock_question(self) -> str | None:
        """Asked before a lock closes this step, as `n`'s steps ask on a kit (qa29 QE16: Ctrl+L dropped her consent
        confirmed again and her names at once): nothing of it is stored yet, and a lock keeps none of it."""
        lost = (
            "her consent confirmed again and the names typed here" if self._typed() else "her consent confirmed again"
        )
        return f"This {KINDS[self.info.kind]} is not saved yet: {lost} would be lost. Lock?"

    def keep_for_lock(self) -> str | None:
        return f"The {KINDS[self.info.kind]} with {self.pseudonym} being set up was not saved: start it again with r."
