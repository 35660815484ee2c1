"""Proposing identifier spans."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from fieldvault import layout
from fieldvault.cli.common import identities, identity_option
from fieldvault.errors import BadInput
from fieldvault.participants import participant_folder
from fieldvault.study import Study


def cmd_redact(args: argparse.Namespace) -> int:
    from fieldvault.redact.detector import require_layers
    from fieldvault.redact.review import refresh
    from fieldvault.transcript import Transcript

    study = Study.open(Path(args.dir))
    if args.pseudonym:  # found by the one name rule
        args.pseudonym = participant_folder(study, args.pseudonym).name
    require_layers()
    people = [args.pseudonym] if args.pseudonym else study.participant_names()
    paths = [f for p in people for f in layout.transcripts(study.root, p)]
    if not paths:
        print("nothing to do: no transcript yet (run `fieldvault transcribe` first)")
        return 0
    ids = identities(study, args)
    proposed = 0
    for path in paths:
        transcript = Transcript.from_json(study.read(path, ids))
        redactions, fresh = refresh(study, transcript, ids)
        if not fresh:
            continue
        proposed += 1
        carried = (
            f", {redactions.carried} earlier decisions carried over to confirm (the transcript changed)"
            if redactions.carried
            else ""
        )
        where = f"{transcript.pseudonym}/{transcript.session}"
        print(f"{where}: {len(redactions.spans)} spans proposed for review{carried}")
    if not proposed:
        print("nothing to do: every transcript has proposed spans for its current text already")
    return 0


def cmd_redact_text(args: argparse.Namespace) -> int:
    from fieldvault.redact.detector import detect

    try:
        text = Path(args.file).read_bytes().decode("utf-8")
    except OSError as err:
        raise BadInput(f"cannot read {args.file}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{args.file} is not UTF-8 text; convert it (e.g. iconv -t UTF-8) and try again") from None
    spans = detect(text)  # refuses (one line) when a detection layer is missing
    if args.json:
        print(json.dumps([s.to_json() for s in spans], ensure_ascii=False))
        return 0
    out, last = [], 0
    for span in spans:
        out += [text[last : span.start], f"[{span.label}]"]
        last = span.end
    print("".join([*out, text[last:]]), end="")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("redact", help="propose identifier spans for transcripts that lack them")
    p.add_argument("dir")
    p.add_argument("pseudonym", nargs="?")
    identity_option(p)
    p.set_defaults(func=cmd_redact)

    p = sub.add_parser("redact-text", help="run the identifier detector over a plain UTF-8 text file")
    p.add_argument("file")
    p.add_argument(
        "--json",
        action="store_true",
        help='print [{"start","end","label","source","text"}] (offsets are Python string indices)',
    )
    p.set_defaults(func=cmd_redact_text)
