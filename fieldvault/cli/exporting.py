"""De-identified exports for coding tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldvault.cli.common import identities, out_path, study_folder, unlocking
from fieldvault.study import Study
from fieldvault.suggested import command

FORMATS = ("qdpx", "docx", "txt", "srt", "vtt", "csv", "demographics")
DIALECTS = ("maxqda", "nvivo", "atlas", "qualcoder", "plain")


def cmd_export(args: argparse.Namespace) -> int:
    from fieldvault.agefile import X25519Recipient
    from fieldvault.export.gate import DAMAGED
    from fieldvault.export.run import Options, check, export, sealed_name
    from fieldvault.export.selection import Request

    study = Study.open(Path(args.dir))
    recipient = X25519Recipient.parse(args.encrypt_to) if args.encrypt_to else None
    request = Request(tuple(args.participant or ()), args.include_unreviewed, args.sample, args.seed)
    options = Options(args.format, args.with_audio, args.dialect, args.include_memos)
    out = sealed_name(options, out_path(args.out, "an export"), recipient)
    check(options, out)
    done = export(study, identities(study, args), options, out, request, recipient)
    what = (
        f"{len(done.participants)} participant(s)"
        if args.format == "demographics"
        else f"{len(done.sessions)} session(s)"
    )
    print(
        f"exported {what} as {args.format} to {done.out} ({len(done.files)} file(s))"
        + (f", encrypted to {recipient}" if recipient else "")
        + (f"; {done.unreviewed} marked UNREVIEWED" if done.unreviewed else "")
    )
    if done.unchecked:
        print(
            f"warning: {done.unchecked} number(s), capital(s) or unusual word(s) were left unredacted and not checked; "
            f"list them with: {command('leftovers', args.dir)}",
            file=sys.stderr,
        )
    for pseudonym, session, note in done.notes:
        print(f"note: {pseudonym}{f'/{session}' if session else ''}: {note}", file=sys.stderr)
    if args.include_memos and args.participant:
        print(
            "note: the reflexive journal is about the whole study, so an export of chosen participants leaves it "
            "out; their session notes are in",
            file=sys.stderr,
        )
    if args.with_audio and any(s.audio is not None for s in done.sessions):  # none where every one was lost
        print(
            "warning: the project holds the interview audio: silent where the transcript was redacted, but voices "
            "identify people and what detection missed is heard. Keep it encrypted.",
            file=sys.stderr,
        )
    damaged = [f"{p}/{s}" for p, s, note in done.notes if note.startswith(DAMAGED)]
    if damaged:  # the rest went; a script handing the export on must know it is not whole
        print(
            f"fieldvault: error: {', '.join(damaged)} left out, damaged (named above): run "
            f"`{command('recover', args.dir)}`, then export again",
            file=sys.stderr,
        )
    return 1 if damaged else 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", parents=[study_folder(), unlocking()], help="export de-identified transcripts for coding tools"
    )
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, help="a new file (qdpx, csv, demographics) or a new folder")
    p.add_argument("--participant", action="append", help="only this participant (repeat for more); member checking")
    p.add_argument("--include-unreviewed", action="store_true", help="also transcripts not fully reviewed (marked)")
    p.add_argument("--sample", type=float, help="a random fraction of the sessions, e.g. 0.3 for a second coder")
    p.add_argument("--seed", type=int, default=0, help="seed of --sample, so the same subset comes out again")
    p.add_argument("--encrypt-to", metavar="AGE1...", help="encrypt every exported file to this recipient")
    p.add_argument("--with-audio", action="store_true", help="qdpx only: include each session's audio")
    p.add_argument("--include-memos", action="store_true", help="qdpx only: journal and session notes, scrubbed")
    p.add_argument("--dialect", choices=DIALECTS, help="txt only: timestamped text in the form one coding tool imports")
    p.set_defaults(func=cmd_export)
