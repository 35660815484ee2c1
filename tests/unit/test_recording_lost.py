"""QA W13: a recording lost for good (deleted before any backup held it) failed every `check` for ever, and
`check --record-lost` refused a recording. Now the PI records it lost in a signed entry: check notes the session as
transcript only (rc 0), an export with audio leaves its audio out, naming it, and a recording that comes back is read
and exported again. A real study, real age files."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from fieldvault import layout, wavstream
from fieldvault.audiofile import AUDIO_ID, load_pcm
from fieldvault.capture.importer import import_recording, restore_recording
from fieldvault.cli import main
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.events import load_events
from fieldvault.export.gate import Wanted, build
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.overview import overview
from fieldvault.stewardship.check import check_study
from fieldvault.stewardship.lost import record_recording_lost
from fieldvault.study import Study
from fieldvault.transcribe.pipeline import store
from fieldvault.tui.screens.home import _row
from tests.conftest import PASSPHRASE
from tests.e2e.test_vouched_deletions import _transcript
from tests.stewardship import ROSA, add_person


def test_a_recording_no_backup_holds_is_recorded_lost_and_the_session_goes_on_as_transcript_only(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    (session,) = add_person(ready_study, ROSA)
    store(ready_study, _transcript(ROSA.pseudonym, session, ["We met at the bus stop."]), identities)
    folder = f"participants/{ROSA.pseudonym}/{session}"
    audio, timeline = f"{folder}/{layout.AUDIO}", f"{folder}/{layout.EVENTS}"
    kept = (ready_study.root / audio).read_bytes()
    (ready_study.root / audio).unlink()  # before any backup held it
    (failed,) = check_study(ready_study, identities).failures
    assert failed.file == audio and f"--record-lost {audio}" in failed.problem
    (ready_study.root / audio).write_bytes(kept)
    with pytest.raises(BadInput, match="is there, or was recorded lost already"):  # the timeline is there
        record_recording_lost(ready_study, timeline)
    (ready_study.root / audio).unlink()
    assert record_recording_lost(ready_study, f"{folder}/{layout.TRANSCRIPT}") is None  # sessionvouch's to record
    said = record_recording_lost(ready_study, str(ready_study.root / audio))
    assert said is not None and said.startswith("recorded lost (entry ") and "transcript only" in said
    assert "put it back as" in said  # one that turns up is welcome
    with pytest.raises(BadInput, match=r"recorded lost on .* already"):
        record_recording_lost(ready_study, audio)
    checked = check_study(ready_study, identities)
    assert checked.failures == []
    (note,) = [n for n in checked.strays if "transcript only" in n]
    assert note.startswith(f"{folder}: transcript only: its recording was recorded lost on 20")
    notes, wavs = _with_audio(ready_study, identities, tmp_path / "a.qdpx")
    assert [n for _, s, n in notes if s == session and "recorded lost on" in n] and wavs == 0
    (ready_study.root / audio).write_bytes(kept)  # found on the recorder's card: read as any other
    checked = check_study(ready_study, identities)
    assert checked.failures == [] and not [n for n in checked.strays if "transcript only" in n]
    assert _with_audio(ready_study, identities, tmp_path / "b.qdpx") == ((), 1)


def _with_audio(study: Study, identities: list, out: Path) -> tuple[tuple[tuple[str, str, str], ...], int]:
    """An export with audio: its notes, and how many recordings it holds."""
    done = export(study, identities, Options("qdpx", with_audio=True), out, Request(include_unreviewed=True))
    with zipfile.ZipFile(done.out) as archive:
        return done.notes, len([n for n in archive.namelist() if n.endswith(".wav")])


def test_another_recording_put_in_the_place_of_one_recorded_lost_is_named_and_no_advice_removes_hers(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA X10: after `--record-lost` of a recording and its timeline, another session's recording and timeline copied
    into its place were taken, and check's imported-twice advice removed the genuine session."""
    lost, other = add_person(ready_study, ROSA, sessions=2)
    for session, said in ((lost, "We met at the bus stop."), (other, "I work at the bakery now.")):
        store(ready_study, _transcript(ROSA.pseudonym, session, [said]), identities)
    folder, source = (f"participants/{ROSA.pseudonym}/{s}" for s in (lost, other))
    for name in (layout.AUDIO, layout.EVENTS):
        (ready_study.root / folder / name).unlink()
    record_recording_lost(ready_study, f"{folder}/{layout.AUDIO}")
    for name in (layout.AUDIO, layout.EVENTS):  # another session's, copied in: the same file twice
        shutil.copy2(ready_study.root / source / name, ready_study.root / folder / name)
    checked = check_study(ready_study, identities)
    (failed,) = checked.failures
    assert failed.file == f"{folder}/{layout.AUDIO}"
    assert "is not her recording: hers was recorded lost on" in failed.problem
    assert f"a copy of {source}/{layout.AUDIO}" in failed.problem and "session remove" not in failed.problem
    assert [n for n in checked.strays if n.startswith(f"{folder}: transcript only")]
    notes, wavs = _with_audio(ready_study, identities, tmp_path / "a.qdpx")
    assert [n for _, s, n in notes if s == lost and "recorded lost on" in n] and wavs == 1  # only the other's own
    (ready_study.root / source / layout.AUDIO).unlink()  # moved rather than copied: it is put back where it belongs
    (said,) = [f.problem for f in check_study(ready_study, identities).failures if f.file == failed.file]
    assert f"it is the recording of {source}: put it back there (mv " in said


