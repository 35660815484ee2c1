"""QA Q4: field notes (fieldnotes-N.md.age) and the session record (session.json.age) named no one inside, so one
moved or copied into another woman's session folder (on a kit or in the study) was merged by merge-kit, passed
`check`, and went into HER member-check export. Both now name their participant and session, as transcripts and
timelines do: readers, merge-kit and `check` refuse one found elsewhere, naming it; rename and move re-seal them; a
kit's renames keep them hers; older unbound ones are read where they lie, counted by `check`, and bound there by
`fieldvault session bind`. The real binary and real age files throughout."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.memos import add_field_note, field_notes
from fieldvault.sessionbinding import BOUND
from fieldvault.sessioninfo import FOLLOW_UP, SessionInfo, write_session_info
from fieldvault.study import Study
from tests.auditfields import logged
from tests.conftest import PASSPHRASE, need
from tests.e2e.test_cli import assert_one_line_error, fv
from tests.stewardship import JUNE, ROSA, Person, add_person, transcribe_and_review

NELL = Person("Nell", ("Derek Fowler", "Fresno"), "Derek Fowler drove me.")
OPAL = Person("Opal", ("Keisha Brown", "Tucson"), "Keisha Brown took me in.")
SAID = "Nell cried when talking about her son; she lives near the bus depot with her aunt."


def _session(study: Study, who: str) -> Path:
    (folder,) = [p for p in (study.root / layout.PARTICIPANTS / who).iterdir() if p.is_dir()]
    return folder


def _kit_with_notes(study: Study, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A kit (made by the CLI) with Nell and Opal, one session each, and a field note on Nell's."""
    done = fv("field-kit", str(study.root), str(tmp_path / "kit"))
    assert done.returncode == 0, done.stderr
    kit = Study.open(tmp_path / "kit")
    add_person(kit, NELL)
    add_person(kit, OPAL)
    nell, opal = _session(kit, "Nell"), _session(kit, "Opal")
    add_field_note(kit, nell, SAID)
    return kit.root, nell, opal


def _export(study: Study, who: str, out: Path) -> subprocess.CompletedProcess[str]:
    return fv(
        "export", str(study.root), "--format", "qdpx", "--participant", who, "--include-memos",
        "--include-unreviewed", "--out", str(out),
    )  # fmt: skip


def _written(out: Path) -> str:
    """Every text in a qdpx export (a zip), or nothing when none was written."""
    if not out.exists():
        return ""
    with zipfile.ZipFile(out) as project:
        return "".join(project.read(name).decode("utf-8", "replace") for name in project.namelist())


