"""The first `backup` after `recover` (QA QC11): the cut-off original recover keeps beside the recording it re-sealed
is backed up as it is and named, every run alike, until the steward deletes it; the real binary, a real recording cut
off as by kill -9."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from fieldvault.agefile.recovery import KEPT_ORIGINAL
from fieldvault.capture.recorder import Recorder
from fieldvault.capture.source import ArraySource
from fieldvault.guide import Guide
from fieldvault.layout import AUDIO, LOCK
from fieldvault.participantid import ensure_participant_id
from fieldvault.study import Study
from tests.conftest import PASSPHRASE

RATE = 16000


def _fv(*args: str | Path, passphrase: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE} if passphrase else dict(os.environ)
    done = subprocess.run(["fieldvault", *map(str, args)], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env=env)  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _cut_off_recording(study: Study) -> Path:
    """A recording cut off as kill -9 leaves it: no final chunk, the lock of a recorder that is gone."""
    folder = study.root / "participants" / "Rose"
    folder.mkdir(mode=0o700)
    ensure_participant_id(folder)
    tone = (8000 * np.sin(np.arange(6 * RATE) / 5)).astype(np.int16).reshape(-1, 1)
    recorder = Recorder(study, "Rose", ArraySource(tone, RATE, speed=50), Guide.for_study(None))
    session = recorder.start()
    deadline = time.monotonic() + 30
    while recorder.status().ended is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert recorder.stop().problem is None
    audio = session / AUDIO
    audio.write_bytes(audio.read_bytes()[:-30_000])
    (session / LOCK).write_text(json.dumps({"pid": 1, "host": "gone"}))
    return session


def test_the_first_backup_after_recover_keeps_the_original_and_says_what_it_is(study: Study, tmp_path: Path) -> None:
    session = _cut_off_recording(study)
    assert _fv("recover", study.root).returncode == 0
    original = session / (AUDIO + KEPT_ORIGINAL)
    relative = original.relative_to(study.root)
    assert original.is_file()
    dest = tmp_path / "backup"
    note = f"note: {relative} is the cut-off or damaged original `fieldvault recover` kept beside {AUDIO}: backed up"
    for _ in range(2):  # the first failed on it ("damaged, no good copy"), the second was silent
        done = _fv("backup", study.root, dest)
        assert done.returncode == 0, done.stdout + done.stderr
        assert note in done.stdout and "every file read back and verified" in done.stdout, done.stdout
        assert "damaged and the backup holds no good copy" not in done.stderr
        assert (dest / relative).read_bytes() == original.read_bytes()
    original.unlink()  # deleted by hand: no entry records it
    done = _fv("backup", study.root, dest, passphrase=False)  # QA QD3: a backup without the passphrase destroyed it
    assert done.returncode == 0 and f"note: kept {relative} in the backup" in done.stdout, done.stdout + done.stderr
    assert (dest / relative).is_file() and "destroyed in the backup" not in done.stdout
    done = _fv("backup", study.root, dest)  # the steward, with the passphrase: deleted here too
    assert done.returncode == 0 and note not in done.stdout, done.stdout + done.stderr
    assert not (dest / relative).exists() and (dest / relative.with_name(AUDIO)).is_file()


@pytest.mark.parametrize("torn", [False, True])
def test_a_damaged_file_beside_no_recording_still_fails_the_backup(study: Study, tmp_path: Path, torn: bool) -> None:
    """Only recover's own original is spared: a `.damaged` name on a file with nothing re-sealed beside it is judged
    as any file is."""
    session = _cut_off_recording(study)
    stray = session / (AUDIO + KEPT_ORIGINAL)
    os.rename(session / AUDIO, stray)
    (session / LOCK).unlink()  # a lock marks a recording that may still be written: copied as it is, as ever
    if torn:
        stray.write_bytes(stray.read_bytes()[:-7])
    done = _fv("backup", study.root, tmp_path / "backup")
    assert done.returncode == 1 and "damaged and the backup holds no good copy" in done.stderr, done.stderr


def test_deleting_the_original_recover_kept_is_recorded_and_one_deleted_by_hand_is_named(
    study: Study, tmp_path: Path
) -> None:
    """rough28's rest: deleting recover's `.damaged` was recorded by no command, so `check` could not tell a deletion
    by hand from a loss. `check` now names an original the log says recover kept that is gone with no entry, and
    `recover --delete-original FILE` deletes it (or records one deleted by hand) in a signed entry; then check is
    quiet, and the backup follows it. Bad input: one line, nothing deleted."""
    session = _cut_off_recording(study)
    assert _fv("recover", study.root).returncode == 0
    original = session / (AUDIO + KEPT_ORIGINAL)
    relative, whole = original.relative_to(study.root), (session / AUDIO).relative_to(study.root)
    dest = tmp_path / "backup"
    assert _fv("backup", study.root, dest).returncode == 0
    record = f"fieldvault recover {study.root} --delete-original {whole}"
    assert record in _fv("check", study.root).stdout  # the way to delete it, named beside it

    original.unlink()  # by hand
    notes = [line for line in _fv("check", study.root).stdout.splitlines() if f"{relative}: the original" in line]
    assert len(notes) == 1 and "no entry records its deletion" in notes[0] and record in notes[0], notes

    for bad in (str(whole.with_name("events.json.age")), "../elsewhere/audio.wav.age"):
        refused = _fv("recover", study.root, "--delete-original", bad)
        assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert (session / AUDIO).is_file() and (dest / relative).is_file()

    done = _fv("recover", study.root, "--delete-original", whole)
    assert done.returncode == 0 and f"{relative}: its deletion by hand, recorded" in done.stdout, done.stdout
    [entry] = [json.loads(line) for line in (study.root / "audit.jsonl").read_text().splitlines()
               if '"recover.original-deleted"' in line]  # fmt: skip
    assert entry["details"]["file"] == str(relative) and isinstance(entry.get("mac"), str)  # signed
    checked = _fv("check", study.root)
    assert str(relative) not in checked.stdout, checked.stdout  # (this bare study has no list of names: FAILED)
    assert _fv("backup", study.root, dest).returncode == 0 and not (dest / relative).exists()
    again = _fv("recover", study.root, "--delete-original", whole)
    assert again.returncode == 1 and "nothing to delete" in again.stderr, again.stderr
