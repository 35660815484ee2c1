"""A command an error line suggests pastes into a shell as it is, whatever the study's folder or the pseudonym holds
(QA K10-A: "~/My Studies/" and "Ann Church" broke every suggested command into more words). The real binary."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import tomli_w

from fieldvault.participantid import ensure_participant_id
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE, fill_letter, profile_json

STUDY = 'My Studies/Wren\'s "exit" study'  # a space, a quote and a double quote
PSEUDONYM = "Ann O'Neil"


def fv(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    return subprocess.run(["fieldvault", *args], capture_output=True, text=True, env=env, check=False)


def suggested(stderr: str, verb: str) -> list[str]:
    """The words of the command the one error line suggests (between backticks), as a shell splits them."""
    (line,) = stderr.strip().splitlines()
    assert line.startswith("fieldvault: error: ") and "Traceback" not in stderr, stderr
    found = re.search(rf"`(fieldvault {verb} [^`]*)`", line)
    assert found, line
    return shlex.split(found.group(1))


@pytest.fixture
def spaced(tmp_path: Path) -> Path:
    root = tmp_path / STUDY
    root.parent.mkdir(parents=True)
    done = fv("init", str(root), "--title", "Exit study", "--irb", "IRB-9")
    assert done.returncode == 0, done.stderr
    fill_letter(Study.open(root))
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    names = tmp_path / "names.txt"
    names.write_text("Kofi Church\n")
    done = fv("participant", "add", str(root), PSEUDONYM, "--answers", str(answers), "--identifiers", str(names))
    assert done.returncode == 0, done.stderr
    return root


CUT_OFF = "Bea O'Hara"


def _cut_off_add(root: Path) -> Path:
    """Her `participant add` cut off before her list (a flat battery): her profile sealed, no entry of the log; the
    case add-list is for (a list deleted is restored, never sealed again: QA T19)."""
    folder = root / "participants" / CUT_OFF
    folder.mkdir(mode=0o700)
    ensure_participant_id(folder)
    Study.open(root).write_new(folder / "profile.json.age", profile_json(CUT_OFF))
    return folder


def test_the_add_list_an_export_asks_for_runs_as_pasted(spaced: Path, tmp_path: Path) -> None:
    folder = _cut_off_add(spaced)
    out = tmp_path / "out"
    done = fv("export", str(spaced), "--format", "demographics", "--out", str(out))
    assert done.returncode == 1
    words = suggested(done.stderr, "participant add-list")
    assert words == ["fieldvault", "participant", "add-list", str(spaced), CUT_OFF, "--identifiers", "FILE"]
    names = tmp_path / "names again.txt"
    names.write_text("Kofi Church\n")
    pasted = fv(*[str(names) if w == "FILE" else w for w in words[1:]])
    assert pasted.returncode == 0, pasted.stderr
    assert (folder / "identifiers.json.age").is_file()


def test_the_append_a_refused_add_list_asks_for_runs_as_pasted(spaced: Path, tmp_path: Path) -> None:
    names = tmp_path / "new names.txt"
    names.write_text("Lemon Cove\n")
    done = fv("participant", "add-list", str(spaced), PSEUDONYM, "--identifiers", str(names))
    assert done.returncode == 1 and "never replaced" in done.stderr
    words = suggested(done.stderr, "participant add-list")
    assert words == [
        "fieldvault",
        "participant",
        "add-list",
        str(spaced),
        PSEUDONYM,
        "--append",
        "--identifiers",
        "FILE",
    ]
    pasted = fv(*[str(names) if w == "FILE" else w for w in words[1:]])
    assert pasted.returncode == 0 and "added 1 name(s)" in pasted.stdout, pasted.stderr


def test_check_names_the_same_command_quoted(spaced: Path) -> None:
    _cut_off_add(spaced)
    done = fv("check", str(spaced))
    assert done.returncode == 1
    found = re.search(r"`(fieldvault participant add-list [^`]*)`", done.stdout + done.stderr)
    assert found, done.stdout + done.stderr
    assert shlex.split(found.group(1))[3:5] == [str(spaced), CUT_OFF]


def test_a_folder_that_is_no_study_is_named_whole_in_the_init_it_suggests(tmp_path: Path) -> None:
    empty = tmp_path / "My Studies" / "it's new"
    empty.mkdir(parents=True)
    words = suggested(fv("audit", str(empty)).stderr, "init")
    assert words[:3] == ["fieldvault", "init", str(empty)]


def test_the_rename_an_add_asks_for_runs_as_pasted(spaced: Path, tmp_path: Path) -> None:
    answers, names = tmp_path / "answers.toml", tmp_path / "lupe.txt"
    names.write_text(f"{PSEUDONYM}\n")  # Lupe's list names a real Ann O'Neil
    add = ("participant", "add", str(spaced), "Lupe", "--answers", str(answers), "--identifiers", str(names))
    words = suggested(fv(*add).stderr, "participant rename")
    assert words == ["fieldvault", "participant", "rename", str(spaced), PSEUDONYM, "NEW"]
    pasted = fv(*[w if w != "NEW" else "Mele" for w in words[1:]])
    assert pasted.returncode == 0, pasted.stderr
    assert fv(*add).returncode == 0
    assert sorted(p.name for p in (spaced / "participants").iterdir()) == ["Lupe", "Mele"]
