"""Names a person was called by, in naming phrases the general cues (context.py, persons.py) do not read: Caribbean
English's subject pronoun as the one called ("they call she sugar", "they does call he bishop"), a name said as two
letters after a call ("everyone called him c j"), and a working name after where it was used ("on the ads i was
honey", "i was on the ads as peaches"). What is said of someone ("they called him stupid") is never a name here.
"""

from __future__ import annotations

import re

import numpy as np

from fieldvault.redact.context import RELATIONS, VERDICTS
from fieldvault.redact.lexicon import (
    HONORIFICS,
    INFORMAL,
    NAME_WORDS,
    PEOPLES,
    PERSON_WORDS,
    STOPWORDS,
    WORD_NAMES,
    base_word,
    dictionary,
    first_names,
    gradable,
    is_hard_negative,
    word_frequency,
)
from fieldvault.redact.model import id2label, states
from fieldvault.redact.patterns import SPOKEN_NUMBERS
from fieldvault.redact.persons import NAMED_WORD_CONFIDENCE, bare_person
from fieldvault.redact.spans import Span

_WORD = r"([A-Za-z][a-z'’-]+|[A-Z][A-Za-z'’-]+)"
_CLAUSE_END = r"(?=\s*[,.;!?]|\s*$|\s+(?:and|but|because|cause|she|he|they|who)\b)"
# "they call she sugar, she was kind": in Caribbean English "she" and "he" are also the one called; only a word that a
# clause's end follows is taken ("when i called he answered" has a verb there, and no comma after it).
# Krio's and Nigerian and Cameroonian Pidgin's "am" ("they call am general, he take everything") is the same slot.
CALLED_PRONOUN = re.compile(rf"\b(?:call|calls|called|calling)\s+(?:she|he|am)\s+{_WORD}(?=\s*[,.;!?]|\s*$)", re.I)
# "everyone called him c j, he said": two letters said one by one after a call or a name.
CALLED_LETTERS = re.compile(
    rf"\b(?:called|call|calls|calling|known\s+as|go\s+by|goes\s+by|went\s+by|name\s+(?:is|was))\s+"
    rf"(?:(?:him|her|me|them|she|he)\s+)?([a-z]\s+[a-z])(?![\w'’.]){_CLAUSE_END}",
    re.I,
)
# "my boyfriend t j, travis, he ...": two letters said one by one after a relation, as after a call.
RELATION_LETTERS = re.compile(
    rf"\b(?:my|her|his|our|their)\s+(?:ex\s+|old\s+|new\s+)?(?:{RELATIONS})\s+([a-z]\s+[a-z])(?![\w'’.]){_CLAUSE_END}",
    re.I,
)
# Where a working name was used, then the name: "out there i was bambi", "on the ads i was honey", "i was on the
# site as peaches".
_WHERE = (
    r"(?:on\s+the\s+(?:ads?|site|sites|app|apps|street|streets|track|stroll|block|internet|blade|game)|out\s+there|"
    r"online|on\s+there|in\s+the\s+life|at\s+the\s+(?:club|motel|spa|parlou?r)|"
    # a site she was sold on, by its name: "put me on Craigslist as Summer" (unseen77)
    r"on\s+(?:craigslist|backpage|skip\s*the\s*games|megapersonals|listcrawler|eros|tryst|onlyfans|tinder|"
    r"instagram|facebook|snapchat|twitter|whatsapp|telegram))"
)
# What a speaker says while finding the word: "named, uh, peach", "on the sites as, um, dakota".
_FILLER = r"(?:\s*,?\s*(?:um+|uh+|er|erm|like|you\s+know)\s*,?)"
# The same with a filler said after "on": "put me on, like, the sites, as ...".
_WHERE_SAID = _WHERE.replace(r"on\s+the\s+", rf"on{_FILLER}*\s+the\s+")
WORKING_NAME = re.compile(
    rf"(?:^|[.!?;:,]\s*|\b(?:and|but|so|then)\s+){_WHERE}\s*,?\s+(?:i|she|we)\s+(?:was|went\s+by)\s+{_WORD}{_CLAUSE_END}",
    re.I,
)
WORKING_NAME_AS = re.compile(
    rf"\b(?:(?:i|she|we)\s+(?:was|were|went)|(?:put|posted|listed|advertised|sold|had|has|have|kept|got)\s+"
    rf"(?:me|her|us|them))\s+{_WHERE_SAID}\s*,?\s+as{_FILLER}?\s+{_WORD}{_CLAUSE_END}",
    re.I,
)
# "he posted me as, um, lychee, like the fruit", "they listed her as candy": posting someone as a word names her,
# wherever; "put me on, like, the sites, as snow bunny": a working name of two words, the clause's end after it.
POSTED_AS = re.compile(
    rf"\b(?:posted|listed|advertised)\s+(?:me|her|us|them)(?:\s+online)?\s+as{_FILLER}?\s+{_WORD}{_CLAUSE_END}", re.I
)
WORKING_TWO = re.compile(
    rf"\b(?:(?:i|she|we)\s+(?:was|were|went)|(?:put|posted|listed|advertised|had|got)\s+(?:me|her|us|them))\s+"
    rf"{_WHERE_SAID}\s*,?\s+as{_FILLER}?\s+([A-Za-z][a-z'’-]+\s+[A-Za-z][a-z'’-]+)(?=\s*[,.;!?]|\s*$)",
    re.I,
)
# The name a speaker says she goes by, before it: "precious is my church name", "candy was my name on the ads",
# "Rain is her street name".
NAME_BEFORE_MINE = re.compile(
    rf"(?:^|[.!?;:,]\s*|\b(?:and|but|so|then)\s+){_WORD}\s+(?:is|was)\s+(?:my|her|his|their|our)\s+"
    rf"(?:(?:real|church|street|stage|working|work|home|nick|pet|baby|christian|english|new|other|online|"
    rf"fake|first|last|middle|family|maiden|given|pen|code)\s+)?name\b",
    re.I,
)
# What says why a name was given, right after it: "my nickname is baby because i was the last" (unseen80).
_WHY_NAMED = r"\s+(?:because|cause|cuz|since)\b"
# The name after what kind of name it was: "real name clement hinds", "her pseudonym was sunflower", "nickname: boo"
# ("her pseudonym, sunflower" is left: the list rule of places.coordinated would take "pseudonym" beside the name).
NAME_AFTER_KIND = re.compile(
    rf"\b(?:real|legal|government|birth|church|street|stage|code|pen)\s+name\s*[,:]?\s+{_WORD}"
    rf"(?:\s+([A-Za-z][a-z'’-]+))?(?=\s*[,.;!?]|\s*$)"
    rf"|\b(?:pseudonym|alias|nickname|nick\s+name)\s*(?::|\s+(?:is|was))\s*{_WORD}(?=\s*[,.;!?]|\s*$|{_WHY_NAMED})",
    re.I,
)
# Where a working name was used, said between "my name" and the name: "my name on there was cinnamon", "her name on
# the ads was, um, honey", "my name there, sugar, and ..."; and a name given there: "they gave me a new name there:
# pinky" (after a colon or "was", a pause or the clause's end must follow the one word).
_NAME_WHERE = (
    r"(?:on\s+there|there|in\s+there|online|out\s+there|on\s+(?:the\s+|that\s+|my\s+)?(?:ads?|site|sites|app|apps|page|"
    r"profile|street|streets|internet|website|account|phone|card|papers|passport))"
)
NAME_THERE = re.compile(
    rf"\b(?:my|her|his|our|their)\s+(?:(?:new|other|work|working|street|fake)\s+)?name\s+{_NAME_WHERE}\s*"
    rf"(?:,|:|\s(?:was|is|became))(?:{_FILLER}|\s)*\s*{_WORD}{_CLAUSE_END}"
    rf"|\b(?:gave|give|gives|giving|given)\s+(?:me|her|him|us|them|each\s+girl|every\s+girl)\s+(?:a|the)\s+"
    rf"(?:new\s+|different\s+|other\s+|fake\s+)?name\s*(?:there|here|then)?\s*(?::|,)\s*{_WORD}{_CLAUSE_END}",
    re.I,
)
# The name, then that it was hers: "sugar, that was my name there", "ruby, that's her street name".
NAME_THAT_WAS = re.compile(
    rf"(?<![\w'’-]){_WORD}\s*,\s+that(?:['’]s|\s+is|\s+was)\s+(?:my|her|his|their)\s+"
    rf"(?:(?:real|church|street|stage|working|work|home|nick|new|other|online|fake)\s+)?name\b",
    re.I,
)
# A name one gave oneself: "he called himself, um, big cat", "she calls herself queenie": one word, or two up to the
# clause's end.
CALLED_SELF = re.compile(
    rf"\b(?:call(?:ed|s|ing)?|name[ds]?)\s+(?:himself|herself|themselves|themself|myself)(?:{_FILLER}|\s)*\s*"
    rf"{_WORD}(?:\s+([A-Za-z][a-z'’-]+))?{_CLAUSE_END}",
    re.I,
)
# A naming said with a filler before the name: "a girl named, uh, peach", "they called him, um, dre" (the cues of
# context.py read the name only right after the naming word).
NAMED_FILLER = re.compile(
    rf"\b(?:named|nicknamed|call(?:ed|s)?\s+(?:her|him|me|them)|name\s+(?:is|was)|known\s+as|went\s+by|goes\s+by|"
    rf"go\s+by){_FILLER}+\s*{_WORD}{_CLAUSE_END}",
    re.I,
)
# "and mummy rose was charged": a name after a kin word said as a title ("mummy" for a madam or an older woman in
# Singapore, Malaysia, West Africa; "mama", "papa", "baba" for elders): a name by the lists, or a capital.
KIN_TITLE = re.compile(
    rf"\b(?:mummy|mommy|mammy|mami|mama|papa|baba|auntie|aunty|kuya|tita|tito|lola|lolo|manang|manong)\s+{_WORD}"
    rf"|(?:,\s*|\b(?:my|our|her|his)\s+)ate\s+{_WORD}(?=\s*,)",
    re.I,
)
# Who is phoned for something: "the manager he would call blessed for girls", "i'd text dre to bring it".
CALLED_FOR = re.compile(
    rf"\b(?:call|calls|called|calling|phone|phoned|ring|rang|text|texts|texted|message|messaged)\s+{_WORD}\s+"
    rf"(?:for\s+(?:girls|more|the|a|an|some|me|us|her|him|them)|to\s+(?:bring|send|come|pick|get|fetch))\b",
    re.I,
)
# "Mr. sumo, he ...": after mister, missus or ms any word is a person's name, lowercase too ("miss" is a verb as often,
# "dr. pepper" a drink: not those).
MISTER = re.compile(rf"\b(?:mr|mrs|ms|mister|missus)\.?\s+{_WORD}", re.I)
# The name before what everybody called her: "cricket, that's what everybody called her", "marquise, they called him
# quise" (context.py takes "smoke, they called him" only when no second name follows).
NAME_THEN_CALLED = re.compile(
    rf"(?:^|[.!?;:,]\s*|\b(?:and|but|so|then)\s+){_WORD},\s+(?:that['’]s\s+what\s+|that\s+is\s+what\s+)?"
    rf"(?:they|we|everybody|everyone|people|the\s+girls|the\s+guys|the\s+others)\s+(?:all\s+)?"
    rf"(?:called|call|calls)\s+(?:him|her|me|them)\b",
    re.I,
)
# The other names after a call: "they called him quise, or just q", "we call her tee, or t-bone".
CALLED_OR = re.compile(
    rf"\b(?:called|call|calls)\s+(?:him|her|me|them)\s+[A-Za-z][\w'’-]*\s*,?\s+or\s+(?:just\s+|sometimes\s+)?"
    rf"([A-Za-z](?![\w'’])|[A-Za-z][a-z'’-]+|[A-Z][A-Za-z'’-]+){_CLAUSE_END}",
    re.I,
)
# "my mummy's boyfriend, slim, he ...", "pedro brother, chino, he run ...": a word set off by commas between what a
# person is to someone and a clause about him. Words for how he was stand there too ("my brother, drunk, he hit me"):
# the model must read the word as a person's name (SURE_APPOSED), and no adjective with degrees is taken.
APPOSED = re.compile(rf"\b(?:{RELATIONS})\s*,\s+{_WORD}\s*,\s+(?:he|she|who|they)\b", re.I)
# The same between a word for who someone was to her and a clause: "the victim advocate, june, she held my hand",
# "my boyfriend gent, he said" (no comma before the name after a possessive and a relation).
_ROLE = (
    r"(?:woman|lady|guy|dude|girl|boy|man|worker|driver|manager|advocate|officer|nurse|doctor|teacher|mamasan|madam|"
    r"neighbou?r|bartender|barman|barmaid|bouncer|landlord|landlady|owner|recruiter|agent|cook|chef)"
)
_APPOSED_TAIL = r"(?:he|she|who|they|took|came|got|kept|sold|brought|drove|gave|ran|owned|said|told|[a-z]+ed)\b"
APPOSED_ROLE = re.compile(
    rf"\b(?:the|a|an|this|that)\s+(?:\w+\s+)?{_ROLE}(?:\s+[^,.;!?]{{1,30}}?)?\s*,\s+{_WORD}\s*,\s+{_APPOSED_TAIL}",
    re.I,
)
# A word set off between who someone was and what she did, a past tense: "my daughter, lose, danced in the group", "a
# german man, dieter, paid her for me", "his woman, spice, handled the money". English sets off an adverb or a
# description there too ("my brother, drunk, hit me", "my mom, again, called"): see _apposed_doer.
_PAST = (
    r"(?:[a-z]+ed|ran|came|went|got|left|took|made|gave|told|knew|sat|stood|sent|kept|held|brought|bought|paid|met|"
    r"drove|hit|cut|put|let|set|lost|won|wrote|spoke|broke|fell|found|taught|caught|fought|sold|slept|sang|began|"
    r"became|beat|bit|built|chose|dealt|drew|fed|flew|forgot|grew|had|hid|hung|led|lent|meant|rang|rode|rose|"
    r"said|saw|shot|shut|spent|stole|struck|swore|threw|understood|woke|wore|did|was|is|has)"
)
APPOSED_DOING = re.compile(
    rf"\b(?:my|her|his|our|their|a|an|the|this|that|another)\s+(?:[a-z]+\s+)?(?:{RELATIONS}|{_ROLE})"
    rf"(?:\s+(?:from|at|in|of)\s+[^,.;!?]{{1,25}}?)?\s*,\s+{_WORD}\s*,\s+"
    rf"(?:{_PAST}\b|no\s*,|and\s+(?:her|his)\s+(?:{RELATIONS})\b)",
    re.I,
)
# A possessive right after a relation names the relation: "my friend chichi's brother sells", "her cousin bo's car"
# (English says "my friend's brother" otherwise).
RELATION_OWNER = re.compile(
    r"\b(?:my|her|his|our|their)\s+(?:best\s+|old\s+|ex\s+)?(?:friend|cousin|sister|brother|aunt|auntie|aunty|uncle|"
    r"niece|nephew|neighbou?r|roommate|boyfriend|girlfriend)\s+([A-Za-z][a-z]+)['’]s\s+(?!own\b)[a-z]+",
    re.I,
)
# A working name the ads were under: "the ads, um, they were under, like, honey", "her profile was under sweet pea".
UNDER_NAME = re.compile(
    rf"\b(?:ads?|posts?|profiles?|listings?|accounts?|pages?)\b[^.;!?]{{0,25}}?\b(?:was|were|is|are|went)\s+under"
    rf"(?:{_FILLER}|\s)*\s*{_WORD}{_CLAUSE_END}",
    re.I,
)
APPOSED_BARE = re.compile(
    rf"\b(?:my|her|his|our|their)\s+(?:ex\s+|old\s+|new\s+)?(?:{RELATIONS})\s+{_WORD}\s*,\s+(?:he|she|who|they)\b", re.I
)
# A call of someone named by who she is: "the girls called the old head out there goose", "we called the manager
# pops" (what is said of someone, "called the guy stupid", is no name: VERDICTS).
CALLED_ROLE = re.compile(
    rf"\b(?:called|call|calls|calling)\s+(?:the|this|that|my|our|his|her|their)\s+(?:[a-z]+\s+)?"
    rf"(?:{_ROLE}|head|boss|owner|kid|pimp|bouncer)(?:\s+(?:out\s+there|there|back\s+then|at\s+the\s+\w+))?\s+"
    rf"{_WORD}{_CLAUSE_END}",
    re.I,
)
# A name's owner had another: "Blessed's real name is Terrence", "and smoke, his real name was dalton", "Chico, whose
# real name was Ramon", "Boxer, real name Tomasz".
ALIAS = re.compile(
    rf"(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\blike )(?<!\bmy )(?<!\bour )\b{_WORD}"
    rf"(?:(?:['’]s|(?<=s)['’])\s*(?:real|legal|government|birth|full)|\s*,\s+(?:his|her|their|whose)?\s*"
    rf"(?:real|legal|government|birth)|\s*\(\s*(?:his|her|their)\s+(?:real|legal|government|birth|full))\s+name\b",
    re.I,
)
SURE_APPOSED = 0.5
_READ_BEFORE = 60  # characters the model reads before the word: its clause, not the passage (a long run dulls it)
# "the girls in the house were sugar, rain, and a girl they called lexi": names listed after who they were, the
# list ending in "and". Taken only where every item is one word that is no description and one is a name by the
# lists (or a capital mid-sentence): "the girls were tired, hungry, and scared" is no list of names.
_WHO = r"(?:girls|women|ladies|guys|men|boys|kids|others|workers|roommates|names)"
LISTED = re.compile(
    rf"\b{_WHO}\b[^.;!?]{{0,40}}?\b(?:were|are)\s+((?:[A-Za-z][\w'’-]*\s*,\s*)+[A-Za-z][\w'’-]*)\s*,?\s+and\b", re.I
)
# Words for what someone was like, not who: "out there i was lucky", "online she was sweet".
_DESCRIBING = {"rich", "frank", "precious", "sunny", "unique", "major", "misty", "stormy", "heavenly", "royal",
               "sincere", "will", "may", "passion", "lucky", "young", "new", "known", "there", "here",
               "alone"}  # fmt: skip
