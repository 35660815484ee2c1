"""A study participant renamed on a field kit is renamed in the study by merge-kit (QA Y2): the kit said "merge-kit
takes them under the new one", and the merge dropped the rename without a word, the study keeping the name the
interviewer renamed her away from (her pseudonym could identify her)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.participantrename import rename_on_kit
from fieldvault.study import Study
from tests.conftest import kit_recording
from tests.stewardship import JUNE, ROSA, add_person

S1 = "20261124-100000"


def _kit_with_her_follow_up(study: Study, identities: list, tmp_path: Path) -> Study:
    add_person(study, ROSA, sessions=1)
    study.use_identities(identities)  # as `fieldvault field-kit` does
    kit = study.make_field_kit(tmp_path / "kit")
    kit_recording(kit, f"participants/Rosa/{S1}/audio.wav.age")
    kit.audit.append("import", pseudonym="Rosa", session=S1, seconds=2.0)
    return kit


def _named_inside(study: Study, folder: Path, identities: list) -> set[str]:
    return {
        json.loads(data)["pseudonym"]
        for path in folder.rglob("*.json.age")
        if "pseudonym" in json.loads(data := study.read(path.relative_to(study.root), identities))
    }


def test_a_rename_on_the_kit_renames_her_in_the_study(ready_study: Study, identities: list, tmp_path: Path) -> None:
    kit = _kit_with_her_follow_up(ready_study, identities, tmp_path)
    rename_on_kit(kit, "Rosa", "Roza")

    report = merge_kit(ready_study, kit.root, identities)

    assert report.renamed == (("Rosa", "Roza", ""),)
    assert ready_study.participant_names() == ["Roza"]
    folder = layout.participant(ready_study.root, "Roza")
    assert (folder / S1 / layout.AUDIO).is_file()  # the kit's follow-up, under her new name
    assert _named_inside(ready_study, folder, identities) == {"Roza"}  # nothing of hers still says Rosa inside
    (renamed,) = [e for e in ready_study.audit.signed() if e["action"] == "participant.rename"]
    assert renamed["details"]["moved_from"] == "Rosa" and renamed["details"]["pseudonym"] == "Roza"
    assert merge_kit(ready_study, kit.root, identities).renamed == ()  # merged again: nothing more to rename


def test_a_kit_rename_the_study_cannot_take_is_refused_in_one_line(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = _kit_with_her_follow_up(ready_study, identities, tmp_path)
    add_person(ready_study, JUNE, sessions=0)  # in the study only: the kit, made before, cannot know her
    rename_on_kit(kit, "Rosa", "JUNE")
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert line.startswith("participants/JUNE: the kit renamed the study's 'Rosa' to 'JUNE', a name the study cannot")
    assert f"participant rename {kit.root} JUNE NEW" in line and "\n" not in line
    assert "Rename as said above" in str(refused.value)
    assert ready_study.participant_names() == ["June", "Rosa"]
    assert not (layout.participant(ready_study.root, "Rosa") / S1 / layout.AUDIO).exists()  # nothing merged

    rename_on_kit(kit, "JUNE", "Wren")  # as told
    assert merge_kit(ready_study, kit.root, identities).renamed == (("Rosa", "Wren", ""),)
    assert ready_study.participant_names() == ["June", "Wren"]


def test_a_kit_rename_of_a_woman_the_study_renamed_since_is_said_not_dropped(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    from fieldvault.participantrename import rename_participant

    kit = _kit_with_her_follow_up(ready_study, identities, tmp_path)
    rename_participant(ready_study, "Rosa", "Rosie", identities)  # the PI, after the kit was made
    rename_on_kit(kit, "Rosa", "Roza")  # the interviewer, in the field
    report = merge_kit(ready_study, kit.root, identities)
    assert report.renamed == (("Rosie", "Roza", "the study renamed her Rosie since the kit was made"),)
    assert ready_study.participant_names() == ["Rosie"]  # the study's later decision stands
    assert (layout.participant(ready_study.root, "Rosie") / S1 / layout.AUDIO).is_file()
