"""A name said in pieces or in other forms (fieldvault/redact/syllables.py: syllables ASR made of a name in a naming
frame, the name said again as it sounds, a speaker's correction, a first name's surname) and names in the cues of
callnames.py and persons.py added with them ("posted me as", "X is my church name", "real name X", "X, she's the one
who", "they paid X", "X's number it was", "had she passport"); with the talk in the same frames that names no one.
Cased, lowercased and NFD. No sentence is from a bench corpus."""

from __future__ import annotations

import unicodedata

import pytest

from fieldvault.redact.detector import detect

FORMS = pytest.mark.parametrize(
    "form",
    [str, str.lower, lambda t: unicodedata.normalize("NFD", t)],
    ids=["cased", "lowercased", "nfd"],
)


def _persons(text: str) -> list[str]:
    return [unicodedata.normalize("NFC", s.text).lower() for s in detect(text) if s.label == "PERSON"]


def _covered(text: str, words: str) -> bool:
    """Every word of ``words`` lies inside some PERSON span of ``text``."""
    spans = [s for s in detect(text) if s.label == "PERSON"]
    at = text.lower().index(words.lower())
    return all(any(s.start <= at + i < s.end for s in spans) for i, c in enumerate(words) if c.isalpha())


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A naming cue, then syllables up to the clause's edge.
        ("my name is tep so wan dara, i come from battambang", "tep so wan dara"),
        ("Hello, my name is Ko mo lay ta, and I am from the hills", "mo lay ta"),
        # A word said twice, the second time with the rest of the name.
        ("the driver, kwadwo, kwadwo the pah, he said wait here", "kwadwo the pah"),
        # After who she is to the speaker.
        ("they let go of me and my cousin adjoa see wah, and we ran", "adjoa see wah"),
        # The second saying, whatever layer took it, with the rest: "X, X and more".
        ("he owed money to a lender, thabang, thabang the so, and he came every week", "thabang the so"),
        # An apposition, then a clause about the one named.
        ("and my uncle's friend, hla tin moe, he was the one who paid", "hla tin moe"),
    ],
)
def test_the_syllables_of_a_name_in_a_naming_frame_are_proposed(form, text: str, name: str) -> None:
    assert _covered(form(text), name)


@FORMS
@pytest.mark.parametrize(
    ("text", "words"),
    [
        # A clause after a name is no part of it.
        ("and then amara, amara ran, and we hid in the back", "ran"),
        ("my name is Sipho and I work nights", "work nights"),
        ("I told Thandi at the bar, she was cold", "at the bar"),
        ("i'm grace, from the north, and i was tired", "from the north"),
        ("my friend, Thabo too, he came with us", "too"),
        ("my brother Kwame sells drugs, and my sister Ama got sick", "drugs"),
        ("my friend Esi came over after Mass", "came over after"),
        ("and i shouted Kwabena, no, stop, and he ran", "stop"),
    ],
)
def test_a_clause_beside_a_name_is_no_part_of_it(form, text: str, words: str) -> None:
    said = form(text)
    spans = [s for s in detect(said) if s.label == "PERSON"]
    at = said.lower().index(form(words).lower())
    assert not any(s.start < at + len(words) and at < s.end for s in spans)


@FORMS
@pytest.mark.parametrize(
    ("text", "heard"),
    [
        # Spelled, then how people say it.
        ("my surname is, um, q u i s p e k a n, people say kiss pay can, i'm from puno", "kiss pay can"),
        # The name, then how it sounds, then spelled.
        ("my cousin there, tsholofelo, like, cho low fellow, t s h o l o f e l o, she stayed", "cho low fellow"),
        # The name written, then said as English hears it.
        ("I'm Nomvula Tshabalala, nom voo la, that's how you say it", "nom voo la"),
    ],
)
def test_a_name_said_again_as_it_sounds_is_proposed(form, text: str, heard: str) -> None:
    assert _covered(form(text), heard)


