"""Names the recogniser wrote as everyday syllables, and a name said again in another form.

A name ASR does not know comes out as short everyday words: "my name is so pia chim", "ako si ria may ka ba hug",
"sello, sello the ho", "my husband's brother, saw eh ka lu, he was". Where a naming frame holds a person's span, the
syllable-like words beside it, up to the clause's edge, are the rest of the name (``syllable_runs``). A name said again
in another form ("o n g t o w a s r u k, people say on toe was rook", "velma tsatoke, sah toe key, that's how you say
it") is found by how it sounds (``echoes``). Never a clause: a run holds no pronoun, verb of being or conjunction.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from fieldvault.redact.context import RELATIONS
from fieldvault.redact.lexicon import (
    HONORIFICS,
    INFORMAL,
    PERSON_WORDS,
    STOPWORDS,
    WORD_NAMES,
    dictionary,
    first_names,
    is_hard_negative,
    last_names,
    peoples,
    places,
    word_frequency,
)
from fieldvault.redact.persons import explained
from fieldvault.redact.spans import Span, merge
from fieldvault.redact.spelling import letters_of

# Words that carry a clause, never a syllable of a name: pronouns, verbs of being and having (West African Pidgin's
# "na" and "dey" too: "her brother na ebot"), conjunctions, and the
# prepositions and adverbs that follow a name in plain talk ("i'm grace from ...", "my name is mike and ...", "that
# was mike at the bar,").
_CLAUSE_WORDS = set(
    """i me my mine you your he him his she her hers we us our they them their it its i'm im i'd i'll he's she's it's
they're we're you're that's there's who whom whose which what when where why how that this these those is was are
were be been being am has have had having do does did done will would can't won't don't didn't could should shall
might must and or but nor because cause cos cuz if then than though although while until till from at with for to
of by on onto into about near here there too also now again just only yeah yes yep no not nope okay ok um uh erm hmm
like well very really please thanks anyway everybody everyone somebody someone nobody people spelled spelt spell
spells spelling called named name na dey""".split()
)
# Layers whose label on a syllable is often wrong ("mah" an organisation): a run goes through their spans.
_WEAK = ("rare", "head", "gazetteer", "proper-noun")
# English's common irregular past tenses and present -s forms, verbs ending a clause after a name ("mike, mike ran,",
# "grace left,"; the bare forms, "see", "say", "can", are syllables of names as often):
# never the rest of the name after it (before it, "saw eh ka lu" is a Karen name).
_VERBS_AFTER = set(
    """ran came went got left said took saw made gave told knew sat stood sent kept held brought bought paid met ate
drove hit cut put let set felt lost won wrote spoke broke fell found thought taught caught fought sold slept swam
sang began runs comes goes gets says sees makes takes knows tells gives sits stands died lied cried""".split()
)
# The syllables a run may hold besides short words: no dictionary word of more than this many letters.
_SHORT = 5
_FILLER = r"(?:\s*,?\s*(?:um+|uh+|er|erm)\s*,?)?"
# Cues that the words after them are a name: "my name is", "name's", "i'm", "ako si" (Tagalog "I am"), "real name was".
_NAMING = re.compile(
    rf"(?:\bname\s+(?:is|was)|\bname['’]s|(?<![\w'’])i['’]m|\bi\s+am|\bako\s+si|\bnamed|\bcalled|\bthis\s+is)"
    rf"{_FILLER}\s*$",
    re.I,
)
# A word said twice with a comma between, the second time with more: "sello, sello the ho", "judge, judge may ka lee".
_REPEATED = re.compile(rf"(?<![\w'’-])([A-Za-z]+)\s*,{_FILLER}\s*\1\s+$", re.I)
_WORDS = re.compile(r"[A-Za-z]+")
# A syllable may hold a glottal stop written as an apostrophe ("tu'ipulotu", "ma'ufanga"); never a contraction's end.
_SYLLABLES = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]{3,})?")
_EDGE = re.compile(r"\s*(?:[,.;:!?]|$)")
# After an apposed run, a clause about the one named: ", saw eh ka lu, he was the one".
_CLAUSE_AFTER = re.compile(r"\s*,\s*(?:(?:um+|uh+)\s*,\s*)?(?:he|she|they|who|and\s+(?:he|she))\b", re.I)
_COMMA_BEFORE = re.compile(r",\s*$")


def _in_name(word: str) -> bool:
    """A word a name may hold: never what carries a clause, a kin, person or title word."""
    lowered = word.lower()
    if lowered in _CLAUSE_WORDS or lowered in INFORMAL or lowered in PERSON_WORDS or lowered in HONORIFICS:
        return False
    return not re.fullmatch(RELATIONS, lowered)


def _syllable(word: str) -> bool:
    """A word a name's syllable may be written as: one a name may hold, short or no everyday word."""
    return _in_name(word) and 2 <= len(word) and (len(word) <= _SHORT or word.lower() not in dictionary()[0])


