"""The command line: the composition root that wires the core, capture, transcription and the TUI.

Each module of this package registers one group of commands; a command parses its arguments and calls
core functions the TUI calls too. Every FieldvaultError becomes one line on stderr and exit status 1;
secrets never come from argv. Ctrl-C is caught around all of it, imports included, in ``fieldvault.cli``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from fieldvault import __version__, coredump
from fieldvault.cli import (
    exporting,
    journal,
    leftovers,
    moving,
    redaction,
    sessions,
    stewardship,
    transcript,
    transcription,
    vault,
)
from fieldvault.errors import FieldvaultError, describe_os_error
from fieldvault.printable import printable
from fieldvault.study import Study, refuse_backup_folder

# The order of the groups is the order of `fieldvault --help`.
GROUPS = (vault, sessions, moving, transcription, transcript, redaction, leftovers, exporting, journal, stewardship)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldvault", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--version", action="version", version=f"fieldvault {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


# What may run on a backup folder: it reads, prints or writes elsewhere; everything else would change the copy,
# and the next backup destroys what the study never had (QA H4: an interview recorded into the USB backup).
ON_A_BACKUP = {
    "cmd_check", "cmd_backup", "cmd_audit", "cmd_keys_list", "cmd_journal_list", "cmd_transcript", "cmd_decrypt",
    "cmd_report", "cmd_export", "cmd_keys_export",
}  # fmt: skip


def run(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    command = getattr(args, "func", vault.cmd_tui)
    if getattr(args, "dir", None) and command.__name__ not in ON_A_BACKUP:
        refuse_backup_folder(Path(args.dir))
    return int(command(args))


def main(argv: Sequence[str] | None = None) -> int:
    coredump.forbid()  # before anything is decrypted: a native crash must not write her words to disk
    Study.listen(lambda line: print(f"fieldvault: note: {printable(line)}", file=sys.stderr))
    previous = signal.getsignal(signal.SIGINT)
    try:
        with Study.naming_unfinished():  # work cut off part-way that this command, run without the key, left (QA Y3)
            status = run(sys.argv[1:] if argv is None else argv)
            _work_done()
            return status
    except FieldvaultError as err:
        print(f"fieldvault: error: {printable(err)}", file=sys.stderr)  # one line, whatever a file held
    except BrokenPipeError:
        # The reader went away (`| head -1`): stop quietly, as cat does, with the status SIGPIPE would give.
        # What is left unflushed goes nowhere instead of raising again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as err:
        line = describe_os_error(err)
        if line is None:
            raise
        print(f"fieldvault: error: {line}", file=sys.stderr)
    finally:
        if argv is not None and previous is not None and _main_thread():  # called in a process that goes on
            signal.signal(signal.SIGINT, previous)
    return 1


def _work_done() -> None:
    """The command returned: what it stored is stored and said. Ctrl-C from here (the notes on work cut off, Python's
    exit) would stop nothing and end in "interrupted; nothing already stored was changed" (jour27: after a journal
    entry was stored, she added it again) or a traceback: it is ignored to the end (``main`` puts the handler back
    where it was called in a process that goes on)."""
    if _main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()  # only it may set a signal's handler
