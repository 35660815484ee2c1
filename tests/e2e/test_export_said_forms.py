"""Her listed identifiers in the forms speech gives them, through every real export path: a number said in words with
fillers between its groups (QA R3), a number or a name cut by Whisper over three or more segments (QA R4), a street
named with a given name said without its type word (one rule for common words, gate and scrub). A careless reviewer
rejects every span; a second session nobody opened says the same. Every byte of every file and archive member is
searched."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldvault.export.formats import FORMATS
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.test_export_leaks import _bare, _blobs, _reject_all, _session

pytestmark = pytest.mark.slow

CONSENT = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")


@dataclass(frozen=True)
class Case:
    listed: list[KnownIdentifier]
    said: list[str]  # her reviewed session, every span rejected
    never_opened: list[str]  # her session nobody reviewed
    leaks: list[str]  # forms that must not be in any byte (folded, accents dropped, any spacing)
    kept: list[str]  # words of hers that must stay


PHONE = KnownIdentifier("916-555-0142", "CONTACT")
CASES = {
    "fillers": Case(
        [PHONE],
        [
            "You can call me at nine one six, um, five five five, uh, oh one four two.",
            "Or at 916, um, 555, uh, 0142, she said. Nine one six... five five five... oh one four two.",
            "I stayed ninety one days, six of them sick.",
        ],
        [
            "Call nine one six, uh, five five five, like, zero one four two.",
            "Or nine one six, you know, five five five, and then oh, one four two.",
        ],
        ["nine one six", "five five five", "one four two", "916", "555", "0142"],
        ["I stayed ninety one days, six of them sick.", "You can call me at", "she said."],
    ),
    "three segments": Case(
        [PHONE, KnownIdentifier("Marisol Quintanilla"), KnownIdentifier("Hope House Women's Shelter", "ORG")],
        [
            "He kept my papers. You can call me at 916",
            "555,",
            "0142 at the desk. Or call nine one six,",
            "five five",
            "five,",
            "oh one four two. We slept at Hope",
            "House Women's",
            "Shelter for a month.",
        ],
        ["Ask for Marisol", "Quinta-", "nilla at 916", "555", "0142."],
        [
            "nine one six",
            "five five",
            "one four two",
            "916",
            "555",
            "0142",
            "marisol",
            "quinta",
            "nilla",
            "hope house",
            "women's shelter",
        ],
        ["He kept my papers. You can call me at", "at the desk. Or call", "for a month."],
    ),
    "town with its state": Case(  # QA T21: listed as Americans write them, matched only whole
        [
            KnownIdentifier("Lemon Cove, CA", "LOCATION"),
            KnownIdentifier("Harbor House Shelter, Room 12", "ORG"),
            KnownIdentifier("Lodi CA", "LOCATION"),
            KnownIdentifier("Fresno California", "LOCATION"),  # no comma either (QA T21's rest)
            KnownIdentifier("Rapid City South Dakota", "LOCATION"),
            KnownIdentifier("Ukiah Calif.", "LOCATION"),  # an AP abbreviation, a country, a ZIP, a county (QA U1)
            KnownIdentifier("Hilo Hawaii USA", "LOCATION"),
            KnownIdentifier("Reno NV 89501", "LOCATION"),
            KnownIdentifier("Tulare County CA", "LOCATION"),
        ],
        [
            "Then we lived in Lemon Cove for years.",
            "Harbor House Shelter took us in.",
            "I was born in Lodi.",
            "We moved to Fresno.",
            "Then ukiah, then Hilo, then Reno; Tulare County took the kids.",
        ],
        ["She went back to Lemon Cove, then Rapid City and Tulare."],
        ["lemon cove", "harbor house", "lodi", "fresno", "rapid city", "ukiah", "hilo", "reno", "tulare"],
        ["for years.", "took us in.", "I was born in"],
    ),
    "given-name street": Case(
        [KnownIdentifier("Maria Street", "LOCATION"), KnownIdentifier("Main Street", "LOCATION")],
        ["I lived on Maria, by the bakery, off Maria St.", "We walked down the main road to the bus."],
        ["She still lives on Maria."],
        ["maria"],
        ["by the bakery", "We walked down the main road to the bus."],
    ),
}


def _leaks(path: Path, leaks: list[str]) -> list[tuple[str, str]]:
    """(form, file or archive member) of each form found."""
    found = []
    for name, data in _blobs(path).items():
        if data[:4] == b"PK\x03\x04":
            continue  # compressed; every member is searched on its own
        view = _bare(name + "\n" + data.decode("utf-8", "ignore"))
        found += [(leak, name) for leak in leaks if re.search(rf"(?<![^\W_]){re.escape(leak)}(?![^\W_])", view)]
    return found


def assert_no_form_leaves(study: Study, tmp_path: Path, forms: Case, unreviewed: bool, formats: Iterable[str]) -> None:
    """Rose lists ``forms.listed``; a careless reviewer rejects every span of her first session, nobody opens her
    second: no form of them is in any byte of any export in ``formats``, and her own words stay."""
    add_participant(study, "Rose", dict(ANSWERS), CONSENT, forms.listed)
    _, transcript = _session(study, "Rose", "20261124-100000", forms.said)
    _reject_all(study, transcript, forms.listed)
    _session(study, "Rose", "20261125-100000", forms.never_opened)
    identities = study.unlock(PASSPHRASE.encode())
    found = []
    for fmt in formats:
        out = tmp_path / f"out-{fmt}"
        done = export(study, identities, Options(fmt), out, Request(("Rose",), include_unreviewed=unreviewed))
        assert fmt == "demographics" or len(done.sessions) == (2 if unreviewed else 1)
        found += _leaks(out, forms.leaks)
    assert not found, found
    text = (tmp_path / "out-txt" / "Rose_session-1.txt").read_text()
    for kept in forms.kept:
        assert kept in text, (kept, text)


def assert_the_search_finds_every_form(tmp_path: Path, forms: Case) -> None:
    """The leak scan itself works: each form is found in the raw text of the two sessions."""
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "said.txt").write_text("\n".join(forms.said + forms.never_opened))
    assert {leak for leak, _ in _leaks(tmp_path / "raw", forms.leaks)} == set(forms.leaks)


@pytest.mark.parametrize("unreviewed", [False, True], ids=["reviewed", "include-unreviewed"])
@pytest.mark.parametrize("case", CASES)
def test_her_identifier_in_a_spoken_or_cut_form_leaves_no_format(
    study: Study, tmp_path: Path, case: str, unreviewed: bool
) -> None:
    assert_no_form_leaves(study, tmp_path, CASES[case], unreviewed, FORMATS)


@pytest.mark.parametrize("unreviewed", [False, True], ids=["reviewed", "include-unreviewed"])
def test_a_detected_part_of_another_womans_listed_street_takes_the_whole_street(
    study: Study, tmp_path: Path, unreviewed: bool
) -> None:
    """QA T1: in Iris's interview "lived on Van Buren" (Rose's listed "Van Buren Street", said without its type
    word) went out as "lived on [PLACE] Buren": the detector proposed "Van" (a town), that span was replaced first,
    and the scrub after it no longer saw the street whole. A span over part of a listed identifier now grows over
    all of it, reviewed (the reviewer rejected every span) or not."""
    add_participant(study, "Rose", dict(ANSWERS), CONSENT, [KnownIdentifier("Van Buren Street", "LOCATION")])
    identities = study.unlock(PASSPHRASE.encode())
    add_participant(study, "Iris", dict(ANSWERS), CONSENT, [], identities)
    said = ["My friend lived on Van Buren, near the park.", "Then she moved to van buren with her kids."]
    _, transcript = _session(study, "Iris", "20261124-100000", said)
    if not unreviewed:
        _reject_all(study, transcript, [])
    found = []
    for fmt in FORMATS:
        out = tmp_path / f"out-{fmt}"
        export(study, identities, Options(fmt), out, Request(("Iris",), include_unreviewed=unreviewed))
        found += _leaks(out, ["buren", "van"])
    assert not found, found
    text = (tmp_path / "out-txt" / "Iris_session-1.txt").read_text()
    assert re.search(
        r"My friend lived on \[(STREET|PLACE)\], near the park\. .*moved to \[(STREET|PLACE)\] with", text
    ), text


@pytest.mark.parametrize("case", CASES)
def test_the_search_finds_every_form_in_what_was_said(tmp_path: Path, case: str) -> None:
    assert_the_search_finds_every_form(tmp_path, CASES[case])
