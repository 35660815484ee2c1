"""QA U5: a session's transcript or redactions file the study key vouched for, DELETED from its session folder by
whoever can write the folder (no passphrase needed), went unnoticed: `check` reported nothing, and an export took the
session for one never transcribed, or never reviewed. Redactions gone is a leak path: an `--include-unreviewed` export
proposed afresh, and a name the reviewer had marked by hand (the detector does not propose it) went out. T18's rule
now covers them: `check` names the file, every export and `redact` refuse in one line. The commands that remove or move
a session's files on purpose record it, and `check` stays quiet after each. Real CLI, real `age`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import tomli_w

from fieldvault import layout
from fieldvault.errors import BadStudyFile
from fieldvault.redact import review
from fieldvault.redact.rebase import store_review
from fieldvault.study import Study
from fieldvault.transcribe.pipeline import store
from fieldvault.transcript import Segment, Transcript
from fieldvault.transcript_versions import open_for_editing
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.test_vouched_files import fv, one_line_refusal
from tests.e2e.test_vouched_sessions import (
    LEAKS,
    NOW,
    REDACTIONS,
    SAID,
    SESSION,
    TRANSCRIPT,
    export_txt,
    failed_lines,
    interview,
)

HAND = "laundromat"  # what the detector does not propose: the reviewer marks it by hand
SAID_MORE = [*SAID, "I stayed behind the laundromat on the corner for a year."]
DELETED = "was deleted since the study key vouched for it"
JUNE = "20261125-100000"
JUNE_TRANSCRIPT = f"participants/June/{JUNE}/{layout.TRANSCRIPT}"


def reviewed(root: Path, pseudonym: str, session: str) -> None:
    """A reviewer in the review screen: every proposal accepted, the laundromat marked by hand, marked reviewed."""
    study = Study.open(root)
    identities = study.unlock(PASSPHRASE.encode())
    transcript, redactions = review.open_for_review(study, pseudonym, session, identities)
    base = list(redactions.spans)
    for span in base:
        redactions.decide(span.id, review.ACCEPTED, "reviewer", NOW)
    for number, segment in enumerate(transcript.segments):
        if HAND in segment.text:
            start = segment.text.index(HAND)
            redactions.add(transcript, number, start, start + len(HAND), "LOCATION", "reviewer", NOW)
    store_review(study, transcript, redactions, base, identities)
    review.mark_reviewed(study, transcript, identities, "reviewer")


@pytest.fixture
def marked(study: Study, tmp_path: Path) -> Path:
    root = interview(study, tmp_path, said=SAID_MORE).root
    reviewed(root, "Rose", SESSION)
    return root


def test_deleted_reviewed_redactions_are_named_by_check_and_refused_by_every_export(
    marked: Path, tmp_path: Path
) -> None:
    done, out = export_txt(marked, tmp_path / "before", "--include-unreviewed")
    assert done.returncode == 0 and "took me to" in out, done.stderr + out
    assert HAND not in out and not any(leak in out for leak in LEAKS), out
    kept = (marked / REDACTIONS).read_bytes()
    (marked / REDACTIONS).unlink()  # anyone who can write the folder
    failed = failed_lines(marked)
    assert len(failed) == 1 and REDACTIONS in failed[0] and DELETED in failed[0], failed
    for more, out_dir in (((), "reviewed"), (("--include-unreviewed",), "all"), (("--include-unreviewed",), "again")):
        done, out = export_txt(marked, tmp_path / out_dir, *more)
        one_line_refusal(done, REDACTIONS, DELETED, "restore it from your latest backup")
        assert out == ""  # main: the unreviewed export proposed afresh, and the laundromat went out
    one_line_refusal(fv("redact", marked, "Rose"), REDACTIONS, DELETED)  # proposing afresh would bury it
    study = Study.open(marked)
    identities = study.unlock(PASSPHRASE.encode())
    for opening in (review.open_for_review, open_for_editing):  # the review screen's and the editor's
        with pytest.raises(BadStudyFile, match=DELETED):
            opening(study, "Rose", SESSION, identities)
    assert not (marked / REDACTIONS).exists()
    (marked / REDACTIONS).write_bytes(kept)  # restored from the latest backup
    assert failed_lines(marked) == []
    done, out = export_txt(marked, tmp_path / "after")
    assert done.returncode == 0 and "took me to" in out and HAND not in out, done.stderr + out


def test_a_deleted_transcript_is_named_by_check_and_refused_by_the_export(marked: Path, tmp_path: Path) -> None:
    shutil.move(marked / TRANSCRIPT, tmp_path / "transcript.age")
    failed = failed_lines(marked)
    assert len(failed) == 1 and TRANSCRIPT in failed[0] and DELETED in failed[0], failed
    one_line_refusal(export_txt(marked, tmp_path / "out", "--include-unreviewed")[0], TRANSCRIPT, DELETED)
    shutil.move(tmp_path / "transcript.age", marked / TRANSCRIPT)
    assert failed_lines(marked) == []


def _june(root: Path, tmp_path: Path) -> None:
    """June added by the real CLI, her interview stored as `transcribe` stores it and reviewed."""
    answers, names = tmp_path / "june.toml", tmp_path / "june.txt"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    names.write_text("Tanya Brooks\n")
    added = fv("participant", "add", root, "June", "--answers", answers, "--identifiers", names)
    assert added.returncode == 0, added.stderr
    study = Study.open(root)
    identities = study.unlock(PASSPHRASE.encode())
    layout.session(root, "June", JUNE).mkdir()
    store(study, _transcript("June", JUNE, SAID_MORE), identities)
    reviewed(root, "June", JUNE)


def _transcript(pseudonym: str, session: str, said: list[str]) -> Transcript:
    segments = tuple(Segment(4.0 * i + 1, 4.0 * i + 4, t, "Participant") for i, t in enumerate(said))
    return Transcript(pseudonym, session, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 30.0, 2.0,
                      "2026-11-25T11:00:00+00:00")  # fmt: skip


def _transcribed_again(root: Path) -> subprocess.CompletedProcess[str]:
    """What `transcribe --force` stores (its Whisper run aside): a new transcript, the redactions unbound."""
    study = Study.open(root)
    store(study, _transcript("Rose", SESSION, SAID), study.unlock(PASSPHRASE.encode()))
    return subprocess.CompletedProcess([], 0, "", "")


ON_PURPOSE = {
    "session remove": lambda root: fv("session", "remove", root, "Rose", SESSION, "--confirm", SESSION),
    "session move": lambda root: fv("session", "move", root, "Rose", SESSION, "--to", "June"),
    "participant rename": lambda root: fv("participant", "rename", root, "Rose", "Lily"),
    "withdraw": lambda root: fv("withdraw", root, "Rose", "--confirm", "Rose"),
    "withdraw keeping her de-identified transcript": lambda root: fv(
        "withdraw", root, "Rose", "--confirm", "Rose", "--keep-deidentified"
    ),
    "transcribe --force": _transcribed_again,
}


@pytest.mark.parametrize("command", ON_PURPOSE)
def test_commands_that_remove_or_move_session_files_on_purpose_leave_check_quiet(
    command: str, marked: Path, tmp_path: Path
) -> None:
    """Each command that removes or moves Rose's session files records it: `check` names none of them. June's
    transcript, deleted by hand after it, is named alone (the rule still holds)."""
    _june(marked, tmp_path)
    done = ON_PURPOSE[command](marked)
    assert done.returncode == 0, done.stdout + done.stderr
    assert failed_lines(marked) == []
    (marked / JUNE_TRANSCRIPT).unlink()
    failed = failed_lines(marked)
    assert len(failed) == 1 and JUNE_TRANSCRIPT in failed[0] and DELETED in failed[0], failed


def test_the_end_of_retention_leaves_check_quiet(marked: Path) -> None:
    assert fv("retention", marked, "--years", "1", "--study-ends", "2020-01-01").returncode == 0
    destroyed = fv("retention", marked, "--destroy", "--confirm", "destroy")
    assert destroyed.returncode == 0, destroyed.stderr
    assert not (marked / REDACTIONS).exists()
    assert failed_lines(marked) == []