def _inflected(word: str) -> bool:
    """An everyday verb's past or -ing form: "mike, mike cried", "grace, grace laughing"."""
    lowered = word.lower()
    return len(lowered) > 4 and lowered.endswith(("ed", "ing")) and lowered in dictionary()[0]


def _plural(word: str) -> bool:
    """An everyday word with an -s its stem lacks: a plural or a verb's present ("kwame sells drugs,")."""
    lowered = word.lower()
    ordinary = dictionary()[0]
    return len(lowered) > 3 and lowered.endswith("s") and lowered in ordinary and lowered[:-1] in ordinary


def _run_after(
    text: str, end: int, taken: list[tuple[int, int]], names: list[tuple[int, int]] | None = None
) -> int | None:
    """Where a run of one to four syllables after ``end`` ends at the clause's edge, or None; a word inside one of
    ``names`` (another piece of the name a layer found: "tep [so wan] dara") counts as a syllable."""
    words = list(_SYLLABLES.finditer(text, end, min(len(text), end + 60)))
    at = end
    for word in words[:4]:
        if not re.fullmatch(r"\s+", text[at : word.start()]):
            return None
        named = _in_name(word.group()) and any(a <= word.start() and word.end() <= b for a, b in names or [])
        if not named and (not _syllable(word.group()) or any(a < word.end() and word.start() < b for a, b in taken)):
            return None
        if word.group().lower() in _VERBS_AFTER or _inflected(word.group()) or _plural(word.group()):
            return None
        at = word.end()
        if _EDGE.match(text, at) and (at == len(text) or not text[at].isalnum()):
            return at
    return None


def _run_before(text: str, start: int, taken: list[tuple[int, int]], names: list[tuple[int, int]]) -> list[int]:
    """Where runs of one to four syllables before ``start`` begin, nearest first; a word inside one of ``names``
    counts as a syllable."""
    found = []
    at = start
    for _ in range(4):
        word = re.search(r"([A-Za-z]+)(\s+)$", text[max(0, at - 30) : at])
        if word is None:
            break
        begin = at - len(word.group())
        named = _in_name(word.group(1)) and any(a <= begin and begin + len(word.group(1)) <= b for a, b in names)
        if not named and (not _syllable(word.group(1)) or any(a < at and begin < b for a, b in taken)):
            break
        said = word.group(1)
        if (said.lower() in _VERBS_AFTER and said.lower() != "saw") or _inflected(said) or _plural(said):
            break  # "my friend mende [came over after] church": a clause between two names
        found.append(begin)
        at = begin
    return found


# Who the named one is to the speaker, right before the name: "my friend isatou see say, and ...".
_RELATION_BEFORE = re.compile(rf"\b(?:my|her|his|our|their)\s+(?:\w+\s+)?(?:{RELATIONS})\s+$", re.I)


