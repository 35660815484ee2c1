"""Import a qdpx with QualCoder's own REFI-QDA importer, headless, and print what it stored as JSON.

Run with a Python that has PyQt6, never with fieldvault's: python qualcoder_harness.py QUALCODER_SRC QDPX WORKDIR
QUALCODER_SRC is the src/ folder of a QualCoder checkout (GPL; fetched by whoever runs the check, never
committed here). Only QualCoder's RefiImport runs; its dialogs are answered without a screen.
"""

from __future__ import annotations

import builtins
import json
import os
import re
import sqlite3
import sys
import types
from pathlib import Path


def _schema(main_py: str) -> list[str]:
    """The CREATE TABLE statements QualCoder runs for a new project, read from its __main__.py."""
    start = main_py.index('"CREATE TABLE project')
    end = main_py.index("CREATE TABLE files_filter", start)
    end = main_py.index("\n", end)
    block = main_py[start - 40 : end]
    statements = []
    for call in re.finditer(r"cur\.execute\(\s*((?:\"[^\"]*\"\s*)+)\)", block):
        statements.append("".join(re.findall(r"\"([^\"]*)\"", call.group(1))))
    return statements


def main(src: Path, qdpx: Path, work: Path) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    builtins._ = lambda text: text  # type: ignore[attr-defined]  # QualCoder installs gettext's _ at start-up
    for name in ("pymupdf", "vlc"):  # used by QualCoder's viewers, never by the importer
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.path.insert(0, str(src))
    from PyQt6 import QtWidgets
    from qualcoder import refi

    application = QtWidgets.QApplication([])
    project = work / "imported.qda"
    for folder in ("documents", "audio", "video", "images"):
        (project / folder).mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(project / "data.qda")
    for statement in _schema((src / "qualcoder" / "__main__.py").read_text()):
        conn.execute(statement)
    app = types.SimpleNamespace(
        conn=conn,
        project_path=str(project),
        project_name="imported.qda",
        settings={"codername": "tester", "directory": str(work), "ai_enable": "False"},
        ai_models=[],
        project_events=None,
        write_config_ini=lambda *args: None,
    )
    log: list[str] = []

    class Quiet:
        def __init__(self, *args: object) -> None:
            pass

        def exec(self) -> int:
            return 0

    refi.Message = Quiet  # the closing "experimental function" dialog would wait for a click
    QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(qdpx), "qdpx"))
    refi.RefiImport(app, types.SimpleNamespace(append=log.append), "qdpx")
    rows: dict[str, object] = {
        table: [dict(zip([d[0] for d in cur.description], row, strict=True)) for row in cur.fetchall()]
        for table in ("source", "code_name", "code_cat", "code_text", "cases", "case_text", "attribute", "journal")
        for cur in [conn.execute(f"select * from {table}")]  # noqa: S608 - fixed table names
    }
    rows["files"] = sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())
    rows["leftovers"] = sorted(p.name for p in work.iterdir() if p.name.endswith("_temporary"))
    application.quit()
    print(json.dumps(rows, default=str))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
