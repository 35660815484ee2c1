"""Export writers fed de-identified records directly: the shapes coding tools, subtitle players and
Excel need, and a qdpx with audio written in bounded memory."""

from __future__ import annotations

import csv
import io
import itertools
import re
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from lxml import etree

from fieldvault.export.formats import FORMATS, cues, txt
from fieldvault.export.output import FileSink, MemorySink
from fieldvault.export.qdpx import guid
from fieldvault.export.records import (
    UNREVIEWED,
    Answer,
    Audio,
    Bundle,
    Line,
    ParticipantRecord,
    Prompt,
    PromptMark,
    SessionRecord,
)
from fieldvault.export.text import header_lines

XSD = Path(__file__).parent.parent / "data" / "refi-qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}
PROMPTS = (
    Prompt(1, "Tell me your story.", "story"),
    Prompt(2, "Who helped you?", "helped"),
    Prompt(3, "What next?", "next"),
)
# A stereo recording: the interviewer starts her question before pressing the prompt key, and the two
# channels' segments overlap in time.
LINES = (
    Line(1.0, 20.0, "Participant", "It started when I was young."),
    Line(19.5, 24.0, "Interviewer", "Thank you."),
    Line(36.5, 40.24, "Interviewer", "Who helped you, women’s shelters or friends?"),
    Line(36.5, 38.0, "Participant", "Mm."),
    Line(39.0, 52.0, "Participant", "The shelter did."),
)
# Prompt 2 was pressed at 37.0 s; the gate places it at the start of the question under way (36.5 s).
MARKS = (PromptMark(0.0, PROMPTS[0]), PromptMark(36.5, PROMPTS[1]))


def _session(reviewed: bool = True, audio: Audio | None = None) -> SessionRecord:
    provenance = "Transcribed with tiny.en (faster-whisper) in 2026"
    return SessionRecord("Iris", "1", "interview", reviewed, provenance, 60.0, LINES, MARKS, audio)


def _bundle(*sessions: SessionRecord) -> Bundle:
    person = ParticipantRecord("Iris", (Answer("age", 41), Answer("services_used", "women’s shelter")))
    return Bundle(sessions or (_session(),), (person,), PROMPTS)


def _write(fmt: str, bundle: Bundle) -> dict[str, bytes]:
    sink = MemorySink()
    FORMATS[fmt](bundle, sink)
    return sink.files


def test_subtitle_cues_never_overlap_and_never_outlast_the_next() -> None:
    timed = cues(_session())
    assert all(a.end <= b.start for a, b in itertools.pairwise(timed))
    assert timed[0].end == 19.5  # the long answer is cut where the interviewer's "Thank you." begins
    assert "Interviewer: Who helped you" in timed[2].text and "Participant: Mm." in timed[2].text


def test_unreviewed_subtitles_say_so_in_every_cue_and_before_the_first() -> None:
    files = {**_write("srt", _bundle(_session(reviewed=False))), **_write("vtt", _bundle(_session(reviewed=False)))}
    srt = files["Iris_session-1.srt"].decode()
    assert srt.startswith(f"1\n00:00:00,000 --> 00:00:01,000\n{UNREVIEWED}\n")
    assert srt.count("[UNREVIEWED]") == len(cues(_session()))  # every spoken cue
    vtt = files["Iris_session-1.vtt"].decode()
    assert "NOTE" not in vtt and f"00:00:00.000 --> 00:00:01.000\n{UNREVIEWED}" in vtt
    starts = re.findall(r"(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})", vtt)
    assert all(end <= following for (_, end), (following, _) in itertools.pairwise(starts))


