"""`check DIR --keep-older FILE`: the PI's way on where a vouched write was cut off after its signed entry, before its
rename, and its staged file deleted since (QA U8's rest: a cleanup tool, a sync client, or someone at the folder). The
entry vouches for a payload no file holds; the file in place is the one an earlier signed entry vouched for, and every
reader refuses it as not the newest. Nothing can tell that from an older copy put back on purpose, so nothing does it
by itself: with the study key only, the PI keeps the file in place, told which write is lost and when, and a signed
entry records both. A file no signed entry ever vouched for (forged with the public keys) is never kept so.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldvault import layout
from fieldvault.agefile import Identity
from fieldvault.errors import BadInput
from fieldvault.vouching import FILES, SESSION_FILES, digest, newest, relative_of, vouched_before

if TYPE_CHECKING:
    from fieldvault.study import Study

KEPT_OLDER = "check.kept-older"


@dataclass(frozen=True)
class Kept:
    relative: str
    kept: dict[str, Any]  # the signed entry that vouched for the file in place
    lost: dict[str, Any]  # the newest signed entry naming it, whose payload no file in the study holds

    def said(self) -> str:
        return (
            f"kept the older {self.relative}, as entry {self.kept['seq']} (`{self.kept['action']}`, "
            f"{self.kept['time']}) vouched for it; lost: what entry {self.lost['seq']} (`{self.lost['action']}`, "
            f"{self.lost['time']}) wrote there, which no file holds: do that again if it is still wanted"
            + (
                "; it counts as unreviewed until someone with the passphrase reviews the session again (an older copy "
                "put back looks the same)"
                if self.relative.endswith("/" + layout.REDACTIONS)
                else ""
            )
        )


def _vouched_kind(relative: str) -> bool:
    parts = relative.split("/")
    if parts == [layout.STUDY_IDENTIFIERS]:
        return True
    in_folder = len(parts) == 3 and parts[2] in FILES
    return parts[0] == layout.PARTICIPANTS and (in_folder or (len(parts) == 4 and parts[3] in SESSION_FILES))


def keep_older(study: Study, given: str, identities: Sequence[Identity]) -> Kept:
    """Vouch, in a signed entry saying which write is lost, for the file at ``given`` as it is, where it is one an
    earlier signed entry vouched for and a later one vouched for another; BadInput otherwise."""
    study.refuse_backup()
    try:
        relative = relative_of(study, given)
    except ValueError:
        raise BadInput(f"{given} is not in the study {study.root}: give its path in the study folder") from None
    if not _vouched_kind(relative) or ".." in relative.split("/"):
        raise BadInput(
            f"{relative} is not a file the study key vouches for (a list of names, a profile, a transcript or a "
            "redactions file): nothing to keep"
        )
    if not study.path(relative).is_file():
        from fieldvault.sessionvouch import deleted, lost_hint  # it imports this module: import here

        if relative in deleted(study):  # QA V17: nothing older to keep, and a way on all the same
            raise BadInput(f"{relative} is not in the study (deleted): {lost_hint(study, relative)}")
        raise BadInput(f"{relative} is not in the study: restore it from your latest backup")
    sha256 = digest(study.read(relative, identities))
    expected = study.audit.payload_mac(relative, sha256)
    if expected is None:
        raise BadInput("--keep-older needs the study identity (the study passphrase), not another recipient's key")
    stated = newest(study, relative)
    if stated is not None and hmac.compare_digest(stated, expected):
        raise BadInput(f"{relative} is the newest the study key vouched for: nothing older to keep")
    kept = vouched_before(study, relative, expected)
    if kept is None:
        raise BadInput(
            f"{relative} is one the study key never vouched for (forged with the public keys, or written by hand): "
            "restore it from your latest backup"
        )
    lost = next(e for e, macs in reversed(study.vouching_entries()) if relative in macs and study.audit.vouches(e))
    study.audit.append_vouching(
        KEPT_OLDER,
        {relative: sha256},
        file=relative,
        lost_seq=int(lost["seq"]),
        lost_time=str(lost.get("time", ""))[:40],
        lost_action=str(lost.get("action", ""))[:80],
    )
    return Kept(relative, kept, lost)
