"""One reader of the audit log's withdrawals (fieldvault.withdrawals, kept per Study by fieldvault.auditpicks): what
import, merge-kit, check and the K6 refusal ask of it, read once per command and again only for lines appended."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldvault import auditpicks, paths, withdrawnhere
from fieldvault.errors import AuditBroken, BadInput
from fieldvault.participantid import participant_id
from fieldvault.stewardship.withdraw import withdraw
from fieldvault.study import Study
from fieldvault.withdrawals import days_by_import, days_by_participant
from fieldvault.withdrawnhere import refuse_withdrawn_here
from tests.stewardship import JUNE, ROSA, add_person


@pytest.fixture
def withdrawn(ready_study: Study, identities: list) -> tuple[Study, str]:
    for person in (ROSA, JUNE):
        add_person(ready_study, person)
    ident = participant_id(ready_study.root / "participants" / "Rosa")
    assert ident
    withdraw(ready_study, "Rosa", identities)
    return ready_study, ident


def _cut_before_withdrawal(study: Study) -> None:
    """The study's log as a restored copy's: the same start, cut before her withdrawal."""
    log = study.root / "audit.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[: next(n for n, line in enumerate(lines) if b'"withdraw"' in line)]))


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    parsed: list[int] = []
    real = auditpicks.parse_line

    def counted(number: int, raw: bytes, folder: Path) -> dict:
        parsed.append(number)
        return real(number, raw, folder)

    monkeypatch.setattr(auditpicks, "parse_line", counted)
    return parsed


def test_the_log_says_who_withdrew_when_and_under_what_name(withdrawn: tuple[Study, str]) -> None:
    study, ident = withdrawn
    (found,) = Study.open(study.root).withdrawals()
    assert (found.pseudonym, found.participant_id, found.day) == ("Rosa", ident, study.clock().isoformat()[:10])
    assert days_by_participant([found]) == {ident: found.day}
    assert days_by_import([found]) == {}  # add_person's sessions came from no file


def test_a_command_reads_the_log_once_and_then_only_what_was_appended(
    withdrawn: tuple[Study, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    study = Study.open(withdrawn[0].root)
    lines = len((study.root / "audit.jsonl").read_bytes().splitlines())
    parsed = _counting(monkeypatch)
    for _ in range(3):  # an export's pending list, the export, its check: each asks
        study.withdrawals()
        refuse_withdrawn_here(study)
    assert sorted(parsed) == list(range(1, lines + 1))  # every line once
    study.audit.append("journal.add", name="x")
    assert len(study.withdrawals()) == 1
    assert sorted(parsed) == list(range(1, lines + 2))  # the new line alone


def test_a_log_put_back_from_before_the_withdrawal_is_read_again_whole(
    withdrawn: tuple[Study, str], tmp_path: Path
) -> None:
    study, _ = withdrawn
    log = study.root / "audit.jsonl"
    assert len(study.withdrawals()) == 1
    shutil.copy(log, tmp_path / "kept")
    _cut_before_withdrawal(study)
    assert study.withdrawals() == ()
    shutil.copy(tmp_path / "kept", log)
    assert len(study.withdrawals()) == 1


def test_a_damaged_line_stops_the_reader_as_it_stops_every_reader_of_the_log(withdrawn: tuple[Study, str]) -> None:
    study, _ = withdrawn
    study.withdrawals()
    with (study.root / "audit.jsonl").open("ab") as log:
        log.write(b"not an entry\n")
    with pytest.raises(AuditBroken, match="is not an audit entry"):
        study.withdrawals()
    with pytest.raises(AuditBroken):  # nothing half-read was kept as the answer
        study.withdrawals()


def test_her_folder_brought_back_is_refused_from_what_the_log_says(withdrawn: tuple[Study, str]) -> None:
    study, ident = withdrawn
    (paths.config_dir() / withdrawnhere.FILE).unlink()  # another computer's config: only the log tells
    folder = study.root / "participants" / "Rosa"
    folder.mkdir()
    (folder / "participant.id").write_text(ident + "\n")
    (entry,) = [e for e in study.audit.entries() if e["action"] == "withdraw"]
    with pytest.raises(BadInput) as refused:
        refuse_withdrawn_here(Study.open(study.root))
    said = str(refused.value)  # QA W18: not "this computer saw it ... this copy predates her withdrawal"
    assert said.startswith("participants/Rosa is the folder of a woman who withdrew: it was put back after her ")
    assert f"withdrawal on {entry['time'][:10]} (entry {entry['seq']} of this study's audit log)" in said
    assert "withdraw her again (`fieldvault withdraw " in said and "`) to destroy it" in said
    assert "this computer saw it" not in said and "predates" not in said


def test_her_folder_in_an_older_copy_is_refused_from_what_this_computer_saw(withdrawn: tuple[Study, str]) -> None:
    """A copy whose log never recorded the withdrawal: only this computer's memory tells, and says so."""
    study, ident = withdrawn
    _cut_before_withdrawal(study)
    folder = study.root / "participants" / "Rosa"
    folder.mkdir()
    (folder / "participant.id").write_text(ident + "\n")
    said = r"participants/Rosa is a participant who withdrew on \d{4}-\d\d-\d\d \(this computer saw it\): this copy "
    with pytest.raises(BadInput, match=said + "of the study predates her withdrawal"):
        refuse_withdrawn_here(Study.open(study.root))
