"""Organisations named by a word that says what kind of body they are, cased or lowercased: "the golden harvest
trust", "sunrise garments", "royal textiles ltd", "patel and sons". ASR text drops the capitals that the
proper-noun layer reads, so the kind word and the name-like words before it are the cue. Never proposes the kind
word alone, nor a name made only of words that say what kind ("the women's trust", "a recruitment agency").
"""

from __future__ import annotations

import re
from dataclasses import replace

from fieldvault.redact.context import _PLACE_WORDS, GENERIC_MODIFIERS
from fieldvault.redact.lexicon import (
    AGENCIES,
    HARD_NEGATIVES,
    STOPWORDS,
    base_word,
    dictionary,
    gazetteer,
    is_hard_negative,
    named_towns,
)
from fieldvault.redact.rare import ends_name
from fieldvault.redact.spans import Span

# Kinds of body that the context layer's place words do not hold: charities, firms, trades and places of worship
# named the way such bodies are named the world over ("X Trust", "X Garments", "X Assembly").
KINDS = (
    "trust", "society", "association", "initiative", "network", "enterprises", "enterprise", "industries",
    "garments", "textiles", "traders", "trading", "company", "agency", "bureau", "consultants", "consultancy",
    "guesthouse", "guest house", "resort", "cottages", "supermarket", "supermarkets", "mart", "pharmacy",
    "chemist", "chemists", "dispensary", "bakery", "boutique", "assembly", "parish", "gurdwara", "mandir",
    "polytechnic", "institute", "transport", "legal aid", "tours",
)  # fmt: skip
# Trades' and bodies' last words the world over: "everest overseas manpower" (a Nepali recruiter), "nexo contact
# solutions", "glamour queens hair and beauty", "otahuhu panel and paint", "loudoun youth hub". Kept apart from KINDS,
# which the head's word features read (its weights were fitted on that list).
TRADE_ENDS = (
    "manpower", "solutions", "logistics", "freight", "hair and beauty", "panel and paint", "panel beaters", "sauna",
    "ashram", "cooperative", "co-operative", "co-op", "forum", "hub",
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
    "workers", "tenants", "residents", "family", "families", "women", "girls", "children", "village", "men", "boys",
    "people", "guys", "folks", "kids", "youth", "elders", "ladies",
    "town", "church", "mosque", "temple", "general", "annual", "national", "international", "regional",
    "christian", "catholic", "muslim", "islamic", "hindu", "buddhist", "pentecostal", "methodist", "anglican",
    "baptist", "adventist", "corner", "chain", "discount", "wholesale", "government", "private", "public",
}  # fmt: skip
# Stopwords that still begin names ("new hope society", "good shepherd pharmacy"), as in the context layer.
_BREAKS = STOPWORDS - {"new", "old", "big", "little", "good", "first", "last", "next", "home"}
_NOT_NAME = {
    "his", "her", "their", "our", "my", "your", "its", "this", "that", "these", "those", "some", "any", "every",
    "each", "no", "one", "own", "whole", "same", "other", "another", "kind", "sort", "type",
}  # fmt: skip
_CONTRACTED = re.compile(r"(?:n['’]t|['’](?:ll|ve|re|d|m))$")  # "at first i didn't trust nobody": a verb's subject
_CUE = (
    r"\b(?:the|at|in|into|to|from|for|with|near|outside|through|by|ran|runs|owned|owns|opened|joined|called|named)\s+"
)
_WORD = r"[a-z][\w'’-]*"
_KIND_RE = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(KINDS + TRADE_ENDS, key=len, reverse=True))
_LEGAL_RE = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(LEGAL_FORMS, key=len, reverse=True))
_KIND = re.compile(rf"{_CUE}(?:the\s+)?((?:{_WORD}\s+){{1,3}})(?:{_KIND_RE})\b", re.I)
# The context layer's places with a state's or a country's name in theirs, which it leaves as a hard negative.
_PLACE_KIND = re.compile(rf"{_CUE}(?:the\s+)?((?:{_WORD}\s+){{1,3}})(?:{_PLACE_WORDS})\b", re.I)
# The same names after a pause ("at the, um, tundra lights hotel", "at, uh, silk lounge") or after what kind of place
# it was and a copula ("the restaurant was spice garden curry house"): the context layer's place words as heads too.
_HEADS = rf"(?:{_KIND_RE}|{_PLACE_WORDS})"
_PAUSE = r"(?:\s*,?\s*(?:um|uh|er|erm|uhm|like)\s*,)+\s*"
_PAUSED = re.compile(
    rf"\b(?:at|in|into|to|from|with|near|outside)(?:\s+the)?{_PAUSE}(?:the\s+)?((?:{_WORD}\s+){{1,3}}){_HEADS}\b",
    re.I,
)
# A name after "the" and a pause or "the" said twice: "the, uh, anti narcotics bureau", "the, the otahuhu panel and
# paint", "the, uh, the pokhara mahila ashram".
_THE_PAUSED = re.compile(
    rf"\bthe(?:\s*,?\s*(?:um|uh|er|erm|uhm|eh|like|the)\s*,)+\s*(?:the\s+)?((?:{_WORD}\s+){{1,3}}){_HEADS}\b", re.I
)
_SAID_KIND = re.compile(
    rf"\bthe\s+(?:{_WORD}\s+)?(?:{_HEADS})\s+(?:was|is)\s+(?:called\s+|named\s+)?(?:the\s+)?((?:{_WORD}\s+){{1,3}})"
    rf"{_HEADS}\b",
    re.I,
)
# A police force or a court by its name: "the jamaica constabulary force", "the home circuit court"; a force a
# country names for itself ("the national police service", "the royal canadian mounted police") needs no place word.
_FORCE = re.compile(
    rf"{_CUE}(?:the\s+)?((?:{_WORD}\s+){{1,3}})(?:(?:police|constabulary)\s+(?:force|service|department)|"
    r"(?:circuit|magistrate['’]?s['’]?|high|superior|district|supreme|family|juvenile|youth|tribal)\s+courts?)\b",
    re.I,
)
_OWN_FORCE = re.compile(
    r"\b(?:(?:national|federal|metropolitan|provincial)\s+police\s+(?:force|service)|metropolitan\s+police|"
    r"royal\s+(?:[a-z]+\s+){0,2}(?:mounted\s+)?(?:police|constabulary)(?:\s+(?:force|service))?)\b",
    re.I,
)
_NAILS = re.compile(r"\b(?:at|to|from|for|in)\s+(?:the\s+)?([a-z]+['’]s\s+nails)\b", re.I)  # "at kim's nails"
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
        if lowered in _BREAKS or lowered in _NOT_NAME or _CONTRACTED.search(lowered):
            break
        if lowered in HARD_NEGATIVES and not (kept and lowered in named_towns()):
            break  # "the wyoming women's center": a state's name, then more of the name
        kept.append(lowered)
        start = match.start(1) + token.start()
    if not kept or all(w in GENERIC_MODIFIERS | _TRADES for w in kept):
        return None
    if len(kept) == 1 and _trade(kept[0]):
        return None  # "the logging company", "a trucking company": a trade, no name
    return start


