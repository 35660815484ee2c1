"""A yes/no question over the current screen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [("y", "answer(True)", "Yes"), ("n,escape", "answer(False)", "No")]

    def __init__(
        self, question: str, yes: str = "Yes", no: str = "No", purpose: str = "", safe_default: bool = False
    ) -> None:
        """``safe_default``: focus rests on No, so that Enter or space typed on by mistake changes nothing."""
        super().__init__()
        self.safe_default = safe_default
        self.question, self.yes, self.no = question, yes, no
        self.purpose = purpose  # lets the app tell its own quit question from any other

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Static(self.question, id="question", markup=False)  # wraps; never cut off
            with Horizontal(classes="row"):
                yield Button(f"{self.yes} (y)", variant="primary", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def on_screen_resume(self) -> None:
        if self.safe_default:
            self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
