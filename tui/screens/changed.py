"""The editor's save found the transcript changed under it where the editor changed it too (QA E15): put these
changes on top, or go on from the other version; either way the other side is kept as a version. Or stay."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

MINE, THEIRS, STAY = "mine", "theirs", "stay"


class ChangedScreen(ModalScreen[str]):
    BINDINGS = [
        ("m", "answer('mine')", "Mine on top"),
        ("o", "answer('theirs')", "Go on from the other"),
        ("escape", "answer('stay')", "Stay"),
    ]

    def __init__(self, why: str) -> None:
        super().__init__()
        self.why = why

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Static(self.why, id="question", markup=False)
            with Horizontal(classes="row"):
                yield Button("Save mine on top (m)", variant="primary", id=MINE)
                yield Button("Go on from the other (o)", id=THEIRS)
                yield Button("Stay (Esc)", id=STAY)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or STAY)

    def action_answer(self, value: str) -> None:
        self.dismiss(value)
