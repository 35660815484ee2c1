"""merge-kit over kits an attacker or an unlucky interviewer could bring back: checked whole, all or nothing."""

from __future__ import annotations

import os
import shutil
import stat
import time
import tomllib
from datetime import date
from pathlib import Path

import pytest
import tomli_w

from fieldvault import layout
from fieldvault.agefile import X25519Identity, X25519Recipient, encrypt_bytes
from fieldvault.agefile.header import payload_id
from fieldvault.errors import BadInput, FieldvaultError, TamperedStudy
from fieldvault.events import SessionEvents
from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.participantid import ensure_participant_id
from fieldvault.study import Study
from fieldvault.templates import FilledDocument
from tests.conftest import PASSPHRASE, fill_letter, kit_participant

S1 = "20261124-100000"
S2 = "20261125-100000"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"/")
        for p in sorted(root.rglob("*"))
        if p.name != "audit.jsonl"
    }


@pytest.fixture
def kit(ready_study: Study, tmp_path: Path) -> Study:
    (ready_study.root / "participants" / "Rose").mkdir(mode=0o700)
    ensure_participant_id(ready_study.root / "participants" / "Rose")
    return ready_study.make_field_kit(tmp_path / "kit")


def _new_participant(kit: Study, name: str) -> None:
    kit_participant(kit, name)


def _session(kit: Study, name: str, session: str, audio: bytes = b"RIFF....WAVEdata") -> None:
    kit.write_new(f"participants/{name}/{session}/audio.wav.age", audio)
    kit.write_new(f"participants/{name}/{session}/events.json.age", SessionEvents(name, session).to_json())


def test_two_copies_of_one_kit_that_recorded_apart_keep_both_logs_on_the_record(
    ready_study: Study, kit: Study, identities: list, tmp_path: Path
) -> None:
    """QA J13: a kit copied (a cloned stick) and each copy used: the second merge took its recording and none of its
    log ("0 audit entries taken"), since its entries had the numbers of the first copy's, taken already. Entries that
    part from what was taken are taken and marked; each merged again takes nothing twice."""
    _new_participant(kit, "Lena")
    clone = Study.open(Path(shutil.copytree(kit.root, tmp_path / "clone")))
    _session(kit, "Lena", S1)
    kit.audit.append("import", pseudonym="Lena", session=S1, seconds=2.0)
    _session(clone, "Lena", S2)
    clone.audit.append("import", pseudonym="Lena", session=S2, seconds=3.0, reason="member check")
    first = merge_kit(ready_study, kit.root, identities)
    assert first.forked_entries == 0
    second = merge_kit(ready_study, clone.root, identities)
    assert second.sessions == [f"Lena/{S2}"] and second.forked_entries == second.audit_entries == 1
    (forked,) = [e for e in ready_study.audit.entries() if e["action"] == "field-kit.entry-forked"]
    assert forked["details"]["session"] == S2 and forked["details"]["origin_action"] == "import"
    for again in (clone, kit):
        assert merge_kit(ready_study, again.root, identities).audit_entries == 0


def test_a_clean_kit_merges_with_private_modes(ready_study: Study, kit: Study, identities: list) -> None:
    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1)
    _session(kit, "Rose", S1)
    report = merge_kit(ready_study, kit.root, identities)
    assert report.sessions == [f"Lena/{S1}", f"Rose/{S1}"]
    assert ready_study.read(f"participants/Lena/{S1}/audio.wav.age", identities) == b"RIFF....WAVEdata"
    for path in (ready_study.root / "participants").rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    assert not any(p.name.startswith(".merging") for p in ready_study.root.iterdir())


def test_sessions_a_wrong_clock_dated_before_the_kit_or_in_the_future_are_named(
    ready_study: Study, kit: Study, identities: list
) -> None:
    """QA S3: a kit whose clock was reset files her interviews years back (or ahead), and they are numbered among
    hers by that date; merge-kit names them. A session recorded while the kit existed is not named."""
    made = kit.made_at()
    assert made is not None
    _new_participant(kit, "Lena")
    for session in ("20000101-000201", "20360101-120000", f"{made:%Y%m%d-%H%M%S}"):
        _session(kit, "Lena", session)
    report = merge_kit(ready_study, kit.root, identities)
    assert report.misdated == ("Lena/20000101-000201", "Lena/20360101-120000")
    assert len(report.sessions) == 3  # merged all the same: the recording is hers


def test_what_a_mac_writes_beside_the_kit_files_is_left_out_named_and_the_kit_merges(
    ready_study: Study, kit: Study, identities: list
) -> None:
    """QA Q8: a kit copied through a Mac (an exFAT stick) carries AppleDouble files, `._audio.wav.age` beside
    each file, and .DS_Store; one refused the whole kit ("is not something a field kit writes")."""
    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1)
    session = kit.root / "participants" / "Lena" / S1
    written = [session / "._audio.wav.age", session.parent / "._profile.json.age", session.parent / ".DS_Store"]
    for path in written:
        path.write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")  # AppleDouble's magic
    report = merge_kit(ready_study, kit.root, identities)
    assert report.sessions == [f"Lena/{S1}"]  # refused, it would have raised KitRefused
    named = sorted(line.split(":")[0] for line in report.left_out if "a Mac wrote" in line)
    assert named == sorted(str(p.relative_to(kit.root)) for p in written)
    assert not list(ready_study.root.rglob("._*")) and not list(ready_study.root.rglob(".DS_Store"))


