"""QA S3's rest on the home screen: Iris's sessions listed in the order they were recorded, the follow-up a kit dated
2036 before the member check recorded after it was merged (as exports number them), not last for ever."""

from __future__ import annotations

import time
from pathlib import Path

from fieldvault.capture.importer import import_recording
from fieldvault.sessioninfo import MEMBER_CHECK, SessionInfo
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.e2e.test_import_parts import _wav
from tests.e2e.test_session_order import misdated_follow_up
from tests.tui.conftest import unlock
from tests.tui.test_field_sessions import _app, _rows


async def test_home_lists_a_session_a_kit_dated_ahead_where_it_was_recorded(study: Study, tmp_path: Path) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    first, ahead = misdated_follow_up(study, tmp_path, ["--passphrase-file", str(secret)])
    time.sleep(1.1)
    keys = study.unlock(PASSPHRASE.encode())
    wav = _wav(tmp_path / "m.wav", 16000, 1.0, 400)
    member = import_recording(study, "Iris", wav, keys, SessionInfo(MEMBER_CHECK)).folder.name
    app = _app(study)
    async with app.run_test(size=(110, 30)) as pilot:
        await unlock(pilot)
        assert [(row[1], row[2]) for row in _rows(app)] == [
            (first, "first interview"),
            (ahead, "follow-up"),
            (member, "member check"),
        ]
