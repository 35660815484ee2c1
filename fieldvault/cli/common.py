"""What every command shares: where secrets and identities come from, and a progress bar on stderr."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldvault.agefile import X25519Identity
from fieldvault.errors import BadInput, LockedStudy
from fieldvault.names import same_name
from fieldvault.passphrase import existing_passphrase
from fieldvault.study import Study
from fieldvault.timecode import elapsed


def identities(study: Study, args: argparse.Namespace) -> list[X25519Identity]:
    if getattr(args, "identity", None):
        return study.use_identity_path(args.identity)
    return study.unlock(existing_passphrase(args.passphrase_file))


def key_given(study: Study, args: argparse.Namespace) -> bool:
    """Whether a key comes without asking (--identity, --passphrase-file, FIELDVAULT_PASSPHRASE) on the trusted
    machine: then a command that may run locked unlocks, so that the study key vouches for what it seals now
    (fieldvault.vouching), not at the next unlock."""
    given = getattr(args, "identity", None) or getattr(args, "passphrase_file", None)
    return not study.is_field_kit and bool(given or os.environ.get("FIELDVAULT_PASSPHRASE"))


def study_identities(study: Study, args: argparse.Namespace, what: str) -> list[X25519Identity]:
    """The identities given, which must hold the study identity: a destruction, a move or a policy change is
    audited with the study key, which `backup` trusts and no other key can forge (QA R23: a transcriber's key, or any
    age key, set the policy to "ended long ago" and destroyed every interview; R22: her withdrawal reached no
    backup)."""
    keys = identities(study, args)
    if study.study_identity(keys) is None:
        raise LockedStudy(
            f"{what} needs the study identity (the study passphrase), not another recipient's key: ask the PI"
        )
    return keys


def unchecked_recipients(study: Study) -> bool:
    """Whether this computer must check the study's recipient list with the study key before it may encrypt to it
    (a study made or changed on another computer): a command that writes then asks for the passphrase, as it does
    for a list it must read, rather than refuse and send the user to `audit --verify` (QA K1)."""
    try:
        study.recipients()
    except LockedStudy:
        return True
    return False


def confirm_typed(expected: str, given: str | None, prompt: str) -> None:
    """The user types ``expected`` (or passes it with --confirm); anything else changes nothing."""
    if given is None:
        if not sys.stdin.isatty():
            raise BadInput(f"nothing was changed: confirm with --confirm {expected!r}, or run in a terminal")
        given = input(prompt)
    if not same_name(given, expected):  # by the name rule: an NFD "Lucía" typed for an NFC one is hers (QA F14)
        raise BadInput("what was typed does not match; nothing was changed")


@contextmanager
def interrupt_after() -> Iterator[None]:
    """Ctrl+C while something is being stored takes effect once it is stored whole, so that the command can say
    truly what was stored (a transcript and the earlier one kept; a journal entry and its line in the log)."""
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


# Parent parsers (argparse ``parents=``) for what many commands share.


def study_folder() -> argparse.ArgumentParser:
    """The study folder: the first argument of every command that works on a study."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("dir", help="the study folder")
    return parent


def passphrase_file() -> argparse.ArgumentParser:
    """Where the passphrase comes from when not typed (it never comes from argv)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--passphrase-file", type=Path, help="read the study passphrase from this file's first line")
    return parent


def unlocking() -> argparse.ArgumentParser:
    """The passphrase, or an age identity file instead: for commands that decrypt."""
    parent = argparse.ArgumentParser(add_help=False, parents=[passphrase_file(), identity_file()])
    return parent


def identity_file() -> argparse.ArgumentParser:
    """An age identity file (a transcriber's own key) instead of the study passphrase."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--identity", metavar="FILE", help="decrypt with this age identity file instead")
    return parent


def progress_bar(label: str) -> Callable[[float | None], None]:
    """A bar on stderr, redrawn at each call with the fraction done and the time left at the pace so far;
    a fraction of None says the length is not known, and how long it has run, rather than guess a time."""
    started = time.monotonic()

    def show(fraction: float | None) -> None:
        spent = time.monotonic() - started
        if fraction is None:
            line = f"{label} [{'?' * 30}]  length unknown, {elapsed(spent)} so far"
        else:
            eta = elapsed(spent / fraction - spent) if fraction > 0.01 else "-:--:--"
            line = f"{label} [{'#' * int(fraction * 30):<30}] {fraction:4.0%} ETA {eta}"
        print(f"\r{line:<{len(label) + 60}}", end="", file=sys.stderr, flush=True)

    return show


def out_path(given: str, what: str) -> Path:
    """A destination typed after --out. "-" means standard output to `decrypt` (and to age); anywhere else it made
    a file or folder named "-" where the user stood, holding plaintext or the study's private key (QA H12)."""
    if given.strip() == "-":
        raise BadInput(f'"-" is not standard output here: {what} goes to a file or folder only; give its path')
    return Path(given)
