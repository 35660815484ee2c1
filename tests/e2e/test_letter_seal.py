"""The study's information letter is sealed when a field kit first takes it to the field; a letter changed since
(in a synced study folder: the support line a woman in distress is shown) stops the next kit until the PI says she
changed it (QA F21's rest)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import tomli_w

from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_cli import assert_one_line_error, fv


def _edit(study: Study, change: Callable[[dict], object]) -> None:
    path = study.root / "study.toml"
    doc = tomllib.loads(path.read_text())
    change(doc)
    path.write_bytes(tomli_w.dumps(doc).encode())


def _seals(study: Study) -> list[str]:
    study.use_identities(study.unlock(PASSPHRASE.encode()))
    return [str(e["details"]["version"]) for e in study.audit.signed() if e["action"] == "letter.sealed"]


def test_a_letter_changed_after_its_seal_stops_the_next_kit_until_the_pi_says_so(
    ready_study: Study, tmp_path: Path
) -> None:
    first = fv("field-kit", str(ready_study.root), str(tmp_path / "kit1"))
    assert first.returncode == 0, first.stderr
    assert "(sealed)" in first.stdout and "support" in first.stdout
    assert Study.open(ready_study.root).config.letter_mac
    again = fv("field-kit", str(ready_study.root), str(tmp_path / "kit2"))  # unchanged: a second kit, no new seal
    assert again.returncode == 0, again.stderr

    _edit(ready_study, lambda doc: doc["letter"].update(support="Call 555-0100 (Tony) any time"))
    refused = fv("field-kit", str(ready_study.root), str(tmp_path / "kit3"))
    assert_one_line_error(refused, "changed since it was sealed", "555-0100 (Tony)", "--letter-changed")
    assert not (tmp_path / "kit3").exists()

    _edit(ready_study, lambda doc: doc.pop("letter_mac"))  # the seal removed as well: still refused
    assert_one_line_error(fv("field-kit", str(ready_study.root), str(tmp_path / "kit3")), "changed since")

    made = fv("field-kit", str(ready_study.root), str(tmp_path / "kit3"), "--letter-changed")
    assert made.returncode == 0 and "555-0100 (Tony)" in made.stdout, made.stderr
    seals = _seals(Study.open(ready_study.root))
    assert len(seals) == 2 and seals[0] != seals[1]  # the first kit's, then the one the PI said she changed


def test_a_kit_needs_the_study_passphrase_to_check_the_letter(ready_study: Study, tmp_path: Path) -> None:
    done = fv("field-kit", str(ready_study.root), str(tmp_path / "kit"), env={"FIELDVAULT_PASSPHRASE": "wrong!!"})
    assert_one_line_error(done, "passphrase")
    assert not (tmp_path / "kit").exists()
