"""The reviewer's last check before export: what is left unredacted (numbers and capitals, unusual words),
listed per session, each item redacted everywhere or kept once."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

from fieldvault.agefile import X25519Identity
from fieldvault.cli.common import identities, study_folder, unlocking
from fieldvault.errors import BadInput
from fieldvault.participants import LABELS
from fieldvault.sessionopen import held_for_move, hold_open
from fieldvault.study import Study


def _text_around(text: str, start: int, end: int) -> str:
    before, after = text[max(0, start - 30) : start], text[end : end + 30]
    return f"…{before}«{text[start:end]}»{after}…".replace("\n", " ")


def cmd_leftovers(args: argparse.Namespace) -> int:
    from fieldvault import layout
    from fieldvault.participants import participant_folder, session_folder
    from fieldvault.redact.detector import require_layers

    study = Study.open(Path(args.dir))
    acting = bool(args.keep or args.redact)
    if acting and not args.session:
        raise BadInput("--keep and --redact act on one session's list: name the participant and the session")
    if set(args.keep) & set(args.redact):
        raise BadInput("an item is either kept or redacted, not both")
    if args.session:
        folder = session_folder(study, args.pseudonym, args.session)
        paths = [folder / layout.TRANSCRIPT] if (folder / layout.TRANSCRIPT).exists() else []
    else:
        people = [participant_folder(study, args.pseudonym).name] if args.pseudonym else study.participant_names()
        paths = [path for p in people for path in layout.transcripts(study.root, p)]
    if not paths:
        print("nothing to check: no transcript yet (run `fieldvault transcribe` first)")
        return 0
    require_layers()
    keys = identities(study, args)
    with ExitStack() as held:
        if acting:  # an editor or review screen open elsewhere would save its own spans over these (QA D20)
            held.enter_context(held_for_move(paths[0].parent, then="change its redactions here"))
        else:  # listing stores fresh proposals: no withdrawal or move of a session from under it (QA E1)
            for path in paths:
                held.enter_context(hold_open(path.parent, "checked"))
        _check(study, paths, keys, args)
    return 0


ON_SCREEN = "fieldvault: warning: words of the transcripts are on screen; they are not redacted here"


class _Screen:
    """Lines that show the transcripts' words, the first after a warning that they are on screen (qa26 QB7: it came
    before an error that showed none of them)."""

    def __init__(self) -> None:
        self.warned = False

    def show(self, line: str) -> None:
        if not self.warned:
            print(ON_SCREEN, file=sys.stderr)
            self.warned = True
        print(line)


def _check(study: Study, paths: list[Path], keys: list[X25519Identity], args: argparse.Namespace) -> None:
    from fieldvault.audit import default_actor
    from fieldvault.redact import leftover
    from fieldvault.redact.review import refresh, store
    from fieldvault.timecode import clock
    from fieldvault.transcript import read_transcript

    screen = _Screen()
    for path in paths:
        transcript = read_transcript(study, path, keys)
        redactions, _ = refresh(study, transcript, keys)
        items, texts = leftover.numbered(transcript, redactions)
        where = f"{transcript.pseudonym}/{transcript.session}"
        listed = dict(items)
        asked = [*args.keep, *args.redact]
        missing = sorted(n for n in asked if n not in texts)
        if missing:
            raise BadInput(f"{where} has no item {missing[0]} (run `fieldvault leftovers` to see the list)")
        for n in sorted({n for n in asked if n not in listed}):  # the same command run twice: nothing changes
            # its words are not shown: a number mistyped would put a redacted name on screen (qa27 QC7)
            print(f"{where}: item {n} is not left unredacted any more (redacted or kept): nothing to do")
        # an item given twice (`--redact 1 1`) is taken once (qa26 QB7: it failed in the review screen's words)
        redact = [n for n in dict.fromkeys(args.redact) if n in listed]
        keep = [n for n in dict.fromkeys(args.keep) if n in listed]
        if redact or keep:
            for n in sorted(redact, key=lambda n: -len(listed[n].text)):  # "Hilltop Plaza" holds "Hilltop": first
                label = args.label or leftover.label_for(listed[n])
                leftover.redact(transcript, redactions, listed[n], label, default_actor(), study.clock())
            for n in keep:
                leftover.keep(redactions, listed[n])
            store(study, redactions, "redaction.checked", count=len(redact), kept=len(keep))
            print(f"{where}: {len(redact)} redacted at every mention, {len(keep)} kept")
            items, texts = leftover.numbered(transcript, redactions)
        study.audit.append(
            "redaction.leftovers", pseudonym=transcript.pseudonym, session=transcript.session, count=len(items)
        )
        print(f"{where}: {len(items)} left unredacted to check" + (":" if items else ""))
        for n, item in items:
            first = item.mentions[0]
            segment = transcript.segments[first.segment]
            count = f"{len(item.mentions)} mention{'s' if len(item.mentions) != 1 else ''}"
            at = f"[{clock(segment.start, digits=0)}] {_text_around(segment.text, first.start, first.end)}"
            screen.show(f"  {n:>3}. {item.text!r} ({item.reason}; {count}) first at {at}")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "leftovers",
        parents=[study_folder(), unlocking()],
        help="list what review left unredacted that a reviewer should check (numbers, capitals, unusual words)",
    )
    p.add_argument("pseudonym", nargs="?")
    p.add_argument("session", nargs="?")
    p.add_argument("--keep", type=int, nargs="+", default=[], metavar="N",
                   help="items looked at: not listed again (an item keeps its number)")  # fmt: skip
    p.add_argument("--redact", type=int, nargs="+", default=[], metavar="N", help="items to redact at every mention")
    p.add_argument("--label", choices=LABELS,
                   help="the label of what --redact adds (default: ID for numbers, PERSON for words)")  # fmt: skip
    p.set_defaults(func=cmd_leftovers)
