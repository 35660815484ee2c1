"""What every command shares: where secrets and identities come from, and a progress bar on stderr."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from fieldvault.agefile import X25519Identity, parse_identity_file
from fieldvault.errors import BadInput
from fieldvault.passphrase import existing_passphrase
from fieldvault.study import Study
from fieldvault.timecode import elapsed


def identities(study: Study, args: argparse.Namespace) -> list[X25519Identity]:
    if getattr(args, "identity", None):
        try:
            found = parse_identity_file(Path(args.identity).read_text())
        except OSError as err:
            raise BadInput(f"cannot read the identity file {args.identity}: {err.strerror}") from None
        study.use_identities(found)
        return found
    return study.unlock(existing_passphrase(args.passphrase_file))


def secret_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase-file", type=Path, help="read the study passphrase from this file's first line")


def identity_option(parser: argparse.ArgumentParser) -> None:
    secret_options(parser)
    parser.add_argument("--identity", metavar="FILE", help="decrypt with this age identity file instead")


def progress_bar(label: str) -> Callable[[float], None]:
    started = time.monotonic()

    def show(fraction: float) -> None:
        spent = time.monotonic() - started
        eta = elapsed(spent / fraction - spent) if fraction > 0.01 else "-:--:--"
        bar = "#" * int(fraction * 30)
        print(f"\r{label} [{bar:<30}] {fraction:4.0%} ETA {eta}", end="", file=sys.stderr, flush=True)

    return show
