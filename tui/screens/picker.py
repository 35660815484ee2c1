"""Pick a study folder (recent ones listed) or create a new one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from fieldvault import paths
from fieldvault.passphrase import MIN_LENGTH, passphrase_problem
from fieldvault.study import Study
from fieldvault.tui.errors import USER_ERRORS, WorkerErrors, user_message

if TYPE_CHECKING:
    from fieldvault.tui.app import FieldvaultApp


class StudyPickerScreen(Screen[None]):
    BINDINGS = [("ctrl+n", "new_study", "New study"), ("ctrl+q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel"):
            yield Label("Open a study", classes="title")
            recent = [Option(str(p), id=str(p)) for p in paths.recent_studies() if (p / "study.toml").exists()]
            if recent:
                yield Label("Recent studies:")
                yield OptionList(*recent, id="recent")
            yield Input(placeholder="path of a study folder", id="path")
            with Horizontal(classes="row"):
                yield Button("Open", variant="primary", id="open")
                yield Button("New study", id="new")
        yield Footer()

    @on(OptionList.OptionSelected, "#recent")
    def _recent(self, event: OptionList.OptionSelected) -> None:
        self._open(Path(str(event.option.id)))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#open")
    def _typed(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.notify("Type the path of a study folder first", severity="warning")
            return
        self._open(Path(text).expanduser())

    def _open(self, root: Path) -> None:
        try:
            cast("FieldvaultApp", self.app).open_study(root)
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=8)

    @on(Button.Pressed, "#new")
    def action_new_study(self) -> None:
        self.app.push_screen(NewStudyScreen())


class NewStudyScreen(WorkerErrors, Screen[None]):
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="panel"):
            yield Label("New study", classes="title")
            yield Input(placeholder="folder for the new study", id="folder")
            yield Input(placeholder="study title", id="title")
            yield Input(placeholder="IRB / ethics approval number (optional)", id="irb")
            yield Input(placeholder=f"passphrase (at least {MIN_LENGTH} characters)", password=True, id="pass1")
            yield Input(placeholder="repeat the passphrase", password=True, id="pass2")
            yield Button("Create", variant="primary", id="create")
            yield Static(
                "The passphrase protects the study key. Without it, or an exported key, nothing can be decrypted.",
                classes="hint",
            )
        yield Footer()

    @on(Input.Submitted, "#pass2")
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        value = {name: self.query_one(f"#{name}", Input).value for name in ("folder", "title", "irb", "pass1", "pass2")}
        if not value["folder"].strip() or not value["title"].strip():
            self.notify("Give a folder and a title", severity="warning")
        elif value["pass1"] != value["pass2"]:
            self.notify("The two passphrases differ; type them again", severity="error")
        elif problem := passphrase_problem(value["pass1"]):
            self.notify(problem, severity="error")
        else:
            self.query_one("#create", Button).disabled = True
            self._run_create(Path(value["folder"].strip()).expanduser(), value["title"], value["irb"], value["pass1"])

    @work(thread=True, exclusive=True, exit_on_error=False, group="create")
    def _run_create(self, folder: Path, title: str, irb: str, passphrase: str) -> None:
        try:
            study = Study.create(folder, title, irb, passphrase.encode())
            identities = study.unlock(passphrase.encode())
        except USER_ERRORS as err:
            self.app.call_from_thread(self._failed, user_message(err))
            return
        paths.remember_study(study.root)
        self.app.call_from_thread(cast("FieldvaultApp", self.app).show_home, study, identities)

    def _failed(self, message: str) -> None:
        self.query_one("#create", Button).disabled = False
        self.notify(message, severity="error", timeout=8)
