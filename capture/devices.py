"""What a recording depends on in the machine: the input devices PortAudio can record from (for the
device picker and `--device`), and the battery's charge where the kernel reports one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fieldvault.capture.source import DeviceError


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_rate: int
    is_default: bool


def input_devices() -> list[InputDevice]:
    """Every device with at least one input channel; DeviceError if there is none at all."""
    import sounddevice as sd

    try:
        devices = sd.query_devices()
        default = sd.default.device[0]
    except sd.PortAudioError as err:
        raise DeviceError(f"cannot list audio devices ({err}); is PortAudio (libportaudio2) installed?") from None
    found = [
        InputDevice(i, str(d["name"]), int(d["max_input_channels"]), int(d["default_samplerate"]), i == default)
        for i, d in enumerate(devices)
        if d["max_input_channels"] > 0
    ]
    if not found:
        raise DeviceError("no input device found: plug in a microphone or recorder, then try again")
    return found


@dataclass(frozen=True)
class Battery:
    percent: int
    charging: bool

    @property
    def low(self) -> bool:
        return self.percent <= LOW_BATTERY and not self.charging


LOW_BATTERY = 15
POWER_SUPPLY = Path("/sys/class/power_supply")


def read_battery(root: Path = POWER_SUPPLY) -> Battery | None:
    """The laptop battery's charge where the kernel reports one; None on mains-only machines."""
    try:
        supplies = sorted(root.iterdir())
    except OSError:
        return None
    for supply in supplies:
        try:
            if (supply / "type").read_text().strip() != "Battery":
                continue
            percent = int((supply / "capacity").read_text().strip())
            status = (supply / "status").read_text().strip() if (supply / "status").exists() else ""
        except (OSError, ValueError):
            continue
        return Battery(max(0, min(percent, 100)), status in ("Charging", "Full"))
    return None
