"""Moving a session recorded under the wrong participant: everything keyed to the pseudonym follows,
nothing else is re-encrypted, the redactions are proposed again from her list, and a crash at any point
leaves the session with one participant, never both or neither."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.errors import BadInput, LockedStudy
from fieldvault.events import SessionEvents
from fieldvault.memos import add_field_note
from fieldvault.overview import SessionState, overview
from fieldvault.redact.review import ACCEPTED, Redactions, current
from fieldvault.sessioninfo import FOLLOW_UP, IndexedSession, SessionInfo, read_index, write_session_info
from fieldvault.sessionmove import BEGUN, STAGING, move_session
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript
from tests.auditfields import fields, logged
from tests.conftest import PASSPHRASE, ROOT
from tests.stewardship import JUNE, ROSA, Person, add_person, transcribe_and_review

# Said by June, recorded by mistake under Rosa: June's identifiers are in it, Rosa's are not.
JUNE_SAID = "Harold Beckwith drove me to Fresno that night."
ZOE = Person("Zoë", ("Dorothea Kessling",), "Dorothea Kessling was there.")
LILY = Person("Lily", ("Jessica Moreno",), "Jessica Moreno was there.")


def _records(study: Study, folder: Path, identities: list) -> list[tuple[str, str]]:
    """(file, pseudonym named inside) for every sealed record of the session that names one."""
    found = []
    for path in sorted(folder.rglob("*.json.age")):
        doc = json.loads(study.read(path, identities))
        if "pseudonym" in doc:
            found.append((str(path.relative_to(folder)), doc["pseudonym"]))
    return found


@pytest.fixture
def wrong(ready_study: Study, identities: list) -> tuple[Study, str]:
    """Rosa and June; June's interview recorded, transcribed, reviewed and noted under Rosa."""
    add_person(ready_study, JUNE, sessions=0)
    session = add_person(ready_study, ROSA, sessions=1)[0]
    folder = layout.session(ready_study.root, "Rosa", session)
    (folder / layout.SESSION_INFO).unlink()
    write_session_info(ready_study, folder, SessionInfo(FOLLOW_UP))
    transcribe_and_review(ready_study, identities, ROSA, session)
    transcript = Transcript.from_json(ready_study.read(folder / layout.TRANSCRIPT, identities))
    said = replace(transcript, segments=(transcript.segments[0], Segment(1.0, 2.0, JUNE_SAID, "Rosa")))
    ready_study.replace(folder / layout.TRANSCRIPT, said.to_json())
    ready_study.write_new(folder / "versions" / "0001.json.age", said.to_json())
    ready_study.write_new(folder / "versions" / "autosave.json.age", said.to_json())
    add_field_note(ready_study, folder, "She asked for a break after the second prompt.")
    return ready_study, session


def test_a_move_takes_every_record_keyed_to_the_pseudonym_and_reencrypts_nothing_else(
    wrong: tuple[Study, str], identities: list
) -> None:
    study, session = wrong
    source = layout.session(study.root, "Rosa", session)
    kept = {name: (source / name).stat().st_ino for name in (layout.AUDIO,)}
    kept_bytes = {name: (source / name).read_bytes() for name in kept}
    assert {p for _, p in _records(study, source, identities)} == {"Rosa"}
    note = study.read(source / "fieldnotes-1.md.age", identities).decode()
    assert f"for Rosa/{session} -->" in note

    moved = move_session(study, "Rosa", session, "June", identities)

    target = layout.session(study.root, "June", session)
    assert not source.exists() and target.is_dir() and not (target / STAGING).exists()
    # events, the transcript and the one an earlier transcription left, version 1, the autosave, redactions, and
    # (QA Q4) the field note and the session record, which name her too
    assert moved.resealed == 8 and moved.had_transcript
    for name, inode in kept.items():  # moved as they are: the same file, not a re-encrypted copy
        assert (target / name).stat().st_ino == inode and (target / name).read_bytes() == kept_bytes[name]
    records = _records(study, target, identities)
    assert len(records) == 7 and {p for _, p in records} == {"June"}, records  # the note is markdown
    assert study.read(target / "fieldnotes-1.md.age", identities).decode() == note.replace("for Rosa/", "for June/")
    events = SessionEvents.from_json(study.read(target / layout.EVENTS, identities))
    assert events.pseudonym == "June" and events.events  # the timeline itself is kept
    for name in (layout.TRANSCRIPT, "versions/0001.json.age", "versions/autosave.json.age"):
        transcript = Transcript.from_json(study.read(target / name, identities))
        assert transcript.segments[1].speaker == "June" and transcript.segments[1].text == JUNE_SAID
    assert read_index(study.root) == {f"June/{session}": IndexedSession(FOLLOW_UP)}

    # Reviewed under Rosa, unreviewed now: the spans are proposed again from June's identifiers.
    stored = Redactions.from_json(study.read(target / layout.REDACTIONS, identities))
    assert stored.pseudonym == "June" and stored.reviewed_by is None
    transcript = Transcript.from_json(study.read(target / layout.TRANSCRIPT, identities))
    again = current(study, transcript, identities)
    assert not again.reviewed and again.pseudonym == "June"
    known = {s.matched or s.text for s in again.spans if s.source == "known"}
    assert {"Harold Beckwith", "Fresno"} <= known, again.spans
    people = {p.pseudonym: p.sessions for p in overview(study)}
    assert people["Rosa"] == ()
    assert [(s.session, s.state, s.kind) for s in people["June"]] == [(session, SessionState.TRANSCRIBED, FOLLOW_UP)]

    entry = study.audit.entries()[-1]
    assert entry["action"] == "session.move"
    vouched = json.loads(entry["details"].pop("vouches"))  # her transcript and redactions where they lie (QA T11)
    assert sorted(vouched) == [f"participants/June/{session}/{f}" for f in (layout.REDACTIONS, layout.TRANSCRIPT)]
    assert sorted(json.loads(entry["details"].pop("signatures"))) == sorted(vouched)
    assert fields(entry["details"], "pseudonym", "session", "moved_from") == {
        "pseudonym": "June",
        "session": session,
        "moved_from": "Rosa",
    }
    assert study.audit.verify().authenticated == len(study.audit.entries())


