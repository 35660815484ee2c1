"""Speaker turns from labelled windows: each 10 ms of speech takes the window centred nearest to it.

A 1 s window that spans a change of speaker is labelled as a whole, so a change found between two
window centres can be up to half a window from the real one. Where voice activity shows a pause near
it, the change moves into that pause (word times then fall on the right side of it: QA A11).

A change of speaker with no pause near it is crosstalk: the next person started before the last one
stopped. Embeddings alone cannot tell crosstalk from a change of speaker (a window about as near to two
voices is both); the missing pause can. On the espeak-ng conversations of bench/speakers.py every change
without crosstalk had a pause of 0.15 s or more, and every 1 s crosstalk but one had none. Half a window
either side of such a change is marked overlap.

A window's confidence is how clearly its embedding belongs to one speaker: a softmax over its cosine
similarity to each speaker, from chance (0: as near to another speaker) to certain (1).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from fieldvault.transcribe.diarization import clustering
from fieldvault.transcribe.diarization.embedding import Window

FRAME = 0.01  # s
# Softmax over cosines. At 0.056, with two speakers, a turn whose windows' cosine margin averages under
# about 0.06 scores under 0.5 (speakers.UNSURE: flagged for the editor). Measured: 1 of 96 turns of six
# clean espeak interviews, 19 of 126 of four with crosstalk (18 of them in crosstalk; 3 of the 5 wrong
# turns), 1 of 20 of the real sample (one of its 3 wrong turns). At 0.1 (before) two speakers never
# scored under 0.5, so no mono interview was ever flagged.
_TEMPERATURE = 0.056
_JOIN_PAUSE = 0.5  # s: one speaker's speech across a shorter pause is one turn
_SNAP = 0.5  # s: how far a change of speaker may move into a pause (half a window)
_QUIET = 0.35  # speech probability under which a 32 ms frame is a pause (the VAD's threshold)
_VAD_STEP = 512 / 16000  # s per speech probability
_MIN_PAUSE = 0.1  # s: a quiet 32 or 64 ms is more often a stop consonant (0.06 misplaced a change on real speech)
_INTO_PAUSE = 0.5  # where in the pause the change goes (0: where it starts, 1: where it ends)
_AS_ALIKE = 0.05  # centroids within this of their windows' spread may be one voice
_CROSSTALK = 0.5  # s either side of a change with no pause, marked overlap
_TAKING_CHANGES = 4  # one voice found: a split in two with at least this many changes...
_TAKING_UNPAUSED = 1 / 3  # ...at most this share of them without a pause is probably two people taking turns
_ONE_OR_TWO = 0.25  # the confidence of a lone speaker's turns then (under speakers.UNSURE: flagged)...
# ...unless the split's two centroids are less alike than this: two distinct voices, one of them speaking too little
# for the eigen-gap (QA D9's hoa.wav: 6 of 60 windows the interviewer's, centroids at cosine 0.63). Alike voices split
# at 0.76-0.83 (QA's E_sim and convJ_similar, the tests' B22 pair), voices found as two at 0.16-0.56.
_DISTINCT = 0.7
_MERGED_CHANGES = 3  # two or more speakers found: one of them split in two with at least this many changes...
_MERGED_SHARE = 1 / 3  # ...its smaller part holding at least this share of its windows, may be two voices


@dataclass(frozen=True)
class Turn:
    """A stretch of one speaker's speech. speaker counts from 0 in order of first appearance;
    confidence is 0..1 (clear speech mostly scores above 0.8; under 0.5 the speaker is doubtful:
    crosstalk, short turns, alike voices); overlap marks speech where another speaker talks at once."""

    start: float
    end: float
    speaker: int
    confidence: float
    overlap: bool


@dataclass
class _Run:
    start: float
    end: float
    speaker: int
    overlap: bool
    confidences: list[float]


def _confidence(embeddings: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Per window: 0 (as near to another speaker as to its own) .. 1 (clearly its own speaker)."""
    cosines = embeddings @ centroids.T
    scaled = np.exp((cosines - cosines.max(axis=1, keepdims=True)) / _TEMPERATURE)
    chance = 1 / len(centroids)
    if chance == 1:
        return np.ones(len(cosines))
    return (scaled.max(axis=1) / scaled.sum(axis=1) - chance) / (1 - chance)


