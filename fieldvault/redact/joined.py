"""Detection over a whole transcript: its segments read as one text, the spans mapped back to segments.

Whisper cuts speech into segments where the speaker pauses, not where an identifier ends: "my number is
five five five" | "oh one four two", "my daughter's name is" | "Carolina". The detector reads the segments
joined by a line break, in blocks of a few thousand characters with neighbouring segments on either side for
context (its cost stays linear in the transcript's length), and a span that crosses a segment boundary is
cut into one piece per segment, the pieces sharing a part number so they are decided together.
Offsets are exact: each piece points into its own segment's text. Never writes anything.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect, outside_marks
from fieldvault.redact.spans import Span, merge

SEPARATOR = " "
BLOCK = 4000  # characters of segments each detector run owns
CONTEXT = 400  # characters of neighbouring segments it reads on either side, at least one segment each


@dataclass(frozen=True)
class Found:
    """One proposed span in one segment. ``whole`` is the span as found over the joined text (the full phone
    number, the full name), the same for every piece of it; ``part`` is shared by the pieces of a span that
    crosses segment boundaries, None for a span inside one segment."""

    segment: int
    span: Span
    whole: Span
    part: int | None = None


# Whisper ends a segment with a stop at every pause. After a word no English sentence ends on ("named",
# "is", "my", "at", "and") the stop is the pause, not a sentence's end: "The girl was named." | "Blessing, ...".
_OPEN_END = re.compile(
    r"(?<![\w'’])(?:named|called|is|was|are|were|name's|a|an|the|my|your|our|their|at|of|from|with|and|or|but|"
    r"because)([.?!,;:]+)\s*$",
    re.IGNORECASE,
)


def _softened(text: str, texts: Sequence[str], starts: Sequence[int]) -> str:
    """The joined text as the detector reads it: a segment's closing stop after an open word becomes spaces
    (the same length, so every offset holds)."""
    chars = list(text)
    for segment, start in zip(texts[:-1], starts, strict=False):
        found = _OPEN_END.search(segment)
        if found is not None:
            a, b = found.span(1)
            chars[start + a : start + b] = " " * (b - a)
    return "".join(chars)


# The other speaker's reply while a number is dictated group by group ("5, 5, 9." | "Mm-hmm." | "5, 5, 5." |
# "Okay..." | "0 1 4 3"): words that say "go on" and nothing else.
_REPLY = (
    r"(?:m+-?h+m+|m+h+m+|u+h+-?h+u+h+|h?m+|okay|ok|yeah|yep|yes|right|all ?right|alright|sure|got (?:it|that)|go "
    r"(?:on|ahead)|uh|um)"
)
_REPLY_ONLY = re.compile(rf"\s*(?:{_REPLY}[\s,.!?…-]*)+", re.IGNORECASE)
_DIGIT = r"(?:\d(?:[\d-]*\d)?|zero|oh|o|one|two|three|four|five|six|seven|eight|nine)"  # "555", "0-1", "five"
_ENDS_IN_DIGITS = re.compile(rf"(?<![\w'’]){_DIGIT}[\s,.;:…-]*$", re.IGNORECASE)
_OPENS_WITH_DIGITS = re.compile(rf"((?:{_REPLY}[\s,.!?…-]*)*)[\s,.…-]*{_DIGIT}(?![\w'’])", re.IGNORECASE)


# What either speaker says while a number is dictated that is no part of it and no answer: a pause to write it down
# ("5-5-9... hold on, let me get a pen. Okay. 5-5-5, 0-1-7-2"), asking to go slower or again.
_PAUSE = (
    r"(?:hold on|hang on|wait|one (?:sec(?:ond)?|moment|minute)|just a (?:sec(?:ond)?|moment|minute)|"
    r"(?:let me|lemme|i(?:'ll| will| need to)) (?:get|grab|find|write|take) (?:a |my |it |this |that )?"
    r"(?:pen|pencil|paper|something to write(?: with| on)?|down|it down|this down|that down)|"
    r"(?:do you )?(?:have|got) (?:a )?(?:pen|pencil)|i(?:'m| am) ready|ready|sorry|slow(?:er| down)|"
    r"(?:say|said) (?:that|it) again|again|what was it|where was i)"
)
_ASIDE = rf"(?:{_PAUSE}|{_REPLY}|and|then|so|that['’]s|that is|it['’]s)"  # "Hold on. So that's 209..." reads it back
_APART = r"[\s,.!?…-]*"
_BETWEEN_GROUPS = re.compile(
    rf"(?<![\w'’]){_DIGIT}[\s,.;:…?!-]*((?:{_ASIDE}{_APART})*{_PAUSE}{_APART}(?:{_ASIDE}{_APART})*)"
    rf"(?={_DIGIT}(?![\w'’]))",
    re.IGNORECASE,
)
_SAID_DIGIT = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}
_SAID_DIGIT |= {"six": "6", "seven": "7", "eight": "8", "nine": "9"}
_GROUP = re.compile(rf"(?<![\w'’]){_DIGIT}(?:[ ,-]+{_DIGIT})*(?![\w'’])", re.IGNORECASE)  # "2 0 9", "two oh nine"


def _digits_of(said: str) -> str:
    return "".join(_SAID_DIGIT.get(word, word) for word in re.findall(r"[a-z]+|\d", said.lower()))


def _asides(read: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Between two groups of a number said aloud in the joined text (``read``), in one segment or over several: the
    asides (words of a pause to write it down, with replies around them), and the echoes (a group read back as a
    question, "2 0 9." | "Two oh nine?" | "5 5 5": her number's digits again). A real answer between two numbers
    ("I was 92 | we paid 555 for it") is neither: the numbers either side stay apart."""
    asides = []
    for match in _BETWEEN_GROUPS.finditer(read):
        start, end = match.span(1)
        while end > start and not read[end - 1].isalnum():
            end -= 1
        asides.append((start, end))
    groups = list(_GROUP.finditer(read))
    echoes = []
    for before, echo, after in zip(groups, groups[1:], groups[2:], strict=False):
        said = _digits_of(echo.group())
        joined = re.fullmatch(r"[\s,.…]*", read[before.end() : echo.start()])
        asked = re.match(r"\?[\s,.…]*$", read[echo.end() : after.start()])
        if joined and asked and said and _digits_of(before.group()).endswith(said):
            echoes.append((echo.start(), echo.end() + 1))
    return asides, echoes


