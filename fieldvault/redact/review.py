"""The reviewer's decisions on proposed spans, stored as redactions.json.age beside the transcript.

A transcript is reviewed when no span is undecided and a person marked this very version reviewed after
reading it; any edit makes a new version, which is unreviewed. Each decision records who made it and
when; the audit log records that a decision was made, never the span's text. Redactions are bound to the
text they were made on (its hash): offsets made on other text are never applied; a new version is
proposed afresh, with earlier decisions offered again as suggestions a person confirms.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from fieldvault import layout, serial, sessionvouch, vouching
from fieldvault.agefile import Identity
from fieldvault.errors import BadInput
from fieldvault.layout import REDACTIONS
from fieldvault.participants import LABELS, KnownIdentifier
from fieldvault.redact import entities
from fieldvault.redact.ages import find_birth_years
from fieldvault.redact.foreign import Detector, detector_for
from fieldvault.redact.joined import detect_segments
from fieldvault.redact.mentions import spread
from fieldvault.redact.spans import Span, merge
from fieldvault.study import Study
from fieldvault.transcript import Transcript, read_transcript

SCHEMA_VERSION = 1
UNDECIDED, ACCEPTED, REJECTED = "undecided", "accepted", "rejected"


def entity_key(text: str, label: str = "PERSON") -> str:
    """The entity a known identifier's mentions share (entities.key): what the export scrub looks up."""
    return entities.key(label, text)


@dataclass(frozen=True)
class ProposedSpan:
    id: int
    segment: int
    start: int  # offsets into the segment's text
    end: int
    label: str
    source: str
    text: str
    entity: str  # "LABEL:name" (entities.py): every mention of one person shares it, and her placeholder
    state: str = UNDECIDED
    substitute: str | None = None  # a reviewer-chosen replacement name, used for every mention of the entity
    reviewer: str | None = None
    decided_at: str | None = None
    matched: str | None = None  # the known identifier a fuzzy or sound-alike match stands for ("Lodi")
    carried: str | None = None  # the decision made on an earlier version of the transcript: a suggestion
    part: int | None = None  # shared by the pieces of one identifier that runs over segments: decided together


