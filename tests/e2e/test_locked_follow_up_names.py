"""QA U13 and U11 with the real CLI and real age files. U13: names she gives at a follow-up in a study opened locked
were refused ("unlock first") and lost; now they are sealed beside her list as a field kit seals them, used by every
reader with a key until the next use of the study key adds them to it, and named by `check` until then. U11 (the
study's side): a list grows past MAX_LIST by appends, each append held to the limit of a list given at once."""

from __future__ import annotations

from pathlib import Path

from fieldvault import layout
from fieldvault.participants import MAX_LIST, KnownIdentifier, known_identifiers
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e import test_list_append
from tests.e2e.test_list_append import LIST, exported, names_on, write
from tests.e2e.test_vouched_files import fv, one_line_refusal

rose = test_list_append.rose  # the fixture: Rose's list of three names, a reviewed session that says them

ADDED = "participants/Rose/identifiers-added-1.json.age"


def appended_locked(study: Study, tmp_path: Path, text: str, name: str = "new.txt") -> str:
    """`add-list --append` with no passphrase given (none in the environment, no terminal to ask in): its stdout."""
    new = write(tmp_path, name, text)
    done = fv("participant", "add-list", study.root, "Rose", "--append", "--identifiers", new, passphrase=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_names_added_locked_are_sealed_beside_her_list_and_redacted_after_the_unlock(
    rose: Study, tmp_path: Path
) -> None:
    keys = rose.unlock(PASSPHRASE.encode())  # a reader that held a key before: it folds nothing by itself
    sealed, log = (rose.root / LIST).read_bytes(), (rose.root / layout.AUDIT_FILE).read_bytes()
    said = appended_locked(rose, tmp_path, "Tobiah Quorn\nPLACE: Lemon Cove\nTobiah  QUORN\n")
    assert said.startswith("sealed 2 new name(s) for Rose's list of names she may mention; 1 she had already, left")
    assert (rose.root / LIST).read_bytes() == sealed and (rose.root / ADDED).is_file()  # her list: untouched
    assert b"Quorn" not in (rose.root / ADDED).read_bytes() + (rose.root / layout.AUDIT_FILE).read_bytes()
    assert (rose.root / layout.AUDIT_FILE).read_bytes().startswith(log)
    # before any fold: a reader with a key uses them (a study opened afresh, never given the study key)
    waiting = [i.text for i in known_identifiers(Study.open(rose.root), "Rose", keys)]
    assert waiting[-2:] == ["Tobiah Quorn", "Lemon Cove"] and (rose.root / ADDED).is_file()
    # the export is the next command with the passphrase: it adds them to her list, then redacts them
    text = exported(rose, tmp_path / "out")
    assert "Quorn" not in text and "Lemon Cove" not in text and "took me" in text
    assert not (rose.root / ADDED).exists() and (rose.root / LIST).read_bytes() != sealed
    assert names_on(rose, "Rose") == ["Derek Fowler", "916-555-0142", "José Ybarra", "Tobiah Quorn", "Lemon Cove"]
    checked = fv("check", rose.root)
    assert checked.returncode == 0 and "identifiers-added" not in checked.stdout, checked.stdout
    # run twice, locked: the names she has are left out, and nothing more is sealed
    assert appended_locked(rose, tmp_path, "Tobiah Quorn\n").startswith("sealed 1 new name(s)")
    assert names_on(rose, "Rose")[-2:] == ["Tobiah Quorn", "Lemon Cove"]  # that unlock folded it: no name twice
    assert not (rose.root / ADDED).exists()


def test_check_names_names_added_locked_that_are_not_on_her_list_yet(rose: Study, tmp_path: Path) -> None:
    """`check` with the study key adds them first; where her list is missing (deleted) they wait, and it says so."""
    appended_locked(rose, tmp_path, "Tobiah Quorn\n")
    appended_locked(rose, tmp_path, "Marisol Vance\n", "two.txt")
    assert (rose.root / ADDED.replace("1", "2")).is_file()
    kept = (rose.root / LIST).read_bytes()
    (rose.root / LIST).unlink()  # the attacker, no passphrase: names added alone must never stand for her list
    checked = fv("check", rose.root)
    assert checked.returncode != 0 and f"FAILED {LIST}: is missing" in checked.stdout, checked.stdout
    assert f"note: {ADDED}: names added to her list with the study locked are not on it yet" in checked.stdout
    assert not (rose.root / LIST).exists()  # never sealed from the added names alone (QA T19)
    (rose.root / LIST).write_bytes(kept)  # restored from a backup: the next command adds both
    assert fv("check", rose.root).returncode == 0
    assert names_on(rose, "Rose")[-2:] == ["Tobiah Quorn", "Marisol Vance"]
    assert not list((rose.root / "participants/Rose").glob("identifiers-added-*"))


def test_names_added_locked_that_hold_her_pseudonym_are_refused(rose: Study, tmp_path: Path) -> None:
    new = write(tmp_path, "new.txt", "Lemon Cove\nRose Quorn\n")
    locked = fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", new, passphrase=False)
    one_line_refusal(locked, "Rose Quorn")
    assert not (rose.root / ADDED).exists()


def test_her_list_grows_past_the_limit_by_appends_and_one_file_is_held_to_it(rose: Study, tmp_path: Path) -> None:
    """QA U11, the study's side: her list held 3 names; 500 more she gave took it past MAX_LIST, and the append refused
    them all. Each append is held to the limit of a list given at once (a wrong file), her list is not."""
    many = "".join(f"Name{n} Surname{n}\n" for n in range(MAX_LIST + 1))
    too_many = write(tmp_path, "many.txt", many)
    refused = fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", too_many)
    one_line_refusal(refused, f"the list holds {MAX_LIST + 1} names; a list holds at most {MAX_LIST}", "one per line")
    enough = write(tmp_path, "enough.txt", many.split("\n", 1)[1])  # MAX_LIST names
    done = fv("participant", "add-list", rose.root, "Rose", "--append", "--identifiers", enough)
    assert done.returncode == 0, done.stderr
    assert f"note: Rose's list of names she may mention holds {MAX_LIST + 3} names now" in done.stdout
    assert len(names_on(rose, "Rose")) == MAX_LIST + 3
    assert KnownIdentifier("Name500 Surname500").text in names_on(rose, "Rose")
