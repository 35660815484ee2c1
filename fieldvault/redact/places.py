"""Layer 6: towns by name where English expects a place, from the gazetteer (lexicon.places()).

Many towns are everyday words ("Hope", "Reading", "Warren", "Social Circle", "Experiment"), so a name alone
proves nothing; the stronger the cue around it, the commoner the word may be:
- named as a town: "a town called X", "X, it's a little town", "X, that's a real town", "X, ontario": any
  word the gazetteer has;
- after living or moving somewhere: "grew up in X", "moved us out to X", "out past X", "back home in X",
  "the X area": a name of two words or more, a word not too common, a city of 50,000 people or more, or a
  word written with a capital;
- beside a place already found: "between X and Akron", "Canton or X" (``coordinated``, run on every
  layer's spans), and a person beside a person: "lil peanut and X".
A town ASR heard as syllables ("yak a ma" for Yakima) is matched by sound after a place word. Hard
negatives, idioms ("lived in fear", "ended up in trouble") and plurals of common nouns stay out.
"""

from __future__ import annotations

import functools
import itertools
import re

from rapidfuzz import fuzz

from fieldvault.redact.context import GENERIC_MODIFIERS
from fieldvault.redact.known import sounds
from fieldvault.redact.lexicon import (
    COMPASS_WORDS,
    GENERIC_PLACES,
    HARD_NEGATIVES,
    HOLIDAYS,
    HONORIFICS,
    INFORMAL,
    MONTHS,
    PERSON_WORDS,
    REGIONS,
    STOPWORDS,
    US_STATES,
    WEEKDAYS,
    WORD_NAMES,
    base_word,
    dictionary,
    first_names,
    gazetteer,
    is_region,
    named_towns,
    peoples,
    places,
    population,
    word_frequency,
)
from fieldvault.redact.patterns import SPOKEN_NUMBERS
from fieldvault.redact.rare import BARE_IDIOMS, plural
from fieldvault.redact.reservations import find_reservations
from fieldvault.redact.spans import Span

# States of being that English puts bare after "in" or "to", some of them towns too: "lived in fear",
# "ended up in trouble", "grew up in poverty", "moved to tears", "came to terms".
IDIOMS = {
    "fear", "sin", "poverty", "trouble", "pain", "shock", "denial", "love", "peace", "harmony", "luxury", "comfort",
    "misery", "silence", "secret", "secrecy", "public", "private", "hiding", "debt", "danger", "chains", "style",
    "vain", "time", "order", "fact", "general", "particular", "return", "charge", "touch", "line", "turn", "shape",
    "tears", "need", "crisis", "labor", "labour", "trust", "business", "power", "control", "faith", "hope",
    "prayer", "mind", "view", "doubt", "person", "tune", "check", "stock", "front", "motion", "progress",
    "advance", "action", "contact", "reach", "range", "half", "common", "short", "full", "bloom", "season",
    "transit", "force", "effect", "reality", "theory", "practice", "principle", "detail", "depth", "space",
    "nature", "spirit", "truth", "memory", "honor", "honour", "favor", "favour", "place", "good", "bad", "better",
    "worse", "black", "white", "pink", "red", "blue", "green", "gray", "grey", "color", "colour", "writing",
    "case", "addition", "part", "total", "response", "reply", "terms", "life", "light", "pass", "blows",
    "earth", "waste", "ruin", "ruins", "pieces", "bits", "shambles", "flames", "smoke", "arms", "speed", "date",
    "sleep", "rest", "safety", "freedom", "jesus", "glory", "grace", "mercy", "victory", "paradise", "heaven",
    "hell", "prosperity", "welfare", "aid", "care", "school", "church", "college", "town", "city", "country",
    "state", "normal", "wonder", "awe",
}  # fmt: skip
COMMON = 4.6  # Zipf: a one-word town commoner than this needs a capital, a strong cue or a big population
BIG_TOWN = 50_000
IDIOM_TOWN = 10_000  # an idiom's word after a place noun ("a house in paradise") is a town this large
SOUNDED_TOWN = 20_000  # a town matched by its sound alone must be this large: ASR mangles towns people name

_NAME = r"([A-Za-z][A-Za-z'’-]*(?: [A-Za-z][A-Za-z'’-]*){0,2})"
_OBJECT = r"(?:(?:me|us|her|him|them|my \w+|our \w+)\s+)?"
_WITH = r"(?:with\s+(?:(?:my|her|his|our|their|a|some)\s+)?[a-z'’-]+(?:\s+[a-z'’-]+)?\s+)?"  # "stayed with my aunt in"
_AWAY = r"(?:(?:back|out|up|down|over|off|all the way|away)\s+)?"
# Living, staying or moving somewhere, then the town.
AFTER_LIVING = re.compile(
    r"\b(?:"
    rf"(?:grew up|growing up|raised|born|born and raised|lived|live|lives|living|settled|ended up|end up|"
    rf"ending up|wound up|landed|stayed|stay|stays|staying|stuck|based|located|been|was|were|went|came|"
    rf"moved|got|stopped|rented|bought|home|house|trailer|apartment|cabin|farm|land|family|people|folks|flat|"
    rf"caravan|room|place|motel|hotel|spent (?:\w+\s+){{1,3}}?)\s+"
    rf"{_AWAY}{_WITH}(?:in|outside(?:\s+of)?|near|around)"
    r"|went\s+(?:up|down|out|over|north|south|east|west|on|back home)\s+to"
    r"|(?:drove|drive|driving|passed|passing|pass)\s+through"
    rf"|(?:moved|move|moves|moving|relocated|relocate|transferred|shipped|sent|came|come|drove|drive|driving|"
    rf"headed|heading|took|brought|trafficked|dropped|ran away|ran off|run away|fled|escaped|flew|bussed|"
    rf"went back|going back|got back|made it)\s+{_OBJECT}{_AWAY}(?:to|into|towards?)"
    r"|(?:originally|family|people|folks|grandma|grandmother|granny|aunt|auntie|uncle)\s+(?:is\s+|are\s+|was\s+)?from"
    r"|back home (?:in|to)|from back home in|(?:out|over|down|up) (?:in|past|by|near|to|toward|around|outside)"
    r"|(?:just|right|way) (?:outside|past)(?: of)?"
    r")\s+" + _NAME,
    re.I,
)
# A place, then the town it is in: "the clinic in liberty", "a spa in garden grove", "his house out in warren".
_PLACE_NOUN_IN = re.compile(
    r"\b(?:clinic|spa|salon|parlou?r|house|motel|hotel|inn|lodge|shelter|jail|prison|church|hospital|apartment|"
    r"trailer|school|job|bar|club|store|restaurant|office|program|center|centre|rehab|detox|flat|room|unit|"
    r"courthouse|station|warehouse|factory|plant|farm|ranch|camp|projects|truck stop|casino|diner|cafe|mall|"
    r"street|road|avenue|boulevard|lane|drive|highway|exit|airport|bus station|college|university|academy)"
    r"(?:,\s*|\s+)(?:(?:right|just|way|out|up|down|over|back)\s+)?(?:in|outside(?:\s+of)?|near)\s+" + _NAME,
    re.I,
)
# The town introduced as a town before its name: "a little town called hope", "the city of leicester", "the town is
# really called media".
NAMED_TOWN = re.compile(
    r"\b(?:town|city|village|place|suburb|community|hamlet)\s+(?:(?:is|was)\s+(?:really\s+|actually\s+|"
    r"literally\s+|just\s+)?(?:called|named)|called|named|of|by the name of)\s+" + _NAME,
    re.I,
)
# The town explained after its name: "experiment, that's a little place by griffin", "hope, it's a tiny town".
_EXPLAINED = re.compile(
    r"^[,.;]?\s+(?:(?:it's|it is|that's|that is|which is|its|thats|is|was|it was|that was)\s+)?(?:a|an|this|like a)\s+"
    r"(?:[a-z]+\s+){0,2}?(?:town|city|village|suburb|hamlet)\b"
    r"|^[,.;]?\s+(?:it's|it is|that's|that is|which is|its|thats|it was|that was)\s+(?:a|an|this|like a)\s+"
    r"(?:[a-z]+\s+){0,2}?(?:place|community)\b"
    r"|^,?\s+the (?:one|town|city) (?:in|by|near|outside|up|down|out)\b"
    r"|^\s+originally\b"
    r"|^\s+(?:is|was) where (?:i|we|it|she|he|they|all|my)\b",
    re.I,
)
_REGIONS = "|".join(sorted(US_STATES | REGIONS, key=len, reverse=True))
_BEFORE_REGION = re.compile(rf"^,?\s+(?:{_REGIONS})\b", re.I)
_AREA = re.compile(r"\b(?:the|that)\s+" + _NAME + r"\s+(?:area|region)\b", re.I)
_STARTS = re.compile(r"\b[A-Za-z]")