@dataclass
class Redactions:
    pseudonym: str
    session: str
    transcript_sha256: str
    spans: list[ProposedSpan] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION
    reviewed_by: str | None = None  # the person who read this transcript version through and marked it
    reviewed_at: str | None = None
    checked: list[str] = field(default_factory=list)  # texts left unredacted that a reviewer looked at and kept

    @property
    def undecided(self) -> int:
        return sum(1 for s in self.spans if s.state == UNDECIDED)

    @property
    def carried(self) -> int:
        """Undecided spans with a decision carried over from an earlier transcript version, to confirm."""
        return sum(1 for s in self.spans if s.state == UNDECIDED and s.carried)

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
    def from_json(cls, data: bytes, where: str = "the redactions file") -> Redactions:
        """``where`` names the file in the error a damaged one gives."""
        return serial.loads(cls, data, where)

    # --- decisions ------------------------------------------------------------------------

    def _set(self, span_id: int, reviewer: str, when: datetime, **changes: str | None) -> None:
        self.reviewed_by = self.reviewed_at = None  # a changed decision needs reading through again
        for i, span in enumerate(self.spans):
            if span.id == span_id:
                stamped = replace(span, reviewer=reviewer, decided_at=when.isoformat(timespec="seconds"))
                self.spans[i] = replace(stamped, **changes)  # type: ignore[arg-type]  # changes are field names and values of ProposedSpan
                return
        raise BadInput(f"no span {span_id} in this transcript")

    def pieces(self, span_id: int) -> list[ProposedSpan]:
        """The span and, when it is a piece of an identifier that runs over segments, its other pieces."""
        span = next((s for s in self.spans if s.id == span_id), None)
        if span is None:
            raise BadInput(f"no span {span_id} in this transcript")
        return [s for s in self.spans if s.part == span.part] if span.part is not None else [span]

    def decide(self, span_id: int, state: str, reviewer: str, when: datetime) -> None:
        """Every piece of one identifier takes the decision: half a phone number is never left."""
        if state not in (ACCEPTED, REJECTED, UNDECIDED):
            raise BadInput(f"a decision is {ACCEPTED} or {REJECTED}, not {state!r}")
        for piece in self.pieces(span_id):
            self._set(piece.id, reviewer, when, state=state)

    def relabel(self, span_id: int, label: str, reviewer: str, when: datetime) -> None:
        if label not in LABELS:
            raise BadInput(f"label {label!r} is not one of {', '.join(LABELS)}")
        for piece in self.pieces(span_id):
            self._set(piece.id, reviewer, when, label=label)

    def _entity(self, span_id: int) -> str:
        for span in self.spans:
            if span.id == span_id:
                return span.entity
        raise BadInput(f"no span {span_id} in this transcript")

    def substitute(self, span_id: int, name: str, reviewer: str, when: datetime) -> None:
        """Every mention of the span's entity is printed as ``name`` in exports, in place of its placeholder."""
        if not name.strip():
            raise BadInput("a substitute name is a name: type one (clear_substitute takes a stored one back)")
        self._each_of_entity(span_id, reviewer, when, name.strip())

    def clear_substitute(self, span_id: int, reviewer: str, when: datetime) -> str:
        """Take back the substitute name of the span's entity: exports print its placeholder again ([PERSON n]).
        Returns the name taken back; refused where none is stored."""
        stored = self.substitute_of(span_id)
        if stored is None:
            raise BadInput("no substitute name is stored for this person: there is nothing to clear")
        self._each_of_entity(span_id, reviewer, when, None)
        return stored

    def substitute_of(self, span_id: int) -> str | None:
        """The substitute name stored for the span's entity, or None: what exports print for it instead of its
        placeholder."""
        entity = self._entity(span_id)
        return next((s.substitute for s in self.spans if s.entity == entity and s.substitute), None)

    def _each_of_entity(self, span_id: int, reviewer: str, when: datetime, substitute: str | None) -> None:
        entity = self._entity(span_id)
        for span in list(self.spans):
            if span.entity == entity:
                self._set(span.id, reviewer, when, substitute=substitute)

    def accept_all_of(self, span_id: int, reviewer: str, when: datetime) -> int:
        """Accept every undecided mention of the same entity; returns how many."""
        entity = self._entity(span_id)
        same = [s for s in self.spans if s.entity == entity and s.state == UNDECIDED]
        for span in same:
            self._set(span.id, reviewer, when, state=ACCEPTED)
        return len(same)

    def confirm_carried(self, reviewer: str, when: datetime) -> int:
        """Take every decision carried over from the earlier version as this reviewer's; returns how many."""
        carried = [s for s in self.spans if s.state == UNDECIDED and s.carried]
        for span in carried:
            self._set(span.id, reviewer, when, state=span.carried)
        return len(carried)

    def merge(self, span_id: int, into_id: int, reviewer: str, when: datetime) -> int:
        """Make the first span's entity the same as the second's (one placeholder); returns mentions moved."""
        source, target = self._entity(span_id), self._entity(into_id)
        if entities.category_of(source) != entities.category_of(target):
            raise BadInput("a person and a place are never one entity: relabel one of them first")
        moved = [s for s in self.spans if s.entity == source and source != target]
        # the target's substitute, else the one the merged-in mentions had: the person keeps the name set (qa28 QD4)
        substitute = self.substitute_of(into_id) or (self.substitute_of(span_id) if moved else None)
        for span in self.spans if moved else []:
            if span.entity in (source, target):
                self._set(span.id, reviewer, when, entity=target, substitute=substitute)
        return len(moved)

    def split(self, span_id: int, reviewer: str, when: datetime) -> int:
        """Give this mention, and the other mentions written the same way, an entity of their own (another
        person who shares a first name); returns how many moved."""
        span = next(s for s in self.spans if s.id == span_id)
        name = entities.normal(span.text)
        same = [s for s in self.spans if s.entity == span.entity and entities.normal(s.text) == name]
        if len(same) == sum(1 for s in self.spans if s.entity == span.entity):
            raise BadInput("every mention of this entity is written this way already: nothing to split off")
        own = f"{entities.key(span.label, span.text)}{entities.SPLIT}{span.id}"
        for mention in same:
            self._set(mention.id, reviewer, when, entity=own, substitute=None)
        return len(same)

    def add(
        self, transcript: Transcript, segment: int, start: int, end: int, label: str, reviewer: str, when: datetime
    ) -> ProposedSpan:
        """A span the detector missed, added by the reviewer (accepted at once): the selection without the spaces at
        its edges, grown to whole words (qa25 QA5: "I still " took the next word in the export, "ver " of "cover
        every" took both words, while the screen showed only what was selected)."""
        text = transcript.segments[segment].text
        if not (0 <= start < end <= len(text)) or not text[start:end].strip():
            raise BadInput("select some text of the segment first")
        while text[start].isspace():
            start += 1
        while text[end - 1].isspace():
            end -= 1
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
            end += 1
        if label not in LABELS:
            raise BadInput(f"label {label!r} is not one of {', '.join(LABELS)}")
        overlapped = [s for s in self.spans if s.segment == segment and s.start < end and start < s.end]
        added = [s.text for s in overlapped if s.source == "reviewer"]
        if added:
            raise BadInput(f"that text overlaps {added[0]!r}, added already: d on it deletes it, then add again")
        if overlapped:
            raise BadInput("that text overlaps a proposed span already: accept, reject or relabel that one")
        span = ProposedSpan(
            max((s.id for s in self.spans), default=-1) + 1,
            segment,
            start,
            end,
            label,
            "reviewer",
            text[start:end],
            entities.resolve(label, text[start:end], None, {s.entity for s in self.spans}),
            ACCEPTED,
            None,
            reviewer,
            when.isoformat(timespec="seconds"),
        )
        self.reviewed_by = self.reviewed_at = None
        self.spans.append(span)
        self.spans.sort(key=lambda s: (s.segment, s.start))
        return span

    def remove(self, span_id: int) -> ProposedSpan:
        """Take back a span the reviewer added (walk24 WK4: one added on the wrong words could not be removed, and it
        kept the right words from being added, as they overlap it). A proposal is rejected, never removed: its
        decision is what carries over to a new version."""
        span = next((s for s in self.spans if s.id == span_id), None)
        if span is None:
            raise BadInput(f"no span {span_id} in this transcript")
        if span.source != "reviewer":
            raise BadInput("only a span added in review can be deleted: x rejects a proposal")
        self.reviewed_by = self.reviewed_at = None
        self.spans.remove(span)
        return span


