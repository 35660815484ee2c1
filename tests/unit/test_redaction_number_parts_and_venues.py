"""The parts of a number said around the part a layer found (an ID's or a phone's first group before a filler, its
last after one, a case number's year after a slash or "of", a date's weekday and spoken year), written case numbers
between slashes, a handle's spoken "at"; courts of one rank, a country's police by its people's name, venue kinds
after a weak layer's name; and what these rules must leave: rates, fractions, a person who ran a venue. Each as
written and lowercased (Whisper without casing)."""

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
        "he took my passport, it was [one two, uh, seven seven four, oh eight one], and i never saw it",
        "My national ID, it's [two eight, uh, four four one, nine oh seven], the new one.",
        "my license, the state one, it's [v one five two, uh, four one two seven, eight eight six one, oh two]",
        "and my passport, the new one, [r l, uh, oh four six two eight seven one], i got it in town",
        "My number is [six oh three, five five five, zero, uh, one two nine], call after six.",
        "the case at the high court, case number [HAC 112 of 2020]. He got eleven years.",
        "at the magistrate court it was criminal case [two one seven of twenty twenty two]",
        "my crime reference was like, um, [c r slash oh seven two, three one one, slash seventeen]",
        "The case number was [FSU/WR/0419/20].",
        "The Supreme Court, case [CRI/bil/00412/2020]. He got fourteen years.",
        "was heard at the magistrate's court, case [B 4417/21]. The judge",
        "My crime reference number was [4209771/22], and the interpreter was kind.",
        "My NRC number is [204118/61/1]. I gave it to the officer.",
    ],
)  # fmt: skip
def test_an_id_or_a_phone_is_one_span_with_its_parts_said_around_it(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "we were open 24/7 and split it 50/50 with her",
        "she was there 9/11 and again in 1/2 an hour",
        "he said two, uh, three times that he would come",
        "my number one, um, priority was my son",
        "the kids were four and six, uh, when we moved",
        "I got maybe 40/60 of what they made, and she took 3/4 of that",
    ],
)  # fmt: skip
def test_rates_fractions_and_counts_beside_fillers_are_no_number(text: str) -> None:
    for form in (text, text.lower()):
        assert [s.text for s in detect(form) if s.label in ("ID", "CONTACT")] == [], form


@pytest.mark.parametrize(
    "marked",
    [
        "I gave evidence behind a screen on [Tuesday the 8th of June 2021].",
        "i seen it at the sentencing, [may twelfth twenty twenty], and he kept it",
        "my birthday's [may third nineteen ninety seven], and he knew it",
        "they came on [Friday, 3 March 2023] to the house",
    ],
)  # fmt: skip
def test_a_dates_weekday_and_spoken_year_are_inside_it(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "on Tuesday we went to church and on Friday the market",
        "i was there may third, twenty people came to the party",
        "every friday, the girls got paid in cash",
    ],
)  # fmt: skip
def test_weekdays_alone_and_counts_after_a_date_stay_out(text: str) -> None:
    for form in (text, text.lower()):
        said = [s.text.lower() for s in detect(form) if s.label == "DATE"]
        assert not any(w in t for t in said for w in ("tuesday", "friday", "twenty people")), (form, said)


