"""QA T5 with Pilot: `r` (a follow-up or member check) asks, after her consent is confirmed again, for the people and
places she names since her last interview, as `n` asks for her first list: added to her list (in the study) or sealed
beside it for merge-kit (on a kit), every name on it kept; a line with a note refused naming the line."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from fieldvault import layout
from fieldvault.kitmerge import merge_kit
from fieldvault.lists import append_to_list
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant, known_identifiers
from fieldvault.study import Study
from fieldvault.tui.screens.addnames import AddNamesScreen
from fieldvault.tui.screens.confirm import ConfirmScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.kind import ReconfirmScreen
from fieldvault.tui.screens.recording import RecordingScreen
from tests.conftest import ANSWERS, PASSPHRASE
from tests.tui.conftest import messages, unlock, until
from tests.tui.test_field_sessions import _app, _record, _stop

CONSENT = ConsentRecord("information letter given; verbal consent", "v", "v", "2026-11-01T10:00:00")
LIST = "participants/Rose/identifiers.json.age"


def _rose(study: Study) -> list:
    keys = study.unlock(PASSPHRASE.encode())
    add_participant(study, "Rose", dict(ANSWERS), CONSENT, [KnownIdentifier("Derek Fowler")], keys)
    return keys


async def _her_first_interview(pilot) -> None:
    await pilot.press("r", "1")  # no session yet: her first interview, no consent again, no names step
    await _record(pilot)
    await _stop(pilot)


async def _rose_interviewed(study: Study) -> list:
    """Rose added, and her first interview recorded in the unlocked study: her keys."""
    keys = _rose(study)
    app = _app(study)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await _her_first_interview(pilot)
    return keys


async def _names_step_unlocked(pilot, app) -> None:
    """Unlocked, `r` on Rose, her follow-up, her consent confirmed again: the names step."""
    await unlock(pilot)
    await pilot.press("r", "1")
    await until(pilot, lambda: isinstance(app.screen, ReconfirmScreen))
    await pilot.press("ctrl+g")
    await until(pilot, lambda: isinstance(app.screen, AddNamesScreen))


async def test_a_follow_up_adds_the_names_she_gives_now_to_her_list(ready_study: Study) -> None:
    keys = await _rose_interviewed(ready_study)
    sealed = (ready_study.root / LIST).read_bytes()
    app = _app(ready_study)
    async with app.run_test(size=(100, 30)) as pilot:
        await _names_step_unlocked(pilot, app)
        await pilot.press(*"Tobiah Quorn (new partner)")  # typed, the focus in the box
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("identifier line 1 holds a note" in m for m in messages(app)))
        assert isinstance(app.screen, AddNamesScreen) and (ready_study.root / LIST).read_bytes() == sealed
        box = app.screen.query_one("#identifiers", TextArea)
        box.text = "Tobiah Quorn\nPLACE: Lemon Cove\nderek fowler\n"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        assert "2 name(s) added to her list (1 she had already, left out)" in messages(app)
        await _record(pilot)
        await _stop(pilot)
    assert [i.text for i in known_identifiers(ready_study, "Rose", keys)] == [
        "Derek Fowler", "Tobiah Quorn", "Lemon Cove"
    ]  # fmt: skip


async def test_nothing_new_records_at_once_and_escape_stores_nothing(ready_study: Study) -> None:
    _rose(ready_study)
    app = _app(ready_study)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await _her_first_interview(pilot)
        sealed, log = (ready_study.root / LIST).read_bytes(), (ready_study.root / layout.AUDIT_FILE).read_bytes()
        await pilot.press("r", "2", "ctrl+g")  # a member check
        await until(pilot, lambda: isinstance(app.screen, AddNamesScreen))
        app.screen.query_one("#identifiers", TextArea).text = "Tobiah Quorn\n"
        await pilot.press("escape", "y")  # she declines after all (asked first): nothing of it is stored
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "The session with Rose was cancelled: nothing of it was stored" in messages(app)
        assert (ready_study.root / LIST).read_bytes() == sealed
        assert (ready_study.root / layout.AUDIT_FILE).read_bytes() == log
        await pilot.press("r", "1", "ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, AddNamesScreen))
        await pilot.press("ctrl+s")  # nothing typed: straight on
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
    assert (ready_study.root / LIST).read_bytes() == sealed


async def test_escape_asks_first_and_keeps_the_names_and_her_consent_unless_told_to_cancel(ready_study: Study) -> None:
    """QA V9: the names refused (a line holds a note), an error toast shows; Esc, as one closes a toast, was the
    screen's "Cancel session": the names she had just given and her consent confirmed again were gone, unasked."""
    keys = await _rose_interviewed(ready_study)
    sealed, log = (ready_study.root / LIST).read_bytes(), (ready_study.root / layout.AUDIT_FILE).read_bytes()
    app = _app(ready_study)
    async with app.run_test(size=(100, 30)) as pilot:
        await _names_step_unlocked(pilot, app)
        names = app.screen
        await pilot.press(*"Lena Park", "enter", *"Marcus Bell (new partner)", "ctrl+s")
        await until(pilot, lambda: any("identifier line 2 holds a note" in m for m in messages(app)))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("#question").render())
        assert "her consent confirmed again and the names typed here would be lost" in question, question
        await pilot.press("enter")  # lands on "Go on" (typed on, it changes nothing)
        await until(pilot, lambda: app.screen is names)
        await pilot.press("escape", "n")
        await until(pilot, lambda: app.screen is names)
        box = names.query_one("#identifiers", TextArea)
        assert box.text == "Lena Park\nMarcus Bell (new partner)"
        box.text = "Lena Park\nMarcus Bell\n"
        await pilot.press("ctrl+s")  # her consent confirmed again is still there: the session goes on
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        assert "2 name(s) added to her list" in messages(app)
    assert (ready_study.root / LIST).read_bytes() != sealed and (
        ready_study.root / layout.AUDIT_FILE
    ).read_bytes() != log
    assert [i.text for i in known_identifiers(ready_study, "Rose", keys)] == [
        "Derek Fowler",
        "Lena Park",
        "Marcus Bell",
    ]


