"""Families of identifiers the corpora leaked and the general rules that now catch them: streets named by a
state or "Main Street", districts ("the north end", "little haiti"), a town as what a number or a plate comes
from, an everyday-word town before its state, a name's initials said beside it, stage names after "I was",
nicknames after kin and moniker words (QA C8), later mentions before a person's verb, lowercase organisations
after "into". Each rule has hard negatives beside it. Every sentence was written for these tests or is QA's
reproduction (none is from the bench corpora)."""

from __future__ import annotations

import pytest

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect
from fieldvault.redact.spoken import find_spoken


def _found(text: str) -> dict[str, str]:
    return {s.text: s.label for s in detect(text)}


@pytest.mark.parametrize(
    "text, name, label",
    [
        # a state's name before avenue or street is a street's, and Main Street is a town's street
        ("she worked florida avenue for two years", "florida avenue", "LOCATION"),
        ("she worked indiana avenue at night", "indiana avenue", "LOCATION"),
        # districts: a city's compass end, a nation's quarter
        ("we had a room in the west end over a bar", "west end", "LOCATION"),
        ("we lived in little mexico over there", "little mexico", "LOCATION"),
        # a town as what a phone number, a plate, an accent or a cop comes from
        ("it was a Tallahassee number, i never called it back", "Tallahassee", "LOCATION"),
        ("she had a modesto accent", "modesto", "LOCATION"),
        ("a Dayton cop pulled us over", "Dayton", "LOCATION"),
        # an everyday word or a holiday that is a town, before its state
        ("my uncle lived in Valentine, Nebraska, out by the river", "Valentine", "LOCATION"),
        ("she was from bunkie, louisiana, a tiny place", "bunkie", "LOCATION"),
        # a name's initials said beside it take its label, capitals or a word no dictionary has
        ("They called it CWH, the Cedar Wood House, because nobody could say it.", "CWH", "ORG"),
        ("we all worked the sbb, south beach boulevard, every night", "sbb", "LOCATION"),
        # ... and the words initials stand for, said right after them
        ("we called it the sbc, the silver birch commons, back then", "silver birch commons", "ORG"),
        ("i was at rwc (river willow center) for a year", "river willow center", "ORG"),
        # QA C8: "then lucky took over"
        ("after that bubbles took over, nobody argued with her", "bubbles", "PERSON"),
        # a stage name after "I was", an everyday word the name list knows
        ("In Reno I was Sapphire, and in Vegas I was Coco.", "Sapphire", "PERSON"),
        ("in reno i was sapphire, and in vegas i was cocoa.", "sapphire", "PERSON"),
        # QA C8: nicknames after kin and moniker words
        ("we called my cousin boo, that was all anybody said", "boo", "PERSON"),
        ("me and my homegirl china used to hide money in our shoes", "china", "PERSON"),
        ("my best friend, pumpkin, she didn't make it out", "pumpkin", "PERSON"),
        ("and my brother junior, he put money on my books", "junior", "PERSON"),
        ("his cell was in my phone as big poppa.", "big poppa", "PERSON"),
        ("he had a tattoo that said lady d across his neck", "lady d", "PERSON"),
        ("the club was called the silver slipper, out on the highway", "the silver slipper", "ORG"),
        # lowercase organisations after "into"
        ("the day i moved into sunrise path recovery i quit", "sunrise path recovery", "ORG"),
    ],
)
def test_a_family_member_is_found(text: str, name: str, label: str) -> None:
    assert _found(text).get(name) == label


def test_main_street_is_a_street_and_the_main_road_none() -> None:
    """The streets layer names Main Street itself (the model often does, not always)."""
    text = "the mission on main street, then the main road, then the main street of town"
    assert [s.text for s in find_spoken(text)] == ["main street"]


def test_a_later_mention_before_what_a_person_does_is_the_name() -> None:
    found = [s.text for s in detect("my homegirl cookie got me the job, and i told them cookie sent me")]
    assert found == ["cookie", "cookie"]


@pytest.mark.parametrize(
    "text, said",
    [
        ("they called him smooth. later smooth never paid me, and the ride home was smooth had to say", 2),
        ("a guy called ghost ran the house. the ghost had no face, everybody knew ghost kept the money", 2),
        ("her name was sugar. i put sugar in my tea, my sugar was gone and later sugar would sing at night", 2),
    ],
)
def test_a_named_everyday_word_said_later_as_a_run_on_s_subject_is_the_name(text: str, said: int) -> None:
    """A street name that is an everyday word, named once, said again as the subject of run-on speech ("later smooth
    never paid"), not where it is a thing or a quality ("the ghost had", "was smooth had to say")."""
    found = [s for s in detect(text) if s.label == "PERSON"]
    assert len(found) == said, found
    assert found[1].start > text.index(".")  # the mention after the naming sentence


