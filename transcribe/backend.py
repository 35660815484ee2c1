"""The one protocol both Whisper backends implement, and the choice between them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from fieldvault.errors import BadInput
from fieldvault.transcribe.models import Model
from fieldvault.transcript import Segment

FASTER = "faster-whisper"
OPENAI = "openai-whisper"
BACKENDS = (FASTER, OPENAI)


@dataclass(frozen=True)
class Options:
    language: str | None = None  # None: detect (multilingual models); English-only models always use "en"
    beam_size: int = 5


class Backend(Protocol):
    name: str

    def transcribe(self, audio: np.ndarray, options: Options) -> Iterator[Segment]:
        """Segments with word timings, in order, for float32 mono 16 kHz audio; times from 0."""
        ...


def language_for(model: Model, options: Options) -> str | None:
    if model.name.endswith(".en") or model.path.name.endswith(".en"):
        if options.language not in (None, "en"):
            raise BadInput(f"model {model.name} understands English only; use --language en or another model")
        return "en"
    return options.language


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
