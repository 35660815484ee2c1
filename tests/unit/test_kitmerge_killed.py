"""QA J5: a merge-kit killed part-way (SIGKILL, at each step of the merge), then run again: the re-run finishes the
merge and records what it merged, the files the killed one had placed among them; nothing lost, nothing twice."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fieldvault.errors import BadStudyFile
from fieldvault.events import SessionEvents
from fieldvault.kitmerge import merge_kit
from fieldvault.sessioninfo import MEMBER_CHECK, SessionInfo, read_index, write_session_info
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, kit_participant
from tests.kitkill import POINTS
from tests.stewardship import ROSA, add_person

CHECKOUT = Path(__file__).resolve().parents[2]
SESSIONS = {"Lena": ("20261124-100000", "20261125-100000"), "Rosa": ("20261124-110000",)}


def _kit(study: Study, root: Path) -> tuple[Study, list[str], list[str]]:
    """A kit with a new participant and one the study has, three sessions (one a member check), a log entry for each;
    returns it, every file merge-kit must bring in and those of its participants' folders the study holds already."""
    add_person(study, ROSA, sessions=0)
    kit = study.make_field_kit(root)
    kit_participant(kit, "Lena")
    for pseudonym, sessions in SESSIONS.items():
        for n, session in enumerate(sessions):
            folder = kit.root / "participants" / pseudonym / session
            kit.write_new(folder / "audio.wav.age", b"RIFF....WAVEdata" + f"{pseudonym} {n}".encode() * 1000)
            kit.write_new(folder / "events.json.age", SessionEvents(pseudonym, session).to_json())
            write_session_info(kit, folder, SessionInfo(MEMBER_CHECK if n else "first"))
            kit.audit.append("record", pseudonym=pseudonym, session=session, seconds=1.0)
    files = sorted(str(p.relative_to(kit.root)) for p in (kit.root / "participants").rglob("*") if p.is_file())
    held = [f for f in files if (study.root / f).exists()]
    return kit, [f for f in files if f not in held], held


def _same(study: Study, kit: Study, target: str, identities: list) -> bool:
    if target.endswith(".age"):
        return study.read(target, identities) == kit.read(target, identities)
    return (study.root / target).read_bytes() == (kit.root / target).read_bytes()


def _killed(point: str, study: Study, kit: Study) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.kitkill", point, str(study.root), str(kit.root)],
        cwd=CHECKOUT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, (point, done.returncode, done.stderr[-2000:])


def _merged_entries(study: Study) -> list[dict]:
    return [e["details"] for e in study.audit.entries() if e["action"] == "field-kit.merged"]


@pytest.mark.parametrize("point", list(POINTS))
def test_a_merge_killed_at_any_step_is_finished_and_recorded_by_the_next(
    ready_study: Study, identities: list, tmp_path: Path, point: str
) -> None:
    kit, wanted, held = _kit(ready_study, tmp_path / "kit")
    _killed(point, ready_study, kit)

    report = merge_kit(Study.open(ready_study.root), kit.root, identities)

    study = Study.open(ready_study.root)
    assert len(wanted) >= 9
    for target in wanted:  # every file of the kit in the study, whole
        assert _same(study, kit, target, identities), target
    merges = _merged_entries(study)
    sessions = sum(len(s) for s in SESSIONS.values())
    if point == "recorded":  # the killed merge had said what it merged: the next merges nothing new, and says so
        assert [(m["count"], m["sessions"]) for m in merges] == [(len(wanted), sessions), (0, 0)]
        assert report.merged == [] and sorted(report.already) == sorted(wanted + held)
    else:  # one record of the merge, naming every file, the killed run's among them
        assert [(m["count"], m["sessions"]) for m in merges] == [(len(wanted), sessions)]
        assert sorted(report.merged) == wanted and report.already == held
    letters = [e["details"] for e in study.audit.entries() if e["action"] == "field-kit.letter-unknown"]
    assert letters == [{"pseudonym": "Lena", "version": "letter-1"}]  # kit_participant's letter: recorded once
    taken = [e["details"]["sha256"] for e in study.audit.entries() if e["action"] == "field-kit.entry"]
    assert len(taken) == len(set(taken)) == len(kit.audit.entries())  # the kit's log taken once, all of it
    assert read_index(study.root)["Lena/20261125-100000"].kind == MEMBER_CHECK  # indexed though the kill came first
    assert not [p.name for p in study.root.iterdir() if p.name.startswith(".merging")]
    result = check_study(study, identities)
    assert result.failures == [] and result.strays == []
    again = merge_kit(study, kit.root, identities)  # and once more: nothing new, nothing counted twice
    assert again.merged == [] and _merged_entries(study)[-1]["count"] == 0


def test_check_names_a_merge_cut_off_until_it_is_run_again(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit, wanted, _ = _kit(ready_study, tmp_path / "kit")
    _killed("placed", ready_study, kit)
    strays = check_study(Study.open(ready_study.root), identities).strays
    assert [line.split(": ", 1)[1].split(";")[0] for line in strays if ".merging-kit" in line] == [
        "a merge-kit was cut off before it was done"
    ]
    secret = tmp_path / "passphrase"
    secret.write_bytes(PASSPHRASE.encode())
    secret.chmod(0o600)
    done = subprocess.run(  # the command line's re-run says what it merged, the killed run's files among them
        [sys.executable, "-m", "fieldvault", "merge-kit", str(kit.root), str(ready_study.root),
         "--passphrase-file", str(secret)],
        cwd=CHECKOUT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (
        sorted(line.removeprefix("merged ") for line in done.stdout.splitlines() if line.startswith("merged "))
        == wanted
    )
    assert f"{len(wanted)} file(s) merged in 3 session(s)" in done.stdout
    assert not [line for line in check_study(Study.open(ready_study.root), identities).strays if "merge" in line]


def test_a_damaged_record_of_a_merge_under_way_is_one_line_and_changes_nothing(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit, _, _ = _kit(ready_study, tmp_path / "kit")
    _killed("placed", ready_study, kit)
    (record,) = ready_study.root.glob(".merging-kit-*")
    record.write_bytes(record.read_bytes()[:-3])  # cut off
    before = sorted(p.name for p in (ready_study.root / "participants").rglob("*"))
    with pytest.raises(BadStudyFile, match=r"\.merging-kit-.* does not read: .*; delete it and merge again"):
        merge_kit(Study.open(ready_study.root), kit.root, identities)
    assert sorted(p.name for p in (ready_study.root / "participants").rglob("*")) == before
