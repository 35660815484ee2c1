"""Layer 3: names found by what surrounds them, and by name lists, on cased or lowercased ASR text.

Cue phrases ("my daughter X", "her name was X", "Officer X", "they called me X") catch street names
that are ordinary words; the name gazetteer catches the rest unless a name is also an everyday word;
place and organisation cues catch motels, churches, programmes, jails and cities.
"""

from __future__ import annotations

import itertools
import re

from fieldvault.redact.lexicon import (
    AGENCIES,
    AGENCY_WORDS,
    CITIES,
    HARD_NEGATIVES,
    HONORIFICS,
    INFORMAL,
    ORGANISATIONS,
    PEOPLES,
    STOPWORDS,
    TITLES,
    US_STATES,
    WORD_NAMES,
    base_word,
    dictionary,
    everyday_form,
    first_names,
    gradable,
    last_names,
    peoples,
    towns,
)
from fieldvault.redact.spans import Span

RELATIONS = (
    r"daughter|son|kids?|boy|girl|baby|babies|husband|ex|boyfriend|girlfriend|fiance|pimp|trafficker|"
    r"sister|brother|cousin|aunt|auntie|uncle|niece|nephew|friend|best friend|homegirl|roommate|sponsor|"
    r"case ?manager|caseworker|case worker|counselor|counsellor|therapist|lawyer|attorney|advocate|"
    r"pastor|probation officer|parole officer|p\.?o\.?|grandson|granddaughter|stepdad|stepmom|"
    r"stepfather|stepmother|man|old man|john|client|regular|mentor|neighbor|landlord|boss|manager|"
    r"dealer|wife|partner|mother|father|wife-in-law|wifey|bottom|bottom girl|daddy"
)
# People named by what they are, not by kin: "the girl who trained me, Cookie, she ...", "the worker at intake, Dana,
# who ...".
_PEOPLE_WORDS = r"woman|lady|guy|dude|girl|man|worker|social worker|outreach worker|officer|cop|nurse|doctor|teacher"
_TITLES = (
    r"officer|detective|det|sergeant|sgt|judge|pastor|reverend|rev|father|sister|brother|miss|ms|mrs|mr|"
    r"dr|doctor|coach|deputy|agent|nurse|chaplain|counselor|auntie|aunt|uncle|grandma|grandpa|mama|papa|"
    r"constable|garda|trooper|sheriff|inspector|lieutenant|corporal|aunty|"
    r"madam|madame|mister|captain|capt|"  # "a woman in our street, madam osas", "the boss, mister wu"
    r"kuya|manang|manong|tita|tito|(?-i:Ate)"  # Filipino titles of respect; "ate" lowercase is the verb
)
_NAME = r"([A-Za-z][a-z'’-]+|[A-Z][A-Za-z'’-]+)(?:\s+([A-Z][a-z'’-]+))?"
STRONG, MEDIUM, WEAK = 3, 2, 1
TITLE_CUE = re.compile(rf"\b(?:{_TITLES})\.?\s+{_NAME}", re.I)
# "my sponsor is Faith", "my wife-in-law was sugar": see _COPULA_ADJECTIVES for what a copula leaves out.
COPULA_CUE = re.compile(
    rf"\b(?:my|her|his|our|their)\s+(?:little\s+|oldest\s+|youngest\s+|older\s+|younger\s+|baby\s+|ex\s+|"
    rf"best\s+|first\s+|new\s+|old\s+|social\s+|outreach\s+|support\s+|youth\s+|key\s+)?(?:{RELATIONS}|worker)"
    rf"(?:\s+(?:at|from|with|in)(?:\s+the)?(?:\s+(?!(?:is|was)\b)[A-Za-z][\w'’-]*){{1,3}}?)?"
    rf"(?:['’]s\s+name)?\s+(?:is|was|['’]s)\s+{_NAME}",
    re.I,
)
# "tasha's mom", "dre's house": a name before a family member or a home (an empty second group: one word).
POSSESSIVE_CUE = re.compile(
    r"\b([A-Za-z][a-z'’-]+|[A-Z][A-Za-z'’-]+)['’]s\s+(?:mom|mother|mama|momma|dad|father|daddy|sister|"
    r"brother|cousin|aunt|auntie|uncle|grandma|granny|nana|house|place|apartment|trailer|car|man|"
    r"boyfriend|girlfriend|baby|babies|kids|son|daughter|husband|wife|family|people|crew|girls)\b()",
    re.I,
)
# "smoke, they called him": the name before the call. Not when a name follows ("a guard, we called him J.T.")
# or an article makes the word a noun.
CALLED_AFTER = re.compile(
    r"(?<!\ba )(?<!\ban )(?<!\bthe )\b([A-Za-z][\w'’-]+)(?:\s+([A-Za-z][\w'’-]+))?,?\s+"
    r"(?:they|we|everybody|people|he|she)\s+(?:called|call|calls)\s+(?:him|her|me|them)\b"
    r"(?!\s*['\"“]?(?!(?:that|because|cause|for|and|but|so|in|at|on|when|back|out|the|a|too|all|after)\b)[A-Za-z])",
    re.I,
)
NAME_IS = re.compile(rf"\bname(?:\s+is|\s+was|['’]s)\s+{_NAME}", re.I)
NAME_HELD = re.compile(
    rf"\bname\s+(?:(?:right|just|for|by|until|since)\s+)?(?:now|then|there|here|from\s+(?:now|then)\s+on|these\s+days|"
    rf"nowadays|at\s+the\s+(?:moment|time))\s+(?:is|was|be|would\s+be)\s+{_NAME}",
    re.I,
)
CUES: list[tuple[re.Pattern[str], int]] = [
    # A strong cue makes even an everyday word a name ("they called me Candy"); a medium one admits
    # names that are also words ("my best friend grace"); a weak one only clear names.
    (
        re.compile(
            rf"\b(?:called|call|calls|calling|named|nicknamed|name me|known as|go by|went by|goes by|"
            rf"kn[eo]w (?:me|her|him|them|us) as|known to (?:everybody|everyone|people|them|all|the \w+) as)\s+"
            rf"(?:(?:myself|himself|herself|themselves|themself|yourself|me|her|him|them)\b)?\s*['\"“]?{_NAME}",
            re.I,
        ),
        STRONG,
    ),
    # "i named my daughter hope", "we called my son junior": the child's name after the naming.
    (
        re.compile(
            rf"\b(?:named|called|call|calls|nicknamed|name)\s+(?:my|her|his|our|their)\s+(?:little\s+|baby\s+|"
            rf"first\s+|oldest\s+|youngest\s+)?(?:{RELATIONS})\s+{_NAME}",
            re.I,
        ),
        STRONG,
    ),
    # "my best friend from the house, Precious, she's a nurse now": a name set off by commas after a person's word
    # and what she is to the speaker, then a clause about her.
    (
        re.compile(
            rf"\b(?:my|her|his|our|their|the|this|that|one|another)\s+(?:\w+\s+)?(?:{RELATIONS}|{_PEOPLE_WORDS})\b"
            rf"[^,.;!?]{{0,40}},\s+{_NAME},\s+(?:she|he|who|they)\b",
            re.I,
        ),
        MEDIUM,
    ),
    # "the drivers had a name for him on the cb, jersey mike": what people called someone, said after a comma.
    (
        re.compile(
            rf"\b(?:a|the|their|his|her)\s+(?:\w+\s+)?name\s+for\s+(?:him|her|me|them|us)\b[^,.;!?]{{0,25}},\s+"
            rf"['\"“]?{_NAME}",
            re.I,
        ),
        STRONG,
    ),
    # "my daughter's name is journey", "her real name was X", "name's X": any word but a stopword or an
    # adverb or participle ("name was changed", "name is really ..."; see _is_name_word).
    (NAME_IS, STRONG),
    # "he say my name now is honey", "my name right now is honey", "my name from then on was candy": when the name
    # held, then the name.
    (NAME_HELD, STRONG),
    # "the woman used the name Precious", "she went by the name candy", "he gave the name Lerato at the desk": a name
    # given ("under the name X" is an ad's name: spoken.py).
    (
        re.compile(
            rf"\b(?:used|uses|use|using|by|gave|gives|give|giving|took|take|takes)\s+the\s+(?:\w+\s+)?name\s+"
            rf"(?:of\s+)?['\"“]?{_NAME}",
            re.I,
        ),
        STRONG,
    ),
    # "my working name out there was peaches", "her name on the ads was X": where the name was used, then the name.
    (
        re.compile(
            rf"\bname\s+(?:out\s+there|back\s+then|in\s+the\s+life|online|on\s+the\s+(?:street|streets|track|"
            rf"stroll|block|ads?|site|app|internet|cb)|at\s+the\s+(?:club|house|motel|spa|salon|parlou?r))\s+"
            rf"(?:is|was)\s+{_NAME}",
            re.I,
        ),
        STRONG,
    ),
    (CALLED_AFTER, STRONG),
    (re.compile(rf"\b{_NAME}\s+(?:was|is)\s+the\s+name\b", re.I), STRONG),
    (TITLE_CUE, MEDIUM),
    (
        re.compile(
            rf"\b(?:my|her|his|our|their|this)\s+(?:little\s+|oldest\s+|youngest\s+|older\s+|younger\s+|"
            rf"baby\s+|ex\s+|best\s+)?(?:{RELATIONS}),?\s+{_NAME}",
            re.I,
        ),
        MEDIUM,
    ),
    (
        re.compile(rf"\b{_NAME}\s*,?\s+(?:(?:she|he)\s+)?(?:was|is|became)\s+(?:my|our|the)\s+(?:{RELATIONS})\b", re.I),
        MEDIUM,
    ),
    (re.compile(rf"\b(?:me and|and me|me n)\s+{_NAME}\b", re.I), MEDIUM),
    (COPULA_CUE, MEDIUM),
    (POSSESSIVE_CUE, MEDIUM),
    (re.compile(rf"\b(?:with|and|told|asked|met|to|from|saw|knew)\s+{_NAME}\b", re.I), WEAK),
]
_DETERMINERS = {"the", "a", "an", "this", "that", "my", "his", "her", "their", "our", "and", "but", "so", "then"}
_PLACE_WORDS = (
    r"motel|hotel|inn|lodge|church|ministries|ministry|chapel|temple|mosque|center|centre|shelter|"
    r"house|home|program|academy|school|high school|college|university|hospital|clinic|jail|prison|"
    r"correctional|detention|reformatory|penitentiary|park|apartments|projects|courts|mall|plaza|market|bar|lounge|club|"
    r"casino|truck stop|diner|cafe|restaurant|store|gas station|county|precinct|department|place|fellowship|"
    r"tabernacle|cathedral|outreach|manor|gardens|towers|village|ranch|lodge|diversion|elementary|mission|"
    r"general|regional|memorial|infirmary|"
    r"recovery|treatment|kitchen|pantry|services|foundation|alliance|coalition|project|hostel|palace|cabaret|"
    r"saloon|tavern|pub|grill|spa|salon|parlor|parlour|studio|suites|showclub|theater|theatre|arcade"
)
# Stopwords that still begin names ("New Life Fellowship", "Big Brothers"): not function words.
_FUNCTION_WORDS = STOPWORDS - {"new", "old", "big", "little", "good", "first", "last", "next", "one", "home"}
# Words that make "X house", "X center" an ordinary phrase, not a name, when X is the only word before it.
GENERIC_MODIFIERS = {
    "halfway", "group", "safe", "crack", "drug", "trap", "dope", "white", "big", "little", "old", "new", "same",
    "other", "whole", "own", "first", "next", "last", "foster", "nursing", "funeral", "court", "jail", "police",
    "fire", "gas", "bus", "truck", "high", "middle", "elementary", "sober", "treatment", "rehab", "recovery",
    "detox", "homeless", "women's", "womens", "men's", "mens", "youth", "community", "county", "state", "federal",
    "city", "mental", "methadone", "boarding", "motel", "hotel", "coffee", "movie", "pawn", "liquor", "corner",
    "grocery", "dollar", "thrift", "book", "fast", "food", "strip", "massage", "nail", "beauty", "barber",
    "bible", "prayer", "trailer", "apartment", "nice", "bad", "good", "better", "best", "only", "right", "wrong",
    "one", "another", "kids", "kid's", "girls", "girls'", "family", "friend's", "mom's", "moms", "dad's",
    "grandma's", "aunt's", "sister's", "brother's", "cousin's", "somebody's", "someone's", "everybody's",
    "dealer's", "pimp's", "john's", "guy's", "boyfriend's", "private", "public", "main", "local", "back",
    "front", "hot", "cold", "dark", "empty", "abandoned", "sleeping", "living", "dining", "waiting", "visiting",
    "day", "night", "program", "meeting", "church", "school", "hospital", "juvenile", "adult", "medical",
    "health", "dental", "drop-in", "resource", "career", "job", "welfare", "social", "services", "support",
    "counseling", "detention", "correctional", "transitional", "residential", "emergency", "urgent", "care",
    "assisted", "shelter", "crisis", "outpatient", "inpatient", "intake", "diversion", "probation", "parole",
    "long-term", "short-term", "long", "short", "twelve-step", "step", "hair", "tattoo", "sports", "dive",
    "gay", "karaoke", "pool", "bowling", "video", "tanning", "hookah", "smoke", "vape", "cigar", "wine", "beer",
    "nightclub", "dance", "yoga", "recording", "photo", "art", "pizza", "burger", "taco", "chicken", "steak",
    "donut", "ice", "cream", "sandwich", "sushi", "chinese", "mexican", "italian", "strip-club", "cheap",
    "fancy", "tiny", "huge", "nasty", "dirty", "shady", "sketchy", "run-down", "rundown", "crappy",
    "attorney", "surgeon", "brigadier", "major", "lieutenant", "inspector", "secretary", "governor", "solicitor",
    "postmaster", "consul", "adjutant", "vietnam", "war", "veterans", "veterans'",
    "car", "skate", "dog", "water", "theme", "ball", "rv", "national", "industrial", "business",
    "amusement", "caravan", "holiday", "retail", "shopping", "outlet", "soup", "train", "hostel", "student",
}  # fmt: skip
ORG = re.compile(rf"\b((?:[A-Z][\w'’&-]*\s+){{1,3}})(?i:{_PLACE_WORDS})\b")
ORG_LOWER = re.compile(
    rf"\b(?:the|at|in|into|to|from|near|outside|through|ran|runs|owned|owns|opened|managed|manages)\s+(?:the\s+)?((?:(?!(?:the|a|an|my|his|her|this|that|our|their|at|in|to|from|on|of|for|with|and|or|but|was|is)\b)"
    rf"[a-z][\w'’-]*\s+){{1,3}})(?:{_PLACE_WORDS})\b"
)
# "the sisters of mercy house", "the alliance against family violence shelter": a name that ORG_LOWER's one to
# three plain words do not cover (a joiner inside, or four or five words). "in the house" has no words; a
# determiner or pronoun inside ("the back of my house") or words all generic ("the old halfway house") is no name.
_FUNC = (
    r"(?:the|a|an|my|his|her|this|that|our|their|your|its|at|in|to|from|on|of|for|with|and|or|but|was|is|"
    r"against|by)"
)
_W = rf"(?!{_FUNC}\b)[A-Za-z][\w'’-]*"
NAMED_HOUSE = re.compile(
    rf"\b(?:the|at|in|to|from)\s+(?:the\s+)?({_W}(?:(?:\s+(?:of|for|against)\s+|\s+){_W}){{0,4}})\s+"
    r"(?:house|shelter|mission|church)\b",
    re.I,
)
_HOUSE_JOINERS = {"of", "for", "against"}
# Nouns that take "of" for a part or a kind of something: "the end of church", "a kind of shelter".
_PARTITIVES = {
    "kind", "kinds", "sort", "sorts", "type", "types", "part", "parts", "rest", "side", "front", "back", "middle",
    "end", "top", "bottom", "inside", "outside", "lot", "lots", "bunch", "corner", "edge", "out", "instead",
}  # fmt: skip
# "first assembly of god", "first church of god in christ".
_OF_GOD = re.compile(r"\bfirst\s+((?:[A-Za-z][\w'’-]*\s+){1,3})of\s+god\b", re.I)
_PLACE_PREP_LOWER = re.compile(  # not a feast's name: "on chinese new year", "at diwali time"
    r"\b(?:on|off|in|at|near|outside)\s+([a-z]{4,})\b"
    r"(?!\s+(?:new\s+year|day|eve|festival|holidays?|week|season|time|night|celebrations?)\b)"
)
# A city by its two letters after "in" or "from": "in jb", "from KL", "in bo" (no word, no unit of a hospital, no
# school subject, no time of day).
_SHORT_PLACE = re.compile(r"\b(?:in|from|near|outside)\s+([a-z]{2}|[A-Z]{2})\b(?![\w'’.-])")
_NOT_SHORT_PLACES = {
    "pe", "ot", "pt", "pm", "am", "ya", "hm", "ob", "vo", "uk", "ed", "er", "tv", "ok", "mm", "ah", "eh", "uh", "um",
    "yo", "gp", "re", "ex", "hr", "it", "rn", "md", "ld", "id", "iv", "ic",
    "de", "di", "da",  # "the" in Caribbean and West African creoles: "from de ships", "in di yard"
}  # fmt: skip
_PLACE_PREP = re.compile(
    r"\b(?:in|to|from|at|near|outside|around|moved to|back to|up to|down to)\s+"
    r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})"
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")


