"""Templates, questionnaire validation, pseudonyms and the encrypted participant profile."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.export.scrub import Scrubber
from fieldvault.guide import Guide
from fieldvault.participants import (
    ConsentRecord,
    KnownIdentifier,
    add_participant,
    check_pseudonym,
    identifier_clash,
    known_identifiers,
    load_profile,
    new_session_folder,
    parse_identifier_lines,
)
from fieldvault.questionnaire import Questionnaire
from fieldvault.redact.detector import detect
from fieldvault.study import Study
from fieldvault.templates import CONSENT_SCRIPT, LETTER, fill, template_text
from tests.conftest import ANSWERS, PASSPHRASE


def test_letter_fills_from_study_toml_and_names_what_is_missing(study: Study) -> None:
    with pytest.raises(BadInput, match=r"needs .*pi_name.* under \[letter\] in study.toml"):
        fill(LETTER, template_text(LETTER), study.letter_values())


def test_filled_letter_has_every_section_and_a_stable_version(ready_study: Study) -> None:
    letter = fill(LETTER, template_text(LETTER, ready_study.root), ready_study.letter_values())
    for needed in [
        "Exiting the trade",
        "IRB-2026-17",
        "Dr. Ana Ruiz",
        "$20 gift card",
        "five years",
        "Voluntary",
        "Risks",
        "Confidentiality",
        "Recording and storage",
        "irb@university.example",
    ]:
        assert needed in letter.text
    assert "{{" not in letter.text
    again = fill(LETTER, template_text(LETTER, ready_study.root), ready_study.letter_values())
    assert letter.version == again.version and len(letter.version) == 16
    script = fill(CONSENT_SCRIPT, template_text(CONSENT_SCRIPT), ready_study.letter_values())
    assert "record" in script.text and script.version != letter.version


def test_a_study_may_bring_its_own_letter(ready_study: Study) -> None:
    (ready_study.root / LETTER).write_text("Study {{title}} by {{pi_name}}")
    assert fill(LETTER, template_text(LETTER, ready_study.root), ready_study.letter_values()).text == (
        "Study Exiting the trade by Dr. Ana Ruiz"
    )


def test_questionnaire_accepts_the_model_studys_answers() -> None:
    answers = Questionnaire.for_study(None).validate({**ANSWERS, "venues": "street, online"})
    assert answers["venues"] == ["Street", "Online"]
    assert answers["services_used"] is None


@pytest.mark.parametrize(
    "change, message",
    [
        ({"age": "forty"}, "not a whole number"),
        ({"age": 17}, "outside 18–100"),
        ({"race_ethnicity": "Martian"}, "not one of"),
        ({"age_at_entry": 50}, "more than Age"),
        ({"age": None}, "no answer yet"),
        ({"favourite_colour": "red"}, "unknown fields"),
        ({"services_used": "x" * 2001}, "2,001 characters; an answer here holds at most 2,000"),
    ],
)
def test_questionnaire_refuses_bad_answers_with_the_field_named(change: dict, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        Questionnaire.for_study(None).validate({**ANSWERS, **change})


def test_broken_questionnaire_definition_is_named(tmp_path: Path) -> None:
    (tmp_path / "questionnaire.toml").write_text('[[field]]\nname = "x"\ntype = "colour"\n')
    with pytest.raises(BadStudyFile, match="type 'colour'"):
        Questionnaire.for_study(tmp_path)


def test_guide_has_the_model_studys_prompts_and_a_study_may_replace_it(tmp_path: Path) -> None:
    guide = Guide.for_study(None)
    assert "story of your exit" in guide.narrative_prompt
    assert len(guide.follow_ups) == 2 and "people who helped you" in guide.follow_ups[0]
    (tmp_path / "guide.toml").write_text('narrative_prompt = "Tell me."\n[[follow_up]]\ntext = "And then?"\n')
    assert Guide.for_study(tmp_path).prompts == ("Tell me.", "And then?")
    (tmp_path / "guide.toml").write_text("follow_up = 3\n")
    with pytest.raises(BadStudyFile, match="narrative_prompt"):
        Guide.for_study(tmp_path)


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "empty"),
        ("../Rose", "may not contain"),
        ("Ro/se", "may not contain"),
        ("Rose\x07", "control"),
        ("Rose\u200b", "control"),
        (".hidden", "start with a dot"),
        ("x" * 41, "longer than"),
    ],
)
def test_invalid_pseudonyms_are_refused(study: Study, name: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        check_pseudonym(study, name)


def test_pseudonyms_are_unique_case_insensitively(study: Study) -> None:
    (study.root / "participants" / "Rose" / "20261124-100000").mkdir(parents=True)  # a session: hers, no cut-off add
    with pytest.raises(BadInput, match="taken already"):
        check_pseudonym(study, "ROSE")
    assert check_pseudonym(study, "  Lily ") == "Lily"


def test_an_add_killed_before_its_log_entry_leaves_no_ghost_and_runs_again(study: Study) -> None:
    """QA T16: killed at its first writes, `participant add` left her folder (an id, maybe her profile, no list, no log
    entry): "taken already" for ever, and exports said she withdrew. Such a folder is removed by the next add; a
    participant the log names, or one with a session, never is."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    ghost = study.root / "participants" / "Wren"
    ghost.mkdir(parents=True)
    (ghost / "participant.id").write_text("0" * 32 + "\n")
    study.write_new(ghost / "profile.json.age", b"{}")
    add_participant(study, "wren", dict(ANSWERS), consent, [])  # the same name in another case: the same woman
    added = study.root / "participants" / "wren"
    assert not ghost.exists() and (added / "identifiers.json.age").is_file()
    assert (added / "participant.id").read_text() != "0" * 32 + "\n"
    with pytest.raises(BadInput, match="taken already"):  # added now: the log names her
        add_participant(study, "Wren", dict(ANSWERS), consent, [], study.unlock(PASSPHRASE.encode()))
    recorded = study.root / "participants" / "Ivy"
    (recorded / "20261124-100000").mkdir(parents=True)  # a session: never a ghost, whatever the log says
    with pytest.raises(BadInput, match="taken already"):
        add_participant(study, "Ivy", dict(ANSWERS), consent, [], study.unlock(PASSPHRASE.encode()))
    assert (recorded / "20261124-100000").is_dir()


