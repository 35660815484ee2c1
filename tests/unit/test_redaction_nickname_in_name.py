"""QA Y5: a nickname said in quotes or brackets inside a name let the nickname and the surname out, cased and
lowercased (`tyrell "ty" banks` -> `[PERSON 7] "ty" banks`): the name, its nickname and its other name are one span
now (persons.nicknamed). And a lowercased given name after "that" was taken for a common noun of another language
("after that marisol took me": loanwords.determined), so it went out where its capitalised twin did not."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect

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
