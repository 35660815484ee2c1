"""Names in the cues names16 added (callnames.py, persons.py, syllables.py): a working name said with where it was used
("my name on the site was X", "X, that was my name there", "they gave me a new name there: X", "he called himself
X", "the ads were under X"), a name's owner before "real name" or "(his full name ...)", a word set off between who
someone was and what she did, a possessive after a relation, a conviction's subject, the words a name's "like"
explains, a name as someone spelled it, a short name's other form, a name of two words said again, a weekday given
as a name before her surname; with the talk in the same frames that names no one. Cased, lowercased and NFD. No
sentence is from a bench corpus."""

from __future__ import annotations

import unicodedata

import pytest

from fieldvault.redact.detector import detect

FORMS = pytest.mark.parametrize(
    "form",
    [str, str.lower, lambda t: unicodedata.normalize("NFD", t)],
    ids=["cased", "lowercased", "nfd"],
)


def _covered(text: str, words: str) -> bool:
    """Every letter of ``words`` (its first occurrence) lies inside some PERSON span of ``text``."""
    spans = [s for s in detect(text) if s.label == "PERSON"]
    at = text.lower().index(words.lower())
    return all(any(s.start <= at + i < s.end for s in spans) for i, c in enumerate(words) if c.isalpha())


def _covered_at(text: str, words: str, nth: int) -> bool:
    """The ``nth`` occurrence (from 0) of ``words`` lies inside PERSON spans."""
    spans = [s for s in detect(text) if s.label == "PERSON"]
    at = -1
    for _ in range(nth + 1):
        at = text.lower().index(words.lower(), at + 1)
    return all(any(s.start <= at + i < s.end for s in spans) for i, c in enumerate(words) if c.isalpha())


def _untouched(text: str, words: str) -> bool:
    """No proposed span of any label touches ``words`` (its first occurrence)."""
    at = text.lower().index(words.lower())
    return not any(s.start < at + len(words) and at < s.end for s in detect(text))


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # Where a working name was used, between "my name" and the name.
        ("the site was called harbour angels, and my name on there was nutmeg, and the photos were old", "nutmeg"),
        ("My name on the ads was, um, Toffee, and he answered the calls", "Toffee"),
        # The name, then that it was hers.
        ("the sailors asked for caramel, that was my name there, and i said no to the ships", "caramel"),
        # A name given there, after a colon.
        ("In Lahore they gave me a new name there: Dolly. I hated it.", "Dolly"),
        # A name one gave oneself, with its size word.
        ("on the phone he called himself, uh, big dog", "big dog"),
        ("She calls herself Mango when she works", "Mango"),
        # Who the ads were under.
        ("the posts, um, they were under, like, velvet, and the number was hers", "velvet"),
        # A name's owner before "real name", with an s-possessive's bare apostrophe.
        ("Princess' real name is Adaeze Obi, and she left in March.", "Princess"),
        # Before "(his full name is ...)".
        ("Tshepo (his full name is Tshepo Molefe) kept the car keys.", "Tshepo"),
    ],
)
def test_a_working_name_said_with_where_it_was_used_is_proposed(form, text: str, name: str) -> None:
    assert _covered(form(text), name)


@FORMS
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("my name on there was spelled wrong, so i fixed it", "spelled"),
        ("and i cried, that was my name they said in court", "cried"),
        ("she called herself stupid for going back", "stupid"),
        ("he called himself the boss of the whole street", "boss"),
        ("the ads were under the bed in a box", "bed"),
        ("the boss' real estate was in town", "estate"),
    ],
)
def test_the_same_frames_without_a_name_propose_nothing_there(form, text: str, words: str) -> None:
    assert _untouched(form(text), words)


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A word set off between who someone was and a past tense.
        ("at the show, um, my son, kite, played the drums, and i cried", "kite"),
        ("a dutch man, maarten, paid the rent for the flat", "maarten"),
        ("and his girlfriend, pepper, counted the money every night", "pepper"),
        ("there was another woman, cocoa, no, cocoa came later", "cocoa"),
        # A possessive right after a relation.
        ("and my cousin bibsy's husband drives a taxi", "bibsy"),
        # A conviction's subject.
        ("and ruslan was sentenced at the crown court in may", "ruslan"),
        # The creole "ti" before a nickname, the name said again as "he".
        ("ti jo he kept a room above the bakery", "ti jo"),
        # Set off before "and her cousin".
        ("a girl from my barangay, jewel, and her cousin, they found me the job", "jewel"),
        # Who beat someone, a describing word too.
        ("and after skinny broke my nose, i left the flat", "skinny"),
        ("then lucky pimped me out to his friends", "lucky"),
        # Tagalog's kin titles: "ate" only set off.
        ("my cousin, ate lorna, paid the agency", "lorna"),
        ("kuya arnel drove us to the pier", "arnel"),
    ],
)
def test_a_name_in_a_persons_slot_is_proposed(form, text: str, name: str) -> None:
    assert _covered(form(text), name)