def _trade(word: str) -> bool:
    """A trade said as what its workers do: "logging", "trucking", "mining" (not "sterling", "king")."""
    ordinary = dictionary()[0]
    stem = word[:-3] in ordinary or word[:-4] in ordinary
    return len(word) > 5 and word.endswith("ing") and word in ordinary and stem


def _stated(name: str) -> bool:
    return any(w in HARD_NEGATIVES and w in named_towns() for w in (base_word(t).lower() for t in name.split()))


def _spans(text: str, pattern: re.Pattern[str]) -> list[Span]:
    spans = []
    for match in pattern.finditer(text):
        start = _name_start(text, match)
        last = base_word(match.group(1).split()[-1]).lower()
        alone = start is not None and text[start : match.start(1) + len(match.group(1).rstrip())].count(" ") == 0
        if start is None or (last in _KIN and alone):  # "her daughters and sons"; not "the kuskokwim sisters network"
            continue
        spans.append(Span(start, match.end(), "ORG", "context", text[start : match.end()], 0.6))
    return spans


# A government body by what it is for, its name after "of" or "for": "the ministry of manpower", "department of
# social welfare", "office for combating trafficking in human beings", "directorate of gender affairs".
_BODY = re.compile(
    r"\b(?:ministry|department|dept|office|directorate|commission|secretariat|bureau|authority)\s+(?:of|for)\s+"
    r"(?:the\s+)?([a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,5})",
    re.I,
)
# Words inside a body's name that join two of its words: "home affairs", "trafficking in human beings".
_BODY_JOINS = {"and", "in", "of", "for", "against", "&"}
# Where a body sits, said after its name: "the ministry of home affairs office in katutura".
_BODY_SEATS = {"office", "offices", "headquarters", "hq", "building", "branch", "station", "desk", "counter"}
# A police or welfare unit by two words or more of what it does: "the victim support unit", "the family support
# unit", "gender based violence protection unit", "the victim friendly unit"; not "the vice unit", "the intensive
# care unit", "the storage unit" (no such word, or one word only: a kind, not a name).
_UNIT = re.compile(r"\b((?:[a-z][\w'’-]*\s+){2,5})(?:unit|squad)\b", re.I)
_UNIT_WORDS = {
    "victim", "victims", "support", "protection", "friendly", "crime", "crimes", "trafficking", "violence", "abuse",
    "offences", "offenses", "investigation", "investigations", "gender", "domestic", "sexual", "child", "children",
    "family", "women", "women's", "juvenile", "gang", "gangs", "narcotics", "vice", "exploitation",
}  # fmt: skip
_NOT_UNIT = {"care", "intensive", "storage", "air", "medical", "psych", "psychiatric", "burn", "rental", "housing"}
# Two words joined by "and" before "services" or "agency": a welfare body's name ("child and family services",
# "health and human services"), not one kind of service ("children services").
_AND_SERVICES = re.compile(r"\b([a-z][\w'’-]*\s+(?:and|&)\s+[a-z][\w'’-]*)\s+(?:services|agency)\b", re.I)
# A court named by its rank and what or where it is of: "the high court of grenada", "high court of justice",
# "intermediate court of nyarugenge", "court of appeal"; not "the superior court" (a kind alone).
_COURT_OF = re.compile(
    r"\b(?:(?:high|supreme|intermediate|primary|district|magistrates?['’]?|circuit|superior|crown|federal|national|"
    r"appeals?|industrial|labour|labor|commercial|criminal|family|juvenile|county|state)\s+)?courts?\s+of\s+"
    r"(?:the\s+)?([a-z][\w'’-]*(?:\s+(?:and\s+)?[a-z][\w'’-]*){0,2})",
    re.I,
)


# A court, an agency, a bureau or a unit named by two words or more after "the": "the serious offences court", "the
# national police agency", "the counter-trafficking in persons unit", "the child and gender protection unit". One
# word is a kind ("the district court", "the vice unit", "the employment agency"); "and", "in", "of", "for" and
# "against" only join two of its words.
_THE_BODY = re.compile(
    r"\bthe(?:\s*,?\s*(?:um|uh|er|eh),)?\s+((?:[a-z][\w'’-]*\s+){2,4}(?:court|agency|bureau|commission|tribunal|division|"
    r"unit|squad))\b(?![\'’-])",
    re.I,
)


def _named_bodies(text: str) -> list[Span]:
    spans = []
    for match in _THE_BODY.finditer(text):
        words = match.group(1).lower().split()[:-1]
        inner = words[1:-1]
        if any(w in (STOPWORDS - _BODY_JOINS) or w in HARD_NEGATIVES for w in words) or words[0] in _BODY_JOINS:
            continue
        if words[-1] in _BODY_JOINS or any(w in _NOT_UNIT or w.isdigit() for w in words) or inner.count("and") > 1:
            continue
        if any(_CONTRACTED.search(w) for w in words) or words[0] in _ANY_ONE or _GROUNDS & set(words):
            continue
        if _PARENTS & {re.sub(r"['’]s$", "", w) for w in words[:-1]}:
            continue  # "the ghana police service anti-trafficking unit": the force is the name, found by its rules
        end = match.end(1)
        owner = next((k for k, w in enumerate(words) if k >= 2 and w[:-2] in _BODY_KINDS and w[-2:-1] in "'’"), None)
        if owner is not None:  # "the national police agency's anti-trafficking division": the agency
            end = match.start(1) + len(" ".join(match.group(1).split()[: owner + 1])) - 2
        spans.append(Span(match.start(1), end, "ORG", "context", text[match.start(1) : end], 0.6))
    return spans


_BODY_KINDS = {"court", "agency", "bureau", "commission", "tribunal", "division", "unit", "squad"}
_PARENTS = {"service", "services", "department", "force", "county", "city", "parish"}
# What makes the words before a kind any such place, not one body: "the same cleaning agency", "the old tennis court",
# "the big food court", "the second floor unit", "the whole football squad".
_ANY_ONE = {"same", "other", "whole", "old", "new", "big", "little", "small", "first", "second", "third", "next",
            "last", "local", "only", "another", "right", "wrong", "nice", "bad", "good", "main", "nearest", "usual",
            "my", "his", "her", "their", "our", "your"}  # fmt: skip
