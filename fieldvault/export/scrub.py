"""The last-line guard: no known identifier leaves an export in any form, whatever review decided.

Matching runs on a folded copy of the text (compatibility-normalised, accents and strokes dropped, case-folded,
every run of whitespace one space, invisible characters gone) and each match is mapped back to the
original characters, so NFD input, "J.R." next to "J. R.", a name broken over a line, a possessive
or a hyphenated form are all caught and replaced in the text as it was written.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from fieldvault.names import plain_letters
from fieldvault.redact.known import (
    SPOKEN_DIGITS,
    digits_pattern,
    said_forms,
    said_identifiers,
    said_key,
    said_pieces,
    spoken_numbers,
)
from fieldvault.redact.spelling import spelled_out

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_QUOTES = dict.fromkeys(map(ord, "’‘ʼ′`´"), "'")
_ARTICLE = re.compile(r"(?<!\w)(?:a|an|the)\s+$", re.IGNORECASE)
# Between the words of a name: spaces and line breaks, hyphens, underscores, slashes, and a dot inside a handle or an
# e-mail ("marisol.quintanilla"); a full stop or a comma before a space only after an initial or an abbreviation
# ("J. R.", "St. Louis"): "lost all hope. House after house" is no "Hope House" (QA R16).
_SEPARATOR = r"(?:[\s\-_/]|[.,](?!\s))*"
_AFTER_SHORT = r"[\s\-_.,/]*"
_HYPHENATION = r"(?:-\s?)?"  # "Oka-for", "Oka- for": a word broken by a hyphen
_SUFFIX = r"(?:'s|s|es|')?"
# What XML 1.0 forbids and no reader needs: control characters but tab and line breaks (QA R8: a vertical tab pasted
# from Word into an answer made every qdpx export malformed XML, and docx died). Every string that leaves passes here.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A street's type word and its abbreviations: a listed "Van Buren Street" is also "Van Buren St." and, where the name
# is no everyday word, "Van Buren" alone or with another type ("VanBuren Ave") (QA R3).
_STREET_TYPES = (
    ("street", "st"), ("avenue", "ave", "av"), ("road", "rd"), ("boulevard", "blvd"), ("lane", "ln"), ("drive", "dr"),
    ("court", "ct"), ("place", "pl"), ("way",), ("highway", "hwy"), ("parkway", "pkwy"), ("terrace", "ter"),
    ("crescent", "cres"), ("close",), ("circle", "cir"), ("square", "sq"),
)  # fmt: skip
_STREET_TYPE = {word: forms for forms in _STREET_TYPES for word in forms}


def _street_words(forms: tuple[str, ...]) -> str:
    """A street type word or one of its abbreviations, with the abbreviation's dot: "Street." at a sentence's end
    keeps its full stop ("on [STREET]."), "St." goes whole."""
    return "|".join([forms[0], *(rf"{short}\.?" for short in forms[1:])])


_ANY_STREET_TYPE = r"(?:" + "|".join(_street_words(forms) for forms in _STREET_TYPES) + r")"
# A handle or an e-mail address, or one word: where a listed name is glued to an initial, digits or other words
# ("mquintanilla@gmail.com", "marisolq", "@derek_fowler916", "dfowler": QA R15).
_HANDLE = re.compile(r"[\w@][\w.+@-]*\w|\w")
GLUED_NAME = 5  # letters: a listed one-word name this long is looked for inside handles


def _fold_cluster(cluster: str) -> str:
    # "dеrek" with a Cyrillic е is "derek" (QA J6); "Bjørn" is "bjorn", "Łódź" "lodz" (QA R1): as names read
    return plain_letters(cluster).translate(_DASHES).translate(_QUOTES)


@dataclass(frozen=True)
class Folded:
    """Folded text, and for each of its characters the original span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def fold(text: str) -> Folded:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1  # a base character and its combining marks are one cluster (NFD input)
        cluster = text[i:j]
        if cluster[0].isspace():
            if out and out[-1] == " ":
                ends[-1] = j
            else:
                out.append(" ")
                starts.append(i)
                ends.append(j)
        elif unicodedata.category(cluster[0]) != "Cf":  # zero-width characters and soft hyphens vanish
            for char in _fold_cluster(cluster):
                out.append(char)
                starts.append(i)
                ends.append(j)
        i = j
    return Folded("".join(out), tuple(starts), tuple(ends))


