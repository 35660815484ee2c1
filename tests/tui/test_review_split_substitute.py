"""tui28: `u` (split) and `m` (merge) on the review screen moved mentions away from a stored substitute name without a
word: the mentions split off (or merged into a person without one) were printed as a placeholder after, and nothing
said so. Now the notice says which name stays with whom; the change is audited as any decision (and as clearing a
substitute is: `redaction.decided`, no name in it). And the counter line was cut at the screen's edge: it now fits
an 80-column terminal."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Label

from fieldvault.study import Study
from fieldvault.tui.app import make_app
from tests.tui.test_review_screen import _open_review, _study_with_transcript
from tests.tui.test_review_substitutes import exported, stored_substitute


def last_notice(app) -> str:
    """The last notification as written (these carry "[PERSON n]" with markup off)."""
    return list(app._notifications)[-1].message


async def test_split_says_the_substitute_stays_with_the_other_mentions_and_the_export_agrees(
    study: Study, tmp_path: Path
) -> None:
    session = stored_substitute(study)  # "Marcus" and "markus" (≈ Marcus) one person, "Lisa" for both
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("j", "j")
        assert screen.current.text == "markus"
        entries = len(study.audit.entries())
        await pilot.press("u")
        await pilot.pause()
        # on main: "Split off: 1 mention gets a placeholder of its own", and "Lisa" was gone from it unsaid
        assert last_notice(app) == (
            'Split off: 1 mention gets a placeholder of its own, [PERSON n], not the substitute name "Lisa": that '
            "stays with the other 1 mention of the person; s on this gives it one"
        ), last_notice(app)
        assert [s.substitute for s in screen.redactions.spans if s.text in ("Marcus", "markus")] == ["Lisa", None]
        assert str(screen.query_one("#printed", Label).render()).startswith("Exported as [PERSON n], a placeholder")
        split = study.audit.entries()[entries:]
    assert [e["action"] for e in split] == ["redaction.decided"], split  # as clearing one is
    assert split[0]["details"]["session"] == session and not re.search(r"Lisa|[Mm]ar[ck]us", str(split)), split
    text = exported(study, session, tmp_path / "out")
    assert re.search(r"Lisa took me to \[CITY\]\.\n*.*\[PERSON \d+\] again", text, re.S), text


async def test_split_without_a_substitute_says_what_it_said_before(study: Study) -> None:
    _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("j", "j", "u")
        await pilot.pause()
        assert screen.current.text == "markus"
        assert last_notice(app) == "Split off: 1 mention gets a placeholder of its own", last_notice(app)


async def test_merging_a_named_person_into_one_without_a_name_keeps_the_name_and_says_so(
    study: Study, tmp_path: Path
) -> None:
    """qa28 QD4: the substitute went without a word, and "1 mention now share" was said of two."""
    session = stored_substitute(study)
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("m", "j", "j", "j", "m")  # Marcus and markus ("Lisa") merged into Faith (none)
        await pilot.pause()
        assert screen.current.text == "Faith"
        assert last_notice(app) == (
            'Merged: 3 mentions now share the substitute name "Lisa"; s changes or clears it'
        ), last_notice(app)
        assert {s.substitute for s in screen.redactions.spans if s.label == "PERSON" and s.text != "Bo"} == {"Lisa"}
    text = exported(study, session, tmp_path / "out")
    assert "Lisa took me to [CITY]." in text and "Lisa again, and Lisa helped." in text, text


async def test_the_counter_fits_an_80_column_terminal(study: Study) -> None:
    _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_review(pilot)
        counter = screen.query_one("#counter", Label)
        said = str(counter.render())
        assert "5 undecided" in said and "entity marcus (2 mentions)" in said, said
        # on main the label was as wide as its one line (108 columns) and the screen cut it at 80
        assert counter.outer_size.width <= 80 and counter.size.height >= 2, (counter.outer_size, said)
        await pilot.press("right_square_bracket")  # a line shown: the counter says how to redact in it
        await pilot.pause()
        assert "line 2 of 3" in str(counter.render()) and counter.outer_size.width <= 80, counter.outer_size


async def test_merging_refuses_to_carry_a_substitute_that_sounds_like_the_targets_own_name(study: Study) -> None:
    """tui29 (tui28's rest): m carried Marcus's substitute "Faithe" onto Faith's mention, where it stands in for
    "Faith" and sounds like it; on main the merge went through and only the export refused it later. Now nothing is
    merged, and one line says why and what to do."""
    stored_substitute(study, "Faithe")
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await _open_review(pilot)
        before = [(s.entity, s.substitute) for s in screen.redactions.spans]
        entries = len(study.audit.entries())
        await pilot.press("m", "j", "j", "j", "m")  # Marcus and markus ("Faithe") into Faith
        await pilot.pause()
        assert screen.current.text == "Faith"
        assert last_notice(app) == (
            'Not merged: the merged person would keep the substitute name "Faithe", which is, or sounds like, the '
            "name it stands in for: give that person another (s) or clear it (s, then Ctrl+D) first, then merge"
        ), last_notice(app)
        assert [(s.entity, s.substitute) for s in screen.redactions.spans] == before
        assert len(study.audit.entries()) == entries  # nothing stored


async def test_the_help_says_what_s_does_on_the_review_screen(study: Study) -> None:
    """tui27's note: `s` was listed as "Substitute name" while its dialog sets, changes or clears one."""
    from textual.widgets import DataTable

    _study_with_transcript(study)
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        await _open_review(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        rows = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1]) for i in range(table.row_count)}
    assert rows["s"] == "Set, change or clear a substitute name", rows