_GROUNDS = {"basketball", "tennis", "food", "volleyball", "squash", "badminton", "netball", "handball", "pickleball",
            "racquetball", "ball", "floor", "bedroom", "storage", "rental", "football", "soccer", "rugby", "cricket",
            "hockey", "baseball", "softball", "dance", "cheer", "drill", "long", "short",
            # a hospital's wards: "the mother baby unit", "the cardiac care unit", "the neonatal unit"
            "baby", "babies", "maternity", "neonatal", "cardiac", "stroke", "dialysis", "trauma", "surgical",
            "oncology", "isolation", "observation", "assessment", "recovery", "rehab", "rehabilitation"}  # fmt: skip


def _bodies(text: str) -> list[Span]:
    """Government bodies, police and welfare units and courts named by what they are for or where."""
    spans = _government_bodies(text) + _units(text) + _and_services(text) + _courts_of(text) + _national_forces(text)
    spans += _named_bodies(text)
    ranked = [m for m in _RANKED.finditer(text) if _PROCEEDING.search(_sentence_before(text, m.start()))]
    spans += [Span(m.start(1), m.end(1), "ORG", "context", m.group(1), 0.6) for m in ranked]
    offices = [(m.start(m.lastindex or 1), m.end(m.lastindex or 1)) for m in _HOME_AFFAIRS.finditer(text)]
    return spans + [Span(a, b, "ORG", "context", text[a:b], 0.6) for a, b in offices]


# A country's one court of its rank, after "the" and where a case is heard ("the case went to the intermediate
# court", "sentenced in the high court", "my case at the, uh, regional trial court"); a court named in passing is a
# kind ("he went to the circuit court and the high court"), "a high court" any.
_RANKED = re.compile(
    r"\bthe(?:\s*,?\s*(?:um|uh|er|eh),)?\s+((?:high|intermediate|supreme|regional\s+trial|sessions|industrial)\s+court)"
    r"\b(?!\s+of\b)(?![\'’-])",
    re.I,
)
_PROCEEDING = re.compile(
    r"\b(?:case|cases|sentenced|sentencing|trial|tried|heard|hearing|testified|testify|convicted|charged|pleaded|"
    r"judge|magistrate|evidence|acquitted|prosecuted|court\s+date)\b",
    re.I,
)
# A ministry by its short name: "i got it from the home affairs office", "go to home affairs first"; "the home office"
# and "the civil registry" after "the" (not "my home office", "in the home office" where a room is meant).
_HOME_AFFAIRS = re.compile(
    r"(?<![\w'’-])(?:(?<!\bin\s)the(?:\s*,?\s*(?:the|um|uh|er|eh|like),?)*\s+)?(home\s+affairs)\b(?![\'’-])|"
    r"(?<!\bin\s)\bthe(?:\s*,?\s*(?:the|um|uh|er|eh|like),?)*\s+(home\s+office|civil\s+regist(?:ry|ration\s+office))"
    r"\b(?![\'’-])",
    re.I,
)


def _sentence_before(text: str, start: int) -> str:
    before = text[max(0, start - 120) : start]
    return re.split(r"[.!?]\s", before)[-1]


def _people(word: str) -> bool:
    """A people's or a country's adjective: "philippine", "kenyan", "nigerian" (a proper word of the dictionary)."""
    lowered = word.lower()
    return lowered in dictionary()[1] and re.search(r"(?:ese|ish|ian|ean|an|ic|ine|i)$", lowered) is not None


_NATIONAL_FORCE = re.compile(r"\b(?:national|republic|federal)\s+police(?:\s+(?:force|service))?\b", re.I)


_DEMONYM_BEFORE = re.compile(r"([A-Za-z]+)\s+$")


def _national_forces(text: str) -> list[Span]:
    """A country's own police by the country's name or its people's: "the liberia national police", "the philippine
    national police" (not "the national police")."""
    spans = []
    for match in _NATIONAL_FORCE.finditer(text):
        start = _country_before(text, match.start())
        people = _DEMONYM_BEFORE.search(text, max(0, match.start() - 20), match.start())
        if start == match.start() and people and _people(people.group(1)):
            start = people.start(1)
        if start < match.start():
            spans.append(Span(start, match.end(), "ORG", "context", text[start : match.end()], 0.6))
    return spans


def _government_bodies(text: str) -> list[Span]:
    spans = []
    for match in _BODY.finditer(text):
        words = list(re.finditer(r"[\w'’&-]+", match.group(1)))
        kept: list[re.Match[str]] = []
        for k, word in enumerate(words):
            lowered = word.group().lower()
            following = words[k + 1].group().lower() if k + 1 < len(words) else ""
            named = following not in _BREAKS and following not in HARD_NEGATIVES and not _CONTRACTED.search(following)
            if lowered in _BODY_JOINS and kept and following and named:
                kept.append(word)  # "home affairs", not "immigration and i'd be"
                continue
            past = bool(kept) and ends_name(lowered) and not lowered.endswith(("ing", "ly"))  # "welfare found"
            seat = bool(kept) and lowered in _BODY_SEATS
            if lowered in _BREAKS or lowered in HARD_NEGATIVES or _CONTRACTED.search(lowered) or past or seat:
                break
            kept.append(word)
            if match.group(1)[word.end() : word.end() + 1] in (",", ".", ";", ":", "!", "?"):
                break
        while kept and kept[-1].group().lower() in _BODY_JOINS:
            kept.pop()
        if kept:
            end = match.start(1) + kept[-1].end()
            spans.append(Span(match.start(), end, "ORG", "context", text[match.start() : end], 0.6))
    return spans


def _units(text: str) -> list[Span]:
    spans = []
    for match in _UNIT.finditer(text):
        words = match.group(1).split()
        kept: list[str] = []
        for word in reversed(words):
            if word.lower() in STOPWORDS - {"and"} or word.lower() in _NOT_NAME:
                break
            kept.insert(0, word.lower())
        named = [w for w in kept if w != "and"]
        if len(named) < 2 or kept[0] == "and" or not any(w in _UNIT_WORDS for w in named):
            continue
        if any(w in _NOT_UNIT for w in named):
            continue
        start = match.start(1) + match.group(1).rfind(" ".join(words[len(words) - len(kept) :]))
        spans.append(Span(start, match.end(), "ORG", "context", text[start : match.end()], 0.6))
    return spans


def _and_services(text: str) -> list[Span]:
    spans = []
    for match in _AND_SERVICES.finditer(text):
        first, _, second = match.group(1).lower().split()
        if not {first, second} & (STOPWORDS | HARD_NEGATIVES):
            spans.append(Span(match.start(), match.end(), "ORG", "context", match.group(), 0.6))
    return spans


