"""QA W11: a PI works on one study folder from two computers (a synced folder; a desktop and a laptop). The disk
died, she restores an older backup where the study was and accepts it on computer A (`check --accept-older-log`),
then reviews Rose again there. Computer B, which saw the newer log too, refused every command, and its only way on
was a second acceptance, which made A's new review count as unreviewed again, with no word why. Now a computer whose
remembered head is among the entries a signed acceptance in the log recorded as lost takes that acceptance as its
own (a note, no refusal, no second acceptance). The attacks stay refused: an acceptance line appended without the
key, a log cut back after an acceptance below what B saw since, and a computer that saw more than the acceptance
lost. Real CLI, real `age`; each computer is its own XDG_CONFIG_HOME."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldvault import layout, loghead
from fieldvault.study import Study
from tests.e2e.test_cut_log import CUT, LIST, NAME, cut_back, last_seq
from tests.e2e.test_vouched_files import fv, one_line_refusal
from tests.e2e.test_vouched_sessions import REDACTIONS, export_txt, interview, review_pass

TAKEN = "an older backup was restored and accepted on"
Computer = Callable[[str], None]


@pytest.fixture
def computer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Computer:
    """``computer("A")``: what runs next runs on computer A (its own config folder, as on a second machine)."""
    monkeypatch.delenv("FIELDVAULT_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def on(name: str) -> None:
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / f"cfg-{name}"))

    return on


def head(tmp_path: Path, name: str, root: Path) -> dict[str, object]:
    heads = json.loads((tmp_path / f"cfg-{name}" / "fieldvault" / loghead.FILE).read_text())["studies"]
    (found,) = [h for key, h in heads.items() if key.endswith(f" {root.resolve()}")]
    return dict(found)


def acceptances(root: Path) -> list[dict[str, object]]:
    log = [json.loads(line) for line in (root / layout.AUDIT_FILE).read_text().splitlines()]
    return [entry for entry in log if entry["action"] == loghead.ACCEPTED]


def surname_added(root: Path, tmp_path: Path) -> None:
    """Her surname added to her list, and her session reviewed again (every span accepted)."""
    more = tmp_path / "more.txt"
    more.write_text("Mary Winterniller\n")
    assert fv("participant", "add-list", root, "Rose", "--append", "--identifiers", more).returncode == 0
    review_pass(root, accept_all=True)


def restored(study: Study, tmp_path: Path, on: Computer, b_sees_more: bool = False) -> tuple[Path, Path]:
    """Rose reviewed (her surname rejected: it goes out), a backup taken (the older copy); her surname added to her
    list and reviewed again on B, then A checks the study (A saw the newest entry, B one before it; ``b_sees_more``:
    B works on after that, so B saw more than A). The disk dies: the older copy is put back where the study was and A
    accepts it. Returns (study, older copy)."""
    on("A")
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=False)
    copy = tmp_path / "older"
    shutil.copytree(root, copy)
    on("B")
    surname_added(root, tmp_path)
    on("A")
    for _ in range(4):  # A's own entries: it saw the log go furthest
        assert fv("check", root).returncode == 0
    if b_sees_more:
        on("B")
        for _ in range(6):
            assert fv("check", root).returncode == 0
    shutil.rmtree(root)
    shutil.copytree(copy, root)
    on("A")
    accepted = fv("check", root, "--accept-older-log")
    assert accepted.returncode == 0 and "accepted an older audit log" in accepted.stderr, accepted.stderr
    return root, copy


def test_the_second_computer_takes_the_acceptance_and_the_reviews_done_since_stay_done(
    study: Study, tmp_path: Path, computer: Computer
) -> None:
    root, _ = restored(study, tmp_path, computer)
    one_line_refusal(export_txt(root, tmp_path / "a-unreviewed")[0], "nothing to export", "unreviewed: 1")
    review_pass(root, accept_all=True)  # A reviews Rose again
    done, out = export_txt(root, tmp_path / "a-after")
    assert done.returncode == 0 and "took me to" in out and NAME not in out, done.stderr
    computer("B")
    done, out = export_txt(root, tmp_path / "b")
    assert done.returncode == 0, done.stderr  # no refusal, no second acceptance: A's review counts here too
    (note,) = [line for line in done.stderr.splitlines() if TAKEN in line]
    (taken,) = acceptances(root)
    assert f"(entry {taken['seq']})" in note and str(taken["time"])[:10] in note and "Traceback" not in done.stderr
    assert "took me to" in out and NAME not in out
    again = fv("check", root)  # run twice: said once, then nothing
    assert again.returncode == 0 and TAKEN not in again.stderr and CUT not in again.stdout, again.stdout + again.stderr
    assert int(str(head(tmp_path, "B", root)["seq"])) == last_seq(root)
    computer("A")
    done, out = export_txt(root, tmp_path / "a-last")
    assert done.returncode == 0 and "took me to" in out and len(acceptances(root)) == 1, done.stderr


def test_an_acceptance_appended_without_the_key_makes_no_cut_back_log_pass(
    study: Study, tmp_path: Path, computer: Computer
) -> None:
    """The attacker cuts the log back, puts the older list and redactions back, and appends a line claiming B's
    remembered head was accepted as lost (unsigned, or with a mac copied from a signed entry): still refused."""
    computer("B")
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=False)
    copy = tmp_path / "older"
    shutil.copytree(root, copy)
    surname_added(root, tmp_path)
    seen = head(tmp_path, "B", root)
    entries = (root / layout.AUDIT_FILE).read_text().splitlines()
    cut_back(root, copy)
    computer("attacker")
    entry = Study.open(root).audit.append(loghead.ACCEPTED, head=f"{seen['seq']}:{seen['hash']}", count=3)
    computer("B")
    one_line_refusal(export_txt(root, tmp_path / "unsigned")[0], CUT)
    lines = (root / layout.AUDIT_FILE).read_text().splitlines()
    forged = {**json.loads(lines[-1]), "mac": json.loads(entries[-1])["mac"]}
    assert forged["hash"] == entry["hash"]
    (root / layout.AUDIT_FILE).write_text("\n".join([*lines[:-1], json.dumps(forged)]) + "\n")
    one_line_refusal(export_txt(root, tmp_path / "copied-mac")[0], CUT)
    assert TAKEN not in fv("check", root).stderr


def test_a_log_cut_back_after_the_acceptance_below_what_b_saw_since_is_refused(
    study: Study, tmp_path: Path, computer: Computer
) -> None:
    """B took A's acceptance and worked on (its head now newer than the acceptance, yet below the number the
    acceptance lost); the attacker cuts the log back to the acceptance, puts the older list and redactions back, and
    pads it with lines to past B's head: B refuses it."""
    root, _ = restored(study, tmp_path, computer)
    computer("B")
    assert fv("check", root).returncode == 0  # takes the acceptance
    after = tmp_path / "after-acceptance"
    shutil.copytree(root, after)
    surname_added(root, tmp_path)
    (taken,) = acceptances(root)
    seen = int(str(head(tmp_path, "B", root)["seq"]))
    lost = int(str(taken["details"]["head"]).partition(":")[0])  # type: ignore[index]
    assert int(str(taken["seq"])) < seen < lost  # within the entries the acceptance lost: only its memory tells
    cut_back(root, after)
    computer("attacker")
    study = Study.open(root)
    while last_seq(root) <= seen:
        study.audit.append("check", count=0)
    computer("B")
    checked = fv("check", root)
    assert checked.returncode == 1 and "holds another entry" in checked.stdout, checked.stdout + checked.stderr
    done, out = export_txt(root, tmp_path / "refused")
    one_line_refusal(done, CUT)
    assert out == "" and (root / LIST).is_file() and (root / REDACTIONS).is_file()


def test_a_computer_that_saw_more_than_the_acceptance_lost_must_accept_its_own_loss(
    study: Study, tmp_path: Path, computer: Computer
) -> None:
    root, _ = restored(study, tmp_path, computer, b_sees_more=True)
    computer("B")
    one_line_refusal(export_txt(root, tmp_path / "refused")[0], CUT)
    accepted = fv("check", root, "--accept-older-log")
    assert accepted.returncode == 0 and "accepted an older audit log" in accepted.stderr, accepted.stderr
    assert TAKEN not in accepted.stderr and len(acceptances(root)) == 2
