"""The one serialiser: round trips, schema versions, and damaged files as one-line errors."""

from __future__ import annotations

import dataclasses
import importlib
import json
import re
import sys
import typing
from pathlib import Path
from typing import Any

import pytest

from fieldvault import serial
from fieldvault.errors import BadStudyFile
from fieldvault.events import Event, SessionEvents
from fieldvault.participants import ConsentRecord, Profile
from fieldvault.redact.review import ProposedSpan, Redactions
from fieldvault.transcript import Marker, Segment, Transcript, Word


def _transcript() -> Transcript:
    words = (Word(0.0, 0.4, "Hello", 0.9), Word(0.4, 1.0, "there", 0.8))
    return Transcript(
        "Rosé", "s1", (Segment(0.0, 1.0, "Hello there", "Participant", words),), (Marker(0.0, "prompt", "Tell me"),),
        {"name": "tiny.en"}, "faster-whisper", {"beam": 5}, 1.0, 0.5, "2026-11-25T10:00:00+00:00",
    )  # fmt: skip


DOCUMENTS = [
    _transcript(),
    Redactions("Rosé", "s1", "ab" * 32, [ProposedSpan(0, 0, 0, 5, "PERSON", "known", "Hello", "hello")]),
    SessionEvents("Rosé", "s1", {"rate": 16000}, [Event(1.5, "prompt", "Tell me", 0), Event(2.0, "note")]),
    Profile("Rosé", {"age": 44, "venues": ["Street"], "skip": None}, ConsentRecord("verbal", "a", "b", "t"), "t"),
]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: type(d).__name__)
def test_every_stored_document_round_trips(document: object) -> None:
    data = document.to_json()  # type: ignore[attr-defined]  # each document class has to_json/from_json
    assert type(document).from_json(data) == document  # type: ignore[attr-defined]  # every document class has from_json
    assert "Rosé".encode() in data  # names stay readable UTF-8, not escaped


@pytest.mark.parametrize(
    ("mutate", "says"),
    [
        (lambda doc: doc.pop("segments"), "segments should be present"),
        (lambda doc: doc.update(segments="nope"), "segments should be a list"),
        (lambda doc: doc["segments"][0].update(start="x"), "segments[0].start should be float"),
        (lambda doc: doc.update(schema_version=99), "update fieldvault"),
        (lambda doc: doc.pop("schema_version"), "no schema version"),
    ],
)
def test_a_damaged_transcript_is_one_line_naming_what_is_wrong(mutate, says: str) -> None:
    doc = json.loads(_transcript().to_json())
    mutate(doc)
    with pytest.raises(BadStudyFile, match=re.escape(says)) as caught:
        Transcript.from_json(json.dumps(doc).encode())
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("data", [b"", b"\xff\xfe", b"[1, 2]", b"null", b'{"schema_version": true}'])
def test_not_a_document_at_all(data: bytes) -> None:
    with pytest.raises(BadStudyFile):
        Redactions.from_json(data)


def test_fields_added_later_read_from_older_files() -> None:
    doc = json.loads(_transcript().to_json())
    doc.pop("extra")  # an older transcript, written before the field existed
    assert Transcript.from_json(json.dumps(doc).encode()).extra == {}


@pytest.mark.parametrize("depth", [40, 100_000])  # parsed but deeper than any document; past Python's parser
def test_json_nested_too_deeply_is_a_damaged_file(depth: int) -> None:
    with pytest.raises(BadStudyFile, match="nested deeper than any fieldvault document") as caught:
        Transcript.from_json(b"[" * depth + b"]" * depth, "transcript.json.age")
    assert "transcript.json.age" in str(caught.value)


@pytest.mark.parametrize(
    "config",
    [b"{not json", b"[1, 2]", b'{"alignment_heads": [[9, 0]]}', b'{"alignment_heads": [[0, -1]]}',
     b'{"alignment_heads": [[0, 1, 2]]}', b'{"alignment_heads": [["a", 0]]}', b"[" * 100000],
)  # fmt: skip
def test_a_crafted_model_config_is_one_line_not_a_traceback(config: bytes, tmp_path: Path) -> None:
    """An imported CTranslate2 folder's config.json is third-party: read through serial.parse and checked
    before the openai-whisper conversion uses its head numbers."""
    from fieldvault.errors import BadInput
    from fieldvault.transcribe.checkpoint import alignment_heads

    path = tmp_path / "config.json"
    path.write_bytes(config)
    with pytest.raises(BadInput, match=r"config\.json is damaged .* copy the model folder again"):
        alignment_heads(path, {"n_text_layer": 4, "n_text_head": 6})
    path.write_bytes(b'{"alignment_heads": [[2, 3], [3, 5]]}')
    assert alignment_heads(path, {"n_text_layer": 4, "n_text_head": 6})


def test_each_type_s_annotations_are_resolved_once_and_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclasses.dataclass(frozen=True)
    class Doc:  # a fresh type: no test has read one before
        n: int
        tags: tuple[str, ...] = ()
        schema_version: int = 1

    resolved: list[object] = []
    real = typing.get_type_hints

    def counted(cls: type, *args: Any, **kwargs: Any) -> dict[str, Any]:
        resolved.append(cls)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(typing, "get_type_hints", counted)
    data = b'{"schema_version": 1, "n": 3, "tags": ["a", "b"]}'
    assert [serial.loads(Doc, data, "the doc") for _ in range(3)] == [Doc(3, ("a", "b"))] * 3
    assert resolved == [Doc]
    with pytest.raises(BadStudyFile, match=r"the doc is damaged: n should be present"):  # still checked each time
        serial.loads(Doc, b'{"schema_version": 1}', "the doc")
    with pytest.raises(BadStudyFile, match=r"tags\[1\] should be str"):
        serial.loads(Doc, b'{"schema_version": 1, "n": 3, "tags": ["a", 2]}', "the doc")


def test_a_forward_reference_not_yet_defined_is_not_kept_unresolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "serial_later.py").write_text(
        "from __future__ import annotations\nfrom dataclasses import dataclass\n\n\n@dataclass(frozen=True)\n"
        "class Outer:\n    inner: Inner | None = None\n    schema_version: int = 1\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "serial_later", raising=False)
    module = importlib.import_module("serial_later")
    data = b'{"schema_version": 1, "inner": {"name": "x"}}'
    with pytest.raises(NameError):
        serial.loads(module.Outer, data, "the doc")

    @dataclasses.dataclass(frozen=True)
    class Inner:
        name: str

    monkeypatch.setattr(module, "Inner", Inner, raising=False)  # defined after the first read
    assert serial.loads(module.Outer, data, "the doc") == module.Outer(Inner("x"))
