"""The reflexive journal, field notes and session kinds: encrypted, dated, readable only with the key."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fieldvault.errors import BadInput, LockedStudy
from fieldvault.events import Event, EventJournal, SessionEvents
from fieldvault.export.gate import Wanted, build
from fieldvault.export.selection import Request
from fieldvault.journal import add_entry, entry_names, list_entries
from fieldvault.memos import add_field_note, field_note_count, field_notes, recording_notes
from fieldvault.overview import SessionState, overview
from fieldvault.readiness import check_ready_for_field
from fieldvault.sessioninfo import (
    FIRST,
    FOLLOW_UP,
    MEMBER_CHECK,
    Reconfirmation,
    SessionInfo,
    load_session_info,
    write_session_info,
)
from fieldvault.study import Study
from tests.auditfields import logged
from tests.conftest import PASSPHRASE, fill_letter
from tests.stewardship import Person, add_person, transcribe_and_review


def test_journal_entries_are_dated_encrypted_and_numbered_within_a_day(study: Study, identities: list) -> None:
    day = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    now = [day]
    clocked = Study(study.root, study.config, lambda: now[0])
    for when, text in [
        (day, "I noticed I led her towards services.\n"),
        (day.replace(hour=17), "Second thought, same day."),
        (day.replace(day=26), "Next morning."),
    ]:
        now[0] = when
        add_entry(clocked, text)
    assert entry_names(study) == ["2026-11-25-1", "2026-11-25-2", "2026-11-26-1"]
    raw = (study.root / "journal" / "2026-11-25-1.md.age").read_bytes()
    assert raw.startswith(b"age-encryption.org/v1") and b"services" not in raw
    entries = list_entries(study, identities)
    assert [(e.date, e.written, e.text) for e in entries][:2] == [
        ("2026-11-25", "2026-11-25T09:30:00+00:00", "I noticed I led her towards services."),
        ("2026-11-25", "2026-11-25T17:30:00+00:00", "Second thought, same day."),
    ]
    assert logged(study, "journal.add", "name")[0] == {"name": "2026-11-25-1"}
    assert "services" not in (study.root / "audit.jsonl").read_text()


def test_journal_refuses_an_empty_entry_and_a_kit_cannot_read_its_own(study: Study, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="empty"):
        add_entry(study, "  \n")
    kit = fill_letter(study).make_field_kit(tmp_path / "kit")
    add_entry(kit, "written in the field")
    assert len(entry_names(kit)) == 1
    with pytest.raises(LockedStudy):
        list_entries(kit, [])


def test_the_same_file_added_twice_is_refused_naming_the_entry_and_an_edited_one_is_a_new_entry(
    study: Study, tmp_path: Path
) -> None:
    """qa25 QA10: `journal add` of the same file twice made two identical entries, where import refuses a file
    imported before. Adding needs no key, so the texts are not compared: the file, unchanged since, is."""
    text = tmp_path / "journal1.md"
    text.write_text("I kept thinking of my sister while Rose talked.")
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    run: dict = {"capture_output": True, "text": True, "env": env, "check": False}
    add = ["fieldvault", "journal", "add", str(study.root), "--text-file", str(text)]
    first = subprocess.run(add, **run)
    assert first.returncode == 0 and first.stdout.startswith("journal entry "), first.stderr
    (name,) = entry_names(study)
    again = subprocess.run(add, **run)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stderr.splitlines() == [
        f"fieldvault: error: {text} was added as journal entry {name} and has not changed since: nothing was added "
        "(a later thought is a new entry: write it in the file, or in another)"
    ]
    assert entry_names(study) == [name] and text.exists()
    with text.open("a") as more:
        more.write("\nLater: it was my own fear I heard.")
    edited = subprocess.run(add, **run)
    assert edited.returncode == 0, edited.stderr
    texts = [e.text for e in list_entries(study, study.unlock(PASSPHRASE.encode()))]
    assert texts == [
        "I kept thinking of my sister while Rose talked.",
        "I kept thinking of my sister while Rose talked.\nLater: it was my own fear I heard.",
    ]
    piped = subprocess.run([*add[:-1], "/dev/stdin"], input="A thought typed twice.", **run)
    piped_again = subprocess.run([*add[:-1], "/dev/stdin"], input="A thought typed twice.", **run)
    assert piped.returncode == piped_again.returncode == 0  # a pipe: nothing tells it again; typed twice, kept twice
    assert len(entry_names(study)) == 4


def test_a_copy_of_an_added_file_is_refused_where_the_study_key_compares_the_words(
    study: Study, tmp_path: Path
) -> None:
    """jour27's rest: the same words from a copy of the file (`cp`, or the note saved twice) made a second entry, as the
    file's identity was all that was compared. With the study key given, the words are compared with every entry."""
    text = tmp_path / "journal1.md"
    text.write_text("She asked me whether the recording would ever reach her cousin.\n")
    copy = tmp_path / "journal1 copy.md"
    copy.write_text(text.read_text())
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    run: dict = {"capture_output": True, "text": True, "env": env, "check": False, "stdin": subprocess.DEVNULL}
    add = ["fieldvault", "journal", "add", str(study.root), "--text-file"]
    assert subprocess.run([*add, str(text)], **run).returncode == 0
    (name,) = entry_names(study)
    again = subprocess.run([*add, str(copy)], **run)
    assert again.returncode == 1 and again.stderr.splitlines() == [
        f"fieldvault: error: {copy} holds the words of journal entry {name} already (a copy of its file?): nothing was "
        "added (a later thought is a new entry: write it in the file, or in another)"
    ], again.stderr
    assert entry_names(study) == [name] and copy.exists()
    shredded = subprocess.run([*add, str(copy), "--shred-original"], **run)
    assert shredded.returncode == 0 and f"{copy} holds the words of journal entry {name} already" in shredded.stdout
    assert entry_names(study) == [name] and not copy.exists()
    copy.write_text(text.read_text() + "Later: I should have said no.\n")  # new words: a new entry
    assert subprocess.run([*add, str(copy)], **run).returncode == 0 and len(entry_names(study)) == 2


