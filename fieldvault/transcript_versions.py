"""Versions of a session's transcript: each save of the editor is a new encrypted version, earlier ones kept.

transcript.json.age is always the current version; versions/0001.json.age, 0002... hold every saved one
(0001 is what transcription wrote). An encrypted autosave sits beside them until the next save. The audit
log records each save with its version number and the editor; never the text. Nothing here writes plaintext.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from fieldvault import atomicfile, layout, timecode, transcript_merge, vouching
from fieldvault.agefile import Identity
from fieldvault.agefile.header import payload_id
from fieldvault.agefile.recovery import KEPT_ORIGINAL, intact_plaintext
from fieldvault.editing import Draft
from fieldvault.errors import BadInput, FieldvaultError, TranscriptChanged
from fieldvault.gaps import Gap, salvaged_after
from fieldvault.layout import REDACTIONS
from fieldvault.layout import TRANSCRIPT as FILE
from fieldvault.participants import KnownIdentifier, known_identifiers
from fieldvault.redact.rebase import merge_decisions
from fieldvault.redact.review import ProposedSpan, Redactions, current, stored, transcript_digest
from fieldvault.study import Study
from fieldvault.suggested import command
from fieldvault.transcript import ROLES_NOTE, SCHEMA_VERSION, Transcript, read_transcript

FOLDER = layout.VERSIONS
AUTOSAVE = "autosave.json.age"
# Audited when an autosave is dropped unsaved, so a backup that holds it follows (QA Q11: a backup destroys only what
# the study's audit log records as gone).
AUTOSAVE_DISCARDED = "transcript.autosave-discarded"
EDITED_FROM = "autosave_edited_from"  # the sha256 of the whole transcript an autosave was edited from


@dataclass(frozen=True)
class Version:
    number: int
    saved_by: str | None  # None for the version transcription wrote
    saved_at: str | None


def roles_note(transcript: Transcript) -> str | None:
    """The transcription's line on speakers' roles chosen by who talked more (stereo with no sure prompt markers:
    QA K11), on the version transcription wrote; a version saved from the editor had a person's eyes on it."""
    note = transcript.settings.get(ROLES_NOTE)
    return str(note) if note and version_of(transcript).saved_by is None else None


def session_folder(study: Study, pseudonym: str, session: str) -> Path:
    folder = layout.session(study.root, pseudonym, session)
    if not folder.is_dir():
        raise BadInput(f"{pseudonym}/{session} is not in the study any more (withdrawn, moved or destroyed)")
    if not (folder / FILE).is_file():
        raise BadInput(f"{pseudonym}/{session} has no transcript yet: transcribe it first (fieldvault transcribe)")
    return folder


def _numbers(folder: Path) -> list[int]:
    return sorted(int(p.name.split(".")[0]) for p in (folder / FOLDER).glob("[0-9]*.json.age"))


def _name(number: int) -> str:
    return f"{FOLDER}/{number:04d}.json.age"


def version_of(transcript: Transcript) -> Version:
    stamp = transcript.extra.get("version")
    if isinstance(stamp, dict):
        return Version(int(stamp["number"]), stamp.get("saved_by"), stamp.get("saved_at"))
    return Version(1, None, None)


def versions(study: Study, pseudonym: str, session: str, identities: Sequence[Identity]) -> list[Version]:
    """Every stored version, oldest first (one, the transcription's, before the first save)."""
    folder = session_folder(study, pseudonym, session)
    numbers = _numbers(folder)
    if not numbers:
        return [version_of(read_transcript(study, folder / FILE, identities))]
    return [version_of(read_transcript(study, folder / _name(n), identities)) for n in numbers]


def load(
    study: Study, pseudonym: str, session: str, identities: Sequence[Identity], number: int | None = None
) -> Transcript:
    """The current version, or version ``number`` (1 is what transcription wrote)."""
    folder = session_folder(study, pseudonym, session)
    if number is None:
        return read_transcript(study, folder / FILE, identities)
    numbers = _numbers(folder) or [1]
    if number not in numbers:
        raise BadInput(f"{pseudonym}/{session} has versions {numbers[0]} to {numbers[-1]}, not {number}")
    path = folder / (_name(number) if (folder / FOLDER).is_dir() else FILE)
    return read_transcript(study, path, identities)


