"""A kit recording damaged or cut short on the way back from the field, through the real binary and `age` (QA K16).

One flipped bit on a USB stick, or a copy to it interrupted, made merge-kit refuse the whole kit, and `recover`
works on the study only: the interview could never be salvaged. Now the rest of the kit merges, the damaged
recording comes in byte for byte (the kit's copy untouched) with one line saying what is wrong and what to do, and
`recover` keeps every authentic chunk."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import tomli_w

from fieldvault import layout, wavstream
from fieldvault.agefile import CHUNK, AgeReader
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE, need
from tests.e2e.test_cli import fv

CHECKOUT = Path(__file__).resolve().parents[2]
SECONDS = 6  # 16 kHz mono: 192,044 bytes of WAV, three chunks
FLIPPED = 1  # the chunk flipped: 2.05-4.1 s


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _kit(study: Study, tmp_path: Path) -> tuple[Path, str]:
    """A field kit (made, filled and imported into by the real binary) with Wren's recording and Sable's profile."""
    kit = tmp_path / "kit"
    assert fv("field-kit", str(study.root), str(kit)).returncode == 0
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    for pseudonym in ("Wren", "Sable"):
        added = fv("participant", "add", str(kit), pseudonym, "--answers", str(answers))
        assert added.returncode == 0, added.stderr
    rng = np.random.default_rng(7)
    samples = (rng.standard_normal(16000 * SECONDS) * 3000).astype(np.int16)
    wav = tmp_path / "card.wav"
    wav.write_bytes(wavstream.complete_wav(wavstream.WavFormat(16000, 1), samples.tobytes()))
    imported = fv("import", str(kit), "Wren", str(wav))
    assert imported.returncode == 0, imported.stderr
    (audio,) = (kit / "participants" / "Wren").glob(f"*/{layout.AUDIO}")
    return kit, str(audio.relative_to(kit))


def _payload_start(study: Study, path: Path) -> int:
    with path.open("rb") as stream:
        AgeReader(stream, study.unlock(PASSPHRASE.encode()))
        return stream.tell()


def _age(key: Path, path: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([need("age"), "-d", "-i", str(key), str(path)], capture_output=True, check=False)


def _damage_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stderr.splitlines() if line.startswith("fieldvault: damaged ")]


def test_a_flipped_bit_in_a_kit_recording_merges_the_rest_and_recover_keeps_every_authentic_chunk(
    ready_study: Study, tmp_path: Path
) -> None:
    root = ready_study.root
    kit, relative = _kit(ready_study, tmp_path)
    damaged = _flip(ready_study, kit, relative)
    on_kit = _tree(kit)

    first = fv("merge-kit", str(kit), str(root))
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    (line,) = _damage_lines(first)
    assert relative in line and f"chunk {FLIPPED} of 3 fails authentication" in line
    assert f"fieldvault recover {root}" in line and "do not wipe" in line
    assert (root / relative).read_bytes() == bytes(damaged)  # brought over untouched, for the steward
    assert (root / "participants/Sable/profile.json.age").is_file()  # the rest of the kit merged
    assert (root / Path(relative).with_name(layout.EVENTS)).is_file()
    assert _tree(kit) == on_kit  # the kit's copy is never changed

    merged = _tree(root)
    again = fv("merge-kit", str(kit), str(root))  # run twice: nothing new, nothing overwritten, still said
    assert again.returncode == 1 and _damage_lines(again) == [line]
    assert "0 file(s) merged" in again.stdout
    after = _tree(root)
    assert {k: v for k, v in after.items() if k != "audit.jsonl"} == {
        k: v for k, v in merged.items() if k != "audit.jsonl"
    }
    log = (root / "audit.jsonl").read_text()
    assert log.count('"field-kit.damaged"') == 1

    checked = fv("check", str(root))
    assert checked.returncode == 1 and f"FAILED {relative}: chunk {FLIPPED} fails authentication" in checked.stdout

    key = tmp_path / "key.txt"
    assert fv("keys", "export-identity", str(root), "--out", str(key)).returncode == 0
    by_age = _age(key, root / relative)  # age writes the authentic chunks before the damage, then fails
    assert by_age.returncode != 0 and len(by_age.stdout) == FLIPPED * CHUNK

    recovered = fv("recover", str(root))
    assert recovered.returncode == 0, recovered.stderr
    assert (root / f"{relative}.damaged").read_bytes() == bytes(damaged)
    whole = _age(key, root / relative)
    assert whole.returncode == 0, whole.stderr
    assert whole.stdout[:CHUNK] == by_age.stdout  # every chunk before the damage, as age read it
    assert len(whole.stdout) == 44 + 16000 * 2 * SECONDS  # and after it: silence stands in for the damaged chunk
    assert not whole.stdout[FLIPPED * CHUNK : (FLIPPED + 1) * CHUNK].strip(b"\0")
    assert fv("check", str(root)).returncode == 0

    last = fv("merge-kit", str(kit), str(root))  # the kit is taken again, its copy salvaged already
    assert last.returncode == 0, last.stderr
    (said,) = _damage_lines(last)
    assert "salvaged it already" in said and "0 file(s) merged" in last.stdout
    assert (root / f"{relative}.damaged").read_bytes() == bytes(damaged)


def _flip(study: Study, kit: Path, relative: str) -> bytes:
    damaged = bytearray((kit / relative).read_bytes())
    damaged[_payload_start(study, kit / relative) + FLIPPED * (CHUNK + 16) + 1000] ^= 0x01
    (kit / relative).write_bytes(bytes(damaged))
    return bytes(damaged)


@pytest.mark.parametrize("point", ["placing", "recording"])
def test_a_merge_with_a_damaged_recording_killed_part_way_is_finished_by_the_next_once(
    ready_study: Study, tmp_path: Path, point: str
) -> None:
    root = ready_study.root
    kit, relative = _kit(ready_study, tmp_path)
    damaged = _flip(ready_study, kit, relative)
    killed = subprocess.run(
        [sys.executable, "-m", "tests.kitkill", point, str(root), str(kit)],
        cwd=CHECKOUT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]

    again = fv("merge-kit", str(kit), str(root))
    assert again.returncode == 1, again.stderr
    (line,) = _damage_lines(again)
    assert relative in line and "fieldvault recover" in line
    assert (root / relative).read_bytes() == damaged
    assert (root / "participants/Sable/profile.json.age").is_file()
    log = (root / "audit.jsonl").read_text()
    assert log.count('"field-kit.damaged"') == 1 and log.count('"field-kit.merged"') == 1
    assert fv("recover", str(root)).returncode == 0
    assert fv("check", str(root)).returncode == 0


def test_a_kit_recording_cut_short_says_how_much_is_left_and_a_whole_copy_replaces_it(
    ready_study: Study, tmp_path: Path
) -> None:
    """An interrupted copy to the stick: not "another recording" but cut short, with what is left; `recover` keeps
    that much, and the laptop's whole copy merged later replaces it."""
    root = ready_study.root
    kit, relative = _kit(ready_study, tmp_path)
    whole_kit = tmp_path / "laptop"
    shutil.copytree(kit, whole_kit)
    with (kit / relative).open("r+b") as cut:
        cut.truncate(_payload_start(ready_study, kit / relative) + CHUNK + 16 + 500)

    first = fv("merge-kit", str(kit), str(root))
    assert first.returncode == 1, first.stderr
    (line,) = _damage_lines(first)
    assert f"is cut short (2.0 s of {SECONDS:.1f} s left" in line and "another recording" not in first.stderr
    assert (root / "participants/Sable/profile.json.age").is_file()
    recovered = fv("recover", str(root))
    assert recovered.returncode == 0 and "2.0 s of audio" in recovered.stdout
    assert fv("merge-kit", str(kit), str(root)).returncode == 0  # after recover: no refusal of the restated timeline

    completed = fv("merge-kit", str(whole_kit), str(root))
    assert completed.returncode == 0, completed.stderr
    assert f"completed {relative}" in completed.stdout
    assert (root / relative).read_bytes() == (whole_kit / relative).read_bytes()
    assert not (root / f"{relative}.damaged").exists()  # nothing lost: the whole recording stands in its place
    assert fv("check", str(root)).returncode == 0
