"""The NER model's unsure names (its name labels together above model.NAME_THRESHOLD, none alone above
model.THRESHOLD), judged by their words as the rare-word layer judges its own.

The model alone is not enough to propose these: each must also be backed by its words (a word no word list
explains, a name no dictionary has lowercase, a capital that does not start a sentence, or several words a name's
shape). Never proposes a stopword, a word of speech, a hard negative or a lone everyday word.
"""

from __future__ import annotations

import re

from fieldvault.redact.lexicon import (
    HARD_NEGATIVES,
    INFORMAL,
    PERSON_WORDS,
    STOPWORDS,
    TITLES,
    WORD_NAMES,
    base_word,
    dictionary,
    first_names,
    last_names,
    places,
    population,
)
from fieldvault.redact.model import THRESHOLD
from fieldvault.redact.rare import ends_name, unexplained
from fieldvault.redact.spans import Span

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_DETERMINERS = {"a", "an", "the", "my", "your", "his", "her", "our", "their", "this", "that", "some", "any", "no",
                "every", "first", "last"}  # fmt: skip
TOWN = 10_000  # people: a town this large that the model calls a place is one, even if a word shares its name
# Abbreviations whose full stop ends no sentence: "Mr. Foster", "St. Anne's".
_ABBREVIATIONS = TITLES | {"st", "mt", "ft", "jr", "sr", "no", "vs"}


def unsure(span: Span) -> bool:
    return span.source == "model" and span.confidence < THRESHOLD


def _no_name(word: str) -> bool:
    """A word that begins or ends no name: a stopword, a word of speech, a hard negative, a person's role ("my
    sponsor", "inmate"), a verb or an adverb after a name ("drove", "mostly"), a letter alone ("s" of "he's")."""
    lowered = base_word(word).lower()
    return (
        len(lowered) < 2
        or lowered in STOPWORDS
        or lowered in INFORMAL
        or lowered in HARD_NEGATIVES
        or lowered in PERSON_WORDS
        or lowered in TITLES
        or ends_name(lowered)
    )


def starts_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` begins a sentence (its capital then says nothing about a name)."""
    before = text[:at].rstrip(" \t\"'“‘(")
    if not before or before[-1] in "\n!?:;":
        return True
    if before[-1] != ".":
        return False
    previous = re.search(r"([A-Za-z]+)\.$", before)
    return previous is None or previous.group(1).lower() not in _ABBREVIATIONS


def _named_word(word: str, label: str, text: str, at: int) -> bool:
    """A word that backs the model on its own: unknown to every word list ("caboolture"), a name or a town the
    dictionary has only capitalised ("debra"), capitalised where no sentence starts ("in Portland I was Diamond"),
    a town of some size the model calls a place ("over to limerick"), or a name the model calls a person's that
    stands as a name stands ("big mike they called him"; not "young lady", "my nan")."""
    lowered = base_word(word).lower()
    if len(lowered) < 3:
        return False
    if unexplained(word):
        return True
    if lowered not in dictionary()[0] and lowered in first_names() | last_names() | places():
        return True
    if word[0].isupper() and not starts_sentence(text, at):
        return True
    if label == "LOCATION":
        named = population(lowered) >= TOWN
    else:
        named = lowered in first_names() | last_names() and lowered not in WORD_NAMES
    return named and _stands_alone(text, at, at + len(word))


def _stands_alone(text: str, start: int, end: int) -> bool:
    """A word no determiner or possessive comes before and no noun it qualifies follows: a name's place in a
    sentence ("big tony, and his brother"), not an everyday word's ("my first foster home", "young lady")."""
    before = re.search(r"([A-Za-z]+)\s+$", text[:start])
    if before and before.group(1).lower() in _DETERMINERS:
        return False
    after = re.match(r"\s+([A-Za-z][\w'’-]*)", text[end:])
    if after is None:
        return True  # punctuation or the end
    return _no_name(after.group(1)) or after.group(1).lower().endswith("ed")  # "ay lee used to"


def judged(span: Span, text: str) -> Span | None:
    """An unsure span without the words at its edges that end or begin no name; ``None`` when what is left is
    one word its words do not back ("Hope kept me going", "my first foster home", "yall"). A person's cue before
    a word name ("my sponsor is faith") is the context layer's to read."""
    words = list(_WORD.finditer(text, span.start, span.end))
    while words and _no_name(words[-1].group()):
        words.pop()
    while words and _no_name(words[0].group()):
        words.pop(0)
    if not words:
        return None
    if len(words) == 1 and not _named_word(words[0].group(), span.label, text, words[0].start()):
        return None
    start, end = words[0].start(), words[-1].start() + len(base_word(words[-1].group()))
    return Span(start, end, span.label, span.source, text[start:end], span.confidence)


def proper_run(span: Span, text: str) -> Span:
    """The span widened over the capitalised words beside it ("Capri" of "Capri Suns"), so the detector judges
    the whole name the model was unsure of."""
    start, end = span.start, span.end
    while (before := re.search(r"([A-Z][\w'’-]*) $", text[:start])) and not starts_sentence(text, start):
        start = before.start(1)
    while after := re.match(r" ([A-Z][\w'’-]*)", text[end:]):
        end += after.end()
    return Span(start, end, span.label, span.source, text[start:end], span.confidence)
