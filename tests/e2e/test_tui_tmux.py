"""The real `fieldvault` binary in a real terminal (tmux) at 80×24 (and 60×20): what an interviewer and a
transcriber see and press, from unlocking to a follow-up session on a field kit."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.events import load_events
from fieldvault.journal import list_entries
from fieldvault.memos import field_notes
from fieldvault.participants import ConsentRecord, add_participant, known_identifiers, load_profile
from fieldvault.sessioninfo import load_session_info
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE, fill_letter, need
from tests.e2e.conftest import PrivatePulse

pytestmark = pytest.mark.slow


class Tmux:
    def __init__(self, command: str, env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.name = f"fv-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        width, height = (str(n) for n in size)
        subprocess.run(
            # The pause lets tmux give the pane its size before the app reads it (else it may start at 80×24).
            [
                need("tmux"),
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                width,
                "-y",
                height,
                f"sleep 0.5; env {exports} {command}",
            ],
            check=True,
        )

    def screen(self) -> str:
        done = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return done.stdout

    def wait_for(self, text: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def wait_until(self, holds: Callable[[str], bool], seconds: float = 20) -> str:
        """The screen, once ``holds(screen)``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.screen()
            if holds(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"the screen never showed what was awaited; it was:\n{self.screen()}")

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def keys(self, *sequence: str) -> None:
        """One at a time, as a person types: widgets take focus between keys."""
        for key in sequence:
            self.send(key)
            time.sleep(0.4)

    def footer(self) -> str:
        return self.screen().rstrip("\n").splitlines()[-1]

    def wait_gone(self, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not self.alive(), self.screen()

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def _env(home: Path) -> dict[str, str]:
    return {"FIELDVAULT_HOME": str(home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}


def test_real_binary_unlocks_lists_sessions_and_helps(study: Study, fieldvault_home: Path) -> None:
    folder = layout.session(study.root, "Rose", "20261124-101500")
    folder.mkdir(parents=True)
    study.write_new(folder / layout.AUDIO, b"")
    cut = layout.session(study.root, "Lily", "20261125-090000")
    cut.mkdir(parents=True)
    study.write_new(cut / layout.AUDIO, b"")
    (cut / layout.LOCK).write_text(json.dumps({"pid": 1, "host": "another-laptop"}))
    sent = layout.session(study.root, "Grace", "20261123-100000")
    sent.mkdir(parents=True)
    study.write_new(sent / layout.TRANSCRIPT, b"{}")
    study.audit.append("export", pseudonym="Grace", session=sent.name, format="txt")
    # unlocked once before, as a PI's study is: the unlock below vouches for nothing new; no note covers the list
    Study.open(study.root).unlock(PASSPHRASE.encode())
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))}", _env(fieldvault_home))
    try:
        term.wait_for("study passphrase")
        term.send("wrong passphrase", "Enter")
        term.wait_for("wrong passphrase;")
        term.send(PASSPHRASE, "Enter")
        screen = term.wait_for("Later (n)")  # the recovery question, whole, wrapped at 80 columns
        assert "Lily/20261125-090000" in screen and "intact second?" in screen
        term.keys("n")
        screen = term.wait_for("Participant")
        assert "Rose" in screen and "20261124-101500" in screen and "recorded" in screen
        assert "cut off: recover" in screen and "unlocked" in screen and "Traceback" not in screen
        assert "exported UNREVIEWED" in screen
        footer = term.footer()
        assert all(word in footer for word in ("Quit", "Help", "Record", "Transcribe", "Export", "Lock")), footer
        term.keys("?")
        screen = term.wait_for("Keys on this screen")
        assert "Review identifiers before export" in screen and "Read the list again" in screen
        term.keys("Escape")
        term.wait_for("Participant")
        term.keys("n")  # this study's letter is not filled in: the message names the setting, brackets kept
        term.wait_for("[letter]")
        term.keys("t")
        term.wait_for("Transcription queue")
        study.write_new(folder / layout.TRANSCRIPT, b"{}")  # as a transcription finishing meanwhile
        term.keys("Escape")
        screen = term.wait_for("transcribed")
        assert "recorded" not in screen.split("Rose", 1)[1].splitlines()[0]
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()


