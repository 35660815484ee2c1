"""Identifiers made of numbers and streets as speech-to-text writes them, numbers often as words and
nothing capitalised: dates said aloud ("oh three, seventeen, ninety four", "october ninth, nineteen ninety"),
numbered streets, highways and exits ("up by a hundred and fifth", "right off seventy seven", "exit two forty
one"), street names before a suffix and house numbers before them ("twelve oh four elm street"), streets named
by a cue ("the corner of X and Y"), postcodes, phone numbers said in groups ("five five five, twelve thirty
four"), spoken e-mail addresses and social-media handles.

Every rule here is structural (a shape of spoken numbers, a suffix, a cue): no list of places. Counts, ages,
years, money, times of day and durations fall outside every shape or are stopped by the word after them
("seventy two hours", "at nine thirty tonight").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from fieldvault.redact.lexicon import (
    GENERIC_PLACES,
    HARD_NEGATIVES,
    ID_SCHEMES,
    INFORMAL,
    MONTHS,
    STOPWORDS,
    US_STATES,
    WEEKDAYS,
    dictionary,
    places,
    word_frequency,
)
from fieldvault.redact.patterns import WHERE, holiday, named_kind, typed
from fieldvault.redact.spans import Span

UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9
}  # fmt: skip
ORDINAL_TEENS = {
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
}  # fmt: skip
ORDINAL_TENS = {
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90,
}  # fmt: skip
_ZEROS = {"oh", "o", "zero"}
_REPEATS = {"double": 2, "triple": 3}
NUMBER_WORDS = (
    set(UNITS) | set(TEENS) | set(TENS) | set(ORDINAL_UNITS) | set(ORDINAL_TEENS) | set(ORDINAL_TENS)
    | _ZEROS | set(_REPEATS) | {"hundred", "thousand", "hundredth", "thousandth"}
)  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+(?:st|nd|rd|th)?")
_ORDINAL_DIGITS = re.compile(r"\d+(?:st|nd|rd|th)$")

# What a number can count: after one of these it is an amount, a time or an age, never a street or a phone.
COUNT_NOUNS = {
    "year", "years", "yrs", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute", "minutes",
    "second", "seconds", "dollar", "dollars", "bucks", "cents", "grand", "k", "pound", "pounds", "percent",
    "times", "time", "people", "girls", "guys", "men", "women", "kids", "of", "or", "to", "and", "am", "pm",
    "o'clock", "oclock", "tonight", "sharp", "exactly", "mg", "milligrams", "miles", "mile", "blocks", "feet",
    "foot", "inches", "degrees", "grams", "gram", "ounces", "pills", "bags", "seven", "more", "less", "plus",
    "something", "ish", "til", "till", "until", "in", "at", "a", "an", "the", "on", "yards", "points",
}  # fmt: skip


_AMOUNT_AFTER = COUNT_NOUNS - {"in", "at", "on", "a", "an", "the", "and", "to", "or"}


@dataclass(frozen=True)
class Token:
    word: str  # lowercase
    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """One number as said: "twelve", "oh four", "double five", "a hundred and fifth", "1204"."""

    start: int
    end: int
    value: int
    digits: str
    kind: str  # "digit" (one spoken digit), "oh" ("oh four"), "small" (10-99), "big" (hundred/thousand), "written"
    ordinal: bool = False
    joiner: str = ""  # the word said between this number and the one before: "slash", "dash"


def tokens(text: str) -> list[Token]:
    return [Token(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _joined(text: str, left: Token, right: Token, commas: bool = True) -> bool:
    """Two tokens with nothing but spaces (and, if ``commas``, commas or dashes) between them."""
    gap = text[left.end : right.start]
    return gap.strip(" ,-" if commas else " -") == "" and "\n" not in gap and len(gap) <= 3


def _below_hundred(text: str, toks: list[Token], i: int) -> tuple[int, int, bool] | None:
    """(value, next index, ordinal) of a number under a hundred at ``toks[i]``."""
    word = toks[i].word
    nxt = toks[i + 1].word if i + 1 < len(toks) and _joined(text, toks[i], toks[i + 1], commas=False) else ""
    if word in TENS:
        if nxt in UNITS:
            return TENS[word] + UNITS[nxt], i + 2, False
        if nxt in ORDINAL_UNITS:
            return TENS[word] + ORDINAL_UNITS[nxt], i + 2, True
        return TENS[word], i + 1, False
    for table, ordinal in ((TEENS, False), (UNITS, False), (ORDINAL_UNITS, True), (ORDINAL_TEENS, True)):
        if word in table:
            return table[word], i + 1, ordinal
    if word in ORDINAL_TENS:
        return ORDINAL_TENS[word], i + 1, True
    return None


def _chunk(text: str, toks: list[Token], i: int, first: bool) -> Chunk | None:
    """The number said at ``toks[i]``, or None. "oh" and "o" begin a run only before a digit ("oh three")."""
    word, n = toks[i].word, len(toks)
    start = toks[i].start

    def joined(j: int) -> bool:
        return j < n and _joined(text, toks[j - 1], toks[j], commas=False)

    if word.isdigit():
        return Chunk(start, toks[i].end, int(word), word, "written")
    if _ORDINAL_DIGITS.match(word):
        digits = word.rstrip("stndrh")
        return Chunk(start, toks[i].end, int(digits), digits, "written", ordinal=True)
    if word in _REPEATS and joined(i + 1) and (toks[i + 1].word in UNITS or toks[i + 1].word in _ZEROS):
        digit = str(UNITS.get(toks[i + 1].word, 0))
        return Chunk(start, toks[i + 1].end, 0, digit * _REPEATS[word], "digit")
    if word in _ZEROS:
        if joined(i + 1) and toks[i + 1].word in UNITS and joined(i + 2) and toks[i + 2].word == "hundred":
            unit = UNITS[toks[i + 1].word]  # "oh one hundred": a phone's last four, 0100
            return Chunk(start, toks[i + 2].end, unit * 100, f"0{unit}00", "big")
        if joined(i + 1) and toks[i + 1].word in UNITS:
            return Chunk(start, toks[i + 1].end, UNITS[toks[i + 1].word], "0" + str(UNITS[toks[i + 1].word]), "oh")
        return None if first else Chunk(start, toks[i].end, 0, "0", "digit")
    if word == "a" and joined(i + 1) and toks[i + 1].word in ("hundred", "thousand"):
        value, j, ordinal = 1, i + 1, False
    else:
        below = _below_hundred(text, toks, i)
        if below is None:
            return None
        value, j, ordinal = below
    kind = "digit" if value < 10 and j == i + 1 and word in UNITS else "small"
    for scale, size in (("hundred", 100), ("thousand", 1000)):
        if ordinal or not joined(j):
            break
        if toks[j].word == scale + "th":
            return Chunk(start, toks[j].end, value * size, str(value * size), "big", ordinal=True)
        if toks[j].word != scale:
            continue
        value, j, kind = value * size, j + 1, "big"
        k = j + 1 if joined(j) and toks[j].word == "and" else j
        # After "hundred" a lone digit goes on a phone number ("eight hundred, five five five"), not in it.
        if joined(k) and (k > j or scale == "thousand" or toks[k].word not in UNITS):
            rest = _below_hundred(text, toks, k)
            if rest is not None:
                value, j, ordinal = value + rest[0], rest[1], rest[2]
    end = toks[j - 1].end
    return Chunk(start, end, value, str(value), kind, ordinal)


_JOINERS = {"slash", "dash"}


def runs(text: str, toks: list[Token]) -> list[tuple[int, int, list[Chunk]]]:
    """Maximal runs of spoken or written numbers: (first token index, next token index, chunks)."""
    found: list[tuple[int, int, list[Chunk]]] = []
    i = 0
    while i < len(toks):
        chunks: list[Chunk] = []
        j = i
        while j < len(toks) and (not chunks or _joined(text, toks[j - 1], toks[j])):
            joiner = ""
            if chunks and toks[j].word in _JOINERS and j + 1 < len(toks) and _joined(text, toks[j], toks[j + 1]):
                joiner, j = toks[j].word, j + 1  # "three slash seventeen", "five five five dash oh one"
            chunk = _chunk(text, toks, j, first=not chunks)
            if chunk is None or (chunks and chunks[-1].ordinal) or (joiner and chunk.ordinal):
                if joiner:
                    j -= 1
                break
            chunks.append(replace(chunk, joiner=joiner) if joiner else chunk)
            while j < len(toks) and toks[j].start < chunk.end:
                j += 1
        if chunks:
            found.append((i, j, chunks))
            i = j
        else:
            i += 1
    return found


def _span(text: str, start: int, end: int, label: str, confidence: float) -> Span:
    return Span(start, end, label, "pattern", text[start:end], confidence)


def _dated(text: str, start: int, end: int) -> list[Span]:
    """A DATE span, unless it is only a holiday ("july fourth weekend")."""
    return [] if holiday(text, start, end) else [_span(text, start, end, "DATE", 0.8)]


def _end_of(toks: list[Token], chunk: Chunk) -> int:
    """The index of the token after ``chunk``."""
    return next((k for k, t in enumerate(toks) if t.start >= chunk.end), len(toks))


def _word_after(toks: list[Token], j: int) -> str:
    return toks[j].word if j < len(toks) else ""


def _word_before(toks: list[Token], i: int, back: int = 1) -> str:
    return toks[i - back].word if i - back >= 0 else ""


# --- dates ---------------------------------------------------------------------------------------------------

# Before "may" only where it is the month: "in may of twenty nineteen", "since may twenty twenty".
_BEFORE_MONTH = {"in", "of", "since", "until", "till", "by", "early", "late", "mid", "last", "this", "next", "before",
                 "after", "around", "from", "through", "between", "and", "or", "that", "on"}  # fmt: skip
# Right before a month and day said as two numbers: "my birthday is three fourteen", "birthday's on ten twelve".
_BIRTHDAY_IS = re.compile(r"\b(?:birthday|bday|b-day)(?:\s+is|['’]s)(?:\s+on)?\s+$", re.I)
_DATE_CUE = re.compile(r"\b(?:born|birth|birthday|bday|b-day|dob|d\s?o\s?b|date|dated|anniversary)\b", re.I)
_MONTH_NAMES = {m: n for n, m in enumerate(MONTHS, 1)} | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip


# Holidays on one day of the year (with a year, a date) and those that move (a date only after a birth's cue).
_FIXED_HOLIDAYS = (
    r"(?:christmas(?:\s+(?:day|eve))?|new\s+year['’]?s(?:\s+(?:day|eve))?|valentine['’]?s(?:\s+day)?|halloween|"
    r"independence\s+day|(?:st\.?|saint)\s+patrick['’]?s\s+day|veterans\s+day|april\s+fool['’]?s(?:\s+day)?|"
    r"cinco\s+de\s+mayo|juneteenth|boxing\s+day|canada\s+day|anzac\s+day|waitangi\s+day|remembrance\s+day|"
    r"bonfire\s+night|guy\s+fawkes(?:\s+night)?|the\s+fourth\s+of\s+july|july\s+(?:fourth|4th))"
)
_HOLIDAYS = (
    rf"(?:{_FIXED_HOLIDAYS}|thanksgiving(?:\s+day)?|easter(?:\s+(?:sunday|monday))?|mother['’]?s\s+day|"
    r"father['’]?s\s+day|labou?r\s+day|memorial\s+day|victoria\s+day|good\s+friday)"
)
_FIXED = re.compile(_FIXED_HOLIDAYS, re.I)
_HOLIDAY_YEAR = re.compile(rf"\b{_HOLIDAYS}(?:\s+(?:weekend|week))?[\s,]+(?:of\s+|in\s+)?(?=\S)", re.I)
# A fixed holiday after a birth's cue is a day of the year: "my birthday is new year's day", "born on halloween".
_BIRTH_HOLIDAY = re.compile(
    rf"\b(?:born\s+on|(?:birthday|bday|b-day)(?:['’]s|\s+is|\s+was)(?:\s+on)?)\s+({_FIXED_HOLIDAYS})\b", re.I
)
_BORN_IN = re.compile(r"[^.?!]{0,40}?\bborn\s+in\s+$", re.I)
# A day named by a holiday after a birth: "my son's birthday is the day after christmas".
_DAY_BY_HOLIDAY = re.compile(rf"\b(?:the\s+)?(?:day|night|week)\s+(?:before|after)\s+{_HOLIDAYS}\b", re.I)


def _year(chunks: list[Chunk]) -> bool:
    """A year said the way people say one: "nineteen ninety four", "two thousand one", "twenty nineteen",
    "nineteen oh two", 1994."""
    if len(chunks) == 1:
        c = chunks[0]
        return not c.ordinal and 1900 <= c.value <= 2099 and (c.kind in ("big", "written"))
    if len(chunks) == 2:
        century, rest = chunks
        return (
            century.value in (19, 20) and century.kind == "small" and not rest.ordinal
            and (rest.kind == "oh" or (rest.kind == "small" and rest.value >= 10))
        )  # fmt: skip
    return False


def _misheard_year(chunks: list[Chunk]) -> bool:
    """Two numbers of two digits where a year was said: ASR's "ninety ninety" for "nineteen ninety"."""
    return len(chunks) == 2 and all(c.kind == "small" and not c.ordinal and c.value >= 10 for c in chunks)


def _short_year(chunk: Chunk) -> bool:
    """A year said as two digits: "ninety four", "oh two", "'94"."""
    return not chunk.ordinal and (chunk.kind == "oh" or (chunk.kind == "small" and chunk.value >= 20) or (
        chunk.kind == "written" and len(chunk.digits) == 2))  # fmt: skip


def _year_after(toks: list[Token], chunks: list[Chunk]) -> bool:
    """A year, full or short, that no count noun follows ("ninety one", not "ninety miles")."""
    short = len(chunks) == 1 and _short_year(chunks[0])
    return _year(chunks) or (short and _word_after(toks, _end_of(toks, chunks[-1])) not in _AMOUNT_AFTER)