def test_the_same_participant_merges_again_and_again(ready_study: Study, kit: Study, identities: list) -> None:
    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1)
    assert merge_kit(ready_study, kit.root, identities).sessions == [f"Lena/{S1}"]
    _session(kit, "Lena", S2)  # the kit went back to the field for a second day
    second = merge_kit(ready_study, kit.root, identities)
    assert second.sessions == [f"Lena/{S2}"]
    assert f"participants/Lena/{S1}/audio.wav.age" in second.already
    third = merge_kit(ready_study, kit.root, identities)
    assert third.merged == [] and third.audit_entries == 0
    imported = [e for e in ready_study.audit.entries() if e["action"] == "field-kit.entry"]
    assert len(imported) == len(kit.audit.entries())  # each kit entry taken once, however often merged
    assert ready_study.audit.verify().authenticated == ready_study.audit.verify().entries


def test_a_session_removed_in_the_study_never_comes_back_from_the_kit(
    ready_study: Study, kit: Study, identities: list
) -> None:
    """QA K5's rest: `session remove` records the payloads it destroyed, as a withdrawal does."""
    from fieldvault.sessionremove import remove_session

    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1)
    _session(kit, "Lena", S2)
    merge_kit(ready_study, kit.root, identities)
    remove_session(ready_study, "Lena", S1)
    again = merge_kit(ready_study, kit.root, identities)
    assert again.merged == [] and not (ready_study.root / "participants" / "Lena" / S1).exists()
    assert [line for line in again.left_out if S1 in line and "the study destroyed" in line]
    assert f"participants/Lena/{S2}/audio.wav.age" in again.already


def test_a_namesake_made_in_the_field_is_refused(ready_study: Study, kit: Study, identities: list) -> None:
    lena = ready_study.root / "participants" / "Lena"
    lena.mkdir(mode=0o700)
    ensure_participant_id(lena)
    _new_participant(kit, "LENA")
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert any("different participant" in line for line in refused.value.refused)


def _attack(kit: Study, tmp_path: Path, what: str) -> None:
    session = kit.root / "participants" / "Rose" / S2
    session.mkdir(mode=0o700)
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("root:x:0:0")
    if what == "symlinked file":
        (session / "audio.wav.age").symlink_to(outside / "secret.txt")
    elif what == "symlinked session":
        session.rmdir()
        session.symlink_to(outside)
    elif what == "symlinked participant":
        (kit.root / "participants" / "Eve").symlink_to(outside)
    elif what == "not an age file":
        (session / "audio.wav.age").write_bytes(b"RIFF not encrypted at all")
    elif what == "sparse file":
        with (session / "audio.wav.age").open("wb") as sparse:
            sparse.truncate(300 * 1024 * 1024)
    elif what == "fifo":
        os.mkfifo(session / "audio.wav.age")
    elif what == "extra recipient":
        intruder = X25519Identity.generate().recipient()
        recipients = [*kit.recipients(), intruder]
        (session / "audio.wav.age").write_bytes(encrypt_bytes(b"RIFF", recipients))
    elif what == "other study":
        other = X25519Recipient.parse(str(X25519Identity.generate().recipient()))
        (session / "audio.wav.age").write_bytes(encrypt_bytes(b"RIFF", [other]))
    elif what == "unexpected name":
        kit.write_new(f"participants/Rose/{S2}/notes.txt.age", b"x")
    elif what == "torn tail in a profile":
        data = encrypt_bytes(b"x" * 70000, kit.recipients())
        (kit.root / "participants" / "Rose" / "profile.json.age").write_bytes(data[:-10])
    else:
        os.mkdir(kit.root / "participants" / os.fsdecode(what.encode("utf-8", "surrogateescape")), 0o700)


def test_two_look_alike_participants_from_one_kit_are_refused(ready_study: Study, kit: Study, identities: list) -> None:
    _new_participant(kit, "Lena")
    _new_participant(kit, "L\u0435na")  # Cyrillic e
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert any("looks like the kit's 'Lena'" in line for line in refused.value.refused)
    assert ready_study.participant_names() == ["Rose"]


def test_a_participant_id_copied_into_another_kit_folder_is_named_as_such(
    ready_study: Study, kit: Study, identities: list
) -> None:
    _new_participant(kit, "Lena")
    (kit.root / "participants" / "Lena" / "participant.id").write_bytes(
        (kit.root / "participants" / "Rose" / "participant.id").read_bytes()
    )
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert any(
        line.startswith("participants/Lena: carries the participant id of the study's 'Rose'")  # never renamed
        for line in refused.value.refused
    ), refused.value.refused
    assert ready_study.participant_names() == ["Rose"]


