"""Plaintext taken out of the study on purpose, besides exports: one file decrypted, or the study's private
key written out for `age -d -i`. Each is audited before it happens; a file written is 0600, appears only
once complete, and never replaces an existing one. The CLI and the TUI both come here."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from fieldvault import atomicfile
from fieldvault.agefile import AgeReader, Identity, X25519Identity
from fieldvault.errors import BadInput
from fieldvault.study import Study, identity_file_text

TO_STREAM = "-"  # what the audit log names as the destination of a copy to standard output


def decrypt_to_file(
    study: Study, relative: str, identities: Sequence[Identity], out: Path, kit: Study | None = None
) -> None:
    """Decrypt the study file ``relative`` (or the file of the study's field ``kit``) into the new file ``out``
    (outside the study)."""
    from fieldvault.export.gate import refuse_named

    check_new(out)
    study.refuse_inside(out, "a decrypted copy is plaintext and")
    refuse_named(study, identities, out, "a decrypted copy's path")
    reader = _audited_reader(study, relative, identities, str(out.absolute()), kit)
    with atomicfile.new_private_file(out) as sink:
        _copy(reader, sink)


def check_new(out: Path) -> None:
    """Refuse an existing destination (callers check before they ask for a passphrase, too), and a link, whatever it
    points to: one to nowhere was refused only once the copy was recorded in the audit log as made, and a withdrawal
    then asked after a copy that never was (QA QD11)."""
    if out.is_symlink():
        raise BadInput(
            f"{out} is a link (to {os.readlink(out)}); fieldvault never writes through one, choose another --out"
        )
    if out.exists():
        raise BadInput(f"{out} exists; fieldvault never overwrites a file, choose another --out")


def decrypt_to_stream(
    study: Study, relative: str, identities: Sequence[Identity], sink: BinaryIO, kit: Study | None = None
) -> None:
    """Decrypt the study file ``relative`` (or the file of the study's field ``kit``) into an open stream (a pipe to
    `age`, `ffmpeg`, a player)."""
    _copy(_audited_reader(study, relative, identities, TO_STREAM, kit), sink)
    sink.flush()


def export_identities(study: Study, identities: Sequence[X25519Identity], out: Path) -> None:
    """Write the study's unlocked identities as an age identity file (0600, new only)."""
    from fieldvault.export.gate import refuse_named

    study.refuse_inside(out, "the study's private key in plaintext")
    refuse_named(study, identities, out, "the key file's path")
    from fieldvault.vouchsign import pin_line

    text = "".join(identity_file_text(i, study.clock()) for i in identities)
    own = study.study_identity(identities)
    if own is not None:  # a comment to age: the vouch key its holder's commands check lists with (QA T17)
        text += pin_line(study, own) + "\n"
    atomicfile.write_new(out, text.encode())
    study.audit.append("keys.export-identity", out=str(out.absolute()))


def own_kit(kit: Study, study: Study) -> None:
    """Refuse to read ``kit`` with ``study``'s key unless it is a field kit of that study (the same study key)."""
    if not kit.is_field_kit:
        raise BadInput(f"{kit.root} is not a field kit: --study reads a kit's file; decrypt a study's file without it")
    if [e.key for e in kit.config.recipients[:1]] != [e.key for e in study.config.recipients[:1]]:
        raise BadInput(f"{kit.root} is a field kit of another study than {study.root}: name the study it was made from")


def _audited_reader(
    study: Study, relative: str, identities: Sequence[Identity], out: str, kit: Study | None = None
) -> AgeReader:
    if kit is None:
        reader = study.open_reader(relative, identities)
        study.audit.append("decrypt", file=str(study.path(relative).relative_to(study.root.resolve())), out=out)
        return reader
    reader = kit.open_reader(relative, identities)  # a kit's file: on the study's record, by the kit's path
    study.audit.append("decrypt", file=str(kit.path(relative)), out=out)
    return reader


def _copy(reader: AgeReader, sink: BinaryIO) -> None:
    for chunk in reader.chunks():  # each chunk authenticated before it is written
        sink.write(chunk)
