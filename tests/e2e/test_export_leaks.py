"""The leak hunt (issue 9): a study with identifiers everywhere, every export format with and without
unreviewed sessions and audio, every archive opened, every byte searched for every identifier in every
form. Zero hits. Also: stale redactions are never applied, and unreviewed sessions say so."""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from fieldvault import journal, layout, memos, wavstream
from fieldvault.agefile import AgeWriter
from fieldvault.errors import BadInput
from fieldvault.events import Event, SessionEvents
from fieldvault.export.formats import FORMATS
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.export.text import DIALECTS
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant, parse_identifier_lines
from fieldvault.redact.review import ACCEPTED, REJECTED, propose, store
from fieldvault.study import Study
from fieldvault.transcript import Marker, Segment, Transcript, Word
from tests.conftest import ANSWERS, PASSPHRASE, store_reviewed

NOW = datetime(2026, 11, 24, tzinfo=UTC)
XSD = Path(__file__).parent.parent / "data" / "refi-qda" / "Project.xsd"
KNOWN = [
    KnownIdentifier("Renata Okafor"),
    KnownIdentifier("J.R."),
    KnownIdentifier("T.J."),
    KnownIdentifier("José Ramírez"),
    KnownIdentifier("#42 Elm", "LOCATION"),
    KnownIdentifier("Bakersfield", "LOCATION"),
]
NFD = unicodedata.normalize("NFD", "José Ramírez")
REVIEWED_TEXTS = [
    "Renata Okafor drove me to #42 Elm that night.",
    "renata's sister and J.R. were there, and T.J. too.",
    f"{NFD} paid the rent.",
    "We moved to Marcus Field after that.",  # ASR's "Bakersfield": the reviewer accepts it as a place
    "RENATA  OKAFOR never called again.",
]
NEVER_OPENED_TEXTS = ["So my sister Denise lives in Fresno now.", "J.R. still calls me.", "I stayed with Renata."]
STALE_OLD = ["So yeah, I met Renata at the shelter.", "Nothing else."]
STALE_NEW = ["So yeah I met Tanya downtown near #42 Elm.", "Nothing else, Renata."]
LILY_TEXTS = ["Tyrone sold me.", "Renata Okafor helped me too."]  # Iris's identifier, in Lily's interview
# Everything that must never leave, whatever form it takes.
SECRETS = [k.text for k in KNOWN] + ["Marcus Field", "Denise", "Fresno", "Tanya", "Tyrone"]
# Session ids are the interviews' dates and times (finer than a year: HIPAA Safe Harbor removes them).
SECRETS += ["20261124-100000", "20261125-100000", "20261126-100000", "20261124-120000"]


def _toned_session(study: Study, seconds: int, known: list[KnownIdentifier]) -> tuple[int, Any, Path]:
    """Rose with ``known`` on her list and a session whose recording is a loud tone ``seconds`` long (no timeline yet):
    the rate, the tone's samples and the session folder."""
    import numpy as np

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Rose", dict(ANSWERS), consent, known)
    rate = 16000
    tone = (8000 * np.sin(np.arange(rate * seconds) / rate * 2 * np.pi * 220)).astype(np.int16)
    folder = layout.session(study.root, "Rose", "20261124-100000")
    folder.mkdir()
    study.write_new(folder / layout.AUDIO, wavstream.header(wavstream.WavFormat(rate, 1)) + tone.tobytes())
    study.write_new(folder / layout.EVENTS, SessionEvents("Rose", "20261124-100000", {}).to_json())
    return rate, tone, folder


def _transcript(pseudonym: str, session: str, texts: list[str]) -> Transcript:
    segments = tuple(Segment(4.0 * i + 1, 4.0 * i + 4, t, "Participant") for i, t in enumerate(texts))
    markers = (Marker(0.0, "prompt", "Can you tell me the story of your exit?"), Marker(2.0, "note", "J.R.!"))
    return Transcript(pseudonym, session, segments, markers, {"name": "tiny.en"}, "faster-whisper", {}, 30.0, 2.0,
                      "2026-11-24T11:00:00+00:00")  # fmt: skip


def _session(study: Study, pseudonym: str, session: str, texts: list[str]) -> tuple[Path, Transcript]:
    folder = layout.session(study.root, pseudonym, session)
    folder.mkdir()
    with (folder / layout.AUDIO).open("wb") as out:
        writer = AgeWriter(out, study.recipients())
        writer.write(wavstream.header(wavstream.WavFormat(16000, 1)) + bytes(range(256)) * 250)
        writer.finish()
    study.write_new(folder / layout.EVENTS, SessionEvents(pseudonym, session, {}).to_json())  # binds it to her
    transcript = _transcript(pseudonym, session, texts)
    study.write_new(folder / layout.TRANSCRIPT, transcript.to_json())
    return folder, transcript


def _said_by(study: Study, said: list[tuple[str, str]]) -> Transcript:
    """Ana's session 20261124-100000, each line (speaker label, text) a segment of its own."""
    segments = tuple(Segment(4.0 * i + 1, 4.0 * i + 4, text, who) for i, (who, text) in enumerate(said))
    transcript = Transcript("Ana", "20261124-100000", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 30.0,
                            2.0, "2026-11-24T11:00:00+00:00")  # fmt: skip
    folder, _ = _session(study, "Ana", "20261124-100000", [])
    study.replace(folder / layout.TRANSCRIPT, transcript.to_json())
    return transcript


def _review_all(study: Study, transcript: Transcript, known: list[KnownIdentifier]) -> None:
    redactions = propose(transcript, known)
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "reviewer", NOW)
    for index, segment in enumerate(transcript.segments):
        start = segment.text.find("Marcus Field")
        covered = any(s.segment == index and s.start <= start < s.end for s in redactions.spans)
        if start >= 0 and not covered:
            redactions.add(transcript, index, start, start + len("Marcus Field"), "LOCATION", "reviewer", NOW)
    redactions.mark_reviewed("reviewer", NOW)
    store_reviewed(study, redactions)


def _reject_all(study: Study, transcript: Transcript, known: list[KnownIdentifier]) -> None:
    """Review as a careless reviewer might: every proposed span rejected, the session marked reviewed."""
    redactions = propose(transcript, known)
    for span in redactions.spans:
        redactions.decide(span.id, REJECTED, "reviewer", NOW)
    redactions.mark_reviewed("reviewer", NOW)
    store_reviewed(study, redactions)


@pytest.fixture
def leaky(study: Study) -> Study:
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    answers = {
        **ANSWERS,
        "services_used": "Shelter run by Renata Okafor near #42 Elm",
        "venues": ["Street", "Other: T.J.'s place in Bakersfield"],  # an "Other" answer with its text
        "race_ethnicity": f"Other: {NFD}'s family",
    }
    add_participant(study, "Iris", answers, consent, KNOWN)
    add_participant(
        study, "Lily", dict(ANSWERS), consent, [KnownIdentifier("Tyrone")], study.unlock(PASSPHRASE.encode())
    )
    folder, reviewed = _session(study, "Iris", "20261124-100000", REVIEWED_TEXTS)
    _review_all(study, reviewed, KNOWN)
    events = SessionEvents("Iris", "20261124-100000", {}, [Event(2.0, "note", "J.R. again? ask about Marcus Field")])
    study.replace(folder / layout.EVENTS, events.to_json())
    memos.add_field_note(study, folder, f"She cried about {NFD}. Renata Okafor's car, #42 Elm.")
    journal.add_entry(study, "Iris named Renata  Okafor and T.J. twice; I felt unsure about Bakersfield.")
    _session(study, "Iris", "20261125-100000", NEVER_OPENED_TEXTS)
    folder, stale = _session(study, "Iris", "20261126-100000", STALE_OLD)
    _review_all(study, stale, KNOWN)
    study.replace(folder / layout.TRANSCRIPT, _transcript("Iris", "20261126-100000", STALE_NEW).to_json())
    _, lily = _session(study, "Lily", "20261124-120000", LILY_TEXTS)
    _review_all(study, lily, [KnownIdentifier("Tyrone")])
    return study


def _blobs(path: Path) -> dict[str, bytes]:
    """Every file of an export and, inside every archive (qdpx, docx), every member, recursively."""
    found: dict[str, bytes] = {}
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    # Named from the export's own root: the names a coder sees are searched too, not the test's tmp path.
    stack = [(f.name if f == path else str(f.relative_to(path)), f.read_bytes()) for f in files]
    while stack:
        name, data = stack.pop()
        found[name] = data
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                stack += [(f"{name}!{member}", archive.read(member)) for member in archive.namelist()]
    return found