ATTACKS = [
    "symlinked file", "symlinked session", "symlinked participant", "not an age file", "sparse file", "fifo",
    "extra recipient", "other study", "unexpected name", "torn tail in a profile",
    "Le\nna", "Le\u200fna", "Le:na", "Le\\na", "Le\udcffna", "Rose\u0301 ",
]  # fmt: skip


@pytest.mark.parametrize("what", ATTACKS)
def test_a_crafted_kit_is_refused_whole(
    ready_study: Study, kit: Study, identities: list, what: str, tmp_path: Path
) -> None:
    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1)  # a good session beside the bad one: all or nothing
    _attack(kit, tmp_path, what)
    before = _snapshot(ready_study.root)
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert _snapshot(ready_study.root) == before
    assert refused.value.refused and all(": " in line for line in refused.value.refused)
    assert all(line.isprintable() for line in refused.value.refused)  # one line each, nothing hidden


def _cut_off(kit: Study, audio: bytes, minutes_ago: float = 60.0) -> Path:
    """A recording cut off on the kit (a crash, a flat battery) ``minutes_ago``, its lock left beside it."""
    folder = kit.root / "participants" / "Rose" / S1
    folder.mkdir(mode=0o700)
    (folder / "audio.wav.age").write_bytes(audio[:-5000])
    (folder / "recording.lock").write_text('{"pid": 1, "host": "field-laptop"}')
    then = time.time() - minutes_ago * 60
    os.utime(folder / "audio.wav.age", (then, then))
    return folder


def test_a_cut_off_recording_merges_for_recover(ready_study: Study, kit: Study, identities: list) -> None:
    _cut_off(kit, encrypt_bytes(b"\x01" * 200_000, kit.recipients()))
    report = merge_kit(ready_study, kit.root, identities)
    assert report.cut_off == [f"participants/Rose/{S1}/audio.wav.age"]


def test_a_recording_still_running_on_the_kit_is_left_out_and_its_whole_copy_completes_a_cut_off_one(
    ready_study: Study, kit: Study, identities: list
) -> None:
    """QA E18: merge-kit while the kit was still recording took the part written so far as a cut-off recording;
    the whole recording could then never be merged, and the kit was refused from then on. A session whose
    recording was written to moments ago beside its lock is left out; a whole recording whose bytes extend the
    study's cut-off copy (merged from a copy of the kit taken while it recorded) replaces it, with its timeline, and
    the crash's leftovers go."""
    whole = encrypt_bytes(b"\x01" * 200_000, kit.recipients())
    folder = _cut_off(kit, whole, minutes_ago=0)
    report = merge_kit(ready_study, kit.root, identities)
    assert report.merged == [] and any("is being recorded now" in line for line in report.recording)
    held = ready_study.root / "participants" / "Rose" / S1
    assert not held.exists()
    old = time.time() - 3600  # a copy of the kit taken while it recorded, merged later: cut off in the study
    os.utime(folder / "audio.wav.age", (old, old))
    ready_study.write_new(held / "events.d" / "00001.json.age", b"{}")  # as the kit's journal would have come
    assert merge_kit(ready_study, kit.root, identities).cut_off == [f"participants/Rose/{S1}/audio.wav.age"]
    (folder / "audio.wav.age").write_bytes(whole)  # the recorder stopped on the kit: sealed whole, lock gone
    (folder / "recording.lock").unlink()
    kit.write_new(folder / "events.json.age", SessionEvents("Rose", S1).to_json())
    report = merge_kit(ready_study, kit.root, identities)
    assert report.completed == (f"participants/Rose/{S1}/audio.wav.age",)
    assert ready_study.read(held / "audio.wav.age", identities) == b"\x01" * 200_000
    assert sorted(p.name for p in held.iterdir()) == ["audio.wav.age", "events.json.age"]
    assert merge_kit(ready_study, kit.root, identities).merged == []  # and again: all there


def test_a_whole_recording_completes_the_copy_recover_re_sealed(
    ready_study: Study, kit: Study, identities: list
) -> None:
    from fieldvault.agefile.recovery import recover

    whole = encrypt_bytes(b"\x02" * 200_000, kit.recipients())
    folder = _cut_off(kit, whole)
    merge_kit(ready_study, kit.root, identities)
    held = ready_study.root / "participants" / "Rose" / S1
    recover(held / "audio.wav.age", identities)  # `fieldvault recover`: part of it kept, the original beside it
    ready_study.write_new(held / "events.json.age", SessionEvents("Rose", S1).to_json())
    (held / "recording.lock").unlink()
    from fieldvault.stewardship.rewrap import rewrap_file

    transcriber = X25519Identity.generate()  # the study's recipients changed since: its copies were re-wrapped
    rewrap_file(held / "audio.wav.age.damaged", identities, [*ready_study.recipients(), transcriber.recipient()])
    (folder / "audio.wav.age").write_bytes(whole)
    (folder / "recording.lock").unlink()
    kit.write_new(folder / "events.json.age", SessionEvents("Rose", S1, {"duration": 12.5}).to_json())
    report = merge_kit(ready_study, kit.root, identities)
    assert set(report.completed) == {f"participants/Rose/{S1}/audio.wav.age", f"participants/Rose/{S1}/events.json.age"}
    assert ready_study.read(held / "audio.wav.age", identities) == b"\x02" * 200_000
    assert not (held / "audio.wav.age.damaged").exists()


