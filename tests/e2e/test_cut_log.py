"""QA U9: someone with the study folder and no passphrase cuts the audit log's last entries off and puts back older
genuine files kept from an earlier copy (her list before a name was added, the redactions before a review redacted
her name): every "the newest signed entry vouches for this file" rule agreed with the older files, `check` passed
and the reviewed export carried her real name. This computer remembers how far each study's log went (outside the
study: fieldvault.loghead) and refuses a log that lacks that entry, in `check` and wherever the study is unlocked.
The legitimate cases go on: an older backup restored on purpose (accepted with the passphrase), a copy on a second
computer, a log grown elsewhere, a field kit, a read-only config folder. Real CLI, real `age`."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w

from fieldvault import layout, loghead
from fieldvault.study import Study
from tests.conftest import ANSWERS, need
from tests.e2e.test_vouched_files import fv, one_line_refusal
from tests.e2e.test_vouched_sessions import REDACTIONS, export_txt, failed_lines, interview, review_pass

LIST = "participants/Rose/identifiers.json.age"
NAME = "Winterniller"  # her real name: said in the interview, rejected in the first review, on no list yet
CUT = "entries were cut off"


def head_file(home: Path) -> Path:
    return home / loghead.FILE


def remembered_seq(home: Path, root: Path) -> int:
    """What the config folder ``home`` remembers of the study in ``root`` (each folder its own: QA V16)."""
    heads = json.loads(head_file(home).read_text())["studies"]
    (head,) = [head for key, head in heads.items() if key.endswith(f" {root.resolve()}")]
    return int(head["seq"])


def last_seq(root: Path) -> int:
    return len((root / layout.AUDIT_FILE).read_text().splitlines()) - 1


@pytest.fixture
def earlier(study: Study, tmp_path: Path) -> tuple[Path, Path]:
    """Rose's reviewed interview (her name rejected: it goes out), a copy of the folder taken then (the attacker's),
    then her name added to her list and a second review that redacts it. Returns (study, earlier copy)."""
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=False)
    done, out = export_txt(root, tmp_path / "first")
    assert done.returncode == 0 and NAME in out, done.stderr + out  # the older state does let it out
    copy = tmp_path / "earlier"
    shutil.copytree(root, copy)
    more = tmp_path / "more.txt"
    more.write_text("Mary Winterniller\n")
    added = fv("participant", "add-list", root, "Rose", "--append", "--identifiers", more)
    assert added.returncode == 0, added.stderr
    review_pass(root, accept_all=True)
    done, out = export_txt(root, tmp_path / "newer")
    assert done.returncode == 0 and NAME not in out and "took me to" in out, done.stderr + out
    return root, copy


def cut_back(root: Path, copy: Path) -> None:
    """The attack: the older list and redactions put back, the log cut to the older head (no key needed)."""
    older, newer = (copy / layout.AUDIT_FILE).read_bytes(), (root / layout.AUDIT_FILE).read_bytes()
    assert newer.startswith(older) and len(newer) > len(older)  # a cut, not a rewrite
    for relative in (LIST, REDACTIONS):
        shutil.copy2(copy / relative, root / relative)
    (root / layout.AUDIT_FILE).write_bytes(older)


@pytest.mark.parametrize("marker", [False, True])
def test_a_log_cut_back_with_older_files_put_back_fails_check_and_every_reader_refuses(
    earlier: tuple[Path, Path], tmp_path: Path, marker: bool
) -> None:
    """``marker``: QA W1, a backup's marker copied into the study folder too (any backup of the study holds one): a
    backup folder's head is never remembered, but this folder's is, as a study's, and a marker does not forget it."""
    root, copy = earlier
    cut_back(root, copy)
    if marker:
        assert fv("backup", copy, tmp_path / "old-usb").returncode == 0
        shutil.copy2(tmp_path / "old-usb" / layout.BACKUP_MARKER, root / layout.BACKUP_MARKER)
    checked = fv("check", root)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    failed = [line for line in checked.stdout.splitlines() if "FAILED" in line]
    assert len(failed) == 1 and layout.AUDIT_FILE in failed[0] and CUT in failed[0], checked.stdout
    assert "--accept-older-log" in failed[0] and "Traceback" not in checked.stderr
    entries = (root / layout.AUDIT_FILE).read_bytes()
    for more, out_dir in (((), "reviewed"), (("--include-unreviewed",), "all")):
        done, out = export_txt(root, tmp_path / out_dir, *more)
        one_line_refusal(done, CUT)
        assert out == ""
    writing = "yet this computer knows it as a study: it was copied in from a backup" if marker else CUT  # QA Y10
    one_line_refusal(fv("redact", root, "Rose", "--again"), writing)
    one_line_refusal(fv("backup", root, tmp_path / "usb"), CUT)
    one_line_refusal(fv("audit", root, "--verify"), CUT)
    assert not (tmp_path / "usb").exists()
    assert (root / layout.AUDIT_FILE).read_bytes() == entries  # nothing was chained to the older head
    study = Study.open(root)  # the review screen and the editor unlock the same way
    with pytest.raises(loghead.OlderLog, match=CUT):
        study.unlock(b"a long test passphrase")


