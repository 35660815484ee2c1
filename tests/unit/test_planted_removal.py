"""QA Y7: a `.remove-recipient.json` is a plain file at the study's root. One put there by the leaving transcriber,
naming herself with another key, made `keys remove-recipient` "resume" it: every file was re-wrapped to her again, she
stayed in study.toml, the command said "removed transcriber", and check passed. A plan counts only where the study key
began that removal (a signed entry naming the same name and key); her key, tried with the real `age`, opens nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fieldvault import serial
from fieldvault.agefile import X25519Identity
from fieldvault.stewardship.check import check_study
from fieldvault.stewardship.inventory import data_files
from fieldvault.stewardship.rewrap import PLAN, RemovalPlan, remove_recipient, rewrap_stale
from fieldvault.study import RecipientEntry, Study
from tests.conftest import need


def _her_study(study: Study, identities: list) -> X25519Identity:
    """A study with two files, each open to a transcriber's key as well."""
    study.write_new("journal/a.md.age", b"her story")
    study.write_new("fieldnotes/b.md.age", b"where she lives")
    her = X25519Identity.generate()
    study.add_recipient(str(her.recipient()), "transcriber", identities)
    rewrap_stale(study, identities, share=True)
    return her


def _opened_by(study: Study, her: X25519Identity, tmp_path: Path) -> list[str]:
    """The study's data files her key opens, with the real `age`."""
    key = tmp_path / "her.key"
    key.write_text(f"{her}\n")
    key.chmod(0o600)
    age = need("age")
    return [
        str(path.relative_to(study.root))
        for path in data_files(study)
        if subprocess.run([age, "-d", "-i", str(key), str(path)], capture_output=True).returncode == 0
    ]


def test_a_plan_the_leaving_transcriber_planted_neither_keeps_her_nor_says_she_was_removed(
    study: Study, identities: list, tmp_path: Path
) -> None:
    her = _her_study(study, identities)
    assert len(_opened_by(study, her, tmp_path)) == len(data_files(study)) == 2
    study_key = study.config.recipients[0].key
    plan = RemovalPlan("transcriber", study_key, "2026-11-28T08:00:00+00:00")
    (study.root / PLAN).write_bytes(serial.dumps(plan))  # planted: no passphrase

    told = check_study(study, identities).strays
    assert any(PLAN in s and "never began" in s for s in told), told

    removal = remove_recipient(study, "transcriber", identities)
    assert removal.planted == RecipientEntry(plan.name, plan.key) and not removal.resumed
    assert removal.entry.key == str(her.recipient())  # the key study.toml listed, not the plan's
    assert [r.name for r in study.config.recipients] == ["study"]
    assert not (study.root / PLAN).exists()
    assert _opened_by(study, her, tmp_path) == []
    assert check_study(study, identities).ok


def test_a_plan_naming_a_recipient_nobody_removes_does_not_block_the_removal_asked_for(
    study: Study, identities: list, tmp_path: Path
) -> None:
    her = _her_study(study, identities)
    other = X25519Identity.generate()
    study.add_recipient(str(other.recipient()), "co-pi", identities)
    planted = RemovalPlan("co-pi", study.config.recipients[0].key, "2026-11-28T08:00:00+00:00")
    (study.root / PLAN).write_bytes(serial.dumps(planted))
    rewrap_stale(study, identities, share=True)  # a planted plan no longer blocks `keys rewrap` either

    remove_recipient(study, "transcriber", identities)
    assert [r.name for r in study.config.recipients] == ["study", "co-pi"]
    assert _opened_by(study, her, tmp_path) == []


def test_check_fails_a_study_a_trusted_plan_left_open_to_her(study: Study, identities: list) -> None:
    """What a release that resumed a planted plan left: signed entries saying her removal was resumed and done, and
    study.toml still listing her. Which keys a header opens to cannot be read without them, so check compares the
    list with the signed entries."""
    her = _her_study(study, identities)
    assert check_study(study, identities).ok
    key = str(her.recipient())
    study.audit.append("keys.remove-recipient.resumed", name="transcriber", recipient=key)
    study.audit.append("keys.remove-recipient.done", name="transcriber", recipient=key, count=2)
    failures = check_study(study, identities).failures
    assert [f.file for f in failures] == ["study.toml"], failures
    assert "transcriber" in failures[0].problem and "keys remove-recipient" in failures[0].problem


