"""Layer 2: identifiers with a shape: phone numbers (digits or spoken), e-mail, URLs, street addresses,
dates more specific than a year, case and ID numbers."""

from __future__ import annotations

import itertools
import re

from fieldvault.redact.lexicon import BIBLE_BOOKS, ID_SCHEMES, MONTHS, STOPWORDS, US_STATES, WEEKDAYS, dictionary
from fieldvault.redact.spans import Span

_DIGIT_WORDS = r"(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double|triple|\d)"
# A short month's dot is its own ("jan. 6"); after a full name it ends the sentence ("the fourth of july.").
_MONTH = r"(?:" + "|".join(m for m in MONTHS) + r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?)"
_ORDINAL_WORDS = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[- ]first)"
)
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_ORDINAL_WORDS})"
_CARDINAL_DAY = (
    r"(?:[12]?\d|3[01]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|thirty"
    r"(?:[- ]one)?)"
)
_STREET_TYPES = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|"
    r"highway|hwy|parkway|pkwy|circle|terrace|trail)\b\.?"
)
_NUMBER_WORDS = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"

_CALL_NUMBER = re.compile(
    r"\b(?:call(?:s|ed|ing)?|number|phone|cell|text(?:s|ed)?|reach|dial(?:ed)?)\b[^.?!\d]{0,25}?"
    r"((?<![\w,])\d{1,4}(?:,\d{3})?(?:(?:\s*,\s*|\s+and\s+|\s+|-)\d{1,4}(?:,\d{3})?){1,5})(?![\w,]?\d)",
    re.I,
)
_INTERNATIONAL = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(0\)\s?)?|0)\d{2,4}(?:[\s.-]?\d{2,4}){2,3}(?![\d-])"
)  # "+44 (0)7700 900584": the trunk 0 a country code drops, in brackets
# Words that never stand between a house number and its street's suffix: after a number they make it an ID's or a
# phone's tail ("0187 near oyelaran st").
_NOT_NAME = {"in", "at", "on", "of", "the", "a", "an", "to", "for", "from", "with", "by", "and", "or", "is", "was",
             "near", "behind", "past", "across", "along", "toward", "towards", "onto", "off", "between"}  # fmt: skip

