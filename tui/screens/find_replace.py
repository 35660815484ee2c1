"""Find and replace across a participant's sessions, with every hit shown before anything changes."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, SelectionList
from textual.widgets.selection_list import Selection

from fieldvault.editing import Draft, Hit, find
from fieldvault.errors import BadInput


class FindReplaceScreen(ModalScreen[tuple[list[Hit], str] | None]):
    """Dismisses with the hits left ticked and the replacement, or None when cancelled."""

    BINDINGS = [
        ("escape", "cancel", "Cancel"),
        ("ctrl+r", "replace", "Replace ticked"),
    ]

    def __init__(self, drafts: Mapping[str, Draft], needle: str = "") -> None:
        super().__init__()
        self.drafts, self.needle = drafts, needle
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog", id="find-panel"):
            yield Label(f"Find in this participant's {len(self.drafts)} session(s), case-insensitive, whole words")
            yield Input(self.needle, placeholder="find", id="find")
            yield Input(placeholder="replace with (empty: delete the word and its space)", id="replacement")
            yield Label("", id="hit-count")
            yield SelectionList[int](id="hits")
        yield Footer()

    def on_mount(self) -> None:
        self._search(self.needle)

    @on(Input.Changed, "#find")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.query_one("#hits", SelectionList).focus()

    def _search(self, needle: str) -> None:
        hits_list = self.query_one("#hits", SelectionList)
        hits_list.clear_options()
        try:
            self.hits = find(self.drafts, needle) if needle.strip() else []
        except BadInput:
            self.hits = []
        for number, hit in enumerate(self.hits):
            context = Text(f"{hit.session} #{hit.segment + 1}: ")
            text = self.drafts[hit.session].segments[hit.segment].text
            lo = max(0, hit.start - 25)
            context.append(("…" if lo else "") + text[lo : hit.start])
            context.append(text[hit.start : hit.end], style="reverse")
            context.append(text[hit.end : hit.end + 25])
            hits_list.add_option(Selection(context, number, initial_state=True))
        sessions = len({h.session for h in self.hits})
        self.query_one("#hit-count", Label).update(
            f"{len(self.hits)} hit(s) in {sessions} session(s); space unticks one, ctrl+r replaces the ticked ones"
        )

    def action_replace(self) -> None:
        chosen = set(self.query_one("#hits", SelectionList).selected)
        hits = [hit for number, hit in enumerate(self.hits) if number in chosen]
        if not hits:
            self.notify("Nothing ticked to replace", severity="warning")
            return
        self.dismiss((hits, self.query_one("#replacement", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
