"""The benches' word error rate (bench/wer.py): word-level edits after Whisper's English normaliser."""

from __future__ import annotations

from bench.wer import word_error_rate


def test_word_error_rate_counts_word_edits_over_the_reference_length() -> None:
    assert word_error_rate("the cat sat on the mat", "the cat sat on the mat") == 0.0
    assert word_error_rate("the cat sat on the mat", "the dog sat on mat") == 2 / 6  # one substitution, one deletion
    assert word_error_rate("she left", "she left the city") == 1.0  # two insertions over two words


def test_word_error_rate_normalises_before_comparing() -> None:
    assert word_error_rate("Mister Smith, twenty years!", "mr smith 20 years") == 0.0


def test_word_error_rate_of_silence_is_zero_or_one() -> None:
    assert word_error_rate("", "") == 0.0
    assert word_error_rate("", "thank you") == 1.0
