"""The participants this computer saw withdraw, kept outside the study (QA K6).

A withdrawal destroys her folder and records it in the audit log. A backup made before it, restored (after a disk
failure, from a drive kept in a drawer), holds her folder again and a log that never saw the withdrawal: nothing in
the study folder can tell. This file in the user's config folder remembers, per study (its own key), the participant
id of each woman whose withdrawal this computer made or saw in a log, and the day; a study holding her folder again
is refused by transcription, exports and `check`, which say to withdraw her again. It cannot help on a computer that
never saw the withdrawal (README).

It holds random participant ids and days only: no pseudonym, no participant data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldvault import configmemory, layout, paths
from fieldvault.errors import BadInput
from fieldvault.participantid import participant_id
from fieldvault.study import Study
from fieldvault.suggested import command
from fieldvault.withdrawals import days_by_participant

FILE = "withdrawn-participants.json"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Withdrawn:
    """study key (the first recipient of study.toml) -> participant id -> the day she withdrew."""

    studies: dict[str, dict[str, str]] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION


def _read() -> Withdrawn:
    fix = "it remembers withdrawals only; delete it if it cannot be restored (the study's log still holds them)"
    return configmemory.read(Withdrawn, FILE, fix)


def remember(study: Study, found: dict[str, str]) -> None:
    """Add withdrawals (participant id -> day) to what this computer remembers of ``study``; an unwritable config
    folder (a read-only home) is no reason to stop the command that saw them: the log still holds them."""
    key = study.config.recipients[0].key
    known = _read()
    ours = {**known.studies.get(key, {}), **found}
    if ours == known.studies.get(key, {}):
        return
    configmemory.write(FILE, Withdrawn({**known.studies, key: ours}))


def withdrawn_here(study: Study) -> dict[str, str]:
    """The participant ids (and days) of the women this computer saw withdraw from ``study``."""
    return _read().studies.get(study.config.recipients[0].key, {})


def refuse_withdrawn_here(study: Study) -> None:
    """Refuse, in one line, a study that holds the folder of a participant who withdrew: her folder put back into a
    study whose own log records her withdrawal (then the log says when, and in which entry), or an older copy of the
    study (a backup restored, a copy synced back) that only this computer's memory knows she withdrew from. The
    withdrawals its own log records are remembered first."""
    if study.is_field_kit:
        return
    withdrawals = study.withdrawals()  # with the key in use, only those it signed (QA W21)
    logged = {w.participant_id: w for w in withdrawals if w.participant_id}  # the last one, if twice
    if study.audit.keyed:  # and only those are remembered: a forged line must not outlive its log
        remember(study, days_by_participant(withdrawals))
    here = withdrawn_here(study)
    if not logged and not here:
        return
    for name in study.participant_names():
        found = participant_id(layout.participant(study.root, name))
        if found is None or (found not in logged and found not in here):
            continue
        again = f"withdraw her again (`{command('withdraw', study.root, name)}`)"
        if found in logged:  # QA W18: the log holds it; whatever this computer remembers
            from fieldvault.stewardship.withdraw import copy_lost  # it reads this module: import here

            if lost := copy_lost(study, name):  # never put back: her withdrawal was cut off, its copy destroyed
                raise BadInput(lost)
            withdrawal = logged[found]
            raise BadInput(
                f"participants/{name} is the folder of a woman who withdrew: it was put back after her withdrawal on "
                f"{withdrawal.day} (entry {withdrawal.entry.get('seq')} of this study's audit log), copied from an "
                f"older backup or copy; nothing was done: {again} to destroy it, before anything else"
            )
        raise BadInput(
            f"participants/{name} is a participant who withdrew on {here[found]} (this computer saw it): this copy "
            "of the study predates her withdrawal (an older backup restored, or a copy synced back); nothing was "
            f"done: {again} before anything else (only if that withdrawal was a trial on a scratch copy of the study "
            f"and she has not withdrawn: remove the entry {found} from {paths.config_dir() / FILE})"
        )
