"""Families of identifiers and false alarms from QA F18 and F10 and the seen corpora unseen13 and unseen14, each as a
general rule with variants no corpus and no QA finding holds, and the hard negatives beside each rule, cased and
lowercased: a tribe's land named by its kind ("reservation", "rez", "reserve", "rancheria", "pueblo", "first nation",
"nation", "tribe", "band of") and the town said with it; an adjective after calling oneself; a one-word everyday
answer after a transcript's speaker label. No sentence is from a bench corpus or a QA reproduction."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect


def _span(text: str, name: str) -> tuple[int, int, str] | None:
    """(start, end, label) of the span covering ``name`` exactly or with more around it; None if none does."""
    start = text.index(name)
    for span in detect(text):
        if span.start <= start and start + len(name) <= span.end:
            return span.start, span.end, span.label
    return None


def _flagged(text: str, word: str) -> bool:
    """Whether any span touches ``word`` (its first occurrence)."""
    start = text.index(word)
    return any(s.start < start + len(word) and start < s.end for s in detect(text))


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    "text, name",
    [
        # a land named by its kind: any words before the kind are its name, everyday ones too
        ("My cousins still live on the Bad River Reservation, all of them.", "Bad River"),
        ("we moved onto the Spirit Lake reservation when I was nine", "Spirit Lake"),
        ("Out on the Northern Cheyenne rez nobody had a phone.", "Northern Cheyenne"),
        ("he said the Lac Courte Oreilles res was too small to hide on", "Lac Courte Oreilles"),
        ("She grew up on the Blood Reserve, south of Lethbridge.", "Blood"),
        ("My kokum lived on the One Arrow reserve till she passed.", "One Arrow"),
        ("My dad is from the Big Valley Rancheria, near Lakeport.", "Big Valley Rancheria"),
        ("I was born at Ohkay Owingeh Pueblo and baptised there.", "Ohkay Owingeh Pueblo"),
        ("I'm from the Pueblo of Isleta, south of Albuquerque.", "Isleta"),
        ("I'm from Peguis First Nation, up in the Interlake.", "Peguis First Nation"),
        ("Her people are from the Oneida Nation, near Green Bay.", "Oneida Nation"),
        ("We were from the Red Cliff Band of Chippewa, up north.", "Red Cliff"),
        ("He met her through the Fort Mojave tribe's youth program, then the Colorado River tribe.", "Colorado River"),
        ("on the crow creek reservation in fort thompson, that's where", "crow creek"),
        # a people's land is named by the people: the land is an identifier, the people alone is not
        ("They kept me off the Apache reservation so my uncles would not see me.", "Apache"),
    ],
)
def test_a_tribes_land_is_a_place(form: type[str], text: str, name: str) -> None:
    said = form(text)
    span = _span(said, form(name))
    assert span is not None and span[2] == "LOCATION"


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    "text, town",
    [
        # the town on the land, after it ("in", "at", "by", "near", "up by", "outside of")
        ("She lived on the Rosebud reservation, in Parmelee, with her grandma.", "Parmelee"),
        ("I stayed on the rez at Porcupine for a summer.", "Porcupine"),
        ("we went back to the rez by Pryor, my mom's side", "Pryor"),
        ("he had a trailer on the reservation up by Kayenta, no running water", "Kayenta"),
        ("my auntie's house on the Walker River reservation, just outside of Schurz", "Schurz"),
        ("Life on the reserve near Hobbema was hard on my mom.", "Hobbema"),
        # the town before its land
        ("Wanblee, that's my rez, and everybody knows everybody.", "Wanblee"),
    ],
)
def test_a_town_said_with_a_land_is_a_place(form: type[str], text: str, town: str) -> None:
    said = form(text)
    span = _span(said, form(town))
    assert span is not None and span[2] == "LOCATION"


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    "text, word",
    [
        # a reservation is booked, a reserve is kept, a nation and a tribe are people: no land named
        ("I made a dinner reservation for his birthday and he never came.", "dinner"),
        ("The motel reservation was in her name, not mine.", "motel"),
        ("She took me in without reservation, no questions.", "without"),
        ("I had serious reservations about the program.", "serious"),
        ("We kept a little cash in reserve for the rent.", "cash"),
        ("he was in the navy reserve for six years", "navy"),
        ("We walked the dogs through the nature reserve every morning.", "nature"),
        ("I reserve the right to leave when I want.", "right"),
        ("The whole nation saw that trial on TV.", "whole"),
        ("He said I was part of his tribe now, his family.", "tribe"),
        ("It was like a band of sisters in there.", "sisters"),
        ("We drove out to the rez for the powwow.", "rez"),
        ("she grew up on a reservation in south dakota", "reservation"),
        ("He sent me a high res picture of the car.", "res"),
        ("I'm Ojibwe on my mom's side and Cree on my dad's.", "Ojibwe"),
        ("Everybody on the reservation knew my grandma.", "Everybody"),
    ],
)
def test_no_land_is_named_by_a_booking_a_reserve_or_a_people(form: type[str], text: str, word: str) -> None:
    said = form(text)
    assert not _flagged(said, form(word))


@pytest.mark.parametrize(
    "text, word",
    [
        # an adjective with degrees after calling oneself is what one thought oneself (lowercase, as said)
        ("I called myself lucky, back then.", "lucky"),
        ("He calls himself sober now, but I don't know.", "sober"),
        ("she called herself happy for the first time", "happy"),
        ("We called ourselves free once we got out.", "free"),
        ("i considered myself tough, i was wrong", "tough"),
        ("He called himself famous on his page.", "famous"),
    ],
)
def test_an_adjective_after_calling_oneself_is_no_name(text: str, word: str) -> None:
    assert not _flagged(text, word)


@pytest.mark.parametrize(
    "text, name",
    [
        # a name after calling oneself stays one: a capital, or a word with no degrees
        ("He called himself Lucky on the ads.", "Lucky"),
        ("she called herself diamond on the site", "diamond"),
        ("I called myself Sunny out there.", "Sunny"),
        ("he called himself ace, everybody did", "ace"),
    ],
)
def test_a_name_after_calling_oneself_stays_a_name(text: str, name: str) -> None:
    assert _span(text, name) is not None


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    "text, word",
    [
        # a one-word everyday answer after a speaker label starts a sentence: its capital proves nothing
        ("Interviewer: Where did he take you first?\nParticipant: Upstairs.", "Upstairs"),
        ("Q: And who came to the door?\nA: Security.", "Security"),
        ("Q: Where did you eat?\nA: Shelters, mostly.", "Shelters"),
        ("Speaker 1: Where was the meeting?\nSpeaker 2: Overseas.", "Overseas"),
        ("[00:04:12] Interviewer: Where did you go?\n[00:04:15] Respondent: Outside.", "Outside"),
        ("[00:04:12] Interviewer: Where did you go?\n[00:04:15] Respondent: Outside.", "Interviewer"),
        ("[00:04:12] Interviewer: Where did you go?\n[00:04:15] Respondent: Outside.", "Respondent"),
    ],
)
def test_an_everyday_answer_after_a_speaker_label_is_no_name(form: type[str], text: str, word: str) -> None:
    said = form(text)
    assert not _flagged(said, form(word))


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    "text, name",
    [
        # a name answering after a label is still found
        ("Q: Who drove you there?\nA: Marcus.", "Marcus"),
        ("Interviewer: Which town was that?\nParticipant: Modesto.", "Modesto"),
    ],
)
def test_a_name_answering_after_a_speaker_label_is_found(form: type[str], text: str, name: str) -> None:
    said = form(text)
    assert _span(said, form(name)) is not None