def test_a_first_interview_and_a_follow_up_in_a_real_terminal(
    ready_study: Study, fieldvault_home: Path, private_pulse: PrivatePulse
) -> None:
    """The null sink's monitor delivers digital silence: what PulseAudio falls back to when a microphone
    is lost. The level check and the recording both have to say so."""
    add_participant(ready_study, "Lily", dict(ANSWERS), ConsentRecord("letter; verbal", "v", "v", "t"), [])
    # A PulseAudio daemon of the test's own, named in the pane's environment: what the pane inherits from
    # a tmux server that an earlier test started cannot take the input away (seen in CI: "no input device").
    term = Tmux(f"fieldvault open {shlex.quote(str(ready_study.root))}", {**_env(fieldvault_home), **private_pulse.env})
    keys = term.keys
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("Participant")
        keys("n")
        term.wait_for("Information letter")
        keys("C-g")
        term.wait_for("choose a name for the study")
        keys("Escape")
        term.wait_for("Cancel this new session?")
        keys("n", "Juniper", "Enter")
        term.wait_for("Questionnaire for Juniper")
        keys("C-s")
        term.wait_for("no answer yet")
        keys("C-q")
        term.wait_for("not saved yet")
        keys("n")
        keys(
            "Tab", "Space",  # age: prefer not to say
            "Tab", "Enter", "Down", "Enter",  # race / ethnicity
            "Tab", "19", "Tab",
            "Tab", "12", "Tab",
            "Tab", "8", "Tab",
            "Tab", "Space", "Tab",  # venues: the first
            "Tab", "Enter", "Down", "Enter",  # worked for a trafficker
            "C-s",
        )  # fmt: skip
        term.wait_for("Known identifiers")
        term.wait_for("^n Another pseudonym")  # the footer names the way back at 80 columns
        keys("Marcus Juniper", "C-s")  # her pseudonym is on her list (QA H9): she chooses another right here
        term.wait_for("Ctrl+N:")  # the refusal names the key (a toast: its words wrap anywhere)
        keys("C-n")
        term.wait_for("Another pseudonym she chooses")
        keys("Rose", "Enter")
        term.wait_for("Pseudonym: Rose")
        keys("C-s")
        term.wait_for("Start recording")
        term.wait_for("NO SIGNAL", seconds=15)  # the level check, before anything is recorded
        keys("Tab", "Tab", "Tab", "Enter")
        term.wait_for("REC")
        keys("Right")
        term.wait_for("people who helped you get out")
        keys("m")
        term.wait_for("Note at")
        keys("long pause", "Enter")
        term.wait_until(lambda screen: "Note at" not in screen)  # closed in the app (which may lag the keys sent)
        noted = time.monotonic()
        term.wait_for("NO SIGNAL for", seconds=15)
        time.sleep(max(0.0, noted + 5.5 - time.monotonic()))  # within 5 s of a note, b is its words typed on (QA S4)
        keys("b")
        screen = term.wait_for("the recording is paused")
        assert "A counsellor is available" in screen
        keys("1", "r")
        term.wait_for("REC")
        assert "Stop" in term.footer() and "Quit" in term.footer()
        keys("C-q")
        term.wait_for("is running. Stop it, seal it and quit?")
        keys("n", "s")
        term.wait_for("Stop the recording")
        time.sleep(1.6)  # a question opened within seconds of a note takes no key at once (QA S4)
        keys("y")
        screen = term.wait_for("Participant")
        assert "first interview" in screen and "recorded" in screen and "Traceback" not in screen
        keys("f")
        screen = term.wait_for("Timeline")
        assert "NOTE" in screen and "long pause" in screen and "BREAK" in screen and "distress" in screen
        keys("Quiet room.", "C-s")
        term.wait_for("Field notes saved")
        keys("Escape", "j")
        term.wait_for("New entry, named by")
        keys("Was I leading her?", "C-s")
        term.wait_for("Journal entry")
        keys("Escape", "r")
        term.wait_for("A new session with Rose: which kind?")  # the cursor stayed on her session, not Lily
        keys("1")
        term.wait_for("Before we begin again")
        keys("C-g")
        term.wait_for("new names")  # QA T5: the names she gives since, added to her list
        keys("Tobiah Quorn", "C-s")
        term.wait_for("Start recording")
        keys("Tab", "Tab", "Tab", "Enter")
        screen = term.wait_for("Since we last talked")
        assert "follow-up: prompt 1 of" in screen
        time.sleep(1)
        keys("m")
        term.wait_for("Note at")
        keys("C-q")  # under the note dialog: the recording must still be stopped and sealed
        term.wait_for("Stop it, seal it and quit?")
        keys("y")
        term.wait_gone()
    finally:
        term.kill()

    identities = ready_study.unlock(PASSPHRASE.encode())
    assert not [p for p in layout.participant(ready_study.root, "Lily").iterdir() if p.is_dir()]
    first, second = sorted(p for p in layout.participant(ready_study.root, "Rose").iterdir() if p.is_dir())
    events = load_events(ready_study, first, identities).events
    assert [e.kind for e in events] == ["prompt", "prompt", "note", "pause", "break", "resume", "stop"]
    assert load_events(ready_study, second, identities).events[-1].kind == "stop"  # Ctrl+Q sealed it
    assert load_session_info(ready_study, second, identities).kind == "follow-up"
    assert [n.text for n in field_notes(ready_study, first, identities)] == ["Quiet room."]
    assert [e.text for e in list_entries(ready_study, identities)] == ["Was I leading her?"]
    assert load_profile(ready_study, "Rose", identities).answers["age"] == "prefer not to say"
    assert [i.text for i in known_identifiers(ready_study, "Rose", identities)] == ["Marcus Juniper", "Tobiah Quorn"]
    assert not layout.participant(ready_study.root, "Juniper").exists()


