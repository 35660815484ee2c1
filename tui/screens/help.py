"""Every key of the screen underneath, with what it does: the footer shows only the main ones."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label


def keys_of(screen: Screen) -> list[tuple[str, str]]:
    """(key as shown, description) for each binding that works on ``screen`` now, footer or not."""
    rows: list[tuple[str, str]] = []
    for active in screen.active_bindings.values():
        binding = active.binding
        row = (screen.app.get_key_display(binding), binding.description)
        if binding.description and row not in rows:
            rows.append(row)
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,question_mark,q", "close", "Close help")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="panel dialog", id="help"):
            yield Label(f"Keys on this screen: {self.under.sub_title}", classes="title")
            table: DataTable[str] = DataTable(id="help-keys", show_cursor=False)
            table.add_columns("Key", "What it does")
            for key, description in keys_of(self.under):
                table.add_row(key, description)
            yield table
            yield Label("Esc or ? closes this.", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
