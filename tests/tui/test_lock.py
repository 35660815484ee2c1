"""Locking from every screen (QA E23): Ctrl+L in the transcript editor and the review screen, where her words are
on screen, and the lock that comes by itself after idle time, never during a recording. After a lock nothing of
her words is on screen, and what was being typed is kept, encrypted."""

from __future__ import annotations

from textual.widgets import DataTable

from fieldvault import transcript_versions as versions
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.confirm import ConfirmScreen
from fieldvault.tui.screens.editor import EditorScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.journal import JournalScreen
from fieldvault.tui.screens.leave import LeaveScreen
from fieldvault.tui.screens.review import ReviewScreen
from fieldvault.tui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE
from tests.sessionfiles import store_transcript
from tests.tui.conftest import StillClock, messages, unlock, until
from tests.tui.test_editor import SESSION, Gate, open_editor, study_with_draft
from tests.tui.test_editor import held_save as held_save  # the fixture
from tests.tui.test_field_sessions import _app, _participant, _record, _stop
from tests.tui.test_review_screen import _study_with_transcript

HER_WORDS = ("leaving", "Marcus", "Van Buren", "GDB", "Zebulon", "Phoenix", "Faith")


def _on_screen(app) -> str:
    """Everything the terminal shows now, toasts included (rendered to text in memory, never written)."""
    return app.export_screenshot()


async def unlock_again(pilot) -> None:
    """Unlock after a lock, landing wherever unlocking leads (not only home)."""
    await pilot.click("#passphrase")
    await pilot.press(*PASSPHRASE, "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _locked(app) -> bool:
    return isinstance(app.screen, UnlockScreen) and len(app.screen_stack) == 2 and app.identities == []


async def test_ctrl_l_in_the_editor_keeps_the_typing_encrypted_and_leaves_none_of_her_words_on_screen(
    study: Study,
) -> None:
    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press(*"Zebulon ")
        assert editor.dirty and any(word in _on_screen(app) for word in HER_WORDS)
        await pilot.press("escape")  # a dialog over her words: "unsaved changes: save, discard, stay"
        await pilot.pause()
        assert isinstance(app.screen, LeaveScreen)
        await pilot.press("ctrl+l")  # a modal screen cuts the app's bindings off unless they come first
        await until(pilot, lambda: _locked(app))
        shown = _on_screen(app)
        assert not [word for word in HER_WORDS if word in shown]
        assert "kept, encrypted, in its autosave" in str(app.screen.query_one("#locked-why").render())
        identities = study.unlock(PASSPHRASE.encode())
        kept = versions.load_autosave(study, "Rose", SESSION, identities)
        assert kept is not None and kept.segments[0].text.startswith("Zebulon")
        await unlock(pilot)  # and the typing is offered back on opening the session again
        app.screen.query_one("#sessions", DataTable).move_cursor(row=0)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        offer = app.screen
        assert isinstance(offer, ConfirmScreen) and "kept by autosave" in offer.question
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.dirty)
        reopened = app.screen
        assert isinstance(reopened, EditorScreen) and reopened.draft.segments[0].text.startswith("Zebulon")


async def test_a_lock_waits_for_a_save_under_way_then_keeps_what_was_typed_meanwhile(
    study: Study, held_save: Gate
) -> None:
    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("end", *" Yes.", "ctrl+s")
        await pilot.pause()
        assert editor.saving is not None
        await pilot.press("down", *"Zebulon ", "ctrl+l")
        await pilot.pause(0.5)
        assert app.screen is editor and app.identities  # not cut short
        assert "Locking once what is being stored (a save, an export, a move) is done" in messages(app)
        held_save.open.set()
        await until(pilot, lambda: _locked(app))
        assert "kept, encrypted, in its autosave" in str(app.screen.query_one("#locked-why").render())
    identities = study.unlock(PASSPHRASE.encode())
    assert versions.load(study, "Rose", SESSION, identities).segments[0].text.endswith("leaving? Yes.")
    kept = versions.load_autosave(study, "Rose", SESSION, identities)
    assert kept is not None and kept.segments[1].text.startswith("Zebulon When I was 90")


