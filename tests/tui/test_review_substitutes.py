"""tui27: a person's stored substitute name in the review screen. It was never shown (the reviewer could not see what
an export would print for her), and it could not be taken back (an empty answer to `s` cancels). Now the span's tag
and the current line say what exports print, and the `s` dialog clears a stored one with Ctrl+D (or its button) after
a yes/no over it; the clearing is audited as setting one is, and the export prints her placeholder again."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input, Label, Static

from fieldvault.errors import RefusedSubstitute
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.redact.review import ACCEPTED, REJECTED, load, mark_reviewed, open_for_review, store
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.confirm import ConfirmScreen
from fieldvault.tui.screens.review import ReviewScreen
from fieldvault.tui.screens.substitute import SubstituteScreen
from tests.conftest import PASSPHRASE
from tests.tui.conftest import messages
from tests.tui.test_review_screen import _open_review, _study_with_transcript

NOW = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
SHOWN = 'exported as "Lisa" (a substitute name)'


def stored_substitute(study: Study, name: str | None = "Lisa") -> str:
    """Rose's session with every span accepted and, when ``name``, that name stored as Marcus's substitute, as a
    review screen stored them; returns the session."""
    session = _study_with_transcript(study)
    identities = study.unlock(PASSPHRASE.encode())
    _, redactions = open_for_review(study, "Rose", session, identities)
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "tester", NOW)
    if name:
        redactions.substitute(redactions.spans[0].id, name, "tester", NOW)
    store(study, redactions, "redaction.decided")
    return session


def exported(study: Study, session: str, out: Path) -> str:
    """The session marked reviewed as it is stored now, and exported as plain text: what a coder reads."""
    identities = study.unlock(PASSPHRASE.encode())
    transcript, _ = open_for_review(study, "Rose", session, identities)
    mark_reviewed(study, transcript, identities, "tester")
    export(study, identities, Options("txt"), out, Request())
    return "\n".join(path.read_text() for path in sorted(out.rglob("*.txt")))


def printed(screen: ReviewScreen) -> str:
    """The line under the counter that says what exports print for the current person."""
    return str(screen.query_one("#printed", Label).render())


def line(screen: ReviewScreen, index: int) -> str:
    return str(screen.query_one(f"#seg-{index}", Static).render())


def substitutes(study: Study, session: str) -> set[str | None]:
    stored = load(study, "Rose", session, study.unlock(PASSPHRASE.encode()))
    return {s.substitute for s in stored.spans if s.entity == stored.spans[0].entity}


async def test_a_stored_substitute_is_shown_on_every_mention_and_on_the_current_line(study: Study) -> None:
    session = stored_substitute(study)
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await _open_review(pilot)
        assert screen.current.text == "Marcus"
        assert printed(screen) == f"Exported as {SHOWN.split(' ', 2)[2]}: s changes or clears it", printed(screen)
        # both mentions of him in the list of lines: "Marcus" and "markus"
        assert f"Marcus⟨PERSON, {SHOWN.split(' (')[0]}⟩" in line(screen, 0), line(screen, 0)
        assert f"markus⟨PERSON ≈ Marcus, {SHOWN.split(' (')[0]}⟩" in line(screen, 1), line(screen, 1)
        await pilot.press("j")  # Phoenix: a place has no substitute, and nothing is said of one
        assert screen.current.text == "Phoenix" and printed(screen) == "", printed(screen)
        await pilot.press("j", "x")  # markus rejected: his substitute is not printed for this mention
        assert screen.redactions.spans[2].state == REJECTED and screen.current.text == "markus"  # nothing undecided
        said = printed(screen)
        assert said == 'Rejected: not replaced in exports, so its substitute "Lisa" is not used here', said
        assert "exported as" not in line(screen, 1) and SHOWN.split(" (")[0] in line(screen, 0)
        await pilot.press("j")  # Faith: a person with no substitute is printed as her placeholder
        assert screen.current.text == "Faith"
        assert printed(screen) == "Exported as [PERSON n], a placeholder: s gives a substitute name", printed(screen)
    assert substitutes(study, session) == {"Lisa"}


async def test_ctrl_d_in_the_dialog_clears_a_stored_substitute_after_a_yes_and_the_export_prints_the_placeholder(
    study: Study, tmp_path: Path
) -> None:
    session = stored_substitute(study)
    assert "Lisa took me to [CITY]." in exported(study, session, tmp_path / "before")
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SubstituteScreen)
        said = str(dialog.query_one("#question", Static).render())
        assert said.startswith(f"This person is {SHOWN} instead of [PERSON n]") and "Ctrl+D clears it" in said, said
        await pilot.press("ctrl+d")
        await pilot.pause()
        # a yes/no over the dialog, No the answer Enter gives
        assert isinstance(app.screen, ConfirmScreen) and app.screen_stack[-2] is dialog
        asked = str(app.screen.query_one("#question", Static).render())
        assert asked.startswith('Clear the substitute name "Lisa"? Every export then prints this person as [PERSON n]')
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and screen.redactions.spans[0].substitute == "Lisa"  # kept
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert [s.substitute for s in screen.redactions.spans] == [None] * len(screen.redactions.spans)
        last = list(app._notifications)[-1]  # shown as written: "[PERSON n]" is no markup
        assert not last.markup and last.message == (
            'Cleared the substitute name "Lisa": exports print this person as [PERSON n] again (2 mentions)'
        )
        assert printed(screen).startswith("Exported as [PERSON n]") and "exported as" not in line(screen, 1)
    assert substitutes(study, session) == {None}
    text = exported(study, session, tmp_path / "after")
    assert "Lisa" not in text and re.search(r"\[PERSON \d+\] took me to \[CITY\]\.", text), text
    assert re.search(r"\[PERSON \d+\] again, and \[PERSON \d+\] helped", text), text


async def test_clearing_is_audited_as_setting_is_and_names_no_one(study: Study) -> None:
    session = stored_substitute(study, None)
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await _open_review(pilot)
        entries = len(study.audit.entries())
        await pilot.press("s", *"Lisa", "enter")
        await pilot.pause()
        assert screen.redactions.spans[0].substitute == "Lisa"
        assert messages(app)[-1] == f"This person is {SHOWN} (2 mentions); s changes or clears it"
        setting = study.audit.entries()[entries:]
        await pilot.press("s", "ctrl+d", "y")  # typed on at once
        await pilot.pause()
        assert screen.redactions.spans[0].substitute is None
        clearing = study.audit.entries()[entries + len(setting) :]
    assert [e["action"] for e in setting] == [e["action"] for e in clearing] == ["redaction.decided"]
    assert setting[0]["details"].keys() == clearing[0]["details"].keys()
    assert clearing[0]["details"]["pseudonym"] == "Rose" and clearing[0]["details"]["session"] == session
    assert "Lisa" not in str(setting) + str(clearing) and "Marcus" not in str(clearing)


async def test_fast_typing_in_the_dialog_changes_keeps_or_clears_as_typed(study: Study) -> None:
    session = stored_substitute(study)
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("s", *"Ann", "enter", "s", "ctrl+d", "n", "escape", "a")  # change, then keep it
        await pilot.pause()
        assert app.screen is screen and screen.redactions.spans[0].substitute == "Ann"
        assert screen.redactions.spans[0].state == ACCEPTED  # `a` reached the review, as typed
        await pilot.press("s", "enter")  # nothing typed: keeps it
        await pilot.pause()
        assert app.screen is screen and screen.redactions.spans[0].substitute == "Ann"
        await pilot.press("s", *"Zed", "ctrl+d", "y", "j")  # typed, then cleared: nothing typed is stored
        await pilot.pause()
        assert app.screen is screen and screen.current.text == "Phoenix"
        assert {s.substitute for s in screen.redactions.spans} == {None}
        await pilot.press("k", "s", *"Bo", "ctrl+d")  # nothing stored now: Ctrl+D says so, and the name typed stays
        await pilot.pause()
        assert isinstance(app.screen, SubstituteScreen) and app.screen.query_one(Input).value == "Bo"
        assert messages(app)[-1] == "No substitute name is stored for this person: there is nothing to clear"
        await pilot.press("escape")
        await pilot.pause()
    assert substitutes(study, session) == {None}


async def test_the_dialog_asked_again_over_a_refused_name_still_clears_by_its_button(study: Study) -> None:
    """A refused name opens the dialog again (over the review, at once); there the stored name is still said and its
    Clear button asks the yes/no over that dialog. Esc on the yes/no goes back to the dialog, Esc there keeps it."""
    session = stored_substitute(study)
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("s", *"Marcus", "enter")  # his own listed name: refused, asked again
        await pilot.pause()
        assert "'Marcus' is a name on a list of names people may mention" in messages(app)[-1], messages(app)
        again = app.screen
        assert isinstance(again, SubstituteScreen) and again.stored == "Lisa"
        assert SHOWN in str(again.query_one("#question", Static).render())
        await pilot.click("#clear")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.screen_stack[-2] is again
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is again
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.redactions.spans[0].substitute == "Lisa"
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#clear")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen and screen.redactions.spans[0].substitute is None
    assert substitutes(study, session) == {None}


def test_a_substitute_like_another_name_taken_out_of_the_interview_is_refused_by_the_export(
    study: Study, tmp_path: Path
) -> None:
    """tui29: "Faithe" stored for Marcus beside Faith (another person, taken out) went out as Faith's placeholder for
    both: the export's last scrub took the substitute for her name. Refused in one line, nothing written."""
    session = stored_substitute(study, "Faithe")
    with pytest.raises(RefusedSubstitute, match="another name taken out of this interview"):
        exported(study, session, tmp_path / "out")
    assert not list((tmp_path / "out").rglob("*.txt"))
