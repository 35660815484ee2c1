"""QA Y5: a nickname said in quotes or brackets inside a name let the nickname and the surname out, cased and
lowercased (`tyrell "ty" banks` -> `[PERSON 7] "ty" banks`): the name, its nickname and its other name are one span
now (persons.nicknamed). And a lowercased given name after "that" was taken for a common noun of another language
("after that marisol took me": loanwords.determined), so it went out where its capitalised twin did not."""

from __future__ import annotations

import re

import pytest

from fieldvault.redact.detector import detect
from fieldvault.redact.replace import Placeholders, redact_segments
from fieldvault.redact.review import propose
from fieldvault.transcript import Segment, Transcript

WHOLE_NAMES = [
    # Y5's own lines, as written and lowercased
    ('the same guy, Tyrell "Ty" Banks, out of Modesto', 'Tyrell "Ty" Banks'),
    ('the same guy, tyrell "ty" banks, out of modesto', 'tyrell "ty" banks'),
    # the same shape: curly quotes and a nickname of two words, brackets
    ("my pimp marcus “big m” johnson took me to his house", "marcus “big m” johnson"),
    ("Maria (Mimi) Lopez was the one who sold me.", "Maria (Mimi) Lopez"),
]


@pytest.mark.parametrize(("text", "name"), WHOLE_NAMES)
def test_a_name_with_its_nickname_inside_is_one_span(text: str, name: str) -> None:
    start = text.index(name)
    spans = [(s.start, s.end) for s in detect(text, [])]
    assert (start, start + len(name)) in spans, spans


@pytest.mark.parametrize(
    "lines",
    [
        # Y5's lines: a line that starts with his nickname and surname went out whole ("ty banks and [PERSON] were")
        (
            'the same guy, tyrell "ty" banks, out of modesto.',
            "ty banks and marisol were there.",
            "later tyrell banks came back.",
        ),
        (
            'the same guy, Tyrell "Ty" Banks, out of Modesto.',
            "Ty Banks and Marisol were there.",
            "Later Tyrell Banks came back.",
        ),
        (
            "My pimp Marcus “Big M” Johnson took me.",
            "big m johnson and his brother were there.",
            "later marcus johnson came back.",
        ),
    ],
)
def test_his_name_said_later_without_the_nickname_is_the_same_person(lines: tuple[str, str, str]) -> None:
    """Every form is one person (one entity, so one placeholder once reviewed), and an unreviewed export (undecided
    spans replaced) lets none of his names out."""
    segments = tuple(Segment(float(i), float(i) + 1, line) for i, line in enumerate(lines))
    transcript = Transcript("Rose", "s1", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 2.0, 1.0, "now")
    doc = propose(transcript, [])
    out = " ".join(s.text for s in redact_segments(transcript, doc, Placeholders.build([doc]), True)).lower()
    assert not re.search(r"\b(?:tyrell|ty|banks|marcus|big m|johnson)\b", out), out
    his = [s for s in doc.spans if s.label == "PERSON" and "marisol" not in s.text.lower()]
    assert len(his) == 3 and len({s.entity for s in his}) == 1, [(s.text, s.entity) for s in doc.spans]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("so after that marisol took me to the police station in fresno", "marisol"),  # Y5's line
        ("so after that, yesenia drove me back to the house", "yesenia"),
        ("after that lakeisha told her everything", "lakeisha"),  # a name the lists do not hold, doing to someone
    ],
)
def test_a_lowercased_name_after_that_is_proposed(text: str, name: str) -> None:
    start = text.index(name)
    assert any(s.start <= start and start + len(name) <= s.end for s in detect(text, [])), detect(text, [])


@pytest.mark.parametrize(
    "text",
    [
        'i told him "no" and then i left',  # a word said in quotes between words, no nickname
        'she called him "daddy" again and again',
    ],
)
def test_words_said_in_quotes_are_no_nickname(text: str) -> None:
    assert not any('"' in s.text for s in detect(text, [])), detect(text, [])
