"""A listed name as speech recognition writes it when it has never heard it: her surname heard as everyday words
right after her first name (qa26 QB6), her nickname clipped and voiced ("Beach" for Peaches), a sound-alike's
possessive ("Karl's" for a listed Carl), short names spelled another way (Zoey for Zoe, Shaun for Sean); and the
everyday words near such names that must stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant
from fieldvault.redact.detector import detect
from fieldvault.redact.review import ACCEPTED, propose
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE, store_reviewed
from tests.e2e.test_export_leaks import NOW, _session

TAMIKA = [KnownIdentifier("Tamika Robinette"), KnownIdentifier("Peaches"), KnownIdentifier("Visalia", "LOCATION")]


def _proposed(text: str, known: list[KnownIdentifier]) -> list[str]:
    return [text[s.start : s.end] for s in detect(text, known)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My name is Tamika on my net, but everybody called me Peaches.", "Tamika on my net"),
        ("My name is Tamika on my neck, but everybody called me Peaches.", "Tamika on my neck"),
        ("My name is Tambicah on my net, but everybody called me Peaches.", "Tambicah on my net"),  # tiny.en, en-gb
        ("Tami on my net is what they wrote.", "Tami on my net"),  # a short form of her first name
    ],
)
def test_her_listed_surname_heard_as_everyday_words_after_her_first_name_is_taken_with_it(text: str, name: str) -> None:
    """qa26 QB6: tiny.en wrote "Robinette" as "on my net" / "on my neck" right after her found first name, and the
    export read "My name is [PERSON 1] on my net": a run of words that begins with a function word was never a name's.
    After her first name, two or three words as many syllables as her surname's last ones, with its vowels in order
    and its last syllable rhyming with the surname's, are her surname."""
    assert name in _proposed(text, TAMIKA)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My name is Tamika on my own.", "Tamika"),
        ("Tamika on Monday came by.", "Tamika"),
        ("I saw Tamika on my way home.", "Tamika"),
        ("Tamika got a net for fishing.", "Tamika"),
        ("Tamika in a net.", "Tamika"),
        ("Tamika on my left.", "Tamika"),
    ],
)
def test_everyday_words_after_her_first_name_that_do_not_sound_like_her_surname_stay(text: str, name: str) -> None:
    assert _proposed(text, TAMIKA) == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My name is chemical on my neck, but everybody called me Peaches.", "chemical on my neck"),  # tiny.en en-us
        ("They call me chemical on my neck.", "chemical on my neck"),
        ("I'm radical on my net.", "radical on my net"),
        ("My name is Tamika, on my net, like Robin and Net.", "Tamika, on my net"),  # a comma between (qa27)
        ("I'm Tamika on a net.", "Tamika on a net"),  # "a": a vowel said alone, any of hers
        ("my name is tamika rob in it.", "tamika rob in it"),  # its letters said as "Robinette" is
    ],
)
def test_her_listed_full_name_heard_as_everyday_words_after_a_naming_frame_is_taken_whole(text: str, name: str) -> None:
    """names27's left open and qa27's residuals: "My name is chemical on my neck" (tiny.en wrote Tamika Robinette
    whole as words, her first name not found, so nothing anchored the surname rule) went out as it was said; so did
    "on my net" after "Tamika," (a comma between), "on a net" after "I'm Tamika", and "in it" of "tamika rob in it".
    After a naming frame, a word said like her first name (as many syllables, the vowels all but one in three, the
    last syllable begun and voiced alike) and her surname heard as words are her full name."""
    assert name in _proposed(text, TAMIKA)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I'm going on my way.", None),
        ("I'm telling you on my life.", None),
        ("My name is Tom, on my own.", None),
        ("I'm chemical on my own now.", None),
        ("Tamika on my neck was a scar.", "Tamika"),  # said of her name written on a body
        ("I got a tattoo, Tamika on my neck.", "Tamika"),
        ("She had Tamika on my neck tattooed.", "Tamika"),
    ],
)
def test_words_after_a_naming_frame_or_her_name_written_on_a_body_stay(text: str, name: str | None) -> None:
    """names27's over-proposal: "Tamika on my neck" said of a tattoo of her name was proposed whole; the words are a
    part of the body with a mark named beside them, and her name alone is hers."""
    assert [p for p in _proposed(text, TAMIKA) if p != "Tom"] == ([name] if name else [])


