"""qa27 QC3 and QC4: what a field kit's own log says it recorded is held against what the kit brings back. A session
the log records and the kit lacks (a copy cut short, a folder deleted) merged without a word and the kit was to be
wiped (QC4); a recording and its timeline written anew with the study's public key alone merged as her interview
(QC3). The log's `record.start` (written when a recording begins), `record` and `import` entries name each session
and its recording's header, which every re-seal keeps and nobody without the study identity can write a recording
under; the first entry for a session is what was recorded there (the kit holds its log's next key: a thief can append
entries, not change those written before the theft)."""

from __future__ import annotations

import io
import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from fieldvault import audiofile, drafts, serial, wavstream
from fieldvault.agefile import AgeWriter
from fieldvault.agefile.header import encode_header, header_id, payload_id, read_header
from fieldvault.agefile.stream import payload_cipher
from fieldvault.capture.importer import import_recording
from fieldvault.capture.salvage import salvage
from fieldvault.events import Event, JournalEntry, load_events
from fieldvault.journal import add_entry, entry_names, sealed_entry
from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.layout import AUDIO, EVENTS, EVENTS_JOURNAL, LOCK
from fieldvault.layout import SESSION_INFO as INFO
from fieldvault.memos import add_field_note, sealed_note
from fieldvault.sessioninfo import SessionInfo, load_session_info, write_session_info
from fieldvault.study import Study
from tests.e2e.test_cli import fv
from tests.stewardship import JUNE, ROSA, add_person

FMT = wavstream.WavFormat(16000, 1)


def _wav(tmp_path: Path, seed: int) -> Path:
    pcm = np.random.default_rng(seed).integers(-3000, 3000, 5 * FMT.rate, dtype=np.int16).tobytes()
    wav = tmp_path / f"take-{seed}.wav"
    wav.write_bytes(wavstream.complete_wav(FMT, pcm))
    return wav


def _kit_with_two(study: Study, tmp_path: Path) -> tuple[Study, Path, Path]:
    kit = study.make_field_kit(tmp_path / "kit")
    folders = []
    for seed, person in enumerate((ROSA, JUNE)):
        add_person(kit, person, sessions=0)
        folders.append(import_recording(kit, person.pseudonym, _wav(tmp_path, seed)).folder)
    return kit, folders[0], folders[1]