def _at_a_terminal(args: list[str], typed: str, env: dict[str, str]) -> tuple[int, str]:
    """A command run in a terminal of its own (a pseudo-terminal), ``typed`` and Enter given when it asks for the
    passphrase; its status and what it showed."""
    import pty
    import select

    pid, terminal = pty.fork()
    if pid == 0:  # the child: the command, or nothing
        try:
            os.execvpe(args[0], args, env)  # noqa: S606 (the binary as a user starts it, no shell)
        finally:
            os._exit(127)
    shown = b""
    while select.select([terminal], [], [], 120)[0]:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the command ended: its terminal is gone
            break
        if not chunk:
            break
        shown += chunk
        if shown.endswith(b"Study passphrase: "):
            os.write(terminal, typed.encode() + b"\n")
    os.close(terminal)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def _rewritten_in_place(path: Path, text: str) -> None:
    """New words of as many bytes written into the same file, its time of change put back (`touch -r`, `cp -p`)."""
    was = path.stat()
    assert len(text.encode()) == was.st_size
    path.write_text(text)
    os.utime(path, ns=(was.st_atime_ns, was.st_mtime_ns))
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (was.st_ino, was.st_mtime_ns)


def test_a_file_rewritten_in_place_with_new_words_is_never_shredded_as_unchanged(study: Study, tmp_path: Path) -> None:
    """qa26 QB5: `journal add --shred-original` of a file rewritten in place (as many bytes, its time put back) said
    "has not changed since: not added again" and shredded it: the new words were in neither place. The file's
    identity, size and time only hint now; the words are compared with the entry where a key is at hand, and without
    one the file is kept and nothing added."""
    text = tmp_path / "j.md"
    text.write_text("entry one AAAA\n")
    keyed = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    keyless = {k: v for k, v in keyed.items() if k != "FIELDVAULT_PASSPHRASE"}
    run: dict = {"capture_output": True, "text": True, "check": False, "stdin": subprocess.DEVNULL}  # no terminal
    add = ["fieldvault", "journal", "add", str(study.root), "--text-file", str(text)]
    assert subprocess.run(add, env=keyless, **run).returncode == 0  # adding needs no key
    (first,) = entry_names(study)
    _rewritten_in_place(text, "entry one BBBB\n")
    unkeyed = subprocess.run([*add, "--shred-original"], env=keyless, **run)
    assert unkeyed.returncode == 1 and unkeyed.stdout == "", unkeyed.stdout + unkeyed.stderr
    assert unkeyed.stderr.splitlines() == [
        f"fieldvault: error: {text} looks unchanged since it was added as journal entry {first} (the same file, size "
        "and time of change), but its words cannot be compared without the study key: nothing was added and it was "
        f"kept: delete it yourself once sure it holds nothing new (`shred -u {text}`); if it holds new words, copy it "
        "to a new file and add that, or give the study passphrase (at a terminal, FIELDVAULT_PASSPHRASE or "
        "--passphrase-file) to have them compared"
    ]
    assert text.read_text() == "entry one BBBB\n" and entry_names(study) == [first]
    compared = subprocess.run([*add, "--shred-original"], env=keyed, **run)
    assert compared.returncode == 0 and compared.stdout.startswith("journal entry "), compared.stderr
    assert "overwrote and removed" in compared.stdout and not text.exists()
    identities = study.unlock(PASSPHRASE.encode())
    assert [e.text for e in list_entries(study, identities)] == ["entry one AAAA", "entry one BBBB"]
    text.write_text("entry two CCCC\n")  # the plain case: added before, unchanged, removed and not added again
    assert subprocess.run(add, env=keyless, **run).returncode == 0
    unchanged = subprocess.run([*add, "--shred-original"], env=keyed, **run)
    assert unchanged.returncode == 0 and not text.exists(), unchanged.stderr
    assert unchanged.stdout.startswith(f"{text} was added as journal entry {entry_names(study)[-1]} and has not chan")
    assert [e.text for e in list_entries(study, identities)] == ["entry one AAAA", "entry one BBBB", "entry two CCCC"]
    text.write_text("entry three FFFF\n")  # at a terminal the passphrase is asked for
    assert subprocess.run(add, env=keyless, **run).returncode == 0
    code, shown = _at_a_terminal([*add, "--shred-original"], PASSPHRASE, keyless)
    assert code == 0 and not text.exists(), shown
    assert f"{text} looks unchanged since it was added as journal entry {entry_names(study)[-1]}: the study " in shown
    assert "Study passphrase: " in shown and "not added again" in shown and len(entry_names(study)) == 4
    kit = fill_letter(study).make_field_kit(tmp_path / "kit")  # a kit can never compare: it keeps the file
    text.write_text("kit entry DDDD\n")
    on_kit = ["fieldvault", "journal", "add", str(kit.root), "--text-file", str(text)]
    assert subprocess.run(on_kit, env=keyless, **run).returncode == 0
    _rewritten_in_place(text, "kit entry EEEE\n")
    kept = subprocess.run([*on_kit, "--shred-original"], env=keyed, **run)
    assert kept.returncode == 1 and len(kept.stderr.splitlines()) == 1, kept.stderr
    assert "nothing was added and it was kept" in kept.stderr and "passphrase" not in kept.stderr
    assert text.read_text() == "kit entry EEEE\n" and len(entry_names(kit)) == 1


