"""The fieldvault App: a router between screens. Logic lives in the screens and in the core."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from fieldvault.agefile import X25519Identity
from fieldvault.capture.devices import InputDevice, input_devices
from fieldvault.capture.source import AudioSource, SoundDeviceSource
from fieldvault.study import Study
from fieldvault.tui.screens.home import HomeScreen
from fieldvault.tui.screens.picker import StudyPickerScreen
from fieldvault.tui.screens.unlock import UnlockScreen


class FieldvaultApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "fieldvault"
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(
        self,
        study: Study | None,
        list_devices: Callable[[], list[InputDevice]],
        make_source: Callable[[int | str, int, int], AudioSource],
    ) -> None:
        super().__init__()
        self.study = study
        self.identities: list[X25519Identity] = []
        self.list_devices = list_devices
        self.make_source = make_source

    def on_mount(self) -> None:
        if self.study is None:
            self.push_screen(StudyPickerScreen())
        else:
            self.push_screen(UnlockScreen(self.study))

    def open_study(self, root: Path) -> None:
        """Called by the picker: show the unlock screen of the chosen study."""
        self.study = Study.open(root)
        self.push_screen(UnlockScreen(self.study))

    def show_home(self, study: Study, identities: list[X25519Identity]) -> None:
        """Called once a study is unlocked, or opened locked: the home screen replaces the stack."""
        self.study = study
        self.identities = identities
        self.switch_screen(HomeScreen(study, locked=not identities))

    def action_lock(self) -> None:
        """Forget the keys and go back to the unlock screen."""
        self.identities = []
        if self.study is not None:
            self.switch_screen(UnlockScreen(self.study))

    async def action_quit(self) -> None:
        """Quitting mid-recording first stops and seals the recording."""
        recorder = getattr(self.screen, "recorder", None)
        if recorder is not None:
            recorder.stop()
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Open another study", "Pick or create a study folder", self._to_picker)
        if self.identities:
            yield SystemCommand("Lock the study", "Forget the decrypted keys now", self.action_lock)

    def _to_picker(self) -> None:
        self.identities = []
        self.switch_screen(StudyPickerScreen())


def make_app(
    study: Study | None = None,
    list_devices: Callable[[], list[InputDevice]] = input_devices,
    make_source: Callable[[int | str, int, int], AudioSource] = SoundDeviceSource,
) -> FieldvaultApp:
    """The one factory: used by the CLI, the Pilot tests and the snapshot tests alike.
    Tests give a file-backed audio source; users get PortAudio."""
    return FieldvaultApp(study, list_devices, make_source)
