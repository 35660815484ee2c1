"""Proposals stored before a detection fix are detected afresh (QA S9's rest): a street an older fieldvault proposed as
her real name ("Van Buren Street" ≈ Zoe Brandt, undecided) went out as that name's [PERSON 1] for ever: the text never
changed, so `redact` kept it, and `transcribe --force` (Whisper wrote the same words) carried it over. `redact --again`,
the review screen's D and a new transcription detect every undecided proposal afresh and keep only a person's decisions;
her kept placeholder numbers stay, and no place keeps a person's. Every byte of every real export path is searched."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable

from fieldvault import cli
from fieldvault.export.placeholders import kept_numbers
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import KnownIdentifier, add_participant
from fieldvault.redact.review import (
    ACCEPTED,
    REJECTED,
    UNDECIDED,
    Redactions,
    current,
    detect_again,
    load,
    mark_reviewed,
    propose,
)
from fieldvault.redact.review import store as store_redactions
from fieldvault.study import Study
from fieldvault.transcribe.pipeline import store
from fieldvault.transcript import Transcript
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.review import ReviewScreen
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.test_export_leaks import _session
from tests.e2e.test_export_said_forms import CONSENT, _leaks
from tests.tui.conftest import unlock

pytestmark = pytest.mark.slow

NOW = datetime(2026, 11, 24, tzinfo=UTC)
SESSION = "20261124-100000"
LISTED = [KnownIdentifier("Zoe Brandt"), KnownIdentifier("Tulare", "LOCATION")]
SAID = [
    "I grew up on Van Buren Street in Tulare, California.",
    "My real name is Zoe Brandt.",
    "Phoenix helped me, and Zoe came back.",
]
LEAKS = ["van buren", "buren", "zoe", "brandt", "tulare"]
PATHS = ("txt", "docx", "qdpx", "srt", "vtt", "csv")


def _stale(study: Study) -> Transcript:
    """Zara's session as an older fieldvault's detection left it: the street proposed as her real name (undecided),
    her name accepted and "Phoenix" rejected by a reviewer in the review screen (stored as it stores decisions: a file
    the study key merely adopted is no one's decision, QA W17)."""
    add_participant(study, "Zara", dict(ANSWERS), CONSENT, LISTED)
    _, transcript = _session(study, "Zara", SESSION, SAID)
    spans = []
    for span in propose(transcript, LISTED).spans:
        if span.text == "Van Buren Street":  # what the fuzzy layer made of "Buren" before QA S9's fix
            span = replace(span, label="PERSON", entity="PERSON:zoe brandt", source="known", matched="Zoe Brandt")
        elif span.text == "Zoe Brandt":
            span = replace(span, state=ACCEPTED, reviewer="reviewer", decided_at=NOW.isoformat())
        elif span.text == "Phoenix":
            span = replace(span, state=REJECTED, reviewer="reviewer", decided_at=NOW.isoformat())
        spans.append(span)
    assert {s.text for s in spans} >= {"Van Buren Street", "Zoe Brandt", "Phoenix"}
    study.unlock(PASSPHRASE.encode())
    stale = Redactions("Zara", SESSION, propose(transcript, LISTED).transcript_sha256, spans)
    store_redactions(study, stale, "redaction.decided")
    return transcript


def _txt(study: Study, out: Path, unreviewed: bool = True) -> str:
    identities = study.unlock(PASSPHRASE.encode())
    export(study, identities, Options("txt"), out, Request(("Zara",), include_unreviewed=unreviewed))
    return (out / "Zara_session-1.txt").read_text()


def _decisions(study: Study) -> dict[str, tuple[str, str]]:
    stored = load(study, "Zara", SESSION, study.unlock(PASSPHRASE.encode()))
    return {s.text: (s.state, s.label) for s in stored.spans}


def _every_path_clean(study: Study, tmp_path: Path, modes: tuple[bool, ...] = (False, True)) -> list[tuple[str, str]]:
    """Leaks in every real export path, reviewed only (False) and with --include-unreviewed (True)."""
    identities = study.unlock(PASSPHRASE.encode())
    found = []
    for unreviewed in modes:
        for fmt in PATHS:
            out = tmp_path / f"out-{fmt}-{unreviewed}"
            export(study, identities, Options(fmt), out, Request(("Zara",), include_unreviewed=unreviewed))
            found += _leaks(out, LEAKS)
    return found


def test_redact_again_detects_afresh_keeps_decisions_and_the_numbers_given(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stale(study)
    assert "grew up on [PERSON 1] in [PLACE]" in _txt(study, tmp_path / "before")  # the stored proposal's harm
    identities = study.unlock(PASSPHRASE.encode())
    assert kept_numbers(study, "Zara", identities) == {"PERSON:zoe brandt": 1}
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert cli.main(["redact", str(study.root)]) == 0  # the text is the same: nothing proposed
    assert "--again" in capsys.readouterr().out
    assert _decisions(study)["Van Buren Street"] == (UNDECIDED, "PERSON")
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert cli.main(["redact", str(study.root), "Zara", "--again"]) == 0
    assert "(2 decided before, kept)" in capsys.readouterr().out
    decisions = _decisions(study)
    assert decisions["Van Buren Street"] == (UNDECIDED, "LOCATION")
    assert decisions["Zoe Brandt"] == (ACCEPTED, "PERSON") and decisions["Phoenix"] == (REJECTED, "PERSON")
    text = _txt(study, tmp_path / "after")
    assert "grew up on [STREET] in [PLACE]" in text and "[PERSON 1]." in text and "Phoenix helped me" in text, text
    assert kept_numbers(study, "Zara", identities) == {"PERSON:zoe brandt": 1}  # her name keeps her number
    stored = load(study, "Zara", SESSION, identities)
    for span in stored.spans:
        if span.state == UNDECIDED:
            stored.decide(span.id, ACCEPTED, "reviewer", NOW)
    store_redactions(study, stored, "redaction.decided")  # as the review screen stores decisions (vouched: QA T11)
    mark_reviewed(study, _transcript(study), identities, "reviewer")
    assert cli.main(["redact", str(study.root), "--again", "--passphrase-file", str(_passfile(tmp_path))]) == 0
    assert load(study, "Zara", SESSION, identities).reviewed  # nothing new proposed: still reviewed
    reviewed = _txt(study, tmp_path / "reviewed", unreviewed=False)
    assert "grew up on [STREET] in [PLACE]" in reviewed and "Phoenix helped me" in reviewed, reviewed
    assert not _every_path_clean(study, tmp_path)


def test_a_new_transcription_detects_afresh_and_carries_only_decisions(study: Study, tmp_path: Path) -> None:
    """`transcribe --force` stores a new transcription (pipeline.store); Whisper wrote the same words."""
    transcript = _stale(study)
    identities = study.unlock(PASSPHRASE.encode())
    for _ in range(2):  # transcribed twice before anyone confirmed: the decisions are still offered
        store(study, replace(transcript, created="2026-11-25T10:00:00+00:00"), identities)
        spans = {s.text: s for s in current(study, _transcript(study), identities).spans}
        assert spans["Van Buren Street"].label == "LOCATION" and spans["Van Buren Street"].carried is None
        assert (spans["Phoenix"].state, spans["Phoenix"].carried) == (UNDECIDED, REJECTED)
        assert spans["Zoe Brandt"].carried == ACCEPTED
    assert "grew up on [STREET] in [PLACE]" in _txt(study, tmp_path / "after")
    assert not _every_path_clean(study, tmp_path, (True,))  # unreviewed again: only with --include-unreviewed


async def test_the_review_screen_detects_again_on_d(study: Study) -> None:
    _stale(study)
    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        pilot.app.screen.query_one("#sessions", DataTable).move_cursor(row=0)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        assert {s.text: s.label for s in screen.redactions.spans}["Van Buren Street"] == "PERSON"
        await pilot.press("D")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        shown = {s.text: (s.state, s.label) for s in screen.redactions.spans}
        said = [n.message for n in app._notifications]
    assert shown["Van Buren Street"] == (UNDECIDED, "LOCATION") and shown["Phoenix"] == (REJECTED, "PERSON")
    assert _decisions(study) == shown
    assert any(m.startswith("Detected afresh") for m in said), said


def _transcript(study: Study) -> Transcript:
    data = study.read(f"participants/Zara/{SESSION}/transcript.json.age", study.unlock(PASSPHRASE.encode()))
    return Transcript.from_json(data)


def _passfile(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE)
    path.chmod(0o600)
    return path


def test_a_wrong_proposal_accepted_as_proposed_keeps_its_decision_and_loses_her_name(
    study: Study, tmp_path: Path
) -> None:
    """A reviewer accepted the street as proposed ("≈ Zoe Brandt"): detected again, it stays accepted (never dropped)
    but takes the fresh detection's label and entity, so no export gives a place her real name's [PERSON 1]; a span a
    reviewer relabelled keeps the reviewer's label."""
    transcript = _stale(study)
    identities = study.unlock(PASSPHRASE.encode())
    stored = load(study, "Zara", SESSION, identities)
    street = next(s for s in stored.spans if s.text == "Van Buren Street")
    stored.decide(street.id, ACCEPTED, "reviewer", NOW)
    tulare = next(s for s in stored.spans if s.text == "Tulare")
    stored.relabel(tulare.id, "ORG", "reviewer", NOW)  # the reviewer's own label, against the detector's
    stored.decide(tulare.id, ACCEPTED, "reviewer", NOW)
    store_redactions(study, stored, "redaction.decided")  # as the review screen stores decisions (vouched: QA T11)
    assert "grew up on [PERSON 1]" in _txt(study, tmp_path / "before")
    again = {s.text: s for s in detect_again(study, transcript, identities).spans}
    assert (again["Van Buren Street"].state, again["Van Buren Street"].label) == (ACCEPTED, "LOCATION")
    assert again["Van Buren Street"].entity.startswith("LOCATION:")
    assert (again["Tulare"].state, again["Tulare"].label) == (ACCEPTED, "ORG")
    text = _txt(study, tmp_path / "after")
    assert "grew up on [STREET] in [ORG]" in text and "name is [PERSON 1]." in text, text
