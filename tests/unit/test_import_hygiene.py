"""Only the TUI may import textual or rich; the installed package holds every module and data file."""

from __future__ import annotations

import importlib.resources
import os
import pkgutil
import subprocess
import sys

import pytest

import fieldvault
from tests.conftest import ROOT

HEADLESS = sorted(
    m.name
    for m in pkgutil.walk_packages(fieldvault.__path__, "fieldvault.")
    if not m.name.startswith("fieldvault.tui") and m.name not in {"fieldvault.__main__"}
)


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_module_does_not_load_textual(module: str) -> None:
    code = f"import sys, {module}; bad = [m for m in ('textual', 'rich') if m in sys.modules]; print(bad)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.stdout.strip() == "[]"


def test_every_part_installs_inside_the_fieldvault_namespace() -> None:
    for name in ("fieldvault.capture", "fieldvault.transcribe", "fieldvault.tui.app", "fieldvault.cli"):
        __import__(name)
    assert importlib.resources.files("fieldvault.tui").joinpath("app.tcss").is_file()
    for top_level in ("capture", "transcribe", "tui", "consent_templates"):
        done = subprocess.run([sys.executable, "-c", f"import {top_level}"], capture_output=True, cwd="/")
        assert done.returncode != 0, f"{top_level} must not be a top-level import name"
