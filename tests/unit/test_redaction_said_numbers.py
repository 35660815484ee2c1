"""Numbers, contacts and dates in the forms fresh corpora said them (issue 9, unseen11 and unseen12 families), each
tested with variants no corpus holds, as written and lowercased: a phone or an ID said in groups with fillers
between them ("six one two, um, five five five, and then oh, one"), letters said after an ID ("..., a k"), a handle
said in words and then said to be one word, an e-mail whose domain is several words, a date with a comma between
its ordinal day and its month; and the hard negatives beside them (counts, verses, doses, times, prices, ages)."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect

NUMBER_LABELS = ("ID", "CONTACT", "DATE")


def _covered(marked: str) -> list[str]:
    """The letters and digits of each [bracketed] part that no proposed span covers (empty when all are)."""
    text, parts, at = "", [], 0
    for piece in marked.split("["):
        if not at:
            text, at = piece, 1
            continue
        inside, _, rest = piece.partition("]")
        parts.append((len(text), len(text) + len(inside)))
        text += inside + rest
    spans = detect(text)
    return [
        text[a:b] for a, b in parts if any(c.isalnum() and not any(s.start <= a + k < s.end for s in spans)
                                           for k, c in enumerate(text[a:b]))
    ]  # fmt: skip


def _numbers(text: str) -> list[str]:
    return [s.text for s in detect(text) if s.label in NUMBER_LABELS]


PHONES_IN_PIECES = [
    # unseen11's family: fillers and "and then" between the groups, a zero said alone inside the last group
    "you can reach me at [four one six, uh, five five five, oh, two, three, nine]",
    "her cell was [seven oh two, like, eight eight one, um, four, four, one, two], but she changed it",
    "call me, it's [nine one nine, then four four two, then oh, oh, six, seven]",
    "text me at [three three oh, uh, two one two, uh, five, five, oh, nine]",
    "the number was [eight one six, dash, four four one, dash, nine oh oh two]",
    "My phone number is [two oh six, so, eight three one, and, um, seven seven four two].",
]
IDS_IN_PIECES = [
    "My DCDC number is [three four one, um, two two nine], I think",
    "my inmate number was [one one, uh, four two, uh, seven seven three]",
    "my sin is [four six two, uh, nine three one, uh, five oh eight]",
    "my offender number is [a six seven four, um, two two one]",
    "my doc number is [a, five five two, three one nine]",
    # letters said after the number, after a comma (an OHIP version code, a PPS letter pair)
    "my health card is [nine eight seven six, five four three, two one oh, b c], that's the version",
    "My OHIP number's [four one two two, eight eight three, five nine one, a k], the a k is the version code",
    "my pps number is [one two three four five six seven, t a]",
]


@pytest.mark.parametrize("marked", [f for case in PHONES_IN_PIECES + IDS_IN_PIECES for f in (case, case.lower())])
def test_a_number_said_in_groups_with_fillers_between_them_is_one_span(marked: str) -> None:
    assert _covered(marked) == []


HANDLES_AS_ONE_WORD = [
    "on tiktok i go by [the real queen of hearts], all one word, lowercase",
    "on Snap I'm [little miss sunshine two two], no spaces",
    "My Facebook is under [she who rose again], all one word",
    "on twitter i went by [never going back ninety], one word",
    "you can find me on insta, i'm [mama bear and her cubs], all one word",
    "my username is [call me when you land], all one word",
    "I'm on Instagram as [healing out loud], with underscores",
]


@pytest.mark.parametrize("marked", [f for case in HANDLES_AS_ONE_WORD for f in (case, case.lower())])
def test_a_name_said_in_words_then_said_to_be_one_word_is_a_handle(marked: str) -> None:
    assert _covered(marked) == []


@pytest.mark.parametrize(
    "text",
    [
        "my recovery is all one word to me: surrender",
        "on tiktok i'm brum girl healing, all one word, no spaces",  # the second cue names nothing
        "she said it all together, no spaces between the words, like a kid does",
        "I just wrote it down as one word and moved on",
    ],
)  # fmt: skip
def test_one_word_said_about_no_name_proposes_nothing_for_the_cue(text: str) -> None:
    for form in (text, text.lower()):
        assert not [s for s in _numbers(form) if "word" in s or "spaces" in s or "together" in s]


EMAILS_WITH_LONG_DOMAINS = [
    "you can email me at [d rivera at st mary's health dot org]",
    "my caseworker's email is [k jones at county of los angeles dot gov]",
    "Her email is [tuyet dot n at bridges n w dot org] if you need it",
    "his email is [j dot okafor at hope house dot c a]",
]


@pytest.mark.parametrize("marked", [f for case in EMAILS_WITH_LONG_DOMAINS for f in (case, case.lower())])
def test_an_email_whose_domain_is_several_words_is_one_contact(marked: str) -> None:
    assert _covered(marked) == []
    text = marked.replace("[", "").replace("]", "")
    inside = marked[marked.index("[") + 1 : marked.index("]")]
    assert any(s.label == "CONTACT" and s.text == inside for s in detect(text))


@pytest.mark.parametrize(
    "text",
    [
        "she works at hope house dot org now, she loves it",  # no e-mail's cue: a site, not an address
        "I was at the mission on fifth, the email never came",
    ],
)  # fmt: skip
def test_a_place_said_with_at_is_no_email_without_a_cue(text: str) -> None:
    for form in (text, text.lower()):
        assert not any(s.label == "CONTACT" and "works" in s.text for s in detect(form))
        assert not any(s.label == "CONTACT" and "mission" in s.text for s in detect(form))


DATES_IN_OTHER_ORDERS = [
    "I was born on [the 14th, March, 2006].",
    "I got out on [the 3rd, June, 2019], a Monday",
    "my release date was [the twenty first, june, twenty nineteen]",
    "i was arrested on [the fourteenth, march, two thousand six]",
    "She died [2006, March 14th], at Grady",
    "he was born [14th March, 2006], at home",
]


@pytest.mark.parametrize("marked", [f for case in DATES_IN_OTHER_ORDERS for f in (case, case.lower())])
def test_a_date_with_its_ordinal_day_its_month_and_its_year_in_other_orders(marked: str) -> None:
    assert _covered(marked) == []


HARD_NEGATIVES = [
    "We did it 14 times in March 2 years in a row",
    "Psalm thirty-four eighteen, the Lord is close to the brokenhearted",
    "read Romans eight twenty eight every night",
    "Jeremiah twenty nine eleven is my verse",
    "I take 50 mg twice a day, 100 mg at night",
    "it cost $1,250 and took 3 weeks",
    "at 6:30 pm we left, back by 11",
    "she was 14 and I was 16",
    "there were like twenty, um, twenty five of us",
    "I did twelve, uh, thirteen years altogether",
    "we worked from nine, um, to five every day",
    "it was two, uh, three hundred dollars",
    "I was 19 in 2006 and 21 in 2008",
    "he got five to ten, did seven, um, eight of it",
    "I came in 3rd, March was the worst month",
    "my number is, um, i don't know, five, maybe six of them",
]


@pytest.mark.parametrize("text", [f for case in HARD_NEGATIVES for f in (case, case.lower())])
def test_counts_verses_doses_prices_times_and_ages_with_fillers_are_no_number(text: str) -> None:
    assert _numbers(text) == []


def test_a_phone_after_a_book_named_john_is_still_a_phone() -> None:
    assert _covered("call john at [five five five, two one two, four four one nine] tonight") == []
