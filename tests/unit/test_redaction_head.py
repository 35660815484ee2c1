"""The learned head over the NER model's last hidden layer (fieldvault/redact/head.py): pinned weights, the pinned
graph's logits unchanged by the extra output, proposals on text without capitals only."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from fieldvault.errors import FieldvaultError
from fieldvault.redact import head, model
from fieldvault.redact.detector import detect


def test_the_weights_are_the_pinned_release_and_fit_the_features() -> None:
    assert hashlib.sha256(head.WEIGHTS.read_bytes()).hexdigest() == head.WEIGHTS_SHA256
    assert hashlib.sha256(head.CASED_WEIGHTS.read_bytes()).hexdigest() == head.CASED_WEIGHTS_SHA256
    assert head._cased_weights().shape == (3, head._weights().shape[1] + head.CASE_FEATURES)
    weights = head._weights()
    text = "my daughter jubilee was born that winter"
    words, rows = head.word_features(text, model.states(text))
    assert len(words) == 7 and weights.shape == (3, rows.shape[1] + 1)
    chances = head.probabilities(weights, rows)
    assert chances[2] >= head.THRESHOLD > max(chances[:2].max(), chances[3:].max())  # "jubilee", no other word


def test_the_trees_are_the_pinned_release_and_read_as_scikit_learn_reads_them() -> None:
    """The product reads the gradient-boosted trees with numpy alone (scikit-learn is a dev dependency): on real
    feature rows (missing values among them, which the trees send the way each node learnt), its chances are
    scikit-learn's predict_proba to 1e-9; the shipped trees fit the features."""
    ensemble = pytest.importorskip("sklearn.ensemble", reason="scikit-learn (a dev dependency) is the reference")
    from bench.lowerhead import as_table

    assert hashlib.sha256(head.TREES.read_bytes()).hexdigest() == head.TREES_SHA256
    text = (
        "my daughter jubilee was born that winter, and we stayed with my aunt rosalind in wenatchee. "
        "then the boss at the golden moon karaoke, a guy they call tiger, took our papers and sent us to reno. "
    )
    _, rows = head.word_features(text, model.states(text))
    x = head.with_neighbours(rows).astype(np.float64)
    assert head._trees()[1:, head.FEATURE].max() < x.shape[1] and head._trees().shape[1] == 7
    x = np.concatenate([x + np.random.default_rng(k).normal(scale=0.05, size=x.shape) for k in range(10)])
    frequency = rows.shape[1] - head.CHEAP  # the word's Zipf frequency (/ 8)
    y = x[:, frequency] < np.median(x[:, frequency])
    x[::7, frequency] = np.nan  # missing values: each node sends them the way it learnt
    trees = ensemble.HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(x, y)
    assert len(x) > 300 and trees.n_iter_ == 30
    chances = head.tree_probabilities(as_table(trees), x)
    assert np.abs(chances - trees.predict_proba(x)[:, 1]).max() < 1e-9
    assert 0.05 < chances.mean() < 0.95  # chances that vary, not a constant the trees fell back on


def test_a_word_the_regression_leaves_and_the_trees_take_is_proposed() -> None:
    """detect22: in text without capitals a word is taken where the regression (THRESHOLD) or the trees
    (TREES_THRESHOLD) take it: a shelter's name the regression alone left (unseen58's, held out of both)."""
    text = "the shelter, um, safe harbour home, and the case for me went on."
    assert "safe harbour" in [s.text for s in detect(text)]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("my boyfriend, jealous, broke my phone", "jealous"),  # an adjective set off by commas ("my brother, drunk,")
        ("he said it's easy, x, y, z, like that", "y"),  # the alphabet said letter by letter ("a, b, c, d")
        ("on el dia de la madre he brought flowers", "de"),  # a particle between a feast's words ("día de los")
    ],
)
def test_a_word_the_trees_take_by_its_neighbours_alone_is_left_to_the_regression(text: str, word: str) -> None:
    """detect23: the trees read the words beside a word and take some that name nothing by themselves (the hard
    negatives of the other unit files: "drunk", "g e d", "motels", "de" of "día de los muertos"); `head.union` leaves
    those to the regression, which does not take them. The trees do take these (the rule, not a low chance, is what
    keeps them), and nothing is proposed over them."""
    words, rows = head.word_features(text, model.states(text))
    k = [text[a:b] for a, b in words].index(word)
    regression = head.probabilities(head._weights(), rows)
    trees = head.tree_probabilities(head._trees(), head.with_neighbours(rows))
    assert trees[k] >= head.TREES_THRESHOLD and regression[k] < head.THRESHOLD
    assert head.union(text, words, regression, trees)[k] == regression[k]
    at = text.index(f" {word}") + 1
    assert not any(s.start <= at < s.end for s in detect(text)), [s.text for s in detect(text)]


