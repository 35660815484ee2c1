"""Benchmark: decrypting a session's timeline once per command (what `transcribe` loads before Whisper runs).

Makes a study of one participant with S sessions, each a mono recording of SECONDS seconds and its sealed timeline,
then loads every session as `fieldvault transcribe` does before decoding (the CLI's format check, then
``read_format``, ``load_events`` and ``load_for_whisper``), on one Study. "before" decrypts the timeline at each of
those reads (``load_events`` as it was: ``Study.read``); "after" is today's (the plaintext kept in the Study's
SealedCache while the sealed bytes stay the same). Alternated in one run, best of 3 each; prints the timeline
decrypts per session and the times, and their ratio. Whisper's own time is not in it (it dwarfs both).
Run by hand from the checkout, under `flock /work/cpu.lock`: python -m bench.timelinereads [S] [SECONDS]
(defaults 20 10)

Figures (perf12, shared 2-core machine, flock held, load average 11):
  S=20 x 10 s  before 4.0 timeline decrypts per session, 65 / 71 ms; after 1.0, 44 / 54 ms: ratio 1.48 / 1.32
  S=10 x 60 s  before 4.0, 33 ms; after 1.0, 30 ms: ratio 1.08 (a few ms per session, against minutes of Whisper)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np

from fieldvault import audiofile, events, layout, wavstream
from fieldvault.agefile import stream
from fieldvault.agefile.header import payload_id
from fieldvault.events import SessionEvents
from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.study import Study

PASSPHRASE = b"bench passphrase"
CONSENT = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")


def make_study(root: Path, sessions: int, seconds: int) -> tuple[Study, list, list[Path]]:
    study = Study.create(root, "Bench", "IRB-1", PASSPHRASE, work_factor=10)
    identities = study.unlock(PASSPHRASE)
    add_participant(study, "Sparrow", {}, CONSENT, [], identities)
    fmt = wavstream.WavFormat(16000, 1)
    pcm = (np.sin(np.arange(seconds * fmt.rate) * 0.05) * 8000).astype(np.int16).tobytes()
    folders = []
    for n in range(sessions):
        folder = layout.session(study.root, "Sparrow", f"20261124-1{n:05d}")
        folder.mkdir()
        study.write_new(folder / layout.AUDIO, wavstream.complete_wav(fmt, pcm))
        info: dict[str, object] = {"duration": float(seconds), "audio": payload_id(folder / layout.AUDIO)}
        study.write_new(folder / layout.EVENTS, SessionEvents("Sparrow", folder.name, info).to_json())
        folders.append(folder)
    return study, identities, folders


def read_each_time(study: Study, folder: Path, identities: list) -> SessionEvents:
    """load_events before perf12: the sealed timeline decrypted at every call."""
    return SessionEvents.from_json(study.read(folder / layout.EVENTS, identities), str(folder / layout.EVENTS))


def load_all(root: Path, identities: list, folders: list[Path]) -> tuple[float, int]:
    """Seconds to load every session as transcribe does, on one fresh Study, and the timelines decrypted."""
    study = Study.open(root)
    opened = []
    init = stream.AgeReader.__init__

    def counted(self, source, *args, **kwargs):
        if str(kwargs.get("name", "")).endswith(layout.EVENTS):
            opened.append(kwargs["name"])
        init(self, source, *args, **kwargs)

    with mock.patch.object(stream.AgeReader, "__init__", counted):
        started = time.perf_counter()
        for folder in folders:
            audiofile.read_format(study, folder, identities)  # the CLI's check before the first session
        for folder in folders:
            audiofile.read_format(study, folder, identities)
            events.load_events(study, folder, identities)
            audiofile.load_for_whisper(study, folder, identities)
        return time.perf_counter() - started, len(opened)


def main() -> None:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        os.environ["FIELDVAULT_HOME"] = str(Path(tmp) / "home")
        study, identities, folders = make_study(Path(tmp) / "study", sessions, seconds)
        times: dict[str, list[float]] = {"before": [], "after": []}
        opens: dict[str, int] = {}
        for _ in range(3):  # alternated, so a change of load on the shared machine falls on both
            for label in times:
                if label == "before":
                    with (
                        mock.patch.object(events, "load_events", read_each_time),
                        mock.patch.object(audiofile, "load_events", read_each_time),
                    ):
                        took, opens[label] = load_all(study.root, identities, folders)
                else:
                    took, opens[label] = load_all(study.root, identities, folders)
                times[label].append(took)
        for label, each in times.items():
            print(
                f"S={sessions} x {seconds} s, {label}: {opens[label] / sessions:.1f} timeline decrypts per session; "
                f"best of 3 {min(each) * 1e3:.0f} ms"
            )
        print(f"ratio before/after: {min(times['before']) / min(times['after']):.2f}")


if __name__ == "__main__":
    main()