def test_a_session_the_kit_log_records_and_the_kit_lacks_is_named_and_the_kit_kept(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit, rosa, june = _kit_with_two(ready_study, tmp_path)
    shutil.rmtree(june)  # a copy of the kit to a stick cut short, or deleted on the laptop
    report = merge_kit(ready_study, kit.root, identities)
    assert report.missing == (f"June's session {june.name} (5.0 s)",)
    assert report.sessions == [f"Rosa/{rosa.name}"]  # what is there is merged

    again = fv("merge-kit", str(kit.root), str(ready_study.root))  # the CLI: run twice, said each time
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert f"records June's session {june.name} (5.0 s), which is neither on the kit nor in the study" in again.stderr
    assert (
        "wipe" not in again.stdout.replace("do not wipe", "")
        and "keep it until the 1 session(s) or file(s)" in again.stdout
    )


def test_a_session_merged_before_and_gone_from_the_kit_since_is_not_missing(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    kit, _, june = _kit_with_two(ready_study, tmp_path)
    assert merge_kit(ready_study, kit.root, identities).missing == ()
    shutil.rmtree(june)  # the study holds it: nothing is lost
    assert merge_kit(ready_study, kit.root, identities).missing == ()


@pytest.mark.parametrize("logged", ["header", "payload only"])
def test_a_recording_and_timeline_written_anew_on_the_kit_are_refused(
    ready_study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logged: str
) -> None:
    if logged == "payload only":  # a kit of a release whose entries named no header: its payload id is held
        monkeypatch.setattr("fieldvault.capture.importer.header_id", lambda _: None)
    kit, _, june = _kit_with_two(ready_study, tmp_path)
    own = {name: (june / name).read_bytes() for name in (AUDIO, EVENTS)}
    timeline = load_events(kit, june, identities)
    (june / AUDIO).unlink()
    kit.write_new(june / AUDIO, _wav(tmp_path, 7).read_bytes())  # the public key alone: anyone holding the kit
    timeline.info[audiofile.AUDIO_ID] = payload_id(june / AUDIO)  # its timeline written to match
    (june / EVENTS).unlink()
    kit.write_new(june / EVENTS, timeline.to_json())
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert [line.split(": ")[0] for line in refused.value.refused] == [str(june.relative_to(kit.root))]
    said = "holds a recording the kit's log never recorded" if logged == "payload only" else "did not make"
    assert said in refused.value.refused[0]
    assert not (ready_study.root / "participants" / "June").exists()
    for name, data in own.items():  # her own put back: merged
        (june / name).write_bytes(data)
    assert len(merge_kit(ready_study, kit.root, identities).sessions) == 2


def test_a_field_note_or_journal_entry_no_kit_entry_wrote_is_refused(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QC3's rest: a note sealed with the public key alone ("withdraw her first interview") merged as the
    interviewer's. The kit's own note and journal entry merge; one no entry of its log wrote is refused."""
    kit, rosa, _ = _kit_with_two(ready_study, tmp_path)
    add_field_note(kit, rosa, "She asked to stop at the half hour.")
    add_entry(kit, "Long day; two interviews.")
    forged_note = rosa / "fieldnotes-2.md.age"
    kit.write_new(forged_note, sealed_note("2026-11-29T07:00:00+00:00", "Withdraw her.", "Rosa", rosa.name))
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert [line.split(": ")[0] for line in refused.value.refused] == [str(forged_note.relative_to(kit.root))]
    assert "was written by no entry of the kit's log" in refused.value.refused[0]
    forged_note.unlink()
    forged_entry = kit.root / "journal" / (entry_names(kit)[0].rsplit("-", 1)[0] + "-9.md.age")
    kit.write_new(forged_entry, sealed_entry("2026-11-29T07:00:00+00:00", "Her story was invented."))
    with pytest.raises(KitRefused, match="1 of the kit's files"):
        merge_kit(ready_study, kit.root, identities)
    forged_entry.unlink()
    report = merge_kit(ready_study, kit.root, identities)  # the kit's own note and entry merge
    assert f"participants/Rosa/{rosa.name}/fieldnotes-1.md.age" in report.merged
    assert any(target.startswith("journal/") for target in report.merged)


def _recorded_on(
    kit: Study,
    pseudonym: str,
    seconds: float = 5.0,
    crash: bool = False,
    kind: SessionInfo | None = None,
    notes: Sequence[str] = (),
) -> Path:
    """A session recorded on the kit with the real recorder, stopped, or cut off by a crash (the process gone: its
    lock names a dead one, the recording lacks its final chunk and was last written an hour ago); ``notes`` typed
    as it records."""
    from fieldvault.capture.recorder import _END, Recorder
    from fieldvault.capture.source import ArraySource
    from fieldvault.guide import Guide

    audio = np.random.default_rng(3).integers(-3000, 3000, (int(seconds * FMT.rate), 1), dtype=np.int16)
    recorder = Recorder(kit, pseudonym, ArraySource(audio, FMT.rate, speed=10 if crash else 50), Guide.for_study(None))
    folder = recorder.start()
    if kind is not None:  # as the recording screen seals the session's kind once it has started
        write_session_info(kit, folder, kind, recorder.sealing)
    for note in notes:
        recorder.note(note)
    if not crash:
        while recorder.status().ended is None:
            time.sleep(0.02)
        recorder.stop()
        return folder
    time.sleep(0.5)
    recorder.source.stop()  # the recorder dies: what it wrote stays, nothing is sealed, no `record` entry
    recorder._filled.put(_END)
    recorder._thread.join()
    recorder._file.close()
    (folder / LOCK).write_text('{"pid": 1, "host": "field-laptop"}')
    hour_ago = time.time() - 3600
    os.utime(folder / AUDIO, (hour_ago, hour_ago))
    return folder


def _entries(kit: Study, action: str) -> list[dict]:
    return [e["details"] for e in kit.audit.facts() if e.get("action") == action]


def test_a_recording_names_its_header_when_it_begins_and_when_it_stops(ready_study: Study, tmp_path: Path) -> None:
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(kit, ROSA, sessions=0)
    folder = _recorded_on(kit, "Rosa")
    (begun,), (stopped,) = _entries(kit, "record.start"), _entries(kit, "record")
    assert begun["session"] == stopped["session"] == folder.name and begun["pseudonym"] == "Rosa"
    assert begun["header"] == stopped["header"] == header_id(folder / AUDIO)  # the stop's re-seal kept it
    assert stopped["payloads"] == payload_id(folder / AUDIO)


def _forged_over(kit: Study, folder: Path, identities: list, tmp_path: Path, nonce: bytes | None = None) -> None:
    """Her recording and timeline written anew with the public key alone (anyone holding the kit); ``nonce``: the
    forger's payload under her recording's payload nonce, so its payload id is hers."""
    timeline = load_events(kit, folder, identities)
    forged = _wav(tmp_path, 9).read_bytes()
    (folder / AUDIO).unlink()
    if nonce is None:
        kit.write_new(folder / AUDIO, forged)
    else:
        out = io.BytesIO()
        writer = AgeWriter.__new__(AgeWriter)
        file_key = os.urandom(16)
        writer._start(out, encode_header([r.wrap(file_key) for r in kit.recipients()], file_key), file_key)
        writer._cipher = payload_cipher(file_key, nonce)  # the nonce is the forger's to choose
        out.seek(out.tell() - len(nonce))
        out.write(nonce)
        writer.write(forged)
        writer.finish()
        (folder / AUDIO).write_bytes(out.getvalue())
    timeline.info[audiofile.AUDIO_ID] = payload_id(folder / AUDIO)
    (folder / EVENTS).unlink()
    kit.write_new(folder / EVENTS, timeline.to_json())


def test_a_record_entry_a_thief_appends_does_not_vouch_for_a_forged_recording(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """qa27's first QC3 bypass (qc3b_append.sh): the kit holds its log's next key, so whoever holds it can append a
    second `record` entry naming a recording they wrote with the public key; merge-kit took any entry's payload."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(kit, ROSA, sessions=0)
    folder = _recorded_on(kit, "Rosa")
    own = {name: (folder / name).read_bytes() for name in (AUDIO, EVENTS)}
    _forged_over(kit, folder, identities, tmp_path)
    kit.audit.append(
        "record", pseudonym="Rosa", session=folder.name, seconds=5.0, payloads=payload_id(folder / AUDIO) or "",
        header=header_id(folder / AUDIO) or "",
    )  # fmt: skip
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert line.startswith(f"participants/Rosa/{folder.name}: holds a recording this session did not make")
    assert "added to the log after the session's own" in line
    cli = fv("merge-kit", str(kit.root), str(ready_study.root))  # the CLI says it on one line, no traceback
    assert cli.returncode == 1 and "Traceback" not in cli.stderr and "this session did not make" in cli.stderr
    assert not (ready_study.root / "participants" / "Rosa").exists()
    for name, data in own.items():  # hers put back: merged
        (folder / name).write_bytes(data)
    assert merge_kit(ready_study, kit.root, identities).sessions == [f"Rosa/{folder.name}"]


def test_a_forged_recording_under_her_recordings_payload_nonce_is_refused(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """A payload id is a hash of the payload's nonce, which whoever encrypts chooses: a forger copying hers got a
    recording whose payload id her `record` entry names. Only her recording's header is bound to its file key."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(kit, ROSA, sessions=0)
    folder = _recorded_on(kit, "Rosa")
    recorded = payload_id(folder / AUDIO)
    with (folder / AUDIO).open("rb") as stream:
        read_header(stream)
        nonce = stream.read(16)
    _forged_over(kit, folder, identities, tmp_path, nonce)
    assert payload_id(folder / AUDIO) == recorded
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert line.startswith(f"participants/Rosa/{folder.name}: holds a recording this session did not make")


def test_a_recording_cut_off_by_a_crash_is_bound_by_its_start(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """qa27's second QC3 bypass (qc3c_cutoff.sh) and QC4's rest: a session cut off by a crash had no entry at all, so
    its recording replaced by a whole forged one merged as her first interview, and a cut-off session lost from the
    kit was named by nothing. The `record.start` entry names it from its first second."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    for person in (ROSA, JUNE):
        add_person(kit, person, sessions=0)
    rosa = _recorded_on(kit, "Rosa", seconds=30, crash=True)
    time.sleep(1)  # another second: a session lost is not named where the study holds one of its id (anyone's)
    june = _recorded_on(kit, "June", seconds=30, crash=True)
    assert _entries(kit, "record") == []  # neither stopped
    cut = {name: (rosa / name).read_bytes() for name in (AUDIO,)}
    (rosa / AUDIO).unlink()
    kit.write_new(rosa / AUDIO, _wav(tmp_path, 9).read_bytes())  # whole, sealed with the public key
    hour_ago = time.time() - 3600
    os.utime(rosa / AUDIO, (hour_ago, hour_ago))
    shutil.rmtree(june)  # lost from the kit
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert [line.split(": ")[0] for line in refused.value.refused] == [f"participants/Rosa/{rosa.name}"]
    assert "this session did not make" in refused.value.refused[0]
    (rosa / AUDIO).write_bytes(cut[AUDIO])  # her own cut-off recording back: merged for recover
    os.utime(rosa / AUDIO, (hour_ago, hour_ago))
    report = merge_kit(ready_study, kit.root, identities)
    assert report.cut_off == [f"participants/Rosa/{rosa.name}/audio.wav.age"]
    assert report.missing == (f"June's session {june.name} (cut off)",)
    salvage(ready_study, identities)  # the study re-seals her recording: a new payload under the same header
    held = ready_study.root / "participants" / "Rosa" / rosa.name / AUDIO
    assert header_id(held) == _entries(kit, "record.start")[0]["header"]
    assert merge_kit(ready_study, kit.root, identities).missing == (f"June's session {june.name} (cut off)",)


def test_a_note_or_journal_entry_sealed_anew_under_a_name_the_kit_wrote_is_refused(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QC3's last rest: the log named a kit's notes by number only, so a note the kit wrote, replaced with words
    sealed with the public key alone, merged as the interviewer's; an entry appended for it vouches for nothing."""
    kit, rosa, _ = _kit_with_two(ready_study, tmp_path)
    add_field_note(kit, rosa, "She asked to stop at the half hour.")
    add_entry(kit, "Long day; two interviews.")
    note = rosa / "fieldnotes-1.md.age"
    entry = kit.root / "journal" / (entry_names(kit)[0] + ".md.age")
    own = {path: path.read_bytes() for path in (note, entry)}
    note.unlink()
    kit.write_new(note, sealed_note("2026-11-29T07:00:00+00:00", "Withdraw her.", "Rosa", rosa.name))
    kit.audit.append("fieldnotes.add", pseudonym="Rosa", session=rosa.name, count=1, header=header_id(note) or "")
    entry.unlink()
    kit.write_new(entry, sealed_entry("2026-11-29T07:00:00+00:00", "Her story was invented."))
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert sorted(line.split(": ")[0] for line in refused.value.refused) == sorted(
        str(path.relative_to(kit.root)) for path in (note, entry)
    )
    assert all("is not what the kit wrote under this name" in line for line in refused.value.refused)
    for path, data in own.items():  # hers put back: merged
        path.write_bytes(data)
    report = merge_kit(ready_study, kit.root, identities)
    assert f"participants/Rosa/{rosa.name}/fieldnotes-1.md.age" in report.merged
    assert f"journal/{entry.name}" in report.merged


def test_a_recording_padded_on_the_kit_far_past_its_logged_length_is_refused_before_it_is_copied(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """qa28 QD2: her recording extended with zeros to 1 GB or 30 GB on the kit (its header and first chunks hers) was
    hashed and copied whole into the study as "a flipped bit", and `recover` made her 17 s a 9-hour recording."""
    kit, rosa, _ = _kit_with_two(ready_study, tmp_path)
    audio = rosa / AUDIO
    own = audio.stat().st_size
    with audio.open("r+b") as stream:
        stream.truncate(64 << 20)  # sparse: no disk used
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = [x for x in refused.value.refused if x.startswith(f"participants/Rosa/{rosa.name}/{AUDIO}: ")]
    assert line.startswith(f"participants/Rosa/{rosa.name}/{AUDIO}: holds ")  # its timeline says it is another too
    assert "and the kit's log recorded 5.0 s for this session (padded or written over on the kit?)" in line
    assert not (ready_study.root / "participants" / "Rosa").exists()
    assert not list(ready_study.root.glob(".merging*"))  # nothing of it was staged
    with audio.open("r+b") as stream:
        stream.truncate(own)
        read_header(stream)
        start = stream.tell() + 16
        for chunk in (1, 2):  # most of it fails: no flipped bit
            stream.seek(start + chunk * 65552 + 100)
            byte = stream.read(1)
            stream.seek(-1, io.SEEK_CUR)
            stream.write(bytes([byte[0] ^ 0xFF]))
    report = merge_kit(ready_study, kit.root, identities)
    (damaged,) = report.damaged
    assert damaged.target == f"participants/Rosa/{rosa.name}/{AUDIO}" and "(written over on the kit?)" in damaged.what


def test_a_timeline_or_session_record_written_anew_on_the_kit_is_refused(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """qa28 QD9: her recording left as it was, its timeline written anew with the public key alone (naming her
    recording's payload, its length to match, a note "she told me afterwards she made all of this up; withdraw her"),
    or its session record made a member check, merged as hers. The stop's entry names both by their headers."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(kit, ROSA, sessions=0)
    folder = _recorded_on(kit, "Rosa", kind=SessionInfo("first"))
    (stopped,) = _entries(kit, "record")
    assert stopped["timeline"] == header_id(folder / EVENTS) and stopped["session_info"] == header_id(folder / INFO)
    own = {name: (folder / name).read_bytes() for name in (EVENTS, INFO)}
    timeline = load_events(kit, folder, identities)
    timeline.events.append(Event(4.0, "note", "She told me afterwards that she made all of this up; withdraw her."))
    (folder / EVENTS).unlink()
    kit.write_new(folder / EVENTS, timeline.to_json())
    (folder / INFO).unlink()
    write_session_info(kit, folder, SessionInfo("member-check"))
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert sorted(line.split(": ")[0] for line in refused.value.refused) == [
        f"participants/Rosa/{folder.name}/{name}" for name in sorted((EVENTS, INFO))
    ]
    assert all("the kit sealed for this session: its log names another" in line for line in refused.value.refused)
    for name, data in own.items():  # hers put back: merged
        (folder / name).write_bytes(data)
    assert merge_kit(ready_study, kit.root, identities).sessions == [f"Rosa/{folder.name}"]


WITHDRAW = "She told me afterwards that she made all of this up; withdraw her."


def _killed(kit: Study) -> Path:
    """Rosa's session on the kit cut off by kill -9 as it recorded: `record.start` logged, no `record`; its kind and
    a note sealed, its event journal left as it was."""
    add_person(kit, ROSA, sessions=0)
    return _recorded_on(
        kit, "Rosa", seconds=30, crash=True, kind=SessionInfo("follow-up"), notes=["She asked to pause."]
    )


def test_a_killed_session_of_this_release_merges_and_recovers_with_its_notes_and_kind(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """What a kit recorded when it was killed is hers: every file its recorder sealed is named by its start (its
    header), merged for `recover`, which seals her timeline with the note typed as she spoke."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    folder = _killed(kit)
    (begun,) = _entries(kit, "record.start")
    assert begun["timeline"] == begun["session_info"] == header_id(folder / INFO)
    assert {header_id(p) for p in (folder / EVENTS_JOURNAL).iterdir()} == {begun["timeline"]}
    report = merge_kit(ready_study, kit.root, identities)
    held = ready_study.root / "participants" / "Rosa" / folder.name
    assert report.cut_off == [f"participants/Rosa/{folder.name}/{AUDIO}"]
    salvage(ready_study, identities)
    timeline = load_events(ready_study, held, identities)
    assert [e.text for e in timeline.events if e.kind == "note"] == ["She asked to pause."]
    assert load_session_info(ready_study, held, identities).kind == "follow-up"


@pytest.mark.parametrize("forged", ["a timeline beside its journal", "an event in its journal", "its session record"])
def test_a_killed_sessions_timeline_or_session_record_forged_on_the_kit_is_refused(
    ready_study: Study, identities: list, tmp_path: Path, forged: str
) -> None:
    """qa28 QD9's rest (atk_qc3.sh tk, kk): a session killed as it recorded has no `record` entry naming its
    timeline and session record, so a sealed timeline put beside its journal, an event sealed into the journal (a note
    "withdraw her"), or its kind made a member check, all with the public key alone, merged as hers; `recover` then
    kept the forged note. Its `record.start` names the one header they are all sealed under."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    folder = _killed(kit)
    journal = folder / EVENTS_JOURNAL
    own = (folder / INFO).read_bytes()
    if forged == "a timeline beside its journal":
        path = folder / EVENTS
        timeline = load_events(kit, folder, identities)
        timeline.events.append(Event(4.0, "note", WITHDRAW))
        timeline.info[audiofile.AUDIO_ID] = payload_id(folder / AUDIO)
        kit.write_new(path, timeline.to_json())
    elif forged == "an event in its journal":
        path = journal / f"{len(list(journal.glob('0*.json.age'))) + 1:05d}.json.age"
        kit.write_new(path, serial.dumps(JournalEntry(Event(4.0, "note", WITHDRAW))))
    else:
        path = folder / INFO
        path.unlink()
        write_session_info(kit, folder, SessionInfo("member-check"))
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert line.startswith(f"{path.relative_to(kit.root)}: is not the ")
    assert "the kit sealed for this session: its log names another" in line
    assert not (ready_study.root / "participants" / "Rosa").exists()
    cli = fv("merge-kit", str(kit.root), str(ready_study.root))  # one line each, no traceback
    assert cli.returncode == 1 and "Traceback" not in cli.stderr and "the kit sealed for this session" in cli.stderr
    if path.name == INFO:  # hers put back: merged
        path.write_bytes(own)
    else:
        path.unlink()
    assert merge_kit(ready_study, kit.root, identities).cut_off == [f"participants/Rosa/{folder.name}/{AUDIO}"]


def test_a_killed_recording_padded_on_the_kit_is_refused_by_the_time_its_log_allows(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """qa28 QD2's rest (atk_qc3.sh p): a killed session's recording (no length logged) padded to 1 GB on the kit was
    copied whole into the study, and `recover` made it 2 GB. It cannot hold more than the time between its
    `record.start` and the log's next entry (or the merge) allows; a `record` entry a thief appends with any length
    changes nothing."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    folder = _killed(kit)
    audio = folder / AUDIO
    own = audio.stat().st_size
    (begun,) = _entries(kit, "record.start")
    kit.audit.append(
        "record", pseudonym="Rosa", session=folder.name, seconds=40000.0, payloads=payload_id(audio) or "",
        header=begun["header"],
    )  # fmt: skip
    with audio.open("r+b") as stream:
        stream.truncate(1 << 30)  # sparse: no disk used
    hour_ago = time.time() - 3600
    os.utime(audio, (hour_ago, hour_ago))
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert line.startswith(f"participants/Rosa/{folder.name}/{AUDIO}: holds 33546 s of audio, and no more than ")
    assert "s can have been recorded: the kit's log began it at " in line and "padded or written over" in line
    assert not (ready_study.root / "participants" / "Rosa").exists()
    assert not list(ready_study.root.glob(".merging*"))  # nothing of it was staged
    with audio.open("r+b") as stream:
        stream.truncate(own)
    os.utime(audio, (hour_ago, hour_ago))
    assert merge_kit(ready_study, kit.root, identities).cut_off == [f"participants/Rosa/{folder.name}/{AUDIO}"]


def test_a_session_folder_name_the_kits_log_holds_is_never_chosen_again(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """A session moved off the kit by hand leaves its entries in the kit's log, and another made in the same second
    took its folder's name: merge-kit holds a session to its first entry and refused it as not the recording made
    there (closing28, Open item 2)."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(kit, JUNE, sessions=0)
    now = kit.clock()
    kit.clock = lambda: now  # the same second
    first = import_recording(kit, "June", _wav(tmp_path, 0)).folder
    shutil.move(first, tmp_path / "kept-apart")
    second = import_recording(kit, "June", _wav(tmp_path, 1)).folder
    assert second.name != first.name
    assert merge_kit(ready_study, kit.root, identities).sessions == [f"June/{second.name}"]


@pytest.mark.parametrize("release", ["this release", "an earlier release"])
def test_a_draft_no_entry_of_the_kits_log_names_is_held_apart_and_the_kits_own_merges(
    ready_study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, release: str
) -> None:
    """qa28 QD9's rest (atk_qc3.sh d): a fieldnotes draft sealed with the public key alone ("withdraw her") merged, and
    the next notes screen offered it as the interviewer's words. A kit names each draft by the one header every
    keeping of it is sealed under, as its screen first keeps it; one no entry names stays on the kit, named, and the
    kit is kept; one sealed anew under a name the kit kept is refused. A kit of an earlier release named none: its
    drafts merge as before."""
    if release == "an earlier release":
        with monkeypatch.context() as earlier:
            earlier.setattr(drafts, "NAMED_VALUE", "")
            kit, rosa, _ = _kit_with_two(ready_study, tmp_path)
    else:
        kit, rosa, _ = _kit_with_two(ready_study, tmp_path)
    own = drafts.slot(rosa)
    under = drafts.keep(kit, own, "She asked to stop at the half hour.")
    assert drafts.keep(kit, own, "She asked to stop at the half hour, then went on.", under) == under
    forged = rosa / "fieldnotes-draft-deadbeef.md.age"
    kit.write_new(forged, sealed_note("2026-11-29T07:00:00+00:00", WITHDRAW, "Rosa", rosa.name))
    report = merge_kit(ready_study, kit.root, identities)
    in_study = ready_study.root / "participants" / "Rosa" / rosa.name
    assert (in_study / own.name).is_file()  # hers merged
    if release == "an earlier release":
        assert report.held_apart == () and (in_study / forged.name).is_file()
        return
    (kept,) = _entries(kit, drafts.KEPT)
    assert kept["header"] == header_id(own) and kept["session"] == rosa.name
    (line,) = report.held_apart
    assert line.startswith(f"participants/Rosa/{rosa.name}/{forged.name}: is a draft no entry of the kit's log names")
    assert not (in_study / forged.name).exists() and forged.is_file()  # not merged, left on the kit
    cli = fv("merge-kit", str(kit.root), str(ready_study.root))
    assert cli.returncode == 1 and "Traceback" not in cli.stderr and "held apart participants/Rosa/" in cli.stderr
    assert "keep it until the 1 draft(s) held apart above are read" in cli.stdout and "wipe" not in cli.stdout
    forged.unlink()
    own.unlink()  # her draft sealed anew, with the public key alone, under its own name
    kit.write_new(own, sealed_note("2026-11-29T07:00:00+00:00", WITHDRAW, "Rosa", rosa.name))
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert line.startswith(f"participants/Rosa/{rosa.name}/{own.name}: is not the draft the kit kept under this name")


def test_a_lock_put_beside_a_stopped_session_does_not_hide_it_and_a_live_one_keeps_the_kit(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """qa29 QE1: a lock copied beside a session the kit's log records stopped, its recording's time set ten years
    ahead, left it out as "being recorded now" at every merge, and merge-kit said "wipe it", rc 0. A session its log
    records stopped is merged (the lock left out); one really being recorded is left out and the kit kept, rc 1."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    for person in (ROSA, JUNE):
        add_person(kit, person, sessions=0)
    rosa = _recorded_on(kit, "Rosa")
    time.sleep(1)
    june = _recorded_on(kit, "June", seconds=30, crash=True)
    shutil.copyfile(june / LOCK, rosa / LOCK)
    ahead = time.time() + 10 * 365 * 86400
    os.utime(rosa / AUDIO, (ahead, ahead))
    os.utime(june / AUDIO)  # written to moments ago, beside its lock: being recorded
    cli = fv("merge-kit", str(kit.root), str(ready_study.root))
    assert cli.returncode == 1 and "Traceback" not in cli.stderr
    assert f"left out participants/June/{june.name}: is being recorded now" in cli.stderr
    assert f"merged participants/Rosa/{rosa.name}/{AUDIO}" in cli.stdout
    assert f"left out participants/Rosa/{rosa.name}/{LOCK}: a recording lock beside a session" in cli.stdout
    assert "do not wipe it: merge it again once the 1 session(s) being recorded" in cli.stdout
    assert "wipe it once" not in cli.stdout
    assert not (ready_study.root / "participants" / "Rosa" / rosa.name / LOCK).exists()


def test_a_recording_note_or_journal_entry_the_kits_log_names_and_the_kit_lacks_is_named_and_the_kit_kept(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """qa29 QE4: a copy of the kit that skipped a session's recording (FAT32's 4 GiB limit, a copy cut off), or a
    field note or journal entry deleted on it, merged the rest without a word, "wipe it", rc 0: the kit was their only
    copy. Each is named by what the kit's log says of it (its header), the kit kept, rc 1; put back, it merges."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(kit, ROSA, sessions=0)
    folder = _recorded_on(kit, "Rosa", kind=SessionInfo("follow-up"))
    add_field_note(kit, folder, "She asked to stop at the half hour.")
    add_entry(kit, "Long day; two interviews.")
    (name,) = entry_names(kit)
    files = (folder / AUDIO, folder / INFO, folder / "fieldnotes-1.md.age", kit.root / "journal" / f"{name}.md.age")
    own = {path: path.read_bytes() for path in files}
    for path in files:
        path.unlink()
    cli = fv("merge-kit", str(kit.root), str(ready_study.root))
    assert cli.returncode == 1 and "Traceback" not in cli.stderr
    for said in (
        f"records Rosa's recording of session {folder.name} (",
        f"records Rosa's session record (its kind) of session {folder.name}, which is neither on the kit",
        f"records field notes 1 of Rosa's session {folder.name} (sealed on the kit), which is neither on the kit",
        f"records journal entry {name} (sealed on the kit), which is neither on the kit",
    ):
        assert said in cli.stderr
    assert (
        "keep it until the 4 session(s) or file(s) its log records" in cli.stdout and "wipe it once" not in cli.stdout
    )
    for path, data in own.items():  # found, on another copy of the kit: merged, nothing missing
        path.write_bytes(data)
    report = merge_kit(ready_study, kit.root, identities)
    assert report.missing == () and f"participants/Rosa/{folder.name}/{AUDIO}" in report.merged


def test_a_recording_renamed_as_a_macs_metadata_is_refused_not_left_out(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """qa29 QE4: `._audio.wav.age` was left out as Finder's AppleDouble file whatever it held (a 130 KB age file), and
    the session merged without its recording. Only a file that begins as a Mac's metadata does is left out."""
    kit, rosa, _ = _kit_with_two(ready_study, tmp_path)
    (rosa / AUDIO).rename(rosa / f"._{AUDIO}")
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert f"participants/Rosa/{rosa.name}/._{AUDIO}: is not something a field kit writes" in refused.value.refused


def test_a_woman_added_on_the_kit_whose_folder_the_kit_lacks_is_named_and_the_kit_kept(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """qa29 QE4's rest: a woman added on the kit with no session yet, her folder left out of a copy of the kit (or
    deleted there), merged without a word, "wipe it", rc 0: her consent record and answers went with the wiped kit."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(kit, ROSA, sessions=0)
    folder = kit.root / "participants" / "Rosa"
    kept = tmp_path / "Rosa"
    shutil.move(folder, kept)
    cli = fv("merge-kit", str(kit.root), str(ready_study.root))
    assert cli.returncode == 1 and "Traceback" not in cli.stderr
    assert "records participant Rosa (added on the kit: her consent record and answers), which is neither" in cli.stderr
    assert "wipe it once" not in cli.stdout
    shutil.move(kept, folder)  # found, on another copy of the kit: merged, nothing missing
    assert merge_kit(ready_study, kit.root, identities).missing == ()
    assert "Rosa" in ready_study.participant_names()
