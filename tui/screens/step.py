"""What every step of the new-session wizard shares: nothing is stored until the last step, so leaving
(Esc, Ctrl+Q) asks first instead of throwing the consent record and answers away silently. A lock keeps the
set-up sealed in memory and unlocking gives it back at the step it was at (tui.draft)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding
from textual.screen import Screen

from fieldvault.study import Study
from fieldvault.tui.draft import SessionDraft, keep_wizard

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp


class WizardStep(Screen[None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel session"),
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]
    STEP: ClassVar[str]  # the step's name, by which unlocking opens it again (``restore_step``)
    study: Study
    typed_back: dict[str, object] | None = None  # what was typed here before a lock, put back once mounted

    def on_mount(self) -> None:
        if self.typed_back is not None:
            self.put_back(self.typed_back)

    def typed(self) -> dict[str, object]:
        """What is typed on this step and not yet taken into the draft."""
        return {}

    def put_back(self, typed: dict[str, object]) -> None:
        """Show again what ``typed`` kept."""

    def next_step(self, screen: Screen[None]) -> None:
        """Go on: a refusal shown on this step was of what is corrected now, and would sit over the next (walk22)."""
        self.app.clear_notifications()
        self.app.switch_screen(screen)

    def quit_question(self) -> str | None:
        return "This new session is not saved yet: consent, pseudonym and answers so far would be lost. Quit?"

    def lock_question(self) -> str | None:
        if self._app.identities:
            return None  # kept, sealed, and given back after unlocking
        return "This new session is not saved yet: consent, pseudonym and answers so far would be lost. Lock?"

    def keep_for_lock(self) -> str | None:
        """The set-up so far, sealed in memory to the study's recipients (nothing is stored before its end): unlocking
        opens it again. Without a key there is nothing to open it with after: it is lost (asked first)."""
        if not self._app.identities:
            return "The new session being set up was not saved: start it again with n."
        draft: SessionDraft | None = getattr(self, "draft", None)  # the letter's step has gathered nothing yet
        self._app.kept_wizard = keep_wizard(self.study, self.STEP, draft, self.typed())
        return "The new session being set up is kept, encrypted: it is back once you unlock."

    @property
    def _app(self) -> FieldvaultApp:
        return cast("FieldvaultApp", self.app)

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


def restore_step(study: Study, step: str, draft: SessionDraft | None, typed: dict[str, object]) -> WizardStep:
    """The wizard's step ``step`` as a lock left it (``keep_for_lock``), with what was typed on it."""
    from fieldvault.tui.screens.identifiers import IdentifiersScreen
    from fieldvault.tui.screens.letter import LetterScreen
    from fieldvault.tui.screens.pseudonym import PseudonymScreen
    from fieldvault.tui.screens.questionnaire import QuestionnaireScreen

    screen: WizardStep
    if step == LetterScreen.STEP or draft is None:
        screen = LetterScreen.for_study(study)
    else:
        kind = {s.STEP: s for s in (PseudonymScreen, QuestionnaireScreen, IdentifiersScreen)}[step]
        screen = kind(study, draft)
    screen.typed_back = typed
    return screen
