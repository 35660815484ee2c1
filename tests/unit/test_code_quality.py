"""The project's own checks, run with the suite so CI enforces them: ruff, mypy, import contracts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*command: str, cwd: Path = ROOT) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_lint_and_format() -> None:
    _run(sys.executable, "-m", "ruff", "check", ".")
    _run(sys.executable, "-m", "ruff", "format", "--check", ".")


def test_mypy_on_the_core() -> None:
    _run(sys.executable, "-m", "mypy")


def test_import_contracts(tmp_path: Path) -> None:
    """Checked against the checkout, where capture/, transcribe/ and tui/ are linked inside fieldvault/."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.fail("lint-imports is missing: run scripts/install.sh --dev")
    _run(lint, "--config", str(ROOT / "pyproject.toml"))