def _framed(text: str, start: int) -> str | None:
    """The frame before ``start``: a naming cue, a word said twice ("sello, sello", "judge, judge"), or a comma (an
    apposition); None otherwise."""
    before = text[max(0, start - 40) : start]
    if _NAMING.search(before) or _RELATION_BEFORE.search(before):
        return "naming"
    first = _WORDS.match(text, start)
    said = re.search(r"([A-Za-z]+)\s*,(?:\s*(?:um+|uh+)\s*,)?\s*$", before)
    if _REPEATED.search(before) or (first and said and said.group(1).lower() == first.group().lower()):
        return "repeated"
    if _COMMA_BEFORE.search(before):
        return "apposed"
    return None


def _said_twice(text: str, span: Span, spans: list[Span]) -> bool:
    """A weak layer's word said right after the same word a person's span holds: "sello, [sello] the ho" (the rare-word
    layer's organisation the second time is the same person)."""
    if span.source not in _WEAK:
        return False
    before = re.search(r"([A-Za-z]+)\s*,(?:\s*(?:um+|uh+)\s*,)?\s*$", text[max(0, span.start - 40) : span.start])
    if before is None or before.group(1).lower() != span.text.lower():
        return False
    at = max(0, span.start - 40) + before.start(1)
    return any(s.label == "PERSON" and s.start <= at < s.end for s in spans)


# A speaker starting again with the name: "she, sun maya, she had": what stands before the name there is no title.
_RESTART = re.compile(r"(?<![\w'’])(?:she|he)\s*,\s*$", re.I)


def syllable_runs(text: str, spans: list[Span]) -> list[Span]:
    """A person's span with the syllables beside it, in a naming frame: after a naming cue, a relation ("my friend")
    or a word said twice, the
    run before it and the run after it up to the clause's edge ("my name is [so] pia chim,", "sello, sello [the ho],");
    after a comma, only where a clause about the one named follows ("brother, [saw eh] ka lu, he was")."""
    taken = [(s.start, s.end) for s in spans if s.source not in _WEAK]  # a weak layer's piece may be a syllable
    found: list[Span] = []
    for span in spans:
        if not all(_in_name(w) for w in _WORDS.findall(span.text)):
            continue
        if span.label != "PERSON" and not _said_twice(text, span, spans):
            continue
        people = [(s.start, s.end) for s in spans if s.label == "PERSON"]
        starts = [span.start, *_run_before(text, span.start, taken, people)]
        for start in reversed(starts):  # the longest run before first
            frame = _framed(text, start)
            if frame is None:
                continue
            end = _run_after(text, span.end, taken, [] if frame == "apposed" else people) or span.end
            if frame == "apposed":
                # a run before an apposed name only where ASR split the name too ("saw eh [ka lu]"), not a title
                # of another language before one word ("a man, pa alimamy, he", "the owner, datuk lee, he")
                restart = _RESTART.search(text[max(0, start - 12) : start])
                split = start < span.start and " " not in span.text.strip() and not restart
                if not _CLAUSE_AFTER.match(text, end) or split:
                    continue
            elif _EDGE.match(text, end) is None or (end < len(text) and text[end].isalnum()):
                continue
            if (start, end) != (span.start, span.end):
                found.append(Span(start, end, "PERSON", "context", text[start:end], 0.7))
            break
    return found


def _sound(said: str) -> str:
    """A rough sound key: letters only, like sounds alike, vowels as one, no doubled letter ("cho low fellow" and
    "tsholofelo" both "salafala")."""
    key = re.sub(r"[^a-z]", "", said.lower())
    for a, b in (("tsh", "s"), ("tch", "s"), ("ch", "s"), ("sh", "s"), ("ts", "s"), ("tz", "s"), ("ph", "f"),
                 ("gh", ""), ("ck", "k"), ("c", "k"), ("q", "k"), ("z", "s"), ("x", "ks"), ("j", "y"),
                 ("h", "")):  # fmt: skip
        key = key.replace(a, b)
    key = re.sub(r"w(?=[aeiouy])", "v", key).replace("w", "")  # "low", "fellow": a vowel's end
    key = re.sub(r"[aeiouy]+", "a", key)
    return re.sub(r"(.)\1+", r"\1", key)


