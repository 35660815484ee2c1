"""Benchmark: encrypted writes of a locked study (QA G5's check) on a long audit log against a short one.

Before each write made without the study key, `Study.recipients()` asks the audit log which keys it records as
removed. Two studies are made, one whose log has LONG entries and one with a handful; each is unlocked once (so this
computer has checked its list) and then opened locked, as an import or a transcriber's command is. In each, N small
files are written, first one after another, then each followed by an audit entry (as `transcribe` does per session).
Prints the seconds per write and the long log's cost as a ratio of the short one's: 1.0 means the log's length no
longer matters.
Run by hand from the checkout, under `flock /work/cpu.lock`: python -m bench.lockedwrites [LONG] [N]
(defaults 5000 200)

Figures (shared 2-core machine, other engineers' jobs running; flock held; LONG=5000 (1.9 MB log), N=100):
  before (35b9c46, the log parsed whole per write): one after another 0.60 vs 57.35 ms/write, ratio 94.8;
                                                    with an entry each   2.22 vs 89.18 ms/write, ratio 40.2
  after (RecipientLog, read once, re-read on change): one after another ratio 0.90-1.09;
                                                    with an entry each   ratio 3.2-4.6 (the 1.9 MB re-read and
                                                    compared with what was parsed: ~4 ms, no JSON parsed again)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from fieldvault.study import Study

PASSPHRASE = b"bench passphrase"


def make_study(root: Path, entries: int) -> Study:
    """A study whose log has ``entries`` entries, unlocked (and returned so) once: this computer checks the list."""
    study = Study.create(root, "Bench", "IRB-1", PASSPHRASE, work_factor=10)
    study.unlock(PASSPHRASE)
    with mock.patch("os.fsync"):  # the log's length is what is measured, not the disk's sync
        for n in range(entries):
            study.audit.append("participant.add", pseudonym=f"P{n}", count=n)
    return study


def writes(root: Path, count: int, interleaved: bool) -> float:
    study = Study.open(root)  # locked: no identities
    started = time.perf_counter()
    with mock.patch("os.fsync"):
        for n in range(count):
            study.write_new(f"journal/{'i' if interleaved else 'w'}{n}.md.age", b"x" * 200)
            if interleaved:
                study.audit.append("journal.add", name=f"i{n}")
    return (time.perf_counter() - started) / count


def main() -> None:
    long = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        os.environ["FIELDVAULT_HOME"] = str(Path(tmp) / "home")
        short_root, long_root = Path(tmp) / "short", Path(tmp) / "long"
        make_study(short_root, 5)
        make_study(long_root, long)
        print(f"audit log: {long} entries ({(long_root / 'audit.jsonl').stat().st_size / 1e6:.1f} MB) vs 5")
        for interleaved in (False, True):
            short = writes(short_root, count, interleaved)
            far = writes(long_root, count, interleaved)
            kind = "write, then an audit entry" if interleaved else "writes one after another"
            print(
                f"{kind:28} short log {short * 1e3:7.2f} ms/write  long log {far * 1e3:7.2f} ms/write  "
                f"ratio {far / short:6.2f}"
            )


if __name__ == "__main__":
    main()
