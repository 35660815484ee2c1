"""The project's own checks, run with the suite so CI enforces them: ruff, mypy, import contracts."""

from __future__ import annotations

import ast
import re
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


_SUBCOMMAND = re.compile(r"`fieldvault [a-z][a-z-]*\b")


def _unquoted_in_suggestions(tree: ast.AST) -> list[str]:
    """Each f-string that suggests a `fieldvault ...` command (between backticks) with a value put in as it is."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        text = "".join(
            str(v.value) if isinstance(v, ast.Constant) else "{}" if _quoted(v) else "{!}" for v in node.values
        )
        for start in (m.start() for m in _SUBCOMMAND.finditer(text)):
            if "{!}" in text[start:].split("`", 2)[1]:
                found.append(f"line {node.lineno}: {ast.unparse(node)[:100]}")
    return found


def _quoted(value: ast.expr) -> bool:
    call = value.value if isinstance(value, ast.FormattedValue) else value
    return isinstance(call, ast.Call) and ast.unparse(call.func) in ("command", "shell")


def test_every_suggested_command_quotes_what_it_puts_in() -> None:
    """QA K10-A: a study folder or pseudonym with a space or quote broke each pasted suggestion; they go through
    fieldvault.suggested (tests/e2e/test_suggested_commands.py runs some as pasted)."""
    sources = [p for folder in ("fieldvault", "capture", "transcribe", "tui") for p in (ROOT / folder).rglob("*.py")]
    unquoted = {
        str(path.relative_to(ROOT)): found
        for path in sources
        if (found := _unquoted_in_suggestions(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert not unquoted
    bad = ast.parse('x = f"run `fieldvault recover {root}` now"\ny = f"run `fieldvault recover {command(root)}`"')
    assert len(_unquoted_in_suggestions(bad)) == 1  # the check itself finds one
