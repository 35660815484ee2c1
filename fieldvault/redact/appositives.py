"""Names said beside what they name, as people talk: a business set off by commas after its kind ("she had a nail
salon, lucky star nails, and that's where", "a car wash, lavado el chino, that's where he'd meet them"), and a person
after a word for who she was to the speaker with fillers between ("my counselor there, um, deb, she got me a bed",
"one guy, dutch, he drove"); a place's name after its kind and a copula ("the program was magnolia rising"); a place
to eat named for its owner ("at the church's chicken").

What stands between the commas is a name only when no word of it describes (an adjective with degrees, an -ly
adverb, a number, a function word): "a motel, cheap, and", "the club, every night, and", "a program, eighteen months,
and" are no names.
"""

from __future__ import annotations

import re

from fieldvault.redact.lexicon import GENERIC_PLACES, HARD_NEGATIVES, INFORMAL, STOPWORDS, dictionary, gradable
from fieldvault.redact.patterns import SPOKEN_NUMBERS
from fieldvault.redact.spans import Span

_BUSINESS = (
    r"(?:nail\s+|hair\s+|beauty\s+)?salon|(?:day\s+)?spa|massage\s+(?:parlou?r|place|shop)|parlou?r|motel|hotel|"
    r"(?:strip\s+|night\s*)?club|bar|restaurant|diner|cafe|store|shop|car\s+wash|laundromat|bodega|church|program|"
    r"shelter|agency|clinic|studio|lounge|truck\s+stop|business|company|bakery|garage|body\s+shop|warehouse"
)
_WORD = r"[A-Za-z][\w'’-]*"
# "she had a nail salon, lucky star nails, and", "a parlour in parramatta, jade blossom massage, and the manager".
BUSINESS_NAMED = re.compile(
    rf"\b(?:a|an|the|her|his|my|their|our|this|that)\s+(?:{_WORD}\s+)?(?:{_BUSINESS})\b"
    rf"(?:\s+(?:in|on|at|by|near|off|out\s+in|down\s+in|up\s+in)\s+{_WORD}(?:\s+{_WORD})?)?"
    rf",\s+({_WORD}(?:\s+{_WORD}){{0,3}}),\s+(?:and|that|that's|which|where|who|but|so|it|it's|he|she|they|the)\b",
    re.I,
)
_RELATIONS = (
    r"counselor|counsellor|caseworker|case\s+worker|case\s+manager|worker|therapist|sponsor|advocate|lawyer|"
    r"attorney|mentor|bunkie|cellie|roommate|friend|best\s+friend|homegirl|cousin|boyfriend|girlfriend|pimp|"
    r"trafficker|guy|girl|lady|woman|dude|man|nurse|teacher|officer|detective|manager|boss"
)
_FILLERS = r"(?:,?\s+(?:um|uh|er|erm|like|you\s+know|i\s+think|i\s+guess))*"
# "my counselor there, um, deb, she", "one guy, dutch, he drove", "the lady at intake, uh, ronnie, she".
PERSON_BESIDE = re.compile(
    rf"\b(?:my|her|his|our|their|the|this|that|one|another)\s+(?:{_WORD}\s+)?(?:{_RELATIONS})\b"
    rf"(?:\s+(?:there|then|back\s+then|at\s+the\s+time|at\s+{_WORD}|from\s+{_WORD}))?{_FILLERS}"
    rf",\s+({_WORD}(?:\s+{_WORD})?),\s+(?:she|he|who|they)\b",
    re.I,
)
_WHERE = {"downtown", "uptown", "upstairs", "downstairs", "outside", "inside", "nearby", "overseas", "abroad",
          "there", "here", "everywhere", "somewhere", "anywhere"}  # fmt: skip
