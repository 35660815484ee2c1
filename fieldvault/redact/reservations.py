"""Tribal lands and the towns on them, as ASR writes them: "the pine ridge reservation", "the rosebud rez",
"the navajo nation", "sagkeeng first nation", "laguna pueblo", "the round valley rancheria", "the six nations
reserve", "the leech lake band of ojibwe", "the hoopa valley tribe", and the town after or before such a land ("on
the rez in lame deer", "the standing rock reservation at fort yates", "belcourt, that's my rez").

A land's name is found by its kind, not from a list: whatever one to three words stand before "reservation" (or
another word for a tribe's land) are its name unless they say what kind of reservation it is ("a dinner
reservation", "the nature reserve", "the whole rez"). A people's name alone is no identifier ("i'm navajo"), but
the land named by it is ("on the navajo reservation"). Weaker words ("nation", "tribe", "band") need the
name and a place's preposition or an article.
"""

from __future__ import annotations

import re

from fieldvault.redact.lexicon import PEOPLES, STOPWORDS, dictionary, places, word_frequency
from fieldvault.redact.spans import Span

# Words a land's name may hold although they end a name elsewhere: "six nations", "big cypress", "bad river",
# "little shell", "one arrow".
_NAME_STOPWORDS = {"six", "five", "four", "two", "three", "seven", "eight", "nine", "ten", "big", "little", "bad",
                   "good", "one", "old"}  # fmt: skip
_ENDS_NAME = (STOPWORDS - _NAME_STOPWORDS) | {
    "el", "la", "los", "las", "mi", "su", "tu", "un", "una", "del", "al", "nuestro", "este", "ese", "y", "en", "de",
    "s", "um", "uh", "like", "you", "know", "whole", "entire", "same", "own", "other", "another", "nearest",
    "closest", "nearby", "next", "without", "within", "across", "toward", "towards", "behind", "beside", "besides",
    "despite", "except", "upon", "among", "along", "around", "near", "past", "via", "per", "since", "till", "onto",
}  # fmt: skip
# Joiners inside a name of French or Spanish: "fond du lac", "lac du flambeau", "lac la croix", "ohkay owingeh".
_JOINERS = {"du", "de", "la", "des", "le"}
# What kind of reservation, reserve or nation, not which: "a dinner reservation", "the nature reserve".
_KINDS = {
    "dinner", "lunch", "brunch", "breakfast", "hotel", "motel", "room", "table", "flight", "restaurant", "camping",
    "campsite", "campground", "bus", "train", "airline", "online", "phone", "spa", "salon", "party", "group",
    "holiday", "vacation", "trip", "cabin", "ticket", "car", "rental", "appointment", "booking",
    "indian", "native", "tribal", "federal", "american", "rural", "remote", "poor", "poorest", "small", "smaller",
    "biggest", "bigger", "large", "largest", "local", "different", "whole", "entire", "same", "own", "nearest",
    "closest", "nearby", "next", "other", "old", "big", "little", "good", "bad", "my", "your", "our",
    "nature", "wildlife", "game", "bird", "forest", "marine", "army", "navy", "naval", "military", "strategic",
    "cash", "oil", "gas", "gold", "water", "emergency", "national", "private", "ready", "reserve", "food",
    "great", "free", "sovereign", "rainbow", "hip", "hop", "island", "modern", "young", "christian", "western",
    "lost", "warrior", "biker", "indie", "rock", "street", "sports", "fan", "rap", "dry", "wet",
    "first", "second", "third", "fourth", "fifth", "last", "tiny", "huge", "ugly", "pretty", "beautiful",
}  # fmt: skip
# Words for a tribe's land that make the words before them its name.
_LAND = r"reservation|indian reservation|rez|res|reserve|rancheria|pueblo|first nation|indian community|indian colony"
# Words that need more: a name and an article or a place's preposition before it.
_BODY = r"nation|tribe|tribal nation|band of [a-z'’-]+(?:\s+(?:indians|chippewa|ojibwe))?"
_WORD = r"[A-Za-z][A-Za-z'’-]*"
LAND = re.compile(rf"\b(?:{_LAND})\b(?!['’]?s\b|-)|(?<![\w'’-])(?:{_BODY})\b(?!['’]?s\b|-)", re.I)
# "the pueblo of laguna", "the reservation of the X" is rare; the Pueblo's own order is the one said.
_PUEBLO_OF = re.compile(rf"\bpueblo\s+of\s+({_WORD}(?:\s+{_WORD})?)", re.I)
_BEFORE_BODY = re.compile(r"\b(?:the|from|on|of|in|at|to|near|off|with)\s+$", re.I)
# Before a land's name: an article, a place's preposition or a possessive ("agreed without reservation" has none).
_BEFORE_LAND = re.compile(
    r"(?:^|[,.;:!?]|\b(?:the|a|an|from|on|of|in|at|to|near|off|with|into|onto|outside|around|by|my|our|her|his|"
    r"their|your))\s*$",
    re.I,
)
_RES_NOT = {"high", "hi", "low", "lo", "full", "half", "ultra", "super"}  # "high res", not a rez
# The town on a land: "the rez in lame deer", "the reservation at fort yates", "the rosebud rez, in mission".
_TOWN_SLOT = re.compile(
    rf"^\s*,?\s*(?:(?:right|just|way|out|up|down|over|back)\s+)?(?:in|at|near|by|outside(?:\s+of)?|around|"
    rf"called|(?:up|down|out|over)\s+by)\s+({_WORD}(?:\s+{_WORD}){{0,2}})",
    re.I,
)
# The town before its land: "belcourt, that's my rez", "lame deer, on the northern cheyenne reservation".
_TOWN_BEFORE = re.compile(
    rf"({_WORD}(?:\s+{_WORD}){{0,2}}),?\s+(?:(?:that's|that is|it's|it is|which is|thats|its|it was|that was)\s+)?"
    rf"(?:(?:on|in|at)\s+)?(?:my|our|her|his|their|the|a)\s+(?:{_WORD}\s+){{0,3}}?(?:{_LAND}|nation)\s*$",
    re.I,
)


