"""Speakers from speaker embeddings: p-pruned spectral clustering, the count from the eigen-gap or given.

As in 3D-Speaker's diarization recipe: each embedding keeps only its nearest neighbours in the
cosine-affinity graph; the Laplacian's smallest eigenvectors are clustered with k-means. Long
recordings cluster an even sample of their windows, then every window joins its nearest speaker.
"""

from __future__ import annotations

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


def _normalised(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _laplacian_eigen(embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    affinity = embeddings @ embeddings.T
    n = len(affinity)
    keep = max(_MIN_NEIGHBOURS, round(_PRUNE * n))
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
