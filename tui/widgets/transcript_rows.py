"""The editor's widgets: one row per segment (time, speaker, text with proposed spans), one per marker, and
the line editor that holds the current segment's text and tells the screen when the cursor leaves it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static, TextArea

from fieldvault.editing import Draft, clock
from fieldvault.redact.review import ACCEPTED, REJECTED, UNDECIDED
from fieldvault.transcript import Marker

SPAN_STYLES = {UNDECIDED: "bold black on yellow", ACCEPTED: "bold white on dark_green", REJECTED: "dim strike"}


def segment_text(draft: Draft, index: int) -> Text:
    segment = draft.segments[index]
    text = Text(f"{clock(segment.start)} ", style="dim")
    text.append(f"{segment.speaker or '(speaker?)'}: ", style="bold" if segment.speaker else "italic dim")
    done = 0
    for span in draft.spans_of(index):
        text.append(segment.text[done : span.start])
        text.append(segment.text[span.start : span.end], style=SPAN_STYLES[span.state])
        done = span.end
    text.append(segment.text[done:])
    return text


class SegmentRow(Static):
    """A segment of the transcript; clicking it makes it the one being edited."""

    @dataclass
    class Chosen(Message):
        index: int

    def __init__(self, index: int) -> None:
        super().__init__(classes="segment-row")
        self.index = index

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Chosen(self.index))


class MarkerRow(Static):
    def __init__(self, number: int, marker: Marker) -> None:
        label = "prompt" if marker.kind == "prompt" else "note"
        super().__init__(f"── {label} at {clock(marker.at)}: {marker.text}", classes=f"marker-row {label}")
        self.number = number


class LineEditor(TextArea):
    """The current segment's text. Up on the first line or down on the last goes to the next segment;
    Backspace at the start or Delete at the end joins segments, as in any editor.

    The screen's callbacks run at once, in the order of the keys: with a message, a key typed right after
    an arrow could land in the segment being left."""

    def __init__(self, on_edge: Callable[[int], None], on_join: Callable[[int], None], **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.on_edge, self.on_join = on_edge, on_join  # step -1: up / previous segment, +1: down / next

    def _visual_row(self) -> tuple[int, int]:
        return self.wrapped_document.location_to_offset(self.cursor_location).y, self.wrapped_document.height

    def action_cursor_up(self, select: bool = False) -> None:
        if not select and self._visual_row()[0] == 0:
            self.on_edge(-1)
            return
        super().action_cursor_up(select)

    def action_cursor_down(self, select: bool = False) -> None:
        row, height = self._visual_row()
        if not select and row >= height - 1:
            self.on_edge(1)
            return
        super().action_cursor_down(select)

    def action_delete_left(self) -> None:
        if self.selection.is_empty and self.cursor_location == (0, 0):
            self.on_join(-1)
            return
        super().action_delete_left()

    def action_delete_right(self) -> None:
        if self.selection.is_empty and self.cursor_location == self.document.end:
            self.on_join(1)
            return
        super().action_delete_right()
