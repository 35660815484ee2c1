"""The session wizard end to end with Pilot: letter, pseudonym, questionnaire, identifiers, recording."""

from __future__ import annotations

import asyncio

import numpy as np
from textual.widgets import Input, Label, Select, SelectionList, TextArea

from fieldvault.capture.devices import InputDevice
from fieldvault.capture.source import ArraySource
from fieldvault.events import load_events
from fieldvault.participants import MAX_IDENTIFIER, MAX_LIST, known_identifiers, load_profile
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.identifiers import IdentifiersScreen
from fieldvault.tui.screens.letter import LetterScreen
from fieldvault.tui.screens.pseudonym import PseudonymScreen
from fieldvault.tui.screens.questionnaire import QuestionnaireScreen
from fieldvault.tui.screens.recording import RecordingScreen
from tests.conftest import PASSPHRASE
from tests.tui.conftest import messages, unlock, until

DEVICE = [InputDevice(3, "test microphone", 1, 16000, True)]


def _app(study: Study):
    tone = (8000 * np.sin(np.arange(16000 * 120) / 16000 * 2 * np.pi * 220)).astype(np.int16)
    return make_app(study, list_devices=lambda: DEVICE, make_source=lambda d, r, c: ArraySource(tone, r))


async def _until(pilot, predicate, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        if predicate():
            await pilot.pause()  # let a new screen finish mounting before the test moves on or exits
            return
        await pilot.pause(0.05)
    raise AssertionError(f"condition never met; on {type(pilot.app.screen).__name__}")


async def test_a_whole_session_from_letter_to_sealed_recording(ready_study: Study) -> None:
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, LetterScreen)
        assert "Dr. Ana Ruiz" in app.screen.letter.text
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, PseudonymScreen)
        await pilot.press(*"Crystal", "enter")
        assert isinstance(app.screen, QuestionnaireScreen)
        screen = app.screen
        screen.query_one("#q-age", Input).value = "44"
        screen.query_one("#q-race_ethnicity", Select).value = "Black"
        screen.query_one("#q-age_at_entry", Input).value = "16"
        screen.query_one("#q-years_involved", Input).value = "20"
        screen.query_one("#q-years_out", Input).value = "6"
        screen.query_one("#q-venues", SelectionList).select("Street")
        screen.query_one("#q-worked_for_trafficker", Select).value = "Yes"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, IdentifiersScreen)
        app.screen.query_one("#identifiers", TextArea).text = "Marcus\nLOCATION: Van Buren Street\ncrystal"
        await pilot.press("ctrl+s")
        assert any("may be her real name" in n.message for n in app._notifications)
        assert isinstance(app.screen, IdentifiersScreen)  # refused: a real name would name her folder
        app.screen.query_one("#identifiers", TextArea).text = "Marcus\nSTATE: Nevada"
        await pilot.press("ctrl+s")
        assert any("'STATE' is not a label" in n.message for n in app._notifications)
        assert isinstance(app.screen, IdentifiersScreen)  # refused, not stored as a PERSON "STATE: Nevada"
        app.screen.query_one("#identifiers", TextArea).text = "Marcus (her uncle)"
        await pilot.press("ctrl+s")
        assert any("holds a note ('(her uncle)')" in n.message for n in app._notifications)  # QA S8
        assert isinstance(app.screen, IdentifiersScreen)
        app.screen.query_one("#identifiers", TextArea).text = "Marcus\nSTATE:\nJose\u0301 Padilla"
        await pilot.press("ctrl+s")  # QA E12: a label alone was stored as the identifier "STATE:"
        assert any("identifier line 2: 'STATE' is not a label" in n.message for n in app._notifications)
        assert isinstance(app.screen, IdentifiersScreen)
        app.screen.query_one("#identifiers", TextArea).text = "Marcus\nPLACE: Van Buren Street\nJose\u0301 Padilla"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, RecordingScreen)
        await pilot.pause()
        key = ready_study.config.recipients[0].key
        shown = str(app.screen.query_one("#encrypted-to", Label).render())
        assert f"study ({key[:12]}…{key[-6:]})" in shown  # who can read what is recorded, before it starts
        await pilot.click("#start")
        await _until(pilot, lambda: app.screen.recorder is not None and app.screen.recorder.at > 0.5)
        await pilot.press("right")
        await pilot.press("space")
        await asyncio.sleep(0.3)
        await pilot.press("space")
        await asyncio.sleep(0.5)
        await pilot.press("m")  # last: just after a note, space is taken as the note's words typed on (QA S4)
        await pilot.pause()
        await pilot.press(*"long silence", "enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert any("sealed and encrypted" in n.message for n in app._notifications)

    identities = ready_study.unlock(PASSPHRASE.encode())
    profile = load_profile(ready_study, "Crystal", identities)
    assert profile.answers["race_ethnicity"] == "Black" and profile.answers["venues"] == ["Street"]
    assert profile.consent.method == "information letter given; verbal consent"
    stored = known_identifiers(ready_study, "Crystal", identities)
    assert [i.label for i in stored] == ["PERSON", "LOCATION", "PERSON"]
    assert stored[2].text == "Jos\u00e9 Padilla"  # typed NFD, stored NFC (QA E12)
    (folder,) = [p for p in (ready_study.root / "participants" / "Crystal").iterdir() if p.is_dir()]
    timeline = load_events(ready_study, folder, identities)
    assert [e.kind for e in timeline.events] == ["prompt", "prompt", "pause", "resume", "note", "stop"]
    assert timeline.events[4].text == "long silence"
    assert timeline.info["device"] == "array" and float(timeline.info["duration"]) > 1


async def test_questionnaire_errors_are_notifications_and_keep_the_form(ready_study: Study) -> None:
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("n", "ctrl+g", *"Rose", "enter")
        app.screen.query_one("#q-age", Input).value = "12"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, QuestionnaireScreen)
        assert any("outside 18–100" in n.message for n in app._notifications)
    assert not (ready_study.root / "participants" / "Rose").exists()