def _names_at(text: str, start: int) -> list[tuple[int, str]]:
    """(end, lowered name) of each run of one to three words beginning at ``start``, longest first."""
    match = re.match(r"[A-Za-z][A-Za-z'’-]*(?: [A-Za-z][A-Za-z'’-]*){0,2}", text[start:])
    if not match:
        return []
    words = list(re.finditer(r"[A-Za-z][A-Za-z'’-]*", match.group()))
    runs = []
    for width in range(len(words), 0, -1):
        last = words[width - 1]
        end = start + last.start() + len(base_word(last.group()))
        runs.append((end, text[start:end].lower().replace("’", "'")))
    return runs


def _excluded(name: str) -> bool:
    words = name.split()
    return (
        name in COMPASS_WORDS
        or name in HARD_NEGATIVES
        or name in STOPWORDS
        or name in INFORMAL
        or words[0] in STOPWORDS - {"new", "old", "big", "little", "good"}
        or name in GENERIC_PLACES
        or name in BARE_IDIOMS
    )


def _numbers_only(name: str) -> bool:
    return all(w in SPOKEN_NUMBERS for w in name.split())


# Idioms only after "to" ("back to normal"): after "lived in" the town (Normal, Illinois).
_IN_TOWNS = {"normal"}


def _after_cue(name: str, written: str, following: str = "", framed: bool = False, before: str = "") -> bool:
    """A town after a living or moving cue: not an idiom, a plural of a common noun, or a number ("back in
    ninety six"); one word needs to be rare enough, a big city's name, or written with a capital. A common
    word that goes on into another ("mobile home", "to surprise him") is that word. ``framed``: between two
    places ("from sparks to reno"), where a plural is a town too."""
    capital = written[:1].isupper()
    if name in _IN_TOWNS and re.search(r"\b(?:in|near|outside)\s+$", before):
        return not _goes_on(following)  # "lived in normal", not "in normal mode"
    if _excluded(name) or _numbers_only(name) or (not capital and (name in IDIOMS or (plural(name) and not framed))):
        return False
    if capital or " " in name:
        return True
    frequency = word_frequency(name)
    if frequency >= 4.0 and _goes_on(following):
        return False
    return frequency < COMMON or (population(name) >= BIG_TOWN and frequency < 5.6)


# Words a town is seldom followed by and a verb or a noun's modifier is: "to surprise him", "mobile homes".
_OBJECTS = {
    "him", "her", "them", "me", "us", "you", "it", "my", "his", "their", "our", "your", "the", "a", "an", "some",
    "myself", "himself", "herself", "themselves", "everybody",
}  # fmt: skip


def _goes_on(following: str) -> bool:
    """The text after a word continues its phrase: an object or determiner, or an everyday word that is no
    function word ("mobile homes", "reading glasses")."""
    match = re.match(r" ([a-z][a-z'’-]*)", following)
    if not match:
        return False  # punctuation, a capital, or the end
    word = match.group(1)
    if word in _OBJECTS:
        return True
    return word not in STOPWORDS and word not in SPOKEN_NUMBERS and word in dictionary()[0]


def _town_spans(text: str, start: int, check: str, confidence: float) -> list[Span]:
    """The longest town beginning at ``start`` that passes ``check`` ("named": any; "cue": _after_cue; "place":
    after a place noun, where an idiom's word that is a sizeable town is the town: "a shelter up in paradise";
    "lived": after growing up or living out somewhere, where a smaller one is: "grew up in hope")."""
    known = places()
    for end, name in _names_at(text, start):
        if name not in known:
            continue
        following = text[end : end + 30]
        if (
            (check == "named" and not _excluded(name))
            or (
                check != "named"
                and _after_cue(name, text[start:end], following, before=text[max(0, start - 12) : start])
            )
            or (check == "place" and _idiom_town(name, following))
            or (check == "lived" and _idiom_town(name, following, LIVED_IDIOM_TOWN))
        ):
            return [Span(start, end, "LOCATION", "context", text[start:end], confidence)]
    return []


_GONE_TO = re.compile(r"\b(?:in|to|from|near|outside(?:\s+of)?|around|past)\s+$", re.I)


def _named_town_again(text: str, named: list[Span]) -> list[Span]:
    """The other mentions of a town the text named as a town, where a place is said ("a girls' home in media. yes,
    the town is really called media"): after "in", "to", "from" or "near", not before "of" ("in media of all
    kinds")."""
    found = []
    for town in {s.text.lower() for s in named}:
        for match in re.finditer(rf"(?<![\w'’-]){re.escape(town)}(?![\w'’-])", text, re.I):
            if any(s.start < match.end() and match.start() < s.end for s in named):
                continue
            if _GONE_TO.search(text, max(0, match.start() - 16), match.start()) and not re.match(
                r"\s+of\b", text[match.end() :]
            ):
                found.append(Span(match.start(), match.end(), "LOCATION", "context", match.group(), 0.7))
    return found