def _bare(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _forms(secret: str) -> list[re.Pattern[str]]:
    """NFC, NFD, case-folded, accents dropped, any spacing, punctuation written or not."""
    words = re.findall(r"\w+", _bare(secret))
    loose = r"[\W_]*".join(re.escape(w) for w in words)
    return [re.compile(re.escape(form)) for form in {_bare(secret), secret.casefold()}] + [
        re.compile(rf"(?<![^\W_]){loose}(?![^\W_])")
    ]


def _hits(path: Path) -> list[str]:
    hits = []
    for name, data in _blobs(path).items():
        if data[:4] == b"PK\x03\x04":
            data = b""  # compressed bytes; every member is searched on its own
        if name.endswith(".wav"):
            data = data[:44]  # the samples are audio; their header is searched
        raw = name + "\n" + data.decode("utf-8", "ignore")  # file and member names leave too
        views = {raw.casefold(), unicodedata.normalize("NFD", raw).casefold(), _bare(raw)}
        for secret in SECRETS:
            for form in _forms(secret):
                if any(form.search(view) for view in views):
                    hits.append(f"{secret!r} in {name}")
    return hits


RUNS = [
    *(Options(fmt) for fmt in FORMATS),
    *(Options("txt", dialect=d) for d in DIALECTS),
    Options("qdpx", with_audio=True),
    Options("qdpx", with_audio=True, memos=True),
]


def test_nothing_identifying_leaves_in_any_format(leaky: Study, tmp_path: Path) -> None:
    identities = leaky.unlock(PASSPHRASE.encode())
    hits = []
    for unreviewed in (False, True):
        for n, options in enumerate(RUNS):
            out = tmp_path / f"{n}-{unreviewed}-{options.fmt}"
            done = export(leaky, identities, options, out, Request(include_unreviewed=unreviewed))
            if options.fmt == "demographics":  # one row per participant, reviewed or not (QA H13)
                assert len(done.participants) == len(leaky.participant_names())
            else:
                assert len(done.sessions) == (4 if unreviewed else 2)
            hits += [f"{options} unreviewed={unreviewed}: {hit}" for hit in _hits(out)]
    assert not hits, "\n".join(hits)
    assert not any(re.search("renata|okafor|tyrone|denise", str(e), re.I) for e in leaky.audit.entries())


def test_the_hunt_finds_what_a_plain_copy_would_leak(leaky: Study, tmp_path: Path) -> None:
    """The search itself works: every secret, in the forms the study holds it, is found in raw text."""
    (tmp_path / "raw").mkdir()
    answers = ["Other: T.J.'s place in Bakersfield", "Marcus  field"]
    for n, text in enumerate([*REVIEWED_TEXTS, *NEVER_OPENED_TEXTS, *STALE_NEW, *LILY_TEXTS, *answers]):
        (tmp_path / "raw" / f"{n}.txt").write_text(text)
    for session in SECRETS[-4:]:  # a plain copy names its files by session id
        (tmp_path / "raw" / f"Iris_{session}.txt").write_text("")
    found = {hit.split("'")[1] for hit in _hits(tmp_path / "raw")}
    assert found == set(SECRETS)


def test_stale_redactions_are_never_applied_and_the_session_is_unreviewed_again(leaky: Study, tmp_path: Path) -> None:
    identities = leaky.unlock(PASSPHRASE.encode())
    reviewed_only = export(leaky, identities, Options("txt"), tmp_path / "a", Request(("Iris",)))
    assert [s.session for s in reviewed_only.sessions] == ["1"]  # the stale one is left out
    export(leaky, identities, Options("txt"), tmp_path / "b", Request(("Iris",), include_unreviewed=True))
    stale = (tmp_path / "b" / "Iris_session-3.txt").read_text()
    assert "redaction NOT reviewed" in stale and "UNREVIEWED —" in stale
    assert "So yeah I met [PERSON" in stale and "Tanya" not in stale and "Elm" not in stale, stale


def test_an_unreviewed_session_says_so_where_a_reader_looks(leaky: Study, tmp_path: Path) -> None:
    identities = leaky.unlock(PASSPHRASE.encode())
    request = Request(("Iris",), include_unreviewed=True)
    for fmt in ("txt", "docx", "srt", "vtt", "qdpx"):
        export(leaky, identities, Options(fmt), tmp_path / fmt, request)
    name = "Iris_session-2"
    text = (tmp_path / "txt" / f"{name}.txt").read_text()
    assert text.splitlines()[2].startswith("UNREVIEWED —") and "my sister [PERSON" in text and "[CITY]" in text
    document = docx.Document(str(tmp_path / "docx" / f"{name}.docx"))
    assert document.paragraphs[2].text.startswith("UNREVIEWED —") and "UNREVIEWED" in document.core_properties.title
    assert (tmp_path / "srt" / f"{name}.srt").read_text().startswith("1\n00:00:00,000 --> 00:00:01,000\nUNREVIEWED")
    vtt = (tmp_path / "vtt" / f"{name}.vtt").read_text()
    assert "NOTE" not in vtt and vtt.count("[UNREVIEWED]") == len(NEVER_OPENED_TEXTS)
    with zipfile.ZipFile(tmp_path / "qdpx") as archive:
        project = archive.read("project.qde").decode()
    assert 'name="Iris session 2 (UNREVIEWED)"' in project and 'name="Iris session 1"' in project


def test_memos_go_out_scrubbed_as_notes_qualcoder_reads_as_journals(leaky: Study, tmp_path: Path) -> None:
    identities = leaky.unlock(PASSPHRASE.encode())
    export(leaky, identities, Options("qdpx", memos=True), tmp_path / "m.qdpx", Request(("Iris",)))
    with zipfile.ZipFile(tmp_path / "m.qdpx") as archive:
        project = etree.fromstring(archive.read("project.qde"))
        etree.XMLSchema(etree.parse(str(XSD))).assertValid(project)
        notes = {
            n.get("name"): archive.read("sources/" + n.get("plainTextPath").removeprefix("internal://")).decode()
            for n in project.iterfind(".//q:Notes/q:Note", {"q": "urn:QDA-XML:project:1.0"})
        }
    # Her own notes only: the journal is about the whole study, and a one-participant export goes to her (QA D27).
    assert set(notes) == {"Field notes 1 · Iris session 1", "Notes while recording · Iris session 1"}
    # J.R. keeps the placeholder she has in the transcripts (one person, one placeholder).
    assert re.match(r"\[00:00:02\] \[PERSON \d\] again\? ask about \[", notes["Notes while recording · Iris session 1"])
    assert "She cried about [PERSON" in notes["Field notes 1 · Iris session 1"]
    export(leaky, identities, Options("qdpx", memos=True), tmp_path / "all.qdpx", Request())
    with zipfile.ZipFile(tmp_path / "all.qdpx") as archive:
        project = etree.fromstring(archive.read("project.qde"))
        (entry,) = [n for n in project.iterfind(".//q:Notes/q:Note", {"q": "urn:QDA-XML:project:1.0"})
                    if n.get("name") == "Journal entry 1"]  # fmt: skip
        text = archive.read("sources/" + entry.get("plainTextPath").removeprefix("internal://")).decode()
    assert "Iris named [PERSON] and [PERSON] twice" in text
    without = export(leaky, identities, Options("qdpx"), tmp_path / "n.qdpx", Request(("Iris",)))
    assert without.files and b"Notes" not in zipfile.ZipFile(tmp_path / "n.qdpx").read("project.qde")


def test_a_name_in_decomposed_unicode_leaves_no_fragment(leaky: Study, tmp_path: Path) -> None:
    identities = leaky.unlock(PASSPHRASE.encode())
    export(leaky, identities, Options("txt"), tmp_path / "t", Request(("Iris",)))
    lines = (tmp_path / "t" / "Iris_session-1.txt").read_text().splitlines()
    (line,) = [line for line in lines if "paid the rent" in line]
    assert re.search(r"\. \[PERSON \d\] paid the rent\.", line), ascii(line)  # the NFD name found whole
    assert "\u0301" not in line


def test_free_text_answers_and_notes_pass_the_detector_not_only_the_lists(study: Study, tmp_path: Path) -> None:
    """QA C16: a caseworker's full name and phone number typed into "services used", and a trafficker's name
    and street in a note or the journal, went out verbatim: only identifiers on someone's list were scrubbed.
    A choice from the questionnaire's own list goes out as it is."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    typed = {**ANSWERS, "services_used": "The Lighthouse Mission, my caseworker Ronda Ellis, 765-288-0143"}
    typed["venues"] = ["Street", "Other: a motel Terrence Boyd ran"]
    add_participant(study, "Ivy", typed, consent, [])
    folder, transcript = _session(study, "Ivy", "20261124-100000", ["I got my GED in jail."])
    _review_all(study, transcript, [])
    memos.add_field_note(study, folder, "Her trafficker Terrence Boyd still lives on Walnut Street.")
    journal.add_entry(study, "Ronda Ellis called me at 765-288-0143 about Ivy.")
    identities = study.unlock(PASSPHRASE.encode())
    export(study, identities, Options("demographics"), tmp_path / "d.csv", Request())
    export(study, identities, Options("qdpx", memos=True), tmp_path / "m.qdpx", Request())
    blobs = {**_blobs(tmp_path / "d.csv"), **_blobs(tmp_path / "m.qdpx")}
    for name, data in blobs.items():
        for leak in ("Ronda", "Ellis", "288-0143", "Terrence", "Boyd", "Walnut"):
            assert leak.encode() not in data, (name, leak)
    assert any(b"called me at [PHONE] about Ivy." in data for data in blobs.values())  # her pseudonym is kept
    demographics = (tmp_path / "d.csv").read_text()
    # "a motel Terrence Boyd ran": the man who ran it is a person, not the motel's name ("club X", "hotel X")
    assert '"The [ORG], my caseworker [PERSON], [PHONE]",Street; Other: a motel [PERSON] ran,Yes' in demographics


def test_a_listed_name_joined_by_an_underscore_or_split_by_an_invisible_character_leaves_no_part(
    study: Study, tmp_path: Path
) -> None:
    """QA J1: another woman's free-text answer held "zyrafina_okonkwo" (a handle's form) and "Quill<soft hyphen>brook":
    the first went out whole in the demographics table and the qdpx cases (an underscore is a word character, so
    the list's pattern never began there), the second as "[ORG]<soft hyphen>brook" (the detector saw "Quill")."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    listed = [KnownIdentifier("Zyrafina Okonkwo-Delacroix"), KnownIdentifier("Quillbrook", "LOCATION")]
    add_participant(study, "Zoe", ANSWERS, consent, listed)
    typed = {**ANSWERS, "services_used": "a) Quill\u00adbrook b) zyrafina_okonkwo c) Zyra\u200bfina_2019"}
    identities = study.unlock(PASSPHRASE.encode())
    add_participant(study, "Ada", typed, consent, [], identities)
    _folder, transcript = _session(study, "Ada", "20261124-100000", ["I got my GED in jail."])
    _review_all(study, transcript, [])
    export(study, identities, Options("demographics"), tmp_path / "d.csv", Request())
    export(study, identities, Options("qdpx"), tmp_path / "m.qdpx", Request())
    blobs = {**_blobs(tmp_path / "d.csv"), **_blobs(tmp_path / "m.qdpx")}
    for name, data in blobs.items():
        folded = data.decode("utf-8", "replace").casefold()
        for leak in ("zyra", "okonkwo", "quill", "brook"):
            assert leak not in folded, (name, leak)
    # "Zyrafina_2019" is a handle holding her listed name: it goes whole, as the scrub takes a handle (since QA T1 the
    # detector's span over its name part grows over what the scrub matches, so the scrub's rule is what it gets), and
    # "zyrafina_okonkwo", two spans over the parts of one listed match, becomes one placeholder
    assert "a) [PLACE] b) [PERSON] c) [PERSON]," in (tmp_path / "d.csv").read_text()


def test_parts_of_a_listed_name_in_full_width_letters_leave_no_memo_or_transcript(study: Study, tmp_path: Path) -> None:
    """QA H3: a first name or surname alone in full-width letters (pasted text, an East Asian input method) went out
    in a journal entry: the study-wide scrub held whole listed names only, and the detector read "Ｄｅｒｅｋ" as no
    word at all. A part of a hyphenated surname alone ("Okonkwo") too, in any width."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    listed = [KnownIdentifier("Zyrafina Okonkwo-Delacroix"), KnownIdentifier("Marisol Quintanilla")]
    add_participant(study, "Zoe", dict(ANSWERS), consent, listed)
    _, transcript = _session(study, "Zoe", "20261124-100000", ["Ｏｋｏｎｋｗｏ and Delacroix stayed."])
    _review_all(study, transcript, [])
    journal.add_entry(
        study, "Ｍａｒｉｓｏｌ came. Ｑｕｉｎｔａｎｉｌｌａ left. Ｏｋｏｎｋｗｏ stayed. Ｄｅｒｅｋ shouted."
    )
    identities = study.unlock(PASSPHRASE.encode())
    export(study, identities, Options("qdpx", memos=True), tmp_path / "m.qdpx", Request(include_unreviewed=True))
    export(study, identities, Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    blobs = {**_blobs(tmp_path / "m.qdpx"), **_blobs(tmp_path / "t")}
    for name, data in blobs.items():
        text = unicodedata.normalize("NFKC", data.decode("utf-8", "replace")).casefold()
        for leak in ("marisol", "quintanilla", "okonkwo", "delacroix", "derek"):
            assert leak not in text, (name, leak)
    assert any("came. [PERSON] left." in data.decode("utf-8", "replace") for data in blobs.values())


def test_a_listed_name_in_look_alike_letters_leaves_no_part_in_notes_or_answers(study: Study, tmp_path: Path) -> None:
    """QA J6: "Dеrek Fоwler" typed with a Cyrillic е and о went out in a journal entry: the first name whole, and
    "Fо" of the surname (the detector took "wler"). A word in two scripts is read in Latin letters; the scrub matches
    under the same look-alike fold the pseudonym rule uses."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Zoe", dict(ANSWERS), consent, [KnownIdentifier("Derek Fowler")])
    identities = study.unlock(PASSPHRASE.encode())
    typed = {**ANSWERS, "services_used": "my friend Dеrek helped, and Fоwler"}
    add_participant(study, "Ada", typed, consent, [], identities)
    _, transcript = _session(study, "Zoe", "20261124-100000", ["I got my GED in jail."])
    _review_all(study, transcript, [])
    journal.add_entry(study, "I saw Dеrek Fоwler. i saw dеrek yesterday and fоwler too. DЕREK came.")
    export(study, identities, Options("qdpx", memos=True), tmp_path / "m.qdpx", Request())
    export(study, identities, Options("demographics"), tmp_path / "d.csv", Request())
    blobs = {**_blobs(tmp_path / "m.qdpx"), **_blobs(tmp_path / "d.csv")}
    for name, data in blobs.items():
        text = data.decode("utf-8", "replace").casefold()
        for leak in ("dеrek", "derek", "fоw", "fow", "wler"):
            assert leak not in text, (name, leak)
    assert any("I saw [PERSON]." in data.decode("utf-8", "replace") for data in blobs.values())


