"""Renaming a participant (a pseudonym chosen twice, QA F26): on the trusted machine every sealed record that
names her is re-sealed under the new name and still reads; on a field kit her folder is renamed and the kit's
log says so, and merge-kit then takes her in beside the study's namesake."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from fieldvault import layout, participantrename
from fieldvault.errors import BadInput
from fieldvault.events import load_events
from fieldvault.kitmerge import merge_kit
from fieldvault.participantid import participant_id
from fieldvault.participantrename import PLAN, Renamed, RenamePlan, rename_participant
from fieldvault.participants import check_pseudonym
from fieldvault.redact.review import current
from fieldvault.sessioninfo import read_index
from fieldvault.study import Study
from fieldvault.transcript import read_transcript
from tests.auditfields import fields
from tests.conftest import PASSPHRASE
from tests.stewardship import JUNE, ROSA, Person, add_person, transcribe_and_review

ZO_KIT = Person("Zo", ("Kayla Brandt",), "Kayla Brandt was there.")
ZO_STUDY = Person("Zo", ("Dorothea Kessling",), "Dorothea Kessling was there.")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    return subprocess.run(["fieldvault", *args], capture_output=True, text=True, env=env, check=False)


def _one_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("fieldvault: error: ") and len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[-1], lines[-1]


def _named_inside(study: Study, folder: Path, identities: list) -> set[str]:
    return {
        json.loads(study.read(path, identities))["pseudonym"]
        for path in folder.rglob("*.json.age")
        if "pseudonym" in json.loads(study.read(path, identities))
    }


def _rename(study: Study, old: str, new: str, identities: list) -> Renamed:
    return rename_participant(study, old, new, identities)


def test_a_rename_on_the_trusted_machine_reseals_every_record_and_everything_still_reads(
    ready_study: Study, identities: list
) -> None:
    session = add_person(ready_study, ROSA, sessions=1)[0]
    transcribe_and_review(ready_study, identities, ROSA, session)
    audio = layout.session(ready_study.root, "Rosa", session) / layout.AUDIO
    inode, ident = audio.stat().st_ino, participant_id(layout.participant(ready_study.root, "Rosa"))

    done = _rename(ready_study, "Rosa", "Rosalind", identities)

    folder = layout.participant(ready_study.root, "Rosalind")
    assert not layout.participant(ready_study.root, "Rosa").exists() and not (folder / PLAN).exists()
    assert done.sessions == 1 and done.resealed >= 4  # profile, timeline, transcript(s), redactions
    assert _named_inside(ready_study, folder, identities) == {"Rosalind"}
    assert (folder / session / layout.AUDIO).stat().st_ino == inode  # the audio moved as it is
    transcript = read_transcript(ready_study, folder / session / layout.TRANSCRIPT, identities)  # reads, not refused
    assert load_events(ready_study, folder / session, identities).pseudonym == "Rosalind"
    assert current(ready_study, transcript, identities).reviewed  # her review still holds: same text
    assert f"Rosalind/{session}" in read_index(ready_study.root)
    entry = ready_study.audit.entries()[-1]
    assert entry["action"] == "participant.rename" and "mac" in entry
    vouched = json.loads(entry["details"].pop("vouches"))  # her re-sealed list, profile, transcript and redactions
    assert sorted(vouched) == [
        f"participants/Rosalind/{f}"
        for f in (f"{session}/{layout.REDACTIONS}", f"{session}/{layout.TRANSCRIPT}", "identifiers.json.age",
                  "profile.json.age")
    ]  # fmt: skip
    assert sorted(json.loads(entry["details"].pop("signatures"))) == sorted(vouched)  # signed too (QA T17)
    assert fields(entry["details"], "pseudonym", "moved_from", "participant_id") == {
        "pseudonym": "Rosalind",
        "moved_from": "Rosa",
        "participant_id": ident,
    }
    with pytest.raises(BadInput, match="was renamed 'Rosalind' already"):  # run twice
        _rename(ready_study, "Rosa", "Rosalind", identities)


@pytest.mark.parametrize("new", ["ROSA", "Rósa"])
def test_a_rename_to_a_look_alike_of_her_name_reseals_every_record_too(
    ready_study: Study, identities: list, new: str
) -> None:
    """QA W15: Rose -> ROSE (or Róse, as she asked) re-sealed 2 of 8 records: her profile, list, transcript and
    redactions still named "Rose" inside, the look-alike comparison taking the old name for the new. A woman may
    ask for her pseudonym's case or accent to be put right: every record follows, compared exactly."""
    session = add_person(ready_study, ROSA, sessions=1)[0]
    transcribe_and_review(ready_study, identities, ROSA, session)
    done = _rename(ready_study, "Rosa", new, identities)
    folder = layout.participant(ready_study.root, new)
    assert _named_inside(ready_study, folder, identities) == {new}
    assert done.resealed >= 4  # profile, list, timeline, transcript(s), redactions
    transcript = read_transcript(ready_study, folder / session / layout.TRANSCRIPT, identities)
    assert current(ready_study, transcript, identities).reviewed  # her review still holds: the same text


