"""glibc's malloc told to give large freed blocks back to the system while audio is transcribed or diarized.

By default glibc raises its mmap threshold each time a large block is freed (up to 32 MB), so after the first
batch the decoder's buffers, each clip's features and onnxruntime's activations, a few MB each, are carved out
of heaps whose freed memory glibc keeps, in an arena per thread (the decoder's and diarization's). On
bench/transcribe.py's hour of mono (tiny.en, transcription + diarization) that held back 0.2-0.25 GB of a
0.93-0.96 GB peak. With the threshold fixed, a block of THRESHOLD or more is a mapping of its own, unmapped as
soon as it is freed. Another C library (musl, macOS) is left as it is.
"""

from __future__ import annotations

import ctypes
import platform
from functools import cache

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
THRESHOLD = 256 * 1024  # bytes: glibc's largest default before it adapts is 128 KiB; CPython's own blocks are smaller


@cache
def large_blocks_returned() -> None:
    """Set once for the rest of the process, however often called (the setting is the process's)."""
    if platform.libc_ver()[0] != "glibc":
        return
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(M_MMAP_THRESHOLD, THRESHOLD)
