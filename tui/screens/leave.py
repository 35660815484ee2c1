"""Leaving the editor with unsaved changes: save them, set them aside, or stay.

It pops up over the transcript, where people type (QA S4: "and" typed on after an Esc pressed by mistake took "d" as
Discard and every unsaved correction went). Keys typed as it opens are not taken (GracedModal); focus rests on Stay;
Discard is no plain letter but Ctrl+D or its button, and asks again; the editor then sets the changes aside in
versions/ (``autosave-kept-*``), never destroys them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from fieldvault.tui.screens.graced import DISCARD, AskedDiscard

SAVE, STAY = "save", "stay"


class LeaveScreen(AskedDiscard):
    AUTO_FOCUS = f"#{STAY}"
    DISCARD_ASKS = (
        "Discard the unsaved changes and leave? They are set aside, encrypted, in the session's versions/ folder "
        "(autosave-kept-…), not destroyed."
    )
    KEEP = "Stay"
    FALLBACK = STAY
    BINDINGS = [
        Binding("s", "answer('save')", "Save"),
        Binding("ctrl+d", "discard", "Discard"),
        Binding("escape", "answer('stay')", "Stay"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label("This transcript has unsaved changes.", id="question")
            with Horizontal(classes="row"):
                yield Button("Save a new version (s)", variant="primary", id=SAVE)
                yield Button("Discard them… (Ctrl+D)", variant="error", id=DISCARD)
                yield Button("Stay (Esc)", id=STAY)
