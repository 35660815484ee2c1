"""Families of identifiers and false alarms from QA F18 and F10 and the seen corpora unseen13 and unseen14, each as a
general rule with variants no corpus and no QA finding holds, and the hard negatives beside each rule, cased and
lowercased: a tribe's land named by its kind ("reservation", "rez", "reserve", "rancheria", "pueblo", "first nation",
"nation", "tribe", "band of") and the town said with it; an adjective after calling oneself; a one-word everyday
answer after a transcript's speaker label; names said beside their kind (a business set off by commas, a person after
fillers, a place after "the program was", a place to eat named for its owner); initials; marked titles outside a name;
a body named by its state; a court with the place it serves; a name's everyday last word; a town's street named by an
everyday word; peoples and faiths. No sentence is from a bench corpus or a QA reproduction."""

from __future__ import annotations

import pytest

from tests.unit.test_redaction_families3 import _flagged, _span


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


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    "text, name",
    [
        # a business set off by commas after its kind
        ("My aunt had a hair salon, Golden Touch Beauty, and I swept the floors there.", "Golden Touch Beauty"),
        ("he ran a body shop, taller los primos, that's where the cars came in", "taller los primos"),
        ("she worked at a massage place in Flushing, Happy Garden Spa, and the boss kept it", "Happy Garden Spa"),
        # a place's name after its kind and a copula
        ("The shelter was Rachel's Haven, on the east side.", "Rachel's Haven"),
        ("the program was new dawn recovery, ninety days", "new dawn recovery"),
        # a place to eat named for its owner
        ("He would wait for me in the lot behind Popeye's chicken on Fourth.", "Popeye's chicken"),
        ("we'd meet outside tony's pizza after school", "tony's pizza"),
        # a person set off by commas, fillers between
        ("My caseworker at intake, uh, Rolanda, she got me into detox.", "Rolanda"),
        ("the lady there, um, like, marguerite, she saw the bruises", "marguerite"),
        # an institution said letter by letter, a force by its initials before what it did, a city's dotted initials
        ("I did eighteen months at f c i w, out in the desert.", "f c i w"),
        ("they sent me to c r c c for intake", "c r c c"),
        ("The OPP picked me up on the highway.", "OPP"),
        ("He took me up to N.Y. for the summer.", "N.Y."),
        # a state's or a city's body with the government's kind between; a court with the place it serves
        ("She was at the Texas State Correctional Facility in Gatesville.", "Texas State Correctional Facility"),
        ("my case went to the superior court for pima county", "superior court for pima county"),
        ("I did my time at the Fraser Valley Institution for Women.", "Institution for Women"),
        # a name's last everyday word, which a capital tied on in cased text
        ("My worker at Cascade Rising was the one who believed me.", "Cascade Rising"),
        ("they moved us out to the motels by Tanglewood Commons, past the mall", "Tanglewood Commons"),
        # Vietnamese and Spanish titles of respect stay outside the name; the name after them is found
        ("the woman who ran it, we called her chú Bảy, he was the uncle", "Bảy"),
        ("My landlady, doña Ofelia, let me stay a week for free.", "Ofelia"),
    ],
)
def test_a_name_said_beside_its_kind_is_found(form: type[str], text: str, name: str) -> None:
    said = form(text)
    assert _span(said, form(name)) is not None


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    "text, word",
    [
        # what stands between the commas describes, counts or says where
        ("We stayed at a motel, cheap, and nobody asked questions.", "cheap"),
        ("She worked at the club, every night, and slept all day.", "every"),
        ("It was a program, ninety days, and then you were out.", "ninety"),
        ("The guy, older, he kept to himself.", "older"),
        ("There was a bar, downtown, and we went after work.", "downtown"),
        ("the shelter was full, and they sent me away", "full"),
        ("the club was jumping on fridays", "jumping"),
        # a relative's place to eat is no business
        ("We always ate at my grandma's chicken dinners on Sunday.", "grandma's"),
        # letters that spell a word or a cry; initials said every day; a word for the police
        ("he kept yelling at me, n o, like that", "n o"),
        ("I got to the clinic at 8 a.m. and waited.", "a.m."),
        ("the feds picked him up in march", "feds"),
        ("The cops came twice that night.", "cops"),
        # a title with marks alone at the end is no name
        ("everybody there was a bà or a cô.", "bà"),
    ],
)
def test_what_describes_beside_a_kind_is_no_name(form: type[str], text: str, word: str) -> None:
    said = form(text)
    assert not _flagged(said, form(word))


@pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])
@pytest.mark.parametrize(
    "text, word",
    [
        # peoples, languages and faiths of the North, the Pacific, Acadia, Cape Verde and Puerto Rico: no names
        ("My grandmother is Iñupiaq and she taught me to sew.", "Iñupiaq"),
        ("we talk chiac at home, my dad hates it", "chiac"),
        ("My mom only speaks Kriolu, so I translated.", "Kriolu"),
        ("I'm Chuukese, we came over when I was six.", "Chuukese"),
        ("Everybody in my family is Catholic except me.", "Catholic"),
    ],
)
def test_a_people_or_a_faith_is_no_name(form: type[str], text: str, word: str) -> None:
    said = form(text)
    assert not _flagged(said, form(word))


@pytest.mark.parametrize(
    "text, name",
    [
        # a town's street named by an everyday word, said bare before "street"
        ("she had me working on state street by the bus depot", "state street"),
        ("we stayed in a room up over market street that winter", "market street"),
    ],
)
def test_a_towns_street_named_by_an_everyday_word_is_a_place(text: str, name: str) -> None:
    assert _span(text, name) is not None


@pytest.mark.parametrize(
    "text, word",
    [
        ("the state road out there was closed all winter", "state"),
        ("it was a state street, not a county one", "state"),
        ("we walked down the main street of town", "main"),
    ],
)
def test_a_kind_of_road_is_no_street_name(text: str, word: str) -> None:
    assert not _flagged(text, word)
