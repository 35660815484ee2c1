"""Names spelled out letter by letter, in the forms Whisper writes spelling: letters apart by spaces, commas, dots or
hyphens ("t a n i s h a", "A, S, A, N, T, E", "K.W.A.B.E.N.A.", "H-E-T-..."), a filler between two of them ("h, e,
t, um, h e r"), "capital k", "double e". A run of four letters or more is a name; a shorter one only after a spelling
cue ("spelled", "that's", "with a") or right after the word it spells. Never a stutter ("i, i, i, i"), the alphabet
("a b c d"), an abbreviation said letter by letter, or letters beside numbers (a plate's or an ID's).
"""

from __future__ import annotations

import re

from fieldvault.redact.patterns import SPOKEN_NUMBERS
from fieldvault.redact.spans import Span

# What Whisper writes between two spelled letters: a space, a comma, a dot or a hyphen, and maybe a filler.
_FILLER = r"(?:um+|uh+|erm?|ah|uhm|hmm)"
SEPARATOR = rf"(?:\s*[,.\-/]\s*|\s+)(?:{_FILLER}(?:\s*[,.]\s*|\s+))?"
_CASE = r"(?:(?:capital|small|big|upper\s*case|lower\s*case)\s+)"
_LETTER = rf"{_CASE}?[A-Za-z](?![^\W_])(?!['’])"
_DOUBLE = rf"(?:double|dubble)\s+{_CASE}?[A-Za-z](?![^\W_])(?!['’])"
_UNIT = rf"(?:{_DOUBLE}|{_LETTER})"
RUN = re.compile(rf"(?<![^\W_])(?<!['’-]){_UNIT}(?:{SEPARATOR}{_UNIT})+", re.I)

# A cue that the letters after it spell a name: "spelled k a y", "that's j o", "it's, um, l i", "with a y, y e s".
_CUE = re.compile(
    r"\b(?:spelled|spelt|spell|spells|spelling|that's|that\s+is|it's|it\s+is|with\s+an?\s+[a-z])"
    r"(?:\s+(?:it|like|with|her|his|my|name|out|as))*[\s:,]*(?:(?:um+|uh+)[\s,]*)?$",
    re.I,
)
# Said letter by letter every day, never a name.
ABBREVIATIONS = {"asap", "rsvp", "ymca", "ywca", "lgbt", "lgbtq", "hvac", "adhd", "ptsd", "aids", "naacp", "nasa",
                  "fbi", "cia", "usa", "dwi", "dui", "cps", "ged", "abc", "abcd", "diy", "omg", "lol", "wtf",
                  "ssdi", "ssi", "snap", "wic", "tanf", "edd", "idk", "atm", "emt", "icu", "sos"}  # fmt: skip
_VOWELS = set("aeiouy")


def letters_of(said: str) -> str:
    """The letters a spelled run stands for, lowercase: "capital k, w, double b" -> "kwbb"."""
    out = ""
    for token in re.finditer(r"(double|dubble)\s+(?:" + _CASE + r")?([a-z])|([a-z]+)", said.lower()):
        if token.group(1):
            out += token.group(2) * 2
        elif len(token.group(3)) == 1:
            out += token.group(3)
    return out


def spelled_out(word: str) -> str:
    """A pattern (lowercase letters, no groups) for ``word`` spelled letter by letter: each letter apart, any case
    word before it, a doubled letter also as "double x"."""
    letters = [c for c in word.lower() if c.isalpha()]
    units: list[str] = []
    at = 0
    while at < len(letters):
        letter = re.escape(letters[at])
        if at + 1 < len(letters) and letters[at + 1] == letters[at]:
            units.append(rf"(?:(?:double|dubble)\s+{_CASE}?{letter}|{_CASE}?{letter}{SEPARATOR}{_CASE}?{letter})")
            at += 2
        else:
            units.append(rf"{_CASE}?{letter}")
            at += 1
    return SEPARATOR.join(units)


def find_spelled(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in RUN.finditer(text):
        said = _without_word_after(match.group())
        letters, end = letters_of(said), match.start() + len(said)
        if not _name_like(letters) or _number_beside(text, match.start(), end):
            continue
        cued = bool(_CUE.search(text[max(0, match.start() - 40) : match.start()]))
        if len(letters) >= 4 or cued or _after_its_word(text, match.start(), letters):
            spans.append(Span(match.start(), end, "PERSON", "context", said, 0.7 if cued else 0.6))
            spans += _its_word(text, match.start(), letters)
    return spans


def _its_word(text: str, start: int, letters: str) -> list[Span]:
    """The word the letters spell, said right before them: "a girl named, uh, peach, p e a c h" (whatever the word,
    the speaker spelled it for the listener: a name)."""
    before = re.search(r"(?<![\w'’-])([A-Za-z][A-Za-z'’-]*)\s*[,.:;-]?\s*$", text[max(0, start - 40) : start])
    if before is None or before.group(1).lower() != letters:
        return []
    at = max(0, start - 40) + before.start(1)
    return [Span(at, at + len(before.group(1)), "PERSON", "context", before.group(1), 0.7)]


def _without_word_after(said: str) -> str:
    """The run without a last "a" or "i" set off by a comma where the letters before were not: the article or the
    pronoun that starts the next clause ("h o x h a, i was"), not a letter."""
    units = list(re.finditer(_UNIT, said, re.I))
    if len(units) < 3 or units[-1].group().lower() not in ("a", "i"):
        return said
    last_gap = said[units[-2].end() : units[-1].start()]
    first_gap = said[units[0].end() : units[1].start()]
    if "," in last_gap and "," not in first_gap:
        return said[: units[-2].end()]
    return said


def _name_like(letters: str) -> bool:
    """Letters that may spell a name: two or more, a vowel among four or more, not one letter said again and
    again, not the alphabet's run, not an abbreviation."""
    if len(letters) < 2 or len(set(letters)) == 1 or letters in ABBREVIATIONS:
        return False
    if letters in "abcdefghijklmnopqrstuvwxyz":
        return False  # "as easy as a b c d"
    return len(letters) < 4 or bool(_VOWELS & set(letters))


def _after_its_word(text: str, start: int, letters: str) -> bool:
    """Two or three letters right after the word they spell, or one with the same first letter a word or two
    before ("dee ray, d r a y"; "jo, j o")."""
    before = re.findall(r"[A-Za-z][A-Za-z'’-]*", text[max(0, start - 30) : start])[-2:]
    gap = text[max(0, start - 3) : start]
    return "," in gap and any(w.lower().startswith(letters[0]) and len(w) > 1 for w in before)


def _number_beside(text: str, start: int, end: int) -> bool:
    """Letters beside digits or number words are a plate's or an ID's, the numbers layer's."""
    before = text[:start].split()[-1:]
    after = text[end:].split()[:1]
    return any(w.strip(".,;:").lower() in SPOKEN_NUMBERS or w[:1].isdigit() for w in before + after)
