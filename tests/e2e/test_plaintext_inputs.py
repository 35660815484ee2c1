"""QA Q13: `participant add --answers --identifiers` and `participant add-list` read her answers and her list of names
from plaintext files and sealed them, leaving those files on the field laptop without a word. Now they say so in one
line after sealing (what to delete, and that an SSD may keep old blocks), or overwrite and remove them with
--shred-original, as `import` does for a recording."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w

from fieldvault.participants import known_identifiers
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE, kit_participant
from tests.e2e.test_cli import assert_one_line_error, fv

NAMES = "Chidinma Eze\nPORT: Port Harcourt\nORG: Bethany Shelter\n"


@pytest.fixture
def kit(ready_study: Study, tmp_path: Path) -> Path:
    done = fv("field-kit", str(ready_study.root), str(tmp_path / "kit"))
    assert done.returncode == 0, done.stderr
    return tmp_path / "kit"


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    answers, names = tmp_path / "answers.toml", tmp_path / "names.txt"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    names.write_text(NAMES.replace("PORT: ", "LOCATION: "))
    return answers, names


def test_add_on_a_kit_names_the_plaintext_files_it_leaves(kit: Path, tmp_path: Path) -> None:
    answers, names = _inputs(tmp_path)
    done = fv("participant", "add", str(kit), "Lark", "--answers", str(answers), "--identifiers", str(names))
    assert done.returncode == 0, done.stderr
    assert "added participant Lark" in done.stdout
    warning = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1, done.stderr
    assert str(answers) in warning[0] and str(names) in warning[0] and "plaintext" in warning[0]
    assert f"shred -u {answers} {names}" in warning[0] and "SSD" in warning[0] and "--shred-original" in warning[0]
    assert answers.read_bytes() and names.read_text().startswith("Chidinma Eze")  # left, as the line says


def test_add_with_shred_original_removes_both_files_after_sealing(ready_study: Study, tmp_path: Path) -> None:
    cli_study = ready_study.root
    answers, names = _inputs(tmp_path)
    done = fv(
        "participant", "add", str(cli_study), "Lark", "--answers", str(answers), "--identifiers", str(names),
        "--shred-original",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not answers.exists() and not names.exists()
    assert f"overwrote and removed {answers}, {names}" in done.stdout and "warning" not in done.stderr
    study = Study.open(cli_study)
    sealed = known_identifiers(study, "Lark", study.unlock(PASSPHRASE.encode()))
    assert [i.text for i in sealed] == ["Chidinma Eze", "Port Harcourt", "Bethany Shelter"]  # sealed before shredding


def test_add_list_on_a_kit_warns_or_shreds(kit: Path, tmp_path: Path) -> None:
    _, names = _inputs(tmp_path)
    kit_participant(Study.open(kit), "Lark")
    (kit / "participants" / "Lark" / "identifiers.json.age").unlink()  # an add cut off before her list
    done = fv("participant", "add-list", str(kit), "Lark", "--identifiers", str(names))
    assert done.returncode == 0, done.stderr
    assert f"warning: {names} still hold" in done.stderr and names.exists()
    # at a follow-up, the names she gives then (QA T5)
    done = fv("participant", "add-list", str(kit), "Lark", "--append", "--identifiers", str(names), "--shred-original")
    assert done.returncode == 0, done.stderr
    assert not names.exists() and (kit / "participants" / "Lark" / "identifiers-added-1.json.age").is_file()


def test_shred_original_refuses_a_link_before_sealing_anything(kit: Path, tmp_path: Path) -> None:
    """Overwriting through a link would remove the link and leave her names in the file it names."""
    answers, names = _inputs(tmp_path)
    link = tmp_path / "link.txt"
    link.symlink_to(names)
    done = fv(
        "participant", "add", str(kit), "Lark", "--answers", str(answers), "--identifiers", str(link),
        "--shred-original",
    )  # fmt: skip
    assert_one_line_error(done, str(link), "not a regular file", "--shred-original")
    assert not (kit / "participants" / "Lark").exists() and answers.exists() and names.exists()


def test_an_empty_input_is_not_named(kit: Path, tmp_path: Path) -> None:
    answers, _ = _inputs(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    done = fv("participant", "add", str(kit), "Lark", "--answers", str(answers), "--identifiers", str(empty))
    assert done.returncode == 0, done.stderr
    assert str(empty) not in done.stderr and str(answers) in done.stderr


def test_a_file_of_the_study_itself_is_never_taken_as_her_text_nor_shredded(ready_study: Study, tmp_path: Path) -> None:
    """QA X15: `journal add --text-file STUDY/audit.jsonl --shred-original` (tab completion's slip) sealed the log as
    a journal entry and shredded it; study.toml likewise. Every file handed in from inside the study is refused."""
    root = ready_study.root
    config = (root / "study.toml").read_bytes()
    answers, _ = _inputs(tmp_path)
    assert fv("participant", "add", str(root), "Iris", "--answers", str(answers)).returncode == 0
    log = (root / "audit.jsonl").read_bytes()
    for command in (
        ("journal", "add", str(root), "--text-file", str(root / "audit.jsonl"), "--shred-original"),
        ("journal", "add", str(root), "--text-file", str(root / "participants" / ".." / "study.toml")),
        ("participant", "add", str(root), "Lark", "--answers", str(answers), "--identifiers", str(root / "study.toml"),
         "--shred-original"),
        ("import", str(root), "Iris", str(root / "study.toml"), "--shred-original"),
    ):  # fmt: skip
        assert_one_line_error(fv(*command), "is a file of the study itself", "outside the study folder")
    assert (root / "audit.jsonl").read_bytes() == log and (root / "study.toml").read_bytes() == config
    assert not (root / "journal").exists() or not list((root / "journal").iterdir())
    assert answers.exists()  # nothing was sealed, so nothing of hers was shredded either
