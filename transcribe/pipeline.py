"""Transcribe a session: decrypt in memory, find where somebody speaks, decode only those clips (in
batches, each on its own), check every result for loops and guesses, mark doubt, and label speakers
(stereo: the channel speaking; mono: diarization turns), then add the session's markers.

Never writes audio or text to disk; progress is reported per stage, cancellation between batches.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np

from fieldvault import atomicfile, layout, vouching
from fieldvault.agefile import Identity
from fieldvault.audiofile import WHISPER_RATE, load_for_whisper, read_format
from fieldvault.errors import BadInput, FieldvaultError
from fieldvault.events import load_events
from fieldvault.gaps import with_gaps
from fieldvault.layout import AUDIO, TRANSCRIPT
from fieldvault.sessioninfo import MEMBER_CHECK, load_session_info
from fieldvault.study import Study
from fieldvault.transcribe import clips as clip_plan
from fieldvault.transcribe import copies, fidelity
from fieldvault.transcribe.backend import FALLBACK_TEMPERATURES, Backend, Clip, Options, Piece, language_for
from fieldvault.transcribe.models import Model
from fieldvault.transcribe.speakers import (
    LATE,
    ChannelNames,
    Turn,
    assign,
    channel_labels,
    labels,
    off_splices,
    over_voices_under,
    stretches,
    voice_under,
)
from fieldvault.transcribe.stereo import channel_use, split
from fieldvault.transcribe.voice import Region, Stopped, VoiceSettings, regions, speech_probabilities
from fieldvault.transcript import (
    CROSSTALK,
    INAUDIBLE,
    ROLES_NOTE,
    SPEAKER_DOUBTFUL,
    SUSPECT,
    Marker,
    Segment,
    Transcript,
    tag,
)
from fieldvault.withdrawnhere import refuse_withdrawn_here

# The stages, in the order they are reported; each reports 0 as it begins, then its fraction done, or None
# while its length is unknown. A stage with nothing to do is not reported (QA F15: the work after the first
# decode reported nothing, so "transcribing 84% ETA 0:00:08" stood for 3.5 minutes).
FINDING = "finding speech"
TRANSCRIBING = "transcribing"
MISSED = "missed speech"  # the speech a clip's words stopped short of, decoded again (rounds: length unknown)
DOUBTFUL = "decoding again"  # clips that looped or guessed, decoded again at the fallback temperatures
ALIKE = "alike sentences"  # sentences alike to the one beside them, each decoded alone
OVER = "crosstalk"  # stereo: what each speaker said over the other, from their own channel
SPEAKERS = "speakers"
ALONE = "unheard talk"  # diarized talk with none of its speaker's words, decoded on its own
STAGES = (FINDING, TRANSCRIBING, MISSED, DOUBTFUL, ALIKE, OVER, SPEAKERS, ALONE)
CANCELLED = "transcription cancelled; nothing was stored for this session"
RETRIES = 2  # rounds of decoding the speech a clip's words did not reach
UNHEARD = 0.4  # s: a diarized stretch of talk this long with none of its speaker's words is decoded on its own
SAME_WORD = 1.0  # s: a word decoded again with the same text this near one already written is that word
Progress = Callable[[str, float | None], None]  # (stage, fraction of that stage done; None: length unknown)


def _quiet(stage: str, fraction: float | None) -> None:
    """No progress shown."""


class Cancelled(FieldvaultError):
    pass


@dataclass(frozen=True)
class Diarization:
    """Speakers for mono recordings, from transcribe.diarization; ``speakers`` None finds how many."""

    speakers: int | None = None

    def check(self) -> None:
        """Refuse before any work if the speaker model is missing or damaged (it is read only later)."""
        from fieldvault.transcribe.diarization import check_weights

        check_weights()

    def turns(
        self,
        audio: np.ndarray,
        progress: Callable[[float], None],
        cancelled: Callable[[], bool],
        probabilities: np.ndarray | None = None,
    ) -> list[Turn]:
        """Speaker turns; ``probabilities``: the transcription's voice activity, reused rather than recomputed."""
        from fieldvault.transcribe.diarization import DiarizationCancelled, diarize

        try:
            return list(diarize(audio, WHISPER_RATE, self.speakers, progress, cancelled, probabilities))
        except DiarizationCancelled:
            raise Cancelled(CANCELLED) from None


@dataclass(frozen=True)
class Job:
    pseudonym: str
    session: str
    folder: Path