def test_names_on_a_withdrawn_womans_list_that_others_mention_stay_redacted_in_their_words(
    study: Study, tmp_path: Path
) -> None:
    """QA J11: her list went with her withdrawal, and with it the scrub of the names on it in the other women's
    answers, transcripts and notes ("zyrafina_okonkwo" in another's answer went out after she withdrew). Names the
    others' words mention move to the study's list first; a name no one else mentions goes with her."""
    from fieldvault.participants import IdentifierList
    from fieldvault.stewardship.withdraw import withdraw

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    listed = [
        KnownIdentifier("Zyrafina Okonkwo-Delacroix"),
        KnownIdentifier("Quillbrook", "LOCATION"),
        KnownIdentifier("Vorhanek Shelter", "ORG"),
    ]
    add_participant(study, "Zoe", ANSWERS, consent, listed)
    identities = study.unlock(PASSPHRASE.encode())
    typed = {**ANSWERS, "services_used": "my friend zyrafina_okonkwo took me in"}
    add_participant(study, "Ada", typed, consent, [], identities)
    _folder, transcript = _session(study, "Ada", "20261124-100000", ["I stayed at the Vorhanek Shelter."])
    _review_all(study, transcript, [])
    done = withdraw(study, "Zoe", identities)
    assert done.names_kept == 2
    kept = IdentifierList.from_json(study.read("identifiers.json.age", identities)).identifiers
    assert sorted(k.text for k in kept) == ["Vorhanek Shelter", "Zyrafina Okonkwo-Delacroix"]  # not Quillbrook
    assert any(e["action"] == "withdraw.names-kept" and e["details"]["count"] == 2 for e in study.audit.entries())
    export(study, identities, Options("demographics"), tmp_path / "d.csv", Request())
    export(study, identities, Options("txt"), tmp_path / "t", Request())
    blobs = {**_blobs(tmp_path / "d.csv"), **_blobs(tmp_path / "t")}
    for name, data in blobs.items():
        text = data.decode("utf-8", "replace").casefold()
        for leak in ("zyrafina", "okonkwo", "vorhanek"):
            assert leak not in text, (name, leak)


def test_an_unreviewed_everyday_word_is_replaced_where_found_and_nowhere_else(study: Study, tmp_path: Path) -> None:
    """QA B9: a proposal nobody has looked at spread to every file, so one false alarm ("Thank", "Reading")
    blanked an everyday word in every session of every participant."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Iris", dict(ANSWERS), consent, [])
    add_participant(study, "Lily", dict(ANSWERS), consent, [], study.unlock(PASSPHRASE.encode()))
    _session(study, "Iris", "20261125-100000", ["I grew up in Reading with Denise Okoro."])  # never reviewed
    _session(study, "Iris", "20261126-100000", ["I stopped reading after that."])  # never reviewed
    _, lily = _session(study, "Lily", "20261124-120000", ["I love reading to my kids."])
    _review_all(study, lily, [])
    identities = study.unlock(PASSPHRASE.encode())
    export(study, identities, Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    first = (tmp_path / "t" / "Iris_session-1.txt").read_text()
    assert "Reading" not in first and "Denise" not in first and "Okoro" not in first, first
    assert "I stopped reading after that." in (tmp_path / "t" / "Iris_session-2.txt").read_text()
    assert "I love reading to my kids." in (tmp_path / "t" / "Lily_session-1.txt").read_text()


def test_an_unreviewed_sound_alike_of_everyday_words_is_replaced_where_found_and_nowhere_else(
    study: Study, tmp_path: Path
) -> None:
    """QA Q2: "to tell me", proposed as a sound-alike of Rose's listed "Tulare", spread as any proposal of a word
    that is no everyday word ("me" is too short to be one): "tell me" was blanked in every woman's export and in
    the guide's prompts. A phrase of everyday words and short function words is replaced where it was proposed."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Rose", dict(ANSWERS), consent, [KnownIdentifier("Tulare", "LOCATION")])
    add_participant(study, "Iris", dict(ANSWERS), consent, [], study.unlock(PASSPHRASE.encode()))
    said = ["You don't have to tell me anything.", "Can you tell me about your family?", "We moved to Tulare."]
    _session(study, "Rose", "20261125-100000", said)  # never reviewed
    _session(study, "Iris", "20261125-120000", ["Can you tell me what happened next?"])
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    rose = (tmp_path / "t" / "Rose_session-1.txt").read_text()
    assert "have to tell me" not in rose and "Tulare" not in rose, rose  # both proposed, both replaced
    assert "Can you tell me about your family?" in rose, rose
    assert "Can you tell me what happened next?" in (tmp_path / "t" / "Iris_session-1.txt").read_text()


def test_a_cued_everyday_name_is_replaced_at_its_other_mentions_in_that_transcript(
    study: Study, tmp_path: Path
) -> None:
    """QA C2: "a lady named blessing" was replaced, and "blessing helped me" one sentence later left beside the
    placeholder. A name a cue found spreads through its own unreviewed transcript (the same placeholder), not
    to "a blessing" there, nor to her other sessions or another woman's."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Iris", dict(ANSWERS), consent, [])
    add_participant(study, "Lily", dict(ANSWERS), consent, [], study.unlock(PASSPHRASE.encode()))
    said = ["I met a lady named blessing at the shelter.", "blessing helped me get my id back."]
    said += ["My son was a blessing."]
    _session(study, "Iris", "20261125-100000", said)  # never reviewed
    _session(study, "Iris", "20261126-100000", ["It was a blessing to count my blessings."])
    _, lily = _session(study, "Lily", "20261124-120000", ["Her blessing helped me."])
    _review_all(study, lily, [])
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    first = (tmp_path / "t" / "Iris_session-1.txt").read_text()
    placeholder = re.search(r"named (\[PERSON \d\]) at the shelter", first)
    assert placeholder and f"{placeholder.group(1)} helped me get my id back." in first, first
    assert "My son was a blessing." in first
    assert "It was a blessing to count my blessings." in (tmp_path / "t" / "Iris_session-2.txt").read_text()
    assert "Her blessing helped me." in (tmp_path / "t" / "Lily_session-1.txt").read_text()


def test_an_everyday_word_on_one_womans_list_stays_in_the_others_transcripts(study: Study, tmp_path: Path) -> None:
    """QA B26: Bea's daughter Hope blanked "hope" in every other participant's export."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Bea", dict(ANSWERS), consent, [KnownIdentifier("Hope")])
    add_participant(study, "Lily", dict(ANSWERS), consent, [], study.unlock(PASSPHRASE.encode()))
    _, bea = _session(study, "Bea", "20261124-100000", ["Hope picked me up from the jail."])
    _review_all(study, bea, [KnownIdentifier("Hope")])
    _, lily = _session(study, "Lily", "20261124-120000", ["The only thing that kept me going was hope."])
    _review_all(study, lily, [])
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request())
    assert "Hope" not in (tmp_path / "t" / "Bea_session-1.txt").read_text()
    assert "kept me going was hope." in (tmp_path / "t" / "Lily_session-1.txt").read_text()