def test_a_kit_whose_recipients_changed_is_refused(ready_study: Study, kit: Study, identities: list) -> None:
    toml = kit.root / "study.toml"
    doc = tomllib.loads(toml.read_text())
    doc["recipients"].append({"name": "x", "key": str(X25519Identity.generate().recipient())})
    doc["recipients"] = doc["recipients"][1:]  # the study's own key gone
    toml.write_bytes(tomli_w.dumps(doc).encode())
    with pytest.raises(BadInput, match="recipient list was not sealed by this study's identity"):
        merge_kit(ready_study, kit.root, identities)


def test_keys_added_on_a_kit_are_named_recorded_and_the_interviews_can_still_come_in(
    ready_study: Study,
    kit: Study,
    identities: list,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA F13: a key added to a kit's study.toml (a laptop left alone) made the kit encrypt everything to it too;
    merge-kit said only "not a field kit of this study", audited nothing, and the interviews had no way in. The key
    is named, the refusal is on the record, and --accept-added-keys takes the interviews in, re-wrapped to the
    study's recipients only."""
    from fieldvault.cli import main

    evil = X25519Identity.generate()
    toml = kit.root / "study.toml"
    doc = tomllib.loads(toml.read_text())
    doc["recipients"].insert(0, {"name": "backup", "key": str(evil.recipient())})  # first: any place will do
    toml.write_bytes(tomli_w.dumps(doc).encode())
    changed = Study.open(kit.root)
    # QA R18: the kit itself refuses to encrypt to a list changed since it was made
    with pytest.raises(TamperedStudy, match="list of recipients was changed since the kit was made"):
        _session(changed, "Rose", S1)
    assert not (kit.root / "participants" / "Rose" / S1 / "audio.wav.age").exists()
    # A kit made by a fieldvault before that check (or whose log was rewritten too) records on: merge-kit still holds
    with monkeypatch.context() as older:
        older.setattr(Study, "_refuse_changed_kit_list", lambda self: None)
        _session(changed, "Rose", S1)  # recorded after the key was added: the evil key reads it on the kit
    assert changed.read(f"participants/Rose/{S1}/audio.wav.age", [evil]) == b"RIFF....WAVEdata"
    before = _snapshot(ready_study.root)
    with pytest.raises(BadInput, match=f"keys were added .*'backup' \\({evil.recipient()}\\).* --accept-added-keys"):
        merge_kit(ready_study, kit.root, identities)
    last = ready_study.audit.entries()[-1]
    assert last["action"] == "field-kit.refused" and last["details"]["recipient"] == str(evil.recipient())
    assert {k: v for k, v in _snapshot(ready_study.root).items() if k != "audit.jsonl"} == {
        k: v for k, v in before.items() if k != "audit.jsonl"
    }
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)  # the CLI takes it out of the environment once read
    assert main(["merge-kit", str(kit.root), str(ready_study.root)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and str(evil.recipient()) in lines[0] and "breach" in lines[0]
    monkeypatch.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
    assert main(["merge-kit", str(kit.root), str(ready_study.root), "--accept-added-keys"]) == 0
    out, err = capsys.readouterr()
    assert "merged in 1 session(s)" in out
    assert f"keys added on the kit ({evil.recipient()})" in err
    assert ready_study.read(f"participants/Rose/{S1}/audio.wav.age", identities) == b"RIFF....WAVEdata"
    with pytest.raises(FieldvaultError, match="none of the keys given opens it"):  # not the added key's
        ready_study.read(f"participants/Rose/{S1}/audio.wav.age", [evil])
    assert ready_study.audit.entries()[-1]["details"]["recipient"] == str(evil.recipient())


def test_a_kit_made_before_a_transcriber_was_added_merges_again_and_again(
    ready_study: Study, kit: Study, identities: list
) -> None:
    """QA D19: adding a transcriber's key (as the README shows) stranded every kit in the field: "its recipients
    differ; nothing was merged". A kit whose list the study sealed merges, its files re-wrapped to the study's
    list now (the transcriber can open the new interview), and merges again later (re-wrapped files count as
    already there, not as different ones)."""
    _session(kit, "Rose", S1)
    transcriber = X25519Identity.generate()
    ready_study.add_recipient(str(transcriber.recipient()), "transcriber", identities)
    report = merge_kit(ready_study, kit.root, identities)
    assert report.sessions == [f"Rose/{S1}"] and report.rewrapped == 2  # audio and events
    assert ready_study.read(f"participants/Rose/{S1}/audio.wav.age", [transcriber]) == b"RIFF....WAVEdata"
    _session(kit, "Rose", S2)  # back to the field, then merged again
    again = merge_kit(ready_study, kit.root, identities)
    assert again.sessions == [f"Rose/{S2}"] and f"participants/Rose/{S1}/audio.wav.age" in again.already
    assert ready_study.read(f"participants/Rose/{S2}/audio.wav.age", [transcriber]) == b"RIFF....WAVEdata"


def test_a_cut_off_recording_re_sealed_by_recover_does_not_strand_the_kit(
    ready_study: Study, kit: Study, identities: list
) -> None:
    """QA D18: after `recover` re-sealed a cut-off recording merged from a kit, every later merge of that kit was
    refused ("the study holds a different file of that name"). The kit's copy is the original recover kept
    beside the re-sealed file: already there."""
    from fieldvault.agefile.recovery import recover

    _cut_off(kit, encrypt_bytes(b"\x01" * 200_000, kit.recipients()))
    merge_kit(ready_study, kit.root, identities)
    held = ready_study.root / "participants" / "Rose" / S1
    recover(held / "audio.wav.age", identities)  # `fieldvault recover`: re-sealed, its timeline sealed, lock gone
    ready_study.write_new(held / "events.json.age", SessionEvents("Rose", S1).to_json())
    (held / "recording.lock").unlink()
    _session(kit, "Rose", S2)
    report = merge_kit(ready_study, kit.root, identities)
    assert report.sessions == [f"Rose/{S2}"] and f"participants/Rose/{S1}/audio.wav.age" in report.already
    # QA D24: the crash's lock is not brought back, so home does not call the session cut off again.
    assert not (held / "recording.lock").exists()
    assert any("has recovered that session already" in line for line in report.left_out)


def test_merging_needs_the_study_identity(ready_study: Study, kit: Study) -> None:
    with pytest.raises(BadInput, match="study identity"):
        merge_kit(fill_letter(ready_study), kit.root, [X25519Identity.generate()])


def test_a_forged_kit_audit_entry_with_a_recomputed_chain_is_refused(
    ready_study: Study, kit: Study, identities: list
) -> None:
    """A kit's log has no key: an entry written by hand, chain recomputed, must not enter the study's log."""
    _session(kit, "Rose", S1)
    kit.audit.append("withdraw", pseudonym="Rose", reason="Maria Gonzalez asked")  # chain recomputed by the log
    before = _snapshot(ready_study.root)
    with pytest.raises(BadInput, match="'withdraw', which a field kit never writes"):
        merge_kit(ready_study, kit.root, identities)
    assert _snapshot(ready_study.root) == before
    assert "Maria" not in (ready_study.root / "audit.jsonl").read_text()


def test_free_text_in_a_kit_entry_stays_on_the_kit(ready_study: Study, kit: Study, identities: list) -> None:
    _session(kit, "Rose", S1)
    kit.audit.append("record", pseudonym="Rose", session=S1, reason="Maria Gonzalez was there", seconds=12.5)
    merge_kit(ready_study, kit.root, identities)
    (entry,) = [e for e in ready_study.audit.entries() if e["details"].get("origin_action") == "record"]
    assert entry["details"]["pseudonym"] == "Rose" and entry["details"]["seconds"] == 12.5
    assert "reason" not in entry["details"] and "Maria" not in (ready_study.root / "audit.jsonl").read_text()


@pytest.mark.parametrize("how", ["moved", "renamed", "moved-without-timeline"])
def test_a_session_moved_or_renamed_by_hand_on_the_kit_is_refused(
    ready_study: Study, kit: Study, identities: list, how: str
) -> None:
    """QA A3: it used to be merged under its new folder, so redacted and exported as Rose's, while its sealed
    timeline and the kit's log say it is Lena's."""
    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1)
    _session(kit, "Rose", S2)  # a good session beside it: all or nothing
    lena = kit.root / "participants" / "Lena" / S1
    if how == "moved-without-timeline":
        (lena / "events.json.age").unlink()  # only the kit's log tells
        kit.audit.append("import", pseudonym="Lena", session=S1, seconds=2.0)
    moved_to = (
        kit.root
        / "participants"
        / ("Lena" if how == "renamed" else "Rose")
        / ("20261124-090000" if how == "renamed" else S1)
    )
    lena.rename(moved_to)
    before = _snapshot(ready_study.root)
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert _snapshot(ready_study.root) == before
    [line] = refused.value.refused
    assert line.startswith(str(moved_to.relative_to(kit.root))), line
    if how == "moved-without-timeline":
        assert "is Lena's session by the kit's log, yet the kit holds it as Rose's" in line
    else:
        assert f"is the timeline of Lena's session {S1}, yet the kit holds it as {moved_to.parent.name}'s" in line
    assert "`fieldvault session move`" in line and line.isprintable()

    moved_to.rename(lena)  # put back where the kit wrote it: merged as hers, and can then be moved
    if how == "moved-without-timeline":  # QA J3: a recording with no timeline binds to no one, where it is
        with pytest.raises(KitRefused) as refused:
            merge_kit(ready_study, kit.root, identities)
        assert "has a recording and no timeline" in refused.value.refused[0]
        return
    report = merge_kit(ready_study, kit.root, identities)
    assert report.sessions == [f"Lena/{S1}", f"Rose/{S2}"]


DEEP = b"[" * 100_000 + b"]" * 100_000  # what the reader's json.loads could not parse: a RecursionError
CRAFTED = {  # a sealed document anyone with the kit (and so the study's public key) can write
    "profile": ("participants/Lena/profile.json.age", DEEP, "does not read as fieldvault reads it (profile.json"),
    "identifiers": (
        "participants/Lena/identifiers.json.age",
        b'{"identifiers": 3, "schema_version": 1}',
        "identifiers should be a list",
    ),
    "session record": (f"participants/Lena/{S1}/session.json.age", DEEP, "nested deeper"),
    "timeline": (f"participants/Lena/{S1}/events.json.age", DEEP, "nested deeper"),
    "journal start": (f"participants/Lena/{S1}/events.d/info.json.age", b"[1]", "no schema version"),
    "journal event": (f"participants/Lena/{S1}/events.d/00001.json.age", DEEP, "nested deeper"),
    "field note": (f"participants/Lena/{S1}/fieldnotes-1.md.age", b"\xff\xfe notes", "is not UTF-8 text"),
    "reflexive journal": ("journal/2026-11-24-1.md.age", b"\xff\xfe entry", "is not UTF-8 text"),
}


@pytest.mark.parametrize("document", list(CRAFTED))
def test_a_sealed_document_that_does_not_read_is_refused_whole(
    ready_study: Study, kit: Study, identities: list, document: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA A4: merge-kit checked only that each file decrypts for the study's recipients, so a crafted document
    was merged and stopped a later command with a RecursionError traceback."""
    from fieldvault.cli import main

    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1)
    _session(kit, "Rose", S2)  # a good session beside it: all or nothing
    relative, data, says = CRAFTED[document]
    if (kit.root / relative).exists():
        (kit.root / relative).unlink()
    kit.write_new(relative, data)
    if document == "field note":  # written by the kit, its entry there: the words are what is crafted
        kit.audit.append("fieldnotes.add", pseudonym="Lena", session=S1, count=1)
    if document == "reflexive journal":
        kit.audit.append("journal.add", name="2026-11-24-1")
    before = _snapshot(ready_study.root)
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    [line] = refused.value.refused
    assert line.startswith(f"{relative}: ") and says in line and line.isprintable(), line
    assert _snapshot(ready_study.root) == before

    os.environ["FIELDVAULT_PASSPHRASE"] = PASSPHRASE  # the CLI takes it out of the environment once read
    capsys.readouterr()
    assert main(["merge-kit", str(kit.root), str(ready_study.root)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"refused {line}" and err[1].startswith("fieldvault: error: 1 of the kit's files"), err
    assert len(err) == 2 and _snapshot(ready_study.root) == before


def test_a_destroyed_or_displaced_copy_of_a_study_file_never_merges(
    ready_study: Study, kit: Study, identities: list, tmp_path: Path
) -> None:
    """QA E3: a withdrawn woman's recording, from an old backup or synced copy, put into another participant's
    session on a kit, decrypted with the study identity and merged as that woman's. A file the study destroyed is
    left out by its payload (the 16 random bytes fixed when it was encrypted, which a re-wrap keeps); a study
    file put into another place on the kit is refused."""
    from fieldvault.stewardship.withdraw import withdraw

    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1, b"RIFF....WAVE Lena's own words")
    _session(kit, "Lena", S2, b"RIFF....WAVE Lena's second day")
    merge_kit(ready_study, kit.root, identities)
    wil = ready_study.root / "participants" / "Wil"
    wil.mkdir(mode=0o700)
    ready_study.write_new(f"participants/Wil/{S1}/audio.wav.age", b"RIFF....WAVE Wil's interview")
    stolen = (wil / S1 / "audio.wav.age").read_bytes()  # the copy a backup or a synced folder holds
    withdraw(ready_study, "Wil")
    _new_participant(kit, "Ana")
    _session(kit, "Ana", S1)
    (kit.root / "participants" / "Ana" / S1 / "audio.wav.age").write_bytes(stolen)
    report = merge_kit(ready_study, kit.root, identities)
    assert f"participants/Ana/{S1}: its recording is a copy of one the study destroyed" in "\n".join(report.left_out)
    assert not (ready_study.root / "participants" / "Ana" / S1).exists()  # nor its timeline: no recorded-looking shell
    assert not wil.exists()
    _new_participant(kit, "Bea")
    _session(kit, "Bea", S1)
    lena = ready_study.root / "participants" / "Lena" / S2 / "audio.wav.age"
    (kit.root / "participants" / "Bea" / S1 / "audio.wav.age").write_bytes(lena.read_bytes())
    before = _snapshot(ready_study.root)
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert f"participants/Bea/{S1}/audio.wav.age: is a copy of the study's participants/Lena/{S2}/audio.wav.age" in (
        "\n".join(refused.value.refused)
    )
    assert _snapshot(ready_study.root) == before


def test_a_merge_killed_part_way_leaves_nothing_once_the_study_is_opened(
    ready_study: Study, kit: Study, identities: list
) -> None:
    """QA E22: a merge-kit killed part-way left its staging folder, the kit's recordings in it; a later withdrawal
    left it, and backup copied it. Unlocking the study destroys it; a merge still under way keeps its own."""
    from fieldvault.recording_lock import pid_alive

    dead = next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))
    left = ready_study.root / f".merging-{dead}"
    keyed = Study.open(ready_study.root)
    keyed.unlock(PASSPHRASE.encode())
    left.mkdir(mode=0o700)
    (left / "0").write_bytes(encrypt_bytes(b"RIFF....WAVE her recording", ready_study.recipients()))
    keyed.audit.append(layout.MERGE_STAGED, kit="k", file=left.name, payloads=str(payload_id(left / "0")))  # as merged
    running = ready_study.root / f".merging-{os.getpid()}"
    running.mkdir(mode=0o700)
    Study.open(ready_study.root).unlock(PASSPHRASE.encode())  # any command given the passphrase (QA Y3)
    assert not left.exists() and running.is_dir()
    running.rmdir()
    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1)
    assert merge_kit(ready_study, kit.root, identities).sessions == [f"Lena/{S1}"]
    assert not any(p.name.startswith(".merging") for p in ready_study.root.iterdir())


def _letter_as_changed(kit: Study) -> FilledDocument:
    """The kit's letter as its changed study.toml fills it (the kit itself refuses to use it now: QA R20)."""
    from fieldvault.templates import LETTER, fill, template_text

    changed = Study.open(kit.root)
    return fill(LETTER, template_text(LETTER, changed.root), changed.letter_values())


def test_a_consent_on_a_letter_the_study_never_issued_is_named_and_recorded(
    ready_study: Study, tmp_path: Path, identities: list
) -> None:
    """QA F21: the information letter on a kit is plaintext; changed on the laptop, the support line and contact she
    was read (and shown in distress) were the attacker's, and her consent on that letter merged without a word. The
    study knows the letters it issued (its own, each kit's): a consent on another is named, audited and flagged."""
    from fieldvault.participants import ConsentRecord, Profile, consent_documents
    from fieldvault.stewardship.report import build

    kit = fill_letter(ready_study).make_field_kit(tmp_path / "kit")
    issued, _ = consent_documents(kit)
    toml = kit.root / "study.toml"
    doc = tomllib.loads(toml.read_text())
    doc["letter"]["support"] = "Call 555-0100 (Tony) any time, day or night"
    toml.write_bytes(tomli_w.dumps(doc).encode())
    with pytest.raises(TamperedStudy, match="information letter was changed"):  # QA R20: the kit uses it no more
        consent_documents(Study.open(kit.root))
    changed = _letter_as_changed(kit)  # what a kit made before that check read to her
    assert changed.version != issued.version
    for name, version in (("Lena", issued.version), ("Lx", changed.version)):
        consent = ConsentRecord("verbal", version, "script-1", "2026-11-24T10:00:00+00:00")
        kit_participant(kit, name, Profile(name, {}, consent, "2026-11-24T10:00:00+00:00").to_json())
    report = merge_kit(ready_study, kit.root, identities)
    assert report.unknown_letters == (("Lx", changed.version),)
    recorded = [e["details"] for e in ready_study.audit.entries() if e["action"] == "field-kit.letter-unknown"]
    assert recorded == [{"pseudonym": "Lx", "version": changed.version}]
    text = build(ready_study, identities, date(2026, 12, 1)).to_markdown()
    assert f"| Lx | verbal | {changed.version} (NOT a letter this study issued) |" in text
    assert f"| Lena | verbal | {issued.version} |" in text


def test_a_letter_version_written_into_the_studys_log_without_the_key_is_not_issued(
    ready_study: Study, tmp_path: Path, identities: list
) -> None:
    """`issued_letters` read every `field-kit.made` and `participant.add` line, signed or not: a line appended to the
    study's log without the key (a synced folder) made a letter changed on a kit look issued. Signed lines only."""
    from fieldvault.participants import ConsentRecord, Profile, issued_letters

    kit = fill_letter(ready_study).make_field_kit(tmp_path / "kit")
    toml = kit.root / "study.toml"
    doc = tomllib.loads(toml.read_text())
    doc["letter"]["support"] = "Call 555-0100 (Tony) any time, day or night"
    toml.write_bytes(tomli_w.dumps(doc).encode())
    changed = _letter_as_changed(kit)
    for action in ("field-kit.made", "participant.add"):  # appended by someone without the study key
        Study.open(ready_study.root).audit.append(action, kit="x", pseudonym="Ghost", version=changed.version)
    assert changed.version not in issued_letters(ready_study)
    consent = ConsentRecord("verbal", changed.version, "script-1", "2026-11-24T10:00:00+00:00")
    kit_participant(kit, "Lx", Profile("Lx", {}, consent, "2026-11-24T10:00:00+00:00").to_json())
    assert merge_kit(ready_study, kit.root, identities).unknown_letters == (("Lx", changed.version),)


def test_a_kit_whose_log_is_damaged_in_places_merges_only_when_asked_with_the_damage_on_record(
    ready_study: Study, kit: Study, identities: list
) -> None:
    """QA G6: one flipped byte inside a kit's audit.jsonl (not its last line, which F28 sets aside) blocked every
    session on the kit with "restore audit.jsonl from a backup", which a kit does not have. The refusal now names
    the way on; taken with it, every sealed file is still checked and the study's log records the damage."""
    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1)
    kit.audit.append("participant.add", pseudonym="Lena")
    kit.audit.append("import", pseudonym="Lena", session=S1, seconds=3.0)
    log = kit.root / "audit.jsonl"
    lines = log.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b'"seq"', b'"seg"', 1)  # line 2: a byte changed on the stick
    log.write_bytes(b"\n".join(lines))
    before = _snapshot(ready_study.root), ready_study.audit.entries()
    with pytest.raises(BadInput, match=r"kit's audit.jsonl line 2 .*--accept-damaged-log.*nothing was merged") as err:
        merge_kit(ready_study, kit.root, identities)
    assert "backup" not in str(err.value) and "set-aside" not in str(err.value)  # neither works for a kit (QA W8)
    assert (_snapshot(ready_study.root), ready_study.audit.entries()) == before
    report = merge_kit(ready_study, kit.root, identities, accept_damaged_log=True)
    assert report.sessions == [f"Lena/{S1}"] and report.log_damaged and "unreadable lines: 2" in report.log_damaged
    assert ready_study.read(f"participants/Lena/{S1}/audio.wav.age", identities) == b"RIFF....WAVEdata"
    (damaged,) = [e for e in ready_study.audit.entries() if e["action"] == "field-kit.log-damaged"]
    assert len(damaged["details"]["sha256"]) == 64 and "line 2" in damaged["details"]["reason"]
    taken = [
        (e["action"], e["details"]["origin_action"])
        for e in ready_study.audit.entries()
        if e["action"].startswith("field-kit.entry")
    ]  # the entries that still read; the one after the unreadable line, which nothing vouches for, marked
    assert taken == [("field-kit.entry", "field-kit.created"), ("field-kit.entry-unchained", "import")]
    again = merge_kit(ready_study, kit.root, identities, accept_damaged_log=True)
    assert again.merged == [] and again.audit_entries == 0


