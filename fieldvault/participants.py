"""Participants: pseudonyms, their encrypted profile (questionnaire and consent record), known
identifiers, and session folders. A real name is never stored, in plaintext or otherwise, as a key.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fieldvault import atomicfile, beside, layout, names, serial, userfile, vouching
from fieldvault.agefile import Identity
from fieldvault.agefile.header import read_header
from fieldvault.agefile.stream import CHUNK, NONCE_SIZE, TAG
from fieldvault.beside import ADDED
from fieldvault.errors import BadInput, BadStudyFile, FieldvaultError, ListedPseudonym, LockedStudy, TamperedStudy
from fieldvault.kittemplates import refuse_changed_templates
from fieldvault.layout import IDENTIFIERS, PROFILE, STUDY_IDENTIFIERS
from fieldvault.participantid import ensure_participant_id, participant_id
from fieldvault.questionnaire import Answer
from fieldvault.sessioninfo import read_index
from fieldvault.showntime import SESSION_ID
from fieldvault.study import KIT_PARTICIPANTS, Study
from fieldvault.suggested import command
from fieldvault.templates import CONSENT_SCRIPT, LETTER, RECONFIRMATION, FilledDocument, fill, template_text

SCHEMA_VERSION = 1
# 2: a participant's list carries her pseudonym and participant id (QA H10); a list of version 1 is unbound, read as is
LIST_SCHEMA_VERSION = 2
# A list of names someone may mention is scrubbed from every text of every export, each name on it at some cost: a
# 20,000-name list made every export of the study run for minutes (QA K13 B). Far above any real list (a woman
# names tens of people and places), low enough that no one list makes exports crawl. README says them.
MAX_LIST = 500
MAX_IDENTIFIER = 200  # characters: a name, a place, an address
LABELS = ("PERSON", "LOCATION", "ORG", "CONTACT", "DATE", "ID")
# A pseudonym that is a name on another woman's list or the study's, or retired: not a word of why, nor whose (QA V12)
NOT_HERE = "{!r} cannot be used as a pseudonym here; please choose another"


def check_pseudonym(study: Study, pseudonym: str) -> str:
    """The pseudonym as it will be stored (the one name rule, unlike every existing one and every retired one), or
    BadInput. A retired one (a withdrawn participant's, one renamed away) gets the bare NOT_HERE words: the woman
    choosing hers may be reading, and why would tell her who withdrew, or who was renamed to what (QA V12). The
    rename the PI runs says why (participantrename)."""
    remove_cut_off_add(study, pseudonym)  # before "taken already": the CLI and the wizard check first (QA U12)
    name = refuse_stand_in(names.check_new_name(pseudonym, study.participant_names(), "pseudonym"))
    try:
        return refuse_renamed_away(study, refuse_withdrawn(study, name))
    except BadInput:
        raise ListedPseudonym(NOT_HERE.format(name)) from None


def _looks(text: str) -> str:
    """What ``text`` looks like, whatever its case and script: the skeleton of its case-folded NFKC form, folded."""
    return names.skeleton(unicodedata.normalize("NFKC", text).casefold()).casefold()


# Over _looks(name): "0" reads "o", "1" "l", an en dash "-", an em dash "ー" (UTS #39's prototypes)
_STAND_IN = re.compile(
    rf"{_looks('participant')}[\s_{re.escape(_looks('-–—'))}]*"
    rf"(?:[{re.escape(_looks('0123456789abcdef'))}]{{6}}|[{re.escape(_looks('0123456789'))}]+)"
)


def refuse_stand_in(name: str) -> str:
    """Exports name a woman whose pseudonym matches an identifier "Participant-" and six hex digits (or a number):
    a pseudonym of that form could go out under another woman's stand-in, two women under one name (QA R13). One
    that only looks so (Cyrillic "Р", "а", an en dash) reads the same in an export: refused too."""
    if _STAND_IN.fullmatch(_looks(name).strip()):
        raise BadInput(
            f"{name!r} has the form of the stand-in exports give a participant whose pseudonym is an identifier "
            "(Participant- and six hex digits): choose another pseudonym"
        )
    return name


def renamed_from(study: Study, name: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(entry, details) of each `participant.rename` in the log that moved a participant away from ``name``."""
    found = []
    for entry in study.audit.facts():
        details = entry.get("details")
        if entry.get("action") == "participant.rename" and isinstance(details, dict):
            if names.same_name(str(details.get("moved_from")), name):
                found.append((entry, details))
    return found


def refuse_renamed_away(study: Study, name: str, participant_id: str | None = None) -> str:
    """A pseudonym a participant was renamed away from is retired too, unless it goes back to her (``participant_id``):
    a new woman under it got the file and case names earlier exports gave the first (QA T10)."""
    for entry, details in reversed(renamed_from(study, name)):
        if details.get("participant_id") != participant_id:
            raise BadInput(
                f"the pseudonym {name!r} was {details.get('pseudonym')!r}'s until {str(entry.get('time'))[:10]}, and "
                "exports made then still bear it: choose another"
            )
    return name


def refuse_withdrawn(study: Study, name: str) -> str:
    """A withdrawn participant's pseudonym is retired: a new woman under it was reported as withdrawn and her consent
    missing, and the exports her coders were asked to delete bear it (QA J17)."""
    if study.is_field_kit:  # nobody withdraws on a kit (its log may be damaged in places: QA G6)
        return name
    if names.find_same(name, [w.pseudonym for w in study.withdrawals() if w.pseudonym]) is not None:
        raise BadInput(
            f"the pseudonym {name!r} was a participant's who withdrew, and it is retired (the report and the exports "
            "her data went out in bear it): choose another"
        )
    return name


def check_new_participant(study: Study, pseudonym: str, own: Iterable[str], identities: Sequence[Identity]) -> str:
    """The pseudonym as it will be stored, after every check a new participant's pseudonym passes (the name rule,
    and ``refuse_listed`` with ``own``, her list as typed so far); BadInput (ListedPseudonym for a listed name)."""
    name = check_pseudonym(study, pseudonym)
    refuse_listed(study, name, own, identities)
    return name


def participant_folder(study: Study, pseudonym: str) -> Path:
    """The folder of an existing participant, found by the name rule (so NFD or look-alike input finds it)."""
    name = names.check_name(pseudonym, "pseudonym")
    stored = name if name in study.participant_names() else names.find_same(name, study.participant_names())
    if stored is None:
        withdrew = {} if study.is_field_kit else {w.pseudonym: w.day for w in study.withdrawals()}  # the last
        gone = names.find_same(name, withdrew)
        if gone is not None:  # QA K14 (A): "add her first" sent the user to an add that refuses a retired pseudonym
            raise BadInput(
                f"{gone} withdrew from the study on {withdrew[gone]}: her data was destroyed, and nothing was done "
                f"(`{command('report', study.root, '--out', 'FILE')}` lists the withdrawal)"
            )
        raise BadInput(f"no participant {name!r} in this study; add her first (`fieldvault participant add`)")
    return layout.participant(study.root, stored)


def session_folder(study: Study, pseudonym: str, session: str) -> Path:
    """The folder of an existing session, both names checked by the name rule."""
    folder = participant_folder(study, pseudonym) / names.check_name(session, "session id")
    if not folder.is_dir():
        from fieldvault.sessionmove import moved_sessions, where_now

        now = where_now(moved_sessions(study), folder.parent.name, folder.name)
        if now is not None:  # QA Q8: a move run twice said only "no session"
            raise BadInput(f"session {folder.name} of {folder.parent.name} was moved to {now}; it is hers now")
        raise BadInput(f"no session {session!r} for {folder.parent.name!r}; `fieldvault` lists the sessions")
    return folder


def refuse_listed(study: Study, pseudonym: str, own: Iterable[str], identities: Sequence[Identity]) -> None:
    """Refuse a new participant's pseudonym that is, or is a word of, a name on her own list (``own``), on another
    participant's or on the study's (look-alikes the same), and a list of hers that holds another participant's
    pseudonym: a pseudonym is plaintext in her folder's name, the audit log and every field kit, and may be
    someone's real name.

    Another participant's list is sealed: on the trusted machine it is read with ``identities``, and a study whose
    lists are not all empty refuses without them (LockedStudy). A field kit cannot read the lists it sealed, so it
    checks her own list and the pseudonyms it holds; merge-kit checks the rest before anything reaches the study.
    There, her list holding another participant's pseudonym is no refusal (``others_on_her_list`` says it): the
    interviewer cannot rename that woman with her waiting, and merge-kit takes her in once the PI has (qa29 QE11)."""
    if study.is_field_kit:
        _refuse_on(pseudonym, [("her list", list(own))])
    else:
        refuse_pseudonyms_listed(study, pseudonym, list(own))
    _refuse_on(pseudonym, other_lists(study, pseudonym, identities))


def others_on_her_list(study: Study, pseudonym: str, own: Sequence[str]) -> str | None:
    """On a field kit, where a new participant's list (``own``) holds another participant's pseudonym: what the
    interviewer is told once she is saved (her list kept whole: a name taken off it is off every export's scrub), else
    None. merge-kit refuses her until that woman is renamed in the study, and names the command."""
    for other in study.participant_names():
        if names.same_name(other, pseudonym) or (clash := identifier_clash(other, own)) is None:
            continue
        return (
            f"{pseudonym} is saved with her list as typed; the name {clash!r} on it holds the pseudonym of another "
            f"participant, {other!r}, which may be a real person's name: tell the PI, who renames {other!r} in the "
            "study before merging this kit (merge-kit takes her in only then, and says how)"
        )
    return None


def listed_since(study: Study, pseudonym: str, identities: Sequence[Identity]) -> str | None:
    """Where names are added to the list of a participant who has her pseudonym (a follow-up, a list sealed where hers
    was missing): the warning if her pseudonym, checked against every list when she chose it, is on another woman's
    list or the study's now (one gained it since). Her names are added all the same: refused, they stayed off her
    list, so out of every export's scrub, and this step cannot choose her another pseudonym (the bare NOT_HERE words
    made no sense here). Not whose list, nor which name on it: the interviewer reads it, she may be beside her (QA
    V12)."""
    if all(identifier_clash(pseudonym, listed) is None for _, listed in other_lists(study, pseudonym, identities)):
        return None
    rename = command("participant", "rename", study.root, pseudonym, "NEW")
    return (
        f"her pseudonym {pseudonym!r} is now a name on a list of names people may mention in this study: it may be a "
        f"real person's name, and a pseudonym is stored in plaintext; the names she gave were added: tell the PI, who "
        f"renames her (`{rename}`; exports made before still say {pseudonym})"
    )


def refuse_pseudonyms_listed(study: Study, pseudonym: str, own: Sequence[str], then: str = "add her") -> None:
    """Refuse names for her list (``own``) that hold her pseudonym or another participant's: what a study opened locked
    or a field kit can check of names added at a follow-up (the pseudonyms are plaintext, the other lists sealed).
    ``then``: what to do once the other participant is renamed."""
    _refuse_on(pseudonym, [("her list", list(own))])
    for other in study.participant_names():
        if not names.same_name(other, pseudonym) and identifier_clash(other, own) is not None:
            raise BadInput(
                f"the participant {other!r} has a pseudonym that is on her list of names she may mention: it may be "
                f"a real person's name, and a pseudonym is stored in plaintext; rename {other!r} first (`"
                f"{command('participant', 'rename', study.root, other, 'NEW')}`), then {then}"
            )


def refuse_listed_rename(study: Study, to: str, folder: str, identities: Sequence[Identity]) -> None:
    """Refuse renaming the participant whose folder is ``folder`` to a name on any list (hers, another's, the
    study's), as ``refuse_listed`` refuses a new pseudonym."""
    relative = Path(layout.PARTICIPANTS, folder) / IDENTIFIERS
    own = []
    if (study.root / relative).is_file():
        own = [i.text for i in IdentifierList.from_json(study.read(relative, identities), str(relative)).identifiers]
    _refuse_on(to, [("her list", own), *other_lists(study, folder, identities)])


def on_any_list(study: Study, name: str, identities: Sequence[Identity]) -> bool:
    """Whether ``name`` is, or holds as a word, a name on anyone's list or the study's (the pseudonym rule): a
    reviewer's substitute name is printed in every export, so one that is a listed name would put it out in clear
    text, or come out as another's placeholder (QA J8); nor one that sounds like or is spelled much like one, as the
    detector takes ASR's forms of a listed name where a person stands (qa25 QA12: "Sonny" for a listed "Sunny")."""
    return _listed_like(name, every_listed_name(study, identities))


def _listed_like(name: str, listed: Sequence[str], respell: bool = True) -> bool:
    from fieldvault.redact.known import find_known  # it reads this module: import here

    if identifier_clash(name, listed) is not None:
        return True
    respelled = " ".join(_respelled(w) for w in _NAME_WORDS.split(name) if w)
    if respell and respelled != name.casefold():  # "Bee" or "Beah" of a listed "Bea", "Robbin" of "Robinette" (QC9)
        folded = {_respelled(w) for text in listed for w in _NAME_WORDS.split(text) if w}
        if respelled in folded or _listed_like(respelled, listed, respell=False):
            return True
    stems = {name_stem(w) for text in listed for w in _NAME_WORDS.split(text)} - {""}
    if any(name_stem(w) in stems for w in _NAME_WORDS.split(name)):
        return True  # "Peachy" of a listed "Peaches", "Sunnie" of "Sunny": her name with another ending (qa26 QB1)
    tails = {_respelled(w[i:]) for text in listed for w in _NAME_WORDS.split(text) for i in range(1, len(w) - 2)}
    if any(_respelled(w) in tails for w in _NAME_WORDS.split(name) if len(w) >= 3):
        return True  # "Trice" of a listed "Latrice": her name by its end, as people shorten it (qa28 QD5)
    said = f"named {name}"  # where a person stands, as a substitute does
    words = {w.casefold() for text in listed for w in _NAME_WORDS.split(text)}
    clipped = [KnownIdentifier(stem) for stem in stems - words]  # "Beach" of a listed "Peaches" (qa26, tiny.en)
    known = [KnownIdentifier(t, "PERSON") for t in listed] + clipped
    return any(span.end > len("named ") for span in find_known(said, known))


def _respelled(word: str) -> str:
    """A name's word as it sounds whatever its spelling: a doubled letter once, a run of vowels its first, and no "h"
    after a vowel at its end ("Robbin" "robin", "Beah" and "Bee" "be", "Zoie" "zo")."""
    word = re.sub(r"(.)\1+", r"\1", word.casefold())
    return re.sub(r"([aeiouy])[aeiouy]+", r"\1", re.sub(r"(?<=[aeiouy])h$", "", word))


# What a name's ending may be in its pet forms and plurals: "Peaches", "Peachy", "Peachie", "Peach".
_ENDING = re.compile(r"(?:ies|es|s|ie|ey|ee|y|i)$")


def name_stem(word: str) -> str:
    """A name's word without its pet or plural ending, where four letters or more are left; else ""."""
    stem = _ENDING.sub("", word.casefold())
    return stem if len(stem) >= 4 and stem.isalpha() else ""


# What an export prints where it took an identifier out (redact.replace, export.gate): "[PERSON 2]", "[CITY]", "[90
# or older]"; a substitute with brackets, a label as printed ("PERSON 3", "LOCATION") or a label with a number
# ("Person 2") reads as one.
_REDACTION_LABELS = "PERSON|LOCATION|ORG|CONTACT|DATE|ID|STREET|CITY|PLACE|HANDLE|EMAIL|URL|PHONE"
_PLACEHOLDER_LIKE = re.compile(
    rf"[\[\]]|\b(?:{_REDACTION_LABELS})\b|\b(?i:{_REDACTION_LABELS})\s*#?\d+\b|\b90 or older\b"
)


def substitute_refusal(
    study: Study, name: str, identities: Sequence[Identity], replaced: Sequence[str], others: Sequence[str] = ()
) -> str | None:
    """Why ``name`` may not stand in for the person whose mentions are ``replaced`` in exports, ``others`` the rest
    taken out of that interview (``why_not_substitute``), or None."""
    return why_not_substitute(name, every_listed_name(study, identities), study.participant_names(), replaced, others)


def why_not_substitute(
    name: str, listed: Sequence[str], pseudonyms: Sequence[str], replaced: Sequence[str], others: Sequence[str] = ()
) -> str | None:
    """Why a substitute name is refused, or None where it may stand in for a person in every export: one that is,
    holds or sounds like the words it replaces ("Marcus" for "Marcus Delgado", on no list: qa26 QB4) or a name on a
    list (``on_any_list``) puts that name out; one that is a participant's pseudonym in the study, hers or another's
    ("Lupe" in Rosa's interview), makes a coder read two women as one (qa25 QA12); one shaped like a placeholder
    ("[PERSON 2]", "PERSON 3") reads as a name the export took out, not one standing in for it; one like another
    name taken out of the same interview (``others``: "Faithe" for Marcus beside a Faith) puts that name out, and the
    export's last scrub, taking it for hers, printed the two people as one placeholder (tui29)."""
    if _PLACEHOLDER_LIKE.search(name):
        return "is shaped like an export's placeholder, and a reader would take it for a name the tool took out"
    if _listed_like(name, listed):
        return "is a name on a list of names people may mention, or sounds like one"
    if _listed_like(name, replaced):
        return "is, or sounds like, the name it stands in for"
    if _listed_like(name, others):  # "Faithe" for Marcus beside a Faith taken out: her name, and two people as one
        return "is, or sounds like, another name taken out of this interview, which it would put out"
    if identifier_clash(name, pseudonyms, short_forms=False) is not None:
        return "is a participant's pseudonym in this study, and coders would take the two for one woman"
    if _listed_like(name, pseudonyms):  # "Wrenn", "Ren" for the pseudonym Wren (qa28 QD5)
        return "sounds like a participant's pseudonym in this study, and coders would take the two for one woman"
    return None


def refuse_pseudonym_given_now(study: Study, pseudonym: str, added: Sequence[str]) -> None:
    """At a follow-up, names she gives now (``added``) that hold her pseudonym: she chose it long ago, earlier exports
    and the log bear it, and the names step cannot choose another (QA V6): say so, and what to do."""
    clash = identifier_clash(pseudonym, list(added))
    if clash is None:
        return
    rename = command("participant", "rename", study.root, pseudonym, "NEW")
    raise BadInput(
        f"her pseudonym {pseudonym!r} matches a name she gave now ({clash!r}): it may be her real name, and a "
        f"pseudonym is stored in plaintext; nothing was added: add the other names without that line, and tell the "
        f"PI, who renames her (`{rename}`; exports made before still say {pseudonym}), then adds that name"
    )


def _refuse_on(pseudonym: str, lists: list[tuple[str, list[str]]]) -> None:
    for whose, listed in lists:
        clash = identifier_clash(pseudonym, listed)
        if clash is None:
            continue
        if whose == "her list" and identifier_clash(pseudonym, [clash], short_forms=False) is None:
            where = f"a short form of a name on the list of names she may mention ({clash!r}): what people call her"
        elif whose == "her list":  # she typed it herself, here and now: naming it tells no one anything new
            where = f"on the list of names she may mention ({clash!r}): it may be her real name"
        else:  # another woman's or the study's: not a word of why (QA V12: she may be reading; README says why)
            raise ListedPseudonym(NOT_HERE.format(pseudonym))
        raise ListedPseudonym(
            f"the pseudonym {pseudonym!r} is {where}, and a pseudonym is stored in plaintext (her folder, the audit "
            "log); ask her to choose another pseudonym"
        )


def every_listed_name(study: Study, identities: Sequence[Identity]) -> list[str]:
    """Every name on the study's list and every participant's (``other_lists``, leaving no one out)."""
    return [text for _, names in other_lists(study, "", identities) for text in names]


def other_lists(study: Study, her: str, identities: Sequence[Identity]) -> list[tuple[str, list[str]]]:
    """(whose list, its names) for the study's list and every participant's but ``her``, on the trusted machine;
    none on a field kit, which cannot read them. A list sealed empty is known by its size (the payload's length is
    public), so a study whose lists are all empty needs no key; any other needs ``identities`` (LockedStudy)."""
    sealed = sealed_lists(study, her)
    if sealed and not identities:
        raise LockedStudy(
            "a new pseudonym is checked against every participant's list of names she may mention, which are "
            "sealed: unlock the study with its passphrase (the prompt, --passphrase-file or FIELDVAULT_PASSPHRASE; "
            "in the TUI, unlock it first), or add her on a field kit"
        )
    return [
        (whose, [i.text for i in IdentifierList.from_json(study.read(relative, identities), str(relative)).identifiers])
        for whose, relative in sealed
    ]


def sealed_lists(study: Study, her: str) -> list[tuple[str, Path]]:
    """(whose list, its path in the study) of every list but ``her`` own that may hold a name; none on a kit."""
    if study.is_field_kit:
        return []
    found = [("the study's list", Path(STUDY_IDENTIFIERS))]
    for other in study.participant_names():
        if not names.same_name(other, her):
            found.append((f"{other}'s list", Path(layout.PARTICIPANTS, other) / IDENTIFIERS))
            found += [(f"{other}'s list", p.relative_to(study.root)) for p in added_beside(study, other)]  # QA U13
    return [(whose, relative) for whose, relative in found if _holds_names(study.root / relative)]


def lists_unread_on_kit(kit: Study) -> int:
    """How many participants' lists on a field kit may hold a name (her list, or names added to it at a follow-up):
    the kit sealed them for the study and cannot read them, so a pseudonym given on the kit (a rename) is checked
    against them by merge-kit only. A list sealed empty is known by its size and counts for none."""
    had: dict[str, set[str]] = {}  # her name now -> the names the kit renamed her from (her list is sealed under one)
    for entry in kit.audit.entries():
        details = entry.get("details")
        if entry.get("action") == "participant.rename" and isinstance(details, dict):
            before, after = str(details.get("moved_from")), str(details.get("pseudonym"))
            had[after] = {before, *had.pop(before, set())}
    root = layout.participants(kit.root)
    added = layout.ADDED_IDENTIFIERS.format(n="*")  # names added at a follow-up: never sealed empty
    return sum(
        1
        for name in kit.participant_names()
        if _holds_names(root / name / IDENTIFIERS, had.get(name, set())) or any((root / name).glob(added))
    )


def _holds_names(path: Path, sealed_as: Iterable[str] = ()) -> bool:
    """Whether a sealed list may hold a name: any list but one whose payload is an empty list's length (bound to
    her folder's name, or to a name in ``sealed_as``: one a kit renamed her from)."""
    try:
        with path.open("rb") as stream:
            read_header(stream)
            payload = len(stream.read()) - NONCE_SIZE
    except FileNotFoundError:
        return False
    except (OSError, FieldvaultError):
        return True  # unreadable here: reading it with the key says what is wrong
    empty = set().union(*(_empty_sizes(name) for name in {path.parent.name, *sealed_as}))
    return payload not in {size + TAG for size in empty}


def _empty_sizes(folder: str) -> set[int]:
    """The lengths an empty list seals to in ``folder``: the same bytes every time, in each schema: version 1, an
    unbound one, and one bound to her pseudonym (the folder's name) and a participant id (32 hex digits)."""
    return {
        len(b'{\n "identifiers": [],\n "schema_version": 1\n}'),
        len(serial.dumps(IdentifierList(()))),
        len(serial.dumps(IdentifierList((), pseudonym=folder, participant_id="0" * 32))),
    }


def identifier_clash(pseudonym: str, identifiers: Iterable[str], short_forms: bool = True) -> str | None:
    """The known identifier the pseudonym is, or is a word of (look-alikes the same), or one that names a listed
    name inside it ("M. Quintanilla", "Rose Fowler", "Derek's", "VanBuren", "Tulare-Rose": QA J4): then it may be
    her real name, and a pseudonym names her folder, the audit log and every field kit in plaintext. Inside a
    pseudonym of several words, a listed name's word counts when it is a name or no everyday word ("Fowler",
    "Buren"), not "Street" of "Van Buren Street"; a listed identifier of one word counts whatever it is. The last
    word of a street's or a place's name ("Street", "Shelter" of "Hope Shelter") is no one's name and never counts,
    unless it is a surname too ("House", "Church", "Lane": QA K3). With ``short_forms``, a pseudonym's word of
    three letters or more that begins such a word counts too: "Mari" of Marisol, "Chidi" of Chidinma, "Quinta" of
    Quintanilla are what people call her (QA S7)."""
    chosen = names.name_key(pseudonym)
    inside = _pseudonym_words(pseudonym)
    for identifier in identifiers:
        words = [w for w in _NAME_WORDS.split(identifier) if w]  # "Moreau, Thessaly", "Moreau-Okafor": QA H8
        if len(words) > 1 and _HEAD_WORD.fullmatch(words[-1]) and not _a_name(words[-1]):
            words = words[:-1]  # "Street" of "Van Buren Street", "Shelter" of "Hope Shelter": no one's name (QA J4);
            # but a surname is one whatever else it names ("House", "Church", "Lane": Kofi Church, QA K3)
        if chosen == names.name_key(identifier) or chosen in {names.name_key(w) for w in words}:
            return identifier
        keys = {names.name_key(w) for w in words if len(words) == 1 or _distinctive(w)}
        keys.add(names.name_key("".join(words)))  # "VanBuren" of "Van Buren"
        keys |= {names.name_key(re.sub(r"[\W_]", "", w)) for w in identifier.split() if re.search(r"[\W_]", w)}
        # ... and "Mirae" of "Mi-rae Park", "OBrien" of "O'Brien" (QA K3)
        if inside & keys:
            return identifier
        if short_forms and any(len(p) >= 3 and k.startswith(p) for p in inside for k in _shortened(words)):
            return identifier
    return None


def _pseudonym_words(pseudonym: str) -> set[str]:
    """The name keys of a pseudonym's words, split at spaces, punctuation, digits and a change of case ("VanBuren"),
    each also without a plural or possessive ending; and the whole without its separators."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", unicodedata.normalize("NFC", pseudonym))
    words = [w for w in re.split(r"[\W_\d]+", spaced) if len(w) > 1]  # digits part words too: "Kofi2" (QA K15)
    found = {names.name_key(w) for w in words}
    found |= {names.name_key(w[:-1]) for w in words if len(w) > 3 and w.lower().endswith("s")}
    found |= {names.name_key(w[:-2]) for w in words if len(w) > 4 and w.lower().endswith("es")}
    found.add(names.name_key("".join(re.split(r"[\W_]+", pseudonym))))
    return found


def _shortened(words: list[str]) -> set[str]:
    """The name keys of a listed identifier's words that people shorten to call her: a name, or a word no place
    has ("Chidinma"); not a town's ("Rose" of "Roseville")."""
    from fieldvault.redact.lexicon import population

    return {
        names.name_key(w)
        for w in words
        if (len(words) == 1 or _distinctive(w)) and (_a_name(w) or not population(w.lower()))
    }


def _a_name(word: str) -> bool:
    from fieldvault.redact.lexicon import first_names, last_names

    return word.lower() in first_names() or word.lower() in last_names()


def _distinctive(word: str) -> bool:
    from fieldvault.redact.lexicon import STOPWORDS
    from fieldvault.redact.mentions import everyday

    lowered = word.lower()
    if len(lowered) < 3 or lowered in STOPWORDS:
        return False
    return not everyday(word) or _a_name(word)


_NAME_WORDS = re.compile(r"[\s,;/.\-‐‑]+")


@dataclass(frozen=True)
class ConsentRecord:
    """That the letter was given and consent given: method, versions, time. No signature, no name."""

    method: str
    letter_version: str
    script_version: str
    given_at: str

    @classmethod
    def verbal(cls, letter_version: str, script_version: str, when: datetime) -> ConsentRecord:
        """The model study's way: the information letter given, consent given aloud (no signature)."""
        return cls(VERBAL_CONSENT, letter_version, script_version, when.isoformat(timespec="seconds"))


VERBAL_CONSENT = "information letter given; verbal consent"


@dataclass(frozen=True)
class KnownIdentifier:
    text: str
    label: str = "PERSON"

    def __post_init__(self) -> None:
        # Stored and compared in one Unicode form: an NFD "José" typed on one keyboard is the NFC one (QA E12).
        object.__setattr__(self, "text", unicodedata.normalize("NFC", self.text))


_STREET_WORD = re.compile(
    r"\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|highway|hwy|"
    r"parkway|pkwy|circle|terrace|trail|freeway)\.?$",
    re.I,
)
# "Hope House", "Union Gospel Mission": a place she stayed or prays, never a person (two words at least).
_ORG_WORD = re.compile(r"\S\s+(?:house|shelter|mission|church|center|centre|ministries|ministry)$", re.I)


_HEAD_WORD = re.compile(
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|highway|hwy|parkway|"
    r"pkwy|circle|terrace|trail|freeway|house|shelter|mission|church|center|centre|ministries|ministry)\.?",
    re.I,
)  # the last word of a street's or a place's name, as the two above


def guess_label(text: str) -> str:
    """The label of an identifier typed without one: a phone number, an e-mail or a handle is a CONTACT, one word of
    letters and 4+ digits (or a number too short for a phone) an ID, a house number and its street,
    a street or a US town a LOCATION, a name ending in House, Shelter, Mission, Church,
    Center or Ministries an ORG. A town's name that is a given name too is a LOCATION with its state or county after
    it ("Lodi, CA"); alone ("Lodi", "Modesto", a big city's given to boys: "Austin", "Dallas", qa25 QA17) it stays a
    PERSON, and each mention takes the label its words give it (detector._town_or_person: "moved to Modesto" a place,
    "Modesto said" a man; QA V1). Everyday words with no
    given name among them that name a town of 10,000 or more ("Spring Valley") are a LOCATION. Anything else is a
    PERSON ("Sugar Bear", "Sacred Heart": label a body ORG).

    Interviewers type "Elm Street" and "Springfield" as they come; labelled PERSON they became
    [PERSON n] in exports and "Street" matched every street as if it were part of a name.
    """
    bare = text.strip()
    if re.fullmatch(r"\S+@\S+\.\w+|@\w[\w.]*|(?:https?://|www\.)\S+", bare) or (
        re.fullmatch(r"\+?[\d\s().-]+", bare) and sum(c.isdigit() for c in bare) >= 7
    ):
        return "CONTACT"  # a phone, an e-mail, a handle: as PERSON, "(916) 555-0142" was cut into two "name parts"
    if re.fullmatch(r"[\w/-]+", bare) and sum(c.isdigit() for c in bare) >= 4 and any(c.isalpha() for c in bare):
        return "ID"  # "CR2008-114372", "7ABC123"
    if re.fullmatch(r"[\d\s/.-]+", bare) and sum(c.isdigit() for c in bare) >= 3:
        return "ID"  # "44-12": a number too short for a phone
    if re.fullmatch(r"#?\d+[a-z]?\s+[^\W\d_].*", bare, re.I):
        return "LOCATION"  # "#42 Elm", "12 Oak": a house number and its street
    if _STREET_WORD.search(bare):
        return "LOCATION"
    if _ORG_WORD.search(text.strip()):
        return "ORG"
    # loaded once, only when an unlabelled line needs them
    from fieldvault.redact.lexicon import dictionary, first_names, named_towns, population, town_and_first_name, towns

    name = " ".join(text.casefold().split())
    if name in towns() and not town_and_first_name(name):
        return "LOCATION"  # a big city's name given to boys ("Austin", "Dallas") is a PERSON alone too (qa25 QA17)
    town, tail = _REGION_TAIL.sub("", name), _REGION_TAIL.search(name)
    code = tail is not None and len(tail.group().strip(" ,")) == 2
    if tail and town in named_towns() and (not code or text.strip()[-2:].isupper()):
        return "LOCATION"  # "Lodi, CA", "Modesto California", "Tulare County" (walk24 WK2); not "Lee Al"
    words = name.split()
    if len(words) > 1 and all(w in dictionary()[0] and w not in first_names() for w in words):
        # a town of some size ("Spring Valley"); else a street name as likely as a body's ("Sugar Bear", "Sacred
        # Heart": qa25 QA3, a PERSON's parts are looked for alone, an ORG's are not)
        return "LOCATION" if population(name) >= 10_000 else "PERSON"
    return "PERSON"


# A state's, a country's or a county's word after a town, as people type one: "Lodi, CA", "Modesto California".
_REGION_TAIL = re.compile(
    r",?\s+(?:al|ak|az|ar|ca|co|ct|de|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|ne|nv|nh|nj|nm|ny|nc|nd|"
    r"oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy|dc|u\.?s\.?a?\.?|county|co\.|parish|calif\.?|"
    r"alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|illinois|"
    r"indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|missouri|"
    r"montana|nebraska|nevada|new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|"
    r"oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|washington|"
    r"west virginia|wisconsin|wyoming)$"
)


def read_identifier_file(path: Path) -> list[KnownIdentifier]:
    """Identifiers prepared in a UTF-8 text file, in the form ``parse_identifier_lines`` reads."""
    return parse_identifier_lines(userfile.read_text(path))


def consent_documents(study: Study) -> tuple[FilledDocument, FilledDocument]:
    """The information letter and the verbal consent script as she hears them, filled from study.toml; a
    missing setting stops here, before anything is asked of her. Their versions go in the ConsentRecord. Refused on
    a field kit whose templates are not the ones it was made with (QA S6)."""
    refuse_changed_templates(study)
    values = study.letter_values()
    letter = fill(LETTER, template_text(LETTER, study.root), values)
    made = study.kit_made_with().get("version")
    if isinstance(made, str) and made != letter.version:  # QA R20: a support line changed by hand on the kit
        raise TamperedStudy(
            f"this field kit's information letter was changed since the PI made the kit (version {letter.version}, "
            f"made with {made}): its support line or contact may not be the study's. Do not use it with anyone: "
            "call the PI, who makes a new kit"
        )
    return letter, fill(CONSENT_SCRIPT, template_text(CONSENT_SCRIPT, study.root), values)


def refuse_changed_letter(study: Study) -> None:
    """A field kit records no one once its information letter differs from the one the kit was made with: a follow-up
    reads the letter's support line to her again, and it may not be the study's (QA R20); nor once any template it
    reads differs, or one was put into it (QA S6). TamperedStudy, as ``consent_documents`` raises; nothing to check on
    a study, nor a letter on a kit made before kits recorded their letter."""
    refuse_changed_templates(study)
    if study.kit_made_with().get("version") is not None:
        consent_documents(study)


def reconfirmation_documents(study: Study) -> tuple[FilledDocument, FilledDocument]:
    """The information letter (its version shown, to compare with the printed one) and the script read to her at a
    follow-up or member check, filled from study.toml; refused on a kit whose letter was changed (QA R20)."""
    letter, _ = consent_documents(study)
    return letter, fill(RECONFIRMATION, template_text(RECONFIRMATION, study.root), study.letter_values())


def issued_letters(study: Study) -> set[str]:
    """The versions of the information letter this study has issued: the one it holds now, each one a field kit
    took to the field, and each a participant added here consented to. A consent on any other was given on a
    letter changed on a kit (its support line, its contact: QA F21).

    Only entries signed with the study key count (``AuditLog.signed``; none while the study is locked): a line
    appended to the log without the key could make a letter changed on a kit look issued. A participant added here
    while the study was locked consented on the letter it held then; once that letter has changed, her consent reads
    as on a letter not issued, which is shown, never hidden."""
    issued = {consent_documents(study)[0].version}
    for entry in study.audit.signed():
        details = entry.get("details")
        if entry.get("action") in ("field-kit.made", "participant.add") and isinstance(details, dict):
            if details.get("version"):
                issued.add(str(details["version"]))
    return issued


# What interviewers naturally type for a label: mapped, so "PLACE: Springfield" is a LOCATION.
LABEL_SYNONYMS = {
    "PLACE": "LOCATION", "TOWN": "LOCATION", "CITY": "LOCATION", "STREET": "LOCATION", "NAME": "PERSON",
    "ORGANISATION": "ORG", "ORGANIZATION": "ORG", "PROGRAM": "ORG", "SHELTER": "ORG", "CHURCH": "ORG",
    "PHONE": "CONTACT", "EMAIL": "CONTACT",
}  # fmt: skip
_PREFIX = re.compile(r"([^\W\d_]+)\s*:\s*(\S.*)$")
_BARE = re.compile(r"([^\W\d_]+)\s*:$")  # "STATE:", "NAME:": a label, the identifier never written


# A note written after an identifier, as PIs annotate lists (QA S8): "Fairbanks (hometown)", "Tremaine Hollis # pimp",
# "Deshawn Pryor - trafficker", "Latrice Odom, caseworker" (a lowercase tail after a comma: "Moreau, Thessaly" is a
# name written surname first). "(916) 555-0142" and "#42 Elm" are identifiers.
_NOTE = re.compile(
    r"\s*[(\[{<][^()\[\]{}<>]*[^\s()\[\]{}<>][^()\[\]{}<>]*[)\]}>]\s*$"  # any bracket at the end: "(2019)", "{sister}"
    r"|\s#\s.*$|\s[-–—]+\s+[^\W\d_A-Z][^,]*$"
    r"|(?<=\d)\s*\b(?i:ext|extension|x)\.?\s*\d+\s*$"  # a phone's extension: "559-555-0177 ext 2"
    r"|(?<=[^\W\d_]),\s*\d{1,3}\s*$"  # her age after a name: "Keisha Marlowe, 19"
)
_COMMA_NOTE = re.compile(r"(?<=[^\W\d_]),\s*[a-z][a-z' ]*$")
# A note with no mark at all (QA S8's rest): "559-555-0177 mom", "Fairbanks hometown", "Keisha Marlowe sister". Only
# words for who someone is to her, or for what a number or place is, that never end a name or a place: a lowercase
# tail of them after the identifier (any such word after the first, where the whole line is lowercase).
_NOTE_WORDS = frozenset(
    "mom mum mother dad father sister brother cousin aunt uncle grandma grandmother grandpa grandfather son "
    "daughter niece nephew boyfriend girlfriend husband wife ex friend pimp trafficker recruiter boss caseworker "
    "hometown cell mobile landline number".split()
)
_TAIL = re.compile(r"(?:\s+[a-z][a-z'’]*)+$")
_ALIAS = re.compile(r"\s(?:aka\.?|a\.k\.a\.?|alias|also known as|née|nee)\s", re.I)
_NUMBER = r"\+?\d[\d\s().-]{5,}\d"
_TWO_NUMBERS = re.compile(rf"{_NUMBER}.*?(?:\bor\b|\band\b|[/,;&]).*?{_NUMBER}", re.I)
_TWO_PEOPLE = re.compile(r"^\S+\s+\S+.*\s(?:and|&)\s+\S+\s+\S+", re.I)  # "Keisha Marlowe and Tremaine Hollis"


def _two_in_one(item: KnownIdentifier) -> str | None:
    """Why the line is two identifiers written as one, or None: each must be matched on its own, and a word
    between them ("aka", "or") would become a part of a name."""
    if alias := _ALIAS.search(item.text):
        return f"two names ({alias.group(0).strip()!r} between them)"
    if _TWO_NUMBERS.search(item.text):
        return "two numbers"
    if item.label == "PERSON" and (two := _TWO_PEOPLE.search(item.text)):
        return f"two names ({'and' if ' and ' in two.group(0).lower() else '&'!r} between them)"
    return None


def _note(text: str) -> str | None:
    """A note after the identifier, or None; a lowercase tail after a comma only where the name before it has a
    capital; a tail of note words with no mark after the words with a capital or a digit (all after the first word
    where the line has neither)."""
    comma = _COMMA_NOTE.search(text)
    if found := _NOTE.search(text) or (comma if comma and any(c.isupper() for c in text[: comma.start()]) else None):
        return found.group(0).strip()
    words = [w.removesuffix("'s").removesuffix("’s") for w in text.split()]
    if text.islower() and not any(c.isdigit() for c in text):
        first = next((n for n, word in enumerate(words) if n and word in _NOTE_WORDS), None)
        return " ".join(text.split()[first:]) if first else None
    tail = _TAIL.search(text)
    if tail is None or tail.start() == 0:
        return None
    return tail.group(0).strip() if any(w in _NOTE_WORDS for w in words[-len(tail.group(0).split()) :]) else None


def parse_identifier_lines(text: str) -> list[KnownIdentifier]:
    """One per line, optionally ``LABEL: text``; blank lines skipped.

    LABEL is one of LABELS or LABEL_SYNONYMS in any case; another one-word prefix in capitals ("PLACE:",
    "STATE:") is refused, naming the labels, rather than stored as part of a PERSON's name. A line whose
    text before its first colon is anything else ("Mrs: Okafor", "note: x") is one identifier, colon and
    all, and its label is guessed. A word and a colon with nothing after it ("STATE:", "NAME:") is refused
    too (QA E12: stored as the identifier "STATE:"), and so is a line with no letter or digit.
    """
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        prefix = _PREFIX.match(line) or _BARE.match(line)
        word = prefix.group(1).upper() if prefix else ""
        label = word if word in LABELS else LABEL_SYNONYMS.get(word)
        written = prefix is not None and prefix.re is _PREFIX
        if prefix and label and written:
            found.append(KnownIdentifier(prefix.group(2).strip(), label))
        elif prefix and len(word) > 1 and prefix.group(1).isupper() and not label:
            raise BadInput(
                f"identifier line {number}: {prefix.group(1)!r} is not a label; use one of {', '.join(LABELS)} "
                "(or PLACE, NAME, PHONE, ...), or write the identifier without a label"
            )
        elif (prefix and not written) or not any(c.isalnum() for c in line):
            what = f"the label {prefix.group(1)!r} has no identifier after it" if prefix and label else ""
            raise BadInput(
                f"identifier line {number}: {what or repr(line) + ' names nothing'}; write the identifier "
                "(NAME: Rosa, PLACE: Reno), or remove the line"
            )
        else:
            found.append(KnownIdentifier(line, guess_label(line)))
        if two := _two_in_one(found[-1]):
            raise BadInput(
                f"identifier line {number} holds {two}: write each name or number she may say on a line of its own"
            )
        if note := _note(found[-1].text):
            raise BadInput(
                f"identifier line {number} holds a note ({note!r}): the list holds only what she may "
                "say, one identifier per line; write the line without its note and keep notes elsewhere (a note "
                "would be matched as part of the name, and the name with it matches nothing)"
            )
        if len(found[-1].text) > MAX_IDENTIFIER:
            raise BadInput(
                f"identifier line {number} is {len(found[-1].text)} characters long; a name, place or number on a "
                f"list is at most {MAX_IDENTIFIER}: put one identifier on each line"
            )
    if (problem := list_too_long(found)) is not None:
        raise BadInput(f"{problem}; keep the names she may really mention, one per line")
    return found


def list_too_long(identifiers: Sequence[KnownIdentifier]) -> str | None:
    """Why a list of names is more than fieldvault takes (``MAX_LIST`` entries, ``MAX_IDENTIFIER`` characters
    each), or None."""
    if len(identifiers) > MAX_LIST:
        return f"the list holds {len(identifiers)} names; a list holds at most {MAX_LIST}"
    longest = max((len(i.text) for i in identifiers), default=0)
    if longest > MAX_IDENTIFIER:
        return f"an identifier on the list is {longest} characters long; at most {MAX_IDENTIFIER}"
    return None


@dataclass(frozen=True)
class Profile:
    pseudonym: str
    answers: dict[str, Answer]
    consent: ConsentRecord
    created: str
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> bytes:
        return serial.padded(self)  # her answers' lengths: serial.padded

    @classmethod
    def from_json(cls, data: bytes, where: str = "the participant's profile") -> Profile:
        """``where`` names the file in the error a damaged one gives."""
        return serial.loads(cls, data, where)


def add_participant(
    study: Study,
    pseudonym: str,
    answers: dict[str, Answer],
    consent: ConsentRecord,
    identifiers: list[KnownIdentifier],
    identities: Sequence[Identity] = (),
) -> Profile:
    """Store a new participant: encrypted profile, encrypted known identifiers; audited by pseudonym only. Her
    pseudonym is checked against every list of names (``refuse_listed``; ``identities`` read the sealed ones). One
    add at a time on a study (``_one_add``)."""
    study.refuse_backup()  # before her folder and id file are made (QA H4)
    with _one_add(study):
        return _add_participant(study, pseudonym, answers, consent, identifiers, identities)


_ADDING = threading.local()  # .held: the studies whose adds this thread holds (_one_add)


@contextmanager
def _one_add(study: Study) -> Iterator[None]:
    """One `participant add`, or one removal of a cut-off add, at a time on a study, across processes (a lock on its
    participants' folder, dropped by the kernel if the process dies): two windows on one kit adding look-alike names at
    once were both taken, the same name at once gave tracebacks (qa29 QE18), and one's check could remove the other's
    folder as a cut-off add while it was being written. Taken again inside one add (its thread), it holds already."""
    key, held = str(study.root.resolve()), _ADDING.__dict__.setdefault("held", set())
    if key in held:
        yield
        return
    held.add(key)
    try:
        with atomicfile.exclusive(layout.participants(study.root)):  # another thread's add waits as a process's does
            yield
    finally:
        held.discard(key)


def _add_participant(
    study: Study,
    pseudonym: str,
    answers: dict[str, Answer],
    consent: ConsentRecord,
    identifiers: list[KnownIdentifier],
    identities: Sequence[Identity],
) -> Profile:
    name = check_new_participant(study, pseudonym, [i.text for i in identifiers], identities)
    study.recipients()  # a write this computer would refuse (an unchecked recipient list) refuses before her folder
    folder = layout.participant(study.root, name)
    vouching.refuse_locked_rewrite(study, [folder / PROFILE, folder / IDENTIFIERS])  # a name she was renamed from
    atomicfile.make_dirs(folder.parent)
    folder.mkdir(mode=atomicfile.DIR_MODE)
    try:
        ident = ensure_participant_id(folder)
        profile = Profile(name, answers, consent, study.clock().isoformat(timespec="seconds"))
        written = {PROFILE: profile.to_json(), IDENTIFIERS: _identifiers_json(identifiers, name, ident)}
        for file, payload in written.items():
            study.write_new(folder / file, payload)
    except Exception:  # a refused or failed write (a full disk) leaves no half-made participant (QA K1)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    vouched = {vouching.relative_of(study, folder / f): vouching.digest(payload) for f, payload in written.items()}
    study.audit.append_vouching(
        "participant.add", vouched, pseudonym=name, method=consent.method, version=consent.letter_version
    )
    return profile


def remove_cut_off_add(study: Study, pseudonym: str) -> None:
    """A `participant add` killed before its audit entry (a flat battery, kill -9) left her folder with no session
    in it and no entry of the log naming her: nothing of it was ever used, and it is removed so that the add can run
    again (QA T16: her pseudonym was "taken already" for ever, and exports said she withdrew). Never in a backup."""
    if study.on_backup:
        return
    with _one_add(study):  # never another process's add while it is being written
        _remove_cut_off_add(study, pseudonym)


def _remove_cut_off_add(study: Study, pseudonym: str) -> None:
    try:
        name = names.check_name(pseudonym, "pseudonym")
    except BadInput:
        return  # check_new_participant says what is wrong with it
    stored = names.find_same(name, study.participant_names())
    if stored is None:
        return
    folder = layout.participant(study.root, stored)
    if any(p.is_dir() or p.is_symlink() for p in folder.iterdir()):
        return
    if study.is_field_kit and _made_with_kit(study, folder):
        return  # a study participant the kit was made with: its log never names her (QA QC1)
    for entry in study.audit.entries():
        details = entry.get("details")
        if isinstance(details, dict) and any(
            names.same_name(str(details.get(key, "")), stored) for key in ("pseudonym", "moved_from")
        ):
            return
    shutil.rmtree(folder)


def _made_with_kit(study: Study, folder: Path) -> bool:
    """Whether ``folder`` on a field kit is one `field-kit` wrote: her id is among those its first entry records; for
    a kit made before it recorded them, a folder holding her id and nothing else (what `field-kit` writes)."""
    recorded = study.kit_made_with().get(KIT_PARTICIPANTS)
    if recorded is None:
        return {p.name for p in folder.iterdir()} == {layout.PARTICIPANT_ID}
    try:
        carried = json.loads(str(recorded))
    except ValueError:
        return True  # a first entry that does not read: nothing is removed on a guess
    return not isinstance(carried, list) or participant_id(folder) in carried


def seal_missing_list(
    study: Study, pseudonym: str, identifiers: list[KnownIdentifier], identities: Sequence[Identity] = ()
) -> tuple[str, str | None]:
    """Seal her list of names she may mention where her folder has none and none was ever vouched for (a `participant
    add` cut off between her profile and her list), checked as a new participant's list is (``refuse_listed``) but for
    her pseudonym on another list (``listed_since``: a warning); a list she has, or had (deleted: QA T19), is never
    replaced; on a kit, only a list of a participant the kit added. Audited by pseudonym only; returns her name as
    stored and that warning."""
    from fieldvault.lists import refuse_from_study, refuse_sealed_before  # it reads this module's lists

    folder = participant_folder(study, pseudonym)
    if (folder / IDENTIFIERS).exists() or (folder / IDENTIFIERS).is_symlink():
        raise BadInput(
            f"{folder.name} has a list of names she may mention already; it is never replaced (a list may only be "
            "sealed where hers is missing); add the names she gives now with "
            f"`{command('participant', 'add-list', study.root, folder.name, '--append', '--identifiers', 'FILE')}`"
        )
    refuse_from_study(study, folder)
    refuse_sealed_before(study, folder)  # deleted: sealed again, it would take her names off every list (QA T19)
    refuse_pseudonyms_listed(study, folder.name, [i.text for i in identifiers], "seal her list")
    warning = listed_since(study, folder.name, identities)
    vouching.refuse_locked_rewrite(study, [folder / IDENTIFIERS])
    ident = ensure_participant_id(folder)
    payload = _identifiers_json(identifiers, folder.name, ident)
    study.write_new(folder / IDENTIFIERS, payload)
    vouched = {vouching.relative_of(study, folder / IDENTIFIERS): vouching.digest(payload)}
    study.audit.append_vouching(LIST_SEALED, vouched, pseudonym=folder.name, count=len(identifiers))
    return folder.name, warning


LIST_SEALED = "participant.list-sealed"


@dataclass(frozen=True)
class IdentifierList:
    """Names and places she may mention (or, at the study root, anyone might): redaction's known identifiers."""

    identifiers: tuple[KnownIdentifier, ...] = ()
    schema_version: int = LIST_SCHEMA_VERSION
    # Whose list it is, sealed inside (None: the study's list, or a participant's list of version 1): a list moved
    # into another woman's folder would redact her transcripts with the wrong names (QA H10).
    pseudonym: str | None = None
    participant_id: str | None = None

    @classmethod
    def from_json(cls, data: bytes, where: str = "a list of known identifiers") -> IdentifierList:
        return serial.loads(cls, data, where)

    def to_json(self) -> bytes:
        """Padded (the lengths of the names she gave: serial.padded), but for an empty list: known by its size, it
        lets a kit or a study opened locked add a participant without the key (_holds_names)."""
        return serial.padded(self) if self.identifiers else serial.dumps(self)


def _identifiers_json(identifiers: list[KnownIdentifier], pseudonym: str, ident: str) -> bytes:
    return IdentifierList(tuple(identifiers), pseudonym=pseudonym, participant_id=ident).to_json()


def known_identifiers(study: Study, pseudonym: str, identities: Sequence[Identity]) -> list[KnownIdentifier]:
    """This participant's list (refused when it is another's: ``read_identifier_list``), the names added to it with the
    study locked and not yet in it (``added_beside``; one that does not read is left out here and refuses exports of
    her sessions: ``refuse_names_lost``), plus the study-wide one."""
    found: list[KnownIdentifier] = []
    own = Path(layout.PARTICIPANTS, pseudonym) / IDENTIFIERS
    if (study.root / own).is_file():
        found += read_identifier_list(study, own, identities).identifiers
    # Without the study key no line of the log can be told from a forged one: one forged rename made the files of
    # names she gave with the study locked a stranger's, and they went out of a transcriber's export (QA Y6). There,
    # every file of names beside her list is read too: more names replaced, never fewer.
    unkeyed = [] if study.is_field_kit or study.audit.keyed else list(beside.weigh(study, pseudonym).strangers)
    for path in [*added_beside(study, pseudonym), *unkeyed]:
        try:
            found += read_added(study, path.relative_to(study.root), identities).identifiers
        except FieldvaultError:  # QA V23: named by `check`; it stops exports of her sessions only, not everyone's
            continue
    return found + study_list(study, identities)


def added_beside(study: Study, pseudonym: str) -> list[Path]:
    """The files of names added beside her list and not yet in it, by number: in a study, those its log records
    sealed with the study locked, as sealed (``beside.weigh``; QA V23: a file anyone seals with the public key is never
    read); on a kit, each one there."""
    if not study.is_field_kit:
        return list(beside.weigh(study, pseudonym).ready)
    folder = layout.participant(study.root, pseudonym)
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := ADDED.fullmatch(p.name)) and not p.is_symlink()]
    return [path for _, path in sorted(found)]


