"""QA T13 and T14 with the real `fieldvault` binary and real age files: someone who can write the study folder, with no
passphrase, deletes her interview (or crash-kept field notes) and appends the line that says it was removed, exactly as
qa16's repros do (`forge_mac.py`: a made-up "mac"; `forge.py` and a file of the draft's header and nonce over junk).
A backup that cannot check an entry's mac never destroys on it: it sets the files aside in the backup and says so
in one line; `backup --authenticate` destroys what a verified entry removed and puts back what a failed one named."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fieldvault import drafts, layout
from fieldvault.agefile.header import payload_id
from fieldvault.study import Study
from fieldvault.suggested import command
from tests.conftest import PASSPHRASE, ROOT, need
from tests.e2e.test_backup_follows_the_log import (
    AWAITING,
    WAITING,
    _aside,
    _destroyed,
    _fieldvault,
    _files,
    _placed,
)
from tests.stewardship import JUNE, ROSA, add_person, transcribe_and_review

# qa16's /work/qa/s16/forge.py and forge_mac.py, as they are
FORGE = """import sys
from pathlib import Path
from fieldvault.study import Study
st = Study.open(Path(sys.argv[1]))   # no passphrase: anyone who can write the folder
st.audit.append(sys.argv[2], **dict(a.split("=",1) for a in sys.argv[3:]))
"""
FORGE_MAC = """import sys, json
from pathlib import Path
from fieldvault.study import Study
st = Study.open(Path(sys.argv[1]))
st.audit.append(sys.argv[2], **dict(a.split("=",1) for a in sys.argv[3:]))
p = Path(sys.argv[1]) / "audit.jsonl"; lines = p.read_text().splitlines()
e = json.loads(lines[-1]); e["mac"] = "ab" * 32; lines[-1] = json.dumps(e); p.write_text("\\n".join(lines) + "\\n")
"""
PUT_BACK = "fieldvault: warning: put back in the backup"
TYPED = "Kill -9 while I typed: she said the van was white, no plates."


def _forge(script: str, root: Path, action: str, **details: str) -> None:
    args = [sys.executable, "-c", script, str(root), action, *(f"{k}={v}" for k, v in details.items())]
    subprocess.run(args, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def people(ready_study: Study, identities: list) -> Study:
    """Rosa and June, two sessions each, the first transcribed and reviewed."""
    for person in (ROSA, JUNE):
        sessions = add_person(ready_study, person, sessions=2, seconds=2.0)
        transcribe_and_review(ready_study, identities, person, sessions[0])
    return ready_study


def _decrypts(path: Path, root: Path, tmp_path: Path, unlock: list[str]) -> bytes:
    """What the real `age` reads out of ``path`` with the study identity."""
    key = tmp_path / "study-key.txt"
    if not key.exists():
        _fieldvault("keys", "export-identity", str(root), "--out", str(key), *unlock)
    return subprocess.run([need("age"), "-d", "-i", str(key), str(path)], capture_output=True, check=True).stdout


def _waiting(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stdout.splitlines() if WAITING in line]


@pytest.mark.parametrize("action", ["session.remove", "withdraw", "retention.destroy", "session.move"])
def test_a_forged_line_with_a_made_up_mac_sets_her_files_aside_until_the_key_puts_them_back(
    people: Study, unlock: list[str], tmp_path: Path, action: str
) -> None:
    study = people
    root, dest = study.root, tmp_path / "usb"
    session = sorted(p.name for p in (root / "participants" / "Rosa").iterdir() if p.is_dir())[0]
    _fieldvault("backup", str(root), str(dest))
    before = _files(dest)
    gone = {
        "session.remove": f"participants/Rosa/{session}/",
        "withdraw": "participants/Rosa/",
        "retention.destroy": f"participants/Rosa/{session}/audio.wav.age",
        "session.move": f"participants/Rosa/{session}/",
    }[action]
    hers = {k: v for k, v in before.items() if k.startswith(gone)}
    target = root / gone.rstrip("/")
    shutil.rmtree(target) if target.is_dir() else target.unlink()  # by hand, no passphrase
    details = {
        "session.remove": {"pseudonym": "Rosa", "session": session},
        "withdraw": {"pseudonym": "Rosa"},
        "retention.destroy": {"pseudonym": "Rosa", "session": session, "file": "audio.wav.age"},
        "session.move": {"pseudonym": "June", "session": session, "moved_from": "Rosa"},
    }[action]
    _forge(FORGE_MAC, root, action, **details)
    for _ in range(2):  # the scheduled backup (no passphrase), run twice: nothing destroyed, said once each run
        done = _fieldvault("backup", str(root), str(dest))
        assert not _destroyed(done) and "0 destroyed" in done.stdout
        assert _aside(dest) == hers and not any((dest / k).exists() for k in hers)
        assert len(_waiting(done)) == 1 and _waiting(done)[0].startswith(f"{len(hers)} {WAITING} {root} {dest} ")
    # QA X1: nothing is written with the key after the made-up mac until it is set aside (in place: the backups'
    # entries chain to it); the study's check points to where her files lie now
    held = (_files(dest), _aside(dest))
    refused = _fieldvault("backup", str(root), str(dest), *unlock, rc=1)
    assert f"({action}) fails authentication with the study key" in refused.stderr.splitlines()[-1]
    assert command("check", root, "--set-aside-stray-lines") in refused.stderr and (_files(dest), _aside(dest)) == held
    done = _fieldvault("check", str(root), "--set-aside-stray-lines", *unlock, rc=1)
    assert "set aside in place 1 line(s) of the audit log that the study key did not write: line " in done.stdout
    audio = f"participants/Rosa/{session}/audio.wav.age"
    assert _decrypts(dest / AWAITING / audio, root, tmp_path, unlock).startswith(b"RIFF")  # whole, as it was
    if action != "retention.destroy":
        [lost] = [line for line in done.stdout.splitlines() if line.startswith(f"FAILED participants/Rosa/{session}: ")]
        assert f"{dest / AWAITING}/participants/Rosa/{session}" in lost
    for run in range(2):  # the steward's run with the passphrase, twice: put back once, then kept as R9 keeps it
        done = _fieldvault("backup", str(root), str(dest), *unlock, rc=1)
        put_back = [line for line in done.stderr.splitlines() if line.startswith(PUT_BACK)]
        assert not _destroyed(done) and _placed(dest).items() >= hers.items() and not (dest / AWAITING).exists()
        assert len(put_back) == (0 if run else 1), done.stderr
        assert not put_back or (f"{action} on 20" in put_back[0] and "fails its authentication" in put_back[0])
        assert WAITING not in done.stdout
    [restore] = [line for line in done.stderr.splitlines() if "kept in the backup, not in the study" in line]
    subprocess.run(shlex.split(restore.split("to restore it: ")[1]), check=True)  # the command as printed
    assert _files(root).items() >= hers.items()
    done = _fieldvault("backup", str(root), str(dest))
    assert not _destroyed(done) and not _waiting(done) and _files(dest) == _files(root)


def _crash_kept_notes(study: Study, tmp_path: Path) -> tuple[Path, Path, str]:
    """Rosa's session holding a draft of field notes a kill -9 left, backed up: (draft, backup, its relative path)."""
    (session,) = add_person(study, ROSA)
    draft = drafts.slot(layout.session(study.root, "Rosa", session))
    drafts.keep(study, draft, TYPED)
    dest = tmp_path / "usb"
    _fieldvault("backup", str(study.root), str(dest))
    return draft, dest, str(draft.relative_to(study.root))