def test_a_reviewers_rejection_holds_against_the_same_word_replaced_elsewhere(study: Study, tmp_path: Path) -> None:
    """QA B9: a word proposed in another session came back over the reviewer's "rejected" in this one."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Iris", dict(ANSWERS), consent, [])
    add_participant(study, "Lily", dict(ANSWERS), consent, [], study.unlock(PASSPHRASE.encode()))
    _session(study, "Iris", "20261125-100000", ["I worked nights with Marisol, every week."])  # never reviewed
    _, lily = _session(study, "Lily", "20261124-120000", ["We painted the Marisol mural on the wall."])
    redactions = propose(lily, [])
    assert any(span.text == "Marisol" for span in redactions.spans)
    for span in redactions.spans:
        redactions.decide(span.id, REJECTED if span.text == "Marisol" else ACCEPTED, "reviewer", NOW)
    redactions.mark_reviewed("reviewer", NOW)
    store_reviewed(study, redactions)
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    assert "Marisol" not in (tmp_path / "t" / "Iris_session-1.txt").read_text()
    assert "We painted the Marisol mural" in (tmp_path / "t" / "Lily_session-1.txt").read_text()


def test_a_reviewers_rejection_never_lets_a_listed_identifier_out(study: Study, tmp_path: Path) -> None:
    """QA F16: a reviewer's rejection of a span that is exactly one of her listed identifiers (her full name, her
    handle, her inmate number) or a part of her listed full name let it out in every form of a reviewed export. A
    rejection spares what detection or a sound-alike found, and a single everyday word on her list ("Hope": "I
    hope"), never a listed identifier."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    listed = [KnownIdentifier("Kayla Ruiz"), KnownIdentifier("kayla_bae21", "CONTACT"),
              KnownIdentifier("2345678", "ID"), KnownIdentifier("Hope")]  # fmt: skip
    add_participant(study, "Iris", dict(ANSWERS), consent, listed)
    said = ["KAYLA  RUIZ wrote me as kayla_bae21, TDCJ 2345678 and 234-5678.", "I hope so, Hope said.",
            "Kayla's cousin came, and Ruiz too."]  # fmt: skip
    _, transcript = _session(study, "Iris", "20261124-100000", said)
    redactions = propose(transcript, listed)
    assert {"KAYLA  RUIZ", "kayla_bae21"} <= {s.text for s in redactions.spans}
    for span in redactions.spans:
        redactions.decide(span.id, REJECTED, "reviewer", NOW)
    redactions.mark_reviewed("reviewer", NOW)
    store_reviewed(study, redactions)
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request(("Iris",)))
    text = (tmp_path / "t" / "Iris_session-1.txt").read_text()
    for leak in ("kayla", "ruiz", "bae21", "2345678", "234-5678"):
        assert leak not in text.casefold(), text
    assert "I hope so" in text


def test_a_listed_name_with_letters_that_do_not_decompose_leaves_in_no_plain_spelling(
    study: Study, tmp_path: Path
) -> None:
    """QA R1: Lan's list holds "Bjørn Halvorsen", "Łódź", "Nguyễn Văn Đức", "Ærø Lodge", "Tromsø". Unicode does not
    decompose ø, ł, đ, æ, so the scrub kept them, and "bjorn", "lodz", "duc", "aero lodge", "tromso" (how Whisper
    and an English keyboard write them) left a reviewed export where the reviewer rejected the spans, and a path
    naming them passed. QA R2: a part of her name that folds to a common word ("Văn": van) or a listed function word
    ("An", "Mỹ": my) blanked that word in every other woman's export."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    listed = [KnownIdentifier("Bjørn Halvorsen"), KnownIdentifier("Łódź", "LOCATION"),
              KnownIdentifier("Nguyễn Văn Đức"), KnownIdentifier("Ærø Lodge", "ORG"),
              KnownIdentifier("Tromsø", "LOCATION"), KnownIdentifier("An"), KnownIdentifier("Mỹ")]  # fmt: skip
    add_participant(study, "Lan", dict(ANSWERS), consent, listed)
    add_participant(study, "Rose", dict(ANSWERS), consent, [], study.unlock(PASSPHRASE.encode()))
    said = ["was it bjorn halvorsen who drove, or the man from lodz?",
            "the girls at aero lodge in tromso knew duc too. Nguyen Van Duc came to Tromso often.",
            "They put me in a van, a white van. It was an interview in my town, my sister said."]  # fmt: skip
    _, transcript = _session(study, "Rose", "20261124-100000", said)
    _reject_all(study, transcript, [])
    keys = study.unlock(PASSPHRASE.encode())
    export(study, keys, Options("txt"), tmp_path / "t", Request(("Rose",)))
    text = (tmp_path / "t" / "Rose_session-1.txt").read_text()
    for leak in ("bjorn", "halvorsen", "lodz", "aero", "tromso", "duc", "nguyen"):
        assert not re.search(rf"\b{leak}\b", text, re.IGNORECASE), (leak, text)
    assert "They put me in a van, a white van. It was an interview in my town, my sister said." in text
    for named in ("x_Lodz", "member-check-Tromso", "bjorn"):
        with pytest.raises(BadInput, match="the path names a participant"):
            export(study, keys, Options("txt"), tmp_path / named, Request(("Rose",)))
        assert not (tmp_path / named).exists()


def test_a_listed_number_said_in_words_and_a_listed_street_without_its_type_leave_no_reviewed_export(
    study: Study, tmp_path: Path
) -> None:
    """QA R3: her listed phone said in words ("nine one six, five five five, zero one four two") and her listed
    street abbreviated or without "Street" ("Van Buren St.", "on Van Buren") left a reviewed export where the
    reviewer rejected the spans; the digits and the full form were replaced. A street whose name is a common word
    ("Main Street") is matched with a type word only, so "the main road" stays."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    listed = [KnownIdentifier("916-555-0142", "CONTACT"), KnownIdentifier("Van Buren Street", "LOCATION"),
              KnownIdentifier("Main Street", "LOCATION")]  # fmt: skip
    add_participant(study, "Rose", dict(ANSWERS), consent, listed)
    said = ["Van Buren St. was near the park, on Van Buren, off VanBuren Ave.",
            "You can call me at nine one six, five five five, zero one four two, or (916) 555 0142.",
            "Nine one six, double five five, oh one four two. I stayed nine one six days? No, ninety.",
            "We walked down the main road to Main St. and back."]  # fmt: skip
    _, transcript = _session(study, "Rose", "20261124-100000", said)
    _reject_all(study, transcript, listed)
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request(("Rose",)))
    text = (tmp_path / "t" / "Rose_session-1.txt").read_text()
    for leak in ("buren", "nine one six, five", "zero one four two", "oh one four two", "555", "main st"):
        assert leak not in text.casefold(), (leak, text)
    assert "I stayed nine one six days? No, ninety." in text and "down the main road to" in text


@pytest.mark.parametrize("fmt", ["txt", "srt"])
def test_a_listed_number_or_name_cut_by_a_segment_boundary_leaves_no_reviewed_export(
    study: Study, tmp_path: Path, fmt: str
) -> None:
    """QA R4: Whisper cuts at the pause between a phone's groups ("916 555" | "0142"); the reviewer's rejection of
    the pieces was taken and the last scrub read one segment at a time, so txt, docx and qdpx, which join the
    segments into one paragraph, gave her whole listed number (srt in two cues). Each piece is replaced now."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    listed = [KnownIdentifier("916-555-0142", "CONTACT"), KnownIdentifier("Marisol Quintanilla")]
    add_participant(study, "Rose", dict(ANSWERS), consent, listed)
    said = ["He kept my papers. You can call me at 916 555", "0142, any time. Or ask for Marisol",
            "Quintanilla at the desk. Or call nine one six, five five five,",
            "zero one four two, she said."]  # fmt: skip
    _, transcript = _session(study, "Rose", "20261124-100000", said)
    _reject_all(study, transcript, listed)
    export(study, study.unlock(PASSPHRASE.encode()), Options(fmt), tmp_path / "t", Request(("Rose",)))
    (out,) = (tmp_path / "t").iterdir()
    text = out.read_text()
    for leak in ("916", "555", "0142", "marisol", "quintanilla", "nine one six", "zero one four two"):
        assert leak not in text.casefold(), (leak, text)
    for kept in (
        "He kept my papers. You can call me at",
        ", any time. Or ask for",
        "at the desk. Or call",
        "she said.",
    ):
        assert kept in text, (kept, text)


def test_a_sessions_placeholders_are_the_same_whatever_else_the_export_selects(study: Study, tmp_path: Path) -> None:
    """QA R6: placeholders were numbered over the sessions an export selected, so the second coder's --sample, or
    an export made before session 1 was reviewed, called Jasmine "[PERSON 1]", where the full export called her
    "[PERSON 2]" and Marisol "[PERSON 1]". Her stored decisions number her people over all her transcripts."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Rose", dict(ANSWERS), consent, [])
    _, first = _session(study, "Rose", "20261124-100000", ["Marisol Quintanilla took my passport in Tucson."])
    redactions = propose(first, [])
    assert any(s.text == "Marisol Quintanilla" for s in redactions.spans)
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "reviewer", NOW)
    # decided, not yet marked reviewed, stored as the review screen stores it (a file the key adopted is no one's
    # decision): the default export leaves session 1 out
    study.unlock(PASSPHRASE.encode())
    store(study, redactions, "redaction.decided")
    _, second = _session(study, "Rose", "20261125-100000", ["Jasmine Okoro drove me. Marisol Quintanilla paid her."])
    _review_all(study, second, [])
    keys = study.unlock(PASSPHRASE.encode())
    export(study, keys, Options("txt"), tmp_path / "reviewed", Request())
    export(study, keys, Options("txt"), tmp_path / "all", Request(include_unreviewed=True))
    export(study, keys, Options("txt"), tmp_path / "sample", Request(include_unreviewed=True, sample=0.5, seed=1))
    alone = (tmp_path / "reviewed" / "Rose_session-2.txt").read_text().splitlines()[-1]
    assert alone.endswith("Participant: [PERSON 2] drove me. [PERSON 1] paid her."), alone
    assert (tmp_path / "all" / "Rose_session-2.txt").read_text().splitlines()[-1] == alone
    assert "[PERSON 1] took my passport" in (tmp_path / "all" / "Rose_session-1.txt").read_text()
    for sampled in (tmp_path / "sample").iterdir():  # one of the two, numbered as in the full export
        assert sampled.read_text() == (tmp_path / "all" / sampled.name).read_text()