def _courts_of(text: str) -> list[Span]:
    spans = []
    for match in _COURT_OF.finditer(text):
        words = match.group(1).split()
        ranked = match.group().lower().split()[0] not in ("court", "courts")
        first = words[0].lower()
        if first in ("justice", "appeal", "appeals"):
            end = match.start(1) + len(words[0])
        elif ranked and first not in STOPWORDS and first not in HARD_NEGATIVES:
            place = next((n for n in range(len(words), 0, -1) if " ".join(words[:n]).lower() in named_towns()), 0)
            end = match.start(1) + len(" ".join(words[: place or 1]))
        else:
            continue
        spans.append(Span(match.start(), end, "ORG", "context", text[match.start() : end], 0.6))
    return spans


# An agency's letters said one by one: "he called the f b i", "the d e a came" (the initials the agency list holds).
_SPELLED = re.compile(r"(?<![\w'’])([a-z])\.?\s+([a-z])\.?\s+([a-z])\.?(?:\s+([a-z])\.?)?(?![\w'’])", re.I)


def _spelled_agencies(text: str) -> list[Span]:
    spans = []
    for match in _SPELLED.finditer(text):
        letters = "".join(g for g in match.groups() if g).lower()
        if letters in AGENCIES:
            spans.append(Span(match.start(), match.end(), "ORG", "context", match.group(), 0.6))
        elif letters[:3] in AGENCIES and match.group(4):
            end = match.start(4) - 1
            spans.append(Span(match.start(), end, "ORG", "context", text[match.start() : end].rstrip(" ."), 0.6))
    return spans


def find_organisations(text: str) -> list[Span]:
    """Spans of organisations named by their kind or legal form, as written or lowercased."""
    spans = [s for pattern in (_KIND, _LEGAL, _PAUSED, _THE_PAUSED, _SAID_KIND, _FORCE) for s in _spans(text, pattern)]
    spans += _bodies(text)
    spans += [s for s in _spans(text, _PLACE_KIND) if _stated(s.text)]
    spans += [Span(m.start(), m.end(), "ORG", "context", m.group(), 0.6) for m in _OWN_FORCE.finditer(text)]
    spans += [Span(m.start(1), m.end(1), "ORG", "context", m.group(1), 0.6) for m in _NAILS.finditer(text)]
    spans += _kind_was(text) + _was_kind(text)
    return spans + _of_places(text) + _apposed(text) + _spelled_agencies(text) + _placed_letters(text)


# A venue's or a firm's name after what it was: "the agency was blue ocean foreign employment in wattala", "the
# cabaret was club aphrodite nights on makarios avenue", "his company is far sea ocean fishery" (two to four words,
# then a pause, the end or where it was). Not what is said of it: "the spa was a front", "the bar was packed".
_KIND_WAS = re.compile(
    rf"\b(?:the|her|his|their|my|our)\s+(?:{_WORD}\s+)?(?:agency|restaurant|cabaret|club|bar|shop|company|spa|"
    rf"hotel|motel|salon|parlou?r|lounge|firm|business|store|brothel|casino|massage\s+place|employer|recruiter|"
    rf"shelter|program|programme|charity|project)\s+(?:was|is)\s+(?:called\s+)?(?:the\s+)?"
    rf"((?:{_WORD}\s+){{1,3}}{_WORD})(?=\s*(?:[,.;!?]|$)|\s+(?:in|on|at|near|by)\b)",
    re.I,
)


def _name_words(words: list[str]) -> bool:
    """Words a venue's name may be made of: no function word, no hard negative, no contraction, no word of how it was
    ("really", "closed", "jumping")."""
    if any(w in _BREAKS | _NOT_NAME or w in HARD_NEGATIVES or _CONTRACTED.search(w) for w in words):
        return False
    return not any(w.endswith(("ly", "ed", "ing")) for w in words)


def _kind_was(text: str) -> list[Span]:
    spans = []
    for match in _KIND_WAS.finditer(text):
        words = [base_word(w).lower() for w in match.group(1).split()]
        if not _name_words(words) or words[0] in GENERIC_MODIFIERS | _TRADES:
            continue  # "the bar was really packed", "the shop was closed down", "the club was jumping"
        spans.append(Span(match.start(1), match.end(1), "ORG", "context", match.group(1), 0.6))
    return spans


# The same the other way round: a name of everyday words, then what it was, set off or said: "at the corner pocket, a
# bar on fifth", "new beginnings, that's the program i did", "golden moon was a karaoke bar", "the happy sailor, it was
# a pub". Two or three words, none a function word, and no word for a place or a thing at their end: "the old place
# was a bar", "the back room was a brothel" say what a place was, not its name.
_VENUES = (
    r"(?:bar|pub|club|nightclub|karaoke(?:\s+bar)?|lounge|tavern|saloon|cantina|motel|hotel|inn|brothel|spa|"
    r"massage\s+parlou?r|parlou?r|shelter|refuge|safe\s+house|hostel|program|programme|charity|project|ministry|"
    r"clinic|drop-in|drop\s+in|restaurant|diner|cafe|casino|agency|gang|crew|housing\s+estate|estate|projects|"
    r"neighbou?rhood|slum|township|settlement|compound)"
)
_WAS_KIND = re.compile(
    rf"(?:^|(?<=[.!?;:])\s*|\b(?:at|to|from|into|in|near|outside|called|and|but|so|then)\s+)(?:the\s+)?"
    rf"((?:{_WORD}\s+){{1,2}}{_WORD})\s*(?:,\s*(?:(?:that|it|this)(?:['’]s|\s+was|\s+is)\s+)?|\s+(?:was|is)\s+)"
    rf"(?:a|an|the|this|that)\s+(?:(?:little|big|small|old|new|dodgy|seedy|local|cheap|women['’]?s|karaoke|strip|"
    rf"night|girls['’]?)\s+)?{_VENUES}\b",
    re.I,
)
_VENUE_WORDS = {"place", "building", "house", "home", "room", "floor", "basement", "station", "school", "church",
                "store", "shop", "bank", "hall", "office", "one", "thing", "part", "side", "area", "street", "road",
                "block", "corner", "spot", "job", "apartment", "flat", "unit", "door", "back", "front", "top",
                "bottom", "end", "kind", "sort", "day", "night", "week", "time", "way", "life", "world", "city",
                "town", "village", "country", "center", "centre", "hotel", "motel", "bar", "club", "pub", "shelter",
                "program", "programme", "man", "woman", "guy", "girl", "boy", "lady", "people", "owner", "boss",
                "pimp", "manager", "family", "friend", "cousin", "uncle", "aunt", "brother", "sister", "mother",
                "father", "mom", "dad", "drive", "ride", "trip", "walk", "journey"}  # fmt: skip