def test_an_altered_kit_log_line_enters_the_study_log_marked(ready_study: Study, kit: Study, identities: list) -> None:
    """G6's rest: a line of a damaged kit log edited by hand (its hash left as it was, or recomputed) entered the
    study's log as a plain kit entry. Each entry the kit's chain does not vouch for is now marked. (The last line of
    a log no key signs can be rewritten whole, hash and all: nothing after it to break.)"""
    import hashlib
    import json

    _new_participant(kit, "Lena")
    _session(kit, "Lena", S1)
    for seconds in (1.0, 2.0, 3.0, 4.0):
        kit.audit.append("import", pseudonym="Lena", session=S1, seconds=seconds)
    log = kit.root / "audit.jsonl"
    lines = log.read_bytes().split(b"\n")
    for number, recompute in ((1, True), (3, False)):
        edited = json.loads(lines[number])
        edited["details"]["seconds"] = 9.0
        if recompute:  # its own hash matches again: the next line's link to it breaks instead
            content = {k: v for k, v in edited.items() if k not in ("hash", "mac")}
            canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            edited["hash"] = hashlib.sha256(canonical.encode()).hexdigest()
        lines[number] = json.dumps(edited).encode()
    log.write_bytes(b"\n".join(lines))
    merge_kit(ready_study, kit.root, identities, accept_damaged_log=True)
    taken = {
        e["details"]["origin_seq"]: e["action"].removeprefix("field-kit.")
        for e in ready_study.audit.entries()
        if e["action"].startswith("field-kit.entry")
    }
    assert taken == {0: "entry", 1: "entry-unchained", 2: "entry-unchained", 3: "entry-unchained", 4: "entry"}
    assert ready_study.audit.verify().authenticated == ready_study.audit.verify().entries
