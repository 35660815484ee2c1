"""The editor's widgets: one row per segment (time, speaker, text with proposed spans), one per marker, and
the line editor that holds the current segment's text and tells the screen when the cursor leaves it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Edit, EditResult

from fieldvault.redact.review import ACCEPTED, REJECTED, UNDECIDED, ProposedSpan
from fieldvault.timecode import clock
from fieldvault.transcript import Marker, Segment

SPAN_STYLES = {UNDECIDED: "bold black on yellow", ACCEPTED: "bold white on dark_green", REJECTED: "dim strike"}
DOUBT_STYLE = "underline magenta"  # a word Whisper was unsure of: the transcriber listens there first
FLAG_STYLE = "bold magenta"


def doubtful_ranges(segment: Segment) -> list[tuple[int, int]]:
    """Where the segment's doubtful words stand in its text; a word since edited away is not found."""
    found, at = [], 0
    for word in segment.words:
        token = word.text.strip()
        start = segment.text.find(token, at) if token else -1
        if start < 0:
            continue
        at = start + len(token)
        if word.doubtful:
            found.append((start, at))
    return found


def segment_text(segment: Segment, spans: Sequence[ProposedSpan]) -> Text:
    """A segment's row: time, speaker, its flags (suspect, inaudible, crosstalk...), and its text with the
    proposed spans (``spans``, in order) marked and doubtful words underlined."""
    text = Text(f"{clock(segment.start, digits=0)} ", style="dim")
    text.append(f"{segment.speaker or '(speaker?)'}: ", style="bold" if segment.speaker else "italic dim")
    if segment.flags:
        text.append(f"⚑ {', '.join(segment.flags)} ", style=FLAG_STYLE)
    offset = len(text)
    done = 0
    for span in spans:
        text.append(segment.text[done : span.start])
        text.append(segment.text[span.start : span.end], style=SPAN_STYLES[span.state])
        done = span.end
    text.append(segment.text[done:])
    for start, end in doubtful_ranges(segment):
        text.stylize(DOUBT_STYLE, offset + start, offset + end)
    return text


class SegmentRow(Static):
    """A segment of the transcript; clicking it makes it the one being edited."""

    @dataclass
    class Chosen(Message):
        index: int

    def __init__(self, index: int) -> None:
        super().__init__(classes="segment-row")
        self.index = index
        self._lines = 0
        self._shown: tuple[Segment, tuple[ProposedSpan, ...]] | None = None

    def show(self, segment: Segment, spans: tuple[ProposedSpan, ...]) -> None:
        """New content, if it changed; the (costly, with hundreds of rows) layout runs only when the row's
        height changes."""
        if self._shown is not None and self._shown[0] is segment and self._shown[1] == spans:
            return
        self._shown = (segment, spans)
        text = segment_text(segment, spans)
        width = self.content_size.width
        lines = len(text.wrap(self.app.console, width)) if width else 0
        self.update(text, layout=not width or lines != self._lines)
        self._lines = lines

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Chosen(self.index))


class MarkerRow(Static):
    def __init__(self, number: int, marker: Marker) -> None:
        label = "prompt" if marker.kind == "prompt" else "note"
        super().__init__(f"── {label} at {clock(marker.at, digits=0)}: {marker.text}", classes=f"marker-row {label}")
        self.number = number


class LineEditor(TextArea):
    """The current segment's text. Up on the first line or down on the last goes to the next segment;
    Backspace at the start or Delete at the end joins segments, as in any editor.

    The screen's callbacks run at once, in the order of the keys: with messages, a key typed right after an
    arrow could land in the segment being left, and a loaded segment's Changed could pass for typing."""

    def __init__(
        self,
        on_typed: Callable[[str], None],
        on_edge: Callable[[int], None],
        on_join: Callable[[int], None],
        **kwargs: Any,
    ) -> None:
        super().__init__("", **kwargs)
        self.on_typed = on_typed  # the segment's whole text after each edit (loading a segment is no edit)
        self.on_edge, self.on_join = on_edge, on_join  # step -1: up / previous segment, +1: down / next

    def edit(self, edit: Edit) -> EditResult:
        result = super().edit(edit)
        self.on_typed(self.text)
        return result

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
