"""Layer 7: persons found by what they do, and names written or spelled as letters.

A name that is also an everyday word ("Hope", "Faith", "journey") is a name when English puts it where only a
person can stand:
- the subject of a verb only a person does, at the start of a clause: "Hope picked me up", "faith came with
  me", "Destiny got adopted", "Warren was the one who sold me";
- the object of a verb only a person receives: "I told Grace everything", "i met charity at group";
- a child said with her age: "my daughter journey is four", and after a word ASR made of the kin word
  ("my dogger faith is six now");
- a list after "my kids are": "my kids are chance, journey and honor".
Initials with full stops ("J.T.", "d.j.") and a name spelled letter by letter ("t a n i s h a") are persons
too. ``same_names`` then proposes every other mention of a name a strong cue found ("her name was heaven ...
i think about heaven every day"), unless English reads the word as itself there ("in heaven", "i hope").
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from fieldvault.redact.context import RELATIONS
from fieldvault.redact.lexicon import (
    CHILD_WORDS,
    HARD_NEGATIVES,
    HONORIFICS,
    INFORMAL,
    NAME_PARTICLES,
    NAME_WORDS,
    PERSON_WORDS,
    STOPWORDS,
    WEEKDAYS,
    WORD_NAMES,
    base_word,
    dictionary,
    first_names,
    gradable,
    last_names,
    medicine,
    nicknames_of,
    places,
)
from fieldvault.redact.patterns import SPOKEN_NUMBERS
from fieldvault.redact.rare import opens_a_clause
from fieldvault.redact.spans import Span
from fieldvault.redact.spelling import find_spelled

_WORD = r"([A-Za-z][a-z'’-]+|[A-Z][A-Za-z'’-]+)"
# A clause begins: the text's start, a sentence's end, a comma, or a conjunction.
_CLAUSE = r"(?:^|(?<=[.!?;:,\"“])\s*|\b(?:and|but|then|when|because|cause|so|until|till|til|after|before|that)\s+)"
_ADVERB = r"(?:(?:always|never|just|still|finally|even|also|really|then|later|actually|eventually|usually)\s+)?"
_OBJ = r"(?:me|us|her|him|them|my \w+)"
# Verbs only a person does (an abstract "hope" may keep her going or help, but does not pick her up).
_PERSON_VERB = (
    f"(?:picked {_OBJ} up|picks {_OBJ} up|came (?:with|for|to get|and got|and picked|to see|to visit|"
    f"over(?! me| him| her| us))|"
    f"comes (?:with|for|to get|over)|drove {_OBJ}|drives {_OBJ}|texted|texts {_OBJ}|told {_OBJ}|tells {_OBJ}|"
    f"said (?:that|he|she|i|we|they|it|to)|says (?:that|he|she|i|we|they|it|to)|asked {_OBJ}|"
    f"got (?:adopted|arrested|locked up|pregnant|married|deported|shot|killed|sent|out)|"
    f"was the one (?:who|that)|is the one (?:who|that)|passed away|sold {_OBJ}|beat {_OBJ}|raped {_OBJ}|"
    f"married {_OBJ}|pimped {_OBJ}|introduced {_OBJ}|took over(?! the)|"
    f"shared (?:a|the|her|his) (?:room|cell|bed|apartment)|"
    f"and (?:i|me) (?:were|was|shared|lived|stayed|met|got|ran|worked|grew|went|used|did|had|started|left|moved|"
    f"walked|slept))"
)
SUBJECT = re.compile(rf"{_CLAUSE}{_WORD}\s+{_ADVERB}{_PERSON_VERB}\b", re.I)
# What a person does to someone, or to her papers, that no abstract thing does in plain talk: "Blessing took my phone
# and my passport", "then sugar came back with two men", "duke locked us in". "hope kept me going", "grace brought me
# here", "faith helped me" are figures of speech: _ABSTRACT words never stand here, and "kept/gave/made/helped" are
# left out.
_KEEPS = (
    r"(?:took|takes|take|kept|keeps|keep|held|holds|had|collected|collects|collect|counted|controlled|controls|"
    r"took\s+away)"
)
_PAPERS = r"(?:passports?|ids?|i\.d\.s?|papers|documents|phones?|money|cards?|keys|visa|pay|wages|tips)"
_DOER_VERB = (
    rf"(?:(?:took|takes|take|locked|drove|dropped|bought|slapped|punched|choked|hit|fed|hid|hide|moved|walked|trafficked|"
    rf"recruited|threatened|rented|brought|sent|put)\s+(?:me|us|her|him|them)\b(?!\s+(?:back|through|down)\b)|"
    rf"{_KEEPS}\s+(?:all\s+)?(?:my|our|her|his|their|the\s+girls['’]?)\s+(?:\w+\s+)?{_PAPERS}\b|"
    rf"came\s+back\s+(?:with|for|to\s+get|and\s+(?:took|got))\b)"
)
DOER = re.compile(rf"{_CLAUSE}{_WORD}\s+{_ADVERB}{_DOER_VERB}", re.I)
# Slots only a person fills, whatever word stands in them: who takes or keeps her papers, or keeps the money ("talent
# take my id", "given keeps the money"; "crack took my money" is a figure), who takes her somewhere ("spice take me to
# carriacou"), who speaks to her ("given said you are not ..."), who messages her ("cricket still messages me"), who
# comes for the money ("talent came every night for the money"), who is in prison or jail ("and dre is in east jersey
# state prison", "arben is in prison"), and a clause's subject said again as "she" or "he" ("and memory she just
# disappear"). The Caribbean's possessive "she", "he", "me" ("bunny had she passport") counts
# as "her", "his", "my". Everyday words are given names in many Englishes (southern Africa's "Talent",
# "Memory", "Given"; the Caribbean's "Spice"), so the word need not be a listed name; only none that acts bare in
# English (see bare_person).
_MONEY = r"(?:money|cash|rent|pay|wages|tips|takings)"
_DOCUMENTS = r"(?:passports?|ids?|i\.d\.s?|papers|documents|phones?|cards?|keys|visa)"
_BARE_SLOT = (
    rf"(?:{_KEEPS}\s+(?:all\s+)?(?:my|our|her|his|their|the|me|she|he|dem)\s+(?:\w+\s+)?{_DOCUMENTS}\b|"
    rf"(?:kept|keeps|keep|collected|collects|collect|counted|counts|held|holds)\s+(?:all\s+)?(?:my|our|her|his|their|the)\s+"
    rf"(?:\w+\s+)?{_MONEY}\b|"
    r"(?:took|take|takes|drove|brought|sent|moved|sold)\s+(?:me|us|her|him|them)\s+(?:to|across|over|into)\b|"
    r"(?:put|puts)\s+(?:me|us|her|him|them)\s+(?:on|in|to\s+work|out)\b|"
    r"(?:said|says|say)\s+(?:you|to\s+me|to\s+us)\b|(?:told|tells|tell|asked|asks|ask)\s+(?:me|us)\s+(?:to|that)\b|"
    r"(?:came|comes|come)\s+(?:(?:every|each|one|that|last)\s+\w+\s+)?(?:for|to\s+(?:get|collect|take))\s+"
    rf"(?:the|my|our|her|his)\s+{_MONEY}\b|"
    r"(?:messages|messaged|texts|texted|rings|rang|phoned)\s+(?:me|us)\b|"
    r"(?:was|were|got|had\s+been|has\s+been|been)\s+(?:convicted|sentenced|arrested|charged|jailed|deported|acquitted|"
    r"extradited|indicted|imprisoned|remanded|paroled)\b|"
    r"(?:is|was)\s+(?:still\s+|now\s+)?in\s+(?!(?:the|a|an|my|our|their|his|her|that|this)\s)(?:[a-z]+\s+){0,3}?"
    r"(?:prison|jail|penitentiary)\b|"
    r"(?:she|he)\s+(?:just\s+|also\s+|never\s+|always\s+|still\s+|then\s+)?(?!(?:and|or)\b)[a-z]+)"
)
# A nickname's creole "ti" or "gros" before it stands in the slot too: "ti pol he rent a room" (with_prefixes adds it).
BARE_DOER = re.compile(rf"{_CLAUSE}(?:(?:ti|gros)\s+)?{_WORD}\s+{_ADVERB}{_BARE_SLOT}", re.I)
# Endings of nouns for an institution, a body of people, a state or an act ("immigration", "security", "management",
# "welfare", "poverty"), and of a role ("driver", "doctor", "dentist", "guardian"): such a noun acts bare in
# English ("immigration kept my passport", "security told us to leave", "and driver take us to the border"); no name
# there ends so.
_ACTING_ENDINGS = ("tion", "sion", "ity", "ty", "ment", "ance", "ence", "ship", "ism", "ing", "ency", "ancy",
                   "age", "ure", "dom", "hood", "ics", "er", "or", "ist", "ian", "ary", "ery")  # fmt: skip
# Institutions and bodies of people said bare without those endings, and the words that start a clause in time
# ("and sometimes she ...").
_ACTING_BARE = {"staff", "admin", "rent", "cash", "money", "pay", "border", "welfare", "customs", "police", "army",
                "navy", "council", "government", "court", "family", "crew", "gang", "team", "church", "mosque",
                "bank", "hospital", "clinic", "shelter", "school", "work", "home", "bible", "news", "tv", "radio",
                "internet", "facebook", "sometimes", "later", "today", "tonight", "tomorrow", "yesterday",
                "afterwards", "anyway", "maybe", "meanwhile", "instead", "otherwise", "besides", "now", "soon",
                "there", "here", "somehow", "once", "twice", "first", "last", "next", "again", "finally",
                "eventually", "suddenly", "nobody", "night", "day", "morning", "evening", "week", "weekend", "month",
                "year", "time", "summer", "winter", "everybody", "somebody", "anybody", "someone", "everyone",
                "anyone", "noone"}  # fmt: skip


# What only a person does to someone, whatever word stands before it, a describing one too ("and slim broke my jaw",
# "sweets pimped me out"): no abstract, institution, kin or role word (see _violent).
VIOLENT = re.compile(
    rf"{_CLAUSE}{_WORD}\s+{_ADVERB}(?:(?:beat|punched|slapped|choked|raped|pimped|trafficked|stabbed|kicked|strangled)"
    r"\s+(?:me|us|her|him)|broke\s+(?:my|her|his)\s+(?:jaw|nose|arm|ribs?|wrist|leg|hand|fingers?|teeth|tooth|"
    r"cheekbone|collarbone))\b",
    re.I,
)


# "Our Chelsea tried to get me out": a sibling or a child said with "our" (the north of England, Ireland, Australia),
# then what she did; only a word the name lists hold and no dictionary does ("our bill was high", "our house").
OUR_NAME = re.compile(
    r"\b(?:our|oor)\s+([A-Za-z][a-z'’-]+)\s+(?:[a-z]+ed|was|is|had|has|said|told|came|went|got|took|tried|kept|gave|"
    r"never|always|still|just|used|would|could|can|will|says|wants|lives|lived|works|worked)\b",
    re.I,
)
# A short word said twice is a nickname ("nay nay didn't make it", "me and dee dee", "lyn lyn"): a word no dictionary
# has or a first name, or an everyday one before what only a person does or after "me and". Never a word English
# doubles ("no no", "bye bye", "so so", "yeah yeah": stopwords and informal words).
DOUBLED = re.compile(r"(?<![\w'’-])([A-Za-z]{2,4}) \1(?![\w'’-])", re.I)
_DOUBLED_PERSON = re.compile(
    r"\s*(?:,\s*)?(?:and\s+me|didn['’]t|did|was|is|said|says|told|came|went|got|she|he|who|passed|died)\b", re.I
)
# People listed with the speaker: "five of us in one room: chipo, farai, precious, loveness and me" (each one word; a
# list of kin or of things is no list of names: see _listable).
WITH_ME = re.compile(
    r"((?:[A-Za-z][a-z'’-]+\s*,\s*){1,6}[A-Za-z][a-z'’-]+)\s*,?\s+and\s+(?:me|myself|i)\b(?!['’])",
    re.I,
)
# Whose contact it is, the possessive said without "'s" as many Englishes say it: "grace email is g kuman at ...",
# "tino number is oh seven seven ...", "sunny's number it was ...".
CONTACT_OF = re.compile(
    rf"{_CLAUSE}{_WORD}\s+(?:email|e-mail|whatsapp|facebook|instagram|insta|snapchat|phone|phone\s+number|"
    rf"number|cell|cell\s+number|mobile)\s+(?:it\s+)?(?:is|was|['’]s)\b",
    re.I,
)
# The name someone was called by, owned as her own: "the drivers would call on the cb for sugar, that was me", "he'd
# say, kiki, that's me". Only after a call or an ask, and only a word that may be a name ("who called for help,
# that was me" is no name: see _namey).
SELF_NAMED = re.compile(
    rf"\b(?:for|say|says|said|call|calls|called|yell|yelled|yelling|holler|hollered|ask|asks|asked)\s*,?\s+{_WORD}"
    r"\s*,\s*that(?:\s+(?:was|is)|['’]s)\s+me\b",
    re.I,
)
# The name she is known by where she is now, after "just" (unseen79's "nobody calls me Sierra anymore; at home I'm just
# Sisi", "on the ads i was honey, and at home i'm just tallulah"); "I'm just tired" is no name (see _just_named).
JUST_NAMED = re.compile(
    rf"\b(?:i['’]?m|i\s+am|she['’]s|she\s+is)\s+just\s+{_WORD}(?=\s*[.,;!?]|\s*$|\s+(?:now|here|there|again|and|but)\b)",
    re.I,
)
# A name owned as the one in use, said before it at a clause's start: "Grace is what I use now" (unseen80); and as the
# one she is called by: "Biscuit is what they call me", "Tallulah is what I go by".
NAME_IN_USE = re.compile(
    rf"{_CLAUSE}{_WORD}\s+is\s+what\s+(?:i|she)\s+(?:use|uses)(?=\s*[.,;!?]|\s*$|\s+(?:now|here|there|today|these\s+days)\b)",
    re.I,
)
NAME_CALLED_BY = re.compile(
    rf"{_CLAUSE}{_WORD}\s+is\s+what\s+(?:(?:i|she)\s+(?:go|goes|answer|answers)\s+(?:by|to)|(?:they|people|everyone|"
    r"everybody|we)\s+(?:all\s+)?call(?:s|ed)?\s+(?:me|her))\b",
    re.I,
)
# Who someone is, said after the name and a comma: "the cash for big mere, she's the one who run the girls" (a
# nickname keeps its "big" or "lil").
THE_ONE_WHO = re.compile(
    rf"(?<![\w'’-])((?:(?:big|lil|little|old)\s+)?{_WORD})\s*,\s*(?:she|he)(?:['’]s|\s+is|\s+was)\s+the\s+one\s+"
    r"(?:who|that)\b",
    re.I,
)
# "Ah" before a Cantonese or Hokkien given name is part of the name as said ("her nephew, ah seng,", "Ah Keung had a
# flat"): "ah" then a word no dictionary knows, with no pause between (not "ah, ..." nor "ah well").
AH_NAME = re.compile(r"(?<![\w'’-])(ah|Ah|AH)\s([A-Za-z][a-z]+)(?![\w'’-])")
# A street named for a person ("Jalan Wong Ah Fook") is the street's: the places layers take it.
_STREET_BEFORE = re.compile(
    r"\b(?:jalan|jln|lorong|lebuh|persiaran|street|road|avenue|lane)\s+(?:[A-Za-z]+\s+)?$", re.I
)
_ABSTRACT = {"hope", "faith", "grace", "love", "mercy", "patience", "justice", "heaven", "destiny", "fate", "death",
             "life", "god", "jesus", "time", "fear", "pride", "shame", "karma", "luck", "fortune", "chance", "truth",
             "honesty", "honor", "glory", "praise", "trust", "freedom", "liberty", "peace", "harmony", "serenity",
             "miracle", "promise", "providence", "prayer", "church", "work", "school", "court", "law", "rain",
             "sunshine", "victory", "story", "legend", "music", "summer", "winter", "autumn", "spring", "allah", "lord",
             "satan", "devil", "universe", "addiction", "sickness", "cancer", "covid", "corona"}  # fmt: skip
# Verbs whose object is a person, then what ends the object: "told Grace everything", "met charity at group", "they
# paid dean, and".
OBJECT = re.compile(
    r"\b(?:told|tell|tells|asked|ask|met|meet|texted|text|married|visited|hugged|kissed|dated|paid|pays|"
    r"(?:stayed|lived|moved in|hung out|ran|running|living|staying) with|introduced me to|sold me to)\s+"
    rf"{_WORD}(?=\s*[.,;!?]|\s*$|\s+(?:everything|anything|nothing|about|at|in|on|that|when|and|after|"
    r"before|again|once|for|how|what|i|she|he|the|last|first|to)\b)",
    re.I,
)
# Seeing someone somewhere or again: "i'd see charity at meetings" (not "i saw hope in her eyes").
SEEN = re.compile(
    rf"\b(?:see|saw|seen|seeing|visit|visiting|run into|ran into|bumped into)\s+{_WORD}"
    r"(?=\s+(?:at|every|again|last|today|yesterday|sometimes|around|downtown|outside)\b)",
    re.I,
)
_AGE = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|\d{1,2})"
)
# A child with her age, after "my" and a kin word or what ASR made of one: "my dogger faith is six now".
KIN_AGE = re.compile(
    rf"\b(?:my|her|his|our|their)\s+(?:(?:little|oldest|youngest|baby|older|younger)\s+)?([a-z]+)\s+{_WORD}"
    rf"(?:,)?\s+(?:is|was|just turned|turned|['’]s)\s+(?:only\s+|about\s+|like\s+|almost\s+|gonna be\s+)?"
    rf"{_AGE}\b(?!\s+(?:dollars|bucks|percent|o'clock|days|weeks|months|times|hours|minutes|am|pm))",
    re.I,
)
# Words after "my" that are a kin word, or a word ASR made of one; never a thing one owns.
_KIN = CHILD_WORDS | {"oldest", "youngest", "middle", "princess"}
KIDS_LIST = re.compile(
    r"\b(?:my|her|his|our|their)\s+(?:kids|children|babies|daughters|sons|girls|boys|twins|grandkids|"
    r"grandbabies)(?:['’]\s+names)?\s+(?:are|were|is|was)\s+"
    r"([A-Za-z][a-z'’-]+(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)[A-Za-z][a-z'’-]+){1,4})",
    re.I,
)
# A month or a state given as a name: "a girl named April", "my daughter's name is june", "her name was dakota",
# "my sister montana came", "this girl virginia", "call him nevada" (QA C19), "a girl we called april", "he went by
# june" (unseen77). Not "they called may 5th": a date's number after the month is no name.
NAMED_WORD = re.compile(
    r"\b(?:named|name is|name was|name['’]s|call(?:ed)? (?:her|me|him)|(?:this|a|that) (?:girl|guy|lady|woman|man)|"
    r"(?:we|they|everybody|everyone|people|y['’]all) called|(?:he|she|i|who|they|we|you) (?:went|goes|go) by|"
    r"(?:my|her|his|our) (?:little |older |younger |big |baby |best )?(?:sister|daughter|cousin|friend|niece|aunt|"
    r"auntie|girl|homegirl|son|brother|nephew|uncle|baby))\s+("
    + "|".join(sorted(NAME_WORDS))
    + r")\b(?!\s*(?:,\s*)?(?:state|county|city|avenue|street|road|boulevard|highway|\d|(?:the\s+)?(?:first|second|"
    r"third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
    r"seventeenth|eighteenth|nineteenth|twentieth|thirtieth|twenty|thirty)\b))",
    re.I,
)
# A weekday given as a name (West Africa's "Sunday", "Monday", "Friday"): after a strong naming cue, or said with
# what it sounds like ("her driver, sunday, like the day"; not "the next sunday, like the day before", "it was may,
# like the month").
_DAY = "|".join(sorted(WEEKDAYS))
NAMED_DAY = re.compile(
    rf"\b(?:name\s+(?:is|was)|name['’]s|named|called\s+(?:him|her|me))\s+({_DAY})"
    r"(?=\s*[,.;!?]|\s*$|\s+(?:and|but|he|she|who)\b)"
    # "a man called Friday brought me" (unseen78): a person, then "called" or "named", names him, whatever follows
    rf"|\b(?:a|an|this|that|one|some)\s+(?:man|guy|woman|lady|girl|boy|fellow|dude|driver|pimp|madam|boss|trafficker|"
    rf"recruiter|agent|sponsor|nigerian|ghanaian)\s+(?:called|named)\s+({_DAY})\b"
    r"(?!\s*(?:,\s*)?(?:morning|afternoon|evening|night|\d|the\s+\d|(?:the\s+)?(?:first|second|third|fourth|fifth|"
    r"tenth|twentieth|thirtieth|twenty|thirty)\b))",
    re.I,
)
LIKE_THE_DAY = re.compile(
    r"(?<!\bon )(?<!\bnext )(?<!\blast )(?<!\bevery )(?<!\bthis )(?<!\bthat )(?<!\bthe )(?<!\bin )(?<!\bof )"
    r"(?<!\bwas )(?<!\bis )(?<!\bit's )(?<!\bby )(?<!\buntil )"
    rf"\b({_DAY}|{'|'.join(sorted(NAME_WORDS))})\s*,\s*like\s+the\s+(?:day|month|state)(?=\s*[,.;!?]|\s*$)",
    re.I,
)
# A name that is an everyday word given as who she was, a clause and no more: "in Portland I was Diamond, and in
# Seattle I was Cinnamon", "she was candy." ("I was tired" is no name: only WORD_NAMES count).
STAGE_NAME = re.compile(
    rf"(?:^|[.!?;:,]\s*|\b(?:and|but|so|then)\s+)(?:(?:in|at|on)\s+[A-Za-z]+\s+)?(?:i|she|we)\s+(?:was|became)\s+"
    rf"{_WORD}(?=\s*[.,;!?]|\s*$|\s+(?:and|but|then|there|in|at|to|for|on|back)\b)",
    re.I,
)
STAGE_NAME_TWO = re.compile(
    rf"(?:^|[.!?;:,]\s*|\b(?:and|but|so|then)\s+)(?:(?:in|at|on)\s+(?:the\s+)?[A-Za-z]+\s+)?(?:i|she|we)\s+"
    rf"(?:was|became)\s+{_WORD}\s+([a-z]+)(?=\s*[.,;!?]|\s*$|\s+(?:and|but|then|there|in|at|to|for|on|back)\b)",
    re.I,
)
# The nouns a two-word street name ends on, after a name that is a word ("candy girl", "honey bunny", "sugar baby").
_NICKNAME_TAILS = {"girl", "boy", "baby", "babe", "doll", "bear", "bunny", "kitty", "cat", "pie", "cake", "drop", "dip",
                   "love", "lips", "face", "eyes", "bone", "mama", "b", "d", "j", "t", "k", "rose", "kisses", "boo",
                   "bee", "bug", "puff", "pop", "money", "red", "brown", "blue", "sweet", "thang", "thing"}  # fmt: skip
# Names that are words that say what someone is like after "i was": "i was rich", "she was precious".
_DESCRIBING = {"rich", "frank", "precious", "sunny", "unique", "major", "misty", "stormy", "heavenly", "royal",
               "sincere", "will", "may", "passion", "blessing", "miracle", "story", "legend", "christian", "honor",
               "king", "guy", "mercy", "justice", "hope", "grace", "faith", "joy", "patience", "promise", "lucky",
               "shorty", "junior"}  # fmt: skip
# A title and one letter: a name said by its initial ("Mr. W", "ms. t", "Coach K"); not "a" or "i" ("miss a day").
TITLED_LETTER = re.compile(
    r"\b(?:mr|mrs|ms|miss|dr|coach|officer|detective|pastor|judge|sister|brother)\.?\s+([b-hj-zB-HJ-Z])\.?(?![\w'’-])",
    re.I,
)
# Initials with full stops: "J.T.", "d.j.", "T.J"; not the abbreviations English writes so.
DOTTED = re.compile(r"(?<![\w.])((?:[A-Za-z]\.){1,2}[A-Za-z]\.?)(?![\w])")
_ABBREVIATIONS = {
    "us", "uk", "la", "dc", "am", "pm", "po", "tv", "id", "ged", "cps", "er", "ok", "na", "aa", "bs", "ps", "rn",
    "md", "va", "ny", "nyc", "nj", "ie", "eg", "vs", "ma", "ba", "phd", "gps", "ss",
    "ad", "bc", "hq", "pd", "da", "aka", "asap", "std", "hiv", "ob", "cna", "lpn", "atm", "usa", "sf",
}  # fmt: skip
_DETERMINERS = {
    "the", "a", "an", "my", "his", "her", "our", "their", "your", "its", "this", "that", "no", "some", "any",
    "of", "in", "into", "on", "at", "with", "for", "by", "lost", "have", "had", "has", "found", "keep", "kept",
}  # fmt: skip


def _doer(word: str) -> bool:
    """A name in the doer's slot: no abstract word, no agency's initials ("DCFS", "dcfs"), no town or other proper
    noun the lists hold as no name ("Vegas")."""
    lowered = base_word(word).lower()
    if not _namey(word) or lowered in _ABSTRACT or (word.isupper() and len(word) > 1):
        return False
    if not set(lowered) & set("aeiouy"):
        return False
    if lowered in first_names() or lowered in WORD_NAMES:
        return True
    return lowered not in places() and lowered not in dictionary()[1]  # "Vegas took my money": a place


def _the_one(word: str) -> bool:
    """A name before "she's the one who": a person's slot, so any word but a function, kin, people, role or abstract
    word, or a plural of an everyday word ("the cops, they're the ones" aside)."""
    lowered = base_word(word).lower()
    if len(lowered) < 2 or lowered in STOPWORDS | HARD_NEGATIVES | INFORMAL | _KIN | _NOT_PEOPLE | _ABSTRACT:
        return False
    if lowered in _ACTING_BARE | HONORIFICS | PERSON_WORDS or re.fullmatch(RELATIONS, lowered):
        return False
    ordinary = dictionary()[0]
    if lowered in ordinary and lowered not in first_names() | WORD_NAMES:
        plural = lowered.endswith("s") and lowered[:-1] in ordinary
        return not (plural or lowered.endswith(_ACTING_ENDINGS) or lowered.endswith("ly"))
    return True


def _violent(word: str) -> bool:
    """Who beat or pimped someone: any word that may be a name, a describing one too ("slim"), but no function, kin,
    role, people, abstract or institution word, no plural or -ly word, no medicine."""
    lowered = base_word(word).lower()
    if len(lowered) < 2 or lowered in STOPWORDS | HARD_NEGATIVES | INFORMAL | _KIN | _NOT_PEOPLE | _ABSTRACT:
        return False
    if lowered in _ACTING_BARE | HONORIFICS | PERSON_WORDS or re.fullmatch(RELATIONS, lowered):
        return False
    if lowered.endswith("ly") or medicine(lowered) or lowered in _SUBSTANCES or (word.isupper() and len(word) > 1):
        return False
    if re.search(r"['’](?:d|ll|re|ve|m|t)$|n['’]t$", lowered):
        return False  # a contraction: "and he'd beat me"
    ordinary = dictionary()[0]
    if lowered in ordinary and lowered not in first_names() | WORD_NAMES:
        plural = lowered.endswith("s") and lowered[:-1] in ordinary
        return not (plural or lowered.endswith(_ACTING_ENDINGS))
    return True


# What beats someone in a figure of speech: "crack beat me", "the drink broke my ...".
_SUBSTANCES = {"crack", "meth", "heroin", "dope", "weed", "booze", "alcohol", "liquor", "drink", "drinking", "drugs",
               "coke", "cocaine", "smack", "fentanyl", "pills", "gambling", "hunger", "pain", "grief", "guilt",
               "loneliness", "sadness", "anger", "rage", "stress"}  # fmt: skip


def _listable(word: str) -> bool:
    """A word that may be a name in a list with the speaker: no function word, kin or people word, title, describing
    word or plural of an everyday word ("my mom, sister and me", "tired, hungry and me")."""
    lowered = base_word(word).lower()
    if len(lowered) < 2 or lowered in STOPWORDS | HARD_NEGATIVES | INFORMAL | _KIN | _NOT_PEOPLE | _ACTING_BARE:
        return False
    if lowered in PERSON_WORDS | HONORIFICS or re.fullmatch(RELATIONS, lowered):
        return False
    ordinary = dictionary()[0]
    if lowered in ordinary and lowered not in first_names() | WORD_NAMES:
        plural = lowered.endswith("s") and lowered[:-1] in ordinary
        return not (plural or gradable(lowered) or lowered.endswith(_ACTING_ENDINGS))
    return True


def _describing(word: str) -> bool:
    lowered = base_word(word).lower()
    return gradable(lowered) and lowered not in STOPWORDS | INFORMAL


def _named(word: str) -> bool:
    """A name by the lists, or no everyday word."""
    lowered = base_word(word).lower()
    return lowered in first_names() or lowered in WORD_NAMES or lowered not in dictionary()[0]


def _doubled_name(text: str, match: re.Match[str]) -> bool:
    word = match.group(1).lower()
    if word in STOPWORDS | INFORMAL | HARD_NEGATIVES or word in SPOKEN_NUMBERS or not set(word) & set("aeiouy"):
        return False
    if match.group().lower() in places():
        return False  # "walla walla", "bora bora": a town
    before = text[max(0, match.start() - 8) : match.start()].lower()
    if re.search(r"\b(?:the|a|an)\s+$", before):
        return False  # "the tom tom drum", "a bora bora bar": a thing
    if word not in dictionary()[0] or word in first_names():
        return True
    return bool(_DOUBLED_PERSON.match(text, match.end())) or before.endswith("me and ")


def bare_person(word: str) -> bool:
    """A word in a slot only a person fills (BARE_DOER): a name by the lists, or an everyday word that does not act
    bare in English: no institution, abstract noun or role by its ending, no plural of an everyday word, no word
    that describes, no medicine, no place, no kin or people word."""
    if _doer(word):
        return True
    lowered = base_word(word).lower()
    if len(lowered) < 3 or lowered in STOPWORDS | HARD_NEGATIVES | INFORMAL | _KIN | _NOT_PEOPLE | _ABSTRACT:
        return False
    if lowered in _ACTING_BARE | HONORIFICS | PERSON_WORDS or re.fullmatch(RELATIONS, lowered):
        return False
    if (word.isupper() and len(word) > 1) or not set(lowered) & set("aeiouy") or "'" in lowered or "’" in lowered:
        return False
    ordinary = dictionary()[0]
    if lowered not in ordinary:
        return lowered not in places() and lowered not in dictionary()[1]  # "Vegas took my money"
    plural = lowered.endswith("s") and lowered[:-1] in ordinary
    if plural or lowered.endswith(_ACTING_ENDINGS) or lowered.endswith("ly") or gradable(lowered):
        return False
    return not (medicine(lowered) or lowered in dictionary()[1])  # a town named "Talent" makes no word a place


def _namey(word: str) -> bool:
    """A word that may be a name in a person's slot: a first name, a name that is an everyday word, or a word
    no dictionary knows. Never a pronoun or a function word, a hard negative, or a kin word."""
    lowered = base_word(word).lower()
    if len(lowered) < 2 or lowered in STOPWORDS or lowered in HARD_NEGATIVES or lowered in INFORMAL:
        return False
    if re.search(r"['’](?:d|ll|re|ve|m|t)$|n['’]t$", lowered):
        return False  # a contraction: "and he'd beat me", "she'll tell me"
    if lowered in _KIN or lowered in _NOT_PEOPLE:
        return False
    ordinary = dictionary()[0]
    return lowered in first_names() or lowered in WORD_NAMES or lowered not in ordinary


def _just_named(word: str) -> bool:
    """After "I'm just": a first name or a word no dictionary knows ("just Sisi", "just tallulah"), or a name that is
    a word written with its capital mid-sentence ("just Grace"); never "just tired", "just me", "just mom"."""
    lowered = base_word(word).lower()
    if not _namey(word) or (lowered in _ABSTRACT and not word[0].isupper()):
        return False
    return lowered not in dictionary()[0] or word[0].isupper()


def _in_use(word: str) -> bool:
    """Before "is what I use now" or "is what they call me": a word that may be a name, no drug or medicine ("Crack is
    what I use now", "Suboxone is what I use")."""
    lowered = base_word(word).lower()
    return _namey(word) and lowered not in _SUBSTANCES and not medicine(lowered)


def _called_by(word: str) -> bool:
    """Before "is what they call me" or "is what I go by": any word a name may be, everyday ones too ("Biscuit",
    "Trouble"); never "this", "that", "it" or a drug's name."""
    lowered = base_word(word).lower()
    return lowered not in STOPWORDS | INFORMAL | _SUBSTANCES and not medicine(lowered)


# Words that do what only people do in English but are no names: "everybody came with me", "nobody told me".
_NOT_PEOPLE = {
    "everybody", "everyone", "nobody", "somebody", "someone", "anyone", "anybody", "people", "cops", "police",
    "mom", "dad", "mama", "daddy", "mum", "mummy", "mam", "mammy", "mommy", "momma", "nan", "nana", "nanna", "gran",
    "granny", "grandad", "papa", "pa", "ma", "who", "which", "whoever", "guy", "girl", "man", "lady", "woman", "worker",
    "nurse", "doctor", "judge", "officer", "lawyer", "sister", "brother", "both", "they", "he", "she", "it",
    "you", "we", "i", "one", "each", "all", "pimp", "john", "trick", "dealer", "boyfriend", "girlfriend",
    "sis", "bff", "fam",
}  # fmt: skip


def _misheard_kin(word: str) -> bool:
    """A word ASR wrote for a kin word: no hard negative ("my medicare number is ..."), spelled much like one."""
    if word in HARD_NEGATIVES or word in STOPWORDS or len(word) < 3:
        return False
    return any(word[0] == kin[0] and fuzz.ratio(word, kin) >= 50 for kin in _KIN)


def _span(text: str, start: int, word: str, confidence: float) -> Span:
    end = start + len(base_word(word))
    return Span(start, end, "PERSON", "context", text[start:end], confidence)


def misheard_kin(text: str) -> list[tuple[int, int]]:
    """Where a kin word ASR misheard stands before a child's name and age ("my dogger faith is six"): no
    organisation there, whatever the rare-word layer makes of the word."""
    return [
        (match.start(1), match.end(1))
        for match in KIN_AGE.finditer(text)
        if match.group(1).lower() not in _KIN and _misheard_kin(match.group(1).lower()) and _namey(match.group(2))
    ]


_PRONOUN_NEXT = re.compile(r"\s+(?:she|he)\b", re.I)
_TOOK_OVER = re.compile(r"\s+(?:\w+\s+)?took\s+over\b", re.I)  # "sick took over my body": what came over her


def _described(text: str, match: re.Match[str]) -> bool:
    """A describing word alone where a clause's subject stands, before a verb only a person does: English puts no
    bare adjective there, so it is what someone was called ("slim took my phone", "after that slim told me to get
    in", "sweet and me shared a room"); the words _violent turns away never ("crack", "finally"). Not before a
    pronoun ("funny he said that", "sure she did") nor before "took over" ("sick took over my whole body")."""
    word = match.group(1)
    if _PRONOUN_NEXT.match(text, match.end(1)) or _TOOK_OVER.match(text, match.end(1)):
        return False
    return gradable(base_word(word).lower()) and _violent(word)


def find_persons(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in SUBJECT.finditer(text):
        word = match.group(1)
        if _namey(word) or _described(text, match):
            spans.append(_span(text, match.start(1), word, 0.7))
    for match in DOER.finditer(text):
        if _doer(match.group(1)) or _described(text, match):
            spans.append(_span(text, match.start(1), match.group(1), 0.7))
    for match in BARE_DOER.finditer(text):
        if bare_person(match.group(1)) or _described(text, match):
            spans.append(_span(text, match.start(1), match.group(1), 0.7))
    spans += [_span(text, m.start(1), m.group(1), 0.7) for m in CONTACT_OF.finditer(text) if _namey(m.group(1))]
    spans += [_span(text, m.start(1), m.group(1), 0.7) for m in VIOLENT.finditer(text) if _violent(m.group(1))]
    spans += [_span(text, m.start(1), m.group(1), 0.7) for m in THE_ONE_WHO.finditer(text) if _the_one(m.group(2))]
    spans += [_span(text, m.start(1), m.group(1), 0.7) for m in SELF_NAMED.finditer(text) if _namey(m.group(1))]
    spans += [_span(text, m.start(1), m.group(1), 0.7) for m in JUST_NAMED.finditer(text) if _just_named(m.group(1))]
    spans += [_span(text, m.start(1), m.group(1), 0.7) for m in NAME_IN_USE.finditer(text) if _in_use(m.group(1))]
    spans += [_span(text, m.start(1), m.group(1), 0.7) for m in NAME_CALLED_BY.finditer(text) if _called_by(m.group(1))]
    for match in WITH_ME.finditer(text):
        items = list(re.finditer(r"[A-Za-z][a-z'’-]+", match.group(1)))
        named = sum(_named(m.group()) for m in items)
        # A word that describes may be a name among two names ("rudo, nyasha, gracious and me"); alone, it describes.
        if named and all(_listable(m.group()) or (named >= 2 and _describing(m.group())) for m in items):
            spans += [_span(text, match.start(1) + m.start(), m.group(), 0.7) for m in items]
    for match in DOUBLED.finditer(text):
        if _doubled_name(text, match):
            spans.append(Span(match.start(), match.end(), "PERSON", "context", match.group(), 0.7))
    for match in OUR_NAME.finditer(text):
        word = base_word(match.group(1)).lower()
        if word in first_names() and word not in dictionary()[0] and word not in STOPWORDS | INFORMAL:
            spans.append(_span(text, match.start(1), match.group(1), 0.7))
    for match in AH_NAME.finditer(text):
        word = match.group(2).lower()
        if _STREET_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        if word not in dictionary()[0] and word not in STOPWORDS | INFORMAL and word not in places():
            spans.append(Span(match.start(), match.end(), "PERSON", "context", match.group(), 0.7))
    for match in (*OBJECT.finditer(text), *SEEN.finditer(text)):
        word = match.group(1)
        if _namey(word) and (word[0].isupper() or base_word(word).lower() not in _NOT_OBJECTS):
            spans.append(_span(text, match.start(1), word, 0.65))
    for match in KIN_AGE.finditer(text):
        kin, word = match.group(1).lower(), match.group(2)
        if kin in _KIN:
            named = base_word(word).lower() not in STOPWORDS | HARD_NEGATIVES | _KIN
        else:  # what ASR made of a kin word ("dogger", "sun"): spelled much like one, then a name
            named = _misheard_kin(kin) and _namey(word)
        if named:
            if base_word(word).lower() not in SPOKEN_NUMBERS:
                spans.append(_span(text, match.start(2), word, 0.8))
    for match in KIDS_LIST.finditer(text):
        spans += _listed(text, match)
    for match in TITLED_LETTER.finditer(text):  # "we all called him Mr. W", "my caseworker, Ms. T" (QA D22's w2)
        spans.append(Span(match.start(1), match.end(1), "PERSON", "context", match.group(1), 0.7))
    for match in DOTTED.finditer(text):
        letters = match.group(1).replace(".", "").lower()
        if len(letters) >= 2 and letters not in _ABBREVIATIONS:
            spans.append(Span(match.start(1), match.end(1), "PERSON", "context", match.group(1), 0.6))
    for match in STAGE_NAME.finditer(text):
        word = base_word(match.group(1)).lower()
        if word in WORD_NAMES and word not in _DESCRIBING:
            spans.append(_span(text, match.start(1), match.group(1), 0.75))
    for match in STAGE_NAME_TWO.finditer(text):  # "on the street i was candy girl" (QA D5)
        word, tail = base_word(match.group(1)).lower(), match.group(2).lower()
        if word in WORD_NAMES and word not in _DESCRIBING and tail in _NICKNAME_TAILS:
            spans.append(
                Span(match.start(1), match.end(2), "PERSON", "context", text[match.start(1) : match.end(2)], 0.75)
            )
    for match in NAMED_WORD.finditer(text):
        spans.append(Span(match.start(1), match.end(1), "PERSON", "context", match.group(1), NAMED_WORD_CONFIDENCE))
    spans += [_day_or_month(s) for s in find_spelled(text)]
    for match in (*NAMED_DAY.finditer(text), *LIKE_THE_DAY.finditer(text)):
        group = match.lastindex or 1  # NAMED_DAY's second form names the day in its second group
        word = match.group(group)
        spans.append(Span(match.start(group), match.end(group), "PERSON", "context", word, NAMED_WORD_CONFIDENCE))
    return spans


def _day_or_month(span: Span) -> Span:
    """A month or a weekday spelled right after it is a name ("june, j u n e"): kept as names such words are."""
    if span.text.lower() in NAME_WORDS | WEEKDAYS:
        return Span(span.start, span.end, span.label, span.source, span.text, NAMED_WORD_CONFIDENCE)
    return span


NAMED_WORD_CONFIDENCE = 0.91  # the detector keeps such a name at this confidence, not the month or state


def _listed(text: str, match: re.Match[str]) -> list[Span]:
    """The names of "my kids are X, Y and Z": up to the one after "and" (what follows is the sentence's)."""
    spans: list[Span] = []
    for name in re.finditer(r"(,\s*)?(and\s+)?([A-Za-z][a-z'’-]+)", match.group(1)):
        word = name.group(3)
        if base_word(word).lower() in STOPWORDS | HARD_NEGATIVES:
            break
        spans.append(_span(text, match.start(1) + name.start(3), word, 0.8))
        if name.group(2):
            break
    return spans if len(spans) > 1 else []


# Everyday words a verb takes as its object more often than a name: "i told hope goodbye" aside, "met
# justice" is the court's. Written with a capital they are names.
_NOT_OBJECTS = {"justice", "death", "love", "people", "money", "trouble", "somebody"}


_SELF = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Before a later mention, what puts a person there: a clause's start, or a word that takes a person after it
# ("think about heaven", "me and destiny", "told destiny"). Elsewhere the word is itself: "in heaven", "not
# sunny", "cigarette smoke".
_PERSON_BEFORE = re.compile(
    r"(?:^|[.!?;:,\"“]\s*|\b(?:about|with|and|for|saw|see|seen|miss|missed|love|loved|call|called|told|tell|"
    r"met|visit|visited|like|than|but|or|when|because|then|until|after|before|that|asked|texted|hugged|"
    r"married|left|remember|remembered)\s+)$",
    re.I,
)


# "they named me pinky ... i was pinky, the girl from ...": who she was there, said again (not "she was lucky").
_WAS_BEFORE = re.compile(r"\b(?:i|she)\s+was\s+$", re.I)


# After a later mention, what only a person does: "tell them peaches sent you", "heaven said no", "now Hope's in
# second grade", "destiny's turning six".
_PERSON_AFTER = re.compile(
    r"\s+(?:sent|said|says|told|tells|texted|texts|called|calls|asked|came|comes|took|gave|drove|brought|picked|"
    r"knew|wanted|left|showed|helped|got me|gets me)\b"
    r"|['’]s\s+(?:in\s+(?:the\s+)?(?:\w+\s+)?(?:grade|school|kindergarten|preschool|college|class)|turning|almost|"
    r"doing|gonna\s+be|about\s+to\s+turn|(?:\w+\s+)?years?\s+old)\b",
    re.I,
)


# After a later mention of a word the transcript named (a street name that is an everyday word), what reads it as
# a clause's subject in run-on speech: "smooth laughed", "smooth he had a room", "ghost never paid". Never after a
# word that makes it a thing or a quality ("the ghost had", "so smooth was").
_SUBJECT_AFTER = re.compile(
    r"\s+(?:(?:he|she)\s+)?(?:had|has|was|kept|keeps|made|makes|paid|pays|ran|runs|put|let|sold|bought|found|beat|hit|"
    r"got|went|sat|stood|laughed|smiled|yelled|screamed|would|could|will|never|always|didn['’]t|wouldn['’]t|"
    r"don['’]t|doesn['’]t|used\s+to)\b",
    re.I,
)
_THING_BEFORE = re.compile(
    r"\b(?:the|a|an|this|that|these|those|his|her|my|your|their|our|its|some|any|no|so|too|very|real|really|"
    r"pretty|more|most|less|it|is|was|be|been|felt|feel|feels|looked|looks|sounded|sounds|went)\s+$",
    re.I,
)


# Syllables ASR splits off a name, before it ("la donna", "de andre", "key sha") or after it ("shan tell"), QA C23.
_PREFIXES = {"la", "le", "de", "da", "ja", "ke", "key", "ka", "sha", "ta", "tay", "ty", "shan", "chan", "mar"}
_SUFFIXES = {"tell", "telle", "tel", "elle", "isha", "eesha", "nya", "ique", "quan"}
_AFTER_SUFFIX = re.compile(r"\s*(?:[.,;!?]|$)|\s+(?:and|was|is|she|he|who|had|came)\b", re.I)


# The middle word of a Vietnamese name and the particles of a surname (QA D31): "my cousin le thi mai", "tran van
# hung", "dr. van der berg", "mr. de la rosa", "a man called bin laden".
_MIDDLE = re.compile(r" (?:thi|van|thanh|ngoc|minh|duc|huu|quoc|xuan|kim) ([A-Za-z][a-z'’-]+)(?![\w'’])", re.I)
_PARTICLES = re.compile(
    r"\b(?:dr|doctor|mr|mrs|ms|miss|officer|detective|judge|pastor|named|called|name is|name was|name['’]s)\.?\s+"
    rf"((?:(?:{'|'.join(sorted(NAME_PARTICLES))})\s+)+)$",
    re.I,
)


def _particles(text: str, span: Span) -> list[Span]:
    found = []
    middle = _MIDDLE.match(text, span.end)
    if middle and span.text.split()[-1].lower() in _VIETNAMESE_SURNAMES | {w.lower() for w in span.text.split()[1:]}:
        word = middle.group(1)
        if base_word(word).lower() not in STOPWORDS | HARD_NEGATIVES:
            end = middle.start(1) + len(base_word(word))
            found.append(Span(span.start, end, "PERSON", "context", text[span.start : end], 0.7))
    before = _PARTICLES.search(text[max(0, span.start - 40) : span.start])
    if before:
        start = span.start - len(before.group(1))
        found.append(Span(start, span.end, "PERSON", "context", text[start : span.end], 0.7))
    return found


# Family names that come first in a Vietnamese name, before its middle word: "Nguyen Thi Hoa", "le van tam".
_VIETNAMESE_SURNAMES = {"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
                        "ho", "ngo", "duong", "ly", "dinh", "truong", "lam", "mai", "cao", "ha", "luu",
                        "doan"}  # fmt: skip


# The words after a name, then the same words said again after "like" to explain them: "nizhoni many goats, like many
# goats", "joseph cupid on, like cupid": the words explained are the name's (one to three, up to a comma).
_EXPLAINED = re.compile(
    r" ([A-Za-z][a-z'’]*(?: [A-Za-z][a-z'’]*){0,2})\s*,\s*like\s+(?:the\s+|a\s+)?"
    r"([A-Za-z][a-z'’]*(?: [A-Za-z][a-z'’]*){0,2})(?=\s*[,.;:!?]|\s*$)",
    re.I,
)
_NOT_EXPLAINED = {"really", "literally", "totally", "seriously", "actually", "always", "forever", "ever", "again",
                  "yesterday", "today", "tonight", "now", "then", "everything", "everyday", "every", "so"}  # fmt: skip
# Where someone was seen, said after the name and again: "i saw john downtown, like downtown" (no name's word).
_WHERE = {"downtown", "uptown", "midtown", "upstairs", "downstairs", "outside", "inside", "indoors", "outdoors", "home",
          "abroad", "overseas", "nearby", "there", "here", "away", "back", "around", "upstate", "downstate", "offshore",
          "north", "south", "east", "west"}  # fmt: skip


_FUNCTION = {"at", "in", "on", "to", "from", "with", "for", "of", "by", "the", "a", "an", "and", "or", "but", "so", "i",
             "me", "you", "he", "she", "it", "we", "they", "him", "her", "them", "my", "your", "his", "our", "their",
             "is", "was", "are", "were", "be", "too", "very", "all", "that", "this", "there", "here", "not", "no",
             "just", "like", "um", "uh"}  # fmt: skip


def explained(text: str, span: Span) -> Span | None:
    """A person's span with the words after it that "like" says again: "nizhoni [many goats], like many goats"."""
    match = _EXPLAINED.match(text, span.end)
    if match is None:
        return None
    said, again = match.group(1).lower().split(), match.group(2).lower().split()
    if said[: len(again)] != again or said[0] in _FUNCTION | INFORMAL | _NOT_EXPLAINED | HARD_NEGATIVES | _WHERE:
        return None
    if all(w in STOPWORDS for w in said):
        return None
    if any(w in _NOT_EXPLAINED or (w.endswith(("ed", "ing")) and w in dictionary()[0]) for w in said):
        return None
    return Span(span.start, match.end(1), "PERSON", "context", text[span.start : match.end(1)], 0.7)


# A name with a nickname in quotes or brackets inside it: "Tyrell "Ty" Banks", "tyrell 'ty' banks", "Maria (Mimi) Lopez"
_NICKNAMED = re.compile(
    r"(?<![\w'’-])([A-Za-z][\w'’-]*)\s+(?:\"[^\"\n]{1,25}\"|“[^”\n]{1,25}”|'[^'\n]{1,25}'|‘[^’\n]{1,25}’|"
    r"\([^)\n]{1,25}\)|\[[^\]\n]{1,25}\])\s+([A-Za-z][\w'’-]*)(?![\w'’-])"
)


def _name_part(word: str, surname: bool) -> bool:
    """A word beside a quoted nickname that may be a name: capitalised or on the lists, or no everyday word; never a
    function word ("she called him "ty" and left")."""
    lowered = base_word(word).lower()
    if len(lowered) < 2 or lowered in STOPWORDS | HARD_NEGATIVES | INFORMAL:
        return False
    listed = lowered in (last_names() if surname else first_names())
    return word[0].isupper() or listed or lowered not in dictionary()[0]


def _said_shorter(text: str, first: str, nickname: list[str], surname: str) -> list[Span]:
    """Wherever the text says him by his name without the nickname, or by the nickname and his surname ("ty banks")."""
    said = "|".join([re.escape(first), r"\s+".join(map(re.escape, nickname))])
    shorter = re.compile(rf"(?<![\w'’-])(?:{said})\s+{re.escape(surname)}(?![\w'’-])", re.I)
    return [Span(m.start(), m.end(), "PERSON", "context", m.group(), 0.7) for m in shorter.finditer(text)]


def nicknamed(text: str, spans: list[Span]) -> list[Span]:
    """A person's first name or surname with the nickname said between them and the other name: one person, one span
    ("[Tyrell "Ty" Banks]", "[tyrell 'ty' banks]"), so neither the nickname nor the surname goes out (QA Y5); and
    wherever the text says him by his name without the nickname or by the nickname and his surname ("[ty banks]")."""
    persons = {(s.start, s.end) for s in spans if s.label == "PERSON"}
    found = []
    for match in _NICKNAMED.finditer(text):
        nickname = re.findall(r"[^\W\d_]+", text[match.end(1) : match.start(2)].lower())
        if all(w in STOPWORDS for w in nickname):
            continue  # "told him "no" again": a word said, no nickname
        first = any(a <= match.start(1) and match.end(1) <= b for a, b in persons)
        last = any(a <= match.start(2) and match.end(2) <= b for a, b in persons)
        if (first and _name_part(match.group(2), True)) or (last and _name_part(match.group(1), False)):
            end = match.start(2) + len(base_word(match.group(2)))
            found.append(Span(match.start(1), end, "PERSON", "context", text[match.start(1) : end], 0.7))
            found += _said_shorter(text, match.group(1), nickname, base_word(match.group(2)))
    return found


# A nickname in quotes set off after a person's name (his surname, where a layer found his first name alone, between):
# "Tyrell Banks, "Ty" to everyone, had", "tyrell banks, 'ty' for short." (QA Y5's rest).
_NICKNAME_AFTER = re.compile(
    r"(?:\s+([A-Za-z][\w'’-]*))?\s*,\s*(?:\"([^\"\n]{1,25})\"|“([^”\n]{1,25})”|'([^'\n]{1,25})'|‘([^’\n]{1,25})’)"
    r"(?=\s+(?:to|for|on|in|among|around|as|with|by)\b|\s*[,;.)])"
)


_SPOKEN_TO = re.compile(
    r"\b(?:told|tell|tells|said\s+to|say\s+to|asked|ask|asks|yelled\s+at|screamed\s+at|whispered\s+to|texted|"
    r"wrote|begged|warned)\s+$",
    re.I,
)


def nickname_after(text: str, spans: list[Span]) -> list[Span]:
    """The nickname a person's name is followed by, in quotes and set off by a comma ("[Tyrell Banks], "[Ty]" to
    everyone"), and the surname between where a layer found the first name alone ("[tyrell banks], "[ty]""): one to
    three words, not function words alone ("maria, "no", she said" is a word said), not what was said to someone
    ("i told maria, "run"")."""
    found = []
    for span in spans:
        match = _NICKNAME_AFTER.match(text, span.end) if span.label == "PERSON" else None
        if match is None or (match.group(1) and not _name_part(match.group(1), True)):
            continue
        if _SPOKEN_TO.search(text, max(0, span.start - 20), span.start):
            continue  # "i told maria, "run", and she ran": what was said to her
        group = next(g for g in range(2, 6) if match.group(g) is not None)
        words = re.findall(r"[^\W\d_]+", match.group(group).lower())
        if not words or len(words) > 3 or all(w in STOPWORDS for w in words):
            continue
        nickname = match.group(group).strip()
        start = match.start(group) + match.group(group).index(nickname)
        found.append(Span(start, start + len(nickname), "PERSON", "context", nickname, 0.7))
        if match.group(1):
            found.append(Span(span.start, match.end(1), "PERSON", "context", text[span.start : match.end(1)], 0.7))
    return found


# Before a name's part said alone later as a clause's subject: a clause's start, maybe after a word of time or a
# conjunction ("later smoke came by", "and banks never got caught").
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[.!?;:,\"“]\s*|\b(?:and|but|so|then|later|when|because|until|after|before|once|till)\s+)$", re.I
)


def parts_said_alone(text: str, spans: list[Span]) -> list[Span]:
    """An everyday word of a person's name of several words ("smoke" of `dwayne "smoke" jefferson`, "banks" of
    "tyrell banks") said later alone, in lowercase or capitalised, where a person goes: a clause's subject before its
    verb ("later smoke came by", "and banks never got caught") or before what only a person does (`_PERSON_AFTER`).
    The name made the word a name's part in this text; mentions.spread spreads only words that read as a name wherever
    they stand, so without this an everyday nickname or surname said alone goes out (QA Y5's rest, AA7). Never a
    function word, a title or a kin word ("officer", "sister")."""
    covered = [(s.start, s.end) for s in spans]
    found: list[Span] = []
    for span in spans:
        if span.label != "PERSON" or len(span.text.split()) < 2:
            continue
        for word in {base_word(w).lower() for w in _SELF.findall(span.text)}:
            if len(word) < 3 or word not in dictionary()[0] or word in _NOT_A_PART:
                continue
            pattern = rf"(?<![\w'’-]){re.escape(word)}(?:['’]s)?(?![\w'’-])"
            for match in re.finditer(pattern, text[span.end :], re.IGNORECASE):
                start = span.end + match.start()
                end = start + len(word)
                said = match.group()  # lowercase, or capitalised where a sentence starts ("Boogie kept": QA AA7)
                if not (said.islower() or said[1:].islower()) or any(
                    a < end and start < b for a, b in covered + [(s.start, s.end) for s in found]
                ):
                    continue
                before = text[max(0, start - 20) : start]
                if _DETERMINED.search(before):
                    continue  # "the police gave": the thing, not the person ("the money was never ours")
                slot = (_SUBJECT_BEFORE.search(before) or _PERSON_BEFORE.search(before)) and opens_a_clause(text, end)
                if slot or _PERSON_AFTER.match(text, end):
                    found.append(_span(text, start, word, 0.6))
    return found


_DETERMINED = re.compile(r"\b(?:the|a|an|my|his|her|their|our|your|its|this|that|these|those|some|no)\s+$", re.I)
_NOT_A_PART = STOPWORDS | HARD_NEGATIVES | HONORIFICS | PERSON_WORDS | NAME_PARTICLES | INFORMAL


# Before a short form said first and her full name after it: "i'm mo, maureen gallagher", "the guy was dre, andre
# mccall".
_INTRO_BEFORE = re.compile(r"\b(?:i['’]m|i\s+am|name\s+is|name['’]s|call\s+me|called\s+me|was|is)\s+$", re.I)
# After a full name and its short form set off by commas: the sentence goes on or ends ("Brianna McGuigan, Bree, and
# I grew up", "Andrea Pettaway, Drea to my family").
_SHORT_AFTER = re.compile(
    r"\s*(?:[,.;!?]|$|to\s+(?:my|her|his|our|the|everyone|everybody|family|friends)\b|for\s+short\b)"
)
_ADDRESS_WORDS = {"mom", "ma", "pa", "sis", "bro", "babe", "hon", "sir", "maam", "bud", "man", "boo", "kid", "dad"}


def short_form_beside(text: str, spans: list[Span]) -> list[Span]:
    """A short form of a person's first name set off by a comma beside her full name is what she is called: "i'm
    [mo], [maureen gallagher]", "the guy was [dre], [andre mccall]", "[Brianna McGuigan], [Bree], and ..."
    (unseen77: "mo" and "dre" went out beside the name they shorten). The word is no everyday word, or one of three
    letters at most that starts as the name does ("mo" of Maureen); never a function, kin or address word ("mom",
    "sir") or an adjective ("i'm mad, maureen gallagher took ..."), and in lowercase only where the name is too."""
    found: list[Span] = []
    for span in spans:
        words = _SELF.findall(span.text)
        if span.label != "PERSON" or len(words) < 2:
            continue
        first = base_word(words[0]).lower()
        before = re.search(r"(?<![\w'’])([A-Za-z]{2,8}),\s*$", text[max(0, span.start - 12) : span.start])
        if before is not None:
            start = span.start - len(before.group())
            if _INTRO_BEFORE.search(text[max(0, start - 12) : start]) and _shortens(before.group(1), first, span.text):
                found.append(_span(text, start, before.group(1), 0.7))
        after = re.match(r",\s*([A-Za-z]{2,8})", text[span.end :])
        if (
            after is not None
            and _SHORT_AFTER.match(text, span.end + after.end())
            and _shortens(after.group(1), first, span.text)
        ):
            found.append(_span(text, span.end + after.start(1), after.group(1), 0.7))
    return found


def _shortens(word: str, first: str, name: str) -> bool:
    lowered = word.lower()
    if word.islower() and not name.islower():
        return False  # "Maureen Gallagher, mo..." is no short form where the name is written with capitals
    if lowered == first or lowered in _NOT_A_PART or lowered in _ADDRESS_WORDS or lowered in _KIN:
        return False
    if lowered in nicknames_of(first):
        return True
    if lowered not in dictionary()[0]:
        return lowered[0] == first[0] or first.endswith(lowered)
    return len(lowered) <= 3 and lowered[0] == first[0] and not gradable(lowered)  # "i'm mad, maureen ..."


def joined_names(text: str, spans: list[Span]) -> list[Span]:
    """A person's span that is part of a name ASR split in syllables takes the syllable beside it: "her name was
    shan tell, she was seventeen", "my friend la donna" (QA C23); a Vietnamese name its middle and given names, a
    surname its particles ("le thi mai", "dr. van der berg"; QA D31); a name its nickname and its other name
    (`nicknamed`), or the nickname after it (`nickname_after`)."""
    found: list[Span] = nicknamed(text, spans) + nickname_after(text, spans)
    for span in spans:
        if span.label == "PERSON":
            found += _particles(text, span)
            explained_span = explained(text, span)
            if explained_span is not None:
                found.append(explained_span)
        if span.label != "PERSON" or not _SELF.fullmatch(span.text):
            continue
        end = span.start + len(base_word(span.text))
        after = re.match(r" ([A-Za-z]+)", text[end:])
        if after and after.group(1).lower() in _SUFFIXES and _AFTER_SUFFIX.match(text, end + after.end()):
            found.append(
                Span(span.start, end + after.end(), "PERSON", "context", text[span.start : end + after.end()], 0.7)
            )
        before = re.search(r"(?:^|(?<=\s))([A-Za-z]+) $", text[max(0, span.start - 6) : span.start])
        if before and before.group(1).lower() in _PREFIXES:
            start = span.start - len(before.group())
            words = text[max(0, start - 5) : start].lower().split()
            if not words or words[-1] not in ("the", "a", "an"):
                found.append(Span(start, end, "PERSON", "context", text[start:end], 0.7))
    return found


# A name said again at once: "named bin, just bin", "her name was hope. hope.", "smoke, like smoke".
_ECHO = re.compile(r"([A-Za-z][A-Za-z'’-]*)\s*[,.;:!?-]+\s*(?:(?:just|only|simply|like|yeah|yes)\s*,?\s*)?$", re.I)
_ENDS = re.compile(r"\s*(?:[.,;:!?\"”]|$)")


def _beside_a_name(spans: list[Span], match: re.Match[str], end: int) -> bool:
    """The mention stands right before a person's other name, a space between: "was lemon bojang, i mean lamin, but
    everybody calls him lemon" (the surname a layer found)."""
    return any(s.label == "PERSON" and s.start == end + 1 for s in spans) and match.string[end : end + 1] == " "


def _beside_a_word(spans: list[Span], match: re.Match[str], end: int) -> bool:
    """The mention stands right before a word some layer proposed, a person's or a weak layer's of any label:
    "sunday, like the day, sunday [natapei]" (the rare-word layer's organisation is her surname)."""
    after = [s for s in spans if s.start == end + 1 and (s.label == "PERSON" or s.source in _WEAK_LAYERS)]
    return bool(after) and match.string[end : end + 1] == " "


_WEAK_LAYERS = ("rare", "head", "gazetteer", "proper-noun", "model")


def same_names(text: str, spans: list[Span]) -> list[Span]:
    """Other mentions of a one-word name a cue found with confidence (not by its list alone): "her name was
    heaven ... i think about heaven every day". Not where English reads the word as itself."""
    names = {
        base_word(s.text).lower()
        for s in spans
        if s.label == "PERSON" and s.source == "context" and s.confidence >= 0.7 and _SELF.fullmatch(s.text)
    }
    names = {n for n in names if n not in STOPWORDS | HARD_NEGATIVES and len(n) > 2}
    days = {  # a weekday or a month given as a name, said again right before her other name ("sunday natapei")
        s.text.lower() for s in spans if s.source == "context" and s.confidence == NAMED_WORD_CONFIDENCE
    } & (NAME_WORDS | WEEKDAYS)
    if not names and not days:
        return []
    covered = [(s.start, s.end) for s in spans]
    found: list[Span] = []
    for match in _SELF.finditer(text):
        word = base_word(match.group())
        if any(a < match.end() and match.start() < b for a, b in covered):
            continue
        if word.lower() in days and word == match.group() and _beside_a_word(spans, match, match.end()):
            found.append(_span(text, match.start(), word, NAMED_WORD_CONFIDENCE))
            continue
        if word.lower() not in names:
            continue
        before = text[max(0, match.start() - 14) : match.start()]
        echo = _ECHO.search(text[max(0, match.start() - 40) : match.start()])
        if echo and echo.group(1).lower() == word.lower() and _ENDS.match(text, match.start() + len(word)):
            found.append(_span(text, match.start(), word, 0.6))  # "a guy named bin, just bin." (QA D31)
            continue
        after = match.start() + len(word)
        was = _WAS_BEFORE.search(before) and not gradable(word.lower()) and word.lower() not in _DESCRIBING
        if not (
            _PERSON_BEFORE.search(before)
            or _PERSON_AFTER.match(text, after)
            or _beside_a_name(spans, match, after)
            or was
            or (
                _SUBJECT_AFTER.match(text, after)
                and not _THING_BEFORE.search(text[max(0, match.start() - 20) : match.start()])
            )
        ):
            continue
        if re.match(r"\s+of\b", text[match.start() + len(word) :]):
            continue  # "the grace of god"
        found.append(_span(text, match.start(), word, 0.6))
    return found