def test_a_line_of_no_length_joins_the_cue_it_falls_in_and_never_cuts_it_short() -> None:
    """QA E4: a zero-length line at 23.11 s became a 0 ms cue and cut the cue before it to 136 ms."""
    from dataclasses import replace

    lines = (*LINES[:2], Line(19.8, 19.8, "Participant", "two Help two"), *LINES[2:])
    timed = cues(replace(_session(), lines=lines))
    assert all(c.end > c.start for c in timed) and all(a.end <= b.start for a, b in itertools.pairwise(timed))
    assert [c.start for c in timed] == [c.start for c in cues(_session())]  # no cue of its own; none cut shorter
    assert "Interviewer: Thank you.\nParticipant: two Help two" in timed[1].text
    alone = cues(replace(_session(), lines=(*LINES[:2], Line(30.0, 30.0, "Participant", "Mm."), *LINES[2:])))
    assert [(c.start, c.end) for c in alone][2] == (30.0, 31.0)  # in a silence: a cue a reader can take in


def test_a_line_said_over_hers_shares_her_cue_and_never_cuts_it() -> None:
    """QA F20: the interviewer's "Mm-hm" starting 20 ms into her 3.7 s sentence cut her cue to those 20 ms, and
    nothing showed her words for the rest. A line said inside another shares its cue; each line is in one cue only
    (a coding tool that imports subtitles as its transcript must not get her sentence twice)."""
    from dataclasses import replace

    hers = Line(6.04, 9.74, "Participant", "[crosstalk] He came every Saturday.")
    mmhm = Line(6.06, 7.40, "Interviewer", "[crosstalk] Mm-hm")
    answer = Line(10.0, 40.0, "Participant", "It was a long story.")
    timed = cues(replace(_session(), lines=(hers, mmhm, answer, Line(25.0, 26.0, "Interviewer", "Mm-hm"))))
    assert [(c.start, c.end) for c in timed] == [(6.04, 9.74), (10.0, 40.0)]
    assert timed[0].text == "Participant: [crosstalk] He came every Saturday.\nInterviewer: [crosstalk] Mm-hm"
    assert timed[1].text == "Participant: It was a long story.\nInterviewer: Mm-hm"


def test_an_unreviewed_file_whose_speech_starts_at_once_warns_in_its_first_cue() -> None:
    """QA D28: speech from 0.03 s left the warning a 30 ms cue of its own, which no player shows."""
    from dataclasses import replace

    early = replace(_session(reviewed=False), lines=tuple(replace(line, start=0.03) if n == 0 else line
                                                           for n, line in enumerate(LINES)))  # fmt: skip
    timed = cues(early)
    assert timed[0].start == 0.03 and timed[0].text.startswith(f"{UNREVIEWED}\nParticipant:")
    assert all(c.end - c.start >= 1.0 for c in timed) and all("[UNREVIEWED]" in c.text for c in timed[1:])


def test_strict_subtitle_parsers_read_every_cue() -> None:
    import srt
    import webvtt

    for reviewed in (True, False):
        files = {**_write("srt", _bundle(_session(reviewed))), **_write("vtt", _bundle(_session(reviewed)))}
        subs = list(srt.parse(files["Iris_session-1.srt"].decode(), ignore_errors=False))
        captions = webvtt.from_buffer(io.StringIO(files["Iris_session-1.vtt"].decode())).captions
        assert len(subs) == len(captions) == len(cues(_session(reviewed)))
        assert all(a.end <= b.start for a, b in itertools.pairwise(subs))
        assert [c.text for c in captions] == [s.content for s in subs]
        assert reviewed or subs[0].content == UNREVIEWED


def test_header_lines_do_not_look_like_speaker_turns() -> None:
    for session in (_session(), _session(reviewed=False)):
        for line in header_lines(session):
            assert not re.match(r"^[^\s:]{1,40}:", line), line
    assert UNREVIEWED in header_lines(_session(reviewed=False))


def test_docx_and_txt_hold_the_same_lines() -> None:
    text = _write("txt", _bundle())["Iris_session-1.txt"].decode().splitlines()
    document = docx.Document(io.BytesIO(_write("docx", _bundle())["Iris_session-1.docx"]))
    assert [p.text for p in document.paragraphs] == [line for line in text if line]
    assert "[00:00:36] (Prompt 2) Who helped you?" in text


