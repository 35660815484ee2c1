"""The export gate and identifiers Whisper cut in two: both pieces are replaced in an unreviewed export, and a
piece ("916") is never searched for on its own in other transcripts (QA C4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault.export.gate import build
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.test_export_leaks import _review_all, _session

pytestmark = pytest.mark.slow


def test_a_phone_number_cut_by_a_pause_leaves_no_digit_and_blanks_no_other_916(study: Study, tmp_path: Path) -> None:
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Iris", dict(ANSWERS), consent, [])
    add_participant(study, "Lily", dict(ANSWERS), consent, [])
    _session(study, "Iris", "20261125-100000", ["My phone number is 916.", "5, 5, 5, 1, 4, 2.", "Call after six."])
    _, lily = _session(study, "Lily", "20261124-120000", ["The 916 bus was always late."])
    _review_all(study, lily, [])
    identities = study.unlock(PASSPHRASE.encode())
    gated = build(study, identities, Request(include_unreviewed=True))
    iris = next(s for s in gated.bundle.sessions if s.lines[0].text.startswith("My phone"))
    assert [line.text for line in iris.lines[:2]] == ["My phone number is [PHONE].", "[PHONE]."]
    export(study, identities, Options("txt"), tmp_path / "t", Request(include_unreviewed=True))
    assert "The 916 bus was always late." in (tmp_path / "t" / "Lily_session-1.txt").read_text()
