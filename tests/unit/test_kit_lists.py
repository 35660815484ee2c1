"""A new participant's list of names she may mention, on a field kit: deleted there (`rm` needs no key), or never
written (a `participant add` cut off between her profile and her list), merge-kit refuses her until her list is back;
`participant add-list` seals one where none was ever sealed, never over one she has, nor where one was deleted (QA
T19): that one is restored."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.errors import BadInput
from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant, known_identifiers
from fieldvault.study import Study
from tests.conftest import ANSWERS, kit_recording, profile_json
from tests.e2e.test_cli import assert_one_line_error, fv

CONSENT = ConsentRecord("verbal", "v", "s", "2026-11-24T10:00:00+00:00")
S1 = "20261124-100000"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"/") for p in sorted(root.rglob("*"))}


def _kit_with_lena(study: Study, tmp_path: Path) -> Study:
    kit = study.make_field_kit(tmp_path / "kit")
    add_participant(kit, "Lena", dict(ANSWERS), CONSENT, [KnownIdentifier("Dolores Vance")])
    kit_recording(kit, f"participants/Lena/{S1}/audio.wav.age", b"RIFF....WAVEdata")
    return kit


def test_a_list_deleted_on_the_kit_is_refused_twice_with_nothing_stored(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = _kit_with_lena(ready_study, tmp_path)
    (kit.root / "participants" / "Lena" / layout.IDENTIFIERS).unlink()  # no key needed
    before = _snapshot(ready_study.root)
    for _ in range(2):  # run twice: refused twice, nothing of hers merged
        with pytest.raises(KitRefused) as refused:
            merge_kit(ready_study, kit.root, identities)
        assert "Do as said above" in str(refused.value)
        line = next(line for line in refused.value.refused if "participants/Lena" in line)
        assert "list of names she may mention" in line and "missing" in line
        assert "ask the interviewer (the kit sealed it, and never seals it again)" in line and "add-list" not in line
        assert _snapshot(ready_study.root) == before  # the audit log too


def test_an_add_cut_off_before_her_list_is_refused_and_add_list_lets_her_merge(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = ready_study.make_field_kit(tmp_path / "kit")
    folder = kit.root / "participants" / "Zoë"
    folder.mkdir(mode=0o700)
    kit.write_new(folder / layout.PROFILE, profile_json("Zoë"))  # the add stopped here (power lost)
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert ["list of names she may mention is missing" in line for line in refused.value.refused] == [True]
    from fieldvault.participants import seal_missing_list

    typed = unicodedata.normalize("NFD", "Zoë")  # her name typed in another form finds her folder
    assert seal_missing_list(kit, typed, [KnownIdentifier("Dolores Vance")]) == ("Zoë", None)
    merge_kit(ready_study, kit.root, identities)
    assert [i.text for i in known_identifiers(ready_study, "Zoë", identities)] == ["Dolores Vance"]
    logged = [
        e for e in ready_study.audit.entries() if e.get("details", {}).get("origin_action") == "participant.list-sealed"
    ]
    assert len(logged) == 1 and "Dolores" not in str(logged)


def test_add_list_never_replaces_a_list_and_checks_her_pseudonym_against_it(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """An adversary with the kit could seal an empty list over hers: add-list refuses where one exists; and a list
    holding her own pseudonym is refused as at `participant add`."""
    from fieldvault.participants import seal_missing_list

    kit = _kit_with_lena(ready_study, tmp_path)
    held = (kit.root / "participants" / "Lena" / layout.IDENTIFIERS).read_bytes()
    with pytest.raises(BadInput, match="never replaced"):
        seal_missing_list(kit, "Lena", [])
    assert (kit.root / "participants" / "Lena" / layout.IDENTIFIERS).read_bytes() == held
    (kit.root / "participants" / "Lena" / layout.IDENTIFIERS).unlink()
    with pytest.raises(BadInput, match="Lena's list of names she may mention was sealed on 20"):
        seal_missing_list(kit, "Lena", [])  # deleted: never sealed again (QA T19)
    folder = kit.root / "participants" / "Zoë"
    folder.mkdir(mode=0o700)
    kit.write_new(folder / layout.PROFILE, profile_json("Zoë"))  # an add cut off before her list
    with pytest.raises(BadInput, match="her real name"):
        seal_missing_list(kit, "Zoë", [KnownIdentifier("Zoë Okafor")])
    assert not (folder / layout.IDENTIFIERS).exists()


def test_the_cli_route_refuses_a_deleted_list_until_it_is_put_back_then_merges(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = _kit_with_lena(ready_study, tmp_path)
    kept = tmp_path / "copy-of-kit-list.age"  # a copy of the kit, taken before
    kept.write_bytes((kit.root / "participants" / "Lena" / layout.IDENTIFIERS).read_bytes())
    (kit.root / "participants" / "Lena" / layout.IDENTIFIERS).unlink()
    study, kit_root = str(ready_study.root), str(kit.root)
    refused = fv("merge-kit", kit_root, study)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "participants/Lena: her list of names she may mention" in refused.stderr
    assert ready_study.participant_names() == []
    names = tmp_path / "names.txt"
    names.write_text("Dolores Vance\nPLACE: Fresno\n")
    for _ in range(2):  # run twice: refused twice, nothing sealed
        done = fv("participant", "add-list", kit_root, "Lena", "--identifiers", str(names), stdin=subprocess.DEVNULL)
        assert_one_line_error(done, "was sealed on")
        assert not (kit.root / "participants" / "Lena" / layout.IDENTIFIERS).exists()
    assert_one_line_error(fv("participant", "add-list", kit_root, "..", "--identifiers", str(names)), "pseudonym")
    (kit.root / "participants" / "Lena" / layout.IDENTIFIERS).write_bytes(kept.read_bytes())  # put back
    assert fv("merge-kit", kit_root, study).returncode == 0
    assert [i.text for i in known_identifiers(ready_study, "Lena", identities)] == ["Dolores Vance"]


def test_add_list_on_the_trusted_machine_asks_for_the_key_when_another_list_holds_names(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    add_participant(ready_study, "Kay", dict(ANSWERS), CONSENT, [KnownIdentifier("Ruth Abara")], identities)
    folder = ready_study.root / "participants" / "Lena"  # an add cut off before her list (and its entry)
    folder.mkdir(mode=0o700)
    ready_study.write_new(folder / layout.PROFILE, profile_json("Lena"))
    locked = {"FIELDVAULT_PASSPHRASE": ""}
    root = str(ready_study.root)
    assert_one_line_error(
        fv("participant", "add-list", root, "Lena", env=locked, stdin=subprocess.DEVNULL), "passphrase"
    )
    assert fv("participant", "add-list", root, "Lena").returncode == 0
    assert known_identifiers(ready_study, "Lena", identities) == []


def test_a_rename_on_the_kit_says_which_lists_it_could_not_read_and_merge_kit_checks_them(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """A kit cannot read the lists it sealed: a rename there checks the pseudonyms it holds and the lists it knows
    empty, says how many it could not read, and merge-kit refuses the new name when it is on one of them."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_participant(kit, "Kay", dict(ANSWERS), CONSENT, [])
    add_participant(kit, "Ruth", dict(ANSWERS), CONSENT, [])
    kit_root = str(kit.root)
    done = fv("participant", "rename", kit_root, "Ruth", "Sky")
    assert done.returncode == 0 and "every list of names on this kit is sealed empty, so Sky is on none" in done.stdout
    from fieldvault.lists import append_to_list

    append_to_list(kit, "Kay", [KnownIdentifier("Ruth Abara")])  # her names at a follow-up, sealed for the study
    assert_one_line_error(fv("participant", "rename", kit_root, "Sky", "kay"), "kay")  # a pseudonym it holds
    done = fv("participant", "rename", kit_root, "Sky", "Abara")
    assert done.returncode == 0 and "cannot read the 1 list(s) of names" in done.stdout and "Abara" in done.stdout
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert any(f"participant rename {kit.root} Abara NEW" in line for line in refused.value.refused)
    assert fv("participant", "rename", kit_root, "Abara", "Wren").returncode == 0
    merge_kit(ready_study, kit.root, identities)
    assert ready_study.participant_names() == ["Kay", "Wren"]