SOUNDS_ALIKE = 88  # rapidfuzz ratio of two sound keys above which two sayings are one name
_NEAR = 90  # characters either side of a name where its other form is looked for
# A run set off as another saying: between commas or full stops, after "like", "or", "no", "people say", "i mean".
_SET_OFF = re.compile(r"[^,.;:!?]+")
_LEADS = re.compile(
    r"^\s*(?:(?:um+|uh+|like|or|no|so|i\s+mean|people\s+say|they\s+say|you\s+say|the\s+english\s+say\s+it|just|say|"
    r"it['’]s|its)\s+)*",
    re.I,
)


def _forms(span: Span) -> list[str]:
    """The sound keys a found name may be said again as: the whole, each word, and its spelled letters."""
    spelled = letters_of(span.text)
    said = [span.text] + (span.text.split() if " " in span.text.strip() else [])
    if len(spelled) >= 4 and len(spelled) * 2 - 1 >= len(re.sub(r"[^a-z ]", "", span.text.lower())) - 2:
        said.append(spelled)
    return [k for k in (_sound(s) for s in said) if len(k) >= 4]


# How someone else wrote or said the name, before the other form: "the police spelled it ee gal", "they wrote it as".
_SAID_IT = re.compile(
    r"\b(?:spelled|spelt|spell|spells|wrote|write|writes|written|typed|put|said|say|says|pronounced|pronounce|"
    r"pronounces)\s+it\s+(?:as\s+|like\s+)?",
    re.I,
)
# A name's short sound key (three letters) counts only for a run right after it, set off by a comma: "ioane, yo ahny,".
_RIGHT_AFTER = re.compile(r"\s*,\s*$")


def echoes(text: str, spans: list[Span]) -> list[Span]:
    """A run of one to four words near a person's name, set off by commas, that sounds like it: the name said again
    as ASR heard it ("wiselande, like, wheeze land, w i s e l a n d e"), or as someone spelled it ("the police spelled
    it ee gal"); a short name's other form right after it ("ioane, yo ahny,")."""
    people = [s for s in spans if s.label == "PERSON"]
    others = [(s.start, s.end) for s in spans if s.source not in _WEAK and s.label != "PERSON"]
    found: list[Span] = []
    for chunk in _SET_OFF.finditer(text):
        lead = _LEADS.match(chunk.group())
        start = chunk.start() + (lead.end() if lead else 0)
        said_it = _SAID_IT.search(text, start, chunk.end())
        if said_it:
            start = said_it.end()
        words = list(_WORDS.finditer(text, start, chunk.end()))
        if not 1 <= len(words) <= 4 or any(a < chunk.end() and start < b for a, b in others):
            continue
        if any(s.start <= words[0].start() and words[-1].end() <= s.end for s in people):
            continue  # found already
        if all(w.group().lower() in _CLAUSE_WORDS for w in words):
            continue
        if lead and re.search(r"\blike\s*$", lead.group(), re.I) and len(words) == 1:
            if words[0].group().lower() in dictionary()[0]:
                continue  # "c i n g, like sing": the word it sounds like, said as itself
        begin, end = words[0].start(), words[-1].end()
        if _named_again(text, people, words, begin):
            found.append(Span(begin, end, "PERSON", "context", text[begin:end], 0.7))
            continue
        key = _sound(text[begin:end])
        if len(key) < 3:
            continue
        if len(key) == 3:  # "ioane, yo ahny,": the name's first word right before, sounding the same
            before = [s for s in people if s.text.split() and _RIGHT_AFTER.fullmatch(text, s.end, begin)]
            named = any(w.group().lower() not in dictionary()[0] for w in words)
            if named and any(key == _sound(s.text.split()[0]) for s in before):
                found.append(Span(begin, end, "PERSON", "context", text[begin:end], 0.7))
            continue
        near = [s for s in people if 0 <= begin - s.end <= _NEAR or 0 <= s.start - end <= _NEAR]
        if any(fuzz.ratio(key, form) >= SOUNDS_ALIKE for s in near for form in _forms(s)):
            found.append(Span(begin, end, "PERSON", "context", text[begin:end], 0.7))
    return found