def transcript_digest(transcript: Transcript) -> str:
    """The hash redactions are bound to: the segments' text, which their offsets point into (a speaker
    set during review changes the transcript file but not one offset)."""
    return hashlib.sha256(json.dumps([s.text for s in transcript.segments], ensure_ascii=False).encode()).hexdigest()


_SESSION_YEAR = re.compile(r"(\d{4})\d{4}-\d{6}")  # a session id is its start in UTC: "20261127-090507"


def session_year(transcript: Transcript) -> int | None:
    """The year the session was recorded: its id's (its start); where the id is no date, the year the transcript was
    made (a later year than the session's can only make more years of birth reveal an age over 89, never fewer)."""
    dated = _SESSION_YEAR.match(transcript.session) or re.match(r"(\d{4})-", transcript.created)
    return int(dated.group(1)) if dated else None


def _dated(transcript: Transcript) -> Detector:
    """The transcript's detector, with the years of birth that make someone 90 or older in the session's year ("born
    in 1931", said in 2026): the detector alone knows no date."""
    detector, year = detector_for(transcript.settings.get("language")), session_year(transcript)

    def run(text: str, known: list[KnownIdentifier] | None) -> list[Span]:
        return merge(detector(text, known) + (find_birth_years(text, year) if year else []), text)

    return run


