"""Ask for one short line of text over the current screen (a note, a substitute name)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class AskScreen(ModalScreen[str]):
    """Dismisses with the text typed, or "" when cancelled."""

    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, question: str, placeholder: str = "", keys: str = "Enter saves, Esc cancels") -> None:
        super().__init__()
        self.question, self.placeholder, self.keys = question, placeholder, keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label(f"{self.question} ({self.keys})", markup=False)
            yield Input(placeholder=self.placeholder, id="answer")

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss("")
