"""A person keeps her [PERSON n] in every export of one woman's data, whatever it selects and however far review has
gone (QA R6: `--include-unreviewed` numbered the unreviewed session's people first and shifted the reviewed one's; a
session reviewed later shifted them again; coders compare exports across rounds). The numbers are kept with her
data, sealed; `check` reads them as hers, and her withdrawal destroys them."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.export.placeholders import UNKEPT
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.redact.review import ACCEPTED, propose, save, store
from fieldvault.stewardship.check import check_study
from fieldvault.stewardship.withdraw import withdraw
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.test_export_leaks import NOW, _review_all, _session

pytestmark = pytest.mark.slow

FIRST = ["Marisol Quintanilla took my passport in Tucson.", "Keandra Whitfield helped me get out."]
SECOND = ["Jasmine Okoro drove me. Marisol Quintanilla paid her."]


def _line(folder: Path, session: int) -> str:
    """The last line of her session's txt file, its text after the speaker."""
    return (folder / f"Rose_session-{session}.txt").read_text().splitlines()[-1].split(": ", 1)[1]


def _csv_lines(path: Path, session: str) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as rows:
        return [row["text"] for row in csv.DictReader(rows) if row["session"] == session]


def _people(text: str) -> list[str]:
    return re.findall(r"\[PERSON \d+\]", text)


def test_a_persons_number_holds_over_unreviewed_sessions_samples_and_later_review(study: Study, tmp_path: Path) -> None:
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Rose", dict(ANSWERS), consent, [])
    _, first = _session(study, "Rose", "20261124-100000", FIRST)
    save(study, propose(first, []))  # `fieldvault redact`: proposed, nobody has decided
    _, second = _session(study, "Rose", "20261125-100000", SECOND)
    _review_all(study, second, [])
    keys = study.unlock(PASSPHRASE.encode())

    export(study, keys, Options("txt"), tmp_path / "week1", Request())  # session 2 only: the other is unreviewed
    week1 = _line(tmp_path / "week1", 2)
    assert week1 == "[PERSON 1] drove me. [PERSON 2] paid her.", week1

    export(study, keys, Options("txt"), tmp_path / "all", Request(include_unreviewed=True))
    assert _line(tmp_path / "all", 2) == week1
    first_text = (tmp_path / "all" / "Rose_session-1.txt").read_text()
    assert "[PERSON 2] took my passport" in first_text and "[PERSON 3] helped me" in first_text, first_text
    export(study, keys, Options("csv"), tmp_path / "all.csv", Request(include_unreviewed=True))
    assert _people(" ".join(_csv_lines(tmp_path / "all.csv", "2"))) == _people(week1)
    sealed = layout.participant(study.root, "Rose") / layout.PLACEHOLDERS
    assert sealed.read_bytes().startswith(b"age-encryption.org/v1") and b"Okoro" not in sealed.read_bytes()

    for seed in range(20):  # a second coder's sample that holds session 2 alone
        out = tmp_path / f"sample{seed}"
        export(study, keys, Options("txt"), out, Request(include_unreviewed=True, sample=0.5, seed=seed))
        if [p.name for p in out.iterdir()] == ["Rose_session-2.txt"]:
            assert _line(out, 2) == week1
            break
    else:
        pytest.fail("no seed sampled session 2 alone")

    # Session 1 is reviewed at last, Keandra rejected: a number once given is never given to another person.
    reviewed = propose(first, [])
    for span in reviewed.spans:
        reviewed.decide(span.id, "rejected" if span.text.startswith("Keandra") else ACCEPTED, "reviewer", NOW)
    reviewed.mark_reviewed("reviewer", NOW)
    store(study, reviewed, "redaction.reviewed")  # as Ctrl+R stores it (vouched: QA T11)
    _, third = _session(study, "Rose", "20261126-100000", ["Then Bradley Nunez found me."])
    _review_all(study, third, [])
    export(study, keys, Options("txt"), tmp_path / "week2", Request())
    assert _line(tmp_path / "week2", 2) == week1
    assert "[PERSON 2] took my passport" in (tmp_path / "week2" / "Rose_session-1.txt").read_text()
    assert _line(tmp_path / "week2", 3) == "Then [PERSON 4] found me."

    assert not check_study(study, keys).failures
    withdraw(study, "Rose", keys)
    assert not sealed.exists() and not sealed.parent.exists()


def test_an_export_from_a_backup_numbers_as_the_study_would_and_writes_nothing_there(
    study: Study, tmp_path: Path
) -> None:
    """QA S5: since numbers are kept (R6), an export from a backup folder failed whenever a number was new ("a
    backup ..., not a study"), though a backup is where a steward exports from when the laptop is gone. It numbers as
    the study would, keeps nothing there, and says so; numbers the backup holds are kept."""
    from fieldvault.stewardship.backup import backup

    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Rose", dict(ANSWERS), consent, [])
    _, second = _session(study, "Rose", "20261125-100000", SECOND)
    _review_all(study, second, [])
    keys = study.unlock(PASSPHRASE.encode())
    backup(study, tmp_path / "bk")
    copy = Study.open(tmp_path / "bk")

    def files() -> dict[Path, bytes]:  # the export is audited in the backup's own log (README), nothing else
        return {p: p.read_bytes() for p in (tmp_path / "bk").rglob("*") if p.is_file() and p.name != "audit.jsonl"}

    before = files()

    done = export(copy, keys, Options("txt"), tmp_path / "out", Request())
    assert _line(tmp_path / "out", 1) == "[PERSON 1] drove me. [PERSON 2] paid her."
    assert [(p, n) for p, _, n in done.notes if "never written to" in n] == [("Rose", UNKEPT)]
    assert files() == before

    export(study, keys, Options("txt"), tmp_path / "fromstudy", Request())  # the study keeps them; the next backup too
    backup(study, tmp_path / "bk")
    done = export(Study.open(tmp_path / "bk"), keys, Options("txt"), tmp_path / "again", Request())
    assert _line(tmp_path / "again", 1) == _line(tmp_path / "fromstudy", 1) and not done.notes
