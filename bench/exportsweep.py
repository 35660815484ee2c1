"""Benchmark: finding what earlier exports killed part-way left (QA H7), which every export does first.

Lays out N earlier exports as a researcher's exports folder holds them: one-file exports (.qdpx, .docx) side by
side in it, and every tenth a folder export with five files; three leftovers (``.NAME.PID.tmp`` of a dead
process) are planted, one beside a file export, one inside a folder export, one of a name that was never
exported (which must not be taken). Times ``export_leftovers`` over the N places (what `export` sweeps and `check`
lists) and, in the same run, listing the exports folder and each folder export once (``os.listdir``), the floor
of any search that misses nothing. Prints both and their ratio; checks the two planted leftovers are found.
Run by hand from the checkout, under `flock /work/cpu.lock`: python -m bench.exportsweep [N ...]
(default 100 1000 3000)

Figures (shared 2-core machine, flock held):
  before (35b9c46, one glob of the exports folder per earlier export): N=100 9.0 ms (ratio 96), N=1000 538 ms
    (ratio 605), N=3000 4.68 s (ratio 1504): quadratic, paid by every export and every `check`
  after (each folder listed once, one stat per place): N=100 0.77 ms (ratio 7.6), N=1000 14.9 ms (15.5),
    N=3000 26 ms (6.6)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from fieldvault.export.output import export_leftovers

DEAD = 2**31 - 7  # no process has this id (Linux pids stop at 2**22)


def lay_out(root: Path, count: int) -> tuple[list[Path], set[Path]]:
    folder = root / "exports"
    folder.mkdir()
    outs = []
    for n in range(count):
        if n % 10 == 9:
            out = folder / f"coder-sample-{n}"
            out.mkdir()
            for k in range(5):
                (out / f"P{k}-session.txt").write_bytes(b"x")
        else:
            out = folder / f"export-{n}.{'qdpx' if n % 2 else 'docx'}"
            out.write_bytes(b"x")
        outs.append(out)
    planted = {folder / f".{outs[0].name}.{DEAD}.tmp", outs[9] / f".P7-session.txt.{DEAD}.tmp"}
    for path in (*planted, folder / f".never-exported.qdpx.{DEAD}.tmp"):
        path.write_bytes(b"her words")
    return outs, planted


def best(action, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000, 3000]
    for count in sizes:
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
            outs, planted = lay_out(Path(tmp), count)
            found = set(export_leftovers(outs))
            assert found == planted, f"found {sorted(found)}, planted {sorted(planted)}"
            folders = [Path(tmp) / "exports", *(o for o in outs if o.is_dir())]
            floor = best(lambda folders=folders: [os.listdir(f) for f in folders])
            swept = best(lambda outs=outs: export_leftovers(outs))
            print(
                f"N={count:5}  export_leftovers {swept * 1e3:8.2f} ms   listing each folder once {floor * 1e3:7.2f} ms"
                f"   ratio {swept / floor:7.1f}"
            )


if __name__ == "__main__":
    main()