def _fake_beside(draft: Path) -> Path:
    """qa16's T14: the draft's header and nonce, then every byte after them XORed, beside it under a saved name."""
    data = bytearray(draft.read_bytes())
    start = data.index(b"\n---") + 1
    payload = data.index(b"\n", start) + 1 + 16
    for k in range(payload, len(data)):
        data[k] ^= 0x5A
    fake = draft.with_name("fieldnotes-20261127-000000.md.age")
    fake.write_bytes(bytes(data))
    return fake


@pytest.mark.parametrize("authenticate", [False, True])
def test_a_file_claiming_the_drafts_payload_never_lets_a_forged_removal_destroy_the_notes(
    ready_study: Study, unlock: list[str], tmp_path: Path, authenticate: bool
) -> None:
    """QA T14: `_beside` took a file holding the draft's payload id (a hash of its nonce, readable by anyone) for the
    notes saved under another name. Only the same bytes, or with the key the same text read through its
    authentication, are the notes; a file that merely claims the payload keeps the backup's copy."""
    draft, dest, relative = _crash_kept_notes(ready_study, tmp_path)
    kept = (dest / relative).read_bytes()
    payload = payload_id(draft) or ""
    fake = _fake_beside(draft)
    assert payload_id(fake) == payload
    draft.unlink()
    _forge(FORGE, ready_study.root, drafts.REMOVED, pseudonym="Rosa", session=draft.parent.name, file=draft.name,
           method="saved", payloads=payload)  # fmt: skip
    root = str(ready_study.root)
    if authenticate:  # the fake fails its authentication (named), and the backup's copy stays where it is
        done = _fieldvault("backup", root, str(dest), *unlock, rc=1)
        assert f"{fake.relative_to(ready_study.root)}: the study's copy fails its authentication" in done.stderr
        assert not _destroyed(done), done.stdout
        [named] = [line for line in done.stderr.splitlines() if "its removal is not vouched for" in line]
        assert relative in named and "claims that copy's payload yet does not hold its notes" in named
    else:  # without the key the fake cannot be compared: the copy is set aside until a run with it
        for _ in range(2):
            done = _fieldvault("backup", root, str(dest))
            assert _aside(dest).keys() == {relative} and len(_waiting(done)) == 1
        assert (dest / AWAITING / relative).read_bytes() == kept
        done = _fieldvault("backup", root, str(dest), *unlock, rc=1)
        [put_back] = [line for line in done.stderr.splitlines() if line.startswith(PUT_BACK)]
        assert relative in put_back and "claims that copy's payload yet does not hold its notes" in put_back
        [named] = [line for line in done.stderr.splitlines() if "its removal is not vouched for" in line]
    assert not _destroyed(done) and (dest / relative).read_bytes() == kept and not (dest / AWAITING).exists()
    assert TYPED.encode() in _decrypts(dest / relative, ready_study.root, tmp_path, unlock)
    subprocess.run(shlex.split(named.split("put the draft back into the study: ")[1]), check=True)
    assert drafts.read(ready_study, draft, ready_study.unlock(PASSPHRASE.encode())).text == TYPED