# Growing up somewhere, or living out, over, up or down somewhere, is in a town: "grew up in hope", "lived over in
# paradise", "moved out to paradise" (QA C5); "lived in fear", "moved to tears" stay idioms.
_GREW_UP = re.compile(
    r"\b(?:grew up|growing up|raised|born)\s+(?:in|near|outside)\b|\b(?:out|over|up|down)\s+(?:in|to)\b", re.I
)
LIVED_IDIOM_TOWN = 5_000


def _idiom_town(name: str, following: str, smallest: int = IDIOM_TOWN) -> bool:
    return name in IDIOMS and population(name) >= smallest and not _goes_on(following) and name not in _NEVER_TOWNS


_NEVER_TOWNS = {"progress", "college", "normal"}  # "grew up in college"; "normal" has its own rule


def _back_to_doing(match: re.Match[str]) -> bool:
    """ "went back to using", "got back to reading": an activity taken up again, not a town."""
    word = match.group(1).split()[0]
    return word.islower() and word.endswith("ing") and bool(re.search(r"\bback\b", match.group()))


def explained_as_town(following: str) -> bool:
    """Whether the words just after a name say it is a town: "it's a little town", "was where we lived", ", ohio"."""
    return bool(_EXPLAINED.match(following) or _BEFORE_REGION.match(following))


def _explained_towns(text: str) -> list[Span]:
    """A town named just before "it's a little town" or a state or province: the longest name of one to three
    words that ends there."""
    spans: list[Span] = []
    known = places()
    for cue in (_EXPLAINED, _BEFORE_REGION):
        for end in {m.end() for m in re.finditer(r"[A-Za-z'’]+(?=[,.;\s])", text)}:
            if not cue.match(text[end:]):
                continue
            before = list(re.finditer(r"[A-Za-z][A-Za-z'’-]*", text[max(0, end - 60) : end]))
            offset = max(0, end - 60)
            for width in (3, 2, 1):
                window = before[-width:]
                if len(window) < width or any(
                    text[offset + a.end() : offset + b.start()] != " " for a, b in itertools.pairwise(window)
                ):
                    continue
                start = offset + window[0].start()
                name = text[start:end].lower()
                if cue is _BEFORE_REGION and name in PERSON_WORDS and not text[end:].startswith(","):
                    break
                if name in known and not _excluded(name) and name not in REGIONS | US_STATES:
                    spans.append(Span(start, end, "LOCATION", "context", text[start:end], 0.7))
                    break
            else:
                spans += _unlisted_town(text, end, before[-1:], offset, cue)
    return spans


# "out in hell, that's a real town": a town the gazetteer lacks, said to be a town after a place word.
_SAID_TOWN = re.compile(r"^[,.;]?\s+(?:it's|it is|that's|that is|which is|its|thats|it was|that was)\s+(?:a|an)\s+"
                        r"(?:[a-z]+\s+){0,2}?(?:town|city|village)\b", re.I)  # fmt: skip
_PLACE_PREPOSITION = re.compile(r"\b(?:in|to|from|near|outside(?: of)?|called|named)\s+$", re.I)


def _unlisted_town(text: str, end: int, last: list[re.Match[str]], offset: int, cue: re.Pattern[str]) -> list[Span]:
    if cue is not _EXPLAINED or not last or not _SAID_TOWN.match(text[end:]):
        return []
    start = offset + last[0].start()
    name = text[start:end].lower()
    if name in STOPWORDS | HARD_NEGATIVES | INFORMAL | GENERIC_PLACES or name in REGIONS | US_STATES:
        return []
    if not _PLACE_PREPOSITION.search(text[max(0, start - 12) : start]):
        return []
    return [Span(start, end, "LOCATION", "context", text[start:end], 0.65)]


@functools.cache
def _town_sounds() -> dict[str, list[str]]:
    """Towns of SOUNDED_TOWN people or more, one word, five letters or more, by their sound."""
    from fieldvault.redact.lexicon import core_towns, gazetteer

    index: dict[str, list[str]] = {}
    core = core_towns()  # a sound-alike is a guess: only towns of the countries the rules were tuned on
    for name, people in gazetteer()[0].items():
        if people >= SOUNDED_TOWN and name.isalpha() and len(name) >= 5 and name in core:
            index.setdefault(sounds(name), []).append(name)
    return index


def _sounded_town(text: str, start: int) -> Span | None:
    """A town ASR wrote as short words ("yak a ma"): two or three of four letters or fewer, no function word
    among them but a letter alone, together no word, sounding like a town and spelled much like it."""
    words = list(re.finditer(r"[a-z]+", text[start : start + 20].lower()))
    ordinary = dictionary()[0]
    for width in (3, 2):
        window = words[:width]
        if len(window) < width or any(len(w.group()) > 4 for w in window):
            continue
        if any(len(w.group()) > 1 and w.group() in STOPWORDS for w in window) or window[0].group() in STOPWORDS:
            continue  # "gary so", "dota in": a word and a function word
        if any(text[start + a.end() : start + b.start()] != " " for a, b in itertools.pairwise(window)):
            continue
        joined = "".join(w.group() for w in window)
        if len(joined) < 5 or joined in ordinary:
            continue
        for town in _town_sounds().get(sounds(joined), []):
            if town[0] == joined[0] and fuzz.ratio(joined, town) >= 70:
                end = start + window[-1].end()
                return Span(start, end, "LOCATION", "context", text[start:end], 0.5)
    return None


_SLOT = re.compile(r"\b(?:in|to|from|near|outside|around|past)\s+(?=[a-z])", re.I)


# A road named for a town, or a town's exit, after "off": "the lodge off meridian", "right off Cicero".
_OFF = re.compile(
    r"\b(?:right|just|exit|live|lived|living|stayed|staying|motel|lodge|inn|house|place)\s+off\s+(?:of\s+)?"
    r"([A-Za-z][a-z'’-]+)\b"
)


def _off_road(text: str, match: re.Match[str]) -> list[Span]:
    word = match.group(1)
    name = base_word(word).lower()
    if name not in places() or _excluded(name) or name in IDIOMS or plural(name):
        return []
    if not word[0].isupper() and word_frequency(name) >= 4.0:
        return []
    start = match.start(1)
    return [Span(start, start + len(name), "LOCATION", "context", text[start : start + len(name)], 0.55)]


