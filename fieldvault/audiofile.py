"""A session's recording, decrypted into memory only: as stored (int16) or as Whisper wants it.

Whisper input is float32 mono at 16 kHz, resampled in-process with PyAV's resampler chunk by chunk,
so peak memory is the output array plus one chunk. Never a temp file, never ffmpeg on a path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from fieldvault import wavstream
from fieldvault.agefile import Identity
from fieldvault.layout import AUDIO
from fieldvault.study import Study

WHISPER_RATE = 16000


def _pcm_chunks(
    study: Study, folder: Path, identities: Sequence[Identity]
) -> tuple[wavstream.WavFormat, Iterator[bytes]]:
    reader = study.open_reader(folder / AUDIO, identities)
    chunks = reader.chunks()
    head = b""
    for piece in chunks:  # the header may in principle straddle chunks
        head += piece
        if len(head) >= wavstream.HEADER_SIZE:
            break
    fmt, offset = wavstream.parse_header(head)

    def rest() -> Iterator[bytes]:
        yield head[offset:]
        yield from chunks

    return fmt, rest()


def read_format(study: Study, folder: Path, identities: Sequence[Identity]) -> wavstream.WavFormat:
    """The recording's format, from its first chunk only."""
    return _pcm_chunks(study, folder, identities)[0]


def _frames(pieces: Iterator[bytes], frame_bytes: int) -> Iterator[bytes]:
    """Re-cut byte pieces on whole-frame boundaries."""
    carry = b""
    for piece in pieces:
        data = carry + piece
        usable = len(data) - len(data) % frame_bytes
        carry = data[usable:]
        if usable:
            yield data[:usable]


def load_pcm(study: Study, folder: Path, identities: Sequence[Identity]) -> tuple[wavstream.WavFormat, np.ndarray]:
    """(format, int16 samples shaped (frames, channels)) for playback."""
    fmt, pieces = _pcm_chunks(study, folder, identities)
    data = b"".join(_frames(pieces, fmt.channels * 2))
    return fmt, np.frombuffer(data, dtype=np.int16).reshape(-1, fmt.channels)


def load_for_whisper(
    study: Study, folder: Path, identities: Sequence[Identity], channel: int | None = None
) -> tuple[np.ndarray, wavstream.WavFormat]:
    """Float32 mono 16 kHz: one channel of a stereo file, or all channels mixed down."""
    import av

    fmt, pieces = _pcm_chunks(study, folder, identities)
    stored = (folder / AUDIO).stat().st_size
    estimate = int(stored / fmt.bytes_per_second * WHISPER_RATE) + WHISPER_RATE
    out = np.empty(estimate, dtype=np.float32)
    filled = 0
    resampler = av.AudioResampler(format="flt", layout="mono", rate=WHISPER_RATE)
    layout = "mono" if channel is not None or fmt.channels == 1 else "stereo"
    for block in _frames(pieces, fmt.channels * 2):
        samples = np.frombuffer(block, dtype=np.int16).reshape(-1, fmt.channels)
        if channel is not None:
            samples = samples[:, channel : channel + 1]
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples).reshape(1, -1), format="s16", layout=layout)
        frame.sample_rate = fmt.rate
        filled = _append(out, filled, resampler.resample(frame))
    filled = _append(out, filled, resampler.resample(None))
    return out[:filled], fmt


def _append(out: np.ndarray, filled: int, frames: list) -> int:
    for frame in frames:
        data = frame.to_ndarray().reshape(-1)
        out[filled : filled + len(data)] = data
        filled += len(data)
    return filled


def stream_pcm(
    study: Study, folder: Path, identities: Sequence[Identity]
) -> tuple[wavstream.WavFormat, Iterator[bytes]]:
    """The recording's format and its samples as byte pieces, decrypted one chunk at a time (exports)."""
    return _pcm_chunks(study, folder, identities)