async def test_taken_pseudonym_is_refused(ready_study: Study) -> None:
    (ready_study.root / "participants" / "Rose" / "20261124-100000").mkdir(parents=True)  # hers: a session
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("n", "ctrl+g", *"rose", "enter")
        assert isinstance(app.screen, PseudonymScreen)
        assert any("taken already" in n.message for n in app._notifications)


async def test_unfilled_letter_settings_are_named_before_the_session_starts(study: Study) -> None:
    app = _app(study)
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, HomeScreen)
        assert any("pi_name" in n.message and "study.toml" in n.message for n in app._notifications)


async def test_field_kit_records_but_cannot_play_back(ready_study: Study, tmp_path) -> None:
    kit = ready_study.make_field_kit(tmp_path / "kit")
    app = _app(kit)
    async with app.run_test(size=(110, 45)) as pilot:
        await pilot.click("#locked")
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("n", "ctrl+g", *"Lily", "enter")
        app.screen.query_one("#q-age", Input).value = "30"
        app.screen.query_one("#q-race_ethnicity", Select).value = "White"
        app.screen.query_one("#q-age_at_entry", Input).value = "20"
        app.screen.query_one("#q-years_involved", Input).value = "5"
        app.screen.query_one("#q-years_out", Input).value = "5"
        app.screen.query_one("#q-worked_for_trafficker", Select).value = "No"
        app.screen.query_one("#q-venues", SelectionList).select("Online")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.click("#start")
        await _until(pilot, lambda: app.screen.recorder is not None and app.screen.recorder.at > 0.3)
        await pilot.press("s", "y")
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("p")
        assert any("cannot play recordings back" in n.message for n in app._notifications)
    identities = ready_study.unlock(PASSPHRASE.encode())
    (folder,) = [p for p in (kit.root / "participants" / "Lily").iterdir() if p.is_dir()]
    assert load_events(kit, folder, identities).events[-1].kind == "stop"  # the trusted machine reads it


