"""Each export format as a writer: de-identified records in, files into a sink.

Writers see only export.records (never the study); every string they write was scrubbed by the gate,
and what they add themselves is fixed text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from fieldvault.export.records import UNREVIEWED, Bundle, SessionRecord, Sink
from fieldvault.export.text import DIALECTS, header_lines, paragraphs, timespan
from fieldvault.timecode import clock

Writer = Callable[[Bundle, Sink], None]


def _put(sink: Sink, name: str, data: bytes) -> None:
    with sink.open(name) as out:
        out.write(data)


def txt(dialect: str) -> Writer:
    render = DIALECTS[dialect]

    def write(bundle: Bundle, sink: Sink) -> None:
        for session in bundle.sessions:
            _put(sink, f"{session.stem}.txt", render(session).encode("utf-8"))

    return write


def docx(bundle: Bundle, sink: Sink) -> None:
    """The same lines as the plain text, the header in italics, the speaker in bold."""
    from docx import Document
    from docx.shared import Pt

    for session in bundle.sessions:
        document = Document()
        first, *rest = header_lines(session)
        document.add_heading(first, level=1)
        for line in rest:
            run = document.add_paragraph().add_run(line)
            run.italic = True
            run.bold = line == UNREVIEWED
        for paragraph in paragraphs(session):
            p = document.add_paragraph()
            p.add_run(f"[{clock(paragraph.start, digits=0)}] ").font.size = Pt(9)
            if paragraph.prompt is not None:
                p.add_run(paragraph.body()).italic = True
                continue
            if paragraph.speaker:
                p.add_run(f"{paragraph.speaker}: ").bold = True
            p.add_run(paragraph.text)
        properties = document.core_properties
        properties.title = session.title + ("" if session.reviewed else " (UNREVIEWED)")
        properties.author = properties.last_modified_by = "fieldvault"
        properties.comments = "" if session.reviewed else UNREVIEWED
        out = io.BytesIO()
        document.save(out)
        _put(sink, f"{session.stem}.docx", out.getvalue())


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


WARNING_CUE = 1.0  # seconds: the shortest cue a reader can take in, as the unreviewed warning before the first words
OVERLAP = 0.25  # seconds: a line ending this little after the cue it starts in is said inside it


def _joins(last: Cue, start: float, end: float) -> bool:
    """A line starting at ``start`` is shown with the cue before it: segments starting together; words with no
    duration (QA E4) that fall in it; a line said inside it (a "Mm-hm" over her sentence, QA F20), or one that
    would cut it to less than a reader can take in. Any other line ends the cue where it begins."""
    if abs(last.start - start) < 0.001:
        return True
    if end <= start:
        return start <= last.end
    return start < last.end and (end <= last.end + OVERLAP or start - last.start < WARNING_CUE)


def cues(session: SessionRecord) -> list[Cue]:
    """One cue per start time (segments starting together share it), each ending no later than the next begins,
    none of no length, each line in exactly one cue (a coding tool that imports subtitles as its transcript must
    not get a sentence twice); a line said inside another shares its cue rather than cutting it to the moment
    before it (QA F20); an unreviewed session says so in every cue and before the first."""
    merged: list[Cue] = []
    for line in sorted(session.lines, key=lambda s: (s.start, s.end)):
        text = f"{line.speaker}: {line.text.strip()}" if line.speaker else line.text.strip()
        timeless = line.end <= line.start
        if merged and _joins(merged[-1], line.start, line.end):
            last = merged[-1]
            merged[-1] = Cue(last.start, max(last.end, line.end), f"{last.text}\n{text}")
        else:  # a line of no length in a silence: a cue a reader can take in
            merged.append(Cue(line.start, line.start + WARNING_CUE if timeless else line.end, text))
    timed = [
        Cue(c.start, min(c.end, merged[n + 1].start) if n + 1 < len(merged) else c.end, c.text)
        for n, c in enumerate(merged)
    ]
    if session.reviewed:
        return timed
    tagged = [Cue(c.start, c.end, f"[UNREVIEWED]\n{c.text}") for c in timed]
    first = timed[0].start if timed else session.duration
    if first >= WARNING_CUE or not timed:
        return [Cue(0.0, first, UNREVIEWED), *tagged] if first > 0 else tagged
    # Too little time before the first words for a cue of its own (QA D28: a 30 ms cue no player shows): the
    # first spoken cue carries the whole warning.
    head = timed[0]
    return [Cue(head.start, head.end, f"{UNREVIEWED}\n{head.text}"), *tagged[1:]]


def srt(bundle: Bundle, sink: Sink) -> None:
    for session in bundle.sessions:
        blocks = [
            f"{n}\n{clock(c.start, ',')} --> {clock(c.end, ',')}\n{c.text}\n"
            for n, c in enumerate(cues(session), start=1)
        ]
        _put(sink, f"{session.stem}.srt", "\n".join(blocks).encode("utf-8"))


def vtt(bundle: Bundle, sink: Sink) -> None:
    for session in bundle.sessions:
        lines = ["WEBVTT", ""]
        for c in cues(session):
            lines += [f"{clock(c.start)} --> {clock(c.end)}", c.text, ""]
        _put(sink, f"{session.stem}.vtt", "\n".join(lines).encode("utf-8"))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet takes for the start of a formula


def _csv(rows: list[list[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opened by double-click reads "women’s" right. A text cell that a
    spreadsheet would run as a formula ("-counseling, +housing", a typed "=HYPERLINK(...)") starts with an
    apostrophe, as OWASP advises against CSV injection (QA D17); numbers stay numbers."""
    out = io.StringIO()
    csv.writer(out).writerows(
        [f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell for cell in row]
        for row in rows
    )
    return out.getvalue().encode("utf-8-sig")


def _prompt_at(session: SessionRecord, at: float) -> str:
    shown = [p for p in paragraphs(session) if p.prompt is not None and p.start <= at]
    return shown[-1].prompt.label if shown and shown[-1].prompt else ""


SEGMENT_COLUMNS = (
    "pseudonym",
    "session",
    "segment",
    "timespan",
    "start",
    "end",
    "speaker",
    "prompt",
    "text",
    "reviewed",
)


def segments_csv(bundle: Bundle, sink: Sink) -> None:
    rows: list[list[object]] = [list(SEGMENT_COLUMNS)]
    for session in bundle.sessions:
        for n, s in enumerate(session.lines):
            rows.append(
                [
                    session.participant,
                    session.session,
                    n,
                    timespan(s.start, s.end),
                    f"{s.start:.2f}",
                    f"{s.end:.2f}",
                    s.speaker or "",
                    _prompt_at(session, s.start),
                    s.text,
                    "yes" if session.reviewed else "no",
                ]
            )
    _put(sink, "segments.csv", _csv(rows))


def demographics(bundle: Bundle, sink: Sink) -> None:
    """One row per participant with her questionnaire answers."""
    fields = bundle.fields
    rows: list[list[object]] = [["pseudonym", *fields]]
    for person in sorted(bundle.participants, key=lambda p: p.name):
        values = {a.field: a.value for a in person.answers}
        rows.append([person.name, *(values.get(f, "") for f in fields)])
    _put(sink, "demographics.csv", _csv(rows))


def qdpx(bundle: Bundle, sink: Sink) -> None:
    from fieldvault.export.qdpx import write

    write(bundle, sink)


FORMATS: dict[str, Writer] = {
    "qdpx": qdpx,
    "docx": docx,
    "txt": txt("plain"),
    "srt": srt,
    "vtt": vtt,
    "csv": segments_csv,
    "demographics": demographics,
}
SINGLE_FILE = {"qdpx", "csv", "demographics"}