def test_a_forged_draft_removal_with_a_made_up_mac_waits_for_the_key_which_puts_the_notes_back(
    ready_study: Study, unlock: list[str], tmp_path: Path
) -> None:
    draft, dest, relative = _crash_kept_notes(ready_study, tmp_path)
    kept = (dest / relative).read_bytes()
    draft.unlink()
    _forge(FORGE_MAC, ready_study.root, drafts.REMOVED, pseudonym="Rosa", session=draft.parent.name,
           file=draft.name, method="saved", payloads=payload_id(dest / relative) or "")  # fmt: skip
    done = _fieldvault("backup", str(ready_study.root), str(dest))
    assert not _destroyed(done) and _aside(dest).keys() == {relative} and len(_waiting(done)) == 1
    _fieldvault("check", str(ready_study.root), "--set-aside-stray-lines", *unlock)  # as the key's refusal says
    done = _fieldvault("backup", str(ready_study.root), str(dest), *unlock, rc=1)
    [put_back] = [line for line in done.stderr.splitlines() if line.startswith(PUT_BACK)]
    assert "draft.removed on 20" in put_back and "fails its authentication" in put_back
    assert (dest / relative).read_bytes() == kept and not (dest / AWAITING).exists()


# A fieldvault process of its own that a test makes SIGKILL itself (no cleanup runs) at some step: the study in argv[1]
KILLED = (
    "import os, signal, sys\n"
    "from pathlib import Path\n"
    "import fieldvault.stewardship.backup as b\n"
    "from fieldvault.study import Study\n"
    "study = Study.open(Path(sys.argv[1]))\n"
)


