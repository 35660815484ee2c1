"""The transcript editor with Pilot: typing, split and merge, speakers, markers and tags, find and replace,
undo and redo, saving versions, autosave, leaving with unsaved changes, and marking a session reviewed."""

from __future__ import annotations

import shlex
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from fieldvault import editing, layout
from fieldvault import transcript_versions as versions
from fieldvault.overview import SessionState, overview
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant
from fieldvault.redact.review import ACCEPTED, current, store
from fieldvault.study import Study
from fieldvault.transcript import Marker, Segment, Transcript, Word
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.confirm import ConfirmScreen
from fieldvault.tui.screens.editor import EditorScreen
from fieldvault.tui.screens.leave import LeaveScreen
from fieldvault.tui.widgets.transcript_rows import LineEditor
from tests.conftest import ANSWERS, PASSPHRASE
from tests.sessionfiles import store_transcript
from tests.tui.conftest import StillClock, messages, unlock, until

SESSION = "20261124-100000"


def _words(text: str, start: float, end: float) -> tuple[Word, ...]:
    parts = text.split()
    step = (end - start) / len(parts)
    return tuple(Word(start + i * step, start + (i + 1) * step - 0.05, f" {w}", 0.9) for i, w in enumerate(parts))


def draft_transcript(session: str = SESSION) -> Transcript:
    lines = [
        (0.0, 4.0, "Can you tell me about leaving?"),
        (4.0, 9.0, "When I was 90 Marcus took me to Van Buren's treat."),
        (9.0, 13.0, "I finally got my GDB at the college."),
        (13.0, 16.0, "That was the best day."),
    ]
    segments = tuple(Segment(a, b, text, None, _words(text, a, b)) for a, b, text in lines)
    markers = (Marker(0.0, "prompt", "Tell me about leaving."),)
    return Transcript("Rose", session, segments, markers, {"name": "tiny.en"}, "faster-whisper", {}, 16.0, 1.0, "now")


def study_with_draft(study: Study, *sessions: str) -> None:
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(study, "Rose", ANSWERS, consent, [KnownIdentifier("Marcus")])
    for session in sessions or (SESSION,):
        folder = study.root / "participants" / "Rose" / session
        folder.mkdir()
        study.write_new(folder / "audio.wav.age", b"")
        study.write_new(folder / "transcript.json.age", draft_transcript(session).to_json())


async def open_editor(pilot, row: int = 0) -> EditorScreen:
    await unlock(pilot)
    pilot.app.screen.query_one("#sessions", DataTable).move_cursor(row=row)
    await pilot.press("o")
    await pilot.app.workers.wait_for_complete()  # decrypting, then the autosave check
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    return screen


async def _open_find(pilot) -> None:
    await pilot.press("ctrl+f")
    await pilot.app.workers.wait_for_complete()  # her other session is decrypted in a worker
    await pilot.pause()


def _texts(screen: EditorScreen) -> list[str]:
    return [s.text for s in screen.draft.segments]


async def test_typing_correcting_a_word_undo_redo_and_saving_a_version(study: Study) -> None:
    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        line = screen.query_one("#line", LineEditor)
        assert line.has_focus and line.text == "Can you tell me about leaving?"
        await pilot.press("down", "down")  # the cursor runs on into the next segments
        assert screen.cursor == 2
        line.move_cursor((0, line.text.index("GDB")))
        await pilot.press("delete", "delete", "delete", *"GED")
        assert _texts(screen)[2] == "I finally got my GED at the college."
        await pilot.press("ctrl+z")  # the whole word typed is one step
        assert _texts(screen)[2] == "I finally got my GDB at the college."
        await pilot.press("ctrl+y")
        assert _texts(screen)[2] == "I finally got my GED at the college."
        assert "unsaved" in str(screen.query_one("#editor-status").render())
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()  # the save runs in a worker (a race under load otherwise)
        await pilot.pause()
        assert not screen.dirty
    identities = study.unlock(PASSPHRASE.encode())
    assert [v.number for v in versions.versions(study, "Rose", SESSION, identities)] == [1, 2]
    assert versions.load(study, "Rose", SESSION, identities).segments[2].text == "I finally got my GED at the college."
    assert versions.load(study, "Rose", SESSION, identities, 1).segments[2].text.endswith("GDB at the college.")
    saved = [e for e in study.audit.entries() if e["action"] == "transcript.saved"]
    assert saved[0]["actor"] == "tester" and saved[0]["details"]["version"] == 2