def test_what_the_trees_may_not_take_alone_is_no_name_on_the_lists() -> None:
    """`head.misread`'s everyday words are those no name or place list holds: a surname that is a plural ("banks")
    or a first name that is an adjective ("misty") stays the trees' to take; the same word beside a taken word
    ("safe" of "safe harbour") is a name's word, not a description."""
    text = "and banks never got caught, misty was drunk, safe harbour home"
    words = [(m.start(), m.end()) for m in head._WORD.finditer(text)]
    at = {text[a:b]: k for k, (a, b) in enumerate(words)}
    alone = np.zeros(len(words), dtype=bool)
    assert [head.misread(text, words, at[w], alone) for w in ("banks", "misty", "drunk", "safe")] == [
        False,
        False,
        True,
        True,
    ]
    beside = alone.copy()
    beside[at["harbour"]] = True
    assert not head.misread(text, words, at["safe"], beside)


@pytest.mark.parametrize("which", ["WEIGHTS", "TREES", "CASED_WEIGHTS"])
def test_damaged_weights_are_refused_in_one_line(
    which: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Weights changed by one byte (damage, or someone making the head miss names) are never used: the redaction
    commands refuse in one line, as for the model's own files; the cased head's and the trees' as the head's."""
    from fieldvault import cli

    original = getattr(head, which)
    copy = tmp_path / original.name
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0x01
    copy.write_bytes(bytes(data))
    source = tmp_path / "passage.txt"
    source.write_text("my daughter jubilee was born that winter", encoding="utf-8")
    monkeypatch.setattr(head, which, copy)
    head._weights.cache_clear()
    head._trees.cache_clear()
    head._cased_weights.cache_clear()
    try:
        with pytest.raises(FieldvaultError, match="damaged or not the tested release"):
            detect("my daughter jubilee was born that winter")
        assert cli.main(["redact-text", str(source), "--json"]) == 1
        out, err = capsys.readouterr()
        lines = err.strip().splitlines()
        assert out == "" and len(lines) == 1 and original.name in lines[0]
    finally:
        monkeypatch.undo()
        head._weights.cache_clear()
        head._trees.cache_clear()
        head._cased_weights.cache_clear()
    assert [s.text for s in detect("my daughter jubilee was born that winter")] == ["jubilee"]


def test_the_extra_output_leaves_the_pinned_graphs_logits_as_they_are() -> None:
    """The hidden layer is read by adding an output in memory; the pinned file, run as it is, gives the same
    label probabilities, and the file itself is untouched (its SHA-256 still the tested release's)."""
    import onnxruntime
    from tokenizers import Tokenizer

    folder = model.model_dir()
    session = onnxruntime.InferenceSession(str(folder / "onnx" / "model_q4.onnx"), providers=["CPUExecutionProvider"])
    text = "we stayed with my aunt rosalind in wenatchee that winter"
    encoding = Tokenizer.from_file(str(folder / "tokenizer.json")).encode(text)
    feeds = {
        "input_ids": np.array([encoding.ids], dtype=np.int64),
        "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
        "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
    }
    logits = session.run(None, feeds)[0][0]
    expected = np.exp(logits - logits.max(axis=-1, keepdims=True))
    expected /= expected.sum(axis=-1, keepdims=True)
    read = model.states(text)
    assert np.allclose(read.probabilities, expected, atol=1e-5)
    assert read.hidden.shape == (len(encoding.ids), 384)
    with (folder / "onnx" / "model_q4.onnx").open("rb") as pinned:
        assert hashlib.file_digest(pinned, "sha256").hexdigest() == model.SHA256["onnx/model_q4.onnx"]


def test_text_without_capitals_gets_the_heads_words_and_cased_text_the_cased_heads() -> None:
    """A word name no other layer finds lowercased ("jubilee"): the head finds it in text without capitals, and the
    cased head (head17) in a cased sentence, where a name left lowercase mid-sentence is no capital rule's; a school
    year, a grade or a sum of money in a cased sentence is no name to it (hard negatives)."""
    lowered = detect("my daughter jubilee was born that winter")
    assert [(s.text, s.source) for s in lowered] == [("jubilee", "head")]
    assert [(s.text, s.source) for s in detect("My daughter jubilee was born that winter.")] == [("jubilee", "head")]
    for text in (
        "She was in Year 9 at the time, and then Grade 10.",
        "We paid R300 for the room.",
        "The court heard it as Criminal Case No. 22/0981 MC/CRIM.",  # the kind of number ("Criminal" 0.98)
    ):
        assert all(s.source != "head" for s in detect(text)) and head.find_with_head(text) == []


def test_the_case_features_read_the_case_and_the_contexts_everyday_names_leaked_in() -> None:
    """The cased head's features (head17): a capital mid-sentence, not one that starts a sentence; a naming word a few
    words before ("everyone say tiger"); a word set off by commas ("another girl, ginger, no")."""
    text = "Then everyone say Tiger. another girl, ginger, no"
    words, rows = head.word_features(text, model.states(text))
    case = head.case_features(text, words, rows)
    said = [text[a:b] for a, b in words]
    assert said == ["Then", "everyone", "say", "Tiger", "another", "girl", "ginger", "no"]
    capital, opens, middle, naming, set_off = case[:, 0], case[:, 1], case[:, 2], case[:, 10], case[:, 11]
    assert capital.tolist() == [1, 0, 0, 1, 0, 0, 0, 0] and middle.tolist() == [0, 0, 0, 1, 0, 0, 0, 0]
    assert opens.tolist() == [1, 0, 0, 0, 1, 0, 0, 0]
    assert naming[3] == 1 and naming[0] == 0 and set_off.tolist() == [0, 0, 0, 0, 0, 0, 1, 0]


def test_a_lowercase_stretch_of_a_cased_transcript_gets_the_heads_words() -> None:
    """Whisper sometimes stops casing for a while: a sentence without capitals inside cased text is read by the head
    as uncased text is, and the cased sentences beside it are not."""
    text = "We talked for an hour. my daughter jubilee was born that winter. Then my daughter jubilee left."
    assert [(s.text, s.source, s.start) for s in detect(text)] == [("jubilee", "head", 35)]
    assert head.uncased(text) == [(23, 65)]
    assert head.uncased("Okay. yeah. so we moved! Then") == [(6, 25)]  # neighbouring sentences join
    assert head.uncased("She said it. He did too.") == []


def test_a_run_of_the_head_needs_a_letter() -> None:
    """A bare number the head is sure of (a year, a count, a house number) is the numbers' rules' to judge."""
    text = "in 2014 she was at 1442 maple"
    words = [(3, 7), (8, 11), (12, 15), (16, 18), (19, 23), (24, 29)]
    assert head.runs(text, words, [0.99, 0.1, 0.1, 0.1, 0.99, 0.99]) == [(19, 29)]
    assert head.runs(text, words, [0.99, 0.1, 0.1, 0.1, 0.99, 0.1]) == []


def test_a_hard_negative_the_head_is_sure_of_is_not_proposed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The head's words pass the hard negatives like the other layers' additions ("higher power")."""
    from fieldvault.redact import detector
    from fieldvault.redact.spans import Span

    text = "she found her higher power in that program in wenatchee"
    sure = [
        Span(14, 26, "PERSON", "head", "higher power", 0.99),
        Span(35, 42, "ORG", "head", "program", 0.99),  # a kind of place alone (head.uncovered)
        Span(46, 55, "LOCATION", "head", "wenatchee", 0.99),
    ]
    monkeypatch.setattr(detector, "find_with_head", lambda _text: sure)
    assert [s.text for s in detect(text)] == ["wenatchee"]


def test_the_installed_package_data_includes_the_weights() -> None:
    """A wheel carries the heads' files (pyproject's package-data): without them every redaction command refuses."""
    import tomllib

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["fieldvault.redact"]
    assert all(any(w.match(pattern) for pattern in patterns) for w in (head.WEIGHTS, head.TREES, head.CASED_WEIGHTS))


def test_the_heads_words_that_another_layer_took_are_left_out_and_the_rest_kept() -> None:
    """A run of the head that overlaps another layer's span keeps its other words ("k" of "debra k" where a rule took
    "debra"), so a lower threshold that joins a word to a run never loses what the run alone found."""
    text = "i did two years at debra k. johnson, that's the women's prison."
    assert head.uncovered(text, (19, 26), [(19, 24)]) == [(25, 26)]
    assert head.uncovered(text, (19, 26), []) == [(19, 26)]
    assert head.uncovered(text, (19, 35), [(25, 26)]) == [(19, 24), (28, 35)]
    assert head.uncovered(text, (19, 26), [(10, 40)]) == []
    said = "then renata drove us home"
    assert head.uncovered(said, (5, 17), [(5, 11)]) == []  # a verb after the name is no part of it
    assert head.runs(said, [(5, 11), (12, 17), (18, 20)], [0.99, 0.99, 0.1]) == [(5, 11)]


def test_the_words_beside_a_word_are_features_past_the_fillers() -> None:
    """The context words (head14): a calling word before a word ("they call she sugar", past "she"), a kin word or
    title before it, a body's kind word after it ("hope house"); a word with nothing before it reads none."""
    text = "sugar, they call she sugar at hope house"
    words, rows = head.word_features(text, model.states(text))
    context = rows[:, -head.CHEAP + 10 :]
    calling, kin, kind_at, kind_after = context[:, 0], context[:, 1], context[:, 3], context[:, 4]
    said = [text[a:b] for a, b in words]
    assert said == ["sugar", "they", "call", "she", "sugar", "at", "hope", "house"]
    assert calling.tolist() == [0, 0, 0, 1, 1, 0, 0, 0] and not kin.any()
    assert kind_after.tolist() == [0] * 6 + [1, 0] and kind_at.tolist() == [0] * 7 + [1]


