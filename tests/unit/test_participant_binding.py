"""A participant's profile and list of names she may mention are bound to her (QA H10): swapped with `mv` between
two women's folders, on a kit or in the study, no command takes them as hers; renames and merges keep them hers."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from fieldvault.cli import main
from fieldvault.errors import BadStudyFile
from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.participantid import participant_id
from fieldvault.participantrename import rename_participant
from fieldvault.participants import IdentifierList, KnownIdentifier, known_identifiers, load_profile
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.stewardship import Person, add_person

ALMA = Person("Alma", ("Marisol Pruitt", "Hope"), "Hope was with me.")
BEA = Person("Bea", ("Dolores Castellanos", "Faith"), "Faith was with me.")


def _swap(folder: Path, a: str, b: str, name: str) -> None:
    spare = folder / f".{name}.swap"
    os.rename(folder / a / name, spare)
    os.rename(folder / b / name, folder / a / name)
    os.rename(spare, folder / b / name)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _list_of(study: Study, who: str, identities: list) -> IdentifierList:
    return IdentifierList.from_json(study.read(f"participants/{who}/identifiers.json.age", identities))


@pytest.mark.parametrize("swapped", [("profile.json.age",), ("identifiers.json.age",), ("participant.id",)])
def test_two_participants_files_swapped_on_a_kit_are_refused_and_merge_once_put_back(
    ready_study: Study, identities: list, tmp_path: Path, swapped: tuple[str, ...]
) -> None:
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(kit, ALMA, sessions=0)
    add_person(kit, BEA, sessions=0)
    before = _tree(ready_study.root / "participants")
    for name in swapped:
        _swap(kit.root / "participants", "Alma", "Bea", name)

    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)

    shown = "\n".join(refused.value.refused)
    what = "profile" if "profile.json.age" in swapped else "list of names she may mention"
    assert f"participants/Alma/{'profile' if what == 'profile' else 'identifiers'}.json.age" in shown, shown
    assert "put it back where the kit wrote it" in shown and what in shown
    assert _tree(ready_study.root / "participants") == before  # nothing merged

    for name in swapped:
        _swap(kit.root / "participants", "Alma", "Bea", name)  # put back
    merge_kit(ready_study, kit.root, identities)
    again = merge_kit(ready_study, kit.root, identities)  # merged twice: nothing new, nothing refused
    assert again.merged == []
    assert [k.text for k in known_identifiers(ready_study, "Alma", identities)] == list(ALMA.identifiers)
    assert load_profile(ready_study, "Bea", identities).pseudonym == "Bea"


def test_a_profile_or_list_swapped_in_the_study_is_named_by_check_and_refused_by_every_reader(
    ready_study: Study, identities: list
) -> None:
    add_person(ready_study, ALMA, sessions=0)
    add_person(ready_study, BEA, sessions=0)
    for name in ("profile.json.age", "identifiers.json.age"):
        _swap(ready_study.root / "participants", "Alma", "Bea", name)

    result = check_study(ready_study, identities)

    failed = {f.file: f.problem for f in result.failures}
    swapped = {f"participants/{w}/{n}" for w in ("Alma", "Bea") for n in ("profile.json.age", "identifiers.json.age")}
    assert set(failed) == swapped
    assert "is Bea's profile, not Alma's" in failed["participants/Alma/profile.json.age"]
    assert "is Alma's list of names she may mention, not Bea's" in failed["participants/Bea/identifiers.json.age"]
    with pytest.raises(BadStudyFile, match="is Bea's list of names she may mention, not Alma's"):
        known_identifiers(ready_study, "Alma", identities)  # never redacts her transcripts with Bea's names
    with pytest.raises(BadStudyFile, match="is Alma's profile, not Bea's: it was moved or copied there by hand"):
        load_profile(ready_study, "Bea", identities)


def test_a_list_moved_with_its_folder_name_kept_is_refused_by_its_participant_id(
    ready_study: Study, identities: list
) -> None:
    add_person(ready_study, ALMA, sessions=0)
    add_person(ready_study, BEA, sessions=0)
    _swap(ready_study.root / "participants", "Alma", "Bea", "participant.id")
    with pytest.raises(BadStudyFile, match="its participant id is not Alma's"):
        known_identifiers(ready_study, "Alma", identities)


def test_a_list_of_version_1_names_no_one_and_still_reads_and_merges(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = Study.open(ready_study.root).make_field_kit(tmp_path / "kit")  # made locked: its entries vouch for nothing
    add_person(kit, ALMA, sessions=0)
    legacy = b'{"schema_version": 1, "identifiers": [{"text": "Marisol Pruitt", "label": "PERSON"}]}'
    (kit.root / "participants/Alma/identifiers.json.age").unlink()
    kit.write_new("participants/Alma/identifiers.json.age", legacy)

    merge_kit(ready_study, kit.root, identities)

    assert [k.text for k in known_identifiers(ready_study, "Alma", identities)] == ["Marisol Pruitt"]
    assert _list_of(ready_study, "Alma", identities).pseudonym is None
    assert check_study(ready_study, identities).ok
    rename_participant(ready_study, "Alma", "Ana", identities)  # a legacy list is left as it is
    assert [k.text for k in known_identifiers(ready_study, "Ana", identities)] == ["Marisol Pruitt"]


def test_a_new_list_carries_her_pseudonym_and_participant_id(ready_study: Study, identities: list) -> None:
    add_person(ready_study, ALMA, sessions=0)
    listed = _list_of(ready_study, "Alma", identities)
    assert listed.schema_version == 2 and listed.pseudonym == "Alma"
    assert listed.participant_id == participant_id(ready_study.root / "participants/Alma")
    assert listed.identifiers == tuple(KnownIdentifier(t) for t in ALMA.identifiers)


def test_a_rename_reseals_her_list_and_a_cut_off_one_is_finished_by_running_it_again(
    ready_study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fieldvault import participantrename

    add_person(ready_study, ALMA, sessions=1)
    rename_participant(ready_study, "Alma", "Ana", identities)
    assert _list_of(ready_study, "Ana", identities).pseudonym == "Ana"
    assert [k.text for k in known_identifiers(ready_study, "Ana", identities)] == list(ALMA.identifiers)

    with monkeypatch.context() as cut, pytest.raises(KeyboardInterrupt):  # the power went after the folder moved
        cut.setattr(participantrename, "_records", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        rename_participant(ready_study, "Ana", "Aida", identities)
    with pytest.raises(BadStudyFile, match="a rename of Ana to Aida was cut off; run `fieldvault participant rename"):
        known_identifiers(ready_study, "Aida", identities)
    with pytest.raises(BadStudyFile, match="still sealed under Ana"):
        load_profile(ready_study, "Aida", identities)

    rename_participant(ready_study, "Ana", "Aida", identities)

    assert _list_of(ready_study, "Aida", identities).pseudonym == "Aida"
    assert load_profile(ready_study, "Aida", identities).pseudonym == "Aida"
    assert check_study(ready_study, identities).ok


def test_a_plan_put_beside_a_record_moved_by_hand_is_named_for_what_it_is_not_a_cut_off_rename(
    ready_study: Study, identities: list, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA X8's rest: a plan file anyone can write (Bea to Alma, in Alma's folder) beside Bea's profile and session
    record moved into Alma's folder made every reader say "a rename of Bea to Alma was cut off; run it again": a plan
    counts only where a signed entry records that rename begun; one that none does is named as `check` names it."""
    import shutil

    from fieldvault import layout, serial
    from fieldvault.participantrename import PLAN, RenamePlan
    from fieldvault.sessioninfo import load_session_info

    (alma_session,) = add_person(ready_study, ALMA)
    (bea_session,) = add_person(ready_study, BEA)
    alma, bea = (layout.participant(ready_study.root, who) for who in ("Alma", "Bea"))
    shutil.copy(bea / "profile.json.age", alma / "profile.json.age")
    shutil.copy(bea / bea_session / layout.SESSION_INFO, alma / alma_session / layout.SESSION_INFO)
    (alma / PLAN).write_bytes(serial.dumps(RenamePlan("Bea", "Alma")))  # no passphrase needed

    planted = (
        "participants/Alma/.renaming (a rename of 'Bea' to 'Alma'): no entry the study key signed records that rename "
        f"begun: put there by hand (by someone who could write the study folder), and followed by nothing; remove it "
        f"(`rm {alma / PLAN}`)"
    )
    with pytest.raises(BadStudyFile) as profile:
        load_profile(ready_study, "Alma", identities)
    assert str(profile.value) == (
        "participants/Alma/profile.json.age is Bea's profile, not Alma's: it was moved or copied there by hand; put it "
        f"back or restore that folder from a backup; and {planted}"
    )
    with pytest.raises(BadStudyFile) as record:
        load_session_info(ready_study, alma / alma_session, identities)
    assert str(record.value) == (
        f"participants/Alma/{alma_session}/session.json.age is the session record of Bea's session {bea_session}, not "
        f"Alma's session {alma_session}: it was moved or copied there by hand; put it back (delete it here if it is a "
        f"copy) or restore that folder from a backup; and {planted}"
    )
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    capsys.readouterr()
    assert main(["check", str(ready_study.root)]) == 1  # its last line: no "run the cut-off rename again"
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "fieldvault: error: 2 file(s) failed the check; do as each line above says"
    )


