"""A second head for text written without capitals (issue 9's lever after detect19): does another learned head over
Rampart's features catch more of what the detector leaks lowercased, judged by corpus-level cross-validation on every
seen corpus (tests/data/redaction/), as written, lowercased and mixed?

Folds are whole corpora (bench.redaction.CORPORA in order, FOLD corpora a fold): a head is trained on the other folds'
words and scores this fold's, so no passage of a corpus is on both sides. The base is the detector as it ships with
its heads off (`detector.find_with_head` returning nothing: the rules, the NER layers, her list), run once per form;
each head's runs are added as the detector adds them (`head.runs`, `head.uncovered`, `detector.kept`), cased
sentences by the shipped cased head at head.CASED_THRESHOLD in every column, so the columns differ only in what reads
the sentences without capitals. The base detector's rules were tuned on these corpora, so absolute figures are better
than fresh ones; the columns are compared with each other.

Columns: the detector alone; + the shipped heads (head.npy: in-sample on most corpora, for reference only); + a
logistic regression on head.word_features retrained out of fold (today's design); + each candidate out of fold:
  ctx   the same regression with the neighbours' features (the label probabilities and the case-blind word features of
        the two words either side)
  lc    the regression with `head.case_features` of the passage lowercased (the cased head's contexts, which read
        lowercase too: a naming word before, set off by commas, a clause's first word before a verb, said again;
        the lowercased form's rows serve every form's uncased words, a close approximation at a stretch's edges)
  lcctx both
  mlp   a one-hidden-layer network (torch, CPU) on the features; mlpctx with the neighbours'
  hgb   gradient-boosted trees (scikit-learn) on the features; hgbctx with the neighbours'
A threshold grid is printed for each (pooled recall / leaked spans / precision), since heads compare at equal
precision, not at one threshold.

Measured (detect20, main 2472320, 54 corpora, 9338 gold spans a form; recall / leaked spans / precision):
  detector alone        w 0.9615/256/0.9234  l 0.9421/371/0.9282  m 0.9557/282/0.9253
  + shipped heads       w 0.9685/203/0.9217  l 0.9541/281/0.9256  m 0.9641/220/0.9234  (in-sample)
  + lr out of fold 0.85 w 0.9701/190/0.9208  l 0.9573/263/0.9235  m 0.9663/205/0.9219
                   0.90 w 0.9685/200/0.9215  l 0.9540/279/0.9251  m 0.9641/216/0.9230
                   0.92 w 0.9678/205/0.9220  l 0.9530/286/0.9258  m 0.9633/222/0.9236
                   0.94 w 0.9669/211/0.9223  l 0.9515/297/0.9266  m 0.9623/229/0.9240
Out of fold, today's head at its threshold (0.92) is within 5 leaked spans of the shipped weights in-sample.

The candidates (`quick`: one split, whole corpora held out; words the detector leaves uncovered lowercased, gold
taken / not gold taken at 0.80 / 0.85 / 0.90 / 0.92 / 0.94; nice'd outside the CPU queue, which was hours long):
  held out:   unseen41..52 (688 gold words uncovered)          unseen29..40 (312)
    lr     +233/-139 +207/-98  +176/-65 +153/-51 +128/-44   +140/-115 +127/-85 +101/-56 +89/-44  +77/-34
    lc     +232/-138 +212/-100 +173/-64 +157/-53 +135/-44   +140/-112 +127/-85 +97/-52  +87/-41  +77/-33
    ctx    +250/-146 +218/-103 +177/-73 +161/-60 +138/-52   +143/-111 +132/-86 +110/-61 +101/-56 +86/-46
    mlp    +232/-120 +198/-81  +149/-52 +130/-45 +109/-32   +117/-123 +96/-94  +79/-67  +66/-45  +55/-33
    mlpctx +210/-88  +176/-65  +136/-39 +115/-26 +91/-17    +105/-97  +93/-79  +72/-51  +62/-44  +52/-23
At equal false alarms no linear or network candidate beats today's regression on both splits: lc and ctx trace its
curve within a few words; the networks win a little on the first split's high-precision end and lose clearly on the
second (at 44 false words: 89 gold for the regression, 62-66 for the networks).
Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, 200 iterations, defaults otherwise) do:
  hgbctx at 0.50 / 0.65 / 0.80 / 0.85 / 0.90 / 0.92 / 0.94
    unseen41..52  +388/-298 +313/-164 +227/-81 +192/-54 +145/-37 +130/-28 +107/-16
    unseen29..40  (0.80 on) +121/-74 +109/-49 +85/-23 +76/-18 +62/-15
  hgb (no neighbours), unseen29..40, 0.80 on: +106/-74 +93/-55 +71/-39 +65/-32 +50/-25
At equal false words the trees with the neighbours' features take about a fifth more gold words than the regression
on both splits (unseen41..52: 192 vs about 158 at 54 false, 227 vs about 192 at 81; unseen29..40: 109 vs about 95 at
49, 85 vs about 65 at 23). Word counts before `head.runs`, `head.uncovered` and `detector.kept`: `cv hgbctx` (span
leaks, precision, every form) is the judge before anything ships, then a tree reader in numpy for head.py.

Span level (detect21, main d9098d7; `split FIRST LAST lr hgbctx`: 12 corpora held out, each head trained once on the
other 46; recall / leaked spans / precision; unseen41..52 2892 gold spans a form, unseen29..40 2790):
                   unseen41..52                           unseen29..40
                   as written         lowercased          as written         lowercased
  detector alone   0.9355/119/0.8941  0.8978/183/0.8972   0.9668/ 68/0.9238  0.9524/ 88/0.9278
  lr     @0.50     0.9569/ 80/0.8841  0.9407/102/0.8784   0.9815/ 28/0.9103  0.9760/ 33/0.9050
         @0.65     0.9533/ 91/0.8891  0.9334/121/0.8874   0.9800/ 31/0.9145  0.9741/ 38/0.9134
         @0.80     0.9488/ 95/0.8917  0.9245/137/0.8925   0.9773/ 38/0.9190  0.9701/ 48/0.9203
         @0.85     0.9472/ 97/0.8923  0.9208/141/0.8943   0.9765/ 40/0.9201  0.9680/ 52/0.9229
         @0.90     0.9444/100/0.8931  0.9156/147/0.8956   0.9751/ 42/0.9212  0.9659/ 54/0.9249
         @0.92     0.9435/102/0.8933  0.9133/151/0.8956   0.9739/ 47/0.9213  0.9645/ 59/0.9251
         @0.94     0.9428/104/0.8937  0.9115/156/0.8962   0.9724/ 51/0.9217  0.9625/ 64/0.9258
  hgbctx @0.50     0.9579/ 79/0.8871  0.9451/ 99/0.8849   0.9820/ 32/0.9116  0.9779/ 36/0.9100
         @0.65     0.9527/ 88/0.8927  0.9340/119/0.8932   0.9800/ 35/0.9165  0.9753/ 42/0.9173
         @0.80     0.9484/ 96/0.8943  0.9241/136/0.8967   0.9766/ 44/0.9205  0.9701/ 55/0.9236
         @0.85     0.9454/100/0.8944  0.9181/145/0.8970   0.9753/ 48/0.9216  0.9672/ 60/0.9253
         @0.90     0.9435/104/0.8943  0.9138/151/0.8975   0.9735/ 52/0.9225  0.9639/ 67/0.9267
         @0.92     0.9425/107/0.8945  0.9113/156/0.8975   0.9727/ 53/0.9230  0.9622/ 71/0.9274
         @0.94     0.9419/108/0.8944  0.9090/161/0.8978   0.9716/ 54/0.9232  0.9601/ 73/0.9275
(lr@0.92 is today's design at its threshold.) On unseen41..52, at equal or better precision the trees leak fewer
spans in both forms: hgbctx@0.80 against lr@0.92, 136 against 151 lowercased (precision 0.8967 / 0.8956) and 96
against 102 as written (0.8943 / 0.8933); hgbctx@0.65 against lr@0.80, 119 against 137 lowercased (0.8932 / 0.8925),
88 against 95 as written (0.8927 / 0.8917). On unseen29..40 it is a wash lowercased (hgbctx@0.85 60 at 0.9253, lr@0.92
59 at 0.9251; hgbctx@0.65 42 at 0.9173, lr between 38 at 0.9134 and 48 at 0.9203) and worse as written (hgbctx@0.85
48 at 0.9216, lr@0.90 42 at 0.9212; hgbctx@0.80 44 at 0.9205, lr@0.85 40 at 0.9201). The span-level gain holds on one
split of two; mixed not scored.
Not shipped: the trees trained on all 58 corpora (200 trees, read by a numpy reader in place of head.npy) break floors
of tests/unit/test_redaction.py::test_unseen_corpus_figures_do_not_drop at every threshold tried. Floors broken (of 110:
55 corpora, two forms), by this bench's scoring with the trees in-sample: 0.50 25, 0.55 17, 0.60 10, 0.65 5, 0.70 4,
0.75 7, 0.80 12, 0.85 22, 0.90 35, 0.94 47 (rough: the same scoring flags 11 for the shipped regression at 0.92
(borderline recall and precision, 0.003 off), which passes for real). The detector itself (`detect`, as the test) on the
corpora concerned breaks floors at every threshold it was run at, 0.50 to 0.80 (at 0.65 / 0.70 / 0.75 / 0.80: 5 / 4 / 7
/ 7): unseen29 as written (recall 0.9799 against 0.98 at 0.65-0.70), unseen37 as written (9 leaked against 8 from 0.70;
precision 0.9296 against 0.93), unseen38 lowercased (3 leaked against 2 from 0.60; precision 0.9036-0.905 against 0.91
at 0.50-0.55), unseen33 lowercased (precision 0.9116-0.9182 against 0.92 from 0.50 to 0.75), unseen33 and unseen38 as
written (precision 0.9073-0.9098 against 0.91 and 0.8976-0.899 against 0.90 at 0.50-0.55), unseen19 both forms (3 leaked
against 2 from 0.75). In-sample catches of the regression the trees lose, and common words they add, as head17's retrain
did.

The union, lr|hgbctx (detect22, main 7637a72): a word taken where the regression at 0.92 or the trees at a threshold
take it. Judged where no head was fitted (recall / leaked / precision):
  unseen57..60 (`fresh`: head.npy and detect21's trees as they are; 965 gold spans a form; base spans with Y5's rules)
                     as written         lowercased
  detector alone     0.9556/ 45/0.9140  0.9225/ 70/0.9161
  head.npy @0.92     0.9605/ 39/0.9119  0.9333/ 58/0.9135   (as shipped)
  trees    @0.80     0.9620/ 39/0.9124  0.9378/ 55/0.9143
           @0.90     0.9585/ 43/0.9138  0.9299/ 62/0.9159
  union    @0.65     0.9659/ 33/0.9098  0.9447/ 47/0.9084
           @0.80     0.9640/ 35/0.9109  0.9412/ 49/0.9107
           @0.90     0.9615/ 38/0.9119  0.9368/ 54/0.9120
  unseen41..52 and unseen29..40 (`split FIRST LAST lr hgbctx 'lr|hgbctx'`: both refitted on the other corpora,
  unseen57..60 included; 2892 and 2790 gold spans a form)
                     unseen41..52                          unseen29..40
  lr       @0.92     0.9437/101/0.8934  0.9134/150/0.8957   0.9744/ 43/0.9214  0.9647/ 55/0.9252   (today's design)
  hgbctx   @0.80     0.9484/ 95/0.8935  0.9242/137/0.8966   0.9776/ 41/0.9205  0.9709/ 52/0.9236
  union    @0.80     0.9499/ 92/0.8931  0.9278/128/0.8951   0.9789/ 36/0.9194  0.9726/ 45/0.9218
           @0.90     0.9471/ 95/0.8935  0.9219/134/0.8962   0.9763/ 42/0.9213  0.9688/ 52/0.9249
At 0.90 the union leaks fewer spans on all three at the same precision or a hair under (unseen41..52's precision is
below the issue's 0.90 for every column, the detector alone included), and with it in the detector every floor of
test_unseen_corpus_figures_do_not_drop holds (59 corpora, both forms, checked with `detect`). NOT shipped all the same:
it proposes hard negatives the unit tests hold ("my brother, drunk, hit the wall", "i got my g e d in prison", "easy as
a, b, c, d", "we stayed in motels mostly, sometimes we stayed in cars", "on día de los muertos": 10 tests of
tests/unit/test_redaction_*.py fail with it, all pass without), and there was no time to find a threshold or a rule
that keeps them.

Shipped by detect23 (main b71dc14) with a rule for what the trees take by their neighbours alone (`head.misread`: a
surname's particle, spelled letters that spell an abbreviation or the alphabet, a lone adjective or plural noun no
name or place list holds), which keeps those hard negatives out; the column "guarded" is the union with that rule, as
the detector reads it (`guarded`, `head.union`). Held out (recall / leaked / precision):
  unseen57..64 (`fresh unseen57_corpus.txt unseen64_corpus.txt`; 61..64 new this session, neither file saw 57..64;
  1930 gold spans a form)
                     as written         lowercased
  detector alone     0.9411/101/0.9057  0.9097/137/0.9063
  head.npy @0.92     0.9509/ 85/0.9031  0.9267/113/0.9024   (as shipped before)
  union    @0.90     0.9526/ 82/0.9033  0.9322/106/0.9018
  guarded  @0.80     0.9541/ 78/0.9025  0.9359/ 97/0.9008
           @0.90     0.9524/ 83/0.9032  0.9317/107/0.9017   (as shipped)
  unseen41..52, unseen29..40 (`split`, both refitted on the other corpora, as detect22's)
                     unseen41..52                          unseen29..40
  union    @0.90     0.9471/ 95/0.8935  0.9219/134/0.8962   0.9763/ 42/0.9213  0.9688/ 52/0.9249
  guarded  @0.80     0.9497/ 92/0.8931  0.9267/129/0.8950   0.9785/ 38/0.9198  0.9721/ 47/0.9224
           @0.90     0.9469/ 96/0.8935  0.9210/135/0.8961   0.9763/ 42/0.9213  0.9688/ 52/0.9249
The rule costs one leaked span in each form of unseen57..64 and 41..52, none on 29..40: against lr@0.92 the shipped
union leaks 2-6 spans fewer as written and 6-15 fewer lowercased on every held-out set, precision within 0.001.

Steps (cached under $HEAD9_CACHE, as bench/headcv.py):
  python -m bench.headcv features     # the word features of every corpus (shared with bench/headcv.py)
  python -m bench.lowerhead baseline  # the detector's spans with its heads off, every corpus, three forms
  python -m bench.lowerhead cv [HEAD ...]                 # lr ctx lc lcctx mlp mlpctx (slow: minutes a head)
  python -m bench.lowerhead quick FIRST LAST [HEAD ...]   # one split, FIRST..LAST held out (a minute a head)
  python -m bench.lowerhead split FIRST LAST [HEAD ...]   # the same split, scored as cv scores (spans, two forms)
                                                          # (a head's chances cached; 'lr|hgbctx' after lr hgbctx)
  python -m bench.lowerhead baseline [CORPUS ...]         # only those corpora's base, added to the cache
  python -m bench.lowerhead fresh FIRST LAST TREES        # corpora no head saw: head.npy, TREES (a node table, as
                                                          # detect21's patch writes) and their union
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import numpy as np

from bench.corpus import Passage, Scores
from bench.headcv import (
    CACHE,
    FORMS,
    _load_features,
    _passages,
    _words,
    filtered,
    fit,
    head_label,
    predict,
    score,
)
from bench.redaction import CORPORA

FOLD = 4  # corpora a fold: 14 folds over the 54 files
THRESHOLDS = (0.50, 0.65, 0.80, 0.85, 0.90, 0.92, 0.94)  # the trees' chances run lower than the regression's
BASE = CACHE / "lowerhead_base.json"


def baseline(names: list[str] | None = None) -> None:
    """The shipped detector's spans with its heads off, for every passage of every corpus in every form; with
    ``names``, of those corpora alone, added to what is cached."""
    from fieldvault.redact import detector

    detector.find_with_head = lambda text: []  # the rules and layers alone
    out = json.loads(BASE.read_text()) if names and BASE.exists() else {}
    for name in names or CORPORA:
        for form in FORMS:
            out[f"{name} {form}"] = [
                [[s.start, s.end] for s in detector.detect(p.text, list(p.known))] for p in _passages(name, form)
            ]
        print(name, flush=True)
    BASE.write_text(json.dumps(out))


def folds() -> list[tuple[str, ...]]:
    return [CORPORA[k : k + FOLD] for k in range(0, len(CORPORA), FOLD)]


# ---------------------------------------------------------------- candidate features and heads


def lowercased_case_features(data: dict, name: str) -> np.ndarray:
    """`head.case_features` of the corpus lowercased: what the cased head reads besides the case itself (a naming
    word before, set off by commas, a clause's first word before a verb, said again), which reads lowercase too."""
    from fieldvault.redact.head import case_features

    rows = []
    for n, passage in enumerate(_passages(name, "l")):
        mine, words = _words(data, name, n)
        rows.append(case_features(passage.text, words, data[name]["x"][mine]))
    return np.concatenate(rows)


def train_mlp(
    x: np.ndarray, y: np.ndarray, hidden: int = 32, epochs: int = 6, seed: int = 0
) -> Callable[[np.ndarray], np.ndarray]:
    """A one-hidden-layer network (tanh), Adam, weight decay; returns a function of feature rows to chances."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    xt = torch.tensor((x - mean) / std, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32)
    net = torch.nn.Sequential(
        torch.nn.Dropout(0.2), torch.nn.Linear(x.shape[1], hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1)
    )
    optimiser = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-2)
    loss = torch.nn.BCEWithLogitsLoss()
    for _ in range(epochs):
        order = torch.randperm(len(xt))
        for k in range(0, len(xt), 512):
            batch = order[k : k + 512]
            optimiser.zero_grad()
            loss(net(xt[batch]).squeeze(1), yt[batch]).backward()
            optimiser.step()
    net.eval()

    def chances(rows: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            z = torch.tensor((rows - mean) / std, dtype=torch.float32)
            return torch.sigmoid(net(z).squeeze(1)).numpy()

    return chances


def head_rows(data: dict, name: str, head: str) -> np.ndarray:
    """The feature rows ``head`` reads: head.word_features, the neighbours' (ctx), the lowercased case features (lc)."""
    from fieldvault.redact.head import with_neighbours

    x = data[name]["x"]
    rows = with_neighbours(x, data[name]["index"][:, 0]) if "ctx" in head else x
    return np.hstack([rows, lowercased_case_features(data, name)]) if "lc" in head else rows


def trained(head: str, x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """``head`` fitted on ``x``, ``y``: the network for mlp..., else the regression."""
    if head.startswith("mlp"):
        return train_mlp(x, y)
    if head.startswith("hgb"):  # gradient-boosted trees (scikit-learn, a dev dependency's): nonlinear, tabular
        trees = boosted(x, y)
        return lambda rows: trees.predict_proba(rows)[:, 1]
    model = fit(x, y)
    return lambda rows: predict(model, rows)


def boosted(x: np.ndarray, y: np.ndarray):  # scikit-learn's classifier: a dev dependency
    """Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier: 200 iterations at most, its defaults
    otherwise, early stopping on a tenth of the rows included), fitted on ``x``, ``y``."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, random_state=0).fit(x, y)


def as_table(trees) -> np.ndarray:  # a fitted HistGradientBoostingClassifier
    """``trees`` as `head._trees` lays them out (`head.tree_probabilities`): row 0 the baseline's logit, then every
    tree's nodes, its root first, children numbered across the table."""
    from fieldvault.redact import head

    parts = [np.zeros((1, 7))]
    parts[0][0, head.FEATURE], parts[0][0, head.VALUE] = -1, float(trees._baseline_prediction.ravel()[0])
    start = 0
    for (predictor,) in trees._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise SystemExit("a categorical split: head.tree_probabilities reads numeric splits only")
        table = np.zeros((len(nodes), 7))
        leaf = nodes["is_leaf"].astype(bool)
        table[:, head.FEATURE] = np.where(leaf, -1, nodes["feature_idx"])
        table[:, head.SPLIT] = np.where(leaf, 0.0, nodes["num_threshold"])
        table[:, head.LEFT] = np.where(leaf, 0, nodes["left"] + start)
        table[:, head.RIGHT] = np.where(leaf, 0, nodes["right"] + start)
        table[:, head.VALUE] = np.where(leaf, nodes["value"], 0.0)
        table[:, head.MISSING_LEFT] = nodes["missing_go_to_left"]
        table[0, head.ROOT] = 1
        parts.append(table)
        start += len(nodes)
    return np.concatenate(parts)


def train() -> None:
    """The trees the detector reads beside the regression in uncased stretches: hgbctx fitted on every corpus the
    cache holds features of, written to fieldvault/redact/data/head_trees.npy (`as_table`), its SHA-256 printed for
    head.TREES_SHA256. The shipped file (detect21) was fitted on the 58 corpora up to unseen56."""
    import hashlib

    from fieldvault.redact.head import TREES

    data = _load_features()
    x = np.concatenate([head_rows(data, n, "hgbctx") for n in CORPORA])
    trees = boosted(x, np.concatenate([data[n]["y"] for n in CORPORA]))
    np.save(TREES, as_table(trees), allow_pickle=False)
    print(f"{TREES}: {trees.n_iter_} trees, SHA-256 {hashlib.sha256(TREES.read_bytes()).hexdigest()}")


QUICK = ("lr", "lc", "ctx", "mlp", "mlpctx")


def quick(first: str, last: str, heads: list[str]) -> None:
    """One split, cheap enough to run outside the CPU queue: each head trained on every corpus but ``first`` ..
    ``last`` (whole corpora, bench.redaction.CORPORA's order), then, on those corpora lowercased, the words the
    detector (its heads off) leaves uncovered that the head takes at each threshold, gold and not. Word counts, not
    spans: `cv` is the judge; this only says which heads are worth its time."""
    data = _load_features()
    base = json.loads(BASE.read_text())
    test = CORPORA[CORPORA.index(first) : CORPORA.index(last) + 1]
    uncovered = np.concatenate(
        [
            [not any(s[0] < b and a < s[1] for s in base[f"{name} l"][n]) for a, b in _words(data, name, n)[1]]
            for name in test
            for n in range(len(_passages(name, "l")))
        ]
    )
    gold = np.concatenate([data[n]["y"] for n in test])
    print(f"{len(test)} corpora held out, {int((uncovered & gold).sum())} gold words the detector leaves uncovered")
    for head in heads:
        x = np.concatenate([head_rows(data, n, head) for n in CORPORA if n not in test])
        chances = trained(head, x, np.concatenate([data[n]["y"] for n in CORPORA if n not in test]))
        p = np.concatenate([chances(head_rows(data, n, head)) for n in test])
        print(
            f"  {head:<7}"
            + "  ".join(
                f"{t:.2f} +{int((uncovered & gold & (p >= t)).sum())}/-{int((uncovered & ~gold & (p >= t)).sum())}"
                for t in (0.50, 0.65, 0.80, 0.85, 0.90, 0.92, 0.94)
            ),
            flush=True,
        )


def out_of_fold(data: dict, head: str) -> dict[str, np.ndarray]:
    """Every corpus's chances from ``head`` trained on the other folds (cached)."""
    path = CACHE / f"lowerhead_oof_{head}.npz"
    if path.exists():
        with np.load(path) as cached:
            return {name: cached[name] for name in CORPORA}
    rows = {n: head_rows(data, n, head) for n in CORPORA}
    oof = {}
    for fold in folds():
        train = [n for n in CORPORA if n not in fold]
        x, y = np.concatenate([rows[n] for n in train]), np.concatenate([data[n]["y"] for n in train])
        chances = trained(head, x, y)
        for name in fold:
            oof[name] = chances(rows[name])
        print(f"{head}: fold {fold[0]}..{fold[-1]} trained", flush=True)
    np.savez_compressed(path, **oof)  # type: ignore[arg-type]  # numpy's stub reads the first keyword as allow_pickle
    return oof


# ---------------------------------------------------------------- scoring


def _shipped(
    data: dict, names: tuple[str, ...], forms: tuple[str, ...]
) -> tuple[dict[str, np.ndarray], dict[tuple[str, str], np.ndarray]]:
    """The shipped uncased head's chances (form-blind) and the shipped cased head's per form."""
    from fieldvault.redact.head import _cased_weights, _weights, case_features, probabilities

    plain = {n: probabilities(_weights(), data[n]["x"]) for n in names}
    cased = {}
    for name in names:
        for form in forms:
            rows = []
            for n, p in enumerate(_passages(name, form)):
                mine, words = _words(data, name, n)
                rows.append(np.hstack([data[name]["x"][mine], case_features(p.text, words, data[name]["x"][mine])]))
            cased[name, form] = probabilities(_cased_weights(), np.concatenate(rows))
    return plain, cased


def added(
    passage: Passage,
    words: list[tuple[int, int]],
    rows: np.ndarray,
    lower: np.ndarray,
    plain: np.ndarray,
    cased: np.ndarray,
    threshold: float,
    base: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """The pieces the heads add to ``base`` as `detector._head_spans` adds them: runs of the uncased words at
    ``threshold`` and of the cased words at head.CASED_THRESHOLD, less what the base covers, kept by the rules."""
    from fieldvault.redact.head import CASED_THRESHOLD, _kind_of_number, runs, uncovered

    text, out = passage.text, []
    for mask, chances, at in ((lower, plain, threshold), (~lower, cased, CASED_THRESHOLD)):
        mine = [w for w, m in zip(words, mask, strict=True) if m]
        found = runs(text, mine, [float(c) for c, m in zip(chances, mask, strict=True) if m], at)
        if at == CASED_THRESHOLD:
            found = [r for r in found if not _kind_of_number(text, *r)]
        out += [
            piece
            for r in found
            for piece in uncovered(text, r, base)
            if _kept(text, piece, head_label(words, rows, piece))
        ]
    return out


_KEPT: dict[tuple[str, tuple[int, int], str], bool] = {}


def _kept(text: str, piece: tuple[int, int], label: str) -> bool:
    """`filtered`, remembered: every column asks it of the same pieces."""
    key = (text, piece, label)
    if key not in _KEPT:
        _KEPT[key] = filtered(text, *piece, label)
    return _KEPT[key]


def held_out(data: dict, head: str, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """``names``' chances from ``head`` trained once on every other corpus (`cv --split`), cached (the corpora the
    cache holds features of at the time decide what it was trained on)."""
    path = CACHE / f"lowerhead_split_{head}_{names[0]}_{names[-1]}.npz"
    if path.exists():
        with np.load(path) as cached:
            return {name: cached[name] for name in names}
    chances = trained(
        head,
        np.concatenate([head_rows(data, n, head) for n in CORPORA if n not in names]),
        np.concatenate([data[n]["y"] for n in CORPORA if n not in names]),
    )
    out = {n: chances(head_rows(data, n, head)) for n in names}
    np.savez_compressed(path, **out)  # type: ignore[arg-type]  # numpy's stub reads the first keyword as allow_pickle
    print(f"{head}: trained on every corpus but {names[0]}..{names[-1]}", flush=True)
    return out


def cv(heads: list[str], split: tuple[str, ...] | None = None, trees: str = "") -> None:
    """The table over every corpus by folds; with ``split`` (whole corpora), over those alone, each head trained once
    on all the others, as written and lowercased; the head "trees" read from the file ``trees``."""
    from bench.headcv import _uncased_words

    names, forms = (CORPORA, FORMS) if split is None else (split, ("w", "l"))
    data = _load_features()
    base_all = json.loads(BASE.read_text())
    plain_shipped, cased = _shipped(data, names, forms)
    columns: list[tuple[str, dict[str, np.ndarray] | None, float]] = [("detector", None, 1.0)]
    columns.append(("shipped(in-sample)", plain_shipped, 0.92))
    reads = {}
    for head in heads:
        if head == UNION:
            continue
        if head == "trees":  # trees written out already (`fresh`), read as the detector reads them
            from fieldvault.redact.head import tree_probabilities

            table = np.load(trees, allow_pickle=False)
            reads[head] = {n: tree_probabilities(table, head_rows(data, n, "hgbctx")) for n in names}
        else:
            reads[head] = out_of_fold(data, head) if split is None else held_out(data, head, split)
        columns += [(f"{head}@{t:.2f}", reads[head], t) for t in THRESHOLDS]
    if UNION in heads:  # the regression trained beside the trees, else the shipped one; the trees trained or read
        regression = reads.get("lr", plain_shipped)
        grown = reads["hgbctx"] if "hgbctx" in reads else reads["trees"]
        either = {n: np.where(regression[n] >= LR_THRESHOLD, 1.0, grown[n]) for n in names}
        columns += [(f"{UNION}@{t:.2f}", either, t) for t in THRESHOLDS]
        columns += [(f"guarded@{t:.2f}", guarded(data, names, regression, grown, t), t) for t in THRESHOLDS]
    pooled = {(c[0], f): Scores() for c in columns for f in forms}
    leaked = dict.fromkeys(pooled, 0)
    for name in names:
        for form in forms:
            passages = _passages(name, form)
            base = [[(a, b) for a, b in spans] for spans in base_all[f"{name} {form}"]]
            for label, chances, threshold in columns:
                predicted = []
                for n, passage in enumerate(passages):
                    mine, words = _words(data, name, n)
                    if chances is None:
                        predicted.append(base[n])
                        continue
                    lower = _uncased_words(passage.text, words)
                    extra = added(
                        passage,
                        words,
                        data[name]["x"][mine],
                        lower,
                        chances[name][mine],
                        cased[name, form][mine],
                        threshold,
                        base[n],
                    )
                    predicted.append(base[n] + extra)
                _, leaks, _, scores = score(passages, predicted)
                for counter in ("gold_tokens", "found_tokens", "predicted_tokens", "correct_tokens"):
                    getattr(pooled[label, form], counter).update(getattr(scores, counter))
                leaked[label, form] += leaks
        print(name, flush=True)
    spans = sum(len(p.gold) for n in names for p in _passages(n, "w"))
    print(f"\npooled over {len(names)} corpora ({spans} gold spans a form): recall / leaked / precision")
    for label, _, _ in columns:
        print(
            f"  {label:<20}"
            + "  ".join(
                f"{f} {pooled[label, f].recall():.4f}/{leaked[label, f]:>4}/{pooled[label, f].precision():.4f}"
                for f in forms
            )
        )


def guarded(
    data: dict, names: tuple[str, ...], regression: dict[str, np.ndarray], grown: dict[str, np.ndarray], at: float
) -> dict[str, np.ndarray]:
    """The union as the detector reads it (`head.union`: the trees' words it misreads left to the regression), each
    passage's words judged in its text, the trees against ``at``."""
    from fieldvault.redact.head import union

    out = {}
    for name in names:
        out[name] = np.where(regression[name] >= LR_THRESHOLD, 1.0, grown[name])
        for n, passage in enumerate(_passages(name, "l")):
            mine, words = _words(data, name, n)
            out[name][mine] = union(passage.text, words, regression[name][mine], grown[name][mine], at)
    return out


UNION = "lr|hgbctx"  # a word taken where the regression at LR_THRESHOLD or the trees at the column's threshold take it
LR_THRESHOLD = 0.92  # head.THRESHOLD


def main() -> None:
    step = sys.argv[1] if len(sys.argv) > 1 else "cv"
    if step == "baseline":
        baseline(sys.argv[2:])
    elif step == "train":
        train()
    elif step == "quick":
        quick(sys.argv[2], sys.argv[3], sys.argv[4:] or list(QUICK))
    elif step == "split":  # split FIRST LAST [HEAD ...]: those corpora held out, one training a head
        first, last = CORPORA.index(sys.argv[2]), CORPORA.index(sys.argv[3])
        cv(sys.argv[4:] or list(QUICK), CORPORA[first : last + 1])
    elif step == "fresh":  # fresh FIRST LAST TREES: corpora no head saw; the shipped heads and TREES as they are
        first, last = CORPORA.index(sys.argv[2]), CORPORA.index(sys.argv[3])
        cv(["trees", UNION], CORPORA[first : last + 1], sys.argv[4])
    else:
        cv(sys.argv[2:] or list(QUICK))


if __name__ == "__main__":
    main()
