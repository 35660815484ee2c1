"""A kit the study does not record making (QA X5): the PI's laptop died after `field-kit`, and the study was restored
from a backup made before it. merge-kit refused the names she gave on the kit as the kit's fault ("vouched for by no
entry the kit wrote"), merged nothing, and its advice (add them again on the kit) refused the new file the same way.
The kit's log is keyed by the study's identity: where it holds, the kit is this study's, and it merges, said."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.lists import append_to_list
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant, known_identifiers
from fieldvault.study import Study
from tests.conftest import ANSWERS, kit_recording

CONSENT = ConsentRecord("verbal", "v", "s", "2026-11-24T10:00:00+00:00")
S1 = "20261124-100000"


def test_a_kit_made_by_a_copy_the_study_lacks_merges_her_names_and_says_so(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    add_participant(ready_study, "Kay", dict(ANSWERS), CONSENT, [KnownIdentifier("Ruth Abara")], identities)
    laptop = Study.open(Path(shutil.copytree(ready_study.root, tmp_path / "laptop")))  # the study's later copy
    laptop.use_identities(identities)  # as `fieldvault field-kit` does
    kit = laptop.make_field_kit(tmp_path / "kit")  # recorded in the laptop's log only
    append_to_list(kit, "Kay", [KnownIdentifier("Tobiah Quorn")])  # names she gave at a follow-up
    kit_recording(kit, f"participants/Kay/{S1}/audio.wav.age")
    kit.audit.append("import", pseudonym="Kay", session=S1, seconds=2.0)

    report = merge_kit(ready_study, kit.root, identities)  # the copy restored from before the kit

    made_on = kit.audit.entries()[0]["time"][:10]
    assert report.unrecorded == (made_on, True)
    assert [i.text for i in known_identifiers(ready_study, "Kay", identities)] == ["Ruth Abara", "Tobiah Quorn"]
    assert report.sessions == [f"Kay/{S1}"]
    assert report.names_added == (("Kay", 1, 0, ("identifiers-added-1.json.age",)),)


def test_a_kit_the_study_records_says_nothing_of_it(ready_study: Study, identities: list, tmp_path: Path) -> None:
    ready_study.use_identities(identities)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    assert merge_kit(ready_study, kit.root, identities).unrecorded is None


def test_names_on_an_unkeyed_kit_the_study_lacks_are_refused_with_advice_that_can_help(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    add_participant(ready_study, "Kay", dict(ANSWERS), CONSENT, [KnownIdentifier("Ruth Abara")], identities)
    laptop = Study.open(Path(shutil.copytree(ready_study.root, tmp_path / "laptop")))
    kit = laptop.make_field_kit(tmp_path / "kit")  # made locked: its log carries no key to check
    append_to_list(kit, "Kay", [KnownIdentifier("Tobiah Quorn")])
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert "this study does not record making the kit (made on " in line and "restored from an older backup?" in line
    added = "participants/Kay/identifiers-added-1.json.age"
    assert f"fieldvault decrypt {kit.root} {added} --study {ready_study.root} --out -" in line
    assert f"participant add-list {kit.root}" not in line  # names sealed on the kit again are vouched for by nothing