# "the program was magnolia rising, eighteen months", "the shelter is called hope harbor and": a place's name after
# its kind and a copula.
PLACE_WAS = re.compile(
    r"\bthe\s+(?:program|shelter|house|motel|hotel|club|bar|church|spa|salon|agency|school|rehab|facility|jail|"
    r"prison|group\s+home|halfway\s+house|treatment\s+center)\s+(?:was|is)\s+(?:called\s+|named\s+)?"
    rf"({_WORD}(?:\s+{_WORD}){{0,2}})(?=\s*[,.;!?]|\s+(?:and|in|on|by|for|out|up|down|off)\b)",
    re.I,
)
# A place to eat named for its owner, after where someone was: "sat across the street at the church's chicken", "out
# back of luigi's pizza". Not "my mom's kitchen", "at her aunt's fish fry": a relative's, no business.
OWNED_FOOD = re.compile(
    r"\b(?:at|to|from|by|near|outside|behind|across\s+from|back\s+of|in\s+front\s+of)\s+(?:the\s+|a\s+)?"
    r"(([A-Za-z][a-z]+)['’]s\s+(?:fried\s+|hot\s+)?(?:chicken|pizza|pizzeria|burgers?|donuts?|doughnuts|bbq|"
    r"barbecue|tacos|wings|subs|bagels|ribs|seafood|fish\s+(?:and|n)\s+chips|chili|deli|diner|grill|bakery))\b",
    re.I,
)
_OWNERS_NOT = {"mom", "mum", "dad", "mama", "papa", "grandma", "grandpa", "nana", "granny", "aunt", "auntie", "uncle",
               "cousin", "sister", "brother", "friend", "boyfriend", "girlfriend", "neighbor", "neighbour", "mother",
               "father", "wife", "husband", "kid", "baby", "somebody", "someone", "everybody", "nobody", "one",
               "today", "yesterday", "tonight", "week", "year", "day", "night"}  # fmt: skip
_NAME_STARTS = {"new", "old", "big", "little", "good", "first", "home", "one"}  # stopwords that begin names too
_JOINERS = {"el", "la", "los", "las", "de", "del", "of", "and", "y", "da", "do", "dos"}


def find_appositives(text: str) -> list[Span]:
    spans = []
    for pattern, label in ((BUSINESS_NAMED, "ORG"), (PERSON_BESIDE, "PERSON"), (PLACE_WAS, "ORG")):
        for match in pattern.finditer(text):
            words = match.group(1).split()
            if _describes(words) or (label == "ORG" and words[0].lower() in _JOINERS):
                continue
            if pattern is PLACE_WAS and (words[0].lower().endswith("ing") or _everyday_alone(words)):
                continue  # "the club was jumping", "the motel was gross": what it was like
            start, end = match.start(1), match.end(1)
            spans.append(Span(start, end, label, "context", text[start:end], 0.65))
    for match in OWNED_FOOD.finditer(text):
        owner = match.group(2).lower()
        if owner in _OWNERS_NOT or owner in STOPWORDS or owner in INFORMAL:
            continue
        spans.append(Span(match.start(1), match.end(1), "ORG", "context", match.group(1), 0.6))
    return spans


def _describes(words: list[str]) -> bool:
    """Whether the words between the commas describe, count or say where rather than name: a function word, a number
    or an -ly adverb in them; one word that is an everyday word of that kind, a comparative or an adjective with
    degrees; or only words that are no names alone ("the recovery house")."""
    lowered = [w.lower().replace("’", "'") for w in words]
    named = [w for w in lowered if w not in _JOINERS]
    everyday = HARD_NEGATIVES | INFORMAL | GENERIC_PLACES
    if not named or all(w in everyday for w in named):
        return True
    for word in named:
        if len(named) > 1 and word in _NAME_STARTS:
            continue  # "new dawn recovery", "first baptist"
        if word in STOPWORDS | SPOKEN_NUMBERS | _WHERE or word.endswith("ly"):
            return True
    if len(named) > 1:
        return False  # "lucky star nails": a name with an adjective in it
    word = named[0]
    comparative = word.endswith("er") and word[:-2] + "est" in dictionary()[0]  # "the guy, older, he"
    return word.endswith("ed") or gradable(word) or comparative


def _everyday_alone(words: list[str]) -> bool:
    return len(words) == 1 and words[0].lower() in dictionary()[0]