@pytest.mark.parametrize(
    "marked",
    [
        "my instagram, um, [at yusi underscore glam t t], i do nails now",
        "My Instagram is [at tiff k underscore two four two], I post my hair stuff.",
    ],
)  # fmt: skip
def test_a_spoken_handles_at_is_its_at_sign(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


def test_an_addresss_at_is_not_taken_before_its_local_part() -> None:
    for text in (
        "email me at d underscore rivera at gmail dot com",
        "Email me at d underscore rivera at gmail dot com",
    ):
        contacts = [s.text.lower() for s in detect(text) if s.label == "CONTACT"]
        assert contacts and not any(t.startswith("at ") for t in contacts), (text, contacts)


@pytest.mark.parametrize(
    "marked",
    [
        "dwayne was sentenced in the [high court] in georgetown",
        "The case went to the [Intermediate Court], and he got six years.",
        "my case at the, uh, [regional trial court] in manila, it's still going",
        "the [Philippine National Police] raided the bar on a Friday",
        "officers from the [Metropolitan Police] came at dawn",
        "i got it from the, the [home affairs] office after two years",
        "lyle pleaded out at the [rabinowitz courthouse] in march",
        "and at [blantyre magistrate court] it was a criminal case",
        "she called the, um, the [tsela yami helpline], and they came",
        "I work now at, um, the [bula smiles laundry] in namaka",
        "a massage place, [lotus touch spa], on cache road",
        "was it the [foyer sainte-anne] on the avenue?",
        "a guest house on the main road, the [Sunrise Hotel and Bar], where he had rooms",
        "on sundays i sing at [st. agnes evangelical church], and nobody knows",
        "a lawyer from [lakeshore legal advocates] got my record vacated",
        "she's in reception now at, um, [trythall community primary]",
        "i worked first at the [sparkle hand car wash], by the supermarket",
    ],
)  # fmt: skip
def test_courts_forces_and_venues_by_their_kind_are_whole(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "I went to a high court hearing once",
        "the national police came late",
        "he sold it to the high street shop",
        "we had a supreme court case on tv",
    ],
)  # fmt: skip
def test_a_court_or_a_force_of_no_name_stays_out(text: str) -> None:
    for form in (text, text.lower()):
        assert [s.text for s in detect(form) if s.label == "ORG"] == [], (form, _spans(form))


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Other: a motel Terrence Boyd ran", "Terrence Boyd"),
        ("we stayed at a hotel James Okoro owned", "James Okoro"),
        ("the club Marcus Reed managed was on the corner", "Marcus Reed"),
    ],
)  # fmt: skip
def test_a_person_who_ran_a_venue_is_no_part_of_its_name(text: str, person: str) -> None:
    for form, name in ((text, person), (text.lower(), person.lower())):
        start = form.index(name)
        inside = [s for s in detect(form) if s.start < start + len(name) and start < s.end]
        assert inside and all(s.label == "PERSON" and start <= s.start for s in inside), (form, _spans(form))
        assert all(any(s.start <= form.index(w) < s.end for s in inside) for w in name.split()), (form, _spans(form))


@pytest.mark.parametrize(
    "marked",
    [
        "she came to the border at [maseru bridge] to fetch me",
        "I'm from, um, [Rose Hall], in the east, and my father's friend",
        "over the hill, like [grant's town], you know, by east street",
        "when i come to her place in [pinder's point], like, peas n rice",
        "she ran a business from her house off [admiralty way].",
        "the police lady at, um, [totogo police station], her name was vola",
        "marshals from the [cherokee nation marshal service] found me",
        "big bert had a little shop, [bert's variety], sell sky juice",
        "she called the [kuskokwim sisters network] for me",
        "the o b number they gave me was [seven two one, uh, slash twenty nineteen], i kept the paper",
        "the case number was [two one four slash twenty twenty two] and he got five years",
    ],
)  # fmt: skip
def test_a_places_kind_word_a_forces_station_and_a_venue_after_a_possessive_are_inside(marked: str) -> None:
    for text, target in _forms(marked):
        start, spans = text.index(target), detect(text)
        words = [(start + m.start(), start + m.end()) for m in re.finditer(r"\w+", target)]
        assert all(any(s.start <= a and b <= s.end for s in spans) for a, b in words), (text, _spans(text))


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("I saw Maria point at him, and he ran", "point"),
        ("i knew kevin way back in school", "way"),
        ("she said Thandi hall of fame was a joke", "hall"),
        ("my number was open, we were open twenty four slash seven", "slash"),
        ("her daughters and sons came to the trial", "sons"),
    ],
)  # fmt: skip
def test_a_building_a_rate_and_kin_stay_outside(text: str, outside: str) -> None:
    for form in (text, text.lower()):
        start = form.index(outside)
        assert not any(s.start <= start < s.end and s.label != "PERSON" for s in detect(form)), (form, _spans(form))
