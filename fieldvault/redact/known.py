"""Layer 1: the participant's own list of names and places, and the study-wide one.

Exact and case-insensitive, with possessives and plurals; nicknames of known names; the parts of a
known full name; and what ASR makes of a name it has never heard: misspellings ("markus"), sound-alike
ordinary words ("Lodi" -> "loaded", "Tulare" -> "to your") and names split in two ("key andre"). Every
span says which known identifier it matched, so the reviewer sees why it was proposed.
"""

from __future__ import annotations

import itertools
import re
from typing import TypeVar

import jellyfish
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from fieldvault.participants import KnownIdentifier, name_stem
from fieldvault.redact.lexicon import (
    BODY_PARTS,
    HARD_NEGATIVES,
    PERSON_WORDS,
    STOPWORDS,
    US_STATES,
    base_word,
    dictionary,
    fold,
    is_region,
    nicknames_of,
    town_and_first_name,
)
from fieldvault.redact.spans import Span
from fieldvault.redact.spelling import spelled_out
from fieldvault.redact.spoken import STREET_SUFFIXES, WEAK_SUFFIXES, Chunk, runs, tokens

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_STREET_WORDS = STREET_SUFFIXES | WEAK_SUFFIXES | {"st", "ave", "rd", "ln", "dr", "bridge"}
_SUFFIX = r"(?:['’]s|s|es)?"
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# A listed name is whole between anything but letters, digits and apostrophes: an underscore joins words in handles
# and file names ("zyrafina_okonkwo", QA J1), so it is a boundary, as a space is.
_BEFORE, _AFTER = r"(?<![^\W_])(?<!['’])", r"(?![^\W_])(?!['’])"
# A place mangled into ordinary words is only believed where a place is expected ("out in loaded").
_PERSON_BEFORE = PERSON_WORDS | {"named", "called"}
_PLACE_BEFORE = {"in", "to", "from", "near", "at", "outside", "around", "by", "into", "of", "through", "past"}
# function words a run of a listed name's letters never begins or ends with ("in huntspoint")
_EDGE_WORDS = _PLACE_BEFORE | {"the", "a", "an", "and", "or", "my", "her", "his", "their", "our", "your", "on", "for"}


def _exact(text: str, phrase: str, label: str, matched: str) -> list[Span]:
    words = [re.escape(w) for w in phrase.split()]
    pattern = re.compile(_BEFORE + r"[\s,-]+".join(words) + _SUFFIX + _AFTER, re.IGNORECASE)
    return [Span(m.start(), m.end(), label, "known", m.group(), 1.0, matched) for m in pattern.finditer(text)]


def _letters(text: str) -> str:
    return "".join(c for c in base_word(text).lower() if c.isalpha())


def sounds(word: str) -> str:
    """Metaphone with doubled letters collapsed: "loaded" and "Lodi" both sound LT."""
    code = jellyfish.metaphone(word)
    return "".join(c for i, c in enumerate(code) if i == 0 or c != code[i - 1])


def _spelled_alike(candidate: str, target: str, words: list[str]) -> bool:
    if len(target) < 4 or abs(len(candidate) - len(target)) > 2 or any(w in STOPWORDS for w in words):
        return False
    if candidate in dictionary()[0]:
        return False  # "rent" is no misspelt "Renata": an everyday word needs _believable
    if fuzz.ratio(candidate, target) >= 80:
        return True
    # A sound-alike spelled half the same ("Dominique" -> "dominic"); less alike needs _believable.
    return candidate[0] == target[0] and sounds(candidate) == sounds(target) and fuzz.ratio(candidate, target) >= 70


# A "u" between a consonant and a vowel is said as a "w" ("Duane" as "Dwayne", "Luis" as "Lewis"), which metaphone
# keeps only where it is written; not after a "g" before "e" or "i", where it is silent ("Miguel").
_GLIDE = re.compile(r"(?<=[b-df-hj-np-tv-z])(?<!g(?=u[ei]))u(?=[aeio])")


def _first_sound(word: str) -> str:
    """The sound a word begins with, voiced and unvoiced alike: ASR's commonest slip on a name it never heard swaps
    them ("beaches" for Peaches: qa26 QB1), and spelling writes one sound several ways ("Karl", "Carl", "Chris";
    "Filip", "Phillip"; "Zavier", "Xavier")."""
    if word[:1] in "aeiouy":
        return "a"
    if re.match(r"wr|kn|gn", word):
        return word[1]  # a silent first letter: "Wren" as "Ren", "Knox" as "Nox" (qa28 QD5)
    if word.startswith("ph"):
        return "f"
    if re.match(r"ch[rl]", word):
        return "k"  # "Christopher", "Chloe"
    if word.startswith(("ch", "sh", "th")):
        return word[:2]
    if re.match(r"[cg][eiy]", word):
        return {"c": "s", "g": "j"}[word[0]]  # "Cindy" as "Sindy", "Gina" as "Jina"
    return {"b": "p", "d": "t", "g": "k", "c": "k", "q": "k", "v": "f", "z": "s", "x": "s"}.get(word[0], word[0])


def _sounds_alike(candidate: str, target: str) -> bool:
    """Whether two spellings are said alike: the same first sound, voiced or not ("Karl", "Carl"; "Filip",
    "Phillip"; "beaches", "Peaches") and the same sounds after it, or all but one, as spelled or with a "u" said as a
    "w" (qa25 QA12: "Duane" for "Dwayne")."""
    same_start = candidate[0] == target[0] or _first_sound(candidate) == _first_sound(target)
    if len(target) < 4:
        return _respelled_short(candidate, target)
    if not same_start or abs(len(candidate) - len(target)) > 2:
        return False
    if fuzz.ratio(candidate, target) < 50:
        return False
    said = [(candidate, target), (_GLIDE.sub("w", candidate), _GLIDE.sub("w", target))]
    for heard, name in ((candidate, target), (target, candidate)):
        if _SH.match(name) and _vowels_said(heard) == _vowels_said(shname := _SH.sub("sh", name)):
            said.append((heard, shname))
    voiced = _first_sound(candidate) == _first_sound(target)
    return any(_codes_alike(sounds(a), sounds(b), voiced) for a, b in said)


