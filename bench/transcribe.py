"""Benchmark: the transcription pipeline before and after issues 11 and 17, side by side in one run.

Builds minutes of speech (real read speech from Debian's pocketsphinx-testdata, plus espeak-ng
interview sentences), stores it encrypted in a scratch study, and transcribes it in a process per
system, all on the same tiny.en weights: before (bench/baseline.py), after (faster-whisper), after
with mono diarization, after on openai-whisper. Prints wall time, real-time factor, peak RSS and WER
of each, and the speed ratios.
Run by hand from the checkout: python -m bench.transcribe [--minutes 10] [--long-hours 0]
(--long-hours 1 also measures transcription + diarization of a one-hour mono recording.)

The audio is the same on every run: sox converts the espeak-ng sentences with its repeatable dither (-R). Without
it, sox dithers each run with fresh random noise (+-2 LSB, -90 dB), and that alone moved the WER of the same code
between runs (idle, 81693c0: before 0.083/0.079/0.076, after 0.071/0.068/0.065): on five builds of the audio, each
system transcribed in one process, before gave 0.0795-0.083 and after 0.0661-0.0713, after below before on every
build (speed13's notes). On one audio the pipeline gives the same words on every run, after+speakers too (each run a
process of its own, and twice in one process: tests/e2e/test_reproducible.py); CTranslate2's thread count and the
batches do not move them. WER differences under ~0.005 between code changes are within what such noise does to
tiny.en: compare on more than one audio before calling them gains or losses.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench.wer import word_error_rate
from fieldvault import layout, wavstream
from fieldvault.agefile import AgeWriter
from fieldvault.events import SessionEvents
from fieldvault.layout import AUDIO, EVENTS
from fieldvault.study import Study

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
INTERVIEW = [
    "Can you tell me the story of how you got out?",
    "My case manager helped me find safe housing and a job at the bakery.",
    "I went to meetings every single day for the first year.",
    "The women at the program believed in me when nobody else did.",
]
PASSPHRASE = b"benchmark passphrase"

RUN = """
import json, sys, time
from pathlib import Path
from fieldvault.audiofile import load_for_whisper
from fieldvault.study import Study
from fieldvault.transcribe.backend import Options, load_backend
from fieldvault.transcribe.models import resolve
from fieldvault.transcribe.pipeline import Diarization, Job, transcribe_session
root, folder, system = sys.argv[1:4]
study = Study.open(Path(root))
identities = study.unlock(b"benchmark passphrase")
model = resolve("tiny.en")
started = time.perf_counter()
job = Job(Path(folder).parent.name, Path(folder).name, Path(folder))
if system == "before":
    from bench.baseline import transcribe_before
    audio, _ = load_for_whisper(study, job.folder, identities)
    text = " ".join(w for _, _, w in transcribe_before(audio, str(model.path)))
    speakers = 0
else:
    backend = load_backend("openai-whisper" if system.startswith("openai") else "faster-whisper", model)
    diarization = Diarization() if system.endswith("+speakers") else None
    transcript = transcribe_session(study, job, identities, backend, model, Options(), diarization=diarization)
    text = transcript.text
    speakers = len({s.speaker for s in transcript.segments if s.speaker})
