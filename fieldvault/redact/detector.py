"""The layered detector: known identifiers, patterns, context, name lists and the NER model; overlaps merged."""

from __future__ import annotations

from fieldvault.participants import KnownIdentifier
from fieldvault.redact.context import find_in_context
from fieldvault.redact.known import find_known
from fieldvault.redact.lexicon import HARD_NEGATIVES, base_word
from fieldvault.redact.model import find_with_model
from fieldvault.redact.patterns import find_patterns
from fieldvault.redact.spans import Span, merge


def detect(text: str, known: list[KnownIdentifier] | None = None) -> list[Span]:
    """Proposed spans over ``text`` (Python string offsets), sorted and non-overlapping."""
    spans = find_known(text, known or []) + find_patterns(text) + find_in_context(text) + find_with_model(text)
    spans = [s for s in spans if base_word(s.text.strip()).lower() not in HARD_NEGATIVES or s.source == "known"]
    return merge(spans, text)