# What follows "as" besides a name: "i was on the street as usual", "online as well".
_AS_WORDS = {"usual", "well", "before", "always", "ever", "such", "normal", "myself", "herself", "usually", "often"}


def _called(word: str) -> bool:
    lowered = base_word(word).lower()
    if lowered in STOPWORDS or is_hard_negative(word) or lowered in VERDICTS or len(lowered) < 2:
        return False
    return not (word.islower() and lowered.endswith(("ed", "ly", "ing")) and lowered in dictionary()[0])


def _working_name(word: str) -> bool:
    """A name, not how she felt: a word names use, or no everyday word ("bambi")."""
    lowered = base_word(word).lower()
    if not _called(word) or lowered in _DESCRIBING:
        return False
    return lowered in WORD_NAMES or lowered in first_names() or lowered not in dictionary()[0]


def _named_as(word: str, said: str = "") -> bool:
    """After "on the ads as": the phrase names her, so an everyday word is a name too ("as tulip"), but no idiom, and
    after "us" or "them" (``said``: the words before) no plural of an everyday word, what they were sold as ("had us
    on craigslist as escorts"; "me ... as peaches" is her name)."""
    lowered = base_word(word).lower()
    many = re.search(r"\b(?:us|them)\b", said, re.I) is not None and _plural(lowered)
    return _called(word) and lowered not in _DESCRIBING | _AS_WORDS and not many


