"""Participants and their recordings: add, record, import, recover."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from fieldvault import layout, vouching
from fieldvault.cli import renaming
from fieldvault.cli.common import (
    identities,
    key_given,
    study_folder,
    study_identities,
    unchecked_recipients,
    unlocking,
)
from fieldvault.cli.plaintext import plaintext_inputs, refuse_study_file, shred_or_warn
from fieldvault.errors import BadInput, FieldvaultError
from fieldvault.guide import Guide
from fieldvault.layout import AUDIO, EVENTS, EVENTS_JOURNAL
from fieldvault.lists import LOCKED_APPEND, append_to_list, long_list, record_names_lost
from fieldvault.participants import (
    MAX_LIST,
    ConsentRecord,
    KnownIdentifier,
    add_participant,
    bind_lists,
    check_pseudonym,
    consent_documents,
    others_on_her_list,
    participant_folder,
    read_identifier_file,
    reconfirmation_documents,
    seal_missing_list,
    sealed_lists,
)
from fieldvault.questionnaire import Answer, Questionnaire
from fieldvault.recording_lock import recording_now
from fieldvault.sessioninfo import FIRST, FOLLOW_UP, KINDS, Reconfirmation, SessionInfo, read_index, write_session_info
from fieldvault.sessionparts import CarriedOn, carried_on
from fieldvault.showntime import session_start
from fieldvault.study import Study
from fieldvault.suggested import shell
from fieldvault.templates import RECONFIRMATION
from fieldvault.timecode import elapsed

if TYPE_CHECKING:
    from fieldvault.capture.recorder import Recorder, RecordingSummary
    from fieldvault.capture.silence import SilenceWatch


def cmd_recover(args: argparse.Namespace) -> int:
    from fieldvault.capture.recorder import find_interrupted
    from fieldvault.capture.salvage import (
        describe,
        gather_leftover_journals,
        salvage,
        state_true_lengths,
        unopened,
    )

    study = Study.open(Path(args.dir))
    if args.delete_original is not None:
        return _delete_original(study, args)
    if study.is_field_kit:
        for folder in find_interrupted(study):
            print(
                f"{folder.relative_to(study.root)}: recording was cut off; it is kept as it is and will be "
                "re-sealed when `fieldvault recover` runs on the trusted machine"
            )
        print("a field kit cannot re-seal recordings (it holds no private key); nothing was changed")
        return 0
    if not any(layout.participants(study.root).rglob("*.age")):
        print("nothing to recover: the study holds no encrypted files yet")
        return 0
    for folder in recording_now(study.root):
        print(f"{folder.relative_to(study.root)}: being recorded now by a running fieldvault; left as it is")
    keys = identities(study, args)
    skipped = unopened(study, keys)
    salvaged = salvage(study, keys, skipped)
    for item in salvaged:
        print(describe(item, args.dir))
    for path in state_true_lengths(study, keys, skipped):
        print(f"{path}: complete; re-sealed so the WAV states its true length")
    for folder in gather_leftover_journals(study, keys, skipped):
        print(f"{folder}: its leftover timeline journal was sealed into {layout.EVENTS}")
    print(
        f"{len(salvaged)} file(s) re-sealed (a re-sealed file cannot be proven complete)"
        if salvaged
        else "every other file is complete"
        if skipped
        else "every file is complete"
    )
    for path, why in skipped.items():
        print(f"{path.relative_to(study.root)} {why}: left as it is, and its session too")
    if skipped:
        links = sum(1 for path in skipped if path.is_symlink())
        told = []
        if len(skipped) > links:
            told.append(
                f"{len(skipped) - links} file(s) could not be opened with the study key (listed above); move each out "
                "of the study folder (to the study it belongs to), or restore the study's own copy from a backup"
            )
        if links:
            told.append(
                f"{links} link(s) stand where sealed files belong (listed above) and nothing was read through them: "
                "do as each line says"
            )
        raise BadInput(f"{'; '.join(told)}, then run `fieldvault recover` again")
    return 0


def _delete_original(study: Study, args: argparse.Namespace) -> int:
    from fieldvault.stewardship.keptoriginal import delete_original

    if study.is_field_kit:
        raise BadInput("a field kit keeps no original beside a re-sealed file (it cannot re-seal): nothing was deleted")
    identities(study, args)  # the entry is signed with the study key: a backup with the passphrase follows it
    relative, there = delete_original(study, args.delete_original)
    done = "deleted" if there else "its deletion by hand"
    print(f"{relative}: {done}, recorded in the audit log; the next backup with the passphrase deletes its copy too")
    return 0


def _lost(summary: RecordingSummary) -> str:
    if not summary.seconds_lost:
        return ""
    return f" ({summary.seconds_lost:.1f} s lost: silence stands there, marked in the transcript)"


def _ask_answers(questionnaire: Questionnaire) -> dict[str, Answer]:
    if not sys.stdin.isatty():
        raise BadInput("give the questionnaire answers with --answers FILE (TOML or JSON), or run in a terminal")
    raw: dict[str, object] = {}
    for field in questionnaire.fields:
        choices = f" [{' / '.join(field.choices)}]" if field.choices else ""
        raw[field.name] = input(f"{field.label}{choices}: ")
    return questionnaire.validate(raw)


def cmd_participant_add(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    pseudonym = check_pseudonym(study, args.pseudonym)
    given = plaintext_inputs(args, study, args.answers, args.identifiers)
    letter, script = consent_documents(study)
    questionnaire = Questionnaire.for_study(study.root)
    answers = questionnaire.answers_from_file(args.answers) if args.answers else _ask_answers(questionnaire)
    identifiers = read_identifier_file(Path(args.identifiers)) if args.identifiers else []
    consent = ConsentRecord.verbal(letter.version, script.version, study.clock())
    needed = sealed_lists(study, pseudonym) or unchecked_recipients(study)  # her pseudonym may be on one
    vouched = vouching.claimed(study, [Path(layout.PARTICIPANTS, pseudonym, f) for f in vouching.FILES])
    keys = identities(study, args) if needed or vouched or key_given(study, args) else []
    add_participant(study, pseudonym, answers, consent, identifiers, keys)
    print(f"added participant {pseudonym} (consent on information letter {letter.version})")  # as field-kit printed it
    if said := others_on_her_list(study, pseudonym, [i.text for i in identifiers]):  # a kit only (qa29 QE11)
        print(f"warning: {said}", file=sys.stderr)
    shred_or_warn(args, given, "her names or answers")
    return 0


def cmd_participant_add_list(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    folder = participant_folder(study, args.pseudonym)
    given = plaintext_inputs(args, study, args.identifiers)
    identifiers = read_identifier_file(Path(args.identifiers)) if args.identifiers else []
    if args.append:
        return _append_list(study, folder.name, identifiers, args, given)
    if args.names_lost:
        raise BadInput("--names-lost goes with --append: give the names she recalls now with --append --identifiers")
    needed = sealed_lists(study, folder.name) or unchecked_recipients(study)  # her names may be on another's
    needed = needed or vouching.claimed(study, [folder / layout.IDENTIFIERS]) or key_given(study, args)
    keys = identities(study, args) if needed else []
    name, warning = seal_missing_list(study, folder.name, identifiers, keys)
    print(f"sealed {name}'s list of names she may mention ({len(identifiers)} name(s))")
    _warn(warning)
    shred_or_warn(args, given, "her names or answers")
    return 0


def _append_list(
    study: Study, pseudonym: str, identifiers: list[KnownIdentifier], args: argparse.Namespace, given: list[Path]
) -> int:
    """`add-list --append`: names she gives at a follow-up, added to her list (QA T5); without a key given, sealed
    beside it as the TUI's names step does in a study opened locked (QA U13), and as a field kit does."""
    if not identifiers:
        raise BadInput("give the names to add with --identifiers FILE (one per line, as for her first list)")
    if args.names_lost:  # QA V20: refused before a name is added where nothing of hers is lost
        keys = study_identities(study, args, "recording names she gave lost")
        lost = record_names_lost(study, pseudonym, keys)
    else:
        keys = identities(study, args) if unchecked_recipients(study) or key_given(study, args) else []
        lost = []
    done = append_to_list(study, pseudonym, identifiers, keys)
    for relative in lost:
        print(f"recorded {relative} lost (names {pseudonym} gave with the study locked)")
    had = f"; {done.already} she had already, left out" if done.already else ""
    if done.beside:
        then = "merge-kit adds them to her list in the study" if done.on_kit else LOCKED_APPEND
        print(f"sealed {done.added} new name(s) for {done.pseudonym}'s list of names she may mention{had}: {then}")
    else:
        print(f"added {done.added} name(s) to {done.pseudonym}'s list of names she may mention{had}")
    if done.holds is not None and done.holds > MAX_LIST:
        print(long_list(done.pseudonym, done.holds))
    _warn(done.warning)
    shred_or_warn(args, given, "her names or answers")
    return 0


