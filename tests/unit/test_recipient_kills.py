"""keys25: `fieldvault keys remove-recipient` and `keys add-recipient` killed (SIGKILL, tests/keykill.py) at every step
that changes the disk or the log, each point on its own copy of one study. Wherever the kill fell, check names the
command that finishes the work and never another (`keys rewrap` left a removal never recorded; a cut-off removal was
called planted), the same command run again succeeds, check is then clean, the real `age` opens nothing with the removed
key and everything with the one kept, and the log records the removal (or the addition) once."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fieldvault.agefile import X25519Identity
from fieldvault.atomicfile import host_tag
from fieldvault.cli import main
from fieldvault.stewardship.inventory import data_files
from fieldvault.stewardship.rewrap import PLAN, rewrap_stale
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, need
from tests.keykill import appending, killed_at

Run = Callable[..., tuple[int, str]]  # the `fieldvault` fixture


def _shared(study: Study, identities: list, tmp_path: Path, files: bool = True) -> dict[str, X25519Identity]:
    """The study (with three data files where ``files``) shared with a leaving transcriber, trx, and a staying
    colleague, keep, whose keys lie in tmp_path/NAME.key for the real `age`."""
    if files:
        study.write_new("journal/a.md.age", b"her story")
        study.write_new("fieldnotes/b.md.age", b"where she lives")
    people = {name: X25519Identity.generate() for name in ("trx", "keep")}
    for name, person in people.items():
        study.add_recipient(str(person.recipient()), name, identities)
        (tmp_path / f"{name}.key").write_text(f"{person}\n")
        (tmp_path / f"{name}.key").chmod(0o600)
    if files:
        rewrap_stale(study, identities, share=True)
        study.write_new("journal/c.md.age", b"written after both were added")
    return people


def _each_kill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: Callable[[Path], list[str]]) -> Iterator[Path]:
    """A copy of tmp_path's study (and of its computer's fieldvault home) in which ``argv(study)`` was killed at its
    first step, then one killed at its second, and so on, until the command runs through."""
    for k in itertools.count(1):
        monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
        copy = tmp_path / f"k{k}"
        shutil.copytree(tmp_path / "study", copy / "study")
        shutil.copytree(tmp_path / "fieldvault-home", copy / "home")
        monkeypatch.setenv("FIELDVAULT_HOME", str(copy / "home"))
        if not killed_at(k, argv(copy / "study")):
            return
        yield copy / "study"
        shutil.rmtree(copy)


@pytest.fixture
def fieldvault(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """`fieldvault ARGV` in this process, given the passphrase as a user does: its exit status and all it said."""

    def run(*argv: str | Path) -> tuple[int, str]:
        monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)  # each run takes it out of the environment
        capsys.readouterr()
        code = main([str(word) for word in argv])
        said = capsys.readouterr()
        return code, said.out + said.err

    return run


def _names_a_fix(said: str) -> bool:
    """Whether check's words send the user to a recipient command, or call a plan planted."""
    return any(words in said for words in ("keys rewrap", "keys remove-recipient", "keys add-recipient", "never began"))


def _opened(root: Path, key: Path) -> int:
    """How many of the study's data files ``key`` opens with the real `age`."""
    age = need("age")
    return sum(
        subprocess.run([age, "-d", "-i", str(key), str(path)], capture_output=True).returncode == 0
        for path in data_files(Study.open(root))
    )


def _logged(root: Path) -> Counter[str]:
    return Counter(entry["action"] for entry in Study.open(root).audit.entries())


def _listed(root: Path) -> list[str]:
    return [r.name for r in Study.open(root).config.recipients]


