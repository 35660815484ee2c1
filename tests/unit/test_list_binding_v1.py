"""Lists of names sealed before they named their participant (schema version 1) are read unbound: a swap of two such
lists between folders went unseen. `participant bind-lists` binds them once on the trusted machine (audited, a second
run changes nothing), and `check` says when unbound lists remain."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from fieldvault import layout, vouching
from fieldvault.errors import BadStudyFile, LockedStudy
from fieldvault.participants import (
    LISTS_BOUND,
    ConsentRecord,
    KnownIdentifier,
    add_participant,
    bind_lists,
    known_identifiers,
    read_identifier_list,
    unbound_lists,
)
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from tests.conftest import ANSWERS
from tests.e2e.test_cli import assert_one_line_error, fv

CONSENT = ConsentRecord("verbal", "v", "s", "2026-11-24T10:00:00+00:00")
PEOPLE = {"Rose": ["Dolores Vance", "Fresno"], "Zoë": []}


def _list(name: str) -> Path:
    return Path(layout.PARTICIPANTS, name) / layout.IDENTIFIERS


def _as_version_1(study: Study, name: str, identities: list) -> None:
    """Her list as fieldvault sealed it before lists named their participant."""
    held = json.loads(study.read(_list(name), identities))
    old = json.dumps({"identifiers": held["identifiers"], "schema_version": 1}, indent=1, sort_keys=True).encode()
    study.replace(_list(name), old)
    # ... and vouched for as it is, as the first unlock vouches for a list sealed before the key did (QA S14)
    study.audit.append_vouching(vouching.ADOPTED, {_list(name).as_posix(): vouching.digest(old)}, count=1)


def _old_study(study: Study, identities: list) -> Study:
    for name, listed in PEOPLE.items():
        add_participant(study, name, dict(ANSWERS), CONSENT, [KnownIdentifier(t) for t in listed], identities)
        _as_version_1(study, name, identities)
    return study


def _bound_notes(study: Study, identities: list) -> list[str]:
    return [s for s in check_study(study, identities).strays if "bind-lists" in s]


def test_bind_lists_binds_each_once_audited_and_check_says_until_then(ready_study: Study, identities: list) -> None:
    study = _old_study(ready_study, identities)
    assert unbound_lists(study, identities) == ["Rose", "Zoë"]
    assert _bound_notes(study, identities) == [
        f"2 list(s) of names are not bound to their participant (written before lists named her); run `fieldvault "
        f"participant bind-lists {study.root}` once"
    ]
    assert bind_lists(study, identities) == ["Rose", "Zoë"]
    for name, listed in PEOPLE.items():
        held = read_identifier_list(study, _list(name), identities)
        assert held.pseudonym == name and held.participant_id and held.schema_version == 2
        assert [i.text for i in held.identifiers] == listed
    logged = [e for e in study.audit.entries() if e["action"] == LISTS_BOUND]
    vouched = json.loads(logged[0]["details"].pop("vouches"))  # the lists as re-sealed (QA S14)
    assert sorted(json.loads(logged[0]["details"].pop("signatures"))) == sorted(vouched)  # signed too (QA T17)
    assert sorted(vouched) == [_list(name).as_posix() for name in PEOPLE]
    assert [e["details"] for e in logged] == [{"count": 2}] and "mac" in logged[0]
    assert _bound_notes(study, identities) == []
    files = {name: (study.root / _list(name)).read_bytes() for name in PEOPLE}
    assert bind_lists(study, identities) == []  # run twice: nothing changes, nothing more logged
    assert {name: (study.root / _list(name)).read_bytes() for name in PEOPLE} == files
    assert len([e for e in study.audit.entries() if e["action"] == LISTS_BOUND]) == 1


def test_once_bound_a_swap_of_two_lists_is_refused(ready_study: Study, identities: list) -> None:
    """The attack the binding closes: Rose's names moved into Zoë's folder (and back), with `mv`."""
    study = _old_study(ready_study, identities)
    rose, zoe = study.root / _list("Rose"), study.root / _list("Zoë")
    rose_bytes, zoe_bytes = rose.read_bytes(), zoe.read_bytes()
    rose.write_bytes(zoe_bytes)
    zoe.write_bytes(rose_bytes)
    with pytest.raises(BadStudyFile, match="replaced since the study key sealed it"):  # unbound, yet vouched for
        known_identifiers(study, "Zoë", identities)  # at her path by the study key (QA S14)
    rose.write_bytes(rose_bytes)
    zoe.write_bytes(zoe_bytes)
    bind_lists(study, identities)
    rose_bytes, zoe_bytes = rose.read_bytes(), zoe.read_bytes()
    rose.write_bytes(zoe_bytes)
    zoe.write_bytes(rose_bytes)
    with pytest.raises(BadStudyFile, match="Rose's list of names she may mention, not Zoë's"):
        known_identifiers(study, "Zoë", identities)
    assert {f.file for f in check_study(study, identities).failures} == {str(_list("Rose")), str(_list("Zoë"))}


def test_a_bind_cut_off_part_way_is_finished_by_running_it_again(ready_study: Study, identities: list) -> None:
    study = _old_study(ready_study, identities)
    bind_lists(study, identities)
    _as_version_1(study, "Zoë", identities)  # as if the run stopped after Rose's list
    assert bind_lists(study, identities) == ["Zoë"]
    assert unbound_lists(study, identities) == []


def test_bind_lists_needs_the_study_key_and_the_cli_says_so_in_one_line(ready_study: Study, identities: list) -> None:
    study = _old_study(ready_study, identities)
    with pytest.raises(LockedStudy):
        bind_lists(study, [])
    root = str(study.root)
    assert_one_line_error(
        fv("participant", "bind-lists", root, env={"FIELDVAULT_PASSPHRASE": ""}, stdin=subprocess.DEVNULL),
        "passphrase",
    )
    assert unbound_lists(study, identities) == ["Rose", "Zoë"]
    done = fv("participant", "bind-lists", root)
    assert done.returncode == 0 and "bound 2 list(s) of names to their participant" in done.stdout
    again = fv("participant", "bind-lists", root)
    assert again.returncode == 0 and "nothing to do" in again.stdout
    checked = fv("check", root)
    assert checked.returncode == 0 and "bind-lists" not in checked.stdout
