"""QA AB2: `field-kit` killed while it made the kit left `.KIT.creating-NNNN` beside the kit's folder, which no command
ever named. The next field kit made there (or a study's `init`) names each such folder of a process that is gone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fieldvault.study import Study
from tests.conftest import PASSPHRASE, ROOT

_KILLED_WHILE_MAKING = """
import os, signal, sys
from pathlib import Path
from fieldvault import sessioninfo
from fieldvault.study import Study
sessioninfo.index_for_kit = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
study = Study.open(Path(sys.argv[1]))
study.unlock(sys.argv[3].encode())
study.make_field_kit(Path(sys.argv[2]))
"""


def test_a_kit_cut_off_while_it_was_made_is_named_when_the_kit_is_made_again(
    ready_study: Study, tmp_path: Path
) -> None:
    kit = tmp_path / "kit"
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_WHILE_MAKING, str(ready_study.root), str(kit), PASSPHRASE],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr
    (left,) = tmp_path.glob(".kit.creating-*")
    assert not kit.exists()
    forged = tmp_path / ".kit.creating-99999999999999999999"  # no process can have that id: named, never a traceback
    forged.mkdir()
    told: list[str] = []
    previous = Study.listen(told.append)
    try:
        study = Study.open(ready_study.root)
        study.unlock(PASSPHRASE.encode())
        study.make_field_kit(kit)
    finally:
        Study.listen(previous)
    assert kit.is_dir() and left.is_dir()  # named, not removed
    assert any(line.startswith(f"{forged}: a `field-kit` cut off part-way") for line in told), told
    assert [line for line in told if str(left) in line] == [
        f"{left}: a `field-kit` cut off part-way while making kit left it; nothing reads it (it holds no participant's "
        f"data): remove it with `rm -r {left}`"
    ], told
