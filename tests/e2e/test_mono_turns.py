"""Mono interviews by two voices close to each other (QA C9, C12, C13, B18, B22): every stretch of audio is
written once, and each word goes to the one who said it. The audio is QA's, rebuilt here sample for sample
(espeak-ng, /work/qa/s5/genE.py and mk.py): lines placed after or over the one before, back-channels inside
it, room noise, 16-bit samples."""

from __future__ import annotations

import difflib
from dataclasses import replace

import numpy as np
import pytest

from fieldvault.transcribe.backend import Backend, Options, load_backend
from fieldvault.transcribe.models import resolve
from fieldvault.transcript import INTERVIEWER as INTERVIEWER_LABEL
from fieldvault.transcript import PARTICIPANT as PARTICIPANT_LABEL
from fieldvault.transcript import SPEAKER_DOUBTFUL, Marker, Segment
from tests.conftest import need
from tests.conversation import RATE, plain, speak

pytestmark = pytest.mark.slow

INTERVIEWER = ["-v", "en-us+f2", "-p", "65", "-s", "160"]
PARTICIPANT = ["-v", "en-gb-scotland", "-p", "35", "-s", "165"]
ALIKE = ["-v", "en-us+f4", "-p", "58", "-s", "160"]  # close to the interviewer: two American women
BACK = "back-channel"
SHELTER: list[tuple[int | str | float, ...]] = [  # (speaker, text, seconds after the line before: < 0 over it)
    (0, "Thanks for meeting me again. Before we start, are you still okay with the recording?", 0),
    (1, "Yes, that's fine.", 0.5),
    (0, "Last time you told me about the shelter. What happened after you left it?", 0.6),
    (1, "I went back to work at the diner for a while. I kept my head down and saved what I could, but the money "
     "was never enough, and I was scared every time the door opened because I thought it would be him.", 0.6),
    (BACK, 0, "Mm-hm.", 0.5),  # (BACK, speaker, text, how far into the line before it starts)
    (0, "Where did you go?", -0.5),
    (1, "To my aunt's house.", 0.4),
    (0, "Okay.", 0.4),
    (1, "She didn't ask any questions, she just made up the couch for me.", 0.4),
    (0, "Did you feel safe there?", 0.6),
    (1, "No.", 0.4),
    (0, "Why not?", 0.5),
    (1, "Because he knew where she lived. He had been there before, at Thanksgiving, and he was polite to "
     "everybody.", 0.5),
    (0, "So what did you do next?", -0.8),
    (1, "I called the hotline number from the card.", -0.3),
    (0, "And they came?", 0.5),
    (1, "They came the same night.", 0.4),
]  # fmt: skip


def recording(
    script: list[tuple[int | str | float, ...]], voices: tuple[list[str], ...], seed: int, bleed_db: float | None = None
) -> tuple[np.ndarray, list[tuple[float, float, int, str]]]:
    """The mono recording of ``script`` and its reference (start, end, speaker, text), as QA's mk.py builds it;
    with ``bleed_db``, two channels (2, samples), each speaker's microphone hearing the other that much lower."""
    placed: list[tuple[int, int, np.ndarray]] = []
    reference: list[tuple[float, float, int, str]] = []
    cursor = 0
    for line in script:
        if line[0] == BACK:
            _, speaker, text, into = line
            speech = speak(str(text), voices[int(speaker)])
            start_s, end_s = next((a, b) for a, b, _, t in reversed(reference) if not t.startswith("("))
            start = int((start_s + (end_s - start_s) * float(into)) * RATE)
            reference.append((start / RATE, (start + len(speech)) / RATE, int(speaker), f"({text})"))
        else:
            speaker, text, gap = line
            speech = speak(str(text), voices[int(speaker)])
            start = max(0, cursor + int(float(gap) * RATE))
            reference.append((start / RATE, (start + len(speech)) / RATE, int(speaker), str(text)))
            cursor = start + len(speech)
        placed.append((start, int(speaker), speech))
    own = np.zeros((max(2, len(voices)), max(start + len(speech) for start, _, speech in placed) + RATE), np.float32)
    for start, speaker, speech in placed:
        own[speaker, start : start + len(speech)] += speech * 0.6
    gain = 10 ** (bleed_db / 20) if bleed_db is not None else None
    mixed = own.sum(axis=0) if gain is None else np.stack([own[0] + gain * own[1], own[1] + gain * own[0]])
    noisy = mixed + np.random.default_rng(seed).normal(0, 0.002, mixed.shape).astype(np.float32)
    pcm = (np.clip(noisy, -1, 1) * 32767).astype(np.int16)
    return pcm.astype(np.float32) / 32768, reference


