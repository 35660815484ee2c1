"""A recording recorded lost turns up as the recorder's file: only the file whose samples her session's import recorded
is sealed back, or refused as a new session; another exactly as long is neither (QA Z7), and a field kit made since
refuses it too, and merge-kit names one it took (QA Z13)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from fieldvault import layout, wavstream
from fieldvault.audiofile import SAMPLES
from fieldvault.capture.importer import import_recording, restore_recording
from fieldvault.errors import BadInput
from fieldvault.kitmerge import merge_kit
from fieldvault.sessioninfo import FOLLOW_UP, SessionInfo
from fieldvault.stewardship.check import check_study
from fieldvault.stewardship.lost import RESTORED, record_recording_lost
from fieldvault.study import Study
from tests.stewardship import ROSA, add_person


def _card(tmp_path: Path, name: str, seed: int) -> tuple[Path, bytes]:
    """A recorder's file of one second: every such file is as long as the others, to the sample."""
    pcm = np.random.default_rng(seed).integers(-3000, 3000, 16000, dtype=np.int16).tobytes()
    wav = tmp_path / name
    wav.write_bytes(wavstream.complete_wav(wavstream.WavFormat(16000, 1), pcm))
    return wav, pcm


def _recorded_lost(study: Study, identities: list, tmp_path: Path) -> tuple[Path, Path, bytes]:
    """Rosa's session imported with the study key from the card's file, then its recording and timeline gone and
    recorded lost, as `check --record-lost` does."""
    add_person(study, ROSA, sessions=0)
    card, pcm = _card(tmp_path, "card.wav", 0)
    folder = import_recording(study, ROSA.pseudonym, card, identities).folder
    for name in (layout.AUDIO, layout.EVENTS):
        (folder / name).unlink()
    assert record_recording_lost(study, str(folder / layout.AUDIO)) is not None
    return folder, card, pcm


def test_only_the_file_whose_samples_her_import_recorded_is_sealed_back_and_another_as_long_is_a_new_session(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    folder, card, pcm = _recorded_lost(ready_study, identities, tmp_path)
    other, _ = _card(tmp_path, "part-b.wav", 1)  # a recorder's next part: as long, other words
    with pytest.raises(BadInput, match=r"part-b.wav is not the recording of .*: it lasts as long, but its samples"):
        restore_recording(ready_study, ROSA.pseudonym, folder.name, other, identities)
    assert not (folder / layout.AUDIO).exists()
    with pytest.raises(BadInput, match=r"card.wav is the recording of .*recorded lost \(its samples .*--restores"):
        import_recording(ready_study, ROSA.pseudonym, card, identities)
    assert import_recording(ready_study, ROSA.pseudonym, other, identities).folder != folder  # a session of its own
    restore_recording(ready_study, ROSA.pseudonym, folder.name, card, identities)
    assert check_study(ready_study, identities).failures == []
    entries = ready_study.audit.entries()
    made = [
        e["details"][SAMPLES]
        for e in entries
        if e["action"] in ("import", RESTORED) and e["details"]["session"] == folder.name
    ]
    assert len(made) == 2 and made[0] == made[1]  # the import's, then the restore's: still provable
    assert hashlib.sha256(pcm).hexdigest() not in (ready_study.root / layout.AUDIT_FILE).read_text()  # keyed only


def test_a_kit_made_after_a_recording_was_recorded_lost_refuses_its_file_and_merge_kit_names_one_taken(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    folder, card, _ = _recorded_lost(ready_study, identities, tmp_path)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    kit.clock = lambda: ready_study.clock() + timedelta(seconds=1)  # made later: never her lost session's second
    follow_up = SessionInfo(FOLLOW_UP)
    with pytest.raises(BadInput, match=r"as long as the recording of .*, which the study had recorded lost when this"):
        import_recording(kit, ROSA.pseudonym, card, kind=follow_up)
    assert not [p for p in (kit.root / "participants" / ROSA.pseudonym).iterdir() if p.is_dir()]
    taken = import_recording(kit, ROSA.pseudonym, card, kind=follow_up, heard=True).folder  # told "another"
    report = merge_kit(ready_study, kit.root, identities)
    assert len(report.found_again) == 1
    said = report.found_again[0]
    assert said.startswith(f"participants/{ROSA.pseudonym}/{taken.name}, merged from the kit, is the recording of ")
    assert f"--restores {folder.name}`" in said and f"session remove {ready_study.root} " in said
