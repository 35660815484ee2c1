"""A learned head over the NER model's last hidden layer: "this word is part of an identifier", for text written
without capitals (ASR engines that do not case, or stretches where Whisper stops casing), where the rules that read
capitals cannot help.

A logistic regression over each word's model features (the last hidden layer of its first word piece, its label
probabilities, the name labels of the words beside it) and case-blind word features (Zipf frequency; whether the
dictionary, the name, surname and place lists or the stopwords hold it; and the words beside it: a calling word or a
kin word or title before it, a place's preposition before it, a body's kind word ("house", "trust", "spa") at it or
after it, a people, language or festival at it, the neighbours' frequency and whether they are names; head15: a title
or kin word at it, an article right before it, and whether it and its neighbours are everyday words that no name list
holds). Trained by `python -m bench.headcv train` on the gold spans of every corpus in tests/data/redaction/ and
checked there by leave-one-corpus-out against the detector each corpus met fresh (`python -m bench.headcv cv`). It
reads the sentences written without a capital (`uncased`). Cased sentences get the cased head (head17): the same
features plus `case_features` (the word's case; the contexts everyday words used as names leaked in), trained on
every corpus as written and lowercased (`python -m bench.headcv train-cased`), threshold 0.97 (0.94 by the rule; below
0.97 school years, grades, "R300" and "Datuk" cost seen corpora their precision floors). Out of fold over the head
alone it left 237 spans as written where the head left 246 (36 corpora; 59 / 62 on unseen33..40), precision 0.9011 /
0.9016. Retrained by head15 on 28 held-out corpora (unseen3..14 and unseen17..32), threshold
0.92 (0.93 before; the CV rule alone gives 0.90, which costs unseen13 and unseen25 their precision floors in common
words, "main drag", "food street"). On unseen29..32, which neither the head before (head14's, trained up to unseen28)
nor the new one (out of fold) saw, against the detector they met fresh (its own head off), leaked spans went from 56
(detector) and 42 (the head before) to 42 lowercased, recall 0.893 / 0.916 / 0.919, precision 0.933 / 0.931 / 0.932;
as written 44 / 34 / 34 (recall 0.920 / 0.934 / 0.936); every other sentence lowercased 46 / 36 / 36. Its spans there
(both forms): 54 right and 5 wrong, the head before's 49 and 6. Titles at a run's start and people in general alone
are left out (`_past_titles`, `_people_alone`).
In the stretches without capitals, gradient-boosted trees over the same features and the two words either side of
each word (detect21, `with_neighbours`, `tree_probabilities`) take a word the regression leaves at TREES_THRESHOLD
(detect22's union), save the words they take by their neighbours alone (`misread`, detect23: a surname's particle,
spelled letters that spell an abbreviation or the alphabet, a lone adjective or plural no list holds as a name;
detect25: a word clipped after an apostrophe, an everyday word after an article describing a kind or a plural, an
everyday noun after a town; detect26: a word said in quotes after a verb of telling, a letter spelled "as in" a word,
a state bare after "in", a body part's possessive, "dot" before a web address's end, what kind of reserve, a word
after a determiner and an ordinal before a kind of place).
The weights files are checked against their SHA-256 like the model's files; the detector adds the heads' words only
where no other layer proposed anything.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import re
import unicodedata
from pathlib import Path

import numpy as np

from fieldvault.errors import FieldvaultError
from fieldvault.redact.model import LABELS, NAMES, WINDOW, States, id2label, states, windows
from fieldvault.redact.spans import Span

WEIGHTS = Path(__file__).resolve().parent / "data" / "head.npy"
WEIGHTS_SHA256 = "f73cac2062903d67538c182be7e51211ccd4c36533e346d3690b1ba134d2c32b"
THRESHOLD = 0.92  # bench/headcv.py cv (0.90 by its rule alone); the precision floors on the seen corpora
TREES = WEIGHTS.with_name("head_trees.npy")  # trees beside the regression: python -m bench.lowerhead train
TREES_SHA256 = "50d0a2e28fa12fe2dc980c5148d935dccbc9a66b4f8866f39c247ba764b03435"
TREES_THRESHOLD = 0.80  # a word the regression leaves is taken where the trees say this (detect22, bench/lowerhead.py)
# 0.80 (detect25's guards, detect26's; 0.90 before): leaked 427 -> 397 as written, 543 -> 484 lowercased over every
# corpus with floors, none breaking. detect24's 0.80 broke 5 precision floors ("adult sites", "tae flats", "'cause",
# "osh bazaar", "fiestas de", "psychiatric hospital") and detect25's 11 hard negatives ("run" in quotes, "b as in
# boy", "living in hope", "arm's length", "cnn dot com", "the nature reserve", "my first foster home"), which
# `misread` now leaves to the regression by their shapes.
CASED_WEIGHTS = WEIGHTS.with_name("head_cased.npy")  # the head for cased sentences: word features + `case_features`
CASED_WEIGHTS_SHA256 = "3794e132a0490da5f31d63dd071eb13437dee5aecded487d305470b067ae73a7"
CASED_THRESHOLD = 0.97  # bench/headcv.py: 0.94 by the rule on cased words; the seen corpora's precision floors
_WORD = re.compile(r"\w+(?:['’]\w+)?")  # bench/corpus.py's scored tokens
_JOINS = " -'’"  # what may stand between the words of one name
CHEAP = 25  # word features after the hidden layer and the label probabilities
_CALLING = {"called", "call", "calls", "calling", "named", "nicknamed", "name", "aka"}  # "they call she sugar"
_PLACE_BEFORE = {"in", "at", "from", "near", "to", "outside", "on"}
_FILLERS = {"um", "uh", "er", "erm", "like", "the", "she", "he", "him", "her", "am", "me", "was", "is"}
_ARTICLES = {"the", "a", "an", "this", "that", "these", "those", "some", "every", "any"}  # "the main drag"
_ORDINALS = {"first", "second", "third", "last", "next", "old", "new", "own", "other"}  # "my first foster home"


@functools.cache
def _kind_words() -> frozenset[str]:
    """Single words that end a body's or a place's name ("house", "trust", "spa"): the organisations' kinds and the
    context layer's place words."""
    from fieldvault.redact.context import _PLACE_WORDS
    from fieldvault.redact.organisations import KINDS

    return frozenset(w for k in (*_PLACE_WORDS.split("|"), *KINDS) for w in k.split())


