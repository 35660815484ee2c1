"""QA Z11: her transcript and redactions (and, in a study whose imports predate payload ids, her recording) moved by
hand into `.merging-<pid not running>` as 1, 2, 3 passed for a killed merge-kit's staging (numbered files no entry
records) and were shredded at the PI's next unlock. Now a merge signs its staging folder's name and the payload ids it
stages before it makes it, and the sweep destroys only those; a finished merge's name is spent."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.agefile.header import payload_id
from fieldvault.recording_lock import pid_alive
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person, transcribe_and_review


def _unlocked(root: Path) -> tuple[Study, list[str]]:
    """The study as any command given the passphrase opens it, and what it said."""
    told: list[str] = []
    previous = Study.listen(told.append)
    try:
        study = Study.open(root)
        study.unlock(PASSPHRASE.encode())
    finally:
        Study.listen(previous)
    return study, told


@pytest.mark.parametrize("named", ["by no merge", "by a merge since recorded"])
def test_her_transcript_and_redactions_moved_into_a_merge_staging_folder_are_not_destroyed(
    ready_study: Study, named: str
) -> None:
    (session,) = add_person(ready_study, ROSA)
    study, _ = _unlocked(ready_study.root)
    transcribe_and_review(study, study.unlocked_with, ROSA, session)
    folder = layout.session(ready_study.root, "Rosa", session)
    dead = next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))
    staging = ready_study.root / f"{layout.MERGING}-{dead}"
    if named != "by no merge":  # a finished merge's staging, named in the plaintext log, with a payload of hers
        ids = f"{payload_id(folder / layout.TRANSCRIPT)} {payload_id(folder / layout.REDACTIONS)}"
        study.audit.append(layout.MERGE_STAGED, kit="k", file=staging.name, payloads=ids)
        study.audit.append("field-kit.merged", kit="k", count=2, sessions=1)
    staging.mkdir()
    (folder / layout.TRANSCRIPT).rename(staging / "1")
    (folder / layout.REDACTIONS).rename(staging / "2")
    before = {p.name: p.read_bytes() for p in staging.iterdir()}
    study, told = _unlocked(ready_study.root)
    assert {p.name: p.read_bytes() for p in staging.iterdir()} == before
    said = [line for line in told if line.startswith(f"{staging.name}: named as a merge-kit's staging folder")]
    assert (
        len(said) == 1
        and "2 file(s) there are none" in said[0]
        and "kept, not destroyed" in said[0]
        and f"each file in it to the place `fieldvault check {ready_study.root}` finds it missing from" in said[0]
        and f"mv {staging} " not in said[0]  # QA AA3: that made a participant called PSEUDONYM of files 1 and 2
    ), told
    strays = check_study(study, study.unlocked_with).strays  # one line for the folder, none per file in it
    assert [line for line in strays if staging.name in line] == [
        f"{staging.name}: a merge-kit's staging folder the unlock did not destroy (a merge still running, or files no "
        "merge recorded staging there: the note on it says which)"
    ]