@pytest.fixture(scope="module")
def backend() -> Backend:
    need("espeak-ng")
    return load_backend("faster-whisper", resolve("tiny.en"))


def _written_twice(segments: list[Segment]) -> list[str]:
    """Pairs of words in the transcript that stand for the same audio: sharing over half the longer's time."""
    words = sorted((w for s in segments for w in s.words), key=lambda w: (w.start, w.end))
    return [
        f"{a.text.strip()!r} {a.start:.2f}-{a.end:.2f} and {b.text.strip()!r} {b.start:.2f}-{b.end:.2f}"
        for i, a in enumerate(words)
        for b in words[i + 1 : i + 8]
        if min(a.end, b.end) - max(a.start, b.start) > 0.5 * max(a.end - a.start, b.end - b.start)
    ]


def test_a_stretch_decoded_twice_is_written_once(backend: Backend) -> None:
    """QA C9: with two alike voices Whisper's batched decode wrote only "Okay." for 13-28.8 s, aligned at
    20.7 s; the speech around it was retried in two parts, then the whole clip decoded again as a loop
    suspect, and both were kept: "I went back to work ..." twice from 13.03 s, "Okay." twice at 28 s."""
    from fieldvault.transcribe.pipeline import transcribe_mono

    audio, reference = recording(SHELTER, (INTERVIEWER, ALIKE), seed=24)
    segments = transcribe_mono(audio, backend, Options())
    assert _written_twice(segments) == []
    starts = [s.start for s in segments if s.words]
    assert len(starts) == len(set(starts))
    heard = " ".join(s.text for s in segments).lower()
    assert heard.count("went back to work") == 1 and heard.count("okay") <= 2
    assert all(any(a - 1.0 <= s.start <= b + 0.5 for a, b, _, _ in reference) for s in segments if s.words)


def _wrong_speaker(segments: list[Segment], reference: list[tuple[float, float, int, str]]) -> tuple[list[str], int]:
    """Words of the transcript matched, in order, to the script's lines (back-channels left out), that went to
    another speaker than the one who said them; and how many matched."""
    said = [(plain(w), who) for _, _, who, text in sorted(reference) if not text.startswith("(") for w in text.split()]
    heard = [(w.text, w.start, s.speaker) for s in segments for w in s.words]
    matcher = difflib.SequenceMatcher(None, [w for w, _ in said], [plain(w) for w, _, _ in heard], autojunk=False)
    wrong, matched = [], 0
    for block in matcher.get_matching_blocks():
        matched += block.size
        for k in range(block.size):
            text, start, speaker = heard[block.b + k]
            if speaker != (INTERVIEWER_LABEL, PARTICIPANT_LABEL)[said[block.a + k][1]]:
                wrong.append(f"{text.strip()!r} at {start:.2f} s went to {speaker}")
    return wrong, matched


def test_a_short_turn_between_pauses_and_a_question_s_last_words_keep_their_speaker(backend: Backend) -> None:
    """QA C13: the interviewer's "Okay." (26.30-26.94 s, 0.4 s pauses either side), aligned by Whisper into
    the pause after it, went to the participant; "do next?", the end of a question she answered over, and
    "would be.", the end of her sentence the next question began over, went to the other speaker."""
    from fieldvault.transcribe.pipeline import Diarization, transcribe_mono

    audio, reference = recording(SHELTER, (INTERVIEWER, PARTICIPANT), seed=21)
    markers = [Marker(at, "prompt", f"Question {n}") for n, at in enumerate((0.0, 7.62, 23.33, 31.76, 41.22), 1)]
    # Beam 5, as when the case was written: the words checked below are tiny.en's reading of crosstalk at that
    # beam ("would be."; beam 4 reads "would leave me."); the test is about whose they are, not what they say.
    options = Options(beam_size=5)
    segments = transcribe_mono(audio, backend, options, diarization=Diarization(), markers=markers)
    okay = [s for s in segments if 26.0 <= s.start <= 27.3 and "okay" in s.text.lower()]
    assert okay and all(s.speaker == INTERVIEWER_LABEL for s in okay)
    words = [(plain(w.text), w.start, s.speaker) for s in segments for w in s.words]
    assert [who for word, at, who in words if word == "next" and 41.0 < at < 43.0] == [INTERVIEWER_LABEL]
    assert [who for word, at, who in words if word == "be" and 23.0 < at < 24.0] == [PARTICIPANT_LABEL]
    wrong, matched = _wrong_speaker(segments, reference)
    # Whisper writes "Where did you go?" and "To my aunt's house." as one sentence, its "to" begun in the
    # pause between them: kept with the question as the last word of its sentence (B18's rule)
    assert matched > 120 and len(wrong) <= 1, wrong


