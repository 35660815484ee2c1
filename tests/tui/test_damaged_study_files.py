"""Damaged plaintext files on the home screen (a recording lock, the session index, the model registry): a
notification naming the file and what to do, never a crash, and the file left as it was; a damaged model
registry stops only the imported models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.transcription import TranscriptionScreen
from tests.tui.conftest import messages, unlock


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("participants/Rose/20261125-100000/recording.lock", b'{"pid": "1", "host": "x"}', "pid should be int"),
        ("sessions.json", b'{"schema_version": 1, "sessions": {"Rose/x": {"kind": 3}}}', "kind should be str"),
    ],
)
async def test_a_damaged_plaintext_file_is_a_notification_on_home(
    study: Study, name: str, data: bytes, says: str
) -> None:
    folder = study.root / "participants" / "Rose" / "20261125-100000"
    folder.mkdir(parents=True)
    study.write_new(folder / "audio.wav.age", b"RIFF")
    (study.root / name).write_bytes(data)
    app = make_app(study)
    async with app.run_test() as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [m for m in messages(app) if str(study.root / name) in m and says in m], messages(app)
    assert (study.root / name).read_bytes() == data


async def test_a_damaged_model_registry_is_a_warning_and_the_packaged_models_still_offered(study: Study) -> None:
    registry = Path(os.environ["FIELDVAULT_HOME"]) / "models" / "registry.json"
    registry.parent.mkdir(parents=True)
    registry.write_text('{"schema_version": 1, "models": {"field": {"kind": "ctranslate2"}}}')
    app = make_app(study)
    async with app.run_test() as pilot:
        await unlock(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptionScreen)  # tiny.en needs no registry
        assert app.screen.models[0] == "tiny.en" and "field" not in app.screen.models
        assert [m for m in messages(app) if str(registry) in m and "models.field.path should be present" in m]
    assert registry.read_text() == '{"schema_version": 1, "models": {"field": {"kind": "ctranslate2"}}}'
