"""age's ASCII armor (C2SP age spec, "ASCII armor"): strict PEM with the label AGE ENCRYPTED FILE.

Only whitespace may surround the block; inside it every line but the last holds exactly 64 base64
characters, the padding is canonical, and LF or CRLF end the lines. Anything else is refused, since a
lax parser would make armored files malleable.
"""

from __future__ import annotations

import base64
import binascii
import re

from fieldvault.errors import BadArmor

BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
END = b"-----END AGE ENCRYPTED FILE-----"
COLUMNS = 64
_WHITESPACE = b" \t\r\n"
_LINE = re.compile(rb"[A-Za-z0-9+/]*={0,2}\Z")
MAX_ARMORED = 1 << 30  # armored files are decoded in memory; recordings are never armored


def looks_armored(head: bytes) -> bool:
    """Whether a file beginning with ``head`` is armored (leading whitespace allowed)."""
    return head.lstrip(_WHITESPACE).startswith(b"-----")


def _refuse(what: str) -> BadArmor:
    return BadArmor(f"the armored age file {what}; it was altered or not written by age")


def dearmor(data: bytes) -> bytes:
    """The binary age file inside an armored one; BadArmor for anything but strict armor."""
    lines = [line.removesuffix(b"\r") for line in data.strip(_WHITESPACE).split(b"\n")]
    if not lines or lines[0] != BEGIN:
        raise _refuse("does not begin with the BEGIN AGE ENCRYPTED FILE line")
    if len(lines) < 2 or lines[-1] != END:
        raise _refuse("does not end with the END AGE ENCRYPTED FILE line")
    body = lines[1:-1]
    for number, line in enumerate(body):
        last = number == len(body) - 1
        if not line or len(line) > COLUMNS or (not last and len(line) != COLUMNS):
            raise _refuse(f"has a line of {len(line)} characters where {COLUMNS} belong")
        if not _LINE.match(line) or (not last and b"=" in line):
            raise _refuse("holds characters outside base64, or padding before its end")
    text = b"".join(body)
    if len(text) % 4:
        raise _refuse("holds base64 without its padding")
    try:
        decoded = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise _refuse("holds invalid base64") from None
    if base64.b64encode(decoded) != text:
        raise _refuse("holds non-canonical base64")
    return decoded