async def test_copied_words_stay_in_fieldvault_and_a_lock_forgets_them(
    study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA Q9: Ctrl+C in the editor sent her unredacted words to the terminal (OSC 52) for the system clipboard, where
    any program could read them and the lock did not clear them. They are kept inside fieldvault: Ctrl+V pastes."""
    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        written: list[str] = []
        driver = app._driver
        assert driver is not None
        monkeypatch.setattr(driver, "write", lambda data: written.append(data))
        screen = await open_editor(pilot)
        line = screen.query_one("#line", LineEditor)
        line.select_all()
        await pilot.press("ctrl+c")
        assert app.clipboard == "Can you tell me about leaving?"
        assert not any("\x1b]52" in data for data in written)
        line.move_cursor(line.document.end)
        await pilot.press("ctrl+v")
        assert line.text == "Can you tell me about leaving?" * 2
        await pilot.press("ctrl+l")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard == ""


async def test_split_at_the_cursor_and_merge_back(study: Study) -> None:
    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("down")
        line = screen.query_one("#line", LineEditor)
        line.move_cursor((0, line.text.index("Marcus")))
        await pilot.press("enter")
        assert _texts(screen)[1:3] == ["When I was 90", "Marcus took me to Van Buren's treat."]
        words = screen.history._undo[-1].segments[1].words
        assert screen.draft.segments[2].start == (words[3].end + words[4].start) / 2
        assert screen.cursor == 2 and line.text.startswith("Marcus")
        marcus = [s for s in screen.draft.spans if s.text == "Marcus"]
        assert [(s.segment, s.start) for s in marcus] == [(2, 0)]  # the span moved with its text
        await pilot.press("home", "backspace")  # Backspace at a segment's start joins it to the one before
        assert _texts(screen)[1] == "When I was 90 Marcus took me to Van Buren's treat." and len(_texts(screen)) == 4
        await pilot.press("ctrl+j")
        assert _texts(screen)[1].endswith("treat. I finally got my GDB at the college.")
        assert screen.draft.segments[1].end == 13.0


async def test_speakers_for_a_range_and_renamed(study: Study) -> None:
    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("ctrl+t")  # (none) -> Interviewer
        await pilot.press("down", "f8", "down", "down", "ctrl+t", "ctrl+t")  # range 2-4: Interviewer -> Participant
        assert [s.speaker for s in screen.draft.segments] == [
            "Interviewer",
            "Participant",
            "Participant",
            "Participant",
        ]
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Rose", "enter")
        await pilot.pause()
        assert [s.speaker for s in screen.draft.segments][1:] == ["Rose", "Rose", "Rose"]
        assert "Rose:" in str(screen._rows[3].render())
        await pilot.press("f1")  # every key of the editor, with what it does
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        keys = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"Play/pause", "Rename speaker", "Mark reviewed"} <= keys


async def test_swapping_speakers_for_the_whole_session_with_two_three_and_one_of_them(study: Study) -> None:
    """QA K11: roles named the wrong way round are swapped in one key (F12 as well as alt+s), undone with ctrl+z; with
    a third speaker the cursor's is swapped with the one named; with fewer than two there is nothing to swap."""
    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("alt+s")
        assert any("Nothing to swap" in m for m in messages(app))
        await pilot.press("ctrl+t", "down", "ctrl+t", "ctrl+t", "down", "ctrl+t", "ctrl+t")
        assert [s.speaker for s in screen.draft.segments] == ["Interviewer", "Participant", "Participant", None]
        await pilot.press("f12")
        assert [s.speaker for s in screen.draft.segments] == ["Participant", "Interviewer", "Interviewer", None]
        assert "Interviewer:" in str(screen._rows[2].render())
        await pilot.press("ctrl+z")
        assert [s.speaker for s in screen.draft.segments] == ["Interviewer", "Participant", "Participant", None]
        screen._apply(editing.set_speaker(screen.draft, 2, 3, "Speaker 3"), 3)  # a third voice (an interpreter)
        assert [s.speaker for s in screen.draft.segments] == ["Interviewer", "Participant", "Speaker 3", "Speaker 3"]
        await pilot.press("alt+s")  # the cursor is on a line of Speaker 3's
        await pilot.pause()
        await pilot.press(*"interviewer", "enter")
        await pilot.pause()
        assert [s.speaker for s in screen.draft.segments] == ["Speaker 3", "Participant", "Interviewer", "Interviewer"]
        await pilot.press("alt+s")
        await pilot.pause()
        await pilot.press(*"Nobody", "enter")
        await pilot.pause()
        assert any("'Nobody' is not another speaker of this session" in m for m in messages(app))
        assert [s.speaker for s in screen.draft.segments] == ["Speaker 3", "Participant", "Interviewer", "Interviewer"]


async def test_renaming_a_speaker_to_a_name_warns_and_her_pseudonym_does_not(study: Study) -> None:
    """QA E5: the rename dialog suggested her pseudonym, and took "Hoa Nguyen" (another woman's listed "Nguyen
    Thi Hoa") without a word; that label then went out on each of her lines. It warns now; a role or her
    pseudonym does not."""
    study_with_draft(study)
    consent = ConsentRecord("information letter given; verbal consent", "v", "s", "now")
    add_participant(
        study, "Ria", ANSWERS, consent, [KnownIdentifier("Nguyen Thi Hoa")], study.unlock(PASSPHRASE.encode())
    )
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot, row=1)  # Ria's row (no session yet) comes first
        await pilot.press("ctrl+t", "ctrl+n")  # (none) -> Interviewer, then rename it
        await pilot.pause()
        await pilot.press(*"Hoa", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.draft.segments[0].speaker == "Hoa"  # a warning, not a refusal: the export replaces it
        (warning,) = [m for m in messages(app) if "looks identifying" in m]
        assert "'Hoa' looks identifying: Hoa (person)" in warning and "her pseudonym (Rose)" in warning
        for label in ("Rose", "Participant", "Speaker 2"):
            await pilot.press("ctrl+n")
            await pilot.pause()
            await pilot.press(*label, "enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.draft.segments[0].speaker == label
        assert len([m for m in messages(app) if "looks identifying" in m]) == 1


async def test_markers_and_tags(study: Study) -> None:
    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("down", "down", "ctrl+o")
        await pilot.pause()
        await pilot.press("down", "enter")  # the guide's first follow-up prompt
        await pilot.pause()
        markers = screen.draft.transcript.markers
        assert len(markers) == 2 and markers[1].at == 9.0 and markers[1].kind == "prompt"
        assert len(screen.query("MarkerRow")) == 2
        await pilot.press("alt+down")  # the marker above the cursor moves down one segment
        assert screen.draft.transcript.markers[1].at == 13.0 and screen.cursor == 3
        line = screen.query_one("#line", LineEditor)
        line.move_cursor((0, len("That was")))
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("enter")  # [inaudible hh:mm:ss] at the cursor's time
        await pilot.pause()
        assert _texts(screen)[3].startswith("That was [inaudible 00:00:14] the best")
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert "[laughs]" in _texts(screen)[3]


async def test_find_and_replace_across_her_sessions_with_a_preview(study: Study) -> None:
    study_with_draft(study, SESSION, "20261201-100000")
    app = make_app(study)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await open_editor(pilot)
        await _open_find(pilot)
        await pilot.press(*"gdb")
        await pilot.pause()
        finder = app.screen
        assert "2 hit(s) in 2 session(s)" in str(finder.query_one("#hit-count").render())
        finder.query_one("#replacement", Input).focus()
        await pilot.press(*"GED", "ctrl+r")
        await app.workers.wait_for_complete()  # the other session's new version is stored in a worker
        await pilot.pause()
        assert app.screen is screen and not screen.replacing
        assert _texts(screen)[2] == "I finally got my GED at the college." and screen.dirty
    identities = study.unlock(PASSPHRASE.encode())
    other = versions.load(study, "Rose", "20261201-100000", identities)
    assert other.segments[2].text == "I finally got my GED at the college."  # saved as a new version at once
    assert versions.version_of(other).number == 2


async def test_replacing_with_nothing_deletes_the_word_and_its_space_in_every_ticked_session(study: Study) -> None:
    """QA: an empty "replace with" left "the best ." (the space before the stop) in every ticked session."""
    study_with_draft(study, SESSION, "20261201-100000")
    app = make_app(study)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await open_editor(pilot)
        await _open_find(pilot)
        await pilot.press(*"best day")
        await pilot.pause()
        assert "2 hit(s) in 2 session(s)" in str(app.screen.query_one("#hit-count").render())
        await pilot.press("ctrl+r")  # the replacement left empty
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen and _texts(screen)[3] == "That was the." and screen.dirty
    identities = study.unlock(PASSPHRASE.encode())
    other = versions.load(study, "Rose", "20261201-100000", identities)
    assert other.segments[3].text == "That was the."


async def test_leaving_with_unsaved_changes_asks_and_autosave_restores(study: Study) -> None:
    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("end", *" Yes.")
        screen._autosave_tick()
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert app.screen is screen
    identities = study.unlock(PASSPHRASE.encode())
    kept = versions.load_autosave(study, "Rose", SESSION, identities)
    assert kept is not None and kept.segments[0].text == "Can you tell me about leaving? Yes."
    for path in (study.root / "participants").rglob("*.age"):
        assert b"Yes." not in path.read_bytes()
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()  # the editor opens, then finds the autosave
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("y")  # restore the autosave
        await pilot.pause()
        restored = app.screen
        assert isinstance(restored, EditorScreen) and _texts(restored)[0].endswith("Yes.") and restored.dirty
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+d", "y")  # discard, and yes when asked again
        await pilot.pause()
        assert not isinstance(app.screen, EditorScreen)
    assert versions.load_autosave(study, "Rose", SESSION, identities) is None
    (aside,) = (study.root / layout.session(Path(), "Rose", SESSION) / "versions").glob("autosave-kept-*.json.age")
    assert versions.read_transcript(study, aside, identities).segments[0].text.endswith("Yes.")  # set aside (QA S4)


async def test_keys_typed_into_the_editors_questions_are_not_taken_and_nothing_is_discarded(
    study: Study, monkeypatch: pytest.MonkeyPatch, grace_clock: StillClock
) -> None:
    """QA S4: the autosave's "Restore (y) / Discard (n)" and the leave dialog's "Discard them (d)" pop up over the
    text the transcriber is typing: "and" typed on took "n" or "d", and an hour of corrections went, in no file.
    Keys typed as either opens are not taken; not restoring sets the autosave aside; Discard is Ctrl+D, asks again,
    and sets the changes aside as well."""
    study_with_draft(study)
    folder = study.root / layout.session(Path(), "Rose", SESSION) / "versions"
    identities = study.unlock(PASSPHRASE.encode())
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("end", *" AUTOSAVED EDIT.")
        screen._autosave_tick()
        await app.workers.wait_for_complete()
    # ended without saving (a kill): the autosave holds the edit
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and "autosave" in app.screen.question)
        await pilot.press(*" and n", "enter")  # typed on as it opens: not taken
        assert isinstance(app.screen, ConfirmScreen) and list(folder.glob("autosave-kept-*")) == []
        assert versions.load_autosave(study, "Rose", SESSION, identities) is not None
        grace_clock.advance(1.6)
        await pilot.press("n")  # not restored: set aside, not destroyed
        await until(pilot, lambda: isinstance(app.screen, EditorScreen))
        (kept,) = folder.glob("autosave-kept-*.json.age")
        assert versions.read_transcript(study, kept, identities).segments[0].text.endswith("AUTOSAVED EDIT.")
        assert versions.load_autosave(study, "Rose", SESSION, identities) is None
        assert f"set aside, encrypted, in {kept.relative_to(study.root)}" in " ".join(messages(app))
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("end", *" LONG CORRECTION WORK.")
        await pilot.press("escape")  # by mistake
        await until(pilot, lambda: isinstance(app.screen, LeaveScreen))
        await pilot.press(*" and d", "enter", "space")  # typed on as it opens: not taken
        assert isinstance(app.screen, LeaveScreen)
        grace_clock.advance(1.6)
        await pilot.press("d")  # no plain letter discards
        assert isinstance(app.screen, LeaveScreen)
        await pilot.press("ctrl+d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: not isinstance(app.screen, (LeaveScreen, ConfirmScreen, EditorScreen)))
    (second,) = set(folder.glob("autosave-kept-*.json.age")) - {kept}
    assert versions.read_transcript(study, second, identities).segments[0].text.endswith("LONG CORRECTION WORK.")


async def test_an_autosave_made_on_an_earlier_transcript_is_not_restored_over_a_newer_one(study: Study) -> None:
    """QA D13: an editor killed with unsaved typing, then `transcribe --force`: the autosave was offered back, and
    Restore + Ctrl+S silently put the old transcript over the new one. Now it is not offered: one warning says why
    and where it stays; the editor shows the newer transcript."""
    from dataclasses import replace

    from fieldvault.transcribe.pipeline import store
    from fieldvault.tui.screens.confirm import ConfirmScreen

    study_with_draft(study)
    identities = study.unlock(PASSPHRASE.encode())
    old = versions.load(study, "Rose", SESSION, identities)
    typed = replace(old.segments[0], text=old.segments[0].text + " Yes.")
    versions.autosave(study, replace(old, segments=(typed, *old.segments[1:])), old)  # then the editor was killed
    newer = replace(old, segments=old.segments[1:])  # transcribed again with --force
    store(study, newer, identities)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert any("made on an earlier transcript, replaced since" in m for m in messages(app)), messages(app)
        assert _texts(screen) == [s.text for s in newer.segments] and not screen.dirty
    assert versions.load_autosave(study, "Rose", SESSION, identities) is not None  # kept, for decrypt


async def test_reviewed_only_after_reading_through_and_undone_by_an_edit(study: Study) -> None:
    study_with_draft(study)
    identities = study.unlock(PASSPHRASE.encode())
    transcript = versions.load(study, "Rose", SESSION, identities)
    redactions = current(study, transcript, identities)
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "tester", study.clock())
    store(study, redactions, "redaction.decided")  # as the review screen stores decisions (vouched: QA T11, W17)
    app = make_app(study)
    async with app.run_test(size=(100, 12)) as pilot:  # a small window: not every segment is on screen
        screen = await open_editor(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert 3 not in screen.seen and not current(study, transcript, identities).reviewed
        for _ in range(3):
            await pilot.press("pagedown")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()  # the mark is stored in a worker
        await pilot.pause()
        assert "reviewed by tester" in str(screen.query_one("#editor-status").render())
    assert current(study, transcript, identities).reviewed
    assert overview(study)[0].sessions[0].state == SessionState.REVIEWED
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("end", "!", "ctrl+s")
        await pilot.pause()
    assert overview(study)[0].sessions[0].state == SessionState.TRANSCRIBED
    latest = versions.load(study, "Rose", SESSION, identities)
    assert not current(study, latest, identities).reviewed


def test_open_editor_needs_a_transcript(study: Study, tmp_path: Path) -> None:
    from fieldvault.errors import BadInput

    study_with_draft(study)
    identities = study.unlock(PASSPHRASE.encode())
    (study.root / "participants" / "Rose" / "empty").mkdir()
    try:
        versions.open_draft(study, "Rose", "empty", identities)
    except BadInput as err:
        assert "transcribe it first" in str(err)
    else:
        raise AssertionError("no error")


async def test_the_cursor_follows_playback_unless_the_transcriber_is_typing(study: Study) -> None:
    import numpy as np

    from fieldvault.capture.player import Player
    from fieldvault.wavstream import WavFormat
    from tests.unit.test_player import FakeStream

    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        streams: list[FakeStream] = []

        def open_stream(*args):
            streams.append(FakeStream(*args))
            return streams[-1]

        screen.player = Player(WavFormat(16000, 1), np.zeros((16 * 16000, 1), np.int16), None, open_stream)
        screen.player.play(0.0)
        streams[-1].pull(int(9.5 * 16000))  # the sound card has played up to 9.5 s: the third segment
        screen._tick()
        assert screen.playing_index == 2 and screen.cursor == 2
        await pilot.press(*"so ")  # typing: playback goes on, the cursor stays where the words go
        streams[-1].pull(4 * 16000)
        screen._tick()
        assert screen.playing_index == 3 and screen.cursor == 2
        await pilot.press("f4")  # pause, and resume a little earlier
        assert not screen.player.playing
        await pilot.press("f4")
        assert screen.player.playing and screen.player.position == 13.5 - 1.0
        await pilot.press("f2")
        assert screen.player.position == 13.5 - 1.0 - 3.0


def test_doubtful_words_and_segment_flags_are_shown_where_the_transcriber_reads() -> None:
    from fieldvault.tui.widgets.transcript_rows import DOUBT_STYLE, segment_text

    words = (Word(0.0, 0.4, " I", 0.9), Word(0.4, 0.9, " met", 0.2, doubtful=True), Word(0.9, 1.4, " Lodi", 0.9))
    segment = Segment(0.0, 1.4, "I met Lodi", "Participant", words, flags=("suspect",))
    row = segment_text(segment, ())
    plain = row.plain
    assert "⚑ suspect" in plain
    underlined = [plain[s.start : s.end] for s in row.spans if str(s.style) == DOUBT_STYLE]
    assert underlined == ["met"]
    edited = Segment(0.0, 1.4, "I saw Lodi", "Participant", words)  # the doubtful word was corrected
    assert not [s for s in segment_text(edited, ()).spans if str(s.style) == DOUBT_STYLE]


class Gate:
    """Holds a core call in its worker thread until the test lets it go, so a test can act while it runs."""

    def __init__(self, call) -> None:
        self.call, self.calls, self.open = call, 0, threading.Event()

    def __call__(self, *args, **kwargs):
        self.calls += 1
        assert self.open.wait(10), "the test never let the call go"
        return self.call(*args, **kwargs)


@pytest.fixture
def held_save(monkeypatch: pytest.MonkeyPatch) -> Gate:
    """Versions saved in this study wait in their worker until the test lets them go."""
    gate = Gate(versions.save)
    monkeypatch.setattr(versions, "save", gate)
    return gate


async def test_saving_runs_in_a_worker_once_and_the_editor_cannot_be_left_meanwhile(
    study: Study, held_save: Gate
) -> None:
    study_with_draft(study)
    gate = held_save
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("end", *" Yes.", "ctrl+s")
        await pilot.pause()
        assert gate.calls == 1 and screen.saving is not None
        assert "saving…" in str(screen.query_one("#editor-status").render())
        await pilot.press("down", *"Oh ")  # the screen answers while the version is encrypted
        assert screen.cursor == 1 and _texts(screen)[1].startswith("Oh When I was 90")
        await pilot.press("ctrl+s", "escape")
        await pilot.pause()
        assert gate.calls == 1 and app.screen is screen
        assert messages(app).count("Saving: wait a moment") == 2  # neither a second save nor leaving
        gate.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.saving is None and "Saved as version 2" in messages(app)
        assert _texts(screen)[1].startswith("Oh When I was 90") and screen.dirty  # typed meanwhile: kept, unsaved
        assert versions.version_of(screen.draft.transcript).number == 2
    identities = study.unlock(PASSPHRASE.encode())
    saved = versions.load(study, "Rose", SESSION, identities)
    assert [s.text for s in saved.segments[:2]] == [
        "Can you tell me about leaving? Yes.",
        draft_transcript().segments[1].text,
    ]
    assert [v.number for v in versions.versions(study, "Rose", SESSION, identities)] == [1, 2]


async def test_save_and_leave_closes_once_the_save_is_stored(study: Study, held_save: Gate) -> None:
    study_with_draft(study)
    gate = held_save
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("end", "!", "escape")
        await pilot.pause()
        await pilot.press("s")  # save a new version, then leave
        await pilot.pause()
        assert app.screen is screen and screen.saving is not None
        gate.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, EditorScreen)
    identities = study.unlock(PASSPHRASE.encode())
    assert versions.load(study, "Rose", SESSION, identities).segments[0].text.endswith("leaving?!")


async def test_a_failed_save_keeps_the_changes_and_the_editor(study: Study, monkeypatch) -> None:
    from fieldvault.errors import BadInput

    def full_disk(*args, **kwargs):
        raise BadInput("cannot write: the disk is full; free some space and try again")

    study_with_draft(study)
    monkeypatch.setattr(versions, "save", full_disk)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("end", "!", "escape")
        await pilot.pause()
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen and screen.saving is None and screen.dirty
        assert "cannot write: the disk is full; free some space and try again" in messages(app)
        assert _texts(screen)[0].endswith("leaving?!")


async def test_opening_decrypts_in_a_worker_while_the_home_screen_answers(study: Study, monkeypatch) -> None:
    study_with_draft(study, SESSION, "20261201-100000")
    gate = Gate(versions.open_for_editing)
    monkeypatch.setattr(versions, "open_for_editing", gate)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        home = app.screen
        await pilot.press("o")
        await pilot.pause()
        assert gate.calls == 1 and app.screen is home
        await pilot.press("down")  # the list still moves while the transcript is decrypted
        assert home.query_one("#sessions", DataTable).cursor_row == 1
        gate.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and app.screen.session == SESSION


async def test_a_transcript_that_cannot_be_opened_is_a_notification_on_the_home_screen(study: Study) -> None:
    study_with_draft(study)
    transcript = study.root / "participants" / "Rose" / SESSION / "transcript.json.age"
    transcript.write_bytes(transcript.read_bytes()[:-20])  # cut off
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        home = app.screen
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is home
        assert [m for m in messages(app) if "fails authentication" in m and "fieldvault recover" in m]


async def test_an_emptied_transcript_is_named_in_the_notification(study: Study) -> None:
    """QA K12: a sealed file emptied (0 bytes) said "this is not an age file" and never which one."""
    study_with_draft(study)
    transcript = study.root / "participants" / "Rose" / SESSION / "transcript.json.age"
    transcript.write_bytes(b"")
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        home = app.screen
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is home
        named = f"participants/Rose/{SESSION}/transcript.json.age is not an age file"
        assert [m for m in messages(app) if named in m and "restore it from a backup" in m], messages(app)
    assert transcript.read_bytes() == b""


async def test_replacing_in_her_other_sessions_stores_them_in_a_worker(study: Study, held_save: Gate) -> None:
    study_with_draft(study, SESSION, "20261201-100000")
    app = make_app(study)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await open_editor(pilot)
        await _open_find(pilot)
        await pilot.press(*"gdb")
        app.screen.query_one("#replacement", Input).focus()
        await pilot.press(*"GED", "ctrl+r")
        await pilot.pause()
        assert held_save.calls == 1 and screen.replacing  # the other session's version, held in its worker
        assert _texts(screen)[2] == "I finally got my GED at the college." and screen.dirty  # here at once
        await pilot.press("ctrl+s", "escape", "ctrl+f")
        await pilot.pause()
        assert app.screen is screen and held_save.calls == 1
        assert messages(app).count("Saving: wait a moment") == 3
        held_save.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.replacing
        assert "Replaced 1 here (unsaved: ctrl+s saves) and 1 in 1 other session(s), each saved as a new version" in (
            messages(app)
        )
    identities = study.unlock(PASSPHRASE.encode())
    assert versions.version_of(versions.load(study, "Rose", "20261201-100000", identities)).number == 2
    assert [v.number for v in versions.versions(study, "Rose", SESSION, identities)] == [1]


async def test_quitting_asks_while_changes_are_unsaved_and_waits_for_a_running_save(
    study: Study, held_save: Gate
) -> None:
    from fieldvault.tui.screens.confirm import ConfirmScreen

    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("end", "!", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Changes not saved" in app.screen.question
        await pilot.press("n")  # stay
        await pilot.press("ctrl+s", "ctrl+q")  # the save is stored first, then the app quits
        await pilot.pause()
        assert app.screen is screen and screen.saving is not None and app.return_code is None
        assert "Saving first: fieldvault quits once it is stored" in messages(app)
        held_save.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.return_code == 0 and screen.quit_question() is None


async def test_a_refused_reviewed_mark_is_a_warning_and_stores_nothing(study: Study) -> None:
    study_with_draft(study)  # "Marcus" is proposed and undecided: the mark is refused
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.marking and "reviewed by" not in str(screen.query_one("#editor-status").render())
        assert [m for m in messages(app) if "undecided" in m]
    identities = study.unlock(PASSPHRASE.encode())
    assert not current(study, versions.load(study, "Rose", SESSION, identities), identities).reviewed


async def test_a_save_over_a_transcript_transcribed_again_meanwhile_asks_and_keeps_both_sides(study: Study) -> None:
    """QA C28 and E15, in the editor: the session transcribed again (--force, another terminal) while open here,
    and she typed into a segment the new transcription changed too. Ctrl+S saves nothing and asks: staying keeps
    her typing on screen with the new transcription current; going on from the other keeps her text as a version
    and shows the new transcription; neither side is ever lost."""
    from dataclasses import replace

    from fieldvault.tui.screens.changed import ChangedScreen

    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press(*" typed")
        again = replace(draft_transcript(), segments=(Segment(0.0, 16.0, "Transcribed again with the base model."),))
        store_transcript(study, again)  # `transcribe --force` in another window
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ChangedScreen)
        assert "nothing was saved: this transcript changed since it was opened" in app.screen.why
        assert "both changed segment 1" in app.screen.why
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.dirty and _texts(screen)[0] == " typedCan you tell me about leaving?"
        assert "Nothing was saved: your changes stay here, and in the autosave" in messages(app)
        identities = study.unlock(PASSPHRASE.encode())
        assert versions.load(study, "Rose", SESSION, identities).segments[0].text.startswith("Transcribed again")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("o")  # go on from the new transcription; her text kept as a version
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen and not screen.dirty
        assert _texts(screen) == ["Transcribed again with the base model."]
        assert "v3" in str(screen.query_one("#editor-status").render())
        [kept] = [m for m in messages(app) if "Your text is kept as version 2" in m]
        pasted = shlex.split(kept.split("(", 1)[1].split(")", 1)[0])  # the command it names, as a shell reads it
        assert pasted == ["fieldvault", "transcript", str(study.root), "Rose", SESSION, "--version", "2"]
    assert (
        versions.load(study, "Rose", SESSION, identities, 2).segments[0].text == " typedCan you tell me about leaving?"
    )
    assert versions.load(study, "Rose", SESSION, identities, 1).segments[0].text.startswith("Transcribed again")
    assert versions.load(study, "Rose", SESSION, identities).segments[0].text.startswith("Transcribed again")


async def test_typing_saved_over_a_re_transcription_for_speakers_goes_onto_it_and_says_so(study: Study) -> None:
    """QA E15: `transcribe --force` to fix the speakers while the editor was open; her Ctrl+S made her text, on
    the old transcription, the current version and pushed the new one into the versions, nobody told. Now her
    typing goes onto the new transcription, and the screen shows the speakers it brought and says so."""
    from dataclasses import replace

    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("end", *" EDITOR-FIX")
        old = draft_transcript()
        speakers = ("Interviewer", "Participant", "Participant", "Participant")
        again = replace(
            old,
            segments=tuple(replace(s, speaker=who) for s, who in zip(old.segments, speakers, strict=True)),
            settings={"speakers_from": "diarization"},
        )
        store_transcript(study, again)  # `transcribe --force` in another window
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.dirty and [s.speaker for s in screen.draft.segments] == list(speakers)
        assert any("The transcript had changed since you opened it" in m for m in messages(app))
    identities = study.unlock(PASSPHRASE.encode())
    now = versions.load(study, "Rose", SESSION, identities)
    assert now.segments[0].text == "Can you tell me about leaving? EDITOR-FIX"
    assert [s.speaker for s in now.segments] == list(speakers) and now.settings == {"speakers_from": "diarization"}
    assert versions.load(study, "Rose", SESSION, identities, 1) == again


async def test_the_editor_notices_a_transcript_stored_elsewhere_before_any_save(study: Study) -> None:
    """field7's list, for the editor: a change stored by another window is shown at once when nothing here is
    unsaved, and announced (once) when something is."""

    from tests.tui.conftest import until

    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        identities = study.unlock(PASSPHRASE.encode())
        other = versions.open_draft(study, "Rose", SESSION, identities)
        saved = versions.save(
            study, editing.edit_text(other, 3, "That was the best day ever."), identities, "other", other.transcript
        )
        await until(pilot, lambda: _texts(screen)[3] == "That was the best day ever.", seconds=8)
        assert not screen.dirty and any("this screen now shows it (v2)" in m for m in messages(app))
        await pilot.press(*"Well, ")
        versions.save(study, editing.edit_text(saved, 2, "I got my GED."), identities, "other", saved.transcript)
        await until(pilot, lambda: any("Ctrl+S puts your changes onto it" in m for m in messages(app)), seconds=8)
        assert _texts(screen)[0] == "Well, Can you tell me about leaving?" and screen.dirty
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _texts(screen)[:3] == ["Well, Can you tell me about leaving?", _texts(screen)[1], "I got my GED."]
        assert not screen.dirty


async def test_joining_two_speakers_is_refused_and_a_rename_onto_another_speaker_asks_first(study: Study) -> None:
    """QA: Ctrl+J (or Backspace at a line's start) ran the interviewer's question into her answer, making it the
    interviewer's; Ctrl+N took another speaker's name and made two people one. A join of two speakers is refused
    with a line saying how, leaving no undo step; a rename onto another speaker asks, and No changes nothing."""
    from fieldvault.tui.screens.confirm import ConfirmScreen

    study_with_draft(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("ctrl+t", "pagedown", "ctrl+t", "ctrl+t", "pageup")  # the question, then her answer
        assert [s.speaker for s in screen.draft.segments[:2]] == ["Interviewer", "Participant"]
        texts, steps = _texts(screen), len(screen.history._undo)
        await pilot.press("ctrl+j")
        await pilot.pause()
        (refused,) = [m for m in messages(app) if m.startswith("segment 1 is Interviewer's")]
        assert "segment 2 Participant's" in refused and "ctrl+t" in refused
        await pilot.press("pagedown", "home", "backspace")  # the answer's start: refused too, the cursor stays
        await pilot.pause()
        assert screen.cursor == 1 and len([m for m in messages(app) if m == refused]) == 2
        assert _texts(screen) == texts and len(screen.history._undo) == steps

        await pilot.press("ctrl+n")  # rename Participant to the interviewer's name: asks
        await pilot.pause()
        await pilot.press(*"interviewer", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Every line of Participant becomes Interviewer's" in str(
            app.screen.question
        )
        await pilot.press("n")
        await pilot.pause()
        assert [s.speaker for s in screen.draft.segments[:2]] == ["Interviewer", "Participant"]
        assert "Nothing renamed: Participant and Interviewer stay two speakers" in messages(app)
        assert len(screen.history._undo) == steps
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"INTERVIEWER", "enter")
        await pilot.pause()
        await pilot.press("y")  # asked in so many words: one speaker now, and then the two segments join
        await pilot.pause()
        assert [s.speaker for s in screen.draft.segments[:2]] == ["Interviewer", "Interviewer"]
        await pilot.press("pageup", "ctrl+j")
        await pilot.pause()
        assert _texts(screen)[0] == "Can you tell me about leaving? When I was 90 Marcus took me to Van Buren's treat."
        await pilot.press("ctrl+z")  # the join, then the merge of the speakers, each undone alone
        assert _texts(screen) == texts and screen.draft.segments[1].speaker == "Interviewer"
        await pilot.press("ctrl+z")
        assert [s.speaker for s in screen.draft.segments[:2]] == ["Interviewer", "Participant"]
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    identities = study.unlock(PASSPHRASE.encode())
    stored = versions.load(study, "Rose", SESSION, identities)
    assert [(s.speaker, s.text) for s in stored.segments[:2]] == [
        ("Interviewer", "Can you tell me about leaving?"),
        ("Participant", "When I was 90 Marcus took me to Van Buren's treat."),
    ]
    assert [s.speaker for s in versions.load(study, "Rose", SESSION, identities, 1).segments] == [None] * 4


async def test_a_transcript_made_before_its_audio_was_salvaged_says_so_as_the_editor_opens(study: Study) -> None:
    """Its words over the damaged stretch were heard before the damage; playing there now gives silence. The editor
    says so at once, and what to do; nothing in the transcript is changed by opening it."""
    from fieldvault.events import Event, SessionEvents
    from fieldvault.layout import EVENTS

    study_with_draft(study)
    folder = study.root / "participants" / "Rose" / SESSION
    timeline = SessionEvents("Rose", SESSION, {"rate": 16000}, [Event(8.192, "damaged", "", length=4.096)])
    study.write_new(folder / EVENTS, timeline.to_json())
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        (note,) = [m for m in messages(app) if "salvaged" in m]
        assert note.startswith(
            "The audio was salvaged after this transcript was made: 00:00:08–00:00:13 is silence now (it failed "
            "authentication) and this transcript does not mark it"
        )
        assert "transcribe it again (`fieldvault transcribe --force`) to mark it, or keep these words" in note
        assert not screen.dirty and _texts(screen)[2] == "I finally got my GDB at the college."


async def test_an_input_overflow_is_in_the_session_s_timeline_where_it_happened(study: Study) -> None:
    """The recorder places a PortAudio input overflow in the timeline (tests/unit/test_recorder.py); the session's
    notes screen lists it at its time, beside the prompt."""
    from textual.widgets import Static

    from fieldvault.events import Event, SessionEvents
    from fieldvault.layout import EVENTS
    from fieldvault.tui.screens.notes import SessionNotesScreen

    study_with_draft(study)
    events = [Event(0.0, "prompt", "Tell me about leaving.", 0), Event(3.2, "overflow", "input discarded here")]
    timeline = SessionEvents("Rose", SESSION, {"rate": 16000}, events)
    study.write_new(study.root / "participants" / "Rose" / SESSION / EVENTS, timeline.to_json())
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("f")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SessionNotesScreen)
        shown = str(app.screen.query_one("#timeline", Static).render()).splitlines()
        assert shown == ["0:00:00  prompt  Tell me about leaving.", "0:00:03  input overflow  input discarded here"]
