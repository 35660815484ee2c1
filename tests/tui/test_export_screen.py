"""The export screen with Pilot: preview, then an export with the same rules as the CLI."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from fieldvault import layout, memos
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.export import ExportScreen
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e import test_export_leaks as leaks
from tests.e2e.test_export import _no_identifier_leaks, _session
from tests.tui.conftest import unlock


async def _txt_export(pilot) -> ExportScreen:
    """Unlocked, the export screen open from home, plain text chosen."""
    await unlock(pilot)
    await pilot.press("e")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    screen.query_one("#format", Select).value = "txt"
    return screen


async def _txt_exported(pilot, out: Path) -> None:
    """Plain text exported to ``out`` from the export screen, the export's worker done."""
    screen = await _txt_export(pilot)
    screen.query_one("#out", Input).value = str(out)
    await pilot.press("ctrl+e")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_preview_and_export_from_the_tui(ready_study: Study, tmp_path: Path) -> None:
    _session(ready_study, "Rose", review=True)
    _session(ready_study, "Grace", review=False)
    app = make_app(ready_study)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _txt_export(pilot)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()  # the preview is built in a worker
        await pilot.pause()
        preview = screen.query_one("#export-preview", TextArea).text
        assert preview.startswith("1 session(s)") and "[PERSON 2] was my pimp" in preview
        screen.query_one("#out", Input).value = str(tmp_path / "out")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()  # the export runs in a worker
        await pilot.pause()
        assert any("Exported 1 session(s)" in n.message for n in app._notifications)
        await pilot.press("ctrl+e")  # again: the folder is no longer empty, nothing is overwritten
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("never overwrites, give a new place to export to" in n.message for n in app._notifications)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["Rose_session-1.txt"]
    _no_identifier_leaks(tmp_path / "out")


async def test_unreviewed_sessions_from_the_tui_are_replaced_and_marked(ready_study: Study, tmp_path: Path) -> None:
    _session(ready_study, "Grace", review=False)
    app = make_app(ready_study)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _txt_export(pilot)
        screen.query_one("#dialect", Select).value = "nvivo"
        screen.query_one("#unreviewed", Checkbox).value = True
        screen.query_one("#out", Input).value = str(tmp_path / "out")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()  # the export worker proposes spans (loads the NER model) first
        await pilot.pause()
        assert any(
            "Exported 1 session(s)" in n.message and "1 marked UNREVIEWED" in n.message for n in app._notifications
        )
    rows = (tmp_path / "out" / "Grace_session-1.txt").read_text().splitlines()
    assert rows[0] == "Timespan\tSpeaker\tContent" and any("UNREVIEWED —" in row for row in rows)
    _no_identifier_leaks(tmp_path / "out")


async def test_a_refused_preview_says_why_and_the_keys_work_from_the_path_field(
    ready_study: Study, tmp_path: Path
) -> None:
    """QA C22: after a refused preview the panel said "Building the preview…" for ever (the reason showed for
    8 s); Ctrl+E typed in the path field moved the cursor instead of exporting."""
    _session(ready_study, "Grace", review=False)
    app = make_app(ready_study)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _txt_export(pilot)
        screen.query_one("#out", Input).focus()
        await pilot.press("ctrl+r")  # only an unreviewed session, "include unreviewed" not ticked
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = screen.query_one("#export-preview", TextArea).text
        assert preview.startswith("No preview: nothing to export") and 'tick "Include unreviewed"' in preview
        await pilot.press(*str(tmp_path / "out"))
        screen.query_one("#unreviewed", Checkbox).value = True
        await pilot.press("ctrl+e")  # the cursor still in the path field
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Exported 1 session(s)" in n.message for n in app._notifications)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["Grace_session-1.txt"]


async def test_a_bad_seed_and_a_box_for_another_format_are_one_line_in_the_screens_words(
    ready_study: Study, tmp_path: Path
) -> None:
    """QA G1: the seed field let "-" alone through and Ctrl+E ended the whole TUI in a traceback. QA G2: the screen
    spoke the CLI's flags ("--with-audio goes with --format qdpx only") and left out what the CLI says beside an
    export (the journal left out of chosen participants' memos; the audio warning)."""
    _session(ready_study, "Rose", review=True)
    app = make_app(ready_study)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _txt_export(pilot)
        screen.query_one("#out", Input).value = str(tmp_path / "out")
        screen.query_one("#seed", Input).focus()
        await pilot.press("-")
        for key in ("ctrl+e", "ctrl+r"):
            await pilot.press(key)
            await pilot.pause()
            assert app._notifications and list(app._notifications)[-1].message == (
                "the sample seed is a whole number such as 0"
            )
        assert app.screen is screen and not (tmp_path / "out").exists()
        screen.query_one("#seed", Input).value = ""
        screen.query_one("#with-audio", Checkbox).value = True
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert list(app._notifications)[-1].message == '"With audio" goes with the qdpx format only'
        screen.query_one("#format", Select).value = "qdpx"
        screen.query_one("#memos", Checkbox).value = True
        screen.query_one("#participants", SelectionList).select("Rose")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = list(app._notifications)[-1].message
        assert said.startswith("Exported 1 session(s)") and "leaves it out" in said and "voices identify" in said
    assert (tmp_path / "out").is_file()