def test_an_export_of_a_transcript_in_another_language_says_detection_reads_english(
    study: Study, tmp_path: Path
) -> None:
    """QA R7: a Spanish interview went out as "Me [ORG] [PERSON 1], mi [ORG] ...", and nothing said that detection
    reads English only."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Rose", dict(ANSWERS), consent, [])
    folder, _ = _session(study, "Rose", "20261124-100000", ["I stayed in Tucson."])
    _, spanish = _session(study, "Rose", "20261125-100000", ["Me llamo Lucía y vivo en Tijuana."])
    study.replace(folder.parent / "20261125-100000" / layout.TRANSCRIPT,
                  replace(spanish, settings={"language": "es"}).to_json())  # fmt: skip
    done = export(
        study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request(include_unreviewed=True)
    )
    said = [(session, note) for _, session, note in done.notes if "reads English" in note]
    assert len(said) == 1 and said[0][0] == "20261125-100000" and "'es'" in said[0][1], done.notes


def test_control_characters_in_answers_and_transcripts_never_break_an_export(study: Study, tmp_path: Path) -> None:
    """QA R8: a vertical tab pasted from Word into an answer (or any C0 control, an escape sequence) went into
    every qdpx export as malformed XML no coding tool opens, and a docx export died with a traceback."""
    from fieldvault.questionnaire import Questionnaire

    junk = "counselling\u000bat the clinic\u0000 and \u001b[2Jhousing"
    answers_file = tmp_path / "a.json"
    answers_file.write_text(json.dumps({**ANSWERS, "services_used": junk}))
    answers = Questionnaire.for_study(study.root).answers_from_file(answers_file)
    assert answers["services_used"] == "counselling at the clinic  and  [2Jhousing"  # cleaned at the door
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Wren", {**ANSWERS, "services_used": junk}, consent, [])  # stored before the door
    _session(study, "Wren", "20261124-100000", [f"I went to {junk} after.", "Then\u000c home."])
    keys = study.unlock(PASSPHRASE.encode())
    export(study, keys, Options("qdpx"), tmp_path / "p.qdpx", Request(include_unreviewed=True))
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        project = etree.fromstring(archive.read("project.qde"))  # malformed XML raises here
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(project)
    assert " at the clinic " in etree.tostring(project, encoding="unicode")  # the answer, its junk a space
    export(study, keys, Options("docx"), tmp_path / "d", Request(include_unreviewed=True))
    (document,) = (tmp_path / "d").iterdir()
    assert "at the clinic" in "\n".join(p.text for p in docx.Document(str(document)).paragraphs)


def test_a_listed_name_that_is_a_function_word_is_replaced_only_where_it_stands_as_a_name(
    study: Study, tmp_path: Path
) -> None:
    """QA R17: "An" and "Mỹ" on her own list made every "an" and "my" of her interviews a proposal, and her
    unreviewed export read "[PERSON 1] mother and [PERSON 1] sister"."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    listed = [KnownIdentifier("An"), KnownIdentifier("Mỹ")]
    add_participant(study, "Vy", dict(ANSWERS), consent, listed)
    said = ["My mother and my sister My came with me.", "It was an old house, and An, my friend, stayed."]
    _, transcript = _session(study, "Vy", "20261124-100000", said)
    assert sorted(s.text for s in propose(transcript, listed).spans if s.source == "known") == ["An", "My"]
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    text = (tmp_path / "t" / "Vy_session-1.txt").read_text()
    assert "My mother and my sister [PERSON " in text and "] came with me." in text, text
    assert "It was an old house, and [PERSON " in text and "], my friend, stayed." in text, text


def test_the_audio_of_an_export_is_silent_where_its_transcript_was_redacted(study: Study, tmp_path: Path) -> None:
    """QA R12: --with-audio put every name she said into the coder's project, beside a transcript that hid them.
    The words a placeholder replaced are silent in the audio (their word times, a margin either side); a segment
    edited since transcription, whose words no longer match it, is silent whole where anything was replaced.
    QA S1: a name the transcriber took out of the text by hand ("(name removed)") left nothing to replace, and
    was heard: Whisper's words of an edited segment are de-identified too, and those replaced are silent. S1's rest:
    a name Whisper misheard as everyday words ("born in loaded" for Lodi), which the transcriber replaced by a marker
    or deleted, was heard: those words are silent too, but fillers and a word said twice."""
    import numpy as np

    from fieldvault.export.muting import AFTER, BEFORE

    rate, tone, folder = _toned_session(study, 22, [KnownIdentifier("Marisol Quintanilla")])
    timed = [("I", 0.5, 0.8), ("met", 0.8, 1.1), ("Marisol", 1.5, 2.0), ("Quintanilla", 2.0, 2.6), ("there.", 3.0, 3.5)]
    said = Segment(0.5, 3.5, "I met Marisol Quintanilla there.", "Participant",
                   tuple(Word(a, b, w, 0.9) for w, a, b in timed))  # fmt: skip
    edited = Segment(5.0, 7.0, "Marisol came back later.", "Participant", (Word(5.0, 7.0, "She", 0.9),))
    plain = Segment(7.5, 8.5, "Nothing else.", "Participant", (Word(7.5, 8.0, "Nothing", 0.9),))
    timed = [("My", 9.0, 9.3), ("name", 9.3, 9.6), ("is", 9.6, 9.8), ("Marisol", 10.2, 10.7),
             ("Quintanilla.", 10.7, 11.4)]  # fmt: skip
    by_hand = Segment(9.0, 11.4, "My name is (name removed).", "Participant",
                      tuple(Word(a, b, w, 0.9) for w, a, b in timed))  # fmt: skip
    timed = [("We", 12.0, 12.3), ("stayed", 12.3, 12.8), ("in", 12.8, 13.0), ("the", 13.0, 13.2),
             ("shelter.", 13.2, 14.0)]  # fmt: skip
    corrected = Segment(12.0, 14.0, "We stayed at the shelter.", "Participant",
                        tuple(Word(a, b, w, 0.9) for w, a, b in timed))  # fmt: skip
    timed = [("I", 15.0, 15.2), ("was", 15.2, 15.4), ("born", 15.4, 15.7), ("in", 15.7, 15.9), ("loaded,", 16.3, 16.9),
             ("and", 17.0, 17.2), ("um", 17.3, 17.6), ("then", 17.6, 17.9), ("we", 18.0, 18.2), ("moved", 18.2, 18.5),
             ("to", 18.5, 18.7), ("your", 18.9, 19.1), ("left.", 19.1, 19.5)]  # fmt: skip
    misheard = Segment(15.0, 19.5, "I was born in (town), and then we moved to ___.", "Participant",
                       tuple(Word(a, b, w, 0.9) for w, a, b in timed))  # fmt: skip
    timed = [("Then", 20.0, 20.2), ("I", 20.2, 20.3), ("I", 20.3, 20.4), ("left", 20.4, 20.7), ("Tulare.", 20.9, 21.6)]
    deleted = Segment(20.0, 21.6, "Then I left.", "Participant", tuple(Word(a, b, w, 0.9) for w, a, b in timed))
    transcript = replace(
        _transcript("Rose", "20261124-100000", []),
        segments=(said, edited, plain, by_hand, corrected, misheard, deleted),
        markers=(),
    )
    study.write_new(folder / layout.TRANSCRIPT, transcript.to_json())
    _review_all(study, transcript, [KnownIdentifier("Marisol Quintanilla")])
    out = tmp_path / "a.qdpx"
    export(study, study.unlock(PASSPHRASE.encode()), Options("qdpx", with_audio=True), out, Request())
    with zipfile.ZipFile(out) as archive:
        (wav,) = [n for n in archive.namelist() if n.endswith(".wav")]
        heard = np.frombuffer(archive.read(wav)[44:], dtype=np.int16)
    assert len(heard) == len(tone)

    def loud(a: float, b: float) -> float:
        return float(np.abs(heard[int(a * rate) : int(b * rate)]).max())

    assert loud(1.5 - BEFORE, 2.6 + AFTER) == 0  # her name, and a margin either side
    assert loud(0.5, 1.2) > 7000 and loud(2.9, 3.5) > 7000  # "I met", "there." heard
    assert loud(5.0, 7.0) == 0 and loud(7.5, 8.5) > 7000  # the edited segment silent whole; the untouched one heard
    assert loud(10.2 - BEFORE, 11.4 + AFTER) == 0 and loud(9.0, 9.8) > 7000  # removed by hand: silent; "My name is"
    assert loud(12.0, 14.0) > 7000  # a correction with nothing to hide is heard whole
    assert loud(16.3 - BEFORE, 16.9 + AFTER) == 0 and loud(18.9 - BEFORE, 19.5 + AFTER) == 0  # a marker for them
    assert loud(15.0, 15.9) > 7000 and loud(17.3, 17.6) > 7000 and loud(17.6, 18.7) > 7000  # the rest, "um" too
    assert loud(20.9 - BEFORE, 21.6 + AFTER) == 0 and loud(20.0, 20.7) > 7000  # deleted: silent; "I I" heard


