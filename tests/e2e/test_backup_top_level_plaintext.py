"""A decrypted transcript put beside study.toml, or in a folder of its own in the study folder, never reaches a backup
disk in plaintext (README promised it for participants/ and journal/ only; the top level was copied unnamed, and
`check` said nothing). Real CLI, real age files; the study's own plaintext files (study.toml, the audit log, the
session index, a template the PI wrote, a torn log line set aside) are still copied."""

from __future__ import annotations

import shutil
from pathlib import Path

from fieldvault.study import Study
from tests.conftest import ROOT
from tests.e2e.test_stewardship_cli import _fieldvault, _tree
from tests.e2e.test_vouched_files import fv
from tests.stewardship import ROSA, add_person

SAID = "Rosa Delgado told me about the motel on Figueroa."


def test_plaintext_put_at_the_top_of_the_study_is_left_out_of_backups_and_named_by_check(
    ready_study: Study, tmp_path: Path
) -> None:
    root = ready_study.root
    with (root / "audit.jsonl").open("ab") as log:
        log.write(b'{"seq": 9, "a')  # torn by a crash: the next entry sets it aside, and says so
    add_person(ready_study, ROSA, sessions=1, seconds=2.0)
    (torn,) = root.glob("audit.jsonl.torn-*")
    shutil.copy(ROOT / "consent_templates" / "questionnaire.toml", root / "questionnaire.toml")  # the PI's own
    # QA V21: named like a torn line, but no entry set it aside: put there by hand, and left out like any other
    strays = ["Rosa-interview.txt", "audit.jsonl.torn-20261127T000000-12", "decrypted/transcript.txt"]
    for name in strays:
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(SAID)
    dest = tmp_path / "usb" / "backup"
    done = _fieldvault("backup", str(root), str(dest))
    for name in strays:
        assert f"fieldvault: warning: not backed up: {name} is not encrypted" in done.stderr, done.stderr
    assert _tree(dest) == {k: v for k, v in _tree(root).items() if k not in strays} and (dest / torn.name).is_file()
    assert not any(SAID.encode() in p.read_bytes() for p in dest.rglob("*") if p.is_file())
    (dest / strays[0]).write_text(SAID)  # as a backup made before this rule carried it
    done = _fieldvault("backup", str(root), str(dest))
    assert f"destroyed in the backup (plaintext): {strays[0]}" in done.stdout and not (dest / strays[0]).exists()
    assert (root / strays[0]).read_text() == SAID  # the study's file is the user's to move: never touched
    checked = fv("check", root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    notes = [line for line in checked.stdout.splitlines() if line.startswith("note: ") and "not encrypted" in line]
    assert [line.split()[1] for line in notes] == sorted(strays), checked.stdout
    assert "named like a torn log line fieldvault sets aside, yet no entry of the audit log records" in notes[1], notes
