"""Names spelled out letter by letter in the forms Whisper writes spelling (fieldvault/redact/spelling.py), by the
detector and, for a listed name, by the known layer and the export's last-line scrub (QA K17); and the letters said
in talk that are no name. Cased, lowercased and NFD. No sentence is from a bench corpus."""

from __future__ import annotations

import unicodedata

import pytest

from fieldvault.export.scrub import Scrubber
from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect

FORMS = pytest.mark.parametrize(
    "form",
    [str, str.lower, lambda t: unicodedata.normalize("NFD", t)],
    ids=["cased", "lowercased", "nfd"],
)


def _covered(text: str, part: str, known: list[KnownIdentifier] | None = None) -> bool:
    """Whether one proposed span covers every character of ``part`` (found case-insensitively)."""
    at = text.lower().index(part.lower())
    return any(s.start <= at and at + len(part) <= s.end for s in detect(text, known))


@FORMS
@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("My name is Ngozi Okeke, O, K, E, K, E, and I came in 2019.", "O, K, E, K, E"),
        ("his name K.W.A.M.E. was on the lease", "K.W.A.M.E"),
        ("her name is Rutendo, R-U-T-E-N-D-O, she came from the farm", "R-U-T-E-N-D-O"),
        ("it's Moyo, m, o, um, y, o, and he drove", "m, o, um, y, o"),  # a filler between two letters
        ("you spell it capital t, h, a, n, double d, i, e", "capital t, h, a, n, double d, i, e"),
        ("my surname, that's s e k, uh, a n e", "s e k, uh, a n e"),
        ("they called him Bo, that's b o, just that", "b o"),  # two letters after a spelling cue
        ("my name is Lin, l, i, n, from the north", "l, i, n"),  # three right after the word they spell
        ("it's Sipho, s i p h o, he was the driver", "s i p h o"),
    ],
)
def test_a_name_spelled_in_whispers_forms_is_proposed(form, text: str, letters: str) -> None:
    said = form(text)
    assert _covered(said, form(letters))


@FORMS
@pytest.mark.parametrize(
    ("text", "letters", "after"),
    [
        ("my name's Rudo Chari, c h a r i, i'm from Harare", "c h a r i", ", i'm"),
        ("it's Zodwa, z o d w a, i was nineteen then", "z o d w a", ", i was"),
        ("her name was Thandi, t h a n d i, a nurse at the clinic", "t h a n d i", ", a nurse"),
    ],
)
def test_a_spelled_name_ends_before_the_pronoun_or_article_after_it(form, text: str, letters: str, after: str) -> None:
    said = form(text)
    at = said.lower().index(letters)
    spans = [s for s in detect(said) if s.start <= at < s.end]
    assert spans and spans[0].end == at + len(letters), [s.text for s in spans]


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "and i, i, i, i didn't know what to say",  # a stutter
        "easy as a, b, c, d, that's what he said",  # the alphabet
        "they said it asap, a s a p, like right now",  # an abbreviation said letter by letter
        "the plate was k t r, four four nine, on a grey car",  # letters beside numbers: a plate's
        "we got double a batteries at the store",
        "I got an A, a B, and a C on my report",
        "my mama and my auntie came, and the ymca let us stay",
    ],
)
def test_letters_said_in_talk_are_no_spelled_name(form, text: str) -> None:
    said = form(text)
    assert not [s for s in detect(said) if s.label == "PERSON"], [s.text for s in detect(said)]


LIST = [
    KnownIdentifier("Tendai Moyo", "PERSON"),
    KnownIdentifier("Millbrook", "LOCATION"),
]


@FORMS
@pytest.mark.parametrize(
    ("text", "letters", "label"),
    [
        ("Moyo, M, O, Y, O, he was the one.", "M, O, Y, O", "PERSON"),
        ("it was T.E.N.D.A.I. who kept me", "T.E.N.D.A.I", "PERSON"),
        ("we lived at m i double l b r o o k for a year", "m i double l b r o o k", "LOCATION"),
        ("we lived at M I L L B R O O K then", "M I L L B R O O K", "LOCATION"),
        ("he said t, e, n, um, d a i, like that", "t, e, n, um, d a i", "PERSON"),
    ],
)
def test_a_listed_name_spelled_is_found_with_its_label(form, text: str, letters: str, label: str) -> None:
    said = form(text)
    at = said.lower().index(form(letters).lower())
    spans = [s for s in detect(said, LIST) if s.start <= at < s.end]
    assert spans and spans[0].label == label and spans[0].end >= at + len(form(letters))


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "Moyo, A, S, A, N, T, E, he was the one.",
        "K.W.A.B.E.N.A. kept me",
        "k w a, um, b e n a kept me",
        "capital q, u, i, double l, b, r, double o, k is the shelter",
        "Q U I L L B R O O K",
    ],
)
def test_the_scrub_replaces_a_listed_name_spelled_in_any_form(form, text: str) -> None:
    scrub = Scrubber([("Kwabena Asante", "[PERSON 1]"), ("Asante", "[PERSON 1]"), ("Kwabena", "[PERSON 1]"),
                      ("Quillbrook", "[PLACE 1]")])  # fmt: skip
    out = scrub(form(text))
    assert "[" in out
    letters = "".join(c for c in out.lower() if c.isalpha())
    for name in ("asante", "kwabena", "quillbrook"):
        assert name not in letters.replace("person", "").replace("place", ""), out


@pytest.mark.parametrize(
    "text", ["a sante fe trip", "I can kw a bit", "the quill brook by the road", "as ante up", "k, w, a, i"]
)
def test_the_scrub_leaves_letters_that_spell_no_listed_name(text: str) -> None:
    scrub = Scrubber([("Kwabena", "[PERSON 1]"), ("Asante", "[PERSON 1]"), ("Quillbrook", "[PLACE 1]")])
    assert scrub(text) == text