def test_her_surname_heard_after_her_first_name_is_not_exported(study: Study, tmp_path: Path) -> None:
    """The whole route a reviewer meets: proposed, accepted, exported; "on my net" never reaches the export."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Nia", dict(ANSWERS), consent, TAMIKA)
    said = ["My name is Tamika on my net, but everybody called me Peaches.", "My name is Tamika on my own now."]
    _, transcript = _session(study, "Nia", "20261124-100000", said)
    redactions = propose(transcript, TAMIKA)
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "reviewer", NOW)
    redactions.mark_reviewed("reviewer", NOW)
    store_reviewed(study, redactions)
    export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "out", Request())
    text = (tmp_path / "out" / "Nia_session-1.txt").read_text()
    assert "My name is [PERSON 1], but everybody called me [PERSON 2]." in text, text
    assert "My name is [PERSON 1] on my own now." in text, text
    assert "net" not in text, text


PEACHES = [KnownIdentifier("Peaches"), KnownIdentifier("Carl"), KnownIdentifier("Zoe"), KnownIdentifier("Sean")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The pastor said, Peaches, you are safe now. Beach is gone, I told him.", "Beach"),  # tiny.en, qa26
        ("Peaches told me. Peach is gone now.", "Peach"),
        ("Peaches and me, we ran. I told beach to run.", "beach"),
        ("I went to Karl's place.", "Karl"),  # a possessive is no street's name ("Brant Street")
        ("Then Zoey took the kids.", "Zoey"),
        ("Me and Shaun left.", "Shaun"),
        ("Shawn came back.", "Shawn"),
    ],
)
def test_a_listed_name_clipped_voiced_possessive_or_respelled_is_found_as_hers(text: str, name: str) -> None:
    """qa26 (QB1's rest): "Beach is gone" (tiny.en's clipped, voiced Peaches, right after Peaches was found) went
    out; names26's left open: "Karl's place" for a listed Carl (taken for a street's name), Zoey for Zoe (names under
    four letters were never alike), Shaun for Sean (an Irish "se" said "sh")."""
    from fieldvault.redact.known import find_known

    assert [(text[s.start : s.end], s.matched is not None) for s in find_known(text, PEACHES)].count((name, True))
    at = text.index(name)
    assert [s.label for s in detect(text, PEACHES) if s.start <= at and at + len(name) <= s.end] == ["PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I went to Karl's place.", "Karl"),
        ("We went to Carl's house after that.", "Carl's"),
        ("At Carl's place.", "Carl's"),
    ],
)
def test_a_listed_name_before_her_home_word_is_proposed_without_it(text: str, name: str) -> None:
    """names27's left open: "Karl's place" for a listed Carl (a street's or a venue's name to the other layers) was
    merged with his name's span and proposed whole, so the export read "I went to [PERSON 1]."; his name is his, the
    home word stays."""
    assert _proposed(text, PEACHES) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "The beach was quiet.",
        "Beach is gone, I told him.",  # no name of hers near: the everyday word
        "Peaches came with us. The beach was quiet.",
        "Peaches came with us. We went to the beach.",
        "Peaches cried. Bench was gone.",
        "Dan and Don left. Zoo trips were fun. The sea was calm.",
    ],
)
def test_everyday_words_near_a_listed_nickname_or_short_name_stay(text: str) -> None:
    from fieldvault.redact.known import find_known

    assert [s.text for s in find_known(text, PEACHES) if s.text.casefold() != "peaches"] == []


@pytest.mark.parametrize("text", ["Me and Shane left.", "Shin hurt, I told him.", "Then Shane said no."])
def test_a_name_one_vowel_off_a_listed_irish_name_is_not_hers(text: str) -> None:
    """names27's side effect: the "sh" reading of a listed Sean ("Shaun", "Shawn") made Shane and Shin alike too, so
    another man's name was proposed as Sean's and put out as Sean's placeholder; metaphone keeps no vowel, and one
    vowel off is a different name."""
    from fieldvault.redact.known import find_known

    assert find_known(text, PEACHES) == []


def test_a_substitute_that_is_a_listed_name_clipped_voiced_or_respelled_is_refused() -> None:
    from fieldvault.participants import why_not_substitute

    listed = ["Peaches", "Carl", "Zoe", "Sean"]
    on_a_list = "is a name on a list of names people may mention, or sounds like one"
    assert {
        name: why_not_substitute(name, listed, [], []) for name in ("Beach", "Karl's", "Zoey", "Shaun")
    } == dict.fromkeys(("Beach", "Karl's", "Zoey", "Shaun"), on_a_list)
    assert [why_not_substitute(name, listed, [], []) for name in ("Bea", "Lisa", "Dana", "Maria", "Zora")] == [None] * 5


def test_a_substitute_that_respells_a_short_listed_name_or_doubles_a_letter_is_refused() -> None:
    """qa27 QC9: "Bee" and "Beah" for a listed Bea, "Zoie" for Zoe and "Robbin" for Robinette (while "Robin" was
    refused) stood in for her in every export and read as her name."""
    from fieldvault.participants import why_not_substitute

    listed = ["Tamika Robinette", "Bea", "Zoe"]
    on_a_list = "is a name on a list of names people may mention, or sounds like one"
    refused = ("Bee", "Beah", "Zoie", "Robbin")
    assert {name: why_not_substitute(name, listed, [], []) for name in refused} == dict.fromkeys(refused, on_a_list)
    kept = ("Bo", "Ben", "Lisa", "Toni", "Rose", "Tom")
    assert [why_not_substitute(name, listed, [], []) for name in kept] == [None] * len(kept)


@pytest.mark.parametrize(
    ("text", "heard"),
    [
        ("My name is chemical.", "chemical"),
        ("They call me chemical, and I came up from Fresno.", "chemical"),
        ("my name's chemical because my mom liked it.", "chemical"),
    ],
)
def test_her_one_word_listed_name_heard_as_a_word_after_my_name_is_is_hers(text: str, heard: str) -> None:
    """names28's rest: the naming-frame rule needed a listed full name; "My name is chemical." for a listed Tamika
    (one word) went out as said. After "my name is" or "call me", a word said like her name that ends the name's
    place is hers."""
    from fieldvault.redact.known import find_known

    spans = find_known(text, [KnownIdentifier("Tamika")])
    assert [(s.text, s.matched) for s in spans] == [(heard, "Tamika")]
    assert heard in _proposed(text, [KnownIdentifier("Tamika")])


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("I'm chemical.", "Tamika"),  # "I'm" names a state as often as a name
        ("My name is a chemical formula.", "Tamika"),
        ("My name is chemical on the forms, my dad said.", "Tamika"),  # the name's place goes on
        ("They call me gonna go.", "Donna"),
        ("My name is ready.", "Sadie"),  # two syllables: every vowel hers
    ],
)
def test_words_after_a_naming_frame_that_are_not_her_one_word_name_stay(text: str, listed: str) -> None:
    from fieldvault.redact.known import find_known

    assert find_known(text, [KnownIdentifier(listed)]) == []


def test_a_substitute_that_is_the_end_of_a_listed_name_is_refused() -> None:
    """qa28 QD5's rest: "Trice" for a listed Latrice (what people call her, her name by its end) stood in for her in
    every export; refused as the other short forms are ("Tasha" of Natasha was already). Names that only share
    letters with hers stay free."""
    from fieldvault.participants import why_not_substitute

    listed = ["Latrice Moore", "Rosalinda", "Marianne"]
    on_a_list = "is a name on a list of names people may mention, or sounds like one"
    refused = ("Trice", "Linda", "Anne", "Trice Lee")
    assert {name: why_not_substitute(name, listed, [], []) for name in refused} == dict.fromkeys(refused, on_a_list)
    kept = ("Tricia", "Treece", "Lisa", "Tracy", "Mara", "Lee")
    assert [why_not_substitute(name, listed, [], []) for name in kept] == [None] * len(kept)


def test_a_substitute_said_like_a_short_listed_name_with_its_vowels_the_other_way_round_is_refused() -> None:
    """qa27 QC9's rest: "Bae" for a listed Bea (its two vowels the other way round, read as her name) stood in for her
    in every export; the detector now takes it for hers where a person stands, and the substitute rule asks the
    detector."""
    from fieldvault.participants import why_not_substitute
    from fieldvault.redact.known import find_known

    listed = ["Bea", "Zoe", "Sean"]
    on_a_list = "is a name on a list of names people may mention, or sounds like one"
    assert {name: why_not_substitute(name, listed, [], []) for name in ("Bae", "Zeo")} == dict.fromkeys(
        ("Bae", "Zeo"), on_a_list
    )
    assert [s.text for s in find_known("Me and Bae left.", [KnownIdentifier("Bea")])] == ["Bae"]
    kept = ("Ben", "Abe", "Ian", "Shane", "Shin", "Dana")
    assert [why_not_substitute(name, listed, [], []) for name in kept] == [None] * len(kept)


def test_a_substitute_that_respells_or_sounds_like_a_participants_pseudonym_is_refused() -> None:
    """qa28 QD5: "Wrenn", "Ren", "Rennie" for the pseudonym Wren and "Marygold", "Mary Gold" for Marigold were taken
    as substitutes (only the pseudonym as written was refused), and a coder read a man named "Wrenn" in Marigold's
    transcript as the participant Wren. The listed names' sound-alike rule now serves pseudonyms too ("wr" said "r")."""
    from fieldvault.participants import why_not_substitute

    pseudonyms = ["Marigold", "Wren"]
    said = "sounds like a participant's pseudonym in this study, and coders would take the two for one woman"
    refused = ("Wrenn", "Ren", "Rennie", "Marygold", "Mary Gold")
    assert {name: why_not_substitute(name, [], pseudonyms, []) for name in refused} == dict.fromkeys(refused, said)
    kept = ("Lisa", "Rose", "Mary", "Renata", "Dana")
    assert [why_not_substitute(name, [], pseudonyms, []) for name in kept] == [None] * len(kept)
