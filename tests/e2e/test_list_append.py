"""QA T5 and T19: her list of names she may mention grows at a follow-up and is never sealed anew. `participant add-list
--append` adds the names she gives then (in the study with the passphrase; on a field kit sealed beside her list, and
merge-kit adds them to it), keeping every name; a list the log vouched for, deleted, is never sealed again, and
merge-kit refuses one a kit sealed again. Real CLI, real age files; the attacker has the kit and no passphrase."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.participants import LIST_SEALED, IdentifierList, KnownIdentifier, known_identifiers
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, kit_recording
from tests.e2e.test_vouched_files import SESSION, empty_list, forge, fv, one_line_refusal, reviewed_rose

LIST = "participants/Rose/identifiers.json.age"
SAID = ["A man called Derek Fowler took me.", "Now I live with Tobiah Quorn in Lemon Cove."]


def names_on(study: Study, pseudonym: str) -> list[str]:
    return [i.text for i in known_identifiers(study, pseudonym, study.unlock(PASSPHRASE.encode()))]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture
def rose(study: Study, tmp_path: Path) -> Study:
    """Rose added by the real CLI with her first list; her follow-up transcribed and reviewed by a careless reviewer
    (every span rejected): only her list takes a name out of the export."""
    return reviewed_rose(study, tmp_path, "Derek Fowler\nCONTACT: 916-555-0142\nJosé Ybarra\n", SAID)


def exported(study: Study, out: Path) -> str:
    done = fv("export", study.root, "--format", "txt", "--participant", "Rose", "--out", out)
    assert done.returncode == 0, done.stderr
    return "".join(p.read_text() for p in sorted(out.rglob("*")) if p.is_file())


def test_names_she_gives_at_a_follow_up_are_added_and_leave_no_export(rose: Study, tmp_path: Path) -> None:
    assert "Quorn" in exported(rose, tmp_path / "before")  # before: her new partner and town leave the export
    new = write(tmp_path, "new.txt", "Tobiah Quorn\nPLACE: Lemon Cove\nderek  FOWLER\n")
    done = fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", new)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "added 2 name(s) to Rose's list of names she may mention; 1 she had already, left out\n"
    assert names_on(rose, "Rose") == ["Derek Fowler", "916-555-0142", "José Ybarra", "Tobiah Quorn", "Lemon Cove"]
    assert fv("check", rose.root).returncode == 0  # the study key vouches for the list as it is now
    text = exported(rose, tmp_path / "after")
    assert "Quorn" not in text and "Lemon Cove" not in text and "Fowler" not in text and "took me" in text


def test_an_append_run_twice_adds_nothing_the_second_time(rose: Study, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "José Ybarra")  # on her list in NFC already
    new = write(tmp_path, "new.txt", f"Tobiah Quorn\n{nfd}\n")
    assert fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", new).returncode == 0
    sealed, log = (rose.root / LIST).read_bytes(), (rose.root / layout.AUDIT_FILE).read_bytes()
    again = fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", new)
    assert again.returncode == 0, again.stderr
    assert "added 0 name(s)" in again.stdout and "2 she had already" in again.stdout
    assert (rose.root / LIST).read_bytes() == sealed and (rose.root / layout.AUDIT_FILE).read_bytes() == log
    assert names_on(rose, "Rose") == ["Derek Fowler", "916-555-0142", "José Ybarra", "Tobiah Quorn"]


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("Tobiah Quorn (new partner)", "identifier line 2 holds a note"),
        ("Tobiah Quorn aka Toby", "identifier line 2 holds two names"),
        ("Tobiah Quorn and Marisol Vance", "identifier line 2 holds two names"),
        ("STATE: ", "identifier line 2"),
        ("PLACE:", "identifier line 2"),
        ("Lemon Cove ‐ hometown", "identifier line 2 holds a note"),
        ("a" * 201, "identifier line 2 is 201 characters long"),
    ],
)
def test_an_appended_line_is_held_to_a_first_lists_rules(rose: Study, tmp_path: Path, line: str, said: str) -> None:
    sealed = (rose.root / LIST).read_bytes()
    new = write(tmp_path, "new.txt", f"Lemon Cove\n{line}\n")
    one_line_refusal(fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", new), said)
    assert (rose.root / LIST).read_bytes() == sealed  # nothing added, not even the good line


def test_an_append_refuses_her_pseudonym_and_a_bad_name(rose: Study, tmp_path: Path) -> None:
    """QA V6: a name she gives now that holds her pseudonym said "ask her to choose another pseudonym": she chose it
    long ago, the log and earlier exports bear it, and the names step has no way to choose one. It says what is
    wrong, that nothing was added, and the way on: the other names without that line, the PI renames her."""
    sealed = (rose.root / LIST).read_bytes()
    own = write(tmp_path, "own.txt", "Tobiah Quorn\nRose Quorn\n")
    said = (
        "her pseudonym 'Rose' matches a name she gave now ('Rose Quorn'): it may be her real name",
        "nothing was added: add the other names without that line",
        f"`fieldvault participant rename {rose.root} Rose NEW`; exports made before still say Rose",
    )
    done = fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", own)
    one_line_refusal(done, *said)
    assert "choose another pseudonym" not in done.stderr
    locked = fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", own, passphrase=False)
    one_line_refusal(locked, *said)  # sealed beside her list with no key (QA U13): the same check, the same words
    new = write(tmp_path, "new.txt", "Tobiah Quorn\n")
    one_line_refusal(fv("participant", "add-list", rose.root, "..", "--append", "--identifiers", new), "pseudonym")
    assert (rose.root / LIST).read_bytes() == sealed and not list((rose.root / "participants/Rose").glob("*added*"))


def test_an_append_never_launders_a_list_replaced_without_the_key(rose: Study, tmp_path: Path) -> None:
    forge(rose, LIST, empty_list(rose, "Rose"))
    new = write(tmp_path, "new.txt", "Tobiah Quorn\n")
    one_line_refusal(fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", new), "replaced")


def test_a_list_deleted_in_the_study_is_never_sealed_again(rose: Study, tmp_path: Path) -> None:
    (rose.root / LIST).unlink()
    empty = write(tmp_path, "e.txt", "")
    for extra in ((), ("--append",)):
        done = fv("participant", "add-list", rose.root, "Rose", *extra, "--identifiers", empty if not extra else
                  write(tmp_path, "n.txt", "Tobiah Quorn\n"))  # fmt: skip
        one_line_refusal(done, "Rose's list of names she may mention was sealed on", "deleted", "backup")
        assert not (rose.root / LIST).exists()
    checked = fv("check", rose.root)
    assert checked.returncode == 1 and "from a backup (it was deleted)" in checked.stdout, checked.stdout


# --- on a field kit --------------------------------------------------------------------------------------------


@pytest.fixture
def kit(rose: Study, tmp_path: Path) -> Path:
    """A kit made from Rose's study (her list stays in the study), Yara added on it with her list (QA T19's k3/kit)."""
    kit = tmp_path / "kit"
    assert fv("field-kit", rose.root, kit).returncode == 0
    answers = tmp_path / "answers.toml"
    yara = write(tmp_path, "y.txt", "Zed Quorra\nCONTACT: 559-555-0111\n")
    added = fv("participant", "add", kit, "Yara", "--answers", answers, "--identifiers", yara, passphrase=False)
    assert added.returncode == 0, added.stderr
    return kit


def test_the_attackers_empty_list_on_the_kit_is_refused_there(rose: Study, kit: Path, tmp_path: Path) -> None:
    """T19's repro exactly: Yara added on the kit with her list, an interview of hers there; her list deleted on the
    kit (`rm`, no key) and `add-list` with an empty file."""
    kit_recording(Study.open(kit), f"participants/Yara/{SESSION}/audio.wav.age")
    (kit / "participants/Yara/identifiers.json.age").unlink()
    empty = write(tmp_path, "e.txt", "")
    done = fv("participant", "add-list", kit, "Yara", "--identifiers", empty, passphrase=False)
    one_line_refusal(done, "Yara's list of names she may mention was sealed on", "a copy of this kit", "ask the PI")
    appended = fv("participant", "add-list", kit, "Yara", "--append", "--identifiers", empty, passphrase=False)
    one_line_refusal(appended, "give the names to add")
    nothing = write(tmp_path, "n.txt", "Someone\n")  # nor --append, which would seal new names for a deleted list
    appended = fv("participant", "add-list", kit, "Yara", "--append", "--identifiers", nothing, passphrase=False)
    one_line_refusal(appended, "Yara's list of names she may mention was sealed on")
    left = sorted(p.name for p in (kit / "participants/Yara").iterdir())
    assert left == [SESSION, "participant.id", "profile.json.age"]  # nothing sealed
    merged = fv("merge-kit", kit, rose.root)
    assert merged.returncode == 1 and "ask the interviewer" in merged.stderr, merged.stderr
    assert "add-list" not in merged.stderr.split("\n")[0] and "Yara" not in rose.participant_names()


def test_a_list_sealed_again_on_the_kit_by_an_older_fieldvault_is_refused_by_merge_kit(rose: Study, kit: Path) -> None:
    """The attacker's kit entry is genuine (the kit's own forward key, as an older fieldvault's `add-list` wrote it):
    merge-kit still refuses her, naming her and the two days."""
    (kit / "participants/Yara/identifiers.json.age").unlink()
    on_kit = Study.open(kit)
    payload = empty_list(on_kit, "Yara")
    on_kit.write_new("participants/Yara/identifiers.json.age", payload)
    from fieldvault import vouching

    vouches = {"participants/Yara/identifiers.json.age": vouching.digest(payload)}
    on_kit.audit.append_vouching(LIST_SEALED, vouches, pseudonym="Yara", count=0)
    merged = fv("merge-kit", kit, rose.root)
    assert merged.returncode == 1 and "Traceback" not in merged.stderr, merged.stderr
    assert "Yara's list of names she may mention was sealed on the kit on" in merged.stderr
    assert "sealed again on" in merged.stderr and "with 0 name(s)" in merged.stderr
    assert "Yara" not in rose.participant_names()


def test_names_added_on_the_kit_join_her_lists_at_merge_once(rose: Study, kit: Path, tmp_path: Path) -> None:
    """Rose (her list in the study) and Yara (hers on the kit) at follow-ups on the kit: an append each, Rose's
    twice; merge-kit adds them, leaving out names they had; merged again, nothing changes."""
    one = write(tmp_path, "one.txt", "Tobiah Quorn\nDerek Fowler\n")
    two = write(tmp_path, "two.txt", f"{unicodedata.normalize('NFD', 'Lemon Cove')}\nTobiah Quorn\n")
    done = fv("participant", "add-list", kit, "Rose", "--append", "--identifiers", one, passphrase=False)
    assert done.returncode == 0, done.stderr
    assert "sealed 2 new name(s) for Rose's list" in done.stdout and "merge-kit adds them" in done.stdout
    yara = write(tmp_path, "yara-new.txt", "PLACE: Visalia\n")
    for who, new in (("Rose", two), ("Yara", yara)):
        added = fv("participant", "add-list", kit, who, "--append", "--identifiers", new, passphrase=False)
        assert added.returncode == 0, added.stderr
    assert sorted(p.name for p in (kit / "participants/Rose").iterdir()) == [
        "identifiers-added-1.json.age", "identifiers-added-2.json.age", "participant.id"
    ]  # fmt: skip
    merged = fv("merge-kit", kit, rose.root)
    assert merged.returncode == 0, merged.stderr
    assert names_on(rose, "Rose") == [
        "Derek Fowler", "916-555-0142", "José Ybarra", "Tobiah Quorn", "Lemon Cove"
    ]  # fmt: skip
    assert names_on(rose, "Yara") == ["Zed Quorra", "559-555-0111", "Visalia"]
    assert fv("check", rose.root).returncode == 0
    held = {p: (rose.root / p).read_bytes() for p in (LIST, "participants/Yara/identifiers.json.age")}
    again = fv("merge-kit", kit, rose.root)
    assert again.returncode == 0, again.stderr
    assert {p: (rose.root / p).read_bytes() for p in held} == held
    assert not list(rose.root.glob("participants/*/identifiers-added-*"))  # folded in, never copied
    assert "Quorn" not in (rose.root / layout.AUDIT_FILE).read_text()


def test_add_list_on_the_kit_for_a_woman_of_the_study_points_to_append(rose: Study, kit: Path, tmp_path: Path) -> None:
    empty = write(tmp_path, "e.txt", "")
    done = fv("participant", "add-list", kit, "Rose", "--identifiers", empty, passphrase=False)
    one_line_refusal(done, "Rose was added in the study", "--append")
    assert not (kit / LIST).exists()


def test_names_sealed_on_the_kit_with_no_kit_entry_are_refused(rose: Study, kit: Path) -> None:
    ident = (kit / "participants/Rose" / layout.PARTICIPANT_ID).read_text().strip()
    payload = IdentifierList((KnownIdentifier("Not Hers"),), pseudonym="Rose", participant_id=ident).to_json()
    Study.open(kit).write_new("participants/Rose/identifiers-added-1.json.age", payload)  # no entry: `age` by hand
    merged = fv("merge-kit", kit, rose.root)
    assert merged.returncode == 1 and "vouched for by no entry the kit wrote" in merged.stderr, merged.stderr
    assert "do not delete it" in merged.stderr and "delete it on the kit" not in merged.stderr  # QA W20
    assert names_on(rose, "Rose") == ["Derek Fowler", "916-555-0142", "José Ybarra"]


def test_a_kit_list_for_a_woman_of_the_study_is_never_taken_for_hers(rose: Study, kit: Path) -> None:
    """An attacker seals a list for Rose on the kit (where the study's never is) with an entry of the kit: one not
    within the study's list is refused, naming her; sealed again (empty), refused too; her list never changes."""
    from fieldvault import vouching

    on_kit = Study.open(kit)
    ident = (kit / "participants/Rose" / layout.PARTICIPANT_ID).read_text().strip()
    for listed in ((KnownIdentifier("Someone Else"),), ()):
        payload = IdentifierList(listed, pseudonym="Rose", participant_id=ident).to_json()
        (kit / LIST).unlink(missing_ok=True)
        on_kit.write_new(LIST, payload)
        on_kit.audit.append_vouching(LIST_SEALED, {LIST: vouching.digest(payload)}, pseudonym="Rose", count=1)
        merged = fv("merge-kit", kit, rose.root)
        assert names_on(rose, "Rose") == ["Derek Fowler", "916-555-0142", "José Ybarra"]
        if listed:
            one = "Rose's list of names she may mention on the kit is not the one the study holds, nor within it"
            assert merged.returncode == 1 and one in merged.stderr, merged.stderr


def test_a_kit_merged_goes_back_to_the_field_and_her_new_names_merge_again(
    rose: Study, kit: Path, tmp_path: Path
) -> None:
    """Yara merged from the kit; the PI adds a name to her list in the study; the kit (not wiped) goes back to the
    field and her follow-up there adds another: the kit's list of hers, within the study's, merges as it is, and
    the new name joins her list, every name kept."""
    assert fv("merge-kit", kit, rose.root).returncode == 0
    here = write(tmp_path, "here.txt", "Marisol Vance\n")
    assert fv("participant", "add-list", rose.root, "Yara", "--append", "--identifiers", here).returncode == 0
    there = write(tmp_path, "there.txt", "PLACE: Visalia\nZed Quorra\n")
    added = fv("participant", "add-list", kit, "Yara", "--append", "--identifiers", there, passphrase=False)
    assert added.returncode == 0 and "sealed 2 new name(s)" in added.stdout, added.stderr
    merged = fv("merge-kit", kit, rose.root)
    assert merged.returncode == 0, merged.stderr
    assert names_on(rose, "Yara") == ["Zed Quorra", "559-555-0111", "Marisol Vance", "Visalia"]
    assert fv("check", rose.root).returncode == 0


def test_names_added_on_the_kit_and_deleted_there_are_refused_at_merge(rose: Study, kit: Path, tmp_path: Path) -> None:
    """QA U7: the names she gave at a follow-up on the kit, their file deleted before merge-kit (at the field laptop,
    or a tidy-up), were lost without a word ("0 file(s) merged", rc 0): her new partner was on no list. The kit's log
    vouches for the file, so its absence refuses the merge, naming the file and the way back; an append of anything
    afterwards takes a new number and stands for nothing; put back, it merges; lost, the PI merges with --names-lost
    and is told to add them in the study."""
    one = write(tmp_path, "one.txt", "Tobiah Quorn\nLOCATION: Ukiah\n")
    done = fv("participant", "add-list", kit, "Rose", "--append", "--identifiers", one, passphrase=False)
    assert done.returncode == 0, done.stderr
    added = kit / "participants/Rose/identifiers-added-1.json.age"
    kept = added.read_bytes()
    added.unlink()
    junk = write(tmp_path, "junk.txt", "Zzyzx Qwerty\n")  # QA: delete, then append anything
    done = fv("participant", "add-list", kit, "Rose", "--append", "--identifiers", junk, passphrase=False)
    assert done.returncode == 0 and not added.exists(), done.stderr  # never under the deleted file's number
    for _ in range(2):
        merged = fv("merge-kit", kit, rose.root)
        assert merged.returncode == 1, merged.stderr
        assert "identifiers-added-1.json.age" in merged.stderr and "are missing" in merged.stderr, merged.stderr
        assert "--names-lost" in merged.stderr, merged.stderr
        assert names_on(rose, "Rose") == ["Derek Fowler", "916-555-0142", "José Ybarra"]
    spare = tmp_path / "kit-copy"
    shutil.copytree(kit, spare)
    added.write_bytes(kept)  # put back from a copy of the kit
    merged = fv("merge-kit", kit, rose.root)
    assert merged.returncode == 0, merged.stderr
    assert names_on(rose, "Rose")[-3:] == ["Tobiah Quorn", "Ukiah", "Zzyzx Qwerty"]
    lost = fv("merge-kit", spare, rose.root, "--names-lost")  # no copy: the PI says they are lost
    assert lost.returncode == 0, lost.stderr
    assert "identifiers-added-1.json.age are lost (--names-lost)" in lost.stdout and "--append" in lost.stdout


def test_names_added_on_the_kit_sealed_again_under_their_number_are_refused(rose: Study, kit: Path) -> None:
    """QA U7's bypass done with the kit's own key (a script, an older fieldvault): the file of names added to Rose's
    list deleted and another sealed under its number, with an entry of the kit: merge-kit refuses it, naming both
    days."""
    one = kit.parent / "one.txt"  # her names file of her own, outside the kit (QA X15)
    one.write_text("Tobiah Quorn\n")
    assert (
        fv("participant", "add-list", kit, "Rose", "--append", "--identifiers", one, passphrase=False).returncode == 0
    )
    one.unlink()
    relative = "participants/Rose/identifiers-added-1.json.age"
    (kit / relative).unlink()
    on_kit = Study.open(kit)
    ident = (kit / "participants/Rose" / layout.PARTICIPANT_ID).read_text().strip()
    payload = IdentifierList((KnownIdentifier("Zzyzx Qwerty"),), pseudonym="Rose", participant_id=ident).to_json()
    on_kit.write_new(relative, payload)
    from fieldvault import vouching

    on_kit.audit.append_vouching("participant.list-appended", {relative: vouching.digest(payload)}, pseudonym="Rose")
    merged = fv("merge-kit", kit, rose.root)
    assert merged.returncode == 1 and "Traceback" not in merged.stderr, merged.stderr
    assert (
        "identifiers-added-1.json.age: was sealed on the kit on" in merged.stderr and "sealed again on" in merged.stderr
    )
    assert names_on(rose, "Rose") == ["Derek Fowler", "916-555-0142", "José Ybarra"]


def a_list_gains(study: Study, name: str) -> None:
    """The study's list gains ``name`` (as a withdrawal moves a name others mention to it), sealed and vouched for as
    fieldvault seals it: a pseudonym checked against every list when she chose it may be on one later."""
    from fieldvault import vouching

    study.use_identities(study.unlock(PASSPHRASE.encode()))
    listed = IdentifierList((KnownIdentifier(name),)).to_json()
    vouching.seal_vouched(study, "withdraw.names-kept", {layout.STUDY_IDENTIFIERS: listed}, pseudonym="Lena", count=1)


def test_an_append_for_a_woman_whose_pseudonym_a_list_gained_since_adds_her_names_and_says_so(
    rose: Study, tmp_path: Path
) -> None:
    """QA V12's rest at a follow-up: with her pseudonym on a list that gained it after she chose it, every name she gave
    later was refused with "'Rose' cannot be used as a pseudonym here; please choose another" (no sense at a follow-up,
    and the names stayed off her list, so out of every export's scrub). They are added; the interviewer is told what
    is wrong and the way on, no list nor participant named."""
    a_list_gains(rose, "Rose Quorn")
    done = fv(
        "participant", "add-list", rose.root, "Rose", "--append", "--identifiers", write(tmp_path, "n", "Lemon Cove\n")
    )
    assert done.returncode == 0, done.stderr
    assert "added 1 name(s) to Rose's list" in done.stdout, done.stdout
    lines = done.stderr.strip().splitlines()
    (warning,) = [line for line in lines if "pseudonym" in line] or [done.stderr]  # and the shred warning
    for said in (
        "fieldvault: warning: her pseudonym 'Rose' is now a name on a list of names people may mention in this study",
        "the names she gave were added",
        f"tell the PI, who renames her (`fieldvault participant rename {rose.root} Rose NEW`",
    ):
        assert said in warning, done.stderr
    assert "Quorn" not in warning and "Lena" not in warning and "cannot be used" not in warning
    assert "Lemon Cove" in names_on(rose, "Rose")
