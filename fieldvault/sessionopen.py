"""Which sessions are open in a transcript editor, review screen or notes screen, or being transcribed or
redacted, across processes: `session move` refuses to move one, and `withdraw` to destroy one, from under a
person or a process working on it (whose next autosave, or the transcript it stores when it ends, would otherwise
write her words back after her withdrawal, or under the participant the session left: QA D7).

The marker is a lock on the session's folder itself (flock on the directory): the editor, the review screen
and the notes screen hold it shared while they are open, a transcription or redaction while it runs, a move or a
withdrawal holds it exclusive from its checks to its last step. Within one process (the TUI's transcription queue
beside its home screen) the work under way is known too, and refuses a move or withdrawal of that session. No
file is written, so backups, checks, kit merges and exports never meet one; it names nothing the folder's
name does not; the kernel drops it when its process ends, so a crash never leaves one behind; and it stays
with the folder when the move renames it (it is on the folder, not on a path). flock is per machine: a study
on a network share opened on two machines is not guarded across them (the editor then finds the move at its
next save and says so). A transcription also holds the session's audio file locked (flock, exclusive), so a
second transcription of it, here or in another fieldvault, is refused naming the first. Never writes anything.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fieldvault.errors import BadInput
from fieldvault.layout import AUDIO

Key = tuple[int, int]  # (device, inode) of a session folder


@dataclass
class _Open:
    """A session folder open in this process: one descriptor holds its lock, however many screens show it."""

    fd: int
    screens: int  # screens and work holding it
    moving: bool = False
    work: list[str] = field(default_factory=list)  # what this process is doing to it ("transcribed", "redacted")


_guard = threading.Lock()  # the editor opens in a worker thread, a move runs in another
_open: dict[Key, _Open] = {}


class OpenHold:
    """One screen's (or one job's) hold on its session; ``release`` when the screen closes or the job ends (a
    second call does nothing)."""

    def __init__(self, key: Key | None, work: str = "") -> None:
        self._key = key
        self._work = work
        self._audio: int | None = None  # a transcription's lock on the session's audio (hold_for_transcription)

    def __enter__(self) -> OpenHold:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        audio, self._audio = self._audio, None
        if audio is not None:
            os.close(audio)
        key, self._key = self._key, None
        if key is None:
            return
        with _guard:
            entry = _open[key]
            if self._work:
                entry.work.remove(self._work)
            entry.screens -= 1
            if entry.screens == 0 and not entry.moving:  # a move here closes it when it ends
                del _open[key]
                os.close(entry.fd)


def hold_open(folder: Path, work: str = "") -> OpenHold:
    """Hold the session in ``folder`` open for an editor, a review or a notes screen, or while it is being
    ``work`` ("transcribed", "redacted"), until ``release``; a one-line refusal while it is being moved. A folder
    that is not there is left to the caller to explain."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return OpenHold(None)
    key = _key(fd)
    with _guard:
        entry = _open.get(key)
        if entry is not None:  # another screen of this process shows it already
            os.close(fd)
            if entry.moving:
                raise _being_moved(folder)
            entry.screens += 1
            if work:
                entry.work.append(work)
            return OpenHold(key, work)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise _being_moved(folder) from None
        except OSError:  # a file system without flock: open, unguarded, as before there was a marker
            os.close(fd)
            return OpenHold(None)
        _open[key] = _Open(fd, 1, work=[work] if work else [])
    return OpenHold(key, work)


def hold_for_transcription(folder: Path) -> OpenHold:
    """``hold_open(folder, "transcribed")``, and the session's audio locked (flock) to this one transcription: a
    second one, in this fieldvault or another (`transcribe --force` twice, or the TUI's queue beside it), is
    refused in one line naming the one running, before it decodes anything, so the two never store over each
    other. The kernel drops the lock when its process ends: a crashed or killed transcription never leaves the
    session locked. A session without its audio is left to the caller to explain."""
    audio = _lock_audio(folder)
    try:
        hold = hold_open(folder, "transcribed")
    except BaseException:
        if audio is not None:
            os.close(audio)
        raise
    hold._audio = audio
    return hold