def test_a_kit_made_before_it_recorded_its_folders_sweeps_none_of_the_study_s(
    ready_study: Study, tmp_path: Path
) -> None:
    """QA QC1 on a kit made before field-kit.created recorded the ids of the folders it was made with: a folder that
    holds her id and nothing else (what `field-kit` writes) is never taken for a cut-off add; one holding more (a
    profile the kit's own add wrote before it was cut off) still is, and the add runs again."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(ready_study, "Rose", dict(ANSWERS), consent, [])
    kit = ready_study.make_field_kit(tmp_path / "kit")
    log = kit.root / "audit.jsonl"
    first, *rest = log.read_text().splitlines(keepends=True)
    entry = json.loads(first)
    assert json.loads(entry["details"].pop("participants")) == [
        (ready_study.root / "participants" / "Rose" / "participant.id").read_text().strip()
    ]
    log.write_text(json.dumps(entry) + "\n" + "".join(rest))  # as an older field-kit wrote it
    kit = Study.open(kit.root)
    assert "participants" not in kit.kit_made_with()
    with pytest.raises(BadInput, match="taken already"):
        check_pseudonym(kit, "rose")
    assert (kit.root / "participants" / "Rose" / "participant.id").is_file()
    ghost = kit.root / "participants" / "Wren"
    ghost.mkdir()
    (ghost / "participant.id").write_text("0" * 32 + "\n")
    kit.write_new(ghost / "profile.json.age", b"{}")
    assert check_pseudonym(kit, "Wren") == "Wren" and not ghost.exists()


def test_pseudonym_that_matches_a_known_identifier_is_refused(ready_study: Study) -> None:
    assert identifier_clash("Crystal", ["Marcus", "crystal", "Van Buren Street"]) == "crystal"
    assert identifier_clash("Buren", ["Van Buren Street"]) == "Van Buren Street"
    assert identifier_clash("MARÍA", ["Maria Gonzalez"]) == "Maria Gonzalez"  # look-alikes are the same name
    assert identifier_clash("Rose", ["Marcus", "Phoenix", "Roseville"]) is None
    # QA H8: her surname written surname-first, or a part of a hyphenated one
    assert identifier_clash("Moreau", ["Moreau, Thessaly"]) == "Moreau, Thessaly"
    assert identifier_clash("Okafor", ["Ms. Thessaly Moreau-Okafor"]) == "Ms. Thessaly Moreau-Okafor"
    assert identifier_clash("Moreau", ["Ms. Thessaly Moreau-Okafor"]) == "Ms. Thessaly Moreau-Okafor"
    assert identifier_clash("Thessaly", ["Moreau,Thessaly"]) == "Moreau,Thessaly"
    assert identifier_clash("Moreau", ["Moreauville Road"]) is None
    consent = ConsentRecord("verbal", "a", "b", "t")
    with pytest.raises(BadInput, match="choose another pseudonym"):
        add_participant(ready_study, "Maria Gonzalez", dict(ANSWERS), consent, [KnownIdentifier("Maria Gonzalez")])
    assert not (ready_study.root / "participants" / "Maria Gonzalez").exists()


@pytest.mark.parametrize(
    "pseudonym",
    ["M. Quintanilla", "Rose Fowler", "Tulare-Rose", "Derek's", "Marisol-Q", "Van Buren", "VanBuren", "Quintanillas",
     "Okonkwos", "Delacroix-Ann", "Ann_Fowler"],
)  # fmt: skip
def test_a_pseudonym_holding_a_listed_name_among_its_words_is_refused(pseudonym: str) -> None:
    """QA J4: a pseudonym naming a listed surname or town among its words was accepted (only the whole pseudonym
    was compared), and her folder, the audit log and every kit then held the name."""
    listed = ["Marisol Quintanilla", "Derek Fowler", "Tulare", "Hope House", "Van Buren Street",
              "Zyrafina Okonkwo-Delacroix"]  # fmt: skip
    assert identifier_clash(pseudonym, listed) is not None


@pytest.mark.parametrize(
    "pseudonym",
    ["Church", "Ann Church", "Lane", "Ann Lane", "House", "Ann House", "Mirae", "Obrien", "Kofi2", "2Kofi",
     "Kofi1990", "Mirae99", "Kofi_2"],
)  # fmt: skip
def test_a_surname_that_is_also_a_place_word_is_a_name(pseudonym: str) -> None:
    """QA K3: the last-word rule above let a listed person's surname through when it is also a place's word (Kofi
    Church, Tavita Lane, Adaeze House), and a hyphenated name joined ("Mirae" of "Mi-rae"); QA K15: a listed name
    with digits glued on ("Kofi2") went out in the demographics' pseudonym column."""
    listed = ["Kofi Church", "Tavita Lane", "Adaeze House", "Mi-rae Park", "Siobhan O'Brien", "Hope House"]
    assert identifier_clash(pseudonym, listed) is not None


