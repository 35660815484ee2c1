"""`merge-kit` given the study first and the kit second (walk22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault.cli import main
from fieldvault.study import Study
from tests.conftest import PASSPHRASE


def test_the_folders_the_wrong_way_round_are_named_so(
    ready_study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said "this is a field kit: it holds only public keys, so it cannot decrypt anything; do that on the trusted
    machine", to a PI on the trusted machine who had typed the two folders in the other order."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    before = (ready_study.root / "audit.jsonl").read_bytes(), (kit.root / "audit.jsonl").read_bytes()
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert main(["merge-kit", str(ready_study.root), str(kit.root)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == (
        f"fieldvault: error: {kit.root} is a field kit, not the study: the kit comes first, the study second "
        f"(fieldvault merge-kit {kit.root} {ready_study.root})"
    )
    assert ((ready_study.root / "audit.jsonl").read_bytes(), (kit.root / "audit.jsonl").read_bytes()) == before
