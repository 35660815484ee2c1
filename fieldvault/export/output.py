"""Where an export's files go: one new file, a new folder of files, or memory (the preview).

Each file is written to a temporary name beside its place (mode 0600), optionally encrypted to a
recipient as it streams, fsynced, then linked into place: nothing existing is overwritten, and a
failure leaves nothing behind.
"""

from __future__ import annotations

import io
import os
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, cast

from fieldvault import atomicfile
from fieldvault.agefile import AgeWriter, X25519Recipient
from fieldvault.errors import BadInput
from fieldvault.recording_lock import pid_alive
from fieldvault.stewardship.shred import shred_file


class _Sealing(io.RawIOBase):
    """A write-only file that encrypts what it is given (age STREAM) as it goes."""

    def __init__(self, writer: AgeWriter) -> None:
        self._writer = writer

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]  # a file-like sink: accepts any bytes-like, as io does
        self._writer.write(data)
        return len(memoryview(data))


def _exists(path: Path) -> BadInput:
    return BadInput(f"{path} already exists; fieldvault never overwrites a file, choose another name")


@contextmanager
def new_file(path: Path, recipient: X25519Recipient | None) -> Iterator[BinaryIO]:
    if path.exists():
        raise _exists(path)
    _shred(_left(path.parent, {path.name}))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, atomicfile.FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as raw:
            if recipient is None:
                yield cast(BinaryIO, raw)
            else:
                writer = AgeWriter(raw, [recipient])
                yield cast(BinaryIO, _Sealing(writer))
                writer.finish()
            raw.flush()
            os.fsync(raw.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise _exists(path) from None
    finally:
        tmp.unlink(missing_ok=True)
    atomicfile.sync_folder(path.parent)


def _left(path: Path, names: Collection[str] | None = None) -> list[Path]:
    """The temporary files (``.NAME.PID.tmp``) that exports killed part-way left in ``path``, of the files
    ``names``, or of any (None); one of an export still running is its own. The folder is listed once, however
    many names are asked for."""
    try:
        listed = [entry.name for entry in os.scandir(path)]
    except OSError:  # gone, not a folder, or unreadable: nothing to list
        return []
    found = []
    for entry in listed:
        stem = entry[1:-4] if entry.startswith(".") and entry.endswith(".tmp") else ""
        if names is None:
            wanted = "." in stem
        else:  # .NAME.X.tmp for any X: every dot of the stem may end NAME
            wanted = any(stem[:at] in names for at, char in enumerate(stem) if char == ".")
        pid = entry[:-4].rpartition(".")[2]
        left = path / entry
        if wanted and pid.isdigit() and not pid_alive(int(pid)) and left.is_file() and not left.is_symlink():
            found.append(left)
    return found


def export_leftovers(outs: Iterable[Path]) -> list[Path]:
    """What exports to ``outs`` killed part-way left (their plaintext, audio included: QA E13, H7): the temporary
    file beside a one-file export, those inside a folder export. Each folder is listed once (the places of many
    earlier exports share a few folders), each leftover named once."""
    found: list[Path] = []
    beside: dict[Path, set[str]] = {}
    for out in outs:
        if out.is_dir() and not out.is_symlink():
            found += _left(out)
        beside.setdefault(out.parent, set()).add(out.name)
    for folder, names in beside.items():
        found += _left(folder, names)
    return list(dict.fromkeys(found))


def sweep_exports(outs: Iterable[Path]) -> int:
    """Destroy what exports to ``outs`` killed part-way left (a withdrawal destroys those of hers: nobody may
    export that name again; every export destroys those of the exports before it). How many went."""
    return _shred(export_leftovers(outs))


def _shred(paths: list[Path]) -> int:
    for path in paths:
        shred_file(path)
    return len(paths)


def audited_exports(entries: Iterable[dict]) -> list[Path]:
    """Where the audit log says exports went, each once."""
    outs = {
        str(e["details"]["out"]): None
        for e in entries
        if e.get("action") == "export" and isinstance(e.get("details"), dict) and "out" in e["details"]
    }
    return [Path(out) for out in outs]


class FileSink:
    """The whole export is one file (qdpx, csv, demographics)."""

    def __init__(self, out: Path, recipient: X25519Recipient | None) -> None:
        self.out, self.recipient, self.written = out, recipient, list[Path]()

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        if self.written:
            raise BadInput(f"{self.out} takes one file only")
        atomicfile.make_dirs(self.out.parent)
        with new_file(self.out, self.recipient) as out:
            yield out
        self.written.append(self.out)


class FolderSink:
    """One file per session in a new (or empty) folder; with a recipient each is NAME.age."""

    def __init__(self, out: Path, recipient: X25519Recipient | None) -> None:
        if out.is_symlink() or (out.exists() and (not out.is_dir() or any(out.iterdir()))):  # qa25 QA8: a dangling link
            raise BadInput(f"{out} exists and is not an empty folder; give a new folder for the export")
        self.out, self.recipient, self.written = out, recipient, list[Path]()

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        atomicfile.make_dirs(self.out)
        target = self.out / (name + ".age" if self.recipient is not None else name)
        with new_file(target, self.recipient) as out:
            yield out
        self.written.append(target)


class MemorySink:
    """Files kept in memory: the preview, and tests."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        buffer = io.BytesIO()
        yield buffer
        self.files[name] = buffer.getvalue()