def find_places(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in NAMED_TOWN.finditer(text):
        spans += _town_spans(text, match.start(1), "named", 0.75)
    spans += _named_town_again(text, spans)
    for pattern in (AFTER_LIVING, _AREA, _PLACE_NOUN_IN):
        for match in pattern.finditer(text):
            if _back_to_doing(match):
                continue
            check = "place" if pattern is _PLACE_NOUN_IN else "cue"
            if pattern is AFTER_LIVING and _GREW_UP.search(text, match.start(), match.start(1)):
                check = "lived"
            spans += _town_spans(text, match.start(1), check, 0.72)  # above "X home" read as an organisation
    spans += _explained_towns(text)
    for match in _OFF.finditer(text):
        spans += _off_road(text, match)
    for match in _SLOT.finditer(text):
        sounded = _sounded_town(text, match.end())
        if sounded:
            spans.append(sounded)
    for match in _CAPITAL_SLOT.finditer(text):
        spans += _capital_town(text, match.start(1))
    for match in _VENUE_ON.finditer(text):
        spans += _venue(text, match)
    spans += _districts(text) + _town_modifiers(text) + _towns_in_state(text) + _corners(text) + _state_streets(text)
    spans += find_reservations(text)
    return spans + _forces_and_courts(text) + _born_at(text) + _compass_streets(text) + _city_initials(text)


# Cities people name by their initials, as they say them: "down to AC", "in KL", "back to n y c" (unseen76, unseen77).
# The ones that are also words or another tongue's article ("la", "ac", "dc", "sf", "kc", "kk") only in capitals or
# spelled out, never in one lowercase word.
_CITY_INITIALS = {"nyc", "nola", "atl", "kl", "jb", "okc", "stl", "slc", "phx", "cdmx", "la", "ac", "dc", "sf", "kc",
                  "kk", "lv", "pdx"}  # fmt: skip
_WORD_INITIALS = {"la", "ac", "dc", "sf", "kc", "kk", "lv"}
# Where a place goes: after a preposition of place or movement, maybe with an adverb ("down to", "back in").
_TO_A_PLACE = re.compile(
    r"\b(?:in|to|from|of|around|outside|near|through|into|towards?|out\s+of|left|visit|visiting)\s+$", re.I
)


def _city_initials(text: str) -> list[Span]:
    """A city said by its initials where a place goes: "the suburbs of AC", "In KL he gave me", "a plane to k l"."""
    spans = []
    for match in re.finditer(r"(?<![\w'’.-])([A-Za-z]{2,6}|[A-Za-z](?: [A-Za-z]){1,3})(?![\w'’-])", text):
        written = match.group(1)
        initials = written.replace(" ", "").lower()
        spelled = " " in written
        if initials not in _CITY_INITIALS or not _TO_A_PLACE.search(text[max(0, match.start() - 16) : match.start()]):
            continue
        if spelled and not written.islower():
            continue
        if not spelled and not written.isupper() and (initials in _WORD_INITIALS or written[1:] != written[1:].lower()):
            continue  # "la", "ac" in one lowercase word; "Nola" as written passes
        spans.append(Span(match.start(1), match.end(1), "LOCATION", "context", written, 0.6))
    return spans


# A city's district named by its compass end ("the north end", "the west end": a named neighbourhood; "the east
# side" is a direction), also of the town it is in ("from the west end of chester"); not the end of a thing ("the
# north end of the lot", "the west end of town"). Or a nation's quarter ("little haiti", "Little Italy").
_END = re.compile(
    r"\bthe\s+((?:north|south|east|west)\s+end)\b"
    r"(?!\s+of\s+(?:the|a|an|my|your|his|her|our|their|this|that|its|it|town|there|here)\b|\s+of\s*$)",
    re.I,
)
_LITTLE = re.compile(r"(?<![\w'’])(?<!\ba )(?<!\bthe )(little\s+([A-Za-z]+))\b", re.I)


# A city's ward by its number: "we lived in the fifth ward", "the lower ninth ward" (Houston, New Orleans).
_WARD = re.compile(
    r"\b((?:(?:lower|upper)\s+)?(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth)\s+ward)\b",
    re.I,
)


def _districts(text: str) -> list[Span]:
    spans = [Span(m.start(1), m.end(1), "LOCATION", "context", m.group(1), 0.7) for m in _END.finditer(text)]
    for match in _WARD.finditer(text):  # not a hospital's ward: "on the third ward", "the fifth ward of the hospital"
        if re.search(r"\bon\s+(?:the\s+)?$", text[max(0, match.start() - 8) : match.start()], re.I):
            continue
        if re.match(
            r"\s+(?:of|at|in)\s+(?:the\s+)?(?:hospital|infirmary|clinic|prison|jail)\b", text[match.end() :], re.I
        ):
            continue
        spans.append(Span(match.start(1), match.end(1), "LOCATION", "context", match.group(1), 0.7))
    for match in _LITTLE.finditer(text):
        nation = match.group(2).lower()
        if is_region(nation) or population(nation) >= BIG_TOWN or nation in gazetteer()[1]:  # "little india"
            spans.append(Span(match.start(1), match.end(1), "LOCATION", "context", match.group(1), 0.75))
    for match in _MILE.finditer(text):
        group = 1 if match.group(1) else 2
        if not _MILE_MEASURE.match(text, match.end(group)):
            spans.append(Span(match.start(group), match.end(group), "LOCATION", "context", match.group(group), 0.65))
    for match in _NAMED_TOWN_WORD.finditer(text):
        first = match.group(2).lower()
        ordinary, proper = dictionary()
        people = first in proper and first not in ordinary  # "english harbour", "vai town": a people's, a place's
        if first in STOPWORDS or first in GENERIC_MODIFIERS or first in IDIOMS or (first in ordinary and not people):
            continue
        spans.append(Span(match.start(1), match.end(1), "LOCATION", "context", match.group(1), 0.65))
    return spans


# A settlement named by its distance on a road, where no distance is meant: "the men come from six mile and eight
# mile", "he lives at mile seventeen" (Papua New Guinea, Kenya, Detroit's "Eight Mile"); not "walked six mile
# down the road", "a mile away", "ten miles".
_MILE_NUMBER = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|\d{1,3})"
)
_MILE = re.compile(
    rf"\b(?:(?:in|at|from|to|near|past|by|and)\s+({_MILE_NUMBER}\s+mile)|(?:in|at|from|to|near|past|by|and|for)\s+"
    rf"(mile\s+{_MILE_NUMBER}))\b(?![\w'’-])",
    re.I,
)
_MILE_MEASURE = re.compile(
    r"\s+(?:away|out|down|up|from|off|of|on|along|radius|walk|drive|run|long|wide|north|south|east|west|or|and\s+a)\b",
    re.I,
)
# A town or a harbour named for a people or by a word no dictionary has, after a place's preposition: "in vai town",
# "the yachts at english harbour", "from kru town".
_NAMED_TOWN_WORD = re.compile(
    r"\b(?:in|at|from|to|near|outside|around|past)(?:\s*,?\s*(?:uh|um|er|erm|like)\s*,)?\s+(?:the\s+)?"
    r"(([a-z][\w'’-]*)\s+(?:town|harbour|harbor))\b",
    re.I,
)


