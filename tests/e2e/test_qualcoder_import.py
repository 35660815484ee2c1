"""Our qdpx through QualCoder's own REFI-QDA importer (its refi.py), headless with PyQt6 offscreen.

QualCoder is GPL and needs PyQt6, so neither is part of fieldvault: point FIELDVAULT_QUALCODER_SRC at the
src/ folder of a QualCoder checkout and FIELDVAULT_QUALCODER_PYTHON at a Python with PyQt6 and Pillow
(the README's "Checking exports in QualCoder" says how). Without them these tests are skipped, saying why.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from fieldvault.study import Study
from tests.e2e.test_cli import fv
from tests.e2e.test_export import GUIDE, exportable  # noqa: F401 - the fixture

SRC = os.environ.get("FIELDVAULT_QUALCODER_SRC")
PYTHON = os.environ.get("FIELDVAULT_QUALCODER_PYTHON")
pytestmark = pytest.mark.skipif(
    not (SRC and PYTHON),
    reason="set FIELDVAULT_QUALCODER_SRC and FIELDVAULT_QUALCODER_PYTHON to run QualCoder's importer",
)


def _import(qdpx: Path, work: Path) -> dict:
    work.mkdir()
    done = subprocess.run(
        [str(PYTHON), str(Path(__file__).with_name("qualcoder_harness.py")), str(SRC), str(qdpx), str(work)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_qualcoder_imports_sources_codes_codings_and_linked_cases(exportable: Study, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "study.qdpx"
    assert fv("export", str(exportable.root), "--format", "qdpx", "--out", str(out)).returncode == 0
    db = _import(out, tmp_path / "qc")
    sources = {s["name"]: s for s in db["source"]}
    assert set(sources) == {"Rose 20261124-100000", "Lily 20261124-100000"}
    assert [c["name"] for c in db["code_name"]] == ["Prompt 1", "Prompt 2", "Prompt 3"]  # case codes became links
    assert [c["name"] for c in db["code_cat"]] == ["Interview prompts"]
    rose = sources["Rose 20261124-100000"]
    coded = {c["seltext"].split("\n")[0] for c in db["code_text"] if c["fid"] == rose["id"]}
    assert coded == {f"[00:00:00] (Prompt 1) {GUIDE[0]}", f"[00:00:08] (Prompt 2) {GUIDE[1]}"}
    cases = {c["caseid"]: c["name"] for c in db["cases"]}
    linked = {(cases[t["caseid"]], t["fid"], t["pos0"], t["pos1"]) for t in db["case_text"]}
    assert ("Rose", rose["id"], 0, len(rose["fulltext"])) in linked
    assert {a["name"]: a["value"] for a in db["attribute"] if a["id"] == 1}["age"] == "34"


def test_qualcoder_imports_audio_with_its_transcript_as_text(exportable: Study, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "audio.qdpx"
    done = fv("export", str(exportable.root), "--format", "qdpx", "--out", str(out), "--with-audio")
    assert done.returncode == 0, done.stderr
    db = _import(out, tmp_path / "qc")
    names = sorted(s["name"] for s in db["source"])
    assert names == [
        "Lily 20261124-100000.wav",
        "Lily 20261124-100000.wav.txt",
        "Rose 20261124-100000.wav",
        "Rose 20261124-100000.wav.txt",
    ]
    assert "audio/Rose 20261124-100000.wav" in db["files"] and not db["leftovers"]
    transcript = next(s for s in db["source"] if s["name"] == "Rose 20261124-100000.wav.txt")
    assert "[PERSON 2] was my pimp" in transcript["fulltext"]
    assert {c["fid"] for c in db["code_text"]} >= {transcript["id"]}
    assert {t["fid"] for t in db["case_text"]} == {s["id"] for s in db["source"] if s["name"].endswith(".txt")}


def test_qualcoder_imports_memos_as_journal_entries(exportable: Study, tmp_path: Path) -> None:  # noqa: F811
    from fieldvault.journal import add_entry

    add_entry(exportable, "After Rose's interview: she named Marcus twice; I felt out of my depth.")
    out = tmp_path / "memos.qdpx"
    done = fv("export", str(exportable.root), "--format", "qdpx", "--out", str(out), "--include-memos")
    assert done.returncode == 0, done.stderr
    db = _import(out, tmp_path / "qc")
    journals = {j["name"]: j["jentry"] for j in db["journal"]}
    assert journals["Journal entry 1"].startswith("After Rose's interview: she named [PERSON] twice;")
