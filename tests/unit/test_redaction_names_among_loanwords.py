"""QA T9: the gate for words of another language said among English (fieldvault/redact/loanwords.py) took women's
names for common nouns where these interviews use them most: a name explained after a naming cue ("we call him tunde,
like a father to me"), her real name after her pseudonym ("My name is Rose, I'm Zanele"), girls sold, brought, given
and made to work ("my mother sold zodwa", "the pimp brought us thandi and lerato"), "the lerato from the office", and
every mention of a name once one mention read as a common noun ("the sipho was kind" beside "with sipho"). Each was
proposed before the gate; each left an unreviewed export in clear."""

from __future__ import annotations

import pytest

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect
from fieldvault.redact.review import propose
from fieldvault.transcript import Segment, Transcript

NAMES = [
    ("my uncle sold ayanda when she was twelve.", "ayanda"),
    ("My uncle sold Ayanda when she was twelve.", "Ayanda"),
    ("they sold nomvula to a man in durban.", "nomvula"),
    ("he traded ngozi for a car.", "ngozi"),
    ("we call him tunde, like a father to me.", "tunde"),
    ("We called her Ifeoma, like a sister.", "Ifeoma"),
    ("I named her Chiamaka, like my mother.", "Chiamaka"),
    ("Her name is Ngozi, like my grandmother.", "Ngozi"),
    ("Everyone calls her Nneka, which means mother is supreme.", "Nneka"),
    ("the lerato from the office helped me.", "lerato"),
    ("i went with nomvula to the shelter. she said the nomvula i knew was gone.", "nomvula"),
    ("sipho took me there. we stayed two nights with sipho. the sipho was kind.", "sipho"),
    ("the pimp brought us thandi and lerato from the village.", "thandi"),
    ("the pimp brought us thandi and lerato from the village.", "lerato"),
    ("my aunt brought me zodwa, she was only nine.", "zodwa"),
    ("my mother sold zodwa, my little sister.", "zodwa"),
    ("you can call me rose, i'm zanele really.", "zanele"),
    ("My name is Rose, I'm Zanele.", "Zanele"),
    ("they gave me sipho to look after.", "sipho"),
    ("she gave us ayanda and chipo to raise.", "ayanda"),
    ("they made zodwa dance for them.", "zodwa"),
    ("my uncle makes ayanda work at night.", "ayanda"),
    ("the boss would bring us thandeka every friday.", "thandeka"),
    ("lunch was thandi's job.", "thandi"),
    # QA T9's rest: a family's daughters or sons ("the khumalo girls"), what she was made to wear of someone's
    ("the pimp sold the khumalo girls to a man in durban.", "khumalo"),
    ("The Dlamini boys came back for us.", "Dlamini"),
    ("i had to wear nomvula's clothes that week.", "nomvula"),
    ("They made me wear Maria's clothes.", "Maria"),
]


@pytest.mark.parametrize(("text", "name"), NAMES)
def test_a_name_where_people_are_named_sold_given_or_made_to_is_proposed_at_every_mention(text: str, name: str) -> None:
    spans = detect(text, [])
    starts = [i for i in range(len(text)) if text.startswith(name, i)]
    assert starts and all(any(s.start <= i < s.end for s in spans) for i in starts), [(s.text, s.source) for s in spans]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("we eat momo and chowmein on sundays.", "chowmein"),
        ("the marshrutka drivers know every girl.", "marshrutka"),
        ("he always wore Jordans.", "Jordans"),
        ("i speak tamang and a bit of nepali, my name is pa sang, i'm tamang.", "tamang"),
    ],
)
def test_words_of_another_language_as_common_nouns_are_still_not_names(text: str, word: str) -> None:
    """The gate still works where no naming, trading or giving is said."""
    assert not any(word in s.text for s in detect(text, [])), [(s.text, s.source) for s in detect(text, [])]


@pytest.mark.parametrize(
    "text",
    [
        "we had the thandeka ceremony for her.",
        "my thandeka is strong, she never gave up.",
        "The Thandeka ceremony was long.",
        "My Thandeka is strong.",
    ],
)
def test_her_listed_name_said_as_a_kind_or_after_a_possessive_is_proposed(text: str) -> None:
    """QA T9's rest: listed, "Thandeka" is proposed wherever it is said, whatever the gate makes of the words around
    it ("the thandeka ceremony", "my thandeka"), in one text and over a whole transcript. Unlisted, nothing in the
    words tells them from the gate's common nouns ("the kothi girls", "the teuila festival"), and the gate decides."""
    known = [KnownIdentifier("Thandeka")]
    assert [(s.text.lower(), s.source) for s in detect(text, known)] == [("thandeka", "known")]
    segments = (Segment(0.0, 2.0, "we met at the clinic."), Segment(2.0, 4.0, text))
    transcript = Transcript("Rose", "s1", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 4.0, 1.0, "now")
    spans = propose(transcript, known).spans
    assert [(s.segment, s.text.lower(), s.source) for s in spans] == [(1, "thandeka", "known")]
