"""QA R21 in the TUI (Pilot): field notes and a journal entry being typed are kept as an encrypted draft a few seconds
after typing stops, so an app that ends without saving (a crash, kill -9, a flat battery) loses nothing; the next
screen on them offers the draft back, shown, to put back, discard or leave; on a field kit, which cannot read it, to
save as it is. A draft copied in from another session is refused as bound notes are; the lock saves what is typed."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Static, TextArea

from fieldvault import drafts, layout
from fieldvault.journal import list_entries
from fieldvault.memos import add_field_note, field_notes
from fieldvault.study import Study
from fieldvault.tui import keptdraft
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.confirm import ConfirmScreen
from fieldvault.tui.screens.draftoffer import DraftOfferScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.journal import JournalScreen
from fieldvault.tui.screens.notes import SessionNotesScreen
from fieldvault.tui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE, kit_recording
from tests.stewardship import JUNE, ROSA, add_person
from tests.tui.conftest import StillClock, messages, unlock, until

TYPED = "She talked about the van; white, no plates."


@pytest.fixture(autouse=True)
def quick_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keptdraft, "DRAFT_SECONDS", 0.3)


async def _discard(pilot) -> None:
    """Discard on the offer: Ctrl+D, and yes to the question it asks."""
    await pilot.press("ctrl+d")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.press("y")


async def _open_notes(pilot, who: str) -> None:
    table = pilot.app.screen.query_one("#sessions", DataTable)
    (row,) = [n for n in range(table.row_count) if table.get_row_at(n)[0] == who]
    table.move_cursor(row=row)
    await pilot.press("f")
    await until(pilot, lambda: isinstance(pilot.app.screen, (SessionNotesScreen, DraftOfferScreen)))


async def _type_and_wait(pilot, folder: Path, text: str = TYPED) -> Path:
    """Type into the notes box, and wait for the draft that keeps it; the draft's path."""
    pilot.app.screen.query_one(TextArea).insert(text)
    await until(pilot, lambda: bool(drafts.found(folder)), seconds=5)
    (draft,) = drafts.found(folder)
    return draft


def _offered(app) -> str:
    assert isinstance(app.screen, DraftOfferScreen), type(app.screen).__name__
    return " ".join(str(w.render()) for w in app.screen.query(Static))


async def test_notes_typed_and_never_saved_are_offered_back_and_put_back(ready_study: Study) -> None:
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    identities = ready_study.unlock(PASSPHRASE.encode())
    async with make_app(ready_study).run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "Rosa")
        draft = await _type_and_wait(pilot, folder)
        assert drafts.read(ready_study, draft, identities).text == TYPED
        assert TYPED.encode() not in draft.read_bytes()  # encrypted
    # the app ended without a save (no quit, no lock): the draft is all there is
    assert field_notes(ready_study, folder, identities) == []
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        assert (
            "Typed and never saved, kept as encrypted drafts: open the notes (f) of Rosa's session "
            f"{session} to save or discard them"
        ) in messages(app)
        await _open_notes(pilot, "Rosa")
        await until(pilot, lambda: isinstance(app.screen, DraftOfferScreen))
        assert TYPED in _offered(app) and "never saved" in _offered(app)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
        assert app.screen.query_one(TextArea).text == TYPED
        (own,) = drafts.found(folder)  # the text is in this screen's draft; the earlier one went
        assert own != draft and not draft.exists()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert drafts.found(folder) == []
    assert [n.text for n in field_notes(ready_study, folder, identities)] == [TYPED]
    removed = [e["details"] for e in ready_study.audit.entries() if e["action"] == drafts.REMOVED]
    assert [(d["file"], d["method"]) for d in removed] == [(draft.name, "put back"), (own.name, "saved")]
    assert drafts.set_aside_in(folder) == []  # put back: its words are in the notes, nothing set aside


async def test_a_draft_discarded_goes_and_one_left_stays_for_next_time(ready_study: Study) -> None:
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    async with make_app(ready_study).run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "Rosa")
        draft = await _type_and_wait(pilot, folder)
    for key, stays in (("escape", True), ("discard", False)):
        app = make_app(ready_study)
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            await _open_notes(pilot, "Rosa")
            await until(pilot, lambda: isinstance(pilot.app.screen, DraftOfferScreen))
            await (_discard(pilot) if key == "discard" else pilot.press(key))
            await until(pilot, lambda: isinstance(pilot.app.screen, SessionNotesScreen))
            assert pilot.app.screen.query_one(TextArea).text == ""
        assert draft.exists() is stays, key
    assert [e["details"]["method"] for e in ready_study.audit.entries() if e["action"] == drafts.REMOVED] == [
        "discarded"
    ]
    (kept,) = drafts.set_aside_in(folder)  # discarded, not destroyed (QA S4)
    assert drafts.read(ready_study, kept, ready_study.unlock(PASSPHRASE.encode())).text == TYPED
    assert f"Set aside, encrypted, as participants/Rosa/{session}/{kept.name}" in " ".join(messages(app))