async def test_a_pseudonym_on_another_participants_list_is_refused_before_anything_is_stored(
    ready_study: Study,
) -> None:
    from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant

    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "2026-11-01T10:00:00")
    add_participant(ready_study, "Lena", {}, consent, [KnownIdentifier("Dolores Vance")])
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("n", "ctrl+g", *"DOLORES", "enter")  # a word of Lena's list, in another case
        assert isinstance(app.screen, PseudonymScreen)
        refused = [n.message for n in app._notifications if n.severity == "error"]
        # Not a word of why, nor whose list: the woman choosing may be reading the screen (QA V12).
        assert refused == ["'DOLORES' cannot be used as a pseudonym here; please choose another"], refused
    assert ready_study.participant_names() == ["Lena"]
    assert not any("DOLORES" in str(e).upper() for e in ready_study.audit.entries())


async def test_a_retired_pseudonym_is_refused_with_the_bare_words_at_the_pseudonym_step(ready_study: Study) -> None:
    """QA V12's rest: a withdrawn woman's pseudonym, and one renamed away, were refused naming why (and the current
    pseudonym of the woman renamed) on the screen the new woman reads."""
    from fieldvault.participantrename import rename_participant
    from fieldvault.participants import ConsentRecord, add_participant
    from fieldvault.stewardship.withdraw import withdraw

    identities = ready_study.unlock(PASSPHRASE.encode())
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "2026-11-01T10:00:00")
    for name in ("Rosa", "June"):
        add_participant(ready_study, name, {}, consent, [], identities)
    withdraw(ready_study, "Rosa", identities)
    rename_participant(ready_study, "June", "Juniper", identities)
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("n", "ctrl+g", *"Rosa", "enter")
        for retired in ("Rosa", "June"):
            if retired != "Rosa":
                app.screen.query_one("#pseudonym", Input).value = retired
                await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PseudonymScreen)
            refused = [n.message for n in app._notifications if n.severity == "error"]
            assert refused[-1] == f"{retired!r} cannot be used as a pseudonym here; please choose another", refused
        assert not any(w in " ".join(messages(app)) for w in ("withdr", "retired", "Juniper", "until"))
    assert ready_study.participant_names() == ["Juniper"]


def _fill_questionnaire(screen: QuestionnaireScreen) -> None:
    screen.query_one("#q-age", Input).value = "37"
    screen.query_one("#q-race_ethnicity", Select).value = "White"
    screen.query_one("#q-age_at_entry", Input).value = "19"
    screen.query_one("#q-years_involved", Input).value = "9"
    screen.query_one("#q-years_out", Input).value = "4"
    screen.query_one("#q-venues", SelectionList).select("Online")
    screen.query_one("#q-worked_for_trafficker", Select).value = "No"


async def _at_names_step(pilot) -> None:
    """Unlocked, Crystal's consent and answers given: on the names step."""
    await unlock(pilot)
    await pilot.press("n", "ctrl+g", *"Crystal", "enter")
    _fill_questionnaire(pilot.app.screen)
    await pilot.press("ctrl+s")
    assert isinstance(pilot.app.screen, IdentifiersScreen)


def _pseudonym_shown(app) -> str:
    return str(app.screen.query_one("#pseudonym-now", Label).render())


