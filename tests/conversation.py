"""Two-voice conversations spoken by espeak-ng, with the reference of who speaks when (for diarization).

The two voices differ in accent, timbre and pitch (`-p 30` against `-p 70`): two espeak voices at one
pitch are nearly the same voice to a speaker-embedding model.
"""

from __future__ import annotations

import difflib
import importlib.util
import io
import re
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

RATE = 16000
VOICES = (["-v", "en-us", "-p", "30", "-s", "165"], ["-v", "en-gb+f3", "-p", "70", "-s", "175"])
CROSSING = (["-v", "en-us+f2", "-p", "65", "-s", "160"], ["-v", "en-gb-scotland", "-p", "35", "-s", "170"])  # QA B17/18
SIMILAR = (["-v", "en-us+f3", "-p", "55", "-s", "160"], ["-v", "en-us+f4", "-p", "45", "-s", "155"])  # QA B22

QUESTIONS = [
    "Can you tell me the story of how you got out?",
    "What happened after that?",
    "Who helped you most in the first year?",
    "How did your family react when they found out?",
    "What would you tell someone who is where you were then?",
    "Was there a moment when you almost went back?",
    "How do you spend your days now?",
    "What does safety mean to you today?",
]
ANSWERS = [
    "My case manager helped me find safe housing and a job at the bakery near the station.",
    "I went to meetings every single day for the first year, even when I did not want to go.",
    "The women at the program believed in me when nobody else did, and that changed everything for me.",
    "My sister stopped talking to me for a while, but my mother drove three hours to see me every month.",
    "I would tell them that it gets easier, slowly, and that asking for help is not a weakness at all.",
    "There was one winter when the money ran out and I thought about calling my old friends again.",
    "I work early mornings at the bakery, then I take a class at the community college in the evening.",
    "Safety means I can lock my own door at night and nobody else has a key to it.",
]


@dataclass(frozen=True)
class Spoken:
    samples: np.ndarray  # float32 mono 16 kHz
    reference: list[tuple[float, float, int]]  # (start, end, speaker) of each utterance, trimmed of silence
    tracks: tuple[np.ndarray, ...] = ()  # each speaker's speech alone, as their own microphone hears it


def speak(text: str, voice: list[str]) -> np.ndarray:
    """espeak-ng's speech of `text` at 16 kHz, leading and trailing silence removed."""
    wav = subprocess.run(["espeak-ng", *voice, "--stdout", text], check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(wav)) as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
    frame = av.AudioFrame.from_ndarray(pcm[None, :], format="s16", layout="mono")
    frame.sample_rate = rate
    out = np.concatenate([f.to_ndarray().reshape(-1) for f in [*resampler.resample(frame), *resampler.resample(None)]])
    voiced = np.flatnonzero(np.abs(out) > 1e-3)
    return out[voiced[0] : voiced[-1] + 1].astype(np.float32)


def conversation(
    utterances: list[tuple[int, str]],
    pause: float = 0.4,
    overlap: float = 0.0,
    seed: int = 0,
    voices: Sequence[list[str]] = VOICES,
) -> Spoken:
    """Speak each (speaker, text) in turn, speaker k in ``voices[k]``. Pauses vary around `pause`; with
    `overlap` > 0 every third change of speaker starts that many seconds before the previous utterance ends."""
    rng = np.random.default_rng(seed)
    gaps = []
    for i, (speaker, _) in enumerate(utterances):
        gap = pause * rng.uniform(0.5, 1.5)
        if overlap and i % 3 == 2 and speaker != utterances[i - 1][0]:
            gap = -overlap
        gaps.append(gap)
    return scripted([(speaker, text, gap) for (speaker, text), gap in zip(utterances, gaps, strict=True)], rng, voices)


def scripted(
    lines: list[tuple[int, str, float]],
    rng: np.random.Generator | int = 0,
    voices: Sequence[list[str]] = VOICES,
    level: float = 1.0,
    noise: float = 1e-3,
    tail: float = 0.5,
) -> Spoken:
    """Speak each (speaker, text, gap) at ``level``: ``gap`` seconds after the previous line ends (before it, if
    negative: crosstalk), over room noise of that standard deviation, and ``tail`` seconds of it after the
    last. Each speaker's own track is kept too (``tracks``, without the noise), for stereo with one microphone
    each."""
    rng = np.random.default_rng(rng)
    pieces: list[tuple[int, int, np.ndarray]] = []
    reference: list[tuple[float, float, int]] = []
    cursor = 0
    for speaker, text, gap in lines:
        speech = speak(text, voices[speaker])
        start = max(0, cursor + int(RATE * gap))
        pieces.append((speaker, start, speech))
        reference.append((start / RATE, (start + len(speech)) / RATE, speaker))
        cursor = start + len(speech)
    length = max(start + len(speech) for _, start, speech in pieces) + round(tail * RATE)
    tracks = [np.zeros(length, np.float32) for _ in range(max(speaker for speaker, _, _ in pieces) + 1)]
    for speaker, start, speech in pieces:
        tracks[speaker][start : start + len(speech)] += level * speech
    samples = np.sum(tracks, axis=0).astype(np.float32)
    samples += rng.normal(0, noise, len(samples)).astype(np.float32)  # a quiet room, not digital silence
    return Spoken(samples, reference, tuple(tracks))