print(json.dumps({"seconds": time.perf_counter() - started, "text": text, "speakers": speakers}))
"""
SYSTEMS = {
    "before": "before: 300 s windows, no VAD, conditioned (faster-whisper)",
    "after": "after: VAD clips, batched, checked (faster-whisper)",
    "after+speakers": "after + mono diarization (faster-whisper)",
    "openai-after": "after (openai-whisper)",
}


def _wav_samples(path: Path) -> np.ndarray:
    data = path.read_bytes()
    fmt, offset = wavstream.parse_header(data[:4096])
    assert fmt.rate == 16000 and fmt.channels == 1
    return np.frombuffer(data[offset:], dtype=np.int16)


def _speech(folder: Path) -> list[tuple[np.ndarray, str]]:
    pieces = []
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        match = re.match(r"<s> (.*) </s> \((.*)\)", line)
        if match:
            pieces.append((_wav_samples(LIBRIVOX / f"{match.group(2)}.wav"), match.group(1)))
    for number, sentence in enumerate(INTERVIEW):
        raw, wav = folder / f"e{number}.raw.wav", folder / f"e{number}.wav"
        subprocess.run(["espeak-ng", "-w", str(raw), sentence], check=True)
        subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
        pieces.append((_wav_samples(wav), sentence))
    return pieces


def build(seconds: float, folder: Path) -> tuple[np.ndarray, str]:
    pieces = _speech(folder)
    gap = np.zeros(8000, dtype=np.int16)
    audio, words, total, index = [], [], 0.0, 0
    while total < seconds:
        samples, text = pieces[index % len(pieces)]
        audio += [samples, gap]
        words.append(text)
        total += (len(samples) + len(gap)) / 16000
        index += 1
    return np.concatenate(audio), " ".join(words)


def store(study: Study, pseudonym: str, samples: np.ndarray) -> Path:
    """The recording and its sealed timeline (the readers refuse a recording without one: QA J3)."""
    session = "20261124-100000"
    folder = layout.session(study.root, pseudonym, session)
    folder.mkdir(parents=True)
    with (folder / AUDIO).open("wb") as out:
        writer = AgeWriter(out, study.recipients())
        writer.write(wavstream.header(wavstream.WavFormat(16000, 1)))
        for start in range(0, len(samples), 1 << 20):
            writer.write(samples[start : start + (1 << 20)].tobytes())
        writer.finish()
    study.write_new(folder / EVENTS, SessionEvents(pseudonym, session, {"rate": 16000}).to_json())
    return folder


def run(root: Path, folder: Path, system: str) -> tuple[dict[str, object], float, float]:
    """What the system heard, its peak RSS (MiB) and the CPU seconds its process used (all threads)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", RUN, str(root), str(folder), system],
        stdout=subprocess.PIPE,
        env={**os.environ, "FIELDVAULT_HOME": str(root.parent / "home"), "PYTHONPATH": str(Path.cwd())},
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"{system} failed")
    return json.loads(out), usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--systems", default="before,after,after+speakers,openai-after")
    parser.add_argument("--long-hours", type=float, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        study = Study.create(scratch / "study", "Bench", "", PASSPHRASE, work_factor=10)
        samples, reference = build(args.minutes * 60, scratch)
        folder = store(study, "Bench", samples)
        audio_seconds = len(samples) / 16000
        print(
            f"audio: {audio_seconds / 60:.1f} min of speech (librivox read speech + espeak-ng), tiny.en, "
            f"CPU, {os.cpu_count()} cores"
        )
        seconds = {}
        for system in args.systems.split(","):
            result, rss, cpu = run(study.root, folder, system)
            seconds[system] = float(str(result["seconds"]))
            print(
                f"{SYSTEMS[system]:>62}: {seconds[system]:7.1f} s  RTF {seconds[system] / audio_seconds:.3f}  "
                f"CPU {cpu:5.1f} s  peak RSS {rss:5.0f} MiB  "
                f"WER {word_error_rate(reference, str(result['text'])):.3f}  "
                f"speakers {result['speakers']}"
            )
        for system in ("after", "after+speakers"):
            if "before" in seconds and system in seconds:
                print(f"{system} is {seconds['before'] / seconds[system]:.2f}x as fast as before (goal >= 1.5x)")
        if args.long_hours:
            long_samples, _ = build(args.long_hours * 3600, scratch)
            long_folder = store(study, "Long", long_samples)
            del long_samples
            result, rss, cpu = run(study.root, long_folder, "after+speakers")
            wall = float(str(result["seconds"]))
            print(
                f"{args.long_hours:g} h mono, transcription + diarization: {wall:.0f} s wall, "
                f"RTF {wall / (args.long_hours * 3600):.3f} (goal <= 0.15), CPU {cpu:.0f} s, "
                f"peak RSS {rss:.0f} MiB (goal <= 1024 MiB)"
            )


if __name__ == "__main__":
    main()