def propose(transcript: Transcript, known: list[KnownIdentifier]) -> Redactions:
    """Run the detector over the whole transcript (its segments read as one text, redact.joined), then propose
    every other mention of what it found (redact.mentions); every span starts undecided, in the entity it
    belongs to. The pieces of an identifier that runs over segments share its entity and a part number."""
    texts = [segment.text for segment in transcript.segments]
    found = spread(texts, detect_segments(texts, known, _dated(transcript)))
    keys = {entities.key(f.whole.label, f.whole.matched or f.whole.text) for f in found}
    keys |= set(entities.known_keys(known))
    spans = [
        ProposedSpan(
            number,
            f.segment,
            f.span.start,
            f.span.end,
            f.span.label,
            f.span.source,
            f.span.text,
            entities.resolve(f.whole.label, f.whole.text, f.whole.matched, keys),
            matched=f.span.matched,
            part=f.part,
        )
        for number, f in enumerate(found)
    ]
    return Redactions(transcript.pseudonym, transcript.session, transcript_digest(transcript), spans)


def path_of(study: Study, pseudonym: str, session: str) -> Path:
    return layout.session(study.root, pseudonym, session) / REDACTIONS


def load(
    study: Study, pseudonym: str, session: str, identities: Sequence[Identity], *, strict: bool = False
) -> Redactions:
    """The stored redactions, refused in one line when the study key vouched for newer ones (QA T11: an older copy
    put back); written with a transcriber's key since it last vouched for them, they are read unreviewed, their
    decisions offered again as suggestions (``unconfirmed``) until someone with the key confirms them. Not those this
    process stored itself with her key (QA W14: her review screen read each decision she stored back as someone
    else's, to confirm again, for ever), unless ``strict`` (an export: what she decided is not reviewed for it)."""
    path = path_of(study, pseudonym, session)
    data = study.read(path, identities)
    stored = Redactions.from_json(data, str(path))
    sha256 = sessionvouch.digest(data)
    if not sessionvouch.unconfirmed(study, path, sha256):
        return stored
    own = not strict and (vouching.relative_of(study, path), sha256) in study.stored_here
    return stored if own else unconfirmed(stored)


def stored(
    study: Study, pseudonym: str, session: str, identities: Sequence[Identity], *, strict: bool = False
) -> Redactions | None:
    """``load``, or None where the session has no redactions stored; refused in one line where the study key vouched
    for a file there that was deleted since (QA U5: proposed afresh, the reviewer's decisions were lost unseen)."""
    path = path_of(study, pseudonym, session)
    if path.is_file():
        return load(study, pseudonym, session, identities, strict=strict)
    sessionvouch.refuse_deleted(study, vouching.relative_of(study, path))
    return None


def unconfirmed(redactions: Redactions) -> Redactions:
    """Every decision turned into a suggestion (``carried``) and the review undone: what an unreviewed export replaces
    is then every proposal, and the review screen offers each decision again (C confirms them)."""
    spans = [replace(s, state=UNDECIDED, carried=s.state) if s.state != UNDECIDED else s for s in redactions.spans]
    return replace(redactions, spans=spans, reviewed_by=None, reviewed_at=None)


def save(study: Study, redactions: Redactions) -> dict[str, bytes]:
    """Store ``redactions``; a session folder is never made anew (QA E1: proposals stored after a withdrawal or a
    move wrote her identifiers back into the folder she left). Returns what the entry recording it must vouch for
    (QA T11: without it, the next reader with the study key takes the file for an older copy put back): ``store``."""
    path = _target(study, redactions)
    data = redactions.to_json()
    study.replace(path, data)
    return sessionvouch.payload(study, path, data)