# An "s" before an "e" or "i" and another vowel is said "sh" in Irish names ("Sean" as "Shaun", "Seamus", "Sian").
_SH = re.compile(r"^s[ei](?=[aeiou])")


def _vowels_said(word: str) -> tuple[list[str], bool]:
    """The vowels of a word's syllables, and whether a final "e" after one consonant makes the last one long: a name
    read with an "sh" ("Sean" as "Shaun") is alike only with the same vowels, as metaphone keeps none ("Shane",
    "Shin" are other names: one vowel off)."""
    return [vowel for _, vowel, _ in _syllables(word)], bool(re.search(r"[aeiou][^aeiouy]e$", word))


def _codes_alike(a: str, b: str, voiced: bool = False) -> bool:
    """The same sounds, or all but one; the first voiced or not where the words begin with one sound (``voiced``):
    metaphone writes "beach" PX and "peach" BX, and two sounds have no one to spare (qa26: "Beach" for Peaches)."""
    return (
        a == b
        or (voiced and len(a) >= 2 and a[1:] == b[1:])
        or (min(len(a), len(b)) >= 3 and jellyfish.levenshtein_distance(a, b) <= 1)
    )


def _respelled_short(candidate: str, target: str) -> bool:
    """A name under four letters, alike only to itself with a letter at its end that spelling adds: a "y" after its
    last vowel ("Zoey" of Zoe, "Joey" of Joe), an "e" after its last consonant doubled ("Anne" of Ann); any other
    name of three or four letters is a sound or two from too many words ("Dan", "Dane", "Don")."""
    added = candidate[len(target) :]
    return len(target) == 3 and (
        (
            candidate.startswith(target)
            and ((added == "y" and target[-1] in "aeiou") or (added == "e" and target[-1] == target[-2]))
        )
        or (candidate != target and _vowels_in_any_order(candidate) == _vowels_in_any_order(target))
    )


def _vowels_in_any_order(word: str) -> str:
    """A word with each run of vowels in one order: two vowels together are read as one sound either way round ("Bae"
    and "Bea", "Zeo" and "Zoe": qa27 QC9)."""
    return re.sub(r"[aeiou]{2,}", lambda run: "".join(sorted(run.group())), word)


def _believable(words: list[str], label: str, before: str, joined: bool) -> bool:
    """A sound-alike is proposed only where it is likely to be the name: a place after a place word, a
    person when some part of it is no everyday word, or a known name split in two ("mari sela", "tray main")."""
    if label == "LOCATION" or label == "ORG":
        return before in _PLACE_BEFORE
    ordinary = dictionary()[0]
    return joined or before in _PERSON_BEFORE or any(w not in ordinary and w not in STOPWORDS for w in words)


# Where only a person stands, whatever word it is: "me and beaches stayed", "I told beaches to run", and a clause's
# subject before what a person does ("beaches had a baby"; "the beaches are nice" is no clause's start, nor plural).
_OBJECT_BEFORE = re.compile(r"\b(?:(?:me|i)\s+and|told|tell|tells|asked|ask|asks)\s+$", re.I)
_CLAUSE_BEFORE = re.compile(r"(?:^|[.!?;:,]|\b(?:and|but|then|so|because|cause|when))\s*$", re.I)
_DOES_AFTER = re.compile(
    r"\s+(?:said|says|told|tells|asked|asks|had|has|have|was|is|came|comes|went|goes|got|gets|took|takes|gave|gives|left|"
    r"stayed|lived|knew|ran|called|calls|never|always|just|still)\b",
    re.I,
)


def _persons_place(text: str, start: int, end: int) -> bool:
    """A sound-alike of a listed person's name that is an everyday word ("beaches" for Peaches: qa26 QB1) is believed
    where only a person stands (_OBJECT_BEFORE, or a clause's start before _DOES_AFTER)."""
    before = text[max(0, start - 20) : start]
    return bool(_OBJECT_BEFORE.search(before) or (_CLAUSE_BEFORE.search(before) and _DOES_AFTER.match(text, end)))


def _split(words: list[str], target: str, size: int, place: bool = False) -> bool:
    """A name ASR heard as more words than it has, each an everyday word, that sounds exactly like it and is
    spelled much like it: "tray main" for Tremaine. After a place word a syllable may be a function word too:
    "in kiss a me" for Kissimmee."""
    candidate = "".join(words)
    return (
        len(words) > size
        and words[0] not in STOPWORDS
        and (place or not any(w in STOPWORDS for w in words))
        and sounds(candidate) == sounds(target)
        and fuzz.ratio(candidate, target) >= 65  # "jazz mean" for Jazmine: 67
    )


def _run_alike(candidate: str, target: str, size: int, width: int) -> bool:
    """A name of several words ASR heard cut elsewhere, its letters joined all but the same: "the right water shelter"
    for Brightwater Shelter (QA K8: one letter lost at a word's edge, and no sound-alike first letter); never
    beginning or ending at a function word ("in huntspoint" is "in" and the name)."""
    return size >= 2 and width in (size, size + 1) and len(target) >= 10 and fuzz.ratio(candidate, target) >= 90


NANP = 10  # digits of a North American phone number: its last seven are the local number people give


def said_forms(digits: str) -> list[str]:
    """The digit strings a listed phone number is given as: itself and, for a North American one, with the
    country's 1 before it and its local seven digits alone (QA S2: "+19165550142", "555-0142")."""
    return [digits, f"1{digits}", digits[3:]] if len(digits) == NANP else [digits]


# What may stand between a listed number's digits as written: spaces and punctuation, and the feet and inches marks
# Whisper writes for digits said in pairs ("my number is 5'5", 9, 5'5", 5, 0172": qa26 QB8).
_APART = r"[\s().,/#'\"’”′″-]*"