def test_check_fails_a_file_put_back_from_before_a_removal(study: Study, identities: list, tmp_path: Path) -> None:
    """A header names no key (an X25519 stanza is a share and a wrapped key), so check counts them: a file wrapped to
    more keys than the study has, restored from a backup made before the removal, opens to the removed key."""
    her = _her_study(study, identities)
    journal = study.root / "journal/a.md.age"
    old = journal.read_bytes()  # as a backup made before the removal holds it
    remove_recipient(study, "transcriber", identities)
    journal.write_bytes(old)
    assert _opened_by(study, her, tmp_path) == ["journal/a.md.age"]
    failures = check_study(study, identities).failures
    assert [f.file for f in failures] == ["journal/a.md.age"] and "keys rewrap" in failures[0].problem, failures
    rewrap_stale(study, identities)
    assert check_study(study, identities).ok and _opened_by(study, her, tmp_path) == []


def test_a_removal_cut_off_before_its_signed_entry_is_finished_by_running_it_again(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Z5 (QA Y7's rest): the power lost between study.toml written without her and the signed `keys.remove-recipient`
    left a plan the study key never began; run again, the removal refused ("no recipient named 'transcriber'"), no
    removal entry was ever written, and every file still opened to her until a `keys rewrap`. Now check says to run
    it again, and the rerun records the removal once and re-wraps every file to the list the study key sealed (which
    a planted plan cannot change: it gives no key anything)."""
    her = _her_study(study, identities)
    append = study.audit.append

    def power_cut(action: str, **details: str) -> dict:
        if action == "keys.remove-recipient":
            raise KeyboardInterrupt
        return append(action, **details)

    with monkeypatch.context() as cut, pytest.raises(KeyboardInterrupt):
        cut.setattr(study.audit, "append", power_cut)
        remove_recipient(study, "transcriber", identities)
    assert [r.name for r in study.config.recipients] == ["study"] and (study.root / PLAN).is_file()
    assert len(_opened_by(study, her, tmp_path)) == 2
    told = check_study(study, identities).strays
    assert any("the removal of recipient 'transcriber' was cut off before it was recorded" in s
               and "keys remove-recipient" in s for s in told), told  # fmt: skip

    removal = remove_recipient(study, "transcriber", identities)
    assert removal.resumed and removal.planted is None and removal.entry.key == str(her.recipient())
    assert not (study.root / PLAN).exists() and _opened_by(study, her, tmp_path) == []
    assert check_study(study, identities).ok
    actions = [e["action"] for e in study.audit.entries() if e["details"].get("recipient") == str(her.recipient())]
    assert (
        actions[-2:] == ["keys.remove-recipient", "keys.remove-recipient.done"]
        and actions.count("keys.remove-recipient") == 1
    ), actions


def test_a_planted_plan_naming_a_listed_recipient_with_a_key_nobody_has_is_no_cut_off_removal(
    study: Study, identities: list, tmp_path: Path
) -> None:
    """Z5's finishing takes a plan whose recipient, name and key, study.toml no longer lists; one naming the leaving
    transcriber (still listed) with a key not in study.toml is still planted (QA Y7), and her own key is removed."""
    her = _her_study(study, identities)
    plan = RemovalPlan("transcriber", str(X25519Identity.generate().recipient()), "2026-11-28T08:00:00+00:00")
    (study.root / PLAN).write_bytes(serial.dumps(plan))
    told = check_study(study, identities).strays
    assert any(PLAN in s and "never began" in s for s in told) and not any("cut off before it was" in s for s in told)
    removal = remove_recipient(study, "transcriber", identities)
    assert not removal.resumed and removal.planted == RecipientEntry(plan.name, plan.key)
    assert removal.entry.key == str(her.recipient()) and _opened_by(study, her, tmp_path) == []


def test_a_planted_plan_naming_a_stranger_blocks_no_removal_and_is_signed_for_no_one(
    study: Study, identities: list, tmp_path: Path
) -> None:
    """qa25 QA13: a plan naming someone study.toml never listed, in a study where no file opens to more keys than it
    lists, was taken for a cut-off removal: check said a key "still opens" files it never opened, the removal of the
    leaving transcriber was refused until it was "finished", and the study key signed a removal of a stranger."""
    her = _her_study(study, identities)
    stranger = RemovalPlan("Mallory", str(X25519Identity.generate().recipient()), "2026-11-28T08:00:00+00:00")
    (study.root / PLAN).write_bytes(serial.dumps(stranger))
    told = check_study(study, identities).strays
    assert not any("cut off before it was recorded" in s for s in told) and any("never began" in s for s in told)
    removal = remove_recipient(study, "transcriber", identities)
    assert removal.planted == RecipientEntry(stranger.name, stranger.key) and _opened_by(study, her, tmp_path) == []
    assert not any(e["details"].get("name") == "Mallory" for e in study.audit.entries())


def test_a_stranger_s_plan_beside_a_file_wrapped_to_the_stranger_too_blocks_no_removal(
    study: Study, identities: list, tmp_path: Path
) -> None:
    """qa25 QA13b: the leaving transcriber, who can write the folder, re-wrapped one file to a stranger's key as well
    (so it opens to more keys than study.toml lists) and planted a plan naming the stranger: her own removal was
    refused ("finish Mallory first"). A plan naming another than the one asked for is set aside; the removal asked for
    re-wraps every file, that one too."""
    from fieldvault.agefile import X25519Recipient
    from fieldvault.stewardship.rewrap import rewrap_file

    her = _her_study(study, identities)
    stranger = X25519Identity.generate()
    journal = study.root / "journal/a.md.age"
    rewrap_file(journal, identities, [*study.recipients(), X25519Recipient.parse(str(stranger.recipient()))])
    plan = RemovalPlan("Mallory", str(stranger.recipient()), "2026-11-28T08:00:00+00:00")
    (study.root / PLAN).write_bytes(serial.dumps(plan))
    removal = remove_recipient(study, "transcriber", identities)
    assert removal.entry.key == str(her.recipient()) and removal.planted == RecipientEntry(plan.name, plan.key)
    assert _opened_by(study, her, tmp_path) == [] and _opened_by(study, stranger, tmp_path) == []


def test_a_removal_cut_off_after_its_done_entry_is_finished_by_running_it_again(
    study: Study, identities: list, tmp_path: Path
) -> None:
    """keys25: killed after its signed `keys.remove-recipient.done` and before its plan was deleted, the removal's rerun
    said "no recipient named 'transcriber'" and check called the plan planted. The rerun deletes the plan, and check
    is clean."""
    her = _her_study(study, identities)
    remove_recipient(study, "transcriber", identities)
    plan = RemovalPlan("transcriber", str(her.recipient()), "2026-11-28T08:00:00+00:00")
    (study.root / PLAN).write_bytes(serial.dumps(plan))  # as the kill leaves it
    again = remove_recipient(study, "transcriber", identities)
    assert again.resumed and again.files == 0 and not (study.root / PLAN).exists()
    assert check_study(study, identities).ok and _opened_by(study, her, tmp_path) == []
    assert [e["action"] for e in study.audit.entries()].count("keys.remove-recipient.done") == 1


def test_check_reads_the_removal_plan_once(study: Study, identities: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """check read `.remove-recipient.json` anew for each of its questions (damaged? begun? what re-wraps? sealed by
    the steward's run? a study.toml put back?), five times or more in one run: a removal running beside the check
    could answer each from another plan. It is read once, and every question asks that one."""
    _her_study(study, identities)
    plan = RemovalPlan("transcriber", str(X25519Identity.generate().recipient()), "2026-11-28T08:00:00+00:00")
    (study.root / PLAN).write_bytes(serial.dumps(plan))
    reads = []
    read_bytes = Path.read_bytes

    def counted(path: Path) -> bytes:
        reads.extend([path] if path.name == PLAN else [])
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    told = check_study(study, identities).strays
    assert any(PLAN in s and "never began" in s for s in told)  # what it says of the plan is as before
    assert reads == [study.root / PLAN]
