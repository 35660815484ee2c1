"""A vouch any recipient can check (QA T17): the study key's HMAC vouches (fieldvault.vouching) need the study key, so
a transcriber's machine could not tell a list of names swapped for an empty one. An Ed25519 key derived from the study
identity also signs, in the same signed entry, each payload it vouches for (bound to the entry's seq and prev hash and
to the file's path). Its public half is never written into the study folder (whoever held it and the plaintext log
could confirm a guessed list): it is pinned in each recipient's own identity file, as a comment line `age` skips, so
someone who can write the folder cannot swap it. Never writes a sealed file.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fieldvault import layout
from fieldvault.agefile import Identity, X25519Identity
from fieldvault.audit import DISOWNED_SIGNED, SIGNATURES, STRAYS_SET_ASIDE, Signer, disowned_digest
from fieldvault.errors import BadInput, BadStudyFile, FieldvaultError
from fieldvault.suggested import command

if TYPE_CHECKING:
    from fieldvault.study import Study

# The first unlocked command after this release signs every list and profile the study key vouched for before.
SIGNED = "participant.files-signed"
NOT_CHECKED = (
    "lists, transcripts and redactions not checked: this key cannot tell a replaced list or an older file put back "
    "(its identity file does not pin the study's vouch key); ask the PI for the line `fieldvault keys vouch-key` "
    "prints and add it to your identity file"
)
_PIN = re.compile(r"^# fieldvault vouch key for study (age1[0-9a-z]+): ([A-Za-z0-9+/]{43})$")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def signing_key(identity: X25519Identity) -> Ed25519PrivateKey:
    from fieldvault.study import derived_key  # it imports this module's callers: import here

    return Ed25519PrivateKey.from_private_bytes(derived_key(identity, "vouch-signing"))


def pin_line(study: Study, identity: X25519Identity) -> str:
    """The comment line a recipient adds to their identity file: the study (its first recipient) and the public key."""
    public = signing_key(identity).public_key().public_bytes_raw()
    return f"# fieldvault vouch key for study {study.config.recipients[0].key}: {_b64(public)}"


def pins(identity_file: str) -> dict[str, bytes]:
    """{study recipient: public key} of each pin line in an identity file's text."""
    found = {}
    for line in identity_file.splitlines():
        match = _PIN.match(line.strip())
        key = _unb64(match.group(2)) if match else None
        if match and key is not None and len(key) == 32:
            found[match.group(1)] = key
    return found


def _message(seq: int, prev: str, path: str, sha256: bytes) -> bytes:
    return f"fieldvault signed vouch v1\n{seq}\n{prev}\n{path}\n".encode() + sha256


def signer(identity: X25519Identity) -> Signer:
    """What the audit log calls to sign each entry's payloads (``AuditLog.use_signer``)."""
    key = signing_key(identity)

    def sign(seq: int, prev: str, payloads: dict[str, bytes]) -> dict[str, str]:
        return {path: _b64(key.sign(_message(seq, prev, path, sha))) for path, sha in payloads.items()}

    return sign


def signatures(entry: dict[str, Any]) -> dict[str, str]:
    """{path: signature} an entry records (empty when none, or not readable as such)."""
    details = entry.get("details")
    stated = details.get(SIGNATURES) if isinstance(details, dict) else None
    try:
        found = json.loads(stated) if isinstance(stated, str) else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def verifies(public: bytes, entry: dict[str, Any], path: str, sha256: bytes, signature: str) -> bool:
    raw = _unb64(signature)
    if raw is None or not isinstance(entry.get("seq"), int) or not isinstance(entry.get("prev"), str):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(raw, _message(entry["seq"], entry["prev"], path, sha256))
    except (InvalidSignature, ValueError):
        return False
    return True


def pinned_key(study: Study) -> bytes | None:
    """The study's vouch key pinned in the identity file given; None where it pins none (an identity file from before
    pinning). One pinning other studies only is refused: this study's first recipient was changed in study.toml, or
    the PI's line for this study was never added."""
    given = study.identity_file_pins
    if not given:
        return None
    own = study.config.recipients[0].key
    if own in given:
        return given[own]
    raise BadInput(
        f"your identity file pins the vouch key of {len(given)} other stud{'y' if len(given) == 1 else 'ies'}, not "
        f"this one's ({own[:16]}…): study.toml was changed, or the PI's line for this study was never added. Ask the "
        "PI for the line `fieldvault keys vouch-key` prints for this study and add it to your identity file"
    )


def set_aside_signed(study: Study) -> set[str]:
    """Without the study key: "SEQ:HASH" of each line the PI set aside in place, as set-aside entries list them whose
    list the vouch key the identity file pins signed (QA Y11: a transcriber's computer could not read the set-aside,
    so a forged line it set aside still undid every review there); none with the key (``AuditLog.facts`` knows) or
    without a pin."""
    if study.audit.keyed or study.identity_file_pins is None or (public := pinned_key(study)) is None:
        return set()
    return _signed_set_aside(study.audit.entries(), public)


