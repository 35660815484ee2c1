"""QA S11: one forged unsigned `draft.removed` line (no passphrase) made `backup` destroy its copy of field notes a
crash kept, the only copy left once the draft was deleted by hand. A backup now destroys a draft's copy only when an
entry records that very copy removed (its payload id) and the study key signed it, or the study holds the copy under
another name (saved, or set aside when discarded); else it keeps it, names it once, and exits as it would."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fieldvault import drafts, layout
from fieldvault.agefile import X25519Identity
from fieldvault.agefile.header import payload_id
from fieldvault.errors import AuditBroken
from fieldvault.stewardship.backup import backup
from fieldvault.stewardship.rewrap import remove_recipient
from fieldvault.study import Study
from tests.stewardship import ROSA, add_person

TYPED = "She talked about the van; white, no plates."


def _draft(study: Study, session: str, text: str = TYPED) -> Path:
    draft = drafts.slot(layout.session(study.root, "Rosa", session))
    drafts.keep(study, draft, text)
    return draft


def _forge(study: Study, draft: Path, **more: str) -> None:
    """What anyone who can write the folder appends, with no passphrase (fieldvault's own code, opened locked)."""
    locked = Study.open(study.root)
    details = {"pseudonym": "Rosa", "session": draft.parent.name, "file": draft.name, "method": "saved", **more}
    locked.audit.append(drafts.REMOVED, **details)


def test_a_forged_removal_of_a_draft_deleted_by_hand_never_destroys_the_backups_copy(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    (session,) = add_person(ready_study, ROSA)
    draft = _draft(ready_study, session)
    relative = str(draft.relative_to(ready_study.root))
    dest = tmp_path / "usb"
    backup(ready_study, dest)
    kept = (dest / relative).read_bytes()
    draft.unlink()  # by hand
    _forge(ready_study, draft, payloads=payload_id(dest / relative) or "")  # its payload id is in its header
    done = backup(ready_study, dest)
    assert done.removed == () and done.missing == ()
    assert done.unvouched == (
        (relative, "draft.removed on " + ready_study.clock().strftime("%Y-%m-%d") + " in the study's audit log is not "
         "signed with the study key, and the study holds no notes saved from it"),
    )  # fmt: skip
    assert (dest / relative).read_bytes() == kept
    again = backup(ready_study, dest)  # named once; never "missing" (which fails every run) after that
    assert (again.unvouched, again.missing, again.removed) == ((), (), ())
    assert (dest / relative).read_bytes() == kept
    marker = json.loads((dest / layout.BACKUP_MARKER).read_text())
    assert relative in marker["held"]


def test_a_removal_naming_no_copy_or_another_copy_keeps_the_backups(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """Signed or not, an entry whose payload id is not the backup's copy's does not vouch for it: the draft written
    again after the backup (more notes typed) and then saved leaves the older copy in the backup."""
    (session,) = add_person(ready_study, ROSA)
    forged, typed_on = _draft(ready_study, session), _draft(ready_study, session)
    dest = tmp_path / "usb"
    backup(ready_study, dest)
    forged.unlink()
    _forge(ready_study, forged)  # no payload recorded
    drafts.keep(ready_study, typed_on, TYPED + " And the motel on 5th.")  # a new encryption of it
    drafts.save(ready_study, typed_on)  # signed (the study is unlocked), its payload the new one
    done = backup(ready_study, dest)
    why = dict(done.unvouched)
    assert why[str(forged.relative_to(ready_study.root))].endswith("does not say which copy of the draft it removed")
    assert why[str(typed_on.relative_to(ready_study.root))].endswith(
        "records another copy of the draft removed, not the backup's"
    )
    assert done.removed == () and all((dest / name).is_file() for name in why)


def test_a_draft_saved_or_set_aside_without_the_key_goes_and_one_emptied_stays(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """A kit, or a study opened locked, signs nothing: its save or discard renames the draft as it is sealed, so the
    study holds that copy: the backup's goes (its words stay, under the new name). Emptied without the key, the draft
    is gone with nothing that holds it: the backup keeps its copy."""
    saved_in, set_aside_in, emptied_in = add_person(ready_study, ROSA, sessions=3)
    saved, set_aside, emptied = (_draft(ready_study, s) for s in (saved_in, set_aside_in, emptied_in))
    entry = drafts.slot(ready_study.root / layout.JOURNAL)
    drafts.keep(ready_study, entry, "Was I leading her?")
    dest = tmp_path / "usb"
    backup(ready_study, dest)
    locked = Study.open(ready_study.root)
    drafts.save(locked, saved)
    aside = drafts.discard(locked, set_aside)
    drafts.save(locked, entry)
    drafts.keep(locked, emptied, "  ")
    assert not locked.audit.keyed and all("mac" not in e for e in locked.audit.entries()[-5:])
    done = backup(ready_study, dest)
    names = [str(p.relative_to(ready_study.root)) for p in (saved, set_aside, entry, emptied)]
    assert sorted(file for file, _ in done.removed) == sorted(names[:3])
    assert [file for file, _ in done.unvouched] == [names[3]] and (dest / names[3]).is_file()
    assert aside is not None and (dest / aside.relative_to(ready_study.root)).read_bytes() == aside.read_bytes()


def test_a_signed_looking_forgery_never_goes_through_and_waits_for_the_key_where_none_checks_it(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA T13 over R9's rule: without the key an entry carrying a mac cannot be told from a line anyone types with a
    made-up mac, so the backup sets its copy aside (never destroys it); with the key the mac that does not hold is the
    forgery it is: the copy set aside is put back in its place, and a backup never set aside keeps its copy."""
    (session,) = add_person(ready_study, ROSA)
    draft = _draft(ready_study, session)
    relative = str(draft.relative_to(ready_study.root))
    dest = tmp_path / "usb"
    backup(ready_study, dest)
    kept = (dest / relative).read_bytes()
    draft.unlink()
    _forge(ready_study, draft, payloads=payload_id(dest / relative) or "")
    log = ready_study.root / layout.AUDIT_FILE
    lines = log.read_text().splitlines()
    last = json.loads(lines[-1])
    last["mac"] = "0" * 64
    log.write_text("\n".join([*lines[:-1], json.dumps(last)]) + "\n")
    other = tmp_path / "usb2"
    shutil.copytree(dest, other)
    unkeyed = backup(Study.open(ready_study.root), other)  # no key: the mac cannot be checked
    assert unkeyed.removed == () and unkeyed.awaiting == (relative,)
    assert not (other / relative).exists()
    assert (other / layout.AWAITING_AUTHENTICATION / relative).read_bytes() == kept
    keyed = Study.open(ready_study.root)
    keyed.use_identities(identities)  # as `backup --authenticate` opens it: the mac is checked
    with pytest.raises(AuditBroken, match="fails authentication with the study key"):  # nothing chained after it (X1)
        backup(keyed, other, identities=identities)
    keyed = Study.open(ready_study.root)
    keyed.setting_aside_strays = True  # `check --set-aside-stray-lines`, as the refusal says
    keyed.use_identities(identities)
    settled = backup(keyed, other, identities=identities)
    assert settled.removed == () and settled.awaiting == ()
    assert [file for file, _ in settled.put_back] == [relative] and "fails its authentication" in settled.put_back[0][1]
    assert (other / relative).read_bytes() == kept and not (other / layout.AWAITING_AUTHENTICATION).exists()
    done = backup(keyed, dest, identities=identities)
    assert [file for file, _ in done.unvouched] == [relative] and (dest / relative).read_bytes() == kept
    assert done.unvouched[0][1].endswith("is not signed with the study key, and the study holds no notes saved from it")


def test_a_draft_saved_without_the_key_then_rewrapped_waits_for_the_key_which_finds_its_text_saved(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA T14's rule from the other side: a save renames the draft as it is sealed, and a re-wrap (a recipient removed)
    then changes its header over the same payload. Without the key, other bytes under the draft's payload id cannot be
    told from a forgery: the backup's copy waits, set aside; with the key, the saved note reads through its
    authentication to the draft's very text, and the copy goes."""
    ready_study.add_recipient(str(X25519Identity.generate().recipient()), "trx", identities)
    (session,) = add_person(ready_study, ROSA)
    draft = _draft(ready_study, session)
    relative = str(draft.relative_to(ready_study.root))
    dest = tmp_path / "usb"
    backup(ready_study, dest)
    locked = Study.open(ready_study.root)
    drafts.save(locked, draft)  # unsigned: as a kit, or a study opened locked, saves it
    remove_recipient(ready_study, "trx", identities)
    [saved] = [p for p in draft.parent.glob("fieldnotes-*.md.age") if payload_id(p) == payload_id(dest / relative)]
    assert saved.read_bytes() != (dest / relative).read_bytes()
    unkeyed = backup(Study.open(ready_study.root), dest)
    assert unkeyed.removed == () and unkeyed.awaiting == (relative,)
    keyed = Study.open(ready_study.root)
    keyed.use_identities(identities)
    done = backup(keyed, dest, identities=identities)
    assert [file for file, _ in done.removed] == [relative] and done.put_back == () and done.awaiting == ()
    assert not (dest / relative).exists() and not (dest / layout.AWAITING_AUTHENTICATION).exists()
