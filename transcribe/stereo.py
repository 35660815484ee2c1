"""Stereo with one microphone per speaker, where each microphone also hears the other (bleed).

Per 32 ms frame, the speaker is the channel with voice activity and the most energy; short switches join
their neighbour. First each channel has the other speaker's bleed taken out (a short filter from the other
channel, learnt where the other talks alone). The transcript is decoded once from a single track made of
each moment's speaking channel, so the same words are never transcribed twice and cues never overlap.
Where both channels carry their own speech at once (crosstalk), what the one who talks over the other
says is decoded from their own channel too, and both are marked (QA B17: the interviewer's question asked
over the participant's answer was lost).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from fieldvault.transcribe.speakers import SpeakerTurn
from fieldvault.transcribe.voice import FRAME, VoiceSettings, speech_probabilities

MIN_RUN = 0.25  # seconds: a shorter switch of channel inside a stretch of talk is a cough or a bleed peak
BACK_CHANNEL = 1.0  # seconds: a shorter switch touching crosstalk is a back-channel, not a turn
BRIDGE = 0.15  # seconds: a shorter silence does not end a stretch of talk
PAUSE = 2.0  # seconds: one speaker's stretches of talk with a shorter silence between are one turn
CROSSTALK_DB = 6.0  # both channels active within this many dB of each other: both are talking...
BLEED_SHARE = 0.5  # ...or, with strong bleed, within this share of the usual gap of one talker alone
SURE_DB = 12.0  # a channel this much louder than the other (or by the usual gap, if less) is sure of its turn
SMOOTH = 8  # frames (0.26 s) over which energy is summed before comparing the channels
STEP = FRAME / 16000
SAME = 0.95  # channels correlated at least this much are one microphone written twice (dual mono)
LOUDEST = 99  # percentile of a channel's speech frames taken as its own speaker's level
MAX_GAIN_DB = 20.0  # the most one channel is raised or lowered to match the other
DEAD = 0.05  # a channel with fewer speech frames than this share of the other's has no speaker of its own
CLOSE_DB = 1.5  # levels matched, channels this close on median over speech hear everyone alike: one recording
BLEED_LAGS = (-16, 48)  # samples: the bleed filter reaches 1 ms before and 3 ms after (a metre) the other's sound
BLEED_SECONDS = 30.0  # at most this much of one talker alone is used to learn the bleed filter
CHUNK = 10 * 16000  # samples of each channel cleaned at a time
SEARCH = 3.0  # seconds around crosstalk searched for the start and end of the newcomer's speech
CROSSTALK_SPEECH = 0.2  # seconds of voice activity the other channel must hold, bleed removed, to be talking


@dataclass(frozen=True)
class StereoSpeech:
    track: np.ndarray  # float32 mono: each moment from the channel of the person speaking, bleed removed
    channels: tuple[np.ndarray, np.ndarray]  # float32, each with the other speaker's bleed taken out
    probabilities: np.ndarray  # speech probability per frame, either channel
    turns: list[SpeakerTurn]  # speaker = channel; an overlapping turn of the other channel = crosstalk
    own: list[SpeakerTurn]  # stretches decoded from the speaker's own channel, not the track: see _own

    def from_track(self, turn: SpeakerTurn) -> bool:
        """Whether a turn's speech is decoded from the track (else from its speaker's channel, in ``own``)."""
        return not turn.overlap and not any(
            o.speaker == turn.speaker and o.start <= turn.start and turn.end <= o.end for o in self.own
        )


@dataclass(frozen=True)
class ChannelUse:
    """How a two-channel file is transcribed: ``mono`` is None for one microphone per speaker, else the one
    track to diarize like a mono recording, with ``why`` (stored in the transcript's settings).
    ``probabilities``: silero's speech probabilities found on the way, so they are not computed again:
    the two channels' (one microphone per speaker) or the mono track's (a dead channel); None for dual mono."""

    why: str
    mono: np.ndarray | None
    probabilities: tuple[np.ndarray, ...] | None = None


def channel_use(
    left: np.ndarray,
    right: np.ndarray,
    progress: Callable[[float], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ChannelUse:
    """Decide from the audio whether the two channels are two speakers' microphones: nearly identical
    channels (a handheld recorder or phone app writing dual mono), a channel without speech (a dead
    microphone) or two channels that hear everyone at the same level (an XY recorder's two capsules side by
    side) are one recording of everyone, diarized as mono (QA B21). Measured, median level gap over speech:
    lapel microphones with -12 dB bleed 9.7 dB, -6 dB 3.7, -4 dB 1.7; capsules at -3, -2, -1 dB: 0.7, 0.4, 0.0."""
    length = min(len(left), len(right))
    a, b = left[:length].astype(np.float64), right[:length].astype(np.float64)
    a, b = a - a.mean(), b - b.mean()
    scale = float(np.sqrt(np.dot(a, a) * np.dot(b, b)))
    correlation = float(np.dot(a, b) / scale) if scale > 0 else 1.0
    # one channel in opposite polarity (a lavalier's XLR hot and cold on L and R, a miswired adapter): mixed as they
    # are, the two cancelled and Whisper heard silence (QA T8); mixed with the polarity aligned, they add
    sign = 1.0 if correlation >= 0 else -1.0
    if abs(correlation) >= SAME:
        mono = ((left[:length] + sign * right[:length]) / 2).astype(np.float32)
        inverted = ", one in opposite polarity" if sign < 0 else ""
        return ChannelUse(f"mono: the two channels are the same{inverted} (correlation {correlation:.2f})", mono)
    threshold = VoiceSettings().threshold
    probabilities = (
        speech_probabilities(left, lambda f: progress(f / 2), cancelled),
        speech_probabilities(right, lambda f: progress(0.5 + f / 2), cancelled),
    )
    speech = [int((p >= threshold).sum()) for p in probabilities]
    for k, side in ((0, "left"), (1, "right")):
        if speech[k] < DEAD * speech[1 - k]:
            live = (right if k == 0 else left).astype(np.float32)
            return ChannelUse(f"mono: no speech on the {side} channel", live, (probabilities[1 - k],))
    frames = min(len(p) for p in probabilities)
    active = np.stack([p[:frames] >= threshold for p in probabilities])
    speaking = active.any(axis=0)
    if speaking.any():
        gap = _summed_db(left, frames) - _summed_db(right, frames) - _gain_db(left, right, active, frames)
        level_gap = float(np.median(np.abs(gap[speaking])))
        if level_gap < CLOSE_DB:  # two capsules side by side (an XY recorder): everyone alike on both
            mono = ((left[:length] + sign * right[:length]) / 2).astype(np.float32)
            return ChannelUse(f"mono: both channels hear everyone alike (level gap {level_gap:.1f} dB)", mono)
    return ChannelUse(f"stereo: one microphone per speaker (correlation {correlation:.2f})", None, probabilities)


def _energy_db(audio: np.ndarray, frames: int) -> np.ndarray:
    padded = np.pad(audio, (0, frames * FRAME - len(audio)))[: frames * FRAME]
    return 10 * np.log10(np.square(padded.reshape(frames, FRAME), dtype=np.float32).mean(axis=1) + 1e-10)


def _runs(labels: np.ndarray, both: np.ndarray) -> list[list[int]]:
    """[label, first frame, end frame] runs of talk (label >= 0) and silence (-1). A stretch of talk between
    two silences keeps its own label however short ("Yes." between two questions is a turn); inside a
    stretch, a switch of channel shorter than MIN_RUN, or a back-channel ("Mm-hm" over the other's talk,
    touching crosstalk and shorter than BACK_CHANNEL), joins its neighbour."""
    runs: list[list[int]] = []
    for index, label in enumerate(labels.tolist()):
        if runs and runs[-1][0] == label:
            runs[-1][2] = index + 1
        else:
            runs.append([label, index, index + 1])
    bridge = round(BRIDGE / STEP)
    for k in range(1, len(runs) - 1):  # a breath between words: talk, of the label before it
        if runs[k][0] < 0 and runs[k][2] - runs[k][1] <= bridge:
            runs[k][0] = runs[k - 1][0]
    out: list[list[int]] = []
    stretch: list[list[int]] = []
    for run in [*runs, [-1, len(labels), len(labels)]]:
        if run[0] >= 0:
            stretch.append(run)
            continue
        out += _settled(stretch, both)
        stretch = []
        if run[2] > run[1]:
            out.append(run)
    joined: list[list[int]] = []  # one speaker's stretches with only a pause between are one turn
    for run in out:
        if (
            len(joined) > 1
            and joined[-1][0] < 0 <= run[0] == joined[-2][0]
            and (joined[-1][2] - joined[-1][1]) * STEP < PAUSE
        ):
            joined.pop()
            joined[-1][2] = run[2]
        else:
            joined.append(run)
    return joined


def _settled(stretch: list[list[int]], both: np.ndarray) -> list[list[int]]:
    """The runs of one stretch of talk with switches shorter than MIN_RUN given to a neighbour."""
    merged: list[list[int]] = []
    for run in stretch:
        length = (run[2] - run[1]) * STEP
        if merged and merged[-1][0] == run[0]:
            merged[-1][2] = run[2]
        elif merged and (length < MIN_RUN or (length < BACK_CHANNEL and both[max(0, run[1] - 2) : run[2] + 2].any())):
            merged[-1][2] = run[2]
        elif merged and (merged[-1][2] - merged[-1][1]) * STEP < MIN_RUN:
            merged[-1] = [run[0], merged[-1][1], run[2]]  # a short start joins the run after it
        else:
            merged.append(list(run))
    return merged


def _crosstalk_spans(both: np.ndarray) -> list[tuple[int, int]]:
    """(first, end) frames of crosstalk: runs of both talking, with switches shorter than MIN_RUN joined to the
    run before (a short run of crosstalk after silence is dropped, a short silence inside crosstalk bridged)."""
    runs: list[list[int]] = []
    for index, value in enumerate(both.tolist()):
        if runs and runs[-1][0] == value:
            runs[-1][2] = index + 1
        elif runs and (runs[-1][2] - runs[-1][1]) * STEP < MIN_RUN and len(runs) > 1:
            runs.pop()
            runs[-1][2] = index + 1
        else:
            runs.append([value, index, index + 1])
    if len(runs) > 1 and (runs[-1][2] - runs[-1][1]) * STEP < MIN_RUN:
        last = runs.pop()
        runs[-1][2] = last[2]
    return [(first, end) for value, first, end in runs if value]


def _summed_db(audio: np.ndarray, frames: int) -> np.ndarray:
    """Energy per frame summed over SMOOTH frames around it (dB): the ratio of two channels over a quarter
    second follows their loudest moments, not the near-silences between syllables."""
    padded = np.pad(audio, (0, frames * FRAME - len(audio)))[: frames * FRAME]
    power = np.square(padded.reshape(frames, FRAME), dtype=np.float32).mean(axis=1)
    return 10 * np.log10(np.convolve(power, np.ones(SMOOTH, np.float32), mode="same") + 1e-10)


def _gain_db(left: np.ndarray, right: np.ndarray, active: np.ndarray, frames: int) -> float:
    """The gain that brings the right microphone to the left's level (QA B25: lapel microphones at unmatched
    gains): each channel's speech level is its loudest quarter-seconds of speech, which are its own
    speaker's, whatever the bleed."""
    levels = []
    for channel, own in ((left, active[0]), (right, active[1])):
        summed = _summed_db(channel, frames)[own]
        levels.append(float(np.percentile(summed, LOUDEST)) if len(summed) else 0.0)
    return float(np.clip(levels[0] - levels[1], -MAX_GAIN_DB, MAX_GAIN_DB))