def _named_again(text: str, people: list[Span], words: list[re.Match[str]], begin: int) -> bool:
    """A run right after a one-word name, set off by a comma, that holds the name and words a name may hold: "honey,
    island honey," (another working name made of the first)."""
    said = [w.group().lower() for w in words]
    if len(said) < 2 or not all(_in_name(w) and w not in STOPWORDS for w in said):
        return False  # "named him river, after the river": a function word makes it a phrase
    return any(
        " " not in s.text.strip() and s.text.lower() == said[-1] and _RIGHT_AFTER.fullmatch(text, s.end, begin)
        for s in people
    )


def repeated_names(text: str, spans: list[Span]) -> list[Span]:
    """A name of two or three words said again where a layer found only part of it: "she, sun maya, she had ... only
    sun [maya] will come"."""
    found: list[Span] = []
    names = {s.text.lower() for s in spans if s.label == "PERSON" and 2 <= len(s.text.split()) <= 3}
    for name in names:
        if not all(_in_name(w) for w in name.split()):
            continue
        for match in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w'’-])", text, re.I):
            inside = [t for t in spans if t.start < match.end() and match.start() < t.end]
            whole = any(t.start <= match.start() and match.end() <= t.end for t in inside)
            if any(t.label == "PERSON" for t in inside) and not whole:  # not a weak layer's word alone: "cyaan"
                found.append(Span(match.start(), match.end(), "PERSON", "context", match.group(), 0.7))
    return found


# A speaker correcting herself: "a nuk, no, arnaq", "as snow bunny, no, as ginger", "lemon, i mean lamin" (not "by
# griffin, no lie,").
_CORRECTION = r"\s*,\s*(?:no\s*,|sorry\s*,|i\s+mean\s*,?)\s*(?:as\s+|like\s+)?"
_CORRECTED_AFTER = re.compile(rf"{_CORRECTION}([A-Za-z]+(?:\s+[A-Za-z]+)?)(?=\s*[,.;:!?]|\s*$)", re.I)
_CORRECTED_BEFORE = re.compile(
    rf"(?:^|[,.;:!?]\s*)(?:(?:um+|uh+|as|like)\s*,?\s+)*([A-Za-z]+(?:\s+[A-Za-z]+)?){_CORRECTION}$", re.I
)


def corrections(text: str, spans: list[Span]) -> list[Span]:
    """What a person's name was corrected from or to, one or two words set off by commas: "a nuk, no, arnaq" (the
    second found, the first is the same name misheard), "nou, no, noah"."""
    taken = [(s.start, s.end) for s in spans if s.source not in _WEAK or s.label == "PERSON"]
    found: list[Span] = []
    for span in spans:
        if span.label != "PERSON":
            continue
        after = _CORRECTED_AFTER.match(text, span.end)
        before = _CORRECTED_BEFORE.search(text[max(0, span.start - 50) : span.start])
        places = [(after.start(1), after.end(1))] if after else []
        if before:
            offset = max(0, span.start - 50)
            places.append((offset + before.start(1), offset + before.end(1)))
        for start, end in places:
            words = text[start:end].split()
            said_as = re.search(r"\bas\s+$", text[max(0, start - 4) : start], re.I)
            if not all(_in_name(w) for w in words) or not (said_as or any(_name_like(w) for w in words)):
                continue  # "i said mike, no, stop": a name list's word, no everyday one, or "as" again is needed
            if not any(a < end and start < b for a, b in taken):
                found.append(Span(start, end, "PERSON", "context", text[start:end], 0.7))
    return found


def _name_like(word: str) -> bool:
    lowered = word.lower()
    return lowered in first_names() or lowered in WORD_NAMES or lowered not in dictionary()[0]


