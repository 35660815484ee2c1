"""Benchmark: what stopping a long recording costs now that the recorder re-seals it with its true length.

Writes a recording of the given length as the recorder does (streaming WAV, 0xFFFFFFFF lengths), then
times ``reseal_wav`` on it and, in the same run, a plain copy of the same file (the disk's floor) and
`age -d` reading it (the decryption floor). Prints seconds and the re-seal as a ratio of each floor.
Run by hand from the checkout: python -m bench.reseal [minutes] [rate] [channels]   (defaults: 120 16000 1)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fieldvault import wavstream
from fieldvault.agefile import AgeWriter, X25519Identity
from fieldvault.reseal import reseal_wav


def write_recording(path: Path, seconds: int, fmt: wavstream.WavFormat, identity: X25519Identity) -> bytes:
    """A streamed recording of ``seconds`` of noise, synced as the recorder syncs; returns its file key."""
    block = os.urandom(fmt.bytes_per_second // 10)  # 100 ms blocks, like the audio callback's
    with path.open("wb") as out:
        writer = AgeWriter(out, [identity.recipient()])
        writer.write(wavstream.header(fmt))
        for n in range(seconds * 10):
            writer.write(block)
            if n % 20 == 0:
                writer.flush()
        writer.finish()
        writer.sync()
    return writer.file_key


def copy_and_sync(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with target.open("rb+") as copied:
        os.fsync(copied.fileno())


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    minutes = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    rate = int(sys.argv[2]) if len(sys.argv) > 2 else 16000
    channels = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    fmt = wavstream.WavFormat(rate, channels)
    identity = X25519Identity.generate()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        audio = Path(tmp) / "audio.wav.age"
        key = Path(tmp) / "key.txt"
        key.write_text(str(identity) + "\n")
        keys: list[bytes] = []
        written = timed(lambda: keys.append(write_recording(audio, minutes * 60, fmt, identity)))
        file_key = keys[0]
        size = audio.stat().st_size
        copy = timed(lambda: copy_and_sync(audio, Path(tmp) / "copy"))
        (Path(tmp) / "copy").unlink()
        with open(os.devnull, "wb") as sink:
            age = timed(lambda: subprocess.run(["age", "-d", "-i", str(key), str(audio)], stdout=sink, check=True))
        reseal = timed(lambda: reseal_wav(audio, file_key))
    print(
        f"recording: {minutes} min, {rate} Hz, {channels} ch = {size / 2**20:.0f} MiB encrypted "
        f"(written in {written:.2f} s here, at the callback's pace it takes {minutes} min)"
    )
    print(f"re-seal at stop: {reseal:.2f} s  ({size / 2**20 / reseal:.0f} MiB/s)")
    print(f"plain copy + sync of the same file: {copy:.2f} s  -> re-seal = {reseal / copy:.2f} x copy")
    print(f"age -d of the same file: {age:.2f} s  -> re-seal = {reseal / age:.2f} x age -d")


if __name__ == "__main__":
    main()
