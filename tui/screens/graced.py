"""A dialog that pops up over a text box (QA S4): people are typing there, and keys meant for the box were taken as
its choices ("d" was Discard). Keys typed in its first moments, ``GRACE_SECONDS`` after it shows (again after a
question over it closes), go nowhere: not to its bindings, nor to the focused button (Enter, space), nor are its
buttons pressed then; a toast says they were not taken."""

from __future__ import annotations

import time
from typing import Generic, TypeVar

from textual import events
from textual.screen import ModalScreen

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
