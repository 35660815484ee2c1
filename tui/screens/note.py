"""Type a short timestamped note during a recording."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class NoteScreen(ModalScreen[str]):
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, at: float) -> None:
        super().__init__()
        self.at = at

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label(f"Note at {int(self.at) // 60:02d}:{int(self.at) % 60:02d} (Enter saves, Esc cancels)")
            yield Input(placeholder="e.g. she asked to pause; long silence", id="note")

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss("")