def pending(study: Study, pseudonym: str | None = None, session: str | None = None, force: bool = False) -> list[Job]:
    """Recorded sessions still to transcribe (all of the named ones with ``force``); none of a study that holds a woman
    this computer saw withdraw (``refuse_withdrawn_here``)."""
    refuse_withdrawn_here(study)
    jobs = []
    people = [pseudonym] if pseudonym else study.participant_names()
    for person in people:
        folder = layout.participant(study.root, person)
        if not folder.is_dir():
            raise FieldvaultError(f"no participant {person!r} in this study")
        for session_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
            if session and session_folder.name != session:
                continue
            if (session_folder / AUDIO).is_file() and (force or not (session_folder / TRANSCRIPT).is_file()):
                jobs.append(Job(person, session_folder.name, session_folder))
    held = layout.session(study.root, str(pseudonym), session or "")
    if session and held.is_dir() and not (held / AUDIO).is_file() and (held / TRANSCRIPT).is_file():
        raise FieldvaultError(  # QA J7: retention took the audio after review; the transcript is what is left
            f"{pseudonym}'s session {session} has no recording any more (destroyed under the retention policy, or "
            "lost: `fieldvault audit` says which); its transcript is all there is to work with"
        )
    if session and not (held / AUDIO).is_file():
        raise FieldvaultError(f"no recorded session {session!r} for {pseudonym}; `fieldvault` lists the sessions")
    return jobs


def _cut_at_turns(
    speech: Sequence[Region], turns: Sequence[Turn], probabilities: np.ndarray, skip: Sequence[Turn] = ()
) -> list[Region]:
    """Speech regions split wherever the speaking channel changes, so each clip has one speaker; the parts
    inside a turn of ``skip`` (transcribed otherwise) left out. A part cut at a turn's start begins up to
    VoiceSettings.pad earlier where nobody speaks there, as the regions do: a clip begun right at the speech
    lost its first sentence (QA C10: "I went back to work at the diner for a while." was "I'm Mike Wintmark
    and welcome to the vignoff.", dropped as not speech; 0.25 s earlier it is heard)."""
    edges = sorted({t.start for t in turns} | {t.end for t in turns})
    voice = VoiceSettings()
    quiet = probabilities < voice.threshold
    step = clip_plan.FRAME_SECONDS
    out = []
    for region in speech:
        inner = [e for e in edges if region.start < e < region.end]
        bounds = [region.start, *inner, region.end]
        for a, b in itertools.pairwise(bounds):
            if b - a <= 0.05 or any(t.start <= a and b <= t.end for t in skip):
                continue
            start = a
            while start > max(region.start, a - voice.pad) and quiet[min(len(quiet) - 1, int((start - step) / step))]:
                start = max(region.start, a - voice.pad, start - step)
            out.append(Region(round(start, 3), b))
    return out


def decode_speech(
    audio: np.ndarray,
    probabilities: np.ndarray,
    speech: Sequence[Region],
    backend: Backend,
    options: Options,
    progress: Progress = _quiet,
    cancelled: Callable[[], bool] = lambda: False,
    apart: Sequence[float] = (),
) -> list[tuple[Clip, list[Piece]]]:
    """Every clip of speech with what the backend heard in it, retrying speech a clip stopped short of.
    Quiet clips are decoded raised to a speaking level; ``audio`` itself is not changed. No clip spans a
    moment of ``apart``. Progress: TRANSCRIBING by the seconds of speech decoded (what a batch costs), then
    MISSED, whose rounds are not known in advance."""
    todo = clip_plan.level(audio, clip_plan.plan(speech, probabilities, apart=apart))
    done: list[tuple[Clip, list[Piece]]] = []
    for round_number in range(RETRIES + 1):
        stage = TRANSCRIBING if round_number == 0 else MISSED
        total = sum(clip.end - clip.start for clip in todo)
        decoded = 0.0
        progress(stage, 0.0 if stage == TRANSCRIBING else None)
        retry = []
        for first in range(0, len(todo), options.batch_size):
            if cancelled():
                raise Cancelled(CANCELLED)
            batch = todo[first : first + options.batch_size]
            for clip, pieces in zip(batch, backend.decode(audio, batch, options), strict=True):
                if round_number < RETRIES:
                    pieces, again = clip_plan.missed(clip, pieces, speech)
                    retry += again
                done.append((clip, pieces))
            decoded += sum(clip.end - clip.start for clip in batch)
            progress(stage, min(1.0, decoded / total) if stage == TRANSCRIBING and total else None)
        if not todo:
            progress(stage, 1.0)  # no speech at all
        if not retry:
            break
        todo = retry
    return clip_plan.unrepeated(sorted(done, key=lambda item: item[0].start))


