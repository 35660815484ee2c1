"""Step 1 of a session: show the filled information letter and the verbal-consent script, then record
that the letter was given and consent was given. No signature and no name is ever taken."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Label, Markdown

from fieldvault.participants import ConsentRecord, consent_documents
from fieldvault.study import Study
from fieldvault.templates import FilledDocument
from fieldvault.tui.draft import SessionDraft
from fieldvault.tui.screens.step import WizardStep


def letter_version_line(version: str) -> str:
    """What every consent screen shows of the letter: its version, as `field-kit` printed it and the printed letter
    carries it, for the interviewer to compare before reading it to her (QA R20)."""
    return f"Information letter {version}: the same version as on the printed letter you hand her?"


class LetterScreen(WizardStep):
    STEP = "letter"
    SUB_TITLE = "New participant: information letter"
    BINDINGS = [("ctrl+g", "given", "Letter given, consent given")]

    def __init__(self, study: Study, letter: FilledDocument, script: FilledDocument) -> None:
        super().__init__()
        self.study, self.letter, self.script = study, letter, script

    @classmethod
    def for_study(cls, study: Study) -> LetterScreen:
        """Fill both documents now, so a missing study.toml setting is reported before anything starts."""
        return cls(study, *consent_documents(study))

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(letter_version_line(self.letter.version), classes="hint", id="letter-version")
        with VerticalScroll(id="letter"):
            yield Markdown(self.letter.text)
            yield Markdown(self.script.text)
        with Horizontal(classes="row"):
            yield Button("Letter given, verbal consent given", variant="primary", id="given")
            yield Button("Cancel", id="cancel")
        yield Footer(show_command_palette=False)

    @on(Button.Pressed, "#given")
    def action_given(self) -> None:
        from fieldvault.tui.screens.pseudonym import PseudonymScreen

        consent = ConsentRecord.verbal(self.letter.version, self.script.version, self.study.clock())
        self.app.switch_screen(PseudonymScreen(self.study, SessionDraft(consent=consent)))

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def quit_question(self) -> str | None:
        return None  # nothing has been gathered yet

    def action_cancel(self) -> None:
        self.app.pop_screen()