@pytest.mark.parametrize(
    "pseudonym", ["Rose", "Street Rose", "Rose of Sharon", "Zoë", "Dereka", "Vanessa", "Sky", "Street", "Shelter",
                  "Ann Shelter", "Shelters"],
)  # fmt: skip
def test_a_pseudonym_sharing_only_an_everyday_word_or_a_longer_word_is_kept(pseudonym: str) -> None:
    """... and the last word of a listed street's or place's name is no one's name (QA J4's rest: "Street" was
    refused for "Van Buren Street")."""
    listed = ["Marisol Quintanilla", "Derek Fowler", "Tulare", "Hope Shelter", "Van Buren Street"]
    assert identifier_clash(pseudonym, listed) is None


def test_identifier_lines_take_optional_labels() -> None:
    parsed = parse_identifier_lines("Marcus\nLOCATION: Van Buren Street\n\nCinnamon\nnote: not a label\n")
    assert parsed == [
        KnownIdentifier("Marcus"),
        KnownIdentifier("Van Buren Street", "LOCATION"),
        KnownIdentifier("Cinnamon"),
        KnownIdentifier("note: not a label"),
    ]


@pytest.mark.parametrize(
    ("line", "note"),
    [
        ("Keisha Marlowe (sister)", "(sister)"),
        ("LOCATION: Fairbanks (hometown)", "(hometown)"),
        ("CONTACT: 559-555-0177 (mother's cell)", "(mother's cell)"),
        ("Deshawn Pryor - trafficker", "- trafficker"),
        ("Tremaine Hollis # pimp", "# pimp"),
        ("Latrice Odom, caseworker", ", caseworker"),
        # QA S8's rest: notes with no mark at all, or square brackets
        ("CONTACT: 559-555-0177 mom", "mom"),
        ("559-555-0177 mother's cell", "mother's cell"),
        ("Fairbanks hometown", "hometown"),
        ("fairbanks hometown", "hometown"),
        ("Keisha Marlowe sister", "sister"),
        ("keisha marlowe older sister", "sister"),
        ("Keisha Marlowe [sister]", "[sister]"),
        # QA T3: any bracket, with or without letters; a phone's extension; an age after a comma
        ("SHELTER: Bethel House (2019)", "(2019)"),
        ("Keisha Marlowe {sister}", "{sister}"),
        ("Keisha Marlowe <sister>", "<sister>"),
        ("CONTACT: 559-555-0177 ext 2", "ext 2"),
        ("Keisha Marlowe, 19", ", 19"),
    ],
)
def test_a_note_written_after_an_identifier_is_refused_naming_the_note_only(line: str, note: str) -> None:
    """QA S8: "Fairbanks (hometown)" and "559-555-0177 (mother's cell)" were stored whole and matched nothing, so
    both left a reviewed export; "(sister)" made "sister" a name part scrubbed in every woman's files."""
    with pytest.raises(BadInput, match=r"line 2 holds a note") as err:
        parse_identifier_lines(f"Renata Okafor\n{line}\n")
    assert repr(note) in str(err.value) and line.split(note)[0].split(":")[-1].strip() not in str(err.value)