# A town said as what a thing comes from: "that's a Jacksonville number", "a 904 area code", "a chicago cop".
_MODIFIED = re.compile(
    r"\b(?:a|an|the|that|this|my|his|her|their)\s+([A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’-]*)?)\s+"
    r"(?:(?:phone|cell|cell phone|home)\s+)?"
    r"(?:number|area code|plates?|license plates?|tags|accent|address|cops?|police)\b",
    re.I,
)


def _town_modifiers(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _MODIFIED.finditer(text):
        for end, name in _names_at(text, match.start(1)):
            if end > match.end(1) or name not in places() or _excluded(name) or name in IDIOMS:
                continue
            if text[match.start(1)].isupper() or " " in name or _after_cue(name, text[match.start(1) : end]):
                spans.append(Span(match.start(1), end, "LOCATION", "context", text[match.start(1) : end], 0.7))
                break
    return spans


# A town named by an everyday word or a country, then its state or its borough: "lived in Christmas, Florida", "from
# Bunkie, Louisiana", "arrested in Jamaica, Queens", "grew up in Lebanon, Ohio".
_BOROUGHS = r"queens|brooklyn|the bronx|bronx|manhattan|staten island"
_IN_STATE = re.compile(
    rf"\b(?:in|from|to|near|outside(?: of)?)\s+([A-Za-z][A-Za-z'’-]*),\s+(?:{_REGIONS}|{_BOROUGHS})\b"
    rf"(?!,?\s+(?:and|or)\s+(?:{_REGIONS})\b)",  # not a list of states: "to Mexico, Texas and Oklahoma"
    re.I,
)
PLACED_TOWN_CONFIDENCE = 0.86  # the detector keeps a town before its state at this confidence, hard negative or not
_DATE_WORDS = set(MONTHS) | WEEKDAYS  # "in May, Georgia passed a law": a month, whatever town bears its name


def _towns_in_state(text: str) -> list[Span]:
    spans = []
    for match in _IN_STATE.finditer(text):
        name = match.group(1).lower()
        country = is_region(name) and name in named_towns() and name not in REGIONS
        hidden = (name in places() and name in HARD_NEGATIVES) or country
        if hidden and name not in _DATE_WORDS | US_STATES | STOPWORDS:
            written = match.group(1)
            spans.append(Span(match.start(1), match.end(1), "LOCATION", "context", written, PLACED_TOWN_CONFIDENCE))
    return spans


# A venue named by everyday words, placed on its street: "the girls at the pink pony on industrial", "a job at
# the blue moon on colfax". Not a thing anyone has ("the bus stop on main", "the light on fifth").
_VENUE_ON = re.compile(
    r"\b(?:at|from|outside|behind|across from|in front of|inside)\s+the\s+([a-z][a-z'’-]*(?:\s+[a-z][a-z'’-]*)?)"
    r"\s+(?:on|off)\s+([a-z][a-z'’-]*)\b(?!['’])",
    re.I,
)
_EVERYDAY_PLACES = {
    "store", "shop", "station", "stop", "corner", "light", "lights", "house", "home", "park", "lot", "building",
    "apartment", "apartments", "motel", "hotel", "bar", "club", "restaurant", "church", "school", "hospital",
    "clinic", "jail", "mall", "market", "bridge", "tracks", "track", "road", "street", "side", "end", "block",
    "bench", "curb", "sidewalk", "alley", "field", "place", "spot", "room", "office", "bank", "laundromat",
    "pharmacy", "gym", "library", "courthouse", "airport", "casino", "diner", "cafe", "bakery", "warehouse",
    "factory", "plant", "farm", "trailer", "camp", "dump", "tree", "sign", "line", "door", "window", "stand",
    "booth", "stall", "truck", "bus", "car", "van", "lake", "river", "beach", "pier", "shelter", "center",
    "centre", "projects", "complex", "tower", "towers", "garage", "yard", "lounge", "pub", "inn", "lodge", "spa",
    "salon", "parlor", "studio", "theater", "theatre", "arcade", "rink", "pool", "court", "courts", "stadium",
    "hall", "den", "basement", "floor", "hallway", "porch", "steps", "top", "bottom", "back", "front", "middle",
    "edge", "way", "path", "trail", "highway", "freeway", "exit", "ramp", "intersection", "crossing", "liquor",
    "gas", "dollar", "thrift", "grocery", "taco", "burger", "pawn", "strip", "desk", "counter", "table",
    "register", "gate", "entrance", "train", "phone", "machine", "meeting", "party", "game", "show", "job",
}  # fmt: skip
_ON_IDIOMS = {
    "top", "fire", "foot", "time", "purpose", "call", "duty", "break", "shift", "it", "that", "drugs", "dope",
    "meth", "crack", "heroin", "weekends", "nights", "sundays", "lockdown", "camera", "tape", "video", "paper",
    "record", "site", "location", "hold", "sale", "board", "display", "fridays", "saturdays", "track", "corner",
    "block", "street", "streets", "road", "highway", "interstate", "freeway", "way", "average", "demand",
}  # fmt: skip


def _venue(text: str, match: re.Match[str]) -> list[Span]:
    words = [base_word(w).lower() for w in match.group(1).split()]
    street = match.group(2).lower()
    if any(w in STOPWORDS or w in HARD_NEGATIVES or w in INFORMAL for w in words) or words[-1] in _EVERYDAY_PLACES:
        return []
    if all(w in GENERIC_MODIFIERS or w in GENERIC_PLACES for w in words) or plural(words[-1]):
        return []
    ordinary = dictionary()[0]
    if len(words) == 1 and words[0] in ordinary:
        return []  # "the pantry on fifth": one everyday word is a thing; two make a name ("the blue moon")
    spans = [Span(match.start(1), match.end(1), "ORG", "context", match.group(1), 0.55)]
    if street not in STOPWORDS | HARD_NEGATIVES | _ON_IDIOMS | IDIOMS and not plural(street):
        if street not in SPOKEN_NUMBERS:
            spans.append(Span(match.start(2), match.end(2), "LOCATION", "context", match.group(2), 0.5))
    return spans


_CAPITAL_SLOT = re.compile(r"\b(?:in|to|from|near|outside|around|between|past|towards?)\s+([A-Z][a-z])")


def _capital_town(text: str, start: int) -> list[Span]:
    """A town written with a capital after a place word, however common the word: "in Hope", "to Reading".
    Not a first name alone ("to Grace"): the person cues judge those."""
    known = places()
    moved = _MOTION_TO.search(text[max(0, start - 30) : start]) is not None
    for end, name in _names_at(text, start):
        written = text[start:end]
        if not all(w[0].isupper() for w in written.split()):
            continue
        if name in known and not _excluded(name) and (" " in name or name not in first_names()):
            return [Span(start, end, "LOCATION", "context", written, 0.6)]
        if name in known and not _excluded(name) and moved and population(name) >= BIG_TOWN:
            return [Span(start, end, "LOCATION", "context", written, 0.7)]  # "went to Warren": above "to X"
    return []


# Going somewhere: a city named like a person after it is the city ("went to Warren", "moved to Tyler").
_MOTION_TO = re.compile(
    r"\b(?:went|go|goes|going|moved|move|came|come|drove|back|over|out|down|up|headed|heading)\s+to\s+$", re.I
)


# A town after a place already found or a place's name: "the clinic in liberty", "elm street in warren".
_INSIDE = re.compile(
    r"^,?\s+(?:(?:right|just|way|out|up|down|over|back)\s+)?(?:in|outside(?:\s+of)?|near)\s+(?=[A-Za-z])"
)
_AND = (
    r"(?:\s*,?\s+(?:and\s+)?then\s+(?:(?:over|back|on|up|down|out)\s+)?(?:to\s+)?"
    r"|\s*,?\s+(?:and|or)\s+(?:sometimes|also|even|once|often|later)\s+(?:to|in|up to|down to|out to)\s+"
    r"|\s*,\s*(?:and|or)\s+|\s*,\s*|\s+(?:and|or|&|to|an|n)\s+)"
)
_RIGHT = re.compile(rf"^{_AND}")
_LEFT = re.compile(rf"(?:between\s+|from\s+)?([A-Za-z][A-Za-z'’-]*(?: [A-Za-z][A-Za-z'’-]*)?){_AND}$", re.I)


def _person_like(word: str) -> bool:
    """A word that may be a name beside a name: a first name, a name that is also a word, or a rare word."""
    lowered = base_word(word).lower()
    if len(lowered) < 3 or not lowered.isalpha() or _excluded(lowered) or lowered in SPOKEN_NUMBERS:
        return False
    if lowered in GENERIC_MODIFIERS or lowered in IDIOMS or plural(lowered) or lowered in HONORIFICS:
        return False  # "my counsellor, mma onalenna": what she is beside her name
    if (lowered in peoples() or lowered.endswith("ese")) and lowered not in first_names():
        return False  # "the manager was maltese, ray camilleri", "he's local, cantonese, ah keung": where he is from
    if lowered.endswith(("ed", "ing")) and lowered in dictionary()[0]:
        return False  # "Saint Vincent, shackled to the bed": a verb beside a name
    return (lowered in first_names() or lowered in WORD_NAMES or lowered not in dictionary()[0]) or word_frequency(
        lowered
    ) < 3.7


def coordinated(text: str, spans: list[Span]) -> list[Span]:
    """Names listed beside a name the other layers found: "between canton and akron", "lil peanut and cocoa".
    A town beside a place must be in the gazetteer; a person beside a person must look like a name."""
    found: list[Span] = []
    # What a weaker layer proposed (the model, a name list, a capital, a rare word) a place rule may relabel.
    covered = [(s.start, s.end) for s in spans if s.source in ("known", "pattern", "context")]

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in covered)

    for span in spans:
        if span.label in ("LOCATION", "ORG") and span.confidence >= 0.45:
            inside = _INSIDE.match(text[span.end :])
            if inside:
                found += [s for s in _town_spans(text, span.end + inside.end(), "cue", 0.6) if free(s.start, s.end)]
        if span.label not in ("LOCATION", "PERSON") or span.confidence < 0.45:
            continue
        if span.source == "pattern" and all(w in SPOKEN_NUMBERS for w in span.text.lower().split()):
            continue  # a phone's digits a postcode's rule read ("my mobile, oh seven nine four six"): no place
        right = _RIGHT.match(text[span.end :])
        if right:
            begin = span.end + right.end()
            runs = [(begin, end) for end, _ in _names_at(text, begin)]
            found += [s for s in _neighbour(text, runs, span.label) if free(s.start, s.end)]
        left = _LEFT.search(text[max(0, span.start - 60) : span.start])
        if left:
            offset = max(0, span.start - 60)
            words = list(re.finditer(r"\S+", left.group(1)))
            runs = [(offset + left.start(1) + w.start(), offset + left.end(1)) for w in words]
            framed = bool(re.match(r"(?:between|from)\b", left.group(), re.I))
            if re.search(r"\sto\s+$", left.group()) and not framed:
                continue  # "from canton to akron" lists two places; "a van to blue town" one
            found += [s for s in _neighbour(text, runs, span.label, framed) if free(s.start, s.end)]
    return found


