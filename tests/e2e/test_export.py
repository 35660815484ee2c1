"""Exports for coding tools, checked by real readers: the REFI-QDA XSD, python-docx, LibreOffice, age."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import unicodedata
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from fieldvault import wavstream
from fieldvault.agefile import AgeWriter
from fieldvault.events import SessionEvents
from fieldvault.guide import Guide
from fieldvault.overview import SessionState, overview
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant, sealed_lists
from fieldvault.redact.review import ACCEPTED, propose, save
from fieldvault.study import Study
from fieldvault.transcript import Marker, Segment, Transcript
from tests.conftest import ANSWERS, PASSPHRASE, need, store_reviewed
from tests.e2e.test_cli import assert_one_line_error, fv

XSD = Path(__file__).parent.parent / "data" / "refi-qda" / "Project.xsd"
KNOWN = {
    "Rose": [KnownIdentifier("Marcus"), KnownIdentifier("Van Buren Street", "LOCATION"), KnownIdentifier("Cinnamon")],
    "Lily": [KnownIdentifier("Tyrone"), KnownIdentifier("Kayla")],
    "Grace": [KnownIdentifier("Darnell")],
}
TEXTS = {
    "Rose": [
        "They called me Cinnamon on Van Buren Street.",
        "Marcus was my pimp. marcus took everything.",
        "My case manager helped me find housing.",
    ],
    "Lily": ["Tyrone sold me when I was sixteen.", "My daughter Kayla is nine now.", "Faith got me out."],
    "Grace": ["Darnell never let me go to school.", "I got my GED in jail."],
}
NOW = datetime(2026, 11, 24, tzinfo=UTC)
GUIDE = Guide.for_study(None).prompts  # the example guide: narrative prompt, then follow-ups


def _session(study: Study, pseudonym: str, review: bool, audio: bool = False) -> None:
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    keys = study.unlock(PASSPHRASE.encode()) if sealed_lists(study, pseudonym) else []  # her name is checked
    add_participant(study, pseudonym, {**ANSWERS, "age": 30 + len(pseudonym)}, consent, KNOWN[pseudonym], keys)
    session = "20261124-100000"
    folder = study.root / "participants" / pseudonym / session
    folder.mkdir()
    with (folder / "audio.wav.age").open("wb") as out:
        writer = AgeWriter(out, study.recipients())
        writer.write(wavstream.header(wavstream.WavFormat(16000, 1)) + bytes(16000 * 2 * 3 if audio else 3200))
        writer.finish()
    study.write_new(folder / "events.json.age", SessionEvents(pseudonym, session, {}).to_json())  # binds it to her
    segments = tuple(
        Segment(4.0 * i + 1, 4.0 * i + 4, t, "Participant" if i else None) for i, t in enumerate(TEXTS[pseudonym])
    )
    markers = (
        Marker(0.0, "prompt", GUIDE[0]),
        Marker(4.5, "note", "Marcus?"),
        Marker(8.5, "prompt", GUIDE[1]),
    )
    transcript = Transcript(
        pseudonym,
        session,
        segments,
        markers,
        {"name": "tiny.en"},
        "faster-whisper",
        {},
        12.0,
        2.0,
        "2026-11-24T11:00:00+00:00",
    )
    study.write_new(folder / "transcript.json.age", transcript.to_json())
    redactions = propose(transcript, KNOWN[pseudonym])
    if review:
        for span in redactions.spans:
            redactions.decide(span.id, ACCEPTED, "reviewer", NOW)
        redactions.mark_reviewed("reviewer", NOW)
        store_reviewed(study, redactions)
    else:
        save(study, redactions)


@pytest.fixture
def exportable(ready_study: Study) -> Study:
    _session(ready_study, "Rose", review=True, audio=True)
    _session(ready_study, "Lily", review=True)
    _session(ready_study, "Grace", review=False)
    return ready_study


def _all_bytes(path: Path) -> bytes:
    """Every byte of an export, with zip containers (qdpx, docx) opened up."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    data = b""
    for file in files:
        raw = file.read_bytes()
        data += raw
        if zipfile.is_zipfile(file):
            with zipfile.ZipFile(file) as archive:
                data += b"".join(archive.read(n) for n in archive.namelist())
    return data


