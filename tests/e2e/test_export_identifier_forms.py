"""Her listed identifiers written with other separators or said aloud (QA S2's rest): a plate listed "7ABC123" said "7
ABC 123" or "seven a b c one two three" (and the reverse), a case number listed "CR2008-114372" said "CR 2008 114372"
or in words, a handle "@mari_q88" said "mari underscore q88", an e-mail said with "dot" and "at". A careless reviewer
rejects every span; a second session nobody opened says the same. Every byte of every real export path (txt, docx,
qdpx, srt, vtt, csv; reviewed, and with --include-unreviewed) is searched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import KnownIdentifier, add_participant
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.test_export_leaks import _reject_all, _session
from tests.e2e.test_export_said_forms import CONSENT, _leaks

pytestmark = pytest.mark.slow

PATHS = ("txt", "docx", "qdpx", "srt", "vtt", "csv")


@dataclass(frozen=True)
class Case:
    listed: list[KnownIdentifier]
    said: list[str]  # her reviewed session, every span rejected
    never_opened: list[str]  # her session nobody reviewed
    leaks: list[str]  # forms that must not be in any byte (folded, accents dropped, any spacing)
    kept: list[str]  # words of hers that must stay


CASES = {
    "plate": Case(
        [KnownIdentifier("7ABC123", "ID")],
        [
            "My plate was 7 ABC 123, the old Honda.",
            "Seven a b c one two three, I still know it.",
            "Or 7-abc-123 on the papers.",
        ],
        ["The plate, 7 A B C 1 2 3, was his."],
        ["7 abc 123", "7-abc-123", "seven a b c", "a b c one two three", "7 a b c 1 2 3"],
        ["the old Honda.", "I still know it.", "on the papers."],
    ),
    "plate listed spaced": Case(
        [KnownIdentifier("7 ABC 123", "ID")],
        ["My plate was 7ABC123, the old Honda.", "Seven ABC, one two three."],
        ["It was 7ABC-123."],
        ["7abc123", "seven abc", "one two three", "7abc-123"],
        ["the old Honda."],
    ),
    "case number": Case(
        [KnownIdentifier("CR2008-114372", "ID")],
        [
            "My case was CR 2008 114372 in Fresno County.",
            "The docket said C.R. 2008/114372 and cr-2008-114-372.",
            "C R two thousand eight, one one four three seven two.",
        ],
        ["Case CR 20 08 114 372 again."],
        [
            "cr 2008",
            "114372",
            "2008/114372",
            "114-372",
            "two thousand eight",
            "one one four three seven two",
            "114 372",
        ],
        ["in Fresno County.", "The docket said"],
    ),
    "handle": Case(
        [KnownIdentifier("@mari_q88", "CONTACT")],
        [
            "My insta is mari underscore q88, add me.",
            "Or mari dot q88, or mari dash q eighty eight.",
            "He found me at mari_q88 and mari q 88.",
        ],
        ["Write to mari underscore q eight eight."],
        ["q88", "q 88", "q eighty eight", "q eight eight", "mari underscore"],
        ["add me.", "He found me at"],
    ),
    "e-mail": Case(
        [KnownIdentifier("marisol.q88@yahoo.com", "CONTACT")],
        ["Or write marisol dot q88 at yahoo dot com, any time.", "Marisol Q88 at Yahoo.com works too."],
        ["Mail marisol dot q eighty eight at yahoo dot com."],
        ["q88", "q eighty eight", "yahoo"],
        ["any time.", "works too."],
    ),
}


@pytest.mark.parametrize("unreviewed", [False, True], ids=["reviewed", "include-unreviewed"])
@pytest.mark.parametrize("case", CASES)
def test_a_listed_identifier_with_other_separators_or_said_aloud_leaves_no_export(
    study: Study, tmp_path: Path, case: str, unreviewed: bool
) -> None:
    forms = CASES[case]
    add_participant(study, "Rose", dict(ANSWERS), CONSENT, forms.listed)
    _, transcript = _session(study, "Rose", "20261124-100000", forms.said)
    _reject_all(study, transcript, forms.listed)
    _session(study, "Rose", "20261125-100000", forms.never_opened)
    identities = study.unlock(PASSPHRASE.encode())
    found = []
    for fmt in PATHS:
        out = tmp_path / f"out-{fmt}"
        done = export(study, identities, Options(fmt), out, Request(("Rose",), include_unreviewed=unreviewed))
        assert len(done.sessions) == (2 if unreviewed else 1)
        found += _leaks(out, forms.leaks)
    assert not found, found
    text = (tmp_path / "out-txt" / "Rose_session-1.txt").read_text()
    for kept in forms.kept:
        assert kept in text, (kept, text)


@pytest.mark.parametrize("case", CASES)
def test_the_search_finds_every_form_in_what_was_said(tmp_path: Path, case: str) -> None:
    """The leak scan itself works: each form is found in the raw text of the two sessions."""
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "said.txt").write_text("\n".join(CASES[case].said + CASES[case].never_opened))
    assert {leak for leak, _ in _leaks(tmp_path / "raw", CASES[case].leaks)} == set(CASES[case].leaks)