def store(study: Study, redactions: Redactions, action: str, /, **details: str | int) -> None:
    """``save``, and the entry ``action`` that records it, vouching for it, in the order no cut-off leaves the newest
    file refused (QA U6: the entry first, then the rename; ``vouching.seal_vouched``)."""
    path = _target(study, redactions)
    files = {vouching.relative_of(study, path): redactions.to_json()}
    written = vouching.seal_vouched(
        study, action, files, pseudonym=redactions.pseudonym, session=redactions.session, **details
    )
    if not study.audit.keyed:  # her key: read back here as she stored it (``load``)
        study.stored_here.update(written.items())


def _target(study: Study, redactions: Redactions) -> Path:
    path = path_of(study, redactions.pseudonym, redactions.session)
    if not path.parent.is_dir():
        raise BadInput(
            f"{redactions.pseudonym}/{redactions.session} is not in the study any more (withdrawn or moved "
            "meanwhile); its redactions were not stored"
        )
    return path


def carry_over(earlier: Redactions, fresh: Redactions, transcript: Transcript) -> Redactions:
    """A fresh proposal for a new transcript version, with the earlier decisions offered again.

    A decision travels to the same identifier text (any case) or, if accepted, to any mention of the same
    entity; a reviewer's label, merge or split travels with the text. Spans a reviewer added by hand are found
    again by their text. Carried decisions are suggestions (``carried``): every span stays undecided, so
    the version is unreviewed until a person confirms them. Old offsets are never used.
    """
    decided = [_as_decided(s) for s in earlier.spans if s.state != UNDECIDED or s.carried]
    by_text = {entities.normal(s.text): s for s in decided}
    by_entity = {s.entity: s for s in decided if s.state == ACCEPTED}
    spans = []
    for span in fresh.spans:
        old = by_text.get(entities.normal(span.text))
        if old is not None and ":" in old.entity:  # the reviewer's label and entity travel with the text
            span = replace(span, label=old.label, entity=old.entity)
        old = old or by_entity.get(span.entity)
        if old is not None:
            span = replace(span, carried=old.state, substitute=old.substitute)
        spans.append(span)
    added = _added_again(earlier, spans, transcript)
    spans = sorted(spans + added, key=lambda s: (s.segment, s.start))
    return replace(fresh, spans=[replace(s, id=number) for number, s in enumerate(spans)])


def _as_decided(span: ProposedSpan) -> ProposedSpan:
    """A span as a person decided it: a decision carried over from an earlier version and not yet confirmed is still
    the reviewer's (transcribed twice before anyone confirmed, it must not be lost)."""
    return span if span.state != UNDECIDED else replace(span, state=span.carried or UNDECIDED)


def _added_again(earlier: Redactions, spans: list[ProposedSpan], transcript: Transcript) -> list[ProposedSpan]:
    """The spans a reviewer added by hand to the earlier version, wherever their text occurs in the new one."""
    added: list[ProposedSpan] = []
    for old in (s for s in map(_as_decided, earlier.spans) if s.source == "reviewer" and s.state == ACCEPTED):
        pattern = re.compile(rf"(?<![\w'’]){re.escape(old.text)}(?![\w'’])", re.IGNORECASE)
        for index, segment in enumerate(transcript.segments):
            for match in pattern.finditer(segment.text):
                taken = spans + added
                if any(s.segment == index and s.start < match.end() and match.start() < s.end for s in taken):
                    continue
                found = ProposedSpan(0, index, match.start(), match.end(), old.label, "reviewer", match.group(), "")
                added.append(replace(found, entity=old.entity, carried=ACCEPTED, substitute=old.substitute))
    return added


