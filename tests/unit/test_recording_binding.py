"""A recording copied into another session is refused, not transcribed or exported as that woman's words (QA H1);
a recording `recover` cut short or rebuilt is still taken as its own session's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from fieldvault import audiofile, wavstream
from fieldvault.agefile import CHUNK, AgeReader, AgeWriter
from fieldvault.agefile.header import payload_id
from fieldvault.capture.importer import import_recording
from fieldvault.capture.salvage import salvage
from fieldvault.errors import BadInput, BadStudyFile
from fieldvault.events import EventJournal, SessionEvents, load_events
from fieldvault.export.gate import Wanted, build
from fieldvault.export.selection import Request
from fieldvault.kitmerge import KitRefused, merge_kit
from fieldvault.layout import AUDIO, EVENTS, KIT_IMPORTS_KEY, TRANSCRIPT
from fieldvault.stewardship import check as check_module
from fieldvault.stewardship.check import check_study
from fieldvault.study import Study
from tests.conftest import PASSPHRASE
from tests.stewardship import JUNE, ROSA, Person, add_person, transcribe_and_review

FMT = wavstream.WavFormat(16000, 1)
INES = Person("Ines", ("Teodora Vasquez",), "Teodora Vasquez met me at the bus.")


def _two_women(study: Study) -> tuple[Path, Path]:
    (rosa,) = add_person(study, ROSA, seconds=2.0)
    (june,) = add_person(study, JUNE, seconds=3.0)
    return study.root / "participants" / "Rosa" / rosa, study.root / "participants" / "June" / june


def test_a_recording_copied_into_another_session_is_refused_by_every_reader_and_named_by_check(
    study: Study, identities: list
) -> None:
    rosa, june = _two_women(study)
    own = (june / AUDIO).read_bytes()
    shutil.copyfile(rosa / AUDIO, june / AUDIO)  # a careless restore or sync

    refusal = r"June/.*audio.wav.age lasts 2.00 s, but this session's timeline says 3.00 s: it is not the recording"
    with pytest.raises(BadStudyFile, match=refusal):
        audiofile.load_for_whisper(study, june, identities)  # transcription
    with pytest.raises(BadStudyFile, match=refusal):
        audiofile.load_pcm(study, june, identities)  # playback in review and the editor
    with pytest.raises(BadStudyFile, match=refusal):
        audiofile.stream_pcm(study, june, identities)  # exports with audio
    assert audiofile.load_pcm(study, rosa, identities)[1].shape == (32000, 1)  # her own is hers still

    failures = check_study(study, identities).failures
    assert [(f.file, f.problem.split(":")[0]) for f in failures] == [
        (str((june / AUDIO).relative_to(study.root)), "lasts 2.00 s, but this session's timeline says 3.00 s")
    ]

    (june / AUDIO).write_bytes(own)  # put back: accepted again
    assert audiofile.load_pcm(study, june, identities)[1].shape == (48000, 1)
    assert check_study(study, identities).failures == []


def test_check_on_the_command_line_names_the_copied_recording_in_one_line(
    study: Study, identities: list, tmp_path: Path
) -> None:
    rosa, june = _two_women(study)
    shutil.copyfile(rosa / AUDIO, june / AUDIO)
    secret = tmp_path / "passphrase"
    secret.write_bytes(PASSPHRASE.encode())
    secret.chmod(0o600)
    done = subprocess.run(
        [sys.executable, "-m", "fieldvault", "check", str(study.root), "--passphrase-file", str(secret)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stdout.splitlines() + done.stderr.splitlines() if "lasts 2.00 s" in line]
    assert "June" in line and "put the right file back" in line


def test_an_export_with_audio_stops_at_the_copied_recording(study: Study, identities: list) -> None:
    rosa, june = _two_women(study)
    transcribe_and_review(study, identities, JUNE, june.name)
    (session,) = build(study, identities, Request(("June",)), Wanted(audio=True)).bundle.sessions
    assert session.audio is not None and session.audio.pcm_bytes == 3 * FMT.bytes_per_second
    shutil.copyfile(rosa / AUDIO, june / AUDIO)
    with pytest.raises(BadStudyFile, match="not the recording made in this session"):
        build(study, identities, Request(("June",)), Wanted(audio=True))


def _recorded(study: Study, seconds: float) -> Path:
    """A recorder-made session whose timeline states its length; returns its folder."""
    folder = study.root / "participants" / "Rose" / "20261126-100000"
    folder.mkdir(parents=True)
    pcm = np.random.default_rng(3).integers(-3000, 3000, int(FMT.rate * seconds), dtype=np.int16).tobytes()
    with (folder / AUDIO).open("wb") as out:
        writer = AgeWriter(out, study.recipients())
        writer.write(wavstream.complete_wav(FMT, pcm))
        writer.finish()
    journal = EventJournal(study, folder, SessionEvents("Rose", folder.name, {"rate": FMT.rate, "channels": 1}))
    journal.close({"duration": seconds, audiofile.AUDIO_ID: payload_id(folder / AUDIO)})
    return folder


def _mismatch(study: Study, folder: Path, identities: list) -> str | None:
    info = load_events(study, folder, identities).info
    return audiofile.recording_mismatch(folder / AUDIO, info, identities, study.root)


def test_a_recording_recover_cut_short_is_still_this_sessions(study: Study, identities: list) -> None:
    folder = _recorded(study, 5.0)
    data = (folder / AUDIO).read_bytes()
    (folder / AUDIO).write_bytes(data[: len(data) - 3 * CHUNK])  # a failing card lost its end after the stop
    assert _mismatch(study, folder, identities) is not None  # shorter than its timeline says

    (item,) = salvage(study, identities)

    assert item.seconds_kept is not None and item.seconds_kept < 5.0
    assert load_events(study, folder, identities).info[audiofile.AUDIO_SECONDS] == round(item.seconds_kept, 3)
    assert _mismatch(study, folder, identities) is None
    assert len(audiofile.load_pcm(study, folder, identities)[1]) == round(item.seconds_kept * FMT.rate)
    assert check_study(study, identities).failures == []


def test_a_recording_salvaged_without_its_damaged_last_chunk_is_still_this_sessions(
    study: Study, identities: list
) -> None:
    folder = _recorded(study, 5.0)
    path = folder / AUDIO
    with path.open("rb") as stream:
        AgeReader(stream, identities)
        payload = stream.tell()
    data = bytearray(path.read_bytes())
    data[payload + 2 * (CHUNK + 16) + 100] ^= 0x01  # the third and last chunk fails authentication
    path.write_bytes(bytes(data))

    (item,) = salvage(study, identities)

    assert item.seconds_kept == pytest.approx((2 * CHUNK - 44) / FMT.bytes_per_second)
    assert _mismatch(study, folder, identities) is None
    assert check_study(study, identities).failures == []


def _imported(study: Study, tmp_path: Path, seed: int) -> Path:
    """A 5.0 s recording imported for a new participant; returns its session folder."""
    person = (ROSA, JUNE)[seed]
    add_person(study, person, sessions=0)
    pcm = np.random.default_rng(seed).integers(-3000, 3000, 5 * FMT.rate, dtype=np.int16).tobytes()
    wav = tmp_path / f"{person.pseudonym}.wav"
    wav.write_bytes(wavstream.complete_wav(FMT, pcm))
    return import_recording(study, person.pseudonym, wav).folder


def test_two_recordings_of_the_same_length_swapped_are_told_apart(
    study: Study, identities: list, tmp_path: Path
) -> None:
    """QA H1's re-check: two 5.0 s imports swapped passed every check (equal lengths are ordinary: `record --seconds
    N`, a recorder's trimmed files); the timeline names the payload of its recording too."""
    rosa, june = _imported(study, tmp_path, 0), _imported(study, tmp_path, 1)
    assert load_events(study, rosa, identities).info[audiofile.AUDIO_ID] == payload_id(rosa / AUDIO)
    theirs = {folder: (folder / AUDIO).read_bytes() for folder in (rosa, june)}
    (rosa / AUDIO).write_bytes(theirs[june])
    (june / AUDIO).write_bytes(theirs[rosa])
    for folder in (rosa, june):
        with pytest.raises(BadStudyFile, match="not the recording made in this session: its timeline was sealed"):
            audiofile.load_for_whisper(study, folder, identities)
    assert len(check_study(study, identities).failures) == 2
    for folder, data in theirs.items():
        (folder / AUDIO).write_bytes(data)
    assert check_study(study, identities).failures == []


def test_merge_kit_refuses_a_kit_whose_recordings_were_swapped(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA H1's re-check: merge-kit merged a kit whose two recordings had been swapped ("4 file(s) merged"); only a
    later `check` named them. It checks the kit whole before copying anything, so it refuses there."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    rosa, june = _imported(kit, tmp_path, 0), _imported(kit, tmp_path, 1)
    theirs = {folder: (folder / AUDIO).read_bytes() for folder in (rosa, june)}
    (rosa / AUDIO).write_bytes(theirs[june])
    (june / AUDIO).write_bytes(theirs[rosa])
    with pytest.raises(KitRefused, match="2 of the kit's files") as refused:
        merge_kit(ready_study, kit.root, identities)
    assert all("is the timeline of another recording" in line for line in refused.value.refused), refused.value.refused
    assert not (ready_study.root / "participants" / "Rosa").exists()
    for folder, data in theirs.items():
        (folder / AUDIO).write_bytes(data)
    assert len(merge_kit(ready_study, kit.root, identities).sessions) == 2


def test_a_kit_session_whose_timeline_was_deleted_is_refused_not_filed_as_hers(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA J3: on a kit, her session's timeline deleted and another woman's recording copied in: merge-kit merged it,
    `check` passed it, and transcription and export gave her the other woman's words. A session with a recording and
    no timeline (nor a cut-off recording's lock or journal, which `recover` seals) binds to no one: refused."""
    kit = ready_study.make_field_kit(tmp_path / "kit")
    rosa, june = _imported(kit, tmp_path, 0), _imported(kit, tmp_path, 1)
    (june / "events.json.age").unlink()
    shutil.copyfile(rosa / AUDIO, june / AUDIO)
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    assert [line.split(": ")[0] for line in refused.value.refused] == [str(june.relative_to(kit.root))]
    assert "has a recording and no timeline" in refused.value.refused[0]
    assert not (ready_study.root / "participants").exists() or not any((ready_study.root / "participants").iterdir())
    shutil.move(june, tmp_path / "kept-apart")  # what the refusal says to do: the rest merges
    assert len(merge_kit(ready_study, kit.root, identities).sessions) == 1


def test_a_study_session_without_its_timeline_is_named_by_check(study: Study, identities: list, tmp_path: Path) -> None:
    _rosa, june = _two_women(study)
    (june / "events.json.age").unlink()
    secret = tmp_path / "passphrase"
    secret.write_bytes(PASSPHRASE.encode())
    secret.chmod(0o600)
    done = subprocess.run(
        [sys.executable, "-m", "fieldvault", "check", str(study.root), "--passphrase-file", str(secret)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1 and "has no timeline beside it" in done.stdout + done.stderr
    last = done.stderr.strip().splitlines()[-1]  # QA J3's rest: recover mends damaged files, not a missing timeline
    assert last == "fieldvault: error: 1 file(s) failed the check; do as each line above says", last
    failures = check_study(study, identities).failures
    assert [(f.file, f.problem.split(" (")[0]) for f in failures] == [
        (str((june / AUDIO).relative_to(study.root)), "has no timeline beside it")
    ]
    # ... and nothing reads it as hers: transcription, playback and audio exports all go through these
    for read in (audiofile.load_pcm, audiofile.load_for_whisper, audiofile.read_format, audiofile.stream_pcm):
        with pytest.raises(BadStudyFile, match="has no timeline beside it"):
            read(study, june, identities)
    assert audiofile.load_pcm(study, _rosa, identities)[1].size  # hers, with its timeline, still plays


def test_a_file_imported_twice_or_under_two_women_is_named_by_check(
    study: Study, identities: list, tmp_path: Path
) -> None:
    """QA J12: the same recorder file imported again (a follow-up that is the first interview) and under a second
    woman was taken each time; Zoë's session was then transcribed and exported as her words. Each timeline seals the
    digest of the file it came from, and `check` names the later sessions."""
    rosa = _imported(study, tmp_path, 0)
    again = import_recording(study, "Rosa", tmp_path / "Rosa.wav").folder
    add_person(study, JUNE, sessions=0)
    june = import_recording(study, "June", tmp_path / "Rosa.wav").folder
    other = tmp_path / "other.wav"
    other.write_bytes(wavstream.complete_wav(FMT, np.zeros(FMT.rate, dtype=np.int16).tobytes()))
    import_recording(study, "June", other)  # another file: no finding
    failures = [f for f in check_study(study, identities).failures if "imported from the same file" in f.problem]
    sessions = {str(f.relative_to(study.root)) for f in (rosa, again, june)}
    named = {f.file.removesuffix(f"/{AUDIO}") for f in failures}
    cited = {f.problem.split(" as ")[1].split(" (")[0] for f in failures}
    assert len(named) == 2 and named | cited == sessions and not named & cited  # one kept, the other two named


def _opened_by_check(study: Study, identities: list, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list[str]]:
    """check's failures, and the name of every age file whose header it unwrapped, in order."""
    opened: list[str] = []
    unwrap = AgeReader.__init__

    def counted(self: AgeReader, source: Any, *args: Any, **kwargs: Any) -> None:
        name = Path(str(getattr(source, "name", "")))
        opened.append(str(name.relative_to(study.root.resolve())) if name.is_relative_to(study.root.resolve()) else "")
        unwrap(self, source, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(AgeReader, "__init__", counted)
        failures = check_study(study, identities).failures
    return failures, opened


def test_check_decrypts_each_recording_and_timeline_once_and_names_the_same(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """perf12: `check` opened each recording twice and each timeline up to four times (the authentication pass, the
    copied-recording check (QA H1), the imported-twice check (QA J12), a transcript made before a salvage); it reads
    each once and still names a file imported twice, a recording copied into another session and a tampered
    timeline."""
    rosa = _imported(study, tmp_path, 0)
    again = import_recording(study, "Rosa", tmp_path / "Rosa.wav").folder  # QA J12
    june = _imported(study, tmp_path, 1)
    transcribe_and_review(study, identities, JUNE, june.name)
    (late,) = add_person(study, INES, seconds=3.0)
    copied = study.root / "participants" / INES.pseudonym / late
    shutil.copyfile(june / AUDIO, copied / AUDIO)  # QA H1: another session's recording, 5.0 s for 3.0 s
    sessions = (rosa, again, june, copied)

    failures, opened = _opened_by_check(study, identities, monkeypatch)

    for folder in sessions:
        for name in (AUDIO, EVENTS):
            relative = str((folder / name).relative_to(study.root))
            assert opened.count(relative) == 1, (relative, opened)
    first = rosa.relative_to(study.root)
    assert sorted((f.file, f.problem.split(" (")[0].split(":")[0]) for f in failures) == sorted([
        (str((again / AUDIO).relative_to(study.root)), f"was imported from the same file as {first}"),
        (str((copied / AUDIO).relative_to(study.root)), "lasts 5.00 s, but this session's timeline says 3.00 s"),
    ])  # fmt: skip

    timeline = bytearray((june / EVENTS).read_bytes())
    timeline[-20] ^= 0x01  # tampered: named once, as it was before, and nothing else of June's is judged by it
    (june / EVENTS).write_bytes(bytes(timeline))
    failures, opened = _opened_by_check(study, identities, monkeypatch)
    tampered = str((june / EVENTS).relative_to(study.root))
    assert [f.file for f in failures if "June" in f.file] == [tampered]
    assert "fails authentication" in next(f.problem for f in failures if f.file == tampered)
    assert opened.count(tampered) == 1 and opened.count(str((june / AUDIO).relative_to(study.root))) == 1


def test_check_judges_a_recording_and_timeline_that_appeared_after_its_first_pass(
    study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session written while `check` runs (a recorder or an import on the same study) is not among the files it
    authenticated first; its recording is still judged against its timeline, as before."""
    rosa, june = _two_women(study)
    shutil.copyfile(rosa / AUDIO, june / AUDIO)
    listed = check_module.data_files
    monkeypatch.setattr(check_module, "data_files", lambda s: [p for p in listed(s) if june not in p.parents])
    failures = check_study(study, identities).failures
    assert [(f.file, f.problem.split(":")[0]) for f in failures] == [
        (str((june / AUDIO).relative_to(study.root)), "lasts 2.00 s, but this session's timeline says 3.00 s")
    ]


def test_a_kit_session_imported_from_a_file_the_study_or_the_kit_has_already_is_refused_by_merge_kit(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA K5: a kit cannot read the sealed digests, so the card imported in the study under Rosa and again on a kit
    under June (and one file under both women on the kit) merged without a word, and was transcribed and exported as
    June's words. merge-kit, which can read them, refuses such a session, naming the first; the rest merges once it is
    off the kit."""
    rosa = _imported(ready_study, tmp_path, 0)
    kit = ready_study.make_field_kit(tmp_path / "kit")
    add_person(kit, JUNE, sessions=0)
    again = import_recording(kit, "June", tmp_path / "Rosa.wav").folder
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert line.startswith(str((again / "events.json.age").relative_to(kit.root)))
    assert f"imported from the same file as {rosa.relative_to(ready_study.root)}" in line
    shutil.move(again, tmp_path / "kept-apart")
    other = tmp_path / "other.wav"
    other.write_bytes(wavstream.complete_wav(FMT, np.ones(FMT.rate, dtype=np.int16).tobytes()))
    first = import_recording(kit, "June", other).folder
    (kit.root / KIT_IMPORTS_KEY).unlink()  # the kit refuses it now (QA AA9), but not with its key deleted
    second = import_recording(kit, "June", other).folder  # the same file twice on the kit
    with pytest.raises(KitRefused) as refused:
        merge_kit(ready_study, kit.root, identities)
    (line,) = refused.value.refused
    assert line.startswith(str(second.relative_to(kit.root))) and str(first.relative_to(kit.root)) in line
    shutil.move(second, tmp_path / "kept-apart-2")
    assert len(merge_kit(ready_study, kit.root, identities).sessions) == 1
    assert len(merge_kit(ready_study, kit.root, identities).sessions) == 0  # merged again: nothing new, no refusal


def test_a_withdrawn_womans_file_is_refused_without_the_study_key_and_named_by_check(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    """QA K7: with a transcriber's key (`import --identity`) the digests cannot be read, and her recording, still on the
    card after she withdrew, was imported under another woman without a word; `check` passed it. Such an import is
    refused; one that got in anyway (this library call reads nothing, as a kit cannot) is named by `check`."""
    from fieldvault.agefile import X25519Identity
    from fieldvault.stewardship.withdraw import withdraw

    _imported(ready_study, tmp_path, 0)
    add_person(ready_study, JUNE, sessions=0)
    withdraw(ready_study, "Rosa", identities)
    with pytest.raises(BadInput, match="only the study key can tell"):
        import_recording(ready_study, "June", tmp_path / "Rosa.wav", [X25519Identity.generate()])
    with pytest.raises(BadInput, match="is the recording of a participant who withdrew"):
        import_recording(ready_study, "June", tmp_path / "Rosa.wav", identities)
    folder = import_recording(ready_study, "June", tmp_path / "Rosa.wav").folder
    (failed,) = [f for f in check_study(ready_study, identities).failures if "withdrew" in f.problem]
    assert failed.file == f"{folder.relative_to(ready_study.root)}/{AUDIO}"
    assert failed.problem.startswith("was imported from the recording of a participant who withdrew on ")


def test_check_decrypts_each_transcript_once_and_still_names_one_copied_into_another_session(
    study: Study, identities: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """perf12: `check` decrypted every transcript, earlier transcription and saved version twice (the authentication
    pass, then reading it as its session's); it judges each as it authenticates it, and keeps only the verdict."""
    june = _imported(study, tmp_path, 1)
    transcribe_and_review(study, identities, JUNE, june.name)
    (late,) = add_person(study, INES, seconds=3.0)
    ines = study.root / "participants" / INES.pseudonym / late
    shutil.copyfile(june / TRANSCRIPT, ines / TRANSCRIPT)  # QA E17: copied by hand into another woman's session
    failures, opened = _opened_by_check(study, identities, monkeypatch)
    sealed = [p for folder in (june, ines) for p in folder.rglob("*.json.age") if "transcript" in str(p) or
              p.parent.name == "versions"]  # fmt: skip
    assert len(sealed) >= 3  # the current transcripts and June's saved version(s)
    for path in sealed:
        relative = str(path.relative_to(study.root))
        assert opened.count(relative) == 1, (relative, opened)
    copied = str((ines / TRANSCRIPT).relative_to(study.root))
    assert [f.file for f in failures] == [copied]
    assert f"is June's session {june.name}, not Ines's session {late}" in failures[0].problem
