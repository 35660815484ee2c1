"""Withdrawal from the home screen: nothing happens until the pseudonym is typed; then her files go."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, DataTable

from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.withdraw import WithdrawScreen
from tests.stewardship import JUNE, ROSA, add_person, transcribe_and_review
from tests.tui.conftest import unlock


def _pseudonyms(app) -> list[str]:
    table = app.screen.query_one("#sessions", DataTable)
    return sorted({str(table.get_row_at(i)[0]) for i in range(table.row_count)})


async def _until(pilot, done) -> None:
    for _ in range(200):
        await pilot.pause(0.05)
        if done():
            return
    raise AssertionError(f"condition never met; on {type(pilot.app.screen).__name__}")


async def test_withdraw_by_typing_the_pseudonym(ready_study: Study, identities: list) -> None:
    for person in (ROSA, JUNE):
        sessions = add_person(ready_study, person)
        transcribe_and_review(ready_study, identities, person, sessions[0])
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        assert _pseudonyms(app) == ["June", "Rosa"]
        await pilot.press("down")  # the second row: Rosa's session
        await pilot.press("w")
        await _until(pilot, lambda: isinstance(app.screen, WithdrawScreen))
        button = app.screen.query_one("#withdraw-button", Button)
        await pilot.click("#typed")
        await pilot.press(*"Ros")
        assert button.disabled  # a near miss destroys nothing
        await pilot.press("enter")
        await pilot.pause()
        assert (ready_study.root / "participants" / "Rosa" / "profile.json.age").exists()
        await pilot.press("a")
        assert not button.disabled
        await pilot.click("#keep")
        assert app.screen.query_one("#keep", Checkbox).value
        await pilot.click("#withdraw-button")
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await _until(pilot, lambda: any("Withdrew Rosa" in n.message for n in app._notifications))
        folder = ready_study.root / "participants" / "Rosa"
        assert sorted(p.name for p in folder.rglob("*.age")) == ["redactions.json.age", "transcript.json.age"]
        assert not (folder / "profile.json.age").exists()


async def test_escape_cancels_and_destroys_nothing(ready_study: Study, identities: list) -> None:
    add_person(ready_study, JUNE)
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("w")
        await _until(pilot, lambda: isinstance(app.screen, WithdrawScreen))
        await pilot.press("escape")
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert _pseudonyms(app) == ["June"]
        assert (ready_study.root / "participants" / "June" / "profile.json.age").exists()


async def test_her_session_open_in_another_window_stops_the_withdrawal_in_one_notification(
    ready_study: Study, identities: list
) -> None:
    """The TUI twin of `withdraw` refusing while her session is open in the editor of another fieldvault (whose
    next autosave would write her transcript back): one notification, nothing destroyed, the button back."""
    import os
    import subprocess
    import sys

    from fieldvault import layout
    from tests.conftest import ROOT
    from tests.unit.test_session_open import EDITOR

    session = add_person(ready_study, ROSA)[0]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    folder = layout.session(ready_study.root, "Rosa", session)
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(folder)], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert editor.stdout is not None and editor.stdout.readline() == "open\n"
        app = make_app(ready_study)
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            await pilot.press("w")
            await _until(pilot, lambda: isinstance(app.screen, WithdrawScreen))
            await pilot.click("#typed")
            await pilot.press(*"Rosa")
            await pilot.click("#withdraw-button")
            await _until(pilot, lambda: any("then withdraw her" in n.message for n in app._notifications))
            assert isinstance(app.screen, WithdrawScreen)
            await _until(pilot, lambda: not app.screen.query_one("#withdraw-button", Button).disabled)
        assert (folder / "audio.wav.age").exists() and (folder.parent / "profile.json.age").exists()
    finally:
        editor.kill()
        editor.communicate(timeout=30)


async def test_every_sentence_of_the_dialog_fits_inside_it(ready_study: Study, identities: list) -> None:
    """QA D8: the one dialog that destroys data cut its sentences at its edge ("(recordings, tra", "(Esc c"): each
    line of it now wraps inside the dialog, at the narrowest terminal the app supports and a wide one."""
    from textual.widgets import Label

    add_person(ready_study, ROSA)
    for size in ((80, 40), (200, 50)):
        app = make_app(ready_study)
        async with app.run_test(size=size) as pilot:
            await unlock(pilot)
            await pilot.press("w")
            await _until(pilot, lambda app=app: isinstance(app.screen, WithdrawScreen))
            dialog = app.screen.query_one("#withdraw")
            labels = [*app.screen.query(Label), app.screen.query_one("#keep", Checkbox)]
            for widget in labels:
                text = str(widget.render()) if isinstance(widget, Label) else str(widget.label)
                assert dialog.content_region.contains_region(widget.region), (text, widget.region, size)
                assert widget.region.width * widget.region.height >= len(text), (text, widget.region, size)