def _warn(warning: str | None) -> None:
    if warning:
        print(f"fieldvault: warning: {warning}", file=sys.stderr)


def cmd_participant_bind_lists(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    bound = bind_lists(study, identities(study, args))
    if not bound:
        print("every participant's list of names is bound to her already; nothing to do")
        return 0
    print(f"bound {len(bound)} list(s) of names to their participant (her pseudonym and id sealed inside)")
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from fieldvault.capture.recorder import WARN_BELOW, Recorder, seconds_that_fit
    from fieldvault.capture.silence import SilenceWatch
    from fieldvault.capture.source import DeviceError, SoundDeviceSource

    study = Study.open(Path(args.dir))
    participant = participant_folder(study, args.pseudonym)
    pseudonym = participant.name
    kind, earlier = _chosen_kind(study, participant, args.kind)
    again = _reconfirmed(study, kind, args.reconfirmed)
    # a follow-up's or a member check's own prompts, as the TUI's `r` shows them (qa29 QE6: the first interview's)
    guide = (Guide.from_file(Path(args.guide)) if args.guide else Guide.for_study(study.root)).for_kind(kind)
    device = int(args.device) if args.device and args.device.isdigit() else args.device
    try:
        source = SoundDeviceSource(device, args.rate, args.channels)
    except DeviceError as err:
        raise DeviceError(f"{err}; list devices with `python3 -m sounddevice` and pick one with --device") from None
    recorder = Recorder(study, pseudonym, source, guide)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGHUP: the terminal closed (QA J14)
        signal.signal(signum, lambda *_: stop.set())
    folder = recorder.start()
    # sealed as the TUI seals it, so the home screen, the kit's index and exports say the same (QA H6: none was
    # recorded, the home screen showed a blank and exports "first interview")
    _say_follow_up(earlier)
    write_session_info(study, folder, SessionInfo(kind, again), recorder.sealing)
    print(f"recording {pseudonym}/{folder.name} from {recorder.source.name}; Ctrl-C stops", file=sys.stderr)
    print(f"started {session_start(folder.name)}: a session is named by its start in UTC", file=sys.stderr)
    print(f"encrypted to: {', '.join(study.recipient_labels())}", file=sys.stderr)
    if (fits := seconds_that_fit(study, source.rate, source.channels)) < WARN_BELOW:
        print(f"warning: only about {fits / 60:.0f} min of recording fit on this disk", file=sys.stderr)
    print(f"prompt: {guide.narrative_prompt}", file=sys.stderr)
    silence = SilenceWatch()  # the recording screen's warning, after the same 3 s, in the same words
    try:
        _follow(recorder, stop, silence, args.seconds)
    except OSError:  # the terminal is gone (a closed window, a dropped SSH): stop and seal all the same (QA J14)
        pass
    summary = recorder.stop()
    with contextlib.suppress(OSError):
        print(
            f"stopped: {summary.seconds:.1f} s recorded, {summary.dropped_blocks} blocks dropped{_lost(summary)} -> "
            f"{folder.relative_to(study.root)}/{AUDIO}"
        )
    if summary.length_unstated:  # before a disk-full stop's error, which is the last line (QA QC10)
        with contextlib.suppress(OSError):
            print(f"warning: {summary.length_unstated}", file=sys.stderr)
    if summary.problem:
        raise FieldvaultError(summary.problem)
    if summary.unlogged:
        with contextlib.suppress(OSError):
            print(f"warning: {summary.unlogged}", file=sys.stderr)
    return 0


def _follow(recorder: Recorder, stop: threading.Event, silence: SilenceWatch, seconds: float | None) -> None:
    """The recording's level, warnings and input switches, once a second, until it is stopped or ``seconds`` long."""
    from fieldvault.capture.inputwatch import switched
    from fieldvault.capture.silence import no_signal, signal_back

    switch_shown: tuple[float, str, str] | None = None
    while not stop.wait(1.0):
        status = recorder.status()
        print(
            f"{elapsed(status.seconds)}  level {status.peak_dbfs:6.1f} dBFS"
            f"{'  CLIPPING' if status.clipping else ''}  dropped {status.dropped_blocks}",
            file=sys.stderr,
            flush=True,
        )
        heard = silence.heard(status.peak_dbfs, time.monotonic())
        if heard.warn:
            print(no_signal(heard.seconds), file=sys.stderr, flush=True)
        if heard.back is not None:
            print(signal_back(heard.back), file=sys.stderr, flush=True)
        if status.switched is not None and status.switched != switch_shown:  # sealed in the timeline as well
            switch_shown = status.switched
            print(switched(elapsed(status.switched[0]), *status.switched[1:]), file=sys.stderr, flush=True)
        if status.ended or (seconds and status.seconds >= seconds):
            break


def _reconfirmed(study: Study, kind: str, given: bool) -> Reconfirmation | None:
    """Her consent confirmed again before a follow-up or a member check (`--reconfirmed`), recorded as the TUI's `r`
    records it: with the re-consent script's version, refused on a kit whose letter was changed (QA R20). Without
    it, said in one line (qa29 QE6: nothing recorded it, nothing said so)."""
    if kind == FIRST:
        if given:
            raise BadInput(
                "--reconfirmed is for a follow-up or a member check; a first interview's consent is recorded by "
                "`participant add`"
            )
        return None
    _, script = reconfirmation_documents(study)
    if given:
        return Reconfirmation.verbal(script.version, study.clock())
    print(
        f"warning: her consent is not recorded as confirmed again for this {KINDS[kind]}: read her "
        f"{RECONFIRMATION} (version {script.version}) first and give --reconfirmed, or record with the TUI's `r`",
        file=sys.stderr,
    )
    return None


def _chosen_kind(study: Study, participant: Path, kind: str | None, this: str = "") -> tuple[str, int]:
    """The kind a new session of hers is, and how many earlier sessions she has: without --kind, her first session is
    a first interview, a later one a follow-up. Her sessions here (a folder with a timeline or a recording's journal:
    an empty or timeline-less leftover of a killed import is no interview, QA K13), and on a kit those the study had
    when the kit was made (its index)."""
    if kind is not None:
        return kind, 0
    here = {
        p.name
        for p in participant.iterdir()
        if p.is_dir() and not p.name.startswith(".") and {EVENTS, EVENTS_JOURNAL} & {c.name for c in p.iterdir()}
    }
    indexed = {key.split("/", 1)[1] for key in read_index(study.root) if key.split("/", 1)[0] == participant.name}
    earlier = len((here | indexed) - {this})
    return (FOLLOW_UP if earlier else FIRST), earlier


def _say_follow_up(earlier: int) -> None:
    if earlier:
        print(
            f"recorded as a follow-up ({earlier} earlier session(s) of hers); a member check is given with "
            "--kind member-check",
            file=sys.stderr,
        )


def cmd_import(args: argparse.Namespace) -> int:
    from fieldvault.capture.importer import import_recording, imported_before, restore_recording, shred
    from fieldvault.importstaging import judged, sweep_cut_off_imports

    study = Study.open(Path(args.dir))
    pseudonym = participant_folder(study, args.pseudonym).name
    refuse_study_file(study, Path(args.audio), "a recording")  # --shred-original would take the study's own file
    short = _refuse_unfit_source(Path(args.audio), args)
    if args.continues and args.kind:
        raise BadInput("a part takes the kind of the interview it carries on: give --continues or --kind, not both")
    reads_part = bool(args.continues) and not study.is_field_kit  # the part it carries on: its rate, its kind
    needed = imported_before(study) or unchecked_recipients(study) or reads_part or bool(args.restores)  # QA J12
    needed = needed or (not study.is_field_kit and bool(judged(study)))  # a killed import's, told from hers (QA Z14)
    keys = identities(study, args) if needed else []
    for swept in sweep_cut_off_imports(study):  # QA K13: what a killed import wrote, never a session
        print(f"removed {swept}: an import killed part-way wrote it and nothing of it was kept; import that file again")
    if args.restores:
        if args.continues or args.kind:
            raise BadInput("--restores seals her recording back into its session: give no --continues or --kind")
        restored = restore_recording(study, pseudonym, args.restores, Path(args.audio), keys, args.heard)
        print(f"sealed back into {restored.relative_to(study.root)}: her session has its recording again")
        return 0
    if args.continues:
        carried = carried_on(study, pseudonym, args.continues, keys)
        result = import_recording(study, pseudonym, Path(args.audio), keys, part_of=carried)
        _say_part(study, result.folder, carried)
    else:
        kind, earlier = _chosen_kind(study, participant_folder(study, pseudonym), args.kind)
        result = import_recording(study, pseudonym, Path(args.audio), keys, SessionInfo(kind), heard=args.heard)
        _say_follow_up(earlier)
    print(
        f"imported {result.seconds:.1f} s ({result.rate} Hz, {result.channels} channel(s)"
        f"{f', mixed from its {result.mixed_from}, each at equal weight' if result.mixed_from else ''}) into "
        f"{result.folder.relative_to(study.root)}/{AUDIO} (a session is named by the time it was imported, in UTC: "
        f"{session_start(result.folder.name)})"
    )
    if result.ran_on:
        print(f"note: {Path(args.audio).name}'s header states less audio than the file holds (a recorder cut off, or a "
              f"file over 4 GiB): all {result.seconds:.1f} s were imported")  # fmt: skip
    if args.shred_original and short:
        print(f"fieldvault: warning: {args.audio} was kept (it is cut short): delete it once no fuller copy is to be "
              f"had (`{shell('shred', '-u', args.audio)}`)", file=sys.stderr)  # fmt: skip
    elif args.shred_original:
        shred(Path(args.audio), result.shred_with)
        print(f"overwrote and removed {args.audio} (on SSDs, old blocks may survive: rely on disk encryption)")
    return 0


def _refuse_unfit_source(path: Path, args: argparse.Namespace) -> bool:
    """Refuse, before anything is sealed, a link or a device given with --shred-original (QA QD8: the link's target,
    a file elsewhere, was overwritten), and a WAV cut short without --accept-short (QA QD7). Whether it is cut short."""
    from fieldvault.capture.importer import wav_cut_short

    if args.shred_original and (path.is_symlink() or (path.exists() and not path.is_file())):
        raise BadInput(
            f"{path} is not a regular file (a link, or a device), and --shred-original overwrites only a file of its "
            "own: nothing was imported; give the file itself, or leave out --shred-original"
        )
    short = wav_cut_short(path) if path.is_file() else None
    if short is not None and not args.accept_short:
        stated, held = short
        raise BadInput(
            f"{path.name}'s header states {stated:.1f} s and the file holds {held:.1f} s: cut short (an interrupted "
            "copy off the recorder's card?); nothing was imported. Copy it again from the card and import that; if "
            "this is all there is, add --accept-short to import what it holds"
        )
    return short is not None


def _say_part(study: Study, folder: Path, carried: CarriedOn) -> None:
    """Which part of which interview the import became, as the home screen and exports number it."""
    index = read_index(study.root)
    part = 1 + sum(
        1 for key, held in index.items() if key.startswith(f"{folder.parent.name}/") and held.continues == carried.first
    )
    print(
        f"part {part} of {folder.parent.name}'s {KINDS[carried.kind]} {carried.first}: one interview in parts in "
        "exports and on the home screen",
        file=sys.stderr,
    )
    if carried.rate is None:
        print(
            "note: a field kit cannot read the recording it carries on: `merge-kit` checks the two were recorded at "
            "one sample rate",
            file=sys.stderr,
        )


def _kind_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kind", choices=list(KINDS), help="first, follow-up or member-check: shown on the home screen and in exports"
    )


