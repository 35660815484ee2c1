"""Each export format as a function from the selected sessions to named files (bytes, in memory)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from fieldvault.export.selection import ExportItem
from fieldvault.export.text import UNREVIEWED, header_lines, paragraphs, plain_text
from fieldvault.timecode import hms_millis

Files = dict[str, bytes]


def _name(item: ExportItem, extension: str) -> str:
    return f"{item.pseudonym}_{item.session}.{extension}"


def txt(items: list[ExportItem]) -> Files:
    return {_name(i, "txt"): plain_text(i).encode("utf-8") for i in items}


def docx(items: list[ExportItem]) -> Files:
    from docx import Document
    from docx.shared import Pt

    files = {}
    for item in items:
        document = Document()
        document.add_heading(f"Interview with {item.pseudonym}", level=1)
        for line in header_lines(item):
            run = document.add_paragraph().add_run(line)
            run.italic = True
            run.bold = line == UNREVIEWED
        for paragraph in paragraphs(item):
            p = document.add_paragraph()
            p.add_run(f"[{paragraph.line()[1:9]}] ").font.size = Pt(9)
            if paragraph.is_prompt:
                p.add_run(f"Prompt: {paragraph.text}").italic = True
                continue
            if paragraph.speaker:
                p.add_run(f"{paragraph.speaker}: ").bold = True
            p.add_run(paragraph.text)
        out = io.BytesIO()
        document.core_properties.title = f"{item.pseudonym} {item.session}"
        document.core_properties.author = "fieldvault"
        document.save(out)
        files[_name(item, "docx")] = out.getvalue()
    return files


def _cue_text(item: ExportItem, index: int) -> str:
    segment = item.segments[index]
    return f"{segment.speaker}: {segment.text}" if segment.speaker else segment.text


def srt(items: list[ExportItem]) -> Files:
    files = {}
    for item in items:
        cues = [
            f"{n}\n{hms_millis(s.start, ',')} --> {hms_millis(s.end, ',')}\n{_cue_text(item, n - 1)}\n"
            for n, s in enumerate(item.segments, start=1)
        ]
        if not item.reviewed:
            cues.insert(0, f"0\n00:00:00,000 --> 00:00:00,500\n{UNREVIEWED}\n")
        files[_name(item, "srt")] = "\n".join(cues).encode("utf-8")
    return files


def vtt(items: list[ExportItem]) -> Files:
    files = {}
    for item in items:
        lines = ["WEBVTT", ""]
        if not item.reviewed:
            lines += [f"NOTE {UNREVIEWED}", ""]
        for n, segment in enumerate(item.segments):
            lines += [f"{hms_millis(segment.start, '.')} --> {hms_millis(segment.end, '.')}", _cue_text(item, n), ""]
        files[_name(item, "vtt")] = "\n".join(lines).encode("utf-8")
    return files


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def segments_csv(items: list[ExportItem]) -> Files:
    rows: list[list[object]] = [["pseudonym", "session", "segment", "start", "end", "speaker", "text", "reviewed"]]
    for item in items:
        for n, s in enumerate(item.segments):
            rows.append(
                [
                    item.pseudonym,
                    item.session,
                    n,
                    f"{s.start:.2f}",
                    f"{s.end:.2f}",
                    s.speaker or "",
                    s.text,
                    "yes" if item.reviewed else "no",
                ]
            )
    return {"segments.csv": _csv(rows)}


def demographics(items: list[ExportItem]) -> Files:
    """One row per participant with her questionnaire answers (multi-choice joined with '; ')."""
    profiles = {i.pseudonym: i.profile for i in items if i.profile is not None}
    fields = sorted({k for p in profiles.values() for k in p.answers})
    rows: list[list[object]] = [["pseudonym", *fields]]
    for pseudonym, profile in sorted(profiles.items()):
        values = [profile.answers.get(f) for f in fields]
        rows.append([pseudonym, *("; ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in values)])
    return {"demographics.csv": _csv(rows)}


def qdpx(items: list[ExportItem]) -> Files:
    from fieldvault.export.qdpx import build

    return build(items)


FORMATS: dict[str, Callable[[list[ExportItem]], Files]] = {
    "qdpx": qdpx,
    "docx": docx,
    "txt": txt,
    "srt": srt,
    "vtt": vtt,
    "csv": segments_csv,
    "demographics": demographics,
}
SINGLE_FILE = {"qdpx", "csv", "demographics"}
