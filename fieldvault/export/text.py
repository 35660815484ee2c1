"""Timestamped speaker paragraphs, the shape every text export shares, and the timestamped-text
dialects that coding tools import.

A paragraph reads "[hh:mm:ss] Speaker: text"; a prompt of the guide "[hh:mm:ss] (Prompt 2) text".
Header lines never look like a speaker turn (no "Word:" at their start), so speaker auto-coding
in MAXQDA or NVivo does not take them for one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fieldvault.export.records import UNREVIEWED, Prompt, SessionRecord
from fieldvault.timecode import clock

MERGE_GAP = 2.0  # seconds of silence under which one speaker's segments stay one paragraph


@dataclass(frozen=True)
class Paragraph:
    start: float
    end: float
    speaker: str | None
    text: str
    prompt: Prompt | None = None

    def body(self) -> str:
        if self.prompt is not None:
            return f"({self.prompt.label}) {self.text}"
        return f"{self.speaker}: {self.text}" if self.speaker else self.text

    def line(self) -> str:
        return f"[{clock(self.start, digits=0)}] {self.body()}"


def paragraphs(session: SessionRecord) -> list[Paragraph]:
    """Segments merged per speaker turn, with the guide's prompts where they were shown; a turn never
    runs across a prompt."""
    timeline = sorted(
        [Paragraph(m.at, m.at, None, m.prompt.text, m.prompt) for m in session.marks]
        + [Paragraph(s.start, s.end, s.speaker, s.text.strip()) for s in session.lines],
        key=lambda p: (p.start, p.prompt is None),
    )
    merged: list[Paragraph] = []
    for paragraph in timeline:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.prompt is None
            and paragraph.prompt is None
            and last.speaker == paragraph.speaker
            and paragraph.start - last.end < MERGE_GAP
        ):
            merged[-1] = Paragraph(last.start, paragraph.end, last.speaker, f"{last.text} {paragraph.text}".strip())
        else:
            merged.append(paragraph)
    return merged


def header_lines(session: SessionRecord) -> list[str]:
    state = "redaction reviewed" if session.reviewed else "redaction NOT reviewed"
    lines = [
        f"Interview transcript · participant {session.participant} · session {session.session} · {session.kind}",
        f"{session.provenance} · {state}",
    ]
    return lines if session.reviewed else [*lines, UNREVIEWED]


def layout(session: SessionRecord) -> tuple[str, list[tuple[Paragraph, int]]]:
    """The plain text, and where each paragraph starts in it (Unicode code points, as REFI-QDA counts)."""
    text = "\n".join(header_lines(session)) + "\n\n"
    placed = []
    for paragraph in paragraphs(session):
        placed.append((paragraph, len(text)))
        text += paragraph.line() + "\n"
    return text, placed


# --- dialects of timestamped text -----------------------------------------------------------


def plain(session: SessionRecord) -> str:
    return layout(session)[0]


def _blank_line_between(session: SessionRecord, stamp: Callable[[Paragraph], str]) -> str:
    lines = [*header_lines(session), *(f"{stamp(p)} {p.body()}" for p in paragraphs(session))]
    return "\n\n".join(lines) + "\n"


def maxqda(session: SessionRecord) -> str:
    """MAXQDA "Transcript with Timestamps": a timestamp opening each paragraph, paragraphs apart."""
    return _blank_line_between(session, lambda p: f"[{clock(p.start, digits=0)}]")


def atlas(session: SessionRecord) -> str:
    """ATLAS.ti: #hh:mm:ss.s# opening each paragraph."""
    return _blank_line_between(session, lambda p: f"#{clock(p.start, digits=1)}#")


def qualcoder(session: SessionRecord) -> str:
    """QualCoder's AV coder: #hh:mm:ss.sss# (milliseconds) opening each paragraph."""
    lines = [*header_lines(session), "", *(f"#{clock(p.start)}# {p.body()}" for p in paragraphs(session))]
    return "\n".join(lines) + "\n"


def timespan(start: float, end: float) -> str:
    """NVivo's timespan form, to the tenth of a second: 00:01:05.2-00:01:09.8."""
    return f"{clock(start, digits=1)}-{clock(max(start, end), digits=1)}"


def _cell(text: str) -> str:
    return " ".join(text.split())


def nvivo(session: SessionRecord) -> str:
    """NVivo "Import Rows": tab-delimited Timespan, Speaker, Content, every line with the same tabs."""
    rows = ["Timespan\tSpeaker\tContent"]
    rows += [f"{timespan(0, 0)}\t\t{_cell(line)}" for line in header_lines(session)]
    for p in paragraphs(session):
        speaker = p.prompt.label if p.prompt else (p.speaker or "")
        rows.append(f"{timespan(p.start, p.end)}\t{_cell(speaker)}\t{_cell(p.text)}")
    return "\n".join(rows) + "\n"


DIALECTS: dict[str, Callable[[SessionRecord], str]] = {
    "plain": plain,
    "maxqda": maxqda,
    "nvivo": nvivo,
    "atlas": atlas,
    "qualcoder": qualcoder,
}
