"""Text being typed and not saved yet, kept encrypted: a session's field notes and a journal entry (QA R21: a flat
battery, a crash or kill -9 lost all of it, where the transcript editor's autosave kept its corrections).

A draft lies where its text will be saved (a session's folder, or the journal's) and is sealed exactly as the saved
text will be (a draft of field notes names its session inside, as saved notes do: QA Q4), so a field kit, which
cannot read one back, saves it by giving the file its saved name. Each screen writes a draft of its own (a random
name), so two windows never write over each other's, nor a kit's draft over the study's. Removing one is audited,
so that a backup follows. Never writes plaintext.

A draft discarded is set aside, not destroyed (QA S4: one key typed into the offer took the place of Discard, and
backups then destroyed their copy too): renamed, as it is sealed, to ``fieldnotes-discarded-<id>.md.age`` (the
journal's ``discarded-<id>.md.age``) beside it, which nothing offers again or writes over, and which goes with the
session (a move or rename re-seals it, `check` binds it, a withdrawal or retention destroys it) and into backups,
as the editor's stale autosave is kept (QA R19). `fieldvault decrypt` reads it.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path, PurePath

from fieldvault import atomicfile, journal, layout, memos
from fieldvault.agefile import Identity
from fieldvault.agefile.header import header_id, payload_id
from fieldvault.agefile.sharedheader import SharedHeader
from fieldvault.errors import BadInput, FieldvaultError
from fieldvault.journal import JournalEntry
from fieldvault.memos import FieldNote
from fieldvault.study import Study

# Audited with the file, how (SAVED or DISCARDED) and its payload id: backups follow (departures), and merge-kit
# never brings back from the kit a draft the study saved or discarded.
REMOVED = "draft.removed"
# On a field kit, written as a screen first keeps its draft, naming the one header every keeping of it is sealed under
# (the screen holds its file key): a draft sealed later with the kit's public key alone is no draft the kit kept, and
# merge-kit holds it apart (qa28 QD9: a forged draft was offered as the interviewer's words)
KEPT = "draft.kept"
# In a field kit's first entry (field-kit.created): the kit names each draft it keeps. A kit of an earlier release
# names none, and merge-kit takes its drafts as before.
NAMED, NAMED_VALUE = "drafts", "named"
SAVED, DISCARDED = "saved", "discarded"
PUT_BACK, EMPTIED = "put back", "emptied"  # removed, its text living on: in another screen's draft; none left


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(name).replace(re.escape("{id}"), "[0-9a-f]{8}") + r"\Z")


NOTES_NAME = _pattern(layout.FIELD_NOTES_DRAFT)
JOURNAL_NAME = _pattern(layout.JOURNAL_DRAFT)
NOTES_SET_ASIDE = _pattern(layout.FIELD_NOTES_SET_ASIDE)
JOURNAL_SET_ASIDE = _pattern(layout.JOURNAL_SET_ASIDE)


def is_draft(relative: PurePath) -> bool:
    """Whether a path (relative to the study) is where a draft lies: in a session's folder or in the journal."""
    parts = relative.parts
    if len(parts) == 4 and parts[0] == layout.PARTICIPANTS:
        return bool(NOTES_NAME.match(parts[3]))
    return len(parts) == 2 and parts[0] == layout.JOURNAL and bool(JOURNAL_NAME.match(parts[1]))


def _in_journal(folder: Path) -> bool:
    """A draft's folder is the journal's, or a session's (whose name is a session id, never "journal")."""
    return folder.name == layout.JOURNAL


def slot(folder: Path) -> Path:
    """Where a new screen writing into ``folder`` (a session's, or the journal's) keeps its draft."""
    name = layout.JOURNAL_DRAFT if _in_journal(folder) else layout.FIELD_NOTES_DRAFT
    return folder / name.format(id=secrets.token_hex(4))