def test_field_notes_append_and_read_back_with_recording_notes_in_time_order(study: Study, identities: list) -> None:
    folder = study.root / "participants" / "Rose" / "20261125-100000"
    folder.mkdir(parents=True)
    add_field_note(study, folder, "She came with her sister; quiet room.")
    add_field_note(study, folder, "Later: she phoned to add a detail.")
    assert field_note_count(folder) == 2
    assert [n.text for n in field_notes(study, folder, identities)] == [
        "She came with her sister; quiet room.",
        "Later: she phoned to add a detail.",
    ]
    journal = EventJournal(study, folder, SessionEvents("Rose", folder.name, {}))
    journal.add(Event(0.0, "prompt", "p", 0))
    journal.add(Event(30.0, "break", "distress"))
    journal.add(Event(12.5, "note", "long pause"))  # begun at 12.5 s, saved after the break
    journal.close({})
    assert [(n.at, n.kind, n.text) for n in recording_notes(study, folder, identities)] == [
        (12.5, "note", "long pause"),
        (30.0, "break", "distress"),
    ]


def test_session_kind_is_sealed_and_indexed_for_a_locked_home_screen(study: Study, identities: list) -> None:
    folder = study.root / "participants" / "Rose" / "20261125-100000"
    folder.mkdir(parents=True)
    study.write_new(folder / "audio.wav.age", b"")
    again = Reconfirmation("verbal consent confirmed again", "abc", "2026-11-25T10:00:00+00:00")
    write_session_info(study, folder, SessionInfo(FOLLOW_UP, again))
    assert load_session_info(study, folder, identities) == SessionInfo(
        FOLLOW_UP, again, pseudonym="Rose", session=folder.name
    )
    assert json.loads((study.root / "sessions.json").read_text())["sessions"] == {
        "Rose/20261125-100000": {"kind": "follow-up", "state": "", "continues": ""}
    }
    (summary,) = overview(study)[0].sessions
    assert summary.kind == "follow-up" and summary.state == SessionState.RECORDED