def checked_segments(
    audio: np.ndarray,
    decoded: Sequence[tuple[Clip, list[Piece]]],
    backend: Backend,
    options: Options,
    progress: Progress = _quiet,
) -> list[Segment]:
    """Segments from decoded clips: loops re-decoded (``_unlooped`` if they persist), doubt marked, no guesses, no
    words that only repeat the phrase before them with no time of their own (fidelity.unsaid_repeat).
    A clip decoded again replaces the retries of its parts (QA C9: both were kept, the same words twice), and
    a sentence alike to the one beside it is written only where its audio, decoded alone, says it (QA D9).
    Progress: DOUBTFUL by clips decoded again (each costs several decodes; half a clip when its decode again still
    loops and the loop is decoded alone, so the bar moves between the two), then ALIKE."""

    def suspect(pieces: Sequence[Piece]) -> bool:
        return any(fidelity.suspect(p) for p in pieces if not fidelity.not_speech(p))

    def heard(pieces: Sequence[Piece]) -> bool:
        return any(not fidelity.not_speech(p) and not fidelity.unrecognised(p) for p in pieces)

    clips = [clip for clip, _ in decoded]
    doubtful = [i for i, (_, pieces) in enumerate(decoded) if suspect(pieces)]
    again = [i for i in doubtful if not any(_within(clips, i, j) for j in doubtful)]
    redone: list[tuple[Clip, list[Piece]]] = []
    flagged: set[int] = set()
    looped: list[Segment] = []
    if again:
        progress(DOUBTFUL, 0.0)
    for i, (clip, pieces) in enumerate(decoded):
        if any(_within(clips, i, j) for j in again):
            continue  # its audio is decoded again with the clip it is part of
        if i in again:
            redo = backend.decode_again(audio, clip, options)
            if heard(pieces) and not heard(redo):
                flagged.add(len(redone))  # the decode again lost her words: never [inaudible] over them (QA E2)
            else:
                pieces = redo
                if suspect(pieces):
                    flagged.add(len(redone))
        if len(redone) in flagged:  # only a clip decoded again is flagged: its loop is decoded alone next
            progress(DOUBTFUL, (again.index(i) + 0.5) / len(again))
            pieces, lost = _unlooped(audio, clip, pieces, backend, options)
            looped += lost
        redone.append((clip, pieces))
        if i in again:
            progress(DOUBTFUL, (again.index(i) + 1) / len(again))
    kept, unclear = _no_copies(audio, clip_plan.once(redone), backend, options, partial(progress, ALIKE))
    out: list[Segment] = [*unclear, *looped]
    for k, (_, pieces) in enumerate(kept):
        for whole in pieces:
            if fidelity.not_speech(whole):
                continue
            unsaid = fidelity.unsaid_repeat(whole.words)
            if (piece := clip_plan.keeping(whole, whole.words[: len(whole.words) - unsaid])) is None:
                continue
            if fidelity.unrecognised(piece):
                out.append(fidelity.inaudible(piece))
            else:
                suspect_flags = (SUSPECT,) if k in flagged and fidelity.suspect(piece) else ()
                out += fidelity.segments(piece, suspect_flags, options)
    return sorted(out, key=lambda s: (s.start, s.end))


def _unlooped(
    audio: np.ndarray, clip: Clip, pieces: Sequence[Piece], backend: Backend, options: Options
) -> tuple[list[Piece], list[Segment]]:
    """A clip's pieces, still looping after it was decoded again, with no loop in them (QA F1: "my dog, dog, dog,
    dog, dog, g politics", her "My daughter Bao Ngoc goes to Hastings Elementary now", kept as testimony, flagged):
    the words before a loop stay (flagged as their decode is), the audio from where it begins to the clip's end is
    decoded alone, and a decode of it that is sound replaces the loop and what followed; one that loops or hears
    nothing recognisable makes the loop's stretch ``[inaudible hh:mm:ss]``. Returns the pieces and the
    [inaudible] segments."""
    out: list[Piece] = []
    unclear: list[Segment] = []
    for piece in pieces:
        at = fidelity.loop_start(piece.words)
        if at is None:
            out.append(piece)
            continue
        cut = piece.words[at].start
        if (head := clip_plan.keeping(piece, piece.words[:at])) is not None:
            out.append(head)
        rest = Clip(max(clip.start, cut - VoiceSettings().pad), clip.end)
        heard = [
            p for p in backend.decode(audio, clip_plan.level(audio, [rest]), options)[0]
            if not fidelity.not_speech(p) and not fidelity.unrecognised(p)
        ]  # fmt: skip
        words = tuple(w for p in heard for w in p.words if (w.start + w.end) / 2 >= cut)
        if heard and words and not any(fidelity.suspect(p) for p in heard):
            out += [left for p in heard if (left := clip_plan.keeping(p, tuple(w for w in p.words if w in words)))]
            break  # the rest of the clip is decoded: later pieces of the loop's decode are not wanted
        unclear.append(Segment(cut, max(piece.end, piece.words[-1].end), tag("inaudible", cut), flags=(INAUDIBLE,)))
    return out, unclear