def _plural(word: str) -> bool:
    ordinary = dictionary()[0]
    return word.endswith("s") and (word[:-1] in ordinary or word[:-2] in ordinary)


def _read_as_name(text: str, start: int, end: int) -> bool:
    """Whether the model, reading the words around ``text[start:end]``, gives its pieces a person's name labels."""
    left = max(0, start - _READ_BEFORE)
    read = states(text[left : min(len(text), end + 60)])
    person = np.array([id2label()[i].split("-", 1)[-1] in ("GIVEN_NAME", "SURNAME") for i in range(len(id2label()))])
    chances = [float(row[person].sum()) for (a, b), row in zip(read.offsets, read.probabilities, strict=True)
               if b > a and left + a < end and start < left + b]  # fmt: skip
    return bool(chances) and max(chances) >= SURE_APPOSED


def _apposed(text: str, match: re.Match[str]) -> bool:
    """A word set off between who someone is and a clause about him: a first name the lists hold, or a word the model
    reads as a name there."""
    word = match.group(1)
    lowered = base_word(word).lower()
    if not _called(word) or lowered in INFORMAL | PEOPLES or (gradable(lowered) and lowered not in first_names()):
        return False  # "my brother, drunk, he hit me"; "the bartender, rusty, he'd set up the dates" is a name
    return lowered in first_names() or _read_as_name(text, match.start(1), match.end(1))


