"""Stereo interviews, one lapel microphone per speaker with bleed (QA C10, C11): who asks is named from the
prompt markers however the cables were plugged in, and no one's words are lost where the other talks. The
audio is QA's, rebuilt sample for sample (tests/e2e/test_mono_turns.py ``recording``: /work/qa/s5/genE.py),
transcribed by the real tiny.en."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Label

from fieldvault import transcript_versions as versions
from fieldvault import wavstream
from fieldvault.agefile import AgeWriter
from fieldvault.events import Event, EventJournal, SessionEvents
from fieldvault.layout import AUDIO, TRANSCRIPT
from fieldvault.study import Study
from fieldvault.transcribe.backend import Backend, Options, load_backend
from fieldvault.transcribe.models import resolve
from fieldvault.transcribe.pipeline import transcribe_stereo
from fieldvault.transcript import INTERVIEWER as INTERVIEWER_LABEL
from fieldvault.transcript import PARTICIPANT as PARTICIPANT_LABEL
from fieldvault.transcript import SPEAKER_DOUBTFUL, Marker, Transcript
from fieldvault.tui.app import make_app
from fieldvault.tui.screens.transcription import TranscriptionScreen
from tests.conftest import PASSPHRASE, need
from tests.e2e.test_cli import fv
from tests.e2e.test_mono_turns import INTERVIEWER, PARTICIPANT, SHELTER, _wrong_speaker, recording
from tests.tui.conftest import messages, unlock, until
from tests.tui.test_editor import open_editor

pytestmark = pytest.mark.slow

ASKED = ("Thanks for", "Last time", "Where did", "Did you feel", "So what")  # QA C11's five prompt markers
ANSWERED = ("I went back", "Because he")  # two markers pressed in her answers


@pytest.fixture(scope="module")
def backend() -> Backend:
    need("espeak-ng")
    return load_backend("faster-whisper", resolve("tiny.en"))


def _swapped() -> tuple[np.ndarray, np.ndarray, list[tuple[float, float, int, str]]]:
    """QA's E_swap.wav: E_st12 (-12 dB bleed) with the interviewer's microphone on the right channel."""
    (interviewer, participant), reference = recording(SHELTER, (INTERVIEWER, PARTICIPANT), seed=22, bleed_db=-12)
    return participant, interviewer, reference


def _at(reference: list[tuple[float, float, int, str]], beginnings: tuple[str, ...]) -> list[float]:
    return [start for start, _, _, text in reference if text.startswith(beginnings)]


def test_the_interviewer_asking_over_her_last_words_still_names_the_channels(backend: Backend) -> None:
    """QA C11: the channels swapped, a marker at the start of each of five questions; two questions begin
    0.5 and 0.8 s before she finishes, so only three markers had the interviewer alone talking at them, under
    two thirds: the left channel was taken as the interviewer's and every word of the interview swapped."""
    left, right, reference = _swapped()
    markers = [Marker(at, "prompt", text) for at, text in zip(_at(reference, ASKED), ASKED, strict=True)]
    segments, named = transcribe_stereo(left, right, backend, Options(), markers=markers)
    wrong, matched = _wrong_speaker(segments, reference)
    assert matched > 110 and len(wrong) <= 1, wrong  # before: every word swapped
    assert named.why.startswith("the interviewer's channel is the right (5 of 5")
    assert not any(SPEAKER_DOUBTFUL in s.flags for s in segments)


def test_markers_against_the_channel_taken_are_said_and_flagged(study: Study) -> None:
    """QA C11, expected: where the prompt markers do not agree (here three at questions, two in answers, the
    cables swapped), the left channel is taken as the interviewer's, but never silently: every segment is
    flagged speaker-doubtful and `transcribe` says why, naming the markers."""
    need("espeak-ng")
    left, right, reference = _swapped()
    folder = study.root / "participants" / "Mia" / "20261125-100100"
    folder.mkdir(parents=True)
    pcm = np.round(np.clip(np.stack([left, right], axis=1), -1, 1) * 32767).astype(np.int16)
    with (folder / AUDIO).open("wb") as out:
        writer = AgeWriter(out, study.recipients())
        writer.write(wavstream.header(wavstream.WavFormat(16000, 2)))
        writer.write(pcm.tobytes())
        writer.finish()
    journal = EventJournal(study, folder, SessionEvents("Mia", folder.name, {"rate": 16000}))
    for n, at in enumerate(sorted(_at(reference, ASKED[:3] + ANSWERED))):
        journal.add(Event(at + 0.1, "prompt", f"Question {n + 1}", n))
    journal.close({})
    done = fv("transcribe", str(study.root))
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if "speaker-doubtful" in line]
    assert "prompt markers do not agree" in line and "3 of 5" in line and "right channel" in line, line
    shown = fv("decrypt", str(study.root), f"participants/Mia/{folder.name}/{TRANSCRIPT}", "--out", "-")
    assert shown.returncode == 0, shown.stderr
    spoken = [s for s in Transcript.from_json(shown.stdout.encode()).segments if s.words]
    assert spoken and all(SPEAKER_DOUBTFUL in s.flags for s in spoken)


