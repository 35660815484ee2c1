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


@pytest.mark.parametrize(
    "marked",
    [
        "So when you were at [UCH], did anyone from the embassy come?",
        "She was a nurse at the new [RVH] until it closed.",
        "I got my papers at the [NRB] office on Monday.",
        "My mum worked at [KCH] till the storm.",
    ],
)  # fmt: skip
def test_a_hospital_s_or_an_agency_s_capitals_where_someone_went_are_found(marked: str) -> None:
    text, target = _forms(marked)[0]
    assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "She was in the ICU for a week and got her GED at the ATM, no, at the school.",
        "They tested me for HIV at the clinic.",
    ],
)  # fmt: skip
def test_capitals_of_things_tests_and_words_are_no_organisation(text: str) -> None:
    said = [(s.label, s.text) for s in detect(text) if s.label == "ORG"]
    assert said == [], (text, said)


@pytest.mark.parametrize(
    "marked",
    [
        "the agency was [silver crane overseas placement] in the capital, and they kept my passport",
        "the cabaret was [club midnight orchid] on the harbour road",
        "his company is [north star pelagic marine], and the boats stay out for months",
        "they put me in a massage joint in town, [silver moon therapy], for a year",
    ],
)  # fmt: skip
def test_a_firm_s_name_after_what_it_was_is_found(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "the spa was a front for the men upstairs",
        "the bar was really packed on fridays, and the shop was closed down",
        "the agency was in the capital, near the market",
    ],
)  # fmt: skip
def test_what_a_firm_was_like_is_no_name(text: str) -> None:
    for form in (text, text.lower()):
        said = [(s.label, s.text) for s in detect(form) if s.label == "ORG"]
        assert said == [], (form, said)