def _age_decrypt(study: Study, path: Path, tmp_path: Path) -> str:
    """What the real `age` CLI reads in a sealed file (the format outlives fieldvault)."""
    key = tmp_path / "key.txt"
    if not key.exists():
        assert fv("keys", "export-identity", str(study.root), "--out", str(key)).returncode == 0
    return subprocess.run(
        [need("age"), "-d", "-i", str(key), str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_notes_moved_on_a_kit_into_another_womans_session_are_refused_by_merge_kit(
    ready_study: Study, tmp_path: Path
) -> None:
    kit, nell, opal = _kit_with_notes(ready_study, tmp_path)
    shutil.move(nell / "fieldnotes-1.md.age", opal / "fieldnotes-1.md.age")  # the QA repro

    refused = fv("merge-kit", str(kit), str(ready_study.root))

    assert refused.returncode == 1, refused.stdout
    shown = (
        f"refused participants/Opal/{opal.name}/fieldnotes-1.md.age: is the field notes of Nell's session {nell.name}"
    )
    assert shown in refused.stderr and "put it back where the kit wrote it" in refused.stderr, refused.stderr
    assert not (ready_study.root / layout.PARTICIPANTS / "Opal").exists()  # nothing merged

    shutil.move(opal / "fieldnotes-1.md.age", nell / "fieldnotes-1.md.age")  # put back
    merged = fv("merge-kit", str(kit), str(ready_study.root))
    assert merged.returncode == 0, merged.stderr
    identities = ready_study.unlock(PASSPHRASE.encode())
    held = layout.session(ready_study.root, "Nell", nell.name)
    assert [n.text for n in field_notes(ready_study, held, identities)] == [SAID]
    text = _age_decrypt(ready_study, held / "fieldnotes-1.md.age", tmp_path)
    assert text.startswith("<!-- fieldvault field notes; written ") and f"; for Nell/{nell.name} -->\n" in text


def test_a_session_record_copied_on_a_kit_over_another_is_refused_by_merge_kit(
    ready_study: Study, tmp_path: Path
) -> None:
    kit, nell, opal = _kit_with_notes(ready_study, tmp_path)
    kit_study = Study.open(kit)
    (nell / layout.SESSION_INFO).unlink()
    write_session_info(kit_study, nell, SessionInfo(FOLLOW_UP))
    shutil.copyfile(nell / layout.SESSION_INFO, opal / layout.SESSION_INFO)

    refused = fv("merge-kit", str(kit), str(ready_study.root))

    assert refused.returncode == 1
    assert (
        f"refused participants/Opal/{opal.name}/session.json.age: is the session record of Nell's session {nell.name}"
    ) in refused.stderr, refused.stderr


@pytest.fixture
def two(ready_study: Study) -> tuple[Study, Path, Path]:
    """The study: Rosa and June, one session each, a field note on Rosa's."""
    add_person(ready_study, ROSA)
    add_person(ready_study, JUNE)
    rosa, june = _session(ready_study, "Rosa"), _session(ready_study, "June")
    identities = ready_study.unlock(PASSPHRASE.encode())
    transcribe_and_review(ready_study, identities, ROSA, rosa.name)
    transcribe_and_review(ready_study, identities, JUNE, june.name)
    add_field_note(ready_study, rosa, "Note one: her brother waited outside.")
    return ready_study, rosa, june


def test_notes_copied_in_the_study_are_named_by_check_and_refused_by_export_and_readers(
    two: tuple[Study, Path, Path], tmp_path: Path
) -> None:
    study, rosa, june = two
    shutil.copyfile(rosa / "fieldnotes-1.md.age", june / "fieldnotes-1.md.age")

    checked = fv("check", str(study.root))
    assert checked.returncode == 1
    assert f"participants/June/{june.name}/fieldnotes-1.md.age" in checked.stdout + checked.stderr
    assert f"is the field notes of Rosa's session {rosa.name}, not June's session {june.name}" in (
        checked.stdout + checked.stderr
    )
    exported = _export(study, "June", tmp_path / "out.qdpx")
    assert_one_line_error(exported, f"participants/June/{june.name}/fieldnotes-1.md.age", "put it back")
    assert "her brother waited outside" not in _written(tmp_path / "out.qdpx")
    assert _export(study, "Rosa", tmp_path / "rosa.qdpx").returncode == 0  # hers is read where it belongs
    assert "her brother waited outside" in _written(tmp_path / "rosa.qdpx")


def test_a_session_record_copied_over_another_in_the_study_is_named_by_check(
    two: tuple[Study, Path, Path], tmp_path: Path
) -> None:
    study, rosa, june = two
    (june / layout.SESSION_INFO).unlink()
    shutil.copyfile(rosa / layout.SESSION_INFO, june / layout.SESSION_INFO)
    checked = fv("check", str(study.root))
    assert checked.returncode == 1
    assert f"is the session record of Rosa's session {rosa.name}, not June's session {june.name}" in (
        checked.stdout + checked.stderr
    )
    assert_one_line_error(_export(study, "June", tmp_path / "out.qdpx"), "session.json.age")


def test_rename_and_move_reseal_notes_and_records_and_check_stays_clean(
    two: tuple[Study, Path, Path], tmp_path: Path
) -> None:
    study, rosa, _ = two
    add_person(study, NELL, sessions=0)
    renamed = fv("participant", "rename", str(study.root), "Rosa", "Roza")
    assert renamed.returncode == 0, renamed.stderr
    moved = fv("session", "move", str(study.root), "Roza", rosa.name, "--to", "Nell")
    assert moved.returncode == 0, moved.stderr
    checked = fv("check", str(study.root))
    assert checked.returncode == 0 and "not bound" not in checked.stdout, checked.stdout + checked.stderr
    identities = study.unlock(PASSPHRASE.encode())
    now = layout.session(study.root, "Nell", rosa.name)
    assert [n.pseudonym for n in field_notes(study, now, identities)] == ["Nell"]
    assert json.loads(study.read(now / layout.SESSION_INFO, identities))["pseudonym"] == "Nell"
    redacted = fv("redact", str(study.root), "Nell")  # moved: proposed again from her list before an export
    assert redacted.returncode == 0, redacted.stderr
    exported = _export(study, "Nell", tmp_path / "out.qdpx")
    assert exported.returncode == 0, exported.stderr
    assert "her brother waited outside" in _written(tmp_path / "out.qdpx")


def test_notes_written_on_a_kit_before_a_kit_rename_merge_as_hers(ready_study: Study, tmp_path: Path) -> None:
    kit, nell, _ = _kit_with_notes(ready_study, tmp_path)
    renamed = fv("participant", "rename", str(kit), "Nell", "Nora")  # on the kit: nothing re-sealed
    assert renamed.returncode == 0, renamed.stderr
    merged = fv("merge-kit", str(kit), str(ready_study.root))
    assert merged.returncode == 0, merged.stderr
    identities = ready_study.unlock(PASSPHRASE.encode())
    held = layout.session(ready_study.root, "Nora", nell.name)
    assert [(n.pseudonym, n.text) for n in field_notes(ready_study, held, identities)] == [("Nora", SAID)]
    assert json.loads(ready_study.read(held / layout.SESSION_INFO, identities))["pseudonym"] == "Nora"
    assert fv("check", str(ready_study.root)).returncode == 0
    again = fv("merge-kit", str(kit), str(ready_study.root))  # merged twice: the re-sealed ones are there already
    assert again.returncode == 0 and "0 file(s) merged" in again.stdout, again.stdout + again.stderr


def _unbound(study: Study, folder: Path) -> None:
    """The session's note and record as fieldvault sealed them before they named their session."""
    identities = study.unlock(PASSPHRASE.encode())
    note = folder / "fieldnotes-1.md.age"
    text = study.read(note, identities).decode()
    study.replace(note, text.replace(f"; for {folder.parent.name}/{folder.name}", "", 1).encode())
    record = json.loads(study.read(folder / layout.SESSION_INFO, identities))
    old = {k: v for k, v in record.items() if k not in ("pseudonym", "session")} | {"schema_version": 1}
    study.replace(folder / layout.SESSION_INFO, json.dumps(old).encode())


def test_older_unbound_notes_are_read_counted_by_check_and_bound_where_they_lie(
    two: tuple[Study, Path, Path], tmp_path: Path
) -> None:
    study, rosa, june = two
    _unbound(study, rosa)
    identities = study.unlock(PASSPHRASE.encode())
    assert [n.pseudonym for n in field_notes(study, rosa, identities)] == [None]  # read as it is

    checked = fv("check", str(study.root))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (
        "2 field note(s) or session record(s) are not bound to their session (written before they named it); run "
        f"`fieldvault session bind {study.root}` once"
    ) in checked.stdout + checked.stderr
    exported = _export(study, "Rosa", tmp_path / "o.qdpx")
    assert exported.returncode == 0, exported.stderr
    assert "her brother waited outside" in _written(tmp_path / "o.qdpx")

    bound = fv("session", "bind", str(study.root))
    assert bound.returncode == 0 and "bound 2 field note(s) or session record(s)" in bound.stdout, bound.stderr
    assert [n.pseudonym for n in field_notes(study, rosa, identities)] == ["Rosa"]
    assert json.loads(study.read(rosa / layout.SESSION_INFO, identities))["session"] == rosa.name
    assert logged(study, BOUND, "count") == [{"count": 2}]
    assert "not bound" not in fv("check", str(study.root)).stdout
    twice = fv("session", "bind", str(study.root))
    assert twice.returncode == 0 and "nothing to do" in twice.stdout
    assert len([e for e in study.audit.entries() if e["action"] == BOUND]) == 1

    shutil.copyfile(rosa / "fieldnotes-1.md.age", june / "fieldnotes-1.md.age")  # once bound, a copy is seen
    assert fv("check", str(study.root)).returncode == 1


def test_binding_needs_the_study_key(two: tuple[Study, Path, Path]) -> None:
    study, rosa, _ = two
    _unbound(study, rosa)
    done = fv("session", "bind", str(study.root), env={"FIELDVAULT_PASSPHRASE": "wrong passphrase here"})
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_notes_written_on_a_kit_after_the_study_moved_the_session_go_with_it(
    ready_study: Study, tmp_path: Path
) -> None:
    """merge-kit files a kit's later notes on a session the study moved since (`_moved_session`) under the woman it
    went to, re-sealed as hers: the study's readers and `check` take them."""
    done = fv("field-kit", str(ready_study.root), str(tmp_path / "kit"))
    assert done.returncode == 0, done.stderr
    kit = Study.open(tmp_path / "kit")
    (session,) = add_person(kit, NELL)
    add_person(kit, OPAL, sessions=0)
    assert fv("merge-kit", str(kit.root), str(ready_study.root)).returncode == 0
    moved = fv("session", "move", str(ready_study.root), "Nell", session, "--to", "Opal")
    assert moved.returncode == 0, moved.stderr
    add_field_note(kit, layout.session(kit.root, "Nell", session), SAID)  # written on the kit afterwards

    merged = fv("merge-kit", str(kit.root), str(ready_study.root))

    assert merged.returncode == 0, merged.stderr
    identities = ready_study.unlock(PASSPHRASE.encode())
    held = layout.session(ready_study.root, "Opal", session)
    assert [(n.pseudonym, n.text) for n in field_notes(ready_study, held, identities)] == [("Opal", SAID)]
    assert fv("check", str(ready_study.root)).returncode == 0