def _quiet_interviewer(db: float) -> tuple[np.ndarray, list[tuple[float, float, int, str]]]:
    """QA's E_quietI.wav at -14 dB: a recorder on the table by the participant, the interviewer quieter."""
    (interviewer, participant), reference = recording(SHELTER, (INTERVIEWER, PARTICIPANT), seed=41, bleed_db=-80)
    pcm = (interviewer * 32768 * np.float32(10 ** (db / 20)) + participant * 32768).clip(-32767, 32767)
    return pcm.astype(np.int16).astype(np.float32) / 32768, reference


def test_a_quiet_interviewer_s_short_turn_is_written(backend: Backend) -> None:
    """QA C24 (/work/qa/s5/genQ.py): the interviewer 14 dB quieter. Diarization found her "Okay." (26.3-26.9 s,
    alone between two pauses) but Whisper wrote only the louder voice around it: the turn vanished. A
    stretch diarized with none of its speaker's words is decoded on its own, at a speaking level."""
    from fieldvault.transcribe.pipeline import Diarization, transcribe_mono

    audio, reference = _quiet_interviewer(-14)
    markers = [Marker(at, "prompt", f"Question {n}") for n, at in enumerate((0.0, 7.62, 23.33, 31.76, 41.22), 1)]
    segments = transcribe_mono(audio, backend, Options(), diarization=Diarization(), markers=markers)
    okay = [s for s in segments if 25.9 <= s.start <= 27.3 and "okay" in s.text.lower()]
    assert okay and all(s.speaker == INTERVIEWER_LABEL for s in okay)
    wrong, matched = _wrong_speaker(segments, reference)
    assert matched > 110 and len(wrong) <= 2, wrong
    assert _written_twice(segments) == []


def test_a_question_said_under_her_speech_is_the_interviewer_s_crosstalk_turn(backend: Backend) -> None:
    """QA C24's rest: "So what did you do next?" (41.22-42.87 s), said wholly under her speech 14 dB quieter,
    changes no speaker for the embedding diarizer, so it was never a turn nor marked. The overlap model hears two
    voices there: a turn of the interviewer inside hers, marked overlap; in the transcript an Interviewer segment
    marked [crosstalk] there (a decode of the mix hears only her, so it says where the question is: [inaudible])
    and her words over it marked [crosstalk] too. Her words stay hers."""
    from fieldvault.transcribe.diarization import diarize
    from fieldvault.transcribe.pipeline import Diarization, transcribe_mono
    from fieldvault.transcript import CROSSTALK

    audio, reference = _quiet_interviewer(-14)
    turns = diarize(audio, RATE)
    asked = [t for t in turns if t.overlap and t.start < 42.87 and t.end > 41.22]
    assert len(asked) == 1 and asked[0].end - asked[0].start > 0.8
    (hers,) = [t for t in turns if not t.overlap and t.start < asked[0].start and t.end > asked[0].end]
    assert hers.speaker != asked[0].speaker
    markers = [Marker(at, "prompt", f"Question {n}") for n, at in enumerate((0.0, 7.62, 23.33, 31.76, 41.22), 1)]
    segments = transcribe_mono(audio, backend, Options(), diarization=Diarization(), markers=markers)
    question = [s for s in segments if s.speaker == INTERVIEWER_LABEL and s.start < 42.87 and s.end > 41.22]
    assert len(question) == 1 and CROSSTALK in question[0].flags and question[0].text.startswith("[crosstalk]")
    over = [s for s in segments if s.speaker == PARTICIPANT_LABEL and s.words and s.start < 42.0 and s.end > 41.5]
    assert over and all(CROSSTALK in s.flags for s in over)
    wrong, matched = _wrong_speaker(segments, reference)
    assert matched > 110 and len(wrong) <= 2, wrong
    assert _written_twice(segments) == []


