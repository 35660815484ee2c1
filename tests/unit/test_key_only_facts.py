"""qa20's one cause (X3, X6, X7, X12, X14): a line anyone appends to audit.jsonl without the passphrase chains as well
as any (right seq, prev and hash; no mac), and every reader took it as fact. With the study key in use, a line of an
action only a keyed command writes (`audit.KEY_ONLY_ACTIONS`) counts only where the key signed it (`AuditLog.facts`).
The attacker here is fieldvault's own code on the study opened locked: what anyone who can write the folder appends."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fieldvault import beside, layout
from fieldvault.lists import append_to_list, fold_beside
from fieldvault.participantid import participant_id
from fieldvault.participants import known_identifiers, read_identifier_list
from fieldvault.redact.known import KnownIdentifier
from fieldvault.sessionmove import moved_sessions
from fieldvault.sessionvouch import _older_log_accepted_since
from fieldvault.stewardship.report import build
from fieldvault.stewardship.retention import destroyed_ids
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person


def _forge(study: Study, action: str, **details: str | int) -> None:
    Study.open(study.root).audit.append(action, **details)  # no key: a chained line without a mac


def test_a_key_only_line_the_key_did_not_sign_is_no_fact_once_the_key_is_in_use(ready_study: Study) -> None:
    (session,) = add_person(ready_study, ROSA)
    _forge(ready_study, "session.move", pseudonym="Iris", moved_from="Rosa", session=session)
    _forge(ready_study, "audit.older-log-accepted", head="3:" + "0" * 64, count=1)
    _forge(ready_study, "retention.destroy", participants="p-0000")
    _forge(ready_study, "export", pseudonym="Rosa", session=session)  # any command may write this one locked
    locked = Study.open(ready_study.root)
    assert moved_sessions(locked) == {("Rosa", session): "Iris"}  # without the key nothing can be told: read as ever
    keyed = Study.open(ready_study.root)
    keyed.unlock(PASSPHRASE.encode())
    assert moved_sessions(keyed) == {} and destroyed_ids(keyed) == set()
    assert not _older_log_accepted_since(keyed, 0)
    kinds = [e["action"] for e in keyed.audit.facts()]
    assert "export" in kinds and not {"session.move", "audit.older-log-accepted", "retention.destroy"} & set(kinds)
    assert len(keyed.audit.facts()) == len(keyed.audit.entries()) - 3


def test_names_given_locked_reach_her_list_despite_a_forged_rename(ready_study: Study) -> None:
    """X14: a forged `participant.rename` away from her made the names she gave with the study locked a stranger's
    file: never folded into her list, and `check` told the PI so; her exports went on without them."""
    add_person(ready_study, ROSA)
    locked = Study.open(ready_study.root)
    given = [KnownIdentifier("Lena Park", "PERSON"), KnownIdentifier("Brent Huxley", "PERSON")]
    assert append_to_list(locked, "Rosa", given).added == 2  # sealed beside her list: folded at the next unlock
    _forge(ready_study, "participant.rename", pseudonym="Zed", moved_from="Rosa", participant_id="p-0000")
    study = Study.open(ready_study.root)
    keys = study.unlock(PASSPHRASE.encode())
    assert beside.weigh(study, "Rosa").strangers == ()
    fold_beside(study, keys)
    listed = read_identifier_list(study, Path(layout.PARTICIPANTS, "Rosa", layout.IDENTIFIERS), keys)
    assert {"Lena Park", "Brent Huxley"} <= {i.text for i in listed.identifiers}
    assert participant_id(layout.participant(study.root, "Rosa")) is not None


def test_the_irb_report_lists_forged_key_only_lines_under_their_own_heading(ready_study: Study) -> None:
    """X12: a forged withdrawal is not reported as done, and is named apart (line, day, action; its details may name
    anyone), as not yet set aside, then as set aside once the PI has."""
    add_person(ready_study, ROSA)
    _forge(ready_study, "withdraw", pseudonym="Rosa")
    seq = len(ready_study.audit.entries()) - 1
    keyed = Study.open(ready_study.root)
    keys = keyed.unlock(PASSPHRASE.encode())
    text = build(keyed, keys, date(2026, 11, 28)).to_markdown()
    heading = "## Appended without the study key: not taken as fact"
    assert heading in text and f"| {seq} | " in text.split(heading)[1]
    assert "| withdraw | not yet |" in text and "withdrew" not in text
    mended = Study.open(ready_study.root)
    mended.setting_aside_strays = True
    mended.unlock(PASSPHRASE.encode())
    assert "| withdraw | yes |" in build(mended, keys, date(2026, 11, 28)).to_markdown()
    assert heading not in build(Study.open(ready_study.root), keys, date(2026, 11, 28)).to_markdown()  # no key


def test_a_forged_removal_keeps_no_kit_follow_up_out(ready_study: Study) -> None:
    """X3 (RP.sh): a forged `session.remove` naming her kit recording's payload made merge-kit leave her follow-up out
    and say "wipe this kit" (kitmerge._destroyed_payloads)."""
    from fieldvault.agefile.header import payload_id
    from fieldvault.events import SessionEvents
    from fieldvault.kitmerge import merge_kit

    add_person(ready_study, ROSA)
    kit = ready_study.make_field_kit(ready_study.root.parent / "kit")
    session = "20261201-100000"
    kit.write_new(f"participants/Rosa/{session}/audio.wav.age", b"RIFF....WAVEdata")
    kit.write_new(f"participants/Rosa/{session}/events.json.age", SessionEvents("Rosa", session).to_json())
    audio = payload_id(kit.root / "participants" / "Rosa" / session / "audio.wav.age")
    _forge(ready_study, "session.remove", pseudonym="Rosa", session=session, payloads=str(audio))
    study = Study.open(ready_study.root)
    report = merge_kit(study, kit.root, study.unlock(PASSPHRASE.encode()))
    assert report.left_out == [] and report.sessions == [f"Rosa/{session}"]
    assert (study.root / "participants" / "Rosa" / session / "audio.wav.age").is_file()


def test_forged_renames_do_not_excuse_ids_swapped_on_a_kit(ready_study: Study) -> None:
    """X7 (SW3.sh): the two women's participant.id files swapped on the kit, and two forged renames (Rosa -> June,
    June -> Rosa) in the study's log, filed Rosa's kit follow-up as June's. Only renames the key signed excuse it."""
    from fieldvault.events import SessionEvents
    from fieldvault.kitmerge import KitRefused, merge_kit
    from tests.stewardship import JUNE

    add_person(ready_study, ROSA)
    add_person(ready_study, JUNE)
    kit = ready_study.make_field_kit(ready_study.root.parent / "kit")
    session = "20261201-100000"
    kit.write_new(f"participants/Rosa/{session}/audio.wav.age", b"RIFF....WAVEdata")
    kit.write_new(f"participants/Rosa/{session}/events.json.age", SessionEvents("Rosa", session).to_json())
    rosa, june = (kit.root / "participants" / name / layout.PARTICIPANT_ID for name in ("Rosa", "June"))
    rosa_id, june_id = rosa.read_bytes(), june.read_bytes()
    for path, ident in ((rosa, june_id), (june, rosa_id)):
        path.chmod(0o600)
        path.write_bytes(ident)
    _forge(ready_study, "participant.rename", pseudonym="June", moved_from="Rosa")
    _forge(ready_study, "participant.rename", pseudonym="Rosa", moved_from="June")
    study = Study.open(ready_study.root)
    with pytest.raises(KitRefused, match="nothing was merged"):
        merge_kit(study, kit.root, study.unlock(PASSPHRASE.encode()))
    assert not (study.root / "participants" / "June" / session).exists()


def test_without_the_key_a_forged_rename_never_takes_her_names_away(ready_study: Study) -> None:
    """QA Y6: on a transcriber's computer (no study key) the same forged rename made the names she gave with the study
    locked a stranger's file, and her export let them out. Without the key every file beside her list counts."""
    add_person(ready_study, ROSA)
    keys = Study.open(ready_study.root).unlock(PASSPHRASE.encode())  # what decrypts (an unlock now would fold them)
    append_to_list(Study.open(ready_study.root), "Rosa", [KnownIdentifier("Lena Park", "PERSON")])
    _forge(ready_study, "participant.rename", pseudonym="Zed", moved_from="Rosa", participant_id="p-0000")
    reader = Study.open(ready_study.root)
    assert not reader.audit.keyed and beside.weigh(reader, "Rosa").strangers  # the rename is followed: it looks genuine
    assert "Lena Park" in [i.text for i in known_identifiers(reader, "Rosa", keys)]
