"""Shared fixtures: every test gets its own FIELDVAULT_HOME and a fast study (low scrypt work factor)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldvault.study import Study

PASSPHRASE = "a long test passphrase"
TEST_WORK_FACTOR = 10  # the default 18 costs ~1 s per unlock; the format is the same


@pytest.fixture(autouse=True)
def fieldvault_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "fieldvault-home"
    monkeypatch.setenv("FIELDVAULT_HOME", str(home))
    monkeypatch.setenv("FIELDVAULT_ACTOR", "tester")
    monkeypatch.delenv("FIELDVAULT_PASSPHRASE", raising=False)
    return home


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return Study.create(tmp_path / "study", "Exiting the trade", "IRB-2026-17", PASSPHRASE.encode(), TEST_WORK_FACTOR)


@pytest.fixture
def identities(study: Study) -> list:
    return study.unlock(PASSPHRASE.encode())


def need(program: str) -> str:
    """The path of a program the test needs; its absence is a broken set-up, not a skip."""
    path = shutil.which(program)
    assert path, f"{program} is not installed: run scripts/install.sh --dev"
    return path
