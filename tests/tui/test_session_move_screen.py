"""Moving a session recorded under the wrong participant, from the home screen (Pilot, 80×24)."""

from __future__ import annotations

from fieldvault import layout
from fieldvault.events import load_events
from fieldvault.kitmerge import merge_kit
from fieldvault.study import Study
from fieldvault.tui.screens.confirm import ConfirmScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.pick import PickScreen
from tests.conftest import PASSPHRASE
from tests.tui.conftest import messages, unlock, until
from tests.tui.test_field_sessions import _app, _participant, _record, _rows, _sessions, _stop


async def test_a_session_recorded_under_the_wrong_participant_moves_to_hers(ready_study: Study) -> None:
    for name in ("Lily", "Rose"):
        _participant(ready_study, name)
    app = _app(ready_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("r", "3")  # meant for Rose, but the cursor sat on Lily
        await _record(pilot)
        await _stop(pilot)
        (session,) = _sessions(ready_study, "Lily")

        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, PickScreen))
        assert app.screen.choices == ["Rose"]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert f"Move session {session.name} from Lily to Rose?" in app.screen.question
        await pilot.press("n")  # asked, not done: nothing moves
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert _sessions(ready_study, "Lily") == [session]

        await pilot.press("M", "enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: any("Moved session" in m for m in messages(app)))
        await until(pilot, lambda: ("Rose", session.name) in [r[:2] for r in _rows(app)])
        assert ("Lily", "-") in [r[:2] for r in _rows(app)]
        table = app.screen.query_one("#sessions")
        assert table.get_row_at(table.cursor_row)[:2] == ["Rose", session.name]  # the cursor followed it
    assert _sessions(ready_study, "Lily") == []
    moved = layout.session(ready_study.root, "Rose", session.name)
    identities = ready_study.unlock(PASSPHRASE.encode())
    assert load_events(ready_study, moved, identities).pseudonym == "Rose"
    assert ready_study.audit.entries()[-1]["action"] == "session.move"


async def test_moving_is_refused_on_a_kit_and_while_locked_in_one_line(ready_study: Study, tmp_path) -> None:
    for name in ("Lily", "Rose"):
        _participant(ready_study, name)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    app = _app(kit)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#locked")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("r", "3")
        await _record(pilot)
        await _stop(pilot)
        await pilot.press("M")
        await pilot.pause(0.2)
        assert isinstance(app.screen, HomeScreen)
        assert any("A field kit cannot move a session: merge the kit" in m for m in messages(app))
    assert len(_sessions(kit, "Lily")) == 1

    merge_kit(ready_study, kit.root, ready_study.unlock(PASSPHRASE.encode()))
    app = _app(ready_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#locked")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("M")
        await pilot.pause(0.2)
        assert isinstance(app.screen, HomeScreen)
        assert any("needs the study key" in m for m in messages(app))
    assert len(_sessions(ready_study, "Lily")) == 1


async def test_an_interview_resumed_after_a_lost_input_moves_whole_after_one_question(ready_study: Study) -> None:
    """Its parts are one interview in several sessions: the question names them all, and all move."""
    from tests.unit.test_session_move import _resumed

    first, later, separate = _resumed(ready_study)  # Rosa's, recorded by mistake; June's by right
    app = _app(ready_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        table = app.screen.query_one("#sessions")
        table.move_cursor(row=[r[:2] for r in _rows(app)].index(("Rosa", later)))
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert f"Move sessions {first}, {later} from Rosa to June? They are one interview" in app.screen.question
        await pilot.press("y")
        await until(pilot, lambda: any("Moved sessions" in m for m in messages(app)))
        assert f"Moved sessions {first}, {later} (one interview) to June." in messages(app)
    assert [p.name for p in _sessions(ready_study, "June")] == [first, later]
    assert [p.name for p in _sessions(ready_study, "Rosa")] == [separate]
