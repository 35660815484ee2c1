"""Numbers by their shape wherever they come from: phones and ID cards written in the groups other countries print
(8 digits in fours, pairs, threes, a letter and dots), long IDs said in groups with a birth year inside, a number's
last digits after "ended" and fillers, a case number's series after "stroke" or ", of," and its year first, a phone's
last group after "like", a day said as a count before its month. Each as written and lowercased, with the counts,
amounts, years and phrases these rules must leave."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect
from tests.redaction_forms import covered as _covered
from tests.redaction_forms import forms as _forms
from tests.redaction_forms import spans as _spans


@pytest.mark.parametrize(
    "marked",
    [
        "Her Estonian number, the one she still answers, is [5123 4567].",
        "You can reach the shelter in Tallinn on [6612 0934] most evenings.",
        "In Dakar he gave me his card, [77 412 58 36], and said to call at night.",
        "Her mobile in Madrid was [612 345 781], and she changed it after the trial.",
        "Call the shelter in town on [076 412963] after six.",
        "The landlord in Lyon, his was [472 15 88 30], the office one.",
        "He kept my carnet, [E-18.442.907], and the other girls' papers too.",
        "The officer kept my card, [V-21.307.694], in his desk.",
        "Now I have a Chilean residence card and a RUT, [25.481.337-2], and I work in a shop.",
        "Her RUT was [9.876.543-K] on the paper the PDI gave her.",
        "the lawyer asked for my cpf, [123.456.789-09], and wrote it down",
        "my cedula number is [1.023.456.789], the colombian one",
        "my rut is, um, [one two three four five k], i had to learn it",
    ],
)  # fmt: skip
def test_numbers_printed_in_other_countries_groups_are_whole(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "The house cost 2.500.000 pesos and the car 12 500 000 more.",
        "The debt was 1.023.456 pesos, then 1.500.000 and more.",
        "I was stuck in a rut for 12345 days, that's how it felt.",
        "We worked there 2015 2016 and most of 2017.",
        "The girls were 14 15 16 17 years old, all of them.",
        "The school year 2019/2020 was the last one, and in 2021/22 it closed.",
        "She stayed at the house from 1998 to 2004, then moved.",
    ],
)  # fmt: skip
def test_amounts_years_and_ages_in_groups_are_no_number(text: str) -> None:
    for form in (text, text.lower()):
        said = [(s.label, s.text) for s in detect(form) if s.label in ("ID", "CONTACT")]
        assert said == [], (form, said)


@pytest.mark.parametrize(
    "marked",
    [
        "my cedula, it's, uh, [four two oh one, nineteen eighty eight, oh oh seven one two], and the lawyer kept it",
        "and her number ended, um, [three three, nine one], that's all i have",
        "my prison number there was [three seven two, stroke, twenty], and nobody came",
        "the case was [c r, two two eight, of, twenty nineteen], at the district court",
        "her number was, um, [oh seven seven, three one two, four four, like, nine one], and she never answered",
        "The case was heard as [KB 2021/0388] in the spring.",
        "My case at the magistrates court in the north was [HN 0932/21], and I gave evidence.",
        "they came for me on, uh, [the nineteen of june], early in the morning",
    ],
)  # fmt: skip
def test_spoken_groups_series_and_days_are_whole(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "she counted them out, one, two, three, four, five, six, seven, eight, nine, and stopped",
        "we moved in nineteen ninety seven, nineteen ninety eight and then again in two thousand",
        "the phone call ended, um, forty five minutes later, and she cried",
        "the two of us left in june and the three of them in may",
        "we were open twenty four slash seven that summer",
        "we were open 24/7 at 6 PM 123/45 days, and 9/11 changed it",
    ],
)  # fmt: skip
def test_counts_years_and_parties_are_no_number(text: str) -> None:
    for form in (text, text.lower()):
        said = [(s.label, s.text) for s in detect(form) if s.label in ("ID", "CONTACT", "DATE")]
        assert said == [], (form, said)


@pytest.mark.parametrize(
    "marked",
    [
        "One of the men used the name Daddy Bear and the account [bigbear_1961] for the orders.",
        "her boyfriend had a snapchat, [big_mo_moneybag], and he put my pictures on there",
        "my insta back then was [kaylaluvs_trucks], and he made me post on it",
        "He messaged me from [@luv_kayla.99] every night.",
    ],
)  # fmt: skip
def test_a_handle_written_with_an_underscore_is_a_contact(marked: str) -> None:
    """Two leaks of the fresh corpora of 2026-11-29 (unseen79, unseen80): a handle said with no cue the layers know.
    No word of speech has an underscore; every one in the corpora is someone's account."""
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))
        assert ("CONTACT", target.lower() if text.islower() else target) in _spans(text), _spans(text)