def _no_copies(
    audio: np.ndarray,
    decoded: Sequence[tuple[Clip, list[Piece]]],
    backend: Backend,
    options: Options,
    progress: Callable[[float], None],
) -> tuple[list[tuple[Clip, list[Piece]]], list[Segment]]:
    """The decoded clips with no sentence a copy of the one beside it, and ``[inaudible]`` segments: each sentence
    alike to a neighbour over another stretch is decoded alone there (copies.stretch); a decode that says it again
    keeps it, one that hears something else replaces it, one that hears nothing marks the stretch inaudible (QA
    D9: "How did you get out?" written over her "Oksana from Chisinau was there too." as well as where it was
    asked)."""
    found = copies.sentences(decoded)
    suspects = copies.copied(found)
    if not suspects:
        return list(decoded), []
    spans = [copies.stretch(found, i) for i in suspects]
    solo = _in_batches(audio, clip_plan.level(audio, [Clip(a, b) for a, b in spans]), backend, options, progress)
    others = [s for n, s in enumerate(found) if n not in suspects]
    written = [(w.start, _plain(w.text)) for s in others for w in s.words]
    dropped: list[copies.Sentence] = []
    added: list[tuple[Clip, list[Piece]]] = []
    unclear: list[Segment] = []
    for i, (start, end), pieces in zip(suspects, spans, solo, strict=True):
        heard = [p for p in pieces if not fidelity.not_speech(p) and not fidelity.unrecognised(p)]
        words = [w for p in heard for w in p.words if start <= (w.start + w.end) / 2 < end]
        if copies.heard_again(found[i], words):
            continue
        dropped.append(found[i])
        instead = [_new_words(p, start, end, written) for p in heard]
        added += [(Clip(start, end), [p for p in instead if p.words])] if any(p.words for p in instead) else []
        if not any(p.words for p in instead):
            at = found[i].start
            unclear.append(Segment(at, found[i].end, tag("inaudible", at), flags=(INAUDIBLE,)))
    return [*copies.without(decoded, dropped), *added], unclear


def _in_batches(
    audio: np.ndarray, clips: Sequence[Clip], backend: Backend, options: Options, progress: Callable[[float], None]
) -> list[list[Piece]]:
    """What the backend heard in each clip, decoded ``options.batch_size`` at a time (a batch is as large as
    its caller makes it), with the fraction of clips done after each batch."""
    progress(0.0)
    heard: list[list[Piece]] = []
    for first in range(0, len(clips), options.batch_size):
        heard += backend.decode(audio, clips[first : first + options.batch_size], options)
        progress(len(heard) / len(clips))
    return heard


def _new_words(piece: Piece, start: float, end: float, written: Sequence[tuple[float, str]]) -> Piece:
    """The piece with only its words said between ``start`` and ``end`` and not already written at that moment."""
    words = tuple(
        w
        for w in piece.words
        if start <= (w.start + w.end) / 2 < end
        and not any(abs(at - w.start) < SAME_WORD and text == _plain(w.text) for at, text in written)
    )
    return replace(piece, words=words, text="".join(w.text for w in words).strip())


def _within(clips: Sequence[Clip], inner: int, outer: int) -> bool:
    """Whether clip ``inner`` is part of clip ``outer`` (of two alike, the later is part of the earlier)."""
    if inner == outer or not clip_plan.covers(clips[outer], clips[inner]):
        return False
    return clips[inner] != clips[outer] or outer < inner


def settings_record(
    options: Options,
    voice: VoiceSettings,
    channels: int,
    diarization: Diarization | None,
    backend: Backend,
    channel_use: str | None = None,
    roles_note: str | None = None,
) -> dict[str, object]:
    """Everything that decided this transcript's text, stored with it (the same keys for both backends), and
    ``roles_note``: the line that tells the transcriber the talk time named the roles (QA K11)."""
    by_channel = channels == 2 and not (channel_use or "").startswith("mono")
    return {
        **asdict(options), "channels": channels, "voice_activity": asdict(voice),
        "clip_seconds": clip_plan.MAX_CLIP, "encoder_window": backend.encoder_window,
        "condition_on_previous_text": False, "without_timestamps": True,
        "temperature": 0.0, "fallback_temperatures": list(FALLBACK_TEMPERATURES),
        "compression_ratio_limit": fidelity.COMPRESSION_LIMIT, "logprob_limit": fidelity.LOGPROB_LIMIT,
        "repeat_words": fidelity.REPEAT_WORDS, "unrecognised_below": fidelity.UNRECOGNISED,
        "speakers_from": "channels" if by_channel else "diarization" if diarization else "none",
        "speakers": diarization.speakers if diarization and not by_channel else None,
        **({"channel_use": channel_use} if channel_use else {}),
        **({ROLES_NOTE: roles_note} if roles_note else {}),
    }  # fmt: skip


