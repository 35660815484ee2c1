"""Put an export on disk: a file or a folder of files, each optionally encrypted to a recipient.
Nothing existing is overwritten; files are written whole or not at all, mode 0600."""

from __future__ import annotations

from pathlib import Path

from fieldvault import atomicfile
from fieldvault.agefile import X25519Recipient, encrypt_bytes
from fieldvault.errors import BadInput


def write(files: dict[str, bytes], out: Path, single: bool, encrypt_to: X25519Recipient | None) -> list[Path]:
    if single:
        (data,) = files.values()
        if encrypt_to is not None:
            data = encrypt_bytes(data, [encrypt_to])
        atomicfile.make_dirs(out.parent)
        atomicfile.write_new(out, data)
        return [out]
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BadInput(f"{out} exists and is not an empty folder; give a new folder for the export")
    atomicfile.make_dirs(out)
    written = []
    for name, data in sorted(files.items()):
        target = out / (name + ".age" if encrypt_to is not None else name)
        atomicfile.write_new(target, encrypt_bytes(data, [encrypt_to]) if encrypt_to is not None else data)
        written.append(target)
    return written
