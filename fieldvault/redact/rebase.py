"""Decisions made on one transcript text, moved onto the text stored now (QA D25, E7).

Two windows may have one session open: an editor that saves a new version, a review screen that decides spans.
Whichever stores second merges with what the other stored, span by span (segment, text, and which mention of
that text in its segment: offsets move when a word before it is edited). Nothing here is ever stored bound to
a text that is no longer the session's transcript. Never writes plaintext.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from fieldvault import layout
from fieldvault.agefile import Identity
from fieldvault.redact.review import (
    ProposedSpan,
    Redactions,
    carry_over,
    propose,
    store,
    stored,
    transcript_digest,
)
from fieldvault.study import Study
from fieldvault.transcript import Transcript, read_transcript

# What another window stored meanwhile: decisions on the same text, a new version, a new transcription.
DECIDED, EDITED, TRANSCRIBED = "decided", "edited", "transcribed"
DECIDED_ACTION = "redaction.decided"  # the entry that records a review screen's decisions, vouching for them (QA T11)


@dataclass(frozen=True)
class Stored:
    """What a review screen's save stored: the transcript it applies to and the redactions now on disk.
    ``changed`` says what another window stored meanwhile (None when nothing);
    ``unplaced`` counts the screen's decisions that found no span on the new text."""

    transcript: Transcript
    redactions: Redactions
    changed: str | None = None
    unplaced: int = 0


def by_mention(spans: Sequence[ProposedSpan]) -> dict[tuple[int, str, int], ProposedSpan]:
    """Each span under (segment, text, n): the n-th span of that text in its segment, in order of position."""
    seen: dict[tuple[int, str], int] = {}
    keyed = {}
    for span in sorted(spans, key=lambda s: (s.segment, s.start, s.end)):
        n = seen[(span.segment, span.text)] = seen.get((span.segment, span.text), -1) + 1
        keyed[(span.segment, span.text, n)] = span
    return keyed


def decision(span: ProposedSpan) -> tuple[object, ...]:
    return span.state, span.label, span.substitute, span.entity, span.reviewer, span.decided_at


def _decided_as(span: ProposedSpan, other: ProposedSpan) -> ProposedSpan:
    return replace(
        span, state=other.state, label=other.label, substitute=other.substitute, entity=other.entity,
        reviewer=other.reviewer, decided_at=other.decided_at,
    )  # fmt: skip


def merge_decisions(
    ours: Sequence[ProposedSpan], opened: Sequence[ProposedSpan], stored: Sequence[ProposedSpan]
) -> list[ProposedSpan]:
    """A three-way merge by span: where ``ours`` left a span's decision as it was when ``opened`` and the
    ``stored`` one differs, the stored decision (and label) wins; spans ours decided keep their own."""
    before, theirs = by_mention(opened), by_mention(stored)
    keys = {id(span): key for key, span in by_mention(ours).items()}
    merged = []
    for span in ours:
        was, now = before.get(keys[id(span)]), theirs.get(keys[id(span)])
        if was is not None and now is not None and decision(span) == decision(was) != decision(now):
            span = _decided_as(span, now)
        merged.append(span)
    return merged


