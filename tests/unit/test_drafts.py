"""QA R21: drafts of field notes and journal entries (fieldvault.drafts) are part of the study's layout. Every place
that knows a session's files knows them: `check` names one as unsaved work and fails one copied from another
session; a move or a rename takes it along re-bound to her new name; a withdrawal destroys it; merge-kit carries a
kit's in, bound to its session, and refuses one moved on the kit; a backup carries it and follows its removal."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from fieldvault import drafts, layout
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.journal import list_entries
from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.memos import FieldNote, field_notes
from fieldvault.participantrename import rename_participant
from fieldvault.sessionmove import move_session
from fieldvault.stewardship.backup import backup
from fieldvault.stewardship.check import check_study
from fieldvault.stewardship.withdraw import withdraw
from fieldvault.study import Study
from tests.conftest import kit_participant, kit_recording
from tests.stewardship import JUNE, ROSA, add_person

TYPED = "She talked about the van; white, no plates."


def _draft(study: Study, who: str, session: str, text: str = TYPED) -> Path:
    draft = drafts.slot(layout.session(study.root, who, session))
    drafts.keep(study, draft, text)
    return draft


def test_a_draft_is_sealed_bound_to_its_session_and_kept_over_by_its_own_screen_only(
    ready_study: Study, identities: list
) -> None:
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    mine, theirs = drafts.slot(folder), drafts.slot(folder)  # two windows on one session
    assert mine != theirs
    drafts.keep(ready_study, mine, "first words")
    drafts.keep(ready_study, theirs, "the other window")
    drafts.keep(ready_study, mine, TYPED)
    assert {drafts.read(ready_study, p, identities).text for p in drafts.found(folder)} == {
        TYPED,
        "the other window",
    }
    note = drafts.read(ready_study, mine, identities)
    assert isinstance(note, FieldNote) and (note.pseudonym, note.session) == ("Rosa", session)
    assert TYPED.encode() not in mine.read_bytes()
    assert mine.stat().st_mode & 0o077 == 0
    drafts.keep(ready_study, mine, "  \n")  # emptied: nothing kept
    assert drafts.found(folder) == [theirs]
    assert field_notes(ready_study, folder, identities) == []  # a draft is no saved note (nor exported)


def test_a_draft_never_makes_a_session_that_is_gone_again(ready_study: Study) -> None:
    (session,) = add_person(ready_study, ROSA)
    folder = layout.session(ready_study.root, "Rosa", session)
    draft = drafts.slot(folder)
    shutil.rmtree(folder)
    with pytest.raises(BadInput, match=f"no session Rosa/{session} in this study"):
        drafts.keep(ready_study, draft, TYPED)
    assert not folder.exists()


def test_check_names_a_draft_as_unsaved_work_and_fails_one_from_another_session(
    ready_study: Study, identities: list
) -> None:
    (rosa,) = add_person(ready_study, ROSA)
    (june,) = add_person(ready_study, JUNE)
    draft = _draft(ready_study, "Rosa", rosa)
    entry = drafts.slot(ready_study.root / layout.JOURNAL)
    drafts.keep(ready_study, entry, "Was I leading her?")
    result = check_study(ready_study, identities)
    assert result.ok, result.failures
    assert [s for s in result.strays if "typed and never saved" in s] == [
        f"participants/Rosa/{rosa}/{draft.name} is field notes typed and never saved (kept, encrypted, by a screen "
        "that ended without saving, or is open now): open its notes (f in `fieldvault open`) to save or "
        "discard it",
        f"journal/{entry.name} is a journal entry typed and never saved (kept, encrypted, by a screen that ended "
        "without saving, or is open now): open the journal (j in `fieldvault open`) to save or discard it",
    ]
    copied = layout.session(ready_study.root, "June", june) / draft.name
    shutil.copyfile(draft, copied)
    with pytest.raises(BadStudyFile, match=f"is the field notes of Rosa's session {rosa}, not June's"):
        drafts.read(ready_study, copied, identities)
    failed = {f.file: f.problem for f in check_study(ready_study, identities).failures}
    assert "is the field notes of Rosa's session" in failed[f"participants/June/{june}/{draft.name}"]


def test_a_session_move_and_a_rename_take_the_draft_along_bound_to_her_new_name(
    ready_study: Study, identities: list
) -> None:
    (session,) = add_person(ready_study, ROSA)
    add_person(ready_study, JUNE, sessions=0)
    draft = _draft(ready_study, "Rosa", session)
    move_session(ready_study, "Rosa", session, "June", identities)
    (moved,) = drafts.found(layout.session(ready_study.root, "June", session))
    assert moved.name == draft.name and not draft.exists()
    note = drafts.read(ready_study, moved, identities)  # refused if it still named Rosa
    assert isinstance(note, FieldNote) and (note.pseudonym, note.text) == ("June", TYPED)
    rename_participant(ready_study, "June", "Juno", identities)
    (renamed,) = drafts.found(layout.session(ready_study.root, "Juno", session))
    assert drafts.read(ready_study, renamed, identities) == replace(note, pseudonym="Juno")
    assert check_study(ready_study, identities).ok


def test_a_withdrawal_destroys_her_drafts(ready_study: Study, identities: list) -> None:
    (session,) = add_person(ready_study, ROSA)
    draft = _draft(ready_study, "Rosa", session)
    set_aside = drafts.discard(ready_study, _draft(ready_study, "Rosa", session, "Discarded words."))
    withdraw(ready_study, "Rosa", identities)
    assert not draft.exists() and not layout.participant(ready_study.root, "Rosa").exists()
    assert set_aside is not None and not set_aside.exists()


def test_a_discarded_draft_is_set_aside_and_goes_with_its_session(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA S4: one key taken as Discard destroyed the draft, and backups then destroyed their copy. A discarded draft
    is renamed aside, as it is sealed, audited; nothing offers it again; `check` names it and binds it as it does
    the notes; a move and a rename take it along re-bound; a backup keeps it."""
    session, other = add_person(ready_study, ROSA, sessions=2)
    add_person(ready_study, JUNE, sessions=0)
    folder = layout.session(ready_study.root, "Rosa", session)
    draft = _draft(ready_study, "Rosa", session)
    entry = drafts.slot(ready_study.root / layout.JOURNAL)
    drafts.keep(ready_study, entry, "Was I leading her?")
    dest = tmp_path / "usb"
    backup(ready_study, dest)
    kept, kept_entry = drafts.discard(ready_study, draft), drafts.discard(ready_study, entry)
    assert kept is not None and kept_entry is not None
    assert kept.parent == folder and drafts.NOTES_SET_ASIDE.match(kept.name) and not draft.exists()
    assert kept_entry.parent.name == layout.JOURNAL and drafts.JOURNAL_SET_ASIDE.match(kept_entry.name)
    assert drafts.found(folder) == [] and drafts.found(ready_study.root / layout.JOURNAL) == []  # not offered
    assert drafts.read(ready_study, kept, identities).text == TYPED
    assert drafts.read(ready_study, kept_entry, identities).text == "Was I leading her?"
    removed = [e["details"] for e in ready_study.audit.entries() if e["action"] == drafts.REMOVED]
    assert [(d["file"], d["method"], d["kept"]) for d in removed] == [
        (draft.name, "discarded", kept.name),
        (entry.name, "discarded", kept_entry.name),
    ]
    result = check_study(ready_study, identities)
    assert result.ok, result.failures
    assert [s for s in result.strays if "set aside" in s] == [
        f"participants/Rosa/{session}/{kept.name} is a draft discarded in the TUI and set aside, encrypted "
        "(`fieldvault decrypt` reads it): delete it once you are sure it is not needed",
        f"journal/{kept_entry.name} is a draft discarded in the TUI and set aside, encrypted (`fieldvault decrypt` "
        "reads it): delete it once you are sure it is not needed",
    ]
    done = backup(ready_study, dest)  # the draft's copy goes, the words stay in the backup
    assert sorted(file for file, _ in done.removed) == sorted(
        str(p.relative_to(ready_study.root)) for p in (draft, entry)
    )
    for path in (kept, kept_entry):
        assert (dest / path.relative_to(ready_study.root)).read_bytes() == path.read_bytes()
    move_session(ready_study, "Rosa", session, "June", identities)
    moved = layout.session(ready_study.root, "June", session) / kept.name
    note = drafts.read(ready_study, moved, identities)  # refused if it still named Rosa
    assert isinstance(note, FieldNote) and (note.pseudonym, note.text) == ("June", TYPED)
    rename_participant(ready_study, "June", "Juno", identities)
    renamed = layout.session(ready_study.root, "Juno", session) / kept.name
    assert drafts.read(ready_study, renamed, identities) == replace(note, pseudonym="Juno")
    assert check_study(ready_study, identities).ok
    # copied by hand into another woman's session: fails as notes do
    shutil.copyfile(renamed, layout.session(ready_study.root, "Rosa", other) / kept.name)
    failed = {f.file: f.problem for f in check_study(ready_study, identities).failures}
    assert "is the field notes of Juno's session" in failed[f"participants/Rosa/{other}/{kept.name}"], failed