def read_added(study: Study, relative: Path, identities: Sequence[Identity]) -> IdentifierList:
    """Names added beside her list in the study (``ADDED``), refused in one line when sealed as another's, as her list
    is (``read_identifier_list``). No key vouched for them: sealed with the study locked, the log records their hash."""
    refuse_oversized(study.root / relative, relative)
    return _read_bound(study, relative, identities, "file of names added to her list").value


def names_lost(study: Study, pseudonym: str, identities: Sequence[Identity]) -> list[tuple[str, str]]:
    """(file, what happened and what to do) for each file of names she gave with the study locked that the log records
    and that is not at hand: gone, changed since it was sealed, or not readable (QA V20). None on a field kit."""
    weighed = beside.weigh(study, pseudonym)
    found = [(s.path, f"{_gone_or_changed(study, s)}: {lost_fix(study, pseudonym, s.path)}") for s in weighed.lost]
    for path in weighed.ready:
        relative = path.relative_to(study.root)
        try:
            read_added(study, relative, identities)
        except FieldvaultError as err:
            found.append((str(relative), f"{err}; {lost_fix(study, pseudonym, str(relative))}"))
    return found


def _gone_or_changed(study: Study, sealed: beside.Sealed) -> str:
    what = "is gone" if not os.path.lexists(study.root / sealed.path) else "is not the file sealed then (changed since)"
    return (
        f"{sealed.count} name(s) she gave were sealed here beside her list with the study locked on {sealed.day}, "
        f"never added to it, and the file {what}"
    )


