"""`backup` destroys in a backup only what the study's audit log records as gone, and never lets an older copy of
the study destroy or replace what the backup holds (QA Q11): the real `fieldvault` binary, real age files."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fieldvault import layout
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, ROOT, need
from tests.stewardship import JUNE, ROSA, add_person, transcribe_and_review

OLDER = "is an older copy of the study than the backup in"


def _fieldvault(*args: str, rc: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["fieldvault", *args], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == rc, done.stderr
    assert "Traceback" not in done.stderr
    if rc:
        assert done.stderr.splitlines()[-1].startswith("fieldvault: error: ")  # one line, after any progress bar
    return done


@pytest.fixture
def study(ready_study: Study, identities: list) -> Study:
    for person in (ROSA, JUNE):
        sessions = add_person(ready_study, person, sessions=2, seconds=2.0)
        transcribe_and_review(ready_study, identities, person, sessions[0])
    return ready_study


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".fieldvault-backup.json"
    }


def _files(root: Path) -> dict[str, str]:
    """The study's data files: what a backup of it must hold, byte for byte (the log differs by the backup's entry)."""
    return {k: v for k, v in _tree(root).items() if k != "audit.jsonl"}


def _wav(path: Path, seconds: float = 2.0) -> Path:
    tone = (np.sin(np.arange(int(16000 * seconds)) * 0.07) * 6000).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(tone.tobytes())
    return path


def _import(root: Path, pseudonym: str, tmp_path: Path, unlock: list[str]) -> str:
    before = {p.name for p in (root / "participants" / pseudonym).iterdir()}
    _fieldvault("import", str(root), pseudonym, str(_wav(tmp_path / f"{os.urandom(4).hex()}.wav")), *unlock)
    [made] = {p.name for p in (root / "participants" / pseudonym).iterdir()} - before
    return made


@contextlib.contextmanager
def _on_the_desktop(tmp_path: Path) -> Iterator[None]:
    """Commands run on a second computer: its own config folder (each remembers how far a study's log went, QA U9:
    on one computer the copy whose log forked from the one it saw is refused)."""
    with pytest.MonkeyPatch.context() as there:
        there.setenv("FIELDVAULT_HOME", str(tmp_path / "desktop-home"))
        yield


def _destroyed(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stdout.splitlines() if line.startswith("destroyed in the backup")]


AWAITING = ".awaiting-authentication"  # where a backup without the key sets aside what the log says went (QA T13)
WAITING = "file(s) the study's log says were removed wait for `fieldvault backup"


def _aside(dest: Path) -> dict[str, str]:
    """What a backup holds set aside, by the path the study had it at."""
    return {k.split("/", 1)[1]: v for k, v in _tree(dest).items() if k.startswith(f"{AWAITING}/")}


def _placed(dest: Path) -> dict[str, str]:
    """What a backup holds in its places (not set aside), as ``_files``."""
    return {k: v for k, v in _files(dest).items() if not k.startswith(f"{AWAITING}/")}


def _follow(root: str, dest: Path, unlock: list[str], rc: int = 0) -> subprocess.CompletedProcess[str]:
    """QA T13: the scheduled backup (no passphrase) destroys nothing the log records gone: it sets each such file
    aside in the backup, as it was, and says so in one line; the steward's `backup` with the passphrase then destroys
    them, naming each. The second run's output."""
    before = _tree(dest)
    keyless = _fieldvault("backup", root, str(dest), rc=rc)
    aside = _aside(dest)
    assert not _destroyed(keyless) and aside and all(before[k] == v for k, v in aside.items()), keyless.stdout
    assert not any((dest / k).exists() for k in aside)
    assert [line for line in keyless.stdout.splitlines() if WAITING in line] == [
        f"{len(aside)} {WAITING} {root} {dest} --authenticate`: without the passphrase no removal is destroyed, only "
        f"set aside in {dest / AWAITING}"
    ]
    done = _fieldvault("backup", root, str(dest), *unlock, rc=rc)
    assert sorted(line.rsplit(": ", 1)[1] for line in _destroyed(done)) == sorted(aside), done.stdout
    assert not (dest / AWAITING).exists() and WAITING not in done.stdout
    return done


def _actions(root: Path) -> list[str]:
    return [json.loads(line)["action"] for line in (root / "audit.jsonl").read_text().splitlines()]