def test_a_kit_made_from_the_study_shows_its_sessions_at_60x20(
    study: Study, fieldvault_home: Path, tmp_path: Path, private_pulse: PrivatePulse
) -> None:
    env = {**_env(fieldvault_home), **private_pulse.env}
    refused = subprocess.run(
        ["fieldvault", "field-kit", str(study.root), str(tmp_path / "kit")], env=env, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "pi_name" in refused.stderr and "[" not in refused.stderr
    fill_letter(study)
    folder = layout.session(study.root, "Rose", "20261124-101500")
    folder.mkdir(parents=True)
    study.write_new(folder / layout.AUDIO, b"")
    study.write_new(folder / layout.TRANSCRIPT, b"{}")
    made = subprocess.run(  # the passphrase: field-kit checks the seal of the letter it takes to the field
        ["fieldvault", "field-kit", str(study.root), str(tmp_path / "kit")],
        env={**env, "FIELDVAULT_PASSPHRASE": PASSPHRASE},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    term = Tmux(f"fieldvault open {shlex.quote(str(tmp_path / 'kit'))}", env, size=(60, 20))
    try:
        term.wait_for("Open field kit")
        term.keys("Enter")
        screen = term.wait_for("Participant")
        assert "20261124-101500" in screen and "(in the" in screen
        term.keys("r", "1", "C-g")
        names = term.wait_for("new names")  # QA T5: the people and places she names since, as `n` asks for hers
        assert "Follow-up" in names and "Rose" in names, names
        assert "Add names, then record" in term.wait_for("^s Add names").splitlines()[-1]  # its footer
        term.keys("Tobiah Quorn (new partner)", "C-s")
        term.wait_for("line 1 holds a")  # a note: refused, naming the line; nothing sealed
        term.keys(*["BSpace"] * len(" (new partner)"), "Enter", "PLACE: Lemon Cove", "C-s")
        term.wait_for("Start recording")
        term.keys("Escape")  # the set-up screen goes back
        term.wait_for("Participant")
        term.keys("r", "1", "C-g")
        term.wait_for("new names")
        term.keys("C-s")  # nothing new this time
        term.wait_for("Start recording")
        term.keys("Tab", "Tab", "Tab", "Enter")
        term.wait_for("REC")
        footer = term.footer()
        assert "Stop" in footer and "Quit" in footer, footer
        term.keys("s", "y")
        screen = term.wait_for("follow-up")
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()
    kit = Study.open(tmp_path / "kit")
    (session,) = [p for p in layout.participant(kit.root, "Rose").iterdir() if p.is_dir()]
    assert load_session_info(kit, session, study.unlock(PASSPHRASE.encode())).kind == "follow-up"
    (added,) = layout.participant(kit.root, "Rose").glob("identifiers-added-*.json.age")
    assert added.name == "identifiers-added-1.json.age"
    assert b"Quorn" not in added.read_bytes() and b"Quorn" not in (kit.root / layout.AUDIT_FILE).read_bytes()


def test_a_session_recorded_under_the_wrong_participant_moves_in_a_real_terminal(
    ready_study: Study, fieldvault_home: Path
) -> None:
    from tests.stewardship import JUNE, ROSA, add_person

    add_person(ready_study, JUNE, sessions=0)
    (session,) = add_person(ready_study, ROSA, sessions=1)  # June's interview, recorded under Rosa
    term = Tmux(f"fieldvault open {shlex.quote(str(ready_study.root))}", _env(fieldvault_home))
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("Participant")
        term.keys("Down", "M")  # June's row first, then Rosa's session
        screen = term.wait_for(f"Move session {session} of Rosa to")
        assert "June" in screen and "cancels)" in screen  # the question is read whole (wrapped) at 80 columns
        term.keys("?")
        term.wait_for(f"Keys on this screen: Move session {session} of Rosa to")
        term.keys("Escape")
        term.wait_until(lambda shown: "Keys on this screen" not in shown and "cancels)" in shown)
        term.keys("Enter")
        screen = term.wait_for("Cancel (n)")  # asked first
        assert "to June?" in screen and "audited" in screen
        term.keys("y")
        # the notice is posted just before the list is read again: wait for both (a capture may fall between)
        screen = term.wait_until(
            lambda shown: "Moved session" in shown and not any("Rosa" in r for r in shown.splitlines() if session in r)
        )
        rows = [line for line in screen.splitlines() if session in line]
        assert any("June" in line for line in rows) and not any("Rosa" in line for line in rows), screen
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()
    assert (layout.session(ready_study.root, "June", session) / layout.EVENTS).is_file()
    assert not layout.session(ready_study.root, "Rosa", session).exists()


def test_field_notes_saved_with_ctrl_s_right_before_ctrl_q_and_f1_help(
    ready_study: Study, fieldvault_home: Path
) -> None:
    """QA A9 in a real terminal: ? is typed into the notes, F1 lists the keys, and Ctrl+S Ctrl+Q sent as one
    burst stores the notes before the app quits."""
    from tests.stewardship import ROSA, add_person

    (session,) = add_person(ready_study, ROSA, sessions=1)
    term = Tmux(f"fieldvault open {shlex.quote(str(ready_study.root))}", _env(fieldvault_home))
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("Participant")
        term.keys("f")
        term.wait_for("New field notes")
        term.wait_until(lambda shown: "F1 Help" in shown.rstrip("\n").splitlines()[-1])
        term.send("-l", "Was she tired?")
        term.wait_for("Was she tired?")
        term.keys("F1")
        term.wait_for("Keys on this screen: Session notes")
        term.keys("Escape")
        term.wait_until(lambda shown: "Keys on this screen" not in shown)
        term.send("C-s", "C-q")  # one burst, as fast fingers send it
        term.wait_gone()
    finally:
        term.kill()
    folder = layout.session(ready_study.root, "Rosa", session)
    notes = field_notes(ready_study, folder, ready_study.unlock(PASSPHRASE.encode()))
    assert [n.text for n in notes] == ["Was she tired?"]


@pytest.mark.parametrize("key", ["f", "j"])
def test_field_notes_or_a_journal_entry_being_typed_are_kept_when_the_terminal_closes(
    ready_study: Study, fieldvault_home: Path, key: str
) -> None:
    """QA Q1: a closed terminal (SIGHUP: `tmux kill-session`, a window closed, SSH dropped) ended the app with the
    field notes or journal entry being typed, never saved; written right after an interview, they cannot be
    written again. They are kept, encrypted, as a lock keeps them."""
    from tests.stewardship import ROSA, add_person

    (session,) = add_person(ready_study, ROSA, sessions=1)
    term = Tmux(f"fieldvault open {shlex.quote(str(ready_study.root))}", _env(fieldvault_home))
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("Participant")
        term.keys(key)
        term.wait_for("New field notes" if key == "f" else "New entry, named by")
        term.send("-l", "She asked for the counsellor's card.")
        term.wait_for("counsellor's card")
    finally:
        term.kill()  # SIGHUP to the app
    identities = ready_study.unlock(PASSPHRASE.encode())
    folder = layout.session(ready_study.root, "Rosa", session)

    def kept() -> list[str]:
        if key == "f":
            return [n.text for n in field_notes(ready_study, folder, identities)]
        return [e.text for e in list_entries(ready_study, identities)]

    deadline = time.monotonic() + 20
    while not kept() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert kept() == ["She asked for the counsellor's card."]


def test_the_transcription_queue_runs_on_after_esc_and_quitting_says_what_it_left(
    study: Study, fieldvault_home: Path, tmp_path: Path
) -> None:
    """QA C15 in a real terminal: Esc off the running queue leaves it running (home shows its progress and
    Rose's transcript arrives); Ctrl+Q asks, and once stopped fieldvault prints what it left untranscribed."""
    import numpy as np

    from tests.e2e.conftest import speech
    from tests.e2e.test_transcribe import _store_recording

    rose = _store_recording(study, "Rose", speech(tmp_path / "v.wav", "My case manager helped me find safe housing."))
    silent = [_store_recording(study, name, np.zeros(16000 * 2100, np.int16)) for name in ("Sam", "Tia", "Uma")]
    command = f"fieldvault open {shlex.quote(str(study.root))}; echo fieldvault ended; sleep 120"
    term = Tmux(command, _env(fieldvault_home))
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("Participant")
        term.keys("t")
        term.wait_for("Transcription queue:")
        term.send("C-t")
        term.wait_until(lambda shown: "finding speech" in shown or "transcribing" in shown, seconds=60)
        term.keys("Escape")
        screen = " ".join(term.wait_for("Transcribing ").split())  # home, with the queue's progress
        assert "Participant" in screen and "t shows the queue" in screen, screen
        screen = term.wait_until(lambda shown: "transcribed" in shown.split("Rose", 1)[-1].splitlines()[0], 120)
        assert "Transcribing 2 of 4: Sam/20261124-100000" in " ".join(screen.split())
        term.send("C-q")
        screen = term.wait_for("Stay (n)")
        assert "transcription queue is still running" in " ".join(screen.split())
        term.keys("y")
        screen = " ".join(term.wait_for("fieldvault ended", seconds=60).split())
    finally:
        term.kill()
    assert "left untranscribed (nothing stored for them):" in screen and "Uma/20261124-100000." in screen
    assert (rose / layout.TRANSCRIPT).exists() and not (silent[2] / layout.TRANSCRIPT).exists()


def test_esc_on_a_kits_questionnaire_asks_and_cancels_the_new_session(
    ready_study: Study, fieldvault_home: Path, tmp_path: Path
) -> None:
    """QA S12 ("esc Cancel session" and Esc did nothing, on a kit's questionnaire): Esc asks; a second Esc is that
    question's "Go on" (the screen unchanged, as QA saw after pressing it twice); Esc then y leaves with nothing
    stored."""
    env = _env(fieldvault_home)
    made = subprocess.run(
        ["fieldvault", "field-kit", str(ready_study.root), str(tmp_path / "kit")],
        env={**env, "FIELDVAULT_PASSPHRASE": PASSPHRASE},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    term = Tmux(f"fieldvault open {shlex.quote(str(tmp_path / 'kit'))}", env)
    try:
        term.wait_for("Open field kit")
        term.keys("Enter")
        term.wait_for("Participant")
        term.keys("n")
        term.wait_for("Information letter")
        term.keys("C-g")
        term.wait_for("choose a name for the study")
        term.keys("Yola", "Enter")
        term.wait_for("Questionnaire for Yola")
        term.wait_until(lambda screen: "esc Cancel session" in screen.rstrip("\n").splitlines()[-1])  # the footer
        term.keys("Escape")
        term.wait_for("Cancel this new session?")
        term.keys("Escape")
        term.wait_until(lambda s: "Cancel this new session?" not in s and "Questionnaire for Yola" in s)
        term.keys("Tab", "Escape")  # the focus on "prefer not to say": Esc still asks
        term.wait_for("Cancel this new session?")
        term.keys("y")
        term.wait_for("no participants yet")
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()
    assert not layout.participant(tmp_path / "kit", "Yola").exists()
