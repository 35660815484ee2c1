"""An age over 89 said in a sentence ("I am 92 years old", "I'm ninety-two", "aged 93", "my grandmother is 95"):
HIPAA Safe Harbor takes ages over 89 among the elements of dates, so it is a DATE that leaves as ``[90 or older]``,
the category the questionnaire's age leaves as (export.gate.OVER_89). An age of 89 or under, and any number that
is no one's age ("92 dollars", "room 92", "1992", "it was 95 degrees"), is never proposed."""

from __future__ import annotations

import re

from fieldvault.redact.context import RELATIONS
from fieldvault.redact.spans import Span

OVER_89 = "90 or older"
PLACEHOLDER = f"[{OVER_89}]"

_UNITS = r"one|two|three|four|five|six|seven|eight|nine"
_TEENS = r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
# 90 to 119, in digits (not "1992", "92.5", "$92") or in words ("ninety-two", "a hundred and one").
# "Ninety-something", "ninety-odd", "90-something": past 89 whatever the unit.
_NINETIES = (
    rf"(?<![\w$£€#.,])(?:9\d|1[01]\d)(?:-?something|-odd)?(?![\d%]|[.,]\d)|"
    rf"\bninety(?:[- ](?:{_UNITS}|something|odd))?\b"
)
_NUMBER = rf"(?:{_NINETIES}|\b(?:(?:a|one)[- ])?hundred(?:[- ](?:and[- ])?(?:{_UNITS}|{_TEENS}))?\b)"
# An age over 89 said as its decade ("nineties", "late 90s", "mid-nineties").
_DECADE = r"(?:(?:early|mid|late)[- ]?)?(?:nineties|90['’]?s|ninety['’]s)(?![\w'’])"
_AGE_NUMBER = re.compile(rf"{_NUMBER}|{_DECADE}", re.I)
# What follows an age where a sentence goes on ("she was 91 when she passed", "I'm 92."); never a unit ("92 dollars",
# "95 pounds", "95 percent"), nor the category itself ("90 or older").
_GOES_ON = (
    r"(?!\s+or\s+(?:older|over|more|above))(?=\s*(?:[.,;:!?)\"”…]|$)|\s+(?:now|today|then|when|and|but|so|or|too|"
    r"already|this|next|last|years?|yrs?|in|on|at|by|since|if|because|cause|though|soon|he|she|i|they|we|you)\b)"
)
# Who has an age: "I", "she", "my grandmother", "her mom" (not "it", "the room", "the bill").
_KIN = (
    rf"{RELATIONS}|mom|mum|mama|momma|dad|papa|grandmother|grandma|granny|gran|nana|grandfather|grandpa|"
    r"granddad|grandad|great[- ]grand(?:mother|ma|father|pa)|neighbou?r|lady|woman|husband|elder"
)
_WHO = (
    rf"(?:\b(?:i|she|he|you|we|they|who)|\bim|\b(?:my|her|his|our|their|your)\s+(?:\w+\s+)?(?:{_KIN})"
    r"|\b(?:grandma|granny|nana|grandpa|mama|papa))"
)
_IS = (
    r"(?:['’]s|['’]m|['’]re|['’]ll\s+be|['’]d\s+be|\s+(?:is|was|am|are|were|be|turned|turns|turning|will\s+be|"
    r"would\s+be|gonna\s+be|"
    r"going\s+on|about\s+to\s+turn|just\s+turned))"
)
# A question about an age ("How old are you now?", "And your age?", "What's her age?"), then what may stand before the
# number answering it: fillers ("um", "oh, about") and the replies of either speaker ("Mm-hmm.", "Me?", "Let me
# think."); a real answer between ("Two kids.") stops it.
_ASKED = (
    r"(?:\bhow\s+old\b[^?.!]{0,40}|\bage)\s*\?\s*(?:(?:um+|uh+|oh|well|like|about|almost|nearly|i\s+think|m+-?h+m+|"
    r"m+h+m+|u+h+-?h+u+h+|h?m+|okay|ok|yeah|yes|right|me|my\s+age|let\s+me\s+(?:think|see)|let'?s\s+see|i'?m)"
    r"[,.?!…\s]+)*"
)
# Who an age set off by commas is of: "my grandma", "her late husband", "my mother Rosa", "grandpa".
_KIN_NAMED = (
    rf"(?:\b(?:my|her|his|our|their|your)\s+(?:\w+\s+)?(?:{_KIN})|\b(?:grandma|granny|nana|grandpa|mama|papa))"
    r"(?:\s+[a-z]+)?"
)
_SOFTENED = r"(?:\s+(?:now|only|about|like|almost|nearly|already|just|over|maybe|probably))*"
AGES = [
    # "92 years old", "a 92-year-old", "ninety two years young", "92 yo", "ninety-two years of age" (not "I felt a
    # hundred years old", "the house is a hundred years old": a hundred said so needs someone who is it, below)
    re.compile(rf"((?:{_NINETIES}))(?=[- ](?:years?|yrs?)[- ](?:old|young|of\s+age)\b|\s+y/?o\b)", re.I),
    # "aged 93", "age 95", "at the age of ninety-one"
    re.compile(rf"\b(?:aged|age(?:\s+of)?)\s+({_NUMBER}){_GOES_ON}", re.I),
    # "I'm 92.", "she was 91 when she passed", "my grandmother is 95", "he just turned ninety"
    re.compile(rf"{_WHO}{_IS}{_SOFTENED}\s+({_NUMBER}){_GOES_ON}", re.I),
    # "at ninety-three he still came around", "at 92, she"
    re.compile(rf"\bat\s+({_NUMBER}),?\s+(?=(?:he|she|i|they|we|you|my|her|his)\b)", re.I),
    # An answer to "how old" or "your age?": "How old are you now?" | "Ninety-two.", "And your age?" | "Ninety-one."
    # (the segments are read joined by line breaks), also with a reply or a filler between: | "Mm-hmm." | "93."
    re.compile(rf"{_ASKED}({_NUMBER}){_GOES_ON}", re.I),
    # Set off by commas after who has it: "my grandma, 94, still drives", "her husband Tomas, ninety, ..."
    re.compile(rf"{_KIN_NAMED}\s*,\s*({_NUMBER})(?=\s*(?:[,;:.!?)—–]|$)|\s+(?:now|then|years?)\b)", re.I),
    # An age over 89 said as its decade: "I'm in my nineties", "she's in her late 90s", "in their mid-nineties"
    # (not "in the nineties", the years).
    re.compile(rf"\bin\s+(?:my|her|his|our|their|your)\s+({_DECADE}){_GOES_ON}", re.I),
    # "she lived to 95", "died at 91", "passed away at ninety"
    re.compile(
        rf"\b(?:lived\s+to(?:\s+be)?|made\s+it\s+to|died\s+at|passed(?:\s+away)?\s+at|living\s+to)\s+({_NUMBER})"
        rf"{_GOES_ON}",
        re.I,
    ),
]


