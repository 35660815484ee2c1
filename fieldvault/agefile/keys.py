"""age recipients and identities: X25519 key pairs and scrypt passphrases.

A recipient wraps a file key into a header stanza; an identity unwraps it. Text forms are
age's own (``age1...``, ``AGE-SECRET-KEY-1...``) so keys move freely between fieldvault and `age`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from fieldvault.agefile import bech32
from fieldvault.agefile.header import Stanza, b64decode_canonical, b64encode
from fieldvault.errors import BadKey, MalformedHeader

FILE_KEY_SIZE = 16
_ZERO_NONCE = bytes(12)
_X25519_INFO = b"age-encryption.org/v1/X25519"
_SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
DEFAULT_WORK_FACTOR = 18  # age's own default: about a second and 256 MiB to try one passphrase
MAX_WORK_FACTOR = 22  # the Go reference refuses more


def _wrap(key: bytes, file_key: bytes) -> bytes:
    return ChaCha20Poly1305(key).encrypt(_ZERO_NONCE, file_key, None)


def _unwrap(key: bytes, body: bytes) -> bytes | None:
    if len(body) != FILE_KEY_SIZE + 16:
        raise MalformedHeader("a recipient stanza holds a file key of the wrong size; the file is damaged")
    try:
        return ChaCha20Poly1305(key).decrypt(_ZERO_NONCE, body, None)
    except InvalidTag:
        return None


def _shared_secret(private: X25519PrivateKey, public: bytes) -> bytes:
    """X25519, with the spec's all-zero result for the low-order points OpenSSL refuses outright."""
    try:
        return private.exchange(X25519PublicKey.from_public_bytes(public))
    except ValueError:
        return bytes(32)


def _x25519_wrap_key(shared: bytes, ephemeral_share: bytes, recipient: bytes) -> bytes:
    if shared == bytes(32):
        raise MalformedHeader("an X25519 stanza uses a low-order point; the file is malicious or damaged")
    return HKDF(hashes.SHA256(), 32, ephemeral_share + recipient, _X25519_INFO).derive(shared)


def _key_bytes(text: str, hrp: str) -> bytes | None:
    """The 32 key bytes of a Bech32 string with this human-readable part; None for anything else."""
    try:
        found, data = bech32.decode(text)
    except ValueError:
        return None
    return data if found == hrp and len(data) == 32 else None


def _not_a_recipient(text: str) -> str:
    """What is wrong with a text given as a recipient, quoting it only where it looks like a public key: a secret key
    or a passphrase pasted by mistake must not go into the terminal's scrollback (QA Q8: eight characters of an
    AGE-SECRET-KEY were printed back)."""
    fix = "give a public key that starts with age1 (as printed by `age-keygen -y` or `fieldvault keys list`)"
    if text.upper().startswith("AGE-SECRET-KEY-"):
        return (
            "that is a secret key, not a recipient: never paste it anywhere (clear the shell history if it is "
            f"there); {fix}, e.g. `age-keygen -y KEYFILE`"
        )
    if text.lower().startswith("age1"):
        return f"not an age recipient: {text[:24]!r} is not a whole, valid public key; {fix}"
    return f"not an age recipient (the {len(text)} characters given are no age1 key, so they are not shown); {fix}"


@dataclass(frozen=True)
class X25519Recipient:
    public_key: bytes

    @classmethod
    def parse(cls, text: str) -> X25519Recipient:
        text = text.strip()
        data = _key_bytes(text, "age")
        if data is None or text != text.lower():
            raise BadKey(_not_a_recipient(text))
        if _shared_secret(X25519PrivateKey.generate(), data) == bytes(32):
            raise BadKey(
                f"{text[:24]}... is a low-order point, not a real public key: files encrypted to it would be "
                "readable by anyone; ask its holder for the output of `age-keygen -y`"
            )
        return cls(data)

    def __str__(self) -> str:
        return bech32.encode("age", self.public_key)

    def wrap(self, file_key: bytes) -> Stanza:
        ephemeral = X25519PrivateKey.generate()
        share = ephemeral.public_key().public_bytes_raw()
        shared = _shared_secret(ephemeral, self.public_key)
        key = _x25519_wrap_key(shared, share, self.public_key)
        return Stanza("X25519", (b64encode(share),), _wrap(key, file_key))


