"""Dates in calendars English has no month words for (by their shape), a day-month-year date the British way, a case
number's court letters with its serial and year; organisations named after "the" and a pause, by a trade's last word,
set off after what kind of venue they are or said before who owned them, and joined across "de", "o" or "of" and
their place. Each as written and lowercased (Whisper without casing), with the phrases these rules must leave."""

from __future__ import annotations

import re

import pytest

from fieldvault.redact.detector import detect
from tests.redaction_forms import covered as _covered
from tests.redaction_forms import forms as _forms
from tests.redaction_forms import spans as _spans


@pytest.mark.parametrize(
    "marked",
    [
        "The hearing was on [3 Magh 2079] in the district court.",
        "She was married on [Shawwal 12, 1410] by her mother's count.",
        "and the trial was, um, [the second of meskerem], in the rain",
        "We left the river on [17 March 2014], forty of us on the boat.",
        "the case number was [HC 88/2017], at the high court",
        "my case, the number is, like, [c r, four four one, slash, twenty two], at the court",
        "My file number was [CF 3310/19] and nobody called.",
        "The Magistrates Court in Tarawa, Criminal Case No. [22/0981 MC/CRIM]. He got five years.",
    ],
)  # fmt: skip
def test_calendar_dates_and_case_numbers_are_whole(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "He had 12 people working in 2019 and the first of them left.",
        "On 17 March 2014, forty-two of us got on the boat.",
        "We were open 24/7 and moved in 9/2019 to a bigger place.",
        "The second of them was older, and the third of us stayed.",
        "we had a barbecue on the fourth of july like every year",
    ],
)  # fmt: skip
def test_counts_and_fractions_beside_dates_are_no_date_or_id(text: str) -> None:
    for form in (text, text.lower()):
        said = [(s.label, s.text.lower()) for s in detect(form) if s.label in ("ID", "DATE", "CONTACT")]
        assert all(label == "DATE" and t == "17 march 2014" for label, t in said), (form, said)


@pytest.mark.parametrize(
    "marked",
    [
        "he picked us up outside the, uh, [makani youth hub], every friday",
        "the men from the, the [nuuk panel and paint] came at night",
        "she works at [kaleo contact solutions] on the main road",
        "the, uh, the [erdenet miners cooperative] paid us late",
        "the police, the, um, [anti smuggling bureau], came at dawn",
        "a job at the bar in, um, darkhan, the [blue wolf], and he said",
        "the [steppe rose] was owned by a man from the city",
        "the [instituto nacional de migración] took my papers",
        "they drove me to the, uh, the [university hospital of wales], and i stayed",
        "it went to the [navajo tribal court] in the spring",
    ],
)  # fmt: skip
def test_organisations_by_pause_trade_apposition_owner_and_joins_are_whole(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "we went to the club, the dance floor, the lights, everything",
        "the old house was owned by my uncle for years",
        "at the hotel, the front desk, they said no",
        "she called the shelter and then called back the hotel",
        "the, uh, the main hub was busy that day",
        "the, um, the old church was closed on monday",
        "the police of course came too late",
        "the, like, the recruitment agency took it all",
    ],
)  # fmt: skip
def test_a_venues_parts_kinds_alone_and_owned_things_stay_out(text: str) -> None:
    for form in (text, text.lower()):
        assert [s.text for s in detect(form) if s.label == "ORG"] == [], (form, _spans(form))


@pytest.mark.parametrize(
    "marked",
    [
        "and my phone now is [eight oh nine, five five four, uh, two one, one seven], and i work nights",
        "the personal number, it's, um, [two nine five oh four one two, uh, one six oh three eight two], and",
        "she said go to, to [home affairs] first, and they sent me back",
        "was it her who phoned the [home office]?",
        "the lady at the, like, [civil registry] she laughed at me",
        "the rehab in, uh, [newlands east], and he paid for it",
        "he sold me to a man in, um, [new baneshwor], the next week",
    ],
)  # fmt: skip
def test_a_numbers_groups_after_a_filler_short_named_offices_and_a_places_side_are_whole(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("my number is five five five, one two three four, uh, two kids, and a dog", "two kids"),
        ("I work from my home office most days", "home office"),
        ("I was in the home office all day", "home office"),
        ("my passport, the new zealand one, was gone", "new"),
        ("we drove from durban north to the border", "border"),
    ],
)  # fmt: skip
def test_counts_after_a_phone_a_room_and_a_direction_stay_out(text: str, outside: str) -> None:
    for form in (text, text.lower()):
        start = form.lower().index(outside)
        assert not any(s.start <= start < s.end and s.label != "PERSON" for s in detect(form)), (form, _spans(form))


