"""Passphrases: weak ones refused with the reason, private files only, the variable gone once read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldvault.errors import BadInput
from fieldvault.passphrase import ENV, existing_passphrase, new_passphrase, passphrase_problem


@pytest.mark.parametrize(
    "weak, reason",
    [("aaaaaaaaaa", "repeats"), ("password123", "common password"), ("qwertyuiop1", "commonly used"),
     ("1234567890", "guess"), ("short", "shorter than")],
)  # fmt: skip
def test_weak_passphrases_are_refused_with_a_reason(weak: str, reason: str, monkeypatch: pytest.MonkeyPatch) -> None:
    problem = passphrase_problem(weak)
    assert problem is not None and reason in problem.lower()
    monkeypatch.setenv(ENV, weak)
    with pytest.raises(BadInput, match=r"too easy to guess|shorter than"):
        new_passphrase(None)


def test_a_few_words_are_strong_enough() -> None:
    assert passphrase_problem("kettle orchard velvet compass") is None


def test_a_passphrase_file_others_can_read_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("kettle orchard velvet compass\n")
    for mode in (0o644, 0o640, 0o604):
        secret.chmod(mode)
        with pytest.raises(BadInput, match="chmod 600"):
            existing_passphrase(secret)
    secret.chmod(0o600)
    assert existing_passphrase(secret) == b"kettle orchard velvet compass"
    link = tmp_path / "link"
    link.symlink_to(secret)
    with pytest.raises(BadInput, match="cannot read"):
        existing_passphrase(link)


def test_the_variable_is_removed_once_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "kettle orchard velvet compass")
    assert existing_passphrase(None) == b"kettle orchard velvet compass"
    assert ENV not in os.environ
    child = subprocess.run([sys.executable, "-c", f"import os; print(os.environ.get('{ENV}'))"], capture_output=True)
    assert child.stdout.strip() == b"None"