def test_identifiers_that_look_like_notes_but_are_not_stay_whole() -> None:
    lines = ["(916) 555-0142", "#42 Elm", "Moreau, Thessaly", "moreau, thessaly", "Hope - House", "Mi-rae Park"]
    lines += ["Sister Mary", "sister mary", "Little Sister Boutique", "Van Buren street", "12 oak street"]
    lines += ["mom's place"]
    assert [i.text for i in parse_identifier_lines("\n".join(lines))] == lines


@pytest.mark.parametrize(
    ("line", "two"),
    [
        ("Tasha aka Candy", "two names ('aka'"),
        ("tasha a.k.a. candy", "two names ('a.k.a.'"),
        ("Tasha also known as Candy", "two names ('also known as'"),
        ("Tasha alias Candy", "two names ('alias'"),
        ("Keisha Marlowe aka. KeKe", "two names ('aka.'"),  # QA T3
        ("Keisha Marlowe née Odom", "two names ('née'"),
        ("Keisha Marlowe and Tremaine Hollis", "two names ('and'"),
        ("CONTACT: 559-555-0177 or 559-555-0188", "two numbers"),
        ("559-555-0177 / 559-555-0188", "two numbers"),
    ],
)
def test_two_identifiers_on_one_line_are_refused_asking_for_a_line_each(line: str, two: str) -> None:
    """QA S8/T3: the word between them ("aka", "or") became a name part scrubbed from every woman's files, and
    neither identifier was matched on its own (both phones left a reviewed export)."""
    with pytest.raises(BadInput, match=r"line 1 holds .*: write each name or number she may say on a line of its own"):
        parse_identifier_lines(line)
    with pytest.raises(BadInput, match=re.escape(two)):
        parse_identifier_lines(line)


def test_an_unlabelled_number_e_mail_or_case_number_is_no_persons_name() -> None:
    """As PERSON, "(916) 555-0142" was cut into the "name parts" "(916)" and "555-0142", each scrubbed as a person."""
    lines = [
        "(916) 555-0142",
        "mari_q88@yahoo.com",
        "@mari_q88",
        "CR2008-114372",
        "44-12",
        "#42 Elm",
        "Brothers and Sisters Shelter",
    ]
    labels = [i.label for i in parse_identifier_lines("\n".join(lines))]
    assert labels == ["CONTACT", "CONTACT", "CONTACT", "ID", "ID", "LOCATION", "ORG"]


