"""A new study passphrase for the study identity (QA T4: a study handed to a new PI, a passphrase a departing RA saw).

keys/study.age is sealed again, to the new passphrase, in a file beside it (fsynced); an entry the study key signs
records that file's SHA-256; then it is renamed over the old one. A kill at any point leaves one passphrase that opens
the study, the old or the new, and `check` (and a wrong passphrase's error) says which. The identity itself does not
change: recipients and every file stay as they are, and backups keep the seal they were made with. Never writes the
identity in plaintext.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from fieldvault import atomicfile, layout
from fieldvault.agefile import ScryptIdentity, ScryptRecipient, decrypt_bytes, encrypt_bytes
from fieldvault.agefile.header import read_header
from fieldvault.agefile.keys import DEFAULT_WORK_FACTOR
from fieldvault.errors import BadInput, FieldvaultError, LockedStudy
from fieldvault.study import STUDY_KEY, Study
from fieldvault.suggested import command

ACTION = "keys.change-passphrase"
# The new seal, written beside keys/study.age before it takes its place; a leftover (".tmp") no backup copies.
CHANGING = f"{layout.KEYS}/.study.age.changing.tmp"


@dataclass(frozen=True)
class OpenedKey:
    """keys/study.age opened with the passphrase in use: the identity file it seals, and its scrypt work factor."""

    text: str
    work_factor: int
    passphrase: bytes


def refuse_here(study: Study) -> None:
    """A field kit has no passphrase (public keys only), and a backup is not changed: said before any is asked for."""
    if study.is_field_kit:
        raise LockedStudy(
            "a field kit has no passphrase to change: it holds only the study's public keys and decrypts nothing. "
            "Change the passphrase on the trusted machine; the kit needs nothing new"
        )
    study.refuse_backup()
    if not (study.root / STUDY_KEY).is_file():
        raise LockedStudy(f"{study.root} has no {STUDY_KEY}: there is no passphrase-sealed study key here to change")


def open_key(study: Study, passphrase: bytes) -> OpenedKey:
    """The study unlocked with the passphrase in use (recipient list and log checked, as every unlock does)."""
    refuse_here(study)
    text = study.key_file_text(passphrase)
    study.unlock_key_text(text)
    return OpenedKey(text, _work_factor(study.root / STUDY_KEY), passphrase)


def _work_factor(sealed: Path) -> int:
    with sealed.open("rb") as stream:
        stanzas = read_header(stream).stanzas
    try:
        return int(stanzas[0].args[1])
    except (IndexError, ValueError):
        return DEFAULT_WORK_FACTOR


def change_passphrase(study: Study, opened: OpenedKey, new: bytes) -> str:
    """Seal the study identity to ``new`` in place of the passphrase ``opened`` was opened with; the SHA-256 of the
    new keys/study.age."""
    if hmac.compare_digest(new, opened.passphrase):
        raise BadInput("the new passphrase is the one in use; nothing was changed")
    sealed = encrypt_bytes(opened.text.encode(), [ScryptRecipient(new, opened.work_factor)])
    if decrypt_bytes(sealed, [ScryptIdentity(new)]) != opened.text.encode():  # never lock the study out
        raise FieldvaultError("the new seal did not open with the new passphrase; nothing was changed")
    beside = study.root / CHANGING
    fd = os.open(beside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, atomicfile.FILE_MODE)  # a cut-off run's is replaced
    with os.fdopen(fd, "wb") as out:
        out.write(sealed)
        out.flush()
        os.fsync(out.fileno())
    digest = hashlib.sha256(sealed).hexdigest()
    study.audit.append(ACTION, sha256=digest)  # signed: the study is unlocked
    os.replace(beside, study.root / STUDY_KEY)
    atomicfile.sync_folder(beside.parent)
    return digest


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _last_change(study: Study, signed_only: bool) -> dict[str, object] | None:
    """The newest change-passphrase entry (signed by the study key, with ``signed_only``; the key must be in use)."""
    for entry in reversed(study.audit.entries()):
        if entry.get("action") == ACTION and (not signed_only or study.audit.vouches(entry)):
            return entry
    return None


def _recorded(entry: dict[str, object]) -> str:
    details = entry.get("details")
    return str(details.get("sha256", "")) if isinstance(details, dict) else ""


def wrong_passphrase_hint(study: Study) -> str:
    """What a wrong passphrase's error adds where the log records a change (read without the key: a hint only)."""
    try:
        entry = _last_change(study, signed_only=False)
    except FieldvaultError:
        return ""
    if entry is None:
        return ""
    day = str(entry.get("time", ""))[:10]
    if _sha256(study.root / STUDY_KEY) == _recorded(entry):
        return f". The study passphrase was changed on {day} (`keys change-passphrase`): give the new one"
    return (
        f". The audit log records a change of the study passphrase on {day}, and {STUDY_KEY} is not the file that "
        "change sealed (it was cut off before it took effect, or an older copy was put back): the passphrase from "
        "before that change opens it"
    )


def check_key_file(study: Study) -> tuple[list[str], list[str]]:
    """(failures, notes) `check` says of keys/study.age, with the study key in use: which passphrase opens it."""
    entry = _last_change(study, signed_only=True)
    beside = study.root / CHANGING
    again = command("keys", "change-passphrase", study.root)
    notes, failures = [], []
    if entry is not None and _sha256(study.root / STUDY_KEY) != _recorded(entry):
        day = str(entry.get("time", ""))[:10]
        if beside.is_file() and _sha256(beside) == _recorded(entry):
            notes.append(
                f"the change of the study passphrase on {day} was cut off before it took effect: the OLD passphrase "
                f"still opens the study, the new one does not. Run `{again}` again (it replaces {CHANGING})"
            )
        else:
            failures.append(
                f"is not the file the change of the study passphrase on {day} sealed: an older copy was put back (a "
                "backup from before the change?), so the passphrase from before that change opens the study again. "
                f"Run `{again}` again, then `fieldvault backup` to each backup"
            )
    elif beside.is_file():
        notes.append(
            f"{CHANGING}: a change of the study passphrase was cut off before it took effect: the old passphrase still "
            f"opens the study. Run `{again}` again (it replaces this file), or delete it"
        )
    return failures, notes
