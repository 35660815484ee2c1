"""Write files so that a crash, a full disk or a refused overwrite never leaves a half-written file.

Data goes to a temporary file beside the target, is fsynced, then renamed into place. Files are
created 0600 and folders 0700: everything in a study is either encrypted or private.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import re
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from fieldvault.errors import BadInput

FILE_MODE = 0o600
DIR_MODE = 0o700


def make_dirs(path: Path) -> None:
    """Create ``path`` and every missing folder above it, each 0700 (mkdir's parents get the umask's mode)."""
    missing = []
    for folder in [path, *path.parents]:
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
    if not path.is_dir():
        raise FileExistsError(17, "a file is in the way of a folder", str(path))


def pid_alive(pid: int) -> bool:
    if not 0 < pid < 2**31:  # 0 and -1 would signal whole groups; larger ones no process can have
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: it exists
    return True


def host_tag() -> str:
    """This computer, as the name of each copy ``_write_temp`` writes tells it: a hash of its host name, never the
    name. A PID says whether a process runs on this computer only: on a folder two computers share (a network drive,
    a synced folder), the other one's live write has a PID that may be no process here (rough28)."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


@dataclass(frozen=True)
class TempCopy:
    """A copy ``_write_temp`` wrote of ``target`` (``.NAME.PID-HOST.tmp``)."""

    target: Path
    pid: int
    here: bool  # written on this computer, whose PID can be judged here (a name without HOST: by a release before it)


_TEMP_WRITER = re.compile(r"([0-9]+)(?:-([0-9a-f]{8}))?")


def temp_of(path: Path) -> TempCopy | None:
    """For ``.NAME.PID-HOST.tmp`` (``.NAME.PID.tmp`` before the host was named), what ``_write_temp`` names the copy
    it writes of NAME; None for any other name."""
    stem = path.name.removesuffix(".tmp")
    target, _, writer = stem.rpartition(".")
    found = _TEMP_WRITER.fullmatch(writer)
    if stem == path.name or not target.startswith(".") or len(target) < 2 or found is None:
        return None
    return TempCopy(path.with_name(target[1:]), int(found[1]), found[2] in (None, host_tag()))


def sweep(path: Path) -> None:
    """Delete the copies of ``path`` that writes of it killed part-way left (a ``temp_of`` copy whose process is gone;
    keys26: check named each as left from interrupted work after the rerun had finished the work). Called as ``path``
    is written anew or deleted: nothing reads such a copy (the write either never took place or finished under the
    real name), and the write under way supersedes it. One a running process wrote is left: it may be writing it; so
    is one another computer wrote, whose process this one cannot see (`check` names it)."""
    for left in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        written = temp_of(left)
        if written is None or written.target != path or not written.here or left.is_symlink():
            continue
        if not pid_alive(written.pid):
            left.unlink(missing_ok=True)


def _write_temp(path: Path, data: bytes) -> Path:
    sweep(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{host_tag()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_new(path: Path, data: bytes) -> None:
    """Create ``path``; refuse if it exists, so nothing stored is ever overwritten."""
    if path.exists():
        raise BadInput(f"{path} already exists; fieldvault never overwrites a file, choose another name")
    tmp = _write_temp(path, data)
    try:
        os.link(tmp, path)  # fails if path appeared meanwhile, unlike rename
    except FileExistsError:
        raise BadInput(f"{path} already exists; fieldvault never overwrites a file, choose another name") from None
    finally:
        tmp.unlink(missing_ok=True)
    sync_folder(path.parent)


def replace(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` (or create it): readers see the old or the new file, never a mix."""
    tmp = _write_temp(path, data)
    os.replace(tmp, path)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """fsync a directory so a rename in it survives power loss."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def new_private_file(path: Path) -> Iterator[BinaryIO]:
    """Stream into a new 0600 file that appears at ``path`` only once complete and synced; a failure (a full
    disk, a broken pipe, an error) leaves nothing. Refuses to overwrite, like ``write_new``."""
    if path.exists():
        raise BadInput(f"{path} already exists; fieldvault never overwrites a file, choose another name")
    make_dirs(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.link(tmp, path)
    except FileExistsError:
        raise BadInput(f"{path} already exists; fieldvault never overwrites a file, choose another name") from None
    finally:
        tmp.unlink(missing_ok=True)
    sync_folder(path.parent)


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Build a folder beside ``target`` and move it in whole at the end: a failure leaves nothing behind.
    ``target`` may exist only as an empty folder, which the new one replaces."""
    make_dirs(target.parent)
    staging = target.with_name(f".{target.name}.creating-{os.getpid()}")
    staging.mkdir(mode=DIR_MODE)
    try:
        yield staging
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder``, waited for, held while the block runs: one writer at a time across
    processes. The kernel drops it when its process dies. A folder not there, or a file system without locks,
    goes on unguarded (the block's own reads say what is missing)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        yield
        return
    try:
        with suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextmanager
def held_alone(path: Path, flags: int) -> Iterator[bool]:
    """An exclusive lock on ``path`` (opened with ``flags``), taken without waiting: True while this process holds
    it (or, on a file system without locks, unguarded); False when another process holds it or ``path`` is gone.
    The kernel drops it when its process dies, so a crash never leaves one behind."""
    try:
        fd = os.open(path, flags, FILE_MODE)
    except (FileNotFoundError, NotADirectoryError):
        yield False
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        yield False
        return
    except OSError:  # no locks on this file system: go on unguarded, as before there were any
        pass
    try:
        yield True
    finally:
        os.close(fd)