@functools.cache
def _weights() -> np.ndarray:
    """Rows: the coefficients (the bias last), the features' means, their spreads (both padded by one)."""
    return _checked(WEIGHTS, WEIGHTS_SHA256)


@functools.cache
def _trees() -> np.ndarray:
    """The trees read beside the regression in uncased stretches (detect21, detect22): one row a node
    (`tree_probabilities`)."""
    return _checked(TREES, TREES_SHA256)


@functools.cache
def _cased_weights() -> np.ndarray:
    """The head for cased sentences, laid out as `_weights`."""
    return _checked(CASED_WEIGHTS, CASED_WEIGHTS_SHA256)


def _checked(path: Path, sha256: str) -> np.ndarray:
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise FieldvaultError(
            f"the redaction head's weights {path} are missing, damaged or not the tested release (SHA-256 "
            f"differs); reinstall fieldvault, then try again"
        )
    return np.load(io.BytesIO(data), allow_pickle=False)


def require_head() -> None:
    _weights()
    _trees()
    _cased_weights()


def word_features(text: str, read: States) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The words of ``text`` (one window) and a feature row for each; the same for ``text.lower()`` (the model is
    uncased, the word features are read lowercased)."""
    from fieldvault.redact.lexicon import (
        HONORIFICS,
        PERSON_WORDS,
        STOPWORDS,
        dictionary,
        festivals,
        first_names,
        head_places,
        last_names,
        peoples,
        word_frequency,
    )

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
    english, firsts, lasts, towns = dictionary()[0], first_names(), last_names(), head_places()
    kinds, negatives, cues = _kind_words(), peoples() | festivals(), PERSON_WORDS | HONORIFICS
    lowered = [text[a:b].lower().replace("’", "'") for a, b in words]
    rows = []
    for n, word in enumerate(lowered):
        before = [w for w in lowered[max(0, n - 3) : n] if w not in _FILLERS][-1:] or [""]
        after = lowered[n + 1] if n + 1 < len(words) else ""
        named = {w for w in (before[0], after) if w in firsts or w in lasts}
        context = [
            before[0] in _CALLING,
            before[0] in cues,
            before[0] in _PLACE_BEFORE,
            word in kinds,
            after in kinds,
            word in negatives,
            word_frequency(before[0]) / 8 if before[0] else 1.0,
            word_frequency(after) / 8 if after else 1.0,
            before[0] in firsts or before[0] in lasts,
            after in firsts or after in lasts,
            # head15: what makes a common word a thing, not a name ("the main drag", "rock bottom", "dc", "garda")
            word in cues,
            n > 0 and lowered[n - 1] in _ARTICLES,
            word in english and word not in firsts and word not in lasts,
            before[0] in english and before[0] not in STOPWORDS and before[0] not in named,
            after in english and after not in STOPWORDS and after not in named,
        ]
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
            *context,
        ]
        assert len(cheap) == CHEAP
        rows.append(np.concatenate([hidden[n], probabilities[n], np.array(cheap, dtype=float)]))
    if not rows:  # no word at all (an empty text: `redact-text` of an empty file or pipe)
        return words, np.empty((0, 0), dtype=np.float32)
    return words, np.array(rows, dtype=np.float32).reshape(len(words), -1)


_OPENS = re.compile(r"(?:^|[.!?…:;]+[\"”’)]*\s+|\n\s*|[\"“(]\s*)$")  # what a sentence's first word comes after
_NAMING = {
    "called",
    "call",
    "calls",
    "named",
    "name",
    "aka",
    "nickname",
    "say",
    "says",
    "said",
    "known",
    "as",
    "by",
    "under",
    "ads",
    "sites",
}  # "everyone say tiger", "on the sites as ginger", "the ads under honey"
_DETERMINERS = _ARTICLES | {"my", "his", "her", "our", "their", "your", "its", "no", "one", "two"}
CASE_FEATURES = 17


def case_features(text: str, words: list[tuple[int, int]], rows: np.ndarray) -> np.ndarray:
    """For the cased head (head17): what the words' case says ("Tiger" mid-sentence; a capital that only starts a
    sentence), and the contexts everyday words used as names leaked in (a naming word a few words before, "everyone
    say tiger"; set off by commas, "another girl, ginger, no"; a clause's first word before a verb, "slim had"; said
    again; after a body's kind word and a comma, "a snooker hall, the corner pocket"). ``rows``: `word_features`."""
    from fieldvault.redact.rare import ends_name

    stretches = uncased(text)
    kinds = _kind_words()
    lowered = [text[a:b].lower() for a, b in words]
    capital = [text[a].isupper() for a, _ in words]
    opens = [bool(_OPENS.search(text, 0, a)) for a, _ in words]
    out = []
    for k, (a, b) in enumerate(words):
        word, everyday = text[a:b], rows[k, -3] > 0.5
        middle = capital[k] and not opens[k]
        after = words[k + 1] if k + 1 < len(words) else None
        right = text[b : after[0]] if after else text[b:]
        right2 = text[after[1] : words[k + 2][0]] if after and k + 2 < len(words) else ""
        left = text[:a].rstrip()
        verb = after is not None and ends_name(text[after[0] : after[1]])
        determined = k > 0 and lowered[k - 1] in _DETERMINERS
        back = lowered[max(0, k - 4) : k]
        out.append(
            [
                capital[k],
                opens[k],
                middle,
                word.isupper() and len(word) > 1,
                any(x <= a and b <= y for x, y in stretches),
                middle and everyday,
                k > 0 and capital[k - 1] and not opens[k - 1],
                after is not None and capital[k + 1] and not opens[k + 1],
                capital[k] and opens[k] and everyday,
                middle and rows[k, -24] > 0.5,  # a dictionary word
                any(w in _NAMING for w in back),
                left.endswith(",") and ("," in right or "," in right2 or "." in right),
                (opens[k] or left.endswith(",")) and verb,
                not determined and verb and everyday,
                lowered.count(lowered[k]) > 1 and everyday,
                left.endswith(",") and any(w in kinds for w in back),
                left.endswith(",") and everyday and not determined,
            ]
        )
    return np.array(out, dtype=np.float32).reshape(len(words), CASE_FEATURES)


_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*\s+|\n")


def uncased(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` an engine wrote without capitals: its sentences (or lines) with no capital letter,
    neighbours joined. Cased text starts every sentence with a capital, so a whole sentence in lowercase is a
    lowercase stretch of a mixed transcript (Whisper sometimes drops casing for a while), or all of an uncased one."""
    stretches: list[list[int]] = []
    start = 0
    for end in [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        if end > start and not any(c.isupper() for c in text[start:end]):
            if stretches and stretches[-1][1] == start:
                stretches[-1][1] = end
            else:
                stretches.append([start, end])
        start = end
    return [(a, b) for a, b in stretches]


def probabilities(weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """How likely each row's word is part of an identifier, by ``weights`` as `_weights` lays them out."""
    width = rows.shape[1]
    z = (rows - weights[1, :width]) / weights[2, :width]
    # held where the logistic is 0 or 1 to float precision anyway, so that exp cannot overflow
    logit = np.clip(z @ weights[0, :width] + weights[0, width], -80.0, 80.0)
    return 1 / (1 + np.exp(-logit))


def with_neighbours(rows: np.ndarray, passage: np.ndarray | None = None) -> np.ndarray:
    """Each `word_features` row, then the label probabilities and case-blind word features (not the hidden layer) of
    the two words before and after it (zeros past the ends; with ``passage``, a passage's number for each row, past
    its passage's ends): what the trees read."""
    small = rows[:, rows.shape[1] - len(id2label()) - CHEAP :]
    same = np.zeros(len(rows), dtype=int) if passage is None else passage
    parts = [rows]
    for shift in (-2, -1, 1, 2):
        moved = np.zeros_like(small)
        source = np.arange(len(rows)) + shift
        ok = (source >= 0) & (source < len(rows))
        ok[ok] &= same[source[ok]] == same[ok]
        moved[ok] = small[source[ok]]
        parts.append(moved)
    return np.hstack(parts)


# the columns of `_trees`: one row a node, row 0 the trees' baseline (its logit in VALUE)
FEATURE, SPLIT, LEFT, RIGHT, VALUE, MISSING_LEFT, ROOT = range(7)


def tree_probabilities(trees: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """How likely each row's word (`with_neighbours`) is part of an identifier, by gradient-boosted trees laid out as
    `_trees` (scikit-learn's HistGradientBoostingClassifier, written out by bench/lowerhead.py): from every tree's root
    (ROOT 1), a node sends a row LEFT where its FEATURE is at most SPLIT (a missing value where MISSING_LEFT says), else
    RIGHT, down to a leaf (FEATURE -1); the baseline plus the leaves' VALUEs is the logit."""
    nodes = trees[1:]
    feature = nodes[:, FEATURE].astype(np.int64)
    left, right = nodes[:, LEFT].astype(np.int64), nodes[:, RIGHT].astype(np.int64)
    x = rows.astype(np.float64)
    at = np.broadcast_to(np.flatnonzero(nodes[:, ROOT]), (len(x), int(nodes[:, ROOT].sum()))).copy()
    line = np.arange(len(x))[:, None]
    while (inner := feature[at] >= 0).any():
        value = x[line, np.maximum(feature[at], 0)]
        goes_left = np.where(np.isnan(value), nodes[at, MISSING_LEFT] > 0, value <= nodes[at, SPLIT])
        at = np.where(inner, np.where(goes_left, left[at], right[at]), at)
    logit = np.clip(trees[0, VALUE] + nodes[at, VALUE].sum(axis=1), -80.0, 80.0)
    return 1 / (1 + np.exp(-logit))


def union(
    text: str,
    words: list[tuple[int, int]],
    regression: np.ndarray,
    grown: np.ndarray,
    threshold: float = TREES_THRESHOLD,
) -> np.ndarray:
    """The chances of ``words`` in a stretch without capitals: 1.0 where the regression takes a word (THRESHOLD), else
    the trees' chance (``grown``, against ``threshold``), save where the trees read a word by its neighbours alone
    (`misread`): there the regression's chance stands, which left the word (below THRESHOLD), so below ``threshold``
    too (a regression's 0.865 for "the psychiatric hospital" is no word the trees' 0.80 may take)."""
    chances = np.where(regression >= THRESHOLD, 1.0, grown)
    taken = chances >= threshold
    for k in np.flatnonzero(taken & (regression < THRESHOLD)):
        if misread(text, words, int(k), taken):
            chances[k] = min(float(regression[k]), float(np.nextafter(threshold, 0.0)))
    return chances


def misread(text: str, words: list[tuple[int, int]], k: int, taken: np.ndarray) -> bool:
    """Whether the trees' word ``k`` names nothing by itself, whatever its neighbours (``taken``: the words taken):
    a surname's particle ("de", "van": a name's only between its words, which the rules join), a letter of letters
    said in a row that spell an abbreviation, an everyday word or the alphabet ("g e d", "a, b, c, d"), a word
    clipped after an apostrophe ("'cause", "'til": a contraction), or an everyday word the name and place lists do
    not hold that is taken alone (a particle or an everyday word of speech beside it, "fiestas de", "tae flats",
    joins no name) and describes or counts ("drunk", "motels"), or, after an article, describes the everyday noun
    right after it that nobody takes ("the adult sites", "the psychiatric hospital": a kind of thing, not its
    name), or is an everyday noun right after a town's name, the town's thing ("the osh bazaar"); or a word said in
    quotes after a verb of telling ('i told maria, "run"'), a letter spelled "b as in boy", a part of the body's
    possessive ("arm's length"), "dot" before a web address's end ("cnn dot com"), what kind of reserve ("the nature
    reserve") or a state bare after "in" ("living in hope")."""
    from fieldvault.redact.lexicon import INFORMAL, NAME_PARTICLES, STOPWORDS

    a, b = words[k]
    word = text[a:b].lower()
    if word in NAME_PARTICLES:
        return True
    if len(word) == 1:
        return _spells_a_word(text, a) or _AS_IN.match(text, b) is not None
    if _clipped(text, a, word) or _said_in_quotes(text, a, b, word) or _a_bodys(word) or _dot_of_a_site(text, b, word):
        return True
    plain = NAME_PARTICLES | STOPWORDS | INFORMAL
    joined = [
        j
        for j in (k - 1, k + 1)
        if 0 <= j < len(words)
        and taken[j]
        and not text[min(b, words[j][1]) : max(a, words[j][0])].strip(_JOINS)
        and text[words[j][0] : words[j][1]].lower() not in plain
    ]
    if not joined:
        return (
            _describes_or_counts(word)
            or _describes_the_next(text, words, k, taken)
            or _kind_of_land(text, b, word)
            or _idiom_after_in(text, words, k)
        )
    return joined == [k - 1] and _a_towns_thing(text[words[k - 1][0] : words[k - 1][1]].lower(), word)


def _clipped(text: str, at: int, word: str) -> bool:
    """A word begun with an apostrophe after a space or a line's start ("'cause", "'til", "'em"): speech's clipped
    form of an everyday word, never a name's part (a name's apostrophe stands inside it: "d'angelo", "o'keeffe")."""
    from fieldvault.redact.lexicon import INFORMAL, dictionary, first_names

    if at == 0 or text[at - 1] not in "'’" or (at > 1 and not text[at - 2].isspace()):
        return False
    return (word in dictionary()[0] or word in INFORMAL) and word not in first_names()


# A letter spelled by a word ("b as in boy"): the spelling alphabet, the letters' rules' to judge.
_AS_IN = re.compile(r"\s+as\s+in\s+\w", re.I)
# A verb of telling, up to the quote opened after it ('i told maria, "run"', 'he said "wait"').
_TELLING = re.compile(
    r"\b(?:said|say|says|saying|told|tell|tells|telling|yelled|yell|yells|shouted|shouts|screamed|screams|"
    r"whispered|asked|asks|texted|wrote)\b([^\"“”‘’\n]{0,40})$",
    re.I,
)


def _said_in_quotes(text: str, a: int, b: int, word: str) -> bool:
    """An everyday word alone in quotes after a verb of telling, no calling between ('i told maria, "run"', 'said to
    tasha, "wait"'): words said, not a nickname ('they called him "tiny"'); a name in quotes is no everyday word or a
    first name ('she said "marisol" was her name')."""
    from fieldvault.redact.lexicon import dictionary, first_names

    if a == 0 or b >= len(text) or text[a - 1] not in "\"“'‘" or text[b] not in "\"”'’":
        return False
    telling = _TELLING.search(text[max(0, a - 60) : a - 1])
    if telling is None or _CALLING & set(re.findall(r"\w+", telling.group(1).lower())):
        return False
    return word in dictionary()[0] and word not in first_names()


def _a_bodys(word: str) -> bool:
    """A part of the body's possessive: "arm's" of "at arm's length"."""
    from fieldvault.redact.lexicon import BODY_PARTS

    base = word.replace("’", "'")
    return base.endswith("'s") and base[:-2] in BODY_PARTS


# What ends a web address said aloud: "cnn dot com", "gov dot uk".
_DOMAINS = {"com", "org", "net", "gov", "edu", "co", "uk", "io", "info", "tv", "us", "ca", "au", "nz", "ie", "int"}
_NEXT_WORD = re.compile(r"[\s,]+(\w+)")


def _dot_of_a_site(text: str, b: int, word: str) -> bool:
    """ "dot" before the end of a web address ("cnn dot com"): the address's punctuation said aloud, which the
    contacts' rules read whole; alone it is no name (the first name "dot" is said before no "com")."""
    after = _NEXT_WORD.match(text, b)
    return word == "dot" and after is not None and after.group(1).lower() in _DOMAINS


def _kind_of_land(text: str, b: int, word: str) -> bool:
    """What kind of reserve or reservation, not which, right before it ("the nature reserve", "a dinner
    reservation": reservations._KINDS); the land's name is the rules' ("the pine ridge reservation")."""
    from fieldvault.redact.reservations import _KINDS, LAND

    return word in _KINDS and LAND.match(text, b + 1) is not None and text[b : b + 1] == " "


def _idiom_after_in(text: str, words: list[tuple[int, int]], k: int) -> bool:
    """A state English puts bare after "in" (places.IDIOMS: "living in hope", "in harmony with nobody", "in shock"),
    unless the words before make it a town ("out in harmony", "grew up in hope": places._GREW_UP) or the words after
    say so ("in hope, arkansas", "in harmony, that's a real town")."""
    from fieldvault.redact.places import _GREW_UP, IDIOMS, explained_as_town

    a, b = words[k]
    said = [text[x:y].lower() for x, y in words[max(0, k - 3) : k] if text[x:y].lower() not in _FILLERS]
    if text[a:b].lower() not in IDIOMS or not said or said[-1] != "in":
        return False
    before = text[max(0, a - 40) : a].rstrip()
    town = any(m.end() == len(before) for m in _GREW_UP.finditer(before))
    return not town and not explained_as_town(text[b:])


def _everyday(word: str) -> bool:
    """A word of the dictionary that no name or place list holds."""
    from fieldvault.redact.lexicon import dictionary, first_names, last_names, places

    return word in dictionary()[0] and not (word in first_names() or word in last_names() or word in places())


def _describes_the_next(text: str, words: list[tuple[int, int]], k: int, taken: np.ndarray) -> bool:
    """An everyday word taken alone after an article (fillers between) and right before a kind of body or place
    or the plural of an everyday noun that no head takes: it says what kind of that thing or those things ("the
    psychiatric hospital", "the, um, adult sites"). A name's words are taken together ("the national court"), and a
    name's other words are no kind and no plural ("the turtle island healing circle"); "the main mall" goes as the
    psychiatric hospital does (the capital rules find it where it is written with capitals)."""
    from fieldvault.redact.lexicon import GENERIC_PLACES, dictionary, first_names

    a, b = words[k]
    lowered = [text[x:y].lower() for x, y in words[max(0, k - 3) : k]]
    before = [w for w in lowered if w not in _FILLERS or w in _DETERMINERS]
    if before and before[-1] in _ORDINALS:
        before.pop()
    if not before or before[-1] not in _DETERMINERS or k + 1 >= len(words) or taken[k + 1]:
        return False
    x, y = words[k + 1]
    after, word = text[x:y].lower(), text[a:b].lower()
    if text[b:x].strip(" ") or not (_everyday(word) or (word in GENERIC_PLACES and word not in first_names())):
        return False
    return after in _kind_words() or (after in dictionary()[0] and _plural(after))


def _a_towns_thing(town: str, word: str) -> bool:
    """An everyday noun right after a town of the lists that is no kind of place or body ("osh bazaar": the bazaar
    of Osh, "lochee flats"): the town is the identifier, the noun a thing in it; "tulare county", "rose hill" and
    "juniper house" end a name."""
    from fieldvault.redact.lexicon import first_names, last_names, towns
    from fieldvault.redact.places import _STREET_ENDS

    if town not in towns() or town in first_names() or town in last_names():
        return False
    return _everyday(word) and word not in _kind_words() and word not in _STREET_ENDS and not word.endswith("s")


def _spells_a_word(text: str, at: int) -> bool:
    """Whether the letter at ``at`` is one of letters said in a row that spell an abbreviation (spelling's: "g e d"),
    an everyday word of three letters or more that is no first name, or the alphabet ("a, b, c, d")."""
    from fieldvault.redact.lexicon import dictionary, first_names
    from fieldvault.redact.spelling import ABBREVIATIONS, RUN, letters_of

    for match in RUN.finditer(text):
        if match.start() <= at < match.end():
            letters = letters_of(match.group())
            alphabet = all(ord(y) - ord(x) == 1 for x, y in itertools.pairwise(letters))
            word = len(letters) > 2 and letters in dictionary()[0] and letters not in first_names()
            return letters in ABBREVIATIONS or word or alphabet
    return False


def _describes_or_counts(word: str) -> bool:
    """An everyday adjective ("drunk", "sober": lexicon.gradable) or the plural of an everyday noun ("motels",
    "cars"), that no name or place list holds."""
    from fieldvault.redact.lexicon import gradable

    return _everyday(word) and (_plural(word) or gradable(word))


def _plural(word: str) -> bool:
    """The plural of an everyday noun ("motels", "sites")."""
    from fieldvault.redact.lexicon import dictionary

    ordinary = dictionary()[0]
    return word.endswith("s") and (word[:-1] in ordinary or (word.endswith("es") and word[:-2] in ordinary))


def find_with_head(text: str) -> list[Span]:
    """The head's runs of words (`runs`), each labelled by the model's label groups over its words (a person, a place,
    a contact or a number): in the stretches written without capitals (`uncased`) by the head, in cased sentences by
    the cased head (`case_features` besides; CASED_THRESHOLD), which the capital rules judge first."""
    stretches = uncased(text)
    weights, cased = _weights(), _cased_weights()
    scored: dict[tuple[int, int], tuple[float, np.ndarray, bool]] = {}
    for offset in windows(text):
        window = text[offset : offset + WINDOW]
        words, rows = word_features(window, states(window))
        if not words:
            continue
        plain = union(window, words, probabilities(weights, rows), tree_probabilities(_trees(), with_neighbours(rows)))
        read_cased = probabilities(cased, np.hstack([rows, case_features(window, words, rows)]))
        for (a, b), p, q, row in zip(words, plain, read_cased, rows, strict=True):
            key = (a + offset, b + offset)
            lower = any(x <= key[0] and key[1] <= y for x, y in stretches)
            chance = float(p if lower else q)
            if key not in scored or chance > scored[key][0]:
                scored[key] = (chance, row, lower)
    spans = []
    for lower, threshold in ((True, TREES_THRESHOLD), (False, CASED_THRESHOLD)):
        mine = sorted(w for w in scored if scored[w][2] == lower)
        for start, end in runs(text, mine, [scored[w][0] for w in mine], threshold):
            if not lower and _kind_of_number(text, start, end):
                continue
            run = [w for w in mine if start <= w[0] and w[1] <= end]
            label = _label(np.sum([scored[w][1] for w in run], axis=0))
            spans.append(Span(start, end, label, "head", text[start:end], min(scored[w][0] for w in run)))
    return sorted(spans, key=lambda s: s.start)


def _kind_of_number(text: str, start: int, end: int) -> bool:
    """Everyday words said with capitals before the number they name the kind of ("Criminal Case No. 22/0981"): a
    heading, not a name (context._NUMBER_AFTER, as the capital rules read it)."""
    from fieldvault.redact.context import _NUMBER_AFTER
    from fieldvault.redact.lexicon import dictionary

    heading = _CAPITALISED.match(text, end)
    end = heading.end() if heading else end
    words = text[start:end].lower().split()
    return _NUMBER_AFTER.match(text, end) is not None and all(w in dictionary()[0] for w in words)


_CAPITALISED = re.compile(r"(?: +(?!No\b|Number\b)[A-Z][a-z]+)+")  # the heading's other words ("Criminal" + " Case")


def runs(
    text: str, words: list[tuple[int, int]], chances: list[float], threshold: float | None = None
) -> list[tuple[int, int]]:
    """Runs of words at or above ``threshold`` (THRESHOLD), apart by spaces, hyphens or apostrophes only. A run needs
    a letter: a bare number (a year, a count, a house number) is the numbers' rules' to judge, as the model's unsure
    pieces. A
    verb or an adverb after a word of a run ends it (rare.ends_name: "renata drove us"). Titles at a run's start are
    left out (`_past_titles`: "dc hollingworth"); a run that names nothing (`names_nothing`) is dropped."""
    from fieldvault.redact.rare import ends_name

    found: list[list[int]] = []
    for (start, end), chance in zip(words, chances, strict=True):
        if chance < (THRESHOLD if threshold is None else threshold):
            continue
        if found and not text[found[-1][1] : start].strip(_JOINS):
            if ends_name(text[start:end]):
                continue
            found[-1][1] = end
        else:
            found.append([start, end])
    trimmed = [_past_titles(text, a, b) for a, b in found]
    return [(a, b) for a, b in trimmed if any(c.isalpha() for c in text[a:b]) and not names_nothing(text[a:b])]


def _past_titles(text: str, start: int, end: int) -> tuple[int, int]:
    """A run less the titles it starts with ("dc hollingworth", "garda fiona brennan"): a rank, an office or a respect
    says who someone is, not who; the corpora mark it outside the name (lexicon.HONORIFICS). A title that is also a
    first name ("don", "eve") stays. A run of titles alone ("garda") is left empty."""
    for match in _WORD.finditer(text, start, end):
        if match.group().lower() not in _titles():
            return match.start(), end
    return end, end


@functools.cache
def _titles() -> frozenset[str]:
    from fieldvault.redact.lexicon import HONORIFICS, first_names

    return frozenset(HONORIFICS - first_names())


def names_nothing(run: str) -> bool:
    """A run that is no identifier whatever the head's chances: letters in the alphabet's order ("a b", "c d": the
    alphabet, not initials), or words of another language said among English ("palé")."""
    words = run.lower().split()
    letters = [ord(w) for w in words if len(w) == 1 and w.isalpha()]
    if len(letters) == len(words) > 1 and all(b - a == 1 for a, b in itertools.pairwise(letters)):
        return True
    return all(_plain(w) in _spoken_among_english() for w in words)


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@functools.cache
def _spoken_among_english() -> frozenset[str]:
    """lexicon.SPOKEN_AMONG_ENGLISH without marks: the detector hands the head folded text ("pale" of "palé")."""
    from fieldvault.redact.lexicon import SPOKEN_AMONG_ENGLISH

    return frozenset(_plain(w) for w in SPOKEN_AMONG_ENGLISH)


def uncovered(text: str, run: tuple[int, int], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of the head's ``run`` that no span in ``taken`` touches, word by word ("debra k" where a rule found
    "debra" leaves "k"), less a verb or an adverb right after a taken span ("renata drove"), less a kind of place
    alone (`_kinds_alone`: "salon", but "house" right after a taken "juniper" stays), people in general
    (`_people_alone`: "guys") or a letter or two of a phrase (`_letters_of_a_phrase`: "plan b")."""
    from fieldvault.redact.rare import ends_name

    found: list[list[int]] = []
    for match in _WORD.finditer(text, run[0], run[1]):
        a, b = match.span()
        after = any(y <= a and not text[y:a].strip(_JOINS) for _, y in taken)
        if any(x < b and a < y for x, y in taken) or (after and ends_name(match.group())):
            found.append([])
        elif found and found[-1] and not text[found[-1][1] : a].strip(_JOINS):
            found[-1][1] = b
        else:
            found.append([a, b])
    return [
        (a, b)
        for a, b in (f for f in found if f)
        if any(c.isalpha() for c in text[a:b])
        and not (
            (_kinds_alone(text[a:b]) or _people_alone(text[a:b]) or _letters_of_a_phrase(text, a, b))
            and not any(y <= a and not text[y:a].strip(_JOINS) for _, y in taken)
        )
    ]


_BEFORE = re.compile(r"(?:(\w+) +)?(\w+) +$")


def _letters_of_a_phrase(text: str, start: int, end: int) -> bool:
    """A letter or two right after an everyday word, or after a word after an article ("plan b", "saw ga", "the big
    c"): part of a phrase, not initials, which come after a title, a kin or calling word, a name or a pause ("ms. b",
    "called him c j", "my ex, j r")."""
    from fieldvault.redact.lexicon import HONORIFICS, PERSON_WORDS, STOPWORDS, dictionary, first_names, last_names

    if len(text[start:end].replace(" ", "")) > 2:
        return False
    before = _BEFORE.search(text, 0, start)
    if before is None:
        return False
    article, word = (before.group(1) or "").lower(), before.group(2).lower()
    return (
        len(word) > 2
        and word in dictionary()[0]
        and (word not in STOPWORDS or article in _ARTICLES)
        and word not in HONORIFICS | PERSON_WORDS | _CALLING | _ARTICLES
        and word not in first_names()
        and word not in last_names()
    )


def _kinds_alone(piece: str) -> bool:
    """A kind of body or place with no name before it ("salon", "parlor", "highway"): the head's piece names nothing
    unless it ends a name another layer found ("juniper" + "house")."""
    from fieldvault.redact.context import _PLACE_WORDS
    from fieldvault.redact.organisations import KINDS
    from fieldvault.redact.places import _STREET_ENDS

    kinds = {k for k in (*_PLACE_WORDS.split("|"), *KINDS) if " " not in k} | _STREET_ENDS
    return all(w in kinds for w in piece.lower().split())


_PEOPLE = {"man", "men", "lady", "ladies", "guy", "guys", "woman", "women", "people", "folks", "fella", "fellas",
           "bloke", "blokes", "dude", "dudes", "lad", "lads", "gal", "gals"}  # fmt: skip


def _people_alone(piece: str) -> bool:
    """Who someone is in general ("a lebanese man", "the container port guys", "a chuukese lady") with no name before
    it: no identifier unless it ends a name another layer found ("ti" + "guy")."""
    return all(w in _PEOPLE for w in piece.lower().split())


def _label(row: np.ndarray) -> str:
    hidden = len(row) - len(id2label()) - CHEAP
    groups: dict[str, float] = {}
    for index, name in id2label().items():
        label = LABELS.get(name.split("-", 1)[-1])
        if label:
            groups[label] = groups.get(label, 0.0) + float(row[hidden + index])
    return max(groups, key=lambda g: groups[g]) if groups else "PERSON"
