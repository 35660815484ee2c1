"""Versions of a session's transcript: each save of the editor is a new encrypted version, earlier ones kept.

transcript.json.age is always the current version; versions/0001.json.age, 0002... hold every saved one
(0001 is what transcription wrote). An encrypted autosave sits beside them until the next save. The audit
log records each save with its version number and the editor; never the text. Nothing here writes plaintext.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fieldvault import atomicfile, layout
from fieldvault.agefile import Identity
from fieldvault.editing import Draft
from fieldvault.errors import BadInput
from fieldvault.layout import TRANSCRIPT as FILE
from fieldvault.participants import KnownIdentifier, known_identifiers
from fieldvault.redact.rebase import merge_decisions
from fieldvault.redact.review import ProposedSpan, Redactions, current, path_of, transcript_digest
from fieldvault.redact.review import save as save_redactions
from fieldvault.study import Study
from fieldvault.transcript import Transcript, read_transcript

FOLDER = layout.VERSIONS
AUTOSAVE = "autosave.json.age"
EDITED_FROM = "autosave_edited_from"  # the sha256 of the transcript an autosave was edited from


@dataclass(frozen=True)
class Version:
    number: int
    saved_by: str | None  # None for the version transcription wrote
    saved_at: str | None


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


def open_for_editing(study: Study, pseudonym: str, session: str, identities: Sequence[Identity]) -> Opened:
    transcript = load(study, pseudonym, session, identities)
    redactions = current(study, transcript, identities)
    known = tuple(known_identifiers(study, pseudonym, identities))
    return Opened(Draft(transcript, tuple(redactions.spans)), redactions, known)


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
    longer it (transcribed again with --force, or saved in another window meanwhile) nothing is saved: the
    draft would silently undo that change (QA C28). ``opened``: the spans as the draft started from them; a
    decision stored since (a review screen in another window) is kept where the draft left that span as it
    found it (QA D25)."""
    transcript = draft.transcript
    folder = session_folder(study, transcript.pseudonym, transcript.session)
    stored = read_transcript(study, folder / FILE, identities)
    if transcript_digest(stored) != transcript_digest(base):
        raise BadInput(
            "nothing was saved: this transcript changed since it was opened here (transcribed again, or saved in "
            "another window; that version is kept). Copy what you need, leave without saving, and open it again"
        )
    number = _archive_current(study, folder, identities) + 1
    when = study.clock().isoformat(timespec="seconds")
    stamp = {"number": number, "saved_by": editor, "saved_at": when}
    saved = replace(transcript, extra={**transcript.extra, "version": stamp})
    study.write_new(folder / _name(number), saved.to_json())
    study.replace(folder / FILE, saved.to_json())
    spans = list(draft.spans)
    if opened is not None:
        spans = merge_decisions(spans, opened, _stored_spans(study, base, identities))
    redactions = Redactions(saved.pseudonym, saved.session, transcript_digest(saved), spans)
    save_redactions(study, redactions)
    (folder / FOLDER / AUTOSAVE).unlink(missing_ok=True)
    study.audit.append("transcript.saved", pseudonym=saved.pseudonym, session=saved.session, version=number)
    return Draft(saved, tuple(spans))


def _stored_spans(study: Study, base: Transcript, identities: Sequence[Identity]) -> list[ProposedSpan]:
    """The spans stored for ``base`` now (decided meanwhile, maybe, in another window); none for another text."""
    path = path_of(study, base.pseudonym, base.session)
    if not path.is_file():
        return []
    stored = Redactions.from_json(study.read(path, identities), str(path))
    return stored.spans if stored.transcript_sha256 == transcript_digest(base) else []


def autosave(study: Study, transcript: Transcript, base: Transcript) -> None:
    """The unsaved draft, encrypted, so that a crash loses nothing typed; it names the transcript it was edited
    from (``base``: opened or last saved), so that it is never restored over a newer one (QA D13)."""
    folder = session_folder(study, transcript.pseudonym, transcript.session)
    atomicfile.make_dirs(folder / FOLDER)
    marked = replace(transcript, extra={**transcript.extra, EDITED_FROM: transcript_digest(base)})
    study.replace(folder / FOLDER / AUTOSAVE, marked.to_json())


def autosave_is_stale(kept: Transcript, stored: Transcript) -> bool:
    """The autosave ``kept`` was edited from another transcript than the one ``stored`` now (transcribed again
    with --force, or saved in another window since): restored, it would silently undo that."""
    edited_from = kept.extra.get(EDITED_FROM)
    return edited_from is not None and edited_from != transcript_digest(stored)


def load_autosave(study: Study, pseudonym: str, session: str, identities: Sequence[Identity]) -> Transcript | None:
    """An autosave left by an editor that did not save (a crash, a kill), if any."""
    path = session_folder(study, pseudonym, session) / FOLDER / AUTOSAVE
    return read_transcript(study, path, identities) if path.is_file() else None


def discard_autosave(study: Study, pseudonym: str, session: str) -> None:
    """Drop the autosave; nothing to do when the session is gone meanwhile (QA E19: the editor's "Discard" over a
    session retention destroyed crashed the TUI)."""
    (layout.session(study.root, pseudonym, session) / FOLDER / AUTOSAVE).unlink(missing_ok=True)
