"""Step 3: the demographic questionnaire, one widget per field, validated on submit."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Label, Select, SelectionList

from fieldvault.questionnaire import Field, Questionnaire
from fieldvault.study import Study
from fieldvault.tui.draft import SessionDraft
from fieldvault.tui.errors import USER_ERRORS, user_message


def _widget(field: Field) -> Widget:
    wid = f"q-{field.name}"
    if field.type == "choice":
        return Select([(c, c) for c in field.choices], id=wid, prompt="choose")
    if field.type == "multi":
        return SelectionList[str](*[(c, c) for c in field.choices], id=wid)
    return Input(
        type="integer" if field.type == "integer" else "text",
        id=wid,
        placeholder=f"{field.min}–{field.max}" if field.type == "integer" else "",
    )


class QuestionnaireScreen(Screen[None]):
    BINDINGS = [("ctrl+s", "submit", "Continue"), ("escape", "app.pop_screen", "Cancel session")]

    def __init__(self, study: Study, draft: SessionDraft) -> None:
        super().__init__()
        self.study, self.draft = study, draft
        self.questionnaire = Questionnaire.for_study(study.root)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            yield Label(f"Questionnaire for {self.draft.pseudonym}", classes="title")
            for field in self.questionnaire.fields:
                yield Label(field.label + ("" if field.required else " (optional)"))
                yield _widget(field)
            yield Button("Continue", variant="primary", id="submit")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(f"#q-{self.questionnaire.fields[0].name}").focus()

    def raw_answers(self) -> dict[str, object]:
        raw: dict[str, object] = {}
        for field in self.questionnaire.fields:
            widget = self.query_one(f"#q-{field.name}")
            if isinstance(widget, Select):
                raw[field.name] = None if widget.value == Select.BLANK else widget.value
            elif isinstance(widget, SelectionList):
                raw[field.name] = list(widget.selected)
            elif isinstance(widget, Input):
                raw[field.name] = widget.value
        return raw

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        from fieldvault.tui.screens.identifiers import IdentifiersScreen

        try:
            self.draft.answers = self.questionnaire.validate(self.raw_answers())
        except USER_ERRORS as err:
            self.notify(user_message(err), severity="error", timeout=8)
            return
        self.app.switch_screen(IdentifiersScreen(self.study, self.draft))
