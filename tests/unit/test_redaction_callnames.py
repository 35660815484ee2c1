"""Names a person was called by in phrases the general cues missed (fieldvault/redact/callnames.py): Caribbean
English's "call she X" / "call he X", two letters said after a call, a working name after where it was used; and
what such phrases say of someone that is no name. Cased and lowercased. No sentence is from a bench corpus."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect

FORMS = pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])


def _texts(text: str) -> list[str]:
    return [s.text.lower() for s in detect(text)]


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The man at the rum shop, they call he Biscuit, he drove the van.", "biscuit"),
        ("and the cook, we does call she cocoa, she fed us", "cocoa"),
        ("His partner, everybody called him t k, he kept the money.", "t k"),
        ("and my boyfriend r j, ricky, he drove us", "r j"),  # two letters after a relation
        ("My cousin D J and me, we ran from the house.", "d j"),
        ("the driver, they called her r j because of her brother", "r j"),
        ("Online I was Cherry, and at home I was nobody.", "cherry"),
        ("on the app, she went by Sparkle and nobody asked", "sparkle"),
        ("For a year I was on the site as Ginger, then I stopped.", "ginger"),
        ("she was on the ads as Tulip.", "tulip"),
        ("and marco cousin, chino, he drove the van", "chino"),  # a name set off between kin and a clause
        ("My aunt's husband, Tiago, he kept the passports.", "tiago"),
        ("The girls at the spa were Honey, Mimi, and a new one from Ohio.", "honey"),  # names listed after who
        ("The girls at the spa were Honey, Mimi, and a new one from Ohio.", "mimi"),
    ],
)
def test_names_in_calling_phrases_are_proposed(form, text: str, name: str) -> None:
    assert name in _texts(form(text))


@FORMS
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("When I called he answered, he sounded tired.", "answered"),  # "he" the subject after a call
        ("They call he stupid, he cried.", "stupid"),  # an insult, not a name
        ("I called, he said no.", "said"),
        ("They called him a b, he laughed.", "a b"),  # an article starts no initials
        ("my son a b, and then c, that's how he learned", "a b"),  # letters after a relation: not "a" first
        ("my friend i m not sure about", "i m"),
        ("Out there I was scared, and on the ads I was young.", "scared"),  # how she was
        ("Out there I was lucky.", "lucky"),
        ("On the street I was alone, and online I was nothing.", "alone"),
        ("I was on the app as usual.", "usual"),
        ("I was on the street as long as I remember.", "long"),
        ("They call she Tuesdays, she comes.", "tuesdays"),  # a plural weekday: never a name
        ("My brother, drunk, he hit me again.", "drunk"),  # how he was, set off by commas
        ("My mother, sober, she was kind.", "sober"),
        ("My sister, pregnant, she cried all night.", "pregnant"),
        ("My uncle, again, he came late.", "again"),
        ("My cousin, god, she was funny.", "god"),
        ("The girls were tired, hungry, and scared.", "hungry"),  # a list of how they were
        ("The guys were cops, dealers, and pimps.", "dealers"),
        ("The kids were asleep, quiet and safe.", "asleep"),
        ("The women were Haitian, Cuban, and Mexican.", "cuban"),
        ("The girls' days off were Tuesdays, Wednesdays and Fridays.", "wednesdays"),  # plural weekdays
    ],
)
def test_words_in_calling_phrases_that_are_no_names_stay(form, text: str, word: str) -> None:
    assert word not in _texts(form(text))