def lost_fix(study: Study, pseudonym: str, relative: str) -> str:
    """What to do where a file of names she gave with the study locked is not at hand: put it back from the backup,
    or, where none holds it, add her names again as the interviewer recalls them, recording the file lost."""
    from fieldvault.stewardship.lost import restore_file_hint  # it reads this module: import here

    again = command(
        "participant", "add-list", study.root, pseudonym, "--append", "--identifiers", "FILE", "--names-lost"
    )
    return (
        f"{restore_file_hint(study, relative)}; if no backup holds it, ask the interviewer for the names she "
        f"gave and add them, recording the file lost: `{again}`"
    )


def refuse_names_lost(study: Study, pseudonym: str, identities: Sequence[Identity]) -> None:
    """BadInput, in one line, where names she gave with the study locked are known and not at hand (``names_lost``):
    her words would go out with them in (QA V20). Other participants' exports go on."""
    lost = names_lost(study, pseudonym, identities)
    if lost:
        path, said = lost[0]
        raise BadInput(
            f"{pseudonym}'s sessions are not exported: {path}: {said} (other participants export: --participant NAME)"
        )


def refuse_oversized(path: Path, called: Path | str) -> None:
    """BadStudyFile where ``path``, a file named like names added beside her list (``ADDED``), is bigger than one can
    ever be, told by its size before a byte is read (QA W5: read whole, a 4 GB one took 4.25 GB of memory in check,
    export and backup)."""
    size = path.stat().st_size
    if ADDED.fullmatch(path.name) and size > LARGEST_ADDED:
        raise BadStudyFile(
            f"{called} is {size:,} bytes, more than a file of names added to her list can ever be ({LARGEST_ADDED:,} "
            f"at most: {MAX_LIST} names): it is none fieldvault sealed (a copy gone wrong, or put there by someone who "
            "can write the study folder); move it out of the study folder"
        )


