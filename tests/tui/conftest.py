"""Helpers for driving the app with Pilot."""

from __future__ import annotations

import pytest

from fieldvault.tui.screens import graced
from fieldvault.tui.screens.home import HomeScreen
from tests.conftest import PASSPHRASE


@pytest.fixture(autouse=True)
def answer_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot answers a dialog the moment it shows; the grace in which keys typed as it opens are not taken (QA S4)
    has tests of its own, which set it."""
    monkeypatch.setattr(graced, "GRACE_SECONDS", 0)


async def unlock(pilot) -> None:
    """Type the test passphrase on the unlock screen and wait for the home screen."""
    await pilot.click("#passphrase")
    await pilot.press(*PASSPHRASE, "enter")
    await pilot.app.workers.wait_for_complete()  # the key is derived in a worker, which then shows home
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen), f"never unlocked; on {type(pilot.app.screen).__name__}"


async def until(pilot, predicate, seconds: float = 10) -> None:
    """Wait until ``predicate()`` holds, then let the screen settle; fail naming the screen if it never does."""
    for _ in range(int(seconds / 0.05)):
        if predicate():
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError(f"condition never met; on {type(pilot.app.screen).__name__}")


def messages(app) -> list[str]:
    """The notifications shown so far, as a person reads them (markup rendered)."""
    from textual.content import Content

    return [Content.from_markup(n.message).plain for n in app._notifications]
