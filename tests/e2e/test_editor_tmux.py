"""The real binary in a real terminal: correct a word in the editor, add the prompt that was asked, save,
mark it reviewed, and find the correction in `fieldvault transcript` and in a qdpx export at valid positions."""

from __future__ import annotations

import os
import shlex
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from fieldvault import transcript_versions as versions
from fieldvault.guide import Guide
from fieldvault.redact.review import ACCEPTED, current, store
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_cli import assert_one_line_error, fv
from tests.e2e.test_tui_tmux import Tmux
from tests.tui.test_editor import SESSION, study_with_draft

pytestmark = pytest.mark.slow

XSD = Path(__file__).parents[1] / "data" / "refi-qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


def _decided(study: Study) -> None:
    """Every proposed span accepted beforehand, so the editor's reviewed mark is the only step left."""
    identities = study.unlock(PASSPHRASE.encode())
    redactions = current(study, versions.load(study, "Rose", SESSION, identities), identities)
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "tester", study.clock())
    store(study, redactions, "redaction.decided")  # as the review screen stores decisions (vouched: QA T11, W17)


def test_correct_a_word_in_the_editor_and_see_it_everywhere(
    study: Study, fieldvault_home: Path, tmp_path: Path
) -> None:
    study_with_draft(study)
    _decided(study)
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    env["FIELDVAULT_ACTOR"] = "tester"  # the editor the audit log and the reviewed mark name
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))}", env)

    def keys(*sequence: str) -> None:
        for key in sequence:  # one at a time, as a person types (faster, a loaded machine drops keys)
            term.send(key)
            time.sleep(0.35)

    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("transcribed")
        keys("o")
        term.wait_for("I finally got my GDB")
        keys("Down", "Down", "End", *["C-Left"] * 5, "DC", "DC", "DC")  # to "GDB", by words
        term.send("-l", "GED")
        term.wait_for("I finally got my GED at the college.")
        keys("C-o")
        term.wait_for("Which prompt was asked here?")
        keys("Enter")  # the guide's narrative prompt, before this segment
        term.wait_for("── prompt at 00:00:09")
        keys("C-s")
        screen = term.wait_for("Saved as version 2")
        assert "unreviewed" in screen
        keys("C-r")
        term.wait_for("reviewed by tester")
        keys("Escape")
        screen = term.wait_for("Participant")
        assert "reviewed" in screen and "Traceback" not in screen
        term.send("C-q")
    finally:
        term.kill()

    shown = fv("transcript", str(study.root), "Rose", SESSION)
    assert shown.returncode == 0, shown.stderr
    assert "[00:00:09] I finally got my GED at the college." in shown.stdout.splitlines()
    assert "plaintext" in shown.stderr and "GED" not in shown.stderr
    first = fv("transcript", str(study.root), "Rose", SESSION, "--version", "1")
    assert "[00:00:09] I finally got my GDB at the college." in first.stdout
    assert_one_line_error(fv("transcript", str(study.root), "Rose", SESSION, "--version", "9"), "versions 1 to 2")
    viewed = [e["details"] for e in study.audit.entries() if e["action"] == "transcript.viewed"]
    assert [d["version"] for d in viewed] == [2, 1]

    out = tmp_path / "study.qdpx"
    done = fv("export", str(study.root), "--format", "qdpx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as archive:
        project = etree.fromstring(archive.read("project.qde"))
        etree.XMLSchema(etree.parse(str(XSD))).assertValid(project)
        (source,) = project.findall(".//q:TextSource", NS)
        text = archive.read("sources/" + source.get("plainTextPath").removeprefix("internal://")).decode()
    assert "I finally got my GED at the college." in text and "GDB" not in text and "Marcus" not in text
    selections = {s.get("name"): s for s in source.findall("q:PlainTextSelection", NS)}
    for selection in selections.values():
        assert 0 <= int(selection.get("startPosition")) < int(selection.get("endPosition")) <= len(text)
    prompt = selections["Prompt 1"]  # the guide's narrative prompt, added in the editor, is a code
    start, end = int(prompt.get("startPosition")), int(prompt.get("endPosition"))
    narrative = Guide.for_study(study.root).narrative_prompt
    assert text[start:].startswith(f"[00:00:09] (Prompt 1) {narrative}")
    assert "I finally got my GED at the college." in text[start:end]


def test_a_session_open_in_the_editor_in_one_terminal_is_not_moved_from_another(
    study: Study, fieldvault_home: Path
) -> None:
    """QA A15, as it was found: the editor open in one terminal, `session move` run in a second one."""
    from fieldvault.participants import ConsentRecord, add_participant
    from tests.conftest import ANSWERS

    study_with_draft(study)
    add_participant(
        study, "June", ANSWERS, ConsentRecord("verbal consent", "v", "s", "now"), [], study.unlock(PASSPHRASE.encode())
    )
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))}", env)
    move = ("session", "move", str(study.root), "Rose", SESSION, "--to", "June")
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("transcribed")
        for key in ("Down", "o"):  # Rose's session, under June's empty row
            term.send(key)
            time.sleep(0.35)
        term.wait_for("I finally got my GDB")
        refused = fv(*move)
        assert_one_line_error(
            refused, f"session {SESSION} of Rose is open in the editor, review or notes screen", "close it there"
        )
        assert not (study.root / "participants" / "June" / SESSION).exists()
        term.send("End")
        time.sleep(0.35)
        term.send("-l", " Yes.")
        # typed, then saved: where it lands does not matter here (CI once lost the End key on a loaded machine and
        # the text went in at the answer's start), only that the session holds an unsaved edit when it is saved
        term.wait_for("Yes.")
        time.sleep(0.35)
        term.send("C-s")
        term.wait_for("Saved as version 2", seconds=90)  # stored where it is (the first save loads the detector)
        term.send("Escape")
        term.wait_for("Journal")  # home's footer: the editor has closed
        moved = fv(*move)
        assert moved.returncode == 0 and f"moved session {SESSION} from Rose to June" in moved.stdout, moved.stderr
        term.send("C-q")
    finally:
        term.kill()


