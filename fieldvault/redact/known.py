"""Layer 1: the participant's own list of names and places, and the study-wide one.

Exact and case-insensitive, with possessives and plurals; nicknames of known names; and fuzzy
matches (edit distance and sound-alike) for the ways ASR misspells a name it has never heard.
"""

from __future__ import annotations

import re

import jellyfish
from rapidfuzz import fuzz

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.lexicon import HARD_NEGATIVES, STOPWORDS, base_word, nicknames_of
from fieldvault.redact.spans import Span

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SUFFIX = r"(?:['’]s|s|es)?"


def _exact(text: str, phrase: str, label: str) -> list[Span]:
    words = [re.escape(w) for w in phrase.split()]
    pattern = re.compile(r"\b" + r"[\s,-]+".join(words) + _SUFFIX + r"\b", re.IGNORECASE)
    return [Span(m.start(), m.end(), label, "known", m.group(), 1.0) for m in pattern.finditer(text)]


def _similar(token: str, target: str) -> bool:
    a, b = token.lower(), target.lower()
    if a == b:
        return True
    if len(b) < 4 or abs(len(a) - len(b)) > 2 or a in STOPWORDS:
        return False
    if fuzz.ratio(a, b) >= 80:
        return True
    return a[0] == b[0] and jellyfish.metaphone(a) == jellyfish.metaphone(b)


def _fuzzy(text: str, phrase: str, label: str) -> list[Span]:
    targets = phrase.split()
    tokens = list(_TOKEN.finditer(text))
    found = []
    for i in range(len(tokens) - len(targets) + 1):
        window = tokens[i : i + len(targets)]
        if all(_similar(base_word(t.group()), target) for t, target in zip(window, targets, strict=True)):
            start, end = window[0].start(), window[-1].end()
            found.append(Span(start, end, label, "known", text[start:end], 0.8))
    return found


def find_known(text: str, identifiers: list[KnownIdentifier]) -> list[Span]:
    spans: list[Span] = []
    for item in identifiers:
        phrase = item.text.strip()
        if not phrase or phrase.lower() in HARD_NEGATIVES:
            continue
        spans += _exact(text, phrase, item.label)
        spans += _fuzzy(text, phrase, item.label)
        if item.label == "PERSON" and " " not in phrase:
            for nickname in nicknames_of(phrase):
                if nickname not in STOPWORDS:
                    spans += _exact(text, nickname, item.label)
        # The parts of a multi-word name ("Marcus Hill") are names on their own too.
        if item.label == "PERSON" and " " in phrase:
            for part in phrase.split():
                if len(part) > 2 and part.lower() not in STOPWORDS:
                    spans += _exact(text, part, item.label)
    return spans