# Words set off after who someone was that say when, how or what she was, not who: "my mom, again, called".
_NOT_APPOSED = {"again", "anyway", "though", "however", "meanwhile", "alone", "pregnant", "female", "male", "married",
                "single", "naked", "asleep", "awake", "alive", "dead", "home", "outside", "inside", "upstairs",
                "downstairs", "later", "once", "twice", "first", "finally", "instead", "apparently", "sometimes",
                "obviously", "yes", "yeah", "no", "okay", "ok", "right", "well", "too", "also", "even", "still",
                "broke", "jealous", "furious", "hungry", "himself", "herself", "themselves", "sir", "madam", "maam",
                "ma'am", "mate", "bro", "dude", "man", "boss", "lady", "girl", "guy", "miss"}  # fmt: skip


def _apposed_doer(word: str) -> bool:
    """A word set off before what someone did is her name when it is no description, adverb, number, kin, role or
    people word ("my daughter, lose, danced"; not "my brother, drunk, hit me" nor "my aunt, sixteen, married")."""
    lowered = base_word(word).lower()
    if not _called(word) or lowered in INFORMAL | PEOPLES | _NOT_APPOSED | HONORIFICS | PERSON_WORDS:
        return False
    if lowered in SPOKEN_NUMBERS or re.fullmatch(RELATIONS, lowered) or lowered.endswith("ly"):
        return False
    if lowered.endswith("s") and lowered[:-1] in dictionary()[0]:
        return False  # a plural: "my kids, twins, were"
    return lowered in first_names() or not gradable(lowered)


