"""Participants: pseudonyms, their encrypted profile (questionnaire and consent record), known
identifiers, and session folders. A real name is never stored, in plaintext or otherwise, as a key.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from fieldvault import atomicfile, layout
from fieldvault.agefile import Identity
from fieldvault.errors import BadInput
from fieldvault.layout import IDENTIFIERS, PROFILE, STUDY_IDENTIFIERS
from fieldvault.questionnaire import Answer
from fieldvault.study import Study

SCHEMA_VERSION = 1
MAX_PSEUDONYM = 40
LABELS = ("PERSON", "LOCATION", "ORG", "CONTACT", "DATE", "ID")


def check_pseudonym(study: Study, pseudonym: str) -> str:
    """The pseudonym as it will be stored, or BadInput saying what to change."""
    name = pseudonym.strip()
    if not name:
        raise BadInput("the pseudonym is empty; ask the participant to choose a name for the study")
    if len(name) > MAX_PSEUDONYM:
        raise BadInput(f"the pseudonym is longer than {MAX_PSEUDONYM} characters; choose a shorter one")
    if any(c in name for c in "/\\") or name.startswith(".") or ":" in name:
        raise BadInput("the pseudonym may not contain / \\ or : nor start with a dot; choose another")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise BadInput("the pseudonym contains control or invisible characters; type it again")
    taken = {p.casefold(): p for p in study.participant_names()}
    if name.casefold() in taken:
        raise BadInput(f"the pseudonym {taken[name.casefold()]!r} is taken already; choose another")
    return name


def pseudonym_warnings(pseudonym: str, identifiers: Iterable[str]) -> list[str]:
    """Warn when the chosen pseudonym is, or is part of, a name the participant may mention."""
    chosen = pseudonym.casefold()
    hits = sorted({i for i in identifiers if chosen == i.casefold() or chosen in i.casefold().split()})
    return [f"the pseudonym {pseudonym!r} matches the known identifier {hit!r}: it may be a real name" for hit in hits]


@dataclass(frozen=True)
class ConsentRecord:
    """That the letter was given and consent given: method, versions, time. No signature, no name."""

    method: str
    letter_version: str
    script_version: str
    given_at: str


@dataclass(frozen=True)
class KnownIdentifier:
    text: str
    label: str = "PERSON"


def parse_identifier_lines(text: str) -> list[KnownIdentifier]:
    """One per line, optionally ``LABEL: text`` (LABEL one of LABELS); blank lines skipped."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        label, sep, rest = line.partition(":")
        if sep and label.strip().upper() in LABELS and rest.strip():
            found.append(KnownIdentifier(rest.strip(), label.strip().upper()))
        else:
            found.append(KnownIdentifier(line))
    return found


@dataclass(frozen=True)
class Profile:
    pseudonym: str
    answers: dict[str, Answer]
    consent: ConsentRecord
    created: str
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Profile:
        doc = json.loads(data)
        return cls(
            doc["pseudonym"], doc["answers"], ConsentRecord(**doc["consent"]), doc["created"], doc["schema_version"]
        )


def add_participant(
    study: Study,
    pseudonym: str,
    answers: dict[str, Answer],
    consent: ConsentRecord,
    identifiers: list[KnownIdentifier],
) -> Profile:
    """Store a new participant: encrypted profile, encrypted known identifiers; audited by pseudonym only."""
    name = check_pseudonym(study, pseudonym)
    folder = layout.participant(study.root, name)
    atomicfile.make_dirs(folder.parent)
    folder.mkdir(mode=atomicfile.DIR_MODE)
    profile = Profile(name, answers, consent, study.clock().isoformat(timespec="seconds"))
    study.write_new(folder / PROFILE, profile.to_json())
    study.write_new(folder / IDENTIFIERS, _identifiers_json(identifiers))
    study.audit.append("participant.add", pseudonym=name, method=consent.method, version=consent.letter_version)
    return profile


def _identifiers_json(identifiers: list[KnownIdentifier]) -> bytes:
    doc = {"schema_version": SCHEMA_VERSION, "identifiers": [asdict(i) for i in identifiers]}
    return json.dumps(doc, ensure_ascii=False).encode()


def known_identifiers(study: Study, pseudonym: str, identities: Sequence[Identity]) -> list[KnownIdentifier]:
    """This participant's list plus the study-wide one."""
    found = []
    for relative in (Path(layout.PARTICIPANTS, pseudonym) / IDENTIFIERS, Path(STUDY_IDENTIFIERS)):
        if (study.root / relative).is_file():
            doc = json.loads(study.read(relative, identities))
            found += [KnownIdentifier(**item) for item in doc["identifiers"]]
    return found


def load_profile(study: Study, pseudonym: str, identities: Sequence[Identity]) -> Profile:
    return Profile.from_json(study.read(Path(layout.PARTICIPANTS, pseudonym) / PROFILE, identities))


def new_session_folder(study: Study, pseudonym: str) -> Path:
    """A fresh session folder named by its start time (UTC), unique within the participant."""
    participant = layout.participant(study.root, pseudonym)
    if not participant.is_dir():
        raise BadInput(f"no participant {pseudonym!r} in this study; add her first (`fieldvault participant add`)")
    stamp = study.clock().strftime("%Y%m%d-%H%M%S")
    for suffix in ["", *(f"-{n}" for n in range(2, 100))]:
        folder = participant / f"{stamp}{suffix}"
        try:
            folder.mkdir(mode=atomicfile.DIR_MODE)
        except FileExistsError:
            continue
        return folder
    raise BadInput(f"too many sessions for {pseudonym} started in the same second")