def found(folder: Path) -> list[Path]:
    """The drafts in ``folder`` (a session's, or the journal's), oldest first (links left out: `check` names them)."""
    name = JOURNAL_NAME if _in_journal(folder) else NOTES_NAME
    if not folder.is_dir():
        return []
    drafts = [p for p in folder.iterdir() if name.match(p.name) and p.is_file() and not p.is_symlink()]
    return sorted(drafts, key=lambda p: (p.stat().st_mtime, p.name))


def set_aside_in(folder: Path) -> list[Path]:
    """The drafts discarded and set aside in ``folder`` (a session's, or the journal's), by name."""
    name = JOURNAL_SET_ASIDE if _in_journal(folder) else NOTES_SET_ASIDE
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if name.match(p.name) and p.is_file() and not p.is_symlink())


def notes_drafts_of(root: Path) -> list[Path]:
    """Every session's drafts of field notes, session by session."""
    folders = sorted(p for p in layout.participants(root).glob("*/*") if p.is_dir() and not p.is_symlink())
    return [path for folder in folders for path in found(folder)]


def notes_set_aside_of(root: Path) -> list[Path]:
    """Every session's drafts of field notes discarded and set aside, session by session."""
    folders = sorted(p for p in layout.participants(root).glob("*/*") if p.is_dir() and not p.is_symlink())
    return [path for folder in folders for path in set_aside_in(folder)]


def set_aside_line(study: Study, kept: Path) -> str:
    """The line that names a discarded draft set aside (`check`)."""
    return (
        f"{kept.relative_to(study.root)} is a draft discarded in the TUI and set aside, encrypted (`fieldvault "
        "decrypt` reads it): delete it once you are sure it is not needed"
    )


def unsaved(study: Study, draft: Path) -> str:
    """The line that names a draft as unsaved work (`check`, `journal list`)."""
    what, where = (
        ("a journal entry", "the journal (j") if _in_journal(draft.parent) else ("field notes", "its notes (f")
    )
    return (
        f"{draft.relative_to(study.root)} is {what} typed and never saved (kept, encrypted, by a screen that ended "
        f"without saving, or is open now): open {where} in `fieldvault open`) to save or discard it"
    )


def keep(study: Study, draft: Path, text: str, under: SharedHeader | None = None) -> SharedHeader | None:
    """Seal ``text`` as the draft at ``draft`` (written over the screen's last one), as it will be saved; an empty
    text keeps nothing (a draft it had is discarded). Sealed under ``under``, the screen's header, made at its first
    keeping and returned: the screen passes it back each time. On a field kit, a keeping that makes the file names
    the header in the kit's log first (``KEPT``)."""
    if not text.strip():
        drop(study, draft, EMPTIED)
        return under
    written = study.clock().isoformat(timespec="seconds")
    if _in_journal(draft.parent):
        sealed = journal.sealed_entry(written, journal.check_text(text))
    else:
        folder = draft.parent
        memos.refuse_gone(folder)  # a draft never makes a session withdrawn or moved meanwhile again
        sealed = memos.sealed_note(written, memos.check_text(text), folder.parent.name, folder.name)
    under = under or SharedHeader.new(study.recipients())
    if study.is_field_kit and not draft.exists():
        _name_on_kit(study, draft, under)
    study.replace_under(draft, sealed, under)
    return under


def _name_on_kit(study: Study, draft: Path, under: SharedHeader) -> None:
    """The kit's log names the draft about to be written by its header; a log that cannot take the entry keeps
    nothing from being typed (merge-kit holds an unnamed draft apart, on the kit)."""
    folder = draft.parent
    where = {} if _in_journal(folder) else {"pseudonym": folder.parent.name, "session": folder.name}
    try:
        study.audit.append(KEPT, **where, file=draft.name, header=under.id)
    except (FieldvaultError, OSError):
        pass


def read(study: Study, draft: Path, identities: Sequence[Identity]) -> FieldNote | JournalEntry:
    """A draft, read as its saved text is: one of field notes is refused in one line when it names another session
    than the one it lies in (copied there by hand, as saved notes are: QA Q4)."""
    if _in_journal(draft.parent):
        return journal.parse_entry(draft.name.removesuffix(journal.SUFFIX), study.read(draft, identities))
    return memos.read_field_note(study, draft, identities)


