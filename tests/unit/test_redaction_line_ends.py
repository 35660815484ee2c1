"""QA U3: a place at the end of a line, or of a Whisper segment with no full stop, took the next one's first word:
"we lived in Modesto" | "When I was nine" exported as "we lived in [PLACE] [PLACE] I was nine", a journal's heading
"... in Tulare" and "She was nervous." as "in [PLACE] was nervous.". A span stops where a line or a segment ends
before a function word, or before a new name that opens the next clause (U3's rest); a number, a listed identifier
and a name's parts still run on."""

from __future__ import annotations

import pytest

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect
from fieldvault.redact.joined import detect_segments
from fieldvault.redact.review import propose
from fieldvault.transcript import Segment, Transcript


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


# U3's rest: a name that opens the next line's clause is a new name, not the end of the place before it ("we lived in
# Lodi" / "Maria came to get me" was one span "Lodi Maria", a place); each keeps its own label.
_NEW_NAME_AFTER_A_BREAK = [
    ("we lived in Lodi", "Maria came to get me", [("Lodi", "LOCATION"), ("Maria", "PERSON")]),
    ("I went with Maria", "Lodi was where we lived", [("Maria", "PERSON"), ("Lodi", "LOCATION")]),
    ("we lived in lodi", "maria came to get me", [("lodi", "LOCATION"), ("maria", None)]),
    ("i went with maria", "lodi was where we lived", [("maria", "PERSON"), ("lodi", "LOCATION")]),
]


@pytest.mark.parametrize(("first", "second", "names"), _NEW_NAME_AFTER_A_BREAK)
def test_a_new_name_after_a_line_break_is_its_own_span(
    first: str, second: str, names: list[tuple[str, str | None]]
) -> None:
    spans = [(s.text, s.label) for s in detect(f"{first}\n{second}")]
    assert [t for t, _ in spans] == [t for t, _ in names], spans
    assert all(label in (None, found) for (_, label), (_, found) in zip(names, spans, strict=True)), spans


@pytest.mark.parametrize(("first", "second", "names"), _NEW_NAME_AFTER_A_BREAK)
def test_a_new_name_after_a_segment_s_end_is_its_own_span(
    first: str, second: str, names: list[tuple[str, str | None]]
) -> None:
    found = detect_segments([first, second])
    assert [(f.segment, f.span.text, f.part) for f in found] == [(0, names[0][0], None), (1, names[1][0], None)]
    assert all(label in (None, f.span.label) for (_, label), f in zip(names, found, strict=True))


@pytest.mark.parametrize(("first", "second", "names"), _NEW_NAME_AFTER_A_BREAK)
def test_a_whole_transcript_proposes_the_place_and_the_new_name_as_two_entities(
    first: str, second: str, names: list[tuple[str, str | None]]
) -> None:
    segments = (Segment(0.0, 2.0, first), Segment(2.0, 4.0, second))
    transcript = Transcript("Rose", "s1", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 4.0, 1.0, "now")
    spans = propose(transcript, []).spans
    assert [(s.segment, s.text, s.part) for s in spans] == [(0, names[0][0], None), (1, names[1][0], None)]
    assert spans[0].entity != spans[1].entity


def test_a_name_s_parts_over_a_line_break_stay_one_name() -> None:
    spans = detect("I stayed with Maria\nGonzalez and her kids")
    assert [(s.text, s.label) for s in spans] == [("Maria\nGonzalez", "PERSON")]


def test_a_listed_identifier_keeps_its_line_break() -> None:
    text = "She lived on Van\nBuren Street then."
    spans = detect(text, [KnownIdentifier("Van Buren Street", "LOCATION")])
    assert [(s.text, s.source) for s in spans] == [("Van\nBuren Street", "known")]
