"""Speaker labels. Interviewer, Participant and Speaker N name a role, and her pseudonym was chosen not to identify
her; any other label a transcriber types in the editor ("Hoa", "Hoa Nguyen") is repeated on every line of every
export, so the export gate passes it through the free-text scrub and the editor warns when the detector flags it
(QA E5). A label is a slot for who speaks, so a word in it that is a first name or no everyday word ("Dre", "Big
Mike", "Ms. Lopez") is taken for a name even where the detector, which reads words in sentences, does not see one;
family words, titles and roles ("Her mother", "Pastor", "Interpreter") say who she is to the speaker and pass."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect
from fieldvault.redact.lexicon import (
    HARD_NEGATIVES,
    PERSON_WORDS,
    STOPWORDS,
    TITLES,
    WORD_NAMES,
    base_word,
    dictionary,
    first_names,
    fold,
)
from fieldvault.redact.spans import Span

_ROLE = re.compile(r"(?:interviewer|participant|speaker)(?: ?(?:\d+|[a-z]))?", re.IGNORECASE)
# Who else speaks in a research interview, by role (not every one is in the system dictionary).
_ROLES = {"facilitator", "notetaker", "interpreter", "translator", "moderator", "observer", "transcriber", "advocate"}
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# What a redaction leaves: "[PERSON]", "[PERSON 2]", "[CITY]", a second label that scrubbed alike, "[PERSON] (2)",
# and an age over 89, "[90 or older]".
_PLACEHOLDER = re.compile(
    r"\[(?:PERSON|LOCATION|ORG|CONTACT|DATE|ID|STREET|CITY|PLACE|EMAIL|URL|PHONE)(?: \d+)?\](?: \(\d+\))?"
    r"|\[90 or older\]"  # an age over 89 (redact.ages)
)


def _same(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a).strip().casefold() == unicodedata.normalize("NFC", b).strip().casefold()


def is_role(label: str) -> bool:
    """Interviewer, Participant, Speaker N (what transcription writes), any case."""
    return _ROLE.fullmatch(label.strip()) is not None


def is_placeholder(label: str) -> bool:
    """A label that is already a redaction's stand-in (a transcript kept de-identified at a withdrawal): never
    scrubbed again (QA E20: "[PERSON]" went out as "[[ORG]]")."""
    return _PLACEHOLDER.fullmatch(label.strip()) is not None


def without_placeholders(text: str) -> str:
    """``text`` with each redaction's stand-in blanked to spaces (same length, so offsets hold): a transcript kept
    de-identified at a withdrawal holds them as its own marks, never leftovers to check (QA H15)."""
    return _PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)


def pieces(label: str) -> list[tuple[str, bool]]:
    """The label cut around the stand-ins in it, each piece with whether it is one ("Mama [PERSON]", kept so by a
    withdrawal: QA F5): only the words outside them are a transcriber's to scrub."""
    cut = re.split(f"({_PLACEHOLDER.pattern})", label)
    return [(piece, n % 2 == 1) for n, piece in enumerate(cut) if piece]


def is_own(label: str, pseudonym: str) -> bool:
    """The label is her pseudonym."""
    return _same(label, pseudonym)


def _name_like(word: str) -> bool:
    lower = fold(base_word(word))[0].lower()
    if len(word) == 1:
        return word.isupper() and lower not in STOPWORDS  # an initial: "Mama T"
    if lower in HARD_NEGATIVES or lower in TITLES or lower in PERSON_WORDS or lower in STOPWORDS or lower in _ROLES:
        return False
    return lower in first_names() or lower in WORD_NAMES or lower not in dictionary()[0]


def name_words(label: str) -> list[Span]:
    """The words of a label that name someone: a first name (an everyday word too: "Grace"), or a word no
    dictionary holds, unless it is a family word, title or role. A hyphenated word counts when every part does
    ("Mary-Jo", not "Co-interviewer"); a capital letter alone is an initial ("Mama T")."""
    return [
        Span(m.start(), m.end(), "PERSON", "label", m.group())
        for m in _WORD.finditer(label)
        if all(_name_like(part) for part in re.split(r"[-'’]", m.group()) if part)
    ]


def flagged(label: str, pseudonym: str, known: list[KnownIdentifier]) -> list[Span]:
    """What the detector, with every listed identifier (each form of it, fuzzy ones too), finds in a label that
    is neither a role nor her pseudonym; where it finds nothing, the label's name words."""
    if is_role(label) or is_placeholder(label) or is_own(label, pseudonym):
        return []
    found: list[Span] = []
    at = 0
    for piece, kept in pieces(label):
        if not kept:
            spans = detect(piece, known) or name_words(piece)
            found += [replace(s, start=s.start + at, end=s.end + at) for s in spans]
        at += len(piece)
    return found
