"""A draft an earlier screen kept and never saved (fieldvault.drafts), offered back: what it holds, and what to do
with it. Leaving it (Esc) keeps it where it is; nothing is dropped without a key pressed for it.

The offer opens over a text box, on a screen people start typing into at once (QA S4: one typed "d" was Discard).
So keys typed in its first moments are not taken as choices (GracedModal); Discard is no plain letter but Ctrl+D or
its button, and asks again; focus rests on Leave it; the draft discarded is set aside (fieldvault.drafts.discard)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from fieldvault.tui.screens.graced import DISCARD, AskedDiscard

PUT_BACK, SAVE, LEAVE = "put-back", "save", "leave"
_LABELS = {PUT_BACK: "Put back to finish (p)", DISCARD: "Discard… (Ctrl+D)", SAVE: "Save it as it is (s)"}


class DraftOfferScreen(AskedDiscard):
    AUTO_FOCUS = f"#{LEAVE}"  # Enter or space typed on finds the choice that changes nothing
    DISCARD_ASKS = (
        "Discard this draft? It is not offered again: it is set aside, encrypted, beside the notes (check names it, "
        "a backup keeps it), should it be needed after all."
    )
    KEEP = "Keep it"
    FALLBACK = LEAVE
    BINDINGS = [
        Binding("p", f"answer('{PUT_BACK}')", "Put back"),
        Binding("ctrl+d", "discard", "Discard"),
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
                    first = choice == self.choices[0]
                    yield Button(
                        _LABELS[choice],
                        variant="error" if choice == DISCARD else "primary" if first else "default",
                        id=choice,
                    )
                yield Button("Leave it (Esc)", id=LEAVE)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "discard":
            return DISCARD in self.choices
        return action != "answer" or parameters[0] in (*self.choices, LEAVE)