def find_reservations(text: str) -> list[Span]:
    """Lands of tribes named by their kind, and the towns said with them."""
    spans: list[Span] = []
    for match in LAND.finditer(text):
        cue = match.group().lower()
        land = _named_land(text, match, cue)
        if land is not None:
            spans.append(land)
        if cue.startswith(("band", "tribe")) or (cue == "nation" and land is None):
            continue  # a tribe's people, not its land: the town after it is not on it
        spans += _town_after(text, match.end())
        spans += _town_before(text, match.end())
    for match in _PUEBLO_OF.finditer(text):
        words = match.group(1).split()
        while words and words[-1].lower() in _ENDS_NAME:
            words.pop()
        if words and words[0].lower() not in _ENDS_NAME | _KINDS:
            end = match.start(1) + len(" ".join(words))
            spans.append(Span(match.start(), end, "LOCATION", "context", text[match.start() : end], 0.75))
    return spans


def _name_before(text: str, start: int) -> tuple[int, list[str]]:
    """Where the one to three name words before ``start`` begin, and the words (joiners inside allowed)."""
    words = list(re.finditer(_WORD, text[max(0, start - 60) : start]))
    offset = max(0, start - 60)
    chosen: list[re.Match[str]] = []
    end = start
    for word in reversed(words):
        between = text[offset + word.end() : end]
        if between != " ":
            break
        lowered = word.group().lower()
        if lowered in _JOINERS and chosen:
            chosen.insert(0, word)
            end = offset + word.start()
            continue
        if lowered in _ENDS_NAME or len([w for w in chosen if w.group().lower() not in _JOINERS]) == 3:
            break
        chosen.insert(0, word)
        end = offset + word.start()
    while chosen and chosen[0].group().lower() in _JOINERS:
        chosen.pop(0)
    if not chosen:
        return start, []
    return offset + chosen[0].start(), [w.group().lower().replace("’", "'") for w in chosen]