def _replies(texts: Sequence[str]) -> dict[int, int]:
    """Segment -> how many of its first characters are the other speaker's reply between two groups of a number
    said aloud: a segment of replies alone ("Mm-hmm.", "M, M,", "Okay..."), or the replies a segment opens with
    ("Okay... 0 1 4 3"), between a segment that ends in a digit and one that opens with one (qa25 QA15: the groups
    were never read as one number, and the number went out whole). A real answer between is no reply: numbers on
    either side of it stay apart."""
    replies: dict[int, int] = {}
    last = None  # the segment before, not a reply
    for index, text in enumerate(texts):
        if _REPLY_ONLY.fullmatch(text) or not text.strip():
            continue
        opening = _OPENS_WITH_DIGITS.match(text)
        if last is not None and opening and _ENDS_IN_DIGITS.search(texts[last]):
            replies.update({between: len(texts[between]) for between in range(last + 1, index)})
            if opening.group(1):
                replies[index] = len(opening.group(1))
        last = index
    return replies


class Joined:
    """The segments' texts joined by SEPARATOR, and where each segment starts in the joined text. The detector reads
    them joined by a line break (``read``, the same length): a segment's end is a pause, and a span stops there as
    it stops at a line's end (`detector.within_lines`: "we lived in Modesto" | "When I was nine", "we lived in
    Lodi" | "Maria came to get me"), while a name's parts and a number still run on ("Maria" | "Gonzalez")."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self.starts: list[int] = []
        at = 0
        for text in self.texts:
            self.starts.append(at)
            at += len(text) + len(SEPARATOR)
        self.text = SEPARATOR.join(self.texts)
        self.replies = _replies(self.texts)
        read = list(_softened("\n".join(self.texts), self.texts, self.starts))
        for index, length in self.replies.items():  # read as a pause: the groups either side run on as one number
            read[self.starts[index] : self.starts[index] + length] = " " * length
        self.asides, echoes = _asides("".join(read))
        for start, end in self.asides + echoes:  # a pause too; an echo is a piece of the number, the aside none
            read[start:end] = " " * (end - start)
        self.read = "".join(read)

    def end(self, index: int) -> int:
        return self.starts[index] + len(self.texts[index])

    def blocks(self) -> list[tuple[int, int, int, int]]:
        """(first, last) segment indexes of each block's own segments (last exclusive), then of the segments
        read with them for context."""
        blocks = []
        first = 0
        while first < len(self.texts):
            last = first + 1
            while last < len(self.texts) and self.end(last) - self.starts[first] <= BLOCK:
                last += 1
            before = first - 1 if first else 0
            while before > 0 and self.starts[first] - self.starts[before - 1] <= CONTEXT:
                before -= 1
            after = min(last + 1, len(self.texts))
            while after < len(self.texts) and self.end(after) - self.end(last - 1) <= CONTEXT:
                after += 1
            blocks.append((first, last, before, after))
            first = last
        return blocks

    def pieces(self, span: Span) -> list[tuple[int, int, int]]:
        """(segment, start, end) of each segment's share of a span over the joined text. Where a piece meets
        a segment boundary, the space and punctuation there are left out ("916." | "5, 5, 4"); a piece with no
        letter or digit is dropped. A span inside one segment is kept as the detector gave it ("J.R.")."""
        found = []
        first = max(0, bisect.bisect_right(self.starts, span.start) - 1)
        for index in range(first, len(self.texts)):
            start, end = self.starts[index], self.end(index)
            if start >= span.end:
                break
            if end <= span.start:
                continue
            text = self.texts[index]
            a, b = max(span.start, start) - start, min(span.end, end) - start
            if span.start < start:
                a = max(a, self.replies.get(index, 0))  # the other speaker's "Mm-hmm." is no piece of her number
                while a < b and not text[a].isalnum():
                    a += 1
            if span.end > end:
                while b > a and not text[b - 1].isalnum():
                    b -= 1
            for c, d in self._without_asides(index, a, b):
                found += [(index, *piece) for piece in outside_marks(text, c, d)]
        return found

    def _without_asides(self, index: int, a: int, b: int) -> list[tuple[int, int]]:
        """The stretches of segment ``index``'s ``[a, b)`` outside the asides between a number's groups ("hold on,
        let me get a pen" goes out as said, not as [PHONE]), each without the spaces and punctuation at a cut."""
        text, start = self.texts[index], self.starts[index]
        stretches, at = [], a
        for aside_start, aside_end in self.asides:
            c, d = aside_start - start, aside_end - start
            if d <= at or c >= b:
                continue
            stretches.append((at, c))
            at = d
        stretches.append((at, b))
        kept = []
        for n, (c, d) in enumerate(stretches):
            while n > 0 and c < d and not text[c].isalnum():
                c += 1
            while n < len(stretches) - 1 and d > c and not text[d - 1].isalnum():
                d -= 1
            if c < d:
                kept.append((c, d))
        return kept


def detect_segments(
    texts: Sequence[str],
    known: list[KnownIdentifier] | None = None,
    detector: Callable[[str, list[KnownIdentifier] | None], list[Span]] = detect,
) -> list[Found]:
    """Proposed spans over a transcript's segments, read as one text; sorted by segment and offset. ``detector``:
    how one stretch is read (redact.foreign: another for a transcript in another language)."""
    joined = Joined(texts)
    spans: list[Span] = []
    for first, last, before, after in joined.blocks():
        offset = joined.starts[before]
        read = joined.read[offset : joined.end(after - 1)]
        own_start, own_end = joined.starts[first], joined.end(last - 1)
        for span in detector(read, known):
            start, end = span.start + offset, span.end + offset
            if start < own_end and own_start < end:
                spans.append(replace(span, start=start, end=end))
    found: list[Found] = []
    part = 0
    for span in merge(sorted(spans, key=lambda s: (s.start, -s.end)), joined.read):
        pieces = joined.pieces(span)
        shared = part if len(pieces) > 1 else None
        part += len(pieces) > 1
        for index, start, end in pieces:
            text = joined.texts[index][start:end]
            found.append(Found(index, replace(span, start=start, end=end, text=text), span, shared))
    return found
