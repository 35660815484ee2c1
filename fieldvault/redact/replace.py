"""Consistent pseudonymisation: the same person becomes the same placeholder in every transcript of
that participant ([PERSON 1], or the reviewer's substitute name); places, organisations, contacts,
dates and IDs become their category."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from fieldvault.redact import entities
from fieldvault.redact.ages import PLACEHOLDER, is_age_over_89
from fieldvault.redact.entities import SPLIT
from fieldvault.redact.lexicon import CITIES
from fieldvault.redact.review import ACCEPTED, ProposedSpan, Redactions
from fieldvault.redact.spans import Span
from fieldvault.redact.spoken import NUMBER_WORDS
from fieldvault.transcript import Segment, Transcript

_STREET = re.compile(
    r"\b(street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|highway|hwy|way|parkway)\b|\d", re.I
)


def category(label: str, text: str) -> str:
    if label == "LOCATION":
        if _STREET.search(text):
            return "[STREET]"
        return "[CITY]" if text.lower() in CITIES else "[PLACE]"
    if label == "CONTACT":
        words = re.findall(r"[a-z]+", text.lower())
        if "_" in text or "underscore" in words or re.fullmatch(r"@[^@.\s]+", text.strip()):
            return "[HANDLE]"  # "@mari_q88", "mari underscore q88": no phone for its digits (QA S2's rest)
        if "@" in text or ("at" in words and "dot" in words):  # "marisol dot q88 at yahoo dot com" (QA S13)
            return "[EMAIL]"
        spoken = sum(w in NUMBER_WORDS for w in words)
        if any(c.isdigit() for c in text) or (spoken and spoken * 2 >= len(words)):
            return "[PHONE]"  # "nine one six... five five five" is no web address for its dots (QA S13)
        return "[URL]" if "." in text or "dot" in words else "[PHONE]"
    if label == "DATE" and is_age_over_89(text):
        return PLACEHOLDER  # "I am [90 or older] years old": Safe Harbor's category, as the questionnaire's age leaves
    return {"ORG": "[ORG]", "DATE": "[DATE]", "ID": "[ID]"}.get(label, f"[{label}]")


def labelled(text: str, spans: Sequence[Span]) -> str:
    """The text with each detected span replaced by its label ([PERSON], [LOCATION]): a quick look at what
    detection finds in any text, before any review."""
    out, last = [], 0
    for span in spans:
        out += [text[last : span.start], f"[{span.label}]"]
        last = span.end
    return "".join([*out, text[last:]])


@dataclass(frozen=True)
class Placeholders:
    """entity -> replacement, for one participant, built over all her reviewed transcripts in order; ``numbers``:
    entity -> n of each person numbered [PERSON n] (the numbers given before, and those given here)."""

    by_entity: dict[str, str]
    numbers: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, redactions: Sequence[Redactions], numbers: Mapping[str, int] | None = None) -> Placeholders:
        """Across her transcripts, "Renata" in one and "Renata Okafor" in another are one person too. ``numbers``:
        the number each person was given before (entity -> n), kept; a person new here takes the next number
        nobody was given, also when "Renata" alone was numbered before her full name came up. A substitute name
        set on a person is printed for her, also on "Renata" alone (tui28: it took her full name's placeholder);
        a shorter name with none takes her full name's."""
        mapping: dict[str, str] = {}
        given = dict(numbers or {})
        everyone = _accepted(redactions)
        substitutes = _substitutes(redactions)
        for doc in sorted(redactions, key=lambda r: r.session):
            for span in doc.spans:
                if span.state != ACCEPTED or span.entity in mapping:
                    continue
                if span.label == "PERSON" and span.entity in substitutes:
                    mapping[span.entity] = substitutes[span.entity].name
                    continue
                fuller = _fuller_name(span.entity, everyone)
                if fuller != span.entity:
                    if fuller not in mapping:
                        continue  # named when its full name comes up
                    mapping[span.entity] = mapping[fuller]
                elif span.label == "PERSON":
                    mapping[span.entity] = f"[PERSON {_number(span.entity, everyone, given)}]"
                else:
                    mapping[span.entity] = span.substitute or category(span.label, span.text)
        for entity in everyone - mapping.keys():  # first names whose full name came up later
            mapping[entity] = mapping.get(_fuller_name(entity, everyone), "[PERSON]")
        return cls(mapping, given)


@dataclass(frozen=True)
class Substituted:
    """A substitute name exports print for a person: ``name``, set on ``entity`` (hers, or her fuller name's) in
    ``session``."""

    name: str
    entity: str
    session: str


def substituted(span: ProposedSpan, doc: Redactions, others: Sequence[Redactions]) -> Substituted | None:
    """The substitute name exports print for the person ``span`` of ``doc`` once accepted, by the rules of
    ``Placeholders.build`` and ``redact_segments`` (``others``: her other transcripts' redactions): the one set on it
    here, else the one set on that person in another transcript, else her fuller name's; None: her placeholder. What
    the review screen says (tui28: it read the span's own and could name the wrong one)."""
    if span.label != "PERSON":
        return None
    if span.substitute:
        return Substituted(span.substitute, span.entity, doc.session)
    mine = replace(doc, spans=[replace(s, state=ACCEPTED) if s.entity == span.entity else s for s in doc.spans])
    docs = [mine, *(d for d in others if d.session != doc.session)]
    substitutes = _substitutes(docs)
    return substitutes.get(span.entity) or substitutes.get(_fuller_name(span.entity, _accepted(docs)))


def _accepted(redactions: Sequence[Redactions]) -> set[str]:
    return {s.entity for doc in redactions for s in doc.spans if s.state == ACCEPTED}


def _substitutes(redactions: Sequence[Redactions]) -> dict[str, Substituted]:
    """Each accepted person's substitute name, the first set in her transcripts in session order."""
    found: dict[str, Substituted] = {}
    for doc in sorted(redactions, key=lambda r: r.session):
        for span in doc.spans:
            if span.state == ACCEPTED and span.label == "PERSON" and span.substitute and span.entity not in found:
                found[span.entity] = Substituted(span.substitute, span.entity, doc.session)
    return found


def _number(entity: str, everyone: set[str], given: dict[str, int]) -> int:
    """The person's number: the one given before, or one of a shorter name of hers given before ("Renata", numbered
    before "Renata Okafor" came up), or the next nobody was given; recorded in ``given``."""
    if entity not in given:
        shorter = [given[e] for e in everyone if e in given and e != entity and _fuller_name(e, everyone) == entity]
        given[entity] = min(shorter, default=max(given.values(), default=0) + 1)
    return given[entity]


def _fuller_name(entity: str, everyone: set[str]) -> str:
    """The one fuller name among ``everyone`` that a shorter person entity is part of, else itself."""
    if SPLIT in entity or entities.category_of(entity) != "PERSON":
        return entity
    return entities.resolve("PERSON", entity.split(":", 1)[1], None, everyone)


Found = tuple[int, int, str]  # (start, end, replacement) in a text


def absorbed(spans: Sequence[Found], listed: Sequence[Found], text: str) -> list[Found]:
    """``spans`` with each that overlaps part of a listed identifier's match (``listed``) grown over the whole match
    and replaced as that identifier: the detector's span over part of one ("Van" of another woman's listed "Van
    Buren Street") was replaced first, and the scrub after it no longer saw the identifier whole ("lived on [PLACE]
    Buren", QA T1); two spans over its parts become one ("Van" and "Buren" proposed apart). A span holding all of a
    match stays as it is; a match no span touches is left to the scrub."""
    out = sorted(spans)
    for start, end, replacement in sorted(listed):
        over = [s for s in out if s[0] < end and start < s[1]]
        if over and end == over[-1][1] + 1 and text[end - 1] == ".":
            end -= 1  # "St." of "on Van Buren St.": its dot is the sentence's full stop too, and stays
        if over and (start < over[0][0] or end > over[-1][1] or len(over) > 1):  # "[PLACE] [PLACE]" of one street
            out = sorted(
                [s for s in out if s not in over] + [(min(start, over[0][0]), max(end, over[-1][1]), replacement)]
            )
    return out


def redact_segments(
    transcript: Transcript,
    redactions: Redactions,
    placeholders: Placeholders,
    include_undecided: bool,
    listed: Callable[[str], Sequence[Found]] | None = None,
    across: Sequence[Sequence[Found]] = (),
) -> list[Segment]:
    """Segments with every accepted span replaced (and undecided ones too when asked: an export of an
    unreviewed transcript must not leak what nobody has looked at yet), each grown over the listed identifiers
    (``listed``: their matches in a text) it overlaps. ``across``: for each segment, its share of each listed
    identifier that runs over segment boundaries, found in the segments as said (scrub.Chain.pieces); each is
    replaced whether or not a span touches it (walk24 WK3: "0-1" of her phone, the other groups replaced, went
    out). Word timings are dropped."""
    wanted = {ACCEPTED, "undecided"} if include_undecided else {ACCEPTED}
    out = []
    for index, segment in enumerate(transcript.segments):
        spans = []
        for span in (s for s in redactions.spans if s.segment == index and s.state in wanted):
            replacement = placeholders.by_entity.get(span.entity) or category(span.label, span.text)
            if span.label == "PERSON" and span.entity not in placeholders.by_entity:
                replacement = "[PERSON]"
            if span.label == "PERSON" and span.substitute:  # the name set on this very mention (tui28)
                replacement = span.substitute
            spans.append((span.start, span.end, replacement))
        pieces = list(across[index]) if index < len(across) else []
        spans += [p for p in pieces if not any(s[0] < p[1] and p[0] < s[1] for s in spans)]
        text = segment.text
        matches = [*(listed(text) if listed else ()), *pieces]
        for start, end, replacement in reversed(absorbed(spans, matches, text)):
            text = text[:start] + replacement + text[end:]
        out.append(Segment(segment.start, segment.end, text, segment.speaker, ()))
    return out
