"""A damaged audit log on the home screen: a notification naming the line, never a crash."""

from __future__ import annotations

from pathlib import Path

from fieldvault.study import Study
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.home import HomeScreen


async def test_a_bad_audit_line_is_a_notification_naming_it(study: Study, tmp_path: Path) -> None:
    kit = study.make_field_kit(tmp_path / "kit")
    with (kit.root / "audit.jsonl").open("ab") as damaged:
        damaged.write(b"[1,2]\n")
    app = make_app(Study.open(kit.root))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.click("#locked")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        messages = [n.message for n in app._notifications]
        assert any("audit.jsonl line 2 is not an audit entry" in m for m in messages), messages