def _power_cut(*_: object) -> None:
    raise KeyboardInterrupt


def test_a_rename_cut_off_after_its_commit_is_finished_by_running_it_again(
    ready_study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = add_person(ready_study, ROSA, sessions=1)[0]
    transcribe_and_review(ready_study, identities, ROSA, session)
    with monkeypatch.context() as cut, pytest.raises(KeyboardInterrupt):
        cut.setattr(participantrename, "_records", _power_cut)  # the power went right after her folder was renamed
        _rename(ready_study, "Rosa", "Rosalind", identities)
    assert (layout.participant(ready_study.root, "Rosalind") / PLAN).is_file()
    check = _cli("check", str(ready_study.root))
    assert "a rename of this participant was cut off" in check.stdout, check.stdout
    # QA G11: every reader, and check's last line, say to run the rename again, never to restore from a backup
    assert check.returncode == 1 and "wait for a cut-off `participant rename`: run it again" in check.stderr
    assert "restore them from a backup" not in check.stderr
    shown = _cli("transcript", str(ready_study.root), "Rosalind", session)
    _one_line(shown, "a rename of Rosa to Rosalind was cut off", "participant rename", "Rosa Rosalind` again")
    assert "backup" not in shown.stderr
    with pytest.raises(BadInput, match="a rename of 'Rosa' to 'Rosalind' was cut off; finish it first"):
        _rename(ready_study, "June", "Rosalind", identities)  # with the key, which tells its entry signed

    _rename(ready_study, "Rosa", "Rosalind", identities)

    folder = layout.participant(ready_study.root, "Rosalind")
    assert not (folder / PLAN).exists() and _named_inside(ready_study, folder, identities) == {"Rosalind"}


def test_a_rename_plan_put_in_her_folder_by_hand_is_named_and_the_name_rule_applies(
    ready_study: Study, identities: list
) -> None:
    """QA X8: a plan file anyone can write ({"Rosa" to "JUNE"}, beside June) made the PI's next rename say to "finish"
    it, and, run as told, skipped the name rule: two women a coder reads as one. Taken only where a signed entry
    records that rename begun; otherwise named, removed, and the name rule applies."""
    from fieldvault import serial
    from fieldvault.audit import AuditLog
    from fieldvault.participantrename import BEGUN, check_rename
    from fieldvault.stewardship.check import check_study

    add_person(ready_study, ROSA, sessions=1)
    add_person(ready_study, JUNE, sessions=0)
    plan = layout.participant(ready_study.root, "Rosa") / PLAN
    plan.write_bytes(serial.dumps(RenamePlan("Rosa", "JUNE")))  # no passphrase needed
    AuditLog(ready_study.root / layout.AUDIT_FILE).append(BEGUN, pseudonym="JUNE", moved_from="Rosa")  # nor this
    with pytest.raises(BadInput, match="'JUNE' is taken already"):
        check_rename(ready_study, "Rosa", "JUNE")
    # the name checked before the passphrase is asked: the forged line cannot be told, and refuses nothing
    assert check_rename(Study.open(ready_study.root), "Rosa", "Roza") == RenamePlan("Rosa", "Roza")
    (said,) = [s for s in check_study(ready_study, identities).strays if ".renaming" in s]
    assert said.startswith("participants/Rosa/.renaming (a rename of 'Rosa' to 'JUNE'): no entry the study key signed")
    assert "put there by hand" in said and f"rm {plan}" in said and "finish" not in said
    done = _rename(ready_study, "Rosa", "Roza", identities)
    assert done.ignored == ("participants/Rosa/.renaming (a rename of 'Rosa' to 'JUNE')",)
    assert ready_study.participant_names() == ["June", "Roza"]
    assert not (layout.participant(ready_study.root, "Roza") / PLAN).exists()


def test_a_rename_says_the_old_pseudonym_stays_in_the_plaintext_log(ready_study: Study) -> None:
    """QA T6: renamed away from a pseudonym that could identify her, "Rosa" stays in every earlier audit entry and every
    backup (the log is hash-chained and cannot be rewritten); the rename says so."""
    add_person(ready_study, ROSA, sessions=0)
    done = _cli("participant", "rename", str(ready_study.root), "Rosa", "Roza")
    assert done.returncode == 0, done.stderr
    assert "the audit log (plaintext, copied whole into every backup) keeps Rosa in its earlier entries" in done.stdout


def test_a_pseudonym_renamed_away_is_retired_but_may_go_back_to_her(ready_study: Study, identities: list) -> None:
    """QA T10: after "Rosa" became "Rosalind", a new woman could take "Rosa", and her exports got the file and case
    names the first woman's earlier exports bear."""
    add_person(ready_study, ROSA, sessions=1)
    _rename(ready_study, "Rosa", "Rosalind", identities)
    for taken in ("Rosa", "ROSA", "Ro\u0073a"):
        with pytest.raises(BadInput, match=r"^'R(osa|OSA)' cannot be used as a pseudonym here"):  # QA V12: bare
            check_pseudonym(ready_study, taken)
    add_person(ready_study, JUNE, sessions=0)
    with pytest.raises(BadInput, match=r"the pseudonym 'Rosa' was 'Rosalind''s until \d{4}-\d\d-\d\d"):
        _rename(ready_study, "June", "Rosa", identities)
    _rename(ready_study, "Rosalind", "Rosa", identities)  # back to her own: allowed
    assert (layout.participant(ready_study.root, "Rosa")).is_dir()


def test_a_rename_cut_off_before_its_commit_is_finished_by_running_it_again(
    ready_study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA T20: killed after its plan was written and before the folder moved, the same rename said the plan "already
    exists" and another name said to finish this one first: only deleting the plan by hand got out."""
    add_person(ready_study, ROSA, sessions=1)
    old = layout.participant(ready_study.root, "Rosa")
    with monkeypatch.context() as cut, pytest.raises(KeyboardInterrupt):
        cut.setattr(participantrename.os, "rename", _power_cut)
        _rename(ready_study, "Rosa", "Rosalind", identities)  # the power went before her folder moved
    assert (old / PLAN).is_file()
    with pytest.raises(BadInput, match="a rename of 'Rosa' to 'Rosalind' was cut off; finish it first"):
        _rename(ready_study, "Rosa", "Roza", identities)  # signed begun: the plan holds
    _rename(ready_study, "Rosa", "Rosalind", identities)
    folder = layout.participant(ready_study.root, "Rosalind")
    assert not old.exists() and not (folder / PLAN).exists()
    assert _named_inside(ready_study, folder, identities) == {"Rosalind"}


@pytest.mark.parametrize(
    ("new", "what"),
    [
        ("..", "may not start with a dot"),
        ("June", "is taken already"),
        ("Jun\u0435", "is taken already"),  # a Cyrillic е: looks like June
        ("Ro/sa", "may not contain"),
        ("Marisol", "on the list of names she may mention"),
        ("Rosa", "is called 'Rosa' already"),
    ],
)
def test_bad_renames_are_refused_in_one_line_and_change_nothing(ready_study: Study, new: str, what: str) -> None:
    add_person(ready_study, ROSA, sessions=1)
    add_person(ready_study, Person("June", ("Harold Beckwith",), "x"), sessions=0)
    before = sorted(p.relative_to(ready_study.root) for p in ready_study.root.rglob("*"))
    _one_line(_cli("participant", "rename", str(ready_study.root), "Rosa", new), what)
    assert sorted(p.relative_to(ready_study.root) for p in ready_study.root.rglob("*")) == before


def test_an_nfd_name_finds_her_and_the_new_name_is_stored_in_nfc(ready_study: Study) -> None:
    add_person(ready_study, Person("Zoë", ("Dorothea Kessling",), "x"), sessions=1)
    done = _cli(
        "participant",
        "rename",
        str(ready_study.root),
        unicodedata.normalize("NFD", "Zoë"),
        unicodedata.normalize("NFD", "Zoé R"),
    )
    assert done.returncode == 0, done.stderr
    assert ready_study.participant_names() == [unicodedata.normalize("NFC", "Zoé R")]
    _one_line(_cli("participant", "rename", str(ready_study.root), "Nobody", "Someone"), "no participant 'Nobody'")


def test_a_clash_on_a_kit_is_renamed_on_the_kit_and_merges_beside_the_studys_namesake(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(ready_study, ZO_STUDY, sessions=1)  # the study's Zo, added after the kit was made
    kit_session = add_person(kit, ZO_KIT, sessions=1)[0]  # another woman chose Zo in the field
    add_person(kit, ROSA, sessions=1)
    refused = _cli("merge-kit", str(kit.root), str(ready_study.root))
    assert refused.returncode == 1 and f"`fieldvault participant rename {kit.root} Zo NEW`" in refused.stderr
    last = refused.stderr.strip().splitlines()[-1]  # nothing is wrong with the kit: no "ask the interviewer"
    assert last.endswith("Rename as said above (`fieldvault participant rename`), then merge again"), last

    done = _cli("participant", "rename", str(kit.root), "Zo", "Zoe K")
    assert done.returncode == 0 and "on this field kit" in done.stdout, done.stderr
    _one_line(_cli("participant", "rename", str(kit.root), "Zo", "Zoe K"), "renamed 'Zoe K' already")  # twice
    assert kit.participant_names() == ["Rosa", "Zoe K"]

    report = merge_kit(ready_study, kit.root, identities)

    assert report.left_out == [] and f"Zoe K/{kit_session}" in report.sessions
    assert sorted(ready_study.participant_names()) == ["Rosa", "Zo", "Zoe K"]
    merged = layout.session(ready_study.root, "Zoe K", kit_session)
    assert load_events(ready_study, merged, identities).session == kit_session  # it reads
    renamed = [
        e["details"]
        for e in ready_study.audit.entries()
        if e["action"] == "field-kit.entry" and e["details"]["origin_action"] == "participant.rename"
    ]
    assert renamed and renamed[0]["pseudonym"] == "Zoe K" and "moved_from" not in renamed[0]  # left on the kit
    again = merge_kit(ready_study, kit.root, identities)  # merged twice: nothing new, nothing refused
    assert again.merged == []


def test_a_kit_whose_log_keeps_a_listed_name_is_to_be_wiped_not_taken_back(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA H16: a pseudonym merge-kit refused as a name on a list ("Tucson", a place on Rosa's) stays in the kit's own
    plaintext audit log after the rename on the kit; merge-kit then said the kit may go back to the field."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(ready_study, ROSA, sessions=1)  # her list names Tucson
    add_person(kit, Person("Tucson", ("Jolene Harte",), "I came back."), sessions=1)  # the kit cannot read her list
    refused = _cli("merge-kit", str(kit.root), str(ready_study.root))
    assert refused.returncode == 1 and "may be a real name" in refused.stderr
    assert _cli("participant", "rename", str(kit.root), "Tucson", "Wren").returncode == 0
    done = _cli("merge-kit", str(kit.root), str(ready_study.root))
    assert done.returncode == 0, done.stderr
    assert (
        "still holds 1 pseudonym(s) or login name(s) that are names on a list (renamed on the kit since" in done.stderr
    )
    assert "Tucson" not in done.stderr + done.stdout and "take it back to the field" not in done.stdout
    assert "Tucson" in (kit.root / "audit.jsonl").read_text()  # why: the kit's own log is the kit's


def test_a_listed_name_whose_folder_was_deleted_on_the_kit_never_enters_the_study_log(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA K9: a participant added on the kit under a listed name (the man who kept Rosa), her folder then deleted
    there ("undo"), passed no folder check: merge-kit copied her `participant.add` entry, with the name, into the
    study's plaintext log. Such a pseudonym is taken as a placeholder, and the kit is to be wiped."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(ready_study, ROSA, sessions=1)  # her list names Tucson
    add_person(kit, Person("Tucson", ("Jolene Harte",), "I came back."), sessions=0)
    shutil.rmtree(kit.root / "participants" / "Tucson")
    done = _cli("merge-kit", str(kit.root), str(ready_study.root))
    assert done.returncode == 0, done.stderr
    assert (
        "still holds 1 pseudonym(s) or login name(s) that are names on a list" in done.stderr
        and "Wipe the kit" in done.stderr
    )
    log = (ready_study.root / "audit.jsonl").read_text()
    assert "Tucson" not in log and '"pseudonym": "[a name on a list]"' in log


def test_a_kit_login_that_is_a_listed_name_never_enters_the_study_log(
    ready_study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA Q7: each kit entry's actor (the laptop's login name, or whatever a kit holder wrote there) went into the
    study's plaintext log as origin_actor, a name on a list included. It is taken as a placeholder, as K9's
    pseudonym is, with the same warning."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(ready_study, ROSA, sessions=1)  # her list names Marisol Quintanilla
    monkeypatch.setenv("FIELDVAULT_ACTOR", "Marisol Quintanilla")
    add_person(kit, Person("Wren", (), "I came back."), sessions=0)
    monkeypatch.delenv("FIELDVAULT_ACTOR")
    done = _cli("merge-kit", str(kit.root), str(ready_study.root))
    assert done.returncode == 0, done.stderr
    assert "names on a list" in done.stderr and "Wipe the kit" in done.stderr, done.stderr
    log = (ready_study.root / "audit.jsonl").read_text()
    assert "Quintanilla" not in log and '"origin_actor": "[a name on a list]"' in log
    assert ready_study.participant_names() == ["Rosa", "Wren"]


def test_merging_a_kit_again_after_the_study_renamed_her_takes_nothing_twice(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = ready_study.make_field_kit(tmp_path / "kit")
    session = add_person(kit, ZO_KIT, sessions=1)[0]
    merge_kit(ready_study, kit.root, identities)
    _rename(ready_study, "Zo", "Zoe K", identities)  # re-seals the profile and timeline the kit brought

    again = merge_kit(ready_study, kit.root, identities)

    assert again.merged == [] and ready_study.participant_names() == ["Zoe K"]
    assert load_events(ready_study, layout.session(ready_study.root, "Zoe K", session), identities).pseudonym == "Zoe K"


def test_a_participant_renamed_on_the_kit_can_be_renamed_again_on_the_study(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit = ready_study.make_field_kit(tmp_path / "kit")
    session = add_person(kit, ZO_KIT, sessions=1)[0]
    assert _cli("participant", "rename", str(kit.root), "Zo", "Zoe K").returncode == 0
    merge_kit(ready_study, kit.root, identities)  # her timeline, sealed before the rename, is re-sealed as Zoe K

    _rename(ready_study, "Zoe K", "Wren", identities)

    folder = layout.participant(ready_study.root, "Wren")
    assert _named_inside(ready_study, folder, identities) == {"Wren"}
    assert load_events(ready_study, folder / session, identities).pseudonym == "Wren"


def _every_form(name: str) -> set[str]:
    forms = {name, name.casefold(), name.upper(), unicodedata.normalize("NFD", name)}
    return forms | {unicodedata.normalize("NFD", form) for form in forms} | {form.encode("unicode_escape").decode()
                                                                            for form in forms}  # fmt: skip


def _everything_readable(study: Study, identities: list) -> list[tuple[str, str]]:
    """(path, text) of every file in the study, each sealed one decrypted."""
    found = []
    for path in sorted(p for p in study.root.rglob("*") if p.is_file() and "keys" not in p.parts):
        data = study.read(path, identities) if path.name.endswith(".age") else path.read_bytes()
        found.append((str(path.relative_to(study.root)), data.decode("utf-8", "replace")))
    return found


def test_after_a_kit_side_rename_the_old_name_is_in_no_record_of_the_study(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA (rename, kit9): after `participant rename` on a kit, her profile and timelines in the study still said
    the old name inside (sealed on the kit before the rename), and the kit's log carried it into the study's log.
    Every file of the study, each sealed one decrypted, is searched for the old name in every form."""
    old = "Zéphyrine"
    kit = ready_study.make_field_kit(tmp_path / "kit")
    sessions = add_person(kit, Person(old, ("Kayla Brandt",), "Kayla Brandt was there."), sessions=2)
    assert _cli("participant", "rename", str(kit.root), unicodedata.normalize("NFD", old), "Wren").returncode == 0
    for _ in range(2):  # merged, then merged again
        merge_kit(ready_study, kit.root, identities)
    assert ready_study.participant_names() == ["Wren"]
    folder = layout.participant(ready_study.root, "Wren")
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == sorted(sessions)
    assert _named_inside(ready_study, folder, identities) == {"Wren"}
    everything = _everything_readable(ready_study, identities)
    assert any(path.endswith("events.json.age") for path, _ in everything)
    for path, text in everything:
        assert not any(form in text for form in _every_form(old)), path
