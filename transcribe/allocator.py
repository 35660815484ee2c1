"""glibc's malloc told to serve every block from heaps it keeps, while audio is transcribed or diarized.

By default glibc maps each block over its adaptive threshold (at most 32 MB) on its own and unmaps it when freed, and
gives each thread an arena of its own. The decoder's encoder attention (batch 4 x 23 s: ~127 MB per layer) is over
any threshold, so every layer of every batch faulted its pages in again; and the decoder's and diarization's threads
each kept their own freed memory. With no mappings (M_MMAP_MAX 0), ARENAS arenas for the threads started from here on
and the top of a heap kept up to TRIM, a freed block is reused by the next batch. One arena made the decoder's and
diarization's threads wait on its lock: the pipeline ran on one core (bench/transcribe.py's 10 min with diarization,
idle: 26.2 s wall for 26.7 s of CPU, 1.11x as fast as before). Two arenas and TRIM 64 MiB (idle, 2026-11-26 23:59):
16.2 s wall, 27.9 s CPU, peak 726 MiB (1.97x as fast as before, 31.9 s, in that run); two arenas and TRIM 256 MiB:
16.5 s, peak 745 MiB, but an hour peaked at 1029 MiB (goal: 1 GiB); glibc's arenas: 16.1 s, 879 MiB. An hour of mono,
transcription and diarization, two arenas and TRIM 64 MiB: 100 s wall (RTF 0.028), 166 s CPU, peak 928 MiB (the
4 MiB mmap threshold of before: 845-852 MiB at 178 s of CPU).
Another C library (musl, macOS) is left as it is.
"""

from __future__ import annotations

import ctypes
import platform
from functools import cache

M_TRIM_THRESHOLD = -1  # glibc's malloc.h
M_MMAP_MAX = -4
M_ARENA_MAX = -8
ARENAS = 2  # one per core of the machines this runs on: one made the threads take turns (see above)
TRIM = 64 << 20  # bytes: free memory at the top of the heap kept for the next batch (more is given back)


@cache
def one_kept_heap() -> None:
    """Set once for the rest of the process, however often called (the setting is the process's). Call it before
    the threads that do the work start: a thread that has allocated already keeps its own arena."""
    if platform.libc_ver()[0] != "glibc":
        return
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(M_ARENA_MAX, ARENAS)
    mallopt(M_MMAP_MAX, 0)
    mallopt(M_TRIM_THRESHOLD, TRIM)