@pytest.mark.parametrize("db", [-14, -20, -26])
def test_no_diarized_stretch_of_talk_is_left_without_words_or_a_mark(backend: Backend, db: int) -> None:
    """QA C24, expected: speech quieter than the other voice is transcribed, or marked [inaudible hh:mm:ss];
    never lost silently. Every stretch of one speaker's talk that diarization found (0.4 s or more) holds
    a word of that speaker, or an [inaudible] mark (at -26 dB Whisper loses the thread on the quiet voice)."""
    from fieldvault.transcribe.diarization import diarize
    from fieldvault.transcribe.pipeline import LATE, UNHEARD, Diarization, transcribe_mono
    from fieldvault.transcribe.speakers import stretches

    audio, _ = _quiet_interviewer(db)
    segments = transcribe_mono(audio, backend, Options(), diarization=Diarization())
    names = [f"Speaker {n}" for n in (1, 2, 3)]
    unwritten = [
        (start, end, names[who])
        for start, end, who in stretches(diarize(audio, RATE))
        if end - start >= UNHEARD
        and not any(
            s.speaker == names[who] and a < end + LATE and b > start
            for s in segments
            for a, b in ([(w.start, w.end) for w in s.words] or ([(s.start, s.end)] if "[inaudible" in s.text else []))
        )
    ]
    assert unwritten == []


# QA D9 (/work/qa/s6/genS6.py, hoa.wav): the interviewer asks three short questions, 3 s of 37
ASKS = ["-v", "en-us+f2", "-p", "65", "-s", "160"]
TELLS = ["-v", "en-us+f4", "-p", "40", "-s", "160"]
HOA: list[tuple[int | str | float, ...]] = [
    (0, "Where are you from?", 0),
    (1, "I came from Vinh Long. My real name is Nguyen Thi Hoa, but in the spa they called me Lily. The spa was "
     "called Golden Lotus, on Bellaire Boulevard in Houston.", 0.6),
    (0, "Who ran it?", 0.5),
    (1, "We called her Auntie Kim. Her husband was Mister Tran. When Dung hit me with the hair dryer, Xiaomei held "
     "my hand. Oksana from Chisinau was there too.", 0.6),
    (0, "How did you get out?", 0.5),
    (1, "A pastor in Alief helped me. My A number is A two one three, four five six, seven eight nine. My daughter "
     "Bao Ngoc goes to Hastings Elementary now.", 0.6),
]  # fmt: skip


def test_two_distinct_voices_one_asking_little_are_found_as_two() -> None:
    """QA D9's hoa.wav: the automatic count found one speaker for two distinct voices (the interviewer's three
    questions, 6 of 60 windows, too few for the eigen-gap) and flagged every segment. A split in two taking turns
    at pauses, its voices far apart (cosine 0.63; alike voices 0.76-0.83 stay one, flagged), is two speakers."""
    need("espeak-ng")
    from fieldvault.transcribe.diarization import diarize
    from fieldvault.transcribe.diarization.scoring import diarization_error_rate
    from fieldvault.transcribe.speakers import UNSURE

    audio, reference = recording(HOA, (ASKS, TELLS), seed=21)
    turns = diarize(audio, RATE)
    assert len({t.speaker for t in turns}) == 2
    said = [(a, b, who) for a, b, who, _ in reference]
    score = diarization_error_rate(said, [(t.start, t.end, t.speaker) for t in turns])
    assert score.der < 0.05  # before: 0.10, all one speaker
    asked = [t for t in turns if any(a - 0.3 <= t.start and t.end <= b + 0.3 for a, b, who, _ in reference if who == 0)]
    assert len(asked) == 3 and len({t.speaker for t in asked}) == 1 and all(t.confidence >= UNSURE for t in asked)


INTERPRETER = ["-v", "en-us+m3", "-p", "30", "-s", "150"]  # a man's low voice, near the participant's
THREE: list[tuple[int | str | float, ...]] = [
    (0, "Thank you both for coming. Can you tell her that she can stop at any time?", 0),
    (2, "She says she understands, and she is ready.", 0.6),
    (1, "Yes, I am ready.", 0.4),
    (0, "Where were you living when this started?", 0.6),
    (1, "In a small flat above a shop, with two other girls from my village.", 0.5),
    (2, "She means the girls came from the same village as her.", 0.5),
    (0, "I see. Who paid the rent?", 0.5),
    (1, "Nobody paid. The man who brought us said the flat was his.", 0.4),
    (0, "Thank you.", 0.4),
    (2, "Should I tell her about the break?", 0.5),
    (0, "Yes, please.", 0.3),
]


