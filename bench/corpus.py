"""Annotated passages for evaluating the detector, and token-level scores per label.

Format: passages separated by blank lines; ``[[LABEL|text]]`` marks a gold span; optional first
lines ``known: a; LOCATION: b`` list the participant's known identifiers. Lines starting # are comments.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from fieldvault.participants import LABELS, KnownIdentifier, parse_identifier_lines
from fieldvault.redact.spans import Span

_MARK = re.compile(r"\[\[([A-Z]+)\|(.+?)\]\]")
_TOKEN = re.compile(r"\w+(?:['’]\w+)?")


@dataclass(frozen=True)
class Passage:
    text: str
    gold: tuple[Span, ...]
    known: tuple[KnownIdentifier, ...] = ()


def parse_passage(block: str) -> Passage:
    lines = [line for line in block.strip().splitlines() if not line.startswith("#")]
    known: list[KnownIdentifier] = []
    while lines and lines[0].startswith("known:"):  # one line or several
        known += parse_identifier_lines(lines.pop(0)[len("known:") :].replace(";", "\n"))
    marked = " ".join(lines)
    text, gold, last = "", [], 0
    for match in _MARK.finditer(marked):
        text += marked[last : match.start()]
        gold.append(Span(len(text), len(text) + len(match.group(2)), match.group(1), "gold", match.group(2)))
        text += match.group(2)
        last = match.end()
    text += marked[last:]
    return Passage(text, tuple(gold), tuple(known))


def lowercased(passage: Passage) -> Passage:
    """The passage as an ASR engine without casing writes it: same offsets, every letter lowercase."""
    text = passage.text.lower()
    if len(text) != len(passage.text):  # a few letters (e.g. "İ") change length when lowered
        raise ValueError("lowercasing changed the passage's length; keep such letters out of corpora")
    gold = tuple(Span(g.start, g.end, g.label, g.source, text[g.start : g.end]) for g in passage.gold)
    return Passage(text, gold, passage.known)


_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"”’)]*\s*|$)")


def mixed(passage: Passage) -> Passage:
    """The passage as Whisper sometimes writes a transcript: cased, with stretches where it drops casing (here every
    other sentence, starting with the second, lowercased). Same offsets."""
    pieces = [m.group() for m in _SENTENCE.finditer(passage.text)]
    if "".join(pieces) != passage.text:
        raise ValueError("a passage's sentences do not add up to it")
    text = "".join(piece.lower() if n % 2 else piece for n, piece in enumerate(pieces))
    if len(text) != len(passage.text):
        raise ValueError("lowercasing changed the passage's length; keep such letters out of corpora")
    gold = tuple(Span(g.start, g.end, g.label, g.source, text[g.start : g.end]) for g in passage.gold)
    return Passage(text, gold, passage.known)


def leaked(passage: Passage, predicted: list[Span]) -> list[Span]:
    """The passage's gold spans that no proposed span overlaps at all: left whole in the text."""
    return [g for g in passage.gold if not any(p.start < g.end and g.start < p.end for p in predicted)]


def load(path: Path) -> list[Passage]:
    blocks = re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
    return [parse_passage(b) for b in blocks if b.strip() and not all(line.startswith("#") for line in b.splitlines())]


@dataclass
class Scores:
    gold_tokens: Counter[str] = field(default_factory=Counter)
    found_tokens: Counter[str] = field(default_factory=Counter)  # gold tokens of the label covered by any span
    predicted_tokens: Counter[str] = field(default_factory=Counter)
    correct_tokens: Counter[str] = field(default_factory=Counter)  # predicted tokens of the label inside any gold span

    def add(self, text: str, gold: list[Span], predicted: list[Span]) -> None:
        for token in _TOKEN.finditer(text):
            g = next((s.label for s in gold if s.start <= token.start() < s.end), None)
            p = next((s.label for s in predicted if s.start <= token.start() < s.end), None)
            if g:
                self.gold_tokens[g] += 1
                self.found_tokens[g] += p is not None
            if p:
                self.predicted_tokens[p] += 1
                self.correct_tokens[p] += g is not None

    def recall(self, label: str | None = None) -> float:
        gold = sum(self.gold_tokens.values()) if label is None else self.gold_tokens[label]
        found = sum(self.found_tokens.values()) if label is None else self.found_tokens[label]
        return found / gold if gold else 1.0

    def precision(self, label: str | None = None) -> float:
        predicted = sum(self.predicted_tokens.values()) if label is None else self.predicted_tokens[label]
        correct = sum(self.correct_tokens.values()) if label is None else self.correct_tokens[label]
        return correct / predicted if predicted else 1.0

    def table(self) -> str:
        rows = [f"{'label':<9}{'gold':>6}{'recall':>9}{'predicted':>11}{'precision':>11}"]
        for label in LABELS:
            rows.append(
                f"{label:<9}{self.gold_tokens[label]:>6}{self.recall(label):>9.3f}"
                f"{self.predicted_tokens[label]:>11}{self.precision(label):>11.3f}"
            )
        rows.append(
            f"{'overall':<9}{sum(self.gold_tokens.values()):>6}{self.recall():>9.3f}"
            f"{sum(self.predicted_tokens.values()):>11}{self.precision():>11.3f}"
        )
        return "\n".join(rows)
