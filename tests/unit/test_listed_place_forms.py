"""The forms a listed place is matched by (redact.known.forms): a town written as people write it, with its state,
country, ZIP code or county after it, is found said alone (QA T21, U1); a region itself is never cut to a part."""

from __future__ import annotations

import pytest

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.known import forms


@pytest.mark.parametrize(
    ("listed", "said"),
    [
        ("Lemon Cove, CA", ["Lemon Cove"]),
        ("Lodi California", ["Lodi"]),
        ("Rapid City South Dakota", ["Rapid City"]),
        ("Ukiah Calif.", ["Ukiah"]),
        ("Austin Tex", ["Austin"]),
        ("St. Paul Minn.", ["St. Paul"]),
        ("Hilo Hawaii USA", ["Hilo Hawaii", "Hilo"]),
        ("Lodi CA 95240", ["Lodi CA", "Lodi"]),
        ("Fresno CA U.S.A.", ["Fresno CA", "Fresno"]),
        ("Tulare County CA", ["Tulare County", "Tulare"]),
        ("Cork Ireland", ["Cork"]),
        ("Toronto ON", ["Toronto"]),
        ("Harbor House Shelter, Room 12", ["Harbor House Shelter"]),
    ],
)
def test_a_town_with_what_follows_it_is_found_said_alone(listed: str, said: list[str]) -> None:
    assert forms(KnownIdentifier(listed, "LOCATION")) == [listed, *said]


@pytest.mark.parametrize(
    "listed",
    ["Baja California", "Northern Ireland", "South Dakota", "New York", "Washington", "Lemon Cove", "Miss Kitty"],
)
def test_a_region_or_a_plain_name_keeps_whole(listed: str) -> None:
    assert forms(KnownIdentifier(listed, "LOCATION")) == [listed]