@dataclass(frozen=True)
class Opened:
    """What the editor starts from: the current version with the spans that apply to it, its redactions
    (who reviewed it), and the names to detect in what is typed. Decrypting them takes a while for a long
    session, so the TUI calls ``open_for_editing`` in a worker."""

    draft: Draft
    redactions: Redactions
    known: tuple[KnownIdentifier, ...]
    salvaged: tuple[Gap, ...] = ()  # damaged audio `recover` salvaged after this transcript was made


def open_for_editing(study: Study, pseudonym: str, session: str, identities: Sequence[Identity]) -> Opened:
    transcript = load(study, pseudonym, session, identities)
    redactions = current(study, transcript, identities)
    known = tuple(known_identifiers(study, pseudonym, identities))
    try:
        salvaged = tuple(salvaged_after(study, transcript, identities))
    except FieldvaultError:  # a damaged timeline: `check` names it; the transcript still opens
        salvaged = ()
    return Opened(Draft(transcript, tuple(redactions.spans)), redactions, known, salvaged)


def load_to_view(
    study: Study, pseudonym: str, session: str, identities: Sequence[Identity], number: int | None = None
) -> Transcript:
    """``load`` for showing the plaintext on screen: the viewing is audited (the version, never the text)."""
    transcript = load(study, pseudonym, session, identities, number)
    study.audit.append("transcript.viewed", pseudonym=pseudonym, session=session, version=version_of(transcript).number)
    return transcript


def open_draft(study: Study, pseudonym: str, session: str, identities: Sequence[Identity]) -> Draft:
    """The current transcript with the redaction spans that apply to exactly it."""
    transcript = load(study, pseudonym, session, identities)
    return Draft(transcript, tuple(current(study, transcript, identities).spans))


def _archive_current(study: Study, folder: Path, identities: Sequence[Identity]) -> int:
    """Keep the current file as a version before the first save, or when it changed outside the editor
    (transcribed again); returns the highest version number kept."""
    numbers = _numbers(folder)
    now = study.read(folder / FILE, identities)
    if numbers and study.read(folder / _name(numbers[-1]), identities) == now:
        return numbers[-1]
    number = (numbers[-1] if numbers else 0) + 1
    atomicfile.make_dirs(folder / FOLDER)
    study.write_new(folder / _name(number), now)
    return number


@contextmanager
def writing(study: Study, pseudonym: str) -> Iterator[None]:
    """One writer at a time of a participant's transcripts and redactions, across processes (field7's list: an
    editor's save and a review screen's decision at the same instant could each check what is stored, then both
    write). Every store here holds it from its check to its last write; a review screen holds it around its own.
    On the participant's folder: the session folders carry the open-screen marker (sessionopen)."""
    with atomicfile.exclusive(layout.participant(study.root, pseudonym)):
        yield


def save(
    study: Study,
    draft: Draft,
    identities: Sequence[Identity],
    editor: str,
    base: Transcript,
    opened: Sequence[ProposedSpan] | None = None,
) -> Draft:
    """Store the draft as a new version, current from now on; its redactions follow it, unreviewed.

    ``base`` is the transcript the draft was edited from (opened or last saved). When the stored one is no
    longer it (transcribed again with --force, saved in another window, a speaker set in a review screen), the
    draft's changes since ``base`` are merged onto it, that one kept as a version (QA E15); where both changed
    the same thing, nothing is saved and TranscriptChanged says where: stored as it was, the draft would
    silently undo that change (QA C28). ``opened``: the spans as the draft started from them; a decision
    stored since (a review screen in another window) is kept where the draft left that span as it found it
    (QA D25)."""
    with writing(study, draft.transcript.pseudonym):
        folder = session_folder(study, draft.transcript.pseudonym, draft.transcript.session)
        stored = read_transcript(study, folder / FILE, identities)
        spans = list(draft.spans)
        if opened is not None:
            spans = merge_decisions(spans, opened, _stored_spans(study, base, identities))
        if stored.to_json() != base.to_json():
            draft = _onto(study, Draft(draft.transcript, tuple(spans)), base, stored, identities)
            spans = list(draft.spans)
        return _store(study, folder, draft.transcript, spans, identities, editor)