def digits_pattern(identifier: str) -> re.Pattern[str] | None:
    """For an identifier of digits alone (her phone, date of birth, an ID number): the same digits in order,
    apart by spaces or punctuation, so "(916) 555 0142" and "9165550142" are 916-555-0142; with a country code
    before it, glued or not ("+19165550142", "0019165550142", "+1.916.555.0142"); a North American number's local
    seven digits alone too ("555-0142"); never inside a longer number or a decimal. None for anything with letters
    or under three digits."""
    digits = re.sub(r"\D", "", identifier)
    if len(digits) < 3 or any(c.isalpha() for c in identifier):
        return None
    country = r"(?:(?:\+|00)\d{1,3}[\s().-]*|1[\s().-]*)?" if len(digits) >= 7 else ""
    forms = [country + r"\(?" + _APART.join(digits)]
    if len(digits) == NANP:
        local = _APART.join(digits[3:])
        # with what ASR kept of the area code before it ("5'5", 5'5", 0172": a 9 and a 5 lost, QB8), where no other
        # number stands just before ("559 5555 0172" is her number one digit off, found whole by spoken_numbers)
        kept = {"".join(digits[i] for i in picked) for n in (1, 2) for picked in itertools.combinations(range(3), n)}
        after_none = r"(?<!\d[\s,.;:'\"’”-])(?<!\d[\s,.;:'\"’”-]{2})"
        forms.append(
            after_none + "(?:" + "|".join(_APART.join(k) + _APART[:-1] + "+" for k in sorted(kept)) + ")" + local
        )
        forms.append(local)
    return re.compile(r"(?<![^\W_])(?<!\d[.,])(?:" + "|".join(forms) + r")(?![^\W_]|[.,]\d)")


SPOKEN_DIGITS = 4  # a listed number of this many digits or more is also found said as words
_V = TypeVar("_V")

# What may stand between the groups of a number said aloud: commas, a pause written as dots or a dash, and the fillers
# speech puts there ("nine one six, um, five five five, uh, oh one four two": QA R3, the commonest way it is said).
_GROUP_GAP = re.compile(
    r"(?:[\s,.;:…‐‑‒–—-]|\b(?:u+m+|u+h+m*|h?m+|e+r+m?|a+h+|like|so|and|then|okay|ok|you know|i mean|sorry|wait|dash"
    r"|hyphen|oh|o|zero|i think|i guess|hold on|hang on|let me (?:see|think)|what is it|it'?s|it is|yeah|yes|right"
    r"|actually|maybe|u+h[- ]?hu+h|m+h+m+|got (?:it|that)|all ?right|go (?:on|ahead)|no|slower"
    r"|let me (?:get|grab|find) (?:a )?(?:pen|pencil|paper))\b)*",  # asides between the
    # groups too: "nine one six, I think, five five five" (QA S2); the other speaker's reply between segments,
    # "Uh-huh.", "Got it." (walk24 WK3)
    re.IGNORECASE,
)
# "five five five, oh, one four two": a 0 said alone; "555, no 172": ASR's "no" for "oh" (qa26 QB8's rest)
_GAP_ZERO = re.compile(r"\b(?:oh|o|zero|no)\b", re.IGNORECASE)
_LONGEST_GAP = 40  # characters: "..., uh, you know, and then ..." and no more


def _said_groups(text: str) -> list[tuple[list[Chunk], set[int], set[int]]]:
    """Each run of numbers in ``text``, runs apart by nothing but a gap of fillers joined into one (a zero said alone
    in the gap a chunk of its own), with the indexes of the chunks said after a gap with words in it, and of those said
    after a gap where the speaker takes back what she said ("0-1, sorry, 0-1-4-7": _RESTART)."""
    groups: list[tuple[list[Chunk], set[int], set[int]]] = []
    for _, _, chunks in runs(text, tokens(text)):
        if groups:
            before, worded, restarted = groups[-1]
            gap = text[before[-1].end : chunks[0].start]
            if len(gap) <= _LONGEST_GAP and _GROUP_GAP.fullmatch(gap):
                offset = before[-1].end
                before += [Chunk(offset + m.start(), offset + m.end(), 0, "0", "oh") for m in _GAP_ZERO.finditer(gap)]
                if any(c.isalpha() for c in gap):
                    worded.add(len(before))
                if _RESTART.search(gap):
                    restarted.add(len(before))
                before += chunks
                continue
        groups.append((list(chunks), set(), set()))
    return groups


# A speaker taking back the group she was saying and saying it again, whole ("5-5-9, 5-5-5, 0-1, sorry, 0-1-4-7";
# walk24 WK3's rest: the last four digits went out as said), or with no word, by saying it again from its start ("559
# 555 oh one, oh one seven two": qa29 QE10).
_RESTART = re.compile(r"\b(?:sorry|i mean|wait|again|scratch that|start (?:again|over))\b", re.IGNORECASE)
RESTART_CHUNKS = 3  # chunks said before a restart that it may take back: a group said digit by digit is up to four


def _restarts(chunks: list[Chunk], a: int, b: int, worded: bool) -> list[str]:
    """The digits of the last chunks before ``b`` (not before ``a``) that the speaker may have taken back at ``b``:
    after a word that takes it back (``worded``), the last one to RESTART_CHUNKS chunks; with none, only those the
    digits said from ``b`` on begin with again."""
    ahead = "".join(c.digits for c in chunks[b : b + 2 * RESTART_CHUNKS])
    backs = ["".join(c.digits for c in chunks[k:b]) for k in range(b - 1, max(a, b - RESTART_CHUNKS) - 1, -1)]
    return backs if worded else [back for back in backs if ahead.startswith(back)]


def spoken_numbers(text: str, numbers: dict[str, _V]) -> list[tuple[int, int, _V]]:
    """(start, end, replacement) where a listed number (digits -> replacement) is said as words, whole numbers of
    the run in order: "nine one six, five five five, zero one four two", "five five five, oh one forty two",
    "double five" (QA R3: her listed phone said in words left a reviewed export), with fillers and pauses between its
    groups ("nine one six, um, five five five, uh, oh one four two", "916, uh, 555 ... 0142")."""
    found: list[tuple[int, int, _V]] = []
    misheard: list[tuple[int, int, _V]] = []
    longest = max(map(len, numbers)) + 1
    for chunks, worded, restarted in _said_groups(text):
        for a in range(len(chunks)):
            said = ""
            taken_back: set[str] = set()  # what was said with a group taken back and said again
            for b in range(a, len(chunks)):
                if b > a and (backs := _restarts(chunks, a, b, b in restarted)):
                    taken_back |= {
                        s.removesuffix(back) for s in (said, *taken_back) for back in backs if s.endswith(back)
                    }
                said += chunks[b].digits
                taken_back = {s + chunks[b].digits for s in taken_back}
                apart = any(a < n <= b for n in worded)
                hit = next((s for s in (said, *sorted(taken_back)) if s in numbers), None)
                # said with fillers, in words or taken back and said again: no digits pattern finds it
                if hit is not None and (apart or hit != said or any(c.kind != "written" for c in chunks[a : b + 1])):
                    found.append((chunks[a].start, chunks[b].end, numbers[hit]))
                elif b > a and (near := _misheard(said, numbers)) is not None:
                    misheard.append((chunks[a].start, chunks[b].end, near))
                if min(len(s) for s in (said, *taken_back)) >= longest:
                    break
    found += [(a, b, v) for a, b, v in misheard if not any(s < b and a < e for s, e, _ in found)]  # exact first
    return [(a, b, v) for a, b, v in found if not any(s <= a and b <= e and e - s > b - a for s, e, _ in found)]


