"""Plaintext files a user hands fieldvault to seal (her answers, her list of names, a journal entry): after sealing
they are overwritten and removed (--shred-original) or named, so nothing of hers stays behind unsaid (QA Q13, R5)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldvault.errors import BadInput
from fieldvault.stewardship.shred import shred_file
from fieldvault.study import Study
from fieldvault.suggested import shell


def refuse_study_file(study: Study, path: Path, what: str) -> None:
    """A file the user hands in must be her own, not one of the study's: `journal add --text-file STUDY/audit.jsonl
    --shred-original` (a tab completion's slip) shredded the study's audit log (QA X15)."""
    if path.resolve().is_relative_to(study.root.resolve()):
        raise BadInput(
            f"{path} is a file of the study itself (inside {study.root}); give {what} of your own, outside the study "
            "folder"
        )


def plaintext_inputs(args: argparse.Namespace, study: Study, *given: str | Path | None) -> list[Path]:
    """The files holding her answers or names in plaintext that sealing leaves behind (QA Q13): each regular file
    given, once. With --shred-original, anything else (a link, a device, a pipe) is refused before anything is
    sealed: overwriting through a link would leave the file it names, and a device is no one's copy. A file inside
    the study folder is refused whatever the options."""
    found: list[Path] = []
    for value in given:
        if value is None:
            continue
        path = Path(value)
        refuse_study_file(study, path, "a text file")
        if args.shred_original and (path.is_symlink() or not path.is_file()):
            raise BadInput(
                f"{path} is not a regular file, and --shred-original overwrites only a file of its own: give the file "
                "itself, or leave out --shred-original"
            )
        if path.is_file() and not path.is_symlink() and path not in found and path.stat().st_size:
            found.append(path)
    return found


def shred_or_warn(args: argparse.Namespace, given: list[Path], what: str) -> None:
    """After sealing: overwrite and remove the plaintext files (--shred-original, as `import` has it), or say in one
    line that they still hold ``what`` and how to remove them."""
    if not given:
        return
    shown = ", ".join(str(p) for p in given)
    if args.shred_original:
        for path in given:
            shred_file(path)
        print(f"overwrote and removed {shown} (on SSDs, old blocks may survive: rely on disk encryption)")
        return
    print(
        f"warning: {shown} still hold {what} in plaintext and were left where they are: delete them "
        f"(`{shell('shred', '-u', *given)}`; on an SSD old blocks may survive deleting: rely on disk encryption), or "
        "give --shred-original next time",
        file=sys.stderr,
    )
