"""Helpers for driving the app with Pilot."""

from __future__ import annotations

from fieldvault.tui.screens.home import HomeScreen
from tests.conftest import PASSPHRASE


async def unlock(pilot) -> None:  # type: ignore[no-untyped-def]
    """Type the test passphrase on the unlock screen and wait for the home screen."""
    await pilot.click("#passphrase")
    await pilot.press(*PASSPHRASE, "enter")
    for _ in range(200):
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, HomeScreen):
            await pilot.pause()
            return
    raise AssertionError(f"never unlocked; on {type(pilot.app.screen).__name__}")