@dataclass(frozen=True)
class X25519Identity:
    secret: bytes

    @classmethod
    def generate(cls) -> X25519Identity:
        return cls(X25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def parse(cls, text: str) -> X25519Identity:
        text = text.strip()
        data = _key_bytes(text, "age-secret-key-")
        if data is None or text != text.upper():
            raise BadKey("not an age identity: expected a line starting with AGE-SECRET-KEY-1 (from age-keygen)")
        return cls(data)

    def __str__(self) -> str:
        return bech32.encode("age-secret-key-", self.secret).upper()

    def __repr__(self) -> str:  # never print the secret by accident
        return f"X25519Identity(recipient={self.recipient()})"

    def recipient(self) -> X25519Recipient:
        public = X25519PrivateKey.from_private_bytes(self.secret).public_key().public_bytes_raw()
        return X25519Recipient(public)

    def unwrap(self, stanzas: list[Stanza]) -> bytes | None:
        private = X25519PrivateKey.from_private_bytes(self.secret)
        own = private.public_key().public_bytes_raw()
        for stanza in stanzas:
            if stanza.type != "X25519":
                continue
            if len(stanza.args) != 1:
                raise MalformedHeader("an X25519 stanza has the wrong number of arguments; the file is damaged")
            share = b64decode_canonical(stanza.args[0])
            if len(share) != 32:
                raise MalformedHeader("an X25519 stanza has a share of the wrong size; the file is damaged")
            if len(stanza.body) != FILE_KEY_SIZE + 16:
                raise MalformedHeader("an X25519 stanza holds a file key of the wrong size; the file is damaged")
            shared = _shared_secret(private, share)
            file_key = _unwrap(_x25519_wrap_key(shared, share, own), stanza.body)
            if file_key is not None:
                return file_key
        return None


def _scrypt_key(passphrase: bytes, salt: bytes, work_factor: int) -> bytes:
    kdf = Scrypt(salt=_SCRYPT_LABEL + salt, length=32, n=1 << work_factor, r=8, p=1)
    return kdf.derive(passphrase)


_DECIMAL = re.compile(r"[1-9][0-9]*\Z")


@dataclass(frozen=True)
class ScryptRecipient:
    """A passphrase recipient; the spec requires it to be the only stanza of its file."""

    passphrase: bytes
    work_factor: int = DEFAULT_WORK_FACTOR

    def __repr__(self) -> str:
        return f"ScryptRecipient(work_factor={self.work_factor})"

    def wrap(self, file_key: bytes) -> Stanza:
        salt = os.urandom(16)
        key = _scrypt_key(self.passphrase, salt, self.work_factor)
        return Stanza("scrypt", (b64encode(salt), str(self.work_factor)), _wrap(key, file_key))


@dataclass(frozen=True)
class ScryptIdentity:
    passphrase: bytes
    max_work_factor: int = MAX_WORK_FACTOR

    def __repr__(self) -> str:
        return "ScryptIdentity(...)"

    def unwrap(self, stanzas: list[Stanza]) -> bytes | None:
        scrypt = [s for s in stanzas if s.type == "scrypt"]
        if not scrypt:
            return None
        stanza = scrypt[0]
        if len(stanza.args) != 2 or not _DECIMAL.match(stanza.args[1]):
            raise MalformedHeader("a passphrase stanza is malformed; the file is damaged")
        salt = b64decode_canonical(stanza.args[0])
        work_factor = int(stanza.args[1])
        if len(salt) != 16:
            raise MalformedHeader("a passphrase stanza has a salt of the wrong size; the file is damaged")
        if work_factor > self.max_work_factor:
            raise MalformedHeader(
                f"the passphrase work factor {work_factor} is above {self.max_work_factor}; "
                "refusing to spend that much time and memory"
            )
        if len(stanza.body) != FILE_KEY_SIZE + 16:
            raise MalformedHeader("a passphrase stanza holds a file key of the wrong size; the file is damaged")
        return _unwrap(_scrypt_key(self.passphrase, salt, work_factor), stanza.body)


Identity = X25519Identity | ScryptIdentity
Recipient = X25519Recipient | ScryptRecipient


def parse_identity_file(text: str) -> list[X25519Identity]:
    """Identities from an age identity file: one per line, '#' comments and blank lines skipped."""
    identities = [
        X25519Identity.parse(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    if not identities:
        raise BadKey("the identity file holds no AGE-SECRET-KEY-1 line; give a file made by age-keygen")
    return identities