def test_another_entry_at_the_remembered_number_is_refused_too(earlier: tuple[Path, Path]) -> None:
    """Cut back, then a locked command chains on (an import on the attacker's copy): as long again, or longer, yet
    the entry at the remembered number is another one. The locked write does not move what is remembered."""
    root, copy = earlier
    home = Path(os.environ["FIELDVAULT_HOME"])
    seen = remembered_seq(home, root)
    cut_back(root, copy)
    study = Study.open(root)
    while last_seq(root) <= seen:
        study.audit.append("check", count=0)  # what a locked command writes: no key needed
    assert remembered_seq(home, root) == seen
    checked = fv("check", root)
    assert checked.returncode == 1 and "holds another entry" in checked.stdout, checked.stdout + checked.stderr


def test_with_the_memory_deleted_too_only_a_newer_backup_tells(earlier: tuple[Path, Path], tmp_path: Path) -> None:
    """What this does not cover (README): a computer that never saw the newer head, which is what deleting the
    memory makes of this one. The backup drive that holds the newer state still refuses the older copy (QA Q11)."""
    root, copy = earlier
    assert fv("backup", root, tmp_path / "usb").returncode == 0
    cut_back(root, copy)
    head_file(Path(os.environ["FIELDVAULT_HOME"])).unlink()  # the attacker cannot reach the PI's home: say they did
    assert failed_lines(root) == []  # nothing in the folder can tell: the documented limit
    again = fv("backup", root, tmp_path / "usb")
    assert again.returncode == 1 and "older" in again.stderr, again.stdout + again.stderr


def test_an_older_backup_restored_on_purpose_is_accepted_with_the_passphrase(
    earlier: tuple[Path, Path], tmp_path: Path
) -> None:
    """The disk died; the PI restores the copy she has (older). Refused until she accepts it with the passphrase;
    the acceptance says what was lost, is recorded in the log, and the study then works (her name goes out again
    until she adds it again: what the older copy held)."""
    root, copy = earlier
    seen = remembered_seq(Path(os.environ["FIELDVAULT_HOME"]), root)
    shutil.rmtree(root)
    shutil.copytree(copy, root)
    one_line_refusal(export_txt(root, tmp_path / "refused")[0], CUT)
    locked = fv("check", root, "--accept-older-log", passphrase=False)
    assert locked.returncode != 0 and "accepted" not in locked.stderr, locked.stdout + locked.stderr
    accepted = fv("check", root, "--accept-older-log")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    lost = seen - last_seq(copy)
    assert f"accepted an older audit log: it ends at entry {last_seq(copy)}" in accepted.stderr, accepted.stderr
    assert f"at least {lost} entries" in accepted.stderr and accepted.stderr.count("accepted an older") == 1
    log = [json.loads(line) for line in (root / layout.AUDIT_FILE).read_text().splitlines()]
    taken = [e for e in log if e["action"] == loghead.ACCEPTED]
    assert len(taken) == 1 and taken[0]["details"]["count"] == lost and "mac" in taken[0]
    assert failed_lines(root) == []
    again = fv("check", root, "--accept-older-log")  # run twice: nothing more to accept
    assert again.returncode == 0 and "accepted" not in again.stderr, again.stderr
    # What the older copy's review decided may be an attacker's older file put back with the log cut to it: it
    # counts as unreviewed until she reviews it again (QA V15): the reviewed export leaves it out, an unreviewed one
    # replaces every proposal, her name among them.
    one_line_refusal(export_txt(root, tmp_path / "reviewed")[0], "nothing to export", "unreviewed: 1")
    done, out = export_txt(root, tmp_path / "after", "--include-unreviewed")
    assert done.returncode == 0 and NAME not in out and "took me to" in out, done.stderr + out
    review_pass(root, accept_all=False)  # reviewed again (her name rejected, as in the older copy): it counts
    done, out = export_txt(root, tmp_path / "again")
    assert done.returncode == 0 and NAME in out, done.stderr


