"""Destroying a file overwrites its age header (the only home of its file key) before unlinking it;
re-wrapping wipes the old header the same way."""

from __future__ import annotations

import os

import pytest

from fieldvault.agefile import X25519Identity, decrypt_bytes, encrypt_bytes
from fieldvault.errors import FieldvaultError
from fieldvault.stewardship.rewrap import rewrap_file
from fieldvault.stewardship.shred import shred_file, shred_tree


def test_shredding_overwrites_the_header_of_the_very_blocks_then_unlinks(tmp_path) -> None:
    key = X25519Identity.generate()
    sealed = encrypt_bytes(b"interview" * 50_000, [key.recipient()])
    path = tmp_path / "audio.wav.age"
    path.write_bytes(sealed)
    with path.open("rb") as held:  # the inode outlives the name while it is open
        shred_file(path)
        assert not path.exists()
        left = held.read()
    header = sealed.index(b"\n---") + 4 + 44 + 16  # version, stanza, MAC line and nonce
    assert left[:header] != sealed[:header] and not left.startswith(b"age-encryption.org")
    assert left[header + 100 :] == sealed[header + 100 :]  # the payload was not touched: it is noise now
    with pytest.raises(FieldvaultError):
        decrypt_bytes(left, [key])


def test_a_plaintext_file_is_overwritten_whole_and_a_tree_removed(tmp_path) -> None:
    folder = tmp_path / "Rosa" / "20261101-100000"
    folder.mkdir(parents=True)
    (folder / "recording.lock").write_text('{"pid": 1, "host": "fieldlaptop"}')
    with (folder / "recording.lock").open("rb") as held:
        assert shred_tree(tmp_path / "Rosa") == 1
        assert b"fieldlaptop" not in held.read()
    assert not (tmp_path / "Rosa").exists()


def test_rewrapping_wipes_the_old_header_the_removed_key_could_open(tmp_path) -> None:
    study_key, leaving, staying = (X25519Identity.generate() for _ in range(3))
    data = os.urandom(200_000)
    path = tmp_path / "transcript.json.age"
    path.write_bytes(encrypt_bytes(data, [study_key.recipient(), leaving.recipient(), staying.recipient()]))
    with path.open("rb") as old:
        rewrap_file(path, [study_key], [study_key.recipient(), staying.recipient()])
        with pytest.raises(FieldvaultError):
            decrypt_bytes(old.read(), [leaving])  # even the old blocks no longer give up the file key
    assert decrypt_bytes(path.read_bytes(), [staying]) == data
    with pytest.raises(FieldvaultError):
        decrypt_bytes(path.read_bytes(), [leaving])
