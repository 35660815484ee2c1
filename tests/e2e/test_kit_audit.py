"""A field kit whose audit log lost the end of its last line (a dead battery during an append) goes on working:
the torn bytes are kept beside the log, the log says so, and the kit merges as before (QA F28)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import tomli_w

from fieldvault.study import Study
from tests.conftest import ANSWERS
from tests.e2e.conftest import speech
from tests.e2e.test_cli import fv

TORN = b'{"seq": 2, "time": "2026-11-'


@pytest.fixture
def kit(ready_study: Study, tmp_path: Path) -> Path:
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    kit = tmp_path / "kit"
    assert fv("field-kit", str(ready_study.root), str(kit)).returncode == 0
    done = fv("participant", "add", str(kit), "Tt", "--answers", str(answers))
    assert done.returncode == 0, done.stderr
    return kit


def _tear(kit: Path) -> None:
    with (kit / "audit.jsonl").open("ab") as log:
        log.write(TORN)


def _actions(root: Path) -> list[str]:
    return [str(entry["action"]) for entry in Study.open(root).audit.entries()]


def test_a_torn_last_line_on_a_kit_is_set_aside_and_the_kit_goes_on(
    ready_study: Study, kit: Path, tmp_path: Path
) -> None:
    _tear(kit)
    verified = fv("audit", str(kit), "--verify")
    assert verified.returncode == 0 and f"torn last line of {len(TORN)} bytes" in verified.stdout, verified.stderr
    speech(tmp_path / "c1.wav", "We left before the sun came up.")
    done = fv("import", str(kit), "Tt", str(tmp_path / "c1.wav"))
    assert done.returncode == 0, done.stderr
    (aside,) = kit.glob("audit.jsonl.torn-*")
    assert aside.read_bytes() == TORN  # evidence kept, never dropped
    assert _actions(kit)[-3:] == ["audit.torn-line", "import.staged", "import"]  # staged: QA AA9
    speech(tmp_path / "c2.wav", "We left after the sun went down.")  # a file of its own: merge-kit refuses a copy
    again = fv("import", str(kit), "Tt", str(tmp_path / "c2.wav"))  # run twice: nothing more set aside
    assert again.returncode == 0 and len(list(kit.glob("audit.jsonl.torn-*"))) == 1
    merged = fv("merge-kit", str(kit), str(ready_study.root))
    assert merged.returncode == 0, merged.stderr
    study_log = ready_study.audit.entries()
    taken = [e["details"] for e in study_log if e["action"] == "field-kit.entry"]
    assert {"origin_action": "audit.torn-line", "file": aside.name, "bytes": len(TORN)}.items() <= next(
        d for d in taken if d["origin_action"] == "audit.torn-line"
    ).items()
    assert fv("audit", str(ready_study.root), "--verify").returncode == 0


def test_a_kit_with_a_torn_line_takes_a_new_participant(kit: Path, tmp_path: Path) -> None:
    _tear(kit)
    done = fv("participant", "add", str(kit), "Tu", "--answers", str(tmp_path / "answers.toml"))
    assert done.returncode == 0, done.stderr
    assert _actions(kit)[-2:] == ["audit.torn-line", "participant.add"]


def _refused_at_line_2(kit: Path) -> None:
    done = fv("audit", str(kit), "--verify")  # a kit first notes that it checks the chain only
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("fieldvault: error: audit.jsonl line 2 is not"), done.stderr


def test_a_damaged_line_in_the_middle_of_a_kits_log_is_still_refused(kit: Path, tmp_path: Path) -> None:
    log = kit / "audit.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(lines[0] + b'{"seq": 1, "ti\n' + b"".join(lines[1:]))
    _refused_at_line_2(kit)
    before = log.read_bytes()
    _tear(kit)
    speech(tmp_path / "c1.wav", "We left before the sun came up.")
    fv("import", str(kit), "Tt", str(tmp_path / "c1.wav"))
    _refused_at_line_2(kit)  # still named: setting the torn tail aside changes nothing before it
    assert log.read_bytes().startswith(before)


def test_a_torn_line_on_the_study_does_not_stop_check(ready_study: Study) -> None:
    _tear(ready_study.root)
    done = fv("check", str(ready_study.root))
    assert done.returncode == 0, done.stderr
    assert "torn last line" in done.stdout
    assert _actions(ready_study.root)[-2:] == ["audit.torn-line", "check"]
    assert all("mac" in entry for entry in ready_study.audit.entries()[-2:])  # noted with the study key


def _record(kit: Path, pulse: str) -> subprocess.CompletedProcess[str]:
    return fv("record", str(kit), "Tt", "--device", pulse, "--seconds", "2", timeout=60)


@pytest.mark.slow
def test_a_recording_on_a_kit_with_a_torn_log_succeeds_and_is_logged(kit: Path, pulse: str) -> None:
    _tear(kit)
    done = _record(kit, pulse)
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    assert _actions(kit)[-3:] == ["audit.torn-line", "record.start", "record"]  # its start is logged too (qa27 QC3)
    assert [p.read_bytes() for p in kit.glob("audit.jsonl.torn-*")] == [TORN]


@pytest.mark.slow
def test_a_recording_the_log_cannot_note_is_reported_as_recorded_not_failed(kit: Path, pulse: str) -> None:
    log = kit / "audit.jsonl"
    log.write_bytes(log.read_bytes() + b'{"seq": 2, "ti\n')  # a damaged whole line: refused, as before
    done = _record(kit, pulse)
    assert done.returncode == 0, done.stderr
    assert "warning: recorded and sealed" in done.stderr and "audit.jsonl" in done.stderr, done.stderr
    (session,) = (kit / "participants" / "Tt").glob("2*")
    assert (session / "audio.wav.age").is_file() and not (session / "recording.lock").exists()
