"""Every file fieldvault writes is created 0600 and every folder 0700: no write may rely on the umask.

A source scan, so a new module that writes with ``write_text`` or a bare ``mkdir`` fails here rather than
leaving a readable file in someone's study; files that hold nothing private are listed with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("fieldvault", "capture", "transcribe", "tui")
UMASK_WRITES = re.compile(
    r"\.write_text\(|\.write_bytes\(|\.open\(\s*[\"'][wxa]|[^.]\bopen\([^)]*[\"'][wxa]b?[\"']|shutil\.copy2?\(|"
    r"shutil\.copyfile\(|shutil\.copytree\(|\.mkdir\((?![^)]*mode=)"
)
# Public model weights a user imports: nothing private, and they must stay readable to the user's tools.
EXEMPT = {"transcribe/models.py"}


def test_no_write_relies_on_the_umask() -> None:
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative in EXEMPT:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if UMASK_WRITES.search(line) and not line.lstrip().startswith("#"):
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "write through fieldvault.atomicfile (0600/0700):\n" + "\n".join(offenders)