def _was_kind(text: str) -> list[Span]:
    spans = []
    for match in _WAS_KIND.finditer(text):
        words = [base_word(w).lower() for w in match.group(1).split()]
        if not _name_words(words) or words[-1] in _VENUE_WORDS:
            continue  # "the back room was a brothel", "the really old one was a bar", "the building was a bar"
        spans.append(Span(match.start(1), match.end(1), "ORG", "context", match.group(1), 0.6))
    return spans


_OF = re.compile(r"\s+of\b", re.I)
_OWNED = re.compile(r"\b(?:a|an|no|any|some|every|another|my|your|his|her|our|their|its)\s+$", re.I)


def named_again(text: str, spans: list[Span]) -> list[Span]:
    """Every other mention of a venue's, a body's or a place's name of two or three everyday words that a cue found
    (the context layer's): "we drank at the corner pocket, a bar on fifth ... the corner pocket closed in 2019"
    (once a phrase is a name, it is that name when said again), but not before "of" ("over in east side ... the east
    side of the river") nor after a determiner but "the" ("we grew up in sweet home ... it wasn't a sweet home",
    "social circle ... i didn't have no social circle"). A weak layer's guess never spreads so."""
    names = {
        re.sub(r"^the\s+", "", s.text.lower()): s.label
        for s in spans
        if s.source == "context" and s.label in ("ORG", "LOCATION")
    }
    found = []
    for name, label in sorted(names.items()):
        words = [base_word(w).lower() for w in name.split()]
        if not 2 <= len(words) <= 3 or not all(w.isalpha() for w in words) or not _name_words(words):
            continue
        if is_hard_negative(name):
            continue
        said = r"\s+".join(re.escape(w) for w in name.split())
        for match in re.finditer(rf"(?<![\w'’-]){said}(?![\w'’-])", text, re.I):
            if any(s.start < match.end() and match.start() < s.end for s in spans) or _OF.match(text, match.end()):
                continue  # "the east side of the river": a part of something, not the name
            if _OWNED.search(text, 0, match.start()):
                continue  # "it wasn't a sweet home", "i didn't have no social circle": the everyday words
            found.append(Span(match.start(), match.end(), label, "context", match.group(), 0.6))
    return found


# A hospital's, an agency's or an office's letters where someone went, in capitals: "at UMC", "the new PMH", "at the
# DDS", "to the DMV". Three to five capitals no dictionary holds, not the letters of a thing, a test or a condition
# (hand-written: "the GED", "at the ATM", "in the ICU").
_PLACED_LETTERS = re.compile(r"\b(?:at|from|to|into|in|the)\s+(?:the\s+)?(?:new\s+|old\s+)?([A-Z]{3,5})(?![\w'’&-])")
_THINGS_LETTERED = {
    "hiv", "aids", "ged", "icu", "atm", "usa", "ceo", "dna", "suv", "vip", "asap", "fyi", "lol", "omg", "ptsd", "adhd",
    "std", "stds", "sti", "stis", "iud", "sim", "pin", "sms", "pdf", "gps", "esl", "rsvp", "aka", "eta", "mri", "cpr",
    "emt", "obgyn", "hpv", "hcv", "dvd", "ids", "ebt", "dob", "ssn", "nda", "faq", "diy", "bbq", "pcp", "lsd", "mdma",
    "thc", "cbd", "otc", "ocd", "copd", "uti", "utis", "ivf", "tba", "ufo", "cctv",
}  # fmt: skip
# The welfare and health services every state or county has, said as a kind ("my caseworker at DES", "the PHN came"):
# no more identifying than "the welfare office" (tests/unit/test_redaction_unsure.py; unseen10's gold leaves them).
_SERVICES_LETTERED = {"des", "dshs", "dss", "dcfs", "cps", "phn"}


def _placed_letters(text: str) -> list[Span]:
    ordinary = dictionary()[0]
    spans = []
    for match in _PLACED_LETTERS.finditer(text):
        letters = match.group(1).lower()
        if letters in ordinary or letters in _THINGS_LETTERED | _SERVICES_LETTERED or letters in STOPWORDS:
            continue
        spans.append(Span(match.start(1), match.end(1), "ORG", "context", match.group(1), 0.5))
    return spans


# A college or university named for its place: "community college of vermont", "the university of nairobi".
_OF_PLACE = re.compile(
    rf"\b((?:{_WORD}\s+){{0,2}})(?:college|university|polytechnic|institute)\s+of\s+(?:the\s+)?"
    rf"({_WORD}(?:\s+{_WORD}){{0,2}})",
    re.I,
)


def _of_places(text: str) -> list[Span]:
    spans = []
    for match in _OF_PLACE.finditer(text):
        words = match.group(2).split()
        place = next((n for n in range(len(words), 0, -1) if " ".join(words[:n]).lower() in named_towns()), 0)
        if not place:
            continue
        end = match.start(2) + len(" ".join(words[:place]))
        before = [t for t in re.finditer(r"\S+", match.group(1))]
        start = match.start(1) + len(match.group(1))
        for token in reversed(before):
            if base_word(token.group()).lower() in _BREAKS | _NOT_NAME:
                break
            start = match.start(1) + token.start()
        spans.append(Span(start, end, "ORG", "context", text[start:end], 0.6))
    return spans


# What a force, a court, a prison or a hospital named for its place is called after the place: "the winnipeg police
# service", "lautoka magistrates court", "chittenden criminal division", "lusaka central prison", "gulu regional
# referral hospital". A place's span takes these words; "royal" before a force is part of its name.
_INSTITUTION_END = re.compile(
    r"\s+(?:(?:mounted\s+)?police(?:\s+(?:force|service|department))?|constabulary|"
    r"(?:(?:magistrate['’]?s['’]?|district|high|circuit|superior|family|juvenile|criminal|supreme|municipal|law|youth|"
    r"county|city|children['’]?s|tribal)\s+)courts?|(?:criminal|family|civil)\s+division|"
    r"(?:(?:central|remand|state|county|district|regional|correctional)\s+)?(?:prison|jail|gaol|facility)|"
    r"(?:(?:medical|health|regional|referral|teaching|general|district)\s+){1,2}(?:center|centre|hospital|clinic)|"
    r"(?:medical|teaching)\s+college|motor\s+(?:court|inn|lodge)|(?:county\s+|district\s+)?courthouse)\b(?![\'’-])",
    re.I,
)
# Words that end a business's name but would make everyday phrases name-like on their own ("a foot massage"): only
# after a name already found ("[golden lotus] massage", "[dupont] motor court").
_ENDS_ONLY = (
    r"massage|motor\s+(?:court|inn|lodge|hotel)|turf\s+accountants|"
    r"and\s+(?:bar|grill|lounge|restaurant|guesthouse|tours|travel|spa|salon|club)"  # "[sunrise hotel] and bar"
)
_KIND_END = re.compile(rf"\s+(?:{_KIND_RE}|{_ENDS_ONLY})\b(?![\'’-])", re.I)
_ROYAL = re.compile(r"\broyal\s+$", re.I)
_RANK_LAST = re.compile(r"\b(?:magistrate['’]?s?['’]?|magistrates['’]?|resident|trial|district)$", re.I)