def test_a_stretch_marked_inaudible_is_silent_in_the_exported_audio(study: Study, tmp_path: Path) -> None:
    """qa25 QA2: "[inaudible 00:00:27]" stood in the transcript where tiny.en recognised nothing, so nobody could read
    or redact what was said there, and the export carried it audible: her listed phone number, every digit. Such a
    stretch is silent whole (also beside a crosstalk tag); a segment whose words were written is heard."""
    import numpy as np

    rate, _, folder = _toned_session(study, 12, [])
    said = Segment(0.5, 2.5, "We talked a while.", "Participant", (Word(0.5, 2.5, "We talked a while.", 0.9),))
    unread = Segment(3.0, 6.0, "[inaudible 00:00:03]", "Participant")
    both = Segment(7.0, 9.0, "[crosstalk] [inaudible 00:00:07]", "Participant")
    after = Segment(10.0, 11.5, "Then we left.", "Participant", (Word(10.0, 11.5, "Then we left.", 0.9),))
    transcript = replace(_transcript("Rose", "20261124-100000", []), segments=(said, unread, both, after), markers=())
    study.write_new(folder / layout.TRANSCRIPT, transcript.to_json())
    _review_all(study, transcript, [])
    out = tmp_path / "a.qdpx"
    export(study, study.unlock(PASSPHRASE.encode()), Options("qdpx", with_audio=True), out, Request())
    with zipfile.ZipFile(out) as archive:
        (wav,) = [n for n in archive.namelist() if n.endswith(".wav")]
        heard = np.frombuffer(archive.read(wav)[44:], dtype=np.int16)

    def loud(a: float, b: float) -> float:
        return float(np.abs(heard[int(a * rate) : int(b * rate)]).max())

    assert loud(3.0, 6.0) == 0 and loud(7.0, 9.0) == 0
    assert loud(0.5, 2.0) > 7000 and loud(10.5, 11.5) > 7000


def test_a_detected_span_with_a_listed_part_is_replaced_whole_in_free_text(study: Study, tmp_path: Path) -> None:
    """QA E11: "Lupita Ochoa … Commerce St, 210-555-0199" with "Lupita" and the phone on her list went out as
    "[PERSON] Ochoa … Commerce St, [PHONE]": the listed part was taken for the whole span. In every free-text
    route (an answer in the demographics CSV and the qdpx case variables, a field note, the journal) the
    detected span is replaced whole; a listed identifier that is the whole span keeps her placeholder."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    said = "counseling with Lupita Ochoa at Catholic Charities on Commerce St, 210-555-0199"
    listed = [KnownIdentifier("Lupita"), KnownIdentifier("210-555-0199", "CONTACT")]
    add_participant(study, "Kay", {**ANSWERS, "services_used": said}, consent, listed)
    folder, transcript = _session(study, "Kay", "20261124-100000", ["Lupita found me the bed."])
    _review_all(study, transcript, listed)
    memos.add_field_note(study, folder, f"Ask about the {said}. Lupita again.")
    journal.add_entry(study, f"Kay said {said}.")
    identities = study.unlock(PASSPHRASE.encode())
    export(study, identities, Options("demographics"), tmp_path / "d.csv", Request())
    export(study, identities, Options("qdpx", memos=True), tmp_path / "m.qdpx", Request())
    blobs = {**_blobs(tmp_path / "d.csv"), **_blobs(tmp_path / "m.qdpx")}
    for name, data in blobs.items():
        for leak in ("Lupita", "Ochoa", "Commerce", "555-0199", "Catholic"):
            assert leak.encode() not in data, (name, leak, data.decode(errors="replace"))
    assert "counseling with [PERSON] at [ORG] on [PHONE]" in (tmp_path / "d.csv").read_text()
    project = blobs["m.qdpx!project.qde"].decode()
    assert "<TextValue>counseling with [PERSON] at [ORG] on [PHONE]</TextValue>" in project, project
    notes = b"\n".join(data for name, data in blobs.items() if name.startswith("m.qdpx!sources/")).decode()
    assert notes.count("counseling with [PERSON] at [ORG] on [PHONE]") == 2, notes
    assert re.search(r"\. \[PERSON 1\] again\.", notes), notes  # the whole listed name: her placeholder


def test_a_speaker_renamed_to_a_name_never_leaves_in_any_format(study: Study, tmp_path: Path) -> None:
    """QA E5: a speaker renamed in the editor to "Hoa Nguyen" or "Hoa" (another woman lists "Nguyen Thi Hoa")
    went out on each of her lines in every format; only a label that was exactly a listed identifier was
    caught. A label passes the free-text scrub (the detector with every form of every listed name); roles,
    numbered speakers and her pseudonym stay."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Ana", dict(ANSWERS), consent, [KnownIdentifier("Kayla Ruiz")])
    add_participant(
        study, "Ria", dict(ANSWERS), consent, [KnownIdentifier("Nguyen Thi Hoa")], study.unlock(PASSPHRASE.encode())
    )
    said = [("Interviewer", "How did you come here?"), ("Hoa Nguyen", "I came from the long road."),
            ("Speaker 3", "Me too."), ("Hoa", "It was cold."), ("Ana", "Then I left."),
            ("Kayla", "I stayed."), ("interviewer", "Thank you."), ("nguyen", "That is all."),
            ("Speaker 3", "Hm."), ("NGUYEN", "Yes, Nguyen.")]  # fmt: skip
    transcript = _said_by(study, said)
    identities = study.unlock(PASSPHRASE.encode())
    leaks = []
    for reviewed in (False, True):
        if reviewed:
            _review_all(study, transcript, [KnownIdentifier("Kayla Ruiz")])
        for n, options in enumerate(RUNS):
            out = tmp_path / f"{n}-{reviewed}-{options.fmt}"
            export(study, identities, options, out, Request(("Ana",), include_unreviewed=True))
            for name, data in _blobs(out).items():
                text = unicodedata.normalize("NFC", data.decode("utf-8", "ignore")).casefold()
                leaks += [f"{options} {name}: {w}" for w in ("hoa", "nguyen", "kayla") if re.search(rf"\b{w}\b", text)]
    assert not leaks, "\n".join(leaks)
    txt = (tmp_path / f"{RUNS.index(Options('txt'))}-True-txt" / "Ana_session-1.txt").read_text()
    # Different labels stay different speakers; one label in two cases is one, and a label that is a name the
    # reviewer accepted in her text takes its placeholder there.
    for line in ("Interviewer: How did you come", "[PERSON]: I came from the long road.", "Speaker 3: Me too.",
                 "[PERSON] (2): It was cold.", "Ana: Then I left.", "[PERSON] (3): I stayed.",
                 "interviewer: Thank you.", "[PERSON 1]: That is all.", "[PERSON 1]: Yes, [PERSON 1]."):  # fmt: skip
        assert line in txt, txt


def test_an_export_killed_part_way_is_on_the_record_and_its_temporary_file_goes(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA E13: an export killed part-way left its plaintext temporary file (transcripts, WAV audio) beside its place,
    with nothing in the audit log, so a withdrawal could not list it. It is recorded before its first byte, and the
    next export of that name destroys a dead export's temporary file."""
    from fieldvault.export import run
    from fieldvault.recording_lock import pid_alive
    from fieldvault.stewardship.withdraw import earlier_copies

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Ana", dict(ANSWERS), consent, [])
    _session(study, "Ana", "20261124-100000", ["I came from the long road."])
    out = tmp_path / "k.qdpx"
    dead = next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))
    left = tmp_path / f".k.qdpx.{dead}.tmp"
    left.write_bytes(b"PK\x03\x04 I came from the long road.")  # what a killed export leaves

    def killed(bundle: object, sink: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):  # undo() would also drop FIELDVAULT_HOME
        patched.setattr(run, "_writer", lambda options: killed)
        export(study, study.unlock(PASSPHRASE.encode()), Options("qdpx"), out, Request(include_unreviewed=True))
    assert [c.out for c in earlier_copies(study, "Ana")] == [str(out)]
    assert study.audit.entries()[-1]["action"] == "export.failed"
    export(study, study.unlock(PASSPHRASE.encode()), Options("qdpx"), out, Request(include_unreviewed=True))
    assert out.is_file() and not left.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".k.qdpx")) == []


def test_a_withdrawal_destroys_what_her_exports_killed_part_way_left(study: Study, tmp_path: Path) -> None:
    """QA E13's rest: the temporary file of an export killed part-way was destroyed only by a later export of that
    name; after her withdrawal nobody exports it again, and her plaintext stayed beside the listed copy."""
    from fieldvault.recording_lock import pid_alive
    from fieldvault.stewardship.withdraw import withdraw

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Ana", dict(ANSWERS), consent, [])
    _session(study, "Ana", "20261124-100000", ["I came from the long road."])
    identities = study.unlock(PASSPHRASE.encode())
    export(study, identities, Options("qdpx"), tmp_path / "k.qdpx", Request(include_unreviewed=True))
    export(study, identities, Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    dead = next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))
    left = [tmp_path / f".k.qdpx.{dead}.tmp", tmp_path / "t" / f".Ana_session-2.txt.{dead}.tmp"]
    alive = tmp_path / f".k.qdpx.{os.getpid()}.tmp"  # an export running now: never touched
    for path in (*left, alive):
        path.write_bytes(b"I came from the long road.")
    done = withdraw(study, "Ana")
    assert not any(p.exists() for p in left) and alive.exists() and done.files_destroyed >= 2
    assert (tmp_path / "k.qdpx").is_file()  # the export itself is the holder's to delete: listed, never touched