@pytest.mark.parametrize(
    "marked",
    [
        "he said the logging company, [ulaan timber], want girls for the camp",
        "a man who had a taxi firm, [rapid cabs], on the main road.",
        "he called the [f b i], and they found me at the motel",
        "the recruitment agency was [silver crane manpower services] on the hill road",
        "he called the, um, [kiri shelter for migrant women] and they came",
    ],
)  # fmt: skip
def test_a_firm_set_off_after_its_kind_spelled_agencies_and_whom_a_shelter_serves_are_whole(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "it was a big company, the money was good, and we stayed",
        "the logging company, big trucks, everywhere you looked",
        "we sang a b c d e f g in school",
        "he left the house for good, and the shelter for a week",
    ],
)  # fmt: skip
def test_what_is_said_of_a_firm_letters_in_order_and_for_good_stay_out(text: str) -> None:
    for form in (text, text.lower()):
        assert [s.text for s in detect(form) if s.label == "ORG"] == [], (form, _spans(form))


@pytest.mark.parametrize(
    "text",
    [
        "the men from de ships, and de man who run we",
        "i was on my way home from the market when he called",
        "the flight home was long and cold",
        "we went to the dinka church on sunday",
        "he said the portuguese restaurant needs a cook",
    ],
)  # fmt: skip
def test_a_creole_the_a_journey_home_and_a_peoples_venue_name_nothing(text: str) -> None:
    assert [s.text for s in detect(text) if s.label in ("ORG", "LOCATION")] == [], (text, _spans(text))


def test_a_venue_named_with_a_plain_word_stays_found() -> None:
    text = "we stayed at the hope house for a month"
    assert _covered(text, "hope house"), _spans(text)


@pytest.mark.parametrize("text", ["she came in first place at the fair", "he did it the second way, slowly"])
def test_an_ordinal_and_a_streets_word_in_a_phrase_is_no_street(text: str) -> None:
    for form in (text, text.lower()):
        assert [s.text for s in detect(form) if s.label == "LOCATION"] == [], (form, _spans(form))


@pytest.mark.parametrize("text", ["on día de los muertos he made us pray", "i had no permesso di soggiorno then"])
def test_words_of_a_feast_or_a_document_are_not_joined_into_a_body(text: str) -> None:
    for form in (text, text.lower()):
        joiner = form.index(re.findall(r" d[ei] ", form)[0]) + 1
        assert not any(s.start <= joiner < s.end for s in detect(form)), (form, _spans(form))


def test_a_number_from_zero_before_a_clauses_comma_is_an_id_and_an_amount_is_not() -> None:
    text = "they gave me a travel certificate, number 0093310, dated last year, and we paid 250000, then more"
    for form in (text, text.lower()):
        said = [s.text for s in detect(form) if s.label in ("ID", "CONTACT")]
        assert said == ["0093310"], (form, said)


def test_capitals_that_say_what_kind_of_number_follows_are_no_name() -> None:
    text = "The court heard it as Criminal Case No. 22/0981 MC/CRIM, and Mercy House No. 2 took her in."
    said = [s.text for s in detect(text) if s.label in ("ORG", "PERSON")]
    assert "Criminal Case" not in said and "Mercy House" in said, _spans(text)


@pytest.mark.parametrize(
    "marked",
    [
        "i put the photos on facebook, the page was [at tarawa sweets k b], and my name there was coco",
        "my snap, the account is [at island sweets two], she runs it",
    ],
)  # fmt: skip
def test_a_handle_after_its_pages_cue_and_letters_said_one_by_one_is_whole(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


def test_a_page_said_of_a_platform_is_no_handle() -> None:
    for text in ("i was on facebook, the page was busy all night", "my insta, the account is closed now"):
        assert [s.text for s in detect(text) if s.label == "CONTACT"] == [], (text, _spans(text))