def test_csv_opens_in_excel_with_nvivo_timespans() -> None:
    data = _write("csv", _bundle())["segments.csv"]
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[2]["timespan"] == "00:00:36.5-00:00:40.2" and "women’s" in rows[2]["text"]
    assert [r["prompt"] for r in rows] == ["Prompt 1", "Prompt 1", "Prompt 2", "Prompt 2", "Prompt 2"]
    table = _write("demographics", _bundle())["demographics.csv"]
    assert table.startswith(b"\xef\xbb\xbf") and "women’s shelter" in table.decode("utf-8-sig")


def test_no_csv_cell_is_a_formula_a_spreadsheet_would_run() -> None:
    """QA D17: an answer "-counseling twice a week, +housing" opened as #NAME?, and a typed "=HYPERLINK(...)" or
    "@SUM(...)" would run when the coder opens the file. Such cells start with an apostrophe; numbers stay
    numbers, and other text is untouched."""
    typed = ("-counseling twice a week, +housing", '=HYPERLINK("x","see")', "@SUM(A1)", "+1 555 0100", "\tx")
    person = ParticipantRecord("Iris", (Answer("age", 41), *(Answer(f"q{n}", t) for n, t in enumerate(typed))))
    lines = (Line(1.0, 2.0, "Participant", "=1+1"), Line(2.0, 3.0, "Interviewer", "- and then?"))
    session = SessionRecord("Iris", "1", "interview", True, "p", 60.0, lines, MARKS, None)
    table = _write("demographics", Bundle((session,), (person,), PROMPTS))["demographics.csv"]
    (row,) = list(csv.DictReader(io.StringIO(table.decode("utf-8-sig"))))
    assert [row[f"q{n}"] for n in range(len(typed))] == [f"'{t}" for t in typed] and row["age"] == "41"
    data = _write("csv", Bundle((session,), (person,), PROMPTS))["segments.csv"]
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["text"] for r in rows] == ["'=1+1", "'- and then?"] and rows[0]["start"] == "1.00"
    plain = _write("csv", _bundle())["segments.csv"].decode("utf-8-sig")
    assert not any(r["text"].startswith("'") for r in csv.DictReader(io.StringIO(plain)))


def _dialect(name: str, session: SessionRecord | None = None) -> str:
    sink = MemorySink()
    txt(name)(_bundle(session or _session()), sink)
    return sink.files["Iris_session-1.txt"].decode()


def test_nvivo_dialect_is_tab_delimited_rows_with_timespans() -> None:
    rows = _dialect("nvivo", _session(reviewed=False)).splitlines()
    assert rows[0] == "Timespan\tSpeaker\tContent"
    assert {row.count("\t") for row in rows} == {2}
    assert all(re.match(r"\d\d:\d\d:\d\d\.\d-\d\d:\d\d:\d\d\.\d\t", row) for row in rows[1:])
    assert any(UNREVIEWED in row for row in rows)
    assert "00:00:36.5-00:00:40.2\tInterviewer\tWho helped you" in "\n".join(rows)


def test_qualcoder_maxqda_and_atlas_dialects_open_each_paragraph_with_their_timestamp() -> None:
    qualcoder = _dialect("qualcoder").split("\n\n", 1)[1].splitlines()
    # the expression QualCoder's AV coder uses for timestamps with milliseconds (refi.py, hhmmss_sss)
    assert all(re.match(r"#[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]{1,3}#", line) for line in qualcoder)
    maxqda = _dialect("maxqda").split("\n\n")
    assert all(re.match(r"\[\d\d:\d\d:\d\d\] ", p) for p in maxqda[2:])
    assert "[00:00:36] Interviewer: Who helped you, women’s shelters or friends?" in maxqda
    atlas = _dialect("atlas").split("\n\n")
    assert "#00:00:36.5# Interviewer: Who helped you, women’s shelters or friends?" in atlas


