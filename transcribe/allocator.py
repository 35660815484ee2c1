"""glibc's malloc told to give freed blocks of a few MB back to the system while audio is transcribed or diarized.

By default glibc raises its mmap threshold each time a large block is freed (up to 32 MB), so after the first
batch the decoder's buffers, each clip's features and onnxruntime's activations, a few MB each, are carved out
of heaps whose freed memory glibc keeps, in an arena per thread (the decoder's and diarization's beside it).
With the threshold fixed at THRESHOLD, such a block is a mapping of its own, unmapped when freed; the cost is
the page faults of mapping it again. Measured on bench/transcribe.py's 10 min (tiny.en, with diarization, 2 shared
cores; peak RSS, system CPU): glibc's default 698-725 MiB, 3.6-4.0 s; 256 KiB 544 MiB, 14.8 s; 4 MiB 587-605 MiB,
7.5-7.8 s; 16 MiB 620-655 MiB, 4.8-6.3 s (user CPU 23-26 s in all). Fixing the threshold also fixes the trim
threshold at 128 KiB, which gives back the top of a heap freed between two batches only to fault it in again:
TRIM keeps that. Another C library (musl, macOS) is left as it is.
"""

from __future__ import annotations

import ctypes
import platform
from functools import cache

M_TRIM_THRESHOLD = -1  # glibc's malloc.h
M_MMAP_THRESHOLD = -3
THRESHOLD = 4 << 20  # bytes: a freed block this large or larger goes back to the system
TRIM = 64 << 20  # bytes: free memory at the top of a heap kept for the next batch (glibc's dynamic maximum)


@cache
def large_blocks_returned() -> None:
    """Set once for the rest of the process, however often called (the setting is the process's)."""
    if platform.libc_ver()[0] != "glibc":
        return
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(M_MMAP_THRESHOLD, THRESHOLD)
    mallopt(M_TRIM_THRESHOLD, TRIM)
