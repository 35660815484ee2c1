"""Names she gave at a follow-up in a study opened locked (QA U13), sealed alone beside her list: which of those files
the study's audit log records, and what became of each (QA V20, V22, V23).

The locked append's entry names its file and the SHA-256 of its bytes as sealed (no key vouches for it: the study was
locked); the fold that adds the names to her list, with the study key, records each file it took in (``FOLDED``), as
does the PI who records a file lost (``LOST``). So a file the log says was sealed and never folded is missing (deleted
before the next unlock: her names would be on no list) or changed; a file no entry records sealing is a stranger
(anyone with the public key can seal one): never read, never folded, named by `check`. Reads the log and hashes the
files; never decrypts, never writes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldvault import layout
from fieldvault.audit import vouched
from fieldvault.study import Study

APPENDED = "participant.list-appended"
FOLDED = "participant.added-folded"  # details: pseudonym, file, sha256 (and reason=LOST for a loss the PI recorded)
LOST = "lost"
RENAMED = "participant.rename"  # participantrename.ACTION, which imports this module through participants
ADDED = re.compile(re.escape(layout.ADDED_IDENTIFIERS).replace(r"\{n\}", r"([1-9][0-9]{0,5})"))
# No file of names a person gives at once (500 names of 200 characters, sealed) is near this: a bigger one is never
# read whole to be weighed (QA V7: a 20 GB file stalled a merge for minutes)
MAX_FILE = 8 * 1024 * 1024


@dataclass(frozen=True)
class Sealed:
    """A file of names the log records sealed beside her list with the study locked: its path in the study now
    (renames followed), the SHA-256 of its bytes, the day, and how many names."""

    path: str
    sha256: str
    day: str
    count: int


@dataclass(frozen=True)
class Weighed:
    """Her files of names added with the study locked, weighed against the log: ``ready`` (as sealed, not yet on her
    list), ``missing`` and ``changed`` (sealed, never folded, and gone or not the file sealed: names she gave are not
    at hand), ``strangers`` (no entry records sealing them), ``folded`` (on her list already: a fold cut off before
    it deleted them)."""

    ready: tuple[Path, ...] = ()
    missing: tuple[Sealed, ...] = ()
    changed: tuple[Sealed, ...] = ()
    strangers: tuple[Path, ...] = ()
    folded: tuple[Path, ...] = ()

    @property
    def lost(self) -> tuple[Sealed, ...]:
        return self.missing + self.changed


def moved(paths: dict[str, Any], before: str, after: str) -> dict[str, Any]:
    """``paths`` (relative to the study) with her folder renamed from ``before`` to ``after``."""
    old, new = f"{layout.PARTICIPANTS}/{before}/", f"{layout.PARTICIPANTS}/{after}/"
    return {(new + p[len(old) :] if p.startswith(old) else p): v for p, v in paths.items()}


def sha256_of(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes; None for a link, anything else, one too big to be a list, or unread."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_FILE:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def logged(study: Study) -> tuple[dict[str, Sealed], dict[str, set[str]]]:
    """({path: Sealed} sealed with the study locked and not folded yet, {path: the hashes of the files folded or
    recorded lost there}), from the study's log. A fold counts where the study key vouches for its entry (or where
    this process, without the key, cannot tell): a line typed without the passphrase never hides a file gone."""
    pending: dict[str, Sealed] = {}
    folded: dict[str, set[str]] = {}
    entries, _ = study.audit.readable()  # a damaged log is named by the log's own check
    for entry in study.audit.facts(entries):  # a rename the study key did not sign is followed by nothing (QA X14)
        details = entry.get("details")
        if not isinstance(details, dict):
            continue
        action = entry.get("action")
        if action == RENAMED:
            before, after = str(details.get("moved_from")), str(details.get("pseudonym"))
            pending, folded = moved(pending, before, after), moved(folded, before, after)
            continue
        path, sha = details.get("file"), details.get("sha256")
        if not isinstance(path, str) or not isinstance(sha, str):
            continue
        if action == APPENDED and not vouched(entry):  # a study opened locked has no key to vouch with
            day, count = str(entry.get("time", ""))[:10], details.get("count")
            pending[path] = Sealed(path, sha, day, count if isinstance(count, int) else 0)
        elif action == FOLDED and study.audit.vouches(entry) is not False:
            if details.get("reason") != LOST:  # a file recorded lost stays a stranger: never deleted as folded
                folded.setdefault(path, set()).add(sha)
            if path in pending and pending[path].sha256 == sha:
                del pending[path]
    return pending, folded


def weigh(study: Study, pseudonym: str) -> Weighed:
    """Her files of names added with the study locked (``Weighed``), in number order; none on a field kit, whose
    files its own log's forward key vouches for (merge-kit weighs those)."""
    folder = layout.participant(study.root, pseudonym)
    if study.is_field_kit or folder.is_symlink() or not folder.is_dir():
        return Weighed()
    base = f"{layout.PARTICIPANTS}/{folder.name}/"
    pending, folded = logged(study)
    mine = {
        p.removeprefix(base): s for p, s in pending.items() if p.startswith(base) and ADDED.fullmatch(p[len(base) :])
    }
    there = sorted((int(m.group(1)), p) for p in folder.iterdir() if (m := ADDED.fullmatch(p.name)))
    ready, changed, strangers, done = [], [], [], []
    for _, path in there:
        sealed, sha = mine.get(path.name), sha256_of(path)
        if sealed is not None:
            (ready.append(path) if sha == sealed.sha256 else changed.append(sealed))
        elif sha is not None and sha in folded.get(base + path.name, set()):
            done.append(path)
        else:
            strangers.append(path)
    names = {p.name for _, p in there}
    missing = [s for name, s in sorted(mine.items(), key=lambda i: _number(i[0])) if name not in names]
    return Weighed(tuple(ready), tuple(missing), tuple(changed), tuple(strangers), tuple(done))


def numbers_used(study: Study, pseudonym: str) -> list[int]:
    """The numbers of her files of names added with the study locked that the log records, folded or not: a new file
    never takes one's number (QA V20: an append after one was deleted sealed its number again)."""
    base = f"{layout.PARTICIPANTS}/{pseudonym}/"
    pending, folded = logged(study)
    return [
        _number(p[len(base) :]) for p in [*pending, *folded] if p.startswith(base) and ADDED.fullmatch(p[len(base) :])
    ]


def _number(name: str) -> int:
    found = ADDED.fullmatch(name)
    return int(found.group(1)) if found else 0