def test_check_names_what_a_killed_export_left_and_the_next_export_anywhere_destroys_it(
    study: Study, tmp_path: Path
) -> None:
    """QA H7: an export killed by SIGKILL left `.k.qdpx.PID.tmp` (her text and voice) that only a later export of the
    same name removed; `check` and an export elsewhere said nothing."""
    from fieldvault.recording_lock import pid_alive
    from fieldvault.stewardship.check import check_study

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Ana", dict(ANSWERS), consent, [])
    _session(study, "Ana", "20261124-100000", ["I came from the long road."])
    identities = study.unlock(PASSPHRASE.encode())
    export(study, identities, Options("qdpx"), tmp_path / "k.qdpx", Request(include_unreviewed=True))
    (tmp_path / "k.qdpx").unlink()
    dead = next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))
    left = tmp_path / f".k.qdpx.{dead}.tmp"  # as a SIGKILL leaves it: the export on the record, no failure noted
    alive = tmp_path / f".k.qdpx.{os.getpid()}.tmp"  # an export running now: never touched
    for path in (left, alive):
        path.write_bytes(b"PK\x03\x04 I came from the long road.")
    (line,) = [s for s in check_study(study, identities).strays if "killed part-way" in s]
    assert line.startswith(f"{left} is plaintext") and str(alive) not in line
    export(study, identities, Options("txt"), tmp_path / "elsewhere", Request(include_unreviewed=True))
    assert not left.exists() and alive.exists()
    assert not [s for s in check_study(study, identities).strays if "killed part-way" in s]


def test_a_speaker_label_that_is_already_a_placeholder_goes_out_as_it_is(study: Study, tmp_path: Path) -> None:
    """QA E20: a transcript kept de-identified at a withdrawal has "[PERSON]" for a speaker; scrubbed again it
    went out as "[[ORG]]" on every line."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Ana", dict(ANSWERS), consent, [])
    said = [("Interviewer", "How did you come here?"), ("[PERSON]", "I came from the long road."),
            ("[PERSON] (2)", "Me too."), ("[PERSON 3]", "It was cold."), ("Mama [PERSON]", "We walked."),
            ("Dre [PERSON 2]", "We ran.")]  # fmt: skip
    _said_by(study, said)
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    text = (tmp_path / "t" / "Ana_session-1.txt").read_text()
    # QA F5: a label that holds a stand-in ("Mama Hoa" kept as "Mama [PERSON]") keeps it; only its other words are
    # scrubbed.
    for line in ("[PERSON]: I came from", "[PERSON] (2): Me too.", "[PERSON 3]: It was cold.",
                 "Mama [PERSON]: We walked.", "[PERSON] [PERSON 2]: We ran."):  # fmt: skip
        assert line in text, text
    assert "[[" not in text


def test_a_stored_span_over_a_transcript_mark_leaves_the_mark_whole(study: Study, tmp_path: Path) -> None:
    """QA E6: a span made before detection left marks alone ("crosstalk] 1", stored in the redactions file, or a
    reviewer's selection that took the mark) went out as "[[PHONE],". The gate replaces only what is outside the
    transcript's marks; the rest of the number is still replaced."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Ana", dict(ANSWERS), consent, [])
    said = ["So I said 21, 3, 4.", "[crosstalk] 1, and then", "call 555 [inaudible 00:00:09] 0142 now."]
    _, transcript = _session(study, "Ana", "20261124-100000", said)
    redactions = propose(transcript, [])
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "reviewer", NOW)
    redactions.add(transcript, 1, 1, 13, "CONTACT", "reviewer", NOW)  # "crosstalk] 1"
    # "555 [inaudible 00:00:09] 0142": detection proposes the number on both sides of the mark itself now
    assert [(s.start, s.end) for s in redactions.spans if s.segment == 2] == [(5, 8), (30, 34)]
    redactions.mark_reviewed("reviewer", NOW)
    store_reviewed(study, redactions)
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request())
    text = (tmp_path / "t" / "Ana_session-1.txt").read_text()
    assert "[crosstalk] [PHONE], and then" in text, text
    assert "call [PHONE] [inaudible 00:00:09] [PHONE] now." in text, text


def test_a_prompt_typed_in_the_editor_passes_the_detector(study: Study, tmp_path: Path) -> None:
    """A prompt marker whose text is not the guide's ("Other…" in the editor, typed as it was asked) is free
    text like a speaker label (QA E5's route): it passed only the exact scrub, so a name no list holds in
    that form went out in every format's prompt lines and the qdpx codes. The guide's own prompts are as written."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Ana", dict(ANSWERS), consent, [])
    add_participant(
        study, "Ria", dict(ANSWERS), consent, [KnownIdentifier("Nguyen Thi Hoa")], study.unlock(PASSPHRASE.encode())
    )
    folder, transcript = _session(study, "Ana", "20261124-100000", ["He was kind to me.", "Yes."])
    asked = (Marker(0.0, "prompt", "Can you tell me the story of your exit?"),
             Marker(4.5, "prompt", "And Hoa's brother, Tomasz Wielgosz, what did he do?"))  # fmt: skip
    transcript = replace(transcript, markers=asked)
    study.replace(folder / layout.TRANSCRIPT, transcript.to_json())
    _review_all(study, transcript, [])
    identities = study.unlock(PASSPHRASE.encode())
    for fmt in ("txt", "qdpx"):
        export(study, identities, Options(fmt), tmp_path / fmt, Request())
        for name, data in _blobs(tmp_path / fmt).items():
            for leak in (b"Hoa", b"Tomasz", b"Wielgosz"):
                assert leak not in data, (name, leak)
    text = (tmp_path / "txt" / "Ana_session-1.txt").read_text()
    assert "Can you tell me the story of your exit?" in text and "[PERSON], what did he do?" in text, text


def test_a_speaker_label_no_layer_recognises_leaves_without_its_name_words(study: Study, tmp_path: Path) -> None:
    """A label is a slot for who speaks: a first name or a word no dictionary holds in it is a name even where the
    detector, which reads sentences, sees none ("Dre", "Mama T", "Grace"); family words, titles and roles pass."""
    from fieldvault.redact.labels import flagged

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Ana", dict(ANSWERS), consent, [])
    said = [("Interviewer", "How did you come here?"), ("Dre", "I drove her there."), ("Mama T", "I took them in."),
            ("Grace", "I prayed with her."), ("Her mother", "I waited."), ("Interpreter", "She says yes."),
            ("Co-interviewer", "And after?"), ("Pastor", "We fed them.")]  # fmt: skip
    _said_by(study, said)
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    text = (tmp_path / "t" / "Ana_session-1.txt").read_text()
    for line in ("[PERSON]: I drove her", "[PERSON] (2): I prayed", "Her mother: I wai",
                 "Interpreter: She says", "Co-interviewer: And after", "Pastor: We fed"):  # fmt: skip
        assert line in text, text
    assert not re.search(r"\b(?:Dre|Grace|T)\b", text) and "]: I took them in." in text, text
    assert [s.text for s in flagged("Dre", "Ana", [])] == ["Dre"]
    assert flagged("Her mother", "Ana", []) == [] and flagged("Speaker B", "Ana", []) == []


@pytest.mark.parametrize(
    "name",
    ["Maria_Lopez_check.docx", "maria-lopez.txt", "MARIA.LOPEZ", "María López/x", "member_check_Maria",
     "MemberCheckLopez", "Lopez.Maria", "maria2026", "x/kayla_bae21", "A213456789",
     # QA H2: a part of a hyphenated surname, an initial glued to a surname, a street or shelter's own word
     "Okonkwo.csv", "Delacroix.csv", "ZOkonkwo.csv", "mlopez.csv", "MLopez", "VanBuren.csv", "Vorhanek.csv",
     "marial.csv", "LOPEZm.csv",
     # qa28 QD1: her initial beside a surname that is an everyday word ("Tanisha Brooks")
     "tbrooks.csv", "t.brooks", "TBrooks", "x/brooks_t.csv"],
)  # fmt: skip
def test_an_output_path_that_names_a_participant_is_refused_before_anything_is_written(
    study: Study, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit log recorded an export's --out path verbatim, so a member-check export named after the woman put
    her name into the log that holds no identifiers (and the file name went to whoever got the file). Any route
    that writes plaintext out by a path (export, decrypt, report) refuses a path holding a listed identifier."""
    from fieldvault.errors import BadInput
    from fieldvault.plaintext import decrypt_to_file, export_identities
    from fieldvault.stewardship.report import write_report

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    listed = [
        KnownIdentifier("María López"),
        KnownIdentifier("kayla_bae21", "CONTACT"),
        KnownIdentifier("A213456789", "ID"),
        KnownIdentifier("Zyrafina Okonkwo-Delacroix"),
        KnownIdentifier("Vorhanek Shelter", "ORG"),
        KnownIdentifier("Van Buren Street", "LOCATION"),
        KnownIdentifier("Tanisha Brooks"),
    ]
    add_participant(study, "Ana", dict(ANSWERS), consent, listed)
    add_participant(
        study, "Bo", dict(ANSWERS), consent, [KnownIdentifier("Hope")], study.unlock(PASSPHRASE.encode())
    )  # an everyday word: left
    _session(study, "Ana", "20261124-100000", ["I came from the long road."])
    identities = study.unlock(PASSPHRASE.encode())
    before = study.audit.entries()
    exports = tmp_path / "exports"
    exports.mkdir()
    out = exports / unicodedata.normalize("NFD", name)
    with pytest.raises(BadInput, match="the path names a participant"):
        export(study, identities, Options("txt"), out, Request(include_unreviewed=True))
    with pytest.raises(BadInput, match="the path names a participant"):
        decrypt_to_file(study, "participants/Ana/20261124-100000/transcript.json.age", identities, out)
    with pytest.raises(BadInput, match="the path names a participant"):
        write_report(study, identities, out.with_name(out.name + ".md"))
    with pytest.raises(BadInput, match="the path names a participant"):
        export_identities(study, identities, out)
    assert study.audit.entries() == before and list(exports.iterdir()) == []
    monkeypatch.chdir(exports)  # a relative path is logged where it went
    export(study, identities, Options("txt"), Path("Ana_hope_check"), Request(include_unreviewed=True))
    assert (exports / "Ana_hope_check" / "Ana_session-1.txt").is_file()  # her pseudonym is no identifier
    assert study.audit.entries()[-2]["details"]["out"] == str(exports / "Ana_hope_check")
    export(study, identities, Options("txt"), Path("shelter_street_van"), Request(include_unreviewed=True))
    assert (exports / "shelter_street_van" / "Ana_session-1.txt").is_file()  # the everyday words of a name
    export(study, identities, Options("txt"), Path("brooks_notes"), Request(include_unreviewed=True))
    assert (exports / "brooks_notes" / "Ana_session-1.txt").is_file()  # her surname's everyday word alone