def _dates(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    spans = []
    by_start = {i: (j, chunks) for i, j, chunks in number_runs}
    by_end = {j: (i, chunks) for i, j, chunks in number_runs}
    for i, tok in enumerate(toks):
        month = _MONTH_NAMES.get(tok.word)
        if month is None or (len(tok.word) == 3 and tok.word not in MONTHS and text[tok.end : tok.end + 1] != "."):
            continue  # "jun." is June; "may" is the month only where no verb can stand (QA C21: "in may of 2019")
        # "may" with no cue before it is the month only with a year said after it ("i came home may twenty, twenty
        # nineteen": unseen80); a verb never follows "may" as a number does
        bare_may = tok.word == "may" and not text[tok.start].isupper() and _word_before(toks, i) not in _BEFORE_MONTH
        k = i + 1
        if _word_after(toks, k) in ("the", "of"):
            k += 1
        if k not in by_start or not _joined(text, toks[k - 1], toks[k]):
            continue
        j, chunks = by_start[k]
        day_before = _word_before(toks, i) == "of" and i >= 2 and i - 1 in by_end and by_end[i - 1][1][-1].ordinal
        # "february of oh nine"; "the twelfth of october, ninety eight"
        # "march ninety four": no day is over 31, so a short year (a lowercase "may" or "march" only after a cue)
        cue = bool(_DATE_CUE.search(text[max(0, tok.start - 60) : tok.start]))
        no_day = chunks[0].value > 31 and (tok.word not in ("may", "march") or cue)
        short = (toks[k - 1].word == "of" or day_before or no_day) and len(chunks) == 1 and _year_after(toks, chunks)
        if (_year(chunks) or (short and not bare_may)) and toks[k - 1].word != "the":  # "march of nineteen ninety four"
            start = tok.start
            if day_before:
                first = by_end[i - 1][0]  # "the fourth of july, two thousand one"
                start = toks[first - 1 if _word_before(toks, first) == "the" else first].start
            spans.append(_span(text, start, chunks[-1].end, "DATE", 0.8))
            continue
        day, rest = chunks[0], chunks[1:]
        if not 1 <= day.value <= 31 or day.kind in ("big", "oh"):
            continue
        if not rest and j in by_start and _joined(text, toks[j - 1], toks[j]):  # "october ninth, nineteen ninety"
            rest = by_start[j][1]
        short = (
            len(rest) == 1 and _short_year(rest[0]) and _word_after(toks, _end_of(toks, rest[-1])) not in _AMOUNT_AFTER
        )
        if rest and (_year(rest) or (short and not bare_may)):  # "october ninth, nineteen ninety", "march third, 94"
            spans.append(_span(text, tok.start, rest[-1].end, "DATE", 0.85))
            continue
        if bare_may or len(chunks) > 1:
            continue  # "june twenty, five of us": a day and then more numbers that are no year
        cased = text[tok.start].isupper()
        ambiguous = tok.word in ("may", "march") and not cased
        # a count follows a number, never an ordinal: "june twenty people", but "march 14th at grady"
        counts = ORDINAL_FOLLOWERS - {"of"} if day.ordinal else COUNT_NOUNS - {"of", "and", "to", "in"}
        if (day.ordinal or not ambiguous) and _word_after(toks, j) not in counts:
            spans += _dated(text, tok.start, day.end)
    for i, j, chunks in number_runs:  # "the 17th March 1994", "seventeen march, nineteen ninety four"
        month_word = _word_after(toks, j)
        # "the 14th, March, 2006": a comma after an ordinal day, where "the" goes before it or a year after
        apart = chunks[-1].ordinal and _word_before(toks, i) == "the"
        if month_word not in _MONTH_NAMES or not _joined(text, toks[j - 1], toks[j], apart):
            continue
        if (
            len(chunks) > 1
            or not 1 <= chunks[0].value <= 31
            or (month_word == "may" and not text[toks[j].start].isupper())
        ):
            continue
        end = toks[j].end
        if j + 1 in by_start and _joined(text, toks[j], toks[j + 1]):
            year = by_start[j + 1][1]
            end = year[-1].end if _year(year) or (len(year) == 1 and _short_year(year[0])) else end
        if not chunks[-1].ordinal and end == toks[j].end:
            continue  # "seventeen march nineteen ninety four" is a date; "two march" without a year is not
        first = i - 1 if _word_before(toks, i) == "the" else i
        spans += _dated(text, toks[first].start, end)
    by_start_runs = {i: chunks for i, _j, chunks in number_runs}
    for i, j, chunks in number_runs:  # "the third of the third, ninety one": the day and the month as ordinals
        ordinal_day, nth = chunks[0], by_start_runs.get(j + 2)
        if not (
            len(chunks) == 1 and ordinal_day.ordinal and 1 <= ordinal_day.value <= 31 and _word_before(toks, i) == "the"
            and _word_after(toks, j) == "of" and _word_after(toks, j + 1) == "the"
            and nth and len(nth) == 1 and nth[0].ordinal and 1 <= nth[0].value <= 12
        ):  # fmt: skip
            continue
        at = _end_of(toks, nth[-1])
        said_year = by_start_runs.get(at)
        if said_year and _joined(text, toks[at - 1], toks[at]) and _year_after(toks, said_year):
            spans.append(_span(text, toks[i - 1].start, said_year[-1].end, "DATE", 0.8))
    for match in _HOLIDAY_YEAR.finditer(text):  # "born on christmas day two thousand and three"
        said_year = by_start_runs.get(next((k for k, t in enumerate(toks) if t.start >= match.end()), len(toks)))
        if not said_year:
            continue
        born = _DATE_CUE.search(text[max(0, match.start() - 60) : match.start()]) is not None
        # a fixed day with a full year needs no cue: "new years eve two thousand sixteen", "april fools day, 2020"
        fixed = _FIXED.match(text, match.start()) is not None and _year(said_year)
        counted = _word_after(toks, _end_of(toks, said_year[-1])) in _AMOUNT_AFTER  # "... two thousand three people"
        if (fixed and not counted) or (born and _year_after(toks, said_year)):
            spans.append(_span(text, match.start(), said_year[-1].end, "DATE", 0.8))
    for match in _DAY_BY_HOLIDAY.finditer(text):
        if _DATE_CUE.search(text[max(0, match.start() - 60) : match.start()]):
            spans.append(_span(text, match.start(), match.end(), "DATE", 0.7))
    spans += [_span(text, m.start(1), m.end(1), "DATE", 0.7) for m in _BIRTH_HOLIDAY.finditer(text)]
    for i, _j, chunks in number_runs:  # a date of birth said digit by digit: "oh three one seven nine four"
        digits = "".join(c.digits for c in chunks)
        if (
            len(digits) in (6, 8)
            and all(c.kind in ("digit", "oh") for c in chunks)
            and _DATE_CUE.search(text[max(0, toks[i].start - 60) : toks[i].start])
        ):
            month_number, day_number = int(digits[:2]), int(digits[2:4])
            if 1 <= month_number <= 12 and 1 <= day_number <= 31:
                spans.append(_span(text, chunks[0].start, chunks[-1].end, "DATE", 0.8))
    for i, _j, chunks in number_runs:  # digit by digit, the year in words: "zero three one four nineteen ninety"
        lead, digits = 0, ""
        while lead < len(chunks) and chunks[lead].kind in ("digit", "oh") and len(digits) < 4:
            digits, lead = digits + chunks[lead].digits, lead + 1
        rest = chunks[lead:]
        if len(digits) != 4 or not rest or not _DATE_CUE.search(text[max(0, toks[i].start - 60) : toks[i].start]):
            continue
        if (
            1 <= int(digits[:2]) <= 12
            and 1 <= int(digits[2:]) <= 31
            and (_year(rest) or (len(rest) == 1 and _short_year(rest[0])) or _misheard_year(rest))
        ):
            spans.append(_span(text, chunks[0].start, chunks[-1].end, "DATE", 0.8))
    for i, _j, chunks in number_runs:  # a day named by its weekday or as her birthday: "tuesday the fourteenth"
        if (
            len(chunks) != 1
            or not chunks[0].ordinal
            or not 1 <= chunks[0].value <= 31
            or _word_before(toks, i) != "the"
        ):
            continue
        named = _word_before(toks, i, 2)
        if _word_after(toks, i + 1) in ORDINAL_FOLLOWERS:
            continue  # "on tuesday the first time", "the fourth of july" (a holiday's own rule)
        birthday = _BIRTHDAY_IS.search(text[max(0, toks[i - 1].start - 30) : toks[i - 1].start]) is not None
        if named in WEEKDAYS or named in ("birthday", "bday") or birthday:  # "born on the fourth" names no date
            spans.append(_span(text, toks[i - 1].start, chunks[0].end, "DATE", 0.7))
    for i, _j, chunks in number_runs:  # a birthday without its year: "my birthday is three fourteen"
        if len(chunks) != 2 or chunks[0].ordinal or not _BIRTHDAY_IS.search(text[: toks[i].start]):
            continue
        said_month, said_day = chunks  # a month and a day of ten or more: "three fourteen", not "three two"
        if 1 <= said_month.value <= 12 and 10 <= said_day.value <= 31:
            spans.append(_span(text, said_month.start, said_day.end, "DATE", 0.7))
    for i, _j, chunks in number_runs:  # "oh three, seventeen, ninety four", "three seventeen ninety four"
        if len(chunks) not in (3, 4) or any(c.ordinal or c.kind == "big" for c in chunks[:2]):
            continue
        if len({c.joiner for c in chunks[1:3]}) > 1 or (chunks[1].joiner == "dash" and chunks[0].kind != "oh"):
            continue  # "three slash seventeen slash ninety four" joins alike; a dash is a phone's
        numeric_month, day, year = chunks[0], chunks[1], chunks[2:]
        cue = bool(_DATE_CUE.search(text[max(0, toks[i].start - 60) : toks[i].start]))
        # the day first, after a cue, where a month can be no more than twelve ("my date of birth is fourteen, three,
        # oh six", "twenty three, eleven, eighty eight": Irish, British and Australian order)
        day_first = cue and 13 <= numeric_month.value <= 31 and 1 <= day.value <= 12
        # A day said "oh nine" only beside a month said "oh four" or after a cue ("oh four, oh nine, ninety five")
        if not ((1 <= numeric_month.value <= 12 and 1 <= day.value <= 31) or day_first) or (
            day.kind == "oh" and not (cue or numeric_month.kind == "oh")
        ):
            continue
        if not ((len(year) == 1 and _short_year(year[0])) or _year(year)):
            continue
        if cue or numeric_month.kind == "oh" or day.joiner == "slash":
            spans.append(_span(text, numeric_month.start, chunks[-1].end, "DATE", 0.75))
    spans = [_with_day_and_year(text, toks, number_runs, span) for span in spans]
    return spans + _year_of_birth(text, toks, number_runs, spans)


def _year_of_birth(
    text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]], dates: list[Span]
) -> list[Span]:
    """The year of a birthday said apart from its day, in the same sentence (QA D3, D26): "my birthday's on
    halloween, i was born in ninety four", "her birthday is the ninth, and she was born in two thousand twelve".
    A year alone is no date; beside the day of a birth it completes one."""
    spans = []
    for i, _j, chunks in number_runs:
        said = text[max(0, toks[i].start - 60) : toks[i].start]
        born = _BORN_IN.search(said)
        if born is None or not _year_after(toks, chunks):
            continue
        start = toks[i].start - len(said) + born.start()
        day = [
            d for d in dates
            if start - 20 <= d.end <= toks[i].start and _BIRTH_NEAR_DAY.search(text, max(0, d.start - 40), d.start)
        ]  # fmt: skip
        if day and not any(_year(c) or _short_year(c[-1]) for c in _runs_in(number_runs, day[-1])):
            spans.append(_span(text, chunks[0].start, chunks[-1].end, "DATE", 0.7))
    return spans


_BIRTH_NEAR_DAY = re.compile(r"\b(?:born|birthday|bday|b-day)(?:['’]s)?\b[^.?!]{0,25}$", re.I)


def _runs_in(number_runs: list[tuple[int, int, list[Chunk]]], span: Span) -> list[list[Chunk]]:
    return [chunks for _i, _j, chunks in number_runs if span.start <= chunks[0].start and chunks[-1].end <= span.end]


_THE_DAY_AFTER = re.compile(r",?\s+(?:on\s+)?the\s+")
_YEAR_BEFORE = re.compile(r",?\s+$")
_IN_YEAR = re.compile(r",?\s+(?:in|of)\s+")  # "... in ninety seven", "march 14th of 2006"


def _with_day_and_year(
    text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]], span: Span
) -> Span:
    """A date with the day said after it or the year said before it (QA C7): "march of ninety nine, the twenty
    first", "in two thousand twelve, march the ninth"."""
    start, end = span.start, span.end
    for i, j, chunks in number_runs:
        then = _THE_DAY_AFTER.match(text, end)
        day = chunks[0]
        if then and toks[i].start == then.end() and len(chunks) == 1 and day.ordinal and 1 <= day.value <= 31:
            if _word_after(toks, j) not in ORDINAL_FOLLOWERS:
                end = day.end
        gap = text[chunks[-1].end : start]
        if chunks[-1].end < start and _YEAR_BEFORE.fullmatch(gap) and _year(chunks) and "," in gap:
            start = chunks[0].start
        said_in = _IN_YEAR.match(text, end)  # "the day before thanksgiving in ninety seven"
        if said_in and toks[i].start == said_in.end() and _year_after(toks, chunks):
            end = chunks[-1].end
    return span if (start, end) == (span.start, span.end) else _span(text, start, end, span.label, span.confidence)


# A full stop after a date ends the sentence ("i was born 06.09.1988."); a dot and a digit go on a number.
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([-.])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]|\.\d)")


_DAY_AND_MONTH = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})(?![\d/-]|\.\d)")


def _numeric_dates(text: str) -> list[Span]:
    """3-17-94, 03.17.1994 (3/17/94 is the pattern layer's); a month and a day alone after a birth's cue ("my
    birthday is 3/14"; not "1/2 a gram")."""
    spans = []
    for match in _NUMERIC_DATE.finditer(text):
        first, second = int(match.group(1)), int(match.group(3))
        if (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31):
            spans.append(_span(text, match.start(), match.end(), "DATE", 0.95))  # not a case number
    for match in _DAY_AND_MONTH.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        born = _BIRTH_NEAR.search(text[max(0, match.start() - 30) : match.start()])
        if born and ((1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31)):
            spans.append(_span(text, match.start(), match.end(), "DATE", 0.8))
    return spans


_BIRTH_NEAR = re.compile(
    r"\b(?:born(?:\s+on)?|birthday|bday|b-day|d\.?o\.?b\.?|date\s+of\s+birth)(?:['’]s|\s+(?:is|was))?[\s,:]*(?:on\s+)?$",
    re.I,
)


# --- streets, highways, exits, postcodes -------------------------------------------------------------------

STREET_SUFFIXES = {
    "street", "avenue", "boulevard", "blvd", "road", "highway", "hwy", "parkway", "pkwy", "pike", "turnpike",
    "expressway", "freeway",
}  # fmt: skip
# Suffixes that are everyday nouns too ("a long drive", "in court", "her place"): named only after a house
# number, a capitalised name, or a street preposition with a word that is no generic one.
WEAK_SUFFIXES = {"drive", "lane", "way", "court", "place", "circle", "terrace", "trail", "loop", "row", "crescent",
                 "close", "grove", "square", "plaza", "alley", "walk", "gardens", "mews", "wynd", "parade", "quay",
                 "esplanade", "promenade"}  # fmt: skip
