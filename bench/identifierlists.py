"""Benchmark: how often one export decrypts each participant's list of names (and the study-wide list).

Makes a study of P participants, each with a list of 15 names and one short unreviewed session, then runs one
`export` (txt, unreviewed included) as the CLI does: `refuse_named` on the path, then the gate. Counts the age
files decrypted (headers unwrapped) during the export, and how many of them were lists; times the export and, in
the same run, decrypting every list once (``known_identifiers`` for each participant on a fresh Study), the floor
for what the export needs of them. Prints the list decrypts per list and the export's time against that floor.
Run by hand from the checkout, under `flock /work/cpu.lock`: python -m bench.identifierlists [P] (default 30)

Figures (shared 2-core machine, load average 5.5, flock held), P=30, before and after alternated in one flock:
  before (f740c7a): 150 list decrypts (4.8 per list: refuse_named, the study scrubber, the gate's lists, _listed,
    each session's redaction proposal); export 16.25 s and 16.30 s
  after (Study.read_parsed, fieldvault.sealedcache): 30 list decrypts (1.0 per list); export 14.20 s and 14.20 s
  (the lists' share of an export is small: detection dominates)
Last line: every list read once with each stored type's annotations resolved once (serial._FIELDS) against
resolving them (typing.get_type_hints) at every read as before, alternated in the same run, best of 5 each.
  P=30 (perf12, load average 7): at each read 31.1 ms, once per type 16.8 ms, ratio 1.86 (P=10: ratio 2.65)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from fieldvault import layout, serial, wavstream
from fieldvault.agefile import AgeWriter, stream
from fieldvault.export.run import Options, export
from fieldvault.export.selection import Request
from fieldvault.participants import ConsentRecord, KnownIdentifier, add_participant, known_identifiers
from fieldvault.study import Study
from fieldvault.transcript import Segment, Transcript

PASSPHRASE = b"bench passphrase"
CONSENT = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
FIRST = ["Renata", "Tyrone", "Denise", "Marisol", "Okonkwo", "Lupita", "Zyrafina", "Kayla", "Hoa", "Vorhanek"]


def make_study(root: Path, people: int) -> tuple[Study, list]:
    study = Study.create(root, "Bench", "IRB-1", PASSPHRASE, work_factor=10)
    identities = study.unlock(PASSPHRASE)
    for p in range(people):
        names = [KnownIdentifier(f"{FIRST[(p + k) % 10]} Q{p}x{k}") for k in range(15)]
        pseudonym = f"Sparrow{p}"
        add_participant(study, pseudonym, {}, CONSENT, names, identities)
        session = f"20261124-1{p:05d}"
        folder = layout.session(study.root, pseudonym, session)
        folder.mkdir()
        with (folder / layout.AUDIO).open("wb") as out:
            writer = AgeWriter(out, study.recipients())
            writer.write(wavstream.header(wavstream.WavFormat(16000, 1)) + bytes(32000))
            writer.finish()
        said = [f"I met {names[1].text} at the shelter.", "We walked a long way.", "Then it was over."]
        segments = tuple(Segment(4.0 * i + 1, 4.0 * i + 4, t, "Participant") for i, t in enumerate(said))
        transcript = Transcript(pseudonym, session, segments, (), {"name": "tiny.en"}, "faster-whisper", {}, 30.0,
                                2.0, "2026-11-24T11:00:00+00:00")  # fmt: skip
        study.write_new(folder / layout.TRANSCRIPT, transcript.to_json())
    return study, identities


class _Forgetful(dict):
    """Stands in for serial's per-type cache: keeps nothing, so every read resolves the annotations anew (before)."""

    def get(self, key, default=None):
        return default

    def __setitem__(self, key, value) -> None:
        pass


def read_lists(root: Path, identities: list) -> float:
    """Seconds to read every participant's list once, on a fresh Study (nothing kept from before)."""
    fresh = Study.open(root)
    started = time.perf_counter()
    for pseudonym in fresh.participant_names():
        known_identifiers(fresh, pseudonym, identities)
    return time.perf_counter() - started


def hints(root: Path, identities: list, rounds: int = 5) -> str:
    """Reading every list with each type's annotations resolved once (serial._FIELDS) against resolving them at
    every read, alternated, best of ``rounds`` each."""
    cached, anew = [], []
    for _ in range(rounds):
        cached.append(read_lists(root, identities))
        with mock.patch.object(serial, "_FIELDS", _Forgetful()):
            anew.append(read_lists(root, identities))
    return (
        f"every list read once: annotations resolved at each read {min(anew) * 1e3:.1f} ms, once per type "
        f"{min(cached) * 1e3:.1f} ms, ratio {min(anew) / min(cached):.2f}"
    )


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        os.environ["FIELDVAULT_HOME"] = str(Path(tmp) / "home")
        study, identities = make_study(Path(tmp) / "study", people)
        opened: list[str] = []
        unwrap = stream.AgeReader.__init__

        def counted(self, source, ids, file_key=None, name=""):
            opened.append(name or str(getattr(source, "name", "")))
            unwrap(self, source, ids, file_key, name)

        floor = read_lists(study.root, identities)
        fresh = Study.open(study.root)
        with mock.patch.object(stream.AgeReader, "__init__", counted):
            started = time.perf_counter()
            export(fresh, identities, Options("txt"), Path(tmp) / "out", Request(include_unreviewed=True))
            took = time.perf_counter() - started
        lists = [name for name in opened if "identifiers" in name]
        print(
            f"P={people}: {len(opened)} files decrypted, {len(lists)} of them lists ({len(lists) / (people + 1):.1f} "
            f"per list); export {took:.3f} s, every list read once {floor * 1e3:.1f} ms, ratio {took / floor:.1f}"
        )
        print(hints(study.root, identities))


if __name__ == "__main__":
    main()
