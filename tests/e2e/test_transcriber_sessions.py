"""QA U4: on a transcriber's computer (commands run with `--identity`, her own key, the study's vouch key pinned in
her identity file) an older genuine redactions file or transcript put back in the study folder must be refused as the
PI's commands refuse it: the signatures were written for those files, and now her readers check them (her reviewed
export leaked a name the newer redactions file redacted). Real CLI, real `age` and `age-keygen`, the review functions
the review screen calls."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from fieldvault.errors import BadStudyFile
from fieldvault.redact import review
from fieldvault.study import Study
from tests.conftest import need
from tests.e2e.test_vouched_files import fv, one_line_refusal
from tests.e2e.test_vouched_sessions import (
    LEAKS,
    REDACTIONS,
    RESTORE,
    SESSION,
    TRANSCRIPT,
    edit_her_name_out,
    interview,
    review_pass,
)

NOTE = "lists, transcripts and redactions not checked: this key cannot tell"


def her_key(study: Study, tmp_path: Path, pinned: bool = True) -> tuple[Path, Path]:
    """Rose interviewed, with a transcriber's key (age-keygen) added by the PI, the line `keys vouch-key` prints
    appended to it when ``pinned``; the PI reviews twice (all but her listed name rejected, the file kept as a backup
    holds it; then every span accepted). The study folder, and her identity file."""
    key = tmp_path / "transcriber.txt"
    subprocess.run([need("age-keygen"), "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run([need("age-keygen"), "-y", str(key)], capture_output=True, text=True, check=True).stdout
    root = interview(study, tmp_path, transcriber=public.strip()).root
    assert fv("keys", "rewrap", root, "--share").returncode == 0  # her key given the files sealed before it
    if pinned:
        with key.open("a") as out:
            out.write(fv("keys", "vouch-key", root).stdout)
    review_pass(root, accept_all=False)
    shutil.copy2(root / REDACTIONS, tmp_path / "old-redactions.age")
    shutil.copy2(root / TRANSCRIPT, tmp_path / "old-transcript.age")
    review_pass(root, accept_all=True)
    return root, key


def her_export(root: Path, key: Path, out: Path, *more: str) -> tuple[subprocess.CompletedProcess[str], str]:
    done = fv("export", root, "--format", "txt", "--participant", "Rose", "--out", out, "--identity", key, *more,
              passphrase=False)  # fmt: skip
    return done, "".join(p.read_text() for p in sorted(out.rglob("*")) if p.is_file()) if out.exists() else ""


def her_review(root: Path, key: Path) -> review.Redactions:
    study = Study.open(root)
    identities = study.use_identity_file(key.read_text())
    return review.open_for_review(study, "Rose", SESSION, identities)[1]


def test_her_pinned_key_refuses_an_older_redactions_file_put_back_in_every_reader(study: Study, tmp_path: Path) -> None:
    root, key = her_key(study, tmp_path)
    done, out = her_export(root, key, tmp_path / "before")
    assert done.returncode == 0 and done.stderr == "", done.stderr  # checked, signed: nothing to say
    assert "took me to" in out and not any(leak in out for leak in LEAKS), out
    assert her_review(root, key).reviewed
    shutil.copy2(tmp_path / "old-redactions.age", root / REDACTIONS)  # anyone who can write the folder
    for more, out_dir in (((), "reviewed"), (("--include-unreviewed",), "all"), ((), "again")):  # run twice
        done, out = her_export(root, key, tmp_path / out_dir, *more)
        one_line_refusal(done, REDACTIONS, RESTORE)
        assert out == "" and not (tmp_path / out_dir).exists()
    one_line_refusal(fv("redact", root, "Rose", "--identity", key, passphrase=False), REDACTIONS, RESTORE)
    one_line_refusal(fv("redact", root, "Rose", "--again", "--identity", key, passphrase=False), REDACTIONS, RESTORE)
    with pytest.raises(BadStudyFile, match=RESTORE):  # the review screen's open
        her_review(root, key)


def test_her_pinned_key_refuses_an_older_transcript_put_back(study: Study, tmp_path: Path) -> None:
    """The editor takes her mangled name out of the text (a new version, vouched for); the older one put back."""
    root, key = her_key(study, tmp_path)
    edit_her_name_out(root)
    assert her_export(root, key, tmp_path / "before", "--include-unreviewed")[0].returncode == 0
    shutil.copy2(tmp_path / "old-transcript.age", root / TRANSCRIPT)
    for more in ((), ("--include-unreviewed",)):
        one_line_refusal(her_export(root, key, tmp_path / "out", *more)[0], TRANSCRIPT, RESTORE)
    one_line_refusal(fv("redact", root, "Rose", "--again", "--identity", key, passphrase=False), TRANSCRIPT, RESTORE)


def test_a_line_appended_after_putting_the_old_file_back_makes_it_unreviewed_on_her_machine(
    study: Study, tmp_path: Path
) -> None:
    """A line claiming a transcriber's review, chained after the old file was put back: her reviewed export leaves
    the session out, her unreviewed one replaces every proposal, as the PI's do."""
    root, key = her_key(study, tmp_path)
    shutil.copy2(tmp_path / "old-redactions.age", root / REDACTIONS)
    Study.open(root).audit.append("redaction.reviewed", pseudonym="Rose", session=SESSION)  # no key: no mac
    one_line_refusal(her_export(root, key, tmp_path / "reviewed")[0], "nothing to export", "unreviewed: 1")
    done, out = her_export(root, key, tmp_path / "all", "--include-unreviewed")
    assert done.returncode == 0 and "UNREVIEWED" in out and not any(leak in out for leak in LEAKS), done.stderr + out


def test_her_identity_file_without_the_pin_says_once_that_session_files_are_not_checked(
    study: Study, tmp_path: Path
) -> None:
    root, key = her_key(study, tmp_path, pinned=False)
    shutil.copy2(tmp_path / "old-redactions.age", root / REDACTIONS)
    done, _ = her_export(root, key, tmp_path / "out", "--include-unreviewed")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(NOTE) == 1 and done.stderr.count("\n") == 1, done.stderr  # once, however many reads
