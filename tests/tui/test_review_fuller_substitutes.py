"""tui28: a substitute name on a first name ("Marcus") whose fuller name ("Marcus Delgado") is accepted in another of
her transcripts. Placeholders mapped the shorter name onto the fuller one's placeholder, so the name the reviewer set
on "Marcus" was not printed (the export printed [PERSON 1], or the fuller name's substitute), and the review screen's
"Exported as" line read the span's own entity only. Now the substitute set on a mention is what goes out for it, a
first name with none takes its fuller name's, and the screen says what the export prints (txt and qdpx alike)."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import DataTable, Label

from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.redact.review import ACCEPTED, mark_reviewed, open_for_review, store
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.review import ReviewScreen
from tests.conftest import ANSWERS, PASSPHRASE
from tests.tui.conftest import unlock

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
FIRST, LATER = "20261120-100000", "20261124-100000"  # "Marcus Delgado" in the first, "Marcus" alone in the later
LINES = {
    FIRST: ("Marcus Delgado took me to Phoenix.",),
    LATER: ("Then Marcus left me there.", "Faith helped me."),
}


def two_sessions(study: Study, full: str | None = None, first_name: str | None = None) -> None:
    """Rose's two sessions, every span accepted; ``full``: the substitute set on "Marcus Delgado" in the first,
    ``first_name``: on "Marcus" in the later one."""
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Rose", ANSWERS, consent, [])
    identities = study.unlock(PASSPHRASE.encode())
    for session, lines in LINES.items():
        (study.root / "participants" / "Rose" / session).mkdir()
        study.write_new(f"participants/Rose/{session}/audio.wav.age", b"")
        segments = tuple(Segment(4.0 * n, 4.0 * n + 4, text) for n, text in enumerate(lines))
        made = Transcript("Rose", session, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 8.0, 1.0, "now")
        study.write_new(f"participants/Rose/{session}/transcript.json.age", made.to_json())
        _, redactions = open_for_review(study, "Rose", session, identities)
        for span in redactions.spans:
            redactions.decide(span.id, ACCEPTED, "tester", NOW)
        name = full if session == FIRST else first_name
        marcus = next(s for s in redactions.spans if s.text.startswith("Marcus"))
        assert marcus.entity == ("PERSON:marcus delgado" if session == FIRST else "PERSON:marcus"), marcus.entity
        if name:
            redactions.substitute(marcus.id, name, "tester", NOW)
        store(study, redactions, "redaction.decided")


def exported(study: Study, out: Path) -> dict[str, str]:
    """Both sessions marked reviewed as stored now and exported, as a coder reads them: txt ("txt": both texts) and
    the qdpx project's sources ("qdpx")."""
    identities = study.unlock(PASSPHRASE.encode())
    for session in LINES:
        transcript, _ = open_for_review(study, "Rose", session, identities)
        mark_reviewed(study, transcript, identities, "tester")
    export(study, identities, Options("txt"), out / "txt", Request())
    written = export(study, identities, Options("qdpx"), out / "project.qdpx", Request()).out
    with zipfile.ZipFile(written) as project:
        sources = [project.read(n).decode() for n in sorted(project.namelist()) if n.startswith("sources/")]
    return {"txt": "\n".join(p.read_text() for p in sorted((out / "txt").rglob("*.txt"))), "qdpx": "\n".join(sources)}


async def review_later(pilot) -> ReviewScreen:
    """The review of the later session ("Marcus" alone), its "Marcus" the current span."""
    await unlock(pilot)
    table = pilot.app.screen.query_one("#sessions", DataTable)
    for row in range(table.row_count):
        table.move_cursor(row=row)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, ReviewScreen) and screen.session == LATER:
            assert screen.current.text == "Marcus"
            return screen
        await pilot.press("escape")
        await pilot.pause()
    raise AssertionError("no review of the later session")


def printed(screen: ReviewScreen) -> str:
    return str(screen.query_one("#printed", Label).render())


async def test_a_substitute_set_on_a_first_name_in_the_screen_is_what_the_export_prints_for_it(
    study: Study, tmp_path: Path
) -> None:
    two_sessions(study)
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await review_later(pilot)
        assert printed(screen) == "Exported as [PERSON n], a placeholder: s gives a substitute name", printed(screen)
        await pilot.press("s", *"Lisa", "enter")
        await pilot.pause()
        assert printed(screen) == 'Exported as "Lisa" (a substitute name): s changes or clears it', printed(screen)
    for kind, text in exported(study, tmp_path).items():
        # on main: "[PERSON 1] left me there", his full name's placeholder
        assert "Then Lisa left me there." in text, (kind, text)
        assert "[PERSON 1] took me to [CITY]." in text, (kind, text)  # no name was set on "Marcus Delgado"


async def test_a_first_name_without_one_is_said_to_print_its_full_names_substitute_as_the_export_does(
    study: Study, tmp_path: Path
) -> None:
    two_sessions(study, full="Owen")
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await review_later(pilot)
        said = printed(screen)  # on main: "Exported as [PERSON n], a placeholder", while exports print "Owen"
        assert said == (
            f"Exported as \"Owen\", the substitute name set for 'marcus delgado', the same person, in session {FIRST}: "
            "s gives one here"
        ), said
        await pilot.press("j")  # Faith: nothing set on her, nor on anyone she is part of
        assert screen.current.text == "Faith"
        assert printed(screen) == "Exported as [PERSON n], a placeholder: s gives a substitute name", printed(screen)
    for kind, text in exported(study, tmp_path).items():
        assert "Then Owen left me there." in text and "Owen took me to [CITY]." in text, (kind, text)


async def test_a_first_names_own_substitute_wins_over_its_full_names_on_the_screen_and_in_the_export(
    study: Study, tmp_path: Path
) -> None:
    two_sessions(study, full="Owen", first_name="Lisa")
    app = make_app(study)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await review_later(pilot)
        assert printed(screen) == 'Exported as "Lisa" (a substitute name): s changes or clears it', printed(screen)
    for kind, text in exported(study, tmp_path).items():
        # on main: "Then Owen left me there.": the other substitute
        assert "Then Lisa left me there." in text and "Owen took me to [CITY]." in text, (kind, text)