async def test_a_one_file_export_encrypted_from_the_tui_is_named_age(ready_study: Study, tmp_path: Path) -> None:
    """QA D15's TUI twin: a qdpx encrypted to a recipient is project.qdpx.age, and the notification says so."""
    import subprocess

    from tests.conftest import need

    _session(ready_study, "Rose", review=True)
    key = tmp_path / "key.txt"
    subprocess.run([need("age-keygen"), "-o", str(key)], check=True, capture_output=True)
    recipient = next(line.split(": ")[1] for line in key.read_text().splitlines() if "public key" in line)
    app = make_app(ready_study)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _txt_export(pilot)
        screen.query_one("#format", Select).value = "qdpx"
        screen.query_one("#recipient", Input).value = recipient
        screen.query_one("#out", Input).value = str(tmp_path / "project.qdpx")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        sealed = tmp_path / "project.qdpx.age"
        assert any(f"to {sealed}, encrypted" in n.message for n in app._notifications)
    assert sealed.read_bytes().startswith(b"age-encryption.org/v1") and not (tmp_path / "project.qdpx").exists()


async def test_the_tui_export_replaces_a_partly_listed_answer_and_a_named_speaker_whole(
    study: Study, tmp_path: Path
) -> None:
    """QA E11 and E5 through the export screen (the same gate as the CLI): an answer naming "Lupita Ochoa"
    (only "Lupita" listed) in the qdpx case variables, a field note with it, and a speaker renamed "Hoa Nguyen"
    (another woman lists "Nguyen Thi Hoa")."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    said = "counseling with Lupita Ochoa at Catholic Charities on Commerce St, 210-555-0199"
    listed = [KnownIdentifier("Lupita"), KnownIdentifier("210-555-0199", "CONTACT")]
    add_participant(study, "Kay", {**ANSWERS, "services_used": said}, consent, listed)
    add_participant(
        study, "Ria", dict(ANSWERS), consent, [KnownIdentifier("Nguyen Thi Hoa")], study.unlock(PASSPHRASE.encode())
    )
    folder, transcript = leaks._session(study, "Kay", "20261124-100000", ["I came from the long road."])
    renamed = replace(transcript, segments=tuple(replace(s, speaker="Hoa Nguyen") for s in transcript.segments))
    study.replace(folder / layout.TRANSCRIPT, renamed.to_json())
    leaks._review_all(study, renamed, listed)
    memos.add_field_note(study, folder, f"Ask about the {said}.")
    app = make_app(study)
    async with app.run_test(size=(140, 45)) as pilot:
        await unlock(pilot)
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#memos", Checkbox).value = True
        screen.query_one("#out", Input).value = str(tmp_path / "k.qdpx")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Exported 1 session(s)" in n.message for n in app._notifications)
    blobs = leaks._blobs(tmp_path / "k.qdpx")
    for name, data in blobs.items():
        for leak in ("Lupita", "Ochoa", "Commerce", "555-0199", "Hoa", "Nguyen"):
            assert leak.encode() not in data, (name, leak)
    assert b"<TextValue>counseling with [PERSON] at [ORG] on [PHONE]</TextValue>" in blobs["k.qdpx!project.qde"]
    assert any(b"[PERSON]: I came from the long road." in data for data in blobs.values())


async def test_the_tui_export_refuses_a_folder_inside_a_field_kit(ready_study: Study, tmp_path: Path) -> None:
    """QA F29: the kit goes back to the field laptop; plaintext put into it went with it."""
    _session(ready_study, "Rose", review=True)
    kit = ready_study.make_field_kit(tmp_path / "usb" / "kit")
    before = sorted(kit.root.rglob("*"))
    app = make_app(ready_study)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _txt_export(pilot)
        screen.query_one("#out", Input).value = str(kit.root / "exports_here")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        refused = [n for n in app._notifications if "inside the field kit" in n.message]
        assert refused and refused[0].severity == "error" and "goes back to the field" in refused[0].message
        assert not any("Exported" in n.message for n in app._notifications)
    assert sorted(kit.root.rglob("*")) == before


async def test_an_export_from_the_tui_says_a_transcript_was_made_before_its_audio_was_salvaged(
    ready_study: Study, tmp_path: Path
) -> None:
    """The TUI twin of `export`'s note: a transcript made before `recover` salvaged its audio is named in the
    notification, with the stretch, and the exported header says it to the coder."""
    from fieldvault.events import Event, SessionEvents

    _session(ready_study, "Rose", review=True)
    timeline = SessionEvents("Rose", "20261124-100000", {}, [Event(4.0, "damaged", "", length=2.0)])
    ready_study.replace(  # the session's timeline, now with a salvage event
        layout.session(ready_study.root, "Rose", "20261124-100000") / layout.EVENTS, timeline.to_json()
    )
    app = make_app(ready_study)
    async with app.run_test(size=(140, 45)) as pilot:
        await _txt_exported(pilot, tmp_path / "out")
        (said,) = [n for n in app._notifications if "Exported 1 session(s)" in n.message]
        assert said.severity == "warning"
        assert "Rose/20261124-100000: the audio was salvaged after this transcript was made: 00:00:04–00:00:06" in (
            said.message
        )
    header = (tmp_path / "out" / "Rose_session-1.txt").read_text().splitlines()[1]
    assert "audio salvaged after it was made: 00:00:04–00:00:06 silent in the recording" in header


async def test_the_sample_table_from_the_tui_has_a_row_for_a_participant_with_no_reviewed_transcript(
    ready_study: Study, tmp_path: Path
) -> None:
    """QA H13's TUI twin: the demographics export held only women with a reviewed transcript; with none reviewed
    the preview and the export were refused."""
    _session(ready_study, "Grace", review=False)
    app = make_app(ready_study)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _txt_export(pilot)
        screen.query_one("#format", Select).value = "demographics"
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = screen.query_one("#export-preview", TextArea).text
        assert preview.startswith("1 participant(s)") and "\nGrace,35," in preview, preview
        screen.query_one("#out", Input).value = str(tmp_path / "d.csv")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Exported 1 participant(s)" in n.message for n in app._notifications)
    assert (tmp_path / "d.csv").read_text(encoding="utf-8-sig").splitlines()[1].startswith("Grace,35,")
    _no_identifier_leaks(tmp_path / "d.csv")


async def test_an_export_from_the_tui_refuses_a_list_swapped_into_another_womans_folder(
    ready_study: Study, tmp_path: Path
) -> None:
    """QA H10's TUI route: two women's lists swapped with `mv` redacted each one's transcripts with the other's
    names. The export names the file in one notification and writes nothing."""
    import os

    _session(ready_study, "Rose", review=True)
    _session(ready_study, "Lily", review=True)
    folder = ready_study.root / "participants"
    os.rename(folder / "Rose/identifiers.json.age", folder / "spare")
    os.rename(folder / "Lily/identifiers.json.age", folder / "Rose/identifiers.json.age")
    os.rename(folder / "spare", folder / "Lily/identifiers.json.age")
    app = make_app(ready_study)
    async with app.run_test(size=(140, 45)) as pilot:
        await _txt_exported(pilot, tmp_path / "out")
        said = [n.message for n in app._notifications]
        assert any("is Rose's list of names she may mention, not Lily's" in m for m in said) or any(
            "is Lily's list of names she may mention, not Rose's" in m for m in said
        ), said
    assert not (tmp_path / "out").exists()


async def test_an_export_from_the_tui_refuses_a_stored_substitute_like_a_listed_name(
    study: Study, tmp_path: Path
) -> None:
    """qa25 QA12's TUI route: a substitute stored before the review screen checked it ("Sonny" for a listed "Sunny")
    is refused in one notification naming the session and the substitute; nothing is written."""
    from tests.e2e.test_export_substitutes import SESSION, stored_substitute

    stored_substitute(study, "Sonny")
    app = make_app(study)
    async with app.run_test(size=(140, 45)) as pilot:
        await _txt_exported(pilot, tmp_path / "out")
        said = [n.message for n in app._notifications]
        assert any(m.startswith(f"Rosa/{SESSION}: the substitute name 'Sonny' is a name on a list") for m in said), said
    assert not (tmp_path / "out").exists()
