"""QA U9 in the TUI: a study whose audit log lacks the head this computer saw (cut back, older files put back) is
refused at the unlock screen in one notification, before the review screen, the editor or an export can read it."""

from __future__ import annotations

import json

from fieldvault import layout, loghead
from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE
from tests.tui.conftest import messages


async def unlock(app, pilot) -> list[str]:
    """The passphrase typed at the unlock screen; the notifications shown then."""
    await pilot.click("#passphrase")
    await pilot.press(*PASSPHRASE, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return messages(app)


def accepted_day(log) -> str:
    """The day of the last entry of the log at ``log``: the acceptance just written."""
    return json.loads(log.read_bytes().splitlines()[-1])["time"][:10]


async def test_a_log_cut_back_is_refused_at_unlock_and_the_screen_stays(study: Study, identities: list) -> None:
    log = study.root / layout.AUDIT_FILE
    older = log.read_bytes()
    study.audit.append("decrypt", file="participants/Rose/s1/audio.wav.age")  # signed: the study is unlocked
    log.write_bytes(older)  # cut back to the older head, without the key
    app = make_app(Study.open(study.root))
    async with app.run_test() as pilot:
        shown = await unlock(app, pilot)
        assert any("entries were cut off" in m and "--accept-older-log" in m for m in shown), shown
        assert isinstance(app.screen, UnlockScreen) and app.identities == []
    assert log.read_bytes() == older


async def test_an_acceptance_another_computer_made_is_taken_at_unlock(study: Study, identities: list) -> None:
    """QA W11 in the TUI: the log was cut back and another computer accepted that, recording as lost the very head
    this computer saw (a signed entry): the unlock screen goes on; nothing more is appended."""
    log = study.root / layout.AUDIT_FILE
    older = log.read_bytes()
    seen = study.audit.append("decrypt", file="participants/Rose/s1/audio.wav.age")  # signed: remembered here
    log.write_bytes(older)  # the older backup put back, then accepted on the other computer, with the key:
    study.audit.append(loghead.ACCEPTED, head=f"{seen['seq']}:{seen['hash']}", count=1)
    accepted = log.read_bytes()
    app = make_app(Study.open(study.root))
    async with app.run_test() as pilot:
        shown = await unlock(app, pilot)
        assert not any("entries were cut off" in m for m in shown), shown
        # the note the CLI prints, told from the unlock's worker thread, is a notification here (QA qa19: silent)
        taken = f"accepted on {accepted_day(log)} (entry {len(older.splitlines())}); this computer saw the log reach"
        assert any(taken in m and "count as unreviewed until reviewed again" in m for m in shown), shown
        assert not isinstance(app.screen, UnlockScreen) and app.identities != []
    assert loghead.ACCEPTED not in log.read_bytes()[len(accepted) :].decode()  # no second acceptance