def test_a_backup_from_an_older_copy_of_the_study_destroys_and_replaces_nothing(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA Q11: the study copied to a second machine (or an older copy restored), a new interview imported into the
    newer one and backed up; then the routine backup from the older copy destroyed the new interview in the backup
    ("no longer in the study"), warned that the study's log lacked 2 entries, put them back, and exited 0."""
    dest, old = tmp_path / "usb", tmp_path / "laptop"
    _fieldvault("backup", str(study.root), str(dest))
    shutil.copytree(study.root, old)  # the older copy
    new = _import(study.root, "June", tmp_path, unlock)
    _fieldvault("recover", str(study.root), *unlock)  # every recording re-sealed: newer versions of older files
    _fieldvault("backup", str(study.root), str(dest))
    held, log = _tree(dest), _actions(old)
    assert f"participants/June/{new}/audio.wav.age" in held
    changed = [k for k, v in _files(old).items() if held.get(k) != v]
    assert sum(k.endswith("/audio.wav.age") for k in changed) == 4  # the older copy holds the earlier versions
    for _ in range(2):  # refused, and refused again: the sign persists (it was put back into the log and gone)
        done = _fieldvault("backup", str(old), str(dest), rc=1)
        said = done.stderr.splitlines()[-1]
        assert OLDER in said and "(from 20" in said and "import, recover" in said
        assert "Back up from the newest copy" in said and "new empty folder" in said
        assert _tree(dest) == held and _actions(old) == log  # nothing destroyed, replaced, or restored into its log
        assert not _destroyed(done)
    # the newest copy backs up as ever; the older one goes on to a folder of its own, as said
    done = _fieldvault("backup", str(study.root), str(dest))
    assert "0 destroyed" in done.stdout and _files(dest) == _files(study.root)
    _fieldvault("backup", str(old), str(tmp_path / "usb-laptop"))
    assert _files(tmp_path / "usb-laptop") == _files(old)


def test_a_backup_made_before_markers_kept_the_log_head_still_refuses_an_older_copy(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """Backup disks written by the fieldvault before this one (marker schema 2, no log head): the last backup's own
    entry is found in the backup's log instead."""
    dest, old = tmp_path / "usb", tmp_path / "laptop"
    _fieldvault("backup", str(study.root), str(dest))
    shutil.copytree(study.root, old)
    _import(study.root, "June", tmp_path, unlock)
    _fieldvault("backup", str(study.root), str(dest))
    marker = json.loads((dest / ".fieldvault-backup.json").read_text())
    for field in ("log_head", "replaced"):
        del marker[field]
    (dest / ".fieldvault-backup.json").write_text(json.dumps({**marker, "schema_version": 2}))
    held = _tree(dest)
    done = _fieldvault("backup", str(old), str(dest), rc=1)
    # the newer log's import, backup and the first keyed unlock's vouching for her sessions' files (QA T11)
    assert OLDER in done.stderr and "lacks 3 entries" in done.stderr and _tree(dest) == held
    _fieldvault("backup", str(study.root), str(dest))  # the newest copy: brought up to date, the marker too
    assert json.loads((dest / ".fieldvault-backup.json").read_text())["log_head"]


def test_two_copies_backing_up_to_one_folder_in_turn_never_feed_each_other(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA Q11's rest: a laptop and a desktop copy, each with work of its own, backed up to one disk in turn: each
    backup put the other's "missing" entries into its log as restored, and destroyed the other's work."""
    dest, desk = tmp_path / "usb", tmp_path / "desktop"
    _fieldvault("backup", str(study.root), str(dest))
    shutil.copytree(study.root, desk)
    laptop_new = _import(study.root, "Rosa", tmp_path, unlock)
    with _on_the_desktop(tmp_path):
        desk_new = _import(desk, "June", tmp_path, unlock)
    for _ in range(2):
        _fieldvault("backup", str(study.root), str(dest))
        assert f"participants/Rosa/{laptop_new}/audio.wav.age" in _tree(dest)
        held, log = _tree(dest), _actions(desk)
        with _on_the_desktop(tmp_path):
            done = _fieldvault("backup", str(desk), str(dest), rc=1)
        assert OLDER in done.stderr and _tree(dest) == held and _actions(desk) == log
        assert not (dest / "participants" / "June" / desk_new).exists()
    for root in (study.root, desk):
        actions = _actions(root)
        assert "audit.restored-from-backup" not in actions and "backup.entry" not in actions
    assert _actions(study.root).count("backup") == 3 and _actions(desk).count("backup") == 1


def test_a_log_cut_short_by_hand_is_refused_every_time(study: Study, unlock: list[str], tmp_path: Path) -> None:
    """QA J2's rest, now: the study's log cut short (a decrypt erased from it) reads as an older copy: refused, the
    backup's log (which holds the erased entries) kept, and nothing put back into the study's log."""
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    out = tmp_path / "rosa.json"
    _fieldvault("decrypt", str(study.root), "participants/Rosa/profile.json.age", "--out", str(out), *unlock)
    _fieldvault("backup", str(study.root), str(dest))
    lines = study.audit.path.read_bytes().splitlines(keepends=True)
    study.audit.path.write_bytes(b"".join(lines[:-2]))  # the decrypt and the backup entry after it
    kept = (dest / "audit.jsonl").read_bytes()
    for _ in range(2):
        done = _fieldvault("backup", str(study.root), str(dest), rc=1)
        assert "lacks 2 entries" in done.stderr and "decrypt, backup" in done.stderr
        assert (dest / "audit.jsonl").read_bytes() == kept
        assert study.audit.path.read_bytes() == b"".join(lines[:-2])


def test_a_session_deleted_by_hand_is_kept_in_the_backup_named_once_and_restored_as_said(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    session = sorted((study.root / "participants" / "June").glob("20*"))[1]
    files = sorted(p.name for p in session.iterdir())
    shutil.rmtree(session)  # by hand: nothing in the log says it went
    for _ in range(2):  # a command run twice: kept both times, said both times
        done = _fieldvault("backup", str(study.root), str(dest), rc=1)
        named = [line for line in done.stderr.splitlines() if "kept in the backup, not in the study" in line]
        assert len(named) == 1, done.stderr  # the session, once: not each of its files
        assert f"participants/June/{session.name}/ (a session of June: {len(files)} file(s))" in named[0]
        assert sorted(p.name for p in (dest / "participants" / "June" / session.name).iterdir()) == files
        assert not _destroyed(done) and f"{len(files)} file(s) in {dest} are not in the study" in done.stderr
    restore = named[0].split("to restore it: ")[1]
    subprocess.run(shlex.split(restore), check=True)  # the command as printed
    assert sorted(p.name for p in session.iterdir()) == files
    _fieldvault("check", str(study.root), *unlock)
    _fieldvault("backup", str(study.root), str(dest))
    # gone on purpose, the audited way: the backup follows
    _fieldvault("session", "remove", str(study.root), "June", session.name, "--confirm", session.name, *unlock)
    _fieldvault("report", str(study.root), "--out", str(tmp_path / "irb.md"), *unlock)  # the IRB report says so
    assert "still holds data destroyed since (the removal of a session)" in (tmp_path / "irb.md").read_text()
    done = _fieldvault("backup", str(study.root), str(dest))  # a scheduled one, without the passphrase (QA T13)
    assert not _destroyed(done) and sorted(_aside(dest)) == [f"participants/June/{session.name}/{f}" for f in files]
    _fieldvault("report", str(study.root), "--out", str(tmp_path / "irb1.md"), *unlock)  # the IRB report says so
    assert (
        f"still holds {len(files)} file(s) the study's log says were destroyed, set aside until `fieldvault backup "
        "--authenticate` runs to it" in (tmp_path / "irb1.md").read_text()
    )
    done = _fieldvault("backup", str(study.root), str(dest), *unlock)
    assert len(_destroyed(done)) == len(files) and all("(session.remove on 20" in d for d in _destroyed(done))
    assert _files(dest) == _files(study.root)
    _fieldvault("report", str(study.root), "--out", str(tmp_path / "irb2.md"), *unlock)
    assert "still holds" not in (tmp_path / "irb2.md").read_text()


def test_withdrawal_then_backup_destroys_her_files_in_the_backup_and_again_destroys_nothing(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """The promise of withdrawal holds in the backup: every file of hers, her folder too, and nothing of June's."""
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    hers = sorted(k for k in _tree(dest) if k.startswith("participants/Rosa/"))
    _fieldvault("withdraw", str(study.root), "Rosa", "--confirm", "Rosa", *unlock)
    done = _follow(str(study.root), dest, unlock)
    assert sorted(line.rsplit(": ", 1)[1] for line in _destroyed(done)) == hers
    assert all("(withdraw on 20" in line for line in _destroyed(done))
    assert not (dest / "participants" / "Rosa").exists() and _files(dest) == _files(study.root)
    for key in ([], unlock):  # run again, without the passphrase and with it: nothing more to destroy or set aside
        done = _fieldvault("backup", str(study.root), str(dest), *key)
        assert not _destroyed(done) and "0 destroyed" in done.stdout and WAITING not in done.stdout


def test_retention_then_backup_destroys_the_audio_then_everything_in_the_backup(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    dest, root = tmp_path / "usb", str(study.root)
    _fieldvault("backup", root, str(dest))
    _fieldvault("retention", root, "--years", "5", "--study-ends", "2027-06-30", "--audio-after-review", "0", *unlock)
    _fieldvault("retention", root, "--destroy", "--confirm", "destroy", *unlock)
    done = _follow(root, dest, unlock)
    gone = sorted(line.rsplit(": ", 1)[1] for line in _destroyed(done))
    assert len(gone) == 2 and all(g.endswith("/audio.wav.age") for g in gone)
    assert all("(retention.destroy on 20" in line for line in _destroyed(done))
    assert _files(dest) == _files(study.root)
    _fieldvault("retention", root, "--years", "1", "--study-ends", "2020-01-01", *unlock)
    _fieldvault("retention", root, "--destroy", "--confirm", "destroy", *unlock)
    done = _follow(root, dest, unlock)
    assert _files(dest) == _files(study.root)
    assert not list(dest.glob("participants/*")) and not (dest / "sessions.json").exists()
    assert (dest / "keys" / "study.age").is_file() and all("retention.destroy" in d for d in _destroyed(done))


def test_a_session_moved_and_a_participant_renamed_move_in_the_backup_too(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    dest = tmp_path / "usb"
    session = _import(study.root, "June", tmp_path, unlock)  # no session of Rosa's started in the same second
    _fieldvault("backup", str(study.root), str(dest))
    _fieldvault("session", "move", str(study.root), "June", session, "--to", "Rosa", *unlock)
    done = _follow(str(study.root), dest, unlock)
    assert _destroyed(done) and all("(session.move on 20" in line for line in _destroyed(done))
    assert (
        not (dest / "participants" / "June" / session).exists() and (dest / "participants" / "Rosa" / session).is_dir()
    )
    assert _files(dest) == _files(study.root)
    made = dest / "participants" / "Rosa" / "20261126-170000" / "audio.wav.age"  # recorded into the backup (QA H4)
    made.parent.mkdir()
    shutil.copy2(dest / "participants" / "Rosa" / session / "audio.wav.age", made)
    _fieldvault("participant", "rename", str(study.root), "Rosa", "Paloma", *unlock)
    done = _follow(str(study.root), dest, unlock, rc=1)
    assert _destroyed(done) and all("(participant.rename on 20" in line for line in _destroyed(done))
    assert f"kept in the backup, never in the study: {made.relative_to(dest)}" in done.stderr and made.is_file()
    assert sorted(p.name for p in (dest / "participants" / "Rosa").rglob("*") if p.is_file()) == ["audio.wav.age"]
    shutil.rmtree(made.parent.parent)  # moved out of the backup by its owner, as the error says
    _fieldvault("backup", str(study.root), str(dest))
    assert _files(dest) == _files(study.root)
    assert _fieldvault("check", str(dest), *unlock).returncode == 0


def test_an_earlier_version_put_back_into_the_study_never_replaces_the_newer_one_in_the_backup(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """A file copied back into the study from an older backup (or an older copy) by hand: the log holds every entry,
    yet the file is an encryption the backup replaced since. Re-wraps (the same payload) still go through."""
    dest, drawer = tmp_path / "usb", tmp_path / "drawer"
    _fieldvault("backup", str(study.root), str(drawer))
    _fieldvault("backup", str(study.root), str(dest))
    audio = sorted(str(p.relative_to(study.root)) for p in study.root.glob("participants/June/*/audio.wav.age"))[0]
    done = _fieldvault("recover", str(study.root), *unlock)  # re-sealed in place: WAVs that state their length
    assert f"{audio}: complete; re-sealed" in done.stdout
    _fieldvault("backup", str(study.root), str(dest))
    newer = (dest / audio).read_bytes()
    assert newer != (drawer / audio).read_bytes()
    shutil.copy2(drawer / audio, study.root / audio)  # the drawer's earlier version put back by hand
    then = (dest / audio).stat().st_mtime_ns  # the same size, and the same time: no mtime tells them apart
    os.utime(study.root / audio, ns=(then, then))
    for _ in range(2):
        done = _fieldvault("backup", str(study.root), str(dest), rc=1)
        assert f"kept the backup's newer copy of {audio}: the study's copy is an earlier version" in done.stderr
        assert (dest / audio).read_bytes() == newer and "1 study file(s) are earlier versions" in done.stderr
    restore = done.stderr.split("to restore the newer one: ")[1].splitlines()[0]
    subprocess.run(shlex.split(restore), check=True)  # the command as printed
    assert (study.root / audio).read_bytes() == newer
    _fieldvault("backup", str(study.root), str(dest))
    _fieldvault("keys", "rewrap", str(study.root), "--share", *unlock)  # headers only, the payloads kept
    _fieldvault("backup", str(study.root), str(dest))
    assert _files(dest) == _files(study.root)


def _killed_backup(study: Study, dest: Path, after: int) -> None:
    """`backup` in a process of its own, killed with SIGKILL (no cleanup runs) after ``after`` progress steps."""
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from fieldvault.study import Study\n"
        "from fieldvault.stewardship.backup import backup\n"
        "steps = 0\n"
        "def step(fraction):\n"
        "    global steps\n"
        "    steps += 1\n"
        "    if steps == int(sys.argv[3]):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "backup(Study.open(Path(sys.argv[1])), Path(sys.argv[2]), step)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, str(study.root), str(dest), str(after)], env=env, check=False)
    assert done.returncode == -signal.SIGKILL


def test_a_backup_killed_mid_way_leaves_the_backup_whole_and_the_next_run_finishes_it(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    before = _files(dest)
    new = _import(study.root, "June", tmp_path, unlock)
    _fieldvault("withdraw", str(study.root), "Rosa", "--confirm", "Rosa", *unlock)
    count = len(_tree(study.root))  # one step per file copied, then one per file read back
    for after in (2, count + 2):  # while copying; then while reading back, after the withdrawal is followed
        _killed_backup(study, dest, after)
        now = _files(study.root)  # each file the backup holds is as it was, or as the study has it now
        held = {**_placed(dest), **_aside(dest)}  # (set aside without the key: as it was, QA T13)
        assert [k for k, v in held.items() if v not in (before.get(k), now.get(k))] == []
        done = _fieldvault("check", str(dest), *unlock, rc=1)  # audited in the backup's own log
        assert "cut off part-way" in done.stderr.splitlines()[-1]
    done = _fieldvault("backup", str(study.root), str(dest))
    assert _actions(study.root).count("backup.entry") == 2  # the two checks run on it, on the record once each
    assert _placed(dest) == _files(study.root) and (dest / "participants" / "June" / new).is_dir()
    hers = {k: v for k, v in before.items() if k.startswith("participants/Rosa/")}
    assert not (dest / "participants" / "Rosa").exists() and _aside(dest) == hers and not _destroyed(done)
    _fieldvault("check", str(dest), *unlock)
    done = _fieldvault("backup", str(study.root), str(dest), *unlock)
    assert sorted(line.rsplit(": ", 1)[1] for line in _destroyed(done)) == sorted(hers)
    assert _files(dest) == _files(study.root)


def test_an_editor_autosave_the_study_dropped_goes_from_the_backup_once_the_drop_is_on_the_record(
    study: Study, identities: list, unlock: list[str], tmp_path: Path
) -> None:
    """The editor's autosave is a draft the study drops when the transcript is saved (audited) or the draft discarded
    (the editor's Discard: now audited too, so a backup follows it instead of keeping it forever)."""
    from fieldvault import editing
    from fieldvault import transcript_versions as versions

    dest = tmp_path / "usb"
    session = sorted((study.root / "participants" / "Rosa").glob("*/transcript.json.age"))[0].parent.name
    draft = versions.open_draft(study, "Rosa", session, identities)
    versions.autosave(study, editing.edit_text(draft, 1, "typed, not saved").transcript, draft.transcript)
    autosave = f"participants/Rosa/{session}/versions/autosave.json.age"
    _fieldvault("backup", str(study.root), str(dest))
    assert (dest / autosave).is_file()
    versions.discard_autosave(study, "Rosa", session)  # what the editor's Discard calls
    done = _follow(str(study.root), dest, unlock)
    assert _destroyed(done) == [
        f"destroyed in the backup (transcript.autosave-discarded on {study.clock().date()} in the study's audit log): "
        f"{autosave}"
    ]
    versions.discard_autosave(study, "Rosa", session)  # nothing left to discard: nothing recorded
    assert _actions(study.root).count("transcript.autosave-discarded") == 1


def test_an_event_journal_the_study_sealed_into_its_timeline_goes_from_the_backup(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """A recording's event journal (one sealed file per marker) is gathered into events.json.age when the recording
    ends, or by `recover` after a crash: a backup made meanwhile holds the journal, and follows once it is sealed."""
    dest = tmp_path / "usb"
    folder = study.root / "participants" / "June" / "20261126-090000"  # cut off, its recorder's lock gone with it
    (folder / layout.EVENTS_JOURNAL).mkdir(parents=True)
    study.write_new(folder / layout.AUDIO, b"RIFF")
    info = {"info": {}, "schema_version": 1}
    event = {"event": {"at": 1.5, "kind": "note", "text": "a pause", "index": None}, "schema_version": 1}
    study.write_new(folder / layout.EVENTS_JOURNAL / "info.json.age", json.dumps(info).encode())
    study.write_new(folder / layout.EVENTS_JOURNAL / "00001.json.age", json.dumps(event).encode())
    _fieldvault("backup", str(study.root), str(dest))
    journal = sorted(str(p.relative_to(study.root)) for p in (folder / layout.EVENTS_JOURNAL).iterdir())
    assert all((dest / name).is_file() for name in journal)
    _fieldvault("recover", str(study.root), *unlock)
    assert (folder / layout.EVENTS).is_file() and not (folder / layout.EVENTS_JOURNAL).exists()
    done = _fieldvault("backup", str(study.root), str(dest))
    said = "destroyed in the backup (its event journal was sealed into the session's timeline): "
    assert sorted(_destroyed(done)) == [said + name for name in journal]
    assert _files(dest) == _files(study.root)


def test_a_withdrawal_keeping_her_deidentified_transcripts_leaves_only_those_in_the_backup(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    _fieldvault("withdraw", str(study.root), "Rosa", "--keep-deidentified", "--confirm", "Rosa", *unlock)
    kept = sorted(k for k in _files(study.root) if k.startswith("participants/Rosa/"))
    assert [k.rsplit("/", 1)[1] for k in kept] == ["redactions.json.age", "transcript.json.age"]
    done = _follow(str(study.root), dest, unlock)
    assert _destroyed(done) and all("(withdraw on 20" in line for line in _destroyed(done))
    assert sorted(k for k in _files(dest) if k.startswith("participants/Rosa/")) == kept
    assert _files(dest) == _files(study.root)


def test_what_recover_saved_of_a_damaged_recording_never_replaces_the_whole_one_in_the_backup(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """A recording damaged in the study (cut off by a failing disk) after it was backed up, then `recover`: the
    re-sealed part is a new encryption, which the backup took for a newer version and copied over its whole copy."""
    dest = tmp_path / "usb"
    _fieldvault("import", str(study.root), "June", str(_wav(tmp_path / "long.wav", 10.0)), *unlock)
    _fieldvault("recover", str(study.root), *unlock)  # the fixture's WAVs re-sealed with their lengths first
    _fieldvault("backup", str(study.root), str(dest))
    audio = sorted(study.root.glob("participants/June/*/audio.wav.age"))[-1]  # the one imported
    name = str(audio.relative_to(study.root))
    whole = audio.read_bytes()
    audio.write_bytes(whole[:-1000])
    done = _fieldvault("recover", str(study.root), *unlock)  # a new encryption of what it saved: 8.2 s of 10
    assert (
        "kept 262144 bytes = 8.2 s of audio" in done.stdout and "original kept as audio.wav.age.damaged" in done.stdout
    )
    events = audio.with_name("events.json.age")
    timeline = (dest / name).with_name("events.json.age").read_bytes()
    assert events.read_bytes() != timeline  # re-sealed by recover, bound to the part it saved
    for key in ([], unlock):  # without the key, and with it (the backup's copy read through its authentication)
        done = _fieldvault("backup", str(study.root), str(dest), *key, rc=1)
        kept = [line for line in done.stderr.splitlines() if "kept the backup's earlier copy" in line]
        assert len(kept) == 2 and "the study's copy was re-sealed by `recover` from what it saved" in kept[0]
        assert (dest / name).read_bytes() == whole and (dest / name).with_name(
            "events.json.age"
        ).read_bytes() == timeline
    restore = kept[0].split("restore the session with `")[1].split("`")[0]
    subprocess.run(shlex.split(restore), check=True)  # as said: the session's folder, then the damaged original
    audio.with_name(audio.name + ".damaged").unlink()
    assert audio.read_bytes() == whole and events.read_bytes() == timeline
    _fieldvault("check", str(study.root), *unlock)
    done = _fieldvault("backup", str(study.root), str(dest))  # without the key the original is kept (QA QD3)
    assert f"note: kept {name}.damaged in the backup" in done.stdout, done.stdout
    done = _fieldvault("backup", str(study.root), str(dest), *unlock)
    assert _files(dest) == _files(study.root) and (dest / name).read_bytes() == whole


def test_the_plan_of_a_recipient_removal_cut_off_during_a_backup_goes_from_it_once_the_removal_is_done(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """A removal killed part-way leaves its plan and progress at the study's root, which a backup copies; the same
    command again finishes it and drops them (audited), and the next backup follows instead of keeping them."""
    from fieldvault.agefile import X25519Identity

    dest, root = tmp_path / "usb", str(study.root)
    _fieldvault("keys", "add-recipient", root, str(X25519Identity.generate().recipient()), "--name", "coder", *unlock)
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from fieldvault.study import Study\n"
        "from fieldvault.stewardship.rewrap import remove_recipient\n"
        "study = Study.open(Path(sys.argv[1]))\n"
        "keys = study.unlock(sys.argv[2].encode())\n"
        "def step(done, total):\n"
        "    if done == 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "remove_recipient(study, 'coder', keys, step)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", script, root, PASSPHRASE], env=env, check=False)
    assert killed.returncode == -signal.SIGKILL
    _fieldvault("backup", root, str(dest))
    plan = sorted(p.name for p in dest.glob(".remove-recipient.*"))
    assert plan == [".remove-recipient.done", ".remove-recipient.json"]
    _fieldvault("keys", "remove-recipient", root, "coder", *unlock)  # run again: finished
    done = _follow(root, dest, unlock)
    assert sorted(line.rsplit(": ", 1)[1] for line in _destroyed(done)) == plan
    assert all("(keys.remove-recipient.done on 20" in line for line in _destroyed(done))
    assert _files(dest) == _files(study.root)


def test_a_reseal_copy_caught_by_a_backup_goes_from_it_once_renamed_over_its_recording(
    study: Study, tmp_path: Path
) -> None:
    dest = tmp_path / "usb"
    audio = sorted(study.root.glob("participants/June/*/audio.wav.age"))[0]
    copy = audio.with_name(audio.name + ".resealing")  # what a re-seal writes beside the recording, then renames
    copy.write_bytes(audio.read_bytes())
    _fieldvault("backup", str(study.root), str(dest))
    assert (dest / copy.relative_to(study.root)).is_file()
    os.replace(copy, audio)
    done = _fieldvault("backup", str(study.root), str(dest))
    assert _destroyed(done) == [
        "destroyed in the backup (a re-seal's copy, written while the backup ran and renamed over the recording "
        f"since): {copy.relative_to(study.root)}"
    ]
    assert _files(dest) == _files(study.root)


@pytest.mark.parametrize("authenticate", [False, True])
def test_a_departure_line_appended_without_the_passphrase_destroys_nothing_in_the_backup(
    study: Study, unlock: list[str], tmp_path: Path, authenticate: bool
) -> None:
    """QA R9: anyone who can write the study folder, without the passphrase, deleted her session and appended one
    "withdraw" (or "session.remove") line; the routine backup, even with --authenticate, then destroyed the backup's
    copy. Every command that destroys signs its entry with the study key; an entry without its own mac is not the
    study's word, and the backup keeps her session. A real `session remove` (signed) is still followed."""
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    session = sorted(p.name for p in (study.root / "participants" / "Rosa").iterdir() if p.is_dir())[1]
    shutil.rmtree(study.root / "participants" / "Rosa" / session)
    locked = Study.open(study.root)  # no passphrase: what a locked fieldvault, or any script, can append
    locked.audit.append("withdraw", pseudonym="Rosa")
    locked.audit.append("session.remove", pseudonym="Rosa", session=session)
    keys = [*unlock, "--authenticate"] if authenticate else []
    done = _fieldvault("backup", str(study.root), str(dest), *keys, rc=1)
    assert not _destroyed(done), done.stdout
    assert (dest / "participants" / "Rosa" / session / "audio.wav.age").is_file()
    assert f"participants/Rosa/{session}" in done.stderr  # kept, named, with the way to restore it
    other = sorted(p.name for p in (study.root / "participants" / "June").iterdir() if p.is_dir())[1]
    _fieldvault("session", "remove", str(study.root), "June", other, "--confirm", other, *unlock)
    done = _fieldvault("backup", str(study.root), str(dest), *keys, rc=1)  # Rosa's session is still kept
    if not authenticate:  # QA T13: without the key the signed entry cannot be checked: set aside, not destroyed
        assert not _destroyed(done) and {k.split("/")[2] for k in _aside(dest)} == {other}, done.stdout
        done = _fieldvault("backup", str(study.root), str(dest), *unlock, rc=1)
    assert any(f"participants/June/{other}" in line for line in _destroyed(done)), done.stdout
    assert not (dest / "participants" / "June" / other).exists() and not (dest / AWAITING).exists()
    assert (dest / "participants" / "Rosa" / session / "audio.wav.age").is_file()


def test_a_backup_killed_writing_its_marker_is_tidied_by_the_next_and_a_live_ones_is_left(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA R10: SIGKILL at a backup's first rename (its marker's, written aside then renamed: a closed lid, a pulled
    stick) left `..fieldvault-backup.json.PID.tmp`, and every later backup failed with "never in the study". The
    next backup removes its own leftover of a process that is gone, says so, and touches nothing else."""
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    moved = _import(study.root, "June", tmp_path, unlock)
    _fieldvault("session", "move", str(study.root), "June", moved, "--to", "Rosa", *unlock)
    renames = "rename,renameat,renameat2"
    strace = [need("strace"), "-f", "-o", os.devnull, "-e", f"trace={renames}"]
    killed = subprocess.run(
        [*strace, "-e", f"inject={renames}:signal=SIGKILL:when=1", "fieldvault", "backup", str(study.root), str(dest)],
        capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    [left] = [p.name for p in dest.iterdir() if p.name.endswith(".tmp")]
    assert killed.returncode != 0 and left.startswith("..fieldvault-backup.json.")
    pid = int(left.split(".")[-2].split("-")[0])  # ".NAME.PID-HOST.tmp": the host that wrote it (atomicfile.host_tag)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:  # another backup's marker, being written now (a live process): left alone, and no error
        live = dest / f"..fieldvault-backup.json.{sleeper.pid}.tmp"
        live.write_text("{}")
        done = _fieldvault("backup", str(study.root), str(dest))
        assert f"note: removed {left} from the backup" in done.stdout and f"process {pid}, gone" in done.stdout
        assert not (dest / left).exists() and live.is_file() and "never in the study" not in done.stderr
    finally:
        sleeper.kill()
        sleeper.wait()
    done = _fieldvault("backup", str(study.root), str(dest))  # its process gone now: tidied too
    assert f"note: removed {live.name}" in done.stdout and not live.exists()
    done = _fieldvault("backup", str(study.root), str(dest))  # run again: nothing left to say
    assert "note: removed" not in done.stdout
    assert _files(dest) == _files(study.root)
    stray = dest / "participants" / "..fieldvault-backup.json.1.tmp"  # not its own marker's place: never removed
    stray.write_text("someone's")
    done = _fieldvault("backup", str(study.root), str(dest), rc=1)
    assert stray.is_file() and "never in the study" in done.stderr


def test_check_names_a_recording_deleted_by_hand_or_a_link_in_its_place_with_the_command_that_restores_it(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """QA V4: `rm` of one session's audio.wav.age (her folder, transcript and index entry still there), or a link in
    its place: `check` said "0 failure(s)". It names the recording, with the `cp -p` from the last backup; a
    recording removed the audited way (`session remove`) is not lost."""
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    june = sorted(p for p in (study.root / "participants" / "June").iterdir() if p.is_dir())
    relative = f"participants/June/{june[1].name}/{layout.AUDIO}"
    moved = shutil.move(study.root / relative, tmp_path / "her-recording.age")
    for _ in range(2):  # run twice: said twice, nothing changed by it
        done = _fieldvault("check", str(study.root), *unlock, rc=1)
        [lost] = [line for line in done.stdout.splitlines() if line.startswith("FAILED participants/June/")]
        assert lost.startswith(f"FAILED {relative}: is gone, yet the session is listed") and "by hand" in lost
        assert done.stderr.strip().endswith("do as each line above says"), done.stderr  # not `recover`
    subprocess.run(shlex.split(lost.split("restore it from the backup: ")[1]), check=True)  # the command as printed
    _fieldvault("check", str(study.root), *unlock)
    (study.root / relative).unlink()
    (study.root / relative).symlink_to(moved)  # her recording moved out of the study, a link left in its place
    done = _fieldvault("check", str(study.root), *unlock, rc=1)
    [linked] = [line for line in done.stdout.splitlines() if line.startswith("FAILED participants/June/")]
    assert f"is a link to {str(moved)!r}" in linked and "replace the link with what it points to: rm " in linked
    (study.root / relative).unlink()
    shutil.move(moved, study.root / relative)
    _fieldvault("check", str(study.root), *unlock)
    _fieldvault("session", "remove", str(study.root), "June", june[1].name, "--confirm", june[1].name, *unlock)
    _fieldvault("check", str(study.root), *unlock)  # removed the audited way: nothing lost


def test_check_names_a_session_deleted_by_hand_with_the_command_that_restores_it(
    study: Study, unlock: list[str], tmp_path: Path
) -> None:
    """Q11's rest: after `rm -rf` of a session, `check` said "0 failure(s)" while sessions.json and the log still
    listed it (README: run check before each backup). It names the session as lost, with the `cp -a` from the
    backup; sessions removed, moved or renamed the audited way are not lost; a departure line appended without the
    passphrase is not the study's word, and the session is lost (QA S10)."""
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    june = sorted(p.name for p in (study.root / "participants" / "June").iterdir() if p.is_dir())
    shutil.rmtree(study.root / "participants" / "June" / june[1])
    for _ in range(2):  # run twice: said twice, nothing changed by it
        done = _fieldvault("check", str(study.root), *unlock, rc=1)
        [lost] = [line for line in done.stdout.splitlines() if line.startswith("FAILED participants/June/")]
        assert (
            lost.startswith(f"FAILED participants/June/{june[1]}: is gone, yet the session index") and "by hand" in lost
        )
    subprocess.run(shlex.split(lost.split("restore it from the backup: ")[1]), check=True)  # the command as printed
    assert _files(study.root) == _files(dest)
    _fieldvault("check", str(study.root), *unlock)
    # gone the audited ways: nothing lost
    _fieldvault("session", "remove", str(study.root), "June", june[1], "--confirm", june[1], *unlock)
    moved = _import(study.root, "June", tmp_path, unlock)  # no session of Rosa's started in the same second
    _fieldvault("session", "move", str(study.root), "June", moved, "--to", "Rosa", *unlock)
    _fieldvault("participant", "rename", str(study.root), "Rosa", "Paloma", *unlock)
    _fieldvault("check", str(study.root), *unlock)
    # an attacker's: the folder deleted and a removal line appended without the passphrase
    session = sorted(p.name for p in (study.root / "participants" / "Paloma").iterdir() if p.is_dir())[0]
    shutil.rmtree(study.root / "participants" / "Paloma" / session)
    Study.open(study.root).audit.append("session.remove", pseudonym="Paloma", session=session)
    for _ in range(2):  # QA S10: a failure, every time: no command removes a session without signing its entry,
        # and the first check's own signed entry, chained after the forged line, does not make it the study's word
        done = _fieldvault("check", str(study.root), *unlock, rc=1)
        [lost] = [line for line in done.stdout.splitlines() if line.startswith("FAILED participants/Paloma/")]
        assert "not authenticated with the study key" in lost and f"{dest}/participants" not in lost  # not backed up
        assert "cp -a BACKUP/participants/Paloma/" in lost