async def test_ctrl_l_in_the_review_screen_clears_her_words_from_the_screen_and_the_toasts(study: Study) -> None:
    from dataclasses import replace

    from fieldvault.transcript import Segment, Transcript

    session = _study_with_transcript(study)
    path = f"participants/Rose/{session}/transcript.json.age"
    transcript = Transcript.from_json(study.read(path, study.unlock(PASSPHRASE.encode())))
    more = (*transcript.segments, Segment(12.0, 16.0, "We drank boba at the Zebulon mall."))
    store_transcript(study, replace(transcript, segments=more))  # transcribed again
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        app.screen.query_one("#sessions", DataTable).move_cursor(row=0)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("w")  # what is left unredacted
        await pilot.pause()
        await pilot.press("enter")  # go to the first: a toast quotes it
        await pilot.pause()
        assert any("mention 1 of" in m for m in messages(app))
        assert any(word in _on_screen(app) for word in HER_WORDS)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: _locked(app))
        shown = _on_screen(app)
        assert not [word for word in HER_WORDS if word in shown] and not app._notifications


async def test_the_tui_locks_itself_after_idle_time_saving_a_journal_entry_being_written(
    study: Study, idle_clock: StillClock
) -> None:
    app = make_app(study, lock_after=1.5)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen))
        await pilot.press(*"Zebulon called again")
        idle_clock.advance(1.0)
        await pilot.pause(1.5)  # the idle check (each second) finds 1 s without a key: not yet
        assert isinstance(app.screen, JournalScreen) and app.identities
        idle_clock.advance(1.0)
        await until(pilot, lambda: _locked(app), seconds=15)
        why = str(app.screen.query_one("#locked-why").render())
        assert why.startswith("Locked after 2 seconds without a key pressed."), why
        assert "journal entry being written was saved, encrypted" in why
        assert "Zebulon" not in _on_screen(app)
        from fieldvault.journal import list_entries

        entries = list_entries(study, study.unlock(PASSPHRASE.encode()))
        assert [e.text for e in entries] == ["Zebulon called again"]