async def test_a_pseudonym_found_on_her_list_is_changed_at_the_identifiers_step_keeping_consent_and_answers(
    ready_study: Study,
) -> None:
    """QA H9: the pseudonym is refused only once her list is typed; she chooses another right there (checked as
    the pseudonym step checks it), and the consent record and her answers are kept; nothing is stored before Save."""
    from fieldvault.participants import ConsentRecord, add_participant
    from fieldvault.tui.screens.ask import AskScreen

    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "2026-11-01T10:00:00")
    add_participant(ready_study, "Rose", {}, consent, [])
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("n", "ctrl+g", *"Juniper", "enter")
        given = app.screen.draft.consent
        _fill_questionnaire(app.screen)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, IdentifiersScreen)
        assert "Pseudonym: Juniper" in _pseudonym_shown(app)
        app.screen.query_one("#identifiers", TextArea).text = "Juniper Smith\nLOCATION: Van Buren Street"
        await pilot.press("ctrl+s")
        refused = [m for m in messages(app) if "'Juniper' is on the list of names she may mention" in m]
        assert refused and "Ctrl+N" in refused[0] and "answers are kept" in refused[0]
        assert isinstance(app.screen, IdentifiersScreen)

        await pilot.press("ctrl+n", "escape")  # Esc keeps the pseudonym she had
        await pilot.pause()
        assert isinstance(app.screen, IdentifiersScreen) and "Pseudonym: Juniper" in _pseudonym_shown(app)

        await pilot.press("ctrl+n")
        assert isinstance(app.screen, AskScreen)
        await pilot.press(*"SMITH", "enter")  # a word of her list: refused the same way, and asked again
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        assert any("'SMITH' is on the list of names she may mention" in m for m in messages(app))
        await pilot.press(*"rose", "enter")  # another participant's
        await until(pilot, lambda: isinstance(app.screen, AskScreen))
        assert any("taken already" in m for m in messages(app))
        await pilot.press(*"Wren", "enter")
        await until(pilot, lambda: isinstance(app.screen, IdentifiersScreen))
        assert "Pseudonym: Wren" in _pseudonym_shown(app)
        assert ready_study.participant_names() == ["Rose"]  # nothing stored before Save
        assert not any("Juniper" in str(e) or "Wren" in str(e) for e in ready_study.audit.entries())

        app.screen.query_one("#identifiers", TextArea).text += "\nWren Okafor"  # her list grows after the change
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, IdentifiersScreen)  # the refusal still holds at Save
        assert any("'Wren' is on the list of names she may mention" in m for m in messages(app))
        app.screen.query_one("#identifiers", TextArea).text = "Juniper Smith\nLOCATION: Van Buren Street"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))

    assert sorted(ready_study.participant_names()) == ["Rose", "Wren"]
    identities = ready_study.unlock(PASSPHRASE.encode())
    profile = load_profile(ready_study, "Wren", identities)
    assert profile.pseudonym == "Wren" and profile.consent == given  # the consent record of Ctrl+G, not a new one
    assert profile.answers["age"] == 37 and profile.answers["venues"] == ["Online"]
    assert [i.text for i in known_identifiers(ready_study, "Wren", identities)] == ["Juniper Smith", "Van Buren Street"]


async def test_another_pseudonym_is_checked_against_her_list_on_a_field_kit(ready_study: Study, tmp_path) -> None:
    """The kit cannot read the study's lists, but checks her own, as typed so far, and keeps her answers."""

    kit = ready_study.make_field_kit(tmp_path / "kit")
    app = _app(kit)
    async with app.run_test(size=(110, 45)) as pilot:
        await pilot.click("#locked")
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("n", "ctrl+g", *"Tamsin", "enter")
        _fill_questionnaire(app.screen)
        await pilot.press("ctrl+s")
        app.screen.query_one("#identifiers", TextArea).text = "STATE: Nevada\nTamsin Reyes"
        await pilot.press("ctrl+n", *"Reyes", "enter")  # the list cannot be read: it says so, asks nothing more
        await pilot.pause()
        assert isinstance(app.screen, IdentifiersScreen) and "Pseudonym: Tamsin" in _pseudonym_shown(app)
        assert any("'STATE' is not a label" in m and "Ctrl+N again" in m for m in messages(app))
        app.screen.query_one("#identifiers", TextArea).text = "Tamsin Reyes"
        await pilot.press("ctrl+n", *"Reyes", "enter")
        await until(pilot, lambda: any("'Reyes' is on the list" in m for m in messages(app)))
        await pilot.press("escape")
        await pilot.press("ctrl+n", *"Ivy", "enter")
        await until(pilot, lambda: "Pseudonym: Ivy" in _pseudonym_shown(app))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
    assert kit.participant_names() == ["Ivy"]
    assert "Tamsin" not in (kit.root / "audit.jsonl").read_text(encoding="utf-8")


