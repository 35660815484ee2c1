"""A learned head over the NER model's token states, checked by leave-one-corpus-out (issue 9): does a classifier
trained on the gold spans of the other corpora catch what the detector leaks on a corpus it never saw?

Per word (the scorer's tokens), the features (fieldvault/redact/head.py `word_features`, the shipped code) are
case-blind: the Rampart model is uncased, so its last hidden layer (384 numbers, the first word piece's) and its
label probabilities (averaged over the word's pieces, and the name labels' sum of the words beside it) are the same
for a passage and its lowercased twin; then the word's Zipf frequency, and whether the dictionary, the first-name,
surname and place lists or the stopwords hold it. The hidden layer is not an output of the pinned graph: it is added
in memory (the `onnx` package) to the graph read from the pinned file, never written (fieldvault/redact/model.py). A
logistic regression (numpy, damped Newton steps, L2) says "this word is part of an identifier"; its runs of words
(head.runs: a run needs a letter) are added where the detector proposed nothing: everywhere; on passages without
capitals only and through the detector's general filters (`detector.kept`: what the detector ships); or everywhere
through the filters the detector puts the model's unsure names through (`unsure.judged`, articles, products,
things, peoples, holidays, then the general ones).

Each held-out corpus is scored with two detectors: today's (tuned on every corpus, so few misses are left) and the
one it met fresh (the last commit before the corpus entered the repository, with model8's unsure layer patched in;
trees built by model8 under /tmp/model8/m8_<commit>). The decision threshold of a fold is chosen on the other
corpora's out-of-fold probabilities only: the smallest that costs their fresh detectors at most PRECISION_COST of word
precision.

Steps (each cached under $HEAD9_CACHE, default /tmp/head9; the machine is shared, so features are extracted once):
  python -m bench.headcv features            # words, gold, features of every corpus passage
  python -m bench.headcv baseline [TREE]     # the detector's spans per passage (TREE: another checkout's detector)
  python -m bench.headcv cv [-v]             # the leave-one-corpus-out table (-v: each corpus, each added span)
  python -m bench.headcv train               # the shipped weights, fieldvault/redact/data/head.npy, from all corpora
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench.corpus import Passage, Scores, load, lowercased
from bench.redaction import CORPORA, DATA

CACHE = Path(os.environ.get("HEAD9_CACHE") or Path(tempfile.gettempdir()) / "head9")  # corpus features, no secrets
HELD_OUT = tuple(f"unseen{n}_corpus.txt" for n in range(3, 15))
FRESH_TREES = {  # the detector each corpus met fresh (model8's trees)
    "f7c1fb5": ("unseen3_corpus.txt", "unseen4_corpus.txt"),
    "d1a1245": ("unseen5_corpus.txt", "unseen6_corpus.txt"),
    "ec5ffee": ("unseen7_corpus.txt", "unseen8_corpus.txt"),
    "a2e2955": ("unseen9_corpus.txt", "unseen10_corpus.txt"),
    "87255d5": ("unseen11_corpus.txt", "unseen12_corpus.txt"),
}
PRECISION_COST = 0.005  # the word precision a fold's threshold may cost the fresh detectors of the other corpora
L2 = 1.0


# ---------------------------------------------------------------- features


def features() -> None:
    from fieldvault.redact.head import word_features
    from fieldvault.redact.model import WINDOW, states

    CACHE.mkdir(parents=True, exist_ok=True)
    for name in CORPORA:
        rows, gold, index = [], [], []
        for n, passage in enumerate(load(DATA / name)):
            if len(passage.text) > WINDOW:
                raise SystemExit(f"{name}: passage {n} is longer than the model's window; split it")
            words, matrix = word_features(passage.text, states(passage.text))
            rows.append(matrix)
            gold += [any(g.start < b and a < g.end for g in passage.gold) for a, b in words]
            index += [(n, a, b) for a, b in words]
        np.savez_compressed(
            CACHE / f"features_{name}.npz", x=np.concatenate(rows), y=np.array(gold), index=np.array(index)
        )
        print(f"{name}: {len(gold)} words, {sum(gold)} in gold spans", flush=True)


def train() -> None:
    """The shipped head: fitted on every corpus, written to fieldvault/redact/data/head.npy (float32 rows: the
    coefficients with the bias last, the means, the spreads), its SHA-256 printed for head.WEIGHTS_SHA256."""
    import hashlib

    from fieldvault.redact.head import WEIGHTS

    data = _load_features()
    w, mean, std = fit(np.concatenate([data[n]["x"] for n in CORPORA]), np.concatenate([data[n]["y"] for n in CORPORA]))
    table = np.zeros((3, len(w)), dtype=np.float32)
    table[0], table[1, :-1], table[2, :-1], table[2, -1] = w, mean, std, 1.0
    np.save(WEIGHTS, table, allow_pickle=False)
    print(f"{WEIGHTS}: {table.shape}, SHA-256 {hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()}")


# ---------------------------------------------------------------- the detector's own spans


_DUMP = """
import importlib.util, json, sys
sys.path.insert(0, sys.argv[1])
spec = importlib.util.spec_from_file_location("corpus_reader", sys.argv[2])
reader = importlib.util.module_from_spec(spec); sys.modules["corpus_reader"] = reader; spec.loader.exec_module(reader)
from fieldvault.redact.detector import detect
out = {}
for path in sys.argv[4:]:
    passages = reader.load(__import__("pathlib").Path(path))
    for form, chosen in (("w", passages), ("l", [reader.lowercased(p) for p in passages])):
        out[path.rsplit("/", 1)[-1] + " " + form] = [
            [[s.start, s.end, s.label, s.source, s.confidence] for s in detect(p.text, list(p.known))] for p in chosen
        ]
        print(path, form, flush=True)
