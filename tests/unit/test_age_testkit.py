"""The C2SP age test vectors (CCTV, tests/data/age-testkit): every non-armored, non-post-quantum one."""

from __future__ import annotations

import hashlib
import io
import zlib
from pathlib import Path

import pytest

from fieldvault.agefile import AgeReader, Identity, ScryptIdentity, X25519Identity
from fieldvault.errors import (
    BadArmor,
    HeaderTampered,
    MalformedHeader,
    NoIdentityMatched,
    NotAnAgeFile,
    PayloadTampered,
    TruncatedFile,
    WrongPassphrase,
)

KIT = Path(__file__).parent.parent / "data" / "age-testkit"

EXPECTED = {
    "header failure": (MalformedHeader, NotAnAgeFile),
    "HMAC failure": (HeaderTampered,),
    "no match": (NoIdentityMatched, WrongPassphrase),
    "payload failure": (PayloadTampered, TruncatedFile),
}


def _load(path: Path) -> tuple[dict[str, list[str]], bytes]:
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n\n")
    fields: dict[str, list[str]] = {}
    for line in head.decode().splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value)
    if fields.get("compressed") == ["zlib"]:
        body = zlib.decompress(body)
    return fields, body


def _vectors() -> list[Path]:
    chosen = []
    for path in sorted(KIT.iterdir()):
        fields, _ = _load(path)
        pq = any(i.startswith("AGE-SECRET-KEY-PQ") for i in fields.get("identity", []))
        if "armored" in fields or pq or path.name.startswith("hybrid"):
            continue
        chosen.append(path)
    return chosen


def test_kit_has_the_92_vectors_fieldvault_must_pass() -> None:
    assert len(_vectors()) == 92


@pytest.mark.parametrize("path", _vectors(), ids=lambda p: p.name)
def test_age_testkit_vector(path: Path) -> None:
    fields, body = _load(path)
    identities: list[Identity] = [X25519Identity.parse(i) for i in fields.get("identity", [])]
    identities += [ScryptIdentity(p.encode()) for p in fields.get("passphrase", [])]
    expect = fields["expect"][0]
    released = hashlib.sha256()
    if expect == "success":
        reader = AgeReader(io.BytesIO(body), identities)
        for chunk in reader.chunks():
            released.update(chunk)
        assert released.hexdigest() == fields["payload"][0]
        assert reader.file_key.hex() == fields["file key"][0]
        return
    with pytest.raises(EXPECTED[expect]):
        for chunk in AgeReader(io.BytesIO(body), identities).chunks():
            released.update(chunk)
    if expect == "payload failure":
        assert released.hexdigest() == fields["payload"][0]


def _armored_vectors() -> list[Path]:
    chosen = []
    for path in sorted(KIT.iterdir()):
        fields, _ = _load(path)
        pq = any(i.startswith("AGE-SECRET-KEY-PQ") for i in fields.get("identity", []))
        if "armored" in fields and not pq:
            chosen.append(path)
    return chosen


@pytest.mark.parametrize("path", _armored_vectors(), ids=lambda p: p.name)
def test_armored_testkit_vector(path: Path) -> None:
    fields, body = _load(path)
    identities: list[Identity] = [X25519Identity.parse(i) for i in fields.get("identity", [])]
    identities += [ScryptIdentity(p.encode()) for p in fields.get("passphrase", [])]
    expect = fields["expect"][0]
    released = hashlib.sha256()
    if expect == "success":
        for chunk in AgeReader(io.BytesIO(body), identities).chunks():
            released.update(chunk)
        assert released.hexdigest() == fields["payload"][0]
        return
    with pytest.raises({**EXPECTED, "armor failure": (BadArmor, NotAnAgeFile)}[expect]):
        for chunk in AgeReader(io.BytesIO(body), identities).chunks():
            released.update(chunk)


def test_kit_has_the_armored_vectors() -> None:
    assert len(_armored_vectors()) == 32
