"""Ask for a person's substitute name over the review screen. Where one is stored, it says which, and Ctrl+D (or
its button) clears it once a yes/no over this dialog confirms: exports then print the placeholder again. This screen
only asks; the review screen checks the name and stores what was chosen."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

SET, CLEAR = "set", "clear"
PLACEHOLDER = "[PERSON n]"  # numbered at export: the first export that names a person gives her the next number


@dataclass(frozen=True)
class Answer:
    action: str  # SET (the name typed) or CLEAR (the stored one)
    name: str = ""


def exported_as(stored: str | None) -> str:
    """What exports print for a person, in the words the review screen and this dialog use."""
    return f'exported as "{stored}" (a substitute name)' if stored else f"exported as {PLACEHOLDER}, a placeholder"


class SubstituteScreen(ModalScreen[Answer | None]):
    """Dismisses with the name typed (Enter), CLEAR (Ctrl+D, confirmed), or None (Esc)."""

    # Priority: Ctrl+D is the input's delete-right, and the input has the focus.
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+d", "clear", "Clear the substitute", priority=True),
    ]

    def __init__(self, stored: str | None, mentions: int) -> None:
        """``stored``: the substitute name stored for this person, if any; ``mentions``: how many spans are hers."""
        super().__init__()
        self.stored, self.mentions = stored, mentions

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Static(self._question(), id="question", markup=False)
            yield Input(placeholder="e.g. Lisa", id="answer")
            if self.stored:
                yield Button(f'Clear "{self.stored}" (ctrl+d)', id="clear")

    def _question(self) -> str:
        if not self.stored:
            return (
                f"Substitute name for this person: exports print it instead of {PLACEHOLDER} (Enter saves, Esc cancels)"
            )
        return (
            f"This person is {exported_as(self.stored)} instead of {PLACEHOLDER}. Type another name and press Enter "
            f"to change it; Ctrl+D clears it, so that exports print {PLACEHOLDER} again; Esc keeps it"
        )

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(Answer(SET, event.value) if event.value.strip() else None)

    @on(Button.Pressed, "#clear")
    def _clear_pressed(self) -> None:
        self.action_clear()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_clear(self) -> None:
        from fieldvault.tui.screens.confirm import ConfirmScreen

        if not self.stored:
            self.notify("No substitute name is stored for this person: there is nothing to clear", severity="warning")
            return
        mentions = f"{self.mentions} mention{'' if self.mentions == 1 else 's'}"

        def answered(sure: bool | None) -> None:
            if sure:
                self.dismiss(Answer(CLEAR))

        question = (
            f'Clear the substitute name "{self.stored}"? Every export then prints this person as {PLACEHOLDER} '
            f"again ({mentions} in this transcript)."
        )
        self.app.push_screen(ConfirmScreen(question, "Clear it", f'Keep "{self.stored}"', safe_default=True), answered)
