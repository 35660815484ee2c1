"""Unlock a study with its passphrase, or open it locked (always so for a field kit)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from fieldvault import paths
from fieldvault.agefile import X25519Identity
from fieldvault.study import Study
from fieldvault.tui.errors import USER_ERRORS, WorkerErrors, user_message

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp


class UnlockScreen(WorkerErrors, Screen[None]):
    BINDINGS = [("ctrl+l", "open_locked", "Open locked"), ("ctrl+q", "app.quit", "Quit")]

    def __init__(self, study: Study, locked: str = "") -> None:
        """``locked``: why the study was locked and what was kept, when a lock brought this screen back."""
        super().__init__()
        self.study = study
        self.locked = locked

    def compose(self) -> ComposeResult:
        yield Header()
        config = self.study.config
        with Vertical(classes="panel"):
            yield Label(config.title, classes="title", id="study-title")
            yield Label(f"IRB: {config.irb or '-'}    folder: {self.study.root}")
            if self.locked:
                yield Static(self.locked, id="locked-why", classes="hint", markup=False)
            if self.study.is_field_kit:
                yield Static(
                    "This is a field kit: it holds public keys only. It can record and encrypt, "
                    "and it cannot decrypt anything, not even its own recordings.",
                    classes="hint",
                )
                yield Button("Open field kit", variant="primary", id="locked")
            else:
                yield Input(placeholder="study passphrase", password=True, id="passphrase")
                with Horizontal(classes="row"):
                    yield Button("Unlock", variant="primary", id="unlock")
                    yield Button("Open locked", id="locked")
                yield Static("Locked, you can record but not listen, transcribe or export.", classes="hint")
                yield Input(
                    cast("FieldvaultApp", self.app).identity_file,
                    placeholder="or your own key: the path of its age identity file (a transcriber's)",
                    id="identity",
                )
                yield Button("Open with this key", id="with-key")
        yield Footer()

    @on(Input.Submitted, "#passphrase")
    @on(Button.Pressed, "#unlock")
    def _unlock(self) -> None:
        field = self.query_one("#passphrase", Input)
        if not field.value:
            self.notify("Type the study passphrase", severity="warning")
            return
        self.query_one("#unlock", Button).disabled = True
        self._run_unlock(field.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="unlock")
    def _run_unlock(self, passphrase: str) -> None:
        try:
            identities = self.study.unlock(passphrase.encode())
        except USER_ERRORS as err:
            self.app.call_from_thread(self._failed, user_message(err))
            return
        paths.remember_study(self.study.root)
        self.app.call_from_thread(cast("FieldvaultApp", self.app).show_home, self.study, identities)

    def _failed(self, message: str) -> None:
        self.query_one("#unlock", Button).disabled = False
        field = self.query_one("#passphrase", Input)
        field.value = ""
        field.focus()
        self.notify(message, severity="error", timeout=8)

    @on(Input.Submitted, "#identity")
    @on(Button.Pressed, "#with-key")
    def _with_key(self) -> None:
        """Her own key (QA V14): what `--identity` opens, here too; what she writes reads as unreviewed for the PI."""
        typed = self.query_one("#identity", Input).value.strip()
        if not typed:
            self.notify("Type the path of your age identity file", severity="warning")
            return
        self.query_one("#with-key", Button).disabled = True
        self._run_with_key(str(Path(typed).expanduser()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="unlock")
    def _run_with_key(self, path: str) -> None:
        try:
            identities = self.study.use_identity_path(path)
        except USER_ERRORS as err:
            self.app.call_from_thread(self._key_failed, user_message(err))
            return
        paths.remember_study(self.study.root)
        self.app.call_from_thread(self._opened_with, path, identities)

    def _opened_with(self, path: str, identities: list[X25519Identity]) -> None:
        app = cast("FieldvaultApp", self.app)
        app.identity_file = path
        app.show_home(self.study, identities)

    def _key_failed(self, message: str) -> None:
        self.query_one("#with-key", Button).disabled = False
        self.notify(message, severity="error", timeout=12)

    @on(Button.Pressed, "#locked")
    def action_open_locked(self) -> None:
        paths.remember_study(self.study.root)
        cast("FieldvaultApp", self.app).show_home(self.study, [])
