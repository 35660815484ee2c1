"""Pure edit operations on a transcript draft: text, split and merge, speakers, markers, transcription tags,
find and replace, undo and redo. The proposed redaction spans travel with the text they cover.

A draft is immutable: every operation returns a new one, so undo is a stack of drafts. Nothing here reads
or writes files; saving is fieldvault.transcript_versions' job.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from fieldvault.errors import BadInput
from fieldvault.names import find_same
from fieldvault.participants import KnownIdentifier
from fieldvault.redact.review import UNDECIDED, ProposedSpan, propose
from fieldvault.transcript import GAP, Marker, Segment, Transcript, Word, speakers_of


@dataclass(frozen=True)
class Draft:
    """A transcript being edited and the redaction spans proposed over it (offsets into its segments)."""

    transcript: Transcript
    spans: tuple[ProposedSpan, ...] = ()

    @property
    def segments(self) -> tuple[Segment, ...]:
        return self.transcript.segments

    def spans_of(self, index: int) -> list[ProposedSpan]:
        return sorted((s for s in self.spans if s.segment == index), key=lambda s: s.start)

    def speakers(self) -> list[str]:
        """The speakers of this session: the two usual roles first, then every name in use."""
        return speakers_of(self.segments)

    def _with(self, segments: Iterable[Segment], spans: Iterable[ProposedSpan]) -> Draft:
        ordered = tuple(sorted(spans, key=lambda s: (s.segment, s.start)))
        return Draft(replace(self.transcript, segments=tuple(segments)), ordered)


def _check(draft: Draft, index: int) -> Segment:
    if not 0 <= index < len(draft.segments):
        raise BadInput(f"no segment {index + 1}: this transcript has {len(draft.segments)}")
    return draft.segments[index]


def _follow(spans: Sequence[ProposedSpan], old: str, new: str) -> list[ProposedSpan]:
    """Spans whose text is untouched move with it; a span any edit reached is dropped (detected again later)."""
    blocks = difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks()
    kept = []
    for span in spans:
        for a, b, size in blocks:
            if a <= span.start and span.end <= a + size:
                kept.append(replace(span, start=span.start + b - a, end=span.end + b - a))
                break
    return kept


def edit_text(draft: Draft, index: int, text: str) -> Draft:
    segment = _check(draft, index)
    if text == segment.text:
        return draft
    moved = _follow(draft.spans_of(index), segment.text, text)
    segments = list(draft.segments)
    segments[index] = replace(segment, text=text)
    return draft._with(segments, [s for s in draft.spans if s.segment != index] + moved)


def insert_text(draft: Draft, index: int, offset: int, text: str) -> Draft:
    """Insert at a character offset, with a space on either side where the neighbours are words."""
    old = _check(draft, index).text
    offset = max(0, min(offset, len(old)))
    before = " " if offset and not old[offset - 1].isspace() else ""
    after = " " if offset < len(old) and not old[offset].isspace() else ""
    return edit_text(draft, index, old[:offset] + before + text + after + old[offset:])


def _word_offsets(segment: Segment) -> list[tuple[int, Word]]:
    """Where each timed word ends in the segment's text; words the editor changed are not found and skipped."""
    found, at, lowered = [], 0, segment.text.lower()
    for word in segment.words:
        token = word.text.strip().lower()
        where = lowered.find(token, at) if token else -1
        if where >= 0:
            at = where + len(token)
            found.append((at, word))
    return found


def _split_time(segment: Segment, offset: int) -> float:
    """The time between the last word before the cursor and the first after it; by proportion without words."""
    placed = _word_offsets(segment)
    left = [w for end, w in placed if end <= offset]
    right = [w for end, w in placed if end > offset]
    if left and right:
        return (left[-1].end + right[0].start) / 2
    share = offset / max(len(segment.text), 1)
    return segment.start + (segment.end - segment.start) * share


def _shift_segments(spans: Iterable[ProposedSpan], after: int, step: int) -> list[ProposedSpan]:
    return [replace(s, segment=s.segment + step) if s.segment > after else s for s in spans]