def _named_land(text: str, match: re.Match[str], cue: str) -> Span | None:
    begin, words = _name_before(text, match.start())
    while len(words) > 1 and words[0] in _KINDS - _NAME_STOPWORDS:  # "the whole pine ridge reservation"
        begin = text.index(" ", begin) + 1
        words = words[1:]
    if not words or all(w in _KINDS for w in words):
        return None
    if cue == "res" and words[-1] in _RES_NOT:
        return None
    if cue in ("rez", "res") and begin == match.start():
        return None
    if not _BEFORE_LAND.search(text[max(0, begin - 12) : begin]):
        return None
    body = cue.startswith(("nation", "tribe", "tribal", "band"))
    if body and not _BEFORE_BODY.search(text[max(0, begin - 12) : begin]):
        return None  # "raider nation", "a band of brothers", "my tribe": no land said
    if body and not _land_name(words):
        return None
    if cue.startswith("tribe") or cue.startswith("band"):
        while words and words[-1] in PEOPLES | NATIVE_PEOPLES:  # "the hoopa valley [sioux] tribe": the land's name
            words.pop()
        if not words:
            return None
        end = begin + len(" ".join(words))
    elif cue in ("rez", "res"):
        end = match.start() - 1  # "the rosebud rez": slang is no part of the name
    else:
        end = match.end()
    return Span(begin, end, "LOCATION", "context", text[begin:end], 0.75)


def _land_name(words: list[str]) -> bool:
    """Before "nation", "tribe" or "band": a people's name, a name of two words, or a word no dictionary has."""
    if len(words) > 1 or words[0] in PEOPLES | NATIVE_PEOPLES:
        return True
    return words[0] not in dictionary()[0] and word_frequency(words[0]) < 3.5


def _town_after(text: str, end: int) -> list[Span]:
    match = _TOWN_SLOT.match(text[end : end + 80])
    if not match:
        return []
    words = match.group(1).split()
    while words and words[-1].lower() in _ENDS_NAME:
        words.pop()
    for width in range(len(words), 0, -1):
        name = " ".join(words[:width])
        if _town_name(name):
            start = end + match.start(1)
            return [Span(start, start + len(name), "LOCATION", "context", name, 0.72)]
    return []


def _town_before(text: str, end: int) -> list[Span]:
    match = _TOWN_BEFORE.search(text[max(0, end - 120) : end])
    if not match:
        return []
    offset = max(0, end - 120)
    words = match.group(1).split()
    for width in range(len(words), 0, -1):
        name = " ".join(words[-width:])
        if _town_name(name):
            start = offset + match.end(1) - len(name)
            return [Span(start, start + len(name), "LOCATION", "context", name, 0.72)]
    return []


def _town_name(name: str) -> bool:
    """A town in the gazetteer, or a word no dictionary has (a small town on a land the gazetteer lacks); never
    a function word, a people's name ("that's northern cheyenne") or an everyday word alone."""
    lowered = name.lower().replace("’", "'")
    words = lowered.split()
    if words[0] in _ENDS_NAME or words[-1] in _ENDS_NAME or lowered in PEOPLES | NATIVE_PEOPLES:
        return False
    if lowered in places():
        return len(words) > 1 or name[0].isupper() or word_frequency(lowered) < 5.0
    return len(words) == 1 and lowered not in dictionary()[0] and word_frequency(lowered) < 2.5


# Peoples whose names are also towns' ("Cheyenne", "Crow", "Apache"): PEOPLES leaves them out so that the towns stay
# found, but before "tribe" they are the people, and a town on a land is never named by them alone.
NATIVE_PEOPLES = {
    "apache", "arapaho", "arapahoe", "comanche", "kiowa", "menominee", "oglala", "pawnee", "shoshone", "ute",
    "algonquin", "cayuga", "tuscarora", "dakota", "ojibwa", "hualapai", "cheyenne", "crow", "diné", "dine",
    "tohono o'odham", "o'odham", "ho-chunk",
}  # fmt: skip