def save_over(study: Study, draft: Draft, identities: Sequence[Identity], editor: str) -> Draft:
    """The draft stored as the current version whatever was stored since it was opened, which stays as the
    version before it: what the person chose after TranscriptChanged ("mine on top")."""
    with writing(study, draft.transcript.pseudonym):
        folder = session_folder(study, draft.transcript.pseudonym, draft.transcript.session)
        over = _archive_current(study, folder, identities)  # the one stored meanwhile, kept under this number
        reason = f"put on top of version {over}, stored meanwhile and kept"
        return _store(study, folder, draft.transcript, list(draft.spans), identities, editor, reason=reason)


def set_speaker(
    study: Study, transcript: Transcript, index: int, speaker: str | None, identities: Sequence[Identity], who: str
) -> Transcript:
    """A reviewer names who speaks in one segment (the review screen's S): a new version, as an editor's save is,
    so the one before is kept and an editor open elsewhere merges it in. Refused (TranscriptChanged) when the
    stored transcript is no longer ``transcript``: set on the old one, it would undo that change. The redactions
    stay: they are bound to the text, which is unchanged."""
    with writing(study, transcript.pseudonym):
        folder = session_folder(study, transcript.pseudonym, transcript.session)
        if read_transcript(study, folder / FILE, identities).to_json() != transcript.to_json():
            raise TranscriptChanged("no speaker was set: the transcript was changed in another window meanwhile")
        segments = list(transcript.segments)
        segments[index] = replace(segments[index], speaker=speaker)
        number = _archive_current(study, folder, identities) + 1
        stamp = _stamp(study, number, who)
        changed = replace(transcript, segments=tuple(segments), extra={**transcript.extra, "version": stamp})
        study.write_new(folder / _name(number), changed.to_json())
        vouching.seal_vouched(
            study, "transcript.speaker", _current(study, folder, changed), pseudonym=changed.pseudonym,
            session=changed.session, version=number,
        )  # fmt: skip
        return changed


def set_aside(study: Study, draft: Draft, identities: Sequence[Identity], editor: str) -> Transcript:
    """The draft kept as a version, and the transcript stored now made current again on top of it, so that the
    editor can go on from that one: the other choice after TranscriptChanged. Its redactions stay as they are
    (bound to its text, which is unchanged). Returns the current transcript."""
    with writing(study, draft.transcript.pseudonym):
        folder = session_folder(study, draft.transcript.pseudonym, draft.transcript.session)
        stored = read_transcript(study, folder / FILE, identities)
        was = _archive_current(study, folder, identities)  # the one stored meanwhile, kept under this number
        number = was + 1
        aside = replace(draft.transcript, extra={**draft.transcript.extra, "version": _stamp(study, number, editor)})
        study.write_new(folder / _name(number), aside.to_json())
        reason = f"kept aside: version {number + 1} is version {was} again, stored meanwhile"
        study.audit.append(
            "transcript.saved", pseudonym=aside.pseudonym, session=aside.session, version=number, reason=reason,
            **_ended(folder),
        )  # fmt: skip
        by = version_of(stored)
        again = {"number": number + 1, "saved_by": by.saved_by, "saved_at": by.saved_at}
        current_again = replace(stored, extra={**stored.extra, "version": again})
        study.write_new(folder / _name(number + 1), current_again.to_json())
        reason = f"version {was} made current again"
        vouching.seal_vouched(
            study, "transcript.saved", _current(study, folder, current_again), pseudonym=aside.pseudonym,
            session=aside.session, version=number + 1, reason=reason, **_ended(folder),
        )  # fmt: skip
        (folder / FOLDER / AUTOSAVE).unlink(missing_ok=True)
        return current_again