def _lock_audio(folder: Path) -> int | None:
    try:
        fd = os.open(folder / AUDIO, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise _being_transcribed(folder) from None
    except OSError:  # a file system without flock: transcribed unguarded, as before there was a lock
        os.close(fd)
        return None
    return fd


def _being_transcribed(folder: Path) -> BadInput:
    with _guard:
        here = any("transcribed" in entry.work for entry in _open.values() if _same_folder(entry.fd, folder))
    if here:
        return BadInput(
            f"{_name(folder)} is being transcribed already here (the transcription queue): let it finish first; "
            "nothing was changed"
        )
    holders = sorted(_holders(folder / AUDIO))
    who = ", ".join(f"pid {pid}{_running(pid)}" for pid in holders)
    return BadInput(
        f"{_name(folder)} is being transcribed already by another fieldvault{f' ({who})' if who else ''}: let it "
        "finish, or stop it with Ctrl+C there, then run this again; nothing was changed"
    )


def _same_folder(fd: int, folder: Path) -> bool:
    try:
        return _key(fd) == (folder.stat().st_dev, folder.stat().st_ino)
    except OSError:
        return False


def _running(pid: int) -> str:
    command = _command(pid)
    if command == "open":
        return ", the transcription queue of `fieldvault open`"
    return f", `fieldvault {command}`" if command else ""


@contextmanager
def held_for_move(folder: Path, then: str = "move it") -> Iterator[None]:
    """``folder`` (a session) held against every editor, review and notes screen while a move (or a withdrawal:
    ``then`` says which in the refusal) runs; a one-line refusal, changing nothing, while one in another
    fieldvault has it open. A screen of this very process does
    not stop it (the TUI moves from its home screen, never from under its own editor): that editor finds the
    move at its next save, as it always did."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        raise BadInput(f"{_name(folder)} is not there any more; nothing was changed") from None
    key = _key(fd)
    with _guard:
        entry = _open.get(key)
        if entry is not None and entry.work:  # the TUI's own transcription queue is on it
            os.close(fd)
            raise BadInput(
                f"{_name(folder)} is being {entry.work[0]} here (the transcription queue): let it finish, or stop the "
                f"queue, then {then}"
            )
        try:
            # On this process's own descriptor flock converts the shared lock: it fails only for other holders.
            fcntl.flock(fd if entry is None else entry.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if entry is not None:  # a failed conversion may have dropped the shared lock: take it again
                _try_flock(entry.fd, fcntl.LOCK_SH)
            os.close(fd)
            raise _open_elsewhere(folder, then) from None
        except OSError:  # a file system without flock: moved unguarded, as before there was a marker
            entry = None
        if entry is not None:
            os.close(fd)
            entry.moving = True
    try:
        yield
    finally:
        if entry is None:
            os.close(fd)
        else:
            with _guard:
                entry.moving = False
                if entry.screens == 0:  # its screens closed during the move
                    del _open[key]
                    os.close(entry.fd)
                else:
                    _try_flock(entry.fd, fcntl.LOCK_SH)


def check_not_open_elsewhere(folder: Path) -> None:
    """Refuse in one line now, before asking anything, when a move of ``folder`` would be refused."""
    with held_for_move(folder):
        pass


def _key(fd: int) -> Key:
    stat = os.fstat(fd)
    return stat.st_dev, stat.st_ino


def _try_flock(fd: int, operation: int) -> None:
    """Best effort: another process may take the lock in between (flock converts by dropping, then taking)."""
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
    except OSError:
        pass


def _name(folder: Path) -> str:
    return f"session {folder.name} of {folder.parent.name}"


def _being_moved(folder: Path) -> BadInput:
    return BadInput(
        f"{_name(folder)} is being moved to another participant right now (session move): "
        "wait for the move to end, then open it under the participant it went to"
    )


def _open_elsewhere(folder: Path, then: str) -> BadInput:
    holders = _holders(folder)
    if "WRITE" in holders.values():  # held exclusively: not a screen but another move
        return BadInput(f"{folder.parent.name}/{folder.name} is being moved already; nothing was changed")
    for pid in sorted(holders):
        if (command := _command(pid)) in ("transcribe", "redact"):
            return BadInput(
                f"{_name(folder)} is being {command}d by another fieldvault (pid {pid}, `fieldvault {command}`): "
                f"let it finish, or stop it with Ctrl+C there, then {then}"
            )
    where = f" (pid {', '.join(map(str, sorted(holders)))})" if holders else ""
    return BadInput(
        f"{_name(folder)} is open in the editor, review or notes screen, or the transcription queue, of another "
        f"fieldvault{where}; close it there (or let the queue finish), then {then}"
    )


def _command(pid: int) -> str:
    """The fieldvault command process ``pid`` runs ("transcribe", "redact", "open", the TUI), from /proc (Linux);
    "" when unknown (no /proc, or another command)."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return ""
    after = [words[i + 1] for i, word in enumerate(words[:-1]) if Path(word).name == "fieldvault"]
    return after[0] if after and after[0] in ("transcribe", "redact", "open") else ""


def _holders(path: Path) -> dict[int, str]:
    """The other processes holding a flock on ``path`` (a session folder, its audio) and how (READ or WRITE), from
    /proc/locks (Linux); none found, none named."""
    try:
        stat = path.stat()
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return {}
    device = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    holders = {}
    for line in lines:  # "1: FLOCK  ADVISORY  READ 4242 fe:00:2654983 0 EOF"; waiters read "1: -> FLOCK ..."
        fields = line.split()
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == device and fields[4].isdigit():
            holders[int(fields[4])] = fields[3]
    holders.pop(os.getpid(), None)
    return holders
