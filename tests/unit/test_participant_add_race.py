"""Two windows on one kit (README speaks of them), or a CLI beside the TUI, adding at the same moment (qa29 QE18):
look-alike pseudonyms were all taken, the same one gave tracebacks, and one add's check could remove the other's
folder, being written, as a cut-off add. One add at a time: the others are told in one line, and nothing is lost."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import tomli_w

from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.test_cli import EXE


def _at_once(kit: Path, tmp_path: Path, pseudonyms: list[str]) -> list[subprocess.CompletedProcess[str]]:
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    started = []
    for number, pseudonym in enumerate(pseudonyms):
        names = tmp_path / f"names{number}.txt"
        names.write_text(f"Person Number{number}\n", encoding="utf-8")
        argv = [EXE, "participant", "add", str(kit), pseudonym, "--answers", str(answers), "--identifiers", str(names)]
        started.append(subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    return [subprocess.CompletedProcess(p.args, p.wait(), *p.communicate()) for p in started]


@pytest.mark.parametrize("pseudonyms", [["Lena", "LENA", "Le\u0301na", "lena"], ["Mara"] * 4])
def test_adds_at_the_same_moment_take_one_name_and_tell_the_others_in_one_line(
    ready_study: Study, tmp_path: Path, pseudonyms: list[str]
) -> None:
    kit = ready_study.make_field_kit(tmp_path / "kit")
    done = _at_once(kit.root, tmp_path, pseudonyms)
    assert not any("Traceback" in d.stderr for d in done), [d.stderr for d in done]
    assert sorted(d.returncode for d in done) == [0, 1, 1, 1], [d.stderr for d in done]
    for refused in (d for d in done if d.returncode):
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("fieldvault: error: "), refused.stderr
    (added,) = Study.open(kit.root).participant_names()
    folder = kit.root / "participants" / added
    assert {p.name for p in folder.iterdir()} >= {"profile.json.age", "identifiers.json.age"}