async def test_a_draft_that_is_saved_already_says_so_and_one_that_differs_is_added(ready_study: Study) -> None:
    """The notes were saved, and the screen ended before their draft was removed (or a kit saved them after a merge
    took the draft): the offer says the same words are saved, and leads with Discard. A draft that differs from the
    saved notes is put back and saved as new notes; no saved note is changed."""
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    draft = drafts.slot(folder)
    drafts.keep(ready_study, draft, TYPED)
    add_field_note(ready_study, folder, "An earlier note.")
    add_field_note(ready_study, folder, TYPED)
    other = drafts.slot(folder)  # and one that differs from every saved note: offered as it is, after the first
    drafts.keep(ready_study, other, TYPED + " Not saved yet.")
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "Rosa")
        await until(pilot, lambda: isinstance(app.screen, DraftOfferScreen))
        assert "saved already, as field notes 2" in " ".join(_offered(app).split())
        await _discard(pilot)
        await until(pilot, lambda: "Not saved yet." in _offered(app))
        assert "saved already" not in _offered(app)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert not draft.exists() and not other.exists() and drafts.found(folder) == []
    assert [n.text for n in field_notes(ready_study, folder, ready_study.unlock(PASSPHRASE.encode()))] == [
        "An earlier note.",
        TYPED,
        TYPED + " Not saved yet.",
    ]


async def test_a_draft_copied_in_from_another_session_is_refused_not_shown(ready_study: Study) -> None:
    (rosa,) = add_person(ready_study, ROSA)
    (june,) = add_person(ready_study, JUNE)
    draft = drafts.slot(layout.session(ready_study.root, "Rosa", rosa))
    drafts.keep(ready_study, draft, TYPED)
    copied = layout.session(ready_study.root, "June", june) / draft.name
    shutil.copyfile(draft, copied)
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "June")
        await pilot.pause(0.3)
        assert isinstance(app.screen, SessionNotesScreen)  # nothing offered
        said = " ".join(" ".join(messages(app)).split())
        assert f"participants/June/{june}/{draft.name} is the field notes of Rosa's session {rosa}" in said, said
        assert TYPED not in said and app.screen.query_one(TextArea).text == ""
    assert copied.exists()  # refused, not deleted: check names it


async def test_the_lock_saves_notes_whose_draft_is_pending(ready_study: Study) -> None:
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "Rosa")
        await _type_and_wait(pilot, folder)
        app.screen.query_one(TextArea).insert(" And the last words.")  # typed after the draft: not in it yet
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, UnlockScreen))
    assert drafts.found(folder) == []
    notes = field_notes(ready_study, folder, ready_study.unlock(PASSPHRASE.encode()))
    assert [n.text for n in notes] == [TYPED + " And the last words."]


async def test_a_kit_saves_a_draft_it_cannot_read_as_field_notes(ready_study: Study, tmp_path: Path) -> None:
    add_person(ready_study, ROSA, sessions=0)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    kit_recording(kit, "participants/Rosa/20261127-080000/audio.wav.age")
    folder = layout.session(kit.root, "Rosa", "20261127-080000")
    async with make_app(kit).run_test(size=(120, 40)) as pilot:
        await pilot.click("#locked")
        await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
        await _open_notes(pilot, "Rosa")
        draft = await _type_and_wait(pilot, folder)
    app = make_app(kit)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#locked")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        # qa29 QE7: the kit's offer has no discard ("to save or discard them" was said)
        assert (
            "Typed and never saved, kept as encrypted drafts: open the notes (f) of Rosa's session 20261127-080000 "
            "to save them as they are, or leave them for the trusted machine"
        ) in messages(app), messages(app)
        await _open_notes(pilot, "Rosa")
        await until(pilot, lambda: isinstance(app.screen, DraftOfferScreen))
        assert "cannot show it" in _offered(app) and TYPED not in _offered(app)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
        assert "1 saved, encrypted" in str(app.screen.query_one("#field-notes", Static).render())
    assert not draft.exists()
    identities = ready_study.unlock(PASSPHRASE.encode())
    assert [n.text for n in field_notes(kit, folder, identities)] == [TYPED]


async def test_a_journal_entry_typed_is_kept_and_offered_back(ready_study: Study) -> None:
    async with make_app(ready_study).run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("j")
        await until(pilot, lambda: isinstance(pilot.app.screen, JournalScreen))
        pilot.app.screen.query_one(TextArea).insert("Was I leading her?")
        await until(pilot, lambda: bool(drafts.found(ready_study.root / layout.JOURNAL)), seconds=5)
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, DraftOfferScreen))
        assert "Was I leading her?" in _offered(app)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen))
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert drafts.found(ready_study.root / layout.JOURNAL) == []
    identities = ready_study.unlock(PASSPHRASE.encode())
    assert [e.text for e in list_entries(ready_study, identities)] == ["Was I leading her?"]


