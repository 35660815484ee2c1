"""QA qa18 V2, V5, V10, V13, V7: merge-kit and the names a woman gave at a follow-up on a field kit, a woman this
computer saw withdraw, a kit copied through a Mac, a huge file under a kit name. Real CLI, real age files, the kit's
real keyed log; the attacker (or the flash stick) has the kit and no passphrase."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, ROOT, kit_recording
from tests.e2e.test_list_append import names_on, write
from tests.e2e.test_vouched_files import fv, one_line_refusal, reviewed_rose

ADDED = "participants/Rose/identifiers-added-1.json.age"
HERS = ["Derek Fowler", "916-555-0142"]
FOLLOW_UP = "participants/Rose/20261127-184950/audio.wav.age"


@pytest.fixture
def rose(study: Study, tmp_path: Path) -> Study:
    return reviewed_rose(study, tmp_path, "Derek Fowler\nCONTACT: 916-555-0142\n", ["A man called Derek took me."])


@pytest.fixture
def kit(rose: Study, tmp_path: Path) -> Path:
    """A kit made from Rose's study; at her follow-up there the interviewer added two new names and one she had, then
    recorded (QA V2's kit.rec)."""
    kit = tmp_path / "kit"
    assert fv("field-kit", rose.root, kit).returncode == 0
    new = write(tmp_path, "new.txt", "Marcus Bell\nPLACE: Modesto\nDerek Fowler\n")
    done = fv("participant", "add-list", kit, "Rose", "--append", "--identifiers", new, passphrase=False)
    assert done.returncode == 0 and "sealed 3 new name(s)" in done.stdout, done.stderr
    kit_recording(Study.open(kit), FOLLOW_UP)
    return kit


def _edit_log_line(kit: Path, naming: str, edit: Callable[[str], str] | None) -> None:
    """Change (``edit``) or remove (None) the kit log's line that holds ``naming``, as a flipped byte or a cut does."""
    log = kit / layout.AUDIT_FILE
    lines = log.read_text().splitlines(keepends=True)
    (at,) = [n for n, line in enumerate(lines) if naming in line]
    lines[at : at + 1] = [] if edit is None else [edit(lines[at])]
    log.write_text("".join(lines))


def test_merge_kit_says_how_many_names_it_added_to_her_list(rose: Study, kit: Path) -> None:
    """QA V5: the merge said nothing of the names it added to her list; run twice it adds none."""
    merged = fv("merge-kit", kit, rose.root)
    assert merged.returncode == 0, merged.stderr
    said = "added 2 name(s) to Rose's list of names she may mention (1 she had already, left out), from the kit's "
    assert said + "identifiers-added-1\n" in merged.stdout, merged.stdout
    assert names_on(rose, "Rose") == [*HERS, "Marcus Bell", "Modesto"]
    again = fv("merge-kit", kit, rose.root)
    assert again.returncode == 0 and "added 0 name(s) to Rose's list" in again.stdout, again.stdout
    assert names_on(rose, "Rose") == [*HERS, "Marcus Bell", "Modesto"]


def test_a_merge_killed_after_adding_her_names_says_so_when_run_again(rose: Study, kit: Path) -> None:
    """Killed after her list was sealed again and before the merge was recorded: the merge run again finishes it and
    says the names the killed one added (by its entries), not that none were."""
    killed = subprocess.run(
        [sys.executable, "-m", "tests.kitkill", "recording", str(rose.root), str(kit)], cwd=ROOT, check=False
    )
    assert killed.returncode == -9
    assert names_on(rose, "Rose") == [*HERS, "Marcus Bell", "Modesto"]
    merged = fv("merge-kit", kit, rose.root)
    assert merged.returncode == 0, merged.stderr
    assert "added 2 name(s) to Rose's list of names she may mention (1 she had already" in merged.stdout
    assert fv("check", rose.root).returncode == 0


def test_names_whose_kit_log_line_was_altered_still_join_her_list(rose: Study, kit: Path) -> None:
    """QA V2 (K2): one byte of the log line that vouched for her new names changed on the stick. The merge refused the
    genuine file as 'vouched for by no entry: delete it on the kit'. The line's own vouch, keyed for its number, still
    checks the file: refused for the damaged log only, and with --accept-damaged-log her names join her list."""
    _edit_log_line(kit, "identifiers-added-1", lambda line: line.replace('"count": 3', '"count": 4'))
    refused = fv("merge-kit", kit, rose.root)
    one_line_refusal(refused, "was edited after it was written", "names a woman gave", "--accept-damaged-log")
    assert "delete" not in refused.stderr and names_on(rose, "Rose") == HERS
    merged = fv("merge-kit", kit, rose.root, "--accept-damaged-log")
    assert merged.returncode == 0, merged.stderr
    assert "added 2 name(s) to Rose's list of names she may mention (1 she had already" in merged.stdout
    assert names_on(rose, "Rose") == [*HERS, "Marcus Bell", "Modesto"]
    again = fv("merge-kit", kit, rose.root, "--accept-damaged-log")  # run twice: nothing more
    assert again.returncode == 0 and names_on(rose, "Rose") == [*HERS, "Marcus Bell", "Modesto"], again.stderr
    assert (rose.root / FOLLOW_UP).is_file()


def test_a_forged_vouch_in_a_damaged_line_lets_no_name_in(rose: Study, kit: Path) -> None:
    """The other side of reading a damaged line's vouch: one whose vouch does not check (altered with the rest of the
    line, or the file replaced with the public keys alone) vouches for nothing; the file is refused, kept, named."""
    _edit_log_line(kit, "identifiers-added-1", lambda line: line.replace('.json.age\\":\\"', '.json.age\\":\\"0', 1))
    merged = fv("merge-kit", kit, rose.root, "--accept-damaged-log")
    assert merged.returncode == 1, merged.stderr
    assert f"fieldvault: warning: left out {ADDED}" in merged.stderr
    assert names_on(rose, "Rose") == HERS


def test_names_whose_kit_log_line_is_gone_are_never_dropped_without_a_word(rose: Study, kit: Path) -> None:
    """QA V2: the log line vouching for her new names removed on the kit (the file kept). The merge advised deleting the
    only copy of her names. It refuses in one line naming the file, never saying delete; with --accept-damaged-log the
    file is left out, named, kept on the kit, and the merge says to add her names by hand and keep the kit."""
    _edit_log_line(kit, "identifiers-added-1", None)
    kept = (kit / ADDED).read_bytes()
    refused = fv("merge-kit", kit, rose.root)
    assert refused.returncode == 1, refused.stderr
    (line,) = [line for line in refused.stderr.splitlines() if line.startswith("refused ")]
    assert line.startswith(f"refused {ADDED}: may hold names Rose gave at a follow-up"), line
    assert "another copy of the kit" in line and "--accept-damaged-log" in line and "add-list" in line
    assert "delete it on the kit" not in refused.stderr and "do not delete it" in line
    for _ in range(2):  # run twice: the same, nothing lost
        merged = fv("merge-kit", kit, rose.root, "--accept-damaged-log")
        assert merged.returncode == 1, merged.stderr
        assert f"fieldvault: warning: left out {ADDED}: names Rose gave at a follow-up" in merged.stderr
        assert f"participant add-list {rose.root} Rose --append --identifiers FILE" in merged.stderr
        assert "keep it until the names in the 1 file(s) left out above are on her list" in merged.stdout
        assert "take it back to the field" not in merged.stdout
        assert (kit / ADDED).read_bytes() == kept
        assert names_on(rose, "Rose") == HERS
    assert (rose.root / FOLLOW_UP).is_file()  # the rest of the kit came in


def test_a_kit_log_missing_the_entry_and_its_file_says_names_may_be_lost(
    rose: Study, kit: Path, tmp_path: Path
) -> None:
    """QA V2 (K1): the file of her new names and the log line vouching for it both deleted on the kit; a later
    follow-up added another. --accept-damaged-log merged with exit 0 and not a word of names: it names the entry
    missing, whose the entry after it is, and the command to add what the interviewer recalls."""
    more = write(tmp_path, "more.txt", "Lena Park\n")
    done = fv("participant", "add-list", kit, "Rose", "--append", "--identifiers", more, passphrase=False)
    assert done.returncode == 0, done.stderr
    _edit_log_line(kit, "identifiers-added-1", None)
    (kit / ADDED).unlink()
    refused = fv("merge-kit", kit, rose.root)
    one_line_refusal(refused, "does not follow the line before it", "names a woman gave", "--accept-damaged-log")
    merged = fv("merge-kit", kit, rose.root, "--accept-damaged-log")
    assert merged.returncode == 0, merged.stderr
    said = "the kit's log is missing entry 1 (the entry after it is Rose's participant.list-appended): names a woman"
    assert said in merged.stderr and "--append --identifiers FILE" in merged.stderr, merged.stderr
    assert names_on(rose, "Rose") == [*HERS, "Lena Park"]
    assert "added 1 name(s) to Rose's list of names she may mention, from the kit's identifiers-added-2" in (
        merged.stdout
    )


def test_merge_kit_into_an_older_copy_refuses_a_woman_this_computer_saw_withdraw(
    rose: Study, kit: Path, tmp_path: Path
) -> None:
    """QA V10: Rose withdrew; the PI works in an older copy of the study (a restored backup) and merges a kit holding
    her follow-up. Every other command refused her there; merge-kit brought her session in. It refuses in one line,
    withdraw her again first; once she is withdrawn in that copy too, her kit folder is left out."""
    older = tmp_path / "older"
    shutil.copytree(rose.root, older)
    assert fv("withdraw", rose.root, "Rose", "--confirm", "Rose").returncode == 0
    refused = fv("merge-kit", kit, older)
    one_line_refusal(refused, "participants/Rose is a participant who withdrew on", "withdraw her again")
    assert not (older / FOLLOW_UP).exists()
    assert fv("withdraw", older, "Rose", "--confirm", "Rose").returncode == 0
    for _ in range(2):
        merged = fv("merge-kit", kit, older)
        assert merged.returncode == 0, merged.stderr
        assert "left out participants/Rose: she withdrew from the study; wipe this kit" in merged.stdout
        assert "never take it back to the field: it holds a recording of a woman who withdrew" in merged.stdout
        assert "or take it back to the field" not in merged.stdout  # QA W20's rest
        assert not (older / "participants/Rose").exists()


def test_a_woman_met_on_a_kit_who_withdrew_never_comes_back_through_an_older_copy(rose: Study, tmp_path: Path) -> None:
    """QA V10, a copy merged later: Yara, met on the kit, merged into the study and withdrawn there; the PI then merges
    the same kit into a copy of the study from before that merge (which holds nothing of hers). She is left out, named,
    as in the study that saw her withdraw."""
    kit = tmp_path / "kit"
    assert fv("field-kit", rose.root, kit).returncode == 0
    answers, yara = tmp_path / "answers.toml", write(tmp_path, "y.txt", "Zed Quorra\n")
    assert (
        fv("participant", "add", kit, "Yara", "--answers", answers, "--identifiers", yara, passphrase=False).returncode
        == 0
    )
    older = tmp_path / "older"
    shutil.copytree(rose.root, older)
    assert fv("merge-kit", kit, rose.root).returncode == 0
    assert fv("withdraw", rose.root, "Yara", "--confirm", "Yara").returncode == 0
    merged = fv("merge-kit", kit, older)
    assert merged.returncode == 0, merged.stderr
    assert "left out participants/Yara: she withdrew from the study; wipe this kit" in merged.stdout
    assert not (older / "participants/Yara").exists()


def test_a_kit_folder_named_in_decomposed_form_merges_under_her_name(rose: Study, tmp_path: Path) -> None:
    """QA V13: a kit copied through a Mac's disk came back with José's folder name decomposed (NFD); the merge refused
    the whole kit, "is not a valid pseudonym", no way out named. It is her name: merged under it (composed), twice."""
    kit = tmp_path / "kit"
    assert fv("field-kit", rose.root, kit).returncode == 0
    answers, names = tmp_path / "answers.toml", write(tmp_path, "j.txt", "Zed Quorra\n")
    added = fv("participant", "add", kit, "José", "--answers", answers, "--identifiers", names, passphrase=False)
    assert added.returncode == 0, added.stderr
    kit_recording(Study.open(kit), "participants/José/20261127-190000/audio.wav.age")
    more = write(tmp_path, "more.txt", "Lena Park\n")
    assert (
        fv("participant", "add-list", kit, "José", "--append", "--identifiers", more, passphrase=False).returncode == 0
    )
    (kit / "participants/José").rename(kit / "participants" / unicodedata.normalize("NFD", "José"))
    for _ in range(2):
        merged = fv("merge-kit", kit, rose.root)
        assert merged.returncode == 0, merged.stderr
        assert [p.name for p in (rose.root / "participants").iterdir() if p.name != "Rose"] == ["José"]
        assert names_on(rose, "José") == ["Zed Quorra", "Lena Park"]
        assert (rose.root / "participants/José/20261127-190000/audio.wav.age").is_file()
    assert fv("check", rose.root).returncode == 0


def _cpu_limit() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))  # a guard, not a timing: reading 1 TB costs many minutes


