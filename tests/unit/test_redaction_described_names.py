"""Working names and nicknames that are describing words or everyday words, said where English puts a person: a
describing word alone as a clause's subject before what only a person does ("slim took my phone": English puts no
bare adjective there), and a word said with the speaker as the subject ("peaches and me worked the same corner").
With the talk in those slots that names no one: an adjective before a pronoun, an illness taking over, kin and
people words. Cased and lowercased; no sentence is from a bench corpus."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect

FORMS = pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("slim took my phone and kept it.", "slim"),
        ("After that slim told me to get in the car.", "slim"),
        ("and sweet drove me to the motel every night", "sweet"),
        ("Then shorty came to get us, it was late.", "shorty"),
        ("red kept all our passports in a bag.", "red"),
        ("peaches and me worked the same corner for a year.", "peaches"),
        ("Honey and I moved into the house on the hill.", "honey"),
    ],
)
def test_a_describing_or_everyday_word_in_a_person_s_slot_is_a_name(form: object, text: str, name: str) -> None:
    written = form(text)  # type: ignore[operator]
    assert name in [s.text.lower() for s in detect(written)], detect(written)


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "Funny he said that to me.",
        "sure she did, she always did.",
        "quiet was all i wanted.",
        "getting sober took me two years.",
        "sick took over my whole body.",
        "i was slim back then, i weighed nothing.",
        "they called me lazy and stupid.",
        "sugar was all we ate some days.",
        "mom and me went to the store.",
        "sis and me went out.",
        "school and i never got along.",
        "the kids and me went to the shelter.",
        "coffee and me had a thing going.",
        "nobody told me anything.",
        "Something told me to run.",
    ],
)
def test_the_same_slots_in_ordinary_speech_name_no_one(form: object, text: str) -> None:
    written = form(text)  # type: ignore[operator]
    assert detect(written) == []
