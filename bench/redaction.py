"""Evaluate identifier detection on an annotated corpus: token-level recall and precision per label.

Recall counts a gold token as found when any span covers it (any label: it gets redacted either way);
precision counts a predicted token as right when it lies inside any gold span. Two runs are printed:
without the known-identifier lists (what `redact-text` does) and with them (what a session has), so the
second measures the first against the baseline of the same run.
Run by hand: python3 bench/redaction.py [CORPUS ...] (default: the development corpus, on which the
detector was tuned, then the held-out corpus, on which it never was)
"""

from __future__ import annotations

import sys
from pathlib import Path

from fieldvault.redact.corpus import Scores, load
from fieldvault.redact.detector import detect

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "redaction"


def main() -> None:
    for path in [Path(p) for p in sys.argv[1:]] or [DATA / "dev_corpus.txt", DATA / "heldout_corpus.txt"]:
        evaluate(path)
        print()


def evaluate(path: Path) -> None:
    passages = load(path)
    blind, informed = Scores(), Scores()
    misses = []
    for passage in passages:
        blind.add(passage.text, list(passage.gold), detect(passage.text))
        predicted = detect(passage.text, list(passage.known))
        informed.add(passage.text, list(passage.gold), predicted)
        for gold in passage.gold:
            if not any(p.start < gold.end and gold.start < p.end for p in predicted):
                misses.append(f"  missed {gold.label}: {gold.text!r}")
    print(f"corpus: {path} ({len(passages)} passages)")
    print("\nwithout known identifiers (redact-text):")
    print(blind.table())
    print("\nwith the participants' known identifiers:")
    print(informed.table())
    print(f"\nrecall gain from known identifiers: {informed.recall() / blind.recall():.3f}x")
    print("goal: PERSON recall >= 0.98, overall recall >= 0.95, precision >= 0.85")
    if misses:
        print("\nmissed with known identifiers:\n" + "\n".join(misses))


if __name__ == "__main__":
    main()