def _owner(word: str) -> bool:
    """After "my friend", before "'s": a name by the lists or a word English rarely says ("chichi"), not "my friend
    group's chat"."""
    lowered = word.lower()
    return _apposed_doer(word) and (lowered in first_names() or word_frequency(lowered) < RARE_OWNER)


RARE_OWNER = 3.5  # Zipf frequency (wordfreq) below which an everyday word may be a name there


def _alias(word: str) -> bool:
    """Whose real name it was: a person's, not "my mom's", "the guy's" or "her own"."""
    lowered = base_word(word).lower()
    return _called(word) and lowered not in INFORMAL | PEOPLES | _NOT_OWNERS and not re.fullmatch(RELATIONS, lowered)


_NOT_OWNERS = {"mom", "mum", "mama", "mommy", "mummy", "dad", "daddy", "papa", "guy", "girl", "man", "woman", "lady",
               "own", "whose", "one", "everyone", "everybody", "nobody", "somebody", "someone", "baby", "kid",
               "child", "pimp", "john", "boss", "mother", "father", "grandma", "grandpa", "nana", "granny",
               "auntie"}  # fmt: skip


def _listed_item(word: str) -> bool:
    lowered = base_word(word).lower()
    plural = lowered.endswith("s") and lowered[:-1] in dictionary()[0]  # "cops, dealers, and pimps"
    return _called(word) and not (plural or gradable(lowered) or lowered in INFORMAL | PEOPLES | _DESCRIBING)


