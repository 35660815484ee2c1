"""A removal cut off part-way is finished by what its signed entry recorded, never by a folder's name (QA X4: a
session renamed `.removing-<session>` by anyone who can write the study was shredded by the PI's next `session
remove` of any other session, before its prompt, and recorded as a signed removal)."""

from __future__ import annotations

import os

from fieldvault import layout
from fieldvault.agefile.header import payload_id
from fieldvault.sessionremove import ACTION, PENDING, finish_removals, remove_session
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person


def _removals(study: Study) -> list[dict]:
    return [e["details"] for e in study.audit.entries() if e["action"] == ACTION]


def test_a_session_renamed_for_removal_by_hand_is_put_back_not_destroyed(ready_study: Study) -> None:
    first, second = add_person(ready_study, ROSA, sessions=2)
    folder = layout.session(ready_study.root, "Rosa", first)
    files = sorted(p.name for p in folder.iterdir())
    os.rename(folder, folder.with_name(PENDING + first))  # no passphrase
    Study.open(ready_study.root).audit.append(ACTION, pseudonym="Rosa", session=first, payloads="")  # nor a key
    study = Study.open(ready_study.root)
    study.unlock(PASSPHRASE.encode())
    (done,) = finish_removals(study)
    assert done.put_back and done.files == 0
    assert sorted(p.name for p in folder.iterdir()) == files
    removed = remove_session(study, "Rosa", second)  # the removal the PI asked for goes on
    assert removed.files == len(files) and not layout.session(study.root, "Rosa", second).exists()
    assert finish_removals(study) == [] and folder.is_dir()
    assert [d["session"] for d in _removals(study)] == [first, second]  # the forged line, and the PI's signed one


def test_a_file_put_into_a_removal_cut_off_part_way_is_kept(ready_study: Study) -> None:
    first, second = add_person(ready_study, ROSA, sessions=2)
    study = Study.open(ready_study.root)
    study.unlock(PASSPHRASE.encode())
    gone = layout.session(study.root, "Rosa", first)
    files = len(list(gone.iterdir()))
    pending = gone.with_name(PENDING + first)
    os.rename(gone, pending)
    payloads = " ".join(sorted(f for p in pending.iterdir() if (f := payload_id(p))))
    study.audit.append(ACTION, pseudonym="Rosa", session=first, count=files, payloads=payloads)  # signed, then cut off
    hers = layout.session(study.root, "Rosa", second) / layout.AUDIO
    os.rename(hers, pending / "moved-in.wav.age")  # another session's recording put there by hand
    (done,) = finish_removals(study)
    assert done.files == files and done.kept == (f"participants/Rosa/{PENDING}{first}/moved-in.wav.age",)
    assert [p.name for p in pending.iterdir()] == ["moved-in.wav.age"]
    os.rename(pending / "moved-in.wav.age", hers)  # as the line says: moved back where it belongs
    (again,) = finish_removals(study)
    assert again.kept == () and again.files == 0 and not pending.exists() and hers.is_file()
