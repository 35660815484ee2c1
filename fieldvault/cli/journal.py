"""The reflexive journal from the command line: add an entry from a file, list the entries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldvault import drafts, layout, userfile
from fieldvault.cli.common import identities, interrupt_after, key_given, study_folder, unlocking
from fieldvault.cli.plaintext import plaintext_inputs, shred_or_warn
from fieldvault.errors import BadInput
from fieldvault.journal import (
    JournalEntry,
    add_entry,
    added_from,
    entry_holding,
    entry_names,
    holds,
    list_entries,
    source_of,
)
from fieldvault.showntime import written
from fieldvault.study import Study
from fieldvault.suggested import shell


def cmd_journal_add(args: argparse.Namespace) -> int:
    study = Study.open(Path(args.dir))
    given = plaintext_inputs(args, study, args.text_file)
    path = Path(args.text_file)
    source = source_of(path)
    text = userfile.read_text(path)
    if source is not None and (first := added_from(study, source)) is not None:
        if not _can_compare(study, args, first):
            raise BadInput(_not_compared(study, args, first))
        if holds(study, first, text, identities(study, args)):
            return _added_before(args, given, f"was added as journal entry {first} and has not changed since")
    elif source is not None and key_given(study, args) and not study.is_field_kit:  # jour27: a copy of that file
        if (same := entry_holding(study, text, identities(study, args))) is not None:
            return _added_before(args, given, f"holds the words of journal entry {same} already (a copy of its file?)")
    stored: list[JournalEntry] = []
    try:
        with interrupt_after():  # the entry and its line in the log, whole
            stored.append(add_entry(study, text, source))
        print(
            f"journal entry {stored[0].name} written {written(stored[0].written)}, encrypted to the study's "
            "recipients (entries are named by their date in UTC)"
        )
        shred_or_warn(args, given, "the entry")  # a reflexive entry names the women and what they said (QA R5)
    except KeyboardInterrupt:
        if not stored:
            raise  # nothing stored: the command line's own line says so
        print(_stored_then_interrupted(stored[0], given), file=sys.stderr)
        return 130
    return 0


def _can_compare(study: Study, args: argparse.Namespace, first: str) -> bool:
    """Whether the study key can be had to compare the file with entry ``first``: given, or asked for at a terminal
    on the trusted machine (adding itself needs no key)."""
    if key_given(study, args):
        return True
    if study.is_field_kit or not sys.stdin.isatty():
        return False
    print(
        f"{args.text_file} looks unchanged since it was added as journal entry {first}: the study passphrase compares "
        "its words with the entry's (Ctrl-C: nothing is added, and the file is kept)",
        file=sys.stderr,
    )
    return True


def _not_compared(study: Study, args: argparse.Namespace, first: str) -> str:
    """The file looks like the one entry ``first`` came from (the same file, size and time of change) but no key is
    at hand to compare its words (qa26 QB5: a file rewritten in place with new words was shredded as "unchanged"):
    nothing is added, and it is kept whatever --shred-original says."""
    said = (
        f"{args.text_file} looks unchanged since it was added as journal entry {first} (the same file, size and time "
        "of change), but its words cannot be compared without the study key: nothing was added"
    )
    if args.shred_original:
        removing = shell("shred", "-u", args.text_file)
        said += f" and it was kept: delete it yourself once sure it holds nothing new (`{removing}`)"
    said += "; if it holds new words, copy it to a new file and add that"
    if not study.is_field_kit:
        said += (
            ", or give the study passphrase (at a terminal, FIELDVAULT_PASSPHRASE or --passphrase-file) to have them "
            "compared"
        )
    return said


def _added_before(args: argparse.Namespace, given: list[Path], said: str) -> int:
    """The file holds the words an entry was added with (qa25 QA10; jour27: a copy of its file, where the study key
    is given to compare them): not a second entry. ``said``: what the file is, after its name. With
    --shred-original, which the first add's warning suggests, it is removed, as the entry holds it."""
    if not args.shred_original:
        raise BadInput(
            f"{args.text_file} {said}: nothing was added (a later thought is a new entry: write it in the file, or in "
            "another)"
        )
    print(f"{args.text_file} {said}: not added again")
    shred_or_warn(args, given, "the entry")
    return 0


def _stored_then_interrupted(entry: JournalEntry, given: list[Path]) -> str:
    """Ctrl-C once the entry was stored (tui26): "interrupted; nothing already stored was changed" made her think
    nothing was, and add it again."""
    left = [path for path in given if path.exists()]
    plaintext = (
        f"; {', '.join(map(str, left))} still holds it in plaintext: delete it (`{shell('shred', '-u', *left)}`)"
        if left
        else ""
    )
    return (
        f"fieldvault: interrupted after journal entry {entry.name} was stored, encrypted to the study's recipients: "
        f"do not add it again{plaintext}"
    )


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
    p = journal.add_parser(
        "add",
        parents=[study_folder(), unlocking()],
        help="add an entry from a text file (a key, if given, only compares a file added before with its entry)",
    )
    p.add_argument("--text-file", required=True, metavar="F", help="the entry (a file, or a pipe: <(...))")
    p.add_argument(
        "--shred-original", action="store_true", help="overwrite and delete the text file once the entry is sealed"
    )
    p.set_defaults(func=cmd_journal_add)
    p = journal.add_parser(
        "list", parents=[study_folder(), unlocking()], help="print every entry, oldest first (needs the study key)"
    )
    p.set_defaults(func=cmd_journal_list)
