"""A proposed identifier: where it is, what kind, which layer found it, and how sure it is."""

from __future__ import annotations

from dataclasses import dataclass

# When layers overlap, the more trustworthy one decides the label.
PRIORITY = {
    "known": 0, "pattern": 1, "context": 2, "model": 3, "gazetteer": 4, "proper-noun": 5, "rare": 6, "head": 7
}  # fmt: skip


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    source: str
    text: str
    confidence: float = 1.0
    matched: str | None = None  # the known identifier this span matched, shown to the reviewer

    def to_json(self) -> dict[str, object]:
        doc: dict[str, object] = {
            "start": self.start, "end": self.end, "label": self.label, "source": self.source, "text": self.text
        }  # fmt: skip
        if self.matched is not None:
            doc["matched"] = self.matched
        return doc


def merge(spans: list[Span], text: str) -> list[Span]:
    """Overlapping spans become one covering both, labelled by the most trusted layer: of all the spans that
    went into it, the one whose layer ranks first, then the surest (a merged span's own confidence, the
    highest, never decides a label)."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    bests: list[Span] = []
    for span in ordered:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            best = min((bests[-1], span), key=lambda s: (PRIORITY.get(s.source, 9), -s.confidence))
            bests[-1] = best
            start, end = last.start, max(last.end, span.end)
            merged[-1] = Span(
                start,
                end,
                best.label,
                best.source,
                text[start:end],
                max(last.confidence, span.confidence),
                best.matched or last.matched or span.matched,
            )
        else:
            merged.append(span)
            bests.append(span)
    return merged
