"""What opening a study with its key says before the TUI's screen covers the terminal (`fieldvault open DIR --identity
KEY`: a session move a crash cut off, undone once the study key is at hand) is printed as before, and shown in the app
too, where the person is looking."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.cli import main
from fieldvault.sessionmove import BEGUN, STAGING
from fieldvault.study import Study
from fieldvault.tui.app import FieldvaultApp
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person
from tests.tui.conftest import messages


def test_what_opening_the_study_said_is_shown_in_the_app(
    ready_study: Study, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    session = add_person(ready_study, ROSA)[0]
    key = tmp_path / "study.key"  # the study identity, as `keys export-identity` writes it
    key.write_text(ready_study.key_file_text(PASSPHRASE.encode()))
    key.chmod(0o600)
    ready_study.unlock(PASSPHRASE.encode())
    ready_study.audit.append(BEGUN, pseudonym="June", session=session, moved_from="Rosa")  # signed, as a move begins
    (layout.session(ready_study.root, "Rosa", session) / STAGING).mkdir()  # a move cut off before its plan
    shown: list[str] = []

    async def run_test(app: FieldvaultApp) -> None:
        async with app.run_test() as pilot:
            await pilot.pause()
            shown.extend(messages(app))

    monkeypatch.setattr(FieldvaultApp, "run", lambda app: asyncio.run(run_test(app)))
    assert main(["open", str(ready_study.root), "--identity", str(key)]) == 0
    said = f"a move of Rosa/{session} to June was cut off before the session moved: undone"
    assert any(m.startswith(said) for m in shown), shown
    assert not (layout.session(ready_study.root, "Rosa", session) / STAGING).exists()