@pytest.mark.parametrize(
    ("relative", "header", "said"),
    [
        (
            "participants/Rose/identifiers-added-2.json.age",
            b"age-encryption.org/v1\n",  # an age file's first line: the size tells
            "is 1,099,511,627,776 bytes, and no identifiers-added-2.json.age a kit writes is over 8,388,608",
        ),
        (FOLLOW_UP, b"", "this is not an age file (no age header)"),  # a recording may be long: its header tells
    ],
    ids=["names-by-size", "recording-by-header"],
)
def test_a_huge_file_under_a_kit_name_is_refused_before_it_is_read(
    rose: Study, kit: Path, relative: str, header: bytes, said: str
) -> None:
    """QA V7: a 20 GB file under a kit name (a terabyte here) was read whole, minutes, silent, before its refusal.
    Refused in one line by its size, or by its first line where it is no age file, without reading it through."""
    huge = kit / relative
    huge.write_bytes(header)
    with huge.open("r+b") as out:
        out.truncate(1 << 40)  # a terabyte, sparse: no disk used
    merged = subprocess.run(
        ["fieldvault", "merge-kit", str(kit), str(rose.root)],
        capture_output=True, text=True, check=False, preexec_fn=_cpu_limit,
        env={**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE},
    )  # fmt: skip
    assert merged.returncode == 1, merged.stderr
    (line,) = [line for line in merged.stderr.splitlines() if line.startswith("refused ")]
    assert line.startswith(f"refused {relative}: ") and said in line, line
    assert names_on(rose, "Rose") == HERS
