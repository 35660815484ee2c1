"""A backup's or a field kit's path once went into the plaintext audit log (and with the log into every backup); no log
holds it now, yet the report lists where backups went and a folder's name goes with the disk or the kit: one that
names a participant is refused before anything is written, as export, report and decrypt refuse theirs (QA Z9), and
the refusal no longer says the path goes into the log (qa23)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.cli import main
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, fill_letter
from tests.stewardship import ROSA, add_person


@pytest.mark.parametrize(("command", "folder"), [("backup", "Quintanilla-bk"), ("field-kit", "marisol_kit")])
def test_a_path_naming_a_participant_is_refused_and_never_logged(
    study: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, folder: str
) -> None:
    fill_letter(study)
    add_person(study, ROSA)  # her list: Marisol Quintanilla, Tucson, Desert Rose Motel
    out = tmp_path / folder
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
        assert main([command, str(study.root), str(out)]) != 0
    said = capsys.readouterr().err
    assert "the path names a participant" in said and "Traceback" not in said, said
    assert "audit log" not in said, said
    assert not out.exists()
    assert folder.encode() not in (study.root / layout.AUDIT_FILE).read_bytes()


@pytest.mark.parametrize("name", ["a\nb.qdpx", "report\t1.md"])
def test_a_path_holding_a_control_character_is_refused_in_one_line(
    study: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """qa28 QD15: an export path with a line break was taken: printed raw, it broke the terminal's lines and the IRB
    report's table of exports in two."""
    out = tmp_path / name
    before = study.audit.entries()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
        assert main(["export", str(study.root), "--format", "txt", "--out", str(out)]) != 0
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "the path holds a control character" in said and "Traceback" not in said, said
    assert not out.exists() and study.audit.entries() == before  # refused before anything was written or logged