def _listed_names(match: re.Match[str]) -> list[Span]:
    items = list(re.finditer(r"[A-Za-z][\w'’-]*", match.group(1)))
    if not all(_listed_item(m.group()) for m in items):
        return []
    if not any(_working_name(m.group()) or m.group()[0].isupper() for m in items):
        return []
    offset = match.start(1)
    return [Span(offset + m.start(), offset + m.end(), "PERSON", "context", m.group(), 0.7) for m in items]


def _span(match: re.Match[str], confidence: float) -> Span:
    return Span(match.start(1), match.end(1), "PERSON", "context", match.group(1), confidence)


def find_called(text: str) -> list[Span]:
    spans = [_span(m, 0.8) for m in CALLED_PRONOUN.finditer(text) if _called(m.group(1))]
    for match in (*CALLED_LETTERS.finditer(text), *RELATION_LETTERS.finditer(text)):
        letters = match.group(1).lower().split()
        if letters[0] not in ("a", "i"):  # "called him a b...", "call me i": an article or "I" starts no initials
            spans.append(_span(match, 0.7))
    apposed = (*APPOSED.finditer(text), *APPOSED_ROLE.finditer(text), *APPOSED_BARE.finditer(text))
    for match in apposed:
        if base_word(match.group(1)).lower() in NAME_WORDS:  # "the victim advocate, june, she held my hand"
            spans.append(_span(match, NAMED_WORD_CONFIDENCE))
        elif _apposed(text, match):
            spans.append(_span(match, 0.75))
    spans += [_span(m, 0.75) for m in APPOSED_DOING.finditer(text) if _apposed_doer(m.group(1))]
    spans += [_span(m, 0.8) for m in ALIAS.finditer(text) if _alias(m.group(1))]
    spans += [_span(m, 0.75) for m in RELATION_OWNER.finditer(text) if _owner(m.group(1))]
    spans += [_span(m, 0.8) for m in UNDER_NAME.finditer(text) if _named_as(m.group(1))]
    spans += [name for m in LISTED.finditer(text) for name in _listed_names(m)]
    spans += [_span(m, 0.8) for m in WORKING_NAME.finditer(text) if _working_name(m.group(1))]
    spans += [_span(m, 0.8) for m in POSTED_AS.finditer(text) if _named_as(m.group(1))]
    spans += [_span(m, 0.8) for m in WORKING_TWO.finditer(text) if all(_named_as(w) for w in m.group(1).split())]
    spans += [_span(m, 0.8) for m in NAME_BEFORE_MINE.finditer(text) if _called(m.group(1))]
    spans += _kind_named(text)
    for match in NAME_THERE.finditer(text):
        group = 1 if match.group(1) else 2
        if _named_as(match.group(group)):
            word = match.group(group)
            spans.append(Span(match.start(group), match.end(group), "PERSON", "context", word, 0.8))
    spans += [_span(m, 0.8) for m in NAME_THAT_WAS.finditer(text) if _alias(m.group(1))]
    spans += _self_named(text)
    for match in (*WORKING_NAME_AS.finditer(text), *NAMED_FILLER.finditer(text)):
        if base_word(match.group(1)).lower() in NAME_WORDS:  # "on the sites as, um, dakota, like the state"
            spans.append(_span(match, NAMED_WORD_CONFIDENCE))
        elif _named_as(match.group(1), match.group()):
            spans.append(_span(match, 0.8))
    spans += [_span(m, 0.8) for m in MISTER.finditer(text) if _mister(m.group(1))]
    for match in KIN_TITLE.finditer(text):  # Tagalog's "ate" (older sister) only set off: "my friend, ate joy, ..."
        group = 1 if match.group(1) else 2
        if _kin_titled(match.group(group)):
            word = match.group(group)
            spans.append(Span(match.start(group), match.end(group), "PERSON", "context", word, 0.7))
    spans += [_span(m, 0.7) for m in CALLED_FOR.finditer(text) if bare_person(m.group(1))]
    spans += [_span(m, 0.8) for m in CALLED_ROLE.finditer(text) if _named_as(m.group(1))]
    spans += [
        _span(m, 0.8)
        for m in NAME_THEN_CALLED.finditer(text)
        if _alias(m.group(1)) and not gradable(m.group(1).lower())
    ]
    spans += [_span(m, 0.7) for m in CALLED_OR.finditer(text) if _or_name(m.group(1))]
    return spans


