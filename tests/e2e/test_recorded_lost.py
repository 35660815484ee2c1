"""QA V17 (qa18): a vouched redactions file (or transcript) deleted after the last backup, so that no backup holds it,
locked her session for good, and every export of the study with it; `transcribe --force` on it ran the whole
transcription before refusing. Now the export leaves that one session out, naming it, and the others go; the PI (the
study passphrase) records the file lost with the command `check` names, in a signed entry, and the session goes on
as unreviewed (or untranscribed): never exported as reviewed without a reviewed redactions file. Real CLI, real age."""

from __future__ import annotations

import time
from pathlib import Path

from fieldvault import layout
from fieldvault.study import Study
from fieldvault.transcribe.pipeline import store
from tests.e2e.test_vouched_deletions import DELETED, _june, _transcript, marked
from tests.e2e.test_vouched_files import fv, one_line_refusal
from tests.e2e.test_vouched_sessions import LEAKS, REDACTIONS, SAID, SESSION, failed_lines
from tests.stewardship import ROSA, add_person

__all__ = ["marked"]  # the fixture: Rose's interview reviewed, a name the reviewer marked by hand among its spans
RECORD = "--record-lost"
JUNE = "June"  # as the export's heading names her (Rose said "please use Rose": her export shows another name)


def _who(text: str) -> list[str]:
    """Whose interview each transcript in an export is, by its heading."""
    return [line.split(" · ")[1].removeprefix("participant ") for line in text.splitlines() if " · session " in line]


def _export(root: Path, out: Path, *more: str) -> tuple[int, str, str]:
    done = fv("export", root, "--format", "txt", "--out", out, *more)  # every participant
    text = "".join(p.read_text() for p in sorted(out.rglob("*")) if p.is_file()) if out.exists() else ""
    return done.returncode, done.stderr, text


def test_a_deleted_redactions_file_no_backup_holds_leaves_her_session_out_until_recorded_lost_then_unreviewed(
    marked: Path, tmp_path: Path
) -> None:
    _june(marked, tmp_path)
    (marked / REDACTIONS).unlink()  # a sync client, a cleanup: after the last backup
    [failed] = failed_lines(marked)
    assert f"{RECORD} {REDACTIONS}" in failed, failed  # check names the way on
    for more in ((), ("--include-unreviewed",)):  # the rest of the study exports; her session is left out, named
        rc, said, text = _export(marked, tmp_path / f"out{len(more)}", *more)
        assert rc == 0, said
        notes = [line for line in said.splitlines() if line.startswith(f"note: Rose/{SESSION}: left out: ")]
        assert len(notes) == 1 and DELETED in notes[0] and RECORD in notes[0], said
        assert _who(text) == [JUNE], text
    redact = fv("redact", marked)  # the whole study: her session skipped, named; June's goes on
    assert redact.returncode == 0 and redact.stderr.startswith(f"Rose/{SESSION}: skipped: {REDACTIONS} {DELETED}")
    assert not (marked / REDACTIONS).exists(), redact.stderr  # never proposed afresh over the lost decisions
    one_line_refusal(fv("check", marked, "--keep-older", REDACTIONS), "(deleted)", f"{RECORD} {REDACTIONS}")
    refused = fv("check", marked, RECORD, REDACTIONS, passphrase=False)  # no passphrase: nothing recorded
    assert refused.returncode == 1 and "Traceback" not in refused.stderr and "passphrase" in refused.stderr
    done = fv("check", marked, RECORD, REDACTIONS)
    assert done.returncode == 0, done.stdout + done.stderr
    [said] = [line for line in done.stdout.splitlines() if line.startswith("recorded lost (entry ")]
    assert REDACTIONS in said and "counts as unreviewed" in said and "fieldvault redact" in said
    assert "FAILED" not in done.stdout and "never writes" not in done.stdout  # an action the log knows
    one_line_refusal(fv("check", marked, RECORD, REDACTIONS), "nothing to record lost")  # twice: once is enough
    rc, said, text = _export(marked, tmp_path / "reviewed")  # never as reviewed: her decisions are gone
    assert rc == 0 and _who(text) == [JUNE] and "left out" not in said, said
    rc, said, text = _export(marked, tmp_path / "unreviewed", "--include-unreviewed")
    [rose] = [p.read_text() for p in (tmp_path / "unreviewed").rglob("*") if JUNE not in _who(p.read_text())]
    assert rc == 0 and len(_who(text)) == 2 and "redaction NOT reviewed" in rose and "\nUNREVIEWED" in rose
    assert not any(leak in rose for leak in LEAKS), rose
    redact = fv("redact", marked, "Rose")  # proposes afresh: the session can be reviewed again
    assert redact.returncode == 0 and (marked / REDACTIONS).is_file(), redact.stderr
    assert failed_lines(marked) == []


def test_transcribe_refuses_a_session_whose_transcript_was_deleted_before_transcribing_then_goes_once_recorded_lost(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    root = ready_study.root
    (session,) = add_person(ready_study, ROSA)  # a recording, transcribed as `transcribe` stores it (signed)
    store(ready_study, _transcript(ROSA.pseudonym, session, SAID), identities)
    transcript = f"participants/{ROSA.pseudonym}/{session}/{layout.TRANSCRIPT}"
    (root / transcript).unlink()
    started = time.monotonic()
    done = fv("transcribe", root, ROSA.pseudonym, session, "--force", "--model", str(tmp_path / "no-such-model"))
    one_line_refusal(done, transcript, DELETED, RECORD)  # before the model is even looked for
    assert time.monotonic() - started < 30 and "%" not in done.stderr
    done = fv("transcribe", root, "--model", str(tmp_path / "no-such-model"))  # every session: skipped, named
    skipped, last = done.stderr.splitlines()
    assert done.returncode == 1 and skipped.startswith(f"{ROSA.pseudonym}/{session}: skipped: {transcript} {DELETED}")
    assert last == "fieldvault: error: nothing transcribed: 1 session(s) skipped, each named above"
    done = fv("check", root, RECORD, transcript)
    assert done.returncode == 0 and "transcribes it again" in done.stdout, done.stdout + done.stderr
    done = fv("transcribe", root, ROSA.pseudonym, session, "--model", str(tmp_path / "no-such-model"))
    assert done.returncode != 0 and DELETED not in done.stderr, done.stderr  # on to the model, which is not there
    assert DELETED not in fv("check", root).stdout


def test_a_malformed_redactions_file_sealed_with_the_public_key_leaves_only_her_session_out(
    marked: Path, tmp_path: Path
) -> None:
    """QA W6: anyone with the study's public key sealed a redactions file with no schema version over Rose's
    reviewed one: every export of the study stopped. Her session is left out now, named with why; June's goes."""
    from tests.e2e.test_vouched_files import forge

    _june(marked, tmp_path)
    forge(Study.open(marked), REDACTIONS, b'{"pseudonym": "Rose", "session": "' + SESSION.encode() + b'", "spans": []}')
    for more in ((), ("--include-unreviewed",)):
        rc, said, text = _export(marked, tmp_path / f"out{len(more)}", *more)
        assert rc == 0, said
        notes = [line for line in said.splitlines() if line.startswith(f"note: Rose/{SESSION}: left out: ")]
        assert len(notes) == 1 and REDACTIONS in notes[0], said
        assert _who(text) == [JUNE] and not any(leak in text for leak in LEAKS), text
    table = fv("export", marked, "--format", "demographics", "--out", tmp_path / "sample.csv")  # the other route
    assert table.returncode == 0 and f"Rose/{SESSION}: left out: " in table.stderr, table.stderr
    assert (tmp_path / "sample.csv").is_file()