def current(
    study: Study, transcript: Transcript, identities: Sequence[Identity], *, strict: bool = False
) -> Redactions:
    """The redactions that apply to exactly this transcript, never stale offsets from an earlier version.

    The stored file is used when its transcript hash matches; otherwise (none yet, or the transcript was
    transcribed again or edited) the spans are proposed afresh with earlier decisions carried over as
    suggestions (see carry_over).
    Nothing is written: the caller saves when a person acts. ``strict``: as ``load``'s.
    """
    from fieldvault.participants import known_identifiers

    kept = stored(study, transcript.pseudonym, transcript.session, identities, strict=strict)
    if kept is not None and kept.transcript_sha256 == transcript_digest(transcript):
        return kept
    fresh = propose(transcript, known_identifiers(study, transcript.pseudonym, identities))
    return carry_over(kept, fresh, transcript) if kept is not None else fresh


def refresh(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> tuple[Redactions, bool]:
    """The current redactions, and whether they were proposed afresh now (then stored, and audited by
    their size only): none were stored yet, or they belonged to other text."""
    redactions = current(study, transcript, identities)
    kept = stored(study, transcript.pseudonym, transcript.session, identities)
    if kept is not None and kept.transcript_sha256 == redactions.transcript_sha256:
        return redactions, False
    store(study, redactions, "redaction.proposed", count=len(redactions.spans))
    return redactions, True


def refresh_all(
    study: Study, pseudonyms: Sequence[str], identities: Sequence[Identity], leave_out: Collection[str] = ()
) -> list[tuple[Transcript, Redactions]]:
    """``refresh`` every transcript of these participants but the sessions in ``leave_out`` ("pseudonym/session");
    returns those proposed afresh, with their text."""
    fresh = []
    for transcript in _transcripts(study, pseudonyms, identities, leave_out):
        redactions, made = refresh(study, transcript, identities)
        if made:
            fresh.append((transcript, redactions))
    return fresh


def _transcripts(
    study: Study, pseudonyms: Sequence[str], identities: Sequence[Identity], leave_out: Collection[str]
) -> Iterator[Transcript]:
    """Every transcript of these participants, read, but those of the sessions in ``leave_out``."""
    for pseudonym in pseudonyms:
        for path in layout.transcripts(study.root, pseudonym):
            if f"{pseudonym}/{path.parent.name}" not in leave_out:
                yield read_transcript(study, path, identities)


# Stored in place of the transcript hash when the session is transcribed again: it matches no transcript, so the spans
# are detected afresh before anything is reviewed or exported, even where Whisper wrote the same words (QA S9: the
# undecided proposals of an earlier, wrong detection stayed for ever), and only decisions are carried over.
TRANSCRIBED_AGAIN = "stale: transcribed again"


def transcribed_again(study: Study, pseudonym: str, session: str, identities: Sequence[Identity]) -> dict[str, bytes]:
    """For a new transcription: its redactions unbound (TRANSCRIBED_AGAIN) and unreviewed, as {path: plaintext} to
    seal with it (``vouching.seal_vouched``, in the transcription's entry)."""
    kept = stored(study, pseudonym, session, identities)
    if kept is None:
        return {}
    again = replace(kept, transcript_sha256=TRANSCRIBED_AGAIN, reviewed_by=None, reviewed_at=None)
    return {vouching.relative_of(study, _target(study, again)): again.to_json()}


def detect_again(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> Redactions:
    """Every proposal detected afresh on this transcript and stored (``redact --again``, the review screen's ``D``):
    proposals stored before a detection fix are otherwise kept for as long as the text stays the same (QA S9: a street
    proposed as her real name). Only a person's decisions are kept: on the same text, a decided span stays as it was
    decided, and a fresh span it overlaps gives way to it (an accepted one is never dropped, a rejected one is kept
    only where the fresh detection still proposes it); every undecided proposal is the fresh detection's. On other
    text, decisions are carried over as on opening it (carry_over). The session stays reviewed only if nothing new
    is proposed."""
    from fieldvault.participants import known_identifiers

    fresh = propose(transcript, known_identifiers(study, transcript.pseudonym, identities))
    kept = stored(study, transcript.pseudonym, transcript.session, identities)
    if kept is None:
        again = fresh
    elif kept.transcript_sha256 != fresh.transcript_sha256:
        again = carry_over(kept, fresh, transcript)
    else:
        again = _decisions_kept(kept, fresh)
    store(study, again, "redaction.proposed", count=len(again.spans))
    return again


def _decisions_kept(stored: Redactions, fresh: Redactions) -> Redactions:
    """``fresh`` with ``stored``'s decisions on the same text (see detect_again)."""
    place = {(s.segment, s.start, s.end): s for s in fresh.spans}
    parts = max((s.part for s in fresh.spans if s.part is not None), default=-1) + 1  # kept pieces stay apart
    kept = [
        _detected_as(
            replace(s, part=None if s.part is None else s.part + parts), place.get((s.segment, s.start, s.end))
        )
        for s in stored.spans
        if s.state == ACCEPTED or (s.state == REJECTED and (s.segment, s.start, s.end) in place)
    ]
    suggested = {(s.segment, s.start, s.end): s for s in stored.spans if s.state == UNDECIDED and s.carried}
    new = [
        replace(s, carried=was.carried, substitute=was.substitute)
        if (was := suggested.get((s.segment, s.start, s.end))) is not None
        else s
        for s in fresh.spans
        if not any(k.segment == s.segment and k.start < s.end and s.start < k.end for k in kept)
    ]
    spans = sorted(kept + new, key=lambda s: (s.segment, s.start))
    again = replace(fresh, spans=[replace(s, id=number) for number, s in enumerate(spans)], checked=stored.checked)
    if not new and stored.reviewed:
        again.reviewed_by, again.reviewed_at = stored.reviewed_by, stored.reviewed_at
    return again


def _detected_as(decided: ProposedSpan, fresh: ProposedSpan | None) -> ProposedSpan:
    """A decided span that the fresh detection finds in the same place as a person where it was a place, or the
    reverse, takes the fresh label and entity (QA S9: a street accepted "as proposed" stayed her real name's [PERSON
    3]); the decision stays. Not where a reviewer relabelled it (its label is no longer its entity's category)."""
    relabelled = entities.category_of(decided.entity) != decided.label
    if fresh is None or relabelled or decided.source == "reviewer":
        return decided
    if entities.category_of(fresh.entity) == entities.category_of(decided.entity):
        return decided
    return replace(decided, label=fresh.label, entity=fresh.entity, matched=fresh.matched)


def detect_all_again(
    study: Study, pseudonyms: Sequence[str], identities: Sequence[Identity], leave_out: Collection[str] = ()
) -> list[tuple[Transcript, Redactions]]:
    """``detect_again`` every transcript of these participants but the sessions in ``leave_out``."""
    return [(t, detect_again(study, t, identities)) for t in _transcripts(study, pseudonyms, identities, leave_out)]


def mark_reviewed(study: Study, transcript: Transcript, identities: Sequence[Identity], reviewer: str) -> Redactions:
    """A person read this transcript version through: stored with the redactions of exactly this version."""
    redactions = current(study, transcript, identities)
    redactions.mark_reviewed(reviewer, study.clock())
    store(study, redactions, "redaction.reviewed")
    return redactions


def open_for_review(
    study: Study, pseudonym: str, session: str, identities: Sequence[Identity]
) -> tuple[Transcript, Redactions]:
    """A session's transcript and the redactions that apply to it (proposed now if needed), for a reviewer.

    Decrypts and may run the detector: slow, so screens call it from a worker. A missing detection
    layer is a one-line refusal, never a weaker review.
    """
    from fieldvault.redact.detector import require_layers

    folder = layout.session(study.root, pseudonym, session)
    transcript = read_transcript(study, folder / layout.TRANSCRIPT, identities)
    require_layers()
    return transcript, refresh(study, transcript, identities)[0]
