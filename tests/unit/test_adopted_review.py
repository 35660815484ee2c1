"""QA W17: the study key's taking a file as it found it (``vouching.adopt``) is no review, and a study log that does
not begin with the study's own ``study.init`` while the folder holds participants is refused by every reader.

On a computer that never saw the study's log head (a new laptop after README's restore, a second computer), whoever
could write the folder emptied audit.jsonl and put an older reviewed redactions file back: `check` passed, the key
vouched for the older file as reviewed (as if the study predated vouching) and the reviewed export carried the number
that review had let out. A transcriber's review of a session the key never vouched for became reviewed the same way at
the PI's next unlock. Real studies in tmp_path, real age files, the functions the review screen and export call."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.agefile import X25519Identity
from fieldvault.errors import BadInput
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.loghead import OlderLog
from fieldvault.redact import review
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript
from tests.conftest import PASSPHRASE, store_reviewed
from tests.stewardship import ROSA, add_person

NOW = datetime(2026, 11, 27, tzinfo=UTC)
NUMBER = "916-555-0142"  # detected, on no list: only a reviewer's acceptance takes it out
SAID = f"Call Dana at {NUMBER} any time."


def _transcribed(study: Study) -> tuple[Transcript, str]:
    (session,) = add_person(study, ROSA)
    transcript = Transcript("Rosa", session, (Segment(0.0, 2.0, SAID, "Participant"),), (), {"name": "tiny.en"},
                            "faster-whisper", {}, 2.0, 0.1, "2026-11-27T10:00:00")  # fmt: skip
    study.write_new(layout.session(study.root, "Rosa", session) / layout.TRANSCRIPT, transcript.to_json())
    return transcript, session


def _reviewed(transcript: Transcript, state: str) -> review.Redactions:
    redactions = review.propose(transcript, [])
    assert NUMBER in {span.text for span in redactions.spans}, "the detector must propose it, or this proves nothing"
    for span in redactions.spans:
        redactions.decide(span.id, state, "reviewer", NOW)
    redactions.mark_reviewed("reviewer", NOW)
    return redactions


def _exports(study: Study, out: Path) -> str:
    """The reviewed export refused (nothing reviewed to export); the unreviewed one's text, every proposal replaced."""
    keys = study.unlock(PASSPHRASE.encode())
    with pytest.raises(BadInput, match=r"nothing to export: .*unreviewed: 1"):
        export(study, keys, Options("txt"), out / "reviewed", Request())
    export(study, keys, Options("txt"), out / "all", Request(include_unreviewed=True))
    return "".join(p.read_text() for p in sorted((out / "all").rglob("*.txt")))


@pytest.fixture
def put_back(ready_study: Study, tmp_path: Path) -> tuple[Study, Path]:
    """A careless first review (every span rejected: the number let out), kept aside as an attacker's copy; then the
    number accepted in a second review. Returns the study and the first review's file."""
    transcript, session = _transcribed(ready_study)
    store_reviewed(ready_study, _reviewed(transcript, review.REJECTED))
    place = review.path_of(ready_study, "Rosa", session)
    shutil.copy2(place, tmp_path / "first-review.age")
    store_reviewed(ready_study, _reviewed(transcript, review.ACCEPTED))
    return ready_study, place


def test_a_log_cut_to_its_first_entry_and_an_older_review_put_back_never_export_as_reviewed(
    put_back: tuple[Study, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log cut back to its study.init and the first review put back, opened on a new laptop (nothing remembered):
    the key vouches for the file as it finds it, and that is no review: the reviewed export leaves the session out,
    the unreviewed one replaces every proposal."""
    study, place = put_back
    monkeypatch.setenv("FIELDVAULT_HOME", str(tmp_path / "new-laptop"))
    shutil.copy2(tmp_path / "first-review.age", place)
    log = study.root / layout.AUDIT_FILE
    log.write_bytes(log.read_bytes().splitlines(keepends=True)[0])
    text = _exports(Study.open(study.root), tmp_path)
    assert "UNREVIEWED" in text and NUMBER not in text, text
    assert "participant.files-vouched" in {json.loads(line)["action"] for line in log.read_bytes().splitlines()}


def test_a_transcribers_review_of_a_session_the_key_never_vouched_for_is_not_reviewed_at_the_pis_export(
    ready_study: Study, tmp_path: Path
) -> None:
    """Her key cannot sign: a session she transcribed and reviewed (the number let out) before the study key ever
    vouched for it stays unreviewed when the PI's next unlock vouches for it as it is."""
    her = X25519Identity.generate()
    ready_study.add_recipient(str(her.recipient()), "transcriber", ready_study.unlock(PASSPHRASE.encode()))
    at_hers = Study.open(ready_study.root)
    at_hers.use_identities([her])
    transcript, session = _transcribed(at_hers)
    review.store(at_hers, _reviewed(transcript, review.REJECTED), "redaction.reviewed")
    study = Study.open(ready_study.root)
    keys = study.unlock(PASSPHRASE.encode())
    assert not review.load(study, "Rosa", session, keys, strict=True).reviewed
    text = _exports(study, tmp_path)
    assert "UNREVIEWED" in text and NUMBER not in text, text


@pytest.mark.parametrize(
    ("log", "said"),
    [
        ("emptied", "audit.jsonl is missing (or empty), yet the study folder holds participants"),
        ("deleted", "audit.jsonl is missing (or empty), yet the study folder holds participants"),
        ("forged", "audit.jsonl does not begin with the study's own study.init entry"),
    ],
)
def test_a_log_emptied_or_replaced_in_a_study_holding_participants_is_refused_by_every_reader(
    put_back: tuple[Study, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log: str, said: str
) -> None:
    """Emptied, deleted, or begun again with a study.init line anyone can write (no mac): refused in one line with the
    passphrase, a transcriber's key and none, on a computer that never saw the log; nothing written to it."""
    study, _ = put_back
    monkeypatch.setenv("FIELDVAULT_HOME", str(tmp_path / "new-laptop"))
    path = study.root / layout.AUDIT_FILE
    if log == "deleted":
        path.unlink()
    elif log == "forged":  # its own first line without the mac, as anyone without the passphrase can write it
        first = json.loads(path.read_bytes().splitlines()[0])
        del first["mac"]
        path.write_text(json.dumps(first) + "\n")
    else:
        path.write_bytes(b"")
    before = path.read_bytes() if path.exists() else None
    for identities in ([], [X25519Identity.generate()], None):
        opened = Study.open(study.root)
        with pytest.raises(OlderLog) as refused:
            opened.use_identities(identities) if identities is not None else opened.unlock(PASSPHRASE.encode())
        message = str(refused.value)
        assert message.startswith(said) and "\n" not in message, message
        assert "the audit log was emptied or replaced" in message and "restore audit.jsonl from a backup" in message
    assert (path.read_bytes() if path.exists() else None) == before


def test_the_emptied_log_of_a_study_this_computer_saw_says_missing_or_empty_not_entry_minus_one(
    ready_study: Study,
) -> None:
    """No participants yet (so the log's start rule does not apply), its head remembered here: the words said
    "ends at entry -1"."""
    ready_study.unlock(PASSPHRASE.encode())
    (ready_study.root / layout.AUDIT_FILE).write_bytes(b"")
    with pytest.raises(OlderLog, match=r"^audit.jsonl is missing \(or empty\), yet this computer saw it reach entry"):
        Study.open(ready_study.root).unlock(PASSPHRASE.encode())
