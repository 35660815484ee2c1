"""Step 4: names of people and places she may mention, kept encrypted and used by redaction.
Saving here stores the participant; the recording screen follows.

Her pseudonym may turn out to be on this list (or on another's): it is refused here, and she chooses another
one here (Ctrl+N), checked as the pseudonym step checks it, so the consent record and her answers are kept."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Label, Static, TextArea

from fieldvault.errors import ListedPseudonym
from fieldvault.participants import add_participant, check_new_participant, others_on_her_list, parse_identifier_lines
from fieldvault.sessioninfo import FIRST, SessionInfo
from fieldvault.study import Study
from fieldvault.tui.draft import SessionDraft
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.screens.step import WizardStep

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp

ANOTHER = "Ctrl+N: she chooses another pseudonym here; the consent record and her answers are kept"


class IdentifiersScreen(WizardStep):
    SUB_TITLE = "New participant: known identifiers"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+n", "another_pseudonym", "Another pseudonym"),
    ]

    STEP = "identifiers"

    def __init__(self, study: Study, draft: SessionDraft) -> None:
        super().__init__()
        self.study, self.draft = study, draft

    def typed(self) -> dict[str, object]:
        return {"identifiers": self.query_one("#identifiers", TextArea).text}

    def put_back(self, typed: dict[str, object]) -> None:
        self.query_one("#identifiers", TextArea).text = str(typed.get("identifiers", ""))

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel"):
            yield Label("Known identifiers", classes="title")
            yield Label(self._pseudonym_line(), id="pseudonym-now", markup=False)
            yield Static(
                "Names of people, street names, places she may mention, one per line. "
                "Optionally 'LOCATION: Van Buren Street' (PERSON, LOCATION, ORG, CONTACT, DATE, ID). "
                "They are stored encrypted and removed from transcripts."
            )
            yield TextArea(id="identifiers")
            yield Button("Save participant and set up recording", variant="primary", id="save")
        yield Footer(show_command_palette=False)

    def _pseudonym_line(self) -> str:
        return f"Pseudonym: {self.draft.pseudonym}   (Ctrl+N if she chooses another)"

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        from fieldvault.tui.screens.recording import RecordingScreen

        assert self.draft.consent is not None
        try:
            identifiers = parse_identifier_lines(self.query_one("#identifiers", TextArea).text)
            keys = cast("FieldvaultApp", self.app).identities
            add_participant(self.study, self.draft.pseudonym, self.draft.answers, self.draft.consent, identifiers, keys)
        except ListedPseudonym as err:
            self.notify(f"{user_message(err)}. {ANOTHER}", severity="error", timeout=20)
            return
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=8)
            return
        if said := others_on_her_list(self.study, self.draft.pseudonym, [i.text for i in identifiers]):
            self.notify(said[0].upper() + said[1:], severity="warning", markup=False, timeout=30)
        self.next_step(RecordingScreen(self.study, self.draft.pseudonym, SessionInfo(FIRST)))

    def action_another_pseudonym(self) -> None:
        from fieldvault.tui.screens.ask import AskScreen

        asking = AskScreen(
            "Another pseudonym she chooses", "pseudonym", f"Enter uses it, Esc keeps {self.draft.pseudonym}"
        )
        self.app.push_screen(asking, self._chosen)

    def _chosen(self, typed: str | None) -> None:
        """Check the new pseudonym as the pseudonym step does, against her list as typed here too; nothing is
        stored until Save."""
        if not typed:
            return
        try:
            own = [i.text for i in parse_identifier_lines(self.query_one("#identifiers", TextArea).text)]
        except USER_ERRORS as err:  # the new pseudonym is checked against her list: it must be readable first
            self.notify(f"{user_message(err)}; then Ctrl+N again", severity="error", timeout=20)
            return
        try:
            pseudonym = check_new_participant(self.study, typed, own, cast("FieldvaultApp", self.app).identities)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=20)
            self.action_another_pseudonym()  # she may choose again at once; Esc keeps the one she had
            return
        self.draft.pseudonym = pseudonym
        self.query_one("#pseudonym-now", Label).update(self._pseudonym_line())
        self.notify(f"Her pseudonym is now {pseudonym}; Ctrl+S saves her (nothing is stored before)", markup=False)