# A suffix after one of these is a kind of road, not a named one: "a dirt road", "memory lane", "drug court".
GENERIC_STREET_WORDS = {
    "dirt", "gravel", "back", "side", "main", "long", "country", "toll", "private", "public", "dead", "end", "way",
    "open", "same", "other", "wrong", "rocky", "silk", "high", "paved", "dark", "busy", "quiet", "empty", "next",
    "whole", "entire", "rough", "bumpy", "winding", "old", "new", "ring", "slip", "service", "access", "frontage",
    "logging", "fire", "farm", "county", "state", "city", "town", "local", "major", "narrow", "wide", "steep",
    "muddy", "icy", "lonely", "lane", "easy", "sesame", "crooked", "straight", "little", "big", "small", "short",
    "great", "good", "bad", "middle", "center", "centre", "front", "cross", "crossing", "interstate", "federal",
    "national", "two", "four", "one", "memory", "fast", "slow", "bike", "turn", "left", "right", "passing",
    "traffic", "carpool", "express", "family", "drug", "juvenile", "municipal", "district", "superior", "supreme",
    "criminal", "civil", "divorce", "night", "food", "basketball", "tennis", "inner", "social", "vicious", "paper",
    "bread", "first", "last", "safe", "happy", "better", "best", "nice", "hiding", "meeting", "market",
    "work", "time", "this", "that", "any", "every", "each", "no", "some", "his", "her", "their", "our",
    "my", "your", "its", "whose", "which", "what", "clear", "milky", "ghost", "yellow", "brick", "residential",
    "dangerous", "scary", "own", "street", "road", "avenue", "highway", "another", "different", "various", "possible",
    "several", "many", "all", "both", "either", "neither", "certain", "whatever", "only", "death", "skid", "hard",
    "recovery", "campaign", "lovers", "lover's",
}  # fmt: skip
# Everyday words that name the streets of many towns, said bare before "street": "on main street", "on state street".
_TOWN_STREETS = {"main", "state", "market", "high", "center", "centre", "church", "water", "union", "college"}
# After a suffix, these make it a modifier: "street corner", "street smarts", "road trip", "highway patrol".
_SUFFIX_AS_MODIFIER = {
    "corner", "corners", "smart", "smarts", "cred", "name", "names", "life", "level", "walker", "walkers", "kid",
    "kids", "drugs", "value", "fight", "fights", "trip", "trips", "rage", "side", "patrol", "robbery", "sign",
    "signs", "lights", "light", "vendor", "vendors", "map", "maps", "sweeper", "people", "family", "game",
    "hustle", "work", "worker", "workers", "girl", "girls", "test", "block", "blocks", "sense", "ball", "house",
}  # fmt: skip
_DIRECTIONS = {"north", "south", "east", "west", "n", "s", "e", "w", "ne", "nw", "se", "sw", "northeast",
               "northwest", "southeast", "southwest"}  # fmt: skip
_STREET_PREPS = {"on", "off", "at", "near", "by", "onto", "down", "up", "across", "of", "from", "to", "past",
                 "along", "and", "crossed", "cross", "between", "toward", "towards", "behind"}  # fmt: skip
# Prepositions that place a street but never begin its name (most others are stopwords already).
_PLACING = {"near", "behind", "past", "across", "along", "toward", "towards", "onto"}
# Verbs a street name follows without a preposition ("we walked union avenue"): never part of the name.
_VERBS = {
    "walk", "walked", "walking", "work", "worked", "working", "live", "lived", "living", "stay", "stayed",
    "staying", "hit", "ran", "run", "running", "hang", "hung", "cross", "crossed", "take", "took", "taking",
    "drive", "drove", "driving", "turn", "turned", "park", "parked", "sell", "sold", "selling", "grew", "moved",
    "move", "went", "go", "going", "got", "get", "is", "was", "were", "be", "been", "called", "named", "known",
    "stroll", "strolled", "strolling", "walks", "works", "lives", "stays", "hits", "hangs", "runs",
}  # fmt: skip


def _verb_form(word: str) -> bool:
    """A word that is a verb here: a listed one, or an -ed/-ing form of a dictionary word ("hustling")."""
    if word in _VERBS:
        return True
    ordinary = dictionary()[0]
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            if stem in ordinary or stem + "e" in ordinary or (stem[-1] == stem[-2:-1] and stem[:-1] in ordinary):
                return True
    return False


# The words of a state's name: before "avenue" or "street" a street's ("nebraska avenue"), not a hard negative.
_STATE_WORDS = {w for state in US_STATES for w in state.split()} - STOPWORDS - _DIRECTIONS
_STATE_SUFFIXES = {"avenue", "street", "boulevard", "blvd", "turnpike", "parkway", "pkwy"}  # not "a texas highway"


def _name_word(word: str) -> bool:
    """A word that can be part of a street's name (not "he'd", "we'll")."""
    if re.search(r"['’](?:d|ll|re|ve|m|t)$", word) or re.sub(r"['’]s$", "", word) in STOPWORDS:
        return False
    return (
        word not in STOPWORDS and word not in HARD_NEGATIVES and word not in NUMBER_WORDS and not word.isdigit()
        and not _verb_form(word) and word not in COUNT_NOUNS and len(word) > 1
    )  # fmt: skip


def _house_number(text: str, toks: list[Token], i: int, by_end: dict[int, tuple[int, list[Chunk]]]) -> int | None:
    """Where a house number ends just before token ``i`` (a direction word may stand between) begins."""
    k = i - 1 if i > 0 and toks[i - 1].word in _DIRECTIONS else i
    if k in by_end and k > 0 and _joined(text, toks[k - 1], toks[min(k, len(toks) - 1)], commas=False):
        first, chunks = by_end[k]
        digits = "".join(c.digits for c in chunks)
        if not chunks[-1].ordinal and 1 <= len(digits) <= 5 and _word_before(toks, first) not in ("the", "of"):
            return first
    return None


def _digits_before(by_end: dict[int, tuple[int, list[Chunk]]], i: int) -> int:
    """How many digits the house number before token ``i`` (a direction may stand between) has."""
    number = by_end.get(i) or by_end.get(i - 1)
    return len("".join(c.digits for c in number[1])) if number else 0


def _streets(text: str, toks: list[Token], by_end: dict[int, tuple[int, list[Chunk]]]) -> list[Span]:
    spans = []
    for s, tok in enumerate(toks):
        strong, weak = tok.word in STREET_SUFFIXES, tok.word in WEAK_SUFFIXES
        if not (strong or weak) or s == 0 or _word_after(toks, s + 1) in _SUFFIX_AS_MODIFIER:
            continue
        if text[tok.end : tok.end + 2].startswith("'s") or text[tok.end : tok.end + 2].startswith("’s"):
            continue
        first = s
        while first > 0 and s - first < 4 and _joined(text, toks[first - 1], toks[first], commas=False):
            word = toks[first - 1].word
            if word in _PLACING:
                break  # "call 702 555 0187 near oyelaran st": the street begins after "near"
            lettered = first == s and len(word) == 1 and word.isalpha() and word not in "ai"  # "south k street"
            if not (_name_word(word) or lettered or (tok.word in _STATE_SUFFIXES and word in _STATE_WORDS)):
                break  # a state names streets too: "nebraska avenue", "pennsylvania avenue"
            first -= 1
        name_first = first
        if first == s:  # no name word: a numbered street ("forty second street", "105th street")
            number = by_end.get(s)
            if number is None or not number[1][-1].ordinal:
                continue
            name_first = number[0]
            if _word_before(toks, name_first) in _DIRECTIONS:
                name_first -= 1
        house = _house_number(text, toks, name_first, by_end)
        if first < s:
            words = [t.word for t in toks[first:s]]
            # "on main street" is a town's street; "the main street of town", "the main road" are none
            # "on state street", "up market street": a town's street named by its everyday use
            main_street = (
                len(words) == 1
                and words[0] in _TOWN_STREETS
                and tok.word == "street"
                and _word_before(toks, first) not in ("the", "a")
            )
            generic = not main_street and (
                words[-1] in GENERIC_STREET_WORDS or all(w in GENERIC_STREET_WORDS | _DIRECTIONS for w in words)
            )
            # "a dirt road", "the main road"; but "twenty seven fifteen west center street" is an address
            if generic and not (house is not None and _digits_before(by_end, name_first) >= 3):
                continue
        capitalised = all(text[t.start].isupper() for t in toks[name_first:s])
        before = _word_before(toks, name_first)
        if weak and house is None and not capitalised:
            possessive = text[toks[s - 1].end : toks[s - 1].end + 2] in ("'s", "’s")
            if before not in _STREET_PREPS or possessive or tok.word in ("place", "court", "way", "square"):
                continue
        start = toks[house if house is not None else name_first].start
        spans.append(_span(text, start, _cross_street(text, toks, s + 1, tok.end), "LOCATION", 0.75))
    return spans


_LIVED_AT = {"lived", "live", "lives", "living", "stayed", "stay", "stays", "staying"}
_MOVED = {"moved", "move", "moves", "moving"}
# Where someone lives, before "at" or "was" and a house number: "the house at 22 elm", "our place was 14 pine".
_HOMES = {"house", "home", "place", "apartment", "apt", "trailer", "duplex", "building", "address", "crib", "condo",
          "townhouse", "flat", "houses", "homes", "apartments"}  # fmt: skip
_FILLERS = {"like", "um", "uh", "number", "on", "just"}
# Words a small number can count or describe after "the house was": "3 bedroom", "2 story", "a 12 car garage".
_HOUSE_MEASURES = {"bedroom", "bedrooms", "bed", "bath", "baths", "story", "stories", "storey", "car", "cars",
                   "unit", "units", "level", "levels", "floor", "floors", "family", "room", "rooms", "percent",
                   "square", "acre", "acres", "doors", "houses", "blocks", "minute", "stop", "stops", "step",
                   "steps", "grade", "grades"}  # fmt: skip


def _address_cue(toks: list[Token], i: int) -> str:
    """What cues a house number at token ``i``: "lived" ("we lived at ..."), "home" ("the house at ...", "our place
    was like ..."), or ""."""
    k = i
    while k > 0 and toks[k - 1].word in _FILLERS and i - k < 2:
        k -= 1
    before, before2 = _word_before(toks, k), _word_before(toks, k, 2)
    if (before == "at" and before2 in _LIVED_AT) or (before in ("to", "into") and before2 in _MOVED):
        return "lived"  # "we lived at ...", "we moved to eleven twenty two hawthorne"
    if (before == "at" and before2 in _HOMES) or (before in ("was", "is", "at") and before2 in _HOMES):
        return "home"
    if before in ("house's", "place's", "address's", "home's"):
        return "home"
    return ""


