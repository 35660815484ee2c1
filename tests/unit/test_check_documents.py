"""`fieldvault check` parses what authentication cannot judge (the session index, recording locks, the
sealed files of an event journal) and names each damaged one; a journal left without its lock is named as
interrupted work for `recover`. `backup` copies a damaged session index as it is, with a warning."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldvault.cli import main
from fieldvault.layout import AUDIO, EVENTS, EVENTS_JOURNAL, LOCK, SESSION_INDEX
from fieldvault.stewardship.rewrap import PLAN
from fieldvault.study import Study
from tests.conftest import PASSPHRASE

SESSION = "participants/Rose/20261125-100000"
DEEP = b"[" * 100_000 + b"]" * 100_000
EVENT = {"event": {"at": 1.5, "kind": "note", "text": "a pause", "index": None}, "schema_version": 1}


def fv(*argv: str) -> int:
    """The CLI in process, unlocked (it takes FIELDVAULT_PASSPHRASE out of its environment once read)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
        return main(list(argv))


def _journal(study: Study, lock: bool = True) -> Path:
    """A session cut off while recording: sealed audio, a journal of one event, and (if ``lock``) the lock of
    a recorder that died on another machine."""
    folder = study.root / SESSION
    (folder / EVENTS_JOURNAL).mkdir(parents=True)
    study.write_new(folder / AUDIO, b"RIFF")
    study.write_new(folder / EVENTS_JOURNAL / "info.json.age", json.dumps({"info": {}, "schema_version": 1}).encode())
    study.write_new(folder / EVENTS_JOURNAL / "00001.json.age", json.dumps(EVENT).encode())
    if lock:
        (folder / LOCK).write_text(json.dumps({"pid": 1, "host": "another-laptop", "schema_version": 1}))
    return folder


def _sealed(name: str, data: bytes) -> Callable[[Study], Path]:
    def damage(study: Study) -> Path:
        path = _journal(study) / EVENTS_JOURNAL / name
        path.unlink()
        study.write_new(path, data)  # authenticates: only parsing finds it
        return path

    return damage


def _plain(relative: str, data: bytes) -> Callable[[Study], Path]:
    def damage(study: Study) -> Path:
        _journal(study)
        (study.root / relative).write_bytes(data)
        return study.root / relative

    return damage


def _timeline(study: Study) -> Path:
    """A session whose sealed timeline authenticates but is no timeline (perf12: no check named it)."""
    folder = study.root / SESSION
    folder.mkdir(parents=True)
    study.write_new(folder / AUDIO, b"RIFF")
    return study.write_new(folder / EVENTS, b'{"pseudonym": "Rose", "session": "20261125-100000", "info": {')


DAMAGED = {
    "session timeline": (_timeline, "is not valid JSON"),
    "session index": (_plain(SESSION_INDEX, b'{"schema_version": 1, "sessions": {'), "is not valid JSON"),
    "session index nested": (_plain(SESSION_INDEX, DEEP), "nested deeper"),
    "recording lock": (_plain(f"{SESSION}/{LOCK}", b'{"pid": "1", "host": "x"}'), "pid should be int"),
    "journal entry": (_sealed("00001.json.age", b'{"event": {"at": "soon"}, "schema_version": 1}'), "event.at"),
    "journal start": (_sealed("info.json.age", DEEP), "nested deeper"),
    "removal plan": (_plain(PLAN, b'{"name": "Ana"'), "is not valid JSON"),
}


@pytest.mark.parametrize("damaged", list(DAMAGED))
def test_check_names_a_damaged_document_and_fails(
    damaged: str, study: Study, capsys: pytest.CaptureFixture[str]
) -> None:
    damage, says = DAMAGED[damaged]
    path = damage(study)
    before = path.read_bytes()
    capsys.readouterr()
    assert fv("check", str(study.root)) == 1
    out, err = capsys.readouterr()
    failed = [line for line in out.splitlines() if line.startswith("FAILED ")]
    assert len(failed) == 1 and failed[0].startswith(f"FAILED {path.relative_to(study.root)}: "), out
    assert says in failed[0] and str(path) in failed[0], failed
    assert "1 failure(s)" in out
    assert err.strip().splitlines()[-1].startswith("fieldvault: error: 1 file(s) failed the check"), err
    assert path.read_bytes() == before


def test_a_sound_cut_off_session_passes_the_check(study: Study, capsys: pytest.CaptureFixture[str]) -> None:
    _journal(study)
    assert fv("check", str(study.root)) == 0
    assert "0 failure(s)" in capsys.readouterr().out


def test_a_journal_left_without_its_lock_is_named_for_recover(study: Study, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _journal(study, lock=False)
    assert fv("check", str(study.root)) == 0
    out = capsys.readouterr().out
    assert f"note: {SESSION}/{EVENTS_JOURNAL} is left from interrupted work" in out
    assert f"run `fieldvault recover {study.root}`" in out
    assert fv("recover", str(study.root)) == 0  # the advice works: the journal is gathered
    assert (folder / EVENTS).is_file() and not (folder / EVENTS_JOURNAL).exists()
    capsys.readouterr()
    assert fv("check", str(study.root)) == 0
    assert "interrupted work" not in capsys.readouterr().out


def test_backup_copies_a_damaged_session_index_as_it_is_with_a_warning(
    study: Study, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = b'{"schema_version": 1, "sessions": {'
    _plain(SESSION_INDEX, damaged)(study)
    capsys.readouterr()
    assert fv("backup", str(study.root), str(tmp_path / "usb")) == 0
    err = capsys.readouterr().err.strip().splitlines()
    warning = [line for line in err if line.startswith("fieldvault: warning: ")]
    assert len(warning) == 1 and str(study.root / SESSION_INDEX) in warning[0] and "backed up as it is" in warning[0]
    assert (tmp_path / "usb" / SESSION_INDEX).read_bytes() == damaged
    assert (tmp_path / "usb" / SESSION / AUDIO).read_bytes() == (study.root / SESSION / AUDIO).read_bytes()
