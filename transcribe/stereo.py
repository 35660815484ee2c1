"""Stereo with one microphone per speaker, where each microphone also hears the other (bleed).

Per 32 ms frame, the speaker is the channel with voice activity and the most energy; runs shorter than
half a second join their neighbour. The transcript is decoded once from a single track made of each
moment's speaking channel, so the same words are never transcribed twice and cues never overlap.
Frames where both channels carry their own speech at similar levels are crosstalk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from fieldvault.transcribe.speakers import SpeakerTurn
from fieldvault.transcribe.voice import FRAME, VoiceSettings, speech_probabilities

MIN_RUN = 0.5  # seconds: a shorter switch of channel is a cough or a bleed peak, not a turn
CROSSTALK_DB = 6.0  # both channels active within this many dB of each other: both are talking
STEP = FRAME / 16000


@dataclass(frozen=True)
class StereoSpeech:
    track: np.ndarray  # float32 mono: each moment from the channel of the person speaking
    probabilities: np.ndarray  # speech probability per frame, either channel
    turns: list[SpeakerTurn]  # speaker = channel; an overlapping turn of the other channel = crosstalk


def _energy_db(audio: np.ndarray, frames: int) -> np.ndarray:
    padded = np.pad(audio, (0, frames * FRAME - len(audio)))[: frames * FRAME]
    return 10 * np.log10(np.square(padded.reshape(frames, FRAME), dtype=np.float32).mean(axis=1) + 1e-10)


def _runs(labels: np.ndarray) -> list[list[int]]:
    """[label, first frame, end frame] runs, short ones merged into the run before."""
    runs: list[list[int]] = []
    for index, label in enumerate(labels.tolist()):
        if runs and runs[-1][0] == label:
            runs[-1][2] = index + 1
        else:
            runs.append([label, index, index + 1])
    merged: list[list[int]] = []
    for run in runs:
        short = (run[2] - run[1]) * STEP < MIN_RUN
        if merged and (short or merged[-1][0] == run[0]):
            merged[-1][2] = run[2]
        else:
            merged.append(run)
    return merged


def split(
    left: np.ndarray,
    right: np.ndarray,
    settings: VoiceSettings,
    progress: Callable[[float], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> StereoSpeech:
    """Who speaks when, and the one track to transcribe (raises voice.Stopped when cancelled)."""
    probabilities = [
        speech_probabilities(left, lambda f: progress(f / 2), cancelled),
        speech_probabilities(right, lambda f: progress(0.5 + f / 2), cancelled),
    ]
    frames = min(len(p) for p in probabilities)
    active = np.stack([p[:frames] >= settings.threshold for p in probabilities])
    energy = np.stack([_energy_db(left, frames), _energy_db(right, frames)])
    louder = np.where(energy[1] > energy[0], 1, 0)
    only = np.where(active[0] & ~active[1], 0, np.where(active[1] & ~active[0], 1, louder))
    speaking = active.any(axis=0)
    labels = np.where(speaking, only, -1)
    both = active.all(axis=0) & (np.abs(energy[0] - energy[1]) < CROSSTALK_DB)
    turns: list[SpeakerTurn] = []
    track_labels = np.zeros(frames, dtype=np.int8)
    for label, first, end in _runs(labels):
        if label < 0:
            track_labels[first:end] = louder[first:end]
            continue
        track_labels[first:end] = label
        margin = float(np.mean(np.abs(energy[0, first:end] - energy[1, first:end])))
        turns.append(SpeakerTurn(round(first * STEP, 3), round(end * STEP, 3), label, min(1.0, margin / 12)))
        for other_label, o_first, o_end in _runs(np.where(both[first:end], 1 - label, -1)):
            if other_label >= 0:
                at, until = round((first + o_first) * STEP, 3), round((first + o_end) * STEP, 3)
                turns.append(SpeakerTurn(at, until, other_label, 0.5, overlap=True))
    per_sample = np.repeat(track_labels, FRAME)[: len(left)]
    per_sample = np.pad(per_sample, (0, len(left) - len(per_sample)), mode="edge")
    track = np.where(per_sample == 1, right[: len(left)], left).astype(np.float32)
    combined = np.maximum(probabilities[0][:frames], probabilities[1][:frames])
    return StereoSpeech(track, combined, sorted(turns, key=lambda t: (t.start, t.speaker)))
