"""An age over 89 said in a transcript is proposed (a DATE under HIPAA Safe Harbor) and leaves as "[90 or older]",
in digits and in words (qa25 QA20: "i am ninety two years old", "I'm 92." went out as said); an age of 89 or under
and numbers that are no one's age are left as they are. Cased, lowercased and NFD."""

from __future__ import annotations

import unicodedata

import pytest

from fieldvault.redact.detector import detect
from fieldvault.redact.joined import detect_segments
from fieldvault.redact.replace import category

FORMS = pytest.mark.parametrize(
    "form", [str, str.lower, lambda t: unicodedata.normalize("NFD", t)], ids=["cased", "lowercased", "nfd"]
)


@FORMS
@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("i am ninety two years old now", "ninety two"),
        ("I'm 92.", "92"),
        ("She is ninety-two years of age and still sharp.", "ninety-two"),
        ("Aged 93, she still walks to church.", "93"),
        ("she was 91 when she passed", "91"),
        ("my grandmother is 95", "95"),
        ("at ninety-three he still came around", "ninety-three"),
        ("A 94-year-old lady lived next door.", "94"),
        ("My nana just turned 90 in March.", "90"),
        ("She is a hundred and one.", "a hundred and one"),
        ("she was like 91 and still working", "91"),
    ],
)
def test_an_age_over_89_is_proposed_and_leaves_as_90_or_older(form, text: str, age: str) -> None:
    text, age = form(text), form(age)
    (span,) = [s for s in detect(text) if text[s.start : s.end] == age]
    assert span.label == "DATE"
    assert category(span.label, span.text) == "[90 or older]"


@FORMS
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("i am thirty two years old", "thirty two"),
        ("he was 89 when he died", "89"),
        ("I paid 92 dollars for it", "92"),
        ("I was born in 1992", "1992"),
        ("it was 95 degrees out", "95"),
        ("I'm 92 percent sure", "92"),
        ("I was ninety pounds back then", "ninety"),
        ("I felt a hundred years old", "hundred"),
        ("we took the 95 north", "95"),
        ("I'm 90 or older, that's all I'll say", "90"),
    ],
)
def test_an_age_under_90_and_numbers_that_are_no_age_stay(form, text: str, number: str) -> None:
    text = form(text)
    at = text.index(number)
    assert not any(s.start < at + len(number) and at < s.end for s in detect(text))


@pytest.mark.parametrize(
    ("said", "age"),
    [
        (["How old are you now?", "Ninety-two."], (1, "Ninety-two")),
        (["How old was she when she passed?", "Um, 91, I think."], (1, "91")),
        (["How old are you?", "Oh, a hundred and one."], (1, "a hundred and one")),
    ],
)
def test_an_age_over_89_said_as_the_answer_to_how_old_is_proposed(said: list[str], age: tuple[int, str]) -> None:
    """The interviewer asks in one segment, she answers with the number alone in the next: no words about an age
    stand beside it but the question's."""
    found = [(f.segment, f.span.text) for f in detect_segments(said) if f.span.label == "DATE"]
    assert found == [age]
    assert [f for f in detect_segments(["How old were you then?", "19."])] == []
    assert [f for f in detect_segments(["How old are you?", "92 dollars a week is what I got."])] == []
