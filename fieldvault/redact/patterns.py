"""Layer 2: identifiers with a shape: phone numbers (digits or spoken), e-mail, URLs, street addresses,
dates more specific than a year, case and ID numbers."""

from __future__ import annotations

import re

from fieldvault.redact.lexicon import MONTHS
from fieldvault.redact.spans import Span

_DIGIT_WORDS = r"(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double|triple|\d)"
_MONTH = r"(?:" + "|".join(m for m in MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_ORDINAL_WORDS = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[- ]first)"
)
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_ORDINAL_WORDS})"
_STREET_TYPES = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|"
    r"highway|hwy|parkway|pkwy|circle|terrace|trail)\b\.?"
)
_NUMBER_WORDS = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("CONTACT", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("CONTACT", re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|edu|gov|io)\b", re.I)),
    ("CONTACT", re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")),
    ("CONTACT", re.compile(r"(?<!\d)\d{3}[\s.-]\d{4}(?!\d)")),
    ("CONTACT", re.compile(rf"\b{_DIGIT_WORDS}(?:[\s,.-]+{_DIGIT_WORDS}){{6,}}\b", re.I)),
    # A number as Whisper writes one it heard as words: "call me at 555 100 and 23, 4,567".
    (
        "CONTACT",
        re.compile(
            r"\b(?:call(?:s|ed|ing)?|number|phone|cell|text(?:s|ed)?|reach|dial(?:ed)?)\b[^.?!\d]{0,25}?"
            r"((?<![\w,])\d{1,4}(?:,\d{3})?(?:(?:\s*,\s*|\s+and\s+|\s+|-)\d{1,4}(?:,\d{3})?){1,5})(?![\w,]\d)",
            re.I,
        ),
    ),
    ("ID", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    (
        "ID",
        re.compile(
            r"\b(?:case|inmate|booking|file|id|docket|badge|account|social security|ssn)"
            r"(?:\s+(?:number|no\.?|#))?\s*(?:is\s+|was\s+)?[:#]?\s*([A-Z]{0,3}-?\d[\d-]{3,})\b",
            re.I,
        ),
    ),
    ("ID", re.compile(r"(?<![\d,.])\d{6,}(?![\d,])")),
    # Case, docket and booking numbers: letters and digits, often hyphenated (CR2008-114372, 24CR00517).
    ("ID", re.compile(r"(?<![\w-])(?=[\w-]*[A-Za-z])(?=(?:[\w-]*?\d){5})[A-Za-z\d]+(?:-[A-Za-z\d]+)*(?![\w-])")),
    ("DATE", re.compile(r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b")),
    ("DATE", re.compile(rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}\b(?:,?\s+\d{{4}})?", re.I)),
    ("DATE", re.compile(rf"\b(?:the\s+)?{_DAY}\s+of\s+{_MONTH}(?:,?\s+\d{{4}})?", re.I)),
    ("DATE", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?(?:19|20)\d\d\b", re.I)),
    ("LOCATION", re.compile(rf"\b\d{{1,5}}\s+(?:[nsew]\.?\s+)?(?:[a-z]+\s+){{0,3}}{_STREET_TYPES}", re.I)),
    ("LOCATION", re.compile(rf"\b(?:{_NUMBER_WORDS}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+{_STREET_TYPES}")),
    (
        "LOCATION",
        re.compile(
            r"\b(?:on|off|at|near|by|down)\s+((?:[a-z]+\s+){1,2}(?:street|avenue|road|boulevard|"
            r"drive|lane|highway))\b",
            re.I,
        ),
    ),
    ("LOCATION", re.compile(r"\b(?:interstate|i-|highway|route)\s?\d{1,3}\b", re.I)),
    # A freeway said the way people say it: "off the ninety nine", "down the 405".
    (
        "LOCATION",
        re.compile(
            r"\b(?:off|on|down|up|along|near|by)\s+the\s+((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
            r"[\s-](?:one|two|three|four|five|six|seven|eight|nine)|\d{1,3})(?:\s+(?:freeway|highway))?\b",
            re.I,
        ),
    ),
]
_NOT_STREET = {"the", "a", "main", "one", "that", "this", "my", "his", "her", "their", "our", "same", "other", "off"}


def find_patterns(text: str) -> list[Span]:
    spans = []
    for label, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span(match.lastindex or 0)
            words = text[start:end].lower().split()
            if label == "LOCATION" and words and words[0] in _NOT_STREET and len(words) == 2:
                continue
            spans.append(Span(start, end, label, "pattern", text[start:end], 0.9))
    return spans
