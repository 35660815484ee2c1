"""How long a list of names fieldvault takes (QA K13 B: a 20,000-name list made every export of the study run for
minutes, saying nothing): `participant add`, `add-list` and merge-kit refuse more, in one line. The real binary;
the wizard's route is in tests/tui/test_session_wizard.py."""

from __future__ import annotations

from pathlib import Path

from fieldvault.participantid import participant_id
from fieldvault.participants import MAX_IDENTIFIER, MAX_LIST, IdentifierList, KnownIdentifier, known_identifiers
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, kit_participant
from tests.e2e.test_cli import assert_one_line_error, fv


def _names(path: Path, count: int) -> Path:
    path.write_text("".join(f"Name{n} Surname{n}\n" for n in range(count)))
    return path


def test_add_and_add_list_refuse_a_list_too_long_and_keep_nothing(study_dir: Path, tmp_path: Path) -> None:
    answers = str(tmp_path / "answers.toml")
    many = _names(tmp_path / "many.txt", MAX_LIST + 1)
    add = ("participant", "add", str(study_dir), "Rosa", "--answers", answers, "--identifiers")
    assert_one_line_error(fv(*add, str(many)), f"the list holds {MAX_LIST + 1} names; a list holds at most {MAX_LIST}")
    assert not (study_dir / "participants" / "Rosa").exists()
    long_line = tmp_path / "long.txt"
    long_line.write_text("Marisol Quintanilla\n" + "Desert Rose Motel " * 12 + "\n")
    assert_one_line_error(fv(*add, str(long_line)), "identifier line 2 is", f"at most {MAX_IDENTIFIER}")
    assert not (study_dir / "participants" / "Rosa").exists()
    done = fv(*add, str(_names(tmp_path / "enough.txt", MAX_LIST)))
    assert done.returncode == 0, done.stderr
    study = Study.open(study_dir)
    assert len(known_identifiers(study, "Rosa", study.unlock(PASSPHRASE.encode()))) == MAX_LIST
    (study_dir / "participants" / "Rosa" / "identifiers.json.age").unlink()  # lost: sealed again with add-list
    assert_one_line_error(fv("participant", "add-list", str(study_dir), "Rosa", "--identifiers", str(many)), "at most")
    assert not (study_dir / "participants" / "Rosa" / "identifiers.json.age").exists()


def test_merge_kit_refuses_a_list_sealed_too_long_on_the_kit_and_merges_once_it_is_shorter(
    study_dir: Path, tmp_path: Path
) -> None:
    """Anyone holding a kit (its public keys) can seal a list of any length for any participant on it."""
    kit_dir = tmp_path / "kit"
    assert fv("field-kit", str(study_dir), str(kit_dir)).returncode == 0
    kit = Study.open(kit_dir)
    folder = kit_participant(kit, "Wren")
    sealed = folder / "identifiers.json.age"
    sealed.unlink()
    many = tuple(KnownIdentifier(f"Name{n} Surname{n}", "PERSON") for n in range(MAX_LIST + 1))
    kit.write_new(sealed, IdentifierList(many, pseudonym="Wren", participant_id=participant_id(folder)).to_json())
    done = fv("merge-kit", str(kit_dir), str(study_dir))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "participants/Wren/identifiers.json.age: is more than a list of names may hold" in done.stdout + done.stderr
    assert f"participant add-list {kit_dir} Wren --identifiers FILE" in done.stdout + done.stderr
    assert Study.open(study_dir).participant_names() == []  # nothing merged
    sealed.unlink()
    again = fv("participant", "add-list", str(kit_dir), "Wren", "--identifiers", str(_names(tmp_path / "w.txt", 3)))
    assert again.returncode == 0, again.stderr
    done = fv("merge-kit", str(kit_dir), str(study_dir))
    assert done.returncode == 0, done.stdout + done.stderr
    study = Study.open(study_dir)
    assert len(known_identifiers(study, "Wren", study.unlock(PASSPHRASE.encode()))) == 3