_ACRONYM_SKIPS = {"of", "the", "and", "for", "&"}


_EXPANDED = re.compile(r"\s*(?:,|\(|-|:)?\s*(?:the\s+|like\s+|for\s+)?")
_STREET_ENDS = {"trail", "street", "avenue", "road", "boulevard", "highway", "parkway", "drive", "lane", "way", "pike"}


def _expansions(text: str, spans: list[Span], covered: list[tuple[int, int]]) -> list[Span]:
    """The words an initialism stands for, said right after it: "obt, the orange blossom trail", "hlr (harbor light
    recovery)": a street's if its last word is a street's, else an organisation's."""
    found: list[Span] = []
    for span in spans:
        letters = span.text.lower()
        if not (
            2 <= len(letters) <= 5 and letters.isalpha() and (span.text.isupper() or letters not in dictionary()[0])
        ):
            continue
        lead = _EXPANDED.match(text, span.end)
        start = lead.end() if lead else span.end
        words = list(re.finditer(r"[A-Za-z][A-Za-z'’-]*", text[start : start + 80]))[: len(letters)]
        if len(words) < len(letters) or "".join(w.group()[0].lower() for w in words) != letters:
            continue
        if any(text[start + a.end() : start + b.start()] != " " for a, b in itertools.pairwise(words)):
            continue
        end = start + words[-1].end()
        if any(a < end and start < b for a, b in covered):
            continue
        label = "LOCATION" if words[-1].group().lower() in _STREET_ENDS else "ORG"
        found.append(Span(start, end, label, "context", text[start:end], 0.6))
    return found


def acronyms(text: str, spans: list[Span]) -> list[Span]:
    """A name's initials said beside it take its label: "everybody calls it OBT, the Orange Blossom Trail",
    "Harbor Light Recovery, HLR we called it". The initials are written in capitals, or are no word. And the words
    initials found stand for, said right after them (``_expansions``)."""
    covered = [(s.start, s.end) for s in spans if s.source != "rare"]  # a rare word's label is a guess
    found = _expansions(text, spans, covered)
    wanted: dict[str, str] = {}
    for span in spans + found:
        words = re.findall(r"[A-Za-z][A-Za-z'’-]*", span.text)
        if span.label in ("LOCATION", "ORG", "PERSON") and len(words) >= 2:
            for chosen in (words, [w for w in words if w.lower() not in _ACRONYM_SKIPS]):
                if len(chosen) >= 2:
                    wanted["".join(w[0] for w in chosen).lower()] = span.label
    for match in re.finditer(r"(?<![\w'’.-])[A-Za-z]{2,5}(?![\w'’-])", text):
        word = match.group()
        label = wanted.get(word.lower())
        if label is None or any(a < match.end() and match.start() < b for a, b in covered):
            continue
        if word.isupper() or (word.islower() and word not in dictionary()[0] | STOPWORDS):
            found.append(Span(match.start(), match.end(), label, "context", word, 0.6))
    return found