def _current(study: Study, folder: Path, transcript: Transcript) -> dict[str, bytes]:
    """{path: plaintext} of ``transcript`` as the session's current one, for ``vouching.seal_vouched``: the entry
    vouching for it is written before it takes its name (QA T11, U8)."""
    return {vouching.relative_of(study, folder / FILE): transcript.to_json()}


def _stamp(study: Study, number: int, editor: str) -> dict[str, object]:
    return {"number": number, "saved_by": editor, "saved_at": study.clock().isoformat(timespec="seconds")}


def _store(
    study: Study,
    folder: Path,
    transcript: Transcript,
    spans: list[ProposedSpan],
    identities: Sequence[Identity],
    editor: str,
    **audited: str,
) -> Draft:
    """Store ``transcript`` as the next version, current; ``audited``: more details for its audit entry."""
    number = _archive_current(study, folder, identities) + 1
    saved = replace(transcript, extra={**transcript.extra, "version": _stamp(study, number, editor)})
    study.write_new(folder / _name(number), saved.to_json())
    redactions = Redactions(saved.pseudonym, saved.session, transcript_digest(saved), spans)
    files = _current(study, folder, saved) | {vouching.relative_of(study, folder / REDACTIONS): redactions.to_json()}
    vouching.seal_vouched(
        study, "transcript.saved", files, pseudonym=saved.pseudonym, session=saved.session, version=number,
        **audited, **_ended(folder),
    )  # fmt: skip
    (folder / FOLDER / AUTOSAVE).unlink(missing_ok=True)
    return Draft(saved, tuple(spans))


def _onto(study: Study, draft: Draft, base: Transcript, stored: Transcript, identities: Sequence[Identity]) -> Draft:
    """The draft's changes since ``base`` put onto ``stored``, with the spans over each segment's text from the
    side that text came from; TranscriptChanged where both changed the same thing."""
    merged = transcript_merge.merge(base, draft.transcript, stored)
    if isinstance(merged, transcript_merge.Collision):
        where = "the prompt markers" if merged.segment is None else f"segment {merged.segment}"
        raise TranscriptChanged(
            "nothing was saved: this transcript changed since it was opened here (transcribed again, saved in another "
            f"window, or a speaker set in a review screen), and both changed {where}. Choose which goes on top: the "
            "other is kept as a version"
        )
    theirs: list[ProposedSpan] = []
    if any(side == transcript_merge.THEIRS for side, _ in merged.origins):
        theirs = current(study, stored, identities).spans
    return Draft(merged.transcript, merged.spans(draft.spans, theirs))


def _stored_spans(study: Study, base: Transcript, identities: Sequence[Identity]) -> list[ProposedSpan]:
    """The spans stored for ``base`` now (decided meanwhile, maybe, in another window); none for another text."""
    kept = stored(study, base.pseudonym, base.session, identities)
    return kept.spans if kept is not None and kept.transcript_sha256 == transcript_digest(base) else []


def autosave(study: Study, transcript: Transcript, base: Transcript) -> None:
    """The unsaved draft, encrypted, so that a crash loses nothing typed; it names the transcript it was edited
    from (``base``: opened or last saved), so that it is never restored over a newer one (QA D13)."""
    folder = session_folder(study, transcript.pseudonym, transcript.session)
    atomicfile.make_dirs(folder / FOLDER)
    marked = replace(transcript, extra={**transcript.extra, EDITED_FROM: _whole_digest(base)})
    study.replace(folder / FOLDER / AUTOSAVE, marked.to_json())


def autosave_is_stale(kept: Transcript, stored: Transcript) -> bool:
    """The autosave ``kept`` was edited from another transcript than the one ``stored`` now (transcribed again
    with --force, or saved in another window since): restored, it would silently undo that."""
    edited_from = kept.extra.get(EDITED_FROM)
    return edited_from is not None and edited_from != _whole_digest(stored)