def _lived_at(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """A house number and its street after "lived/stayed at" or a home's "at"/"was", with or without a suffix:
    "we lived at fourteen twenty two west maple", "i stayed at one one one one main", "We lived at 1422 West
    Maple", "the house at 22 elm", "our place was like fourteen pine"."""
    spans = []
    for i, j, chunks in number_runs:
        cue = _address_cue(toks, i)
        digits = "".join(c.digits for c in chunks)
        if not cue or any(c.ordinal for c in chunks) or not 1 <= len(digits) <= 5:
            continue
        if j == i + 1 and toks[i].word == "one":
            continue  # "we lived at one point in a car", "the house was one big room"
        strict = cue == "home" or len(digits) < 3  # "stayed at two different motels", "the house was 3 bedroom"
        last = j + 1 if _word_after(toks, j) in _DIRECTIONS else j
        while last < len(toks) and last - j < 4 and _joined(text, toks[last - 1], toks[last], commas=False):
            word = toks[last].word
            if word in STREET_SUFFIXES or word in WEAK_SUFFIXES:
                last += 1
                break
            if not (_name_word(word) or (word in HARD_NEGATIVES and word not in STOPWORDS)):
                break  # a state's name is a street's too: "nineteen oh five vermont"
            if strict and last == j and not _street_like(text, toks[last]):
                break
            last += 1
        if last > j and toks[last - 1].word not in _DIRECTIONS:
            spans.append(_span(text, chunks[0].start, toks[last - 1].end, "LOCATION", 0.75))
    return spans


_TO_AN_ADDRESS = {"at", "to", "on", "from", "near", "into", "was", "is"}


def _written_addresses(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """A house number written in digits with a capitalised street after it and no suffix: "we moved to 2212
    Telephone", "she picked me up from 1720 Chester" (not a year: "in 2015 Obama")."""
    spans = []
    for i, j, chunks in number_runs:
        number = chunks[0]
        if len(chunks) > 1 or number.kind != "written" or number.ordinal or not 3 <= len(number.digits) <= 5:
            continue
        if 1900 <= number.value <= 2099 or _word_before(toks, i) not in _TO_AN_ADDRESS:
            continue
        last = j
        while last < len(toks) and last - j < 3 and text[toks[last].start].isupper() and _name_word(toks[last].word):
            if not _joined(text, toks[last - 1], toks[last], commas=False):
                break
            last += 1
        if last > j:
            spans.append(_span(text, number.start, toks[last - 1].end, "LOCATION", 0.7))
    return spans


def _blocks_and_boxes(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """An address given by its block ("the twenty two hundred block of main", "the 2200 block of Telephone") or
    a post-office box ("p o box four one two", "PO Box 412")."""
    spans = []
    for i, j, chunks in number_runs:
        digits = "".join(c.digits for c in chunks)
        if any(c.ordinal for c in chunks) or not 1 <= len(digits) <= 6:
            continue
        k = i  # "p o box four one two", "My P.O. Box is 441", "po box number 1182"
        while k > 0 and i - k < 2 and toks[k - 1].word in ("is", "was", "number", "no", "box's"):
            k -= 1
        if toks[k - 1 if k > 0 else 0].word == "box's":
            k, toks_before = k, ("box", _word_before(toks, k, 2), _word_before(toks, k, 3))
        else:
            toks_before = (_word_before(toks, k), _word_before(toks, k, 2), _word_before(toks, k, 3))
        said = toks_before[1:]
        box = toks_before[0] in ("box", "box's") and (said[0] in ("po", "office") or said == ("o", "p"))
        if box:
            first = next(k for k in range(i - 1, -1, -1) if toks[k].word in ("po", "p", "post"))
            spans.append(_span(text, toks[first].start, chunks[-1].end, "LOCATION", 0.75))
            continue
        if 3 <= len(digits) <= 5 and (_word_after(toks, j), _word_after(toks, j + 1)) == ("block", "of"):
            last = j + 2
            while last < len(toks) and last - j < 5 and _name_word(toks[last].word):
                last += 1
            if last > j + 2:
                spans.append(_span(text, chunks[0].start, toks[last - 1].end, "LOCATION", 0.7))
    return spans


def _street_like(text: str, tok: Token) -> bool:
    """A word that can name a street after a small house number: no plural ("2 motels"), no measure ("3
    bedroom"), no everyday adjective ("2 different motels", "a 3 big rooms"); capitalised always can."""
    if text[tok.start].isupper():
        return True
    plural = tok.word.endswith("s") and not tok.word.endswith(("ss", "us", "is")) and len(tok.word) > 3
    generic = tok.word in GENERIC_STREET_WORDS - {"main", "center", "centre", "market", "cross", "front", "middle"}
    return not (plural or generic or tok.word in _HOUSE_MEASURES or tok.word in _ADJECTIVES)


# Everyday adjectives that follow a count ("two different motels", "three separate times"): never a street.
_ADJECTIVES = {"different", "separate", "other", "more", "extra", "whole", "full", "half", "cheap", "nasty",
               "crappy", "shitty", "dirty", "nice", "big", "small", "tiny", "huge", "little", "old", "new", "same",
               "total", "straight", "nights", "days"}  # fmt: skip


def _cross_word(word: str, first: bool) -> bool:
    """A word that can name the street crossing another: a name word, a state's name ("54th and vermont"), or a
    letter said alone ("3rd and k"; not "a" or "i")."""
    return _name_word(word) or word in US_STATES or (first and len(word) == 1 and word.isalpha() and word not in "ai")


def _cross_street(text: str, toks: list[Token], k: int, end: int) -> int:
    """Where a street ends with the street that crosses it: "seventeenth avenue and bethany home" (one or
    two name words after "and", then a stop)."""
    if _word_after(toks, k) != "and" or not _joined(text, toks[k - 1], toks[k], commas=False):
        return end
    last = k + 1
    while last < len(toks) and last - k <= 2 and _cross_word(toks[last].word, last == k + 1):
        if not _joined(text, toks[last - 1], toks[last], commas=False):
            break
        last += 1
    stop = _word_after(toks, last) in STOPWORDS or not _joined(
        text, toks[last - 1], toks[min(last, len(toks) - 1)], commas=False
    )
    return toks[last - 1].end if last > k + 1 and (stop or last == len(toks)) else end


_ROAD_CUES = {
    "interstate",
    "highway",
    "hwy",
    "route",
    "rte",
    "exit",
    "freeway",
    "sr",
    "fm",
    "loop",
    "us",
    "i",
    "marker",
}
# "county road nine", "farm road twelve": a road cue only after one of these.
_TRANSIT = {"bus", "buses", "train", "line", "trolley", "streetcar"}
_NUMBERED_ROADS = {"county", "state", "farm", "forest", "ranch", "township"}
_HIGHWAY_AFTER = {"freeway", "highway", "interstate", "expressway", "fwy", "loop", "beltway", "bypass", "tollway"}
_ROUTE_PREPS = {"off", "onto", "on", "along", "down", "up", "take", "took", "taking", "exit", "near", "past", "via"}


_MOTORWAY = re.compile(r"\b(?:the|off|onto|on|down|up|along|via|take|took)\s+([MAN]\d{1,4}(?:\(M\))?)\b", re.I)


def _motorways(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """British, Irish and Australian roads by letter and number: "down the M6", "off the A38", "up the m six"."""
    spans = [_span(text, m.start(1), m.end(1), "LOCATION", 0.7) for m in _MOTORWAY.finditer(text)]
    for i, _j, chunks in number_runs:
        road = _word_before(toks, i)
        if road in ("m", "a", "n") and _word_before(toks, i, 2) == "the" and chunks[0].kind in ("digit", "small"):
            if len(chunks) <= 2 and not any(c.ordinal for c in chunks) and _joined(text, toks[i - 1], toks[i], False):
                spans.append(_span(text, toks[i - 1].start, chunks[-1].end, "LOCATION", 0.6))
    return spans


def _roads(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """Highways, interstates, routes and exits with a number said aloud ("interstate thirty five", "exit two
    forty one", "right off seventy seven", "the four oh five"), and numbered streets after a street
    preposition ("up by a hundred and fifth", "on west forty second")."""
    spans = []
    for i, j, chunks in number_runs:
        digits = "".join(c.digits for c in chunks)
        before, after = _word_before(toks, i), _word_after(toks, j)
        joined_before = i > 0 and _joined(text, toks[i - 1], toks[i], commas=False)
        if joined_before and after == "mile" and before in _STREET_PREPS - {"of", "to", "from", "and"}:
            # "off eight mile", "on nine mile road": a road named by its mile, not a distance ("eight miles")
            suffix = _word_after(toks, j + 1) in STREET_SUFFIXES
            alone = j + 1 >= len(toks) or not _joined(text, toks[j], toks[j + 1], False)
            said = len(chunks) == 1 and chunks[0].kind in ("digit", "small") and not chunks[0].ordinal
            if said and (suffix or alone or _word_after(toks, j + 1) in STOPWORDS):
                spans.append(_span(text, toks[i].start, toks[j + 1 if suffix else j].end, "LOCATION", 0.65))
            continue
        if not joined_before or after in COUNT_NOUNS - {"and", "at", "on", "in", "to", "of", "a", "an", "the"}:
            continue
        if any(c.kind == "big" and not c.ordinal for c in chunks) and not chunks[-1].ordinal:
            continue  # "two hundred", "two thousand nine": amounts and years
        road = before == "road" and _word_before(toks, i, 2) in _NUMBERED_ROADS
        cue = before in _ROAD_CUES and (before not in ("i", "us") or _word_before(toks, i, 2) in _ROUTE_PREPS)
        if cue or road:
            if len(digits) <= 4 and not chunks[-1].ordinal:
                first = i - 2 if road or before == "marker" else i - 1
                end = toks[j].end if after in _HIGHWAY_AFTER else chunks[-1].end
                spans.append(_span(text, toks[first].start, end, "LOCATION", 0.8))
            continue
        if before == "the" and not chunks[-1].ordinal and 2 <= len(digits) <= 3:  # "the four oh five"
            if after in _HIGHWAY_AFTER:
                spans.append(_span(text, toks[i - 1].start, toks[j].end, "LOCATION", 0.75))
                continue
            spoken = (len(chunks) == 2 and len(digits) == 3) or (len(chunks) == 1 and chunks[0].end > toks[i].end)
            if spoken and _word_before(toks, i, 2) in _ROUTE_PREPS and after not in _TRANSIT:  # "the 42 bus"
                spans.append(_span(text, toks[i].start, chunks[-1].end, "LOCATION", 0.7))
            continue
        if before in ("off", "onto", "along", "on") and not chunks[-1].ordinal:
            compound = len(chunks) == 1 and chunks[0].kind == "small" and chunks[0].value > 20 and (
                chunks[0].value % 10 != 0 and chunks[0].end > toks[i].end)  # fmt: skip
            three = len(chunks) == 2 and chunks[0].kind == "digit" and chunks[1].kind in ("small", "oh")
            if (compound or three) and after not in NUMBER_WORDS:
                spans.append(_span(text, toks[i].start, chunks[-1].end, "LOCATION", 0.6))
            continue
        if not chunks[-1].ordinal or len(chunks) > 1 or after in ORDINAL_FOLLOWERS:
            continue
        if before == "and" and i >= 3 and _name_word(toks[i - 2].word) and _word_before(toks, i, 3) in _STREET_PREPS:
            if not _stops(text, toks, j):
                continue  # "at church and third service"
            joined = _joined(text, toks[i - 2], toks[i - 1], False) and _joined(text, toks[i - 1], toks[i], False)
            if toks[i - 2].word not in GENERIC_STREET_WORDS - {"main"} and joined:
                spans.append(_span(text, toks[i - 2].start, chunks[-1].end, "LOCATION", 0.6))  # "at main and fifth"
            continue
        end = _cross_street(text, toks, j, chunks[-1].end)
        prep = before in _STREET_PREPS - {"of", "to", "from", "and"}
        off = before == "off" or (before == "of" and _word_before(toks, i, 2) == "off")  # "off of fifth"
        if off and after not in COUNT_NOUNS:
            spans.append(_span(text, toks[i].start, end, "LOCATION", 0.6))
            continue
        # "on west forty second", "up by a hundred and fifth", "at fifth and main", "over on fifth"; not "at first",
        # "on second thought", "by fifth grade"
        small = before in _SMALL_ORDINAL_PREPS and 3 <= chunks[-1].value <= 10 and _stops(text, toks, j)
        if before in _DIRECTIONS or (prep and (chunks[-1].value > 10 or end > chunks[-1].end)) or small:
            start = toks[i - 1].start if before in _DIRECTIONS else toks[i].start
            spans.append(_span(text, start, end, "LOCATION", 0.65))
    return spans


def _stops(text: str, toks: list[Token], j: int) -> bool:
    """Nothing names more after token ``j - 1``: the end, a comma or a full stop, or a word that starts a new
    phrase ("on fifth by the school", "on fifth and he was"); not "on sixth and final warning", "third shift"."""
    if j >= len(toks) or not _joined(text, toks[j - 1], toks[j], commas=False):
        return True
    after = toks[j].word
    if after == "and":
        if j + 1 < len(toks) and len(toks[j + 1].word) == 1 and toks[j + 1].word not in "ai":
            return True  # "on 3rd and K": a letter street crosses it
        return j + 1 >= len(toks) or toks[j + 1].word in STOPWORDS or not _joined(text, toks[j], toks[j + 1], False)
    return after in STOPWORDS


# A small ordinal after one of these, with nothing after it, is a street: "we lived on fifth", "down third".
_SMALL_ORDINAL_PREPS = {"on", "onto", "down", "along", "past", "across", "near", "behind"}
# After an ordinal these make it a rank, not a street: "on twelfth grade", "by fifteenth birthday".
ORDINAL_FOLLOWERS = {
    "grade", "floor", "time", "times", "birthday", "place", "year", "day", "week", "month", "try", "round", "period",
    "offense", "offence", "strike", "chance", "shift", "child", "kid", "baby", "class", "row", "step", "level",
    "century", "amendment", "anniversary", "street", "avenue", "of", "or", "person", "visit", "date", "hour",
    "generation", "cousin", "pregnancy", "husband", "wife", "boyfriend", "girlfriend", "trimester", "inning",
}  # fmt: skip

_CORNER = re.compile(
    r"\b(?:corner|intersection|crossroads)\s+of\s+((?:[a-z0-9]+\s+){1,3}and\s+[a-z0-9]+(?:\s+[a-z0-9]+)?)", re.I
)
_STREET_CUE = re.compile(
    r"\b(?:(?:right|just)\s+off(?:\s+of)?|off\s+of|(?:lived|live|lives|living|stayed|stay|stays|staying|"
    r"house|apartment|apartments|place|over|worked|working|walked|walking)\s+on)\s+([a-z][a-z'’-]+)(?:\s+([a-z]+))?",
    re.I,
)


_PLACE_AFTER = re.compile(
    r",?\s+(?:(?:right|just|over|down|up|out)\s+)?(?:by(?!\s+(?:the\s+(?:end|time)|then|now|that|night|day|myself|"
    r"herself|himself|ourselves|themselves))|near|across\s+from|next\s+to|close\s+to|behind|past|between|"
    r"off\s+of|around\s+the\s+corner)\b",
    re.I,
)
# What "on" takes after these verbs without naming a street: "came over on foot", "stayed on track".
_ON_IDIOMS = {"foot", "purpose", "track", "time", "top", "board", "fire", "call", "duty", "hold", "edge", "campus",
              "base", "site", "schedule", "point", "course", "line", "drugs", "welfare", "disability", "assistance",
              "benefits", "food", "stamps", "faith", "hope", "credit", "tips", "autopilot", "lockdown", "watch",
              "camera", "speaker", "social", "facebook", "instagram", "snapchat", "tiktok", "twitter", "there", "water",
              "coffee", "ramen", "noodles", "cereal", "chips", "candy", "soda", "beer", "cigarettes", "cigs", "bread",
              "rice", "beans", "crackers", "pills", "junk", "fumes", "adrenaline", "caffeine",
              "eggshells", "air"}  # fmt: skip
_TRACK = re.compile(r"\bthe\s+((?:[a-z][a-z'’-]*\s+){1,2})(?:track|stroll|blade|strip)\b", re.I)
_TRACK_ON = re.compile(
    r"\bthe\s+(?:track|stroll|blade|strip|ho\s+stroll)\s+(?:on|off(?:\s+of)?|down\s+on)\s+([a-z]+)\b", re.I
)
# A kind of track, not a named one: "the fast track", "the race track", "the comic strip".
_GENERIC_TRACKS = {"race", "train", "railroad", "rail", "beaten", "comic", "light", "fast", "right", "wrong", "dirt",
                   "running", "same", "whole", "main", "other", "inside", "outside", "back", "new", "old", "bike",
                   "landing", "air", "film", "test", "strip"}  # fmt: skip


def _cued_streets(text: str) -> list[Span]:
    """Streets named by a cue alone: "the corner of seventh and elm", "lived on harrow", "right off meridian",
    and the named stretch of street where girls are walked ("the sunset track", "the figueroa stroll")."""
    spans = []
    for match in _TRACK.finditer(text):
        words = match.group(1).lower().split()
        if all(_name_word(w) for w in words) and words[-1] not in _GENERIC_TRACKS | GENERIC_STREET_WORDS:
            spans.append(_span(text, match.start(1), match.end(1) - 1, "LOCATION", 0.6))
    for match in _TRACK_ON.finditer(text):  # "on the blade on sunset", "worked the track off of aurora"
        if _name_word(match.group(1).lower()):
            spans.append(_span(text, match.start(1), match.end(1), "LOCATION", 0.6))
    for match in _CORNER.finditer(text):
        words = match.group(1).lower().split()
        if words[0] in STOPWORDS - NUMBER_WORDS or words[words.index("and") + 1] in STOPWORDS - NUMBER_WORDS:
            continue
        end = match.end(1)
        if words[-1] in STOPWORDS:
            end = match.start(1) + match.group(1).rstrip().rfind(" ")
        spans.append(_span(text, match.start(1), end, "LOCATION", 0.7))
    for match in _STREET_CUE.finditer(text):
        word = match.group(1).lower()
        if word in STOPWORDS | INFORMAL | GENERIC_PLACES | HARD_NEGATIVES | NUMBER_WORDS | _ON_IDIOMS:
            continue
        if _verb_form(word):
            continue
        second = (match.group(2) or "").lower()
        suffix = second in STREET_SUFFIXES | WEAK_SUFFIXES
        if second == "and" and not suffix and match.group().lower().startswith("liv"):
            continue  # "living on takis and dr pepper", "we lived on ramen and coffee": what she lived on
        capitalised = match.group(1)[0].isupper()
        # An everyday word is a street where a place follows it: "over on pine by the school", "lived on sugar,
        # right by the tracks"
        placed = _PLACE_AFTER.match(text, match.end(1)) and _street_like(text, Token(word, match.start(1), 0))
        if not capitalised and word_frequency(word) >= 3.9 and not placed:
            continue
        end = match.end(1)
        if suffix:
            end = match.end(2)
        spans.append(_span(text, match.start(1), end, "LOCATION", 0.55))
    return spans


_UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s?(\d[ABD-HJLNP-UW-Z]{2})\b", re.I)
_CA_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d\b", re.I)
_ZIP = re.compile(
    r"\b(?:zip|zipcode|zip\s+code|postal\s+code|postcode|post\s+code)(?:\s+(?:is|was)|['’]s)?[\s,:]*(\d{5}(?:-\d{4})?)\b",
    re.I,
)
_STATE_ZIP = re.compile(r"\b(?:[A-Za-z]{2}|[A-Za-z][a-z]+),?\s+(\d{5}(?:-\d{4})?)\b")
_SPOKEN_POSTCODE_CUE_ANY = re.compile(r"\b(?:postal\s+code|postcode|post\s+code)(?:\s+(?:is|was)|['’]s)?[\s,:]*", re.I)
_SPOKEN_POSTCODE_CUE = re.compile(
    r"\b(?:zip|zipcode|zip\s+code|postal\s+code|postcode|post\s+code)(?:\s+(?:is|was)|['’]s|\s+number)*[\s,:]*$",
    re.I,
)


def _uncued_zip(text: str, toks: list[Token], i: int, j: int, chunks: list[Chunk]) -> bool:
    """Five digits with no cue: written as one number that is no amount ("in Detroit 48205"; not "$10000", "20000
    dollars"), or said digit by digit and not counted ("four eight two oh five"; not "one two three four five")."""
    after = _word_after(toks, j) if j < len(toks) and _joined(text, toks[j - 1], toks[j], False) else ""
    if after in COUNT_NOUNS - {"in", "at", "on", "the", "and", "to", "or", "of"} or after in _TRANSIT:
        return False
    if len(chunks) == 1 and chunks[0].kind == "written":
        edges = text[chunks[0].start - 1 : chunks[0].start].strip() + text[chunks[0].end : chunks[0].end + 1].strip()
        decimal = re.match(r"[.,]\d", text[chunks[0].end : chunks[0].end + 2]) is not None  # "12500.50"
        return not (set(edges) & set("$£€#-%") or decimal or chunks[0].digits.endswith("000"))
    values = [c.value for c in chunks]
    steps = {b - a for a, b in itertools.pairwise(values)}
    return all(c.kind in ("digit", "oh") for c in chunks) and len(chunks) >= 4 and steps not in ({1}, {-1}, {0})


def _letter(tok: Token) -> bool:
    return len(tok.word) == 1 and tok.word.isalpha()


def _said_uk_postcodes(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """A British postcode said aloud with no cue: one or two letters, the district, then a digit and two letters
    ("g three four, nine d l", "l s nine seven t f"): two letters said alone after a digit are no word."""
    spans = []
    for i, j, chunks in number_runs:
        first = i - 2 if i >= 2 and _letter(toks[i - 2]) and _letter(toks[i - 1]) else i - 1
        if first < 0 or not all(_letter(t) for t in toks[first:i]) or toks[first].word in ("a", "i"):
            continue
        digits = "".join(c.digits for c in chunks)
        if not 2 <= len(digits) <= 3 or any(c.ordinal or c.kind == "big" for c in chunks) or j + 1 >= len(toks):
            continue
        tail = toks[j : j + 2]
        joined = all(_joined(text, a, b) for a, b in itertools.pairwise(toks[first : j + 2]))
        if joined and all(_letter(t) for t in tail) and not (j + 2 < len(toks) and _letter(toks[j + 2])):
            spans.append(_span(text, toks[first].start, tail[-1].end, "LOCATION", 0.7))
    return spans


def _postcode_part(word: str) -> bool:
    """A letter or a number said alone, or letters and digits written together ("ls9")."""
    mixed = word.isalnum() and any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
    return (len(word) == 1 and word.isalpha()) or word.isdigit() or word in NUMBER_WORDS or mixed


def _postcodes(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    spans = []
    for match in _UK_POSTCODE.finditer(text):
        if re.fullmatch(r"\d(?:st|nd|rd|th)", match.group(2), re.I) or not re.search(r"\d", match.group(1)):
            continue
        if match.group(1).isalpha() or (match.group(1) + match.group(2)).isdigit():
            continue
        spans.append(_span(text, match.start(), match.end(), "LOCATION", 0.8))
    for match in _CA_POSTCODE.finditer(text):
        spans.append(_span(text, match.start(), match.end(), "LOCATION", 0.8))
    for match in _ZIP.finditer(text):
        spans.append(_span(text, match.start(1), match.end(1), "LOCATION", 0.85))
    for match in _STATE_ZIP.finditer(text):
        state = match.group().split()[0].rstrip(",")
        if state.lower() in US_STATES or (state.isupper() and len(state) == 2):
            spans.append(_span(text, match.start(1), match.end(1), "LOCATION", 0.8))
    for i, j, chunks in number_runs:  # "zip code seven eight two oh one", "texas, seven eight two oh one"
        digits = "".join(c.digits for c in chunks)
        after_state = _word_before(toks, i) in US_STATES and _joined(text, toks[i - 1], toks[i])
        cued = _SPOKEN_POSTCODE_CUE.search(text[max(0, toks[i].start - 30) : toks[i].start])
        if (len(digits) == 5 and after_state) or (4 <= len(digits) <= 5 and cued):  # "postcode three one eight two"
            spans.append(_span(text, chunks[0].start, chunks[-1].end, "LOCATION", 0.85))
        elif len(digits) == 5 and _uncued_zip(text, toks, i, j, chunks):
            place = i > 0 and (_word_before(toks, i) == "in" or _name_word(_word_before(toks, i)))  # "detroit 48205"
            spans.append(_span(text, chunks[0].start, chunks[-1].end, "LOCATION" if place else "ID", 0.6))
    for match in _SPOKEN_POSTCODE_CUE_ANY.finditer(text):  # "the postcode was l s nine, seven t f"
        i = next((k for k, t in enumerate(toks) if t.start >= match.end()), len(toks))
        last = i
        while last < len(toks) and last - i < 8 and _postcode_part(toks[last].word):
            if last > i and not _joined(text, toks[last - 1], toks[last]):
                break
            if last > i and toks[last].word in ("a", "i") and "," in text[toks[last - 1].end : toks[last].start]:
                break  # "postcode three one eight two, i had it on all my forms"
            last += 1
        if last - i >= 3 and any(not t.word.isdigit() and t.word not in NUMBER_WORDS for t in toks[i:last]):
            spans.append(_span(text, toks[i].start, toks[last - 1].end, "LOCATION", 0.8))
    spans += _said_uk_postcodes(text, toks, number_runs)
    # A Canadian postcode said aloud: letter, digit, letter, digit, letter, digit ("t two p one j nine").
    for i in range(len(toks) - 5):
        window = toks[i : i + 6]
        shape = [len(t.word) == 1 and t.word.isalpha() for t in window[0::2]] + [
            t.word in UNITS or t.word in _ZEROS or (t.word.isdigit() and len(t.word) == 1) for t in window[1::2]
        ]
        before = text[max(0, window[0].start - 40) : window[0].start]
        named = _ID_WORDS.search(before) is not None or named_kind(before)  # "my nin, four k, seven m, ..."
        if all(shape) and all(_joined(text, a, b) for a, b in itertools.pairwise(window)) and not named:
            spans.append(_span(text, window[0].start, window[-1].end, "LOCATION", 0.75))
    return spans


# --- phone numbers, e-mail addresses, handles, ID numbers ----------------------------------------------------

_ID_WORDS = re.compile(
    r"\b(?:social(?:\s+security)?|ssn|s\s+s\s+n|sin|insurance|passport|medicaid|medicare|member|policy|"
    r"driver'?s\s+licen[cs]e|licen[cs]e|dl|student|employee|alien|green\s+card|booking|inmate|case|docket|"
    r"cause|id|i\s+d|account|routing|pin|file|permit|warrant|citation|ticket|indictment|health(?:\s+card)?|nhs|chi|"
    rf"pps|ohip|patient|doc|offender|prisoner|{ID_SCHEMES})"
    rf"(?:\s+(?:number|no|#|num))?{WHERE}[\s,:]*(?:is|was|were|'s|it's|it\s+was)?[\s,:]*(?:like\s+)?$",
    re.I,
)
# Right before a phone number: "call me at", "text him on", "my number is", "her cell's", "reach me at".
_PHONE_LEAD = re.compile(
    r"(?:\b(?:call|text|reach|dial|ring|phone)(?:ed|ing|s)?(?:\s+(?:me|him|her|us|them))?(?:\s+(?:at|on))?|"
    r"\b(?:number|phone|cell|mobile|whatsapp)(?:\s+on\s+(?:it|there))?(?:['’]s|\s+(?:is|was|na|it's|it\s+was))?)"
    r"[\s,:]*(?:(?:like|uh|um|oh(?=,)|it['’]s|it\s+is|it\s+was|that['’]s)\b[\s,:]*){0,3}$",
    re.I,
)
_PHONE_CUE = re.compile(r"\b(?:area\s+code|number|phone|cell|call|text|reach|dial|line|hotline)\b", re.I)


# "his number ended in four four seven one"; a number's own word ends it without "in" ("his number ended, uh, five
# five, two one"), with fillers between.
_PARTIAL_CUE = re.compile(
    r"\b(?:(?:number|phone|cell|social|ssn|card|account|id|it)\s+(?:end(?:s|ed|ing)?\s+(?:in|with)|"
    r"start(?:s|ed)?\s+with)|(?:number|phone|cell|mobile)\s+end(?:s|ed)|last\s+(?:four|4|three|3)"
    r"(?:\s+(?:digits|numbers))?(?:\s+of\s+(?:my|his|her|the|your)(?:\s+[a-z]+){1,2})?\s+(?:is|are|was|were|'s))"
    r"[\s,:]*(?:(?:uh|um|umm|er|erm|like)\b[\s,:]*){0,2}$",
    re.I,
)


# A UK national insurance number (QQ 12 34 56 C), and a court's code after a case number (19-1-03382-7 SEA).
_NI_NUMBER = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.I)
_COURT_CODE = re.compile(r"\b\d[\d-]{5,}\d\s+([A-Z]{2,4})\b")


def _written_ids(text: str) -> list[Span]:
    spans = [_span(text, m.start(), m.end(), "ID", 0.85) for m in _NI_NUMBER.finditer(text)]
    spans += [_span(text, m.start(), m.end(), "ID", 0.8) for m in _COURT_CODE.finditer(text)]
    return spans


# A card's code after its number (numbers4's list): "the version code is KM", "security code was four four one".
_CODE_CUE = re.compile(r"\b(?:version|security|verification)\s+code(?:['’]s|\s+(?:is|was))?[\s,:]*(?:like\s+)?", re.I)


def _code_part(text: str, tok: Token) -> bool:
    """A letter or a digit said alone, digits, or letters written as a code ("KM"; lowercase "km" no word)."""
    word = tok.word
    if word in UNITS or word in _ZEROS or word.isdigit() or (len(word) == 1 and word not in ("a", "i")):
        return True
    said = text[tok.start : tok.end]
    return len(word) <= 4 and word.isalnum() and (said.isupper() or (word not in dictionary()[0] and len(word) <= 3))


def _codes(text: str, toks: list[Token]) -> list[Span]:
    spans = []
    for cue in _CODE_CUE.finditer(text):
        i = _index_at(toks, cue.end())
        last = i
        while last < len(toks) and last - i < 4 and _code_part(text, toks[last]):
            if last > i and not _joined(text, toks[last - 1], toks[last]):
                break
            last += 1
        if last > i and toks[i].start == cue.end():
            spans.append(_span(text, toks[i].start, toks[last - 1].end, "ID", 0.75))
    return spans


_AREA_CODE_SAID = re.compile(r"\barea\s+code(?:['’]s|\s+(?:is|was))?[\s,:]*$", re.I)
_AREA_CODE_LAST = re.compile(r"^,?\s*(?:and\s+)?(?:the\s+)?area\s+code(?:['’]s|\s+(?:is|was))?[\s,:]*$", re.I)


def _area_code_last(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """A seven-digit number with its area code said after it (QA D26): "five five five oh one four two, area code
    nine one six", "555-0142, and the area code is 916"."""
    spans = []
    for i, _j, chunks in number_runs:  # "the area code's nine one six": part of her phone, wherever it is said
        said = text[max(0, toks[i].start - 25) : toks[i].start]
        if len("".join(c.digits for c in chunks)) == 3 and _AREA_CODE_SAID.search(said):
            spans.append(_span(text, chunks[0].start, chunks[-1].end, "CONTACT", 0.7))
    for (_i, _j, number), (_k, _l, area) in itertools.pairwise(number_runs):
        digits, code = "".join(c.digits for c in number), "".join(c.digits for c in area)
        if len(digits) == 7 and len(code) == 3 and _AREA_CODE_LAST.match(text[number[-1].end : area[0].start]):
            spans.append(_span(text, number[0].start, area[-1].end, "CONTACT", 0.85))
    return spans


def _last_four_in_hundreds(toks: list[Token], j: int, chunks: list[Chunk]) -> bool:
    """A phone's last four said as hundreds or thousands ("twelve hundred", "forty four hundred", "two thousand",
    "three thousand five", "oh one hundred") after three or six digits said as a phone's groups ("two eight one,
    five five five"), or alone and no year; no year said before it ("nineteen eighty, ninety, two thousand"), no
    count after it ("twelve hundred dollars")."""
    last, before = chunks[-1], chunks[:-1]
    if last.kind != "big" or len(last.digits) != 4 or _word_after(toks, j) in _AMOUNT_AFTER:
        return False
    if not before:
        return not 1900 <= last.value <= 2099  # "it ended in two thousand three": a year
    digits = "".join(c.digits for c in before)
    year = len(before) >= 2 and before[0].kind == "small" and before[0].value in (19, 20) and before[1].value >= 10
    groups = len(digits) in (3, 6) or (len(digits) == 7 and digits[0] == "1")
    return groups and not year and all(c.kind in ("digit", "oh", "small") for c in before)


def _extensions(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """A phone's extension (QA D6, D14): "ext. 12", "extension 4471", "her extension was four four seven one"; not
    "an extension of 30 days", "a two week extension"."""
    spans = []
    for i, j, chunks in number_runs:
        k = i
        while k > 0 and i - k < 2 and toks[k - 1].word in ("is", "was", "number", "no", "it's"):
            k -= 1
        cue = _word_before(toks, k)
        gap = text[toks[k - 1].end : toks[k].start] if k > 0 else ""
        digits = "".join(c.digits for c in chunks)
        if cue not in ("extension", "ext", "extension's") or gap.strip(" .:#,") != "" or len(gap) > 3:
            continue
        if any(c.ordinal or (c.kind == "big" and c.value >= 1000) for c in chunks) or not 1 <= len(digits) <= 6:
            continue
        if _word_after(toks, j) not in _AMOUNT_AFTER:  # the number alone, as an ID's kind stays outside its span;
            first = toks[k - 1].start if cue == "ext" and k == i else chunks[0].start  # "ext. 12" (12 alone: steps)
            spans.append(_span(text, first, chunks[-1].end, "CONTACT", 0.75))
    return spans


# What may stand between a phone's groups: "six one two, um, five five five, and then oh, one, um, four four", "two
# oh six, so, eight three one", "eight one six, dash, four four one"; a zero said alone among them, also as Whisper
# hears it ("559, 555, No 172"); the marks of feet and inches Whisper writes for digits said in pairs ("5'5", 5'5",
# 0172": five five nine five five five, its 9 and a 5 lost).
_PHONE_GAP = re.compile(
    r"\b(?:and|then|uh|um|umm|uhm|er|erm|ah|hmm|like|so|okay|ok|dash|hyphen|oh|o|zero|no)\b|[\s,.'’\"”-]", re.I
)
_ZEROS_SAID = re.compile(r"\b(?:oh|o|zero|no)\b", re.I)


def _numbers(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """Phone numbers said in groups ("five five five, twelve thirty four", "nine double zero") and ID numbers
    said after their name ("my social is four fifty seven, fifty five, ...")."""
    spans = []
    for index, (i, j, chunks) in enumerate(number_runs):
        if any(c.ordinal for c in chunks):
            continue
        before = text[max(0, toks[i].start - 40) : toks[i].start]
        four = _last_four_in_hundreds(toks, j, chunks)  # "... five five five, twelve hundred" (QA D1)
        if any(c.kind == "big" and c.value >= 1000 for c in chunks) and not four:
            continue
        digits = "".join(c.digits for c in chunks)
        start, end = chunks[0].start, chunks[-1].end
        if four and len(digits) in (7, 10, 11) and (len(digits) == 10 or _PHONE_CUE.search(before)):
            spans.append(_span(text, start, end, "CONTACT", 0.8))
            continue
        if four and len(chunks) > 1:
            continue  # "... ninety, two thousand": no phone's shape
        if (_ID_WORDS.search(before) or named_kind(before)) and len(digits) >= 4 and len(chunks) >= 2:
            spans.append(_span(text, start, end, "ID", 0.8))
            continue
        # An area code said apart, whatever joins the groups after it: "area code two one four, and then five
        # five five ...", "area code 619, then 555, then 1234"; after a phone's cue too, over a full stop or a
        # segment break ("you can call me at 916. 5, 5, 5, 0, 1, 4, 2.", "my number is nine one six. five ...").
        area = re.search(r"area\s+code\W*$", before, re.I) is not None
        # A country's code said after "plus" ("plus forty four, seven seven double oh, ..."), whatever the cue.
        plus = i > 0 and _word_before(toks, i) == "plus" and len(chunks[0].digits) <= 3
        code = len(chunks[0].digits) if plus else 0
        # Outside North America a phone's groups have any size, fillers between them ("her number is nine one seven
        # four, uh, eight two zero six", "my phone is seven two, uh, three one, five five, four zero"): after a
        # phone's lead, groups said digit by digit that add up to a phone's length.
        lead = _PHONE_LEAD.search(before) is not None and not named_kind(before)
        by_digit = all(c.kind in ("digit", "oh") or (c.kind == "written" and len(c.digits) <= 5) for c in chunks)
        if code or ((len(digits) in (3, 6) and (area or lead)) or (lead and by_digit and 1 <= len(digits) <= 6)):
            total, last, after, previous = len(digits) - code, end, "", digits
            for _i, group_end, group in number_runs[index + 1 :]:
                gap = text[last : group[0].start]
                if len(re.sub(r"\s+", " ", gap)) > 24 or _PHONE_GAP.sub("", gap):
                    break  # (the blanks of an aside joined.Joined took out count as one space)
                zeros = len(_ZEROS_SAID.findall(gap))  # "and then oh, one": an "oh" said alone is a zero there
                group_digits = "".join(c.digits for c in group)
                # a group of three or more said again, read back while it is written down ("209... | Hold on. | So
                # that's 209..."), adds no digits (a digit said twice, "5'5"", is two)
                again, previous = len(previous) >= 3 and group_digits == previous, group_digits
                total, last = total + zeros + (0 if again else len(group_digits)), group[-1].end
                after = _word_after(toks, group_end)
                if total >= 10:
                    break
            # digits ASR dropped ("916. 5, 5, 4, 4, 2."), but no count after them ("called at 130. 2000 people")
            if code and 8 <= total <= 11:
                spans.append(_span(text, toks[i - 1].start, last, "CONTACT", 0.85))
                continue
            if not code and (total == 10 or (7 <= total <= 11 and not area and after not in _AMOUNT_AFTER)):
                spans.append(_span(text, start, last, "CONTACT", 0.85))
                continue
        # Part of a number after its cue: "his number ended in four four seven one", "the last four of my social
        # are six six two one", "my ssn starts with five seven two".
        partial = _PARTIAL_CUE.search(before)
        said = all(c.kind in ("digit", "oh", "small", "written") for c in chunks) or four
        if partial and 3 <= len(digits) <= 4 and said:
            label = (
                "ID" if re.search(r"\b(?:social|ssn|security|card|account|id)\b", partial.group(), re.I) else "CONTACT"
            )
            spans.append(_span(text, start, end, label, 0.8))
            continue
        if len(chunks) >= 3 and (len(digits) in (7, 10, 11) or (len(digits) >= 7 and _PHONE_CUE.search(before))):
            steps = {b.value - a.value for a, b in itertools.pairwise(chunks)}
            ascending = len(steps) == 1 and 0 not in steps  # counting: "one two three ...", "0 10 20 30"
            spelled = i > 0 and len(toks[i - 1].word) == 1 and toks[i - 1].word not in "ai"  # "c r two oh"
            if not ascending and not (spelled and _joined(text, toks[i - 1], toks[i])):
                spans.append(_span(text, start, end, "CONTACT", 0.85))  # over a dashed ID shape
                continue
        if _grouped_id(chunks, digits):
            spans.append(_span(text, start, end, "CONTACT" if len(digits) <= 11 else "ID", 0.8))
    return spans


# Between a phone's groups dictated or read back one by one with no cue, as Whisper writes them: stops, commas,
# trailing dots and the segment breaks ("So that's 559... | 555... | 0172?", "559. | 555. | 0172."), and the blanks
# where the other speaker's replies were ("559... | Mm-hmm. | 555...": joined.Joined reads them as a pause).
_STOPPED = re.compile(r"\s*(?:[.,…?!;:-]{1,3}\s*){0,2}")


def _clock(group: str) -> bool:
    """A time as a 24-hour clock writes it ("0830", "930"): hours under 24, minutes under 60."""
    return len(group) in (3, 4) and int(group[:-2]) < 24 and int(group[-2:]) < 60


def _groups_shaped(groups: list[str]) -> bool:
    """Groups a phone is dictated in: a North American 3-3-4 (area code and exchange begin with 2 to 9: not "120.
    150. 2000."); a number dialled at home with its trunk 0 (Ireland's 089 603 1174, the Philippines' 0917 123 4567,
    Britain's 07700 900 123, Australia's 0412 345 678: 9 to 11 digits, not all clock times, "0830. 915. 1245."); or
    a local number's 3 and 4 digits whose last four begin with 0, as no amount, count or year does ("555. 0172.")."""
    if all(g.endswith("0") for g in groups):
        return False  # round amounts: "250. 300. 2000."
    sizes = [len(g) for g in groups]
    if sizes == [3, 4]:
        return groups[0][0] not in "01" and groups[1][0] == "0" and not groups[1].endswith("00")
    if sizes == [3, 3, 4] and groups[0][0] not in "01" and groups[1][0] not in "01":
        return True
    trunk = re.fullmatch(r"0[1-9]\d{1,3}", groups[0]) is not None and all(3 <= n <= 4 for n in sizes[1:])
    return trunk and 9 <= sum(sizes) <= 11 and not all(_clock(g) for g in groups)


def _phone_shaped(text: str, runs: list[tuple[int, int, list[Chunk]]]) -> bool:
    """Runs of digits said digit by digit or written in a phone's groups (``_groups_shaped``) with nothing but stops
    between them."""
    if not _groups_shaped(["".join(c.digits for c in chunks) for _, _, chunks in runs]):
        return False
    if any(c.ordinal or c.kind not in ("digit", "oh", "written") for _, _, chunks in runs for c in chunks):
        return False
    gaps = [text[a[-1].end : b[0].start] for (_, _, a), (_, _, b) in itertools.pairwise(runs)]
    return all(gap and _STOPPED.fullmatch(gap) for gap in gaps)


# What a number said right after is the number of: "Room 201. | 0202.", "flight 555. 0172." are no phone.
_NUMBERED_THING = re.compile(
    r"\b(?:room|rooms|apartment|apt|unit|suite|flight|gate|page|bus|route|code|pin|badge|case|box|lot|bed|cell|"
    r"block|floor|platform|seat|row|exit|train)\s*[#:]?\s*$",
    re.I,
)


def _stopped_groups(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """A phone said in its groups with nothing but stops between them, and no cue: the shape alone says it, also
    dictated and read back at once ("559. 555. 0172." | "559... 555... 0172?", "089. 603. 1174.", "555. 0172."). Not
    a list of numbers (another number stopped off the same way before or after, not itself a phone), nor an amount or
    a count ("350. 400. 1200 dollars"), nor numbers with a word between them ("I was 92. We paid 555 ...")."""
    spans: list[Span] = []
    taken: set[int] = set()  # the runs of a phone found (three groups are looked for before two)
    for size in (3, 2):
        shaped = {i for i in range(len(number_runs) - size + 1) if _phone_shaped(text, number_runs[i : i + size])}
        for index in sorted(shaped):
            if taken & set(range(index, index + size)):
                continue
            start, end = number_runs[index][2][0].start, number_runs[index + size - 1][2][-1].end
            before = number_runs[index - 1][2][-1].end if index else None
            after = number_runs[index + size][2][0].start if index + size < len(number_runs) else None
            phone_before = index - size in shaped or index - 1 in taken
            phone_after = index + size in shaped or index + size in taken
            if (before is not None and _STOPPED.fullmatch(text[before:start]) and not phone_before) or (
                after is not None and _STOPPED.fullmatch(text[end:after]) and not phone_after
            ):
                continue  # a list: "101. 102. 1030. 1040."
            if (
                text[max(0, start - 1) : start] in ("$", "£", "€")
                or _word_after(toks, number_runs[index + size - 1][1]) in _AMOUNT_AFTER
                or _NUMBERED_THING.search(text[max(0, start - 20) : start])
            ):
                continue
            taken.update(range(index, index + size))
            spans.append(_span(text, start, end, "CONTACT", 0.85))
    return spans


def _grouped_id(chunks: list[Chunk], digits: str) -> bool:
    """A long number said in groups, some digit by digit and some in pairs or as a year, as national ID cards print
    a birth year inside the number ("oh eight oh one, nineteen ninety seven, oh four three two one"): eight digits or
    more, six of them said one by one; no count ("one, two, three, ..."), no list of years ("nineteen ninety
    seven, nineteen ninety eight")."""
    one_by_one = sum(len(c.digits) for c in chunks if c.kind in ("digit", "oh"))
    if len(chunks) < 3 or len(digits) < 8 or one_by_one < 6 or any(c.kind == "big" for c in chunks):
        return False
    if not any(c.kind == "small" and len(c.digits) == 2 for c in chunks):
        return False  # all said digit by digit: the phone and ID rules' own ("one oh four, one oh five, ...")
    steps = {b.value - a.value for a, b in itertools.pairwise(chunks)}
    return not (len(steps) == 1 and steps <= {0, 1, -1})


_PROVIDERS = r"(?:gmail|g\s?mail|yahoo|hotmail|outlook|icloud|aol|proton\s?mail|live|msn|comcast|att|me|mail|[a-z]+)"
_SPOKEN_EMAIL = re.compile(
    rf"\s(?:at|@)\s+(?:{_PROVIDERS}(?:\s+dot\s+|\.)(?:com|net|org|edu|gov|co|ca|us|io|uk|me|nz|au|info|biz)"
    r"(?:(?:\s+dot\s+|\.)(?:uk|au|ca|nz))?|(?:gmail|yahoo|hotmail|outlook|icloud|aol|proton\s?mail))\b",
    re.I,
)
# What names an e-mail address before it: its local part starts right after ("my email is brand new mercy at
# outlook dot com", "her email is the letter j, smith, at aol", "you can email me at d underscore rivera at ...").
_EMAIL_CUE = re.compile(
    r"\be-?mail(?:ed)?\s+(?:me|him|her|us|them)(?:\s+at|[\s,]+(?:it['’]s|it\s+is)(?:\s+like)?)\s+|"
    r"\b(?:e-?mail(?:\s+address)?|address)\b(?:['’]s|\s+(?:is|was|it's|it\s+was))?[\s,:]*",
    re.I,
)
_SPELLED = re.compile(r"(?:(?:like|uh|um|er|erm|it['’]s|it\s+is|it\s+was)[\s,]+|the\s+letter\s+)+", re.I)
_LOCAL_STOP = STOPWORDS - NUMBER_WORDS - {"dot", "underscore", "dash", "o"} | {
    "email", "e-mail", "mail", "address", "gmail", "it", "its", "it's", "was", "is", "me", "at", "account",
}  # fmt: skip


# An organisation's domain said in several words, after an e-mail's cue: "her email is tuyet dot n at bridges n w dot
# org", "k jones at county of los angeles dot gov", "d rivera at st mary's health dot org".
_SPOKEN_DOMAIN = re.compile(
    r"\s(?:at|@)\s+((?:[a-z][\w'’]*\s+){1,5}?)dot\s+(?:com|net|org|edu|gov|co|ca|us|io|uk|ie|me|nz|au|info|biz|"
    r"[a-z]\s+[a-z])(?:\s+dot\s+(?:uk|au|ca|nz|us|ie|[a-z]\s+[a-z]))?\b",  # "dot c a", "dot b m": a country's letters
    re.I,
)
_DOMAIN_STOP = STOPWORDS - {"of", "and", "for", "the", "st", "n", "w", "s", "e", "o"}


# A provider's domain whose "at" ASR lost: "my email is tanya b two two, gmail dot com", "... two two gmail.com".
_AT_LOST = re.compile(
    r"[\s,]+(?:gmail|g\s?mail|yahoo|hotmail|outlook|icloud|aol|proton\s?mail)(?:\s+dot\s+|\.)"
    r"(?:com|net|ca|ie|co(?:\s+dot\s+|\.)uk|com(?:\s+dot\s+|\.)au)\b",
    re.I,
)


def _domains(text: str) -> list[re.Match[str]]:
    """Spoken e-mail domains of several words, or a provider's without its "at", after an e-mail's cue within 80
    characters."""
    found = []
    for match in _SPOKEN_DOMAIN.finditer(text):
        words = match.group(1).lower().split()
        if any(w in _DOMAIN_STOP for w in words) or words[0] in ("the", "of", "and", "for"):
            continue
        if _EMAIL_CUE.search(text, max(0, match.start() - 80), match.start() + 1):
            found.append(match)
    for match in _AT_LOST.finditer(text):
        if re.search(r"\b(?:at|@)$", text[max(0, match.start() - 4) : match.start()], re.I):
            continue  # "at gmail dot com" is _SPOKEN_EMAIL's
        cues = list(_EMAIL_CUE.finditer(text, max(0, match.start() - 80), match.start() + 1))
        local = [w.lower() for w in re.findall(r"[\w'’]+", text[cues[-1].end() : match.start()])] if cues else []
        # the local part in words that no sentence has ("tanya b two two"; not "i use my cousin's")
        if local and len(local) <= 6 and not any(w in _LOCAL_STOP for w in local):
            found.append(match)
    return found


def _emails(text: str, toks: list[Token]) -> list[Span]:
    """E-mail addresses said aloud: the words before "at gmail dot com" back to a stopword, at most six."""
    spans = []
    for match in [*_SPOKEN_EMAIL.finditer(text), *_domains(text)]:
        i = next((k for k, t in enumerate(toks) if t.end > match.start()), len(toks))
        first = i
        while first > 0 and i - first < 6 and toks[first - 1].word not in _LOCAL_STOP:
            if not _joined(text, toks[first - 1], toks[first], commas=False):
                gap = text[toks[first - 1].end : toks[first].start]
                if gap.strip() not in (".", "_", "-"):
                    break
            first -= 1
        cues = list(_EMAIL_CUE.finditer(text, max(0, match.start() - 80), match.start() + 1))
        if cues:
            spelled = _SPELLED.match(text, cues[-1].end())
            local = spelled.end() if spelled else cues[-1].end()
            said = text[local : match.start()]
            if said.strip() and len(said.split()) <= 8 and not re.search(r"[.?!;]\s", said):
                first = min(first, next(k for k, t in enumerate(toks) if t.start >= local))
        if first < i:
            spans.append(_span(text, toks[first].start, match.end(), "CONTACT", 0.85))
    return spans


_HANDLE_WRITTEN = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?|(?<![\w$])\$[A-Za-z][\w-]{2,}")
# The apps a handle is on, by name: its cue (below) and a one-word handle's platform said before it (_PLATFORM_BEFORE).
_APPS = r"insta|instagram|snap|snapchat|tiktok|twitter|facebook|kik|telegram|whatsapp|onlyfans|discord|cash\s?app|venmo"
_HANDLE_CUE = re.compile(
    rf"\b(?:{_APPS}|ig|tik\s+tok|fb|handle|username|user\s+name|screen\s+name|gamertag)\b"
    r"(?:[\s,:]+(?:(?:my|his|her|the)\s+(?:name|page|account)(?:['’]s)?|name(?:['’]s)?|handle|account|page|is|was|'s|it's|its|"
    r"it\s+is|it\s+was|at|like|"
    r"called|under|i['’]?m|i\s+am|now|as|still|just)(?![\w'’]))*[\s,:]*"  # whole words: not the "is" of "island"
    r"(?:at\s+|@)?",
    re.I,
)
_HANDLE_AT = re.compile(r"(?:\bis|\bwas|['’]s|\bit['’]s)\s+(?:at\s+|@)\s*$", re.I)  # "my tiktok is at ..."
# A handle written as one word with its digits at the end ("charitybaby662", "lil_mama.901"), its platform named
# earlier in the same sentence with other words between ("He set up a Snapchat for me, charitybaby662"): the words
# before it are no cue's, so _HANDLE_CUE does not reach it.
_HANDLE_TOKEN = re.compile(r"(?<![\w@.$-])[A-Za-z][A-Za-z_.]{3,}\d{1,4}(?![\w.-]|\.\w)")
_PLATFORM_BEFORE = re.compile(rf"\b(?:{_APPS}|megapersonals|skipthegames|tinder|grindr)\b[^.!?\n]{{0,60}}$", re.I)
_HANDLE_JOINERS = {"dot", "underscore", "dash", "period", "hashtag"}  # "kay hashtag four four two one": kay#4421


def _handles(text: str, toks: list[Token]) -> list[Span]:
    """Social-media handles: written (@rising.phoenix.503, $kdot88) or said after their platform ("my insta
    was rising dot phoenix five oh three"): words up to a stopword or a comma, with a digit, a joiner or a word
    no dictionary has among them."""
    spans = [_span(text, m.start(), m.end(), "CONTACT", 0.85) for m in _HANDLE_WRITTEN.finditer(text)]
    ordinary = dictionary()[0]
    for match in _HANDLE_CUE.finditer(text):
        i = next((k for k, t in enumerate(toks) if t.start >= match.end()), len(toks))
        last = i
        while last < len(toks) and last - i < 8:
            word = toks[last].word
            joined = last > i and toks[last - 1].word in _HANDLE_JOINERS  # "lamin underscore the underscore boss"
            spelled = last > i and len(toks[last - 1].word) == 1 and len(word) == 1  # "c underscore n a"
            if word in STOPWORDS - NUMBER_WORDS and word not in _HANDLE_JOINERS and not joined and not spelled:
                break
            gap = text[toks[last - 1].end : toks[last].start] if last > i else ""
            if gap.strip(" ._-") != "" or ("." in gap and " " in gap):
                break  # "@nailsbykeke268. People call me ...": a full stop ends it
            last += 1
        words = [t.word for t in toks[i:last]]
        while words and words[-1] in _HANDLE_JOINERS:
            words.pop()
            last -= 1
        if not words and toks[i : i + 1] and toks[i].word == "the" and _HANDLE_AT.search(match.group()):
            last = _words_after(text, toks, i + 1, 4)  # "my tiktok is at the real dee dee": "at" says a handle follows
            words = ["the", *(t.word for t in toks[i + 1 : last])]
            if len(words) >= 3 and not any(_verb_form(w) for w in words):
                spans.append(_span(text, toks[i].start, toks[last - 1].end, "CONTACT", 0.6))
            continue
        if not words or text[match.end() : toks[i].start].strip(" @") != "":
            continue
        marked = any(w in NUMBER_WORDS or w.isdigit() or w in _HANDLE_JOINERS or w not in ordinary for w in words)
        marked = marked or any(len(a) == len(b) == 1 for a, b in itertools.pairwise(words))  # "... sweeties s c z"
        if marked and not (len(words) == 1 and (words[0] in NUMBER_WORDS or _verb_form(words[0]))):
            at = i > 0 and toks[i - 1].word == "at" and toks[i - 1].start >= match.start()  # "at" is its "@"
            at = at and "@" not in text[toks[i - 1].end : toks[i].start]  # not "at @doris.bakes.mt"
            spans.append(_span(text, toks[i - 1 if at else i].start, toks[last - 1].end, "CONTACT", 0.7))
    for token in _HANDLE_TOKEN.finditer(text):
        if _PLATFORM_BEFORE.search(text, max(0, token.start() - 80), token.start()):
            spans.append(_span(text, token.start(), token.end(), "CONTACT", 0.7))
    return spans


# Sites and apps by name: a platform's name is not marked, an account on it is.
PLATFORMS = {
    "insta", "instagram", "ig", "snap", "snapchat", "tiktok", "twitter", "x", "facebook", "fb", "kik", "telegram",
    "whatsapp", "onlyfans", "cashapp", "venmo", "paypal", "zelle", "youtube", "google", "craigslist", "backpage",
    "tinder", "bumble", "grindr", "hinge", "reddit", "discord", "twitch", "linkedin", "pinterest", "tumblr",
    "myspace", "skype", "messenger", "yahoo", "gmail", "amazon", "ebay", "wikipedia", "indeed", "megapersonals",
    "skipthegames", "eros", "seeking", "plentyoffish", "pof", "match", "snap's",
}  # fmt: skip
# What names a handle before it, never part of it: "my handle's kiki underscore rn", "username was ..."
_HANDLE_WORDS = PLATFORMS | {"handle", "handle's", "username", "username's", "name's", "account", "page", "gamertag"}
# Sites everyone reads, named by their address ("i saw it on cnn dot com"): no one's own page.
PUBLIC_SITES = {
    "cnn", "bbc", "fox", "foxnews", "nbc", "cbs", "abc", "npr", "nytimes", "msn", "aol", "weather", "espn", "walmart",
    "target", "craigslist", "wikipedia", "usa", "irs", "ssa", "medicaid", "medicare", "healthcare", "gov", "apple",
    "microsoft", "netflix", "hulu", "spotify", "zillow", "indeed", "webmd", "yelp", "expedia", "uber", "lyft",
}  # fmt: skip
# Words that end a name said after its cue (an online name may hold "big", "new", "day": "big t nine one six").
_NAME_STOP = {
    "and", "or", "but", "so", "because", "cause", "cuz", "then", "on", "in", "at", "to", "from", "for", "with", "by",
    "of", "off", "is", "was", "were", "are", "be", "been", "i", "i'm", "im", "he", "she", "they", "we", "you", "it",
    "it's", "its", "that", "this", "which", "who", "when", "where", "if", "like", "the", "a", "an", "my", "his",
    "her", "their", "our", "your", "him", "them", "me", "us", "um", "uh", "okay", "ok", "yeah", "now", "there",
    "had", "has", "have", "did", "do", "does", "would", "could", "should", "will", "can", "not", "no", "just",
    "every", "all", "after", "before", "until", "while", "since", "as", "called", "named",
}  # fmt: skip
_UNDER_THE_NAME = re.compile(r"\bunder\s+the\s+(?:user\s*)?name(?:\s+of)?\s+", re.I)
_POSTED_AS = re.compile(
    r"\b(?:post(?:ed|s|ing)?|advertis(?:ed|es|ing)|list(?:ed|s|ing)|ads?|profile|page|account)\b[^.?!]{0,40}?\bas\s+",
    re.I,
)
_DOLLAR_SIGN = re.compile(r"\bdollar\s+sign\s+", re.I)
_CASH_CUE = re.compile(r"\b(?:cash\s?app|cash\s?tag|venmo|paypal|zelle)\b", re.I)
_WWW = re.compile(r"\b(?:w\s+w\s+w|www|triple\s+w|double\s+u\s+double\s+u\s+double\s+u)\s+dot\s+", re.I)
_SPOKEN_SITE = re.compile(
    r"\s+dot\s+(?:com|org|net|edu|gov|info|biz|io|co|us|ca|uk|nz|au|me|ie|ee|ly|gg|tv|app|link|xyz)"
    r"(?:\s+dot\s+(?:uk|au|nz|ca))?\b"
    r"(?:\s+slash\s+[a-z0-9]+(?:\s+(?:dot|dash|underscore)\s+[a-z0-9]+)*)*",
    re.I,
)
_SITE_CUE = {"is", "was", "at", "to", "it's", "called", "visit", "on", "out", "site", "website", "page"}


def _words_after(text: str, toks: list[Token], i: int, most: int) -> int:
    """Where a name said from token ``i`` ends (the index after it): words joined by spaces, up to a stopword or
    a mark, at most ``most``."""
    last = i
    while last < len(toks) and last - i < most and toks[last].word not in _NAME_STOP:
        if last > i and text[toks[last - 1].end : toks[last].start].strip(" ._-") != "":
            break
        last += 1
    return last


def _index_at(toks: list[Token], offset: int) -> int:
    return next((k for k, t in enumerate(toks) if t.start >= offset), len(toks))


# Before a handle said with its platform after it: "i'm rosiep ninety four on insta", "and kiki two on snap".
_I_AM = {"i'm", "im", "am", "and", "as", "it's", "its"}


def _named_on(text: str, toks: list[Token], on: int) -> list[Span]:
    """A handle said before "on <platform>" after "i'm", "and" or "as": words no dictionary has, or with a
    number among them ("rosiep ninety four"); not "i'm always on instagram", "and my cousin on facebook"."""
    first = on
    joiners = sum(t.word in _HANDLE_JOINERS for t in toks[max(0, on - 8) : on])  # "dee dot dee dot b on insta"
    while first > 0 and on - first < 4 + min(joiners, 3) and toks[first - 1].word not in _I_AM | _NAME_STOP:
        if not _joined(text, toks[first - 1], toks[first], commas=False):
            return []
        first -= 1
    if first == on or first == 0 or toks[first - 1].word not in _I_AM:
        return []
    words = [t.word for t in toks[first:on]]
    ordinary = dictionary()[0]
    numbered = any(w in NUMBER_WORDS or w.isdigit() for w in words) and any(w not in NUMBER_WORDS for w in words)
    joined = any(w in _HANDLE_JOINERS for w in words[1:-1])  # "dee dot dee dot b": a joiner inside says a handle
    if numbered or joined or (all(w not in ordinary for w in words) and not any(_verb_form(w) for w in words)):
        return [_span(text, toks[first].start, toks[on - 1].end, "CONTACT", 0.6)]
    return []


def _online(text: str, toks: list[Token]) -> list[Span]:
    """Online names said aloud (QA C25): an ad's name ("under the name honey bunny", "posted me on backpage as
    cherry bomb"), a cash tag ("dollar sign big t nine one six"), a handle said with "underscore" anywhere or
    "at" before its platform ("it was at saginaw barbie on instagram"), and a web address with the words before
    "dot org" and its path ("new day for women dot org", "w w w dot escortsite dot com slash honey")."""
    spans = []
    ordinary = dictionary()[0]
    for cue in (*_UNDER_THE_NAME.finditer(text), *_POSTED_AS.finditer(text)):
        i = _index_at(toks, cue.end())
        last = _words_after(text, toks, i, 3)
        words = [t.word for t in toks[i:last]]
        # "posted me on backpage as cherry bomb"; not "listed me as homeless female" (no site, everyday words)
        capitalised = bool(words) and all(text[t.start].isupper() for t in toks[i:last])
        on_a_site = len(words) >= 2 and re.search(r"\bon\b", cue.group()) is not None
        named = cue.re is _UNDER_THE_NAME or on_a_site or capitalised or any(w not in ordinary for w in words)
        # "posted us as downtown toronto": where, not who
        area = words[1:] if words[:1] and words[0] in _DIRECTIONS | {"downtown", "uptown", "midtown"} else words
        placed = cue.re is _POSTED_AS and bool(area) and " ".join(area) in places()
        if words and named and not placed and not all(w in NUMBER_WORDS or w.isdigit() for w in words):
            spans.append(_span(text, toks[i].start, toks[last - 1].end, "CONTACT", 0.6))
    for sign in _DOLLAR_SIGN.finditer(text):
        i = _index_at(toks, sign.end())
        last = _words_after(text, toks, i, 6)
        words = [t.word for t in toks[i:last]]
        marked = any(w in NUMBER_WORDS or w.isdigit() or len(w) == 1 for w in words)
        if words and (marked or _CASH_CUE.search(text[max(0, sign.start() - 40) : sign.start()])):
            spans.append(_span(text, sign.start(), toks[last - 1].end, "CONTACT", 0.75))
    for k, tok in enumerate(toks):
        if tok.word == "underscore" and 0 < k < len(toks) - 1:
            first = k
            while first > 0 and k - first < 4 and toks[first - 1].word not in _NAME_STOP | _HANDLE_WORDS:
                if text[toks[first - 1].end : toks[first].start].strip(" ._-") != "":
                    break
                first -= 1
            last = _words_after(text, toks, k + 1, 4)
            if first < k and last > k + 1:
                # "my instagram, um, at yusi underscore glam": "at" is its "@"; not an address's "at" after it
                said_at = toks[first - 1].word == "at" and text[toks[first - 1].end : toks[first].start] == " "
                mail = last < len(toks) and toks[last].word == "at"
                first -= said_at and not mail and first > 0
                spans.append(_span(text, toks[first].start, toks[last - 1].end, "CONTACT", 0.7))
        if tok.word == "on" and k + 1 < len(toks) and toks[k + 1].word in PLATFORMS and k >= 2:
            at = next((a for a in range(k - 1, max(k - 6, -1), -1) if toks[a].word == "at"), None)
            if at is None or at == k - 1 or _words_after(text, toks, at + 1, 4) != k:
                spans += _named_on(text, toks, k)
                continue
            words = [t.word for t in toks[at + 1 : k]]
            if len(words) >= 2 or any(w not in ordinary or w.isdigit() or w in NUMBER_WORDS for w in words):
                spans.append(_span(text, tok.start - (tok.start - toks[at].start), toks[k - 1].end, "CONTACT", 0.6))
    for site in _SPOKEN_SITE.finditer(text):
        end = _index_at(toks, site.start() + 1)  # the "dot"
        www = next((w for w in _WWW.finditer(text, max(0, site.start() - 80), site.start() + 1)), None)
        if www is not None:
            first = _index_at(toks, www.start())
        else:
            first = end
            while first > 0 and end - first < 5 and toks[first - 1].word not in _SITE_CUE:
                if re.search(r"[.?!;,]", text[toks[first - 1].end : toks[first].start]):
                    break
                first -= 1
            while first < end and toks[first].word in _NAME_STOP:
                first += 1  # "is the safe harbor dot org": no article in the address
            name = [t.word for t in toks[first:end]]
            public = bool(name) and (name[-1] in PLATFORMS or name[-1] in PUBLIC_SITES)
            if not name or (public and "slash" not in site.group().lower()):
                continue  # "my cousin's gmail dot com": a platform's own site; "facebook dot com slash ..." is hers
        spans.append(_span(text, toks[first].start, site.end(), "CONTACT", 0.7))
    return spans


# What is said after a name that is written as one word: a handle, a username, an address's local part ("not your
# baby girl four one six, all one word", "healing out loud, with underscores", "..., no spaces").
_ONE_WORD = re.compile(
    r"\s*,?\s*(?:(?:it['’]s|that['’]s|and)\s+)?(?:all\s+(?:one|1)\s+word|(?:one|1)\s+word|no\s+spaces?|"
    r"with(?:\s+an?)?\s+underscores?|all\s+(?:lower\s*case|small\s+letters|caps|together|run\s+together))\b",
    re.I,
)
# Where such a name starts: after the words that give it ("i go by", "as", "under", "i'm", "my username is").
_GIVES_NAME = {"by", "as", "under", "called", "named"}
_GIVES_NAME_ON = {"is", "was", "i'm", "im", "it's", "its", "at", "am"}
_ONLINE_CUE = re.compile(
    r"\b(?:insta|instagram|ig|snap|snapchat|tiktok|twitter|facebook|fb|kik|telegram|whatsapp|onlyfans|discord|"
    r"cash\s?app|venmo|youtube|twitch|reddit|handle|username|user\s+name|screen\s+name|gamertag|e-?mail|profile|"
    r"page|account|online|on\s+there|on\s+the\s+app)\b",
    re.I,
)


def _said_as_one_word(text: str, toks: list[Token]) -> list[Span]:
    """A name said in words and then said to be one word (a handle, a username): the words back to what gives the
    name ("on instagram i go by not your baby girl four one six, all one word"), at most eight."""
    spans = []
    for cue in _ONE_WORD.finditer(text):
        end = _index_at(toks, cue.start())  # the token after the name
        first = end
        while first > 0 and end - first < 8 and toks[first - 1].word not in _GIVES_NAME | _GIVES_NAME_ON:
            if first < end and re.search(r"[.?!;,:]", text[toks[first - 1].end : toks[first].start]):
                break
            first -= 1
        if first == end or first == 0:
            continue
        giver = toks[first - 1].word
        online = _ONLINE_CUE.search(text, max(0, toks[first - 1].start - 60), toks[first - 1].end)
        mark = text[toks[first - 1].end : toks[first].start].strip()
        given = (giver in _GIVES_NAME | _GIVES_NAME_ON and online) or giver in _HANDLE_WORDS  # "on insta, x y z"
        if (giver in _GIVES_NAME and not mark) or given:
            words = [t.word for t in toks[first:end]]
            if not all(w in STOPWORDS for w in words):
                spans.append(_span(text, toks[first].start, toks[end - 1].end, "CONTACT", 0.7))
    return spans


# Capitalised words before a number that make it a rank or a count, not a name: "Number One", "Top Ten".
_RANKS = {
    "number",
    "no",
    "top",
    "war",
    "chapter",
    "level",
    "grade",
    "room",
    "channel",
    "psalm",
    "psalms",
    "step",
    "phase",
    "the",
    "a",
    "and",
    "or",
    "big",
    "day",
    "week",
    "class",
    "cell",
    "unit",
    "block",
    "pod",
    "tier",
}
_CARDINALS = set(UNITS) | set(TEENS) | set(TENS) | {"hundred", "thousand"}


def _named_numbers(text: str, toks: list[Token]) -> list[Span]:
    """Cardinal number words capitalised inside a sentence are a name, with the capitalised word after them:
    "out in Ninety Six", "at Five Points", "Seven Oaks"; not "Number One", "Twelve Steps"."""
    spans = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and toks[j].word in _CARDINALS and text[toks[j].start].isupper():
            j += 1
        if j == i:
            i += 1
            continue
        end = j
        while end < len(toks) and end - j < 2 and text[toks[end].start].isupper() and _name_word(toks[end].word):
            end += 1
        sentence_start = i == 0 or text[: toks[i].start].rstrip()[-1:] in (".", "?", "!", ":", '"', "“")
        rank = _word_before(toks, i) in _RANKS and text[toks[i - 1].start].isupper()
        steps = _word_after(toks, j) in ("step", "steps")
        named = j - i >= 2 or end > j
        if named and not (sentence_start or rank or steps or text[toks[i].start : toks[end - 1].end].isupper()):
            spans.append(_span(text, toks[i].start, toks[end - 1].end, "LOCATION", 0.6))
        i = end
    return spans


# A unit after an address: "22 Oak Street, Apt 4B", "fourteen fifty elm street, apartment two b".
_UNIT = re.compile(
    r",?\s*(?:apt|apartment|unit|suite|ste|flat)\.?\s*#?\s*"
    r"(?:\d+[A-Za-z]?\b|[A-Za-z]\d*\b|(?:(?:oh|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+)*"
    r"(?:oh|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:\s+[a-z]\b)?)",
    re.I,
)


_UNIT_WORDS = {"apartment", "apt", "unit", "lot", "suite", "ste", "flat", "trailer"}


def _units(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """An apartment, unit or trailer-park lot said alone: "apartment two b", "unit 12", "we were in lot 47"; not
    "a lot 20 times", "the psych unit three weeks"."""
    spans = []
    for i, j, chunks in number_runs:
        k = i - 1 if _word_before(toks, i) in ("number", "no") else i
        unit = _word_before(toks, k)
        gap = text[toks[k - 1].end : toks[k].start] if k > 0 else ""
        said = _joined(text, toks[k - 1], toks[k], False) or gap in (". ", ".")  # "apt. 14C", "Apt.3b"
        if unit not in _UNIT_WORDS or not said or (k < i and not _joined(text, toks[k], toks[i], False)):
            continue
        if unit == "lot" and _word_before(toks, k, 2) in ("a", "whole", "parking", "lot", "every"):
            continue
        digits = "".join(c.digits for c in chunks)
        if any(c.ordinal or c.kind == "big" for c in chunks) or not 1 <= len(digits) <= 4:
            continue
        end = chunks[-1].end
        after = _word_after(toks, j)
        if j < len(toks) and len(after) == 1 and after.isalpha() and _joined(text, toks[j - 1], toks[j], False):
            end = toks[j].end  # "apartment two b", "unit 12 B"
        elif after in COUNT_NOUNS - {"in", "at", "on", "the", "a", "an", "and"}:
            continue
        spans.append(_span(text, toks[k - 1].start, end, "LOCATION", 0.7))
    return spans


def _with_unit(text: str, spans: list[Span]) -> list[Span]:
    """Address spans with the apartment or unit said right after them: a unit number belongs with its address."""
    out = []
    for span in spans:
        unit = _UNIT.match(text, span.end)
        out.append(_span(text, span.start, unit.end(), span.label, span.confidence) if unit else span)
    return out


_BARE = re.compile(r"[\d\s,.:/#-]+")


def bare_number(text: str) -> bool:
    """A number and nothing else ("5150", "112", "fifty one fifty"): the name layers (model, proper nouns, rare
    words) propose these as places ("a 5150" is the psychiatric hold, "Room 112" a motel room); whether a number
    identifies anyone is decided by its shape and its cue, in this layer and the pattern layer alone. A town
    named by a number in words ("out in ninety six") is a name, not a bare number. Words that name nothing before
    the number count for nothing ("was number 7", "then 5"); "the" does ("the 405" is a freeway)."""
    words = [t.word for t in tokens(text)]
    if not words or " ".join(words) in places():
        return False
    said = NUMBER_WORDS - _ZEROS - set(_REPEATS)
    lead = 0
    while lead < len(words) - 1 and (words[lead] in STOPWORDS - {"the"} - said or words[lead] in ("number", "no")):
        lead += 1
    rest = words[lead:]
    return _BARE.fullmatch(text) is not None or all(w in said or w.isdigit() for w in rest)


# A house number said apart from its street: "we lived at number 12, Rose Crescent", "at 14, king street".
_HOUSE_APART = re.compile(
    r"\b(?:(?:lived|live|lives|stayed|stay|house|home|place|flat)\s+(?:was\s+|is\s+)?at|address\s+(?:was|is)|number)\s+"
    r"(?:number\s+)?(\d{1,4}[a-z]?|(?:(?:" + "|".join(sorted(UNITS | TEENS | TENS)) + r")\s*){1,3})"
    r"\s*,\s*$",
    re.I,
)
# A house number with a half: "1509 1/2 Elm", "at 22 1/2 oak street".
_HALF_ADDRESS = re.compile(
    r"\b(?:at|on|to|from|near|was|is)\s+(\d{1,5}\s+1/2\s+(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|[a-z]+\s+"
    r"(?:street|st|avenue|ave|road|rd|drive|dr|lane|ln|way|court|ct|place|pl|boulevard|blvd)\b))"
)


def _with_house_number(text: str, spans: list[Span]) -> list[Span]:
    """Streets with the house number said before them after a comma ("at number 12, Rose Crescent")."""
    out = []
    for span in spans:
        apart = _HOUSE_APART.search(text[max(0, span.start - 40) : span.start])
        if apart is not None and not span.text[:1].isdigit():
            start = span.start - (len(text[max(0, span.start - 40) : span.start]) - apart.start(1))
            span = _span(text, start, span.end, span.label, span.confidence)
        out.append(span)
    return out


_ADDRESS_WAS = re.compile(r"\baddress(?:['’]s|\s+(?:is|was))[\s,:]*(?:(?:like|um|uh)\b[\s,]*)*$", re.I)
_STREET_LATER = re.compile(r"\b(?:on|off(?:\s+of)?)\s+([A-Za-z][A-Za-z'’-]+)\b")


def _address_apart(text: str, toks: list[Token], number_runs: list[tuple[int, int, list[Chunk]]]) -> list[Span]:
    """A house number after "my address was", and the street said a clause later in the same sentence (QA D26):
    "my address was fourteen twelve, on the corner, by the church, on maple"."""
    spans = []
    for i, j, chunks in number_runs:
        if not _ADDRESS_WAS.search(text[max(0, toks[i].start - 30) : toks[i].start]):
            continue
        digits = "".join(c.digits for c in chunks)
        if any(c.ordinal for c in chunks) or not 1 <= len(digits) <= 5 or _word_after(toks, j) in _AMOUNT_AFTER:
            continue
        spans.append(_span(text, chunks[0].start, chunks[-1].end, "LOCATION", 0.7))
        stop = re.search(r"[.?!]", text[chunks[-1].end :])
        end = chunks[-1].end + stop.start() if stop else len(text)
        for later in _STREET_LATER.finditer(text, chunks[-1].end, end):
            word = later.group(1).lower()
            if word in STOPWORDS | _ON_IDIOMS | GENERIC_PLACES | NUMBER_WORDS or not _name_word(word):
                continue
            spans.append(_span(text, later.start(1), later.end(1), "LOCATION", 0.6))
            break
    return spans


def _half_numbers(text: str) -> list[Span]:
    return [_span(text, m.start(1), m.end(1), "LOCATION", 0.7) for m in _HALF_ADDRESS.finditer(text)]


def find_spoken(text: str) -> list[Span]:
    """Every span this layer proposes over ``text``."""
    text = typed(text)
    toks = tokens(text)
    number_runs = runs(text, toks)
    by_end = {j: (i, chunks) for i, j, chunks in number_runs}
    return (
        _dates(text, toks, number_runs) + _numeric_dates(text)
        + _with_unit(text, _with_house_number(text, _streets(text, toks, by_end)) + _lived_at(text, toks, number_runs)
                     + _written_addresses(text, toks, number_runs) + _blocks_and_boxes(text, toks, number_runs)
                     + _half_numbers(text))
        + _roads(text, toks, number_runs) + _motorways(text, toks, number_runs) + _cued_streets(text)
        + _units(text, toks, number_runs) + _address_apart(text, toks, number_runs)
        + _postcodes(text, toks, number_runs)
        + _numbers(text, toks, number_runs) + _stopped_groups(text, toks, number_runs)
        + _area_code_last(text, toks, number_runs)
        + _extensions(text, toks, number_runs) + _codes(text, toks)
        + _emails(text, toks) + _handles(text, toks) + _written_ids(text)
        + _online(text, toks) + _said_as_one_word(text, toks)
        + _named_numbers(text, toks)
    )  # fmt: skip
