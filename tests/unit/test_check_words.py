"""What `check` says, in its own words, where the words were wrong (QA qa19): a file it refused by its size is
counted as refused unread, not as read (W5's rest); after an older log was accepted, a session reviewed before then
is said to count as unreviewed for that reason, not for a transcriber's key or a file put back (W16)."""

from __future__ import annotations

import pytest

from fieldvault import loghead
from fieldvault.cli import main
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person, transcribe_and_review


def test_a_file_refused_by_its_size_is_counted_unread_not_read(
    ready_study: Study, identities: list, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add_person(ready_study, ROSA)
    before = check_study(ready_study, identities)
    relative = "participants/Rosa/identifiers-added-1.json.age"
    with (ready_study.root / relative).open("wb") as huge:
        huge.truncate(64 * 1024 * 1024)  # sparse: no disk used
    result = check_study(ready_study, identities)
    assert [f.file for f in result.failures] == [relative]
    assert "more than a file of names added to her list can ever be" in result.failures[0].problem
    assert (result.files, result.bytes, result.unread) == (before.files, before.bytes, 1)
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert main(["check", str(ready_study.root)]) == 1
    summary = capsys.readouterr().out.splitlines()[-1]
    read = f"{before.files} file(s), {before.bytes / 1e6:.1f} MB read through their authentication; "
    assert summary.startswith(read + "1 refused unread, too big for their names (see FAILED above); 1 failure(s)")


def test_a_review_before_an_older_log_was_accepted_is_said_to_count_unreviewed_for_that(
    ready_study: Study, identities: list
) -> None:
    session = add_person(ready_study, ROSA)[0]
    transcribe_and_review(ready_study, identities, ROSA, session)
    study = Study.open(ready_study.root)
    keys = study.unlock(PASSPHRASE.encode())  # the study key vouches for her reviewed redactions (adopt)
    relative = f"participants/Rosa/{session}/redactions.json.age"
    assert not any(line.startswith(relative) for line in check_study(study, keys).strays)  # reviewed, vouched
    # the PI restored an older backup and accepted it (`check --accept-older-log`), as loghead.accept records it
    entry = study.audit.append(loghead.ACCEPTED, head=f"99:{'0' * 64}", count=3)
    day, seq = str(entry["time"])[:10], entry["seq"]
    [said] = [line for line in check_study(study, keys).strays if line.startswith(relative)]
    assert said.startswith(
        f"{relative}: reviewed before an older backup was accepted on {day} (entry {seq}, `check --accept-older-log`)"
    ), said
    assert "counts as unreviewed until someone with the passphrase reviews the session again" in said
    assert "transcriber's key" not in said and "put back, or kept in place" not in said
