"""The cut-off or damaged original `recover` keeps beside the file it made whole (``<name>.damaged``), until the steward
deletes it: that deletion recorded in the audit log by `recover --delete-original`, and the originals the log says
recover kept that are gone with no such entry, which `check` names (rough28: deleting one was recorded by no command,
so nothing told a deletion by hand from a loss). Deletes only the original asked for; never through a link."""

from __future__ import annotations

import os
from pathlib import Path

from fieldvault.agefile.recovery import KEPT_ORIGINAL
from fieldvault.atomicfile import sync_folder
from fieldvault.errors import BadInput
from fieldvault.study import Study
from fieldvault.suggested import command

DELETED = "recover.original-deleted"  # details: file, the original's path in the study
_NONE_KEPT = "true length"  # a recover entry's reason when it re-sealed a whole recording: nothing was kept beside it


def delete_original(study: Study, given: str) -> tuple[str, bool]:
    """Delete the original `recover` kept beside ``given`` (the file it made whole, or the original itself; in the
    study), then record it: its path in the study, and whether it was still there (one deleted by hand is recorded
    only). The entry is what a backup run with the passphrase follows; the file made whole must be in the study."""
    path = study.path(given)
    original = path if path.name.endswith(KEPT_ORIGINAL) else path.with_name(path.name + KEPT_ORIGINAL)
    whole = original.with_name(original.name.removesuffix(KEPT_ORIGINAL))
    relative = str(original.relative_to(study.root.resolve()))
    if original.is_symlink() or whole.is_symlink():
        raise BadInput(f"{relative} or the file beside it is a link, not what `recover` kept: nothing was deleted")
    if not whole.is_file():
        raise BadInput(
            f"{whole.relative_to(study.root.resolve())} is not in the study: the original beside it may be the only "
            "copy of what it held; nothing was deleted"
        )
    there = original.is_file()
    if not there and relative not in gone_originals(study):
        raise BadInput(f"nothing to delete: {relative} is not there, and no original recover kept there is missing")
    study.refuse_backup()
    if there:
        original.unlink()
        sync_folder(original.parent)
    study.audit.append(DELETED, file=relative)  # after: cut off between the two, `check` names it, the way back
    return relative, there


def gone_originals(study: Study) -> dict[str, int]:
    """{original's path in the study: seq of the recover entry that kept it} for each original `recover` kept that is
    no longer in the study, beside a file made whole that is, with no entry recording its deletion since (with the
    study key, only a signed one counts)."""
    kept: dict[str, int] = {}
    for entry in study.audit.facts():
        details = entry.get("details")
        if not isinstance(details, dict) or not isinstance(file := details.get("file"), str):
            continue
        if entry.get("action") == "recover" and details.get("reason") != _NONE_KEPT:
            kept[file + KEPT_ORIGINAL] = int(entry["seq"])
        elif entry.get("action") == DELETED:
            kept.pop(file, None)
    root = study.root
    return {
        relative: seq
        for relative, seq in sorted(kept.items())
        if not os.path.lexists(root / relative) and (root / relative.removesuffix(KEPT_ORIGINAL)).is_file()
    }


def gone_note(study: Study, relative: str, seq: int) -> str:
    """What `check` says of an original recover kept (entry ``seq``) that is gone with no entry recording it."""
    whole = relative.removesuffix(KEPT_ORIGINAL)
    record = command("recover", study.root, "--delete-original", whole)
    return (
        f"{relative}: the original `recover` kept (entry {seq}) is gone, and no entry records its deletion: if you "
        f"deleted it, record that (`{record}`); if not, restore it from your backup ({Path(whole).name} beside it "
        "holds only what recover saved)"
    )


def delete_hint(study: Study, relative: str) -> str:
    """The command that deletes the original at ``relative`` and records it."""
    return command("recover", study.root, "--delete-original", relative.removesuffix(KEPT_ORIGINAL))
