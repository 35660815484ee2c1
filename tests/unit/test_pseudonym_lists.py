"""A pseudonym is plaintext (her folder's name, the audit log, every field kit): one that is a name on any list of
names people may mention (hers, another participant's, the study's) may be a real person's name, and is refused on
the trusted machine, by `participant add` and `participant rename`, and by merge-kit for a kit's new participant."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
import tomli_w

from fieldvault import layout, serial
from fieldvault.errors import BadInput, LockedStudy
from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.participantrename import rename_on_kit, rename_participant
from fieldvault.participants import (
    ConsentRecord,
    IdentifierList,
    KnownIdentifier,
    add_participant,
    others_on_her_list,
    sealed_lists,
)
from fieldvault.study import Study
from tests.conftest import ANSWERS
from tests.e2e.test_cli import assert_one_line_error, fv

CONSENT = ConsentRecord("information letter given; verbal consent", "letter-v3", "script-v1", "2026-11-01T10:00:00")


def _add(study: Study, name: str, listed: list[str], identities: list | tuple = ()) -> None:
    add_participant(study, name, dict(ANSWERS), CONSENT, [KnownIdentifier(t) for t in listed], identities)


def _logged(study: Study, word: str) -> bool:
    return word.casefold() in (study.root / "audit.jsonl").read_text(encoding="utf-8").casefold()


@pytest.mark.parametrize("chosen", ["Dolores", "dolores", "DOLORÈS", unicodedata.normalize("NFD", "Dolorès"), "Vance"])
def test_a_pseudonym_on_another_participants_list_is_refused_and_nothing_is_stored(
    ready_study: Study, identities: list, chosen: str
) -> None:
    _add(ready_study, "Lena", ["Dolorès Vance"], identities)
    with pytest.raises(BadInput) as refused:
        _add(ready_study, chosen, [], identities)
    message = str(refused.value)
    assert (
        message == f"{unicodedata.normalize('NFC', chosen)!r} cannot be used as a pseudonym here; please choose another"
    )
    # Not a word of why, nor whose list (QA V12: the woman choosing may be reading the screen, and "a name on a list
    # of names people may mention" told her a real person of that name is in this study).
    assert "list" not in message and "real" not in message and "Vance" not in message.replace(chosen, "")
    assert ready_study.participant_names() == ["Lena"]
    assert not _logged(ready_study, unicodedata.normalize("NFC", chosen))


def test_the_studys_own_list_counts_and_a_name_on_no_list_is_taken(ready_study: Study, identities: list) -> None:
    listed = serial.dumps(IdentifierList((KnownIdentifier("Hope House", "ORG"),)))
    ready_study.write_new(layout.STUDY_IDENTIFIERS, listed)
    with pytest.raises(BadInput) as refused:
        _add(ready_study, "hope", [], identities)
    assert str(refused.value) == "'hope' cannot be used as a pseudonym here; please choose another"  # as for hers
    _add(ready_study, "Hopeful", [], identities)  # a longer word is no name on the list
    assert ready_study.participant_names() == ["Hopeful"]


def test_her_list_holding_another_participants_pseudonym_is_refused_naming_the_rename(
    ready_study: Study, identities: list
) -> None:
    _add(ready_study, "Marisol", [], identities)
    with pytest.raises(BadInput) as refused:
        _add(ready_study, "Lena", ["Marisol Quintanilla"], identities)
    assert f"participant rename {ready_study.root} Marisol NEW" in str(refused.value)
    assert ready_study.participant_names() == ["Marisol"]


def test_without_the_key_only_empty_lists_let_a_participant_in(ready_study: Study) -> None:
    _add(ready_study, "Lena", [])  # every list is sealed empty: known by its length, no key needed
    assert sealed_lists(ready_study, "June") == []
    _add(ready_study, "June", [])
    _add(ready_study, "Kay", ["Dolores"])
    assert [whose for whose, _ in sealed_lists(ready_study, "Ava")] == ["Kay's list"]
    with pytest.raises(LockedStudy, match="passphrase"):
        _add(ready_study, "Ava", [])
    assert "Ava" not in ready_study.participant_names()


def test_a_rename_to_a_name_on_another_list_is_refused_and_changes_nothing(
    ready_study: Study, identities: list
) -> None:
    _add(ready_study, "Lena", ["Dolores Vance"], identities)
    _add(ready_study, "June", ["Tucson"], identities)
    for to in ("dolores", "Tucson"):  # another's list, and her own
        with pytest.raises(BadInput, match="choose another"):
            rename_participant(ready_study, "June", to, identities)
    assert ready_study.participant_names() == ["June", "Lena"]
    assert not _logged(ready_study, "dolores")


def test_merge_kit_refuses_a_kit_pseudonym_on_a_list_until_it_is_renamed_on_the_kit(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    _add(ready_study, "Lena", ["Dolores Vance"], identities)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    _add(kit, "Kay", ["Ruth Abara"])  # a kit cannot read the lists it sealed: it takes both
    _add(kit, "Ruth", [])
    _add(kit, "Dolores", [])
    before = sorted(p.name for p in (ready_study.root / "participants").iterdir())
    for _ in range(2):  # refused each time, nothing merged
        with pytest.raises(KitRefused) as refused:
            merge_kit(ready_study, kit.root, identities)
        lines = refused.value.refused
        assert len(lines) == 2 and all("may be a real name" in line for line in lines)
        assert any(f"participant rename {kit.root} Dolores NEW" in line and "Lena's list" in line for line in lines)
        assert any(f"participant rename {kit.root} Ruth NEW" in line and "Kay's list" in line for line in lines)
        assert "Rename as said above" in str(refused.value) and "Vance" not in str(refused.value)
        assert sorted(p.name for p in (ready_study.root / "participants").iterdir()) == before
        assert not _logged(ready_study, "Dolores") and not _logged(ready_study, "Ruth")
    rename_on_kit(kit, "Dolores", "Wren")
    rename_on_kit(kit, "Ruth", "Sky")
    merge_kit(ready_study, kit.root, identities)
    assert ready_study.participant_names() == ["Kay", "Lena", "Sky", "Wren"]


def test_a_kit_list_naming_a_study_participant_is_refused_naming_the_study_rename(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    _add(ready_study, "Marisol", [], identities)
    kit = Study.open(ready_study.root).make_field_kit(tmp_path / "kit")  # made locked: its entries vouch for nothing
    # qa29 QE11: the kit takes her list whole (the interviewer cannot rename Marisol with Kay waiting) and says so;
    # merge-kit reads it and waits for the study's rename
    _add(kit, "Kay", ["Marisol Quintanilla"])
    said = others_on_her_list(kit, "Kay", ["Marisol Quintanilla"])
    assert said is not None and "'Marisol'" in said and "renames 'Marisol' in the study" in said, said
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert f"participant rename {ready_study.root} Marisol NEW" in refused.value.refused[0]


LOCKED = {"FIELDVAULT_PASSPHRASE": ""}  # no key: a command that needs one cannot ask (no terminal)


def test_the_cli_refuses_in_one_line_and_asks_for_the_key_only_when_a_list_holds_names(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    listed = tmp_path / "names.txt"
    listed.write_text("Dolores Vance\n")
    root = str(ready_study.root)
    assert fv("participant", "add", root, "Lena", "--answers", str(answers), "--identifiers", str(listed),
              env=LOCKED, stdin=subprocess.DEVNULL).returncode == 0  # fmt: skip
    refused = fv("participant", "add", root, "dolores", "--answers", str(answers))
    assert_one_line_error(refused, "'dolores' cannot be used as a pseudonym here; please choose another")
    assert "list" not in refused.stderr and "Lena" not in refused.stderr  # QA V12: not a word of why
    assert_one_line_error(
        fv("participant", "add", root, "June", "--answers", str(answers), env=LOCKED, stdin=subprocess.DEVNULL),
        "passphrase is needed",
        "FIELDVAULT_PASSPHRASE",
    )
    assert fv("participant", "add", root, "June", "--answers", str(answers)).returncode == 0
    assert_one_line_error(fv("participant", "rename", root, "June", "Vance"), "cannot be used as a pseudonym here")
    assert Study.open(ready_study.root).participant_names() == ["June", "Lena"]


def test_a_retired_pseudonym_gets_the_bare_words_where_a_new_woman_chooses_hers(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA V12's rest: "was a participant's who withdrew" and "was 'Rosalind''s until ..." told the woman choosing her
    pseudonym that someone withdrew, or who was renamed to what. `participant add` says only the bare words; the
    rename the PI runs still says why."""
    from fieldvault.stewardship.withdraw import withdraw

    _add(ready_study, "Rosa", [], identities)
    _add(ready_study, "June", [], identities)
    _add(ready_study, "Kay", [], identities)
    withdraw(ready_study, "Rosa", identities)
    rename_participant(ready_study, "June", "Juniper", identities)
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    root = str(ready_study.root)
    for retired in ("Rosa", "ROSA", "June"):
        refused = fv("participant", "add", root, retired, "--answers", str(answers))
        assert_one_line_error(refused, f"{retired!r} cannot be used as a pseudonym here; please choose another")
        assert not any(w in refused.stderr for w in ("withdr", "retired", "Juniper", "until")), refused.stderr
    assert_one_line_error(fv("participant", "rename", root, "Kay", "June"), "was 'Juniper''s until")
    assert_one_line_error(fv("participant", "rename", root, "Kay", "Rosa"), "withdrew, and it is retired")
    assert Study.open(ready_study.root).participant_names() == ["Juniper", "Kay"]