def find_ages(text: str) -> list[Span]:
    """Each age over 89 in ``text``, the number alone (the words around it stay: "I am [90 or older] years old")."""
    spans = {}
    for pattern in AGES:
        for match in pattern.finditer(text):
            start, end = match.span(1)
            spans[start, end] = Span(start, end, "DATE", "pattern", text[start:end], 0.9)
    return sorted(spans.values(), key=lambda s: s.start)


def is_age_over_89(text: str) -> bool:
    """``text`` is an age over 89 alone ("92", "ninety-two"): what ``find_ages`` proposes, replaced by PLACEHOLDER."""
    return _AGE_NUMBER.fullmatch(text.strip()) is not None


# A year of birth, in digits or words ("1931", "nineteen thirty-one", "nineteen hundred and five", "nineteen oh two").
_TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_REST = rf"(?:oh|o)[- ](?:{_UNITS})|{_TEENS}|(?:{_TENS})(?:[- ](?:{_UNITS}))?"
# "'31": a year said with its century left out ("born in '31"), read in the 1900s unless the 2000s' is past too
# ("born in '10" in 2026 is a child's year: left as said).
_YEAR = (
    r"(?<![\w$£€#.,])1[89]\d\d(?![\w%]|[.,]\d)|(?<![\w'’])['’]\d\d(?![\w'’%]|[.,]\d)|\b(?:eighteen|nineteen)[- ]"
    rf"(?:hundred(?:(?:[- ]and)?[- ](?:{_REST}|{_UNITS}))?|{_REST})\b"
)
_YEAR_VALUES = {
    **{w: n for n, w in enumerate(_UNITS.split("|"), 1)},
    **{w: n for n, w in enumerate(_TEENS.split("|"), 10)},
    **{w: n for n, w in enumerate(_TENS.split("|"), 2)},
}
BORN = [
    # "I was born in 1931", "she was born back in nineteen thirty-one", "born 1931 in Fresno"
    re.compile(rf"\bborn(?:\s+(?:in|back|around|about|sometime|early|late|the|year|of))*\s+({_YEAR})", re.I),
    # "What year were you born?" | "1931.", "When was she born? Um, nineteen thirty."
    re.compile(
        rf"\b(?:what\s+year|when)\b[^?.!]{{0,30}}\bborn\s*\?\s*(?:(?:um+|uh+|oh|well|like|about|i\s+think|m+-?h+m+|"
        rf"okay|yeah|in)[,.\s]+)*({_YEAR})",
        re.I,
    ),
    # "year of birth, 1931", "my birth year is 1931", "date of birth: 1931"
    re.compile(rf"\b(?:year\s+of\s+birth|birth\s*year|date\s+of\s+birth)[\s,:]*(?:(?:is|was)\s+)?({_YEAR})", re.I),
]


def only_where_said(text: str) -> bool:
    """``text`` is an age over 89 or a year alone ("92", "ninety-two", "1931"): a number that is one only where it was
    said, never searched for elsewhere ("Room 92", "the church was built in 1931" stay)."""
    return is_age_over_89(text) or re.fullmatch(_YEAR, text.strip(), re.I) is not None


def year_of(said: str) -> int:
    """The year "1931", "nineteen thirty-one", "nineteen hundred and five", "nineteen oh two", "'31" stands for."""
    if said.isdigit():
        return int(said)
    if said[:1] in "'’":
        return 1900 + int(said[1:])
    words = [w for w in re.split(r"[- ]+", said.lower()) if w not in ("hundred", "and", "oh", "o")]
    century = 1800 if words[0] == "eighteen" else 1900
    tens = [_YEAR_VALUES[w] * 10 if w in _TENS.split("|") else _YEAR_VALUES[w] for w in words[1:]]
    return century + sum(tens)


def find_birth_years(text: str, year: int) -> list[Span]:
    """Each year of birth in ``text`` that makes whoever was born then 90 or older in ``year`` (the session's): Safe
    Harbor takes the year too where it reveals an age over 89 ("born in 1931", said in 2026). A later year of birth,
    and a year that is no one's birth ("we moved in 1931"), stay."""
    spans = {}
    for pattern in BORN:
        for match in pattern.finditer(text):
            start, end = match.span(1)
            born = year_of(text[start:end])
            if text[start] in "'’" and born + 100 <= year:
                continue  # "'10" in 2026: 2010 as likely as 1910
            if 90 <= year - born <= 119:
                spans[start, end] = Span(start, end, "DATE", "pattern", text[start:end], 0.9)
    return sorted(spans.values(), key=lambda s: s.start)