def _word(word: str) -> str:
    return _HYPHENATION.join(re.escape(c) for c in word)


def pattern_for(identifier: str) -> re.Pattern[str] | None:
    """A pattern over folded text for one identifier; None when it is too short to match safely."""
    folded = fold(identifier).text.strip()
    if sum(c.isalnum() for c in folded) < 2:
        return None
    if numbers := digits_pattern(folded):  # a phone, date or ID number of hers: in any grouping
        return numbers
    pieces = re.findall(r"\w+|[^\w\s]", folded)
    street = len(pieces) >= 2 and pieces[-1] in _STREET_TYPE and pieces[-2][0].isalnum()
    body = _body(pieces[:-1] if street else pieces)
    if street:  # "Van Buren Street": "Van Buren St.", and "Van Buren", "VanBuren Ave" where that is no common word
        if not _found_alone(" ".join(p for p in pieces[:-1] if p[0].isalnum())):  # "Main St.", not "main road"
            body = rf"{body}{_SEPARATOR}(?:{_street_words(_STREET_TYPE[pieces[-1]])})"
        else:
            body = rf"{body}(?:{_SEPARATOR}{_ANY_STREET_TYPE})?"
    if sum(c.isalpha() for c in folded) >= 3 and folded.isascii():
        body = rf"(?:{body}|{spelled_out(folded)})"  # "A, S, A, N, T, E", "k w a double b e n a" (QA K17)
    return re.compile(rf"(?<![^\W_]){body}{_SUFFIX}(?![^\W_])")  # "_" joins words: a boundary (QA J1)


def _body(pieces: list[str]) -> str:
    body, before = "", ""
    for piece in pieces:
        if piece[0].isalnum() or piece[0] == "_":
            body += ((_AFTER_SHORT if len(before) <= 2 else _SEPARATOR) if body else "") + _word(piece)
            before = piece
        else:  # punctuation in a name ("J.R.", "#42") may be written or left out
            body += re.escape(piece) + "?"
    return body


def common_word(words: str) -> bool:
    """Words everyone says as words, judged as written and as fold() has them ("Văn" of "Nguyễn Văn Đức" is "van" to
    the scrub, "Mỹ" "my": QA R2): a function word ("An", "My": Vietnamese given names), or everyday dictionary words
    ("Hope", "Main", "Elm"). A given name the dictionary also holds as a rare word ("maria", the moon's seas) is a
    name, not a common word; only the names that are everyday words as well ("Hope", "Angel") are. The one rule for
    what a listed word alone is not matched as (the export gate's study-wide scrub and path check, a street without
    its type word)."""
    from fieldvault.redact.lexicon import STOPWORDS, WORD_NAMES, first_names
    from fieldvault.redact.mentions import everyday

    folded = key(words)
    if not folded or folded in STOPWORDS:
        return True
    if not (everyday(words) or everyday(folded)):
        return False
    return " " in folded or folded not in first_names() or folded in WORD_NAMES


def _found_alone(words: str) -> bool:
    """A street's name that is matched without its type word ("on Van Buren"): no common word, and long enough
    not to be a piece of another word said apart ("Ng Street")."""
    return len(words.replace(" ", "")) >= 4 and not common_word(words)


def _a_word(letters: str) -> bool:
    """A word of its own, which no name with a letter glued to it is: a common word, or any word of the dictionary or
    given name ("graced", "martin")."""
    from fieldvault.redact.lexicon import first_names
    from fieldvault.redact.mentions import everyday

    return common_word(letters) or everyday(letters) or letters in first_names()


def _glued_name(token: str, names: list[tuple[str, str]]) -> str | None:
    """The replacement of a listed name glued into ``token``: anywhere in a handle or an e-mail (it has "@", "_", a
    digit or a dot inside), or with one letter before or after it in a plain word that is no everyday word
    ("mquintanilla", "marisolq")."""
    letters = "".join(c for c in fold(token).text if c.isalpha())
    handle = any(c in token for c in "@_") or any(c.isdigit() for c in token) or "." in token.strip(".")
    for name, replacement in names:
        if handle and name in letters:
            return replacement
        if len(letters) == len(name) + 1 and name in (letters[1:], letters[:-1]) and not _a_word(letters):
            return replacement  # not "graced" for a listed Grace, nor "Martin" for a listed Marti
    return None


