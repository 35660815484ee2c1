"""QA F7: what C libraries write to stderr (ALSA, PortAudio) never reaches the screen while the TUI runs; the
TUI itself still draws there, its exit message is still printed, and stderr is the terminal again after it.
Checked at the file-descriptor level, in a real pseudo-terminal, with a C write(2) as ALSA makes it."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import textwrap

from tests.conftest import ROOT

PROGRAM = textwrap.dedent(
    """
    import ctypes, os, sys
    from textual.app import App
    from textual.widgets import Label
    from fieldvault.tui.stderr import kept_off_screen

    libc = ctypes.CDLL(None)

    class Probe(App[None]):
        def compose(self):
            yield Label("DRAWN-BY-THE-APP")

        def on_mount(self):
            self.set_timer(0.3, self.alsa)

        def alsa(self):
            line = b"ALSA lib pulse.c:242:(pulse_connect) PulseAudio: Unable to connect\\n"
            libc.write(2, line, len(line))  # as the C library writes it, under Python's sys.stderr
            print("PYTHON-STDERR-LINE", file=sys.stderr, flush=True)
            self.set_timer(0.3, lambda: self.exit(message="EXIT-MESSAGE"))

    app = Probe()
    with kept_off_screen(app):
        app.run()
    os.write(2, b"STDERR-IS-THE-TERMINAL-AGAIN\\n")
    """
)


def test_library_stderr_is_kept_off_the_screen_and_given_back_after() -> None:
    main, child = pty.openpty()
    os.set_blocking(main, True)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", PROGRAM], stdin=child, stdout=child, stderr=child, env=env, close_fds=True
    )
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child side closed: all was read
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert process.wait(timeout=30) == 0
    text = shown.decode(errors="replace")
    assert "DRAWN-BY-THE-APP" in text  # Textual still draws on the terminal
    assert "ALSA lib" not in text and "PYTHON-STDERR-LINE" not in text, text
    assert "EXIT-MESSAGE" in text  # Textual's own message after its screen is gone
    assert "STDERR-IS-THE-TERMINAL-AGAIN" in text  # fd 2 given back
