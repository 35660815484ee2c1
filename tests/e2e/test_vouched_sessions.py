"""QA T11: whoever can write the study folder (or restores an old backup over it) can copy an older genuine
redactions.json.age, or transcript.json.age, back over the current one, without the passphrase: the reviewer's later
acceptances were undone without a word, and her name left the next reviewed export. The study key vouches for each
session's transcript and redactions as it does for lists: the signed entry that writes one records its payload's keyed
digest, and with the passphrase `check`, every export, `redact` and rename refuse a file the key vouched for a newer
one of. A transcriber's key cannot sign: what it writes counts as unreviewed until someone with the passphrase
confirms it. Real CLI, real `age` and `age-keygen`, the review functions the review screen calls."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tomli_w

from fieldvault import layout
from fieldvault.agefile import X25519Identity
from fieldvault.audit import vouched
from fieldvault.editing import Draft
from fieldvault.redact import review
from fieldvault.redact.rebase import store_review
from fieldvault.study import Study
from fieldvault.transcribe.pipeline import store
from fieldvault.transcript import Segment, Transcript
from fieldvault.transcript_versions import open_for_editing, save
from tests.conftest import ANSWERS, PASSPHRASE, fill_letter, need
from tests.e2e.test_vouched_files import fv, one_line_refusal

NOW = datetime(2026, 11, 24, tzinfo=UTC)
SESSION = "20261124-100000"
SAID = ["My real name is Mary Winterniller, but please use Rose.", "A man called Derek Fowler took me to Las Vegas."]
LEAKS = ("Winterniller", "Las Vegas")  # proposed by the detector, on no list: only a reviewer's acceptance takes them
REDACTIONS = f"participants/Rose/{SESSION}/{layout.REDACTIONS}"
TRANSCRIPT = f"participants/Rose/{SESSION}/{layout.TRANSCRIPT}"
RESTORE = "restore the newer one from your latest backup"


def interview(
    study: Study, tmp_path: Path, transcriber: str | None = None, older: bool = False, said: list[str] = SAID
) -> Study:
    """Rose added by the real CLI (her list: Derek Fowler), a transcriber's key added when given, and her interview
    (``said``) stored as `transcribe` stores it (signed, with the passphrase); ``older``: as a fieldvault from before
    this rule left it, transcript and reviewed redactions (every span rejected) with no entry vouching for them."""
    fill_letter(study)
    answers, names = tmp_path / "answers.toml", tmp_path / "names.txt"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    names.write_text("Derek Fowler\n")
    added = fv("participant", "add", study.root, "Rose", "--answers", answers, "--identifiers", names)
    assert added.returncode == 0, added.stderr
    if transcriber is not None:
        assert fv("keys", "add-recipient", study.root, transcriber, "--name", "transcriber").returncode == 0
    study = Study.open(study.root)
    identities = study.unlock(PASSPHRASE.encode())
    layout.session(study.root, "Rose", SESSION).mkdir()
    segments = tuple(Segment(4.0 * i + 1, 4.0 * i + 4, t, "Participant") for i, t in enumerate(said))
    transcript = Transcript("Rose", SESSION, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 30.0, 2.0,
                            "2026-11-24T11:00:00+00:00")  # fmt: skip
    if not older:
        store(study, transcript, identities)
        return Study.open(study.root)
    study.write_new(TRANSCRIPT, transcript.to_json())
    redactions = review.propose(transcript, [])
    for span in redactions.spans:
        redactions.decide(span.id, review.REJECTED, "reviewer", NOW)
    redactions.mark_reviewed("reviewer", NOW)
    review.save(study, redactions)
    return Study.open(study.root)


def edit_her_name_out(root: Path) -> None:
    """The editor takes her real name out of the first segment (a new version, vouched for): its Ctrl+S."""
    study = Study.open(root)
    identities = study.unlock(PASSPHRASE.encode())
    opened = open_for_editing(study, "Rose", SESSION, identities)
    was = opened.draft.transcript
    segments = (replace(was.segments[0], text="Please use Rose.", words=()), *was.segments[1:])
    kept = tuple(span for span in opened.draft.spans if span.segment != 0)
    save(study, Draft(replace(was, segments=segments), kept), identities, "editor", was)


def review_pass(root: Path, accept_all: bool, identities: list[X25519Identity] | None = None) -> None:
    """A reviewer in the review screen: every span accepted, or (as qa16's rejectall.py) every span rejected except
    her listed name, which the screen will not let anyone reject; then marked reviewed. With the passphrase unless
    ``identities`` (a transcriber's key) are given."""
    study = Study.open(root)
    if identities is None:
        identities = study.unlock(PASSPHRASE.encode())
    else:
        study.use_identities(identities)
    transcript, redactions = review.open_for_review(study, "Rose", SESSION, identities)
    base = list(redactions.spans)
    for span in base:
        keep = accept_all or "Fowler" in span.text
        redactions.decide(span.id, review.ACCEPTED if keep else review.REJECTED, "reviewer", NOW)
    store_review(study, transcript, redactions, base, identities)
    review.mark_reviewed(study, transcript, identities, "reviewer")


def export_txt(root: Path, out: Path, *more: str) -> tuple[subprocess.CompletedProcess[str], str]:
    done = fv("export", root, "--format", "txt", "--participant", "Rose", "--out", out, *more)
    return done, "".join(p.read_text() for p in sorted(out.rglob("*")) if p.is_file()) if out.exists() else ""


def failed_lines(root: Path) -> list[str]:
    checked = fv("check", root)
    return [line for line in checked.stdout.splitlines() if "FAILED" in line]


@pytest.fixture
def accepted(study: Study, tmp_path: Path) -> Path:
    """qa16's T11: a first pass rejects all but her listed name (the copy a backup holds of it is kept in
    old-redactions.age), a second accepts every span. Returns the study folder."""
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=False)
    shutil.copy2(root / REDACTIONS, tmp_path / "old-redactions.age")
    review_pass(root, accept_all=True)
    return root


def test_an_older_genuine_redactions_file_put_back_is_refused_by_check_and_both_exports(
    accepted: Path, tmp_path: Path
) -> None:
    done, out = export_txt(accepted, tmp_path / "before")
    assert done.returncode == 0, done.stderr
    assert "took me to" in out and not any(leak in out for leak in LEAKS), out
    newer = (accepted / REDACTIONS).read_bytes()
    shutil.copy2(tmp_path / "old-redactions.age", accepted / REDACTIONS)  # anyone who can write the folder
    failed = failed_lines(accepted)
    assert len(failed) == 1 and REDACTIONS in failed[0] and RESTORE in failed[0], failed
    for more, out_dir in (((), "reviewed"), (("--include-unreviewed",), "all")):
        done, out = export_txt(accepted, tmp_path / out_dir, *more)
        one_line_refusal(done, REDACTIONS, RESTORE)
        assert out == ""
    (accepted / REDACTIONS).write_bytes(newer)  # the newer one restored from the latest backup
    assert failed_lines(accepted) == []
    done, out = export_txt(accepted, tmp_path / "after")
    assert done.returncode == 0 and not any(leak in out for leak in LEAKS), done.stderr + out


@pytest.mark.parametrize("how", ["replayed", "reordered"])
def test_an_older_vouching_line_made_the_last_again_with_its_file_put_back_is_refused(
    study: Study, tmp_path: Path, how: str
) -> None:
    """QA V11: no line cut and none forged. The first review pass's genuine line vouching for its redactions is
    copied to the end of the log, or moved there (the later lines kept whole, each mac intact where it stands), and
    that pass's file put back: every reader refuses the log as out of order, as `check` does; no name goes out."""
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=False)
    shutil.copy2(root / REDACTIONS, tmp_path / "old-redactions.age")
    log = root / "audit.jsonl"
    first_pass = log.read_text().splitlines(keepends=True)
    review_pass(root, accept_all=True)
    lines = log.read_text().splitlines(keepends=True)
    older = max(n for n, line in enumerate(first_pass) if REDACTIONS in vouched(json.loads(line)))
    moved = [*lines, lines[older]] if how == "replayed" else [*lines[:older], *lines[older + 1 :], lines[older]]
    log.write_text("".join(moved))
    shutil.copy2(tmp_path / "old-redactions.age", root / REDACTIONS)
    for more, out_dir in (((), "reviewed"), (("--include-unreviewed",), "all")):
        done, out = export_txt(root, tmp_path / out_dir, *more)
        one_line_refusal(done, "does not follow the line before it", "restore audit.jsonl from a backup")
        assert not any(leak in out for leak in LEAKS), out


