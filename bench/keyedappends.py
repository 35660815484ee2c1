"""Benchmark: audit entries appended with the study key on a long log against a short one.

Before each entry it writes with the study key, `AuditLog` looks for a line after the last one the key signed that
carries a mac the key did not write (`audit._forged_tail`, QA X1): an entry chained after such a line could never be
set aside. Two studies are made, one whose log has LONG entries and one with a handful, each unlocked; in each, N
entries are appended with the key. Prints the milliseconds per entry and the long log's cost as a ratio of the short
one's: 1.0 means the log's length does not matter.
Run by hand from the checkout, under `flock /work/cpu.lock`: python -m bench.keyedappends [LONG] [N]
(defaults 20000 200)

Figures (shared 2-core machine, flock held; LONG=20000 (7.5 MB log), N=200):
  before (b81cb86, the whole log read and split per entry): short 4.15 ms/entry, long 26.53 ms/entry, ratio 6.39
  after (read from the end back to the last signed line):    short 4.32 ms/entry, long  4.80 ms/entry, ratio 1.11
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from bench.lockedwrites import make_study
from fieldvault.study import Study


def appends(study: Study, count: int) -> float:
    started = time.perf_counter()
    with mock.patch("os.fsync"):
        for n in range(count):
            study.audit.append("journal.add", name=f"j{n}")
    return (time.perf_counter() - started) / count


def main() -> None:
    long = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        os.environ["FIELDVAULT_HOME"] = str(Path(tmp) / "home")
        short = make_study(Path(tmp) / "short", 5)
        longer = make_study(Path(tmp) / "long", long)
        size = (longer.root / "audit.jsonl").stat().st_size
        base, measured = appends(short, count), appends(longer, count)
        print(f"{long} entries ({size / 1e6:.1f} MB log), {count} keyed appends")
        ratio = measured / base
        print(f"short log {base * 1000:.2f} ms/entry, long log {measured * 1000:.2f} ms/entry, ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
