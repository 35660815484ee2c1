"""Names that are everyday words with no cue word before them (fieldvault/redact/persons.py's DOER, callnames.py's
Pidgin "call am X" and "put me online as X", lexicon.WORD_NAMES's "comfort" and "duke" after a title): the doer of
what only a person does to someone or to her papers; and the talk in those slots that names no one (abstract
subjects, agencies, drugs, places, kin words). Cased, lowercased and NFD. No sentence is from a bench corpus."""

from __future__ import annotations

import unicodedata

import pytest

from fieldvault.redact.detector import detect

FORMS = pytest.mark.parametrize(
    "form",
    [str, str.lower, lambda t: unicodedata.normalize("NFD", t)],
    ids=["cased", "lowercased", "nfd"],
)


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dumi's real name is Sibusiso, but everyone knows him as Dumi.", "dumi"),  # whose real name it was
        ("and nyoni, his real name was themba moyo, he ran the place", "nyoni"),
        ("the nurse at the clinic, tamsin, she gave me the shots", "tamsin"),  # between a role and a clause
        ("my boyfriend kagiso, he said we go to the city", "kagiso"),  # after a relation without a comma
        ("the driver, Chipo, who took us across, was kind", "chipo"),
        ("Kuya Nonoy promised me a job at the bar.", "nonoy"),  # a Filipino title of respect
        ("my tita's friend, manang rosa, she brought us", "rosa"),
    ],
)
def test_an_alias_or_a_name_set_off_beside_who_she_was_is_proposed(form, text: str, name: str) -> None:
    assert name in _persons(form(text))


def test_ate_with_its_capital_is_a_title_before_a_name() -> None:
    """ "Ate Liza": the title of an older sister; lowercase "ate" is the verb and no cue ("we ate candy")."""
    assert "liza" in _persons("My tita's friend, Ate Liza, promised me a job at the bar.")
    assert "liza" in _persons("Ate Liza promised me a job.")


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "my mom's real name is a secret, and the guy's real name I never knew.",
        "my boyfriend too, he said so, and my brother though, she was there",
        "the lady from the church, sadly, she died",
        "the worker, drunk, he hit me",
        "we ate rice and ate candy, and after that we ate cake",
        "Ate is what you call an older sister, and kuya a brother.",
    ],
)
def test_kin_adverbs_adjectives_and_the_verb_ate_are_no_names(form, text: str) -> None:
    assert _persons(form(text)) == []


def _persons(text: str) -> list[str]:
    return [unicodedata.normalize("NFC", s.text).lower() for s in detect(text) if s.label == "PERSON"]


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("At the depot, Blessing took my phone and my passport.", "blessing"),
        ("and then Sugar came back with two of his friends", "sugar"),
        ("so Duke locked us in the back room every night", "duke"),
        ("When we landed, Precious kept all our passports in her bag.", "precious"),
        ("Zoë took us to the flat above the shop.", "zoë"),
        ("Later Candy drove us to the truck stop.", "candy"),
        ("the boss man, they call am captain, he take our money", "captain"),  # Krio / Pidgin "call am"
        ("He put me online as Peaches, and the calls came all night.", "peaches"),
        ("the old man posted her on the site as Cinnamon.", "cinnamon"),
        ("Sister Comfort dressed my hand at the clinic.", "comfort"),
        ("we worked for a man, Uncle Duke, at the farm", "duke"),
    ],
)
def test_an_everyday_word_in_a_persons_slot_is_a_name(form, text: str, name: str) -> None:
    found = [unicodedata.normalize("NFC", s.text).lower() for s in detect(form(text))]
    assert name in found  # a person's, or a handle's where the site's name makes it one


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "and hope kept me going, faith brought me here, and grace took me home",
        "The rain took me by surprise, and time took my youth.",
        "CPS took my kids, and then the cops took us downtown.",
        "then meth took my teeth and crack took my money",
        "Nana took me to church, and Mommy took my papers to the office.",
        "auntie took us in, and my mama kept all my documents",
        "Allah put me here for a reason, and DCFS took us.",
        "Vegas took my money and the casino took the rest.",
        "the storm came back with more rain, and the pain came back for days",
        "they call am small small, he no dey hurry",  # Pidgin "little by little", no name
        "she put me online as well, and on the ads as usual",
        "I found comfort in church and my sister comfort me when I cry",
    ],
)
def test_abstract_things_agencies_drugs_places_and_kin_in_those_slots_are_no_names(form, text: str) -> None:
    assert _persons(form(text)) == []


@FORMS
@pytest.mark.parametrize(
    ("text", "name", "mentions"),
    [
        ("Then Sugar came back with two men. Later SUGAR said I owed her, and I told sugar no.", "sugar", 3),
        ("Dumi's real name is Sibusiso. Dumi said we go north, and I went with dumi.", "dumi", 3),
        ("my boyfriend kagiso, he said we marry there, and kagiso took my passport", "kagiso", 2),
    ],
)
def test_a_name_these_rules_found_is_proposed_at_its_other_mentions_in_any_case(
    form, text: str, name: str, mentions: int
) -> None:
    assert _persons(form(text)).count(name) == mentions
