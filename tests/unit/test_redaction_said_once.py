"""Names said once in a passage with no naming cue of the usual kind, found by the frame English puts them in
(fieldvault/redact/persons.py's SELF_NAMED and BARE_DOER's prison slot; places.py's compass end of a town and a
town named as a town said again), and the same frames where the word is only a word. Cased and lowercased. No
sentence is from a bench corpus."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect

FORMS = pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])


def _found(text: str) -> list[tuple[str, str]]:
    return [(s.text.lower(), s.label) for s in detect(text)]


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # The name she was called by, owned as her own after a call or an ask.
        ("The men on the radio would ask for Cinnamon, that was me, and I hated it.", "cinnamon"),
        ("He'd yell, Tiki, that's me, get in the car.", "tiki"),
        # Who is in prison or jail: a clause's subject no dictionary or kin list holds, or a word that names no thing.
        ("And Zook is in county jail, so I sleep fine.", "zook"),
        ("And ghost was in jail for a week in March.", "ghost"),
    ],
)
def test_a_name_owned_or_in_prison_is_a_person(form, text: str, name: str) -> None:
    assert (name, "PERSON") in _found(form(text))


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "Whoever called for help, that was me.",
        "If somebody asked for money, that was me.",
        "And they'd say sorry, that was me too.",
        "I was in and out of jail for years.",
        "My brother is in prison.",
        "And group is in the jail chapel on Tuesdays.",
        "Everybody was in jail by then.",
    ],
)
def test_a_word_in_those_frames_that_names_no_one_stays(form, text: str) -> None:
    assert [n for n, label in _found(form(text)) if label == "PERSON"] == []


@FORMS
def test_a_compass_end_of_a_town_is_a_place(form) -> None:
    found = _found(form("She grew up in the east end of Akron."))
    assert ("east end", "LOCATION") in found


@FORMS
@pytest.mark.parametrize(
    "text", ["The north end of the lot was dark.", "We stayed at the west end of town.", "the south end of the hall"]
)
def test_the_end_of_a_thing_is_no_place(form, text: str) -> None:
    assert [n for n, _ in _found(form(text)) if "end" in n] == []


@FORMS
@pytest.mark.parametrize(
    ("text", "town", "mentions"),
    [
        ("She was placed in a home in Energy. The town is actually called Energy, no joke.", "energy", 2),
        ("They sent me to Economy, the town is called Economy, and I worked the motel there.", "economy", 2),
        # Said as a word elsewhere, it stays a word: only the town's own mentions after a place's preposition.
        ("I lost my energy in the winter. The town is called Energy.", "energy", 1),
    ],
)
def test_a_town_named_as_a_town_is_that_town_where_a_place_is_said(form, text: str, town: str, mentions: int) -> None:
    assert [n for n, _ in _found(form(text))].count(town) == mentions


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # The nickname, then why it was given (unseen80's "my nickname is baby because ...").
        ("I'm from the coast, and my nickname is Biscuit because I was round.", "biscuit"),
        ("Her nickname was Peanut cause she was so small.", "peanut"),
        # The name she goes by now, after "just".
        ("In the shelter I'm just Bebe, and that's fine.", "bebe"),
        ("At work they say Renata; at home I'm just Tata.", "tata"),
        # The name in use, owned at a clause's start.
        ("Precious is what I use now, since I left.", "precious"),
        ("Button is what they all call me.", "button"),
        ("Biscuit is what I go by these days.", "biscuit"),
    ],
)
def test_a_nickname_given_a_reason_or_a_name_in_use_is_a_person(form, text: str, name: str) -> None:
    """unseen79 and unseen80 (Sisi, Grace, Baby): a name said once in a frame that owns it as the name in use ("I'm
    just X", "X is what I use now", "my nickname is X because")."""
    assert (name, "PERSON") in _found(form(text))


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "I'm just tired, and I want to sleep.",
        "Honestly, I'm just happy now.",
        "I'm just saying.",
        "I'm just me now.",
        "She's just Mom here.",
        "Crack is what I use now.",
        "Methadone is what I use now.",
        "This is what they call a loverboy.",
        "That is what I go by.",
        "Crack is what they called me.",
        "Tide is what I use now.",
        "My nickname was stupid because I was slow, he said.",
    ],
)
def test_words_in_those_frames_that_name_no_one_stay(form, text: str) -> None:
    assert [n for n, label in _found(form(text)) if label == "PERSON"] == []
