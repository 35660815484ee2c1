"""A draft an earlier screen kept and never saved (fieldvault.drafts), offered back: what it holds, and what to do
with it. Leaving it (Esc) keeps it where it is; nothing is dropped without a key pressed for it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

PUT_BACK, DISCARD, SAVE, LEAVE = "put-back", "discard", "save", "leave"
_LABELS = {PUT_BACK: "Put back to finish (p)", DISCARD: "Discard (d)", SAVE: "Save it as it is (s)"}


class DraftOfferScreen(ModalScreen[str]):
    BINDINGS = [
        Binding("p", f"answer('{PUT_BACK}')", "Put back"),
        Binding("d", f"answer('{DISCARD}')", "Discard"),
        Binding("s", f"answer('{SAVE}')", "Save"),
        Binding("escape", f"answer('{LEAVE}')", "Leave it"),
    ]

    def __init__(self, question: str, text: str | None, choices: tuple[str, ...]) -> None:
        """``text``: what the draft holds, shown whole (scrolls); None where this copy cannot read it (a kit)."""
        super().__init__()
        self.question, self.text, self.choices = question, text, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog", id="draft-offer"):
            yield Static(self.question, id="question", markup=False)
            if self.text is not None:
                with VerticalScroll(id="draft-text"):
                    yield Static(self.text, markup=False)
            with Horizontal(classes="row"):
                for choice in self.choices:
                    yield Button(
                        _LABELS[choice], variant="primary" if choice == self.choices[0] else "default", id=choice
                    )
                yield Button("Leave it (Esc)", id=LEAVE)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "answer" or parameters[0] in (*self.choices, LEAVE)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or LEAVE)

    def action_answer(self, value: str) -> None:
        self.dismiss(value)
