"""Capture through real PortAudio (PulseAudio null sink), crash recovery of a killed recorder, and import."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import tomli_w

from fieldvault import layout, wavstream
from fieldvault.audiofile import load_pcm
from fieldvault.events import load_events
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE, ROOT, need
from tests.e2e.conftest import PrivatePulse, best_correlation, speech, start_pulse
from tests.e2e.test_cli import assert_one_line_error, fv

pytestmark = pytest.mark.slow

SENTENCE = "Can you tell me about the people who helped you get out? My case manager helped me find safe housing."


def _answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.toml"
    path.write_bytes(tomli_w.dumps(ANSWERS).encode())
    return path


@pytest.fixture
def participant(ready_study: Study, tmp_path: Path) -> Study:
    done = fv("participant", "add", str(ready_study.root), "Rose", "--answers", str(_answers(tmp_path)))
    assert done.returncode == 0, done.stderr
    return ready_study


def _session(study: Study) -> Path:
    (folder,) = [p for p in (study.root / "participants" / "Rose").iterdir() if p.is_dir()]
    return folder


def _recording_for(study: Study, seconds: float) -> None:
    """Let a `record` just started capture for ``seconds``, counted from when its session opened (its lock is
    written as the stream starts): a fixed sleep from the Popen left a loaded machine 0.1 s of audio."""
    for _ in range(1200):
        if list((study.root / "participants" / "Rose").glob(f"*/{layout.LOCK}")):
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the recording never started")
    time.sleep(seconds)


def _audio(study: Study, folder: Path) -> tuple[wavstream.WavFormat, np.ndarray]:
    return load_pcm(study, folder, study.unlock(PASSPHRASE.encode()))


def test_recording_through_portaudio_matches_what_was_played(participant: Study, pulse: str, tmp_path: Path) -> None:
    source = speech(tmp_path / "speech.wav", SENTENCE)
    recorder = subprocess.Popen(
        [
            need("fieldvault"),
            "record",
            str(participant.root),
            "Rose",
            "--device",
            pulse,
            "--seconds",
            str(len(source) / 16000 + 4),
        ],
        env={**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE},
        stderr=subprocess.PIPE,
        text=True,
    )
    assert recorder.stderr is not None
    for line in recorder.stderr:  # until capture has begun; a recorder that fails ends the stream
        if "level" in line:
            break
    else:
        raise AssertionError(f"the recorder ended before capturing: exit {recorder.wait()}")
    # A second of silence first: PulseAudio wakes an idle null sink with a delay, as no microphone would.
    padded = tmp_path / "padded.wav"
    subprocess.run([need("sox"), str(tmp_path / "speech.wav"), str(padded), "pad", "1", "0"], check=True)
    subprocess.run([need("paplay"), "--device=fv", str(padded)], check=True)
    _, err = recorder.communicate(timeout=60)
    assert recorder.returncode == 0, err
    fmt, recorded = _audio(participant, _session(participant))
    assert (fmt.rate, fmt.channels) == (16000, 1)
    assert len(recorded) >= len(source)
    correlation, lag = best_correlation(recorded[:, 0], source)
    assert correlation > 0.9 and lag >= 0  # all of the speech, unchanged but for resampling


def _clock_seconds(line: str) -> int | None:
    """Seconds recorded, from `fieldvault record`'s status line ("0:00:07  level -20.0 dBFS"), else None."""
    match = re.match(r"(\d+):(\d\d):(\d\d)\s+level", line)
    return None if match is None else int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3])