def test_check_names_a_study_participant_without_a_list_until_it_is_back(ready_study: Study, identities: list) -> None:
    from fieldvault.export import gate
    from fieldvault.export.run import Options, export
    from fieldvault.export.selection import Request
    from fieldvault.participants import seal_missing_list
    from fieldvault.stewardship.check import check_study

    def missing() -> list:
        return [f for f in check_study(ready_study, identities).failures if f.file.endswith(layout.IDENTIFIERS)]

    add_participant(ready_study, "Lena", dict(ANSWERS), CONSENT, [], identities)
    assert not missing()
    listed = ready_study.root / "participants" / "Lena" / layout.IDENTIFIERS
    kept = listed.read_bytes()  # in the backup
    listed.unlink()
    (failed,) = missing()
    assert failed.file == f"participants/Lena/{layout.IDENTIFIERS}" and failed.problem.startswith("is missing")
    assert "restore participants/Lena/identifiers.json.age from a backup (it was deleted)" in failed.problem
    assert "add-list" not in failed.problem  # sealed once, never sealed again (QA T19)
    # QA J11: every export is scrubbed with every list, so every export refuses until it is back
    with pytest.raises(BadInput, match=r"participants/Lena has no list of names she may mention.*from a backup"):
        export(ready_study, identities, Options("demographics"), ready_study.root.parent / "d.csv", Request())
    # QA K1: an add cut off after her id (her profile gone too): the same finding and refusal
    (ready_study.root / "participants" / "Lena" / layout.PROFILE).rename(ready_study.root.parent / "profile.age")
    (failed,) = missing()
    assert failed.file == f"participants/Lena/{layout.IDENTIFIERS}"
    with pytest.raises(BadInput, match="participants/Lena has no list of names she may mention"):
        gate._refuse_missing_lists(ready_study)  # every export's first step (the sample table takes her as withdrawn)
    (ready_study.root.parent / "profile.age").rename(ready_study.root / "participants" / "Lena" / layout.PROFILE)
    listed.write_bytes(kept)
    assert not missing()
    export(ready_study, identities, Options("demographics"), ready_study.root.parent / "d.csv", Request())
    folder = ready_study.root / "participants" / "Zoe"  # an add cut off before her list: no entry vouched one
    folder.mkdir(mode=0o700)
    ready_study.write_new(folder / layout.PROFILE, profile_json("Zoe"))
    (failed,) = missing()
    assert f"participant add-list {ready_study.root} Zoe --identifiers FILE" in failed.problem
    seal_missing_list(ready_study, "Zoe", [KnownIdentifier("Fresno")], identities)
    assert not missing()


