"""glibc's malloc told to serve every block from one heap it keeps, while audio is transcribed or diarized.

By default glibc maps each block over its adaptive threshold (at most 32 MB) on its own and unmaps it when freed, and
gives each thread an arena of its own. The decoder's encoder attention (batch 4 x 23 s: ~127 MB per layer) is over
any threshold, so every layer of every batch faulted its pages in again; and the decoder's and diarization's threads
each kept their own freed memory. With no mappings (M_MMAP_MAX 0), one arena for the threads started from here on
(the decoder's, diarization's) and the top of the heap kept up to TRIM, a freed block is reused by the next batch
whichever thread asks. Measured on bench/transcribe.py's 10 min with diarization in one run (2 shared cores; system
CPU, peak RSS): glibc's default 4.1 s, 638 MiB; the mmap threshold fixed at 4 MiB (the setting before this one)
8.1 s, 557 MiB; this 0.7 s, 584 MiB (user CPU 24-26 s in all). An hour (the bench's hour mode): this 148 s of CPU,
peak 901 MiB; the 4 MiB threshold 178 s, 845-852 MiB; glibc's default 150-172 s, 913-939 MiB (goal: 1 GiB).
Another C library (musl, macOS) is left as it is.
"""

from __future__ import annotations

import ctypes
import platform
from functools import cache

M_TRIM_THRESHOLD = -1  # glibc's malloc.h
M_MMAP_MAX = -4
M_ARENA_MAX = -8
TRIM = 256 << 20  # bytes: free memory at the top of the heap kept for the next batch (more is given back)


@cache
def one_kept_heap() -> None:
    """Set once for the rest of the process, however often called (the setting is the process's). Call it before
    the threads that do the work start: a thread that has allocated already keeps its own arena."""
    if platform.libc_ver()[0] != "glibc":
        return
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(M_ARENA_MAX, 1)
    mallopt(M_MMAP_MAX, 0)
    mallopt(M_TRIM_THRESHOLD, TRIM)
