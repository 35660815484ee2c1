"""The study key vouches for each session's current transcript and its redactions as it does for lists (vouching): the
signed entry that writes one records its payload's keyed digest (QA T11: an older genuine redactions file copied back
over the current one undid a reviewer's later acceptances, without a word). With the key, a reader refuses such a file
unless an entry written since without the key (a transcriber's key: it cannot sign) wrote that session: then it is
read, but the redactions count as unreviewed until someone with the key confirms them; so is a redactions file no
signed entry ever vouched for (QA U6: a store cut off before its entry). Never writes a sealed file.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldvault import layout
from fieldvault.agefile import Identity
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.keptolder import KEPT_OLDER
from fieldvault.vouching import digest, keep_older_hint, relative_of, vouched_before

if TYPE_CHECKING:
    from fieldvault.study import Study

# What writes a session's transcript or redactions: one of these written without the key after the study key last
# vouched for a file of the session explains a file it did not vouch for (or claims to: anyone can append a line, and
# then the file is read as unreviewed, never as reviewed).
WRITES = frozenset(
    {
        "transcribe", "transcript.saved", "transcript.speaker", "redaction.proposed", "redaction.decided",
        "redaction.reviewed", "redaction.checked",
    }
)  # fmt: skip
FILES = (layout.TRANSCRIPT, layout.REDACTIONS)  # in a session folder


def payload(study: Study, path: str | Path, plaintext: bytes) -> dict[str, bytes]:
    """{path in the study: payload digest} of a session file just written, for the entry recording the write."""
    return {relative_of(study, path): digest(plaintext)}


def session_files(study: Study, folder: Path) -> list[str]:
    """A session's files of the kinds the study key vouches for, as entries name them."""
    return [relative_of(study, folder / name) for name in FILES if (folder / name).is_file()]


def unconfirmed(study: Study, path: str | Path, sha256: bytes) -> bool:
    """Whether the session file at ``path`` was written without the study key since it last vouched for one there
    (a transcriber's key), or kept in place by `check --keep-older` (an older copy put back looks the same, QA V8):
    True. False where the key vouches for it as it is, where no signed entry names it yet
    (`adopt` vouches for it at the next unlock) and without the key (nothing can be checked). BadStudyFile where
    the key vouched for another payload since and no entry written without it wrote the session after that: an
    older copy put back, or a forged one."""
    try:
        relative = relative_of(study, path)
    except ValueError:  # not in this study (nothing vouches for it here)
        return False
    found = _newest_signed(study, relative)
    expected = study.audit.payload_mac(relative, sha256)
    if found is None or expected is None:
        return False
    if hmac.compare_digest(found[1], expected):  # QA V8: an older file kept in place is no review of anyone's
        return found[0].get("action") == KEPT_OLDER and relative.endswith("/" + layout.REDACTIONS)
    if _written_without_key_since(study, relative, int(found[0]["seq"])):
        return True
    if vouched_before(study, relative, expected) is not None:
        raise BadStudyFile(
            f"{relative} is not the one the study key last vouched for (an older copy put back, from a backup or by "
            "hand, or a write cut off and its new file deleted since): restore the newer one from your latest backup, "
            f"then run the command again; {keep_older_hint(study, relative)}"
        )
    if relative.endswith("/" + layout.REDACTIONS):  # QA U6: a store cut off before its entry (older releases): its
        return True  # decisions offered again; the reviewed export leaves it out, nothing it holds can leak
    raise BadStudyFile(
        f"{relative} is not one the study key vouched for (written by a command cut off before it was recorded, or "
        "by hand): restore it from your latest backup, or transcribe the session again"
    )


def refuse_resealing(study: Study, folder: Path, identities: Sequence[Identity], then: str) -> None:
    """Before a session's files are re-sealed under another name and vouched for there (`participant rename`,
    `session move`): refused where one was put back older (BadStudyFile), or where its redactions were written with a
    transcriber's key since the study key vouched for them (laundered into vouched ones, that review would count).
    ``then``: what the person does after reviewing ("rename her")."""
    for relative in session_files(study, folder):
        fresh = unconfirmed(study, relative, digest(study.read(relative, identities)))
        if fresh and relative.endswith(layout.REDACTIONS):  # a transcript's text alone decides nothing reviewed
            raise BadInput(
                f"{relative} was written with a transcriber's key since the study key vouched for it: review that "
                f"session with the passphrase (its decisions are offered again: C confirms them), then {then}"
            )


def _newest_signed(study: Study, relative: str) -> tuple[dict[str, Any], str] | None:
    for entry, macs in reversed(study.vouching_entries()):
        stated = macs.get(relative)
        if stated is not None and study.audit.vouches(entry):
            return entry, stated
    return None


def _written_without_key_since(study: Study, relative: str, seq: int) -> bool:
    parts = relative.split("/")
    if len(parts) != 4 or parts[0] != layout.PARTICIPANTS:
        return False
    pseudonym, session = parts[1], parts[2]
    for entry in study.audit.entries():
        details = entry.get("details")
        if (
            int(entry.get("seq", 0)) > seq
            and entry.get("action") in WRITES
            and isinstance(details, dict)
            and (details.get("pseudonym"), details.get("session")) == (pseudonym, session)
            and not study.audit.vouches(entry)
        ):
            return True
    return False


def unconfirmed_note(relative: str) -> str:
    """What `check` says of a session's redactions ``unconfirmed`` reads as unreviewed."""
    return (
        f"{relative}: not vouched for by the study key as reviewed (written with a transcriber's key, by a command cut "
        "off before it was recorded, put back, or kept older with --keep-older): it counts as unreviewed until "
        "someone with the passphrase reviews it again (its decisions are offered again: C confirms them)"
    )