def test_redact_run_twice_over_a_file_put_back_refuses_each_time_and_writes_nothing(
    accepted: Path, tmp_path: Path
) -> None:
    shutil.copy2(tmp_path / "old-redactions.age", accepted / REDACTIONS)
    put_back = (accepted / REDACTIONS).read_bytes()
    entries = len((accepted / "audit.jsonl").read_text().splitlines())
    for _ in range(2):
        one_line_refusal(fv("redact", accepted, "Rose", "--again"), REDACTIONS, RESTORE)
        one_line_refusal(fv("redact", accepted, "Rose"), REDACTIONS, RESTORE)
    assert (accepted / REDACTIONS).read_bytes() == put_back
    # nothing but the unlocks' own lines: no decision, proposal or vouch was recorded for the old file
    added = (accepted / "audit.jsonl").read_text().splitlines()[entries:]
    assert not any('"redaction.' in line for line in added), added


def test_an_older_genuine_transcript_put_back_is_refused(study: Study, tmp_path: Path) -> None:
    """Reviewed once with her mangled name in the text; the editor then takes it out (a new version, reviewed
    again). The backup's pair, transcript and redactions, copied back: both named, the export refused."""
    root = interview(study, tmp_path).root
    review_pass(root, accept_all=False)
    shutil.copy2(root / TRANSCRIPT, tmp_path / "old-transcript.age")
    shutil.copy2(root / REDACTIONS, tmp_path / "old-redactions.age")
    edit_her_name_out(root)
    review_pass(root, accept_all=False)
    done, out = export_txt(root, tmp_path / "before")
    assert done.returncode == 0 and "Winterniller" not in out and "Please use" in out, done.stderr + out
    shutil.copy2(tmp_path / "old-transcript.age", root / TRANSCRIPT)
    failed = failed_lines(root)
    assert len(failed) == 1 and TRANSCRIPT in failed[0] and RESTORE in failed[0], failed
    done, out = export_txt(root, tmp_path / "alone", "--include-unreviewed")
    one_line_refusal(done, TRANSCRIPT, RESTORE)
    shutil.copy2(tmp_path / "old-redactions.age", root / REDACTIONS)
    failed = failed_lines(root)
    assert sorted(REDACTIONS in line or TRANSCRIPT in line for line in failed) == [True, True], failed
    done, out = export_txt(root, tmp_path / "pair")
    one_line_refusal(done, RESTORE)
    assert out == ""


