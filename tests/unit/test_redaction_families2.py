"""Families of identifiers the seen corpora unseen9 and unseen10 leaked, each as a general rule with variants those
corpora do not hold (another town, province or country, another court, another wording), and the hard negatives
beside each rule: police forces and courts named by their place or number, agencies and police departments by their
initials, a drop-in and who an institution is for, a city's ward, a hospital one was born at, streets by their
compass point or a British ending, a known town heard as four syllables, a child named by her parent, a name set off
by commas, a name said by its initial, a child's later mention. Then the false alarms of those corpora by category:
medicines, benefits, diagnoses and platforms of the UK, Canada, Australia and New Zealand, Scots speech, holidays, a
car's make and model, a letter's spelling word, the kind of an ID, parts of a named day, a part of a state, generic
places. No sentence is from a bench corpus."""

from __future__ import annotations

import pytest

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect


def _covered(text: str, name: str) -> str | None:
    """The label of the one span covering ``name`` exactly or with more around it; None if no span covers it."""
    start = text.index(name)
    for span in detect(text):
        if span.start <= start and start + len(name) <= span.end:
            return span.label
    return None


@pytest.mark.parametrize(
    "text, name, label",
    [
        # police forces and courts named by their town, county, state or province, or by number
        ("my case went to pima county superior court in the spring", "pima county superior court", "ORG"),
        ("the kentucky state police pulled us over on the interstate", "kentucky state police", "ORG"),
        ("the tulsa police took my statement", "tulsa police", "ORG"),
        ("the Nova Scotia provincial court gave me probation", "Nova Scotia provincial court", "ORG"),
        ("i went before the 285th district court twice", "285th district court", "ORG"),
        ("the manitoba court of king's bench heard it", "manitoba court of king's bench", "ORG"),
        # agencies by their initials
        ("i told the FBI everything that year", "FBI", "ORG"),
        ("then ICE came for him at work", "ICE", "ORG"),
        ("my report number with dpd was on a card", "dpd", "ORG"),
        # an organisation's end: a drop-in, who it is for
        ("the only warm place was the nakoda drop-in, they had soup", "nakoda drop-in", "ORG"),
        ("i did two years at fraser valley institution for women", "fraser valley institution for women", "ORG"),
        # a city's ward by its number
        ("we grew up in the third ward, off dowling", "third ward", "LOCATION"),
        # the hospital one was born at
        ("my son was born at parkland, right downtown", "parkland", "ORG"),
        # a street by its compass point, a British street's ending
        ("she worked on west sahara, by the strip club", "west sahara", "LOCATION"),
        ("i met him on south grand", "south grand", "LOCATION"),
        ("we had a flat on wellmeadow square near the shops", "wellmeadow square", "LOCATION"),
        # a child named by her parent; a name set off by commas after a person's word
        ("we named our son blue, after the sky.", "blue", "PERSON"),
        ("my roommate from the shelter, precious, she still texts me.", "precious", "PERSON"),
        # a name said by its initial after a title
        ("everyone just called her Ms. B at the group home", "B", "PERSON"),
    ],
)
def test_a_family_member_is_found(text: str, name: str, label: str) -> None:
    assert _covered(text, name) == label


def test_a_known_town_heard_as_four_syllables_is_found_where_a_place_stands() -> None:
    known = [KnownIdentifier("Mississauga", "LOCATION")]
    spans = detect("we moved out to miss is saw ga with my aunt", known)
    assert [(s.text, s.label, s.matched) for s in spans] == [("miss is saw ga", "LOCATION", "Mississauga")]
    assert detect("i miss is saw ga thing", known) == []  # no place word before it


def test_a_later_mention_before_a_childs_grade_or_age_is_found_too() -> None:
    spans = [s.text for s in detect("my girl's name is blessing. now blessing's in kindergarten.")]
    assert spans == ["blessing", "blessing"]


@pytest.mark.parametrize(
    "text",
    [
        # no place's name before the force or the court
        "we called the police and the state police came.",
        "the county court was closed that day.",
        "city police are worse than the sheriff.",
        "he was in fifth grade then.",
        # born somewhere that is no hospital's name
        "i was born at home, born at night, born at twenty six weeks.",
        "she was born at the hospital downtown.",
        # a direction, not a street
        "we went on south after that, down the coast.",
        "the ice was thin that winter.",
        # a child named for a reason, said with a pronoun
        "my son, the oldest, he is nine.",
        "my sister in law, though, she never called.",
        # "miss a" is a verb and an article
        "i miss a lot of days. i miss i guess.",
        # medicines, benefits, diagnoses, platforms
        "I take quetiapine at night and naltrexone in the morning.",
        "I'm on ESA and Universal Credit, and they said it's BPD.",
        "she was on odsp and then ontario works.",
        "he paid me on cash app and venmo.",
        # Scots speech, holidays, a car, a spelling word, a superlative's object, an ID's kind
        "ye cannae trust him, and i didnae know that.",
        "we had Diwali at my auntie's and Hogmanay at my gran's.",
        "he drove a silver Toyota Corolla.",
        "it's p like peter, k like kilo.",
        "my nan makes the best pierogies.",
        "my ndoc number was on the wristband.",
        # part of a named day, a feast, a part of a state
        "Burns Night was always loud in our house.",
        "on the feast of Our Lady of Lourdes we went to mass.",
        "she was from a holler in eastern tennessee, up the creek.",
        # generic places: a car park, a British spelling that is also a town, a form of an everyday word
        "we slept in the car park behind the shops.",
        "she went to the health centre on her own.",
        "he came back from deployment in the fall.",
        # a hospital's ward; Scots speech before a town
        "the nurse on the fifth ward was kind to me.",
        "we went tae the shops wi my wee brother.",
        # kin words of other languages, New Zealand and Canadian everyday words
        "my mooshum still lives out there and my whole whanau came to the tangi.",
        "we went back to the rez for the funeral.",
    ],
)
def test_ordinary_talk_beside_those_rules_is_left(text: str) -> None:
    assert detect(text) == []