def _killed_in(study: Study, dest: Path, where: str, passphrase: str = "") -> None:
    """`backup` in a process of its own, SIGKILLed (no cleanup runs) in the middle of setting files aside (before the
    second file goes) or of destroying them with the key (after the first)."""
    script = (
        KILLED + "keys = study.unlock(sys.argv[4].encode()) if sys.argv[4] else []\n"
        "calls = []\n"
        "rename, shred = os.rename, b.shred_file\n"
        "def aside(source, target):\n"
        "    if b.AWAITING in str(target):\n"
        "        calls.append(target)\n"
        "        if len(calls) == 2:\n"
        "            os.kill(os.getpid(), signal.SIGKILL)\n"
        "    rename(source, target)\n"
        "def destroy(path):\n"
        "    shred(path)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "if sys.argv[3] == 'aside':\n"
        "    os.rename = aside\n"
        "else:\n"
        "    b.shred_file = destroy\n"
        "b.backup(study, Path(sys.argv[2]), identities=keys)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", script, str(study.root), str(dest), where, passphrase]
    assert subprocess.run(args, env=env, check=False).returncode == -9


def test_a_backup_killed_setting_files_aside_or_destroying_them_loses_nothing_and_the_next_run_finishes(
    people: Study, unlock: list[str], tmp_path: Path
) -> None:
    study = people
    root, dest = study.root, tmp_path / "usb"
    _fieldvault("backup", str(root), str(dest))
    hers = {k: v for k, v in _files(dest).items() if k.startswith("participants/Rosa/")}
    _fieldvault("withdraw", str(root), "Rosa", "--confirm", "Rosa", *unlock)  # signed: the real thing
    _killed_in(study, dest, "aside")
    assert {**_placed(dest), **_aside(dest)}.items() >= hers.items() and len(_aside(dest)) == 1  # every file whole
    assert "cut off part-way" in _fieldvault("check", str(dest), *unlock, rc=1).stderr
    done = _fieldvault("backup", str(root), str(dest))  # the next scheduled run finishes setting them aside
    assert _aside(dest) == hers and not _destroyed(done) and _placed(dest) == _files(root)
    _killed_in(study, dest, "destroy", PASSPHRASE)
    assert len(_aside(dest)) == len(hers) - 1 and _aside(dest).items() <= hers.items()
    done = _fieldvault("backup", str(root), str(dest), *unlock)
    assert len(_destroyed(done)) == len(hers) - 1 and all("(withdraw on 20" in line for line in _destroyed(done))
    assert _files(dest) == _files(root) and not (dest / AWAITING).exists()


def test_a_backup_holding_files_set_aside_restored_as_readme_says_never_brings_them_back_as_study_data(
    people: Study, unlock: list[str], tmp_path: Path
) -> None:
    study = people
    root, dest = study.root, tmp_path / "usb"
    _fieldvault("backup", str(root), str(dest))
    _fieldvault("withdraw", str(root), "Rosa", "--confirm", "Rosa", *unlock)
    _fieldvault("backup", str(root), str(dest))  # scheduled: her files set aside
    assert _aside(dest)
    done = _fieldvault("check", str(dest), *unlock)  # on the backup: named, with the command that settles them
    assert f"{AWAITING}/ holds {len(_aside(dest))} file(s)" in done.stdout and "--authenticate" in done.stdout
    restored = tmp_path / "restored"  # README's Restore: copy the folder, delete the marker
    shutil.copytree(dest, restored, symlinks=True)
    (restored / ".fieldvault-backup.json").unlink()
    done = _fieldvault("check", str(restored), *unlock, rc=1)  # QA U2: a study's own fails until settled
    assert f"FAILED {AWAITING}/: holds" in done.stdout and "--settle" in done.stdout
    again = tmp_path / "usb2"
    _fieldvault("backup", str(restored), str(again))
    assert not (again / AWAITING).exists() and not (again / "participants" / "Rosa").exists()
    assert _files(again) == {k: v for k, v in _files(restored).items() if not k.startswith(f"{AWAITING}/")}
