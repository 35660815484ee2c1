"""Fewer speakers than asked for (QA QD14): two espeak-ng voices joined by sox with no pause at the joins, `transcribe
--speakers 2`, came out as one speaker, the interviewer's second question inside her answer's segment, and nothing
said so. Whatever the diarization finds, fewer speakers than asked is said in one line and the transcript is kept;
the TUI's transcription screen, whose Speakers choice is the same option, says it in a notification."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fieldvault.layout import TRANSCRIPT
from fieldvault.study import Study
from fieldvault.transcript import Transcript
from tests.conftest import PASSPHRASE
from tests.e2e.test_cli import fv

pytestmark = pytest.mark.slow

# qa28's walk (w1_setup.sh): the interviewer en-us, the participant en-gb-x-rp, at 150 words a minute
LINES = (
    ("en-us", "Thank you for being here. Can you tell me how it started?"),
    ("en-gb-x-rp", "My name is Tanisha Brooks, but on the street they called me Sugar. I grew up in Tulare. Darnell "
     "Okafor took me to Fresno when I was fifteen. My number then was 559 555 0143."),
    ("en-us", "And who helped you get out?"),
    ("en-gb-x-rp", "Zelphine Abernathy at Hope House. And my friend Keisha Marlowe, she came from Visalia. Latrice "
     "knew her too."),
)  # fmt: skip
SAID = "2 speakers were asked for and 1 came out"


def joined(folder: Path) -> Path:
    """The four lines as qa28 made them: espeak-ng, then sox joining them with no pause, 16 kHz mono 16-bit."""
    parts = []
    for n, (voice, text) in enumerate(LINES):
        part = folder / f"line{n}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(part), text], check=True)
        parts.append(str(part))
    out = folder / "interview.wav"
    subprocess.run(["sox", "-R", *parts, "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
    return out


def _speakers(study: Path) -> tuple[Transcript, set[str]]:
    [path] = (study / "participants" / "Rose").glob(f"*/{TRANSCRIPT}")
    loaded = Study.open(study)
    transcript = Transcript.from_json(loaded.read(path, loaded.unlock(PASSPHRASE.encode())))
    return transcript, {s.speaker for s in transcript.segments if s.words and s.speaker}


@pytest.fixture
def imported(study_dir: Path, tmp_path: Path) -> Path:
    assert fv("participant", "add", str(study_dir), "Rose", "--answers", str(tmp_path / "answers.toml")).returncode == 0
    done = fv("import", str(study_dir), "Rose", str(joined(tmp_path)))
    assert done.returncode == 0, done.stderr
    return study_dir


def test_fewer_speakers_than_asked_are_said_and_the_transcript_kept(imported: Path) -> None:
    done = fv("transcribe", str(imported), "Rose", "--speakers", "2")
    assert done.returncode == 0, done.stderr
    transcript, found = _speakers(imported)
    assert len(found) == 1, f"this recording no longer comes out as one speaker ({found}): QD14's cause is gone"
    [line] = [line for line in done.stdout.splitlines() if SAID in line]
    assert line.startswith("Rose/") and "check who speaks in the editor" in line, done.stdout
    assert transcript.segments and "who helped you get out" in transcript.text  # kept, every word
    assert "speaker-doubtful" not in done.stdout  # one line, not two saying the same


async def test_the_tui_transcription_screen_says_fewer_speakers_than_asked(imported: Path) -> None:
    from textual.widgets import Select

    from fieldvault.tui.app import make_app
    from fieldvault.tui.screens.transcription import TranscriptionScreen
    from tests.tui.conftest import every_toast, unlock, until

    app = make_app(Study.open(imported))
    async with app.run_test(size=(120, 40)) as pilot:
        toasts = every_toast(app)
        await unlock(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TranscriptionScreen))
        screen = app.screen
        assert isinstance(screen, TranscriptionScreen)
        screen.query_one("#speakers", Select).value = "2"
        await pilot.pause()
        screen.action_start()
        await until(pilot, lambda: any(SAID in toast for toast in toasts), seconds=600)
    [toast] = [t for t in toasts if SAID in t]
    assert "Rose" in toast and "check who speaks in the editor" in toast, toast
    assert _speakers(imported)[0].segments  # stored
