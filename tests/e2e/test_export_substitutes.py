"""A substitute name stored for a person (review screen `s`) is checked again at export, in every route and format:
one stored before the screen refused it, or written into the redactions file by hand, that is, holds or sounds like a
listed name, or is a participant's pseudonym, is refused in one line naming the session and the substitute, and
nothing is written (qa25 QA12's residuals: the walk study's "Sonny" for a listed "Sunny" still exported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault import cli
from fieldvault.errors import RefusedSubstitute
from fieldvault.export.formats import FORMATS
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant
from fieldvault.redact.review import ACCEPTED, propose
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE, store_reviewed
from tests.e2e.test_export_leaks import NOW, _session

SESSION = "20261124-100000"
LISTED = [KnownIdentifier("Sunny"), KnownIdentifier("Dwayne Okafor")]


def stored_substitute(study: Study, substitute: str, who: str = "Sunny") -> None:
    """Rosa (her list: Sunny, Dwayne Okafor) and Lupe; Rosa's session reviewed, ``substitute`` stored for Sunny as a
    review made before the screen checked substitutes stored it."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Rosa", dict(ANSWERS), consent, LISTED)
    add_participant(study, "Lupe", dict(ANSWERS), consent, [], study.unlock(PASSPHRASE.encode()))
    said = ["Sunny took me there.", "After that Sunny came back.", "My cousin Marcus Delgado took me in."]
    _, transcript = _session(study, "Rosa", SESSION, said)
    redactions = propose(transcript, LISTED)
    person = next(s for s in redactions.spans if s.text == who)
    redactions.substitute(person.id, substitute, "reviewer", NOW)
    for span in redactions.spans:
        redactions.decide(span.id, ACCEPTED, "reviewer", NOW)
    redactions.mark_reviewed("reviewer", NOW)
    store_reviewed(study, redactions)


@pytest.mark.parametrize(
    ("substitute", "why"),
    [
        ("Sonny", "is a name on a list of names people may mention, or sounds like one"),
        ("Duane", "is a name on a list of names people may mention, or sounds like one"),
        ("Lupe", "is a participant's pseudonym in this study"),
        ("Rosa", "is a participant's pseudonym in this study"),
    ],
)
def test_a_stored_substitute_that_may_not_go_out_is_refused_by_every_format(
    study: Study, tmp_path: Path, substitute: str, why: str
) -> None:
    stored_substitute(study, substitute)
    identities = study.unlock(PASSPHRASE.encode())
    for fmt in FORMATS:
        out = tmp_path / fmt
        for request in (Request(), Request(include_unreviewed=True)):
            with pytest.raises(RefusedSubstitute) as refused:
                export(study, identities, Options(fmt), out, request)
            said = str(refused.value)
            assert said.startswith(f"Rosa/{SESSION}: the substitute name {substitute!r} {why}"), said
            assert "press s to give another" in said and "\n" not in said
        assert not out.exists()
    assert [e for e in study.audit.entries() if e["action"] == "export"] == []  # refused before anything was written


def test_the_cli_export_refuses_a_stored_substitute_in_one_line(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stored_substitute(study, "Sonny")
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "out"
    assert cli.main(["export", str(study.root), "--format", "txt", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert f"Rosa/{SESSION}: the substitute name 'Sonny' is a name on a list" in err, err
    assert not out.exists()


def test_a_stored_substitute_no_list_or_pseudonym_holds_goes_out(study: Study, tmp_path: Path) -> None:
    stored_substitute(study, "Lisa")
    identities = study.unlock(PASSPHRASE.encode())
    export(study, identities, Options("txt"), tmp_path / "out", Request())
    text = (tmp_path / "out" / "Rosa_session-1.txt").read_text()
    assert "Lisa took me there." in text and "After that Lisa came back." in text, text


def test_a_withdrawal_keeping_her_transcripts_names_the_substitute_not_nothing_reviewed(study: Study) -> None:
    """The gate keeps her de-identified transcripts at a withdrawal: a stored substitute it refuses is said as such,
    with her folder untouched; "no reviewed transcript ... withdraw without --keep-deidentified" would have sent the PI
    to destroy the transcripts she asked to keep."""
    from fieldvault.stewardship.withdraw import withdraw_keeping_deidentified

    stored_substitute(study, "Sonny")
    with pytest.raises(RefusedSubstitute, match=f"^Rosa/{SESSION}: the substitute name 'Sonny'"):
        withdraw_keeping_deidentified(study, "Rosa", study.unlock(PASSPHRASE.encode()))
    assert (study.root / "participants" / "Rosa" / SESSION / "redactions.json.age").is_file()


def test_a_stored_substitute_that_is_the_name_it_stands_in_for_is_refused(study: Study, tmp_path: Path) -> None:
    """qa26 QB4: "Marcus" stored as the substitute of "Marcus Delgado" (found by its cue, on no list) went out as "My
    cousin Marcus took me in"."""
    stored_substitute(study, "Marcus", who="Marcus Delgado")
    with pytest.raises(RefusedSubstitute, match="'Marcus' is, or sounds like, the name it stands in for"):
        export(study, study.unlock(PASSPHRASE.encode()), Options("txt"), tmp_path / "out", Request())
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("substitute", ["[PERSON 2]", "PERSON 3", "[LOCATION 1]"])
def test_the_cli_export_refuses_a_stored_substitute_shaped_like_a_placeholder(
    study: Study,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    substitute: str,
) -> None:
    """names26's left open: a substitute "[PERSON 2]" stored by a review made before the screen refused it went out
    as "[PERSON 2] took me there.", which a reader takes for a redaction of another person."""
    stored_substitute(study, substitute)
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "out"
    assert cli.main(["export", str(study.root), "--format", "txt", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert f"Rosa/{SESSION}: the substitute name {substitute!r} is shaped like an export's placeholder" in err, err
    assert not out.exists()


def test_the_cli_export_refuses_a_stored_substitute_said_like_a_short_listed_name(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """qa27 QC9's rest: "Bae" stored for a person while another woman's list holds "Bea" (its two vowels the other way
    round, read as her name) went out in every export."""
    stored_substitute(study, "Bae")
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(study, "Nell", dict(ANSWERS), consent, [KnownIdentifier("Bea")], study.unlock(PASSPHRASE.encode()))
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "out"
    assert cli.main(["export", str(study.root), "--format", "txt", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert f"Rosa/{SESSION}: the substitute name 'Bae' is a name on a list of names people may mention" in err, err
    assert not out.exists()