def test_an_interpreter_merged_into_the_participant_is_flagged_doubtful() -> None:
    """QA C12 (/work/qa/s5/gen3v.py): the automatic count finds two speakers in an interview with an
    interpreter, the interpreter's lines quoted as the participant's with nothing flagged. The speaker
    holding both voices is doubtful wherever it talks; two voices alone are not flagged."""
    need("espeak-ng")
    from fieldvault.transcribe.diarization import diarize
    from fieldvault.transcribe.speakers import UNSURE

    audio, reference = recording(THREE, (INTERVIEWER, PARTICIPANT, INTERPRETER), seed=31)
    turns = diarize(audio, RATE)
    interpreted = [(a, b) for a, b, who, _ in reference if who == 2]
    for start, end in interpreted:
        spoken = [t for t in turns if min(t.end, end) - max(t.start, start) > 0.5 * (end - start)]
        assert spoken and all(t.confidence < UNSURE for t in spoken), (start, spoken)
    two, _ = recording(SHELTER, (INTERVIEWER, PARTICIPANT), seed=21)
    assert all(t.confidence >= UNSURE for t in diarize(two, RATE) if t.end - t.start > 1.0)


def test_a_question_cut_in_two_with_no_pause_stays_one_speaker(backend: Backend) -> None:
    """QA C12 with `--speakers 3`: the interpreter's "Should I tell her about the break?" (0.5 s of silence
    before it) came out as "Participant: [crosstalk] Should I tell" / "Speaker 2: [crosstalk] her ...": a change
    of speaker in the middle of a sentence, its first words in a turn the diarization doubted. The sentence
    goes to the sure speaker, and stays flagged speaker-doubtful."""
    from fieldvault.transcribe.pipeline import Diarization, transcribe_mono

    audio, _ = recording(THREE, (INTERVIEWER, PARTICIPANT, INTERPRETER), seed=31)
    segments = transcribe_mono(audio, backend, Options(), diarization=Diarization(3))
    last = [(plain(w.text), s.speaker, s.flags) for s in segments for w in s.words if 27.5 <= w.start < 29.9]
    assert len(last) >= 5 and len({who for _, who, _ in last}) == 1, last
    assert all(SPEAKER_DOUBTFUL in flags for _, _, flags in last)
    said = [s.speaker for s in segments if "she understands" in s.text]  # the interpreter, as her other lines
    assert said == [last[0][1]]


@pytest.mark.parametrize(
    ("voices", "seed"), [((ASKS, TELLS), 21), ((ASKS, TELLS), 5), ((ASKS, PARTICIPANT), 21), ((ALIKE, TELLS), 21)]
)
def test_her_answer_with_nobody_over_it_is_hers_alone_with_no_crosstalk(
    backend: Backend, voices: tuple[list[str], list[str]], seed: int
) -> None:
    """QA F1 (E2 again), hoa.wav (seed 21) with `--speakers 2`, and other noise and voices: the diarizer changed
    speaker with no pause at 29.59 s inside her last answer, 0.69 s of "the interviewer" (silent since 25.76 s),
    so her A-number came out as `[crosstalk]` and a false `Speaker 1: [crosstalk] 3,` was written from that stretch.
    The overlap model hears one voice there: her answer is one speaker's, nobody talks over anybody."""
    from fieldvault.transcribe.diarization import diarize
    from fieldvault.transcribe.pipeline import Diarization, transcribe_mono

    audio, reference = recording(HOA, voices, seed=seed)
    start, end = reference[-1][:2]
    turns = [t for t in diarize(audio, RATE, 2) if t.end > start - 0.1 and t.start < end + 0.1]
    assert len({t.speaker for t in turns}) == 1 and not any(t.overlap for t in turns), turns
    if seed == 21 and voices[1] is TELLS:  # QA's file: through the transcription too
        segments = transcribe_mono(audio, backend, Options(), diarization=Diarization(2))
        answer = [s for s in segments if s.words and s.end > start]
        assert len({s.speaker for s in answer}) == 1 and not any("crosstalk" in s.flags for s in answer), answer


