"""Step 4: names of people and places she may mention, kept encrypted and used by redaction.
Saving here stores the participant; the recording screen follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Label, Static, TextArea

from fieldvault.participants import add_participant, parse_identifier_lines
from fieldvault.sessioninfo import FIRST, SessionInfo
from fieldvault.study import Study
from fieldvault.tui.draft import SessionDraft
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.screens.step import WizardStep

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp


class IdentifiersScreen(WizardStep):
    SUB_TITLE = "New participant: known identifiers"
    BINDINGS = [("ctrl+s", "save", "Save")]

    def __init__(self, study: Study, draft: SessionDraft) -> None:
        super().__init__()
        self.study, self.draft = study, draft

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel"):
            yield Label("Known identifiers", classes="title")
            yield Static(
                "Names of people, street names, places she may mention, one per line. "
                "Optionally 'LOCATION: Van Buren Street' (PERSON, LOCATION, ORG, CONTACT, DATE, ID). "
                "They are stored encrypted and removed from transcripts."
            )
            yield TextArea(id="identifiers")
            yield Button("Save participant and set up recording", variant="primary", id="save")
        yield Footer(show_command_palette=False)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        from fieldvault.tui.screens.recording import RecordingScreen

        assert self.draft.consent is not None
        try:
            identifiers = parse_identifier_lines(self.query_one("#identifiers", TextArea).text)
            keys = cast("FieldvaultApp", self.app).identities
            add_participant(self.study, self.draft.pseudonym, self.draft.answers, self.draft.consent, identifiers, keys)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=8)
            return
        self.app.switch_screen(RecordingScreen(self.study, self.draft.pseudonym, SessionInfo(FIRST)))
