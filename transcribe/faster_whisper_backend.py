"""The default backend: faster-whisper on CTranslate2, int8 on the CPU, float16 on CUDA when present.

Clips are decoded in batches, as faster-whisper's BatchedInferencePipeline decodes them (the same
prompt, beam search, no-speech probability and word alignment) but given our own clip times (its own
VAD glues far-apart speech into one window, and a window that stops early loses the rest: the
pipeline above re-decodes whatever speech a clip's words did not reach), and with the encoder run
over the batch's longest clip plus a margin instead of always over 30 s: the encoder is half of the
work, and clips of speech are mostly shorter than 30 s.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from math import ceil
from typing import Any

import numpy as np

from fieldvault.errors import BadInput
from fieldvault.transcribe import clips as clip_plan
from fieldvault.transcribe.allocator import one_kept_heap
from fieldvault.transcribe.backend import (
    FALLBACK_TEMPERATURES,
    FASTER,
    LANGUAGE_SECONDS,
    SEED,
    Clip,
    Options,
    Piece,
    language_for,
    samples,
)
from fieldvault.transcribe.models import CT2, Model
from fieldvault.transcript import Word

RATE = 16000
WINDOW_FRAMES = 3000  # Whisper's 30 s window, in 10 ms mel frames
MIN_WINDOW_FRAMES = 1000  # 10 s
MARGIN_FRAMES = 300  # 3 s of silence after the longest clip (1 s: WER 0.070, 3 s: 0.067, 30 s: 0.076)
PREPEND = "\"'“¿([{-"  # faster-whisper's defaults: punctuation joined to the next word...
APPEND = "\"'.。,，!！?？:：”)]}、"  # ...and to the previous one


class FasterWhisperBackend:
    name = FASTER
    encoder_window = "the batch's longest clip + 3 s, 10 s to 30 s"

    def __init__(self, model: Model) -> None:
        import ctranslate2
        from faster_whisper import WhisperModel

        if model.kind != CT2:
            raise BadInput(
                f"faster-whisper needs a CTranslate2 model; {model.name} is an openai-whisper .pt "
                "(use --backend openai-whisper)"
            )
        one_kept_heap()  # before CTranslate2's threads start, so that they share the one heap
        cuda = ctranslate2.get_cuda_device_count() > 0
        # CTranslate2 seeds each worker thread's sampler once, when the thread first samples: seeded before
        # the model (and its threads) exist, the temperature fallback draws the same samples on every run.
        ctranslate2.set_random_seed(SEED)
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
        self._sampled = False  # whether the model's threads have drawn samples (decode_again)

    def decode(self, audio: np.ndarray, clips: Sequence[Clip], options: Options) -> list[list[Piece]]:
        """All ``clips`` in one batch (the caller sizes it): one encoder pass, beam search, word times."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens

        if not clips:
            return []
        fw = self._model
        chunks = [samples(audio, c) for c in clips]
        features = [fw.feature_extractor(chunk)[..., :-1] for chunk in chunks]
        language = language_for(self.model, options) or self._language(features)
        tokenizer = Tokenizer(fw.hf_tokenizer, fw.model.is_multilingual, task="transcribe", language=language)
        frames = encoder_frames(max(f.shape[-1] for f in features))
        encoded = fw.encode(np.stack([pad_or_trim(f, frames) for f in features]))
        prompt = fw.get_prompt(tokenizer, [], without_timestamps=True)
        results = fw.model.generate(
            encoded,
            [list(prompt) for _ in clips],
            beam_size=options.beam_size,
            max_length=fw.max_length,
            suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, (-1,)),
            return_scores=True,
            return_no_speech_prob=True,
            sampling_temperature=0.0,
        )
        outputs = []
        for clip, chunk, result in zip(clips, chunks, results, strict=True):
            tokens = result.sequences_ids[0]
            text = tokenizer.decode(tokens)
            start = int(clip.start * RATE) / RATE  # where samples() starts the clip
            outputs.append([{
                "text": text, "tokens": tokens, "start": start, "end": start + len(chunk) / RATE,
                "seek": int(start * fw.frames_per_second), "no_speech_prob": result.no_speech_prob,
                "avg_logprob": result.scores[0] * len(tokens) / (len(tokens) + 1),
                "compression_ratio": get_compression_ratio(text),
            }])  # fmt: skip
        sizes = [ceil(len(chunk) / RATE) * fw.frames_per_second for chunk in chunks]
        fw.add_word_timestamps(outputs, tokenizer, encoded, sizes, PREPEND, APPEND, 0.0)
        pieces = [[_piece(o) for o in output] for output in outputs]
        return self._aligned(audio, clips, pieces, options)

    def _aligned(
        self, audio: np.ndarray, clips: Sequence[Clip], pieces: list[list[Piece]], options: Options
    ) -> list[list[Piece]]:
        """Whisper without timestamps may stop after a clip's first sentence, and the aligner then puts those
        words seconds late, over speech it never wrote. When a clip's words start late, the speech before
        them is decoded too: if it repeats their text, they were misplaced, and the clip is decoded alone as
        faster-whisper does (going on after the last word it aligned), keeping only words inside the clip.
        A sentence Whisper really skipped is left for the caller to decode again."""
        wrong = [
            i for i, (clip, found) in enumerate(zip(clips, pieces, strict=True)) if clip_plan.misaligned(clip, found)
        ]
        late = [i for i, (clip, found) in enumerate(zip(clips, pieces, strict=True)) if clip_plan.late(clip, found)]
        late = [i for i in late if i not in wrong]
        heads = self.decode(audio, [clip_plan.head(clips[i], pieces[i]) for i in late], options)
        wrong += [i for i, before in zip(late, heads, strict=True) if clip_plan.repeats(before, pieces[i])]
        for i in wrong:
            pieces[i] = clip_plan.inside(clips[i], self.decode_again(audio, clips[i], options))
        return pieces

    def detect_language(self, audio: np.ndarray) -> str | None:
        if not self._model.model.is_multilingual:
            return None
        return self._language([self._model.feature_extractor(audio[: LANGUAGE_SECONDS * RATE])[..., :-1]])

    def _language(self, features: Sequence[np.ndarray]) -> str:
        """The language of a multilingual model's clips, detected once for the batch, as faster-whisper does."""
        silence = np.full((self._model.model.n_mels, 1), -1.5, dtype=np.float32)
        language, _, _ = self._model.detect_language(features=np.concatenate([*features, silence], axis=1))
        return str(language)

    def decode_again(self, audio: np.ndarray, clip: Clip, options: Options) -> list[Piece]:
        self._sampler_from_seed()
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

    def _sampler_from_seed(self) -> None:
        """CTranslate2's worker threads each seed their sampler once, at their first sample, and set_random_seed
        cannot rewind it: a clip decoded again after another fallback drew other samples, so one process (the TUI
        queue, `transcribe` of several sessions) gave other words for the same recording than a process of its own.
        Once samples were drawn, the model is made anew before the next fallback (new threads, seeded from SEED):
        each clip decoded again draws the same samples whatever ran before. Costs a load of the weights (0.5 s for
        tiny.en) per clip decoded again after the first; the batched decodes never sample and never pay it."""
        import ctranslate2

        if self._sampled:
            fw = self._model
            fw.model = None  # the old threads and weights go before the new ones come: never two copies held
            fw.model = ctranslate2.models.Whisper(
                str(self.model.path), device=self.device, compute_type=self.compute_type,
                intra_threads=os.cpu_count() or 1,
            )  # fmt: skip
        self._sampled = True


def encoder_frames(longest: int) -> int:
    """Mel frames the encoder runs over for a batch whose longest clip has ``longest`` frames: the clip
    plus a margin of silence, at least 10 s, at most Whisper's 30 s."""
    return min(WINDOW_FRAMES, max(MIN_WINDOW_FRAMES, longest + MARGIN_FRAMES))


def _piece(output: dict[str, Any]) -> Piece:
    words = tuple(
        Word(round(float(w["start"]), 3), round(float(w["end"]), 3), w["word"], round(float(w["probability"]), 4))
        for w in output.get("words", ())
    )
    return Piece(
        round(float(output["start"]), 3), round(float(output["end"]), 3), output["text"].strip(), words,
        float(output["avg_logprob"]), float(output["compression_ratio"]), float(output["no_speech_prob"]),
    )  # fmt: skip


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