def _bleed_filter(own: np.ndarray, other: np.ndarray, alone: np.ndarray) -> np.ndarray:
    """Least-squares filter taking the ``other`` channel to its bleed in ``own``, learnt over the frames
    where only the other speaker talks (``alone``, per 32 ms). Coefficient c applies to other[n - hi + 1 + c]
    for own[n] (lags ``BLEED_LAGS``). Microphones a few metres apart or in reverberant rooms leave some
    bleed behind; what is left is quieter by the filter's gain."""
    low, high = BLEED_LAGS
    taps = high - low
    frames = np.flatnonzero(alone)
    budget = round(BLEED_SECONDS / STEP)
    if len(frames) > budget:
        frames = frames[np.round(np.linspace(0, len(frames) - 1, budget)).astype(int)]
    gram = np.zeros((taps, taps))
    cross = np.zeros(taps)
    breaks = np.flatnonzero(np.diff(frames) != 1) + 1
    for run in np.split(frames, breaks):
        if not len(run):
            continue
        first, end = max(int(run[0]) * FRAME, high - 1), min((int(run[-1]) + 1) * FRAME, len(own) + low)
        if end - first < FRAME:
            continue
        lagged = np.lib.stride_tricks.sliding_window_view(other[first - high + 1 : end - low], taps)
        gram += lagged.T.astype(np.float64) @ lagged
        cross += lagged.T.astype(np.float64) @ own[first:end]
    if not cross.any():
        return np.zeros(taps, np.float32)
    ridge = 1e-3 * np.trace(gram) / taps + 1e-12
    return np.linalg.solve(gram + ridge * np.eye(taps), cross).astype(np.float32)