def saved(study: Study, folder: Path, identities: Sequence[Identity]) -> list[tuple[str, str]]:
    """The texts saved where the drafts in ``folder`` are saved, each named as a person says it: ("field notes 2",
    text) or ("journal entry 2026-11-27-1", text)."""
    if _in_journal(folder):
        return [(f"journal entry {e.name}", e.text) for e in journal.list_entries(study, identities)]
    return [(f"field notes {n.number}", n.text) for n in memos.field_notes(study, folder, identities)]


def save(study: Study, draft: Path) -> str:
    """The draft saved as it is sealed (a field kit cannot read it to seal it again): the session's next field notes,
    or today's next journal entry, audited as such and as the draft's removal; what it became, named."""
    folder = draft.parent
    payload = payload_id(draft) or ""
    if _in_journal(folder):
        name = journal.next_name(study)
        _rename(draft, folder / f"{name}{journal.SUFFIX}")
        study.audit.append(journal.ADDED, name=name, header=header_id(folder / f"{name}{journal.SUFFIX}") or "")
        saved_as = f"journal entry {name}"
    else:
        memos.refuse_gone(folder)
        number, target = memos.next_note(folder)
        _rename(draft, target)
        memos.audit_added(study, target, number)
        saved_as = f"field notes {number}"
    _removed(study, draft, SAVED, payload)
    return saved_as


def _rename(draft: Path, target: Path) -> None:
    """``draft`` under the name ``target``, never over a file of that name."""
    if not draft.is_file():
        raise BadInput(f"{draft.name} is gone (saved or discarded in another window?)")
    os.link(draft, target)  # fails rather than replace a note saved meanwhile
    draft.unlink()
    atomicfile.sync_folder(draft.parent)


def discard(study: Study, draft: Path) -> Path | None:
    """A draft whose text was thrown away, set aside under a name of its own, as it is sealed (never destroyed: a
    wrong key loses nothing); audited as the draft's removal, naming where it was set aside. Its new path (None
    when there was no draft)."""
    if not draft.is_file():
        return None
    folder = draft.parent
    name = layout.JOURNAL_SET_ASIDE if _in_journal(folder) else layout.FIELD_NOTES_SET_ASIDE
    payload = payload_id(draft) or ""
    while True:
        target = folder / name.format(id=secrets.token_hex(4))
        try:
            _rename(draft, target)
            break
        except FileExistsError:
            continue  # that name is taken (one in four billion): another
    _removed(study, draft, DISCARDED, payload, kept=target.name)
    return target


def drop(study: Study, draft: Path, how: str) -> None:
    """Remove a draft whose text lives on elsewhere: put back into a screen that keeps its own draft (PUT_BACK), or
    the box emptied (EMPTIED); audited."""
    _remove(study, draft, how)


def remove_saved(study: Study, draft: Path) -> None:
    """Drop the draft of a text just saved; audited."""
    _remove(study, draft, SAVED)


def _remove(study: Study, draft: Path, how: str) -> None:
    if draft.is_file():
        payload = payload_id(draft) or ""
        draft.unlink()
        _removed(study, draft, how, payload)


def _removed(study: Study, draft: Path, how: str, payload: str, **more: str) -> None:
    folder = draft.parent
    if _in_journal(folder):
        study.audit.append(REMOVED, file=draft.name, method=how, payloads=payload, **more)
        return
    where = {"pseudonym": folder.parent.name, "session": folder.name}
    study.audit.append(REMOVED, **where, file=draft.name, method=how, payloads=payload, **more)


def removed_payloads(study: Study) -> set[str]:
    """The payload ids of every draft the study saved or discarded, as its log records."""
    entries = study.audit.entries()
    return {str(e["details"].get("payloads")) for e in entries if e.get("action") == REMOVED and e.get("details")}