def _transcribe(
    audio: np.ndarray,
    probabilities: np.ndarray,
    backend: Backend,
    options: Options,
    progress: Progress,
    cancelled: Callable[[], bool],
    turns: Sequence[Turn] = (),
    skip: Sequence[Turn] = (),
) -> list[Segment]:
    voice = VoiceSettings()
    speech = regions(probabilities, len(audio) / WHISPER_RATE, voice)
    if turns:
        speech = _cut_at_turns(speech, [t for t in turns if not t.overlap], probabilities, skip)
    apart = [(t.start + t.end) / 2 for t in skip]  # no clip reaches across a turn transcribed otherwise
    decoded = decode_speech(audio, probabilities, speech, backend, options, progress, cancelled, apart)
    return checked_segments(audio, decoded, backend, options, progress)


def _with_pauses(segments: list[Segment], duration: float, options: Options) -> list[Segment]:
    return sorted([*segments, *fidelity.pauses(segments, duration, options)], key=lambda s: (s.start, s.end))


def transcribe_mono(
    audio: np.ndarray,
    backend: Backend,
    options: Options,
    progress: Progress = lambda stage, fraction: None,
    cancelled: Callable[[], bool] = lambda: False,
    diarization: Diarization | None = None,
    markers: Sequence[Marker] = (),
    probabilities: np.ndarray | None = None,
    splices: Sequence[float] = (),
    talk_decides: bool = True,
) -> list[Segment]:
    """Float32 16 kHz mono audio to checked segments; speakers from ``diarization`` when given.
    ``probabilities``: the audio's speech probabilities, when the caller has them already. ``splices``: where a
    paused recording resumed (its timeline's resume events), in seconds of the audio. ``talk_decides``: whether who
    talks most may name the Participant against doubtful markers (``speakers.labels``; not in a member check)."""
    if probabilities is None:
        try:
            probabilities = speech_probabilities(audio, partial(progress, FINDING), cancelled)
        except Stopped:
            raise Cancelled(CANCELLED) from None
    if diarization is None:
        segments = _transcribe(audio, probabilities, backend, options, progress, cancelled)
    else:
        segments, turns = _transcribe_with_speakers(
            audio, probabilities, backend, options, progress, cancelled, diarization
        )
        turns = off_splices(turns, splices)
        names = labels(turns, markers, talk_decides)
        segments = assign(segments, over_voices_under(turns), names)
        segments += _unheard(audio, segments, turns, names, backend, options, partial(progress, ALONE))
    return _with_pauses(segments, len(audio) / WHISPER_RATE, options)


def _unheard(
    audio: np.ndarray,
    segments: Sequence[Segment],
    turns: Sequence[Turn],
    names: Mapping[int, str],
    backend: Backend,
    options: Options,
    progress: Callable[[float], None],
) -> list[Segment]:
    """Segments for the stretches of talk diarization found that hold none of their speaker's words (nor words
    whose speaker is in doubt), each decoded again on its own, raised to a speaking level (QA C24: on a recorder
    by the participant, the interviewer's "Okay.", 14 dB quieter, was in no clip's text: Whisper wrote the louder
    voice around it). A stretch that decodes to nothing recognisable is written ``[inaudible hh:mm:ss]``, never
    dropped silently; words already written at the same moment are not written again.

    A voice said under another's talk (a turn of the overlap model's over another speaker's turn, overlap.py) is
    not decoded: a decode of the recording there writes the louder voice again, misheard (QA C24 at -14 dB: "So
    what did you do next?" under her speech decoded as "but I'd do it in the morning. I called."; the "Mm-hm."
    inside her answer as "That's the magic was in the end"). It is written ``[crosstalk] [inaudible hh:mm:ss]``,
    its speaker's, for the editor to listen to."""
    duration = len(audio) / WHISPER_RATE
    pad = VoiceSettings().pad
    missing = [(a, b, who) for a, b, who in stretches(turns) if _unwritten(a, b, who, turns, segments, names)]
    under = [
        Segment(start, end, f"{tag('crosstalk', start)} {tag('inaudible', start)}", flags=(CROSSTALK, INAUDIBLE))
        for start, end, who in missing
        if _said_under(start, end, who, turns)
    ]
    out = assign(under, [t for t in turns if voice_under(t, turns) is not None], names)
    spans = [(start, end) for start, end, who in missing if not _said_under(start, end, who, turns)]
    if not spans:
        return out
    clips = clip_plan.level(audio, [Clip(max(0.0, a - pad), min(duration, b + pad)) for a, b in spans])
    written = [(w.start, _plain(w.text)) for s in segments for w in s.words]
    found: list[Segment] = []
    for (start, end), pieces in zip(spans, _in_batches(audio, clips, backend, options, progress), strict=True):
        heard = [p for p in pieces if not fidelity.not_speech(p) and not fidelity.unrecognised(p)]
        for piece in heard:
            words = tuple(
                w
                for w in piece.words
                if start <= (w.start + w.end) / 2 < end
                and not any(abs(at - w.start) < SAME_WORD and text == _plain(w.text) for at, text in written)
            )
            found += fidelity.segments(replace(piece, words=words), (), options) if words else []
        if not heard:
            found.append(Segment(start, end, tag("inaudible", start), flags=(INAUDIBLE,)))
    return out + assign(found, turns, names)


