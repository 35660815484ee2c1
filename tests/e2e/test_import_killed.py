"""An `import` killed part-way (a closed lid, a dead battery, a killed terminal), through the real binary (QA K13).

It left a recording without a timeline in her folder: `check` failed it for ever, `recover` could not help, and the
re-import of her first interview was labelled a follow-up. Now an import writes under a staging name at the study's
root and renames the session into place whole; the next import removes what a killed one wrote, and says so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import wave
from pathlib import Path

import numpy as np
import tomli_w

from fieldvault import layout, wavstream
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.test_cli import EXE, assert_one_line_error, fv

SECONDS = 600  # long enough that the kill lands while the recording is being written


def _participant(root: Path, tmp_path: Path) -> Path:
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    assert fv("participant", "add", str(root), "Lupe", "--answers", str(answers)).returncode == 0
    samples = (np.random.default_rng(3).standard_normal(16000 * SECONDS) * 2000).astype(np.int16)
    wav = tmp_path / "card.wav"
    wav.write_bytes(wavstream.complete_wav(wavstream.WavFormat(16000, 1), samples.tobytes()))
    return wav


def _kill_while_writing(root: Path, wav: Path) -> None:
    env = {**os.environ, "FIELDVAULT_PASSPHRASE": PASSPHRASE}
    child = subprocess.Popen([EXE, "import", str(root), "Lupe", str(wav)], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        written = list(root.glob(f"{layout.IMPORTING}*/{layout.AUDIO}"))
        if written and written[0].stat().st_size > 2_000_000:
            break
        assert child.poll() is None, "the import ended before it could be killed"
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL


def _sessions(root: Path) -> list[Path]:
    return sorted(p for p in (root / "participants" / "Lupe").iterdir() if p.is_dir())


def test_an_import_killed_part_way_leaves_no_session_and_her_first_interview_imports_again_as_a_first(
    ready_study: Study, tmp_path: Path
) -> None:
    root = ready_study.root
    wav = _participant(root, tmp_path)
    _kill_while_writing(root, wav)

    assert _sessions(root) == []  # nothing half-made in her folder
    (left,) = root.glob(f"{layout.IMPORTING}*")
    checked = fv("check", str(root))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"note: {left.name}: an import killed part-way wrote it" in checked.stdout
    assert "fieldvault import" in checked.stdout

    again = fv("import", str(root), "Lupe", str(wav))
    assert again.returncode == 0, again.stderr
    assert f"removed {left.name}: an import killed part-way" in again.stdout
    assert "follow-up" not in again.stderr  # her first interview, labelled as one
    assert not left.exists() and not list(root.glob(f"{layout.IMPORTING}*"))
    (session,) = _sessions(root)
    assert {p.name for p in session.iterdir()} == {layout.AUDIO, layout.EVENTS, layout.SESSION_INFO}
    shown = fv("decrypt", str(root), str((session / layout.SESSION_INFO).relative_to(root)), "--out", "-")
    assert json.loads(shown.stdout)["kind"] == "first"
    entries = [json.loads(line) for line in (root / "audit.jsonl").read_text().splitlines()]
    assert [e["details"]["session"] for e in entries if e["action"] == "import"] == [session.name]

    checked = fv("check", str(root))
    assert checked.returncode == 0 and "import killed" not in checked.stdout
    assert_one_line_error(fv("import", str(root), "Lupe", str(wav)), "was imported before")  # run twice
    assert _sessions(root) == [session]


def test_a_follow_up_is_still_a_follow_up_after_a_killed_import(ready_study: Study, tmp_path: Path) -> None:
    """The count of her earlier sessions ignores what a killed import wrote, not the interviews she gave."""
    root = ready_study.root
    wav = _participant(root, tmp_path)
    assert fv("import", str(root), "Lupe", str(wav)).returncode == 0
    other = tmp_path / "second.wav"
    with wave.open(str(wav)) as src, wave.open(str(other), "wb") as out:  # another recording of hers (a later card)
        out.setparams(src.getparams())
        out.writeframes(src.readframes(src.getnframes())[:-32000])  # a whole WAV (one cut short is refused: QA QD7)
    _kill_while_writing(root, other)
    done = fv("import", str(root), "Lupe", str(other))
    assert done.returncode == 0, done.stderr
    assert "recorded as a follow-up (1 earlier session(s) of hers)" in done.stderr
    assert len(_sessions(root)) == 2
