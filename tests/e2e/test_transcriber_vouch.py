"""QA T17: on a transcriber's machine (commands run with `--identity`, no study key) a list of names swapped for an
empty one, sealed with `age -r` to the study's public recipients, must be refused as the PI's commands refuse it. The
study's vouch key (Ed25519, from the study identity) signs what its entries vouch for; its public half is pinned in
the transcriber's own identity file, a comment line the real `age` skips."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fieldvault.study import Study
from tests.conftest import need
from tests.e2e.test_vouched_files import LIST, PROFILE, empty_list, forge, fv, one_line_refusal, rose

__all__ = ["rose"]  # the fixture, shared with the PI's side of the same attack
NOTE = "lists, transcripts and redactions not checked: this key cannot tell a replaced list"


def transcriber(study: Study, tmp_path: Path, pinned: bool) -> Path:
    """A transcriber's own key (age-keygen), added by the PI and given every earlier file; with ``pinned``, the line
    `keys add-recipient` printed appended to the identity file, as README says."""
    key = tmp_path / "transcriber.txt"
    subprocess.run([need("age-keygen"), "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run([need("age-keygen"), "-y", str(key)], check=True, capture_output=True, text=True)
    added = fv("keys", "add-recipient", study.root, public.stdout.strip(), "--name", "transcriber")
    assert added.returncode == 0, added.stderr
    line = added.stdout.splitlines()[-1]
    assert line.startswith("# fieldvault vouch key for study age1"), added.stdout
    assert fv("keys", "vouch-key", study.root).stdout.strip() == line  # the same line again, on demand
    shared = fv("keys", "rewrap", study.root, "--share")
    assert shared.returncode == 0, shared.stderr
    if pinned:
        with key.open("a") as out:
            out.write(line + "\n")
    return key


def export_as(study: Study, key: Path, out: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    done = fv("export", study.root, "--format", "txt", "--participant", "Rose", "--out", out, "--identity", key,
              passphrase=False)  # fmt: skip
    return done, "".join(p.read_text() for p in sorted(out.rglob("*")) if p.is_file()) if out.exists() else ""


def test_a_transcribers_pinned_key_refuses_a_list_swapped_with_the_public_keys(rose: Study, tmp_path: Path) -> None:
    key = transcriber(rose, tmp_path, pinned=True)
    opened = subprocess.run([need("age"), "-d", "-i", str(key), str(rose.root / PROFILE)], capture_output=True)
    assert opened.returncode == 0 and b"Rose" in opened.stdout, opened.stderr  # real age reads the pinned file
    done, out = export_as(rose, key, tmp_path / "before")
    assert done.returncode == 0 and done.stderr == "", done.stderr  # checked: nothing to say
    assert "took me" in out and "Fowler" not in out and "0142" not in out

    forge(Study.open(rose.root), LIST, empty_list(rose, "Rose"))  # qa16: re-encrypted to every public recipient
    for attempt in ("first", "second"):  # run twice: refused each time, nothing written
        done, out = export_as(rose, key, tmp_path / attempt)
        one_line_refusal(done, "Rose's list of names she may mention was replaced", f"restore {LIST}")
        assert out == "" and not (tmp_path / attempt).exists()
    redacted = fv("redact", rose.root, "Rose", "--again", "--identity", key, passphrase=False)
    one_line_refusal(redacted, "was replaced")


def test_a_line_appended_to_the_log_copying_an_earlier_signature_vouches_for_nothing(
    rose: Study, tmp_path: Path
) -> None:
    """A name added at a follow-up (`add-list --append`), then the older genuine list put back and a line chained to
    the log that copies the signature the first entry recorded for it: a signature is bound to its entry's place."""
    key = transcriber(rose, tmp_path, pinned=True)
    old = (rose.root / LIST).read_bytes()
    first = next(e for e in rose.audit.entries() if e["action"] == "participant.add")
    names = tmp_path / "names2.txt"
    names.write_text("Tulare\n")
    assert fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", names).returncode == 0
    (rose.root / LIST).write_bytes(old)
    copied = {k: first["details"][k] for k in ("vouches", "signatures")}
    Study.open(rose.root).audit.append("participant.list-sealed", **copied)  # chained, without any key
    one_line_refusal(export_as(rose, key, tmp_path / "out")[0], "was replaced")


def test_an_identity_file_without_the_pin_says_once_that_lists_are_not_checked(rose: Study, tmp_path: Path) -> None:
    key = transcriber(rose, tmp_path, pinned=False)
    forge(Study.open(rose.root), LIST, empty_list(rose, "Rose"))
    done, _ = export_as(rose, key, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(NOTE) == 1 and done.stderr.count("\n") == 1, done.stderr  # once, however many reads


def test_an_identity_file_pinning_another_study_only_is_refused(rose: Study, tmp_path: Path) -> None:
    """study.toml's first recipient changed (by someone with the folder), or the line of another study only."""
    key = transcriber(rose, tmp_path, pinned=True)
    text = key.read_text()
    own = rose.config.recipients[0].key
    key.write_text(text.replace(own, "age1" + "q" * 58))
    one_line_refusal(export_as(rose, key, tmp_path / "out")[0], "pins the vouch key of 1 other study")


def test_the_exported_study_identity_carries_its_pin_and_age_still_reads_it(rose: Study, tmp_path: Path) -> None:
    out = tmp_path / "study-key.txt"
    assert fv("keys", "export-identity", rose.root, "--out", out).returncode == 0
    assert "# fieldvault vouch key for study " in out.read_text()
    opened = subprocess.run([need("age"), "-d", "-i", str(out), str(rose.root / PROFILE)], capture_output=True)
    assert opened.returncode == 0 and b"Rose" in opened.stdout, opened.stderr