def _unwritten(
    start: float, end: float, who: int, turns: Sequence[Turn], segments: Sequence[Segment], names: Mapping[int, str]
) -> bool:
    """Whether ``who``'s stretch of talk from ``start`` to ``end`` holds none of their words: UNHEARD long or more, and
    no segment of theirs, nor one whose speaker is in doubt, writes anything there. A voice said under another's is
    checked however short, against its own speaker's segments only (QA F22: "Did you", 0.39 s under her "yes.", was
    lost; her words over it are in doubt, which does not write his)."""
    if _said_under(start, end, who, turns):
        return not any(_holds(s, start, end + LATE) for s in segments if s.speaker == names.get(who))
    return end - start >= UNHEARD and not any(
        _holds(s, start, end + LATE) for s in segments if s.speaker == names.get(who) or SPEAKER_DOUBTFUL in s.flags
    )


def _said_under(start: float, end: float, who: int, turns: Sequence[Turn]) -> bool:
    """Whether ``who``'s talk from ``start`` to ``end`` is all turns said under another speaker's."""
    own = [t for t in turns if t.speaker == who and t.start < end and t.end > start]
    return bool(own) and all(voice_under(t, turns) is not None for t in own)


def _holds(segment: Segment, start: float, end: float) -> bool:
    """Whether a segment writes something said between ``start`` and ``end``: a word, or [inaudible]."""
    if not segment.words:
        return INAUDIBLE in segment.flags and segment.start < end and segment.end > start
    return any(w.start < end and w.end > start for w in segment.words)


def _plain(text: str) -> str:
    return text.strip(" ,.?!;:").lower()


class _Speakers:
    """Diarization in a thread of its own while the audio is transcribed: the decoder leaves part of the
    cores idle, which the speaker embeddings fill. Both only read the audio (quiet clips are raised for
    the decoder alone), so diarization hears the recording as it is, as when it runs on its own. Its
    progress is held back until transcribing is done, so the stages still read one after the other."""

    def __init__(
        self,
        diarization: Diarization,
        audio: np.ndarray,
        probabilities: np.ndarray,
        progress: Callable[[float], None],
        cancelled: Callable[[], bool],
    ) -> None:
        self._run = partial(diarization.turns, audio, self._progressed, self._cancelled, probabilities)
        self._progress = progress
        self._user_cancelled = cancelled
        self._lock = threading.Lock()
        self._shown = False
        self._done = 0.0
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="diarization")
        self._found: Future[list[Turn]] | None = None

    def start(self) -> None:
        self._found = self._pool.submit(self._run)

    def _progressed(self, fraction: float) -> None:
        with self._lock:
            self._done = fraction
            if self._shown:
                self._progress(fraction)

    def _cancelled(self) -> bool:
        return self._stop.is_set() or self._user_cancelled()

    def failed(self) -> bool:
        return self._found is not None and self._found.done() and self._found.exception() is not None

    def stop(self) -> BaseException | None:
        """Stop it (at its next check between chunks) and wait for it; the error it failed with, if any."""
        self._stop.set()
        self._pool.shutdown()
        return self._found.exception() if self.failed() and self._found else None

    def turns(self) -> list[Turn]:
        """Its turns, once transcribing is done: the progress it held back is shown, then it is awaited."""
        with self._lock:
            self._shown = True
            self._progress(self._done)
        assert self._found is not None  # started before transcribing
        try:
            return self._found.result()
        except BaseException:
            self._stop.set()  # Ctrl+C while waiting for it: it stops at its next check, not at its end
            raise
        finally:
            self._pool.shutdown()


def _transcribe_with_speakers(
    audio: np.ndarray,
    probabilities: np.ndarray,
    backend: Backend,
    options: Options,
    progress: Progress,
    cancelled: Callable[[], bool],
    diarization: Diarization,
) -> tuple[list[Segment], list[Turn]]:
    """Segments and speaker turns, found at the same time; a cancel, or an error in either, stops both."""
    speakers = _Speakers(diarization, audio, probabilities, partial(progress, SPEAKERS), cancelled)
    speakers.start()
    try:
        segments = _transcribe(
            audio, probabilities, backend, options, progress, lambda: cancelled() or speakers.failed()
        )
    except Cancelled:
        error = speakers.stop()
        if error is not None and not cancelled():  # diarization failed, which stopped the transcription
            raise error from None
        raise
    except BaseException:
        speakers.stop()
        raise
    turns = speakers.turns()
    progress(SPEAKERS, 1.0)
    return segments, turns