def test_a_rename_refuses_a_list_that_is_another_womans(ready_study: Study, identities: list) -> None:
    add_person(ready_study, ALMA, sessions=0)
    add_person(ready_study, BEA, sessions=0)
    _swap(ready_study.root / "participants", "Alma", "Bea", "identifiers.json.age")
    with pytest.raises(BadStudyFile, match="in Alma's folder is Bea's"):
        rename_participant(ready_study, "Alma", "Ana", identities)  # never re-sealed as hers


def test_renamed_on_the_kit_then_merged_twice_then_renamed_in_the_study_her_list_stays_hers(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(kit, ALMA, sessions=1)
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    done = subprocess.run(["fieldvault", "participant", "rename", str(kit.root), "Alma", "Ana"], env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr

    merge_kit(ready_study, kit.root, identities)  # sealed as Alma on the kit: taken, re-sealed as Ana
    assert _list_of(ready_study, "Ana", identities).pseudonym == "Ana"
    assert merge_kit(ready_study, kit.root, identities).merged == []
    rename_participant(ready_study, "Ana", "Aida", identities)
    assert merge_kit(ready_study, kit.root, identities).merged == []  # the kit's copy is hers re-sealed: no clash

    assert [k.text for k in known_identifiers(ready_study, "Aida", identities)] == list(ALMA.identifiers)
    assert check_study(ready_study, identities).ok


def test_participant_ids_swapped_on_a_kit_between_two_study_participants_are_refused(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """A participant.id is plaintext: swapped between two women's folders on a kit, Alma's session merged as Bea's
    (and was re-sealed under Bea's name). Matched by id, the names must be one woman's by the kit's or study's log."""
    add_person(ready_study, ALMA, sessions=0)
    add_person(ready_study, BEA, sessions=0)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    from fieldvault.events import SessionEvents

    kit.write_new("participants/Alma/20261124-100000/audio.wav.age", b"RIFF....WAVEdata")
    kit.write_new(
        "participants/Alma/20261124-100000/events.json.age", SessionEvents("Alma", "20261124-100000").to_json()
    )
    before = _tree(ready_study.root / "participants")
    _swap(kit.root / "participants", "Alma", "Bea", "participant.id")

    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)

    assert any(
        line.startswith("participants/Alma: carries the participant id of the study's 'Bea'")
        for line in refused.value.refused
    ), refused.value.refused
    assert _tree(ready_study.root / "participants") == before
    _swap(kit.root / "participants", "Alma", "Bea", "participant.id")  # put back
    assert merge_kit(ready_study, kit.root, identities).sessions == ["Alma/20261124-100000"]


def test_a_participant_renamed_in_the_study_after_the_kit_was_made_still_merges_by_her_id(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    add_person(ready_study, ALMA, sessions=0)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    from fieldvault.events import SessionEvents

    kit.write_new("participants/Alma/20261124-100000/audio.wav.age", b"RIFF....WAVEdata")
    kit.write_new(
        "participants/Alma/20261124-100000/events.json.age", SessionEvents("Alma", "20261124-100000").to_json()
    )
    rename_participant(ready_study, "Alma", "Ana", identities)

    assert merge_kit(ready_study, kit.root, identities).sessions == ["Ana/20261124-100000"]
