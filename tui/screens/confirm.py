"""A yes/no question over the current screen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from fieldvault.tui.screens.graced import GracedModal


class ConfirmScreen(GracedModal[bool]):
    BINDINGS = [("y", "answer(True)", "Yes"), ("n,escape", "answer(False)", "No")]

    def __init__(
        self,
        question: str,
        yes: str = "Yes",
        no: str = "No",
        purpose: str = "",
        safe_default: bool = False,
        over_typing: bool = False,
    ) -> None:
        """``safe_default``: focus rests on No, so that Enter or space typed on changes nothing; ``over_typing``: it
        pops up over a text box people are typing into (QA S4), so keys typed as it opens are not taken
        (GracedModal)."""
        super().__init__()
        self.safe_default, self.over_typing = safe_default, over_typing
        self.question, self.yes, self.no = question, yes, no
        self.purpose = purpose  # lets the app tell its own quit question from any other

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Static(self.question, id="question", markup=False)  # wraps; never cut off
            with Horizontal(classes="row"):
                yield Button(f"{self.yes} (y)", variant="primary", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.safe_default:
            self.query_one("#no", Button).focus()

    def in_grace(self) -> bool:
        return self.over_typing and super().in_grace()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if self.in_grace():
            return
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
