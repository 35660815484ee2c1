"""Plaintext taken out of the study on purpose (fieldvault/plaintext.py): audited, 0600, never overwriting,
and the same for the CLI and the TUI."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest

from fieldvault.agefile import parse_identity_file
from fieldvault.errors import BadInput, PayloadTampered
from fieldvault.plaintext import decrypt_to_file, decrypt_to_stream, export_identities
from fieldvault.study import Study
from tests.auditfields import logged

NOTE = "participants/Rose/s1/note.txt.age"


def test_a_file_decrypted_to_a_new_file_is_private_and_audited(study: Study, identities: list, tmp_path: Path) -> None:
    study.write_new(NOTE, b"she said her name was Marcus" * 5000)
    out = tmp_path / "out" / "note.txt"
    decrypt_to_file(study, NOTE, identities, out)
    assert out.read_bytes() == b"she said her name was Marcus" * 5000
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert {"file": NOTE, "out": str(out)} in logged(study, "decrypt", "file", "out")
    with pytest.raises(BadInput, match="never overwrites"):
        decrypt_to_file(study, NOTE, identities, out)
    assert out.read_bytes() == b"she said her name was Marcus" * 5000


def test_a_file_decrypted_to_a_stream_is_audited_as_going_to_standard_output(study: Study, identities: list) -> None:
    study.write_new(NOTE, b"plain")
    sink = io.BytesIO()
    decrypt_to_stream(study, NOTE, identities, sink)
    assert sink.getvalue() == b"plain"
    assert {"file": NOTE, "out": "-"} in logged(study, "decrypt", "file", "out")


def test_nothing_is_written_for_a_file_that_fails_authentication(
    study: Study, identities: list, tmp_path: Path
) -> None:
    path = study.write_new(NOTE, b"x" * 200_000)
    data = bytearray(path.read_bytes())
    data[-100] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(PayloadTampered, match="authentication"):
        decrypt_to_file(study, NOTE, identities, tmp_path / "note.txt")
    assert list(tmp_path.glob("*note.txt*")) == []


def test_exported_identities_open_the_study_and_are_private(study: Study, identities: list, tmp_path: Path) -> None:
    out = tmp_path / "key.txt"
    export_identities(study, identities, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [str(i) for i in parse_identity_file(out.read_text())] == [str(i) for i in identities]
    assert {"out": str(out)} in logged(study, "keys.export-identity", "out")
    with pytest.raises(BadInput):
        export_identities(study, identities, out)