# What she was called as an insult, not a name: "they called me stupid, they called me worthless", "called me names"
# (QA E21: an abuse narrative coded by exactly these words went out as [PERSON]). A nickname that is a kind word
# ("Precious", "Candy") stays a name.
VERDICTS = {
    "stupid", "dumb", "crazy", "ugly", "fat", "lazy", "worthless", "useless", "hopeless", "names", "nothing", "trash",
    "garbage", "liar", "whore", "bitch", "slut", "retarded", "weak", "pathetic", "disgusting", "filthy", "dirty",
    "nasty", "nobody", "psycho", "loser", "idiot", "evil", "selfish", "ungrateful", "rude", "weird", "fake", "skank",
    "tramp", "hoe", "ho", "worse", "everything", "horrible", "terrible",
}  # fmt: skip


def _is_name_word(word: str, strength: int) -> bool:
    lowered = base_word(word).lower()
    if lowered in STOPWORDS or lowered in HARD_NEGATIVES or len(lowered) < 2 or "'" in lowered:
        return False
    if lowered in VERDICTS or (strength < STRONG and (lowered in HONORIFICS or lowered in PEOPLES)):
        return False  # "the officer, dc hollingworth, she ...", "the guy was older, hmong too, he ...": no names
    ordinary, proper = dictionary()
    if word.islower() and len(lowered) > 4 and lowered.endswith(("ed", "ly")) and lowered in ordinary:
        return False  # "named after", "was called repeatedly", "name was changed": no name is -ed or -ly
    if strength == STRONG:
        return True
    if lowered in WORD_NAMES:
        return strength == MEDIUM
    if word[0].isupper():
        return True
    if lowered in ordinary:
        return False  # "my daughter found ...": a lowercase everyday word needs a strong cue
    return lowered in first_names() or lowered in proper or strength == MEDIUM