async def test_a_list_naming_another_participants_pseudonym_is_refused_naming_the_rename(ready_study: Study) -> None:
    (ready_study.root / "participants" / "Marcus").mkdir()  # a participant who chose "Marcus" earlier
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await _at_names_step(pilot)
        app.screen.query_one("#identifiers", TextArea).text = "Marcus Webb\nVan Buren Street"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, IdentifiersScreen)
        assert any(f"participant rename {ready_study.root} Marcus NEW" in n.message for n in app._notifications)
    assert ready_study.participant_names() == ["Marcus"]


async def test_a_list_longer_than_fieldvault_takes_is_refused_and_nothing_is_stored(ready_study: Study) -> None:
    """QA K13 (B): a 20,000-name list made every export run for minutes; at most MAX_LIST names, each at most
    MAX_IDENTIFIER characters, in the wizard as on the command line."""
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await _at_names_step(pilot)
        many = "\n".join(f"Name{n} Surname{n}" for n in range(MAX_LIST + 1))
        app.screen.query_one("#identifiers", TextArea).text = many
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, IdentifiersScreen)
        assert any(f"the list holds {MAX_LIST + 1} names; a list holds at most {MAX_LIST}" in m for m in messages(app))
        app.screen.query_one("#identifiers", TextArea).text = "Marcus\n" + "x" * (MAX_IDENTIFIER + 1)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, IdentifiersScreen)
        assert any(f"identifier line 2 is {MAX_IDENTIFIER + 1} characters long" in m for m in messages(app))
        assert ready_study.participant_names() == []
        app.screen.query_one("#identifiers", TextArea).text = many.rsplit("\n", 1)[0]  # MAX_LIST names: taken
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: isinstance(app.screen, RecordingScreen))
    identities = ready_study.unlock(PASSPHRASE.encode())
    assert len(known_identifiers(ready_study, "Crystal", identities)) == MAX_LIST


async def test_a_clock_set_before_the_study_was_made_stops_the_wizard_before_the_letter(ready_study: Study) -> None:
    """QA S3: a field laptop whose clock battery died filed her interview in 2000, and it became her "session 1"
    in every export; the interviewer is told before the letter is read, for a new woman and a follow-up."""
    from datetime import UTC, datetime

    ready_study.clock = lambda: datetime(2000, 1, 1, 0, 2, tzinfo=UTC)
    (ready_study.root / "participants" / "Rose").mkdir(mode=0o700)
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        for key in ("n", "r"):
            app._notifications.clear()
            await pilot.press(key)
            assert isinstance(app.screen, HomeScreen), key
            assert any("clock says 2000-01-01 00:02 UTC" in m for m in messages(app)), (key, messages(app))


async def test_the_wizard_refuses_a_listed_name_without_its_letters_and_a_look_alike_stand_in(
    ready_study: Study,
) -> None:
    """The TUI twin of QA R1's and R13's rests: "Bjorn" beside Lena's listed "Bjørn Halvorsen", and a stand-in typed
    with Cyrillic letters and an en dash, are refused at the pseudonym step as `participant add` refuses them."""
    from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant

    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "2026-11-01T10:00:00")
    add_participant(ready_study, "Lena", {}, consent, [KnownIdentifier("Bjørn Halvorsen")])
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("n", "ctrl+g", *"Bjorn", "enter")
        assert isinstance(app.screen, PseudonymScreen)
        assert any("'Bjorn' cannot be used as a pseudonym here" in n.message for n in app._notifications)
        app.screen.query_one("#pseudonym", Input).value = "Раrticipant–d05f6c"  # Cyrillic Р and а, an en dash
        await pilot.press("enter")
        await _until(pilot, lambda: any("stand-in" in n.message for n in app._notifications))
        assert isinstance(app.screen, PseudonymScreen)
    assert ready_study.participant_names() == ["Lena"]


async def test_the_letter_version_line_wraps_in_an_80_column_terminal(ready_study: Study) -> None:
    """walk22: at 80x24 the line ended "...the same version as on the printed letter y": the question it asks was cut
    off at the terminal's edge."""
    app = _app(ready_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, LetterScreen))
        line = app.screen.query_one("#letter-version", Label)
        assert line.region.right <= 80
        shown = " ".join(strip.text.strip() for strip in line.render_lines(line.region.reset_offset))
        assert shown.endswith("the printed letter you hand her?")


