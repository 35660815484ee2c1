"""False alarms by shape, found over unseen57..80 (detect29): a dish made, cooked or fed to someone, or goods sold at a
market, right after the verb ("now i just make pancit for the neighbours", "my mother sells garri in the market"), in
either case. A real name of the same shape is still proposed: after a naming cue, a sentence that opens with initials
in an uncased transcript, a girl made to do something, a girl sold to someone, a title ("Make Dlamini"). No sentence
is from a bench corpus (Sri Lanka, Fiji, Tonga: settings no corpus had)."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect

FORMS = pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])


def _proposed(text: str) -> list[str]:
    return [s.text.lower() for s in detect(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('In the village they called me "la chinita".', "chinita"),  # a naming cue before it
        ("CPS came for mateo and took him to a foster home.", "mateo"),  # initials open an uncased sentence
        ("we shared watalappan with tunde and sang songs.", "tunde"),  # no capital anywhere: the case says nothing
        ("After church we shared watalappan with Tunde and sang songs.", "tunde"),
        # where a person stands, written small all the same: after "with", a clause's subject
        ("After church we shared watalappan with tunde and sang songs.", "tunde"),
        ("Then kofi came to get us, it was late.", "kofi"),
        # small words of a name's own language between its capitalised words: a court, a centre
        ("My case went to the Krajský soud v Brně in March 2020.", "soud"),
        ("The lawyer from the Centrum pro oběti násilí sat next to me.", "oběti"),
        ("Her Instagram is lenka.kvetina.cz and she posts cakes.", "kvetina"),  # a handle
    ],
)
def test_a_name_written_small_is_still_proposed(text: str, name: str) -> None:
    """detect29's rule that took a word written small in a cased sentence for a common noun was taken out: it lost
    towns after "from" and "then", a street, a venue and a name said as it sounds (tests elsewhere, unseen44)."""
    found = _proposed(text)
    assert any(name in f for f in found), found


@FORMS
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Now I make watalappan and pittu for the children at the shelter.", ["watalappan", "pittu"]),
        ("My mother sells kokoda and faikakai at the market in Suva.", ["kokoda", "faikakai"]),
        ("She was selling pittu, like, at the bus stand every morning.", ["pittu"]),
        ("They fed us pittu in the morning and nothing else.", ["pittu"]),
    ],
)
def test_a_dish_made_or_fed_or_goods_sold_are_not_names(text: str, words: list[str], form: object) -> None:
    found = _proposed(form(text))  # type: ignore[operator]
    assert not [w for w in words if any(w in f for f in found)], found


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My aunt makes Kalani clean the rooms at night.", "kalani"),  # made to do something
        ("They made Losana dance for the men.", "losana"),
        ("My mother sold Mele, my little sister.", "mele"),  # sold, and who she is
        ("They sold Losana to a man in Nadi.", "losana"),  # sold to someone
        ("My uncle sold Ayanda at the border.", "ayanda"),  # no seller of goods says it
        ("He sells Thandi at the truck stop every night.", "thandi"),
        ("So Make Dlamini from the church met me at the border.", "dlamini"),  # a title, Swazi for Mrs
    ],
)
def test_a_girl_made_to_or_sold_and_a_title_before_a_name_are_still_proposed(
    text: str, name: str, form: object
) -> None:
    found = _proposed(form(text))  # type: ignore[operator]
    assert any(name in f for f in found), found


@FORMS
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("My cousin Chidi lives in Aba, in Abia State, and sells phones.", ["abia", "state"]),
        ("i'm from calabar in cross river state, and my mother is a trader.", ["cross river"]),
        ("We moved from Kandy to a village in Uva Province when I was six.", ["uva", "province"]),
    ],
)
def test_a_state_or_province_said_with_its_kind_is_not_proposed(text: str, words: list[str], form: object) -> None:
    found = _proposed(form(text))  # type: ignore[operator]
    assert not [w for w in words if any(w in f for f in found)], found


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My cousin Chidi lives in Aba, in Abia State, and sells phones.", "aba"),  # the town before it
        ("He was from the Abia State Ministry of Health, he said.", "abia state ministry of health"),
    ],
)
def test_a_town_or_a_body_beside_a_state_is_still_proposed(text: str, name: str, form: object) -> None:
    found = _proposed(form(text))  # type: ignore[operator]
    assert name in found, found


def test_a_university_named_for_its_state_is_still_proposed() -> None:
    """After "to", not "in" or "from": where she studied (lowercased, no layer reads it; unchanged)."""
    assert "oregon state" in _proposed("She went to Oregon State on a scholarship.")


@FORMS
@pytest.mark.parametrize(
    "text", ["After a year the tokay sold me to another man.", "The tauke sold me to a bar in Sibu after one month."]
)
def test_a_word_of_another_language_after_the_and_before_sold_is_not_a_name(text: str, form: object) -> None:
    found = _proposed(form(text))  # type: ignore[operator]
    assert not [f for f in found if f in ("tokay", "tauke")], found


@FORMS
def test_a_name_after_that_before_sold_me_is_still_proposed(form: object) -> None:
    """ "that" opens her clause when she did something to someone (loanwords._DOES_TO)."""
    found = _proposed(form("After that Adaeze sold me to a man in Lagos."))  # type: ignore[operator]
    assert "adaeze" in found, found
