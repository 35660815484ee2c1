"""The reviewer's safety net: what is left unredacted that a careful reviewer should look at before export.

The UK Data Service's "numbers and capitals" check, over the text no span covers: capitalised words not at a
sentence start, numbers of three digits or more, spoken digit runs ("five five five"), and words no everyday
vocabulary knows (a lowercase "okonkwo"). One item per text, with every mention of it, so the reviewer redacts
it everywhere or keeps it once. Kept texts are stored with the redactions (``Redactions.checked``) and not
listed again. Finds only; never decides anything by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from fieldvault.errors import BadInput
from fieldvault.redact import entities
from fieldvault.redact.detector import detect, unmarked
from fieldvault.redact.foreign import detector_for
from fieldvault.redact.labels import without_placeholders
from fieldvault.redact.lexicon import (
    HARD_NEGATIVES,
    HOLIDAYS,
    INFORMAL,
    MONTHS,
    STOPWORDS,
    TITLES,
    WEEKDAYS,
    base_word,
    dictionary,
    first_names,
    last_names,
)
from fieldvault.redact.mentions import pattern
from fieldvault.redact.patterns import SPOKEN_NUMBERS
from fieldvault.redact.review import Redactions
from fieldvault.transcript import Transcript

CAPITAL = "capital not at a sentence start"
NUMBER = "number of 3 or more digits"
SPOKEN = "spoken digits"
UNUSUAL = "word outside everyday vocabulary"
REASONS = (CAPITAL, NUMBER, SPOKEN, UNUSUAL)

_WORD = re.compile(r"(?<![\w'’])[^\W\d_](?:[\w'’.-]*[^\W_])?")
_NUMBER = re.compile(r"\d+(?:[\s,./:-]{1,3}\d+)*")
_SPOKEN_WORD = "|".join(sorted(SPOKEN_NUMBERS | {"oh"}, key=len, reverse=True))
_SPOKEN = re.compile(rf"\b(?:{_SPOKEN_WORD})(?:[\s,.-]{{1,3}}(?:{_SPOKEN_WORD})){{2,}}\b", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_TIME = re.compile(r"\d{1,2}:\d\d")
# What ends a sentence before a word: a stop, a question, an exclamation, a colon, a transcript mark.
_STARTS = re.compile(r"(?:[.?!:;]|\])[\"'”’)]*\s*[\"'“‘(]*$")
# Capitalised mid-sentence in any English, and no identifier: the first person, God, kin said as a name.
_ALWAYS_CAPITAL = {"i", "i'm", "i’m", "i'll", "i’ll", "i've", "i’ve", "i'd", "i’d", "god", "lord", "jesus", "christ",
                   "bible", "mom", "mommy", "mama", "dad", "daddy", "grandma", "grandpa", "okay", "ok"}  # fmt: skip
_DEMONYM = re.compile(r"(?:ese|ish|ian|ean|an|ic|i)$")


@dataclass(frozen=True)
class Mention:
    segment: int
    start: int
    end: int


@dataclass(frozen=True)
class Leftover:
    key: str  # entities.normal of the text: one item per text
    text: str  # as first written
    reason: str
    mentions: tuple[Mention, ...]


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start]
    return not before.strip() or _STARTS.search(before) is not None


def _everyday_capital(word: str) -> bool:
    lowered = base_word(word).lower()
    if lowered in _ALWAYS_CAPITAL or lowered in WEEKDAYS or lowered in MONTHS or lowered in HOLIDAYS:
        return True
    if lowered in STOPWORDS or lowered in INFORMAL or lowered in TITLES or lowered.rstrip(".") in TITLES:
        return True
    proper = dictionary()[1]
    if lowered not in proper or _DEMONYM.search(lowered) is None:
        return False
    return lowered not in first_names() and lowered not in last_names()


def _unusual(word: str) -> bool:
    """A word no word list explains: not everyday, not speech, not a hard negative, not a demonym."""
    lowered = base_word(word).lower()
    if len(lowered) < 3 or not lowered.isalpha():
        return False
    ordinary = dictionary()[0]
    if lowered in ordinary or lowered in STOPWORDS or lowered in INFORMAL or lowered in HARD_NEGATIVES:
        return False
    if lowered.endswith("s") and lowered[:-1] in ordinary:
        return False
    return not _everyday_capital(word)


def _capitals(text: str) -> list[tuple[int, int]]:
    """Runs of capitalised words not at a sentence start ("Orange Blossom Trail"), everyday edges left out."""
    runs: list[list[re.Match[str]]] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper():
            continue
        if runs and text[runs[-1][-1].end() : match.start()] == " ":
            runs[-1].append(match)
        else:
            runs.append([match])
    found = []
    for run in runs:
        while run and _everyday_capital(run[0].group()):
            run.pop(0)
        while run and _everyday_capital(run[-1].group()):
            run.pop()
        if run and not _sentence_start(text, run[0].start()):
            found.append((run[0].start(), run[-1].start() + len(base_word(run[-1].group()))))
    return found


def _numbers(text: str) -> list[tuple[int, int]]:
    found = []
    for match in _NUMBER.finditer(text):
        value = match.group()
        if sum(c.isdigit() for c in value) < 3 or _YEAR.fullmatch(value) or _TIME.fullmatch(value):
            continue
        found.append(match.span())
    return found


def _candidates(said: str) -> list[tuple[int, int, str]]:
    # the transcript's own marks ("[inaudible 00:00:26]", QA D10) and the stand-ins a withdrawal kept ("[PERSON]",
    # QA H15) are never leftovers
    text = without_placeholders(unmarked(said))
    found = [(a, b, CAPITAL) for a, b in _capitals(text)]
    found += [(a, b, NUMBER) for a, b in _numbers(text)]
    found += [(m.start(), m.end(), SPOKEN) for m in _SPOKEN.finditer(text)]
    found += [
        (m.start(), m.start() + len(base_word(m.group())), UNUSUAL) for m in _WORD.finditer(text) if _unusual(m.group())
    ]
    return found


def leftovers(transcript: Transcript, redactions: Redactions) -> list[Leftover]:
    """What no span covers (whatever its state: a rejected span was looked at) and nobody kept yet, in the order
    of its first mention; each item with every uncovered mention of its text in the transcript."""
    covered: dict[int, list[tuple[int, int]]] = {}
    for span in redactions.spans:
        covered.setdefault(span.segment, []).append((span.start, span.end))

    def free(segment: int, start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in covered.get(segment, []))

    kept = set(redactions.checked)
    first: dict[str, tuple[str, str]] = {}
    # In another language every word is outside English vocabulary: there the capitals and numbers are the list (a
    # name Whisper mangled is written with capitals, "la Mélidou Bois" for Amélie Dubois: QA R7)
    english = detector_for(transcript.settings.get("language")) is detect
    for index, segment in enumerate(transcript.segments):
        candidates = sorted(
            (c for c in _candidates(segment.text) if english or c[2] != UNUSUAL), key=lambda c: (c[0], -c[1])
        )
        taken: list[tuple[int, int]] = []
        for start, end, reason in candidates:
            if not free(index, start, end) or any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            text = segment.text[start:end]
            key = entities.normal(text)
            if key and key not in kept and key not in first:
                first[key] = (text, reason)
    items = []
    lowered = [segment.text.casefold() for segment in transcript.segments]
    for key, (text, reason) in first.items():
        finder = _finder(key, text)
        hint = "" if any(c.isdigit() for c in text) else key.split()[0][:3]  # a cheap test before the pattern
        mentions = tuple(
            Mention(index, m.start(), m.end())
            for index, segment in enumerate(transcript.segments)
            if hint in lowered[index]
            for m in finder.finditer(segment.text)
            if free(index, m.start(), m.end())
        )
        if mentions:
            items.append(Leftover(key, text, reason, mentions))
    return items


def numbered(transcript: Transcript, redactions: Redactions) -> tuple[list[tuple[int, Leftover]], dict[int, str]]:
    """The leftovers with numbers that stay with their text: each text is numbered in the order of its first mention
    in the transcript as if nothing were redacted or kept yet, so ``--redact 2`` run twice, or from a list printed
    before another item was dealt with, never reaches another text (QA D10). Returns the items left, each with its
    number, and the text of every number given."""
    every = leftovers(transcript, Redactions(redactions.pseudonym, redactions.session, redactions.transcript_sha256))
    numbers = {item.key: n for n, item in enumerate(every, start=1)}
    texts = {n: item.text for n, item in enumerate(every, start=1)}
    left = []
    for item in leftovers(transcript, redactions):
        if item.key not in numbers:  # a text that only stands alone once a span covers part of a longer one
            numbers[item.key] = len(numbers) + 1
            texts[numbers[item.key]] = item.text
        left.append((numbers[item.key], item))
    return left, texts


def _finder(key: str, text: str) -> re.Pattern[str]:
    if any(c.isdigit() for c in text):  # "916-555-0142" as written, its digits grouped any way
        digits = r"[\s,./:-]{0,3}".join(re.escape(c) for c in text if c.isdigit())
        return re.compile(rf"(?<!\d){digits}(?!\d)")
    return pattern(key)


def redact(
    transcript: Transcript, redactions: Redactions, item: Leftover, label: str, reviewer: str, when: datetime
) -> int:
    """Add an accepted span of ``label`` over every mention of the item that no span covers yet; returns how many
    were added. A mention inside a span added meanwhile (`leftovers --redact 1 2`, where item 1 "Hilltop Plaza" holds
    a mention of item 2 "Hilltop") is redacted already; one that a span covers in part is refused in one line (qa26
    QB7: both failed in the review screen's words)."""
    added = 0
    for mention in item.mentions:
        over = [
            s
            for s in redactions.spans
            if s.segment == mention.segment and s.start < mention.end and mention.start < s.end
        ]
        if any(s.start <= mention.start and mention.end <= s.end for s in over):
            continue
        if over:
            raise BadInput(
                f"{item.text!r} overlaps {over[0].text!r}, redacted already, in part: redact them one at a time"
            )
        redactions.add(transcript, mention.segment, mention.start, mention.end, label, reviewer, when)
        added += 1
    return added


def keep(redactions: Redactions, item: Leftover) -> None:
    """The reviewer looked at this text and it identifies no one: it is not listed again."""
    if item.key not in redactions.checked:
        redactions.checked.append(item.key)


def label_for(item: Leftover) -> str:
    """The label a redacted leftover starts with (the reviewer relabels it with l): digits an ID, words a
    person."""
    return "ID" if item.reason in (NUMBER, SPOKEN) else "PERSON"
