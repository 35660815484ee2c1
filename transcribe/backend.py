"""The one protocol both Whisper backends implement, and the choice between them.

A backend decodes clips: stretches of at most 30 s that voice activity found, each on its own (never
conditioned on earlier text, so a loop cannot carry over a pause). Everything else (where the clips
are, loop checks, doubtful words, speakers) is done once, above the backends, so both behave the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from fieldvault.errors import BadInput
from fieldvault.transcribe.models import Model
from fieldvault.transcript import Word

FASTER = "faster-whisper"
OPENAI = "openai-whisper"
BACKENDS = (FASTER, OPENAI)
FALLBACK_TEMPERATURES = (0.2, 0.4, 0.6, 0.8, 1.0)
SEED = 20261126  # the fallback's sampling is seeded, so one file with one setting gives one transcript (QA E2)


@dataclass(frozen=True)
class Options:
    language: str | None = None  # None: detect (multilingual models); English-only models always use "en"
    beam_size: int = 4  # 5 decodes 7 % more for no gain in WER on the bench (0.079 vs 0.077; speed4, issue 11)
    batch_size: int = 4  # clips decoded together (faster-whisper; 8 costs ~0.3 GB more); openai-whisper: one by one
    pause_marker: float | None = None  # seconds of silence that become "[pause N s]"; None: no markers
    doubtful_below: float = 0.4  # word probability under which a word is marked doubtful


@dataclass(frozen=True)
class Clip:
    start: float  # seconds in the whole audio
    end: float
    gain: float = 1.0  # what its samples are multiplied by before decoding (quiet speech raised: clips.level)


@dataclass(frozen=True)
class Piece:
    """What a backend heard in a clip: text, words with absolute times, and Whisper's own confidence."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...]
    avg_logprob: float
    compression_ratio: float
    no_speech_prob: float


class Backend(Protocol):
    name: str
    encoder_window: str  # how much audio the encoder runs over per clip (stored with the transcript)

    def decode(self, audio: np.ndarray, clips: Sequence[Clip], options: Options) -> list[list[Piece]]:
        """For each clip of float32 mono 16 kHz ``audio``, its pieces, decoded greedily or by beam search."""
        ...

    def decode_again(self, audio: np.ndarray, clip: Clip, options: Options) -> list[Piece]:
        """One clip decoded again with temperature fallback (FALLBACK_TEMPERATURES), for a suspect result."""
        ...

    def detect_language(self, audio: np.ndarray) -> str | None:
        """The language a multilingual model hears in the first 30 s of float32 mono 16 kHz ``audio`` (Whisper's
        own rule), as its code ("es"); None for a model of one language (an English-only checkpoint whose file name
        does not say so: it has no language tokens to ask)."""
        ...


MAX_BEAM = 16  # wider beams only cost time: Whisper's own default is 5


def beam_size(text: str) -> int:
    """A beam size typed by the user (`transcribe --beam`, the queue screen's field), from 1 to MAX_BEAM (QA K18: 0
    and -3 ended in a traceback, 10000 ran without end)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_BEAM:
        raise BadInput(f"{text!r} is no beam size: give a whole number from 1 to {MAX_BEAM}")
    return value


def pause_seconds(text: str) -> float:
    """Seconds of silence worth a [pause] marker, as typed (`transcribe --pause-markers`, the queue screen's field):
    more than 0, at most an hour."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:  # nan and inf fail too
        raise BadInput(f"{text!r} is no length of silence: give seconds, e.g. 5")
    return value


def language_for(model: Model, options: Options) -> str | None:
    if model.name.endswith(".en") or model.path.name.endswith(".en"):
        if options.language not in (None, "en"):
            raise BadInput(f"model {model.name} understands English only; use --language en or another model")
        return "en"
    return options.language


LANGUAGE_SECONDS = 30  # what Whisper reads to tell the language


def samples(audio: np.ndarray, clip: Clip) -> np.ndarray:
    """The clip's samples at its gain (a copy where the gain is not 1: the recording itself is never changed)."""
    part = audio[int(clip.start * 16000) : int(clip.end * 16000)]
    return part if clip.gain == 1.0 else part * np.float32(clip.gain)


def load_backend(name: str, model: Model) -> Backend:
    factories: dict[str, Callable[[Model], Backend]] = {FASTER: _faster, OPENAI: _openai}
    if name not in factories:
        raise BadInput(f"unknown backend {name!r}; use one of {', '.join(BACKENDS)}")
    return factories[name](model)


def _faster(model: Model) -> Backend:
    from fieldvault.transcribe.faster_whisper_backend import FasterWhisperBackend

    return FasterWhisperBackend(model)


def _openai(model: Model) -> Backend:
    from fieldvault.transcribe.openai_whisper_backend import OpenAIWhisperBackend

    return OpenAIWhisperBackend(model)
