"""An age over 89 leaves an export as "90 or older" (HIPAA Safe Harbor; QA Z3: "Mae,93,..." went out in the
demographics and as her case's variable in qdpx)."""

from __future__ import annotations

import pytest

from fieldvault.export.gate import OVER_89, build
from fieldvault.export.selection import Request
from fieldvault.study import Study
from tests import stewardship
from tests.stewardship import JUNE, ROSA, add_person, transcribe_and_review


def test_an_age_over_89_leaves_as_90_or_older_and_one_of_89_as_it_is(
    study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    for person, age in ((ROSA, 93), (JUNE, 89)):
        monkeypatch.setattr(stewardship, "ANSWERS", {**stewardship.ANSWERS, "age": age})
        (session,) = add_person(study, person)
        transcribe_and_review(study, identities, person, session)
    people = build(study, identities, Request()).bundle.participants
    ages = sorted((a.value for p in people for a in p.answers if a.field == "age"), key=str)
    assert ages == [89, OVER_89]
    entries = {a.value for p in people for a in p.answers if a.field == "age_at_entry"}
    assert entries == {19}  # an age not over 89 is as it was


def test_where_her_age_is_over_89_her_other_numbers_that_add_up_to_it_are_withheld(
    study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """qa25 QA14: age 92 went out as "90 or older" beside age at entry 16, years involved 70 and years out 6, which
    add up to 92. Safe Harbor takes the elements indicative of such an age too: hers are withheld; another woman's
    are as they were."""
    from fieldvault.export.gate import WITHHELD_OVER_89

    over = {"age": 92, "age_at_entry": 16, "years_involved": 70, "years_out": 6}
    for person, answers in ((ROSA, over), (JUNE, {"age": 89, "years_involved": 70})):
        monkeypatch.setattr(stewardship, "ANSWERS", {**stewardship.ANSWERS, **answers})
        (session,) = add_person(study, person)
        transcribe_and_review(study, identities, person, session)
    people = {
        p.name: {a.field: a.value for a in p.answers} for p in build(study, identities, Request()).bundle.participants
    }
    rosa, june = people[ROSA.pseudonym], people[JUNE.pseudonym]
    assert (rosa["age"], rosa["age_at_entry"]) == (OVER_89, 16)
    assert rosa["years_involved"] == rosa["years_out"] == WITHHELD_OVER_89
    assert (june["age"], june["years_involved"]) == (89, 70)


def test_an_age_over_89_in_her_typed_answer_leaves_as_90_or_older(
    study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """qa25 QA20: "90 or older" went out beside her typed answer "I am 92 years old and my mother is ninety five".
    Each age over 89 in free text leaves as the category her age leaves as; an age under 90 and other numbers stay."""
    typed = "I am 92 years old and my mother is ninety five. My son is 60, I paid 92 dollars in 1992."
    monkeypatch.setattr(stewardship, "ANSWERS", {**stewardship.ANSWERS, "age": 92, "services_used": typed})
    (session,) = add_person(study, ROSA)
    transcribe_and_review(study, identities, ROSA, session)
    (rosa,) = build(study, identities, Request()).bundle.participants
    answers = {a.field: a.value for a in rosa.answers}
    assert answers["age"] == OVER_89
    assert answers["services_used"] == (
        f"I am [{OVER_89}] years old and my mother is [{OVER_89}]. My son is 60, I paid 92 dollars in 1992."
    )


def test_a_year_of_birth_over_89_years_back_and_an_age_set_off_by_commas_in_her_typed_answer_leave(
    study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """qa26's rest of QA20 in free text no reviewer reads: "born in 1931" (read against the export's year: the text
    was written by then) and "my grandma, 94," went out as typed; a later year of birth and other years stay."""
    typed = "I was born in 1931. My grandma, 94, still drives. My son was born in 1985; we moved in 1931."
    monkeypatch.setattr(stewardship, "ANSWERS", {**stewardship.ANSWERS, "services_used": typed})
    (session,) = add_person(study, ROSA)
    transcribe_and_review(study, identities, ROSA, session)
    (rosa,) = build(study, identities, Request()).bundle.participants
    answers = {a.field: a.value for a in rosa.answers}
    assert answers["services_used"] == (
        f"I was born in [DATE]. My grandma, [{OVER_89}], still drives. My son was born in 1985; we moved in 1931."
    )


def test_an_age_or_a_year_of_birth_is_replaced_where_said_and_the_same_number_elsewhere_stays(
    study: Study, identities: list
) -> None:
    """An accepted age "92" went out as "Room [90 or older]" too, in her lines and every other woman's (the export
    searched every string for the span's text, as for a name), and "1931" of "born in 1931" would blank every year
    1931 in the study. A number is an age or a year of birth only where it was said."""
    from dataclasses import replace

    said = "I'm 92. Room 92 was ours. I was born in 1931; the church was built in 1931."
    rosa, june = replace(ROSA, said=f"{ROSA.said} {said}"), replace(JUNE, said=f"{JUNE.said} We had room 92 in 1931.")
    for person in (rosa, june):
        (session,) = add_person(study, person)
        transcribe_and_review(study, identities, person, session)
    lines = {s.participant: s.lines[-1].text for s in build(study, identities, Request()).bundle.sessions}
    assert lines[ROSA.pseudonym].endswith(
        f"I'm [{OVER_89}]. Room 92 was ours. I was born in [DATE]; the church was built in 1931."
    )
    assert lines[JUNE.pseudonym].endswith("We had room 92 in 1931.")