@pytest.mark.parametrize(
    "text",
    [
        "we took the main road, then a texas highway, then the main street of town",
        "the north end of the building was cold",
        "on the east side the buses never came",
        "she had a little cash and a little faith",
        "what's your phone number? give me the area code",
        "in May, Georgia passed a new law",
        "I was tired, and I was lucky, and she was precious.",
        "i was sober for a year. she was honest.",
        "my big sis came to get me",
        "plan b was all we had, and the big c took him",
        "we went into the back house",
        "and he'd beat me for it, and she'd tell me to stay",
    ],
)
def test_the_family_rules_leave_ordinary_talk(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize(
    "text, name, label",
    [
        # QA C5: a town that is an idiom's word, after growing up or living out, over, up or down somewhere
        ("i grew up in hope, my grandma raised me there", "hope", "LOCATION"),
        ("she lived over in paradise before the fire", "paradise", "LOCATION"),
        ("then we moved out to paradise for a year", "paradise", "LOCATION"),
        # QA C23: a name ASR split in syllables is whole
        ("her name was shan tell, she was seventeen", "shan tell", "PERSON"),
        ("my friend la donna stayed with me", "la donna", "PERSON"),
        # QA C19: a state that is a surname, after a first name a cue found
        ("my trafficker was a guy named marcus washington.", "marcus washington", "PERSON"),
    ],
)
def test_qa_leftovers_are_found(text: str, name: str, label: str) -> None:
    assert _found(text).get(name) == label


def test_a_known_town_heard_as_three_words_is_found_where_a_place_stands() -> None:
    """QA C18's family: "kiss a me" for Kissimmee after "in"; not the same words elsewhere."""
    known = [KnownIdentifier("Kissimmee", "LOCATION")]
    assert [(s.text, s.label) for s in detect("we stayed at a motel in kiss a me for a week", known)] == [
        ("kiss a me", "LOCATION")
    ]
    assert detect("he'd kiss a me and her", known) == []


@pytest.mark.parametrize(
    "text",
    [
        # a nation, a people, a language or a faith is no name
        "We speak Creole at home and Spanish at work.",
        "I'm Cree on my mom's side and Welsh on my dad's.",
        "I'm Māori and my mother was Māori too.",
        "The nurse was Brazilian, I think, or Portuguese.",
        "Travellers get it worse than anybody in the town.",
        # a holiday named by its day
        "On Canada Day we watch the fireworks from the bridge.",
        "By Remembrance Day I was already gone, and on Truth and Reconciliation Day I wear orange.",
        "We went out on St. Patrick's Day and that was the night it happened.",
        # a word before a number is what is counted
        "My son's in Grade 3 now and he loves it.",
        "I'm doing a Level 5 course in healthcare support.",
        # brands said in the plural are things bought
        "He'd buy the kids Capri Suns and Lunchables to keep them quiet.",
        "She'd bring the kids Takis and Lunchables.",
        # a chapter and verse said
        "my grandma made me memorize jeremiah twenty nine eleven",
        # words the dictionary has in another form or spelling
        "he messaged me every night and i was waitressing at the time",
        "the tattoo parlour on the corner did my first one",
    ],
)
def test_peoples_holidays_counts_products_verses_and_forms_are_no_names(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize(
    "text, name",
    [
        ("Doris Day was her favourite singer, she said.", "Doris Day"),
        ("I met John two years ago at the bus station.", "John"),
        ("They called her Cherokee at the club.", "Cherokee"),
        ("my friend harding drove us to the clinic", "harding"),
        ("I went to Crossroads one time and Hilltop two times.", "Hilltop"),
        # a first name and a surname in -s that is no plural of a word: a person, no brand (unseen66, unseen68)
        ("A social worker, Renee Tubbs, asked if I felt safe at home.", "Renee Tubbs"),
        ("The office is behind the market. Karla Vindas, the lawyer, answers until nine.", "Karla Vindas"),
        # a given name no list holds and a surname in -s: a godmother, no brand (unseen73)
        ("My godmother, Eulogia Terrazas, sold chicha in El Paso, near Quillacollo.", "Eulogia Terrazas"),
        # a name whose accent folding takes away reads as a people's ("German"): the subject of a clause is a man
        (
            "I worked sixteen hours a day at the machine, sleeping under it. When I refused the extra work he"
            " brought on Fridays, Germán took my passport.",
            "Germán",
        ),
        ("Germán, he was my uncle's friend from the workshop.", "Germán"),
    ],
)
def test_names_beside_those_rules_stay_names(text: str, name: str) -> None:
    assert name in _found(text)
