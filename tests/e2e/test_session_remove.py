"""`session remove` and `check`'s advice for a recording imported twice, through the real binary (QA K5's rest).

`check` failed a session imported from the same file as another and said "withdraw or move": withdrawing destroys all
of a woman's data, and moving the copy to the other woman made two copies of her interview. Now `check` names the
command that destroys that one session, which asks to confirm, is audited, and finishes after a kill."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import tomli_w

from fieldvault import layout, wavstream
from fieldvault.capture.importer import import_recording
from fieldvault.study import Study
from tests.conftest import ANSWERS, PASSPHRASE
from tests.e2e.conftest import speech
from tests.e2e.test_cli import assert_one_line_error, fv

CHECKOUT = Path(__file__).resolve().parents[2]


def _twice_imported(root: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Amara's recording, and the same file imported under Lupe too (with no key to tell: QA K7's route)."""
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    for pseudonym in ("Amara", "Lupe"):
        assert fv("participant", "add", str(root), pseudonym, "--answers", str(answers)).returncode == 0
    samples = (np.random.default_rng(5).standard_normal(16000 * 3) * 2000).astype(np.int16)
    wav = tmp_path / "card1.wav"
    wav.write_bytes(wavstream.complete_wav(wavstream.WavFormat(16000, 1), samples.tobytes()))
    assert fv("import", str(root), "Amara", str(wav)).returncode == 0
    (hers,) = (root / "participants" / "Amara").glob(f"*/{layout.AUDIO}")
    copy = import_recording(Study.open(root), "Lupe", wav).folder
    return hers.parent, copy


def _removals(root: Path) -> list[dict]:
    entries = [json.loads(line) for line in (root / "audit.jsonl").read_text().splitlines()]
    return [e["details"] for e in entries if e["action"] == "session.remove"]


def test_check_names_the_command_that_removes_a_copy_and_it_destroys_only_that_session(
    ready_study: Study, tmp_path: Path
) -> None:
    root = ready_study.root
    hers, copy = _twice_imported(root, tmp_path)
    session = copy.name
    checked = fv("check", str(root))
    assert checked.returncode == 1
    (failed,) = [line for line in checked.stdout.splitlines() if line.startswith("FAILED")]
    assert f"participants/Lupe/{session}/audio.wav.age: was imported from the same file as" in failed
    assert f"`fieldvault session remove {root} Lupe {session}`" in failed and "withdraw" not in failed

    before = {p.name: p.read_bytes() for p in hers.iterdir()}
    files = len(list(copy.iterdir()))
    for extra, says in (
        ([], "nothing was changed: confirm with --confirm"),
        (["--confirm", "20990101-000000"], "not match"),
    ):
        refused = fv("session", "remove", str(root), "Lupe", session, *extra)  # no terminal, or the wrong id typed
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert refused.stderr.splitlines()[0].startswith(f"This destroys session {session} of Lupe")
        assert refused.stderr.splitlines()[-1].startswith("fieldvault: error: ") and says in refused.stderr
    assert copy.is_dir() and _removals(root) == []

    done = fv("session", "remove", str(root), "Lupe", session, "--confirm", session)
    assert done.returncode == 0, done.stderr
    assert f"removed session {session} of Lupe: {files} file(s) destroyed" in done.stdout
    assert not copy.exists() and not list((root / "participants" / "Lupe").glob(".removing-*"))
    assert {p.name: p.read_bytes() for p in hers.iterdir()} == before  # hers untouched
    (entry,) = _removals(root)
    assert (entry["pseudonym"], entry["session"], entry["count"]) == ("Lupe", session, files)
    assert len(entry["payloads"].split()) == files  # every file sealed: none of them merges back from a kit
    assert fv("check", str(root)).returncode == 0
    assert f"Lupe/{session}" not in (root / "sessions.json").read_text()

    again = fv("session", "remove", str(root), "Lupe", session, "--confirm", session)  # run twice
    assert_one_line_error(again, session)
    assert len(_removals(root)) == 1


def test_a_removal_killed_part_way_is_finished_and_recorded_once(ready_study: Study, tmp_path: Path) -> None:
    root = ready_study.root
    hers, copy = _twice_imported(root, tmp_path)
    session = copy.name
    files = len(list(copy.iterdir()))
    script = (
        "import os, signal, sys\n"
        "import fieldvault.sessionremove as removal\n"
        "from pathlib import Path\nfrom fieldvault.study import Study\n"
        "import fieldvault.stewardship.shred as shred\n"
        "shred.shred_file = lambda path: os.kill(os.getpid(), signal.SIGKILL)\n"  # set aside, recorded, then killed
        "study = Study.open(Path(sys.argv[1]))\n"
        "study.unlock(sys.argv[3].encode())\n"  # `session remove` asks for the passphrase and signs its entry
        "removal.remove_session(study, 'Lupe', sys.argv[2])\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(root), session, PASSPHRASE], cwd=CHECKOUT, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    (left,) = (root / "participants" / "Lupe").glob(".removing-*")
    assert not copy.exists() and len(_removals(root)) == 1
    checked = fv("check", str(root))
    assert f"note: participants/Lupe/{left.name}" in checked.stdout  # named, not taken for a session

    done = fv("session", "remove", str(root), "Lupe", session, "--confirm", session)
    assert done.returncode == 0, done.stderr
    assert f"finished removing session {session} of Lupe: {files} more file(s) destroyed" in done.stdout
    assert not left.exists() and len(_removals(root)) == 1
    assert fv("check", str(root)).returncode == 0 and hers.is_dir()


def test_transcribe_and_export_refuse_the_later_copy_and_go_on_with_the_first(
    ready_study: Study, tmp_path: Path
) -> None:
    """QA K5's rest: the readers, not only `check`, refuse the session `check` names as a copy."""
    root = ready_study.root
    answers = tmp_path / "answers.toml"
    answers.write_bytes(tomli_w.dumps(ANSWERS).encode())
    for pseudonym in ("Amara", "Lupe"):
        assert fv("participant", "add", str(root), pseudonym, "--answers", str(answers)).returncode == 0
    wav = tmp_path / "card.wav"
    speech(wav, "I left home when I was sixteen and took the night bus to the city.")
    copy = import_recording(Study.open(root), "Lupe", wav).folder  # transcribed before the copy was known
    assert fv("transcribe", str(root), "--speakers", "off").returncode == 0
    hers = import_recording(Study.open(root), "Amara", wav).folder  # the same file again, under Amara
    named = f"participants/Lupe/{copy.name} was imported from the same file as participants/Amara/{hers.name}"
    remove = f"`fieldvault session remove {root} Lupe {copy.name}`"

    done = fv("transcribe", str(root), "--speakers", "off")  # Amara's, the first by check's order: transcribed
    assert done.returncode == 0, done.stderr
    assert_one_line_error(fv("transcribe", str(root), "Lupe", copy.name, "--force"), named, remove)
    out = tmp_path / "txt"
    assert_one_line_error(
        fv("export", str(root), "--format", "txt", "--include-unreviewed", "--out", str(out)), named, remove
    )
    assert not out.exists()
    amara = fv(
        "export", str(root), "--format", "txt", "--include-unreviewed", "--participant", "Amara", "--out", str(out)
    )
    assert amara.returncode == 0, amara.stderr

    assert fv("session", "remove", str(root), "Lupe", copy.name, "--confirm", copy.name).returncode == 0
    again = tmp_path / "txt2"
    done = fv("export", str(root), "--format", "txt", "--include-unreviewed", "--out", str(again))
    assert done.returncode == 0, done.stderr
