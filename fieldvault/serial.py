"""The one serialiser for every JSON document a study stores: dataclasses to JSON and back, checked.

A document is a dataclass with a ``schema_version`` field whose default is the version this code writes.
Reading checks that version and every field's type against the dataclass's annotations, so a damaged or
foreign file becomes one BadStudyFile line naming what is wrong, never a KeyError or a half-read object.
Fields added later with defaults read from older files unchanged. A document that was stored before it
carried a ``schema_version`` is read only where its reader says how (``legacy``), since such files exist on
users' disks; anywhere else a missing version means the file is not a fieldvault document.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
import types
import typing
import weakref
from collections.abc import Callable
from typing import Any, TypeVar, Union

from fieldvault.errors import BadStudyFile

T = TypeVar("T")


class _Mismatch(Exception):
    """A value that does not fit its annotation; ``where`` is the JSON path to it."""

    def __init__(self, where: str, expected: str) -> None:
        super().__init__(f"{where or 'the document'} should be {expected}")


def dumps(document: object) -> bytes:
    """The document as UTF-8 JSON (identifiers and names stay readable: no ASCII escapes)."""
    if not dataclasses.is_dataclass(document) or isinstance(document, type):
        raise TypeError(f"{type(document).__name__} is not a dataclass instance")
    return json.dumps(dataclasses.asdict(document), ensure_ascii=False, indent=1).encode()


PAD_BLOCK = 4096  # bytes: a sealed record's plaintext is padded to a multiple of this


def padded(document: object) -> bytes:
    """``dumps(document)`` with spaces after it up to the next multiple of PAD_BLOCK bytes, for a record whose length
    would tell what it holds: age hides a file's bytes, not their number, and a profile sealed on a field kit told her
    answers by its size to whoever held the kit (qa29 QE2: "Ever worked for a trafficker" Yes 698 bytes, No 697,
    Prefer not to say 712). JSON reads the spaces as nothing; ``age -d`` shows them."""
    data = dumps(document)
    return data + b" " * (-len(data) % PAD_BLOCK)


# Deeper than any document fieldvault writes (a transcript's words sit at 4), shallow enough that nothing
# reading a document later (asdict, json.dumps, a walk over it) runs out of Python's stack.
MAX_DEPTH = 32


class TooDeep(ValueError):
    """JSON nested deeper than MAX_DEPTH (or than Python's parser can read): no fieldvault document."""


def parse(data: bytes | str) -> Any:
    """``json.loads`` for anything read from disk or a kit: bad UTF-8, bad JSON and nesting too deep for the
    parser (a RecursionError) or deeper than MAX_DEPTH are each a ValueError, TooDeep for the last two."""
    try:
        doc = json.loads(data)
    except RecursionError:
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    pending, depth = [doc], 0
    while pending:  # breadth first, level by level: no recursion of our own
        depth += 1
        if depth > MAX_DEPTH:
            raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels")
        pending = [
            child
            for value in pending
            for child in (value.values() if isinstance(value, dict) else value if isinstance(value, list) else ())
        ]
    return doc


def parse_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads``, with nesting too deep for its parser a TOMLDecodeError like any other bad TOML."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("arrays or tables nested too deeply") from None


# Turns what a file held before its document carried a version into today's fields; None when it is not
# that old form either (the file is then refused as having no schema version).
Legacy = Callable[[Any], dict[str, Any] | None]


def same_fields(doc: Any) -> dict[str, Any] | None:
    """The ``legacy`` reading of a document whose fields were already today's, only without a version."""
    return doc if isinstance(doc, dict) else None


def loads(
    cls: type[T], data: bytes, what: str, legacy: Legacy | None = None, fix: str = "restore it from a backup"
) -> T:
    """Read a ``cls`` document; ``what`` names it in the error ("the transcript of Rose/2026..."), ``fix``
    says what to do about a damaged one.

    ``legacy`` turns what was written before the document carried a schema_version into today's form
    (``same_fields`` when only the version was missing); without it such a file is refused."""
    try:
        doc = parse(data)
    except TooDeep:
        raise BadStudyFile(f"{what} is nested deeper than any fieldvault document: it is damaged; {fix}") from None
    except ValueError:
        raise BadStudyFile(f"{what} is not valid JSON: the file is damaged; {fix}") from None
    current = _schema_version(cls)
    if legacy is not None and not (isinstance(doc, dict) and "schema_version" in doc):
        upgraded = legacy(doc)
        doc = doc if upgraded is None else {**upgraded, "schema_version": current}
    found = doc.get("schema_version") if isinstance(doc, dict) else None
    if not isinstance(found, int) or isinstance(found, bool):
        raise BadStudyFile(f"{what} has no schema version: it is not a fieldvault document, or it is damaged; {fix}")
    if found > current:
        raise BadStudyFile(
            f"{what} has schema version {found}; this fieldvault reads up to {current}: update fieldvault"
        )
    try:
        return typing.cast(T, _decode(cls, doc, ""))
    except _Mismatch as err:
        raise BadStudyFile(f"{what} is damaged: {err}; {fix}") from None


def _schema_version(cls: type) -> int:
    for f in dataclasses.fields(cls):
        if f.name == "schema_version" and isinstance(f.default, int):
            return f.default
    raise TypeError(f"{cls.__name__} has no schema_version field with a default")


def _decode(tp: Any, value: Any, where: str) -> Any:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any or tp is object:
        return value
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _decode_dataclass(tp, value, where)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for option in (a for a in args if a is not type(None)):
            try:
                return _decode(option, value, where)
            except _Mismatch:
                continue
        raise _Mismatch(where, " or ".join(getattr(a, "__name__", str(a)) for a in args))
    if origin in (tuple, list):
        if not isinstance(value, list):
            raise _Mismatch(where, "a list")
        items = [_decode(args[0] if args else Any, v, f"{where}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, dict):
            raise _Mismatch(where, "an object")
        return {k: _decode(args[1] if args else Any, v, f"{where}.{k}") for k, v in value.items()}
    return _decode_scalar(tp, value, where)


def _decode_scalar(tp: Any, value: Any, where: str) -> Any:
    if tp is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if tp is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if tp in (str, bool) and isinstance(value, tp):
        return value
    raise _Mismatch(where, getattr(tp, "__name__", str(tp)))


# Per dataclass: each field's name, its resolved annotation and whether a document must hold it.
_FIELDS: weakref.WeakKeyDictionary[type, tuple[tuple[str, Any, bool], ...]] = weakref.WeakKeyDictionary()


def _fields(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    """Worked out once per class: typing.get_type_hints evaluates every annotation string anew at each call, most
    of a small document's read. A forward reference that does not resolve yet raises and nothing is kept."""
    found = _FIELDS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = tuple(
            (f.name, hints[f.name], f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
            for f in dataclasses.fields(cls)
        )
        _FIELDS[cls] = found
    return found


def _decode_dataclass(cls: type, value: Any, where: str) -> Any:
    if not isinstance(value, dict):
        raise _Mismatch(where, "an object")
    kwargs = {}
    for name, hint, required in _fields(cls):
        if name in value:
            kwargs[name] = _decode(hint, value[name], f"{where}.{name}" if where else name)
        elif required:
            raise _Mismatch(f"{where}.{name}" if where else name, "present")
    return cls(**kwargs)
