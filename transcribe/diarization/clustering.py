"""Speakers from speaker embeddings: p-pruned spectral clustering, the count from the eigen-gap or given.

As in 3D-Speaker's diarization recipe: each embedding keeps only its nearest neighbours in the
cosine-affinity graph; the Laplacian's smallest eigenvectors are clustered with k-means. Long
recordings cluster an even sample of their windows, then every window joins its nearest speaker.

With two speakers given (`given`), spectral clustering alone can cut the wrong way: a participant who talks most
of a short interview holds far more windows than the interviewer, and the cut through her voice can cost less
than the one around his few windows (QA F12: a 0.6 s interruption over her last words, or a "Mm-hm", and her voice
became two "speakers", the interviewer joined to one half, for the rest of the interview). So several
clusterings are made and the one whose windows lie nearest their speaker and change speaker least in the middle
of speech wins. An interviewer heard for two seconds holds too few windows for any clustering (QA G7): his
stretches of speech, each far from all the rest, are one more choice.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

MAX_SPEAKERS = 8  # the most found, or given (`--speakers`)
MIN_WINDOWS = 4  # a given count: each speaker needs this many windows (about 2.5 s of speech) to be one
# Fraction of neighbours kept per row. 3D-Speaker's 0.022 split one voice into several on long recordings:
# a speaker's ~20 nearest windows were all one often-heard phrase, so each phrase became a "speaker"
# (bench/transcribe.py's 10 min of two voices: 4 speakers found; with 0.05, 2).
_PRUNE = 0.05
_MIN_NEIGHBOURS = 10  # 6 (3D-Speaker's floor) let short recordings split a voice in two
_SAMPLE = 1500  # largest affinity matrix built (1500² float64 = 18 MB, eigh in about a second)
_MERGE_COSINE = 0.9  # automatic count: two clusters this alike are one speaker (espeak voices: ~0.8)
_MIN_SHARE = 0.02  # automatic count: a "speaker" with fewer windows is noise
_MORE_NEIGHBOURS = 20  # a given count: spectral clustering is also tried keeping this many neighbours
_SPHERICAL_RESTARTS = 20
_APART = 0.7  # a given count: a stretch whose mean embedding is less alike to the rest of the talk is another voice
_FEW = 0.2  # ...while such stretches hold at most this share of the windows (a voice heard little)


def _normalised(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _kept(n: int, neighbours: int = _MIN_NEIGHBOURS) -> int:
    return max(neighbours, round(_PRUNE * n))


def _laplacian_eigen(embeddings: np.ndarray, neighbours: int = _MIN_NEIGHBOURS) -> tuple[np.ndarray, np.ndarray]:
    affinity = embeddings @ embeddings.T
    n = len(affinity)
    keep = _kept(n, neighbours)
    if keep < n:
        weakest = np.argpartition(affinity, n - keep, axis=1)[:, : n - keep]
        np.put_along_axis(affinity, weakest, 0.0, axis=1)
    affinity = 0.5 * (affinity + affinity.T)
    np.fill_diagonal(affinity, 0.0)
    laplacian = np.diag(np.abs(affinity).sum(axis=1)) - affinity
    return np.linalg.eigh(laplacian)


def _kmeans(points: np.ndarray, k: int, rng: np.random.Generator, restarts: int = 8) -> np.ndarray:
    best, best_cost = np.zeros(len(points), int), np.inf
    for _ in range(restarts):
        centres = [points[rng.integers(len(points))]]
        for _ in range(1, k):  # k-means++ seeding
            d = np.min([((points - c) ** 2).sum(axis=1) for c in centres], axis=0)
            centres.append(points[rng.choice(len(points), p=d / d.sum()) if d.sum() > 0 else rng.integers(len(points))])
        c = np.array(centres)
        for _ in range(100):
            labels = ((points[:, None, :] - c[None]) ** 2).sum(axis=2).argmin(axis=1)
            moved = np.array([points[labels == j].mean(axis=0) if np.any(labels == j) else c[j] for j in range(k)])
            if np.allclose(moved, c):
                break
            c = moved
        cost = ((points - c[labels]) ** 2).sum()
        if cost < best_cost:
            best, best_cost = labels, cost
    return best


def _centroids(embeddings: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return _normalised(np.array([embeddings[labels == j].mean(axis=0) for j in np.unique(labels)]))


def _merge_alike(centroids: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Drop near-duplicate and tiny clusters (automatic count only); the survivors' centroids."""
    order = np.argsort(-counts)
    kept: list[int] = []
    for j in order:
        if counts[j] < _MIN_SHARE * counts.sum() and kept:
            continue
        if all(float(centroids[j] @ centroids[i]) < _MERGE_COSINE for i in kept):
            kept.append(int(j))
    return centroids[kept]