open(sys.argv[3], "w").write(json.dumps(out))
"""


def baseline(tree: Path, names: tuple[str, ...], out: Path) -> None:
    """The spans ``tree``'s detector proposes for every passage of ``names``, both forms (known identifiers given),
    run in a child process so that the tree's own package is imported."""
    corpus_reader = Path(__file__).resolve().parent / "corpus.py"
    paths = [str(DATA / n) for n in names]
    subprocess.run([sys.executable, "-c", _DUMP, str(tree), str(corpus_reader), str(out), *paths], check=True, cwd=tree)


# ---------------------------------------------------------------- training


def _standardise(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    return np.hstack([(x - mean) / std, np.ones((len(x), 1))])


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 12) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Logistic regression by Newton steps with an L2 penalty (not on the bias); features standardised."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = _standardise(x, mean, std).astype(np.float64)
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    target = y.astype(np.float64)

    def loss(v: np.ndarray) -> float:
        margin = z @ v
        return float(np.sum(np.logaddexp(0, margin) - target * margin) + 0.5 * np.sum(penalty * v * v))

    current = loss(w)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w)))
        gradient = z.T @ (p - target) + penalty * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step, size = np.linalg.solve(hessian, gradient), 1.0
        while loss(w - size * step) > current and size > 1e-4:  # damped: a full step may overshoot
            size /= 2
        w, previous = w - size * step, current
        current = loss(w)
        if previous - current < 1e-6 * max(1.0, previous):
            break
    return w, mean, std


