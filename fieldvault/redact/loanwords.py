"""Words of another language said among English as common nouns: no names, whatever layer proposed them.

A speaker who code-switches uses her own language's words for kin ("my didi", "amma"), trades ("the kothi", "the
gharwali"), foods ("we eat momo and chowmein"), money ("ten thousand vatu"), languages ("i speak falam") and
greetings ("namaste, um, my name is ..."). No English list holds them, so the rare-word layer, the name lists and
the NER model propose them as names. What gives them away is English syntax, not a list of the words:
- a determiner or "my" right before the word, and after it nothing a name takes (`determined`: "the kothi was in",
  "two didis at night", "the didi from the office", "in the kombi."); a venue is kept by what follows it ("the winco
  in gresham", "the khanyisa office") or by its English make ("whataburger", "walmart": `coined`), a body by its
  letters ("the rcmp", "the psni");
- the word glossed: with a kin or a role word ("we call her amma, like mother"), or translated ("zikomo, that is
  thank you");
- a thing eaten, cooked or sold, right after the verb and its subject (`eaten`: "they eat momo and chowmein");
- a count of money ("two thousand maloti"), a language spoken ("i speak hakha chin");
- a greeting that opens her own introduction (rare.greeting: "sawubona, um, i'm nomvula");
- the same word used as a common noun elsewhere in the same transcript.
Only words no English dictionary holds are read here; a determiner or a use elsewhere only where they are written
without capitals (in a cased transcript a capital is the writer's naming cue: "the Nomin was hiring"). A naming cue
right before the word ("called", "named") keeps it, but for a gloss.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fieldvault.redact.lexicon import PERSON_WORDS, STOPWORDS, base_word, dictionary, first_names, last_names, peoples
from fieldvault.redact.rare import PAST, greeting
from fieldvault.redact.spans import Span

# Sources whose spans are judged here: the rare-word layer, the NER model, the name and place lists, the learned head,
# capitalised words (cased: "I speak Khalkha").
GATED = ("rare", "model", "gazetteer", "head", "proper-noun")
LABELS = ("PERSON", "ORG", "LOCATION")
# Words that make a common noun of the word right after them. "her", "his", "their" and "our" are left out: "we
# call her amma" names her, and "our chelsea" is a sister in the north of England.
ARTICLES = {"a", "an", "another", "every", "each", "the", "this", "that", "no"}
# Words of degree make an adjective of the word after them: "sumiati is too kampung, they say" (too village).
DEGREES = {"too", "very"}
POSSESSIVES = {"my", "your"}
COUNTS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "many", "few", "several", "other",
          "all", "both", "those", "these", "some", "any"}  # fmt: skip
DETERMINERS = ARTICLES | POSSESSIVES | COUNTS | DEGREES
# Determiners that make a common noun only right before it, no comma or filler between ("no mushola", "too ndeso").
BARE = DEGREES | {"no"}
# Fillers a speaker puts between a determiner and its noun ("the, like, the kothi", "the, um, gharwali").
FILLERS = {"um", "uh", "er", "erm", "ah", "like", "hmm"}
# Before the determiner, a landmark's preposition: "by the carenage", "near the bhatbhateni" name a place.
LANDMARK = {"by", "near", "outside", "behind", "opposite", "across", "past", "along", "beside", "towards", "toward",
            "around", "beyond"}  # fmt: skip
# After a venue's name, where it is: "the winco in gresham", "the tesco by the station", "the petro off the highway".
WHERE = {"in", "on", "by", "off", "near", "at", "outside", "behind", "opposite", "across", "up", "down", "over"}
# People a word of another language says what kind they are of: "the kombi drivers", "the motoconcho guys".
CROWDS = {"drivers", "guys", "ladies", "girls", "boys", "men", "women", "people", "workers", "dem", "folks"}
# Naming cues right before the word: "a woman he called didi" may name her.
NAMING = {"called", "call", "calls", "named", "nicknamed", "aka", "name", "name's", "i'm", "am", "me"}
# The starts of English syllables: a word that begins with two consonants outside them is read letter by letter, an
# agency's initials ("the rcmp", "the psni", "the ttps").
ONSETS = {
    "bl", "br", "ch", "cl", "cr", "dr", "dw", "fl", "fr", "gh", "gl", "gr", "kh", "kl", "kn", "kr", "ph", "pl", "pr",
    "qu", "rh", "sc", "sh", "sk", "sl", "sm", "sn", "sp", "st", "sv", "sw", "th", "tr", "ts", "tw", "wh", "wr", "zh",
    "ny", "ng", "mb", "nd", "nj", "nz", "mp", "hl", "dl", "tl", "bh", "dh", "jh",
}  # fmt: skip
# Kin and role words a foreign word is glossed with ("amma, like mother", "didi, it means big sister").
GLOSS_WORDS = PERSON_WORDS | {
    "sister", "brother", "mother", "father", "grandmother", "grandfather", "granny", "gran", "auntie", "aunty",
    "boss", "madam", "owner", "landlady", "landlord", "teacher", "elder", "broker", "mama", "mum", "mummy", "papa",
    "daddy", "sir", "miss", "lady", "man", "woman", "girl", "boy", "friend", "cousin",
}  # fmt: skip
_FILL = r"(?:\s*,?\s*(?:um|uh|er|like)\b)*\s*,?\s*"
_LIKE_KIN = re.compile(
    rf"\s*,{_FILL}(?:like|meaning|means|which\s+means|it\s+means|that\s+means|i\s+mean){_FILL}"
    r"(?:(?:a|an|my|our|your)\s+)?(?:(?:big|older|elder|younger|little|small|eldest|oldest)\s+)?([a-z]+)\b",
    re.I,
)
# A translation said right after the word: "zikomo, that is thank you", "waewaenen, that's, uh, thank you".
_TRANSLATED = re.compile(
    rf"\s*,{_FILL}(?:that\s+is|that['’]s|it\s+means|which\s+means|that\s+means|means|meaning|in\s+english){_FILL}"
    r"(?:to|thank|thanks|hello|hi|goodbye|bye|please|sorry|yes|no|good|welcome|sister|brother|mother|father)\b",
    re.I,
)
_MEAL_VERB = (
    r"(?:eat|eats|ate|eating|drink|drinks|drank|drinking|cook|cooks|cooked|cooking|fry|fries|fried|bake|bakes|"
    r"baked|chew|chews|chewing|brew|brews|brewed|play|plays|played|playing|dance|dances|"
    r"danced|dancing|wear|wears|wore|wearing|sing|sings|sang|singing)"
)
_EATER = (
    r"(?:i|we|they|you|he|she|who|and|people|everyone|everybody|to|would|will|used\s+to|also|always|just|usually|"
    r"still|sometimes|now|"
    r"often|never|was|were|is|are|am|been|be|mom|mum|mother|mama|mommy|mummy|nana|nan|gran|granny|grandma|"
    r"grandmother|aunt|aunty|auntie|sister|dad|father|papa|uncle|wife|husband)"
)
# One or two words, no stopword ("gato piment", "fat cakes"), then "and", "or" or a comma ("with" may bring a person:
# "we ate momo with tuya").
_WORD = r"(?!(?:with|to|for|at|in|on|from|by|me|us|him|her|them|and|or)\b)[a-z]+"
_ITEM = rf"(?:{_WORD}\s+)?{_WORD}\s*(?:,|\band\b|\bor\b)\s*(?:,?\s*(?:um|uh|like)\b\s*,?\s*)*"
_ITEMS = rf"(?:(?:some|the|a|little|more|lots\s+of)\s+)?(?:{_ITEM}){{0,3}}$"
_EATEN = re.compile(
    rf"\b(?:{_EATER}\s+{_MEAL_VERB}|(?:lunch|dinner|breakfast|supper|food|meal|snack)\s+(?:was|is|were))\s+{_ITEMS}",
    re.I,
)
_MONEY = re.compile(
    r"(?:\b(?:hundred|thousand|million|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|[0-9][0-9,.]*)|\d)\s+$",
    re.I,
)
_SPOKEN = re.compile(
    r"\b(?:speak|speaks|spoke|speaking|learn|learned|learning|talk|talks)\s+(?:(?:a\s+)?(?:little|bit\s+of|some|"
    r"only|just|good|fluent|bad)\s+)*(?:[a-z]+\s*(?:,|\band\b|\bor\b)\s*)*$",
    re.I,
)
_TOKENS = re.compile(r"[a-z][a-z'’-]*|[^\sa-z]", re.I)


def _before(text: str, start: int, count: int = 4) -> list[str]:
    """The tokens (words and punctuation, lowercased) before ``start``, fillers and the commas beside them left out,
    a determiner said twice once ("the, the kothi")."""
    kept: list[str] = []
    for token in (m.group().lower() for m in _TOKENS.finditer(text, max(0, start - 80), start)):
        if token in FILLERS:
            while kept and kept[-1] == ",":
                kept.pop()
            continue
        if token == "," and kept and kept[-1] in DETERMINERS - BARE:  # noqa: S105 (a comma, no password)
            continue
        if kept and token == kept[-1] and token in DETERMINERS:
            continue
        kept.append(token)
    return kept[-count:]


_POSSESSIVE = re.compile(r"['’]s\b")


def _after(text: str, end: int) -> str:
    match = _TOKENS.search(text, end)
    return match.group().lower() if match else ""


def foreign(word: str, cased: bool = False) -> bool:
    """A word no English dictionary holds (its plural's "s" allowed), of three letters or more, written without
    capitals unless ``cased``: a word of another language or a name, which the syntax around it decides."""
    lowered = base_word(word)
    if not lowered.isalpha() or len(lowered) < 3 or not (cased or lowered.islower()):
        return False
    lowered = lowered.lower()
    ordinary = dictionary()[0]
    return lowered not in ordinary and not (lowered.endswith("s") and lowered[:-1] in ordinary)


def coined(word: str) -> bool:
    """A name made of English ("whataburger", "safeway", "walmart", "bogside", "travelodge": two English words, an
    English word of four letters or more at its end after three letters or more ("warung" is no "wa" and "rung"), or
    of five or more at its start before three letters at most),
    or initials ("rcmp", "psni", "fbi": three letters or fewer, or two consonants no English syllable starts with): a
    business's, a body's or a place's name."""
    lowered = base_word(word).lower()
    if len(lowered) <= 3:
        return True
    if not any(v in lowered for v in "aeiouy") or (lowered[1] not in "aeiouy" and lowered[:2] not in ONSETS):
        return lowered[0] not in "aeiouy"
    ordinary = dictionary()[0]
    stem = lowered[:-1] if lowered.endswith("s") else lowered
    split = any(stem[:n] in ordinary and stem[n:] in ordinary for n in range(3, len(stem) - 2))  # "safe|way"
    end = any(stem[-n:] in ordinary for n in range(4, len(stem) - 2))  # "wal|mart"; not "wa|rung" (a warung)
    start = any(  # "budget|el", "president|e"; not a plural ("mamas|an") nor a long rest ("marsh|rutka")
        stem[:n] in ordinary and not (stem[n - 1] == "s" and stem[: n - 1] in ordinary)
        for n in range(max(5, len(stem) - 3), len(stem) - 1)
    )
    return split or end or start


def _verb(word: str) -> bool:
    """A verb in the past or in -ing after the word ("the kothi was", "the didis made", "the nomin was hiring"), not an
    adjective in -ly ("the piggly wiggly")."""
    return word in PAST or (len(word) > 4 and word.endswith(("ed", "ing")) and word in dictionary()[0])


# A verb and the person it was done to: after "that", the word before it is a clause's subject ("after that lakeisha
# took me"), no thing "that" points at.
_DOES_TO = re.compile(r"\s+[a-z]+\s+(?:me|us|her|him|them)\b", re.I)


def determined(text: str, span: Span) -> bool:
    """A determiner right before, and after it nothing a name takes: punctuation, the end, a stopword or a verb, but
    not where the place is ("the kothi was", "two didis at night", "the didis made"; not "the winco in gresham", "by
    the carenage"), nor
    a name in apposition to what was just said ("on the road, the domitiana, we stand there"). A
    count makes a common noun of a plural only ("two didis"); a possessive of no given name ("my didi", not "my
    lorna", a name ASR dropped a kin word before); "that" of no given name and of no one who does something to someone
    ("after that marisol took me", "that lakeisha told her")."""
    before = _before(text, span.start)
    if not before or before[-1] not in DETERMINERS or (len(before) > 1 and before[-2] in NAMING):
        return False
    if before[-1] in BARE and not re.search(rf"\b{before[-1]}\s+$", text[max(0, span.start - 8) : span.start], re.I):
        return False  # "marisol, no, maricel": a self-correction names her; "no mushola" has none
    if len(before) > 1 and (before[-2] in LANDMARK or foreign(before[-2])):
        return False  # "by the carenage"; "in nack a tish": a name ASR cut in syllables
    if before[-1] == "the" and len(before) > 1 and before[-2] == ",":
        return False  # "on the road, the domitiana", "the truck stop on the turnpike, the petro": a name in apposition
    after = _after(text, span.end)
    crowd = after in CROWDS and after not in ("girls", "boys")  # "the marshrutka drivers"; "the khumalo girls" (T9)
    nothing_named = not after or not after[0].isalpha() or after in STOPWORDS or _verb(after) or crowd
    # "the lerato from the office" (QA T9); "the didi's room": someone's
    if after in WHERE or after == "from" or _POSSESSIVE.match(text, span.end) or not nothing_named:
        return False
    word = base_word(span.text).lower()
    if coined(word):
        return False
    if before[-1] == "that" and (word in first_names() or _DOES_TO.match(text, span.end)):
        return False  # "after that marisol took me", "that lakeisha told her": "that" opens her clause (QA Y5)
    if before[-1] in POSSESSIVES:
        return word not in first_names() and word not in last_names()
    if before[-1] in COUNTS:
        return word.endswith("s") and not word.endswith("ss")
    return True


_NAMED = re.compile(
    r"\b(?:call|calls|called|calling|name|named|name['’]s|names|nicknamed|i['’]m|i\s+am)\s+(?:(?:him|her|me|them|is|was|"
    r"the\s+baby|my\s+\w+)\s+)?$",
    re.I,
)


def glossed(text: str, end: int, start: int | None = None) -> bool:
    """The word glossed right after it: with a kin or a role word ("amma, like mother", "didi, means sister"), or
    translated ("zikomo, that is thank you"); not a name explained after a naming cue ("we call him tunde, like a
    father to me", "I named her Chiamaka, like my mother": QA T9), where ``start`` is given."""
    if start is not None and _NAMED.search(text, max(0, start - 40), start):
        return False
    kin = _LIKE_KIN.match(text, end)
    return (kin is not None and kin.group(1).lower() in GLOSS_WORDS) or _TRANSLATED.match(text, end) is not None


def eaten(text: str, start: int) -> bool:
    """The word is what someone eats, drinks, cooks, plays, dances, sings or wears, in a short list right after the
    verb and its subject: "they eat momo and chowmein", "we ate kisra and ful"; not "so make dlamini" (a title),
    "drinking kava all night, and sia". Never after make, sell, buy, give or bring: in these interviews people are
    made to, sold, bought, given and brought ("they made zodwa dance", "my mother sold zodwa", "the pimp brought us
    thandi and lerato": QA T9)."""
    return _EATEN.search(text[max(0, start - 80) : start]) is not None


# Making or cooking a dish, selling goods: the verb, then a short list like `eaten`'s ("now i just make pancit for the
# neighbours", "my mother sells garri in the market", "i sell longganisa and tocino online"). "Make" may be a title,
# Swazi for Mrs ("so make dlamini", "Make Thembi Mamba from Tsela Yami met me"): after a subject only, as "sell" and
# "sold" (a woman and her kin selling at a market; "he sold thandi" stays for the words after it to judge); the other
# forms after any word of the same clause ("a bakery making covrigi", "with my mother, selling durian").
_SELLER = (
    r"(?:i|we|she|you|people|everyone|everybody|would|will|to|also|always|just|usually|still|sometimes|now|often|"
    r"mom|mum|mother|mama|mommy|mummy|nana|nan|gran|granny|grandma|grandmother|aunt|aunty|auntie|tita|tia|sister|"
    r"family)"
)
_MAKER = rf"(?:{_SELLER[3:-1]}|they|he|dad|father|papa|uncle|wife|husband|baba)"
_MADE = re.compile(
    rf"(?:\b{_MAKER}\s+(?:make|makes)|[a-z,]\s+(?:made|making|cook|cooks|cooked|cooking|bake|bakes|baked|baking)"
    rf"|\b(?:feed|feeds|fed)\s+(?:me|us|them|him|her))\s+{_ITEMS}",
    re.I,
)
_SOLD = re.compile(
    rf"(?:\b{_SELLER}\s+(?:sell|sells|sold)|[a-z,]\s+selling)\s+(?:(?:um|uh|like)\s*,?\s*)*{_ITEMS}", re.I
)
# What may follow the list of what is made: a preposition of whom for, when or where, or the sentence's end. Never a
# verb: "they made zodwa dance", "my uncle makes ayanda work at night" make a girl do something (QA T9).
_AFTER_MADE = re.compile(
    r"(?:\s*(?:,|\band\b|\bor\b)\s*(?:(?:um|uh|like)\b\s*,?\s*)*[a-z]+(?:-[a-z]+)*(?:\s+stuff)?)*"
    r"(?:\s*(?:[.!?;:)\"”]|$)|\s+(?:for|on|at|in|with|every|when|from|online|outside|near|again|today|now|too)\b"
    r"|\s*,\s*(?:and|as|but|so|then|because|like|um|uh|when|while|which|it|i|we|they|you)\b)",
    re.I,
)
# What may follow what is sold: where and when it is sold, never to whom or for how much ("they sold nomvula to a
# man", "my uncle sold ayanda when she was twelve", "my mother sold zodwa, my little sister": QA T9).
_AFTER_SOLD = re.compile(
    r"(?:\s*(?:,|\band\b|\bor\b)\s*(?:(?:um|uh|like)\b\s*,?\s*)*[a-z]+(?:-[a-z]+)*(?:\s+stuff)?)*"
    r"(?:\s*,?\s*(?:um|uh|like)\b,?)*(?:\s*(?:[.!?;:)\"”]|$)|\s+(?:at|in|on|online|outside|near)\b)",
    re.I,
)


def made_or_sold(text: str, span: Span) -> bool:
    """A dish made or cooked, goods sold, said right after the verb in a short list and followed by nothing that
    makes the word someone made to do something or sold to someone: "i make sarmale for the women", "i still cook
    amala when i miss home", "my mother sells garri in the market", "selling durian and pomelo at the market"."""
    before = text[max(0, span.start - 80) : span.start]
    end = span.end
    made = _MADE.search(before) is not None and _AFTER_MADE.match(text, end) is not None
    return made or (_SOLD.search(before) is not None and _AFTER_SOLD.match(text, end) is not None)


_FEAST = re.compile(r"\s+(?:festival|feast|ceremony|celebrations?)\b", re.I)


def feast(text: str, span: Span) -> bool:
    """A festival's or a ceremony's name: "the teuila festival", "at heilala festival"."""
    return _FEAST.match(text, span.end) is not None


def said_thing(text: str, span: Span) -> bool:
    """Money counted in it ("two thousand maloti", "fifty tala") or a language spoken ("i speak hakha chin")."""
    before = text[max(0, span.start - 60) : span.start]
    money = _MONEY.search(before) is not None and _after(text, span.end) in ("", ",", ".", "for", "a", "and", "to")
    return money or _SPOKEN.search(before) is not None


_REPORTED = re.compile(r"[^.!?\n]*?\b(?:said|says|say|told|tells|asked|asks)\b", re.I)


def opening(text: str, span: Span) -> bool:
    """A greeting that opens the speaker's own introduction ("sawubona, um, i'm nomvula"); not a name called out in
    speech she reports ("okonkwo, my name is ada, she said to him")."""
    return greeting(text, span.start, span.end) and not _REPORTED.match(text, span.end)


_IS = re.compile(r"\b(?:i['’]m|i\s+am|we\s+are|we['’]re|i\s+be|me\s+is|we\s+be)\s+$", re.I)
_INTRODUCED = re.compile(
    r"\b(?:my\s+name\s+is|my\s+name['’]s|call\s+me|called\s+me|name\s+is|(?:^|[.!?,]\s*)i['’]m\s+[a-z]+\s+[a-z]+,)",
    re.I,
)


_NOT_A_PEOPLE = re.compile(r"\s*,?\s*(?:and\s+)?not\s+(?:an?\s+)?([a-z]+)", re.I)


def described(text: str, span: Span) -> bool:
    """What she says she is once she has said her name: "my name is pa sang, i'm tamang", "... i'm shona, not
    ndebele": a people, a faith or a language, no name."""
    contrast = _NOT_A_PEOPLE.match(text, span.end)  # "i'm khalkh, not russian"
    if base_word(span.text).lower() not in peoples() and not (contrast and contrast.group(1).lower() in peoples()):
        return False  # "my name is Rose, I'm Zanele": her real name after her pseudonym (QA T9)
    offset = max(0, span.start - 20)
    said = _IS.search(text[offset : span.start])
    return said is not None and _INTRODUCED.search(text, 0, offset + said.start()) is not None


def _singular(word: str) -> str:
    lowered = base_word(word).lower()
    return lowered[:-1] if lowered.endswith("s") and len(lowered) > 4 else lowered


def _common_here(text: str, span: Span) -> bool:
    return determined(text, span) or glossed(text, span.end, span.start)


def common_words(text: str, spans: Iterable[Span]) -> set[str]:
    """The foreign words of ``spans`` that stand somewhere in ``text`` as a common noun (`determined`, `glossed`),
    singular: every mention of them is one."""
    return {
        _singular(s.text)
        for s in spans
        if len(s.text.split()) == 1 and foreign(s.text) and not coined(s.text) and _common_here(text, s)
    }


_WITH = re.compile(r"\b(?:with|met|told|asked|married|love|loved|sold|bought|brought|gave|took|called|named)\s+$", re.I)
_DOES = re.compile(
    r"\s+(?:took|drove|said|told|asked|helped|came|went|gave|sold|brought|hit|beat|called|was|is)\b", re.I
)


def _as_person(text: str, span: Span) -> bool:
    """The word stands here as a person does: after "with", "met", "told", a naming cue, or doing something at a
    sentence's start ("sipho took me there", "we stayed with sipho"): then a use of it as a common noun elsewhere
    ("the sipho was kind", ASR dropping a word) does not take every mention of her away (QA T9)."""
    before = text[max(0, span.start - 30) : span.start]
    opens = not before.strip() or before.rstrip()[-1] in ".!?"
    named = _WITH.search(before) or (_NAMED.search(before) and not described(text, span))  # not "i'm tamang"
    return bool(named or (opens and _DOES.match(text, span.end)))


# Where a sentence ends; what opens the next one is its first word.
def loanword(span: Span, text: str, common: set[str]) -> bool:
    """Whether ``span`` is a word of another language used as a common noun (see the module's docstring). A meal, money,
    a language, a greeting or a gloss is one whatever its case; a determiner or a use elsewhere only written without
    capitals ("the Nomin was hiring" names a shop)."""
    if span.label not in LABELS or _POSSESSIVE.match(text, span.end):
        return False  # what someone has ("lunch was thandi's job"): a person's, or a place's (QA T9)
    words = span.text.split()
    if not words or len(words) > 2 or not all(foreign(w, cased=True) for w in words):
        return False
    single, lowercase = len(words) == 1, all(foreign(w) for w in words)
    usual = single and lowercase and _singular(words[0]) in common and not coined(words[0])
    if span.source == "context":  # it read a cue: only a gloss, a meal or the word's use elsewhere undo it
        return (
            (single and glossed(text, span.end, span.start))
            or usual
            or eaten(text, span.start)
            or made_or_sold(text, span)
        )
    if span.source not in GATED:
        return False
    if opening(text, span) or eaten(text, span.start) or said_thing(text, span) or described(text, span):
        return True
    if made_or_sold(text, span):
        return True
    if feast(text, span):
        return True
    return (
        usual or (single and glossed(text, span.end, span.start)) or (single and lowercase and determined(text, span))
    )


def without_loanwords(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` less the words of another language used as common nouns."""
    common = common_words(text, [s for s in spans if s.source in GATED and s.label in LABELS])
    people = {_singular(s.text) for s in spans if _as_person(text, s)}  # "the sipho was kind" beside "with sipho"
    return [s for s in spans if _singular(s.text) in people or not loanword(s, text, common)]
