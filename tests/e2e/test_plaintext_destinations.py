"""Plaintext never goes into a field kit (it goes back to the field laptop), another study or a backup (QA F29):
export, decrypt, report and the key export refuse such a path in one line, before anything is written; a backup
never goes into a kit; merge-kit names plaintext found at a kit's top level."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault.study import Study
from tests.e2e.test_cli import assert_one_line_error, fv
from tests.e2e.test_export import _session


@pytest.fixture
def study(ready_study: Study) -> Study:
    _session(ready_study, "Rose", review=True)
    return ready_study


@pytest.fixture
def kit(study: Study, tmp_path: Path) -> Path:
    kit = tmp_path / "usb" / "kit"
    assert fv("field-kit", str(study.root), str(kit)).returncode == 0
    return kit


def _writers(study: Study, out: Path) -> list[list[str]]:
    root = str(study.root)
    return [
        ["export", root, "--format", "txt", "--out", str(out)],
        ["decrypt", root, "participants/Rose/profile.json.age", "--out", str(out)],
        ["report", root, "--out", str(out.with_suffix(".md"))],
        ["keys", "export-identity", root, "--out", str(out.with_suffix(".txt"))],
    ]


def _everything(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


@pytest.mark.parametrize("where", ["exports", "participants/new", "a/b/../c", "../kit/x"])
def test_nothing_plaintext_is_written_into_a_field_kit(study: Study, kit: Path, where: str) -> None:
    before = _everything(kit)
    for args in _writers(study, kit / where):
        assert_one_line_error(fv(*args), "inside the field kit", "goes back to the field")
        assert_one_line_error(fv(*args), "inside the field kit")  # run twice: refused again, nothing written
    assert _everything(kit) == before


def test_plaintext_beside_a_kit_is_written_as_before(study: Study, kit: Path) -> None:
    out = kit.parent / "exports"  # the same USB disk, beside the kit folder: not inside it
    done = fv("export", str(study.root), "--format", "txt", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in out.iterdir()] == ["Rose_session-1.txt"]


def test_nothing_plaintext_goes_into_another_study_or_a_backup(study: Study, tmp_path: Path) -> None:
    backup = tmp_path / "usb" / "backup"
    assert fv("backup", str(study.root), str(backup)).returncode == 0
    for args in _writers(study, backup / "exports"):
        assert_one_line_error(fv(*args), "inside the backup")
    other = tmp_path / "other"
    assert fv("init", str(other), "--title", "Another study", "--irb", "IRB-1").returncode == 0
    for args in _writers(study, other / "exports"):
        assert_one_line_error(fv(*args), "inside the study", str(other))


def test_a_backup_never_goes_into_a_field_kit(study: Study, kit: Path) -> None:
    before = _everything(kit)
    assert_one_line_error(fv("backup", str(study.root), str(kit / "backup")), "inside the field kit", "keys")
    assert_one_line_error(fv("backup", str(study.root), str(kit)), "inside the field kit")
    assert _everything(kit) == before
    assert_one_line_error(fv("field-kit", str(study.root), str(kit / "kit2")), "inside the field kit")


def test_merge_kit_names_plaintext_put_at_the_kits_top_level(study: Study, kit: Path) -> None:
    (kit / "p.json").write_text('{"age": 31}')  # as an older fieldvault let `decrypt --out` put it there
    (kit / "exports_here").mkdir()
    done = fv("merge-kit", str(kit), str(study.root))
    assert done.returncode == 0, done.stderr
    for name in ("p.json", "exports_here"):
        assert f"left out {name}: not something a field kit writes" in done.stdout, done.stdout
    assert "shred it before the kit goes back to the field" in done.stdout
    assert not (study.root / "p.json").exists()


def test_out_dash_is_refused_where_it_is_not_standard_output(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA H12: `keys export-identity --out -` wrote the study's private key into a file named "-" where the user
    stood (who meant standard output, as `decrypt --out -` and age take it), and `export --out -` made a folder
    "-". Each writer by path refuses it in one line and writes nothing; `decrypt --out -` still streams."""
    monkeypatch.chdir(tmp_path)
    root = str(study.root)
    for args in (
        ["keys", "export-identity", root, "--out", "-"],
        ["export", root, "--format", "txt", "--out", "-"],
        ["export", root, "--format", "qdpx", "--out", "-"],
        ["report", root, "--out", "-"],
        ["field-kit", root, "-"],
    ):
        assert_one_line_error(fv(*args), '"-" is not standard output here')
    assert not (tmp_path / "-").exists()
    done = fv("decrypt", root, "participants/Rose/profile.json.age", "--out", "-")
    assert done.returncode == 0 and '"pseudonym": "Rose"' in done.stdout and not (tmp_path / "-").exists()


def test_a_link_to_nowhere_as_out_is_refused_before_anything_is_recorded(study: Study, tmp_path: Path) -> None:
    """QA QD11: `decrypt --out` onto a link to a missing file was refused only once its entry recorded the copy as
    made, and a withdrawal then asked after a copy that never was. Every plaintext writer refuses the link in one
    line, the audit log gains no entry, and nothing is written where it points."""
    out = tmp_path / "x" / "dangling"
    out.parent.mkdir()
    log = study.root / "audit.jsonl"
    for args in _writers(study, out):
        target = Path(args[-1])
        if not target.is_symlink():  # export and decrypt share one
            target.symlink_to(tmp_path / "nowhere" / target.name)
        before = log.read_bytes()
        refused = fv(*args)
        assert_one_line_error(refused)
        assert "link" in refused.stderr or "exists" in refused.stderr, refused.stderr
        assert log.read_bytes() == before, args[0]  # nothing recorded as done
        assert not (tmp_path / "nowhere").exists()
    decrypt = fv("decrypt", str(study.root), "participants/Rose/profile.json.age", "--out", str(out))
    assert_one_line_error(decrypt, f"{out} is a link (to {tmp_path / 'nowhere' / out.name})", "choose another --out")