# A venue's kind said before its name: "club medusa", "the hotel seri mutiara", "hospital pulau pinang", "the bar la
# tortuga".
_HEAD_BEFORE = re.compile(
    r"(?<![\w'’-])(?:club|hotel|motel|hospital|clinic|foyer|hogar|casa|maison|bar|pub|cafe|café)\s+$", re.I
)
# A relative clause's subject after a venue's kind is its owner or a visitor, not its name: "a motel terrence boyd
# ran", "the hotel james owned", "the club her uncle managed"; an indefinite article before the kind says the same
# ("a hotel" is no venue named yet: "a hotel lerato found us").
_OWNER_VERB = re.compile(
    r"(?:\s+[A-Za-z][\w'’-]*)??\s+(?:had|has|have|ran|runs|run|owned|owns|own|managed|manages|opened|opens|kept|keeps|"
    r"used|uses|booked|picked|chose|mentioned)\b",
    re.I,
)
_KIND_FIRST = re.compile(r"(?:club|hotel|motel|bar|lodge|inn|salon|shop|store)\s+(?=\S)", re.I)
_INDEFINITE = re.compile(r"(?<![\w'’-])an?\s+$", re.I)


def _owner(text: str, kind_start: int, name_end: int) -> bool:
    """Whether a person's name after a venue's kind is whom the clause is about ("a motel X ran"), not the name."""
    return (
        _OWNER_VERB.match(text, name_end) is not None
        or _INDEFINITE.search(text, max(0, kind_start - 4), kind_start) is not None
    )


# A venue's kind after a name a weak layer found, with whom or what it serves before it: "[kyra] women's support
# centre", "[tulongeni] women's house", "[happy] corner tavern", "[lotus touch] spa", "[tahanan] refuge". A name
# taken for a person's needs a venue no person is said with ("sent kwame home" stays a person).
_SERVES = (
    r"women['’]?s|womens|men['’]?s|girls['’]?|children['’]?s|youth|support|crisis|wellness|health|community|"
    r"resource|family|care|corner|rescue|recovery|legal|drug|healing|bottle|liquor|hand|car|evangelical|"
    r"pentecostal|baptist|methodist|anglican|catholic|presbyterian|apostolic|adventist|lutheran|wesleyan|gospel"
)
_VENUES = (
    r"centre|center|refuge|shelter|spa|tavern|clinic|lodge|motel|hotel|salon|foundation|trust|project|ministries|"
    r"fellowship|hostel|saloon|pub|lounge|cabaret|academy|hospital|guesthouse|bar|helpline|hotline|network|surgery|"
    r"laundry|laundromat|buffet|courthouse|drop-in|car\s+wash|bottle\s+store|variety|joint|advocates|circle|"
    r"boutique|bakery|pharmacy|chemist|supermarket|enterprises|garage|cafe|canteen|kitchen|grill|diner"
)
_SERVED_END = re.compile(
    rf"(?:\s+(?:{_SERVES})){{1,3}}\s+(?:{_PLACE_WORDS}|refuge|circle|district|service|advocates|wash|store|primary)"
    r"\b(?![\'’-])",
    re.I,
)
# After a weak layer's name, one more word of the name may come before the venue's kind: "[lotus] touch spa",
# "[bula] smiles laundry"; never a function word or a verb ("[james] went bar" is no venue).
_VENUE_END = re.compile(rf"(?:['’]s)?(?:\s+([a-z][a-z'’]*))?\s+(?:{_VENUES})\b(?![\'’-])", re.I)
_WEAK = ("gazetteer", "proper-noun", "model", "head", "rare")


def with_institution(span: Span, text: str) -> Span:
    """A place's or an organisation's span with the words that make it an institution's name after it ("[winnipeg]
    police service"), an organisation's with its kind ("[tundra lights] hotel"), a force's with "royal" before it;
    a venue's kind before a name or after it, with whom it serves ("club [medusa]", "[kyra] women's support
    centre"), makes a weak layer's person an organisation."""
    weak_person = span.label == "PERSON" and span.source in _WEAK
    kind_first = _KIND_FIRST.match(span.text) if span.label == "ORG" and span.source in _WEAK else None
    if kind_first and _OWNER_VERB.match(text, span.end):  # the model's "[club marcus reed] managed": who ran it
        start = span.start + kind_first.end()
        return replace(span, start=start, label="PERSON", text=text[start : span.end])
    if span.label not in ("ORG", "LOCATION") and not weak_person:
        return span
    venue = _VENUE_END.match(text, span.end) if span.source in _WEAK else None  # "[tahanan] refuge"
    if venue and venue.group(1) and (venue.group(1).lower() in _BREAKS | _NOT_NAME or ends_name(venue.group(1))):
        venue = None
    served = _SERVED_END.match(text, span.end) or venue
    end = None if weak_person else _INSTITUTION_END.match(text, span.end)
    end = end or served or (_KIND_END.match(text, span.end) if span.label == "ORG" else None)
    if end is None and _RANK_LAST.search(span.text):
        end = re.compile(r"\s+courts?\b(?![\'’-])", re.I).match(text, span.end)  # "[blantyre magistrate] court"
    stop = end.end() if end else span.end
    royal = _ROYAL.search(text, max(0, span.start - 6), span.start)
    police = re.search(r"police|constabulary", text[span.start : stop], re.I) is not None
    head = _HEAD_BEFORE.search(text, max(0, span.start - 12), span.start)
    if head and weak_person and _owner(text, head.start(), span.end):
        head = None  # "a motel [terrence boyd] ran": the person who ran it, not its name
    start = royal.start() if royal and police else head.start() if head else span.start
    if _FORCE_WORDS.search(text[start:stop]):
        start, stop = _country_before(text, start), _country_after(text, stop)
    station = _STATION.match(text, stop) if _FORCE_LAST.search(text[start:stop]) else None
    stop = station.end() if station else stop  # "[totogo police] station", "[cherokee nation marshal] service"
    if (start, stop) == (span.start, span.end):
        return _with_place_end(span, text)
    return replace(span, start=start, end=stop, label="ORG", text=text[start:stop])