def test_a_locked_study_shows_the_moved_session_with_its_kind(wrong: tuple[Study, str], identities: list) -> None:
    study, session = wrong
    move_session(study, "Rosa", session, "June", identities)
    locked = Study.open(study.root)
    june = next(p for p in overview(locked) if p.pseudonym == "June")
    assert [(s.session, s.kind) for s in june.sessions] == [(session, FOLLOW_UP)]


def test_bad_moves_are_refused_in_one_line_and_change_nothing(
    wrong: tuple[Study, str], identities: list, tmp_path: Path
) -> None:
    study, session = wrong
    before = sorted(str(p.relative_to(study.root)) for p in study.root.rglob("*"))
    cases = [
        ("Nobody", session, "June", "no participant 'Nobody'"),
        ("Rosa", session, "Nobody", "no participant 'Nobody'"),
        ("Rosa", session, "rosa", "is Rosa's already"),
        ("Rosa", session, "../June", "may not contain"),
        ("Rosa", session, "..", "may not start with a dot"),
        ("Rosa", "../../keys", "June", "may not contain"),
        ("Rosa", "20200101-000000", "June", "no session '20200101-000000'"),
    ]
    for pseudonym, name, to, message in cases:
        with pytest.raises(BadInput, match=message) as caught:
            move_session(study, pseudonym, name, to, identities)
        assert "\n" not in str(caught.value)
    with pytest.raises(LockedStudy, match="needs the study key"):
        move_session(study, "Rosa", session, "June", [])
    assert sorted(str(p.relative_to(study.root)) for p in study.root.rglob("*")) == before


def test_nfd_names_find_the_participants_stored_in_nfc(ready_study: Study, identities: list) -> None:
    add_person(ready_study, ZOE, sessions=0)
    session = add_person(ready_study, ROSA, sessions=1)[0]
    moved = move_session(ready_study, "Rosa", session, unicodedata.normalize("NFD", "Zoë"), identities)
    assert moved.to == "Zoë" and layout.session(ready_study.root, "Zoë", session).is_dir()
    back = move_session(ready_study, unicodedata.normalize("NFD", "Zoë"), session, "Rosa", identities)
    assert back.pseudonym == "Zoë" and layout.session(ready_study.root, "Rosa", session).is_dir()
    assert not any(unicodedata.normalize("NFC", p.name) != p.name for p in ready_study.root.rglob("*"))


def test_a_recording_a_cut_off_session_a_clash_and_a_field_kit_are_refused(
    wrong: tuple[Study, str], identities: list, tmp_path: Path
) -> None:
    study, session = wrong
    source = layout.session(study.root, "Rosa", session)
    live = layout.session(study.root, "June", "20990101-000000")
    live.mkdir()
    (live / layout.LOCK).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
    with pytest.raises(BadInput, match="a recording is running"):
        move_session(study, "Rosa", session, "June", identities)
    (live / layout.LOCK).unlink()
    live.rmdir()

    (source / layout.LOCK).write_text(json.dumps({"pid": 999999999, "host": socket.gethostname()}))
    with pytest.raises(BadInput, match="cut off and is not sealed yet"):
        move_session(study, "Rosa", session, "June", identities)
    (source / layout.LOCK).unlink()

    clash = layout.session(study.root, "June", session)
    clash.mkdir()
    with pytest.raises(BadInput, match="started in the same second"):
        move_session(study, "Rosa", session, "June", identities)
    clash.rmdir()

    kit = study.make_field_kit(tmp_path / "kit")
    kit_session = add_person(kit, LILY, sessions=1)[0]
    with pytest.raises(LockedStudy, match="a field kit cannot move a session"):
        move_session(kit, "Lily", kit_session, "Rosa", [])
    assert source.is_dir() and (kit.root / "participants" / "Lily" / kit_session).is_dir()