def test_a_run_that_names_nothing_is_dropped_whatever_its_chances() -> None:
    """The alphabet's letters in order and words said among English (folded, as the detector hands them over) make
    no run; a kind of place alone ("salon", "highway": the name is the words before it) is no piece unless it ends a
    name another layer took ("juniper" + "house"). Initials stay."""
    text = "a b c d, pale kweyol, k c, the salon, a highway, juniper house"
    words = [(m.start(), m.end()) for m in head._WORD.finditer(text)]
    sure = head.runs(text, words, [0.99] * len(words))
    assert [text[a:b] for a, b in sure] == ["k c", "the salon", "a highway", "juniper house"]
    assert head.names_nothing("palé") and not head.names_nothing("k c") and not head.names_nothing("a c")
    salon, highway, house = (text.index(w) for w in ("salon", "highway", "house"))
    assert head.uncovered(text, (salon, salon + 5), []) == []
    assert head.uncovered(text, (highway, highway + 7), []) == []
    assert head.uncovered(text, (house - 8, house + 5), [(house - 8, house - 1)]) == [(house, house + 5)]
    assert head.uncovered(text, (house, house + 5), []) == []


def test_titles_and_people_in_general_are_no_part_of_the_heads_runs() -> None:
    """A rank, an office or a respect at a run's start is left out ("dc hollingworth": the corpora mark titles outside
    the name), a run of titles alone is none ("garda"), a title that is a first name stays ("don"); people in general
    ("a lebanese man", "the container port guys") are no piece unless they end a name another layer took ("ti guy")."""
    text = "dc hollingworth and garda nolan came, then don and a lebanese man, the port guys and ti guy"
    words = [(m.start(), m.end()) for m in head._WORD.finditer(text)]
    sure = {"dc", "hollingworth", "garda", "don", "man", "guys", "ti", "guy"}
    chances = [0.99 if text[a:b] in sure else 0.1 for a, b in words]
    assert [text[a:b] for a, b in head.runs(text, words, chances)] == [
        "hollingworth",
        "don",
        "man",
        "guys",
        "ti guy",
    ]
    man, guys, ti = text.index(" man,") + 1, text.index("guys"), text.index("ti guy")
    assert head.uncovered(text, (man, man + 3), []) == []
    assert head.uncovered(text, (guys, guys + 4), []) == []
    assert head.uncovered(text, (ti, ti + 6), [(ti, ti + 2)]) == [(ti + 3, ti + 6)]
    assert head.uncovered(text, (ti + 3, ti + 6), []) == []


