"""QA R21 with the real binary in a real terminal (tmux): field notes or a journal entry typed, then `kill -9` (a
flat battery, a kernel panic, the OOM killer): the next `fieldvault open` offers the text back from its encrypted
draft. Two windows on one session each keep their own draft and lose nothing of the other's."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest

from fieldvault import drafts, layout
from fieldvault.journal import list_entries
from fieldvault.memos import field_notes
from fieldvault.study import Study
from fieldvault.tui.screens import graced
from tests.conftest import PASSPHRASE
from tests.e2e.test_tui_tmux import Tmux, _env
from tests.stewardship import ROSA, add_person

pytestmark = pytest.mark.slow

TYPED = "Field notes after the interview: she talked about the van."
OFFER = "A draft of"  # the offer's first words (the toast on opening the study says "never saved" too)


def _kill_9(term: Tmux) -> None:
    """SIGKILL to the fieldvault process in the pane (the shell execs it: the pane's own process): nothing of it runs
    after (no handler, no save)."""
    pid = subprocess.run(
        ["tmux", "list-panes", "-t", term.name, "-F", "#{pane_pid}"], capture_output=True, text=True, check=True
    ).stdout.split()[0]
    assert "fieldvault" in Path(f"/proc/{pid}/cmdline").read_text()
    os.kill(int(pid), signal.SIGKILL)
    term.wait_gone()


def _wait(holds, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not holds():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.2)


def _answer(term: Tmux, *keys: str) -> None:
    """Keys for the draft offer, once its first moments are past (keys typed as it opens are not taken: QA S4)."""
    time.sleep(graced.GRACE_SECONDS + 0.2)
    term.keys(*keys)


def _open(study: Study, home: Path) -> Tmux:
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))}", _env(home), size=(100, 30))
    term.wait_for("study passphrase")
    term.send(PASSPHRASE, "Enter")
    term.wait_for("Participant")
    return term


@pytest.mark.parametrize("key", ["f", "j"])
def test_text_typed_then_kill_9_is_offered_back_from_its_draft(
    ready_study: Study, fieldvault_home: Path, key: str
) -> None:
    (session,) = add_person(ready_study, ROSA, sessions=1)
    folder = layout.session(ready_study.root, "Rosa", session)

    def found() -> list[Path]:
        return drafts.found(folder) if key == "f" else drafts.found(ready_study.root / layout.JOURNAL)

    term = _open(ready_study, fieldvault_home)
    try:
        term.keys(key)
        term.wait_for("New field notes" if key == "f" else "New entry, named by")
        term.send("-l", TYPED)
        term.wait_for("the van.")
        _wait(lambda: bool(found()))  # 3 s after the last key
        _kill_9(term)
    finally:
        term.kill()
    assert len(found()) == 1
    term = _open(ready_study, fieldvault_home)
    try:
        term.keys(key)
        screen = term.wait_for(OFFER)
        assert "she talked about the van." in screen and "Put back to finish (p)" in screen, screen
        _answer(term, "p")
        term.wait_until(lambda shown: OFFER not in shown and "the van." in shown)
        term.send("C-s")
        term.wait_for("saved")
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()
    identities = ready_study.unlock(PASSPHRASE.encode())
    if key == "f":
        assert [n.text for n in field_notes(ready_study, folder, identities)] == [TYPED]
    else:
        assert [e.text for e in list_entries(ready_study, identities)] == [TYPED]
    assert found() == []


def test_kill_9_while_typing_steadily_then_typing_on_as_the_offer_opens_loses_nothing(
    ready_study: Study, fieldvault_home: Path
) -> None:
    """QA S4: a word a second for 14 s (never the 3 s pause the draft waited for), then kill -9: the draft written
    meanwhile (at most 10 s after the first key) is offered back; "word" typed on as the offer opens is not taken
    ("d" was Discard); Discard (Ctrl+D, yes) sets it aside, where its words stay."""
    (session,) = add_person(ready_study, ROSA, sessions=1)
    folder = layout.session(ready_study.root, "Rosa", session)
    term = _open(ready_study, fieldvault_home)
    try:
        term.keys("f")
        term.wait_for("New field notes")
        for n in range(1, 15):
            term.send("-l", f"word{n} ")
            time.sleep(1)
        assert drafts.found(folder), "no draft after 14 s of steady typing"
        _kill_9(term)
    finally:
        term.kill()
    identities = ready_study.unlock(PASSPHRASE.encode())
    (draft,) = drafts.found(folder)
    kept = drafts.read(ready_study, draft, identities).text
    assert kept.startswith("word1 word2 word3 word4 word5 word6 word7 word8"), kept
    term = _open(ready_study, fieldvault_home)
    try:
        term.keys("f")
        term.wait_for(OFFER)
        term.send("-l", "word")  # typing on, as one does on a screen that opens on a text box
        time.sleep(0.5)
        shown = term.screen()
        assert OFFER in shown and draft.exists(), shown
        _answer(term, "C-d")
        term.wait_for("Discard this draft?")
        term.keys("y")
        term.wait_until(lambda shown: OFFER not in shown)
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()
    assert drafts.found(folder) == [] and not draft.exists()
    (set_aside,) = drafts.set_aside_in(folder)
    assert drafts.read(ready_study, set_aside, identities).text == kept


def test_two_windows_on_one_session_keep_each_their_own_draft(ready_study: Study, fieldvault_home: Path) -> None:
    """One window's draft is offered to the other (and said to be maybe open elsewhere), left there, and saved by
    its own window; the other window's text, killed, is offered back alone."""
    (session,) = add_person(ready_study, ROSA, sessions=1)
    folder = layout.session(ready_study.root, "Rosa", session)
    first = _open(ready_study, fieldvault_home)
    second = None
    try:
        first.keys("f")
        first.wait_for("New field notes")
        first.send("-l", "From the first window.")
        _wait(lambda: len(drafts.found(folder)) == 1)
        second = _open(ready_study, fieldvault_home)
        second.keys("f")
        screen = second.wait_for(OFFER)
        assert "From the first window." in screen and "another window" in " ".join(screen.split()), screen
        _answer(second, "Escape")  # left where it is
        second.wait_until(lambda shown: OFFER not in shown)
        second.send("-l", "From the second window.")
        _wait(lambda: len(drafts.found(folder)) == 2)
        first.send("C-s")
        first.wait_for("Field notes saved")
        _wait(lambda: len(drafts.found(folder)) == 1)
        _kill_9(second)
    finally:
        first.kill()
        if second is not None:
            second.kill()
    third = _open(ready_study, fieldvault_home)
    try:
        third.keys("f")
        screen = third.wait_for(OFFER)
        assert "From the second window." in screen, screen
        _answer(third, "p")
        third.wait_until(lambda shown: OFFER not in shown)
        third.send("C-s")
        third.wait_for("Field notes saved")
        third.send("C-q")
        third.wait_gone()
    finally:
        third.kill()
    notes = field_notes(ready_study, folder, ready_study.unlock(PASSPHRASE.encode()))
    assert [n.text for n in notes] == ["From the first window.", "From the second window."]
    assert drafts.found(folder) == []


def test_check_and_journal_list_name_drafts_as_unsaved_work(ready_study: Study, tmp_path: Path) -> None:
    """The command line's routes: `check` (rc 0) and `journal list` say a draft is there and how to finish it;
    `journal list` prints no draft as an entry. `journal add` takes a finished file and keeps no draft."""
    (session,) = add_person(ready_study, ROSA, sessions=1)
    notes = drafts.slot(layout.session(ready_study.root, "Rosa", session))
    drafts.keep(ready_study, notes, TYPED)
    entry = drafts.slot(ready_study.root / layout.JOURNAL)
    drafts.keep(ready_study, entry, "Was I leading her?")
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    unlock = ["--passphrase-file", str(secret)]
    checked = subprocess.run(["fieldvault", "check", str(ready_study.root), *unlock], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"note: participants/Rosa/{session}/{notes.name} is field notes typed and never saved" in checked.stdout
    assert f"note: journal/{entry.name} is a journal entry typed and never saved" in checked.stdout
    listed = subprocess.run(
        ["fieldvault", "journal", "list", str(ready_study.root), *unlock], capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    assert "no entries yet" in listed.stdout and "Was I leading her?" not in listed.stdout
    assert listed.stderr.strip() == f"note: {drafts.unsaved(ready_study, entry)}"


def test_on_a_field_kit_notes_typed_then_kill_9_are_saved_from_the_draft(
    ready_study: Study, fieldvault_home: Path, tmp_path: Path
) -> None:
    """QA R21's own case: the kit right after the interview, on battery. The kit cannot read the draft back; it
    saves it as field notes as it is, read on the trusted machine."""
    from tests.conftest import kit_recording

    add_person(ready_study, ROSA, sessions=0)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    kit_recording(kit, "participants/Rosa/20261127-080000/audio.wav.age")
    folder = layout.session(kit.root, "Rosa", "20261127-080000")

    def opened() -> Tmux:
        term = Tmux(f"fieldvault open {shlex.quote(str(kit.root))}", _env(fieldvault_home), size=(100, 30))
        term.wait_for("Open field kit")
        term.keys("Enter")
        term.wait_for("Participant")
        term.keys("f")
        return term

    term = opened()
    try:
        term.wait_for("New field notes")
        term.send("-l", TYPED)
        _wait(lambda: bool(drafts.found(folder)))
        _kill_9(term)
    finally:
        term.kill()
    term = opened()
    try:
        screen = term.wait_for(OFFER)
        assert "this field kit cannot" in screen and "the van" not in screen, screen
        _answer(term, "s")
        term.wait_for("1 saved, encrypted")
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()
    assert drafts.found(folder) == []
    notes = field_notes(kit, folder, ready_study.unlock(PASSPHRASE.encode()))
    assert [n.text for n in notes] == [TYPED]
