"""Interop with the reference `age` CLI (Debian package age), in both directions."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pexpect
import pytest

from fieldvault.agefile import (
    CHUNK,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    X25519Recipient,
    decrypt_bytes,
    encrypt_bytes,
    parse_identity_file,
)
from tests.conftest import need

SIZES = [0, 1, CHUNK, CHUNK + 1, 5 * CHUNK + 77]


def _age(*args: str, data: bytes = b"") -> bytes:
    done = subprocess.run([need("age"), *args], input=data, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def _keygen(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    subprocess.run([need("age-keygen"), "-o", str(path)], check=True, capture_output=True)
    return path


def _age_with_passphrase(args: list[str], passphrase: str, prompts: int) -> None:
    """age reads passphrases only from a terminal: give it one."""
    child = pexpect.spawn(need("age"), args, timeout=60)
    for _ in range(prompts):
        child.expect("passphrase")
        child.sendline(passphrase)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before


@pytest.mark.parametrize("size", SIZES)
def test_fieldvault_file_decrypts_with_age_identity(tmp_path: Path, size: int) -> None:
    key = _keygen(tmp_path, "key.txt")
    identity = parse_identity_file(key.read_text())[0]
    data = os.urandom(size)
    sealed = tmp_path / "file.age"
    sealed.write_bytes(encrypt_bytes(data, [identity.recipient()]))
    assert _age("-d", "-i", str(key), str(sealed)) == data


def test_multi_recipient_fieldvault_file_decrypts_with_each_age_key(tmp_path: Path) -> None:
    keys = [_keygen(tmp_path, f"k{i}.txt") for i in range(3)]
    recipients = [parse_identity_file(k.read_text())[0].recipient() for k in keys]
    data = os.urandom(2 * CHUNK + 5)
    sealed = tmp_path / "multi.age"
    sealed.write_bytes(encrypt_bytes(data, recipients))
    for key in keys:
        assert _age("-d", "-i", str(key), str(sealed)) == data


@pytest.mark.parametrize("size", SIZES)
def test_age_file_decrypts_with_fieldvault(tmp_path: Path, size: int) -> None:
    identity = X25519Identity.generate()
    other = X25519Identity.generate()
    data = os.urandom(size)
    sealed = _age("-r", str(identity.recipient()), "-r", str(other.recipient()), data=data)
    assert decrypt_bytes(sealed, [identity]) == data
    assert decrypt_bytes(sealed, [other]) == data


def test_age_keygen_identity_and_recipient_parse_and_agree(tmp_path: Path) -> None:
    key = _keygen(tmp_path, "key.txt")
    identity = parse_identity_file(key.read_text())[0]
    public = _age_keygen_y(key)
    assert str(identity.recipient()) == public
    assert X25519Recipient.parse(public) == identity.recipient()


def _age_keygen_y(key: Path) -> str:
    return subprocess.run(
        [need("age-keygen"), "-y", str(key)], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_fieldvault_identity_string_is_accepted_by_age_keygen(tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    key = tmp_path / "fv.txt"
    key.write_text(f"{identity}\n")
    assert _age_keygen_y(key) == str(identity.recipient())


def test_fieldvault_passphrase_file_decrypts_with_age(tmp_path: Path) -> None:
    data = os.urandom(CHUNK + 3)
    sealed = tmp_path / "pw.age"
    sealed.write_bytes(encrypt_bytes(data, [ScryptRecipient(b"hunter2 hunter2", work_factor=18)]))
    out = tmp_path / "out.bin"
    _age_with_passphrase(["-d", "-o", str(out), str(sealed)], "hunter2 hunter2", prompts=1)
    assert out.read_bytes() == data


def test_age_passphrase_file_decrypts_with_fieldvault(tmp_path: Path) -> None:
    plain = tmp_path / "plain.bin"
    data = os.urandom(3 * CHUNK)
    plain.write_bytes(data)
    sealed = tmp_path / "pw.age"
    _age_with_passphrase(["-p", "-o", str(sealed), str(plain)], "correct horse battery", prompts=2)
    assert decrypt_bytes(sealed.read_bytes(), [ScryptIdentity(b"correct horse battery")]) == data


def test_age_rejects_a_tampered_fieldvault_file(tmp_path: Path) -> None:
    key = _keygen(tmp_path, "key.txt")
    identity = parse_identity_file(key.read_text())[0]
    sealed = bytearray(encrypt_bytes(b"x" * 1000, [identity.recipient()]))
    sealed[-20] ^= 1
    path = tmp_path / "bad.age"
    path.write_bytes(bytes(sealed))
    done = subprocess.run([need("age"), "-d", "-i", str(key), str(path)], capture_output=True, check=False)
    assert done.returncode != 0