async def test_a_refusal_on_the_names_step_is_gone_once_her_list_is_saved(ready_study: Study) -> None:
    """walk22: "identifier line 2 holds a note" stayed on the recording screen after the corrected list was saved,
    as if it had been refused, while she was about to start speaking."""
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await _at_names_step(pilot)
        app.screen.query_one("#identifiers", TextArea).text = "Marcus\nFairbanks (hometown)"
        await pilot.press("ctrl+s")
        assert any("holds a note" in m for m in messages(app))
        app.screen.query_one("#identifiers", TextArea).text = "Marcus\nFairbanks"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        assert not any("holds a note" in m for m in messages(app))


async def test_a_refusal_on_the_pseudonym_or_questionnaire_step_is_gone_once_corrected(ready_study: Study) -> None:
    """walk22: "the pseudonym may not start with a dot" stayed over the questionnaire (and its Cancel question) once
    she had chosen another, as "no answer yet" did over the names step once it was answered."""
    app = _app(ready_study)
    async with app.run_test(size=(110, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("n", "ctrl+g", *"..", "enter")
        assert any("may not start with a dot" in m for m in messages(app))
        app.screen.query_one("#pseudonym", Input).value = ""
        await pilot.press(*"Crystal", "enter")
        await until(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        assert not any("may not start with a dot" in m for m in messages(app))
        await pilot.press("ctrl+s")
        assert any("no answer yet" in m for m in messages(app))
        _fill_questionnaire(app.screen)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, IdentifiersScreen))
        assert not any("no answer yet" in m for m in messages(app))


async def test_on_a_kit_a_list_holding_another_participants_pseudonym_is_kept_and_the_merge_waits_for_the_rename(
    ready_study: Study, tmp_path
) -> None:
    """qa29 QE11: on a kit, "Roseanne Miller" on a new woman's list (the study's Rose begins it) stopped her intake
    until Rose was renamed by CLI; the way the screen left open, taking the name off her list, takes it off every
    export's scrub. Now she is saved with her list whole, the interviewer is told, and merge-kit refuses her until the
    PI renames Rose in the study (its own words), then takes her in."""
    import pytest

    from fieldvault.kitmerge import KitRefused, merge_kit
    from fieldvault.participantrename import rename_participant

    (ready_study.root / "participants" / "Rose").mkdir()
    kit = ready_study.make_field_kit(tmp_path / "kit")
    app = _app(kit)
    async with app.run_test(size=(110, 45)) as pilot:
        await pilot.click("#locked")
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("n", "ctrl+g", *"Zed", "enter")
        _fill_questionnaire(app.screen)
        await pilot.press("ctrl+s")
        app.screen.query_one("#identifiers", TextArea).text = "Roseanne Miller\nVan Buren Street"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))  # on main: refused, "rename 'Rose' first"
        assert (
            "Zed is saved with her list as typed; the name 'Roseanne Miller' on it holds the pseudonym of another "
            "participant, 'Rose', which may be a real person's name: tell the PI, who renames 'Rose' in the study "
            "before merging this kit (merge-kit takes her in only then, and says how)"
        ) in messages(app), messages(app)
    identities = ready_study.unlock(PASSPHRASE.encode())
    assert [i.text for i in known_identifiers(kit, "Zed", identities)] == ["Roseanne Miller", "Van Buren Street"]
    with pytest.raises(KitRefused, match=r"nothing was merged\. Rename as said above") as refused:
        merge_kit(ready_study, kit.root, identities)
    (said,) = refused.value.refused
    assert "holds the pseudonym of the study's 'Rose'" in said and "rename 'Rose' first" in said, said
    assert "Zed" not in ready_study.participant_names()
    rename_participant(ready_study, "Rose", "Ivy", identities)
    merge_kit(ready_study, kit.root, identities)
    assert sorted(ready_study.participant_names()) == ["Ivy", "Zed"]
