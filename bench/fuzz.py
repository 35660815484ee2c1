"""A longer fuzzing campaign than the suite's bounded one: the age reader against the `age` CLI, and merge-kit.

Age: every mutated file is read by fieldvault and by `age -d`; a finding is any byte released that is
not the plaintext's, any exception that is not a FieldvaultError, or a file one accepts and the other
refuses. Kits: crafted as in tests/fuzzkit.py; a finding is a refused merge that changed the study, or a
merged file that is not a plain private age file that decrypts. Prints the counts.
Run by hand from the checkout: python -m bench.fuzz [age-files] [kits] [seed]   (defaults: 2000 200 random)
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from fieldvault.agefile import X25519Identity
from fieldvault.errors import FieldvaultError
from fieldvault.kitmerge import merge_kit
from fieldvault.participantid import ensure_participant_id
from fieldvault.study import Study
from tests.fuzzkit import AgeFuzzCounts, craft_kit, fuzz_age_once


def age_campaign(files: int, rng: random.Random, tmp: Path) -> tuple[AgeFuzzCounts, Counter[str], list[str]]:
    identity = X25519Identity.generate()
    key = tmp / "key.txt"
    key.write_text(str(identity) + "\n")
    counts = AgeFuzzCounts()
    kinds: Counter[str] = Counter()
    disagreements = []
    for _ in range(files):
        plaintext = os.urandom(rng.choice([0, 1, 100, 65536, 65537, 200_000]))
        kind, mutated, outcome = fuzz_age_once(plaintext, [identity.recipient()], [identity], rng, counts)
        kinds[kind] += 1
        age = subprocess.run(["age", "-d", "-i", str(key)], input=mutated, capture_output=True)
        ours_ok, theirs_ok = outcome.error is None, age.returncode == 0
        if ours_ok != theirs_ok or (ours_ok and age.stdout != outcome.released):
            disagreements.append(f"{kind}: fieldvault {'accepts' if ours_ok else 'refuses'}, age {age.returncode}")
    return counts, kinds, disagreements


def kit_campaign(kits: int, rng: random.Random, tmp: Path) -> tuple[Counter[str], list[str]]:
    study = Study.create(tmp / "study", "Fuzz", "", b"kettle orchard velvet compass", 10)
    study._save_config(study.config.__class__(**{**study.config.__dict__, "letter": {"pi_name": "x"}}))
    identities = study.unlock(b"kettle orchard velvet compass")
    rose = study.root / "participants" / "Rose"
    rose.mkdir(mode=0o700)
    ensure_participant_id(rose)
    pristine = study.make_field_kit(tmp / "pristine")
    lena = pristine.root / "participants" / "Lena"
    lena.mkdir(mode=0o700)
    ensure_participant_id(lena)
    pristine.write_new(lena / "profile.json.age", b"{}")
    pristine.write_new(lena / "20261124-100000" / "audio.wav.age", os.urandom(150_000))
    pristine.write_new(lena / "20261124-100000" / "events.json.age", b"{}")
    pristine.write_new("participants/Rose/20261124-110000/audio.wav.age", b"RIFF")
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0\n")
    counts: Counter[str] = Counter()
    findings = []
    for _ in range(kits):
        copy, kit = tmp / "study-copy", tmp / "kit"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(kit, ignore_errors=True)
        shutil.copytree(study.root, copy, symlinks=True)
        shutil.copytree(pristine.root, kit, symlinks=True)
        applied = craft_kit(kit, outside, rng, study.recipients())
        before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file() and p.name != "audit.jsonl"}
        try:
            merge_kit(Study.open(copy), kit, identities)
        except FieldvaultError:
            counts["refused"] += 1
            after = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file() and p.name != "audit.jsonl"}
            if after != before:
                findings.append(f"{applied}: a refused merge changed the study")
            continue
        except Exception as err:  # a finding to report, not a reason to end the campaign
            findings.append(f"{applied}: {type(err).__name__}: {err}")
            continue
        counts["merged"] += 1
        for path in (copy / "participants").rglob("*"):
            if path.is_symlink() or (path.is_file() and path.stat().st_mode & 0o077):
                findings.append(f"{applied}: {path} is a link or not private")
    return counts, findings


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    kits = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else random.randrange(1 << 32)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        counts, kinds, disagreements = age_campaign(files, rng, Path(tmp))
        age_seconds = time.perf_counter() - started
        started = time.perf_counter()
        kit_counts, kit_findings = kit_campaign(kits, rng, Path(tmp))
        kit_seconds = time.perf_counter() - started
    print(f"seed {seed}")
    print(
        f"age reader: {counts.files} mutated files in {age_seconds:.0f} s ({dict(kinds)}); "
        f"{counts.refused} refused, {counts.accepted_intact} accepted with the exact plaintext; "
        f"{len(counts.findings)} forged bytes released; {len(disagreements)} disagreements with `age -d`"
    )
    for line in (counts.findings + disagreements)[:20]:
        print("  ", line)
    print(f"merge-kit: {kits} crafted kits in {kit_seconds:.0f} s; {dict(kit_counts)}; {len(kit_findings)} findings")
    for line in kit_findings[:20]:
        print("  ", line)


if __name__ == "__main__":
    main()
