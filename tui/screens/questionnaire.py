"""Step 3: the demographic questionnaire, one widget per field, validated on submit.

The letter tells her she may skip any question, so every question can be answered "prefer not to say":
a choice of its own in a list, a box to tick beside a number or a text."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, SelectionList

from fieldvault.questionnaire import PREFER_NOT, Field, Questionnaire
from fieldvault.study import Study
from fieldvault.tui.draft import SessionDraft
from fieldvault.tui.errors import USER_ERRORS, user_message
from fieldvault.tui.screens.step import WizardStep


def _choices(field: Field) -> list[tuple[str, str]]:
    options = [(c, c) for c in field.choices]
    if not any(c.casefold() == PREFER_NOT for c in field.choices):
        options.append(("Prefer not to say", PREFER_NOT))
    return options


def _widget(field: Field) -> Widget:
    wid = f"q-{field.name}"
    if field.type == "choice":
        return Select(_choices(field), id=wid, prompt="choose")
    if field.type == "multi":
        return SelectionList[str](*[(c, c) for c in field.choices], id=wid)
    return Input(
        type="integer" if field.type == "integer" else "text",
        id=wid,
        placeholder=f"{field.min}–{field.max}" if field.type == "integer" else "",
    )


class QuestionnaireScreen(WizardStep):
    SUB_TITLE = "New participant: questionnaire"
    BINDINGS = [("ctrl+s", "submit", "Continue")]

    STEP = "questionnaire"

    def __init__(self, study: Study, draft: SessionDraft) -> None:
        super().__init__()
        self.study, self.draft = study, draft
        self.questionnaire = Questionnaire.for_study(study.root)

    def typed(self) -> dict[str, object]:
        return self.raw_answers()

    def put_back(self, typed: dict[str, object]) -> None:
        for field in self.questionnaire.fields:
            value, widget, boxes = (
                typed.get(field.name),
                self.query_one(f"#q-{field.name}"),
                self.query(f"#pnts-{field.name}"),
            )
            if value == PREFER_NOT and boxes:
                boxes.first(Checkbox).value = True
            elif isinstance(widget, Select) and value is not None:
                widget.value = value
            elif isinstance(widget, SelectionList) and isinstance(value, list):
                for choice in value:
                    widget.select(choice)
            elif isinstance(widget, Input) and value is not None:
                widget.value = str(value)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            yield Label(f"Questionnaire for {self.draft.pseudonym}", classes="title", markup=False)
            for field in self.questionnaire.fields:
                yield Label(field.label + ("" if field.required else " (optional)"), markup=False)
                if field.type == "choice":
                    yield _widget(field)
                else:
                    with Horizontal(classes="answer"):
                        yield _widget(field)
                        yield Checkbox("prefer not to say", id=f"pnts-{field.name}", classes="pnts")
            yield Button("Continue", variant="primary", id="submit")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(f"#q-{self.questionnaire.fields[0].name}").focus()

    @on(Checkbox.Changed, ".pnts")
    def _prefer_not(self, event: Checkbox.Changed) -> None:
        name = str(event.checkbox.id).removeprefix("pnts-")
        self.query_one(f"#q-{name}").disabled = event.value

    def raw_answers(self) -> dict[str, object]:
        raw: dict[str, object] = {}
        for field in self.questionnaire.fields:
            widget = self.query_one(f"#q-{field.name}")
            boxes = self.query(f"#pnts-{field.name}")
            if boxes and boxes.first(Checkbox).value:
                raw[field.name] = PREFER_NOT
            elif isinstance(widget, Select):
                raw[field.name] = None if widget.is_blank() else widget.value
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
        self.next_step(IdentifiersScreen(self.study, self.draft))
