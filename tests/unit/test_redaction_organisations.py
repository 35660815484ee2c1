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
    ],
)
def test_a_kind_of_body_said_in_everyday_words_is_no_organisation(form: object, text: str) -> None:
    assert callable(form)
    said = form(text)
    assert find_organisations(said) == []
    assert [s.text for s in detect(said)] == []
