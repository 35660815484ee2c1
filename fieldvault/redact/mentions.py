"""One text, one decision: an identifier proposed at one mention is proposed at every other mention in the same
transcript, in any case, with a possessive or punctuation at its edges, in the same entity.

Only a text that reads as a name wherever it stands spreads everywhere: not an everyday word ("blessing", "smoke",
"heaven"), not a month, a state or a day that is also a name ("April", "Georgia"), and never after an article or a
possessive ("my Pontiac" is a car where "in Pontiac" was a town). A person's name that is an everyday word ("wolf")
spreads to the mentions in a name slot only ("they never asked me about wolf"; not "a wolf"), as the detector's own
rule reads them in one text (persons.same_names). The export gate replaces an unreviewed everyday-word proposal
where it stands, a cue's no further than its own transcript (export.gate._as_proposed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from fieldvault.redact import entities
from fieldvault.redact.joined import Found
from fieldvault.redact.lexicon import (
    HOLIDAYS,
    MONTHS,
    NAME_WORDS,
    STOPWORDS,
    TITLES,
    US_STATES,
    WEEKDAYS,
    base_word,
    dictionary,
    fold,
    is_hard_negative,
)
from fieldvault.redact.organisations import _HEADS
from fieldvault.redact.persons import _PERSON_AFTER, _PERSON_BEFORE, _SUBJECT_AFTER
from fieldvault.redact.persons import _THING_BEFORE as _QUALITY_BEFORE
from fieldvault.redact.spans import PRIORITY, Span

SPREAD_LABELS = ("PERSON", "LOCATION", "ORG")
SOURCE = "mention"
_WORDS = re.compile(r"[^\W\d_]+(?:['’]s)?(?:\s+[^\W\d_]+(?:['’]s)?)*")
# Before a mention, what makes it a thing and not the name: "a Pontiac", "my Buick", "the Grand".
_THING_BEFORE = re.compile(r"(?<![\w'’])(?:a|an|the|my|your|his|her|our|their|its|this|that|some|no|any)\s+$", re.I)
# Words that are names and also months, states, days or holidays: a cue decides them, mention by mention.
_AMBIGUOUS = NAME_WORDS | set(MONTHS) | WEEKDAYS | HOLIDAYS | US_STATES


# Short words that are only ever function words: beside an everyday word they keep a phrase everyday ("tell me",
# "get up"); not "oh", a surname (Oh Min-ji).
_SHORT_ORDINARY = frozenset(w for w in STOPWORDS if len(w) < 3) - {"oh"}


def everyday(text: str) -> bool:
    """``text`` is only words (no digits or punctuation: not "T.J." or "#42 Elm"), each of three letters or
    more and an ordinary lowercase word of the system dictionary (possessives aside), or a short function word
    beside such a word ("tell me", QA Q2: a sound-alike of a listed "Tulare")."""
    if not _WORDS.fullmatch(text.strip()):
        return False
    ordinary = dictionary()[0]
    words = [base_word(w).lower() for w in text.split()]
    long = [w for w in words if len(w) >= 3]
    return bool(long) and all(w in ordinary for w in long) and all(w in _SHORT_ORDINARY for w in words if len(w) < 3)


_CONTRACTION = re.compile(r"['’](?:d|ll|ve|re|m|t)$")
# A body's or a place's kind at the end of its name: "Sacred Heart Shelter", "Magdalene House", "Grace Trust".
_KIND_END = re.compile(rf"\s+{_HEADS}$", re.I)


def _spreads(word: str) -> bool:
    """A one-word text that reads as a name wherever it stands (not "he'd", "hope", "April")."""
    if len(word) < 3 or word in TITLES or word in STOPWORDS or word in _AMBIGUOUS or _CONTRACTION.search(word):
        return False
    return not everyday(word)


def _word_name(found: Found) -> str | None:
    """A person's one-word name that is also an everyday word ("wolf", "hawk", "candy"), found at one mention by any
    layer but the known one: said elsewhere, it is her name only in a name slot (`_name_slot`)."""
    span = found.span
    if found.part is not None or span.label != "PERSON" or span.source == "known":
        return None
    name = entities.normal(span.text)
    if " " in name or len(name) < 3 or name in TITLES or name in STOPWORDS or name in _AMBIGUOUS:
        return None
    if _CONTRACTION.search(name) or is_hard_negative(name) or not everyday(name):
        return None
    return name


# After a mention, a possessive: its owner is a person ("wolf's truck"; "the wolf's den" has its article before it).
_POSSESSIVE = re.compile(r"['’]s?(?![\w'’])")


def _name_slot(text: str, start: int, end: int) -> bool:
    """The mention at ``text[start:end]`` stands where a person stands, as persons.same_names reads it: after a word
    that takes a person or at a clause's start ("asked me about wolf", "me and candy", ", hawk"), before what only a
    person does ("wolf said"), as a clause's subject ("wolf never paid"), or owning something ("wolf's truck").
    Never after an article or a possessive ("a wolf", "the wolf", "my candy") nor before "of" ("the grace of god")."""
    if _THING_BEFORE.search(text, 0, start) or re.match(r"\s+of\b", text[end:]):
        return False
    return bool(
        _PERSON_BEFORE.search(text[max(0, start - 14) : start])
        or _PERSON_AFTER.match(text, end)
        or _POSSESSIVE.match(text, end)
        or (_SUBJECT_AFTER.match(text, end) and not _QUALITY_BEFORE.search(text[max(0, start - 20) : start]))
    )


def _terms(found: Found) -> Iterator[str]:
    """The forms of one proposal looked for elsewhere: the span's text, each word of a person's fuller name
    that reads as a name on its own ("Okafor" of "Renata Okafor"), and a body's name said without its kind
    ("sacred heart" of "Sacred Heart Shelter")."""
    span = found.span
    if found.part is not None or span.label not in SPREAD_LABELS or span.source == "known":
        return  # the known layer looks for her identifiers everywhere already, sound-alikes with care
    name = entities.normal(span.text)
    if not any(c.isalpha() for c in name) or is_hard_negative(name):
        return
    if _spreads(name) if " " not in name else not everyday(name) or _written_as_a_name(span):
        yield name
    if span.label == "PERSON" and " " in name:
        yield from (word for word in name.split() if _spreads(word))
    if (rest := _without_kind(span)) is not None:
        yield rest


def _without_kind(span: Span) -> str | None:
    """A shelter's, a church's or a firm's name without its kind, as people say it again: "later sacred heart took
    my sister too" after "Sacred Heart Shelter" (QA AB1's rest; "Sacred [ORG]" went out where the detector found
    "Heart" alone). The rest must be written as a name, every word with a capital, and read as one by itself: two
    or more words ("Sacred Heart"), or one word that reads as a name anywhere ("Magdalene"; not "hope" of "Hope
    House"). A lowercase find is not enough: "boba" of "the boba place" is a drink."""
    if span.label not in ("ORG", "LOCATION") or (end := _KIND_END.search(span.text)) is None:
        return None
    written = span.text[: end.start()].split()
    rest = entities.normal(" ".join(written))
    if not rest or is_hard_negative(rest) or not all(w[:1].isupper() for w in written):
        return None
    if written[0].lower() in STOPWORDS:
        return None
    return rest if len(written) > 1 or _spreads(rest) else None


def _written_as_a_name(span: Span) -> bool:
    """A shelter's, a church's or a street's name of three or more everyday words, two or more written with a capital
    ("Sacred Heart Shelter", "Sacred Heart shelter"): said again in lowercase ("sacred heart shelter took my sister
    too", QA AB1) it is the same name. Two words are not enough: "New Hope" lowercased is "new hope" too often."""
    words = span.text.split()
    return span.label in ("ORG", "LOCATION") and len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 2


def pattern(name: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in name.split())
    return re.compile(rf"(?<![\w'’]){words}(?=(?:['’]s?)?(?![\w'’]))", re.IGNORECASE)


def spread(texts: Sequence[str], found: list[Found]) -> list[Found]:
    """``found`` with every other mention of its identifiers added (source "mention", the label of the mention
    it copies); sorted by segment and offset."""
    terms: dict[str, Span] = {}
    slotted: set[str] = set()  # everyday words found as a person's name: spread only to a name slot
    for one in found:
        for name in _terms(one):
            terms.setdefault(name, one.span)
        if (word := _word_name(one)) is not None:
            terms.setdefault(word, one.span)
            slotted.add(word)
    taken = {(f.segment, f.span.start, f.span.end) for f in found}
    kept = list(found)
    added: list[Found] = []
    folds = [(*fold(text), fold(text)[0].casefold()) for text in texts] if terms else []
    for name in sorted(terms, key=len, reverse=True):  # the fuller name first: "Renata Okafor" before "Okafor"
        like = terms[name]
        plain = fold(name)[0]  # "josé" is looked for as the folded text has it: "jose"
        finder = pattern(plain)
        for index, (text, (folded, starts, lowered)) in enumerate(zip(texts, folds, strict=True)):
            if plain.split()[0] not in lowered:
                continue
            for match in finder.finditer(folded):
                start, end = (starts[match.start()], starts[match.end()]) if starts else match.span()
                thing = _THING_BEFORE.search(folded, 0, match.start())
                if (index, start, end) in taken or (thing and not _said_with_article(name, like, thing.group())):
                    continue
                if name in slotted and not _name_slot(folded, match.start(), match.end()):
                    continue
                inside = [
                    f for f in (*kept, *added) if f.segment == index and f.span.start < end and start < f.span.end
                ]
                if inside:
                    if " " not in name or not all(_within(f, start, end) for f in inside):
                        continue  # another proposal there, not a piece of this name
                    kept = [f for f in kept if not any(f is piece for piece in inside)]  # "heart shelter" of the name
                    added = [f for f in added if not any(f is piece for piece in inside)]
                span = Span(start, end, like.label, SOURCE, text[start:end], like.confidence, like.matched)
                added.append(Found(index, span, span))
    return _one_label(sorted([*kept, *added], key=lambda f: (f.segment, f.span.start)))


def _said_with_article(name: str, like: Span, before: str) -> bool:
    """A body's or a place's name of two or more words is said with "the" ("at the sacred heart shelter"); one word
    after an article or a possessive is a thing ("the Pontiac", "my Buick")."""
    return " " in name and like.label in ("ORG", "LOCATION") and before.split()[0].lower() == "the"


def _within(found: Found, start: int, end: int) -> bool:
    """A proposal in one segment that a fuller name said there holds whole (QA AB1: "heart shelter" found in "sacred
    heart shelter", the lowercased mention of "Sacred Heart shelter", left "sacred" out)."""
    return found.part is None and start <= found.span.start and found.span.end <= end


def spread_text(text: str, spans: list[Span]) -> list[Span]:
    """``spread`` over one text (a file given to redact-text, a questionnaire answer, a memo)."""
    return [f.span for f in spread([text], [Found(0, span, span) for span in spans])]


def _one_label(found: list[Found]) -> list[Found]:
    """The same text is one kind of identifier throughout a transcript. A word of a person's fuller name that a
    weaker layer labelled otherwise ("renata" a LOCATION to the model, beside "Renata Okafor" found by a cue) is
    that person; a text a word list or a capital proposed takes the label of the surest layer that found the
    same text. The model and the cues read each mention's own context, so "my friend Chandler" and "moved to
    Chandler" stay a person and a place."""
    words: dict[str, Span] = {}
    texts: dict[str, Span] = {}
    for one in found:
        if one.part is not None or one.span.source == "known":
            continue
        name = entities.normal(one.span.text)
        if _surer(one.span, texts.get(name)):
            texts[name] = one.span
        if one.span.label == "PERSON" and " " in name:
            for word in name.split():
                if _surer(one.span, words.get(word)):
                    words[word] = one.span
    out = []
    for one in found:
        name = entities.normal(one.span.text)
        best = words.get(name)
        if best is None or not _surer(best, one.span):
            best = texts.get(name) if one.span.source in _LISTS else None
        if best is not None and best.label != one.span.label and _surer(best, one.span):
            one = replace(one, span=replace(one.span, label=best.label), whole=replace(one.whole, label=best.label))
        out.append(one)
    return out


_LISTS = ("gazetteer", "proper-noun", "rare", SOURCE)


def _surer(span: Span, than: Span | None) -> bool:
    return than is None or PRIORITY.get(span.source, 9) < PRIORITY.get(than.source, 9)
