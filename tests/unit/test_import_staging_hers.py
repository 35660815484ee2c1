"""QA Z14: her recording, timeline and session record moved by hand into `.importing-x` (one `mkdir`, one `mv`, no
passphrase) passed for what an import killed part-way wrote, in any study whose import entries predate payload ids,
and the next import shredded them. With the study key the sweep reads what is staged: a timeline or session record of
a session the study has, or a recording a timeline left without it names, is hers, kept and named with its `mv`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fieldvault import importstaging, layout, wavstream
from fieldvault.agefile.header import payload_id
from fieldvault.audiofile import AUDIO_ID
from fieldvault.events import SessionEvents
from fieldvault.participants import new_session_folder
from fieldvault.sessioninfo import SessionInfo
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person

TONE = wavstream.header(wavstream.WavFormat(16000, 1)) + np.zeros(16000, np.int16).tobytes()


def _imported(study: Study, folder: Path, session: Path) -> None:
    """What an import seals in ``folder`` for ``session``: its recording, the timeline naming it, its record."""
    study.write_new(folder / layout.AUDIO, TONE)
    info: dict[str, object] = {"duration": 0.5, AUDIO_ID: payload_id(folder / layout.AUDIO)}
    study.write_new(folder / layout.EVENTS, SessionEvents(session.parent.name, session.name, info).to_json())
    study.write_new(folder / layout.SESSION_INFO, SessionInfo().sealed_for(session))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize(
    "moved, apart",
    [
        ((layout.AUDIO, layout.EVENTS, layout.SESSION_INFO), ()),
        ((layout.AUDIO,), ()),
        ((layout.AUDIO,), (layout.EVENTS,)),
    ],
)
def test_her_session_moved_into_an_import_staging_folder_in_a_study_from_before_payload_ids_is_kept(
    ready_study: Study, moved: tuple[str, ...], apart: tuple[str, ...]
) -> None:
    """``apart``: moved into a second staging folder (her recording alone in the first)."""
    add_person(ready_study, ROSA, sessions=0)
    session = new_session_folder(ready_study, "Rosa")
    _imported(ready_study, session, session)
    ready_study.audit.append("import", pseudonym="Rosa", session=session.name, seconds=0.5)  # no payload ids: before
    staging = ready_study.root / ".importing-x"
    staging.mkdir()
    for name in moved:
        (session / name).rename(staging / name)
    for name in apart:
        (ready_study.root / ".importing-y").mkdir(exist_ok=True)
        (session / name).rename(ready_study.root / ".importing-y" / name)
    before = _files(staging)
    study = Study.open(ready_study.root)
    study.unlock(PASSPHRASE.encode())  # as `fieldvault import` given the passphrase
    told: list[str] = []
    previous = Study.listen(told.append)
    try:
        assert importstaging.sweep_cut_off_imports(study) == []
    finally:
        Study.listen(previous)
    assert _files(staging) == before and all((ready_study.root / ".importing-y" / name).is_file() for name in apart)
    backs = [f"mv {staging / name} {session / name}" for name in moved]
    assert any(".importing-x: named as an import's staging folder" in line and all(b in line for b in backs)
               for line in told), told  # fmt: skip


def test_what_a_killed_import_wrote_is_removed_with_the_key_and_kept_without_it(ready_study: Study) -> None:
    """A killed import's staging: a recording no timeline in the study names, and a timeline and session record of
    the new session whose empty folder reserved its name (the import is cut off before its rename and its entry)."""
    add_person(ready_study, ROSA)
    staging = ready_study.root / f"{layout.IMPORTING}4000000-0123abcd"
    staging.mkdir()
    reserved = new_session_folder(ready_study, "Rosa")
    _imported(ready_study, staging, reserved)  # naming the session it was to become
    with (staging / layout.AUDIO).open("r+b") as cut:  # cut off while it was written
        cut.truncate(cut.seek(0, 2) // 2)
    (staging / f".{layout.EVENTS}.tmp").write_bytes(b"age-encryption.org/v1\n-> X25519 ")  # a write begun
    study = Study.open(ready_study.root)  # locked: nothing can be told from her records
    assert importstaging.sweep_cut_off_imports(study) == [] and staging.is_dir()
    assert "nothing of it is destroyed without the study key" in str(importstaging.judged(study)[staging])
    study.unlock(PASSPHRASE.encode())
    assert importstaging.sweep_cut_off_imports(study) == [staging.name]
    assert not staging.exists() and reserved.is_dir()


def test_on_a_field_kit_a_killed_import_is_removed_and_her_session_moved_there_is_kept(
    ready_study: Study, tmp_path: Path
) -> None:
    """A kit has no key to read what is staged: a recording her kit recorded (whose entry records no payload id),
    moved with her timeline and session record, leaves a session the kit's log names holding nothing."""
    add_person(ready_study, ROSA)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    session = kit.root / "participants" / "Rosa" / "20261128-120000"
    _imported(kit, session, session)
    kit.audit.append("record", pseudonym="Rosa", session=session.name, seconds=0.5)
    killed = kit.root / f"{layout.IMPORTING}4000000-0123abcd"
    killed.mkdir()
    kit.write_new(killed / layout.AUDIO, TONE)
    assert importstaging.sweep_cut_off_imports(kit) == [killed.name] and not killed.exists()
    staging = kit.root / ".importing-x"
    staging.mkdir()
    for name in (layout.AUDIO, layout.EVENTS, layout.SESSION_INFO):
        (session / name).rename(staging / name)
    before = _files(staging)
    assert importstaging.sweep_cut_off_imports(kit) == []
    assert _files(staging) == before
    said = str(importstaging.judged(kit)[staging])
    assert f"(participants/Rosa/{session.name} lacks its recording or timeline)" in said
    assert f"mv {staging / layout.AUDIO} {session / layout.AUDIO}" in said, said


