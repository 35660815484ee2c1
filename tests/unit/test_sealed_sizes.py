"""A field kit can be lost or seized. age hides what a file holds, not how long it is: a profile sealed on a kit told
her questionnaire answers by its size (qa29 QE2: "Ever worked for a trafficker" Yes 698 bytes, No 697, Prefer not to
say 712). Her profile, her list of names, a session's record and its timeline are padded (serial.padded) so that
answers, names, kinds and notes of different lengths seal to files of one size."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.events import Event, EventJournal, SessionEvents
from fieldvault.participants import ConsentRecord, KnownIdentifier, Profile, add_participant, known_identifiers
from fieldvault.sessioninfo import KINDS, SessionInfo
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE

CONSENT = ConsentRecord("information letter given; verbal consent", "v", "s", "now")


def _sizes(study: Study, relative: str) -> set[int]:
    return {p.stat().st_size for p in study.root.glob(relative)}


def test_her_answers_and_names_seal_to_one_size_on_a_field_kit(ready_study: Study, tmp_path: Path) -> None:
    kit = ready_study.make_field_kit(tmp_path / "kit")
    said = {"Yes": "Tanisha Brooks", "No": "Ann", "Prefer not to say": "Maria de los Angeles Gutierrez"}
    for number, (answer, name) in enumerate(said.items()):
        add_participant(
            kit, f"Rose{number}", {**ANSWERS, "worked_for_trafficker": answer}, CONSENT, [KnownIdentifier(name)]
        )
    assert len(_sizes(kit, f"{layout.PARTICIPANTS}/*/{layout.PROFILE}")) == 1
    assert len(_sizes(kit, f"{layout.PARTICIPANTS}/*/{layout.IDENTIFIERS}")) == 1


def test_padded_records_read_back_as_written(study: Study) -> None:
    identities = study.unlock(PASSPHRASE.encode())
    add_participant(study, "Rose", ANSWERS, CONSENT, [KnownIdentifier("Tanisha Brooks")])
    profile = Profile.from_json(study.read(f"{layout.PARTICIPANTS}/Rose/{layout.PROFILE}", identities))
    assert profile.answers == ANSWERS
    assert [k.text for k in known_identifiers(study, "Rose", identities)] == ["Tanisha Brooks"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_session_record_seals_to_one_size_whatever_its_kind(study: Study, kind: str) -> None:
    sizes = {len(SessionInfo(kind=k).to_json()) for k in KINDS}
    assert len(sizes) == 1
    assert SessionInfo.from_json(SessionInfo(kind=kind).to_json(), "it").kind == kind


def test_a_timeline_and_its_journal_seal_to_one_size_whatever_the_notes_say(study: Study) -> None:
    folder = study.root / layout.PARTICIPANTS / "Rose" / "s1"
    folder.mkdir(parents=True)
    journal = EventJournal(study, folder, SessionEvents("Rose", "s1", {"rate": 16000}))
    for at, text in enumerate(("ok", "she asked to stop for a while and talk about her daughter first")):
        journal.add(Event(float(at), "note", text))
    assert len(_sizes(study, "participants/Rose/s1/events.d/0000*.json.age")) == 1
