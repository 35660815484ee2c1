"""The TUI's stderr: while it runs, what C libraries write to file descriptor 2 (ALSA's "ALSA lib pulse.c:242:
(pulse_connect) PulseAudio: Unable to connect", PortAudio's "Expression 'ret' failed" when a microphone is
lost: QA F7) goes to /dev/null instead of over the screen. Textual draws on a copy of the terminal's descriptor,
and its own messages (the exit notice, a traceback) are printed there.

The driver drawing there also reads the terminal's size from that descriptor, never from COLUMNS and LINES: where
they are set (a script, a container's shell, tmux started from one), they hold the size at the start, and
Textual's driver (shutil.get_terminal_size) read them at every resize, so a window made 40x10 mid-recording kept an
80x24 frame, REC and the footer off the screen (tui28, tui29; Textualize/textual PR 6153).

Never writes anything to a file: what the libraries say is dropped, it is no log of a session."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from textual.app import App
    from textual.drivers.linux_driver import LinuxDriver


@contextmanager
def kept_off_screen(app: App[None]) -> Iterator[None]:
    """fd 2 to /dev/null for the duration, ``app`` drawing and reporting on the terminal all the same; fd 2 is
    the terminal again afterwards, whatever happened. An app whose driver does not draw on fd 2 (Windows'
    console) is left as it is."""
    from textual.drivers.linux_driver import LinuxDriver

    if not issubclass(app.driver_class, LinuxDriver):
        yield
        return
    sys.stderr.flush()
    terminal = os.dup(2)
    screen = os.fdopen(os.dup(terminal), "w", encoding="utf-8", errors="replace")
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 2)
    os.close(nowhere)
    app.driver_class = _drawing_on(app.driver_class, screen)
    app.error_console.file = screen  # Textual's exit message and traceback, printed once its screen is gone
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(terminal, 2)
        os.close(terminal)
        screen.close()


def _drawing_on(driver: type[LinuxDriver], screen: TextIO) -> type[LinuxDriver]:
    """``driver``, drawing on ``screen`` rather than on sys.__stderr__ (fd 2, sent nowhere), and sized by it."""

    class OnTerminal(driver):  # type: ignore[valid-type, misc]  # a subclass of the class given
        def __init__(
            self, app: App[object], *, debug: bool = False, mouse: bool = True, size: tuple[int, int] | None = None
        ) -> None:
            super().__init__(app, debug=debug, mouse=mouse, size=size)
            self._file = screen

        def _get_terminal_size(self) -> tuple[int, int]:
            try:
                size: os.terminal_size | None = os.get_terminal_size(screen.fileno())
            except (OSError, ValueError):  # not a terminal (a pipe)
                size = None
            if size is None or not size.columns or not size.lines:
                return super()._get_terminal_size()  # Textual's own guess
            return size.columns, size.lines

    return OnTerminal