def predict(model: tuple[np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    w, mean, std = model
    return 1 / (1 + np.exp(-(_standardise(x, mean, std) @ w)))


# ---------------------------------------------------------------- spans and scores


def head_runs(text: str, words: list[tuple[int, int]], chances: list[float], threshold: float) -> list[tuple[int, int]]:
    """The shipped head's runs (fieldvault/redact/head.py `runs`) at ``threshold``."""
    from fieldvault.redact import head

    shipped = head.THRESHOLD
    head.THRESHOLD = threshold
    try:
        return head.runs(text, words, chances)
    finally:
        head.THRESHOLD = shipped


def head_label(words: list[tuple[int, int]], rows: np.ndarray, run: tuple[int, int]) -> str:
    """The label the shipped head gives ``run`` (its words' model label groups)."""
    from fieldvault.redact.head import _label

    return _label(rows[[run[0] <= a and b <= run[1] for a, b in words]].sum(axis=0))


def filtered(text: str, start: int, end: int, unsure_too: bool, label: str = "PERSON") -> bool:
    """Whether the detector keeps ``text[start:end]`` as it keeps the head's words (`detector.kept`) and, if
    ``unsure_too``, first through the filters for the model's unsure names."""
    from fieldvault.redact import detector as d
    from fieldvault.redact.spans import Span
    from fieldvault.redact.unsure import judged, proper_run

    s: Span | None = Span(start, end, label, "model" if unsure_too else "head", text[start:end], 0.3)
    if unsure_too:
        s = judged(s, text)  # type: ignore[arg-type]
        if s is None or d._ARTICLE.search(text[max(0, s.start - 30) : s.start]):
            return False
        run = proper_run(s, text)
        if d._product(run, text) or d._thing(run, text) or d._weak_thing(run, text) or d._people(run, text):
            return False
        if d._holiday(run, text):
            return False
    assert s is not None
    return d.kept(s, text)


def score(passages: list[Passage], predicted: list[list[tuple[int, int]]]) -> tuple[float, int, float, Scores]:
    from fieldvault.redact.spans import Span

    scores, leaks = Scores(), 0
    for passage, spans in zip(passages, predicted, strict=True):
        as_spans = [Span(a, b, "PERSON", "x", passage.text[a:b]) for a, b in spans]
        scores.add(passage.text, list(passage.gold), as_spans)
        leaks += sum(not any(a < g.end and g.start < b for a, b in spans) for g in passage.gold)
    return scores.recall(), leaks, scores.precision(), scores


def _load_features() -> dict[str, dict[str, np.ndarray]]:
    out = {}
    for name in CORPORA:
        with np.load(CACHE / f"features_{name}.npz") as data:
            out[name] = {k: data[k] for k in ("x", "y", "index")}
    return out


def _threshold(probabilities: np.ndarray, gold: np.ndarray, proposed: np.ndarray) -> float:
    """The smallest threshold at which the head costs the detector at most PRECISION_COST of its word precision on
    the other corpora, each with the detector that met it fresh (out-of-fold probabilities, both forms)."""
    before = gold[proposed].mean()
    for threshold in (*np.arange(0.50, 0.99, 0.01), 0.99, 0.995, 0.998):
        chosen = proposed | (probabilities >= threshold)
        if before - gold[chosen].mean() <= PRECISION_COST:
            return float(threshold)
    return 0.999


def cv() -> None:
    data = _load_features()
    names = list(CORPORA)
    # Out-of-fold probabilities of every corpus (its model trained on all the others).
    oof_path = CACHE / f"oof_l2_{L2:g}.npz"
    if oof_path.exists():
        with np.load(oof_path) as cached:
            oof = {name: cached[name] for name in names}
    else:
        oof = {}
        for name in names:
            train = [n for n in names if n != name]
            model = fit(np.concatenate([data[n]["x"] for n in train]), np.concatenate([data[n]["y"] for n in train]))
            oof[name] = predict(model, data[name]["x"])
            print(f"fold {name}: trained", flush=True)
        np.savez_compressed(oof_path, **oof)
    today = json.loads((CACHE / "baseline_today.json").read_text())
    fresh = {}
    for commit in FRESH_TREES:
        path = CACHE / f"baseline_{commit}.json"
        if path.exists():
            fresh.update(json.loads(path.read_text()))

    def proposed_words(spans_of: dict, name: str, form: str) -> np.ndarray:
        index = data[name]["index"]
        by_passage = spans_of[f"{name} {form}"]
        return np.array([any(s[0] < b and a < s[1] for s in by_passage[n]) for n, a, b in index])

    verbose = "-v" in sys.argv
    thresholds = {}
    for name in HELD_OUT:
        others = [n for n in HELD_OUT if n != name and f"{n} w" in fresh] * 2
        forms = ["w"] * (len(others) // 2) + ["l"] * (len(others) // 2)
        probabilities = np.concatenate([oof[n] for n in others])
        gold = np.concatenate([data[n]["y"] for n in others])
        proposed = np.concatenate([proposed_words(fresh, n, f) for n, f in zip(others, forms, strict=True)])
        thresholds[name] = _threshold(probabilities, gold, proposed)
    print("thresholds chosen on the other corpora: " + " ".join(f"{t:.3f}" for t in thresholds.values()))
    for fixed in (None, 0.95, 0.98, 0.995):
        rows = []
        for name in HELD_OUT:
            threshold = thresholds[name] if fixed is None else fixed
            rows += _fold_rows(name, threshold, data, oof, today, fresh, verbose and fixed is None)
        print(
            f"\npooled, threshold {'chosen per fold' if fixed is None else fixed} (recall / leaked / precision): "
            "detector; + head everywhere; + head on\n  "
            "text without capitals, general filters (as shipped); + head everywhere, unsure and general filters"
        )
        for baseline_name in ("today", "fresh", "honest"):
            for form in ("w", "l"):
                chosen_rows = [r for r in rows if baseline_name in r[1] and r[2] == form]
                pooled = []
                for k in range(4):
                    total = Scores()
                    for row in chosen_rows:
                        total.gold_tokens += row[4][k][3].gold_tokens
                        total.found_tokens += row[4][k][3].found_tokens
                        total.predicted_tokens += row[4][k][3].predicted_tokens
                        total.correct_tokens += row[4][k][3].correct_tokens
                    leaks = sum(row[4][k][1] for row in chosen_rows)
                    pooled.append(f"{total.recall():.3f}/{leaks:>3}/{total.precision():.4f}")
                print(f"  {baseline_name:<7}{form} ({len(chosen_rows):>2} corpora)  " + "  ".join(pooled))


def _fold_rows(name: str, threshold: float, data: dict, oof: dict, today: dict, fresh: dict, verbose: bool) -> list:
    """The held-out corpus ``name`` scored with each detector: as it is; with the head's runs added everywhere; as
    shipped (on passages without capitals, no hard negative); everywhere through the unsure and general filters.
    The row's second item names the detector; "honest" marks the detector that met the corpus fresh (today's for
    unseen13 and unseen14)."""
    rows = []
    passages = load(DATA / name)
    for baseline_name, spans_of in (("today", today), ("fresh", fresh)):
        if f"{name} w" not in spans_of:
            continue
        honest = baseline_name == "fresh" or f"{name} w" not in fresh
        tag = baseline_name + (" honest" if honest else "")
        for form in ("w", "l"):
            chosen = passages if form == "w" else [lowercased(p) for p in passages]
            base = [[(s[0], s[1]) for s in spans] for spans in spans_of[f"{name} {form}"]]
            added_raw, added_shipped, added_filtered = [], [], []
            for n, passage in enumerate(chosen):
                mine = data[name]["index"][:, 0] == n
                words = [(int(a), int(b)) for _, a, b in data[name]["index"][mine]]
                runs = head_runs(passage.text, words, list(oof[name][mine]), threshold)
                new = [r for r in runs if not any(a < r[1] and r[0] < b for a, b in base[n])]
                added_raw.append(new)
                caseless = not any(c.isupper() for c in passage.text)
                labels = {r: head_label(words, data[name]["x"][mine], r) for r in new}
                added_shipped.append([r for r in new if caseless and filtered(passage.text, *r, False, labels[r])])
                added_filtered.append([r for r in new if filtered(passage.text, r[0], r[1], unsure_too=True)])
                if verbose and honest:
                    for a, b in new:
                        right = any(g.start < b and a < g.end for g in passage.gold)
                        kept = "kept" if filtered(passage.text, a, b, False, labels[(a, b)]) else "cut "
                        said = f"{'GOLD ' if right else 'false'} {kept} {passage.text[a:b]!r}"
                        print(f"    {name} {form} {n}: {said}")
            figures = [score(chosen, base)]
            figures.append(score(chosen, [b + a for b, a in zip(base, added_raw, strict=True)]))
            figures.append(score(chosen, [b + a for b, a in zip(base, added_shipped, strict=True)]))
            figures.append(score(chosen, [b + a for b, a in zip(base, added_filtered, strict=True)]))
            rows.append((name, tag, form, threshold, figures))
            if verbose:
                print(
                    f"{name:<22}{baseline_name:<6}{form} thr {threshold:.3f}  "
                    + "  ".join(f"{r:.3f}/{k:>2}/{p:.3f}" for r, k, p, _ in figures),
                    flush=True,
                )
    return rows


def main() -> None:
    step = sys.argv[1] if len(sys.argv) > 1 else "cv"
    if step == "features":
        features()
    elif step == "train":
        train()
    elif step == "baseline":
        CACHE.mkdir(parents=True, exist_ok=True)
        if len(sys.argv) > 2:
            tree = Path(sys.argv[2])
            commit = tree.name.rsplit("_", 1)[-1]
            baseline(tree, FRESH_TREES[commit], CACHE / f"baseline_{commit}.json")
        else:
            baseline(Path(__file__).resolve().parent.parent, CORPORA, CACHE / "baseline_today.json")
    else:
        cv()


if __name__ == "__main__":
    main()
