"""Benchmark: does transcription invent words where nobody speaks, and does it keep quiet speech?

Builds one recording with known content: read speech (librivox, Debian pocketsphinx-testdata) and
espeak-ng interview sentences, interleaved with stretches of digital silence, room tone, pink, brown
and white noise at low levels, a fan hum, noise bursts (knocks, a door), synthesised sighs (band-passed
noise envelopes) and sobs (pitched glides with breath), and music-like tones; then the same sentences
again peaking at -20 and -30 dBFS. Each system transcribes it; reported side by side:
invented words per hour of non-speech (and per kind), WER on the speech, recall of the quiet speech.

"before" is the pipeline as it was (bench/baseline.py: 300 s windows, no voice gate, conditioned on the
previous text); "after" is fieldvault's pipeline on each backend, the same tiny.en weights.
Run by hand from the checkout: python -m bench.fidelity [--backends faster-whisper,openai-whisper] [--seed 7]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

from bench.baseline import transcribe_before
from bench.wer import word_error_rate
from fieldvault.transcribe.backend import Options, load_backend
from fieldvault.transcribe.models import resolve
from fieldvault.transcribe.pipeline import transcribe_mono

RATE = 16000
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
SENTENCES = [
    "I don't know how to say this, but it was the worst year of my life.",
    "My case manager helped me find safe housing and a job at the bakery.",
    "I went to meetings every single day for the first year.",
    "The women at the program believed in me when nobody else did.",
    "Can you tell me what happened after you left the house?",
    "My sister drove three hours to see me every month.",
]
VOICES = (["-v", "en-us", "-p", "40"], ["-v", "en-gb+f3", "-p", "65"])
EDGE = 0.5  # seconds at each end of a non-speech stretch not counted (word times may run over)
Words = list[tuple[float, float, str]]


@dataclass
class Scene:
    audio: list[np.ndarray] = field(default_factory=list)
    at: float = 0.0
    speech: list[tuple[float, float, str, str]] = field(default_factory=list)  # start, end, text, level
    quiet: list[tuple[float, float, str]] = field(default_factory=list)  # start, end, kind

    def add(self, samples: np.ndarray) -> tuple[float, float]:
        start = self.at
        self.audio.append(samples.astype(np.float32))
        self.at += len(samples) / RATE
        return start, self.at


def _db(level: float) -> float:
    return float(10 ** (level / 20))


def _at_rms(samples: np.ndarray, level: float) -> np.ndarray:
    return samples / (np.sqrt(np.mean(np.square(samples))) + 1e-12) * _db(level)


def _at_peak(samples: np.ndarray, level: float) -> np.ndarray:
    return samples / (np.abs(samples).max() + 1e-12) * _db(level)


def _coloured(rng: np.random.Generator, seconds: float, exponent: float) -> np.ndarray:
    """Noise with power falling as 1/f**exponent (0 white, 1 pink, 2 brown)."""
    n = int(seconds * RATE)
    spectrum = np.fft.rfft(rng.normal(size=n))
    freqs = np.maximum(np.fft.rfftfreq(n, 1 / RATE), 10.0)
    return np.fft.irfft(spectrum / freqs ** (exponent / 2), n)


def _band(rng: np.random.Generator, seconds: float, low: float, high: float) -> np.ndarray:
    n = int(seconds * RATE)
    spectrum = np.fft.rfft(rng.normal(size=n))
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    spectrum[(freqs < low) | (freqs > high)] = 0
    return np.fft.irfft(spectrum, n)


def _envelope(n: int, rise: float, fall: float) -> np.ndarray:
    t = np.arange(n) / RATE
    return np.minimum(t / rise, 1.0) * np.exp(-np.maximum(t - rise, 0) / fall)


def _sighs(rng: np.random.Generator, seconds: float) -> np.ndarray:
    out = np.zeros(int(seconds * RATE))
    for start in np.arange(1.0, seconds - 3, 4.0):
        sigh = _band(rng, 2.2, 250, 1600) * _envelope(int(2.2 * RATE), 0.5, 0.6)
        begin = int((start + rng.uniform(0, 0.8)) * RATE)
        out[begin : begin + len(sigh)] += _at_peak(sigh, -22)
    return out


def _sobs(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """Crying: bursts of 3-5 short voiced pulses whose pitch glides down, with breathy noise between."""
    out = np.zeros(int(seconds * RATE))
    for start in np.arange(0.5, seconds - 4, 5.0):
        at = start
        for _ in range(int(rng.integers(3, 6))):
            length = rng.uniform(0.25, 0.5)
            t = np.arange(int(length * RATE)) / RATE
            f0 = np.linspace(rng.uniform(380, 480), rng.uniform(250, 320), len(t))
            phase = 2 * np.pi * np.cumsum(f0) / RATE
            voiced = sum(np.sin(k * phase) / k for k in range(1, 6)) * np.sin(np.pi * t / length)
            breath = _band(rng, length, 500, 3000) * 0.3 * np.sin(np.pi * t / length)
            begin = int(at * RATE)
            out[begin : begin + len(t)] += _at_peak(voiced + breath, -20)
            at += length + rng.uniform(0.1, 0.3)
        inhale = _band(rng, 0.6, 800, 4000) * _envelope(int(0.6 * RATE), 0.3, 0.2)
        out[int(at * RATE) : int(at * RATE) + len(inhale)] += _at_peak(inhale, -30)
    return out


def _tones(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """Music-like: notes of a pentatonic scale with harmonics and a decaying envelope."""
    out = np.zeros(int(seconds * RATE))
    scale = [220.0 * 2 ** (s / 12) for s in (0, 2, 4, 7, 9, 12, 14, 16)]
    at = 0.0
    while at < seconds - 1:
        length = float(rng.choice([0.25, 0.5, 0.75]))
        t = np.arange(int(length * RATE)) / RATE
        f = float(rng.choice(scale))
        note = (np.sin(2 * np.pi * f * t) + 0.4 * np.sin(4 * np.pi * f * t) + 0.2 * np.sin(6 * np.pi * f * t)) * (
            _envelope(len(t), 0.01, length / 2)
        )
        begin = int(at * RATE)
        out[begin : begin + len(t)] += _at_peak(note, -18)
        at += length
    return out


def _bursts(rng: np.random.Generator, seconds: float) -> np.ndarray:
    out = np.zeros(int(seconds * RATE))
    for start in np.sort(rng.uniform(0.5, seconds - 1, 9)):
        length = rng.uniform(0.05, 0.3)
        burst = rng.normal(size=int(length * RATE)) * np.exp(-np.arange(int(length * RATE)) / (0.04 * RATE))
        out[int(start * RATE) : int(start * RATE) + len(burst)] += _at_peak(burst, -8)
    return out


def _fan(rng: np.random.Generator, seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    hum = np.sin(2 * np.pi * 100 * t) + np.sin(4 * np.pi * 100 * t) / 2 + np.sin(6 * np.pi * 100 * t) / 3
    return _at_rms(hum, -45) + _at_rms(_coloured(rng, seconds, 1), -42)


def non_speech(rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    return [
        ("digital silence", np.zeros(30 * RATE)),
        ("room tone -60 dBFS", _at_rms(rng.normal(size=30 * RATE), -60)),
        ("pink noise -40 dBFS", _at_rms(_coloured(rng, 45, 1), -40)),
        ("brown noise -35 dBFS", _at_rms(_coloured(rng, 30, 2), -35)),
        ("white noise -45 dBFS", _at_rms(_coloured(rng, 20, 0), -45)),
        ("pink noise -30 dBFS", _at_rms(_coloured(rng, 45, 1), -30)),
        ("fan hum", _fan(rng, 30)),
        ("noise bursts", _bursts(rng, 20) + _at_rms(rng.normal(size=20 * RATE), -60)),
        ("sighs", _sighs(rng, 25)),
        ("sobs", _sobs(rng, 30)),
        ("music-like tones", _tones(rng, 30)),
    ]


def _espeak(text: str, voice: list[str], folder: Path) -> np.ndarray:
    raw, wav = folder / "raw.wav", folder / "s.wav"
    subprocess.run(["espeak-ng", *voice, "-w", str(raw), text], check=True)
    # -R: the same dither on every run (sox's default is fresh noise each time, which moves tiny.en's words)
    subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
    data = wav.read_bytes()
    return np.frombuffer(data[data.index(b"data") + 8 :], dtype=np.int16).astype(np.float32) / 32768


def speech_pieces(folder: Path) -> list[tuple[np.ndarray, str]]:
    pieces = []
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        if match := re.match(r"<s> (.*) </s> \((.*)\)", line):
            data = (LIBRIVOX / f"{match.group(2)}.wav").read_bytes()
            samples = np.frombuffer(data[data.index(b"data") + 8 :], dtype=np.int16).astype(np.float32) / 32768
            pieces.append((samples, match.group(1)))
    for number, sentence in enumerate(SENTENCES):
        pieces.append((_espeak(sentence, VOICES[number % 2], folder), sentence))
    return pieces


def build(folder: Path, seed: int) -> tuple[np.ndarray, Scene]:
    rng = np.random.default_rng(seed)
    scene = Scene()
    pieces = speech_pieces(folder)
    gap = np.zeros(RATE // 2)
    for number, (kind, noise) in enumerate(non_speech(rng)):
        samples, text = pieces[number % len(pieces)]
        start, end = scene.add(_at_peak(samples, -3))
        scene.speech.append((start, end, text, "normal"))
        scene.add(gap)
        start, end = scene.add(noise)
        scene.quiet.append((start, end, kind))
        scene.add(gap)
    for level in (-20, -30):
        for samples, text in pieces[:8]:
            start, end = scene.add(_at_peak(samples, level))
            scene.speech.append((start, end, text, f"{level} dBFS"))
            scene.add(np.zeros(RATE))
    return np.concatenate(scene.audio).astype(np.float32), scene


def _normal(text: str) -> list[str]:
    from whisper.normalizers import EnglishTextNormalizer

    return str(EnglishTextNormalizer()(text)).split()


def _recall(reference: str, hypothesis: str) -> float:
    ref, hyp = _normal(reference), _normal(hypothesis)
    row = [0] * (len(hyp) + 1)
    for word in ref:
        previous = 0
        for j, heard in enumerate(hyp, 1):
            previous, row[j] = row[j], previous + 1 if word == heard else max(row[j], row[j - 1])
    return row[-1] / len(ref) if ref else 1.0


def _inside(words: Words, start: float, end: float) -> str:
    return " ".join(w for a, b, w in words if start <= (a + b) / 2 <= end and not w.strip().startswith("["))


@dataclass
class Result:
    invented: dict[str, list[str]]  # per kind of non-speech
    markers: int  # [inaudible] markers inside non-speech
    per_hour: float
    wer: float
    recall: dict[str, float]
    seconds: float = 0.0


def score(words: Words, scene: Scene) -> Result:
    invented = {kind: _inside(words, a + EDGE, b - EDGE).split() for a, b, kind in scene.quiet}
    hours = sum(b - a - 2 * EDGE for a, b, _ in scene.quiet) / 3600
    normal = [(a, b, t) for a, b, t, level in scene.speech if level == "normal"]
    heard = " ".join(_inside(words, a - EDGE, b + EDGE) for a, b, _ in normal)
    recall = {
        level: _recall(
            " ".join(t for _, _, t, lv in scene.speech if lv == level),
            " ".join(_inside(words, a - EDGE, b + EDGE) for a, b, _, lv in scene.speech if lv == level),
        )
        for level in ("-20 dBFS", "-30 dBFS")
    }
    spans = [(a + EDGE, b - EDGE) for a, b, _ in scene.quiet]
    markers = sum(1 for a, b, w in words if w.startswith("[") and any(x <= (a + b) / 2 <= y for x, y in spans))
    return Result(
        invented,
        markers,
        sum(len(v) for v in invented.values()) / hours,
        word_error_rate(" ".join(t for _, _, t in normal), heard),
        recall,
    )


def _count(result: Result, kind: str) -> str:
    return str(len(result.invented[kind]))


def after(backend_name: str) -> Callable[[np.ndarray], Words]:
    def run(audio: np.ndarray) -> Words:
        model = resolve("tiny.en")
        segments = transcribe_mono(audio, load_backend(backend_name, model), Options())
        inaudible = [(s.start, s.end, s.text) for s in segments if not s.words]
        return [(w.start, w.end, w.text) for s in segments for w in s.words] + inaudible

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="faster-whisper,openai-whisper")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        audio, scene = build(Path(tmp), args.seed)
    quiet = sum(b - a for a, b, _ in scene.quiet)
    print(
        f"audio: {len(audio) / RATE / 60:.1f} min; {quiet / 60:.1f} min without speech in {len(scene.quiet)} kinds; "
        f"{len(scene.speech)} spoken pieces (librivox + espeak-ng), 8 of them at -20 and 8 at -30 dBFS peak"
    )
    systems: dict[str, Callable[[np.ndarray], Words]] = {
        "before (faster-whisper)": lambda a: transcribe_before(a, str(resolve("tiny.en").path))
    }
    systems |= {f"after ({name})": after(name) for name in args.backends.split(",")}
    results = {}
    for name, run in systems.items():
        started = time.perf_counter()
        words = run(audio)
        results[name] = score(words, scene)
        results[name].seconds = time.perf_counter() - started
        print(f"  {name}: {results[name].seconds:.0f} s", flush=True)
    names = list(results)
    print(f"\n{'':34}" + "".join(f"{n:>26}" for n in names))
    rows: list[tuple[str, Callable[[Result], str]]] = [
        ("invented words / hour non-speech", lambda r: f"{r.per_hour:.0f}"),
        ("[inaudible] markers in non-speech", lambda r: str(r.markers)),
        ("WER on speech", lambda r: f"{r.wer:.3f}"),
        ("recall of speech at -20 dBFS", lambda r: f"{r.recall['-20 dBFS']:.3f}"),
        ("recall of speech at -30 dBFS", lambda r: f"{r.recall['-30 dBFS']:.3f}"),
        ("wall seconds", lambda r: f"{r.seconds:.0f}"),
    ]
    rows += [(f"  invented in {kind}", partial(_count, kind=kind)) for _, _, kind in scene.quiet]
    for label, show in rows:
        print(f"{label:34}" + "".join(f"{show(results[n]):>26}" for n in names))
    for name in names:
        made_up = {k: " ".join(v) for k, v in results[name].invented.items() if v}
        for kind, text in made_up.items():
            print(f"{name} in {kind}: {text[:150]}")


if __name__ == "__main__":
    main()
