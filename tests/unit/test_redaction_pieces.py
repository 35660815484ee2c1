"""Numbers as people say and type them (QA s6 D1, D3, D6, D12, D14, D26): a phone's last group said as hundreds or
thousands, typographic dashes, numbers said in pieces with fillers between them, letters in the phonetic alphabet,
numbers as Whisper writes them (apartments, boxes, extensions), holidays with their year said beside them; and the
amounts, years, counts and times those rules must leave alone (fieldvault.redact.patterns and spoken)."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect


def _found(marked: str) -> tuple[bool, str | None]:
    """Whether every letter and digit in ``marked``'s [brackets] lies in a proposed span, and that span's label."""
    text = marked.replace("[", "").replace("]", "")
    start = marked.index("[")
    end = marked.index("]") - 1
    spans = detect(text)
    covered = all(any(s.start <= i < s.end for s in spans) for i in range(start, end) if text[i].isalnum())
    return covered, next((s.label for s in spans if s.start <= start < s.end), None)


def _numbers(text: str) -> list[str]:
    return [s.text for s in detect(text) if s.label in ("ID", "CONTACT", "DATE")]


@pytest.mark.parametrize(
    "marked",
    [
        # QA D1: the last four said as hundreds or thousands, after a cue or after 3 + 3 digits
        "call me at [two eight one, five five five, twelve hundred].",
        "my number is [two eight one five five five twelve hundred].",
        "call me at [two eight one, five five five, forty four hundred].",
        "his number was [nine five six, five five five, sixty two hundred].",
        "call the office at [two one oh, two two seven, ninety nine hundred].",
        "my cell is [seven one three, four oh four, two thousand].",
        "her number was [six eight two, two one two, three thousand five].",
        "my number is [eight three two, five five five, o one hundred].",
        # variants QA did not try: a 7-digit local number, the hotline's area code, no cue at all
        "text me at [five five five, thirty one hundred] after work",
        "the number on the card was [four one five, three three two, seventy five hundred], i still know it",
        "[three one two, five five five, eighteen hundred], that was the trap phone",
        # only the last four, after a partial cue
        "the last four of my number is [twelve hundred].",
        "my number ends in [forty four hundred].",
    ],
)  # fmt: skip
def test_a_phones_last_group_said_as_hundreds_or_thousands(marked: str) -> None:
    assert _found(marked) == (True, "CONTACT")


@pytest.mark.parametrize(
    "text",
    [
        "we made twelve hundred, sometimes forty four hundred a week",
        "in ninety eight, ninety nine, two thousand, i was everywhere",
        "i was born in nineteen eighty, ninety, two thousand, i don't know",
        "he gave me five, five, five hundred dollars",
        "call me at two thousand hours, that's what he said",
        "it was one, two, three thousand people at that show",
        "the rent was eight fifty, nine hundred, twelve hundred by the end",
        "call me back in twelve hundred years",
    ],
)  # fmt: skip
def test_amounts_and_years_in_hundreds_and_thousands_are_no_phone(text: str) -> None:
    assert _numbers(text) == []


@pytest.mark.parametrize(
    "marked, label",
    [
        # QA D12: typographic dashes (non-breaking hyphen, en dash, minus sign, figure dash, em dash)
        ("her sister is at [713\u2011555\u20110123].", "CONTACT"),
        ("her number is [713\u2013555\u20130123].", "CONTACT"),
        ("her number is [713\u2212555\u22120123].", "CONTACT"),
        ("call me at [210\u2012555\u20120199].", "CONTACT"),
        ("my social is [431\u201377\u20132981].", "ID"),
        ("my social is [431\u201477\u20142981].", "ID"),
        ("Her sister is at [713\u2011555\u20110123], SSN [431\u201377\u20132981], born [06.09.1988].", "CONTACT"),
        ("his case number is [CR2008\u2013114372] in district court", "ID"),
        ("call me at [\uff12\uff11\uff10-\uff15\uff15\uff15-\uff10\uff11\uff19\uff19].", "CONTACT"),
        # a date with dots at a sentence's end, a birthday by month and day
        ("i was born [06.09.1988].", "DATE"),
        ("My birthday is [6/9].", "DATE"),
    ],
)  # fmt: skip
def test_numbers_with_typographic_dashes_and_dates_at_a_sentence_end(marked: str, label: str) -> None:
    assert _found(marked) == (True, label)


def test_an_ssn_with_en_dashes_after_a_phone_is_one_id_and_the_phone_one_contact() -> None:
    text = "Her sister is at 713\u2011555\u20110123, SSN 431\u201377\u20132981, born 06.09.1988."
    labelled = {s.text: s.label for s in detect(text)}
    assert labelled["713\u2011555\u20110123"] == "CONTACT"
    assert labelled["431\u201377\u20132981"] == "ID"


@pytest.mark.parametrize(
    "text",
    [
        "the score was 21\u201314, then 28\u201321",
        "from 9\u20135, monday to friday",
        "it was 2014\u20132016, the worst years",
        "pages 12\u201314 of the workbook",
    ],
)  # fmt: skip
def test_ranges_with_en_dashes_are_no_number(text: str) -> None:
    assert _numbers(text) == []


@pytest.mark.parametrize(
    "marked, label",
    [
        # QA D26: a phone in pieces joined by "and then", its area code said last
        ("call me, it's [nine one six and then five five five and then oh one four two].", "CONTACT"),
        ("my number, it's like [two one four, then five five five, then oh one nine nine]", "CONTACT"),
        ("text me, it's [nine one six] uh [five five five] um [oh one four two]", "CONTACT"),
        ("the number is [five five five oh one four two, area code nine one six].", "CONTACT"),
        ("her cell was [555-0142, area code 916], call her after five", "CONTACT"),
        ("my number is [five five five, oh one four two, and the area code is two one oh]", "CONTACT"),
        # NATO letters in a plate or an ID
        ("my plate was [bravo bravo seven, four four two].", "ID"),
        ("the tag was [x-ray kilo lima, seven seven four] on a white truck", "ID"),
        ("my case number is [charlie romeo two oh one nine four four seven one]", "ID"),
        # a letter said before a cued number is its first (unseen10; numbers4's A-number)
        ("my prison number was [a two seven four one d t], at new hall", "ID"),
        ("My A-number is [A 204 118 337], from immigration", "ID"),
        ("my a number is [a two oh four, one one eight, three three seven]", "ID"),
        ("my green card number is [i o e zero nine eight seven six five four three two one].", "ID"),
    ],
)  # fmt: skip
def test_numbers_said_in_pieces_and_letters_said_as_words(marked: str, label: str) -> None:
    assert _found(marked) == (True, label)


@pytest.mark.parametrize(
    "text",
    [
        "call me, it's nine o'clock and then five more minutes",
        "my lucky number was a seven, always has been",
        "i told mike seven times to stop",
        "we watched charlie and the chocolate factory two times",
        "she said alpha, bravo, charlie, like in the army",
        "the hotel was four stars, the golf course had eighteen holes",
    ],
)  # fmt: skip
def test_times_counts_names_and_the_alphabet_recited_are_no_number(text: str) -> None:
    assert _numbers(text) == []


def test_an_id_cut_at_a_full_stop_takes_no_count_from_the_next_sentence() -> None:
    text = "my inmate number was one nine four. four years later i got out"
    four = text.index("four years")
    assert not any(s.start <= four < s.end for s in detect(text))


@pytest.mark.parametrize(
    "marked, label",
    [
        # QA D14: numbers as Whisper writes them
        ("We stayed in [Apt. 14C] at the Villas at Westover.", "LOCATION"),
        ("we moved into [apt. 3b] by the freeway", "LOCATION"),
        ("My [P.O. Box is 441] in Del Rio.", "LOCATION"),
        ("my [po box was 1182], that's where the checks went", "LOCATION"),
        ("send it to [p o box number four one two]", "LOCATION"),
        ("Her number was (832) 555-0147, ext. [12].", "CONTACT"),
        ("call the clinic at 713-555-0123 extension [4471] and ask for her", "CONTACT"),
        ("he gave me his extension, [four four two], and said call anytime", "CONTACT"),
        ("the probation officer's extension was [four four seven one].", "CONTACT"),
        ("The probation officer's extension was [4471].", "CONTACT"),
        ("her desk is extension [twenty two], she never picks up", "CONTACT"),
        ("it was [apartment number nine] at the sunset apartments.", "LOCATION"),
        # QA D6: a jail's locker and bunk, a badge, a plate with its state, an account's end
        ("my locker number at the jail was [one forty four].", "ID"),
        ("my bunk at the county was [c fourteen].", "ID"),
        ("I was in Cell Block C, [bunk 14].", "ID"),
        ("my probation officer's badge was number [four four seven].", "ID"),
        ("his license plate is texas, [k l m, seven seven four].", "ID"),
        ("the plate was california, [seven x y z one two three]", "ID"),
        ("my account ending in [six six one two] got frozen.", "ID"),
        ("the card ending in [4471] was hers", "ID"),
        # "<kind> number at <where> was": the kind names the number with the place between
        ("my lunch number at school was [five five four one].", "ID"),
        ("my employee number at the walmart was [four four one two nine].", "ID"),
        ("my client number with the food bank is [eight eight one two]", "ID"),
        # numbers4's list: the version code after a health card
        ("my health card number is 1234 567 890, and the version code is [KM].", "ID"),
        ("my health card is 1234 567 890 and the version code is [k m].", "ID"),
    ],
)  # fmt: skip
def test_units_boxes_extensions_rooms_lockers_and_codes(marked: str, label: str) -> None:
    assert _found(marked) == (True, label)


def test_a_version_code_is_an_id() -> None:
    text = "my health card is 1234 567 890 and the version code is KM."
    assert any(s.text.endswith("KM") or s.text == "KM" for s in detect(text))


@pytest.mark.parametrize(
    "text",
    [
        "the room was one oh four, one oh five, one oh six",
        "there was room for two more people",
        "i need an extension of 30 days on my visa",
        "she got a two week extension on the rent",
        "we plugged the extension cord in room two",
        "my locker at the gym had like four locks",
        "i slept in the bottom bunk for two years",
        "he had a badge and a gun",
        "the version code is like a password",
        "i watched it on cnn dot com that night",
        "my account was frozen for two weeks",
    ],
)  # fmt: skip
def test_counts_cords_bunks_badges_and_news_sites_are_no_number(text: str) -> None:
    assert _numbers(text) == []


@pytest.mark.parametrize(
    "marked",
    [
        # QA D3: a holiday with its year beside it, or after a birth's cue
        "my daughter was born on [labor day weekend, two thousand eighteen].",
        "my son was born [christmas week, nineteen ninety nine]",
        "my birthday is [new year's day].",
        "my birthday's on [halloween], i was born in ninety four.",
        "i was born on [valentine's day], my mom always said",
        "i was born [the day before thanksgiving in ninety seven].",
        "she was born on [christmas eve in two thousand three]",
        # a birthday's day and its year said apart (QA D26)
        "my daughter's birthday is [the twenty second], she was born in twenty eighteen.",
        "my birthday's on [halloween], i was born in [ninety four].",
        "her birthday is [the ninth], and she was born in [two thousand twelve]",
    ],
)  # fmt: skip
def test_holidays_and_birthdays_with_the_year_beside_them(marked: str) -> None:
    text = marked.replace("[", "").replace("]", "")
    spans = [s for s in detect(text) if s.label == "DATE"]
    parts = marked.split("[")[1:]
    offset = 0
    for part in parts:
        said = part.split("]")[0]
        start = text.index(said, offset)
        offset = start + len(said)
        assert any(s.start <= start and offset <= s.end for s in spans), said


@pytest.mark.parametrize(
    "text",
    [
        "on christmas we always went to my nana's",
        "my birthday party was at the park, halloween was the week after",
        "she was born in two thousand twelve",
        "i got out the day after thanksgiving, and by christmas i was back",
        "he died on memorial day weekend, the whole family was there",
    ],
)  # fmt: skip
def test_a_holiday_or_a_bare_year_without_a_birth_is_no_date(text: str) -> None:
    assert [s.text for s in detect(text) if s.label == "DATE"] == []


@pytest.mark.parametrize(
    "marked, label",
    [
        # unseen10: a zip code after a street's address; an e-mail's local part starts after "it's"
        ("His trap house was at [3921 North 27th Avenue, 85017]. I gave that address to", "LOCATION"),
        ("we lived on [Harlan Street, 80214], right by the school", "LOCATION"),
    ],
)  # fmt: skip
def test_a_zip_after_a_street_and_an_email_after_its(marked: str, label: str) -> None:
    assert _found(marked) == (True, label)


def test_an_emails_span_starts_after_its_cue_and_it_s() -> None:
    text = "you can email me, it's m dot okafor at icloud dot com, m like mary"
    [email] = [s for s in detect(text) if s.label == "CONTACT"]
    assert email.text == "m dot okafor at icloud dot com"


@pytest.mark.parametrize(
    "text, holiday, count",
    [
        ("i was born on christmas day, nineteen of us in the house", "christmas day", "nineteen"),
        ("he was born on halloween, twenty minutes before midnight", "halloween", "twenty"),
    ],
)  # fmt: skip
def test_a_birth_on_a_holiday_is_a_date_and_a_count_after_it_no_year(text: str, holiday: str, count: str) -> None:
    dates = [s.text for s in detect(text) if s.label == "DATE"]
    assert dates == [holiday]
    assert not any(count in s.text for s in detect(text))


@pytest.mark.parametrize(
    "marked, street",
    [
        # QA D26: a house number after "my address was", its street a clause later
        ("my address was [fourteen twelve], on the corner, by the church, on maple.", "maple"),
        ("the address is [twenty two oh five], um, on lincoln, the yellow house", "lincoln"),
        ("Her address was [1412], off Culebra, by the Whataburger.", "Culebra"),
    ],
)  # fmt: skip
def test_a_house_number_said_apart_from_its_street(marked: str, street: str) -> None:
    assert _found(marked)[0]
    text = marked.replace("[", "").replace("]", "")
    at = text.index(street)
    assert any(s.start <= at < s.end for s in detect(text))


@pytest.mark.parametrize(
    "marked, label",
    [
        # a letter said with a word that names it ("d as in david") inside an ID
        ("my driver's licence is [d as in david, one two three four, five six seven eight]", "ID"),
        ("my inmate number was [W as in William, 88142], at Lowell", "ID"),
        ("my case number is [one two three four five, k as in kilo].", "ID"),
        # a street named by a letter, with its house number
        ("the apartment was at [twenty three eleven south k street], and the zip is", "LOCATION"),
        ("we lived at [fourteen oh five h street] for a year", "LOCATION"),
    ],
)  # fmt: skip
def test_letters_said_by_a_word_and_lettered_streets(marked: str, label: str) -> None:
    assert _found(marked) == (True, label)


@pytest.mark.parametrize(
    "text",
    [
        "she said a as in apple, b as in boy, that's how you spell it",
        "my address was in my mom's name, on the lease",
        "the address was wrong, on purpose",
    ],
)  # fmt: skip
def test_spelling_words_and_an_address_without_a_number_are_no_number(text: str) -> None:
    assert [s.text for s in detect(text) if s.label in ("ID", "CONTACT", "DATE", "LOCATION")] == []


def test_a_handle_does_not_take_its_cue() -> None:
    [handle] = [s.text for s in detect("my handle's kiki underscore rn on twitter") if s.label == "CONTACT"]
    assert handle == "kiki underscore rn"


def test_a_transcript_edited_with_typographic_dashes_gets_every_number_proposed_whole() -> None:
    # QA D12's editor path: what a transcriber typed in the editor is proposed over the whole transcript
    from fieldvault.redact.review import propose
    from fieldvault.transcript import Segment, Transcript

    typed = "Her sister is at 713\u2011555\u20110123, SSN 431\u201377\u20132981, born 06.09.1988."
    segments = (Segment(0.0, 2.0, "We talked about her family."), Segment(2.0, 4.0, typed))
    transcript = Transcript("Wren", "s1", segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 4.0, 1.0, "now")
    found = {s.text: s.label for s in propose(transcript, []).spans}
    assert found["713\u2011555\u20110123"] == "CONTACT"
    assert found["431\u201377\u20132981"] == "ID"
    assert found["06.09.1988"] == "DATE"


@pytest.mark.parametrize(
    "marked, label",
    [
        # plates with three letters last (British), "plates were"; a year written '94 after a date
        ("my reg was [L K sixty eight, X Y Z], a silver Corsa", "ID"),
        ("the van's plates were [B C, four four seven, K L M]", "ID"),
        ("i was born [March 3rd, '94]", "DATE"),
        ("he got picked up [march '09], right before my birthday", "DATE"),
        # a handle said before its platform after "i'm" or "and"; a spoken link with a newer ending
        ("i'm rosie underscore p on snap and [rosiep ninety four] on insta", "CONTACT"),
        ("i'm [kiki bby] on tiktok, that's where i post", "CONTACT"),
        ("my linktree is [linktr dot ee slash rosiep]", "CONTACT"),
    ],
)  # fmt: skip
def test_plates_years_handles_before_their_platform_and_links(marked: str, label: str) -> None:
    assert _found(marked) == (True, label)


@pytest.mark.parametrize(
    "text",
    ["i'm always on instagram", "and my cousin on facebook", "and then on facebook she posted", "as usual on tiktok"],
)
def test_words_before_a_platform_are_no_handle(text: str) -> None:
    assert _numbers(text) == []


@pytest.mark.parametrize(
    "marked",
    [
        "her number is [+44 (0)7700 900584]",
        "five five five, oh one four two, that's my cell, the area code's [nine one six]",
        "the area code was [nine one six] and the rest i forgot",
    ],
)  # fmt: skip
def test_a_trunk_zero_in_brackets_and_an_area_code_said_apart(marked: str) -> None:
    assert _found(marked) == (True, "CONTACT")


def test_a_date_ends_before_the_sentences_full_stop() -> None:
    assert [s.text for s in detect("my birthday is the fourth of july.") if s.label == "DATE"] == ["the fourth of july"]
    assert [s.text for s in detect("i got clean jan. 6, 2020") if s.label == "DATE"] == ["jan. 6, 2020"]


@pytest.mark.parametrize(
    "text, address",
    [
        ("we moved to eleven twenty two hawthorne, off of broadway", "eleven twenty two hawthorne"),
        ("then she moved into fourteen oh nine pine, by the park", "fourteen oh nine pine"),
    ],
)  # fmt: skip
def test_a_house_number_after_moved_to(text: str, address: str) -> None:
    assert address in [s.text for s in detect(text)]


@pytest.mark.parametrize(
    "text",
    ["we moved to two different motels that year", "we moved to three places in a year", "i moved to twelve step"],
)
def test_counts_after_moved_to_are_no_address(text: str) -> None:
    assert [s.text for s in detect(text) if s.label == "LOCATION"] == []


@pytest.mark.parametrize(
    "marked",
    [
        "i go by kay on discord, [kay hashtag four four two one].",
        "my discord is [kay hashtag 4421]",
        "she emailed me from [kaylaruiz dot two one at gmail dot com].",
    ],
)  # fmt: skip
def test_a_discord_tag_and_an_email_after_emailed(marked: str) -> None:
    assert _found(marked) == (True, "CONTACT")
    text = marked.replace("[", "").replace("]", "")
    start = marked.index("[")
    assert not any(s.label == "CONTACT" and s.start < start for s in detect(text))  # "me from" stays outside
