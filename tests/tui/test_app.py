"""The TUI shell, driven with Textual's Pilot: picker, unlock, home, field kit, errors as notifications."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Label

from fieldvault import paths
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.picker import NewStudyScreen, StudyPickerScreen
from fieldvault.tui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE


def _rows(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one("#sessions", DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def _add_session(study: Study, pseudonym: str, session: str, *files: str) -> None:
    folder = study.root / "participants" / pseudonym / session
    folder.mkdir(parents=True)
    for name in files:
        study.write_new(folder / name, b"{}")


async def _wait_for(pilot, screen_type) -> None:
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()  # unlocking runs scrypt in a worker: wait for it, not a clock
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, screen_type):
            await pilot.pause()  # let the new screen finish mounting before the test moves on or exits
            return
    raise AssertionError(f"never reached {screen_type.__name__}; on {type(pilot.app.screen).__name__}")


async def test_unlock_then_home_lists_participants_and_states(study: Study) -> None:
    _add_session(study, "Rose", "20261124-101500", "audio.wav.age")
    _add_session(study, "Rose", "20261125-090000", "audio.wav.age", "transcript.json.age")
    (study.root / "participants" / "Lily").mkdir()
    app = make_app(study)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, UnlockScreen)
        await pilot.click("#passphrase")
        await pilot.press(*PASSPHRASE, "enter")
        await _wait_for(pilot, HomeScreen)
        assert app.identities and str(app.identities[0].recipient()) == study.config.recipients[0].key
        assert _rows(app) == [
            ("Lily", "-", "", "no session yet"),
            ("Rose", "20261124-101500", "", "recorded"),
            ("Rose", "20261125-090000", "", "transcribed"),
        ]
        assert "unlocked" in str(app.screen.query_one("#study-banner", Label).render())
    assert paths.recent_studies() == [study.root.resolve()]


async def test_wrong_passphrase_is_a_notification_and_keeps_the_screen(study: Study) -> None:
    app = make_app(study)
    async with app.run_test() as pilot:
        await pilot.click("#passphrase")
        await pilot.press(*"not it at all", "enter")
        await app.workers.wait_for_complete()  # scrypt runs in a worker
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("wrong passphrase" in m for m in messages), messages
        assert isinstance(app.screen, UnlockScreen)
        assert app.screen.query_one("#passphrase", Input).value == ""
        assert app.identities == []


async def test_field_kit_opens_locked_and_says_so(study: Study, tmp_path: Path) -> None:
    kit = study.make_field_kit(tmp_path / "kit")
    app = make_app(kit)
    async with app.run_test() as pilot:
        assert not app.screen.query("#passphrase")
        await pilot.click("#locked")
        await _wait_for(pilot, HomeScreen)
        assert app.identities == []
        assert "field kit" in str(app.screen.query_one("#study-banner", Label).render())


async def test_picker_opens_a_typed_path_and_names_a_bad_one(study: Study, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        assert isinstance(app.screen, StudyPickerScreen)
        await pilot.click("#path")
        await pilot.press(*str(tmp_path / "nowhere"), "enter")
        await pilot.pause()
        assert any("not a folder" in n.message for n in app._notifications)
        app.screen.query_one("#path", Input).value = str(study.root)
        await pilot.click("#open")
        await _wait_for(pilot, UnlockScreen)
        assert app.study is not None and app.study.root == study.root


async def test_new_study_from_the_tui(tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, NewStudyScreen)
        values = {
            "folder": str(tmp_path / "tui-study"),
            "title": "Exit narratives",
            "irb": "IRB-7",
            "pass1": "twelve chars!",
            "pass2": "twelve chars!",
        }
        for name, value in values.items():
            app.screen.query_one(f"#{name}", Input).value = value
        await pilot.click("#create")
        await _wait_for(pilot, HomeScreen)
        assert app.identities
    created = Study.open(tmp_path / "tui-study")
    assert created.config.title == "Exit narratives"
    assert created.unlock(b"twelve chars!")


async def test_new_study_refuses_differing_passphrases(tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+n")
        for name, value in {
            "folder": str(tmp_path / "x"),
            "title": "T",
            "pass1": "twelve chars!",
            "pass2": "twelve chars?",
        }.items():
            app.screen.query_one(f"#{name}", Input).value = value
        await pilot.click("#create")
        await pilot.pause()
        assert any("differ" in n.message for n in app._notifications)
    assert not (tmp_path / "x").exists()


async def test_lock_forgets_the_keys(study: Study) -> None:
    app = make_app(study)
    async with app.run_test() as pilot:
        await pilot.click("#passphrase")
        await pilot.press(*PASSPHRASE, "enter")
        await _wait_for(pilot, HomeScreen)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert app.identities == []


async def test_no_screenshot_of_decrypted_text_reaches_the_disk(study: Study, tmp_path: Path, monkeypatch) -> None:
    """Textual's palette offers "Screenshot", which writes the screen as plaintext SVG: fieldvault drops it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app(study)
    async with app.run_test() as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Open another study" in titles
        app.deliver_screenshot()
        app.action_screenshot()
        await pilot.pause(0.3)
    assert not [p for p in tmp_path.rglob("*.svg")]