def key(identifier: str) -> str:
    """The form under which an identifier is compared with another: folded, outer spaces dropped."""
    return fold(identifier).text.strip()


class Scrubber:
    """Replace every form of each identifier with its replacement; the longest identifier wins."""

    def __init__(self, identifiers: Iterable[tuple[str, str]], names_only: bool = False) -> None:
        """``names_only``: a match right after an article ("a blessing", "the hope") is the everyday word, not
        the name, and is left (for names that are everyday words)."""
        ordered = sorted(set(identifiers), key=lambda pair: -len(pair[0]))
        self._patterns = [(key(text), p, replacement) for text, replacement in ordered if (p := pattern_for(text))]
        self._numbers = {  # digits -> (key, replacement) of each listed number long enough to be found said
            said: (key(text), replacement)
            for text, replacement in reversed(ordered)
            if not any(c.isalpha() for c in text) and len(digits := re.sub(r"\D", "", text)) >= SPOKEN_DIGITS
            for said in said_forms(digits)
        }
        self._said = {  # said_key -> (key, replacement) of each listed code, handle or e-mail: any separators, said
            said: (key(text), replacement) for text, replacement in reversed(ordered) if (said := said_key(key(text)))
        }
        self._glued = [  # (letters, key, replacement) of each listed one-word name long enough to look for in handles
            (folded, key(text), replacement)
            for text, replacement in ordered
            if len(folded := key(text)) >= GLUED_NAME and folded.isalpha() and folded.isascii()
        ]
        self._names_only = names_only

    def whole(self, text: str) -> str | None:
        """The replacement of the one identifier that all of ``text`` is (in any of its forms), else None: a
        detected span keeps a listed identifier's placeholder only when the span is that identifier, never
        when the identifier is a part of it (QA E11: "[PERSON] Ochoa" of "Lupita Ochoa")."""
        folded = fold(text).text.strip()
        return next((r for _, pattern, r in self._patterns if pattern.fullmatch(folded)), None)

    def __call__(self, text: str, spare: frozenset[str] = frozenset()) -> str:
        """``text`` scrubbed; identifiers whose key() is in ``spare`` are left alone (a reviewer rejected
        them in the text at hand)."""
        text = _CONTROLS.sub(" ", text)
        for start, end, replacement in sorted(self.matches(text, spare), reverse=True):
            text = text[:start] + replacement + text[end:]
        return text

    def matches(self, text: str, spare: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
        """(start, end, replacement) of each identifier found in ``text``, none overlapping another; a number's
        groups each where a pause stands between them (the pause's words stay)."""
        return [(a, b, r) for start, end, r in self.wholes(text, spare) for a, b in said_pieces(text, start, end)]

    def wholes(self, text: str, spare: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
        """(start, end, replacement) of each identifier found in ``text`` whole, none overlapping another."""
        if not text or not self._patterns:
            return []
        folded = fold(text)
        taken: list[tuple[int, int, str]] = []
        for name, pattern, replacement in self._patterns:
            if name in spare:
                continue
            for match in pattern.finditer(folded.text):
                if match.end() == match.start():
                    continue
                if self._names_only and _ARTICLE.search(folded.text, 0, match.start()):
                    continue
                start, end = folded.starts[match.start()], folded.ends[match.end() - 1]
                if all(end <= s or start >= e for s, e, _ in taken):
                    taken.append((start, end, replacement))
        said = {digits: r for digits, (name, r) in self._numbers.items() if name not in spare}
        for start, end, replacement in spoken_numbers(text, said) if said else ():
            # the whole number goes, with the pieces of it a pattern took already (a proposed group's text, "four
            # seven"; walk24 WK3: kept apart, "0-1" of her phone was left)
            over = [t for t in taken if t[0] < end and start < t[1]]
            if all(start <= t[0] and t[1] <= end for t in over):
                taken = [t for t in taken if t not in over] + [(start, end, replacement)]
        coded = {said: r for said, (name, r) in self._said.items() if name not in spare}
        for start, end, replacement in said_identifiers(folded.text, coded):
            # the whole code goes, with whatever part of it a pattern took already ("[ID] 114372")
            start, end = folded.starts[start], folded.ends[end - 1]
            over = [t for t in taken if t[0] < end and start < t[1]]
            start, end = min([start, *(t[0] for t in over)]), max([end, *(t[1] for t in over)])
            taken = [t for t in taken if t not in over] + [(start, end, replacement)]
        glued = [(name, r) for name, k, r in self._glued if k not in spare]
        for token in _HANDLE.finditer(text) if glued else ():
            instead = _glued_name(token.group(), glued)
            start, end = token.span()
            if instead is not None and not any(a <= start and end <= b for a, b, _ in taken):
                # the whole handle goes, with whatever part of it was matched already; a word inside a longer match
                # stays in it ("Nguyen" of a matched "Nguyen Van Duc", glued to the short form "Nguye")
                taken = [t for t in taken if t[1] <= start or t[0] >= end] + [(start, end, instead)]
        return taken


class Chain:
    """Scrubbers run in turn (hers, then the study's); ``whole`` asks each in the same order."""

    def __init__(self, *scrubbers: Scrubber) -> None:
        self._scrubbers = scrubbers

    def __call__(self, text: str, spare: frozenset[str] = frozenset()) -> str:
        for scrubber in self._scrubbers:
            text = scrubber(text, spare)
        return text

    def whole(self, text: str) -> str | None:
        return next((r for s in self._scrubbers if (r := s.whole(text)) is not None), None)

    def matches(self, text: str, spare: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
        """Every scrubber's matches in ``text``, none overlapping another (the earlier scrubber's first)."""
        taken: list[tuple[int, int, str]] = []
        for scrubber in self._scrubbers:
            taken += [m for m in scrubber.matches(text, spare) if all(m[1] <= s or m[0] >= e for s, e, _ in taken)]
        return taken

    def across(self, texts: list[str], spare: frozenset[str] = frozenset()) -> list[str]:
        """Scrubbed ``texts`` (each scrubbed already) with what runs over the boundaries of texts that follow each
        other replaced piece by piece where it lies. Whisper cuts at pauses: a listed phone cut between its groups
        went out whole, joined into one paragraph by txt, docx and qdpx (QA R4), over two segments ("916 555" |
        "0142") and over three or more ("916" | "555," | "0142 at the desk"). Every scrubber reads the texts joined
        whole, so no run of segments is too long."""
        texts = list(texts)
        for scrubber in self._scrubbers:
            for n, start, end, replacement in reversed(_pieces(scrubber, texts, spare)):
                texts[n] = texts[n][:start] + replacement + texts[n][end:]
        return texts

    def pieces(self, texts: list[str], spare: frozenset[str] = frozenset()) -> list[list[tuple[int, int, str]]]:
        """For each of ``texts`` (a transcript's segments as said, nothing replaced yet), the (start, end,
        replacement) of its share of each identifier that runs over a boundary between texts, none overlapping
        another. Read before any span is replaced: a listed phone dictated over segments with another speaker's
        "Mm-hmm." between ("five five nine," | "two three zero" | "four seven" | "Mm-hmm." | "0-1"), whose
        proposed groups were replaced first, left no number for ``across`` to read, and "0-1" went out, heard in
        the audio too (walk24 WK3)."""
        found: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        for scrubber in self._scrubbers:
            for n, start, end, replacement in _pieces(scrubber, texts, spare):
                if all(end <= s or start >= e for s, e, _ in found[n]):
                    found[n].append((start, end, replacement))
        return [sorted(f) for f in found]


def _pieces(scrubber: Scrubber, texts: list[str], spare: frozenset[str]) -> list[tuple[int, int, int, str]]:
    """(text index, start, end, replacement), in reading order, of each share of what ``scrubber`` matches over
    ``texts`` joined by a space where the match runs over more than one text."""
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    joined = " ".join(texts)
    pieces: list[tuple[int, int, int, str]] = []
    for whole_start, whole_end, replacement in sorted(scrubber.wholes(joined, spare)):
        first = bisect.bisect_right(starts, whole_start) - 1
        last = bisect.bisect_right(starts, whole_end - 1) - 1
        if last == first:
            continue  # inside one text: that text's own scrub replaces it
        for start, end in said_pieces(joined, whole_start, whole_end):
            for n in range(bisect.bisect_right(starts, start) - 1, bisect.bisect_right(starts, end - 1)):
                cut = max(start, starts[n]) - starts[n], min(end, starts[n] + len(texts[n])) - starts[n]
                if cut[1] > cut[0]:
                    pieces.append((n, *cut, replacement))
    return pieces