def interview(exchanges: int, overlap: float = 0.0, seed: int = 0, voices: Sequence[list[str]] = VOICES) -> Spoken:
    """An interviewer (speaker 0) asks, a participant (speaker 1) answers, `exchanges` times."""
    utterances: list[tuple[int, str]] = []
    for i in range(exchanges):
        utterances += [(0, QUESTIONS[i % len(QUESTIONS)]), (1, ANSWERS[i % len(ANSWERS)])]
    return conversation(utterances, overlap=overlap, seed=seed, voices=voices)


QA_A = [  # QA's convA script: short answers, a long answer; with QA B22's two similar voices
    (0, "Thank you for coming in today. Is it all right if I record this conversation?"),
    (1, "Yes."),
    (0, "And you have read the information letter?"),
    (1, "No."),
    (0, "That is fine, we can go through it together later. Were you living in the city back then?"),
    (1, "Yes, mostly."),
    (0, "Can you tell me how you first got involved?"),
    (1, "It started when I was sixteen. I had left home because things with my stepfather were bad, and I was "
        "staying on a friend's couch. A man I met at the bus station offered me a place to stay and food, and at "
        "first he was kind to me. After a few weeks he said I owed him money for the room, and that is when "
        "everything changed. I did not have anyone to call, and I was afraid of going back home."),
    (0, "How long did that last?"),
    (1, "About three years."),
    (0, "Okay."),
    (1, "Then I got arrested, and a caseworker at the court told me about a program for women like me. That was "
        "the first time somebody asked me what I wanted."),
    (0, "What did you want?"),
    (1, "To sleep somewhere safe."),
]  # fmt: skip


def lines(spoken: Spoken) -> list[str]:
    """The text of each utterance of an interview(), in the order spoken."""
    return [
        QUESTIONS[(i // 2) % len(QUESTIONS)] if i % 2 == 0 else ANSWERS[(i // 2) % len(ANSWERS)]
        for i in range(len(spoken.reference))
    ]


def said(spoken: Spoken) -> list[tuple[str, int]]:
    """(word, speaker) of an interview() in the order spoken, words in lower case without punctuation."""
    return [(plain(word), who) for text, (_, _, who) in zip(lines(spoken), spoken.reference, strict=True)
            for word in text.split()]  # fmt: skip


def plain(word: str) -> str:
    return re.sub(r"[^a-z0-9']", "", word.lower())


def misplaced(
    spoken: Spoken, heard: list[tuple[str, float, str | None]], names: tuple[str, str] = ("Speaker 1", "Speaker 2")
) -> tuple[list[str], int]:
    """Of the transcript's words, (text, start, speaker label) in order, those that match the interview's
    text but went to another speaker than the one who said them; and how many matched. Speaker 1 is the
    first heard, as the transcript numbers them, so the interviewer (reference speaker 0); ``names`` are
    the labels of reference speakers 0 and 1."""
    reference = said(spoken)
    matcher = difflib.SequenceMatcher(None, [w for w, _ in reference], [plain(w) for w, _, _ in heard], autojunk=False)
    wrong, matched = [], 0
    for block in matcher.get_matching_blocks():
        matched += block.size
        for k in range(block.size):
            who = reference[block.a + k][1]
            text, start, speaker = heard[block.b + k]
            if speaker != names[who]:
                wrong.append(f"{text.strip()!r} at {start:.2f} s went to {speaker}, said by {names[who]}")
    return wrong, matched


LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")  # Debian's pocketsphinx-testdata


def reader_with_voices(others: int, minutes: float) -> Spoken:
    """A real reader (five librivox sentences, one man) taking turns with ``others`` espeak voices, the same
    sentences again and again for ``minutes``, as bench/transcribe.py's speech is built: on long
    recordings each often-heard sentence forms a tight group of windows of its own."""
    sentences = []
    for wav in sorted(LIBRIVOX.glob("*.wav")):
        with wave.open(str(wav)) as w:
            sentences.append(np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768)
    spoken = [speak(text, VOICES[v]) for v in range(others) for text in ANSWERS[:3]]
    pieces: list[np.ndarray] = []
    reference = []
    at, turn = 0.0, 0
    while at < minutes * 60:
        for speaker, speech in [(0, sentences[turn % len(sentences)])] + [
            (1 + v, spoken[v * 3 + turn % 3]) for v in range(others)
        ]:
            reference.append((at, at + len(speech) / RATE, speaker))
            pieces += [speech, np.zeros(RATE // 2, np.float32)]
            at += len(speech) / RATE + 0.5
        turn += 1
    return Spoken(np.concatenate(pieces), reference)


def pyannote_sample() -> Spoken | None:
    """pyannote.audio's 30 s sample of two real people talking, with its reference (the package is installed
    --no-deps by scripts/install.sh --dev for these files only); None when it is not installed."""
    spec = importlib.util.find_spec("pyannote.audio")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "sample"
    with wave.open(str(folder / "sample.wav")) as w:
        samples = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768
    names: dict[str, int] = {}
    reference = []
    for line in (folder / "sample.rttm").read_text().splitlines():
        fields = line.split()
        start = float(fields[3])
        reference.append((start, start + float(fields[4]), names.setdefault(fields[7], len(names))))
    return Spoken(samples, reference)