@FORMS
@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Words near a name that sound like nothing in it.
        ("my cousin there, tsholofelo, like, the market, she stayed", "the market"),
        ("I met Marcus there, at the markets, every Saturday", "at the markets"),
    ],
)
def test_words_near_a_name_that_do_not_sound_like_it_are_no_name(form, text: str, words: str) -> None:
    said = form(text)
    spans = [s for s in detect(said) if s.label == "PERSON"]
    at = said.lower().index(words.lower())
    assert not any(s.start < at + len(words) and at < s.end for s in spans)


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A speaker correcting herself, the found name on either side.
        ("on the app they listed me as silk, no, as velvet, and the hotel took the money", "velvet"),
        ("her name was, uh, a ku, no, akua, and she says hello", "a ku"),
        # Working names: posted as, on the sites with a filler, two words.
        ("and he posted me as, um, kiwi, like the bird", "kiwi"),
        ("he put me on, like, the apps, as honey bee, and then the clubs", "honey bee"),
        # unseen77: on a site named by its name
        (
            'My ex was selling heroin out of a house in Carrick, and when I owed him, he started "renting" me to his '
            "friends. Then he put me on Craigslist as Summer.",
            "summer",
        ),
        ("he posted me on backpage as candy, eighteen and new", "candy"),
        ("i was on the ads as peaches, and later vermont honey", "peaches"),  # a plural word after "me" is her name
        # The name before "is my ... name", and after "real name".
        ("Dewdrop is my church name, my mother chose it.", "dewdrop"),
        ("and Cotton is my maiden name, but nobody uses it", "cotton"),
        ("Boxer, real name Tomasz Kowal, drove the van.", "tomasz kowal"),
        ("everybody knew Chico, whose real name was Ramon, at the yard", "chico"),
        # A creole's "ti" or "gros" before a nickname; the Karen "Saw" at a clause's start.
        ("Everybody feared Gros Kiki, he's the one who ran the port", "gros kiki"),
        ("The boat was his. Saw Htoo kept our papers in a tin.", "saw htoo"),
        # A listed first name that is also an adjective, set off after a role and before a clause about him.
        ("we knew the place, and the barman, sandy, he'd take the bookings", "sandy"),
        # Who someone is after the name; paid; whose number; the Caribbean's possessive "she".
        ("the keys were with lil kofi, he's the one who locked the gate", "lil kofi"),
        ("the landlord came and we paid thabo, and he left", "thabo"),
        ("zola's number it was, like, zero eight two", "zola"),
        ("and pumpkin had she passport and she phone", "pumpkin"),
        # A weekday or a month as a name: after a strong naming cue, said with what it sounds like, or spelled.
        ("the cook, his name is Friday, he fed us", "friday"),
        ("and our guard, monday, like the day, he had the keys", "monday"),
        ("my caseworker, april, a p r i l, she came every week", "april"),
        # A first name and the surname after it no layer took.
        ("at the office, Veronica Mbeki took my statement.", "veronica mbeki"),
    ],
)
def test_a_name_in_a_correction_a_working_name_or_a_naming_cue_is_proposed(form, text: str, name: str) -> None:
    persons = " | ".join(_persons(form(text)))
    assert name in persons


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        # Corrections of what is no name, "is my name" after a pronoun, role or kin words in the same slots.
        "he said, no, wait here, and then, no, stay.",
        "that is my name, and this was her real name.",
        "and my mom, she's the one who called. the manager, he's the one who paid.",
        "they paid rent, and we paid cash, and i paid attention.",
        "the boss had she passport, and the agency had he phone.",
        "and they posted me as well, like the others",
        "they had us on craigslist as escorts, all four of us",
        "he put me on facebook as a joke",
        # "saw" as a verb, "ti" and "gros" as words.
        "and then i saw the boat, and we saw the harbour",
        # Weekdays and months as themselves.
        "we met on sunday, and the next sunday, like the day before, it rained.",
        "it was may, like the month, so warm, and his name is not important.",
    ],
)
def test_corrections_roles_and_payments_that_name_no_one_are_no_names(form, text: str) -> None:
    assert _persons(form(text)) == []
