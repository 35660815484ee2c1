"""numpy's BLAS held to one thread while audio is transcribed or diarized.

Its products here are small (each clip's spectrum times the mel filters, in faster-whisper's features
and diarization's fbank), and after each one OpenBLAS's second thread spins, waiting for more, on the
core the decoder or the speaker embeddings running beside it need. On bench/transcribe.py's 10 min,
diarization's fbank took 4.2 CPU s on two BLAS threads and 0.3 s on one; transcription with diarization,
52 CPU s and 48. CTranslate2 and onnxruntime have thread pools of their own, not touched here.
"""

from __future__ import annotations

from functools import cache


@cache
def one_blas_thread() -> None:
    """Set once for the rest of the process, however often called (numpy's other products are small too)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
