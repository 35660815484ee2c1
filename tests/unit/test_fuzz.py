"""Bounded fuzzing in the suite: mutated age files and crafted field kits. bench/fuzz.py runs longer campaigns.

Each run draws from a seed printed on failure; FIELDVAULT_FUZZ_SECONDS stretches the time budget.
"""

from __future__ import annotations

import os
import random
import shutil
import stat
import time
from pathlib import Path

from fieldvault import loghead, paths
from fieldvault.agefile import X25519Identity
from fieldvault.agefile.recovery import torn_tail_only
from fieldvault.errors import FieldvaultError
from fieldvault.events import SessionEvents
from fieldvault.kitmerge import merge_kit
from fieldvault.study import Study
from tests.conftest import kit_participant, kit_recording
from tests.fuzzkit import AgeFuzzCounts, craft_kit, fuzz_age_once

SECONDS = float(os.environ.get("FIELDVAULT_FUZZ_SECONDS", "3"))


def test_mutated_age_files_never_release_a_forged_byte() -> None:
    identity = X25519Identity.generate()
    seed = random.randrange(1 << 32)
    rng = random.Random(seed)
    counts = AgeFuzzCounts()
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        plaintext = os.urandom(rng.choice([0, 1, 100, 65536, 65537, 140_000]))
        fuzz_age_once(plaintext, [identity.recipient()], [identity], rng, counts)
    assert counts.findings == [], f"seed {seed}: {counts.findings[:5]}"
    assert counts.files > 50 and counts.refused > counts.files // 2, f"seed {seed}: {counts}"


def _snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    out = {}
    for path in sorted(root.rglob("*")):
        mode = path.lstat().st_mode
        out[str(path.relative_to(root))] = (mode, path.read_bytes() if stat.S_ISREG(mode) else b"")
    return out


def _good_kit(study: Study, root: Path) -> Path:
    kit = study.make_field_kit(root)
    lena = kit_participant(kit, "Lena")
    for session in ("20261124-100000", "20261125-100000"):
        kit.write_new(lena / session / "audio.wav.age", os.urandom(70_000))
        kit.write_new(lena / session / "events.json.age", SessionEvents("Lena", session).to_json())
    kit_recording(kit, "participants/Rose/20261124-110000/audio.wav.age", b"RIFF")
    return kit.root


def test_crafted_kits_are_refused_whole_or_merge_only_sound_files(
    ready_study: Study, identities: list, tmp_path: Path
) -> None:
    (ready_study.root / "participants" / "Rose").mkdir(mode=0o700)
    pristine = _good_kit(ready_study, tmp_path / "pristine")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n")
    seed = random.randrange(1 << 32)
    rng = random.Random(seed)
    refused = merged = 0
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        study_copy = tmp_path / "study-copy"
        kit = tmp_path / "kit"
        shutil.rmtree(study_copy, ignore_errors=True)
        shutil.rmtree(kit, ignore_errors=True)
        shutil.copytree(ready_study.root, study_copy, symlinks=True)
        # each copy is the study as it was: forget how far the last one's log went (QA U9 refuses a log that forked)
        (paths.config_dir() / loghead.FILE).unlink(missing_ok=True)
        shutil.copytree(pristine, kit, symlinks=True)
        applied = craft_kit(kit, outside, rng, ready_study.recipients())
        study = Study.open(study_copy)
        before = _snapshot(study_copy)
        try:
            report = merge_kit(study, kit, identities)
        except FieldvaultError:
            refused += 1
            after = _snapshot(study_copy)
            after.pop("audit.jsonl", None), before.pop("audit.jsonl", None)
            assert after == before, f"seed {seed}, {applied}: a refused merge changed the study"
        else:
            merged += 1
            for path in (study_copy / "participants").rglob("*"):
                mode = path.lstat().st_mode
                assert stat.S_ISDIR(mode) or stat.S_ISREG(mode), f"seed {seed}, {applied}: {path} is not plain"
                assert stat.S_IMODE(mode) in (0o600, 0o700), f"seed {seed}, {applied}: {path} mode {mode:o}"
                if path.suffix == ".age":
                    assert b"root:x:0" not in path.read_bytes()
                    try:
                        study.read(path.relative_to(study_copy), identities)  # decrypts end to end
                    except FieldvaultError:  # only a recording cut off in the field, which recover re-seals, or
                        # one damaged on the kit, which the merge names (QA K16) and recover salvages
                        named = str(path.relative_to(study_copy)) in {item.target for item in report.damaged}
                        assert path.name == "audio.wav.age", f"seed {seed}, {applied}: {path}"
                        assert named or torn_tail_only(path, identities), f"seed {seed}, {applied}: {path}"
        assert (outside / "secret.txt").read_text().startswith("root:x:0"), f"seed {seed}, {applied}"
    assert refused + merged > 5, f"seed {seed}: only {refused + merged} kits in {SECONDS} s"
    assert refused > merged, f"seed {seed}: {merged} crafted kits merged, {refused} refused"
