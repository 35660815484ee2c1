"""Names in slots only a person fills, whatever the word (fieldvault/redact/persons.py's BARE_DOER, CONTACT_OF and
AH_NAME; callnames.py's NAMED_FILLER, MISTER, NAME_THEN_CALLED, CALLED_OR, the fillers of WORKING_NAME_AS and the
longer APPOSED_ROLE; spelling.py's word before its own spelling), and the talk in the same slots that names no one:
institutions, abstract nouns, roles, plurals, adverbs, kin. Cased, lowercased and NFD. No sentence is from a bench
corpus."""

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


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # Everyday words as given names, in a doer's slot: bare and present forms tell the past in many Englishes.
        ("At the border post, Wisdom take my passport and he keep it.", "wisdom"),
        ("and nobody knew, and harvest kept all our phones in a bag", "harvest"),
        ("In the yard, Lovemore collects the money every Friday.", "lovemore"),
        ("after the fete, velvet take me to the other island", "velvet"),
        ("and then marmalade drove us to the house", "marmalade"),
        # Who speaks to her, messages her, comes for the money.
        ("Mercy told me you are lucky, and Witness said you must pay.", "witness"),
        ("and biscuit still texts me at night", "biscuit"),
        ("Every Sunday, Cobalt came for the rent.", "cobalt"),
        # The subject said again as she or he.
        ("and then the police came, and goodness she just ran", "goodness"),
        ("Tinsel he was the one with the car.", "tinsel"),
        # Whose contact it is, said without 's.
        ("Tendai email is tendai at mail dot com", "tendai"),
        # "Ah" before a Cantonese or Hokkien given name.
        ("her cousin, Ah Kwok, would find me a room", "ah kwok"),
    ],
)
def test_a_word_in_a_slot_only_a_person_fills_is_proposed(form, text: str, name: str) -> None:
    assert name in _persons(form(text))


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        # Institutions, bodies, acts and roles act bare in English.
        "and immigration took my passport and my phone",
        "and then security told us to leave, and management kept our pay",
        "and the agency took my papers, and driver take us to the border",
        "and staff collected the money at the door, and cash came every week for the rent",
        "and rent took all my money, and welfare said you must wait",
        # Abstract things, plurals, describing words, medicines, adverbs, kin.
        "and hope kept me going, and faith brought me here",
        "and drugs took me to dark places, and heroin took me to jail",
        "and sometimes she cried, and yesterday he said sorry, and suddenly she left",
        "and mummy took me to church, and grandma she always prayed",
        "and Vegas took my money, and Reno took the rest",
        "and depression took me to bed for a year",
        # "ah" as a cry, with words every dictionary has.
        "Ah well, ah yes, ah shit, we went home.",
        # "or just" after a call that names no one; "mr." before a word for a kind of man.
        "they called him stupid, or just dumb, and i miss my mom, or just my family",
    ],
)
def test_institutions_abstract_nouns_roles_and_adverbs_in_those_slots_are_no_names(form, text: str) -> None:
    assert _persons(form(text)) == []


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A filler between the naming and the name.
        ("a lady named, uh, bramble, she ran the house", "bramble"),
        ("they called him, um, tugboat, and he laughed", "tugboat"),
        ("he had me on there as, uh, velvet, and the calls came", "velvet"),
        ("he put her on the apps as, um, Nevada, like the state", "nevada"),
        # After mister, missus or ms any word is a name.
        ("one man, mr. walrus, he paid the rent", "walrus"),
        ("and mrs. kettle said no", "kettle"),
        # The name before what everybody called her, and the other names after a call.
        ("the house mother, custard, that's what everybody called her, she fined us", "custard"),
        ("Harlan, they called him duke, or just h, he had three girls", "harlan"),
        ("Harlan, they called him duke, or just h, he had three girls", "h"),
        # A role with words after it, the name, and what he did.
        ("a guy i met at the bus station, Tremaine, took me to a motel", "tremaine"),
        # The word right before its own spelling.
        ("a girl named, um, lark, l a r k, she was from the coast", "lark"),
    ],
)
def test_a_name_after_a_naming_with_a_filler_a_title_or_a_call_is_proposed(form, text: str, name: str) -> None:
    assert name in _persons(form(text))


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "everybody call him boss, like a joke, his real name I never knew",
        "i was on the street as usual, and online as well",
        "we met mr. right, and mrs. nobody",
        "she was sitting there, they called her, and she came",
    ],
)
def test_a_call_a_title_or_a_simile_that_names_no_one_is_no_name(form, text: str) -> None:
    found = _persons(form(text))
    assert not {"joke", "usual", "well", "right", "nobody", "there"} & set(found)


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A kin word said as a title before a listed name.
        ("and mummy rose was charged at the court", "rose"),
        ("we stayed with Mama Ruth near the market", "ruth"),
        # A sibling said with "our", then what she did.
        ("Our Chelsea tried to get me out twice.", "chelsea"),
        ("and our shannon was the one who rang the police", "shannon"),
        # Another mention of a name a call found, right before the surname a layer found.
        ("the one who kept the money was tugboat okafor, and everybody calls him tugboat", "tugboat okafor"),
    ],
)
def test_a_name_after_a_kin_title_or_our_or_before_its_surname_is_proposed(form, text: str, name: str) -> None:
    found = _persons(form(text))
    assert name in found or set(name.split()) <= {w for f in found for w in f.split()}


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "and mummy said no, and mama cooked, and mama always cried",
        "our house was cold and our bill was high and our kid went to school",
        "and auntie told me to wait",
    ],
)
def test_kin_titles_and_our_before_everyday_words_are_no_names(form, text: str) -> None:
    assert _persons(form(text)) == []


