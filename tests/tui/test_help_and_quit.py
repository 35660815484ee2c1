"""QA A9 (Pilot, 80×24): every screen has key help with a title, a text box keeps ? for typing and offers F1,
the move picker's question is read whole, F1 then Esc in the editor closes the panel, and Ctrl+S pressed right
before Ctrl+Q is stored before the app quits."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static, TextArea

from fieldvault import transcript_versions as versions
from fieldvault.memos import field_notes
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.export import ExportScreen
from fieldvault.tui.screens.help import HelpScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.journal import JournalScreen
from fieldvault.tui.screens.notes import SessionNotesScreen
from fieldvault.tui.screens.pick import PickScreen
from fieldvault.tui.screens.transcription import TranscriptionScreen
from tests.conftest import PASSPHRASE
from tests.tui.conftest import messages, unlock, until
from tests.tui.test_editor import SESSION, Gate, open_editor, study_with_draft
from tests.tui.test_field_sessions import _app, _participant, _record, _sessions, _stop


def _shown(widget: Widget) -> str:
    """The text a widget shows on screen, line by line (what is cut off is not there)."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text.rstrip() for line in lines)


def _help_title(app) -> str:
    assert isinstance(app.screen, HelpScreen), type(app.screen).__name__
    return _shown(app.screen.query_one("#help-title", Static)).replace("\n", " ")


async def _burst(pilot, *keys: str) -> None:
    """Keys as a terminal delivers a quick burst: all queued before the app handles the first."""
    for key in keys:
        pilot.app._driver.send_message(events.Key(key, None))
    await pilot.pause()


async def test_the_move_picker_question_is_read_whole_at_80_columns_and_has_help(ready_study: Study) -> None:
    for name in ("Lily", "Rose"):
        _participant(ready_study, name)
    app = _app(ready_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("r", "3")
        await _record(pilot)
        await _stop(pilot)
        (session,) = _sessions(ready_study, "Lily")
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, PickScreen))
        question = app.screen.query_one("#question", Static)
        assert question.region.right <= 80
        shown = " ".join(_shown(question).split())
        assert shown == f"Move session {session.name} of Lily to (↑↓ and Enter, Esc cancels)", shown
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert f"Keys on this screen: Move session {session.name} of Lily to" in _help_title(app)
        assert ("esc", "Cancel") in [tuple(map(str, row)) for row in _help_rows(app)]
        await pilot.press("escape")
        assert isinstance(app.screen, PickScreen)  # the panel closed, the choice is still open


def _help_rows(app) -> list[list[object]]:
    table = app.screen.query_one("#help-keys")
    return [table.get_row_at(i) for i in range(table.row_count)]