def test_names_a_kit_adds_are_refused_where_her_list_is_gone(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """Names added on a kit at follow-ups (QA T5) never stand for a list deleted in the study (QA T19); refused,
    nothing merged."""
    from fieldvault.lists import append_to_list

    add_participant(ready_study, "Kay", dict(ANSWERS), CONSENT, [KnownIdentifier("Ruth Abara")], identities)
    kit = _kit_with_lena(ready_study, tmp_path)
    append_to_list(kit, "Kay", [KnownIdentifier("Tobiah Quorn")])
    (ready_study.root / "participants" / "Kay" / layout.IDENTIFIERS).unlink()
    before = _snapshot(ready_study.root)
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert line.startswith("participants/Kay/identifiers.json.age: is missing in the study")
    assert _snapshot(ready_study.root) == before


def test_names_a_kit_adds_past_a_lists_limit_are_all_kept_and_the_kit_merges(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA U11: names added on a kit that take her list past MAX_LIST (a limit for a list given at once: QA K13 B)
    refused the whole kit, every session on it unmerged. Every name she gave is kept, the kit merges, and the report
    says how long her list is now."""
    from fieldvault.lists import append_to_list
    from fieldvault.participants import MAX_LIST

    add_participant(ready_study, "Kay", dict(ANSWERS), CONSENT, [KnownIdentifier("Ruth Abara")], identities)
    kit = _kit_with_lena(ready_study, tmp_path)  # her list on the kit: "Dolores Vance"
    many = [KnownIdentifier(f"Name{n} Surname{n}") for n in range(MAX_LIST)]
    append_to_list(kit, "Lena", many)
    append_to_list(kit, "Kay", many)
    report = merge_kit(ready_study, kit.root, identities)
    assert set(report.long_lists) == {
        ("participants/Lena/identifiers.json.age", MAX_LIST + 1),
        ("participants/Kay/identifiers.json.age", MAX_LIST + 1),
    }
    assert f"participants/Lena/{S1}/audio.wav.age" in report.merged  # the kit merged, her session with it
    kay = [i.text for i in known_identifiers(ready_study, "Kay", identities)]
    assert kay == ["Ruth Abara", *(i.text for i in many)]
    assert len(known_identifiers(ready_study, "Lena", identities)) == MAX_LIST + 1
    assert merge_kit(ready_study, kit.root, identities).long_lists == ()  # merged again: nothing new


def test_names_added_on_the_kit_follow_her_through_a_rename_there(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """Lena renamed on the kit after a follow-up added names (the kit cannot re-seal them under her new name):
    merge-kit takes them, sealed under her name now, onto her list."""
    from fieldvault.lists import append_to_list

    kit = _kit_with_lena(ready_study, tmp_path)
    append_to_list(kit, "Lena", [KnownIdentifier("Tobiah Quorn"), KnownIdentifier("Dolores Vance")])
    assert fv("participant", "rename", str(kit.root), "Lena", "Wren").returncode == 0
    merge_kit(ready_study, kit.root, identities)
    assert ready_study.participant_names() == ["Wren"]
    assert [i.text for i in known_identifiers(ready_study, "Wren", identities)] == ["Dolores Vance", "Tobiah Quorn"]


@pytest.mark.parametrize("lost", ["empty", "missing"])
def test_a_kit_whose_log_is_lost_keeps_her_names_file_and_merges_its_sessions_when_asked(
    ready_study: Study, identities: list, tmp_path: Path, lost: str
) -> None:
    """QA W20: a kit whose audit.jsonl was emptied or deleted: merge-kit said to delete her names file (the only copy of
    the names she gave) and merged nothing, even with --accept-damaged-log. The refusal names the lost log, keeps the
    file and gives the way to read it with the study's key; taken, every session merges and the file is left out."""
    import io

    from fieldvault.lists import append_to_list
    from fieldvault.plaintext import decrypt_to_stream

    add_participant(ready_study, "Kay", dict(ANSWERS), CONSENT, [KnownIdentifier("Ruth Abara")], identities)
    kit = _kit_with_lena(ready_study, tmp_path)
    append_to_list(kit, "Kay", [KnownIdentifier("Tobiah Quorn")])  # her names at a follow-up
    added = "participants/Kay/identifiers-added-1.json.age"
    if lost == "empty":
        (kit.root / layout.AUDIT_FILE).write_bytes(b"")
    else:
        (kit.root / layout.AUDIT_FILE).unlink()
        (kit.root / layout.AUDIT_KEY).unlink()
    before = _snapshot(ready_study.root)
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert line.startswith(f"{added}: may hold names Kay gave") and f"is lost: its audit.jsonl is {lost}" in line
    assert "do not delete it" in line and "delete it on the kit" not in line
    read = f"fieldvault decrypt {kit.root} {added} --study {ready_study.root} --out -"
    assert read in line and f"participant add-list {ready_study.root} Kay --append" in line
    assert _snapshot(ready_study.root) == before
    report = merge_kit(ready_study, kit.root, identities, accept_damaged_log=True)
    assert report.sessions == [f"Lena/{S1}"] and report.names_left_out == ((added, "Kay"),)
    assert report.log_damaged and f"audit.jsonl is {lost}" in report.log_damaged
    assert ready_study.read(f"participants/Lena/{S1}/audio.wav.age", identities) == b"RIFF....WAVEdata"
    assert [i.text for i in known_identifiers(ready_study, "Kay", identities)] == ["Ruth Abara"]
    assert (kit.root / added).is_file()  # kept on the kit
    shown = io.BytesIO()
    decrypt_to_stream(ready_study, added, identities, shown, kit)  # the way the refusal gave
    assert b"Tobiah Quorn" in shown.getvalue()
    assert ready_study.audit.entries()[-1]["details"]["file"] == str(kit.root / added)
    assert merge_kit(ready_study, kit.root, identities, accept_damaged_log=True).merged == []
