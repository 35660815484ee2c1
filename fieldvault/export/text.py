"""Timestamped speaker paragraphs, the shape every text export shares.

"[hh:mm:ss] Speaker: text" at the start of each paragraph imports as timestamps in NVivo, MAXQDA
("Transcript with Timestamps") and QualCoder.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldvault.export.selection import ExportItem
from fieldvault.timecode import hms

UNREVIEWED = "UNREVIEWED: identifiers may remain in this transcript; it has not been fully reviewed."


@dataclass(frozen=True)
class Paragraph:
    start: float
    end: float
    speaker: str | None
    text: str
    is_prompt: bool = False

    def line(self) -> str:
        if self.is_prompt:
            return f"[{hms(self.start)}] (Prompt) {self.text}"
        speaker = f"{self.speaker}: " if self.speaker else ""
        return f"[{hms(self.start)}] {speaker}{self.text}"


def paragraphs(item: ExportItem) -> list[Paragraph]:
    """Segments merged per speaker turn, with the interview guide's prompts where they were shown;
    a turn never runs across a prompt."""
    timeline = sorted(
        [Paragraph(m.at, m.at, None, m.text, True) for m in item.markers]
        + [Paragraph(s.start, s.end, s.speaker, s.text.strip()) for s in item.segments],
        key=lambda p: (p.start, not p.is_prompt),
    )
    merged: list[Paragraph] = []
    for paragraph in timeline:
        last = merged[-1] if merged else None
        if (
            last
            and not last.is_prompt
            and not paragraph.is_prompt
            and last.speaker == paragraph.speaker
            and paragraph.start - last.end < 2.0
        ):
            merged[-1] = Paragraph(last.start, paragraph.end, last.speaker, f"{last.text} {paragraph.text}".strip())
        else:
            merged.append(paragraph)
    return merged


def header_lines(item: ExportItem) -> list[str]:
    t = item.transcript
    lines = [
        f"Participant: {item.pseudonym}",
        f"Session: {item.session}",
        f"Transcribed with {t.model.get('name')} ({t.backend}) on {t.created[:10]}",
        "Redaction: reviewed" if item.reviewed else UNREVIEWED,
    ]
    return lines


def layout(item: ExportItem) -> tuple[str, list[tuple[Paragraph, int]]]:
    """The plain text, and where each paragraph starts in it (Unicode code points, as REFI-QDA counts)."""
    text = "\n".join([*header_lines(item), ""]) + "\n"
    placed = []
    for paragraph in paragraphs(item):
        placed.append((paragraph, len(text)))
        text += paragraph.line() + "\n"
    return text, placed


def plain_text(item: ExportItem) -> str:
    return layout(item)[0]
