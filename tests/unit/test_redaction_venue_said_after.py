"""Bars, shelters and programmes named with everyday words, then said what they were: "at the corner pocket, a bar on
fifth", "golden moon was a karaoke bar", "new beginnings, that's the program i did". With what ordinary speech says
of a place in the same shape ("the old place was a bar", "the back room was a brothel", "my first job was a bar").
Cased and lowercased; no sentence is from a bench corpus."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect

FORMS = pytest.mark.parametrize("form", [str, str.lower], ids=["cased", "lowercased"])


@FORMS
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("we drank at the corner pocket, a bar on fifth street.", "corner pocket"),
        ("the corner pocket was the bar where he sold us.", "corner pocket"),
        ("new beginnings, that's the program i did.", "new beginnings"),
        ("the happy sailor, it was a pub by the docks.", "happy sailor"),
        ("golden moon was a karaoke bar in the city.", "golden moon"),
    ],
)
def test_everyday_words_said_to_be_a_venue_or_a_programme_are_its_name(form: object, text: str, name: str) -> None:
    written = form(text)  # type: ignore[operator]
    assert name in [s.text.lower() for s in detect(written)], detect(written)


@FORMS
@pytest.mark.parametrize(
    "text",
    [
        "the old place was a bar.",
        "the back room was a brothel.",
        "the next building was a shelter.",
        "the whole thing was a program.",
        "my first job was a bar.",
        "the second floor was a brothel.",
        "the first week was a nightmare.",
        "the last one was a motel.",
        "my cousin's place was a shelter for us.",
        "the long drive, it was a hotel at the end.",
        "some nights it was a bar, some nights a club.",
    ],
)
def test_what_a_place_was_names_no_venue(form: object, text: str) -> None:
    written = form(text)  # type: ignore[operator]
    assert detect(written) == []


@FORMS
@pytest.mark.parametrize(
    ("text", "name", "times"),
    [
        ("we drank at the corner pocket, a bar on fifth. the corner pocket closed in 2019.", "corner pocket", 2),
        ("the happy sailor, it was a pub by the docks. he met men at the happy sailor.", "happy sailor", 2),
        ("new beginnings, that's the program i did. new beginnings gave me a bed.", "new beginnings", 2),
        # a part of something, not the name said again
        ("he had an apartment over in east side. the east side of the river was quiet.", "east side", 1),
        ("we drank at the corner pocket, a bar on fifth. it was never a corner pocket to me.", "corner pocket", 1),
        ("we drank at the happy sailor, a pub. i had no happy sailor to come home to.", "happy sailor", 1),
    ],
)
def test_a_venue_s_name_of_everyday_words_is_proposed_when_said_again(
    form: object, text: str, name: str, times: int
) -> None:
    written = form(text)  # type: ignore[operator]
    assert sum(name in s.text.lower() for s in detect(written)) == times, detect(written)
