"""A recording that carries on one of her sessions: a handheld recorder that split a 90-minute interview into two
files, imported as part 2 of that interview (``import --continues``), as a recording resumed after the input was lost
is (QA S12: part 2 went in as a second first interview, or a follow-up). Checks the session it carries on is hers and
says what the part must match; never writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldvault import layout, names
from fieldvault.agefile import Identity
from fieldvault.errors import BadInput
from fieldvault.events import load_events
from fieldvault.participants import participant_folder
from fieldvault.sessioninfo import FIRST, IndexedSession, SessionInfo, load_session_info, read_index
from fieldvault.study import Study


@dataclass(frozen=True)
class CarriedOn:
    """The interview a new part carries on: its first part's id, its kind, and the sample rate its recording has
    (None on a field kit, which cannot read it)."""

    first: str
    kind: str
    rate: int | None

    def part(self) -> SessionInfo:
        """The new part's session record: the interview's kind, naming its first part."""
        return SessionInfo(self.kind, continues=self.first, split=True)


def carried_on(study: Study, pseudonym: str, session: str, identities: Sequence[Identity]) -> CarriedOn:
    """The interview ``session`` (one of its parts, or its first) belongs to; BadInput in one line where it is none of
    hers. On the study the first part's timeline is read (the study key), on a kit the session index."""
    her = participant_folder(study, pseudonym).name
    name = names.check_name(session, "session id")
    if name.startswith("."):
        raise BadInput(f"{session!r} is not a session id (they look like 20261127-090507)")
    folder = layout.session(study.root, her, name)
    index = read_index(study.root)
    if not folder.is_dir() and (not study.is_field_kit or f"{her}/{name}" not in index):
        raise BadInput(_not_hers(study, her, name, index))
    if study.is_field_kit:
        held = index.get(f"{her}/{name}", IndexedSession())
        first = held.continues or name
        return CarriedOn(first, index.get(f"{her}/{first}", held).kind or held.kind or FIRST, None)
    if not identities:
        raise BadInput("a part is checked against the recording it carries on: give the study passphrase")
    info = load_session_info(study, folder, identities)
    first = info.continues or name
    first_folder = layout.session(study.root, her, first)
    rate = load_events(study, first_folder, identities).info.get("rate")
    return CarriedOn(first, load_session_info(study, first_folder, identities).kind, _rate(rate))


def _rate(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _not_hers(study: Study, her: str, name: str, index: dict[str, IndexedSession]) -> str:
    owners = sorted(
        {p for p in study.participant_names() if layout.session(study.root, p, name).is_dir()}
        | {key.split("/", 1)[0] for key in index if key.split("/", 1)[1:] == [name]}
    )
    if owners:
        return (
            f"session {name} is {owners[0]}'s, not {her}'s: a part carries on an interview of the same woman; nothing "
            "was imported"
        )
    return f"{her} has no session {name}: `fieldvault` lists her sessions; nothing was imported"


def refuse_other_rate(path: Path, rate: int, carried: CarriedOn) -> None:
    """A part recorded at another sample rate than the interview it says it carries on is another recording."""
    if carried.rate is not None and rate != carried.rate:
        raise BadInput(
            f"{path.name} was recorded at {rate} Hz and session {carried.first} at {carried.rate} Hz: it is not a part "
            "of that recording; nothing was imported"
        )
