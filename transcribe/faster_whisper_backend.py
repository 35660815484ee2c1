"""The default backend: faster-whisper on CTranslate2, int8 on the CPU, float16 on CUDA when present.

Clips are decoded in batches with faster-whisper's BatchedInferencePipeline given our own clip times
(its own VAD glues far-apart speech into one window, and a window that stops early loses the rest:
the pipeline above re-decodes whatever speech a clip's words did not reach).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from fieldvault.errors import BadInput
from fieldvault.transcribe.backend import FALLBACK_TEMPERATURES, FASTER, Clip, Options, Piece, language_for, samples
from fieldvault.transcribe.models import CT2, Model
from fieldvault.transcript import Word


class FasterWhisperBackend:
    name = FASTER

    def __init__(self, model: Model) -> None:
        import ctranslate2
        from faster_whisper import BatchedInferencePipeline, WhisperModel

        if model.kind != CT2:
            raise BadInput(
                f"faster-whisper needs a CTranslate2 model; {model.name} is an openai-whisper .pt "
                "(use --backend openai-whisper)"
            )
        cuda = ctranslate2.get_cuda_device_count() > 0
        self.model = model
        self.device = "cuda" if cuda else "cpu"
        self.compute_type = "float16" if cuda else "int8"
        self._model = WhisperModel(
            str(model.path),
            device=self.device,
            compute_type=self.compute_type,
            cpu_threads=os.cpu_count() or 1,
            local_files_only=True,
        )
        self._batched = BatchedInferencePipeline(self._model)

    def decode(self, audio: np.ndarray, clips: Sequence[Clip], options: Options) -> list[list[Piece]]:
        if not clips:
            return []
        segments, _ = self._batched.transcribe(
            audio,
            language=language_for(self.model, options),
            beam_size=options.beam_size,
            batch_size=options.batch_size,
            temperature=0.0,
            word_timestamps=True,
            without_timestamps=True,
            condition_on_previous_text=False,
            clip_timestamps=[{"start": c.start, "end": c.end} for c in clips],
            log_progress=False,
        )
        out: list[list[Piece]] = [[] for _ in clips]
        # each result carries the frame its clip starts at (seek), computed as faster-whisper does
        clip_at = {int(int(c.start * 16000) / 16000 * self._model.frames_per_second): i for i, c in enumerate(clips)}
        for segment in segments:
            out[clip_at[segment.seek]] += _pieces([segment], 0.0)
        return out

    def decode_again(self, audio: np.ndarray, clip: Clip, options: Options) -> list[Piece]:
        segments, _ = self._model.transcribe(
            samples(audio, clip),
            language=language_for(self.model, options),
            beam_size=options.beam_size,
            best_of=5,
            temperature=list(FALLBACK_TEMPERATURES),
            word_timestamps=True,
            without_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        return list(_pieces(segments, clip.start))


def _pieces(segments: Iterable[Any], offset: float) -> Iterable[Piece]:
    for s in segments:
        words = tuple(
            Word(
                round(float(w.start) + offset, 3),
                round(float(w.end) + offset, 3),
                w.word,
                round(float(w.probability), 4),
            )
            for w in s.words or ()
        )
        yield Piece(
            round(float(s.start) + offset, 3), round(float(s.end) + offset, 3), s.text.strip(), words,
            float(s.avg_logprob), float(s.compression_ratio), float(s.no_speech_prob),
        )  # fmt: skip