def test_a_restore_test_in_another_folder_never_makes_the_study_look_cut_back(
    earlier: tuple[Path, Path], tmp_path: Path
) -> None:
    """QA V16: the README's restore test (a backup restored into a new folder and checked there) wrote the copy's own
    `check` entry as this computer's head, and the study itself then failed as cut back. Each folder keeps its own."""
    root, _ = earlier
    backup, restored = tmp_path / "usb", tmp_path / "restore-test"
    assert fv("backup", root, backup).returncode == 0
    shutil.copytree(backup, restored)
    (restored / ".fieldvault-backup.json").unlink()
    for folder in (restored, restored, root, root):  # each twice: its own check entries
        checked = fv("check", folder)
        assert checked.returncode == 0 and CUT not in checked.stdout + checked.stderr, checked.stdout + checked.stderr
    done, out = export_txt(root, tmp_path / "exported")
    assert done.returncode == 0 and NAME not in out, done.stderr + out


def test_a_copy_on_a_second_computer_is_fine_and_remembered_there(
    earlier: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, copy = earlier
    other = tmp_path / "second-computer"
    monkeypatch.setenv("FIELDVAULT_HOME", str(other))
    assert failed_lines(copy) == []
    assert remembered_seq(other, copy) == last_seq(copy)  # `check` wrote its own entry, signed
    done, out = export_txt(copy, tmp_path / "there")
    assert done.returncode == 0 and NAME in out, done.stderr  # the copy's own (older) state: nothing refused


def test_a_log_grown_on_another_computer_is_fine_and_its_new_head_remembered(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The study goes to the PI's laptop (another config folder), grows there, and comes back longer: the entry this
    computer remembered is still in it. Its new head is remembered on unlocking, before anything is written."""
    root = interview(study, tmp_path).root
    home = Path(os.environ["FIELDVAULT_HOME"])
    seen = remembered_seq(home, root)
    laptop = tmp_path / "laptop"
    shutil.copytree(root, laptop)
    with monkeypatch.context() as there:
        there.setenv("FIELDVAULT_HOME", str(tmp_path / "laptop-home"))
        review_pass(laptop, accept_all=True)
    shutil.rmtree(root)
    shutil.copytree(laptop, root)
    grown = last_seq(root)
    assert grown > seen and remembered_seq(home, root) == seen
    Study.open(root).unlock(b"a long test passphrase")
    assert remembered_seq(home, root) == grown
    assert failed_lines(root) == []
    done, out = export_txt(root, tmp_path / "back")
    assert done.returncode == 0 and NAME not in out, done.stderr + out


def test_a_field_kit_keeps_its_own_log_and_moves_nothing_here(study: Study, tmp_path: Path) -> None:
    """A kit's log is its own (forward-keyed, fieldvault.auditratchet); written on the PI's computer, with the study's
    key in its study.toml, it must not move the study's remembered head, nor be refused by it."""
    root = interview(study, tmp_path).root
    home = Path(os.environ["FIELDVAULT_HOME"])
    kit = tmp_path / "kit"
    assert fv("field-kit", root, kit).returncode == 0
    seen = remembered_seq(home, root)
    answers, names = tmp_path / "a.toml", tmp_path / "y.txt"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    names.write_text("Zed Quorra\n")
    added = fv("participant", "add", kit, "Yara", "--answers", answers, "--identifiers", names, passphrase=False)
    assert added.returncode == 0, added.stderr
    assert remembered_seq(home, root) == seen and last_seq(kit) >= 1
    merged = fv("merge-kit", kit, root)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert remembered_seq(home, root) == last_seq(root) > seen
    assert failed_lines(root) == []


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` unwritable, even by root (as the tests run here): immutable while it lasts."""
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable:
        subprocess.run([need("chattr"), "+i", str(folder)], check=True)
    try:
        with pytest.raises(OSError):
            (folder / "probe").write_text("")
        yield
    finally:
        if immutable:
            subprocess.run([need("chattr"), "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_a_read_only_config_folder_warns_once_and_fails_nothing(earlier: tuple[Path, Path], tmp_path: Path) -> None:
    root, copy = earlier
    home = Path(os.environ["FIELDVAULT_HOME"])
    seen = remembered_seq(home, root)
    with read_only(home):
        checked = fv("check", root)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        warned = [line for line in checked.stderr.splitlines() if "cannot remember this study's audit log" in line]
        assert len(warned) == 1, checked.stderr
        done, out = export_txt(root, tmp_path / "out")
        assert done.returncode == 0 and NAME not in out, done.stderr
        assert remembered_seq(home, root) == seen
        cut_back(root, copy)  # what it remembered still counts
        one_line_refusal(export_txt(root, tmp_path / "refused")[0], CUT)
