"""Organisations named by their kind ("X Trust", "X Garments", "X Society") or legal form ("X Ltd", "X and Sons")
are proposed whole, cased or lowercased, when the words before the kind can be a name; the kind alone, a name of
words that only say what kind ("the recruitment agency", "the women's trust") and kin before "and sons" are not.
No sentence is from a bench corpus."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect
from fieldvault.redact.organisations import find_organisations


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("She sent me to the Golden Harvest Trust for help.", "Golden Harvest Trust"),
        ("I sewed at Sunrise Garments for two years.", "Sunrise Garments"),
        ("They took me to the New Hope Society office.", "New Hope Society"),
        ("My boss ran Bright Star Enterprises out of a shed.", "Bright Star Enterprises"),
        ("He worked for Royal Textiles Ltd in the port.", "Royal Textiles Ltd"),
        ("I swept floors for Mensah & Sons near the lorry park.", "Mensah & Sons"),
        ("She got pills from the Good Shepherd Pharmacy down the road.", "Good Shepherd Pharmacy"),
        ("The agent from Silver Line Agency took my passport.", "Silver Line Agency"),
        ("I cleaned at Morning Glory Guesthouse near the bus stage.", "Morning Glory Guesthouse"),
        ("We prayed at Mount Zion Assembly on Sundays.", "Mount Zion Assembly"),
        ("She sent me to Tiyende Pamodzi Women's Trust in Lusaka.", "Tiyende Pamodzi Women's Trust"),
    ],
)
def test_an_organisation_named_by_its_kind_is_proposed_whole(form: object, text: str, name: str) -> None:
    assert callable(form)
    said, named = form(text), form(name)
    assert any(s.text == named and s.label == "ORG" for s in find_organisations(said))
    assert any(s.start <= said.index(named) and said.index(named) + len(named) <= s.end for s in detect(said))


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    "text",
    [
        "The recruitment agency took my passport.",
        "I went to the women's trust and the local association.",
        "Her daughters and sons came to see me.",
        "We went to the supermarket and the pharmacy.",
        "It was a garment company in the free zone.",
        "She went to the national trust meeting.",
        "I called the travel agency twice.",
        "He owned the whole company and the bakery.",
        "I lost my trust in him at the party.",
        "We had a meeting with the parents association.",
        "He came with the rest of the company.",
        "I went to the big supermarket by the bus park.",
        "They said the housing association would help.",
        "I got bread at the corner bakery.",
        "As a last resort I called the police.",
        "He started a new company with his cousin.",
        "My brothers and sons all fished.",
        "At first I didn't trust nobody there.",  # "trust" the verb
        "At home the men trust me now.",
    ],
)
def test_a_kind_of_body_said_in_everyday_words_is_no_organisation(form: object, text: str) -> None:
    assert callable(form)
    said = form(text)
    assert find_organisations(said) == []
    assert [s.text for s in detect(said)] == []


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("He had girls at the, um, Tundra Lights Hotel, when the miners came.", "Tundra Lights Hotel"),  # a pause
        ("The restaurant was Spice Garden Curry House, but the work was upstairs.", "Spice Garden Curry House"),
        ("I got my certificate through Community College of Vermont last May.", "Community College of Vermont"),
        ("She studied at the University of Nairobi for a year.", "University of Nairobi"),
        ("The Royal Barbados Police Force arrested him in November.", "Royal Barbados Police Force"),
        ("My case was in Chittenden Criminal Division, and the defender was kind.", "Chittenden Criminal Division"),
        ("They kept me in Lusaka Central Prison for a month.", "Lusaka Central Prison"),
        ("She works at Gulu Regional Referral Hospital now.", "Gulu Regional Referral Hospital"),
        ("Winnipeg Police Service took my statement.", "Winnipeg Police Service"),
        ("Constable Bird of the Royal Canadian Mounted Police took my statement.", "Royal Canadian Mounted Police"),
        ("The National Police Service raided the lodge in August.", "National Police Service"),
        ("Corporal Walters from the Jamaica Constabulary Force came to see me.", "Jamaica Constabulary Force"),
        ("My case went to the Home Circuit Court, and the justice was fair.", "Home Circuit Court"),
        ("I did two years at the Wyoming Women's Center, which is far.", "Wyoming Women's Center"),  # a state's name
        ("I drive a bus now for Gem State Student Transport.", "Gem State Student Transport"),
        ("My lawyer at Ocean State Immigrant Legal Aid did the work.", "Ocean State Immigrant Legal Aid"),
        ("I do nails now at Kim's Nails, full set, gel.", "Kim's Nails"),
        ("He had a massage parlour on Great South Road, Golden Lotus Massage.", "Golden Lotus Massage"),
        ("The state police did a sting at the Dupont Motor Court on a Friday.", "Dupont Motor Court"),
    ],
)
def test_an_institution_is_proposed_with_every_word_of_its_name(form: object, text: str, name: str) -> None:
    """After a pause or a copula, with its place after "of", or with the words after a place that make it a force,
    a court, a prison or a hospital: the whole name, not its first words."""
    assert callable(form)
    said, named = form(text), form(name)
    start = said.index(named)
    assert any(s.start <= start and start + len(named) <= s.end for s in detect(said))


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    "text",
    [
        "The restaurant was busy, but the work was upstairs.",
        "The agency was closed when we got there.",
        "We met at, um, the bar, and he paid.",
        "I was at, uh, the halfway house, for a year.",
        "I went to the college of my choice.",
        "She wanted a college of nursing near home.",
        "The police came and the court let him go.",
        "The royal family was on the television at the clinic.",
        "The police force came at night.",
        "He went to the circuit court and the high court.",
        "I called the state police service line.",
        "She painted her nails at home.",
        "We went to the local police department.",
        "I went to Texas, then to the Ohio River.",
        "She booked a foot massage at the hotel.",
        "We slept at a motor court off the highway.",
    ],
)
def test_everyday_places_after_a_pause_or_a_copula_are_no_institutions(form: object, text: str) -> None:
    assert callable(form)
    assert [s.text for s in detect(form(text))] == []


def test_a_bare_court_after_a_program_stays_outside_its_name() -> None:
    """A court named by its kind ("magistrates", "circuit", "county") is part of the name before it; a bare "court"
    after a program is where the program sends her, not its name (lowercased: cased, the capitals decide)."""
    form = str.lower
    said = form("They sent me to New Dawn Diversion court twice, then to Kitwe Magistrates Court.")
    texts = [s.text for s in detect(said)]
    assert form("Kitwe Magistrates Court") in texts
    assert not any(t.endswith(form("Diversion court")) for t in texts)
