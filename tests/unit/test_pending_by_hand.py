"""QA Y3: her folder renamed `.withdrawing-…` or `.keeping-…`, or moved into a `.destroying-…`, `.merging-<pid>` or
`.importing-…` folder by hand (one `mv`, no passphrase), was shredded by the next command of any kind, as if work cut
off had left it. Only a command holding the study key finishes such work, and only where a signed entry records it (a
merge's or an import's staging: only what they write there); anything else is left as it is, and said."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault import importstaging, layout
from fieldvault.recording_lock import pid_alive
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person


def _files(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def _opened(root: Path, keyed: bool = True) -> list[str]:
    """What a command says that opens the study (and, ``keyed``, unlocks it with the passphrase)."""
    told: list[str] = []
    previous = Study.listen(told.append)
    try:
        with Study.naming_unfinished():  # as the command-line runs a command
            study = Study.open(root)
            if keyed:
                study.unlock(PASSPHRASE.encode())
    finally:
        Study.listen(previous)
    return told


@pytest.mark.parametrize("pending", [".withdrawing-Rosa", ".keeping-0123456789abcdef"])
def test_a_folder_renamed_as_pending_by_hand_is_not_destroyed(ready_study: Study, pending: str) -> None:
    add_person(ready_study, ROSA)
    hers = layout.participant(ready_study.root, "Rosa")
    before = _files(hers)
    moved = hers.with_name(pending)
    hers.rename(moved)
    told = _opened(ready_study.root)
    assert _files(moved) == before
    assert any(f"{pending}: no withdrawal set it aside, so nothing of it was destroyed" in line for line in told)


def test_a_forged_withdrawal_naming_her_renamed_folder_destroys_nothing_locked_or_keyed(ready_study: Study) -> None:
    """The rest of Y3: at a locked open no line of the log can be told from a forged one, so one unsigned `withdraw`
    entry naming the folder she was renamed to made any command (even `fieldvault audit`) shred her."""
    add_person(ready_study, ROSA)
    hers = layout.participant(ready_study.root, "Rosa")
    before = _files(hers)
    moved = hers.with_name(".withdrawing-0123456789abcdef")
    hers.rename(moved)
    Study.open(ready_study.root).audit.append("withdraw", pseudonym="Rosa", sessions=1, file=moved.name)  # no key
    told = _opened(ready_study.root, keyed=False)
    assert _files(moved) == before
    assert [line for line in told if line.startswith(f"participants/{moved.name}: ")] == [
        f"participants/{moved.name}: left by a move, withdrawal, destruction or merge (cut off part-way, still "
        "running, or so named by hand): nothing of it is finished or destroyed without the study key; give the "
        f"passphrase to any command (`fieldvault check {ready_study.root}`) to finish what a signed entry records"
    ]
    _opened(ready_study.root)  # with the key, only signed withdrawals count
    assert _files(moved) == before


def test_her_folder_moved_into_a_destroying_folder_by_hand_is_not_destroyed(ready_study: Study) -> None:
    add_person(ready_study, ROSA)
    hers = layout.participant(ready_study.root, "Rosa")
    before = _files(hers)
    pending = ready_study.root / f"{layout.DESTROYING}-x"
    pending.mkdir()
    hers.rename(pending / "Rosa")
    _opened(ready_study.root)  # any command given the passphrase
    assert _files(pending / "Rosa") == before


def test_her_folder_moved_into_a_merge_staging_folder_by_hand_is_not_destroyed(ready_study: Study) -> None:
    add_person(ready_study, ROSA)
    hers = layout.participant(ready_study.root, "Rosa")
    before = _files(hers)
    dead = next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))
    staging = ready_study.root / f"{layout.MERGING}-{dead}"
    hers.rename(staging)
    told = _opened(ready_study.root)
    assert _files(staging) == before
    said = [line for line in told if line.startswith(f"{staging.name}: named as a merge-kit's staging folder, yet")]
    assert len(said) == 1 and f"mv {staging} {ready_study.root}/participants/PSEUDONYM" in said[0], told


@pytest.mark.parametrize("what", ["her folder", "her session"])
def test_her_folder_or_session_moved_into_an_import_staging_folder_is_not_destroyed(
    ready_study: Study, what: str
) -> None:
    """An import's staging holds a recording no entry records yet (its entry follows the rename) and its timeline;
    her session (whose recording her import's entry records) or her whole folder never passed for one."""
    (session,) = add_person(ready_study, ROSA)
    hers = layout.participant(ready_study.root, "Rosa")
    source = hers if what == "her folder" else hers / session
    before = _files(source)
    staging = ready_study.root / f"{layout.IMPORTING}4000000-0123abcd"
    source.rename(staging)
    study = Study.open(ready_study.root)
    identities = study.unlock(PASSPHRASE.encode())
    assert importstaging.sweep_cut_off_imports(study) == []  # as the next `fieldvault import` does
    assert _files(staging) == before
    strays = check_study(study, identities).strays
    assert any(line.startswith(f"{staging.name}: named as an import's staging folder") for line in strays), strays


@pytest.mark.parametrize("kind", ["withdrawal", "destruction"])
def test_her_folder_renamed_to_a_pending_name_a_signed_entry_recorded_long_ago_keeps_her_files(
    ready_study: Study, kind: str
) -> None:
    """The log is plaintext: the pending name of an earlier withdrawal or destruction under the retention policy, which
    the study key signed, is there to read. Her folder renamed to it (no passphrase) was shredded at the PI's next
    command given the passphrase; now only what that entry recorded setting aside is destroyed."""
    add_person(ready_study, ROSA)
    hers = layout.participant(ready_study.root, "Rosa")
    before = _files(hers)
    ready_study.unlock(PASSPHRASE.encode())  # the earlier one's entry, signed, recorded other payloads
    if kind == "withdrawal":
        moved = hers.with_name(".withdrawing-0123456789abcdef")
        ready_study.audit.append("withdraw", pseudonym="Lena", sessions=1, payloads="0" * 32, file=moved.name)
        ready_study.audit.append("withdraw.done", pseudonym="Lena", count=3)
    else:
        moved = ready_study.root / f"{layout.DESTROYING}-0123456789abcdef"
        ready_study.audit.append("retention.destroy", count=3, payloads="0" * 32, pending=moved.name)
        ready_study.audit.append("retention.done", count=3, pending=moved.name)
    hers.rename(moved)
    told = _opened(ready_study.root)
    assert _files(moved) == before
    assert any(line.startswith(moved.name if kind == "destruction" else f"participants/{moved.name}") and
               "kept, not destroyed" in line for line in told), told  # fmt: skip


def test_a_session_of_hers_moved_into_a_keeping_folder_a_signed_withdrawal_named_is_not_destroyed(
    ready_study: Study,
) -> None:
    """A `.keeping-` folder holds what a withdrawal keeps, de-identified: a transcript and its redactions per session.
    Her session, whose recording was recorded lost (so nothing "of her own folder" was there), moved by hand under a
    `.keeping-` name a signed withdrawal recorded (the log is plaintext) was shredded at the next unlock."""
    (session,) = add_person(ready_study, ROSA)
    source = layout.session(ready_study.root, "Rosa", session)
    (source / layout.AUDIO).unlink()  # recorded lost
    before = _files(source)
    ready_study.unlock(PASSPHRASE.encode())
    staging = layout.participants(ready_study.root) / ".keeping-0123456789abcdef"
    ready_study.audit.append("withdraw", pseudonym="Lena", file=".withdrawing-x", pending=staging.name)
    staging.mkdir()
    source.rename(staging / session)
    _opened(ready_study.root)
    assert _files(staging / session) == before
