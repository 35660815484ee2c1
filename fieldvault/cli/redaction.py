"""Proposing identifier spans."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from fieldvault import layout, sessionvouch, userfile
from fieldvault.cli.common import identities, study_folder, unlocking
from fieldvault.participants import participant_folder
from fieldvault.sessionopen import hold_open
from fieldvault.study import Study
from fieldvault.suggested import command


def cmd_redact(args: argparse.Namespace) -> int:
    from fieldvault.redact.detector import require_layers
    from fieldvault.redact.leftover import leftovers
    from fieldvault.redact.review import detect_all_again, refresh_all
    from fieldvault.sessionmove import moved_unreviewed

    study = Study.open(Path(args.dir))
    if args.pseudonym:  # found by the one name rule
        args.pseudonym = participant_folder(study, args.pseudonym).name
    require_layers()
    people = [args.pseudonym] if args.pseudonym else study.participant_names()
    if not any(layout.transcripts(study.root, p) for p in people):  # before the passphrase is asked for
        print("nothing to do: no transcript yet (run `fieldvault transcribe` first)")
        return 0
    keys = identities(study, args)
    lost: dict[str, str] = {}  # QA V17: a session whose vouched file was deleted is skipped, named; the others go on
    for relative in sessionvouch.deleted_within(study, *(f"{layout.PARTICIPANTS}/{p}/" for p in people)):
        lost.setdefault("/".join(relative.split("/")[1:3]), relative)
    if lost and all(f"{p}/{t.parent.name}" in lost for p in people for t in layout.transcripts(study.root, p)):
        sessionvouch.refuse_deleted(study, *lost.values())  # nothing else to do: one line
    for where, relative in sorted(lost.items()):
        print(f"{where}: skipped: {sessionvouch.deleted_said(study, relative)}", file=sys.stderr)
    with ExitStack() as held:  # no withdrawal or move of a session while its proposals are made (QA D7)
        for person in people:
            for transcript_path in layout.transcripts(study.root, person):
                held.enter_context(hold_open(transcript_path.parent, "redacted"))
        moved = moved_unreviewed(study, people, keys)
        redo = detect_all_again if args.again else refresh_all
        proposed = redo(study, people, keys, set(lost))
    for transcript, redactions in proposed:
        where = f"{redactions.pseudonym}/{redactions.session}"
        why = f"the session moved from {moved[where]}" if where in moved else "the transcript changed"
        kept = sum(s.state != "undecided" for s in redactions.spans)
        decided = f" ({kept} decided before, kept)" if args.again and kept else ""
        carried = (
            f", {redactions.carried} earlier decisions carried over to confirm ({why})" if redactions.carried else ""
        )
        left = len(leftovers(transcript, redactions))
        print(
            f"{where}: {len(redactions.spans)} spans proposed for review{decided}{carried}; {left} other texts to check"
        )
    if proposed:
        print(f"before export, check the numbers, capitals and unusual words left: {command('leftovers', args.dir)}")
    else:
        print(
            "nothing to do: every transcript has proposed spans for its current text already (`--again` detects "
            "them afresh, keeping the decisions made)"
        )
    return 0


def cmd_redact_text(args: argparse.Namespace) -> int:
    from fieldvault.redact.ages import find_birth_years
    from fieldvault.redact.detector import detect
    from fieldvault.redact.mentions import spread_text
    from fieldvault.redact.replace import labelled
    from fieldvault.redact.spans import merge

    text = userfile.read_text(Path(args.file))
    # A text has no session to date it: a year of birth ("born in 1931") is read against this year, which can only
    # make more of them reveal an age over 89 than the year it was said in.
    year = date.today().year
    born = find_birth_years(text, year)
    spans = spread_text(text, merge(detect(text) + born, text))  # refuses (one line) when a layer is missing
    if born:
        print(
            f"{len(born)} year(s) of birth read as an age over 89 against this year, {year} (a text carries no "
            "session date)",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps([s.to_json() for s in spans], ensure_ascii=False))
    else:
        print(labelled(text, spans), end="")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "redact", parents=[study_folder(), unlocking()], help="propose identifier spans for transcripts that lack them"
    )
    p.add_argument("pseudonym", nargs="?")
    p.add_argument(
        "--again",
        action="store_true",
        help="detect every transcript's spans afresh (after an update of fieldvault's detection), keeping only the "
        "decisions a person made",
    )
    p.set_defaults(func=cmd_redact)

    p = sub.add_parser("redact-text", help="run the identifier detector over a plain UTF-8 text file")
    p.add_argument("file")
    p.add_argument(
        "--json",
        action="store_true",
        help='print [{"start","end","label","source","text"}] (offsets are Python string indices)',
    )
    p.set_defaults(func=cmd_redact_text)