_FORCE_LAST = re.compile(r"\b(?:police|marshal|marshals|fire|immigration)$", re.I)
_STATION = re.compile(r"\s+(?:station|post|service|department|headquarters)\b(?![\'’-])", re.I)
# A place's name ends in a word that says what kind of place it is, after a name a layer found: "[maseru] bridge",
# "[rose] hall", "[grant]'s town", "[pinder's] point", "[admiralty] way", "[tiger] bay" (a person's name then one of
# these words is a place: "[grant]'s town"). Not a building's or a market's word, which stays outside a place's span
# ("[curepe] junction", "[georgetown] hospital", "[ladipo] market"), nor a word that goes on as a verb or an adverb
# ("i saw [maria] point at him", "[kevin] way back").
_PLACE_END = re.compile(
    r"(?:['’]s)?\s+(?:bridge|hall|bay|point|town|way|island|falls|harbour|harbor|creek|heights|hill|village|"
    r"barracks|landing|crossing|beach|valley)\b(?![\'’-])"
    r"(?!\s+(?:of|for)\b)(?!(?<=point)\s+(?:at|to|out|the|a|an|his|her|their|my|me|him|them|us|it)\b)"
    r"(?!(?<=way)\s+(?:back|too|more|over|up|down|off|out|to|before|after)\b)",
    re.I,
)


# A town's side said after its name at the end of a clause ("the rehab in [newlands] east, ...", "from [tabiteuea]
# north."), and a place name's first word said before it after a preposition of place ("in, um, new [baneshwor]", "to
# port [vila]", "near lake [sevan]"), not a direction ("[durban] north of here") nor "the new [zealand] one".
_COMPASS_END = re.compile(r"\s+(?:north|south|east|west|central)\b(?=\s*(?:[,.;!?]|$))", re.I)
_PLACE_FIRST = re.compile(
    r"\b(?:in|at|to|from|near|around|outside|into|of)(?:\s*,?\s*(?:um|uh|er|erm|eh|like)\s*,)*\s+"
    r"((?:new|grand|port|saint|st\.?|san|santa|santo|upper|lower|north|south|east|west|mount|mt\.?|fort|lake|cape|"
    r"little|great|old)\s+)$",
    re.I,
)


def _with_place_end(span: Span, text: str) -> Span:
    if span.label not in ("LOCATION", "PERSON") or span.source not in (*_WEAK, "context"):
        return span
    if span.label == "PERSON" and span.source == "context":
        return span  # "a man [john] way back": a person the context layer is sure of
    end = _PLACE_END.match(text, span.end)
    if end is None and span.label == "LOCATION":
        return _with_side(span, text)
    if end is None:
        return span
    return replace(span, end=end.end(), label="LOCATION", text=text[span.start : end.end()])


def _with_side(span: Span, text: str) -> Span:
    side = _COMPASS_END.match(text, span.end)
    first = _PLACE_FIRST.search(text, max(0, span.start - 40), span.start)
    start = first.start(1) if first else span.start
    end = side.end() if side else span.end
    return replace(span, start=start, end=end, text=text[start:end])


# A force, a court or an army of a country bears the country's name before or after it: "the [liberia] national
# police", "[zimbabwe] republic police", "royal police force [of antigua and barbuda]".
_FORCE_WORDS = re.compile(r"\b(?:police|constabulary|courts?|defen[cs]e\s+force|army|gendarmerie)\b", re.I)
_WORDS_BEFORE = re.compile(r"((?:[A-Za-z][\w'’-]*\s+){1,3})$")
_OF_WORDS = re.compile(r"\s+of\s+(?:the\s+)?((?:[A-Za-z][\w'’-]*)(?:\s+[A-Za-z][\w'’-]*){0,3})")


def _country_before(text: str, start: int) -> int:
    words = _WORDS_BEFORE.search(text, max(0, start - 40), start)
    if words is None:
        return start
    said = words.group(1).split()
    for n in range(len(said), 0, -1):
        if " ".join(said[-n:]).lower() in gazetteer()[1]:
            return start - len(" ".join(said[-n:])) - 1
    return start


def _country_after(text: str, stop: int) -> int:
    words = _OF_WORDS.match(text, stop)
    if words is None:
        return stop
    said = words.group(1).split()
    for n in range(len(said), 0, -1):
        if " ".join(said[:n]).lower() in gazetteer()[1]:
            return words.start(1) + len(" ".join(said[:n]))
    return stop


# Words that join a body's name to the rest of it in the languages its name is in: Spanish, Portuguese, French and
# Italian "de", "da", "du" ("[dirección general] de [migración]"), Samoan, Tongan and Māori "o" ("[ekalesia] o [le
# alofa]", "[whare] o [hine]").
_JOINER = re.compile(r"\s+(?:de\s+la|de\s+los|de\s+las|del|de|da|do|dos|das|du|des|di|o|['’]o)\s+(?=\S)", re.I)
# A body's last word before "of" and its place: "[university hospital] of wales", "[the high court] of seychelles".
_SEAT_LAST = re.compile(
    r"\b(?:hospital|university|college|court|church|ministry|council|commission|police|bank|museum|institute|"
    r"assembly|parliament|tribunal|school|academy)$",
    re.I,
)
_OF_PLACE_AFTER = re.compile(r"\s+of\s+((?:the\s+)?[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,2})")


# A body named for a virtue or a person after "of" ("[wesley fellowship] of [hope]", "[the church] of [jesus christ]"):
# "of" joins where the name's last word says what kind of body it is.
_BODY_LAST = re.compile(
    r"\b(?:fellowship|church|ministry|ministries|assembly|temple|tabernacle|chapel|mission|foundation|sisters|"
    r"brothers|daughters|house|centre|center|home|shelter)$",
    re.I,
)
_OF = re.compile(r"\s+of\s+(?=\S)", re.I)
# Whom a shelter, a home or a centre is for, in its name: "[home shelter] for migrant women", "[bridges] for women".
_FOR_WHOM = re.compile(r"\s+for\s+(?:the\s+)?([a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2})", re.I)
_SERVED = _TRADES | {
    "victims", "survivors", "hope", "justice", "peace", "change", "rights", "women's", "girls'", "children's",
    "abused", "battered", "trafficked", "exploited", "homeless", "runaway", "mothers", "elderly", "disabled",
}  # fmt: skip


def _served(whom: re.Match[str] | None) -> int:
    """How many words after "for" say whom a body serves (0 when none do)."""
    said = whom.group(1).split() if whom else []
    return next((n for n in range(len(said), 0, -1) if all(base_word(w).lower() in _SERVED for w in said[:n])), 0)