def test_a_kit_saves_a_draft_it_cannot_read_by_giving_it_the_saved_name(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    (session,) = add_person(ready_study, ROSA)
    _draft(ready_study, "Rosa", session, "an earlier note")
    folder = layout.session(ready_study.root, "Rosa", session)
    drafts.save(ready_study, drafts.found(folder)[0])
    draft = _draft(ready_study, "Rosa", session)
    assert drafts.save(ready_study, draft) == "field notes 2"
    assert [n.text for n in field_notes(ready_study, folder, identities)] == ["an earlier note", TYPED]
    with pytest.raises(BadInput, match="is gone"):
        drafts.save(ready_study, draft)  # saved in another window meanwhile
    entry = drafts.slot(ready_study.root / layout.JOURNAL)
    drafts.keep(ready_study, entry, "Was I leading her?")
    assert drafts.save(ready_study, entry) == f"journal entry {ready_study.clock():%Y-%m-%d}-1"
    assert drafts.found(ready_study.root / layout.JOURNAL) == []
    assert [e.text for e in list_entries(ready_study, identities)] == ["Was I leading her?"]


@pytest.fixture
def kit(ready_study: Study, tmp_path: Path) -> Study:
    add_person(ready_study, ROSA, sessions=0)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    kit_participant(kit, "Lena")
    kit_recording(kit, "participants/Lena/20261127-080000/audio.wav.age")
    kit_recording(kit, "participants/Lena/20261127-090000/audio.wav.age")
    return kit


def test_merge_kit_carries_a_kits_drafts_in_bound_to_their_session(
    ready_study: Study, kit: Study, identities: list
) -> None:
    draft = drafts.slot(layout.session(kit.root, "Lena", "20261127-080000"))
    under = drafts.keep(kit, draft, TYPED)  # the screen's header, which the kit's log names (qa28 QD9)
    entry = drafts.slot(kit.root / layout.JOURNAL)
    drafts.keep(kit, entry, "Was I leading her?")
    report = merge_kit(ready_study, kit.root, identities)
    held = layout.session(ready_study.root, "Lena", "20261127-080000") / draft.name
    assert f"participants/Lena/20261127-080000/{draft.name}" in report.merged
    assert drafts.read(ready_study, held, identities).text == TYPED
    assert drafts.read(ready_study, ready_study.root / layout.JOURNAL / entry.name, identities).text == (
        "Was I leading her?"
    )
    # typed on after that merge: the next merge takes the newer draft too, under a name of its own
    drafts.keep(kit, draft, TYPED + " More, later.", under)  # its own screen: under the header it began with
    again = merge_kit(ready_study, kit.root, identities)
    texts = sorted(drafts.read(ready_study, p, identities).text for p in drafts.found(held.parent))
    assert texts == [TYPED, TYPED + " More, later."] and len(again.merged) == 1
    assert merge_kit(ready_study, kit.root, identities).merged == []  # and once only
    for path in drafts.found(held.parent):  # the study discards both: the kit's, merged again, is not brought back
        drafts.discard(ready_study, path)
    last = merge_kit(ready_study, kit.root, identities)
    assert last.merged == [] and drafts.found(held.parent) == []
    assert [line for line in last.left_out if draft.name in line] == [
        f"participants/Lena/20261127-080000/{draft.name}: a draft an earlier merge brought, which the study has "
        "saved or discarded since (draft.removed in its log); nothing of it is lost: delete it on the kit"
    ]


def test_merge_kit_carries_a_kits_discarded_drafts_in_set_aside(
    ready_study: Study, kit: Study, identities: list
) -> None:
    """Discarded on the kit (Esc, Discard on its own text): set aside there, and merged as they are, once."""
    kept = drafts.discard(kit, _draft(kit, "Lena", "20261127-080000"))
    entry = drafts.slot(kit.root / layout.JOURNAL)
    drafts.keep(kit, entry, "Was I leading her?")
    kept_entry = drafts.discard(kit, entry)
    assert kept is not None and kept_entry is not None
    report = merge_kit(ready_study, kit.root, identities)
    held = layout.session(ready_study.root, "Lena", "20261127-080000") / kept.name
    held_entry = ready_study.root / layout.JOURNAL / kept_entry.name
    assert {str(held.relative_to(ready_study.root)), f"{layout.JOURNAL}/{kept_entry.name}"} <= set(report.merged)
    assert drafts.read(ready_study, held, identities).text == TYPED
    assert drafts.read(ready_study, held_entry, identities).text == "Was I leading her?"
    assert drafts.found(held.parent) == [] and merge_kit(ready_study, kit.root, identities).merged == []
    assert check_study(ready_study, identities).ok


def test_merge_kit_refuses_a_draft_moved_into_another_session_on_the_kit(
    ready_study: Study, kit: Study, identities: list
) -> None:
    draft = _draft(kit, "Lena", "20261127-080000")
    shutil.move(draft, layout.session(kit.root, "Lena", "20261127-090000") / draft.name)
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (said,) = refused.value.refused
    assert said == (
        f"participants/Lena/20261127-090000/{draft.name}: is the field notes of Lena's session 20261127-080000, yet "
        "the kit holds it as Lena's session 20261127-090000 (moved or renamed by hand?); put it back where the kit "
        "wrote it and merge again"
    )


def test_a_backup_carries_a_draft_and_follows_its_removal(ready_study: Study, identities: list, tmp_path: Path) -> None:
    (session,) = add_person(ready_study, ROSA)
    draft = _draft(ready_study, "Rosa", session)
    entry = drafts.slot(ready_study.root / layout.JOURNAL)
    drafts.keep(ready_study, entry, "Was I leading her?")
    relative, entry_relative = (str(p.relative_to(ready_study.root)) for p in (draft, entry))
    dest = tmp_path / "usb"
    backup(ready_study, dest)
    assert (dest / relative).is_file() and (dest / entry_relative).is_file()
    drafts.save(ready_study, draft)  # saved as field notes 1: the draft is gone, on the record
    kept = drafts.discard(ready_study, entry)  # set aside (QA S4): the draft's name goes, its words stay
    assert kept is not None
    done = backup(ready_study, dest)
    assert sorted(file for file, _ in done.removed) == sorted([relative, entry_relative])
    assert not (dest / relative).exists() and not (dest / entry_relative).exists()
    assert (dest / layout.session(Path(), "Rosa", session) / "fieldnotes-1.md.age").is_file()
    assert (dest / kept.relative_to(ready_study.root)).read_bytes() == kept.read_bytes()


def test_a_backup_follows_a_draft_removed_without_the_key(ready_study: Study, identities: list, tmp_path: Path) -> None:
    """A kit or a study opened locked removes a draft with no key asked: its unsigned entry is believed for a draft
    (and for nothing else), or every later backup would fail on it as "never recorded as destroyed"."""
    (session,) = add_person(ready_study, ROSA)
    draft = _draft(ready_study, "Rosa", session)
    dest = tmp_path / "usb"
    backup(ready_study, dest)
    locked = Study.open(ready_study.root)  # opened locked: its entries carry no mac
    drafts.save(locked, draft)
    assert not locked.audit.keyed and "mac" not in locked.audit.entries()[-1]
    done = backup(ready_study, dest)  # the keyed study, which checks every mac
    assert [file for file, _ in done.removed] == [str(draft.relative_to(ready_study.root))]
