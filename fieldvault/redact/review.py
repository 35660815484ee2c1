"""The reviewer's decisions on proposed spans, stored as redactions.json.age beside the transcript.

A transcript is reviewed when a person marked this very version reviewed after reading it, and no span
is undecided; any edit makes a new version, which is unreviewed. Each decision records who made it and
when; the audit log records that a decision was made, never the span's text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from fieldvault import layout, serial
from fieldvault.agefile import Identity
from fieldvault.errors import BadInput
from fieldvault.layout import REDACTIONS
from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect
from fieldvault.redact.lexicon import base_word
from fieldvault.redact.spans import LABELS
from fieldvault.study import Study
from fieldvault.transcript import Transcript

SCHEMA_VERSION = 1
UNDECIDED, ACCEPTED, REJECTED = "undecided", "accepted", "rejected"


def entity_key(text: str) -> str:
    """What makes two mentions the same entity: case, possessives and spacing aside."""
    return " ".join(base_word(w) for w in text.lower().split())


@dataclass(frozen=True)
class ProposedSpan:
    id: int
    segment: int
    start: int  # offsets into the segment's text
    end: int
    label: str
    source: str
    text: str
    entity: str  # entity_key, or the known identifier it matched, so variants share a placeholder
    state: str = UNDECIDED
    substitute: str | None = None  # a reviewer-chosen replacement name, used for every mention of the entity
    reviewer: str | None = None
    decided_at: str | None = None


@dataclass
class Redactions:
    pseudonym: str
    session: str
    transcript_sha256: str
    spans: list[ProposedSpan] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION
    reviewed_by: str | None = None  # the person who read this transcript version through and marked it
    reviewed_at: str | None = None

    @property
    def undecided(self) -> int:
        return sum(1 for s in self.spans if s.state == UNDECIDED)

    @property
    def decided(self) -> bool:
        return self.undecided == 0

    @property
    def reviewed(self) -> bool:
        return self.decided and self.reviewed_by is not None

    def mark_reviewed(self, reviewer: str, when: datetime) -> None:
        """A person read this version through; refused while a span is undecided."""
        if not self.decided:
            raise BadInput(f"{self.undecided} proposed span(s) are undecided: decide them (review, v) first")
        self.reviewed_by, self.reviewed_at = reviewer, when.isoformat(timespec="seconds")

    def to_json(self) -> bytes:
        return serial.dumps(self)

    @classmethod
    def from_json(cls, data: bytes) -> Redactions:
        return serial.loads(cls, data, "the redactions file")

    # --- decisions ------------------------------------------------------------------------

    def _set(self, span_id: int, reviewer: str, when: datetime, **changes: str | None) -> None:
        self.reviewed_by = self.reviewed_at = None  # a changed decision needs reading through again
        for i, span in enumerate(self.spans):
            if span.id == span_id:
                stamped = replace(span, reviewer=reviewer, decided_at=when.isoformat(timespec="seconds"))
                self.spans[i] = replace(stamped, **changes)  # type: ignore[arg-type]
                return
        raise BadInput(f"no span {span_id} in this transcript")

    def decide(self, span_id: int, state: str, reviewer: str, when: datetime) -> None:
        if state not in (ACCEPTED, REJECTED, UNDECIDED):
            raise BadInput(f"a decision is {ACCEPTED} or {REJECTED}, not {state!r}")
        self._set(span_id, reviewer, when, state=state)

    def relabel(self, span_id: int, label: str, reviewer: str, when: datetime) -> None:
        if label not in LABELS:
            raise BadInput(f"label {label!r} is not one of {', '.join(LABELS)}")
        self._set(span_id, reviewer, when, label=label)

    def substitute(self, span_id: int, name: str, reviewer: str, when: datetime) -> None:
        entity = next(s.entity for s in self.spans if s.id == span_id)
        for span in list(self.spans):
            if span.entity == entity:
                self._set(span.id, reviewer, when, substitute=name.strip() or None)

    def accept_all_of(self, span_id: int, reviewer: str, when: datetime) -> int:
        """Accept every undecided mention of the same entity; returns how many."""
        entity = next(s.entity for s in self.spans if s.id == span_id)
        same = [s for s in self.spans if s.entity == entity and s.state == UNDECIDED]
        for span in same:
            self._set(span.id, reviewer, when, state=ACCEPTED)
        return len(same)

    def add(
        self, transcript: Transcript, segment: int, start: int, end: int, label: str, reviewer: str, when: datetime
    ) -> ProposedSpan:
        """A span the detector missed, added by the reviewer (accepted at once)."""
        text = transcript.segments[segment].text
        if not (0 <= start < end <= len(text)) or not text[start:end].strip():
            raise BadInput("select some text of the segment first")
        if label not in LABELS:
            raise BadInput(f"label {label!r} is not one of {', '.join(LABELS)}")
        if any(s.segment == segment and s.start < end and start < s.end for s in self.spans):
            raise BadInput("that text overlaps a proposed span already: accept, reject or relabel that one")
        span = ProposedSpan(
            max((s.id for s in self.spans), default=-1) + 1,
            segment,
            start,
            end,
            label,
            "reviewer",
            text[start:end],
            entity_key(text[start:end]),
            ACCEPTED,
            None,
            reviewer,
            when.isoformat(timespec="seconds"),
        )
        self.reviewed_by = self.reviewed_at = None
        self.spans.append(span)
        self.spans.sort(key=lambda s: (s.segment, s.start))
        return span


def transcript_digest(transcript: Transcript) -> str:
    return hashlib.sha256(transcript.to_json()).hexdigest()


def propose(transcript: Transcript, known: list[KnownIdentifier]) -> Redactions:
    """Run the detector over every segment; every span starts undecided."""
    canonical = {entity_key(k.text): entity_key(k.text) for k in known}
    spans: list[ProposedSpan] = []
    for index, segment in enumerate(transcript.segments):
        for found in detect(segment.text, known):
            entity = entity_key(found.text)
            if found.source == "known":  # a misspelling or nickname shares its known name's placeholder
                entity = _closest_known(entity, canonical) or entity
            spans.append(
                ProposedSpan(len(spans), index, found.start, found.end, found.label, found.source, found.text, entity)
            )
    return Redactions(transcript.pseudonym, transcript.session, transcript_digest(transcript), spans)


def _closest_known(entity: str, known: dict[str, str]) -> str | None:
    from rapidfuzz import fuzz

    if not known:
        return None
    best = max(known, key=lambda k: fuzz.ratio(k, entity))
    return known[best] if fuzz.ratio(best, entity) >= 60 or entity in best.split() else None


def path_of(study: Study, pseudonym: str, session: str) -> Path:
    return layout.session(study.root, pseudonym, session) / REDACTIONS


def load(study: Study, pseudonym: str, session: str, identities: Sequence[Identity]) -> Redactions:
    return Redactions.from_json(study.read(path_of(study, pseudonym, session), identities))


def save(study: Study, redactions: Redactions) -> None:
    study.replace(path_of(study, redactions.pseudonym, redactions.session), redactions.to_json())


def carry_over(earlier: Redactions, fresh: Redactions) -> Redactions:
    """A fresh proposal for a new transcript version, keeping each decision a reviewer made on the same text.

    Spans the detector did not find again are not carried (their offsets belonged to the old text); the
    result is unreviewed until a person marks the new version reviewed.
    """
    decided = {(s.text.casefold(), s.label): s for s in earlier.spans if s.state != UNDECIDED}
    spans = []
    for span in fresh.spans:
        old = decided.get((span.text.casefold(), span.label))
        spans.append(
            span
            if old is None
            else replace(
                span, state=old.state, substitute=old.substitute, reviewer=old.reviewer, decided_at=old.decided_at
            )
        )
    return replace(fresh, spans=spans)


def current(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> Redactions:
    """The redactions that apply to exactly this transcript, never stale offsets from an earlier version.

    The stored file is used when its transcript hash matches; otherwise (none yet, or the transcript was
    transcribed again or edited) the spans are proposed afresh with earlier decisions carried over by text.
    Nothing is written: the caller saves when a person acts.
    """
    from fieldvault.participants import known_identifiers

    path = path_of(study, transcript.pseudonym, transcript.session)
    stored = Redactions.from_json(study.read(path, identities)) if path.exists() else None
    if stored is not None and stored.transcript_sha256 == transcript_digest(transcript):
        return stored
    fresh = propose(transcript, known_identifiers(study, transcript.pseudonym, identities))
    return carry_over(stored, fresh) if stored is not None else fresh


def propose_and_save(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> Redactions:
    """Detect with the participant's known identifiers, store the proposal, and audit its size only."""
    from fieldvault.participants import known_identifiers

    redactions = propose(transcript, known_identifiers(study, transcript.pseudonym, identities))
    save(study, redactions)
    study.audit.append(
        "redaction.proposed", pseudonym=transcript.pseudonym, session=transcript.session, count=len(redactions.spans)
    )
    return redactions


def mark_reviewed(study: Study, transcript: Transcript, identities: Sequence[Identity], reviewer: str) -> Redactions:
    """A person read this transcript version through: stored with the redactions of exactly this version."""
    redactions = current(study, transcript, identities)
    redactions.mark_reviewed(reviewer, study.clock())
    save(study, redactions)
    study.audit.append("redaction.reviewed", pseudonym=transcript.pseudonym, session=transcript.session)
    return redactions
