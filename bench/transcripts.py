"""Score review.propose over whole transcripts, against detecting each segment alone (what propose did before).

Each corpus passage is cut into segments the way Whisper cuts speech: after each sentence's end, and a
stretch of more than MAX_WORDS words (lowercase run-ons) after a comma or, failing one, every MAX_WORDS words,
so some identifiers and cues run over a cut. GROUP consecutive passages make one transcript (one interview
covers many stories; a name from one passage may come back in another's words), with the group's known
identifiers as her list. Scores are bench.redaction's token recall and precision and leaked gold spans, as
written, lowercased and mixed (bench.corpus.mixed: every other sentence lowercased, as Whisper sometimes stops
casing for a while), for (a) every segment detected alone (what propose did before), (b) the segments read as
one text (redact.joined alone) and (c) propose() over the whole transcript (joined, then every other mention);
then the gold spans that neither propose() nor review's last check (redact.leftover: numbers, capitals, unusual
words left unredacted) points a reviewer at, and how many listed mentions are no identifier.
Each line gives the seconds its detection took (ratios within one run only: the machine may be shared).
Run by hand from the repository root: .venv/bin/python -m bench.transcripts [-v] [--group N] [CORPUS ...]
(--group N: N passages a transcript; a whole corpus as one long transcript shows the cost of reading it whole.)
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import Passage, Scores, load, lowercased, mixed
from bench.redaction import CORPORA, DATA
from fieldvault.participants import KnownIdentifier
from fieldvault.redact.detector import detect
from fieldvault.redact.joined import detect_segments
from fieldvault.redact.leftover import leftovers
from fieldvault.redact.review import propose
from fieldvault.redact.spans import Span
from fieldvault.transcript import Segment, Transcript

MAX_WORDS = 14
GROUP = 6
_SENTENCE_END = re.compile(r"[.?!]+[\"”’)]*\s+")


def cuts(text: str) -> list[tuple[int, int]]:
    """(start, end) of each segment of a passage, whitespace between them left out."""
    pieces, last = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append((last, match.end()))
        last = match.end()
    pieces.append((last, len(text)))
    out: list[tuple[int, int]] = []
    for start, end in pieces:
        out += _short(text, start, end)
    return [(a, b) for a, b in ((a, a + len(text[a:b].rstrip())) for a, b in out) if b > a]


def _short(text: str, start: int, end: int) -> list[tuple[int, int]]:
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) <= MAX_WORDS:
        return [(start, end)]
    commas = [w for w in words[3:-3] if w.group().endswith(",")]
    cut = start + (commas[len(commas) // 2].end() if commas else words[MAX_WORDS].start())
    while cut < end and text[cut].isspace():
        cut += 1
    return _short(text, start, cut) + _short(text, cut, end)


def _transcript(texts: list[str]) -> Transcript:
    segments = tuple(Segment(float(n), float(n) + 1, t) for n, t in enumerate(texts))
    return Transcript("bench", "s", segments, (), {"name": "bench"}, "bench", {}, 1.0, 1.0, "bench")


Detector = Callable[[list[str], list[KnownIdentifier]], list[tuple[int, Span]]]


def alone(texts: list[str], known: list[KnownIdentifier]) -> list[tuple[int, Span]]:
    return [(n, span) for n, text in enumerate(texts) for span in detect(text, known)]


def joined_only(texts: list[str], known: list[KnownIdentifier]) -> list[tuple[int, Span]]:
    """The segments read as one text, without proposing other mentions: what each of the two steps gives."""
    return [(f.segment, f.span) for f in detect_segments(texts, known)]


def whole(texts: list[str], known: list[KnownIdentifier]) -> list[tuple[int, Span]]:
    return [
        (s.segment, Span(s.start, s.end, s.label, s.source, s.text)) for s in propose(_transcript(texts), known).spans
    ]


def with_net(texts: list[str], known: list[KnownIdentifier]) -> list[tuple[int, Span]]:
    """propose()'s spans and every mention review's last check lists (redact.leftover), as source "leftover":
    a gold span that neither covers is one a reviewer is never pointed at."""
    transcript = _transcript(texts)
    doc = propose(transcript, known)
    found = [(s.segment, Span(s.start, s.end, s.label, s.source, s.text)) for s in doc.spans]
    for item in leftovers(transcript, doc):
        found += [(m.segment, Span(m.start, m.end, "LEFT", "leftover", texts[m.segment][m.start : m.end])) for m in
                  item.mentions]  # fmt: skip
    return found


def evaluate(passages: list[Passage], detector: Detector, size: int = GROUP) -> tuple[Scores, list[Span], list[Span]]:
    scores, leaks, alarms = Scores(), [], []
    for first in range(0, len(passages), size):
        group = passages[first : first + size]
        where: list[tuple[int, int]] = []  # segment -> (passage in the group, offset in it)
        texts: list[str] = []
        for n, passage in enumerate(group):
            for a, b in cuts(passage.text):
                where.append((n, a))
                texts.append(passage.text[a:b])
        known = list({k: None for p in group for k in p.known})
        predicted: list[list[Span]] = [[] for _ in group]
        for segment, span in detector(texts, known):
            n, offset = where[segment]
            predicted[n].append(Span(span.start + offset, span.end + offset, span.label, span.source, span.text))
        for passage, found in zip(group, predicted, strict=True):
            scores.add(passage.text, list(passage.gold), found)
            leaks += [g for g in passage.gold if not any(p.start < g.end and g.start < p.end for p in found)]
            alarms += [p for p in found if not any(p.start < g.end and g.start < p.end for g in passage.gold)]
    return scores, leaks, alarms


def main() -> None:
    args = sys.argv[1:]
    verbose = "-v" in args
    size = int(args[args.index("--group") + 1]) if "--group" in args else GROUP
    named = [a for n, a in enumerate(args) if a != "-v" and a != "--group" and (n == 0 or args[n - 1] != "--group")]
    paths = [Path(p) for p in named] or [DATA / name for name in CORPORA]
    for path in paths:
        passages = load(path)
        segments = sum(len(cuts(p.text)) for p in passages)
        print(f"corpus: {path.name} ({len(passages)} passages in {segments} segments, {size} passages a transcript)")
        forms = (("as written", passages), ("lowercased", [lowercased(p) for p in passages]))
        for form, chosen in (*forms, ("mixed", [mixed(p) for p in passages])):
            for name, detector in (("each segment alone", alone), ("segments joined", joined_only),
                                   ("whole transcript", whole)):  # fmt: skip
                started = time.perf_counter()
                scores, leaks, alarms = evaluate(chosen, detector, size)
                seconds = time.perf_counter() - started
                print(
                    f"  {form:10}  {name:18}  recall {scores.recall():.3f}  precision {scores.precision():.3f}  "
                    f"leaked {len(leaks)} of {sum(len(p.gold) for p in passages)}  ({seconds:.1f} s)"
                )
                if detector is whole:
                    _, left, listed = evaluate(chosen, with_net, size)
                    noise = sum(1 for span in listed if span.source == "leftover")
                    gold = sum(len(p.gold) for p in passages)
                    print(f"  {'':10}  {'and its last check':18}  neither proposed nor listed {len(left)} of {gold}; "
                          f"{noise} listed mentions are no identifier")  # fmt: skip
                if verbose and detector is whole:
                    for span in leaks:
                        print(f"      leaked {span.label}: {span.text!r}")
                    for span in alarms:
                        print(f"      false alarm {span.label} ({span.source}): {span.text!r}")
        print()


if __name__ == "__main__":
    main()
