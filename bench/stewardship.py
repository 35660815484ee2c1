"""Benchmark: `keys remove-recipient` (header re-wrap) and `check` on a study with N hours of audio.

Builds a study of 45-minute sessions (16 kHz mono by default, what `fieldvault record` writes) plus each
session's small files, encrypted to three recipients, then times, in the same run:
  baseline: copying the study's files (`cp -r`), and `age -d` (the reference CLI) reading every file;
  remove-recipient: re-wrapping every file to two recipients;  check: every file through authentication;
  backup: copy + read-back verification to a new folder.
Files were just written, so reads come from the page cache: these are CPU and copy costs, not disk reads.
Run by hand: python3 bench/stewardship.py [hours] [rate] [channels]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fieldvault import layout, wavstream
from fieldvault.agefile import AgeWriter, X25519Identity
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant, new_session_folder
from fieldvault.stewardship.backup import backup
from fieldvault.stewardship.check import check_study
from fieldvault.stewardship.inventory import data_files
from fieldvault.stewardship.rewrap import remove_recipient
from fieldvault.study import Study, identity_file_text

SESSION_MINUTES = 45
PASSPHRASE = b"benchmark passphrase"


def _build(root: Path, hours: float, rate: int, channels: int) -> tuple[Study, list, Path]:
    study = Study.create(root / "study", "Bench", "", PASSPHRASE, work_factor=10)
    identities = study.unlock(PASSPHRASE)
    for name in ("leaving", "staying"):
        study.add_recipient(str(X25519Identity.generate().recipient()), name, identities)
    key = root / "study-key.txt"
    key.write_text(identity_file_text(identities[0], study.clock()))
    consent = ConsentRecord("verbal", "v1", "v1", "2026-01-01T00:00:00")
    seconds_left = hours * 3600
    block = os.urandom(rate * channels * 2)  # one second; ciphertext costs the same whatever the audio
    number = 0
    while seconds_left > 0:
        number += 1
        pseudonym = f"P{number:02d}"
        add_participant(study, pseudonym, {}, consent, [KnownIdentifier("Someone Else")])
        folder = new_session_folder(study, pseudonym)
        with (folder / layout.AUDIO).open("xb") as out:
            writer = AgeWriter(out, study.recipients())
            writer.write(wavstream.header(wavstream.WavFormat(rate, channels)))
            for _ in range(int(min(seconds_left, SESSION_MINUTES * 60))):
                writer.write(block)
            writer.finish()
        study.write_new(folder / layout.EVENTS, b'{"events": []}')
        study.write_new(folder / layout.TRANSCRIPT, b"x" * 60_000)  # about a 45-minute transcript
        study.write_new(folder / layout.REDACTIONS, b"y" * 20_000)
        seconds_left -= SESSION_MINUTES * 60
    return study, identities, key


def _timed(what: str, run) -> float:
    started = time.perf_counter()
    run()
    took = time.perf_counter() - started
    print(f"{what:<42} {took:8.2f} s", flush=True)
    return took


def main() -> None:
    hours = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    rate = int(sys.argv[2]) if len(sys.argv) > 2 else 16000
    channels = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        study, identities, key = _build(root, hours, rate, channels)
        files = data_files(study)
        size = sum(p.stat().st_size for p in files)
        print(f"{hours:g} h of {rate} Hz x{channels} audio: {len(files)} files, {size / 1e6:.0f} MB "
              f"(built in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        copy = _timed("baseline: cp -r of the study", lambda: shutil.copytree(study.root, root / "copy"))
        shutil.rmtree(root / "copy")

        def age_reads() -> None:
            for path in files:
                subprocess.run(["age", "-d", "-i", str(key), "-o", "/dev/null", str(path)], check=True)

        age = _timed("baseline: age -d of every file", age_reads)
        rewrap = _timed("keys remove-recipient (re-wrap all)", lambda: remove_recipient(study, "leaving", identities))
        check = _timed("check (every chunk + audit chain)", lambda: check_study(study, identities))
        copied = _timed("backup (copy + verified read-back)", lambda: backup(study, root / "backup"))
        scale = 10 / hours
        print(f"ratios: re-wrap / cp = {rewrap / copy:.2f}; check / age -d = {check / age:.2f}; "
              f"backup / cp = {copied / copy:.2f}")  # fmt: skip
        print(f"ten hours (x{scale:g}, linear in bytes): re-wrap {rewrap * scale:.1f} s, "
              f"check {check * scale:.1f} s, backup {copied * scale:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