def test_ctrl_j_in_a_real_terminal_never_joins_a_question_into_her_answer(study: Study, fieldvault_home: Path) -> None:
    """QA, as it was found: Ctrl+J (a terminal sends it as a line feed) ran the interviewer's question into her
    answer. In a real terminal both joins, Ctrl+J and Backspace at the answer's start, are refused on screen; once
    both segments are given one speaker, Ctrl+J joins them."""
    study_with_draft(study)
    env = {"FIELDVAULT_HOME": str(fieldvault_home), "PATH": os.environ["PATH"], "TERM": "xterm-256color"}
    term = Tmux(f"fieldvault open {shlex.quote(str(study.root))}", env, size=(120, 40))
    try:
        term.wait_for("study passphrase")
        term.send(PASSPHRASE, "Enter")
        term.wait_for("transcribed")
        term.keys("o")
        term.wait_for("I finally got my GDB")
        term.keys("C-t", "NPage", "C-t", "C-t")  # the question the interviewer's, the answer hers
        term.wait_for("Participant: When I was 90")
        term.keys("Home", "BSpace")
        term.wait_until(lambda screen: "Interviewer's and" in screen and "would become the" in screen)
        term.keys("PPage", "C-j")
        screen = term.wait_until(lambda screen: screen.count("Interviewer's and") == 2)
        assert "Interviewer: Can you tell me about leaving?\n" in screen
        assert "Participant: When I was 90" in screen  # still two segments, two speakers
        term.keys("C-t")  # the question hers too (Interviewer -> Participant): now they join
        term.wait_for("Participant: Can you tell me about leaving?")
        term.keys("C-j")
        term.wait_for("Participant: Can you tell me about leaving? When I was 90")
        term.send("C-q")
    finally:
        term.kill()