# A pause to write a number down, or to have it said again, between its groups ("5-5-9... Hold on, let me get a pen.
# Okay. 5-5-5, 0-1-7-2"): no part of the number, it goes out as said.
_PAUSE = re.compile(
    r"\b(?:hold on|hang on|wait|sorry|slower|let me (?:get|grab|find) (?:a )?(?:pen|pencil|paper))\b", re.IGNORECASE
)


def said_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of ``text[start:end]`` (a number found said, or any identifier) outside the pauses between a
    number's groups: the groups either side are replaced each, the pause's words kept (leaks27's rest: her listed
    phone with "hold on, let me get a pen" between its groups came out as one [PHONE], the words lost)."""
    chunks = [c for _, _, found in runs(text[start:end], tokens(text[start:end])) for c in found]
    pieces, at = [], start
    for before, after in itertools.pairwise(chunks):
        if _PAUSE.search(text, start + before.end, start + after.start):
            pieces.append((at, start + before.end))
            at = start + after.start
    return [*pieces, (at, end)]


MISHEARD_KEPT = 8  # digits of a listed number still in place for a run one digit off to be it (QB3)


def _misheard(said: str, numbers: dict[str, _V]) -> _V | None:
    """What the listed number is that ``said`` (a run of two or more number groups) is with one digit dropped, added
    or changed, in the same order, at least MISHEARD_KEPT of its digits in place: ASR lost a "5" of "five five nine,
    five five five, ..." (QB3). A shorter listed number (a year, an amount, a room) is matched exactly only."""
    for digits, value in numbers.items():
        if len(digits) - 1 >= MISHEARD_KEPT and Levenshtein.distance(said, digits, score_cutoff=1) == 1:
            return value
    return None


def _said_number(text: str, phrase: str, label: str, matched: str) -> list[Span]:
    """Her listed number said in words, with fillers between its groups, or with one digit misheard: the spans the
    export's scrub replaces (spoken_numbers), proposed in review too."""
    digits = re.sub(r"\D", "", phrase)
    if any(c.isalpha() for c in phrase) or len(digits) < SPOKEN_DIGITS:
        return []
    written = [m.span() for m in pattern.finditer(text)] if (pattern := digits_pattern(phrase)) else []
    found = spoken_numbers(text, dict.fromkeys(said_forms(digits), matched))
    return [
        Span(a, b, label, "known", text[a:b], 1.0, matched)
        for a, b, _ in found
        if not any(s <= a and b <= e for s, e in written)  # _digits has it whole
    ]


SAID_KEY = 5  # letters and digits: a shorter code said in pieces is too likely to be other words ("a b c", "q 8")
# Words said for the signs of a handle, an e-mail or a code ("mari underscore q88", "marisol dot q88 at yahoo dot
# com", "cr dash 2008"): they stand for nothing of the key, so a said form reads through them.
_SAID_SIGNS = {"underscore", "dot", "period", "point", "dash", "hyphen", "at", "slash"}
_SAID_GAP = re.compile(r"(?:[\s.,;:\-_/@#+()'\"]|\b(?:dash|slash)\b){0,8}", re.IGNORECASE)


def said_key(identifier: str) -> str | None:
    """What a listed code, handle or e-mail is under any separators and said aloud: its letters and digits in order,
    lowercased, a zero read as the letter o ("7ABC123", "7 ABC 123", "seven a b c one two three" are "7abc123"; QA S2's
    rest: a plate, a case number "CR2008-114372" said "CR 2008 114372", "mari underscore q88" left a reviewed export).
    None for an identifier that is not one: no letters with digits, and no sign inside (a name, a bare number), or
    under SAID_KEY letters and digits."""
    inside = identifier.strip().strip("@.")
    coded = any(c.isdigit() for c in inside) and any(c.isalpha() for c in inside)
    if not coded and not any(c in inside for c in "@_."):
        return None
    letters = "".join(c for c in inside.casefold() if c.isalnum())
    return letters.replace("0", "o") if len(letters) >= SAID_KEY else None


def said_identifiers(text: str, keys: dict[str, _V]) -> list[tuple[int, int, _V]]:
    """(start, end, value) where an identifier whose said_key is in ``keys`` is written with any separators or said
    aloud: whole words and numbers in a row (numbers as written or said: "two thousand eight", "q eighty eight"),
    apart by spaces, punctuation or the words for signs ("underscore", "dot", "at"). A key of letters alone is only
    taken with a sign between its words ("mari underscore quinta", never "Mari Quinta" for a listed "@mariquinta"):
    plain words in a row are what names are made of. The longest from each start, none overlapping."""
    if not keys:
        return []
    prefixes = {k[:n] for k in keys for n in range(1, len(k) + 1)}
    items = _said_items(text)
    found: list[tuple[int, int, _V]] = []
    i = 0
    while i < len(items):
        best, said, signed = None, "", False
        for j in range(i, len(items)):
            start, end, part = items[j]
            if j > i and not _SAID_GAP.fullmatch(text[items[j - 1][1] : start]):
                break
            signed = signed or not part or any(c in text[items[i][1] : start] for c in "@_.")
            said += part
            if said not in prefixes:
                break
            if part and said in keys and (signed or any(c.isdigit() for c in said)):
                best = (items[i][0], end, keys[said])
        if items[i][2] and best is not None:
            found.append(best)
            i = next(n for n in range(i, len(items)) if items[n][1] >= best[1]) + 1
        else:
            i += 1
    return found