def test_a_kit_knows_the_study_sessions_without_any_key(study: Study, tmp_path: Path) -> None:
    folder = study.root / "participants" / "Rose" / "20261124-100000"
    folder.mkdir(parents=True)
    study.write_new(folder / "audio.wav.age", b"")
    study.write_new(folder / "transcript.json.age", b"{}")
    kit = fill_letter(study).make_field_kit(tmp_path / "kit")
    (person,) = overview(kit)
    (summary,) = person.sessions
    assert (summary.session, summary.state, summary.in_study) == (
        "20261124-100000",
        SessionState.TRANSCRIBED,
        True,
    )
    # nothing of the session itself travels; only her random id, so her next session merges into her folder
    assert [p.name for p in (kit.root / "participants" / "Rose").iterdir()] == ["participant.id"]


def test_exported_without_review_and_cut_off_sessions_say_so(study: Study) -> None:
    rose = study.root / "participants" / "Rose" / "20261124-100000"
    rose.mkdir(parents=True)
    study.write_new(rose / "transcript.json.age", b"{}")
    study.audit.append("export", pseudonym="Rose", session=rose.name, format="txt")
    lily = study.root / "participants" / "Lily" / "20261124-100000"
    lily.mkdir(parents=True)
    study.write_new(lily / "audio.wav.age", b"")
    (lily / "recording.lock").write_text(json.dumps({"pid": 2**22 + 7, "host": "elsewhere"}))
    states = {p.pseudonym: p.sessions[0].state for p in overview(study)}
    assert states == {"Lily": SessionState.INTERRUPTED, "Rose": SessionState.EXPORTED_UNREVIEWED}


def test_a_kit_is_not_built_from_an_unfilled_letter(study: Study, tmp_path: Path) -> None:
    with pytest.raises(BadInput) as caught:
        check_ready_for_field(study)
    assert "pi_name" in str(caught.value) and "support" in str(caught.value) and "[" not in str(caught.value)
    check_ready_for_field(fill_letter(study))