# An article or a possessive makes the word beside a name a common noun: "the bouncer, ssemakula, they called him".
_DETERMINED = re.compile(r"\b(?:the|a|an|my|his|her|our|their|your|this|that)\s+$", re.I)


def _neighbour(text: str, runs: list[tuple[int, int]], label: str, framed: bool = False) -> list[Span]:
    """The first of ``runs`` (start, end), longest first, that is a town beside a town or a name beside a name."""
    for start, end in runs:
        written = text[start:end]
        name = written.lower().replace("’", "'")
        if label == "LOCATION" and name in places() and _after_cue(name, written, text[end : end + 30], framed):
            return [Span(start, end, "LOCATION", "context", written, 0.55)]
        if label == "PERSON" and " " not in name and _person_like(written) and not _DETERMINED.search(text[:start]):
            return [Span(start, end, "PERSON", "context", written, 0.5)]
    return []


# Intersections said as two streets (QA D22; "sixty third and halsted", "Main and Hastings", "washington and third"):
# after a street's slot, two street names joined by "and", one of them an ordinal, "main" or a state (streets that
# carry the name of one); the other a name's word. Not a rank or a count ("the first and second time", "third and
# long", "first and foremost").
_ORDINAL = (
    r"(?:\d+(?:st|nd|rd|th)|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-])?(?:first|second|"
    r"third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|"
    r"sixteenth|seventeenth|eighteenth|nineteenth|(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ieth)"
)
_STREET_WORD = rf"(?:{_ORDINAL}|[A-Za-z][a-z'’-]+(?:\s+[A-Za-z][a-z'’-]+)??)"
_CORNER_SLOT = re.compile(
    r"\b(?:on|at|off(?:\s+of)?|worked|work|works|working|walked|walk|walking|stood|standing|like|near|by|"
    r"past|around|from|corner\s+of|intersection\s+of|block\s+of|(?<=[a-z]),)\s+"
    rf"({_STREET_WORD})\s+(?:and|&|n)\s+({_STREET_WORD})\b",
    re.I,
)


def _street_name(words: str) -> bool:
    """One or two words that may name a street beside an ordinal: no function word, idiom or hard negative but a
    state (a street named for one), nor a count or rank's noun."""
    from fieldvault.redact.spoken import ORDINAL_FOLLOWERS

    lowered = [base_word(w).lower() for w in words.split()]
    if " ".join(lowered) in US_STATES or lowered == ["main"]:
        return True
    return all(
        w not in STOPWORDS and w not in HARD_NEGATIVES and w not in IDIOMS and w not in ORDINAL_FOLLOWERS
        and w not in SPOKEN_NUMBERS and w not in INFORMAL and not plural(w)
        for w in lowered
    )  # fmt: skip


def _anchor(words: str) -> bool:
    lowered = words.lower()
    return re.fullmatch(_ORDINAL, lowered) is not None or lowered in US_STATES or lowered == "main"


def _corners(text: str) -> list[Span]:
    from fieldvault.redact.spoken import ORDINAL_FOLLOWERS

    spans = []
    for match in _CORNER_SLOT.finditer(text):
        first, second = match.group(1), match.group(2)
        following = re.match(r"\s+([a-z]+)", text[match.end() :], re.I)
        if following and following.group(1).lower() in ORDINAL_FOLLOWERS:
            continue  # "on third and fourth grade"
        both = [first, second]
        if not any(_anchor(w) for w in both):
            continue
        if not all(_anchor(w) or _street_name(w) for w in both):
            continue
        cornered = re.match(r"(?i)corner|intersection", match.group()) is not None
        if not cornered and (
            all(re.fullmatch(_ORDINAL, w.lower()) for w in both) or all(w.lower() in US_STATES for w in both)
        ):
            continue  # "at first and second": a rank, "in washington and oregon": states, unless a corner is named
        if match.group().startswith(",") and not any(_anchor(w) and w.lower() not in US_STATES for w in both):
            continue  # after a comma only beside "main" or an ordinal: ", main and hastings,"
        if match.group().startswith(",") and not all(
            _anchor(w) or w[0].isupper() or w.lower() not in dictionary()[0] for w in both
        ):
            continue
        spans.append(
            Span(
                match.start(1),
                match.end(2),
                "LOCATION",
                "context",
                text[match.start(1) : match.end(2)],
                STREET_CONFIDENCE,
            )
        )
    return spans


# A street named for a state, said bare where a street stands (QA D22): "the head start on vermont", "we lived on
# Vermont, by the freeway", "worked off of georgia". Kept past the states' rule at this confidence (detector).
STREET_CONFIDENCE = 0.87
_STATE_ON = re.compile(
    r"\b(?:(?:lived|live|lives|living|stayed|stay|stays|staying|worked|work|works|working|walked|walk|walking|"
    r"house|apartment|apartments|place|room|motel|hotel|store|shop|clinic|office|center|centre|shelter|start|"
    r"church|school|station|corner|spot|bar|club|restaurant|right|just|over|down|up|out|was|were|is)\s+on|"
    r"(?:right|just)\s+off(?:\s+of)?|off\s+of)\s+"
    rf"({'|'.join(sorted((s for s in US_STATES if ' ' not in s), key=len, reverse=True))})\b(?!['’])"
    r"(?=\s*(?:[.,;!?]|$)|\s+(?:by|near|between|across|and|in|at|off|past|behind|next|close|where|when|with|"
    r"for|until|till|from)\b)",
    re.I,
)


def _state_streets(text: str) -> list[Span]:
    return [
        Span(m.start(1), m.end(1), "LOCATION", "context", m.group(1), STREET_CONFIDENCE)
        for m in _STATE_ON.finditer(text)
    ]


