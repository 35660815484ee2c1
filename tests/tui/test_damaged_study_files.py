"""Damaged plaintext files on the home screen (a recording lock, the session index, the model registry): a
notification naming the file and what to do, never a crash, and the file left as it was; a damaged model
registry stops only the imported models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import DataTable

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


async def test_a_kit_with_a_damaged_session_index_still_lists_its_participants_and_says_what_to_do(
    ready_study: Study, tmp_path: Path
) -> None:
    """QA E16: a kit whose sessions.json was damaged showed "(no participants yet: press n)" over the folders of
    twelve participants, with a notice promising the kinds would show as unknown."""
    import json

    from fieldvault import layout
    from fieldvault.participants import ConsentRecord, add_participant
    from fieldvault.sessioninfo import FOLLOW_UP, load_session_info
    from tests.conftest import ANSWERS, PASSPHRASE
    from tests.tui.test_field_sessions import _app, _record, _stop

    kit = ready_study.make_field_kit(tmp_path / "kit")
    for name in ("Mal", "Rosa"):
        add_participant(kit, name, dict(ANSWERS), ConsentRecord("letter; verbal", "v1", "v1", "t"), [])
        folder = layout.session(kit.root, name, "20261126-062348")
        folder.mkdir()
        kit.write_new(folder / layout.AUDIO, b"RIFF")
    damaged = {"schema_version": 1, "sessions": {"Mal/20261126-062348": {"kind": "[reverse]Rosa Treviño[/reverse]"}}}
    (kit.root / layout.SESSION_INDEX).write_text(json.dumps(damaged))
    app = _app(kit)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#locked")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#sessions", DataTable)
        rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert [row[:3] for row in rows] == [("Mal", "20261126-062348", ""), ("Rosa", "20261126-062348", "")]
        (said,) = [m for m in messages(app) if "sessions.json is damaged" in m]
        assert "[reverse]Rosa Treviño[/reverse]" in said  # her name as it was typed, never as markup
        assert "Meanwhile the list shows the participants and sessions found in the folders, kinds unknown" in said
        assert "Recording and merge-kit do not need it" in said
        await pilot.press("r", "1", "ctrl+g", "ctrl+s")  # a follow-up: recording goes on, its kind sealed all the same
        await _record(pilot)
        assert any(
            "The session's kind is sealed with it, but the list of sessions could not" in m for m in messages(app)
        )
        await _stop(pilot)
    identities = ready_study.unlock(PASSPHRASE.encode())
    recorded = [f for f in layout.participant(kit.root, "Mal").iterdir() if f.name != "20261126-062348" and f.is_dir()]
    assert [load_session_info(kit, f, identities).kind for f in recorded] == [FOLLOW_UP]
