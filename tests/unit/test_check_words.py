"""What `check` says, in its own words, where the words were wrong (QA qa19): a file it refused by its size is
counted as refused unread, not as read (W5's rest)."""

from __future__ import annotations

import pytest

from fieldvault.cli import main
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person


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
