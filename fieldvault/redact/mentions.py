"""One text, one decision: an identifier proposed at one mention is proposed at every other mention in the same
transcript, in any case, with a possessive or punctuation at its edges, in the same entity.

A name that is an everyday word ("blessing", "hope", "justice") spreads only when a cue found it ("a lady named
blessing") and only where it can be a name: never after an article or a possessive ("a blessing", "my hope") or
right after a subject pronoun ("i hope"). A proposal of everyday words that no cue found (a name list's
"Reading") is not spread at all: the export gate spreads the same way (export.gate._as_proposed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from fieldvault.redact import entities
from fieldvault.redact.joined import Found
from fieldvault.redact.lexicon import TITLES, base_word, dictionary, fold
from fieldvault.redact.spans import PRIORITY, Span

SPREAD_LABELS = ("PERSON", "LOCATION", "ORG")
SOURCE = "mention"
_WORDS = re.compile(r"[^\W\d_]+(?:['’]s)?(?:\s+[^\W\d_]+(?:['’]s)?)*")
# Before an everyday word, what makes it the word and not the name: "a blessing", "my hope", "i hope".
_NOT_A_NAME = re.compile(
    r"(?<![\w'’])(?:a|an|the|my|your|his|her|our|their|its|this|that|some|no|any|i|we|you|they)\s+$", re.I
)


def everyday(text: str) -> bool:
    """``text`` is only words (no digits or punctuation: not "T.J." or "#42 Elm"), each of three letters or
    more and an ordinary lowercase word of the system dictionary (possessives aside)."""
    if not _WORDS.fullmatch(text.strip()):
        return False
    ordinary = dictionary()[0]
    words = [base_word(w).lower() for w in text.split()]
    return all(len(w) >= 3 and w in ordinary for w in words)


def _terms(found: Found) -> Iterator[tuple[str, bool]]:
    """The forms of one proposal looked for elsewhere, each with whether it may be found only where it can be a
    name: the span's text, and each unusual word of a person's fuller name ("Okafor" of "Renata Okafor")."""
    span = found.span
    if found.part is not None or span.label not in SPREAD_LABELS or span.source == "known":
        return  # the known layer looks for her identifiers everywhere already, sound-alikes with care
    if not any(c.isalpha() for c in span.text):
        return
    name = entities.normal(span.text)
    if len(name) < 3:
        return
    if not everyday(span.text):
        yield name, False
    elif span.source == "context":
        yield name, True
    if span.label == "PERSON" and " " in name:
        for word in name.split():
            if len(word) >= 3 and word not in TITLES and not everyday(word):
                yield word, False


def pattern(name: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in name.split())
    return re.compile(rf"(?<![\w'’]){words}(?=(?:['’]s?)?(?![\w'’]))", re.IGNORECASE)


def spread(texts: Sequence[str], found: list[Found]) -> list[Found]:
    """``found`` with every other mention of its identifiers added (source "mention", the label of the mention
    it copies); sorted by segment and offset."""
    terms: dict[str, tuple[Span, bool]] = {}
    for one in found:
        for name, names_only in _terms(one):
            if name not in terms or terms[name][1] > names_only:
                terms[name] = (one.span, names_only)
    taken = {(f.segment, f.span.start, f.span.end) for f in found}
    covered: dict[int, list[tuple[int, int]]] = {}
    for f in found:
        covered.setdefault(f.segment, []).append((f.span.start, f.span.end))
    added: list[Found] = []
    for name in sorted(terms, key=len, reverse=True):  # the fuller name first: "Renata Okafor" before "Okafor"
        like, names_only = terms[name]
        finder = pattern(name)
        for index, text in enumerate(texts):
            folded, starts = fold(text)
            for match in finder.finditer(folded):
                start, end = (starts[match.start()], starts[match.end()]) if starts else match.span()
                if (index, start, end) in taken:
                    continue
                if any(a < end and start < b for a, b in covered.get(index, [])):
                    continue
                if names_only and _NOT_A_NAME.search(folded, 0, match.start()):
                    continue
                span = Span(start, end, like.label, SOURCE, text[start:end], like.confidence, like.matched)
                added.append(Found(index, span, span))
                covered.setdefault(index, []).append((start, end))
    return _one_label(sorted([*found, *added], key=lambda f: (f.segment, f.span.start)))


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
