"""Her list of names she may mention after her first interview: names she gives at a follow-up are added to it (QA
T5), never taking one away; a list the log vouched for is never sealed anew, only restored (QA T19: deleted on a kit
and sealed again empty, her names were on no list). Never drops or changes a name on a list.

On the trusted machine an append re-seals her list with the old names and the new, vouched by the study key. A field
kit cannot read the list it holds for her, nor can a study opened locked (QA U13): each seals the new names alone beside
it (``layout.ADDED_IDENTIFIERS``), vouched on a kit by its forward key. merge-kit adds a kit's to her list in the study,
and the next use of the study key the study's own (``fold_added``, ``fold_beside``); until then every reader with a key
uses them (``participants.known_identifiers``).

Her list grows past ``MAX_LIST`` by appends (QA U11): the limit catches a wrong file given at once (each append is
held to it), and a fold never drops a name she gave, nor refuses a kit for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldvault import atomicfile, beside, layout, names, vouching
from fieldvault.agefile import Identity
from fieldvault.agefile.header import payload_id
from fieldvault.audit import vouched
from fieldvault.beside import APPENDED, FOLDED, moved
from fieldvault.errors import BadInput, FieldvaultError
from fieldvault.participantid import ensure_participant_id
from fieldvault.participants import (
    ADDED,
    MAX_LIST,
    IdentifierList,
    KnownIdentifier,
    listed_since,
    names_lost,
    participant_folder,
    read_added,
    read_identifier_list,
    refuse_pseudonym_given_now,
    refuse_pseudonyms_listed,
)
from fieldvault.study import Study
from fieldvault.suggested import command

ADD_AGAIN = "add the names she gave now again"  # once a participant whose pseudonym is on them is renamed
# What a user is told of names sealed beside her list in a study opened locked (QA U13)
LOCKED_APPEND = (
    "the next command run with the study passphrase (in the TUI: the next unlock) adds them to her list; until then "
    "export, redact and review use them as if they were on it"
)


def long_list(whose: str, holds: int) -> str:
    """The note that her list grew past ``MAX_LIST`` (QA U11): nothing is wrong, and nothing was dropped."""
    return (
        f"note: {whose}'s list of names she may mention holds {holds} names now, more than the {MAX_LIST} a list given "
        "at once may hold: every name is kept; each one makes the study's exports a little slower"
    )


@dataclass(frozen=True)
class Appended:
    """What an append did: her name as stored, the names added, those she had already (left out, quietly), whether
    they were sealed beside her list (``on_kit``: a field kit; ``locked``: a study opened locked), and how many names
    her list holds now (None where it could not be read)."""

    pseudonym: str
    added: int
    already: int
    on_kit: bool
    locked: bool = False
    holds: int | None = None
    warning: str | None = None  # her pseudonym on another list (``listed_since``)

    @property
    def beside(self) -> bool:
        return self.on_kit or self.locked


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
    for entry in study.audit.facts():  # a rename the study key did not sign moves nothing (QA X14)
        details = entry.get("details")
        if entry.get("action") == vouching.RENAMED and isinstance(details, dict):
            first = moved(first, str(details.get("moved_from")), str(details.get("pseudonym")))
        for path in vouched(entry):
            first.setdefault(path, str(entry.get("time", ""))[:10])
    return first.get(f"{layout.PARTICIPANTS}/{folder}/{layout.IDENTIFIERS}")


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
    """Add ``identifiers`` (held to a first list's rules as parsed: at most ``MAX_LIST``) to her list, the names on it
    kept as they are and those she had left out; checked as a first list is (her pseudonym and the others' against
    it: ``refuse_pseudonyms_listed``), her pseudonym on another list a warning (``listed_since``). In a study, with
    the study key; on a field kit, or in a study without the study key (opened locked, QA U13), sealed beside her
    list (``_append_beside``). Run twice, the second adds nothing and writes nothing."""
    study.refuse_backup()
    folder = participant_folder(study, pseudonym)
    relative = Path(layout.PARTICIPANTS, folder.name, layout.IDENTIFIERS)
    if not (study.root / relative).is_file():
        refuse_sealed_before(study, folder)
    if study.is_field_kit or study.study_identity(identities) is None:
        return _append_beside(study, folder, identifiers)
    study.use_identities(identities)  # names sealed beside her list before are in it now (``fold_beside``)
    held = (
        list(read_identifier_list(study, relative, identities).identifiers) if (study.root / relative).is_file() else []
    )
    added = new_names(held, identifiers)
    whole = [*held, *added]
    refuse_pseudonym_given_now(study, folder.name, [i.text for i in added])
    refuse_pseudonyms_listed(study, folder.name, [i.text for i in whole], ADD_AGAIN)
    warning = listed_since(study, folder.name, identities)
    if added:
        payload = IdentifierList(tuple(whole), pseudonym=folder.name, participant_id=ensure_participant_id(folder))
        vouching.seal_vouched(
            study, APPENDED, {relative.as_posix(): payload.to_json()}, pseudonym=folder.name, count=len(added)
        )
    return Appended(
        folder.name, len(added), len(identifiers) - len(added), on_kit=False, holds=len(whole), warning=warning
    )


def _append_beside(study: Study, folder: Path, identifiers: Sequence[KnownIdentifier]) -> Appended:
    """Where her list cannot be read (a kit; a study opened locked): the new names are sealed alone, in the next
    ``ADDED_IDENTIFIERS`` file of her folder, for merge-kit or the next use of the study key to add; names repeated
    among them are left out here, names already on her list there."""
    added = new_names([], identifiers)
    refuse_pseudonym_given_now(study, folder.name, [i.text for i in added])
    refuse_pseudonyms_listed(study, folder.name, [i.text for i in added], ADD_AGAIN)  # the other lists are sealed
    if added:
        taken = [int(m.group(1)) for p in folder.iterdir() if (m := ADDED.fullmatch(p.name))]
        taken += _vouched_numbers(study, folder.name)  # a file deleted is never sealed again (QA U7)
        taken += beside.numbers_used(study, folder.name)  # nor one a study opened locked sealed (QA V20)
        target = folder / layout.ADDED_IDENTIFIERS.format(n=max(taken, default=0) + 1)
        payload = IdentifierList(tuple(added), pseudonym=folder.name, participant_id=ensure_participant_id(folder))
        study.write_new(target, payload.to_json())
        relative = vouching.relative_of(study, target)
        # in a study, the file and the hash of its bytes: no key vouches for them, and `check`, every fold and every
        # export of her sessions look for exactly that file (QA V20: deleted before the unlock, her names were lost)
        sealed = {} if study.is_field_kit else {"file": relative, "sha256": beside.sha256_of(target) or ""}
        vouched_now = {relative: vouching.digest(payload.to_json())}
        study.audit.append_vouching(APPENDED, vouched_now, pseudonym=folder.name, count=len(added), **sealed)
    kit = study.is_field_kit
    return Appended(folder.name, len(added), len(identifiers) - len(added), on_kit=kit, locked=not kit)


def _vouched_numbers(study: Study, pseudonym: str) -> list[int]:
    """The numbers of the files of names added to her list that an entry of the log vouched for, deleted or not."""
    base = f"{layout.PARTICIPANTS}/{pseudonym}/"
    return [
        int(found.group(1))
        for entry in study.audit.entries()
        for path in vouched(entry)
        if path.startswith(base) and (found := ADDED.fullmatch(path.removeprefix(base)))
    ]


def record_names_lost(study: Study, pseudonym: str, identities: Sequence[Identity]) -> list[str]:
    """With the study key: record each file of names she gave with the study locked that is not at hand
    (``names_lost``) as lost (``FOLDED``, reason ``LOST``), so that exports of her sessions go on once the PI has added
    the names again as the interviewer recalls them (QA V20). BadInput where none is. The files recorded."""
    lost = [relative for relative, _ in names_lost(study, pseudonym, identities)]
    if not lost:
        raise BadInput(f"no file of names {pseudonym} gave is missing or damaged: leave out --names-lost")
    sealed = beside.logged(study)[0]
    for relative in lost:
        sha = sealed[relative].sha256 if relative in sealed else beside.sha256_of(study.root / relative) or ""
        study.audit.append(FOLDED, pseudonym=pseudonym, file=relative, sha256=sha, reason=beside.LOST)
    return lost


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
            first, again = moved(first, before, after), moved(again, before, after)
        day = str(entry.get("time", ""))[:10]
        for path in vouched(entry):
            if not path.endswith("/" + layout.IDENTIFIERS) and not ADDED.fullmatch(path.rsplit("/", 1)[-1]):
                continue  # her list, or names added to it: each sealed once (QA T19, U7)
            if path in first:
                again[path] = (first[path], day)
            first.setdefault(path, day)
    return again


def fold_added(
    study: Study,
    added: Sequence[tuple[str, Sequence[KnownIdentifier]]],
    identities: Sequence[Identity],
    kit: str | None = None,
) -> dict[str, int]:
    """Add the names sealed beside lists at follow-ups ((her list's path in the study, the names): a kit's, once its
    files are in; the study's own, ``fold_beside``) to her list in the study: each list that gains a name is sealed
    again with every name it held, and vouched for by the study key in its own entry. Every name is kept, however long
    her list grows (QA U11: a limit meant for a file given at once must not drop names she said, or refuse a kit for
    them). Folded again, nothing is new and nothing is written. {each list that changed: how many names it holds}."""
    grouped: dict[str, list[KnownIdentifier]] = {}
    for target, identifiers in added:
        grouped.setdefault(target, []).extend(identifiers)
    changed = {}
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
        where = {"kit": kit} if kit is not None else {}
        vouching.seal_vouched(
            study, APPENDED, {target: payload.to_json()}, pseudonym=folder.name, count=len(new), **where
        )
        changed[target] = len(payload.identifiers)
    return changed


def fold_beside(study: Study, identities: Sequence[Identity]) -> list[str]:
    """With the study key just put to use (``Study.use_identities``): add the names sealed beside each list in the study
    with it opened locked (QA U13), each file its log records as sealed (``beside.weigh``), to her list
    (``fold_added``), record each file taken in (``FOLDED``: a backup then destroys its copy, QA V22), then delete it.
    Cut off anywhere, the next fold adds nothing twice and loses nothing: a file is deleted only once its names are on
    her list and its fold recorded. A file no entry records (anyone may seal one with the public key, QA V23), or one
    that does not read as hers, is never folded; nor any while her list is missing (names alone would stand for it,
    T19). None in a field kit or a backup. A line for each file of names she gave that is not at hand (QA V20), for the
    command or the TUI to say."""
    if study.is_field_kit or study.on_backup:
        return []
    said = []
    for pseudonym in study.participant_names():
        said += [
            f"names {pseudonym} gave with the study locked are not at hand ({path}), so exports of her sessions "
            f"refuse; `{command('check', study.root)}` says what to do"
            for path, _ in names_lost(study, pseudonym, identities)
        ]
        try:
            _fold_hers(study, pseudonym, identities)
        except (OSError, FieldvaultError):  # read-only; her list damaged, another's or replaced: named by `check`
            continue
    return said


def _fold_hers(study: Study, pseudonym: str, identities: Sequence[Identity]) -> None:
    weighed = beside.weigh(study, pseudonym)
    target = f"{layout.PARTICIPANTS}/{pseudonym}/{layout.IDENTIFIERS}"
    if not (study.root / target).is_file():
        return  # a list deleted: names added alone would stand for it (QA T19); every reader refuses
    found = []
    for path in weighed.ready:
        try:
            found.append((path, read_added(study, path.relative_to(study.root), identities).identifiers))
        except FieldvaultError:
            continue  # damaged, or another's: it stops exports of her sessions, and `check` names it
    fold_added(study, [(target, names) for _, names in found], identities)
    for path, _ in found:
        relative = path.relative_to(study.root).as_posix()
        sha, payload = beside.sha256_of(path) or "", payload_id(path) or ""  # a backup destroys that copy only (V3)
        study.audit.append(FOLDED, pseudonym=pseudonym, file=relative, sha256=sha, payloads=payload)
    for path in [*(p for p, _ in found), *weighed.folded]:  # folded: a fold cut off before it deleted them
        path.unlink()
    if found or weighed.folded:
        atomicfile.sync_folder(study.root / target.rsplit("/", 1)[0])