def _nearest_windows(windows: list[Window]) -> tuple[np.ndarray, np.ndarray]:
    """The 10 ms frame times of all speech and, for each, the window (of its region) centred nearest."""
    regions: dict[tuple[float, float], list[int]] = {}
    for i, window in enumerate(windows):
        regions.setdefault(window.region, []).append(i)
    times, nearest = [], []
    for (start, end), members in regions.items():
        t = np.arange(start + FRAME / 2, end, FRAME)
        centres = np.array([windows[i].centre for i in members])
        times.append(t)
        nearest.append(np.asarray(members)[np.searchsorted((centres[1:] + centres[:-1]) / 2, t)])
    return np.concatenate(times), np.concatenate(nearest)


def _pauses(quiet: np.ndarray, joined: np.ndarray) -> list[tuple[int, int]]:
    """(first, end) frames of each run of quiet frames at least _MIN_PAUSE long inside a stretch of speech."""
    edges = np.flatnonzero(np.diff(np.r_[0, quiet.astype(np.int8), 0]))
    runs = zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True)
    return [(a, b) for a, b in runs if (b - a) * FRAME >= _MIN_PAUSE and joined[a : b - 1].all()]


def _snapped(
    times: np.ndarray, joined: np.ndarray, speakers: np.ndarray, probabilities: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``speakers`` per frame, each change of speaker inside a stretch of speech moved into the longest
    pause that comes within _SNAP seconds of it (the nearer of equals), never past another change; and
    the frames where a change with no such pause stays (crosstalk)."""
    speakers = speakers.copy()
    unpaused = np.zeros(len(times), bool)
    quiet = probabilities[np.minimum((times / _VAD_STEP).astype(int), len(probabilities) - 1)] < _QUIET
    pauses = _pauses(quiet, joined)
    pause_ends = [b for _, b in pauses]
    changes = (np.flatnonzero(joined & (speakers[1:] != speakers[:-1])) + 1).tolist()  # where a new speaker starts
    reach = round(_SNAP / FRAME)
    done = -1  # where the change before this one ended up: a pause it took is not free
    for k, change in enumerate(changes):
        high = changes[k + 1] - 1 if k + 1 < len(changes) else len(times)
        near = []
        for a, b in pauses[bisect.bisect_right(pause_ends, change - reach) :]:
            if a >= min(high, change + reach):
                break
            if a > done and joined[min(a, change) : max(b, change)].all():  # the same stretch of speech
                near.append((a, min(b, high)))
        if near:
            first, end = max(near, key=lambda p: (p[1] - p[0], -abs((p[0] + p[1]) / 2 - change)))
            done = first + round(_INTO_PAUSE * (end - first))
            speakers[min(done, change) : max(done, change)] = speakers[change if done < change else change - 1]
        else:
            done = change
            unpaused[change] = True
    return speakers, unpaused


def _runs(times: np.ndarray, speakers: np.ndarray, overlap: np.ndarray, confidence: np.ndarray) -> list[_Run]:
    """Stretches of one speaker (and one overlap state)."""
    runs: list[_Run] = []
    open_run: _Run | None = None
    for t, speaker, both, c in zip(times, speakers, overlap, confidence, strict=True):
        if open_run and open_run.speaker == speaker and open_run.overlap == both and t - open_run.end < _JOIN_PAUSE:
            open_run.end = t + FRAME / 2
            open_run.confidences.append(float(c))
        else:
            open_run = _Run(t - FRAME / 2, t + FRAME / 2, int(speaker), bool(both), [float(c)])
            runs.append(open_run)
    return runs


def _crosstalk(times: np.ndarray, joined: np.ndarray, unpaused: np.ndarray) -> np.ndarray:
    """Frames within _CROSSTALK seconds of a change of speaker with no pause, in its stretch of speech."""
    stretch = np.cumsum(np.r_[True, ~joined])
    crossed = np.zeros(len(times), bool)
    for change in np.flatnonzero(unpaused).tolist():
        first = bisect.bisect_left(times, times[change] - _CROSSTALK)
        end = bisect.bisect_right(times, times[change] + _CROSSTALK)
        crossed[first:end] |= stretch[first:end] == stretch[change]
    return crossed


def _unpaused_pair(
    speakers: np.ndarray, unpaused: np.ndarray, embeddings: np.ndarray, labels: np.ndarray, centroids: np.ndarray
) -> tuple[int, int] | None:
    """Two speakers at least half of whose changes from one to the other (two or more) come with no pause: one voice
    cut in two because a number of speakers was given (QA B12: one espeak voice with `--speakers 2` changed
    "speaker" mid-sentence 14 times in 35 s, no change at a pause; a clean interview's changes all have
    a pause, and with 1 s crosstalk at every third change a third of them have none) and whose centroids are
    as alike as their own windows are to them (real fast turn-taking also changes with no pause, 7 of 9 on
    pyannote's sample, but between distinct voices; one voice cut in two: 0.90-0.93 against 0.82-0.85)."""
    changes = np.flatnonzero(speakers[1:] != speakers[:-1]) + 1
    counts: dict[tuple[int, int], list[int]] = {}
    for change in changes.tolist():
        a, b = sorted((int(speakers[change - 1]), int(speakers[change])))
        seen = counts.setdefault((a, b), [0, 0])
        seen[0] += 1
        seen[1] += bool(unpaused[change])
    own = [
        float((embeddings[labels == j] @ centroids[j]).mean()) if np.any(labels == j) else 1.0
        for j in range(len(centroids))
    ]
    alike = [
        k
        for k, (n, unpaused_n) in counts.items()
        if unpaused_n >= 2
        and 2 * unpaused_n >= n
        and centroids[k[0]] @ centroids[k[1]] >= min(own[k[0]], own[k[1]]) - _AS_ALIKE
    ]
    return max(alike, key=lambda k: counts[k][1] / counts[k][0], default=None)


def _turn_taking(windows: list[Window], embeddings: np.ndarray, probabilities: np.ndarray) -> np.ndarray | None:
    """The centroids of a split in two of voices the automatic count found as one, if two people probably take
    turns there: each part holds MIN_WINDOWS or more and the changes between the parts come at pauses (QA B22:
    two similar espeak women, 3 of 15 changes without a pause); else None. One voice cut in two changes
    mid-sentence: 8 of 16 to 21 of 33 changes without a pause on espeak monologues, the librivox reader
    and QA's one-voice files."""
    centroids = clustering.cluster(embeddings, 2)
    labels = np.argmax(embeddings @ centroids.T, axis=1)
    if len(centroids) < 2 or np.bincount(labels, minlength=2).min() < clustering.MIN_WINDOWS:
        return None
    times, nearest = _nearest_windows(windows)
    joined = np.abs(np.diff(times) - FRAME) < FRAME / 2
    speakers, unpaused = _snapped(times, joined, labels[nearest], probabilities)
    changes = int(np.count_nonzero(speakers[1:] != speakers[:-1]))
    return centroids if changes >= _TAKING_CHANGES and unpaused.sum() <= _TAKING_UNPAUSED * changes else None


def _two_in_one(
    windows: list[Window], embeddings: np.ndarray, labels: np.ndarray, speaker: int, probabilities: np.ndarray
) -> bool:
    """Whether one of two or more speakers found automatically probably holds two voices (QA C12: an
    interpreter's low voice joined to the participant's, 17 and 14 windows, 1 of 3 changes between them
    without a pause): split in two, its parts near in size, the changes between them come at pauses. One
    voice splits unevenly or changes mid-sentence: on QA's two-voice files (E_mono, convA, convB) each
    speaker's split had a part under a third of its windows or over a third of its changes without a pause."""
    own = np.flatnonzero(labels == speaker)
    if len(own) < 2 * clustering.MIN_WINDOWS:
        return False
    halves = clustering.cluster(embeddings[own], 2)
    half = np.argmax(embeddings[own] @ halves.T, axis=1)
    sizes = np.bincount(half, minlength=2)
    if len(halves) < 2 or sizes.min() < max(clustering.MIN_WINDOWS, _MERGED_SHARE * len(own)):
        return False
    split = labels.copy()
    split[own[half == 1]] = labels.max() + 1
    times, nearest = _nearest_windows(windows)
    joined = np.abs(np.diff(times) - FRAME) < FRAME / 2
    speakers, unpaused = _snapped(times, joined, split[nearest], probabilities)
    parts = {speaker, int(labels.max()) + 1}
    changes = [c for c in (np.flatnonzero(speakers[1:] != speakers[:-1]) + 1).tolist()
               if {int(speakers[c - 1]), int(speakers[c])} == parts]  # fmt: skip
    return len(changes) >= _MERGED_CHANGES and sum(unpaused[changes]) <= _TAKING_UNPAUSED * len(changes)


def turns(
    windows: list[Window],
    embeddings: np.ndarray,
    centroids: np.ndarray,
    probabilities: np.ndarray,
    given: bool = False,
) -> list[Turn]:
    """Turns in time order; an overlapped stretch is marked on the turns either side of its change of
    speaker. ``probabilities``: silero's speech probability per 32 ms, where the pauses are. ``given``: the number
    of speakers was given. Found or given, two "speakers" that change mostly with no pause are joined (with the count
    found, the eigen-gap of an interview with 1 s crosstalk at every third change said four: one voice cut in two at
    centroid cosine 0.88, and a third "speaker" of crosstalk windows, DER 36.8 % -> 7.7 %, as with two given).

    (Adding a turn for the other speaker in crosstalk too lowered DER on espeak crosstalk but raised it
    more on real speech and on speech without overlap, with the earlier, embedding-based overlap marks.)"""
    if not windows or len(centroids) == 0:
        return []
    split = _turn_taking(windows, embeddings, probabilities) if not given and len(centroids) == 1 else None
    if split is not None and float(split[0] @ split[1]) < _DISTINCT:
        centroids, split = split, None  # two distinct voices taking turns, one too short for the eigen-gap
    elif not given and len(centroids) == 1:
        apart = clustering.stretches_apart(embeddings, [w.region for w in windows])
        # Each of its stretches is far from the main voice: two voices however alike their centroids (G7's alike
        # voices: 0.72), unless two alike voices take turns (the split above): then its few stretches are only part of
        # the second voice (QA B22: DER 31 % as one speaker flagged, 29 % as these two, unflagged).
        if apart is not None and (split is None or float(apart[0] @ apart[1]) < _DISTINCT):
            centroids, split = apart, None  # a voice heard in a few stretches only (QA G7, q8m)
    times, nearest = _nearest_windows(windows)
    joined = np.abs(np.diff(times) - FRAME) < FRAME / 2  # frames i and i + 1 are neighbours in one region
    while True:
        labels = np.argmax(embeddings @ centroids.T, axis=1)
        speakers, unpaused = _snapped(times, joined, labels[nearest], probabilities)
        pair = _unpaused_pair(speakers, unpaused, embeddings, labels, centroids) if len(centroids) > 1 else None
        if pair is None:
            break
        joint = embeddings[np.isin(labels, pair)].mean(axis=0)
        centroids = np.delete(centroids, pair[1], axis=0)
        centroids[pair[0]] = joint / max(float(np.linalg.norm(joint)), 1e-12)
    confidence = _confidence(embeddings, centroids)[nearest]
    if split is not None:
        confidence = np.minimum(confidence, _ONE_OR_TWO)  # one speaker found, probably two alike: flagged (QA B22)
    elif not given:
        for speaker in range(len(centroids)):
            if _two_in_one(windows, embeddings, labels, speaker, probabilities):  # flagged (QA C12)
                confidence = np.where(labels[nearest] == speaker, np.minimum(confidence, _ONE_OR_TWO), confidence)
    runs = _runs(times, speakers, _crosstalk(times, joined, unpaused), confidence)
    order: dict[int, int] = {}
    for run in runs:
        order.setdefault(run.speaker, len(order))
    return [
        Turn(
            round(float(r.start), 2),
            round(float(r.end), 2),
            order[r.speaker],
            round(float(np.mean(r.confidences)), 3),
            r.overlap,
        )
        for r in runs
    ]
