"""Sessions recorded under the wrong participant: `fieldvault session move`."""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldvault.cli.common import identities, study_folder, unlocking
from fieldvault.sessionmove import check_move, move_interview, move_session
from fieldvault.study import Study
from fieldvault.suggested import command


def cmd_session_move(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    plan = check_move(study, args.pseudonym, args.session, args.to)  # refuse bad names before asking for a key
    keys = identities(study, args)
    if args.with_parts:
        moved = move_interview(study, plan.pseudonym, plan.session, plan.to, keys)
    else:
        moved = (move_session(study, plan.pseudonym, plan.session, plan.to, keys),)
    for one in moved:
        print(
            f"moved session {one.session} from {one.pseudonym} to {one.to}: {one.resealed} sealed record(s) "
            "re-sealed under her pseudonym; the audio and field notes moved as they are"
        )
    transcribed = [one.session for one in moved if one.had_transcript]
    if transcribed:
        print(
            f"{_sessions(transcribed)} unreviewed now: identifiers are proposed again from {plan.to}'s list "
            f"(`{command('redact', args.dir, plan.to)}`), then review it"
        )
    left = moved[-1].parts if not args.with_parts else ()
    if left:
        print(
            f"note: {', '.join(left)} of {plan.pseudonym} belong(s) to the same interview (recorded on after "
            f"the input was lost): move them too (`--with-parts` moves every part)"
        )
    for one in moved:
        if one.exported:
            print(
                f"warning: {one.exported} earlier export(s) held session {one.session} as {one.pseudonym}'s; "
                "`fieldvault audit` lists them: ask whoever holds them to correct or delete them"
            )
    return 0


def _sessions(names: list[str]) -> str:
    return "its transcript is" if len(names) == 1 else f"the transcripts of {', '.join(names)} are"


def register(sub: argparse._SubParsersAction) -> None:
    session = sub.add_parser("session", help="sessions: move one recorded under the wrong participant").add_subparsers(
        dest="session_command", required=True
    )
    p = session.add_parser(
        "move",
        parents=[study_folder(), unlocking()],
        help="move a session to the participant it belongs to (trusted machine; audited, all or nothing)",
    )
    p.add_argument("pseudonym", help="the participant it was recorded under")
    p.add_argument("session", help="the session id, as `fieldvault open` lists it")
    p.add_argument("--to", required=True, metavar="PSEUDONYM", help="the participant it belongs to")
    p.add_argument(
        "--with-parts",
        action="store_true",
        help="move the other parts of the same interview too (recorded on after the input was lost)",
    )
    p.set_defaults(func=cmd_session_move)
