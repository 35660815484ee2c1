"""A recording damaged in places (a flipped bit on an SD card) is salvaged by `recover`: every chunk that
authenticates is kept, each damaged one becomes silence of its length, marked in the timeline (QA F19)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from fieldvault import wavstream
from fieldvault.agefile import CHUNK, AgeReader, AgeWriter, X25519Identity, encrypt_bytes
from fieldvault.agefile import recovery as agerecovery
from fieldvault.agefile.recovery import find_damage
from fieldvault.capture.salvage import describe, salvage
from fieldvault.errors import PayloadTampered
from fieldvault.events import Event, EventJournal, SessionEvents, load_events
from fieldvault.layout import AUDIO
from fieldvault.study import Study
from tests.conftest import need
from tests.e2e.test_cli import assert_one_line_error, fv

FMT = wavstream.WavFormat(16000, 1)
SEALED = CHUNK + 16
CHUNKS = 8  # 7 whole chunks and a shorter final one


def _recording(study: Study) -> tuple[Path, bytes]:
    """A recorder-made session: its WAV stream (true length stated) and its timeline; returns the plaintext."""
    folder = study.root / "participants" / "Rose" / "20261126-100000"
    folder.mkdir(parents=True)
    pcm = np.random.default_rng(7).integers(-3000, 3000, (7 * CHUNK + 5000) // 2, dtype=np.int16).tobytes()
    plaintext = wavstream.complete_wav(FMT, pcm)
    with (folder / AUDIO).open("wb") as out:
        writer = AgeWriter(out, study.recipients())
        writer.write(plaintext)
        writer.finish()
    journal = EventJournal(study, folder, SessionEvents("Rose", folder.name, {"rate": 16000, "channels": 1}))
    journal.add(Event(0.0, "prompt", "Tell me about the people who helped you", 0))
    journal.add(Event(20.0, "prompt", "And then?", 1))
    journal.close({"duration": len(pcm) / FMT.bytes_per_second})
    return folder / AUDIO, plaintext


def _flip(path: Path, identities: list, *chunks: int) -> bytes:
    """One byte flipped inside each chunk, as a failing card does; returns the damaged file."""
    with path.open("rb") as stream:
        AgeReader(stream, identities)
        payload = stream.tell()
    data = bytearray(path.read_bytes())
    for counter in chunks:
        data[payload + counter * SEALED + 300] ^= 0x01
    path.write_bytes(bytes(data))
    return bytes(data)


def _expected(plaintext: bytes, silent: list[int]) -> bytes:
    out = bytearray(plaintext)
    for counter in silent:
        out[counter * CHUNK : (counter + 1) * CHUNK] = bytes(len(out[counter * CHUNK : (counter + 1) * CHUNK]))
    if 0 in silent:
        out[: wavstream.HEADER_SIZE] = wavstream.complete_wav(FMT, bytes(len(plaintext) - 44))[:44]
    return bytes(out)


@pytest.mark.parametrize(
    "damaged, silent",
    [([3], [3]), ([0], [0]), ([2, 5], [2, 5]), ([4, 5], [4, 5]), ([1, 7], [1])],
    ids=["middle", "start", "two-places", "two-in-a-row", "middle-and-last"],
)
def test_damaged_chunks_become_marked_silence_and_the_rest_is_kept(
    study: Study, identities: list, damaged: list[int], silent: list[int]
) -> None:
    path, plaintext = _recording(study)
    original = _flip(path, identities, *damaged)
    with pytest.raises(PayloadTampered, match=rf"{AUDIO}: chunk {damaged[0]} .*fieldvault recover"):
        study.read(path, identities)

    (item,) = salvage(study, identities)

    kept = study.read(path, identities)  # a complete file: every chunk authenticates
    expected = _expected(plaintext, silent)
    if 7 in damaged:  # the damaged last chunk is dropped, as a torn one is; the WAV states the new length
        expected = wavstream.complete_wav(FMT, expected[44 : 7 * CHUNK])
    assert kept == expected
    assert path.with_name(AUDIO + ".damaged").read_bytes() == original
    timeline = load_events(study, path.parent, identities)
    marks = [(e.at, e.length) for e in timeline.events if e.kind == "damaged"]
    runs = [[c] for c in silent] if damaged != [4, 5] else [[4, 5]]
    bps = FMT.bytes_per_second
    starts = [max(r[0] * CHUNK - 44, 0) for r in runs]
    ends = [(r[-1] + 1) * CHUNK - 44 for r in runs]
    assert marks == [
        (round(a / bps, 3), pytest.approx((b - a) / bps, abs=0.002)) for a, b in zip(starts, ends, strict=True)
    ]
    assert "marked in its timeline" in describe(item, study.root) and "audio.wav.age.damaged" in describe(
        item, study.root
    )
    (entry,) = [e for e in study.audit.entries() if e["action"] == "recover"]
    assert entry["details"]["reason"] == "damaged" and entry["details"]["count"] == len(damaged)


def test_salvaged_recording_is_an_age_file_the_age_cli_opens(study: Study, identities: list, tmp_path: Path) -> None:
    key = tmp_path / "key.txt"
    key.write_text(f"{study.study_identity(identities)}\n")
    key.chmod(0o600)
    path, plaintext = _recording(study)
    _flip(path, identities, 2, 4)
    before = subprocess.run([need("age"), "-d", "-i", str(key), str(path)], capture_output=True, check=False)
    assert before.returncode != 0 and before.stdout == plaintext[: 2 * CHUNK]  # age stops at the damage
    salvage(study, identities)
    after = subprocess.run([need("age"), "-d", "-i", str(key), str(path)], capture_output=True, check=True)
    assert after.stdout == _expected(plaintext, [2, 4])


def test_recover_twice_and_an_undamaged_recording(study: Study, identities: list) -> None:
    path, _ = _recording(study)
    untouched = path.read_bytes()
    assert salvage(study, identities) == []
    assert path.read_bytes() == untouched and not path.with_name(AUDIO + ".damaged").exists()
    _flip(path, identities, 3)
    assert len(salvage(study, identities)) == 1
    once = path.read_bytes()
    events = load_events(study, path.parent, identities).events
    assert salvage(study, identities) == []  # nothing is damaged any more
    assert path.read_bytes() == once and load_events(study, path.parent, identities).events == events


def test_an_interrupted_salvage_is_finished_by_the_next_recover(
    study: Study, identities: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, plaintext = _recording(study)
    original = _flip(path, identities, 3)
    real_finish = AgeWriter.finish

    def power_cut(self: AgeWriter) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(AgeWriter, "finish", power_cut)
    with pytest.raises(KeyboardInterrupt):
        salvage(study, identities)
    assert path.read_bytes() == original and not list(path.parent.glob("*.recovering"))
    monkeypatch.setattr(AgeWriter, "finish", real_finish)
    # Killed after keeping the original's second name, before the copy took its place; a torn copy left too.
    path.with_name(AUDIO + ".damaged").hardlink_to(path)
    path.with_name(AUDIO + ".recovering").write_bytes(b"torn")
    salvage(study, identities)
    assert study.read(path, identities) == _expected(plaintext, [3])
    assert path.with_name(AUDIO + ".damaged").read_bytes() == original
    assert len([e for e in load_events(study, path.parent, identities).events if e.kind == "damaged"]) == 1


def test_a_field_kit_leaves_a_damaged_recording_as_it_is(study: Study, identities: list, tmp_path: Path) -> None:
    kit = study.make_field_kit(tmp_path / "kit")
    path, _ = _recording(kit)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    done = subprocess.run(["fieldvault", "recover", str(kit.root)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "cannot re-seal" in done.stdout
    assert path.read_bytes() == bytes(data)


def test_find_damage_tells_a_cut_off_file_from_a_damaged_one(tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    path = tmp_path / "a.age"
    with path.open("wb") as out:
        writer = AgeWriter(out, [identity.recipient()])
        writer.write(bytes(3 * CHUNK + 10))
        writer.flush()  # never finished: three whole chunks, no final one
    assert find_damage(path, [identity]) == agerecovery.Damage(3, (), True)
    with path.open("ab") as out:
        out.write(b"torn")
    assert find_damage(path, [identity]) == agerecovery.Damage(4, (3,), False)


def test_a_damaged_last_chunk_alone_is_dropped_as_a_torn_one_is(study: Study, identities: list) -> None:
    path, plaintext = _recording(study)
    original = _flip(path, identities, CHUNKS - 1)
    (item,) = salvage(study, identities)
    assert study.read(path, identities) == wavstream.complete_wav(FMT, plaintext[44 : 7 * CHUNK])
    assert item.bytes_lost == len(plaintext) - 7 * CHUNK and not item.gaps
    assert path.with_name(AUDIO + ".damaged").read_bytes() == original
    assert not [e for e in load_events(study, path.parent, identities).events if e.kind == "damaged"]


def test_recover_names_a_file_sealed_for_another_study_and_goes_on_with_the_rest(
    study: Study, identities: list
) -> None:
    """QA: `recover` stopped at a file sealed for another study (copied in by hand) with "no identity matched", naming
    no file, and re-sealed nothing after it. It now names it, leaves it and its session as they are, salvages the
    rest, and exits 1 saying what to do; run again, the same."""
    from fieldvault.agefile import encrypt_bytes

    path, _ = _recording(study)
    _flip(path, identities, 3)
    stranger = study.root / "participants" / "Ana" / "20261101-090000" / AUDIO  # sorted before Rose's
    stranger.parent.mkdir(parents=True)
    foreign = encrypt_bytes(b"RIFF" + bytes(100), [X25519Identity.generate().recipient()])[:-40]  # cut off too
    stranger.write_bytes(foreign)
    for run in range(2):
        done = fv("recover", str(study.root))
        assert_one_line_error(done, "1 file(s) could not be opened with the study key", "run `fieldvault recover`")
        assert f"participants/Ana/20261101-090000/{AUDIO} is sealed for keys this study's do not open" in done.stdout
        assert ("Rose" in done.stdout) == (run == 0), done.stdout  # salvaged on the first run, whole on the second
        assert stranger.read_bytes() == foreign
    assert path.with_name(AUDIO + ".damaged").exists()
    assert salvage(study, identities, [stranger]) == []


def test_recover_names_a_link_where_a_sealed_file_belongs_and_reads_nothing_through_it(
    study: Study, identities: list, tmp_path: Path
) -> None:
    """QA QD10: `recover` opened a link's target ("has a header that cannot be read" of a text file elsewhere) and
    would re-seal a cut-off file through a link. It now names each link as `check` does, reads and changes nothing
    through it, leaves its session as it is, salvages the rest, and exits 1 in one line."""
    path, _ = _recording(study)
    _flip(path, identities, 3)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "notes.txt").write_text("not a sealed file")
    cut = encrypt_bytes(b"x" * (3 * CHUNK), study.recipients())[:-100]  # a sealed file of this study, cut off
    (outside / "audio.wav.age").write_bytes(cut)
    session = study.root / "participants" / "Ana" / "20261101-090000"
    session.mkdir(parents=True)
    (session / "fieldnotes-1.md.age").symlink_to(outside / "notes.txt")
    (session / AUDIO).symlink_to(outside / "audio.wav.age")
    done = fv("recover", str(study.root))
    assert_one_line_error(done, "2 link(s) stand where sealed files belong", "run `fieldvault recover` again")
    for name, target in (("fieldnotes-1.md.age", "notes.txt"), (AUDIO, "audio.wav.age")):
        said = [
            line for line in done.stdout.splitlines() if line.startswith(f"participants/Ana/20261101-090000/{name}")
        ]
        assert len(said) == 1 and f"is a link to '{outside / target}'" in said[0], done.stdout
        assert "nothing was read through it" in said[0] and "cannot be read" not in said[0], said
    assert (outside / "audio.wav.age").read_bytes() == cut and sorted(p.name for p in outside.iterdir()) == [
        "audio.wav.age", "notes.txt"
    ]  # fmt: skip
    assert (session / AUDIO).is_symlink() and not (session / f"{AUDIO}.damaged").exists()
    assert path.with_name(AUDIO + ".damaged").exists()  # the rest was salvaged


def test_a_transcript_made_before_the_salvage_is_told_from_one_that_marks_it() -> None:
    """Damaged stretches no marker segment covers are what a transcript made before the salvage leaves unsaid; a
    marker anywhere over the stretch (the editor may have moved its edges) covers it, and a dropout (marked in
    every transcript, as the recorder noted it at once) is never taken for a salvage."""
    from fieldvault.gaps import Gap, unmarked_damage, with_gaps
    from fieldvault.transcript import GAP, Segment

    events = [
        Event(8.192, "damaged", "2.0 s failed authentication", length=2.048),
        Event(20.0, "dropout", "1.0 s of audio were lost", length=1.0),
        Event(30.0, "damaged", "2.0 s failed authentication", length=2.0),
    ]
    words = [Segment(0.0, 12.0, "we met at the shelter"), Segment(12.0, 40.0, "and then the groups")]
    assert unmarked_damage(words, events) == [Gap(8.192, 10.24, "damaged"), Gap(30.0, 32.0, "damaged")]
    assert unmarked_damage(with_gaps(words, events), events) == []  # transcribed after the salvage
    moved = [*words, Segment(9.0, 10.0, "[audio damaged 00:00:08–00:00:11]", flags=(GAP,))]
    assert unmarked_damage(moved, events) == [Gap(30.0, 32.0, "damaged")]