async def test_no_lock_interrupts_a_recording_and_the_idle_lock_comes_once_it_ended(
    ready_study: Study, idle_clock: StillClock
) -> None:
    _participant(ready_study, "Rose")
    app = _app(ready_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("r", "3")
        screen = await _record(pilot)
        app.lock_after = 0.5
        idle_clock.advance(2.5)
        await pilot.pause(2.5)  # idle, well past the lock time, while the idle check runs
        assert app.screen is screen and screen.recorder is not None and app.identities
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen is screen and screen.recorder is not None
        assert any("A recording is running: it goes on" in m for m in messages(app))
        app.lock_after = 2.0
        await _stop(pilot)  # however long stopping takes, the clock stands still: no lock before home shows
        assert isinstance(app.screen, HomeScreen) and app.identities
        idle_clock.advance(2.5)
        await until(pilot, lambda: _locked(app), seconds=8)


def test_the_idle_time_is_given_in_minutes_and_a_bad_one_is_one_line(study: Study, capsys, monkeypatch) -> None:
    from fieldvault import cli
    from fieldvault.tui import app as tui_app

    assert cli.main(["open", str(study.root), "--lock-after", "0"]) == 1
    assert capsys.readouterr().err.strip().endswith("more than 0 and at most 1440")
    made: list[float] = []

    class Recorded:
        driver_class = object  # no terminal driver: kept_off_screen leaves fd 2 alone
        return_code = None  # what an App that ended normally says

        def run(self) -> None:
            pass

    def fake_make_app(study: Study | None, lock_after: float) -> Recorded:
        made.append(lock_after)
        return Recorded()

    monkeypatch.setattr(tui_app, "make_app", fake_make_app)
    assert cli.main(["open", str(study.root), "--lock-after", "2.5"]) == 0
    assert made == [150.0]


async def test_a_new_sessions_set_up_is_kept_sealed_through_a_lock_and_back_after_unlocking(
    ready_study: Study,
) -> None:
    """QA Q8: the idle lock threw away a set-up in progress (consent given, answers typed). Ctrl+L and the idle lock
    now keep it, sealed to the study's recipients in memory (nothing on disk), and unlocking gives it back at the step
    it was at, with what was typed there; the consent keeps the time it was given."""
    from textual.widgets import Input, Select, SelectionList, TextArea

    from fieldvault.participants import known_identifiers, load_profile
    from fieldvault.tui.screens.identifiers import IdentifiersScreen
    from fieldvault.tui.screens.questionnaire import QuestionnaireScreen
    from fieldvault.tui.screens.recording import RecordingScreen

    before = sorted(p for p in ready_study.root.rglob("*"))
    app = _app(ready_study)
    async with app.run_test(size=(100, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("n", "ctrl+g", *"Crystal", "enter")
        assert isinstance(app.screen, QuestionnaireScreen)
        given = app.screen.draft.consent
        app.screen.query_one("#q-age", Input).value = "44"
        app.screen.query_one("#q-race_ethnicity", Select).value = "Black"
        app.screen.query_one("#q-venues", SelectionList).select("Street")
        await pilot.press("ctrl+l")  # no question: nothing is lost
        await until(pilot, lambda: _locked(app))
        notice = " ".join(str(app.screen.query_one("#locked-why").render()).split())
        assert "The new session being set up is kept, encrypted: it is back once you unlock." in notice
        assert app.kept_wizard is not None and b"Crystal" not in app.kept_wizard.sealed
        assert sorted(p for p in ready_study.root.rglob("*")) == before  # nothing written
        await unlock_again(pilot)
        await until(pilot, lambda: isinstance(app.screen, QuestionnaireScreen))
        screen = app.screen
        assert screen.query_one("#q-age", Input).value == "44"
        assert screen.query_one("#q-race_ethnicity", Select).value == "Black"
        assert list(screen.query_one("#q-venues", SelectionList).selected) == ["Street"]
        for name, value in (("age_at_entry", "16"), ("years_involved", "20"), ("years_out", "6")):
            screen.query_one(f"#q-{name}", Input).value = value
        screen.query_one("#q-worked_for_trafficker", Select).value = "Yes"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, IdentifiersScreen)
        app.screen.query_one("#identifiers", TextArea).text = "Marcus"
        app.lock_after = 0.5  # then nobody touches the keyboard
        await until(pilot, lambda: _locked(app), seconds=5)
        app.lock_after = 600
        await unlock_again(pilot)
        await until(pilot, lambda: isinstance(app.screen, IdentifiersScreen))
        assert app.screen.query_one("#identifiers", TextArea).text == "Marcus"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
    identities = ready_study.unlock(PASSPHRASE.encode())
    profile = load_profile(ready_study, "Crystal", identities)
    assert profile.consent == given and profile.answers["age"] == 44 and profile.answers["venues"] == ["Street"]
    assert [i.text for i in known_identifiers(ready_study, "Crystal", identities)] == ["Marcus"]


async def test_a_kit_hides_what_was_typed_after_the_idle_time_and_a_key_shows_it_again_unchanged(
    ready_study: Study, idle_clock: StillClock, tmp_path
) -> None:
    """qa29 QE15: a kit holds no key, so the idle lock never came: what the interviewer typed of hers (names at a
    names step, a journal entry) stayed on screen for good. Now a curtain covers the screen after the idle time; a key
    lifts it, typing nothing, and everything under it is as it was."""
    from textual.widgets import TextArea

    from fieldvault.tui.screens.curtain import CurtainScreen

    kit = ready_study.make_field_kit(tmp_path / "kit")
    app = _app(kit)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#locked")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen))
        await pilot.press(*"Zebulon called again")
        assert "Zebulon" in _on_screen(app)
        app.lock_after = 1.5
        idle_clock.advance(1.0)
        await pilot.pause(1.5)
        assert isinstance(app.screen, JournalScreen)  # not yet
        idle_clock.advance(1.0)
        await until(pilot, lambda: isinstance(app.screen, CurtainScreen), seconds=15)  # on main: never
        assert "Zebulon" not in _on_screen(app)
        said = str(app.screen.query_one("#curtain-why").render())
        assert (
            said == "Hidden after 2 seconds without a key pressed; nothing was closed. Press any key to show it again."
        )
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen))
        assert app.screen.query_one(TextArea).text == "Zebulon called again"  # no "x" typed into it