def split(draft: Draft, index: int, offset: int) -> Draft:
    """Split a segment at a character offset between two words; the new boundary's time comes from the word
    timestamps. A redaction span the cut runs through stays, as two pieces of one identifier decided together
    (QA G4: it was dropped, and "Hous ton." left a reviewed export with no span over either half)."""
    segment = _check(draft, index)
    left_text, right_raw = segment.text[:offset].rstrip(), segment.text[offset:]
    right_text = right_raw.lstrip()
    if not left_text.strip() or not right_text.strip():
        raise BadInput("put the cursor inside the text to split a segment, not at its start or end")
    if segment.text[offset - 1].isalnum() and segment.text[offset].isalnum():
        raise BadInput("the cursor is inside a word: put it between two words to split a segment")
    at = min(max(_split_time(segment, offset), segment.start), segment.end)
    cut = offset + len(right_raw) - len(right_text)
    left = replace(segment, end=at, text=left_text, words=tuple(w for w in segment.words if w.end <= at))
    right = replace(segment, start=at, text=right_text, words=tuple(w for w in segment.words if w.end > at))
    spans = []
    next_id = max((s.id for s in draft.spans), default=-1) + 1
    next_part = max((s.part for s in draft.spans if s.part is not None), default=-1) + 1
    for span in _shift_segments(draft.spans, index, 1):
        if span.segment != index:
            spans.append(span)
        elif span.end <= len(left_text):
            spans.append(span)
        elif span.start >= cut:
            spans.append(replace(span, segment=index + 1, start=span.start - cut, end=span.end - cut))
        else:  # the cut runs through it
            part = span.part
            if part is None:
                part, next_part = next_part, next_part + 1
            head = replace(span, end=len(left_text), text=left_text[span.start :], part=part)
            tail_end = max(span.end - cut, 0)
            tail = replace(span, id=next_id, segment=index + 1, start=0, end=tail_end, text=right_text[:tail_end])
            next_id += 1
            spans += [piece for piece in (head, replace(tail, part=part)) if piece.text.strip()]
    segments = list(draft.segments)
    segments[index : index + 1] = [left, right]
    return draft._with(segments, spans)


def _whose(speaker: str | None) -> str:
    return f"{speaker}'s" if speaker else "without a speaker"


def merge(draft: Draft, index: int) -> Draft:
    """Join a segment with the next one of the same speaker: one stretch of time. Two speakers' segments are
    never joined (a question run into the answer would give one person's words to the other): the transcriber
    sets who speaks first, each step undone on its own."""
    first = _check(draft, index)
    if index + 1 >= len(draft.segments):
        raise BadInput("this is the last segment: there is no next one to merge with")
    second = draft.segments[index + 1]
    for number, segment in ((index + 1, first), (index + 2, second)):
        if GAP in segment.flags:  # joined, speech would read as missing audio, or the marker as speech
            raise BadInput(f"segment {number} marks audio that is missing ({segment.text}): it is joined with nothing")
    if first.speaker != second.speaker:
        raise BadInput(
            f"segment {index + 1} is {_whose(first.speaker)} and segment {index + 2} {_whose(second.speaker)}: "
            "joined, one speaker's words would become the other's; if one person says both, give both that "
            "speaker first (ctrl+t), then join them"
        )
    head, tail = first.text.rstrip(), second.text.lstrip()
    joined = f"{head} {tail}" if head and tail else head + tail
    shift = len(joined) - len(tail) - (len(second.text) - len(tail))
    spans = []
    for span in draft.spans:
        if span.segment == index + 1:
            spans.append(replace(span, segment=index, start=span.start + shift, end=span.end + shift))
        elif span.segment != index or span.end <= len(head):
            spans.append(span)
    merged = replace(first, end=max(first.end, second.end), text=joined, words=first.words + second.words)
    segments = list(draft.segments)
    segments[index : index + 2] = [merged]
    return draft._with(segments, _shift_segments(spans, index + 1, -1))


def set_speaker(draft: Draft, first: int, last: int, speaker: str | None) -> Draft:
    """Who speaks in one segment, or in every segment of a range (inclusive, either order)."""
    low, high = sorted((first, last))
    _check(draft, low)
    _check(draft, high)
    segments = [replace(s, speaker=speaker) if low <= i <= high else s for i, s in enumerate(draft.segments)]
    return draft._with(segments, draft.spans)


def _speaker_name(text: str) -> str:
    """A speaker's name as stored: NFC, its spaces collapsed; one line without a colon."""
    if any(c in text for c in "\n\r\t:"):
        raise BadInput("a speaker's name is one line of text without a colon")
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        raise BadInput("a speaker's name is one line of text without a colon")
    return name


def _known_speaker(draft: Draft, name: str) -> None:
    if not any(s.speaker == name for s in draft.segments):
        raise BadInput(f"nobody is called {name!r} in this transcript")


def other_speaker_named(draft: Draft, old: str, new: str) -> str | None:
    """The speaker other than ``old`` whose name ``new`` is, compared as names are (NFC, case folded, spaces
    collapsed, look-alike letters): "speaker 2" is Speaker 2. None when ``new`` names nobody else."""
    return find_same(new, sorted({s.speaker for s in draft.segments if s.speaker and s.speaker != old}))


