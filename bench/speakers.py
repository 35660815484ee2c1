"""Benchmark: speaker diarization error rate, speed and memory.

DER (collar 0.25 s in all, pyannote's convention: half before and half after each reference boundary;
overlap scored) from fieldvault's frame scorer, with pyannote.metrics' figure beside it, on:
  - two-voice espeak-ng interviews (voices and pitches differ), without and with 1 s of crosstalk;
  - QA's interviews of an interviewer who says little (G7, with distinct and alike voices; q8m.wav), as the tests
    rebuild them;
  - pyannote.audio's 30 s sample of two real people talking (installed --no-deps by install.sh --dev);
  - stereo with simulated bleed (each channel carries the other at -12 dB): who talks by channel
    energy alone, diarization of the mono mix of the same file, and the DER and crosstalk marks of the
    pipeline's stereo turns at -12 and -6 dB bleed, without and with 1 s of crosstalk;
then, through the whole transcription (tiny.en, faster-whisper) with diarization, how many words of
the espeak interviews went to another speaker than the one who said them (QA A11), and how many
segments are marked [crosstalk], on crosstalk or not; the same through stereo transcription, with the
words of the one who talks over the other found (QA B17) and words written for both speakers, and, in both,
the sentences written as a copy of the one beside them (QA D9: none is said twice in the scripts); then the
real-time factor and peak memory of diarizing a long mono recording (an hour by default), in a child
process of its own, and the CPU time of putting its speakers onto a word every 0.3 s. Run by hand, on a
machine others share under the lock:
    flock /work/cpu.lock python -m bench.speakers [--minutes 60] [--no-words]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import subprocess
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from fieldvault.transcribe.diarization import diarize, vad
from fieldvault.transcribe.diarization.scoring import Segments, diarization_error_rate
from fieldvault.transcribe.stereo import split
from fieldvault.transcribe.voice import VoiceSettings
from fieldvault.transcript import Segment
from tests.conversation import RATE, Spoken, interview, lines, misplaced, plain, pyannote_sample

COLLAR = 0.25
BLEED = 10 ** (-12 / 20)  # -12 dB

CHILD = """
import json, resource, sys, time
import numpy as np
from fieldvault.transcribe.diarization import diarize
from fieldvault.transcribe.diarization.scoring import diarization_error_rate
samples = np.load(sys.argv[1])
reference = [tuple(r) for r in json.load(open(sys.argv[2]))]
wall, cpu = time.perf_counter(), time.process_time()
turns = diarize(samples, 16000, speakers=2)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
der = diarization_error_rate(reference, [(t.start, t.end, t.speaker) for t in turns], 0.25).der
print(json.dumps({"wall": wall, "cpu": cpu, "der": der, "turns": len(turns),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def pyannote_der(reference: Segments, hypothesis: Segments, collar: float = COLLAR) -> float | None:
    """pyannote.metrics' diarization error rate, the reference the bench and the tests compare against;
    None where pyannote.metrics is not installed."""
    if importlib.util.find_spec("pyannote.metrics") is None:
        return None
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    warnings.filterwarnings("ignore", message="'uem' was approximated")  # the whole file is scored, as wanted
    annotations = []
    for segments in (reference, hypothesis):
        annotation = Annotation()
        for i, (start, end, who) in enumerate(segments):
            annotation[Segment(start, end), i] = f"s{who}"
        annotations.append(annotation)
    return float(DiarizationErrorRate(collar=collar, skip_overlap=False)(*annotations, uem=None))


def _row(name: str, reference: Segments, hypothesis: Segments, seconds: float, found: int | str) -> None:
    ours = diarization_error_rate(reference, hypothesis, COLLAR)
    theirs = pyannote_der(reference, hypothesis)
    check = f"{theirs * 100:6.1f}" if theirs is not None else "   n/a"
    print(
        f"{name:44s} {ours.der * 100:6.1f} {check}  miss {ours.missed:5.1f} s  fa {ours.false_alarm:5.1f} s"
        f"  conf {ours.confusion:5.1f} s  speakers {found}  ({seconds:.0f} s audio)",
        flush=True,
    )


def _crosstalk(reference: Segments, marked: list[tuple[float, float]]) -> str:
    """How many stretches of crosstalk (two speakers' reference turns overlapping by > 0.3 s) a turn
    marked overlap touches, and how many marks lie on or within 0.5 s of crosstalk."""
    spans = [
        (max(a[0], b[0]), min(a[1], b[1]))
        for i, a in enumerate(reference)
        for b in reference[i + 1 :]
        if a[2] != b[2] and min(a[1], b[1]) - max(a[0], b[0]) > 0.3
    ]
    found = sum(any(m[0] < end and m[1] > start for m in marked) for start, end in spans)
    right = sum(any(m[0] < end + 0.5 and m[1] > start - 0.5 for start, end in spans) for m in marked)
    return f"crosstalk found {found}/{len(spans)}, marks on crosstalk {right}/{len(marked)}"


def _diarized(name: str, spoken: Spoken, speakers: int | None) -> None:
    turns = diarize(spoken.samples, RATE, speakers=speakers)
    hypothesis = [(t.start, t.end, t.speaker) for t in turns]
    _row(name, spoken.reference, hypothesis, len(spoken.samples) / RATE, len({t.speaker for t in turns}))
    print(f"{'':44s} {_crosstalk(spoken.reference, [(t.start, t.end) for t in turns if t.overlap])}", flush=True)


def _words(name: str, spoken: Spoken) -> None:
    """Words with the wrong speaker and [crosstalk] marks through the whole transcription, speakers=2."""
    from fieldvault.transcribe.backend import Options, load_backend
    from fieldvault.transcribe.models import resolve
    from fieldvault.transcribe.pipeline import Diarization, transcribe_mono
    from fieldvault.transcript import CROSSTALK

    backend = load_backend("faster-whisper", resolve("tiny.en"))
    segments = transcribe_mono(spoken.samples.copy(), backend, Options(), diarization=Diarization(2))
    wrong, matched = misplaced(spoken, [(w.text, w.start, s.speaker) for s in segments for w in s.words])
    marked = [(s.start, s.end) for s in segments if CROSSTALK in s.flags]
    print(f"{name:44s} words with the wrong speaker {len(wrong):3d} of {matched:3d} heard as said; "
          f"[crosstalk] segments: {_crosstalk(spoken.reference, marked)}; {_twice(segments)}", flush=True)  # fmt: skip


def _stereo_words(name: str, spoken: Spoken, db: float) -> None:
    """Through transcribe_stereo: words with the wrong speaker, words of the crosstalk's second voice heard
    (QA B17: the question asked over an answer was lost), and words written for both speakers at once
    (bleed transcribed as speech)."""
    from fieldvault.transcribe.backend import Options, load_backend
    from fieldvault.transcribe.models import resolve
    from fieldvault.transcribe.pipeline import transcribe_stereo
    from fieldvault.transcript import INTERVIEWER, PARTICIPANT

    backend = load_backend("faster-whisper", resolve("tiny.en"))
    segments, _ = transcribe_stereo(*_channels(spoken, 10 ** (db / 20)), backend, Options())
    heard = [(w.text, w.start, s.speaker) for s in segments for w in s.words]
    wrong, matched = misplaced(spoken, heard, (INTERVIEWER, PARTICIPANT))
    names = (INTERVIEWER, PARTICIPANT)
    found = total = 0
    for ((_, before_end, _), _), ((start, end, who), text) in itertools.pairwise(
        zip(spoken.reference, lines(spoken), strict=True)
    ):
        if start >= before_end:  # not begun over the utterance before
            continue
        words = {plain(t) for t, at, speaker in heard if speaker == names[who] and start - 0.3 <= at < end + 0.3}
        total += len(text.split())
        found += sum(plain(w) in words for w in text.split())
    echoes = sum(  # the same word written for both speakers within a second: one voice's bleed transcribed
        any(plain(t) == plain(u) and abs(at - at2) < 1.0 and who != who2 for u, at2, who2 in heard)
        for t, at, who in heard
    )
    print(f"{name:44s} words with the wrong speaker {len(wrong):3d} of {matched:3d}; words of the one talking over "
          f"found {found} of {total}; words written for both within 1 s {echoes}; {_twice(segments)}",
          flush=True)  # fmt: skip


def _twice(segments: Sequence[Segment]) -> str:
    """Sentences written as a copy of the one beside them over another stretch (QA D9), none in the script."""
    from fieldvault.transcribe.copies import in_transcript, said

    return "sentences beside their copy " + str([" ".join(said(s.words)) for s in in_transcript(segments)])


def _channels(spoken: Spoken, bleed: float = BLEED) -> tuple[np.ndarray, np.ndarray]:
    """Each speaker on a channel of their own, as two lapel microphones would record them, plus bleed (in
    crosstalk each microphone hears its own speaker and the other's bleed, not the mix at full level)."""
    noise = np.random.default_rng(1).normal(0, 1e-3, (2, len(spoken.samples))).astype(np.float32)
    own = spoken.tracks
    return own[0] + bleed * own[1] + noise[0], own[1] + bleed * own[0] + noise[1]


def _energy_attribution(left: np.ndarray, right: np.ndarray) -> Segments:
    """Speech (VAD of the mix) given, frame by frame, to the channel with more energy."""
    frame = RATE // 100
    segments: Segments = []
    for start, end in vad.speech_regions(left + right, lambda _: None, lambda: False):
        first, last = round(start * 100), round(end * 100)
        energy = [
            (c[first * frame : last * frame][: (last - first) * frame] ** 2).reshape(-1, frame).sum(axis=1)
            for c in (left, right)
        ]
        louder = (energy[1] > energy[0]).astype(int)
        changes = np.flatnonzero(np.diff(louder)) + 1
        for a, b in zip(np.r_[0, changes], np.r_[changes, len(louder)], strict=True):
            segments.append(((first + a) / 100, (first + b) / 100, int(louder[a])))
    return segments


def _said_little() -> list[tuple[str, tuple[np.ndarray, list[tuple[float, float, int, str]]]]]:
    """QA's files of an interviewer who says little, as tests/e2e/test_mono_turns.py rebuilds them: G7 (two short
    questions in 37 s, after a lost input) and F12's q8m.wav (his short questions, a "Mm-hm" and a "Did you" over
    her words)."""
    from tests.e2e.test_mono_turns import ALIKE, ASKS, MET, MET_VOICES, TELLS, _says_little, recording

    return [("QA G7: 2 s of questions in 37 s", _says_little((ASKS, TELLS), 21)),
            ("QA G7, two alike voices", _says_little((ALIKE, TELLS), 21)),
            ("QA F12 q8m.wav", recording(MET, MET_VOICES, seed=83))]  # fmt: skip


def _long_run(minutes: float) -> None:
    """Diarize `minutes` of interview (espeak exchanges, repeated) in a child process: time and memory."""
    import tempfile

    piece = interview(12, seed=11)
    repeats = int(np.ceil(minutes * 60 / (len(piece.samples) / RATE)))
    offset = len(piece.samples) / RATE
    samples = np.tile(piece.samples, repeats)[: round(minutes * 60 * RATE)]
    reference = [(s + k * offset, e + k * offset, w) for k in range(repeats) for s, e, w in piece.reference]
    reference = [r for r in reference if r[1] <= len(samples) / RATE]
    with tempfile.TemporaryDirectory() as scratch:  # synthetic speech only: no study data touches disk
        np.save(f"{scratch}/audio.npy", samples)
        Path(f"{scratch}/reference.json").write_text(json.dumps(reference))
        out = subprocess.run(
            [sys.executable, "-c", CHILD, f"{scratch}/audio.npy", f"{scratch}/reference.json"],
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    seconds = len(samples) / RATE
    print(
        f"\n{seconds / 60:.1f} min mono, 2 speakers: wall {result['wall']:.0f} s (RTF {result['wall'] / seconds:.3f}), "
        f"CPU {result['cpu']:.0f} s (CPU-s per audio s {result['cpu'] / seconds:.3f}), "
        f"peak RSS {result['peak_mb']:.0f} MB (whole child process, audio included), DER {result['der'] * 100:.1f} %, "
        f"{result['turns']} turns",
        flush=True,
    )


def _assigning(minutes: float) -> None:
    """CPU time of putting the speakers onto the words (speakers.assign) of `minutes` of interview: the turns of
    the espeak exchanges repeated, a word every 0.3 s of them, a sentence every 8 words (QA F15: with every word
    weighed against every turn, an hour's held the bar at "speakers 100%" for 75 s on a loaded machine)."""
    from fieldvault.transcribe.speakers import SpeakerTurn, assign
    from fieldvault.transcript import Word

    piece = interview(12, seed=11)
    offset = len(piece.samples) / RATE
    turns = [SpeakerTurn(s + k * offset, e + k * offset, w) for k in range(int(np.ceil(minutes * 60 / offset)))
             for s, e, w in piece.reference]  # fmt: skip
    segments = []
    for turn in turns:
        times = np.arange(turn.start, turn.end - 0.25, 0.3)
        words = [Word(float(t), float(t) + 0.25, f" w{n}" + "."[: n % 8 == 7], 0.9) for n, t in enumerate(times)]
        segments += [Segment(words[0].start, words[-1].end, "", words=tuple(words))] if words else []
    cpu = time.process_time()
    assign(segments, turns, {0: "Interviewer", 1: "Participant"})
    print(f"speakers onto {sum(len(s.words) for s in segments)} words of {len(turns)} turns ({minutes:.0f} min): "
          f"CPU {time.process_time() - cpu:.2f} s", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="length of the long recording (0: skip)")
    parser.add_argument("--no-words", action="store_true", help="skip the transcription of the interviews")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"{'case':44s}  DER %  pyannote  (collar {COLLAR} s, overlap scored)")
    for seed in (1, 2, 3):
        spoken = interview(10, seed=seed)
        for speakers in (2, None):
            _diarized(f"espeak interview {seed}, speakers={speakers}", spoken, speakers)
    for seed in (4, 5):
        spoken = interview(10, overlap=1.0, seed=seed)
        for speakers in (2, None):
            _diarized(f"espeak interview {seed}, 1 s crosstalk, speakers={speakers}", spoken, speakers)
    for name, (audio, reference) in _said_little():
        for speakers in (2, None):
            _diarized(f"{name}, speakers={speakers}", Spoken(audio, [(a, b, w) for a, b, w, _ in reference]), speakers)
    real = pyannote_sample()
    if real is None:
        print("pyannote.audio's sample is not installed (scripts/install.sh --dev): real speech skipped")
    else:
        for speakers in (2, None):
            _diarized(f"real two-speaker sample, speakers={speakers}", real, speakers)
    for seed in (6, 7):
        spoken = interview(10, seed=seed)
        left, right = _channels(spoken)
        _row(
            f"stereo bleed -12 dB {seed}: channel energy",
            spoken.reference,
            _energy_attribution(left, right),
            len(left) / RATE,
            "2 (channels)",
        )
        _diarized(f"stereo bleed -12 dB {seed}: mono mix diarized", Spoken(left + right, spoken.reference), 2)
    for db, (seed, overlap) in itertools.product((-12, -6), ((6, 0.0), (4, 1.0), (5, 1.0))):  # transcribe/stereo.py
        spoken = interview(10, overlap=overlap, seed=seed)
        turns = split(*_channels(spoken, 10 ** (db / 20)), VoiceSettings()).turns
        name = f"stereo bleed {db} dB {seed}, {overlap:g} s crosstalk"
        _row(name, spoken.reference, [(t.start, t.end, t.speaker) for t in turns], len(spoken.samples) / RATE, 2)
        print(f"{'':44s} {_crosstalk(spoken.reference, [(t.start, t.end) for t in turns if t.overlap])}")
    if not args.no_words:
        print("\nthrough transcription (tiny.en) and diarization, speakers=2:")
        for seed in (1, 2, 3):
            _words(f"espeak interview {seed}", interview(10, seed=seed))
        for seed in (4, 5):
            _words(f"espeak interview {seed}, 1 s crosstalk", interview(10, overlap=1.0, seed=seed))
        print("\nstereo through transcription (tiny.en), bleed -12 and -6 dB:")
        for db, seed in itertools.product((-12, -6), (4, 5)):
            _stereo_words(f"stereo bleed {db} dB {seed}, 1 s crosstalk", interview(10, overlap=1.0, seed=seed), db)
    if args.minutes > 0:
        _long_run(args.minutes)
        _assigning(args.minutes)
    print(f"\nbench wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