def test_the_words_that_make_a_common_word_a_thing_are_features() -> None:
    """head15's features: a title or kin word at the word ("garda"), an article right before it (past no filler:
    "the main drag"), and whether the word and its neighbours are everyday words no name list holds ("main", "drag";
    not "nolan")."""
    text = "garda nolan put us on the main drag"
    words, rows = head.word_features(text, model.states(text))
    said = [text[a:b] for a, b in words]
    assert said == ["garda", "nolan", "put", "us", "on", "the", "main", "drag"]
    cue_at, article, everyday, before_everyday, after_everyday = (rows[:, -head.CHEAP + 20 + k] for k in range(5))
    assert cue_at.tolist() == [1, 0, 0, 0, 0, 0, 0, 0]
    assert article.tolist() == [0, 0, 0, 0, 0, 0, 1, 0]
    assert everyday[6] == everyday[7] == 1 and everyday[1] == 0
    assert after_everyday[6] == 1 and before_everyday[7] == 1 and after_everyday[0] == 0  # "nolan" is a name


def test_a_letter_or_two_of_a_phrase_is_no_piece_and_initials_stay() -> None:
    """A letter or two right after an everyday word ("plan b", "saw ga") or an article's word ("the big c") is part
    of a phrase; initials after a title, a calling word, a pause or an article stay, and so do letters that end a
    name another layer took ("big mama" + "t")."""
    for text, letters in (("plan b was all", "b"), ("and the big c took him", "c"), ("i miss is saw ga thing", "ga")):
        start = text.index(f" {letters} ") + 1
        assert head.uncovered(text, (start, start + len(letters)), []) == []
    for text, letters in (("her ms. b at home", "b"), ("called him c j, he", "c j"), ("my ex, j r, he", "j r")):
        start = text.index(f" {letters}") + 1
        assert head.uncovered(text, (start, start + len(letters)), []) == [(start, start + len(letters))]
    said = "her big mama t. she"
    assert head.uncovered(said, (13, 14), [(4, 12)]) == [(13, 14)]
    assert head.uncovered(said, (13, 14), []) == []


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "..."])
def test_a_text_without_words_proposes_nothing_and_never_crashes(text: str) -> None:
    """`redact-text` of an empty file or a pipe nobody wrote to: the cased head read no word and crashed (CI, 17:20)."""
    assert detect(text) == []


def test_features_far_from_any_seen_give_certain_chances_without_overflow() -> None:
    """A word whose features lie far outside the training spread (CI met one in the export leak test) gets a chance
    of 0 or 1, with no overflow warning from numpy's exp."""
    weights = head._weights()
    width = weights.shape[1] - 1
    far = weights[1, :width] + 1e6 * np.sign(weights[0, :width]) * weights[2, :width]
    rows = np.stack([far, 2 * weights[1, :width] - far])
    with np.errstate(over="raise"):
        chances = head.probabilities(weights, rows)
    assert chances[0] == pytest.approx(1.0) and chances[1] == pytest.approx(0.0)
