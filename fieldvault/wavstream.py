"""A WAV header for audio of unknown length, written before the first sample, and its parser.

Recordings are stored as a WAV stream inside an age file, so `age -d file | play -` works. The length
fields hold 0xFFFFFFFF ("unknown"), as streaming writers do: an encrypted chunk can never be rewritten.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from fieldvault.errors import BadInput

UNKNOWN = 0xFFFFFFFF
HEADER_SIZE = 44


@dataclass(frozen=True)
class WavFormat:
    rate: int
    channels: int
    sample_width: int = 2  # bytes; 16-bit PCM

    @property
    def bytes_per_second(self) -> int:
        return self.rate * self.channels * self.sample_width


def header(fmt: WavFormat) -> bytes:
    block = fmt.channels * fmt.sample_width
    return (
        b"RIFF" + struct.pack("<I", UNKNOWN) + b"WAVE"
        + b"fmt " + struct.pack("<IHHIIHH", 16, 1, fmt.channels, fmt.rate, fmt.bytes_per_second, block,
                                8 * fmt.sample_width)
        + b"data" + struct.pack("<I", UNKNOWN)
    )  # fmt: skip


def complete_wav(fmt: WavFormat, pcm: bytes) -> bytes:
    """A WAV file with its real lengths, for exports that leave the vault whole."""
    head = bytearray(header(fmt))
    struct.pack_into("<I", head, 4, 36 + len(pcm))
    struct.pack_into("<I", head, 40, len(pcm))
    return bytes(head) + pcm


def parse_header(data: bytes) -> tuple[WavFormat, int]:
    """The format and the offset of the first sample; accepts any PCM WAV, streamed or not."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise BadInput("the audio is not a WAV stream")
    offset = 12
    fmt = None
    while offset + 8 <= len(data):
        kind, size = data[offset : offset + 4], struct.unpack("<I", data[offset + 4 : offset + 8])[0]
        body = offset + 8
        if kind == b"fmt ":
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[body : body + 16])
            if tag not in (1, 0xFFFE) or bits != 16:
                raise BadInput("the WAV stream is not 16-bit PCM")
            fmt = WavFormat(rate, channels, 2)
        elif kind == b"data":
            if fmt is None:
                break
            return fmt, body
        offset = body + size + (size & 1)
    raise BadInput("the WAV stream has no format or data section")
