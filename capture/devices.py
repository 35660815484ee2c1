"""Input devices PortAudio can record from, for the device picker and `--device`."""

from __future__ import annotations

from dataclasses import dataclass

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