def _shred_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shred-original",
        action="store_true",
        help="overwrite and delete the --answers and --identifiers files once they are sealed",
    )


def register(sub: argparse._SubParsersAction) -> None:
    people = sub.add_parser("participant", help="participants").add_subparsers(
        dest="participant_command", required=True
    )
    p = people.add_parser(
        "add",
        parents=[study_folder(), unlocking()],
        help="add a participant by her chosen pseudonym (the study's passphrase: to check it against the lists)",
    )
    p.add_argument("pseudonym")
    p.add_argument("--answers", type=Path, help="questionnaire answers, TOML or JSON; asked for if absent")
    p.add_argument("--identifiers", help="names and places she may mention, one per line (LABEL: text allowed)")
    _shred_option(p)
    p.set_defaults(func=cmd_participant_add)
    p = people.add_parser(
        "add-list",
        parents=[study_folder(), unlocking()],
        help="seal her list of names she may mention where none was ever sealed (an add cut off); with --append, "
        "add the names she gives at a follow-up to her list",
    )
    p.add_argument("pseudonym")
    p.add_argument("--identifiers", help="names and places she may mention, one per line (LABEL: text allowed)")
    p.add_argument(
        "--append",
        action="store_true",
        help="add these names to her list, keeping every name on it (names she had already are left out)",
    )
    p.add_argument(
        "--names-lost",
        action="store_true",
        help="with --append and the study passphrase: record as lost the files of names she gave with the study "
        "locked that `check` names missing or changed and no backup holds (give the names she recalls now)",
    )
    _shred_option(p)
    p.set_defaults(func=cmd_participant_add_list)
    p = people.add_parser(
        "bind-lists",
        parents=[study_folder(), unlocking()],
        help="re-seal lists of names written before they named their participant (once; `check` says when due)",
    )
    p.set_defaults(func=cmd_participant_bind_lists)
    renaming.register_under(people)

    p = sub.add_parser(
        "record", parents=[study_folder()], help="record a session from an input device (Ctrl-C or SIGTERM stops)"
    )
    p.add_argument("pseudonym")
    p.add_argument("--device", help="input device index or name (default: the system's default input)")
    p.add_argument("--rate", type=int, default=16000, help="sample rate in Hz (16000, 44100 or 48000)")
    p.add_argument("--channels", type=int, default=1, choices=(1, 2), help="2 = one microphone per speaker")
    p.add_argument("--seconds", type=float, help="stop after this many seconds")
    p.add_argument("--guide", help="an interview guide TOML file instead of the study's")
    _kind_option(p)
    p.add_argument(
        "--reconfirmed",
        action="store_true",
        help="a follow-up or member check: her consent was confirmed again, verbally, with the re-consent script "
        f"({RECONFIRMATION}) read to her before this recording; recorded with the session, as the TUI's `r` does",
    )
    p.set_defaults(func=cmd_record)

    p = sub.add_parser(
        "import",
        parents=[study_folder(), unlocking()],
        help="encrypt a recording from a handheld recorder into the study (the passphrase, once a recording was "
        "imported: to tell a file imported before)",
    )
    p.add_argument("pseudonym")
    p.add_argument("audio")
    p.add_argument("--shred-original", action="store_true", help="overwrite and delete the original afterwards")
    _kind_option(p)
    p.add_argument(
        "--continues",
        metavar="SESSION",
        help="a part of her session SESSION that the recorder split into another file: imported as its next part",
    )
    p.add_argument(
        "--restores",
        metavar="SESSION",
        help="the recorder's file of her session SESSION, whose recording was recorded lost: sealed back into it "
        "(the study passphrase)",
    )
    p.add_argument(
        "--heard",
        action="store_true",
        help="you listened to it, where only its length ties it to a recording recorded lost: with --restores it is "
        "that recording; without, another one as long",
    )
    p.add_argument(
        "--accept-short",
        action="store_true",
        help="import a WAV that holds less than its header states (cut short) as it is; --shred-original keeps it",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("recover", parents=[study_folder(), unlocking()], help="re-seal files cut off by a crash")
    p.add_argument(
        "--delete-original",
        metavar="FILE",
        help="delete the original recover kept beside FILE (FILE.damaged), or record one deleted by hand (audited)",
    )
    p.set_defaults(func=cmd_recover)
