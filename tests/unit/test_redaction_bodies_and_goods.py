"""Phone numbers in groups of any size with fillers between them; ID numbers with "slash" or "bracket" between
their parts; government bodies, police and welfare units and courts named by what they are for; a venue's kind
before or after a name; districts named for a distance or a people; and the words such rules must leave: foods and
wares after a verb of eating or selling, faiths, units of a hospital, kinds of court, distances. Each as written
and lowercased (Whisper without casing)."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect
from tests.redaction_forms import covered as _covered
from tests.redaction_forms import forms as _forms
from tests.redaction_forms import spans as _spans


@pytest.mark.parametrize(
    "marked",
    [
        "her mobile is [six one, uh, four four, two nine, three eight], she said text first",
        "His number was [three two eight, um, five five, one four, seven], call after six.",
        "my phone is [seven one, uh, two three, four four, nine zero], it's the new one",
        "Her WhatsApp was [eight two, um, five five, six one two zero].",
        "the number on it was [nine oh three, four four one, um, oh two eight six]",
        "her phone number na [two three seven, uh, six five, one one, four four]",
        "my mobile, [oh seven eight one two, uh, three four five, six six oh]",
    ],
)  # fmt: skip
def test_phone_groups_of_any_size_with_fillers_are_one_span(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "my number is two, uh, four, and then I moved to the second floor",
        "my phone is like two, uh, three years old now",
        "we came number two, um, three times in a row",
        "her number is, um, not something I remember, like four, five digits",
        "my phone was twenty, uh, thirty dollars a month",
    ],
)  # fmt: skip
def test_short_counts_and_amounts_after_a_phone_word_are_no_phone(text: str) -> None:
    for form in (text, text.lower()):
        assert [s.text for s in detect(form) if s.label in ("CONTACT", "ID")] == [], form


@pytest.mark.parametrize(
    "marked",
    [
        "my NRC is [two two one, four five nine, slash, uh, six eight, slash, one]",
        "his NIN is, um, [h seven seven one, two two eight, bracket, four], that's it",
        "my passport, the number is [c, uh, four four one nine zero two eight], they kept it",
    ],
)  # fmt: skip
def test_id_parts_joined_by_slash_bracket_or_a_filler_after_the_cue_are_one_span(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    ["the shop was open twenty four, slash, seven back then", "we worked twenty four slash seven, um, all year"],
)
def test_slash_without_an_id_cue_makes_no_id(text: str) -> None:
    for form in (text, text.capitalize()):
        assert [s.text for s in detect(form) if s.label == "ID"] == [], form


@pytest.mark.parametrize(
    "marked",
    [
        "we went to the [Ministry of Labour and Employment], they sent us away",
        "the [Department of Children and Family Affairs] found her a place",
        "I was sent to the, uh, [Directorate of Refugee Affairs] on a Monday",
        "In 2019 the [Office for Combating Violence against Women] called me.",
        "the [Domestic Violence Response Unit] came to the house",
        "she works for [Health and Human Services] in the city",
        "the appeal went to the [Supreme Court of Ghana] last year",
        "he was sentenced at the [High Court of Justice] in June",
    ],
)  # fmt: skip
def test_government_bodies_units_and_courts_named_by_what_they_are_for(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    ("text", "body", "after"),
    [
        ("I got it late, at the Ministry of Home Affairs office in Katutura.", "Ministry of Home Affairs", "office"),
        ("she'd ring the Department of Labour and I'd be gone.", "Department of Labour", "I'd"),
        ("Mrs. Banda from the Department of Social Welfare found my mother.", "Department of Social Welfare", "found"),
    ],
)  # fmt: skip
def test_a_body_s_name_ends_before_its_seat_a_pronoun_or_a_verb(text: str, body: str, after: str) -> None:
    for form, name, word in ((text, body, after), (text.lower(), body.lower(), after.lower())):
        found = [s.text for s in detect(form) if s.label == "ORG"]
        assert name in found and not any(word in s for s in found), (form, found)


@pytest.mark.parametrize(
    "text",
    [
        "she stayed in the neonatal intensive care unit for a month",
        "the trafficking unit interviewed me twice",
        "the vice unit came at night",
        "my case number in superior court was pending",
        "my aunt works for the department of her church now",
        "we went to the office of my lawyer on friday",
        "they offer goods and services to the tourists",
        "she was moved to the mother baby unit",
    ],
)  # fmt: skip
def test_hospital_units_kinds_of_court_and_offices_of_someone_are_no_organisation(text: str) -> None:
    for form in (text, text.capitalize()):
        assert [s.text for s in detect(form) if s.label == "ORG"] == [], form


@pytest.mark.parametrize(
    "marked",
    [
        "we danced at [Club Paradiso] every friday",
        "they took her to [Hospital Selayang] at night",
        "she stays at [Amani Women's Crisis Centre] now",
    ],
)  # fmt: skip
def test_a_venue_s_kind_before_or_after_its_name_is_inside_its_span(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


def test_capitals_after_a_venue_s_kind_are_its_name_though_the_last_looks_like_a_plural() -> None:
    """A run of capitals ending in "-s" is taken for a product ("Capri Suns"); one that starts with a venue's kind is
    an organisation's name."""
    assert ("ORG", "Club Velvet Nights") in _spans("The show was at Club Velvet Nights on the main road.")