def stored_transcript(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> Transcript:
    path = layout.session(study.root, transcript.pseudonym, transcript.session) / layout.TRANSCRIPT
    return read_transcript(study, path, identities)


def changed_under(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> bool:
    """The session's stored transcript is no longer ``transcript``'s text (saved in another window since,
    or transcribed again)."""
    return transcript_digest(stored_transcript(study, transcript, identities)) != transcript_digest(transcript)


def store_review(
    study: Study,
    transcript: Transcript,
    redactions: Redactions,
    base: Sequence[ProposedSpan],
    identities: Sequence[Identity],
) -> Stored:
    """Store a review screen's ``redactions``, decided on ``transcript`` (``base``: its spans as last loaded or
    stored). When the stored transcript is another text now, they are moved onto it instead: onto an editor's
    new version, each decision made since ``base`` where that version left the span as ``base`` had it, and the
    spans added since where their text is in the same segment; onto a new transcription, every decision is
    carried over as a suggestion to confirm, as on opening it (carry_over). Decisions another review screen
    stored meanwhile on the same text are kept the same way."""
    from fieldvault.participants import known_identifiers

    now = stored_transcript(study, transcript, identities)
    on_disk = stored(study, now.pseudonym, now.session, identities)
    if transcript_digest(now) == transcript_digest(transcript):
        if on_disk is None or on_disk.transcript_sha256 != transcript_digest(now) or on_disk.spans == list(base):
            store(study, redactions, DECIDED_ACTION)
            return Stored(transcript, redactions)
        return _moved(study, now, on_disk, _onto_version(on_disk.spans, base, redactions.spans, transcript, now),
                      redactions, DECIDED)  # fmt: skip
    if on_disk is None or on_disk.transcript_sha256 != transcript_digest(now):
        fresh = propose(now, known_identifiers(study, now.pseudonym, identities))
        moved = carry_over(redactions, fresh, now)
        store(study, moved, "redaction.proposed", count=len(moved.spans))
        return Stored(now, moved, TRANSCRIBED)
    return _moved(
        study, now, on_disk, _onto_version(on_disk.spans, base, redactions.spans, transcript, now), redactions, EDITED
    )


def _moved(
    study: Study,
    now: Transcript,
    on_disk: Redactions,
    onto: tuple[list[ProposedSpan], int],
    ours: Redactions,
    changed: str,
) -> Stored:
    spans, unplaced = onto
    checked = on_disk.checked + [key for key in ours.checked if key not in on_disk.checked]
    moved = replace(on_disk, spans=spans, checked=checked)
    if spans != on_disk.spans:
        moved.reviewed_by = moved.reviewed_at = None  # a changed decision needs reading through again
    store(study, moved, DECIDED_ACTION)
    return Stored(now, moved, changed, unplaced)


def _onto_version(
    theirs: list[ProposedSpan],
    base: Sequence[ProposedSpan],
    ours: Sequence[ProposedSpan],
    old: Transcript,
    new: Transcript,
) -> tuple[list[ProposedSpan], int]:
    """The spans of an editor's new version with the decisions ``ours`` made since ``base``; and how many of
    those found no place (the span is gone from the new text, or the editor decided it otherwise)."""
    before, now = by_mention(base), by_mention(theirs)
    spans, unplaced = list(theirs), 0
    where = {id(span): n for n, span in enumerate(spans)}
    for key, span in by_mention(ours).items():
        was = before.get(key)
        if was is None:  # added here since
            placed = _placed(span, old, new, spans)
            if placed is None:
                unplaced += 1
            else:
                spans.append(replace(placed, id=max((s.id for s in spans), default=-1) + 1))
            continue
        target = now.get(key)
        if decision(span) == decision(was) or (target is not None and decision(target) == decision(span)):
            continue  # not decided here since, or decided the same there
        if target is None or decision(target) != decision(was):
            unplaced += 1  # gone from the new text, or decided otherwise there
            continue
        spans[where[id(target)]] = _decided_as(target, span)
    return sorted(spans, key=lambda s: (s.segment, s.start)), unplaced


def _placed(span: ProposedSpan, old: Transcript, new: Transcript, taken: Sequence[ProposedSpan]) -> ProposedSpan | None:
    """A span added on the old text, at the same mention of its text in the same segment of the new one."""
    if span.segment >= len(new.segments):
        return None
    text = new.segments[span.segment].text
    nth = _starts(old.segments[span.segment].text, span.text).index(span.start)
    starts = _starts(text, span.text)
    if nth >= len(starts):
        return None
    start = starts[nth]
    end = start + len(span.text)
    if any(s.segment == span.segment and s.start < end and start < s.end for s in taken):
        return None
    return replace(span, start=start, end=end)


def _starts(text: str, part: str) -> list[int]:
    starts, at = [], text.find(part)
    while at >= 0:
        starts.append(at)
        at = text.find(part, at + 1)
    return starts