def test_playing_a_recording_recorded_lost_says_so_and_the_home_row_says_transcript_only(
    ready_study: Study, identities: list
) -> None:
    """QA X11: the review screen's `p` and the editor's F4 (both load_pcm) said "is not a file in the study;
    `fieldvault` lists what is there"; the home row said "reviewed"."""
    (session,) = add_person(ready_study, ROSA)
    folder = ready_study.root / "participants" / ROSA.pseudonym / session
    (folder / layout.AUDIO).unlink()
    record_recording_lost(ready_study, str(folder / layout.AUDIO))
    with pytest.raises(BadInput, match=r"^her recording was recorded lost on 20.* \(entry \d+\): this session is tr"):
        load_pcm(ready_study, folder, identities)
    ((row,),) = [p.sessions for p in overview(ready_study) if p.pseudonym == ROSA.pseudonym]
    assert _row(row)[3].endswith(", transcript only")


def test_a_timeline_alone_is_recorded_lost_where_her_import_entry_ties_the_recording_to_her(
    ready_study: Study, identities: list
) -> None:
    """QA X10's contrast: a session whose timeline alone was lost, with no backup, stayed FAILED for ever
    ("--record-lost takes a recording lost ..., not a timeline alone"). Her import entry records the recording's
    payload id: that ties it to her without the timeline."""
    (session,) = add_person(ready_study, ROSA)
    folder = ready_study.root / "participants" / ROSA.pseudonym / session
    (folder / layout.EVENTS).unlink()
    (failed,) = check_study(ready_study, identities).failures
    assert failed.file.endswith(layout.AUDIO) and "has no timeline beside it" in failed.problem
    said = record_recording_lost(ready_study, str(folder / layout.EVENTS))
    assert said is not None and said.startswith("recorded lost (entry ") and "read and exported as hers" in said
    assert check_study(ready_study, identities).failures == []
    assert load_pcm(ready_study, folder, identities)[1].size  # played and transcribed as hers
    with pytest.raises(BadInput, match="recorded lost already"):
        record_recording_lost(ready_study, str(folder / layout.EVENTS))


def _imported_twice_over(study: Study, identities: list, tmp_path: Path) -> tuple[Path, Path]:
    """Rosa with two sessions, each imported (a real import) from its own file and transcribed."""
    add_person(study, ROSA, sessions=0)
    folders = []
    for seed, said in enumerate(("We met at the bus stop.", "I work at the bakery now.")):
        pcm = np.random.default_rng(seed).integers(-3000, 3000, 16000, dtype=np.int16).tobytes()
        wav = tmp_path / f"card-{seed}.wav"
        wav.write_bytes(wavstream.complete_wav(wavstream.WavFormat(16000, 1), pcm))
        folder = import_recording(study, ROSA.pseudonym, wav).folder
        store(study, _transcript(ROSA.pseudonym, folder.name, [said]), identities)
        folders.append(folder)
    return folders[0], folders[1]


