"""QA U3: a place at the end of a line, or of a Whisper segment with no full stop, took the next one's first word:
"we lived in Modesto" | "When I was nine" exported as "we lived in [PLACE] [PLACE] I was nine", a journal's heading
"... in Tulare" and "She was nervous." as "in [PLACE] was nervous.". A span stops where a line or a segment ends
before a function word; a number, a listed identifier and a name's parts still run on."""

from __future__ import annotations

import pytest

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect
from fieldvault.redact.joined import detect_segments


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("I grew up in Lodi\nWhen I was nine we moved.", "Lodi"),
        ("# After meeting her in Tulare\n\nShe was nervous.", "Tulare"),
        ("we lived in Fresno\nThe house was cold", "Fresno"),
        ("we lived in fresno\nthe house was cold", "fresno"),
    ],
)
def test_a_place_at_a_line_s_end_stops_there(text: str, place: str) -> None:
    spans = [(s.text, s.label) for s in detect(text)]
    assert (place, "LOCATION") in spans, spans


@pytest.mark.parametrize(
    ("texts", "pieces"),
    [
        (["Later my aunt took us in and we lived in Modesto", "When I was nine we moved again."], ["Modesto"]),
        (["we lived in Fresno", "The house was cold."], ["Fresno"]),
        # what runs on past a segment's end still does: a phone, a name's parts
        (
            ["call me at nine one six", "five five five oh one four two"],
            ["nine one six", "five five five oh one four two"],
        ),
        (["I stayed with Maria", "Gonzalez and her kids"], ["Maria", "Gonzalez"]),
    ],
)
def test_a_span_stops_at_a_segment_s_end_before_a_function_word(texts: list[str], pieces: list[str]) -> None:
    assert [f.span.text for f in detect_segments(texts)] == pieces


def test_a_listed_identifier_keeps_its_line_break() -> None:
    text = "She lived on Van\nBuren Street then."
    spans = detect(text, [KnownIdentifier("Van Buren Street", "LOCATION")])
    assert [(s.text, s.source) for s in spans] == [("Van\nBuren Street", "known")]
