"""A name after "madam", "mister" or "captain" (said before a name as "judge" or "sister" are), as written and
lowercased, however rare the name; the title alone, before a verb or a preposition, is no name."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect
from tests.redaction_forms import covered as _covered
from tests.redaction_forms import forms as _forms
from tests.redaction_forms import spans as _spans


@pytest.mark.parametrize(
    "marked",
    [
        "a woman in our street, madam [Ese], took me to the doctor",
        "the skipper, captain [Sio], locked the galley at night",
    ],
)  # fmt: skip
def test_a_rare_name_after_madam_mister_or_captain_is_found(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "the madam took my phone and the madam was angry with all of us",
        "the captain said no, and the mister in the office agreed",
        "she was the madam in that house for years",
    ],
)  # fmt: skip
def test_the_title_alone_is_no_name(text: str) -> None:
    for form in (text, text.lower()):
        said = [(s.label, s.text) for s in detect(form) if s.label == "PERSON"]
        assert said == [], (form, said)