def test_a_rename_refuses_to_reseal_a_file_put_back(accepted: Path, tmp_path: Path) -> None:
    """Re-sealed under her new name and vouched for there, the old file would come out genuine."""
    shutil.copy2(tmp_path / "old-redactions.age", accepted / REDACTIONS)
    one_line_refusal(fv("participant", "rename", accepted, "Rose", "Lily"), REDACTIONS, RESTORE)
    assert (accepted / "participants" / "Rose").is_dir() and not (accepted / "participants" / "Lily").exists()


def _transcriber(tmp_path: Path) -> tuple[str, X25519Identity, Path]:
    key = tmp_path / "transcriber.txt"
    subprocess.run([need("age-keygen"), "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run([need("age-keygen"), "-y", str(key)], capture_output=True, text=True, check=True).stdout
    secret = next(line for line in key.read_text().splitlines() if line.startswith("AGE-SECRET-KEY-1"))
    return public.strip(), X25519Identity.parse(secret), key


def test_a_transcribers_review_counts_as_unreviewed_until_the_study_key_confirms_it(
    study: Study, tmp_path: Path
) -> None:
    """Her key decrypts but cannot sign: her review (every span accepted) is read as unreviewed by the PI, every
    decision offered again as a suggestion; an unreviewed export replaces every proposal. The PI confirms them (C)
    and marks it reviewed: then it is reviewed as she decided."""
    public, identity, key = _transcriber(tmp_path)
    root = interview(study, tmp_path, transcriber=public).root
    review_pass(root, accept_all=False)  # the PI's own pass, signed
    review_pass(root, accept_all=True, identities=[identity])
    assert fv("redact", root, "Rose", "--identity", key, passphrase=False).returncode == 0  # her key checks nothing
    checked = fv("check", root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (
        f"{REDACTIONS}: not vouched for by the study key as reviewed" in checked.stdout
        and "unreviewed" in checked.stdout
    )
    done, out = export_txt(root, tmp_path / "reviewed")
    one_line_refusal(done, "nothing to export", "unreviewed: 1")
    done, out = export_txt(root, tmp_path / "all", "--include-unreviewed")
    assert done.returncode == 0, done.stderr
    assert "UNREVIEWED" in out and "took me to" in out and not any(leak in out for leak in LEAKS), out
    study = Study.open(root)
    identities = study.unlock(PASSPHRASE.encode())
    transcript, redactions = review.open_for_review(study, "Rose", SESSION, identities)
    assert not redactions.reviewed and redactions.carried == len(redactions.spans) > 0
    assert {s.carried for s in redactions.spans} == {review.ACCEPTED}  # hers, offered again
    base = list(redactions.spans)
    redactions.confirm_carried("pi", NOW)
    store_review(study, transcript, redactions, base, identities)
    review.mark_reviewed(study, transcript, identities, "pi")
    assert "not vouched for by the study key" not in fv("check", root).stdout
    done, out = export_txt(root, tmp_path / "confirmed")
    assert done.returncode == 0 and "took me to" in out and not any(leak in out for leak in LEAKS), done.stderr + out


def test_a_line_appended_after_putting_the_old_file_back_makes_it_unreviewed_never_reviewed(
    accepted: Path, tmp_path: Path
) -> None:
    """Anyone can chain a line to the log. One that claims a transcriber's review after the old file was put back
    turns the refusal into 'unreviewed': the reviewed export leaves the session out, an unreviewed one replaces
    every proposal; the old file's rejections count for nothing either way."""
    shutil.copy2(tmp_path / "old-redactions.age", accepted / REDACTIONS)
    study = Study.open(accepted)
    study.audit.append("redaction.reviewed", pseudonym="Rose", session=SESSION)  # no key: no mac
    one_line_refusal(export_txt(accepted, tmp_path / "reviewed")[0], "nothing to export", "unreviewed: 1")
    done, out = export_txt(accepted, tmp_path / "all", "--include-unreviewed")
    assert done.returncode == 0 and "UNREVIEWED" in out and not any(leak in out for leak in LEAKS), done.stderr + out


def test_a_session_from_before_this_release_is_vouched_for_at_the_first_unlock(study: Study, tmp_path: Path) -> None:
    """Written by an older fieldvault (no entry vouches for them): taken as they are at the first unlock, said once by
    `check`; from then on a copy older than what the study key signed since is refused. Its review counts as not done
    until someone with the passphrase reviews it again (QA W17: an emptied log and an older review put back look the
    same, and the key took the older review as reviewed: the name it had let out went out again)."""
    root = interview(study, tmp_path, older=True).root
    shutil.copy2(root / REDACTIONS, tmp_path / "old-redactions.age")
    first = fv("check", root)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "the study key now vouches for 2 transcript(s) and redaction file(s)" in first.stdout
    assert "now vouches for" not in fv("check", root).stdout  # said once
    done, out = export_txt(root, tmp_path / "before")  # its rejections do not stand: nothing reviewed to export
    one_line_refusal(done, "nothing to export", "unreviewed: 1")
    done, out = export_txt(root, tmp_path / "all", "--include-unreviewed")  # every proposal replaced
    assert done.returncode == 0 and "UNREVIEWED" in out and not any(leak in out for leak in LEAKS), done.stderr + out
    review_pass(root, accept_all=True)
    shutil.copy2(tmp_path / "old-redactions.age", root / REDACTIONS)
    one_line_refusal(export_txt(root, tmp_path / "out")[0], REDACTIONS, RESTORE)


def test_an_emptied_log_and_an_older_review_put_back_are_refused_by_check_and_the_export(
    accepted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA W17: on a computer that never saw the study's log (a new laptop, a second computer: nothing remembered),
    the log emptied and the first review pass's file put back (no passphrase): `check` took it as a study from before
    vouching and the reviewed export carried the name that pass had let out. A study log must begin with the study's
    own study.init: `check` fails in one line, the export refuses in it (tests/unit/test_adopted_review.py: a log cut
    to that entry, and the other readers)."""
    monkeypatch.setenv("FIELDVAULT_HOME", str(tmp_path / "new-laptop" / "fieldvault"))
    shutil.copy2(tmp_path / "old-redactions.age", accepted / REDACTIONS)
    (accepted / "audit.jsonl").write_bytes(b"")
    checked = fv("check", accepted)
    emptied = "audit.jsonl is missing (or empty), yet the study folder holds participants: the audit log was emptied"
    assert checked.returncode == 1 and f"FAILED audit.jsonl: {emptied}" in checked.stdout, checked.stdout
    done, out = export_txt(accepted, tmp_path / "reviewed")
    one_line_refusal(done, emptied, "restore audit.jsonl from a backup")
    assert out == "" and (accepted / "audit.jsonl").read_bytes() == b""
