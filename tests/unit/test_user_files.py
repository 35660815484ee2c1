"""Files a user hands fieldvault (answers, identifier lists) and the core calls the CLI and TUI share:
read by the core, every problem one line."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from fieldvault.errors import BadInput
from fieldvault.participants import KnownIdentifier, consent_documents, read_identifier_file
from fieldvault.questionnaire import Questionnaire
from fieldvault.redact.replace import labelled
from fieldvault.redact.spans import Span
from fieldvault.study import Study
from fieldvault.templates import CONSENT_SCRIPT, LETTER
from fieldvault.transcript_versions import load_to_view
from tests.auditfields import logged
from tests.conftest import ANSWERS, fill_letter


def test_answers_read_from_toml_and_json_alike(tmp_path: Path) -> None:
    questionnaire = Questionnaire.for_study(None)
    (tmp_path / "a.json").write_text(json.dumps(ANSWERS))
    lines = [f"{k} = {json.dumps(v)}" for k, v in ANSWERS.items()]
    (tmp_path / "a.toml").write_text("\n".join(lines))
    assert tomllib.loads((tmp_path / "a.toml").read_text()) == ANSWERS
    assert questionnaire.answers_from_file(tmp_path / "a.json") == questionnaire.answers_from_file(tmp_path / "a.toml")
    assert questionnaire.answers_from_file(tmp_path / "a.json")["venues"] == ["Street", "Online"]


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("a.json", b'[{"age": 44}]', "should hold one answer per field name (an object), not a list"),
        ("a.json", b"{age: 44", "is not valid JSON"),
        ("a.toml", b"age = ", "is not valid TOML"),
        ("a.toml", "age = 'f\u00fcnf'".encode("latin-1"), "is not UTF-8 text"),
        ("a.toml", None, "cannot read"),
    ],
)
def test_answers_that_cannot_be_read_are_one_line(tmp_path: Path, name: str, data: bytes | None, says: str) -> None:
    if data is not None:
        (tmp_path / name).write_bytes(data)
    with pytest.raises(BadInput, match=re.escape(says)) as caught:
        Questionnaire.for_study(None).answers_from_file(tmp_path / name)
    assert "\n" not in str(caught.value)


def test_identifier_files_are_utf8_lines(tmp_path: Path) -> None:
    (tmp_path / "ids.txt").write_text("PERSON: Marcus\n\nLOCATION: Van Buren\n")
    assert read_identifier_file(tmp_path / "ids.txt") == [
        KnownIdentifier("Marcus", "PERSON"),
        KnownIdentifier("Van Buren", "LOCATION"),
    ]
    (tmp_path / "latin.txt").write_bytes("Jos\u00e9".encode("latin-1"))
    with pytest.raises(BadInput, match="is not UTF-8 text"):
        read_identifier_file(tmp_path / "latin.txt")
    # QA D23: Notepad's "UTF-8 with BOM" kept the mark in the first identifier, which lost its label too.
    (tmp_path / "notepad.txt").write_bytes("LOCATION: Van Buren\r\nPHONE: 916 555 0142\r\n".encode("utf-8-sig"))
    assert read_identifier_file(tmp_path / "notepad.txt") == [
        KnownIdentifier("Van Buren", "LOCATION"),
        KnownIdentifier("916 555 0142", "CONTACT"),
    ]


def test_consent_documents_are_filled_from_the_study_or_refused(study: Study) -> None:
    with pytest.raises(BadInput, match="needs"):
        consent_documents(study)
    letter, script = consent_documents(fill_letter(study))
    assert "Dr. Ana Ruiz" in letter.text and letter.name == LETTER and script.name == CONSENT_SCRIPT


def test_labelled_puts_each_span_s_label_in_its_place() -> None:
    text = "Marcus took me to Van Buren."
    spans = [Span(0, 6, "PERSON", "known", "Marcus"), Span(18, 27, "LOCATION", "gazetteer", "Van Buren")]
    assert labelled(text, spans) == "[PERSON] took me to [LOCATION]."
    assert labelled(text, []) == text


def test_viewing_a_transcript_is_audited_with_its_version(study: Study, identities: list) -> None:
    from tests.tui.test_editor import SESSION, study_with_draft

    study_with_draft(study)
    transcript = load_to_view(study, "Rose", SESSION, identities)
    assert transcript.segments[0].text == "Can you tell me about leaving?"
    viewed = logged(study, "transcript.viewed", "pseudonym", "session", "version")
    assert viewed == [{"pseudonym": "Rose", "session": SESSION, "version": 1}]