def joined_bodies(text: str, spans: list[Span]) -> list[Span]:
    """An organisation's span joined to the span after it by a word that means "of" in its name's language (one word
    the rare layer guessed at joins only another layer's organisation: not "[día] de los [muertos]"), and an
    institution's span with "of" and the place it serves after it, as one organisation: spans that overlap the
    others and merge with them."""
    starts = {s.start: s for s in spans if s.source not in ("pattern", "known") or s.label in ("ORG", "LOCATION")}
    found = []
    for span in spans:
        if span.label != "ORG":
            continue
        joiner = _JOINER.match(text, span.end)
        after = starts.get(joiner.end()) if joiner else None
        if after is None and _BODY_LAST.search(span.text):
            joiner = _OF.match(text, span.end)
            after = starts.get(joiner.end()) if joiner else None
        alone = span.source == "rare" and " " not in span.text  # one word guessed at, not "[instituto nacional]"
        guessed = alone and after is not None and (after.label != "ORG" or after.source == "rare")
        if after is not None and after.label in ("ORG", "LOCATION", "PERSON") and not guessed:
            found.append(Span(span.start, after.end, "ORG", "context", text[span.start : after.end], 0.6))
            continue
        whom = _FOR_WHOM.match(text, span.end) if _BODY_LAST.search(span.text) else None
        served = _served(whom)
        if whom and served:
            end = whom.start(1) + len(" ".join(whom.group(1).split()[:served]))
            found.append(Span(span.start, end, "ORG", "context", text[span.start : end], 0.6))
            continue
        seat = _OF_PLACE_AFTER.match(text, span.end) if _SEAT_LAST.search(span.text) else None
        if seat:
            said = seat.group(1).split()
            towns, countries = named_towns(), gazetteer()[1]
            n = next((n for n in range(len(said), 0, -1) if _placed(" ".join(said[:n]).lower(), towns, countries)), 0)
            if n:
                end = seat.start(1) + len(" ".join(said[:n]))
                found.append(Span(span.start, end, "ORG", "context", text[span.start : end], 0.6))
    return found


def _placed(said: str, towns: frozenset[str], countries: frozenset[str]) -> bool:
    return said in towns or said in countries or (said.startswith("the ") and said[4:] in countries)


# A venue's name said after what kind of venue it is, set off by a comma: "a job at the casino in, uh, biloxi, the
# silver pelican, and", "working in a spa, the fewa healing touch, and", "the rehab in newlands east, kwa thembalethu
# recovery, and", "the logging company, sunrise timber, want girls", "a taxi firm, zoom cars, on oak lane"; or said
# before who owned or ran it: "the golden palm was owned by a couple". Two words or more, each one a name's (not "the
# club, the music, the lights", "the house was owned by").
_VENUE_KINDS = (
    r"casino|spa|massage|salon|parlou?r|bar|club|nightclub|hotel|motel|lodge|guest\s*house|resort|restaurant|"
    r"brothel|shelter|refuge|rehab|agency|manpower|factory|farm|shop|store|hostel|karaoke|cafe|pub|tavern|"
    r"garage|workshop|plantation|boat|company|firm|cooperative|co-operative|hospital|car\s+wash|snack\s+bar|"
    r"shebeen|kitchen|business|sauna|snooker\s+hall|pool\s+hall|dance\s+hall|bingo\s+hall|project|collective"
)
_FILLERS = r"(?:\s*(?:um|uh|er|erm|eh|like|the)\s*,)*"
_APPOSED = re.compile(
    rf"\b(?:a|an|the)(?:,?{_FILLERS}\s+{_WORD}){{0,2}},?{_FILLERS}\s+(?:{_VENUE_KINDS})(?:\s+(?:place|joint))?(?:\s+(?:in|at|on|near|by|down|off|"
    rf"along|up),?{_FILLERS}\s+(?:the\s+)?{_WORD}(?:\s+{_WORD})?)?\s*,"
    rf"{_FILLERS}\s*(?:the\s+)?((?:{_WORD}\s+){{1,3}}{_WORD}(?:\s+and\s+{_WORD})?)(?=\s*(?:[,.;!?]|$))",
    re.I,
)
_OWNED_BY = re.compile(
    rf"\bthe\s+((?:{_WORD}\s+){{1,2}}{_WORD})\s+(?:was|is|were|got)\s+(?:owned|run|managed)\s+by\b", re.I
)


# What a venue has and who is in it, said after it: "at the hotel, the front desk", "the club, the back room".
_VENUE_PARTS = {
    "floor", "desk", "room", "rooms", "door", "doors", "lobby", "kitchen", "toilet", "toilets", "bathroom", "office",
    "parking", "lot", "yard", "stage", "counter", "entrance", "staff", "manager", "owner", "owners", "boss", "girls",
    "women", "men", "people", "guys", "customers", "clients", "police", "security", "area", "side", "place", "thing",
}  # fmt: skip


_VENUE_LAST = re.compile(rf"(?:{_VENUE_KINDS}|grill|lounge|bakery|restaurant|diner|rooms)")
# What kind of room a venue has, not its name: "the back rooms", "the vip room".
_ROOM_KINDS = {"back", "front", "vip", "staff", "spare", "living", "dining", "bed", "bath", "waiting", "changing",
               "massage", "treatment", "private", "side", "top", "upstairs", "downstairs", "big", "small", "little",
               "other", "same", "first", "second", "third", "last", "next", "locker", "store", "storage", "tea",
               "break", "rest", "sitting", "guest", "hotel", "motel", "dark", "cold", "hot", "steam",
               "smoking"}  # fmt: skip


def _apposed(text: str) -> list[Span]:
    spans = []
    for pattern in (_APPOSED, _OWNED_BY):
        for match in pattern.finditer(text):
            words = [base_word(w).lower() for w in match.group(1).split()]
            joined = len(words) >= 4 and words[-2] == "and" and bool(_VENUE_LAST.fullmatch(words[-1]))
            if joined:
                words = words[:-2]  # "the golden heart shop and bar": the name and its two kinds
            named = not any(w in _BREAKS | _NOT_NAME or w in HARD_NEGATIVES or _CONTRACTED.search(w) for w in words)
            # "the silk rooms", "the velvet room": a room's name, not a room of the venue ("the back rooms")
            rooms = words[-1] in ("room", "rooms") and len(words) == 2 and words[0] not in _ROOM_KINDS
            plain = words[0] in GENERIC_MODIFIERS | _TRADES or (words[-1] in _VENUE_PARTS and not rooms)
            if named and not plain:
                spans.append(Span(match.start(1), match.end(1), "ORG", "context", match.group(1), 0.6))
    return spans