def _no_identifier_leaks(path: Path) -> None:
    everything = _all_bytes(path).lower()
    for person in KNOWN.values():
        for item in person:
            assert item.text.lower().encode() not in everything, item.text


FORMATS = ["qdpx", "docx", "txt", "srt", "vtt", "csv", "demographics"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_exports_reviewed_sessions_without_identifiers(
    exportable: Study, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"export-{fmt}"
    done = fv("export", str(exportable.root), "--format", fmt, "--out", str(out))
    assert done.returncode == 0, done.stderr
    _no_identifier_leaks(out)
    if fmt == "demographics":  # the sample table: a row for every participant, Grace too (QA H13)
        assert "exported 3 participant(s)" in done.stdout
        return
    assert "exported 2 session(s)" in done.stdout  # Grace's transcript is not reviewed
    assert b"Grace" not in _all_bytes(out)  # her transcript is not reviewed, so nothing of hers goes out


def test_qdpx_validates_against_the_refi_qda_schema(exportable: Study, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    assert fv("export", str(exportable.root), "--format", "qdpx", "--out", str(out)).returncode == 0
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    with zipfile.ZipFile(out) as archive:
        project = etree.fromstring(archive.read("project.qde"))
        schema.assertValid(project)
        names = archive.namelist()
        ns = {"q": "urn:QDA-XML:project:1.0"}
        sources = project.findall(".//q:TextSource", ns)
        assert len(sources) == 2
        for source in sources:
            path = "sources/" + source.get("plainTextPath").removeprefix("internal://")
            assert path in names
            text = archive.read(path).decode()
            selections = source.findall("q:PlainTextSelection", ns)
            assert [s.get("name") for s in selections] == ["Case", "Prompt 1", "Prompt 2"]
            for selection in selections[1:]:
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                assert text[start:].startswith("[00:00:0") and f"({selection.get('name')})" in text[start:end]
        cases = {c.get("name"): c for c in project.findall(".//q:Case", ns)}
        assert set(cases) == {"Rose", "Lily"}
        values = {
            v.find("q:VariableRef", ns).get("targetGUID"): v for v in cases["Rose"].findall("q:VariableValue", ns)
        }
        assert any(v.findtext("q:IntegerValue", namespaces=ns) == "34" for v in values.values())
        codes = [c.get("name") for c in project.findall(".//q:Code", ns)]
        assert codes == ["Interview prompts", "Prompt 1", "Prompt 2", "Prompt 3", "Lily", "Rose"]
        assert "Marcus?" not in archive.read(names[1]).decode()  # interviewer notes are never exported


def test_an_independent_refi_qda_reader_finds_what_was_exported(exportable: Study, tmp_path: Path) -> None:
    from pyqdpx import QDPX

    out = tmp_path / "study.qdpx"
    assert fv("export", str(exportable.root), "--format", "qdpx", "--out", str(out)).returncode == 0
    project = QDPX(str(out)).get_project()
    assert project is not None
    codes = {code.name for code in project.codes.values()}
    assert {"Interview prompts", "Prompt 1", "Prompt 2", "Prompt 3", "Rose", "Lily"} <= codes
    sources = {source.name: source for source in project.sources.values()}
    assert set(sources) == {"Rose session 1", "Lily session 1"}
    rose = sources["Rose session 1"]
    assert "[PERSON 2] was my pimp" in rose.text_content and "Marcus" not in rose.text_content
    coded = sorted((s.code.name, s.text) for s in rose.coded_selections.values())
    assert [name for name, _ in coded] == ["Prompt 1", "Prompt 2", "Rose"]
    assert coded[0][1].startswith(f"[00:00:00] (Prompt 1) {GUIDE[0]}") and "[STREET]" in coded[0][1]
    assert coded[1][1].startswith(f"[00:00:08] (Prompt 2) {GUIDE[1]}")
    assert coded[2][1] == rose.text_content  # the case's code covers the whole transcript


def test_qdpx_with_audio_carries_a_synchronised_transcript(exportable: Study, tmp_path: Path) -> None:
    out = tmp_path / "with-audio.qdpx"
    done = fv(
        "export", str(exportable.root), "--format", "qdpx", "--out", str(out), "--participant", "Rose", "--with-audio"
    )
    assert done.returncode == 0, done.stderr
    assert "voices identify" in done.stderr
    with zipfile.ZipFile(out) as archive:
        project = etree.fromstring(archive.read("project.qde"))
        etree.XMLSchema(etree.parse(str(XSD))).assertValid(project)
        ns = {"q": "urn:QDA-XML:project:1.0"}
        audio = project.find(".//q:AudioSource", ns)
        assert audio.get("name") == "Rose session 1.wav"
        wav = archive.read("sources/" + audio.get("path").removeprefix("internal://"))
        fmt, offset = wavstream.parse_header(wav)
        assert fmt.rate == 16000 and len(wav) - offset == 16000 * 2 * 3
        transcript = audio.find("q:Transcript", ns)
        assert transcript.get("creationDateTime") and transcript.get("modifiedDateTime")
        text = archive.read("sources/" + transcript.get("plainTextPath").removeprefix("internal://")).decode()
        assert "[PERSON 2] was my pimp" in text and transcript.find("q:PlainTextContent", ns) is None
        stamps = [int(p.get("timeStamp")) for p in transcript.findall("q:SyncPoint", ns)]
        assert stamps == sorted(stamps) and stamps[0] == 0


def test_docx_opens_in_python_docx_and_libreoffice(exportable: Study, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "docx"
    assert fv("export", str(exportable.root), "--format", "docx", "--out", str(out)).returncode == 0
    rose = out / "Rose_session-1.docx"
    paragraphs = [p.text for p in docx.Document(str(rose)).paragraphs]
    assert paragraphs[0] == "Interview transcript · participant Rose · session 1 · first interview"
    assert paragraphs[1].endswith("· redaction reviewed")
    assert any(p.startswith("[00:00:05] Participant: [PERSON 2] was my pimp.") for p in paragraphs), paragraphs
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: run scripts/install.sh --dev"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(rose),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert (tmp_path / "pdf" / "Rose_session-1.pdf").read_bytes().startswith(b"%PDF")


def test_text_subtitles_and_csv_have_the_documented_shapes(exportable: Study, tmp_path: Path) -> None:
    for fmt in ("txt", "srt", "vtt", "csv", "demographics"):
        assert fv("export", str(exportable.root), "--format", fmt, "--out", str(tmp_path / fmt)).returncode == 0
    lines = (tmp_path / "txt" / "Rose_session-1.txt").read_text().splitlines()
    assert lines[:2] == [
        "Interview transcript · participant Rose · session 1 · first interview",
        "Transcribed with tiny.en (faster-whisper) in 2026 · redaction reviewed",
    ]
    assert lines[3:] == [
        f"[00:00:00] (Prompt 1) {GUIDE[0]}",
        "[00:00:01] They called me [PERSON 1] on [STREET].",
        "[00:00:05] Participant: [PERSON 2] was my pimp. [PERSON 2] took everything.",
        f"[00:00:08] (Prompt 2) {GUIDE[1]}",
        "[00:00:09] Participant: My case manager helped me find housing.",
    ]
    srt = (tmp_path / "srt" / "Rose_session-1.srt").read_text()
    assert srt.startswith("1\n00:00:01,000 --> 00:00:04,000\nThey called me [PERSON 1] on [STREET].\n")
    vtt = (tmp_path / "vtt" / "Lily_session-1.vtt").read_text()
    assert vtt.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n[PERSON 1] sold me")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 6 and rows[0]["pseudonym"] == "Lily" and rows[0]["reviewed"] == "yes"
    table = list(csv.DictReader(io.StringIO((tmp_path / "demographics").read_text(encoding="utf-8-sig"))))
    assert [r["pseudonym"] for r in table] == ["Grace", "Lily", "Rose"]  # Grace too: her transcript is unreviewed
    assert [int(r["age"]) for r in table] == [35, 34, 34]  # the sample table's ages
    assert table[1]["venues"] == "Street; Online"


def _table(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_the_sample_table_has_one_row_per_participant_reviewed_or_not_or_never_interviewed(
    exportable: Study, tmp_path: Path
) -> None:
    """QA H13: the table left out every woman without a reviewed transcript (Grace: unreviewed; Tess: not yet
    interviewed), even with --include-unreviewed, and with none reviewed it refused. Answers pass the same scrub."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    typed = {**ANSWERS, "services_used": "my caseworker Ronda Ellis at the Lighthouse Mission"}
    keys = exportable.unlock(PASSPHRASE.encode())
    add_participant(exportable, "Tess", typed, consent, [KnownIdentifier("Ronda Ellis")], keys)

    done = fv("export", str(exportable.root), "--format", "demographics", "--out", str(tmp_path / "d.csv"))

    assert done.returncode == 0 and "exported 4 participant(s) as demographics" in done.stdout, done.stdout
    table = _table(tmp_path / "d.csv")
    assert [r["pseudonym"] for r in table] == ["Grace", "Lily", "Rose", "Tess"]
    assert "Ronda" not in table[3]["services_used"] and "[PERSON" in table[3]["services_used"]
    _no_identifier_leaks(tmp_path / "d.csv")
    both = fv("export", str(exportable.root), "--format", "demographics", "--out", str(tmp_path / "u.csv"),
              "--include-unreviewed")  # fmt: skip
    assert both.returncode == 0 and _table(tmp_path / "u.csv") == table  # review state decides no row, no answer
    one = fv("export", str(exportable.root), "--format", "demographics", "--out", str(tmp_path / "t.csv"),
             "--participant", "Tess")  # fmt: skip
    assert one.returncode == 0 and [r["pseudonym"] for r in _table(tmp_path / "t.csv")] == ["Tess"]
    assert_one_line_error(
        fv(
            "export",
            str(exportable.root),
            "--format",
            "demographics",
            "--out",
            str(tmp_path / "s.csv"),
            "--sample",
            "0.3",
        ),
        "one row per participant",
    )
    from fieldvault.stewardship.withdraw import earlier_copies

    copies = earlier_copies(exportable, "Tess")  # her row is an earlier copy a withdrawal must list
    assert [Path(c.out).name for c in copies] == ["d.csv", "u.csv", "t.csv"]
    assert [Path(c.out).name for c in earlier_copies(exportable, "Grace")] == ["d.csv", "u.csv"]
    from datetime import date

    from fieldvault.stewardship.report import Table, build

    report = build(exportable, keys, date(2026, 11, 26))
    access = next(
        b for s in report.sections if s.heading.startswith("Access") for b in s.blocks if isinstance(b, Table)
    )
    exported = [row[3] for row in access.rows if row[2] == "exported"]
    assert exported == [f"4 participant(s) as demographics to {tmp_path / 'd.csv'}",
                        f"4 participant(s) as demographics to {tmp_path / 'u.csv'}",
                        f"1 participant(s) as demographics to {tmp_path / 't.csv'}"]  # fmt: skip


def test_unreviewed_transcripts_only_when_asked_and_then_marked(exportable: Study, tmp_path: Path) -> None:
    out = tmp_path / "all"
    done = fv("export", str(exportable.root), "--format", "txt", "--out", str(out), "--include-unreviewed")
    assert done.returncode == 0 and "1 marked UNREVIEWED" in done.stdout
    grace = (out / "Grace_session-1.txt").read_text()
    assert "UNREVIEWED — identifiers may remain" in grace and "Darnell" not in grace
    _no_identifier_leaks(out)


def test_sample_for_a_second_coder_is_reproducible(exportable: Study, tmp_path: Path) -> None:
    runs = []
    for n in range(2):
        out = tmp_path / f"sample{n}"
        done = fv(
            "export",
            str(exportable.root),
            "--format",
            "txt",
            "--out",
            str(out),
            "--include-unreviewed",
            "--sample",
            "0.3",
            "--seed",
            "7",
        )
        assert done.returncode == 0, done.stderr
        runs.append(sorted(p.name for p in out.iterdir()))
    assert runs[0] == runs[1] and len(runs[0]) == 1


def test_member_check_exports_one_participant_encrypted_to_her_reader(exportable: Study, tmp_path: Path) -> None:
    key = tmp_path / "reader.txt"
    subprocess.run([need("age-keygen"), "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run([need("age-keygen"), "-y", str(key)], capture_output=True, text=True, check=True).stdout
    out = tmp_path / "member-check"
    done = fv(
        "export",
        str(exportable.root),
        "--format",
        "txt",
        "--out",
        str(out),
        "--participant",
        "Lily",
        "--encrypt-to",
        public.strip(),
    )
    assert done.returncode == 0, done.stderr
    (sealed,) = out.iterdir()
    assert sealed.name == "Lily_session-1.txt.age"
    plain = subprocess.run([need("age"), "-d", "-i", str(key), str(sealed)], capture_output=True, check=True).stdout
    assert b"[PERSON 2] is nine now." in plain and b"Kayla" not in plain


def test_exports_are_audited_and_mark_sessions_exported(exportable: Study, tmp_path: Path) -> None:
    assert fv("export", str(exportable.root), "--format", "csv", "--out", str(tmp_path / "x.csv")).returncode == 0
    entries = [e for e in exportable.audit.entries() if e["action"] == "export"]
    assert entries[0]["details"]["format"] == "csv" and entries[0]["details"]["count"] == 2
    states = {p.pseudonym: p.sessions[0].state for p in overview(exportable)}
    assert states == {"Grace": SessionState.TRANSCRIBED, "Lily": SessionState.EXPORTED, "Rose": SessionState.EXPORTED}
    assert "Marcus" not in json.dumps(exportable.audit.entries())


def test_export_refuses_bad_requests_and_overwrites_nothing(exportable: Study, tmp_path: Path) -> None:
    existing = tmp_path / "exists.qdpx"
    existing.write_text("keep me")
    assert_one_line_error(fv("export", str(exportable.root), "--format", "qdpx", "--out", str(existing)), "exists")
    assert existing.read_text() == "keep me"
    assert_one_line_error(
        fv("export", str(exportable.root), "--format", "txt", "--out", str(tmp_path / "s"), "--sample", "2"), "fraction"
    )
    assert_one_line_error(
        fv("export", str(exportable.root), "--format", "txt", "--out", str(tmp_path / "a"), "--with-audio"), "qdpx only"
    )
    assert_one_line_error(
        fv("export", str(exportable.root), "--format", "docx", "--out", str(tmp_path / "d"), "--dialect", "nvivo"),
        "--format txt only",
    )
    assert_one_line_error(
        fv("export", str(exportable.root), "--format", "txt", "--out", str(tmp_path / "m"), "--include-memos"),
        "qdpx only",
    )
    assert_one_line_error(
        fv("export", str(exportable.root), "--format", "txt", "--out", str(tmp_path / "p"), "--participant", "Nobody"),
        "no participant",
    )
    before = sorted(p.relative_to(exportable.root) for p in exportable.root.rglob("*"))
    for inside in (exportable.root / "participants" / "leak", exportable.root / "x.qdpx"):  # QA C17
        fmt = "qdpx" if inside.suffix else "txt"
        assert_one_line_error(
            fv("export", str(exportable.root), "--format", fmt, "--out", str(inside)), "inside the study folder"
        )
    # QA D29: nor a decrypted copy, the IRB report or a field kit (backup would copy the plaintext to every drive).
    root = exportable.root
    (transcript,) = [str(p.relative_to(root)) for p in root.glob("participants/Rose/*/transcript.json.age")]
    for command in (
        ("decrypt", str(root), transcript, "--out", str(root / "participants" / "Rose" / "plain.json")),
        ("report", str(root), "--out", str(root / "participants" / "rep.md")),
        ("field-kit", str(root), str(root / "participants" / "kit")),
    ):
        assert_one_line_error(fv(*command), "inside the study folder", "goes outside it")
    assert sorted(p.relative_to(exportable.root) for p in exportable.root.rglob("*")) == before
    assert_one_line_error(
        fv("export", str(exportable.root), "--format", "txt", "--out", str(tmp_path / "g"), "--participant", "Grace"),
        "--include-unreviewed",
    )
    assert_one_line_error(
        fv(
            "export", str(exportable.root), "--format", "txt", "--out", str(tmp_path / "e"), "--encrypt-to", "not-a-key"
        ),
        "age1",
    )
    # QA Q8: a secret key pasted by mistake was quoted back (eight characters of it into the scrollback)
    secret = "AGE-SECRET-KEY-1ZF8GC3TZQ4L3Q8D3YJ5H9V6X2W7N0P4R8S2T6U0V4W8X2Y6Z0A4B8C2"
    done = fv("export", str(exportable.root), "--format", "txt", "--out", str(tmp_path / "s"), "--encrypt-to", secret)
    assert_one_line_error(done, "that is a secret key", "age-keygen -y")
    assert "1ZF8" not in done.stderr + done.stdout and not (tmp_path / "s").exists()


def test_one_participant_named_twice_is_exported_once(exportable: Study, tmp_path: Path) -> None:
    """QA Q8: `--participant rose --participant Rose` exported her session twice; the second copy stopped the
    export ("already exists") with the first file written."""
    out = tmp_path / "twice"
    done = fv(
        "export", str(exportable.root), "--format", "txt", "--out", str(out),
        "--participant", "rose", "--participant", "Rose", "--participant", "Lily",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["Lily_session-1.txt", "Rose_session-1.txt"]


def test_sample_is_drawn_from_reviewed_sessions_only(exportable: Study, tmp_path: Path) -> None:
    for seed in range(4):
        out = tmp_path / f"s{seed}"
        done = fv(
            "export", str(exportable.root), "--format", "txt", "--out", str(out), "--sample", "0.3", "--seed", str(seed)
        )
        assert done.returncode == 0, done.stderr  # never an empty sample of unreviewed sessions
        assert len(list(out.iterdir())) == 1 and "Grace" not in next(out.iterdir()).name


def test_the_session_kind_heads_the_exported_transcript(exportable: Study, tmp_path: Path) -> None:
    from fieldvault import layout
    from fieldvault.sessioninfo import FOLLOW_UP, Reconfirmation, SessionInfo, write_session_info

    again = Reconfirmation("verbal consent confirmed again", "r1", "2026-11-24T10:00:00+00:00")
    write_session_info(
        exportable, layout.session(exportable.root, "Lily", "20261124-100000"), SessionInfo(FOLLOW_UP, again)
    )
    assert fv("export", str(exportable.root), "--format", "txt", "--out", str(tmp_path / "txt")).returncode == 0
    lily = (tmp_path / "txt" / "Lily_session-1.txt").read_text().splitlines()[0]
    assert lily == "Interview transcript · participant Lily · session 1 · follow-up"
    rose = (tmp_path / "txt" / "Rose_session-1.txt").read_text().splitlines()[0]
    assert rose.endswith("· first interview")


def test_participant_is_found_by_the_name_rule_as_other_commands_find_her(exportable: Study, tmp_path: Path) -> None:
    """QA C14: `--participant` with the pseudonym typed in NFD (macOS dialogs, some keyboards) or in other
    case said "no participant", though `import` and `transcribe` found her."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(exportable, "José", dict(ANSWERS), consent, [], exportable.unlock(PASSPHRASE.encode()))
    folder = exportable.root / "participants" / "José" / "20261124-100000"
    folder.mkdir()
    said = Transcript("José", folder.name, (Segment(0, 2, "I got my GED."),), (), {}, "fw", {}, 2.0, 1.0, "t")
    exportable.write_new(folder / "transcript.json.age", said.to_json())
    for typed, who in ((unicodedata.normalize("NFD", "José"), "José"), ("ROSE", "Rose")):
        out = tmp_path / who
        result = fv("export", str(exportable.root), "--format", "txt", "--out", str(out), "--participant", typed,
                    "--include-unreviewed")  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert [p.name for p in out.iterdir()] == [f"{who}_session-1.txt"]


def test_a_prompt_goes_before_the_question_not_above_the_answer_it_interrupts(
    ready_study: Study, tmp_path: Path
) -> None:
    """QA C20: the interviewer starts the next question over the end of her answer and presses the key: the
    prompt went above her whole answer (the segment under way), so a coder filed it under the new prompt. A
    question already under way when its key was pressed (prompt 1, at 1.2 s) still takes its prompt to its start."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(ready_study, "Mia", dict(ANSWERS), consent, [])
    folder = ready_study.root / "participants" / "Mia" / "20261124-100000"
    folder.mkdir()
    segments = (
        Segment(0.0, 3.0, "Did you feel safe there?", "Interviewer"),
        Segment(3.4, 9.0, "No. Because he knew where she lived.", "Participant"),
        Segment(8.6, 10.5, "So what did you do next?", "Interviewer"),
        Segment(10.9, 14.0, "I called the hotline.", "Participant"),
    )
    markers = (Marker(1.2, "prompt", GUIDE[0]), Marker(8.6, "prompt", GUIDE[1]))
    said = Transcript("Mia", folder.name, segments, markers, {"name": "x"}, "fw", {}, 14.0, 1.0, "t")
    ready_study.write_new(folder / "transcript.json.age", said.to_json())
    done = fv("export", str(ready_study.root), "--format", "txt", "--out", str(tmp_path / "t"), "--include-unreviewed")
    assert done.returncode == 0, done.stderr
    body = [line.split("] ", 1)[1] for line in (tmp_path / "t" / "Mia_session-1.txt").read_text().splitlines()[4:]]
    assert body == [
        f"(Prompt 1) {GUIDE[0]}",
        "Interviewer: Did you feel safe there?",
        "Participant: No. Because he knew where she lived.",
        f"(Prompt 2) {GUIDE[1]}",
        "Interviewer: So what did you do next?",
        "Participant: I called the hotline.",
    ]


@pytest.mark.parametrize("fmt", ["qdpx", "csv"])
def test_a_one_file_export_encrypted_to_a_recipient_is_named_age(exportable: Study, tmp_path: Path, fmt: str) -> None:
    """QA D15: `--encrypt-to` kept the name given: `x.qdpx` held age data, and QualCoder said "not a zip". A one-file
    export encrypted is NAME.age, as each file of a folder export is, and the line says where and that it is
    encrypted; `age -d` opens it."""
    key = tmp_path / "key.txt"
    subprocess.run([need("age-keygen"), "-o", str(key)], check=True, capture_output=True)
    recipient = next(line.split(": ")[1] for line in key.read_text().splitlines() if "public key" in line)
    out = tmp_path / f"project.{fmt}"
    done = fv("export", str(exportable.root), "--format", fmt, "--out", str(out), "--encrypt-to", recipient)
    assert done.returncode == 0, done.stderr
    sealed = tmp_path / f"project.{fmt}.age"
    assert not out.exists() and sealed.read_bytes().startswith(b"age-encryption.org/v1")
    assert f"to {sealed} (1 file(s)), encrypted to {recipient}" in done.stdout
    opened = subprocess.run([need("age"), "-d", "-i", str(key), str(sealed)], check=True, capture_output=True).stdout
    assert opened.startswith(b"PK") if fmt == "qdpx" else opened.count(b"\n") > 1
    again = fv("export", str(exportable.root), "--format", fmt, "--out", str(out), "--encrypt-to", recipient)
    assert_one_line_error(again, "exists")  # never overwritten, under either name