def _signed_set_aside(entries: list[dict[str, Any]], public: bytes) -> set[str]:
    """The refs set-aside entries list whose list the vouch key ``public`` signed."""
    found: set[str] = set()
    for entry in entries:
        details = entry.get("details")
        if entry.get("action") != STRAYS_SET_ASIDE or not isinstance(details, dict):
            continue
        listed = str(details.get("disowned", ""))
        signature = signatures(entry).get(DISOWNED_SIGNED)
        if signature and verifies(public, entry, DISOWNED_SIGNED, disowned_digest(listed), signature):
            found.update(listed.split())
    return found


def _sign_set_aside(study: Study, identity: X25519Identity) -> None:
    """The lines a set-aside the vouch key did not sign lists (written by a release before it did: QA Y11), listed
    again in a set-aside entry it signs, so that a transcriber's reads leave them out too. Nothing after a line the
    key did not write (the PI sets that aside first)."""
    public = signing_key(identity).public_key().public_bytes_raw()
    missing = study.audit.set_aside_in_place() - _signed_set_aside(study.audit.entries(), public)
    if missing:
        study.audit.refuse_forged_tail()
        listed = " ".join(sorted(missing, key=lambda ref: int(ref.partition(":")[0])))
        study.audit.append_signing(
            STRAYS_SET_ASIDE, {DISOWNED_SIGNED: disowned_digest(listed)}, file="", count=0, disowned=listed
        )


def refuse_unsigned(study: Study, where: str, sha256: bytes, what: str) -> None:
    """Without the study key: BadStudyFile unless the newest entry that signs ``where`` signs this payload, under the
    vouch key the identity file pins. Where it pins none, says once that lists are not checked; with no identity file
    given (the study key's own reads, a field kit's), nothing."""
    if study.identity_file_pins is None:
        return
    public = pinned_key(study)
    if public is None:
        study.tell_once(NOT_CHECKED)
        return
    for entry, _ in reversed(study.vouching_entries()):
        signature = signatures(entry).get(where)
        if signature is None:
            continue
        if verifies(public, entry, where, sha256, signature):
            return
        raise BadStudyFile(
            f"{what} was replaced since the study key sealed it (a forged file, or an older copy put back), or a line "
            f"claiming it was appended to the audit log: restore {where} from your latest backup, or ask the PI to "
            f"run `{command('check', study.root)}`"
        )
    raise BadStudyFile(
        f"{what} is signed by no entry of the study key (sealed with the study locked, or by someone without the "
        f"passphrase): ask the PI to run `{command('check', study.root)}` with the passphrase, which signs it if "
        "it is the study's"
    )


def sign_vouched(study: Study, identities: Sequence[Identity]) -> int:
    """With the study key just put to use: sign, in one signed entry, each list, profile and session file whose newest
    signed entry vouches for it (HMAC) as it is and signs nothing (written before this release); a file replaced since
    is left to `check`, and a redactions file that entry vouches for only as the key found it (adopted, kept older) is
    left unsigned: signed in a newer entry, it counted as reviewed (`sessionvouch.as_found`; W17's rest). None in a
    field kit or a backup, or where the log cannot be written; and the lines set aside in place before the set-aside
    was signed (``_sign_set_aside``). How many files were signed."""
    from fieldvault.sessionvouch import as_found  # they import the study: import here
    from fieldvault.vouching import digest, vouched_paths

    if study.is_field_kit or study.on_backup:
        return 0
    found: dict[str, bytes] = {}
    try:
        newest = _newest_vouches(study)
        for relative in filter(_read_signed, vouched_paths(study)):
            stated, signed, entry = newest.get(relative, (None, False, {}))
            if stated is None or signed:
                continue  # vouched for by none yet (adopt signs it), or signed already
            if relative.endswith("/" + layout.REDACTIONS) and as_found(study, entry):
                continue  # no review: a signature in a newer entry would make it one
            try:
                payload = digest(study.read(relative, identities))
            except FieldvaultError:
                continue  # damaged or not the study's: `check` names it
            if hmac.compare_digest(study.audit.payload_mac(relative, payload) or "", stated):
                found[relative] = payload
        if found:
            study.audit.append_vouching(SIGNED, found, count=len(found))
        if (identity := study.study_identity(identities)) is not None:
            _sign_set_aside(study, identity)
    except (OSError, FieldvaultError):  # a read-only copy; a log `audit --verify` is about to name as damaged
        return 0
    return len(found)


def _read_signed(relative: str) -> bool:
    """Whether a reader checks the file's signature: lists of names and profiles (``refuse_unsigned``), a session's
    transcript and redactions (fieldvault.sessionvouch, QA U4)."""
    kinds = (layout.PROFILE, layout.IDENTIFIERS, layout.TRANSCRIPT, layout.REDACTIONS)
    return relative == layout.STUDY_IDENTIFIERS or relative.rsplit("/", 1)[-1] in kinds


def _newest_vouches(study: Study) -> dict[str, tuple[str, bool, dict[str, Any]]]:
    """{path: (what the newest entry the study key signed that names it records, whether that entry signs it too, the
    entry)}, in one pass over the log (every unlock asks)."""
    found: dict[str, tuple[str, bool, dict[str, Any]]] = {}
    for entry, macs in reversed(study.vouching_entries()):
        fresh = [path for path in macs if path not in found]
        if fresh and study.audit.vouches(entry):
            signed = signatures(entry)
            found.update({path: (macs[path], path in signed, entry) for path in fresh})
    return found
