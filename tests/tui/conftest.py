"""Helpers for driving the app with Pilot."""

from __future__ import annotations

from types import ModuleType

import pytest

from fieldvault.tui.screens import graced
from fieldvault.tui.screens.home import HomeScreen
from tests.conftest import PASSPHRASE


@pytest.fixture(autouse=True)
def answer_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot answers a dialog the moment it shows; the grace in which keys typed as it opens are not taken (QA S4)
    has tests of its own, which set it."""
    monkeypatch.setattr(graced, "GRACE_SECONDS", 0)


class StillClock:
    """A monotonic clock that stands still until the test moves it, for code that reads ``time.monotonic()`` to
    tell how long since something: what a test types "at once" stays at once however slowly a loaded machine runs
    it, and the time passes when the test says it did."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def still_clock(monkeypatch: pytest.MonkeyPatch, module: ModuleType) -> StillClock:
    """A StillClock for what ``module`` reads as ``time`` (a module that uses time only for ``monotonic``)."""
    clock = StillClock()
    monkeypatch.setattr(module, "time", clock)
    return clock


@pytest.fixture
def grace_clock(monkeypatch: pytest.MonkeyPatch) -> StillClock:
    """Graced dialogs' 1.5 s grace (QA S4) on a clock the test moves."""
    monkeypatch.setattr(graced, "GRACE_SECONDS", 1.5)
    return still_clock(monkeypatch, graced)


@pytest.fixture
def idle_clock(monkeypatch: pytest.MonkeyPatch) -> StillClock:
    """The clock the app's idle lock reads (the time since the last key), moved by the test."""
    from fieldvault.tui import app

    return still_clock(monkeypatch, app)


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


def every_toast(app) -> list[str]:
    """A list that gets every notification shown from now on, as a person reads it, kept after the toast times out
    (``messages`` holds only those still on screen: on a loaded machine a 10 s toast can be gone before the end)."""
    from textual.content import Content

    shown: list[str] = []
    notify = app.notify

    def kept(message: str, *args, **kwargs) -> None:
        shown.append(Content.from_markup(message).plain if kwargs.get("markup", True) else message)
        notify(message, *args, **kwargs)

    app.notify = kept
    return shown