@FORMS
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("my brother, drunk, hit the wall", "drunk"),
        ("my mom, again, called the shelter", "again"),
        ("my aunt, sixteen, married him", "sixteen"),
        ("the nurse, pregnant, left early", "pregnant"),
        ("my kids, twins, were born there", "twins"),
        ("the manager, sir, was rude to us", "sir"),
        ("my friend, honestly, helped a lot", "honestly"),
        ("my friend group's chat was loud", "group"),
        ("my friend's brother sells cars", "brother"),
        ("the company was convicted of fraud", "company"),
        ("and nobody was charged for it", "nobody"),
        ("crack beat me for ten years", "crack"),
        ("and he'd beat me for it", "he'd"),
        ("life beat me down again and again", "life"),
        ("depression broke my heart", "depression"),
        ("we ate candy, and rice, every day", "candy"),
        ("my sister, sick, and her husband came", "sick"),
    ],
)
def test_descriptions_and_adverbs_in_those_slots_are_no_names(form, text: str, words: str) -> None:
    assert _untouched(form(text), words)


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # The words after a name that "like" says again.
        ("her name was Anna Little Crow, like little crow, and she was from Pine Ridge", "Little Crow"),
        # A name as someone spelled it.
        ("his name is kwame asante, and the clerk spelled it a santee, so the file was lost", "a santee"),
        # A short name's other form, right after it.
        ("and sione, see oh nay, he carried the bags", "see oh nay"),
        # A working name made of the first, right after it.
        ("they knew me as peaches, georgia peaches, on the strip", "georgia peaches"),
    ],
)
def test_a_name_said_again_or_explained_is_proposed(form, text: str, name: str) -> None:
    assert _covered(form(text), name)


@FORMS
def test_a_name_of_two_words_said_again_is_proposed_whole(form) -> None:
    text = form("my sister, she, dil maya, she had the papers. later only dil maya came to court.")
    assert _covered_at(text, "dil maya", 1)


@FORMS
def test_a_weekday_given_as_a_name_before_her_surname_is_proposed(form) -> None:
    text = form("my driver, monday, like the day, monday adeyemi, he drove the van")
    assert _covered_at(text, "monday adeyemi", 0)


@FORMS
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("i met maria at school, like at school", "at school"),
        ("i saw john downtown, like downtown", "downtown"),
        ("his name is sunday. on sunday morning he came", "sunday morning"),
        (
            "The girls were Honey and Lucky, and Lucky was the one who called. I guess she was lucky for me.",
            "lucky for",
        ),
    ],
)
def test_words_beside_a_name_that_the_cues_do_not_hold_are_no_name(form, text: str, words: str) -> None:
    text = form(text)
    at = text.lower().rindex(words.lower()) if words == "lucky for" else text.lower().index(words.lower())
    assert not any(s.start < at + len(words) and at < s.end for s in detect(text) if s.label == "PERSON")


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # When the name held, between "my name" and the name.
        ("and he says my name now is treacle, and treacle must make the money", "treacle"),
        ("He told me my name from then on was Biscuit.", "Biscuit"),
        # A name given or used: "used the name X", "went by the name X", "under the name of X".
        ("the lady who answered the ad used the name Sparrow and a foreign number", "Sparrow"),
        ("she went by the name clover back then", "clover"),
        ("At the desk he gave the name Whisky Jack, and they gave him a key.", "Whisky Jack"),
    ],
)
def test_a_name_said_with_when_it_held_or_as_the_name_used_is_proposed(form, text: str, name: str) -> None:
    assert _covered(form(text), name)


@FORMS
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("I forgot the name of the place by then", "place"),
        ("they took the name off the door", "off"),
        ("i gave the name to the police and they wrote it down", "police"),
        ("my name now is on the lease too", "lease"),
        # qa25 QA9: an adjective after the cue says what her name is ("My name now is [PERSON 1]" went out)
        ("My name now is different, I am not that girl.", "different"),
        ("Her name was important to her family.", "important"),
    ],
)
def test_the_name_said_of_no_one_is_no_name(form, text: str, words: str) -> None:
    assert _untouched(form(text), words)


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "My name right now is honey. Honey with my wife.",
        "My name right now is honey, honey with a y.",
        "My name right now is honey. Honey is what they call me.",
        "My name these days is honey. Honey with my wife.",
    ],
)
def test_a_name_said_with_when_it_held_is_proposed_where_said_again_at_a_sentence_start(form, text: str) -> None:
    """qa25 QA9: "My name right now is [PERSON 2]. Honey with my wife." went out: "right now" kept the cue from
    firing, the model alone took the first "honey", and a word the model takes is not looked for again (an everyday
    word is spread only where a cue found it). Both mentions are proposed now, as after "I used the name"."""
    assert _covered_at(form(text), "honey", 0)
    assert _covered_at(form(text), "honey", 1)
