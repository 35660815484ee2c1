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
# "Ninety-something", "ninety-odd", "90-something", "90-plus", "90+": past 89 whatever the unit.
_NINETIES = (
    rf"(?<![\w$£€#.,])(?:9\d|1[01]\d)(?:-?something|-odd|[- ]?plus\b|\+)?(?![\d%+]|[.,]\d)|"
    rf"\bninety(?:[- ](?:{_UNITS}|something|odd|plus))?\b"
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
# What may stand between "born" and its year: a place or a day ("born in Fresno in 1931", "born on March 3, 1931"),
# never a word that starts another happening ("born in Fresno and we moved in 1931", "born there, built in 1920").
_BORN_THEN = (
    r"\bborn(?:[\s,]+(?!(?:and|but|then|so|until|till|moved|came|left|went|when|where|who|which|that|after|before|"
    r"since|lived|grew|married|raised|built|died|started|got|from)\b)(?:(?:st|mt|ft)\.|[\w'’-]+)){0,6}?[\s,]+"
    r"(?:(?:in|back|around|about|sometime|early|late|the|year|of)\s+)*"
)
BORN = [
    # "I was born in 1931", "she was born back in nineteen thirty-one", "born 1931 in Fresno", "born in Fresno in
    # 1931", "born on the 3rd of March, 1931"
    re.compile(rf"{_BORN_THEN}({_YEAR})", re.I),
    # "What year were you born?" | "1931.", "When was she born? Um, nineteen thirty."
    re.compile(
        rf"\b(?:what\s+year|when)\b[^?.!]{{0,30}}\bborn\s*\?\s*(?:(?:um+|uh+|oh|well|like|about|i\s+think|m+-?h+m+|"
        rf"okay|yeah|in)[,.\s]+)*({_YEAR})",
        re.I,
    ),
    # "year of birth, 1931", "my birth year is 1931", "date of birth: 1931"
    re.compile(rf"\b(?:year\s+of\s+birth|birth\s*year|date\s+of\s+birth)[\s,:]*(?:(?:is|was)\s+)?({_YEAR})", re.I),
]
# A decade of birth: "born in the 1930s", "born in the early thirties", "born in the late '20s", "nineteen thirties".
_DECADES = "tens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties"
_PART = {"early": 0, "mid": 4, "late": 7}
_DECADE_SAID = (
    rf"(?:(?:early|mid|late)[- ]?)?(?:1[89]\d0['’]?s|['’]?[1-9]0['’]?s|(?:(?:eighteen|nineteen)[- ])?(?:{_DECADES}))"
    r"(?![\w'’])"
)
BORN_DECADE = re.compile(rf"\bborn(?:[\s,]+(?:in|back|around|about|sometime|during|the))*[\s,]+({_DECADE_SAID})", re.I)
# A year with her age then, which tells the year she was born: "I was ten in 1940", "In 1935 she was only five".
_AGE_THEN = rf"\d{{1,2}}|(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|{_UNITS}"
_WHO_THEN = (
    rf"(?:\b(?:i|she|he)|\b(?:my|her|his)\s+(?:\w+\s+)?(?:{_KIN}))\s+(?:was|turned)\s+(?:only\s+|just\s+|about\s+)?"
)
AGED_IN = [
    re.compile(rf"{_WHO_THEN}(?P<age>{_AGE_THEN})(?:\s+years?\s+old)?,?\s+in\s+(?P<year>{_YEAR})", re.I),
    re.compile(
        rf"\bin\s+(?P<year>{_YEAR}),?\s+{_WHO_THEN}(?P<age>{_AGE_THEN})"
        r"(?=\s*(?:[.,;:!?]|$)|\s+(?:years?|and|when|so|but|then)\b)",
        re.I,
    ),
]


def only_where_said(text: str) -> bool:
    """``text`` is an age over 89, a year or a decade alone ("92", "ninety-two", "1931", "the 1930s"): a number that is
    one only where it was said, never searched for elsewhere ("Room 92", "the church was built in 1931" stay)."""
    said = text.strip()
    return is_age_over_89(said) or any(re.fullmatch(p, said, re.I) for p in (_YEAR, _DECADE_SAID))


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


def decade_of(said: str, year: int) -> int | None:
    """The first year of the decade (or of its early, mid or late part) "1930s", "the late '20s", "nineteen thirties",
    "thirties" stands for, said in ``year``; None where this century's is as likely ("the twenties" in 2026)."""
    words = said.lower().replace("-", " ").split()
    last, names = re.sub("['’]", "", words[-1]), _DECADES.split("|")
    if last in names:
        first = (1800 if "eighteen" in words else 1900) + 10 * (names.index(last) + 1)
        centuryless = not {"eighteen", "nineteen"} & set(words)
    else:
        digits = last.removesuffix("s")
        first = int(digits) if len(digits) == 4 else 1900 + int(digits)
        centuryless = len(digits) != 4
    if centuryless and first + 100 <= year:
        return None  # "the twenties" in 2026: her own child's decade as likely as her grandmother's
    return first + _PART.get(words[0], 0)


def _value(said: str) -> int:
    """An age said "10", "ten", "twenty-two"."""
    if said.isdigit():
        return int(said)
    return sum(_YEAR_VALUES[w] * (10 if w in _TENS.split("|") else 1) for w in re.split(r"[- ]+", said.lower()))


def find_birth_years(text: str, year: int) -> list[Span]:
    """Each year of birth in ``text`` that makes whoever was born then 90 or older in ``year`` (the session's): Safe
    Harbor takes the year too where it reveals an age over 89 ("born in 1931", said in 2026), and so a decade of birth
    whose first years do ("born in the 1930s"), and a year said with her age then ("I was ten in 1940"). A later year
    of birth, and a year that is no one's birth ("we moved in 1931"), stay."""
    found: list[tuple[int, int, int]] = []  # start, end, the year she was born (the earliest the words allow)
    for pattern in BORN:
        found += [(*m.span(1), year_of(m.group(1))) for m in pattern.finditer(text) if _of_the_1900s(m.group(1), year)]
    for match in BORN_DECADE.finditer(text):
        first = decade_of(match.group(1), year)
        if first is not None:
            found.append((*match.span(1), first))
    for pattern in AGED_IN:
        for match in pattern.finditer(text):
            if _of_the_1900s(match.group("year"), year):
                found.append((*match.span("year"), year_of(match.group("year")) - _value(match.group("age"))))
    spans = {
        (start, end): Span(start, end, "DATE", "pattern", text[start:end], 0.9)
        for start, end, born in found
        if 90 <= year - born <= 119
    }
    return sorted(spans.values(), key=lambda s: s.start)


def _of_the_1900s(said: str, year: int) -> bool:
    """A year said "'10" in 2026 is 2010 as likely as 1910: not read as either."""
    return said[:1] not in "'’" or year_of(said) + 100 > year