@pytest.mark.parametrize(
    "marked",
    [
        "she took me to [little india] on my off day",
        "the buses come from [nine mile] every morning",
        "he has a stall at [mile twelve] market",
        "we stayed in, uh, [kru town] with my aunt",
        "the boats came in at [english harbour] at night",
    ],
)  # fmt: skip
def test_districts_named_for_a_country_a_distance_or_a_people(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "it was a mile away from town, maybe ten miles",
        "she ran six mile and was tired",
        "we walked from two mile out, to the river",
        "I went back to her home town last year",
        "my friends went down town on friday",
    ],
)  # fmt: skip
def test_distances_and_home_towns_are_no_district(text: str) -> None:
    for form in (text, text.lower()):
        assert [s.text for s in detect(form) if s.label == "LOCATION"] == [], form


@pytest.mark.parametrize(
    "text",
    [
        "at eid we cook shemai and we drink borhani with the neighbours",
        "on sundays we eat ugali with sukuma and drink chai",
        "now I sell mandazi and vitenge by the road",
        "my granny makes pholourie and souse on a saturday",
        "nobody chews khat inside the house",
        "I am Methodist and my husband is Adventist",
    ],
)  # fmt: skip
def test_foods_wares_and_faiths_are_no_names(text: str) -> None:
    for form in (text, text.lower()):
        assert [s.text for s in detect(form) if s.source == "rare"] == [], form
        assert not any(s.text.lower() in ("adventist", "methodist") for s in detect(form)), form


@pytest.mark.parametrize(
    "marked",
    [
        "he sold [tendaishe] to a man in the city",
        "we ate with [chiedza] and her cousin at the weekend",
        "I bought it from [mbirimi's] stall in the market",
        "she made dinner for [kudzanayi] and then left",
    ],
)  # fmt: skip
def test_a_person_sold_or_eaten_with_stays_a_name(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "marked",
    [
        "the [liberia national police] came at night",
        "the [ghana republic police] arrested him",
        "the officer called the [Royal Police Force of Trinidad and Tobago] while I waited",
        "his instagram is [kofi underscore the underscore king nine nine], he said follow",
        "and my snapchat is, like, [ama underscore k underscore o a], and he never knew",
        "her email is [efua dot mensah at w h c dot g h], call her first",
    ],
)  # fmt: skip
def test_a_country_s_force_and_handles_said_with_stopwords_or_letters_are_whole(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    "text",
    ["the national police came at night", "my instagram is the real one, and I post a lot"],
)
def test_a_force_without_its_country_and_a_platform_said_of_oneself_are_none(text: str) -> None:
    for form in (text, text.lower()):
        assert _spans(form) == [], form


@pytest.mark.parametrize(
    "text",
    [
        "I go to the Methodist church. On Sundays it is full.",
        "we go to the lutheran church, and i sing there",
        "he said the logging company wanted girls to cook at the camp",
        "on chinese new year she brought oranges for all of us",
        "at diwali time we lit lamps on the step",
        "she came with a van to the market and took two girls",
    ],
)  # fmt: skip
def test_a_faith_s_church_a_trade_a_feast_and_a_vehicle_are_no_names(text: str) -> None:
    for form in (text, text.lower()):
        assert [s.text for s in detect(form) if s.label in ("ORG", "LOCATION")] == [], form


