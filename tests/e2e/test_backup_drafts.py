"""QA S11 with the real binary and the real `age`: field notes a crash kept as a draft, backed up; the draft deleted by
hand and one `draft.removed` line appended without the passphrase. `backup` keeps its copy (which `age -d` still
opens to her words), exits 0, names it once with the `cp` that puts it back; put back, the study backs up as ever."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from fieldvault import drafts, layout
from fieldvault.agefile.header import payload_id
from fieldvault.study import Study
from tests.conftest import need
from tests.e2e.test_cli import fv
from tests.stewardship import ROSA, add_person

TYPED = "Kill -9 while I typed: she said the van was white, no plates."
NAMED = "its removal is not vouched for"


def test_a_forged_draft_removal_never_destroys_the_backups_copy_of_crash_kept_notes(
    study_dir: Path, tmp_path: Path
) -> None:
    study = Study.open(study_dir)
    (session,) = add_person(study, ROSA)
    draft = drafts.slot(layout.session(study_dir, "Rosa", session))
    drafts.keep(study, draft, TYPED)  # what the notes screen kept before it was killed
    relative = str(draft.relative_to(study_dir))
    usb = tmp_path / "usb"
    first = fv("backup", str(study_dir), str(usb))
    assert first.returncode == 0, first.stderr
    draft.unlink()  # anyone who can write the folder, no passphrase
    forged = {"pseudonym": "Rosa", "session": session, "file": draft.name, "method": "saved"}
    Study.open(study_dir).audit.append(drafts.REMOVED, **forged, payloads=payload_id(usb / relative) or "")
    done = fv("backup", str(study_dir), str(usb))
    assert done.returncode == 0, done.stderr
    named = [line for line in done.stderr.splitlines() if NAMED in line]
    assert len(named) == 1 and relative in named[0] and "not signed with the study key" in named[0], done.stderr
    assert "destroyed" not in done.stdout.replace("0 destroyed", "")
    key = tmp_path / "key.txt"
    assert fv("keys", "export-identity", str(study_dir), "--out", str(key)).returncode == 0
    opened = subprocess.run([need("age"), "-d", "-i", str(key), str(usb / relative)], capture_output=True, check=True)
    assert TYPED.encode() in opened.stdout
    again = fv("backup", str(study_dir), str(usb))  # named once: quiet, and still rc 0, after that
    assert again.returncode == 0 and NAMED not in again.stderr and relative not in again.stderr, again.stderr
    put_back = shlex.split(named[0].split("put the draft back into the study: ")[1])
    assert put_back[:2] == ["cp", "-p"]
    subprocess.run(put_back, check=True)
    assert drafts.read(study, draft, study.unlock(b"a long test passphrase")).text == TYPED
    after = fv("backup", str(study_dir), str(usb))
    assert after.returncode == 0 and NAMED not in after.stderr, after.stderr
    assert (usb / relative).read_bytes() == draft.read_bytes()
