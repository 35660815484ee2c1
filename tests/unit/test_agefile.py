"""fieldvault's own age implementation: round trips, streaming, key forms, and distinct failures."""

from __future__ import annotations

import io
import os

import pytest

from fieldvault.agefile import (
    CHUNK,
    AgeReader,
    AgeWriter,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    X25519Recipient,
    decrypt_bytes,
    encrypt_bytes,
    parse_identity_file,
)
from fieldvault.errors import (
    BadKey,
    HeaderTampered,
    NoIdentityMatched,
    NotAnAgeFile,
    PayloadTampered,
    TruncatedFile,
    WrongPassphrase,
)

SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17]


@pytest.mark.parametrize("size", SIZES)
def test_round_trip_keeps_every_byte(size: int) -> None:
    identity = X25519Identity.generate()
    data = os.urandom(size)
    assert decrypt_bytes(encrypt_bytes(data, [identity.recipient()]), [identity]) == data


def test_ciphertext_size_is_header_nonce_and_one_tag_per_chunk() -> None:
    identity = X25519Identity.generate()
    sealed = encrypt_bytes(b"x" * (2 * CHUNK), [identity.recipient()])
    header_end = sealed.index(b"\n", sealed.index(b"\n---") + 1) + 1
    assert len(sealed) - header_end == 16 + 2 * CHUNK + 2 * 16  # exactly two chunks, no empty third


def test_each_of_several_recipients_can_decrypt() -> None:
    people = [X25519Identity.generate() for _ in range(3)]
    sealed = encrypt_bytes(b"interview", [p.recipient() for p in people])
    for person in people:
        assert decrypt_bytes(sealed, [person]) == b"interview"


def test_writer_streams_small_writes_and_holds_at_most_one_chunk() -> None:
    identity = X25519Identity.generate()
    out = io.BytesIO()
    writer = AgeWriter(out, [identity.recipient()])
    data = os.urandom(5 * CHUNK + 1234)
    for start in range(0, len(data), 3200):  # 100 ms of 16 kHz 16-bit audio at a time
        writer.write(data[start : start + 3200])
        assert writer.plaintext_written - (len(out.getvalue()) // (CHUNK + 16)) * CHUNK <= CHUNK + 3200
    writer.finish()
    assert decrypt_bytes(out.getvalue(), [identity]) == data


def test_unfinished_writer_output_is_a_truncated_file_with_every_full_chunk() -> None:
    identity = X25519Identity.generate()
    out = io.BytesIO()
    writer = AgeWriter(out, [identity.recipient()])
    writer.write(b"a" * (2 * CHUNK + 10))
    released = []
    with pytest.raises(TruncatedFile, match="fieldvault recover"):
        for chunk in AgeReader(io.BytesIO(out.getvalue()), [identity]).chunks():
            released.append(chunk)
    assert b"".join(released) == b"a" * (2 * CHUNK)


def test_reader_yields_chunk_sized_pieces() -> None:
    identity = X25519Identity.generate()
    sealed = encrypt_bytes(b"z" * (4 * CHUNK + 5), [identity.recipient()])
    sizes = [len(c) for c in AgeReader(io.BytesIO(sealed), [identity]).chunks()]
    assert sizes == [CHUNK] * 4 + [5]


def test_passphrase_round_trip_and_wrong_passphrase() -> None:
    sealed = encrypt_bytes(b"key", [ScryptRecipient(b"right passphrase", work_factor=10)])
    assert decrypt_bytes(sealed, [ScryptIdentity(b"right passphrase")]) == b"key"
    with pytest.raises(WrongPassphrase):
        decrypt_bytes(sealed, [ScryptIdentity(b"wrong passphrase")])


def test_passphrase_cannot_share_a_file_with_other_recipients() -> None:
    with pytest.raises(ValueError, match="only recipient"):
        AgeWriter(io.BytesIO(), [ScryptRecipient(b"pw"), X25519Identity.generate().recipient()])


def test_each_failure_has_its_own_error() -> None:
    me, other = X25519Identity.generate(), X25519Identity.generate()
    sealed = encrypt_bytes(os.urandom(3 * CHUNK), [me.recipient()])
    header_end = sealed.index(b"\n", sealed.index(b"\n---") + 1) + 1

    with pytest.raises(NoIdentityMatched, match="no identity matched"):
        decrypt_bytes(sealed, [other])
    stanza = bytearray(sealed)
    stanza[30] ^= 0x01  # inside the X25519 share: the MAC no longer matches (or the key fails)
    with pytest.raises((HeaderTampered, NoIdentityMatched)):
        decrypt_bytes(bytes(stanza), [me])
    mac = bytearray(sealed)
    mac[header_end - 5] = ord("A") if mac[header_end - 5] != ord("A") else ord("B")
    with pytest.raises(HeaderTampered, match="altered"):
        decrypt_bytes(bytes(mac), [me])
    payload = bytearray(sealed)
    payload[header_end + 16 + 100] ^= 0x80
    with pytest.raises(PayloadTampered, match="chunk 0"):
        decrypt_bytes(bytes(payload), [me])
    with pytest.raises(PayloadTampered, match="cut off in the middle"):
        decrypt_bytes(sealed[:-7], [me])
    with pytest.raises(NotAnAgeFile, match="not an age file"):
        decrypt_bytes(b"RIFF....WAVEfmt ", [me])
    with pytest.raises(NotAnAgeFile):
        decrypt_bytes(b"", [me])


def test_key_text_forms_round_trip() -> None:
    identity = X25519Identity.generate()
    text = str(identity)
    assert text.startswith("AGE-SECRET-KEY-1") and text == text.upper()
    assert X25519Identity.parse(text) == identity
    recipient = identity.recipient()
    assert str(recipient).startswith("age1")
    assert X25519Recipient.parse(str(recipient)) == recipient
    assert text not in repr(identity)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "age1",
        "bogus",
        "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
        "AGE1ZN5VNTU4QVL9DG6KRH5E4ZXJX2G4CZM5S5L4E3JWPNNA3Z8WVGMSP9SVYCM",
    ],
)
def test_bad_recipient_strings_are_refused_with_the_fix(text: str) -> None:
    with pytest.raises(BadKey, match="starts with age1"):
        X25519Recipient.parse(text)


def test_identity_file_skips_comments_and_needs_a_key() -> None:
    identity = X25519Identity.generate()
    parsed = parse_identity_file(f"# created: now\n# public key: {identity.recipient()}\n\n{identity}\n")
    assert parsed == [identity]
    with pytest.raises(BadKey, match="AGE-SECRET-KEY-1"):
        parse_identity_file("# nothing here\n")
