"""A learned head over the NER model's last hidden layer: "this word is part of an identifier", for text written
without capitals (ASR engines that do not case), where the rules that read capitals cannot help.

A logistic regression over each word's model features (the last hidden layer of its first word piece, its label
probabilities, the name labels of the words beside it) and case-blind word features (Zipf frequency; whether the
dictionary, the name, surname and place lists or the stopwords hold it). Trained by `python -m bench.headcv train` on
the gold spans of every corpus in tests/data/redaction/ and checked there by leave-one-corpus-out against the
detector each corpus met fresh: on those 12 corpora, as shipped (the detector's general filters after it, text with
no capital only), it cut lowercased leaks from 109 to 94 for 0.002 of precision (0.926 -> 0.924); run on cased text too
it cost 0.0015 of precision there and took it below 0.90, so cased text does not get it. The weights
file is checked against its SHA-256 like the model's files; the detector adds the head's words only where no other
layer proposed anything.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from pathlib import Path

import numpy as np

from fieldvault.errors import FieldvaultError
from fieldvault.redact.model import LABELS, NAMES, WINDOW, States, id2label, states, windows
from fieldvault.redact.spans import Span

WEIGHTS = Path(__file__).resolve().parent / "data" / "head.npy"
WEIGHTS_SHA256 = "65ff657b9e4a95b2add7bbfa64446d9d72d25e797672b77770092be03928ffce"
THRESHOLD = 0.98  # chosen on the other corpora in each fold: at most 0.005 of precision on their fresh detectors
_WORD = re.compile(r"\w+(?:['’]\w+)?")  # bench/corpus.py's scored tokens
_JOINS = " -'’"  # what may stand between the words of one name
CHEAP = 10  # word features after the hidden layer and the label probabilities


@functools.cache
def _weights() -> np.ndarray:
    """Rows: the coefficients (the bias last), the features' means, their spreads (both padded by one)."""
    try:
        data = WEIGHTS.read_bytes()
    except OSError:
        data = b""
    if hashlib.sha256(data).hexdigest() != WEIGHTS_SHA256:
        raise FieldvaultError(
            f"the redaction head's weights {WEIGHTS} are missing, damaged or not the tested release (SHA-256 "
            f"differs); reinstall fieldvault, then try again"
        )
    return np.load(io.BytesIO(data), allow_pickle=False)


def require_head() -> None:
    _weights()


def word_features(text: str, read: States) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The words of ``text`` (one window) and a feature row for each; the same for ``text.lower()`` (the model is
    uncased, the word features are read lowercased)."""
    from fieldvault.redact.lexicon import STOPWORDS, dictionary, first_names, last_names, places, word_frequency

    labels = id2label()
    names = [i for i in range(len(labels)) if labels[i].split("-", 1)[-1] in NAMES]
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    pieces = [(i, a, b) for i, (a, b) in enumerate(read.offsets) if b > a]
    probabilities, hidden = [], []
    for start, end in words:
        mine = [i for i, a, b in pieces if a < end and start < b]
        probabilities.append(read.probabilities[mine].mean(axis=0) if mine else np.zeros(len(labels)))
        hidden.append(read.hidden[mine[0]] if mine else np.zeros(read.hidden.shape[1]))
    name_sum = [float(p[names].sum()) for p in probabilities]
    english, firsts, lasts, towns = dictionary()[0], first_names(), last_names(), places()
    rows = []
    for n, (start, end) in enumerate(words):
        word = text[start:end].lower().replace("’", "'")
        cheap = [
            word_frequency(word) / 8,
            word in english,
            word in firsts,
            word in lasts,
            word in towns,
            word in STOPWORDS,
            len(word) / 10,
            any(c.isdigit() for c in word),
            name_sum[n - 1] if n > 0 else 0.0,
            name_sum[n + 1] if n + 1 < len(words) else 0.0,
        ]
        assert len(cheap) == CHEAP
        rows.append(np.concatenate([hidden[n], probabilities[n], np.array(cheap, dtype=float)]))
    return words, np.array(rows, dtype=np.float32).reshape(len(words), -1)


def probabilities(weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """How likely each row's word is part of an identifier, by ``weights`` as `_weights` lays them out."""
    width = rows.shape[1]
    z = (rows - weights[1, :width]) / weights[2, :width]
    return 1 / (1 + np.exp(-(z @ weights[0, :width] + weights[0, width])))


def find_with_head(text: str) -> list[Span]:
    """The head's runs of words (`runs`), each labelled by the model's label groups over its words (a person, a
    place, a contact or a number)."""
    weights = _weights()
    scored: dict[tuple[int, int], tuple[float, np.ndarray]] = {}
    for offset in windows(text):
        window = text[offset : offset + WINDOW]
        words, rows = word_features(window, states(window))
        if not words:
            continue
        for (a, b), p, row in zip(words, probabilities(weights, rows), rows, strict=True):
            key = (a + offset, b + offset)
            if key not in scored or p > scored[key][0]:
                scored[key] = (float(p), row)
    spans = []
    for start, end in runs(text, sorted(scored), [scored[w][0] for w in sorted(scored)]):
        run = [w for w in scored if start <= w[0] and w[1] <= end]
        label = _label(np.sum([scored[w][1] for w in run], axis=0))
        spans.append(Span(start, end, label, "head", text[start:end], min(scored[w][0] for w in run)))
    return spans


def runs(text: str, words: list[tuple[int, int]], chances: list[float]) -> list[tuple[int, int]]:
    """Runs of words at or above THRESHOLD, apart by spaces, hyphens or apostrophes only. A run needs a letter: a
    bare number (a year, a count, a house number) is the numbers' rules' to judge, as the model's unsure pieces."""
    found: list[list[int]] = []
    for (start, end), chance in zip(words, chances, strict=True):
        if chance < THRESHOLD:
            continue
        if found and not text[found[-1][1] : start].strip(_JOINS):
            found[-1][1] = end
        else:
            found.append([start, end])
    return [(a, b) for a, b in found if any(c.isalpha() for c in text[a:b])]


def _label(row: np.ndarray) -> str:
    hidden = len(row) - len(id2label()) - CHEAP
    groups: dict[str, float] = {}
    for index, name in id2label().items():
        label = LABELS.get(name.split("-", 1)[-1])
        if label:
            groups[label] = groups.get(label, 0.0) + float(row[hidden + index])
    return max(groups, key=lambda g: groups[g]) if groups else "PERSON"