def rename_speaker(draft: Draft, old: str, new: str) -> Draft:
    """Rename a speaker everywhere in the session (e.g. Participant -> her pseudonym). Never to the name of
    another speaker of the session: that would make two people one without a word (``merge_speakers`` does it,
    asked for by name)."""
    new = _speaker_name(new)
    _known_speaker(draft, old)
    clash = other_speaker_named(draft, old, new)
    if clash is not None:
        raise BadInput(
            f"{clash!r} is another speaker of this session already: renamed, {old!r} and {clash!r} would become "
            "one; choose another name, or merge the two speakers when the editor asks"
        )
    segments = [replace(s, speaker=new) if s.speaker == old else s for s in draft.segments]
    return draft._with(segments, draft.spans)


def merge_speakers(draft: Draft, old: str, into: str) -> Draft:
    """Make two speakers one: every segment of ``old`` becomes ``into``'s (a voice the diarization took for two
    people). Asked for by name, never the side effect of a rename."""
    _known_speaker(draft, old)
    _known_speaker(draft, into)
    if old == into:
        raise BadInput(f"{old!r} is one speaker already")
    segments = [replace(s, speaker=into) if s.speaker == old else s for s in draft.segments]
    return draft._with(segments, draft.spans)


def swap_speakers(draft: Draft, one: str, other: str) -> Draft:
    """Swap two speakers everywhere in the session: every segment of ``one`` becomes ``other``'s and the other way
    round (the roles named the wrong way round: a stereo pair plugged in swapped, QA K11)."""
    _known_speaker(draft, one)
    _known_speaker(draft, other)
    if one == other:
        raise BadInput(f"{one!r} is one speaker: choose another speaker to swap with")
    swapped = {one: other, other: one}
    segments = [replace(s, speaker=swapped[s.speaker]) if s.speaker in swapped else s for s in draft.segments]
    return draft._with(segments, draft.spans)


def _with_markers(draft: Draft, markers: Iterable[Marker]) -> Draft:
    ordered = tuple(sorted(markers, key=lambda m: m.at))
    return Draft(replace(draft.transcript, markers=ordered), draft.spans)


def insert_marker(draft: Draft, at: float, kind: str, text: str) -> Draft:
    if kind not in ("prompt", "note"):
        raise BadInput(f"a marker is a prompt or a note, not {kind!r}")
    if not text.strip():
        raise BadInput("a marker needs its text: the prompt as asked, or the note")
    return _with_markers(draft, (*draft.transcript.markers, Marker(max(0.0, at), kind, text.strip())))


def move_marker(draft: Draft, index: int, at: float) -> Draft:
    markers = list(draft.transcript.markers)
    if not 0 <= index < len(markers):
        raise BadInput(f"no marker {index + 1}")
    markers[index] = replace(markers[index], at=max(0.0, at))
    return _with_markers(draft, markers)


def remove_marker(draft: Draft, index: int) -> Draft:
    markers = list(draft.transcript.markers)
    if not 0 <= index < len(markers):
        raise BadInput(f"no marker {index + 1}")
    del markers[index]
    return _with_markers(draft, markers)


def redetect(draft: Draft, indexes: Iterable[int], known: Sequence[KnownIdentifier]) -> Draft:
    """Detect identifiers again in edited segments, each read with the segments on either side (a cue or a
    number may run over the cut, as in review.propose): new proposals beside the spans that survived, with the
    decisions a reviewer made on the same text elsewhere in the draft carried over."""
    decided = {(s.text.casefold(), s.label): s for s in draft.spans if s.state != UNDECIDED}
    spans, next_id = list(draft.spans), max((s.id for s in draft.spans), default=-1) + 1
    next_part = max((s.part for s in draft.spans if s.part is not None), default=-1) + 1
    for index in sorted(set(indexes)):
        _check(draft, index)
        first, last = max(0, index - 1), min(len(draft.segments), index + 2)
        window = replace(draft.transcript, segments=draft.segments[first:last], markers=())
        found = [replace(s, segment=s.segment + first) for s in propose(window, list(known)).spans]
        ours = {s.part for s in found if s.segment == index and s.part is not None}
        for span in found:
            if span.segment != index and span.part not in ours:
                continue  # a neighbour's own proposals stay as the reviewer left them
            if any(k.segment == span.segment and k.start < span.end and span.start < k.end for k in spans):
                continue
            part = None if span.part is None else next_part + span.part
            span = replace(span, id=next_id, part=part)
            old = decided.get((span.text.casefold(), span.label))
            if old is not None:
                span = replace(
                    span, state=old.state, substitute=old.substitute, reviewer=old.reviewer, decided_at=old.decided_at
                )
            spans.append(span)
            next_id += 1
        next_part += max((s.part for s in found if s.part is not None), default=-1) + 1
    return Draft(draft.transcript, tuple(sorted(spans, key=lambda s: (s.segment, s.start))))


