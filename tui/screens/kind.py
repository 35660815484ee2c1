"""Starting a later session with someone already in the study: choose its kind (follow-up interview or
member check), then confirm her consent again, aloud, before the names step (tui.screens.addnames) and the recording
screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Label, Markdown

from fieldvault.participants import reconfirmation_documents
from fieldvault.sessioninfo import FIRST, FOLLOW_UP, KINDS, MEMBER_CHECK, Reconfirmation, SessionInfo
from fieldvault.study import Study
from fieldvault.templates import FilledDocument
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.screens.letter import letter_version_line

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp


class KindScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("1", "one", "Follow-up interview (her first, where she has none)"),
        Binding("2", "choose('member-check')", "Member check"),
        Binding("3", "choose('first')", "First interview"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, study: Study, pseudonym: str, first_allowed: bool) -> None:
        super().__init__()
        self.study, self.pseudonym, self.first_allowed = study, pseudonym, first_allowed

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label(f"A new session with {escape(self.pseudonym)}: which kind?", classes="title")
            with Horizontal(classes="row"):
                if self.first_allowed:  # no session of hers yet: nothing to follow up or check (QA S12)
                    yield Button("1 First interview", variant="primary", id=FIRST)
                else:
                    yield Button("1 Follow-up", variant="primary", id=FOLLOW_UP)
                    yield Button("2 Member check", id=MEMBER_CHECK)
            yield Label(
                "She has no session yet. Esc cancels." if self.first_allowed else "Esc cancels.", classes="hint"
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":  # a first interview only for a woman with none; the others only after one
            return (parameters == (FIRST,)) == self.first_allowed
        return True

    def action_one(self) -> None:
        """1 is the first button: her first interview where she has no session (a habitual 1 filed it as a
        follow-up and read her the re-consent script, "you have the letter from last time": QA S12)."""
        self.action_choose(FIRST if self.first_allowed else FOLLOW_UP)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(str(event.button.id))

    def action_choose(self, kind: str) -> None:
        from fieldvault.tui.screens.recording import RecordingScreen

        if kind == FIRST:
            self.app.switch_screen(RecordingScreen(self.study, self.pseudonym, SessionInfo(FIRST)))
            return
        try:  # refused on a field kit whose letter was changed: she would hear its support line again (QA R20)
            letter, script = reconfirmation_documents(self.study)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=10)
            return
        self.app.switch_screen(ReconfirmScreen(self.study, self.pseudonym, kind, script, letter.version))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReconfirmScreen(Screen[None]):
    SUB_TITLE = "Consent, again"
    BINDINGS = [
        Binding("ctrl+g", "given", "Consent confirmed"),
        Binding("escape", "cancel", "Cancel session"),
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, study: Study, pseudonym: str, kind: str, script: FilledDocument, letter: str) -> None:
        super().__init__()
        self.study, self.pseudonym, self.kind, self.script, self.letter = study, pseudonym, kind, script, letter

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(f"{KINDS[self.kind].capitalize()} with {escape(self.pseudonym)}", classes="title", id="kind-title")
        yield Label(letter_version_line(self.letter), classes="hint", id="letter-version")
        with VerticalScroll(id="letter"):
            yield Markdown(self.script.text)
        with Horizontal(classes="row"):
            yield Button("Consent confirmed again, verbally", variant="primary", id="given")
            yield Button("She declines: cancel", id="cancel")
        yield Footer(show_command_palette=False)

    @on(Button.Pressed, "#given")
    def action_given(self) -> None:
        from fieldvault.tui.screens.addnames import AddNamesScreen

        again = Reconfirmation.verbal(self.script.version, self.study.clock())
        # then the names she gives now, as `n` asks for her first list (QA T5)
        self.app.switch_screen(AddNamesScreen(self.study, self.pseudonym, SessionInfo(self.kind, again)))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        cast("FieldvaultApp", self.app).show_home(
            self.study, cast("FieldvaultApp", self.app).identities, select=self.pseudonym
        )
