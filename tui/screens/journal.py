"""The reflexive journal: dated entries about the researcher's own stance, choices and reactions.
Each saved entry is encrypted and never changed; a field kit can add entries but not read them. What is typed is kept
as an encrypted draft until it is saved (tui.keptdraft)."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Label, Static, TextArea

from fieldvault import layout
from fieldvault.agefile import X25519Identity
from fieldvault.journal import add_entry, entry_names, list_entries
from fieldvault.showntime import utc_and_here, written
from fieldvault.study import Study
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.keptdraft import DraftKind, KeptDraft


class JournalScreen(KeptDraft):
    SUB_TITLE = "Reflexive journal"
    TEXT_AREA = "#new-entry"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save entry", priority=True),  # before a Ctrl+Q pressed right after it
        Binding("escape", "back", "Back"),
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("f1", "app.help", "Help", key_display="F1"),  # ? is a character in the text box
    ]

    def __init__(self, study: Study, identities: list[X25519Identity]) -> None:
        super().__init__(study, identities)

    def draft_kind(self) -> DraftKind:
        return DraftKind("a journal entry", "the journal", self.study.root / layout.JOURNAL, "The journal entry", False)

    def saved_changed(self) -> None:
        self.query_one("#entries", Static).update(self._entries())

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="notes"):
            yield Label("Reflexive journal", classes="title")
            yield Static(self._entries(), id="entries")
        yield Static(  # wraps at 80 columns, where a Label cut off the time here and the keys
            f"New entry, named by today's date in UTC: {utc_and_here(self.study.clock())}. Ctrl+S saves, encrypted; "
            "Esc back; F1 keys:",
            id="new-label",
            markup=False,
        )
        yield TextArea(id="new-entry")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#new-entry", TextArea).focus()
        self.offer_drafts()

    def _entries(self) -> str:
        if not self.identities:
            names = entry_names(self.study)
            listed = ", ".join(names) if names else "none yet"
            return f"Entries (encrypted; readable on the trusted machine): {listed}"
        try:
            entries = list_entries(self.study, self.identities)
        except USER_ERRORS as err:
            return f"[red]{user_message(err)}[/]"
        return (
            "\n\n".join(f"[b]{e.name}[/b]  [dim]written {written(e.written)}[/dim]\n{escape(e.text)}" for e in entries)
            or "No entries yet."
        )

    def save_typed(self, text: str) -> str:
        entry = add_entry(self.study, text)
        return f"Journal entry {entry.name} saved, encrypted"
