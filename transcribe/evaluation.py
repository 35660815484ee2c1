"""Word error rate with Whisper's English normaliser, to compare backends and models on known speech.
Needs the openai-whisper extra (for the normaliser)."""

from __future__ import annotations


def word_error_rate(reference: str, hypothesis: str) -> float:
    from whisper.normalizers import EnglishTextNormalizer

    normalise = EnglishTextNormalizer()
    ref, hyp = normalise(reference).split(), normalise(hypothesis).split()
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, heard in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != heard))
    return row[-1] / len(ref) if ref else float(bool(hyp))
