"""settle19's rest (QA V3 inside a backup's own tree): a backup run with the key destroyed a file at a live path in the
backup because a signed entry named that place, whatever file lay there. Someone at the backup disk moves the only
copy of Rosa's recording (the study lost its own) into the place of a session of June's that the study removed: the
next backup with the key destroyed it. Only the very file the entry took (its payload id, read through the key) is
destroyed; any other is set aside, kept and named, every run. Real age files, a real Study, real backups."""

from __future__ import annotations

import os
from pathlib import Path

from fieldvault import layout
from fieldvault.lists import append_to_list
from fieldvault.participants import KnownIdentifier
from fieldvault.sessionremove import remove_session
from fieldvault.stewardship.backup import backup
from fieldvault.stewardship.withdraw import withdraw
from fieldvault.study import Study
from tests.stewardship import JUNE, ROSA, add_person

AUDIO = "audio.wav.age"


def test_a_backup_with_the_key_keeps_a_recording_moved_into_a_removed_sessions_place(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    study, dest = ready_study, tmp_path / "usb"
    [rosas] = add_person(study, ROSA, sessions=1, seconds=1.0)
    [junes, _] = add_person(study, JUNE, sessions=2, seconds=1.0)
    backup(study, dest, identities=identities)
    hers = f"participants/{ROSA.pseudonym}/{rosas}/{AUDIO}"
    recording = (dest / hers).read_bytes()
    (study.root / hers).unlink()  # the study lost her recording: the backup holds the only copy
    removed = f"participants/{JUNE.pseudonym}/{junes}"
    remove_session(study, JUNE.pseudonym, junes)  # signed with the study key, recording the payloads it took
    os.replace(dest / hers, dest / removed / AUDIO)  # at the backup disk: hers, over the removed recording
    aside = dest / layout.AWAITING_AUTHENTICATION / removed / AUDIO
    for run in range(2):  # run twice: kept and named each time, never destroyed
        done = backup(study, dest, identities=identities)
        assert aside.read_bytes() == recording, run
        assert [name for name, _ in done.kept_aside] == [f"{removed}/{AUDIO}"]
        assert "it is not one of the" in done.kept_aside[0][1] and "session.remove on" in done.kept_aside[0][1]
        assert all(not name.endswith(AUDIO) for name, _ in done.removed)
    assert not (dest / removed).exists()  # what the removal took is gone from the backup


def test_a_backup_with_the_key_destroys_an_earlier_version_of_her_list_after_her_withdrawal(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """The other side: her list saved again in the study after the backup copied it, then her withdrawal. The
    backup's copy is an earlier encryption (not a payload the withdrawal recorded), yet the study key vouched for its
    text at that very place: it is hers, and goes with the rest (kept, it would outlive her withdrawal)."""
    study, dest = ready_study, tmp_path / "usb"
    add_person(study, ROSA, sessions=1, seconds=1.0)
    add_person(study, JUNE, sessions=1, seconds=1.0)
    backup(study, dest, identities=identities)
    listed = f"participants/{JUNE.pseudonym}/{layout.IDENTIFIERS}"
    earlier = (dest / listed).read_bytes()
    append_to_list(study, JUNE.pseudonym, [KnownIdentifier("Carl Dorsey", "PERSON")], identities)
    assert (study.root / listed).read_bytes() != earlier
    withdraw(study, JUNE.pseudonym, identities)
    done = backup(study, dest, identities=identities)
    assert not done.kept_aside and listed in [name for name, _ in done.removed]
    assert not (dest / "participants" / JUNE.pseudonym).exists()
    assert not (dest / layout.AWAITING_AUTHENTICATION).exists()


def test_another_womans_list_moved_into_a_withdrawn_womans_place_is_kept(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """The study key vouched for Rosa's list at her own path, never at June's: moved there, it is not June's."""
    study, dest = ready_study, tmp_path / "usb"
    add_person(study, ROSA, sessions=1, seconds=1.0)
    add_person(study, JUNE, sessions=1, seconds=1.0)
    backup(study, dest, identities=identities)
    rosas, junes = (f"participants/{p.pseudonym}/{layout.IDENTIFIERS}" for p in (ROSA, JUNE))
    listed = (dest / rosas).read_bytes()
    (study.root / rosas).unlink()  # the study lost her list: the backup holds the only copy
    withdraw(study, JUNE.pseudonym, identities)
    os.replace(dest / rosas, dest / junes)
    done = backup(study, dest, identities=identities)
    assert [name for name, _ in done.kept_aside] == [junes]
    assert (dest / layout.AWAITING_AUTHENTICATION / junes).read_bytes() == listed
