"""What every step of the new-session wizard shares: nothing is stored until the last step, so leaving
(Esc, Ctrl+Q) asks first instead of throwing the consent record and answers away silently."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.screen import Screen

from fieldvault.study import Study

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp


class WizardStep(Screen[None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel session"),
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]
    study: Study

    def quit_question(self) -> str | None:
        return "This new session is not saved yet: consent, pseudonym and answers so far would be lost. Quit?"

    def lock_question(self) -> str | None:
        return "This new session is not saved yet: consent, pseudonym and answers so far would be lost. Lock?"

    def keep_for_lock(self) -> str | None:
        """Nothing of a set-up is stored before its end: the lock (asked first, unless it came by itself) loses it."""
        return "The new session being set up was not saved: start it again with n."

    def action_cancel(self) -> None:
        from fieldvault.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                app = cast("FieldvaultApp", self.app)
                app.show_home(self.study, app.identities)

        self.app.push_screen(
            ConfirmScreen("Cancel this new session? Nothing has been saved yet.", "Cancel session", "Go on"),
            answered,
        )
