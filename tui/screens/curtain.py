"""The curtain a field kit (or a study opened locked) draws after the idle time: it holds no key to lock, so what
the interviewer typed of hers (names, answers, field notes) would stay readable on an unattended laptop (qa29 QE15).
It covers the screen only; any key or click takes it away, and nothing under it is closed, lost or stored."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class CurtainScreen(ModalScreen[None]):
    def __init__(self, why: str) -> None:
        super().__init__()
        self.why = why

    def compose(self) -> ComposeResult:
        with Vertical(id="curtain"):
            yield Static(f"{self.why} Press any key to show it again.", id="curtain-why", markup=False)

    def on_key(self, event: events.Key) -> None:
        event.stop()  # the key only lifts the curtain: it is not typed into what is under it
        event.prevent_default()
        self.dismiss(None)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.dismiss(None)