def rebind_autosave(kept: bytes, before: bytes, after: bytes) -> bytes:
    """The autosave ``kept`` (already re-sealed) as edited from ``after``, the current transcript ``before`` re-sealed
    under another name (`session move`, `participant rename`: the words unchanged). An autosave edited from
    ``before`` was offered as "replaced since" after a move and lost at the next keystroke (QA Q10); one edited from
    another transcript stays as stale as it was."""
    autosaved = Transcript.from_json(kept, AUTOSAVE)
    if autosaved.extra.get(EDITED_FROM) != _whole_digest(Transcript.from_json(before, FILE)):
        return kept
    edited_from = _whole_digest(Transcript.from_json(after, FILE))
    return replace(autosaved, extra={**autosaved.extra, EDITED_FROM: edited_from}).to_json()


def _whole_digest(transcript: Transcript) -> str:
    """Of everything the transcript holds, speakers and times too: an autosave edited from the text alone would be
    restored over a speaker set since in a review screen, undoing it (QA E15's family)."""
    return hashlib.sha256(transcript.to_json()).hexdigest()


# an autosave kept aside (stale, or discarded in the editor): the next autosave writes over autosave.json.age
KEPT_AUTOSAVE = "autosave-kept-{}.json.age"


def keep_stale_autosave(study: Study, pseudonym: str, session: str) -> str:
    """A copy of the autosave, under a name no autosave writes over; the name, relative to the study. One made on a
    transcript replaced since (transcribed again with --force): the next keystroke's autosave threw those corrections
    away (QA R19). One not restored, or changes discarded on leaving: set aside rather than destroyed (QA S4). Kept
    once: the copy of the same bytes is not made again."""
    folder = session_folder(study, pseudonym, session) / FOLDER
    data = (folder / AUTOSAVE).read_bytes()
    for earlier in sorted(folder.glob(KEPT_AUTOSAVE.format("*"))):
        if earlier.read_bytes() == data:
            return str(earlier.relative_to(study.root))
    stamp = study.clock().strftime("%Y%m%d-%H%M%S")
    kept = folder / KEPT_AUTOSAVE.format(stamp)
    for n in range(2, 1000):  # another set aside in the same second keeps its own name
        if not kept.exists():
            break
        kept = folder / KEPT_AUTOSAVE.format(f"{stamp}-{n}")
    atomicfile.write_new(kept, data)
    return str(kept.relative_to(study.root))


def set_autosave_aside(study: Study, pseudonym: str, session: str) -> str | None:
    """The autosave kept aside (``keep_stale_autosave``) and then dropped (audited: backups follow the autosave, and
    keep the copy): what the editor does with changes not restored or discarded (QA S4: one key typed into its
    question destroyed them). The copy's name, relative to the study; None where there was no autosave (nothing
    typed since, or the session gone meanwhile)."""
    if not (layout.session(study.root, pseudonym, session) / FOLDER / AUTOSAVE).is_file():
        discard_autosave(study, pseudonym, session)
        return None
    kept = keep_stale_autosave(study, pseudonym, session)
    discard_autosave(study, pseudonym, session)
    return kept


def load_autosave(study: Study, pseudonym: str, session: str, identities: Sequence[Identity]) -> Transcript | None:
    """An autosave left by an editor that did not save (a crash, a kill), if any."""
    path = session_folder(study, pseudonym, session) / FOLDER / AUTOSAVE
    return read_transcript(study, path, identities) if path.is_file() else None


def discard_autosave(study: Study, pseudonym: str, session: str) -> None:
    """Drop the autosave; nothing to do when the session is gone meanwhile (QA E19: the editor's "Discard" over a
    session retention destroyed crashed the TUI)."""
    path = layout.session(study.root, pseudonym, session) / FOLDER / AUTOSAVE
    if path.is_file():
        study.audit.append(AUTOSAVE_DISCARDED, pseudonym=pseudonym, session=session, **_ended(path.parent.parent))
    path.unlink(missing_ok=True)


