"""What this computer saw removed from a study's recipients, kept outside the study (QA G5).

The recipient list in study.toml is sealed and the audit log records each removal, so a study.toml put back alone
is found (QA F24). study.toml and audit.jsonl put back *together* (a backup made before the removal, a sync client
resolving a conflict with the older pair) agree with each other: nothing in the study folder can tell. This file in
the user's config folder remembers each removal this computer made or saw in a log, by the study's own key, so an
older pair brought back here is found at the next unlock. It cannot help on a computer that never saw the removal.

It also keeps the seal of the last recipient list this computer checked with the study identity: a command run
without the key (an import, a recording on the trusted machine) encrypts only to that list, and otherwise asks
for the key once, so a list changed or put back since is checked before anything is encrypted to it.

It holds public keys, their names and times only: no participant data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldvault import configmemory

FILE = "removed-recipients.json"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Removal:
    name: str
    time: str  # when the audit log recorded the removal (ISO 8601, to the second)
    seq: int  # its place in the log, which orders entries of one second

    def before(self, entry: dict[str, object] | None) -> bool:
        """Whether an audit entry (the log's last word on the key, or None) is older than this removal."""
        return entry is None or (str(entry.get("time", "")), int(str(entry.get("seq", 0)))) < (self.time, self.seq)


@dataclass(frozen=True)
class Removals:
    """study key (the first recipient of study.toml) -> removed recipient key -> its removal; and study key -> the
    seal (recipients_mac) of the last recipient list this computer checked with the study identity."""

    studies: dict[str, dict[str, Removal]] = field(default_factory=dict)
    checked: dict[str, str] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION


def _read() -> Removals:
    fix = "it remembers removed recipients only; delete it if it cannot be restored (the log's removals still count)"
    return configmemory.read(Removals, FILE, fix)


def remembered(study: str) -> dict[str, Removal]:
    """The removals this computer saw for the study whose own key is ``study``."""
    return dict(_read().studies.get(study, {}))


def remember(study: str, found: dict[str, Removal]) -> None:
    """Add removals (recipient key -> removal) to what this computer remembers; an unwritable config folder
    (a read-only home) is no reason to stop the command that saw them: the log still holds them."""
    known = _read()
    ours = {**known.studies.get(study, {}), **found}
    if ours == known.studies.get(study, {}):
        return
    _write(Removals({**known.studies, study: ours}, known.checked))


def checked_seal(study: str) -> str | None:
    """The seal of the recipient list this computer last checked with the study identity, or None (never)."""
    return _read().checked.get(study)


def remember_checked(study: str, seal: str) -> None:
    """A recipient list checked with the study identity (unlocked, or sealed here): a command run later without
    the key encrypts to that list, and to no other, without asking for the key (QA G5)."""
    known = _read()
    if known.checked.get(study) != seal:
        _write(Removals(known.studies, {**known.checked, study: seal}))


def _write(removals: Removals) -> None:
    configmemory.write(FILE, removals)


def forget(study: str, keys: set[str]) -> None:
    """Recipients added again since their removal: no longer removed."""
    known = _read()
    ours = {k: r for k, r in known.studies.get(study, {}).items() if k not in keys}
    if ours == known.studies.get(study, {}):
        return
    _write(Removals({**known.studies, study: ours}, known.checked))
