"""Addresses, units, postcodes and dates that the first number rules let pass (fieldvault.redact.spoken,
patterns), and numbers that identify nobody: the psychiatric hold code, a toll-free prefix, motel rooms, times,
money, ages, years and counts. Each case here was a leak or a false alarm before its rule."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect
from fieldvault.redact.spoken import bare_number, find_spoken


def _covered(text: str, target: str) -> bool:
    """Every letter and digit of ``target`` (its first occurrence in ``text``) lies inside a proposed span."""
    start = text.index(target)
    spans = detect(text)
    return all(any(s.start <= i < s.end for s in spans) for i in range(start, start + len(target)) if text[i].isalnum())


@pytest.mark.parametrize(
    "text, target",
    [
        # house numbers of one or two digits, and addresses after a home's "at" or "was"
        ("we lived at 12 main, by the park", "12 main"),
        ("we lived at twelve oak, the blue house", "twelve oak"),
        ("our place was 14 pine, right by the church", "14 pine"),
        ("our place was like fourteen pine", "fourteen pine"),
        ("the house at 22 elm had a green porch", "22 elm"),
        ("the house at twenty two elm had a green porch", "twenty two elm"),
        ("the house he kept us in was like twenty seven fifteen west center street", "twenty seven fifteen"),
        # small ordinals and roads named by their mile, with no cross street
        ("he kept us in a little house on fifth", "fifth"),
        ("i was on fifth and he was down sixth", "sixth"),
        ("i grew up off eight mile, east side", "eight mile"),
        ("I grew up off Eight Mile, east side", "Eight Mile"),
        # everyday-word streets where a place follows
        ("he had a place over on pine by the school", "pine"),
        ("we stayed on sugar, right by the tracks", "sugar"),
        # postcodes and ZIPs: after "zip's", four digits after "postcode", five with no cue
        ("the zip's five three two one oh, i looked it up", "five three two one oh"),
        ("we had a room in st kilda, postcode three one eight two, i had it on all my forms", "three one eight two"),
        ("it was in detroit 48205, the east side", "48205"),
        ("i wrote four eight two oh five on the form", "four eight two oh five"),
        # apartments, units and lots said alone
        ("we were in apartment 3 for a while", "apartment 3"),
        ("our trailer was lot forty seven, way in the back", "lot forty seven"),
        ("he had us in unit 12 at the back", "unit 12"),
        # a date of birth with the day said "oh nine"
        ("date of birth is oh four, oh nine, ninety five, yeah", "oh four, oh nine, ninety five"),
    ],
)  # fmt: skip
def test_addresses_units_postcodes_and_dates_are_proposed(text: str, target: str) -> None:
    assert _covered(text, target)


@pytest.mark.parametrize(
    "text, span",
    [
        ("My case was indictment number 2017-0452 in Monroe County Court.", ("ID", "2017-0452")),
        ("It was case CF-2014-3318 in district court, and then", ("ID", "CF-2014-3318")),
        ("postcode three one eight two, i had it on all my forms", ("LOCATION", "three one eight two")),
        ("find me on Facebook, I'm tayla.rose.recovers on there.", ("CONTACT", "tayla.rose.recovers")),
        ("the zip's five three two one oh", ("LOCATION", "five three two one oh")),
    ],
)  # fmt: skip
def test_a_number_span_stops_where_the_number_does(text: str, span: tuple[str, str]) -> None:
    """No court, no pronoun, no "'s" inside the span of an ID, a postcode or a handle."""
    assert span in [(s.label, s.text) for s in detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        "They put me on a 5150, a 72-hour hold.",
        "they put me on a 5150, a 72-hour hold.",
        "I called the hotline, 1-800 something, I don't remember the rest.",
        "call 911 if you need it, or 988",
        "I stayed in room 112 for a week.",
        "we was staying in room 214 at the motel",
        "we stayed at 2 different motels",
        "I got up at 6:30 and was there by 9, it cost $850 a month",
        "she was 14 and I was 16, in 2009 we moved, I had 3 kids and 2 jobs",
        "it was 10000 dollars, he got 25 to life, the 12 of us lived there",
    ],
)  # fmt: skip
def test_numbers_that_identify_nobody_are_left(text: str) -> None:
    assert [s.text for s in detect(text) if any(c.isdigit() for c in s.text)] == []


@pytest.mark.parametrize(
    "text",
    [
        "she was sixteen when we lived at one point in a car",
        "we stayed at 2 different motels, the house was 3 bedroom",
        "the house at the end of the road, our place was nice, right by the church",
        "by fifth grade i was running, she came in fifth, at first, on second thought",
        "we walked eight miles, it was an eight mile walk",
        "she came over on foot by the river, i stayed on track by going to meetings",
        "we lived on welfare and food stamps, we lived on ramen and coffee",
        "it happened a lot 2 years ago, she was in the psych unit three weeks",
        "count with me, one two three four five, and five four three two one",
        "he owed me $48205, it was 20000 dollars",
    ],
)  # fmt: skip
def test_the_new_rules_leave_their_look_alikes(text: str) -> None:
    assert find_spoken(text) == []


def test_a_bare_number_is_no_name_but_a_town_named_by_one_is() -> None:
    assert bare_number("5150") and bare_number("fifty one fifty") and bare_number("112")
    assert not bare_number("ninety six") and not bare_number("unit 12")


@pytest.mark.parametrize(
    "text, target",
    [
        # phones outside North America, a federal case number
        ("ring me on 07700 900123 any time", "07700 900123"),
        ("his number was +44 7700 900123", "44 7700 900123"),
        ("docket number 2:19-cr-00123 was on the paper", "2:19-cr-00123"),
        # a month and a short year with no "of"
        ("born march ninety four, in the winter", "march ninety four"),
        ("in june ninety four we moved", "june ninety four"),
        # a named stretch after "the track/blade on", suffixes of British streets, roads by letter and number
        ("they had me on the blade on sunset", "sunset"),
        ("i stayed in a flat on leith walk", "leith walk"),
        ("we took the 610 loop to get there", "610 loop"),
        ("he drove me down the M6 to Birmingham", "M6"),
        ("we went up the m six in the van", "m six"),
        # a written house number and a capitalised street with no suffix
        ("we moved to 2212 Telephone in the spring", "2212 Telephone"),
    ],
)  # fmt: skip
def test_phones_abroad_short_years_tracks_and_roads_are_proposed(text: str, target: str) -> None:
    assert _covered(text, target)


@pytest.mark.parametrize(
    "text",
    [
        "in 2009 2010 2011 we moved, I paid 1200 1500 2000, the score was 0 10 20 30",
        "we march ninety miles, in june fifty people came, they may ninety nine times",
        "she got an A1 on the test and a B2 visa, my daughter is in year 7",
        "in 2015 Obama won, he was at 500 Days of Summer, it was on 580 AM radio",
        "she was out on bail by then, he was out on parole, i was down on my luck",
    ],
)  # fmt: skip
def test_years_scores_grades_and_idioms_are_left(text: str) -> None:
    assert find_spoken(text) == []
    assert [s.text for s in detect(text) if s.source == "pattern"] == []


@pytest.mark.parametrize(
    "text, target, label",
    [
        ("my medicare number is 2123 45670 1", "2123 45670 1", "ID"),
        ("my health card number was nine four six two one eight d", "nine four six two one eight", "ID"),
        ("my NHS number is nine four three, four seven six, five nine one nine", "nine four three", "ID"),
        ("d o b nine, twelve, eighty eight", "nine, twelve, eighty eight", "DATE"),
        ("we were in g three four nine d l back then", "g three four nine d l", "LOCATION"),
        ("he picked me up at main and fifth", "main and fifth", "LOCATION"),
    ],
)  # fmt: skip
def test_health_numbers_a_said_cue_postcodes_and_cross_streets(text: str, target: str, label: str) -> None:
    assert _covered(text, target)
    start = text.index(target)
    assert next(s.label for s in detect(text) if s.start <= start < s.end) == label
    assert not any(s.text.startswith("d o b") for s in detect(text))


@pytest.mark.parametrize(
    "text",
    [
        "i got a b twelve, c d, he said x y two three a b c, then 3 a m, plan b 2 a day",
        "we were there from june and fifth grade, at christmas and third period, at home and first thing",
    ],
)  # fmt: skip
def test_letters_and_ranks_beside_numbers_are_left(text: str) -> None:
    assert find_spoken(text) == []


@pytest.mark.parametrize(
    "text, target",
    [
        ("he stayed in the twenty two hundred block of main", "twenty two hundred block of main"),
        ("send it to p o box four one two in tulsa", "p o box four one two"),
        ("send it to P.O. Box 412, Tulsa", "P.O. Box 412"),
    ],
)  # fmt: skip
def test_a_block_and_a_post_office_box_are_addresses(text: str, target: str) -> None:
    assert _covered(text, target)
    assert find_spoken(text)  # found by the number rules, not left to the model


@pytest.mark.parametrize(
    "text",
    [
        "we came up third in the raffle, i was on sixth and final warning, she was on third shift",
        "we were at church and third service started",
        "it was 12500 a year after taxes, she scored 45000 points, they took 30000 off the price",
        "she lived on coffee by the end, we lived on campus near the library",
        "the house was 3 bedrooms and 2 baths, our place was 2 hours from the city, the trailer was 20 feet long",
        "the 2000 block party was fun, he had 200 blocks of ice, the box 4 was empty",
    ],
)  # fmt: skip
def test_ranks_amounts_and_what_she_lived_on_are_no_address(text: str) -> None:
    assert find_spoken(text) == []


@pytest.mark.parametrize(
    "text, place",
    [
        # numbers4: a letter street or a state's name crossing a numbered one, a house number before a direction
        # and a numbered street, one said apart from its street, one with a half
        ("the trap house was on 3rd and K, by the tracks", "3rd and K"),
        ("she was at the house on 54th and Vermont", "54th and Vermont"),
        ("he had a place at 1120 n. 7th st", "1120 n. 7th st"),
        ("we lived at number 12, Rose Crescent", "12, Rose Crescent"),
        ("we stayed at 1509 1/2 Elm for a while", "1509 1/2 Elm"),
    ],
)  # fmt: skip
def test_letter_streets_house_numbers_apart_and_halves(text: str, place: str) -> None:
    start = text.index(place)
    spans = detect(text)
    assert all(any(s.start <= i < s.end for s in spans) for i in range(start, start + len(place)) if text[i].isalnum())


@pytest.mark.parametrize(
    "text", ["we got there at 5, elm street was empty", "i came in third and a half point behind", "on second and i"]
)
def test_times_and_ranks_before_a_street_or_letter_stay_apart(text: str) -> None:
    assert [s for s in detect(text) if s.text[:1].isdigit() or s.text.startswith(("third", "second"))] == []
