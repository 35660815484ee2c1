"""The real binary on the study's integrity: private modes, quiet broken pipes, armored input from `age -a`."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from fieldvault import loghead
from fieldvault.study import Study
from tests.conftest import PASSPHRASE, need


def _env() -> dict[str, str]:
    return {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def big_file(study: Study) -> str:
    study.write_new("participants/Rose/20261124-100000/audio.wav.age", os.urandom(3 << 20))
    return "participants/Rose/20261124-100000/audio.wav.age"


def test_decrypt_out_is_private_at_every_level(study: Study, big_file: str, tmp_path: Path) -> None:
    out = tmp_path / "inspect" / "deeper" / "audio.wav"
    done = subprocess.run(["fieldvault", "decrypt", str(study.root), big_file, "--out", str(out)],
                          capture_output=True, text=True, env=_env())  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(out.parent.parent.stat().st_mode) == 0o700
    assert not [p for p in out.parent.iterdir() if p.name != out.name]  # no partial file left beside it


@pytest.mark.parametrize("pipeline", ["decrypt {dir} {file} --out - | head -c1", "audit {dir} | head -1"])
def test_a_reader_that_stops_early_ends_quietly(study: Study, big_file: str, pipeline: str, tmp_path: Path) -> None:
    for n in range(800 if "audit" in pipeline else 0):  # more than a pipe holds: `head` closes it mid-write
        study.audit.append("decrypt", file=f"participants/Rose/s{n}/audio.wav.age")
    errors = tmp_path / "stderr"
    command = "fieldvault " + pipeline.format(dir=study.root, file=big_file).replace(" |", f" 2>{errors} |", 1)
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True, env=_env())
    assert len(done.stdout) >= 1
    assert errors.read_text() == "", errors.read_text()
    assert done.returncode == 141  # SIGPIPE's status, as cat gives


def test_an_armored_file_from_age_decrypts(study: Study, tmp_path: Path) -> None:
    plain = tmp_path / "letter.txt"
    plain.write_bytes(os.urandom(100_000))
    target = study.root / "participants" / "Rose" / "letter.age"
    target.parent.mkdir(mode=0o700, parents=True)
    subprocess.run([need("age"), "-a", "-r", study.config.recipients[0].key, "-o", str(target), str(plain)], check=True)
    assert target.read_bytes().startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    done = subprocess.run(["fieldvault", "decrypt", str(study.root), "participants/Rose/letter.age", "--out", "-"],
                          capture_output=True, env=_env())  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == plain.read_bytes()
    target.write_bytes(target.read_bytes().replace(b"\n", b"\n ", 3))  # not strict armor any more
    refused = subprocess.run(["fieldvault", "decrypt", str(study.root), "participants/Rose/letter.age", "--out", "-"],
                             capture_output=True, text=True, env=_env())  # fmt: skip
    assert refused.returncode == 1 and "armored age file" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.parametrize(
    "args",
    [["transcript", "{dir}", "..", ".."], ["transcript", "{dir}", "Rose", "../../keys"], ["redact", "{dir}", "../.."],
     ["transcribe", "{dir}", "Rose", "/tmp"], ["record", "{dir}", "../..", "--seconds", "1"],
     ["import", "{dir}", "..", "/dev/null"], ["participant", "add", "{dir}", "Le\u200fna", "--answers", "/dev/null"]],
)  # fmt: skip
def test_names_from_the_command_line_cannot_escape(study: Study, args: list[str], tmp_path: Path) -> None:
    (study.root / "participants" / "Rose").mkdir(mode=0o700)
    before = sorted(tmp_path.rglob("*"))
    done = subprocess.run(["fieldvault", *(a.format(dir=study.root) for a in args)], capture_output=True, text=True,
                          env=_env(), stdin=subprocess.DEVNULL)  # fmt: skip
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert sorted(tmp_path.rglob("*")) == before


def test_every_folder_made_for_an_output_is_private(tmp_path: Path) -> None:
    from fieldvault import atomicfile

    old = os.umask(0o022)
    try:
        atomicfile.make_dirs(tmp_path / "export" / "by" / "participant")
    finally:
        os.umask(old)
    for folder in (tmp_path / "export", tmp_path / "export" / "by", tmp_path / "export" / "by" / "participant"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_verify_prints_a_head_that_later_finds_a_log_cut_short(study: Study, fieldvault_home: Path) -> None:
    for n in range(3):
        study.audit.append("decrypt", file=f"participants/Rose/s{n}/audio.wav.age")
    verify = ["fieldvault", "audit", str(study.root), "--verify"]
    first = subprocess.run(verify, capture_output=True, text=True, env=_env())
    assert first.returncode == 0 and "4 entries" in first.stdout, first.stderr
    head = first.stdout.strip().rsplit("head ", 1)[1]
    lines = (study.root / "audit.jsonl").read_text().splitlines(keepends=True)
    (study.root / "audit.jsonl").write_text("".join(lines[:-1]))  # the last decrypt, cut off the end
    (fieldvault_home / loghead.FILE).unlink()  # another computer, the head kept with the backups (QA U9 refuses here)
    cut = subprocess.run([*verify, "--head", head], capture_output=True, text=True, env=_env())
    assert cut.returncode == 1 and "cut off the end" in cut.stderr and cut.stderr.count("\n") == 1, cut.stderr
