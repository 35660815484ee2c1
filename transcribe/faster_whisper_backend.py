"""The default backend: faster-whisper on CTranslate2, int8 on the CPU, float16 on CUDA when present."""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np

from fieldvault.errors import BadInput
from fieldvault.transcribe.backend import FASTER, Options, language_for
from fieldvault.transcribe.models import CT2, Model
from fieldvault.transcript import Segment, Word


class FasterWhisperBackend:
    name = FASTER

    def __init__(self, model: Model) -> None:
        import ctranslate2
        from faster_whisper import WhisperModel

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

    def transcribe(self, audio: np.ndarray, options: Options) -> Iterator[Segment]:
        segments, _ = self._model.transcribe(
            audio,
            language=language_for(self.model, options),
            beam_size=options.beam_size,
            word_timestamps=True,
            vad_filter=False,
        )
        for s in segments:
            words = tuple(
                Word(round(w.start, 3), round(w.end, 3), w.word, round(w.probability, 4)) for w in s.words or ()
            )
            yield Segment(round(s.start, 3), round(s.end, 3), s.text.strip(), None, words)