# --- find and replace ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    session: str
    segment: int
    start: int
    end: int
    context: str  # the segment's text around the hit, for the preview


def _pattern(needle: str, whole_words: bool) -> re.Pattern[str]:
    if not needle.strip():
        raise BadInput("type the text to find")
    body = re.escape(needle)
    return re.compile(rf"\b{body}\b" if whole_words else body, re.IGNORECASE)


def find(drafts: Mapping[str, Draft], needle: str, whole_words: bool = True) -> list[Hit]:
    """Every occurrence, case-insensitive, in each session's draft (session order, then text order)."""
    pattern = _pattern(needle, whole_words)
    hits = []
    for session in sorted(drafts):
        for index, segment in enumerate(drafts[session].segments):
            for match in pattern.finditer(segment.text):
                lo, hi = max(0, match.start() - 30), match.end() + 30
                hits.append(Hit(session, index, match.start(), match.end(), segment.text[lo:hi]))
    return hits


def replace_hits(drafts: Mapping[str, Draft], hits: Sequence[Hit], replacement: str) -> dict[str, Draft]:
    """The drafts with the chosen hits replaced (an empty replacement deletes each, tidily: ``_without``); only
    sessions that changed are returned."""
    changed: dict[str, Draft] = {}
    by_place: dict[tuple[str, int], list[Hit]] = {}
    for hit in hits:
        by_place.setdefault((hit.session, hit.segment), []).append(hit)
    for (session, index), group in sorted(by_place.items()):
        draft = changed.get(session, drafts[session])
        text = draft.segments[index].text
        for hit in sorted(group, key=lambda h: h.start, reverse=True):
            if replacement:
                text = text[: hit.start] + replacement + text[hit.end :]
            else:
                text = _without(text, hit.start, hit.end)
        changed[session] = edit_text(draft, index, text)
    return changed


_CLAUSE = ",;:"


def _without(text: str, start: int, end: int) -> str:
    """``text`` with the word at [start, end) deleted as a transcriber deletes a filler: with one space beside it,
    so "still um." becomes "still.", "so, um, we" becomes "so, we" and "Um, so we" becomes "So we" (an empty
    replacement used to leave "still ." in every ticked session: QA)."""
    before, after = text[:start], text[end:]
    if not before.strip():  # it began the segment: take the comma and space after it, keep the capital
        rest = after.lstrip(_CLAUSE).lstrip()
        head = before + (rest[:1].upper() if text[start : start + 1].isupper() else rest[:1])
        return head + rest[1:]
    if after[:1].isspace() and before[-1:].isspace():  # between two words: one space stays
        return before + after.lstrip()
    before = before.rstrip()  # before punctuation or at the end: the space before it goes
    if before[-1:] in _CLAUSE and after[:1] in _CLAUSE:  # "so, um, we": one comma stays
        after = after[1:]
    return before + after


# --- undo and redo ------------------------------------------------------------------------------


@dataclass
class History:
    """Undo and redo over drafts. Typing into one segment is one step until the cursor leaves it."""

    draft: Draft
    _undo: list[Draft] = field(default_factory=list)
    _redo: list[Draft] = field(default_factory=list)
    _typing_in: int | None = None

    def apply(self, draft: Draft) -> Draft:
        if draft != self.draft:
            self._undo.append(self.draft)
            self._redo.clear()
            self.draft = draft
        self._typing_in = None
        return draft

    def type_into(self, index: int, text: str) -> Draft:
        """Text typed into a segment; consecutive typing in the same segment is undone at once."""
        changed = edit_text(self.draft, index, text)
        if changed == self.draft:
            return changed
        if self._typing_in != index:
            self._undo.append(self.draft)
            self._redo.clear()
        self.draft, self._typing_in = changed, index
        return changed

    def annotate(self, draft: Draft) -> None:
        """Replace the current draft without an undo step: the same text with spans detected again, or the
        version number a save stamped on it."""
        self.draft = draft

    def end_typing(self) -> None:
        self._typing_in = None

    def undo(self) -> Draft | None:
        if not self._undo:
            return None
        self._redo.append(self.draft)
        self.draft, self._typing_in = self._undo.pop(), None
        return self.draft

    def redo(self) -> Draft | None:
        if not self._redo:
            return None
        self._undo.append(self.draft)
        self.draft, self._typing_in = self._redo.pop(), None
        return self.draft

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)
