"""The reviewer's last check: what review leaves unredacted (numbers and capitals, unusual words), one line per
text. Enter goes to its next mention in the review screen, r redacts it at every mention, k keeps it (not listed
again). The review screen does what was chosen; this screen only chooses."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from fieldvault.redact.leftover import Leftover
from fieldvault.transcript import Transcript

GO, REDACT, KEEP = "go", "redact", "keep"


@dataclass(frozen=True)
class Chosen:
    action: str  # GO, REDACT or KEEP
    item: Leftover


def describe(item: Leftover, transcript: Transcript) -> Text:
    first = item.mentions[0]
    text = transcript.segments[first.segment].text
    count = f"{len(item.mentions)} mention{'s' if len(item.mentions) != 1 else ''}"
    line = Text()
    line.append(item.text, style="bold")
    line.append(f"  {item.reason}, {count}  ", style="dim")
    line.append(f"…{text[max(0, first.start - 25) : first.start]}", style="dim")
    line.append(text[first.start : first.end], style="reverse")
    line.append(f"{text[first.end : first.end + 25]}…", style="dim")
    return line


class LeftoversScreen(ModalScreen[Chosen | None]):
    """Dismisses with what to do with the highlighted item, or None."""

    BINDINGS = [
        Binding("enter", "choose('go')", "Go to it", show=True),
        Binding("r", "choose('redact')", "Redact every mention"),
        Binding("k", "choose('keep')", "Keep (looked at)"),
        Binding("escape", "close", "Back"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, transcript: Transcript, items: list[Leftover], highlight: int = 0) -> None:
        super().__init__()
        self.transcript, self.items = transcript, items
        self.highlight = min(highlight, max(0, len(items) - 1))
        self.sub_title = "What is left unredacted"

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog", id="leftovers"):
            if self.items:
                yield Static(
                    f"{len(self.items)} left unredacted to check: numbers, capitals not at a sentence start, unusual "
                    "words. Enter goes to it, r redacts every mention, k keeps it, Esc goes back.",
                    id="leftover-help",
                )
            else:
                yield Static("Nothing left to check: no number, capital or unusual word is left unredacted.",
                             id="leftover-help")  # fmt: skip
            yield OptionList(*(describe(item, self.transcript) for item in self.items), id="leftover-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.items:
            options.highlighted = self.highlight
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Chosen(GO, self.items[event.option_index]))

    def action_choose(self, action: str) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None and self.items:
            self.dismiss(Chosen(action, self.items[index]))

    def action_close(self) -> None:
        self.dismiss(None)
