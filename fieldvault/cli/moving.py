"""Sessions recorded under the wrong participant: `fieldvault session move`."""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldvault.cli.common import identities, study_folder, unlocking
from fieldvault.sessionmove import check_move, move_session
from fieldvault.study import Study


def cmd_session_move(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    plan = check_move(study, args.pseudonym, args.session, args.to)  # refuse bad names before asking for a key
    moved = move_session(study, plan.pseudonym, plan.session, plan.to, identities(study, args))
    print(
        f"moved session {moved.session} from {moved.pseudonym} to {moved.to}: {moved.resealed} sealed record(s) "
        "re-sealed under her pseudonym; the audio and field notes moved as they are"
    )
    if moved.had_transcript:
        print(
            f"its transcript is unreviewed now: identifiers are proposed again from {moved.to}'s list "
            f"(`fieldvault redact {args.dir} {moved.to}`), then review it"
        )
    if moved.parts:
        print(
            f"note: {', '.join(moved.parts)} of {moved.pseudonym} belong(s) to the same interview (recorded on after "
            f"the input was lost): move them too with the same command"
        )
    if moved.exported:
        print(
            f"warning: {moved.exported} earlier export(s) held it as {moved.pseudonym}'s; "
            "`fieldvault audit` lists them: ask whoever holds them to correct or delete them"
        )
    return 0


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
    p.set_defaults(func=cmd_session_move)
