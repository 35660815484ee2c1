"""Her listed identifiers written with other separators or said aloud (QA S2's rest): a plate listed "7ABC123" said "7
ABC 123" or "seven a b c one two three" (and the reverse), a case number listed "CR2008-114372" said "CR 2008 114372"
or in words, a handle "@mari_q88" said "mari underscore q88", an e-mail said with "dot" and "at". A careless reviewer
rejects every span; a second session nobody opened says the same. Every byte of every real export path (txt, docx,
qdpx, srt, vtt, csv; reviewed, and with --include-unreviewed) is searched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fieldvault.export.gate import listed_forms, listed_in
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import KnownIdentifier, add_participant
from fieldvault.redact.review import propose
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.test_export_leaks import _session
from tests.e2e.test_export_said_forms import CONSENT, Case, assert_no_form_leaves, assert_the_search_finds_every_form

pytestmark = pytest.mark.slow

PATHS = ("txt", "docx", "qdpx", "srt", "vtt", "csv")


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
        ["My insta is [HANDLE], add me.", "He found me at [HANDLE]"],
    ),
    "e-mail": Case(
        [KnownIdentifier("marisol.q88@yahoo.com", "CONTACT")],
        ["Or write marisol dot q88 at yahoo dot com, any time.", "Marisol Q88 at Yahoo.com works too."],
        ["Mail marisol dot q eighty eight at yahoo dot com."],
        ["q88", "q eighty eight", "yahoo"],
        ["any time.", "works too."],
    ),
    "short forms": Case(
        [KnownIdentifier("Marisol Quintanilla"), KnownIdentifier("Chidinma Eze"), KnownIdentifier("Gracelyn Ford")],
        [
            "My friends call me Mari, or Quinta at work.",
            "I met Chidi at the shelter. By the grace of God I got out.",
            "Then Grace came in.",
        ],
        ["Chidi and Mari came later, and mari stayed."],
        ["mari", "quinta", "chidi"],
        ["My friends call me", "at the shelter. By the grace of God I got out.", "Then Grace came in."],
    ),
}
LISTED_SHORT = CASES["short forms"].listed


@pytest.mark.parametrize("unreviewed", [False, True], ids=["reviewed", "include-unreviewed"])
@pytest.mark.parametrize("case", CASES)
def test_a_listed_identifier_with_other_separators_or_said_aloud_leaves_no_export(
    study: Study, tmp_path: Path, case: str, unreviewed: bool
) -> None:
    assert_no_form_leaves(study, tmp_path, CASES[case], unreviewed, PATHS)


@pytest.mark.parametrize("case", CASES)
def test_the_search_finds_every_form_in_what_was_said(tmp_path: Path, case: str) -> None:
    assert_the_search_finds_every_form(tmp_path, CASES[case])


def test_a_short_form_is_proposed_with_her_listed_name_and_shares_its_placeholder(study: Study, tmp_path: Path) -> None:
    """QA S7's rest: "Mari" of Marisol Quintanilla, "Chidi" of Chidinma Eze are proposed with the listed name shown (the
    review screen's "≈ Marisol Quintanilla") and, unreviewed, replaced by the placeholder of that name; "Grace" of
    Gracelyn (a common word) is proposed only where it stands as a name, and the review screen takes its rejection."""
    add_participant(study, "Wren", dict(ANSWERS), CONSENT, LISTED_SHORT)
    said = ["Marisol Quintanilla is my name. My friends call me Mari.", "Chidinma Eze is my sister; Chidi is kind.",
            "Then Grace came in, by the grace of God."]  # fmt: skip
    _, transcript = _session(study, "Wren", "20261124-100000", said)
    spans = propose(transcript, LISTED_SHORT).spans
    matched = {s.text: s.matched for s in spans}
    assert matched["Mari"] == "Marisol Quintanilla" and matched["Chidi"] == "Chidinma Eze", matched
    assert [s.text for s in spans if s.segment == 2] == ["Grace"]  # not "the grace of God"
    identities = study.unlock(PASSPHRASE.encode())
    export(study, identities, Options("txt"), tmp_path / "t", Request(("Wren",), include_unreviewed=True))
    text = (tmp_path / "t" / "Wren_session-1.txt").read_text()
    name = re.search(r"(\[PERSON \d+\]) is my name", text)
    sister = re.search(r"(\[PERSON \d+\]) is my sister", text)
    assert name and f"call me {name.group(1)}." in text, text
    assert sister and f"; {sister.group(1)} is kind" in text and sister.group(1) != name.group(1), text
    forms = listed_forms(study, identities)
    assert (
        listed_in(forms, [said[0]], [(0, said[0].index("Mari."), said[0].index("Mari.") + 4)]) == "Marisol Quintanilla"
    )
    assert listed_in(forms, [said[2]], [(0, 5, 10)]) is None  # "Grace": the reviewer's to reject