def test_journal_cli_adds_and_lists(study: Study, tmp_path: Path) -> None:
    text = tmp_path / "entry.md"
    text.write_text("Reading Rose's transcript again, I hear my own hurry.")
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    run: dict = {"capture_output": True, "text": True, "env": env, "check": False}
    added = subprocess.run(["fieldvault", "journal", "add", str(study.root), "--text-file", str(text)], **run)
    assert added.returncode == 0, added.stderr
    listed = subprocess.run(["fieldvault", "journal", "list", str(study.root)], **run)
    assert listed.returncode == 0 and "my own hurry" in listed.stdout
    # QA R5: the file, her names in the researcher's words, was left in plaintext without a word
    warned = [line for line in added.stderr.splitlines() if line.startswith("warning:")]
    assert len(warned) == 1 and f"{text} still hold the entry in plaintext" in warned[0] and "shred -u" in warned[0]
    assert text.exists()
    shredded = subprocess.run(
        ["fieldvault", "journal", "add", str(study.root), "--text-file", str(text), "--shred-original"], **run
    )
    assert shredded.returncode == 0 and "overwrote and removed" in shredded.stdout and not text.exists()
    assert listed.stdout.count("my own hurry") == 1
    listed = subprocess.run(["fieldvault", "journal", "list", str(study.root)], **run)
    assert listed.stdout.count("my own hurry") == 1  # the entry holds it: removed, as the warning said, not added again
    text.write_text("Reading Rose's transcript again, I hear my own hurry.")
    shredded = subprocess.run(
        ["fieldvault", "journal", "add", str(study.root), "--text-file", str(text), "--shred-original"], **run
    )
    assert shredded.returncode == 0 and "overwrote and removed" in shredded.stdout and not text.exists()
    assert "holds the words of journal entry" in shredded.stdout  # written again, in a new file: compared (jour27)
    listed = subprocess.run(["fieldvault", "journal", "list", str(study.root)], **run)
    assert listed.stdout.count("my own hurry") == 1  # the entry holds it: removed, not added a second time
    missing = subprocess.run(["fieldvault", "journal", "add", str(study.root), "--text-file", "/nowhere"], **run)
    assert missing.returncode == 1 and missing.stderr.startswith("fieldvault: error: cannot read /nowhere")
    kit = subprocess.run(["fieldvault", "field-kit", str(study.root), str(tmp_path / "kit")], **run)
    assert kit.returncode == 1 and "pi_name" in kit.stderr and "Traceback" not in kit.stderr


def test_battery_is_read_where_the_kernel_reports_one(tmp_path: Path) -> None:
    from fieldvault.capture.devices import Battery, read_battery

    assert read_battery(tmp_path / "nowhere") is None
    mains = tmp_path / "AC"
    mains.mkdir()
    (mains / "type").write_text("Mains\n")
    assert read_battery(tmp_path) is None
    bat = tmp_path / "BAT0"
    bat.mkdir()
    (bat / "type").write_text("Battery\n")
    (bat / "capacity").write_text("12\n")
    (bat / "status").write_text("Discharging\n")
    assert read_battery(tmp_path) == Battery(12, False) and Battery(12, False).low
    (bat / "status").write_text("Charging\n")
    assert read_battery(tmp_path) == Battery(12, True) and not Battery(12, True).low