def _second_word(first: str, word: str | None) -> bool:
    """The optional second word of a name: a surname, written as the first word is; a state that is a common
    surname too ("marcus washington", QA C19)."""
    if not word:
        return False
    lowered = base_word(word).lower()
    if lowered in US_STATES and lowered in last_names() and lowered not in first_names():
        return first[:1].isupper() == word[:1].isupper()
    if lowered in STOPWORDS | HARD_NEGATIVES:
        return False
    if first[:1].isupper():
        return word[0].isupper()
    return lowered in last_names() and lowered not in dictionary()[0]


# Names that are also adjectives: after "my sponsor is" they describe ("my ex was rich", "she was precious").
_COPULA_ADJECTIVES = {"rich", "frank", "precious", "sunny", "unique", "major", "misty", "stormy", "will", "may",
                      "passion", "angel", "king", "christian", "chance", "guy", "sky"}  # fmt: skip
# After a title's word, an object pronoun makes the word a verb: "my sister comfort me", "my brother bless us".
_VERB_OBJECT = re.compile(r"\s+(?:me|us|him|them|you)\b", re.I)
# "i miss kitty", "gonna miss mark": "miss" is then a verb.
_MISS_VERB = re.compile(r"\b(?:i|we|you|they|he|she|gonna|really|still|will|do|don't|dont|always|so|'ll)\s+$", re.I)