async def test_a_name_she_gives_now_holding_her_pseudonym_says_the_pi_renames_her(ready_study: Study) -> None:
    """QA V6: "ask her to choose another pseudonym" was wrong here: she chose it long ago, and this step cannot."""
    await _rose_interviewed(ready_study)
    sealed = (ready_study.root / LIST).read_bytes()
    app = _app(ready_study)
    async with app.run_test(size=(100, 30)) as pilot:
        await _names_step_unlocked(pilot, app)
        app.screen.query_one("#identifiers", TextArea).text = "Tobiah Quorn\nrose marlowe\n"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("matches a name she gave now" in m for m in messages(app)))
        (said,) = [m for m in messages(app) if "matches a name she gave now" in m]
        assert "add the other names without that line" in said and "participant rename" in said, said
        assert "choose another pseudonym" not in said and isinstance(app.screen, AddNamesScreen)
    assert (ready_study.root / LIST).read_bytes() == sealed


async def test_her_pseudonym_on_a_list_since_adds_her_names_and_tells_the_interviewer(ready_study: Study) -> None:
    """QA V12's rest at a follow-up: a list that gained "Rose" after she chose it made every name she gave refused
    with "'Rose' cannot be used as a pseudonym here; please choose another": no sense on this step, and her names
    stayed off her list. They are added, and the interviewer reads what is wrong, no list nor participant named."""
    from tests.e2e.test_list_append import a_list_gains

    keys = await _rose_interviewed(ready_study)
    a_list_gains(ready_study, "Rose Quorn")
    app = _app(ready_study)
    async with app.run_test(size=(100, 30)) as pilot:
        await _names_step_unlocked(pilot, app)
        app.screen.query_one("#identifiers", TextArea).text = "Lemon Cove\n"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        (said,) = [m for m in messages(app) if "pseudonym 'Rose' is now" in m]
        assert said.startswith("Her pseudonym 'Rose' is now a name on a list of names people may mention"), said
        assert "the names she gave were added" in said and "participant rename" in said, said
        assert "Quorn" not in said and "cannot be used" not in said
    assert "Lemon Cove" in [i.text for i in known_identifiers(ready_study, "Rose", keys)]


async def _names_step_opened_locked(pilot, app) -> None:
    """Opened without the passphrase (a kit, or a study opened locked): `r`, her follow-up, consent confirmed again."""
    await pilot.click("#locked")
    await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("r", "1", "ctrl+g")
    await until(pilot, lambda: isinstance(app.screen, AddNamesScreen))