def _largest_added() -> int:
    """The most bytes a file of names added beside her list can take, sealed: at most ``MAX_LIST`` names (each append
    is held to a first list's rules), each of ``MAX_IDENTIFIER`` characters as long as JSON writes one (a control
    character escaped: 6 bytes), with a generous age header and a tag per chunk."""
    longest = KnownIdentifier("\x01" * MAX_IDENTIFIER, max(LABELS, key=len))
    payload = len(
        IdentifierList((longest,) * MAX_LIST, pseudonym="x" * names.MAX_LENGTH, participant_id="x" * 64).to_json()
    )
    return 64 * 1024 + payload + (payload // CHUNK + 1) * TAG + NONCE_SIZE


LARGEST_ADDED = _largest_added()


def study_list(study: Study, identities: Sequence[Identity]) -> list[KnownIdentifier]:
    """The study-wide list (names a withdrawal kept, which others mention), refused in one line when it is not the
    one the study key last vouched for, or gone while a signed entry vouches for it and women are in the study (QA
    T18: deleted, her names others mention were caught only where the detector found them); none when there is none."""
    if not (study.root / STUDY_IDENTIFIERS).is_file():
        if vouching.newest(study, STUDY_IDENTIFIERS) is not None and study.participant_names():
            raise BadStudyFile(
                f"{vouching.what_file(STUDY_IDENTIFIERS)} was deleted since the study key sealed it: restore "
                f"{STUDY_IDENTIFIERS} from your latest backup, then run the command again"
            )
        return []
    return list(vouching.read_vouched(study, STUDY_IDENTIFIERS, identities, IdentifierList.from_json).identifiers)


def load_profile(study: Study, pseudonym: str, identities: Sequence[Identity]) -> Profile:
    return read_profile(study, Path(layout.PARTICIPANTS, pseudonym) / PROFILE, identities)


def read_profile(study: Study, relative: Path, identities: Sequence[Identity]) -> Profile:
    """A participant's profile, refused in one line when the pseudonym sealed inside is not her folder's: a profile
    moved into another woman's folder gave her the other's answers and consent record (QA H10)."""
    data = study.read(relative, identities)
    profile = Profile.from_json(data, str(relative))
    refuse_unbound(study, relative, profile.pseudonym, "profile")
    vouching.refuse_replaced(study, relative, vouching.digest(data))
    return profile


def read_identifier_list(study: Study, relative: Path, identities: Sequence[Identity]) -> IdentifierList:
    """A participant's list of names she may mention, refused in one line when it is sealed as another's (its
    pseudonym or participant id; a list of version 1 carries neither and is read as it is: QA H10), or not the one
    the study key last vouched for (QA S14)."""
    opened = _read_bound(study, relative, identities, "list of names she may mention")
    vouching.refuse_replaced(study, relative, opened.sha256)  # after the checks it made, which say more of a swap
    return opened.value


def _read_bound(
    study: Study, relative: Path, identities: Sequence[Identity], what: str
) -> vouching.Opened[IdentifierList]:
    opened = study.read_parsed(relative, identities, vouching.digesting(IdentifierList.from_json))
    listed = opened.value
    if listed.pseudonym is not None:
        refuse_unbound(study, relative, listed.pseudonym, what)
    own = participant_id((study.root / relative).parent)
    if listed.participant_id is not None and own is not None and listed.participant_id != own:
        raise BadStudyFile(
            f"{relative} is the list of names another participant may mention (its participant id is not "
            f"{(study.root / relative).parent.name}'s): it was moved there by hand; put it back or restore that "
            "folder from a backup"
        )
    return opened


LISTS_BOUND = "participant.lists-bound"


def unbound_lists(study: Study, identities: Sequence[Identity]) -> list[str]:
    """The participants whose list of names is sealed unbound (schema version 1, written before lists named their
    participant): a swap of two such lists between folders goes unseen (QA H10)."""
    found = []
    for name in study.participant_names():
        relative = Path(layout.PARTICIPANTS, name) / IDENTIFIERS
        if (study.root / relative).is_file() and read_identifier_list(study, relative, identities).pseudonym is None:
            found.append(name)
    return found


def bind_lists(study: Study, identities: Sequence[Identity]) -> list[str]:
    """Re-seal every participant's unbound list bound to her (her folder's name and participant id), once, on the
    trusted machine with the study key; audited with the count. Run again it finds none and changes nothing. A list
    swapped before this runs is bound where it lies: nothing inside an unbound list says whose it was."""
    if study.study_identity(identities) is None:
        raise LockedStudy(
            "binding the lists of names to their participants needs the study identity: give the study passphrase"
        )
    study.refuse_backup()
    study.use_identities(identities)
    bound = unbound_lists(study, identities)
    files = {}
    for name in bound:
        relative = Path(layout.PARTICIPANTS, name) / IDENTIFIERS
        listed = read_identifier_list(study, relative, identities)
        ident = ensure_participant_id(study.root / relative.parent)
        files[relative.as_posix()] = _identifiers_json(list(listed.identifiers), name, ident)
    if bound:  # the entry first, then the renames (QA U8)
        vouching.seal_vouched(study, LISTS_BOUND, files, count=len(bound))
    return bound


def refuse_unbound(study: Study, relative: Path, sealed: str, what: str) -> None:
    """BadStudyFile when a record in a participant's folder was sealed for another name: a rename cut off (finished
    by running it again) or a file moved by hand."""
    from fieldvault.participantrename import refuse_sealed_for  # it reads this module: import here

    folder = (study.root / relative).parent
    if names.name_key(sealed) == names.name_key(folder.name):
        return
    refuse_sealed_for(
        study,
        relative,
        sealed,
        folder,
        f"{relative} is {sealed}'s {what}, not {folder.name}'s: it was moved or copied there by hand; put it back or "
        "restore that folder from a backup",
    )


def _indexed(study: Study) -> set[str]:
    """The "pseudonym/session" keys of the session index; none when it is damaged (`check` names that)."""
    try:
        return set(read_index(study.root))
    except FieldvaultError:
        return set()


def _logged_on_kit(study: Study) -> set[str]:
    """On a field kit, the session ids its log has recorded or imported under anyone's name (a folder moved off the
    kit by hand leaves its entries: merge-kit refuses a second session of that id as not the one recorded there);
    none in a study, or where the log does not read (`check` names that)."""
    if not study.is_field_kit:
        return set()
    try:
        entries = study.audit.entries()
    except (FieldvaultError, OSError):
        return set()
    actions = {"record.start", "record", "import"}
    return {str(e["details"].get("session")) for e in entries if e.get("action") in actions and e.get("details")}


CLOCK_SLACK = timedelta(days=1)  # two computers' clocks, set by hand, may differ by this much


def clock_problem(study: Study) -> str | None:
    """What to say where this computer's clock is certainly wrong: before the study, or the field kit, was made (a
    field laptop's dead clock battery and no network to set it, QA S3); else None. A session is named and numbered
    by its start time: an interview filed years back becomes her "session 1" and renumbers the others."""
    made = study.made_at()
    now = study.clock()
    now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    if made is None or now >= made - CLOCK_SLACK:
        return None
    return (
        f"this computer's clock says {now:%Y-%m-%d %H:%M} UTC, before this "
        f"{'field kit' if study.is_field_kit else 'study'} was made ({made:%Y-%m-%d}): the interview would be filed "
        "under that date. Set the date and time, then start again"
    )


def new_session_folder(study: Study, pseudonym: str) -> Path:
    """A fresh session folder named by its start time (UTC), unique within the participant; refused where the
    clock is certainly wrong."""
    study.refuse_backup()  # before the recording starts, not at its first sealed event
    if problem := clock_problem(study):
        raise BadInput(problem)
    participant = participant_folder(study, pseudonym)
    stamp = study.clock().strftime(SESSION_ID)
    indexed = _indexed(study)
    logged = _logged_on_kit(study)
    for suffix in ["", *(f"-{n}" for n in range(2, 100))]:
        folder = participant / f"{stamp}{suffix}"
        if f"{participant.name}/{folder.name}" in indexed:
            continue  # on a kit, a session the study holds (the kit's index names it): merge-kit would see a clash
        if folder.name in logged:
            continue  # a session the kit recorded, moved off it since: merge-kit holds a session to its first entry
        try:
            folder.mkdir(mode=atomicfile.DIR_MODE)
        except FileExistsError:
            continue
        return folder
    raise BadInput(f"too many sessions for {participant.name} started in the same second")
