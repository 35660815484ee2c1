"""The reference backend: openai-whisper on torch (the optional `openai-whisper` extra), CPU float32.

A CTranslate2 model is converted once into an openai-whisper checkpoint in fieldvault's model folder,
so both backends can run the very same weights. Clips are decoded one at a time (no batching here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from fieldvault import atomicfile, paths
from fieldvault.errors import BadInput
from fieldvault.transcribe.backend import (
    FALLBACK_TEMPERATURES,
    LANGUAGE_SECONDS,
    OPENAI,
    SEED,
    Clip,
    Options,
    Piece,
    language_for,
    samples,
)
from fieldvault.transcribe.checkpoint import convert
from fieldvault.transcribe.models import CT2, Model, sha256_of
from fieldvault.transcript import Word


def checkpoint_for(model: Model) -> Path:
    """The .pt to load: the model itself, or its conversion (made once, named by the weights' SHA-256)."""
    if model.kind != CT2:
        return model.path
    digest = model.sha256 or sha256_of(model.weights)
    target = paths.models_dir() / "converted" / f"{digest[:16]}.pt"
    if not target.exists():
        atomicfile.make_dirs(target.parent)
        partial = target.with_suffix(".partial")
        convert(model.path, partial)
        partial.rename(target)
    return target


class OpenAIWhisperBackend:
    name = OPENAI
    encoder_window = "30 s"

    def __init__(self, model: Model) -> None:
        try:
            import torch
            import whisper
        except ImportError:
            raise BadInput(
                "the openai-whisper backend is not installed; install fieldvault[openai-whisper] "
                "(torch==2.13.0 first for the CPU build), or use --backend faster-whisper"
            ) from None
        self.model = model
        # weights_only: an imported .pt is a pickle, and must not be able to run code here
        checkpoint = torch.load(checkpoint_for(model), map_location="cpu", weights_only=True)
        self._model = whisper.model.Whisper(whisper.model.ModelDimensions(**checkpoint["dims"]))
        self._model.load_state_dict(checkpoint["model_state_dict"])
        if checkpoint.get("alignment_heads"):
            self._model.set_alignment_heads(checkpoint["alignment_heads"].encode())

    def decode(self, audio: np.ndarray, clips: Sequence[Clip], options: Options) -> list[list[Piece]]:
        return [self._transcribe(audio, clip, options, temperature=0.0, beam_size=options.beam_size) for clip in clips]

    def decode_again(self, audio: np.ndarray, clip: Clip, options: Options) -> list[Piece]:
        import torch

        torch.manual_seed(SEED)  # the fallback's sampling: the same clip gives the same words on every run
        return self._transcribe(audio, clip, options, temperature=FALLBACK_TEMPERATURES, best_of=5)

    def detect_language(self, audio: np.ndarray) -> str | None:
        import whisper

        if not self._model.is_multilingual:
            return None

        clip = whisper.pad_or_trim(audio[: LANGUAGE_SECONDS * 16000].astype(np.float32))
        _, probabilities = self._model.detect_language(whisper.log_mel_spectrogram(clip, self._model.dims.n_mels))
        return str(max(probabilities, key=probabilities.get))

    def _transcribe(self, audio: np.ndarray, clip: Clip, options: Options, **decoding: Any) -> list[Piece]:
        result = self._model.transcribe(
            samples(audio, clip),
            language=language_for(self.model, options),
            word_timestamps=True,
            without_timestamps=True,
            condition_on_previous_text=False,
            fp16=False,
            verbose=None,
            **decoding,
        )
        return list(_pieces(result["segments"], clip.start))


def _pieces(segments: Iterable[dict[str, Any]], offset: float) -> Iterable[Piece]:
    for s in segments:
        words = tuple(
            Word(
                round(float(w["start"]) + offset, 3), round(float(w["end"]) + offset, 3), w["word"],
                round(float(w["probability"]), 4),
            )
            for w in s.get("words", ())
        )  # fmt: skip
        yield Piece(
            round(float(s["start"]) + offset, 3), round(float(s["end"]) + offset, 3), s["text"].strip(), words,
            float(s["avg_logprob"]), float(s["compression_ratio"]), float(s["no_speech_prob"]),
        )  # fmt: skip
