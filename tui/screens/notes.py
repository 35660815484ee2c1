"""One session's notes after the fact: the timeline of prompts, notes and breaks taken while recording,
the post-interview field notes, and a box to write more field notes (each save is kept, encrypted; what is typed is
kept as an encrypted draft until it is saved: tui.keptdraft)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Label, Static, TextArea

from fieldvault import layout
from fieldvault.agefile import Identity
from fieldvault.events import load_events
from fieldvault.memos import add_field_note, field_note_count, field_notes
from fieldvault.sessioninfo import KINDS, IndexedSession, load_session_info, read_index
from fieldvault.sessionopen import OpenHold
from fieldvault.showntime import written
from fieldvault.study import Study
from fieldvault.timecode import elapsed
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.keptdraft import DraftKind, KeptDraft

SHOWN = {
    "prompt": "prompt",
    "note": "NOTE",
    "break": "BREAK",
    "pause": "paused",
    "resume": "resumed",
    "stop": "stop",
    "dropout": "dropout",
    "overflow": "input overflow",
    "input": "INPUT SWITCHED",
}


class SessionNotesScreen(KeptDraft):
    SUB_TITLE = "Session notes"
    TEXT_AREA = "#new-notes"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save field notes", priority=True),  # before a Ctrl+Q pressed right after it
        Binding("escape", "back", "Back"),
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("f1", "app.help", "Help", key_display="F1"),  # ? is a character in the text box
    ]

    def __init__(
        self,
        study: Study,
        pseudonym: str,
        session: str,
        identities: Sequence[Identity],
        hold: OpenHold | None = None,
    ) -> None:
        """``hold`` keeps the session from being moved by another fieldvault while the notes are open (from the
        editor, the editor holds it), let go as the screen closes."""
        self.pseudonym, self.session = pseudonym, session
        self.folder = layout.session(study.root, pseudonym, session)
        super().__init__(study, identities)
        self.hold = hold

    def draft_kind(self) -> DraftKind:
        return DraftKind("field notes", "this session's notes", self.folder, "The field notes", True)

    def saved_changed(self) -> None:
        self.query_one("#field-notes", Static).update(self._field_notes())

    def on_unmount(self) -> None:
        if self.hold is not None:
            self.hold.release()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="notes"):
            yield Label(f"{escape(self.pseudonym)} · {self.session} · {self._kind()}", classes="title")
            yield Label("Timeline (time into the recording)", classes="title")
            yield Static(self._timeline(), id="timeline")
            yield Label("Field notes", classes="title")
            yield Static(self._field_notes(), id="field-notes")
        yield Label("New field notes (Ctrl+S saves, encrypted; Esc back; F1 keys):", id="new-label")
        yield TextArea(id="new-notes")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#new-notes", TextArea).focus()
        self.offer_drafts()

    def _kind(self) -> str:
        if self.identities:
            try:
                return load_session_info(self.study, self.folder, self.identities).label
            except USER_ERRORS as err:
                return f"kind unreadable ({user_message(err)})"
        try:
            kind = read_index(self.study.root).get(f"{self.pseudonym}/{self.session}", IndexedSession()).kind
        except USER_ERRORS as err:
            return f"kind unreadable ({user_message(err)})"
        return KINDS.get(kind, "kind not known without the key")

    def _timeline(self) -> str:
        if not self.identities:
            return "Encrypted: this copy holds no private key. Read it on the trusted machine."
        try:
            events = load_events(self.study, self.folder, self.identities).events
        except USER_ERRORS as err:
            return f"[red]{user_message(err)}[/]"
        lines = []
        for event in sorted(events, key=lambda e: e.at):
            what = SHOWN.get(event.kind, event.kind)
            text = escape(event.text)
            if event.kind in ("note", "break", "input"):
                lines.append(f"[b]{elapsed(event.at)}  {what}[/b]  {text or '(no reason given)'}")
            else:
                lines.append(f"{elapsed(event.at)}  {what}  [dim]{text}[/dim]")
        return "\n".join(lines) or "No events: the recording holds none."

    def _field_notes(self) -> str:
        if not self.identities:
            count = field_note_count(self.folder)
            return f"{count} saved, encrypted: readable on the trusted machine. You can add more below."
        try:
            notes = field_notes(self.study, self.folder, self.identities)
        except USER_ERRORS as err:
            return f"[red]{user_message(err)}[/]"
        return "\n\n".join(f"[b]{written(n.written)}[/b]\n{escape(n.text)}" for n in notes) or "None yet."

    def save_typed(self, text: str) -> str:
        note = add_field_note(self.study, self.folder, text)
        return f"Field notes saved (number {note.number}), encrypted"
