"""Organisations named by a word that says what kind of body they are, cased or lowercased: "the golden harvest
trust", "sunrise garments", "royal textiles ltd", "patel and sons". ASR text drops the capitals that the
proper-noun layer reads, so the kind word and the name-like words before it are the cue. Never proposes the kind
word alone, nor a name made only of words that say what kind ("the women's trust", "a recruitment agency").
"""

from __future__ import annotations

import re

from fieldvault.redact.context import GENERIC_MODIFIERS
from fieldvault.redact.lexicon import HARD_NEGATIVES, STOPWORDS, base_word
from fieldvault.redact.spans import Span

# Kinds of body that the context layer's place words do not hold: charities, firms, trades and places of worship
# named the way such bodies are named the world over ("X Trust", "X Garments", "X Assembly").
KINDS = (
    "trust", "society", "association", "initiative", "network", "enterprises", "enterprise", "industries",
    "garments", "textiles", "traders", "trading", "company", "agency", "bureau", "consultants", "consultancy",
    "guesthouse", "guest house", "resort", "cottages", "supermarket", "supermarkets", "mart", "pharmacy",
    "chemist", "chemists", "dispensary", "bakery", "boutique", "assembly", "parish", "gurdwara", "mandir",
    "polytechnic", "institute",
)  # fmt: skip
# A firm's legal form after its name: "royal textiles ltd", "patel & sons", "mensah and co".
LEGAL_FORMS = ("ltd", "limited", "inc", "llc", "plc", "pvt ltd", "pvt", "and sons", "& sons", "and co", "& co")
# Words that say what trade or whom a body serves: "the recruitment agency", "a garment company", "the tea estate".
_TRADES = {
    "recruitment", "employment", "travel", "modelling", "modeling", "domestic", "labour", "labor", "shipping",
    "trucking", "construction", "manpower", "placement", "staffing", "security", "cleaning", "garment",
    "textile", "fishing", "fish", "tea", "sugar", "insurance", "housing", "land", "local", "neighbourhood",
    "neighborhood", "parent", "parents", "teacher", "teachers", "student", "students", "sports", "football",
    "dance", "music", "film", "talent", "escort", "dating", "marriage", "matchmaking", "visa", "tour",
    "export", "import", "taxi", "bus", "transport", "cargo", "courier", "finance", "loan",
    "loans", "money", "mobile", "phone", "computer", "internet", "news", "media", "advertising", "charity",
    "aid", "relief", "development", "welfare", "refugee", "refugees", "migrant", "migrants", "worker",
    "workers", "tenants", "residents", "family", "families", "women", "girls", "children", "village",
    "town", "church", "mosque", "temple", "general", "annual", "national", "international", "regional",
    "christian", "catholic", "muslim", "islamic", "hindu", "buddhist", "pentecostal", "methodist", "anglican",
    "baptist", "adventist", "corner", "chain", "discount", "wholesale", "government", "private", "public",
}  # fmt: skip
# Stopwords that still begin names ("new hope society", "good shepherd pharmacy"), as in the context layer.
_BREAKS = STOPWORDS - {"new", "old", "big", "little", "good", "first", "last", "next", "home"}
_NOT_NAME = {"his", "her", "their", "our", "my", "your", "its", "this", "that", "these", "those", "some", "any",
             "every", "each", "no", "one", "own", "whole", "same", "other", "another", "kind", "sort",
             "type"}  # fmt: skip
_CUE = r"\b(?:the|at|in|into|to|from|for|with|near|outside|through|by|ran|runs|owned|owns|opened|joined)\s+"
_WORD = r"[a-z][\w'’-]*"
_KIND_RE = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(KINDS, key=len, reverse=True))
_LEGAL_RE = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(LEGAL_FORMS, key=len, reverse=True))
_KIND = re.compile(rf"{_CUE}(?:the\s+)?((?:{_WORD}\s+){{1,3}})(?:{_KIND_RE})\b", re.I)
_LEGAL = re.compile(rf"(?<![\w'’])((?:{_WORD}\s+){{1,3}})(?:{_LEGAL_RE})(?![\w'’])", re.I)
_KIN = {
    "sons", "daughters", "brothers", "sisters", "wives", "husbands", "kids", "children", "cousins", "uncles",
    "aunts", "nephews", "nieces", "grandsons", "granddaughters", "fathers", "mothers", "friends", "son",
    "daughter", "brother", "sister", "wife", "husband", "father", "mother",
}  # fmt: skip


def _name_start(text: str, match: re.Match[str]) -> int | None:
    """Where the name before the kind word starts: the trailing words of the match's first group that can be a
    name (a function word or pronoun cuts the run); None when none can or all say only what kind."""
    tokens = list(re.finditer(r"\S+", match.group(1)))
    kept: list[str] = []
    start = None
    for token in reversed(tokens):
        lowered = base_word(token.group()).lower()
        if lowered in _BREAKS or lowered in _NOT_NAME or lowered in HARD_NEGATIVES:
            break
        kept.append(lowered)
        start = match.start(1) + token.start()
    if not kept or all(w in GENERIC_MODIFIERS | _TRADES for w in kept):
        return None
    return start


def _spans(text: str, pattern: re.Pattern[str]) -> list[Span]:
    spans = []
    for match in pattern.finditer(text):
        start = _name_start(text, match)
        last = base_word(match.group(1).split()[-1]).lower()
        if start is None or last in _KIN:  # "her daughters and sons"
            continue
        spans.append(Span(start, match.end(), "ORG", "context", text[start : match.end()], 0.6))
    return spans


def find_organisations(text: str) -> list[Span]:
    """Spans of organisations named by their kind or legal form, as written or lowercased."""
    return _spans(text, _KIND) + _spans(text, _LEGAL)
