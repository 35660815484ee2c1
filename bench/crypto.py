"""Benchmark: fieldvault's age encryption against the `age` CLI on the same data, in one run.

Prints throughput of each, fieldvault's as a ratio of age's (goal >= 0.8), and fieldvault's peak
memory at two file sizes (goal: the same at both). Run by hand: python3 bench/crypto.py [MiB]
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fieldvault.agefile import X25519Identity

STREAM = """
import sys
from fieldvault.agefile import AgeReader, AgeWriter, X25519Identity, X25519Recipient
mode, key, src, dst = sys.argv[1:5]
with open(src, "rb") as inp, open(dst, "wb") as out:
    if mode == "encrypt":
        writer = AgeWriter(out, [X25519Recipient.parse(key)])
        while block := inp.read(1 << 20):
            writer.write(block)
        writer.finish()
    else:
        for chunk in AgeReader(inp, [X25519Identity.parse(key)]).chunks():
            out.write(chunk)
"""


def peak_rss(command: list[str]) -> int:
    """Peak RSS in KiB of one command, measured by GNU time-like wait4 on a fresh process."""
    proc = subprocess.Popen(command)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{command[0]} failed")
    return usage.ru_maxrss


def digest(path: Path) -> str:
    with path.open("rb") as src:
        return hashlib.file_digest(src, "sha256").hexdigest()


def best_of(runs: int, command: list[str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    age = shutil.which("age")
    if age is None:
        raise SystemExit("the age CLI is missing: apt-get install age")
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    identity = X25519Identity.generate()
    recipient = str(identity.recipient())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        key = folder / "key.txt"
        key.write_text(f"{identity}\n")
        plain = folder / "plain.bin"
        with plain.open("wb") as out:
            for _ in range(mib):
                out.write(os.urandom(1 << 20))
        fv = [sys.executable, "-c", STREAM]
        age_enc = best_of(3, [age, "-r", recipient, "-o", str(folder / "a.age"), str(plain)])
        age_dec = best_of(3, [age, "-d", "-i", str(key), "-o", str(folder / "a.out"), str(folder / "a.age")])
        fv_enc = best_of(3, [*fv, "encrypt", recipient, str(plain), str(folder / "f.age")])
        fv_dec = best_of(3, [*fv, "decrypt", str(identity), str(folder / "f.age"), str(folder / "f.out")])
        assert digest(folder / "f.out") == digest(plain) == digest(folder / "a.out")
        # Cross-check: age reads fieldvault's file.
        subprocess.run([age, "-d", "-i", str(key), "-o", str(folder / "x.out"), str(folder / "f.age")], check=True)

        small = folder / "small.bin"
        with plain.open("rb") as src:
            small.write_bytes(src.read(16 << 20))
        rss_small = peak_rss([*fv, "encrypt", recipient, str(small), str(folder / "s.age")])
        rss_big = peak_rss([*fv, "encrypt", recipient, str(plain), str(folder / "b.age")])
        rss_dec_small = peak_rss([*fv, "decrypt", str(identity), str(folder / "s.age"), str(folder / "s.out")])
        rss_dec_big = peak_rss([*fv, "decrypt", str(identity), str(folder / "b.age"), str(folder / "b.out")])

    def rate(seconds: float) -> float:
        return mib / seconds

    print(f"data: {mib} MiB, best of 3 runs each, same machine, same run")
    print(
        f"encrypt: age {rate(age_enc):7.1f} MiB/s   fieldvault {rate(fv_enc):7.1f} MiB/s   "
        f"ratio {age_enc / fv_enc:.2f} (goal >= 0.8)"
    )
    print(
        f"decrypt: age {rate(age_dec):7.1f} MiB/s   fieldvault {rate(fv_dec):7.1f} MiB/s   "
        f"ratio {age_dec / fv_dec:.2f} (goal >= 0.8)"
    )
    print(
        f"peak RSS encrypt: 16 MiB file {rss_small / 1024:.1f} MiB, {mib} MiB file {rss_big / 1024:.1f} MiB "
        f"(ratio {rss_big / rss_small:.2f}; 1.00 = constant)"
    )
    print(
        f"peak RSS decrypt: 16 MiB file {rss_dec_small / 1024:.1f} MiB, {mib} MiB file {rss_dec_big / 1024:.1f} MiB "
        f"(ratio {rss_dec_big / rss_dec_small:.2f}; 1.00 = constant)"
    )


if __name__ == "__main__":
    main()