def _kind_named(text: str) -> list[Span]:
    """The name after "real name" or "pseudonym": one word, or two where the second is no everyday word or is written
    as the first ("real name clement hinds,", "real name Clement Hinds,")."""
    spans = []
    for match in NAME_AFTER_KIND.finditer(text):
        group = 1 if match.group(1) else 3
        word = match.group(group)
        if not _called(word) or base_word(word).lower() in INFORMAL:
            continue
        end = match.end(group)
        second = match.group(2) if group == 1 else None
        if second and _called(second) and (second[0].isupper() == word[0].isupper()):
            end = match.end(2)
        spans.append(Span(match.start(group), end, "PERSON", "context", text[match.start(group) : end], 0.8))
    return spans


_SIZES = {"big", "lil", "little", "young", "old", "baby", "wee", "ti", "gros"}


def _self_named(text: str) -> list[Span]:
    """The name after "called himself": one word, or two where both may be names ("big cat")."""
    spans = []
    for match in CALLED_SELF.finditer(text):
        first, second = match.group(1), match.group(2)
        if second and first.lower() in _SIZES and _named_as(second):
            end = match.end(2)  # "big cat", "lil man": a nickname keeps its size word
        elif not _named_as(first) or base_word(first).lower() in INFORMAL:
            continue
        else:
            end = match.end(2) if second and _named_as(second) else match.end(1)
        spans.append(Span(match.start(1), end, "PERSON", "context", text[match.start(1) : end], 0.8))
    return spans


def _kin_titled(word: str) -> bool:
    lowered = base_word(word).lower()
    if not _called(word) or lowered in INFORMAL | PEOPLES | HONORIFICS:
        return False
    return word[0].isupper() or lowered in first_names() or lowered in WORD_NAMES


def _mister(word: str) -> bool:
    lowered = base_word(word).lower()
    return _called(word) and lowered not in INFORMAL | PEOPLES | HONORIFICS


def _or_name(word: str) -> bool:
    """A letter (not "a" or "i") or a word a name may be, after "or just"."""
    if len(word) == 1:
        return word.lower() not in ("a", "i")
    return _named_as(word) and base_word(word).lower() not in INFORMAL