# Things, not people, that are "called" or "named" something.
_THING_BEFORE = re.compile(
    r"\b(?:town|city|village|place|club|bar|lounge|motel|hotel|program|(?<!my )(?<!his )(?<!her )(?<!their )"
    r"(?<!your )street|road|church|school|shelter|"
    r"company|store|app|gang|neighborhood|spot|restaurant|website|group)\s*$",
    re.I,
)


# The one called is a person: "everybody on the street called him dub", "the girls at the club called me candy".
_SOMEONE = re.compile(r"\S+\s+(?:me|her|him|them|us|myself|himself|herself|themselves|themself)\b", re.I)


def _title_name(first: str) -> bool:
    """A first name after a title, even one that is an everyday word: "miss kitty", "pastor mark"."""
    lowered = base_word(first).lower()
    return first.islower() and lowered not in STOPWORDS | HARD_NEGATIVES and lowered in first_names() | last_names()


def _copula_name(word: str) -> bool:
    """After "my sponsor is": no adjective ("rich", "Black"), no demonym ("Haitian")."""
    lowered = base_word(word).lower()
    ordinary, proper = dictionary()
    if lowered in _COPULA_ADJECTIVES or lowered in INFORMAL:
        return False
    if word[0].isupper() and lowered in ordinary and lowered not in WORD_NAMES:
        return False
    return not (lowered in proper and re.search(r"(?:ese|ish|ian|ean|an|ic|i|ist)$", lowered))  # "is methodist"


# An adjective's endings, before "-ly" ("differently", "importantly", "legally"); not "-ic" ("magically": "Magic" is a
# name) nor "-et" ("sweetly": "Sweet" is one).
_ADJECTIVE_ENDS = ("ent", "ant", "al", "ive", "ish", "ile", "id", "ous", "ful", "less", "able", "ible")


def _describes(word: str) -> bool:
    """A lowercase everyday adjective that says what a name is ("my name now is different", "her name was
    important"): the dictionary has its adverb in -ly and it ends as adjectives do. Never a word that is a working
    name too ("precious", "unique", "royal": WORD_NAMES) nor a first name."""
    lowered = base_word(word).lower()
    if not word.islower() or lowered in WORD_NAMES or lowered in first_names():
        return False
    ordinary = dictionary()[0]
    return lowered.endswith(_ADJECTIVE_ENDS) and lowered in ordinary and lowered + "ly" in ordinary


_CALLED_SELF = re.compile(
    r"\b(?:called|call|calls|calling|consider|considered|considers)\s+"
    r"(?:myself|himself|herself|themselves|themself|yourself|ourselves)\s*$",
    re.I,
)


def self_description(word: str, before: str) -> bool:
    """ "i called myself lucky", "he calls himself sober now": a lowercase adjective that has degrees after calling
    oneself is what one thought oneself, no name ("he called himself Lucky", "she called herself diamond" are)."""
    return word.islower() and " " not in word and bool(_CALLED_SELF.search(before)) and gradable(word)


# How one travels: after "go by" or "went by" the word is the way, not a name gone by ("we went by bus", "i did not go
# by pirogue").
_VEHICLES = {
    "bus", "buses", "coach", "minibus", "train", "van", "car", "cars", "taxi", "cab", "boat", "boats", "ship", "ferry",
    "plane", "air", "sea", "road", "land", "foot", "truck", "lorry", "bike", "bicycle", "motorbike", "motorcycle",
    "moto", "canoe", "pirogue", "dhow", "raft", "horse", "donkey", "jeep", "tram", "metro", "subway", "night",
}  # fmt: skip
_GONE_BY = re.compile(r"(?i)\b(?:go|goes|went)\s+by\s")
_CALLED_HER = re.compile(r"(?i)\b(?:called|call|calls|calling)\s+her\s")


def _travelled_or_phoned(cue: str, word: str) -> bool:
    """The cue's other reading: "went by bus" is how she went (a lowercase word: "She went by Coach." is her street
    name, qa27 QC12); "call her brother" is a phone call to him, "her" his sister's (a lowercase kin or role word;
    "they called her Sister" keeps its capital)."""
    lowered = word.lower()
    if _GONE_BY.match(cue) and lowered in _VEHICLES and word.islower():
        return True
    return bool(_CALLED_HER.match(cue)) and word.islower() and re.fullmatch(RELATIONS, lowered) is not None


def _cues(text: str) -> list[Span]:
    spans = []
    for pattern, strength in CUES:
        for match in pattern.finditer(text):
            first, second = match.group(1), match.group(2)
            first_ok = bool(first) and (_is_name_word(first, strength) or (pattern is TITLE_CUE and _title_name(first)))
            if first_ok and pattern is COPULA_CUE and not _copula_name(first):
                continue
            if (
                pattern is TITLE_CUE
                and match.group().lower().startswith("miss")
                and _MISS_VERB.search(text[: match.start()])
            ):
                continue  # "i still miss mark"
            if strength == STRONG and _THING_BEFORE.search(text[: match.start()]) and not _SOMEONE.match(match.group()):
                continue  # "a town called hope", "a club named X": a place's name, not a person's
            if (
                first
                and first.islower()
                and base_word(first).lower() in dictionary()[0]
                and _VERB_OBJECT.match(text, match.end(1))
            ):
                continue  # "my sister comfort me when i cry": an everyday verb, said without its -s
            if first_ok and base_word(first).lower() in INFORMAL:
                continue  # "auntie's house", "bro's car"
            if first_ok and pattern in (NAME_IS, NAME_HELD) and _describes(first):
                continue  # "my name now is different": what her name is, no name (qa25 QA9)
            if first_ok and self_description(first, text[match.start() : match.start(1)].rstrip("'\"“ ") + " "):
                continue  # "i called myself lucky", "he called himself sober": what he thought himself, no name
            if first_ok and _travelled_or_phoned(match.group(), first):
                continue  # "we went by bus from nampula", "she call her brother in dushanbe": no name
            if first_ok and first.lower().endswith("ing") and re.match(r"\s+to\b", text[match.end(1) :], re.I):
                continue  # "changing the name was going to fix it", "her name is getting to be known"
            second_ok = bool(first) and (
                _second_word(first, second)
                or (strength == STRONG and bool(second) and base_word(second).lower() in first_names())
            )
            if first_ok and strength < STRONG and first.lower() in CITIES:
                continue  # "took me to Phoenix": the city list knows better than the name list
            if first_ok and strength == WEAK and not _gazetteer_name(first):
                continue  # "told Marcus": only a known first name makes the weak verb cue count
            if first_ok:
                start, end = match.start(1), match.end(2) if second_ok else match.end(1)
            elif strength == STRONG and second_ok and first.lower() not in _DETERMINERS | STOPWORDS - {"big"}:
                start, end = match.start(1), match.end(2)  # a moniker keeps its adjective: "big mike"
            elif strength == STRONG and second_ok:
                start, end = match.start(2), match.end(2)
            else:
                continue
            if strength == STRONG and end == match.end(1) and _NICKNAME_CUE.match(match.group()):
                end = _tail(text, end)
            spans.append(Span(start, end, "PERSON", "context", text[start:end], 0.5 + 0.15 * strength))
    return spans


