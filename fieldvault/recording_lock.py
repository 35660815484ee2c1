"""``recording.lock``: which process, on which machine, is writing a session's audio.

The recorder writes it as a session opens and removes it on a clean stop, so a lock whose process is
gone marks a recording that was cut off. It holds a process id and a host name, nothing secret, and is
read without a key (the overview, backups, a field kit's merge).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from fieldvault import atomicfile, serial
from fieldvault.atomicfile import pid_alive  # here since locks were the first to ask; its users import it here
from fieldvault.errors import FieldvaultError
from fieldvault.layout import LOCK, participants

SCHEMA_VERSION = 1
FIX = "if no fieldvault is recording that session, delete the lock and run `fieldvault recover`"


@dataclass(frozen=True)
class RecordingLock:
    pid: int
    host: str
    schema_version: int = SCHEMA_VERSION

    @property
    def on_this_machine(self) -> bool:
        return self.host == socket.gethostname()

    @property
    def alive(self) -> bool:
        """Whether its process runs on this machine (a lock from another machine, a kit's, never does)."""
        return self.on_this_machine and pid_alive(self.pid)


def write_lock(folder: Path) -> None:
    atomicfile.write_new(folder / LOCK, serial.dumps(RecordingLock(os.getpid(), socket.gethostname())))


def parse_lock(data: bytes, what: str) -> RecordingLock:
    """A lock's contents; locks written before they carried a version (pid and host alone) read too."""
    return serial.loads(RecordingLock, data, what, legacy=serial.same_fields, fix=FIX)


def read_lock(path: Path) -> RecordingLock | None:
    """The lock at ``path``; None when there is none (a recording that stopped as it was looked at)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return parse_lock(data, str(path))


def lock_alive(path: Path) -> bool:
    """Whether the recorder that left the lock at ``path`` still runs, on this machine."""
    lock = read_lock(path)
    return lock is not None and lock.alive


def session_locks(root: Path) -> list[Path]:
    """The recording lock of every session of the study (or field kit) at ``root``."""
    return sorted(participants(root).glob(f"*/*/{LOCK}"))


def recording_now(root: Path) -> list[Path]:
    """Session folders a live recorder on this machine is writing: nothing may touch them. A recorder writes
    its lock whole, so a lock that cannot be read is no live recorder's: `check` names it, `recover` stops at it."""
    return [lock.parent for lock in session_locks(root) if _held(lock)]


def _held(lock: Path) -> bool:
    try:
        return lock_alive(lock)
    except FieldvaultError:
        return False
