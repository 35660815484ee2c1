"""A transcript of nothing said (a silent recording: no segments) in the editor and the review screen (qa25 QA18):
every key of either screen leaves the TUI running, stores nothing, and what acts on a segment says in one line
why it did nothing. A crash there closed the TUI and printed a report on the terminal."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable

from fieldvault import editing
from fieldvault.capture.player import Player
from fieldvault.layout import TRANSCRIPT
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript
from fieldvault.tui.app import make_app
from fieldvault.tui.screens import editor
from fieldvault.tui.screens.ask import AskScreen
from fieldvault.tui.screens.editor import EditorScreen
from fieldvault.tui.screens.find_replace import FindReplaceScreen
from fieldvault.tui.screens.help import HelpScreen
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.leftovers import LeftoversScreen
from fieldvault.tui.screens.notes import SessionNotesScreen
from fieldvault.tui.screens.review import ReviewScreen
from fieldvault.tui.widgets.transcript_rows import LineEditor
from tests.stewardship import Person, add_person
from tests.tui.conftest import every_toast, unlock
from tests.unit.test_player import FakeStream

NOTHING_SAID = "This transcript has no segments (nothing was heard in the recording)"
NO_SEGMENT = f"{NOTHING_SAID}: there is no segment to edit, mark or move to"
NO_LINE = f"{NOTHING_SAID}: there is no line to redact in, set a speaker on or play"
NO_PROPOSAL = f"{NOTHING_SAID}: nothing was proposed to decide"

# What each key says or opens on a transcript of nothing said, in the order of the screen's bindings: a string is the
# start of its last notification, a screen class a dialog (closed again with Escape), None a key that changes only
# the status line.
EDITOR = {
    "play_pause": f"{NOTHING_SAID}: playing the whole recording from its start",
    "jump_back": None,
    "speed(-1)": None,
    "speed(1)": None,
    "loop": NO_SEGMENT,
    "follow": None,
    "save": "No changes since the last save",
    "undo": "Nothing to undo",
    "redo": "Nothing to redo",
    "split": NO_SEGMENT,
    "merge": NO_SEGMENT,
    "speaker": NO_SEGMENT,
    "mark_range": NO_SEGMENT,
    "rename_speaker": NO_SEGMENT,
    "swap_speakers": "Nothing to swap: this session has fewer than two speakers",
    "tag": NO_SEGMENT,
    "insert_marker": NO_SEGMENT,
    "move_marker(-1)": NO_SEGMENT,
    "move_marker(1)": NO_SEGMENT,
    "find_replace": FindReplaceScreen,
    "mark_reviewed": "Marked reviewed: this version may be exported",  # she read it: nothing to read
    "notes": SessionNotesScreen,
    "go(-1)": NO_SEGMENT,
    "go(1)": NO_SEGMENT,
    "app.help": HelpScreen,
    "leave": HomeScreen,
}
REVIEW = {
    "decide('accepted')": NO_PROPOSAL,
    "decide('rejected')": NO_PROPOSAL,
    "relabel": NO_PROPOSAL,
    "accept_all": NO_PROPOSAL,
    "next_undecided": NO_PROPOSAL,
    "move(1)": NO_PROPOSAL,
    "move(-1)": NO_PROPOSAL,
    "add_selection": NO_LINE,
    "delete_added": NO_PROPOSAL,
    "line(1)": NO_LINE,
    "line(-1)": NO_LINE,
    "play": NO_LINE,
    "substitute": AskScreen,  # says why in the dialog a name is typed into (qa26 QB2)
    "speaker": NO_LINE,
    "merge": NO_PROPOSAL,
    "split": NO_PROPOSAL,
    "confirm_carried": "No carried-over decisions to confirm",
    "detect_again": "Detected afresh: 0 span(s)",
    "leftovers": LeftoversScreen,
    "app.pop_screen": HomeScreen,
}


def _silent_session(study: Study) -> Path:
    """Rose, with one session: 2 s of a real (sealed) recording with its timeline, in which transcription heard
    nothing. Returns the stored transcript."""
    (session,) = add_person(study, Person("Rose", ("Marcus",), ""))
    transcript = Transcript("Rose", session, (), (), {"name": "tiny.en"}, "faster-whisper", {}, 2.0, 1.0, "now")
    path = study.root / "participants" / "Rose" / session / TRANSCRIPT
    study.write_new(path, transcript.to_json())
    return path


async def _open(pilot, key: str) -> None:
    pilot.app.screen.query_one("#sessions", DataTable).move_cursor(row=0)
    await pilot.press(key)
    await pilot.app.workers.wait_for_complete()  # decrypting; then the editor's autosave check
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()


async def _press_every_key(pilot, screen_type: type[Screen], expected: dict) -> None:
    """Each binding of ``screen_type`` once, in order, with what it must say or open (the table names every one)."""
    app = pilot.app
    shown = every_toast(app)
    bindings = [b for b in screen_type.BINDINGS if isinstance(b, Binding)]
    assert [b.action for b in bindings] == list(expected), "a binding without an expectation here"
    for binding in bindings:
        key = binding.key.split(",")[0]
        said = len(shown)
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        want = expected[binding.action]
        if isinstance(want, type):
            assert isinstance(app.screen, want), f"{key}: on {type(app.screen).__name__}"
            if want is not HomeScreen:
                await pilot.press("escape")
                await pilot.pause()
        else:
            assert isinstance(app.screen, screen_type), f"{key}: on {type(app.screen).__name__}"
        new = shown[said:]
        if isinstance(want, str):  # the last line says what came of it (D says first that it started)
            assert new and new[-1].startswith(want), f"{key}: {new}"
        else:
            assert new == [], f"{key}: {new}"


async def test_every_editor_key_on_a_transcript_of_nothing_said_says_why_and_changes_nothing(
    study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """qa25 QA18: Ctrl+J, Ctrl+T, Ctrl+G, Ctrl+O, Ctrl+N, Alt+Up and F4 killed the TUI (IndexError); typing into the
    empty line below did too. F4 plays the recording from its start: she may listen for what was missed."""
    transcript = _silent_session(study)
    stored = transcript.read_bytes()
    streams: list[FakeStream] = []

    def sound_card(*args) -> FakeStream:
        streams.append(FakeStream(*args))
        return streams[-1]

    monkeypatch.setattr(editor, "Player", partial(Player, open_stream=sound_card))
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open(pilot, "o")
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        line = screen.query_one("#line", LineEditor)
        assert line.disabled and line.text == ""  # no segment for typing to go into
        await pilot.click("#line")
        await pilot.press(*"she said", "backspace", "delete")
        assert isinstance(app.screen, EditorScreen) and not screen.dirty
        assert "no segments" in str(screen.query_one("#editor-status").render())
        await _press_every_key(pilot, EditorScreen, EDITOR)
        assert screen.player is None  # closed with the screen
        assert streams and streams[0].running is False
        assert app.return_code is None
    assert transcript.read_bytes() == stored
    assert not (transcript.parent / "versions").exists()


async def test_every_review_key_on_a_transcript_of_nothing_said_says_why(study: Study) -> None:
    """qa25 QA18: e, S and p crashed the review screen there; the keys that did nothing said nothing."""
    transcript = _silent_session(study)
    stored = transcript.read_bytes()
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await _open(pilot, "v")
        assert isinstance(app.screen, ReviewScreen)
        await _press_every_key(pilot, ReviewScreen, REVIEW)
        assert app.return_code is None
    assert transcript.read_bytes() == stored


async def test_a_crash_in_the_editor_reports_no_word_of_her_transcript(
    study: Study, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """qa25 QA18: a crash's report went to the terminal with each frame's locals: in the editor, the segments she
    said. A failure (any bug, here in merging) closes the TUI with a report that names none of them."""
    (session,) = add_person(study, Person("Rose", ("Marcus",), ""))
    said = (Segment(0.0, 1.0, "Marcus hit me at the shelter."), Segment(1.0, 2.0, "Then I ran to Tulare."))
    transcript = Transcript("Rose", session, said, (), {"name": "tiny.en"}, "faster-whisper", {}, 2.0, 1.0, "now")
    study.write_new(study.root / "participants" / "Rose" / session / TRANSCRIPT, transcript.to_json())

    failure = " ".join(("a bug", "in merging"))  # the report shows the failing frame's line of code, not this one

    def broken(draft, index):
        raise RuntimeError(failure)

    monkeypatch.setattr(editing, "merge", broken)
    app = make_app(study)
    with pytest.raises(RuntimeError, match="a bug in merging"):
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            await _open(pilot, "o")
            assert isinstance(app.screen, EditorScreen)
            await pilot.press("ctrl+j")
            await pilot.pause()
    report = capsys.readouterr().err  # printed as the app closed, where a terminal keeps it in its scrollback
    assert "RuntimeError" in report and "action_merge" in report and "a bug in merging" not in report
    for word in ("Marcus", "shelter", "Tulare"):
        assert word not in report, report
