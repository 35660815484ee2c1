"""The reflexive journal from the command line: add an entry from a file, list the entries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldvault import drafts, layout, userfile
from fieldvault.cli.common import identities, study_folder, unlocking
from fieldvault.cli.plaintext import plaintext_inputs, shred_or_warn
from fieldvault.errors import BadInput
from fieldvault.journal import add_entry, added_from, entry_names, list_entries, source_of
from fieldvault.showntime import written
from fieldvault.study import Study


def cmd_journal_add(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    given = plaintext_inputs(args, study, args.text_file)
    source = source_of(Path(args.text_file))
    if source is not None and (first := added_from(study, source)) is not None:
        return _added_before(args, given, first)
    entry = add_entry(study, userfile.read_text(Path(args.text_file)), source)
    print(
        f"journal entry {entry.name} written {written(entry.written)}, encrypted to the study's recipients "
        "(entries are named by their date in UTC)"
    )
    shred_or_warn(args, given, "the entry")  # a reflexive entry names the women and what they said (QA R5)
    return 0


def _added_before(args: argparse.Namespace, given: list[Path], first: str) -> int:
    """The file, unchanged, was added before (qa25 QA10): not a second entry. With --shred-original, which the
    first add's warning suggests, it is removed, as the entry holds it."""
    if not args.shred_original:
        raise BadInput(
            f"{args.text_file} was added as journal entry {first} and has not changed since: nothing was added (a "
            "later thought is a new entry: write it in the file, or in another)"
        )
    print(f"{args.text_file} was added as journal entry {first} and has not changed since: not added again")
    shred_or_warn(args, given, "the entry")
    return 0


def cmd_journal_list(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    for draft in drafts.found(study.root / layout.JOURNAL):  # typed in the TUI, never saved: not an entry (QA R21)
        print(f"note: {drafts.unsaved(study, draft)}", file=sys.stderr)
    if study.is_field_kit:
        names = entry_names(study)
        for name in names:
            print(f"{name}  (encrypted; readable on the trusted machine)")
        print(f"{len(names)} entr{'y' if len(names) == 1 else 'ies'}; a field kit cannot read them")
        return 0
    entries = list_entries(study, identities(study, args))
    for entry in entries:
        print(f"## {entry.name}  (written {written(entry.written)})\n\n{entry.text}\n")
    if not entries:
        print("the journal has no entries yet: add one with `fieldvault journal add DIR --text-file F`")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    journal = sub.add_parser("journal", help="the reflexive journal (encrypted, dated entries)").add_subparsers(
        dest="journal_command", required=True
    )
    p = journal.add_parser("add", parents=[study_folder()], help="add an entry from a text file")
    p.add_argument("--text-file", required=True, metavar="F", help="the entry (a file, or a pipe: <(...))")
    p.add_argument(
        "--shred-original", action="store_true", help="overwrite and delete the text file once the entry is sealed"
    )
    p.set_defaults(func=cmd_journal_add)
    p = journal.add_parser(
        "list", parents=[study_folder(), unlocking()], help="print every entry, oldest first (needs the study key)"
    )
    p.set_defaults(func=cmd_journal_list)
