"""QA V14 with the real binary: `fieldvault open DIR --identity FILE` (a transcriber's own key, made as README says)
opens the study at the home screen with that key, and the review screen opens; a file it cannot read is refused in
one line, as `decrypt --identity` refuses it."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from fieldvault.study import Study
from tests.e2e.test_tui_tmux import Tmux, _env
from tests.e2e.test_vouched_files import fv, one_line_refusal
from tests.tui.test_own_key import her_key

pytestmark = pytest.mark.slow


def test_open_with_her_own_key_reviews(study: Study, tmp_path: Path, fieldvault_home: Path) -> None:
    root, key = her_key(study, tmp_path)
    missing = tmp_path / "nope.txt"
    said = f"cannot read the identity file {missing}: No such file or directory"
    one_line_refusal(fv("open", root, "--identity", missing, passphrase=False), said)
    profile = "participants/Rose/profile.json.age"  # README's own example of her key at work: the same words
    one_line_refusal(fv("decrypt", root, profile, "--out", "-", "--identity", missing, passphrase=False), said)
    term = Tmux(f"fieldvault open {shlex.quote(str(root))} --identity {shlex.quote(str(key))}", _env(fieldvault_home),
                size=(120, 30))  # fmt: skip
    try:
        term.wait_for("opened with your own key")
        term.keys("v")
        term.wait_for("Review identifiers")
        term.send("C-q")
        term.wait_gone()
    finally:
        term.kill()