def transcribe_channels(
    left: np.ndarray,
    right: np.ndarray,
    backend: Backend,
    options: Options,
    progress: Progress = lambda stage, fraction: None,
    cancelled: Callable[[], bool] = lambda: False,
    diarization: Diarization | None = Diarization(),
    markers: Sequence[Marker] = (),
    talk_decides: bool = True,
) -> tuple[list[Segment], str, str | None]:
    """A two-channel file: one microphone per speaker, or (dual mono, a dead channel) one track diarized like
    mono; returns the segments, the decision in words, and a line for the transcriber where the talk time named
    the roles (``channel_labels``). ``talk_decides``: as ``transcribe_mono``'s."""
    try:
        use = channel_use(left, right, partial(progress, FINDING), cancelled)
    except Stopped:
        raise Cancelled(CANCELLED) from None
    if use.mono is not None:
        del left, right
        if diarization is not None:
            diarization.check()
        known = use.probabilities[0] if use.probabilities else None
        segments = transcribe_mono(
            use.mono, backend, options, progress, cancelled, diarization, markers, known, talk_decides=talk_decides
        )
        return segments, use.why, None
    segments, named = transcribe_stereo(
        left, right, backend, options, progress, cancelled, markers, use.probabilities, talk_decides
    )
    return segments, f"{use.why}; {named.why}", named.note


def transcribe_stereo(
    left: np.ndarray,
    right: np.ndarray,
    backend: Backend,
    options: Options,
    progress: Progress = lambda stage, fraction: None,
    cancelled: Callable[[], bool] = lambda: False,
    markers: Sequence[Marker] = (),
    probabilities: Sequence[np.ndarray] | None = None,
    talk_decides: bool = True,
) -> tuple[list[Segment], ChannelNames]:
    """One microphone per speaker: each stretch transcribed once, from its speaker's channel with the other's
    bleed removed (``left`` and ``right`` are changed in place); where one talks over the other, what the
    newcomer says is transcribed from their own channel too, both marked [crosstalk] (QA B17). The channel
    talking at the prompt markers is the interviewer's (QA B27: cables swapped); without markers, the left
    channel is, and with markers that do not agree, every segment is flagged speaker-doubtful (QA C11); but with
    no markers or only doubtful ones, the channel that talks more than twice as long is the participant's, unless
    ``talk_decides`` is off (a member check; QA K11). Returns the segments and how the channels were named
    (``channel_labels``). ``probabilities``: each channel's speech probabilities, if known."""
    try:
        stereo = split(left, right, VoiceSettings(), partial(progress, FINDING), cancelled, probabilities)
    except Stopped:
        raise Cancelled(CANCELLED) from None
    del left, right
    elsewhere = [t for t in stereo.turns if not t.overlap and not stereo.from_track(t)]
    segments = _transcribe(
        stereo.track, stereo.probabilities, backend, options, progress, cancelled, stereo.turns, skip=elsewhere
    )
    named = channel_labels(stereo.turns, markers, talk_decides)
    names = named.names
    # The track holds one speaker at a time: its words are never the other's (a word running late into a turn
    # transcribed from its own channel, or lying in crosstalk, is the track's speaker's, marked there).
    track_turns = [t for t in stereo.turns if stereo.from_track(t)]
    track_turns += [replace(t, speaker=1 - t.speaker) for t in stereo.turns if t.overlap]
    segments = assign(segments, track_turns, names)
    pad = VoiceSettings().pad  # Whisper loses words of a clip that begins right at the speech (as VAD pads)
    owners = sorted({t.speaker for t in stereo.own})  # the channels with talk over the other's to decode
    for done, speaker in enumerate(owners):
        if cancelled():
            break
        channel = stereo.channels[speaker]
        duration = len(channel) / WHISPER_RATE
        spans = [
            Region(max(0.0, t.start - pad), min(duration, t.end + pad)) for t in stereo.own if t.speaker == speaker
        ]
        apart = [span.start for span in spans[1:]]  # each a clip of its own
        share = partial(_channel_share, progress, done, len(owners))
        decoded = decode_speech(channel, stereo.probabilities, spans, backend, options, share, apart=apart)
        turns = [t for t in stereo.turns if t.speaker == speaker]
        segments += assign(checked_segments(channel, decoded, backend, options, share), turns, names)
        progress(OVER, (done + 1) / len(owners))
    if named.doubtful:
        segments = [
            replace(s, flags=tuple(dict.fromkeys((*s.flags, SPEAKER_DOUBTFUL)))) if s.words else s for s in segments
        ]
    duration = len(stereo.track) / WHISPER_RATE
    return _with_pauses(sorted(segments, key=lambda s: (s.start, s.end)), duration, options), named


def _channel_share(progress: Progress, done: int, count: int, stage: str, fraction: float | None) -> None:
    """One channel's stages shown as OVER, within its share of the bar: its first decode the first half,
    its clips decoded again the third quarter, its alike sentences the last (a round of missed speech, whose
    length is unknown, leaves the bar where it is)."""
    start, width = _CHANNEL_PARTS.get(stage, (0.0, 0.0))
    if fraction is not None and width:
        progress(OVER, (done + start + width * fraction) / count)