async def test_a_change_of_focus_keeps_the_draft_at_once(ready_study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only after typing stops: F1 (another screen over it) and the terminal losing focus keep it now."""
    monkeypatch.setattr(keptdraft, "DRAFT_SECONDS", 600)
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    identities = ready_study.unlock(PASSPHRASE.encode())
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "Rosa")
        app.screen.query_one(TextArea).insert("Before help.")
        await pilot.pause()
        assert drafts.found(folder) == []  # typing goes on: not yet
        await pilot.press("f1")
        await until(pilot, lambda: bool(drafts.found(folder)), seconds=3)
        (draft,) = drafts.found(folder)
        assert drafts.read(ready_study, draft, identities).text == "Before help."
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
        app.screen.query_one(TextArea).insert(" Then the window lost focus.")
        app.post_message(events.AppBlur())
        await until(pilot, lambda: "lost focus" in drafts.read(ready_study, draft, identities).text, seconds=3)
        assert drafts.found(folder) == [draft]  # the same draft, kept over


async def test_quitting_with_notes_typed_says_they_are_kept_and_keeps_them(
    ready_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keptdraft, "DRAFT_SECONDS", 600)  # typed a moment ago: the question itself keeps them
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "Rosa")
        app.screen.query_one(TextArea).insert(TYPED)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "What you typed is kept as an encrypted draft, offered back when you open this session's notes" in (
            question.question
        )
        await pilot.press("y")
    (draft,) = drafts.found(folder)
    assert drafts.read(ready_study, draft, ready_study.unlock(PASSPHRASE.encode())).text == TYPED


async def test_going_back_and_throwing_the_notes_away_leaves_no_draft_and_sets_them_aside(ready_study: Study) -> None:
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "Rosa")
        draft = await _type_and_wait(pilot, folder)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert isinstance(app.screen, ConfirmScreen) and "throw them away" in app.screen.question
        await pilot.press("enter")  # typed on (QA S4): focus rests on Keep writing
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
        app.screen.query_one(TextArea).insert(" Last words.")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause(0.5)  # past the draft's timer: nothing writes it again
    assert drafts.found(folder) == [] and not draft.exists()
    removed = [e["details"] for e in ready_study.audit.entries() if e["action"] == drafts.REMOVED]
    (kept,) = drafts.set_aside_in(folder)  # every word thrown away, the last ones too
    assert [(d["file"], d["method"], d["kept"]) for d in removed] == [(draft.name, "discarded", kept.name)]
    assert drafts.read(ready_study, kept, ready_study.unlock(PASSPHRASE.encode())).text == TYPED + " Last words."


async def test_keys_typed_as_the_notes_open_are_not_taken_as_choices(
    ready_study: Study, monkeypatch: pytest.MonkeyPatch, grace_clock: StillClock
) -> None:
    """QA S4: the screen opens on a text box and people type at once; the offer popped over it took "w", "o", "r",
    then "d" as Discard. Keys in the offer's first moments go nowhere, "d" is no choice after them either, and
    Discard (Ctrl+D) asks again, with No where Enter or space lands."""
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    draft = drafts.slot(folder)
    drafts.keep(ready_study, draft, TYPED)
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "Rosa")
        await until(pilot, lambda: isinstance(app.screen, DraftOfferScreen))
        await pilot.press(*"word1 ", "p", "enter", "s", "escape", "space")  # all in the grace
        assert isinstance(app.screen, DraftOfferScreen) and draft.exists()
        assert "Keys typed as this question opened were not taken" in " ".join(messages(app))
        grace_clock.advance(1.6)
        await pilot.press(*"word2 d", "enter", "space")  # "d" is no choice; Enter and space land on Leave it...
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
        assert draft.exists()  # ...which leaves the draft where it is
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "Rosa")
        await until(pilot, lambda: isinstance(app.screen, DraftOfferScreen))
        grace_clock.advance(1.6)
        await pilot.press("ctrl+d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # typed on: No
        await until(pilot, lambda: isinstance(app.screen, DraftOfferScreen))
        assert draft.exists()
        grace_clock.advance(1.6)
        await _discard(pilot)
        await until(pilot, lambda: isinstance(app.screen, SessionNotesScreen))
    assert not draft.exists() and drafts.found(folder) == []
    (kept,) = drafts.set_aside_in(folder)  # and a discard loses nothing either
    assert drafts.read(ready_study, kept, ready_study.unlock(PASSPHRASE.encode())).text == TYPED


async def test_typing_steadily_for_more_than_ten_seconds_keeps_a_draft_meanwhile(
    ready_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA S4: the draft was written 3 s after the last key only, so ten minutes typed at a steady pace, then a kill,
    lost all. A key every half second (the wait after the last key as shipped): a draft within ~10 s."""
    monkeypatch.setattr(keptdraft, "DRAFT_SECONDS", 3.0)
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open_notes(pilot, "Rosa")
        started = time.monotonic()
        while not drafts.found(folder):
            assert time.monotonic() - started < 13, "no draft after 13 s of steady typing"
            await pilot.press("a")
            await pilot.pause(0.5)
        (draft,) = drafts.found(folder)
        kept = drafts.read(ready_study, draft, ready_study.unlock(PASSPHRASE.encode())).text
        assert kept.startswith("aaaa") and set(kept) == {"a"}
        assert time.monotonic() - started > 9  # not the pause after the last key: there was none