def test_killed_recorder_loses_at_most_about_two_seconds(participant: Study, pulse: str) -> None:
    recorder = subprocess.Popen(
        [need("fieldvault"), "record", str(participant.root), "Rose", "--device", pulse, "--seconds", "120"],
        env={**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE},
        stderr=subprocess.PIPE,
        text=True,
    )
    assert recorder.stderr is not None
    recorded_so_far = 0
    for line in recorder.stderr:
        clock = _clock_seconds(line)
        if clock is not None:
            recorded_so_far = clock
            if recorded_so_far >= 7:
                break
    os.kill(recorder.pid, signal.SIGKILL)
    recorder.wait()
    folder = _session(participant)
    assert (folder / "recording.lock").exists() and (folder / "events.d").is_dir()

    done = fv("recover", str(participant.root))
    assert done.returncode == 0, done.stderr
    seconds = float(re.search(r"= ([\d.]+) s of audio", done.stdout).group(1))  # type: ignore[union-attr]  # the line is there, or the test fails on None
    fmt, recorded = _audio(participant, folder)
    assert len(recorded) / fmt.rate == pytest.approx(seconds, abs=0.05)
    assert recorded_so_far - 2.2 <= seconds <= recorded_so_far + 1.5
    assert not (folder / "recording.lock").exists()
    timeline = load_events(participant, folder, participant.unlock(PASSPHRASE.encode()))
    assert timeline.info["recovered"] is True and timeline.events[0].kind == "prompt"


def test_stereo_at_48k_records_both_channels(participant: Study, pulse: str) -> None:
    done = fv(
        "record",
        str(participant.root),
        "Rose",
        "--device",
        pulse,
        "--rate",
        "48000",
        "--channels",
        "2",
        "--seconds",
        "2",
    )
    assert done.returncode == 0, done.stderr
    fmt, recorded = _audio(participant, _session(participant))
    assert (fmt.rate, fmt.channels) == (48000, 2) and len(recorded) >= 2 * 48000