_NEXT = re.compile(r" ([A-Za-z][a-z'’]*[a-z]|[A-Z][A-Za-z'’-]*[a-z])(?![\w'’-])")
RARE_SURNAME = 3.5  # Zipf frequency (wordfreq) below which a word no dictionary holds may be a surname


def _surname(first: str, word: str) -> bool:
    """The word after a first name is her surname: written with a capital as the name is ("Ricardo Pinas"), or,
    lowercase, a word no dictionary holds and English rarely says ("ricardo pinas", "patrice knowles"); never a
    place, a people, a title or a function word."""
    lowered = word.lower().replace("’", "'")
    if lowered in STOPWORDS or lowered in INFORMAL or lowered in HONORIFICS or is_hard_negative(word):
        return False
    if (lowered in places() or lowered in peoples()) and lowered not in last_names():
        return False
    if lowered in dictionary()[0] and lowered not in last_names():
        return False  # "Fisherman's Birthday": an everyday word with a capital is no surname the lists do not hold
    if first[0].isupper():
        return word[0].isupper() and not word.isupper()
    if word[0].isupper() or "'" in lowered:
        return False
    return lowered in last_names() or word_frequency(lowered) < RARE_SURNAME


def with_surnames(text: str, spans: list[Span]) -> list[Span]:
    """A one-word person's span that a name list holds as a first name, with the surname after it that no layer
    took."""
    taken = [(s.start, s.end) for s in spans if s.source not in _WEAK or s.label == "PERSON"]
    found: list[Span] = []
    for span in spans:
        if span.label != "PERSON" or " " in span.text.strip() or not span.text[-1:].isalpha():
            continue
        if span.text.lower() not in first_names() and not span.text[:1].isupper():
            continue
        after = _NEXT.match(text, span.end)
        if after is None or any(a < after.end() and after.start(1) < b for a, b in taken):
            continue
        if _surname(span.text, after.group(1)):
            found.append(Span(span.start, after.end(), "PERSON", "context", text[span.start : after.end()], 0.7))
    return found


# Words French creoles say before a nickname as part of it ("ti" little, "gros" big: "ti sucre ran away", "Gros Zo
# kept a room"; Haiti, Mauritius, Saint Lucia, Louisiana), and the Karen "Saw" before a man's name at a clause's
# start ("Saw Kyaw kept my papers"; "i saw kyaw" is the verb).
_CREOLE_BEFORE = re.compile(r"(?<![\w'’-])(ti|gros)[ -]$", re.I)
_SAW_BEFORE = re.compile(r"(?:^|[.!?;:,]\s*|\b(?:and|but|then)\s+)(saw) $", re.I)


def with_prefixes(text: str, spans: list[Span]) -> list[Span]:
    """A person's span with the creole "ti" or "gros", or a clause-initial "Saw", said before it."""
    found: list[Span] = []
    for span in spans:
        if span.label != "PERSON" or span.source == "known":
            continue
        before = text[max(0, span.start - 12) : span.start]
        lead = _CREOLE_BEFORE.search(before) or _SAW_BEFORE.search(before)
        ahead = [t for t in spans if t.source not in _WEAK and t.start < span.start and span.start - 1 <= t.end]
        if lead and not ahead:
            start = span.start - len(before) + lead.start(1)
            found.append(Span(start, span.end, "PERSON", "context", text[start : span.end], 0.7))
    return found


def said_again(text: str, spans: list[Span]) -> list[Span]:
    """The rest of a name ASR split into syllables, the name said again in another form, what a name was corrected
    from or to, a first name's surname and the words a creole says before a nickname, beside the persons ``spans``
    (merged: each has its final label) hold."""
    found = syllable_runs(text, spans) + echoes(text, spans) + corrections(text, spans) + with_surnames(text, spans)
    found += repeated_names(text, merge([*spans, *found], text))
    found += [e for e in (explained(text, s) for s in [*spans, *found] if s.label == "PERSON") if e is not None]
    return found + with_prefixes(text, spans)
