"""QA Y5: a nickname said in quotes or brackets inside a name let the nickname and the surname out, cased and
lowercased (`tyrell "ty" banks` -> `[PERSON 7] "ty" banks`): the name, its nickname and its other name are one span
now (persons.nicknamed). And a lowercased given name after "that" was taken for a common noun of another language
("after that marisol took me": loanwords.determined), so it went out where its capitalised twin did not."""

from __future__ import annotations

import re

import pytest

from fieldvault.redact.detector import detect
from fieldvault.redact.replace import Placeholders, redact_segments
from fieldvault.redact.review import propose
from fieldvault.transcript import Segment, Transcript

WHOLE_NAMES = [
    # Y5's own lines, as written and lowercased
    ('the same guy, Tyrell "Ty" Banks, out of Modesto', 'Tyrell "Ty" Banks'),
    ('the same guy, tyrell "ty" banks, out of modesto', 'tyrell "ty" banks'),
    # the same shape: curly quotes and a nickname of two words, brackets
    ("my pimp marcus “big m” johnson took me to his house", "marcus “big m” johnson"),
    ("Maria (Mimi) Lopez was the one who sold me.", "Maria (Mimi) Lopez"),
]


@pytest.mark.parametrize(("text", "name"), WHOLE_NAMES)
def test_a_name_with_its_nickname_inside_is_one_span(text: str, name: str) -> None:
    start = text.index(name)
    spans = [(s.start, s.end) for s in detect(text, [])]
    assert (start, start + len(name)) in spans, spans


@pytest.mark.parametrize(
    "lines",
    [
        # Y5's lines: a line that starts with his nickname and surname went out whole ("ty banks and [PERSON] were")
        (
            'the same guy, tyrell "ty" banks, out of modesto.',
            "ty banks and marisol were there.",
            "later tyrell banks came back.",
        ),
        (
            'the same guy, Tyrell "Ty" Banks, out of Modesto.',
            "Ty Banks and Marisol were there.",
            "Later Tyrell Banks came back.",
        ),
        (
            "My pimp Marcus “Big M” Johnson took me.",
            "big m johnson and his brother were there.",
            "later marcus johnson came back.",
        ),
    ],
)
def test_his_name_said_later_without_the_nickname_is_the_same_person(lines: tuple[str, str, str]) -> None:
    """Every form is one person (one entity, so one placeholder once reviewed), and an unreviewed export (undecided
    spans replaced) lets none of his names out."""
    segments = tuple(Segment(float(i), float(i) + 1, line) for i, line in enumerate(lines))
    transcript = Transcript("Rose", "s1", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 2.0, 1.0, "now")
    doc = propose(transcript, [])
    out = " ".join(s.text for s in redact_segments(transcript, doc, Placeholders.build([doc]), True)).lower()
    assert not re.search(r"\b(?:tyrell|ty|banks|marcus|big m|johnson)\b", out), out
    his = [s for s in doc.spans if s.label == "PERSON" and "marisol" not in s.text.lower()]
    assert len(his) == 3 and len({s.entity for s in his}) == 1, [(s.text, s.entity) for s in doc.spans]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("so after that marisol took me to the police station in fresno", "marisol"),  # Y5's line
        ("so after that, yesenia drove me back to the house", "yesenia"),
        ("after that lakeisha told her everything", "lakeisha"),  # a name the lists do not hold, doing to someone
    ],
)
def test_a_lowercased_name_after_that_is_proposed(text: str, name: str) -> None:
    start = text.index(name)
    assert any(s.start <= start and start + len(name) <= s.end for s in detect(text, [])), detect(text, [])


@pytest.mark.parametrize(
    "text",
    [
        'i told him "no" and then i left',  # a word said in quotes between words, no nickname
        'she called him "daddy" again and again',
    ],
)
def test_words_said_in_quotes_are_no_nickname(text: str) -> None:
    assert not any('"' in s.text for s in detect(text, [])), detect(text, [])


