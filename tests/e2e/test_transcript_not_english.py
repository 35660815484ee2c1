"""A Spanish interview through the real binary: espeak-ng speaks it, Whisper (base) transcribes it with --language es,
and the unreviewed export replaces the names, the town and the phone number but no ordinary Spanish word (QA R7: it
went out as "Me [ORG] [PERSON 1], mi [ORG] ..."); transcribe and export say what detection read."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest

from fieldvault import layout
from fieldvault.participants import ConsentRecord, add_participant
from fieldvault.study import Study
from fieldvault.transcript import read_transcript
from tests.conftest import ANSWERS, PASSPHRASE, need
from tests.e2e.test_cli import cli_study, fv  # noqa: F401  (cli_study: the fixture)

pytestmark = pytest.mark.slow

SAID = (
    "Me llamo Lucía Fernández y vivo en Guadalajara. Mi tía Rosario Jiménez trabaja en la panadería de la calle "
    "Morelos. Mi novio Esteban Quiroga me llevó a Tijuana en un camión blanco. Mi número es tres tres, uno dos, cuatro "
    "cinco, seis siete, ocho nueve. Después trabajé en un restaurante con mi amiga Carmen, y la señora Patricia nos "
    "pagaba muy poco. Un día la policía llegó y nos llevaron a un refugio en San Diego."
)
NAMES = ["lucia", "fernandez", "guadalajara", "rosario", "morelos", "tijuana", "carmen", "patricia", "san diego"]
WORDS = ["llamo", "vivo", "camion blanco", "restaurante", "amiga", "pagaba muy poco", "dia", "policia", "refugio"]


def _bare(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def test_a_spanish_interview_exports_without_its_names_and_with_its_words(cli_study: Path, tmp_path: Path) -> None:  # noqa: F811
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(Study.open(cli_study), "Ana", dict(ANSWERS), consent, [])
    raw, wav = tmp_path / "raw.wav", tmp_path / "es.wav"
    subprocess.run([need("espeak-ng"), "-v", "es", "-s", "140", "-w", str(raw), SAID], check=True)
    subprocess.run([need("sox"), "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
    assert fv("import", str(cli_study), "Ana", str(wav)).returncode == 0
    transcribed = fv("transcribe", str(cli_study), "Ana", "--language", "es", "--model", "base", "--speakers", "off")
    assert transcribed.returncode == 0, transcribed.stderr
    out = tmp_path / "out"
    done = fv("export", str(cli_study), "--format", "txt", "--include-unreviewed", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = _bare((out / "Ana_session-1.txt").read_text())
    said = text.split("participant: ", 1)[-1]
    assert [name for name in NAMES if name in said] == [], said
    assert [word for word in WORDS if word not in said] == [], said
    assert "[phone]" in said and "[org]" not in said, said
    assert "transcribed as language 'es': identifier detection reads English" in transcribed.stderr
    assert "reads English" in done.stderr and "place names written with capitals" in done.stderr


@pytest.mark.parametrize("backend", ["faster-whisper", "openai-whisper"])
def test_the_language_whisper_detects_is_stored_and_read(cli_study: Path, tmp_path: Path, backend: str) -> None:  # noqa: F811
    """QA R7's rest: transcribed without --language, a multilingual model detects Spanish itself; the transcript stored
    it as language None, and every English layer then read the interview ("Me [ORG] [PERSON 1], mi [ORG] ...")."""
    consent = ConsentRecord("information letter given; verbal consent", "v1", "s1", "2026-11-24T10:00:00+00:00")
    add_participant(Study.open(cli_study), "Ana", dict(ANSWERS), consent, [])
    raw, wav = tmp_path / "raw.wav", tmp_path / "es.wav"
    subprocess.run([need("espeak-ng"), "-v", "es", "-s", "140", "-w", str(raw), SAID], check=True)
    subprocess.run([need("sox"), "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
    assert fv("import", str(cli_study), "Ana", str(wav)).returncode == 0
    transcribed = fv("transcribe", str(cli_study), "Ana", "--model", "base", "--backend", backend, "--speakers", "off")
    assert transcribed.returncode == 0, transcribed.stderr
    assert "transcribed as language 'es': identifier detection reads English" in transcribed.stderr
    study = Study.open(cli_study)
    (path,) = layout.transcripts(study.root, "Ana")
    assert read_transcript(study, path, study.unlock(PASSPHRASE.encode())).settings["language"] == "es"
    out = tmp_path / "out"
    done = fv("export", str(cli_study), "--format", "txt", "--include-unreviewed", "--out", str(out))
    assert done.returncode == 0, done.stderr
    said = _bare((out / "Ana_session-1.txt").read_text()).split("participant: ", 1)[-1]
    assert [name for name in NAMES if name in said] == [], said
    assert [word for word in WORDS if word not in said] == [], said
    assert "[org]" not in said and "reads English" in done.stderr, said
