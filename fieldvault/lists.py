"""Her list of names she may mention after her first interview: names she gives at a follow-up are added to it (QA
T5), never taking one away; a list the log vouched for is never sealed anew, only restored (QA T19: deleted on a kit
and sealed again empty, her names were on no list). Never drops or changes a name on a list.

On the trusted machine an append re-seals her list with the old names and the new, vouched by the study key. A field
kit cannot read the list it holds for her: it seals the new names alone beside it (``layout.ADDED_IDENTIFIERS``),
vouched by the kit's forward key, and merge-kit adds them to her list in the study (``fold_added``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldvault import layout, names, vouching
from fieldvault.agefile import Identity
from fieldvault.audit import vouched
from fieldvault.errors import BadInput, LockedStudy
from fieldvault.participantid import ensure_participant_id
from fieldvault.participants import (
    IdentifierList,
    KnownIdentifier,
    list_too_long,
    participant_folder,
    read_identifier_list,
    refuse_listed,
)
from fieldvault.study import Study
from fieldvault.suggested import command

APPENDED = "participant.list-appended"
ADDED = re.compile(re.escape(layout.ADDED_IDENTIFIERS).replace(r"\{n\}", r"([1-9][0-9]{0,5})"))


@dataclass(frozen=True)
class Appended:
    """What an append did: her name as stored, the names added, those she had already (left out, quietly)."""

    pseudonym: str
    added: int
    already: int
    on_kit: bool


def same(text: str) -> str:
    """What two entries of a list share when they are one name to the scrub (case, accents, NFD, spaces)."""
    return names.name_key(text)


def new_names(held: Iterable[KnownIdentifier], given: Iterable[KnownIdentifier]) -> list[KnownIdentifier]:
    """The names of ``given`` not on ``held`` (nor twice in ``given``), in the order given."""
    seen = {same(i.text) for i in held}
    found = []
    for item in given:
        if same(item.text) not in seen:
            seen.add(same(item.text))
            found.append(item)
    return found


def sealed_before(study: Study, folder: str) -> str | None:
    """The day an entry of this study's or kit's log first vouched for a list in her folder (renamed since or not),
    or None: one was sealed there, and a list missing now was deleted."""
    first: dict[str, str] = {}
    for entry in study.audit.entries():
        details = entry.get("details")
        if entry.get("action") == vouching.RENAMED and isinstance(details, dict):
            first = _moved(first, str(details.get("moved_from")), str(details.get("pseudonym")))
        for path in vouched(entry):
            first.setdefault(path, str(entry.get("time", ""))[:10])
    return first.get(f"{layout.PARTICIPANTS}/{folder}/{layout.IDENTIFIERS}")


def _moved(paths: dict[str, Any], before: str, after: str) -> dict[str, Any]:
    old, new = f"{layout.PARTICIPANTS}/{before}/", f"{layout.PARTICIPANTS}/{after}/"
    return {(new + p[len(old) :] if p.startswith(old) else p): v for p, v in paths.items()}


def refuse_sealed_before(study: Study, folder: Path) -> None:
    """BadInput where her list is missing and the log vouched for one in her folder: it was deleted, and a list sealed
    in its place (empty, or holding fewer names) would take her names off every export (QA T19)."""
    day = sealed_before(study, folder.name)
    if day is None:
        return
    relative = f"{layout.PARTICIPANTS}/{folder.name}/{layout.IDENTIFIERS}"
    where = "a copy of this kit" if study.is_field_kit else "your latest backup"
    raise BadInput(
        f"{folder.name}'s list of names she may mention was sealed on {day}: it was deleted since; restore {relative} "
        f"from {where}, or ask the PI (a list is never sealed again: names she gives now are added with "
        f"`{command('participant', 'add-list', study.root, folder.name, '--append', '--identifiers', 'FILE')}`)"
    )


def refuse_from_study(study: Study, folder: Path) -> None:
    """On a field kit, BadInput for a participant the kit did not add (no profile of hers on it): her list is the
    study's, which the kit never holds; a list sealed here would stand for it."""
    if study.is_field_kit and not (folder / layout.PROFILE).is_file():
        raise BadInput(
            f"{folder.name} was added in the study, which holds her list of names she may mention (a kit never "
            "does): add the names she gives now with "
            f"`{command('participant', 'add-list', study.root, folder.name, '--append', '--identifiers', 'FILE')}`"
        )


def missing_list_fix(study: Study, folder: str) -> str:
    """What to do where her list is missing: restore it where the log vouched for one (deleted: QA T19), else put it
    back or seal one (an add cut off)."""
    if sealed_before(study, folder) is not None:
        return (
            f"restore {layout.PARTICIPANTS}/{folder}/{layout.IDENTIFIERS} from a backup (it was deleted), or ask the PI"
        )
    again = command("participant", "add-list", study.root, folder, "--identifiers", "FILE")
    return f"put it back from a backup, or seal one: `{again}`"


