"""False alarms by shape, found over unseen57..75 (detect27): a language after what is said or given in it, how
someone travelled after "went by", a phone call to "her brother", and what a name means after "means". Each shape
stays quiet; a real name of the same shape is still proposed. No sentence is from a bench corpus."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect

FORMS = pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])


def _proposed(text: str) -> list[str]:
    return [s.text.lower() for s in detect(text)]


@FORMS
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Her name is Killa, it means moon in Quechua, and she was born at night.", "quechua"),
        ("The officer handed me a leaflet in Lithuanian and a card.", "lithuanian"),
        ("The court gave me a paper in Greek I still cannot read.", "greek"),
        ("A nurse asked me in Aymara if the baby was sleeping.", "aymara"),
        ("It means flower in Albanian, my grandmother chose it.", "albanian"),
    ],
)
def test_a_language_after_what_is_said_or_given_in_it_is_not_a_place(text: str, word: str, form: object) -> None:
    assert word not in _proposed(form(text))  # type: ignore[operator]


@FORMS
@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("We lived in Siksika until my father died.", "siksika"),  # a people's land where one lived
        ("After the bar closed I went to a guest house in Ambo, near the lagoon.", "ambo"),  # a language's name too
        ("She told me to wait in Ambo, and she never came.", "ambo"),
    ],
)
def test_a_place_named_like_a_language_is_still_proposed(text: str, place: str, form: object) -> None:
    assert place in _proposed(form(text))  # type: ignore[operator]


@FORMS
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("In spring we went by bus from Mbale to the border, two days of it.", "bus"),
        ("We go by train through the mountains, and then a car took us.", "train"),
        ("My cousin went by taxi with four other girls.", "taxi"),
        ("She kept a phone hidden and she call her brother in the night.", "brother"),
        ("Every Sunday she called her mother from the kiosk.", "mother"),
    ],
)
def test_how_she_travelled_or_whom_she_phoned_is_not_a_name(text: str, word: str, form: object) -> None:
    assert word not in _proposed(form(text))  # type: ignore[operator]


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("On the track she went by Candy, and the men paid her boss.", "candy"),
        ("Everybody at the club called her Peaches because of her skin.", "peaches"),
    ],
)
def test_a_name_gone_by_or_called_is_still_proposed(text: str, name: str, form: object) -> None:
    assert name in _proposed(form(text))  # type: ignore[operator]


@pytest.mark.parametrize(
    "text",
    ["She went by Coach.", "On the street I went by Taxi.", "Everybody called me Coach, I went by Coach for years."],
)
def test_a_vehicle_word_written_with_a_capital_after_went_by_is_her_name(text: str) -> None:
    """qa27 QC12: "She went by Coach." was no longer proposed, and "I went by Coach" was left beside "[PERSON 1]"."""
    word = text.split()[-1].strip(".") if "years" not in text else "Coach"
    assert [s.text for s in detect(text) if s.label == "PERSON"].count(word) == text.count(word)


@FORMS
@pytest.mark.parametrize(
    ("text", "gloss"),
    [
        ("My name is Nurlana, it means light, and I come from the coast.", "light"),
        ("Her son Umid, his name means hope, stayed with my mother.", "hope"),
        ("The bar was the Yildiz, it means star, near the bus station.", "star"),
        ("Her cousin Jabu, whose name means joy, drove us every night.", "joy"),
    ],
)
def test_what_a_name_means_is_not_a_name(text: str, gloss: str, form: object) -> None:
    assert gloss not in _proposed(form(text))  # type: ignore[operator]


@FORMS
def test_a_name_after_i_mean_is_still_proposed(form: object) -> None:
    """ "I mean" corrects who was named: the name after it stays a name."""
    assert "lamin" in _proposed(form("He paid Musa, I mean Lamin, and left."))  # type: ignore[operator]
