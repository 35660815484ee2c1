"""Destruction under the retention policy: recorded before its first file goes, finished if cut off, and final
against a field kit made before it (QA F11)."""

from __future__ import annotations

from datetime import date

import pytest

from fieldvault.agefile.header import payload_id
from fieldvault.events import SessionEvents
from fieldvault.kitmerge import merge_kit
from fieldvault.overview import overview
from fieldvault.stewardship import retention
from fieldvault.stewardship.retention import Policy, describe, destroy, due, policy, set_policy
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.stewardship import JUNE, ROSA, add_person

SESSION = "20261201-100000"


@pytest.fixture
def ended(ready_study: Study) -> Study:
    """Two participants, two sessions each; the study ended in 2020 and was kept a year."""
    for person in (ROSA, JUNE):
        add_person(ready_study, person, sessions=2)
    ready_study.unlock(PASSPHRASE.encode())  # `fieldvault retention --years` asks for the passphrase: signed
    set_policy(ready_study, Policy(years=1, study_ends=date(2020, 1, 1)))
    return ready_study


def test_a_field_kit_made_before_the_end_of_retention_brings_nothing_back(ended: Study, identities: list) -> None:
    """The whole study's destruction recorded no payloads and no participants, so merging a kit made before it (a
    routine second merge) brought the destroyed recordings and both participants back."""
    kit = ended.make_field_kit(ended.root.parent / "kit")
    for pseudonym in ("Rosa", "June"):  # interviewed again in the field
        kit.write_new(f"participants/{pseudonym}/{SESSION}/audio.wav.age", b"RIFF....WAVEdata")
        kit.write_new(
            f"participants/{pseudonym}/{SESSION}/events.json.age", SessionEvents(pseudonym, SESSION).to_json()
        )
    merge_kit(ended, kit.root, identities)
    held = {payload_id(p) for p in ended.root.glob("participants/*/*/*.age")}
    assert destroy(ended, due(ended, date(2026, 12, 1))) >= 12
    [entry] = [e["details"] for e in ended.audit.entries() if e["action"] == "retention.destroy"]
    assert held <= set(entry["payloads"].split()) and len(entry["participants"].split()) == 2
    assert [e["action"] for e in ended.audit.entries()][-1] == "retention.done"
    report = merge_kit(ended, kit.root, identities)
    assert report.merged == [] and report.sessions == []
    assert sorted(line.split(":")[0] for line in report.left_out) == ["participants/June", "participants/Rosa"]
    assert overview(ended) == [] and not list((ended.root / "participants").iterdir())


