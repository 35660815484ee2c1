"""Run by test_redaction_offline.py under strace: `redact`, `redact-text` and the review screen held open,
in one process, with every socket call Python makes recorded by an audit hook and printed as JSON lines.

Usage: python -m tests.e2e.offline_probe STUDY TEXTFILE SECONDS
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path

EVENTS: list[dict[str, object]] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event.startswith("socket."):
        EVENTS.append({"event": event, "args": [a if isinstance(a, int) else repr(a) for a in args]})


async def _hold_review(study_dir: Path, seconds: float) -> None:
    from fieldvault.study import Study
    from fieldvault.tui.app import make_app
    from fieldvault.tui.screens.review import ReviewScreen
    from tests.tui.conftest import unlock

    app = make_app(Study.open(study_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()  # the review opens from a worker
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen), type(app.screen).__name__
        await pilot.pause(seconds)  # the telemetry the issue saw came about 9 s after the model loaded
        await pilot.press("a")
        await pilot.pause()


def main() -> int:
    sys.addaudithook(_audit)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM):
        pass  # a control: both strace and the audit hook must see this one local socket
    from fieldvault import cli

    study, text, seconds = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    codes = [cli.main(["redact", str(study)]), cli.main(["redact-text", text, "--json"])]
    asyncio.run(_hold_review(study, seconds))
    for event in EVENTS:
        print("AUDIT " + json.dumps(event))
    print("CODES " + json.dumps(codes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