def test_a_removal_killed_at_any_step_is_finished_by_its_rerun_and_recorded_once(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    _shared(study, identities, tmp_path)
    kills = 0
    for root in _each_kill(tmp_path, monkeypatch, lambda root: ["keys", "remove-recipient", str(root), "trx"]):
        kills += 1
        _, said = fieldvault("check", root)
        assert "keys rewrap" not in said and "put it there" not in said, (kills, said)
        if "trx" not in _listed(root) and not _logged(root)["keys.remove-recipient"]:  # Z5: sealed, not recorded
            assert f"keys remove-recipient {root} trx" in said, (kills, said)
        code, said = fieldvault("keys", "remove-recipient", root, "trx")
        assert code == 0, (kills, said)
        code, said = fieldvault("check", root)
        assert code == 0 and not _names_a_fix(said) and ".tmp" not in said, (kills, said)  # keys27: swept by the rerun
        assert _opened(root, tmp_path / "trx.key") == 0 and _opened(root, tmp_path / "keep.key") == 3, kills
        logged = _logged(root)
        assert logged["keys.remove-recipient"] == logged["keys.remove-recipient.done"] == 1, (kills, logged)
        assert _listed(root) == ["study", "keep"] and not (root / PLAN).exists(), kills
    assert kills >= 40  # keys25 counted 56 steps


def test_an_addition_killed_at_any_step_is_finished_by_its_rerun_and_recorded_once(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    _shared(study, identities, tmp_path)
    new = X25519Identity.generate()
    (tmp_path / "new.key").write_text(f"{new}\n")
    (tmp_path / "new.key").chmod(0o600)
    add = ["keys", "add-recipient", "STUDY", str(new.recipient()), "--name", "new"]
    kills = 0
    for root in _each_kill(tmp_path, monkeypatch, lambda root: [str(root) if w == "STUDY" else w for w in add]):
        kills += 1
        _, said = fieldvault("check", root)
        if "new" in _listed(root) and _logged(root)["keys.add-recipient"] == 2:  # sealed, not recorded (keys25)
            assert f"keys add-recipient {root} {new.recipient()} --name new" in said, (kills, said)
        code, said = fieldvault(*[str(root) if w == "STUDY" else w for w in add])
        assert code == 0, (kills, said)
        code, said = fieldvault("check", root)
        assert code == 0 and not _names_a_fix(said) and ".tmp" not in said, (kills, said)
        added = [e for e in Study.open(root).audit.entries() if e["action"] == "keys.add-recipient"]
        assert [e["details"]["name"] for e in added] == ["trx", "keep", "new"], kills
        assert _listed(root) == ["study", "trx", "keep", "new"], kills
        later = Study.open(root)
        later.unlock(PASSPHRASE.encode())
        later.write_new("journal/d.md.age", b"written after the addition")
        assert _opened(root, tmp_path / "keep.key") == 4 and _opened(root, tmp_path / "new.key") == 1, kills
    assert kills >= 12  # keys25 counted 18 steps


def test_a_removal_cut_off_before_its_entry_in_a_study_with_no_data_files_is_recorded_by_its_rerun(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    """keys25: with no file opening to more keys than study.toml lists, check called the plan planted, the rerun said
    "no recipient named 'trx'", and the log never recorded the removal."""
    _shared(study, identities, tmp_path, files=False)
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert killed_at(1, ["keys", "remove-recipient", str(study.root), "trx"], appending("keys.remove-recipient"))
    assert _listed(study.root) == ["study", "keep"] and (study.root / PLAN).exists()
    _, said = fieldvault("check", study.root)
    assert "cut off before it was recorded" in said and f"keys remove-recipient {study.root} trx" in said, said
    assert "put it there" not in said
    code, said = fieldvault("keys", "remove-recipient", study.root, "trx")
    assert code == 0 and "removed trx" in said, said
    logged = _logged(study.root)
    assert logged["keys.remove-recipient"] == logged["keys.remove-recipient.done"] == 1, logged
    code, said = fieldvault("check", study.root)
    assert code == 0 and not _names_a_fix(said), said


def test_rewrap_refuses_while_a_removal_cut_off_before_its_entry_waits_and_check_names_the_removal(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    """keys25: check's FAILED lines said `keys rewrap` beside a note saying `keys remove-recipient`; following them
    re-wrapped the files, and the removal was never recorded nor could be run again ("no recipient named 'trx'")."""
    _shared(study, identities, tmp_path)
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert killed_at(1, ["keys", "remove-recipient", str(study.root), "trx"], appending("keys.remove-recipient"))
    code, said = fieldvault("check", study.root)
    finish = f"keys remove-recipient {study.root} trx"
    failed = [line for line in said.splitlines() if line.startswith("FAILED")]
    assert code != 0 and len(failed) == 3 and all(finish in line for line in failed), said
    assert "keys rewrap" not in said
    code, said = fieldvault("keys", "rewrap", study.root)
    assert code != 0 and finish in said and len(said.strip().splitlines()) == 1, said
    assert _opened(study.root, tmp_path / "trx.key") == 3  # rewrap left every file as it was
    code, said = fieldvault("keys", "remove-recipient", study.root, "trx")
    assert code == 0, said
    assert _opened(study.root, tmp_path / "trx.key") == 0 and _logged(study.root)["keys.remove-recipient"] == 1


def _only_the_study_toml_write(name: str, args: tuple) -> bool:
    """Counts the replacing of study.toml only: killed there, the plan is written and the list not yet sealed."""
    return name == "replace" and str(args[1]).endswith("study.toml")


def test_a_removal_killed_before_study_toml_is_sealed_is_named_by_check_and_finished_by_its_rerun(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    """keys27: the plan the study key sealed is the one thing that records such a removal, so check names its rerun."""
    _shared(study, identities, tmp_path)
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert killed_at(1, ["keys", "remove-recipient", str(study.root), "trx"], _only_the_study_toml_write)
    assert (study.root / PLAN).exists() and _listed(study.root) == ["study", "trx", "keep"]
    _, said = fieldvault("check", study.root)
    assert "cut off before it began" in said and f"keys remove-recipient {study.root} trx" in said, said
    assert "nobody recorded" not in said
    code, said = fieldvault("keys", "remove-recipient", study.root, "trx")
    assert code == 0 and "removed trx" in said and "note:" not in said, said
    assert _opened(study.root, tmp_path / "trx.key") == 0 and _opened(study.root, tmp_path / "keep.key") == 3


def test_a_plan_nobody_recorded_naming_a_listed_colleague_gets_no_advice_to_remove_her(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    """qa26: a plan naming a listed colleague, name and key, written by anyone who can write the folder, made check
    open with `keys remove-recipient DIR keep` (a removal cut off before it began has no other trace). Check now says
    that nobody recorded it, and how to read and delete it; so too for a copy of a plan the study key sealed for an
    earlier removal of her, put back after she was added again."""
    people = _shared(study, identities, tmp_path)
    keep = str(people["keep"].recipient())
    plan = study.root / PLAN
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert killed_at(1, ["keys", "remove-recipient", str(study.root), "keep"], _only_the_study_toml_write)
    sealed_earlier = plan.read_bytes()  # what the leaving trx copies while the steward's removal of keep waits
    assert fieldvault("keys", "remove-recipient", study.root, "keep")[0] == 0
    assert fieldvault("keys", "add-recipient", study.root, keep, "--name", "keep")[0] == 0
    assert fieldvault("keys", "rewrap", study.root, "--share")[0] == 0
    planted = {"name": "keep", "key": keep, "started": "2026-11-29T07:00:00+00:00", "schema_version": 1}
    since = {"since": _logged_seq(study.root, keep), "seal": "0" * 64}
    for forged in (json.dumps(planted).encode(), json.dumps({**planted, **since}).encode(), sealed_earlier):
        plan.write_bytes(forged)
        _, said = fieldvault("check", study.root)
        assert "keys remove-recipient" not in said and "cut off before it began" not in said, said
        told = [line for line in said.splitlines() if "nobody recorded" in line]
        assert len(told) == 1 and f"cat {plan}" in told[0] and f"rm {plan}" in told[0], said
    code, said = fieldvault("keys", "remove-recipient", study.root, "trx")
    assert code == 0 and "never began" in said, said
    assert _listed(study.root) == ["study", "keep"] and not plan.exists()
    assert _opened(study.root, tmp_path / "trx.key") == 0 and _opened(study.root, tmp_path / "keep.key") == 3


def _logged_seq(root: Path, key: str) -> int:
    return max(int(e["seq"]) for e in Study.open(root).audit.entries() if e["details"].get("recipient") == key)


def test_the_copy_a_killed_write_left_is_deleted_by_the_rerun_and_one_a_running_process_writes_is_left(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    """keys26: a write killed part-way leaves `.NAME.PID.tmp`, which check called "left from interrupted work" even
    after the rerun had finished: check now says what it is and that it is safe to delete, and the rerun, as it writes
    study.toml again, deletes it. One whose process still runs may be being written now: named so, and kept."""
    _shared(study, identities, tmp_path)
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert killed_at(1, ["keys", "remove-recipient", str(study.root), "trx"], _only_the_study_toml_write)
    [dead] = study.root.glob(".study.toml.*.tmp")
    with subprocess.Popen(["sleep", "60"]) as running:
        live = study.root / f".study.toml.{running.pid}.tmp"
        live.write_bytes(b"a write under way")
        _, said = fieldvault("check", study.root)
        assert f"{dead.name} is the copy of study.toml that a write cut off part-way left" in said, said
        assert f"safe to delete now: `rm {dead}`" in said and "left from interrupted work" not in said, said
        assert f"{live.name} is the copy of study.toml that process {running.pid}, running now, is writing" in said
        code, said = fieldvault("keys", "remove-recipient", study.root, "trx")
        assert code == 0, said
        assert not dead.exists() and live.read_bytes() == b"a write under way"
        running.kill()
    _, said = fieldvault("check", study.root)
    assert f"{live.name} is the copy of study.toml that a write cut off part-way left" in said, said
    assert _opened(study.root, tmp_path / "trx.key") == 0 and _listed(study.root) == ["study", "keep"]


def test_the_copy_another_computer_sharing_the_folder_writes_is_never_deleted_here(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    """rough28 (keys27's rest): the sweep judged a copy's writer by its PID on this computer alone; on a study in a
    folder two computers share, the other's write under way has a PID that runs nowhere here, and the next write here
    deleted its copy. A copy names the computer that writes it (a hash of its host name): another's is left, and
    check says whose it is and when it is safe to delete; this computer's own, its process gone, still goes."""
    import hashlib

    _shared(study, identities, tmp_path)
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    with subprocess.Popen(["true"]) as gone:
        pass  # a PID no process here has now
    other = hashlib.sha256(b"the-other-laptop").hexdigest()[:8]
    theirs = study.root / f".study.toml.{gone.pid}-{other}.tmp"
    theirs.write_bytes(b"a write under way on the other laptop")
    ours = study.root / f".study.toml.{gone.pid}-{host_tag()}.tmp"
    ours.write_bytes(b"a write killed here")
    _, said = fieldvault("check", study.root)
    assert (
        f"{theirs.name} is the copy of study.toml that a write on another computer sharing this folder (its process "
        f"{gone.pid}) is writing or left: this computer cannot tell whether that process runs, so nothing here deletes "
        f"it; once no fieldvault runs on the other computer, it is safe to delete: `rm {theirs}`"
    ) in said, said
    assert f"{ours.name} is the copy of study.toml that a write cut off part-way left" in said, said
    code, said = fieldvault("keys", "remove-recipient", study.root, "trx")  # writes study.toml anew
    assert code == 0, said
    assert not ours.exists() and theirs.read_bytes() == b"a write under way on the other laptop"
    assert not list(study.root.glob(f".study.toml.*-{host_tag()}.tmp"))  # its own copy renamed into place


def test_a_plan_left_under_its_temporary_name_too_goes_with_the_plan(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    """Killed between the plan's link and its temporary name's deletion, the plan is there under both names; the
    rerun, which deletes the plan at its end, deletes the other name with it."""
    _shared(study, identities, tmp_path)
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    temp = f".{PLAN}."
    assert killed_at(
        1,
        ["keys", "remove-recipient", str(study.root), "trx"],
        lambda name, args: name == "unlink" and temp in str(args[0]),
    )
    [left] = study.root.glob(f"{temp}*.tmp")
    assert left.samefile(study.root / PLAN)
    code, said = fieldvault("keys", "remove-recipient", study.root, "trx")
    assert code == 0, said
    assert not list(study.root.glob(f"{temp}*")) and not (study.root / PLAN).exists()
    code, said = fieldvault("check", study.root)
    assert code == 0 and ".tmp" not in said, said


@pytest.mark.parametrize("name", ["trx", "trx-back"])
def test_a_re_add_of_a_removed_key_cut_off_before_its_entry_is_not_told_as_an_older_study_toml_only(
    name: str, study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    """keys26: `keys add-recipient` of a key the log records removed, killed after study.toml was sealed with it and
    before its entry, made the next unlock say "an older copy of study.toml was put back" (a wrong story for a power
    cut). Under another name than it was removed as, no older study.toml can list it: the cut-off add is the story;
    under the same name, both stories are told. The key is removed again, and the add run again finishes it."""
    people = _shared(study, identities, tmp_path)
    trx = str(people["trx"].recipient())
    assert fieldvault("keys", "remove-recipient", study.root, "trx")[0] == 0
    add = ["keys", "add-recipient", str(study.root), trx, "--name", name]
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)  # each run takes it out of the environment
    assert killed_at(1, add, appending("keys.add-recipient"))
    assert _listed(study.root) == ["study", "keep", name]
    code, said = fieldvault("check", study.root)
    assert code == 1 and len(said.strip().splitlines()) == 1, said
    assert "a `keys add-recipient` adding it again was cut off before the audit log recorded it" in said, said
    assert f"to add it, run `fieldvault {' '.join(add)}` again" in said, said
    assert ("an older copy of study.toml was put back" in said) == (name == "trx"), said
    code, said = fieldvault(*add)
    assert code == 0, said
    code, said = fieldvault("check", study.root)
    assert code == 0 and not _names_a_fix(said), said
    assert _listed(study.root) == ["study", "keep", name]
    later = Study.open(study.root)
    later.unlock(PASSPHRASE.encode())
    later.write_new("journal/d.md.age", b"written after she was added again")
    assert _opened(study.root, tmp_path / "trx.key") == 1 and _opened(study.root, tmp_path / "keep.key") == 4


def test_an_older_study_toml_put_back_is_still_told_so(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    """Where the removed key is not last in the list, no addition put it there: only an older study.toml explains it."""
    _shared(study, identities, tmp_path)
    older = (study.root / "study.toml").read_bytes()
    assert fieldvault("keys", "remove-recipient", study.root, "trx")[0] == 0
    (study.root / "study.toml").write_bytes(older)
    code, said = fieldvault("check", study.root)
    assert code == 1 and "an older copy of study.toml was put back" in said and "add-recipient" not in said, said
    assert _listed(study.root) == ["study", "keep"]


def test_a_plan_checked_with_a_transcriber_s_key_is_not_told_as_a_removal_to_finish(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fieldvault: Run
) -> None:
    """keys27: without the study key no plan can be told from a planted one; check with another recipient's key said
    "the removal of recipient 'keep' was interrupted; finish it with `keys remove-recipient DIR keep`" for a plan
    anyone put there. It now sends the PI to check it with the study key, and names no removal."""
    people = _shared(study, identities, tmp_path)
    planted = {"name": "keep", "key": str(people["keep"].recipient()), "started": "2026-11-29T07:00:00+00:00"}
    (study.root / PLAN).write_text(json.dumps({**planted, "schema_version": 1}))
    _, said = fieldvault("check", study.root, "--identity", tmp_path / "trx.key")
    assert "keys remove-recipient" not in said and "was interrupted" not in said, said
    assert "only the study key tells one the PI began" in said and f"`fieldvault check {study.root}`" in said, said
    _, said = fieldvault("check", study.root)  # with the study key: told as planted
    assert "nobody recorded" in said and "keys remove-recipient" not in said, said


def test_a_study_toml_from_before_her_addition_put_back_beside_a_plan_naming_her_loses_her_nothing(
    study: Study, identities: list, tmp_path: Path, fieldvault: Run
) -> None:
    """keys26's rest: study.toml from before keep was added (its seal as valid as ever) put back, beside a plan naming
    keep, read as a removal cut off before it was recorded (the list lacks her, the log's last word on her is her
    addition): check said to finish it, and the rerun signed a removal nobody began. Without the plan, check said
    `keys rewrap` for each file still open to her, which takes every file from her. The plan must be sealed by the
    steward's own run; check fails study.toml for lacking her, `keys rewrap` refuses, and adding her back mends it."""
    trx = X25519Identity.generate()
    study.add_recipient(str(trx.recipient()), "trx", identities)
    older = (study.root / "study.toml").read_bytes()
    keep = X25519Identity.generate()
    study.add_recipient(str(keep.recipient()), "keep", identities)
    (tmp_path / "keep.key").write_text(f"{keep}\n")
    study.write_new("journal/a.md.age", b"her story")
    (study.root / "study.toml").write_bytes(older)
    planted = {"name": "keep", "key": str(keep.recipient()), "started": "2026-11-29T07:00:00+00:00"}
    (study.root / PLAN).write_text(json.dumps({**planted, "schema_version": 1}))
    code, said = fieldvault("check", study.root)
    assert code != 0 and "keys remove-recipient " + str(study.root) not in said and "nobody recorded" in said, said
    assert "FAILED study.toml: does not list keep" in said and "run `fieldvault keys rewrap" not in said, said
    fieldvault("keys", "remove-recipient", study.root, "keep")  # what the planted plan asked for
    assert not _logged(study.root)["keys.remove-recipient"] and not (study.root / PLAN).exists()
    code, said = fieldvault("keys", "rewrap", study.root)
    assert code != 0 and "does not list keep" in said and _opened(study.root, tmp_path / "keep.key") == 1, said
    code, said = fieldvault("keys", "add-recipient", study.root, str(keep.recipient()), "--name", "keep")
    assert code == 0, said
    code, said = fieldvault("check", study.root)
    assert code == 0 and not _names_a_fix(said), said
    assert _listed(study.root) == ["study", "trx", "keep"] and _opened(study.root, tmp_path / "keep.key") == 1
