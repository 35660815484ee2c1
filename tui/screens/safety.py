"""A break in the interview: the recording is paused, the letter's support information is on screen,
and the interviewer may note why (distress, an interruption, her request) before resuming or stopping."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from fieldvault.study import Study

REASONS = {"1": "distress", "2": "interruption", "3": "participant request"}


@dataclass(frozen=True)
class BreakOutcome:
    reason: str  # "" when none was chosen
    then: str  # "resume" or "stop"


def support_text(study: Study) -> str:
    """The letter's support information and whom to contact, as she was told in the letter."""
    values = study.letter_values()
    support = values.get("support", "").strip()
    contact = ", ".join(v for v in (values.get("pi_name", "").strip(), values.get("pi_contact", "").strip()) if v)
    if not support and not contact:
        return "The study's letter gives no support information yet: set support under the letter in study.toml."
    return "\n".join(line for line in (support, f"Contact: {contact}" if contact else "") if line)


class BreakScreen(ModalScreen[BreakOutcome]):
    BINDINGS = [
        Binding("r,enter", "done('resume')", "Resume recording"),
        Binding("s", "done('stop')", "Stop and seal"),
        Binding("1", "reason('1')", "Reason: distress"),
        Binding("2", "reason('2')", "Reason: interruption"),
        Binding("3", "reason('3')", "Reason: participant request"),
        Binding("0", "reason('0')", "No reason"),
    ]

    def __init__(self, study: Study, at: str) -> None:
        super().__init__()
        self.study, self.at = study, at
        self.reason = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog", id="break"):
            yield Label(f"Break at {self.at}: the recording is paused", classes="title")
            yield Static(support_text(self.study), id="support", markup=False)
            # Static wraps: at 80 columns the last choices were cut off as a Label
            yield Static("Why (optional): 1 distress · 2 interruption · 3 her request · 0 none", classes="hint")
            yield Label("Reason: none", id="reason")
            with Horizontal(classes="row"):
                yield Button("Resume (r)", variant="primary", id="resume")
                yield Button("Stop and seal (s)", id="stop")

    def action_reason(self, key: str) -> None:
        self.reason = REASONS.get(key, "")
        self.query_one("#reason", Label).update(f"Reason: {self.reason or 'none'}")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_done(str(event.button.id))

    def action_done(self, then: str) -> None:
        self.dismiss(BreakOutcome(self.reason, then))
