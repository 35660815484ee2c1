"""Sessions: `fieldvault session move` (recorded under the wrong participant), `session remove`, and `session bind`
(field notes and session records written before they named their session)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldvault.cli.common import confirm_typed, identities, study_folder, study_identities, unlocking
from fieldvault.sessionmove import check_move, move_interview, move_session
from fieldvault.study import Study
from fieldvault.suggested import command


def cmd_session_move(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    plan = check_move(study, args.pseudonym, args.session, args.to)  # refuse bad names before asking for a key
    keys = study_identities(study, args, "moving a session")
    if args.with_parts:
        moved = move_interview(study, plan.pseudonym, plan.session, plan.to, keys)
    else:
        moved = (move_session(study, plan.pseudonym, plan.session, plan.to, keys),)
    for one in moved:
        print(
            f"moved session {one.session} from {one.pseudonym} to {one.to}: {one.resealed} sealed record(s) "
            "re-sealed under her pseudonym; the audio moved as it is"
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


def cmd_session_remove(args: argparse.Namespace) -> int:
    from fieldvault.sessionremove import check_removable, finish_removals, remove_session

    study = Study.open(Path(args.dir))
    study_identities(study, args, "removing a session")  # its audit entry authenticated with the study key
    for done in finish_removals(study):
        if done.put_back:
            print(
                f"put back session {done.session} of {done.pseudonym}: its folder was set aside for removal, but no "
                "entry signed with the study key records that removal (cut off before it was recorded, or renamed by "
                "hand); nothing of it was destroyed"
            )
            continue
        print(f"finished removing session {done.session} of {done.pseudonym}: {done.files} more file(s) destroyed")
        for kept in done.kept:
            see = command("decrypt", study.root, kept, "--out", "FILE")
            print(
                f"kept {kept}: it is not one of the files the removal recorded (someone put it there); decrypt it "
                f"(`{see}`) to see whose it is, and move it back there"
            )
        if (done.pseudonym, done.session) == (args.pseudonym, args.session):
            return 0
    source = check_removable(study, args.pseudonym, args.session)
    files = sum(1 for path in source.rglob("*") if path.is_file())
    print(
        f"This destroys session {source.name} of {source.parent.name} ({files} file(s): its recording, timeline, "
        "transcripts and their versions, redactions and notes). Nothing else of hers changes.",
        file=sys.stderr,
    )
    confirm_typed(source.name, args.confirm, f"Type the session id ({source.name}) to confirm: ")
    done = remove_session(study, source.parent.name, source.name)
    print(f"removed session {done.session} of {done.pseudonym}: {done.files} file(s) destroyed")
    if done.exported:
        print(
            f"warning: {done.exported} earlier export(s) held this session; `fieldvault audit` lists them: ask "
            "whoever holds them to delete them"
        )
    print("backups made before now still hold it: run `fieldvault backup --authenticate` to each of them again")
    return 0


def cmd_session_bind(args: argparse.Namespace) -> int:
    from fieldvault.sessionbinding import bind_where_they_lie

    study = Study.open(Path(args.dir))
    bound = bind_where_they_lie(study, identities(study, args))
    if not bound:
        print("every field note and session record is bound to its session already; nothing to do")
        return 0
    print(
        f"bound {len(bound)} field note(s) or session record(s) to the session whose folder holds each (her pseudonym "
        "and the session sealed inside)"
    )
    return 0


def _sessions(names: list[str]) -> str:
    return "its transcript is" if len(names) == 1 else f"the transcripts of {', '.join(names)} are"


def register(sub: argparse._SubParsersAction) -> None:
    session = sub.add_parser(
        "session", help="sessions: move one to the right participant, remove one, bind older notes to theirs"
    ).add_subparsers(dest="session_command", required=True)
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
    p = session.add_parser(
        "remove",
        parents=[study_folder(), unlocking()],
        help="destroy one session (a recording imported twice, or under the wrong woman); audited, asks to confirm",
    )
    p.add_argument("pseudonym", help="the participant it is recorded under")
    p.add_argument("session", help="the session id, as `fieldvault open` lists it")
    p.add_argument("--confirm", metavar="SESSION", help="confirm without a prompt by giving the session id")
    p.set_defaults(func=cmd_session_remove)
    p = session.add_parser(
        "bind",
        parents=[study_folder(), unlocking()],
        help="re-seal field notes and session records written before they named their session (once; `check` "
        "says when due)",
    )
    p.set_defaults(func=cmd_session_bind)