def _project(files: dict[str, bytes]) -> tuple[etree._Element, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(files["project.qdpx"]))
    project = etree.fromstring(archive.read("project.qde"))
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(project)
    return project, archive


def test_prompt_codes_keep_the_guides_numbers_whatever_an_export_holds() -> None:
    only_second = SessionRecord("Iris", "s2", "interview", True, "x", 9.0, LINES[2:3], MARKS[1:], None)
    project, _ = _project(_write("qdpx", _bundle(only_second)))
    codes = {c.get("name"): c.get("guid") for c in project.iterfind(".//q:Code", NS)}
    assert codes["Prompt 2"] == guid("code", "helped")
    assert [s.get("name") for s in project.iterfind(".//q:PlainTextSelection", NS)] == ["Case", "Prompt 2"]
    coded = project.find(".//q:PlainTextSelection[@name='Prompt 2']/q:Coding/q:CodeRef", NS)
    assert coded.get("targetGUID") == codes["Prompt 2"]


def test_cases_are_linked_through_a_code_with_the_cases_guid() -> None:
    project, archive = _project(_write("qdpx", _bundle()))
    case = project.find(".//q:Case", NS)
    code = project.find(f".//q:Code[@guid='{case.get('guid')}']", NS)
    assert code is not None and code.get("isCodable") == "true"
    source = project.find(".//q:TextSource", NS)
    whole = source.find("q:PlainTextSelection", NS)
    text = archive.read("sources/" + source.get("plainTextPath").removeprefix("internal://")).decode()
    assert (whole.get("startPosition"), whole.get("endPosition")) == ("0", str(len(text)))
    assert whole.find("q:Coding/q:CodeRef", NS).get("targetGUID") == case.get("guid")


def _silence(total: int) -> Audio:
    def chunks() -> Iterator[bytes]:
        for _ in range(total // 65536):
            yield bytes(65536)

    return Audio(48000, 2, total, chunks)


def test_audio_sources_have_extensions_and_transcripts_as_internal_text_files(tmp_path: Path) -> None:
    project, archive = _project(_write("qdpx", _bundle(_session(reviewed=False, audio=_silence(65536 * 4)))))
    audio = project.find(".//q:AudioSource", NS)
    assert audio.get("name") == "Iris session 1 (UNREVIEWED).wav"
    transcript = audio.find("q:Transcript", NS)
    assert transcript.find("q:PlainTextContent", NS) is None
    text = archive.read("sources/" + transcript.get("plainTextPath").removeprefix("internal://")).decode()
    assert UNREVIEWED in text and "Who helped you" in text
    points = {p.get("guid"): int(p.get("position")) for p in transcript.iterfind("q:SyncPoint", NS)}
    for selection in transcript.iterfind("q:TranscriptSelection", NS):
        assert selection.get("fromSyncPoint") in points and selection.get("toSyncPoint") in points
    wav = archive.read("sources/" + audio.get("path").removeprefix("internal://"))
    assert len(wav) == 44 + 65536 * 4 and wav[40:44] == (65536 * 4).to_bytes(4, "little")
    assert project.find(".//q:TextSource", NS) is None  # the transcript is the audio's, not a second source


def test_qdpx_with_audio_is_written_in_bounded_memory(tmp_path: Path) -> None:
    size = 96 * 1024 * 1024
    tracemalloc.start()
    try:
        FORMATS["qdpx"](_bundle(_session(audio=_silence(size))), FileSink(tmp_path / "big.qdpx", None))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB for a {size / 2**20:.0f} MiB recording"
    with zipfile.ZipFile(tmp_path / "big.qdpx") as archive:
        (wav,) = [i for i in archive.infolist() if i.filename.endswith(".wav")]
        assert wav.file_size == size + 44
