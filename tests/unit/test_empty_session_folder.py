"""QA Z10: an import cut off after it made her session folder, before anything went into it, left an empty folder no
session record lists: check never named it, and exports numbered it as a session of hers ("session 2, first
interview"), her real follow-up "session 3"."""

from __future__ import annotations

from fieldvault import layout
from fieldvault.export.gate import _session_numbers
from fieldvault.overview import overview
from fieldvault.recording_lock import write_lock
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from tests.stewardship import ROSA, add_person


def test_an_empty_session_folder_is_no_session_and_check_names_it(ready_study: Study, identities: list) -> None:
    first, follow_up = add_person(ready_study, ROSA, sessions=2)
    empty = layout.session(ready_study.root, ROSA.pseudonym, "20000101-000000")  # sorts before hers
    empty.mkdir()
    numbers = _session_numbers(ready_study, ROSA.pseudonym, identities, {})
    assert [(folder, number) for folder, (number, _) in sorted(numbers.items())] == [(first, "1"), (follow_up, "2")]
    notes = [n for n in check_study(ready_study, identities).strays if "20000101-000000" in n]
    assert len(notes) == 1 and f"rmdir {empty}" in notes[0], notes


def test_the_session_list_leaves_out_an_empty_folder_but_not_a_recording_begun(ready_study: Study) -> None:
    """The TUI's session list (``overview``) numbered Z10's empty folder as a session row; a folder a recording has
    just made (its lock there, nothing written yet) is still listed: it is being recorded."""
    first, follow_up = add_person(ready_study, ROSA, sessions=2)
    layout.session(ready_study.root, ROSA.pseudonym, "20000101-000000").mkdir()
    begun = layout.session(ready_study.root, ROSA.pseudonym, "20991231-235959")
    begun.mkdir()
    write_lock(begun)
    (rosa,) = [p for p in overview(ready_study) if p.pseudonym == ROSA.pseudonym]
    assert [s.session for s in rosa.sessions] == [first, follow_up, begun.name]
