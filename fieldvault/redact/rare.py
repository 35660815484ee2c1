"""Layer 5: names in text written without capitals, found because their words are unknown or rare.

Lowercased ASR output hides the one hint a reader has ("at hilltop", "the whataburger", "in garland").
A lowercase word the system dictionary does not know is proposed wherever it stands (low confidence: the
reviewer rejects slang cheaply); a rare word, or a town, is proposed only in a slot where a place or an
organisation is expected. Never proposes a hard negative, a stopword or a word of everyday speech.
"""

from __future__ import annotations

import re

from fieldvault.redact.lexicon import (
    GENERIC_PLACES,
    HARD_NEGATIVES,
    INFORMAL,
    STOPWORDS,
    US_STATES,
    base_word,
    dictionary,
    first_names,
    last_names,
    towns,
    us_places,
    word_frequency,
)
from fieldvault.redact.spans import Span

_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*[a-z](?![\w'’-])|(?<![\w'’-])[a-z](?=['’]s\b)")
# Demonyms, languages and faiths are capitalised in the dictionary but are no names ("mexican", "lutheran").
_DEMONYM = re.compile(r"(?:ese|ish|ian|ean|an|ic|i)$")


def _unknown(word: str) -> bool:
    """A lowercase word that no word list explains: not everyday, not speech, not a hard negative."""
    lowered = base_word(word).lower()
    if len(lowered) < 3 or not lowered.isalpha():
        return False  # contractions ("didn't"), hyphenated everyday words, initials
    ordinary, proper = dictionary()
    if lowered in ordinary or lowered in STOPWORDS or lowered in INFORMAL or lowered in HARD_NEGATIVES:
        return False
    if lowered.endswith("s") and (lowered[:-1] in ordinary or lowered[:-1] in HARD_NEGATIVES):
        return False  # a plural the dictionary lacks ("fridays" is a hard negative's)
    if lowered in proper and _DEMONYM.search(lowered) and lowered not in first_names() | last_names():
        return False
    return True


def _label(words: list[str]) -> str:
    phrase = " ".join(base_word(w).lower() for w in words)
    if phrase in towns():
        return "LOCATION"
    if any(base_word(w).lower() in first_names() or base_word(w).lower() in last_names() for w in words):
        return "PERSON"
    return "ORG"


def unknown_words(text: str) -> list[Span]:
    """Runs of lowercase words the dictionary does not know ("whataburger", "westcare", "okonkwo")."""
    spans: list[Span] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        if run:
            start, end = run[0].start(), run[-1].start() + len(base_word(run[-1].group()))
            spans.append(Span(start, end, _label([m.group() for m in run]), "rare", text[start:end], 0.4))
        run.clear()

    for match in _WORD.finditer(text):
        if run and text[run[-1].end() : match.start()] != " ":
            close()
        if _unknown(match.group()):
            run.append(match)
        else:
            close()
    close()
    return spans


# Below these Zipf frequencies (wordfreq: 3 is once per million words) a word in a slot reads as a name.
RARE_IN_SLOT = 3.6  # "nine months in hilltop", "went to crossroads", "at kroger"
RARE_TOWN = 4.0  # a town that is also a word, after a place verb: "out in garland", not "in harmony"
RARE_ANYWHERE_IN_PLACE = 3.0  # not a town we know, but rare, after a place verb: "grew up in maryvale"
_X = r"([a-z][a-z'’-]*)"
_THE = r"(?:the\s+)?"
_PLACE_VERB = (
    r"(?:(?:moved|move|moving|relocated|ran away|ran off|drove|driving|headed|heading|transferred|sent)\s+"
    r"(?:back\s+|out\s+|up\s+|down\s+|over\s+)?(?:to|into)|(?:lived|live|living|grew up|raised|born|stayed|"
    r"staying|ended up|wound up|out|up|down|over|back home)\s+(?:in|near|outside(?:\s+of)?|around|by)|from)"
)
PLACE_SLOT = re.compile(rf"\b{_PLACE_VERB}\s+{_X}")
# A stint somewhere or a job: what follows is an institution or an employer, even if a town has its name.
ORG_SLOTS = [
    re.compile(rf"\b(?:months?|years?|weeks?|days?|time|stint|bid)\s+(?:in|at)\s+{_THE}{_X}"),
    re.compile(
        rf"\b(?:worked|work|works|working|job|jobs|hired|shift|shifts|employed|got on|waitressing|dancing|"
        rf"danced|stripping|cleaning)\s+(?:at|for)\s+{_THE}{_X}"
    ),
]
# A visit, or being at or from somewhere: an organisation, or a town.
VISIT_SLOTS = [
    re.compile(
        rf"\b(?:went|go|goes|going|got sent|sent|ran|came|come|walked|drove|dropped me off)\s+(?:back\s+)?"
        rf"(?:to|at)\s+{_THE}{_X}"
    ),
    re.compile(rf"\b(?:at|from)\s+{_THE}{_X}"),
]
_IN_TOWN = re.compile(rf"\b(?:in|to|near|outside|around)\s+{_X}")
_STATES = "|".join(sorted(US_STATES, key=len, reverse=True))
_BEFORE_STATE = re.compile(rf"\b((?:[a-z][a-z'’-]*\s+){{0,2}}[a-z][a-z'’-]*),?\s+(?:{_STATES})\b")


def _slot_word(word: str) -> str | None:
    """The word in a slot, lowercased without its possessive, unless it can be no name at all."""
    lowered = base_word(word).lower()
    if len(lowered) < 3 or not lowered.isalpha() or word[0].isupper():
        return None
    if lowered in STOPWORDS or lowered in HARD_NEGATIVES or lowered in INFORMAL or lowered in GENERIC_PLACES:
        return None
    return lowered


def _slot_span(text: str, match: re.Match[str], label: str, confidence: float) -> Span:
    start = match.start(1)
    end = start + len(base_word(match.group(1)))
    return Span(start, end, label, "rare", text[start:end], confidence)


def slot_words(text: str) -> list[Span]:
    """Rare words where a place or an organisation is expected, and towns after a place verb or before a
    state ("born in defiance, ohio")."""
    spans: list[Span] = []
    places = us_places()
    for match in PLACE_SLOT.finditer(text):
        word = _slot_word(match.group(1))
        if word and (
            (word in places and word_frequency(word) < RARE_TOWN) or word_frequency(word) < RARE_ANYWHERE_IN_PLACE
        ):
            spans.append(_slot_span(text, match, "LOCATION", 0.5))
    for match in _IN_TOWN.finditer(text):
        word = _slot_word(match.group(1))
        if word and word in places and word_frequency(word) < RARE_TOWN:
            spans.append(_slot_span(text, match, "LOCATION", 0.4))
    for pattern in ORG_SLOTS + VISIT_SLOTS:
        for match in pattern.finditer(text):
            word = _slot_word(match.group(1))
            if word and word_frequency(word) < RARE_IN_SLOT:
                if pattern in ORG_SLOTS or word not in places:
                    spans.append(_slot_span(text, match, "ORG", 0.5))
                else:
                    spans.append(_slot_span(text, match, "LOCATION", 0.45))
    for match in _BEFORE_STATE.finditer(text):
        words = match.group(1).split()
        for i in range(len(words)):  # the longest town that ends right before the state
            name = " ".join(words[i:])
            if name in places and all(_slot_word(w) for w in words[i:]):
                start = match.end(1) - len(name)
                spans.append(Span(start, match.end(1), "LOCATION", "rare", text[start : match.end(1)], 0.6))
                break
    return spans


def find_rare(text: str) -> list[Span]:
    return unknown_words(text) + slot_words(text)
