"""Reading a transcript on screen: the current or an earlier version, as timed speaker lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldvault.cli.common import identities, study_folder, unlocking
from fieldvault.participants import session_folder
from fieldvault.study import Study


def cmd_transcript(args: argparse.Namespace) -> int:
    from fieldvault.gaps import salvage_note, salvaged_after
    from fieldvault.timecode import clock
    from fieldvault.transcript_versions import load_to_view, roles_note, version_of

    study = Study.open(Path(args.dir))
    folder = session_folder(study, args.pseudonym, args.session)  # both names by the one name rule
    args.pseudonym, args.session = folder.parent.name, folder.name
    keys = identities(study, args)
    if args.make_current is not None:
        return _make_current(study, args, keys)
    transcript = load_to_view(study, args.pseudonym, args.session, keys, args.version)
    print(
        f"fieldvault: warning: the plaintext of {args.pseudonym}/{args.session} "
        f"(version {version_of(transcript).number}) is on screen; identifiers are not redacted here",
        file=sys.stderr,
    )
    for segment in transcript.segments:
        speaker = f"{segment.speaker}: " if segment.speaker else ""
        print(f"[{clock(segment.start, digits=0)}] {speaker}{segment.text.strip()}")
    if salvaged := salvaged_after(study, transcript, keys):  # the words over a stretch that is silence now
        print(f"note: {salvage_note(salvaged)}", file=sys.stderr)
    if roles := roles_note(transcript):
        print(f"note: {roles}", file=sys.stderr)
    return 0


def _make_current(study: Study, args: argparse.Namespace, keys: list) -> int:
    from fieldvault.audit import default_actor
    from fieldvault.transcript_versions import make_current, version_of

    made = make_current(study, args.pseudonym, args.session, args.make_current, keys, default_actor())
    print(
        f"{args.pseudonym}/{args.session}: version {args.make_current} is current again, as version "
        f"{version_of(made).number} (the one before it kept); its redactions count as unreviewed until reviewed again"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "transcript",
        parents=[study_folder(), unlocking()],
        help="print a session's transcript (plaintext on screen; audited)",
    )
    p.add_argument("pseudonym")
    p.add_argument("session")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--version", type=int, metavar="N", help="an earlier version (1 is what transcription wrote)")
    shown.add_argument(
        "--make-current", type=int, metavar="N", help="store saved version N again as the current one (after recover)"
    )
    p.set_defaults(func=cmd_transcript)