def append_to_list(
    study: Study, pseudonym: str, identifiers: Sequence[KnownIdentifier], identities: Sequence[Identity] = ()
) -> Appended:
    """Add ``identifiers`` to her list, the names on it kept as they are and those she had left out; checked as a first
    list is (her pseudonym and the others' against it: ``refuse_listed``; its length). In a study, with the study key;
    on a field kit, without any (``_append_on_kit``). Run twice, the second adds nothing and writes nothing."""
    study.refuse_backup()
    folder = participant_folder(study, pseudonym)
    relative = Path(layout.PARTICIPANTS, folder.name, layout.IDENTIFIERS)
    if not (study.root / relative).is_file():
        refuse_sealed_before(study, folder)
    if study.is_field_kit:
        return _append_on_kit(study, folder, identifiers)
    if study.study_identity(identities) is None:
        raise LockedStudy(
            "adding names to her list of names she may mention needs the study passphrase (her list is read, then "
            "sealed again and vouched for by the study key): the prompt, --passphrase-file or FIELDVAULT_PASSPHRASE; "
            "in the TUI, unlock first"
        )
    study.use_identities(identities)
    held = (
        list(read_identifier_list(study, relative, identities).identifiers) if (study.root / relative).is_file() else []
    )
    added = new_names(held, identifiers)
    whole = [*held, *added]
    refuse_listed(study, folder.name, [i.text for i in whole], identities)
    if (problem := list_too_long(whole)) is not None:
        raise BadInput(f"{problem}; keep the names she may really mention")
    if added:
        payload = IdentifierList(tuple(whole), pseudonym=folder.name, participant_id=ensure_participant_id(folder))
        vouching.seal_vouched(
            study, APPENDED, {relative.as_posix(): payload.to_json()}, pseudonym=folder.name, count=len(added)
        )
    return Appended(folder.name, len(added), len(identifiers) - len(added), on_kit=False)


def _append_on_kit(study: Study, folder: Path, identifiers: Sequence[KnownIdentifier]) -> Appended:
    """A kit cannot read her list: the new names are sealed alone, in the next ``ADDED_IDENTIFIERS`` file of her folder,
    for merge-kit to add; names repeated among them are left out here, names already on her list there."""
    added = new_names([], identifiers)
    refuse_listed(study, folder.name, [i.text for i in added], ())  # on a kit: her new names, the pseudonyms it holds
    if (problem := list_too_long(added)) is not None:
        raise BadInput(f"{problem}; keep the names she may really mention")
    if added:
        taken = [int(m.group(1)) for p in folder.iterdir() if (m := ADDED.fullmatch(p.name))]
        taken += _vouched_numbers(study, folder.name)  # a file deleted is never sealed again (QA U7)
        target = folder / layout.ADDED_IDENTIFIERS.format(n=max(taken, default=0) + 1)
        payload = IdentifierList(tuple(added), pseudonym=folder.name, participant_id=ensure_participant_id(folder))
        study.write_new(target, payload.to_json())
        vouched_now = {vouching.relative_of(study, target): vouching.digest(payload.to_json())}
        study.audit.append_vouching(APPENDED, vouched_now, pseudonym=folder.name, count=len(added))
    return Appended(folder.name, len(added), len(identifiers) - len(added), on_kit=True)


def _vouched_numbers(study: Study, pseudonym: str) -> list[int]:
    """The numbers of the files of names added to her list that an entry of the log vouched for, deleted or not."""
    base = f"{layout.PARTICIPANTS}/{pseudonym}/"
    return [
        int(found.group(1))
        for entry in study.audit.entries()
        for path in vouched(entry)
        if path.startswith(base) and (found := ADDED.fullmatch(path.removeprefix(base)))
    ]


# --- merge-kit -----------------------------------------------------------------------------------------------


def sealed_again(entries: Iterable[dict[str, Any]], doubtful: set[int]) -> dict[str, tuple[str, str]]:
    """{a path on the kit now: (the day it was first sealed, the day it was sealed again)} for each list, or file of
    names added to one, that a kit entry vouched for after an earlier one had (renames on the kit followed): deleted
    and sealed anew (QA T19, U7). A kit never seals either twice; names added at a follow-up go in files of their own,
    each under a number never used before."""
    first: dict[str, str] = {}
    again: dict[str, tuple[str, str]] = {}
    for entry in entries:
        details = entry.get("details")
        if int(str(entry.get("seq", 0))) in doubtful:
            continue
        if entry.get("action") == vouching.RENAMED and isinstance(details, dict):
            before, after = str(details.get("moved_from")), str(details.get("pseudonym"))
            first, again = _moved(first, before, after), _moved(again, before, after)
        day = str(entry.get("time", ""))[:10]
        for path in vouched(entry):
            if not path.endswith("/" + layout.IDENTIFIERS) and not ADDED.fullmatch(path.rsplit("/", 1)[-1]):
                continue  # her list, or names added to it: each sealed once (QA T19, U7)
            if path in first:
                again[path] = (first[path], day)
            first.setdefault(path, day)
    return again


def fold_added(
    study: Study, added: Sequence[tuple[str, Sequence[KnownIdentifier]]], identities: Sequence[Identity], kit: str
) -> list[str]:
    """Add the names a kit sealed at follow-ups ((her list's path in the study, the names)) to her list in the study,
    once the kit's files are in: each list that gains a name is sealed again with every name it held, and vouched for
    by the study key in its own entry. Merged again, nothing is new and nothing is written. The lists that changed."""
    grouped: dict[str, list[KnownIdentifier]] = {}
    for target, identifiers in added:
        grouped.setdefault(target, []).extend(identifiers)
    changed = []
    for target, identifiers in grouped.items():
        folder = study.root / Path(target).parent
        held = (
            list(read_identifier_list(study, Path(target), identities).identifiers)
            if (study.root / target).is_file()
            else []
        )
        new = new_names(held, identifiers)
        if not new:
            continue
        payload = IdentifierList((*held, *new), pseudonym=folder.name, participant_id=ensure_participant_id(folder))
        vouching.seal_vouched(
            study, APPENDED, {target: payload.to_json()}, pseudonym=folder.name, count=len(new), kit=kit
        )
        changed.append(target)
    return changed
