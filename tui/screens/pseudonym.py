"""Step 2: the participant's chosen pseudonym, checked before anything is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Header, Input, Label, Static

from fieldvault.participants import check_new_participant
from fieldvault.study import Study
from fieldvault.tui.draft import SessionDraft
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.screens.step import WizardStep

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp


class PseudonymScreen(WizardStep):
    STEP = "pseudonym"
    SUB_TITLE = "New participant: pseudonym"

    def __init__(self, study: Study, draft: SessionDraft) -> None:
        super().__init__()
        self.study, self.draft = study, draft

    def typed(self) -> dict[str, object]:
        return {"pseudonym": self.query_one("#pseudonym", Input).value}

    def put_back(self, typed: dict[str, object]) -> None:
        self.query_one("#pseudonym", Input).value = str(typed.get("pseudonym", ""))

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel"):
            yield Label("Pseudonym", classes="title")
            yield Static("Ask her to choose a name for the study: not her real name, nor a name people know her by.")
            yield Input(placeholder="pseudonym", id="pseudonym")
            yield Label("Enter continues.", classes="hint")
        yield Footer(show_command_palette=False)

    @on(Input.Submitted, "#pseudonym")
    def _chosen(self, event: Input.Submitted) -> None:
        from fieldvault.tui.screens.questionnaire import QuestionnaireScreen

        try:
            pseudonym = check_new_participant(self.study, event.value, [], cast("FieldvaultApp", self.app).identities)
            self.draft.pseudonym = pseudonym
            screen = QuestionnaireScreen(self.study, self.draft)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=8)
            return
        self.next_step(screen)