def _said_items(text: str) -> list[tuple[int, int, str]]:
    """(start, end, what it stands for) of each word and number in ``text``: a number (written or said) its digits, a
    word for a sign "", any other word its letters; a zero as the letter o (said_key's form)."""
    toks = tokens(text)
    items: list[tuple[int, int, str]] = []
    i = 0
    for first, after, chunks in runs(text, toks):
        items += [(t.start, t.end, _said_word(t.word)) for t in toks[i:first]]
        items += [(c.start, c.end, c.digits.replace("0", "o")) for c in chunks]
        i = after
    items += [(t.start, t.end, _said_word(t.word)) for t in toks[i:]]
    return items


def _said_word(word: str) -> str:
    return "" if word in _SAID_SIGNS else "".join(c for c in word if c.isalnum()).replace("0", "o")


def _digits(text: str, phrase: str, label: str, matched: str) -> list[Span]:
    pattern = digits_pattern(phrase)
    found = pattern.finditer(text) if pattern else ()
    return [Span(m.start(), m.end(), label, "known", m.group(), 1.0, matched) for m in found]


def _fuzzy(text: str, phrase: str, label: str, matched: str) -> list[Span]:
    target = _letters(phrase)
    if not target:
        return []  # digits and signs alone have no spelling or sound to be near: _digits finds their other forms
    size = len(phrase.split())
    tokens = list(_TOKEN.finditer(text))
    found: list[Span] = []
    # One word that names a town and a person alike ("Lodi", "Modesto", "Tyler"), under either label: its misheard
    # forms are believed as a place's where a place stands and as a person's where a person does (walk24 WK2: a
    # listed "Lodi" guessed a person, and "out in loaded" went out).
    other = {"PERSON": "LOCATION", "LOCATION": "PERSON"}.get(label) if town_and_first_name(target) else None
    for i in range(len(tokens)):
        for width in range(max(1, size - 1), size + 4):
            window = tokens[i : i + width]
            if len(window) < width or any(text[a.end() : b.start()].strip() for a, b in itertools.pairwise(window)):
                continue  # words of one name are apart by spaces only
            words = [_letters(t.group()) for t in window]
            candidate = "".join(words)
            if not candidate or (candidate == target and width == size):
                continue  # the exact match finds these
            if width > size and target in ("".join(words[:size]), "".join(words[width - size :])):
                continue  # the name itself with a word beside it ("Renata is"): the exact match has the name (QA F3)
            if label == "PERSON" and width > size and {words[0], words[-1]} & _EDGE_WORDS:
                continue  # "brant at" sounds as "Brandt" does: her name's syllables never begin or end at a function
                # word ("to your" for Tulare is a place's, after "down to")
            before = _letters(tokens[i - 1].group()) if i else ""
            after = _letters(tokens[i + width].group()) if i + width < len(tokens) else ""
            if label == "PERSON" and {after, *words[1:]} & _STREET_WORDS and not _POSSESSIVE.search(window[-1].group()):
                continue  # "Van Buren Street", "the Brant Street bridge": a street's name, not hers (QA S9); "Karl's
                # place" is his, a street's name is no possessive
            place = label in ("LOCATION", "ORG") and before in _PLACE_BEFORE
            if width >= size + 2 and not (place and _split(words, target, size, place)):
                continue  # three or four syllables for one word only where a place stands ("ah wa too key")
            if width == size and _spelled_alike(candidate, target, words):
                confidence = 0.8
            elif _run_alike(candidate, target, size, width) and not {words[0], words[-1]} & _EDGE_WORDS:
                confidence = 0.7
            elif candidate == target or (
                _sounds_alike(candidate, target)
                and (
                    any(
                        _believable(words, kind, before, candidate == target or _split(words, target, size, place))
                        for kind in (label, other)
                        if kind is not None
                    )
                    or ("PERSON" in (label, other) and _persons_place(text, window[0].start(), window[-1].end()))
                )
            ):
                confidence = 0.6
            else:
                continue
            start, end = window[0].start(), window[-1].start() + len(base_word(window[-1].group()))
            found.append(Span(start, end, label, "known", text[start:end], confidence, matched))
    return found


def _spelled_known(text: str, form: str, label: str, matched: str) -> list[Span]:
    """The identifier spelled out letter by letter ("A, S, A, N, T, E", "q u i double l b r o o k"), under its own
    label: spelling spans say every letter, so a word of three letters or more."""
    if sum(c.isalpha() for c in form) < 3 or any(c.isdigit() for c in form):
        return []
    pattern = re.compile(_BEFORE + spelled_out(form) + r"(?![^\W_])", re.IGNORECASE)
    return [Span(m.start(), m.end(), label, "known", m.group(), 1.0, matched) for m in pattern.finditer(text)]


def forms(item: KnownIdentifier) -> list[str]:
    """The whole identifier and, for a person, each part of a full name ("Okafor" of "Renata Okafor"), and each
    part of a hyphenated surname ("Okonkwo-Delacroix" and "Delacroix" of "Zyrafina Okonkwo-Delacroix"; QA H3); for a
    place or a body written with what follows it, the part before ("Lemon Cove" of "Lemon Cove, CA" or "Lemon Cove
    CA", "Harbor House Shelter" of "Harbor House Shelter, Room 12": QA T21)."""
    phrase = item.text.strip()
    forms = [phrase]
    if item.label == "PERSON" and " " in phrase:
        parts = [part for part in re.split(r"[\s,;]+", phrase) if part]  # "Moreau, Thessaly" too (QA H8)
        parts += [piece for part in parts if "-" in part for piece in part.split("-")]
        forms += [part for part in parts if len(part) > 2 and part.lower() not in STOPWORDS]
    if item.label in ("LOCATION", "ORG"):  # "Lemon Cove, CA", "Lodi CA", "Harbor House Shelter, Room 12" (QA T21)
        for head in _without_region(phrase.split(",")[0].strip()):
            if head != phrase and len(head) > 2 and head.lower() not in STOPWORDS:
                forms.append(head)
    return forms


