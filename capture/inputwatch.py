"""Which input the sound server records this process from, and when that changes. PortAudio's `pulse` and `default`
devices follow PulseAudio, which moves a recording to another input when its source goes away (a USB microphone
pulled, a headset unplugged) or someone moves it, and tells the program nothing: the recording goes on from the
other input, often as digital silence. Asked with `pactl`; without PulseAudio nothing is known and nothing is said.
Never touches audio.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Callable
from typing import Any

ASK_EVERY = 1.0  # seconds between two questions to the sound server
PACTL_TIMEOUT = 2.0


def _pactl(what: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        ["pactl", "-f", "json", "list", what], capture_output=True, text=True, timeout=PACTL_TIMEOUT, check=True
    )
    found = json.loads(done.stdout)
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def pulse_input(pid: int) -> str | None:
    """The input PulseAudio records process ``pid`` from, as "description (name)"; None when it cannot tell (no
    PulseAudio, no `pactl`, no stream of ours, or several)."""
    try:
        streams = _pactl("source-outputs")
        sources = _pactl("sources")
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    ours = [s.get("source") for s in streams if (s.get("properties") or {}).get("application.process.id") == str(pid)]
    if len(ours) != 1:
        return None
    named = [s for s in sources if s.get("index") == ours[0]]
    if not named:
        return None
    return f"{named[0].get('description', '')} ({named[0].get('name', '')})"


def switched(at: str, old: str, new: str) -> str:
    """The one line `fieldvault record` prints and the recording screen shows, in the timeline's words."""
    return f"INPUT SWITCHED at {at}: the system now records from {new}, no longer {old}. Check the microphone."


class InputWatch:
    """Asks ``ask`` every ``every`` seconds which input this is; calls ``on_switch(old, new)`` (on its own thread)
    when it changes. An answer of None (the server busy, gone) changes nothing."""

    def __init__(
        self, ask: Callable[[], str | None], on_switch: Callable[[str, str], None], every: float = ASK_EVERY
    ) -> None:
        self.ask, self.on_switch, self.every = ask, on_switch, every
        self.current: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="input-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self) -> None:
        self.current = self.ask()
        while not self._stop.wait(self.every):
            now = self.ask()
            if now is None or now == self.current:
                continue
            if self.current is not None:
                self.on_switch(self.current, now)
            self.current = now