# QA F12 (/work/qa/s8/gen8.py, gen8c.py): two American women's voices, his short questions and her long answers, a
# "Mm-hm" inside her first answer and his "Did you" over her last words (q8m.wav, seed 83; q8m_dy.wav, seed 86)
MET: list[tuple[int | str | float, ...]] = [
    (0, "Can you tell me how you first met him?", 0),
    (1, "I was sixteen and working at a car wash. He came every Saturday and he always tipped me twenty dollars.", 0.6),
    (BACK, 0, "Mm-hm.", 0.5),
    (0, "And then?", 0.5),
    (1, "Then he asked me to move in with him. My mother had kicked me out, so I said yes.", 0.6),
    (0, "Did you", -0.4),
    (1, "It was fine for two months. After that he took my phone and my ID, and he said I owed him rent.", 0.3),
    (0, "How much did he say you owed?", 0.5),
    (1, "Four thousand dollars.", 0.6),
    (0, "Okay.", 0.4),
    (1, "I never saw a bill. I never saw anything.", 0.5),
]  # fmt: skip
MET_VOICES = (["-v", "en-us+f2", "-p", "65", "-s", "160"], ["-v", "en-us+f4", "-p", "40", "-s", "155"])


@pytest.mark.parametrize(("back_channel", "seed"), [(True, 83), (False, 86)])
def test_a_short_overlap_leaves_every_later_turn_with_its_own_voice(
    backend: Backend, back_channel: bool, seed: int
) -> None:
    """QA F12: with `--speakers 2` a 0.6 s interruption over her last words swapped the speakers for the rest of the
    interview, and a 1 s "Mm-hm" gave her words to the interviewer (DER 41 % and 44 %; the same audio without the
    overlaps 0.2 %). Spectral clustering had cut her voice in two, his few windows joined to one half; the clustering
    whose speakers are best apart and change least in the middle of speech is taken now."""
    from fieldvault.transcribe.diarization import diarize
    from fieldvault.transcribe.diarization.scoring import diarization_error_rate
    from fieldvault.transcribe.pipeline import Diarization, transcribe_mono

    audio, reference = recording([line for line in MET if back_channel or line[0] != BACK], MET_VOICES, seed=seed)
    said = [(a, b, who) for a, b, who, _ in reference]
    turns = diarize(audio, RATE, 2)
    assert diarization_error_rate(said, [(t.start, t.end, t.speaker) for t in turns]).der < 0.05  # was 0.41 / 0.44
    asked = [Marker(a, "prompt", text) for a, _, who, text in reference if who == 0 and text.endswith("?")]
    segments = transcribe_mono(audio, backend, Options(), diarization=Diarization(2), markers=asked)
    wrong, matched = _wrong_speaker(segments, reference)
    assert matched > 60 and len(wrong) <= 2, wrong


# QA G7 (/work/qa/s9/hoa_silent2.wav, rebuilt): a narrative interview where the interviewer says about 2 s in 37 s,
# two short questions between her long answers: one resuming after the recorder lost its input (the lost blocks are
# silence of their length, capture/recorder.py), one short follow-up.
TOLD = [
    "I came from Vinh Long. My real name is Nguyen Thi Hoa, but in the spa they called me Lily. The spa was called "
    "Golden Lotus, on Bellaire Boulevard in Houston.",
    "We called her Auntie Kim. Her husband was Mister Tran. When Dung hit me with the hair dryer, Xiaomei held my "
    "hand. Oksana from Chisinau was there too.",
    "A pastor in Alief helped me. My A number is A two one three, four five six, seven eight nine. My daughter Bao "
    "Ngoc goes to Hastings Elementary now.",
]
LOST = 2.0  # s of input lost before the interviewer resumes
SILENT: list[tuple[int | str | float, ...]] = [
    (1, TOLD[0], 0),
    (0, "Sorry, go on.", LOST + 0.6),
    (1, TOLD[1], 0.6),
    (0, "And then?", 0.5),
    (1, TOLD[2], 0.6),
]


def _says_little(
    voices: tuple[list[str], list[str]], seed: int
) -> tuple[np.ndarray, list[tuple[float, float, int, str]]]:
    """SILENT spoken by ``voices``, the input lost (digital silence) for LOST seconds before the first question."""
    audio, reference = recording(SILENT, voices, seed=seed)
    asked = reference[1][0]
    audio[round((asked - LOST - 0.3) * RATE) : round((asked - 0.3) * RATE)] = 0.0
    return audio, reference