# A nickname of two everyday words after what she was called or known as: "knew me as cherry pie on the cb", "we
# called her sweet tea because", "money team" (QA D5). Not after "named": a name follows that ("named mark took me").
_NICKNAME_CUE = re.compile(r"(?i)(?:called|call|calls|calling|nicknamed|known|knew|know|go by|went by|goes by)\b")
_TAIL = re.compile(
    r"\s+([a-z]+)(?=\s*(?:[.,;!?\"”]|$)|\s+(?:on|in|at|because|cause|since|and|but|so|from|for|back|when|too|or|"
    r"though|until|till|with|to|after|before|out|there|then)\b)",
    re.I,
)
# Words that go on a sentence, not a name: "they called me stupid all the time", "we called him twice".
_NOT_TAILS = {"twice", "once", "again", "anymore", "forever", "today", "tonight", "yesterday", "everyday", "lol",
              "though", "too", "either", "instead", "anyway", "later", "sometimes", "now", "then", "first",
              "last"}  # fmt: skip


def _tail(text: str, end: int) -> int:
    """``end`` moved past the everyday noun that ends a two-word nickname, when the phrase ends there."""
    match = _TAIL.match(text, end)
    if match is None:
        return end
    word = match.group(1).lower()
    if word in STOPWORDS | HARD_NEGATIVES | INFORMAL | _NOT_TAILS or word.endswith(("ly", "ed", "ing")):
        return end
    if word not in dictionary()[0] and word not in first_names():
        return end
    return match.end(1)


_MONIKER_WORDS = (
    r"daddy|lil|li'l|little|big|baby|young|slim|pretty|mama|papa|lady|king|queen|uncle|miss|mister|mr|ms|auntie|"
    r"aunt|granny|cousin|sister|brother"
)
# Street names built on a word like "daddy" or "lil", lowercase too: "everybody called him daddy blue".
_MONIKER = re.compile(
    r"\b(?:called|call|calls|named|nicknamed|known as|go by|went by|goes by)\s+"
    r"(?:(?:myself|himself|herself|themselves|themself|yourself|me|her|him|them)\b)?"
    rf"\s*['\"“]?((?:{_MONIKER_WORDS})\s+(?:(?:{_MONIKER_WORDS})\s+)?[A-Za-z](?:[a-z'’-]+|\b))",
    re.I,
)
_LIL = re.compile(r"(?<![\w'’])(?:lil|li'l)['’]?\s+[A-Za-z][a-z'’-]+", re.I)  # "lil" is all but only a moniker
# "her man big mike": "big" before a first name or a word no dictionary has, unless a determiner or an
# intensifier makes it an adjective ("a big bill", "so big") or a noun for a person follows ("big guy").
_BIG = re.compile(r"(?<![\w'’])(\w+\s+)?(big\s+([A-Za-z][a-z'’-]+))", re.I)
_NOT_BEFORE_BIG = {
    "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our", "their", "some",
    "any", "no", "every", "one", "such", "so", "too", "very", "real", "really", "pretty", "quite", "kinda", "sorta",
    "how", "as", "more", "most", "less", "not",
}  # fmt: skip
# "there was big mama dee": big, then a word for a relation, then her name.
_BIG_MAMA = re.compile(
    r"(?<![\w'’])(\w+\s+)?(big\s+(?:mama|mamma|momma|daddy|papa|poppa|sis|bro|cuz)\s+([A-Za-z][a-z'’-]*))\b", re.I
)
# "big poppa", "big mama": big and a word for kin alone is what someone was called (not "my big sis").
_BIG_KIN = {"poppa", "papa", "pappa", "mama", "mamma", "momma", "daddy", "sis", "bro", "cuz", "unc", "homie"}
_POSSESSORS = {"a", "an", "the", "my", "your", "his", "her", "our", "their", "this", "that", "so", "too", "very"}
# A moniker word and a letter: "lady d", "big e", "lil j", "baby t" (not "a", "i": "the big i").
_LETTER_MONIKER = re.compile(r"(?<![\w'’])(\w+\s+)?((?:lady|big|lil|li'l|baby|young|miss)\s+[b-hj-z])(?![\w'’.])", re.I)
# A short word said twice after a name cue is a nickname: "me and tee tee", "my friend coco" is one word,
# "a girl named dee dee"; not "bye bye", "no no", "yeah yeah".
_REDUPLICATED = re.compile(
    r"\b(?:me and|and me|and|with|named|called (?:me|her|him)|my (?:girl|friend|cousin|homegirl|sister|brother)"
    r"|miss)\s+(([a-z]{1,4})\s+\2)\b",
    re.I,
)
_NOT_NICKNAMES = {
    "bye", "no", "so", "ha", "haha", "yeah", "yes", "very", "go", "night", "choo", "bling", "hush", "tut", "knock",
    "well", "now", "come", "boo", "oh", "uh", "um", "hmm", "la", "blah", "yada", "tsk", "chop", "bang", "boom", "pew",
    "the", "a", "and", "i", "to", "me", "my", "her", "him", "it", "is", "was", "we", "you", "he", "she", "all", "out",
    "up", "in", "on", "off", "had", "did", "got",
}  # fmt: skip
_PERSON_NOUNS = re.compile(rf"(?:{RELATIONS}|guy|guys|dude|bro|sis|homie|fella|lady|woman|man|kid|shot|wig)$", re.I)


# A place given a name of its own: "we called the house the blue trap", "everybody called it the white castle", "they
# named the spot little mexico" (QA D5). Two words, or one no dictionary has; not "called it quits", "called it a
# night", "call it home".
_PLACE_CALLED = re.compile(
    r"\b(?:called|call|calls|named|nicknamed)\s+(?:it|that|the\s+(?:house|place|spot|apartment|trap|motel|club|"
    r"crew|group|gang|building|room|corner|street|block|park)|that\s+(?:house|place|spot))\s+(?:the\s+)?"
    r"([a-z][a-z'’-]*(?:\s+[a-z][a-z'’-]*){0,2})(?=\s*(?:[.,;!?\"”]|$)|\s+(?:because|cause|since|and|but|so|"
    r"after|when|on|in|for)\b)",
    re.I,
)