# --- a crash in the middle -------------------------------------------------------------------------

CHILD = """
import os, sys
from fieldvault import agefile, audit, study as study_module
from fieldvault.sessionmove import move_session
point = sys.argv[3]
calls = {"n": 0}

def crash():
    os._exit(137)  # as kill -9 at this instruction: no cleanup, no finally

def after(original, count):
    def wrapped(*args, **kwargs):
        result = original(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == count:
            crash()
        return result
    return wrapped

if point == "staging":
    study_module.Study.write_new = after(study_module.Study.write_new, 2)
elif point == "before-commit":
    os.rename = lambda *a: crash()
elif point == "after-commit":
    os.rename = after(os.rename, 1)
elif point == "replacing":  # the first replace in the study (this computer's config folder is written too: QA U9)
    in_study = os.replace

    def replacing(source, target, *args, **kwargs):
        result = in_study(source, target, *args, **kwargs)
        if os.fspath(target).startswith(sys.argv[1]):
            crash()
        return result

    os.replace = replacing
study = study_module.Study.open(study_module.Path(sys.argv[1]))
identities = study.unlock(os.environ["PASSPHRASE"].encode())  # its own entry (vouching for files) comes first
if point == "after-audit":  # the move's entry, which vouches for her transcript and redactions (QA T11)
    appending = audit.AuditLog.append_vouching

    def append_vouching(log, action, *args, **kwargs):
        result = appending(log, action, *args, **kwargs)
        if action == "session.move":  # not its begin, signed before the staging (QA Y9)
            crash()
        return result

    audit.AuditLog.append_vouching = append_vouching
move_session(study, "Rosa", sys.argv[2], "June", identities)
print("finished without crashing")
"""