@pytest.mark.parametrize(("bleed_db", "seed"), [(-12, 22), (-6, 23)])  # QA's E_st12.wav and E_st6.wav
def test_her_words_beside_the_interviewer_s_are_all_written(backend: Backend, bleed_db: int, seed: int) -> None:
    """QA C10: her first sentence after a question ("I went back to work at the diner for a while.", 12.8-15 s)
    was lost at -12 and -6 dB bleed (its clip began right at her first word, cut there at the change of
    channel: Whisper heard "I'm Mike Wintmark and welcome to the vignoff" and it was dropped as not speech),
    and at -6 dB her words under the interviewer's "Mm-hm" (18.3-19.3 s) were [inaudible 00:00:19]."""
    (left, right), reference = recording(SHELTER, (INTERVIEWER, PARTICIPANT), seed=seed, bleed_db=bleed_db)
    segments, _ = transcribe_stereo(left, right, backend, Options())
    hers = [(w.text.strip(" ,.").lower(), w.start) for s in segments if s.speaker == "Participant" for w in s.words]
    first = [word for word, at in hers if 12.8 <= at < 15.0]  # before: "I" at most
    assert len(first) >= 6 and "back" in first, hers
    assert len([at for _, at in hers if 18.3 <= at < 21.0]) >= 5, hers  # (an [inaudible] beside them may vary by run)
    wrong, matched = _wrong_speaker(segments, reference)
    assert matched > 110 and wrong == [], wrong


# QA K11: an interview whose participant talks most, her lapel microphone plugged in on the left.
TOLD: list[tuple[int | str | float, ...]] = [
    (0, "Tell me how you came here.", 0),
    (1, "My sister found the number of the shelter on a card at the clinic. One night, when he was away at work, I "
     "packed a bag for me and the children and took the last bus into town.", 0.6),
    (0, "What happened then?", 0.6),
    (1, "The staff gave us a room with two beds. For the first weeks I hardly slept, because every car that stopped "
     "outside sounded like his, but the children went back to school and slowly we made a life there.", 0.6),
    (0, "And now?", 0.6),
    (1, "Now I work at the bakery in the mornings, and in the afternoons I study to become a nurse.", 0.6),
]  # fmt: skip


def _store_stereo(study: Study, left: np.ndarray, right: np.ndarray, session: str = "20261125-100100") -> Path:
    """A two-channel recording of Mia's with a sealed timeline holding no prompt markers (an imported file's)."""
    folder = study.root / "participants" / "Mia" / session
    folder.mkdir(parents=True)
    pcm = np.round(np.clip(np.stack([left, right], axis=1), -1, 1) * 32767).astype(np.int16)
    with (folder / AUDIO).open("wb") as out:
        writer = AgeWriter(out, study.recipients())
        writer.write(wavstream.header(wavstream.WavFormat(16000, 2)))
        writer.write(pcm.tobytes())
        writer.finish()
    EventJournal(study, folder, SessionEvents("Mia", folder.name, {"rate": 16000})).close({})
    return folder


async def test_a_pair_plugged_in_swapped_is_named_by_who_talks_more_said_and_swapped_back_in_the_editor(
    study: Study,
) -> None:
    """QA K11: the participant's microphone on the left, no prompt markers, she talks five times as long: every
    label was swapped without a word. Now her channel is the Participant's, `transcribe` and `transcript` say the
    roles were decided by who talked more, the editor shows that line, and alt+s swaps the two roles for the whole
    session (a saved version carries the swap and no longer the note). The TUI's queue says it too."""
    need("espeak-ng")
    (interviewer, participant), reference = recording(TOLD, (INTERVIEWER, PARTICIPANT), seed=31, bleed_db=-14)
    folder = _store_stereo(study, participant, interviewer)
    queued = _store_stereo(study, participant, interviewer, "20261125-110000")
    done = fv("transcribe", str(study.root), "Mia", folder.name)
    assert done.returncode == 0, done.stderr
    (said,) = [line for line in done.stdout.splitlines() if "who talked more" in line]
    assert said.startswith(f"Mia/{folder.name}: the roles were decided by who talked more (no prompt markers)"), said
    assert "the left channel's speaker talks" in said and "swap the roles in the editor (alt+s)" in said, said
    identities = study.unlock(PASSPHRASE.encode())
    transcript = versions.load(study, "Mia", folder.name, identities)
    wrong, matched = _wrong_speaker(list(transcript.segments), reference)
    assert matched > 80 and len(wrong) <= 1, wrong  # before: every word swapped
    shown = fv("transcript", str(study.root), "Mia", folder.name)
    assert shown.returncode == 0 and "note: the roles were decided by who talked more" in shown.stderr, shown.stderr

    app = make_app(study)
    async with app.run_test(size=(200, 30)) as pilot:  # the other session, through the TUI's queue
        await unlock(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TranscriptionScreen))
        await pilot.press("ctrl+t")
        state = app.screen.query_one("#state-0", Label)
        await until(pilot, lambda: str(state.render()).startswith("done"), seconds=180)
        assert "roles decided by who talked more: check them in the editor" in str(state.render())
    assert versions.roles_note(versions.load(study, "Mia", queued.name, identities)) is not None

    app = make_app(study)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot)
        assert screen.session == folder.name
        note = str(screen.query_one("#roles-note", Label).render())
        assert note.startswith("The roles were decided by who talked more"), note
        before = [s.speaker for s in screen.draft.segments]
        assert before[0] == INTERVIEWER_LABEL and PARTICIPANT_LABEL in before
        await pilot.press("alt+s")
        swapped: dict[str | None, str | None] = {
            INTERVIEWER_LABEL: PARTICIPANT_LABEL,
            PARTICIPANT_LABEL: INTERVIEWER_LABEL,
        }
        assert [s.speaker for s in screen.draft.segments] == [swapped.get(s, s) for s in before]
        assert not screen.query("#roles-note")  # swapped: the line has done its work
        assert any("swapped in every segment" in m for m in messages(app))
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.dirty
    saved = versions.load(study, "Mia", folder.name, identities)
    assert [s.speaker for s in saved.segments] == [swapped.get(s, s) for s in before]
    assert versions.roles_note(saved) is None and versions.roles_note(transcript) is not None
    shown = fv("transcript", str(study.root), "Mia", folder.name)
    assert shown.returncode == 0 and "who talked more" not in shown.stderr, shown.stderr