def _called_places(text: str) -> list[Span]:
    spans = []
    for match in _PLACE_CALLED.finditer(text):
        words = [base_word(w).lower() for w in match.group(1).split()]
        if any(w in STOPWORDS or w in HARD_NEGATIVES or w in INFORMAL for w in words):
            continue
        if len(words) == 1 and words[0] in dictionary()[0] and not match.group(1)[0].isupper():
            continue
        spans.append(Span(match.start(1), match.end(1), "ORG", "context", match.group(1), 0.7))
    return spans


# A venue named by what it was: "the motel was the sands", "the club she danced at was the pink pony", "the shelter
# is hope house" (QA D16's addendum). Not what it was like: "the motel was the worst", "the club was the place to be".
_VENUE_IS = re.compile(
    r"\bthe\s+(?:motel|hotel|inn|club|strip club|bar|lounge|spa|shelter|program|programme|church|rehab|trap|"
    r"trap house|massage place|parlou?r|salon|truck stop|casino|restaurant|diner|store|group home)"
    r"(?:\s+(?:she|he|we|they|i)\s+(?:\w+\s+){1,2}?(?:at|in|to))?\s+(?:was|is|were)\s+(?:called\s+)?(the\s+)?"
    r"([a-z][a-z'’-]*(?:\s+[a-z][a-z'’-]*){0,2})(?=\s*(?:[.,;!?]|$)|\s+(?:on|in|off|by|near|and|out|over|up|down)\b)",
    re.I,
)
_NOT_VENUES = {"best", "worst", "only", "same", "first", "last", "place", "spot", "one", "nicest", "cheapest",
               "closest", "biggest", "dirtiest", "end", "problem", "answer", "thing", "reason"}  # fmt: skip


def _venues_named(text: str) -> list[Span]:
    spans = []
    ordinary = dictionary()[0]
    for match in _VENUE_IS.finditer(text):
        words = [base_word(w).lower() for w in match.group(2).split()]
        if any(w in STOPWORDS or w in HARD_NEGATIVES or w in INFORMAL or w in _NOT_VENUES for w in words):
            continue
        if any(w.endswith(("est", "ly", "ing", "ed")) and w in ordinary for w in words):
            continue  # "the motel was the nastiest", "the club was packed"
        if not match.group(1) and not (match.group(2)[0].isupper() or any(w not in ordinary for w in words)):
            continue  # "the motel was nasty", "the club was full"
        spans.append(Span(match.start(2), match.end(2), "ORG", "context", match.group(2), 0.65))
    return spans


def _monikers(text: str) -> list[Span]:
    spans = _called_places(text) + _venues_named(text)
    for match in _MONIKER.finditer(text):
        if match.group(1).split()[-1].lower() not in STOPWORDS:
            spans.append(Span(match.start(1), match.end(1), "PERSON", "context", match.group(1), 0.95))
    for match in _LIL.finditer(text):
        if match.group().split()[-1].lower() not in STOPWORDS:
            spans.append(Span(match.start(), match.end(), "PERSON", "context", match.group(), 0.8))
    ordinary = dictionary()[0]
    for match in _BIG_MAMA.finditer(text):
        if (match.group(1) or "").strip().lower() not in _NOT_BEFORE_BIG and _is_name_word(match.group(3), MEDIUM):
            spans.append(Span(match.start(2), match.end(2), "PERSON", "context", match.group(2), 0.7))
    for match in _REDUPLICATED.finditer(text):
        if match.group(2).lower() not in _NOT_NICKNAMES:
            spans.append(Span(match.start(1), match.end(1), "PERSON", "context", match.group(1), 0.6))
    for match in _BIG.finditer(text):
        before, name = (match.group(1) or "").strip().lower(), base_word(match.group(3)).lower()
        if name in _BIG_KIN and before not in _POSSESSORS:
            spans.append(Span(match.start(2), match.end(2), "PERSON", "context", match.group(2), 0.7))
            continue
        if before in _NOT_BEFORE_BIG or name in STOPWORDS | HARD_NEGATIVES | INFORMAL or _PERSON_NOUNS.match(name):
            continue
        if name in first_names() or name not in ordinary:
            spans.append(Span(match.start(2), match.end(2), "PERSON", "context", match.group(2), 0.7))
    for match in _LETTER_MONIKER.finditer(text):
        if (match.group(1) or "").strip().lower() not in _NOT_BEFORE_BIG:
            spans.append(Span(match.start(2), match.end(2), "PERSON", "context", match.group(2), 0.7))
    return spans


def _gazetteer_name(word: str) -> bool:
    lowered = word.lower()
    if lowered in CITIES or lowered in WORD_NAMES or lowered in HARD_NEGATIVES or lowered in STOPWORDS:
        return False
    if lowered in INFORMAL or lowered not in first_names():
        return False
    return word[0].isupper() or lowered not in dictionary()[0]


def _gazetteer(text: str) -> list[Span]:
    spans = []
    tokens = list(_TOKEN.finditer(text))
    for i, token in enumerate(tokens):
        word = base_word(token.group())
        if word.lower() in TITLES or not _gazetteer_name(word):
            continue
        end = token.start() + len(word)
        if i + 1 < len(tokens) and not text[token.end() : tokens[i + 1].start()].strip():
            if _second_word(word, tokens[i + 1].group()) and tokens[i + 1].group()[0].isupper():
                end = tokens[i + 1].start() + len(base_word(tokens[i + 1].group()))
        spans.append(Span(token.start(), end, "PERSON", "gazetteer", text[token.start() : end], 0.7))
    return spans


def _sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip()
    return not before or before[-1] in '.!?"“' or bool(_SPEAKER_LABEL.search(before) or _TIMESTAMP.search(before))


# A transcript's speaker label ends with a colon at the start of a line or sentence: "A:", "Participant:",
# "Speaker 2:", "[00:01:02] Interviewer:". The answer after it starts a sentence ("Participant: Outside.").
_TIMESTAMP = re.compile(r"\[\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?\]$")  # "[00:04:15] Respondent: ...": the label starts
_SPEAKER_LABEL = re.compile(r"(?:^|[\n.!?\])\"”])\s*(?:[A-Za-z][\w'’.-]*\s+)?[A-Za-z0-9][\w'’.-]*\s*:$")


# Churches, hospitals and schools named for a saint: "St. Luke's", "saint margaret's".
_SAINT = re.compile(r"(?<![\w'’])(?:st\.?|saint)\s+([A-Za-z]{3,}(?:['’]s)?)(?![\w'’])", re.I)
_SPANISH_PLACE = re.compile(r"(?<![\w'’])(?:el|la|las|los|san|santa|del)\s+([A-Za-z]{3,})(?![\w'’])", re.I)