def test_import_and_record_from_the_cli_can_say_which_kind_of_session(study: Study, tmp_path: Path) -> None:
    import wave

    import numpy as np

    from fieldvault.participants import ConsentRecord, add_participant
    from tests.conftest import ANSWERS

    add_participant(study, "Rose", dict(ANSWERS), ConsentRecord("letter; verbal", "v", "v", "t"), [])

    def recording(n: int) -> Path:  # a file of its own each time: one imported before is refused (QA J12)
        audio = tmp_path / f"handheld{n}.wav"
        with wave.open(str(audio), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(16000)
            out.writeframes((np.sin(np.arange(16000) * 0.05 * (n + 1)) * 8000).astype(np.int16).tobytes())
        return audio

    env = {**os.environ, "FIELDVAULT_ACTOR": "tester", "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    said = []
    for n, extra in enumerate(([], ["--kind", "member-check"], [])):
        audio = recording(n)
        done = subprocess.run(
            ["fieldvault", "import", str(study.root), "Rose", str(audio), *extra],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        said.append("recorded as a follow-up" in done.stderr and "--kind member-check" in done.stderr)
    assert said == [False, False, True]
    bad = subprocess.run(["fieldvault", "import", str(study.root), "Rose", str(recording(3)), "--kind", "chat"],
                         env=env, capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 2 and "invalid choice: 'chat'" in bad.stderr
    (person,) = overview(Study.open(study.root))  # locked: the kind comes from the index
    # QA H6: not given, her first session is a first interview and a later one a follow-up (said), as on the home
    # screen, in the kit's index and in exports
    assert [s.kind for s in person.sessions] == [FIRST, MEMBER_CHECK, FOLLOW_UP]
    folder = study.root / "participants" / "Rose" / person.sessions[2].session
    assert load_session_info(study, folder, study.unlock(PASSPHRASE.encode())).kind == FOLLOW_UP
    kit = Study.open(study.root).make_field_kit(tmp_path / "kit")  # holds her earlier sessions in its index only
    done = subprocess.run(["fieldvault", "import", str(kit.root), "Rose", str(recording(4))], env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0 and "recorded as a follow-up (3 earlier session(s)" in done.stderr, done.stderr
    (on_kit,) = [s for s in overview(Study.open(kit.root))[0].sessions if s.session not in {
        p.session for p in person.sessions}]  # fmt: skip
    assert on_kit.kind == FOLLOW_UP


def test_a_name_on_a_list_that_is_an_everyday_word_leaves_no_export_of_the_journal(
    study: Study, identities: list
) -> None:
    """QA Z8: the study scrub spares a single everyday word on one woman's list ("Faith", her daughter) in other women's
    transcripts; the journal, the researcher's words about every woman, let it out beside her pseudonym."""
    (session,) = add_person(study, Person("Rosa", ("Faith", "Hope", "Tucson"), "Faith was nine."))
    transcribe_and_review(study, identities, Person("Rosa", ("Faith",), "Faith was nine."), session)
    add_entry(
        study, "Rosa told me Faith is nine now. I keep thinking about HOPE in that motel; rosa said faith's school."
    )
    memos = build(study, identities, Request(), Wanted(memos=True)).bundle.memos
    (memo,) = [m for m in memos if m.title.startswith("Journal")]
    assert "faith" not in memo.text.lower() and "hope" not in memo.text.lower(), memo.text
    assert "Rosa told me" in memo.text and "in that motel" in memo.text


def test_a_name_on_another_womans_list_that_is_an_everyday_word_leaves_no_field_note(
    study: Study, identities: list
) -> None:
    """QA AA6: Z8's fix covered the journal only: "Faith" (on Rosa's list) went out in a field note of Iris's session
    in a qdpx export with memos. Field notes are free text no reviewer reads, as the journal is."""
    (session,) = add_person(study, Person("Rosa", ("Faith", "Tucson"), "Faith was nine."))
    transcribe_and_review(study, identities, Person("Rosa", ("Faith",), "Faith was nine."), session)
    (hers,) = add_person(study, Person("Iris", ("Fresno",), "We met in Fresno."))
    transcribe_and_review(study, identities, Person("Iris", ("Fresno",), "We met in Fresno."), hers)
    add_field_note(study, study.root / "participants" / "Iris" / hers, "Iris knows Faith from the shelter; quiet room.")
    memos = build(study, identities, Request(), Wanted(memos=True)).bundle.memos
    (note,) = [m for m in memos if m.title.startswith("Field notes")]
    assert "faith" not in note.text.lower() and "quiet room" in note.text, note.text


def test_journal_entries_leave_numbered_with_no_date(study: Study, identities: list) -> None:
    """QA Z12: a journal note went out as "Journal 2026-11-28-1" with its time to the second, beside what it says of
    her by pseudonym: her interview day. Sessions leave numbered and field notes undated; so does the journal."""
    (session,) = add_person(study, Person("Rosa", ("Tucson",), "We met in Tucson."))
    transcribe_and_review(study, identities, Person("Rosa", ("Tucson",), "We met in Tucson."), session)
    add_entry(study, "Rosa's interview today.")
    add_entry(study, "Rosa again.")
    memos = build(study, identities, Request(), Wanted(memos=True)).bundle.memos
    said = [m.title for m in memos if m.title.startswith("Journal")]
    assert said == ["Journal entry 1", "Journal entry 2"], said
    assert all("2026" not in m.title for m in memos)
