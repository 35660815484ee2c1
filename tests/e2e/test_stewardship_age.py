"""Removing a recipient, checked with the reference `age` CLI: the removed key opens nothing, the others
open everything; an interrupted removal resumes. Also withdraw, check, backup and report as a user runs them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fieldvault.agefile import decrypt_bytes
from fieldvault.agefile.header import read_header
from fieldvault.errors import BadInput
from fieldvault.stewardship.inventory import data_files
from fieldvault.stewardship.rewrap import PLAN, remove_recipient
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, need
from tests.stewardship import JUNE, ROSA, add_person, transcribe_and_review


def _keygen(tmp_path: Path, name: str) -> tuple[Path, str]:
    path = tmp_path / f"{name}.txt"
    subprocess.run([need("age-keygen"), "-o", str(path)], check=True, capture_output=True)
    public = next(line.split(": ")[1] for line in path.read_text().splitlines() if "public key" in line)
    return path, public


def _age_opens(key: Path, file: Path) -> bytes | None:
    done = subprocess.run([need("age"), "-d", "-i", str(key), str(file)], capture_output=True, check=False)
    return done.stdout if done.returncode == 0 else None


def _fieldvault(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["fieldvault", *args], capture_output=True, text=True, check=False)
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def passfile(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n")
    path.chmod(0o600)
    return path


@pytest.fixture
def shared(ready_study: Study, identities: list, tmp_path: Path) -> tuple[Study, Path, Path]:
    """A study encrypted to the study key, a departing transcriber's key and a staying one's."""
    leaving, leaving_pub = _keygen(tmp_path, "leaving")
    staying, staying_pub = _keygen(tmp_path, "staying")
    ready_study.add_recipient(leaving_pub, "transcriber-2025", identities)
    ready_study.add_recipient(staying_pub, "co-investigator", identities)
    for person in (ROSA, JUNE):
        sessions = add_person(ready_study, person, sessions=2, seconds=5.0)
        transcribe_and_review(ready_study, identities, person, sessions[0])
    return ready_study, leaving, staying


def _payload(path: Path) -> bytes:
    with path.open("rb") as stream:
        read_header(stream)
        return stream.read()


def test_removed_key_decrypts_nothing_and_the_others_everything(
    shared: tuple[Study, Path, Path], identities: list, passfile: Path
) -> None:
    study, leaving, staying = shared
    files = data_files(study)
    assert len(files) >= 18
    plain = {f: decrypt_bytes(f.read_bytes(), identities) for f in files}
    payloads = {f: _payload(f) for f in files}
    assert all(_age_opens(leaving, f) == plain[f] for f in files)
    done = _fieldvault(
        "keys", "remove-recipient", str(study.root), "transcriber-2025", "--passphrase-file", str(passfile)
    )
    assert f"{len(files)} file(s) re-wrapped" in done.stdout
    assert [r.name for r in Study.open(study.root).config.recipients] == ["study", "co-investigator"]
    for file in files:
        assert _age_opens(leaving, file) is None, file
        assert _age_opens(staying, file) == plain[file], file
        assert _payload(file) == payloads[file]  # only the header changed
        assert file.stat().st_mode & 0o777 == 0o600
    assert [e["action"] for e in study.audit.entries()][-2:] == ["keys.remove-recipient", "keys.remove-recipient.done"]
    new = Study.open(study.root).write_new("participants/June/note.json.age", b"written after the removal")
    assert _age_opens(leaving, new) is None and _age_opens(staying, new) == b"written after the removal"


def test_an_interrupted_removal_resumes_where_it_stopped(
    shared: tuple[Study, Path, Path], identities: list, passfile: Path
) -> None:
    study, leaving, staying = shared
    files = data_files(study)

    def interrupt(done: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt  # Ctrl-C, or a crash, after the fifth file

    with pytest.raises(KeyboardInterrupt):
        remove_recipient(study, "transcriber-2025", identities, interrupt)
    assert (study.root / PLAN).exists()
    opened = [_age_opens(leaving, f) is not None for f in files]
    assert opened == [False] * 5 + [True] * (len(files) - 5)
    # a crash inside the sixth file leaves its half-written copy beside it
    (files[5].parent / f".{files[5].name}.rewrap").write_bytes(b"age-encryption.org/v1\n-> X25519 half")
    note = _fieldvault("check", str(study.root), "--passphrase-file", str(passfile)).stdout
    assert "interrupted" in note and "transcriber-2025" in note
    assert note.count("is wrapped to 3 recipients and the study has 2") == len(files) - 5
    with pytest.raises(BadInput, match="removal of 'transcriber-2025' was interrupted"):
        remove_recipient(study, "co-investigator", identities)
    done = _fieldvault(
        "keys", "remove-recipient", str(study.root), "transcriber-2025", "--passphrase-file", str(passfile)
    )
    assert f"{len(files) - 5} file(s) re-wrapped" in done.stdout and "5 done by the interrupted run" in done.stdout
    assert not (study.root / PLAN).exists()
    assert not list(study.root.rglob("*.rewrap"))
    for file in files:
        assert _age_opens(leaving, file) is None and _age_opens(staying, file) is not None, file
    actions = [e["action"] for e in study.audit.entries()]
    assert actions[-4:] == [
        "keys.remove-recipient",
        "check",
        "keys.remove-recipient.resumed",
        "keys.remove-recipient.done",
    ]


def test_the_key_that_unlocks_the_study_cannot_be_removed(shared: tuple[Study, Path, Path], passfile: Path) -> None:
    study, _, _ = shared
    done = _fieldvault(
        "keys", "remove-recipient", str(study.root), "study", "--passphrase-file", str(passfile), check=False
    )
    assert done.returncode == 1 and "lock you out" in done.stderr and "Traceback" not in done.stderr
    done = _fieldvault(
        "keys", "remove-recipient", str(study.root), "nobody", "--passphrase-file", str(passfile), check=False
    )
    assert done.returncode == 1 and "no recipient named 'nobody'" in done.stderr
    assert not (study.root / PLAN).exists()


def test_a_file_restored_from_an_old_backup_is_found_and_rewrapped(
    shared: tuple[Study, Path, Path], identities: list, passfile: Path
) -> None:
    study, leaving, staying = shared
    audio = sorted(study.root.glob("participants/June/*/audio.wav.age"))[0]
    old = audio.read_bytes()  # as an old backup holds it
    _fieldvault("keys", "remove-recipient", str(study.root), "transcriber-2025", "--passphrase-file", str(passfile))
    audio.write_bytes(old)  # restored from that backup
    assert _age_opens(leaving, audio) is not None
    failed = _fieldvault("check", str(study.root), "--passphrase-file", str(passfile), check=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"FAILED {audio.relative_to(study.root)}: is wrapped to 3 recipients" in failed.stdout, failed.stdout
    assert "keys rewrap" in failed.stdout
    done = _fieldvault("keys", "rewrap", str(study.root), "--passphrase-file", str(passfile))
    assert done.stdout.splitlines() == [
        f"re-wrapped {audio.relative_to(study.root)}",
        "1 file(s) re-wrapped to the study's 2 recipients only",
    ]
    assert _age_opens(leaving, audio) is None and _age_opens(staying, audio) is not None
    assert "is wrapped to" not in _fieldvault("check", str(study.root), "--passphrase-file", str(passfile)).stdout
