"""Who spoke when in a mono recording, fully offline and without torch.

    diarize(samples, rate, speakers=None, progress=lambda _: None, cancelled=lambda: False,
            probabilities=None) -> list[Turn]

`samples` is float32 mono audio at `rate` Hz (resampled to 16 kHz here if needed); `speakers` fixes the
number of speakers (e.g. 2 for an interview), None finds it. `progress` receives the fraction done
(0..1); `cancelled` is polled between blocks, and a True stops the work with DiarizationCancelled.
Each `Turn` (start, end in seconds; speaker counting from 0 in order of first appearance; confidence
0..1; overlap True where two people talk at once) covers speech only, in time order. `probabilities`
are silero's speech probabilities per 32 ms of 16 kHz `samples` when the caller has them already
(transcription does), so voice activity is not computed twice.

`weights_info(SPEAKERS)` and `weights_info(OVERLAP)` describe the CAM++ and segmentation-3.0 weights (file,
SHA-256, licence, source package) for `fieldvault models list`; a missing or altered file raises
SpeakerModelMissing / SpeakerModelDamaged, whose one-line message names the fix.

Steps: silero voice activity (vad, shared with transcription) -> 1 s windows, Kaldi fbank, CAM++
embeddings run by onnxruntime (embedding, fbank, campplus, weights) -> p-pruned spectral clustering
(clustering) -> turns, each change of speaker moved into the pause beside it -> where pyannote's
segmentation-3.0 (overlap, segmentation) hears only one voice at a change with no pause, no overlap marked there
(and a second of the other speaker inside one speaker's talk is hers); where it hears two voices at once inside
one speaker's turn, a turn marked overlap for the other speaker (a question said under her speech). Audio never
leaves memory; nothing is downloaded or written.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fieldvault.errors import FieldvaultError
from fieldvault.transcribe.diarization import clustering, embedding, overlap, vad
from fieldvault.transcribe.diarization.turns import Turn, turns
from fieldvault.transcribe.diarization.weights import (
    OVERLAP,
    SPEAKERS,
    SpeakerModelDamaged,
    SpeakerModelMissing,
    WeightsInfo,
    weights_info,
)
from fieldvault.transcribe.diarization.weights import check as check_weights
from fieldvault.transcribe.voice import Stopped, speech_probabilities

__all__ = [
    "OVERLAP",
    "SPEAKERS",
    "DiarizationCancelled",
    "SpeakerModelDamaged",
    "SpeakerModelMissing",
    "Turn",
    "WeightsInfo",
    "check_weights",
    "diarize",
    "weights_info",
]

RATE = 16000
_VAD_SHARE = 0.1  # of the progress bar, when the voice activity is not given
_OVERLAP_SHARE = 0.2  # of the progress bar, after the embeddings: measured 11-20 % of the time after voice activity


class DiarizationCancelled(FieldvaultError):
    pass


def _at_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim != 1:
        raise ValueError(f"diarize() takes mono samples, got an array of shape {samples.shape}")
    if rate == RATE:
        return samples
    import av  # PyAV comes with faster-whisper

    resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
    pieces = []
    for first in range(0, len(samples), 1 << 20):
        frame = av.AudioFrame.from_ndarray(samples[None, first : first + (1 << 20)], format="flt", layout="mono")
        frame.sample_rate = rate
        pieces += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    pieces += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(pieces) if pieces else np.zeros(0, np.float32)


def diarize(
    samples: np.ndarray,
    rate: int,
    speakers: int | None = None,
    progress: Callable[[float], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
    probabilities: np.ndarray | None = None,
) -> list[Turn]:
    """Speaker turns of a mono recording (see the module docstring)."""
    if speakers is not None and speakers < 1:
        raise ValueError(f"speakers must be at least 1, got {speakers}")
    audio = _at_16k(samples, rate)
    known = probabilities if rate == RATE else None
    heard = 0.0 if known is not None else _VAD_SHARE  # a share of the bar only for work done here (QA F15)
    if known is None:  # computed here, as they also place the changes of speaker (turns)
        try:
            known = speech_probabilities(audio, lambda f: progress(heard * f), cancelled)
        except Stopped:
            raise DiarizationCancelled("diarization cancelled; nothing was stored") from None
    regions = vad.speech_regions(audio, lambda f: progress(heard * f), cancelled, known)
    windows = embedding.layout(regions)
    embedded = 1 - heard - _OVERLAP_SHARE
    vectors = embedding.embed(audio, windows, lambda f: progress(heard + embedded * 0.97 * f), cancelled)
    if vectors is None or cancelled():
        raise DiarizationCancelled("diarization cancelled; nothing was stored")
    if speakers is None:
        centroids = clustering.cluster(vectors, None)
    else:
        centroids = clustering.given(vectors, speakers, [w.region for w in windows])
    found = turns(windows, vectors, centroids, known, given=speakers is not None)
    progress(1 - _OVERLAP_SHARE)
    result = overlap.with_voices_under(
        found, audio, lambda f: progress(1 - _OVERLAP_SHARE + _OVERLAP_SHARE * f), cancelled
    )
    if result is None:
        raise DiarizationCancelled("diarization cancelled; nothing was stored")
    progress(1.0)
    return result
