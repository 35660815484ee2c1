"""Recovery of age files whose writer died before the final chunk."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from fieldvault.agefile import CHUNK, AgeWriter, X25519Identity, decrypt_bytes, encrypt_bytes
from fieldvault.agefile.recovery import is_sealed, recover
from fieldvault.errors import FieldvaultError, TruncatedFile
from tests.conftest import need


def _unfinished(path: Path, identity: X25519Identity, data: bytes, extra_tail: int) -> None:
    """Write ``data`` without finishing, then append a torn piece of the next chunk, as a crash leaves it."""
    with path.open("wb") as out:
        writer = AgeWriter(out, [identity.recipient()])
        writer.write(data)
        writer.flush()
        out.write(os.urandom(extra_tail))


@pytest.mark.parametrize("chunks, torn", [(0, 0), (1, 0), (3, 100), (3, CHUNK), (5, 17)])
def test_truncated_recording_recovers_all_but_last_chunk(tmp_path: Path, chunks: int, torn: int) -> None:
    identity = X25519Identity.generate()
    data = os.urandom(chunks * CHUNK + 500)  # the 500 bytes stay in the writer's buffer: lost in the crash
    path = tmp_path / "audio.wav.age"
    _unfinished(path, identity, data, torn)
    original = path.read_bytes()
    assert not is_sealed(path, [identity])

    result = recover(path, [identity])

    assert not result.already_complete
    kept = chunks * CHUNK
    assert result.bytes_recovered == kept
    assert result.bytes_lost == max(torn - 16, 0)
    assert decrypt_bytes(path.read_bytes(), [identity]) == data[:kept]
    assert result.backup is not None and result.backup.read_bytes() == original
    assert is_sealed(path, [identity])


def test_recovered_file_decrypts_with_age(tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    key = tmp_path / "key.txt"
    key.write_text(f"{identity}\n")
    data = os.urandom(4 * CHUNK)
    path = tmp_path / "rec.age"
    _unfinished(path, identity, data + b"more", 40)
    broken = subprocess.run([need("age"), "-d", "-i", str(key), str(path)], capture_output=True, check=False)
    assert broken.returncode != 0 and broken.stdout == data  # age releases the intact chunks, then fails
    recover(path, [identity])
    done = subprocess.run([need("age"), "-d", "-i", str(key), str(path)], capture_output=True, check=True)
    assert done.stdout == data


def test_complete_file_is_left_alone(tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    path = tmp_path / "ok.age"
    path.write_bytes(encrypt_bytes(os.urandom(2 * CHUNK), [identity.recipient()]))
    before = path.read_bytes()
    assert is_sealed(path, [identity])
    assert recover(path, [identity]).already_complete
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.damaged"))


def test_second_recovery_refuses_to_overwrite_the_kept_original(tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    path = tmp_path / "rec.age"
    _unfinished(path, identity, os.urandom(2 * CHUNK + 1), 0)
    recover(path, [identity])
    _unfinished(path, identity, os.urandom(2 * CHUNK + 1), 0)
    before = path.read_bytes()
    with pytest.raises(FieldvaultError, match="earlier recovery"):
        recover(path, [identity])
    assert path.read_bytes() == before
    with pytest.raises(TruncatedFile):
        decrypt_bytes(before, [identity])
