"""Layer 5: names in text written without capitals, found because their words are unknown or rare.

Lowercased ASR output hides the one hint a reader has ("at hilltop", "the whataburger", "in garland").
A lowercase word the system dictionary does not know is proposed wherever it stands (low confidence: the
reviewer rejects slang cheaply); a rare word, or a town, is proposed only in a slot where a place or an
organisation is expected. Never proposes a hard negative, a stopword or a word of everyday speech.
"""

from __future__ import annotations

import functools
import re

from fieldvault.redact.context import _PLACE_WORDS, GENERIC_MODIFIERS
from fieldvault.redact.lexicon import (
    COMPASS_WORDS,
    GENERIC_PLACES,
    HARD_NEGATIVES,
    INFORMAL,
    PERSON_WORDS,
    REGIONS,
    SPOKEN_AMONG_ENGLISH,
    STOPWORDS,
    US_STATES,
    base_word,
    dictionary,
    everyday_form,
    first_names,
    gazetteer,
    last_names,
    medicine,
    places,
    towns,
    word_frequency,
)
from fieldvault.redact.patterns import SPOKEN_NUMBERS
from fieldvault.redact.spans import Span

_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*[a-z](?![\w'’-])|(?<![\w'’-])[a-z](?=['’]s\b)")
# What follows a subject that opens a clause: a verb or an auxiliary, an adverb allowed before it ("Maria came to get
# me", "Lodi was where we lived", "Maria always said"), or a comma and the pronoun that takes it up ("Maria, she").
_OPENS_CLAUSE = re.compile(
    r"[ \t]*(?:,[ \t]*(?:she|he|they)\b|(?:(?:always|never|just|still|finally|then|later|also|really|even)[ \t]+)?"
    r"(?:was|wasn['’]t|is|isn['’]t|were|are|came|comes|come|went|goes|said|says|told|tells|took|takes|had|has|have|"
    r"got|gets|would|wouldn['’]t|will|won['’]t|could|couldn['’]t|can|can['’]t|did|didn['’]t|does|doesn['’]t|"
    r"knew|knows|called|calls|made|makes|gave|gives|asked|asks|drove|picked|brought|sent|kept|used|wanted|"
    r"showed|met|moved|left|lived|stayed|worked|tried|started|found|let)\b)",
    re.IGNORECASE,
)


def opens_a_clause(text: str, end: int) -> bool:
    """Whether the words after ``end`` make what ends there a clause's subject: "Maria" in "Maria came to get me"."""
    return _OPENS_CLAUSE.match(text, end) is not None


# A word that opens a sentence has its capital from its place, not from being a name: the capital says nothing
# there, so the word is judged as if written in lowercase ("Poma is still in Santa Cruz", "Céspedes and his mother
# were convicted": surnames no list holds, where the proper-noun layer leaves a sentence's first word alone), where
# it is the clause's subject (`opens_a_clause`, or "and his"): not a greeting, a dish or a holiday said first
# ("Medaase, she would say", "Byrek, raki, the smell of"), a title before another capital ("Señora Pilar Andrade",
# "Frau Kessler": the name layers'), nor a people in the plural ("Ajarians go to Turkey").
_OPENING = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”’]\s)|(?<=\n)|(?<=[.!?]\s[\"“]))[A-Z][a-z'’-]*[a-z](?![\w'’-])"
    r"(?<!ians)(?!\s+[A-Z])"
)
_AND_HIS = re.compile(r"[ \t]+and[ \t]+(?:his|her|their)\b", re.I)
# Demonyms, languages and faiths are capitalised in the dictionary but are no names ("mexican", "lutheran").
_DEMONYM = re.compile(r"(?:ese|ish|ian|ean|an|ic|i|ist)$")  # "ist": a faith ("adventist", "methodist")


@functools.cache
def _venue_kinds() -> re.Pattern[str]:
    """The words that say what kind of place or body a name is ("hostel", "guesthouse"): alone they name none."""
    from fieldvault.redact.organisations import KINDS  # organisations reads this module

    return re.compile(rf"(?:{_PLACE_WORDS}|" + "|".join(re.escape(k) for k in KINDS) + ")", re.I)


def venue_kind(word: str) -> bool:
    return _venue_kinds().fullmatch(word) is not None


def unexplained(word: str) -> bool:
    """A lowercase word that no word list explains: not everyday, not speech, not a hard negative, not a kind of
    place alone ("the guesthouse")."""
    lowered = base_word(word).lower()
    if len(lowered) < 3 or not lowered.isalpha() or venue_kind(lowered):
        return False  # contractions ("didn't"), hyphenated everyday words, initials
    ordinary, proper = dictionary()
    if lowered in ordinary or lowered in STOPWORDS or lowered in INFORMAL or lowered in HARD_NEGATIVES:
        return False
    if lowered in SPOKEN_AMONG_ENGLISH:
        return False
    if lowered.endswith("s") and (lowered[:-1] in ordinary or lowered[:-1] in HARD_NEGATIVES):
        return False  # a plural the dictionary lacks ("fridays" is a hard negative's)
    if everyday_form(lowered) or (lowered.endswith("s") and everyday_form(lowered[:-1])):
        return False  # "messaged", "waitressing", "parlour", "blokes"
    if medicine(lowered):
        return False  # "sertraline", "prazosin"
    if lowered in proper and _DEMONYM.search(lowered) and lowered not in first_names() | last_names():
        return False
    return True


def _label(words: list[str]) -> str:
    phrase = " ".join(base_word(w).lower() for w in words)
    if phrase in towns():
        return "LOCATION"
    if any(base_word(w).lower() in first_names() or base_word(w).lower() in last_names() for w in words):
        return "PERSON"
    return "ORG"


@functools.cache
def _country_names() -> re.Pattern[str]:
    """Countries' names of several words ("sierra leone", "burkina faso"): a word inside one is explained."""
    names = sorted((c for c in gazetteer()[1] if " " in c), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")\b", re.I)


# What one eats, drinks, cooks, sells or buys: the words after such a verb, up to a pronoun, a preposition or the
# clause's end, name things, not a place, a body or a person ("we eat sadza with nyama", "i sell airtime and
# beadwork at the main mall", "granny make fungee and pepperpot, and ducana"). A food or a ware has no list.
_GOODS_VERBS = {
    "eat", "eats", "ate", "eating", "eaten", "chop", "chops", "drink", "drinks", "drank", "drinking", "cook",
    "cooks", "cooked", "cooking", "make", "makes", "made", "making", "bake", "bakes", "baked", "baking", "fry",
    "fries", "fried", "frying", "sell", "sells", "sold", "selling", "buy", "buys", "bought", "buying", "chew",
    "chews", "chewed", "chewing", "brew", "brews", "brewed", "brewing",
}  # fmt: skip
# What ends a list of goods before its verb: a person ("she sold me", "made him"), a place's or a body's
# preposition ("sold at", "bought from", "made in"), a verb of going.
_GOODS_STOP = {
    "me", "him", "her", "us", "them", "you", "it", "i", "we", "they", "he", "she", "to", "at", "in", "from", "for",
    "into", "near", "by", "on", "off", "out", "up", "through", "called", "named", "was", "were", "is", "are", "be",
    "been", "my", "his", "their", "our", "your", "who", "which", "that", "where", "when",
}  # fmt: skip
_SOLD_TO = re.compile(r"[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*)?\s+(?:to|for)\s", re.I)
_GOODS_WORD = re.compile(r"[a-z][\w'’-]*|[.!?;:\n]", re.I)


def goods(text: str, start: int) -> bool:
    """Whether the word at ``start`` is in a list of things eaten, drunk, cooked, sold or bought: a verb of those
    within eight words before it in its clause, with no person, preposition or clause break between."""
    if _SOLD_TO.match(text, start):
        return False  # "he sold chipo to a man": a person sold
    words = [m.group().lower() for m in _GOODS_WORD.finditer(text, max(0, start - 80), start)][-8:]
    for k, word in enumerate(reversed(words)):
        if word in _GOODS_VERBS:
            return True
        first = k == len(words) - 1 or words[-k - 2] in _GOODS_VERBS
        if word in _GOODS_STOP or not word[0].isalpha() or (word == "with" and first):
            return False  # "we ate with tendai": whom one ate with; "sadza with nyama" a dish
    return False


# A greeting or a self-introduction in another language, then the English one: "namaste, i am anjali", "nama saya,
# my name is city", "nem bilong mi, my name is kessie", "sawubona, um, i'm nomvula" (fillers between).
_INTRODUCED = re.compile(
    r"(?:\s+[a-z]+)?\s*,\s*(?:(?:um|uh|er|erm|ah|so|well|okay|ok|yes|hello|hi)\s*,?\s*)*"
    r"(?:my\s+name\s+is|my\s+name['’]s|i\s+am|i['’]m|they\s+call\s+me)\b",
    re.I,
)


def greeting(text: str, start: int, end: int) -> bool:
    """Whether the words from ``start`` to ``end`` open a sentence and an introduction follows them."""
    opening = re.search(r"(?:^|[.!?]\s+|\n)\s*$", text[max(0, start - 3) : start]) is not None or start == 0
    return opening and _INTRODUCED.match(text, end) is not None


def unknown_words(text: str) -> list[Span]:
    """Runs of lowercase words the dictionary does not know ("whataburger", "westcare", "okonkwo"), but not the
    things one eats or sells (goods)."""
    spans: list[Span] = []
    run: list[re.Match[str]] = []
    countries = [m.span() for m in _country_names().finditer(text)]

    def close() -> None:
        if run and (goods(text, run[0].start()) or greeting(text, run[0].start(), run[-1].end())):
            run.clear()
        if run:
            start, end = run[0].start(), run[-1].start() + len(base_word(run[-1].group()))
            spans.append(Span(start, end, _label([m.group() for m in run]), "rare", text[start:end], 0.4))
        run.clear()

    openings = [m for m in _OPENING.finditer(text) if opens_a_clause(text, m.end()) or _AND_HIS.match(text, m.end())]
    for match in sorted([*_WORD.finditer(text), *openings], key=lambda m: m.start()):
        if run and text[run[-1].end() : match.start()] != " ":
            close()
        in_country = any(a <= match.start() < b for a, b in countries)
        if unexplained(match.group()) and not in_country:
            run.append(match)
        else:
            close()
    close()
    return spans


# Below these Zipf frequencies (wordfreq: 3 is once per million words) a word in a slot reads as a name.
RARE_IN_SLOT = 3.6  # "nine months in hilltop", "went to crossroads", "at kroger"
RARE_TOWN = 4.0  # a town that is also a word, after a place verb: "out in garland", not "in harmony"
RARE_ANYWHERE_IN_PLACE = 3.0  # not a town we know, but rare, after a place verb: "grew up in maryvale"
_X = r"([a-z][a-z'’-]*)"
_THE = r"(?:the\s+)?"
_PLACE_VERB = (
    r"(?:(?:moved|move|moving|relocated|ran away|ran off|drove|driving|headed|heading|transferred|sent)\s+"
    r"(?:back\s+|out\s+|up\s+|down\s+|over\s+)?(?:to|into)|(?:lived|live|living|grew up|raised|born|stayed|"
    r"staying|ended up|wound up|out|up|down|over|back home)\s+(?:in|near|outside(?:\s+of)?|around|by)|from)"
)
PLACE_SLOT = re.compile(rf"\b{_PLACE_VERB}\s+{_X}")
# A stint somewhere or a job: what follows is an institution or an employer, even if a town has its name.
ORG_SLOTS = [
    re.compile(rf"\b(?:months?|years?|weeks?|days?|time|stint|bid)\s+(?:in|at)\s+{_THE}{_X}"),
    re.compile(
        rf"\b(?:worked|work|works|working|job|jobs|hired|shift|shifts|employed|got on|waitressing|dancing|"
        rf"danced|stripping|cleaning)\s+(?:at|for)\s+{_THE}{_X}"
    ),
]
# A visit, or being at or from somewhere: an organisation, or a town.
VISIT_SLOTS = [
    re.compile(
        rf"\b(?:went|go|goes|going|got sent|sent|ran|came|come|walked|drove|dropped me off)\s+(?:back\s+)?"
        rf"(?:to|at)\s+{_THE}{_X}"
    ),
    re.compile(rf"\b(?:at|from)\s+{_THE}{_X}"),
]
_IN_TOWN = re.compile(rf"\b(?:in|to|near|outside|around|between|past|towards?)\s+{_X}")
_STATES = "|".join(sorted(US_STATES, key=len, reverse=True))
_BEFORE_STATE = re.compile(rf"\b((?:[a-z][a-z'’-]*\s+){{0,2}}[a-z][a-z'’-]*),?\s+(?:{_STATES})\b")


# Prepositions and determiners the stopword list lacks: never a name's first word.
_FUNCTION = {"around", "another", "across", "behind", "toward", "towards", "inside", "outside", "upon", "within",
             "without", "along", "among", "beside", "near", "either", "neither", "whatever", "whoever", "several",
             "enough", "less", "least", "somewhere", "anywhere", "everywhere", "nowhere", "elsewhere"}  # fmt: skip


def _slot_word(word: str) -> str | None:
    """The word in a slot, lowercased without its possessive, unless it can be no name at all."""
    lowered = base_word(word).lower()
    if len(lowered) < 3 or not lowered.isalpha() or word[0].isupper():
        return None
    if lowered in STOPWORDS or lowered in HARD_NEGATIVES or lowered in INFORMAL or lowered in GENERIC_PLACES:
        return None
    if lowered in SPOKEN_NUMBERS:
        return None  # "locked up at nineteen"
    if lowered in _FUNCTION:
        return None  # "from around here", "to another unit"
    if lowered in gazetteer()[1] or lowered in REGIONS:
        return None  # countries and provinces identify no one: "not canada", "to ontario"
    return lowered


def _slot_span(text: str, match: re.Match[str], label: str, confidence: float) -> Span:
    start = match.start(1)
    end = start + len(base_word(match.group(1)))
    return Span(start, end, label, "rare", text[start:end], confidence)


def slot_words(text: str) -> list[Span]:
    """Rare words where a place or an organisation is expected, and towns after a place verb or before a
    state ("born in defiance, ohio")."""
    spans: list[Span] = []
    known = places()
    for match in PLACE_SLOT.finditer(text):
        word = _slot_word(match.group(1))
        if (
            word
            and not plural(word)
            and ((word in known and word_frequency(word) < RARE_TOWN) or word_frequency(word) < RARE_ANYWHERE_IN_PLACE)
        ):
            spans.append(_slot_span(text, match, "LOCATION", 0.5))
    for match in _IN_TOWN.finditer(text):
        word = _slot_word(match.group(1))
        if word and word in known and word_frequency(word) < RARE_TOWN:
            spans.append(_slot_span(text, match, "LOCATION", 0.4))
    for pattern in ORG_SLOTS + VISIT_SLOTS:
        for match in pattern.finditer(text):
            word = _slot_word(match.group(1))
            if word and venue_kind(word) and re.search(r"\bthe\s+$", text[match.start() : match.start(1)], re.I):
                continue  # "from the hostel": a kind of place; "at memorial" (no article) a name
            if word and word_frequency(word) < RARE_IN_SLOT and not plural(word):
                if pattern in ORG_SLOTS or word not in known:
                    spans.append(_slot_span(text, match, "ORG", 0.5))
                else:
                    spans.append(_slot_span(text, match, "LOCATION", 0.45))
    for match in _BEFORE_STATE.finditer(text):
        words = match.group(1).split()
        if words[-1] in PERSON_WORDS and not text[match.end(1) :].startswith(","):
            continue  # "my best friend georgia": her name; "in friend, nebraska" a town
        for i in range(len(words)):  # the longest town that ends right before the state
            name = " ".join(words[i:])
            if name in known and name not in COMPASS_WORDS and all(_slot_word(w) for w in words[i:]):
                start = match.end(1) - len(name)
                spans.append(Span(start, match.end(1), "LOCATION", "rare", text[start : match.end(1)], 0.6))
                break
    return spans


# English puts a determiner before a common noun after "at", "from" or "went to" ("at the store", "to a
# meeting") except in fixed expressions ("at home", "to bed", "in jail"), so a bare phrase there is a
# name: "over at turning point", "we went to new covenant", "two years in marysville".
BARE_SLOT = re.compile(
    r"\b(?:(?:went|go|goes|going|got sent|sent|ran|came|come|walked|drove|moved|transferred|back)\s+to|"
    r"at|from|"
    r"(?:months?|years?|weeks?|days?|time)\s+(?:in|at))\s+([a-z][a-z'’-]*(?:\s+[a-z][a-z'’-]*){0,3})"
)
# Nouns English uses bare in those slots: no names.
BARE_IDIOMS = {
    "home", "work", "school", "church", "night", "noon", "midnight", "dawn", "dusk", "sunrise", "sunset", "lunch",
    "dinner", "breakfast", "times", "length", "large", "ease", "peace", "risk", "heart", "fault", "stake", "war",
    "sea", "bay", "odds", "random", "gunpoint", "birth", "age", "court", "college", "camp", "trial", "rest",
    "hand", "play", "mass", "bedtime", "recess", "practice", "bed", "jail", "prison", "rehab", "detox", "sleep",
    "town", "class", "heaven", "hell", "juvie", "treatment", "therapy", "market", "prom", "kindergarten",
    "preschool", "daycare", "hospice", "lockup", "death", "pieces", "tears", "life", "custody", "solitary",
    "lockdown", "placement", "isolation", "foster", "county", "state", "federal", "recovery", "hospital",
    "university", "group", "meetings", "meeting", "counseling", "service", "services", "bible", "study",
    "chapel", "first", "last", "least", "best", "worst", "once", "all", "nights", "weekends", "intake",
    "sentencing", "arraignment", "probation", "parole", "shelter", "dinnertime", "experience", "scratch",
    "memory", "rock", "arm", "coast", "afar", "behind", "above", "below", "inside", "outside", "upstairs",
    "downstairs", "normal", "square",
}  # fmt: skip
# Verbs in the past that end a name in a slot ("at bridgehaven helped me"), beyond the -ed forms.
PAST = {
    "gave", "took", "told", "said", "made", "got", "went", "came", "ran", "put", "let", "kept", "left", "sent",
    "brought", "bought", "felt", "found", "thought", "knew", "saw", "paid", "was", "were", "had", "did",
    "taught", "fed", "held", "met", "sat", "stood", "won", "lost", "spent", "set", "drove", "wrote", "gotten",
    "sold", "beat", "caught", "stole", "threw", "heard", "spoke", "swore", "grew", "began", "became",
}  # fmt: skip
# Words that begin names though they are stopwords ("new covenant", "big brothers").
_NAME_STARTS = {"new", "old", "big", "little", "good", "true", "greater", "holy", "second"}
_NUMBERS = SPOKEN_NUMBERS | {"hundred", "thousand", "half", "quarter", "couple", "few"}


def _verb(word: str) -> bool:
    """A verb's base form ("to get", "to live"): the dictionary has its -ing form."""
    ordinary = dictionary()[0]
    forms = (word + "ing", word[:-1] + "ing", word + word[-1:] + "ing")
    return any(f in ordinary for f in forms if f != "ing")


def ends_name(word: str) -> bool:
    """A verb or an adverb after a name: "at bridgehaven helped", "covenant house took me in", "mostly"."""
    lowered = word.lower()
    inflected = len(lowered) > 4 and lowered.endswith(("ed", "ing", "ly")) and lowered in dictionary()[0]
    return inflected or lowered in PAST


def _bare_word(word: str) -> bool:
    lowered = base_word(word).lower()
    return bool(_slot_word(word)) and lowered not in BARE_IDIOMS and lowered not in _NUMBERS


def plural(word: str) -> bool:
    """A plural of an everyday noun: "at truck stops", "went to parties" need no determiner. A plural
    said more often than its singular is a word of its own ("crossroads")."""
    ordinary = dictionary()[0]
    lowered = word.lower()
    if not lowered.endswith("s"):
        return False
    stems = [stem for stem in (lowered[:-1], lowered[:-2], lowered[:-3] + "y") if len(stem) > 2 and stem in ordinary]
    return any(word_frequency(stem) >= word_frequency(lowered) for stem in stems)


def _common_phrase(words: list[str]) -> bool:
    """A phrase a common noun can make alone: every word generic, a plural or a gerund at its end."""
    lowered = [base_word(w).lower() for w in words]
    generic = all(w in BARE_IDIOMS or w in GENERIC_MODIFIERS or w in GENERIC_PLACES for w in lowered)
    gerund = len(lowered) == 1 and lowered[0].endswith("ing")
    return generic or gerund or plural(lowered[-1])


def bare_phrases(text: str) -> list[Span]:
    """Phrases with no determiner where an institution is expected ("at turning point")."""
    spans: list[Span] = []
    for match in BARE_SLOT.finditer(text):
        words = list(re.finditer(r"\S+", match.group(1)))
        first = words[0].group()
        second = words[1].group().strip(".,;:!?") if len(words) > 1 else ""
        if not (_bare_word(first) or (first in _NAME_STARTS and bool(second) and _bare_word(second))):
            continue
        if text[: match.start(1)].split()[-1] == "to" and _verb(first) and not (second and _slot_word(second)):
            continue  # "went to get my kids", "came to live with us"; but "went to harbor light"
        kept = [words[0]]
        for i, word in enumerate(words[1:], start=1):
            plain = word.group().strip(".,;:!?")
            following = words[i + 1].group().strip(".,;:!?") if i + 1 < len(words) else ""
            starts_again = plain in _NAME_STARTS and bool(following) and bool(_slot_word(following))
            if kept[-1].group()[-1] in ".,;:!?" or not (_slot_word(plain) or starts_again) or ends_name(plain):
                break  # punctuation, an everyday word or a verb ends the name
            kept.append(word)
        if _common_phrase([w.group().strip(".,;:!?") for w in kept]):
            continue
        if len(kept) == 1 and everyday_form(base_word(kept[0].group().strip(".,;:!?")).lower()):
            continue  # "back from deployment": a form of an everyday word alone
        start = match.start(1) + kept[0].start()
        end = match.start(1) + kept[-1].start() + len(base_word(kept[-1].group().strip(".,;:!?")))
        spans.append(Span(start, end, "ORG", "rare", text[start:end], 0.4))
    return spans


_PLACE_SUFFIX = re.compile(
    r"\b([a-z]+(?:\s+[a-z]+)?)\s+(county|parish|pd|p\.\s?d\.|police department|sheriff'?s office|"
    r"sheriff'?s department)(?![\w'’])",
    re.I,
)


def place_suffixes(text: str) -> list[Span]:
    """A town's county, parish or police: "dekalb county", "fort worth pd"."""
    spans: list[Span] = []
    known, ordinary = places(), dictionary()[0]
    for match in _PLACE_SUFFIX.finditer(text):
        words = match.group(1).split()
        for i in range(len(words)):
            name = " ".join(words[i:]).lower()
            if name in STOPWORDS or name in HARD_NEGATIVES:
                continue
            if name in known or (i == len(words) - 1 and name not in ordinary):
                start = match.end(1) - len(name)
                label = "LOCATION" if match.group(2).lower() in ("county", "parish") else "ORG"
                spans.append(Span(start, match.end(), label, "rare", text[start : match.end()], 0.6))
                break
    return spans


# A place introduced by its name: "a club called the pink pony", "this program named new day", "the club was called
# the golden pony".
_CALLED = re.compile(
    r"\b(?:club|bar|lounge|place|motel|hotel|inn|church|program|spot|shelter|house|home|company|store|"
    r"restaurant|ministry|group|app|website|site|street|town|neighborhood|school|gang|agency|clinic|spa|"
    r"salon|parlor|studio)(?:\s+(?:was|is|were|used to be))?\s+(?:called|named)\s+"
    r"((?:the\s+)?[a-z][a-z'’-]*(?:\s+[a-z][a-z'’-]*){0,2})"
)


def called_places(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _CALLED.finditer(text):
        words = [w.strip(".,;:!?") for w in match.group(1).split()]
        kept = words[:1] if words[0] == "the" else []
        for word in words[len(kept) :]:
            if not (_slot_word(word) or (word in _NAME_STARTS and word is not words[-1])) or ends_name(word):
                break
            kept.append(word)
            if word != match.group(1).split()[len(kept) - 1]:
                break  # punctuation ends the name
        if not kept or not _slot_word(kept[-1]):
            continue
        start = match.start(1)
        end = start + len(" ".join(kept))
        spans.append(Span(start, end, "ORG", "rare", text[start:end], 0.6))
    return spans


def find_rare(text: str) -> list[Span]:
    return unknown_words(text) + slot_words(text) + bare_phrases(text) + place_suffixes(text) + called_places(text)