def test_identifier_label_synonyms_are_mapped_and_other_capital_prefixes_refused() -> None:
    parsed = parse_identifier_lines(
        "PLACE: Springfield\nTown: Lodi\nname: Kayla\nSHELTER: Hope House\nPHONE: 555 0100\nID: 44-12\n"
        "Mrs: Okafor\nRenata Okafor"
    )
    assert parsed == [
        KnownIdentifier("Springfield", "LOCATION"),
        KnownIdentifier("Lodi", "LOCATION"),
        KnownIdentifier("Kayla", "PERSON"),
        KnownIdentifier("Hope House", "ORG"),
        KnownIdentifier("555 0100", "CONTACT"),
        KnownIdentifier("44-12", "ID"),
        KnownIdentifier("Mrs: Okafor", "PERSON"),  # not a one-word capital prefix: the colon is part of it
        KnownIdentifier("Renata Okafor", "PERSON"),
    ]
    with pytest.raises(BadInput, match=r"line 2: 'STATE' is not a label; use one of PERSON, LOCATION, ORG") as err:
        parse_identifier_lines("Kayla\nSTATE: Nevada\n")
    assert "Nevada" not in str(err.value)  # the message names the label, not the identifier


def test_an_unlabelled_shelter_or_church_is_an_org() -> None:
    parsed = parse_identifier_lines("Hope House\nUnion Gospel Mission\nGrace Church\nHouse\nHope")
    assert [k.label for k in parsed] == ["ORG", "ORG", "ORG", "PERSON", "PERSON"]


def test_an_unlabelled_street_or_town_is_a_location() -> None:
    parsed = parse_identifier_lines("Elm Street\nOak Ave.\nSpringfield\nBakersfield\nRenata Okafor\nPERSON: Jordan")
    assert [k.label for k in parsed] == ["LOCATION", "LOCATION", "LOCATION", "LOCATION", "PERSON", "PERSON"]


def test_an_unlabelled_town_with_its_state_or_county_is_a_location_and_everyday_words_no_person() -> None:
    """walk24 WK2: "Lodi, CA" and "Modesto California" were guessed PERSON. A town's name that is a given name too
    stays a PERSON alone (its mentions take the label their words give: QA V1); everyday words with no given name
    among them are a place where they name a town of some size ("Spring Valley"), else a person: a street name
    ("Sugar Bear", "Big Money": qa25 QA3, made ORG they lost their parts said alone) as likely as a body's."""
    lines = "Lodi, CA\nModesto California\nTulare County\nLodi\nTyler\nSpring Valley\nBig Mike\nSugar Bear\n"
    lines += "Big Money\nLee Al"  # a surname, not Lee, Alabama: a state's code is written in capitals
    assert [k.label for k in parse_identifier_lines(lines)] == [
        "LOCATION", "LOCATION", "LOCATION", "PERSON", "PERSON", "LOCATION", "PERSON", "PERSON", "PERSON", "PERSON"
    ]  # fmt: skip


def test_profile_is_encrypted_and_holds_no_name_outside_it(ready_study: Study) -> None:
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(ready_study, "Rose", ANSWERS, consent, [KnownIdentifier("Marcus"), KnownIdentifier("Cinnamon")])
    identities = ready_study.unlock(PASSPHRASE.encode())
    profile = load_profile(ready_study, "Rose", identities)
    assert profile.answers == ANSWERS and profile.consent == consent
    assert [i.text for i in known_identifiers(ready_study, "Rose", identities)] == ["Marcus", "Cinnamon"]
    for path in ready_study.root.rglob("*"):
        if path.is_file():
            assert b"Marcus" not in path.read_bytes() and b"Cinnamon" not in path.read_bytes()
    entry = next(e for e in ready_study.audit.entries() if e["action"] == "participant.add")
    assert json.dumps(entry).count("Rose") == 1  # added locked: the next unlock vouches for her files (vouching)


def test_session_folders_are_named_by_time_and_never_reused(ready_study: Study) -> None:
    (ready_study.root / "participants" / "Rose").mkdir()
    first = new_session_folder(ready_study, "Rose")
    second = new_session_folder(ready_study, "Rose")
    assert first != second and second.name.startswith(first.name[:15])
    with pytest.raises(BadInput, match="no participant"):
        new_session_folder(ready_study, "Nobody")


