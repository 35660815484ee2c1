"""QA (backup): a byte flipped in an age file's *header* over the same payload was taken for a re-wrap, so a backup
without the key copied it over the backup's good copy. A re-wrap draws a fresh ephemeral share and wraps the file
key anew for every recipient (C2SP age), so no stanza line nor the MAC survives it; a flipped byte changes one line
and leaves the rest. That is told apart without the key, and the backup's copy is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault.agefile import X25519Identity
from fieldvault.stewardship.backup import backup
from fieldvault.stewardship.rewrap import remove_recipient
from fieldvault.study import Study

FILE = "journal/2026-11-24-1.md.age"


def _lines(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, line) of each header line, up to and including the MAC line."""
    found, at = [], 0
    while True:
        end = data.index(b"\n", at) + 1
        found.append((at, data[at:end]))
        if data[at:end].startswith(b"--- "):
            return found
        at = end


def _where(data: bytes, part: str) -> int:
    lines = _lines(data)
    stanza = next(i for i, (_, line) in enumerate(lines) if line.startswith(b"-> X25519 "))
    at = lines[stanza][0]
    return {
        "share": at + len(b"-> X25519 ") + 5,
        "body": lines[stanza + 1][0] + 5,
        "type": at + len(b"-> X2"),
        "mac": lines[-1][0] + len(b"--- ") + 5,
        "second share": lines[stanza + 2][0] + len(b"-> X25519 ") + 5,
    }[part]


def _flipped(data: bytes, at: int) -> bytes:
    """One letter of base64 (or of the stanza type) turned into another, so the header still parses."""
    swapped = {ord("A"): b"B"[0], ord("B"): b"A"[0]}.get(data[at], ord("A"))
    return data[:at] + bytes([swapped]) + data[at + 1 :]


@pytest.fixture
def backed_up(study: Study, identities: list, tmp_path: Path) -> Path:
    reader = X25519Identity.generate()
    study.add_recipient(str(reader.recipient()), "trx", identities)  # two stanzas: the study's and the reader's
    study.write_new(FILE, b"she said the shelter was full" * 100)
    backup(study, tmp_path / "usb")
    return tmp_path / "usb"


@pytest.mark.parametrize("part", ["share", "body", "type", "mac", "second share"])
def test_a_byte_flipped_in_a_header_never_replaces_the_backups_copy(
    study: Study, identities: list, backed_up: Path, part: str
) -> None:
    path = study.root / FILE
    good = path.read_bytes()
    path.write_bytes(_flipped(good, _where(good, part)))
    assert path.read_bytes() != good
    result = backup(study, backed_up)  # without the key
    assert [name for name, _ in result.kept] == [FILE], part
    assert "header that differs from the backup's copy in one place" in result.kept[0][1]
    assert "--authenticate" in result.kept[0][1]
    assert (backed_up / FILE).read_bytes() == good
    result = backup(study, backed_up, identities=identities)  # the key says which copy is damaged
    assert "fails its authentication" in dict(result.kept)[FILE]
    assert (backed_up / FILE).read_bytes() == good


def test_a_real_rewrap_is_a_new_version_and_is_copied_twice_over(
    study: Study, identities: list, backed_up: Path
) -> None:
    before = (study.root / FILE).read_bytes()
    remove_recipient(study, "trx", identities)  # every header re-wrapped over the same payload
    after = (study.root / FILE).read_bytes()
    assert after != before and after[-100:] == before[-100:]
    for _ in range(2):
        result = backup(study, backed_up)
        assert result.kept == ()
        assert (backed_up / FILE).read_bytes() == after


def test_a_header_that_no_longer_parses_is_kept_out_too(study: Study, backed_up: Path) -> None:
    path = study.root / FILE
    good = path.read_bytes()
    path.write_bytes(good.replace(b"-> X25519 ", b"-> X25519  ", 1))  # an empty argument
    result = backup(study, backed_up)
    assert "damaged header" in dict(result.kept)[FILE]
    assert (backed_up / FILE).read_bytes() == good
