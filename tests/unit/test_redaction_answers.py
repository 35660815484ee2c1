"""QA s6's leaks in persons, places and organisations, each a family with its hard negatives: a name given as a
short answer to the interviewer's question (D16, through the transcript's proposals, question and answer being two
segments), streets named for a state and intersections (D22), the last parts of names (D31), two-word nicknames and
venues (D5), names in another script after a cue (D12). Sentences are QA's reproductions or written for these tests
(none is from the bench corpora)."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect
from fieldvault.redact.review import propose
from fieldvault.transcript import Segment, Transcript


def _transcript(*texts: str) -> Transcript:
    segments = tuple(Segment(float(i), float(i) + 1, t) for i, t in enumerate(texts))
    return Transcript("Rose", "s1", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 2.0, 1.0, "now")


def _proposed(*turns: str) -> dict[tuple[int, str], str]:
    return {(s.segment, s.text): s.label for s in propose(_transcript(*turns), []).spans}


@pytest.mark.parametrize(
    "question, answer, name, label",
    [
        ("What did they call him?", "Smoke.", "Smoke", "PERSON"),
        ("what did they call him?", "smoke.", "smoke", "PERSON"),
        ("And her name?", "Hope.", "Hope", "PERSON"),
        ("what did everybody call your sister?", "peaches, mostly.", "peaches", "PERSON"),
        ("what was the name of the motel?", "the sands.", "sands", "ORG"),
        ("which shelter was that?", "um, the lighthouse.", "lighthouse", "ORG"),
        ("What street was that on?", "Main.", "Main", "LOCATION"),
        ("where did you grow up?", "paradise, mostly.", "paradise", "LOCATION"),
        ("what town was that?", "it was liberty, by the lake.", "liberty", "LOCATION"),
    ],
)
def test_a_short_answer_to_a_question_asking_a_name_is_that_name(
    question: str, answer: str, name: str, label: str
) -> None:
    proposed = _proposed("okay.", question, answer, "and then what happened?")
    assert [lab for (segment, text), lab in proposed.items() if segment == 2 and name in text] == [label]


@pytest.mark.parametrize(
    "question, answer",
    [
        ("What did they call him?", "I don't remember."),
        ("what was his name?", "some guy."),
        ("where did you grow up?", "all over."),
        ("where did you grow up?", "on the streets."),
        ("what was the name of the motel?", "a motel."),
        ("who was your caseworker?", "she was nice."),
        ("what town was that?", "a small one."),
        ("where were you living?", "Texas."),
        ("how did you get out?", "Grace."),  # not a question asking a name: the model's and the cues' business
    ],
)
def test_an_answer_that_names_nothing_is_left(question: str, answer: str) -> None:
    proposed = _proposed(question, answer)
    assert not [key for key in proposed if key[0] == 1 and key[1] != "Grace"]


@pytest.mark.parametrize(
    "text, name",
    [
        # QA D22: a street named for a state, said bare where a street stands
        ("the head start on vermont.", "vermont"),
        ("We lived on Vermont, by the freeway.", "Vermont"),
        ("she was staying off of georgia near the laundromat.", "georgia"),
        ("the clinic on Nebraska, across from the school", "Nebraska"),
        # intersections: an ordinal, "main" or a state beside a street's name
        ("we worked washington and third.", "washington and third"),
        ("We worked Washington and Third.", "Washington and Third"),
        ("i'm from the south side, like sixty third and halsted, my granny's house", "sixty third and halsted"),
        ("we worked ninth and pike every night", "ninth and pike"),
        ("The Downtown Eastside, Main and Hastings, I was there for years.", "Main and Hastings"),
    ],
)
def test_a_street_named_for_a_state_and_an_intersection_are_streets(text: str, name: str) -> None:
    assert {s.text: s.label for s in detect(text)}.get(name) == "LOCATION"


@pytest.mark.parametrize(
    "text",
    [
        "we moved to vermont in the spring.",
        "she lived in vermont, by the lake.",
        "we went all over, washington and oregon and idaho.",
        "on the first and second day we stayed inside.",
        "it was third and long, the game was over.",
        "first and foremost i want to say thank you.",
        "my kids, second and third graders now.",
        "he was on texas time, always late.",
    ],
)
def test_states_ranks_and_counts_are_no_streets(text: str) -> None:
    assert [s for s in detect(text) if s.label == "LOCATION"] == []


@pytest.mark.parametrize(
    "text, name",
    [
        # QA D31: the last parts of names
        ("my cousin le thi mai came with me.", "le thi mai"),
        ("my friend tran van hung drove us.", "tran van hung"),
        ("the doctor was dr. van der berg at the clinic.", "van der berg"),
        ("his boy lil' june did the pickups.", "lil' june"),
        # QA D5: two-word nicknames and venues, lowercase
        ("the drivers knew me as cherry pie on the cb.", "cherry pie"),
        ("my best friend was a girl we called red bone.", "red bone"),
        ("they called her sweet tea because she was from the south.", "sweet tea"),
        ("on the street i was candy girl.", "candy girl"),
        ("we called the house the blue trap.", "blue trap"),
        ("everybody called it the white castle, that place.", "white castle"),
        ("the motel was the sands.", "sands"),
        # QA D12: a name in its own script after a cue
        ("she came from Chisinau with Оксана.", "Оксана"),
        ("my sister's name is Ангелина.", "Ангелина"),
    ],
)
def test_the_whole_name_is_found(text: str, name: str) -> None:
    assert name in {s.text for s in detect(text)}


def test_a_nickname_takes_no_word_that_goes_on_the_sentence() -> None:
    assert [s.text for s in detect("they called me sugar all the time.")] == ["sugar"]
    assert detect("they called me stupid all the time.") == []  # an insult, no name (QA E21)


def test_a_short_name_said_again_at_once_is_found_again() -> None:
    found = [s.text for s in detect("his partner was a guy named bin, just bin.")]
    assert found == ["bin", "bin"]


@pytest.mark.parametrize(
    "text",
    [
        "we called it quits after that.",
        "they called it a night.",
        "i call it home now.",
        "the motel was the worst.",
        "the club was the place to be.",
        "the shelter was full, so we slept outside.",
        "i was tired girl, i'm not gonna lie.",
        "i hope, just hope it works out.",
        "we say спасибо",
    ],
)
def test_everyday_talk_around_those_rules_is_left(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "They called me stupid, they called me worthless.",
        "they called me names, bad names.",
        "he called me a liar and worse",
        "My son was born in the winter, right after Christmas.",
        "my daughter was born in the summer.",
        "she was born in the middle of the night.",
        "What street? I don't know, somewhere downtown.",
        "which road did you take?",
    ],
)
def test_insults_seasons_and_the_question_itself_are_no_identifiers(text: str) -> None:
    """QA E21: "called me stupid" went out as [PERSON] (the words a coder of an abuse narrative codes), "born in the
    winter" as [ORG], and the interviewer's "What street?" as [LOCATION]."""
    assert detect(text) == []


def test_the_one_she_means_is_no_name_but_a_named_one_is() -> None:
    assert _proposed("What street was it on?", "The main one.") == {}
    assert _proposed("What street was it on?", "Figueroa.") == {(1, "Figueroa"): "LOCATION"}
    assert [s.text for s in detect("they called me Candy on the track")] == ["Candy"]
