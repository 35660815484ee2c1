"""The NER model's unsure names (fieldvault/redact/unsure.py): proposed where their words back them, never an
everyday word the model was unsure of."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect
from fieldvault.redact.model import THRESHOLD, find_with_model


def _unsure(text: str) -> list[str]:
    return [s.text for s in find_with_model(text) if s.confidence < THRESHOLD]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # unseen5: a name as ASR wrote it, split between given name and surname, neither above THRESHOLD
        ("a worker there ay lee used to gie us a cup of tea", "lee"),
        ("A worker there Ay Lee used to gie us a cup of tea.", "Ay Lee"),
    ],
)
def test_a_name_the_model_is_unsure_of_is_found_where_its_words_back_it(text: str, name: str) -> None:
    assert name in _unsure(text)
    assert name in [s.text for s in detect(text) if s.label == "PERSON"]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Hope kept me going when nothing else did.", "Hope"),  # a capital that starts a sentence
        ("my first foster home was out in the valley", "foster"),  # a surname, but a noun's qualifier here
        ("He'd buy the kids Capri Suns and Lunchables to keep them quiet.", "Capri"),  # a product, said in plural
        ("My caseworker at DES helped with the SSI.", "DES"),  # an acronym: no person's or place's name
    ],
)
def test_an_everyday_word_the_model_is_unsure_of_is_not_proposed(text: str, word: str) -> None:
    assert word in _unsure(text)
    assert not [s for s in detect(text) if word in s.text]


def test_digits_need_the_models_full_confidence() -> None:
    """A number's word pieces never count by the name labels' sum: "1944" and "1 9 4 4 2" are the numbers'
    rules' to judge (a year, an inmate number), not low-confidence places."""
    text = "Call (916) 555 0142 or 9165550142, inmate 1 9 4 4 2, born 3/14/1990; not 916 or 1944 or 555."
    assert all(any(c.isalpha() for c in s.text) for s in find_with_model(text) if s.confidence < THRESHOLD)