@pytest.mark.parametrize("size", ["short", "long"])
def test_her_whole_recording_moved_into_a_staging_folder_after_her_timeline_was_lost_is_kept(
    ready_study: Study, monkeypatch: pytest.MonkeyPatch, size: str
) -> None:
    """stage23: her recording moved into `.importing-x` with her timeline gone (deleted, or lost in a restore) named
    no session, so it passed for a killed import's and the next import shredded it. A whole recording with no
    timeline beside it is what an import cut off between its two writes leaves too: nothing tells them apart, so it
    is kept and the words say both ways out. A recording cut off while it was written is still removed."""
    if size == "long":  # a long recording is not read whole: its last chunk says it is whole
        monkeypatch.setattr(importstaging, "MAX_READ", 1024)
    add_person(ready_study, ROSA, sessions=0)
    session = new_session_folder(ready_study, "Rosa")
    _imported(ready_study, session, session)
    ready_study.audit.append("import", pseudonym="Rosa", session=session.name, seconds=0.5)  # no payload ids: before
    staging = ready_study.root / ".importing-x"
    staging.mkdir()
    (session / layout.AUDIO).rename(staging / layout.AUDIO)
    (session / layout.EVENTS).unlink()
    before = _files(staging)
    study = Study.open(ready_study.root)
    study.unlock(PASSPHRASE.encode())
    assert importstaging.sweep_cut_off_imports(study) == [] and _files(staging) == before
    said = str(importstaging.judged(study)[staging])
    assert "holds a whole recording and no timeline" in said and f"rm -r {staging}" in said, said
    assert f"mv {staging / layout.AUDIO} {ready_study.root / 'participants' / 'PSEUDONYM' / 'SESSION'}" in said
    with (staging / layout.AUDIO).open("r+b") as cut:  # the same, cut off while it was written: an import's
        cut.truncate(cut.seek(0, 2) - 100)
    assert importstaging.sweep_cut_off_imports(study) == [staging.name] and not staging.exists()