def test_a_session_is_refused_while_the_clock_is_before_the_study_was_made(ready_study: Study) -> None:
    """QA S3: a clock reset to 2000 (a field laptop's dead clock battery) filed her interview years back, and it
    became her "session 1" in every export. Refused, nothing made; a clock a few hours off (another time zone set
    by hand) is not."""
    (ready_study.root / "participants" / "Rose").mkdir()
    made = ready_study.made_at()
    assert made is not None and abs((datetime.now(UTC) - made).total_seconds()) < 600
    ready_study.clock = lambda: datetime(2000, 1, 1, 0, 2, tzinfo=UTC)
    with pytest.raises(BadInput, match=r"clock says 2000-01-01 00:02 UTC, before this study was made \(20"):
        new_session_folder(ready_study, "Rose")
    assert not any((ready_study.root / "participants" / "Rose").iterdir())
    ready_study.clock = lambda: made - timedelta(hours=12)
    assert new_session_folder(ready_study, "Rose").name == f"{made - timedelta(hours=12):%Y%m%d-%H%M%S}"


def test_a_study_opened_by_a_relative_path_writes_inside_it(study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(study.root.parent)
    relative = Study.open(Path(study.root.name))
    written = relative.write_new(relative.root / "participants" / "x.age", b"x")
    assert written == study.root / "participants" / "x.age"
    assert not any(p.name == study.root.name for p in study.root.iterdir())
    assert os.path.isabs(relative.root)


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        ("Rosa Treviño\nSTATE:\nJosé Padilla", r"line 2: 'STATE' is not a label; use one of PERSON, LOCATION"),
        ("Rosa\n\nNAME:", r"line 3: the label 'NAME' has no identifier after it; write the identifier"),
        ("Rosa\nphone :", r"line 2: the label 'phone' has no identifier after it"),
        ("Rosa\nnote:", r"line 2: 'note:' names nothing; write the identifier"),
        ("Rosa\n:", r"line 2: ':' names nothing"),
    ],
)
def test_a_label_with_nothing_after_it_is_refused_with_its_line(lines: str, said: str) -> None:
    """QA E12: "STATE:" alone was stored as the identifier "STATE:" (a PERSON), though "STATE: Nevada" was refused."""
    with pytest.raises(BadInput, match=said):
        parse_identifier_lines(lines)


def test_identifiers_are_stored_nfc_and_match_either_form(ready_study: Study) -> None:
    """QA E12: an NFD "José" (e + combining accent) was stored as typed. It is stored NFC; matching folds both
    forms in either direction, in detection and in the export's last scrub."""
    nfd = unicodedata.normalize("NFD", "José Padilla")
    parsed = parse_identifier_lines(f"{nfd}\nPLACE: {unicodedata.normalize('NFD', 'Mérida')}")
    assert parsed == [KnownIdentifier("José Padilla"), KnownIdentifier("Mérida", "LOCATION")]
    assert ascii(parsed[0].text) == "'Jos\\xe9 Padilla'"
    consent = ConsentRecord("verbal", "a", "b", "t")
    add_participant(ready_study, "Rosa", dict(ANSWERS), consent, [KnownIdentifier(nfd)])
    stored = known_identifiers(ready_study, "Rosa", ready_study.unlock(PASSPHRASE.encode()))
    assert [ascii(k.text) for k in stored] == ["'Jos\\xe9 Padilla'"]
    for listed in ("José Padilla", nfd):
        for said in ("José Padilla", nfd, "JOSE PADILLA"):
            found = [s.text for s in detect(f"I met {said} there.", [KnownIdentifier(listed)]) if s.source == "known"]
            assert found == [said]
            assert Scrubber([(listed, "[PERSON 1]")])(f"I met {said} there.") == "I met [PERSON 1] there."