# A police force, a court or a prison named by its town, county, state or province: "maricopa county superior court",
# "the Louisiana State Police", "the Ohio Reformatory for Women", "kentucky correctional institution", "san antonio
# police", "Glasgow Sheriff Court", "the ontario provincial police", "Thunder Bay Police Service"; and a court by its
# number ("the 351st district court"). Not "the police", "the state police", "the county court", "city police": no
# place's name before them; not "a Texas state prison": one of them.
_FORCE_OR_COURT = re.compile(
    r"(?<![\w'’])(?:(?:county|parish|city|borough)\s+)?(?:state\s+police|state\s+troopers?|highway\s+patrol|"
    r"state\s+patrol|provincial\s+police|police\s+(?:department|dept|service|force)|police|constabulary|"
    r"sheriff['’]?s?\s+(?:office|department|dept)|pd|state\s+prison|(?:state\s+)?penitentiary|reformatory|"
    r"correctional\s+(?:institution|facility|center|centre|complex)|(?:superior|district|circuit|municipal|magistrates['’]?|"
    r"magistrate['’]?s|crown|provincial|supreme|family|juvenile|county|city|justice|sheriff|youth|criminal|"
    r"chancery|probate|general\s+sessions|sessions)\s+court|court\s+of\s+(?:appeals?|king['’]s\s+bench|"
    r"queen['’]s\s+bench|general\s+sessions))\b",
    re.I,
)
_NUMBERED_COURT = re.compile(
    rf"(?<![\w'’])({_ORDINAL}\s+(?:judicial\s+)?(?:district|circuit)(?:\s+(?:court|courts))?)\b(?!\s+(?:of\s+)?(?:grade|time))",
    re.I,
)


_ANY = re.compile(r"\b(?:a|an)\s+$", re.I)
# The kind of government a body belongs to, said between its place and what it is.
_KIND_OF_BODY = re.compile(r"\s+(?:state|county|city|parish|borough|provincial|regional|federal|district)$")
# The place a court serves, after it: "the circuit court for baltimore city", "superior court of fulton county".
_SERVED = re.compile(r"\s+(?:for|of)\s+(?:the\s+)?([A-Za-z][A-Za-z'’.-]*(?:\s+[A-Za-z][A-Za-z'’.-]*){0,3})")


def _served(text: str, match: re.Match[str]) -> int:
    """Where a court's name ends: after the town, county or state it serves, if it names one."""
    if not re.search(r"court$", match.group(), re.I):
        return match.end()
    served = _SERVED.match(text, match.end())
    if served is None:
        return match.end()
    words = served.group(1).split()
    for width in range(len(words), 0, -1):
        name = " ".join(words[:width]).lower().replace(".", "")
        place = _KIND_OF_BODY.sub("", name)
        if place in places() or place in US_STATES or place in REGIONS or is_region(place):
            return served.start(1) + len(" ".join(words[:width]))
    return match.end()


def _forces_and_courts(text: str) -> list[Span]:
    spans = []
    for match in _FORCE_OR_COURT.finditer(text):
        before = list(re.finditer(r"[A-Za-z][A-Za-z'’.-]*", text[max(0, match.start() - 50) : match.start()]))
        offset = max(0, match.start() - 50)
        for width in (3, 2, 1):
            window = before[-width:]
            if len(window) < width or text[offset + window[-1].end() : match.start()] != " ":
                continue
            if any(text[offset + a.end() : offset + b.start()] != " " for a, b in itertools.pairwise(window)):
                continue
            start = offset + window[0].start()
            name = text[start : offset + window[-1].end()].lower().replace(".", "")
            if name in STOPWORDS or name in GENERIC_MODIFIERS or name in COMPASS_WORDS:
                continue
            if _ANY.search(text[max(0, start - 4) : start]) and re.search("prison|penitentiary", match.group(), re.I):
                break  # "a Texas state prison": one of them, not its name
            place = _KIND_OF_BODY.sub("", name)  # "utah state correctional facility", "cook county jail"
            if place in places() or place in US_STATES or place in REGIONS or is_region(place):
                end = _served(text, match)
                spans.append(Span(start, end, "ORG", "context", text[start:end], 0.75))
                break
        else:
            end = _served(text, match)
            if end > match.end():  # "the circuit court for baltimore city": the place after the court
                spans.append(Span(match.start(), end, "ORG", "context", text[match.start() : end], 0.75))
    for match in _NUMBERED_COURT.finditer(text):
        spans.append(Span(match.start(1), match.end(1), "ORG", "context", match.group(1), 0.7))
    return spans


# Born at a hospital said by its name alone: "i was born at charity", "born at the rotunda", "born at st. joe's".
# Not "born at home", "born at night", "born at twenty-six weeks", "born at the hospital".
_BORN_AT = re.compile(
    r"\bborn\s+(?:at|in)\s+(?:the\s+(?:old\s+)?)?([a-z][a-z'’-]*(?:\s+[a-z][a-z'’-]*)?)"
    r"(?=\s*[.,;]|\s+(?:on|in|hospital|and|but|when|because|back|right|downtown|before|after)\b)",
    re.I,
)


_TIMES = {"winter", "summer", "spring", "fall", "autumn", "night", "morning", "evening", "afternoon", "middle",
          "dark", "daytime", "nighttime", "year", "storm", "snow", "war", "eighties", "nineties", "seventies",
          "sixties"}  # fmt: skip


def _born_at(text: str) -> list[Span]:
    spans = []
    for match in _BORN_AT.finditer(text):
        words = [base_word(w).lower() for w in match.group(1).split()]
        if any(w in STOPWORDS | HARD_NEGATIVES | INFORMAL | GENERIC_PLACES | SPOKEN_NUMBERS for w in words):
            continue
        if any(w in _EVERYDAY_PLACES or w in GENERIC_MODIFIERS or w in IDIOMS for w in words):
            continue
        said = match.group().lower().split()
        if said[1] == "in" and said[2] != "the":
            continue  # "born in hope": a town's, the other rules'
        if is_region(" ".join(words)) or " ".join(words) in US_STATES:
            continue
        if any(w in _TIMES or w in MONTHS or w in WEEKDAYS or w in HOLIDAYS for w in words):
            continue  # "born in the winter", "born in the middle of the night": when, not where (QA E21)
        spans.append(Span(match.start(1), match.end(1), "ORG", "context", match.group(1), 0.6))
    return spans


# A street named with its compass point after "on" or "off": "the shelter was on south federal", "we stayed off of
# west colfax", "right on North Broad". Not a direction ("went on south to", "headed on east").
_COMPASS_STREET = re.compile(
    r"\b(?:on|off(?:\s+of)?)\s+((?:north|south|east|west|n|s|e|w)\.?\s+([a-z][a-z'’-]+))\b"
    r"(?=\s*(?:[.,;!?]|$)|\s+(?:by|near|between|across|and|in|at|off|past|behind|next|close|where|when|with|for|"
    r"street|avenue|boulevard|road)\b)",
    re.I,
)


def _compass_streets(text: str) -> list[Span]:
    spans = []
    for match in _COMPASS_STREET.finditer(text):
        word = match.group(2).lower()
        if word in STOPWORDS or word in HARD_NEGATIVES - US_STATES or word in INFORMAL or word in COMPASS_WORDS:
            continue
        if word in ("side", "end", "coast", "wing", "bound", "campus", "entrance", "exit", "door", "gate"):
            continue  # "on the south side": a part of town, not a street's name
        spans.append(Span(match.start(1), match.end(1), "LOCATION", "context", match.group(1), 0.6))
    return spans
