"""Digital silence on an input (a null source, a dead cable, the system switched to another input), told from
level readings: when to warn and when to say the signal is back. The TUI's recording screen and
`fieldvault record` both use it, so they warn after the same time in the same words."""

from __future__ import annotations

from dataclasses import dataclass

from fieldvault.capture.source import SILENCE_DBFS

NO_SIGNAL_SECONDS = 3.0


def no_signal(seconds: float) -> str:
    return (
        f"NO SIGNAL for {seconds:.0f} s: the input gives digital silence (unplugged, or the system switched to "
        "another input). The recording goes on; check the microphone."
    )


def signal_back(seconds: float) -> str:
    return f"signal back after {seconds:.0f} s of digital silence (that stretch of the recording is silent)"


@dataclass(frozen=True)
class Silence:
    """What one level reading tells."""

    seconds: float  # of unbroken digital silence so far; 0 with signal
    warn: bool = False  # the silence has just passed NO_SIGNAL_SECONDS: said once a stretch
    back: float | None = None  # signal has just come back after a stretch that was warned of: its length


class SilenceWatch:
    """How long the input has been digitally silent, from level readings fed as they come."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.warned = False

    def heard(self, level: float, now: float) -> Silence:
        """Feed one reading (dBFS, the loudest since the last one) taken at ``now`` (monotonic seconds)."""
        if level > SILENCE_DBFS:
            back = now - self.since if self.warned and self.since is not None else None
            self.since, self.warned = None, False
            return Silence(0.0, back=back)
        if self.since is None:
            self.since = now
        seconds = now - self.since
        warn = seconds >= NO_SIGNAL_SECONDS and not self.warned
        self.warned = self.warned or warn
        return Silence(seconds, warn=warn)

    def paused(self) -> Silence:
        """A pause records nothing: silence counted so far is forgotten, and a warning given is withdrawn
        without a "signal back" (the next silence after the pause warns again after its own 3 s)."""
        self.since, self.warned = None, False
        return Silence(0.0)