def test_after_checks_advice_on_a_recording_put_back_every_export_goes_on_and_none_removes_hers(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA Y12: another session's recording and timeline copied in the place of one recorded lost; check says to move
    the recording out, then passes, yet every export refused, telling the PI to `session remove` the genuine session
    (the copied timeline was read as the first import of that file). The export gate now asks check's question."""
    lost, genuine = _imported_twice_over(ready_study, identities, tmp_path)
    for name in (layout.AUDIO, layout.EVENTS):
        (lost / name).unlink()
    record_recording_lost(ready_study, str(lost / layout.AUDIO))
    for name in (layout.AUDIO, layout.EVENTS):  # the other session's, copied in
        shutil.copy2(genuine / name, lost / name)
    (failed,) = check_study(ready_study, identities).failures
    assert failed.file == f"{lost.relative_to(ready_study.root)}/{layout.AUDIO}" and "(rm " in failed.problem
    (lost / layout.AUDIO).unlink()  # as check says
    gated = build(ready_study, identities, Request(include_unreviewed=True), Wanted(audio=True))
    assert sorted(session for _, session in gated.origins) == sorted([lost.name, genuine.name])
    (failed,) = check_study(ready_study, identities).failures  # the timeline left would refuse hers found again
    assert failed.file == f"{lost.relative_to(ready_study.root)}/{layout.EVENTS}"
    assert f"sealed with the recording of {genuine.relative_to(ready_study.root)}" in failed.problem
    assert f"(rm {lost / layout.EVENTS})" in failed.problem
    (lost / layout.EVENTS).unlink()
    assert check_study(ready_study, identities).failures == []


def test_a_recording_and_timeline_copied_over_an_earlier_session_never_name_the_genuine_one_for_removal(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA Y12's rule in general: of two sessions whose timelines name one imported file, the copy named is the one
    whose recording is not the one her signed import entry made, though it comes first (it was the later one, the
    genuine session, that check and the export told the PI to `session remove`)."""
    copy, genuine = _imported_twice_over(ready_study, identities, tmp_path)
    for name in (layout.AUDIO, layout.EVENTS):  # the later session's, copied over the earlier one
        shutil.copy2(genuine / name, copy / name)
    (failed,) = [f for f in check_study(ready_study, identities).failures if "same file" in f.problem]
    assert failed.file == f"{copy.relative_to(ready_study.root)}/{layout.AUDIO}"
    assert f"session remove {ready_study.root} {ROSA.pseudonym} {copy.name}`" in failed.problem
    with pytest.raises(BadStudyFile, match=f"{copy.name} was imported from the same file as .*{genuine.name}"):
        build(ready_study, identities, Request(include_unreviewed=True), Wanted())


def test_the_recorders_file_of_a_recording_recorded_lost_is_sealed_back_into_her_session_not_filed_anew(
    ready_study: Study, identities: list, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA Y13: a recording recorded lost turned up as the WAV on the recorder's card; "put it back as
    .../audio.wav.age" could not be done with a WAV, and importing it filed the same interview as a new follow-up.
    `import --restores SESSION` seals it back into her session where it is that recording, with a signed entry. Its
    import (with the study locked) recorded no digest of its samples and her timeline is gone: only a length ties the
    file to her, so the PI must have heard it (QA Z7)."""
    session, other = _imported_twice_over(ready_study, identities, tmp_path)
    folder = f"participants/{ROSA.pseudonym}/{session.name}"
    for name in (layout.AUDIO, layout.EVENTS):
        (session / name).unlink()
    said = record_recording_lost(ready_study, f"{folder}/{layout.AUDIO}")
    restores = f"import {ready_study.root} {ROSA.pseudonym} FILE --restores {session.name}`"
    assert said is not None and restores in said
    assert [n for n in check_study(ready_study, identities).strays if n.startswith(folder) and restores in n]
    restore = ("import", str(ready_study.root), ROSA.pseudonym, "FILE", "--restores", session.name)
    card = tmp_path / "card-0.wav"
    heard = f"--restores {session.name} --heard` seals it back; if it is another recording, .* --heard` imports it"
    with pytest.raises(BadInput, match=f"as long as the recording of {folder}, which was recorded lost, .*{heard}"):
        import_recording(ready_study, ROSA.pseudonym, card, identities)  # a plain import: not filed as a follow-up
    assert _cli(*restore[:3], str(tmp_path / "card-1.wav"), *restore[4:]) == 1  # another session's
    assert f"card-1.wav was imported before, as participants/{ROSA.pseudonym}/{other.name}" in capsys.readouterr().err
    longer = tmp_path / "longer.wav"  # her timeline is gone with it: its length tells
    longer.write_bytes(wavstream.complete_wav(wavstream.WavFormat(16000, 1), np.ones(16100, np.int16).tobytes()))
    assert _cli(*restore[:3], str(longer), *restore[4:]) == 1
    assert "longer.wav lasts 1.006 s, but her session's import recorded 1.000 s" in capsys.readouterr().err
    assert _cli(*restore[:3], str(card), *restore[4:]) == 1
    assert "Listen to it (on the card, in any player) beside her timed transcript (`fieldvault transcript" in (
        capsys.readouterr().err
    )
    assert _cli(*restore[:3], str(card), *restore[4:], "--heard") == 0
    assert f"sealed back into {folder}/{layout.AUDIO}" in capsys.readouterr().out
    assert len([p for p in session.parent.iterdir() if p.is_dir()]) == 2  # no new session
    checked = check_study(ready_study, identities)
    assert checked.failures == [] and not [n for n in checked.strays if "transcript only" in n]
    assert load_pcm(ready_study, session, identities)[1].size == 16000  # played as hers again
    assert _with_audio(ready_study, identities, tmp_path / "b.qdpx") == ((), 2)
    assert _cli(*restore[:3], str(card), *restore[4:]) == 1  # run twice
    assert "recording was not recorded lost, or a recording lies in its place" in capsys.readouterr().err


def _cli(*argv: str) -> int:
    """The CLI in process, unlocked (it takes FIELDVAULT_PASSPHRASE out of its environment once read)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FIELDVAULT_PASSPHRASE", PASSPHRASE)
        return main(list(argv))


def test_where_her_timeline_is_kept_only_the_file_it_names_is_sealed_back(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA Y13 with her timeline still there: a plain import of the card's file is refused as that session's recording
    (it was "imported before", with advice about moving sessions), and `--restores` takes only the file the timeline
    names, keeping what the timeline said (its start, its source)."""
    session, _ = _imported_twice_over(ready_study, identities, tmp_path)
    (session / layout.AUDIO).unlink()
    record_recording_lost(ready_study, str(session / layout.AUDIO))
    card = tmp_path / "card-0.wav"
    with pytest.raises(BadInput, match=r"card-0.wav is the recording of .*, which was recorded lost: .*--restores"):
        import_recording(ready_study, ROSA.pseudonym, card, identities)
    alike = tmp_path / "alike.wav"  # as long, another file
    alike.write_bytes(wavstream.complete_wav(wavstream.WavFormat(16000, 1), np.ones(16000, np.int16).tobytes()))
    with pytest.raises(BadInput, match=f"alike.wav is not the file {session.relative_to(ready_study.root)} was impo"):
        restore_recording(ready_study, ROSA.pseudonym, session.name, alike, identities)
    before = load_events(ready_study, session, identities).info
    restore_recording(ready_study, ROSA.pseudonym, session.name, card, identities)
    after = load_events(ready_study, session, identities).info
    assert after.pop(AUDIO_ID) != before.pop(AUDIO_ID) and after == before  # its start, source: kept
    assert check_study(ready_study, identities).failures == []
