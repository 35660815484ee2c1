"""The layered detector: known identifiers, patterns, context, name lists, rare words, spoken numbers and
streets, the NER model and towns in place slots (then names listed beside the names found); overlaps merged.

Every layer is required: without the word list, the word frequencies or the model, detection would
quietly miss names, so ``require_layers`` refuses with a one-line error naming the fix before anything is proposed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import replace

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.ages import find_ages
from fieldvault.redact.answers import find_answers
from fieldvault.redact.appositives import find_appositives
from fieldvault.redact.callnames import find_called
from fieldvault.redact.context import GENERIC_MODIFIERS, find_in_context, self_description
from fieldvault.redact.head import find_with_head, require_head, uncovered
from fieldvault.redact.initials import find_initials
from fieldvault.redact.known import find_known, without_listed_homes
from fieldvault.redact.lexicon import (
    ALONE_NEGATIVES,
    BIBLE_BOOKS,
    COMPASS_WORDS,
    HARD_NEGATIVES,
    HONORIFICS,
    NAME_WORDS,
    NAMED_DAYS,
    ORGANISATIONS,
    PEOPLES,
    PERSON_WORDS,
    REGIONS,
    SPOKEN_AMONG_ENGLISH,
    STOPWORDS,
    TITLES,
    US_STATES,
    WEEKDAYS,
    base_word,
    dictionary,
    festival_words,
    festivals,
    first_names,
    fold,
    gazetteer,
    is_hard_negative,
    is_region,
    last_names,
    medicine,
    names_and_places,
    peoples,
    places,
    provinces,
    require_data_packages,
    require_frequencies,
    town_and_first_name,
)
from fieldvault.redact.loanwords import without_loanwords
from fieldvault.redact.model import find_with_model, model_dir
from fieldvault.redact.organisations import find_organisations, joined_bodies, named_again, with_institution
from fieldvault.redact.patterns import HESITATIONS, SPOKEN_NUMBERS, find_patterns, number_parts
from fieldvault.redact.persons import (
    NAMED_WORD_CONFIDENCE,
    find_persons,
    joined_names,
    misheard_kin,
    parts_said_alone,
    same_names,
    short_form_beside,
)
from fieldvault.redact.places import (
    PLACED_TOWN_CONFIDENCE,
    STREET_CONFIDENCE,
    acronyms,
    coordinated,
    explained_as_town,
    find_places,
)
from fieldvault.redact.rare import find_rare, opens_a_clause
from fieldvault.redact.spans import Span, merge
from fieldvault.redact.spoken import STREET_SUFFIXES, WEAK_SUFFIXES, bare_number, find_spoken
from fieldvault.redact.syllables import said_again
from fieldvault.redact.unsure import judged, proper_run, unsure
from fieldvault.transcript import GAP_WORDS, TAGS

# The transcript's own bracketed marks, any case, with a time, a stretch or a duration: "[crosstalk]",
# "[inaudible 00:01:02]", "[pause 3 s]", "[audio damaged 00:12:04–00:12:06]". Never an identifier, and what follows
# one starts a sentence.
_MARK_WORDS = (*TAGS, *GAP_WORDS.values(), "laughter", "laughing", "silence", "unintelligible", "overlapping", "coughs",
               "sighs", "cries", "noise", "music", "background noise", "indiscernible")  # fmt: skip
_MARK = re.compile(
    r"\[(?:" + "|".join(_MARK_WORDS) + r")(?:[ :][\d:.–-]+(?: ?(?:s|sec|seconds|min))?)?\]", re.IGNORECASE
)


_NUMBER_WORD = r"(?:\d+|" + "|".join(sorted(SPOKEN_NUMBERS)) + ")"
_CHAPTER = re.compile(rf"(?:\s+{_NUMBER_WORD}(?::\d+)?\b)+", re.I)


def _verse(span: Span, text: str) -> bool:
    """A book then its chapter ("John 3:16", "Psalm 23", "Step 9"): a reference, never a name; the span may hold
    the numbers ("john 3 16", "step 4", "john three sixteen"), a book that is also a name two of them."""
    chapter = _CHAPTER.match(text, span.end)
    said = span.text + (chapter.group() if chapter else "")
    words = said.lower().replace(":", " ").split()
    numbers = 0
    while words and (words[-1].isdigit() or words[-1] in SPOKEN_NUMBERS):
        words, numbers = words[:-1], numbers + 1
    if len(words) != 1 or words[0] not in BIBLE_BOOKS or not numbers:
        return False
    return numbers >= 2 or ":" in said or words[0] not in NAME_BOOKS  # "John 3 times", "Mark two weeks" are names


NAME_BOOKS = {"samuel", "joshua", "ruth", "esther", "job", "daniel", "joel", "amos", "jonah", "micah", "matthew",
              "mark", "luke", "john", "james", "peter", "jude", "timothy", "titus"}  # fmt: skip


SURE_PERSON = 0.99  # the model's confidence above which a word only the peoples list holds is left a name


def _people(span: Span, text: str) -> bool:
    """A nation, a people, a language or a faith that a name list, a capital or the model proposed: "We speak
    Creole", "I'm Cree", "a Welsh nurse", "South African", "Puerto Rican" (a country's or a state's demonym), "Khmer
    speakers" (a language of ISO 639 and its people); a language any layer took for a place after what is said in
    it ("she spoke to me in Vietnamese", "singing in Welsh"); a listed one any layer took after "I'm" or "speak"
    ("I'm Hindu", "I speak Twi"); a colour or "Native" said of who someone is ("I'm Black and Dominican", "the
    Native kids")."""
    words = [base_word(w).lower() for w in span.text.split()]
    if not words or span.source in ("known", "pattern"):
        return False
    if span.label == "PERSON" and _after_title(span, text):
        return False  # "Ms. Hausa", "my son Cree", "Aunt Tonga": a person's slot, whatever lists hold the word (QA J10)
    listed = listed_people(words)
    # One word the model is sure is a person's name, and no cue says a people or a language ("Hope you know Dinka
    # from work", QA J10): left a name; "I'm Dinka", "she speaks Dinka" still are not.
    sure = span.source == "model" and span.label == "PERSON" and span.confidence >= SURE_PERSON and len(words) == 1
    if (
        listed
        and not all(w in PEOPLES for w in words)
        and _PLACE_SLOT.search(text[max(0, span.start - 20) : span.start])
    ):
        listed = False  # "from Siksika": a people's land is named for it; the short list holds none such
    following = re.match(r"\s+([A-Za-z]+)\b", text[span.end : span.end + 30])
    joined = f"{' '.join(words)} {following[1].lower()}" if following else ""
    part = span.source in (*_WEAK_SOURCES, "rare") and bool(joined) and demonym(joined)
    if (listed and not sure) or demonym(" ".join(words)) or part:  # "Costa" of "Costa Rican" too
        if span.source in (*_WEAK_SOURCES, "rare"):
            return True
        if span.label == "LOCATION" and _SAID_IN.search(text[max(0, span.start - 50) : span.start]):
            return True
        if span.label == "LOCATION" and _ASKED_IN.search(text[max(0, span.start - 30) : span.start]):
            return True  # "she asked me in Aymara if I was all right"
    before = text[max(0, span.start - 30) : span.start]
    if listed and (_IDENTITY.search(before) or _SPEAKS.search(before)):
        return True
    if len(words) == 1 and words[0] in RACE_WORDS and span.source in (*_WEAK_SOURCES, "rare"):
        after = text[span.end : span.end + 40]
        return bool(_RACE_AFTER.match(after) or (_IDENTITY.search(text[max(0, span.start - 12) : span.start])))
    return False


# Where a place is said: a people's or a language's name there is its land's ("from Siksika", "back to Tlicho").
_PLACE_SLOT = re.compile(
    r"\b(?:from|near|outside|to|around|lived in|live in|living in|grew up in|born in|raised in|moved to)\s+$", re.I
)
# What is said of a people or a language after its name: "Khmer speakers", "the Hidatsa language", "Akan people".
_PEOPLE_HEADS = {"speaker", "speakers", "speaking", "people", "peoples", "language", "languages", "folks", "dialect"}


def listed_people(words: list[str]) -> bool:
    """Words (lowercase) that name a people or a language, with a head word or a side ("Khmer speakers",
    "Lingala-speaking", "North Sami"), in the plural ("the Dinkas"): each a listed one, or together a listed name
    ("oji-cree", "eastern abnaki")."""
    known = peoples()
    sides = ("north", "south", "east", "west", "northern", "southern", "eastern", "western")
    # A people in the plural, as hard negatives are ("the Dinkas", "Akans"): the singular listed, the plural no name
    singular = [w[:-1] if w.endswith("s") and w[:-1] in known and w not in names_and_places() else w for w in words]
    for said in (singular, " ".join(singular).replace("-", " ").split()):
        if len(said) > 1 and said[-1] in _PEOPLE_HEADS:
            said = said[:-1]
        if said and said[-1] in known and all(w in known or w in sides for w in said):
            return True
        if said and " ".join(said) in known:
            return True
    return False


# "I speak Twi", "she speaks a little Khmer", "speaking only Lingala": the word after is a language.
_SPEAKS = re.compile(
    r"\b(?:speak|speaks|spoke|speaking|spoken|talk|talks|talked|talking|learn|learned|learning|understand|"
    r"understands)\s+(?:(?:a\s+little|a\s+bit\s+of|some|only|mostly|fluent|broken|good|bad|mainly)\s+)?$",
    re.I,
)


# What is said, sung, written or prayed in a language: "spoke to me in vietnamese", "singing in Welsh at school".
_SAID_IN = re.compile(
    r"\b(?:speak|speaks|spoke|spoken|speaking|talk|talks|talked|talking|sing|sings|sang|sung|singing|say|says|said|"
    r"saying|write|writes|wrote|written|writing|read|reads|reading|pray|prays|prayed|praying|dream|dreams|dreamt|"
    r"dreamed|cry|cried|curse|cursed|cursing|swear|swore|count|counted|counting|answer|answered|taught|teach|preach|"
    r"preached|preaching|joke|joked|sermons?|"
    r"teaches|yell|yelled|yelling|scream|screamed|whisper|whispered|sermon|service|mass|songs?|lessons?|classes|"
    r"class|books?|letters?|signs?|"
    # what a word means in a language, and papers given in one: "it means moon in quechua", "a leaflet in Lithuanian"
    r"means|mean|meant|translated|translation|papers?|leaflets?|documents?|statements?|forms?|audios?)"
    r"\b[^.;!?]{0,30}?\bin\s+$",
    re.I,
)
# Whom someone asked or told something in a language, right before it: "she asked me in Aymara" (not "asked me to
# wait in Ambo": a town of that name).
_ASKED_IN = re.compile(r"\b(?:asked|asks|ask|told|tells|tell)\s+(?:me|her|him|us|them|you)\s+in\s+$", re.I)
# Who someone is by the colour of her people, or "Native": said of a person, not a name.
RACE_WORDS = {"black", "white", "brown", "native", "indigenous", "mixed", "biracial"}
_RACE_AFTER = re.compile(
    r"\s*(?:,\s*)?(?:and|or|&)\s+[A-Za-z]|\s+(?:kids?|girls?|boys?|women|woman|men|man|people|folks?|families|family|"
    r"community|communities|guys?|lady|ladies|person|students?|youth|elders?|mothers?|moms?|sisters?|brothers?|"
    r"youth|clients?|survivors?|trans)\b",
    re.I,
)
_IDENTITY = re.compile(
    r"\b(?:i'm|i am|we're|we are|i was|she's|he's)\s+(?:half\s+|part\s+|also\s+)?(?:[A-Za-z]+(?:,\s+|\s+and\s+))?$",
    re.I,
)


def demonym(phrase: str) -> bool:
    """A people's word made from a country, a state or a province ("Puerto Rican", "Texan", "Sri Lankan",
    "Nepali"): its stem with "-an", "-ian", "-n", "-ese", "-i" or "-ish" is in the lists."""
    if " " not in phrase and phrase in first_names() | last_names():
        return False
    regions = gazetteer()[1] | US_STATES | REGIONS
    for ending in ("ian", "an", "n", "ese", "i", "ish", "er"):
        if not phrase.endswith(ending) or len(phrase) - len(ending) < 3:
            continue
        stem = phrase[: -len(ending)]
        if {stem, stem + "a", stem + "o", stem + "e", stem + "ia", stem + "y", stem + "land"} & regions:
            return True
    return False


# A holiday named by its day: "Canada Day", "Reconciliation Day", "St. Patrick's Day" (a saint, a nation, a state
# or an everyday word before "Day"; "Doris Day" is a person).
_DAY = re.compile(r"(?:['’]s)?(?:\s+(?:and|&)\s+[A-Za-z]+)?\s+day\b", re.I)
_SAINT = re.compile(r"\b(?:st\.?|saint)\s+$", re.I)


def _holiday(span: Span, text: str) -> bool:
    words = span.text.lower().replace("’", "'").split()
    if span.source in ("known", "pattern") or not words:
        return False
    if festival(words):
        return True
    if words in (["st"], ["st."], ["saint"]) and re.match(r"\s+[A-Za-z]+['’]s\s+day\b", text[span.end :], re.I):
        return True  # "[St] David's Day": the model saw the saint alone
    if _SAINT.search(text[max(0, span.start - 7) : span.start]):
        words = ["st", *words]  # "St. [Patrick]'s Day": the name layer saw the saint alone
    if words[-1] == "day":
        words = words[:-1]
    elif _DAY.match(text, span.end) is None:
        return False
    if not words or words[0] == "new":  # "New Day" is a programme's name
        return False
    first = base_word(words[-1]) if words[0] in ("st", "st.", "saint") else words[0]
    return words[0] in ("st", "st.", "saint") or first in dictionary()[0] or is_region(first) or first in peoples()


# Words around a festival's own name: "Tihar holiday", "the Pchum Ben festival", "Diwali celebrations".
_FESTIVAL_WORDS = {"day", "days", "festival", "festivals", "holiday", "holidays", "eve", "celebration",
                   "celebrations", "season", "time", "week"}  # fmt: skip


def festival(words: list[str]) -> bool:
    """Words (lowercase) that name a holiday or a festival, with the words said around it ("Dashain", "the Pchum Ben
    festival", "Diwali time")."""
    words = [base_word(w).strip(".,;:!?") for w in words]
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _FESTIVAL_WORDS:
        words = words[:-1]
    return bool(words) and " ".join(words) in festivals()


# A word before a number is what is counted: "Grade 3", "Level 5", "NCEA Level 2", "Year 10".
# Not a name then a count of something ("Crossroads one time", "Hilltop two times", "Faith three years").
_COUNTED = sorted(SPOKEN_NUMBERS - {"one", "o", "oh", "double", "triple", "hundred", "thousand"})
_NUMBERED = re.compile(
    r"\s+(?:\d+|" + "|".join(_COUNTED) + r")\b(?!\s+(?:times?|years?|months?|weeks?|days?|hours?|minutes?|nights?|"
    r"dollars|bucks|kids|people|of|more|in a row|or so)\b)",
    re.I,
)


def _numbered(span: Span, text: str) -> bool:
    last = span.text.split()[-1]
    return (
        span.source in (*_WEAK_SOURCES, "rare")
        and last.lower() in dictionary()[0]
        and _NUMBERED.match(text, span.end) is not None
    )


# Things bought by their brand, said in the plural: "Capri Suns", "Lunchables", "Froot Loops", "Takis". A name or a
# town in the plural is rare; one the name lists or the gazetteer know is kept ("Dallas", "James", "Williams").
def _product(span: Span, text: str) -> bool:
    if span.source not in (*_WEAK_SOURCES, "rare") or span.label != "PERSON":
        return False  # organisations' names are plurals often: "Catholic Charities", "Harbour Lights"
    if _STINT.search(text[max(0, span.start - 30) : span.start]):
        return False  # "eleven months on Rikers", "two years at Tutwiler's": where she was, no product
    last = base_word(span.text.split()[-1]).lower()
    if not last.endswith("s") or last.endswith(("ss", "'s", "’s")) or len(last) < 4:
        return False
    names = first_names() | last_names()
    if last in names or last in places() or last[:-1] in names:  # "the Smiths" are a family
        return False
    # A first name, or a word no dictionary, title or kin word holds before it alone, then a surname in -s whose
    # singular no dictionary holds either: "Renee Tubbs", "Karla Vindas", "Eulogia Terrazas" (a social worker, a lawyer
    # and a godmother, named in full and cased, were taken for brands in the plural); "Capri Suns" stays one (a sun is
    # a word), and so do "Hermana Inés" (a title) and "Día de Muertos" (three words).
    words = span.text.split()
    first = words[0].lower()
    unlisted = first not in dictionary()[0] and first not in HARD_NEGATIVES | TITLES | PERSON_WORDS
    named = first in first_names() or (len(words) == 2 and unlisted)
    return not (len(words) > 1 and named and last[:-1] not in dictionary()[0])


_STINT = re.compile(r"\b(?:months?|years?|weeks?|days?|nights?|time|stint|bid|sentence)\s+(?:on|in|at)\s+$", re.I)


def _negative_with_neighbour(span: Span, text: str) -> bool:
    """Part of a hard negative of two words that the other layers cut in two: "Ontario [Works]", "[Universal]
    Credit", "Higher [Power]" (a word of one alone may be a name: "Foster")."""
    if span.source not in (*_WEAK_SOURCES, "rare"):
        return False
    words = fold_phrase(span.text)
    before = re.search(r"([A-Za-z]+)\s+$", text[max(0, span.start - 20) : span.start])
    after = re.match(r"\s+([A-Za-z]+)", text[span.end : span.end + 20])
    phrases = ([f"{before[1].lower()} {words}"] if before else []) + ([f"{words} {after[1].lower()}"] if after else [])
    return any(p in HARD_NEGATIVES for p in phrases)


# What she takes or is on, a rare word of five letters or fewer: a benefit's or a medicine's initials ("i'm on ohp now",
# "they put me on ssi"); and what she wrote in ("wrote it in sharpie"): no place and no name a list knows.
_ON_IT = re.compile(
    r"\b(?:i['’]m|i\s+am|i\s+was|we\s+were|we['’]re|she['’]s|he['’]s|she\s+was|he\s+was|been|got|get|getting|put\s+"
    r"(?:me|her|him|us))\s+on\s+$",
    re.I,
)
_WRITTEN_IN = re.compile(
    r"\b(?:wrote|write|writes|written|writing|drew|draw|drawn|signed|sign|colou?red|marked|scribbled|traced)\b"
    r"[^.;!?]{0,25}\bin\s+$",
    re.I,
)


def _taken_or_used(span: Span, text: str) -> bool:
    before = text[max(0, span.start - 40) : span.start]
    word = fold_phrase(span.text)
    if span.source not in ("known", "pattern") and " " not in word and len(word) <= 5 and _ON_IT.search(before):
        return word not in places() and word not in dictionary()[0]  # "i'm on ohp now"; not "she was on main"
    return (
        span.source in ("context", *_WEAK_SOURCES, "rare")
        and (span.label == "LOCATION" or span.source != "context")
        and " " not in word
        and word not in places() | first_names()
        and bool(_WRITTEN_IN.search(before))
    )


# An article or a possessive before a word a list or a capital proposed makes it a thing: "a Pontiac", "a
# white Camry", "my bunkie", "his Newports". Names and towns take none ("a Marcus" is rare).
_ARTICLE = re.compile(
    r"\b(?:a|an|my|his|our|their|your)\s+(?:(?:white|black|silver|red|blue|grey|gray|green|old|new|little|"
    r"big|used|brand new|beat up|busted)\s+)?$",
    re.I,
)
# What one smokes, drinks, wears or eats is a thing: "smoked Newports", "drank Mountain Dew", "wore Jordans".
_CONSUMED = re.compile(
    r"\b(?:smoke|smoked|smokes|smoking|drank|drink|drinks|drinking|wore|wear|wears|wearing|ate|eat|eats|eating|"
    r"(?:bag|can|bottle|pack|box|case|carton|pair) of|(?:living|lived|lives|live|up for days) on)\s+"
    r"(?:(?:a|an|some|the|hot|cold|cheap|little|big|brand new)\s+)?$",
    re.I,
)
_OWNER = re.compile(r"['’]s\s+[A-Za-z]")  # a possessive before what is owned: "wear Maria's clothes" (QA T9's rest)
_AT = re.compile(r"\b(?:at|to|from|for)\s+(?:a|an)\s+$", re.I)  # "worked at a whataburger": a place's slot
_WEAK_SOURCES = ("gazetteer", "proper-noun", "model", "head")
_VERBS = {"took", "made", "gave", "kept", "left", "was", "is", "had", "has", "got", "ran", "sent", "put", "let"}


# A car said by its make and model: "a red Honda Civic", "his Chevy Impala" (a make alone may be a town: "Pontiac").
CAR_MAKES = {"honda", "toyota", "ford", "chevy", "chevrolet", "nissan", "dodge", "jeep", "bmw", "mercedes", "hyundai",
             "kia", "mazda", "subaru", "lexus", "acura", "infiniti", "cadillac", "buick", "chrysler", "pontiac", "gmc",
             "volkswagen", "vw", "audi", "tesla", "mitsubishi", "volvo", "saturn", "oldsmobile", "vauxhall", "peugeot",
             "renault", "fiat", "skoda", "holden"}  # fmt: skip
# A letter spelled by a word: "m like mary", "b as in boy", "t for tom". The word is no one's name there.
_SPELLING = re.compile(r"(?<![\w'’])[a-z]\s+(?:like|as in|for)\s+$", re.I)
# What is counted or ranked is a thing: "she makes the best bannock", "the worst Mondays".
_SUPERLATIVE = re.compile(r"\bthe\s+(?:best|worst|most|least|[a-z]+est)\s+$", re.I)
# The kind of an ID said before "number" ("my phn number", "his tdcj number"): a rare word there is the kind's initials.
_ID_KIND = re.compile(r"\s+(?:number|no\.|num|#|card|id)\b", re.I)
_ID_KIND_NUMBER = re.compile(
    r"\s+(?:(?:id|card|licen[cs]e|permit|account|case|client|member|file)\s+)?(?:number|no\.|num|#)\b", re.I
)
_ID_KIND_IS = re.compile(r",?\s+(?:is|was)\b", re.I)  # "the phn, is ...": initials (no vowel) only


def fold_phrase(text: str) -> str:
    return " ".join(base_word(w).lower().strip(".,") for w in text.split())


def _plural_word(text: str) -> bool:
    word = text.split()[-1] if text.split() else ""
    return word.endswith("s") and not word.endswith(("ss", "'s", "’s")) and len(word) > 3


def _weak_thing(span: Span, text: str) -> bool:
    """What a weak layer (a list, a capital, the model, a rare word) proposed that the words around make a thing:
    a car's make and model, a letter's spelling word, a superlative's object, an ID's kind, part of a named day
    ("Mardi" of "Mardi Gras", "Night" of "Bonfire Night"), "Our Lady of Guadalupe"."""
    if span.source not in (*_WEAK_SOURCES, "rare"):
        return False
    word = span.text.lower()
    words = word.split()
    before = text[max(0, span.start - 30) : span.start]
    if len(words) >= 2 and words[0] in CAR_MAKES:
        return True
    if _SPELLING.search(before) or _SUPERLATIVE.search(before):
        return True
    if _ID_KIND_NUMBER.match(text, span.end) and re.search(r"\b(?:my|your|his|her|their|our)\s+$", before, re.I):
        return True  # "my New York State ID number", "her Medical Assistance number": the kind of the number
    if span.source == "rare" and " " not in span.text:
        said = _ID_KIND_IS.match(text, span.end) and re.search(r"\b(?:the|my|your|his|her|their|our)\s+$", before, re.I)
        if _ID_KIND.match(text, span.end) or (said and not re.search("[aeiouy]", word)):
            return True  # "my phn number", "the phn, is"; not "my case number with hpd was"
    if re.search(r"\bour\s+$", before, re.I) and words[:2] == ["lady", "of"]:
        return True
    if re.search(r"\bour\s+lady\s+of\s+$", before, re.I):
        return True  # "the feast of Our Lady of Guadalupe" ("Our Lady of Guadalupe Church" is the church's name)
    window = text[max(0, span.start - 20) : span.end + 20].lower()
    return any(
        re.search(rf"\b{re.escape(name)}\b", window) for w in words for name in festival_words().get(w, ())
    )  # "Mardi Gras", "Bonfire Night", "Ben" of "Pchum Ben"


def _thing(span: Span, text: str) -> bool:
    """A one-word span that is a thing, not a name: a word of the street trade or a form alone ("the Life",
    "my Social is ..."), or a name list's or a capital's proposal after an article or a possessive."""
    word = span.text.lower()
    if span.source not in (*_WEAK_SOURCES, "rare"):
        return False
    if word.removeprefix("the ") in NAMED_DAYS:
        return True
    if " " not in word and word in ALONE_NEGATIVES:
        following = re.match(r"\s+([A-Za-z][\w'’-]*)", text[span.end :])
        if following is None:
            return True
        after = following.group(1).lower()
        return after in STOPWORDS or after in _VERBS or after.endswith("ed")  # not "valley bible fellowship"
    before = text[max(0, span.start - 30) : span.start]
    if _CONSUMED.search(before) and not _OWNER.match(text, span.end):
        return True  # "wore Jordans", not "made me wear Maria's clothes": whose they were
    if _AT.search(before):
        return False
    if span.source == "proper-noun" and span.label != "PERSON" and re.search(r"\b(?:a|an)\s+$", before, re.I):
        return fold_phrase(span.text) not in ORGANISATIONS  # "a North Face", "an Elder"; "a Walmart" is a store
    if re.search(
        r"\bthe\s+(?:new|brand new|fake|old|same|matching)\s+(?:[A-Za-z]+\s+)?$", before, re.I
    ) and _plural_word(span.text):
        return True  # "the new Jordans", "the fake Timberlands"
    if " " in span.text.strip() or (span.label == "ORG" and span.source != "rare"):
        return False
    article = _ARTICLE.search(before)
    if article is None:
        return False
    if span.source == "rare":  # "nack a tish": syllables of a town ASR split, the "a" among them
        previous = before[: article.start()].split()[-1:]
        word = previous[0].lower().strip(".,") if previous else ""
        return not word or "'" in word or "’" in word or word in dictionary()[0] | STOPWORDS
    return True


# Words that end an organisation's or a place's name: a name found without its end takes it ("redbud house",
# "thibodaux regional", "leith walk"). An organisation keeps its possessive ("arby's").
_NAME_ENDS = re.compile(
    r"(?:['’]s)?\s+(house|home|center|centre|shelter|mission|church|trust|regional|general|memorial|elementary|"
    r"academy|hospital|clinic|ministries|ministry|fellowship|tabernacle|chapel|lights|infirmary|institution|"
    r"drop-in|drop in|outreach|"
    r"walk|street|road|avenue|lane|boulevard|bay|parkway|heights|square|crescent|terrace|wynd|mews|quay|"
    r"wood|woods|vale|ridge|grove|hills|commons|industrial|gardens|manor|"
    r"(?:rising|landing|crossing)(?=\s*(?:[,.;!?]|$)|\s+(?:was|is|were|for|and|in|on|at|program|house)\b))"
    r"\b(?!['’]s)",
    re.I,
)
# The last words of an organisation's name that a "for women" may follow as part of the name.
_TAKES_FOR = {"institution", "centre", "center", "shelter", "refuge", "society", "network", "alliance", "coalition",
              "project", "services", "prison", "facility", "unit", "reformatory", "penitentiary",
              "correctional"}  # fmt: skip
_PLACE_ENDS = {"walk", "street", "road", "avenue", "lane", "boulevard", "bay", "parkway", "heights", "square",
               "crescent", "terrace", "wynd", "mews", "quay", "wood", "woods", "vale", "ridge", "grove", "hills",
               "landing", "crossing", "commons", "industrial"}  # fmt: skip


# Who an organisation is for, when its name says so: "edmonton institution for women", "a home for girls".
_FOR_WHOM = re.compile(
    r"\s+for\s+(?:women|men|girls|boys|youth|children|kids|families|mothers|moms|veterans|survivors)\b", re.I
)


def _with_its_end(span: Span, text: str) -> Span:
    if span.label not in ("ORG", "LOCATION") and span.source != "rare":
        return span
    if span.label == "ORG":
        whom = _FOR_WHOM.match(text, span.end)
        if whom and span.text.split()[-1].lower() in _TAKES_FOR:
            return replace(span, end=whom.end(), text=text[span.start : whom.end()])
    end = _NAME_ENDS.match(text, span.end)
    if end is None:
        if span.label == "ORG" and re.match(r"['’]s\b", text[span.end :]):
            return replace(span, end=span.end + 2, text=text[span.start : span.end + 2])  # "arby's"
        return span
    label = "LOCATION" if end.group(1).lower() in _PLACE_ENDS else "ORG"
    stop = end.end()
    whom = _FOR_WHOM.match(text, stop)
    if label == "ORG" and whom and end.group(1).lower() in _TAKES_FOR:
        stop = whom.end()  # "edmonton [institution for women]": the end found, then who it is for
    return replace(span, end=stop, label=label, text=text[span.start : stop])


_CALLED = re.compile(
    r"\b(?:called|call|calls|nicknamed|known as|went by|go by|goes by)\s+(?:(?:me|her|him|them|us|myself|himself|"
    r"herself|themselves)\s+)?['\"“]?$",
    re.I,
)


def _untitled(span: Span, text: str) -> Span:
    """A name without the rank, office or respect said before it ("Judge Serrano", "Don Efrain", "Constable Bird"):
    the title says what someone is, not who. A capital's or the model's short organisation that begins with one is
    that person ("Constable Bird", "Sister Marguerite"); a longer one keeps its words ("Father Flanagan's Boys
    Home")."""
    if span.source == "known" or span.label not in ("PERSON", "ORG"):
        return span
    words = list(re.finditer(r"\S+", span.text))
    titles = 0
    while titles < len(words) - 1 and words[titles].group().lower().rstrip(".,") in HONORIFICS:
        titles += 1
    if titles == 0 or _CALLED.search(text[max(0, span.start - 40) : span.start]):
        return span  # "they called her Miss Kitty": the title is part of what she was called
    if span.label == "ORG" and (
        span.source not in _WEAK_SOURCES or len(words) - titles > 2 or len(words[0].group().rstrip(".")) < 3
    ):
        return span
    start = span.start + words[titles].start()
    return replace(span, start=start, label="PERSON", text=text[start : span.end])


def _accented_name(span: Span, folded: str, text: str, starts: list[int]) -> bool:
    """A person's name written with an accent that folding turns into a people's or a language's word, the subject of
    what follows: "Germán took my passport" is a man, never "German" (a people's own accented name, "I'm Māori",
    "Māori women", stays no name)."""
    if span.label != "PERSON" or span.source != "model" or not starts:
        return False
    accented = text[starts[span.start] : starts[span.end]] != span.text
    return accented and opens_a_clause(folded, span.end) and _people(span, folded)


def _named_word(span: Span) -> bool:
    """ "a girl named April", "my sister montana", "his name is sunday": the month, state or weekday is her name
    (found by persons.NAMED_WORD, NAMED_DAY);
    "lived in Christmas, Florida": the holiday is a town before its state (places.PLACED_TOWN_CONFIDENCE); "we lived on
    Vermont, by the freeway": the state names a street (places.STREET_CONFIDENCE). No hard negative there."""
    if span.source != "context":
        return False
    if span.label == "LOCATION" and span.confidence in (PLACED_TOWN_CONFIDENCE, STREET_CONFIDENCE):
        return True
    return span.confidence == NAMED_WORD_CONFIDENCE and span.text.lower() in NAME_WORDS | WEEKDAYS


def _model_spans(text: str) -> list[Span]:
    """The model's names: those it is sure of as they are; those it is unsure of only where their words back them
    (unsure.judged) and no article or possessive makes them a thing ("a red honda", "my nan"), judged with the
    capitalised words beside them, so "Capri" of "Capri Suns" is a product."""
    spans = []
    for span in find_with_model(text):
        if not unsure(span):
            spans.append(span)
            continue
        kept = judged(span, text)
        if kept is None or _ARTICLE.search(text[max(0, kept.start - 30) : kept.start]):
            continue
        run = proper_run(kept, text)
        thing = _product(run, text) or _thing(run, text) or _weak_thing(run, text)
        if not (thing or _people(run, text) or _holiday(run, text)):
            spans.append(kept)
    return spans


# What puts a town after it: "lived in", "near", "outside of", "moved back to", "went to", "I'm from", "came up from".
_TOWN_CUE = re.compile(
    r"\b(?:in|near|around|outside(?: of)?|through|past|into|towards?"
    r"|(?:go|goes|going|gone|went|move|moves|moved|moving|come|comes|came|coming|drive|drove|driving|run|ran|running|"
    r"head|headed|heading|fly|flew|travell?ed|relocated|transferred|shipped|sent|took|taken|brought|got|get|made it|"
    r"back|out|down|up|over|away|way|trip|bus|ride)(?: (?:me|us|her|him|them|back|out|down|up|over|away))?\s+to"
    r"|(?:am|is|are|was|were|i'm|im|she's|he's|we're|they're|originally|family|people|folks|come|comes|came|coming|"
    r"moved|drove|bus|train|ride|trip|way|back|out|down|up|over|away|all the way)\s+from)\s+$",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"^['’]s\b", re.IGNORECASE)


def _town_or_person(text: str, spans: list[Span]) -> list[Span]:
    """A listed word that is both a town and a first name ("Modesto", "Lodi") is whichever the words around it say:
    a town after "in", "near", "moved to", "from" and the like, before "was where we lived", "it's a small town" or
    a state, or where every other layer that found it took it for a place; a person where a possessive follows ("in
    Lodi's car"); else what the list says. QA V1: "Modesto" typed without a label was stored as a PERSON, and her
    "I moved to Modesto" went out as "moved to [PERSON 3]": a place never shares a person's kind of placeholder."""
    found = []
    for span in spans:
        if (
            span.source == "known"
            and span.label in ("PERSON", "LOCATION")
            and town_and_first_name(fold_phrase(span.matched or ""))
        ):
            possessive = _POSSESSIVE.match(text[span.end :]) or re.search(r"['’]s$", span.text)
            others = {
                s.label
                for s in spans
                if s.source != "known"
                and s.label in ("PERSON", "LOCATION")
                and s.start < span.end
                and span.start < s.end
            }
            if possessive:
                span = replace(span, label="PERSON")
            elif (
                _TOWN_CUE.search(text[max(0, span.start - 40) : span.start])
                or explained_as_town(text[span.end : span.end + 80])
                or others == {"LOCATION"}
            ):
                span = replace(span, label="LOCATION")
        found.append(span)
    return found


def _listed(text: str, spans: list[Span]) -> list[Span]:
    """The rest of a list whose one name was found only by its later mention ("the girls were Honey, Star, and
    Lucky, and Lucky was the one who ...") or by a name listed beside it: each new name's neighbours in turn."""
    found: list[Span] = []
    for _ in range(4):  # a list of five at most
        new = [
            s
            for s in coordinated(text, spans + found)
            if not no_identifier(s, text)
            and not any(
                o.start < s.end and s.start < o.end and (o.label == s.label or o.source not in _WEAK_SOURCES)
                for o in spans + found
            )
        ]
        if not new:
            break
        found += new
    return found


# Words that say what kind of place an institution is, or whom it is for: "the women's jail", "the healing lodge".
_KIND_WORDS = GENERIC_MODIFIERS | {"healing", "psych", "psychiatric", "remand", "immigration", "holding", "federal"}
_APPOSED_BEFORE = re.compile(r"[\w'’.)]\s*,\s+(?:which\s+is\s+|that's\s+|it's\s+)?the\s+$", re.I)
_APPOSED_AFTER = re.compile(r"\s*,\s+(?=[\w'’])")


def _described(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` without an institution described by its kind beside its name, set off by a comma: "at Vanier in
    Milton, the women's jail, twice", "at the healing lodge, Okimaw Ohci, where ...". The name is the identifier;
    the description is what every such place is called. Not a name made of such words alone ("at the women's
    jail I met ...", nothing beside it)."""
    kept = []
    for span in spans:
        words = [w.lower().replace("’", "'") for w in span.text.split()]
        if (
            span.label == "ORG"
            and span.source == "context"
            and 2 <= len(words) <= 3
            and text[max(0, span.start - 4) : span.start].lower() == "the "
            and all(w in _KIND_WORDS for w in words[:-1])
        ):
            before = _APPOSED_BEFORE.search(text[max(0, span.start - 20) : span.start])
            after = _APPOSED_AFTER.match(text, span.end)
            named_before = before and any(0 <= span.start - o.end <= 60 and o is not span for o in spans)
            named_after = after and any(o.start == after.end() for o in spans)
            if named_before or named_after:
                continue
        kept.append(span)
    return kept


# Words that begin a place's name of two or more: "new [york avenue]", "north [carolina street]", "san [pedro street]".
_LEADS = {"new", "north", "south", "east", "west", "rhode", "san", "santa", "los", "las", "el", "la", "fort", "saint",
          "st", "mount", "mt", "port", "lake", "grand", "little"}  # fmt: skip


def _whole_word(span: Span, text: str) -> Span:
    """A place or a name with the rest of its word or name: the other half of a hyphenated word ("cedar-[riverside]",
    "[mary]-kate") and the first word of a state or a town a street is named for ("new [york avenue]",
    "north [carolina street]")."""
    if span.source == "known" or span.label not in ("PERSON", "LOCATION", "ORG"):
        return span
    if span.source == "pattern" and span.label != "LOCATION":
        return span  # a street a pattern found may still lack its state's first word
    start, end = span.start, span.end
    before = re.search(r"(?<![\w'’-])([A-Za-z]+)-$", text[max(0, start - 30) : start])
    if before and before.group(1).lower() not in STOPWORDS:
        start -= len(before.group())
    after = re.match(r"-([A-Za-z]+)(?![\w'’-])", text[end:])
    if after and after.group(1).lower() not in STOPWORDS:
        end += len(after.group())
    if span.label == "LOCATION" and start == span.start:
        lead = re.search(r"(?<![\w'’-])([A-Za-z]+)\s+$", text[max(0, start - 12) : start])
        first = text[start:end].split()[0].lower()
        if lead and lead.group(1).lower() in _LEADS and " " in text[start:end].strip():
            named = f"{lead.group(1).lower()} {first}"
            if named in US_STATES or named in REGIONS or named in places():
                start -= len(lead.group())
    if (start, end) == (span.start, span.end):
        return span
    return replace(span, start=start, end=end, text=text[start:end])


# Two streets said as their corner after where someone was: "around Lake and Chicago", "at Jarvis and Dundas"; or two
# names no town has ("lafayette and barretto"). Not two towns after "in", "to", "between" ("in Tulsa and Dallas").
_CORNER_AND = re.compile(r"\s+(?:and|&)\s+")
_CORNER_BEFORE = re.compile(r"\b(?:at|around|corner of|on the corner of|off|worked|working)\s+$", re.I)


def _corners(text: str, spans: list[Span]) -> list[Span]:
    places_found = sorted((s for s in spans if s.label == "LOCATION"), key=lambda s: s.start)
    found = []
    for left, right in itertools.pairwise(places_found):
        gap = _CORNER_AND.fullmatch(text, left.end, right.start)
        if gap is None or " " in left.text.strip() or " " in right.text.strip():
            continue
        towns_both = all(fold_phrase(s.text) in places() for s in (left, right))
        if towns_both and not _CORNER_BEFORE.search(text[max(0, left.start - 20) : left.start]):
            continue
        found.append(Span(left.start, right.end, "LOCATION", "context", text[left.start : right.end], 0.6))
    return found


def unmarked(text: str) -> str:
    """``text`` with each mark blanked to a full stop and spaces (same length, so offsets hold)."""
    return _MARK.sub(lambda m: "." + " " * (len(m.group()) - 1), text)


def outside_marks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``text[start:end]`` that hold no mark (QA E6: a phone number read over a segment break took
    the next segment's "[crosstalk]" with it, and left "[[PHONE]"); where a mark is cut off, the spaces and
    punctuation beside it go too, and a piece with no letter or digit is dropped."""
    pieces, at = [], start
    for mark in _MARK.finditer(text):
        if mark.end() > at and mark.start() < end:  # a mark the span reaches into, even by one character
            pieces.append((at, max(at, mark.start())))
            at = mark.end()
    pieces.append((at, max(at, end)))
    kept = []
    for n, (a, b) in enumerate(pieces):
        while n > 0 and a < b and not text[a].isalnum():
            a += 1
        while n < len(pieces) - 1 and b > a and not text[b - 1].isalnum():
            b -= 1
        if any(c.isalnum() for c in text[a:b]):
            kept.append((a, b))
    return kept


def require_layers() -> None:
    """Raise FieldvaultError when the system word list, the word frequencies, the gazetteer, the list of languages
    and holidays, the NER model or the learned head's weights are missing."""
    dictionary()
    require_frequencies()
    require_data_packages()
    gazetteer()
    peoples()
    model_dir()
    require_head()


def _titled(s: Span, text: str) -> bool:
    """One capitalised word that a layer proposed as a person, right after a title or a kin word: a person's name
    whatever lists hold the word ("Mr. Tonga", "Aunt Georgia", "my son Dakota": QA J10); a country's, a state's or a
    people's name there names her."""
    return s.label == "PERSON" and len(s.text.split()) == 1 and s.text[:1].isupper() and _after_title(s, text)


def _after_title(s: Span, text: str) -> bool:
    """The word right before ``s`` (a dot after it allowed) is a title or a kin word: "Ms.", "Aunt", "my son"."""
    before = re.search(r"([A-Za-z]+)\.?\s+$", text[max(0, s.start - 20) : s.start])
    return before is not None and before[1].lower() in TITLES | PERSON_WORDS


def no_identifier(s: Span, text: str) -> bool:
    """What a layer proposed that the words make no identifier: a hard negative, a verse, a thing, a people, a
    holiday, a count, a product, part of a two-word hard negative, what is taken or written with, what someone says
    she is, a medicine."""
    return (
        is_hard_negative(s.text)
        or _verse(s, text)
        or _thing(s, text)
        or _weak_thing(s, text)
        or _people(s, text)
        or _holiday(s, text)
        or _numbered(s, text)
        or _product(s, text)
        or _negative_with_neighbour(s, text)
        or _taken_or_used(s, text)
        or self_description(s.text, text[max(0, s.start - 30) : s.start])
        or (s.label != "CONTACT" and all(medicine(fold_phrase(w)) for w in s.text.split()))
        or _spoken_among_english(s.text)
        or _gloss(s, text)
        or _service(s, text)
        or _feast_said(s, text)
        or _province(s, text)
        or _state_by_kind(s, text)
    )


# After a province's name, what ends it: punctuation, a preposition, a conjunction, a pronoun or an adverb. Anything
# else goes on a longer name the province's begins: "Sughd Work Abroad" (an agency), "Johor Bahru" (a city), "the Edo
# State Task Force".
_PROVINCE_ENDS = re.compile(
    r"\s*(?:[,.!?;:)\"”]|$)|\s+(?:for|to|in|on|at|from|and|or|but|with|by|near|where|"
    r"when|then|so|because|not|is|was|were|even|too|also|again|anymore|now|that|which|who|i|we|she|he|they|you|my|"
    r"before|after|until|during|since|like|um|uh)\b",
    re.I,
)


def _province(span: Span, text: str) -> bool:
    """A state or a province of any country ("in Selangor", "to Zulia"), said alone: too large to identify anyone
    (HIPAA Safe Harbor marks geography below a state)."""
    if fold_phrase(span.text) not in provinces() or _PROVINCE_ENDS.match(text, span.end) is None:
        return False
    before = re.search(r"([^\W\d_][\w'’-]*)[ \t]+$", text[max(0, span.start - 40) : span.start])
    if before is None:
        return True  # a clause's or a line's first words
    word = before.group(1).lower()
    # "the Association of Women Jurists of Khatlon", "panaderia el sol de jalisco": a body's name ends with it;
    # "puerto morelos", "ha abia": a town's name does
    return word in STOPWORDS and word not in ("of", "de", "do", "da", "del", "di", "du", "des")


_KIND_OF_STATE = re.compile(r"[ \t]+(?:state|province)\b", re.I)
_IN_OR_FROM = re.compile(r"\b(?:in|from)[ \t]+(?:the[ \t]+)?$", re.I)


def _state_by_kind(span: Span, text: str) -> bool:
    """A state or a province said with its kind after "in" or "from" ("Ibadan in Oyo State", "Puerto Ordaz, in
    Bolívar state", "in savannakhet province"), or the kind word alone there: too large to identify anyone, even where a
    town shares its name ("in Lagos State"). Not a body named after one ("the Edo State Task Force"), nor a university
    ("went to Ohio State")."""
    words = span.text.split()
    if words and words[-1].lower() in ("state", "province"):
        end = span.end
        if len(words) == 1:  # the kind word alone, after its state's name: "in oyo [state]"
            before = re.search(r"([^\W\d_][\w'’-]*)[ \t]+$", text[max(0, span.start - 40) : span.start])
            start = before.start(1) + max(0, span.start - 40) if before else span.start
        else:
            start = span.start
    else:
        kind = _KIND_OF_STATE.match(text, span.end)
        if kind is None:
            return False
        start, end = span.start, kind.end()
    if start == span.start and len(words) == 1 and words[0].lower() in ("state", "province"):
        return False
    opens = _IN_OR_FROM.search(text[max(0, start - 20) : start])
    return opens is not None and _PROVINCE_ENDS.match(text, end) is not None


# What one does on a messaging, posting or paying service, then "on" and its name: "call my mama on viber", "text me
# on viber", "wrote to my cousin on viber", "posted me on leolist", "advertised me as angel on adultwork", "the
# clients who found us on avito", "send money on moncash", "he posts on odnoklassniki", "the ads on vivastreet". Only
# a person, kin, money or a working name between: "met me on virginia street", "a motel on dort highway", "called
# cps on nestor" (whom she reported) and "put me out on bissonnet" are places and persons.
_KIN = "|".join(sorted(PERSON_WORDS | {"mama", "mum", "mommy", "papa", "family", "people", "clients"}))
_ON_SERVICE = re.compile(
    r"\b(?:call|calls|called|calling|phone|phoned|text|texts|texted|texting|message|messages|messaged|messaging|"
    r"write|writes|wrote|writing|chat|chats|chatted|chatting|post|posts|posted|posting|advertise|advertises|"
    r"advertised|advertising|send|sends|sent|sending|find|finds|found|ads|ad|adverts|advert|photos|pictures|pics)"
    rf"(?:\s+(?:me|us|her|him|them|you|to|my|his|our|their|your|money|some|the|a|as\s+[a-z]+|{_KIN})){{0,4}}"
    r"\s+on\s+$",
    re.I,
)
# A holiday said where a clause opens, then what she did on it: "and on bajram, um, i call my mother", "on tết i cry
# all day", "On Kurman Ait we cooked plov", "On Minggu, Sunday, we were allowed out", "even on fasika". Not after a
# noun or a verb of place ("a bar on colfax, waitressing", "born on praslin", "put me out on bissonnet, i was").
_ON_OPENING = re.compile(r"(?:^|[.!?;]\s+|\band\s+|\beven\s+|\bbut\s+)on\s+$", re.I)
_THEN_SHE_DID = re.compile(
    r"(?:\s*(?:[,.!?;]|$)|\s+(?:i|we|she|he|they|my|our|the|a|everyone|everybody|nobody|people)\b)", re.I
)
# A holiday after a word of time: "from puasa until after lebaran and then until the next puasa, so", "after imlek,
# and she say", "during ramadan.", "every navruz", "we celebrated vardavar". Not a
# person after it: "until Tulegenov was sentenced", "after Rineta came forward" (a verb follows), "before ray"
# (a name the lists hold).
_TIME_BEFORE = re.compile(
    r"\b(?:during|every|celebrate|celebrates|celebrated|celebrating|next|last|until|till|since|before|after)"
    r"\s+(?:the\s+)?$",
    re.I,
)
_TIME_AFTER = re.compile(r"\s*(?:[,.!?;]|$)|\s+(?:and|or|then|so)\b|\s+(?:until|till)\b", re.I)
_FROM = re.compile(r"\bfrom\s+$", re.I)  # "from puasa until after lebaran": a stretch of time
_UNTIL = re.compile(r"\s+(?:until|till)\b", re.I)
STREET_WORDS = STREET_SUFFIXES | WEAK_SUFFIXES | {"st", "rd", "ave"}


def _unlisted(span: Span) -> bool:
    """Words no list of first names, surnames or places holds, of three letters or more: a name the lists know
    ("ray", "bissonnet" aside) is not taken for a holiday or a service by its slot."""
    words = [base_word(w).lower() for w in span.text.split()]
    return bool(words) and len(words) <= 3 and all(len(w) > 2 and w not in names_and_places() for w in words)


def _service(span: Span, text: str) -> bool:
    """A service's name after what one does on it (`_ON_SERVICE`): one word, no street word after it."""
    if span.label not in ("PERSON", "ORG", "LOCATION") or len(span.text.split()) != 1:
        return False
    following = re.match(r"\s+([a-z]+)", text[span.end : span.end + 20], re.I)
    if following and following.group(1).lower() in STREET_WORDS:
        return False
    return _ON_SERVICE.search(text[max(0, span.start - 80) : span.start]) is not None and _unlisted(span)


def _feast_said(span: Span, text: str) -> bool:
    """A holiday or a feast by its slot: "on" where a clause opens and what she did then (`_ON_OPENING`), or after a
    word of time and before the clause goes on (`_TIME_BEFORE`)."""
    if span.label not in ("PERSON", "ORG", "LOCATION") or not _unlisted(span):
        return False
    before = text[max(0, span.start - 40) : span.start]
    if _ON_OPENING.search(before):
        return _THEN_SHE_DID.match(text, span.end) is not None
    if _FROM.search(before):
        return _UNTIL.match(text, span.end) is not None
    return _TIME_BEFORE.search(before) is not None and _TIME_AFTER.match(text, span.end) is not None


# What a name or a word means, said after it: "his name means hope", "drita, it mean light", "the hotel yildiz, it
# means star", "wara means star" (not "I mean Lamin": a self-correction names someone).
_MEANS = re.compile(
    r"(?:\bmeans|\b(?:it|that|this|which|name|word)\s+(?:just\s+|only\s+|also\s+)?mean)\s+(?:like\s+)?"
    r"(?:a\s+|an\s+|the\s+)?$",
    re.I,
)


def _gloss(span: Span, text: str) -> bool:
    """Everyday English words that say what a name or a word means: the meaning, no one's name (the name itself,
    before "means", stays)."""
    words = [base_word(w).lower() for w in span.text.split()]
    ordinary = dictionary()[0]
    return (
        bool(words)
        and all(w in ordinary for w in words)
        and bool(_MEANS.search(text[max(0, span.start - 40) : span.start]))
    )


def _spoken_among_english(words: str) -> bool:
    """Words of another language or a dialect said among English and nothing else, a filler aside: "jina langu",
    "doudou", "ah divvent"."""
    found = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", unicodedata.normalize("NFC", words).lower())
    found = [w for w in found if w not in HESITATIONS]
    return bool(found) and all(w in SPOKEN_AMONG_ENGLISH or w in _FOLDED_AMONG for w in found)


_FOLDED_AMONG = {fold_phrase(w) for w in SPOKEN_AMONG_ENGLISH}  # the detector reads folded text: "pale kweyol"


def _head_spans(text: str, spans: list[Span]) -> list[Span]:
    """The learned head's words where no layer proposed anything, judged like every layer's (`kept`), in the
    stretches written without capitals (ASR that does not case, or stops casing for a while), where the capital
    rules cannot help (fieldvault/redact/head.py)."""
    heads = find_with_head(text)
    taken = [(s.start, s.end) for s in spans]
    pieces = [
        replace(h, start=a, end=b, text=text[a:b]) for h in heads for a, b in uncovered(text, (h.start, h.end), taken)
    ]
    return [h for h in pieces if kept(h, text)]


def kept(head: Span, text: str) -> bool:
    """Whether the head's words are an identifier as far as the rules know: not what `no_identifier` says is none,
    no bare number, not made of stopwords and words for a part of a state alone ("he", "eastern [tennessee]"), not
    number words alone ("zero"), nor a piece of a time ("5 p" of "5 p.m.", "a.m.")."""
    words = fold_phrase(head.text).split()
    if any(t.start() <= head.start and head.end <= t.end() for t in _TIME.finditer(text)):
        return False
    return not (
        no_identifier(head, text)
        or bare_number(head.text)
        or all(w in STOPWORDS or w in COMPASS_WORDS for w in words)
        or all(w in SPOKEN_NUMBERS for w in words)
    )


# A time of day, the number before it: "5 p.m.", "8 a.m.", "at 10 am" (initials are names: never taken here).
_TIME = re.compile(r"(?:\b\d{1,2}(?::\d\d)?\s*)?\b[ap]\.\s?m\.|\b\d{1,2}(?::\d\d)?\s*[ap]m\b", re.IGNORECASE)


def detect(text: str, known: list[KnownIdentifier] | None = None) -> list[Span]:
    """Proposed spans over ``text`` (Python string offsets), sorted and non-overlapping."""
    require_layers()
    blanked = unmarked(text)
    folded, starts = fold(blanked)
    spans = find_known(folded, known or []) + find_patterns(folded) + find_in_context(folded) + find_rare(folded)
    spans += find_spoken(folded) + find_answers(folded) + find_appositives(folded) + find_initials(folded)
    spans += _model_spans(folded) + find_places(folded) + find_persons(folded) + find_called(folded)
    spans += find_organisations(folded) + find_ages(folded)
    spans = [
        s
        for s in spans
        if s.source == "known"
        or _named_word(s)
        or (s.source == "pattern" and s.label == "DATE")  # "my birthday's on halloween": a holiday a date of birth
        or _titled(s, folded)
        or _accented_name(s, folded, blanked, starts)
        or not no_identifier(s, folded)
    ]
    spans = [s for s in spans if s.source in ("known", "pattern") or not bare_number(s.text)]  # numbers' rules decide
    spans = _town_or_person(folded, spans)
    spans = _described(folded, [_untitled(s, folded) for s in spans])
    spans += [s for s in coordinated(folded, spans) if not no_identifier(s, folded)]  # not "Gede, [Kanaval]"
    spans += [s for s in same_names(folded, spans) if _named_word(s) or not is_hard_negative(s.text)]
    spans += joined_names(folded, spans)
    spans += _listed(folded, spans)
    spans = [_whole_word(_with_its_end(s, folded), folded) for s in spans]
    spans = [with_institution(s, folded) for s in spans]
    spans += _corners(folded, spans)
    spans += [s for s in acronyms(folded, spans) if not is_hard_negative(s.text)]
    kin = misheard_kin(folded)
    spans = [s for s in spans if not (s.source == "rare" and (s.start, s.end) in kin)]
    spans += [with_institution(s, folded) for s in _head_spans(folded, spans)]  # "[happy] corner tavern"
    spans += joined_bodies(folded, spans)  # "[dirección general] de [migración]", "[university hospital] of wales"
    spans += said_again(folded, merge(spans, folded))  # a name's syllables and other forms, by the labels merged
    spans += named_again(folded, spans)  # "at the corner pocket, a bar ... the corner pocket closed"
    spans += number_parts(folded, spans)  # "it was [one two, uh,] seven seven four", "B 4417[/21]"
    spans += parts_said_alone(folded, spans)  # "dwayne "smoke" jefferson ... later [smoke] came by"
    spans += short_form_beside(folded, spans)  # "i'm [mo], maureen gallagher"
    spans = without_loanwords(folded, spans)  # "the kothi", "my didi", "we eat momo and chowmein"
    spans = without_listed_homes(folded, spans)  # "[Karl]'s place" for a listed Carl, not "[Karl's place]"
    if folded is blanked:
        back = [replace(s, text=text[s.start : s.end]) for s in spans]
    else:
        back = [
            replace(s, start=starts[s.start], end=starts[s.end], text=text[starts[s.start] : starts[s.end]])
            for s in spans
        ]
    return merge([t for t in (_retitled(s, text) for s in within_lines(back, text)) if t is not None], text)


def runs_on(span: Span) -> bool:
    """Whether a span may run on past a line's or a segment's end: a listed identifier, a number ("call 916" /
    "555 0142")."""
    return span.source == "known" or span.label in ("CONTACT", "ID", "DATE")


def opens_with_function_word(text: str) -> bool:
    """Whether the first word is one no name begins with ("When", "She", "The"): a span that took it from the next
    line or segment ran on past where it ended."""
    first = re.search(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text)
    return first is not None and fold_phrase(first.group()) in STOPWORDS


def within_lines(spans: list[Span], text: str) -> list[Span]:
    """Each span that runs over a line break cut at the break: before a function word ("I grew up in Lodi" / "When I
    was nine" proposed "Lodi When", and the export read "in [PLACE] I was nine", QA U3), and before a new name that
    opens the next line's clause ("we lived in Lodi" / "Maria came to get me" proposed "Lodi Maria", one place, U3's
    rest). The pieces of a span cut before a new name yield to what a layer found within one line, so each name keeps
    its own label ("Maria" a person by her verbs, "Lodi" a place after "in"). A listed identifier and a number keep
    their lines."""
    out, pieces = [], []
    for span in spans:
        if not runs_on(span) and "\n" in span.text:
            cut = span.text.index("\n")
            head = span.text[:cut].rstrip()
            last = span.text.rindex("\n")
            if head.strip() and opens_with_function_word(span.text[cut:]):
                span = replace(span, end=span.start + len(head), text=head)
            elif opens_a_clause(text, span.end) and span.text[:last].strip() and span.text[last:].strip():
                before = span.text[:last].rstrip()
                start = span.start + last + len(span.text[last:]) - len(span.text[last:].lstrip())
                pieces += [
                    replace(span, end=span.start + len(before), text=before),
                    replace(span, start=start, text=text[start : span.end]),
                ]
                continue
        out.append(span)
    within = [s for s in out if "\n" not in s.text]
    return out + [p for p in pieces if not any(s.start < p.end and p.start < s.end for s in within)]


# Vietnamese words of kinship and respect said before a name ("cô Lan", "bà Tư", "chị Hạnh", "ông Sáu") and Spanish
# "doña": written with their marks they are titles only, never a name; the name is the word after them.
_MARKED_TITLES = {"cô", "bà", "chị", "ông", "bác", "chú", "dì", "cậu", "mợ", "thím", "doña"}
_NEXT_WORD = re.compile(r" ([^\W\d_][\w'’-]*)")


def _retitled(span: Span, text: str) -> Span | None:
    """The span without a marked title before the name; a title found alone moves to the name after it."""
    first = span.text.split(" ")[0]
    if span.source in ("known", "pattern") or first.lower() not in _MARKED_TITLES:
        return span
    if len(first) < len(span.text):
        start = span.start + len(first) + 1
        return replace(span, start=start, label="PERSON", text=text[start : span.end])
    following = _NEXT_WORD.match(text, span.end)
    if following is None or fold_phrase(following.group(1)) in STOPWORDS:
        return None
    return replace(span, start=following.start(1), end=following.end(1), label="PERSON", text=following.group(1))