@pytest.mark.parametrize(
    ("voices", "seed"), [((ASKS, TELLS), 21), ((ASKS, TELLS), 9), ((ASKS, PARTICIPANT), 21), ((ALIKE, TELLS), 5),
                         (MET_VOICES, 21), (MET_VOICES, 9)]
)  # fmt: skip
def test_an_interviewer_who_asks_two_short_questions_is_the_second_speaker(
    voices: tuple[list[str], list[str]], seed: int
) -> None:
    """QA G7: with `--speakers 2`, an interviewer's two questions (2 s of 37 s, 3 of 58 windows: too few to be a
    cluster) were given to the participant, and half of her voice became the second speaker (one word of hers, or
    whole sentences). Each question is a stretch of speech of its own, far from the voice of all the rest: his."""
    need("espeak-ng")
    from fieldvault.transcribe.diarization import diarize
    from fieldvault.transcribe.diarization.scoring import diarization_error_rate

    audio, reference = _says_little(voices, seed)
    turns = diarize(audio, RATE, 2)
    said = [(a, b, who) for a, b, who, _ in reference]
    assert diarization_error_rate(said, [(t.start, t.end, t.speaker) for t in turns]).der < 0.03  # before: 5-25 %
    by_line = [
        {t.speaker for t in turns if not t.overlap and t.start < end and t.end > start}
        for start, end, _, _ in reference
    ]
    assert all(len(heard) == 1 for heard in by_line), turns
    asked = set().union(*(heard for heard, (_, _, who, _) in zip(by_line, reference, strict=True) if who == 0))
    answered = set().union(*(heard for heard, (_, _, who, _) in zip(by_line, reference, strict=True) if who == 1))
    assert len(asked) == 1 and asked.isdisjoint(answered), turns


@pytest.mark.parametrize("pressed", [True, False])
def test_the_short_questions_of_an_interviewer_who_says_little_are_the_interviewer_s(
    backend: Backend, pressed: bool
) -> None:
    """QA G7 through the transcription: both questions were written as the participant's, and after F12's fix her
    word "me." was the only "Speaker 2" segment. With the recording screen's prompt markers at the questions they are
    the Interviewer's and all her words the Participant's; without markers, the questions are Speaker 2's alone."""
    from fieldvault.transcribe.pipeline import Diarization, transcribe_mono

    audio, reference = _says_little((ASKS, TELLS), 21)
    markers = [Marker(a + 0.3, "prompt", text) for a, _, who, text in reference if who == 0] if pressed else []
    segments = transcribe_mono(audio, backend, Options(), diarization=Diarization(2), markers=markers)
    names = (INTERVIEWER_LABEL, PARTICIPANT_LABEL) if pressed else ("Speaker 2", "Speaker 1")
    questions = [(plain(w.text), s.speaker) for s in segments for w in s.words
                 if any(a - 0.3 <= w.start < b for a, b, who, _ in reference if who == 0)]  # fmt: skip
    assert {word for word, _ in questions} >= {"go", "on", "then"} and {who for _, who in questions} == {names[0]}
    named: dict[str | None, str | None] = dict(zip(names, (INTERVIEWER_LABEL, PARTICIPANT_LABEL), strict=True))
    wrong, matched = _wrong_speaker([replace(s, speaker=named.get(s.speaker, s.speaker)) for s in segments], reference)
    assert matched > 45 and wrong == [], wrong


@pytest.mark.parametrize(
    ("script", "voices", "seed"),
    [
        (MET, MET_VOICES, 83),
        ([line for line in MET if line[0] != BACK], MET_VOICES, 86),
        (SILENT, (ASKS, TELLS), 21),
        (SILENT, (ALIKE, TELLS), 21),
        (SILENT, (ALIKE, TELLS), 5),
    ],
)
def test_the_automatic_count_finds_an_interviewer_who_talks_little(
    script: list[tuple[int | str | float, ...]], voices: tuple[list[str], list[str]], seed: int
) -> None:
    """`--speakers auto` found one speaker on QA F12's q8m.wav and q8m_dy.wav (DER 24.5 % and 23.2 %) and on G7's
    file: his few windows are no eigen-gap, and a split of the whole in two is not far enough apart to be two voices.
    His stretches of speech, each far from the rest, are: each under cosine 0.7 from her voice
    (clustering.stretches_apart), however alike the two voices' centroids (G7 with two American women: 0.72, one
    speaker before, DER 6.2 %), where no split of the talk in two takes turns at the pauses (QA B22's alike voices)."""
    need("espeak-ng")
    from fieldvault.transcribe.diarization import diarize
    from fieldvault.transcribe.diarization.scoring import diarization_error_rate

    audio, reference = recording(script, voices, seed=seed)
    turns = diarize(audio, RATE)
    assert len({t.speaker for t in turns}) == 2, turns
    said = [(a, b, who) for a, b, who, _ in reference]
    assert diarization_error_rate(said, [(t.start, t.end, t.speaker) for t in turns]).der < 0.03


