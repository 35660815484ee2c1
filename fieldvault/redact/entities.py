"""Which mentions are the same entity, so one person gets one placeholder: full name, first name, surname,
nickname, misspelling and possessive of one person share a key; a place never shares a person's key,
because the key starts with its category ("PERSON:renata okafor", "LOCATION:bakersfield").

Keys are computed from the text alone (and the participant's known identifiers), so they agree across
all transcripts of a participant. A key with "#" was split off by a reviewer and is never joined again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.lexicon import TITLES, base_word

SPLIT = "#"


def normal(text: str) -> str:
    """Case, Unicode form, possessives, titles, edge punctuation and spacing aside."""
    text = unicodedata.normalize("NFKC", text).casefold()
    words = [base_word(w.strip(".,;:!?\"'“”‘’()")) for w in text.split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)  # "Mrs. Halvorsen" is Halvorsen
    return " ".join(words)


def key(label: str, text: str) -> str:
    return f"{label}:{normal(text)}"


def category_of(entity: str) -> str:
    return entity.split(":", 1)[0]


def _same_person(short: str, full: str) -> bool:
    """One word of a fuller name, or that word misspelt ("renatta" of "renata okafor")."""
    return any(short == word or (len(short) >= 5 and fuzz.ratio(short, word) >= 85) for word in full.split())


def _part_of(name: str, full: str) -> bool:
    """A name of several words all of which a fuller name holds: "ty banks" of "tyrell ty banks" (QA Y5)."""
    words = full.split()
    return len(words) > len(name.split()) and all(word in words for word in name.split())


def resolve(label: str, text: str, matched: str | None, others: Iterable[str]) -> str:
    """The entity of one mention: the known identifier it matched; else, for a person, the one fuller name among
    ``others`` (keys found in the same transcripts) that it is part of (a word of it, or several words of it); else
    its own key."""
    if matched:
        return key(label, matched)
    own = key(label, text)
    name = normal(text)
    if label != "PERSON":
        return own
    part = _part_of if " " in name else _same_person
    fuller = {
        other
        for other in others
        if SPLIT not in other
        and category_of(other) == "PERSON"
        and " " in other.split(":", 1)[1]
        and part(name, other.split(":", 1)[1])
    }
    return fuller.pop() if len(fuller) == 1 else own


def known_keys(known: Sequence[KnownIdentifier]) -> list[str]:
    return [key(k.label, k.text) for k in known]
