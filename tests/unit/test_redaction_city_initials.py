"""unseen76 and unseen77: a city said by its initials where a place goes ("In KL he gave me", "the suburbs of AC", "a
plane to k l") went out; places._city_initials proposes it. Initials that are also words or another tongue's article
("ac", "la") count only in capitals or spelled out, and never where no place goes ("the AC was broken")."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("In KL he gave me to another man at the airport.", "KL"),
        ("I grew up in Egg Harbor Township, which is basically the suburbs of AC.", "AC"),
        ("then they put us on a plane to k l, to a club", "k l"),
        ("We took the bus from JB at night.", "JB"),
        ("he drove me down to nola in his truck", "nola"),
        ("It was hot in LA that summer.", "LA"),
    ],
)
def test_a_city_by_its_initials_where_a_place_goes_is_proposed(text: str, city: str) -> None:
    assert ("LOCATION", city) in [(s.label, s.text) for s in detect(text)]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The AC in the room was broken.", "AC"),
        ("we drove down to ac that night", "ac"),
        ("we put the ac on and slept", "ac"),
        ("i went to la tienda for milk", "la"),
        ("He said it was a KL thing, whatever that meant.", "KL"),
    ],
)
def test_initials_where_no_place_goes_or_a_word_stay(text: str, word: str) -> None:
    assert word not in [s.text for s in detect(text)]
