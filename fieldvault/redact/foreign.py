"""Detection in a transcript whose language is not English: only the layers that read no English words.

The word layers (words no English dictionary holds, lowercase name and place lists, English cue phrases) take most
words of another language for names. Over a Spanish and a French interview (espeak-ng, transcribed by Whisper base
with --language es/fr), 33 of their 52 proposals were ordinary words ("llamo", "vivo", "dans", "la policía llegó"):
review was a list of every word (QA R7). With the layers kept here, 14 proposals, one an ordinary word; they found
a town the word layers missed ("Tijuana") and a phone said in Spanish whole, and missed two names Whisper had mangled
("la Mélidou" for Amélie) and a mangled street. Kept: her listed identifiers, the patterns (phone, e-mail, ID and
date shapes, numbers said in English), the NER model, place names written with capitals within a sentence, and
numbers said digit by digit in Spanish, French, Portuguese or Italian.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import _model_spans, detect, no_identifier, require_layers, unmarked, within_lines
from fieldvault.redact.known import find_known
from fieldvault.redact.lexicon import fold, places
from fieldvault.redact.patterns import find_patterns
from fieldvault.redact.spans import Span, merge
from fieldvault.redact.spoken import find_spoken

Detector = Callable[[str, "list[KnownIdentifier] | None"], list[Span]]
ENGLISH = ("en", "english")
# The digits said one by one, accents dropped: Spanish, French, Portuguese, Italian.
_DIGIT_WORDS = set(
    "cero uno dos tres cuatro cinco seis siete ocho nueve zero un une deux trois quatre cinq six sept huit neuf um "
    "dois tres quatro cinco seis sete oito nove due tre quattro cinque sei sette otto".split()
)
SAID_DIGITS = 6  # digit words in a run: a phone or an ID number, not "dos o tres"
_WORD = re.compile(r"[^\W\d_]+|\d+")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_ENDS = (".", "?", "!", ":", '"', "“", "¿", "¡")


def detector_for(language: object) -> Detector:
    """The detector for a transcript transcribed as ``language`` (its settings; None: English or detected)."""
    if not isinstance(language, str) or language.casefold() in ENGLISH:
        return detect
    return detect_not_english


def not_english_note(language: object) -> str | None:
    """What a transcript in another language is told (transcribe, the review screen, every export), else None."""
    if not isinstance(language, str) or language.casefold() in ENGLISH:
        return None
    return (
        f"transcribed as language {language!r}: identifier detection reads English, so in it only her listed "
        "identifiers, number patterns, the name model and place names written with capitals are proposed (the English "
        "word layers would propose every word); names Whisper mangled are missed: review it line by line"
    )


def detect_not_english(text: str, known: list[KnownIdentifier] | None = None) -> list[Span]:
    """Proposed spans over ``text`` in another language than English, sorted and non-overlapping."""
    require_layers()
    blanked = unmarked(text)
    folded, starts = fold(blanked)
    spans = find_known(folded, known or []) + find_patterns(folded) + find_spoken(folded)
    spans += [s for s in _model_spans(folded) if not no_identifier(s, folded)]
    spans += _said_digits(folded) + _capitalised_places(folded)
    if folded is not blanked:
        spans = [replace(s, start=starts[s.start], end=starts[s.end]) for s in spans]
    return merge(within_lines([replace(s, text=text[s.start : s.end]) for s in spans], text), text)


def _said_digits(text: str) -> list[Span]:
    """Runs of digits said one by one, at most one other word between two ("tres tres, uno dos, cuatro cinco, seis
    siete", "zéro six, douze ..." has too few), of SAID_DIGITS or more."""
    found: list[Span] = []
    run: list[re.Match[str]] = []
    other = 0
    for word in _WORD.finditer(text):
        if word.group().lower() in _DIGIT_WORDS or word.group().isdigit():
            run, other = [*run, word], 0
            continue
        other += 1
        if other > 1 or not run:
            found += _run(text, run)
            run, other = [], 0
    return found + _run(text, run)


def _run(text: str, run: list[re.Match[str]]) -> list[Span]:
    if len(run) < SAID_DIGITS:
        return []
    start, end = run[0].start(), run[-1].end()
    return [Span(start, end, "CONTACT", "pattern", text[start:end], 0.7)]


def _capitalised_places(text: str) -> list[Span]:
    """A place name written with capitals within a sentence ("vivo en Tijuana", "j'habite à Marseille", "San Diego"):
    Whisper writes proper names so in these languages, and the model misses some; never at a sentence's start,
    where "Un" or "Como" are words."""
    words = list(_NAME_WORD.finditer(text))
    found = []
    for n, word in enumerate(words):
        before = text[: word.start()].rstrip()
        if not word.group()[0].isupper() or not before or before.endswith(_SENTENCE_ENDS):
            continue
        last = n
        while last + 1 < len(words) and words[last + 1].group()[0].isupper():
            if text[words[last].end() : words[last + 1].start()] != " ":
                break
            last += 1
        for end in range(last, n - 1, -1):
            name = text[word.start() : words[end].end()]
            if len(name) >= 4 and name.lower() in places():
                found.append(Span(word.start(), words[end].end(), "LOCATION", "gazetteer", name, 0.6))
                break
    return found