async def test_notes_and_journal_keep_question_mark_for_typing_and_open_help_with_f1(ready_study: Study) -> None:
    _participant(ready_study, "Rose")
    app = _app(ready_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("r", "3")
        await _record(pilot)
        await _stop(pilot)
        for key, screen, box, title in (
            ("f", SessionNotesScreen, "#new-notes", "Session notes"),
            ("j", JournalScreen, "#new-entry", "Reflexive journal"),
        ):
            await pilot.press(key)
            await until(pilot, lambda screen=screen: isinstance(app.screen, screen))
            if screen is SessionNotesScreen:  # a blank line between the timeline and the field notes
                heading = app.screen.query("Label.title")[-1]
                assert str(heading.render()) == "Field notes"
                assert heading.region.y > app.screen.query_one("#timeline").region.bottom
            await pilot.press(*"Why?")
            assert app.screen.query_one(box, TextArea).text == "Why?"  # ? is typed, as it must be
            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            assert _help_title(app) == f"Keys on this screen: {title} (Esc closes)"
            keys = {str(row[1]) for row in _help_rows(app)}
            assert {"Back", "Quit", "Help"} <= keys and any(k.startswith("Save") for k in keys), keys
            await pilot.press("f1")  # F1 again closes it, as Esc does
            await until(pilot, lambda screen=screen: isinstance(app.screen, screen))
            assert app.screen.query_one(box, TextArea).text == "Why?"
            app.screen.query_one(box, TextArea).text = ""
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_export_and_transcription_help_is_titled(ready_study: Study) -> None:
    _participant(ready_study, "Rose")
    app = _app(ready_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        for key, screen, title in (("e", ExportScreen, "Export"), ("t", TranscriptionScreen, "Transcription queue")):
            await pilot.press(key)
            await until(pilot, lambda screen=screen: isinstance(app.screen, screen))
            await pilot.press("question_mark")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            assert _help_title(app) == f"Keys on this screen: {title} (Esc closes)"
            await pilot.press("escape", "escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_editor_f1_lists_its_own_keys_and_esc_closes_only_the_panel(study: Study) -> None:
    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert _help_title(app) == "Keys on this screen: Transcript editor (Esc closes)"
        described = [str(row[1]) for row in _help_rows(app)]
        assert {"Play/pause", "Save version", "Mark reviewed", "Every key of this screen"} <= set(described)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen  # still editing


async def test_ctrl_s_right_before_ctrl_q_saves_the_version_then_quits(study: Study, monkeypatch) -> None:
    study_with_draft(study)
    gate = Gate(versions.save)
    monkeypatch.setattr(versions, "save", gate)
    app = make_app(study)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("end", *" Yes.")
        await _burst(pilot, "ctrl+s", "ctrl+q")
        await until(pilot, lambda: "Saving first: fieldvault quits once it is stored" in messages(app))
        assert gate.calls == 1 and app.return_code is None and app.screen is screen  # waiting for the save
        gate.open.set()
        await until(pilot, lambda: app.return_code is not None)
        assert "Saved as version 2" in messages(app)
    saved = versions.load(study, "Rose", SESSION, study.unlock(PASSPHRASE.encode()))
    assert saved.segments[0].text.endswith("leaving? Yes.")


async def test_ctrl_s_right_before_ctrl_q_saves_the_field_notes_then_quits(ready_study: Study) -> None:
    _participant(ready_study, "Rose")
    app = _app(ready_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("r", "3")
        await _record(pilot)
        await _stop(pilot)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
        await pilot.press(*"Quiet room.")
        await _burst(pilot, "ctrl+s", "ctrl+q")
        await until(pilot, lambda: app.return_code is not None)  # saved, so nothing to ask
    (folder,) = _sessions(ready_study, "Rose")
    assert [n.text for n in field_notes(ready_study, folder, ready_study.unlock(PASSPHRASE.encode()))] == [
        "Quiet room."
    ]


async def test_a_session_moved_while_open_in_the_editor_is_named_and_quitting_promises_nothing(
    study: Study,
) -> None:
    """QA A15: the editor said "has no transcript yet: transcribe it first" and its quit question promised an
    autosave that had failed."""
    from fieldvault.participants import ConsentRecord, add_participant
    from fieldvault.sessionmove import move_session
    from fieldvault.tui.screens.confirm import ConfirmScreen
    from tests.conftest import ANSWERS

    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("end", *" Yes.")
        add_participant(study, "June", ANSWERS, ConsentRecord("verbal consent", "v", "s", "now"), [], app.identities)
        move_session(study, "Rose", SESSION, "June", study.unlock(PASSPHRASE.encode()))  # another window
        screen._autosave_tick()
        await app.workers.wait_for_complete()
        await pilot.pause()
        moved = "this session was moved to June meanwhile (session move)"
        assert any(m.startswith(f"autosave failed: {moved}") for m in messages(app)), messages(app)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith(moved) and "open the session under June" in m for m in messages(app))
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        asked = app.screen
        assert isinstance(asked, ConfirmScreen) and "the autosave failed: quitting loses them" in asked.question


async def test_the_recording_help_on_a_kit_lists_quit_once_and_no_keys_to_forget(
    ready_study: Study, tmp_path: Path
) -> None:
    """qa29 QE8: ? while recording on a kit listed "^q Quit" and "^q Quit (not now)", and "Lock: forget the decrypted
    keys now" on a kit that holds none."""
    from textual.widgets import DataTable

    from fieldvault.tui.screens.recording import RecordingScreen

    _participant(ready_study, "Rose")
    kit = ready_study.make_field_kit(tmp_path / "kit")
    app = _app(kit, live=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.click("#locked")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("r", "1", "ctrl+g", "ctrl+s")
        await _record(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: not isinstance(app.screen, RecordingScreen))
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)]
        assert [what for key, what in rows if key == "^q"] == ["Quit"], rows
        assert [what for key, what in rows if key == "^l"] == [
            "Lock: back to the unlock screen (a field kit holds no key to forget)"
        ], rows
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        await _stop(pilot)
