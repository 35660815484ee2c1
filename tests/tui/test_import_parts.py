"""QA S12 on the home screen: the second file of an interview a recorder split, imported with --continues, is shown
as part 2 of that interview (its first file part 1), not as a session of its own; on a kit made since, too."""

from __future__ import annotations

import time
from pathlib import Path

from fieldvault.capture.importer import import_recording
from fieldvault.sessionparts import carried_on
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_import_parts import IRIS, _wav
from tests.stewardship import add_person
from tests.tui.conftest import unlock, until
from tests.tui.test_field_sessions import _app, _rows


async def test_a_part_imported_with_continues_is_part_2_of_her_interview_on_the_home_screen(
    ready_study: Study, tmp_path: Path
) -> None:
    (first,) = add_person(ready_study, IRIS, seconds=3.0)
    time.sleep(1.1)
    keys = ready_study.unlock(PASSPHRASE.encode())
    carried = carried_on(ready_study, "Iris", first, keys)
    part = import_recording(ready_study, "Iris", _wav(tmp_path / "p2.wav", 16000, 1.0), keys, part_of=carried).folder
    app = _app(ready_study)
    async with app.run_test(size=(110, 30)) as pilot:
        await unlock(pilot)
        assert _rows(app) == [
            ("Iris", first, "first interview, part 1", "recorded"),
            ("Iris", part.name, "first interview, part 2", "recorded"),
        ]
    kit = ready_study.make_field_kit(tmp_path / "kit")
    app = _app(kit)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.click("#locked")
        await until(pilot, lambda: len(_rows(app)) == 2)
        assert [row[2] for row in _rows(app)] == ["first interview, part 1", "first interview, part 2"]