# What may follow a town written without a comma (QA T21, U1): a ZIP code ("Lodi CA 95240"), a country's short form
# ("USA", "U.S.", "UK"), a state's or province's code ("CA", "N.Y.") or its AP abbreviation ("Calif.", "Nev.", "Tex"),
# and a county's word ("Tulare County": Tulare is said alone).
_TAILS = (
    re.compile(r"\s+\d{5}(?:-\d{4})?$"),
    re.compile(r"\s+(?:U\.?S\.?A?\.?|U\.?K\.?)$"),
    re.compile(r"\s+(?:[A-Z]{2}\.?|[A-Z]\.[A-Z]\.)$"),
    re.compile(
        r"\s+(?:Ala|Ariz|Ark|Calif?|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nebr|"
        r"Nev|Okla|Ore|Oreg|Pa|Penn|Tenn|Tex|Vt|Va|Wash|W\.\s?Va|Wis|Wisc|Wyo|Alta|Ont|Que|Sask|Man)\.?$"
    ),
    re.compile(r"\s+(?:County|Co\.|Parish|Borough)$"),
)


def _without_region(phrase: str) -> list[str]:
    """A town written with its state, province or country and no comma, and each shorter form of it down to the town
    ("Lodi" of "Lodi California", "Lodi CA 95240" or "Reno Nev.", "Rapid City" of "Rapid City South Dakota", "Cork" of
    "Cork Ireland", "Tulare County" and "Tulare" of "Tulare County CA"); only the phrase when it is a region itself
    ("South Dakota") or holds nothing before one."""

    def region(words: list[str]) -> bool:
        said = " ".join(words).casefold()
        return is_region(said) or said in US_STATES

    found = [phrase]
    while True:
        words = phrase.split()
        if len(words) < 2 or region(words):
            return found
        for tail in _TAILS:
            if (shorter := tail.sub("", phrase).strip()) != phrase:
                break
        else:
            sizes = [size for size in (3, 2, 1) if len(words) > size and region(words[-size:])]
            if not sizes:
                return found
            shorter = " ".join(words[: -sizes[0]])
        phrase = shorter
        found.append(phrase)


SHORT_FORM = 4, 6  # letters: "Mari" of Marisol, "Chidi" of Chidinma, "Quinta" of Quintanilla (QA S7)


def short_forms(item: KnownIdentifier) -> list[str]:
    """The starts of a listed person's name words that people call her by: four to six letters, shorter than the word
    ("Mari", "Maris", "Mariso" of Marisol; "Quin", "Quint", "Quinta" of Quintanilla)."""
    if item.label != "PERSON":
        return []
    shortest, longest = SHORT_FORM
    words = [w for w in re.split(r"[\s,;\-]+", item.text.strip()) if len(w) > shortest and w.isalpha()]
    return sorted({w[:n] for w in words for n in range(shortest, min(len(w), longest + 1))})


def hers_alone(form: str) -> bool:
    """A short form (short_forms) that can only be her name: no common word ("Rose" of Rosemary, "Will" of
    William) and nobody else's given name or surname ("Daniel" of Danielle, "Mary" of Maryse). Measured on the 2,108
    passages of tests/data/redaction as if every given name of 6+ letters in the lexicon were on a list
    (README: Redaction): the short forms this rule passes (2,590 of 3,057) occur 8 times outside a gold span ("Bibi",
    "Yola", "Christ" of Christelle) and 19 times inside a person's; the common words among them 1,081 times ("there" of
    Theresa, "came" of Cameron), the other names 63 times ("Court", "Pastor"). Such a short form is replaced whatever
    review decided; the others are proposed only where they stand as a name, for the reviewer to decide."""
    from fieldvault.export.scrub import common_word
    from fieldvault.redact.lexicon import first_names, last_names

    word = fold(form)[0].casefold()
    return not common_word(form) and word not in first_names() and word not in last_names()


def find_known(text: str, identifiers: list[KnownIdentifier]) -> list[Span]:
    """Every span of a listed identifier; a near match (misspelt, sound-alike) that overlaps another identifier
    found exactly is left out: the words are that one's (QA S9: "Buren" of a listed "Van Buren Street" was taken
    for "Brandt", and the street went out as her real name's placeholder)."""
    spans = _found(text, identifiers)
    spans = [s for s in spans if not _inside_longer(s, spans)]
    exact = [s for s in spans if s.confidence == 1.0]
    return [
        s
        for s in spans
        if s.confidence == 1.0 or not any(e.start < s.end and s.start < e.end and e.matched != s.matched for e in exact)
    ]


# A person's home said after her name's possessive: "Karl's place", "Carl's house".
_HOME = re.compile(r"([^\s'’]+)['’]s\s+(?:place|house|home|apartment|trailer|crib|room|spot)", re.IGNORECASE)


