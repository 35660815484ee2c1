"""QA S14: whoever can write the study folder holds its public keys, and `age -r` seals any file to them. The study key
vouches for each woman's list of names and her profile: the signed entry that wrote one records its payload's keyed
digest, and with the passphrase `check`, exports, redaction and rename refuse a file no signed entry vouches for as
it is. The attacker here has the study folder and the real `age` binary, no passphrase."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tomli_w

from fieldvault import layout
from fieldvault.participants import ConsentRecord, IdentifierList, KnownIdentifier, Profile
from fieldvault.redact.review import REJECTED, propose, store
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript
from tests.conftest import ANSWERS, PASSPHRASE, fill_letter, need

NOW = datetime(2026, 11, 24, tzinfo=UTC)
SESSION = "20261124-100000"
SAID = ["A man called Derek Fowler took me.", "You can call me at 916-555-0142."]
LIST = "participants/Rose/identifiers.json.age"
PROFILE = "participants/Rose/profile.json.age"


def fv(*args: str | Path, passphrase: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE} if passphrase else dict(os.environ)
    return subprocess.run(["fieldvault", *map(str, args)], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL)  # fmt: skip


def one_line_refusal(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def forge(study: Study, relative: str, payload: bytes) -> None:
    """What the attacker does: seal ``payload`` to every recipient in study.toml with the real `age`, no key."""
    recipients = [arg for r in study.config.recipients for arg in ("-r", r.key)]
    target = study.root / relative
    target.unlink()
    subprocess.run([need("age"), *recipients, "-o", str(target)], input=payload, check=True)


def empty_list(study: Study, pseudonym: str) -> bytes:
    ident = (study.root / "participants" / pseudonym / layout.PARTICIPANT_ID).read_text().strip()
    return IdentifierList((), pseudonym=pseudonym, participant_id=ident).to_json()


@pytest.fixture
def rose(study: Study, tmp_path: Path) -> Study:
    """Rose added by the real CLI with her list; her interview reviewed by a careless reviewer (every span rejected,
    marked reviewed): only her list still takes Derek Fowler and her number out of the export."""
    return reviewed_rose(study, tmp_path, "Derek Fowler\nCONTACT: 916-555-0142\n", SAID)


def reviewed_rose(study: Study, tmp_path: Path, names: str, said: list[str], pseudonym: str = "Rose") -> Study:
    """Rose (or ``pseudonym``) added by the real CLI with ``names`` as her list, a session saying ``said`` every span
    of which a careless reviewer rejected before marking it reviewed."""
    fill_letter(study)
    answers, listed = tmp_path / "answers.toml", tmp_path / "names.txt"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    listed.write_text(names)
    added = fv("participant", "add", study.root, pseudonym, "--answers", answers, "--identifiers", listed)
    assert added.returncode == 0, added.stderr
    study.unlock(PASSPHRASE.encode())
    folder = layout.session(study.root, pseudonym, SESSION)
    folder.mkdir()
    segments = tuple(Segment(4.0 * i + 1, 4.0 * i + 4, t, "Participant") for i, t in enumerate(said))
    transcript = Transcript(pseudonym, SESSION, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 30.0, 2.0,
                            "2026-11-24T11:00:00+00:00")  # fmt: skip
    study.write_new(folder / layout.TRANSCRIPT, transcript.to_json())
    redactions = propose(transcript, [KnownIdentifier("Derek Fowler")])
    for span in redactions.spans:
        redactions.decide(span.id, REJECTED, "reviewer", NOW)
    redactions.mark_reviewed("reviewer", NOW)
    # stored as the review screen's Ctrl+R does, in the entry the key signs: a file it merely adopted is no review
    store(study, redactions, "redaction.reviewed")
    return Study.open(study.root)


def export_txt(study: Study, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    """Her reviewed export (a folder of text files) and all the text it holds; "" when nothing was written."""
    out = tmp_path / "out"
    done = fv("export", study.root, "--format", "txt", "--participant", "Rose", "--out", out)
    return done, "".join(p.read_text() for p in sorted(out.rglob("*")) if p.is_file()) if out.exists() else ""


def test_her_genuine_list_takes_the_names_out_whatever_review_decided(rose: Study, tmp_path: Path) -> None:
    done, out = export_txt(rose, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "took me" in out and "Fowler" not in out and "0142" not in out
    assert fv("check", rose.root).returncode == 0


def test_a_list_emptied_with_the_public_keys_is_refused_by_check_and_export(rose: Study, tmp_path: Path) -> None:
    forge(rose, LIST, empty_list(rose, "Rose"))
    checked = fv("check", rose.root)
    assert checked.returncode == 1
    failed = [line for line in checked.stdout.splitlines() if "FAILED" in line]
    assert len(failed) == 1 and LIST in failed[0] and "replaced since the study key sealed it" in failed[0], failed
    done, out = export_txt(rose, tmp_path)
    one_line_refusal(done, "Rose's list of names she may mention was replaced", f"restore {LIST}")
    assert out == ""


def test_a_list_forged_with_a_new_participant_id_is_refused(rose: Study, tmp_path: Path) -> None:
    """The list names her and the participant id her folder now holds (rewritten too: it is plaintext): bound, yet
    no signed entry vouches for it."""
    (rose.root / "participants" / "Rose" / layout.PARTICIPANT_ID).write_text("ab" * 16 + "\n")
    forge(rose, LIST, empty_list(rose, "Rose"))
    done, out = export_txt(rose, tmp_path)
    one_line_refusal(done, "was replaced since the study key sealed it")
    assert out == ""


def test_an_older_genuine_list_put_back_is_refused(rose: Study, tmp_path: Path) -> None:
    """A name is added to her list at a follow-up (`add-list --append`); the old list, copied back from a backup, was
    vouched for once: the newest signed entry for the file wins."""
    old = tmp_path / "old-list.age"
    shutil.copy2(rose.root / LIST, old)
    names = tmp_path / "names2.txt"
    names.write_text("Tulare\n")
    assert fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", names).returncode == 0
    assert fv("check", rose.root).returncode == 0
    shutil.copy2(old, rose.root / LIST)
    one_line_refusal(export_txt(rose, tmp_path)[0], "an older copy put back")
    assert fv("check", rose.root).returncode == 1


def test_an_unsigned_entry_claiming_the_old_list_vouches_for_nothing(rose: Study, tmp_path: Path) -> None:
    """Anyone can chain a line to the log: one that copies the digest an earlier signed entry recorded for the file
    (it names the old list) counts for nothing; only entries the study key signed do."""
    old = tmp_path / "old-list.age"
    shutil.copy2(rose.root / LIST, old)
    recorded = next(e for e in rose.audit.entries() if e["action"] == "participant.add")["details"]["vouches"]
    names = tmp_path / "names2.txt"
    names.write_text("Derek Fowler\nTulare\n")
    assert fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", names).returncode == 0
    shutil.copy2(old, rose.root / LIST)
    Study.open(rose.root).audit.append("participant.list-sealed", pseudonym="Rose", vouches=recorded)  # no key
    one_line_refusal(export_txt(rose, tmp_path)[0], "was replaced since the study key sealed it")


def test_two_lists_swapped_are_refused(rose: Study, tmp_path: Path) -> None:
    names = tmp_path / "iris.txt"
    names.write_text("Tyrone\n")
    assert fv("participant", "add", rose.root, "Iris", "--answers", tmp_path / "answers.toml",
              "--identifiers", names).returncode == 0  # fmt: skip
    iris = rose.root / "participants" / "Iris" / layout.IDENTIFIERS
    swap = tmp_path / "swap"
    os.rename(rose.root / LIST, swap)
    os.rename(iris, rose.root / LIST)
    os.rename(swap, iris)
    one_line_refusal(export_txt(rose, tmp_path)[0], "identifiers.json.age")
    assert fv("check", rose.root).returncode == 1


def test_a_forged_consent_record_fails_check(rose: Study) -> None:
    data = json.loads(rose.read(PROFILE, rose.unlock(PASSPHRASE.encode())))
    data["consent"]["letter_version"] = "a version the PI never issued"
    forge(rose, PROFILE, json.dumps(data).encode())
    checked = fv("check", rose.root)
    failed = [line for line in checked.stdout.splitlines() if "FAILED" in line]
    assert checked.returncode == 1 and len(failed) == 1 and PROFILE in failed[0], checked.stdout
    assert "Rose's profile (her answers and consent record) was replaced" in failed[0]


def test_a_rename_moves_the_vouch_and_refuses_to_reseal_a_forged_list(rose: Study, tmp_path: Path) -> None:
    kept = tmp_path / "list.age"
    shutil.copy2(rose.root / LIST, kept)
    forge(rose, LIST, empty_list(rose, "Rose"))
    one_line_refusal(fv("participant", "rename", rose.root, "Rose", "Rosa"), "was replaced")
    assert (rose.root / LIST).is_file()  # nothing renamed
    shutil.copy2(kept, rose.root / LIST)
    assert fv("participant", "rename", rose.root, "Rose", "Rosa").returncode == 0
    assert fv("check", rose.root).returncode == 0
    forge(rose, "participants/Rosa/identifiers.json.age", empty_list(rose, "Rosa"))
    assert fv("check", rose.root).returncode == 1


def test_files_of_a_study_from_before_the_rule_are_vouched_for_at_the_first_unlock(study: Study) -> None:
    """A participant sealed as fieldvault did before (no digest in her entry): the first command run with the
    passphrase vouches for her files as they are, says so once, and from then on a forged list is refused."""
    fill_letter(study)
    folder = study.root / "participants" / "Rose"
    folder.mkdir(mode=0o700)
    (folder / layout.PARTICIPANT_ID).write_text("cd" * 16 + "\n")
    profile = Profile("Rose", {}, ConsentRecord.verbal("v1", "s1", NOW), NOW.isoformat())
    study.write_new(folder / layout.PROFILE, profile.to_json())
    listed = IdentifierList((KnownIdentifier("Derek Fowler"),), pseudonym="Rose", participant_id="cd" * 16)
    study.write_new(folder / layout.IDENTIFIERS, listed.to_json())
    study.audit.append("participant.add", pseudonym="Rose", method="verbal", version="v1")
    first = fv("check", study.root)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "note: the study key now vouches for 2 list(s) of names and profile(s)" in first.stdout
    again = fv("check", study.root)
    assert again.returncode == 0 and "vouches" not in again.stdout
    forge(study, LIST, empty_list(study, "Rose"))
    assert fv("check", study.root).returncode == 1


def test_a_participant_added_while_locked_is_vouched_for_at_the_next_unlock(study: Study, tmp_path: Path) -> None:
    fill_letter(study)
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    Study.open(study.root).unlock(PASSPHRASE.encode())  # the recipient list checked on this computer once
    names = tmp_path / "names.txt"
    names.write_text("Derek Fowler\n")
    added = fv("participant", "add", study.root, "Rose", "--answers", answers, "--identifiers", names, passphrase=False)
    assert added.returncode == 0, added.stderr
    assert "vouches" not in json.dumps(study.audit.entries()[-1])  # nothing to vouch with
    assert "now vouches for 2" in fv("check", study.root).stdout
    forge(study, LIST, empty_list(study, "Rose"))
    assert fv("check", study.root).returncode == 1


@pytest.fixture
def kit(study: Study, tmp_path: Path) -> Path:
    """A field kit made with the study key (its log keyed forward), Yara added on it with her list (QA S14's kl/kit)."""
    fill_letter(study)
    answers, names = tmp_path / "answers.toml", tmp_path / "yara.txt"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    names.write_text("Zed Quorra\nCONTACT: 559-555-0111\n")
    kit = tmp_path / "kit"
    assert fv("field-kit", study.root, kit).returncode == 0
    added = fv("participant", "add", kit, "Yara", "--answers", answers, "--identifiers", names, passphrase=False)
    assert added.returncode == 0, added.stderr
    return kit


def test_a_list_emptied_on_the_kit_is_refused_by_merge_kit(study: Study, kit: Path) -> None:
    forge(Study.open(kit), "participants/Yara/identifiers.json.age", empty_list(Study.open(kit), "Yara"))
    merged = fv("merge-kit", kit, study.root)
    assert merged.returncode == 1 and "Traceback" not in merged.stderr, merged.stdout + merged.stderr
    assert "participants/Yara/identifiers.json.age" in merged.stderr and "not the one the kit sealed" in merged.stderr
    assert "Yara" not in study.participant_names()  # nothing merged


def test_a_kit_list_no_kit_entry_vouches_for_is_refused(study: Study, kit: Path, tmp_path: Path) -> None:
    """Zoe's folder made by hand on the kit, her files sealed with `age` and no entry: the kit's fieldvault vouches
    for what it seals, so a list it never wrote is refused."""
    folder = kit / "participants" / "Zoe"
    folder.mkdir(mode=0o700)
    (folder / layout.PARTICIPANT_ID).write_text("ef" * 16 + "\n")
    on_kit = Study.open(kit)
    on_kit.write_new(folder / layout.PROFILE, Profile("Zoe", {}, ConsentRecord.verbal("v", "s", NOW), "x").to_json())
    on_kit.write_new(folder / layout.IDENTIFIERS, empty_list(on_kit, "Zoe"))
    merged = fv("merge-kit", kit, study.root)
    assert merged.returncode == 1 and "vouched for by no entry the kit wrote" in merged.stderr, merged.stderr


def test_a_genuine_kit_list_merges_vouched_for_and_a_renamed_one_too(study: Study, kit: Path) -> None:
    renamed = fv("participant", "rename", kit, "Yara", "Yael", passphrase=False)
    assert renamed.returncode == 0, renamed.stderr
    merged = fv("merge-kit", kit, study.root)
    assert merged.returncode == 0, merged.stderr
    assert fv("check", study.root).returncode == 0
    entry = next(e for e in study.audit.entries() if e["action"] == "field-kit.merged")
    assert sorted(json.loads(entry["details"]["vouches"])) == [
        "participants/Yael/identifiers.json.age", "participants/Yael/profile.json.age"
    ]  # fmt: skip
    forge(study, "participants/Yael/identifiers.json.age", empty_list(study, "Yael"))
    checked = fv("check", study.root)
    assert checked.returncode == 1 and "Yael's list of names she may mention was replaced" in checked.stdout


def test_the_names_a_withdrawal_kept_on_the_study_list_are_vouched_for(rose: Study, tmp_path: Path) -> None:
    """Rose withdraws; Derek Fowler, whom Iris mentions too, moves to the study's list, which the withdrawal's
    signed entry vouches for: emptied with the public keys, it is named by `check` and refused by Iris's export."""
    names = tmp_path / "iris.txt"
    names.write_text("Tyrone\n")
    assert fv("participant", "add", rose.root, "Iris", "--answers", tmp_path / "answers.toml",
              "--identifiers", names).returncode == 0  # fmt: skip
    identities = rose.unlock(PASSPHRASE.encode())
    folder = layout.session(rose.root, "Iris", SESSION)
    folder.mkdir()
    said = (Segment(1.0, 4.0, "Derek Fowler drove me there.", "Participant"),)
    transcript = Transcript("Iris", SESSION, said, (), {"name": "tiny.en"}, "faster-whisper", {}, 30.0, 2.0,
                            "2026-11-24T11:00:00+00:00")  # fmt: skip
    rose.write_new(folder / layout.TRANSCRIPT, transcript.to_json())
    withdrawn = fv("withdraw", rose.root, "Rose", "--confirm", "Rose")
    assert withdrawn.returncode == 0, withdrawn.stderr
    kept = IdentifierList.from_json(rose.read(layout.STUDY_IDENTIFIERS, identities))
    assert [k.text for k in kept.identifiers] == ["Derek Fowler"]
    assert fv("check", rose.root).returncode == 0
    forge(rose, layout.STUDY_IDENTIFIERS, IdentifierList(()).to_json())
    checked = fv("check", rose.root)
    failed = [line for line in checked.stdout.splitlines() if "FAILED" in line]
    assert checked.returncode == 1 and len(failed) == 1, checked.stdout
    assert "the study's list of names people may mention was replaced" in failed[0]
    exported = fv("export", rose.root, "--format", "txt", "--participant", "Iris", "--include-unreviewed",
                  "--out", tmp_path / "iris")  # fmt: skip
    one_line_refusal(exported, f"restore {layout.STUDY_IDENTIFIERS}")
    # QA T18: deleted, not replaced: the same failure and refusal, the names otherwise caught only by the detector
    (rose.root / layout.STUDY_IDENTIFIERS).unlink()
    checked = fv("check", rose.root)
    failed = [line for line in checked.stdout.splitlines() if "FAILED" in line]
    assert checked.returncode == 1 and len(failed) == 1, checked.stdout
    assert "the study's list of names people may mention was deleted since the study key sealed it" in failed[0]
    exported = fv("export", rose.root, "--format", "txt", "--participant", "Iris", "--include-unreviewed",
                  "--out", tmp_path / "iris2")  # fmt: skip
    one_line_refusal(exported, f"restore {layout.STUDY_IDENTIFIERS}")
