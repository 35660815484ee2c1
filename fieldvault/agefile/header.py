"""The age v1 header: version line, recipient stanzas, and the MAC that binds them to the file key.

Parsing is strict, as the spec asks (canonical base64, 64-column body lines, LF only), so a file
fieldvault accepts is one every age implementation accepts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldvault.errors import FieldvaultError, HeaderTampered, MalformedHeader, NotAnAgeFile

VERSION_LINE = b"age-encryption.org/v1\n"
_ARG = re.compile(rb"[\x21-\x7e]+\Z")
_B64 = re.compile(rb"[A-Za-z0-9+/]*\Z")
_MAX_HEADER = 1 << 20  # far above any real header; stops a garbage file from being read whole


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def b64decode_canonical(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    if not _B64.match(raw) or len(raw) % 4 == 1:
        raise MalformedHeader("the header holds invalid base64; the file is damaged")
    try:
        data = base64.b64decode(raw + b"=" * (-len(raw) % 4), validate=True)
    except binascii.Error:
        raise MalformedHeader("the header holds invalid base64; the file is damaged") from None
    if base64.b64encode(data).rstrip(b"=") != raw:
        raise MalformedHeader("the header holds non-canonical base64; the file is damaged")
    return data


@dataclass(frozen=True)
class Stanza:
    type: str
    args: tuple[str, ...]
    body: bytes

    def encode(self) -> bytes:
        line = "-> " + " ".join((self.type, *self.args)) + "\n"
        text = b64encode(self.body)
        lines = [text[i : i + 64] for i in range(0, len(text), 64)]
        if not lines or len(lines[-1]) == 64:
            lines.append("")  # the last body line must be short, even if empty
        return (line + "".join(chunk + "\n" for chunk in lines)).encode()


@dataclass(frozen=True)
class Header:
    stanzas: list[Stanza]
    mac: bytes
    mac_input: bytes  # the header bytes up to and including '---', as the MAC covers them

    def encode(self) -> bytes:
        """The header's bytes as read, MAC line included."""
        return self.mac_input + b" " + b64encode(self.mac).encode() + b"\n"

    def verify(self, file_key: bytes) -> None:
        if not hmac.compare_digest(header_mac(file_key, self.mac_input), self.mac):
            raise HeaderTampered("the header's MAC does not match; the file was altered after it was written")


def header_mac(file_key: bytes, mac_input: bytes) -> bytes:
    key = HKDF(hashes.SHA256(), 32, None, b"header").derive(file_key)
    return hmac.new(key, mac_input, "sha256").digest()


def encode_header(stanzas: list[Stanza], file_key: bytes) -> bytes:
    mac_input = VERSION_LINE + b"".join(s.encode() for s in stanzas) + b"---"
    return mac_input + b" " + b64encode(header_mac(file_key, mac_input)).encode() + b"\n"


def _readline(stream: BinaryIO, consumed: int) -> bytes:
    line = stream.readline(_MAX_HEADER - consumed)
    if not line.endswith(b"\n"):
        raise MalformedHeader("the header is cut off or too long; the file is damaged or truncated")
    return line


def _malformed(what: str) -> MalformedHeader:
    return MalformedHeader(f"{what}; the file is damaged or was not written by age")


def read_header(stream: BinaryIO) -> Header:
    """Read the header from the current position, leaving the stream at the payload nonce."""
    first = stream.readline(len(VERSION_LINE))
    if first != VERSION_LINE:
        if first.startswith(b"age-encryption.org/"):
            raise MalformedHeader("unsupported age format version; use a newer age client")
        raise NotAnAgeFile("this is not an age file (no age header); check the file name")
    consumed = len(first)
    mac_input = bytearray(first)
    stanzas: list[Stanza] = []
    line = _readline(stream, consumed)
    while line.startswith(b"-> "):
        consumed += len(line)
        mac_input += line
        args = line[3:-1].split(b" ")
        if not all(_ARG.match(a) for a in args):
            raise _malformed("a stanza line has an empty or invalid argument")
        body = bytearray()
        while True:
            body_line = _readline(stream, consumed)
            consumed += len(body_line)
            mac_input += body_line
            content = body_line[:-1]
            if len(content) > 64:
                raise _malformed("a stanza body line is longer than 64 columns")
            body += content
            if len(content) < 64:
                break
        stanzas.append(Stanza(args[0].decode(), tuple(a.decode() for a in args[1:]), b64decode_canonical(bytes(body))))
        line = _readline(stream, consumed)
    if not line.startswith(b"--- "):
        raise _malformed("the header has a line that is neither a stanza nor the MAC")
    mac_input += b"---"
    mac = b64decode_canonical(line[4:-1])
    if len(mac) != 32:
        raise _malformed("the header MAC has the wrong length")
    scrypt = [s for s in stanzas if s.type == "scrypt"]
    if scrypt and len(stanzas) > 1:
        raise _malformed("a passphrase stanza is not alone in the header")
    return Header(stanzas, mac, bytes(mac_input))


PAYLOAD_NONCE = 16


def payload_id(path: Path) -> str | None:
    """An age file's payload nonce, hashed: 16 random bytes fixed when the file was encrypted and kept by a re-wrap
    of its header, so it names one encryption of one file wherever it is copied or moved (a kit's copy of a file
    the study holds elsewhere, or destroyed). None for a file with no age header."""
    try:
        with path.open("rb") as stream:
            read_header(stream)
            nonce = stream.read(PAYLOAD_NONCE)
    except (OSError, FieldvaultError):
        return None
    return hashlib.sha256(nonce).hexdigest()[:32] if len(nonce) == PAYLOAD_NONCE else None


def header_digest(header: bytes) -> str:
    """What names one file key's wrapping: the header's bytes, MAC line included, hashed. Re-sealing a recording
    (its true length, `recover`, a salvage) writes a new payload under the same header, so the digest holds through
    them; nobody without the file key (the study identity) can write a payload that decrypts under that header. A
    payload id alone is no such name: anyone may encrypt under any nonce (qa27 QC3 on kit recordings)."""
    return hashlib.sha256(header).hexdigest()[:32]


def header_id(path: Path) -> str | None:
    """``header_digest`` of an age file's header; None for a file with no age header."""
    try:
        with path.open("rb") as stream:
            return header_digest(read_header(stream).encode())
    except (OSError, FieldvaultError):
        return None