@pytest.mark.parametrize(
    ("script", "voices", "seed"),
    [(HOA, (ASKS, TELLS), 21), (HOA, (ASKS, TELLS), 5), (SILENT, (ASKS, TELLS), 21), (SILENT, MET_VOICES, 5)],
)
def test_clean_turns_with_nobody_talking_over_anybody_have_no_crosstalk(
    script: list[tuple[int | str | float, ...]], voices: tuple[list[str], list[str]], seed: int
) -> None:
    """QA F1's rest: hoa.wav's first answer came out as "[crosstalk] I came from Vinh Long ..." with an Interviewer
    "[crosstalk] [inaudible]" inside it: the overlap model heard two voices at one phrase of her voice alone (peak
    0.72-0.88; real voices under hers peak 0.94-0.99). Two voices taking turns at pauses: no overlap anywhere."""
    need("espeak-ng")
    from fieldvault.transcribe.diarization import diarize

    audio, _ = recording(script, voices, seed=seed)
    for speakers in (2, None):
        turns = diarize(audio, RATE, speakers)
        assert len({t.speaker for t in turns}) == 2 and not any(t.overlap for t in turns), turns


def test_her_first_answer_with_nobody_over_it_has_no_crosstalk_in_the_transcript(backend: Backend) -> None:
    """QA F1's rest through the transcription (hoa.wav, `--speakers 2`): no segment is marked [crosstalk], and none is
    written for the interviewer inside her answers."""
    from fieldvault.transcribe.pipeline import Diarization, transcribe_mono
    from fieldvault.transcript import CROSSTALK

    audio, reference = recording(HOA, (ASKS, TELLS), seed=21)
    markers = [Marker(a, "prompt", text) for a, _, who, text in reference if who == 0]
    segments = transcribe_mono(audio, backend, Options(), diarization=Diarization(2), markers=markers)
    assert not any(CROSSTALK in s.flags or "[crosstalk]" in s.text for s in segments), segments
    asked = [s for s in segments if s.speaker == INTERVIEWER_LABEL]
    assert all(any(a - 0.5 < s.start and s.end < b + 0.5 for a, b, who, _ in reference if who == 0) for s in asked)
    wrong, matched = _wrong_speaker(segments, reference)
    assert matched > 50 and wrong == [], wrong


@pytest.mark.parametrize(("back_channel", "seed"), [(True, 83), (False, 86)])
def test_a_question_said_over_her_last_words_is_marked_and_never_written_as_hers_alone(
    backend: Backend, back_channel: bool, seed: int
) -> None:
    """QA F22: his "Did you" (0.57 s, begun 0.4 s before her "yes." ends, at her level) was lost on q8m_dy.wav and
    written as her "yes to you." on q8m.wav: a decode there writes one voice's words, whose speaker it cannot say. His
    voice under hers is written `[crosstalk] [inaudible]` for the Interviewer however short, and her words over it are
    flagged speaker-doubtful, so the editor listens there: those words only, not the rest of her line."""
    from fieldvault.transcribe.pipeline import Diarization, transcribe_mono
    from fieldvault.transcript import CROSSTALK

    audio, reference = recording([line for line in MET if back_channel or line[0] != BACK], MET_VOICES, seed=seed)
    (start, end) = next((a, b) for a, b, _, text in reference if text == "Did you")
    asked = [Marker(a, "prompt", text) for a, _, who, text in reference if who == 0 and text.endswith("?")]
    segments = transcribe_mono(audio, backend, Options(), diarization=Diarization(2), markers=asked)
    his = [s for s in segments if s.speaker == INTERVIEWER_LABEL and s.start < end and s.end > start]
    assert his and all(CROSSTALK in s.flags for s in his), his
    over = [s for s in segments if any(w.start < end and w.end > start for w in s.words)]
    hers = [s for s in over if s.speaker == PARTICIPANT_LABEL]
    assert hers and all(SPEAKER_DOUBTFUL in s.flags and CROSSTALK in s.flags for s in hers), hers
    # Only her words there: those of her line said a second or more before his (its first sentence) are not in doubt.
    line = next(a for a, _, who, text in reference if text.startswith("Then he asked"))
    before = [(w.text, s) for s in segments if s.speaker == PARTICIPANT_LABEL for w in s.words
              if line <= w.start and w.end < start - 1.0]  # fmt: skip
    assert len(before) > 5 and not any({SPEAKER_DOUBTFUL, CROSSTALK} & set(s.flags) for _, s in before), before