def _ended(folder: Path) -> dict[str, str]:
    """What an entry that ends the session's autosave records of it: its payload id, so that a backup's copy set
    aside is destroyed only if it is that very file (QA V3: another file put in its place is kept)."""
    found = payload_id(folder / FOLDER / AUTOSAVE)
    return {} if found is None else {"payloads": found}


# A current transcript cut off while it was sealed (a crash, a full disk: its last chunk torn). QA QD13: `recover`
# re-sealed what its intact chunks held as they were, a piece of JSON no reader opens ("restore it from a backup"),
# though a saved version was one folder down.
RECOVERED = "recovered"  # extra: what `recover` kept of a transcript cut off, and from which file
_SEGMENTS = re.compile(r'"segments"\s*:\s*\[')
_SEPARATOR = re.compile(r"\s*,?\s*")


@dataclass(frozen=True)
class Rescued:
    """What `recover` made of a session's cut-off transcript, and the saved version that holds more, if one does."""

    transcript: Transcript  # the whole segments the intact chunks hold, stored as the current version
    number: int  # its version number
    bytes_lost: int  # at least: the plaintext of the torn last chunk
    kept_as: Path  # the cut-off original, beside it
    fuller: tuple[int, Transcript] | None  # the newest saved version holding more segments: its number, it

    def said(self, root: str | Path) -> str:
        """What `recover` says of it; commands name the study folder as ``root``."""
        t = self.transcript
        end = timecode.clock(t.segments[-1].end, digits=0) if t.segments else "00:00:00"
        said = (
            f"{layout.PARTICIPANTS}/{t.pseudonym}/{t.session}/{FILE}: cut off: kept the {len(t.segments)} "
            f"whole segment(s) its intact chunks hold (to {end}), lost at least {self.bytes_lost} bytes of its torn "
            f"last chunk; stored as version {self.number}, the original kept as {self.kept_as.name}"
        )
        if self.fuller is None:
            again = command("transcribe", root, t.pseudonym, t.session, "--force")
            return (
                f"{said}; no saved version holds more: restore the session from a backup, or transcribe it again "
                + (f"(`{again}`)")
            )
        number, fuller = self.fuller
        by = version_of(fuller)
        when = f"saved {by.saved_at} by {by.saved_by}" if by.saved_by else "what transcription wrote"
        read = command("transcript", root, t.pseudonym, t.session, "--version", str(number))
        choose = command("transcript", root, t.pseudonym, t.session, "--make-current", str(number))
        return (
            f"{said}; {_name(number)} holds more: version {number} ({when}), {len(fuller.segments)} segment(s) to "
            f"{timecode.clock(fuller.segments[-1].end, digits=0)}: read it with `{read}`; "
            f"to make it current: `{choose}`"
        )


def rescue_cut_off(study: Study, path: Path, identities: Sequence[Identity]) -> Rescued:
    """Store, as the session's current transcript (a new version, vouched for), the whole segments the intact chunks
    of ``path`` hold (every chunk before the tear authenticates: AgeReader's STREAM), the cut-off original kept beside
    it as `recover` keeps a recording's. Nothing is put in its place from versions/: the steward chooses
    (``make_current``); the newest saved version that holds more is named. A recovery cut off part way is finished
    by the next one (the kept original is the file itself then)."""
    folder = path.parent
    with writing(study, folder.parent.name):
        kept_as = path.with_name(path.name + KEPT_ORIGINAL)
        if kept_as.exists() and not os.path.samefile(kept_as, path):
            raise FieldvaultError(
                f"{kept_as} is left from an earlier recovery; move it elsewhere, then run recover again"
            )
        plaintext, lost = intact_plaintext(path, identities)
        numbers = _numbers(folder)
        saved = _readable(study, folder, numbers, identities)
        number = max(numbers, default=1) + 1  # version 1, when none was saved, is the cut-off file itself
        stamp = {
            "number": number,
            "saved_by": "fieldvault recover",
            "saved_at": study.clock().isoformat(timespec="seconds"),
        }
        kept = _whole_segments(study, folder, plaintext, saved, {RECOVERED: {"from": kept_as.name, "bytes_lost": lost},
                                                                 "version": stamp})  # fmt: skip
        if not kept_as.exists():
            os.link(path, kept_as)
        atomicfile.make_dirs(folder / FOLDER)
        study.replace(folder / _name(number), kept.to_json())
        vouching.seal_vouched(
            study, "recover", _current(study, folder, kept), file=vouching.relative_of(study, path),
            pseudonym=kept.pseudonym, session=kept.session,
            version=number, count=len(kept.segments), bytes=lost, reason="transcript cut off",
        )  # fmt: skip
    fuller = next(((n, t) for n, t in reversed(saved) if len(t.segments) > len(kept.segments)), None)
    return Rescued(kept, number, lost, kept_as, fuller)


