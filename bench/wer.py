"""Word error rate with Whisper's English normaliser, to compare backends and models on known speech.

Evaluation only: the benches and the transcription tests use it; fieldvault itself never does.
Needs the openai-whisper extra (for the normaliser).
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference's length; 1.0 for words heard where none were said."""
    from whisper.normalizers import EnglishTextNormalizer

    normalise = EnglishTextNormalizer()
    ref, hyp = normalise(reference).split(), normalise(hypothesis).split()
    return Levenshtein.distance(ref, hyp) / len(ref) if ref else float(bool(hyp))