@pytest.mark.parametrize(
    "marked",
    [
        "we went to [Grace Methodist Church] on sunday",
        "she worked for [sterling company] for years",
        "she lived in [kaimakli] for a year",
        "we drove from canton to [akron] that night",
    ],
)  # fmt: skip
def test_a_named_church_a_firm_s_name_a_town_and_places_from_one_to_another_stay(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


def test_a_phone_s_digits_make_no_place_of_the_word_before_them() -> None:
    """A spoken phone that a postcode's rule read as a place made the word before it a town beside a place ("my
    mobile, oh seven nine four six ...": Mobile, Alabama)."""
    text = "or ring me, my mobile, oh seven nine four six, uh, two one one, seven seven oh"
    for form in (text, text.capitalize()):
        assert [s.label for s in detect(form)] == ["CONTACT"], _spans(form)


@pytest.mark.parametrize(
    "marked", ["and in [jb] nobody told her", "my cousin from [KL] came on friday", "she was born in [bo], they said"]
)
def test_a_city_s_two_letters_after_in_or_from_are_a_place(marked: str) -> None:
    for text, target in _forms(marked):
        assert ("LOCATION", target) in _spans(text), (text, _spans(text))


@pytest.mark.parametrize(
    "text", ["we did it in pe class", "she was in er all night", "he came in am and left in pm", "born in uk"]
)
def test_a_school_subject_a_ward_a_time_and_a_country_s_letters_are_no_place(text: str) -> None:
    for form in (text, text.capitalize()):
        assert [s.text for s in detect(form) if s.label == "LOCATION"] == [], form


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("and she gave me her email, it was like k mensah at accra dot gov, no wait", "k mensah at accra dot gov"),
        ("her email is, um, a owusu at yahoo dot com, and the case", "a owusu at yahoo dot com"),
        ("my bakes are on instagram at @ama.bakes.gh, and clare ordered", "@ama.bakes.gh"),
        ("my instagram is @nailsbyesi268. People call me Esi now", "@nailsbyesi268"),
    ],
)  # fmt: skip
def test_an_address_or_a_handle_takes_neither_the_fillers_before_it_nor_the_sentence_after(
    text: str, address: str
) -> None:
    for form, said in ((text, address), (text.lower(), address.lower())):
        assert ("CONTACT", said) in _spans(form), (form, _spans(form))


@pytest.mark.parametrize(
    "text",
    [
        "He took us from the hostel in the morning and back at night.",
        "Instead he took me to a guesthouse near the port.",
        "Salaam aleikum, my name is not important here.",
        "Mingalaba, I am from the delta and I came by boat.",
    ],
)  # fmt: skip
def test_a_kind_of_place_alone_and_a_greeting_before_an_introduction_are_no_names(text: str) -> None:
    for form in (text, text.lower()):
        assert [s.text for s in detect(form) if s.source == "rare"] == [], form


@pytest.mark.parametrize(
    "marked",
    [
        "we stayed at the guesthouse, then at [mbirimi] for a week",
        "[okonkwo], my name is ada, she said to him",
        "i was born at [memorial] in savannah",
        "i was at [denver women's correctional facility] for three years",
    ],
)
def test_a_name_beside_a_kind_of_place_or_before_an_introduction_stays(marked: str) -> None:
    for text, target in _forms(marked):
        assert _covered(text, target), (text, _spans(text))


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("my passport number is EA 123 4567, they kept it", "EA 123 4567"),
        ("my NIN, four k, seven m, nine q, two t, and they said", "four k, seven m, nine q, two t"),
        ("my id is, uh, AB 123456 and he said", "AB 123456"),
    ],
)  # fmt: skip
def test_an_id_s_letters_after_its_cue_are_in_it_and_its_scheme_is_not(text: str, number: str) -> None:
    """Lowercased, "ea" is a word of the dictionary and "nin" no word at all: the first is still the passport's
    letters, the second the scheme's name, never part of the number (nor a postcode said aloud)."""
    for form, said in ((text, number), (text.lower(), number.lower())):
        assert _spans(form) == [("ID", said)], form


@pytest.mark.parametrize(
    "text", ["my passport number is um 123 4567", "my nin is, um, on the card at home, two of them"]
)
def test_a_filler_or_a_word_after_an_id_cue_is_no_letter_of_it(text: str) -> None:
    for form in (text, text.capitalize()):
        assert not any(s.text.split()[0] in ("um", "on", "is") for s in detect(form)), _spans(form)


def test_a_postcode_said_aloud_stays_a_place() -> None:
    for text in ("the postcode was t two p one j nine", "he lives at t two p one j nine, calgary"):
        assert ("LOCATION", "t two p one j nine") in _spans(text)
