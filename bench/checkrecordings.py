"""Benchmark: how often `check` opens each recording and each timeline (QA H1's test that a session's recording is
its own, QA J12's sessions imported from one file, a transcript made before a salvage).

Makes a study of S sessions, each with a recording of SECONDS seconds, its sealed timeline and a transcript, then
runs ``check_study``, counting the age files whose header is unwrapped, recordings and timelines apart, and timing
it. Prints the opens per recording and per timeline and check's time, before and after, and their ratio.
Run by hand from the checkout, under `flock /work/cpu.lock`: python -m bench.checkrecordings [S] [SECONDS]
(defaults 40 5)

"before" is the code path before perf12 (``ReadEachTime``: the authentication pass keeps nothing, every later check
decrypts the timeline and opens the recording again, load_events keeping nothing either), run alternately with
today's in the same run, best of 3 each.

Figures (perf12, shared 2-core machine, flock held, load average 5):
  S=40 x 5 s  before: each recording opened 2.0 times, each timeline 4.0; 200 ms
              after:  each recording opened 1.0 times, each timeline 1.0; 100 ms; ratio before/after 2.01
  again once check kept only each recording's WAV header, load average 11: 313 ms vs 219 ms, ratio 1.43
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from fieldvault import layout, wavstream
from fieldvault.agefile import AgeWriter, stream
from fieldvault.agefile.header import payload_id
from fieldvault.audiofile import recording_mismatch
from fieldvault.errors import FieldvaultError
from fieldvault.events import SessionEvents
from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.stewardship import check
from fieldvault.stewardship.check import check_file, check_study
from fieldvault.stewardship.checkreads import CheckReads
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript

PASSPHRASE = b"bench passphrase"
CONSENT = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")


def make_study(root: Path, sessions: int, seconds: int) -> tuple[Study, list]:
    study = Study.create(root, "Bench", "IRB-1", PASSPHRASE, work_factor=10)
    identities = study.unlock(PASSPHRASE)
    fmt = wavstream.WavFormat(16000, 1)
    for n in range(sessions):
        pseudonym = f"Sparrow{n}"
        add_participant(study, pseudonym, {}, CONSENT, [], identities)
        session = f"20261124-1{n:05d}"
        folder = layout.session(study.root, pseudonym, session)
        folder.mkdir()
        with (folder / layout.AUDIO).open("wb") as out:
            writer = AgeWriter(out, study.recipients())
            writer.write(wavstream.complete_wav(fmt, os.urandom(seconds * fmt.bytes_per_second)))
            writer.finish()
        info: dict[str, object] = {"duration": float(seconds), "audio": payload_id(folder / layout.AUDIO)}
        study.write_new(folder / layout.EVENTS, SessionEvents(pseudonym, session, info).to_json())
        said = (Segment(0.0, float(seconds), "We walked a long way.", "Participant"),)
        transcript = Transcript(pseudonym, session, said, (), {"name": "tiny.en"}, "faster-whisper", {},
                                float(seconds), 1.0, "2026-11-24T11:00:00+00:00")  # fmt: skip
        study.write_new(folder / layout.TRANSCRIPT, transcript.to_json())
    return study, identities


class ReadEachTime(CheckReads):
    """The code path before perf12: the authentication pass keeps nothing, and each later check decrypts the
    timeline (``load_events``) and opens the recording (``recording_mismatch``) again."""

    def authenticate(self, path: Path, advance: Callable[[int], None]) -> int:
        return check_file(path, self.identities, advance)

    def timeline(self, folder: Path) -> SessionEvents:  # load_events before perf12: decrypted at every call
        events = folder / layout.EVENTS
        return SessionEvents.from_json(self.study.read(events, self.identities), str(events))

    def other_recording(self, folder: Path) -> str | None:
        if not (folder / layout.EVENTS).is_file():
            return None
        try:
            info = self.timeline(folder).info
        except FieldvaultError:
            return None
        return recording_mismatch(folder / layout.AUDIO, info, self.identities, self.study.root)


def counted_check(study: Study, identities: list) -> tuple[float, list[str]]:
    """Seconds one check_study took, and the name of each age file whose header it unwrapped."""
    readers: list[str] = []
    init = stream.AgeReader.__init__

    def named(self, source, *args, **kwargs):
        readers.append(str(getattr(source, "name", "")))
        init(self, source, *args, **kwargs)

    with mock.patch.object(stream.AgeReader, "__init__", named):
        started = time.perf_counter()
        result = check_study(study, identities)
        took = time.perf_counter() - started
    assert result.ok, result.failures
    return took, readers


def main() -> None:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    rounds = 3
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        os.environ["FIELDVAULT_HOME"] = str(Path(tmp) / "home")
        study, identities = make_study(Path(tmp) / "study", sessions, seconds)
        times: dict[str, list[float]] = {"before": [], "after": []}
        opens: dict[str, str] = {}
        for _ in range(rounds):  # alternated, so a change of load on the shared machine falls on both
            for label in times:
                with mock.patch.object(check, "CheckReads", ReadEachTime if label == "before" else CheckReads):
                    took, readers = counted_check(study, identities)
                times[label].append(took)
                audio = sum(name.endswith(layout.AUDIO) for name in readers)
                timelines = sum(name.endswith(layout.EVENTS) for name in readers)
                opens[label] = (
                    f"each recording opened {audio / sessions:.1f} times, each timeline {timelines / sessions:.1f}"
                )
        for label, each in times.items():
            print(
                f"S={sessions} x {seconds} s, check {label}: {opens[label]}; best of {rounds} {min(each) * 1e3:.0f} ms"
            )
        print(f"ratio before/after: {min(times['before']) / min(times['after']):.2f}")


if __name__ == "__main__":
    main()
