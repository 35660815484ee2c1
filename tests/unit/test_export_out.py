"""Where an export goes: a format of one file per session takes a folder (walk22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault.errors import BadInput
from fieldvault.export.run import Options, check


@pytest.mark.parametrize("fmt", ["docx", "txt", "srt", "vtt"])
def test_a_folder_format_refuses_a_file_name_of_its_own_kind(fmt: str, tmp_path: Path) -> None:
    """`export --format docx --out study.docx` made a folder named study.docx holding one document per session: on a
    desktop it looks like a document that does not open."""
    out = tmp_path / f"study.{fmt.upper()}"
    with pytest.raises(BadInput) as refused:
        check(Options(fmt), out)
    assert str(refused.value) == (
        f"{fmt} writes one file per session into a new folder: give a new --out that names a folder, such as "
        f"{tmp_path / 'study'}, not a file (study.{fmt.upper()})"
    )
    assert not out.exists()
    check(Options(fmt), tmp_path / "study")  # a folder's name is taken
    check(Options("qdpx"), tmp_path / "study.qdpx")  # one file: its own name


def test_a_folder_export_to_a_dangling_link_is_refused_in_one_line(tmp_path: Path) -> None:
    """qa25 QA8: `export --format txt --out L`, L a link to nowhere, ended in a FileExistsError traceback."""
    from fieldvault.export.output import FolderSink

    link = tmp_path / "out"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(BadInput, match="exists and is not an empty folder; give a new folder for the export"):
        FolderSink(link, None)
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()