def _covered(text: str, word: str, at: int) -> bool:
    """Whether a span of ``detect`` covers the ``at``-th mention of ``word`` (from 0)."""
    start = [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", text)][at]
    return any(s.start <= start and start + len(word) <= s.end for s in detect(text, []))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # qa22 (Y5's rest): a street name and a surname said alone later, lowercased, went out
        ('the man who had me was dwayne "smoke" jefferson. later smoke came by the house with a gun.', "smoke"),
        (
            'tyrell "ty" banks ran the track on fourth. ty would take all the money, and banks never got caught.',
            "banks",
        ),
        # the same shape: a nickname and a surname that are everyday words, in a person's slot
        ('her pimp was darnell "money" brooks. and money never let us keep a dollar.', "money"),
        ("her name was destiny rivers. she left in june, and rivers came to see me later.", "rivers"),
        # qa23 (AA7): cased, where the next sentence starts, it went out
        ('The man was Marcus "Boogie" Tate, out of Flint. Boogie kept the girls in line.', "Boogie"),
        ('Her pimp was Darnell "Money" Brooks. Money never let us keep a dollar.', "Money"),
    ],
)
def test_an_everyday_part_of_a_name_said_alone_later_is_the_same_person(text: str, word: str) -> None:
    """detect23: the name made the word a name's part in this text; said later alone where a person goes (a clause's
    subject before its verb), it is that person (persons.parts_said_alone)."""
    assert _covered(text, word, 1), [s.text for s in detect(text, [])]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ('her pimp was darnell "money" brooks. the money was never ours.', "money"),  # after an article: the thing
        ('her pimp was darnell "money" brooks. the money came in every night.', "money"),  # a person's verb after it
        ("her name was destiny rivers. the rivers were high that year.", "rivers"),
        ('my pimp was dwayne "smoke" jefferson. the smoke from the grill was everywhere.', "smoke"),
        ("officer mike ross came to the door. later the officer came back.", "officer"),  # a title, no name's part
    ],
)
def test_the_same_word_said_as_itself_stays(text: str, word: str) -> None:
    assert not _covered(text, word, 1), [s.text for s in detect(text, [])]


@pytest.mark.parametrize(
    ("text", "nickname"),
    [
        # qa22 (Y5's rest): a quoted nickname after the name, both forms
        ('Tyrell Banks, "Ty" to everyone, had a cousin named Andre "Dre" Banks.', "Ty"),
        ('tyrell banks, "ty" to everyone, had a cousin named andre "dre" banks.', "ty"),
        # the same shape: other quotes and cues
        ('Keyonna Price, "Kiki" for short, ran the house.', "Kiki"),
        ("maria lopez, 'mimi' to her friends, came by", "mimi"),
    ],
)
def test_a_quoted_nickname_after_the_name_is_proposed(text: str, nickname: str) -> None:
    """detect23 (persons.nickname_after): the nickname and the surname before it ("banks", where the model found
    "tyrell" alone) are proposed."""
    spans = [s.text for s in detect(text, [])]
    assert nickname in spans and not re.search(rf"\b{text.split()[1].strip(',')}\b", _outside(text)), spans


def _outside(text: str) -> str:
    spans = detect(text, [])
    return "".join(c for i, c in enumerate(text) if not any(s.start <= i < s.end for s in spans))


@pytest.mark.parametrize("text", ['i told maria, "run", and she ran', 'and i said to tasha, "wait", then she left'])
def test_words_said_to_someone_are_no_nickname(text: str) -> None:
    word = re.search(r'"(\w+)"', text).group(1)  # type: ignore[union-attr]
    assert word not in [s.text for s in detect(text, [])]


@pytest.mark.parametrize(
    ("text", "short"),
    [
        # unseen77: a short form beside her full name, set off by a comma, before it or after it
        ("i'm mo, maureen gallagher, i'm from frankford", "mo"),
        ("i'm jo, josephine parks, from trenton", "jo"),
        ("the lady was vi, violet chen, she ran the house", "vi"),
        ("i'm maureen gallagher, mo to my family", "mo"),
    ],
)
def test_a_short_form_beside_the_full_name_is_proposed(text: str, short: str) -> None:
    assert short in [s.text for s in detect(text, [])]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("I'm Maureen Gallagher, mom of three.", "mom"),
        ("i'm mad, maureen gallagher took my kids", "mad"),
        ("Sal Ferrante, sir, said I could make real money", "sir"),
        ("Keisha Odom, me and her went to school together", "me"),
        ("I'm Teresa Lynch, mo, from Kensington.", "mo"),  # lowercase beside a name written with capitals
    ],
)
def test_a_word_beside_a_full_name_that_shortens_nothing_is_left(text: str, word: str) -> None:
    assert word not in [s.text for s in detect(text, [])]
