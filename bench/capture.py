"""Benchmark: the recording pipeline (callback -> queue -> encrypting writer) over 30 minutes of audio.

Prints CPU time per second of audio (goal: < 5 % of one core), dropped blocks (goal: 0), and, as the
baseline measured in the same run, the CPU the `age` CLI spends encrypting the same bytes.
Run by hand: python3 bench/capture.py [minutes] [speed]
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from fieldvault import layout
from fieldvault.capture.recorder import Recorder
from fieldvault.capture.source import ArraySource
from fieldvault.guide import Guide
from fieldvault.study import Study

RATE = 16000


def main() -> None:
    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 30
    speed = float(sys.argv[2]) if len(sys.argv) > 2 else 60
    rng = np.random.default_rng(1)
    audio = (rng.normal(0, 3000, int(minutes * 60 * RATE))).astype(np.int16).reshape(-1, 1)
    with tempfile.TemporaryDirectory() as tmp:
        study = Study.create(Path(tmp) / "study", "Bench", "", b"benchmark passphrase", work_factor=10)
        layout.participant(study.root, "Bench").mkdir()
        recorder = Recorder(study, "Bench", ArraySource(audio, RATE, speed=speed), Guide.for_study(None))
        cpu_before = time.process_time()
        wall_before = time.perf_counter()
        folder = recorder.start()
        while recorder.status().ended is None:
            time.sleep(0.2)
        summary = recorder.stop()
        cpu = time.process_time() - cpu_before
        wall = time.perf_counter() - wall_before

        raw = Path(tmp) / "raw.pcm"  # synthetic noise, not participant audio
        raw.write_bytes(audio.tobytes())
        age = shutil.which("age")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        if age:
            subprocess.run([age, "-r", study.config.recipients[0].key, "-o", os.devnull, str(raw)], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        age_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        size = (folder / "audio.wav.age").stat().st_size

    audio_seconds = len(audio) / RATE
    print(f"audio: {audio_seconds / 60:.0f} min of 16 kHz mono, fed at {speed:.0f}x real time in {wall:.1f} s")
    print(
        f"fieldvault pipeline CPU: {cpu:.2f} s = {100 * cpu / audio_seconds:.3f} % of one core per audio second "
        f"(goal < 5 %)"
    )
    print(f"dropped blocks: {summary.dropped_blocks}, input overflows: {summary.overflows} (goal 0)")
    if age:
        print(
            f"baseline, age CLI encrypting the same bytes: {age_cpu:.2f} s CPU; fieldvault/age = {cpu / age_cpu:.1f}x "
            "(fieldvault also paces blocks, queues them, meters levels and fsyncs every 2 s)"
        )
    print(f"encrypted file: {size / 2**20:.1f} MiB for {len(audio) * 2 / 2**20:.1f} MiB of samples")


if __name__ == "__main__":
    main()