@pytest.mark.parametrize(
    ("point", "lands_with"),
    [
        ("staging", "Rosa"),
        ("before-commit", "Rosa"),
        ("after-commit", "June"),
        ("replacing", "June"),
        ("after-audit", "June"),
    ],
)
def test_a_crash_mid_move_leaves_the_session_with_one_participant_never_both_or_neither(
    wrong: tuple[Study, str], identities: list, tmp_path: Path, point: str, lands_with: str
) -> None:
    study, session = wrong
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PASSPHRASE": PASSPHRASE}
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(study.root), session, point], env=env, capture_output=True, text=True
    )
    assert child.returncode == 137, child.stdout + child.stderr

    # Right after the crash, before anything repairs it: one folder holds it, never two, never none.
    holders = [p.name for p in layout.participants(study.root).iterdir() if (p / session).is_dir()]
    assert holders == [lands_with]

    if lands_with == "Rosa":  # undone by the next command given the passphrase: said in one line, and logged, once
        said = []
        audit = ["audit", str(study.root), "--verify", "--passphrase-file", str(_secret(tmp_path))]
        for _ in range(2):
            done = subprocess.run(["fieldvault", *audit], env=env, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            said.append([line for line in done.stderr.splitlines() if line.startswith("fieldvault: note: ")])
        assert len(said[0]) == 1 and said[1] == [], said
        assert f"a move of Rosa/{session}" in said[0][0] and "session move` again" in said[0][0]
    reopened = Study.open(study.root)  # any later command given the passphrase finishes or undoes the move
    reopened.unlock(PASSPHRASE.encode())
    undone = logged(reopened, "session.move-undone", "pseudonym", "session", "reason")
    assert undone == ([{"pseudonym": "Rosa", "session": session, "reason": "cut off before it moved"}]
                      if lands_with == "Rosa" else [])  # fmt: skip
    folder = layout.session(study.root, lands_with, session)
    assert not (folder / STAGING).exists()
    assert [s.session for p in overview(reopened) for s in p.sessions] == [session]
    assert {p for _, p in _records(reopened, folder, identities)} == {lands_with}
    moves = [e for e in reopened.audit.entries() if e["action"] == "session.move"]
    assert len(moves) == (1 if lands_with == "June" else 0)
    assert list(read_index(study.root)) == [f"{lands_with}/{session}"]
    assert reopened.audit.verify().entries == len(reopened.audit.entries())

    if lands_with == "Rosa":  # undone cleanly: the move can simply be made again
        move_session(reopened, "Rosa", session, "June", identities)
        assert {p for _, p in _records(reopened, layout.session(study.root, "June", session), identities)} == {"June"}


# --- field kits -----------------------------------------------------------------------------------


def test_merging_the_kit_again_after_a_move_never_brings_the_session_back_under_the_wrong_name(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    from fieldvault.kitmerge import merge_kit

    add_person(ready_study, ROSA, sessions=0)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    session = add_person(kit, LILY, sessions=1)[0]  # Rosa's follow-up, recorded on the kit under Lily
    merge_kit(ready_study, kit.root, identities)
    move_session(ready_study, "Lily", session, "Rosa", identities)
    add_field_note(kit, layout.session(kit.root, "Lily", session), "Written on the kit after the first merge.")

    report = merge_kit(ready_study, kit.root, identities)

    assert not layout.session(ready_study.root, "Lily", session).exists()
    assert report.merged == [f"participants/Rosa/{session}/fieldnotes-1.md.age"]
    assert any("moved this session to Rosa" in line and "audio.wav.age" in line for line in report.left_out)
    people = {p.pseudonym: [s.session for s in p.sessions] for p in overview(ready_study)}
    assert people == {"Lily": [], "Rosa": [session]}


def test_a_merged_kit_session_shows_its_kind_on_a_locked_study(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    from fieldvault.kitmerge import merge_kit

    kit = ready_study.make_field_kit(tmp_path / "kit")
    session = add_person(kit, LILY, sessions=1)[0]
    folder = layout.session(kit.root, "Lily", session)
    (folder / layout.SESSION_INFO).unlink()
    write_session_info(kit, folder, SessionInfo(FOLLOW_UP))
    (kit.root / layout.SESSION_INDEX).unlink()  # what the kit says in plaintext is not what the study trusts
    merge_kit(ready_study, kit.root, identities)

    locked = Study.open(ready_study.root)  # no key: the kind comes from the study's own index
    assert [(s.session, s.kind) for p in overview(locked) for s in p.sessions] == [(session, FOLLOW_UP)]


def test_a_withdrawal_lists_exports_that_held_her_session_under_the_wrong_name(
    wrong: tuple[Study, str], identities: list, tmp_path: Path
) -> None:
    from fieldvault.export.run import Options, export
    from fieldvault.export.selection import Request
    from fieldvault.stewardship.withdraw import earlier_copies

    study, session = wrong
    export(study, identities, Options("txt"), tmp_path / "out", Request(include_unreviewed=True))
    moved = move_session(study, "Rosa", session, "June", identities)
    assert moved.exported == 1
    assert [c.sessions for c in earlier_copies(study, "June")] == [(session,)]


# --- the command line -----------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["fieldvault", *args], capture_output=True, text=True, timeout=120)


def test_the_cli_moves_a_session_and_refuses_bad_input_in_one_line(
    wrong: tuple[Study, str], identities: list, tmp_path: Path
) -> None:
    study, session = wrong
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    root = str(study.root)
    refusals = [
        (["Rosa", session, "--to", "Nobody"], "no participant 'Nobody'"),
        (["Rosa", session, "--to", "ROSA"], "is Rosa's already"),
        (["Rosa", session, "--to", ".."], "may not start with a dot"),
        (["Rosa", "../..", "--to", "June"], "may not contain"),
    ]
    for args, message in refusals:
        run = _cli("session", "move", root, *args, "--passphrase-file", str(secret))
        assert run.returncode == 1 and run.stdout == "", run
        assert run.stderr.startswith("fieldvault: error: ") and message in run.stderr, run.stderr
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr

    nfd_june = unicodedata.normalize("NFD", "June ")  # as a terminal may send it: still June
    run = _cli("session", "move", root, "rosa", session, "--to", nfd_june, "--passphrase-file", str(secret))
    assert run.returncode == 0, run.stderr
    assert f"moved session {session} from Rosa to June: 8 sealed record(s) re-sealed" in run.stdout
    assert "unreviewed now: identifiers are proposed again from June's list" in run.stdout
    assert layout.session(study.root, "June", session).is_dir()
    again = _cli("session", "move", root, "Rosa", session, "--to", "June", "--passphrase-file", str(secret))
    assert again.returncode == 1 and again.stderr.count("\n") == 1  # QA Q8: run twice, it said only "no session"
    assert f"session {session} of Rosa was moved to June; it is hers now" in again.stderr, again.stderr

    kit = study.make_field_kit(tmp_path / "kit")
    run = _cli("session", "move", str(kit.root), "June", session, "--to", "Rosa")
    assert run.returncode == 1 and "a field kit cannot move a session" in run.stderr, run.stderr


def test_a_move_names_the_other_parts_of_an_interview_resumed_after_a_lost_input(
    ready_study: Study, identities: list
) -> None:
    add_person(ready_study, JUNE, sessions=0)
    first, later, _separate = add_person(ready_study, ROSA, sessions=3)
    folder = layout.session(ready_study.root, "Rosa", later)
    (folder / layout.SESSION_INFO).unlink()
    write_session_info(ready_study, folder, SessionInfo(continues=first))

    moved = move_session(ready_study, "Rosa", first, "June", identities)
    assert moved.parts == (later,)  # not the third, a separate interview
    assert move_session(ready_study, "Rosa", later, "June", identities).parts == ()  # the first went ahead


def _resumed(study: Study) -> tuple[str, str, str]:
    """Rosa's interview in two parts (resumed after a lost input), and a separate interview of hers."""
    add_person(study, JUNE, sessions=0)
    first, later, separate = add_person(study, ROSA, sessions=3)
    folder = layout.session(study.root, "Rosa", later)
    (folder / layout.SESSION_INFO).unlink()
    write_session_info(study, folder, SessionInfo(continues=first))
    return first, later, separate


def test_with_parts_moves_every_part_of_the_interview_and_nothing_else(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    first, later, separate = _resumed(ready_study)
    args = ["session", "move", str(ready_study.root), "Rosa", later, "--to", "June", "--with-parts"]
    run = _cli(*args, "--passphrase-file", str(_secret(tmp_path)))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        f"moved session {first} from Rosa to June",
        f"moved session {later} from Rosa to June",
    ], run.stdout  # first part first, whichever was named; no note of parts left behind
    assert sorted(p.name for p in layout.participant(ready_study.root, "Rosa").iterdir() if p.is_dir()) == [separate]
    for session in (first, later):
        folder = layout.session(ready_study.root, "June", session)
        assert {p for _, p in _records(ready_study, folder, identities)} == {"June"}
    moves = [e["details"]["session"] for e in ready_study.audit.entries() if e["action"] == "session.move"]
    assert moves == [first, later]


def test_without_with_parts_the_cli_moves_the_one_part_and_names_the_flag(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    first, later, _separate = _resumed(ready_study)
    args = ["session", "move", str(ready_study.root), "Rosa", first, "--to", "June"]
    run = _cli(*args, "--passphrase-file", str(_secret(tmp_path)))
    assert run.returncode == 0, run.stderr
    assert f"note: {later} of Rosa belong(s) to the same interview" in run.stdout
    assert "(`--with-parts` moves every part)" in run.stdout
    assert layout.session(ready_study.root, "Rosa", later).is_dir()


def test_with_parts_refuses_in_one_line_and_moves_nothing_when_any_part_cannot_move(
    ready_study: Study, identities: list
) -> None:
    from fieldvault.sessionmove import move_interview
    from tests.unit.test_session_open import EDITOR, _files, _start

    first, later, _separate = _resumed(ready_study)
    layout.session(ready_study.root, "June", later).mkdir(parents=True)  # a clash for the second part
    before = _files(ready_study.root)
    with pytest.raises(BadInput, match=f"June has a session {later} already"):
        move_interview(ready_study, "Rosa", first, "June", identities)
    assert _files(ready_study.root) == before
    layout.session(ready_study.root, "June", later).rmdir()

    editor = _start(EDITOR, str(layout.session(ready_study.root, "Rosa", later)))  # open in another window
    try:
        assert editor.stdout is not None and editor.stdout.readline() == "open\n", editor.stderr
        with pytest.raises(BadInput, match=f"session {later} of Rosa is open in the editor, review or notes screen"):
            move_interview(ready_study, "Rosa", first, "June", identities)
    finally:
        editor.communicate("", timeout=30)
    assert layout.session(ready_study.root, "Rosa", first).is_dir()
    assert [m.session for m in move_interview(ready_study, "Rosa", first, "June", identities)] == [first, later]


def test_the_irb_report_lists_the_move_and_counts_earlier_exports_under_her_name(
    wrong: tuple[Study, str], identities: list, tmp_path: Path
) -> None:
    from datetime import date

    from fieldvault.export.run import Options, export
    from fieldvault.export.selection import Request
    from fieldvault.stewardship.report import build

    study, session = wrong
    export(study, identities, Options("txt"), tmp_path / "out", Request(include_unreviewed=True))
    move_session(study, "Rosa", session, "June", identities)
    text = build(study, identities, date(2026, 12, 1)).to_markdown()
    assert f"moved a session to another participant (re-sealing its records) | Rosa/{session} to June |" in text
    row = next(line for line in text.splitlines() if line.startswith(f"| June | {session} |"))
    assert row.rstrip().endswith("| 1 |"), row  # the export made while it was filed under Rosa


def test_a_move_under_way_in_another_process_is_left_to_it(wrong: tuple[Study, str], identities: list) -> None:
    import fcntl

    study, session = wrong
    staging = layout.session(study.root, "Rosa", session) / STAGING
    study.audit.append(BEGUN, pseudonym="June", session=session, moved_from="Rosa")  # signed, as a move begins
    staging.mkdir()
    (staging / "plan.json").write_bytes(
        json.dumps({"pseudonym": "Rosa", "to": "June", "session": session, "schema_version": 1}).encode()
    )
    mover = os.open(staging / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(mover, fcntl.LOCK_EX)  # as the process staging this move holds it
    try:
        Study.open(study.root).unlock(PASSPHRASE.encode())  # a later unlock finishes crashed moves only: this one runs
        assert staging.is_dir()
        with pytest.raises(BadInput, match="is being moved already"):
            move_session(study, "Rosa", session, "June", identities)
        assert staging.is_dir()
    finally:
        os.close(mover)  # the mover died before its commit: the lock goes with it
    Study.open(study.root).unlock(PASSPHRASE.encode())
    assert not staging.exists() and layout.session(study.root, "Rosa", session).is_dir()
    move_session(study, "Rosa", session, "June", identities)
    assert {p for _, p in _records(study, layout.session(study.root, "June", session), identities)} == {"June"}


# --- QA A1: a real move racing another command's open ---------------------------------------------

RACER = """
import os, sys, time
from pathlib import Path
from fieldvault import study as study_module
from fieldvault.sessionmove import move_session
signals = Path(sys.argv[3])

def wait_here():
    (signals / "paused").touch()
    while not (signals / "go").exists():
        time.sleep(0.02)

if sys.argv[4] == "staging":  # after the first re-sealed record, before the plan
    original = study_module.Study.write_new
    def write_new(*args, **kwargs):
        result = original(*args, **kwargs)
        if not (signals / "paused").exists():
            wait_here()
        return result
    study_module.Study.write_new = write_new
else:  # everything staged, just before the commit
    rename = os.rename
    def paused_rename(*args):
        wait_here()
        rename(*args)
    os.rename = paused_rename
study = study_module.Study.open(Path(sys.argv[1]))
moved = move_session(study, "Rosa", sys.argv[2], "June", study.unlock(os.environ["PASSPHRASE"].encode()))
print("moved", moved.resealed)
"""


@pytest.mark.parametrize("where", ["staging", "commit"])
def test_another_command_opening_the_study_during_a_real_move_leaves_it_to_finish(
    wrong: tuple[Study, str], identities: list, tmp_path: Path, where: str
) -> None:
    """QA A1: `fieldvault audit` in a second terminal while `session move` runs used to remove the staging,
    after which the commit still happened with records naming Rosa and no audit entry."""

    study, session = wrong
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PASSPHRASE": PASSPHRASE}
    mover = subprocess.Popen(
        [sys.executable, "-c", RACER, str(study.root), session, str(tmp_path), where],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "paused").exists():
            assert mover.poll() is None and time.monotonic() < deadline, mover.communicate()
            time.sleep(0.02)
        other = _cli("audit", str(study.root), "--passphrase-file", str(_secret(tmp_path)))  # a second terminal
        assert other.returncode == 0, other.stderr
        Study.open(study.root)  # and the TUI, or a scheduled check, opening it too
        assert (layout.session(study.root, "Rosa", session) / STAGING / "lock").is_file()
    finally:
        (tmp_path / "go").touch()
        out, err = mover.communicate(timeout=120)
    assert mover.returncode == 0 and out.startswith("moved 8"), out + err

    folder = layout.session(study.root, "June", session)
    assert not layout.session(study.root, "Rosa", session).exists() and not (folder / STAGING).exists()
    assert {p for _, p in _records(study, folder, identities)} == {"June"}
    assert Redactions.from_json(study.read(folder / layout.REDACTIONS, identities)).reviewed_by is None
    assert [e["details"]["moved_from"] for e in study.audit.entries() if e["action"] == "session.move"] == ["Rosa"]
    assert list(read_index(study.root)) == [f"June/{session}"]


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "pass"
    if not secret.exists():
        secret.write_text(PASSPHRASE + "\n")
        secret.chmod(0o600)
    return secret


# --- QA A2: an OS error during the move is one line ------------------------------------------------

FAILING = """
import errno, os, sys
from fieldvault.cli import main
call = os.rename if sys.argv[2] == "commit" else os.replace
def failing(*args):
    if not os.fspath(args[1]).startswith(sys.argv[1]):  # this computer's config folder (QA U9) is not the disk failing
        return call(*args)
    raise OSError(errno.EIO, "Input/output error", str(args[0]), str(args[1]))
if sys.argv[2] == "commit":
    os.rename = failing
else:
    os.replace = failing
sys.exit(main(["session", "move", sys.argv[1], "Rosa", sys.argv[3], "--to", "June", "--passphrase-file", sys.argv[4]]))
"""


@pytest.mark.parametrize(("where", "lands_with"), [("commit", "Rosa"), ("after-commit", "June")])
def test_an_os_error_during_the_move_is_one_line_that_says_what_happened_and_nothing_is_lost(
    wrong: tuple[Study, str], identities: list, tmp_path: Path, where: str, lands_with: str
) -> None:
    study, session = wrong
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", FAILING, str(study.root), where, session, str(_secret(tmp_path))],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and run.stdout == "", run
    assert run.stderr.startswith("fieldvault: error: ") and run.stderr.count("\n") == 1, run.stderr
    assert "Traceback" not in run.stderr and "Input/output error" in run.stderr
    if lands_with == "June":
        assert f"session {session} is June's now" in run.stderr and "run any fieldvault command" in run.stderr
    else:
        assert "nothing was moved" in run.stderr
        assert not (layout.session(study.root, "Rosa", session) / STAGING).exists()

    reopened = Study.open(study.root)  # the next command given the passphrase finishes what the error interrupted
    reopened.unlock(PASSPHRASE.encode())
    folder = layout.session(study.root, lands_with, session)
    assert not (folder / STAGING).exists()
    assert {p for _, p in _records(reopened, folder, identities)} == {lands_with}
    moves = [e for e in reopened.audit.entries() if e["action"] == "session.move"]
    assert len(moves) == (1 if lands_with == "June" else 0)
    assert list(read_index(study.root)) == [f"{lands_with}/{session}"]


# --- QA A7: a journal left without its lock -------------------------------------------------------


@pytest.mark.parametrize("sealed_already", [False, True])
def test_recover_gathers_a_leftover_journal_without_a_lock_so_the_session_can_move(
    ready_study: Study, identities: list, tmp_path: Path, sealed_already: bool
) -> None:
    from fieldvault.events import Event, EventJournal, load_events

    add_person(ready_study, JUNE, sessions=0)
    session = add_person(ready_study, ROSA, sessions=1)[0]
    folder = layout.session(ready_study.root, "Rosa", session)
    if not sealed_already:  # the lock was damaged and deleted by hand, as its error said
        (folder / layout.EVENTS).unlink()
    journal = EventJournal(ready_study, folder, SessionEvents("Rosa", session, {"rate": 16000}))
    journal.add(Event(1.5, "note", "she asked for water"))
    assert not (folder / layout.LOCK).exists()
    with pytest.raises(BadInput, match="run `fieldvault recover` first"):
        move_session(ready_study, "Rosa", session, "June", identities)

    run = _cli("recover", str(ready_study.root), "--passphrase-file", str(_secret(tmp_path)))
    assert run.returncode == 0, run.stderr
    assert f"participants/Rosa/{session}: its leftover timeline journal was sealed into events.json.age" in run.stdout
    assert not (folder / layout.EVENTS_JOURNAL).exists()
    notes = [e.text for e in load_events(ready_study, folder, identities).events]
    assert notes == (["she named Marisol Quintanilla"] if sealed_already else ["she asked for water"]), notes

    move_session(ready_study, "Rosa", session, "June", identities)
    assert layout.session(ready_study.root, "June", session).is_dir()


@pytest.mark.parametrize("keeping", [False, True])
def test_a_kit_never_brings_back_a_field_note_of_a_session_moved_to_a_participant_who_withdrew(
    ready_study: Study, identities: list, tmp_path: Path, keeping: bool
) -> None:
    """QA A0: the note written on the kit after the move used to be merged into the withdrawn Rosa's folder."""
    from fieldvault.kitmerge import merge_kit
    from fieldvault.stewardship.withdraw import withdraw, withdraw_keeping_deidentified

    for earlier in add_person(ready_study, ROSA, sessions=1 if keeping else 0):
        transcribe_and_review(ready_study, identities, ROSA, earlier)  # what a de-identified withdrawal keeps
        time.sleep(1.1)  # session ids are the second they began: the kit's must not be Rosa's
    kit = ready_study.make_field_kit(tmp_path / "kit")
    session = add_person(kit, LILY, sessions=1)[0]  # Rosa's interview, recorded on the kit under Lily
    merge_kit(ready_study, kit.root, identities)
    move_session(ready_study, "Lily", session, "Rosa", identities)
    add_field_note(kit, layout.session(kit.root, "Lily", session), "Written on the kit after the move.")
    if keeping:
        withdraw_keeping_deidentified(ready_study, "Rosa", identities)
    else:
        withdraw(ready_study, "Rosa")

    def held() -> list[str]:
        return sorted(str(p.relative_to(ready_study.root)) for p in layout.participants(ready_study.root).rglob("*"))

    before = held()

    report = merge_kit(ready_study, kit.root, identities)

    assert report.merged == []
    assert held() == before
    assert any(
        line.startswith(f"participants/Lily/{session}: the study moved this session to Rosa, who withdrew")
        for line in report.left_out
    ), report.left_out


def test_redact_after_a_move_says_the_decisions_carried_over_because_the_session_moved(
    wrong: tuple[Study, str], identities: list, tmp_path: Path
) -> None:
    """QA A16: it said "(the transcript changed)", which it had not."""
    from datetime import UTC, datetime

    from fieldvault.redact.review import store

    study, session = wrong
    folder = layout.session(study.root, "Rosa", session)
    said = Transcript.from_json(study.read(folder / layout.TRANSCRIPT, identities))
    decided = current(study, said, identities)  # her words reviewed while filed under Rosa
    for span in decided.spans:
        decided.decide(span.id, ACCEPTED, "reviewer", datetime(2026, 11, 25, tzinfo=UTC))
    store(study, decided, "redaction.decided")  # as the review screen stores a decision
    move_session(study, "Rosa", session, "June", identities)
    run = _cli("redact", str(study.root), "June", "--passphrase-file", str(_secret(tmp_path)))
    assert run.returncode == 0, run.stderr
    assert f"June/{session}: " in run.stdout and "carried over to confirm (the session moved from Rosa)" in run.stdout
    again = _cli("redact", str(study.root), "June", "--passphrase-file", str(_secret(tmp_path)))
    assert "moved from" not in again.stdout  # proposed for her now: the move is no longer the reason


def test_a_part_opened_elsewhere_after_the_first_moved_is_named_with_what_went(
    ready_study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every part is checked first, but another window may open one between two moves: say what went where."""
    from fieldvault import sessionmove
    from tests.unit.test_session_open import EDITOR, _start

    first, later, _separate = _resumed(ready_study)
    editors: list[subprocess.Popen[str]] = []
    move_one = sessionmove.move_session

    def then_opened_elsewhere(study: Study, pseudonym: str, session: str, to: str, keys: list) -> sessionmove.Moved:
        moved = move_one(study, pseudonym, session, to, keys)
        if not editors:
            editors.append(_start(EDITOR, str(layout.session(ready_study.root, "Rosa", later))))
            assert editors[0].stdout is not None and editors[0].stdout.readline() == "open\n"
        return moved

    monkeypatch.setattr(sessionmove, "move_session", then_opened_elsewhere)
    try:
        with pytest.raises(BadInput) as refused:
            sessionmove.move_interview(ready_study, "Rosa", first, "June", identities)
    finally:
        for editor in editors:
            editor.communicate("", timeout=30)
    assert str(refused.value).startswith(
        f"moved {first} to June, but not {later}: session {later} of Rosa is open in the editor, review or notes screen"
    )
    assert layout.session(ready_study.root, "June", first).is_dir()
    assert layout.session(ready_study.root, "Rosa", later).is_dir()
    assert [m.session for m in sessionmove.move_interview(ready_study, "Rosa", later, "June", identities)] == [later]


def test_a_recording_planted_in_a_staged_move_never_replaces_hers(ready_study: Study) -> None:
    """QA Y9: a `.moving/` planted in her session (no passphrase: a plan naming the session where it lies, and any
    recording sealed to the study's public key) made the next command of any kind put it over her recording, and
    record a move nobody made. No move the study key signed began there: nothing of it is used."""
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    hers = (folder / layout.AUDIO).read_bytes()
    staged = folder / STAGING / "files"
    staged.mkdir(parents=True)
    (staged / layout.AUDIO).write_bytes(b"age-encryption.org/v1 another recording")
    plan = {"pseudonym": "Iris", "to": "Rosa", "session": session, "schema_version": 1}
    (folder / STAGING / "plan.json").write_text(json.dumps(plan))
    told: list[str] = []
    previous = Study.listen(told.append)
    try:
        Study.open(ready_study.root).unlock(PASSPHRASE.encode())  # any command given the passphrase
    finally:
        Study.listen(previous)
    assert (folder / layout.AUDIO).read_bytes() == hers and (staged / layout.AUDIO).is_file()
    assert not [e for e in ready_study.audit.entries() if e["action"] == "session.move"]  # no move nobody made
    said = f"participants/Rosa/{session}/{STAGING}: no move the study key signed began there, so nothing of it was used"
    assert any(line.startswith(said) for line in told), told


def test_a_move_cut_off_after_its_commit_is_finished_signed_at_the_unlock_and_check_passes(
    wrong: tuple[Study, str], identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA Y4: a move cut off right after its commit (a dead battery) was finished by the next command even without
    the passphrase (`fieldvault audit`), its `session.move` entry unsigned: check then FAILED the session for ever as
    gone, and set the genuine entry aside as one someone else appended. Only a command holding the key finishes it."""
    from fieldvault import sessionmove
    from fieldvault.stewardship.check import check_study

    study, session = wrong
    before = _files_of(layout.session(study.root, "Rosa", session))

    def killed(*args: object, **kwargs: object) -> bool:
        raise KeyboardInterrupt  # the process dies right after the commit's rename

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):  # undo() would also drop FIELDVAULT_HOME
        patched.setattr(sessionmove, "_finish", killed)
        move_session(study, "Rosa", session, "June", identities)
    folder = layout.session(study.root, "June", session)
    Study.open(study.root)  # a command without the passphrase: nothing is finished
    assert (folder / STAGING).is_dir() and not logged(study, "session.move", "session")
    keyed = Study.open(study.root)
    keys = keyed.unlock(PASSPHRASE.encode())
    assert not (folder / STAGING).exists() and logged(keyed, "session.move", "session") == [{"session": session}]
    assert set(_files_of(folder)) == set(before) and {p for _, p in _records(keyed, folder, keys)} == {"June"}
    result = check_study(keyed, keys)
    assert result.ok, result.failures


def _files_of(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