def test_a_letter_missing_its_irb_number_says_to_set_it_under_study() -> None:
    """qa25 QA6: `init` without --irb, then `participant add`, said "set it under [letter]"; doing so changed nothing,
    since the IRB number (and the title) are read from [study]."""
    from fieldvault.errors import BadInput

    values = {"title": "E", "irb": "", "contact_name": ""}
    with pytest.raises(BadInput) as told:
        fill("information_letter.md", "{{irb}} {{contact_name}} {{title}}", values)
    assert str(told.value) == (
        "information_letter.md needs contact_name, irb: set irb under [study] and contact_name under [letter] in "
        "study.toml, then try again"
    )


def test_a_substitute_that_sounds_like_a_listed_name_is_on_a_list(study: Study) -> None:
    """qa25 QA12: "Sonny", "Sunni" were taken as substitutes for her listed "Sunny" and printed in every export, though
    the detector takes them for her name; one that is no form of a listed name is free."""
    from fieldvault.participants import on_any_list

    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "t")
    add_participant(study, "Rose", ANSWERS, consent, [KnownIdentifier("Sunny"), KnownIdentifier("Ned Barlow")])
    identities = study.unlock(PASSPHRASE.encode())
    assert [on_any_list(study, name, identities) for name in ("Sonny", "Sunni", "Sunny", "Lisa", "Maria")] == [
        True, True, True, False, False
    ]  # fmt: skip


def test_a_substitute_said_like_a_listed_name_but_spelled_another_way_is_on_a_list(study: Study) -> None:
    """qa26 names26 (qa25 QA12 residual): "Duane" was taken as the substitute for her listed "Dwayne" (a "u" before a
    vowel is said as a "w", which metaphone keeps only where it is written), and "Karl" for "Carl", "Filip" for
    "Phillip" (the same first sound written with another letter). The detector finds them where she says them too;
    a name said otherwise stays free."""
    from fieldvault.participants import on_any_list
    from fieldvault.redact.known import find_known

    listed = ["Dwayne Okafor", "Carl", "Phillip", "Catherine", "Luis", "Quentin"]
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "t")
    add_participant(study, "Rose", ANSWERS, consent, [KnownIdentifier(name) for name in listed])
    identities = study.unlock(PASSPHRASE.encode())
    alike = ["Duane", "Karl", "Filip", "Kathryn", "Lewis", "Kwentin"]
    assert [name for name in alike if not on_any_list(study, name, identities)] == []
    assert [on_any_list(study, name, identities) for name in ("Dean", "Diane", "Maria", "Miguel")] == [False] * 4
    said = "then Duane and Karl took me"
    found = find_known(said, [KnownIdentifier(n) for n in listed])
    assert sorted((s.start, s.text, s.matched) for s in found) == [
        (5, "Duane", "Dwayne Okafor"), (15, "Karl", "Carl")
    ]  # fmt: skip


def test_a_listed_name_heard_with_its_first_sound_voiced_is_found_where_a_person_stands_and_refused_as_substitute(
    study: Study,
) -> None:
    """qa26 QB1: tiny.en wrote "beaches" for her listed "Peaches" three times; nothing was proposed (a sound-alike
    needed the same first letter, and an everyday word a naming word before it), and `s` took "Beaches" and "Peachy"
    as her substitute. A first sound voiced or not (p/b, t/d, k/g, f/v, s/z) is the same sound; an everyday word
    is believed where only a person stands; her name with another pet ending is hers."""
    from fieldvault.participants import on_any_list
    from fieldvault.redact.known import find_known

    listed = [KnownIdentifier("Peaches"), KnownIdentifier("Dina"), KnownIdentifier("Gail"), KnownIdentifier("Vernon")]
    said = "Me and beaches stayed at the motel. beaches had a baby by then. I told beaches to run. We saw the beaches."
    found = [(said[s.start : s.end], s.matched) for s in sorted(find_known(said, listed), key=lambda s: s.start)]
    assert found == [("beaches", "Peaches")] * 3
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "t")
    add_participant(study, "Rose", ANSWERS, consent, listed)
    identities = study.unlock(PASSPHRASE.encode())
    refused = ["Beaches", "Peachy", "Peachie", "Tina", "Kail", "Fernon"]
    assert [name for name in refused if not on_any_list(study, name, identities)] == []
    assert [on_any_list(study, name, identities) for name in ("Maria", "Lisa", "Bea")] == [False] * 3