def cluster(embeddings: np.ndarray, speakers: int | None) -> np.ndarray:
    """Speaker centroids (L2-normalised rows) for L2-normalised embeddings; `speakers` fixes their number."""
    if len(embeddings) == 0:
        return np.zeros((0, embeddings.shape[1]), np.float32)
    rng = np.random.default_rng(0)
    step = max(1, int(np.ceil(len(embeddings) / _SAMPLE)))
    sample = _normalised(embeddings[::step].astype(np.float64))
    if speakers is not None:  # a count given beyond what the speech can show is capped (QA B12: 99 on 5 s)
        speakers = max(1, min(speakers, len(sample) // MIN_WINDOWS))
        if speakers == 1:
            return _normalised(sample.mean(axis=0, keepdims=True)).astype(np.float32)
    values, vectors = _laplacian_eigen(sample)
    if speakers is None:
        top = min(MAX_SPEAKERS, len(sample) - 1)
        k = int(np.argmax(np.diff(values[: top + 1]))) + 1
    else:
        k = speakers
    labels = _kmeans(vectors[:, :k], k, rng) if k > 1 else np.zeros(len(sample), int)
    centroids = _centroids(sample, labels)
    if speakers is None:
        centroids = _merge_alike(centroids, np.bincount(labels))
    return centroids.astype(np.float32)


def _average_linkage(embeddings: np.ndarray, k: int) -> np.ndarray | None:
    """Centroids from agglomerative clustering (average cosine distance between clusters), cut where k clusters of
    MIN_WINDOWS or more windows last stand: theirs, the smaller clusters left out (None if k never stood)."""
    n = len(embeddings)
    distance = 1.0 - embeddings @ embeddings.T
    np.fill_diagonal(distance, np.inf)
    sizes = np.ones(n)
    labels = np.arange(n)
    nearest = distance.argmin(axis=1)
    gap = distance[np.arange(n), nearest]
    kept = None
    while (alive := np.isfinite(gap)).sum() > 1:
        i = int(gap.argmin())
        j = int(nearest[i])
        merged = (sizes[i] * distance[i] + sizes[j] * distance[j]) / (sizes[i] + sizes[j])
        distance[i], distance[:, i] = merged, merged
        distance[i, i] = np.inf
        distance[j], distance[:, j] = np.inf, np.inf
        sizes[i] += sizes[j]
        sizes[j] = 0
        labels[labels == j] = i
        gap[j] = np.inf
        stale = np.flatnonzero(alive & ((nearest == i) | (nearest == j)))
        stale = stale[stale != j]
        nearest[stale] = distance[stale].argmin(axis=1)
        gap[stale] = distance[stale, nearest[stale]]
        closer = np.flatnonzero(np.isfinite(gap) & (distance[:, i] < gap))
        nearest[closer], gap[closer] = i, distance[closer, i]
        if (sizes >= MIN_WINDOWS).sum() >= k:
            kept = (labels.copy(), np.argsort(-sizes)[:k])
    if kept is None:
        return None
    return _normalised(np.array([embeddings[kept[0] == j].mean(axis=0) for j in kept[1]]))


def _spherical_kmeans(embeddings: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Labels of k-means on the unit sphere (each window to the centroid of highest cosine), best of restarts."""
    best, best_fit = np.zeros(len(embeddings), int), -np.inf
    for _ in range(_SPHERICAL_RESTARTS):
        centres = embeddings[rng.choice(len(embeddings), k, replace=False)]
        for _ in range(50):
            labels = np.argmax(embeddings @ centres.T, axis=1)
            moved = _normalised(
                np.array([embeddings[labels == j].sum(axis=0) if np.any(labels == j) else centres[j] for j in range(k)])
            )
            if np.allclose(moved, centres):
                break
            centres = moved
        fit = float((embeddings @ centres.T).max(axis=1).sum())
        if fit > best_fit:
            best, best_fit = np.argmax(embeddings @ centres.T, axis=1), fit
    return best


def _fit(embeddings: np.ndarray, labels: np.ndarray) -> float:
    """The mean cosine of each window to its own speaker's centroid (what k-means on the sphere makes highest)."""
    centroids = _centroids(embeddings, labels)
    return float(
        np.take_along_axis(embeddings @ centroids.T, np.searchsorted(np.unique(labels), labels)[:, None], 1).mean()
    )


def stretches_apart(embeddings: np.ndarray, stretches: Sequence[Hashable]) -> np.ndarray | None:
    """Centroids of two speakers where one voice talks in a few stretches of speech, each less alike than _APART to
    the rest of the talk, together at most _FEW of the windows: the first the rest's, the second theirs (else None).
    A voice heard for two seconds holds too few windows to be a cluster of its own (QA G7: an interviewer's two
    short questions in 37 s of her talk, 3 of 58 windows, were joined to half of her voice); but a stretch between
    pauses is one speaker's, and its mean embedding is far from the other voice (distinct espeak voices 0.23-0.44,
    alike ones 0.52-0.67) where each of her stretches lies near the rest of her talk (0.79 or more)."""
    keys = {key: k for k, key in enumerate(dict.fromkeys(stretches))}
    member = np.array([keys[s] for s in stretches])
    sums = np.zeros((len(keys), embeddings.shape[1]))
    np.add.at(sums, member, embeddings.astype(np.float64))
    means = _normalised(sums)
    rest = _normalised(sums.sum(axis=0) - sums)
    apart = (means * rest).sum(axis=1) < _APART
    for _ in range(2):  # against the main voice alone, without the stretches apart pulling it towards them
        if not apart.any() or apart[member].mean() > _FEW:
            return None
        main = _normalised(sums[~apart].sum(axis=0, keepdims=True))[0]
        apart = means @ main < _APART
    if not apart.any() or apart[member].mean() > _FEW:
        return None
    return _normalised(np.array([sums[~apart].sum(axis=0), sums[apart].sum(axis=0)]))


def given(embeddings: np.ndarray, speakers: int, stretches: Sequence[Hashable]) -> np.ndarray:
    """Centroids of ``speakers`` speakers (a count given) for L2-normalised embeddings, ``stretches`` naming the
    stretch of speech with no pause each window lies in (in time order). For two speakers: of spectral clustering
    (as ``cluster``, and keeping more neighbours), average-linkage clustering, k-means on the sphere and the few
    stretches far from all the rest (``stretches_apart``), the clustering whose mean cosine of each window to its
    speaker's centroid, less the share of windows where the speaker changes inside a stretch, is highest, each
    speaker holding MIN_WINDOWS or more windows (the stretches apart: one or more). QA G7 (an interviewer's two
    short questions in 37 s): DER 5-25 % -> 0-1.5 % on 12 files of four voice pairs; no other file changed.
    The four clusterings, measured (DER, collar 0.25 s): QA F12's q8m.wav and q8m_dy.wav 41 % and 44 % -> 0.2 %;
    64 interviews made for it (six voice pairs, a real reader, with and without a back-channel and an
    interruption), 8 short ones with 1 s crosstalk and 3 of QA B22's alike voices: mean 4.5 -> 2.8 %, 3 worse
    (3.6 -> 6.6, 4.9 -> 6.2, 6.2 -> 6.9 %), none over 10 % that was not before; the bench's unchanged or better.
    The silhouette instead of the mean cosine took five of the short crosstalk interviews to 26-31 %. Three or
    more speakers are spectral clustering's alone: the choice was measured on one three-voice file only (QA C12's,
    an interpreter's voice near the participant's: 2.9 -> 0.5 %; with the silhouette 45 %)."""
    first = cluster(embeddings, speakers)
    if len(first) != 2:
        return first
    k = 2
    step = max(1, int(np.ceil(len(embeddings) / _SAMPLE)))
    sample = _normalised(embeddings[::step].astype(np.float64))
    options = [first]
    if _kept(len(sample), _MORE_NEIGHBOURS) != _kept(len(sample)):
        _, vectors = _laplacian_eigen(sample, _MORE_NEIGHBOURS)
        options.append(_centroids(sample, _kmeans(vectors[:, :k], k, np.random.default_rng(0))))
    if (linked := _average_linkage(sample, k)) is not None:
        options.append(linked)
    spherical = _spherical_kmeans(sample, k, np.random.default_rng(0))
    if len(np.unique(spherical)) == k:
        options.append(_centroids(sample, spherical))
    apart = stretches_apart(embeddings, stretches)
    if apart is not None:
        options.append(apart)
    same = np.array([a == b for a, b in zip(stretches[1:], stretches[:-1], strict=True)])
    best, best_score = first, -np.inf
    for centroids in options:
        labels = np.argmax(embeddings @ centroids.T.astype(embeddings.dtype), axis=1)
        few = 1 if centroids is apart else MIN_WINDOWS  # whole stretches of speech: a voice however short
        if len(centroids) != k or np.bincount(labels, minlength=k).min() < few:
            continue
        changes = int(np.count_nonzero(same & (labels[1:] != labels[:-1])))
        score = _fit(sample, labels[::step]) - changes / len(labels)
        if score > best_score:
            best, best_score = centroids, score
    return best.astype(np.float32)