def _towns(text: str) -> list[Span]:
    """Cities and towns by name, one to three words, longest first; and Spanish place names ("el centro")."""
    known = towns()
    tokens = list(_TOKEN.finditer(text))
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        for width in (3, 2, 1):
            window = tokens[i : i + width]
            if len(window) < width or any(text[a.end() : b.start()] != " " for a, b in itertools.pairwise(window)):
                continue
            name = " ".join(t.group().lower().replace(".", "") for t in window)
            if name in known:
                start, end = window[0].start(), window[-1].end()
                spans.append(Span(start, end, "LOCATION", "gazetteer", text[start:end], 0.8))
                i += width - 1
                break
        i += 1
    for match in _SAINT.finditer(text):
        if base_word(match.group(1)).lower() not in STOPWORDS:
            spans.append(Span(match.start(), match.end(), "ORG", "context", match.group(), 0.6))
    ordinary = dictionary()[0]
    for match in _SPANISH_PLACE.finditer(text):
        if match.group(1).lower() not in ordinary and match.group(1).lower() not in first_names():
            spans.append(Span(match.start(), match.end(), "LOCATION", "context", match.group(), 0.6))
    return spans


def _agencies(text: str) -> list[Span]:
    """Police and border agencies by their initials: "the FBI", "rcmp", "ICE picked him up", a city's police
    department ("hpd", "LAPD", "sfpd")."""
    spans = []
    for match in re.finditer(r"(?<![\w'’.-])[A-Za-z]{2,5}(?![\w'’-])", text):
        word = match.group()
        police = len(word) in (3, 4, 5) and word.lower().endswith("pd") and word.lower() not in dictionary()[0]
        if word.lower() in AGENCIES or word in AGENCY_WORDS or police:  # "hpd", "LAPD", "sfpd"
            spans.append(Span(match.start(), match.end(), "ORG", "context", word, 0.6))
    return spans


def _places(text: str) -> list[Span]:
    spans = _agencies(text)
    lowered = text.lower()
    for organisation in ORGANISATIONS:
        for match in re.finditer(rf"(?<![\w'’]){re.escape(organisation)}(?![\w'’])", lowered):
            spans.append(Span(match.start(), match.end(), "ORG", "gazetteer", text[match.start() : match.end()], 0.8))
    spans += _towns(text)
    for match in _PLACE_PREP.finditer(text):
        place = match.group(1)
        if place.lower() in HARD_NEGATIVES or place.split()[0].lower() in STOPWORDS:
            continue
        if all(w.lower() in dictionary()[0] for w in place.split()):
            continue
        spans.append(Span(match.start(1), match.end(1), "LOCATION", "context", place, 0.6))
    ordinary = dictionary()[0]
    for match in _PLACE_PREP_LOWER.finditer(text):
        word = match.group(1)
        if not any(word in words for words in (ordinary, STOPWORDS, HARD_NEGATIVES, INFORMAL, first_names())):
            spans.append(Span(match.start(1), match.end(1), "LOCATION", "context", word, 0.5))
    for match in _SHORT_PLACE.finditer(text):
        letters = match.group(1).lower()
        if not any(letters in words for words in (ordinary, STOPWORDS, HARD_NEGATIVES, INFORMAL, _NOT_SHORT_PLACES)):
            spans.append(Span(match.start(1), match.end(1), "LOCATION", "context", match.group(1), 0.5))
    spans += _named_houses(text)
    for pattern in (ORG, ORG_LOWER):
        for match in pattern.finditer(text):
            words = match.group(1).split()
            if not words or any(w.lower() in _FUNCTION_WORDS | HARD_NEGATIVES for w in words):
                continue
            lowered_words = [base_word(w).lower() for w in words]
            generic = all(w in GENERIC_MODIFIERS for w in lowered_words)
            if pattern is ORG_LOWER and generic:
                continue
            if _WORSHIP.fullmatch(text[match.end(1) : match.end()]) and all(
                w in PEOPLES or _faith(w) or w in GENERIC_MODIFIERS for w in lowered_words
            ):
                continue  # "the Methodist church", "the pentecostal church": a faith's, no one church's name
            if pattern is ORG_LOWER and _no_venue(lowered_words, text[match.end(1) : match.end()].lower()):
                continue
            label = "LOCATION" if text[match.start(1) : match.end()].lower().endswith("county") else "ORG"
            spans.append(Span(match.start(1), match.end(), label, "context", text[match.start(1) : match.end()], 0.7))
    return spans


# "home" after a journey is where one goes, no venue: "on my way home", "the flight home", "a ride home".
_JOURNEYS = {"way", "flight", "ride", "trip", "drive", "walk", "journey", "bus", "train", "ticket", "boat", "lift"}


def _no_venue(words: list[str], head: str) -> bool:
    """A journey home, or one people's or language's word before a venue's kind ("the dinka church", "the
    portuguese restaurant"): no one venue's name (lowercased text, where no capital says it is one)."""
    if head == "home" and words[-1] in _JOURNEYS:
        return True
    return len(words) == 1 and (words[0] in PEOPLES or words[0] in peoples())


def _named_houses(text: str) -> list[Span]:
    spans = []
    for match in NAMED_HOUSE.finditer(text):
        words = [base_word(w).lower() for w in match.group(1).split()]
        joined = [w for w in words if w in _HOUSE_JOINERS]
        if not joined and len(words) <= 3:
            continue  # ORG and ORG_LOWER's own
        if any((w in STOPWORDS and w not in _HOUSE_JOINERS) or w in HARD_NEGATIVES for w in words):
            continue
        if words[-1] in _HOUSE_JOINERS or any(
            a in _PARTITIVES for a, b in itertools.pairwise(words) if b in _HOUSE_JOINERS
        ):
            continue
        if all(w in GENERIC_MODIFIERS or w in _HOUSE_JOINERS for w in words):
            continue
        spans.append(Span(match.start(1), match.end(), "ORG", "context", text[match.start(1) : match.end()], 0.6))
    for match in _OF_GOD.finditer(text):
        if not any(w.lower() in STOPWORDS for w in match.group(1).split()):
            spans.append(Span(match.start(), match.end(), "ORG", "context", match.group(), 0.6))
    return spans


_JOINERS = {"of", "for", "de", "del", "la", "los", "las"}
_WORSHIP = re.compile(r"church|chapel|mosque|temple|cathedral|tabernacle|fellowship|mission|ministries", re.I)


def _faith(word: str) -> bool:
    """A faith or a movement the dictionary writes with a capital ("Adventist", "Calvinist", "Taoist"), no surname."""
    return word.endswith("ist") and word in dictionary()[1] and word not in first_names() | last_names()


# What kind of number follows, said before it with capitals: "Criminal Case No. 21/1187", "Passport Number 4471".
_NUMBER_AFTER = re.compile(r"\s+(?:No\.?|Number|#)\s*\d")