def _clearest(frames: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """The half of ``frames`` (one channel louder, not crosstalk) where that channel leads the other most:
    its speaker alone, what the other microphone hears there is bleed."""
    if not frames.any():
        return frames
    return frames & (gap >= np.median(gap[frames]))


def _remove_bleed(left: np.ndarray, right: np.ndarray, into_left: np.ndarray, into_right: np.ndarray) -> None:
    """Subtract each channel's bleed (the other channel through its filter) in place, a chunk at a time."""
    low, high = BLEED_LAGS
    length = min(len(left), len(right))
    tails = [np.zeros(high - 1, np.float32), np.zeros(high - 1, np.float32)]
    for first in range(0, length, CHUNK):
        end = min(length, first + CHUNK)
        raw = []
        for channel, tail in zip((left, right), tails, strict=True):
            ahead = channel[first : min(length, end - low)]
            raw.append(np.concatenate([tail, ahead, np.zeros(end - low - first - len(ahead), np.float32)]))
        tails = [left[end - high + 1 : end].copy(), right[end - high + 1 : end].copy()]
        left[first:end] -= np.correlate(raw[1], into_left, mode="valid")[: end - first]
        right[first:end] -= np.correlate(raw[0], into_right, mode="valid")[: end - first]


def _talking(
    channel: np.ndarray, turn: SpeakerTurn, threshold: float, turn_of: tuple[float, float]
) -> SpeakerTurn | None:
    """The other speaker's part of crosstalk found by level: their speech on their own channel, bleed
    removed, that runs through ``turn`` (crosstalk by level is found late: the newcomer starts quietly),
    kept within the turn it interrupts (``turn_of``) and SEARCH of it; None if they say less than
    CROSSTALK_SPEECH there (a loud moment of the speaker whose turn it is)."""
    within = (max(turn_of[0], turn.start - SEARCH), min(turn_of[1], turn.end + SEARCH))
    first = max(0, round(within[0] * 16000))
    probabilities = speech_probabilities(channel[first : round(within[1] * 16000)])
    speech = probabilities >= threshold
    at, until = int((turn.start - within[0]) / STEP), int(np.ceil((turn.end - within[0]) / STEP))
    if not speech[at:until].any():
        return None
    quiet = round(VoiceSettings().min_silence / STEP)  # a pause between words does not end their speech
    start, end = at + int(np.argmax(speech[at:until])), until
    while start > 0 and speech[max(0, start - quiet) : start].any():
        start -= 1
    while end < len(speech) and speech[end : end + quiet].any():
        end += 1
    if int(speech[start:end].sum()) * STEP < CROSSTALK_SPEECH:
        return None
    return replace(turn, start=round(within[0] + start * STEP, 3), end=round(within[0] + end * STEP, 3))


def _own(turns: list[SpeakerTurn]) -> list[SpeakerTurn]:
    """What each one who talks over the other says, as one stretch to decode from their own channel: the
    crosstalk, with their turn just before or after it when they talk on through the other's start or end
    (an answer begun over the end of a question is one sentence: cut in two, Whisper garbles both halves)."""
    spoken = [t for t in turns if not t.overlap]
    reach = VoiceSettings().min_silence
    out = []
    for crosstalk in (t for t in turns if t.overlap):
        k = next(i for i, t in enumerate(spoken) if t.start <= crosstalk.start and crosstalk.end <= t.end + 0.05)
        start, end = crosstalk.start, crosstalk.end
        before, after = spoken[k - 1] if k else None, spoken[k + 1] if k + 1 < len(spoken) else None
        if before and before.speaker == crosstalk.speaker and spoken[k].start - before.end < 0.05:
            if crosstalk.start - spoken[k].start < reach:
                start = before.start
        if after and after.speaker == crosstalk.speaker and after.start - spoken[k].end < 0.05:
            if spoken[k].end - crosstalk.end < reach:
                end = after.end
        out.append(replace(crosstalk, start=start, end=end, overlap=False))
    return out


def split(
    left: np.ndarray,
    right: np.ndarray,
    settings: VoiceSettings,
    progress: Callable[[float], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
    known: Sequence[np.ndarray] | None = None,
) -> StereoSpeech:
    """Who speaks when, and each speaker's channel to transcribe: ``left`` and ``right`` themselves, levels
    matched and bleed removed in place (raises voice.Stopped when cancelled). ``known``: the channels' speech
    probabilities when the caller has them already (channel_use), so silero runs once."""
    if np.shares_memory(left, right):
        right = right.copy()
    probabilities = (
        list(known)
        if known is not None
        else [
            speech_probabilities(left, lambda f: progress(f / 2), cancelled),
            speech_probabilities(right, lambda f: progress(0.5 + f / 2), cancelled),
        ]
    )
    frames = min(len(p) for p in probabilities)
    active = np.stack([p[:frames] >= settings.threshold for p in probabilities])
    right *= np.float32(10 ** (_gain_db(left, right, active, frames) / 20))
    energy = np.stack([_energy_db(left, frames), _energy_db(right, frames)])
    louder = np.where(energy[1] > energy[0], 1, 0)
    only = np.where(active[0] & ~active[1], 0, np.where(active[1] & ~active[0], 1, louder))
    speaking = active.any(axis=0)
    labels = np.where(speaking, only, -1)
    # Both talk where the quieter channel comes much closer to the louder than when one talks alone: with
    # no or -12 dB bleed within CROSSTALK_DB; with two microphones close together (-6 dB) within half of it.
    summed = np.stack([_summed_db(left, frames), _summed_db(right, frames)])
    gap = np.abs(summed[0] - summed[1])
    alone = speaking & ~(active.all(axis=0))
    usual = float(np.median(gap[speaking])) if speaking.any() else 2 * CROSSTALK_DB
    if alone.sum() > speaking.sum() / 4:
        usual = float(np.median(gap[alone]))
    both = active.all(axis=0) & (gap < min(CROSSTALK_DB, BLEED_SHARE * usual))
    sure = max(CROSSTALK_DB, min(SURE_DB, usual))  # a turn this much louder than the other channel is certain
    into_left = _bleed_filter(left, right, _clearest(speaking & ~both & (louder == 1), gap))
    into_right = _bleed_filter(right, left, _clearest(speaking & ~both & (louder == 0), gap))
    _remove_bleed(left, right, into_left, into_right)
    turns: list[SpeakerTurn] = []
    track_labels = np.zeros(frames, dtype=np.int8)
    for label, first, end in _runs(labels, both):
        if label < 0:
            track_labels[first:end] = louder[first:end]
            continue
        track_labels[first:end] = label
        margin = float(np.mean(np.abs(energy[0, first:end] - energy[1, first:end])))
        turns.append(SpeakerTurn(round(first * STEP, 3), round(end * STEP, 3), label, min(1.0, margin / sure)))
        for o_first, o_end in _crosstalk_spans(both[first:end]):
            at, until = round((first + o_first) * STEP, 3), round((first + o_end) * STEP, 3)
            found = SpeakerTurn(at, until, 1 - label, 0.5, overlap=True)
            crosstalk = _talking((left, right)[1 - label], found, settings.threshold, (first * STEP, end * STEP))
            if crosstalk is not None:
                turns.append(crosstalk)
    per_sample = np.repeat(track_labels, FRAME)[: len(left)]
    per_sample = np.pad(per_sample, (0, len(left) - len(per_sample)), mode="edge")
    track = np.where(per_sample == 1, right[: len(left)], left).astype(np.float32)
    combined = np.maximum(probabilities[0][:frames], probabilities[1][:frames])
    turns.sort(key=lambda t: (t.start, t.speaker))
    return StereoSpeech(track, (left, right), combined, turns, _own(turns))
