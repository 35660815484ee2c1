"""Withdrawal: no file of hers and no identifier of hers anywhere in the study afterwards."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fieldvault.agefile import decrypt_bytes
from fieldvault.agefile.header import payload_id
from fieldvault.errors import BadInput
from fieldvault.events import SessionEvents
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.overview import overview
from fieldvault.stewardship.withdraw import finish_interrupted, withdraw, withdraw_keeping_deidentified
from fieldvault.study import Study
from tests.auditfields import logged
from tests.conftest import PASSPHRASE
from tests.stewardship import JUNE, ROSA, add_person, transcribe_and_review


def _everything_readable(study: Study, identities: list) -> dict[str, str]:
    """Every file of the study as text: decrypted where it is an age file (audio included)."""
    found = {}
    for path in sorted(p for p in study.root.rglob("*") if p.is_file()):
        if path.relative_to(study.root).parts[0] == "keys":
            continue
        data = path.read_bytes()
        if data.startswith(b"age-encryption.org/v1\n"):
            data = decrypt_bytes(data, identities)
        found[str(path.relative_to(study.root))] = data.decode("utf-8", errors="replace")
    return found


def report_text(study: Study, identities: list) -> str:
    from datetime import date

    from fieldvault.stewardship.report import build

    return build(study, identities, date(2026, 11, 26)).to_markdown()


def _words(identifiers: tuple[str, ...]) -> set[str]:
    return {w.lower() for text in identifiers for w in text.split() if len(w) > 3}


def _unlocked(root: Path) -> tuple[Study, list, list[str]]:
    """The study opened and unlocked with the passphrase, as a command given it does, and what that said."""
    told: list[str] = []
    previous = Study.listen(told.append)
    try:
        study = Study.open(root)
        keys = study.unlock(PASSPHRASE.encode())
    finally:
        Study.listen(previous)
    return study, keys, told


@pytest.fixture
def two_people(ready_study: Study, identities: list) -> Study:
    for person in (ROSA, JUNE):
        sessions = add_person(ready_study, person, sessions=2)
        transcribe_and_review(ready_study, identities, person, sessions[0])
    return ready_study


def test_withdrawal_leaves_no_file_and_no_identifier_of_hers(two_people: Study, identities: list) -> None:
    before = _everything_readable(two_people, identities)
    assert any("quintanilla" in text.lower() for text in before.values())  # the search can find her
    done = withdraw(two_people, "rosa")
    assert done.pseudonym == "Rosa" and done.sessions_destroyed == 2 and done.files_destroyed >= 9
    after = _everything_readable(two_people, identities)
    for name, text in after.items():
        for word in _words(ROSA.identifiers):
            assert word not in text.lower(), f"{word!r} survives in {name}"
        if name != "audit.jsonl":
            assert "Rosa" not in text and "Rosa" not in name, name
    assert not any(Path(n).parts[:2] == ("participants", "Rosa") for n in after)
    assert [p.pseudonym for p in overview(two_people)] == ["June"]
    # June is untouched
    assert any("beckwith" in t.lower() for n, t in after.items() if n.startswith("participants/June/"))


def test_audit_records_the_withdrawal_without_identifiers_and_lists_earlier_exports(
    two_people: Study, identities: list, tmp_path: Path
) -> None:
    export(two_people, identities, Options("txt"), tmp_path / "coder-1", Request(include_unreviewed=True))
    export(two_people, identities, Options("csv"), tmp_path / "june.csv", Request(("June",), include_unreviewed=True))
    done = withdraw(two_people, "Rosa")
    assert [c.out for c in done.earlier_copies] == [str(tmp_path / "coder-1")]
    log = (two_people.root / "audit.jsonl").read_text().lower()
    for word in _words(ROSA.identifiers):
        assert word not in log
    copies = logged(two_people, "withdraw.earlier-copy", "pseudonym", "out", "format")
    assert {"pseudonym": "Rosa", "out": str(tmp_path / "coder-1"), "format": "txt"} in copies
    assert logged(two_people, "withdraw.done")
    two_people.audit.verify()
    later = export(
        two_people, identities, Options("txt"), tmp_path / "coder-2", Request(include_unreviewed=True, sample=1.0)
    )
    assert {s.participant for s in later.sessions} == {"June"}
    assert "Rosa" not in json.dumps([p.read_text() for p in (tmp_path / "coder-2").iterdir()])


def test_keeping_deidentified_keeps_only_her_reviewed_redacted_transcript(two_people: Study, identities: list) -> None:
    done = withdraw_keeping_deidentified(two_people, "Rosa", identities)
    assert len(done.kept) == 1
    left = sorted(
        str(p.relative_to(two_people.root)) for p in (two_people.root / "participants" / "Rosa").rglob("*.age")
    )
    assert left == [
        f"participants/Rosa/{done.kept[0]}/redactions.json.age",
        f"participants/Rosa/{done.kept[0]}/transcript.json.age",
    ]
    texts = _everything_readable(two_people, identities)
    for name, text in texts.items():
        for word in _words(ROSA.identifiers):
            assert word not in text.lower(), f"{word!r} survives in {name}"
    kept = texts[f"participants/Rosa/{done.kept[0]}/transcript.json.age"]
    assert "[PERSON" in kept and "left" in kept  # her words stay, de-identified
    later = export(two_people, identities, Options("txt"), two_people.root.parent / "after", Request(("Rosa",)))
    assert [s.reviewed for s in later.sessions] == [True]
    # QA J15: her answers are gone: no row of blanks in the sample table (N would count her), said so
    table = export(two_people, identities, Options("demographics"), two_people.root.parent / "d.csv", Request())
    assert [p.name for p in table.participants] == ["June"] and [n[0] for n in table.notes] == ["Rosa"]
    assert "Rosa" not in (two_people.root.parent / "d.csv").read_text()
    with pytest.raises(BadInput, match=r"Rosa withdrew .*the sample table has no row for her"):
        export(two_people, identities, Options("demographics"), two_people.root.parent / "r.csv", Request(("Rosa",)))


def test_keeping_deidentified_without_a_reviewed_transcript_destroys_nothing(
    ready_study: Study, identities: list
) -> None:
    add_person(ready_study, ROSA)
    with pytest.raises(BadInput, match="no reviewed transcript"):
        withdraw_keeping_deidentified(ready_study, "Rosa", identities)
    assert (ready_study.root / "participants" / "Rosa" / "profile.json.age").exists()


def test_an_interrupted_withdrawal_is_finished_and_hides_her_meanwhile(two_people: Study) -> None:
    folder = two_people.root / "participants" / "Rosa"
    payloads = " ".join(sorted({found for path in folder.rglob("*.age") if (found := payload_id(path))}))
    two_people.audit.append(  # recorded first, with the payloads it destroys
        "withdraw", pseudonym="Rosa", file=".withdrawing-0123456789abcdef", payloads=payloads
    )
    folder.rename(folder.with_name(".withdrawing-0123456789abcdef"))  # what a crash after the rename leaves
    assert [p.pseudonym for p in overview(two_people)] == ["June"]
    assert finish_interrupted(two_people) >= 9
    assert sorted(p.name for p in (two_people.root / "participants").iterdir()) == ["June"]


def test_a_withdrawal_cut_off_part_way_is_finished_when_the_study_is_next_unlocked(
    two_people: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA E14: a withdrawal killed after her folder was set aside left every file of hers, decryptable, until some
    later withdrawal or move; opening the study did nothing and the report said her sessions were destroyed."""
    import subprocess
    import sys

    from fieldvault.stewardship import withdraw as withdrawing

    def killed(folder: Path) -> int:
        raise KeyboardInterrupt  # the process dies here: the pending folder's lock goes with it

    identities = two_people.unlock(PASSPHRASE.encode())
    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):  # the test's own settings kept
        patched.setattr(withdrawing, "shred_tree", killed)
        withdraw(two_people, "Rosa")
    cut = report_text(two_people, identities)
    assert "the destruction of her 2 session(s) has not finished" in cut and "session(s) destroyed" not in cut
    [pending] = (two_people.root / "participants").glob(".withdrawing-*")
    holder = subprocess.Popen(  # another fieldvault destroying it right now: left to it
        [sys.executable, "-c", "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDONLY);"
         "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()", str(pending)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        Study.open(two_people.root).unlock(PASSPHRASE.encode())
        assert pending.is_dir()
    finally:
        holder.communicate("")
    Study.open(two_people.root)  # without the key, nothing is finished (QA Y3)
    assert pending.is_dir()
    again = Study.open(two_people.root)  # any command given the passphrase finishes it
    again.unlock(PASSPHRASE.encode())
    assert sorted(p.name for p in (again.root / "participants").iterdir()) == ["June"]
    done = [e["details"] for e in again.audit.entries() if e["action"] == "withdraw.done"]
    assert done and done[-1]["pseudonym"] == "Rosa" and int(done[-1]["count"]) >= 9
    assert "a participant withdrew; 2 session(s) destroyed." in report_text(again, identities)


def test_unknown_participant_is_a_one_line_error(two_people: Study) -> None:
    with pytest.raises(BadInput, match="no participant 'Lena'"):
        withdraw(two_people, "Lena")


def test_a_field_kit_made_before_her_withdrawal_cannot_bring_her_back(two_people: Study, identities: list) -> None:
    from fieldvault.kitmerge import merge_kit

    kit = two_people.make_field_kit(two_people.root.parent / "kit")
    session = "20261201-100000"
    for pseudonym in ("Rosa", "June"):  # both were interviewed again in the field before she withdrew
        kit.write_new(f"participants/{pseudonym}/{session}/audio.wav.age", b"RIFF....WAVEdata")
        kit.write_new(
            f"participants/{pseudonym}/{session}/events.json.age", SessionEvents(pseudonym, session).to_json()
        )
    withdraw(two_people, "Rosa")
    report = merge_kit(two_people, kit.root, identities)
    assert report.withdrawn == ["Rosa"]
    assert report.sessions == [f"June/{session}"]
    assert not (two_people.root / "participants" / "Rosa").exists()
    assert [p.pseudonym for p in overview(two_people)] == ["June"]


def test_the_report_never_names_her_even_when_transcripts_are_kept(two_people: Study, identities: list) -> None:
    from datetime import date

    from fieldvault.stewardship.report import build

    withdraw_keeping_deidentified(two_people, "Rosa", identities)
    text = build(two_people, identities, date(2026, 12, 1)).to_markdown()
    assert "Rosa" not in text
    assert "| (withdrawn) | withdrew; only reviewed, de-identified transcripts kept |" in text
    assert "| June | information letter given; verbal consent | letter-v3 |" in text
    assert text.count("| (withdrawn) | 2026") == 1  # her one kept session, under no name


def test_the_report_shows_no_export_path_that_names_a_participant(two_people: Study, identities: list) -> None:
    """QA T7: exports made before paths naming a participant were refused wrote them into the log ("x_Tucson"), and
    the IRB report printed them verbatim."""
    two_people.audit.append("export", out="/home/pi/x_Tucson", format="txt", count=1)
    two_people.audit.append("export", out="/home/pi/round2", format="txt", count=1)
    text = report_text(two_people, identities)
    assert "Tucson" not in text and "1 session(s) as txt to [a path naming a participant]" in text
    assert "1 session(s) as txt to /home/pi/round2" in text


def test_the_report_shows_no_backup_path_that_names_a_participant(two_people: Study, identities: list) -> None:
    """QA U10: the Backups table printed each backup's path verbatim, a stick's folder named after her town too."""
    two_people.audit.append("backup", out="/media/usb/Tucson_backup", count=19)
    two_people.audit.append("backup", out="/media/usb/round2", count=19)
    text = report_text(two_people, identities).split("Backups", 1)[1]
    assert "Tucson" not in text and "| [a path naming a participant] |" in text and "| /media/usb/round2 |" in text


def test_a_withdrawn_participants_pseudonym_is_retired(two_people: Study, identities: list) -> None:
    """QA J17: a new participant added under a withdrawn woman's pseudonym was reported as withdrawn, her consent
    missing, and the exports her coders were asked to delete bore the same name."""
    from fieldvault.participantrename import check_rename
    from fieldvault.participants import ConsentRecord, add_participant
    from tests.conftest import ANSWERS

    withdraw(two_people, "Rosa", identities)
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    for name in ("Rosa", "ROSA", "Rоsa"):  # any form of it, a Cyrillic о too
        with pytest.raises(BadInput, match="cannot be used as a pseudonym here"):  # not why: she may read (QA V12)
            add_participant(two_people, name, dict(ANSWERS), consent, [], identities)
        with pytest.raises(BadInput, match="was a participant's who withdrew, and it is retired"):  # the PI's
            check_rename(two_people, "June", name)
    add_participant(two_people, "Rosalind", dict(ANSWERS), consent, [], identities)


def test_a_keeping_withdrawal_cut_off_before_it_set_her_folder_aside_is_finished_keeping_what_she_agreed_to_keep(
    two_people: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA Z6: cut off after its signed entry, before her folder was set aside, the next unlock destroyed the staged
    de-identified copy and left her folder: check FAILED it for ever ("copied from an older backup") and the same
    withdrawal again found nothing reviewed to keep. The unlock finishes it from its signed entry."""
    from fieldvault.stewardship import withdraw as withdrawing
    from fieldvault.stewardship.check import check_study

    def killed(folder: Path, pending: Path) -> None:
        raise KeyboardInterrupt  # the process dies after the entry, before her folder is set aside

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):  # the test's own settings kept
        patched.setattr(withdrawing, "_set_aside", killed)
        withdraw_keeping_deidentified(two_people, "Rosa", identities)
    [staging] = (two_people.root / "participants").glob(".keeping-*")
    study, keys, told = _unlocked(two_people.root)
    assert [line for line in told if line.startswith("participants/Rosa: her withdrawal") and "finished now" in line]
    hers = study.root / "participants" / "Rosa"
    assert not staging.exists() and sorted(p.name for p in (study.root / "participants").iterdir()) == ["June", "Rosa"]
    assert sorted(p.name for p in hers.rglob("*.age")) == ["redactions.json.age", "transcript.json.age"]
    assert [f for f in check_study(study, keys).failures if "Rosa" in f.file] == []
    later = export(study, keys, Options("txt"), study.root.parent / "after", Request(("Rosa",)))
    assert [s.reviewed for s in later.sessions] == [True]
    assert logged(study, "withdraw.done", "pseudonym")[-1] == {"pseudonym": "Rosa"}
    with pytest.raises(
        BadInput, match=r"Rosa withdrew on .*keeping her de-identified transcripts: that withdrawal is "
    ):
        withdraw_keeping_deidentified(study, "Rosa", keys)  # the same withdrawal again: finished already
    assert sorted(p.name for p in hers.rglob("*.age")) == ["redactions.json.age", "transcript.json.age"]


def test_a_keeping_withdrawal_cut_off_before_its_entry_drops_its_copy_and_the_same_withdrawal_again_finishes(
    ready_study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA Z6's rest: cut off before its signed entry, it left its staged de-identified copy, which check FAILED for
    ever (named "renamed by hand?"), and this computer already remembered her as withdrawn: check FAILED her whole
    folder as one put back and the same withdrawal again found nothing reviewed to keep. Nothing of hers was destroyed:
    the copy goes, said in one line, and the withdrawal can be run again."""
    from fieldvault.audit import AuditLog
    from fieldvault.participantid import ensure_participant_id
    from fieldvault.stewardship.check import check_study

    real = AuditLog.append_vouching

    def killed(log: AuditLog, action: str, *args: object, **details: object) -> object:
        if action == "withdraw":
            raise KeyboardInterrupt  # the process dies as it writes the withdrawal's entry
        return real(log, action, *args, **details)  # type: ignore[arg-type]

    (session,) = add_person(ready_study, ROSA)  # alone: two women's sessions made in the same second share a name
    transcribe_and_review(ready_study, identities, ROSA, session)
    ensure_participant_id(ready_study.root / "participants" / "Rosa")  # as her list, written by the CLI, gives her
    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):  # the test's own settings kept
        patched.setattr(AuditLog, "append_vouching", killed)
        withdraw_keeping_deidentified(ready_study, "Rosa", identities)
    [staging] = (ready_study.root / "participants").glob(".keeping-*")
    study, keys, told = _unlocked(ready_study.root)
    assert not staging.exists() and [line for line in told if f"{staging.name}: the de-identified copy" in line]
    assert [f.file for f in check_study(study, keys).failures] == []
    done = withdraw_keeping_deidentified(study, "Rosa", keys)
    assert len(done.kept) == 1


def test_her_redactions_moved_by_hand_into_a_keeping_folder_no_withdrawal_names_are_kept(two_people: Study) -> None:
    """A guard for the rule above: a `.keeping-` folder no entry names is destroyed only as a cut-off withdrawal's
    copy, each file beside its original still in place; her review moved there (one `mv`) is hers, not a copy."""
    [session] = [
        p for p in (two_people.root / "participants" / "Rosa").iterdir() if (p / "redactions.json.age").is_file()
    ]
    moved = two_people.root / "participants" / ".keeping-0123456789abcdef" / session.name
    moved.mkdir(parents=True)
    (session / "redactions.json.age").rename(moved / "redactions.json.age")
    _, _, told = _unlocked(two_people.root)
    assert (moved / "redactions.json.age").is_file() and [line for line in told if "no withdrawal set it aside" in line]


def test_a_finished_keeping_withdrawals_staging_name_given_to_her_kept_records_destroys_nothing(
    two_people: Study, identities: list
) -> None:
    """QA Z15: a finished withdrawal's `.keeping-` name (in the plaintext log) given by hand to a folder holding her
    kept de-identified transcript: the next unlock shredded it. The name is spent once `withdraw.done` is logged."""
    done = withdraw_keeping_deidentified(two_people, "Rosa", identities)
    [name] = [e["pending"] for e in logged(two_people, "withdraw", "pseudonym", "pending") if e["pseudonym"] == "Rosa"]
    kept = two_people.root / "participants" / "Rosa" / done.kept[0]
    moved = two_people.root / "participants" / name / done.kept[0]
    moved.mkdir(parents=True)
    for path in list(kept.iterdir()):
        path.rename(moved / path.name)
    study, keys, told = _unlocked(two_people.root)
    assert sorted(p.name for p in moved.iterdir()) == ["redactions.json.age", "transcript.json.age"]
    assert any(
        f"participants/{name}: " in line and "kept, not destroyed" in line and f"{kept}" in line for line in told
    )
    # check says where they lie, not "restore it from your latest backup" (which holds her identifiable originals)
    from fieldvault.stewardship.check import check_study

    checked = check_study(study, keys)
    said = {f.file: f.problem for f in checked.failures}
    assert sorted(said) == [  # and nothing else (keep24: also "is Rosa's session S, not .keeping-X's session S")
        f"participants/Rosa/{done.kept[0]}/{n}" for n in ("redactions.json.age", "transcript.json.age")
    ]
    assert [line for line in checked.strays if name in line] == []  # nor "left from interrupted work", twice
    assert all(
        f"it lies in participants/{name}/" in problem and "put it back: mv" in problem for problem in said.values()
    )
    for path in list(moved.iterdir()):  # as the note says: mv them back
        path.rename(kept / path.name)
    study, keys, told = _unlocked(two_people.root)
    assert not moved.parent.exists() and not told and check_study(study, keys).failures == []


def test_a_keeping_withdrawal_cut_off_while_it_shreds_keeps_what_she_agreed_to_keep_as_the_study_key_s(
    two_people: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA Z6: cut off (power, kill) while it shredded her set-aside folder, the withdrawal left her kept de-identified
    transcript unvouched: check FAILED it for ever and sent the PI to a backup holding her identifiable originals, and
    no export took it. The signed `withdraw` entry vouches for it before anything is destroyed."""
    from fieldvault.stewardship import withdraw as withdrawing
    from fieldvault.stewardship.check import check_study

    def killed(pending: Path) -> int:
        raise KeyboardInterrupt  # the process dies while it shreds her set-aside folder

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):  # the test's own settings kept
        patched.setattr(withdrawing, "shred_tree", killed)
        withdraw_keeping_deidentified(two_people, "Rosa", identities)
    study = Study.open(two_people.root)
    keys = study.unlock(PASSPHRASE.encode())  # the finisher destroys what is left of her set-aside folder
    assert not list((study.root / "participants").glob(".withdrawing-*"))
    assert [f for f in check_study(study, keys).failures if "Rosa" in f.file] == []
    later = export(study, keys, Options("txt"), study.root.parent / "after", Request(("Rosa",)))
    assert [s.reviewed for s in later.sessions] == [True]


def _rosa_reviewed(study: Study, identities: list) -> str:
    """Rosa alone (two women's sessions made in the same second share a name), her one session reviewed."""
    from fieldvault.participantid import ensure_participant_id

    (session,) = add_person(study, ROSA)
    transcribe_and_review(study, identities, ROSA, session)
    ensure_participant_id(study.root / "participants" / "Rosa")  # as her list, written by the CLI, gives her
    return session


def test_a_withdrawal_cut_off_before_it_logged_the_earlier_copies_logs_and_says_them_when_finished(
    ready_study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keep23's K=15..21: cut off between its signed entry and its `withdraw.earlier-copy` entries, the withdrawal was
    finished at the next unlock, but the exports to ask back were never logged nor printed (the withdrawal prints them
    only at its end): the PI never learned whom to ask to delete a copy. The finisher logs the missing ones and says
    them all."""
    from fieldvault import withdrawnhere

    _rosa_reviewed(ready_study, identities)
    out = ready_study.root.parent / "coder-1"
    export(ready_study, identities, Options("txt"), out, Request(("Rosa",)))

    real = withdrawnhere.remember

    def killed(study: Study, found: dict[str, str]) -> None:
        if found:  # her withdrawal remembered: the process dies after its entry, before the earlier copies are logged
            raise KeyboardInterrupt
        real(study, found)

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):  # the test's own settings kept
        patched.setattr(withdrawnhere, "remember", killed)
        withdraw_keeping_deidentified(ready_study, "Rosa", identities)
    assert logged(ready_study, "withdraw.earlier-copy") == []
    study, _, told = _unlocked(ready_study.root)
    assert logged(study, "withdraw.earlier-copy", "pseudonym", "out") == [{"pseudonym": "Rosa", "out": str(out)}]
    [said] = [line for line in told if "ask whoever holds them to delete them" in line]
    assert said.startswith("participants/Rosa: ") and f"export (txt)  {out}" in said
    assert logged(study, "withdraw.done", "pseudonym") == [{"pseudonym": "Rosa"}]
    study.audit.verify()


def test_a_keeping_withdrawal_cut_off_just_before_it_was_recorded_done_is_not_run_a_second_time(
    ready_study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keep23's K=50: cut off after her set-aside folder was destroyed, before `withdraw.done`: nothing pending was left
    to finish, and the same withdrawal again de-identified her kept copy a second time and wrote a second withdrawal.
    The finisher it runs first sees the withdrawal complete and records it done; the rerun then says it is finished."""
    from fieldvault.audit import AuditLog

    real = AuditLog.append

    def killed(log: AuditLog, action: str, **details: str | int | float) -> object:
        if action == "withdraw.done":
            raise KeyboardInterrupt  # the process dies as it records the withdrawal done
        return real(log, action, **details)

    session = _rosa_reviewed(ready_study, identities)
    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):  # the test's own settings kept
        patched.setattr(AuditLog, "append", killed)
        withdraw_keeping_deidentified(ready_study, "Rosa", identities)
    hers = ready_study.root / "participants" / "Rosa"
    kept = {path: path.read_bytes() for path in hers.rglob("*.age")}
    assert sorted(p.relative_to(hers).as_posix() for p in kept) == [
        f"{session}/redactions.json.age", f"{session}/transcript.json.age"
    ]  # fmt: skip
    study, keys, _ = _unlocked(ready_study.root)
    with pytest.raises(
        BadInput, match=r"Rosa withdrew on .*keeping her de-identified transcripts: that withdrawal is "
    ):
        withdraw_keeping_deidentified(study, "Rosa", keys)
    assert {path: path.read_bytes() for path in hers.rglob("*.age")} == kept
    assert len(logged(study, "withdraw")) == 1 and logged(study, "withdraw.done", "pseudonym") == [
        {"pseudonym": "Rosa"}
    ]


def test_a_keeping_withdrawal_whose_staged_copy_an_older_release_destroyed_leads_to_her_plain_withdrawal(
    ready_study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keep23's leftover: cut off after its signed entry, then its staged copy destroyed at the next unlock (by the
    finisher of a release before keep23's fix) and her folder left whole: check FAILED her folder "copied from an
    older backup" and the same withdrawal again said "no reviewed transcript". Both say what happened and how to
    finish her withdrawal; done so, check passes."""
    import shutil

    from fieldvault.stewardship import withdraw as withdrawing
    from fieldvault.stewardship.check import check_study

    def killed(folder: Path, pending: Path) -> None:
        raise KeyboardInterrupt  # the process dies after the entry, before her folder is set aside

    _rosa_reviewed(ready_study, identities)
    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):  # the test's own settings kept
        patched.setattr(withdrawing, "_set_aside", killed)
        withdraw_keeping_deidentified(ready_study, "Rosa", identities)
    [staging] = (ready_study.root / "participants").glob(".keeping-*")
    shutil.rmtree(staging)  # what the older finisher did
    study, keys, _ = _unlocked(ready_study.root)
    said = r"Rosa: her withdrawal keeping her de-identified transcripts \(audit entry \d+, .*\) was cut off, .*"
    finish = r"finish her withdrawal with `fieldvault withdraw \S+ Rosa` \(without --keep-deidentified\)"
    with pytest.raises(BadInput, match=said + finish):
        withdraw_keeping_deidentified(study, "Rosa", keys)
    [problem] = [f.problem for f in check_study(study, keys).failures if f.file == "participants"]
    assert re.match(r"participants/" + said + finish, problem), problem
    withdraw(study, "Rosa", keys)
    assert check_study(study, keys).failures == []