@FORMS
@pytest.mark.parametrize(
    ("text", "name", "not_names"),
    [
        # What she was like before a call, a common noun after an article beside a name, a language beside a name.
        ("they thought that was so funny, they called me foxy, all of them", "foxy", {"funny"}),
        ("and the bouncer, ssemakula, they called him sema, he took half", "ssemakula", {"bouncer"}),
        ("my boyfriend then, he's local, cantonese, ah keung, he had a flat", "ah keung", {"cantonese"}),
        # A street named for a person is the street's.
        ("we lived on Jalan Wong Ah Fook, near the market", None, {"ah fook", "wong ah fook"}),
    ],
)
def test_words_beside_a_name_that_say_what_someone_is_are_no_names(form, text: str, name, not_names) -> None:
    found = _persons(form(text))
    assert name is None or name in found
    assert not not_names & set(found)


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # Who is phoned for something; who puts her on a site or to work.
        ("and the manager he would call tumble for girls", "tumble"),
        ("and marzipan put us on the website, and i was ruby on there", "marzipan"),
        # A role with words after it, the name, and what he said; a month between a role and a clause.
        ("a boy from the next town, Dorin, said he loved me", "dorin"),
        ("and the caseworker lady, april, she drove me home", "april"),
        # A call of someone named by who she is.
        ("and the girls called the old lady out there heron. she knew everyone", "heron"),
        # A short word said twice.
        ("me and kiki went out, and um, bo bo didn't make it", "bo bo"),
        ("Nay Nay was the one who found me.", "nay nay"),
    ],
)
def test_a_name_phoned_put_somewhere_set_off_or_doubled_is_proposed(form, text: str, name: str) -> None:
    assert name in _persons(form(text))


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "no no, bye bye, so so, yeah yeah, ha ha, blah blah",
        "the tom tom drum and a bora bora bar, and we ate din din",
        "we lived in walla walla for a year, then in lapu-lapu",
        "and covid put us in lockdown, and rehab put me on methadone",
        "i would call home for money, and call work to bring my check",
        "they called the guy stupid, and the man back, and the lady crazy, and i called the boss again",
    ],
)
def test_doubled_words_things_and_places_phoned_are_no_names(form, text: str) -> None:
    assert _persons(form(text)) == []


@FORMS
def test_people_listed_with_the_speaker_are_proposed(form) -> None:
    found = _persons(form("There were six of us in the flat: Rudo, Nyasha, Precious, Gracious and me."))
    assert {"rudo", "nyasha", "precious", "gracious"} <= set(found)


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "my mom, sister and me went to church",
        "we bought bread, milk and me a coat",
        "we were tired, hungry, and me, i was scared",
        "the kids, the dog and me slept in the car",
    ],
)
def test_kin_things_and_describing_words_listed_with_the_speaker_are_no_names(form, text: str) -> None:
    assert _persons(form(text)) == []
