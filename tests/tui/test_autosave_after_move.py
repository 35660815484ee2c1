"""QA Q10: typing kept only by the editor's autosave (the editor was killed) was not offered back after a real
`session move` or `participant rename`, which re-seal the transcript with its words unchanged: the editor said the
transcript was "replaced since", and the first keystroke dropped the autosave. The re-seal now re-binds the autosave
to the re-sealed transcript, and the editor offers it back as before."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from fieldvault import transcript_versions as versions
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.confirm import ConfirmScreen
from fieldvault.tui.screens.editor import EditorScreen
from tests.conftest import PASSPHRASE
from tests.e2e.test_cli import fv
from tests.sessionfiles import store_transcript
from tests.stewardship import JUNE, ROSA, add_person, transcribe_and_review
from tests.tui.conftest import messages, unlock

TYPED = " UNSAVED EDIT ONE."


async def _open_editor(pilot, session: str) -> EditorScreen | ConfirmScreen:
    await unlock(pilot)
    table = pilot.app.screen.query_one("#sessions", DataTable)
    (row,) = [n for n in range(table.row_count) if table.get_row_at(n)[1] == session]
    table.move_cursor(row=row)
    await pilot.press("o")
    await pilot.app.workers.wait_for_complete()  # decrypting, then the autosave check
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, (EditorScreen, ConfirmScreen)), messages(pilot.app)
    return pilot.app.screen


async def _type_and_crash(study: Study, session: str) -> None:
    """Type in the editor until the autosave holds it, then end without saving or discarding (a kill, a crash)."""
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_editor(pilot, session)
        assert isinstance(screen, EditorScreen), getattr(screen, "question", "")
        await pilot.press("end", *TYPED)
        screen._autosave_tick()
        await app.workers.wait_for_complete()


async def _offered_back(study: Study, pseudonym: str, session: str) -> None:
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_editor(pilot, session)
        assert not any("replaced since" in m for m in messages(app)), messages(app)
        assert isinstance(app.screen, ConfirmScreen) and "kept by autosave" in app.screen.question, messages(app)
        await pilot.press("y")  # restore
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen) and editor.pseudonym == pseudonym
        assert any(s.text.endswith(TYPED) for s in editor.draft.segments) and editor.dirty


async def test_an_autosave_is_offered_back_after_a_cli_move_and_then_a_cli_rename(ready_study: Study) -> None:
    (session,) = add_person(ready_study, ROSA)
    add_person(ready_study, JUNE, sessions=0)
    identities = ready_study.unlock(PASSPHRASE.encode())
    transcribe_and_review(ready_study, identities, ROSA, session)
    await _type_and_crash(ready_study, session)

    moved = fv("session", "move", str(ready_study.root), "Rosa", session, "--to", "June")
    assert moved.returncode == 0, moved.stderr
    kept = versions.load_autosave(ready_study, "June", session, identities)
    assert kept is not None and kept.pseudonym == "June"
    await _offered_back(ready_study, "June", session)  # restored and left unsaved: the autosave stays pending

    renamed = fv("participant", "rename", str(ready_study.root), "June", "Juno")
    assert renamed.returncode == 0, renamed.stderr
    await _offered_back(ready_study, "Juno", session)
    kept = versions.load_autosave(ready_study, "Juno", session, identities)
    assert kept is not None and any(s.text.endswith(TYPED) for s in kept.segments)


async def test_an_autosave_is_offered_back_after_a_cli_rename_alone(ready_study: Study) -> None:
    (session,) = add_person(ready_study, ROSA)
    identities = ready_study.unlock(PASSPHRASE.encode())
    transcribe_and_review(ready_study, identities, ROSA, session)
    await _type_and_crash(ready_study, session)
    renamed = fv("participant", "rename", str(ready_study.root), "Rosa", "Roza")
    assert renamed.returncode == 0, renamed.stderr
    await _offered_back(ready_study, "Roza", session)


async def test_an_autosave_made_on_a_transcript_replaced_since_is_kept_where_no_keystroke_writes_over_it(
    ready_study: Study,
) -> None:
    """QA R19: the editor crashed with an hour of corrections in its autosave; `transcribe --force` replaced the
    transcript; the editor said the autosave was made on an earlier transcript, and the first keystroke's autosave
    wrote over it: the corrections were in no file. They are copied to a file of their own first, named."""
    from dataclasses import replace

    from fieldvault import layout
    from fieldvault.transcript import read_transcript

    (session,) = add_person(ready_study, ROSA)
    identities = ready_study.unlock(PASSPHRASE.encode())
    transcribe_and_review(ready_study, identities, ROSA, session)
    await _type_and_crash(ready_study, session)
    current = ready_study.root / "participants" / "Rosa" / session / layout.TRANSCRIPT
    again = read_transcript(ready_study, current, identities)  # what `transcribe --force` stores: other words
    again = replace(again, segments=tuple(replace(s, text=s.text + " Again.") for s in again.segments))
    store_transcript(ready_study, again)

    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await _open_editor(pilot, session)
        assert isinstance(editor, EditorScreen)
        (said,) = [m for m in messages(app) if "replaced since" in m]
        assert "kept in participants/Rosa/" in said and "autosave-kept-" in said, said
        await pilot.press("end", "x")
        editor._autosave_tick()
        await app.workers.wait_for_complete()
    folder = ready_study.root / "participants" / "Rosa" / session / "versions"
    (kept,) = folder.glob("autosave-kept-*.json.age")
    assert any(s.text.endswith(TYPED) for s in read_transcript(ready_study, kept, identities).segments)
    latest = versions.load_autosave(ready_study, "Rosa", session, identities)
    assert latest is not None and not any(s.text.endswith(TYPED) for s in latest.segments)  # written over, as before
    assert fv("check", str(ready_study.root), env={"FIELDVAULT_PASSPHRASE": PASSPHRASE}).returncode == 0


async def test_typing_before_the_autosave_question_comes_is_set_aside_when_the_autosave_is_restored(
    ready_study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """qa28 QD12: after a crash the editor opens editable, and the autosave's question comes once the autosave is read
    (10-22 s later on a loaded machine). What she typed meanwhile went without a word when she restored the autosave;
    it is now set aside, as a discard is, and said."""
    import threading

    from fieldvault.transcript import read_transcript
    from tests.tui.conftest import until

    (session,) = add_person(ready_study, ROSA)
    identities = ready_study.unlock(PASSPHRASE.encode())
    transcribe_and_review(ready_study, identities, ROSA, session)
    await _type_and_crash(ready_study, session)
    typed_first = threading.Event()
    load = versions.load_autosave

    def slow_load(*args: object) -> object:  # the autosave read on a loaded machine: after her first keys
        typed_first.wait(10)
        return load(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(versions, "load_autosave", slow_load)
    app = make_app(ready_study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.press("end", *" SECOND EDIT.")
        typed_first.set()
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert any(s.text.endswith(TYPED) for s in editor.draft.segments)  # the autosave restored
        (said,) = [m for m in messages(app) if "What you typed before the question came is kept in" in m]
    folder = ready_study.root / "participants" / "Rosa" / session / "versions"
    (kept,) = folder.glob("autosave-kept-*.json.age")
    assert kept.name in said
    assert any(s.text.endswith("SECOND EDIT.") for s in read_transcript(ready_study, kept, identities).segments)