def test_sigterm_stops_cleanly_and_seals(participant: Study, pulse: str) -> None:
    recorder = subprocess.Popen(
        [need("fieldvault"), "record", str(participant.root), "Rose", "--device", pulse],
        env={**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE},
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    _recording_for(participant, 3)
    recorder.send_signal(signal.SIGTERM)
    out, err = recorder.communicate(timeout=30)
    assert recorder.returncode == 0, err
    assert "stopped:" in out
    folder = _session(participant)
    assert (folder / "events.json.age").exists() and not (folder / "recording.lock").exists()
    assert "every file is complete" in fv("recover", str(participant.root)).stdout


def test_a_closed_terminal_stops_and_seals_the_recording(participant: Study, pulse: str) -> None:
    """QA J14: the terminal closed (SIGHUP: a window closed, SSH dropped) during `record`: the process died unsealed
    (lock, journal, no timeline), a job for `recover`, which kept 8.2 s of 9.5. It stops and seals as on SIGTERM,
    though nothing can be written to the terminal any more."""
    import pty

    main, secondary = pty.openpty()
    recorder = subprocess.Popen(
        [need("fieldvault"), "record", str(participant.root), "Rose", "--device", pulse],
        env={**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE},
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
    )
    os.close(secondary)
    _recording_for(participant, 3)
    os.close(main)  # the window is gone: every write to it fails from now on
    recorder.send_signal(signal.SIGHUP)
    assert recorder.wait(timeout=30) == 0
    folder = _session(participant)
    assert (folder / "events.json.age").exists() and not (folder / "recording.lock").exists()
    assert "every file is complete" in fv("recover", str(participant.root)).stdout
    seconds = float(str(load_events(participant, folder, participant.unlock(PASSPHRASE.encode())).info["duration"]))
    assert 0.5 < seconds < 10.0  # what was recorded before the hang-up is in the sealed recording


def test_recording_errors_are_one_line(participant: Study, pulse: str) -> None:
    assert_one_line_error(
        fv("record", str(participant.root), "Rose", "--device", "no-such-mic", "--seconds", "1"), "--device"
    )
    assert_one_line_error(fv("record", str(participant.root), "Nobody", "--seconds", "1"), "participant add")
    assert not [p for p in (participant.root / "participants" / "Rose").iterdir() if p.is_dir()]


def test_a_follow_up_recorded_by_the_cli_runs_the_follow_up_prompts_and_records_her_consent_confirmed_again(
    participant: Study, pulse: str
) -> None:
    """qa29 QE6: `record` of a follow-up showed and sealed the first interview's prompts, and nothing recorded or said
    that her consent was confirmed again (the TUI's `r` does both)."""
    from fieldvault.guide import Guide
    from fieldvault.participants import reconfirmation_documents
    from fieldvault.sessioninfo import FOLLOW_UP, load_session_info

    def record(*extra: str) -> subprocess.CompletedProcess[str]:
        return fv("record", str(participant.root), "Rose", "--device", pulse, "--seconds", "1", *extra)

    assert_one_line_error(record("--reconfirmed"), "participant add")  # her first interview: no re-consent
    assert not [p for p in (participant.root / "participants" / "Rose").iterdir() if p.is_dir()]
    first = record()
    assert first.returncode == 0 and "confirmed again" not in first.stderr, first.stderr
    time.sleep(1.1)  # a session is named by its start, to the second
    unconfirmed = record()
    assert unconfirmed.returncode == 0, unconfirmed.stderr
    assert "not recorded as confirmed again for this follow-up" in unconfirmed.stderr
    time.sleep(1.1)
    confirmed = record("--reconfirmed")
    assert confirmed.returncode == 0 and "confirmed again" not in confirmed.stderr, confirmed.stderr
    follow_up = Guide.for_study(participant.root).for_kind(FOLLOW_UP)
    assert f"prompt: {follow_up.narrative_prompt}" in confirmed.stderr
    identities = participant.unlock(PASSPHRASE.encode())
    sessions = sorted(p for p in (participant.root / "participants" / "Rose").iterdir() if p.is_dir())
    infos = [load_session_info(participant, folder, identities) for folder in sessions]
    assert [i.kind for i in infos] == ["first", FOLLOW_UP, FOLLOW_UP]
    assert infos[1].reconfirmation is None
    assert infos[2].reconfirmation is not None
    assert infos[2].reconfirmation.script_version == reconfirmation_documents(participant)[1].version
    timeline = load_events(participant, sessions[2], identities)
    assert timeline.info["prompts"] == list(follow_up.prompts)
    assert timeline.events[0].text == follow_up.narrative_prompt != Guide.for_study(participant.root).narrative_prompt


@pytest.mark.parametrize("suffix, sox_args", [(".flac", []), (".ogg", []), (".wav", ["-r", "44100", "-c", "2"])])
def test_import_decodes_in_memory_and_encrypts(
    participant: Study, tmp_path: Path, suffix: str, sox_args: list[str]
) -> None:
    source = speech(tmp_path / "speech.wav", SENTENCE)
    original = tmp_path / f"Jane Doe interview{suffix}"
    subprocess.run([need("sox"), str(tmp_path / "speech.wav"), *sox_args, str(original)], check=True)
    done = fv("import", str(participant.root), "Rose", str(original), "--shred-original")
    assert done.returncode == 0, done.stderr
    assert not original.exists()
    folder = _session(participant)
    fmt, recorded = _audio(participant, folder)
    expected_rate = 44100 if sox_args else 16000
    assert fmt.rate == expected_rate
    if fmt.rate == 16000:
        assert best_correlation(recorded[:, 0], source) > (0.99, -1)
    assert abs(len(recorded) / fmt.rate - len(source) / 16000) < 0.1
    for path in participant.root.rglob("*"):
        if path.is_file():
            assert b"Jane" not in path.read_bytes()


def test_a_recorders_multitrack_file_keeps_every_channel_in_what_is_imported(
    participant: Study, tmp_path: Path
) -> None:
    """QA T2: a field recorder's 3-, 6- or 8-channel WAV (room microphones and lavaliers) lost one channel whole on
    import (FFmpeg's stereo downmix read it as 2.1, 5.1 or 7.1 and dropped the LFE position): the woman on that
    lavalier was silent in the only copy, and --shred-original destroyed the original. Every channel is now mixed
    in, each at equal weight, and the import says so."""
    import wave

    source = speech(tmp_path / "speech.wav", SENTENCE)
    for channels, voiced in ((3, 2), (6, 3), (8, 3), (8, 7)):
        tracks = np.zeros((len(source), channels), dtype=np.int16)
        tracks[:, voiced] = source
        original = tmp_path / f"ZOOM{channels}{voiced}.WAV"
        with wave.open(str(original), "wb") as out:  # plain PCM, no channel mask, as a recorder writes it
            out.setnchannels(channels)
            out.setsampwidth(2)
            out.setframerate(16000)
            out.writeframes(tracks.tobytes())
        done = fv("import", str(participant.root), "Rose", str(original), "--shred-original")
        assert done.returncode == 0, done.stderr
        assert f"1 channel(s), mixed from its {channels}, each at equal weight" in done.stdout, done.stdout
    folders = sorted(p for p in (participant.root / "participants" / "Rose").iterdir() if p.is_dir())
    assert len(folders) == 4
    for folder in folders:
        fmt, recorded = _audio(participant, folder)
        assert fmt.channels == 1 and abs(len(recorded) - len(source)) < 160
        assert best_correlation(recorded[:, 0], source)[0] > 0.99


def test_a_wav_whose_header_states_less_than_it_holds_is_imported_whole(participant: Study, tmp_path: Path) -> None:
    """QA T12: a WAV whose data size says a third of what follows (a recorder that lost power after a header
    checkpoint; a file over 4 GiB whose 32-bit size wrapped) was imported only as far as the header said, and
    --shred-original destroyed the rest. It is read to its end and the import says so; a chunk after the audio (a
    recorder's LIST) is no audio."""
    import struct

    source = speech(tmp_path / "speech.wav", SENTENCE)
    whole = (tmp_path / "speech.wav").read_bytes()
    data = whole.index(b"data")
    cut = bytearray(whole)
    struct.pack_into("<I", cut, data + 4, len(source) * 2 // 3)
    (tmp_path / "cut.wav").write_bytes(cut)
    done = fv("import", str(participant.root), "Rose", str(tmp_path / "cut.wav"), "--shred-original")
    assert done.returncode == 0, done.stderr
    assert "header states less audio than the file holds" in done.stdout, done.stdout
    assert not (tmp_path / "cut.wav").exists()
    listed = bytearray(whole + b"LIST" + struct.pack("<I", 26) + b"INFOISFT\x0e\x00\x00\x00ZOOM F8n v2.1\x00")
    struct.pack_into("<I", listed, 4, len(listed) - 8)
    (tmp_path / "listed.wav").write_bytes(listed)
    done = fv("import", str(participant.root), "Rose", str(tmp_path / "listed.wav"))
    assert done.returncode == 0 and "header states" not in done.stdout, done.stdout
    for folder in sorted(p for p in (participant.root / "participants" / "Rose").iterdir() if p.is_dir()):
        _, recorded = _audio(participant, folder)
        assert len(recorded) == len(source)  # all of it, and nothing of the LIST chunk read as samples
        assert best_correlation(recorded[:, 0], source)[0] > 0.99


def test_a_file_imported_before_is_refused_naming_the_session_it_became(participant: Study, tmp_path: Path) -> None:
    """QA J12: the same recorder file imported again (the second try is how a user learns the first worked), or under
    another woman, was taken each time and then transcribed and exported as her words. Once a recording was imported,
    `import` reads the sealed digests of the files the study's recordings came from (the passphrase), and refuses."""
    wav = speech(tmp_path / "a.wav", SENTENCE)
    assert wav.size and fv("import", str(participant.root), "Rose", str(tmp_path / "a.wav")).returncode == 0
    (first,) = [p.relative_to(participant.root) for p in (participant.root / "participants" / "Rose").iterdir()
                if p.is_dir()]  # fmt: skip
    assert fv("participant", "add", str(participant.root), "June", "--answers", str(_answers(tmp_path))).returncode == 0
    entries = len(participant.audit.entries())
    for who in ("Rose", "June"):
        done = fv("import", str(participant.root), who, str(tmp_path / "a.wav"), "--shred-original")
        assert_one_line_error(done, "a.wav was imported before, as", str(first), "nothing was imported")
    assert (tmp_path / "a.wav").exists()  # never shredded: nothing was imported
    assert len([p for p in (participant.root / "participants").glob("*/*") if p.is_dir()]) == 1
    assert len(participant.audit.entries()) == entries
    # Without the passphrase (no terminal to ask on) nothing is imported either; another file still is
    locked = fv("import", str(participant.root), "June", str(tmp_path / "a.wav"), env={"FIELDVAULT_PASSPHRASE": ""},
                stdin=subprocess.DEVNULL)  # fmt: skip
    assert_one_line_error(locked, "passphrase")
    speech(tmp_path / "b.wav", SENTENCE + " Again.")
    assert fv("import", str(participant.root), "June", str(tmp_path / "b.wav")).returncode == 0


def test_a_withdrawn_womans_recording_is_never_imported_again(participant: Study, tmp_path: Path) -> None:
    """QA K4: after her withdrawal the file still on the recorder's card was imported again, under another woman,
    without a word: the digests that refused it went with her sessions. The withdrawal keeps them, keyed with the
    study key (the audit log is plaintext), and `import` refuses the file."""
    speech(tmp_path / "a.wav", SENTENCE)
    assert fv("import", str(participant.root), "Rose", str(tmp_path / "a.wav")).returncode == 0
    assert fv("participant", "add", str(participant.root), "June", "--answers", str(_answers(tmp_path))).returncode == 0
    assert fv("withdraw", str(participant.root), "Rose", "--confirm", "Rose").returncode == 0
    (entry,) = [e for e in participant.audit.entries() if e["action"] == "withdraw"]
    digest = hashlib.sha256((tmp_path / "a.wav").read_bytes()).hexdigest()
    assert len(entry["details"]["imports"]) == 64 and digest not in json.dumps(entry)  # keyed: says nothing without it
    done = fv("import", str(participant.root), "June", str(tmp_path / "a.wav"), "--shred-original")
    assert_one_line_error(done, "a.wav is the recording of a participant who withdrew", "delete the original")
    assert (tmp_path / "a.wav").exists() and not [
        p for p in (participant.root / "participants").glob("*/*") if p.is_dir()
    ]
    speech(tmp_path / "b.wav", SENTENCE + " Again.")
    assert fv("import", str(participant.root), "June", str(tmp_path / "b.wav")).returncode == 0


def test_import_refuses_what_is_not_audio(participant: Study, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.mp3"
    bogus.write_text("this is not audio")
    before = sorted(p.name for p in (participant.root / "participants" / "Rose").iterdir())
    assert_one_line_error(fv("import", str(participant.root), "Rose", str(bogus)), "notes.mp3")
    assert_one_line_error(fv("import", str(participant.root), "Rose", str(tmp_path / "missing.wav")), "not a file")
    assert sorted(p.name for p in (participant.root / "participants" / "Rose").iterdir()) == before
    assert bogus.exists()


def test_import_refuses_a_wav_cut_short_and_a_link_to_shred_through(participant: Study, tmp_path: Path) -> None:
    """QA QD7: a WAV cut short (an interrupted copy off the card: its header states 4 s, the file holds 1.6) was
    imported without a word and --shred-original destroyed it. QD8: --shred-original of a link overwrote the link's
    target, a file elsewhere, with random bytes."""
    import wave

    whole = tmp_path / "card" / "ZOOM0001.WAV"
    whole.parent.mkdir()
    with wave.open(str(whole), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((np.sin(np.arange(4 * 16000) / 7) * 8000).astype(np.int16).tobytes())
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole.read_bytes()[: 44 + 16000 * 2 * 16 // 10])
    rose = participant.root / "participants" / "Rose"
    before = sorted(p.name for p in rose.iterdir())
    done = fv("import", str(participant.root), "Rose", str(cut), "--shred-original")
    assert_one_line_error(done, "cut.wav's header states 4.0 s and the file holds 1.6 s: cut short", "--accept-short")
    assert cut.is_file() and sorted(p.name for p in rose.iterdir()) == before
    done = fv("import", str(participant.root), "Rose", str(cut), "--shred-original", "--accept-short")
    assert done.returncode == 0 and "imported 1.6 s" in done.stdout, done.stderr
    assert f"{cut} was kept (it is cut short)" in done.stderr and cut.is_file()
    link = tmp_path / "link.wav"
    link.symlink_to(whole)
    kept = whole.read_bytes()
    done = fv("import", str(participant.root), "Rose", str(link), "--shred-original")
    assert_one_line_error(done, f"{link} is not a regular file (a link, or a device)", "nothing was imported")
    assert whole.read_bytes() == kept and link.is_symlink()
    assert len([p for p in rose.iterdir() if p.is_dir()]) == len([n for n in before if (rose / n).is_dir()]) + 1


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 40 MiB file system, so a recording can fill it."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_disk_filling_up_stops_the_recording_cleanly_and_keeps_it(small_disk: Path) -> None:
    from fieldvault.capture.recorder import Recorder
    from fieldvault.capture.source import ArraySource
    from fieldvault.guide import Guide
    from tests.conftest import TEST_WORK_FACTOR

    study = Study.create(small_disk / "study", "T", "", PASSPHRASE.encode(), TEST_WORK_FACTOR)
    (study.root / "participants" / "Rose").mkdir()
    noise = np.random.default_rng(0).integers(-3000, 3000, (48000 * 240, 2), dtype=np.int16)  # 46 MB: too much
    recorder = Recorder(study, "Rose", ArraySource(noise, 48000, speed=10), Guide.for_study(None))
    folder = recorder.start()
    deadline = time.monotonic() + 60
    while recorder.status().ended is None and time.monotonic() < deadline:
        time.sleep(0.1)
    summary = recorder.stop()
    assert summary.problem and "disk is nearly full" in summary.problem and recorder.disk_full
    fmt, recorded = _audio(study, folder)
    assert (fmt.rate, fmt.channels) == (48000, 2)
    assert len(recorded) / 48000 == pytest.approx(summary.seconds, abs=0.01) and summary.seconds > 10
    assert np.array_equal(recorded, noise[: len(recorded)])  # every second written is kept, and sealed


def test_device_lost_mid_recording_stops_and_keeps_what_was_recorded(participant: Study, pulse: str) -> None:
    recorder = subprocess.Popen(
        [need("fieldvault"), "record", str(participant.root), "Rose", "--device", pulse, "--seconds", "60"],
        env={**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE},
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert recorder.stderr is not None
    for line in recorder.stderr:
        if (_clock_seconds(line) or 0) >= 3:
            break
    subprocess.run(["pulseaudio", "--kill"], check=True)  # the sound server, and with it the device, goes away
    try:
        out, err = recorder.communicate(timeout=30)
    finally:
        start_pulse()
    assert recorder.returncode == 1 and "stopped:" in out, err
    assert "input device" in err.strip().splitlines()[-1] and "Traceback" not in err
    fmt, recorded = _audio(participant, _session(participant))
    assert len(recorded) / fmt.rate >= 3


def _record_until_warned(root: Path, seconds: int, env: dict[str, str]) -> tuple[subprocess.Popen[str], list[str]]:
    """Start `fieldvault record` on a silent input; return it and its stderr lines up to its first warning."""
    recorder = subprocess.Popen(
        [need("fieldvault"), "record", str(root), "Rose", "--device", "pulse", "--seconds", str(seconds)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert recorder.stderr is not None
    lines = []
    for line in recorder.stderr:
        lines.append(line)
        if line.startswith("NO SIGNAL"):
            break
    return recorder, lines


def test_record_warns_of_digital_silence_once_a_stretch_and_says_when_signal_returns(
    participant: Study, private_pulse: PrivatePulse, tmp_path: Path
) -> None:
    """QA H5: the CLI said nothing on a dead input, while the recording screen warns after 3 s. A null sink's
    monitor with nothing played is that input; a tone played into it is the signal coming back."""
    tone = tmp_path / "tone.wav"
    synth = ["-n", "-r", "16000", "-c", "1", "-b", "16", str(tone), "synth", "3", "sine", "440"]
    subprocess.run([need("sox"), *synth], check=True)
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE, **private_pulse.env}
    recorder, before = _record_until_warned(participant.root, 16, env)
    assert before[-1].startswith("NO SIGNAL for 3 s: the input gives digital silence"), before
    silent = [line for line in before if _clock_seconds(line) is not None]
    assert len(silent) >= 3 and all("level -120.0 dBFS" in line for line in silent)  # after 3 s, not before
    subprocess.run([need("paplay"), "--device=fv", str(tone)], env=env, check=True)
    out, err = recorder.communicate(timeout=60)
    assert recorder.returncode == 0 and "stopped:" in out, err
    after = err.splitlines()
    back = [line for line in after if line.startswith("signal back after")]
    assert len(back) == 1, after
    assert int(back[0].split()[3]) >= 3  # "signal back after N s of digital silence"
    warned = [i for i, line in enumerate(after) if line.startswith("NO SIGNAL")]
    assert len(warned) == 1 and warned[0] > after.index(back[0]), after  # the silence after the tone, once

    again, lines = _record_until_warned(participant.root, 6, env)  # the command run again warns on its own
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert lines[-1].startswith("NO SIGNAL for 3 s") and "NO SIGNAL" not in err and "signal back" not in err
    assert len([p for p in (participant.root / "participants" / "Rose").iterdir() if p.is_dir()]) == 2


def test_an_interview_is_not_started_on_a_disk_that_holds_less_than_a_minute(small_disk: Path) -> None:
    """QA R11: on a nearly full disk the interview started, stopped 2 s in, and Resume started another 2-second
    part, and so on. Below a minute of room nothing starts, and nothing is left behind."""
    from fieldvault.capture.recorder import DISK_RESERVE, Recorder
    from fieldvault.capture.source import ArraySource
    from fieldvault.errors import FieldvaultError
    from fieldvault.guide import Guide
    from tests.conftest import TEST_WORK_FACTOR

    study = Study.create(small_disk / "study", "T", "", PASSPHRASE.encode(), TEST_WORK_FACTOR)
    (study.root / "participants" / "Rose").mkdir()
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - DISK_RESERVE - 48000 * 2 * 2 * 20))  # 20 s left
    recorder = Recorder(study, "Rose", ArraySource(np.zeros((48000, 2), np.int16), 48000), Guide.for_study(None))
    # tui28's QC5 rest: it said "about 0 min" where 20 s fit, and not why a recording stops with 20 MiB still free
    with pytest.raises(FieldvaultError, match=r": 20 s of recording fit \(20 MiB stay free so a recording can be"):
        recorder.start()
    assert list((study.root / "participants" / "Rose").iterdir()) == []
    filler.unlink()
    folder = recorder.start()  # room again: it starts
    recorder.stop()
    assert (folder / "audio.wav.age").is_file()


def test_record_says_when_a_full_disk_left_no_room_to_restate_the_length(
    participant: Study, private_pulse: PrivatePulse, tmp_path: Path
) -> None:
    """QA QC10: `record` on a disk that filled said "the disk is nearly full" and no more, while the re-seal that writes
    the WAV's true length (a second copy) did not fit: the file claims 6 h to `age -d`. The real command in its own
    process, recording from a real (null-sink) microphone onto a real 2 MiB disk; only the reserve is made small, so
    that disk fills in seconds (the real one is 20 MiB)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    disk = tmp_path / "small"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], check=True)
    try:
        study = Study.open(shutil.copytree(participant.root, disk / "study"))
        run = (
            "import sys; import fieldvault.capture.recorder as r; r.DISK_RESERVE = 512 << 10; r.START_AT_LEAST = 0; "
            "from fieldvault.cli import main; sys.exit(main(sys.argv[1:]))"
        )
        argv = ["record", str(study.root), "Rose", "--device", "pulse", "--rate", "48000", "--channels", "2"]
        env = {**os.environ, **private_pulse.env, "FIELDVAULT_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", run, *argv, "--seconds", "60"], capture_output=True, text=True,
                              env=env, timeout=120, stdin=subprocess.DEVNULL)  # fmt: skip
    finally:
        subprocess.run(["umount", str(disk)], check=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    said = done.stderr.strip().splitlines()
    assert said[-1].startswith("fieldvault: error: the disk is nearly full"), said
    assert said[-2].startswith("warning: the recording is whole, but there was no room left to re-seal it"), said
    assert "`fieldvault recover` on the trusted machine states its true length" in said[-2]
    assert "stopped:" in done.stdout
