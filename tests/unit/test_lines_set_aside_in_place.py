"""QA X1: one line that chains but carries a junk mac (no passphrase needed), then the PI's own `check`, which appends
its signed entry after it: `--set-aside-stray-lines` moved the forged line out, the signed entry no longer followed
the line before it, and the log could never be mended. Such a line, and one of an action only the study key writes
that the key did not sign, is now set aside in place: it stays, the chain runs through it, and nothing reads it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from fieldvault.audit import _digest
from fieldvault.auditstrays import set_aside
from fieldvault.errors import AuditBroken, BadInput
from fieldvault.export.gate import Wanted
from fieldvault.export.gate import build as export_build
from fieldvault.export.selection import Request
from fieldvault.stewardship.report import build
from fieldvault.study import Study, derived_key
from fieldvault.vouchsign import pin_line
from tests.conftest import PASSPHRASE
from tests.stewardship import ROSA, add_person, transcribe_and_review
from tests.unit.test_vouchsign import transcribers_view, with_transcriber


def _forge(study: Study, action: str, **details: str | int) -> None:
    """What anyone who can write the folder appends by hand (this computer never remembers it as the head)."""
    last = study.audit.entries()[-1]
    entry = {"seq": last["seq"] + 1, "time": last["time"], "actor": "x", "action": action, "details": details}
    entry = {**entry, "prev": last["hash"]}
    with study.audit.path.open("a") as log:
        log.write(json.dumps({**entry, "hash": _digest(entry)}) + "\n")


def _junk_mac(study: Study, seq: int) -> None:
    """A mac added by hand to entry ``seq``: its hash covers no mac, so the chain still holds."""
    lines = study.audit.path.read_text().splitlines(keepends=True)
    lines[seq] = json.dumps({**json.loads(lines[seq]), "mac": "00" * 32}) + "\n"
    study.audit.path.write_text("".join(lines))


def _opened(study: Study, setting_aside: bool = False) -> Study:
    again = Study.open(study.root)
    again.setting_aside_strays = setting_aside
    again.unlock(PASSPHRASE.encode())
    return again


EXPORT = {"pseudonym": "Rosa", "out": "/media/usb/leak.qdpx", "format": "qdpx"}


def test_nothing_is_written_after_a_line_with_a_junk_mac_and_the_set_aside_then_mends_the_log(
    ready_study: Study,
) -> None:
    keyed = _opened(ready_study)
    _forge(ready_study, "export", **EXPORT)
    forged = len(ready_study.audit.entries()) - 1
    _junk_mac(ready_study, forged)
    before = ready_study.audit.path.read_bytes()
    for _ in range(2):  # the PI's check, export, backup: none chains an entry to it
        with pytest.raises(AuditBroken, match="--set-aside-stray-lines") as refused:
            keyed.audit.append("check", count=0)
        assert f"line {forged + 1} (export) fails authentication with the study key" in str(refused.value)
        assert ready_study.audit.path.read_bytes() == before
    mended = _opened(ready_study, setting_aside=True)
    assert mended.strays_set_aside is not None and mended.strays_set_aside.file is not None  # moved out, kept
    mended.audit.append("check", count=0)
    assert mended.audit.verify().entries == forged + 2


def test_a_junk_mac_line_an_entry_was_chained_to_before_is_set_aside_in_place(ready_study: Study) -> None:
    """A log left so by a release before the refusal above: the set-aside used to refuse it for ever."""
    _forge(ready_study, "export", **EXPORT)
    forged = len(ready_study.audit.entries()) - 1
    _opened(ready_study).audit.append("check", count=0)
    _junk_mac(ready_study, forged)
    with pytest.raises(AuditBroken, match="--set-aside-stray-lines"):
        _opened(ready_study).audit.verify()
    before = ready_study.audit.path.read_text()
    mended = _opened(ready_study, setting_aside=True)
    assert mended.strays_set_aside is not None and mended.strays_set_aside.file is None
    (said,) = mended.strays_set_aside.disowned
    assert "(export) with a mac the study key did not write" in said
    assert mended.audit.path.read_text().startswith(before)  # nothing moved out: every line in its place
    verified = mended.audit.verify()
    assert verified.disowned == 1 and "set aside in place" in verified.describe()
    assert forged not in [e["seq"] for e in mended.audit.facts()]
    assert _opened(ready_study, setting_aside=True).strays_set_aside is None  # run twice: nothing more to do


def test_a_key_only_line_the_key_did_not_sign_is_named_then_set_aside_in_place(ready_study: Study) -> None:
    _forge(ready_study, "audit.older-log-accepted", head="3:" + "0" * 64, count="1")
    verified = _opened(ready_study).audit.verify()
    seq = len(ready_study.audit.entries()) - 1
    assert [f[:2] for f in verified.forged] == [(seq, "audit.older-log-accepted")]
    assert "appended without the study key, of actions only a command holding it writes" in verified.describe()
    mended = _opened(ready_study, setting_aside=True)
    assert mended.strays_set_aside is not None
    assert "only a command holding the study key writes" in mended.strays_set_aside.said()
    assert mended.audit.verify().forged == ()


def test_the_irb_report_takes_no_forged_withdrawal_as_done(ready_study: Study) -> None:
    """QA X12: a forged `withdraw` line was reported as a withdrawal, with "None session(s) destroyed"."""
    add_person(ready_study, ROSA)
    _forge(ready_study, "withdraw", pseudonym="Rosa")
    keys = ready_study.unlock(PASSPHRASE.encode())
    text = build(ready_study, keys, date(2026, 11, 28)).to_markdown()
    assert "withdrew" not in text and "None" not in text
    assert "appended without the study key" in text  # the overview's line on the log names it


def test_a_key_only_line_a_release_before_signing_wrote_is_no_forgery(ready_study: Study) -> None:
    """QA Y1: in a study made before entries were signed (a9c80ae), check called the PI's own `keys add-recipient`
    a line someone without the passphrase added. Only a line after the first the key signed can be one."""
    _forge(ready_study, "keys.add-recipient", name="transcriber", recipient="age1" + "q" * 58)
    lines = ready_study.audit.path.read_text().splitlines(keepends=True)
    for n in range(len(lines) - 1):  # an older release wrote no mac: the hashes and the chain stay as they are
        lines[n] = json.dumps({k: v for k, v in json.loads(lines[n]).items() if k != "mac"}) + "\n"
    ready_study.audit.path.write_text("".join(lines))
    keyed = _opened(ready_study)
    assert keyed.audit.verify().forged == ()
    assert "keys.add-recipient" in [e["action"] for e in keyed.audit.facts()]
    keyed.audit.append("check", count=0)  # signed: from here on the key signs every such line
    _forge(ready_study, "keys.add-recipient", name="another", recipient="age1" + "p" * 58)
    assert [f[1] for f in _opened(ready_study).audit.verify().forged] == ["keys.add-recipient"]
    assert [e["details"]["name"] for e in keyed.audit.facts() if e["action"] == "keys.add-recipient"] == ["transcriber"]


def _transcribers_export(study: Study) -> Callable[[], int]:
    """Rosa's session reviewed, and a transcriber whose identity file pins the vouch key: how many sessions her
    reviewed export holds, each time it is called."""
    reader = with_transcriber(study)
    (session,) = add_person(study, ROSA)
    keys = study.unlock(PASSPHRASE.encode())
    transcribe_and_review(study, keys, ROSA, session)
    line = pin_line(study, keys[0])
    return lambda: len(export_build(transcribers_view(study, reader, line), [reader], Request(), Wanted()).origins)


def test_a_forged_acceptance_set_aside_in_place_undoes_no_review_on_a_transcribers_computer(ready_study: Study) -> None:
    """QA Y11: without the study key nothing read the set-aside, so a forged `audit.older-log-accepted` the PI had set
    aside as told still made every review before it count as undone for a transcriber, for good. The set-aside's list
    of lines (refs, nothing identifying) is signed with the vouch key her identity file pins."""
    exported = _transcribers_export(ready_study)
    assert exported() == 1
    _forge(ready_study, "audit.older-log-accepted", head="3:" + "0" * 64, count="1")
    with pytest.raises(BadInput, match="nothing to export"):  # an acceptance not set aside counts: the safe side
        exported()
    assert _opened(ready_study, setting_aside=True).strays_set_aside is not None  # the PI, as check says
    assert exported() == 1
    signed = ready_study.audit.entries()[-1]["details"]["signatures"]  # the PI's set-aside's signature
    _forge(ready_study, "audit.older-log-accepted", head="4:" + "0" * 64, count="1")
    again = ready_study.audit.entries()[-1]
    _forge(ready_study, "audit.stray-lines-set-aside", file="", count="0", disowned=f"{again['seq']}:{again['hash']}",
           signatures=signed)  # fmt: skip
    with pytest.raises(BadInput, match="nothing to export"):  # a set-aside the vouch key did not sign says nothing
        exported()


def test_a_key_only_line_forged_into_a_log_from_before_signing_is_named_not_taken(ready_study: Study) -> None:
    """QA Y14: in a study made before entries were signed, a key-only line appended before the first keyed command
    after the upgrade was "before the first signed entry": never named and taken as fact for ever. Only the actions a
    release before signing wrote (`keys add-recipient`, `keys export-identity`) stand unsigned there; the set-aside
    then disowns the forged line and keeps the PI's own."""
    _forge(ready_study, "keys.add-recipient", name="transcriber", recipient="age1" + "q" * 58)
    _forge(ready_study, "audit.older-log-accepted", count=3)  # undoes every review once taken (QA X6)
    _forge(ready_study, "withdraw", pseudonym="Rosa")
    lines = ready_study.audit.path.read_text().splitlines(keepends=True)
    for n in range(len(lines)):  # an older release wrote no mac: the hashes and the chain stay as they are
        lines[n] = json.dumps({k: v for k, v in json.loads(lines[n]).items() if k != "mac"}) + "\n"
    ready_study.audit.path.write_text("".join(lines))
    keyed = _opened(ready_study)
    forged = ["audit.older-log-accepted", "withdraw"]
    assert [f[1] for f in keyed.audit.verify().forged] == forged
    taken = [e["action"] for e in keyed.audit.facts()]
    assert "keys.add-recipient" in taken and not set(forged) & set(taken)
    aside = _opened(ready_study, setting_aside=True).strays_set_aside
    assert aside is not None and len(aside.disowned) == 2, aside
    assert all(action in said for action, said in zip(forged, aside.disowned, strict=True)), aside
    assert _opened(ready_study).audit.verify().forged == ()


def test_a_set_aside_an_earlier_release_wrote_is_signed_at_the_pis_next_unlock(ready_study: Study) -> None:
    """QA Y11 in a study mended before the set-aside was signed: nothing was left to set aside again, so her reviewed
    exports found nothing for good. The PI's next unlock lists those lines again in a set-aside the vouch key signs."""
    exported = _transcribers_export(ready_study)
    _forge(ready_study, "audit.older-log-accepted", head="3:" + "0" * 64, count="1")
    key = derived_key(ready_study.unlock(PASSPHRASE.encode())[0], "audit")
    older = Study.open(ready_study.root)
    older.audit.use_key(key)  # as the release before: no vouch key signs
    assert set_aside(older.audit, key) is not None
    with pytest.raises(BadInput, match="nothing to export"):
        exported()
    Study.open(ready_study.root).unlock(PASSPHRASE.encode())  # any command the PI runs
    assert exported() == 1
    count = len(ready_study.audit.entries())
    Study.open(ready_study.root).unlock(PASSPHRASE.encode())
    assert len(ready_study.audit.entries()) == count  # once
