"""A dialog that pops up over a text box (QA S4): people are typing there, and keys meant for the box were taken as
its choices ("d" was Discard). Keys typed in its first moments, ``GRACE_SECONDS`` after it shows (again after a
question over it closes), go nowhere: not to its bindings, nor to the focused button (Enter, space), nor are its
buttons pressed then; a toast says they were not taken."""

from __future__ import annotations

import time
from typing import Generic, TypeVar

from textual import events, on
from textual.screen import ModalScreen
from textual.widgets import Button

GRACE_SECONDS = 1.5  # a word or two typed on before the eyes find the dialog

Result = TypeVar("Result")


class GracedModal(ModalScreen[Result], Generic[Result]):
    def __init__(self) -> None:
        super().__init__()
        self._shown = time.monotonic()
        self._ignored = 0

    def on_screen_resume(self) -> None:
        self._shown = time.monotonic()

    def in_grace(self) -> bool:
        return time.monotonic() - self._shown < GRACE_SECONDS

    def on_key(self, event: events.Key) -> None:
        if not self.in_grace():
            return
        event.stop()
        event.prevent_default()
        self._ignored += 1
        if self._ignored == 1:
            self.notify("Keys typed as this question opened were not taken: answer with the keys shown", timeout=6)


DISCARD = "discard"


class AskedDiscard(GracedModal[str]):
    """A graced dialog whose Discard (Ctrl+D or its button) asks again (``DISCARD_ASKS``, ``KEEP`` the safe answer)
    before it answers DISCARD; its other buttons answer their id, ``FALLBACK`` for one without."""

    DISCARD_ASKS = ""
    KEEP = ""
    FALLBACK = ""

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if self.in_grace():
            return
        if event.button.id == DISCARD:
            self.action_discard()
            return
        self.dismiss(event.button.id or self.FALLBACK)

    def action_answer(self, value: str) -> None:
        self.dismiss(value)

    def action_discard(self) -> None:
        from fieldvault.tui.screens.confirm import ConfirmScreen

        def answered(sure: bool | None) -> None:
            if sure:
                self.dismiss(DISCARD)

        self.app.push_screen(ConfirmScreen(self.DISCARD_ASKS, "Discard", self.KEEP, safe_default=True), answered)
