"""One export, from request to audited files: what both the CLI and the TUI's export screen call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldvault.agefile import Identity, X25519Recipient
from fieldvault.errors import BadInput
from fieldvault.export.formats import FORMATS, SINGLE_FILE, Files
from fieldvault.export.selection import ExportItem, Request, select
from fieldvault.export.writer import write
from fieldvault.study import Study


@dataclass(frozen=True)
class Exported:
    items: list[ExportItem]
    files: list[Path]

    @property
    def unreviewed(self) -> int:
        return sum(1 for i in self.items if not i.reviewed)


def check(fmt: str, with_audio: bool, out: Path | None = None) -> None:
    """Refuse a request that cannot work, before anything is decrypted."""
    if fmt not in FORMATS:
        raise BadInput(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if with_audio and fmt != "qdpx":
        raise BadInput("--with-audio goes with --format qdpx only")
    if out is not None and out.exists() and (fmt in SINGLE_FILE or not out.is_dir() or any(out.iterdir())):
        raise BadInput(f"{out} exists; fieldvault never overwrites, give a new --out")


def render(
    study: Study, identities: Sequence[Identity], fmt: str, request: Request, with_audio: bool = False
) -> tuple[list[ExportItem], Files]:
    """The export's files in memory (also used for the preview)."""
    check(fmt, with_audio)
    items = select(study, identities, request)
    if with_audio:
        from fieldvault.export.qdpx import build_with_audio

        return items, build_with_audio(study, identities, items)
    return items, FORMATS[fmt](items)


def export(
    study: Study,
    identities: Sequence[Identity],
    fmt: str,
    out: Path,
    request: Request,
    recipient: X25519Recipient | None = None,
    with_audio: bool = False,
) -> Exported:
    check(fmt, with_audio, out)
    items, files = render(study, identities, fmt, request, with_audio)
    written = write(files, out, fmt in SINGLE_FILE, recipient)
    study.audit.append(
        "export", format=fmt, out=str(out), count=len(items), recipient=str(recipient) if recipient else "none"
    )
    for item in items:
        study.audit.append("export", pseudonym=item.pseudonym, session=item.session, format=fmt)
    return Exported(items, written)