def test_a_destruction_cut_off_part_way_is_on_the_record_and_finished_at_the_next_unlock(
    ended: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed part-way, the destruction left some files destroyed and others half-overwritten, with no audit entry,
    and `check` then advised restoring a destroyed file from a backup. It is recorded before its first file goes,
    its files are set aside first, and the next unlock of the study destroys the rest."""

    def killed(folder: object) -> int:
        raise KeyboardInterrupt  # the process dies while destroying

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):  # undo() would also drop FIELDVAULT_HOME
        patched.setattr(retention, "shred_tree", killed)
        destroy(ended, due(ended, date(2026, 12, 1)))
    [pending] = ended.root.glob(".destroying-*")
    assert [e["action"] for e in ended.audit.entries()][-1] == "retention.destroy"
    assert not list((ended.root / "participants").iterdir())  # nothing of theirs is listed meanwhile
    again = Study.open(ended.root)  # any command given the passphrase finishes it
    again.unlock(PASSPHRASE.encode())
    assert not pending.exists() and [e["action"] for e in again.audit.entries()][-1] == "retention.done"
    assert due(again, date(2026, 12, 1)) == []


def test_a_policy_changed_by_hand_in_study_toml_destroys_nothing(ready_study: Study) -> None:
    """QA F25: study.toml's retention policy is plaintext; edited by hand (or by a sync conflict, or anyone who can
    write the folder) it made the whole study due, and `--destroy` destroyed it while the audit log's policy, set with
    `fieldvault retention`, kept the data until 2035. Only the policy last set by the command is acted on."""
    import tomllib

    import tomli_w

    from fieldvault.errors import BadInput

    for person in (ROSA, JUNE):
        add_person(ready_study, person)
    ready_study.unlock(PASSPHRASE.encode())
    set_policy(ready_study, Policy(years=5, study_ends=date(2030, 6, 30)))
    toml = ready_study.root / "study.toml"
    doc = tomllib.loads(toml.read_text())
    doc["settings"]["retention"].update(years=1, study_ends="2019-01-01")
    toml.write_bytes(tomli_w.dumps(doc).encode())
    # QA F27: a line appended without the key, saying the edited policy was set, counts for nothing
    edited = Study.open(ready_study.root)
    edited.audit.append("retention.policy", reason=describe(policy(edited)))  # no key: unsigned
    edited.unlock(PASSPHRASE.encode())  # as `retention --destroy` does: the audit log is checked with the key
    items = due(edited, date(2026, 12, 1))
    assert items  # what the edited file says is due
    with pytest.raises(BadInput, match=r"changed by hand .*the policy last set was 'data kept 5 years"):
        destroy(edited, items)
    assert len(list((ready_study.root / "participants").glob("*/*/*.age"))) >= 4
    set_policy(edited, Policy(years=1, study_ends=date(2019, 1, 1)))  # the PI means it: set with the command
    assert destroy(edited, due(edited, date(2026, 12, 1))) > 0


def test_a_review_line_appended_without_the_key_starts_no_audio_clock(ready_study: Study) -> None:
    """QA X2: one `redaction.reviewed` line anyone appended, dated months back, made `retention --destroy` take a
    recording imported that day and never reviewed. With the key in use only a review it signed counts."""
    [session] = add_person(ready_study, ROSA)
    ready_study.unlock(PASSPHRASE.encode())
    set_policy(ready_study, Policy(years=5, study_ends=date(2027, 6, 30), audio_days_after_review=90))
    forger = Study.open(ready_study.root)  # no passphrase: its entries carry no mac of their own
    forger.audit.append("redaction.reviewed", pseudonym="Rosa", session=session)
    lines = ready_study.audit.path.read_text().splitlines()
    lines[-1] = lines[-1].replace(lines[-1].split('"time": "')[1][:25], "2026-06-01T10:00:00+00:00")
    assert '"2026-06-01T10:00:00+00:00"' in lines[-1]
    ready_study.audit.path.write_text("\n".join(lines) + "\n")
    reread = Study.open(ready_study.root)
    reread.unlock(PASSPHRASE.encode())
    assert [d.kind for d in retention.schedule(reread)] == ["study"]  # her audio is not scheduled
    assert due(reread, date(2026, 12, 1)) == []
    assert due(Study.open(ready_study.root), date(2026, 12, 1)) == []  # the listing, `retention DIR`, without the key
    reread.audit.append("redaction.reviewed", pseudonym="Rosa", session=session)  # the PI's own review: signed
    assert [d.kind for d in retention.schedule(reread)] == ["audio", "study"]
    assert [d.kind for d in retention.schedule(Study.open(ready_study.root))] == ["audio", "study"]


def test_a_destruction_line_appended_without_the_key_retires_no_one(ready_study: Study, identities: list) -> None:
    """QA X3: one `retention.destroy` line anyone appended naming her participant id (plaintext in her folder)
    made merge-kit leave her kit follow-up out and say "wipe this kit". Only a destruction the key signed counts."""
    from fieldvault.participantid import participant_id

    add_person(ready_study, ROSA)
    kit = ready_study.make_field_kit(ready_study.root.parent / "kit")
    kit.write_new(f"participants/Rosa/{SESSION}/audio.wav.age", b"RIFF....WAVEdata")
    kit.write_new(f"participants/Rosa/{SESSION}/events.json.age", SessionEvents("Rosa", SESSION).to_json())
    her = participant_id(ready_study.root / "participants" / "Rosa")
    assert her is not None
    Study.open(ready_study.root).audit.append("retention.destroy", participants=her, payloads="")  # no key
    study = Study.open(ready_study.root)
    keys = study.unlock(PASSPHRASE.encode())
    assert retention.destroyed_ids(study) == set()
    report = merge_kit(study, kit.root, keys)
    assert report.left_out == [] and report.sessions == [f"Rosa/{SESSION}"]
    assert (study.root / "participants" / "Rosa" / SESSION / "audio.wav.age").is_file()
