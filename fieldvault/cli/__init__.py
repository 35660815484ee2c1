"""The command line: the composition root that wires the core, capture, transcription and the TUI.

Each module of this package registers one group of commands; a command parses its arguments and calls
core functions the TUI calls too. Every FieldvaultError becomes one line on stderr and exit status 1;
secrets never come from argv.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from fieldvault import __version__
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
from fieldvault.study import Study

# The order of the groups is the order of `fieldvault --help`.
GROUPS = (vault, sessions, moving, transcription, transcript, redaction, leftovers, exporting, journal, stewardship)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldvault", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--version", action="version", version=f"fieldvault {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


def run(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    return int(getattr(args, "func", vault.cmd_tui)(args))


def main(argv: Sequence[str] | None = None) -> int:
    Study.listen(lambda line: print(f"fieldvault: note: {line}", file=sys.stderr))
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except FieldvaultError as err:
        print(f"fieldvault: error: {err}", file=sys.stderr)
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
    except KeyboardInterrupt:
        print("fieldvault: interrupted; nothing already stored was changed", file=sys.stderr)
        return 130
    return 1
