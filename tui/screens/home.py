"""The home screen: participants and their sessions, with how far each has come."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from fieldvault.overview import overview
from fieldvault.study import Study


class HomeScreen(Screen[None]):
    BINDINGS = [
        ("f5", "refresh", "Refresh"),
        ("ctrl+l", "app.lock", "Lock"),
        ("ctrl+q", "app.quit", "Quit"),
    ]

    def __init__(self, study: Study, locked: bool) -> None:
        super().__init__()
        self.study = study
        self.locked = locked

    def compose(self) -> ComposeResult:
        yield Header()
        mode = "field kit (public keys only)" if self.study.is_field_kit else ("locked" if self.locked else "unlocked")
        yield Label(f"{self.study.config.title}  ·  IRB {self.study.config.irb or '-'}  ·  {mode}", id="study-banner")
        table: DataTable[str] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        table.add_columns("Participant", "Session", "State")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.clear()
        people = overview(self.study)
        for person in people:
            if not person.sessions:
                table.add_row(person.pseudonym, "-", "no session yet", key=person.pseudonym)
            for session in person.sessions:
                table.add_row(
                    person.pseudonym, session.session, session.state.value, key=f"{person.pseudonym}/{session.session}"
                )
        if not people:
            table.add_row("(no participants yet)", "", "")
