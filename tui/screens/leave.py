"""Leaving the editor with unsaved changes: save them, throw them away, or stay."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

SAVE, DISCARD, STAY = "save", "discard", "stay"


class LeaveScreen(ModalScreen[str]):
    BINDINGS = [
        ("s", "answer('save')", "Save"),
        ("d", "answer('discard')", "Discard"),
        ("escape", "answer('stay')", "Stay"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label("This transcript has unsaved changes.", id="question")
            with Horizontal(classes="row"):
                yield Button("Save a new version (s)", variant="primary", id=SAVE)
                yield Button("Discard them (d)", variant="error", id=DISCARD)
                yield Button("Stay (Esc)", id=STAY)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or STAY)

    def action_answer(self, value: str) -> None:
        self.dismiss(value)