def _readable(
    study: Study, folder: Path, numbers: list[int], identities: Sequence[Identity]
) -> list[tuple[int, Transcript]]:
    """The saved versions that open, oldest first (one damaged too is left out here, and named by `check`)."""
    found = []
    for number in numbers:
        try:
            found.append((number, read_transcript(study, folder / _name(number), identities)))
        except FieldvaultError:
            continue
    return found


def _whole_segments(
    study: Study, folder: Path, plaintext: bytes, saved: list[tuple[int, Transcript]], extra: dict[str, object]
) -> Transcript:
    """The transcript the intact plaintext of a cut-off one begins: each segment whose JSON ends before the tear. What
    its file held after the segments (model, markers, settings) was in the torn part: taken from the newest saved
    version, which the same transcription wrote, or left empty."""
    text = plaintext.decode("utf-8", "ignore")  # a tear inside a character drops that character only
    segments: list[object] = []
    found = _SEGMENTS.search(text)
    at = found.end() if found else len(text)
    decoder = json.JSONDecoder()
    while found:
        at = _SEPARATOR.match(text, at).end()  # type: ignore[union-attr]  # it matches the empty string
        try:
            segment, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            break
        if not isinstance(segment, dict):
            break
        segments.append(segment)
    if saved:
        doc = json.loads(saved[-1][1].to_json())
    else:
        ends = [float(s["end"]) for s in segments if isinstance(s, dict) and isinstance(s.get("end"), int | float)]
        doc = {"markers": [], "model": {"name": "unknown"}, "backend": "unknown", "settings": {}, "extra": {},
               "audio_seconds": max(ends, default=0.0), "processing_seconds": 0.0,
               "created": study.clock().isoformat(timespec="seconds")}  # fmt: skip
    doc |= {"pseudonym": folder.parent.name, "session": folder.name, "segments": segments,
            "schema_version": SCHEMA_VERSION, "extra": {**doc["extra"], **extra}}  # fmt: skip
    return Transcript.from_json(json.dumps(doc, ensure_ascii=False).encode(), str(folder / FILE))


def make_current(
    study: Study, pseudonym: str, session: str, number: int, identities: Sequence[Identity], who: str
) -> Transcript:
    """Saved version ``number`` stored again as the current version, on top of the one current now (kept as a version):
    what the steward chooses after `recover` named a saved version that holds more than it kept of a cut-off
    transcript. Its redactions follow it, unreviewed, as after any save (decisions carried over by their text)."""
    with writing(study, pseudonym):
        folder = session_folder(study, pseudonym, session)
        numbers = _numbers(folder)
        if number not in numbers:
            have = f"versions {numbers[0]} to {numbers[-1]}" if numbers else "no saved version"
            raise BadInput(f"{pseudonym}/{session} has {have}, not {number}")
        chosen = read_transcript(study, folder / _name(number), identities)
        spans = list(current(study, chosen, identities).spans)
        stored = _store(study, folder, chosen, spans, identities, who, reason=f"version {number} made current again")
    return stored.transcript
