"""A horizontal input-level meter in dBFS, red when the signal clips."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widget import Widget

FLOOR = -60.0


class LevelMeter(Widget):
    level: reactive[float] = reactive(FLOOR)
    clipping: reactive[bool] = reactive(False)

    def render(self) -> str:
        width = max(self.size.width - 16, 10)
        fraction = (max(self.level, FLOOR) - FLOOR) / -FLOOR
        filled = int(fraction * width)
        bar = "█" * filled + "░" * (width - filled)
        label = "CLIPPING" if self.clipping else f"{self.level:6.1f} dBFS"
        colour = "red" if self.clipping else ("yellow" if self.level > -6 else "green")
        return f"[{colour}]{bar}[/] {label}"

    def watch_clipping(self, clipping: bool) -> None:
        self.set_class(clipping, "clipping")