_CHANNEL_PARTS = {TRANSCRIBING: (0.0, 0.5), DOUBTFUL: (0.5, 0.25), ALIKE: (0.75, 0.25)}


def transcribe_session(
    study: Study,
    job: Job,
    identities: Sequence[Identity],
    backend: Backend,
    model: Model,
    options: Options,
    progress: Progress = lambda stage, fraction: None,
    cancelled: Callable[[], bool] = lambda: False,
    diarization: Diarization | None = Diarization(),
) -> Transcript:
    """One session's transcript. Stereo: one microphone per speaker, bleed between them allowed.
    Mono: speakers by ``diarization`` (by default, the number found), or none with None."""
    started = time.monotonic()
    language_for(model, options)  # an English-only model refuses another language before any work
    fmt = read_format(study, job.folder, identities)
    timeline = load_events(study, job.folder, identities)
    markers = tuple(Marker(e.at, e.kind, e.text) for e in timeline.events if e.kind in ("prompt", "note"))
    talk_decides = load_session_info(study, job.folder, identities).kind != MEMBER_CHECK  # QA K2, K11
    note = None
    if fmt.channels == 2:
        left, _ = load_for_whisper(study, job.folder, identities, channel=0)
        right, _ = load_for_whisper(study, job.folder, identities, channel=1)
        duration = len(left) / WHISPER_RATE
        options = _language_heard(backend, model, options, (left + right) / 2)
        segments, use, note = transcribe_channels(
            left, right, backend, options, progress, cancelled, diarization, markers, talk_decides
        )
    else:
        use = None
        if diarization is not None:
            diarization.check()
        audio, _ = load_for_whisper(study, job.folder, identities)
        duration = len(audio) / WHISPER_RATE
        options = _language_heard(backend, model, options, audio)
        splices = [e.at for e in timeline.events if e.kind == "resume"]
        segments = transcribe_mono(
            audio, backend, options, progress, cancelled, diarization, markers, splices=splices,
            talk_decides=talk_decides,
        )  # fmt: skip
    segments = with_gaps(segments, timeline.events)  # where audio is missing, the transcript says so (QA F19, F23)
    return Transcript(
        job.pseudonym, job.session, tuple(segments), markers, model.describe(), backend.name,
        settings_record(options, VoiceSettings(), fmt.channels, diarization, backend, use, note), round(duration, 3),
        round(time.monotonic() - started, 3), study.clock().isoformat(timespec="seconds"),
    )  # fmt: skip


def _language_heard(backend: Backend, model: Model, options: Options, audio: np.ndarray) -> Options:
    """``options`` with the language a multilingual model hears at the start of the recording, where none was chosen:
    one language for every clip, and stored with the transcript (QA R7: a Spanish interview Whisper detected itself was
    stored as language None and read as English by every detection layer)."""
    if language_for(model, options) is not None:
        return options
    heard = backend.detect_language(audio)
    return options if heard is None else replace(options, language=heard)


def _unreviewed(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> dict[str, bytes]:
    from fieldvault.redact import review

    return review.transcribed_again(study, transcript.pseudonym, transcript.session, identities)


def _refuse_replaced(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> None:
    """Before anything is written: the session's stored redactions are the ones the study key last vouched for
    (QA T11: unbound and carried over, an older copy put back would be offered as the reviewer's decisions)."""
    from fieldvault.redact import review

    review.stored(study, transcript.pseudonym, transcript.session, identities)


def store(study: Study, transcript: Transcript, identities: Sequence[Identity]) -> Path:
    """Write transcript.json.age; an earlier transcript is kept as transcript-<time>.json.age. A session reviewed
    before is unreviewed again, even where the words came out the same: its speakers and times may not have (QA K17),
    and no reviewer has read this transcript."""
    folder = layout.session(study.root, transcript.pseudonym, transcript.session)
    if not folder.is_dir():  # never made anew: she withdrew, or the session moved, while it was transcribed
        raise BadInput(
            f"{transcript.pseudonym}/{transcript.session} is not in the study any more (withdrawn or moved while it "
            "was transcribed); its transcript was not stored"
        )
    _refuse_replaced(study, transcript, identities)
    current = folder / TRANSCRIPT
    if current.exists():  # kept as it is, and replaced only once the entry vouching for the new one is written
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(current.stat().st_mtime))
        atomicfile.replace(folder / f"transcript-{stamp}.json.age", current.read_bytes())
    files = {vouching.relative_of(study, current): transcript.to_json()} | _unreviewed(study, transcript, identities)
    vouching.seal_vouched(
        study,
        "transcribe",
        files,
        pseudonym=transcript.pseudonym,
        session=transcript.session,
        model=transcript.model["name"],
        backend=transcript.backend,
        seconds=transcript.audio_seconds,
    )
    return current