async def test_on_a_kit_the_names_go_beside_her_list_and_merge_kit_adds_them(ready_study: Study, tmp_path) -> None:
    keys = await _rose_interviewed(ready_study)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    app = _app(kit)
    async with app.run_test(size=(100, 30)) as pilot:
        await _names_step_opened_locked(pilot, app)
        app.screen.query_one("#identifiers", TextArea).text = "Tobiah Quorn\nDerek Fowler\n"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        assert "2 name(s) sealed for her list (merge-kit adds them)" in messages(app)
        await _record(pilot)
        await _stop(pilot)
    assert (kit.root / "participants/Rose/identifiers-added-1.json.age").is_file()
    merge_kit(ready_study, kit.root, keys)
    assert [i.text for i in known_identifiers(ready_study, "Rose", keys)] == ["Derek Fowler", "Tobiah Quorn"]


async def test_in_a_study_opened_locked_the_names_go_beside_her_list_and_the_unlock_adds_them(
    ready_study: Study,
) -> None:
    """QA U13: opened locked (to record without the passphrase), the names step refused ("unlock first") and the
    names she had just said were lost. They are sealed beside her list, as a kit seals them;
    the next unlock adds them."""
    keys = await _rose_interviewed(ready_study)
    sealed = (ready_study.root / LIST).read_bytes()
    locked = Study.open(ready_study.root)
    app = _app(locked)
    async with app.run_test(size=(100, 30)) as pilot:
        await _names_step_opened_locked(pilot, app)
        hint = str(app.screen.query_one(".hint").render())
        assert "The study is locked, so her list cannot be read" in hint, hint
        app.screen.query_one("#identifiers", TextArea).text = "Tobiah Quorn\nPLACE: Lemon Cove\n"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RecordingScreen))
        assert any(m.startswith("2 name(s) sealed for her list: the next command run with") for m in messages(app))
        await _record(pilot)
        await _stop(pilot)
    added = ready_study.root / "participants/Rose/identifiers-added-1.json.age"
    assert added.is_file() and (ready_study.root / LIST).read_bytes() == sealed
    app = _app(Study.open(ready_study.root))
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)  # the unlock adds them to her list
    assert not added.exists()
    assert [i.text for i in known_identifiers(Study.open(ready_study.root), "Rose", keys)] == [
        "Derek Fowler", "Tobiah Quorn", "Lemon Cove"
    ]  # fmt: skip


async def test_the_unlock_says_when_names_added_locked_are_gone(ready_study: Study) -> None:
    """QA V20: the file of names added with the study locked deleted before the unlock: the unlock says so (the
    command line's `check` fails, and exports of her sessions refuse)."""
    _rose(ready_study)
    done = append_to_list(Study.open(ready_study.root), "Rose", [KnownIdentifier("Tobiah Quorn")])  # locked
    assert done.locked
    (ready_study.root / "participants/Rose/identifiers-added-1.json.age").unlink()
    app = _app(Study.open(ready_study.root))
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        said = [m for m in messages(app) if m.startswith("names Rose gave with the study locked are not at hand")]
        assert len(said) == 1 and "identifiers-added-1.json.age" in said[0], messages(app)


async def test_on_a_kit_ctrl_l_on_the_names_step_asks_before_dropping_her_consent_and_names(
    ready_study: Study, tmp_path
) -> None:
    """qa29 QE16: Ctrl+L on a kit's names step (`r`) locked at once: her consent confirmed again and the names she gave
    were gone without a word, where `n`'s steps ask. Now it asks; Stay keeps them, Lock says what was dropped."""
    from fieldvault.tui.screens.unlock import UnlockScreen

    await _rose_interviewed(ready_study)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    app = _app(kit)
    async with app.run_test(size=(100, 30)) as pilot:
        await _names_step_opened_locked(pilot, app)
        app.screen.query_one("#identifiers", TextArea).text = "Tobiah Quorn\n"
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))  # on main: locked at once
        asked = app.screen
        assert isinstance(asked, ConfirmScreen)
        assert asked.question == (
            "This follow-up is not saved yet: her consent confirmed again and the names typed here would be lost. Lock?"
        )
        await pilot.press("escape")  # Stay
        await until(pilot, lambda: isinstance(app.screen, AddNamesScreen))
        assert app.screen.query_one("#identifiers", TextArea).text == "Tobiah Quorn\n"
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#yes")
        await until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        said = str(app.screen.query_one("#locked-why", Static).render())
        assert said == "Locked. The follow-up with Rose being set up was not saved: start it again with r.", said