def test_the_researchers_own_home_folder_and_login_name_do_not_refuse_a_path(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """refuse_named read the whole absolute path, so a researcher whose login is a participant's listed first name
    ("/home/maria/", "/media/maria/USB/") could export nowhere; what she chose below them is still checked."""
    from fieldvault.errors import BadInput

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Ana", dict(ANSWERS), consent, [KnownIdentifier("María López")])
    _session(study, "Ana", "20261124-100000", ["I came from the long road."])
    identities = study.unlock(PASSPHRASE.encode())
    home = tmp_path / "Maria"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USER", "lopez")
    monkeypatch.setenv("LOGNAME", "lopez")
    for out in (home / "exports" / "a", tmp_path / "media" / "Lopez" / "USB" / "b"):
        export(study, identities, Options("txt"), out, Request(include_unreviewed=True))
        assert (out / "Ana_session-1.txt").is_file()
    for out in (home / "exports" / "maria_check", tmp_path / "media" / "Lopez" / "lopez_check"):
        with pytest.raises(BadInput, match="the path names a participant"):
            export(study, identities, Options("txt"), out, Request(include_unreviewed=True))
        assert not out.exists()


def test_a_listed_town_that_is_a_given_name_too_goes_out_of_an_answer_as_a_place(study: Study, tmp_path: Path) -> None:
    """walk24 WK2: a listed "Lodi" (a given name too, so a PERSON without a label) in her answer "a clinic in Lodi"
    went out as "in [PERSON 1]" while her transcripts said "[PLACE]" for the same words; a listed "Lodi, CA" was a
    person too. The words around it decide, as in her transcripts; a listed shelter keeps its label."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    typed = {**ANSWERS, "services_used": "a clinic in Lodi, then Sacred Heart"}
    add_participant(study, "Ivy", typed, consent, parse_identifier_lines("Lodi\nSHELTER: Sacred Heart\nModesto, CA"))
    _, transcript = _session(study, "Ivy", "20261124-100000", ["I got my GED in jail."])
    _review_all(study, transcript, [])
    identities = study.unlock(PASSPHRASE.encode())
    export(study, identities, Options("demographics"), tmp_path / "d.csv", Request())
    demographics = (tmp_path / "d.csv").read_text()
    assert "Lodi" not in demographics and "Sacred" not in demographics
    assert '"a clinic in [PLACE], then [ORG' in demographics, demographics


def test_a_listed_phone_dictated_over_segments_with_a_reply_between_leaves_no_piece(
    study: Study, tmp_path: Path, unlock: list[str]
) -> None:
    """walk24 WK3: her listed phone dictated group by group, Whisper cutting a segment at each pause and the other
    speaker's "Mm-hmm." between two of them. The groups said in words were proposed and replaced, and their texts
    then kept the scrub from reading the number whole: the last group, "0-1" (two digits, so `fieldvault leftovers`
    counted nothing), went out in every format, heard in the exported audio. Through the real `fieldvault export`,
    reviewed (every proposal accepted) and unreviewed; every byte searched."""
    import subprocess

    import numpy as np

    from fieldvault.export.muting import AFTER, BEFORE

    listed = [KnownIdentifier("559-230-4701", "CONTACT")]
    said = ["Okay so you can call me at five five nine,", "two three zero", "four seven", "Mm-hmm.",
            "0-1. That's my cell."]  # fmt: skip
    rate, _, folder = _toned_session(study, 4 * len(said) + 1, listed)
    segments = []
    for n, text in enumerate(said):
        start = 4.0 * n + 1
        words = tuple(Word(start + 0.4 * i, start + 0.4 * i + 0.35, w, 0.9) for i, w in enumerate(text.split()))
        segments.append(Segment(start, start + 3.5, text, "Participant", words))
    transcript = replace(_transcript("Rose", "20261124-100000", []), segments=tuple(segments), markers=())
    study.write_new(folder / layout.TRANSCRIPT, transcript.to_json())
    pieces = [re.compile(p, re.I) for p in (r"(?<![\w-])0\s*-\s*1(?![\w-])", r"\b4701\b", r"five five nine",
                                            r"two three zero", r"four seven", r"\b559\b", r"\b230\b")]  # fmt: skip

    def exported(*how: str) -> Path:
        out = tmp_path / "-".join(how).replace("--", "")
        done = subprocess.run(["fieldvault", "export", str(study.root), *how, "--out", str(out), *unlock],
                              capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)  # fmt: skip
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        return out

    for unreviewed in (("--include-unreviewed",), ()):  # nobody opened it yet; then the reviewer accepted everything
        if not unreviewed:
            _review_all(study, transcript, listed)
        for fmt in ("txt", "csv", "srt"):
            out = exported("--format", fmt, *unreviewed)
            for name, data in _blobs(out).items():
                text = data.decode("utf-8", "ignore")
                assert not [p.pattern for p in pieces if p.search(text)], (name, text)
        out = exported("--format", "qdpx", "--with-audio", *unreviewed)
        for name, data in _blobs(out).items():
            text = (data[:44] if name.endswith(".wav") else data).decode("utf-8", "ignore")
            assert data[:4] == b"PK\x03\x04" or not [p.pattern for p in pieces if p.search(text)], (name, text)
        with zipfile.ZipFile(out) as archive:
            (wav,) = [n for n in archive.namelist() if n.endswith(".wav")]
            heard = np.frombuffer(archive.read(wav)[44:], dtype=np.int16)
        last = segments[-1].words[0]  # "0-1."
        assert float(np.abs(heard[int((last.start - BEFORE) * rate) : int((last.end + AFTER) * rate)]).max()) == 0
        assert float(np.abs(heard[int(18.0 * rate) : int(19.5 * rate)]).max()) > 7000  # "my cell." heard


def test_her_listed_phone_with_a_digit_asr_dropped_is_proposed_and_leaves_no_text_or_audio(
    study: Study, tmp_path: Path
) -> None:
    """qa26 QB3: tiny.en dropped one "5" of her listed 559-555-0172 ("5-5-9 and 5-5 and 0-1-7-2"): nothing proposed
    it, the export's scrub left it, and all ten digits were heard in qdpx --with-audio. Said whole with "and" between
    its groups it was scrubbed but never proposed, so review showed nothing there. Both are proposed now; accepted,
    no group of her number is in any exported text and their words are silent."""
    import numpy as np

    from fieldvault.export.muting import AFTER, BEFORE

    phone = KnownIdentifier("559-555-0172", "CONTACT")
    rate, _, folder = _toned_session(study, 12, [phone])
    timed = [("I", 0.5, 0.7), ("gained", 0.7, 1.0), ("him", 1.0, 1.3), ("5-5-9", 1.5, 2.2), ("and", 2.2, 2.4),
             ("5-5", 2.4, 2.9), ("and", 2.9, 3.1), ("0-1-7-2.", 3.1, 4.0)]  # fmt: skip
    lost = Segment(0.5, 4.0, "I gained him 5-5-9 and 5-5 and 0-1-7-2.", "Participant",
                   tuple(Word(a, b, w, 0.9) for w, a, b in timed))  # fmt: skip
    timed = [("He", 5.0, 5.2), ("wrote", 5.2, 5.5), ("down", 5.5, 5.8), ("5-5-9", 6.0, 6.7), ("and", 6.7, 6.9),
             ("5-5-5", 6.9, 7.6), ("and", 7.6, 7.8), ("0-1-7-2.", 7.8, 8.7)]  # fmt: skip
    whole = Segment(5.0, 8.7, "He wrote down 5-5-9 and 5-5-5 and 0-1-7-2.", "Participant",
                    tuple(Word(a, b, w, 0.9) for w, a, b in timed))  # fmt: skip
    transcript = replace(_transcript("Rose", "20261124-100000", []), segments=(lost, whole), markers=())
    study.write_new(folder / layout.TRANSCRIPT, transcript.to_json())
    proposed = [s.text for s in propose(transcript, [phone]).spans]
    assert proposed == ["5-5-9 and 5-5 and 0-1-7-2", "5-5-9 and 5-5-5 and 0-1-7-2"], proposed
    _review_all(study, transcript, [phone])
    keys = study.unlock(PASSPHRASE.encode())
    export(study, keys, Options("txt"), tmp_path / "t", Request())
    export(study, keys, Options("qdpx", with_audio=True), tmp_path / "a.qdpx", Request())
    texts = {n: d for path in (tmp_path / "t", tmp_path / "a.qdpx") for n, d in _blobs(path).items()}
    assert any(b"I gained him" in d for d in texts.values())
    for name, data in texts.items():
        if name.endswith(".wav") or data[:4] == b"PK\x03\x04":
            continue
        groups = re.findall(
            r"(?<![\w-])(?:5-5-9|5-5-5|5-5|0-1-7-2|559|555|0172)(?![\w-])", data.decode("utf-8", "ignore")
        )
        assert groups == [], (groups, name)
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        (wav,) = [n for n in archive.namelist() if n.endswith(".wav")]
        heard = np.frombuffer(archive.read(wav)[44:], dtype=np.int16)

    def loud(a: float, b: float) -> float:
        return float(np.abs(heard[int(a * rate) : int(b * rate)]).max())

    assert loud(1.5 - BEFORE, 4.0 + AFTER) == 0 and loud(6.0 - BEFORE, 8.7 + AFTER) == 0  # her digits silent
    assert loud(0.5, 1.3 - BEFORE) > 7000 and loud(5.0, 5.8 - BEFORE) > 7000  # "I gained him", "He wrote down"
