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