def without_listed_homes(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` less another layer's place or body that is a listed person's name and her home word ("Karl's place"
    for a listed Carl: a street's or a venue's name to the other layers): merged with her name's span it took the
    home word too, and the export read "I went to [PERSON 1]." (names27's left open); her name alone is hers."""
    names = {(s.start, s.end) for s in spans if s.source == "known" and s.label == "PERSON"}

    def home(span: Span) -> bool:
        said = _HOME.fullmatch(text, span.start, span.end)
        name = span.start + len(said.group(1)) if said else -1
        return bool(said) and ((span.start, name) in names or (span.start, name + 2) in names)

    return [s for s in spans if s.source == "known" or s.label not in ("LOCATION", "ORG") or not home(s)]


def _inside_longer(span: Span, spans: list[Span]) -> bool:
    """A number's span inside a longer one of the same identifier: its local seven digits where the whole was said
    with a pause between groups ("5-5-9... hold on, let me get a pen. Okay. 5-5-5, 0-1-7-2")."""
    return any(c.isdigit() for c in span.text) and any(
        o.matched == span.matched and o.start <= span.start and span.end <= o.end and o.end - o.start > len(span.text)
        for o in spans
    )


def _found(text: str, identifiers: list[KnownIdentifier]) -> list[Span]:
    spans: list[Span] = []
    for item in identifiers:
        phrase = fold(item.text.strip())[0]
        if not phrase or phrase.lower() in HARD_NEGATIVES:
            continue
        for form in forms(KnownIdentifier(phrase, item.label)):
            if form.lower() in STOPWORDS:  # "An", "Mỹ": a name only where it stands as one (QA R17)
                spans += [s for s in _exact(text, form, item.label, item.text.strip()) if _as_name(text, s)]
                continue
            spans += _exact(text, form, item.label, item.text.strip())
            spans += _fuzzy(text, form, item.label, item.text.strip())
            spans += _digits(text, form, item.label, item.text.strip())
            spans += _said_number(text, form, item.label, item.text.strip())
            spans += _spelled_known(text, form, item.label, item.text.strip())
        if said := said_key(phrase):  # a code, handle or e-mail with other separators, or said aloud
            found = said_identifiers(text, {said: item.text.strip()})
            spans += [Span(a, b, item.label, "known", text[a:b], 1.0, matched) for a, b, matched in found]
        if item.label == "PERSON":
            spans += _surname_heard_after(text, spans, phrase, item.text.strip())
            spans += _named_heard(text, phrase, item.text.strip())
            spans += _clipped_near(text, spans, phrase, item.text.strip())
            for nickname in _short_forms(phrase.split()[0]):
                spans += _exact(text, nickname, item.label, item.text.strip())
            for short in short_forms(KnownIdentifier(phrase)):  # "Mari", "Chidi", "Quinta": what people call her
                called = _exact(text, short, item.label, item.text.strip())
                spans += called if hers_alone(short) else [s for s in called if _as_name(text, s)]
    return spans


_VOWELS = re.compile(r"[aeiou]+|(?<=[^aeiou])y")  # "y" after a consonant is a vowel ("my"), before one not ("your")
_STOPS = set("pbtdkgcq")


def _syllables(word: str) -> list[tuple[str, str, str]]:
    """(the consonant before, the vowel, the consonants after) of each syllable of a word, a final "e" after a
    consonant silent ("nette" is one syllable); the vowel by its first letter, a "y" as "i"."""
    word = re.sub(r"(?<=[^aeiouy])e$", "", word) if len(word) > 3 else word
    vowels = list(_VOWELS.finditer(word))
    said = []
    for n, vowel in enumerate(vowels):
        before = word[vowels[n - 1].end() : vowel.start()] if n else word[: vowel.start()]
        after = word[vowel.end() : vowels[n + 1].start() if n + 1 < len(vowels) else len(word)]
        said.append((before[-1:], vowel.group()[0].replace("y", "i"), after))
    return said


def _rhymes(heard: tuple[str, str, str], name: tuple[str, str, str]) -> bool:
    """A name's last syllable as heard: the same consonant before and vowel, and the same sound after it, or a stop
    for a stop (ASR's slip at a word's end: "neck" for "nette")."""
    (onset, vowel, coda), (to_onset, to_vowel, to_coda) = heard, name
    same_end = sounds(coda) == sounds(to_coda) or (
        coda[-1:] in _STOPS and to_coda[-1:] in _STOPS and len(coda) <= 2 and len(to_coda) <= 2
    )
    return onset == to_onset and vowel == to_vowel and same_end


def _surname_heard_after(text: str, spans: list[Span], phrase: str, matched: str) -> list[Span]:
    """Her listed surname heard as two or three everyday words right after her first name was found (qa26 QB6:
    "My name is Tamika on my net" for Tamika Robinette; _split refuses a run that begins with a function word, which
    a surname's first syllable heard alone often is), a comma between or not ("Tamika, on my net": tiny.en writes
    one): taken with the first name (_heard_as_surname). Not where the words are a part of the body and a mark on it
    is beside them ("Tamika on my neck was a scar", a tattoo of her name), unless a naming frame says it is her name
    ("my name is Tamika on my neck")."""
    parts = phrase.split()
    if len(parts) < 2:
        return []
    first, surname = _letters(parts[0]), _letters(parts[-1])
    found = []
    for span in spans:
        said = _letters(span.text)
        if (
            span.matched != matched
            or not said
            or said == _letters(phrase)
            or not (first.startswith(said) or said in nicknames_of(parts[0]) or _sounds_alike(said, first))
        ):
            continue  # her first name as said (a short form, a nickname, a sound-alike), not her surname
        after = _words_after(text, span.end)
        named = bool(_FRAME_BEFORE.search(text[max(0, span.start - 20) : span.start]))
        width = _heard_as_surname([word for word, _ in after], surname, _REDUCED if named else frozenset())
        if width and (named or not _written_on_body(text, span.start, after, width)):
            end = after[width - 1][1]
            found.append(Span(span.start, end, span.label, "known", text[span.start : end], 0.6, matched))
    return found


_THREE_WORDS = re.compile(r",? ([A-Za-z]+)(?: ([A-Za-z]+))?(?: ([A-Za-z]+))?")
_TWO_WORDS = re.compile(r"([A-Za-z]+)(?: ([A-Za-z]+))?")


def _words_after(text: str, at: int) -> list[tuple[str, int]]:
    """(word, where it ends) of the three words after ``at``: a comma before the first or not, spaces only between
    them (a name's words are apart by nothing else)."""
    after = _THREE_WORDS.match(text, at)
    return [(after.group(n), after.end(n)) for n in (1, 2, 3) if after.group(n)] if after else []


# A word said as a vowel alone, too short to keep its own: after a naming frame "a" is "uh" whatever vowel her name
# has there ("I'm Tamika on a net" for Robinette, qa27); elsewhere it is the word ("Tamika got a net").
_REDUCED = frozenset({"a", "uh"})


def _heard_as_surname(words: list[str], surname: str, any_vowel: frozenset[str]) -> int:
    """How many of ``words`` (three or two) are her surname heard as everyday words, or 0: as many syllables as the
    surname's last ones (2..all of them), with its vowels in order (a word of ``any_vowel`` any) and its last syllable
    rhyming with theirs (on-my-net, on-a-net: ro-bi-nette; never "on my own", "on Monday", "in a net"); or their
    letters joined said as the surname is and spelled half like it, from its first letter ("rob in it": qa27)."""
    syllables = _syllables(surname)
    for width in (3, 2):
        if len(words) < width:
            continue
        said = [_letters(word) for word in words[:width]]
        heard = [(syllable, word) for word in said for syllable in _syllables(word)]
        if 2 <= len(heard) <= len(syllables):
            tail = syllables[-len(heard) :]
            vowels = all(word in any_vowel or s[1] == t[1] for (s, word), t in zip(heard, tail, strict=True))
            if vowels and _rhymes(heard[-1][0], tail[-1]):
                return width
        joined = "".join(said)
        if surname in joined:
            continue  # her surname as written and a word beside it ("José Peña in Fresno"): the exact match has it
        if joined[:1] == surname[:1] and sounds(joined) == sounds(surname) and fuzz.ratio(joined, surname) >= 65:
            return width
    return 0


# A naming frame: what follows it is a name whatever words ASR made of it ("My name is chemical on my neck").
_FRAME = r"\b(?:my\s+name\s+(?:is|was)|my\s+name['’]s|i['’]m|i\s+am|call(?:s|ed)?\s+me),?\s+"
_FRAMES, _FRAME_BEFORE = re.compile(_FRAME, re.I), re.compile(_FRAME + "$", re.I)
# A mark on the body that may be her name written there ("Tamika on my neck" of a tattoo, a chain, a scar).
_MARKS = re.compile(
    r"\b(?:tattoo\w*|ink|inked|chain|chains|necklace|pendant|locket|scar|scars|scarred|engraved|branded)\b", re.I
)
MARK_NEAR = 40  # characters either side, within the sentence: "tattooed" right after, "a tattoo, " right before


def _written_on_body(text: str, start: int, after: list[tuple[str, int]], width: int) -> bool:
    """Whether words heard as her surname end in a part of the body with a mark on it named beside them ("I got a
    tattoo, Tamika on my neck", "Tamika on my neck was a scar"): her name written there, said as it is."""
    end = after[width - 1][1]
    if after[width - 1][0].casefold() not in BODY_PARTS:
        return False
    before = re.split(r"[.!?]", text[max(0, start - MARK_NEAR) : start])[-1]
    beside = re.split(r"[.!?]", text[end : end + MARK_NEAR])[0]
    return bool(_MARKS.search(before) or _MARKS.search(beside))


def _heard_as_first(heard: str, first: str) -> bool:
    """A word said like her first name of two syllables or more: as many syllables, their vowels in order with at
    most one other in three ("chemical": che-mi-cal for ta-mi-ka), and the last syllable begun with the same sound
    and the same vowel."""
    said, name = _syllables(heard), _syllables(first)
    if len(name) < 2 or len(said) != len(name):
        return False
    other = sum(a[1] != b[1] for a, b in zip(said, name, strict=True))
    (onset, vowel, _), (to_onset, to_vowel, _) = said[-1], name[-1]
    return other <= (len(name) - 1) // 2 and vowel == to_vowel and _first_sound(onset) == _first_sound(to_onset)


def _named_heard(text: str, phrase: str, matched: str) -> list[Span]:
    """Her listed full name heard whole as everyday words after a naming frame ("my name is", "I'm", "call me"), her
    first name not found as written or by its sound (qa26: "My name is chemical on my neck" for Tamika Robinette,
    tiny.en en-us): one or two words said like her first name (_heard_as_first) and then her surname as words
    (_heard_as_surname)."""
    parts = phrase.split()
    if len(parts) < 2:
        return []
    first, surname = _letters(parts[0]), _letters(parts[-1])
    found = []
    for frame in _FRAMES.finditer(text):
        words = _TWO_WORDS.match(text, frame.end())
        for size in (1, 2):
            if words is None or not words.group(size):
                continue
            heard = "".join(_letters(word) for word in words.groups()[:size])
            after = _words_after(text, words.end(size))
            width = _heard_as_surname([word for word, _ in after], surname, _REDUCED)
            if _heard_as_first(heard, first) and width:
                start, end = frame.end(), after[width - 1][1]
                found.append(Span(start, end, "PERSON", "known", text[start:end], 0.6, matched))
                break
    return found


CLIPPED_NEAR = 200  # characters: a name said a sentence or two before is the one the clipped form is heard for


def _clipped_near(text: str, spans: list[Span], phrase: str, matched: str) -> list[Span]:
    """Her listed name said without its pet or plural ending, and heard with its first sound voiced or not ("Beach
    is gone" for Peaches: qa26, tiny.en), where only a person stands (_persons_place) and her name was found as
    written a sentence or two before or after: alone, such a clipped form is most often the everyday word ("the
    beach was quiet", "Peach trees")."""
    stems = {stem for word in phrase.split() if (stem := name_stem(word)) and stem != word.casefold()}
    near = [s for s in spans if s.matched == matched and s.confidence == 1.0]
    if not stems or not near:
        return []
    found = []
    for token in _TOKEN.finditer(text):
        start, end = token.start(), token.start() + len(base_word(token.group()))
        word = _letters(token.group())
        if (
            word
            and any(_sounds_alike(word, stem) for stem in stems)
            and any(abs(s.start - start) <= CLIPPED_NEAR and not (s.start < end and start < s.end) for s in near)
            and _persons_place(text, start, end)
        ):
            found.append(Span(start, end, "PERSON", "known", text[start:end], 0.6, matched))
    return found


_NAMING = PERSON_WORDS | {"named", "called", "call", "name"}


def _as_name(text: str, span: Span) -> bool:
    """A listed name that is also a function word ("An", "My": Vietnamese given names) is one only where it stands as
    one: written with a capital where no sentence starts, or right after a word that names a person ("my sister
    My", "called an"). Everywhere else it is the word: "my mother", "an old house" (QA R17: every "my" and "an" of
    her interviews was proposed, and her unreviewed export read "[PERSON 1] mother")."""
    before = text[: span.start].rstrip()
    word = re.search(r"([A-Za-z]+)\W*$", before)
    if word is not None and word.group(1).lower() in _NAMING and not before.endswith((".", "?", "!")):
        return True
    if re.search(r"\bname\s+(?:is|was)\W*$", before, re.IGNORECASE):
        return True
    sentence_start = not before or before.endswith((".", "?", "!", ":", '"', "“"))
    return span.text[:1].isupper() and not sentence_start


def _short_forms(first: str) -> set[str]:
    """Nicknames ("liz" for Elizabeth) and clipped forms ("dom" for Dominique) that are no everyday word."""
    clipped = {first[:n].lower() for n in (3, 4) if len(first) > n + 1}
    ordinary = dictionary()[0]
    return {n for n in nicknames_of(first) if n not in STOPWORDS} | {
        c for c in clipped if c not in ordinary and c not in STOPWORDS and c not in HARD_NEGATIVES
    }