def _proper_nouns(text: str) -> list[Span]:
    """Runs of capitalised words mid-sentence: in ASR output these are names of people, places and
    organisations, whether or not the words are also ordinary ones ("Catholic Charities", "Crossroads")."""
    ordinary, _ = dictionary()
    spans: list[Span] = []
    run: list[tuple[int, int, str]] = []  # (start, end, lowered base word)

    def close() -> None:
        while run and (run[0][2] in TITLES or run[0][2] in _FUNCTION_WORDS or run[0][2] in _JOINERS):
            run.pop(0)
        while run and (run[-1][2] in TITLES or run[-1][2] in STOPWORDS or run[-1][2] in _JOINERS):
            run.pop()
        words = [w for _, _, w in run]
        alone = len(words) == 1 and (words[0] in WORD_NAMES or (words[0] in ordinary and words[0] in first_names()))
        alone = alone or (len(words) == 1 and _faith(words[0]))  # "my husband is Adventist"
        labelled = bool(run) and _NUMBER_AFTER.match(text, run[-1][1]) is not None  # "Criminal Case No. 21/1187"
        if words and not all(w in HARD_NEGATIVES or w in STOPWORDS for w in words) and not alone and not labelled:
            start, end = run[0][0], run[-1][1]
            everyday = all(w in ordinary or w in HARD_NEGATIVES or everyday_form(w) for w in words)
            venue = re.fullmatch(_PLACE_WORDS, words[0]) is not None  # "Club Aphrodite Nights", "Hotel Seri Mutiara"
            label = "ORG" if everyday or venue else "PERSON"  # "the Harbour Lights" is a place of business
            spans.append(Span(start, end, label, "proper-noun", text[start:end], 0.5))
        run.clear()

    for token in _TOKEN.finditer(text):
        base = base_word(token.group())
        lowered = base.lower()
        # An acronym goes on a name ("Fort Worth PD"), but never starts one ("AHCCCS", "DSHS").
        acronym = base.isupper() and bool(run) and lowered not in HARD_NEGATIVES
        capital = base[0].isupper() and (not base.isupper() or (len(base) == 1 and bool(run)) or len(base) > 3)
        gap = text[run[-1][1] : token.start()] if run else ""
        joined = gap.strip() in ("", ".") and (gap.strip() == "" or run[-1][2] in ("st", "mt"))
        if run and not joined:
            close()
        if run and base in _JOINERS:
            run.append((token.start(), token.end(), base))  # "Refuge for Women": kept if a capital follows
            continue
        if (
            (capital or acronym)
            and lowered not in _FUNCTION_WORDS
            and "'" not in base
            and (run or not _sentence_start(text, token.start()))
        ):
            if lowered in HARD_NEGATIVES and not run and lowered not in TITLES:
                continue
            run.append((token.start(), token.start() + len(base), lowered))
        else:
            close()
    close()
    return spans


# Initials then a surname: "a l brown" (a school), "j r smith", "T.J. Maxx". Two or three letters said alone.
_INITIALS = re.compile(
    r"(?<![\w'’.])((?:[A-Za-z](?:\.\s*|\s+)){1,2}[A-Za-z](?![\w'’]))\.?\s+([A-Za-z][a-z'’-]{2,})(?![\w'’])"
)
_SCHOOL_AFTER = re.compile(r"^\s+(?:high|middle|elementary|school|academy|for|in)\b", re.I)


def _initials(text: str) -> list[Span]:
    from fieldvault.redact.patterns import SPOKEN_NUMBERS

    spans = []
    ordinary = dictionary()[0]
    for match in _INITIALS.finditer(text):
        letters = [c for c in match.group(1) if c.isalpha()]
        surname = base_word(match.group(2)).lower()
        if all(c.lower() in "ai" for c in letters) or surname in STOPWORDS | HARD_NEGATIVES | SPOKEN_NUMBERS:
            continue
        if not (surname in last_names() or surname in first_names() or surname not in ordinary):
            continue
        before = text[: match.start()].split()[-1:]
        org = (before and before[0].lower() in ("at", "to", "from")) or _SCHOOL_AFTER.match(text[match.end() :])
        end = match.start(2) + len(base_word(match.group(2)))
        spans.append(Span(match.start(), end, "ORG" if org else "PERSON", "context", text[match.start() : end], 0.6))
    return spans


# Words in a script other than Latin's after a cue ("with Оксана", "her name was 小美", "from 福州"): in an English
# transcript, a name written as she writes it (the folded text has every accented Latin letter plain). QA D12.
_SCRIPT_RUN = re.compile(r"(?<![\w'’])[^\W\d_A-Za-z][^\W\d_]*(?:[ -][^\W\d_A-Za-z][^\W\d_]*){0,2}")
_SCRIPT_PLACE = re.compile(r"\b(?:in|from|to|at|near|outside|around|moved to|born in|lived in)\s*$", re.I)
_SCRIPT_PERSON = re.compile(
    rf"(?:\b(?:named|name is|name was|name['’]s|called|call|calls|known as|go by|went by|with|and|told|met|"
    rf"me and|and me|asked|saw|(?:my|her|his|our|their)\s+(?:\w+\s+)?(?:{RELATIONS})|{_TITLES})\.?,?|[,:])\s*['\"“]?$",
    re.I,
)


def _scripts(text: str) -> list[Span]:
    spans = []
    for match in _SCRIPT_RUN.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        label = "LOCATION" if _SCRIPT_PLACE.search(before) else "PERSON" if _SCRIPT_PERSON.search(before) else None
        if label:
            spans.append(Span(match.start(), match.end(), label, "context", match.group(), 0.8))
    return spans


# A British or Irish officer by the initials of her rank: "DC Gethin Prys", "DS Owen", "PC Hughes", lowercase "dc prys".
# Not "DC Comics", "the DC police", "in dc traffic": a word a dictionary has, a town, or a place slot before.
_RANK_INITIALS = re.compile(
    r"(?<!\bin )(?<!\bto )(?<!\bfrom )(?<!\bthe )(?<!\bof )\b(?:DCI|DSI|DC|DS|DI|PC|PS|dci|dc|ds|pc)\s+"
    r"([A-Za-z][a-z'’-]+)(?:\s+([A-Za-z][a-z'’-]+))?"
)


def _rank_initials(text: str) -> list[Span]:
    spans = []
    ordinary = dictionary()[0]

    def name(word: str | None) -> bool:
        lowered = base_word(word).lower() if word else ""
        if not lowered or lowered in ordinary | STOPWORDS | HARD_NEGATIVES:
            return False
        return lowered not in towns() or lowered in last_names()

    for match in _RANK_INITIALS.finditer(text):
        first, second = match.group(1), match.group(2)
        cased = match.group()[0].isupper()
        if not name(first) or (cased and not first[0].isupper()):
            continue
        end = match.end(2) if name(second) and (not cased or second[0].isupper()) else match.end(1)
        spans.append(Span(match.start(1), end, "PERSON", "context", text[match.start(1) : end], 0.8))
    return spans


def find_in_context(text: str) -> list[Span]:
    return (
        _scripts(text)
        + _cues(text)
        + _rank_initials(text)
        + _monikers(text)
        + _gazetteer(text)
        + _places(text)
        + _proper_nouns(text)
        + _initials(text)
    )
