"""What the detector's rule tests share: the spans it proposes, a marked identifier as written and lowercased,
and whether one span covers it."""

from __future__ import annotations

from fieldvault.redact.detector import detect


def spans(text: str) -> list[tuple[str, str]]:
    """(label, text) of every span the detector proposes."""
    return [(s.label, s.text) for s in detect(text)]


def forms(marked: str) -> list[tuple[str, str]]:
    """(text, identifier) as written and lowercased; ``marked`` holds the identifier in [brackets]."""
    text, target = marked.replace("[", "").replace("]", ""), marked[marked.index("[") + 1 : marked.index("]")]
    return [(text, target), (text.lower(), target.lower())]


def covered(text: str, target: str) -> bool:
    """Whether one proposed span covers all of ``target``."""
    start = text.index(target)
    return any(s.start <= start and start + len(target) <= s.end for s in detect(text))
