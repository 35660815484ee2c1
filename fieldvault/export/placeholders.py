"""A participant's placeholder numbers, kept with her data: once an export has called a person "[PERSON 3]", every
later export of her transcripts calls that person so, whichever sessions it selects, with or without unreviewed ones,
however far review has gone (QA R6: the second coder's sample, the unreviewed sessions added, and each week's review
renumbered people, and coders compare exports across rounds).

The numbers are sealed in her folder (they are keyed by the names they stand for) and destroyed with it at withdrawal;
a number, once given, is never given to anyone else, also when its person is rejected or merged away later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fieldvault import layout, serial
from fieldvault.agefile import Identity
from fieldvault.atomicfile import exclusive
from fieldvault.redact.replace import Placeholders
from fieldvault.redact.review import Redactions
from fieldvault.study import Study

SCHEMA_VERSION = 1


@dataclass
class PlaceholderNumbers:
    """entity ("PERSON:marisol quintanilla") -> n of her [PERSON n], as every export so far gave them."""

    people: dict[str, int] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION


def _path(study: Study, pseudonym: str) -> str:
    return str(layout.participant(study.root, pseudonym).relative_to(study.root) / layout.PLACEHOLDERS)


def kept_numbers(study: Study, pseudonym: str, identities: Sequence[Identity]) -> dict[str, int]:
    """The numbers exports gave her people so far (none before her first export)."""
    if not study.path(_path(study, pseudonym)).is_file():
        return {}
    data = study.read(_path(study, pseudonym), identities)
    return serial.loads(PlaceholderNumbers, data, f"{pseudonym}'s placeholder numbers").people


def numbered(
    study: Study, identities: Sequence[Identity], pseudonym: str, redactions: Sequence[Redactions]
) -> Placeholders:
    """Her placeholders over ``redactions``, each person with the number exports gave her before; people new here
    take the next numbers, stored before anything is exported. One export at a time reads and writes them (her
    folder's lock), so two at once never give one number to two people."""
    folder = layout.participant(study.root, pseudonym)
    with exclusive(folder):
        before = kept_numbers(study, pseudonym, identities)
        placeholders = Placeholders.build(redactions, before)
        if placeholders.numbers != before and folder.is_dir() and not on_backup(study):
            study.replace(_path(study, pseudonym), serial.dumps(PlaceholderNumbers(placeholders.numbers)))
    return placeholders


UNKEPT = (
    "exported from a backup, which is never written to: the numbers of people first named here are not kept, and "
    "an export from the study may number them otherwise"
)


def on_backup(study: Study) -> bool:
    """Whether ``study`` is a folder `fieldvault backup` made: exports read it (QA S5), nothing is written there."""
    return study.on_backup