# Every dash a word processor, a Mac keyboard or a transcriber's editor types inside a number, and full-width digits,
# read as their ASCII twins (one character for one, so offsets hold): "713‑555‑0123", "431–77–2981" (QA D12).
_TYPED = str.maketrans(
    {**{dash: "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
     **{chr(0xFF10 + n): str(n) for n in range(10)}}
)  # fmt: skip


def typed(text: str) -> str:
    """``text`` with typographic dashes and full-width digits as ASCII (same length)."""
    return text.translate(_TYPED)


# A handle written with an underscore ("kaylaluvs_trucks", "bigbear_1961", "@big_mo"): no word of speech has one,
# and every one in the corpora is someone's account (30 of 30, none outside a gold span).
_HANDLE = re.compile(r"(?<![\w@.])@?(?=[\w.]*_)[A-Za-z0-9][\w.]*[A-Za-z0-9](?![\w@])")

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("CONTACT", _HANDLE),
    ("CONTACT", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("CONTACT", re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|edu|gov|io)\b", re.I)),
    ("CONTACT", re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")),
    ("CONTACT", re.compile(r"(?<!\d)\d{3}[\s.-]\d{4}(?!\d)")),
    # An area code in brackets with its trunk 0 ("(02) 9876 5432", "(021) 555 0182").
    ("CONTACT", re.compile(r"\(0\d{1,4}\)\s?\d{3,4}[\s.-]?\d{3,4}(?!\d)")),
    # Outside North America: a trunk 0 or a country code, 10 to 13 digits ("07700 900123", "+44 7700 900123").
    ("CONTACT", _INTERNATIONAL),
    ("CONTACT", re.compile(rf"\b{_DIGIT_WORDS}(?:[\s,.-]+{_DIGIT_WORDS}){{6,}}\b", re.I)),
    # A number as Whisper writes one it heard as words: "call me at 555 100 and 23, 4,567".
    ("CONTACT", _CALL_NUMBER),
    ("ID", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("ID", re.compile(r"(?<![\w-])[xX*]{3}-[xX*]{2}-\d{4}\b")),  # the last four of a social: xxx-xx-4471
    ("ID", re.compile(r"\b\d:\d{2}-[a-z]{2,3}-\d{3,6}\b", re.I)),  # a federal case: 2:19-cr-00123
    (
        "ID",
        re.compile(
            r"\b(?:case|inmate|booking|file|id|docket|badge|account|social security|ssn)"
            r"(?:\s+(?:number|no\.?|#))?\s*(?:is\s+|was\s+)?[:#]?\s*([A-Z]{0,3}-?\d[\d-]{3,})\b",
            re.I,
        ),
    ),
    # Six digits or more; a comma after one that starts with 0 ends a clause ("etc 0044128, dated"): no amount does.
    ("ID", re.compile(r"(?<![\d,.])(?:\d{6,}(?![\d,])|0\d{5,}(?!\d|,\d))")),
    # Case, docket and booking numbers: letters and digits, often hyphenated (CR2008-114372, 24CR00517).
    ("ID", re.compile(r"(?<![\w-])(?=[\w-]*[A-Za-z])(?=(?:[\w-]*?\d){5})[A-Za-z\d]+(?:-[A-Za-z\d]+)*(?![\w-])")),
    ("DATE", re.compile(r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b")),
    ("DATE", re.compile(rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}\b(?:,?\s+\d{{4}}|,?\s+['’]\d\d\b)?", re.I)),
    ("DATE", re.compile(rf"\b(?:the\s+)?{_DAY}\s+of\s+{_MONTH}(?:,?\s+\d{{4}})?", re.I)),
    # A day said as a count, "the" before and "of" its month after: "the twenty eight of october", "the 3 of may".
    ("DATE", re.compile(rf"\bthe\s+{_CARDINAL_DAY}\s+of\s+{_MONTH}(?:,?\s+\d{{4}})?", re.I)),
    # A day, its month and its year, the British way: "17 April 2016", "3rd march, 2019".
    ("DATE", re.compile(rf"\b{_DAY}\s+{_MONTH}(?<!\.),?\s+\d{{4}}\b", re.I)),
    ("DATE", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?(?:(?:19|20)\d\d|['’]\d\d)\b", re.I)),  # "march '09"
    # "1120 n. 7th st": a house number, a direction, a numbered street
    (
        "LOCATION",
        re.compile(
            rf"\b\d{{1,5}}\s+(?:[nsew]\.?\s+)?(?:\d+(?:st|nd|rd|th)\s+)?(?:[a-z]+\s+){{0,3}}{_STREET_TYPES}", re.I
        ),
    ),
    ("LOCATION", re.compile(rf"\b(?:{_NUMBER_WORDS}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+{_STREET_TYPES}")),
    ("LOCATION", re.compile(r"\b(?:interstate|i-|highway|route)\s?\d{1,3}\b", re.I)),
    # A freeway said the way people say it: "off the ninety nine", "down the 405".
    (
        "LOCATION",
        re.compile(
            r"\b(?:off|on|down|up|along|near|by)\s+the\s+((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
            r"[\s-](?:one|two|three|four|five|six|seven|eight|nine)|\d{1,3})(?:\s+(?:freeway|highway))?\b(?!\s+(?:bus|train|line|trolley|streetcar))",
            re.I,
        ),
    ),
]
# Case, docket, cause, booking and inmate numbers said aloud ("c r two oh one nine dash four four seven one"):
# runs of spoken digits, single letters and "dash".
_SPOKEN_DIGITS = {"zero", "oh", "o", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
SPOKEN_NUMBERS = _SPOKEN_DIGITS | {
    "double", "triple", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand",
}  # fmt: skip
_DASHES = {"dash", "hyphen", "-"}
# Words said between an ID's parts after its cue: "my nrc is four one two, eight eight three, slash, one one, slash,
# one", "my hkid is w eight eight two, one four six, bracket, three" (not "twenty four slash seven" uncued).
_CUED_JOINS = {"slash", "bracket"}
_JOINS = _DASHES | _CUED_JOINS
# Numbers said as two digits at once: "twenty eighteen c r seven three one".
_TWO_DIGITS = SPOKEN_NUMBERS - _SPOKEN_DIGITS - {"double", "triple", "hundred", "thousand"}
# Where a number was given, said between its kind and the number: "my lunch number at school was", "my student id
# at lanier was", "my client number with the food bank is".
WHERE = r"(?:\s+(?:at|with|from|for|in)\s+(?:the\s+|my\s+|his\s+|her\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)?"
_ID_CUE = re.compile(
    r"\b(?:case|cause|docket|booking|inmate|file|id|citation|ticket|badge|account|permit|license|licence|"
    r"registration|warrant|doc|prisoner|offender|indictment|medicare|medicaid|health(?:\s+card)?|nhs|chi|pps|ohip|"
    rf"patient|passport|social|sin|ssn|insurance|{ID_SCHEMES})(?:\s+(?:number|no|#))?{WHERE}"
    r"(?:,?\s+(?:and\s+)?(?:the|its|her|his|my)\s+number)?[\s,:]*(?:is|was|were|'s)?[\s,:]*"
    r"(?:(?:number|no\.?|#)\s*)?(?:(?:like|uh|um)\b[\s,]*)?$",  # "his badge was number four four seven", "is like"
    re.I,
)
# A number in custody: a locker, a bunk, a bed, a pod in a jail, a prison or a county ("my bunk at the county was c
# fourteen", "Cell Block C, bunk 14"); a locker at a gym or a jersey's number are none.
_CUSTODY_CUE = re.compile(
    rf"\b(?:locker|bunk|bed|pod|tier|dorm)(?:\s+(?:number|no|#))?{WHERE}[\s,:]*(?:is|was|'s)?[\s,:]*$", re.I
)
_CUSTODY = re.compile(
    r"\b(?:jail|county|prison|detention|juvie|juvenile|correctional|penitentiary|pen|lockup|block|facility|"
    r"cdcr|tdcj|doc|state\s+pen)\b",
    re.I,
)
# A number named by its kind: any word before "number" ("my Corrections number was", "my nhi number's", "the
# client number is"), unless the word makes it a phone's ("my cell number", "her old number", "mom's number"), a
# place's or a rank's ("room number", "jersey number", "my lucky number"); or an acronym before "is" ("my PHIN is",
# lowercase "my phin is": two to five letters that are no word).
_KIND_NUMBER = re.compile(
    rf"\b([A-Za-z][\w'’.]*)(\s+|-)(?:number|no\.?|#|num)(?:['’]s)?{WHERE}[\s,:]*(?:(?:is|was|were|it's|it\s+was)\b)?"
    r"[\s,:]*(?:(?:like|uh|um)\b[\s,]*)?$",
    re.I,
)
_ACRONYM_IS = re.compile(r"\b([A-Za-z]{2,5})(?:['’]s|\s+(?:is|was|were))[\s,:]*(?:(?:like|uh|um)\b[\s,]*)?$")
NOT_ID_KINDS = {
    # a phone's
    "phone", "cell", "cellphone", "mobile", "home", "work", "contact", "telephone", "tel", "fax", "landline",
    "emergency", "hotline", "toll-free", "office", "business", "text", "burner", "trap", "personal", "direct",
    "callback", "whatsapp", "old", "new", "other", "real", "current", "same", "different", "wrong", "right",
    "first", "last", "main", "only", "whole", "google", "voice", "area",
    # a place's, a rank's or a count's
    "room", "apartment", "apt", "unit", "lot", "suite", "house", "street", "step", "page", "chapter", "verse",
    "jersey", "lucky", "favorite", "favourite", "bus", "route", "exit", "flight", "track", "channel", "seat",
    "bed", "bunk", "tier", "pod", "dorm", "locker", "table", "size", "shoe", "model", "part", "lottery",
    "winning", "magic", "random", "block", "building", "floor", "gate", "platform", "ward", "bay", "box",
    "version", "episode", "song", "hymn", "psalm", "grade", "level", "phase", "round", "question", "item",
    "big", "small", "huge", "high", "low", "even", "odd", "prime", "the", "a", "an", "any", "that", "this",
    "what", "which", "whose", "your", "my", "his", "her", "their", "our", "its", "whatever", "some", "no",
}  # fmt: skip


_POSSESSIVE = re.compile(r"\b(?:my|his|her|their|your|our)\s+$", re.I)


def named_kind(before: str) -> bool:
    """Whether ``before`` ends with a number's kind that makes the number after it an ID: "my Corrections
    number was", "my nhi number's", "my PHIN is" (see _KIND_NUMBER)."""
    from fieldvault.redact.lexicon import STOPWORDS, dictionary

    kind = _KIND_NUMBER.search(before)
    if kind is not None:
        word = kind.group(1).lower().rstrip(".")
        if kind.group(2) == "-":
            return True  # "my A-number is": a hyphen makes the letter the number's name, never an article
        if word == "a" and _POSSESSIVE.search(before[: kind.start(1)]):
            return True  # "my a number is": no article follows a possessive, so the letter names the number
        return not (word in NOT_ID_KINDS or word in STOPWORDS or word.endswith(("'s", "’s", "s'")))
    acronym = _ACRONYM_IS.search(before)
    if acronym is None:
        return False
    word = acronym.group(1)
    if word.isupper():
        return word.lower() not in STOPWORDS
    return word.islower() and word not in dictionary()[0] and word not in STOPWORDS and word not in NOT_ID_KINDS


# A licence plate said aloud: "plate seven x y z one two three", "the tag was four k l m two two nine".
# A plate's state may be said between its cue and its letters: "his license plate is texas, k l m, seven seven four".
_PLATE_CUE = re.compile(
    r"\b(?:plate|plates|tag|tags|license|licence|rego|reg)(?:\s+(?:number|no|#))?[\s,:]*(?:is|was|were|'s)?[\s,:]*"
    r"(?:(?:" + "|".join(sorted(US_STATES, key=len, reverse=True)) + r")[\s,:]+)?$",
    re.I,
)
# The phonetic alphabet: a letter said as a word in a plate or an ID ("bravo bravo seven, four four two").
NATO = {
    "alpha": "a", "alfa": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f", "golf": "g",
    "hotel": "h", "india": "i", "juliet": "j", "juliett": "j", "kilo": "k", "lima": "l", "mike": "m",
    "november": "n", "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s", "tango": "t",
    "uniform": "u", "victor": "v", "whiskey": "w", "whisky": "w", "xray": "x", "x-ray": "x", "yankee": "y",
    "zulu": "z",
}  # fmt: skip


def _said_letter_or_number(word: str) -> bool:
    return word in SPOKEN_NUMBERS or word.isdigit() or word in NATO or (len(word) == 1 and word.isalpha())


_SAID_CUES = {"dob", "ssn", "sin"}
_SCHEME = re.compile(ID_SCHEMES, re.I)
_CUE_WORDS = _SAID_CUES | {"id", "ein", "itin", "dl", "nhs", "phn", "mrn", "tel", "ph", "fax"}
# Letters said alone that are no part of a number: times, the US, TV, OK, DC.
_ABBREVIATIONS = {"am", "pm", "us", "tv", "ok", "dc", "ad", "bc", "uk", "la", "ny", "nj"}
# "zip's" is a word, not "zip" and a letter; "x-ray" a letter said in the phonetic alphabet
_SPOKEN_TOKEN = re.compile(r"[Xx]-[Rr]ay\b|[A-Za-z]+(?:['’][A-Za-z]+)?|-|\d+")
_QUANTITY = re.compile(
    r"-(?:hour|day|week|month|year|minute|second|mile|foot|feet|inch|pound|ounce|gram|dollar|man|person|bed|"
    r"room|step|point|page)s?\b",
    re.I,
)


def _letters(token: str) -> bool:
    """A letter said alone ("c r"), or two or three written as one that are no word ("CR", "cr")."""
    if len(token) == 1:
        return token.isalpha()
    if len(token) > 3 or not token.isalpha():
        return False
    from fieldvault.redact.lexicon import STOPWORDS, dictionary

    return token.isupper() or (token not in dictionary()[0] and token not in STOPWORDS)


_DASHED_DATE = re.compile(r"(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])-(?:\d{2}|\d{4})")
_YEARS = re.compile(r"(?:19|20)\d\d\s*-\s*(?:(?:19|20)?\d\d)")  # a span of years: "2014-2016", "1998-99"
# What follows an ID's last letters: the end of a sentence or a clause, never a word ("12345 a day").
_SAID_LAST = re.compile(r"\s*(?:[.,;:!?)]|$)")


def _recited(letters: list[str], numbers: list[str]) -> bool:
    """Letters or numbers said in order ("a b c, one two three"): a rhyme or a list, no ID."""
    in_order = all(ord(b) - ord(a) == 1 for a, b in itertools.pairwise(letters))
    return in_order or _counting(" ".join(numbers))


def _goes_on(text: str, start: int, token: re.Match[str], after: re.Match[str] | None) -> bool:
    """Whether a number said after its ID cue goes on past a full stop or a segment break with ``token`` ("my
    inmate number was one nine four. four two six."), and ``after`` it another number or the clause's end, not a
    word ("... one nine four. four years later")."""
    before = text[max(0, start - 40) : start]
    word = token.group().lower()
    number = word in SPOKEN_NUMBERS or word.isdigit() or word in _DASHES
    follows = after is None or _SAID_LAST.match(text, token.end()) is not None
    if after is not None and not follows:
        said = after.group().lower()
        follows = said in SPOKEN_NUMBERS or said.isdigit() or said in _DASHES
    return number and follows and bool(_ID_CUE.search(before) or named_kind(before))


# Fillers said inside a number ("three four one, um, two two nine", "one one, uh, four two"): the number goes on.
HESITATIONS = {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "hmm", "then"}
_HESITATION = re.compile(r"\b(?:" + "|".join(sorted(HESITATIONS)) + r"|and(?=\s+then\b))\b", re.I)


def _spoken_word(word: str) -> bool:
    """A word of speech two letters long ("is", "on", "um"), never an ID's letters."""
    from fieldvault.redact.lexicon import STOPWORDS

    return word in STOPWORDS or word in HESITATIONS or word in _ABBREVIATIONS


def _number_goes_on(said: list[re.Match[str]], at: int) -> bool:
    """Whether a number said aloud comes after the fillers from token ``at`` ("um, two two nine"; not "um, so")."""
    k = at
    while k < len(said) and said[k].group().lower() in HESITATIONS | {"and"}:
        k += 1
    return k < len(said) and (said[k].group().lower() in SPOKEN_NUMBERS or said[k].group().isdigit())


def _cued(text: str, start: int) -> bool:
    """Whether an ID's cue ends right before ``start`` ("my inmate number was", "my PHIN is")."""
    before = re.sub(r"(?<![\w'’])a[\s,]*$", "", text[max(0, start - 40) : start], flags=re.I)  # "is a six ..."
    return bool(_ID_CUE.search(before) or named_kind(before))


def _pair_last(said: list[re.Match[str]], at: int) -> bool:
    """ "a" said as the first of two letters that end a number after a comma: "five nine one, a k, the a k is the
    version code" (not "5150, a 72-hour hold", "..., a lot")."""
    if said[at].group().lower() != "a" or at + 1 >= len(said) or at == 0:
        return False
    nxt, before = said[at + 1].group(), said[at - 1].group().lower()
    number_before = before in SPOKEN_NUMBERS or before.isdigit()
    return number_before and len(nxt) == 1 and nxt.isalpha() and nxt.lower() not in ("a", "i")


# The hyphen of a number written as one word ("forty-two", "twenty-one"): no dash between an ID's parts, so "17 April
# 2016, forty-two of us" holds no case number.
_COMPOUND_HYPHEN = re.compile(
    r"(?<![a-z])(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|"
    r"eight|nine)\b",
    re.I,
)


def _compound_hyphen(text: str, at: int) -> bool:
    return any(m.start() < at < m.end() for m in _COMPOUND_HYPHEN.finditer(text, max(0, at - 8), at + 7))


def _spoken_ids(text: str) -> list[Span]:
    """Spoken case and ID numbers: five digits or more with a letter or a dash among them ("f one seven dash
    three three two zero"), or three or more after a cue ("my inmate number was four eight eight two ...")."""
    spans: list[Span] = []
    run: list[re.Match[str]] = []
    as_in: set[int] = set()

    def close() -> None:
        tail: list[re.Match[str]] = []
        while run and not (run[-1].group().lower() in SPOKEN_NUMBERS or run[-1].group().isdigit()):
            tail.insert(0, run.pop())  # ends on a number, or on letters said last (below)
        while run and run[0].group().lower() in _JOINS:
            run.pop(0)
        said = "".join(m.group().lower() for m in run[:3])
        if len(run) > 3 and said in _SAID_CUES and all(len(m.group()) == 1 for m in run[:3]):
            del run[:3]  # "d o b nine, twelve, eighty eight": the cue said letter by letter, then the number
        first = index.get(run[0].start(), 0) if run else 0
        number_first = bool(run) and (run[0].group().lower() in SPOKEN_NUMBERS or run[0].group().isdigit())
        if number_first and first > 0 and said_tokens[first - 1].group().lower() == "a":
            letter_a = said_tokens[first - 1]  # "my prison number was a two seven four one", "A 204 118 337"
            cue = text[max(0, letter_a.start() - 40) : letter_a.start()]
            if text[letter_a.end() : run[0].start()].strip(" ,") == "" and (_ID_CUE.search(cue) or named_kind(cue)):
                run.insert(0, letter_a)
        words = [
            NATO.get(m.group().lower(), m.group().lower())
            for m in run
            if index[m.start()] not in as_in and not (m.group() == "-" and _compound_hyphen(text, m.start()))
        ]
        digits = sum(len(w) if w.isdigit() else 2 if w in _TWO_DIGITS else w in _SPOKEN_DIGITS for w in words)
        others = sum(w not in SPOKEN_NUMBERS and not w.isdigit() for w in words)  # letters and dashes
        start_at = run[0].start() if run else 0
        before = text[max(0, start_at - 40) : start_at] if run else ""
        cued = bool(run) and bool(_ID_CUE.search(before) or named_kind(before))
        letters = sum(len(w) for w in words if w not in SPOKEN_NUMBERS and not w.isdigit() and w not in _JOINS)
        plate = bool(_PLATE_CUE.search(before)) and digits >= 1 and letters >= 1 and digits + letters >= 4
        # Six digits or more said one by one and not counted: an ID by default ("one nine four four two six")
        one_by_one = [w for w in words if w in _SPOKEN_DIGITS or (w.isdigit() and len(w) == 1)]
        values = [_DIGIT_VALUES.get(w, 0) for w in one_by_one]
        steps = {b - a for a, b in itertools.pairwise(values)}
        counted = steps in ({1}, {-1}, {0}) or (bool(run) and _counting(text[run[0].start() : run[-1].end()]))
        plain = others == 0 and len(one_by_one) == len(words) >= 6 and not counted
        said_run = text[run[0].start() : run[-1].end()] if run else ""
        if _DASHED_DATE.fullmatch(said_run) or _YEARS.fullmatch(said_run):
            run.clear()  # "03-14-90" is a date (spoken.py's), "2014-2016" years, not a case number
            return
        # Two letters said alone or more, then three digits or more: "a b one two three" (not "six thirty p m")
        singles = [w for w in words if len(w) == 1 and w.isalpha()]
        spelt_word = all(
            w == "o" for w in words if w in SPOKEN_NUMBERS or w.isdigit()
        )  # "o u t l o o k", "b r o o k s"
        spelt = (
            not spelt_word
            and len(singles) >= 2
            and digits >= 3
            and "".join(singles) not in _ABBREVIATIONS
            and not _recited(singles, [w for w in words if w in _SPOKEN_DIGITS or w.isdigit()])
        )
        custody = bool(_CUSTODY_CUE.search(before)) and digits >= 2
        custody = custody and bool(_CUSTODY.search(text[max(0, start_at - 80) : start_at]))
        if (
            (digits >= 5 and others >= 1) or (cued and digits + others >= 3 and digits >= 3) or plate or plain or spelt
            or custody
        ):  # fmt: skip
            start, end = run[0].start(), run[-1].end()
            letters_last = tail[: next((k for k, m in enumerate(tail) if m.group().lower() in _JOINS), len(tail))]
            said_last = [m for m in letters_last if index[m.start()] not in as_in]  # "k as in kilo" one letter
            most = 3 if plate else 2  # a British plate ends on three letters: "l k sixty eight, x y z"
            if 0 < len(said_last) <= most and _SAID_LAST.match(text, letters_last[-1].end()) and digits >= 4 - plate:
                end = letters_last[-1].end()  # "5584 927 316 KT.", "... one nine, d, i know": its last letters
            # by default only: a date of birth said digit by digit, a postcode letter by letter keep their label
            sure = 0.8 if cued or plate or (digits >= 5 and others >= 1) else 0.6
            spans.append(Span(start, end, "ID", "pattern", text[start:end], sure))
        run.clear()

    said = list(_SPOKEN_TOKEN.finditer(text))
    said_tokens, index = said, {m.start(): k for k, m in enumerate(said)}
    # "d as in david", "w as in william": the words after a letter that say which letter it is
    for k in range(len(said) - 3):
        letter_said = len(said[k].group()) == 1 and said[k].group().isalpha()
        if letter_said and [m.group().lower() for m in said[k + 1 : k + 3]] == ["as", "in"]:
            if text[said[k].end() : said[k + 3].start()].strip() == "as in" and said[k + 3].group()[:1].isalpha():
                as_in.update((k + 1, k + 2, k + 3))
    for at, token in enumerate(said):
        word = token.group().lower()
        if at in as_in and run:
            run.append(token)
            continue
        if run and word in HESITATIONS and _number_goes_on(said, at) and _cued(text, run[0].start()):
            continue  # "my sin is three four one, um, two two nine": a filler inside a number stays inside its span
        gap = _HESITATION.sub("", text[run[-1].end() : token.start()]) if run else ""
        after = said[at + 1] if at + 1 < len(said) else None
        if run and gap.strip(" ,") != "" and not (gap.strip() == "." and _goes_on(text, run[0].start(), token, after)):
            close()
        if word.isdigit() and _QUANTITY.match(text, token.end()):
            close()  # "a 72-hour hold", "a 30-day program": a length of time, no part of a number
            continue
        # "a" and "i" are letters inside a run, not after a comma: "5150, a 72-hour hold"
        # "a b c one two three": "a" begins a run of letters said one by one
        spelled = at + 1 < len(said) and len(said[at + 1].group()) == 1 and said[at + 1].group().isalpha()
        letter = _letters(token.group()) and (
            word not in ("a", "i") or (bool(run) and "," not in gap) or (not run and spelled) or _pair_last(said, at)
        )
        if word in NATO:  # "bravo bravo seven": a letter beside a number or another letter, never alone
            letter = bool(run) or (after is not None and _said_letter_or_number(after.group().lower()))
        # An ID's letters after its cue even when they make a word: "my passport number is ea 123 4567"
        cued_letters = (
            not run
            and len(word) == 2
            and word.isalpha()
            and not _spoken_word(word)
            and after is not None
            and (after.group().isdigit() or after.group().lower() in SPOKEN_NUMBERS)
            and _cued(text, token.start())
        )
        if (word in _CUE_WORDS and len(word) > 1) or _SCHEME.fullmatch(word):
            close()  # "713-555-0123, SSN 431-77-2981", "my nin, four k, ...": a cue parts numbers, never in one
        elif cued_letters:
            run.append(token)
        elif (
            word in SPOKEN_NUMBERS
            or word.isdigit()
            or letter
            or (run and word in _DASHES)
            or (run and word in _CUED_JOINS and _cued(text, run[0].start()))
        ):
            run.append(token)
        else:
            close()
    close()
    return spans


# Words before a street's suffix that make no street name: "the same street", "what street?" (QA E21: the question
# itself was proposed), "any road".
_NOT_STREET = {"the", "a", "main", "one", "that", "this", "my", "his", "her", "their", "our", "same", "other", "off",
               "what", "which", "whose", "any", "every", "each", "some", "no", "another"}  # fmt: skip


_ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
_PHRASE_ENDS = {"place", "way", "court", "circle", "trail", "terrace"}


# Independence Day is a holiday, not a date of someone's life, unless a year or a birth goes with it.
_HOLIDAY_DATE = re.compile(r"(?:the\s+)?(?:fourth|4th)\s+(?:of\s+)?july|july\s+(?:the\s+)?(?:fourth|4th|4)", re.I)
_BIRTH_CUE = re.compile(r"\b(?:born|birthday|bday|b-day|birth)\b[^.?!]{0,20}$", re.I)


def holiday(text: str, start: int, end: int) -> bool:
    return bool(_HOLIDAY_DATE.fullmatch(text[start:end])) and not _BIRTH_CUE.search(text[max(0, start - 40) : start])


def _counting(text: str) -> bool:
    """Numbers said in order ("one two three four five six seven"), or groups in order ("one oh four, one oh
    five, one oh six": rooms along a hall): counting, not a phone number."""
    words = re.findall(r"[a-z]+|\d", text.lower())
    if not all(w in _DIGIT_VALUES for w in words):
        return False
    groups = [re.findall(r"[a-z]+|\d", g) for g in text.lower().split(",") if g.strip()]
    values = [int("".join(str(_DIGIT_VALUES[w]) for w in g)) for g in groups]
    if len(values) >= 3 and len({b - a for a, b in itertools.pairwise(values)}) == 1:
        return True
    return all(_DIGIT_VALUES[b] == _DIGIT_VALUES[a] + 1 for a, b in itertools.pairwise(words))


_DIGIT_VALUES = (
    {w: n for n, w in enumerate("zero one two three four five six seven eight nine".split())}
    | {str(n): n for n in range(10)}
    | {"oh": 0, "o": 0}
)


def find_patterns(text: str) -> list[Span]:
    text = typed(text)
    spans = []
    for label, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span(match.lastindex or 0)
            words = text[start:end].lower().split()
            if label == "LOCATION" and words and words[0] in _NOT_STREET and len(words) == 2:
                continue
            if label == "LOCATION" and len(words) == 2 and words[0] in _ORDINALS and words[1] in _PHRASE_ENDS:
                continue  # "in first place", "the second way", "my first court date": no numbered street
            tail = text[start - 1 : start] == "-" or bool(_NOT_NAME & set(words))
            if label == "LOCATION" and words[0][:1].isdigit() and tail:
                continue  # "case CF-2014-3318 in district court": an ID's tail, a preposition, then a court
            digits = len(re.sub(r"\D", "", text[start:end]))
            if label == "CONTACT" and pattern is _CALL_NUMBER and digits < 7:
                continue  # "the hotline, 1-800 something": a prefix alone is no number
            if pattern is _INTERNATIONAL and not 10 <= digits <= 13:
                continue
            if (label == "DATE" and holiday(text, start, end)) or (label == "CONTACT" and _counting(text[start:end])):
                continue
            if label == "CONTACT" and _MAIL_HOST.fullmatch(text[start:end]):
                continue  # "everyone has gmail.com now": a provider's own site, no one's address
            if label == "CONTACT" and pattern is not _HANDLE:
                label = _cued_label(text[max(0, start - 50) : start])
            yearless = not re.search(r"\d{4}|['’]\d\d", text[start:end])
            if label == "DATE" and yearless and _COUNTED_AFTER.match(text, end):
                continue  # "in March 2 years in a row": a month, then a count
            spans.append(Span(start, end, label, "pattern", text[start:end], 0.9))
    spans += _calendar_dates(text) + _case_years(text) + _grouped_numbers(text)
    return [s for s in spans + _spoken_ids(text) if s.label == "DATE" or not _verse_said(text, s)]


# A number written in groups the way phones and ID cards are printed around the world (the groupings of Faker's
# phone formats for its 80-odd locales: "8805 1173", "91 234 56 78", "612 345 678", "20 45 67 89 10"): one
# separator throughout, 7 to 13 digits, a letter or two before it and a dash allowed (a cédula's "V-24.118.305"),
# and a check digit after a dash where the groups are dotted (a Chilean RUT's "25.481.337-2" or "9.876.543-K", a
# Brazilian CPF's "123.456.789-09"). Never an amount ("1.500.000", "12 500 000": groups of three that end in 000, or
# one digit first unless an ID's cue comes before it: "my cedula number is 1.023.456.789"), years ("2019 2020"), a
# count ("15 16 17 18") nor a date ("12.05.2019", the date patterns' own).
_GROUPED = re.compile(
    r"(?<![\w.,/:+-])(?:([A-Za-z]{1,2})-?)?(\d{1,5})([ .-])(\d{2,7})(?:\3(\d{2,5})){0,3}"
    r"(?:(?<=\.\d{3})-(\d{1,2}|[Kk]))?(?![\w/:]|[.,-]\d)"
)
_PRINTED_DATE = re.compile(r"(?:0?[1-9]|[12]\d|3[01])([.\s-])(?:0?[1-9]|1[0-2])\1(?:19|20)\d\d")


def _grouped_numbers(text: str) -> list[Span]:
    spans = []
    for match in _GROUPED.finditer(text):
        said = match.group()
        letters = match.group(1) or ""
        check = match.group(6)
        end = match.start(6) - 1 if check else match.end()  # the check digit and its dash are no group
        number = text[match.start() + len(letters) : end].lstrip("-")
        groups = re.split(r"[ .-]", number)
        digits = "".join(groups)
        if not 7 <= len(digits) <= 13 or (letters and letters.lower() in STOPWORDS):
            continue
        if letters and not (said[0].isupper() or said[len(letters)] == "-"):
            continue  # "ab 1234 5678" lowercase: a word, not a card's letter, unless dashed to the number
        label = "ID" if letters or check else _cued_label(text[max(0, match.start() - 50) : match.start()])
        if len(groups[0]) == 1 and label != "ID":
            continue  # "1 500 000", "4 5 6 7 8 9 10": an amount or a count
        if not check and (
            (all(len(g) == 3 for g in groups[1:]) and groups[-1] == "000") or all(g.endswith("0") for g in groups)
        ):
            continue  # "1200 1500 2000", "10 20 30 40 50": amounts and steps, round
        values = [int(g) for g in groups]
        if all(len(g) == 4 and 1900 <= v <= 2099 for g, v in zip(groups, values, strict=True)):
            continue
        steps = {b - a for a, b in itertools.pairwise(values)}
        if len(steps) == 1 and steps <= {1, -1}:
            continue
        if max(len(g) for g in groups) <= 2 and len(digits) < 9:
            continue  # "12 14 16 18": four ages; a phone in pairs has five of them
        if _PRINTED_DATE.fullmatch(number):
            continue
        spans.append(Span(match.start(), match.end(), label, "pattern", said, 0.8))
    return spans


# A date in a calendar whose months English has no word for (Nepali, Islamic, Ethiopian, Hebrew...), known by its
# shape: a day and a year around a word no dictionary holds ("14 Falgun 2072", "Baisakh 9, 2076", "15 Sha'ban
# 1445"), or an ordinal day "of" it ("the twenty second of jestha"). Not "12 people 2019", "the first of them".
_MONTH_WORD = r"([A-Za-z][\w'’]*(?:-[A-Za-z]+)?)"
_DAY_MONTH_YEAR = re.compile(rf"(?<![\w/.,-])(?:[1-9]|[12]\d|3[01])\s+{_MONTH_WORD}\s+\d{{4}}(?![\w/-])")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH_WORD}\s+(?:[1-9]|[12]\d|3[01]),?\s+\d{{4}}(?![\w/-])")
_DAY_OF_MONTH = re.compile(
    rf"\bthe\s+(?:{_ORDINAL_WORDS}|(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th))\s+of\s+{_MONTH_WORD}(?:,?\s+\d{{4}}\b)?",
    re.I,
)


_NOT_MONTHS = STOPWORDS | SPOKEN_NUMBERS | set(MONTHS) | WEEKDAYS


def _calendar_dates(text: str) -> list[Span]:
    ordinary = dictionary()[0]
    spans = []
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _DAY_OF_MONTH):
        for match in pattern.finditer(text):
            word = match.group(1).lower()
            if word in ordinary or word in _NOT_MONTHS or word.rstrip("s") in ordinary:
                continue  # an English month is the other patterns' (and "the fourth of july" a holiday)
            spans.append(Span(match.start(), match.end(), "DATE", "pattern", match.group(), 0.7))
    return spans


# A case number's serial and year (or year and serial) after its court's letters or a case's cue: "case number CR
# 47/2019", "HC 9/2021", "KB 2021/0388", "CF 0417/22" (a short year after a serial of three digits or more);
# the letters in capitals, or lowercase after "case", "number", "file" or "reference" (not a month and its year said
# "9/2019", nor "24/7").
_CASE_YEAR = re.compile(
    r"(?<![\w/])(?:([A-Za-z]{1,4})\.?\s+)?(\d{1,6}/(?:19|20)\d\d|(?:19|20)\d\d/\d{3,6}|\d{3,6}/\d\d)(?![\w/])"
)
# Right after a case's cue, a year and serial ("Criminal Case No. 21/1187") and the court's letters after a slash
# ("21/1187 SC/CRML"): five digits or more, so no rate ("24/7") is taken.
_CUED_SLASHED = re.compile(
    r"\b(?:case|no\.?|number|file|reference|ref\.?)\s*(?:is\s+|was\s+)?[:#]?\s*(\d{1,6}/\d{2,6})"
    r"((?:\s+[A-Za-z]{1,5}/[A-Za-z]{1,6})*)(?![\w/])",
    re.I,
)


def _case_years(text: str) -> list[Span]:
    spans = []
    for match in _CASE_YEAR.finditer(text):
        letters = match.group(1) or ""
        first, second = match.group(2).split("/")
        cued = _NUMBER_SAID.search(text, max(0, match.start() - 60), match.start()) is not None
        short = len(second) == 2  # "0417/22": a serial and a short year only after a court's letters ("CF 0417/22")
        # A year then a serial is a case's shape whatever is said before it ("2020/0417"), not two years
        # ("2019/2020"); its letters lowercase are no word ("ck 2020/0417", not "in 2020/0417").
        year_first = (
            len(first) == 4 and first[:2] in ("19", "20") and not short and not re.fullmatch(r"(?:19|20)\d\d", second)
        )
        unworded = year_first and letters.lower() not in dictionary()[0]
        code = (
            bool(letters)
            and letters.lower() not in STOPWORDS | _ABBREVIATIONS
            and (letters.isupper() or cued or unworded)
        )
        if not code and (short or not (cued and len(first) >= 2)) and not year_first:
            continue
        start = match.start() if code else match.start(2)
        spans.append(Span(start, match.end(), "ID", "pattern", text[start : match.end()], 0.8))
    for match in _CUED_SLASHED.finditer(text):
        if sum(c.isdigit() for c in match.group(1)) >= 5:
            spans.append(Span(match.start(1), match.end(), "ID", "pattern", text[match.start(1) : match.end()], 0.8))
    return spans


_MAIL_HOST = re.compile(r"(?:gmail|yahoo|hotmail|outlook|icloud|aol|facebook|instagram|google|youtube)\.com", re.I)
# What is counted after a number: "in March 2 years in a row", "May 3 times".
_COUNTED_AFTER = re.compile(
    r"\s+(?:years?|yrs|times?|days?|weeks?|months?|hours?|minutes?|people|kids|guys|girls|men|women|dollars|bucks|"
    r"grand|pills|of\s+(?:us|them|those))\b",
    re.I,
)
# A book of the Bible said before its chapter and verse ("Psalm thirty-four eighteen", "romans eight twenty eight").
_BOOK_BEFORE = re.compile(r"\b([A-Za-z]+)\s+$")
_BOOKS = BIBLE_BOOKS - {"numbers", "step", "section"}  # "her numbers, five five five ..." is a phone


def _verse_said(text: str, span: Span) -> bool:
    """A chapter and verse after a book of the Bible: at most five digits, where a phone or an ID has more."""
    book = _BOOK_BEFORE.search(text[max(0, span.start - 20) : span.start])
    if book is None or book.group(1).lower() not in _BOOKS:
        return False
    words = re.findall(r"[a-z]+|\d+", span.text.lower())
    if not all(w.isdigit() or w in SPOKEN_NUMBERS for w in words):
        return False
    digits = sum(len(w) if w.isdigit() else 2 if w in _TWO_DIGITS else 1 for w in words)
    return digits <= 5


# A number's cue names its kind: "booking number", "my social (security number) is" an ID, "date of birth" a date.
_ID_NUMBER_CUE = re.compile(
    r"\b(?:social(?:\s+security)?|ssn|sin|passport|booking|inmate|case|docket|member|policy|account|licen[cs]e|"
    r"id|indictment|cause|citation|warrant|file|medicare|medicaid|health(?:\s+card)?|nhs|chi|pps|ohip|patient|"
    rf"insurance|{ID_SCHEMES})(?:\s+(?:number|no|#))?{WHERE}[\s,:]*(?:is|was|were|'s)?[\s,:]*$",
    re.I,
)
_DATE_NUMBER_CUE = re.compile(
    r"\b(?:date\s+of\s+birth|d\s?o\s?b|birthday|birth\s+date|born(?:\s+on)?)(?:['’]s)?[\s,:]*(?:is|was|'s)?[\s,:]*$",
    re.I,
)


_LETTERS_SAID = re.compile(r"(?:(?<![\w'’])(?:[A-Za-z]|" + "|".join(NATO) + r")\s+){1,3}$", re.I)


def _cued_label(before: str) -> str:
    """CONTACT for a number said without a cue; ID or DATE where what is said before it names its kind (a letter
    said first is the number's: "my california id is d seven seven four ...")."""
    before = _LETTERS_SAID.sub("", before)
    if _ID_NUMBER_CUE.search(before) or named_kind(before):
        return "ID"
    return "DATE" if _DATE_NUMBER_CUE.search(before) else "CONTACT"


# Parts of a number said around the part a layer found. An ID's or a phone's first group said before a filler
# ("it was one two, uh, seven seven four, oh eight one", "my license, it's v one five two, uh, four one two seven"),
# its last group after one ("six oh three, five five five, zero, uh, one two nine"), a case number's year or
# series after a slash or "of" ("B 4417/21", "CR 1147/2019", "HAC 112 of 2020", "two one seven of twenty twenty
# two", "c r slash oh seven two, three one one, slash seventeen"), a date's weekday before it ("Tuesday the 8th of
# June 2021") and its year said after it ("may twelfth twenty twenty").
_GROUP_WORD = r"(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double|triple|[a-z]|\d{1,4})"
_FILLER = r"(?:uh|um|umm|uhm|er|erm|eh|ah)"
_LEAD_GROUP = re.compile(
    rf"(?:^|(?<=[\s,:]))((?:{_GROUP_WORD}\s+){{0,3}}{_GROUP_WORD}),?\s+(?:{_FILLER},|slash|stroke|dash)\s+$", re.I
)
_LEAD_CUE = re.compile(r"(?:\b(?:is|was|it['’]s|number|no\.?|#)|[,:])\s*$", re.I)
_TAIL_GROUP = re.compile(
    rf",?\s+(?:{_FILLER}|like),\s+((?:{_GROUP_WORD}\s+){{0,3}}{_GROUP_WORD})(?=\s*(?:[.,;:!?]|$))", re.I
)
_SPOKEN_YEAR = (
    r"(?:(?:nineteen|twenty)[\s-](?:oh[\s-][a-z]+|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|"
    r"six|seven|eight|nine)\b)?)|two\s+thousand(?:\s+and)?(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-](?:one|two|three|"
    r"four|five|six|seven|eight|nine)\b)?))?)\b"
)
# After "slash" a year said whole comes before a single letter, or "twenty three" would end at its "t".
_ID_TAIL = re.compile(
    rf"(?:\s?/\s?[A-Za-z0-9]+)+(?![\w/])|,?\s+of,?\s+(?:(?:19|20)\d\d\b|{_SPOKEN_YEAR})|"
    rf"(?:,?\s+(?:{_FILLER},\s+)?(?:slash|stroke),?\s+(?:{_SPOKEN_YEAR}|(?:eleven|twelve|thirteen|fourteen|fifteen|"
    rf"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|"
    rf"three|four|five|six|seven|eight|nine))?|{_GROUP_WORD})\b(?:\s+{_GROUP_WORD}\b)*)+",
    re.I,
)
# A number said in two parts or more, then "slash" and its year or series, a little after a number's word: "the o b
# number they gave me was seven two one, uh, slash twenty nineteen" (not "open twenty four slash seven").
_DIGIT_SAID = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d+)"
# A year or a series said as one number after the slash: "four four one, stroke, twenty", "... slash nineteen".
_TENS_SAID = (
    r"(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?\b"
)
_SAID_SLASHED = re.compile(
    rf"(?<![\w'’-])(?:{_DIGIT_SAID}[\s,]+){{1,6}}{_DIGIT_SAID},?\s+(?:{_FILLER},\s+)?(?:slash|stroke),?\s+"
    rf"(?:{_SPOKEN_YEAR}|{_TENS_SAID}|(?:{_DIGIT_SAID}\s+){{0,3}}{_DIGIT_SAID}\b)",
    re.I,
)
_NUMBER_SAID = re.compile(r"\b(?:number|no\.|case|reference|file)\b", re.I)
_WEEKDAY_BEFORE = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+$", re.I)
_YEAR_AFTER = re.compile(rf",?\s+{_SPOKEN_YEAR}", re.I)
_YEAR_SAID = re.compile(rf"\d{{4}}|['’]\d\d|{_SPOKEN_YEAR}", re.I)
# A written case number of parts between slashes with letters and digits ("FSU/WR/0419/20", "CRI/bil/00412/2020"):
# three parts or more, or letters and four digits; never a date ("3/9/2018") nor a rate ("24/7", "50/50").
_SLASHED_ID = re.compile(r"(?<![\w/])[A-Za-z0-9]+(?:/[A-Za-z0-9]+){1,4}(?![\w/])")


def _slashed_id(said: str) -> bool:
    digits = sum(c.isdigit() for c in said)
    parts = said.split("/")
    if re.fullmatch(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?", said):
        return False
    letters = any(c.isalpha() for c in said)
    return (letters and digits >= 4 and len(parts) >= 2 and any(p.isdigit() for p in parts)) or (
        len(parts) >= 3 and digits >= 6
    )


def number_parts(text: str, spans: list[Span]) -> list[Span]:
    """Spans for the parts of IDs, phones and dates said around what the layers found (they overlap it and merge
    into one); written case numbers with slashes."""
    found: list[Span] = []
    for span in spans:
        start, end = span.start, span.end
        if span.label in ("ID", "CONTACT") and span.source in ("pattern", "context"):
            lead = _LEAD_GROUP.search(text, max(0, start - 40), start)
            if lead and _LEAD_CUE.search(text, max(0, lead.start(1) - 12), lead.start(1)):
                words = lead.group(1).lower().split()
                letters = [w for w in words if len(w) == 1 and w.isalpha()]
                if len(letters) < len(words) or len(letters) >= 2:
                    start = lead.start(1)
            tail = _TAIL_GROUP.match(text, end)
            if tail and sum(_group_digits(w) for w in (text[start:end] + " " + tail.group(1)).lower().split()) <= 13:
                end = tail.end(1)
                end = _more_groups(text, start, end)
            if span.label == "ID":
                more = _ID_TAIL.match(text, end)
                if more:
                    end = more.end()
        if span.label == "DATE":
            weekday = _WEEKDAY_BEFORE.search(text, max(0, start - 12), start)
            if weekday:
                start = weekday.start()
            year = _YEAR_AFTER.match(text, end)
            if year and not _YEAR_SAID.search(span.text):
                end = year.end()
        if (start, end) != (span.start, span.end):
            found.append(Span(start, end, span.label, span.source, text[start:end], span.confidence))
    found += _bridged(text, spans)
    for match in _SAID_SLASHED.finditer(text):
        if _NUMBER_SAID.search(text, max(0, match.start() - 60), match.start()):
            found.append(Span(match.start(), match.end(), "ID", "pattern", match.group(), 0.7))
    for match in _SLASHED_ID.finditer(text):
        if _slashed_id(match.group()):
            found.append(Span(match.start(), match.end(), "ID", "pattern", match.group(), 0.8))
    return found


_FILLER_BETWEEN = re.compile(rf",?\s+{_FILLER},\s+", re.I)


def _bridged(text: str, spans: list[Span]) -> list[Span]:
    """Two numbers' spans with only a filler between, as one: "two nine five oh four one two, uh, one six oh three
    eight two" (a personal number a layer found in two)."""
    numbers = [s for s in spans if s.label in ("ID", "CONTACT") and s.source == "pattern"]
    starts = {s.start: s for s in numbers}
    found = []
    for span in numbers:
        between = _FILLER_BETWEEN.match(text, span.end)
        after = starts.get(between.end()) if between else None
        if after is not None:
            found.append(Span(span.start, after.end, span.label, "pattern", text[span.start : after.end], 0.7))
    return found


# A phone's groups go on after the group said after a filler: "eight oh nine, five five four, uh, two one, one seven"
# (ten digits at most: "..., two one, one seven, and four kids" ends at the number's end).
_MORE_GROUP = re.compile(rf",\s+((?:{_DIGIT_SAID}\s+){{0,3}}{_DIGIT_SAID})(?=\s*(?:[.,;:!?]|$))", re.I)


def _more_groups(text: str, start: int, end: int) -> int:
    more = _MORE_GROUP.match(text, end)
    while more and _digits_in(text[start : more.end(1)]) <= 10:
        end = more.end(1)
        more = _MORE_GROUP.match(text, end)
    return end


def _digits_in(said: str) -> int:
    return sum(_group_digits(w) for w in re.findall(r"[a-z]+|\d+", said.lower()))


def _group_digits(word: str) -> int:
    if word.isdigit():
        return len(word)
    return 1 if word in _SPOKEN_DIGITS else 0
