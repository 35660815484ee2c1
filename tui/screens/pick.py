"""Pick one of a few choices over the current screen (a transcription tag, the prompt that was asked)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static


class PickScreen(ModalScreen[int | None]):
    """Dismisses with the index of the choice, or None when cancelled."""

    BINDINGS = [
        ("escape", "cancel", "Cancel"),
        Binding("question_mark", "app.help", "Help", key_display="?"),  # a modal screen hides the app's
    ]

    def __init__(self, question: str, choices: list[str]) -> None:
        super().__init__()
        self.question, self.choices = question, choices
        self.sub_title = question  # the help panel's title

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Static(f"{self.question} (↑↓ and Enter, Esc cancels)", markup=False, id="question")
            yield OptionList(*self.choices, id="choices")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)
