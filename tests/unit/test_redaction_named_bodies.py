"""A court, an agency, a bureau or a police unit named by two words or more after "the" ("the serious offences
court", "the counter-trafficking in persons unit"), as written and lowercased; a kind said with one word, or with
words that make it any such place ("the old tennis court", "the same cleaning agency"), is left."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect
from tests.redaction_forms import covered as _covered
from tests.redaction_forms import forms as _forms
from tests.redaction_forms import spans as _spans


@pytest.mark.parametrize(
    "marked",
    [
        "he was charged at the [economic offences court] in march and nobody told me",
        "two officers from the [counter-smuggling in migrants unit] took my statement",
        "she was heard at the [employment relations tribunal] in may, with a lawyer",
        "my case went to the [serious fraud commission] after that",
        "the, um, [border enforcement division] took my papers at the port",
    ],
)  # fmt: skip
def test_bodies_named_by_two_words_or_more_are_found(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "we played at the old tennis court behind the school",
        "she went to the same cleaning agency as her sister",
        "they moved us to the second floor unit, then the other one",
        "we sat at the big food court for hours",
        "the whole football squad came to the party",
    ],
)  # fmt: skip
def test_kinds_of_place_before_a_body_word_are_no_body(text: str) -> None:
    for form in (text, text.lower()):
        said = [(s.label, s.text) for s in detect(form) if s.label == "ORG"]
        assert said == [], (form, said)


@pytest.mark.parametrize(
    "marked",
    [
        "she found me work in a sauna off the ring road, the [amber lanterns]. nobody asked my age",
        "they kept us in a sauna, the [jade rooms], above the bakery",
        "a nurse sent me to a women's project in the old town, the [linden seed collective].",
        "we cooked in a shop by the jetty, the [silver anchor shop and bar], where the miners drank",
    ],
)  # fmt: skip
def test_a_venue_s_name_after_its_kind_is_found(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "we worked in a sauna, the back rooms, every night",
        "she had a bar, the best in town, and a car",
        "he ran a shop, the one by the river, and a farm",
    ],
)  # fmt: skip
def test_what_is_said_of_a_venue_after_its_kind_is_no_name(text: str) -> None:
    for form in (text, text.lower()):
        said = [(s.label, s.text) for s in detect(form) if s.label == "ORG"]
        assert said == [], (form, said)
