"""Withdraw a participant: the PI reads what will be destroyed and confirms by typing her pseudonym.

The screen only asks; ``fieldvault.stewardship.withdraw`` destroys, in a worker thread. Nothing is
destroyed until the typed name matches and the button is pressed.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label

from fieldvault.agefile import X25519Identity
from fieldvault.names import same_name
from fieldvault.stewardship.withdraw import Withdrawal, earlier_copies, withdraw, withdraw_keeping_deidentified
from fieldvault.study import Study
from fieldvault.tui.errors import USER_ERRORS, WorkerErrors, user_message


def summary(done: Withdrawal) -> str:
    kept = f"; kept de-identified: {', '.join(done.kept)}" if done.kept else ""
    copies = (
        f". {len(done.earlier_copies)} earlier export(s) held her data: see `fieldvault report` and ask their "
        "holders to delete them"
        if done.earlier_copies
        else ""
    )
    names = (
        f". {done.names_kept} name(s) on her list that others' words mention moved to the study's list"
        if done.names_kept
        else ""
    )
    return f"Withdrew {done.pseudonym}: {done.files_destroyed} file(s) destroyed{kept}{names}{copies}"


class WithdrawScreen(WorkerErrors, ModalScreen[str]):
    """Dismisses with a summary of what was destroyed, or "" when cancelled."""

    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, study: Study, pseudonym: str, identities: list[X25519Identity]) -> None:
        super().__init__()
        self.study, self.pseudonym, self.identities = study, pseudonym, identities

    def compose(self) -> ComposeResult:
        copies = earlier_copies(self.study, self.pseudonym)
        with Vertical(classes="panel dialog", id="withdraw"):
            yield Label(
                f"Withdraw {self.pseudonym}: this destroys every file of hers (recordings, transcripts and their "
                "versions, redactions, profile, identifiers, notes). It cannot be undone.",
                id="what",
            )
            if copies:
                yield Label(
                    f"{len(copies)} earlier export(s) or decrypted copies held her data; the audit log and "
                    "`fieldvault report` list them so you can ask their holders to delete them.",
                    id="copies",
                )
            yield Checkbox("Keep her reviewed, de-identified transcripts", id="keep", disabled=not self.identities)
            yield Label("Keep them only where the information letter she was given allows it.", id="keep-when")
            yield Label(f"Type the pseudonym ({self.pseudonym}) to confirm, then press Withdraw (Esc cancels)")
            yield Input(placeholder=self.pseudonym, id="typed")
            with Horizontal(classes="row"):
                yield Button("Withdraw", variant="error", id="withdraw-button", disabled=True)
                yield Button("Cancel", id="cancel")

    @on(Input.Changed, "#typed")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#withdraw-button", Button).disabled = not same_name(event.value, self.pseudonym)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss("")

    @on(Button.Pressed, "#withdraw-button")
    @on(Input.Submitted, "#typed")
    def _confirmed(self) -> None:
        if not same_name(self.query_one("#typed", Input).value, self.pseudonym):
            return
        self.query_one("#withdraw-button", Button).disabled = True
        self._withdraw(self.query_one("#keep", Checkbox).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="withdraw")
    def _withdraw(self, keep: bool) -> None:
        try:
            if keep:
                done = withdraw_keeping_deidentified(self.study, self.pseudonym, self.identities)
            else:
                done = withdraw(self.study, self.pseudonym, self.identities)
        except USER_ERRORS as err:
            self.app.call_from_thread(self.notify, user_message(err), severity="error", timeout=15)
            self.app.call_from_thread(self._enable)
            return
        self.app.call_from_thread(self.dismiss, summary(done))

    def _enable(self) -> None:
        self.query_one("#withdraw-button", Button).disabled = False
